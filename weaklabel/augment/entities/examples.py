"""Entity-aware augmentation for span-labelled data (named entities), offsets kept right.

Use these augmenters when your examples carry entity spans (a NER training set, the
output of a sequence label model) and the new texts must carry them too. Each one edits a
tokenised example and rebuilds its spans, so every entity's token offsets and character
offsets point at the entity's text in the new example, and every entity keeps its label:

- :class:`MentionReplacement` swaps an entity mention for another mention of the same type,
  taken from a gazetteer, a ``{label: [names]}`` mapping or the training set itself
  (Dai & Adel 2020, "An Analysis of Simple Data Augmentation for Named Entity
  Recognition").
- :class:`LabelwiseTokenReplacement` replaces tokens with other tokens that carry the same
  BIO tag in the training set (Dai & Adel's label-wise token replacement).
- :class:`SynonymOutsideEntities` runs :class:`~weaklabel.augment.Synonym` on the words
  outside the entities; the entities stay byte-identical.

Examples are :class:`SpanExample` objects (tokens, token-offset spans, spaces); build them
from BIO tags, from text with character spans, or from spaCy Docs. The augmenters also
follow the plain :class:`~weaklabel.augment.Augmenter` contract (texts in, texts out), and
:meth:`SpanAugmenter.augment_examples` / :meth:`SpanAugmenter.augment_docs` return new rows
or new Docs with their provenance.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from weaklabel.augment._errors import AugmentError
from weaklabel.augment.base import PROVENANCE_COLUMNS, Augmenter, _check_n, rng_for
from weaklabel.errors import ErrorCatalogue

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from weaklabel.augment.synonym import Synonym
    from weaklabel.sources.gazetteer import Gazetteer

__all__ = [
    "EntityErrors",
    "LabelwiseTokenReplacement",
    "MentionReplacement",
    "SpanAugmenter",
    "SpanExample",
    "SynonymOutsideEntities",
]

TokenSpan = tuple[int, int, str]
_TOKEN = re.compile(r"\S+")


class EntityErrors(metaclass=ErrorCatalogue):
    """The catalogue of entity-aware augmentation messages (E760-E769)."""

    E760 = (
        "Span {span!r} of example {index} is not valid for its {n_tokens} tokens: a span is "
        "(start_token, end_token, label) with 0 <= start < end <= n_tokens, and spans must "
        "not overlap."
    )
    E761 = (
        "Character span {span!r} of example {index} is outside its text of length {length} "
        "or empty: pass (start_char, end_char, label) with 0 <= start < end <= len(text)."
    )
    E762 = "Example {index} has {n_tags} tags for {n_tokens} tokens; pass one BIO tag per token."
    E763 = (
        "{name} has no mentions to draw from. Pass a Gazetteer, a mapping "
        "{{label: [names]}} or (name, label) pairs, or build it with "
        "{name}.from_examples(train_examples)."
    )
    E764 = (
        "LabelwiseTokenReplacement is not fitted. Call .fit(train_examples) (or "
        "LabelwiseTokenReplacement.from_examples(train_examples)) before augmenting, so it "
        "knows which tokens carry which tag."
    )
    E765 = (
        "Cannot read span examples from {kind}. Pass SpanExample objects, spaCy Docs, or a "
        "DataFrame (or records) with columns 'tokens' and 'tags' (BIO), 'tokens' and "
        "'token_spans', or 'text' and 'spans' (character offsets)."
    )
    E766 = "{name}: {param} must be {expected}; got {value!r}."


# ---------------------------------------------------------------------------------------
# the example type
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SpanExample:
    """A tokenised text with labelled spans.

    Parameters
    ----------
    tokens : tuple of str
        The tokens, none empty or containing whitespace.
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
        spans = tuple(sorted((int(s), int(e), str(lab)) for s, e, lab, *_ in self.spans))
        object.__setattr__(self, "spans", spans)
        n = len(self.tokens)
        if self.spaces is None:
            object.__setattr__(self, "spaces", tuple(i < n - 1 for i in range(n)))
        else:
            spaces = tuple(bool(x) for x in self.spaces)
            if len(spaces) != n:
                raise AugmentError(
                    EntityErrors.E766.format(
                        name="SpanExample",
                        param="spaces",
                        expected=f"one flag per token ({n})",
                        value=len(spaces),
                    )
                )
            object.__setattr__(self, "spaces", spaces)
        last = 0
        for span in spans:
            start, end, _ = span
            if not 0 <= start < end <= n or start < last:
                raise AugmentError(EntityErrors.E760.format(span=span, index=self.id, n_tokens=n))
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
        """Build from tokens and one BIO (or IOB2/BIOES-style ``B-``/``I-``) tag per token.

        An ``I-X`` that does not continue an ``X`` entity starts one, as seqeval reads it.
        """
        if len(tags) != len(tokens):
            raise AugmentError(
                EntityErrors.E762.format(index=id, n_tags=len(tags), n_tokens=len(tokens))
            )
        spans: list[TokenSpan] = []
        start, label = -1, ""
        for i, tag in enumerate([*tags, "O"]):
            prefix, _, kind = str(tag).partition("-")
            continues = prefix in ("I", "E") and kind == label and start >= 0
            if start >= 0 and not continues:
                spans.append((start, i, label))
                start, label = -1, ""
            if prefix in ("B", "S", "U") or (prefix in ("I", "E") and start < 0 and kind):
                start, label = i, kind
            if prefix in ("E", "S", "U") and start >= 0:
                spans.append((start, i + 1, label))
                start, label = -1, ""
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
                raise AugmentError(EntityErrors.E761.format(span=span, index=id, length=len(text)))
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
                raise AugmentError(
                    EntityErrors.E761.format(span=(s, e, lab), index=id, length=len(text))
                )
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
                    EntityErrors.E760.format(
                        span=(start, end), index=self.id, n_tokens=len(self.tokens)
                    )
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
            raise AugmentError(EntityErrors.E765.format(kind=type(examples).__name__))
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
    raise AugmentError(EntityErrors.E765.format(kind=f"a table with columns {sorted(columns)}"))


# ---------------------------------------------------------------------------------------
# the base class
# ---------------------------------------------------------------------------------------
class SpanAugmenter(Augmenter):
    """Base class of augmenters that edit tokenised examples and keep their spans.

    Subclasses implement :meth:`_edits`: the token replacements of one variant.
    """

    def _edits(
        self, example: SpanExample, rng: random.Random
    ) -> list[tuple[int, int, Sequence[str]]]:
        raise NotImplementedError  # pragma: no cover

    def _prepare(self, examples: Sequence[SpanExample]) -> None:
        """Batch work before variants are drawn (e.g. tagging); the default does nothing."""

    def _variant(self, example: SpanExample, rng: random.Random) -> SpanExample:
        edits = self._edits(example, rng)
        return example.replace(edits) if edits else example

    def augment_spans(
        self, examples: Any, *, n: int = 1, seed: int = 0, span_key: str | None = None
    ) -> list[list[SpanExample]]:
        """New span examples for each example.

        Parameters
        ----------
        examples : list of SpanExample or Doc, DataFrame, or records
            See :func:`as_span_examples`.
        n : int, default=1
            At most this many variants per example.
        seed : int, default=0
            Same seed, same output; example ``i``'s variants depend only on ``(seed, i)``.
        span_key : str, optional
            For Docs: read ``doc.spans[span_key]`` instead of ``doc.ents``.

        Returns
        -------
        list of list of SpanExample
            Per example, up to ``n`` distinct variants whose text differs from the
            original's, each with the original's id and its spans in the same order with
            the same labels.
        """
        n = _check_n(n)
        items = as_span_examples(examples, span_key=span_key)
        self._prepare(items)
        out: list[list[SpanExample]] = []
        for index, example in enumerate(items):
            rng = rng_for(int(seed), index)
            found: list[SpanExample] = []
            seen = {example.text}
            if example.tokens:
                for _ in range(self.max_attempts_per_variant * n):
                    variant = self._variant(example, rng)
                    if variant.text not in seen:
                        seen.add(variant.text)
                        found.append(variant)
                        if len(found) == n:
                            break
            out.append(found)
        return out

    def _augment_batch(
        self, texts: list[str], n: int, rngs: list[random.Random]
    ) -> list[list[str]]:
        examples = [SpanExample.from_text(t) for t in texts]
        self._prepare(examples)
        out: list[list[str]] = []
        for example, rng in zip(examples, rngs, strict=True):
            found: list[str] = []
            for _ in range(self.max_attempts_per_variant * n):
                text = self._variant(example, rng).text
                if text != example.text and text not in found:
                    found.append(text)
                    if len(found) == n:
                        break
            out.append(found)
        return out

    def augment_examples(
        self,
        examples: Any,
        *,
        n: int = 1,
        seed: int = 0,
        text_column: str = "text",
        id_column: str = "id",
        span_key: str | None = None,
    ) -> pd.DataFrame:
        """New span-labelled rows, with their provenance.

        Parameters
        ----------
        examples : list of SpanExample or Doc, DataFrame, or records
            See :func:`as_span_examples`. Other columns of a DataFrame are copied. Rows
            without span columns (only ``text_column``) are augmented as plain texts, as
            :meth:`Augmenter.augment_examples` does.
        n : int, default=1
        seed : int, default=0
        text_column : str, default="text"
            The text column of plain-text rows.
        id_column : str, default="id"
        span_key : str, optional

        Returns
        -------
        DataFrame
            Columns ``text``, ``tokens``, ``tags``, ``spans`` (character offsets),
            ``token_spans``, the copied columns, ``original_id``, ``augmenter``, ``params``
            (for plain-text rows: those of :meth:`Augmenter.augment_examples`).
        """
        import pandas as pd

        if not _holds_spans(examples):
            return super().augment_examples(
                examples, n=n, seed=seed, text_column=text_column, id_column=id_column
            )

        items = as_span_examples(examples, span_key=span_key, id_column=id_column)
        variants = self.augment_spans(items, n=n, seed=seed)
        own = ("text", "tokens", "tags", "spans", "token_spans", id_column)
        copied: list[str] = []
        records: list[dict[str, Any]] = [{} for _ in items]
        if isinstance(examples, pd.DataFrame):
            copied = [c for c in examples.columns if c not in own and c not in PROVENANCE_COLUMNS]
            if copied:
                records = [
                    {str(k): v for k, v in r.items()} for r in examples[copied].to_dict("records")
                ]
        params = json.dumps(self.get_params(), sort_keys=True, default=str)
        rows = [
            {
                **_row(variant),
                **record,
                "original_id": original.id,
                "augmenter": self.name,
                "params": params,
            }
            for original, record, found in zip(items, records, variants, strict=True)
            for variant in found
        ]
        columns = ["text", "tokens", "tags", "spans", "token_spans", *copied, *PROVENANCE_COLUMNS]
        return pd.DataFrame(rows, columns=columns)

    def augment_docs(
        self,
        docs: Sequence[Doc],
        *,
        n: int = 1,
        seed: int = 0,
        span_key: str | None = None,
    ) -> list[list[Doc]]:
        """New spaCy Docs for each Doc, entities (or ``doc.spans[span_key]``) set.

        Each new Doc's ``user_data`` holds ``"original_id"`` (the input's position),
        ``"augmenter"`` and ``"params"``.
        """
        variants = self.augment_spans(list(docs), n=n, seed=seed, span_key=span_key)
        params = json.dumps(self.get_params(), sort_keys=True, default=str)
        out: list[list[Doc]] = []
        for index, (doc, found) in enumerate(zip(docs, variants, strict=True)):
            new_docs = []
            for variant in found:
                new = variant.to_doc(doc.vocab, span_key=span_key)
                new.user_data.update(
                    {"original_id": index, "augmenter": self.name, "params": params}
                )
                new_docs.append(new)
            out.append(new_docs)
        return out


def _holds_spans(examples: Any) -> bool:
    """Whether ``examples`` are span examples (rather than plain texts)."""
    import pandas as pd

    span_columns = ({"tokens", "tags"}, {"tokens", "token_spans"}, {"text", "spans"})
    if isinstance(examples, SpanExample):
        return True
    if isinstance(examples, pd.DataFrame):
        return any(c <= set(examples.columns) for c in span_columns)
    if isinstance(examples, str | bytes | pd.Series):
        return False
    items = list(examples) if isinstance(examples, Iterable) else []
    if not items:
        return False
    first = items[0]
    spacy_tokens = sys.modules.get("spacy.tokens")
    if isinstance(first, SpanExample) or (
        spacy_tokens is not None and isinstance(first, spacy_tokens.Doc)
    ):
        return True
    return isinstance(first, Mapping) and any(c <= set(first) for c in span_columns)


def _row(example: SpanExample) -> dict[str, Any]:
    return {
        "text": example.text,
        "tokens": list(example.tokens),
        "tags": example.tags,
        "spans": example.char_spans(),
        "token_spans": list(example.spans),
    }


def _check_probability(name: str, p: object) -> float:
    if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 < float(p) <= 1.0:
        raise AugmentError(
            EntityErrors.E766.format(name=name, param="p", expected="in (0, 1]", value=p)
        )
    return float(p)


def _pick(candidates: list[int], p: float, rng: random.Random) -> list[int]:
    """Each candidate with probability ``p``; at least one when there are any."""
    chosen = [c for c in candidates if rng.random() < p]
    if not chosen and candidates:
        chosen = [rng.choice(candidates)]
    return chosen


# ---------------------------------------------------------------------------------------
# mention replacement
# ---------------------------------------------------------------------------------------
class MentionReplacement(SpanAugmenter):
    """Replace entity mentions with other mentions of the same type.

    Parameters
    ----------
    mentions : Gazetteer, mapping of str to iterable of str, or iterable of (str, str)
        Where new mentions come from: a :class:`~weaklabel.sources.Gazetteer` (every name
        and alias, under its label), ``{label: [names]}``, or ``(name, label)`` pairs.
        Names are split on whitespace into tokens.
    p : float, default=0.5
        Probability that each entity is replaced (at least one per variant when any
        entity's type has mentions).
    labels : iterable of str, optional
        Replace only entities with these labels.

    Notes
    -----
    The new mention is always a different string from the one it replaces; entities
    whose label has no other mention are left alone.

    Examples
    --------
    >>> aug = MentionReplacement({"Chemical": ["aspirin", "ibuprofen"]})
    >>> ex = SpanExample.from_bio(["aspirin", "helps"], ["B-Chemical", "O"])
    >>> [v.text for v in aug.augment_spans([ex])[0]]
    ['ibuprofen helps']
    """

    def __init__(
        self,
        mentions: Gazetteer | Mapping[str, Iterable[str]] | Iterable[tuple[str, str]],
        *,
        p: float = 0.5,
        labels: Iterable[str] | None = None,
    ) -> None:
        self.p = _check_probability("MentionReplacement", p)
        self.labels = None if labels is None else tuple(sorted(str(x) for x in labels))
        self.mentions: dict[str, tuple[tuple[str, ...], ...]] = _mention_table(mentions)
        if not any(len(v) > 1 for v in self.mentions.values()):
            raise AugmentError(EntityErrors.E763.format(name="MentionReplacement"))

    @classmethod
    def from_examples(
        cls, examples: Any, *, p: float = 0.5, labels: Iterable[str] | None = None
    ) -> MentionReplacement:
        """Draw new mentions from the entities of ``examples`` (e.g. the training set)."""
        pairs = [
            (" ".join(tokens), label)
            for example in as_span_examples(examples)
            for tokens, label in example.mentions()
        ]
        return cls(pairs, p=p, labels=labels)

    def get_params(self) -> dict[str, Any]:
        """``p``, ``labels`` and the number of mentions per label."""
        return {
            "p": self.p,
            "labels": None if self.labels is None else list(self.labels),
            "mentions": {k: len(v) for k, v in sorted(self.mentions.items())},
        }

    def _edits(
        self, example: SpanExample, rng: random.Random
    ) -> list[tuple[int, int, Sequence[str]]]:
        eligible = [
            k
            for k, (_, _, label) in enumerate(example.spans)
            if (self.labels is None or label in self.labels)
            and len(self.mentions.get(label, ())) > 1
        ]
        edits: list[tuple[int, int, Sequence[str]]] = []
        for k in _pick(eligible, self.p, rng):
            start, end, label = example.spans[k]
            current = example.tokens[start:end]
            pool = self.mentions[label]
            new = pool[rng.randrange(len(pool))]
            if new == current:  # draw once more, from the others
                others = [m for m in pool if m != current]
                new = others[rng.randrange(len(others))]
            edits.append((start, end, new))
        return edits


def _mention_table(mentions: Any) -> dict[str, tuple[tuple[str, ...], ...]]:
    pairs: list[tuple[str, str]]
    if hasattr(mentions, "terms") and callable(mentions.terms):
        pairs = [(str(name), str(label)) for name, label in mentions.terms()]
    elif isinstance(mentions, Mapping):
        pairs = [
            (str(name), str(label))
            for label, names in mentions.items()
            for name in ([names] if isinstance(names, str) else names)
        ]
    else:
        pairs = [(str(name), str(label)) for name, label in mentions]
    table: dict[str, dict[tuple[str, ...], None]] = {}
    for name, label in pairs:
        tokens = tuple(name.split())
        if tokens:
            table.setdefault(label, {})[tokens] = None
    return {label: tuple(found) for label, found in sorted(table.items())}


# ---------------------------------------------------------------------------------------
# label-wise token replacement
# ---------------------------------------------------------------------------------------
class LabelwiseTokenReplacement(SpanAugmenter):
    """Replace tokens with tokens that carry the same BIO tag in the training data.

    Dai & Adel (2020): each token is replaced with probability ``p`` by a token drawn from
    the training set's tokens with the same tag (``O``, ``B-Chemical``, ...), weighted by
    frequency. Token counts do not change, so every span keeps its token offsets and
    label; character offsets are recomputed.

    Parameters
    ----------
    p : float, default=0.3
        Probability that each token is replaced (at least one per variant).
    tags : iterable of str, optional
        Replace only tokens with these tags (e.g. ``["O"]`` to leave entities alone).

    Examples
    --------
    >>> train = [SpanExample.from_bio(["aspirin", "helps"], ["B-Chemical", "O"]),
    ...          SpanExample.from_bio(["ibuprofen", "hurts"], ["B-Chemical", "O"])]
    >>> aug = LabelwiseTokenReplacement(p=1.0).fit(train)
    >>> aug.augment_spans(train[:1])[0][0].text
    'ibuprofen helps'
    """

    def __init__(self, *, p: float = 0.3, tags: Iterable[str] | None = None) -> None:
        self.p = _check_probability("LabelwiseTokenReplacement", p)
        self.tags = None if tags is None else tuple(sorted(str(t) for t in tags))
        self.vocabulary_: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] | None = None
        self._cumulative: dict[str, tuple[int, ...]] = {}

    def fit(self, examples: Any) -> LabelwiseTokenReplacement:
        """Count, per BIO tag, the tokens that carry it in ``examples``.

        Returns
        -------
        LabelwiseTokenReplacement
            ``self``, with ``vocabulary_``: per tag, the tokens and their counts.
        """
        counts: dict[str, dict[str, int]] = {}
        for example in as_span_examples(examples):
            for token, tag in zip(example.tokens, example.tags, strict=True):
                bucket = counts.setdefault(tag, {})
                bucket[token] = bucket.get(token, 0) + 1
        self.vocabulary_ = {
            tag: (tuple(bucket), tuple(bucket.values())) for tag, bucket in sorted(counts.items())
        }
        self._cumulative = {
            tag: tuple(itertools.accumulate(weights))
            for tag, (_, weights) in self.vocabulary_.items()
        }
        return self

    @classmethod
    def from_examples(
        cls, examples: Any, *, p: float = 0.3, tags: Iterable[str] | None = None
    ) -> LabelwiseTokenReplacement:
        """A fitted instance: ``LabelwiseTokenReplacement(p=p, tags=tags).fit(examples)``."""
        return cls(p=p, tags=tags).fit(examples)

    def get_params(self) -> dict[str, Any]:
        """``p`` and ``tags``."""
        return {"p": self.p, "tags": None if self.tags is None else list(self.tags)}

    def _prepare(self, examples: Sequence[SpanExample]) -> None:
        if self.vocabulary_ is None:
            raise AugmentError(EntityErrors.E764)

    def _edits(
        self, example: SpanExample, rng: random.Random
    ) -> list[tuple[int, int, Sequence[str]]]:
        vocabulary = self.vocabulary_ or {}
        tags = example.tags
        eligible = [
            i
            for i, tag in enumerate(tags)
            if (self.tags is None or tag in self.tags) and len(vocabulary.get(tag, ((), ()))[0]) > 1
        ]
        edits: list[tuple[int, int, Sequence[str]]] = []
        for i in sorted(_pick(eligible, self.p, rng)):
            words = vocabulary[tags[i]][0]
            new = rng.choices(words, cum_weights=self._cumulative[tags[i]])[0]
            if new != example.tokens[i]:
                edits.append((i, i + 1, (new,)))
        return edits


# ---------------------------------------------------------------------------------------
# synonyms outside the entities
# ---------------------------------------------------------------------------------------
class SynonymOutsideEntities(SpanAugmenter):
    """WordNet synonym replacement on the words outside the entity spans.

    Parameters
    ----------
    synonym : Synonym, optional
        The configured :class:`~weaklabel.augment.Synonym` (its ``p``, cap per sentence,
        spaCy pipeline, protected terms). Default: ``Synonym()``.

    Notes
    -----
    Entities are never touched: their character ranges are blocked, and a synonym is
    placed only inside a single token, so token counts and entity token offsets are
    unchanged and the entity text is byte-identical.
    """

    def __init__(self, synonym: Synonym | None = None) -> None:
        if synonym is None:
            from weaklabel.augment.synonym import Synonym

            synonym = Synonym()
        self.synonym = synonym
        self._slots: dict[tuple[str, tuple[TokenSpan, ...]], list[Any]] = {}

    def get_params(self) -> dict[str, Any]:
        """The wrapped :class:`Synonym`'s parameters."""
        return {"synonym": self.synonym.get_params()}

    def _prepare(self, examples: Sequence[SpanExample]) -> None:
        """Find the replaceable words of a batch in one pass (one spaCy ``pipe``).

        Only the current batch is kept (plus the edited examples a combinator hands over
        later in the same call), so memory does not grow with the corpus.
        """
        wanted = {(ex.text, ex.spans): ex for ex in examples}
        self._slots = {k: self._slots[k] for k in wanted if k in self._slots}
        self._add([ex for k, ex in wanted.items() if k not in self._slots])

    def _add(self, examples: Sequence[SpanExample]) -> None:
        keys = [(ex.text, ex.spans) for ex in examples]
        blocked = [[(s, e) for s, e, _ in ex.char_spans()] for ex in examples]
        if keys:
            found = self.synonym.slots([k[0] for k in keys], blocked)
            self._slots.update(zip(keys, found, strict=True))

    def _edits(
        self, example: SpanExample, rng: random.Random
    ) -> list[tuple[int, int, Sequence[str]]]:
        key = (example.text, example.spans)
        if key not in self._slots:
            self._add([example])
        slots = self._slots[key]
        if not slots:
            return []
        starts = example.token_starts()
        edits: list[tuple[int, int, Sequence[str]]] = []
        used: set[int] = set()
        for start, end, word in self.synonym._choose(slots, rng):
            token = _token_at(starts, example.tokens, start, end)
            if token is None or token in used:
                continue
            used.add(token)
            t0 = starts[token]
            old = example.tokens[token]
            new = old[: start - t0] + word + old[end - t0 :]
            edits.append((token, token + 1, (new,)))
        return edits

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_slots"] = {}
        return state


def _token_at(starts: list[int], tokens: Sequence[str], start: int, end: int) -> int | None:
    """The token that holds the character range ``[start, end)``, if one does."""
    i = bisect.bisect_right(starts, start) - 1
    if 0 <= i < len(tokens) and end <= starts[i] + len(tokens[i]):
        return i
    return None
