"""Which weak labels are probably wrong: cleanlab on out-of-fold probabilities of an end model.

Use it after a label model has labelled the training set and before training on it: the
rows at the top of :func:`label_issues` are the ones where a model trained on the *other*
rows disagrees most confidently with the weak label -- the first rows a reviewer should
check or a pipeline should drop.

How: an end model (TF-IDF + logistic regression by default, any scikit-learn classifier
with ``predict_proba`` accepted) is fitted in ``cv`` stratified folds on the labelled rows,
so every row gets probabilities from a model that never saw its label. cleanlab scores each
label by its self-confidence (the out-of-fold probability of the given label; the
suspicion ``score`` is one minus it) and flags the rows its confident learning counts as
label errors (``cleanlab.filter.find_label_issues``, pruned by noise rate). Rows whose label
is ``-1`` (the label model abstained) are skipped.

Needs ``pip install "weaklabel[review]"`` (cleanlab and scikit-learn).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from weaklabel.review._errors import Errors, ReviewError
from weaklabel.review._inputs import as_proba, as_votes, class_names, missing_package, order

__all__ = ["default_end_model", "label_issues", "out_of_fold_proba"]

_MISSING = missing_package("label_issues", "cleanlab and scikit-learn", plural=True)


def default_end_model(seed: int = 0) -> Any:
    """The default end model: word TF-IDF + logistic regression (``C=10``).

    Chosen on WRENCH youtube: as precise at the top of the ranking as word + bigram
    features (precision at 50: 0.66 against 0.56-0.66) at a sixth of the time.

    Parameters
    ----------
    seed : int, default 0

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted; fits on a list of strings.
    """
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
        from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]
    except ImportError as error:  # pragma: no cover - the review extra installs it
        raise ImportError(_MISSING) from error
    return make_pipeline(
        TfidfVectorizer(sublinear_tf=True),
        LogisticRegression(C=10.0, max_iter=2000, random_state=seed),
    )


def out_of_fold_proba(
    texts: Sequence[Any], labels: Any, *, k: int, model: Any = None, cv: int = 5, seed: int = 0
) -> np.ndarray:
    """Out-of-fold class probabilities of an end model on labelled rows.

    Parameters
    ----------
    texts : sequence of length n
        The model's inputs (strings for the default model).
    labels : array-like of shape (n,)
        Class ids ``>= 0``.
    k : int
        Number of classes (columns of the result).
    model : scikit-learn classifier, optional
        Cloned for every fold (default :func:`default_end_model`).
    cv : int, default 5
        Folds; lowered to the size of the smallest class when that is smaller.
    seed : int, default 0
        Seeds the fold split.

    Returns
    -------
    ndarray of shape (n, k)
    """
    try:
        from sklearn.base import clone  # type: ignore[import-untyped]
        from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]
    except ImportError as error:  # pragma: no cover
        raise ImportError(_MISSING) from error
    y = np.asarray(labels, dtype=np.int64)
    base = default_end_model(seed) if model is None else model
    if not hasattr(base, "predict_proba"):
        raise ReviewError(Errors.E584.format(model=type(base).__name__))
    counts = np.bincount(y, minlength=k)
    present = counts[counts > 0]
    if present.size < 2 or present.min() < 2:
        raise ReviewError(Errors.E582.format(counts=counts.tolist()))
    folds = StratifiedKFold(n_splits=int(min(cv, present.min())), shuffle=True, random_state=seed)
    items = np.asarray(list(texts), dtype=object)
    out = np.zeros((y.shape[0], k), dtype=np.float64)
    for train, test in folds.split(np.zeros(y.shape[0]), y):
        fitted = clone(base).fit(_subset(texts, items, train), y[train])
        proba = fitted.predict_proba(_subset(texts, items, test))
        out[np.ix_(test, np.asarray(fitted.classes_, dtype=np.int64))] = proba
    return out


def _subset(texts: Any, items: np.ndarray, rows: np.ndarray) -> Any:
    """Rows of the input in the form the model takes (list of strings, array, frame)."""
    if hasattr(texts, "iloc"):
        return texts.iloc[rows]
    if isinstance(texts, np.ndarray):
        return texts[rows]
    return items[rows].tolist()


def label_issues(
    texts: Sequence[Any],
    labels: Any,
    *,
    seed: int = 0,
    model: Any = None,
    proba: Any = None,
    L: Any = None,
    label_names: Sequence[str] | None = None,
    cv: int = 5,
) -> pd.DataFrame:
    """Rank the weak labels by how likely they are wrong, most suspect first.

    Parameters
    ----------
    texts : sequence of str of length n
        The rows (the end model's input).
    labels : array-like of shape (n,)
        The weak labels to check (e.g. ``LabelModel.predict``), ``-1`` = none (skipped).
    seed : int, default 0
        Seeds the folds and the end model; breaks ties in the ranking.
    model : scikit-learn classifier, optional
        The end model whose out-of-fold probabilities judge the labels (default TF-IDF +
        logistic regression, :func:`default_end_model`).
    proba : array-like of shape (n, n_classes), optional
        Out-of-fold probabilities you computed yourself; no model is fitted then.
    L : LabelMatrix or array-like of shape (n, n_sources), optional
        The sources' votes, shown in the ``sources`` column.
    label_names : sequence of str, optional
        Class names for the ``given`` and ``suggested`` columns (default: from ``L``, else
        the ids as strings).
    cv : int, default 5
        Number of folds.

    Returns
    -------
    DataFrame of shape (n_labelled, 7)
        One row per labelled input row, most suspect first, with columns ``row``
        (position in the input), ``text``, ``given`` (the weak label), ``suggested`` (the
        end model's most probable class), ``score`` (``1 -`` the out-of-fold probability of
        the given label: higher = more suspect), ``issue`` (flagged by
        ``cleanlab.filter.find_label_issues``) and ``sources`` (``"source=label"`` for
        every source that voted, empty without ``L``).
    """
    try:
        from cleanlab.filter import find_label_issues  # type: ignore[import-untyped]
        from cleanlab.rank import get_label_quality_scores  # type: ignore[import-untyped]
    except ImportError as error:  # pragma: no cover - the review extra installs it
        raise ImportError(_MISSING) from error
    items = list(texts)
    given = np.asarray(labels).reshape(-1).astype(np.int64)
    if given.shape[0] != len(items):
        raise ReviewError(Errors.E581.format(n_texts=len(items), n_labels=given.shape[0]))
    votes, k_votes, sources = (None, 2, None) if L is None else as_votes(L)
    k = max(int(given.max(initial=-1)) + 1, k_votes, len(label_names or ()))
    if proba is not None:
        probs = as_proba(proba)
        if probs.shape[0] != len(items):
            raise ReviewError(Errors.E583.format(got=probs.shape[0], n=len(items)))
        k = max(k, probs.shape[1])
        probs = np.pad(probs, ((0, 0), (0, k - probs.shape[1])))
    rows = np.flatnonzero(given >= 0)
    y = given[rows]
    if proba is None:
        subset = texts.iloc[rows] if hasattr(texts, "iloc") else [items[i] for i in rows]
        probs_rows = out_of_fold_proba(subset, y, k=k, model=model, cv=cv, seed=seed)
    else:
        probs_rows = probs[rows]
    quality = get_label_quality_scores(y, probs_rows, method="self_confidence")
    flagged = np.zeros(rows.shape[0], dtype=bool)
    if np.unique(y).size >= 2:
        flagged[find_label_issues(y, probs_rows, filter_by="prune_by_noise_rate")] = True
    suspicion = 1.0 - np.asarray(quality, dtype=np.float64)
    ranked = order(suspicion, seed, rows=rows)
    names = class_names(label_names, L, k)
    frame = pd.DataFrame(
        {
            "row": rows[ranked],
            "text": [items[i] for i in rows[ranked]],
            "given": [names[c] for c in y[ranked]],
            "suggested": [names[c] for c in probs_rows[ranked].argmax(axis=1)],
            "score": suspicion[ranked],
            "issue": flagged[ranked],
            "sources": _voters(votes, sources, names, rows[ranked]),
        }
    )
    return frame.reset_index(drop=True)


def _voters(
    votes: np.ndarray | None,
    sources: tuple[str, ...] | None,
    names: tuple[str, ...],
    rows: np.ndarray,
) -> list[str]:
    """``"source=label, ..."`` for the sources that voted on each row."""
    if votes is None:
        return [""] * rows.shape[0]
    source_names = sources or tuple(f"source_{j}" for j in range(votes.shape[1]))
    out = []
    for row in votes[rows]:
        out.append(
            ", ".join(
                f"{source_names[j]}={names[v] if v < len(names) else v}"
                for j, v in enumerate(row.tolist())
                if v >= 0
            )
        )
    return out
