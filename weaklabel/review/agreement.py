"""How far annotators agree, and one consensus label per item through weaklabel's label models.

Use it when the review answers of several annotators come back: the coefficients tell
whether the task is well defined before the labels are trusted as gold, the per-annotator
table shows who departs from the others, and :func:`consensus` merges the annotations.

Every function takes an annotation ``table`` of shape (n_items, n_annotators) holding class
ids, ``-1`` where an annotator did not label an item (a ``LabelMatrix`` or DataFrame
works too).

- :func:`cohen_kappa`: two annotators, on the items both labelled; the same number as
  ``sklearn.metrics.cohen_kappa_score`` on those items.
- :func:`fleiss_kappa`: any number of annotators. Item ``i`` with ``n_i >= 2``
  annotations agrees at ``P_i = (sum_c n_ic^2 - n_i) / (n_i (n_i - 1))``; the chance
  agreement is ``sum_c p_c^2`` with ``p_c`` the share of class ``c`` among all their
  annotations; ``kappa = (mean P_i - sum p_c^2) / (1 - sum p_c^2)``. Items with fewer
  than two annotations are left out. With the same number of annotations on every item
  this is Fleiss (1971), as ``statsmodels.stats.inter_rater.fleiss_kappa``.
- :func:`krippendorff_alpha`: nominal alpha from the ``krippendorff`` package, which
  handles missing annotations natively.
- :func:`consensus`: the annotators are one more label matrix (a missing annotation is an
  abstain), fitted by a weaklabel label model, which weighs each annotator by how well
  they agree with the others.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import weaklabel.models as models
from weaklabel.review._errors import Errors, ReviewError
from weaklabel.review._inputs import as_table, missing_package

__all__ = [
    "annotator_agreement",
    "cohen_kappa",
    "consensus",
    "fleiss_kappa",
    "krippendorff_alpha",
]


def cohen_kappa(a: Any, b: Any) -> float:
    """Cohen's kappa of two annotators on the items both labelled.

    Parameters
    ----------
    a, b : array-like of shape (n_items,)
        Class ids, ``-1`` = no annotation.

    Returns
    -------
    float
        ``(p_o - p_e) / (1 - p_e)``; NaN when fewer than one shared item or when the
        chance agreement ``p_e`` is 1 (both annotators always give the same one class).

    Examples
    --------
    >>> round(cohen_kappa([0, 1, 1, 0, -1], [0, 1, 0, 0, 1]), 3)
    0.5
    """
    x, y = np.asarray(a).reshape(-1), np.asarray(b).reshape(-1)
    if x.shape[0] != y.shape[0]:
        raise ReviewError(Errors.E591.format(n_a=x.shape[0], n_b=y.shape[0]))
    table, k = as_table(np.stack([x, y], axis=1))
    both = (table >= 0).all(axis=1)
    x, y = table[both, 0], table[both, 1]
    if x.size == 0:
        return float("nan")
    confusion = np.zeros((k, k), dtype=np.float64)
    np.add.at(confusion, (x, y), 1.0)
    confusion /= confusion.sum()
    observed = float(np.trace(confusion))
    expected = float(confusion.sum(axis=1) @ confusion.sum(axis=0))
    if np.isclose(expected, 1.0):
        return float("nan")
    return (observed - expected) / (1.0 - expected)


def _counts(values: np.ndarray, k: int) -> np.ndarray:
    """Per item, how many annotators gave each class: shape (n_items, k)."""
    return np.stack([(values == c).sum(axis=1) for c in range(k)], axis=1).astype(np.float64)


def fleiss_kappa(table: Any) -> float:
    """Fleiss' kappa of any number of annotators, missing annotations allowed.

    Parameters
    ----------
    table : array-like of shape (n_items, n_annotators)
        Class ids, ``-1`` = missing; items with fewer than two annotations are left out.

    Returns
    -------
    float
        See the module docstring for the formula; NaN when no item has two annotations or
        all annotations are one class.
    """
    values, k = as_table(table)
    counts = _counts(values, k)
    n = counts.sum(axis=1)
    counts, n = counts[n >= 2], n[n >= 2]
    if n.size == 0:
        return float("nan")
    agree = ((counts**2).sum(axis=1) - n) / (n * (n - 1))
    shares = counts.sum(axis=0) / n.sum()
    chance = float((shares**2).sum())
    if np.isclose(chance, 1.0):
        return float("nan")
    return (float(agree.mean()) - chance) / (1.0 - chance)


def krippendorff_alpha(table: Any) -> float:
    """Krippendorff's alpha (nominal), computed by the ``krippendorff`` package.

    Parameters
    ----------
    table : array-like of shape (n_items, n_annotators)
        Class ids, ``-1`` = missing (the package's ``NaN``).

    Returns
    -------
    float
        NaN when there is nothing to compare (fewer than two annotations on every item, or
        a single class).
    """
    try:
        import krippendorff
    except ImportError as error:  # pragma: no cover - the review extra installs it
        raise ImportError(missing_package("krippendorff_alpha", "krippendorff")) from error
    values, _ = as_table(table)
    data = np.where(values >= 0, values, np.nan).astype(np.float64).T
    pairable = np.isfinite(data).sum(axis=0) >= 2
    if not pairable.any() or np.unique(data[:, pairable][np.isfinite(data[:, pairable])]).size < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def consensus(
    table: Any, *, model: str | models.BaseLabelModel = "LabelModel", cardinality: int | None = None
) -> np.ndarray:
    """One label per item from several annotators, through a weaklabel label model.

    Parameters
    ----------
    table : array-like of shape (n_items, n_annotators)
        Class ids, ``-1`` = missing (an abstain for the label model).
    model : str or label model, default "LabelModel"
        The name of a label model of :mod:`weaklabel.models` (``"LabelModel"``,
        ``"MajorityVote"``, ``"DawidSkene"``, ...) or an unfitted instance, which is fitted
        in place (read ``predict_proba`` from it afterwards).
    cardinality : int, optional
        Number of classes (default: the largest label + 1).

    Returns
    -------
    ndarray of shape (n_items,)
        The consensus class ids; ``-1`` for items nobody annotated.
    """
    values, k = as_table(table)
    k = int(cardinality) if cardinality is not None else k
    if isinstance(model, str):
        names = [m.__name__ for m in models.MODELS]
        if model not in names:
            raise ReviewError(Errors.E592.format(name=model, options=names))
        fitted = getattr(models, model)(cardinality=k)
    elif isinstance(model, models.BaseLabelModel):
        fitted = model
    else:
        raise ReviewError(Errors.E592.format(name=type(model).__name__, options="a label model"))
    fitted.fit(values)
    labels = np.asarray(fitted.predict(values), dtype=np.int64)
    return np.where((values >= 0).any(axis=1), labels, -1)


def annotator_agreement(table: Any, reference: Any = None, *, names: Any = None) -> pd.DataFrame:
    """How each annotator agrees with the consensus (or another reference labelling).

    Parameters
    ----------
    table : array-like of shape (n_items, n_annotators)
        Class ids, ``-1`` = missing.
    reference : array-like of shape (n_items,), optional
        The labels to compare with, ``-1`` = unknown. Default: :func:`consensus` of the
        table with the default label model.
    names : sequence of str, optional
        Annotator names (default: the DataFrame's columns, else ``annotator_0``, ...).

    Returns
    -------
    DataFrame of shape (n_annotators, 3)
        Indexed by annotator, with columns ``n_items`` (items the annotator labelled where
        the reference is known), ``agreement`` (share of those equal to the reference) and
        ``kappa`` (Cohen's kappa with the reference).
    """
    if names is None and hasattr(table, "columns"):
        names = [str(c) for c in table.columns]
    values, _ = as_table(table)
    ref = consensus(values) if reference is None else np.asarray(reference).reshape(-1)
    if ref.shape[0] != values.shape[0]:
        raise ReviewError(Errors.E591.format(n_a=values.shape[0], n_b=ref.shape[0]))
    names = names or [f"annotator_{j}" for j in range(values.shape[1])]
    rows = []
    for j in range(values.shape[1]):
        both = (values[:, j] >= 0) & (ref >= 0)
        n = int(both.sum())
        agree = float((values[both, j] == ref[both]).mean()) if n else float("nan")
        rows.append((n, agree, cohen_kappa(values[:, j], ref)))
    frame = pd.DataFrame(rows, columns=["n_items", "agreement", "kappa"], index=list(names))
    frame.index.name = "annotator"
    return frame
