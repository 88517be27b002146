"""Fixtures of the LLM-client tests: a stand-in OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.llm.fake_server import FakeLLM, serve


@pytest.fixture
def llm_server() -> Iterator[FakeLLM]:
    yield from serve()


@pytest.fixture(autouse=True)
def _no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
