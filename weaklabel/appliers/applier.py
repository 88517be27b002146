"""``apply``: run sources over data and collect their votes in a :class:`LabelMatrix`.

Use it as the one entry point from data to label matrix. It hands the data to the applier
that fits it: a table (DataFrame, Series, list of texts) is labeled in this process by
:func:`~weaklabel.appliers.frame.label_frame` (column sources at once, labeling functions
row by row, optionally in a process pool, with a per-source cache); spaCy Docs go to
:func:`~weaklabel.appliers.spans.apply_spans`; a Dask collection to
:func:`~weaklabel.appliers.dask.apply_dask`, lazily.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, Unpack, overload

from weaklabel.appliers.cache import CacheLike
from weaklabel.appliers.frame import SourcesLike, as_frame, as_sources, label_frame
from weaklabel.errors import Errors, ParameterError
from weaklabel.labels import LabelSpace
from weaklabel.matrix import LabelMatrix

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from weaklabel.appliers.dask import DaskCollection, DaskLabelMatrix
    from weaklabel.tokens import TokenMatrix

__all__ = ["apply", "as_frame", "as_sources"]

LabelNamesLike = Sequence[str] | Mapping[int | str, str] | LabelSpace | None


class _Options(TypedDict, total=False):
    """The keyword arguments of :func:`apply`, for its typed overloads."""

    text_column: str
    label_names: LabelNamesLike
    cache: CacheLike
    fault_tolerant: bool
    n_jobs: int
    progress: bool


@overload
def apply(
    sources: SourcesLike, data: DaskCollection, **options: Unpack[_Options]
) -> DaskLabelMatrix: ...
@overload
def apply(sources: Any, data: Doc | Sequence[Doc], **options: Unpack[_Options]) -> TokenMatrix: ...
@overload
def apply(sources: SourcesLike, data: Any, **options: Unpack[_Options]) -> LabelMatrix: ...
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
        :class:`~weaklabel.tokens.TokenMatrix`; ``label_names`` are then the span labels
        (entity types; see :func:`weaklabel.appliers.spans.apply_spans`). A DataFrame must hold
        ``text_column``; labeling functions see every column of it (``x.text``,
        ``x.author``...). A Dask collection is labeled lazily, partition by partition:
        see :func:`weaklabel.appliers.dask.apply_dask`.
    text_column : str, default "text"
        Column holding the text.
    label_names : sequence of str, mapping or LabelSpace, optional
        Class names in id order (for Docs: the span labels to keep; spans of other labels
        are left out with a warning W005). Needed when sources vote by name ("SPAM");
        stored on the returned matrix. Without it the classes are inferred from the ids
        voted, within a plausible range (see
        :func:`~weaklabel.appliers.frame.check_inferred_classes`).
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
        False, or returns something that is not a label; [E045] when, without
        ``label_names``, the ids voted imply implausibly many classes.

    Warns
    -----
    UserWarning
        W004 when rows have no text (None, NaN, empty or whitespace only): no source votes
        on them, and the warning counts them; W003 when damaged cache entries were
        recomputed; W001 for faults counted under ``fault_tolerant``.
    """
    from weaklabel.appliers.spans import is_doc_sequence  # light: never imports spaCy

    if is_doc_sequence(data):  # spaCy Docs: span sources -> token-level matrix
        from weaklabel.appliers.spans import apply_spans

        if n_jobs != 1:
            raise ParameterError(Errors.E043.format(n_jobs=n_jobs))
        return apply_spans(
            sources,  # type: ignore[arg-type]
            data,
            label_names=label_names,
            cache=cache,
            fault_tolerant=fault_tolerant,
            progress=progress,
        )
    from weaklabel.appliers.dask import is_dask_collection  # light: never imports dask

    if is_dask_collection(data):
        from weaklabel.appliers.dask import apply_dask, check_dask_options

        source_list = as_sources(sources)
        check_dask_options(cache=cache, n_jobs=n_jobs)
        return apply_dask(
            source_list,
            data,
            text_column=text_column,
            label_names=label_names,
            fault_tolerant=fault_tolerant,
        )
    matrix = label_frame(
        sources,
        data,
        text_column=text_column,
        label_names=label_names,
        cache=cache,
        fault_tolerant=fault_tolerant,
        n_jobs=n_jobs,
        progress=progress,
    )
    if matrix.fault_counts:
        summary = ", ".join(f"{name}: {count}" for name, count in matrix.fault_counts.items())
        warnings.warn(
            Errors.W001.format(outcome="abstains", summary=summary, matrix="LabelMatrix"),
            stacklevel=2,
        )
    return matrix
