"""Check a fine-tuning JSONL file for what the common fine-tuning services reject.

Use :func:`validate_chat_jsonl` (or ``weaklabel validate FILE``) before uploading a file
written by :func:`~weaklabel.export.chat.write_chat_jsonl` or by hand. It reads every line
and reports, each with its line number:

- a line that is not valid JSON (or not UTF-8), a blank line, a line that is not an object;
- unknown keys (top level and in messages), a missing or empty ``messages`` list, a message
  that is not an object, an unknown role, empty or missing content, a ``weight`` other than
  0 or 1 or on a message that is not the assistant's;
- no assistant turn, or a last turn that is not the assistant's;
- an example over the token limit (``max_tokens``, 16,385 by default: the smallest
  per-example context of the common chat fine-tuning services);
- fewer than ``min_examples`` (10) valid examples in the file.

Prompt/completion files (``{"prompt": ..., "completion": ...}`` lines) are checked too
(``form="auto"`` tells them apart by their first object).

Token counts are exact when :mod:`tiktoken` and its BPE table for ``encoding`` are on this
machine (in ``TIKTOKEN_CACHE_DIR``, ``DATA_GYM_CACHE_DIR`` or tiktoken's default cache
folder): nothing is downloaded. Otherwise they are a stated estimate (a rule-based count of
word, number and punctuation pieces, see :func:`estimate_tokens`) and the report says so.
A chat example counts as OpenAI's cookbook counts a chat: each message's role and content
plus 3 tokens per message (4 with a ``name``) plus 3 for the reply.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from weaklabel.errors import ExportError
from weaklabel.export._errors import Errors

__all__ = ["ChatValidationReport", "estimate_tokens", "token_counter", "validate_chat_jsonl"]

ROLES = ("system", "user", "assistant", "tool", "function", "developer")
"""Roles the common chat fine-tuning formats accept."""
TOP_KEYS = ("messages", "tools", "functions", "parallel_tool_calls")
MESSAGE_KEYS = ("role", "content", "name", "weight", "tool_calls", "function_call", "tool_call_id")
PROMPT_KEYS = ("prompt", "completion")

# sha256 of tiktoken's tables, as tiktoken_ext.openai_public checks them
_TABLE_HASHES = {
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
}
_PIECE = re.compile(r"[^\W\d_]+|\d{1,3}|(?:[^\w\s]|_)+|\s+")


def estimate_tokens(text: str) -> int:
    """A rule-based estimate of a text's BPE token count (no tables needed).

    Words of ASCII letters count one token per 6 characters (at least one), numbers one
    per 3 digits, punctuation runs one per 2 characters, other scripts one per 3 UTF-8
    bytes (about one per CJK character), newlines one each; single spaces join the next
    piece. It is an estimate: the report says so.
    """
    n = 0
    for match in _PIECE.finditer(text):
        piece = match.group()
        if piece.isspace():
            n += piece.count("\n") + (len(piece) > 1 and "\n" not in piece)
        elif not piece.isascii():
            n += max(1, math.ceil(len(piece.encode("utf-8")) / 3))
        elif piece[0].isdigit():
            n += 1
        elif piece[0].isalpha():
            n += max(1, math.ceil(len(piece) / 6))
        else:
            n += max(1, math.ceil(len(piece) / 2))
    return n


def _cache_file(name: str) -> Path | None:
    """Where tiktoken keeps the table of ``name``, when caching is on (as tiktoken.load)."""
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        folder = os.environ["TIKTOKEN_CACHE_DIR"]
    elif "DATA_GYM_CACHE_DIR" in os.environ:
        folder = os.environ["DATA_GYM_CACHE_DIR"]
    else:
        folder = os.path.join(tempfile.gettempdir(), "data-gym-cache")
    if not folder:
        return None
    url = f"https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
    return Path(folder) / hashlib.sha1(url.encode()).hexdigest()


def _load_encoding(name: str) -> Any | None:
    """tiktoken's encoding ``name`` when it loads without the network, else None."""
    try:
        import tiktoken
    except ImportError:
        return None
    cached = _cache_file(name)
    if cached is None or not cached.is_file():
        return None
    expected = _TABLE_HASHES.get(name)
    if expected is not None and hashlib.sha256(cached.read_bytes()).hexdigest() != expected:
        return None  # tiktoken would download it again
    try:
        return tiktoken.get_encoding(name)
    except Exception:  # any failure means: no exact counts here
        return None


def token_counter(encoding: str = "cl100k_base") -> tuple[Callable[[str], int], bool, str]:
    """A function counting a text's tokens, whether it is exact, and how it counts.

    Returns
    -------
    count : callable str -> int
    exact : bool
        True with tiktoken's table for ``encoding`` found locally.
    method : str
        A phrase for reports, such as ``"exact (tiktoken cl100k_base)"``.
    """
    found = _load_encoding(encoding)
    if found is not None:
        return (
            (lambda text: len(found.encode(text, disallowed_special=()))),
            True,
            (f"exact (tiktoken {encoding})"),
        )
    return (
        estimate_tokens,
        False,
        (
            f"estimated (tiktoken's {encoding} table is not on this machine; a rule-based count "
            "of word, number and punctuation pieces)"
        ),
    )


@dataclass
class ChatValidationReport:
    """What :func:`validate_chat_jsonl` found.

    Attributes
    ----------
    path : Path
    form : {"chat", "prompt-completion"}
    n_lines : int
        Lines of the file.
    n_examples : int
        Lines that are examples without a problem.
    problems : list of (int, str)
        ``(line number, message)``, in file order; file-level problems carry the last line.
    token_counts : ndarray of shape (n_counted,), dtype int64
        Tokens of each example whose messages could be read (line order).
    exact_tokens : bool
        Whether the counts are exact (tiktoken) or estimated.
    token_method : str
        How they were counted.
    max_tokens : int
        The limit checked.
    """

    path: Path
    form: str
    n_lines: int
    n_examples: int
    problems: list[tuple[int, str]]
    token_counts: np.ndarray
    exact_tokens: bool
    token_method: str
    max_tokens: int
    min_examples: int = 10
    lines_counted: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file is fit for fine-tuning (no problem found)."""
        return not self.problems

    @property
    def token_stats(self) -> dict[str, float]:
        """``min``, ``mean``, ``p50``, ``p95``, ``max`` of the token counts (empty when none)."""
        counts = self.token_counts
        if counts.size == 0:
            return {}
        return {
            "min": float(counts.min()),
            "mean": float(counts.mean()),
            "p50": float(np.percentile(counts, 50)),
            "p95": float(np.percentile(counts, 95)),
            "max": float(counts.max()),
        }

    def problem_lines(self) -> list[str]:
        """One line per problem, each starting ``line N:``."""
        return [f"line {line}: {message}" for line, message in self.problems]

    def summary(self) -> str:
        """A short summary: fit or not, examples, token distribution and how it was counted."""
        verdict = "fit for fine-tuning" if self.ok else f"{len(self.problems)} problem(s)"
        stats = self.token_stats
        tokens = (
            "tokens per example: " + ", ".join(f"{k} {v:.1f}" if k == "mean" else f"{k} {v:.0f}"
                                              for k, v in stats.items())
            if stats
            else "no examples to count"
        )  # fmt: skip
        return (
            f"{self.path}: {verdict}; {self.n_examples} {self.form} examples in {self.n_lines} "
            f"lines; {tokens} (limit {self.max_tokens}); token counts {self.token_method}"
        )


def validate_chat_jsonl(
    path: str | os.PathLike[str],
    *,
    max_tokens: int = 16_385,
    min_examples: int = 10,
    encoding: str = "cl100k_base",
    form: str = "auto",
    extra_keys: Sequence[str] = (),
) -> ChatValidationReport:
    """Check a fine-tuning JSONL file (see the module docstring for the checks).

    Parameters
    ----------
    path : str or path-like
        The file. A missing or unreadable file raises ``ExportError`` (E865).
    max_tokens : int, default 16385
        The most tokens one example may have.
    min_examples : int, default 10
        The fewest valid examples a file may have.
    encoding : str, default "cl100k_base"
        The tiktoken encoding to count with, when its table is here.
    form : {"auto", "chat", "prompt-completion"}, default "auto"
        The file's form; ``"auto"`` goes by the first JSON object.
    extra_keys : sequence of str, default ()
        Top-level keys to accept besides the standard ones (e.g. ``"weight"`` for
        trainers that take per-example weights).

    Returns
    -------
    ChatValidationReport
    """
    source = Path(path)
    if form not in ("auto", "chat", "prompt-completion"):
        raise ExportError(
            Errors.E060.format(
                name="validate_chat_jsonl", param="form",
                expected="'auto', 'chat' or 'prompt-completion'", value=form,
            )
        )  # fmt: skip
    for param, value, least in (("max_tokens", max_tokens, 1), ("min_examples", min_examples, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ExportError(
                Errors.E060.format(
                    name="validate_chat_jsonl", param=param, expected=f"an integer >= {least}",
                    value=value,
                )
            )  # fmt: skip
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise ExportError(Errors.E865.format(path=source, problem=exc.strerror or exc)) from None
    count, exact, method = token_counter(encoding)
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the final newline ends the last line
    problems: list[tuple[int, str]] = []
    counts: list[int] = []
    counted: list[int] = []
    n_examples = 0
    for number, line in enumerate(lines, start=1):
        found, record = _parse_line(line, number)
        if found:
            problems.append((number, found))
            continue
        if form == "auto":
            form = (
                "prompt-completion" if "prompt" in record and "messages" not in record else "chat"
            )
        check = _check_chat if form == "chat" else _check_prompt
        issues, tokens = check(
            record, count, (*(TOP_KEYS if form == "chat" else PROMPT_KEYS), *extra_keys)
        )
        if tokens is not None:
            counts.append(tokens)
            counted.append(number)
            if tokens > max_tokens:
                how = "" if exact else " (estimated)"
                issues.append(f"{tokens} tokens{how}, over the limit of {max_tokens}")
        problems.extend((number, issue) for issue in issues)
        n_examples += not issues
    if form == "auto":
        form = "chat"
    if n_examples < min_examples:
        last = max(len(lines), 1)
        problems.append(
            (
                last,
                f"the file has {n_examples} valid examples; fine-tuning needs at least "
                f"{min_examples}",
            )
        )
    return ChatValidationReport(
        source, form, len(lines), n_examples, problems, np.asarray(counts, dtype=np.int64), exact,
        method, int(max_tokens), int(min_examples), counted,
    )  # fmt: skip


def _parse_line(line: bytes, number: int) -> tuple[str, Any]:
    """A problem with the line as a JSON object ('' when none) and the parsed object."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text ({exc.reason} at byte {exc.start})", None
    if text.startswith("\ufeff"):
        return "starts with a byte-order mark; save the file as UTF-8 without BOM", None
    if not text.strip():
        return "blank line; every line must hold one JSON example", None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg} at column {exc.colno})", None
    if not isinstance(record, dict):
        return f"not a JSON object (got {_json_kind(record)})", None
    return "", record


def _json_kind(value: object) -> str:
    """The JSON name of a parsed value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    return "a string" if isinstance(value, str) else type(value).__name__


def _unknown(keys: Sequence[str], allowed: Sequence[str], where: str) -> list[str]:
    return [
        f"unknown key {k!r}{where} (allowed: {', '.join(allowed)})"
        for k in keys
        if k not in allowed
    ]


def _check_chat(
    record: dict[str, Any], count: Callable[[str], int], allowed: Sequence[str]
) -> tuple[list[str], int | None]:
    issues = _unknown(list(record), allowed, "")
    messages = record.get("messages")
    if "messages" not in record:
        return [*issues, "no 'messages' key"], None
    if not isinstance(messages, list) or not messages:
        return [*issues, f"'messages' must be a non-empty list; got {messages!r}"], None
    tokens = 3
    roles: list[object] = []
    for i, message in enumerate(messages, start=1):
        if not isinstance(message, dict):
            issues.append(f"message {i} is not an object (got {_json_kind(message)})")
            roles.append(None)
            continue
        role = message.get("role")
        roles.append(role)
        label = f"message {i} ({role})" if isinstance(role, str) else f"message {i}"
        if "role" not in message:
            issues.append(f"message {i} has no 'role'")
        elif role not in ROLES:
            issues.append(f"message {i} has the unknown role {role!r} (known: {', '.join(ROLES)})")
        issues.extend(_unknown(list(message), MESSAGE_KEYS, f" in {label}"))
        content = message.get("content")
        text = _content_text(content)
        calls = role == "assistant" and bool(
            message.get("tool_calls") or message.get("function_call")
        )
        if content is None and not calls:
            issues.append(f"{label} has no content")
        elif content is not None and text is None:
            issues.append(
                f"{label}: content must be a string or a list of text parts; got {content!r}"
            )
        elif text is not None and not text.strip() and not calls:
            issues.append(f"{label} has empty content")
        if "weight" in message:
            if role != "assistant":
                issues.append(f"{label} has a weight; only assistant messages may")
            elif message["weight"] not in (0, 1) or isinstance(message["weight"], bool):
                issues.append(f"{label}: weight must be 0 or 1; got {message['weight']!r}")
        if "name" in message and not isinstance(message["name"], str):
            issues.append(f"{label}: name must be a string")
        tokens += 3 + (1 if "name" in message else 0)
        tokens += count(role if isinstance(role, str) else "") + count(text or "")
    if "assistant" not in roles:
        issues.append("no assistant message; an example needs one to learn from")
    elif roles[-1] != "assistant":
        issues.append(f"the last message is {roles[-1]!r}, not 'assistant'")
    return issues, tokens


def _content_text(content: object) -> str | None:
    """The text of a message's content: a string, or a list of text parts; None if neither."""
    if isinstance(content, str):
        return content
    if isinstance(content, list) and all(
        isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
        for p in content
    ):
        return "".join(p["text"] for p in content)
    return None


def _check_prompt(
    record: dict[str, Any], count: Callable[[str], int], allowed: Sequence[str]
) -> tuple[list[str], int | None]:
    issues = _unknown(list(record), allowed, "")
    tokens = 0
    for key in PROMPT_KEYS:
        value = record.get(key)
        if key not in record:
            issues.append(f"no {key!r} key")
        elif not isinstance(value, str):
            issues.append(f"{key!r} must be a string; got {value!r}")
        elif not value.strip():
            issues.append(f"{key!r} is empty")
        else:
            tokens += count(value)
    return issues, tokens
