"""Kappa and alpha match scikit-learn, statsmodels and krippendorff; consensus uses label models."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weaklabel as wl
from weaklabel.review import (
    ReviewError,
    annotator_agreement,
    cohen_kappa,
    consensus,
    fleiss_kappa,
    krippendorff_alpha,
)

sklearn_metrics = pytest.importorskip("sklearn.metrics")
inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
krippendorff = pytest.importorskip("krippendorff")


@st.composite
def tables(draw: st.DrawFn, *, min_annotators: int = 2) -> np.ndarray:
    n = draw(st.integers(2, 40))
    m = draw(st.integers(min_annotators, 6))
    k = draw(st.integers(2, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    missing = draw(st.floats(0.0, 0.5))
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    noisy = rng.random((n, m)) < draw(st.floats(0.0, 1.0))
    table = np.where(noisy, rng.integers(0, k, (n, m)), truth[:, None])
    return np.where(rng.random((n, m)) < missing, -1, table)


@settings(max_examples=80, deadline=None)
@given(tables(min_annotators=2))
def test_agreement_cohen_matches_sklearn(table: np.ndarray) -> None:
    a, b = table[:, 0], table[:, 1]
    both = (a >= 0) & (b >= 0)
    ours = cohen_kappa(a, b)
    if both.sum() == 0 or np.unique(np.concatenate([a[both], b[both]])).size < 2:
        assert np.isnan(ours) or ours == pytest.approx(
            sklearn_metrics.cohen_kappa_score(a[both], b[both])
        )
        return
    assert ours == pytest.approx(sklearn_metrics.cohen_kappa_score(a[both], b[both]), abs=1e-12)


def _statsmodels_fleiss(table: np.ndarray, k: int) -> float:
    counts = np.stack([(table == c).sum(axis=1) for c in range(k)], axis=1)
    return float(inter_rater.fleiss_kappa(counts, method="fleiss"))


@settings(max_examples=80, deadline=None)
@given(tables(), st.integers(0, 2**32 - 1))
def test_agreement_fleiss_matches_statsmodels_with_missing(table: np.ndarray, seed: int) -> None:
    """statsmodels needs as many ratings per item: drop a random annotator per item."""
    n, m = table.shape
    full = np.where(table < 0, 0, table)
    if m >= 3:  # missing values, as many on every item
        rng = np.random.default_rng(seed)
        full[np.arange(n), rng.integers(0, m, n)] = -1
    k = int(full.max()) + 1
    if np.unique(full[full >= 0]).size < 2:
        assert np.isnan(fleiss_kappa(full))
        return
    assert fleiss_kappa(full) == pytest.approx(_statsmodels_fleiss(full, max(k, 2)), abs=1e-12)


def test_agreement_fleiss_by_hand_with_uneven_items() -> None:
    table = np.array([[0, 0, -1], [0, 1, 1], [1, -1, -1]])  # the last item is left out
    # P_0 = 1, P_1 = (1 + 4 - 3) / 6 = 1/3; shares 3/5, 2/5
    chance = 0.6**2 + 0.4**2
    assert fleiss_kappa(table) == pytest.approx(((1 + 1 / 3) / 2 - chance) / (1 - chance))


@settings(max_examples=60, deadline=None)
@given(tables())
def test_agreement_krippendorff_matches_package(table: np.ndarray) -> None:
    data = np.where(table >= 0, table, np.nan).astype(float).T
    ours = krippendorff_alpha(table)
    pairable = np.isfinite(data).sum(axis=0) >= 2
    values = data[:, pairable][np.isfinite(data[:, pairable])]
    if np.unique(values).size < 2:
        assert np.isnan(ours)
        return
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert ours == pytest.approx(expected, abs=1e-12)


def test_agreement_krippendorff_by_hand() -> None:
    # coincidences: o00 = 2, o11 = 2, o01 = o10 = 1 (n = 6, n0 = n1 = 3), the unit with one
    # annotation is not pairable; D_o = 2/6, D_e = 2 * 3 * 3 / (6 * 5); alpha = 1 - D_o/D_e
    table = np.array([[0, 0], [1, 1], [0, 1], [1, -1]])
    assert krippendorff_alpha(table) == pytest.approx(1 - (2 / 6) / (18 / 30))


def test_agreement_consensus_through_label_models() -> None:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 300)
    good = np.stack([np.where(rng.random(300) < 0.95, truth, 1 - truth) for _ in range(3)], 1)
    bad = np.where(rng.random((300, 2)) < 0.5, truth[:, None], 1 - truth[:, None])
    table = np.concatenate([good, bad], axis=1)
    table[rng.random(table.shape) < 0.2] = -1
    table[0] = -1
    for name in ("LabelModel", "MajorityVote", "DawidSkene"):
        labels = consensus(table, model=name)
        assert labels[0] == -1
        assert (labels[1:] == truth[1:]).mean() > 0.85
    model = wl.DawidSkene()
    consensus(table, model=model)
    assert model.predict_proba(table).shape == (300, 2)
    frame = annotator_agreement(table)
    assert list(frame.columns) == ["n_items", "agreement", "kappa"]
    assert frame["agreement"].iloc[:3].min() > frame["agreement"].iloc[3:].max()


def test_agreement_consensus_equals_majority_vote_model() -> None:
    table = np.array([[0, 0, 1], [1, 1, -1], [-1, 1, 1], [0, -1, -1]])
    expected = wl.MajorityVote(cardinality=2).fit(table).predict(table)
    np.testing.assert_array_equal(consensus(table, model="MajorityVote"), expected)


def test_agreement_errors() -> None:
    with pytest.raises(ReviewError, match=r"\[E591\]"):
        cohen_kappa([0, 1], [0])
    with pytest.raises(ReviewError, match=r"\[E590\]"):
        fleiss_kappa([0, 1, 1])
    with pytest.raises(ReviewError, match=r"\[E590\]"):
        fleiss_kappa([[0, -2], [1, 1]])
    with pytest.raises(ReviewError, match=r"\[E592\]"):
        consensus([[0, 1]], model="Nope")
