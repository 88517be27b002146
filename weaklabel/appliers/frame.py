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

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel._fingerprint import digest
from weaklabel.appliers.cache import CacheLike, SourceCache, resolve_cache
from weaklabel.appliers.rows import label_rows_parallel, resolve_n_jobs
from weaklabel.errors import Errors, SourceError
from weaklabel.labels import LabelSpace
from weaklabel.matrix import LabelMatrix, smallest_label_dtype
from weaklabel.sources.base import Corpus, Source, unique_names
from weaklabel.sources.function import LabelingFunction

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["as_frame", "as_sources", "label_frame"]

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
        False, or returns something that is not a label.
    """
    source_list = as_sources(sources)
    frame = as_frame(data, text_column)
    label_space = None if label_names is None else LabelSpace.from_any(label_names)
    workers = resolve_n_jobs(n_jobs)
    corpus = Corpus(frame, text_column)
    n = len(corpus)
    store = resolve_cache(cache)

    columns: dict[str, np.ndarray] = {}
    keys: dict[str, str] = {}
    for source in source_list:
        if source.vectorized:
            column = source.data_column or text_column
            corpus.require(column)
        else:
            column = None
        if store is None:
            continue
        space = "" if label_space is None else digest(label_space.names)
        key = SourceCache.key(digest([source.fingerprint(), space]), corpus.fingerprint(column))
        keys[source.name] = key
        cached = store.get(key)
        if cached is not None and len(cached) == n:
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
        bar = _progress_bar(n, len(row_sources), progress)
        try:
            votes, counts = label_rows_parallel(
                row_sources,  # type: ignore[arg-type]
                corpus.frame,
                label_space,
                n_jobs=workers,
                fault_tolerant=fault_tolerant,
                progress=bar,
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
    return LabelMatrix(
        values,
        tuple(s.name for s in source_list),
        None if label_space is None else label_space.names,
        fault_counts=faults,
    )


def _label_columnwise(
    source: Source,
    corpus: Corpus,
    label_space: LabelSpace | None,
    fault_tolerant: bool,
    faults: dict[str, int],
) -> np.ndarray:
    try:
        column = np.asarray(source.label_corpus(corpus, label_space), dtype=np.int64)
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
