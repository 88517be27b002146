"""Which rows a person should look at first: uncertainty, disagreement and diverse batches.

Use it right after a label model (or an end model) has given probabilities, to choose the
rows worth sending for review. Every score is one number per row, higher = more useful to
review, computed row by row with numpy, so scoring a table in chunks gives the same
numbers; :func:`select` and :func:`rank` sort by score with ties broken by a seeded key of
the row id (so the top ``k`` is always a prefix of the top ``k + 1``, whatever the chunking
or the batch size).

Scores of a probability table ``p`` of shape (n_rows, k):

- ``least_confidence``: ``1 - max_c p[c]``, in ``[0, 1 - 1/k]``;
- ``margin``: ``1 - (p_(1) - p_(2))``, one minus the gap between the two largest
  probabilities, in ``[0, 1]``;
- ``entropy``: ``-sum_c p[c] log p[c] / log k``, normalised to ``[0, 1]``.

Scores of a label matrix ``L`` (``-1`` = abstain):

- :func:`disagreement`: the vote entropy, ``-sum_c s[c] log s[c] / log k`` where ``s[c]``
  is the share of the row's votes for class ``c`` (``0`` when fewer than two sources
  vote), or with ``method="conflict"`` the share of votes against the plurality,
  ``1 - max_c s[c]``;
- :func:`no_votes`: ``1`` for a row no source voted on, else ``0``.

A diverse batch (``diverse=True``) takes the best row of each group in turn: groups are
k-means clusters of the given embeddings, else the distinct vote patterns of ``L``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from scipy.cluster.vq import kmeans2

from weaklabel.review._errors import Errors, ReviewError
from weaklabel.review._inputs import as_proba, as_votes, bad_argument, order, tie_keys

__all__ = [
    "STRATEGIES",
    "disagreement",
    "entropy",
    "least_confidence",
    "margin",
    "no_votes",
    "rank",
    "score",
    "select",
]

Strategy = Literal["least_confidence", "margin", "entropy", "disagreement", "no_vote", "random"]


def least_confidence(proba: Any) -> np.ndarray:
    """One minus the largest probability of each row.

    Parameters
    ----------
    proba : array-like of shape (n_rows, n_classes)
        Only the largest entry of a row counts: the model's confidence.

    Returns
    -------
    ndarray of shape (n_rows,)
        In ``[0, 1 - 1/n_classes]``; higher = less confident = more useful to review.
    """
    p = as_proba(proba)
    return 1.0 - p.max(axis=1)


def margin(proba: Any) -> np.ndarray:
    """One minus the gap between the two largest probabilities of each row.

    Parameters
    ----------
    proba : array-like of shape (n_rows, n_classes)
        Only the two largest entries of a row count.

    Returns
    -------
    ndarray of shape (n_rows,)
        In ``[0, 1]``; ``1`` for a tie between the top two classes.
    """
    p = np.sort(as_proba(proba), axis=1)
    return np.clip(1.0 - (p[:, -1] - p[:, -2]), 0.0, 1.0)


def entropy(proba: Any) -> np.ndarray:
    """The entropy of each row, divided by ``log(n_classes)``.

    Parameters
    ----------
    proba : array-like of shape (n_rows, n_classes)
        Every entry of a row counts.

    Returns
    -------
    ndarray of shape (n_rows,)
        In ``[0, 1]``; ``1`` for a uniform row.
    """
    p = as_proba(proba)
    return _entropy(p)


def _entropy(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return np.clip(-terms.sum(axis=1) / np.log(p.shape[1]), 0.0, 1.0) + 0.0  # no -0.0


def disagreement(L: Any, *, method: Literal["entropy", "conflict"] = "entropy") -> np.ndarray:
    """How much the sources that voted on each row disagree.

    Parameters
    ----------
    L : LabelMatrix or array-like of shape (n_rows, n_sources)
        Class ids, ``-1`` = abstain.
    method : {"entropy", "conflict"}, default "entropy"
        ``"entropy"``: the entropy of the row's vote shares divided by ``log k``;
        ``"conflict"``: the share of the row's votes that differ from its most voted
        class, ``1 - max_c s[c]``.

    Returns
    -------
    ndarray of shape (n_rows,)
        In ``[0, 1]`` (``"conflict"``: ``[0, 1 - 1/k]``); ``0`` when all votes agree and
        for rows with fewer than two votes.

    Examples
    --------
    >>> disagreement([[0, 1, -1], [1, 1, 1], [-1, -1, -1]]).round(2)
    array([1., 0., 0.])
    """
    if method not in ("entropy", "conflict"):
        raise bad_argument("disagreement", "method", "'entropy' or 'conflict'", method)
    votes, k, _ = as_votes(L)
    counts = np.stack([(votes == c).sum(axis=1) for c in range(k)], axis=1).astype(float)
    total = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, total, out=np.zeros_like(counts), where=total > 0)
    if method == "conflict":
        out = np.where(total[:, 0] > 0, 1.0 - shares.max(axis=1), 0.0)
    else:
        out = _entropy(shares)
    return out


def no_votes(L: Any) -> np.ndarray:
    """``1.0`` for each row on which no source voted, else ``0.0``.

    Parameters
    ----------
    L : LabelMatrix or array-like of shape (n_rows, n_sources)

    Returns
    -------
    ndarray of shape (n_rows,)
    """
    votes, _, _ = as_votes(L)
    return np.asarray((votes < 0).all(axis=1), dtype=np.float64)


_PROBA_SCORES: dict[str, Callable[[Any], np.ndarray]] = {
    "least_confidence": least_confidence,
    "margin": margin,
    "entropy": entropy,
}
STRATEGIES: tuple[str, ...] = (*_PROBA_SCORES, "disagreement", "no_vote", "random")
"""Every strategy :func:`select` and :func:`score` accept."""


def score(proba: Any = None, *, strategy: Strategy, L: Any = None, seed: int = 0) -> np.ndarray:
    """The score of every row under one strategy, higher = more useful to review.

    Parameters
    ----------
    proba : array-like of shape (n_rows, n_classes), optional
        Probabilities from any ``predict_proba``; needed by the uncertainty strategies.
    strategy : {"least_confidence", "margin", "entropy", "disagreement", "no_vote", \
"random"}
    L : LabelMatrix or array-like of shape (n_rows, n_sources), optional
        Votes; needed by ``"disagreement"`` and ``"no_vote"``.
    seed : int, default 0
        Seed of ``"random"`` (a uniform score in ``[0, 1)`` from the row id).

    Returns
    -------
    ndarray of shape (n_rows,)
    """
    if strategy in _PROBA_SCORES:
        if proba is None:
            raise ReviewError(Errors.E570.format(what="proba", shape=None))
        return _PROBA_SCORES[strategy](proba)
    if strategy in ("disagreement", "no_vote"):
        if L is None:
            raise ReviewError(Errors.E573.format(strategy=strategy))
        return disagreement(L) if strategy == "disagreement" else no_votes(L)
    if strategy == "random":
        n = _n_rows(proba, L)
        return np.asarray(tie_keys(np.arange(n), seed + 1) / np.float64(2**64), dtype=np.float64)
    raise ReviewError(Errors.E572.format(strategy=strategy, options=list(STRATEGIES)))


def _n_rows(proba: Any, L: Any) -> int:
    if proba is not None:
        return as_proba(proba).shape[0]
    if L is not None:
        return as_votes(L)[0].shape[0]
    raise ReviewError(Errors.E570.format(what="proba", shape=None))


def rank(
    scores: Any,
    *,
    k: int | None = None,
    seed: int = 0,
    groups: Any = None,
) -> np.ndarray:
    """Row indices by decreasing score, ties broken by a seeded key of the row id.

    Parameters
    ----------
    scores : array-like of shape (n_rows,)
    k : int, optional
        How many rows to return (default all).
    seed : int, default 0
    groups : array-like of shape (n_rows,), optional
        A group id per row (cluster, vote pattern). When given, the ranking takes the best
        remaining row of every group in turn: the first round holds each group's best row,
        in score order, then each group's second best, and so on.

    Returns
    -------
    ndarray of shape (min(k, n_rows),)
        Row indices, most useful first.
    """
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    ranked = order(s, seed)
    if groups is not None:
        g = np.asarray(groups).reshape(-1)
        if g.shape[0] != s.shape[0]:
            raise ReviewError(Errors.E574.format(what="groups", got=g.shape[0], n=s.shape[0]))
        _, ids = np.unique(g[ranked], return_inverse=True)
        ids = ids.reshape(-1)
        by_group = np.argsort(ids, kind="stable")  # grouped, each group in ranked order
        starts = np.searchsorted(ids[by_group], ids[by_group], side="left")
        place = np.empty(ranked.shape[0], dtype=np.int64)  # rank of a row inside its group
        place[by_group] = np.arange(ranked.shape[0]) - starts
        ranked = ranked[np.lexsort((np.arange(ranked.shape[0]), place))]
    return ranked if k is None else ranked[: max(int(k), 0)]


def select(
    proba: Any = None,
    *,
    strategy: Strategy,
    k: int,
    seed: int = 0,
    L: Any = None,
    diverse: bool = False,
    embeddings: Any = None,
    n_clusters: int = 10,
    exclude: Any = None,
) -> np.ndarray:
    """The ``k`` rows most useful to review, most useful first.

    Parameters
    ----------
    proba : array-like of shape (n_rows, n_classes), optional
        Probabilities from any ``predict_proba`` (a label model's or an end model's).
    strategy : {"least_confidence", "margin", "entropy", "disagreement", "no_vote", \
"random"}
        The score to rank by; see the module docstring for the formulas.
    k : int
        How many rows to return.
    seed : int, default 0
        Breaks ties (and seeds ``"random"`` and the k-means of ``diverse``).
    L : LabelMatrix or array-like of shape (n_rows, n_sources), optional
        Votes: needed by ``"disagreement"`` and ``"no_vote"``, and the vote patterns that
        ``diverse`` spreads over when no embeddings are given.
    diverse : bool, default False
        Spread the batch over groups of similar rows, taking each group's best row in
        turn: k-means clusters of ``embeddings`` when given, else the distinct vote
        patterns of ``L``.
    embeddings : array-like of shape (n_rows, n_dims), optional
    n_clusters : int, default 10
        Number of k-means clusters (fixed, so that the batch of ``k`` rows is a prefix of
        the batch of ``k + 1``).
    exclude : array-like of int or of bool of shape (n_rows,), optional
        Rows never to return: row indices or a mask, e.g. the rows already reviewed, or
        ``review.no_votes(L) > 0`` to leave out the rows no source voted on (the
        uncertainty strategies put them first, since the label model gives them a tie).

    Returns
    -------
    ndarray of shape (min(k, n_rows),)
        Row indices.

    Examples
    --------
    >>> select([[0.9, 0.1], [0.5, 0.5], [0.7, 0.3]], strategy="margin", k=2)
    array([1, 2])
    """
    scores = score(proba, strategy=strategy, L=L, seed=seed)
    groups = None
    if diverse:
        groups = _groups(
            scores.shape[0], L=L, embeddings=embeddings, n_clusters=n_clusters, seed=seed
        )
    ranked = rank(scores, seed=seed, groups=groups)
    if exclude is not None:
        ranked = ranked[~_mask(exclude, scores.shape[0])[ranked]]
    return ranked[: max(int(k), 0)]


def _mask(rows: Any, n: int) -> np.ndarray:
    """A boolean mask of shape (n,) from row indices or a mask."""
    arr = np.asarray(rows).reshape(-1)
    if arr.dtype == bool:
        if arr.shape[0] != n:
            raise ReviewError(Errors.E574.format(what="exclude", got=arr.shape[0], n=n))
        return arr
    mask = np.zeros(n, dtype=bool)
    mask[arr.astype(np.int64)] = True
    return mask


def _groups(n: int, *, L: Any, embeddings: Any, n_clusters: int, seed: int) -> np.ndarray:
    """Cluster ids of k-means on the embeddings, else ids of the distinct vote patterns."""
    if embeddings is not None:
        x = np.asarray(embeddings, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] != n:
            raise ReviewError(Errors.E574.format(what="embeddings", got=x.shape, n=n))
        clusters = max(1, min(int(n_clusters), n))
        if clusters == 1:
            return np.zeros(n, dtype=np.int64)
        _, labels = kmeans2(x, clusters, seed=seed, minit="++")
        return np.asarray(labels, dtype=np.int64)
    if L is None:
        raise ReviewError(Errors.E573.format(strategy="diverse (without embeddings)"))
    votes, _, _ = as_votes(L)
    if votes.shape[0] != n:
        raise ReviewError(Errors.E574.format(what="L", got=votes.shape[0], n=n))
    small = votes.astype(np.int8) if votes.max(initial=-1) < 127 else votes
    rows = np.ascontiguousarray(small)  # each row as one opaque item: np.unique sorts rows
    _, inverse = np.unique(
        rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1])))[:, 0],
        return_inverse=True,
    )
    return np.asarray(inverse, dtype=np.int64).reshape(-1)
