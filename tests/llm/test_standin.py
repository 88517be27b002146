"""The local stand-in chat server used by the docs and notebook 05."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from weaklabel.llm import LLMClient, StandInServer


def _post(url: str, data: bytes) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_standin_answers_with_the_given_function_and_counts_tokens() -> None:
    seen: list[list[dict[str, str]]] = []

    def answer(messages: list[dict[str, str]]) -> str:
        seen.append(messages)
        return messages[-1]["content"].upper()

    with StandInServer(answer) as server:
        client = LLMClient(model="stand-in", base_url=server.url, system_prompt="Shout.")
        reply = client.chat("hello there")
        assert reply.contents == ["HELLO THERE"]
        assert (reply.prompt_tokens, reply.completion_tokens) == (3, 2)
        assert seen == [
            [{"role": "system", "content": "Shout."}, {"role": "user", "content": "hello there"}]
        ]
        assert server.requests == 1
        status, body = _post(server.url + "/embeddings", b"{}")
        assert status == 404 and "chat/completions" in json.dumps(body)
        status, body = _post(server.url + "/chat/completions", b"not json")
        assert status == 400 and server.requests == 1
    with pytest.raises(RuntimeError, match="start"):
        _ = server.url
