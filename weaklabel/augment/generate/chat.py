"""Translate and paraphrase with a chat model behind an OpenAI-compatible API.

Use this module when the translator or paraphraser is a large language model served over
HTTP: OpenAI, or a local server with the same ``/chat/completions`` endpoint (vLLM,
llama.cpp's server, Ollama, LM Studio, text-generation-inference). Requests go through
weaklabel's one LLM client, :class:`weaklabel.llm.client.LLMClient` (the ``openai``
package, the ``llm`` extra), shared with the LLM labeling source.

- :class:`ChatClient`: that client, raising augmentation's ``TranslatorError`` (API key
  from ``OPENAI_API_KEY`` or ``api_key=``, retries with backoff on 429/5xx, timeout,
  optional concurrency and on-disk cache, token accounting).
- :class:`ChatTranslator`: the ``Translator`` protocol, one request per text, for
  :class:`~weaklabel.augment.generate.translate.BackTranslation`.
- :class:`ChatParaphraser`: several paraphrases per text, from the reply's choices or from
  a numbered list in one reply, for :class:`~weaklabel.augment.generate.paraphrase.Paraphrase`.

Errors are numbered E744-E748 (in the augment catalogue, ``weaklabel.augment._errors``).
"""

from __future__ import annotations

import re
from typing import Any

from weaklabel.augment._errors import AugmentError, Errors, TranslatorError
from weaklabel.augment.base import invalid_argument
from weaklabel.errors import LLMError
from weaklabel.llm.client import DEFAULT_BASE_URL, LLMClient

__all__ = [
    "ChatClient",
    "ChatParaphraser",
    "ChatTranslator",
    "parse_candidates",
]

TRANSLATE_PROMPT = (
    "Translate the following {source_language} text into {target_language}. Reply with the "
    "translation only, without quotes or comments.\n\n{text}"
)
PARAPHRASE_PROMPT = (
    "Write {n} different paraphrases of the following text. Keep its meaning, and every "
    "name and number, unchanged. Reply with a numbered list (1., 2., ...), one paraphrase "
    "per line, and nothing else.\n\n{text}"
)

_LIST_ITEM = re.compile(r"^\s*(?:\(?\d{1,3}[.):]|[-*•])\s+(.*\S)\s*$")
_QUOTES = [('"', '"'), ("'", "'"), ("“", "”"), ("«", "»")]


def _strip_quotes(text: str) -> str:
    text = text.strip()
    for left, right in _QUOTES:
        if len(text) >= 2 and text.startswith(left) and text.endswith(right):
            return text[len(left) : -len(right)].strip()
    return text


def parse_candidates(reply: str) -> list[str]:
    """The candidates in one reply: the items of a numbered or bulleted list, if any.

    Parameters
    ----------
    reply : str
        A chat model's reply.

    Returns
    -------
    list of str
        The list items (``1. ...``, ``2) ...``, ``- ...``), without markers and
        surrounding quotes, when the reply has any (lines outside the list, such as
        "Here are three paraphrases:", are ignored); otherwise the whole reply, stripped
        of surrounding quotes; ``[]`` for an empty reply.

    Examples
    --------
    >>> parse_candidates("Here they are:\\n1. A cat sat.\\n2) \\"The cat was sitting.\\"")
    ['A cat sat.', 'The cat was sitting.']
    >>> parse_candidates("  'Le chat.' ")
    ['Le chat.']
    """
    items = [m.group(1) for line in reply.splitlines() if (m := _LIST_ITEM.match(line))]
    if items:
        return [s for s in (_strip_quotes(item) for item in items) if s]
    whole = _strip_quotes(reply)
    return [whole] if whole else []


class ChatClient(LLMClient):
    """The :class:`~weaklabel.llm.client.LLMClient` of the chat translator and paraphraser.

    The same client as the LLM labeling source's (``openai`` package, retries with backoff
    and jitter, timeout, concurrency, optional on-disk cache, token accounting in
    :attr:`usage`); its :meth:`complete` and :meth:`complete_many` raise augmentation's
    :class:`~weaklabel.errors.TranslatorError` ([E744]-[E746]) instead of ``LLMError``.

    Parameters
    ----------
    model : str
        The model name the server knows (``"gpt-4o-mini"``, ``"llama3.1:8b"``...).
    base_url : str, default="https://api.openai.com/v1"
        The API root; requests go to ``{base_url}/chat/completions``.
    api_key : str, optional
        Sent as ``Authorization: Bearer <api_key>``; defaults to the environment variable
        named by ``api_key_env`` (``OPENAI_API_KEY``), and no header at all when neither is
        set (local servers). Never shown in a ``repr`` or ``get_params()``, never pickled.
    temperature : float, default=0.0
        Sampling temperature.
    system_prompt : str, optional
        A system message sent before each prompt.
    timeout : float, default=60
        Seconds per request.
    max_retries : int, default=3
        Retries after a 408/409/429/5xx, a timeout or a refused connection, waiting
        ``backoff * 2**attempt`` seconds plus jitter (or the server's ``Retry-After``, at
        most 60).
    backoff : float, default=1.0
        The first wait, in seconds.
    max_workers : int, default=1
        Requests in flight at once in :meth:`complete_many`.
    extra_body : dict, optional
        More request fields (``max_tokens``, ``top_p``, ...).
    **kwargs
        Other :class:`~weaklabel.llm.client.LLMClient` settings (``api_key_env``,
        ``cache``, ``jitter``, ``max_backoff``, prices per 1,000 tokens).
    """

    def __init__(
        self,
        *,
        model: str,
        base_url: str = DEFAULT_BASE_URL,
        api_key: str | None = None,
        temperature: float = 0.0,
        system_prompt: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff: float = 1.0,
        max_workers: int = 1,
        extra_body: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise invalid_argument(
                "ChatClient", "max_retries", "a non-negative integer", max_retries
            )
        if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
            raise invalid_argument("ChatClient", "max_workers", "a positive integer", max_workers)
        super().__init__(
            model=model,
            base_url=base_url,
            api_key=api_key,
            temperature=temperature,
            system_prompt=system_prompt,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            max_workers=max_workers,
            extra_body=extra_body,
            **kwargs,
        )

    def complete(
        self,
        prompt: str | list[dict[str, str]],
        *,
        n: int = 1,
        seed: int | None = None,
        temperature: float | None = None,
    ) -> list[str]:
        """The replies to one prompt, one per returned choice.

        Parameters
        ----------
        prompt : str or list of dict
            The user message (or the whole chat).
        n : int, default=1
            Choices asked for (sent as ``n`` only when above 1; some servers return
            fewer).
        seed : int, optional
            Sent as ``seed`` (servers that support it are then reproducible).
        temperature : float, optional
            Overrides the client's temperature.

        Returns
        -------
        list of str
            The ``message.content`` of each choice, in order.

        Raises
        ------
        TranslatorError
            [E744] on an HTTP error that retrying did not fix (status and the start of the
            body), [E745] when the server cannot be reached, [E746] when the reply is not
            chat-completions JSON.
        """
        try:
            return super().complete(prompt, n=n, seed=seed, temperature=temperature)
        except LLMError as error:
            raise self._translated(error) from error

    def complete_many(
        self,
        prompts: list[str],
        *,
        n: int = 1,
        seed: int | None = None,
        temperature: float | None = None,
    ) -> list[list[str]]:
        """:meth:`complete` for each prompt, ``max_workers`` at a time, in order."""
        try:
            return super().complete_many(prompts, n=n, seed=seed, temperature=temperature)
        except LLMError as error:
            raise self._translated(error) from error

    def _translated(self, error: LLMError) -> TranslatorError:
        kind = getattr(error, "kind", "")
        body = getattr(error, "body", "")
        if kind == "http":
            status = int(getattr(error, "status", 0))
            return TranslatorError(
                Errors.E744.format(url=self.url, status=status, body=body, hint=_hint(status))
            )
        if kind == "unreachable":
            return TranslatorError(
                Errors.E745.format(url=self.url, attempts=getattr(error, "attempts", 0), error=body)
            )
        return TranslatorError(Errors.E746.format(url=self.url, error=error, body=body))


def _hint(status: int) -> str:
    if status in (401, 403):
        return "Pass api_key=... or set the OPENAI_API_KEY environment variable."
    if status == 404:
        return "Check base_url (it should end in /v1 for most servers) and the model name."
    if status == 429:
        return "Rate limited: lower max_workers, or raise max_retries/backoff."
    if status >= 500:
        return "The server failed; retry later or raise max_retries."
    return "Check the request settings (model, extra_body)."


def _client(kwargs: dict[str, Any], default_temperature: float) -> ChatClient:
    client: ChatClient | None = kwargs.pop("client", None)
    if client is not None:
        return client
    kwargs.setdefault("temperature", default_temperature)
    names = {
        "model",
        "base_url",
        "api_key",
        "temperature",
        "system_prompt",
        "timeout",
        "max_retries",
        "backoff",
        "max_workers",
        "extra_body",
        "api_key_env",
        "cache",
        "jitter",
        "max_backoff",
        "price_per_1k_prompt",
        "price_per_1k_completion",
    }
    return ChatClient(**{k: kwargs.pop(k) for k in list(kwargs) if k in names})


def _check_template(owner: str, template: str, placeholder: str) -> str:
    if placeholder not in template:
        raise AugmentError(
            Errors.E748.format(name=owner, placeholder=placeholder, template=template)
        )
    return template


def _fill(template: str, **fields: object) -> str:
    for key, value in fields.items():
        template = template.replace("{" + key + "}", str(value))
    return template


class ChatTranslator:
    """Translate with a chat model, one request per text.

    Parameters
    ----------
    target_language : str
        The language to translate into, as the prompt names it (``"French"``).
    source_language : str, default="English"
        The texts' language, as the prompt names it.
    prompt_template : str, optional
        The user message, with ``{text}`` and optionally ``{source_language}`` and
        ``{target_language}``. Defaults to :data:`TRANSLATE_PROMPT`.
    name : str, optional
        Written in the provenance; defaults to ``chat:<model>:<source>-><target>``.
    **client_kwargs
        :class:`ChatClient` settings: ``model`` (required), ``base_url``, ``api_key``,
        ``api_key_env``, ``temperature`` (default 0), ``timeout``, ``max_retries``,
        ``backoff``, ``max_workers``, ``system_prompt``, ``extra_body``, ``cache`` (a
        folder: a re-run makes no request); or ``client=`` an existing :class:`ChatClient`.

    Raises
    ------
    TranslatorError
        [E744]-[E747] from the server's replies (see :class:`ChatClient`); [E747] when a
        reply is empty.

    Examples
    --------
    >>> to_fr = ChatTranslator("French", model="gpt-4o-mini")  # doctest: +SKIP
    >>> to_fr.translate(["I love New York."])  # doctest: +SKIP
    ["J'adore New York."]
    """

    def __init__(
        self,
        target_language: str,
        *,
        source_language: str = "English",
        prompt_template: str = TRANSLATE_PROMPT,
        name: str | None = None,
        **client_kwargs: Any,
    ) -> None:
        self.target_language = target_language
        self.source_language = source_language
        self.prompt_template = _check_template("ChatTranslator", prompt_template, "{text}")
        self.client = _client(client_kwargs, 0.0)
        if client_kwargs:
            raise TypeError(f"ChatTranslator got unexpected arguments {sorted(client_kwargs)}")
        self.name: str = name or (f"chat:{self.client.model}:{source_language}->{target_language}")

    def __repr__(self) -> str:
        return f"ChatTranslator({self.target_language!r}, model={self.client.model!r})"

    def get_params(self) -> dict[str, Any]:
        """The settings that define the output (no API key)."""
        return {
            **self.client.get_params(),
            "source_language": self.source_language,
            "target_language": self.target_language,
            "prompt_template": self.prompt_template,
        }

    def _prompt(self, text: str) -> str:
        return _fill(
            self.prompt_template,
            source_language=self.source_language,
            target_language=self.target_language,
            text=text,
        )

    def translate(self, texts: list[str]) -> list[str]:
        """One translation per text, in order (the first choice of each reply).

        Raises
        ------
        TranslatorError
            [E747] when a reply has no text; others as :meth:`ChatClient.complete`.
        """
        return [c[0] for c in self.translate_n(list(texts), 1, seed=None)]

    def translate_n(self, texts: list[str], n: int, seed: int | None = 0) -> list[list[str]]:
        """``n`` candidate translations per text, from the ``n`` choices of one request.

        At temperature 0 one choice is asked for (they would coincide); raise
        ``temperature`` for variety. Servers that return fewer choices give fewer
        candidates.

        Parameters
        ----------
        texts : list of str
        n : int
            Choices asked for per text.
        seed : int or None, default=0
            Sent with each request.

        Returns
        -------
        list of list of str
            ``len(texts)`` non-empty lists.
        """
        # at temperature 0 every choice is the same: do not pay for n of them
        wanted = n if self.client.temperature > 0 else 1
        replies = self.client.complete_many([self._prompt(t) for t in texts], n=wanted, seed=seed)
        out: list[list[str]] = []
        for text, choices in zip(texts, replies, strict=True):
            candidates = [c for c in (_strip_quotes(choice) for choice in choices) if c]
            if not candidates:
                raise TranslatorError(
                    Errors.E747.format(name=self.name, got=0, text=text[:80], expected=wanted)
                )
            out.append(candidates[:n])
        return out


class ChatParaphraser:
    """Several paraphrases per text from a chat model.

    Parameters
    ----------
    prompt_template : str, optional
        The user message, with ``{text}`` and optionally ``{n}``. Defaults to
        :data:`PARAPHRASE_PROMPT`, which asks for a numbered list of ``{n}`` paraphrases
        in one reply.
    choices : bool, default=False
        Ask for ``n`` choices (the API's ``n``) instead; each choice then gives one
        paraphrase. Use it with a template that asks for a single paraphrase, and a
        server that supports ``n``.
    name : str, optional
        Written in the provenance; defaults to ``chat:<model>``.
    **client_kwargs
        :class:`ChatClient` settings: ``model`` (required), ``base_url``, ``api_key``,
        ``temperature`` (default 0.7), ``timeout``, ``max_retries``, ``backoff``,
        ``max_workers``, ``system_prompt``, ``extra_body``; or ``client=``.

    Notes
    -----
    Every choice of a reply is parsed with :func:`parse_candidates`, so a numbered list
    and one-paraphrase-per-choice replies both work, whichever was asked for; the first
    ``n`` distinct candidates are kept.
    """

    def __init__(
        self,
        *,
        prompt_template: str = PARAPHRASE_PROMPT,
        choices: bool = False,
        name: str | None = None,
        **client_kwargs: Any,
    ) -> None:
        self.prompt_template = _check_template("ChatParaphraser", prompt_template, "{text}")
        self.choices = bool(choices)
        self.client = _client(client_kwargs, 0.7)
        if client_kwargs:
            raise TypeError(f"ChatParaphraser got unexpected arguments {sorted(client_kwargs)}")
        self.name: str = name or f"chat:{self.client.model}"

    def __repr__(self) -> str:
        return f"ChatParaphraser(model={self.client.model!r})"

    def get_params(self) -> dict[str, Any]:
        """The settings that define the output (no API key)."""
        return {
            **self.client.get_params(),
            "prompt_template": self.prompt_template,
            "choices": self.choices,
        }

    def paraphrase(self, texts: list[str], n: int, seed: int | None = 0) -> list[list[str]]:
        """Up to ``n`` distinct paraphrases per text (one request per text).

        Parameters
        ----------
        texts : list of str
        n : int
            Paraphrases wanted per text.
        seed : int or None, default=0
            Sent with each request.

        Returns
        -------
        list of list of str
            ``len(texts)`` lists of 1 to ``n`` candidates (they may include the input).

        Raises
        ------
        TranslatorError
            [E747] when a reply holds no candidate; others as :meth:`ChatClient.complete`.
        """
        prompts = [_fill(self.prompt_template, n=n, text=t) for t in texts]
        replies = self.client.complete_many(prompts, n=n if self.choices else 1, seed=seed)
        out: list[list[str]] = []
        for text, reply in zip(texts, replies, strict=True):
            found: list[str] = []
            for choice in reply:
                for candidate in parse_candidates(choice):
                    if candidate not in found:
                        found.append(candidate)
            if not found:
                raise TranslatorError(
                    Errors.E747.format(name=self.name, got=0, text=text[:80], expected=n)
                )
            out.append(found[:n])
        return out
