"""Classification metrics for hard labels, in plain numpy.

Use these to score a label model's predictions against gold labels (``model.score`` calls
them) without pulling in scikit-learn. They follow the weak-supervision convention: a
predicted ``-1`` (the model abstained) is never a class, so it always counts as wrong.
Zero divisions (no predicted or no true positives) give 0.0, as scikit-learn does by
default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from weaklabel.errors import Errors, LabelModelError
from weaklabel.labels import ABSTAIN


def _check_pair(y_true: Any, y_pred: Any, metric: str) -> tuple[np.ndarray, np.ndarray]:
    true = np.asarray(y_true)
    pred = np.asarray(y_pred)
    if true.ndim != 1 or pred.ndim != 1 or true.shape != pred.shape:
        raise LabelModelError(Errors.E121.format(true_shape=true.shape, pred_shape=pred.shape))
    if true.size == 0:
        raise LabelModelError(Errors.E122.format(metric=metric))
    true = _class_ids(true, metric, "y_true")
    if true.min() < 0:
        raise LabelModelError(Errors.E123.format(value=int(true.min())))
    return true, _class_ids(pred, metric, "y_pred")


def _class_ids(values: np.ndarray, metric: str, name: str) -> np.ndarray:
    """``values`` as int64 class ids; a fraction, NaN or string is refused, not cast.

    Raises [E123] for ``y_true`` and [E060] for ``y_pred``, naming the first bad value.
    """
    bad: Any = None
    if values.dtype.kind in "iub":
        return values.astype(np.int64)
    if values.dtype.kind == "f":
        finite = np.isfinite(values)
        whole = finite & (np.mod(np.where(finite, values, 0.5), 1) == 0)
        if np.all(whole):
            return values.astype(np.int64)
        bad = values[np.argmin(whole)].item()
    else:
        for value in values.tolist():  # strings, objects: every entry a whole number
            if isinstance(value, bool) or not isinstance(value, int):
                bad = value
                break
        else:
            return values.astype(np.int64)
    if name == "y_true":
        raise LabelModelError(Errors.E123.format(value=repr(bad)))
    raise LabelModelError(
        Errors.E060.format(
            name=metric, param=name, expected="class ids (integers, -1 = abstain)", value=bad
        )
    )


def _label(value: Any, metric: str, name: str) -> int:
    """A class id given as an argument (``pos_label``, an entry of ``labels``)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise LabelModelError(
            Errors.E060.format(name=metric, param=name, expected="a class id (int)", value=value)
        )
    return int(value)


def accuracy(y_true: Any, y_pred: Any) -> float:
    """Fraction of examples whose predicted class is the gold class.

    Parameters
    ----------
    y_true : array-like of shape (n_examples,)
        Gold class ids (>= 0).
    y_pred : array-like of shape (n_examples,)
        Predicted class ids; ``-1`` (abstain) counts as wrong.

    Returns
    -------
    float
        In ``[0, 1]``.

    Examples
    --------
    >>> accuracy([0, 1, 1, 0], [0, 1, -1, 1])
    0.5
    """
    true, pred = _check_pair(y_true, y_pred, "accuracy")
    return float(np.mean(true == pred))


def _prf(true: np.ndarray, pred: np.ndarray, label: int) -> tuple[float, float, float]:
    tp = int(np.count_nonzero((pred == label) & (true == label)))
    n_pred = int(np.count_nonzero(pred == label))
    n_true = int(np.count_nonzero(true == label))
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_true if n_true else 0.0
    f1 = 2 * tp / (n_pred + n_true) if n_pred + n_true else 0.0
    return precision, recall, f1


def precision_recall_f1(
    y_true: Any, y_pred: Any, *, pos_label: int = 1
) -> tuple[float, float, float]:
    """Precision, recall and F1 of one class.

    Parameters
    ----------
    y_true : array-like of shape (n_examples,)
        Gold class ids (>= 0).
    y_pred : array-like of shape (n_examples,)
        Predicted class ids; ``-1`` (abstain) is never ``pos_label``, so an abstain on a
        positive example is a false negative.
    pos_label : int, default 1
        The class scored as positive.

    Returns
    -------
    (precision, recall, f1) : tuple of float
        Each in ``[0, 1]``; 0.0 when its denominator is zero.

    Examples
    --------
    >>> precision_recall_f1([1, 1, 0, 0], [1, -1, 1, 0])
    (0.5, 0.5, 0.5)
    """
    true, pred = _check_pair(y_true, y_pred, "precision_recall_f1")
    return _prf(true, pred, _label(pos_label, "precision_recall_f1", "pos_label"))


def f1_score(y_true: Any, y_pred: Any, *, pos_label: int = 1) -> float:
    """F1 score of class ``pos_label`` (WRENCH's metric for sms).

    Parameters
    ----------
    y_true : array-like of shape (n_examples,)
    y_pred : array-like of shape (n_examples,)
        ``-1`` (abstain) counts as a miss.
    pos_label : int, default 1

    Returns
    -------
    float
        ``2 tp / (2 tp + fp + fn)``; 0.0 when there are neither true nor predicted
        positives.
    """
    true, pred = _check_pair(y_true, y_pred, "f1_score")
    return _prf(true, pred, _label(pos_label, "f1_score", "pos_label"))[2]


def macro_f1(y_true: Any, y_pred: Any, *, labels: Sequence[int] | None = None) -> float:
    """Unweighted mean of the per-class F1 scores.

    Parameters
    ----------
    y_true : array-like of shape (n_examples,)
    y_pred : array-like of shape (n_examples,)
        ``-1`` (abstain) counts as wrong and is never a class of its own.
    labels : sequence of int, optional
        Classes to average over. Default: every class id in ``y_true`` or ``y_pred``
        (except ``-1``). Pass ``range(k)`` to count classes that never occur (as 0).

    Returns
    -------
    float

    Examples
    --------
    >>> macro_f1([0, 0, 1, 2], [0, 1, 1, 2])
    0.7777777777777777
    """
    true, pred = _check_pair(y_true, y_pred, "macro_f1")
    if labels is None:
        classes = np.union1d(true, pred[pred != ABSTAIN]).tolist()
    else:
        classes = [_label(c, "macro_f1", "labels") for c in labels]
    if not classes:
        raise LabelModelError(Errors.E122.format(metric="macro_f1"))
    return float(np.mean([_prf(true, pred, c)[2] for c in classes]))
