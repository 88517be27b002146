"""What talking to a chat model cost: :class:`LLMUsage`, and one reply, :class:`ChatReply`.

Use :class:`LLMUsage` to read a run's accounting -- the ``usage`` of an
:class:`~weaklabel.llm.client.LLMClient`, or the ``report`` of an LLM source: requests,
cache hits, retries, failures, unparsed answers, tokens and their cost at the prices
you give per 1,000 tokens. Counting is thread-safe (the client answers prompts from
several threads at once).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields
from typing import Any

from weaklabel.errors import LLMError

__all__ = ["ChatReply", "LLMUsage"]


@dataclass
class LLMUsage:
    """What a client (or a source) spent: counts, tokens and cost.

    Attributes
    ----------
    prompts : int
        Requests asked for (each answered from the cache or the server, or failed).
    requests : int
        HTTP requests sent, retries included.
    cache_hits : int
        Prompts answered from the on-disk cache (no request).
    retries : int
        Requests sent again after a 408/429/5xx, a timeout or a refused connection.
    failures : int
        Prompts that still failed after every retry.
    unparsed : int
        Replies a source could not read as a label (counted by the source; it abstained).
    dropped : int
        Answers a span source dropped: a label outside its label set, or a span whose
        text is not in the document.
    prompt_tokens, completion_tokens : int
        Tokens the server reported for the requests sent (cache hits cost none).
    price_per_1k_prompt, price_per_1k_completion : float
        Prices per 1,000 tokens used for :attr:`cost`.
    """

    prompts: int = 0
    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    failures: int = 0
    unparsed: int = 0
    dropped: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    price_per_1k_prompt: float = 0.0
    price_per_1k_completion: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    @property
    def cost(self) -> float:
        """The cost of the tokens spent, at the given prices per 1,000 tokens."""
        return (
            self.prompt_tokens * self.price_per_1k_prompt
            + self.completion_tokens * self.price_per_1k_completion
        ) / 1000.0

    def add(self, reply: ChatReply) -> None:
        """Count one answered (or failed) prompt."""
        with self._lock:
            self.prompts += 1
            self.requests += reply.attempts
            self.retries += max(reply.attempts - 1, 0)
            self.cache_hits += int(reply.cached)
            self.failures += int(reply.error is not None)
            if not reply.cached:
                self.prompt_tokens += reply.prompt_tokens
                self.completion_tokens += reply.completion_tokens

    def count(self, **increments: int) -> None:
        """Add to some counts, thread-safely (``usage.count(unparsed=2)``)."""
        with self._lock:
            for name, k in increments.items():
                setattr(self, name, getattr(self, name) + int(k))

    def reset(self) -> None:
        """Set every count back to zero (the prices are kept)."""
        with self._lock:
            for name in ("prompts", "requests", "cache_hits", "retries", "failures"):
                setattr(self, name, 0)
            for name in ("unparsed", "dropped", "prompt_tokens", "completion_tokens"):
                setattr(self, name, 0)

    def as_dict(self) -> dict[str, float | int]:
        """Every count, the total tokens and the cost, as a plain dict."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}
        out["total_tokens"] = self.total_tokens
        out["cost"] = self.cost
        return out

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_lock"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __str__(self) -> str:
        return (
            f"{self.prompts} prompt(s): {self.requests} request(s), {self.cache_hits} cache "
            f"hit(s), {self.retries} retr{'y' if self.retries == 1 else 'ies'}, "
            f"{self.failures} failure(s), {self.unparsed} unparsed, {self.dropped} dropped; "
            f"{self.prompt_tokens} + "
            f"{self.completion_tokens} tokens, cost {self.cost:.4f}"
        )


@dataclass
class ChatReply:
    """The answer to one request.

    Attributes
    ----------
    contents : list of str
        The ``message.content`` of each returned choice (empty when the request failed).
    prompt_tokens, completion_tokens : int
        Token counts reported by the server (0 when it reports none).
    cached : bool
        True when the reply came from the on-disk cache.
    attempts : int
        HTTP requests sent for it (0 for a cache hit).
    error : LLMError or None
        Why the request failed after its retries, when it did.
    """

    contents: list[str]
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False
    attempts: int = 0
    error: LLMError | None = None
