"""Templates of the fine-tuning writers, and the parsing of their files back (private).

:mod:`weaklabel.export.chat` formats the turns of each example from ``str.format``
templates; this module checks those templates and turns them into regular expressions that
read a written file back, one named group per field.
"""

from __future__ import annotations

import json
import os
import re
import string
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weaklabel.errors import ExportError
from weaklabel.export._errors import Errors

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SPECIAL_FIELDS", "check_explanations", "read_records", "template_fields"]

SPECIAL_FIELDS = ("text", "label", "explanation", "answer")
"""The template fields that are not columns."""


def template_fields(template: object, which: str, allowed: Sequence[str], where: str) -> list[str]:
    """The field names of a template, checked against the allowed ones."""
    if not isinstance(template, str) or not template:
        raise ExportError(
            Errors.E855.format(
                where=where,
                which=which,
                template=template,
                problem="is not a non-empty string",
                fields=list(allowed),
            )
        )
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ExportError(
            Errors.E855.format(
                where=where,
                which=which,
                template=template,
                problem=f"is malformed ({exc})",
                fields=list(allowed),
            )
        ) from None
    fields = [name for _, name, _, _ in parsed if name is not None]
    for name in fields:
        if name not in allowed:
            problem = "has a positional field {}" if name == "" else f"uses {{{name}}}"
            raise ExportError(
                Errors.E855.format(
                    where=where,
                    which=which,
                    template=template,
                    problem=problem,
                    fields=list(allowed),
                )
            )
    return fields


def check_explanations(explanations: object, names: list[str], where: str) -> dict[str, str]:
    if not isinstance(explanations, Mapping):
        raise ExportError(
            Errors.E856.format(where=where, problem=f"got {type(explanations).__name__}")
        )
    missing = [n for n in names if not isinstance(explanations.get(n), str) or not explanations[n]]
    if missing:
        raise ExportError(Errors.E856.format(where=where, problem=f"none for {missing}"))
    texts = [explanations[n] for n in names]
    if len(set(texts)) != len(texts):
        raise ExportError(Errors.E856.format(where=where, problem="two labels share one"))
    return {str(k): str(v) for k, v in explanations.items()}


def _template_regex(template: str) -> re.Pattern[str]:
    """A regex that matches what ``template`` formats to, one named group per field."""
    pattern: list[str] = []
    seen: set[str] = set()
    for literal, name, _, _ in string.Formatter().parse(template):
        pattern.append(re.escape(literal))
        if name is None:
            continue
        if name in seen:
            pattern.append(f"(?P={_group(name)})")
        else:
            seen.add(name)
            pattern.append(f"(?P<{_group(name)}>.*)")
    return re.compile("".join(pattern), re.DOTALL)


def _group(name: str) -> str:
    return "f" + name.encode().hex()


def _parse(regex: re.Pattern[str], value: str) -> dict[str, str] | None:
    match = regex.fullmatch(value)
    if match is None:
        return None
    return {bytes.fromhex(k[1:]).decode(): v for k, v in match.groupdict().items()}


def read_records(
    path: str | os.PathLike[str],
    form: str,
    user_template: str,
    assistant_template: str,
    answer: str,
    explanations: Mapping[str, str] | None,
) -> pd.DataFrame:
    import pandas as pd

    where = "read_chat_jsonl" if form == "chat" else "read_prompt_completion"
    source = Path(path)
    for which, template in (("user", user_template), ("assistant", assistant_template)):
        template_fields(template, which, [*SPECIAL_FIELDS, *_names(template)], where)
    inverse = {}
    if answer == "explanation":
        inverse = {
            v: k
            for k, v in check_explanations(explanations, list(explanations or {}), where).items()
        }
    regexes = {
        "user": _template_regex(user_template),
        "assistant": _template_regex(assistant_template),
    }
    try:  # split at \n only: JSON keeps U+2028 and U+0085 raw inside strings
        lines = source.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(Errors.E865.format(path=source, problem=exc)) from None
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ExportError(
                Errors.E858.format(path=source, line=number, problem=f"not JSON ({exc})")
            ) from None
        turns, weight, system = _turns(record, form, source, number)
        row: dict[str, Any] = {}
        if form == "chat":
            row["system"] = system
        for which in ("user", "assistant"):
            parsed = _parse(regexes[which], turns[which])
            if parsed is None:
                raise ExportError(
                    Errors.E859.format(
                        path=source,
                        line=number,
                        which=which,
                        value=turns[which],
                        template=user_template if which == "user" else assistant_template,
                    )
                )
            row.update(parsed)
        reply = row.pop("answer", None)
        if answer == "label":
            row.setdefault("label", reply)
        elif answer == "explanation":
            text = row.pop("explanation", reply)
            if text not in inverse:
                raise ExportError(
                    Errors.E858.format(
                        path=source,
                        line=number,
                        problem=f"the explanation {text!r} is none of the given explanations",
                    )
                )
            row["label"] = inverse[text]
        else:
            row.setdefault(answer, reply)
        if weight is not None:
            row["weight"] = weight
        rows.append(row)
    frame = pd.DataFrame(rows)
    if form == "chat" and "system" in frame.columns and frame["system"].isna().all():
        frame = frame.drop(columns="system")
    return frame


def _names(template: str) -> list[str]:
    try:
        return [n for _, n, _, _ in string.Formatter().parse(template) if n]
    except ValueError:
        return []


def _turns(
    record: object, form: str, source: Path, number: int
) -> tuple[dict[str, str], float | None, str | None]:
    """The user and assistant texts, the weight and the system text of one line."""

    def fail(problem: str) -> ExportError:
        return ExportError(Errors.E858.format(path=source, line=number, problem=problem))

    if not isinstance(record, dict):
        raise fail("not a JSON object")
    weight = record.get("weight")
    if form != "chat":
        if not isinstance(record.get("prompt"), str) or not isinstance(
            record.get("completion"), str
        ):
            raise fail("needs string 'prompt' and 'completion'")
        return {"user": record["prompt"], "assistant": record["completion"]}, weight, None
    messages = record.get("messages")
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise fail("'messages' must be a list of objects")
    roles = [m.get("role") for m in messages]
    system = None
    if roles and roles[0] == "system":
        system = messages[0].get("content")
        messages, roles = messages[1:], roles[1:]
    if roles != ["user", "assistant"] or not all(
        isinstance(m.get("content"), str) for m in messages
    ):
        raise fail(f"needs a user turn then an assistant turn with text content; got roles {roles}")
    if "weight" in messages[1]:
        weight = messages[1]["weight"]
    return {"user": messages[0]["content"], "assistant": messages[1]["content"]}, weight, system
