"""The labels frame every exporter of training files reads, checked once for all of them.

A labels frame is a pandas DataFrame with one row per example: ``text`` (required), a
``label`` (a label name, or missing), one probability column ``p_<label>`` per label, a
``spans`` column for span tasks (lists of ``(start, end, label)`` or ``(start, end, label,
score)`` character offsets, or their JSON), and any provenance columns (``id``,
``original_id``, ``augmenter``, ``params``, ``n_votes``, ...), which the exporters pass
through. :func:`check_frame` validates it and returns its parts as plain Python values,
naming the row and the field of the first problem.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.errors import ExportError
from weaklabel.export._errors import Errors

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LabelsFrame", "Span", "arrow_columns", "check_frame", "is_missing", "parse_spans"]

Span = tuple[int, int, str] | tuple[int, int, str, float]


@dataclass
class LabelsFrame:
    """The checked parts of a labels frame.

    Attributes
    ----------
    frame : DataFrame
        The frame as given (not copied).
    texts : list of str
        ``n`` texts.
    labels : list of (str or None)
        ``n`` label names; ``None`` where the row has no label (or no label column).
    label_names : list of str
        ``k`` label names, in the order of the probability columns when there are any.
    proba : ndarray of shape (n, k), or None
        The probability columns, ``None`` when the frame has none.
    spans : list of list of Span, or None
        ``n`` span lists, ``None`` without a span column.
    extra : list of str
        The other columns (provenance), in frame order.
    """

    frame: pd.DataFrame
    texts: list[str]
    labels: list[str | None]
    label_names: list[str]
    proba: np.ndarray | None
    spans: list[list[Span]] | None
    extra: list[str]

    def confidence(self, where: str, option: str, prefix: str) -> np.ndarray:
        """The probability of each row's label (NaN without a label), shape (n,)."""
        if self.proba is None:
            raise ExportError(Errors.E866.format(where=where, option=option, prefix=prefix))
        index = {name: k for k, name in enumerate(self.label_names)}
        out = np.full(len(self.texts), np.nan)
        for row, label in enumerate(self.labels):
            if label is not None:
                out[row] = self.proba[row, index[label]]
        return out


def is_missing(value: object) -> bool:
    """Whether a cell is missing (None, NaN, NA)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        return bool(pd.isna(value)) if np.ndim(value) == 0 else False  # type: ignore[call-overload,arg-type]
    except (TypeError, ValueError):
        return False


def check_frame(
    frame: pd.DataFrame,
    *,
    where: str,
    text_column: str = "text",
    label_column: str | None = "label",
    proba_prefix: str = "p_",
    label_names: Sequence[str] | None = None,
    span_column: str | None = None,
) -> LabelsFrame:
    """Validate a labels frame and return its parts (see the module docstring).

    Parameters
    ----------
    frame : DataFrame
        ``n`` rows.
    where : str
        The caller's name, for messages.
    text_column, label_column, proba_prefix : str
        Column names; the label column may be absent, and label ids (ints) are mapped to
        ``label_names``.
    label_names : sequence of str, optional
        The labels; by default the probability columns' names, else the sorted labels.
    span_column : str, optional
        The span column, when the export holds spans (it may then be absent: no spans).

    Returns
    -------
    LabelsFrame
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise ExportError(
            Errors.E060.format(
                name=where, param="frame", expected="a pandas DataFrame", value=type(frame)
            )
        )
    columns = [str(c) for c in frame.columns]
    if text_column not in frame.columns:
        raise ExportError(
            Errors.E850.format(
                where=where, column=text_column, columns=columns, hint="Name it with text_column="
            )
        )
    texts = frame[text_column].tolist()
    for row, text in enumerate(texts):
        if not isinstance(text, str):
            raise ExportError(
                Errors.E851.format(
                    where=where, row=row, field=text_column, expected="a string", value=text
                )
            )
    proba_columns = [
        c for c in columns if c.startswith(proba_prefix) and len(c) > len(proba_prefix)
    ]
    names = _label_names(frame, where, label_names, proba_columns, proba_prefix, label_column)
    labels = _labels(frame, where, label_column, names)
    proba = None
    if proba_columns:
        wanted = [proba_prefix + name for name in names]
        if sorted(wanted) != sorted(proba_columns):
            raise ExportError(
                Errors.E850.format(
                    where=where,
                    column=sorted(set(wanted) ^ set(proba_columns)),
                    columns=columns,
                    hint=f"Give one probability column {proba_prefix}<label> per label {names}.",
                )
            )
        proba = frame[wanted].to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~(np.isfinite(proba) & (proba >= 0.0) & (proba <= 1.0))
        if bad.any():
            row = int(np.flatnonzero(bad.any(axis=1))[0])
            raise ExportError(
                Errors.E854.format(where=where, row=row, columns=wanted, value=proba[row].tolist())
            )
    spans = None
    if span_column is not None and span_column in frame.columns:
        spans = [
            parse_spans(value, text, where=where, row=row)
            for row, (value, text) in enumerate(
                zip(frame[span_column].tolist(), texts, strict=True)
            )
        ]
    used = {text_column, label_column, span_column, *proba_columns}
    extra = [c for c in frame.columns if c not in used]
    return LabelsFrame(frame, texts, labels, names, proba, spans, [str(c) for c in extra])


def _label_names(
    frame: pd.DataFrame,
    where: str,
    given: Sequence[str] | None,
    proba_columns: list[str],
    prefix: str,
    label_column: str | None,
) -> list[str]:
    if given is not None:
        names = list(given)
        if not names or any(not isinstance(n, str) or not n for n in names):
            raise ExportError(
                Errors.E060.format(
                    name=where, param="label_names", expected="non-empty strings", value=given
                )
            )
        if len(set(names)) != len(names):
            raise ExportError(Errors.E011.format(what="label_names", dupes=names))
        return names
    if proba_columns:
        return [c[len(prefix) :] for c in proba_columns]
    if label_column is not None and label_column in frame.columns:
        found = {v for v in frame[label_column].tolist() if not is_missing(v)}
        if all(isinstance(v, str) for v in found):
            return sorted(found)
    return []


def _labels(
    frame: pd.DataFrame, where: str, label_column: str | None, names: list[str]
) -> list[str | None]:
    if label_column is None or label_column not in frame.columns:
        return [None] * len(frame)
    out: list[str | None] = []
    for row, value in enumerate(frame[label_column].tolist()):
        if is_missing(value):
            out.append(None)
        elif isinstance(value, str) and value in names:
            out.append(value)
        elif isinstance(value, int | np.integer) and not isinstance(value, bool):
            if value == -1:  # ABSTAIN
                out.append(None)
            elif 0 <= value < len(names):
                out.append(names[int(value)])
            else:
                raise ExportError(
                    Errors.E853.format(where=where, row=row, label=value, labels=names)
                )
        else:
            raise ExportError(Errors.E853.format(where=where, row=row, label=value, labels=names))
    return out


def parse_spans(value: object, text: str | None, *, where: str, row: int) -> list[Span]:
    """One row's spans, checked against its text.

    Parameters
    ----------
    value : list, JSON string or missing
        Tuples/lists ``(start, end, label[, score])`` or dicts with those keys; a JSON
        string of either (as CSV stores them); missing means no spans.
    text : str or None
        The row's text (None: offsets are not checked against it).
    where : str
        The caller's name, for messages.
    row : int
        The row, for messages.

    Returns
    -------
    list of Span
        ``(start, end, label)`` or ``(start, end, label, score)`` tuples, in the given order.
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ExportError(
                Errors.E851.format(
                    where=where,
                    row=row,
                    field="spans",
                    expected="a JSON list of spans",
                    value=str(exc),
                )
            ) from None
    if is_missing(value):
        return []
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list | tuple):
        raise ExportError(
            Errors.E851.format(
                where=where, row=row, field="spans", expected="a list of spans", value=value
            )
        )
    out: list[Span] = []
    for item in value:
        if isinstance(item, dict):
            parts: list[Any] = [item.get("start"), item.get("end"), item.get("label")]
            if not is_missing(item.get("score")):
                parts.append(item.get("score"))
        elif isinstance(item, list | tuple | np.ndarray):
            parts = list(item)
        else:
            raise ExportError(
                Errors.E852.format(where=where, row=row, span=item, problem="is not a tuple")
            )
        out.append(_check_span(parts, text, where, row))
    return out


def _check_span(parts: list[Any], text: str | None, where: str, row: int) -> Span:
    if len(parts) not in (3, 4):
        problem = f"has {len(parts)} fields"
    elif not all(isinstance(p, int | np.integer) and not isinstance(p, bool) for p in parts[:2]):
        problem = "has offsets that are not integers"
    elif not 0 <= int(parts[0]) < int(parts[1]) <= (len(text) if text is not None else parts[1]):
        problem = f"is outside the text (length {len(text or '')}) or empty"
    elif not isinstance(parts[2], str) or not parts[2]:
        problem = "has no label"
    elif len(parts) == 4 and (
        isinstance(parts[3], bool)
        or not isinstance(parts[3], int | float | np.number)
        or not math.isfinite(float(parts[3]))
    ):
        problem = "has a score that is not a finite number"
    else:
        start, end, label = int(parts[0]), int(parts[1]), str(parts[2])
        if len(parts) == 4:
            return (start, end, label, float(parts[3]))
        return (start, end, label)
    raise ExportError(Errors.E852.format(where=where, row=row, span=tuple(parts), problem=problem))


def spans_to_json(spans: list[Span]) -> str:
    """A row's spans as the JSON list CSV files hold."""
    return json.dumps([list(s) for s in spans], ensure_ascii=False)


def arrow_columns(frame: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    """Check that Arrow (Parquet, Hugging Face) can store each of ``columns``.

    A column mixing types (say ints and strings) raises ``E851`` naming it, instead of
    pyarrow's error from deep inside the writer.
    """
    import pyarrow as pa

    for column in columns:
        try:
            pa.array(frame[column], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
            raise ExportError(
                Errors.E851.format(
                    where=where, row="(any)", field=column,
                    expected="values of one type that Arrow can store", value=str(exc)[:120],
                )
            ) from None  # fmt: skip
