"""Parsing of Label Studio exports: JSON and JSON_MIN read into one checked shape.

The readers of :mod:`weaklabel.export.label_studio_read` call :func:`parse_tasks` with the
tag they want (``from_name``) and its kind (``choices``, ``labels`` or ``textarea``) and get
one :class:`ParsedTask` per task with its answers (annotations, or predictions), each
answer holding the ``value`` objects of that tag. JSON_MIN's short values (a plain string
for one choice, for instance) are expanded to the objects JSON holds, so the checks of
the values (``check_choice``, ``check_spans``, ``check_texts``) serve both formats.

Every field read is checked; a bad one raises an ``ExportError`` naming the task (id and
position) and the field path (``annotations[0].result[1].value.end``).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

from weaklabel.errors import ExportError, ParameterError
from weaklabel.export._errors import Errors
from weaklabel.export._io import load_json
from weaklabel.export.label_studio import CharSpan

Source = str | os.PathLike[str] | list[Any]
Kind = Literal["choices", "labels", "textarea"]
Combine = Literal["majority", "unanimous"]
_META = ("id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time")


class Answer(NamedTuple):
    where: str
    row: int
    who: str
    ground_truth: bool
    score: float | None
    values: list[Any]  # checked values of the from_name, by kind


class ParsedTask(NamedTuple):
    where: str
    row: int
    data: dict[str, Any]
    answers: list[Answer]


# ------------------------------------------------------------------------------ parsing
def fail(code: str, **fields: Any) -> ExportError:
    return ExportError(getattr(Errors, code).format(**fields))


def _expect(
    value: Any, kind: type | tuple[type, ...], where: str, field: str, expected: str
) -> Any:
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise fail("E675", where=where, field=field, expected=expected, value=value)
    if not isinstance(value, kind):
        raise fail("E675", where=where, field=field, expected=expected, value=value)
    return value


def _records(source: Source) -> tuple[list[dict[str, Any]], bool]:
    """The export's items and whether they are JSON_MIN records."""
    content, name = load_json(source)
    if not isinstance(content, list):
        raise fail("E672", kind=f"{type(content).__name__} in {name}")
    minimal: bool | None = None
    for i, item in enumerate(content):
        if not isinstance(item, dict):
            raise fail("E673", where=f"item {i} of {name}", mixed=f" (it is {item!r:.60})")
        is_task = isinstance(item.get("data"), dict)
        is_min = not is_task and "annotator" in item
        if not (is_task or is_min):
            raise fail("E673", where=f"item {i} of {name}", mixed="")
        if minimal is not None and minimal != is_min:
            mixed = f" like item 0 is (it mixes {'JSON_MIN' if minimal else 'JSON'} and more)"
            raise fail("E673", where=f"item {i} of {name}", mixed=mixed)
        minimal = is_min
    return content, bool(minimal)


def _row(value: Any, where: str, field: str) -> int:
    if value is None:
        raise fail(
            "E674",
            where=where,
            field=field,
            hint="Tasks written by weaklabel carry the row they came from; pass row_field= "
            "for tasks that keep it under another name.",
        )
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail("E675", where=where, field=field, expected="a row number >= 0", value=value)
    return value


def _who(value: Any, where: str, field: str) -> str:
    if isinstance(value, dict):
        email, uid = value.get("email"), value.get("id")
        value = email if isinstance(email, str) and email else uid
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        raise fail(
            "E675", where=where, field=field, expected="a user id or e-mail address", value=value
        )
    return str(value)


def _score(value: Any, where: str, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail("E675", where=where, field=field, expected="a finite number", value=value)
    return float(value)


def _flag(item: dict[str, Any], key: str, where: str, prefix: str) -> bool:
    value = item.get(key, False)
    if value is None:
        return False
    return bool(_expect(value, bool, where, f"{prefix}{key}", "true or false"))


def parse_tasks(
    source: Source, *, from_name: str, kind: Kind, row_field: str, predictions: bool = False
) -> list[ParsedTask]:
    items, minimal = _records(source)
    if minimal:
        if predictions:
            raise fail(
                "E674",
                where="the JSON_MIN export",
                field="predictions",
                hint="JSON_MIN holds no predictions; export the project as JSON (a snapshot).",
            )
        return _min_tasks(items, from_name=from_name, kind=kind, row_field=row_field)
    tasks = []
    for i, item in enumerate(items):
        tid = item.get("id")
        where = f"task {tid!r} (position {i})" if tid is not None else f"task at position {i}"
        data = item["data"]
        row = _row(data.get(row_field), where, f"data.{row_field}")
        key = "predictions" if predictions else "annotations"
        entries = item.get(key)
        entries = [] if entries is None else entries
        _expect(entries, list, where, key, "a list")
        answers = []
        for a, entry in enumerate(entries):
            prefix = f"{key}[{a}]."
            if predictions and isinstance(entry, int) and not isinstance(entry, bool):
                raise fail("E680", where=where)
            _expect(entry, dict, where, f"{key}[{a}]", "an object")
            if not predictions and (
                _flag(entry, "was_cancelled", where, prefix)
                or _flag(entry, "skipped", where, prefix)
            ):
                continue
            if predictions:
                version = entry.get("model_version")
                if version is not None:
                    _expect(version, str, where, prefix + "model_version", "a string")
                who = "" if version is None else version
            else:
                if "completed_by" not in entry:
                    raise fail(
                        "E674",
                        where=where,
                        field=prefix + "completed_by",
                        hint="It names the annotator.",
                    )
                who = _who(entry["completed_by"], where, prefix + "completed_by")
            result = entry.get("result")
            _expect(result, list, where, prefix + "result", "a list of regions")
            values = []
            for r, region in enumerate(result):
                field = f"{prefix}result[{r}]"
                _expect(region, dict, where, field, "an object")
                if region.get("from_name") != from_name:
                    continue
                rtype = region.get("type")
                if not isinstance(rtype, str) or rtype.lower() != kind:
                    raise fail(
                        "E675", where=where, field=field + ".type", expected=repr(kind), value=rtype
                    )
                value = _expect(region.get("value"), dict, where, field + ".value", "an object")
                region_score = _score(region.get("score"), where, field + ".score")
                values.append((field + ".value", value, region_score))
            answers.append(
                Answer(
                    where=f"{where}, {key[:-1]} {entry.get('id', a)!r}",
                    row=row,
                    who=who,
                    ground_truth=False
                    if predictions
                    else _flag(entry, "ground_truth", where, prefix),
                    score=_score(entry.get("score"), where, prefix + "score")
                    if predictions
                    else None,
                    values=values,
                )
            )
        tasks.append(ParsedTask(where, row, data, answers))
    return tasks


def _min_tasks(
    items: list[dict[str, Any]], *, from_name: str, kind: Kind, row_field: str
) -> list[ParsedTask]:
    """JSON_MIN: one record per (task, annotation); values in Label Studio's short form."""
    by_task: dict[Any, ParsedTask] = {}
    for i, item in enumerate(items):
        tid = item.get("id")
        where = f"record {i} (task {tid!r})"
        row = _row(item.get(row_field), where, row_field)
        data = {k: v for k, v in item.items() if k not in _META and k != from_name}
        key = tid if tid is not None else ("position", i)
        task = by_task.setdefault(key, ParsedTask(where, row, data, []))
        if task.row != row:
            raise fail("E679", where=where, row=row, other=task.where)
        if item.get("annotator") is None and item.get("annotation_id") is None:
            continue  # a task nobody annotated
        who = _who(item.get("annotator"), where, "annotator")
        short = item.get(from_name)
        values = [] if short is None else _expand(short, kind, where, from_name)
        annotation = f"{where}, annotation {item.get('annotation_id')!r}"
        task.answers.append(Answer(annotation, row, who, False, None, values))
    return list(by_task.values())


def _expand(short: Any, kind: Kind, where: str, field: str) -> list[tuple[str, Any, None]]:
    """JSON_MIN's short values as full ``value`` objects.

    A single choice or response is a plain string there, several are ``{"choices": [...]}``
    or ``{"text": [...]}``; spans are always a list of ``{"start", "end", ...}`` objects.
    """
    if kind == "labels":
        items = short if isinstance(short, list) else [short]
    else:
        key = "choices" if kind == "choices" else "text"
        items = [
            {key: [item]} if isinstance(item, str) else item
            for item in (short if isinstance(short, list) else [short])
        ]
    out = []
    for j, item in enumerate(items):
        sub = f"{field}[{j}]" if isinstance(short, list) else field
        out.append((sub, _expect(item, dict, where, sub, "an object"), None))
    return out


# ------------------------------------------------------------------------------ values
def check_choice(field: str, value: dict[str, Any], where: str, labels: Sequence[str]) -> int:
    choices: list[Any] = _expect(
        value.get("choices"), list, where, field + ".choices", "a list of label names"
    )
    if len(choices) != 1:
        raise fail("E683", where=where, field=field + ".choices", n=len(choices), value=choices)
    name = choices[0]
    if not isinstance(name, str) or name not in labels:
        raise fail("E676", where=where, field=field + ".choices", value=name, labels=list(labels))
    return list(labels).index(name)


def check_spans(
    field: str,
    value: dict[str, Any],
    where: str,
    text: str,
    labels: Sequence[str] | None,
    check_text: bool,
) -> list[CharSpan]:
    start: int = _expect(value.get("start"), int, where, field + ".start", "an integer")
    end: int = _expect(value.get("end"), int, where, field + ".end", "an integer")
    if not 0 <= start < end <= len(text):
        raise fail("E677", where=where, field=field, start=start, end=end, n=len(text))
    got = value.get("text")
    if check_text and got is not None and got != text[start:end]:
        raise fail(
            "E678",
            where=where,
            field=field + ".text",
            got=got,
            start=start,
            end=end,
            want=text[start:end],
        )
    names = value.get("labels")
    if not isinstance(names, list) or not names:
        raise fail(
            "E675", where=where, field=field + ".labels", expected="a non-empty list", value=names
        )
    out: list[CharSpan] = []
    for name in names:
        if not isinstance(name, str) or (labels is not None and name not in labels):
            raise fail("E676", where=where, field=field + ".labels", value=name, labels=labels)
        out.append((start, end, name))
    return out


def check_texts(field: str, value: dict[str, Any], where: str) -> list[str]:
    texts = value.get("text")
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise fail(
            "E675", where=where, field=field + ".text", expected="a list of strings", value=texts
        )
    return list(texts)


def text_of(task: ParsedTask, field: str) -> str:
    text = task.data.get(field)
    if not isinstance(text, str):
        raise fail("E675", where=task.where, field=f"data.{field}", expected="a string", value=text)
    return text


def by_row(tasks: list[ParsedTask], n_rows: int | None) -> tuple[dict[int, ParsedTask], int]:
    """The tasks by row (each row at most once) and the number of rows."""
    bad = isinstance(n_rows, bool) or not isinstance(n_rows, int) or n_rows < 0
    if n_rows is not None and bad:
        raise bad_argument("n_rows", "an int >= 0", n_rows)
    seen: dict[int, ParsedTask] = {}
    for task in tasks:
        if task.row in seen:
            raise fail("E679", where=task.where, row=task.row, other=seen[task.row].where)
        if n_rows is not None and task.row >= n_rows:
            raise fail("E682", where=task.where, row=task.row, n_rows=n_rows)
        seen[task.row] = task
    return seen, max(seen, default=-1) + 1 if n_rows is None else n_rows


def bad_argument(param: str, expected: str, value: Any) -> ParameterError:
    """An invalid argument of a Label Studio reader (E060)."""
    return ParameterError(
        Errors.E060.format(name="Label Studio reader", param=param, expected=expected, value=value)
    )


def chosen_answers(task: ParsedTask, annotator: str | None, combine: Combine) -> list[Answer]:
    """The answers of a task that count: one annotator's, the ground truth, or all."""
    if combine not in ("majority", "unanimous"):
        raise bad_argument("combine", "'majority' or 'unanimous'", combine)
    answers = one_per_annotator(task)
    if annotator is not None:
        return [a for a in answers if a.who == str(annotator)]
    truth = [a for a in answers if a.ground_truth]
    return truth or answers


def one_per_annotator(task: ParsedTask) -> list[Answer]:
    first: dict[str, Answer] = {}
    for answer in task.answers:
        if answer.who in first:
            raise fail(
                "E681",
                where=answer.where,
                annotator=answer.who,
                row=task.row,
                other=first[answer.who].where,
            )
        first[answer.who] = answer
    return task.answers


def vote(votes: list[Any], n_voters: int, combine: Combine) -> list[Any]:
    """The values more than half the voters gave (majority) or all of them gave (unanimous)."""
    need = n_voters if combine == "unanimous" else n_voters // 2 + 1
    return sorted(v for v, c in Counter(votes).items() if c >= need)


def one_choice(answer: Answer, labels: Sequence[str]) -> int | None:
    ids = [check_choice(f, v, answer.where, labels) for f, v, _ in answer.values]
    if len(ids) > 1:
        field = answer.values[1][0]
        raise fail("E683", where=answer.where, field=field, n=len(ids), value=ids)
    return ids[0] if ids else None
