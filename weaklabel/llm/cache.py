"""An on-disk cache of chat-model replies, so that a re-run makes no request at all.

Use it through :class:`~weaklabel.llm.client.LLMClient` (``cache="path/to/dir"``). An entry
is keyed on what determines the reply -- the endpoint, the model and the whole request
body (messages, temperature, seed, ``n`` and any extra fields) -- and never on the API key,
which is not stored anywhere. Each entry is one small JSON file (``<dir>/<ab>/<key>.json``)
written atomically (a temporary file beside it, then ``os.replace``), so concurrent
threads and interrupted runs never leave half-written entries. An entry that cannot be
read back (damaged, edited by hand) is reported with a warning ([E883]) and the request
is made again.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any

from weaklabel._fingerprint import digest
from weaklabel.llm._errors import Errors

__all__ = ["ResponseCache", "request_key"]

_VERSION = 1


def request_key(base_url: str, model: str, body: dict[str, Any]) -> str:
    """The cache key of one request: a digest of the endpoint, the model and the body.

    Parameters
    ----------
    base_url : str
        The API root (``http://localhost:8000/v1``), without a trailing slash.
    model : str
        The model name.
    body : dict
        The JSON request body (``messages``, ``temperature``, ...). It must not hold the
        API key (the client sends that as a header, never in the body).

    Returns
    -------
    str
        A 32-character hex digest.
    """
    return digest(
        ["llm-request", base_url, model, json.dumps(body, sort_keys=True, ensure_ascii=False)]
    )


class ResponseCache:
    """Replies of a chat model stored as JSON files in one folder.

    Parameters
    ----------
    directory : str or Path
        The folder; it is created on the first write.

    Examples
    --------
    >>> import tempfile
    >>> cache = ResponseCache(tempfile.mkdtemp())
    >>> cache.put("0" * 32, {"contents": ["SPAM"], "prompt_tokens": 9, "completion_tokens": 1})
    >>> cache.get("0" * 32)["contents"]
    ['SPAM']
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self.damaged = 0

    def __repr__(self) -> str:
        return f"ResponseCache({str(self.directory)!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {"directory": self.directory, "damaged": self.damaged}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.directory = state["directory"]
        self.damaged = state["damaged"]
        self._lock = threading.Lock()

    def path(self, key: str) -> Path:
        """The file that holds (or would hold) the entry ``key``."""
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored reply for ``key``, or None when there is none (or it is damaged).

        Returns
        -------
        dict or None
            ``{"contents": list of str, "prompt_tokens": int, "completion_tokens": int}``.
        """
        path = self.path(key)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            self._damaged(path, f"unreadable: {error}")
            return None
        try:
            entry = json.loads(raw)
        except ValueError as error:
            self._damaged(path, f"not JSON: {error}")
            return None
        problem = _check_entry(entry, key)
        if problem is not None:
            self._damaged(path, problem)
            return None
        return {
            "contents": list(entry["contents"]),
            "prompt_tokens": int(entry["prompt_tokens"]),
            "completion_tokens": int(entry["completion_tokens"]),
        }

    def put(self, key: str, reply: dict[str, Any]) -> None:
        """Store ``reply`` (``contents``, ``prompt_tokens``, ``completion_tokens``) atomically."""
        entry = {
            "version": _VERSION,
            "key": key,
            "contents": [str(c) for c in reply["contents"]],
            "prompt_tokens": int(reply.get("prompt_tokens", 0)),
            "completion_tokens": int(reply.get("completion_tokens", 0)),
        }
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob("*/*.json")) if self.directory.exists() else 0

    def _damaged(self, path: Path, problem: str) -> None:
        with self._lock:
            self.damaged += 1
        warnings.warn(Errors.E883.format(path=path, problem=problem), stacklevel=4)


def _check_entry(entry: Any, key: str) -> str | None:
    """What is wrong with a loaded entry, or None when it is sound."""
    if not isinstance(entry, dict):
        return f"expected a JSON object, got {type(entry).__name__}"
    if entry.get("version") != _VERSION:
        return f"unknown version {entry.get('version')!r}"
    if entry.get("key") != key:
        return "the entry belongs to another request"
    contents = entry.get("contents")
    if not isinstance(contents, list) or not all(isinstance(c, str) for c in contents):
        return "'contents' is not a list of strings"
    for field in ("prompt_tokens", "completion_tokens"):
        value = entry.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"{field!r} is not a non-negative integer"
    return None
