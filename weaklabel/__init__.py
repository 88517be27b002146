"""weaklabel: programmatic labeling of NLP training data.

Write what you know as labeling functions, keyword and regex sources and lexicons; apply
them to unlabeled text; fit a label model that learns how far to trust each source; get
probabilistic labels and a diagnosis of every source.

The public API is re-exported here and loaded on first use, so ``import weaklabel`` stays
fast however heavy the stage you end up using.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from weaklabel._lazy import lazy_attribute

__version__ = "0.1.0.dev0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "ABSTAIN": "weaklabel.labels",
    "LabelSpace": "weaklabel.labels",
    "LabelMatrix": "weaklabel.matrix",
    "labeling_function": "weaklabel.sources.function",
    "LabelingFunction": "weaklabel.sources.function",
    "preprocessor": "weaklabel.sources.function",
    "keyword_source": "weaklabel.sources.keyword",
    "regex_source": "weaklabel.sources.keyword",
    "Lexicon": "weaklabel.sources.lexicon",
    "lexicon_source": "weaklabel.sources.lexicon",
    "apply": "weaklabel.appliers.applier",
    "SourceCache": "weaklabel.appliers.cache",
    "summarize_sources": "weaklabel.analysis.summary",
    "summarize_matrix": "weaklabel.analysis.summary",
    "LabelModel": "weaklabel.models",
    "MajorityVote": "weaklabel.models.majority",
    "DawidSkene": "weaklabel.models.dawid_skene",
    "WeightedMajorityVote": "weaklabel.models.weighted_vote",
    "MatrixCompletion": "weaklabel.models.matrix_completion",
    "Triplet": "weaklabel.models.triplet",
    "load_wrench": "weaklabel.datasets.wrench",
    "Noise": "weaklabel.augment",
    "group_split": "weaklabel.augment",
    "leakage_report": "weaklabel.augment",
    "Synonym": "weaklabel.augment",
    "BackTranslation": "weaklabel.augment",
    "ApertiumTranslator": "weaklabel.augment",
    "CallableTranslator": "weaklabel.augment",
    "Augmenter": "weaklabel.augment",
    "Paraphrase": "weaklabel.augment",
    "AugmentationPipeline": "weaklabel.augment",
    "OneOf": "weaklabel.augment",
    "Sequential": "weaklabel.augment",
    "Sometimes": "weaklabel.augment",
    "SpanExample": "weaklabel.augment",
    "MentionReplacement": "weaklabel.augment",
    "LabelwiseTokenReplacement": "weaklabel.augment",
    "SynonymOutsideEntities": "weaklabel.augment",
    "TokenMatrix": "weaklabel.tokens",
    "write_spans": "weaklabel.tokens",
    "bio_to_spans": "weaklabel.tokens",
    "spans_to_bio": "weaklabel.tokens",
    "span_function": "weaklabel.sources.spans",
    "regex_spans": "weaklabel.sources.spans",
    "lexicon_spans": "weaklabel.sources.spans",
    "SpacyNERSource": "weaklabel.sources.spans",
    "doc_function": "weaklabel.sources.spans",
    "Gazetteer": "weaklabel.sources.gazetteer",
    "gazetteer_source": "weaklabel.sources.gazetteer",
    "apply_spans": "weaklabel.appliers.spans",
    "apply_doc_sources": "weaklabel.appliers.spans",
    "read_conll": "weaklabel.datasets.conll",
    "write_conll": "weaklabel.datasets.conll",
    "conll_to_docs": "weaklabel.datasets.conll",
    "summarize_span_sources": "weaklabel.analysis.spans",
    "SequenceLabelModel": "weaklabel.models.sequence",
    "TokenMajorityVote": "weaklabel.models.sequence",
    "TokenDawidSkene": "weaklabel.models.sequence",
    "HMM": "weaklabel.models.sequence",
    "load_sequence_model": "weaklabel.models.sequence",
    "load_wrench_seq": "weaklabel.datasets.wrench_seq",
    "LabelStats": "weaklabel.stats",
    "load_model": "weaklabel.models",
    "probs_to_preds": "weaklabel.ties",
    "overlap_matrix": "weaklabel.analysis.summary",
    "conflict_matrix": "weaklabel.analysis.summary",
    "plot_coverage": "weaklabel.analysis.plots",
    "plot_conflicts": "weaklabel.analysis.plots",
    "plot_accuracy_vs_coverage": "weaklabel.analysis.plots",
    "load_demo_reviews": "weaklabel.datasets.demo",
    "gold_spans": "weaklabel.datasets.conll",
    "LLMSource": "weaklabel.sources.llm",
    "ClassifierSource": "weaklabel.sources.model",
    "TextcatSource": "weaklabel.sources.model",
    "write_chat_jsonl": "weaklabel.export",
    "validate_chat_jsonl": "weaklabel.export",
    "write_splits": "weaklabel.export",
    "run_flow": "weaklabel.flow",
}

__all__ = [
    "ABSTAIN",
    "HMM",
    "ApertiumTranslator",
    "AugmentationPipeline",
    "Augmenter",
    "BackTranslation",
    "CallableTranslator",
    "ClassifierSource",
    "DawidSkene",
    "Gazetteer",
    "LLMSource",
    "LabelMatrix",
    "LabelModel",
    "LabelSpace",
    "LabelStats",
    "LabelingFunction",
    "LabelwiseTokenReplacement",
    "Lexicon",
    "MajorityVote",
    "MatrixCompletion",
    "MentionReplacement",
    "Noise",
    "OneOf",
    "Paraphrase",
    "SequenceLabelModel",
    "Sequential",
    "Sometimes",
    "SourceCache",
    "SpacyNERSource",
    "SpanExample",
    "Synonym",
    "SynonymOutsideEntities",
    "TextcatSource",
    "TokenDawidSkene",
    "TokenMajorityVote",
    "TokenMatrix",
    "Triplet",
    "WeightedMajorityVote",
    "__version__",
    "apply",
    "apply_doc_sources",
    "apply_spans",
    "bio_to_spans",
    "conflict_matrix",
    "conll_to_docs",
    "doc_function",
    "gazetteer_source",
    "gold_spans",
    "group_split",
    "keyword_source",
    "labeling_function",
    "leakage_report",
    "lexicon_source",
    "lexicon_spans",
    "load_demo_reviews",
    "load_model",
    "load_sequence_model",
    "load_wrench",
    "load_wrench_seq",
    "overlap_matrix",
    "plot_accuracy_vs_coverage",
    "plot_conflicts",
    "plot_coverage",
    "preprocessor",
    "probs_to_preds",
    "read_conll",
    "regex_source",
    "regex_spans",
    "run_flow",
    "span_function",
    "spans_to_bio",
    "summarize_matrix",
    "summarize_sources",
    "summarize_span_sources",
    "validate_chat_jsonl",
    "write_chat_jsonl",
    "write_conll",
    "write_spans",
    "write_splits",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from weaklabel.analysis import (
        conflict_matrix,
        overlap_matrix,
        plot_accuracy_vs_coverage,
        plot_conflicts,
        plot_coverage,
        summarize_matrix,
        summarize_sources,
    )
    from weaklabel.analysis.spans import summarize_span_sources
    from weaklabel.appliers.applier import apply
    from weaklabel.appliers.cache import SourceCache
    from weaklabel.appliers.spans import apply_doc_sources, apply_spans
    from weaklabel.augment import (
        ApertiumTranslator,
        AugmentationPipeline,
        Augmenter,
        BackTranslation,
        CallableTranslator,
        LabelwiseTokenReplacement,
        MentionReplacement,
        Noise,
        OneOf,
        Paraphrase,
        Sequential,
        Sometimes,
        SpanExample,
        Synonym,
        SynonymOutsideEntities,
        group_split,
        leakage_report,
    )
    from weaklabel.datasets.conll import conll_to_docs, gold_spans, read_conll, write_conll
    from weaklabel.datasets.demo import load_demo_reviews
    from weaklabel.datasets.wrench import load_wrench
    from weaklabel.datasets.wrench_seq import load_wrench_seq
    from weaklabel.export import validate_chat_jsonl, write_chat_jsonl, write_splits
    from weaklabel.flow import run_flow
    from weaklabel.labels import ABSTAIN, LabelSpace
    from weaklabel.matrix import LabelMatrix
    from weaklabel.models import LabelModel, load_model
    from weaklabel.models.dawid_skene import DawidSkene
    from weaklabel.models.majority import MajorityVote
    from weaklabel.models.matrix_completion import MatrixCompletion
    from weaklabel.models.sequence import (
        HMM,
        SequenceLabelModel,
        TokenDawidSkene,
        TokenMajorityVote,
        load_sequence_model,
    )
    from weaklabel.models.triplet import Triplet
    from weaklabel.models.weighted_vote import WeightedMajorityVote
    from weaklabel.sources.function import LabelingFunction, labeling_function, preprocessor
    from weaklabel.sources.gazetteer import Gazetteer, gazetteer_source
    from weaklabel.sources.keyword import keyword_source, regex_source
    from weaklabel.sources.lexicon import Lexicon, lexicon_source
    from weaklabel.sources.llm import LLMSource
    from weaklabel.sources.model import ClassifierSource, TextcatSource
    from weaklabel.sources.spans import (
        SpacyNERSource,
        doc_function,
        lexicon_spans,
        regex_spans,
        span_function,
    )
    from weaklabel.stats import LabelStats
    from weaklabel.ties import probs_to_preds
    from weaklabel.tokens import TokenMatrix, bio_to_spans, spans_to_bio, write_spans


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, name, _EXPORTS, globals())


def __dir__() -> list[str]:
    return __all__
