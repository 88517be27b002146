"""Anchored EM for :class:`~weaklabel.models.LabelModel`: precisions shrunk by their evidence.

Internal. The model is a weighted vote. Each source ``j`` has, for each class ``c`` it votes
for, a *precision* ``p[j, c]``: the probability that the row really is ``c`` when ``j`` votes
``c``. With a class balance ``pi``, a vote of ``j`` for ``c`` is worth the log likelihood
ratio

    ``w[j, c] = logit(p[j, c]) - logit(pi[c])``

(a precision no better than the base rate is worth almost nothing: ``MIN_WEIGHT``), and a
row's score for class ``c`` is ``log prior[c] + sum of w[j, c]`` over the sources that voted
``c``. For ``k`` balanced classes this is the familiar ``log(a (k - 1) / (1 - a))`` weight.

The precisions are fitted by a few EM steps from a majority-vote start, and each has a
Beta prior with mean ``p0[c] = sigmoid(logit(pi[c]) + w)``, where ``w`` is the
evidence-weighted mean weight of all sources (itself held at the typical weight from
``prior_accuracy``), worth ``prior_strength`` votes. The data that move a precision away
from its prior are the votes a source casts on rows where *another* source also voted
(its "evidence"): a vote nobody else saw confirms itself under EM and carries no
information about the source, so a source that never overlaps keeps the prior weight and
the model stays a majority vote there, while a source with thousands of overlaps is fitted
by the data. Because precisions are per class, a two-sided source that is reliable for one
class and noise for the other (a sentiment lexicon used as a spam source) gets two
weights, and a broad noisy source cannot buy weight by overlapping with everything: its
precision is measured against the other sources' votes, not its agreement with them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_EDGE = 1e-4  # precisions stay in [_EDGE, 1 - _EDGE]
MIN_WEIGHT = 1e-3
"""The least a vote is worth: a row voted by one class always goes to that class, and when
every precision is at or below its base rate the model is the majority vote."""


def logit(p: np.ndarray) -> np.ndarray:
    """``log(p / (1 - p))`` elementwise."""
    return np.log(p) - np.log1p(-p)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def typical_weight(prior_accuracy: float, k: int) -> float:
    """Weight of a source of accuracy ``prior_accuracy`` among ``k`` balanced classes."""
    return float(np.log(prior_accuracy * (k - 1)) - np.log1p(-prior_accuracy))


@dataclass(frozen=True)
class AnchoredFit:
    """What :func:`fit_anchored` estimates.

    Attributes
    ----------
    precisions : ndarray of shape (n_sources, k)
        ``P(y = c | source j votes c)``; the prior mean where the source never votes ``c``.
    weights : ndarray of shape (n_sources, k)
        Log likelihood ratio of a vote of ``j`` for ``c`` (at least ``MIN_WEIGHT``),
        shared among copies.
    balance : ndarray of shape (k,)
        The class balance the weights are relative to (estimated, or the one given).
    evidence : ndarray of shape (n_sources, k)
        Votes of ``j`` for ``c`` on rows where another source voted too (plus dev votes).
    posterior : ndarray of shape (n_patterns, k)
        Fitted posterior of each vote pattern.
    hits : list of k scipy.sparse matrices of shape (n_patterns, n_sources)
        ``[rows == c]`` for each class, as used by the fit.
    n_iter : int
    converged : bool
    """

    precisions: np.ndarray
    weights: np.ndarray
    balance: np.ndarray
    evidence: np.ndarray
    posterior: np.ndarray
    hits: list[sp.csc_matrix]
    n_iter: int
    converged: bool


def one_hot_columns(rows: np.ndarray, k: int) -> list[sp.csc_matrix]:
    """Sparse indicators ``[rows == c]`` for each class ``c``.

    Parameters
    ----------
    rows : ndarray of shape (n_patterns, n_sources)
    k : int

    Returns
    -------
    list of k scipy.sparse matrices of shape (n_patterns, n_sources), float64
    """
    n, m = rows.shape
    r, j = np.nonzero(rows >= 0)  # one pass over the matrix, then split by class
    voted = rows[r, j]
    out = []
    for c in range(k):
        pick = voted == c
        out.append(
            sp.csc_matrix(
                (np.ones(int(pick.sum())), (r[pick], j[pick])), shape=(n, m), dtype=np.float64
            )
        )
    return out


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores


def fit_anchored(
    rows: np.ndarray,
    counts: np.ndarray,
    k: int,
    *,
    prior_accuracy: float,
    prior_strength: float,
    class_prior: np.ndarray | None = None,
    share: np.ndarray | None = None,
    groups: np.ndarray | None = None,
    dev_correct: np.ndarray | None = None,
    dev_votes: np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 1e-5,
    pooled: bool = True,
) -> AnchoredFit:
    """Fit the per-class precisions of every source by anchored EM.

    Parameters
    ----------
    rows : ndarray of shape (n_patterns, n_sources)
        Distinct vote patterns (``-1`` = abstain).
    counts : ndarray of shape (n_patterns,)
        How many rows each pattern stands for (may be fractional for a sample).
    k : int
        Number of classes.
    prior_accuracy : float
        Accuracy of the typical source among balanced classes, in ``(1/k, 1)``.
    prior_strength : float
        Weight of the prior of each precision, in votes.
    class_prior : ndarray of shape (k,), optional
        A known class balance; estimated from the covered rows otherwise.
    share : ndarray of shape (n_sources,), optional
        Multiplier of each source's weight (``1 / size`` of its group of copies).
    groups : ndarray of shape (n_sources,), optional
        Group of copies of each source: a row counts as evidence about a source only when
        a source outside its group voted too (copies cannot vouch for each other).
    dev_correct, dev_votes : ndarray of shape (n_sources, k), optional
        Gold-labelled evidence: votes of ``j`` for ``c`` on dev rows, and how many were right.
    max_iter : int
    tol : float
        Stop when no weight moves by more than this.

    Returns
    -------
    AnchoredFit
    """
    n_patterns, m = rows.shape
    counts = np.asarray(counts, dtype=np.float64)
    share = np.ones(m) if share is None else share
    hits = one_hot_columns(rows, k)
    fired = rows >= 0
    covered = fired.any(axis=1)
    if groups is None or len(np.unique(groups)) == m:
        n_voters = fired.sum(axis=1)
    else:  # distinct groups of copies that voted on the row
        _, group_index = np.unique(groups, return_inverse=True)
        member = np.zeros((m, int(group_index.max()) + 1 if m else 0))
        member[np.arange(m), group_index] = 1.0
        n_voters = ((fired.astype(np.float64) @ member) > 0).sum(axis=1)
    overlap_weight = counts * (n_voters >= 2)
    evidence = np.stack([hits[c].T @ overlap_weight for c in range(k)], axis=1)
    correct_dev = np.zeros((m, k)) if dev_correct is None else dev_correct.astype(np.float64)
    votes_dev = np.zeros((m, k)) if dev_votes is None else dev_votes.astype(np.float64)
    w0 = typical_weight(prior_accuracy, k)
    alpha = float(prior_strength)

    # Majority-vote start: each row's posterior is its share of the votes.
    posterior = np.stack([hits[c] @ share for c in range(k)], axis=1)  # copies count once
    posterior[~covered] = 1.0
    posterior /= posterior.sum(axis=1, keepdims=True)

    covered_counts = counts * covered
    n_covered = covered_counts.sum()
    balance_strength = 10.0 * k  # pseudo-rows pulling an estimated balance to uniform
    weights = np.full((m, k), w0)
    balance = np.full(k, 1.0 / k) if class_prior is None else np.asarray(class_prior, float)
    precisions = np.full((m, k), _sigmoid(np.full(k, w0) - np.log(k - 1.0)))
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - n_iter is reported
        if class_prior is None:
            balance = (covered_counts @ posterior + balance_strength / k) / (
                n_covered + balance_strength
            )
        balance = np.clip(balance, _EDGE, 1.0)
        balance = balance / balance.sum()
        # Empirical Bayes: the typical weight is the evidence-weighted mean of the fitted
        # weights, itself held at w0 by prior_strength votes. Unassessable sources then
        # weigh as much as the assessed ones do on average, not less: otherwise the one
        # broad source that overlaps with everything is the only one to rise above w0.
        if pooled:
            raw = np.maximum(logit(precisions) - logit(balance)[None, :], 0.0)
            counted = evidence * share[:, None]  # a group of copies counts once
            typical = (float((counted * raw).sum()) + alpha * w0) / (float(counted.sum()) + alpha)
        else:
            typical = w0
        prior_mean = _sigmoid(logit(balance) + typical)[None, :]
        right = np.stack([hits[c].T @ (overlap_weight * posterior[:, c]) for c in range(k)], axis=1)
        precisions = (right + correct_dev + alpha * prior_mean) / (evidence + votes_dev + alpha)
        precisions = np.clip(precisions, _EDGE, 1.0 - _EDGE)
        lift = logit(precisions) - logit(balance)[None, :]
        new_weights = np.maximum(lift, MIN_WEIGHT) * share[:, None]
        scores = np.tile(np.log(balance), (n_patterns, 1))
        for c in range(k):
            scores[:, c] += hits[c] @ new_weights[:, c]
        posterior = _softmax(scores)
        moved = float(np.max(np.abs(new_weights - weights))) if m else 0.0
        weights = new_weights
        if moved < tol:
            converged = True
            break
    return AnchoredFit(
        precisions=precisions,
        weights=weights,
        balance=balance,
        evidence=evidence + votes_dev,
        posterior=posterior,
        hits=hits,
        n_iter=n_iter,
        converged=converged,
    )
