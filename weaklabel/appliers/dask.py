"""Label a Dask DataFrame partition by partition, without collecting the label matrix.

Use this when the corpus does not fit on one machine (or one process): pass a
``dask.dataframe.DataFrame`` (or a Dask Series of texts) to :func:`weaklabel.apply` and you
get a lazy :class:`DaskLabelMatrix` instead of a :class:`~weaklabel.matrix.LabelMatrix`.
Each partition is labeled on a worker by the in-process applier
(:func:`~weaklabel.appliers.frame.label_frame`, what :func:`~weaklabel.apply` runs on a
table; the worker tasks are in ``weaklabel.appliers._dask_tasks``); the workers send back
only the sufficient statistics (:class:`~weaklabel.stats.LabelStats`, the distinct vote
patterns with their counts), merged in a tree. A label model fits from those statistics
on the client, and predictions are again computed partition by partition::

    from dask.distributed import Client
    import dask.dataframe as dd
    import weaklabel as wl

    client = Client()                      # or any Dask scheduler
    ddf = dd.read_parquet("reviews/")      # a column "text"
    L = wl.apply(sources, ddf, label_names=["NEG", "POS"])   # lazy: nothing runs yet
    model = wl.LabelModel().fit(L.stats())                    # one pass over the data
    ddf = ddf.assign(label=L.predict(model))                  # lazy again
    ddf.to_parquet("labeled/")                                # second pass

No process ever holds the dense ``(n_examples, n_sources)`` matrix: a worker holds the
votes of one partition at a time, and the client holds the statistics (``n_patterns`` rows).

Sources travel to the workers by pickling (Dask uses ``cloudpickle``, which also handles
lambdas and functions defined in a notebook). A source that holds something that cannot be
pickled (an open file, a lock, a database connection) is rejected when ``apply`` is called,
with the name of the source; create such objects inside the function on first use instead.

Predictions equal the in-memory ones row for row: the ``"index"`` tie-breaking hashes the
row's global position (partition offsets are computed from the partition lengths, which the
statistics pass records). The ``"random"`` policy draws per partition from a generator
seeded with ``(seed, partition)``: reproducible, but not the same draws as in memory.
"""

from __future__ import annotations

import itertools
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from weaklabel._deprecated import moved_names
from weaklabel.appliers import _dask_tasks as tasks
from weaklabel.appliers._dask_tasks import global_preds
from weaklabel.appliers.frame import as_sources
from weaklabel.errors import Errors, SourceError
from weaklabel.labels import LabelSpace
from weaklabel.matrix import LabelMatrix, smallest_label_dtype
from weaklabel.sources.base import Source
from weaklabel.sources.function import LabelingFunction
from weaklabel.ties import check_tie_break

if TYPE_CHECKING:
    import dask.array as da
    import dask.dataframe as dd
    from dask.delayed import Delayed

    from weaklabel.models.base import BaseLabelModel
    from weaklabel.stats import LabelStats

__all__ = ["DaskLabelMatrix", "apply_dask", "global_preds", "is_dask_collection"]

# The Dask messages (E051-E054) are in the core catalogue now.
__getattr__ = moved_names(__name__, {"DaskErrors": "weaklabel.errors:Errors"})

_SPLIT_EVERY = 8  # fan-in of the tree that merges per-partition statistics


class DaskCollection(Protocol):
    """Anything that looks like a Dask collection (used to type :func:`weaklabel.apply`)."""

    def __dask_graph__(self) -> Any:
        """The task graph (Dask's collection protocol)."""

    @property
    def npartitions(self) -> int:
        """Number of partitions."""


def is_dask_collection(data: Any) -> bool:
    """True when ``data`` is a Dask collection; never imports Dask.

    Parameters
    ----------
    data : object

    Returns
    -------
    bool
    """
    return hasattr(data, "__dask_graph__") and any(
        klass.__module__.partition(".")[0] in ("dask", "dask_expr") for klass in type(data).__mro__
    )


def check_dask_options(*, cache: Any, n_jobs: int) -> None:
    """Reject :func:`weaklabel.apply` options that have no meaning for Dask input."""
    if cache is not None and cache is not False:
        raise SourceError(
            Errors.E053.format(
                option="cache",
                value=cache,
                hint="Drop cache=. To label once for several results, compute them "
                "together (`dask.compute(L.predict(a), L.predict(b))` shares the labeling "
                "pass), or write the votes to Parquet (`L.to_dask_dataframe().to_parquet(...)`).",
            )
        )
    if n_jobs != 1:
        raise SourceError(
            Errors.E053.format(
                option="n_jobs",
                value=n_jobs,
                hint="Drop n_jobs=; Dask runs one task per partition on the cluster's "
                "workers: size the cluster (e.g. LocalCluster(n_workers=...)) instead.",
            )
        )


def _import_dask() -> Any:
    try:
        import dask
        import dask.dataframe
    except ImportError as exc:  # pragma: no cover - exercised only without dask
        raise ImportError(
            Errors.E070.format(
                what="Labeling a Dask collection",
                packages="Dask with its distributed scheduler",
                verb="is",
                extra="dask",
            )
        ) from exc
    return dask


# ---------------------------------------------------------------------------- client side
def _tree_reduce(items: list[Delayed], combine: Callable[..., Any], split_every: int) -> Delayed:
    from dask import delayed

    while len(items) > 1:
        items = [
            delayed(combine, pure=True)(*items[i : i + split_every])
            for i in range(0, len(items), split_every)
        ]
    return items[0]


def _check_picklable(sources: Iterable[Source]) -> None:
    import cloudpickle

    for source in sources:
        try:
            cloudpickle.dumps(source)
        except Exception as exc:
            raise SourceError(
                Errors.E052.format(source=source.name, exc_type=type(exc).__name__, exc=exc)
            ) from exc


class _PartitionIndexer:
    def __init__(self, matrix: DaskLabelMatrix) -> None:
        self._matrix = matrix

    def __getitem__(self, key: Any) -> DaskLabelMatrix:
        m = self._matrix
        return DaskLabelMatrix(
            m.frame.partitions[key],
            m.sources,
            text_column=m.text_column,
            label_space=m.label_space,
            fault_tolerant=m.fault_tolerant,
        )


class DaskLabelMatrix:
    """The votes of sources on a Dask DataFrame, computed partition by partition on demand.

    Built by :func:`weaklabel.apply` (or :func:`apply_dask`) when the data is a Dask
    collection; nothing runs until a method needs a result. Methods that compute say so.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        The examples, ``npartitions`` partitions.
    sources : sequence of Source
        Picklable sources (they are shipped to the workers).
    text_column : str, default "text"
    label_space : LabelSpace, optional
    fault_tolerant : bool, default False

    Attributes
    ----------
    frame : dask.dataframe.DataFrame
    sources : tuple of Source
    source_names : tuple of str
    label_names : tuple of str or None
    npartitions : int
    """

    def __init__(
        self,
        frame: dd.DataFrame,
        sources: Sequence[Source],
        *,
        text_column: str = "text",
        label_space: LabelSpace | None = None,
        fault_tolerant: bool = False,
    ) -> None:
        self.frame = frame
        self.sources: tuple[Source, ...] = tuple(sources)
        self.text_column = text_column
        self.label_space = label_space
        self.fault_tolerant = fault_tolerant
        self._plan = tasks.Plan(self.sources, text_column, label_space, fault_tolerant)
        self._plan_key = f"weaklabel-sources-{uuid.uuid4().hex}"
        self._part: tasks.Part | None = None
        self._lengths: tuple[int, ...] | None = None

    # ------------------------------------------------------------------ description
    @property
    def source_names(self) -> tuple[str, ...]:
        """Names of the sources, one per column."""
        return tuple(s.name for s in self.sources)

    @property
    def label_names(self) -> tuple[str, ...] | None:
        """Class names in id order, when given to ``apply``."""
        return None if self.label_space is None else self.label_space.names

    @property
    def cardinality(self) -> int | None:
        """Number of classes when label names are known, else ``None``."""
        return None if self.label_space is None else self.label_space.cardinality

    @property
    def n_sources(self) -> int:
        """Number of sources (columns)."""
        return len(self.sources)

    @property
    def npartitions(self) -> int:
        """Number of partitions of the Dask DataFrame."""
        return int(self.frame.npartitions)

    @property
    def partitions(self) -> _PartitionIndexer:
        """Select partitions, as on a Dask DataFrame: ``L.partitions[:4]`` is lazy too.

        Row positions (for tie-breaking) restart at 0 in the selection.
        """
        return _PartitionIndexer(self)

    def __repr__(self) -> str:
        labels = "" if self.label_names is None else f", labels={list(self.label_names)}"
        return (
            f"DaskLabelMatrix(npartitions={self.npartitions}, n_sources={self.n_sources}{labels})"
        )

    # ------------------------------------------------------------------ graph pieces
    def _plan_delayed(self) -> Delayed:
        from dask import delayed

        # one key for the sources: every partition task depends on it, so distributed sends
        # the (possibly large) lexicons to each worker once, not once per partition
        return delayed(self._plan, name=self._plan_key, traverse=False)

    def _partitions_delayed(self) -> list[Delayed]:
        # unoptimised keys are the frame's own partition keys: a graph that also reads the
        # frame (``frame.assign(label=L.predict(model))``) loads each partition once
        return list(self.frame.to_delayed(optimize_graph=False))

    def to_delayed(self) -> list[Delayed]:
        """One ``dask.delayed`` :class:`~weaklabel.matrix.LabelMatrix` per partition (lazy).

        The keys are deterministic, so graphs built from the same matrix share the
        labeling work when computed together.

        Returns
        -------
        list of Delayed, one per partition
            Each computes to a LabelMatrix of shape (n_rows_in_partition, n_sources).
        """
        from dask import delayed

        plan = self._plan_delayed()
        label = delayed(tasks.label_partition, pure=True)
        return [label(part, plan) for part in self._partitions_delayed()]

    # ------------------------------------------------------------------ statistics
    def _compute_stats(self) -> tasks.Part:
        import dask
        from dask import delayed

        votes = self.to_delayed()
        parts = [delayed(tasks.summarize, pure=True)(L) for L in votes]
        lengths = [delayed(tasks.length, pure=True)(L) for L in votes]
        total = _tree_reduce(parts, tasks.merge_parts, _SPLIT_EVERY)
        part, counts = dask.compute(total, lengths)
        self._lengths = tuple(int(c) for c in counts)
        self._part = part
        return part

    def stats(self) -> LabelStats:
        """Sufficient statistics of the whole matrix (computes once, then cached).

        Each partition is labeled on a worker and summarised with
        :meth:`LabelStats.from_matrix`; the summaries are merged in a tree
        (``LabelStats.merge``). The result equals ``LabelStats.from_matrix`` of the matrix
        the in-memory ``apply`` would build, and every label model fits from it:
        ``model.fit(L.stats())``. The same pass records the partition lengths and the
        per-source fault counts.

        Returns
        -------
        LabelStats
            ``n_patterns`` distinct vote patterns of shape (n_patterns, n_sources) with
            their counts; ``n_examples`` is the number of rows.

        Warns
        -----
        UserWarning
            W001 when ``fault_tolerant`` and some sources raised (counted as abstains).
        """
        part = self._part
        if part is None:
            part = self._compute_stats()
            if part.faults:
                summary = ", ".join(f"{name}: {count}" for name, count in part.faults.items())
                warnings.warn(
                    Errors.W001.format(
                        outcome="abstains",
                        summary=f"{summary}; summed over all partitions",
                        matrix="DaskLabelMatrix",
                    ),
                    stacklevel=2,
                )
        return part.stats

    @property
    def fault_counts(self) -> dict[str, int]:
        """Per source, rows that raised and were counted as abstains, over all partitions.

        Computes :meth:`stats` when it has not run yet.
        """
        if self._part is None:
            self.stats()
        assert self._part is not None
        return dict(self._part.faults)

    def partition_lengths(self) -> tuple[int, ...]:
        """Number of rows in each partition (recorded by :meth:`stats`, else computed).

        Returns
        -------
        tuple of int, one per partition
        """
        if self._lengths is None:
            counts = self.frame.map_partitions(len).compute()
            self._lengths = tuple(int(c) for c in counts)
        return self._lengths

    def __len__(self) -> int:
        """Number of examples (computes the partition lengths when unknown)."""
        return int(sum(self.partition_lengths()))

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_examples, n_sources)``; computes the partition lengths when unknown."""
        return (len(self), self.n_sources)

    # ------------------------------------------------------------------ votes
    def _votes_dtype(self, dtype: Any) -> np.dtype[Any]:
        if dtype is not None:
            return np.dtype(dtype)
        if self._part is not None:
            rows = self._part.stats.rows
            top = int(rows.max()) if rows.size else 0
            return smallest_label_dtype(max(top, (self.cardinality or 1) - 1))
        if self.cardinality is not None:
            return smallest_label_dtype(self.cardinality - 1)
        return np.dtype(np.int64)  # labels unbounded: partitions may differ in width

    def _resolve_lengths(self, lengths: bool | Sequence[int] | None) -> tuple[float, ...]:
        if lengths is True:
            return tuple(float(n) for n in self.partition_lengths())
        if lengths is None or lengths is False:
            known = self._lengths
            return (
                tuple(float(n) for n in known)
                if known is not None
                else (float("nan"),) * self.npartitions
            )
        given = tuple(float(n) for n in lengths)
        if len(given) != self.npartitions:
            raise ValueError(
                Errors.E054.format(lengths=list(lengths), npartitions=self.npartitions)
            )
        return given

    def to_dask_array(
        self, *, lengths: bool | Sequence[int] | None = None, dtype: Any = None
    ) -> da.Array:
        """The votes as a lazy Dask array, one block per partition.

        Parameters
        ----------
        lengths : bool, sequence of int or None, default None
            Rows per partition, as in ``dask.dataframe.DataFrame.to_dask_array``: ``True``
            computes them (unless :meth:`stats` already recorded them); ``None`` uses them
            when known and leaves the chunk sizes unknown (NaN) otherwise.
        dtype : dtype, optional
            Default: the smallest signed integer type for the labels (int64 when neither
            label names nor the statistics are known).

        Returns
        -------
        dask.array.Array of shape (n_examples, n_sources)
            ``-1`` = abstain.
        """
        _import_dask()
        import dask.array as da
        from dask import delayed

        sizes = self._resolve_lengths(lengths)
        out = self._votes_dtype(dtype)
        cast = delayed(tasks.as_values, pure=True)
        blocks = [
            da.from_delayed(cast(L, out), shape=(n, self.n_sources), dtype=out)
            for L, n in zip(self.to_delayed(), sizes, strict=True)
        ]
        return da.concatenate(blocks, axis=0, allow_unknown_chunksizes=True)

    def to_dask_dataframe(self, *, dtype: Any = None) -> dd.DataFrame:
        """The votes as a lazy Dask DataFrame with one column per source.

        Its partitions and index are those of :attr:`frame`, so it joins back onto the data
        (``ddf.join(L.to_dask_dataframe())``).

        Parameters
        ----------
        dtype : dtype, optional
            As in :meth:`to_dask_array`.

        Returns
        -------
        dask.dataframe.DataFrame with n_sources columns
        """
        dask = _import_dask()
        import dask.dataframe as dd
        import pandas as pd

        out = self._votes_dtype(dtype)
        meta = pd.DataFrame(
            {name: pd.Series(dtype=out) for name in self.source_names},
            index=self.frame._meta.index,
        )
        build = dask.delayed(tasks.as_frame, pure=True)
        pieces = [
            build(L, part, out)
            for L, part in zip(self.to_delayed(), self._partitions_delayed(), strict=True)
        ]
        divisions = self.frame.divisions
        return dd.from_delayed(pieces, meta=meta, divisions=divisions, verify_meta=False)

    def compute(self) -> LabelMatrix:
        """Collect the whole matrix on the client, shape (n_examples, n_sources).

        Only for data that fits in memory (debugging, small corpora): it defeats the purpose
        of Dask. Fault counts are summed over partitions.
        """
        import dask

        parts: tuple[LabelMatrix, ...] = dask.compute(*self.to_delayed())
        faults: dict[str, int] = {}
        for part in parts:
            for name, count in part.fault_counts.items():
                faults[name] = faults.get(name, 0) + int(count)
        width = [p.values.astype(np.int64) for p in parts]
        values = np.concatenate(width) if width else np.zeros((0, self.n_sources), np.int64)
        return LabelMatrix(values, self.source_names, self.label_names, fault_counts=faults)

    # ------------------------------------------------------------------ predictions
    def _check_model(self, model: BaseLabelModel) -> int:
        """Raise the model's own error when it is unfitted or fitted on other sources."""
        probe = model.predict_proba(np.zeros((0, self.n_sources), dtype=np.int64))
        return int(probe.shape[1])

    def predict_proba(self, model: BaseLabelModel) -> da.Array:
        """Class probabilities, computed partition by partition on the workers (lazy).

        The model is sent to every worker; the votes are never collected.

        Parameters
        ----------
        model : fitted label model
            Fitted on the same sources in the same order (e.g. ``model.fit(L.stats())``).

        Returns
        -------
        dask.array.Array of shape (n_examples, k), dtype float64
            One block per partition; rows sum to 1. Chunk sizes are known when
            :meth:`stats` has run (else the partition lengths are computed first).
        """
        _import_dask()
        import dask.array as da
        from dask import delayed

        k = self._check_model(model)
        lengths = self.partition_lengths()
        shipped = delayed(model, name=f"weaklabel-model-{uuid.uuid4().hex}", traverse=False)
        proba = delayed(tasks.proba, pure=True)
        blocks = [
            da.from_delayed(proba(L, shipped), shape=(n, k), dtype=np.float64)
            for L, n in zip(self.to_delayed(), lengths, strict=True)
        ]
        return da.concatenate(blocks, axis=0)

    def predict(self, model: BaseLabelModel, *, tie_break: str | None = None) -> da.Array:
        """Most probable class of each example, computed partition by partition (lazy).

        Equal, row for row, to ``model.predict(L_in_memory)`` for the ``"index"`` and
        ``"abstain"`` policies: ties are broken by the row's global position, from the
        partition lengths. ``"random"`` is seeded per partition with ``(seed, partition)``.

        Parameters
        ----------
        model : fitted label model
        tie_break : {"index", "random", "abstain"} or None, default None
            Overrides the model's ``tie_break``.

        Returns
        -------
        dask.array.Array of shape (n_examples,), dtype int64
            One block per partition, aligned with the partitions of :attr:`frame`, so
            ``frame.assign(label=L.predict(model))`` works.
        """
        _import_dask()
        import dask.array as da
        from dask import delayed

        policy = check_tie_break(model.tie_break if tie_break is None else tie_break)
        self._check_model(model)
        lengths = self.partition_lengths()
        offsets = [0, *itertools.accumulate(lengths)][:-1]
        shipped = delayed(model, name=f"weaklabel-model-{uuid.uuid4().hex}", traverse=False)
        preds = delayed(tasks.preds, pure=True)
        blocks = [
            da.from_delayed(preds(L, shipped, policy, offset, i), shape=(n,), dtype=np.int64)
            for i, (L, n, offset) in enumerate(
                zip(self.to_delayed(), lengths, offsets, strict=True)
            )
        ]
        return da.concatenate(blocks, axis=0)


# ---------------------------------------------------------------------------- entry point
def apply_dask(
    sources: Source | Callable[..., Any] | Iterable[Source | Callable[..., Any]],
    data: dd.DataFrame | dd.Series,
    *,
    text_column: str = "text",
    label_names: Sequence[str] | Mapping[int | str, str] | LabelSpace | None = None,
    fault_tolerant: bool = False,
) -> DaskLabelMatrix:
    """Apply sources to a Dask DataFrame lazily; see :class:`DaskLabelMatrix`.

    :func:`weaklabel.apply` calls this when ``data`` is a Dask collection. The checks that
    need no data (columns, source kinds, picklability) run now; the labeling runs on the
    workers when a result is asked for.

    Parameters
    ----------
    sources : source, function, or iterable of them
        As for :func:`weaklabel.apply`; each must be picklable with cloudpickle.
    data : dask.dataframe.DataFrame or dask.dataframe.Series
        The examples; a Series is taken as the text column.
    text_column : str, default "text"
    label_names : sequence of str, mapping or LabelSpace, optional
    fault_tolerant : bool, default False
        Count exceptions inside sources as abstains (summed over partitions in
        :attr:`DaskLabelMatrix.fault_counts`) instead of raising.

    Returns
    -------
    DaskLabelMatrix
        Lazy votes of shape (n_examples, n_sources).

    Raises
    ------
    SourceError
        When a column a source reads is missing, a source is not a weaklabel source, or a
        source cannot be pickled for the workers.
    """
    _import_dask()
    import dask.dataframe as dd

    source_list = as_sources(sources)
    if isinstance(data, dd.Series):
        frame = data.to_frame(name=text_column)
    elif isinstance(data, dd.DataFrame):
        frame = data
    else:
        raise SourceError(Errors.E051.format(kind=type(data).__name__))
    label_space = None if label_names is None else LabelSpace.from_any(label_names)
    columns = [str(c) for c in frame.columns]
    for source in source_list:
        if source.vectorized:
            column = source.data_column or text_column
            if column not in columns:
                raise SourceError(Errors.E035.format(column=column, columns=columns))
        elif not isinstance(source, LabelingFunction):
            raise SourceError(Errors.E034.format(what=repr(source)))
    _check_picklable(source_list)
    return DaskLabelMatrix(
        frame,
        source_list,
        text_column=text_column,
        label_space=label_space,
        fault_tolerant=fault_tolerant,
    )
