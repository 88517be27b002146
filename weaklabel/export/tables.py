"""CSV and Parquet files of labels with their probabilities, spans and provenance.

Use :func:`write_labels_table` for a plain table any tool reads: the text, the label, one
``p_<label>`` probability column per label, the spans of span tasks, and the provenance
columns (``id``, ``original_id``, ``augmenter``, ``params``, ``n_votes``, source counts),
which are passed through in frame order. :func:`labels_frame` builds such a frame from
arrays (a label model's ``predict_proba`` output). :func:`read_labels_table` reads either
format back.

What comes back:

- **Parquet** keeps every column and its type (spans as a list of ``{start, end, label,
  score}`` structs): the frame reads back as written.
- **CSV** has no types. Texts come back exactly (also empty ones), probabilities exactly
  (written with Python's round-trip ``repr``), spans from their JSON; every other column
  comes back as strings, with an empty cell as ``None``. Use Parquet to keep integer ids.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.errors import ExportError
from weaklabel.export._errors import Errors
from weaklabel.export._frame import (
    LabelsFrame,
    Span,
    arrow_columns,
    check_frame,
    is_missing,
    parse_spans,
)
from weaklabel.export._io import atomic_file

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["labels_frame", "read_labels_table", "write_labels_table"]

SUFFIXES = (".csv", ".parquet")


def labels_frame(
    texts: Sequence[str],
    *,
    label_names: Sequence[str] | None = None,
    labels: Sequence[object] | None = None,
    proba: np.ndarray | None = None,
    spans: Sequence[Sequence[Span]] | None = None,
    provenance: Mapping[str, Sequence[object]] | None = None,
    proba_prefix: str = "p_",
) -> pd.DataFrame:
    """A labels frame (the input of every exporter) built from arrays.

    Parameters
    ----------
    texts : sequence of str
        ``n`` texts.
    label_names : sequence of str, optional
        ``k`` label names; needed with ``proba`` or integer ``labels``.
    labels : sequence of (str, int or None), optional
        ``n`` labels: names, ids into ``label_names`` (-1 for none) or None.
    proba : ndarray of shape (n, k), optional
        Probabilities, written as ``p_<label>`` columns.
    spans : sequence of sequence of Span, optional
        ``n`` lists of ``(start, end, label[, score])``.
    provenance : mapping of str to sequence, optional
        Other columns (``id``, ``original_id``, ``augmenter``, ...), ``n`` values each.

    Returns
    -------
    DataFrame
        Columns: provenance, ``text``, ``label``, ``spans``, ``p_<label>``.
    """
    import pandas as pd

    n = len(texts)
    columns: dict[str, Any] = {}
    for name, values in (provenance or {}).items():
        columns[name] = list(values)
    columns["text"] = list(texts)
    names = list(label_names) if label_names is not None else None
    if labels is not None:
        out: list[object] = []
        for value in labels:
            if isinstance(value, int | np.integer) and not isinstance(value, bool):
                if names is None or not -1 <= int(value) < len(names):
                    raise ExportError(
                        Errors.E060.format(
                            name="labels_frame", param="labels",
                            expected="names, or ids into label_names (-1: none)", value=value,
                        )
                    )  # fmt: skip
                out.append(None if value == -1 else names[int(value)])
            else:
                out.append(value)
        columns["label"] = out
    if spans is not None:
        columns["spans"] = [list(s) for s in spans]
    if proba is not None:
        matrix = np.asarray(proba, dtype=np.float64)
        if names is None or matrix.shape != (n, len(names)):
            raise ExportError(
                Errors.E060.format(
                    name="labels_frame", param="proba",
                    expected=f"an array of shape ({n}, len(label_names))", value=matrix.shape,
                )
            )  # fmt: skip
        for k, name in enumerate(names):
            columns[proba_prefix + name] = matrix[:, k]
    for name, values in columns.items():
        if len(values) != n:
            raise ExportError(
                Errors.E060.format(
                    name="labels_frame", param=name, expected=f"{n} values", value=len(values)
                )
            )
    return pd.DataFrame(columns)


def write_labels_table(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    label_names: Sequence[str] | None = None,
    text_column: str = "text",
    label_column: str = "label",
    proba_prefix: str = "p_",
    span_column: str = "spans",
    overwrite: bool = False,
) -> Path:
    """Write a labels frame to ``.csv`` or ``.parquet`` (by the suffix), atomically.

    Parameters
    ----------
    frame : DataFrame
        ``n`` rows: a text column and any of label, ``p_<label>``, spans and provenance
        columns; checked first (a bad row raises ``ExportError`` naming it).
    path : str or path-like
        ``.csv`` or ``.parquet``.
    label_names : sequence of str, optional
        The labels (default: the probability columns, else the labels found).
    text_column, label_column, proba_prefix, span_column : str
        Column names.
    overwrite : bool, default False
        Replace an existing file.

    Returns
    -------
    Path
    """
    import pandas as pd

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(Errors.E864.format(value=suffix or str(target), formats=list(SUFFIXES)))
    data = check_frame(
        frame, where="write_labels_table", text_column=text_column, label_column=label_column,
        proba_prefix=proba_prefix, label_names=label_names, span_column=span_column,
    )  # fmt: skip
    out = frame.reset_index(drop=True)
    for column in frame.columns:
        name = str(column)
        values = _column(data, out, name, suffix, text_column, label_column, span_column)
        if suffix == ".csv" and name in {proba_prefix + label for label in data.label_names}:
            values = [repr(float(v)) for v in out[column].tolist()]
        if values is not None:
            out[column] = pd.Series(values, dtype=object)
    if suffix == ".parquet":
        arrow_columns(out, [str(c) for c in out.columns], "write_labels_table")
    with atomic_file(target, overwrite=overwrite) as tmp:
        if suffix == ".parquet":
            out.to_parquet(tmp, index=False)
        else:
            out.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\r\n")  # quotes \r too
    return target


def _column(
    data: LabelsFrame,
    frame: pd.DataFrame,
    column: str,
    suffix: str,
    text_column: str,
    label_column: str,
    span_column: str,
) -> list[Any] | None:
    """One column's values as they are written; None to write the column as it is."""
    if column == span_column and data.spans is not None:
        if suffix == ".csv":
            return [json.dumps([list(s) for s in row], ensure_ascii=False) for row in data.spans]
        return [
            [
                {"start": s[0], "end": s[1], "label": s[2], "score": s[3] if len(s) == 4 else None}
                for s in row
            ]
            for row in data.spans
        ]
    if column == label_column:
        return list(data.labels)
    if suffix == ".csv" and column != text_column:
        return ["" if is_missing(v) else v for v in frame[column].tolist()]
    return None


def read_labels_table(
    path: str | os.PathLike[str],
    *,
    proba_prefix: str = "p_",
    span_column: str = "spans",
    text_column: str = "text",
) -> pd.DataFrame:
    """Read a table written by :func:`write_labels_table` (see the module docstring).

    Parameters
    ----------
    path : str or path-like
        ``.csv`` or ``.parquet``.
    proba_prefix, span_column, text_column : str
        Column names.

    Returns
    -------
    DataFrame
        ``n`` rows; spans as lists of tuples.
    """
    import pandas as pd

    source = Path(path)
    suffix = source.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(Errors.E864.format(value=suffix or str(source), formats=list(SUFFIXES)))
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(source)
        else:
            frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise ExportError(Errors.E865.format(path=source, problem=exc)) from None
    for column in list(frame.columns):
        name = str(column)
        if name == span_column:
            texts = frame[text_column].tolist() if text_column in frame.columns else None
            frame[column] = pd.Series(
                [
                    parse_spans(
                        _spans_value(v), texts[row] if texts else None, where=str(source), row=row
                    )
                    for row, v in enumerate(frame[column].tolist())
                ],
                dtype=object,
            )
        elif suffix == ".csv" and name.startswith(proba_prefix) and len(name) > len(proba_prefix):
            try:
                frame[column] = np.array([float(v) for v in frame[column]], dtype=np.float64)
            except ValueError as exc:
                raise ExportError(
                    Errors.E860.format(path=source, what="a labels table", problem=f"{name}: {exc}")
                ) from None
        elif suffix == ".csv" and name != text_column:
            frame[column] = pd.Series(
                [None if v == "" else v for v in frame[column].tolist()], dtype=object
            )
    return frame


def _spans_value(value: object) -> object:
    """Parquet's span structs as plain dicts (a missing score dropped)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list):
        return [
            {k: v for k, v in item.items() if not (k == "score" and is_missing(v))}
            if isinstance(item, dict)
            else item
            for item in value
        ]
    return value
