"""The base class of entity-aware augmenters: edit a tokenised example, keep its spans.

Subclass :class:`SpanAugmenter` and implement :meth:`SpanAugmenter._edits` (the token
replacements of one variant); the base class makes variants of
:class:`~weaklabel.augment.entities.SpanExample` objects, spaCy Docs or span-labelled
frames with their provenance, and follows the plain
:class:`~weaklabel.augment.Augmenter` contract too (texts in, texts out). Example ``i``'s
variants depend only on ``(seed, start + i)``, as for every augmenter.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from weaklabel.augment.base import (
    PROVENANCE_COLUMNS,
    Augmenter,
    _check_n,
    _check_start,
    distinct_variants,
    invalid_argument,
    provenance_frame,
    rng_for,
)
from weaklabel.augment.entities.examples import SpanExample, as_span_examples

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc

__all__ = ["SpanAugmenter"]

Edit = tuple[int, int, Sequence[str]]
"""``(start_token, end_token, new_tokens)``: one replacement in a variant."""


class SpanAugmenter(Augmenter):
    """Base class of augmenters that edit tokenised examples and keep their spans.

    Subclasses implement :meth:`_edits`: the token replacements of one variant.
    """

    def _edits(self, example: SpanExample, rng: random.Random) -> list[Edit]:
        raise NotImplementedError  # pragma: no cover

    def _prepare(self, examples: Sequence[SpanExample]) -> None:
        """Batch work before variants are drawn (e.g. tagging); the default does nothing."""

    def _variant(self, example: SpanExample, rng: random.Random) -> SpanExample:
        edits = self._edits(example, rng)
        return example.replace(edits) if edits else example

    def _span_variants(self, example: SpanExample, n: int, rng: random.Random) -> list[SpanExample]:
        if not example.tokens:
            return []
        return distinct_variants(
            lambda _: self._variant(example, rng),
            example.text,
            n,
            self.max_attempts_per_variant * n,
            key=lambda variant: variant.text,
        )

    def augment_spans(
        self,
        examples: Any,
        *,
        n: int = 1,
        seed: int = 0,
        span_key: str | None = None,
        start: int = 0,
    ) -> list[list[SpanExample]]:
        """New span examples for each example.

        Parameters
        ----------
        examples : list of SpanExample or Doc, DataFrame, or records
            See :func:`~weaklabel.augment.entities.as_span_examples`.
        n : int, default=1
            At most this many variants per example.
        seed : int, default=0
            Same seed, same output; example ``i``'s variants depend only on
            ``(seed, start + i)``.
        span_key : str, optional
            For Docs: read ``doc.spans[span_key]`` instead of ``doc.ents``.
        start : int, default=0
            The position of the first example in the whole input.

        Returns
        -------
        list of list of SpanExample
            Per example, up to ``n`` distinct variants whose text differs from the
            original's, each with the original's id and its spans in the same order with
            the same labels.
        """
        n = _check_n(n)
        start = _check_start(start)
        items = as_span_examples(examples, span_key=span_key)
        self._prepare(items)
        return [
            self._span_variants(example, n, rng_for(int(seed), start + index))
            for index, example in enumerate(items)
        ]

    def _augment_batch(
        self, texts: list[str], n: int, rngs: list[random.Random]
    ) -> list[list[str]]:
        examples = [SpanExample.from_text(t) for t in texts]
        self._prepare(examples)
        return [
            [variant.text for variant in self._span_variants(example, n, rng)]
            for example, rng in zip(examples, rngs, strict=True)
        ]

    def augment_examples(
        self,
        examples: Any,
        *,
        n: int = 1,
        seed: int = 0,
        text_column: str = "text",
        id_column: str = "id",
        start: int = 0,
        span_key: str | None = None,
    ) -> pd.DataFrame:
        """New span-labelled rows, with their provenance.

        Parameters
        ----------
        examples : list of SpanExample or Doc, DataFrame, or records
            See :func:`~weaklabel.augment.entities.as_span_examples`. Other columns of a
            DataFrame are copied. Rows without span columns (only ``text_column``) are
            augmented as plain texts, as :meth:`Augmenter.augment_examples` does.
        n : int, default=1
        seed : int, default=0
        text_column : str, default="text"
            The text column of plain-text rows.
        id_column : str, default="id"
        start : int, default=0
            The position of the first example in the whole input.
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
                examples,
                n=n,
                seed=seed,
                text_column=text_column,
                id_column=id_column,
                start=start,
            )
        items = as_span_examples(examples, span_key=span_key, id_column=id_column)
        variants = self.augment_spans(items, n=n, seed=seed, start=start)
        own = ("text", "tokens", "tags", "spans", "token_spans", id_column)
        copied: list[str] = []
        records: list[dict[str, Any]] = [{} for _ in items]
        if isinstance(examples, pd.DataFrame):
            copied = [c for c in examples.columns if c not in own and c not in PROVENANCE_COLUMNS]
            if copied:
                records = [
                    {str(k): v for k, v in r.items()} for r in examples[copied].to_dict("records")
                ]
        rows = [
            (_row(variant), record, original.id, self.name)
            for original, record, found in zip(items, records, variants, strict=True)
            for variant in found
        ]
        return provenance_frame(self, rows, [*own[:-1], *copied])

    def augment_docs(
        self,
        docs: Sequence[Doc],
        *,
        n: int = 1,
        seed: int = 0,
        span_key: str | None = None,
        start: int = 0,
    ) -> list[list[Doc]]:
        """New spaCy Docs for each Doc, entities (or ``doc.spans[span_key]``) set.

        Each new Doc's ``user_data`` holds ``"original_id"`` (the input's position,
        counted from ``start``), ``"augmenter"`` and ``"params"``.
        """
        variants = self.augment_spans(list(docs), n=n, seed=seed, span_key=span_key, start=start)
        params = json.dumps(self.provenance_params(), sort_keys=True, default=str)
        out: list[list[Doc]] = []
        for index, (doc, found) in enumerate(zip(docs, variants, strict=True)):
            new_docs = []
            for variant in found:
                new = variant.to_doc(doc.vocab, span_key=span_key)
                new.user_data.update(
                    {"original_id": start + index, "augmenter": self.name, "params": params}
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
        raise invalid_argument(name, "p", "in (0, 1]", p)
    return float(p)


def _pick(candidates: list[int], p: float, rng: random.Random) -> list[int]:
    """Each candidate with probability ``p``; at least one when there are any."""
    chosen = [c for c in candidates if rng.random() < p]
    if not chosen and candidates:
        chosen = [rng.choice(candidates)]
    return chosen
