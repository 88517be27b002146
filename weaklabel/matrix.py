"""``LabelMatrix``: the votes of every source on every example.

Use it as the hand-off between applying sources and fitting a label model. It is a thin,
immutable wrapper around an ``(n_examples, n_sources)`` integer array (``-1`` = abstain)
that remembers the source names and, when known, the label names; it converts to and from
NumPy, pandas and scipy.sparse, and exposes the unique rows with their counts, which is
what label models fit on. :func:`as_votes` reads any supported label-matrix input (ndarray,
DataFrame, scipy.sparse) as votes without widening them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.errors import Errors, LabelMatrixError
from weaklabel.labels import ABSTAIN, LabelSpace

if TYPE_CHECKING:
    import pandas as pd
    import scipy.sparse as sp


def smallest_label_dtype(max_label: int) -> np.dtype[Any]:
    """Return the smallest signed integer dtype that holds ``-1 .. max_label``."""
    for dtype in (np.int8, np.int16, np.int32):
        if max_label <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


_BLOCK_ROWS = 65_536  # most rows per block when counting from the matrix: bounded memory
_BLOCK_BYTES = 1 << 22  # a block's float64 copy stays cache-sized (4 MiB)


def block_rows(n_sources: int) -> int:
    """Rows per block so that a float64 copy of a block fits in a core's cache.

    Converting a block and handing it to BLAS while it is still in cache is about twice
    as fast as streaming 50 MB blocks through memory (measured on 1M x 100).

    Parameters
    ----------
    n_sources : int
        Columns of the matrix.

    Returns
    -------
    int
        Between 256 and 65,536 rows.
    """
    return max(256, min(_BLOCK_ROWS, _BLOCK_BYTES // (8 * max(n_sources, 1))))


class MatrixShape:
    """``n_examples`` and ``n_sources`` of anything with a ``shape`` of votes (a mixin)."""

    @property
    def shape(self) -> tuple[int, int]:  # pragma: no cover - every subclass overrides it
        """``(n_examples, n_sources)``."""
        raise NotImplementedError

    @property
    def n_examples(self) -> int:
        """Number of examples (rows of the matrix)."""
        return self.shape[0]

    @property
    def n_sources(self) -> int:
        """Number of sources (columns of the matrix)."""
        return self.shape[1]


def _check_values(values: np.ndarray, names: Sequence[str]) -> None:
    if values.ndim != 2:
        raise LabelMatrixError(Errors.E020.format(shape=values.shape))
    if values.size and values.min() < ABSTAIN:
        col = int(np.argwhere(values < ABSTAIN)[0][1])
        raise LabelMatrixError(
            Errors.E022.format(value=int(values[:, col].min()), column=names[col])
        )


@dataclass(frozen=True, eq=False)
class LabelMatrix(MatrixShape):
    """Votes of ``n_sources`` sources on ``n_examples`` examples.

    Parameters
    ----------
    values : array-like of shape (n_examples, n_sources)
        Integer votes: a class id in ``0 .. k-1``, or ``-1`` (``ABSTAIN``). Stored with
        the smallest signed integer dtype that fits.
    source_names : sequence of str, optional
        One unique name per column. Defaults to ``source_0``, ``source_1``, ...
    label_names : sequence of str, optional
        Class names in id order. When given, every vote must be below their number.
    fault_counts : mapping of str to int, optional
        Per source, how many rows raised and were counted as abstains by a
        fault-tolerant ``apply``.

    Attributes
    ----------
    values : ndarray of shape (n_examples, n_sources)
        The votes (read-only).
    source_names : tuple of str
    label_names : tuple of str or None
    """

    values: np.ndarray
    source_names: tuple[str, ...] = ()
    label_names: tuple[str, ...] | None = None
    fault_counts: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        given = self.values
        raw = np.asarray(given)
        if raw.ndim != 2:
            raise LabelMatrixError(Errors.E020.format(shape=raw.shape))
        if raw.dtype == bool or not np.issubdtype(raw.dtype, np.integer):
            if raw.size == 0 and raw.ndim == 2:
                raw = raw.astype(np.int8)
            elif raw.dtype != bool:
                raw = _integral_floats(raw)
            else:
                raise LabelMatrixError(Errors.E021.format(dtype=raw.dtype))
        names = tuple(self.source_names) or tuple(f"source_{j}" for j in range(raw.shape[-1]))
        if raw.ndim == 2 and len(names) != raw.shape[1]:
            raise LabelMatrixError(Errors.E023.format(n_names=len(names), n_columns=raw.shape[1]))
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            raise LabelMatrixError(Errors.E011.format(what="Source names", dupes=dupes))
        _check_values(raw, names)
        max_label = int(raw.max()) if raw.size else 0
        label_names = (
            None if self.label_names is None else LabelSpace.from_any(self.label_names).names
        )
        if label_names is not None and max_label >= len(label_names):
            col = int(np.argwhere(raw >= len(label_names))[0][1])
            raise LabelMatrixError(
                Errors.E025.format(
                    value=max_label, column=names[col], k=len(label_names), names=list(label_names)
                )
            )
        dtype = smallest_label_dtype(max(max_label, len(label_names or ()) - 1))
        values = np.ascontiguousarray(raw, dtype=dtype)
        if isinstance(given, np.ndarray) and np.shares_memory(values, given):
            values = values.copy()  # never alias (and freeze) the caller's array
        values.flags.writeable = False
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "source_names", names)
        object.__setattr__(self, "label_names", label_names)
        object.__setattr__(self, "fault_counts", dict(self.fault_counts))

    # ------------------------------------------------------------------ basic views
    @property
    def shape(self) -> tuple[int, int]:
        """``(n_examples, n_sources)``."""
        return (int(self.values.shape[0]), int(self.values.shape[1]))

    @property
    def cardinality(self) -> int | None:
        """Number of classes when label names are known, else ``None``."""
        return None if self.label_names is None else len(self.label_names)

    @property
    def label_space(self) -> LabelSpace | None:
        """The :class:`~weaklabel.labels.LabelSpace` when label names are known."""
        return None if self.label_names is None else LabelSpace(self.label_names)

    def __len__(self) -> int:
        return self.n_examples

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return self.values if dtype is None else self.values.astype(dtype)

    def __repr__(self) -> str:
        labels = "" if self.label_names is None else f", labels={list(self.label_names)}"
        return (
            f"LabelMatrix(n_examples={self.n_examples}, n_sources={self.n_sources}, "
            f"dtype={self.values.dtype}{labels})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LabelMatrix):
            return NotImplemented
        return (
            self.source_names == other.source_names
            and self.label_names == other.label_names
            and self.values.shape == other.values.shape
            and bool(np.array_equal(self.values, other.values))
        )

    __hash__ = None  # type: ignore[assignment]

    def to_numpy(self, dtype: Any = None) -> np.ndarray:
        """Return the votes as an ndarray of shape (n_examples, n_sources) (a copy)."""
        return np.array(self.values, dtype=dtype)

    def column(self, name: str) -> np.ndarray:
        """Return the votes of one source, an ndarray of shape (n_examples,)."""
        try:
            j = self.source_names.index(name)
        except ValueError:
            raise LabelMatrixError(
                Errors.E026.format(name=name, names=list(self.source_names))
            ) from None
        return self.values[:, j]

    def __getitem__(self, rows: Any) -> LabelMatrix:
        """Select rows (slice, integer array or boolean mask); sources are kept."""
        picked = self.values[rows]
        if picked.ndim == 1:
            picked = picked[None, :]
        return LabelMatrix(picked, self.source_names, self.label_names)

    def select_sources(self, names: Sequence[str]) -> LabelMatrix:
        """Return a matrix with only the given sources, in the given order."""
        cols = [self.source_names.index(n) if n in self.source_names else -1 for n in names]
        if -1 in cols:
            missing = names[cols.index(-1)]
            raise LabelMatrixError(Errors.E026.format(name=missing, names=list(self.source_names)))
        return LabelMatrix(self.values[:, cols], tuple(names), self.label_names)

    # ------------------------------------------------------------------ statistics
    def unique_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct rows of the matrix with how often each occurs.

        Returns
        -------
        rows : ndarray of shape (n_unique, n_sources)
            Each distinct vote pattern once.
        counts : ndarray of shape (n_unique,)
            How many examples have that pattern.
        inverse : ndarray of shape (n_examples,)
            For each example, the index of its pattern in ``rows``.
        """
        return unique_rows(self.values)

    def coverage(self) -> float:
        """Fraction of examples with at least one non-abstain vote."""
        if self.n_examples == 0:
            return 0.0
        return float(np.mean((self.values != ABSTAIN).any(axis=1)))

    # ------------------------------------------------------------------ conversions
    def to_dataframe(self, *, names: bool = False, index: Any = None) -> pd.DataFrame:
        """Return a DataFrame with one column per source.

        Parameters
        ----------
        names : bool, default False
            Show class names instead of ids (abstains become ``None``); needs label names.
        index : array-like of shape (n_examples,), optional
            Index for the frame.
        """
        import pandas as pd

        if names and self.label_names is None:
            raise LabelMatrixError(Errors.E029)
        frame = pd.DataFrame(self.values, columns=list(self.source_names), index=index)
        if names and self.label_names is not None:
            lookup = np.array([None, *self.label_names], dtype=object)
            frame = pd.DataFrame(
                lookup[self.values.astype(np.int64) + 1],
                columns=list(self.source_names),
                index=index,
                dtype=object,
            )
        return frame

    @classmethod
    def from_dataframe(
        cls,
        frame: pd.DataFrame,
        *,
        label_names: Sequence[str] | Mapping[int | str, str] | None = None,
    ) -> LabelMatrix:
        """Build a matrix from a DataFrame with one column per source.

        Columns may hold ids (``-1`` = abstain) or, when ``label_names`` is given, class
        names (missing values = abstain).
        """
        values = frame.to_numpy()
        if values.dtype == object or values.dtype.kind in "USO" or str(values.dtype) == "str":
            if label_names is None:
                raise LabelMatrixError(Errors.E021.format(dtype=values.dtype))
            space = LabelSpace.from_any(label_names)
            lookup: dict[Any, int] = {name: i for i, name in enumerate(space.names)}
            ids = np.full(values.shape, ABSTAIN, dtype=np.int64)
            for (r, c), v in np.ndenumerate(values):
                if v is None or (isinstance(v, float) and np.isnan(v)):
                    continue
                if isinstance(v, str):
                    ids[r, c] = space.to_id(v)
                else:
                    ids[r, c] = lookup.get(v, int(v))
            values = ids
        names = None if label_names is None else LabelSpace.from_any(label_names).names
        return cls(values, tuple(str(c) for c in frame.columns), names)

    def to_sparse(self) -> sp.csr_matrix:
        """Return a CSR matrix storing ``label + 1``, so that implicit zeros are abstains."""
        import scipy.sparse as sp

        shifted = self.values.astype(np.int32) + 1
        return sp.csr_matrix(shifted)

    @classmethod
    def from_sparse(
        cls,
        matrix: sp.spmatrix | sp.sparray,
        *,
        source_names: Sequence[str] | None = None,
        label_names: Sequence[str] | Mapping[int | str, str] | None = None,
    ) -> LabelMatrix:
        """Inverse of :meth:`to_sparse`: stored values are ``label + 1``, missing = abstain."""
        dense = np.asarray(matrix.toarray(), dtype=np.int64) - 1  # type: ignore[union-attr]
        names = None if label_names is None else LabelSpace.from_any(label_names).names
        return cls(dense, tuple(source_names or ()), names)

    def hstack(self, other: LabelMatrix) -> LabelMatrix:
        """Columns of ``self`` followed by columns of ``other`` (same rows, same labels)."""
        if self.n_examples != other.n_examples:
            raise LabelMatrixError(Errors.E040.format(left=self.n_examples, right=other.n_examples))
        if None not in (self.label_names, other.label_names) and (
            self.label_names != other.label_names
        ):
            raise LabelMatrixError(
                Errors.E041.format(left=self.label_names, right=other.label_names)
            )
        labels = self.label_names if self.label_names is not None else other.label_names
        return LabelMatrix(
            np.hstack([self.values.astype(np.int64), other.values.astype(np.int64)]),
            self.source_names + other.source_names,
            labels,
        )


def unique_rows(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct rows of an integer matrix with their counts and the inverse map.

    Parameters
    ----------
    values : ndarray of shape (n_examples, n_sources)

    Returns
    -------
    rows : ndarray of shape (n_unique, n_sources)
    counts : ndarray of shape (n_unique,)
    inverse : ndarray of shape (n_examples,)
    """
    values = np.ascontiguousarray(values)
    n, m = values.shape
    if n == 0:
        return values.copy(), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if m == 0:  # every row is the same empty pattern
        return values[:1].copy(), np.array([n], dtype=np.int64), np.zeros(n, dtype=np.int64)
    # View each row as one opaque item so that np.unique sorts rows, not elements.
    row_view = values.view(np.dtype((np.void, values.dtype.itemsize * m)))[:, 0]
    _, first, inverse, counts = np.unique(
        row_view, return_index=True, return_inverse=True, return_counts=True
    )
    return values[first], counts.astype(np.int64), inverse.reshape(-1).astype(np.int64)


def as_label_array(L: Any) -> np.ndarray:
    """Return the votes of any supported label-matrix input as a 2-D integer ndarray.

    Parameters
    ----------
    L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame or scipy.sparse
        A sparse matrix stores ``label + 1`` (see :meth:`LabelMatrix.to_sparse`).

    Returns
    -------
    ndarray of shape (n_examples, n_sources)
    """
    if isinstance(L, LabelMatrix):
        return L.values
    if hasattr(L, "tocsr") and hasattr(L, "toarray"):
        return np.asarray(L.toarray(), dtype=np.int64) - 1
    if hasattr(L, "to_numpy") and hasattr(L, "columns"):
        L = L.to_numpy()
    try:
        arr = np.asarray(L)
    except ValueError:  # rows of different lengths
        raise LabelMatrixError(Errors.E027.format(kind=_describe_ragged(L))) from None
    if arr.dtype == object:
        raise LabelMatrixError(Errors.E027.format(kind=_describe_ragged(L)))
    if arr.ndim != 2:
        raise LabelMatrixError(Errors.E020.format(shape=arr.shape))
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        arr = _integral_floats(arr)
    _check_values(arr, [f"source_{j}" for j in range(arr.shape[1])])
    return arr


def _integral_floats(arr: np.ndarray) -> np.ndarray:
    """A float array of whole numbers as int64; anything else is refused [E021].

    Booleans, strings, NaN, infinities, fractions and whole numbers beyond ``2**53``
    (where floats stop being exact and int64 casts overflow) are not votes.
    """
    if arr.dtype.kind == "f":
        finite = np.isfinite(arr)
        if np.all(finite) and np.all(np.mod(arr, 1) == 0) and np.all(np.abs(arr) <= 2.0**53):
            return arr.astype(np.int64)
        bad = np.argwhere(~(finite & (np.mod(np.where(finite, arr, 0.5), 1) == 0)))
        if not len(bad):
            bad = np.argwhere(np.abs(arr) > 2.0**53)
        row, column = (int(x) for x in bad[0])
        raise LabelMatrixError(
            Errors.E021.format(
                dtype=f"{arr.dtype} (row {row}, column {column} holds {arr[row, column].item()!r})"
            )
        )
    raise LabelMatrixError(Errors.E021.format(dtype=arr.dtype))


def _describe_ragged(L: Any) -> str:
    """What a list that is no matrix holds, for [E027] (e.g. rows of different lengths)."""
    if isinstance(L, list | tuple) and L:
        lengths = [len(row) if isinstance(row, list | tuple | np.ndarray) else None for row in L]
        if None not in lengths and len(set(lengths)) > 1:
            first = lengths[0]
            row = next(i for i, n in enumerate(lengths) if n != first)
            return (
                f"a {type(L).__name__} whose rows have different lengths (row 0 has {first} "
                f"votes, row {row} has {lengths[row]})"
            )
    return type(L).__name__


def _sparse_to_dense(L: Any) -> np.ndarray:
    """Dense votes (``label``, ``-1`` = abstain) of a sparse matrix storing ``label + 1``.

    Built block by block in the smallest integer dtype, so a sparse input never becomes an
    int64 copy of the whole matrix.
    """
    csr = L.tocsr()
    n, m = csr.shape
    data = np.asarray(csr.data)
    if data.size and data.dtype.kind == "f" and not np.all(np.mod(data, 1) == 0):
        raise LabelMatrixError(Errors.E021.format(dtype=data.dtype))
    low = int(data.min()) if data.size else 1
    if low < 0:
        row = int(np.searchsorted(csr.indptr, int(np.argmax(data < 0)), side="right") - 1)
        column = int(csr.indices[np.argmax(data < 0)])
        raise LabelMatrixError(
            Errors.E022.format(value=low - 1, column=f"source_{column} (row {row})")
        )
    high = int(data.max()) - 1 if data.size else 0
    dtype = smallest_label_dtype(max(high, 0))
    out = np.empty((n, m), dtype=dtype)
    step = block_rows(csr.shape[1])
    for start in range(0, n, step):
        block = csr[start : start + step].toarray()
        np.subtract(block, 1, out=out[start : start + block.shape[0]], casting="unsafe")
    return out


def as_votes(L: Any) -> np.ndarray:
    """Votes of any supported input as a 2-D signed integer ndarray, never widened.

    Unlike :func:`as_label_array`, a sparse matrix is densified block by block in the
    smallest integer dtype, and an unsigned array is narrowed to a signed one.

    Parameters
    ----------
    L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame or scipy.sparse
        A sparse matrix stores ``label + 1`` (missing = abstain).

    Returns
    -------
    ndarray of shape (n_examples, n_sources)
        The input's own array when it already is a signed integer array (no copy).
    """
    if isinstance(L, LabelMatrix):
        return L.values
    if hasattr(L, "tocsr") and hasattr(L, "toarray"):
        return _sparse_to_dense(L)
    values = as_label_array(L)
    if values.dtype.kind == "u":
        values = values.astype(smallest_label_dtype(int(values.max()) if values.size else 0))
    return np.ascontiguousarray(values)  # row blocks must be contiguous for exact sums
