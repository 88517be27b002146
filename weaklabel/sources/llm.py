"""LLM sources: a chat model as a labeling source, for documents and for spans.

Use :class:`LLMSource` when a large language model can label your documents from the
label names (and a few examples): it plugs into :func:`weaklabel.apply` like any other
source, one vote column, with ``-1`` wherever it abstains. Use
:class:`~weaklabel.sources.llm_spans.LLMSpanSource` with :func:`weaklabel.apply_spans`
when the model should mark entity spans; it asks for a JSON list of
``{"text": ..., "label": ...}`` objects and finds them in the tokens.

Both label a whole column at once: the prompts go to an OpenAI-compatible endpoint through
weaklabel's one LLM client, :class:`weaklabel.llm.client.LLMClient` (the ``openai``
package, ``pip install "weaklabel[llm]"``), ``max_workers`` at a time, with retries and
backoff on 429/5xx and timeouts, and an on-disk cache (``cache="folder"``) keyed on the
endpoint, model, prompt and text -- so a second run makes no request at all. The API key
is read from an environment variable (``api_key_env``, default ``OPENAI_API_KEY``) at
request time; it is in no log, cache file, ``repr`` or pickle.

What happens to each text:

- empty or whitespace-only texts are not sent; the source abstains on them;
- an answer that names one label is that label's vote; the abstain word (``NONE``) is an
  abstain; anything else is an abstain counted as **unparsed** in :attr:`LLMSource.report`;
- a request that still fails after its retries (HTTP errors, timeouts, malformed
  replies) is an abstain counted as a **failure**, with one warning ([E893]) per run, and
  is not cached, so the next run asks again; ``on_error="raise"`` stops instead ([E894]).

:attr:`LLMSource.report` (an :class:`~weaklabel.llm.usage.LLMUsage`) adds up, since the
source was made: prompts, requests sent, cache hits, retries, failures, unparsed answers,
tokens and their cost at the prices you give (``price_per_1k_prompt=...``).

Examples
--------
>>> from weaklabel.sources.llm import LLMSource, few_shot
>>> llm = LLMSource(
...     "llm", ["HAM", "SPAM"], model="gpt-4o-mini", cache="llm-cache",
...     examples=few_shot(gold, per_label=2),
... )  # doctest: +SKIP
>>> L = weaklabel.apply([llm, ...], comments, label_names=["HAM", "SPAM"])  # doctest: +SKIP
>>> print(llm.report)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from weaklabel._fingerprint import digest
from weaklabel.errors import ParameterError, SourceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.sources._errors import Errors
from weaklabel.sources._llm_prompt import (
    build_messages,
    describe,
    fill,
    parse_label,
)
from weaklabel.sources.base import Corpus, Row, Source, resolve_label

if TYPE_CHECKING:
    import pandas as pd

    from weaklabel.llm.client import LLMClient
    from weaklabel.llm.usage import ChatReply, LLMUsage

__all__ = [
    "DOCUMENT_INSTRUCTIONS",
    "PROMPT_TEMPLATE",
    "LLMSource",
    "few_shot",
]

logger = logging.getLogger(__name__)

DOCUMENT_INSTRUCTIONS = (
    "You label texts for a classification task. The labels are: {labels}.\n"
    "{descriptions}"
    "Answer with exactly one label name and nothing else. If no label fits, answer {abstain}."
)
PROMPT_TEMPLATE = "Text: {text}"

OnError = Literal["abstain", "raise"]


def few_shot(
    gold: Any,
    *,
    labels: Sequence[str] | None = None,
    text_column: str = "text",
    label_column: str = "label",
    per_label: int = 2,
    seed: int = 0,
) -> list[tuple[str, str]]:
    """Few-shot examples for :class:`LLMSource`, drawn from gold rows.

    Parameters
    ----------
    gold : pandas.DataFrame or sequence of (text, label)
        Labelled rows. Labels are names, or class ids when ``labels`` is given; rows
        without a text, or with a missing label or ``-1``, are skipped.
    labels : sequence of str, optional
        The label names in id order, to turn class ids into names.
    text_column, label_column : str
        The DataFrame's columns.
    per_label : int, default=2
        Examples per label (fewer when the gold rows hold fewer).
    seed : int, default=0
        Which rows are drawn.

    Returns
    -------
    list of (str, str)
        ``(text, label name)`` pairs, the labels taking turns, so the prompt does not end
        with a block of one label.
    """
    import pandas as pd

    if isinstance(gold, pd.DataFrame):
        missing = [c for c in (text_column, label_column) if c not in gold.columns]
        if missing:
            raise ParameterError(
                Errors.E035.format(column=missing[0], columns=[str(c) for c in gold.columns])
            )
        pairs = list(zip(gold[text_column].tolist(), gold[label_column].tolist(), strict=True))
    else:
        pairs = [tuple(p) for p in gold]
    by_label: dict[str, list[str]] = {}
    for text, label in pairs:
        if not isinstance(text, str) or not text.strip() or _missing(label):
            continue
        if not isinstance(label, str):
            if labels is None or not 0 <= int(label) < len(labels):
                raise ParameterError(
                    Errors.E060.format(
                        name="few_shot",
                        param="labels",
                        expected=f"the label names, to read the class id {label!r}",
                        value=labels,
                    )
                )
            label = labels[int(label)]
        by_label.setdefault(label, []).append(text)
    rng = np.random.default_rng(seed)
    drawn = {
        name: [texts[i] for i in sorted(rng.permutation(len(texts))[:per_label])]
        for name, texts in sorted(by_label.items())
    }
    out: list[tuple[str, str]] = []
    for i in range(per_label):
        out.extend((texts[i], name) for name, texts in drawn.items() if i < len(texts))
    return out


def _missing(label: Any) -> bool:
    if label is None:
        return True
    if isinstance(label, float) and label != label:  # NaN
        return True
    return not isinstance(label, str) and int(label) == ABSTAIN


def _make_client(client: LLMClient | None, kwargs: dict[str, Any]) -> LLMClient:
    if client is not None:
        if kwargs:
            raise TypeError(f"pass either client= or client settings, not both: {sorted(kwargs)}")
        return client
    from weaklabel.llm.client import LLMClient

    kwargs.setdefault("max_workers", 4)
    return LLMClient(**kwargs)


def _check_labels(source: str, labels: Sequence[str]) -> tuple[str, ...]:
    names = tuple(labels) if not isinstance(labels, str) else ()
    if (
        not names
        or not all(isinstance(n, str) and n.strip() for n in names)
        or len(set(names)) != len(names)
    ):
        raise ParameterError(Errors.E892.format(source=source, labels=labels))
    return names


class _LLMBase:
    """What the document and span sources share: the client, the prompt, the report."""

    name: str
    labels: tuple[str, ...]
    client: LLMClient
    report: LLMUsage

    def _setup(
        self,
        name: str,
        labels: Sequence[str],
        instructions: str,
        prompt_template: str,
        descriptions: Mapping[str, str] | None,
        on_error: str,
        client: LLMClient | None,
        client_kwargs: dict[str, Any],
    ) -> None:
        from weaklabel.llm.usage import LLMUsage

        self.name = name
        self.labels = _check_labels(name, labels)
        if "{text}" not in prompt_template:
            raise ParameterError(
                Errors.E890.format(
                    source=name,
                    what="prompt_template",
                    placeholder="{text}",
                    template=prompt_template,
                )
            )
        if on_error not in ("abstain", "raise"):
            raise ParameterError(
                Errors.E060.format(
                    name=name, param="on_error", expected="'abstain' or 'raise'", value=on_error
                )
            )
        self.instructions = instructions
        self.prompt_template = prompt_template
        self.descriptions = dict(descriptions or {})
        self.on_error = on_error
        self.client = _make_client(client, client_kwargs)
        self.last_faults = 0
        self.report = LLMUsage(
            price_per_1k_prompt=self.client.usage.price_per_1k_prompt,
            price_per_1k_completion=self.client.usage.price_per_1k_completion,
        )

    def _identity(self, kind: str, *extra: str) -> str:
        return digest(
            [
                kind,
                self.name,
                json.dumps(self.client.get_params(), sort_keys=True),
                json.dumps(self.labels),
                self.instructions,
                self.prompt_template,
                json.dumps(self.descriptions, sort_keys=True),
                *extra,
            ]
        )

    def _ask(self, chats: list[list[dict[str, str]]]) -> list[ChatReply]:
        """Send the chats; count them in the report; warn or raise on failures."""
        replies = self.client.chat_many(chats) if chats else []
        failed = [r for r in replies if r.error is not None]
        self.last_faults = len(failed)
        for reply in replies:
            self.report.add(reply)
        if failed and self.on_error == "raise":
            raise SourceError(Errors.E894.format(source=self.name, error=failed[0].error))
        if failed:
            warnings.warn(
                Errors.E893.format(
                    source=self.name, failures=len(failed), n=len(replies), error=failed[0].error
                ),
                stacklevel=4,
            )
        return replies

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(name={self.name!r}, labels={list(self.labels)!r}, "
            f"client={self.client!r})"
        )


class LLMSource(_LLMBase, Source):
    """A chat model's answer as a document vote (a column source).

    Parameters
    ----------
    name : str
        Unique source name (the label-matrix column).
    labels : sequence of str
        The label names the model chooses from, as the prompt shows them. At apply time
        they are mapped to the ids of ``label_names`` (which must hold them); without
        ``label_names`` a label's id is its position here.
    instructions : str, optional
        The system message, with ``{labels}``, ``{descriptions}`` and ``{abstain}``
        filled in. Defaults to :data:`DOCUMENT_INSTRUCTIONS`.
    prompt_template : str, default="Text: {text}"
        The user message; must hold ``{text}``.
    examples : sequence of (text, label), or DataFrame, optional
        Few-shot examples, sent as earlier turns of the chat. Build them from gold rows
        with :func:`few_shot`; a DataFrame of gold rows (``text`` and ``label`` columns,
        labels as names or ids) is read as ``few_shot(examples, labels=labels)``: two
        examples per label.
    descriptions : mapping of str to str, optional
        A short description per label, shown in the instructions.
    abstain_answer : str, default="NONE"
        The answer the model is told to give when no label fits.
    text_column : str, optional
        The column to read; defaults to the ``text_column`` given to ``apply``.
    on_error : {"abstain", "raise"}, default="abstain"
        What a request that failed after its retries becomes: an abstain, counted in
        :attr:`report` and warned about once per run ([E893]), or a ``SourceError``
        ([E894]).
    client : LLMClient, optional
        A client to share between sources (then give no client settings).
    **client_kwargs
        :class:`~weaklabel.llm.client.LLMClient` settings: ``model`` (required),
        ``base_url``, ``api_key_env``, ``cache`` (a folder), ``max_workers`` (default 4
        here), ``timeout``, ``max_retries``, ``backoff``, ``temperature``,
        ``price_per_1k_prompt``, ``price_per_1k_completion``, ``extra_body``.

    Attributes
    ----------
    report : LLMUsage
        Prompts, requests, cache hits, retries, failures, unparsed answers, tokens and
        cost, added up over every run of this source.
    last_faults : int
        Requests of the last run that failed after their retries (0 when all answered).
    """

    vectorized = True

    def __init__(
        self,
        name: str,
        labels: Sequence[str],
        *,
        instructions: str = DOCUMENT_INSTRUCTIONS,
        prompt_template: str = PROMPT_TEMPLATE,
        examples: Sequence[tuple[str, str]] | pd.DataFrame = (),
        descriptions: Mapping[str, str] | None = None,
        abstain_answer: str = "NONE",
        text_column: str | None = None,
        on_error: OnError = "abstain",
        client: LLMClient | None = None,
        **client_kwargs: Any,
    ) -> None:
        self._setup(
            name,
            labels,
            instructions,
            prompt_template,
            descriptions,
            on_error,
            client,
            client_kwargs,
        )
        self.abstain_answer = str(abstain_answer)
        self.text_column = text_column
        self.examples = self._check_examples(examples)

    def _check_examples(self, examples: Any) -> tuple[tuple[str, str], ...]:
        if hasattr(examples, "columns") and hasattr(examples, "iloc"):  # a DataFrame of gold rows
            examples = few_shot(examples, labels=self.labels, per_label=2)
        out = []
        for index, item in enumerate(examples):
            try:
                text, label = item
            except (TypeError, ValueError):
                raise ParameterError(
                    Errors.E891.format(
                        source=self.name,
                        index=index,
                        problem=f"is {item!r}, not a (text, label) pair",
                        labels=list(self.labels),
                    )
                ) from None
            if not isinstance(text, str) or not text.strip():
                problem = f"has no text ({text!r})"
            elif label not in self.labels:
                problem = f"has the label {label!r}"
            else:
                out.append((text, label))
                continue
            raise ParameterError(
                Errors.E891.format(
                    source=self.name, index=index, problem=problem, labels=list(self.labels)
                )
            )
        return tuple(out)

    @property
    def data_column(self) -> str | None:
        return self.text_column

    @property
    def system_message(self) -> str:
        """The instructions as sent, placeholders filled in."""
        return fill(
            self.instructions,
            labels=", ".join(self.labels),
            descriptions=describe(self.labels, self.descriptions),
            abstain=self.abstain_answer,
        )

    def messages(self, text: str) -> list[dict[str, str]]:
        """The chat sent for ``text``: instructions, few-shot turns, then the text."""
        return build_messages(self.system_message, self.prompt_template, text, self.examples)

    def fingerprint(self) -> str:
        return self._identity(
            "llm_source", json.dumps(self.examples), self.abstain_answer, repr(self.text_column)
        )

    def label_texts(self, texts: Sequence[str]) -> list[str | None]:
        """The label name the model gives each text (None where it abstains).

        Parameters
        ----------
        texts : sequence of str
            Empty or whitespace-only texts (and non-strings) are not sent.

        Returns
        -------
        list of str or None
            One entry per text.
        """
        todo = [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
        replies = self._ask([self.messages(texts[i]) for i in todo])
        out: list[str | None] = [None] * len(texts)
        unparsed = 0
        for i, reply in zip(todo, replies, strict=True):
            if reply.error is not None:
                continue
            label, parsed = (
                parse_label(reply.contents[0], self.labels, self.abstain_answer)
                if reply.contents
                else (None, False)
            )
            unparsed += not parsed
            out[i] = label
        self.report.count(unparsed=unparsed)
        logger.info("LLM source %r: %s", self.name, self.report)
        return out

    def label_corpus(self, corpus: Corpus, label_space: LabelSpace | None) -> np.ndarray:
        """Label every example (one request per distinct text not in the cache).

        Returns
        -------
        ndarray of shape (n_examples,)
            Class ids, ``-1`` for abstain.
        """
        ids = self._label_ids(label_space)
        texts = corpus.arrow_text(self.text_column or corpus.text_column).to_pylist()
        names = self.label_texts(texts)
        return np.array([ABSTAIN if n is None else ids[n] for n in names], dtype=np.int64).reshape(
            len(texts)
        )

    def _label_ids(self, label_space: LabelSpace | None) -> dict[str, int]:
        if label_space is None:
            return {name: i for i, name in enumerate(self.labels)}
        return {name: resolve_label(name, self.name, "(any)", label_space) for name in self.labels}

    def __call__(self, x: Row | Mapping[str, Any] | str) -> str | None:
        """Label one example (a Row, a mapping of fields, or a bare text)."""
        text = x if isinstance(x, str) else Row(x)[self.text_column or "text"]
        return self.label_texts([text])[0]
