"""``TokenMatrix``: the votes of span sources on every token, as BIO tags, one array per doc.

Use it as the hand-off between span sources and a sequence label model (named entities),
the way :class:`~weaklabel.matrix.LabelMatrix` is for documents. Each source's spans on a
document become one BIO tag per token (``O``, ``B-X``, ``I-X``); each document is an
``(n_tokens, n_sources)`` array of tag ids, so document boundaries are kept.

* :meth:`TokenMatrix.from_docs` reads ``doc.spans[source_name]`` (the convention skweak
  uses); :meth:`TokenMatrix.from_tags` reads WRENCH's sequence format (one list of tags
  per source per token); :meth:`TokenMatrix.to_docs` writes the spans back.
* Tags and spans are read and written by :mod:`weaklabel.tags`
  (:func:`~weaklabel.tags.bio_to_spans`, :func:`~weaklabel.tags.spans_to_bio`,
  :data:`~weaklabel.tags.SpanTuple`, also importable from here); a model's predictions go
  back onto the docs with :func:`~weaklabel.predictions.write_spans` (also importable from
  here).

The tag ids are fixed by the entity types: ``tag_names == ("O", "B-X1", "I-X1", "B-X2",
"I-X2", ...)`` in the order of ``entity_types``. A source that has no span on a token votes
``O`` (id 0) there: BIO sources have no separate abstain.

spaCy is needed only by the methods that read or write ``Doc`` objects.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from weaklabel.errors import Errors, ParameterError, SourceError
from weaklabel.matrix import LabelMatrix, smallest_label_dtype
from weaklabel.predictions import write_spans
from weaklabel.tags import (
    SpanTuple,
    bio_to_spans,
    check_entity_types,
    resolve_overlaps,
    spans_to_bio,
    split_tag,
    tag_names_for,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "SpanTuple",
    "TokenMatrix",
    "bio_to_spans",
    "resolve_overlaps",
    "spans_to_bio",
    "tag_names_for",
    "write_spans",
]


def _ids_to_spans(ids: np.ndarray, tag_names: Sequence[str]) -> list[SpanTuple]:
    """Spans of one tag-id column (tolerant, as :func:`bio_to_spans`)."""
    nz = np.flatnonzero(ids)
    if len(nz) == 0:
        return []
    return bio_to_spans([tag_names[int(t)] for t in ids])


def types_keyword(
    entity_types: Sequence[str] | None, label_names: Sequence[str] | None, where: str
) -> Sequence[str] | None:
    """``label_names=`` (the word ``apply`` and the models use) or ``entity_types=``."""
    if label_names is not None and entity_types is not None:
        raise TypeError(
            f"{where}() got both label_names= and entity_types=; they name the same "
            "thing: pass label_names= only."
        )
    return label_names if label_names is not None else entity_types


# -------------------------------------------------------------------------- the matrix
@dataclass(frozen=True, eq=False)
class TokenMatrix:
    """BIO votes of ``n_sources`` span sources on the tokens of ``n_docs`` documents.

    Parameters
    ----------
    weak : sequence of array-like, each of shape (n_tokens_i, n_sources)
        One integer array per document: ``weak[i][t, j]`` is the id (into
        ``tag_names``) of the tag source ``j`` gives token ``t`` of document ``i``.
        Stored with the smallest signed integer dtype that fits, read-only.
    source_names : sequence of str
        One unique name per column.
    entity_types : sequence of str
        The entity types, in the order that fixes the tag ids.
    fault_counts : mapping of str to int, optional
        Per source, how many documents raised and were left without spans by a
        fault-tolerant :func:`~weaklabel.appliers.spans.apply_spans`.

    Attributes
    ----------
    weak : list of ndarray of shape (n_tokens_i, n_sources)
    source_names : tuple of str
    entity_types : tuple of str
    tag_names : tuple of str
        ``("O", "B-X1", "I-X1", ...)``: id ``0`` is ``O``.
    lengths : ndarray of shape (n_docs,)
        Tokens per document.

    Examples
    --------
    >>> tm = TokenMatrix.from_tags(
    ...     [[["B-PER", "O"], ["I-PER", "O"], ["O", "B-LOC"]]], ["a", "b"], ["PER", "LOC"]
    ... )
    >>> tm.tag_names
    ('O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC')
    >>> tm.weak[0].tolist()
    [[1, 0], [2, 0], [0, 3]]
    """

    weak: list[np.ndarray]
    source_names: tuple[str, ...]
    entity_types: tuple[str, ...]
    fault_counts: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = tuple(str(n) for n in self.source_names)
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            raise ParameterError(Errors.E033.format(name=dupes[0]))
        types = check_entity_types(self.entity_types)
        n_tags = 1 + 2 * len(types)
        dtype = smallest_label_dtype(n_tags - 1)
        arrays: list[np.ndarray] = []
        for i, raw in enumerate(self.weak):
            arr = np.asarray(raw)
            if arr.ndim == 1 and arr.size == 0:
                arr = arr.reshape(0, len(names))
            if arr.ndim != 2 or arr.shape[1] != len(names):
                raise ParameterError(
                    Errors.E513.format(
                        doc=i,
                        shape=arr.shape,
                        n_tokens=arr.shape[0] if arr.ndim else "n_tokens",
                        n_sources=len(names),
                    )
                )
            if arr.size and (arr.dtype.kind not in "iu" or arr.min() < 0 or arr.max() >= n_tags):
                bad = arr[(arr < 0) | (arr >= n_tags)] if arr.dtype.kind in "iuf" else arr
                raise ParameterError(
                    Errors.E514.format(
                        doc=i,
                        value=bad.ravel()[0] if bad.size else arr.dtype,
                        max_id=n_tags - 1,
                        tag_names=list(tag_names_for(types)),
                    )
                )
            out = np.array(arr, dtype=dtype, copy=True)
            out.flags.writeable = False
            arrays.append(out)
        object.__setattr__(self, "weak", arrays)
        object.__setattr__(self, "source_names", names)
        object.__setattr__(self, "entity_types", types)
        object.__setattr__(self, "fault_counts", dict(self.fault_counts))

    # ------------------------------------------------------------------- basic views
    @property
    def label_names(self) -> tuple[str, ...]:
        """The entity types, under the name ``apply`` and the label models use."""
        return self.entity_types

    @property
    def tag_names(self) -> tuple[str, ...]:
        """``("O", "B-X1", "I-X1", ...)`` for ``entity_types`` ``(X1, ...)``."""
        return tag_names_for(self.entity_types)

    @property
    def n_tags(self) -> int:
        """``1 + 2 * len(entity_types)``."""
        return 1 + 2 * len(self.entity_types)

    @property
    def lengths(self) -> np.ndarray:
        """Tokens per document, shape (n_docs,)."""
        return np.array([len(w) for w in self.weak], dtype=np.int64)

    @property
    def n_docs(self) -> int:
        """Number of documents."""
        return len(self.weak)

    @property
    def n_sources(self) -> int:
        """Number of sources (columns)."""
        return len(self.source_names)

    @property
    def n_tokens(self) -> int:
        """Number of tokens over all documents."""
        return int(self.lengths.sum())

    def __len__(self) -> int:
        return self.n_docs

    def __repr__(self) -> str:
        return (
            f"TokenMatrix(n_docs={self.n_docs}, n_tokens={self.n_tokens}, "
            f"n_sources={self.n_sources}, entity_types={list(self.entity_types)})"
        )

    def equals(self, other: TokenMatrix) -> bool:
        """Same sources, entity types and votes (fault counts are not compared)."""
        return (
            self.source_names == other.source_names
            and self.entity_types == other.entity_types
            and len(self.weak) == len(other.weak)
            and all(np.array_equal(a, b) for a, b in zip(self.weak, other.weak, strict=True))
        )

    def to_flat(self) -> tuple[np.ndarray, np.ndarray]:
        """All documents stacked.

        Returns
        -------
        values : ndarray of shape (n_tokens_total, n_sources)
            The documents' arrays, concatenated in order.
        offsets : ndarray of shape (n_docs + 1,)
            Document ``i`` is ``values[offsets[i]:offsets[i + 1]]``.
        """
        offsets = np.zeros(self.n_docs + 1, dtype=np.int64)
        np.cumsum(self.lengths, out=offsets[1:])
        if not self.weak:
            return np.zeros((0, self.n_sources), dtype=np.int8), offsets
        return np.concatenate(self.weak, axis=0), offsets

    @classmethod
    def from_flat(
        cls,
        values: np.ndarray,
        offsets: Sequence[int] | np.ndarray,
        source_names: Sequence[str],
        entity_types: Sequence[str],
    ) -> TokenMatrix:
        """Inverse of :meth:`to_flat`.

        Parameters
        ----------
        values : ndarray of shape (n_tokens_total, n_sources)
        offsets : array-like of shape (n_docs + 1,)
        source_names, entity_types : sequence of str
        """
        offsets = np.asarray(offsets, dtype=np.int64)
        values = np.asarray(values)
        return cls(
            [values[a:b] for a, b in itertools.pairwise(offsets)],
            tuple(source_names),
            tuple(entity_types),
        )

    def source_index(self, name: str) -> int:
        """The column of source ``name``."""
        try:
            return self.source_names.index(name)
        except ValueError:
            raise ParameterError(
                Errors.E026.format(name=name, names=list(self.source_names))
            ) from None

    def select_sources(self, names: Sequence[str]) -> TokenMatrix:
        """A matrix with only the sources ``names``, in that order."""
        cols = [self.source_index(n) for n in names]
        return TokenMatrix(
            [w[:, cols] for w in self.weak],
            tuple(names),
            self.entity_types,
            {n: c for n, c in self.fault_counts.items() if n in names},
        )

    def select_docs(self, indices: Sequence[int] | slice | np.ndarray) -> TokenMatrix:
        """A matrix with only some documents (e.g. a train/test split)."""
        if isinstance(indices, slice):
            weak = self.weak[indices]
        else:
            weak = [self.weak[int(i)] for i in np.asarray(indices).ravel()]
        return TokenMatrix(weak, self.source_names, self.entity_types)

    def source_tags(self, name: str) -> list[list[str]]:
        """The BIO tags of one source, one list per document."""
        j = self.source_index(name)
        tags = self.tag_names
        return [[tags[int(t)] for t in w[:, j]] for w in self.weak]

    def spans(self, name: str) -> list[list[SpanTuple]]:
        """The spans of one source, one list of ``(start, end, label)`` per document."""
        j = self.source_index(name)
        tags = self.tag_names
        return [_ids_to_spans(w[:, j], tags) for w in self.weak]

    def to_label_matrix(self, *, o_as_abstain: bool = True) -> LabelMatrix:
        """The votes as a token-level :class:`~weaklabel.matrix.LabelMatrix`.

        Parameters
        ----------
        o_as_abstain : bool, default True
            Turn ``O`` (no span) into ``-1`` (abstain), so that a document-level label
            model counts only the sources that put a span on a token.

        Returns
        -------
        LabelMatrix of shape (n_tokens_total, n_sources)
            Label names are ``tag_names``; rows follow :meth:`to_flat`.
        """
        values, _ = self.to_flat()
        values = values.astype(np.int64)
        if o_as_abstain:
            values[values == 0] = -1
        return LabelMatrix(values, self.source_names, self.tag_names)

    # ---------------------------------------------------------------- constructors
    @classmethod
    def from_spans(
        cls,
        spans: Sequence[Sequence[Sequence[SpanTuple]]],
        lengths: Sequence[int],
        source_names: Sequence[str],
        entity_types: Sequence[str] | None = None,
        *,
        label_names: Sequence[str] | None = None,
    ) -> TokenMatrix:
        """Build from spans given as tuples, without spaCy.

        Parameters
        ----------
        spans : sequence (per document) of sequence (per source) of (start, end, label)
        lengths : sequence of int of length n_docs
            Tokens per document.
        source_names : sequence of str
        entity_types, label_names : sequence of str, optional
            Defaults to the sorted labels of all spans. Spans of other labels are left
            out, with one warning [W005] counting them per source and label (and saying
            when a label differs from one of the space only in case).
            Overlapping spans of one source are resolved longest first
            (:func:`resolve_overlaps`).
        """
        names = tuple(source_names)
        if len(spans) != len(lengths):
            raise ParameterError(
                Errors.E515.format(n_docs=len(lengths), n_values=len(spans), what="span lists")
            )
        entity_types = types_keyword(entity_types, label_names, "TokenMatrix.from_spans")
        if entity_types is None:
            entity_types = sorted({s[2] for doc in spans for group in doc for s in group})
        types = check_entity_types(entity_types)
        index = {t: k for k, t in enumerate(types)}
        dtype = smallest_label_dtype(2 * len(types))
        weak = []
        outside: Counter[tuple[str, str]] = Counter()
        for d, (doc_spans, n) in enumerate(zip(spans, lengths, strict=True)):
            if len(doc_spans) != len(names):
                raise ParameterError(
                    Errors.E023.format(n_names=len(names), n_columns=len(doc_spans))
                )
            arr = np.zeros((int(n), len(names)), dtype=dtype)
            for j, group in enumerate(doc_spans):
                _fill_column(arr, j, group, index, names[j], d, outside)
            weak.append(arr)
        if outside:
            warn_outside_labels(outside, types)
        return cls(weak, names, types)

    @classmethod
    def from_docs(
        cls,
        docs: Sequence[Doc],
        source_names: Sequence[str],
        entity_types: Sequence[str] | None = None,
        *,
        missing: str = "raise",
        label_names: Sequence[str] | None = None,
    ) -> TokenMatrix:
        """Read the spans of ``source_names`` from ``doc.spans`` of every doc.

        Parameters
        ----------
        docs : sequence of spacy.tokens.Doc
        source_names : sequence of str
            Span-group keys, one column each.
        entity_types, label_names : sequence of str, optional
            Defaults to the sorted labels found in those span groups. Spans whose label
            is not among them are left out of the matrix (they stay in ``doc.spans``),
            with one warning [W005] counting them per source and label: a skweak
            annotator's ``DATE`` when you label ``PER`` and ``ORG``, or a gazetteer's
            ``GPE`` when the space says ``LOC``. Rename or drop such labels at the source
            with its ``label_map=`` (gazetteer, lexicon and spaCy sources have one).
        missing : {"raise", "empty"}, default "raise"
            What a doc without one of the span groups means: an error (usually a typo in
            a source name) or no spans.

        Returns
        -------
        TokenMatrix

        Notes
        -----
        Overlapping spans of one source on one doc are resolved longest first: the
        longest span wins, then the earlier one, then the one listed first
        (:func:`resolve_overlaps`).
        """
        names = tuple(source_names)
        spans: list[list[list[SpanTuple]]] = []
        for d, doc in enumerate(docs):
            groups = doc.spans
            row: list[list[SpanTuple]] = []
            for name in names:
                if name in groups:
                    row.append([(s.start, s.end, s.label_) for s in groups[name]])
                elif missing == "empty":
                    row.append([])
                else:
                    raise SourceError(Errors.E505.format(doc=d, name=name, keys=list(groups)))
            spans.append(row)
        types = types_keyword(entity_types, label_names, "TokenMatrix.from_docs")
        return cls.from_spans(spans, [len(doc) for doc in docs], names, types)

    @classmethod
    def from_tags(
        cls,
        tags: Sequence[Sequence[Sequence[str]]],
        source_names: Sequence[str],
        entity_types: Sequence[str] | None = None,
        *,
        label_names: Sequence[str] | None = None,
    ) -> TokenMatrix:
        """Build from tag strings in WRENCH's sequence layout.

        Parameters
        ----------
        tags : sequence (per document) of sequence (per token) of sequence (per source)
            of str
            ``tags[i][t][j]`` is the tag source ``j`` gives token ``t`` of document
            ``i``, as in WRENCH's ``weak_labels``. Kept as given (an ``I-X`` after
            ``O`` stays ``I-X``).
        source_names : sequence of str
        entity_types, label_names : sequence of str, optional
            Defaults to the sorted entity types found in the tags.

        Returns
        -------
        TokenMatrix
        """
        names = tuple(source_names)
        arrays = [np.asarray(doc, dtype=object).reshape(len(doc), -1) for doc in tags]
        entity_types = types_keyword(entity_types, label_names, "TokenMatrix.from_tags")
        if entity_types is None:
            seen: set[str] = set()
            for arr in arrays:
                seen.update(str(t) for t in np.unique(arr.astype(str)))
            found = set()
            for tag in seen:
                try:
                    prefix, kind = split_tag(tag)
                except ValueError:
                    continue  # reported with its position below
                if prefix != "O":
                    found.add(kind)
            entity_types = sorted(found)
        types = check_entity_types(entity_types)
        tag_ids = {t: i for i, t in enumerate(tag_names_for(types))}
        weak = []
        for d, arr in enumerate(arrays):
            if arr.size and arr.shape[1] != len(names):
                raise ParameterError(
                    Errors.E513.format(
                        doc=d, shape=arr.shape, n_tokens=arr.shape[0], n_sources=len(names)
                    )
                )
            uniq, inverse = np.unique(arr.astype(str), return_inverse=True)
            lookup = np.empty(len(uniq), dtype=np.int64)
            for k, tag in enumerate(uniq.tolist()):
                if tag not in tag_ids:
                    t, j = np.argwhere(arr.astype(str) == tag)[0]
                    raise ParameterError(
                        Errors.E510.format(
                            tag=tag,
                            token=int(t),
                            doc=d,
                            where=f" (source {names[int(j)]!r})",
                            types=list(types),
                        )
                    )
                lookup[k] = tag_ids[tag]
            weak.append(lookup[inverse.reshape(arr.shape)] if arr.size else arr.astype(np.int8))
        return cls(weak, names, types)

    # ------------------------------------------------------------------------ back
    def to_docs(self, docs: Sequence[Doc], *, prefix: str = "") -> Sequence[Doc]:
        """Write every source's spans back as ``doc.spans[prefix + source_name]``.

        The inverse of :meth:`from_docs` up to overlaps: each source's spans are those of
        its BIO column, so overlapping spans resolved away are not restored.

        Parameters
        ----------
        docs : sequence of spacy.tokens.Doc
            The documents the matrix was built from (same number, same lengths).
        prefix : str, default ""
            Prepended to each span-group key.

        Returns
        -------
        the same docs, changed in place
        """
        _check_doc_lengths(docs, self.lengths)
        from spacy.tokens import Span

        tags = self.tag_names
        for doc, w in zip(docs, self.weak, strict=True):
            for j, name in enumerate(self.source_names):
                doc.spans[prefix + name] = [
                    Span(doc, s, e, label) for s, e, label in _ids_to_spans(w[:, j], tags)
                ]
        return docs


def warn_outside_labels(outside: Mapping[tuple[str, str], int], types: Sequence[str]) -> None:
    """Warn [W005] about spans left out because their label is not in the label space.

    Parameters
    ----------
    outside : mapping of (source, label) to int
        How many spans of each source had each label outside ``types``.
    types : sequence of str
        The label space (entity types).
    """
    import warnings

    ranked = sorted(outside.items(), key=lambda item: (-item[1], item[0]))
    shown = [
        f"{source}: {count} span(s) labelled {label!r}" for (source, label), count in ranked[:8]
    ]
    if len(ranked) > 8:
        shown.append(f"... ({len(ranked) - 8} more)")
    folded = {t.casefold(): t for t in types}
    near = sorted(
        {
            f"{label!r} differs from {folded[label.casefold()]!r} only in case"
            for _, label in outside
            if label.casefold() in folded
        }
    )
    hint = f" Note: {'; '.join(near)}." if near else ""
    warnings.warn(
        Errors.W005.format(
            count=sum(outside.values()),
            names=list(types),
            details="; ".join(shown),
            hint=hint,
        ),
        stacklevel=_caller_level(),
    )


def _caller_level() -> int:
    """The ``stacklevel`` that points a warning at the first caller outside weaklabel."""
    import sys

    level, frame = 1, sys._getframe(1)
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith("weaklabel"):
        level += 1
        frame = frame.f_back  # type: ignore[assignment]
    return level


def _fill_column(
    arr: np.ndarray,
    j: int,
    group: Sequence[SpanTuple],
    index: Mapping[str, int],
    source: str,
    doc: int,
    outside: Counter[tuple[str, str]] | None = None,
) -> None:
    n = arr.shape[0]
    kept = [s for s in group if s[2] in index]
    if outside is not None and len(kept) < len(group):
        outside.update((source, s[2]) for s in group if s[2] not in index)
    for start, end, label in resolve_overlaps(kept):
        if not 0 <= start < end <= n:
            raise SourceError(
                Errors.E500.format(
                    source=source, value=repr((start, end, label)), doc=doc, n_tokens=n
                )
            )
        k = index[label]
        arr[start, j] = 1 + 2 * k
        arr[start + 1 : end, j] = 2 + 2 * k


def _check_doc_lengths(docs: Sequence[Doc], lengths: Sequence[int] | np.ndarray) -> None:
    if len(docs) != len(lengths):
        raise ParameterError(
            Errors.E515.format(n_docs=len(docs), n_values=len(lengths), what="tag sequences")
        )
    for d, (doc, n) in enumerate(zip(docs, lengths, strict=True)):
        if len(doc) != int(n):
            raise ParameterError(
                Errors.E511.format(doc=d, n_tokens=len(doc), n_tags=int(n), what="tags")
            )
