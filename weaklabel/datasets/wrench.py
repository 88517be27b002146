"""Load a WRENCH classification dataset (weak labels, gold labels, texts or features).

Use :func:`load_wrench` to benchmark label models on the public WRENCH datasets, or on your
own data exported in the same format. A WRENCH folder holds ``label.json``
(``{"0": "HAM", "1": "SPAM"}``) and one file per split, ``{split}.json`` or
``{split}.json.gz``, mapping row ids to ``{"data": {"text": ...}, "label": <int>,
"weak_labels": [<int per labeling function>]}``, with ``-1`` for an abstain. An optional
``meta.json`` with an ``"lf"`` list names the labeling functions.

WRENCH's tabular sets (census, basketball, tennis, commercial, ...) give ``{"data":
{"feature": [numbers]}}`` instead of a text: their rows come back as
:attr:`WrenchDataset.features`, a float array of shape (n_examples, n_features), with an
empty string for each missing text; :meth:`WrenchDataset.to_frame` gives them as the
columns ``feature_0 .. feature_{d-1}`` of a table.

A split must come from one file: when ``{split}.json`` and ``{split}.json.gz`` both exist
and differ (a stale copy left beside a fresh one), the split is refused, naming both,
rather than read from a guess; identical copies are fine.

Label models are unsupervised: fit them on ``load_wrench(path, "train").L`` and score them
on the test split's ``L`` and ``y``.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.datasets._errors import Errors
from weaklabel.errors import DatasetError, LabelSpaceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.matrix import LabelMatrix

if TYPE_CHECKING:
    import pandas as pd

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
        The ``text`` of every row; ``""`` for a row that gives only features (every row
        of a tabular set such as census), so code that reads texts never meets ``None``.
    ids : list of str, length n_examples
        Row ids, in file order.
    label_names : tuple of str
        Class names in id order (from ``label.json``).
    name : str
        Name of the dataset folder, e.g. ``"sms"``.
    split : {"train", "valid", "test"}
    features : ndarray of shape (n_examples, n_features), dtype float64, or None
        The ``feature`` list of every row, for WRENCH's tabular sets; ``None`` when the
        rows give only texts.
    """

    L: LabelMatrix
    y: np.ndarray
    texts: list[str]
    ids: list[str]
    label_names: tuple[str, ...]
    name: str
    split: str
    features: np.ndarray | None = None

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

    @property
    def n_features(self) -> int:
        """Number of feature columns; 0 when the rows give only texts."""
        return 0 if self.features is None else int(self.features.shape[1])

    def to_frame(self) -> pd.DataFrame:
        """The split as a table: one row per example, features as columns.

        Returns
        -------
        DataFrame of shape (n_examples, 3 + n_features)
            Indexed by row id (index name ``"id"``), with the columns ``text``, then
            ``feature_0 .. feature_{d-1}`` (float64) for a tabular set, then ``label``
            (the gold class name, missing where unknown) and ``label_id`` (the gold
            class id, ``-1`` where unknown). The weak labels stay in ``L``.
        """
        import pandas as pd

        frame = pd.DataFrame({"text": self.texts}, index=pd.Index(self.ids, name="id"))
        if self.features is not None:
            names = [f"feature_{j}" for j in range(self.n_features)]
            block = pd.DataFrame(self.features, index=frame.index, columns=names)
            frame = pd.concat([frame, block], axis=1)
        frame["label"] = [None if k < 0 else self.label_names[k] for k in self.y.tolist()]
        frame["label_id"] = self.y
        return frame

    def __repr__(self) -> str:
        features = "" if self.features is None else f", n_features={self.n_features}"
        return (
            f"WrenchDataset(name={self.name!r}, split={self.split!r}, "
            f"n_examples={self.n_examples}, n_lfs={self.L.n_sources}{features}, "
            f"label_names={list(self.label_names)})"
        )


def _unique_keys(file: Path) -> Any:
    """A JSON ``object_pairs_hook`` for ``file`` that refuses a repeated key [E253].

    ``json`` keeps the last of repeated keys, which would drop a row without a word.
    """

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise DatasetError(Errors.E253.format(file=file, key=key))
                seen.add(key)
        return out

    return hook


def _read_json(file: Path) -> Any:
    opener: Any = gzip.open if file.name.endswith(".gz") else open
    try:
        with opener(file, "rt", encoding="utf-8-sig") as fh:  # a byte-order mark is fine
            return json.load(fh, object_pairs_hook=_unique_keys(file))
    except DatasetError:
        raise
    except RecursionError:
        problem = "nested too deeply to be a WRENCH file"
        raise DatasetError(Errors.E203.format(file=file, where="", problem=problem)) from None
    except json.JSONDecodeError as exc:
        where = f" (line {exc.lineno}, column {exc.colno})"
        raise DatasetError(Errors.E203.format(file=file, where=where, problem=exc.msg)) from exc
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DatasetError(Errors.E221.format(file=file, problem=exc)) from exc
    except UnicodeDecodeError as exc:
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
    if not isinstance(meta, dict):
        problem = f"expected a JSON object with an 'lf' list, got {type(meta).__name__}"
        raise DatasetError(Errors.E216.format(file=file, problem=problem))
    names = meta.get("lf")
    if names is None:
        return default
    if not isinstance(names, list) or len(names) != n_lfs:
        n_names = len(names) if isinstance(names, list) else type(names).__name__
        raise DatasetError(Errors.E215.format(file=file, n_names=n_names, n_lfs=n_lfs))
    out = tuple(str(n) for n in names)
    dupes = sorted({n for n in out if out.count(n) > 1})
    if dupes:
        problem = f"'lf' names {dupes} more than once; every labeling function needs its own name"
        raise DatasetError(Errors.E216.format(file=file, problem=problem))
    return out


def _same_content(plain: Path, packed: Path) -> bool:
    """Whether ``packed`` decompresses to the bytes of ``plain`` (read in blocks)."""
    if not packed.name.endswith(".gz"):
        return False
    try:
        with open(plain, "rb") as a, gzip.open(packed, "rb") as b:
            while True:
                block = a.read(1 << 20)
                if block != b.read(len(block) or 1):
                    return False
                if not block:
                    return True
    except (OSError, EOFError, zlib.error):
        return False


def _split_file(folder: Path, split: str) -> Path:
    """The file of ``split``: ``{split}.json`` or ``{split}.json.gz``.

    When both exist they must hold the same rows (the ``.json`` is read); otherwise one
    is stale and the split is refused [E227] rather than read from a guess.
    """
    plain, packed = folder / f"{split}.json", folder / f"{split}.json.gz"
    found = [f for f in (plain, packed) if f.is_file()]
    if not found:
        raise DatasetError(Errors.E202.format(folder=folder, split=split))
    if len(found) == 2 and not _same_content(plain, packed):
        newer = max(found, key=lambda f: f.stat().st_mtime_ns).name
        raise DatasetError(Errors.E227.format(folder=folder, split=split, newer=newer))
    return found[0]


def _read_data(file: Path, row_id: str, row: dict[str, Any]) -> tuple[str, list[Any] | None]:
    """The text (``""`` when absent) and the feature list (or None) of one row."""
    data = row.get("data")
    if not isinstance(data, dict):
        problem = "no 'data' object with a 'text' string or a 'feature' list."
        raise DatasetError(Errors.E211.format(file=file, row=row_id, problem=problem))
    text, feature = data.get("text"), data.get("feature")
    if text is None and feature is None:
        raise DatasetError(Errors.E217.format(file=file, row=row_id))
    if text is not None and not isinstance(text, str):
        problem = f"'text' must be a string; got {type(text).__name__}."
        raise DatasetError(Errors.E211.format(file=file, row=row_id, problem=problem))
    if feature is not None:
        problem = _feature_problem(feature)
        if problem:
            raise DatasetError(Errors.E218.format(file=file, row=row_id, problem=problem))
    return ("" if text is None else text), feature


def _feature_problem(feature: Any) -> str:
    """What is wrong with one row's ``feature`` value (before the finiteness check), or ''."""
    if not isinstance(feature, list):
        return f"got {type(feature).__name__}"
    if not feature:
        return "got an empty list"
    # JSON numbers parse to int or float; bool, str, None, list and dict are not numbers
    bad = next((j for j, v in enumerate(feature) if type(v) not in (int, float)), None)
    return "" if bad is None else f"item {bad} is {feature[bad]!r}"


def _as_float(value: float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer beyond float64
        return math.inf


def _features_array(file: Path, ids: list[str], rows: list[list[Any] | None]) -> np.ndarray | None:
    """The rows' feature lists as one float64 array, or None when no row has features."""
    present = [i for i, f in enumerate(rows) if f is not None]
    if not present:
        return None
    first = present[0]
    width = len(rows[first] or ())
    for i, feature in enumerate(rows):
        if feature is None or len(feature) != width:
            got = "no" if feature is None else len(feature)
            raise DatasetError(
                Errors.E219.format(file=file, row=ids[i], got=got, first=ids[first], expected=width)
            )
    table = [f or [] for f in rows]
    try:
        values = np.array(table, dtype=np.float64)
    except OverflowError:
        values = np.array([[_as_float(v) for v in f] for f in table], dtype=np.float64)
    bad = np.argwhere(~np.isfinite(values))
    if bad.size:
        i, j = (int(k) for k in bad[0])
        problem = f"item {j} is {table[i][j]!r}"
        raise DatasetError(Errors.E218.format(file=file, row=ids[i], problem=problem))
    return values


def _parse_rows(
    file: Path, rows: Any, names: tuple[str, ...]
) -> tuple[list[str], list[list[Any]], list[Any], list[str], list[list[Any] | None]]:
    if not isinstance(rows, dict):
        raise DatasetError(Errors.E204.format(file=file, kind=type(rows).__name__))
    if not rows:
        raise DatasetError(Errors.E212.format(file=file))
    ids: list[str] = []
    weak: list[list[Any]] = []
    gold: list[Any] = []
    texts: list[str] = []
    features: list[list[Any] | None] = []
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
        text, feature = _read_data(file, row_id, row)
        if "label" not in row:
            raise DatasetError(Errors.E226.format(file=file, row=row_id))
        label = row["label"]
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
        features.append(feature)
    return ids, weak, gold, texts, features


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
        label names; for a tabular set (rows with ``"feature"`` lists), ``features`` of
        shape (n_examples, n_features), else ``None``.

    Raises
    ------
    DatasetError
        When the folder or a file is missing, a file is not valid JSON or a truncated
        ``.gz`` ([E221]), a key appears twice in one object ([E253]), a row has no
        ``weak_labels`` or no ``label`` ([E226]; ``null`` is an unknown label), rows have
        different numbers of weak labels or none ([E254]), a label is not a class of
        ``label.json``, a row has neither a ``text`` nor a ``feature`` list, the features
        are not finite numbers, as many in every row, or ``{split}.json`` and
        ``{split}.json.gz`` both exist and differ ([E227]: one is stale; identical
        copies are fine); the message names the file and the row.

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
    ids, weak, gold, texts, raw_features = _parse_rows(file, _read_json(file), names)
    features = _features_array(file, ids, raw_features)
    try:
        values = np.array(weak, dtype=np.int64)
    except OverflowError:  # a vote beyond int64: report it like any other bad vote
        values = np.array([[max(min(v, len(names)), -2) for v in row] for row in weak])
    if values.ndim != 2 or values.shape[1] == 0:
        raise DatasetError(Errors.E254.format(file=file))
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
        features=features,
    )
