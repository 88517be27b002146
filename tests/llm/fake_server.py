"""A stand-in OpenAI-compatible chat server for the tests (pytest-httpserver, threaded).

It answers ``POST /v1/chat/completions`` like a chat model would, from fixed rules, so that
tests of the LLM client and the LLM sources run offline and deterministically. A test can
queue failures (``server.script``), slow every answer (``server.delay``), and read what
the server saw (``server.bodies``, ``server.auth``).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

PLACES = {"Paris": "GPE", "London": "GPE", "New York": "GPE", "Ada Lovelace": "PER"}


def answer_for(messages: list[dict[str, str]]) -> str:
    """What the stand-in model answers to a chat (rules on the last user message)."""
    system = messages[0]["content"] if messages and messages[0]["role"] == "system" else ""
    text = messages[-1]["content"].removeprefix("Text: ")
    if "JSON list" in system:
        found = [{"text": k, "label": v} for k, v in PLACES.items() if k in text]
        if "Mars" in text:  # a made-up label and a text that is not there: both dropped
            found += [{"text": "Mars", "label": "PLANET"}, {"text": "Venus", "label": "GPE"}]
        return "```json\n" + json.dumps(found) + "\n```" if "fenced" in text else json.dumps(found)
    low = text.lower()
    if "???" in text:
        return "Hmm, hard to say."
    if re.search(r"subscribe|http|check out|free", low):
        return "SPAM"
    if re.search(r"love|song|great", low):
        return "Ham."
    return "NONE"


class FakeLLM:
    """The stand-in server and what it saw."""

    def __init__(self) -> None:
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.lock = threading.Lock()
        self.bodies: list[dict[str, Any]] = []
        self.auth: list[str | None] = []
        self.script: list[tuple[int, str, dict[str, str]]] = []
        self.delay = 0.0
        self.server.expect_request("/v1/chat/completions", method="POST").respond_with_handler(
            self._handle
        )

    @property
    def url(self) -> str:
        return self.server.url_for("/v1").rstrip("/")

    @property
    def requests(self) -> int:
        return len(self.bodies)

    def _handle(self, request: Request) -> Response:
        body = json.loads(request.get_data())
        with self.lock:
            self.bodies.append(body)
            self.auth.append(request.headers.get("Authorization"))
            scripted = self.script.pop(0) if self.script else None
        if self.delay:
            time.sleep(self.delay)
        if scripted is not None:
            status, payload, headers = scripted
            return Response(payload, status=status, headers=headers)
        content = answer_for(body["messages"])
        words = sum(len(m["content"].split()) for m in body["messages"])
        reply = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": words, "completion_tokens": 2, "total_tokens": words + 2},
        }
        return Response(json.dumps(reply), status=200, content_type="application/json")


def serve() -> Iterator[FakeLLM]:
    """Run a :class:`FakeLLM` for one test (``yield from serve()`` in a fixture)."""
    fake = FakeLLM()
    fake.server.start()
    try:
        yield fake
    finally:
        fake.server.clear()
        fake.server.stop()
