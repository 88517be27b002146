"""Chat-model translators and paraphrasers against a local OpenAI-compatible server."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from weaklabel.augment import BackTranslation
from weaklabel.augment._errors import AugmentError, TranslatorError
from weaklabel.augment.generate.chat import (
    ChatClient,
    ChatParaphraser,
    ChatTranslator,
    parse_candidates,
)
from weaklabel.augment.generate.paraphrase import Paraphrase


@dataclass
class FakeChat:
    """What the server saw, and the failures it should answer with first."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    script: list[tuple[int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _reply(body: dict[str, Any]) -> dict[str, Any]:
    prompt = body["messages"][-1]["content"]
    text = prompt.rsplit("\n\n", 1)[-1]
    n = int(body.get("n", 1))
    if (match := re.search(r"into (\w+)", prompt)) is not None:
        contents = [f'"{text} ({match.group(1)})"'] * n
    elif (match := re.search(r"Write (\d+) different", prompt)) is not None:
        k = int(match.group(1))
        items = "\n".join(f"{i}. {text} v{i}" for i in range(1, k + 1))
        contents = [f"Here are {k} paraphrases:\n{items}"]
    else:  # one paraphrase per choice
        contents = [f"{text} c{i}" for i in range(1, n + 1)]
    return {
        "choices": [
            {"index": i, "message": {"role": "assistant", "content": c}}
            for i, c in enumerate(contents)
        ]
    }


@pytest.fixture
def server() -> Iterator[FakeChat]:
    state = FakeChat()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            body = json.loads(raw)
            with state.lock:
                state.requests.append(
                    {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
                )
                scripted = state.script.pop(0) if state.script else None
            if scripted is not None:
                status, payload = scripted
            elif self.path != "/v1/chat/completions":
                status, payload = 404, "no such route"
            else:
                status, payload = 200, json.dumps(_reply(body))
            data = payload.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(autouse=True)
def _no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_chat_translator_sends_model_prompt_and_key(server: FakeChat) -> None:
    to_fr = ChatTranslator("French", model="tiny-llm", base_url=server.url + "/", api_key="sk-1")
    assert to_fr.translate(["I love New York.", "Hi"]) == [
        "I love New York. (French)",
        "Hi (French)",
    ]
    first = server.requests[0]
    assert first["path"] == "/v1/chat/completions"
    assert first["auth"] == "Bearer sk-1"
    assert first["body"]["model"] == "tiny-llm"
    assert first["body"]["temperature"] == 0.0
    assert "n" not in first["body"]
    assert first["body"]["messages"] == [
        {
            "role": "user",
            "content": "Translate the following English text into French. Reply with the "
            "translation only, without quotes or comments.\n\nI love New York.",
        }
    ]
    assert to_fr.name == "chat:tiny-llm:English->French"
    assert "sk-1" not in repr(to_fr.client) and "sk-1" not in json.dumps(to_fr.get_params())


def test_chat_api_key_from_environment_and_none_for_local(
    server: FakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = ChatClient(model="m", base_url=server.url)
    client.complete("x")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    client.complete("x", seed=5, temperature=0.3)
    assert [r["auth"] for r in server.requests] == [None, "Bearer sk-env"]
    assert server.requests[1]["body"]["seed"] == 5
    assert server.requests[1]["body"]["temperature"] == 0.3


def test_chat_retries_server_errors_then_succeeds(server: FakeChat) -> None:
    server.script = [(500, "boom"), (429, "slow down")]
    client = ChatClient(model="m", base_url=server.url, max_retries=2, backoff=0.0)
    assert client.complete("Write a word") == ["Write a word c1"]
    assert len(server.requests) == 3

    server.script = [(503, "down")] * 3
    with pytest.raises(TranslatorError, match=r"(?s)E744.*HTTP 503: down.*retry"):
        ChatClient(model="m", base_url=server.url, max_retries=1, backoff=0.0).complete("x")


def test_chat_unauthorised_is_not_retried_and_says_how_to_fix(server: FakeChat) -> None:
    server.script = [(401, '{"error": {"message": "Incorrect API key provided"}}')]
    client = ChatClient(model="m", base_url=server.url, max_retries=3, backoff=0.0)
    with pytest.raises(
        TranslatorError, match=r"(?s)E744.*HTTP 401.*Incorrect API key.*OPENAI_API_KEY"
    ):
        client.complete("x")
    assert len(server.requests) == 1
    with pytest.raises(TranslatorError, match=r"(?s)E744.*HTTP 404.*base_url"):
        ChatClient(model="m", base_url=server.url + "/wrong").complete("x")


def test_chat_malformed_replies_and_unreachable_servers(server: FakeChat) -> None:
    client = ChatClient(model="m", base_url=server.url, backoff=0.0, max_retries=0)
    server.script = [(200, "<html>not json</html>"), (200, '{"result": "hi"}')]
    with pytest.raises(TranslatorError, match=r"(?s)E746.*not json"):
        client.complete("x")
    with pytest.raises(TranslatorError, match=r"(?s)E746.*KeyError.*result"):
        client.complete("x")
    server.script = [(200, '{"choices": [{"message": {"content": "  "}}]}')]
    with pytest.raises(TranslatorError, match=r"E747.*0 usable"):
        ChatTranslator("French", client=client).translate(["x"])
    dead = ChatClient(model="m", base_url="http://127.0.0.1:9/v1", max_retries=1, backoff=0.0)
    with pytest.raises(TranslatorError, match=r"E745.*2 attempt"):
        dead.complete("x")
    with pytest.raises(AugmentError, match="E748"):
        ChatTranslator("French", model="m", prompt_template="Translate this")
    with pytest.raises(AugmentError, match="E060"):
        ChatClient(model="m", max_workers=0)


def test_chat_parse_candidates_handles_lists_and_plain_replies() -> None:
    reply = 'Sure! Here are three:\n\n1. "A cat sat."\n2) The cat was sitting.\n- A cat sat down.\n'
    assert parse_candidates(reply) == ["A cat sat.", "The cat was sitting.", "A cat sat down."]
    assert parse_candidates("  “Le chat.”  ") == ["Le chat."]
    assert parse_candidates("In 2020 prices rose.") == ["In 2020 prices rose."]
    assert parse_candidates("   ") == []


def test_chat_paraphraser_numbered_list_and_choices(server: FakeChat) -> None:
    listed = ChatParaphraser(model="m", base_url=server.url, max_workers=2)
    out = listed.paraphrase(["the cat sat", "a dog ran", "hi"], 2, seed=3)
    assert out == [
        ["the cat sat v1", "the cat sat v2"],
        ["a dog ran v1", "a dog ran v2"],
        ["hi v1", "hi v2"],
    ]
    body = server.requests[0]["body"]
    assert "Write 2 different paraphrases" in body["messages"][0]["content"]
    assert body["temperature"] == 0.7 and body["seed"] == 3 and "n" not in body

    choices = ChatParaphraser(
        model="m", base_url=server.url, choices=True, prompt_template="Reword:\n\n{text}"
    )
    assert choices.paraphrase(["the cat sat"], 3) == [
        ["the cat sat c1", "the cat sat c2", "the cat sat c3"]
    ]
    assert server.requests[-1]["body"]["n"] == 3


def test_chat_paraphrase_augmenter_contract(server: FakeChat) -> None:
    para = Paraphrase.chat(model="m", base_url=server.url, temperature=0.9)
    out = para.augment(["the cat sat", "", None, "a dog ran"], n=3, seed=0)
    assert out == [
        ["the cat sat v1", "the cat sat v2", "the cat sat v3"],
        [],
        [],
        ["a dog ran v1", "a dog ran v2", "a dog ran v3"],
    ]
    assert para.provenance_params()["generator"]["name"] == "chat:m"
    assert para.provenance_params()["generator"]["params"]["temperature"] == 0.9
    assert len(server.requests) == 2  # unusable texts are never sent


def test_chat_back_translation_through_two_pivots(server: FakeChat) -> None:
    bt = BackTranslation.chat(["French", "German"], model="m", base_url=server.url)
    assert bt.augment(["I love New York."], n=2) == [
        ["I love New York. (French) (English)", "I love New York. (German) (English)"]
    ]
    assert bt.provenance_params() == {
        "routes": [
            ["chat:m:English->French", "chat:m:French->English"],
            ["chat:m:English->German", "chat:m:German->English"],
        ]
    }
    prompts = [r["body"]["messages"][0]["content"] for r in server.requests]
    assert "into French" in prompts[0] and "Translate the following French text" in prompts[1]
    assert all("n" not in r["body"] for r in server.requests)  # temperature 0: one choice
    server.requests.clear()
    sampled = BackTranslation.chat("French", model="m", base_url=server.url, temperature=1.0)
    assert sampled.augment(["Hi"], n=2) == [["Hi (French) (English)"]]  # duplicates dropped
    assert server.requests[-1]["body"]["n"] == 2  # the back translator asked for n choices
