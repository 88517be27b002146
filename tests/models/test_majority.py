"""MajorityVote: vote shares, weights, priors, Snorkel's tie-breaking and WRENCH's MV figures."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from tests.models.test_base import snorkel_probs_to_preds
from weaklabel.datasets.wrench import load_wrench
from weaklabel.metrics import accuracy, f1_score
from weaklabel.models import MajorityVote
from weaklabel.models._errors import LabelModelError
from weaklabel.models.majority import vote_counts


def naive_vote_counts(L: np.ndarray, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    w = np.ones(L.shape[1]) if weights is None else weights
    counts = np.zeros((L.shape[0], k))
    for i, row in enumerate(L):
        for j, label in enumerate(row):
            if label >= 0:
                counts[i, label] += w[j]
    return counts


def test_majority_proba_is_vote_shares() -> None:
    L = np.array([[0, 0, 1, -1], [2, -1, -1, -1], [1, 2, 0, -1], [-1, -1, -1, -1]])
    proba = MajorityVote(cardinality=3).fit(L).predict_proba(L)
    expected = np.array(
        [[2 / 3, 1 / 3, 0], [0, 0, 1], [1 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3]]
    )
    np.testing.assert_allclose(proba, expected, rtol=0, atol=1e-15)
    assert proba.dtype == np.float64


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int64, np.uint8])
def test_majority_vote_counts_match_naive_loop(dtype: type[np.integer]) -> None:
    rng = np.random.default_rng(1)
    L = rng.integers(-1, 4, size=(20_000, 7))
    if dtype is np.uint8:
        L = np.maximum(L, 0)  # unsigned input cannot hold abstains
    weights = rng.random(7)
    values = L.astype(dtype)
    assert np.array_equal(vote_counts(values, 4), naive_vote_counts(L, 4))
    np.testing.assert_allclose(
        vote_counts(values, 4, weights), naive_vote_counts(L, 4, weights), rtol=1e-12
    )


def test_majority_ties_match_snorkel_policy() -> None:
    rng = np.random.default_rng(2)
    L = rng.integers(-1, 3, size=(3000, 4))
    model = MajorityVote(cardinality=3).fit(L)
    proba = model.predict_proba(L)
    preds = model.predict(L)
    tied = np.sum(np.abs(proba - proba.max(axis=1, keepdims=True)) < 1e-5, axis=1) > 1
    assert tied.sum() > 500  # the test exercises many ties
    assert np.array_equal(preds, snorkel_probs_to_preds(proba))


def test_majority_all_abstain_and_tied_rows_are_counted() -> None:
    L = np.array([[-1, -1], [0, 1], [1, 1]])
    model = MajorityVote().fit(L)
    preds = model.predict(L)
    assert preds.shape == (3,)
    assert (preds >= 0).all()
    assert model.score(L, np.array([1, 0, 1])) == pytest.approx(
        np.mean(preds == np.array([1, 0, 1]))
    )


def test_majority_weights_change_the_winner() -> None:
    L = np.array([[0, 0, 1], [1, 1, 0]])
    assert MajorityVote().fit(L).predict(L).tolist() == [0, 1]
    weighted = MajorityVote(weights=[1.0, 1.0, 3.0]).fit(L)
    assert weighted.predict(L).tolist() == [1, 0]
    np.testing.assert_allclose(weighted.predict_proba(L)[0], [0.4, 0.6])
    np.testing.assert_array_equal(weighted.weights_, [1.0, 1.0, 3.0])


def test_majority_zero_weight_voters_leave_the_prior() -> None:
    L = np.array([[0, -1], [-1, 1]])
    model = MajorityVote(weights=[0.0, 1.0], class_prior=[3, 1]).fit(L)
    np.testing.assert_allclose(model.predict_proba(L), [[0.75, 0.25], [0.0, 1.0]])


def test_majority_class_prior_for_rows_without_votes() -> None:
    L = np.array([[-1, -1, -1], [2, -1, 2], [-1, -1, -1]])
    model = MajorityVote(cardinality=3, class_prior=np.array([1.0, 2.0, 1.0])).fit(L)
    np.testing.assert_allclose(model.class_prior_, [0.25, 0.5, 0.25])
    proba = model.predict_proba(L)
    np.testing.assert_array_equal(proba[[0, 2]], [model.class_prior_, model.class_prior_])
    assert model.predict(L).tolist() == [1, 2, 1]
    np.testing.assert_array_equal(MajorityVote(cardinality=3).fit(L).class_prior_, [1 / 3] * 3)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"weights": [1.0, 1.0]}, "weights must hold 3"),
        ({"weights": [1.0, -1.0, 1.0]}, "weights must hold 3"),
        ({"weights": [0.0, 0.0, 0.0]}, "positive sum"),
        ({"weights": [1.0, np.nan, 1.0]}, "finite"),
        ({"class_prior": [1.0, 1.0, 1.0]}, "class_prior must hold 2"),
        ({"class_prior": [0.0, 0.0]}, "class_prior must hold 2"),
    ],
)
def test_majority_invalid_weights_and_prior_raise(params: dict[str, object], fragment: str) -> None:
    L = np.array([[0, 1, -1]])
    with pytest.raises(LabelModelError, match=fragment):
        MajorityVote(**params).fit(L)  # type: ignore[arg-type]


@pytest.mark.slow
def test_majority_million_rows_is_vectorised() -> None:
    rng = np.random.default_rng(3)
    L = rng.integers(-5, 3, size=(1_000_000, 100), dtype=np.int8)
    np.maximum(L, -1, out=L)  # about 60% abstains
    model = MajorityVote(cardinality=3).fit(L)
    start = time.perf_counter()
    proba = model.predict_proba(L)
    elapsed = time.perf_counter() - start
    assert proba.shape == (1_000_000, 3)
    np.testing.assert_array_equal(
        proba[:50], MajorityVote(cardinality=3).fit(L[:50]).predict_proba(L[:50])
    )
    # about 0.3 s here; a Python loop over rows would take minutes
    assert elapsed < 5.0


WRENCH_MV = [
    # dataset, k, metric, WRENCH's published MV figure (test split)
    ("youtube", 2, "accuracy", 84.00),
    ("sms", 2, "f1", 23.97),
    ("trec", 6, "accuracy", 60.80),
]


@pytest.mark.realdata
@pytest.mark.parametrize(("name", "k", "metric", "published"), WRENCH_MV)
def test_majority_reproduces_wrench_figures(
    wrench_classification: Path, name: str, k: int, metric: str, published: float
) -> None:
    train = load_wrench(wrench_classification / name, "train")
    test = load_wrench(wrench_classification / name, "test")
    model = MajorityVote(cardinality=k, seed=0).fit(train.L)
    preds = model.predict(test.L)
    score = accuracy(test.y, preds) if metric == "accuracy" else f1_score(test.y, preds)
    # the brief allows 1.5 points; the figures are in fact reproduced to the printed digit
    assert 100 * score == pytest.approx(published, abs=0.005)
    assert model.score(test.L, test.y, metric=metric) == score
