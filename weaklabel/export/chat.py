"""Fine-tuning files: chat-messages JSONL and prompt/completion JSONL, and their readers.

Use :func:`write_chat_jsonl` to turn a labels frame (texts, labels, their probabilities)
into the file that supervised fine-tuning services and trainers read: one JSON object per
line, ``{"messages": [{"role": "system", ...}, {"role": "user", ...}, {"role":
"assistant", ...}]}``. Nothing in it is specific to one provider; check a file with
:func:`weaklabel.export.validate.validate_chat_jsonl` before uploading it.

The turns come from ``str.format`` templates over the row: ``{text}``, ``{label}``,
``{explanation}`` (the label's explanation, from ``explanations``), ``{answer}`` (the
chosen answer: the label name, its explanation, or the text of another column) and any
other column of the frame. Label confidence (the probability of the row's label, from
the ``p_<label>`` columns) can

- drop rows: ``min_confidence=0.8`` leaves out rows whose label is less likely than that;
- weight the assistant turn: ``weight="assistant"`` adds ``"weight": 1`` to the assistant
  message when the confidence is at least ``weight_threshold``, else ``"weight": 0``
  (the example is shown to the model but not trained on). This is the form OpenAI's
  fine-tuning accepts (0 or 1 only);
- weight the example: ``weight="example"`` adds a top-level ``"weight"`` with the
  confidence itself, for trainers that take a per-example loss weight (a service that
  does not know the key rejects the file: validate with ``extra_keys=("weight",)``).

:func:`write_prompt_completion` writes the older ``{"prompt": ..., "completion": ...}``
form with the same templates. The readers parse the turns back with the same templates: a
template with one field per turn reads back exactly; with several fields, exactly as
long as the literal text between them does not occur in the values.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weaklabel.errors import ExportError
from weaklabel.export._chat_templates import (
    SPECIAL_FIELDS,
    check_explanations,
    read_records,
    template_fields,
)
from weaklabel.export._errors import Errors
from weaklabel.export._frame import LabelsFrame, check_frame, is_missing
from weaklabel.export._io import write_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ChatExportReport",
    "chat_records",
    "read_chat_jsonl",
    "read_explanations",
    "read_prompt_completion",
    "write_chat_jsonl",
    "write_prompt_completion",
]


@dataclass(frozen=True)
class ChatExportReport:
    """What a fine-tuning writer wrote.

    Attributes
    ----------
    path : Path or None
        The file written (``None`` from :func:`chat_records`).
    n_rows : int
        Rows of the frame.
    n_written : int
        Examples written.
    n_dropped_unlabeled : int
        Rows left out for having no answer (only with ``drop_unlabeled=True``).
    n_dropped_low_confidence : int
        Rows left out by ``min_confidence``.
    """

    path: Path | None
    n_rows: int
    n_written: int
    n_dropped_unlabeled: int
    n_dropped_low_confidence: int


def read_explanations(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a JSON file ``{label: explanation}`` (for ``answer="explanation"``).

    Returns
    -------
    dict of str to str
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(Errors.E865.format(path=source, problem=exc)) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(Errors.E860.format(path=source, what="JSON", problem=exc)) from None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ExportError(
            Errors.E860.format(
                path=source, what="a JSON object of label -> explanation", problem="wrong shape"
            )
        )
    return value


def chat_records(
    frame: pd.DataFrame,
    *,
    form: str = "chat",
    system: str | None = None,
    user_template: str = "{text}",
    assistant_template: str = "{answer}",
    answer: str = "label",
    explanations: Mapping[str, str] | None = None,
    weight: str | None = None,
    weight_threshold: float = 0.5,
    min_confidence: float | None = None,
    drop_unlabeled: bool = False,
    label_names: Sequence[str] | None = None,
    text_column: str = "text",
    label_column: str = "label",
    proba_prefix: str = "p_",
) -> tuple[list[dict[str, Any]], ChatExportReport]:
    """The fine-tuning records of a labels frame, without writing them.

    Parameters are those of :func:`write_chat_jsonl`; ``form`` is ``"chat"`` or
    ``"prompt-completion"``.

    Returns
    -------
    records : list of dict
        ``n_written`` JSON-ready objects, in row order.
    report : ChatExportReport
        With ``path=None``.
    """
    where = "write_chat_jsonl" if form == "chat" else "write_prompt_completion"
    if form not in ("chat", "prompt-completion"):
        raise ExportError(
            Errors.E060.format(
                name="chat_records",
                param="form",
                expected="'chat' or 'prompt-completion'",
                value=form,
            )
        )
    data = check_frame(
        frame,
        where=where,
        text_column=text_column,
        label_column=label_column,
        proba_prefix=proba_prefix,
        label_names=label_names,
    )
    allowed = [*SPECIAL_FIELDS, *data.extra]
    user_fields = template_fields(user_template, "user", allowed, where)
    assistant_fields = template_fields(assistant_template, "assistant", allowed, where)
    if system is not None and (not isinstance(system, str) or not system.strip()):
        raise ExportError(
            Errors.E060.format(
                name=where, param="system", expected="None or a non-empty string", value=system
            )
        )
    if form != "chat" and system is not None:
        raise ExportError(
            Errors.E060.format(
                name=where,
                param="system",
                expected="None (prompt/completion has no system turn)",
                value=system,
            )
        )
    fields = {*user_fields, *assistant_fields}
    expl: dict[str, str] = {}
    if answer == "explanation" or "explanation" in fields:
        expl = check_explanations(explanations, data.label_names, where)
    if answer not in ("label", "explanation") and answer not in data.extra:
        raise ExportError(
            Errors.E850.format(
                where=where,
                column=answer,
                columns=list(map(str, frame.columns)),
                hint="answer= is 'label', 'explanation' or a column with the answer texts.",
            )
        )
    if weight not in (None, "assistant", "example") or (weight == "assistant" and form != "chat"):
        raise ExportError(
            Errors.E060.format(
                name=where,
                param="weight",
                expected="None, 'assistant' or 'example' ('assistant' for chat only)",
                value=weight,
            )
        )
    for param, value in (
        ("min_confidence", min_confidence),
        ("weight_threshold", weight_threshold),
    ):
        if value is not None and not _is_fraction(value):
            raise ExportError(
                Errors.E060.format(
                    name=where, param=param, expected="a number in [0, 1]", value=value
                )
            )
    confidence = None
    if weight is not None or min_confidence is not None:
        option = "weight" if weight is not None else "min_confidence"
        confidence = data.confidence(where, option, proba_prefix)
    records: list[dict[str, Any]] = []
    n_unlabeled = n_low = 0
    for row in range(len(data.texts)):
        values = _row_values(data, row, answer, expl, fields)
        if values is None:
            if drop_unlabeled:
                n_unlabeled += 1
                continue
            raise ExportError(Errors.E857.format(where=where, row=row, answer=answer))
        conf = float(confidence[row]) if confidence is not None else 1.0
        if min_confidence is not None and not conf >= min_confidence:
            n_low += 1
            continue
        user = user_template.format(**values)
        reply = assistant_template.format(**values)
        if not user.strip() or not reply.strip():
            if drop_unlabeled:
                n_unlabeled += 1
                continue
            turn = "user" if not user.strip() else "assistant"
            raise ExportError(Errors.E857.format(where=where, row=row, answer=f"the {turn} turn"))
        record: dict[str, Any]
        if form == "chat":
            messages: list[dict[str, Any]] = []
            if system is not None:
                messages.append({"role": "system", "content": system})
            messages.append({"role": "user", "content": user})
            messages.append({"role": "assistant", "content": reply})
            if weight == "assistant":
                messages[-1]["weight"] = int(conf >= weight_threshold)
            record = {"messages": messages}
        else:
            record = {"prompt": user, "completion": reply}
        if weight == "example":
            record["weight"] = conf
        records.append(record)
    report = ChatExportReport(None, len(data.texts), len(records), n_unlabeled, n_low)
    return records, report


def _is_fraction(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0.0 <= value <= 1.0


def _row_values(
    data: LabelsFrame, row: int, answer: str, expl: dict[str, str], fields: set[str]
) -> dict[str, Any] | None:
    """The template values of one row, or None when it has no answer."""
    label = data.labels[row]
    values: dict[str, Any] = {"text": data.texts[row], "label": label if label is not None else ""}
    if "explanation" in fields or answer == "explanation":
        values["explanation"] = expl[label] if label is not None else ""
    if answer == "label":
        values["answer"] = label
    elif answer == "explanation":
        values["answer"] = values["explanation"] if label is not None else None
    else:
        cell = data.frame[answer].iat[row]
        values["answer"] = None if is_missing(cell) else str(cell)
    for name in fields.difference(SPECIAL_FIELDS):
        cell = data.frame[name].iat[row]
        values[name] = "" if is_missing(cell) else cell
    needs_label = answer in ("label", "explanation") or bool({"label", "explanation"} & fields)
    if (
        values["answer"] is None
        or not str(values["answer"]).strip()
        or (needs_label and label is None)
    ):
        return None
    return values


def _write(records: list[dict[str, Any]], path: str | os.PathLike[str], overwrite: bool) -> Path:
    text = "".join(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n" for r in records)
    return write_text(path, text, overwrite=overwrite)


def write_chat_jsonl(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    system: str | None = None,
    user_template: str = "{text}",
    assistant_template: str = "{answer}",
    answer: str = "label",
    explanations: Mapping[str, str] | None = None,
    weight: str | None = None,
    weight_threshold: float = 0.5,
    min_confidence: float | None = None,
    drop_unlabeled: bool = False,
    label_names: Sequence[str] | None = None,
    text_column: str = "text",
    label_column: str = "label",
    proba_prefix: str = "p_",
    overwrite: bool = False,
) -> ChatExportReport:
    """Write a chat-messages JSONL file for supervised fine-tuning, atomically.

    Parameters
    ----------
    frame : DataFrame
        ``n`` rows with a text column, usually a label column and ``p_<label>`` columns.
    path : str or path-like
        The ``.jsonl`` file to write; its folder must exist.
    system : str, optional
        A system message put first in every example.
    user_template, assistant_template : str
        ``str.format`` templates of the two turns (see the module docstring).
    answer : {"label", "explanation"} or str, default "label"
        What ``{answer}`` is: the label's name, its explanation, or the text of the column
        with this name (free-text answers).
    explanations : mapping of str to str, optional
        Label -> explanation; needed for ``answer="explanation"`` or an
        ``{explanation}`` field. Distinct texts, so that a reader maps them back.
    weight : {None, "assistant", "example"}, default None
        Weighting by the label's probability (see the module docstring).
    weight_threshold : float, default 0.5
        For ``weight="assistant"``: the confidence from which the weight is 1.
    min_confidence : float, optional
        Leave out rows whose label's probability is below this.
    drop_unlabeled : bool, default False
        Leave out rows without an answer (counted); by default they raise ``E857``.
    label_names : sequence of str, optional
        The labels (default: from the ``p_<label>`` columns, else the labels found).
    text_column, label_column, proba_prefix : str
        Column names.
    overwrite : bool, default False
        Replace an existing file.

    Returns
    -------
    ChatExportReport
        Counts of rows written and left out.
    """
    records, report = chat_records(
        frame, form="chat", system=system, user_template=user_template,
        assistant_template=assistant_template, answer=answer, explanations=explanations,
        weight=weight, weight_threshold=weight_threshold, min_confidence=min_confidence,
        drop_unlabeled=drop_unlabeled, label_names=label_names, text_column=text_column,
        label_column=label_column, proba_prefix=proba_prefix,
    )  # fmt: skip
    written = _write(records, path, overwrite)
    return ChatExportReport(written, *_counts(report))


def write_prompt_completion(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    user_template: str = "{text}",
    assistant_template: str = "{answer}",
    answer: str = "label",
    explanations: Mapping[str, str] | None = None,
    weight: str | None = None,
    min_confidence: float | None = None,
    drop_unlabeled: bool = False,
    label_names: Sequence[str] | None = None,
    text_column: str = "text",
    label_column: str = "label",
    proba_prefix: str = "p_",
    overwrite: bool = False,
) -> ChatExportReport:
    """Write ``{"prompt": ..., "completion": ...}`` lines, atomically.

    The prompt comes from ``user_template``, the completion from ``assistant_template``;
    ``weight`` may be ``None`` or ``"example"``. Other parameters as in
    :func:`write_chat_jsonl`.

    Returns
    -------
    ChatExportReport
    """
    records, report = chat_records(
        frame, form="prompt-completion", user_template=user_template,
        assistant_template=assistant_template, answer=answer, explanations=explanations,
        weight=weight, min_confidence=min_confidence, drop_unlabeled=drop_unlabeled,
        label_names=label_names, text_column=text_column, label_column=label_column,
        proba_prefix=proba_prefix,
    )  # fmt: skip
    written = _write(records, path, overwrite)
    return ChatExportReport(written, *_counts(report))


def _counts(report: ChatExportReport) -> tuple[int, int, int, int]:
    return (
        report.n_rows,
        report.n_written,
        report.n_dropped_unlabeled,
        report.n_dropped_low_confidence,
    )


def read_chat_jsonl(
    path: str | os.PathLike[str],
    *,
    user_template: str = "{text}",
    assistant_template: str = "{answer}",
    answer: str = "label",
    explanations: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read a chat-messages JSONL file written by :func:`write_chat_jsonl` back into a frame.

    Parameters
    ----------
    path : str or path-like
    user_template, assistant_template, answer, explanations
        As the file was written with.

    Returns
    -------
    DataFrame
        One row per example: the fields of the templates (``text``, ...), ``label`` (or
        the ``answer`` column), ``system`` when the file has system messages, and
        ``weight`` when it has weights (the label's probability with ``weight="example"``).
    """
    return read_records(path, "chat", user_template, assistant_template, answer, explanations)


def read_prompt_completion(
    path: str | os.PathLike[str],
    *,
    user_template: str = "{text}",
    assistant_template: str = "{answer}",
    answer: str = "label",
    explanations: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read a prompt/completion JSONL file back into a frame (see :func:`read_chat_jsonl`).

    Returns
    -------
    DataFrame
    """
    return read_records(
        path, "prompt-completion", user_template, assistant_template, answer, explanations
    )
