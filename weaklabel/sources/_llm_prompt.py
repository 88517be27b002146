"""Prompts for the LLM sources, and the reading of their answers (internal).

:mod:`weaklabel.sources.llm` builds its chat messages with :func:`build_messages` and reads
a reply with :func:`parse_label` (documents) or :func:`parse_spans` (spans). Kept apart so
that the parsing rules can be tested on their own, without a server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["build_messages", "fill", "parse_label", "parse_spans"]

_FENCE = re.compile(r"^\s*```(?:json|JSON)?\s*(.*?)\s*```\s*$", re.DOTALL)
_TRIM = " \t\r\n\"'`“”‘’«».,;:!?*()[]{}<>"
_PREFIX = re.compile(r"^\s*(?:the\s+)?(?:label|answer|class|category)\s*(?:is)?\s*[:=-]?\s*", re.I)


def fill(template: str, **fields: object) -> str:
    """Replace ``{name}`` placeholders, leaving any other brace (JSON, user text) alone."""
    for key, value in fields.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def describe(labels: Sequence[str], descriptions: Mapping[str, str]) -> str:
    """One line per described label (``- SPAM: ads and links``), or ``""``."""
    lines = [f"- {name}: {descriptions[name]}" for name in labels if descriptions.get(name)]
    return "".join(line + "\n" for line in lines)


def build_messages(
    system: str,
    template: str,
    text: str,
    examples: Sequence[tuple[str, str]],
) -> list[dict[str, str]]:
    """The chat for one text: the instructions, the few-shot turns, then the text.

    Parameters
    ----------
    system : str
        The system message, already filled in.
    template : str
        The user message, with ``{text}``.
    text : str
        The text to label.
    examples : sequence of (text, answer)
        Few-shot turns: each becomes a user message (the template filled with the
        example's text) and the assistant's answer.

    Returns
    -------
    list of dict
        ``[{"role": ..., "content": ...}, ...]``.
    """
    messages = [{"role": "system", "content": system}]
    for example, answer in examples:
        messages.append({"role": "user", "content": fill(template, text=example)})
        messages.append({"role": "assistant", "content": answer})
    messages.append({"role": "user", "content": fill(template, text=text)})
    return messages


def _unfence(reply: str) -> str:
    match = _FENCE.match(reply)
    return match.group(1) if match else reply


def _json_value(reply: str) -> Any:
    """The JSON value in a reply (fenced or not, with chatter around it), or None."""
    text = _unfence(reply).strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    for opening, closing in (("{", "}"), ("[", "]")):
        start, end = text.find(opening), text.rfind(closing)
        if 0 <= start < end:
            try:
                return json.loads(text[start : end + 1])
            except ValueError:
                continue
    return None


def parse_label(reply: str, labels: Sequence[str], abstain: str) -> tuple[str | None, bool]:
    """The label a reply names.

    The reply is read as, in order: JSON with a ``"label"`` field; the label name alone
    (any case, quotes, a ``Label:`` prefix and trailing punctuation ignored); the abstain
    word; a sentence naming exactly one label as a whole word.

    Parameters
    ----------
    reply : str
        The model's answer.
    labels : sequence of str
        The label names.
    abstain : str
        The word the model was told to answer when no label fits.

    Returns
    -------
    (label, parsed) : (str or None, bool)
        ``(name, True)`` for a label; ``(None, True)`` when the model abstained;
        ``(None, False)`` when the reply names no label (or several).

    Examples
    --------
    >>> parse_label(' "Spam." ', ["HAM", "SPAM"], "NONE")
    ('SPAM', True)
    >>> parse_label('{"label": "ham"}', ["HAM", "SPAM"], "NONE")
    ('HAM', True)
    >>> parse_label("I think this one is HAM.", ["HAM", "SPAM"], "NONE")
    ('HAM', True)
    >>> parse_label("HAM or SPAM", ["HAM", "SPAM"], "NONE")
    (None, False)
    """
    by_fold = {name.casefold(): name for name in labels}
    value = _json_value(reply) if "{" in reply else None
    if isinstance(value, dict):
        for key in ("label", "answer", "class", "category"):
            if isinstance(value.get(key), str):
                reply = value[key]
                break
    short = _PREFIX.sub("", reply.strip()).strip(_TRIM).casefold()
    if short in by_fold:
        return by_fold[short], True
    if short == abstain.casefold():
        return None, True
    found = {
        name
        for fold, name in by_fold.items()
        if re.search(rf"(?<!\w){re.escape(fold)}(?!\w)", reply.casefold())
    }
    if len(found) == 1:
        return found.pop(), True
    return None, False


def parse_spans(reply: str, labels: Sequence[str]) -> tuple[list[tuple[str, str]], int, bool]:
    """The ``(text, label)`` spans a JSON reply lists.

    The reply may be a JSON list of objects (``[{"text": "Paris", "label": "GPE"}]``),
    or an object holding that list under ``spans``, ``entities`` or ``results``; it may
    be fenced (```json ... ```). Each object gives its text under ``text`` (or ``span``,
    ``entity``) and its label under ``label`` (or ``type``); a pair ``["Paris", "GPE"]``
    also works. Labels are matched to ``labels`` ignoring case.

    Returns
    -------
    spans : list of (str, str)
        The spans whose label is known, in the reply's order.
    dropped : int
        Items with an unknown label or no text.
    parsed : bool
        False when the reply is not such JSON (then ``spans`` is empty).
    """
    value = _json_value(reply)
    if isinstance(value, dict):
        value = next(
            (value[k] for k in ("spans", "entities", "results") if isinstance(value.get(k), list)),
            None,
        )
    if not isinstance(value, list):
        return [], 0, False
    by_fold = {name.casefold(): name for name in labels}
    out: list[tuple[str, str]] = []
    dropped = 0
    for item in value:
        text: Any = None
        label: Any = None
        if isinstance(item, dict):
            text = next((item[k] for k in ("text", "span", "entity") if k in item), None)
            label = next((item[k] for k in ("label", "type") if k in item), None)
        elif isinstance(item, list | tuple) and len(item) == 2:
            text, label = item
        name = by_fold.get(label.casefold()) if isinstance(label, str) else None
        if not isinstance(text, str) or not text.strip() or name is None:
            dropped += 1
            continue
        out.append((text.strip(), name))
    return out, dropped, True
