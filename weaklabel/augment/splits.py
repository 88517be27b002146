"""Leak-free train/test splits of augmented data, and a report of train/test overlap.

Use :func:`group_split` instead of a random row split whenever a frame holds augmented
rows (from :meth:`~weaklabel.augment.base.Augmenter.augment_examples`): a random split
puts paraphrases of test examples in the training set and inflates test scores. Each
original example and all rows derived from it (through ``original_id``, possibly in
chains) form one group, optionally merged with near-duplicate texts, and whole groups go
to one side. Use :func:`leakage_report` to check any existing split for exact and
near-duplicate overlap.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from weaklabel._deprecated import moved_names
from weaklabel.augment._errors import AugmentError, Errors
from weaklabel.augment.base import invalid_argument
from weaklabel.augment.filters import near_duplicate_pairs, normalise_text

__all__ = ["example_groups", "group_split", "leakage_report"]

# The catalogue classes' messages are in weaklabel.augment._errors now.
__getattr__ = moved_names(
    __name__,
    {
        "SplitErrors": "weaklabel.augment._errors:Errors",
    },
)

LEAKAGE_COLUMNS = ("train_index", "test_index", "kind", "similarity")


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = int(self.parent[root])
        while self.parent[i] != root:
            self.parent[i], i = root, int(self.parent[i])
        return root

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _check_threshold(name: str, threshold: float | None) -> None:
    if threshold is not None and (isinstance(threshold, bool) or not 0.0 < float(threshold) <= 1.0):
        raise invalid_argument(name, "near_duplicate_threshold", "None or in (0, 1]", threshold)


def example_groups(
    frame: pd.DataFrame,
    *,
    id_column: str = "id",
    original_column: str = "original_id",
    text_column: str = "text",
    near_duplicate_threshold: float | None = None,
) -> np.ndarray:
    """The group of each row: an original with every row derived from it.

    Parameters
    ----------
    frame : DataFrame
        ``n`` rows. Ids come from ``id_column`` (the index when the column is absent);
        a row whose ``original_column`` is set was derived from the row with that id.
    id_column, original_column, text_column : str
        Column names; ``original_column`` may be absent (every row is its own original).
    near_duplicate_threshold : float, optional
        Also merge the groups of rows whose texts are near-duplicates (estimated Jaccard
        of character 5-grams at least this). Exact duplicates (up to case and
        whitespace) are merged whenever this is set.

    Returns
    -------
    ndarray of shape (n,), dtype int64
        Group numbers ``0 .. n_groups-1``, numbered by first appearance.
    """
    if not isinstance(frame, pd.DataFrame):
        raise invalid_argument(
            "example_groups", "frame", "a pandas DataFrame", type(frame).__name__
        )
    _check_threshold("example_groups", near_duplicate_threshold)
    n = len(frame)
    ids = frame[id_column].tolist() if id_column in frame.columns else frame.index.tolist()
    uf = _UnionFind(n)
    first_row: dict[object, int] = {}

    def link(values: list[object]) -> None:
        """Group each row with the first row that has the same (non-missing) value."""
        for row, value in enumerate(values):
            if _missing(value):
                continue
            if value in first_row:
                uf.union(first_row[value], row)
            else:
                first_row[value] = row

    link(ids)
    if original_column in frame.columns:
        # Rows pointing to an id absent from the frame still group with each other.
        link(frame[original_column].tolist())
    if near_duplicate_threshold is not None:
        if text_column not in frame.columns:
            raise AugmentError(Errors.E773.format(column=text_column, columns=list(frame.columns)))
        texts = frame[text_column].tolist()
        first_text: dict[str, int] = {}
        for row, text in enumerate(texts):
            key = normalise_text(text)
            if key:
                uf.union(first_text.setdefault(key, row), row)
        pairs = near_duplicate_pairs(texts, threshold=float(near_duplicate_threshold))
        for i, j in zip(pairs["left_index"], pairs["right_index"], strict=True):
            uf.union(int(i), int(j))
    roots = np.fromiter((uf.find(i) for i in range(n)), dtype=np.int64, count=n)
    _, first, inverse = np.unique(roots, return_index=True, return_inverse=True)
    # Renumber so group k is the k-th group to appear in the frame.
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[inverse.ravel()]


def group_split(
    frame: pd.DataFrame,
    *,
    test_size: float = 0.2,
    seed: int = 0,
    id_column: str = "id",
    original_column: str = "original_id",
    text_column: str = "text",
    near_duplicate_threshold: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a frame into train and test without separating augmented rows from originals.

    Groups (see :func:`example_groups`) are shuffled with ``seed`` and added to the test
    side while that brings its row count closer to ``test_size * n``; the rest is train.

    Parameters
    ----------
    frame : DataFrame
        ``n`` rows: originals and augmented rows (with ``original_column``).
    test_size : float, default=0.2
        Wanted fraction of rows in the test split, in (0, 1). The actual fraction differs
        by at most about half the largest group's size.
    seed : int, default=0
        Same seed and frame, same split.
    id_column : str, default="id"
        Example ids; the frame's index when the column is absent.
    original_column : str, default="original_id"
        The id of the row each augmented row was derived from (missing for originals).
    text_column : str, default="text"
        The text, used when ``near_duplicate_threshold`` is set.
    near_duplicate_threshold : float, optional
        Also keep near-duplicate texts (and exact duplicates) on the same side.

    Returns
    -------
    train : DataFrame
        ``n_train`` rows of ``frame``, in their original order and with their index.
    test : DataFrame
        ``n - n_train`` rows of ``frame``, likewise.
    """
    if isinstance(test_size, bool) or not 0.0 < float(test_size) < 1.0:
        raise invalid_argument("group_split", "test_size", "in (0, 1)", test_size)
    groups = example_groups(
        frame,
        id_column=id_column,
        original_column=original_column,
        text_column=text_column,
        near_duplicate_threshold=near_duplicate_threshold,
    )
    n = len(frame)
    if n == 0:
        return frame.iloc[0:0], frame.iloc[0:0]
    sizes = np.bincount(groups)
    target = float(test_size) * n
    order = np.random.default_rng(seed).permutation(sizes.size)
    in_test = np.zeros(sizes.size, dtype=bool)
    count = 0
    for g in order:
        if abs(count + sizes[g] - target) < abs(count - target):
            in_test[g] = True
            count += int(sizes[g])
    test_rows = in_test[groups]
    return frame.iloc[np.flatnonzero(~test_rows)], frame.iloc[np.flatnonzero(test_rows)]


def leakage_report(
    train_texts: Iterable[object],
    test_texts: Iterable[object],
    *,
    near_duplicate_threshold: float | None = 0.8,
    num_perm: int = 64,
    ngram: int = 5,
    seed: int = 0,
    text_column: str = "text",
) -> pd.DataFrame:
    """Train/test pairs whose texts are exact or near duplicates.

    Parameters
    ----------
    train_texts : iterable of str, or DataFrame
        ``n_train`` texts, or a frame whose ``text_column`` holds them (e.g. the train
        side of :func:`group_split`).
    test_texts : iterable of str, or DataFrame
        ``n_test`` texts, or a frame.
    near_duplicate_threshold : float or None, default=0.8
        Minimum estimated Jaccard similarity of character shingles for a ``"near"`` pair;
        ``None`` reports exact duplicates only.
    num_perm, ngram, seed
        MinHash settings (see :func:`~weaklabel.augment.filters.near_duplicate_pairs`).
    text_column : str, default="text"
        The text column when a frame is given.

    Returns
    -------
    DataFrame
        Columns ``train_index``, ``test_index`` (int64 positions), ``kind`` (``"exact"``
        when the texts are equal up to case and whitespace, else ``"near"``) and
        ``similarity`` (float64; 1.0 for exact), sorted by ``train_index`` then
        ``test_index``. Empty when nothing leaks.
    """
    _check_threshold("leakage_report", near_duplicate_threshold)
    train = _texts_of(train_texts, text_column)
    test = _texts_of(test_texts, text_column)
    by_text: dict[str, list[int]] = {}
    for i, text in enumerate(train):
        key = normalise_text(text)
        if key:
            by_text.setdefault(key, []).append(i)
    rows: list[tuple[int, int, str, float]] = []
    exact: set[tuple[int, int]] = set()
    for j, text in enumerate(test):
        for i in by_text.get(normalise_text(text), []):
            rows.append((i, j, "exact", 1.0))
            exact.add((i, j))
    if near_duplicate_threshold is not None and train and test:
        pairs = near_duplicate_pairs(
            train,
            test,
            threshold=float(near_duplicate_threshold),
            num_perm=num_perm,
            ngram=ngram,
            seed=seed,
        )
        for i, j, sim in zip(
            pairs["left_index"], pairs["right_index"], pairs["similarity"], strict=True
        ):
            if (int(i), int(j)) not in exact:
                rows.append((int(i), int(j), "near", float(sim)))
    report = pd.DataFrame(rows, columns=list(LEAKAGE_COLUMNS))
    report = report.astype({"train_index": "int64", "test_index": "int64", "similarity": "float64"})
    return report.sort_values(["train_index", "test_index"], ignore_index=True)


def _texts_of(texts: Iterable[object] | pd.DataFrame, text_column: str) -> list[object]:
    """The texts of a frame's ``text_column``, or the items of any other iterable."""
    if isinstance(texts, pd.DataFrame):
        if text_column not in texts.columns:
            raise AugmentError(Errors.E773.format(column=text_column, columns=list(texts.columns)))
        return texts[text_column].tolist()
    if isinstance(texts, str):
        return [texts]
    return list(texts)
