"""The LLM labeling source against a local stand-in OpenAI-compatible server."""

from __future__ import annotations

import logging
import pickle
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weaklabel as wl
from tests.llm.fake_server import FakeLLM, serve
from weaklabel.errors import ParameterError, SourceError
from weaklabel.labels import ABSTAIN
from weaklabel.sources._llm_prompt import parse_label, parse_spans
from weaklabel.sources.llm import LLMSource, few_shot

pytestmark = pytest.mark.filterwarnings("ignore:\\[W004\\]")  # the empty row, on purpose

LABELS = ["HAM", "SPAM"]
CORPUS = [
    "Check out my channel and subscribe!",  # SPAM
    "I love this song so much",  # "Ham." -> HAM
    "free iPhone at http://spam.example",  # SPAM
    "2:19 ok",  # NONE -> abstain
    "",  # not sent
    "what is this ???",  # unparsed -> abstain
    "I love this song so much",  # a repeat: answered once
]
EXPECTED = [1, 0, 1, ABSTAIN, ABSTAIN, ABSTAIN, 0]


@pytest.fixture
def llm_server() -> Iterator[FakeLLM]:
    yield from serve()


@pytest.fixture(autouse=True)
def _no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def _source(server: FakeLLM, tmp_path: Path, **kwargs: object) -> LLMSource:
    settings: dict[str, object] = {
        "model": "tiny-llm",
        "base_url": server.url,
        "cache": tmp_path / "cache",
        "backoff": 0.0,
        "max_retries": 2,
    }
    settings.update(kwargs)
    return LLMSource("llm", LABELS, **settings)  # type: ignore[arg-type]


def test_llm_source_labels_a_small_corpus_through_apply(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    source = _source(llm_server, tmp_path, price_per_1k_prompt=0.5, price_per_1k_completion=2.0)
    L = wl.apply([source], CORPUS, label_names=LABELS, progress=False)
    assert L.values[:, 0].tolist() == EXPECTED
    assert llm_server.requests == 5  # 7 rows - 1 empty - 1 repeat
    report = source.report
    assert (report.prompts, report.requests, report.cache_hits) == (6, 5, 1)
    assert (report.failures, report.unparsed, report.retries) == (0, 1, 0)
    assert report.completion_tokens == 2 * 5 and report.prompt_tokens > 0
    expected_cost = (report.prompt_tokens * 0.5 + report.completion_tokens * 2.0) / 1000
    assert report.cost == pytest.approx(expected_cost)
    assert report.as_dict()["cost"] == pytest.approx(expected_cost)
    body = next(b for b in llm_server.bodies if CORPUS[0] in b["messages"][-1]["content"])
    assert body["model"] == "tiny-llm" and body["temperature"] == 0.0
    assert body["messages"][0]["role"] == "system"
    assert "HAM, SPAM" in body["messages"][0]["content"]
    assert body["messages"][-1] == {"role": "user", "content": "Text: " + CORPUS[0]}


def test_llm_source_second_run_makes_zero_requests(llm_server: FakeLLM, tmp_path: Path) -> None:
    first = wl.apply([_source(llm_server, tmp_path)], CORPUS, label_names=LABELS, progress=False)
    sent = llm_server.requests
    again = _source(llm_server, tmp_path)  # a new source, as in a new session
    second = wl.apply([again], CORPUS, label_names=LABELS, progress=False)
    assert llm_server.requests == sent, "the second run must not reach the server"
    assert first == second
    assert again.report.requests == 0 and again.report.cache_hits == 6
    assert again.report.prompt_tokens == 0 and again.report.cost == 0.0


def test_llm_source_retries_429_honouring_retry_after_and_500(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    llm_server.script = [
        (429, '{"error": "slow down"}', {"Retry-After": "0.3"}),
        (500, "boom", {}),
    ]
    source = _source(llm_server, tmp_path, max_workers=1)
    start = time.perf_counter()
    column = source.label_texts(["subscribe now", "I love it"])
    assert time.perf_counter() - start >= 0.3, "Retry-After was not honoured"
    assert column == ["SPAM", "HAM"]
    assert source.report.retries == 2 and source.report.failures == 0
    assert source.report.requests == 4


def test_llm_source_failed_requests_abstain_are_counted_warned_and_retried_next_run(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    llm_server.script = [(503, "down", {})] * 3  # max_retries=2: three attempts, all fail
    source = _source(llm_server, tmp_path, max_workers=1)
    with pytest.warns(UserWarning, match=r"E893.*1 of 2 request.*E880.*HTTP 503"):
        column = source.label_texts(["subscribe now", "I love it"])
    assert column == [None, "HAM"]
    assert source.report.failures == 1 and source.report.retries == 2
    assert source.last_faults == 1
    sent = llm_server.requests
    assert _source(llm_server, tmp_path).label_texts(["subscribe now", "I love it"]) == [
        "SPAM",
        "HAM",
    ]
    assert llm_server.requests == sent + 1, "only the failed prompt is asked again"


def test_apply_does_not_cache_a_column_with_failed_requests(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    frame = pd.DataFrame({"text": ["subscribe now", "I love it"]})
    column_cache = tmp_path / "columns"
    llm_server.script = [(503, "down", {})] * 3  # the first prompt fails after its retries
    with pytest.warns(UserWarning, match="E893"), pytest.warns(UserWarning, match="W001"):
        first = wl.apply(
            [_source(llm_server, tmp_path, max_workers=1)],
            frame,
            label_names=LABELS,
            cache=column_cache,
            progress=False,
        )
    assert first.values[:, 0].tolist() == [ABSTAIN, 0]
    assert first.fault_counts == {"llm": 1}
    again = wl.apply(
        [_source(llm_server, tmp_path)],
        frame,
        label_names=LABELS,
        cache=column_cache,
        progress=False,
    )
    assert again.values[:, 0].tolist() == [1, 0], "the failed row was labelled again"
    assert again.fault_counts == {}


def test_llm_source_malformed_json_is_a_failure_not_a_crash(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    llm_server.script = [
        (200, "<html>gateway</html>", {"Content-Type": "text/html"}),
        (200, '{"result": "SPAM"}', {"Content-Type": "application/json"}),
    ]
    source = _source(llm_server, tmp_path, max_workers=1)
    with pytest.warns(UserWarning, match=r"E893.*2 of 3.*E882"):
        assert source.label_texts(["subscribe", "free stuff", "I love it"]) == [None, None, "HAM"]
    assert source.report.failures == 2
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 1, "failures are not cached"


def test_llm_source_slow_answers_time_out_and_raise_when_asked(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    llm_server.delay = 1.0
    source = _source(llm_server, tmp_path, timeout=0.2, max_retries=1, on_error="raise")
    start = time.perf_counter()
    with pytest.raises(SourceError, match=r"E894.*E881.*2 attempt.*timed out"):
        wl.apply([source], ["subscribe"], label_names=LABELS, progress=False)
    assert time.perf_counter() - start < 1.9, "the timeout did not cut the request short"
    assert source.report.failures == 1 and source.report.requests == 2
    llm_server.delay = 0.0
    patient = _source(llm_server, tmp_path, timeout=5.0)
    assert patient.label_texts(["subscribe"]) == ["SPAM"]


def test_llm_source_api_key_is_sent_but_never_logged_stored_or_shown(
    llm_server: FakeLLM,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = "sk-test-VERY-secret-0123456789"
    monkeypatch.setenv("WEAKLABEL_TEST_KEY", key)
    caplog.set_level(logging.DEBUG)  # every logger, openai's and httpx's included
    source = _source(llm_server, tmp_path, api_key_env="WEAKLABEL_TEST_KEY")
    llm_server.script = [(429, "busy", {"Retry-After": "0"})]
    with pytest.warns(UserWarning, match="E893"):
        llm_server.script += [(401, '{"error": "bad key"}', {})]
        source.label_texts(["what ???"])  # 429, then 401: a failure, with a message
    L = wl.apply([source], CORPUS, label_names=LABELS, progress=False)
    print(source.report, repr(source), source.client.get_params())
    assert llm_server.auth[0] == f"Bearer {key}", "the key must reach the server"
    seen = caplog.text + capsys.readouterr().out + capsys.readouterr().err
    assert "HTTP" in caplog.text, "the HTTP loggers were captured"
    assert key not in seen
    cached = list((tmp_path / "cache").rglob("*"))
    assert any(p.is_file() for p in cached)
    assert all(key.encode() not in p.read_bytes() for p in cached if p.is_file())
    assert key not in repr(source) and key not in repr(source.client)
    assert key.encode() not in pickle.dumps(source)
    cloudpickle = pytest.importorskip("cloudpickle")
    assert key.encode() not in cloudpickle.dumps(source)
    saved = tmp_path / "model.json"
    wl.LabelModel(cardinality=2, seed=0).fit(L).save(saved)
    assert key not in saved.read_text(encoding="utf-8")
    assert key not in source.fingerprint()


def test_llm_source_explicit_api_key_is_dropped_from_pickles(llm_server: FakeLLM) -> None:
    from weaklabel.llm import LLMClient

    client = LLMClient(model="m", base_url=llm_server.url, api_key="sk-explicit-999")
    source = LLMSource("llm", LABELS, client=client)
    assert source("subscribe") == "SPAM"
    assert llm_server.auth[-1] == "Bearer sk-explicit-999"
    copy = pickle.loads(pickle.dumps(source))
    assert b"sk-explicit-999" not in pickle.dumps(source)
    assert copy("I love it") == "HAM" and llm_server.auth[-1] is None


def test_llm_source_maps_names_to_the_label_space_and_refuses_unknown_ones(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    source = _source(llm_server, tmp_path)
    L = wl.apply([source], ["subscribe", "I love it"], label_names=["SPAM", "HAM"], progress=False)
    assert L.values[:, 0].tolist() == [0, 1]
    plain = wl.apply([source], ["subscribe", "I love it"], progress=False)
    assert plain.values[:, 0].tolist() == [1, 0]
    with pytest.raises(SourceError, match="E037"):
        wl.apply([source], ["subscribe"], label_names=["NEG", "POS"], progress=False)


def test_llm_source_reads_a_dataframe_column_and_one_row(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    frame = pd.DataFrame({"id": [1, 2], "body": ["subscribe", "I love it"]})
    source = _source(llm_server, tmp_path, text_column="body")
    L = wl.apply([source], frame, label_names=LABELS, progress=False)
    assert L.values[:, 0].tolist() == [1, 0]
    assert source({"body": "subscribe"}) == "SPAM"
    assert source("nothing here") is None


def test_llm_source_few_shot_examples_from_gold_rows_are_chat_turns(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    gold = pd.DataFrame(
        {
            "text": ["great song", "buy now", "love it", "free money", "x", None],
            "label": [0, 1, 0, 1, -1, 1],
        }
    )
    examples = few_shot(gold, labels=LABELS, per_label=1, seed=0)
    assert [label for _, label in examples] == ["HAM", "SPAM"]
    assert all(text in gold["text"].tolist() for text, _ in examples)
    assert few_shot(gold, labels=LABELS, per_label=1, seed=0) == examples
    assert len(few_shot(gold, labels=LABELS, per_label=5)) == 4  # only 2 of each
    source = _source(llm_server, tmp_path, examples=examples)
    source.label_texts(["subscribe"])
    messages = llm_server.bodies[-1]["messages"]
    assert [m["role"] for m in messages] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
    ]
    assert messages[1]["content"] == "Text: " + examples[0][0]
    assert messages[2]["content"] == "HAM"
    assert source.fingerprint() != _source(llm_server, tmp_path).fingerprint()
    from_frame = _source(llm_server, tmp_path, examples=gold)
    assert from_frame.examples == tuple(few_shot(gold, labels=LABELS, per_label=2))


def test_llm_source_bad_definitions_say_what_to_fix(llm_server: FakeLLM) -> None:
    url = llm_server.url
    with pytest.raises(ParameterError, match=r"E890.*\{text\}"):
        LLMSource("llm", LABELS, model="m", base_url=url, prompt_template="Label this")
    with pytest.raises(ParameterError, match="E892"):
        LLMSource("llm", ["HAM", "HAM"], model="m", base_url=url)
    with pytest.raises(ParameterError, match="E892"):
        LLMSource("llm", "HAM", model="m", base_url=url)
    with pytest.raises(ParameterError, match=r"E891.*example 1 has the label 'EGGS'"):
        LLMSource("llm", LABELS, model="m", examples=[("a", "HAM"), ("b", "EGGS")])
    with pytest.raises(ParameterError, match=r"E891.*example 0 has no text"):
        LLMSource("llm", LABELS, model="m", examples=[("  ", "HAM")])
    with pytest.raises(ParameterError, match=r"E060.*on_error"):
        LLMSource("llm", LABELS, model="m", on_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"E060.*max_workers"):
        LLMSource("llm", LABELS, model="m", max_workers=0)
    with pytest.raises(ParameterError, match=r"E035.*'label'"):
        few_shot(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(ParameterError, match=r"E060.*few_shot.*labels"):
        few_shot([("a", 0)])


def test_llm_source_fingerprint_follows_what_the_answers_depend_on(llm_server: FakeLLM) -> None:
    def make(**kw: object) -> LLMSource:
        settings: dict[str, object] = {"model": "m", "base_url": llm_server.url}
        settings.update(kw)
        return LLMSource("llm", LABELS, **settings)  # type: ignore[arg-type]

    base = make().fingerprint()
    assert make().fingerprint() == base
    assert make(max_workers=8, timeout=5.0, cache="elsewhere").fingerprint() == base
    assert make(model="other").fingerprint() != base
    assert make(temperature=0.5).fingerprint() != base
    assert make(descriptions={"SPAM": "ads"}).fingerprint() != base
    assert (
        LLMSource("llm", ["SPAM", "HAM"], model="m", base_url=llm_server.url).fingerprint() != base
    )


def test_llm_source_concurrent_requests_keep_the_order(llm_server: FakeLLM, tmp_path: Path) -> None:
    texts = [f"subscribe {i}" if i % 3 else f"I love song {i}" for i in range(24)]
    source = _source(llm_server, tmp_path, max_workers=6)
    llm_server.delay = 0.05
    start = time.perf_counter()
    column = source.label_texts(texts)
    elapsed = time.perf_counter() - start
    assert column == ["SPAM" if i % 3 else "HAM" for i in range(24)]
    assert elapsed < 24 * 0.05, f"requests did not overlap ({elapsed:.2f} s)"


def test_llm_source_answer_parsing_rules() -> None:
    assert parse_label("SPAM", LABELS, "NONE") == ("SPAM", True)
    assert parse_label("  'spam'.  ", LABELS, "NONE") == ("SPAM", True)
    assert parse_label("Label: ham", LABELS, "NONE") == ("HAM", True)
    assert parse_label('```json\n{"label": "SPAM"}\n```', LABELS, "NONE") == ("SPAM", True)
    assert parse_label("This is clearly spam, sorry.", LABELS, "NONE") == ("SPAM", True)
    assert parse_label("none", LABELS, "NONE") == (None, True)
    assert parse_label("HAM or SPAM?", LABELS, "NONE") == (None, False)
    assert parse_label("hamburger", LABELS, "NONE") == (None, False)
    assert parse_label("", LABELS, "NONE") == (None, False)
    spans, dropped, ok = parse_spans(
        'Sure:\n[{"text": "Paris", "label": "gpe"}, {"text": "x", "label": "?"}, ["Ada", "PER"]]',
        ["GPE", "PER"],
    )
    assert (spans, dropped, ok) == ([("Paris", "GPE"), ("Ada", "PER")], 1, True)
    assert parse_spans('{"entities": []}', ["GPE"]) == ([], 0, True)
    assert parse_spans("no entities here", ["GPE"]) == ([], 0, False)


def test_llm_source_missing_openai_package_says_how_to_install(
    llm_server: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openai", None)
    source = LLMSource("llm", LABELS, model="m", base_url=llm_server.url)
    with pytest.raises(ImportError, match=r"E070.*weaklabel\[llm\]"):
        source.label_texts(["subscribe"])
    assert llm_server.requests == 0


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    reply=st.text(max_size=80),
    labels=st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=4, unique=True),
)
def test_llm_source_any_reply_parses_to_a_label_or_nothing(reply: str, labels: list[str]) -> None:
    label, parsed = parse_label(reply, labels, "NONE")
    assert label is None or label in labels
    assert parsed or label is None
    spans, dropped, ok = parse_spans(reply, labels)
    assert all(text.strip() and name in labels for text, name in spans)
    assert dropped >= 0 and (ok or spans == [])
