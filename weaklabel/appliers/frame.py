"""Label a table in this process: the in-memory engine behind :func:`weaklabel.apply`.

Use :func:`label_frame` when you already hold the examples as a pandas DataFrame (or a
list of texts) and want their :class:`~weaklabel.matrix.LabelMatrix` without the dispatch
of :func:`weaklabel.apply` (which also takes spaCy Docs and Dask collections): the Dask
applier calls it on every partition. Column sources (keywords, regexes, lexicons) label
the whole column at once; labeling functions run once per row
(:mod:`weaklabel.appliers.rows`), optionally in a process pool; with a cache, only the
columns of edited sources are recomputed.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel._fingerprint import digest
from weaklabel.appliers.cache import CacheLike, SourceCache, check_label_column, resolve_cache
from weaklabel.appliers.rows import label_rows_parallel, resolve_n_jobs
from weaklabel.errors import Errors, SourceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.matrix import LabelMatrix, smallest_label_dtype
from weaklabel.sources.base import Corpus, Source, unique_names
from weaklabel.sources.function import LabelingFunction

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["as_frame", "as_sources", "check_inferred_classes", "label_frame"]

SourcesLike = Source | Callable[..., Any] | Iterable[Source | Callable[..., Any]]
"""One source, a plain function, or an iterable of them."""


def as_sources(sources: SourcesLike) -> list[Source]:
    """Normalise one source, a plain function, or an iterable of them to a list."""
    items: list[Any] = (
        [sources] if isinstance(sources, Source) or callable(sources) else list(sources)
    )
    out: list[Source] = []
    for item in items:
        if isinstance(item, Source):
            out.append(item)
        elif callable(item) and hasattr(item, "__name__"):
            out.append(LabelingFunction(item.__name__, item))
        else:
            raise SourceError(Errors.E034.format(what=repr(item)))
    unique_names(out)
    return out


def as_frame(data: Any, text_column: str) -> pd.DataFrame:
    """The data as a DataFrame: a DataFrame as is; a Series or a list of texts as one column."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return pd.DataFrame({text_column: data.to_numpy()})
    if isinstance(data, str | bytes | Mapping):
        raise SourceError(Errors.E036.format(kind=type(data).__name__))
    if isinstance(data, Sequence | np.ndarray):
        return pd.DataFrame({text_column: list(data)})
    raise SourceError(Errors.E036.format(kind=type(data).__name__))


def label_frame(
    sources: SourcesLike,
    data: Any,
    *,
    text_column: str = "text",
    label_names: Sequence[str] | Mapping[int | str, str] | LabelSpace | None = None,
    cache: CacheLike = None,
    fault_tolerant: bool = False,
    n_jobs: int = 1,
    progress: bool = True,
) -> LabelMatrix:
    """Apply sources to a table in this process and return their votes.

    Parameters
    ----------
    sources, text_column, label_names, cache, fault_tolerant, n_jobs, progress
        As in :func:`weaklabel.apply`.
    data : pandas.DataFrame, pandas.Series or sequence of str
        The examples.

    Returns
    -------
    LabelMatrix of shape (n_examples, n_sources)
        One column per source in the given order. Sources that raised under
        ``fault_tolerant=True`` are counted in ``fault_counts`` (no warning here:
        :func:`weaklabel.apply` warns).

    Raises
    ------
    SourceError
        When a source raises (naming the source and the row) and ``fault_tolerant`` is
        False, or returns something that is not a label; [E045] when, without
        ``label_names``, the ids voted imply implausibly many classes
        (:func:`check_inferred_classes`).

    Warns
    -----
    UserWarning
        W004 once per column with missing rows (None, NaN, empty or whitespace-only
        text): no source votes there and labeling functions are not called; W003 once
        when damaged cache entries were recomputed, naming each file and source.
    """
    source_list = as_sources(sources)
    frame = as_frame(data, text_column)
    label_space = None if label_names is None else LabelSpace.from_any(label_names)
    workers = resolve_n_jobs(n_jobs)
    corpus = Corpus(frame, text_column)
    n = len(corpus)
    store = resolve_cache(cache)
    check = check_label_column(n, None if label_space is None else label_space.cardinality)

    columns: dict[str, np.ndarray] = {}
    keys: dict[str, str] = {}
    damaged: list[str] = []
    reads: dict[str, list[str]] = {}  # column -> the sources that read it (for W004)
    for source in source_list:
        if source.vectorized:
            column = source.data_column or text_column
            corpus.require(column)
            reads.setdefault(column, []).append(source.name)
        else:
            column = None
            if text_column in corpus.frame.columns:
                reads.setdefault(text_column, []).append(source.name)
        if store is None:
            continue
        space = "" if label_space is None else digest(label_space.names)
        key = SourceCache.key(digest([source.fingerprint(), space]), corpus.fingerprint(column))
        keys[source.name] = key
        cached, problem = store.lookup(key, check=check)
        if problem is not None:
            damaged.append(f"source {source.name!r}, {problem}")
        if cached is not None:
            columns[source.name] = cached

    faults: dict[str, int] = {}
    for source in source_list:
        if source.vectorized and source.name not in columns:
            columns[source.name] = _label_columnwise(
                source, corpus, label_space, fault_tolerant, faults
            )

    row_sources = [s for s in source_list if not s.vectorized and s.name not in columns]
    if row_sources:
        if not all(isinstance(s, LabelingFunction) for s in row_sources):
            bad = next(s for s in row_sources if not isinstance(s, LabelingFunction))
            raise SourceError(Errors.E034.format(what=repr(bad)))
        skip = corpus.missing() if text_column in corpus.frame.columns else None
        bar = _progress_bar(n, len(row_sources), progress)
        try:
            votes, counts = label_rows_parallel(
                row_sources,  # type: ignore[arg-type]
                corpus.frame,
                label_space,
                n_jobs=workers,
                fault_tolerant=fault_tolerant,
                progress=bar,
                skip=skip,
            )
        finally:
            if bar is not None:
                bar.close()
        for j, source in enumerate(row_sources):
            columns[source.name] = _compact(votes[:, j])
            if counts[j]:
                faults[source.name] = int(counts[j])

    if store is not None:
        for source in source_list:
            if source.name not in faults:
                store.put(keys[source.name], columns[source.name])

    max_label = max((int(c.max()) for c in columns.values() if len(c)), default=0)
    values = np.empty((n, len(source_list)), dtype=np.int64 if max_label > 126 else np.int8)
    for j, source in enumerate(source_list):
        values[:, j] = columns[source.name]
    names = tuple(s.name for s in source_list)
    if label_space is None:
        check_inferred_classes(values, names)
    if damaged:
        warnings.warn(
            Errors.W003.format(count=len(damaged), details="; ".join(damaged)), stacklevel=3
        )
    _warn_missing(corpus, reads, n)
    return LabelMatrix(
        values,
        names,
        None if label_space is None else label_space.names,
        fault_counts=faults,
    )


def check_inferred_classes(values: np.ndarray, source_names: Sequence[str]) -> None:
    """Refuse class ids that imply implausibly many classes when no label names are given.

    Without label names the number of classes is inferred as ``k = largest id + 1``. That
    is accepted only when ``k <= max(2, 2 * d)``, ``d`` being the number of distinct ids
    voted: at least half of the implied classes get a vote. A labeling function that
    returns 99 in a task whose other ids are 0 and 1 is refused rather than turned into
    100 classes, 97 of them empty.

    Parameters
    ----------
    values : ndarray of shape (n_examples, n_sources)
        Votes, ``-1`` for abstain.
    source_names : sequence of str
        One name per column, for the message.

    Raises
    ------
    SourceError
        [E045], naming the source that voted the largest id, the id, its first row and
        the ids voted.
    """
    if values.size == 0:
        return
    top = int(values.max())
    if top < 2:
        return
    ids = np.unique(values[values >= 0])
    if top + 1 <= max(2, 2 * len(ids)):
        return
    row, col = (int(i) for i in np.argwhere(values == top)[0])
    shown = [int(i) for i in ids[:12]] + (["..."] if len(ids) > 12 else [])
    raise SourceError(
        Errors.E045.format(source=source_names[col], value=top, row=row, k=top + 1, ids=shown)
    )


def _warn_missing(corpus: Corpus, reads: Mapping[str, list[str]], n: int) -> None:
    """W004 for each column read by some source that has rows without text."""
    for column, readers in reads.items():
        count = int(corpus.missing(column).sum())
        if count:
            who = (
                f"the {len(readers)} sources reading it"
                if len(readers) > 1
                else f"source {readers[0]!r}"
            )
            if 1 < len(readers) <= 5:
                who = "the sources " + ", ".join(repr(r) for r in readers)
            warnings.warn(
                Errors.W004.format(count=count, n=n, column=column, who=who), stacklevel=4
            )


def _label_columnwise(
    source: Source,
    corpus: Corpus,
    label_space: LabelSpace | None,
    fault_tolerant: bool,
    faults: dict[str, int],
) -> np.ndarray:
    try:
        column = np.array(source.label_corpus(corpus, label_space), dtype=np.int64)
    except SourceError:
        raise
    except Exception as exc:
        if not fault_tolerant:
            raise SourceError(
                Errors.E030.format(
                    source=source.name,
                    exc_type=type(exc).__name__,
                    row="(whole column)",
                    exc=exc,
                    preview="-",
                )
            ) from exc
        faults[source.name] = len(corpus)
        return np.full(len(corpus), -1, dtype=np.int64)
    if column.shape != (len(corpus),):
        raise SourceError(
            Errors.E037.format(
                source=source.name,
                problem=f"returned an array of shape {column.shape}; expected ({len(corpus)},).",
            )
        )
    column[corpus.missing(source.data_column)] = ABSTAIN  # no vote where there is no text
    # A source that reports rows it could not label (an LLM request that failed) abstained
    # there: the column is counted in fault_counts and never cached, so a re-run retries.
    reported = int(getattr(source, "last_faults", 0) or 0)
    if reported > 0:
        faults[source.name] = reported
    return _compact(column)


def _compact(column: np.ndarray) -> np.ndarray:
    """A label column in the smallest signed dtype that holds it (int8 for most tasks)."""
    top = int(column.max()) if column.size else 0
    return column.astype(smallest_label_dtype(top), copy=False)


def _progress_bar(n: int, n_sources: int, enabled: bool) -> Any:
    if not enabled or n == 0:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=n, desc=f"labeling functions ({n_sources})", unit="row", leave=False)
