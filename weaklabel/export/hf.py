"""Hugging Face ``datasets`` export: labels as ``ClassLabel``, probabilities and provenance.

Use :func:`to_hf_dataset` to hand a labels frame to a ``transformers`` training script, or
:func:`write_hf_dataset` to save it with ``Dataset.save_to_disk`` (atomically: the folder
appears complete or not at all) and :func:`read_hf_dataset` to read it back. The dataset
has

- ``text`` (``Value("string")``);
- ``label`` as a ``ClassLabel`` with the label names (``-1`` where a row has no label, as
  ``datasets`` writes unlabelled rows);
- ``proba``: the class probabilities, a ``Sequence(Value("float64"), length=k)`` in the
  order of the label names (from the ``p_<label>`` columns);
- ``spans`` for span tasks: a list of ``{"start", "end", "label", "score"}`` (``score``
  null when the span has none);
- every other column (``id``, ``original_id``, ``augmenter``, source counts, ...) with
  the type Arrow gives it.

The original column names and order are kept in ``dataset.info.description`` (JSON under
the key ``"weaklabel"``), so :func:`read_hf_dataset` gives back the frame that was written.
Needs the ``hf`` extra (``pip install "weaklabel[hf]"``).
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
from weaklabel.export._frame import arrow_columns, check_frame, is_missing, parse_spans
from weaklabel.export._io import atomic_folder

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_hf_dataset", "to_hf_dataset", "write_hf_dataset"]

PROBA_COLUMN = "proba"


def _import_datasets() -> Any:
    try:
        import datasets  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            Errors.E070.format(
                what="The Hugging Face export", packages="datasets", verb="is", extra="hf"
            )
        ) from exc
    return datasets


def to_hf_dataset(
    frame: pd.DataFrame,
    *,
    label_names: Sequence[str] | None = None,
    text_column: str = "text",
    label_column: str = "label",
    proba_prefix: str = "p_",
    span_column: str = "spans",
) -> Any:
    """A ``datasets.Dataset`` of a labels frame (see the module docstring).

    Parameters
    ----------
    frame : DataFrame
        ``n`` rows with a text column and any of label, ``p_<label>``, spans and
        provenance columns.
    label_names : sequence of str, optional
        The ``ClassLabel`` names (default: the probability columns, else the labels found).
    text_column, label_column, proba_prefix, span_column : str
        Column names.

    Returns
    -------
    datasets.Dataset
        ``n`` rows.
    """
    datasets = _import_datasets()
    import pyarrow as pa

    data = check_frame(
        frame, where="to_hf_dataset", text_column=text_column, label_column=label_column,
        proba_prefix=proba_prefix, label_names=label_names, span_column=span_column,
    )  # fmt: skip
    if PROBA_COLUMN in data.extra and data.proba is not None:
        raise ExportError(
            Errors.E060.format(
                name="to_hf_dataset", param="frame",
                expected=f"no column named {PROBA_COLUMN!r} beside p_<label> columns",
                value=list(map(str, frame.columns)),
            )
        )  # fmt: skip
    extra = frame[data.extra].reset_index(drop=True)
    arrow_columns(extra, data.extra, "to_hf_dataset")
    table = pa.Table.from_pandas(extra, preserve_index=False)  # missing values -> null
    inferred = datasets.Features.from_arrow_schema(table.schema)
    mapping: dict[str, Any] = {}
    features: dict[str, Any] = {}
    proba_columns = (
        {proba_prefix + name for name in data.label_names} if data.proba is not None else set()
    )
    for column in map(str, frame.columns):
        if column in proba_columns:
            if PROBA_COLUMN not in mapping and data.proba is not None:
                mapping[PROBA_COLUMN] = data.proba.tolist()
                features[PROBA_COLUMN] = datasets.Sequence(
                    datasets.Value("float64"), length=len(data.label_names)
                )
        elif column == text_column:
            mapping[column] = data.texts
            features[column] = datasets.Value("string")
        elif column == label_column:
            index = {name: k for k, name in enumerate(data.label_names)}
            mapping[column] = [-1 if v is None else index[v] for v in data.labels]
            features[column] = datasets.ClassLabel(names=list(data.label_names))
        elif column == span_column and data.spans is not None:
            mapping[column] = [
                [
                    {
                        "start": s[0],
                        "end": s[1],
                        "label": s[2],
                        "score": s[3] if len(s) == 4 else None,
                    }
                    for s in row
                ]
                for row in data.spans
            ]
            features[column] = [
                {
                    "start": datasets.Value("int64"),
                    "end": datasets.Value("int64"),
                    "label": datasets.Value("string"),
                    "score": datasets.Value("float64"),
                }
            ]
        else:
            mapping[column] = table.column(column).to_pylist()
            features[column] = inferred[column]
    meta = {
        "weaklabel": {
            "columns": [str(c) for c in frame.columns],
            "text_column": text_column,
            "label_column": label_column if label_column in frame.columns else None,
            "label_names": list(data.label_names),
            "proba_prefix": proba_prefix if data.proba is not None else None,
            "span_column": span_column if data.spans is not None else None,
        }
    }
    schema_of = datasets.Features(features)
    info = datasets.DatasetInfo(
        description=json.dumps(meta, ensure_ascii=False), features=schema_of
    )
    return datasets.Dataset.from_dict(mapping, features=schema_of, info=info)


def write_hf_dataset(
    frame: pd.DataFrame | Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    label_names: Sequence[str] | None = None,
    text_column: str = "text",
    label_column: str = "label",
    proba_prefix: str = "p_",
    span_column: str = "spans",
    overwrite: bool = False,
) -> Path:
    """Save a labels frame (or a dict of split name -> frame) with ``save_to_disk``.

    Parameters
    ----------
    frame : DataFrame or mapping of str to DataFrame
        One frame gives a ``Dataset``; a mapping (``{"train": ..., "test": ...}``) a
        ``DatasetDict``, all splits with the same label names.
    path : str or path-like
        The folder to create (atomically).
    label_names, text_column, label_column, proba_prefix, span_column
        See :func:`to_hf_dataset`.
    overwrite : bool, default False
        Replace an existing folder.

    Returns
    -------
    Path
    """
    datasets = _import_datasets()
    options = dict(
        text_column=text_column, label_column=label_column, proba_prefix=proba_prefix,
        span_column=span_column,
    )  # fmt: skip
    if isinstance(frame, Mapping):
        names = label_names
        if names is None:  # the same ClassLabel in every split
            found: list[str] = []
            for part in frame.values():
                checked = check_frame(
                    part, where="write_hf_dataset", text_column=text_column,
                    label_column=label_column, proba_prefix=proba_prefix,
                )  # fmt: skip
                found.extend(n for n in checked.label_names if n not in found)
            names = found or None
        dataset: Any = datasets.DatasetDict(
            {str(k): to_hf_dataset(f, label_names=names, **options) for k, f in frame.items()}
        )
    else:
        dataset = to_hf_dataset(frame, label_names=label_names, **options)
    target = Path(path)
    quiet = datasets.utils.are_progress_bars_disabled()
    datasets.utils.disable_progress_bars()
    try:
        with atomic_folder(target, overwrite=overwrite) as tmp:
            dataset.save_to_disk(str(tmp))
    finally:
        if not quiet:
            datasets.utils.enable_progress_bars()
    return target


def read_hf_dataset(
    path: str | os.PathLike[str],
) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """Read a folder written by :func:`write_hf_dataset` (or any saved ``Dataset``).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    DataFrame, or dict of str to DataFrame for a ``DatasetDict``
        The columns as written: ``ClassLabel`` ids back to names (``None`` for -1),
        ``proba`` back to ``p_<label>`` columns, spans as tuples. A dataset not written
        by weaklabel comes back with its ``ClassLabel`` columns as names.
    """
    datasets = _import_datasets()
    source = Path(path)
    try:
        loaded = datasets.load_from_disk(str(source))
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise ExportError(Errors.E865.format(path=source, problem=exc)) from None
    if isinstance(loaded, datasets.DatasetDict):
        return {name: _to_frame(split, source) for name, split in loaded.items()}
    return _to_frame(loaded, source)


def _to_frame(dataset: Any, source: Path) -> pd.DataFrame:
    datasets = _import_datasets()
    import pandas as pd

    try:
        meta = json.loads(dataset.info.description or "{}").get("weaklabel")
    except (json.JSONDecodeError, AttributeError):
        meta = None
    columns: dict[str, Any] = {}
    features = dataset.features
    for name in dataset.column_names:
        values = dataset[name]
        values = values.to_pylist() if hasattr(values, "to_pylist") else list(values)
        feature = features[name]
        if isinstance(feature, datasets.ClassLabel):
            columns[name] = [None if v is None or v < 0 else feature.int2str(v) for v in values]
        elif meta and name == PROBA_COLUMN and meta.get("proba_prefix") is not None:
            for k, label in enumerate(meta["label_names"]):
                columns[meta["proba_prefix"] + label] = np.array(
                    [row[k] for row in values], dtype=np.float64
                )
        elif meta and name == meta.get("span_column"):
            columns[name] = [
                parse_spans(
                    [
                        (s["start"], s["end"], s["label"])
                        if is_missing(s.get("score"))
                        else (s["start"], s["end"], s["label"], s["score"])
                        for s in row
                    ],
                    None,
                    where=str(source),
                    row=r,
                )
                for r, row in enumerate(values)
            ]
        else:
            columns[name] = dataset.select_columns([name]).to_pandas()[name]
    frame = pd.DataFrame({k: (pd.Series(v, dtype=object) if isinstance(v, list) else v)
                          for k, v in columns.items()})  # fmt: skip
    if meta and set(meta.get("columns", [])) == set(frame.columns):
        frame = frame[meta["columns"]]
    return frame
