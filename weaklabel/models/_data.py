"""The votes a label model fits on, and the exact sufficient statistics computed from them.

Internal. :class:`VoteData` wraps either a label matrix or its distinct rows with counts (a
:class:`~weaklabel.models.stats.LabelStats`) and computes, on demand and cached, the
statistics models fit from:

- ``patterns()``: the distinct rows with their counts, in one canonical order;
- ``source_counts(k)``: how often each source outputs each label (and abstains);
- ``cooccurrence(k)``: how often source ``i`` outputs ``a`` on the same row as source ``j``
  outputs ``b`` -- the second-moment matrix of the one-hot votes, counted in blocks and
  never materialised as a dense ``n x (m * k)`` one-hot matrix.

Every statistic is an exact integer whether it comes from the matrix or from the patterns,
so a model fitted on a matrix, on its ``LabelStats``, or on merged per-partition
``LabelStats`` is bit for bit the same model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from weaklabel.errors import Errors as CoreErrors
from weaklabel.errors import LabelMatrixError
from weaklabel.labels import ABSTAIN
from weaklabel.matrix import LabelMatrix, as_label_array, smallest_label_dtype, unique_rows
from weaklabel.models.stats import LabelStats

_BLOCK_ROWS = 65_536  # most rows per block when counting from the matrix: bounded memory
_BLOCK_BYTES = 1 << 22  # a block's float64 copy stays cache-sized (4 MiB)


def block_rows(n_sources: int) -> int:
    """Rows per block so that a float64 copy of a block fits in a core's cache.

    Converting a block and handing it to BLAS while it is still in cache is about twice
    as fast as streaming 50 MB blocks through memory (measured on 1M x 100).
    """
    return max(256, min(_BLOCK_ROWS, _BLOCK_BYTES // (8 * max(n_sources, 1))))


_FLOAT32_EXACT = 2**24  # float32 sums of 0/1 products are exact below this many rows


def _is_sparse(L: Any) -> bool:
    return hasattr(L, "tocsr") and hasattr(L, "toarray")


def _sparse_to_dense(L: Any) -> np.ndarray:
    """Dense votes (``label``, ``-1`` = abstain) of a sparse matrix storing ``label + 1``.

    Built block by block in the smallest integer dtype, so a sparse input never becomes an
    int64 copy of the whole matrix.
    """
    csr = L.tocsr()
    n, m = csr.shape
    data = np.asarray(csr.data)
    if data.size and data.dtype.kind == "f" and not np.all(np.mod(data, 1) == 0):
        raise LabelMatrixError(CoreErrors.E021.format(dtype=data.dtype))
    low = int(data.min()) if data.size else 1
    if low < 0:
        row = int(np.searchsorted(csr.indptr, int(np.argmax(data < 0)), side="right") - 1)
        column = int(csr.indices[np.argmax(data < 0)])
        raise LabelMatrixError(
            CoreErrors.E022.format(value=low - 1, column=f"source_{column} (row {row})")
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
    if _is_sparse(L):
        return _sparse_to_dense(L)
    values = as_label_array(L)
    if values.dtype.kind == "u":
        values = values.astype(smallest_label_dtype(int(values.max()) if values.size else 0))
    return np.ascontiguousarray(values)  # row blocks must be contiguous for exact sums


def _one_hot_block(block: np.ndarray, k: int, dtype: Any) -> np.ndarray:
    """Dense one-hot votes (b, m * k) of a block of rows; abstains are all zero."""
    b, m = block.shape
    out = np.zeros((b, m, k), dtype=dtype)
    for c in range(k):
        out[:, :, c] = block == c
    return out.reshape(b, m * k)


class VoteData:
    """Votes to fit on, from a label matrix or from distinct rows with counts.

    Parameters
    ----------
    values : ndarray of shape (n_examples, n_sources), optional
        The label matrix (signed integers, ``-1`` = abstain).
    stats : LabelStats, optional
        Distinct rows with counts; exactly one of ``values`` and ``stats`` is given.
    source_names : sequence of str, optional
    label_names : sequence of str, optional
    """

    def __init__(
        self,
        *,
        values: np.ndarray | None = None,
        stats: LabelStats | None = None,
        counted: dict[Any, Any] | None = None,
        source_names: Any = (),
        label_names: Any = None,
    ) -> None:
        given = sum(x is not None for x in (values, stats, counted))
        if given != 1:  # pragma: no cover - internal misuse
            raise ValueError("give exactly one of values, stats and counted")
        self.values = values
        self.stats = stats
        self._counted = counted
        self.source_names: tuple[str, ...] = tuple(source_names)
        self.label_names: tuple[str, ...] | None = (
            None if label_names is None else tuple(label_names)
        )
        self._cache: dict[Any, Any] = dict(counted or {})

    @classmethod
    def from_input(cls, L: Any) -> VoteData:
        """Wrap a LabelStats, LabelMatrix, ndarray, DataFrame or scipy.sparse input."""
        if isinstance(L, VoteData):
            return L
        if isinstance(L, LabelStats):
            return cls(stats=L, source_names=L.source_names, label_names=L.label_names)
        values = as_votes(L)
        if isinstance(L, LabelMatrix):
            return cls(values=values, source_names=L.source_names, label_names=L.label_names)
        names: tuple[str, ...] = ()
        if hasattr(L, "columns") and len(L.columns) == values.shape[1]:
            names = tuple(str(c) for c in L.columns)
        return cls(values=values, source_names=names)

    # ------------------------------------------------------------------ shape
    @property
    def shape(self) -> tuple[int, int]:
        """``(n_examples, n_sources)``."""
        if self.values is not None:
            return (int(self.values.shape[0]), int(self.values.shape[1]))
        if self.stats is not None:
            return (self.stats.n_examples, self.stats.n_sources)
        shape: tuple[int, int] = self._cache["shape"]
        return shape

    @property
    def n_examples(self) -> int:
        """Number of examples (rows of the matrix, or total count)."""
        return self.shape[0]

    @property
    def n_sources(self) -> int:
        """Number of sources."""
        return self.shape[1]

    def names(self) -> tuple[str, ...]:
        """Source names, or ``source_0 ..`` when unknown."""
        return self.source_names or tuple(f"source_{j}" for j in range(self.n_sources))

    def _raw(self) -> np.ndarray:
        if self.values is not None:
            return self.values
        if self.stats is not None:
            return self.stats.rows
        raise ValueError("counted statistics hold no rows")  # pragma: no cover

    def max_label(self) -> int:
        """Largest vote (``-1`` when every entry abstains)."""
        if "max_label" not in self._cache:
            raw = self._raw()
            self._cache["max_label"] = int(raw.max()) if raw.size else ABSTAIN
        top: int = self._cache["max_label"]
        return top

    def check(self, k: int) -> None:
        """Raise (naming the source) when a vote is below -1 or at least ``k``."""
        if self._counted is not None:  # checked batch by batch as they were added
            return
        raw = self._raw()
        if not raw.size:
            return
        names = self.names()
        low = int(raw.min())
        if low < ABSTAIN:
            column = int(np.argwhere(raw < ABSTAIN)[0][1])
            raise LabelMatrixError(CoreErrors.E022.format(value=low, column=names[column]))
        from weaklabel.models._errors import Errors

        if int(raw.max()) >= k:
            column = int(np.argwhere(raw >= k)[0][1])
            raise LabelMatrixError(
                Errors.E102.format(
                    value=int(raw[:, column].max()), column=names[column], k=k, k_max=k - 1
                )
            )

    # ------------------------------------------------------------------ statistics
    def patterns(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct rows (canonical order, smallest dtype) and their counts.

        Returns
        -------
        rows : ndarray of shape (n_patterns, n_sources)
        counts : ndarray of shape (n_patterns,), dtype int64
        """
        if self._counted is not None:  # pragma: no cover - internal misuse
            raise ValueError("this model's partial_fit keeps no vote patterns")
        if "patterns" not in self._cache:
            raw = self._raw()
            dtype = smallest_label_dtype(max(self.max_label(), 0))
            rows, _, inverse = unique_rows(raw.astype(dtype, copy=False))
            if self.values is not None:
                counts = np.bincount(inverse, minlength=len(rows)).astype(np.int64)
            else:
                assert self.stats is not None
                counts = np.bincount(
                    inverse, weights=self.stats.counts, minlength=len(rows)
                ).astype(np.int64)
            self._cache["patterns"] = (rows, counts)
        result: tuple[np.ndarray, np.ndarray] = self._cache["patterns"]
        return result

    def to_stats(self) -> LabelStats:
        """The data as a :class:`LabelStats`."""
        if self.stats is not None:
            return self.stats
        rows, counts = self.patterns()
        return LabelStats(rows, counts, self.source_names, self.label_names)

    def _blocks(self) -> Any:
        """Yield ``(rows, weights)`` blocks; weights are None for matrix rows."""
        if self.values is not None:
            step = block_rows(self.values.shape[1])
            for start in range(0, self.values.shape[0], step):
                yield self.values[start : start + step], None
        else:
            assert self.stats is not None
            rows, counts = self.stats.rows, self.stats.counts
            step = block_rows(rows.shape[1])
            for start in range(0, rows.shape[0], step):
                yield rows[start : start + step], counts[start : start + step]

    def source_counts(self, k: int) -> np.ndarray:
        """How often each source outputs each class, and abstains.

        Returns
        -------
        ndarray of shape (n_sources, k + 1), dtype int64
            ``out[j, c]`` counts votes for class ``c``; ``out[j, k]`` counts abstains.
        """
        key = ("source_counts", k)
        if key not in self._cache:
            m = self.n_sources
            out = np.zeros((m, k + 1), dtype=np.int64)
            for block, weights in self._blocks():
                for c in range(k):
                    hits = block == c
                    if weights is None:
                        out[:, c] += np.count_nonzero(hits, axis=0)
                    else:
                        out[:, c] += weights @ hits
            out[:, k] = self.n_examples - out[:, :k].sum(axis=1)
            self._cache[key] = out
        result: np.ndarray = self._cache[key]
        return result

    def cooccurrence(self, k: int) -> np.ndarray:
        """Second moments of the one-hot votes, counted exactly.

        Returns
        -------
        ndarray of shape (n_sources * k, n_sources * k), dtype int64
            Entry ``(i * k + a, j * k + b)`` counts the rows where source ``i`` voted ``a``
            and source ``j`` voted ``b``; the diagonal block of a source holds its vote
            counts on the diagonal.
        """
        key = ("cooccurrence", k)
        if key not in self._cache:
            width = self.n_sources * k
            total = np.zeros((width, width), dtype=np.int64)
            for block, weights in self._blocks():
                if weights is None:  # 0/1 products: float32 sums are exact per block
                    onehot = _one_hot_block(block, k, np.float32)
                    total += np.rint(onehot.T @ onehot).astype(np.int64)
                else:  # counts can be large: float64 is exact up to 2**53
                    onehot64 = _one_hot_block(block, k, np.float64)
                    product = (onehot64 * weights[:, None].astype(np.float64)).T @ onehot64
                    total += np.rint(product).astype(np.int64)
            self._cache[key] = total
        result: np.ndarray = self._cache[key]
        return result

    def agreement(self, k: int) -> np.ndarray:
        """How often each pair of sources votes on the same row, and how often they agree.

        Cheaper than :meth:`cooccurrence` by a factor of about ``k``: it needs ``k + 1``
        (for ``k = 2``, two) products of ``n x m`` blocks, never a one-hot matrix.

        Returns
        -------
        ndarray of shape (2, n_sources, n_sources), dtype int64
            ``out[0, i, j]``: rows where sources ``i`` and ``j`` both voted (the diagonal
            holds each source's number of votes); ``out[1, i, j]``: rows where they voted
            the same class.
        """
        key = ("agreement", k)
        if key not in self._cache:
            m = self.n_sources
            total = np.zeros((2, m, m), dtype=np.int64)
            for block, weights in self._blocks():
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
                if k != 2:
                    agree = np.zeros((m, m), dtype=dtype)
                    for c in range(k):
                        hits = (block == c).astype(dtype)
                        agree += hits.T @ (hits if weights is None else hits * weights[:, None])
                total[0] += np.rint(both).astype(np.int64)
                total[1] += np.rint(agree).astype(np.int64)
            self._cache[key] = total
        result: np.ndarray = self._cache[key]
        return result

    def counted(self, name: str, k: int) -> np.ndarray:
        """The statistic ``name`` (see ``BaseLabelModel._statistics``) for ``k`` classes."""
        if name == "source_counts":
            return self.source_counts(k)
        if name == "cooccurrence":
            return self.cooccurrence(k)
        if name == "agreement":
            return self.agreement(k)
        raise ValueError(f"unknown statistic {name!r}")  # pragma: no cover


def _widen(name: str, array: np.ndarray, k_old: int, k_new: int, m: int) -> np.ndarray:
    """A count statistic for ``k_old`` classes re-indexed for ``k_new >= k_old`` classes."""
    if k_old == k_new or name == "agreement":  # agreement does not depend on k
        return array
    if name == "source_counts":
        out = np.zeros((m, k_new + 1), dtype=np.int64)
        out[:, :k_old] = array[:, :k_old]
        out[:, k_new] = array[:, k_old]
        return out
    index = (np.arange(m)[:, None] * k_new + np.arange(k_old)[None, :]).ravel()
    out = np.zeros((m * k_new, m * k_new), dtype=np.int64)
    out[np.ix_(index, index)] = array
    return out


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


class PartialState:
    """What ``partial_fit`` keeps between calls: the statistics summed over batches.

    Parameters
    ----------
    n_sources : int
    statistics : tuple of str
        Names of the statistics kept (see ``BaseLabelModel._statistics``).
    """

    def __init__(self, n_sources: int, statistics: tuple[str, ...]) -> None:
        self.n_sources = n_sources
        self.statistics = statistics
        self.n_examples = 0
        self.max_label = ABSTAIN
        self.k = 0
        self.stats: LabelStats | None = None
        self.sums: dict[str, np.ndarray] = {}
        self.source_names: tuple[str, ...] = ()
        self.label_names: tuple[str, ...] | None = None

    @classmethod
    def empty(cls, batch: VoteData, statistics: tuple[str, ...]) -> PartialState:
        """A state with no batch yet, for batches shaped like ``batch``."""
        return cls(batch.n_sources, statistics)

    def add(self, batch: VoteData, statistics: tuple[str, ...], k: int) -> PartialState:
        """A new state holding this one's statistics plus the batch's."""
        new = PartialState(self.n_sources, statistics)
        new.n_examples = self.n_examples + batch.n_examples
        new.max_label = max(self.max_label, batch.max_label())
        new.source_names = self.source_names or batch.source_names
        new.label_names = self.label_names if self.label_names is not None else batch.label_names
        if "patterns" in statistics:
            part = batch.to_stats()
            part = LabelStats(part.rows, part.counts, new.source_names, new.label_names)
            new.stats = part if self.stats is None else LabelStats.merge([self.stats, part])
        else:
            new.k = max(k, self.k)
            for name in statistics:
                mine = batch.counted(name, new.k)
                if name in self.sums:
                    mine = mine + _widen(name, self.sums[name], self.k, new.k, self.n_sources)
                new.sums[name] = mine
        return new

    def data(self) -> VoteData:
        """The accumulated statistics as the data a model fits on."""
        if self.stats is not None:
            return VoteData(
                stats=self.stats, source_names=self.source_names, label_names=self.label_names
            )
        counted: dict[Any, Any] = {
            "shape": (self.n_examples, self.n_sources),
            "max_label": self.max_label,
        }
        for name, array in self.sums.items():
            counted[(name, self.k)] = array
        return VoteData(
            counted=counted, source_names=self.source_names, label_names=self.label_names
        )


assert _BLOCK_ROWS < _FLOAT32_EXACT
