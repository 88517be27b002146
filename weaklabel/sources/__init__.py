"""Sources: the heuristics that vote, on whole documents or on token spans.

Document sources give one class (or ``ABSTAIN``) per example and are applied with
:func:`weaklabel.apply`: :func:`labeling_function` (any Python rule),
:func:`keyword_source` and :func:`regex_source` (:class:`RegexSource`, a whole column at
once), and :func:`lexicon_source` (:class:`LexiconSource`, a :class:`Lexicon` of weighted
terms). Every one subclasses :class:`Source` (:mod:`weaklabel.sources.base`).

Span sources mark ``(start, end, label)`` token spans in spaCy docs and are applied with
:func:`weaklabel.apply_spans`: :func:`span_function`, :func:`regex_spans`,
:func:`gazetteer_source` (:class:`Gazetteer` entries), :func:`lexicon_spans`,
:class:`SpacyNERSource` and :func:`doc_function` (a document vote written as one span).

Model-backed sources: :class:`LLMSource` (an OpenAI-compatible chat endpoint; spans with
:class:`LLMSpanSource`), :class:`ClassifierSource` (any scikit-learn-style classifier) and
:class:`TextcatSource` (a spaCy ``textcat``), each abstaining below a confidence.
Every one subclasses :class:`SpanSource` (:mod:`weaklabel.sources.span_base`).

The names are loaded on first use, so ``import weaklabel.sources`` imports neither pandas
nor spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from weaklabel._lazy import lazy_attribute

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Source": "weaklabel.sources.base",
    "LabelingFunction": "weaklabel.sources.function",
    "Preprocessor": "weaklabel.sources.function",
    "labeling_function": "weaklabel.sources.function",
    "preprocessor": "weaklabel.sources.function",
    "RegexSource": "weaklabel.sources.keyword",
    "keyword_source": "weaklabel.sources.keyword",
    "regex_source": "weaklabel.sources.keyword",
    "Lexicon": "weaklabel.sources.lexicon",
    "LexiconSource": "weaklabel.sources.lexicon",
    "lexicon_source": "weaklabel.sources.lexicon",
    "SpanSource": "weaklabel.sources.span_base",
    "SpanFunction": "weaklabel.sources.spans",
    "span_function": "weaklabel.sources.spans",
    "RegexSpans": "weaklabel.sources.spans",
    "regex_spans": "weaklabel.sources.spans",
    "lexicon_spans": "weaklabel.sources.spans",
    "SpacyNERSource": "weaklabel.sources.spans",
    "DocumentSource": "weaklabel.sources.spans",
    "doc_function": "weaklabel.sources.spans",
    "Gazetteer": "weaklabel.sources.gazetteer",
    "GazetteerSource": "weaklabel.sources.gazetteer",
    "gazetteer_source": "weaklabel.sources.gazetteer",
    "LLMSource": "weaklabel.sources.llm",
    "LLMSpanSource": "weaklabel.sources.llm_spans",
    "ClassifierSource": "weaklabel.sources.model",
    "TextcatSource": "weaklabel.sources.model",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from weaklabel.sources.base import Source
    from weaklabel.sources.function import (
        LabelingFunction,
        Preprocessor,
        labeling_function,
        preprocessor,
    )
    from weaklabel.sources.gazetteer import Gazetteer, GazetteerSource, gazetteer_source
    from weaklabel.sources.keyword import RegexSource, keyword_source, regex_source
    from weaklabel.sources.lexicon import Lexicon, LexiconSource, lexicon_source
    from weaklabel.sources.llm import LLMSource
    from weaklabel.sources.llm_spans import LLMSpanSource
    from weaklabel.sources.model import ClassifierSource, TextcatSource
    from weaklabel.sources.span_base import SpanSource
    from weaklabel.sources.spans import (
        DocumentSource,
        RegexSpans,
        SpacyNERSource,
        SpanFunction,
        doc_function,
        lexicon_spans,
        regex_spans,
        span_function,
    )

__all__ = [
    "ClassifierSource",
    "DocumentSource",
    "Gazetteer",
    "GazetteerSource",
    "LLMSource",
    "LLMSpanSource",
    "LabelingFunction",
    "Lexicon",
    "LexiconSource",
    "Preprocessor",
    "RegexSource",
    "RegexSpans",
    "Source",
    "SpacyNERSource",
    "SpanFunction",
    "SpanSource",
    "TextcatSource",
    "doc_function",
    "gazetteer_source",
    "keyword_source",
    "labeling_function",
    "lexicon_source",
    "lexicon_spans",
    "preprocessor",
    "regex_source",
    "regex_spans",
    "span_function",
]


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, name, _EXPORTS, globals())


def __dir__() -> list[str]:
    return __all__
