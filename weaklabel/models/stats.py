"""``LabelStats``: the sufficient statistics label models fit from, mergeable across parts.

Use it when the label matrix does not fit in one place, or arrives in pieces: compute
``LabelStats.from_matrix`` on each partition (a Dask partition, a file, a day of data),
``merge`` them, and fit any label model on the result with ``model.fit(stats)``. The
statistics are the distinct vote patterns (rows of the label matrix) with how often each
occurs; every label model's fit depends on the data only through them, so fitting on
merged statistics gives exactly the model fitted on the whole matrix.

Real labeling functions produce few distinct patterns (tens to tens of thousands for
millions of rows), so the statistics are far smaller than the matrix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from weaklabel.errors import Errors, LabelMatrixError
from weaklabel.matrix import LabelMatrix, smallest_label_dtype, unique_rows


@dataclass(frozen=True, eq=False)
class LabelStats:
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
        counts = np.asarray(self.counts, dtype=np.int64)
        if rows.ndim != 2:
            raise LabelMatrixError(Errors.E020.format(shape=rows.shape))
        if counts.shape != (rows.shape[0],) or (counts.size and counts.min() < 1):
            raise LabelMatrixError(
                "LabelStats needs one positive count per distinct row; got counts of shape "
                f"{counts.shape} for {rows.shape[0]} rows."
            )
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
        from weaklabel.models._data import as_votes  # _data builds on this module

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
            raise LabelMatrixError("LabelStats.merge needs at least one part.")
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
        weights = np.concatenate([p.counts for p in items])
        rows, _, inverse = unique_rows(stacked)
        counts = np.bincount(inverse, weights=weights, minlength=len(rows)).astype(np.int64)
        labels = next((p.label_names for p in items if p.label_names is not None), None)
        return cls(rows, counts, first.source_names, labels)

    def __add__(self, other: LabelStats) -> LabelStats:
        return LabelStats.merge([self, other])

    @property
    def n_examples(self) -> int:
        """Number of examples summarised."""
        return int(self.counts.sum())

    @property
    def n_sources(self) -> int:
        """Number of sources (columns)."""
        return int(self.rows.shape[1])

    @property
    def n_patterns(self) -> int:
        """Number of distinct vote patterns."""
        return int(self.rows.shape[0])

    def __repr__(self) -> str:
        return (
            f"LabelStats(n_examples={self.n_examples}, n_sources={self.n_sources}, "
            f"n_patterns={self.n_patterns})"
        )
