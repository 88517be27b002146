"""The LLM client against a local stand-in OpenAI-compatible server."""

from __future__ import annotations

import datetime
import email.utils
import pickle
from pathlib import Path

import pytest

from tests.llm.fake_server import FakeLLM
from weaklabel.errors import LLMError, ParameterError
from weaklabel.llm import LLMClient, LLMUsage


def _client(server: FakeLLM, **kw: object) -> LLMClient:
    settings: dict[str, object] = {"model": "m", "base_url": server.url + "/", "backoff": 0.0}
    settings.update(kw)
    return LLMClient(**settings)  # type: ignore[arg-type]


def test_client_chat_sends_the_request_and_reads_choices_and_tokens(llm_server: FakeLLM) -> None:
    client = _client(llm_server, system_prompt="Be brief.", extra_body={"max_tokens": 5})
    reply = client.chat("Text: subscribe", n=2, seed=7, temperature=0.2)
    assert reply.contents == ["SPAM"] and not reply.cached and reply.attempts == 1
    assert reply.prompt_tokens == 4 and reply.completion_tokens == 2
    body = llm_server.bodies[0]
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Text: subscribe"},
    ]
    assert (body["n"], body["seed"], body["temperature"], body["max_tokens"]) == (2, 7, 0.2, 5)
    assert llm_server.auth == [None], "no key configured: no Authorization header"
    assert client.url == llm_server.url + "/chat/completions"
    whole = [{"role": "user", "content": "Text: I love it"}]
    assert client.complete(whole) == ["Ham."]
    assert llm_server.bodies[1]["messages"] == whole


def test_client_usage_counts_and_costs(llm_server: FakeLLM, tmp_path: Path) -> None:
    client = _client(
        llm_server, cache=tmp_path, price_per_1k_prompt=1.0, price_per_1k_completion=3.0
    )
    client.complete_many(["Text: a", "Text: b", "Text: a"])
    client.complete_many(["Text: a"])
    usage = client.usage
    assert (usage.prompts, usage.requests, usage.cache_hits) == (4, 2, 2)
    assert (usage.prompt_tokens, usage.completion_tokens) == (4, 4)
    assert usage.cost == pytest.approx((4 * 1.0 + 4 * 3.0) / 1000)
    assert "4 prompt(s): 2 request(s), 2 cache hit(s)" in str(usage)
    usage.reset()
    assert usage.as_dict()["prompts"] == 0 and usage.price_per_1k_prompt == 1.0


def test_client_cache_key_ignores_the_api_key(
    llm_server: FakeLLM, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-one")
    _client(llm_server, cache=tmp_path).complete("Text: hi")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-two")
    again = _client(llm_server, cache=tmp_path)
    again.complete("Text: hi")
    assert llm_server.requests == 1 and again.usage.cache_hits == 1
    assert llm_server.auth == ["Bearer sk-one"]
    assert _client(llm_server, cache=tmp_path, model="other").complete("Text: hi")
    assert llm_server.requests == 2, "another model is another cache entry"


def test_client_errors_name_the_endpoint_and_the_fix(llm_server: FakeLLM) -> None:
    llm_server.script = [(401, '{"error": "invalid key"}', {})]
    client = _client(llm_server, api_key_env="MY_KEY", max_retries=3)
    with pytest.raises(LLMError, match=r"(?s)E880.*HTTP 401 after 1 attempt.*invalid key.*MY_KEY"):
        client.complete("x")
    assert llm_server.requests == 1, "401 is not retried"
    llm_server.script = [(503, "down", {})] * 3
    with pytest.raises(LLMError, match=r"(?s)E880.*HTTP 503 after 3 attempt") as info:
        _client(llm_server, max_retries=2).complete("x")
    assert (info.value.status, info.value.attempts, info.value.kind) == (503, 3, "http")  # type: ignore[attr-defined]
    dead = LLMClient(model="m", base_url="http://127.0.0.1:9/v1", max_retries=1, backoff=0.0)
    with pytest.raises(LLMError, match=r"E881.*2 attempt"):
        dead.complete("x")
    assert dead.usage.failures == 1 and dead.usage.retries == 1


def test_client_backoff_doubles_with_jitter_and_honours_retry_after() -> None:
    client = LLMClient(model="m", backoff=0.5, max_backoff=3.0, jitter=0.1)
    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=10)
    for attempt, base in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 3.0), (9, 3.0)]:
        waits = [client._wait(attempt, None) for _ in range(50)]
        assert all(base <= w <= base * 1.1 for w in waits)
        assert len(set(waits)) > 1, "jitter spreads the waits"
    assert client._wait(1, "2") == 2.0
    assert client._wait(1, "120") == 3.0, "Retry-After is capped by max_backoff"
    assert client._wait(1, "Wed, 21 Oct 2015 07:28:00 GMT") == 0.0, "a date in the past"
    assert 2.0 < client._wait(1, email.utils.format_datetime(soon, usegmt=True)) <= 3.0
    assert 0.5 <= client._wait(1, "soon") <= 0.55, "an unreadable value: the usual backoff"


def test_client_settings_are_checked() -> None:
    bad_settings: list[dict[str, object]] = [
        {"max_retries": -1},
        {"max_workers": 0},
        {"timeout": 0},
        {"backoff": -1.0},
        {"model": ""},
        {"price_per_1k_prompt": "1"},
    ]
    for bad in bad_settings:
        settings: dict[str, object] = {"model": "m"}
        settings.update(bad)
        with pytest.raises(ParameterError, match=r"E060.*LLMClient"):
            LLMClient(**settings)  # type: ignore[arg-type]


def test_client_pickle_keeps_settings_but_never_the_key(llm_server: FakeLLM) -> None:
    client = _client(llm_server, api_key="sk-in-memory", temperature=0.3)
    client.complete("Text: subscribe")
    data = pickle.dumps(client)
    assert b"sk-in-memory" not in data
    copy = pickle.loads(data)
    assert copy.get_params() == client.get_params()
    assert "sk-in-memory" not in repr(client) and "api_key" not in client.get_params()
    assert isinstance(copy.usage, LLMUsage) and copy.usage.requests == 1
    assert copy.complete("Text: I love it") == ["Ham."]
    assert llm_server.auth == ["Bearer sk-in-memory", None]


def test_client_close_and_reopen_and_a_quiet_progress_bar(
    llm_server: FakeLLM, capsys: pytest.CaptureFixture[str]
) -> None:
    with _client(llm_server, progress=False, max_workers=2) as client:
        assert client.complete_many(["Text: subscribe", "Text: I love it"]) == [["SPAM"], ["Ham."]]
    assert client._openai is None, "leaving the block closed the connections"
    assert client.complete("Text: free") == ["SPAM"], "a closed client opens new connections"
    client.close()
    assert capsys.readouterr().err == ""
