"""Shared pieces of the symmetric-accuracy models (weighted vote, triplet, LabelModel).

Internal. In the symmetric ("one-coin") model each source ``j`` has one accuracy ``a_j``:
when it votes, it votes the true class with probability ``a_j`` and each other class with
probability ``(1 - a_j) / (k - 1)``; whether it votes does not depend on the class. The
posterior of a row is then a weighted vote: each vote for ``c`` adds
``log(a_j (k - 1) / (1 - a_j))`` to class ``c``.

Two sources that vote on the same row agree with probability
``a_i a_j + (1 - a_i)(1 - a_j) / (k - 1)``, whatever the class balance; the pairwise
agreement counts of :meth:`VoteData.agreement` are therefore sufficient statistics for the
accuracies, under a pairwise composite likelihood.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

_EDGE = 1e-4  # accuracies stay in [1/k + _EDGE, 1 - _EDGE]


def accuracy_bounds(k: int) -> tuple[float, float]:
    """Smallest and largest accuracy a fitted source may get (better than random)."""
    return 1.0 / k + _EDGE, 1.0 - _EDGE


def log_odds_weights(accuracies: np.ndarray, k: int) -> np.ndarray:
    """Weight of each source's vote: ``log(a (k - 1) / (1 - a))``, 0 for ``a = 1/k``.

    Parameters
    ----------
    accuracies : ndarray of shape (n_sources,)
    k : int

    Returns
    -------
    ndarray of shape (n_sources,)
    """
    low, high = 1.0 / k, 1.0 - _EDGE
    a = np.clip(accuracies, low, high)
    return np.log(a * (k - 1)) - np.log1p(-a)


def agreement_rates(both: np.ndarray, agree: np.ndarray) -> np.ndarray:
    """Agreement rate of every pair of sources on the rows where both voted (nan if none)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(both > 0, agree / np.maximum(both, 1), np.nan)


def duplicate_groups(both: np.ndarray, agree: np.ndarray, threshold: float) -> np.ndarray:
    """Group sources that behave as copies of each other.

    Two sources are copies when they vote on nearly the same rows (Jaccard index of their
    covered rows at least ``threshold``) and agree on nearly all of them (rate at least
    ``threshold``). Groups are the connected components of that relation.

    Parameters
    ----------
    both, agree : ndarray of shape (n_sources, n_sources)
        Counts from :meth:`VoteData.agreement`.
    threshold : float
        In ``(0, 1]``; above 1 nothing is a copy.

    Returns
    -------
    ndarray of shape (n_sources,), dtype int64
        Group id of each source (the smallest index in its group).
    """
    m = both.shape[0]
    votes = np.diag(both).astype(np.float64)
    union = votes[:, None] + votes[None, :] - both
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union > 0, both / np.maximum(union, 1), 0.0)
        rate = np.where(both > 0, agree / np.maximum(both, 1), 0.0)
    linked = (jaccard >= threshold) & (rate >= threshold) & (both > 0)
    np.fill_diagonal(linked, False)
    group = np.arange(m)
    for i, j in zip(*np.nonzero(np.triu(linked)), strict=True):  # union-find, few links
        root_i, root_j = group[i], group[j]
        while group[root_i] != root_i:
            root_i = group[root_i]
        while group[root_j] != root_j:
            root_j = group[root_j]
        if root_i != root_j:
            group[max(root_i, root_j)] = min(root_i, root_j)
    for j in range(m):
        root = j
        while group[root] != root:
            root = group[root]
        group[j] = root
    return group.astype(np.int64)


def fit_pairwise_accuracies(
    both: np.ndarray,
    agree: np.ndarray,
    k: int,
    *,
    prior_mean: float,
    prior_strength: float,
    dev_correct: np.ndarray | None = None,
    dev_votes: np.ndarray | None = None,
    exclude: np.ndarray | None = None,
) -> tuple[np.ndarray, int]:
    """MAP accuracies under the pairwise composite likelihood and a Beta prior.

    Maximises ``sum_{i<j} [A_ij log p_ij + D_ij log(1 - p_ij)] + sum_j log Beta(a_j)``
    with ``p_ij = a_i a_j + (1 - a_i)(1 - a_j)/(k - 1)``, ``A`` the agreements and ``D``
    the disagreements, over ``a_j`` in ``(1/k, 1)``: every source is assumed better than
    random, which is what makes the accuracies identifiable (flipping every source gives
    the same agreements). The Beta prior has mode ``prior_mean`` and ``prior_strength``
    pseudo-votes; gold-labelled votes (``dev_correct`` of ``dev_votes``) add a binomial
    likelihood.

    Parameters
    ----------
    both, agree : ndarray of shape (n_sources, n_sources)
    k : int
    prior_mean : float
    prior_strength : float
    dev_correct, dev_votes : ndarray of shape (n_sources,), optional
    exclude : ndarray of shape (n_sources, n_sources) of bool, optional
        Pairs left out of the likelihood (copies of each other).

    Returns
    -------
    accuracies : ndarray of shape (n_sources,)
    n_iter : int
        Iterations of L-BFGS-B.
    """
    m = both.shape[0]
    A = agree.astype(np.float64)
    D = (both - agree).astype(np.float64)
    np.fill_diagonal(A, 0.0)
    np.fill_diagonal(D, 0.0)
    if exclude is not None:
        A[exclude] = 0.0
        D[exclude] = 0.0
    dev_c = np.zeros(m) if dev_correct is None else dev_correct.astype(np.float64)
    dev_w = np.zeros(m) if dev_votes is None else (dev_votes - dev_correct).astype(np.float64)
    alpha = prior_strength * prior_mean
    beta = prior_strength * (1.0 - prior_mean)
    scale = max(float(A.sum() + D.sum()) / 2 + float(dev_c.sum() + dev_w.sum()), 1.0)
    inv = 1.0 / (k - 1)

    def objective(a: np.ndarray) -> tuple[float, np.ndarray]:
        p = np.outer(a, a) + np.outer(1.0 - a, 1.0 - a) * inv
        np.clip(p, 1e-12, 1.0 - 1e-12, out=p)
        value = 0.5 * float((A * np.log(p) + D * np.log1p(-p)).sum())
        slope = A / p - D / (1.0 - p)
        grad = slope @ a - (slope @ (1.0 - a)) * inv
        value += float((alpha + dev_c) @ np.log(a) + (beta + dev_w) @ np.log1p(-a))
        grad += (alpha + dev_c) / a - (beta + dev_w) / (1.0 - a)
        return -value / scale, -grad / scale

    low, high = accuracy_bounds(k)
    start = np.full(m, min(max(prior_mean, low), high))
    result = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(low, high)] * m,
        options={"maxiter": 500, "ftol": 1e-12, "gtol": 1e-9},
    )
    return np.clip(result.x, low, high), int(result.nit)
