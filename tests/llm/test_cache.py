"""The on-disk cache of chat replies: round trip, damaged entries, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.llm.fake_server import FakeLLM
from weaklabel.llm import LLMClient, ResponseCache
from weaklabel.llm.cache import request_key

KEY = "ab" + "0" * 30
ENTRY = {"contents": ["SPAM", "HAM"], "prompt_tokens": 12, "completion_tokens": 3}


def test_cache_round_trip_and_no_temporary_files(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    assert cache.get(KEY) is None and len(cache) == 0
    cache.put(KEY, ENTRY)
    assert cache.get(KEY) == ENTRY
    assert cache.path(KEY) == tmp_path / "ab" / f"{KEY}.json"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{KEY}.json"]
    assert len(cache) == 1 and repr(cache) == f"ResponseCache({str(tmp_path)!r})"


def test_cache_request_key_depends_on_endpoint_model_and_body() -> None:
    body = {"messages": [{"role": "user", "content": "x"}], "temperature": 0.0}
    key = request_key("http://a/v1", "m", body)
    assert key == request_key("http://a/v1", "m", dict(reversed(body.items())))
    assert key != request_key("http://b/v1", "m", body)
    assert key != request_key("http://a/v1", "n", body)
    assert key != request_key("http://a/v1", "m", {**body, "temperature": 0.5})


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"\x00\xff garbage", "unreadable|not JSON"),
        (b"", "not JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (json.dumps({**ENTRY, "version": 1, "key": "other"}).encode(), "another request"),
        (json.dumps({**ENTRY, "version": 9, "key": KEY}).encode(), "unknown version"),
        (json.dumps({**ENTRY, "version": 1, "key": KEY, "contents": "SPAM"}).encode(), "contents"),
        (
            json.dumps({**ENTRY, "version": 1, "key": KEY, "prompt_tokens": -1}).encode(),
            "prompt_tokens",
        ),
    ],
)
def test_cache_damaged_entries_are_ignored_with_a_warning(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    cache = ResponseCache(tmp_path)
    cache.put(KEY, ENTRY)
    cache.path(KEY).write_bytes(content)
    with pytest.warns(UserWarning, match=rf"E883.*{KEY}.*({problem})"):
        assert cache.get(KEY) is None
    assert cache.damaged == 1


def test_cache_a_damaged_entry_is_asked_again_and_rewritten(
    llm_server: FakeLLM, tmp_path: Path
) -> None:
    client = LLMClient(model="m", base_url=llm_server.url, cache=tmp_path)
    client.complete("Text: subscribe")
    (entry,) = [p for p in tmp_path.rglob("*.json")]
    entry.write_text("{broken", encoding="utf-8")
    with pytest.warns(UserWarning, match="E883"):
        assert client.complete("Text: subscribe") == ["SPAM"]
    assert llm_server.requests == 2
    assert json.loads(entry.read_text(encoding="utf-8"))["contents"] == ["SPAM"]
    assert client.complete("Text: subscribe") == ["SPAM"] and llm_server.requests == 2


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(content=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_cache_fuzz_any_file_content_gives_an_entry_or_none(tmp_path: Path, content: bytes) -> None:
    cache = ResponseCache(tmp_path)
    cache.path(KEY).parent.mkdir(parents=True, exist_ok=True)
    cache.path(KEY).write_bytes(content)
    with pytest.warns(UserWarning, match="E883"):
        assert cache.get(KEY) is None
