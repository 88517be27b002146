"""Entity-aware augmentation for span-labelled data (named entities), offsets kept right.

- :mod:`~weaklabel.augment.entities.examples`: :class:`SpanExample` (tokens, token-offset
  spans, spaces) and :func:`as_span_examples`, which reads SpanExamples, spaCy Docs or
  frames with BIO tags;
- :mod:`~weaklabel.augment.entities.base`: :class:`SpanAugmenter`, the base class that
  turns one example's edits into variants with their spans and provenance;
- :mod:`~weaklabel.augment.entities.replace`: :class:`MentionReplacement`,
  :class:`LabelwiseTokenReplacement` and :class:`SynonymOutsideEntities`;
- :mod:`~weaklabel.augment.entities.filters`: :class:`SpanConsistencyFilter`, which keeps a
  new example only when the span sources still find its entities.

Every name that ``weaklabel.augment.entities`` exported when it was one module is still
importable from here.
"""

from weaklabel._deprecated import moved_names
from weaklabel.augment.entities.base import SpanAugmenter
from weaklabel.augment.entities.examples import SpanExample, TokenSpan, as_span_examples
from weaklabel.augment.entities.filters import SpanConsistencyFilter
from weaklabel.augment.entities.replace import (
    LabelwiseTokenReplacement,
    MentionReplacement,
    SynonymOutsideEntities,
)

__all__ = [
    "LabelwiseTokenReplacement",
    "MentionReplacement",
    "SpanAugmenter",
    "SpanConsistencyFilter",
    "SpanExample",
    "SynonymOutsideEntities",
    "TokenSpan",
    "as_span_examples",
]

# The catalogue classes' messages are in weaklabel.augment._errors now.
__getattr__ = moved_names(
    __name__,
    {
        "EntityErrors": "weaklabel.augment._errors:Errors",
        "SpanFilterErrors": "weaklabel.augment._errors:Errors",
    },
)
