"""Vote-pattern arithmetic of a label matrix, and ``LabelStats``, its mergeable summary.

Use :class:`LabelStats` when the label matrix does not fit in one place, or arrives in
pieces: compute ``LabelStats.from_matrix`` on each partition (a Dask partition, a file, a
day of data), ``merge`` them, and fit any label model on the result with
``model.fit(stats)``. The statistics are the distinct vote patterns (rows of the label
matrix) with how often each occurs; every label model's fit depends on the data only
through them, so fitting on merged statistics gives exactly the model fitted on the whole
matrix. Real labeling functions produce few distinct patterns (tens to tens of thousands
for millions of rows), so the statistics are far smaller than the matrix.

The counting functions read a matrix -- or its patterns, weighted by their counts -- in
cache-sized blocks of rows and return exact integer counts, whichever form they read:

- :func:`count_patterns`: the distinct rows (vote patterns) with how often each occurs;
- :func:`vote_counts`: how often each source votes each class, and abstains;
- :func:`agreement_counts`: how often two sources both vote, and vote the same class (what
  the analysis calls overlaps and, by difference, conflicts);
- :func:`cooccurrence_counts`: how often source ``i`` votes ``a`` where source ``j`` votes
  ``b`` -- the second moments of the one-hot votes, never materialised as a dense
  ``n x (m * k)`` one-hot matrix.

>>> import numpy as np
>>> L = np.array([[0, 0], [1, -1], [0, 1], [0, 0]])
>>> stats = LabelStats.from_matrix(L)
>>> stats.rows.tolist(), stats.counts.tolist()
([[0, 0], [0, 1], [1, -1]], [2, 1, 1])
>>> agreement_counts(stats.rows, 2, counts=stats.counts)[:, 0, 1].tolist()
[3, 2]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from weaklabel.errors import Errors, LabelMatrixError
from weaklabel.labels import ABSTAIN
from weaklabel.matrix import (
    LabelMatrix,
    MatrixShape,
    as_label_array,
    as_votes,
    block_rows,
    smallest_label_dtype,
    unique_rows,
)

__all__ = [
    "LabelStats",
    "agreement_counts",
    "cooccurrence_counts",
    "count_patterns",
    "row_blocks",
    "signed_votes",
    "vote_counts",
]


@dataclass(frozen=True, eq=False)
class LabelStats(MatrixShape):
    """Distinct vote patterns of a label matrix with their counts.

    Parameters
    ----------
    rows : ndarray of shape (n_patterns, n_sources)
        Each distinct row of the label matrix once (``-1`` = abstain).
    counts : ndarray of shape (n_patterns,)
        How many examples have that row; positive integers.
    source_names : tuple of str, optional
    label_names : tuple of str, optional

    Attributes
    ----------
    n_examples : int
        Total count (rows of the matrix the statistics summarise).
    """

    rows: np.ndarray
    counts: np.ndarray
    source_names: tuple[str, ...] = ()
    label_names: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        rows = np.asarray(self.rows)
        if rows.ndim != 2:
            raise LabelMatrixError(Errors.E020.format(shape=rows.shape))
        if rows.size and (rows.dtype == bool or not np.issubdtype(rows.dtype, np.integer)):
            rows = as_label_array(rows)  # whole floats are read, anything else refused
        if rows.size and int(rows.min()) < ABSTAIN:
            column = int(np.argwhere(rows < ABSTAIN)[0][1])
            raise LabelMatrixError(
                Errors.E022.format(value=int(rows[:, column].min()), column=f"source_{column}")
            )
        raw_counts = np.asarray(self.counts)
        whole = raw_counts.dtype.kind in "iu" or (
            raw_counts.dtype.kind == "f"
            and bool(np.all(np.isfinite(raw_counts)))
            and bool(np.all(np.mod(raw_counts, 1) == 0))
        )
        if (
            not whole
            or raw_counts.shape != (rows.shape[0],)
            or (raw_counts.size and raw_counts.min() < 1)
        ):
            raise LabelMatrixError(
                Errors.E060.format(
                    name="LabelStats",
                    param="counts",
                    expected=f"one positive integer per distinct row ({rows.shape[0]} rows)",
                    value=raw_counts.tolist() if raw_counts.size <= 10 else raw_counts.shape,
                )
            )
        counts = raw_counts.astype(np.int64)
        max_label = int(rows.max()) if rows.size else 0
        rows = np.ascontiguousarray(rows, dtype=smallest_label_dtype(max_label))
        rows.flags.writeable = False
        counts.flags.writeable = False
        names = tuple(self.source_names) or tuple(f"source_{j}" for j in range(rows.shape[1]))
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "source_names", names)
        if self.label_names is not None:
            object.__setattr__(self, "label_names", tuple(self.label_names))

    @classmethod
    def from_matrix(cls, L: Any) -> LabelStats:
        """Statistics of one label matrix (LabelMatrix, ndarray, DataFrame or sparse)."""
        values = as_votes(L)
        rows, counts, _ = unique_rows(values)
        names = L.source_names if isinstance(L, LabelMatrix) else ()
        labels = L.label_names if isinstance(L, LabelMatrix) else None
        return cls(rows, counts, names, labels)

    @classmethod
    def merge(cls, parts: Iterable[LabelStats]) -> LabelStats:
        """Statistics of the concatenation of the matrices the parts summarise."""
        items = list(parts)
        if not items:
            raise LabelMatrixError(Errors.E044)
        first = items[0]
        for other in items[1:]:
            if other.rows.shape[1] != first.rows.shape[1] or (
                other.source_names != first.source_names
            ):
                raise LabelMatrixError(
                    Errors.E028.format(
                        left=list(first.source_names), right=list(other.source_names)
                    )
                )
        dtype = np.result_type(*(p.rows.dtype for p in items))
        stacked = np.concatenate([p.rows.astype(dtype) for p in items])
        rows, counts = count_patterns(stacked, np.concatenate([p.counts for p in items]))
        labels = next((p.label_names for p in items if p.label_names is not None), None)
        return cls(rows, counts, first.source_names, labels)

    def __add__(self, other: LabelStats) -> LabelStats:
        return LabelStats.merge([self, other])

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_examples, n_sources)`` of the matrix the statistics summarise."""
        return (int(self.counts.sum()), int(self.rows.shape[1]))

    @property
    def n_patterns(self) -> int:
        """Number of distinct vote patterns."""
        return int(self.rows.shape[0])

    def __repr__(self) -> str:
        return (
            f"LabelStats(n_examples={self.n_examples}, n_sources={self.n_sources}, "
            f"n_patterns={self.n_patterns})"
        )


# ---------------------------------------------------------------------------- counting
_FLOAT32_EXACT = 2**24  # float32 sums of 0/1 products are exact below this many rows
assert block_rows(1) < _FLOAT32_EXACT


def row_blocks(
    rows: np.ndarray, counts: np.ndarray | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    """Cache-sized blocks of rows, with their counts when the rows are weighted patterns.

    Parameters
    ----------
    rows : ndarray of shape (n_rows, n_sources)
    counts : ndarray of shape (n_rows,), optional

    Yields
    ------
    block : ndarray of shape (n_block, n_sources)
    weights : ndarray of shape (n_block,) or None
        ``None`` when ``counts`` is ``None`` (every row counts once).
    """
    step = block_rows(rows.shape[1])
    for start in range(0, rows.shape[0], step):
        weights = None if counts is None else counts[start : start + step]
        yield rows[start : start + step], weights


def count_patterns(
    rows: np.ndarray, counts: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows, in :func:`~weaklabel.matrix.unique_rows` order, with their counts.

    Parameters
    ----------
    rows : ndarray of shape (n_rows, n_sources)
        Votes: a label matrix, or vote patterns when ``counts`` is given (a pattern may
        repeat, as in the concatenated patterns of several partitions).
    counts : ndarray of shape (n_rows,), optional
        How many examples each row stands for; 1 each when omitted.

    Returns
    -------
    patterns : ndarray of shape (n_patterns, n_sources)
    pattern_counts : ndarray of shape (n_patterns,), dtype int64
    """
    patterns, _, inverse = unique_rows(rows)
    total = np.bincount(inverse, weights=counts, minlength=len(patterns)).astype(np.int64)
    return patterns, total


def signed_votes(block: np.ndarray, dtype: type = np.float32) -> np.ndarray:
    """Binary votes as ``+1`` (class 1), ``-1`` (class 0) and ``0`` (abstain).

    Computed as ``(3v - 2)(v + 1) / 2`` in int8 (exact for ``v`` in {-1, 0, 1}) and
    converted once: about 9x cheaper than one comparison and conversion per class.

    Parameters
    ----------
    block : ndarray of shape (n_rows, n_sources)
        Class ids ``0``/``1`` and ``-1`` (abstain).

    Returns
    -------
    ndarray of shape (n_rows, n_sources), dtype ``dtype``
    """
    votes = block.astype(np.int8, copy=False)
    signed = votes * np.int8(3)
    signed -= np.int8(2)
    signed *= votes + np.int8(1)
    signed >>= 1
    return signed.astype(dtype)


def _n_examples(rows: np.ndarray, counts: np.ndarray | None) -> int:
    return int(rows.shape[0]) if counts is None else int(np.sum(counts))


def vote_counts(rows: np.ndarray, k: int, *, counts: np.ndarray | None = None) -> np.ndarray:
    """How often each source votes each class, and abstains.

    Parameters
    ----------
    rows : ndarray of shape (n_rows, n_sources)
        Votes (class ids ``0 .. k-1``, ``-1`` = abstain; nothing else, as checked by
        every label model): a label matrix, or its distinct rows when ``counts`` is given.
    k : int
        Number of classes.
    counts : ndarray of shape (n_rows,), optional
        How many examples each row stands for.

    Returns
    -------
    ndarray of shape (n_sources, k + 1), dtype int64
        ``out[j, c]`` counts votes for class ``c``; ``out[j, k]`` counts abstains.
    """
    m = rows.shape[1]
    out = np.zeros((m, k + 1), dtype=np.int64)
    shift = 1 + (k + 1) * np.arange(m, dtype=np.intp)  # source j's tallies at j * (k + 1)
    for block, weights in row_blocks(rows, counts):
        if weights is None and k > 3:  # one bincount per block, whatever k: abstains first
            tallies = np.bincount((block + shift).ravel(), minlength=m * (k + 1))
            out[:, :k] += tallies.reshape(m, k + 1)[:, 1:]
            continue
        for c in range(k):  # few classes: a comparison per class is faster still
            hits = block == c
            out[:, c] += np.count_nonzero(hits, axis=0) if weights is None else weights @ hits
    out[:, k] = _n_examples(rows, counts) - out[:, :k].sum(axis=1)
    return out


def _one_hot_block(block: np.ndarray, k: int, dtype: Any) -> np.ndarray:
    """Dense one-hot votes (b, m * k) of a block of rows; abstains are all zero."""
    b, m = block.shape
    out = np.zeros((b, m, k), dtype=dtype)
    for c in range(k):
        out[:, :, c] = block == c
    return out.reshape(b, m * k)


def cooccurrence_counts(
    rows: np.ndarray, k: int, *, counts: np.ndarray | None = None
) -> np.ndarray:
    """Second moments of the one-hot votes, counted exactly.

    Parameters
    ----------
    rows, k, counts
        As in :func:`vote_counts`.

    Returns
    -------
    ndarray of shape (n_sources * k, n_sources * k), dtype int64
        Entry ``(i * k + a, j * k + b)`` counts the rows where source ``i`` voted ``a``
        and source ``j`` voted ``b``; the diagonal block of a source holds its vote
        counts on the diagonal.
    """
    width = rows.shape[1] * k
    total = np.zeros((width, width), dtype=np.int64)
    for block, weights in row_blocks(rows, counts):
        if weights is None:  # 0/1 products: float32 sums are exact per block
            onehot = _one_hot_block(block, k, np.float32)
            total += np.rint(onehot.T @ onehot).astype(np.int64)
        else:  # counts can be large: float64 is exact up to 2**53
            onehot64 = _one_hot_block(block, k, np.float64)
            product = (onehot64 * weights[:, None].astype(np.float64)).T @ onehot64
            total += np.rint(product).astype(np.int64)
    return total


def agreement_counts(rows: np.ndarray, k: int, *, counts: np.ndarray | None = None) -> np.ndarray:
    """How often each pair of sources votes on the same row, and how often they agree.

    Cheaper than :func:`cooccurrence_counts` by a factor of about ``k``: it needs ``k + 1``
    (for ``k = 2``, two) products of ``n x m`` blocks, never a one-hot matrix.

    Parameters
    ----------
    rows, k, counts
        As in :func:`vote_counts`; every vote must be below ``k``.

    Returns
    -------
    ndarray of shape (2, n_sources, n_sources), dtype int64
        ``out[0, i, j]``: rows where sources ``i`` and ``j`` both voted (the diagonal
        holds each source's number of votes); ``out[1, i, j]``: rows where they voted
        the same class. ``out[0] - out[1]`` counts the rows where they conflict.
    """
    m = rows.shape[1]
    total = np.zeros((2, m, m), dtype=np.int64)
    for block, weights in row_blocks(rows, counts):
        dtype = np.float32 if weights is None else np.float64
        if k == 2:  # votes as -1/+1: S'S = agree - disagree, F'F = agree + disagree
            signs = signed_votes(block, dtype)
            fired = np.abs(signs)
            scaled = fired if weights is None else fired * weights[:, None].astype(dtype)
            both = fired.T @ scaled
            right = signs if weights is None else signs * weights[:, None]
            agree = (both + signs.T @ right) / 2
        else:
            fired = (block >= 0).astype(dtype)
            scaled = fired if weights is None else fired * weights[:, None].astype(dtype)
            both = fired.T @ scaled
            agree = np.zeros((m, m), dtype=dtype)
            for c in range(k):
                hits = (block == c).astype(dtype)
                agree += hits.T @ (hits if weights is None else hits * weights[:, None])
        total[0] += np.rint(both).astype(np.int64)
        total[1] += np.rint(agree).astype(np.int64)
    return total
