"""Load a WRENCH classification dataset (weak labels, gold labels and texts) from a folder.

Use :func:`load_wrench` to benchmark label models on the public WRENCH datasets, or on your
own data exported in the same format. A WRENCH folder holds ``label.json``
(``{"0": "HAM", "1": "SPAM"}``) and one file per split, ``{split}.json`` or
``{split}.json.gz``, mapping row ids to ``{"data": {"text": ...}, "label": <int>,
"weak_labels": [<int per labeling function>]}``, with ``-1`` for an abstain. An optional
``meta.json`` with an ``"lf"`` list names the labeling functions.

Label models are unsupervised: fit them on ``load_wrench(path, "train").L`` and score them
on the test split's ``L`` and ``y``.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from weaklabel.datasets._errors import Errors
from weaklabel.errors import DatasetError, LabelSpaceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.matrix import LabelMatrix

__all__ = ["SPLITS", "WrenchDataset", "load_wrench"]

SPLITS: tuple[str, ...] = ("train", "valid", "test")
"""The splits of a WRENCH dataset."""


@dataclass(frozen=True, eq=False)
class WrenchDataset:
    """One split of a WRENCH classification dataset.

    Attributes
    ----------
    L : LabelMatrix of shape (n_examples, n_lfs)
        Weak labels; sources are named ``lf_0 .. lf_{m-1}`` unless ``meta.json`` names them.
    y : ndarray of shape (n_examples,), dtype int64
        Gold class ids; ``-1`` where the file gives no gold label.
    texts : list of str, length n_examples
    ids : list of str, length n_examples
        Row ids, in file order.
    label_names : tuple of str
        Class names in id order (from ``label.json``).
    name : str
        Name of the dataset folder, e.g. ``"sms"``.
    split : {"train", "valid", "test"}
    """

    L: LabelMatrix
    y: np.ndarray
    texts: list[str]
    ids: list[str]
    label_names: tuple[str, ...]
    name: str
    split: str

    @property
    def n_examples(self) -> int:
        """Number of rows."""
        return self.L.n_examples

    @property
    def cardinality(self) -> int:
        """Number of classes."""
        return len(self.label_names)

    def __len__(self) -> int:
        return self.n_examples

    def __repr__(self) -> str:
        return (
            f"WrenchDataset(name={self.name!r}, split={self.split!r}, "
            f"n_examples={self.n_examples}, n_lfs={self.L.n_sources}, "
            f"label_names={list(self.label_names)})"
        )


def _read_json(file: Path) -> Any:
    opener: Any = gzip.open if file.name.endswith(".gz") else open
    try:
        with opener(file, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    except json.JSONDecodeError as exc:
        where = f" (line {exc.lineno}, column {exc.colno})"
        raise DatasetError(Errors.E203.format(file=file, where=where, problem=exc.msg)) from exc
    except (UnicodeDecodeError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DatasetError(Errors.E203.format(file=file, where="", problem=exc)) from exc
    except OSError as exc:
        raise DatasetError(Errors.E216.format(file=file, problem=exc)) from exc


def _read_label_names(folder: Path) -> tuple[str, ...]:
    file = folder / "label.json"
    if not file.is_file():
        raise DatasetError(Errors.E213.format(file=file))
    mapping = _read_json(file)
    if not isinstance(mapping, dict):
        raise DatasetError(
            Errors.E214.format(
                file=file, problem=f"expected an object, got {type(mapping).__name__}"
            )
        )
    try:
        return LabelSpace.from_any(mapping).names
    except LabelSpaceError as exc:
        raise DatasetError(Errors.E214.format(file=file, problem=exc)) from exc


def _read_lf_names(folder: Path, n_lfs: int) -> tuple[str, ...]:
    file = folder / "meta.json"
    default = tuple(f"lf_{j}" for j in range(n_lfs))
    if not file.is_file():
        return default
    meta = _read_json(file)
    names = meta.get("lf") if isinstance(meta, dict) else None
    if names is None:
        return default
    if not isinstance(names, list) or len(names) != n_lfs:
        n_names = len(names) if isinstance(names, list) else type(names).__name__
        raise DatasetError(Errors.E215.format(file=file, n_names=n_names, n_lfs=n_lfs))
    return tuple(str(n) for n in names)


def _split_file(folder: Path, split: str) -> Path:
    for candidate in (folder / f"{split}.json", folder / f"{split}.json.gz"):
        if candidate.is_file():
            return candidate
    raise DatasetError(Errors.E202.format(folder=folder, split=split))


def _parse_rows(
    file: Path, rows: Any, names: tuple[str, ...]
) -> tuple[list[str], list[list[Any]], list[Any], list[str]]:
    if not isinstance(rows, dict):
        raise DatasetError(Errors.E204.format(file=file, kind=type(rows).__name__))
    if not rows:
        raise DatasetError(Errors.E212.format(file=file))
    ids: list[str] = []
    weak: list[list[Any]] = []
    gold: list[Any] = []
    texts: list[str] = []
    first_id: str | None = None
    for row_id, row in rows.items():
        if not isinstance(row, dict):
            raise DatasetError(Errors.E205.format(file=file, row=row_id, kind=type(row).__name__))
        if "weak_labels" not in row:
            raise DatasetError(Errors.E206.format(file=file, row=row_id))
        votes = row["weak_labels"]
        if not isinstance(votes, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in votes
        ):
            raise DatasetError(Errors.E207.format(file=file, row=row_id, value=votes))
        if first_id is None:
            first_id = row_id
        elif len(votes) != len(weak[0]):
            raise DatasetError(
                Errors.E208.format(
                    file=file, row=row_id, got=len(votes), first=first_id, expected=len(weak[0])
                )
            )
        data = row.get("data")
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str):
            raise DatasetError(
                Errors.E211.format(
                    file=file, row=row_id, problem="no 'data' object with a 'text' string."
                )
            )
        label = row.get("label")
        if label is not None and (
            isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < len(names)
        ):
            raise DatasetError(
                Errors.E210.format(
                    file=file,
                    row=row_id,
                    value=label,
                    labels_file=file.parent / "label.json",
                    names=list(names),
                    k_max=len(names) - 1,
                )
            )
        ids.append(str(row_id))
        weak.append(votes)
        gold.append(ABSTAIN if label is None else label)
        texts.append(text)
    return ids, weak, gold, texts


def load_wrench(path: str | os.PathLike[str], split: str = "train") -> WrenchDataset:
    """Read one split of a WRENCH classification dataset.

    Parameters
    ----------
    path : str or path-like
        The dataset folder (holding ``label.json`` and ``{split}.json[.gz]``).
    split : {"train", "valid", "test"}, default "train"

    Returns
    -------
    WrenchDataset
        ``L`` of shape (n_examples, n_lfs), ``y`` of shape (n_examples,), texts, ids and
        label names.

    Raises
    ------
    DatasetError
        When the folder or a file is missing, a file is not valid JSON, a row has no
        ``weak_labels``, rows have different numbers of weak labels, or a label is not a
        class of ``label.json``; the message names the file and the row.

    Examples
    --------
    >>> data = load_wrench("../shared/data/wrench/classification/sms", "test")  # doctest: +SKIP
    >>> data.L.shape, data.label_names  # doctest: +SKIP
    ((500, 73), ('ham', 'spam'))
    """
    folder = Path(path)
    if split not in SPLITS:
        raise DatasetError(Errors.E201.format(split=split, options=list(SPLITS)))
    if not folder.is_dir():
        raise DatasetError(Errors.E200.format(path=folder))
    names = _read_label_names(folder)
    file = _split_file(folder, split)
    ids, weak, gold, texts = _parse_rows(file, _read_json(file), names)
    try:
        values = np.array(weak, dtype=np.int64)
    except OverflowError:  # a vote beyond int64: report it like any other bad vote
        values = np.array([[max(min(v, len(names)), -2) for v in row] for row in weak])
    lf_names = _read_lf_names(folder, values.shape[1])
    bad = np.argwhere((values < ABSTAIN) | (values >= len(names)))
    if bad.size:
        row, lf = (int(i) for i in bad[0])
        raise DatasetError(
            Errors.E209.format(
                file=file,
                row=ids[row],
                value=weak[row][lf],
                lf=lf_names[lf],
                labels_file=folder / "label.json",
                names=list(names),
                k_max=len(names) - 1,
            )
        )
    L = LabelMatrix(values, lf_names, names)
    return WrenchDataset(
        L=L,
        y=np.asarray(gold, dtype=np.int64),
        texts=texts,
        ids=ids,
        label_names=names,
        name=folder.resolve().name,
        split=split,
    )
