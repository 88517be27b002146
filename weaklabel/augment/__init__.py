"""Label-preserving augmentation: new training texts from labelled ones.

Use :class:`Synonym` for WordNet synonym replacement that keeps parts of speech,
inflections and proper nouns; :class:`BackTranslation` for round trips through a pivot
language (Apertium offline, a transformers seq2seq model, an OpenAI-compatible chat
endpoint, or any callable); :class:`Paraphrase` for model-written paraphrases;
:class:`Noise` (or :class:`AuglyNoise` and :class:`NlpaugNoise`, which wrap those
libraries) for character and word noise that leaves protected terms and entity spans
intact. Filter the results with :class:`NearDuplicateFilter`,
:class:`LabelConsistencyFilter` and :class:`SemanticFidelityFilter`, and split them
with :func:`group_split`, which never separates an augmented row from its original.
Every augmenter follows :class:`Augmenter`'s contract: ``augment(texts, n=1, seed=0)``
and ``augment_examples(examples, ...)`` with provenance columns, each row seeded by
``(seed, its position)``, and ``get_params``/``set_params`` read from its constructor.
Every filter implements :class:`Filter`.

For span data (named entities), :class:`MentionReplacement`,
:class:`LabelwiseTokenReplacement`, :class:`SynonymOutsideEntities` and
:class:`EntitySafe` edit :class:`SpanExample` objects (or Docs, or frames with BIO tags)
and keep every entity's offsets right; :class:`SpanConsistencyFilter` re-checks them with
the span sources. Compose augmenters with :class:`Sequential`, :class:`OneOf` and
:class:`Sometimes`, and run them over a dataset with :class:`AugmentationPipeline`.

The subpackages say what is inside: :mod:`~weaklabel.augment.text` (synonyms, WordNet,
noise), :mod:`~weaklabel.augment.entities` (span examples, entity-aware augmenters, the
span filter), :mod:`~weaklabel.augment.generate` (translators, back-translation,
seq2seq and chat models, paraphrase), :mod:`~weaklabel.augment.filters` (the
:class:`Filter` protocol, duplicates, label consistency, semantic fidelity); the modules
:mod:`~weaklabel.augment.base` (the contract), :mod:`~weaklabel.augment.combine`,
:mod:`~weaklabel.augment.pipeline` and :mod:`~weaklabel.augment.splits` sit at the top.
"""

from weaklabel.augment.base import Augmenter
from weaklabel.augment.combine import EntitySafe, OneOf, Sequential, Sometimes
from weaklabel.augment.entities import (
    LabelwiseTokenReplacement,
    MentionReplacement,
    SpanAugmenter,
    SpanConsistencyFilter,
    SpanExample,
    SynonymOutsideEntities,
)
from weaklabel.augment.filters import (
    Filter,
    LabelConsistencyFilter,
    NearDuplicateFilter,
    SemanticFidelityFilter,
    exact_duplicates,
    near_duplicate_pairs,
)
from weaklabel.augment.generate.chat import ChatClient, ChatParaphraser, ChatTranslator
from weaklabel.augment.generate.paraphrase import Paraphrase
from weaklabel.augment.generate.seq2seq import Seq2SeqParaphraser, Seq2SeqTranslator
from weaklabel.augment.generate.translate import (
    ApertiumTranslator,
    BackTranslation,
    CallableTranslator,
    Translator,
)
from weaklabel.augment.pipeline import AugmentationPipeline
from weaklabel.augment.splits import group_split, leakage_report
from weaklabel.augment.text.noise import Noise
from weaklabel.augment.text.noise_backends import AuglyNoise, NlpaugNoise
from weaklabel.augment.text.synonym import Synonym

__all__ = [
    "ApertiumTranslator",
    "AuglyNoise",
    "AugmentationPipeline",
    "Augmenter",
    "BackTranslation",
    "CallableTranslator",
    "ChatClient",
    "ChatParaphraser",
    "ChatTranslator",
    "EntitySafe",
    "Filter",
    "LabelConsistencyFilter",
    "LabelwiseTokenReplacement",
    "MentionReplacement",
    "NearDuplicateFilter",
    "NlpaugNoise",
    "Noise",
    "OneOf",
    "Paraphrase",
    "SemanticFidelityFilter",
    "Seq2SeqParaphraser",
    "Seq2SeqTranslator",
    "Sequential",
    "Sometimes",
    "SpanAugmenter",
    "SpanConsistencyFilter",
    "SpanExample",
    "Synonym",
    "SynonymOutsideEntities",
    "Translator",
    "exact_duplicates",
    "group_split",
    "leakage_report",
    "near_duplicate_pairs",
]
