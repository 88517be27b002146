"""Entity-aware augmenters: new texts whose entity spans stay right.

Use these augmenters when your examples carry entity spans (a NER training set, the
output of a sequence label model) and the new texts must carry them too. Each one edits a
tokenised :class:`~weaklabel.augment.entities.SpanExample` and rebuilds its spans, so
every entity's token offsets and character offsets point at the entity's text in the new
example, and every entity keeps its label:

- :class:`MentionReplacement` swaps an entity mention for another mention of the same type,
  taken from a gazetteer, a ``{label: [names]}`` mapping or the training set itself
  (Dai & Adel 2020, "An Analysis of Simple Data Augmentation for Named Entity
  Recognition").
- :class:`LabelwiseTokenReplacement` replaces tokens with other tokens that carry the same
  BIO tag in the training set (Dai & Adel's label-wise token replacement).
- :class:`SynonymOutsideEntities` runs :class:`~weaklabel.augment.Synonym` on the words
  outside the entities; the entities stay byte-identical.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from weaklabel.augment._errors import AugmentError, Errors
from weaklabel.augment.entities.base import Edit, SpanAugmenter, _check_probability, _pick
from weaklabel.augment.entities.examples import SpanExample, TokenSpan, as_span_examples
from weaklabel.augment.text.synonym import Synonym

if TYPE_CHECKING:
    from weaklabel.sources.gazetteer import Gazetteer

__all__ = ["LabelwiseTokenReplacement", "MentionReplacement", "SynonymOutsideEntities"]


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
    whose label has no other mention are left alone. ``mentions`` is stored as the table
    ``{label: (mention tokens, ...)}`` it was read into.

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
            raise AugmentError(Errors.E763.format(name="MentionReplacement"))

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

    def provenance_params(self) -> dict[str, Any]:
        """``p``, ``labels`` and the number of mentions per label (not the mentions)."""
        return {
            **super().provenance_params(),
            "mentions": {k: len(v) for k, v in sorted(self.mentions.items())},
        }

    def _edits(self, example: SpanExample, rng: random.Random) -> list[Edit]:
        eligible = [
            k
            for k, (_, _, label) in enumerate(example.spans)
            if (self.labels is None or label in self.labels)
            and len(self.mentions.get(label, ())) > 1
        ]
        edits: list[Edit] = []
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
    """``{label: (mention tokens, ...)}``; a table of this shape reads back unchanged."""
    pairs: list[tuple[str, str]]
    if hasattr(mentions, "terms") and callable(mentions.terms):
        pairs = [(str(name), str(label)) for name, label in mentions.terms()]
    elif isinstance(mentions, Mapping):
        pairs = [
            (name if isinstance(name, str) else " ".join(name), str(label))
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
        self._cumulative = _cumulative(self.vocabulary_)
        return self

    @classmethod
    def from_examples(
        cls, examples: Any, *, p: float = 0.3, tags: Iterable[str] | None = None
    ) -> LabelwiseTokenReplacement:
        """A fitted instance: ``LabelwiseTokenReplacement(p=p, tags=tags).fit(examples)``."""
        return cls(p=p, tags=tags).fit(examples)

    def _prepare(self, examples: Sequence[SpanExample]) -> None:
        if self.vocabulary_ is None:
            raise AugmentError(Errors.E764)
        if not self._cumulative:  # after set_params, which keeps vocabulary_ only
            self._cumulative = _cumulative(self.vocabulary_)

    def _edits(self, example: SpanExample, rng: random.Random) -> list[Edit]:
        vocabulary = self.vocabulary_ or {}
        tags = example.tags
        eligible = [
            i
            for i, tag in enumerate(tags)
            if (self.tags is None or tag in self.tags) and len(vocabulary.get(tag, ((), ()))[0]) > 1
        ]
        edits: list[Edit] = []
        for i in sorted(_pick(eligible, self.p, rng)):
            words = vocabulary[tags[i]][0]
            new = rng.choices(words, cum_weights=self._cumulative[tags[i]])[0]
            if new != example.tokens[i]:
                edits.append((i, i + 1, (new,)))
        return edits


def _cumulative(
    vocabulary: Mapping[str, tuple[tuple[str, ...], tuple[int, ...]]],
) -> dict[str, tuple[int, ...]]:
    return {tag: tuple(itertools.accumulate(weights)) for tag, (_, weights) in vocabulary.items()}


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
        self.synonym = Synonym() if synonym is None else synonym
        self._slots: dict[tuple[str, tuple[TokenSpan, ...]], list[Any]] = {}

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

    def _edits(self, example: SpanExample, rng: random.Random) -> list[Edit]:
        key = (example.text, example.spans)
        if key not in self._slots:
            self._add([example])
        slots = self._slots[key]
        if not slots:
            return []
        starts = example.token_starts()
        edits: list[Edit] = []
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
