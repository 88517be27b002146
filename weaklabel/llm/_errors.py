"""Error messages of the LLM client (codes E880-E889): requests, replies and the cache.

Use this catalogue when raising from ``weaklabel.llm``. Every message names the endpoint
(never the API key), says what went wrong and how to fix it.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors
from weaklabel.errors import LLMError

__all__ = ["Errors", "LLMError"]


class Errors(CoreErrors):
    """The catalogue of LLM-client messages (format them with ``.format(**fields)``)."""

    E880 = (
        "LLM request to {url} failed with HTTP {status} after {attempts} attempt(s): {body}\n{hint}"
    )
    E881 = (
        "LLM request to {url} got no answer after {attempts} attempt(s) ({error}). Check "
        "base_url (e.g. 'http://localhost:8000/v1'), that the server is running, and raise "
        "timeout= or max_retries= for a slow server."
    )
    E882 = (
        "The server at {url} returned a reply that is not chat-completions JSON ({error}): "
        "{body}. Check that base_url points at an OpenAI-compatible /v1 root."
    )
    E883 = (
        "Damaged LLM cache entry {path} ({problem}); it was ignored and the request made "
        "again. Delete the file if this repeats."
    )
