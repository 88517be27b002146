"""The one way weaklabel talks to a chat model: an OpenAI-compatible client.

Use :class:`LLMClient` for any chat-completions endpoint -- OpenAI, or a local server with
the same API (vLLM, llama.cpp's server, Ollama, LM Studio, text-generation-inference).
The LLM labeling source (:class:`weaklabel.sources.llm.LLMSource`) and the chat
translator and paraphraser of augmentation (:mod:`weaklabel.augment.generate.chat`) all
send their requests through it. It uses the ``openai`` package (the ``llm`` extra),
imported on first use, and adds what a labeling run needs around it:

- **the API key from an environment variable** (``api_key_env``, default
  ``OPENAI_API_KEY``), read at request time and sent as a header only: it is never
  logged, never part of a cache key or a cache file, a ``repr``, ``get_params()`` or a
  pickle;
- **retries** on HTTP 408, 429 and 5xx, timeouts and refused connections, waiting
  ``backoff * 2**(attempt - 1)`` seconds plus up to ``jitter`` of that at random, or the
  server's ``Retry-After`` when it sends one (at most ``max_backoff``);
- **a timeout** per request;
- **concurrency** with a limit (``max_workers`` threads in :meth:`LLMClient.chat_many`);
  identical requests in one batch are sent once;
- **an on-disk cache** (:class:`~weaklabel.llm.cache.ResponseCache`) keyed on endpoint,
  model and request body, so a re-run makes zero requests;
- **accounting** (:class:`LLMUsage`): requests, cache hits, retries, failures, tokens and
  their cost (prices per 1,000 tokens are parameters).

Errors are numbered E880-E883 (``weaklabel.llm._errors``) and raised as
:class:`~weaklabel.errors.LLMError`; the error object also carries ``status``,
``attempts``, ``body`` and ``kind`` (``"http"``, ``"unreachable"`` or ``"malformed"``).
"""

from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from weaklabel._progress import progress_bar
from weaklabel.llm._errors import Errors, LLMError
from weaklabel.llm._util import (
    _check,
    _check_int,
    _count,
    _excerpt,
    _failed,
    _hint,
    _is_json,
    _retry_after_seconds,
)
from weaklabel.llm.cache import ResponseCache, request_key
from weaklabel.llm.usage import ChatReply, LLMUsage

__all__ = ["DEFAULT_BASE_URL", "ChatReply", "LLMClient", "LLMUsage"]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
logger = logging.getLogger(__name__)

_RETRY_STATUS = frozenset({408, 409, 429})


class LLMClient:
    """A client for an OpenAI-compatible ``/chat/completions`` endpoint.

    Parameters
    ----------
    model : str
        The model name the server knows (``"gpt-4o-mini"``, ``"llama3.1:8b"``...).
    base_url : str, default="https://api.openai.com/v1"
        The API root; requests go to ``{base_url}/chat/completions``.
    api_key_env : str, default="OPENAI_API_KEY"
        The environment variable holding the API key, read at request time. When it is
        unset no ``Authorization`` header is sent (local servers need none).
    api_key : str, optional
        The key itself, for code that already holds it. It is kept in memory only: never
        in a ``repr``, ``get_params()``, a cache file or a pickle (an unpickled client
        falls back to ``api_key_env``). Prefer ``api_key_env``.
    temperature : float, default=0.0
        Sampling temperature.
    system_prompt : str, optional
        A system message sent before each prompt given as a string.
    timeout : float, default=60
        Seconds per request.
    max_retries : int, default=3
        Retries after a 408/409/429/5xx, a timeout or a refused connection.
    backoff : float, default=1.0
        The first wait, in seconds; it doubles on each retry.
    max_backoff : float, default=60.0
        The longest wait (also caps the server's ``Retry-After``).
    jitter : float, default=0.1
        Up to this fraction of each wait is added at random, so that many clients do
        not retry in step.
    max_workers : int, default=1
        Requests in flight at once in :meth:`chat_many`.
    cache : str, Path, ResponseCache or None, default=None
        A folder for the on-disk cache of replies; None disables it.
    price_per_1k_prompt, price_per_1k_completion : float, default=0.0
        Prices per 1,000 tokens for the cost in :attr:`usage`.
    extra_body : dict, optional
        More request fields (``max_tokens``, ``top_p``, ...).
    progress : bool, default=True
        Show a progress bar in :meth:`chat_many` when a batch takes more than two seconds.

    Attributes
    ----------
    usage : LLMUsage
        Counts, tokens and cost of every prompt this client answered.
    """

    def __init__(
        self,
        *,
        model: str,
        base_url: str = DEFAULT_BASE_URL,
        api_key_env: str = "OPENAI_API_KEY",
        api_key: str | None = None,
        temperature: float = 0.0,
        system_prompt: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        jitter: float = 0.1,
        max_workers: int = 1,
        cache: str | os.PathLike[str] | ResponseCache | None = None,
        price_per_1k_prompt: float = 0.0,
        price_per_1k_completion: float = 0.0,
        extra_body: dict[str, Any] | None = None,
        progress: bool = True,
    ) -> None:
        _check("model", model, isinstance(model, str) and bool(model), "a model name")
        _check("base_url", base_url, isinstance(base_url, str) and bool(base_url), "a URL")
        _check("api_key_env", api_key_env, isinstance(api_key_env, str), "a variable name")
        _check_int("max_retries", max_retries, 0)
        _check_int("max_workers", max_workers, 1)
        for name, value in [
            ("timeout", timeout),
            ("backoff", backoff),
            ("max_backoff", max_backoff),
            ("jitter", jitter),
            ("price_per_1k_prompt", price_per_1k_prompt),
            ("price_per_1k_completion", price_per_1k_completion),
        ]:
            ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
            _check(name, value, ok and (name != "timeout" or value > 0), "a non-negative number")
        self.model = model
        self.base_url = base_url.rstrip("/")
        self.api_key_env = api_key_env
        self._api_key = api_key
        self.temperature = float(temperature)
        self.system_prompt = system_prompt
        self.timeout = float(timeout)
        self.max_retries = max_retries
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.jitter = float(jitter)
        self.max_workers = max_workers
        self.cache = cache if isinstance(cache, ResponseCache | None) else ResponseCache(cache)
        self.extra_body = dict(extra_body or {})
        self.progress = bool(progress)
        self.usage = LLMUsage(
            price_per_1k_prompt=float(price_per_1k_prompt),
            price_per_1k_completion=float(price_per_1k_completion),
        )
        self._openai: Any = None
        self._lock = threading.Lock()
        self._random = random.Random()

    # ------------------------------------------------------------------ identity
    @property
    def url(self) -> str:
        """The endpoint requests are posted to."""
        return f"{self.base_url}/chat/completions"

    def __repr__(self) -> str:  # never shows the key
        return f"{type(self).__name__}(model={self.model!r}, base_url={self.base_url!r})"

    def get_params(self) -> dict[str, Any]:
        """The settings that define the replies (no API key, no cache folder)."""
        params: dict[str, Any] = {
            "model": self.model,
            "base_url": self.base_url,
            "temperature": self.temperature,
        }
        if self.system_prompt is not None:
            params["system_prompt"] = self.system_prompt
        params.update({k: v for k, v in self.extra_body.items() if _is_json(v)})
        return params

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_api_key"] = None  # a pickle never holds the key
        state["_openai"] = None
        del state["_lock"], state["_random"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._random = random.Random()

    # ------------------------------------------------------------------ requests
    def body(
        self,
        messages: str | list[dict[str, str]],
        *,
        n: int = 1,
        seed: int | None = None,
        temperature: float | None = None,
    ) -> dict[str, Any]:
        """The JSON request body for one prompt (what the cache key is computed from).

        Parameters
        ----------
        messages : str or list of dict
            A user message, or the whole chat (``[{"role": ..., "content": ...}]``); a
            string is preceded by the client's ``system_prompt`` when it has one.
        n, seed, temperature
            As in :meth:`chat`.
        """
        if isinstance(messages, str):
            chat = (
                []
                if self.system_prompt is None
                else [{"role": "system", "content": self.system_prompt}]
            )
            chat.append({"role": "user", "content": messages})
        else:
            chat = [dict(m) for m in messages]
        body: dict[str, Any] = {
            "model": self.model,
            "messages": chat,
            "temperature": self.temperature if temperature is None else float(temperature),
        }
        if n > 1:
            body["n"] = int(n)
        if seed is not None:
            body["seed"] = int(seed)
        body.update(self.extra_body)
        return body

    def chat(
        self,
        messages: str | list[dict[str, str]],
        *,
        n: int = 1,
        seed: int | None = None,
        temperature: float | None = None,
    ) -> ChatReply:
        """The reply to one prompt (from the cache when it holds it).

        Parameters
        ----------
        messages : str or list of dict
            A user message, or the whole chat.
        n : int, default=1
            Choices asked for (sent as ``n`` only when above 1).
        seed : int, optional
            Sent as ``seed`` (servers that support it are then reproducible).
        temperature : float, optional
            Overrides the client's temperature.

        Returns
        -------
        ChatReply

        Raises
        ------
        LLMError
            [E880] on an HTTP error that retrying did not fix, [E881] when the server
            gave no answer (refused, timed out), [E882] when the reply is not
            chat-completions JSON.
        """
        reply = self._answer(self.body(messages, n=n, seed=seed, temperature=temperature))
        if reply.error is not None:
            raise reply.error
        return reply

    def complete(
        self,
        prompt: str | list[dict[str, str]],
        *,
        n: int = 1,
        seed: int | None = None,
        temperature: float | None = None,
    ) -> list[str]:
        """The text of each choice of the reply to one prompt (see :meth:`chat`)."""
        return self.chat(prompt, n=n, seed=seed, temperature=temperature).contents

    def chat_many(
        self,
        prompts: list[str] | list[list[dict[str, str]]],
        *,
        n: int = 1,
        seed: int | None = None,
        temperature: float | None = None,
    ) -> list[ChatReply]:
        """:meth:`chat` for each prompt, ``max_workers`` at a time, in order.

        A failed prompt does not stop the others: its reply has ``error`` set and no
        contents. Identical prompts are sent once.

        Returns
        -------
        list of ChatReply
            One per prompt, in order.
        """
        bodies = [self.body(p, n=n, seed=seed, temperature=temperature) for p in prompts]
        keys = [request_key(self.base_url, self.model, b) for b in bodies]
        unique: dict[str, dict[str, Any]] = dict(zip(keys, bodies, strict=True))
        work = list(unique.items())
        with progress_bar(
            total=len(work), desc=f"LLM {self.model}", unit="prompt", enabled=self.progress
        ) as bar:

            def one(item: tuple[str, dict[str, Any]]) -> ChatReply:
                reply = self._answer(item[1], item[0])
                bar.update(1)
                return reply

            if self.max_workers == 1 or len(work) < 2:
                answers = [one(item) for item in work]
            else:
                with ThreadPoolExecutor(max_workers=min(self.max_workers, len(work))) as pool:
                    answers = list(pool.map(one, work))
        by_key = dict(zip(unique, answers, strict=True))
        out: list[ChatReply] = []
        seen: set[str] = set()
        for key in keys:
            reply = by_key[key]
            if key in seen:  # a repeat in this batch: answered by the first, no request
                reply = ChatReply(reply.contents, cached=True, error=reply.error)
                self.usage.add(reply)
            seen.add(key)
            out.append(reply)
        return out

    def complete_many(
        self,
        prompts: list[str],
        *,
        n: int = 1,
        seed: int | None = None,
        temperature: float | None = None,
    ) -> list[list[str]]:
        """:meth:`complete` for each prompt, ``max_workers`` at a time, in order.

        Raises
        ------
        LLMError
            The first failure, after every prompt was tried.
        """
        replies = self.chat_many(prompts, n=n, seed=seed, temperature=temperature)
        for reply in replies:
            if reply.error is not None:
                raise reply.error
        return [reply.contents for reply in replies]

    def close(self) -> None:
        """Close the HTTP connections (a later request opens new ones)."""
        with self._lock:
            if self._openai is not None:
                self._openai.close()
                self._openai = None

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ internals
    def _answer(self, body: dict[str, Any], key: str | None = None) -> ChatReply:
        key = key or request_key(self.base_url, self.model, body)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            reply = ChatReply(
                hit["contents"], hit["prompt_tokens"], hit["completion_tokens"], cached=True
            )
        else:
            reply = self._request(body)
            if reply.error is None and self.cache is not None:
                self.cache.put(key, vars(reply))
        self.usage.add(reply)
        return reply

    def _client(self) -> Any:
        with self._lock:
            if self._openai is None:
                try:
                    import openai
                except ModuleNotFoundError:
                    raise ImportError(
                        Errors.E070.format(
                            what="The LLM client", packages="openai", verb="is", extra="llm"
                        )
                    ) from None
                # The key is sent per request (see _headers); the placeholder only
                # satisfies the constructor, and retries are ours (counted, with jitter).
                self._openai = openai.OpenAI(
                    api_key="set-per-request",
                    base_url=self.base_url,
                    max_retries=0,
                    timeout=self.timeout,
                )
            return self._openai

    def _headers(self) -> dict[str, Any]:
        from openai import Omit

        key = self._api_key or os.environ.get(self.api_key_env) or None
        return {"Authorization": f"Bearer {key}" if key else Omit()}

    def _request(self, body: dict[str, Any]) -> ChatReply:
        client = self._client()  # first: it says how to install openai when it is missing
        import openai

        attempts = 0
        payload = {k: v for k, v in body.items() if k not in {"model", "messages"}}
        while True:
            attempts += 1
            retry_after: str | None = None
            try:
                raw = client.chat.completions.with_raw_response.create(
                    model=body["model"],
                    messages=body["messages"],
                    extra_body=payload,
                    extra_headers=self._headers(),
                    timeout=self.timeout,
                )
                text = raw.http_response.content
            except openai.APIStatusError as error:
                status = int(error.status_code)
                excerpt = _excerpt(error.response.content)
                retryable = status in _RETRY_STATUS or status >= 500
                if not retryable or attempts > self.max_retries:
                    failure = LLMError(
                        Errors.E880.format(
                            url=self.url,
                            status=status,
                            attempts=attempts,
                            body=excerpt,
                            hint=_hint(status, self.api_key_env),
                        )
                    )
                    return _failed(failure, attempts, "http", status, excerpt)
                retry_after = error.response.headers.get("Retry-After")
                logger.info("HTTP %s from %s; retrying (attempt %d)", status, self.url, attempts)
            except openai.APIConnectionError as error:  # refused, reset or timed out
                reason = "timed out" if isinstance(error, openai.APITimeoutError) else error
                if attempts > self.max_retries:
                    failure = LLMError(
                        Errors.E881.format(url=self.url, attempts=attempts, error=reason)
                    )
                    return _failed(failure, attempts, "unreachable", None, str(reason))
                logger.info("%s: %s; retrying (attempt %d)", self.url, reason, attempts)
            else:
                return self._parse(text, attempts)
            time.sleep(self._wait(attempts, retry_after))

    def _parse(self, raw: bytes, attempts: int) -> ChatReply:
        try:
            reply = json.loads(raw)
            contents = [str(choice["message"]["content"] or "") for choice in reply["choices"]]
        except (ValueError, KeyError, TypeError) as error:
            failure = LLMError(
                Errors.E882.format(
                    url=self.url, error=f"{type(error).__name__}: {error}", body=_excerpt(raw)
                )
            )
            return _failed(failure, attempts, "malformed", None, _excerpt(raw))
        usage = reply.get("usage") if isinstance(reply, dict) else None
        usage = usage if isinstance(usage, dict) else {}
        return ChatReply(
            contents,
            prompt_tokens=_count(usage.get("prompt_tokens")),
            completion_tokens=_count(usage.get("completion_tokens")),
            attempts=attempts,
        )

    def _wait(self, attempts: int, retry_after: str | None) -> float:
        if retry_after:
            seconds = _retry_after_seconds(retry_after)
            if seconds is not None:
                return min(max(seconds, 0.0), self.max_backoff)
        wait = min(self.backoff * 2 ** (attempts - 1), self.max_backoff)
        return wait + wait * self.jitter * self._random.random()
