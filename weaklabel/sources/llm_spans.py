"""An LLM span source: the entity spans a chat model lists as JSON.

Use :class:`LLMSpanSource` with :func:`weaklabel.apply_spans` (or on spaCy docs, as a
skweak annotator) when a large language model should mark spans -- people, places,
products -- from the type names and a few examples. It shares the client, the cache, the
retries and the accounting of :class:`weaklabel.sources.llm.LLMSource` (read that
module's docstring); what differs is the answer: a JSON list of
``{"text": ..., "label": ...}`` objects, each listed text marked wherever it occurs in the
doc as whole words, widened to whole tokens.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from weaklabel.errors import ParameterError
from weaklabel.sources._errors import Errors
from weaklabel.sources._llm_prompt import build_messages, describe, fill, parse_spans
from weaklabel.sources.llm import PROMPT_TEMPLATE, OnError, _LLMBase
from weaklabel.sources.span_base import SpanSource, require_spacy
from weaklabel.tokens import SpanTuple

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from weaklabel.llm.client import LLMClient

__all__ = ["SPAN_INSTRUCTIONS", "LLMSpanSource"]

logger = logging.getLogger(__name__)

SPAN_INSTRUCTIONS = (
    "You mark spans of these types in a text: {labels}.\n"
    "{descriptions}"
    'Answer with a JSON list of objects {"text": "<the exact words from the text>", '
    '"label": "<one of the types>"}, in the order they occur, and nothing else. Answer [] '
    "when there is none."
)


class LLMSpanSource(_LLMBase, SpanSource):
    """Spans a chat model lists as JSON, as a span source.

    The model is asked for ``[{"text": ..., "label": ...}, ...]``; every whole-word
    occurrence of each listed text in the doc is marked with its label (widened to whole
    tokens). Listed spans with a label outside ``labels`` or a text the doc does not hold
    are dropped and counted (``report.dropped``); a reply that is not such JSON counts as
    unparsed, and the doc gets no span from it.

    Parameters
    ----------
    name : str
        Unique source name (the span-group key).
    labels : sequence of str
        The span labels (entity types) the model chooses from.
    instructions : str, optional
        The system message, with ``{labels}`` and ``{descriptions}``; defaults to
        :data:`SPAN_INSTRUCTIONS`.
    prompt_template : str, default="Text: {text}"
        The user message; must hold ``{text}``.
    examples : sequence of (text, list of (span text, label)), optional
        Few-shot examples; each answer is sent as the JSON the model should give.
    descriptions, on_error, client, **client_kwargs
        As in :class:`LLMSource`.
    """

    def __init__(
        self,
        name: str,
        labels: Sequence[str],
        *,
        instructions: str = SPAN_INSTRUCTIONS,
        prompt_template: str = PROMPT_TEMPLATE,
        examples: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (),
        descriptions: Mapping[str, str] | None = None,
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
        checked = []
        for index, (text, spans) in enumerate(examples):
            bad = [s for s in spans if s[1] not in self.labels or s[0] not in text]
            if bad:
                raise ParameterError(
                    Errors.E891.format(
                        source=name,
                        index=index,
                        problem=f"has spans whose label is unknown or text is not in the "
                        f"example: {bad!r}",
                        labels=list(self.labels),
                    )
                )
            answer = json.dumps([{"text": s, "label": lab} for s, lab in spans], ensure_ascii=False)
            checked.append((text, answer))
        self.examples = tuple(checked)

    @property
    def system_message(self) -> str:
        """The instructions as sent, placeholders filled in."""
        return fill(
            self.instructions,
            labels=", ".join(self.labels),
            descriptions=describe(self.labels, self.descriptions),
        )

    def messages(self, text: str) -> list[dict[str, str]]:
        """The chat sent for ``text``: instructions, few-shot turns, then the text."""
        return build_messages(self.system_message, self.prompt_template, text, self.examples)

    def fingerprint(self) -> str:
        return self._identity("llm_spans", json.dumps(self.examples))

    def spans(self, doc: Doc) -> list[SpanTuple]:
        """The spans of one doc (one request, or none when it is cached)."""
        return self.spans_batch([doc])[0]

    def spans_batch(self, docs: Sequence[Doc], *, start: int = 0) -> list[list[SpanTuple]]:
        """The spans of many docs, their requests sent ``max_workers`` at a time."""
        require_spacy()
        todo = [i for i, doc in enumerate(docs) if doc.text.strip()]
        replies = self._ask([self.messages(docs[i].text) for i in todo])
        out: list[list[SpanTuple]] = [[] for _ in docs]
        unparsed = dropped = 0
        for i, reply in zip(todo, replies, strict=True):
            if reply.error is not None:
                continue
            found, bad, parsed = parse_spans(
                reply.contents[0] if reply.contents else "", self.labels
            )
            unparsed += not parsed
            spans, missing = _locate(docs[i], found)
            out[i] = spans
            dropped += bad + missing
        self.report.count(unparsed=unparsed, dropped=dropped)
        logger.info("LLM span source %r: %s", self.name, self.report)
        return out


def _locate(doc: Doc, found: list[tuple[str, str]]) -> tuple[list[SpanTuple], int]:
    """Token spans of each listed text's whole-word occurrences, and how many were not found."""
    spans: set[SpanTuple] = set()
    missing = 0
    for text, label in found:
        left = r"(?<!\w)" if text[0].isalnum() or text[0] == "_" else ""
        right = r"(?!\w)" if text[-1].isalnum() or text[-1] == "_" else ""
        hits = list(re.finditer(left + re.escape(text) + right, doc.text))
        for match in hits:
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is not None and len(span):
                spans.add((span.start, span.end, label))
        missing += not hits
    return sorted(spans), missing
