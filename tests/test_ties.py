"""weaklabel.ties: one tie-breaking for the models and the Dask applier."""

from __future__ import annotations

import numpy as np
import pytest

from weaklabel.errors import LabelMatrixError, LabelModelError
from weaklabel.models.base import probs_to_preds as models_probs_to_preds
from weaklabel.ties import TIE_BREAK_POLICIES, check_tie_break, probs_to_preds


def _proba(n: int = 1_000, k: int = 3, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    proba = rng.dirichlet(np.ones(k), size=n)
    proba[::3] = 1 / k  # k-way ties
    proba[1::5, :2] = 0.5  # two-way ties
    proba[1::5, 2:] = 0.0
    return proba


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("tie_break", ["index", "abstain"])
def test_ties_offset_gives_a_slice_the_labels_of_the_whole(tie_break: str, seed: int) -> None:
    proba = _proba()
    whole = probs_to_preds(proba, tie_break=tie_break, seed=seed)
    for start, stop in [(0, 10), (10, 333), (333, 1_000)]:
        part = probs_to_preds(proba[start:stop], tie_break=tie_break, seed=seed, offset=start)
        np.testing.assert_array_equal(part, whole[start:stop])
    if tie_break == "index":  # without the offset, a slice hashes other positions
        shifted = probs_to_preds(proba[10:], tie_break=tie_break, seed=seed)
        assert not np.array_equal(shifted, whole[10:])


def test_ties_random_policy_ignores_offset() -> None:
    proba = _proba()
    first = probs_to_preds(proba, tie_break="random", seed=3)
    np.testing.assert_array_equal(
        first, probs_to_preds(proba, tie_break="random", seed=3, offset=9)
    )


def test_ties_models_share_the_one_tie_breaking() -> None:
    assert models_probs_to_preds is probs_to_preds


def test_ties_check_tie_break_and_bad_input() -> None:
    assert [check_tie_break(p) for p in TIE_BREAK_POLICIES] == list(TIE_BREAK_POLICIES)
    with pytest.raises(LabelModelError, match=r"\[E103\] tie_break must be one of"):
        check_tie_break("first")
    with pytest.raises(LabelModelError, match=r"\[E103\]"):
        probs_to_preds(_proba(), tie_break="first")
    with pytest.raises(LabelMatrixError, match=r"proba must be a 2-D array"):
        probs_to_preds(np.array([0.5, 0.5]))
    assert probs_to_preds(np.zeros((0, 2))).tolist() == []


def test_probs_to_preds_refuses_nan_and_bad_seeds() -> None:
    # issue 11: a NaN row used to become class 0 without a word
    with pytest.raises(
        LabelMatrixError, match=r"\[E060\].*proba must be numbers \(row 1 holds NaN"
    ):
        probs_to_preds(np.array([[0.2, 0.8], [np.nan, np.nan]]))
    for seed in ("abc", 1.5, -1, True):
        with pytest.raises(LabelModelError, match=r"\[E060\] probs_to_preds: seed must be"):
            probs_to_preds(_proba(), tie_break="random", seed=seed)  # type: ignore[arg-type]
    with pytest.raises(LabelMatrixError, match=r"proba must be a 2-D array"):
        probs_to_preds([["a", "b"]])
    scores = np.array([[-np.inf, 0.0], [-3.0, -1.0]])  # log scores work: only maxima matter
    assert probs_to_preds(scores).tolist() == [1, 1]
