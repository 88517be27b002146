"""``apply``: run sources over data and collect their votes in a :class:`LabelMatrix`.

Use it as the one entry point from data to label matrix. Column sources (keywords,
regexes, lexicons) label the whole column at once; labeling functions run once per row
with a progress bar, optionally in a process pool. With a cache, re-applying after
editing one source recomputes only that source's column.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from weaklabel._fingerprint import digest
from weaklabel.appliers.cache import SourceCache, default_cache
from weaklabel.appliers.rows import label_rows_parallel, resolve_n_jobs
from weaklabel.errors import Errors, ParameterError, SourceError
from weaklabel.labels import LabelSpace
from weaklabel.matrix import LabelMatrix, smallest_label_dtype
from weaklabel.sources.base import Corpus, Source, unique_names
from weaklabel.sources.function import LabelingFunction

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc

    from weaklabel.appliers.dask import DaskCollection, DaskLabelMatrix
    from weaklabel.tokens import TokenMatrix

CacheLike = SourceCache | str | Path | bool | None


def as_sources(sources: Source | Callable[..., Any] | Iterable[Any]) -> list[Source]:
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


def _resolve_cache(cache: CacheLike) -> SourceCache | None:
    if cache is None or cache is False:
        return None
    if cache is True:
        return default_cache()
    if isinstance(cache, SourceCache):
        return cache
    return SourceCache(cache)


SourcesLike = Source | Callable[..., Any] | Iterable[Source | Callable[..., Any]]
LabelNamesLike = Sequence[str] | Mapping[int | str, str] | LabelSpace | None


@overload
def apply(
    sources: SourcesLike,
    data: DaskCollection,
    *,
    text_column: str = ...,
    label_names: LabelNamesLike = ...,
    cache: CacheLike = ...,
    fault_tolerant: bool = ...,
    n_jobs: int = ...,
    progress: bool = ...,
) -> DaskLabelMatrix: ...
@overload
def apply(
    sources: Any,
    data: Doc | Sequence[Doc],
    *,
    text_column: str = ...,
    label_names: LabelNamesLike = ...,
    cache: CacheLike = ...,
    fault_tolerant: bool = ...,
    n_jobs: int = ...,
    progress: bool = ...,
) -> TokenMatrix: ...
@overload
def apply(
    sources: SourcesLike,
    data: Any,
    *,
    text_column: str = ...,
    label_names: LabelNamesLike = ...,
    cache: CacheLike = ...,
    fault_tolerant: bool = ...,
    n_jobs: int = ...,
    progress: bool = ...,
) -> LabelMatrix: ...
def apply(
    sources: SourcesLike,
    data: Any,
    *,
    text_column: str = "text",
    label_names: LabelNamesLike = None,
    cache: CacheLike = None,
    fault_tolerant: bool = False,
    n_jobs: int = 1,
    progress: bool = True,
) -> LabelMatrix | DaskLabelMatrix | TokenMatrix:
    """Apply sources to data and return their votes.

    Parameters
    ----------
    sources : source, function, or iterable of them
        Keyword/regex/lexicon sources, labeling functions, or plain functions
        ``f(x) -> label`` (wrapped as labeling functions named after the function).
    data : pandas.DataFrame, pandas.Series, sequence of str, Dask DataFrame/Series, or Docs
        The examples. A spaCy ``Doc`` or a list of them is labeled by span sources
        (``doc.spans[source_name]``, skweak's convention) into a token-level
        :class:`~weaklabel.tokens.TokenMatrix`; ``label_names`` are then the entity types
        (see :func:`weaklabel.appliers.spans.apply_spans`). A DataFrame must hold
        ``text_column``; labeling functions see every column of it (``x.text``,
        ``x.author``...). A Dask collection is labeled lazily, partition by partition:
        see :func:`weaklabel.appliers.dask.apply_dask`.
    text_column : str, default "text"
        Column holding the text.
    label_names : sequence of str, mapping or LabelSpace, optional
        Class names in id order. Needed when sources vote by name ("SPAM"); stored on
        the returned matrix.
    cache : SourceCache, path, bool or None, default None
        ``True`` uses a process-wide in-memory cache; a path caches columns on disk;
        ``None``/``False`` disables caching.
    fault_tolerant : bool, default False
        Count exceptions raised inside sources as abstains (reported per source in
        ``LabelMatrix.fault_counts`` and in a warning) instead of raising.
    n_jobs : int, default 1
        Worker processes for labeling functions (``-1`` = all cores).
    progress : bool, default True
        Show a progress bar while labeling functions run.

    Returns
    -------
    LabelMatrix, DaskLabelMatrix or TokenMatrix
        Votes of shape (n_examples, n_sources), one column per source in the given order;
        a lazy :class:`~weaklabel.appliers.dask.DaskLabelMatrix` for Dask input (``cache``,
        ``n_jobs`` and ``progress`` do not apply to it).

    Raises
    ------
    SourceError
        When a source raises (naming the source and the row) and ``fault_tolerant`` is
        False, or returns something that is not a label.
    """
    from weaklabel.appliers.spans import is_doc_sequence  # light: never imports spaCy

    if is_doc_sequence(data):  # spaCy Docs: span sources -> token-level matrix
        from weaklabel.appliers.spans import apply_spans

        if n_jobs != 1:
            raise ParameterError(Errors.E043.format(n_jobs=n_jobs))
        entity_types = None  # entity types: one is enough, unlike class names
        if isinstance(label_names, LabelSpace):
            entity_types = list(label_names.names)
        elif isinstance(label_names, Mapping):
            entity_types = [str(label_names[k]) for k in sorted(label_names, key=int)]
        elif label_names is not None:
            entity_types = [str(name) for name in label_names]
        return apply_spans(
            sources,  # type: ignore[arg-type]
            data,
            entity_types=entity_types,
            cache=cache,
            fault_tolerant=fault_tolerant,
            progress=progress,
        )
    source_list = as_sources(sources)
    from weaklabel.appliers.dask import is_dask_collection  # light: never imports dask

    if is_dask_collection(data):
        from weaklabel.appliers.dask import apply_dask, check_dask_options

        check_dask_options(cache=cache, n_jobs=n_jobs)
        return apply_dask(
            source_list,
            data,
            text_column=text_column,
            label_names=label_names,
            fault_tolerant=fault_tolerant,
        )
    frame = as_frame(data, text_column)
    label_space = None if label_names is None else LabelSpace.from_any(label_names)
    workers = resolve_n_jobs(n_jobs)
    corpus = Corpus(frame, text_column)
    n = len(corpus)
    store = _resolve_cache(cache)

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
    if faults:
        summary = ", ".join(f"{name}: {count}" for name, count in faults.items())
        warnings.warn(
            Errors.W001.format(summary=summary),
            stacklevel=2,
        )
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
