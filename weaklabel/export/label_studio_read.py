"""Read Label Studio exports (JSON and JSON_MIN) back into rows: labels, spans, responses.

Use it when the annotators are done: export the project (*Export > JSON* or *JSON_MIN*,
or ``GET /api/projects/<id>/export?exportType=JSON``) and turn the answers into what
weaklabel works with, each mapped back to its row through ``data["row"]`` (which
:mod:`weaklabel.export.label_studio` writes into every task):

- :func:`gold_labels`: one class id per row (``-1`` where nobody answered), for ``y_dev``
  or a refit;
- :func:`annotator_matrix`: a :class:`~weaklabel.matrix.LabelMatrix` with one column per
  annotator (``-1`` where one did not answer), so annotators go through the same
  agreement statistics and label models as sources;
- :func:`gold_spans`: character spans per row, for span labeling projects;
- :func:`prompt_response_pairs`: the responses written in a fine-tuning project;
- :func:`read_predictions`: the predictions stored with the tasks (with their
  ``model_version`` and ``score``); Label Studio's quick JSON export lists prediction ids
  only, a snapshot export holds them whole.

Nothing in the file is trusted: every field used is checked, and a malformed export
raises :class:`~weaklabel.export._errors.ExportError` with a numbered message naming the
task (its id and position) and the field (e.g. ``annotations[0].result[1].value.end``).
Cancelled (skipped) annotations are not answers. Annotators are told apart by the
annotation's ``completed_by`` (JSON_MIN's ``annotator``): a user id, or the e-mail
address when the export holds user objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

import numpy as np

from weaklabel.export._label_studio_parse import (
    Combine,
    Kind,
    Source,
    bad_argument,
    by_row,
    check_choice,
    check_spans,
    check_texts,
    chosen_answers,
    one_choice,
    one_per_annotator,
    parse_tasks,
    text_of,
    vote,
)
from weaklabel.export.label_studio import CharSpan
from weaklabel.matrix import LabelMatrix

__all__ = [
    "Prediction",
    "PromptResponse",
    "annotator_matrix",
    "gold_labels",
    "gold_spans",
    "prompt_response_pairs",
    "read_predictions",
]


class PromptResponse(NamedTuple):
    """One answer of a fine-tuning project."""

    row: int
    prompt: str
    response: str
    annotator: str


class Prediction(NamedTuple):
    """One prediction stored with a task.

    ``value`` is the class name (classification), the spans as a tuple of
    ``(start_char, end_char, label)`` (span labeling), or the response (fine-tuning);
    ``region_scores`` holds the score of each span (``None`` where a span has none).
    """

    row: int
    model_version: str | None
    score: float | None
    value: str | tuple[CharSpan, ...]
    region_scores: tuple[float | None, ...] = ()


# ------------------------------------------------------------------------------ readers
def gold_labels(
    export: Source,
    labels: Sequence[str],
    *,
    n_rows: int | None = None,
    from_name: str = "label",
    row_field: str = "row",
    annotator: str | int | None = None,
    combine: Combine = "majority",
) -> np.ndarray:
    """One class id per row from a classification project's export.

    Parameters
    ----------
    export : str, path-like or list
        A JSON or JSON_MIN export file, or its parsed content.
    labels : sequence of str
        The class names in id order (the project's ``Choice`` values).
    n_rows : int, optional
        The number of rows of your data. Default: the largest row in the export plus one
        (Label Studio exports only annotated tasks unless asked for all).
    from_name, row_field : str
        The ``Choices`` tag's name and the task data field holding the row.
    annotator : str or int, optional
        Read only this annotator's answers (a user id or e-mail, as in ``completed_by``).
    combine : {"majority", "unanimous"}, default "majority"
        How several annotators make one label: the label more than half of them chose,
        or the label all of them chose (otherwise ``-1``). Annotations marked as ground
        truth in Label Studio are used alone when a task has any.

    Returns
    -------
    ndarray of shape (n_rows,), dtype int64
        A class id, or ``-1`` where no annotation (or no agreement) gives one.
    """
    names = list(labels)
    tasks = parse_tasks(export, from_name=from_name, kind="choices", row_field=row_field)
    rows, n = by_row(tasks, n_rows)
    out = np.full(n, -1, dtype=np.int64)
    for row, task in rows.items():
        chosen = chosen_answers(task, None if annotator is None else str(annotator), combine)
        votes = [v for v in (one_choice(a, names) for a in chosen) if v is not None]
        winners = vote(votes, len(votes), combine)
        if winners:
            out[row] = winners[0]
    return out


def annotator_matrix(
    export: Source,
    labels: Sequence[str],
    *,
    n_rows: int | None = None,
    from_name: str = "label",
    row_field: str = "row",
) -> LabelMatrix:
    """The annotators' answers as a label matrix: rows x annotators, ``-1`` = no answer.

    Parameters
    ----------
    export, labels, n_rows, from_name, row_field
        As in :func:`gold_labels`.

    Returns
    -------
    LabelMatrix of shape (n_rows, n_annotators)
        Columns named by annotator (``completed_by``: user id or e-mail), in order of
        first appearance in the export; ``label_names`` are ``labels``. Fit a label model
        on it for a consensus, or compute agreement from it.
    """
    names = list(labels)
    tasks = parse_tasks(export, from_name=from_name, kind="choices", row_field=row_field)
    rows, n = by_row(tasks, n_rows)
    annotators: dict[str, int] = {}
    cells: list[tuple[int, int, int]] = []
    for row, task in rows.items():
        for answer in one_per_annotator(task):
            label = one_choice(answer, names)
            column = annotators.setdefault(answer.who, len(annotators))
            if label is not None:
                cells.append((row, column, label))
    values = np.full((n, len(annotators)), -1, dtype=np.int64)
    for row, column, label in cells:
        values[row, column] = label
    return LabelMatrix(values, source_names=tuple(annotators), label_names=tuple(names))


def gold_spans(
    export: Source,
    *,
    labels: Sequence[str] | None = None,
    n_rows: int | None = None,
    from_name: str = "label",
    text_field: str = "text",
    row_field: str = "row",
    annotator: str | int | None = None,
    combine: Combine = "majority",
    check_text: bool = True,
) -> list[list[CharSpan] | None]:
    """Character spans per row from a span labeling project's export.

    Parameters
    ----------
    export, n_rows, from_name, row_field, annotator
        As in :func:`gold_labels`.
    labels : sequence of str, optional
        The entity types; when given, every span label must be one.
    text_field : str, default "text"
        The task data field holding the text the offsets point into.
    combine : {"majority", "unanimous"}, default "majority"
        With several annotators, keep a span (same offsets and label) marked by more than
        half of them, or by all of them. Ground-truth annotations are used alone.
    check_text : bool, default True
        Check that each region's ``text`` is the task text between its offsets.

    Returns
    -------
    list of length n_rows
        Per row, sorted ``(start_char, end_char, label)`` spans, end exclusive (an empty
        list when the annotators marked nothing), or ``None`` where nobody answered.
    """
    tasks = parse_tasks(export, from_name=from_name, kind="labels", row_field=row_field)
    rows, n = by_row(tasks, n_rows)
    out: list[list[CharSpan] | None] = [None] * n
    for row, task in rows.items():
        chosen = chosen_answers(task, None if annotator is None else str(annotator), combine)
        if not chosen:
            continue
        text = text_of(task, text_field)
        votes: list[CharSpan] = []
        for answer in chosen:
            spans = set()
            for f, v, _ in answer.values:
                spans.update(check_spans(f, v, answer.where, text, labels, check_text))
            votes.extend(spans)
        out[row] = vote(votes, len(chosen), combine)
    return out


def prompt_response_pairs(
    export: Source,
    *,
    n_rows: int | None = None,
    from_name: str = "instruction",
    prompt_field: str = "prompt",
    row_field: str = "row",
    annotator: str | int | None = None,
) -> list[PromptResponse]:
    """The responses written in a *Supervised LLM fine-tuning* project, one per answer.

    Parameters
    ----------
    export, n_rows, row_field, annotator
        As in :func:`gold_labels`.
    from_name : str, default "instruction"
        The ``TextArea``'s name (the template's default).
    prompt_field : str, default "prompt"
        The task data field holding the prompt.

    Returns
    -------
    list of PromptResponse
        ``(row, prompt, response, annotator)`` for every non-empty response, in row order
        (several annotators give several pairs for one row).
    """
    tasks = parse_tasks(export, from_name=from_name, kind="textarea", row_field=row_field)
    rows, _ = by_row(tasks, n_rows)
    pairs: list[PromptResponse] = []
    for row in sorted(rows):
        task = rows[row]
        prompt = text_of(task, prompt_field)
        for answer in one_per_annotator(task):
            if annotator is not None and answer.who != str(annotator):
                continue
            for f, v, _ in answer.values:
                pairs.extend(
                    PromptResponse(row, prompt, t, answer.who)
                    for t in check_texts(f, v, answer.where)
                )
    return pairs


def read_predictions(
    export: Source,
    kind: Literal["classification", "spans", "fine_tuning"],
    *,
    labels: Sequence[str] | None = None,
    from_name: str | None = None,
    text_field: str = "text",
    row_field: str = "row",
    check_text: bool = True,
) -> list[Prediction]:
    """The predictions stored with the tasks of a JSON export (or of a task file).

    Parameters
    ----------
    export : str, path-like or list
        A JSON export holding whole predictions (a snapshot export), or a task file
        written by :func:`~weaklabel.export.label_studio.write_tasks`.
    kind : {"classification", "spans", "fine_tuning"}
    labels : sequence of str, optional
        Class names or entity types to check the predictions against (required for
        classification).
    from_name : str, optional
        The tag's name; default ``"label"`` (``"instruction"`` for fine-tuning).
    text_field, row_field, check_text
        As in :func:`gold_spans`.

    Returns
    -------
    list of Prediction
        One per prediction, in the export's task order.
    """
    kinds: dict[str, Kind] = {
        "classification": "choices",
        "spans": "labels",
        "fine_tuning": "textarea",
    }
    if kind not in kinds or (kind == "classification" and labels is None):
        expected = "'classification' (with labels=...), 'spans' or 'fine_tuning'"
        raise bad_argument("kind", expected, kind)
    name = from_name or ("instruction" if kind == "fine_tuning" else "label")
    tasks = parse_tasks(
        export, from_name=name, kind=kinds[kind], row_field=row_field, predictions=True
    )
    out = []
    for task in tasks:
        for answer in task.answers:
            version = answer.who or None
            if kind == "classification":
                assert labels is not None
                for f, v, _ in answer.values[:1]:
                    label = list(labels)[check_choice(f, v, answer.where, labels)]
                    out.append(Prediction(task.row, version, answer.score, label))
            elif kind == "spans":
                text = text_of(task, text_field)
                spans: list[CharSpan] = []
                region_scores: list[float | None] = []
                for f, v, s in answer.values:
                    found = check_spans(f, v, answer.where, text, labels, check_text)
                    spans.extend(found)
                    region_scores.extend([s] * len(found))
                out.append(
                    Prediction(task.row, version, answer.score, tuple(spans), tuple(region_scores))
                )
            else:
                for f, v, _ in answer.values:
                    for response in check_texts(f, v, answer.where):
                        out.append(Prediction(task.row, version, answer.score, response))
    return out
