"""Label consistency for span data: keep a new example only if the sources still find its spans.

Use :class:`SpanConsistencyFilter` after entity-aware augmentation (mention replacement,
label-wise token replacement, noise): each new example is turned into a spaCy Doc, the
span sources are applied again (:func:`weaklabel.apply_spans`), the fitted sequence label
model predicts its tags, and the example is kept only when the predicted entities agree
with the ones it carries. It is the span counterpart of
:class:`~weaklabel.augment.LabelConsistencyFilter`, and a
:class:`~weaklabel.augment.filters.Filter` like it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel._deprecated import moved_names
from weaklabel.augment.base import invalid_argument
from weaklabel.augment.entities.examples import SpanExample, as_span_examples
from weaklabel.augment.filters.base import Columns, Filter
from weaklabel.tags import bio_to_spans

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SpanConsistencyFilter"]

# The messages of SpanFilterErrors are in the augment catalogue now.
__getattr__ = moved_names(__name__, {"SpanFilterErrors": "weaklabel.augment._errors:Errors"})

MATCHES = ("exact", "recall")


class SpanConsistencyFilter(Filter):
    """Drop augmented span examples whose entities the weak sources no longer support.

    Parameters
    ----------
    sources : span source or iterable of them
        The span sources the sequence label model was fitted on, in the same order.
    model : fitted sequence label model
        Anything with ``predict(TokenMatrix) -> list of list of BIO tags`` and ``tags_``
        (``SequenceLabelModel``, ``HMM``, ``TokenMajorityVote``...).
    vocab : spacy.vocab.Vocab, optional
        The vocabulary for the Docs built from examples (default: a blank English one).
    match : {"exact", "recall"}, default="exact"
        ``"exact"``: the predicted entities must equal the example's (same tokens and
        labels, no more, no fewer). ``"recall"``: every entity of the example must be
        predicted; extra predicted entities are allowed (sources that cover little).

    Examples
    --------
    >>> from weaklabel.models.sequence import TokenMajorityVote  # doctest: +SKIP
    >>> f = SpanConsistencyFilter(sources, model.fit(tm))  # doctest: +SKIP
    >>> f.keep(new_examples)  # doctest: +SKIP
    """

    def __init__(
        self, sources: Any, model: Any, *, vocab: Any = None, match: str = "exact"
    ) -> None:
        if not callable(getattr(model, "predict", None)) or getattr(model, "tags_", None) is None:
            raise invalid_argument(
                "SpanConsistencyFilter",
                "model",
                "a fitted sequence label model (with predict and tags_)",
                model,
            )
        if match not in MATCHES:
            raise invalid_argument("SpanConsistencyFilter", "match", f"one of {MATCHES}", match)
        self.sources = sources
        self.model = model
        self.vocab = vocab
        self.match = match

    def __repr__(self) -> str:
        return f"SpanConsistencyFilter(model={type(self.model).__name__}, match={self.match!r})"

    def _vocab(self) -> Any:
        if self.vocab is None:
            import spacy

            self.vocab = spacy.blank("en").vocab
        return self.vocab

    def predict(self, examples: Any) -> list[SpanExample]:
        """The examples with the spans the sources and the model give them.

        Parameters
        ----------
        examples : list of SpanExample or Doc, DataFrame, or records
            See :func:`weaklabel.augment.entities.as_span_examples`.

        Returns
        -------
        list of SpanExample
            Same tokens, predicted spans.
        """
        from weaklabel.appliers.spans import apply_spans

        items = as_span_examples(examples)
        if not items:
            return []
        docs = [SpanExample(ex.tokens, (), ex.spaces).to_doc(self._vocab()) for ex in items]
        tags = tuple(self.model.tags_)
        entity_types = tuple(dict.fromkeys(t[2:] for t in tags if t != "O"))
        matrix = apply_spans(self.sources, docs, label_names=entity_types, progress=False)
        predicted = self.model.predict(matrix)
        return [
            SpanExample(ex.tokens, tuple(bio_to_spans(p)), ex.spaces, id=ex.id)
            for ex, p in zip(items, predicted, strict=True)
        ]

    def keep(self, examples: Any) -> np.ndarray:
        """Mask of the examples whose entities the model still predicts.

        Parameters
        ----------
        examples : list of SpanExample or Doc, DataFrame, or records
            ``n`` (augmented) examples, with the spans they should have.

        Returns
        -------
        ndarray of shape (n,), dtype bool
        """
        items = as_span_examples(examples)
        predicted = self.predict(items)
        mask = np.zeros(len(items), dtype=bool)
        for i, (claimed, found) in enumerate(zip(items, predicted, strict=True)):
            if self.match == "exact":
                mask[i] = set(claimed.spans) == set(found.spans)
            else:
                mask[i] = set(claimed.spans) <= set(found.spans)
        return mask

    def filter(self, examples: Any) -> list[SpanExample]:
        """The examples :meth:`keep` keeps, in order."""
        items = as_span_examples(examples)
        mask = self.keep(items)
        return [ex for ex, k in zip(items, mask, strict=True) if k]

    def _keep_rows(self, augmented: pd.DataFrame, originals: Any, columns: Columns) -> Any:
        """:meth:`keep` over the augmented rows (``tokens`` + ``token_spans`` or ``tags``
        columns); the originals and the column names are not needed."""
        return self.keep(augmented)
