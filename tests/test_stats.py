"""weaklabel.stats: LabelStats at the matrix layer and the exact vote counts models share."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import weaklabel as wl
from weaklabel.matrix import LabelMatrix
from weaklabel.stats import (
    LabelStats,
    agreement_counts,
    cooccurrence_counts,
    count_patterns,
    row_blocks,
    signed_votes,
    vote_counts,
)


def _votes(n: int, m: int, k: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(-1, k, size=(n, m)).astype(np.int8)


def _one_hot(L: np.ndarray, k: int) -> np.ndarray:
    return np.stack([c == L for c in range(k)], axis=2).reshape(len(L), -1).astype(np.int64)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_stats_counts_equal_brute_force_from_matrix_and_from_patterns(k: int) -> None:
    L = _votes(3_000, 6, k, seed=k)
    stats = LabelStats.from_matrix(L)
    onehot = _one_hot(L, k)
    votes = np.stack([(c == L).sum(axis=0) for c in range(k)] + [(L == -1).sum(axis=0)], 1)
    fired = (L >= 0).astype(np.int64)
    agree = sum((c == L).astype(np.int64).T @ (c == L).astype(np.int64) for c in range(k))
    for counts in (None, stats.counts):
        rows = L if counts is None else stats.rows
        np.testing.assert_array_equal(vote_counts(rows, k, counts=counts), votes)
        np.testing.assert_array_equal(
            cooccurrence_counts(rows, k, counts=counts), onehot.T @ onehot
        )
        np.testing.assert_array_equal(
            agreement_counts(rows, k, counts=counts), np.stack([fired.T @ fired, agree])
        )


def test_stats_count_patterns_sums_repeated_patterns() -> None:
    L = _votes(5_000, 3, 2, seed=1)
    stats = LabelStats.from_matrix(L)
    rows, counts = count_patterns(L)
    np.testing.assert_array_equal(rows, stats.rows)
    np.testing.assert_array_equal(counts, stats.counts)
    twice = np.concatenate([stats.rows, stats.rows[::-1]])
    rows2, counts2 = count_patterns(twice, np.concatenate([stats.counts, stats.counts[::-1]]))
    np.testing.assert_array_equal(rows2, stats.rows)
    np.testing.assert_array_equal(counts2, 2 * stats.counts)


def test_stats_counts_of_no_rows_are_zero() -> None:
    empty = np.zeros((0, 3), dtype=np.int8)
    assert vote_counts(empty, 2).tolist() == [[0, 0, 0]] * 3
    assert not agreement_counts(empty, 2).any()
    assert cooccurrence_counts(empty, 2).shape == (6, 6)


def test_stats_row_blocks_cover_every_row_once_with_their_counts() -> None:
    rows = _votes(200_000, 4, 2)
    counts = np.arange(len(rows))
    blocks = list(row_blocks(rows, counts))
    assert len(blocks) > 1  # the matrix really is cut into blocks
    np.testing.assert_array_equal(np.concatenate([b for b, _ in blocks]), rows)
    np.testing.assert_array_equal(np.concatenate([w for _, w in blocks if w is not None]), counts)
    assert all(w is None for _, w in row_blocks(rows))


def test_stats_signed_votes_are_plus_minus_one_and_zero() -> None:
    assert signed_votes(np.array([[1, 0, -1]]), np.float64).tolist() == [[1.0, -1.0, 0.0]]


def test_stats_label_stats_shape_and_names() -> None:
    L = LabelMatrix(np.array([[0, 1], [0, 1], [-1, 0]]), ("a", "b"), ("NEG", "POS"))
    stats = LabelStats.from_matrix(L)
    assert stats.shape == (3, 2) and stats.n_examples == 3 and stats.n_sources == 2
    assert stats.n_patterns == 2
    assert stats.source_names == ("a", "b") and stats.label_names == ("NEG", "POS")
    assert repr(stats) == "LabelStats(n_examples=3, n_sources=2, n_patterns=2)"


def test_stats_label_stats_old_import_path_warns_and_forwards() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the package-level names never warn
        assert wl.LabelStats is LabelStats
        assert wl.models.LabelStats is LabelStats
    from weaklabel.models import stats as old_module

    with pytest.warns(DeprecationWarning, match=r"weaklabel\.stats"):
        assert old_module.LabelStats is LabelStats
    with pytest.raises(AttributeError):
        old_module.nothing_here  # noqa: B018


@pytest.mark.parametrize(
    ("rows", "counts", "match"),
    [
        (np.array([[0, 1]]), np.array([1.5]), r"\[E060\] LabelStats: counts must be one positive"),
        (np.array([[0, 1]]), np.array([-3]), r"counts must be one positive integer"),
        (np.array([[0, 1]]), np.array([1, 2]), r"per distinct row \(1 rows\)"),
        (np.array([[0.5, 1.0]]), np.array([1]), r"\[E021\]"),
        (np.array([[0, -4]]), np.array([1]), r"\[E022\].*-4.*source_1"),
    ],
)
def test_label_stats_refuses_what_is_not_counted_votes(
    rows: np.ndarray, counts: np.ndarray, match: str
) -> None:
    # issue 11: fractional counts and votes used to be cast silently
    with pytest.raises(wl.errors.LabelMatrixError, match=match):
        LabelStats(rows, counts)
    whole = LabelStats(np.array([[0.0, 1.0]]), np.array([2.0]))  # whole floats are read
    assert whole.n_examples == 2 and whole.rows.tolist() == [[0, 1]]
