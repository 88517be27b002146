"""The LLM client: the one way weaklabel talks to a chat model.

:class:`LLMClient` speaks to any OpenAI-compatible ``/chat/completions`` endpoint through
the ``openai`` package (the ``llm`` extra), with the API key read from an environment
variable (never logged or stored), retries with backoff, a timeout, limited concurrency,
an on-disk :class:`ResponseCache` so that a re-run makes no request, and token and cost
accounting (:class:`LLMUsage`). The LLM labeling source
(:class:`weaklabel.sources.llm.LLMSource`) and the chat translator and paraphraser of
augmentation use it. :class:`StandInServer` is a local stand-in endpoint that answers
with a function you give, to try prompts, caching and accounting offline.

The names are loaded on first use, so ``import weaklabel.llm`` does not import ``openai``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from weaklabel._lazy import lazy_attribute

_EXPORTS: dict[str, str] = {
    "ChatReply": "weaklabel.llm.usage",
    "LLMClient": "weaklabel.llm.client",
    "LLMUsage": "weaklabel.llm.usage",
    "ResponseCache": "weaklabel.llm.cache",
    "StandInServer": "weaklabel.llm.standin",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from weaklabel.llm.cache import ResponseCache
    from weaklabel.llm.client import LLMClient
    from weaklabel.llm.standin import StandInServer
    from weaklabel.llm.usage import ChatReply, LLMUsage

__all__ = ["ChatReply", "LLMClient", "LLMUsage", "ResponseCache", "StandInServer"]


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, name, _EXPORTS, globals())


def __dir__() -> list[str]:
    return __all__
