"""The votes a label model fits on, and the exact sufficient statistics computed from them.

Internal. :class:`VoteData` wraps either a label matrix or its distinct rows with counts (a
:class:`~weaklabel.stats.LabelStats`) and computes, on demand and cached, the
statistics models fit from (the arithmetic itself is in :mod:`weaklabel.stats`):

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

from collections.abc import Callable
from typing import Any

import numpy as np

from weaklabel.errors import Errors as CoreErrors
from weaklabel.errors import LabelMatrixError
from weaklabel.labels import ABSTAIN
from weaklabel.matrix import LabelMatrix, MatrixShape, as_votes, smallest_label_dtype
from weaklabel.models._errors import Errors
from weaklabel.stats import (
    LabelStats,
    agreement_counts,
    cooccurrence_counts,
    count_patterns,
    vote_counts,
)

_COUNTERS: dict[str, Callable[..., np.ndarray]] = {
    "source_counts": vote_counts,
    "cooccurrence": cooccurrence_counts,
    "agreement": agreement_counts,
}
"""The statistics ``BaseLabelModel._statistics`` may name, besides ``"patterns"``."""


class VoteData(MatrixShape):
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
            raw, weights = self._rows_and_counts()
            dtype = smallest_label_dtype(max(self.max_label(), 0))
            self._cache["patterns"] = count_patterns(raw.astype(dtype, copy=False), weights)
        result: tuple[np.ndarray, np.ndarray] = self._cache["patterns"]
        return result

    def to_stats(self) -> LabelStats:
        """The data as a :class:`LabelStats`."""
        if self.stats is not None:
            return self.stats
        rows, counts = self.patterns()
        return LabelStats(rows, counts, self.source_names, self.label_names)

    def _rows_and_counts(self) -> tuple[np.ndarray, np.ndarray | None]:
        """The matrix (counts None), or the distinct rows with their counts."""
        if self.values is not None:
            return self.values, None
        assert self.stats is not None
        return self.stats.rows, self.stats.counts

    def _counted_statistic(self, name: str, k: int) -> np.ndarray:
        """``name`` for ``k`` classes, computed once (see :mod:`weaklabel.stats`)."""
        key = (name, k)
        if key not in self._cache:
            rows, counts = self._rows_and_counts()
            self._cache[key] = _COUNTERS[name](rows, k, counts=counts)
        result: np.ndarray = self._cache[key]
        return result

    def source_counts(self, k: int) -> np.ndarray:
        """How often each source outputs each class, and abstains.

        Returns
        -------
        ndarray of shape (n_sources, k + 1), dtype int64
            See :func:`weaklabel.stats.vote_counts`.
        """
        return self._counted_statistic("source_counts", k)

    def cooccurrence(self, k: int) -> np.ndarray:
        """Second moments of the one-hot votes, counted exactly.

        Returns
        -------
        ndarray of shape (n_sources * k, n_sources * k), dtype int64
            See :func:`weaklabel.stats.cooccurrence_counts`.
        """
        return self._counted_statistic("cooccurrence", k)

    def agreement(self, k: int) -> np.ndarray:
        """How often each pair of sources votes on the same row, and how often they agree.

        Returns
        -------
        ndarray of shape (2, n_sources, n_sources), dtype int64
            See :func:`weaklabel.stats.agreement_counts`.
        """
        return self._counted_statistic("agreement", k)

    def counted(self, name: str, k: int) -> np.ndarray:
        """The statistic ``name`` (see ``BaseLabelModel._statistics``) for ``k`` classes."""
        if name not in _COUNTERS:  # pragma: no cover - internal misuse
            raise ValueError(f"unknown statistic {name!r}")
        return self._counted_statistic(name, k)


def known_source_names(names: tuple[str, ...], m: int) -> tuple[str, ...]:
    """``names`` when they name the ``m`` sources, else ``()``.

    The placeholders a matrix gets without names (``source_0 ..``, or a DataFrame's
    column numbers ``0 ..``) say nothing about which source is which, so they are
    treated as unknown: such columns are matched by position.
    """
    if len(names) != m or names == tuple(f"source_{j}" for j in range(m)):
        return ()
    if names == tuple(str(j) for j in range(m)):
        return ()
    return names


def source_order(
    fitted: tuple[str, ...], given: tuple[str, ...], model: str, *, error: str = Errors.E143
) -> list[int] | None:
    """The columns of ``given`` in the order of ``fitted``, matched by source name.

    Returns ``None`` when either side has no names or they are already in order (match
    by position); refuses a missing or unknown source with ``error`` ([E143], or the
    sequence models' [E660]: a template with ``model``, ``expected``, ``got``,
    ``missing`` and ``extra``).

    Returns
    -------
    list of int or None
        ``order[i]`` is the column of ``given`` holding fitted source ``i``.
    """
    if not fitted or not given or given == fitted:
        return None
    missing = [n for n in fitted if n not in given]
    extra = [n for n in given if n not in fitted]
    if missing or extra:
        raise LabelMatrixError(
            error.format(
                model=model, expected=list(fitted), got=list(given), missing=missing, extra=extra
            )
        )
    return [given.index(n) for n in fitted]


def vote_location(data: VoteData, value: int) -> dict[str, Any]:
    """``value``, the first row holding it and its source's name (the fields of [E141])."""
    try:
        raw = data._raw()
    except ValueError:  # partial_fit keeps counts only
        return {"value": value, "row": "of an earlier batch", "column": "unknown"}
    hits = np.argwhere(raw == value)
    if not len(hits):
        return {"value": value, "row": "of an earlier batch", "column": "unknown"}
    row, column = (int(x) for x in hits[0])
    return {"value": value, "row": row, "column": data.names()[column]}


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
