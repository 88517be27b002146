"""Factories of helper H's sources for the source contract (tests/sources/test_contract.py).

Each factory builds a fresh, identical source that runs offline: the LLM sources talk to
one stand-in OpenAI-compatible server (:mod:`tests.llm.fake_server`) started on first use
and stopped at exit; the model sources are trained here on a few texts in the contract's
own vocabulary (links and "subscribe" for SPAM, praise for HAM).
"""

from __future__ import annotations

import atexit
import functools
from typing import Any

from tests.llm.fake_server import FakeLLM
from weaklabel.sources.base import Source
from weaklabel.sources.llm import LLMSource
from weaklabel.sources.llm_spans import LLMSpanSource
from weaklabel.sources.model import ClassifierSource, TextcatSource
from weaklabel.sources.span_base import SpanSource

__all__ = ["classifier_source", "llm_source", "llm_span_source", "textcat_source"]

_GOLD = [
    ("check out my channel", "SPAM"),
    ("subscribe to me now", "SPAM"),
    ("free phone at http://x.example", "SPAM"),
    ("visit www.example.com", "SPAM"),
    ("I love this song", "HAM"),
    ("great chorus, good song", "HAM"),
    ("best part :)", "HAM"),
    ("love it, great", "HAM"),
]


@functools.cache
def _server() -> FakeLLM:
    fake = FakeLLM()
    fake.server.start()
    atexit.register(fake.server.stop)
    return fake


def llm_source() -> Source:
    return LLMSource("llm", ["HAM", "SPAM"], model="tiny-llm", base_url=_server().url)


def llm_span_source() -> SpanSource:
    return LLMSpanSource(
        "llm_spans", ["GPE", "ORG", "PER"], model="tiny-llm", base_url=_server().url
    )


@functools.cache
def _fitted_pipeline() -> Any:
    from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]

    texts, labels = zip(*_GOLD, strict=True)
    return make_pipeline(CountVectorizer(), LogisticRegression(C=10.0)).fit(texts, labels)


def classifier_source() -> Source:
    return ClassifierSource("classifier", _fitted_pipeline(), threshold=0.6)


@functools.cache
def _textcat() -> Any:
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("en")
    textcat: Any = nlp.add_pipe("textcat")
    for label in ("HAM", "SPAM"):
        textcat.add_label(label)
    examples = [
        Example.from_dict(nlp.make_doc(t), {"cats": {"HAM": y == "HAM", "SPAM": y == "SPAM"}})
        for t, y in _GOLD
    ]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(15):
        nlp.update(examples, sgd=optimizer)
    return nlp


def textcat_source() -> Source:
    return TextcatSource("textcat", _textcat(), threshold=0.6)
