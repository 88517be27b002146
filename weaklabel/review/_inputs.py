"""Shared input checks and the seeded ranking of the review stage (internal).

Every review function reads probability tables, vote matrices and annotation tables through
these helpers, so they accept the same inputs and raise the same numbered errors, and every
ranking breaks ties the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from weaklabel import LabelMatrix
from weaklabel.review._errors import Errors, ReviewError

_DECIMALS = 12
"""Scores are compared rounded to this many decimals, so that rounding noise is a tie."""


def as_proba(proba: Any, what: str = "proba") -> np.ndarray:
    """Check a probability table and return it as a float64 array.

    Parameters
    ----------
    proba : array-like of shape (n_rows, n_classes)
    what : str
        Its name in error messages.

    Returns
    -------
    ndarray of shape (n_rows, n_classes)
    """
    arr = np.asarray(proba, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise ReviewError(Errors.E570.format(what=what, shape=arr.shape))
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1 + 1e-9)
    if bad.any():
        row = int(np.argmax(bad.any(axis=1)))
        value = arr[row][bad[row]][0]
        raise ReviewError(Errors.E571.format(what=what, value=float(value), row=row))
    return arr


def as_votes(L: Any) -> tuple[np.ndarray, int, tuple[str, ...] | None]:
    """Votes of a label matrix as an int64 array, with the number of classes and names.

    Parameters
    ----------
    L : LabelMatrix or array-like of shape (n_rows, n_sources)
        Class ids, ``-1`` = abstain.

    Returns
    -------
    votes : ndarray of shape (n_rows, n_sources)
    k : int
        The cardinality of the ``LabelMatrix``, else the largest vote + 1 (at least 2).
    source_names : tuple of str or None
        The source names of a ``LabelMatrix``.
    """
    if isinstance(L, LabelMatrix):
        values = np.asarray(L.values, dtype=np.int64)
        k = L.cardinality or max(2, int(values.max(initial=-1)) + 1)
        return values, int(k), tuple(L.source_names)
    values, k = _int_table(L, Errors.E575)
    return values, k, None


def as_table(table: Any) -> tuple[np.ndarray, int]:
    """An annotation table (items x annotators, ``-1`` missing) as int64, with ``k``."""
    return _int_table(table, Errors.E590)


def _int_table(table: Any, message: str) -> tuple[np.ndarray, int]:
    if hasattr(table, "to_numpy") and hasattr(table, "columns"):
        table = table.to_numpy()
    arr = np.asarray(table)
    if arr.ndim != 2:
        raise ReviewError(message.format(problem=f"shape {arr.shape}"))
    if arr.size and arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr) & (np.mod(arr, 1) == 0)):
            raise ReviewError(message.format(problem="non-integer values"))
    elif arr.size and arr.dtype.kind not in "iu":
        raise ReviewError(message.format(problem=f"dtype {arr.dtype}"))
    values = arr.astype(np.int64)
    if values.size and values.min() < -1:
        raise ReviewError(message.format(problem=f"the value {int(values.min())}"))
    return values, max(2, int(values.max(initial=-1)) + 1)


def bad_argument(owner: str, param: str, expected: str, value: Any) -> ReviewError:
    """The error for an argument outside its allowed values (core message ``E060``)."""
    return ReviewError(Errors.E060.format(name=owner, param=param, expected=expected, value=value))


def missing_package(what: str, packages: str, *, plural: bool = False) -> str:
    """The message for a missing optional dependency of the review extra (``E070``)."""
    return Errors.E070.format(
        what=what, packages=packages, verb="are" if plural else "is", extra="review"
    )


def tie_keys(rows: np.ndarray, seed: int) -> np.ndarray:
    """A seeded pseudo-random key per row id (splitmix64 of ``seed`` and the row).

    The key of a row depends only on its id and the seed, never on how many rows there are
    or which other rows are ranked with it: rankings of a prefix, a chunk or the whole
    table break their ties the same way.

    Parameters
    ----------
    rows : ndarray of shape (n,)
        Row ids (non-negative integers).
    seed : int

    Returns
    -------
    ndarray of shape (n,), dtype uint64
    """
    with np.errstate(over="ignore"):
        z = np.asarray(rows, dtype=np.uint64) + np.uint64(seed % 2**64) * np.uint64(
            0x9E3779B97F4A7C15
        )
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def order(scores: np.ndarray, seed: int, rows: np.ndarray | None = None) -> np.ndarray:
    """Positions of ``scores`` from highest to lowest, ties broken by :func:`tie_keys`.

    Parameters
    ----------
    scores : ndarray of shape (n,)
    seed : int
    rows : ndarray of shape (n,), optional
        The row ids the scores belong to (default ``0 .. n-1``).

    Returns
    -------
    ndarray of shape (n,)
        Positions into ``scores``.
    """
    ids = np.arange(scores.shape[0]) if rows is None else rows
    rounded = np.round(np.asarray(scores, dtype=np.float64), _DECIMALS)
    return np.lexsort((tie_keys(ids, seed), -rounded))


def class_names(label_names: Sequence[str] | None, L: Any, k: int) -> tuple[str, ...]:
    """Names of the classes: given, from a ``LabelMatrix``, else ``"0"``, ``"1"``, ..."""
    if label_names is not None:
        return tuple(str(n) for n in label_names)
    if isinstance(L, LabelMatrix) and L.label_names is not None:
        return tuple(L.label_names)
    return tuple(str(c) for c in range(k))
