"""Span sources: heuristics that mark token spans (named entities) in spaCy ``Doc`` objects.

Use these when you label *spans* rather than whole documents. Every span source has a
unique ``name`` and writes its spans to ``doc.spans[name]``, the convention skweak uses, so
skweak annotators and weaklabel sources mix freely in one list given to
:func:`~weaklabel.appliers.spans.apply_spans`, and skweak's aggregators read weaklabel's
output. The kinds:

* :func:`span_function` — a Python function ``f(doc) -> [(start, end, label), ...]``;
* :func:`regex_spans` — regular-expression matches on the text, aligned to tokens;
* :func:`~weaklabel.sources.gazetteer.gazetteer_source` — entity lists (fast, longest
  match), and :func:`lexicon_spans` — a :class:`~weaklabel.sources.lexicon.Lexicon` used
  as term lists;
* :class:`SpacyNERSource` — the entities of any spaCy pipeline you pass;
* :func:`doc_function` — a vote on the whole text (document classification), written as
  one span over the whole doc, as skweak's ``TextAnnotator`` does.

Spans are token offsets ``(start, end, label)`` with ``end`` exclusive, as in
``doc[start:end]``. spaCy is imported only when a source runs (``pip install
"weaklabel[spans]"``). To write a new kind, subclass :class:`SpanSource` (defined in
:mod:`weaklabel.sources.span_base`, with the helpers every span source uses).

Examples
--------
>>> import spacy
>>> from weaklabel.sources.spans import span_function
>>> @span_function()
... def money(doc):
...     return [(t.i, t.i + 2, "MONEY") for t in doc[:-1]
...             if t.text == "$" and doc[t.i + 1].like_num]
>>> doc = money(spacy.blank("en")("It costs $ 12 now."))
>>> [(s.text, s.label_) for s in doc.spans["money"]]
[('$ 12', 'MONEY')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from weaklabel._fingerprint import _stable_repr, digest
from weaklabel.errors import ParameterError, SourceError
from weaklabel.sources._errors import Errors
from weaklabel.sources.base import function_source_fingerprint, source_decorator
from weaklabel.sources.gazetteer import Gazetteer, GazetteerSource, gazetteer_source
from weaklabel.sources.span_base import (
    SpanSource,
    check_label_map,
    normalize_spans,
    require_spacy,
    set_span_groups,
)
from weaklabel.tokens import SpanTuple

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from weaklabel.sources.lexicon import Lexicon

__all__ = [
    "DocumentSource",
    "RegexSpans",
    "SpacyNERSource",
    "SpanFunction",
    "SpanSource",
    "doc_function",
    "lexicon_spans",
    "regex_spans",
    "require_spacy",
    "set_span_groups",
    "span_function",
]
# SpanSource, normalize_spans, require_spacy and set_span_groups are defined in
# weaklabel.sources.span_base (which the gazetteer builds on too) and kept here, where
# span sources have always been imported from.


# ------------------------------------------------------------------------ functions
class _FunctionSpanSource(SpanSource):
    """A span source built around a Python function ``func(doc, **resources)``.

    Parameters
    ----------
    name : str
    func : callable
    resources : mapping, optional
        Extra keyword arguments passed on every call.
    """

    _kind: ClassVar[str]
    """Tag of the fingerprint: which decorator made the source."""

    def __init__(
        self, name: str, func: Callable[..., Any], *, resources: Mapping[str, Any] | None = None
    ) -> None:
        self.name = name
        self.func = func
        self.resources = dict(resources or {})

    def fingerprint(self) -> str:
        return function_source_fingerprint(self._kind, self.name, self.func, self.resources)


class SpanFunction(_FunctionSpanSource):
    """A span source wrapping a Python function ``func(doc, **resources)``.

    Parameters
    ----------
    name : str
    func : callable
        Returns an iterable of ``(start, end, label)`` token offsets or spaCy ``Span``
        objects of the doc (``None`` or an empty list when it finds nothing).
    resources : mapping, optional
        Extra keyword arguments passed on every call.
    """

    _kind = "span_function"

    def spans(self, doc: Doc) -> list[SpanTuple]:
        return normalize_spans(self.func(doc, **self.resources), doc, self.name, "(given)")

    def spans_batch(self, docs: Sequence[Doc], *, start: int = 0) -> list[list[SpanTuple]]:
        return [
            normalize_spans(self.func(doc, **self.resources), doc, self.name, start + i)
            for i, doc in enumerate(docs)
        ]


def span_function(
    name: str | None = None, *, resources: Mapping[str, Any] | None = None
) -> Callable[[Callable[..., Any]], SpanFunction]:
    """Decorator turning ``f(doc) -> [(start, end, label), ...]`` into a span source.

    Parameters
    ----------
    name : str, optional
        The span-group key ``doc.spans[name]``; the function's ``__name__`` by default.
    resources : mapping, optional
        Keyword arguments the function gets on every call (lookup tables, models).

    Examples
    --------
    >>> @span_function()
    ... def titles(doc):
    ...     return [(t.i, t.i + 2, "PER") for t in doc[:-1] if t.text in {"Dr.", "Mr."}]
    """
    return source_decorator(
        "span_function", name, lambda label, func: SpanFunction(label, func, resources=resources)
    )


# ----------------------------------------------------------------------------- regex
class RegexSpans(SpanSource):
    """Marks every match of a regular expression, expanded to whole tokens.

    A match is aligned with ``doc.char_span(start, end, alignment_mode="expand")``: a
    match that cuts a token includes the whole token. Empty matches are skipped, and two
    matches that expand to the same tokens give one span.

    Parameters
    ----------
    name : str
    pattern : str
        A Python regular expression, searched in ``doc.text``.
    label : str
        The entity type of the spans.
    case_sensitive : bool, default True
        Case matters by default: entity patterns lean on capitals (``[A-Z][a-z]+``), which
        ``re.IGNORECASE`` would turn into any word.
    flags : int, default 0
        Extra :mod:`re` flags.
    group : int or str, default 0
        The group whose extent becomes the span (0 = the whole match).
    """

    def __init__(
        self,
        name: str,
        pattern: str,
        label: str,
        *,
        case_sensitive: bool = True,
        flags: int = 0,
        group: int | str = 0,
    ) -> None:
        if not isinstance(label, str) or not label:
            raise ParameterError(
                Errors.E037.format(
                    source=name, problem=f"label must be a non-empty str, not {label!r}."
                )
            )
        self.name = name
        self.pattern = pattern
        self.label = label
        self.case_sensitive = case_sensitive
        self.flags = int(flags)
        self.group = group
        try:
            self._regex = re.compile(pattern, self.flags | (0 if case_sensitive else re.I))
        except re.error as exc:
            raise SourceError(Errors.E038.format(source=name, pattern=pattern, exc=exc)) from None

    def fingerprint(self) -> str:
        return digest(
            [
                "regex_spans",
                self.name,
                self.pattern,
                self.label,
                repr((self.case_sensitive, self.flags, self.group)),
            ]
        )

    def spans(self, doc: Doc) -> list[SpanTuple]:
        out: set[SpanTuple] = set()
        for match in self._regex.finditer(doc.text):
            start, end = match.span(self.group)
            if start >= end:
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span):
                out.add((span.start, span.end, self.label))
        return sorted(out)


def regex_spans(
    pattern: str,
    label: str,
    *,
    name: str | None = None,
    case_sensitive: bool = True,
    flags: int = 0,
    group: int | str = 0,
) -> RegexSpans:
    """A span source marking the matches of ``pattern`` as ``label`` (see :class:`RegexSpans`).

    Parameters
    ----------
    pattern : str
    label : str
    name : str, optional
        Defaults to ``"regex_<label>_<pattern>"`` made safe for a name.
    case_sensitive : bool, default True
    flags : int, default 0
    group : int or str, default 0

    Examples
    --------
    >>> source = regex_spans(r"\\b[A-Z][a-z]+ (?:Inc|Ltd)\\.", "ORG", name="company")
    """
    if name is None:
        safe = re.sub(r"\W+", "_", pattern).strip("_")[:40] or "pattern"
        name = f"regex_{label}_{safe}"
    return RegexSpans(name, pattern, label, case_sensitive=case_sensitive, flags=flags, group=group)


# --------------------------------------------------------------------------- lexicons
def lexicon_spans(
    lexicon: Lexicon,
    *,
    name: str,
    case_sensitive: bool | None = None,
    min_weight: float = 0.0,
    tokenizer: Any = None,
    label_map: Mapping[str, str | None] | None = None,
) -> GazetteerSource:
    """Mark the terms of a :class:`~weaklabel.sources.lexicon.Lexicon` as spans.

    Each term becomes a gazetteer entry (longest match first; see
    :func:`~weaklabel.sources.gazetteer.gazetteer_source`) whose entity type is the
    term's label (as a string). A term listed under several labels takes the label of
    its largest weight (the first listed on a tie).

    Parameters
    ----------
    lexicon : Lexicon
    name : str
    case_sensitive : bool, optional
        Defaults to the lexicon's own ``case_sensitive``.
    min_weight : float, default 0.0
        Leave out terms whose weight is below this.
    tokenizer : optional
        How terms are split into tokens; see
        :func:`~weaklabel.sources.gazetteer.gazetteer_source`.
    label_map : mapping of str to str or None, optional
        Renames the lexicon's labels in the spans (``{"POS": "POSITIVE"}``) or drops
        them (``None``), as for :func:`~weaklabel.sources.gazetteer.gazetteer_source`;
        keys are the lexicon's labels as strings.

    Returns
    -------
    GazetteerSource
    """
    best: dict[str, tuple[float, str]] = {}
    for term, label, weight in zip(lexicon.terms, lexicon.labels, lexicon.weights, strict=True):
        if weight < min_weight:
            continue
        if term not in best or weight > best[term][0]:
            best[term] = (weight, str(label))
    gazetteer = Gazetteer.from_records(
        [{"entry": term, "label": label} for term, (_, label) in best.items()],
        name=f"lexicon:{lexicon.fingerprint()}",
    )
    return gazetteer_source(
        gazetteer,
        name=name,
        case_sensitive=lexicon.case_sensitive if case_sensitive is None else case_sensitive,
        tokenizer=tokenizer,
        label_map=label_map,
    )


# ------------------------------------------------------------------------- spaCy NER
class SpacyNERSource(SpanSource):
    """The entities that a spaCy pipeline finds, as a span source.

    The pipeline runs (batched, with ``nlp.pipe``) on a copy of each doc made in the
    pipeline's own vocabulary with the same tokens, so token offsets stay valid and your
    docs are left untouched apart from ``doc.spans[name]``. Any pipeline works: a trained
    ``ner``, an ``entity_ruler``, a ``span_ruler`` (give ``span_key``), or a mix.

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline, as you built or loaded it (``spacy.load(...)``).
    name : str, optional
        Defaults to ``"spacy_<pipeline name>"``.
    label_map : mapping of str to str or None, optional
        Renames entity labels (``{"PERSON": "PER"}``); a label mapped to ``None`` is
        dropped; labels not in the mapping are kept as they are. A value that is neither
        a non-empty str nor None is refused [E527].
    span_key : str, optional
        Read ``doc.spans[span_key]`` (e.g. from a ``span_ruler`` or ``spancat``) instead
        of ``doc.ents``.
    batch_size : int, default 256
    """

    def __init__(
        self,
        nlp: Language,
        *,
        name: str | None = None,
        label_map: Mapping[str, str | None] | None = None,
        span_key: str | None = None,
        batch_size: int = 256,
    ) -> None:
        if not (hasattr(nlp, "pipe") and hasattr(nlp, "vocab") and hasattr(nlp, "pipe_names")):
            raise ParameterError(
                Errors.E037.format(
                    source=name or "spacy_ner",
                    problem=f"expected a spaCy pipeline (spacy.Language), got "
                    f"{type(nlp).__name__}. Pass e.g. spacy.load('en_core_web_sm') or a "
                    f"pipeline you built.",
                )
            )
        self.nlp = nlp
        self.name = name or f"spacy_{nlp.meta.get('name', 'pipeline')}"
        # the pipeline's labels are not known up front: check the form of the mapping only
        keys = list(label_map) if isinstance(label_map, Mapping) else []
        self.label_map = check_label_map(label_map, keys, self.name)
        self.span_key = span_key
        self.batch_size = int(batch_size)

    def fingerprint(self) -> str:
        """Hash of the pipeline's bytes (weights, patterns, config) and the options.

        Computed on each call, so a pipeline changed after the source was made is seen.
        The vocabulary's string store is left out (it grows with every doc the pipeline
        sees, which would change the fingerprint of a source that only ran); its vectors,
        which a model may use as features, are kept.
        """
        try:
            pipeline = self.nlp.to_bytes(exclude=["vocab"])
            vectors = self.nlp.vocab.vectors.to_bytes(exclude=["strings"])
            content = digest([pipeline.hex(), vectors.hex()])
        except Exception:  # a custom component that cannot serialise: never cache
            content = f"<{type(self.nlp).__qualname__}@{id(self.nlp)}>"
        return digest(
            [
                "spacy_ner",
                self.name,
                content,
                _stable_repr(self.label_map),
                repr(self.span_key),
            ]
        )

    def _copy(self, doc: Doc) -> Doc:
        from spacy.tokens import Doc as _Doc

        words = [t.text for t in doc]
        spaces = [bool(t.whitespace_) for t in doc]
        return _Doc(self.nlp.vocab, words=words, spaces=spaces)

    def _read(self, out: Doc) -> list[SpanTuple]:
        found = out.ents if self.span_key is None else out.spans.get(self.span_key, [])
        spans: list[SpanTuple] = []
        for ent in found:
            label = self.label_map.get(ent.label_, ent.label_)
            if label:
                spans.append((ent.start, ent.end, label))
        return sorted(set(spans))

    def spans(self, doc: Doc) -> list[SpanTuple]:
        return self.spans_batch([doc])[0]

    def spans_batch(self, docs: Sequence[Doc], *, start: int = 0) -> list[list[SpanTuple]]:
        copies = [self._copy(doc) for doc in docs]
        return [self._read(out) for out in self.nlp.pipe(copies, batch_size=self.batch_size)]


# ----------------------------------------------------------------- document level
class DocumentSource(_FunctionSpanSource):
    """A document-level vote, written as one span over the whole doc.

    For classifying documents with span-based tooling: ``func(doc)`` returns a class name
    or ``None`` (abstain); the vote is stored as ``doc.spans[name] = [doc[0:len(doc)]]``
    labelled with the class, exactly as skweak's ``TextAnnotator`` stores it. Read the
    votes as a document label matrix with
    :func:`~weaklabel.appliers.spans.apply_doc_sources`.

    Parameters
    ----------
    name : str
    func : callable
        ``func(doc, **resources) -> str | None``.
    resources : mapping, optional
    """

    _kind = "doc_function"

    def vote(self, doc: Doc, *, index: int | str = "-") -> str | None:
        """The class this source votes for the doc, or ``None``.

        ``index`` (the doc's position in your list) only appears in error messages.
        """
        value = self.func(doc, **self.resources)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise SourceError(
                Errors.E037.format(
                    source=self.name,
                    problem=f"returned {value!r} on doc {index}; a document source returns "
                    f"a class name (non-empty str) or None to abstain.",
                )
            )
        return value

    def spans(self, doc: Doc) -> list[SpanTuple]:
        return self.spans_batch([doc])[0]

    def spans_batch(self, docs: Sequence[Doc], *, start: int = 0) -> list[list[SpanTuple]]:
        out: list[list[SpanTuple]] = []
        for i, doc in enumerate(docs):
            label = self.vote(doc, index=start + i)
            out.append([] if label is None or len(doc) == 0 else [(0, len(doc), label)])
        return out


def doc_function(
    name: str | None = None, *, resources: Mapping[str, Any] | None = None
) -> Callable[[Callable[..., Any]], DocumentSource]:
    """Decorator turning ``f(doc) -> label | None`` into a :class:`DocumentSource`.

    Examples
    --------
    >>> @doc_function()
    ... def asks(doc):
    ...     return "QUESTION" if doc.text.rstrip().endswith("?") else None
    """
    return source_decorator(
        "doc_function", name, lambda label, func: DocumentSource(label, func, resources=resources)
    )
