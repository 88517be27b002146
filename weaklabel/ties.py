"""Tie-breaking: turn class probabilities into hard labels, reproducibly.

Use :func:`probs_to_preds` whenever probabilities become class ids: every label model's
``predict`` calls it, and so does the Dask applier, partition by partition. A row is tied
when several classes are within :data:`TIE_TOLERANCE` of its maximum; the policy decides
which of them the row gets:

- ``"index"`` (the default) hashes the row's position, so the same row always gets the same
  class, in memory or on any partition of a Dask DataFrame (pass the partition's first row
  as ``offset``). With ``seed=0`` it is exactly Snorkel's
  ``probs_to_preds(..., tie_break_policy="random")``, which WRENCH's published numbers use.
- ``"random"`` draws among the tied classes from ``np.random.default_rng(seed)``.
- ``"abstain"`` gives tied rows ``-1``.

>>> import numpy as np
>>> tied = np.full((6, 2), 0.5)
>>> probs_to_preds(tied).tolist()
[0, 1, 0, 1, 0, 0]
>>> probs_to_preds(tied[3:], offset=3).tolist()  # rows 3..5 of the whole: the same labels
[1, 0, 0]
>>> probs_to_preds(np.array([[0.5, 0.5], [0.2, 0.8]]), tie_break="abstain").tolist()
[-1, 1]
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from weaklabel.errors import Errors, LabelMatrixError, LabelModelError
from weaklabel.labels import ABSTAIN

__all__ = ["TIE_BREAK_POLICIES", "TIE_TOLERANCE", "check_tie_break", "probs_to_preds"]

TIE_TOLERANCE: float = 1e-5
"""Classes whose probability is within this of the row's maximum are tied (as in Snorkel)."""

TIE_BREAK_POLICIES: tuple[str, ...] = ("index", "random", "abstain")
"""Accepted values of ``tie_break``."""


def check_tie_break(tie_break: Any) -> str:
    """Return ``tie_break`` when it is one of :data:`TIE_BREAK_POLICIES`, else raise.

    Parameters
    ----------
    tie_break : object

    Returns
    -------
    str

    Raises
    ------
    LabelModelError
        [E103] for any other value.
    """
    if tie_break not in TIE_BREAK_POLICIES:
        raise LabelModelError(Errors.E103.format(options=TIE_BREAK_POLICIES, value=tie_break))
    return str(tie_break)


def _hash_choices(rows: np.ndarray, n_candidates: np.ndarray, seed: int) -> np.ndarray:
    """Snorkel's deterministic choice among tied classes: sha1 of the row position."""
    sha1 = hashlib.sha1
    from_bytes = int.from_bytes
    if seed == 0:
        keys = [b"%d" % i for i in rows.tolist()]
    else:
        keys = [b"%d:%d" % (seed, i) for i in rows.tolist()]
    return np.fromiter(
        (
            from_bytes(sha1(key).digest(), "big") % c
            for key, c in zip(keys, n_candidates.tolist(), strict=True)
        ),
        dtype=np.int64,
        count=len(keys),
    )


def _nth_true(mask: np.ndarray, nth: np.ndarray) -> np.ndarray:
    """Column of the ``nth[i]``-th (0-based) True in each row of ``mask``."""
    return np.argmax(np.cumsum(mask, axis=1) > nth[:, None], axis=1).astype(np.int64)


def probs_to_preds(
    proba: Any,
    *,
    tie_break: str = "index",
    seed: int = 0,
    offset: int = 0,
    tol: float = TIE_TOLERANCE,
) -> np.ndarray:
    """Turn class probabilities into hard labels, breaking ties reproducibly.

    A row is tied when several classes are within ``tol`` of the row's maximum.

    Parameters
    ----------
    proba : array-like of shape (n_examples, n_classes)
        Class probabilities (any scores work; only the row maxima matter).
    tie_break : {"index", "random", "abstain"}, default "index"
        ``"index"`` picks ``tied[sha1(str(i)) % len(tied)]`` for the row at position ``i``
        -- exactly Snorkel's ``probs_to_preds(..., tie_break_policy="random")``, which
        WRENCH's published numbers use -- when ``seed == 0``, and hashes ``f"{seed}:{i}"``
        otherwise. ``"random"`` draws among the tied classes with
        ``np.random.default_rng(seed)``. ``"abstain"`` returns ``-1`` for tied rows.
    seed : int, default 0
    offset : int, default 0
        Position of the first row in a larger matrix (``"index"`` hashes ``offset + i``):
        the rows ``a .. b`` of a matrix get the labels the whole matrix would give them
        when ``offset=a``. Other policies ignore it.
    tol : float, default 1e-5

    Returns
    -------
    ndarray of shape (n_examples,), dtype int64
        Class ids, or ``-1`` for tied rows under ``tie_break="abstain"``.

    Raises
    ------
    LabelModelError
        [E103] for an unknown ``tie_break``.
    LabelMatrixError
        [E060] when ``proba`` is not a 2-D array of numbers, or holds NaN.
    LabelModelError
        [E060] when ``seed`` is not an integer >= 0.
    """
    check_tie_break(tie_break)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise LabelModelError(
            Errors.E060.format(
                name="probs_to_preds", param="seed", expected="an integer >= 0", value=seed
            )
        )
    try:
        proba = np.asarray(proba, dtype=np.float64)
    except (TypeError, ValueError):
        proba = np.asarray(proba, dtype=object)  # refused below, naming its shape
    if proba.ndim == 2 and proba.dtype == np.float64 and np.isnan(proba).any():
        row = int(np.argwhere(np.isnan(proba))[0][0])
        raise LabelMatrixError(
            Errors.E060.format(
                name="probs_to_preds",
                param="proba",
                expected=f"numbers (row {row} holds NaN: a model or a file gave no probability)",
                value=proba[row].tolist(),
            )
        )
    if proba.ndim != 2 or proba.dtype != np.float64:
        raise LabelMatrixError(
            Errors.E060.format(
                name="probs_to_preds",
                param="proba",
                expected="a 2-D array (n_examples, n_classes)",
                value=proba.shape,
            )
        )
    if proba.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    is_max = np.abs(proba - proba.max(axis=1, keepdims=True)) < tol
    preds = np.argmax(proba, axis=1).astype(np.int64)
    n_max = is_max.sum(axis=1)
    tied = np.flatnonzero(n_max > 1)
    if tied.size == 0:
        return preds
    if tie_break == "abstain":
        preds[tied] = ABSTAIN
        return preds
    n_candidates = n_max[tied]
    if tie_break == "index":
        nth = _hash_choices(tied + int(offset), n_candidates, seed)
    else:
        nth = np.random.default_rng(seed).integers(0, n_candidates).astype(np.int64)
    preds[tied] = _nth_true(is_max[tied], nth)
    return preds
