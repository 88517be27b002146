"""What stood behind a :class:`~weaklabel.models.LabelModel` fit, and when to warn about it.

Internal to :mod:`weaklabel.models.label_model`: :func:`fit_diagnostics` measures a fit
against the majority vote (per-class shares, the share of vote weight each source holds,
which weights the data rather than the prior set) and writes the warnings ``fit`` raises;
:func:`diagnostics_frame` turns that record into the table ``LabelModel.diagnose``
returns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from weaklabel.models._anchored import AnchoredFit
from weaklabel.models._data import VoteData
from weaklabel.models._errors import Errors

__all__ = ["diagnostics_frame", "fit_diagnostics"]

_MIN_ROWS_TO_WARN = 50
"""Fewer rows with votes than this, and ``fit`` does not warn about a degenerate fit."""


def fit_diagnostics(
    rows: np.ndarray,
    counts: np.ndarray,
    fit: AnchoredFit,
    data: VoteData,
    *,
    class_prior: np.ndarray,
    weights: np.ndarray,
    prior_strength: float,
) -> dict[str, Any]:
    """Measure a fit on its distinct vote rows and collect the warnings it deserves.

    Parameters
    ----------
    rows : ndarray of shape (n_patterns, n_sources)
        The distinct vote rows the fit saw.
    counts : ndarray of shape (n_patterns,)
        How many examples each row stands for.
    fit : AnchoredFit
        The fit (its one-hot hits, evidence, convergence).
    data : VoteData
        The training votes (for the source and label names).
    class_prior : ndarray of shape (k,)
    weights : ndarray of shape (n_sources, k)
        The fitted vote weights.
    prior_strength : float
        Votes of evidence above which a weight counts as set by the data.

    Returns
    -------
    dict
        ``votes`` (n_sources, k), ``evidence``, ``identifiable``, the model-level shares
        and the ``warnings`` (W100, W101) as messages.
    """
    k, m = weights.shape[1], weights.shape[0]
    names = data.names()
    hits = fit.hits
    votes = np.stack([hits[c] @ np.ones(m) for c in range(k)], axis=1)  # (P, k)
    covered = votes.sum(axis=1) > 0
    weight = counts * covered
    n_covered = float(weight.sum())
    top = votes.max(axis=1, keepdims=True)
    mv_tied = (votes == top).sum(axis=1) > 1
    mv_class = votes.argmax(axis=1)
    scores = np.tile(np.log(class_prior), (rows.shape[0], 1))
    for c in range(k):
        scores[:, c] += hits[c] @ weights[:, c]
    model_class = scores.argmax(axis=1)
    decided = covered & ~mv_tied
    departure = float((counts * decided * (model_class != mv_class)).sum()) / max(
        float((counts * decided).sum()), 1.0
    )
    predicted = np.bincount(model_class, weights=weight, minlength=k) / max(n_covered, 1.0)
    mv_counts = np.bincount(mv_class, weights=counts * decided, minlength=k).astype(float)
    by_mv = mv_counts / max(float(mv_counts.sum()), 1.0)
    votes_per_source = np.stack([hits[c].T @ counts for c in range(k)], axis=1)  # (m, k)
    mass = (votes_per_source * weights).sum(axis=1)
    weight_share = mass / max(float(mass.sum()), 1e-12)
    voted = votes_per_source > 0
    identifiable = (fit.evidence >= max(prior_strength, 1.0)) & voted
    n_votes = float(votes_per_source.sum())
    identified_share = float(votes_per_source[identifiable].sum()) / max(n_votes, 1.0)
    label = data.label_names or tuple(str(c) for c in range(k))
    messages: list[str] = []
    enough = n_covered >= _MIN_ROWS_TO_WARN  # a handful of rows proves nothing
    for c in range(k):
        if enough and by_mv[c] >= 0.01 and predicted[c] == 0.0:
            messages.append(Errors.W100.format(label=label[c], share=by_mv[c]))
    # A source "holds" the labels when it carries most of the vote mass *and* each of
    # its votes outweighs a typical other vote by far (a broad source of ordinary
    # weight that merely votes everywhere is not flagged).
    strongest = int(np.argmax(weight_share)) if m else 0
    per_vote = mass / np.maximum(votes_per_source.sum(axis=1), 1e-12)
    others = np.delete(np.arange(m), strongest)
    other_votes = votes_per_source[others].sum(axis=1)
    typical = float((per_vote[others] * other_votes).sum()) / max(float(other_votes.sum()), 1e-12)
    dominant = weight_share[strongest] > 0.5 and per_vote[strongest] > 2.0 * typical
    if enough and m >= 3 and dominant:
        messages.append(Errors.W101.format(source=names[strongest], share=weight_share[strongest]))
    return {
        "votes": votes_per_source,
        "evidence": fit.evidence,
        "identifiable": identifiable,
        "identified_vote_share": identified_share,
        "departure_from_majority_vote": departure,
        "predicted_share": predicted,
        "majority_vote_share": by_mv,
        "weight_share": weight_share,
        "converged": bool(fit.converged),
        "n_iter": int(fit.n_iter),
        "warnings": messages,
        "source_names": names,
        "label_names": label,
    }


def diagnostics_frame(info: dict[str, Any], accuracies: np.ndarray, weights: np.ndarray) -> Any:
    """The table of :meth:`LabelModel.diagnose` from a :func:`fit_diagnostics` record.

    Parameters
    ----------
    info : dict
        What :func:`fit_diagnostics` returned.
    accuracies, weights : ndarray of shape (n_sources, k)
        The fitted precisions and weights.

    Returns
    -------
    pandas.DataFrame
        One row per source and class it votes for; ``attrs`` holds the model-level
        figures and the warnings.
    """
    import pandas as pd

    m, k = weights.shape
    names, label = info["source_names"], info["label_names"]
    records = []
    for j in range(m):
        for c in range(k):
            if info["votes"][j, c] == 0:
                continue
            records.append(
                {
                    "source": names[j],
                    "class": label[c],
                    "votes": float(info["votes"][j, c]),
                    "precision": float(accuracies[j, c]),
                    "weight": float(weights[j, c]),
                    "evidence": float(info["evidence"][j, c]),
                    "identifiable": bool(info["identifiable"][j, c]),
                    "weight_share": float(info["weight_share"][j]),
                }
            )
    frame = pd.DataFrame.from_records(
        records,
        columns=[
            "source",
            "class",
            "votes",
            "precision",
            "weight",
            "evidence",
            "identifiable",
            "weight_share",
        ],
    )
    frame.attrs.update(
        {
            key: value
            for key, value in info.items()
            if key not in ("votes", "evidence", "identifiable")
        }
    )
    return frame
