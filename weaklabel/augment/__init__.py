"""Label-preserving augmentation: new training texts from labelled ones.

Use :class:`Synonym` for WordNet synonym replacement that keeps parts of speech,
inflections and proper nouns, and :class:`BackTranslation` for round trips through a
pivot language (Apertium offline, or any callable). Every augmenter follows
:class:`Augmenter`'s contract: ``augment(texts, n=1, seed=0)`` and
``augment_examples(examples, ...)`` with provenance columns.
"""

from weaklabel.augment.base import Augmenter
from weaklabel.augment.synonym import Synonym
from weaklabel.augment.translate import (
    ApertiumTranslator,
    BackTranslation,
    CallableTranslator,
    Translator,
)

__all__ = [
    "ApertiumTranslator",
    "Augmenter",
    "BackTranslation",
    "CallableTranslator",
    "Synonym",
    "Translator",
]
