"""Span examples: a tokenised text with labelled spans, and the readers that build them.

:class:`SpanExample` is what the entity-aware augmenters
(:mod:`weaklabel.augment.entities.replace`) edit: tokens, token-offset spans and the
spaces between tokens, so a new example's character offsets are always right. Build one
from BIO (or IOBES/BILOU) tags, from a text with character spans, or from a spaCy Doc;
:func:`as_span_examples` reads a whole collection (SpanExamples, Docs, a DataFrame or
records).
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from weaklabel._deprecated import moved_names
from weaklabel.augment._errors import AugmentError, Errors
from weaklabel.augment.base import invalid_argument
from weaklabel.tags import SpanTuple, bio_to_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = ["SpanExample", "TokenSpan", "as_span_examples"]

# The messages of EntityErrors are in the augment catalogue now.
__getattr__ = moved_names(__name__, {"EntityErrors": "weaklabel.augment._errors:Errors"})

TokenSpan = SpanTuple
"""``(start_token, end_token, label)``, end exclusive: the package's span tuple."""
_TOKEN = re.compile(r"\S+")


# ---------------------------------------------------------------------------------------
# the example type
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SpanExample:
    """A tokenised text with labelled spans.

    Parameters
    ----------
    tokens : tuple of str
        The tokens, each with a non-space character (an empty or blank token raises
        :class:`~weaklabel.errors.AugmentError` [E775] naming its position).
    spans : tuple of (int, int, str)
        ``(start_token, end_token, label)`` with ``end_token`` exclusive, sorted, not
        overlapping.
    spaces : tuple of bool, optional
        Whether a space follows each token (spaCy's ``whitespace_``). Default: a space
        after every token but the last.
    id : object, optional
        The example's id, carried into the provenance of its variants.

    Examples
    --------
    >>> ex = SpanExample.from_bio(["Aspirin", "causes", "ulcers", "."],
    ...                           ["B-Chemical", "O", "B-Disease", "O"])
    >>> ex.text, ex.char_spans()
    ('Aspirin causes ulcers .', [(0, 7, 'Chemical'), (15, 21, 'Disease')])
    """

    tokens: tuple[str, ...]
    spans: tuple[TokenSpan, ...] = ()
    spaces: tuple[bool, ...] | None = None
    id: Any = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tokens", tuple(str(t) for t in self.tokens))
        for position, token in enumerate(self.tokens):
            if not token.strip():
                raise AugmentError(
                    Errors.E775.format(
                        position=position,
                        example="(no id)" if self.id is None else repr(self.id),
                        what="empty" if not token else "only whitespace",
                        token=token,
                    )
                )
        spans = tuple(sorted((int(s), int(e), str(lab)) for s, e, lab, *_ in self.spans))
        object.__setattr__(self, "spans", spans)
        n = len(self.tokens)
        if self.spaces is None:
            object.__setattr__(self, "spaces", tuple(i < n - 1 for i in range(n)))
        else:
            spaces = tuple(bool(x) for x in self.spaces)
            if len(spaces) != n:
                raise invalid_argument(
                    "SpanExample", "spaces", f"one flag per token ({n})", len(spaces)
                )
            object.__setattr__(self, "spaces", spaces)
        last = 0
        for span in spans:
            start, end, _ = span
            if not 0 <= start < end <= n or start < last:
                raise AugmentError(Errors.E760.format(span=span, index=self.id, n_tokens=n))
            last = end

    # -- views ----------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The tokens joined by their spaces."""
        spaces = self.spaces or ()
        return "".join(t + (" " if sp else "") for t, sp in zip(self.tokens, spaces, strict=True))

    def token_starts(self) -> list[int]:
        """The character offset of each token in :attr:`text`, plus ``len(text)`` at the end.

        Returns
        -------
        list of int
            ``len(tokens) + 1`` offsets.
        """
        starts: list[int] = []
        position = 0
        for token, space in zip(self.tokens, self.spaces or (), strict=True):
            starts.append(position)
            position += len(token) + (1 if space else 0)
        starts.append(position)
        return starts

    def char_spans(self) -> list[TokenSpan]:
        """The spans as ``(start_char, end_char, label)`` offsets into :attr:`text`."""
        starts = self.token_starts()
        return [
            (starts[s], starts[e - 1] + len(self.tokens[e - 1]), lab) for s, e, lab in self.spans
        ]

    @property
    def tags(self) -> list[str]:
        """One BIO tag per token."""
        tags = ["O"] * len(self.tokens)
        for start, end, label in self.spans:
            tags[start] = f"B-{label}"
            for i in range(start + 1, end):
                tags[i] = f"I-{label}"
        return tags

    def mentions(self) -> list[tuple[tuple[str, ...], str]]:
        """Each span's tokens and label."""
        return [(self.tokens[s:e], lab) for s, e, lab in self.spans]

    # -- builders -------------------------------------------------------------------------
    @classmethod
    def from_bio(cls, tokens: Sequence[str], tags: Sequence[str], *, id: Any = None) -> SpanExample:
        """Build from tokens and one BIO (or IOBES/BILOU) tag per token.

        Decoded by the package's one tag reader, :func:`weaklabel.tags.bio_to_spans`:
        an ``I-X`` that does not continue an ``X`` entity starts one, as seqeval reads it.
        """
        if len(tags) != len(tokens):
            raise AugmentError(Errors.E762.format(index=id, n_tags=len(tags), n_tokens=len(tokens)))
        spans = [(s, e, lab) for s, e, lab in bio_to_spans([str(t) for t in tags])]
        return cls(tuple(tokens), tuple(spans), id=id)

    @classmethod
    def from_text(
        cls, text: str, spans: Iterable[Sequence[Any]] = (), *, id: Any = None
    ) -> SpanExample:
        """Build from a text and character-offset spans ``(start, end, label)``.

        The text is split on whitespace, and tokens are split further at span boundaries,
        so every span covers whole tokens. Runs of whitespace become one space.
        """
        char_spans = sorted((int(s), int(e), str(lab)) for s, e, lab, *_ in spans)
        for span in char_spans:
            if not 0 <= span[0] < span[1] <= len(text):
                raise AugmentError(Errors.E761.format(span=span, index=id, length=len(text)))
        cuts = sorted({p for s, e, _ in char_spans for p in (s, e)})
        pieces: list[tuple[int, int]] = []
        spaces: list[bool] = []
        for m in _TOKEN.finditer(text):
            start = m.start()
            k = bisect.bisect_right(cuts, start)
            while k < len(cuts) and cuts[k] < m.end():
                pieces.append((start, cuts[k]))
                spaces.append(False)
                start = cuts[k]
                k += 1
            pieces.append((start, m.end()))
            spaces.append(m.end() < len(text))
        if spaces:
            spaces[-1] = False
        piece_starts = [a for a, _ in pieces]
        token_spans: list[TokenSpan] = []
        for s, e, lab in char_spans:
            first = bisect.bisect_left(piece_starts, s)
            last = bisect.bisect_left(piece_starts, e) - 1
            if first > last or pieces[last][1] > e:
                raise AugmentError(Errors.E761.format(span=(s, e, lab), index=id, length=len(text)))
            token_spans.append((first, last + 1, lab))
        tokens = tuple(text[a:b] for a, b in pieces)
        return cls(tokens, tuple(token_spans), tuple(spaces), id=id)

    @classmethod
    def from_doc(cls, doc: Doc, *, span_key: str | None = None, id: Any = None) -> SpanExample:
        """Build from a spaCy Doc: its entities, or ``doc.spans[span_key]``.

        Tokens that are pure whitespace (spaCy keeps runs of spaces as tokens) are folded
        into the previous token's trailing space.
        """
        group = list(doc.ents) if span_key is None else list(doc.spans.get(span_key, []))
        keep = [i for i, tok in enumerate(doc) if tok.text.strip()]
        index = {old: new for new, old in enumerate(keep)}
        tokens = tuple(doc[i].text for i in keep)
        spaces = [bool(doc[i].whitespace_) for i in keep]
        for k, old in enumerate(keep):
            nxt = keep[k + 1] if k + 1 < len(keep) else len(doc)
            if nxt > old + 1:
                spaces[k] = True
        if spaces:
            spaces[-1] = False
        spans: list[TokenSpan] = []
        for span in group:
            inside = [index[i] for i in range(span.start, span.end) if i in index]
            if inside:
                spans.append((inside[0], inside[-1] + 1, span.label_))
        return cls(tokens, tuple(spans), tuple(spaces), id=id)

    def to_doc(self, vocab: Vocab, *, span_key: str | None = None) -> Doc:
        """A spaCy Doc with these tokens, and the spans as ``doc.ents`` (or in ``doc.spans``)."""
        from spacy.tokens import Doc, Span

        doc = Doc(vocab, words=list(self.tokens), spaces=list(self.spaces or ()))
        spans = [Span(doc, s, e, label=lab) for s, e, lab in self.spans]
        if span_key is None:
            doc.ents = spans
        else:
            doc.spans[span_key] = spans
        return doc

    def replace(self, edits: Sequence[tuple[int, int, Sequence[str]]]) -> SpanExample:
        """A new example with token ranges replaced, and every span moved to match.

        Parameters
        ----------
        edits : sequence of (int, int, sequence of str)
            ``(start_token, end_token, new_tokens)``, not overlapping. An edit either lies
            outside every span, covers exactly one span (a new mention: the span then
            covers the new tokens), or lies inside one span and keeps its token count.

        Returns
        -------
        SpanExample
            With the same labels in the same order; its :attr:`id` is this example's.
        """
        ordered = sorted(edits, key=lambda e: (e[0], e[1]))
        tokens: list[str] = []
        spaces: list[bool] = []
        # new_position[i] = where old token boundary i lands in the new example
        new_position = [0] * (len(self.tokens) + 1)
        old_spaces = self.spaces or ()
        cursor = 0
        for start, end, new in [*ordered, (len(self.tokens), len(self.tokens), ())]:
            if start < cursor or end < start:
                raise AugmentError(
                    Errors.E760.format(span=(start, end), index=self.id, n_tokens=len(self.tokens))
                )
            for i in range(cursor, start):
                new_position[i] = len(tokens)
                tokens.append(self.tokens[i])
                spaces.append(old_spaces[i])
            new_position[start] = len(tokens)
            words = [w for piece in new for w in str(piece).split()]
            if words:
                trailing = old_spaces[end - 1] if end > start else True
                tokens.extend(words)
                spaces.extend([True] * (len(words) - 1) + [trailing])
            for i in range(start + 1, end + 1):
                new_position[i] = len(tokens)
            cursor = end
        new_position[len(self.tokens)] = len(tokens)
        if spaces:
            spaces[-1] = old_spaces[-1] if old_spaces else False
        spans = [(new_position[s], new_position[e], lab) for s, e, lab in self.spans]
        return SpanExample(tuple(tokens), tuple(spans), tuple(spaces), id=self.id)


# ---------------------------------------------------------------------------------------
# reading examples
# ---------------------------------------------------------------------------------------
def as_span_examples(
    examples: Any, *, span_key: str | None = None, id_column: str = "id"
) -> list[SpanExample]:
    """Read examples given as SpanExamples, spaCy Docs, a DataFrame or records.

    Parameters
    ----------
    examples : list of SpanExample or Doc, DataFrame, or list of dict
        A DataFrame or records need columns ``tokens`` and ``tags`` (BIO), ``tokens`` and
        ``token_spans``, or ``text`` and ``spans`` (character offsets).
    span_key : str, optional
        For Docs: read ``doc.spans[span_key]`` instead of ``doc.ents``.
    id_column : str, default="id"
        The column with the example ids (the row index when absent).

    Returns
    -------
    list of SpanExample
    """
    import pandas as pd

    if isinstance(examples, SpanExample):
        return [examples]
    if isinstance(examples, pd.DataFrame):
        frame = examples
    else:
        items = list(examples)
        if all(isinstance(x, SpanExample) for x in items):
            return [
                x if x.id is not None else SpanExample(x.tokens, x.spans, x.spaces, id=i)
                for i, x in enumerate(items)
            ]
        spacy_tokens = sys.modules.get("spacy.tokens")
        if (
            items
            and spacy_tokens is not None
            and all(isinstance(x, spacy_tokens.Doc) for x in items)
        ):
            return [SpanExample.from_doc(d, span_key=span_key, id=i) for i, d in enumerate(items)]
        if all(isinstance(x, Mapping) for x in items):
            frame = pd.DataFrame.from_records(items)
        else:
            raise AugmentError(Errors.E765.format(kind=type(examples).__name__))
    ids = frame[id_column].tolist() if id_column in frame.columns else frame.index.tolist()
    columns = set(frame.columns)
    if {"tokens", "tags"} <= columns:
        return [
            SpanExample.from_bio(list(tok), list(tag), id=i)
            for tok, tag, i in zip(frame["tokens"], frame["tags"], ids, strict=True)
        ]
    if {"tokens", "token_spans"} <= columns:
        return [
            SpanExample(tuple(tok), tuple(tuple(s) for s in spans), id=i)
            for tok, spans, i in zip(frame["tokens"], frame["token_spans"], ids, strict=True)
        ]
    if {"text", "spans"} <= columns:
        return [
            SpanExample.from_text(str(text), [tuple(s) for s in spans], id=i)
            for text, spans, i in zip(frame["text"], frame["spans"], ids, strict=True)
        ]
    raise AugmentError(Errors.E765.format(kind=f"a table with columns {sorted(columns)}"))
