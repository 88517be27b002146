"""Close the loop: review answers become a gold dev set for the label model.

Use it when reviewers have labelled some rows: :func:`gold_labels` turns their answers into
one gold label per row (``-1`` where nobody answered), :func:`dev_set` cuts the dev rows
out of the label matrix in the form ``LabelModel.fit(L, y_dev=..., L_dev=...)`` takes, and
:func:`refit` does both and fits. :func:`source_accuracies` shows each source's empirical
accuracy on the reviewed rows (``weaklabel.summarize_sources`` with the gold labels).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

import weaklabel.models as models
from weaklabel import LabelMatrix, summarize_sources
from weaklabel.review._errors import Errors, ReviewError
from weaklabel.review._inputs import as_votes

__all__ = ["dev_set", "gold_labels", "refit", "source_accuracies"]


def gold_labels(
    answers: Mapping[int, Any] | tuple[Sequence[int], Sequence[Any]],
    n_rows: int,
    *,
    label_names: Sequence[str] | None = None,
) -> np.ndarray:
    """One gold label per row from review answers, ``-1`` where there is none.

    Parameters
    ----------
    answers : mapping of int to label, or (rows, labels)
        Row position -> the reviewer's label, as a class id or a class name; ``None`` or
        ``-1`` (skipped) leaves the row unknown.
    n_rows : int
        Rows of the label matrix.
    label_names : sequence of str, optional
        Class names in id order, to read answers given as names.

    Returns
    -------
    ndarray of shape (n_rows,)
        Class ids, ``-1`` = unknown.
    """
    pairs = answers.items() if isinstance(answers, Mapping) else zip(*answers, strict=True)
    names = list(label_names or [])
    top = max(len(names) - 1, 0)
    gold = np.full(int(n_rows), -1, dtype=np.int64)
    for row, value in pairs:
        r = int(row)
        if not 0 <= r < n_rows:
            raise ReviewError(Errors.E599.format(row=r, n=n_rows))
        if value is None or (isinstance(value, int | np.integer) and value == -1):
            continue
        if isinstance(value, str) and value in names:
            gold[r] = names.index(value)
        elif isinstance(value, int | np.integer) and value >= 0 and (not names or value <= top):
            gold[r] = int(value)
        else:
            raise ReviewError(
                Errors.E598.format(row=r, value=value, top=top if names else "k-1", names=names)
            )
    return gold


def dev_set(L: Any, gold: Any) -> tuple[np.ndarray, np.ndarray]:
    """The reviewed rows as ``(y_dev, L_dev)`` for ``LabelModel.fit``.

    Parameters
    ----------
    L : LabelMatrix or array-like of shape (n_rows, n_sources)
    gold : array-like of shape (n_rows,)
        Gold class ids, ``-1`` = not reviewed (from :func:`gold_labels`).

    Returns
    -------
    y_dev : ndarray of shape (n_dev,)
    L_dev : ndarray of shape (n_dev, n_sources)
        The votes on the reviewed rows, in row order.
    """
    votes, _, _ = as_votes(L)
    y = np.asarray(gold, dtype=np.int64).reshape(-1)
    if y.shape[0] != votes.shape[0]:
        raise ReviewError(Errors.E574.format(what="gold", got=y.shape[0], n=votes.shape[0]))
    rows = np.flatnonzero(y >= 0)
    return y[rows], votes[rows]


def refit(
    L: Any,
    gold: Any,
    *,
    model: str | models.BaseLabelModel = "LabelModel",
    class_prior: Literal["uniform", "dev"] | Sequence[float] = "uniform",
) -> models.BaseLabelModel:
    """Fit a label model on all rows with the reviewed rows as its gold dev set.

    Parameters
    ----------
    L : LabelMatrix or array-like of shape (n_rows, n_sources)
    gold : array-like of shape (n_rows,)
        Gold class ids, ``-1`` = not reviewed.
    model : str or label model, default "LabelModel"
        A model of :mod:`weaklabel.models` by name, or an instance (fitted in place). A
        model whose ``fit`` takes no dev set is fitted without it.
    class_prior : {"uniform", "dev"} or array-like of shape (k,), default "uniform"
        The class prior of a ``LabelModel`` built here by name. ``"uniform"``: the
        reviewed rows inform the sources' precisions only, and predictions keep the
        uniform prior they have without gold. ``"dev"``: the class frequencies of the
        reviewed rows (``LabelModel``'s own default with ``y_dev``), right only when they
        are a random sample: rows chosen by :func:`~weaklabel.review.select` are not, and
        their frequencies mislead -- on WRENCH youtube, 50 rows chosen by
        ``"disagreement"`` are 86% spam and took test accuracy from 85.6% to 66.8% with
        ``"dev"``, against 88.0% with ``"uniform"`` (``benchmarks/active_learning.py``).
        An array is a known class balance.

    Returns
    -------
    label model
        Fitted.
    """
    if isinstance(model, str):
        names = [m.__name__ for m in models.MODELS]
        if model not in names:
            raise ReviewError(Errors.E592.format(name=model, options=names))
        params: dict[str, Any] = {
            "cardinality": L.cardinality if isinstance(L, LabelMatrix) else None
        }
        if model == "LabelModel":
            params["class_prior"] = _class_prior(class_prior, L)
        fitted: models.BaseLabelModel = getattr(models, model)(**params)
    else:
        fitted = model
    y_dev, L_dev = dev_set(L, gold)
    if isinstance(fitted, models.LabelModel) and y_dev.size:
        return fitted.fit(L, y_dev=y_dev, L_dev=L_dev)
    return fitted.fit(L)


def _class_prior(class_prior: Any, L: Any) -> Any:
    """The ``class_prior`` argument of a ``LabelModel``: ``None`` for "dev", else an array."""
    if isinstance(class_prior, str):
        if class_prior not in ("uniform", "dev"):
            raise ReviewError(
                Errors.E060.format(
                    name="refit",
                    param="class_prior",
                    expected="'uniform', 'dev' or one probability per class",
                    value=class_prior,
                )
            )
        if class_prior == "dev":
            return None
        _, k, _ = as_votes(L)
        return np.full(k, 1.0 / k)
    return np.asarray(class_prior, dtype=np.float64)


def source_accuracies(
    L: Any, gold: Any, *, label_names: Sequence[str] | None = None
) -> pd.DataFrame:
    """Each source's empirical accuracy on the reviewed rows.

    Parameters
    ----------
    L : LabelMatrix or array-like of shape (n_rows, n_sources)
    gold : array-like of shape (n_rows,)
        Gold class ids, ``-1`` = not reviewed.
    label_names : sequence of str, optional

    Returns
    -------
    DataFrame
        ``weaklabel.summarize_sources(L, gold)``: coverage, overlaps and conflicts on all
        rows, and ``correct``, ``incorrect``, ``emp_acc`` (with its Wilson interval) on the
        reviewed rows.
    """
    return summarize_sources(L, np.asarray(gold, dtype=np.int64), label_names=label_names)
