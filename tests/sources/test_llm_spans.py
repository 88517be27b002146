"""The LLM span source against a local stand-in OpenAI-compatible server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import weaklabel as wl
from tests.llm.fake_server import FakeLLM, serve
from weaklabel.errors import ParameterError, SourceError
from weaklabel.sources.llm_spans import LLMSpanSource

spacy = pytest.importorskip("spacy")

TYPES = ["GPE", "PER"]


@pytest.fixture
def llm_server() -> Iterator[FakeLLM]:
    yield from serve()


@pytest.fixture(autouse=True)
def _no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def _docs(*texts: str) -> list[Any]:
    nlp = spacy.blank("en")
    return [nlp(t) for t in texts]


def _source(server: FakeLLM, tmp_path: Path, **kw: Any) -> LLMSpanSource:
    settings: dict[str, Any] = {"model": "m", "base_url": server.url, "backoff": 0.0}
    settings["cache"] = tmp_path / "cache"
    settings.update(kw)
    return LLMSpanSource("llm_spans", TYPES, **settings)


def _chat(content: str) -> str:
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})


def test_llm_spans_are_found_in_the_tokens_and_applied(llm_server: FakeLLM, tmp_path: Path) -> None:
    docs = _docs(
        "Dr. Ada Lovelace met Mr. Babbage in London .",
        "From Paris to Paris , via New York .",
        "nothing here",
        "",
    )
    source = _source(llm_server, tmp_path)
    tm = wl.apply_spans([source], docs, label_names=TYPES, progress=False)
    assert tm.source_names == ("llm_spans",)
    assert source.spans_batch(docs) == [
        [(1, 3, "PER"), (7, 8, "GPE")],
        [(1, 2, "GPE"), (3, 4, "GPE"), (6, 8, "GPE")],  # every occurrence, whole tokens
        [],
        [],
    ]
    assert [(s.start, s.end, s.label_) for s in docs[0].spans["llm_spans"]] == [
        (1, 3, "PER"),
        (7, 8, "GPE"),
    ]
    assert llm_server.requests == 3, "the empty doc is not sent"
    system = llm_server.bodies[0]["messages"][0]["content"]
    assert "GPE, PER" in system and "JSON list" in system


def test_llm_spans_second_run_makes_zero_requests(llm_server: FakeLLM, tmp_path: Path) -> None:
    docs = _docs("I live in London .", "Paris , fenced please")
    first = _source(llm_server, tmp_path).spans_batch(docs)
    assert first == [[(3, 4, "GPE")], [(0, 1, "GPE")]]  # the fenced ```json reply too
    sent = llm_server.requests
    again = _source(llm_server, tmp_path)
    assert again.spans_batch(docs) == first
    assert llm_server.requests == sent and again.report.cache_hits == 2


def test_llm_spans_unknown_labels_missing_texts_and_prose_are_counted(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    source = _source(llm_server, tmp_path, max_workers=1)
    assert source.spans_batch(_docs("Mars and London")) == [[(2, 3, "GPE")]]
    assert source.report.dropped == 2  # PLANET is no type; "Venus" is not in the text
    llm_server.script = [(200, _chat("I found Paris in there."), {})]
    assert source.spans_batch(_docs("Paris again")) == [[]]
    assert source.report.unparsed == 1


def test_llm_spans_failures_warn_or_raise(llm_server: FakeLLM, tmp_path: Path) -> None:
    llm_server.script = [(500, "boom", {})] * 2
    source = _source(llm_server, tmp_path, max_retries=1)
    with pytest.warns(UserWarning, match=r"E893.*1 of 1"):
        assert source.spans_batch(_docs("London")) == [[]]
    llm_server.script = [(400, "bad request", {})]
    strict = _source(llm_server, tmp_path, on_error="raise")
    with pytest.raises(SourceError, match=r"E894.*HTTP 400"):
        strict.spans_batch(_docs("Paris"))


def test_llm_spans_few_shot_answers_are_the_json_the_model_should_give(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    source = _source(llm_server, tmp_path, examples=[("Ada went to Rome", [("Rome", "GPE")])])
    source.spans_batch(_docs("London"))
    messages = llm_server.bodies[-1]["messages"]
    assert json.loads(messages[2]["content"]) == [{"text": "Rome", "label": "GPE"}]
    with pytest.raises(ParameterError, match=r"E891.*example 0.*Oslo"):
        _source(llm_server, tmp_path, examples=[("Ada went to Rome", [("Oslo", "GPE")])])
    with pytest.raises(ParameterError, match=r"E891.*PLANET"):
        _source(llm_server, tmp_path, examples=[("Mars", [("Mars", "PLANET")])])
