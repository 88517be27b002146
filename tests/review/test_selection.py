"""Selection scores match their definitions, rank deterministically and ignore chunking."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import weaklabel as wl
from weaklabel.review import (
    ReviewError,
    disagreement,
    entropy,
    least_confidence,
    margin,
    no_votes,
    rank,
    score,
    select,
)

HAND = np.array(
    [
        [0.9, 0.1, 0.0],
        [0.4, 0.4, 0.2],
        [1 / 3, 1 / 3, 1 / 3],
        [0.6, 0.3, 0.1],
    ]
)


def test_selection_least_confidence_by_hand() -> None:
    np.testing.assert_allclose(least_confidence(HAND), [0.1, 0.6, 2 / 3, 0.4])


def test_selection_margin_by_hand() -> None:
    np.testing.assert_allclose(margin(HAND), [0.2, 1.0, 1.0, 0.7])


def test_selection_entropy_by_hand() -> None:
    def h(row: list[float]) -> float:
        return -sum(p * np.log(p) for p in row if p > 0) / np.log(3)

    np.testing.assert_allclose(entropy(HAND), [h(list(r)) for r in HAND])
    assert entropy(HAND)[2] == pytest.approx(1.0)


def test_selection_select_orders_by_score() -> None:
    assert select(HAND, strategy="least_confidence", k=4).tolist() == [2, 1, 3, 0]
    assert select(HAND, strategy="entropy", k=2).tolist() == [2, 1]
    # rows 1 and 2 tie on margin: both come before row 3, in a seeded order
    assert sorted(select(HAND, strategy="margin", k=2).tolist()) == [1, 2]


def test_selection_disagreement_by_hand() -> None:
    L = np.array([[0, 1, -1, -1], [1, 1, 1, -1], [-1, -1, -1, -1], [0, 0, 1, -1], [2, -1, -1, -1]])
    shares = np.array([2 / 3, 1 / 3])
    expected_entropy = -(shares * np.log(shares)).sum() / np.log(3)
    np.testing.assert_allclose(
        disagreement(L), [np.log(2) / np.log(3), 0.0, 0.0, expected_entropy, 0.0]
    )
    np.testing.assert_allclose(disagreement(L, method="conflict"), [0.5, 0, 0, 1 / 3, 0])


def test_selection_disagreement_reads_label_matrix_cardinality() -> None:
    L = wl.LabelMatrix(np.array([[0, 1], [0, 0]]), ("a", "b"), ("X", "Y", "Z"))
    np.testing.assert_allclose(disagreement(L), [np.log(2) / np.log(3), 0.0])


def test_selection_no_vote_rows_first() -> None:
    L = np.array([[0, -1], [-1, -1], [1, 1], [-1, -1]])
    np.testing.assert_array_equal(no_votes(L), [0, 1, 0, 1])
    assert sorted(select(strategy="no_vote", L=L, k=2).tolist()) == [1, 3]


def test_selection_exclude_rows_or_mask() -> None:
    full = select(HAND, strategy="least_confidence", k=4)
    assert select(HAND, strategy="least_confidence", k=2, exclude=[2]).tolist() == [1, 3]
    mask = np.array([False, True, False, False])
    assert select(HAND, strategy="least_confidence", k=4, exclude=mask).tolist() == [
        r for r in full.tolist() if r != 1
    ]
    L = np.array([[0, -1], [-1, -1], [1, 1], [-1, -1]])
    proba = np.array([[0.6, 0.4], [0.5, 0.5], [0.8, 0.2], [0.5, 0.5]])
    voted = select(proba, strategy="entropy", k=2, exclude=no_votes(L) > 0)
    assert voted.tolist() == [0, 2]


def test_selection_diverse_spreads_over_vote_patterns() -> None:
    L = np.array([[0, -1]] * 4 + [[1, -1]] * 4)
    proba = np.array([[0.5, 0.5]] * 4 + [[0.6, 0.4]] * 4) + np.linspace(0, 0.01, 8)[:, None] * [
        1,
        -1,
    ]
    plain = select(proba, strategy="margin", k=2)
    diverse = select(proba, strategy="margin", k=2, L=L, diverse=True)
    assert set(plain.tolist()) <= {0, 1, 2, 3}
    assert {int(r) // 4 for r in diverse} == {0, 1}


def test_selection_diverse_spreads_over_embedding_clusters() -> None:
    rng = np.random.default_rng(0)
    emb = np.concatenate([rng.normal(0, 0.01, (10, 2)), rng.normal(5, 0.01, (10, 2))])
    proba = np.concatenate([np.full((10, 2), 0.5), np.tile([0.9, 0.1], (10, 1))])
    picked = select(proba, strategy="entropy", k=2, embeddings=emb, diverse=True, n_clusters=2)
    assert {int(r) // 10 for r in picked} == {0, 1}


def test_selection_random_depends_on_seed_only() -> None:
    a = select(HAND, strategy="random", k=4, seed=1)
    assert sorted(a.tolist()) == [0, 1, 2, 3]
    np.testing.assert_array_equal(a, select(HAND, strategy="random", k=4, seed=1))
    orders = {tuple(select(np.full((20, 2), 0.5), strategy="random", k=20, seed=s)) for s in (1, 2)}
    assert len(orders) == 2


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"proba": HAND, "strategy": "nope"}, "E572"),
        ({"proba": HAND, "strategy": "disagreement"}, "E573"),
        ({"proba": [[0.5, 1.5]], "strategy": "margin"}, "E571"),
        ({"proba": [0.5, 0.5], "strategy": "margin"}, "E570"),
    ],
)
def test_selection_errors_are_numbered(kwargs: dict, code: str) -> None:
    with pytest.raises(ReviewError, match=rf"\[{code}\]"):
        select(k=1, **kwargs)


# ------------------------------------------------------------------------ properties
def _proba(n_max: int = 40, k_max: int = 5) -> st.SearchStrategy[np.ndarray]:
    def normalise(raw: np.ndarray) -> np.ndarray:
        raw = raw + 1e-12
        return raw / raw.sum(axis=1, keepdims=True)

    shape = st.tuples(st.integers(1, n_max), st.integers(2, k_max))
    # few distinct values, so that ties are common
    values = st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0])
    return shape.flatmap(lambda s: arrays(np.float64, s, elements=values)).map(normalise)


@settings(max_examples=60, deadline=None)
@given(_proba())
def test_selection_scores_in_range(proba: np.ndarray) -> None:
    k = proba.shape[1]
    lc, mg, en = least_confidence(proba), margin(proba), entropy(proba)
    assert ((lc >= 0) & (lc <= 1 - 1 / k + 1e-12)).all()
    assert ((mg >= 0) & (mg <= 1)).all()
    assert ((en >= 0) & (en <= 1)).all()


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 30), st.integers(1, 6)), elements=st.integers(-1, 3))
)
def test_selection_disagreement_in_range(L: np.ndarray) -> None:
    for method in ("entropy", "conflict"):
        d = disagreement(L, method=method)
        assert d.shape == (L.shape[0],)
        assert ((d >= 0) & (d <= 1)).all()
    assert (disagreement(L)[(L >= 0).sum(axis=1) < 2] == 0).all()


@settings(max_examples=60, deadline=None)
@given(_proba(), st.sampled_from(["least_confidence", "margin", "entropy"]), st.integers(0, 3))
def test_selection_ranking_stable_under_ties_by_seed(
    proba: np.ndarray, strategy: str, seed: int
) -> None:
    first = select(proba, strategy=strategy, k=proba.shape[0], seed=seed)
    again = select(proba.copy(), strategy=strategy, k=proba.shape[0], seed=seed)
    np.testing.assert_array_equal(first, again)
    s = score(proba, strategy=strategy)[first]
    assert (np.diff(np.round(s, 12)) <= 0).all()  # non-increasing: ties only reorder equals


@settings(max_examples=60, deadline=None)
@given(
    _proba(),
    st.sampled_from(["least_confidence", "margin", "entropy"]),
    st.integers(1, 40),
    st.integers(1, 40),
    st.integers(0, 3),
)
def test_selection_same_result_whatever_chunking(
    proba: np.ndarray, strategy: str, chunk: int, k: int, seed: int
) -> None:
    whole = score(proba, strategy=strategy)
    chunked = np.concatenate(
        [score(proba[i : i + chunk], strategy=strategy) for i in range(0, proba.shape[0], chunk)]
    )
    np.testing.assert_array_equal(whole, chunked)
    full = select(proba, strategy=strategy, k=proba.shape[0], seed=seed)
    # any batch size gives a prefix of the full ranking
    np.testing.assert_array_equal(select(proba, strategy=strategy, k=k, seed=seed), full[:k])
    np.testing.assert_array_equal(rank(chunked, k=k, seed=seed), full[:k])


@settings(max_examples=40, deadline=None)
@given(_proba(), st.integers(1, 40), st.integers(0, 3))
def test_selection_diverse_batches_are_prefixes(proba: np.ndarray, k: int, seed: int) -> None:
    L = (proba > 0.3).astype(np.int64) - 1  # a vote pattern per row
    full = select(proba, strategy="entropy", k=proba.shape[0], seed=seed, L=L, diverse=True)
    assert sorted(full.tolist()) == list(range(proba.shape[0]))
    np.testing.assert_array_equal(
        select(proba, strategy="entropy", k=k, seed=seed, L=L, diverse=True), full[:k]
    )
