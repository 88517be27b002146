"""Combinators: one augmenter built from several, as in nlpaug's flows.

- :class:`Sequential` applies each step in turn (a step that cannot change a text leaves
  it as it is), so ``Sequential([Synonym(), Noise()])`` gives noisy paraphrases;
- :class:`OneOf` picks one augmenter per variant, with weights;
- :class:`Sometimes` applies its augmenter with probability ``p`` (inside a
  :class:`Sequential`, a step that is skipped now and then);
- :class:`EntitySafe` makes an augmenter with ``augment_with_spans`` (such as
  :class:`~weaklabel.augment.Noise`) edit span examples.

All are augmenters themselves (``augment(texts, n=..., seed=...)``) and, when every part
is entity-aware (:class:`~weaklabel.augment.entities.SpanAugmenter`), they edit span
examples too. Calls into each part are batched, so translators still see whole batches;
each part sees, for every row, a sub-stream of that row's own random stream
(``(seed, row, attempt, part)``), so the variants do not depend on the batch.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from weaklabel.augment._errors import AugmentError, Errors
from weaklabel.augment.base import Augmenter, RowKey, _usable, invalid_argument, rng_for
from weaklabel.augment.entities.base import SpanAugmenter
from weaklabel.augment.entities.examples import SpanExample

__all__ = ["EntitySafe", "OneOf", "Sequential", "Sometimes"]


def _check_parts(name: str, parts: object) -> list[Augmenter]:
    items = list(parts) if isinstance(parts, Sequence | tuple) else []
    if not items or not all(isinstance(p, Augmenter) for p in items):
        raise invalid_argument(name, "augmenters", "a non-empty list of augmenters", parts)
    return items


class _Combinator(SpanAugmenter):
    """Shared code: the parts, who made each variant, and span-mode checks."""

    @property
    def parts(self) -> list[Augmenter]:
        """The augmenters combined."""
        return list(getattr(self, "augmenters", None) or [getattr(self, "augmenter")])  # noqa: B009

    def made_by(self, original: str, variant: str) -> str:
        """``"<Combinator>(<parts that made it>)"`` for a variant of the last call."""
        return self.__dict__.get("_origin", {}).get((original, variant), self.name)

    def _variants_for(
        self, items: Sequence[object], n: int, keys: Sequence[RowKey]
    ) -> list[list[str]]:
        self._origin: dict[tuple[str, str], str] = {}
        return super()._variants_for(items, n, keys)

    def _augment_keyed(self, texts: list[str], n: int, keys: list[RowKey]) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in texts]
        self._combine(texts, n, keys, out)
        return out

    def _combine(self, texts: list[str], n: int, keys: list[RowKey], out: list[list[str]]) -> None:
        raise NotImplementedError  # pragma: no cover

    def _keep(self, out: list[list[str]], i: int, text: str, new: str, made: str) -> None:
        if new != text and new not in out[i]:
            out[i].append(new)
            self._origin[(text, new)] = f"{self.name}({made})"

    def _span_parts(self) -> list[SpanAugmenter]:
        for part in self.parts:
            if not isinstance(part, SpanAugmenter):
                raise AugmentError(Errors.E771.format(name=self.name, part=part))
        return [p for p in self.parts if isinstance(p, SpanAugmenter)]

    def _prepare(self, examples: Sequence[SpanExample]) -> None:
        for part in self._span_parts():
            part._prepare(examples)


class Sequential(_Combinator):
    """Apply augmenters one after the other.

    Parameters
    ----------
    augmenters : list of Augmenter
        The steps, in order. A step that returns nothing for a text leaves it unchanged.

    Examples
    --------
    >>> from weaklabel.augment import Noise, Synonym
    >>> flow = Sequential([Synonym(), Noise(kinds=["typo"])])  # doctest: +SKIP
    >>> flow.augment(["The committee approved the proposals."], n=2)  # doctest: +SKIP
    """

    def __init__(self, augmenters: Sequence[Augmenter]) -> None:
        self.augmenters = _check_parts("Sequential", augmenters)

    def _combine(self, texts: list[str], n: int, keys: list[RowKey], out: list[list[str]]) -> None:
        for lane in range(self.max_attempts_per_variant * n):
            pending = [i for i in range(len(texts)) if len(out[i]) < n]
            if not pending:
                break
            current = [texts[i] for i in pending]
            steps: list[list[str]] = [[] for _ in pending]
            for k, part in enumerate(self.augmenters):
                variants = part._variants_for(current, 1, [(*keys[i], lane, k) for i in pending])
                for j, (found, before) in enumerate(zip(variants, current, strict=True)):
                    if found:
                        steps[j].append(part.made_by(before, found[0]))
                current = [v[0] if v else c for v, c in zip(variants, current, strict=True)]
            for j, (i, new) in enumerate(zip(pending, current, strict=True)):
                self._keep(out, i, texts[i], new, ">".join(steps[j]))

    def _variant(self, example: SpanExample, rng: random.Random) -> SpanExample:
        for part in self._span_parts():
            example = part._variant(example, rng)
        return example


class OneOf(_Combinator):
    """Make each variant with one augmenter, drawn at random.

    Parameters
    ----------
    augmenters : list of Augmenter
    weights : sequence of float, optional
        Relative chance of each augmenter (default: equal).
    """

    def __init__(
        self, augmenters: Sequence[Augmenter], *, weights: Sequence[float] | None = None
    ) -> None:
        self.augmenters = _check_parts("OneOf", augmenters)
        if weights is None:
            weights = [1.0] * len(self.augmenters)
        w = [float(x) for x in weights]
        if len(w) != len(self.augmenters) or any(x < 0 for x in w) or sum(w) <= 0:
            raise invalid_argument(
                "OneOf",
                "weights",
                f"{len(self.augmenters)} non-negative numbers, not all zero",
                weights,
            )
        self.weights = w

    def _combine(self, texts: list[str], n: int, keys: list[RowKey], out: list[list[str]]) -> None:
        rngs = [rng_for(*key) for key in keys]
        choices = range(len(self.augmenters))
        for lane in range(self.max_attempts_per_variant * n):
            pending = [i for i in range(len(texts)) if len(out[i]) < n]
            if not pending:
                break
            groups: dict[int, list[int]] = {}
            for i in pending:
                k = rngs[i].choices(choices, weights=self.weights)[0]
                groups.setdefault(k, []).append(i)
            for k, members in sorted(groups.items()):
                part = self.augmenters[k]
                batch = [texts[i] for i in members]
                variants = part._variants_for(batch, 1, [(*keys[i], lane, k) for i in members])
                for i, found in zip(members, variants, strict=True):
                    if found:
                        self._keep(out, i, texts[i], found[0], part.made_by(texts[i], found[0]))

    def _variant(self, example: SpanExample, rng: random.Random) -> SpanExample:
        parts = self._span_parts()
        k = rng.choices(range(len(parts)), weights=self.weights)[0]
        return parts[k]._variant(example, rng)


class Sometimes(_Combinator):
    """Apply an augmenter with probability ``p``, else leave the text as it is.

    Parameters
    ----------
    augmenter : Augmenter
    p : float, default=0.5
        Chance, per text and variant, that the augmenter is applied.

    Notes
    -----
    On its own it returns variants for about a ``p`` share of the texts; its use is as a
    step of :class:`Sequential`.
    """

    def __init__(self, augmenter: Augmenter, *, p: float = 0.5) -> None:
        self.augmenter = _check_parts("Sometimes", [augmenter])[0]
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 <= p <= 1.0:
            raise invalid_argument("Sometimes", "p", "in [0, 1]", p)
        self.p = float(p)

    def _combine(self, texts: list[str], n: int, keys: list[RowKey], out: list[list[str]]) -> None:
        chosen = [i for i, key in enumerate(keys) if rng_for(*key).random() < self.p]
        if chosen:
            variants = self.augmenter._variants_for(
                [texts[i] for i in chosen], n, [(*keys[i], 0, 0) for i in chosen]
            )
            for i, found in zip(chosen, variants, strict=True):
                for variant in found:
                    self._keep(out, i, texts[i], variant, self.augmenter.made_by(texts[i], variant))

    def _variant(self, example: SpanExample, rng: random.Random) -> SpanExample:
        part = self._span_parts()[0]
        return part._variant(example, rng) if rng.random() < self.p else example


class EntitySafe(SpanAugmenter):
    """Make an augmenter with ``augment_with_spans`` edit span examples.

    Wraps augmenters such as :class:`~weaklabel.augment.Noise` that protect character
    spans and remap their offsets: entities stay byte-identical, the text around them
    changes, and the result is re-tokenised on whitespace (split at entity edges).

    Parameters
    ----------
    augmenter : Augmenter
        Anything with ``augment_with_spans(text, spans, n=, seed=)`` returning
        ``[(new_text, new_spans), ...]``.
    """

    def __init__(self, augmenter: Augmenter) -> None:
        if not callable(getattr(augmenter, "augment_with_spans", None)):
            raise invalid_argument(
                "EntitySafe",
                "augmenter",
                "an augmenter with augment_with_spans (e.g. Noise)",
                augmenter,
            )
        self.augmenter = augmenter

    @property
    def name(self) -> str:
        """``EntitySafe(<inner name>)``."""
        return f"EntitySafe({self.augmenter.name})"

    def _variant(self, example: SpanExample, rng: random.Random) -> SpanExample:
        text = example.text
        if not _usable(text):
            return example
        spans = example.char_spans()
        found = self.augmenter.augment_with_spans(  # type: ignore[attr-defined]
            text, spans, n=1, seed=rng.getrandbits(31)
        )
        if not found:
            return example
        new_text, new_spans = found[0]
        return SpanExample.from_text(new_text, new_spans, id=example.id)
