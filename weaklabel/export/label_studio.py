"""Label Studio tasks, written as plain JSON (no SDK needed), with the model's guesses.

Use it to send the rows a person should look at to `Label Studio
<https://labelstud.io>`_ with the model's guess already filled in, for three kinds of
project, each with its config in :mod:`weaklabel.export.label_studio_config`:

- text classification: :func:`classification_tasks` (answers in a ``Choices`` tag);
- span labeling (named entities): :func:`span_tasks` (answers in a ``Labels`` tag);
- supervised LLM fine-tuning: :func:`fine_tuning_tasks` (a ``TextArea`` answering a
  prompt, as in Label Studio's *Supervised Language Model Fine-tuning* template).

Create the project with the config (``POST /api/projects`` with ``label_config``, or
*Settings > Labeling Interface*), import the file :func:`write_tasks` wrote, and read the
answers back with :mod:`weaklabel.export.label_studio_read`.

Each task carries the row it came from (``data["row"]``), so answers map back to rows
whatever order Label Studio shows the tasks in, and can carry a prediction with
``model_version`` and ``score`` (the model's confidence): Label Studio's data manager
sorts tasks by that score, so the least confident rows can be annotated first.

Span offsets are character offsets into the text, end exclusive, counted in Unicode code
points (Python string indices), which is what Label Studio stores.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np

from weaklabel.errors import ExportError, ParameterError
from weaklabel.export._errors import Errors
from weaklabel.export._io import write_json
from weaklabel.export.label_studio_config import check_names

__all__ = [
    "CharSpan",
    "classification_tasks",
    "fine_tuning_tasks",
    "span_tasks",
    "write_tasks",
]

CharSpan: TypeAlias = tuple[int, int, str]
"""A character span ``(start_char, end_char, label)`` of a text, end exclusive."""

Task: TypeAlias = dict[str, Any]
"""One Label Studio task: ``{"data": {...}, "predictions": [...]}``."""

DEFAULT_MODEL_VERSION = "weaklabel"


# ------------------------------------------------------------------------------ tasks
def _texts(texts: Iterable[Any]) -> list[str]:
    out = list(texts)
    for i, text in enumerate(out):
        if not isinstance(text, str):
            raise ExportError(Errors.E693.format(index=i, value=text))
    return out


def _per_text(values: Any, n: int, what: str) -> list[Any]:
    out = values.tolist() if isinstance(values, np.ndarray) else list(values)
    if len(out) != n:
        raise ExportError(Errors.E690.format(what=what, got=len(out), n=n))
    return out


def _rows(rows: Sequence[int] | np.ndarray | None, n: int) -> list[int]:
    if rows is None:
        return list(range(n))
    out = _per_text(rows, n, "rows")
    for value in out:
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            expected = "non-negative integers (positions in your data)"
            raise _bad("Label Studio tasks", "rows", expected, value)
    return [int(v) for v in out]


def _score(value: Any, index: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ExportError(Errors.E695.format(index=index, value=value))
    score = float(value)
    if not math.isfinite(score):
        raise ExportError(Errors.E695.format(index=index, value=value))
    return score


def _base_tasks(
    texts: list[str],
    rows: Sequence[int] | np.ndarray | None,
    data: Mapping[str, Sequence[Any]] | None,
    *,
    text_field: str,
    row_field: str,
    from_name: str,
) -> list[Task]:
    n = len(texts)
    row_ids = _rows(rows, n)
    fields: dict[str, list[Any]] = {text_field: list(texts), row_field: row_ids}
    for name, column in (data or {}).items():
        fields[str(name)] = _per_text(column, n, f"data[{name!r}]")
    reserved = [text_field, row_field, *(data or {})]
    for name, value in (("text_field", text_field), ("row_field", row_field)):
        if reserved.count(value) > 1:
            raise ParameterError(Errors.E692.format(name=name, value=value, others=reserved))
    if from_name in reserved or from_name in ("id", "annotator", "annotation_id"):
        raise ParameterError(Errors.E692.format(name="from_name", value=from_name, others=reserved))
    return [{"data": {k: _plain(v[i]) for k, v in fields.items()}} for i in range(n)]


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _region(
    task: Task, index: int, kind: str, value: dict[str, Any], names: tuple[str, str, str]
) -> dict[str, Any]:
    """One result region; ``names`` is ``(row_field, from_name, to_name)``."""
    row_field, from_name, to_name = names
    return {
        "id": f"{task['data'][row_field]}-{index}",
        "from_name": from_name,
        "to_name": to_name,
        "type": kind,
        "value": value,
    }


def _bad(name: str, param: str, expected: str, value: Any) -> ParameterError:
    return ParameterError(
        Errors.E060.format(name=name, param=param, expected=expected, value=value)
    )


def _prediction(
    result: list[dict[str, Any]], score: float | None, model_version: str
) -> dict[str, Any]:
    out: dict[str, Any] = {"model_version": model_version, "result": result}
    if score is not None:
        out["score"] = score
    return out


def classification_tasks(
    texts: Iterable[str],
    labels: Sequence[str],
    *,
    proba: np.ndarray | None = None,
    predicted: Sequence[int | str] | np.ndarray | None = None,
    scores: Sequence[float | None] | np.ndarray | None = None,
    model_version: str = DEFAULT_MODEL_VERSION,
    rows: Sequence[int] | np.ndarray | None = None,
    data: Mapping[str, Sequence[Any]] | None = None,
    text_field: str = "text",
    row_field: str = "row",
    from_name: str = "label",
    to_name: str = "text",
) -> list[Task]:
    """Label Studio tasks for text classification, with the model's guess as a prediction.

    Parameters
    ----------
    texts : iterable of str
        The texts to annotate (``n_texts`` of them).
    labels : sequence of str
        The class names in id order, as given to the config
        (:func:`~weaklabel.export.label_studio_config.classification_config`).
    proba : ndarray of shape (n_texts, n_labels), optional
        Class probabilities (a label model's or an end model's ``predict_proba``): the
        prediction is the most probable class and its score that probability.
    predicted : sequence of int or str of length n_texts, optional
        Instead of ``proba``: a class id or name per text; ``-1`` (abstain) or ``None``
        gives that task no prediction.
    scores : sequence of float of length n_texts, optional
        With ``predicted``: each prediction's confidence (``None`` for none).
    model_version : str, default "weaklabel"
        Shown in Label Studio next to every prediction.
    rows : sequence of int of length n_texts, optional
        The row of your data each text came from (default ``0 .. n_texts-1``); stored as
        ``data[row_field]`` so answers map back to rows.
    data : mapping of str to sequence, optional
        More task data fields, one value per text (a DataFrame's columns work).
    text_field, row_field, from_name, to_name : str
        Field and tag names; they must match the config and the readers.

    Returns
    -------
    list of dict of length n_texts
        ``{"data": {text_field: ..., row_field: ...}, "predictions": [{"model_version",
        "score", "result": [{"type": "choices", "value": {"choices": [name]}, ...}]}]}``.
    """
    names = check_names(labels, minimum=2, what="classification_tasks")
    items = _texts(texts)
    n = len(items)
    tasks = _base_tasks(
        items, rows, data, text_field=text_field, row_field=row_field, from_name=from_name
    )
    guesses, confidences = _class_guesses(proba, predicted, scores, names, n)
    for i, task in enumerate(tasks):
        guess = guesses[i]
        if guess is None:
            continue
        tags = (row_field, from_name, to_name)
        region = _region(task, 0, "choices", {"choices": [guess]}, tags)
        task["predictions"] = [_prediction([region], confidences[i], model_version)]
    return tasks


def _class_guesses(
    proba: np.ndarray | None,
    predicted: Sequence[int | str] | np.ndarray | None,
    scores: Sequence[float | None] | np.ndarray | None,
    names: list[str],
    n: int,
) -> tuple[list[str | None], list[float | None]]:
    if proba is not None:
        if predicted is not None or scores is not None:
            raise _bad(
                "classification_tasks", "proba", "given alone", "proba with predicted or scores"
            )
        p = np.asarray(proba, dtype=np.float64)
        if p.shape != (n, len(names)) or not np.all(np.isfinite(p)):
            expected = f"a finite array of shape ({n}, {len(names)})"
            raise _bad("classification_tasks", "proba", expected, p.shape)
        best = p.argmax(axis=1) if n else np.zeros(0, dtype=int)
        return [names[int(k)] for k in best], [float(p[i, k]) for i, k in enumerate(best)]
    if predicted is None:
        if scores is not None:
            raise _bad("classification_tasks", "scores", "given with predicted", "scores alone")
        return [None] * n, [None] * n
    guesses: list[str | None] = []
    for i, value in enumerate(_per_text(predicted, n, "predicted")):
        guesses.append(_class_name(value, names, i))
    raw = [None] * n if scores is None else _per_text(scores, n, "scores")
    return guesses, [_score(s, i) for i, s in enumerate(raw)]


def _class_name(value: Any, names: list[str], index: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        if value == -1:
            return None
        if 0 <= value < len(names):
            return names[int(value)]
    elif isinstance(value, str) and value in names:
        return value
    raise ExportError(Errors.E694.format(index=index, what="prediction", value=value, labels=names))


def span_tasks(
    docs: Iterable[Any],
    *,
    spans: Sequence[Sequence[Sequence[Any]] | None] | None = None,
    span_key: str | None = None,
    labels: Sequence[str] | None = None,
    scores: Sequence[float | None] | np.ndarray | None = None,
    model_version: str = DEFAULT_MODEL_VERSION,
    rows: Sequence[int] | np.ndarray | None = None,
    data: Mapping[str, Sequence[Any]] | None = None,
    text_field: str = "text",
    row_field: str = "row",
    from_name: str = "label",
    to_name: str = "text",
) -> list[Task]:
    """Label Studio tasks for span labeling, with predicted spans as a prediction.

    Parameters
    ----------
    docs : iterable of spacy.tokens.Doc or str
        The texts (``n_texts``), as spaCy docs or strings.
    spans : sequence of length n_texts, optional
        Per text, its predicted spans: ``(start_char, end_char, label)`` or
        ``(start_char, end_char, label, score)`` tuples, end exclusive; ``None`` gives the
        task no prediction. Default for docs: the span group ``doc.spans[span_key]``
        (with the span probabilities :func:`weaklabel.tokens.write_spans` stores in its
        ``attrs["probabilities"]``), or ``doc.ents`` without a ``span_key``. Without
        spans, strings get no prediction.
    span_key : str, optional
        The span group to read from docs.
    labels : sequence of str, optional
        The entity types of the config; when given, every span label must be one.
    scores : sequence of float of length n_texts, optional
        Each task's prediction score. Default: the lowest span score of the text (a task
        is as uncertain as its least certain span), or none if a span has no score.
    model_version, rows, data, text_field, row_field, from_name, to_name
        As in :func:`classification_tasks`.

    Returns
    -------
    list of dict of length n_texts
        Regions are ``{"type": "labels", "value": {"start", "end", "text", "labels":
        [label]}, "score"}``.
    """
    items = list(docs)
    texts = _texts(getattr(d, "text", d) if _is_doc(d) else d for d in items)
    n = len(texts)
    types = None if labels is None else check_names(labels, minimum=1, what="span_tasks")
    tasks = _base_tasks(
        texts, rows, data, text_field=text_field, row_field=row_field, from_name=from_name
    )
    per_text: list[Any] = (
        _per_text(spans, n, "spans")
        if spans is not None
        else [_doc_spans(d, span_key, i) if _is_doc(d) else None for i, d in enumerate(items)]
    )
    raw_scores = [None] * n if scores is None else _per_text(scores, n, "scores")
    for i, task in enumerate(tasks):
        if per_text[i] is None:
            continue
        regions = []
        for j, span in enumerate(per_text[i]):
            start, end, label, score = _check_span(span, texts[i], types, i)
            value = {"start": start, "end": end, "text": texts[i][start:end], "labels": [label]}
            region = _region(task, j, "labels", value, (row_field, from_name, to_name))
            if score is not None:
                region["score"] = score
            regions.append(region)
        task_score = _score(raw_scores[i], i)
        if task_score is None and regions and all("score" in r for r in regions):
            task_score = min(r["score"] for r in regions)
        task["predictions"] = [_prediction(regions, task_score, model_version)]
    return tasks


def _is_doc(value: Any) -> bool:
    return not isinstance(value, str) and all(
        hasattr(value, a) for a in ("text", "spans", "ents", "char_span")
    )


def _doc_spans(doc: Any, key: str | None, index: int) -> list[tuple[int, int, str, float | None]]:
    if key is None:
        return [(s.start_char, s.end_char, s.label_, None) for s in doc.ents]
    if key not in doc.spans:
        raise ExportError(Errors.E697.format(index=index, key=key, problem="no such span group"))
    group = doc.spans[key]
    probs = group.attrs.get("probabilities")
    if probs is not None and len(probs) != len(group):
        problem = f"attrs['probabilities'] has {len(probs)} values for {len(group)} spans"
        raise ExportError(Errors.E697.format(index=index, key=key, problem=problem))
    return [
        (s.start_char, s.end_char, s.label_, None if probs is None else probs[k])
        for k, s in enumerate(group)
    ]


def _check_span(
    span: Any, text: str, types: list[str] | None, index: int
) -> tuple[int, int, str, float | None]:
    def bad(problem: str) -> ExportError:
        return ExportError(Errors.E691.format(index=index, span=span, problem=problem))

    if isinstance(span, str) or not isinstance(span, Sequence) or len(span) not in (3, 4):
        raise bad("is not a 3- or 4-tuple")
    start, end, label = span[0], span[1], span[2]
    for value in (start, end):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise bad("has offsets that are not integers")
    if not 0 <= start < end <= len(text):
        raise bad(f"is outside the text (length {len(text)}) or empty")
    if not isinstance(label, str) or not label:
        raise bad("has no label string")
    if types is not None and label not in types:
        raise ExportError(
            Errors.E694.format(index=index, what="span label", value=label, labels=types)
        )
    score = _score(span[3], index) if len(span) == 4 else None
    return int(start), int(end), label, score


def fine_tuning_tasks(
    prompts: Iterable[str],
    responses: Sequence[str | None] | None = None,
    *,
    scores: Sequence[float | None] | np.ndarray | None = None,
    model_version: str = DEFAULT_MODEL_VERSION,
    rows: Sequence[int] | np.ndarray | None = None,
    data: Mapping[str, Sequence[Any]] | None = None,
    prompt_field: str = "prompt",
    row_field: str = "row",
    from_name: str = "instruction",
    to_name: str = "prompt",
) -> list[Task]:
    """Label Studio tasks for the *Supervised LLM fine-tuning* template.

    Parameters
    ----------
    prompts : iterable of str
        The prompts (``n_texts``).
    responses : sequence of str or None of length n_texts, optional
        A model's draft response per prompt, sent as a prediction the annotator can edit;
        ``None`` for none.
    scores : sequence of float of length n_texts, optional
        Each draft's confidence (``None`` for none).
    model_version, rows, data, row_field : optional
        As in :func:`classification_tasks`.
    prompt_field, from_name, to_name : str
        As in :func:`~weaklabel.export.label_studio_config.fine_tuning_config`.

    Returns
    -------
    list of dict of length n_texts
        Predictions hold ``{"type": "textarea", "value": {"text": [response]}}``.
    """
    texts = _texts(prompts)
    n = len(texts)
    tasks = _base_tasks(
        texts, rows, data, text_field=prompt_field, row_field=row_field, from_name=from_name
    )
    drafts = [None] * n if responses is None else _per_text(responses, n, "responses")
    raw_scores = [None] * n if scores is None else _per_text(scores, n, "scores")
    for i, task in enumerate(tasks):
        draft = drafts[i]
        if draft is None:
            continue
        if not isinstance(draft, str):
            raise ExportError(Errors.E693.format(index=i, value=draft))
        tags = (row_field, from_name, to_name)
        region = _region(task, 0, "textarea", {"text": [draft]}, tags)
        task["predictions"] = [_prediction([region], _score(raw_scores[i], i), model_version)]
    return tasks


def write_tasks(
    tasks: Sequence[Task], path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write tasks to a JSON file that Label Studio imports (*Import* or ``POST .../import``).

    Parameters
    ----------
    tasks : sequence of dict
        Tasks from :func:`classification_tasks`, :func:`span_tasks` or
        :func:`fine_tuning_tasks`.
    path : str or path-like
        The file to write; written atomically (a temporary file, then a rename).
    overwrite : bool, default False
        Replace an existing file; without it an existing file raises ``FileExistsError``.

    Returns
    -------
    Path
    """
    items = list(tasks)
    for i, task in enumerate(items):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise ExportError(Errors.E696.format(index=i, problem="it is not {'data': {...}}"))
    for i, task in enumerate(items):
        try:
            json.dumps(task, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ExportError(Errors.E696.format(index=i, problem=exc)) from None
    return write_json(path, items, overwrite=overwrite)
