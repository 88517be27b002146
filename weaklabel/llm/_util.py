"""Small helpers of the LLM client: checks, excerpts, hints and Retry-After (internal)."""

from __future__ import annotations

import datetime
import email.utils
from typing import Any

from weaklabel.errors import ParameterError
from weaklabel.llm._errors import Errors, LLMError
from weaklabel.llm.usage import ChatReply


def _retry_after_seconds(value: str) -> float | None:
    """A ``Retry-After`` header in seconds: a number, or an HTTP date (None if neither)."""
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return (when - datetime.datetime.now(datetime.UTC)).total_seconds()


def _failed(error: LLMError, attempts: int, kind: str, status: int | None, body: str) -> ChatReply:
    error.kind = kind  # type: ignore[attr-defined]
    error.status = status  # type: ignore[attr-defined]
    error.attempts = attempts  # type: ignore[attr-defined]
    error.body = body  # type: ignore[attr-defined]
    return ChatReply([], attempts=attempts, error=error)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _is_json(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _excerpt(body: bytes | str, limit: int = 300) -> str:
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "..."


def _hint(status: int, env: str) -> str:
    if status in (401, 403):
        return f"Set the {env} environment variable to your API key (or pass api_key_env=)."
    if status == 404:
        return "Check base_url (it should end in /v1 for most servers) and the model name."
    if status == 429:
        return "Rate limited: lower max_workers, or raise max_retries/backoff."
    if status >= 500:
        return "The server failed; retry later or raise max_retries."
    return "Check the request settings (model, extra_body)."


def _check(name: str, value: Any, ok: bool, expected: str) -> None:
    if not ok:
        raise ParameterError(
            Errors.E060.format(name="LLMClient", param=name, expected=expected, value=value)
        )


def _check_int(name: str, value: Any, low: int) -> None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
    _check(name, value, ok, f"an integer >= {low}")
