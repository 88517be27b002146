"""Label-preserving augmentation: new training texts from labelled ones.

Use :class:`Synonym` for WordNet synonym replacement that keeps parts of speech,
inflections and proper nouns, and :class:`BackTranslation` for round trips through a
pivot language (Apertium offline, or any callable), :class:`Noise` for character and word
noise that leaves protected terms and entity spans intact. Filter the results with
:class:`NearDuplicateFilter` and :class:`LabelConsistencyFilter`, and split them with
:func:`group_split`, which never separates an augmented row from its original. Every
augmenter follows
:class:`Augmenter`'s contract: ``augment(texts, n=1, seed=0)`` and
``augment_examples(examples, ...)`` with provenance columns.
"""

from weaklabel.augment.base import Augmenter
from weaklabel.augment.filters import (
    LabelConsistencyFilter,
    NearDuplicateFilter,
    exact_duplicates,
    near_duplicate_pairs,
)
from weaklabel.augment.noise import Noise
from weaklabel.augment.splits import group_split, leakage_report
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
    "LabelConsistencyFilter",
    "NearDuplicateFilter",
    "Noise",
    "Synonym",
    "Translator",
    "exact_duplicates",
    "group_split",
    "leakage_report",
    "near_duplicate_pairs",
]
