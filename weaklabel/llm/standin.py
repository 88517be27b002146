"""A local stand-in for an OpenAI-compatible chat server, for tests, docs and notebooks.

Use :class:`StandInServer` to try an LLM source, its prompts, its cache and its report
without a real model or network: it serves ``POST <url>/chat/completions`` on
``127.0.0.1`` from a background thread, and answers each chat with the function you give
(``answer(messages) -> str``). It is **not a model**: whatever it answers is what your
function computes. Token counts are whitespace-separated words, so the accounting has
numbers to add up.

Only the standard library is used (``http.server``).

Examples
--------
>>> from weaklabel.llm.standin import StandInServer
>>> from weaklabel.llm import LLMClient
>>> def rules(messages):
...     return "SPAM" if "subscribe" in messages[-1]["content"] else "HAM"
>>> with StandInServer(rules) as server:
...     LLMClient(model="stand-in", base_url=server.url).complete("subscribe now")
['SPAM']
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

__all__ = ["StandInServer"]

Answer = Callable[[list[dict[str, str]]], str]


class StandInServer:
    """A chat-completions endpoint on localhost that answers with your function.

    Parameters
    ----------
    answer : callable
        ``answer(messages) -> str``: the reply's content for a chat (a list of
        ``{"role": ..., "content": ...}`` dicts).
    port : int, default=0
        The port; 0 picks a free one.

    Attributes
    ----------
    requests : int
        Chats answered so far.
    """

    def __init__(self, answer: Answer, *, port: int = 0) -> None:
        self.answer = answer
        self.port = port
        self.requests = 0
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The API root to give as ``base_url`` (``http://127.0.0.1:<port>/v1``)."""
        if self._httpd is None:
            raise RuntimeError("the stand-in server is not running: call start() first")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> StandInServer:
        """Serve from a daemon thread; returns the server."""
        if self._httpd is not None:
            return self
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                status, payload = server._reply(self.path, self.rfile.read(_length(self)))
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> StandInServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _reply(self, path: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        if not path.rstrip("/").endswith("/chat/completions"):
            return 404, {"error": {"message": f"no route {path}; POST .../chat/completions"}}
        try:
            body = json.loads(raw)
            messages = [
                {"role": str(m["role"]), "content": str(m["content"])} for m in body["messages"]
            ]
        except (ValueError, KeyError, TypeError) as error:
            return 400, {"error": {"message": f"not a chat request: {error}"}}
        content = str(self.answer(messages))
        with self._lock:
            self.requests += 1
        prompt_tokens = sum(len(m["content"].split()) for m in messages)
        completion_tokens = len(content.split())
        return 200, {
            "id": f"standin-{self.requests}",
            "object": "chat.completion",
            "model": str(body.get("model", "")),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


def _length(handler: BaseHTTPRequestHandler) -> int:
    try:
        return max(int(handler.headers.get("Content-Length", "0")), 0)
    except ValueError:
        return 0
