"""The span-source contract: the base class every span source implements, and spaCy glue.

Use this module when you write a new kind of span source: subclass :class:`SpanSource`,
give it a unique ``name`` and implement :meth:`SpanSource.fingerprint` and
:meth:`SpanSource.spans` (and :meth:`SpanSource.spans_batch` when many docs are faster
together). :func:`normalize_spans` checks what a user's function returned,
:func:`set_span_groups` stores spans on docs, :func:`check_label_map` checks a
source's ``label_map=`` and :func:`require_spacy` gives the install hint. The concrete
sources live in :mod:`weaklabel.sources.spans` and :mod:`weaklabel.sources.gazetteer`,
which both build on this module (it imports neither).

Spans are token offsets ``(start, end, label)`` with ``end`` exclusive, as in
``doc[start:end]``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from weaklabel.errors import SourceError
from weaklabel.sources._errors import Errors
from weaklabel.tokens import SpanTuple

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "SpanSource",
    "check_label_map",
    "normalize_spans",
    "require_spacy",
    "set_span_groups",
]


def require_spacy() -> None:
    """Raise a helpful ``ImportError`` when spaCy is not installed."""
    try:
        import spacy  # noqa: F401
    except ModuleNotFoundError:
        raise ImportError(
            Errors.E070.format(what="Span labeling", packages="spaCy", verb="is", extra="spans")
        ) from None


def set_span_groups(docs: Sequence[Doc], name: str, spans: Iterable[Iterable[SpanTuple]]) -> None:
    """Store ``(start, end, label)`` tuples as ``doc.spans[name]`` on many docs at once.

    Replaces any group of that name. Labels are turned into string-store ids once per
    vocabulary (``Span`` is about twice as fast with an id than with a string).

    Parameters
    ----------
    docs : sequence of spacy.tokens.Doc
    name : str
    spans : iterable (one per doc) of iterable of (start, end, label)
    """
    from spacy.tokens import Span, SpanGroup

    by_vocab: dict[int, dict[str, int]] = {}
    for doc, group in zip(docs, spans, strict=True):
        vocab = doc.vocab
        ids = by_vocab.get(id(vocab))
        if ids is None:
            ids = by_vocab[id(vocab)] = {}
        try:
            made = [Span(doc, s, e, ids[label]) for s, e, label in group]
        except KeyError:
            group = list(group)
            for _, _, label in group:
                if label not in ids:
                    ids[label] = vocab.strings.add(label)
            made = [Span(doc, s, e, ids[label]) for s, e, label in group]
        doc.spans[name] = SpanGroup(doc, name=name, spans=made)


def check_label_map(
    label_map: Mapping[str, str | None] | None, labels: Sequence[str], source: str
) -> dict[str, str | None]:
    """Check a ``label_map=`` against the labels a source can produce.

    Parameters
    ----------
    label_map : mapping of str to str or None, or None
    labels : sequence of str
        The labels of the source (a gazetteer's labels).
    source : str
        The source's name, for the message.

    Returns
    -------
    dict of str to str or None
        The mapping (empty for None).

    Raises
    ------
    SourceError
        [E527] when it is not a mapping, a key is not one of ``labels`` (saying when it
        differs only in case), or a value is neither a non-empty str nor None.
    """
    if label_map is None:
        return {}
    if not isinstance(label_map, Mapping):
        raise SourceError(
            Errors.E527.format(
                source=source,
                problem=f"must be a mapping; got {type(label_map).__name__}.",
                labels=list(labels),
            )
        )
    known = set(labels)
    folded = {str(label).casefold(): label for label in labels}
    for key, value in label_map.items():
        if key not in known:
            near = folded.get(str(key).casefold())
            extra = f" (it differs from {near!r} only in case)" if near is not None else ""
            raise SourceError(
                Errors.E527.format(
                    source=source,
                    problem=f"has the key {key!r}, which is not a label of the source{extra}.",
                    labels=list(labels),
                )
            )
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise SourceError(
                Errors.E527.format(
                    source=source,
                    problem=f"maps {key!r} to {value!r}; give a non-empty str, or None to "
                    "drop the label.",
                    labels=list(labels),
                )
            )
    return dict(label_map)


class _SpanRepr:
    """How a spaCy Span shows in an error message."""

    def __init__(self, text: str, label: str) -> None:
        self.text, self.label = text, label

    def __repr__(self) -> str:
        return f"the Span {self.text!r} with label {self.label!r}"


def normalize_spans(value: Any, doc: Doc, source: str, index: int | str) -> list[SpanTuple]:
    """Check what a source returned and turn it into sorted ``(start, end, label)`` tuples.

    Parameters
    ----------
    value : iterable of (start, end, label) or spacy.tokens.Span, or None
    doc : spacy.tokens.Doc
        The doc the spans belong to.
    source : str
        Source name, for the error message.
    index : int or str
        Position of the doc in the list, for the error message.

    Returns
    -------
    list of (start, end, label)
        Sorted by (start, end); duplicates removed.
    """
    if value is None:
        return []
    n = len(doc)
    out: set[SpanTuple] = set()
    try:
        items = list(value)
    except TypeError:
        raise SourceError(
            Errors.E500.format(source=source, value=repr(value), doc=index, n_tokens=n)
        ) from None
    for item in items:
        if hasattr(item, "label_") and hasattr(item, "start") and hasattr(item, "doc"):
            if item.doc is not doc:
                raise SourceError(
                    Errors.E500.format(
                        source=source,
                        value=f"a Span of another doc ({item.text!r})",
                        doc=index,
                        n_tokens=n,
                    )
                )
            triple = (int(item.start), int(item.end), str(item.label_))
            item = _SpanRepr(item.text, item.label_)
        else:
            try:
                start, end, label = item
                ok = (
                    isinstance(label, str)
                    and not isinstance(start, bool)
                    and not isinstance(end, bool)
                    and int(start) == start
                    and int(end) == end
                )
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise SourceError(
                    Errors.E500.format(source=source, value=repr(item), doc=index, n_tokens=n)
                )
            triple = (int(start), int(end), label)
        if not (0 <= triple[0] < triple[1] <= n) or not triple[2]:
            raise SourceError(
                Errors.E500.format(source=source, value=repr(item), doc=index, n_tokens=n)
            )
        out.add(triple)
    return sorted(out)


class SpanSource(ABC):
    """Base class of weaklabel's span sources.

    A subclass implements :meth:`spans` (one doc) and, when it can label many docs faster
    together, :meth:`spans_batch`. Calling the source on a doc writes
    ``doc.spans[self.name]``, as a skweak annotator does.

    Attributes
    ----------
    name : str
        Unique name: the span-group key and the column of the token matrix.
    """

    name: str

    @abstractmethod
    def fingerprint(self) -> str:
        """Hash of everything that determines this source's output (the cache key)."""

    @abstractmethod
    def spans(self, doc: Doc) -> list[SpanTuple]:
        """The spans of one doc, as sorted ``(start, end, label)`` token offsets."""

    def spans_batch(self, docs: Sequence[Doc], *, start: int = 0) -> list[list[SpanTuple]]:
        """The spans of many docs, one list per doc (batched where the source can).

        Parameters
        ----------
        docs : sequence of spacy.tokens.Doc
        start : int, default 0
            Position of ``docs[0]`` in the caller's list, for error messages.
        """
        return [self.spans(doc) for doc in docs]

    def write(self, doc: Doc, spans: Iterable[SpanTuple]) -> Doc:
        """Store ``spans`` as ``doc.spans[self.name]`` (replacing what was there)."""
        set_span_groups([doc], self.name, [list(spans)])
        return doc

    def __call__(self, doc: Doc) -> Doc:
        """Label one doc: write ``doc.spans[self.name]`` and return the doc."""
        require_spacy()
        return self.write(doc, self.spans(doc))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 1000) -> Iterator[Doc]:
        """Label a stream of docs, batch by batch (skweak's ``pipe`` contract)."""
        require_spacy()
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self.annotate(batch)
                batch = []
        if batch:
            yield from self.annotate(batch)

    def annotate(self, docs: Sequence[Doc]) -> Sequence[Doc]:
        """Label a list of docs in place (batched) and return it."""
        require_spacy()
        set_span_groups(docs, self.name, self.spans_batch(docs))
        return docs

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"
