"""Matrix completion (MeTaL / Snorkel's label model) fitted on counted second moments.

Use :class:`MatrixCompletion` to reproduce the label model of Snorkel 0.9+ (Ratner et al.,
"Training Complex Models with Multi-Task Weak Supervision", AAAI 2019) without torch: it
learns ``P(source j votes a | class y)`` for every source, vote and class, so it can
represent sources that are good on one class and poor on another. With conditionally
independent sources the second-moment matrix of the one-hot votes factors as
``O = mu diag(p) mu^T`` off the diagonal blocks (``p`` the class balance), and ``mu`` is
recovered by least squares on those blocks (L-BFGS-B, entries in ``[0, 1]``), from a
Snorkel-like start where each vote is right with probability ``prec_init``.

``O`` is counted exactly (``n_sources * k`` squared integers) block by block, never built
from a dense ``n x (m * k)`` one-hot matrix, so the fit costs the same for 1M rows as for
10k once the counts are made, and works on ``LabelStats``, merged partitions and
``partial_fit``. Like Snorkel 0.10 it does not learn the class balance: give
``class_prior=`` when you know it (default uniform). Predictions are Snorkel's: the class
prior times ``mu`` of each vote cast (abstains carry no evidence).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from scipy.optimize import minimize

from weaklabel.models._data import VoteData
from weaklabel.models._fields import Field, array, count, probabilities
from weaklabel.models._params import is_count, is_finite_number
from weaklabel.models._scoring import softmax_rows, table_scores
from weaklabel.models._vote import ClassificationParams, resolve_class_prior
from weaklabel.models.base import BaseLabelModel, check_params


@dataclass(eq=False, repr=False, kw_only=True)
class MatrixCompletion(ClassificationParams, BaseLabelModel):
    """MeTaL: ``P(vote | class)`` per source from the off-diagonal second moments.

    Parameters
    ----------
    cardinality : int or None, default None
    seed : int, default 0
        Seed of the tie-breaking (the fit is deterministic).
    tie_break : {"index", "random", "abstain"}, default "index"
    class_prior : array-like of shape (k,), optional
        Class balance ``p``; default uniform, as in Snorkel 0.10.
    prec_init : float, default 0.7
        Starting probability that a vote is right, as Snorkel's ``prec_init``.
    l2 : float, default 0.0
        Strength of an L2 pull toward the starting point (Snorkel's ``l2``).
    max_iter : int, default 500
        Iterations of L-BFGS-B.

    Attributes
    ----------
    cardinality_ : int
    n_sources_ : int
    class_prior_ : ndarray of shape (k,)
    vote_given_class_ : ndarray of shape (n_sources, k, k)
        ``vote_given_class_[j, a, y]``: estimated probability that source ``j`` votes
        ``a`` when the class is ``y`` (the rest of the mass is abstaining).
    n_iter_ : int

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[0, 0, 1], [1, 1, 1], [0, 0, 0], [1, 1, 0]] * 10)
    >>> MatrixCompletion().fit(L).predict(L[:4])
    array([0, 1, 0, 1])
    """

    _statistics: ClassVar[tuple[str, ...]] = ("cooccurrence",)
    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        *BaseLabelModel._fitted_attributes,
        "vote_given_class_",
        "n_iter_",
    )
    _fitted_fields: ClassVar[dict[str, Field]] = {
        "class_prior_": probabilities(
            "k",
            derived=lambda m: resolve_class_prior(m.class_prior, m.cardinality_),
            sources=("class_prior",),
        ),
        "vote_given_class_": array("m", "k", "k", low=0.0, high=1.0),
        "n_iter_": count(),
    }

    class_prior: Any = None
    prec_init: float = 0.7
    l2: float = 0.0
    max_iter: int = 500

    def _validate_params(self) -> None:
        super()._validate_params()
        prec, l2, n = self.prec_init, self.l2, self.max_iter
        check_params(
            [
                ("prec_init", prec, is_finite_number(prec) and 0 < prec < 1, "a number in (0, 1)"),
                ("l2", l2, is_finite_number(l2) and l2 >= 0, "a number >= 0"),
                ("max_iter", n, is_count(n, 1), "an integer >= 1"),
            ],
            owner=type(self).__name__,
        )

    def _fit(self, data: VoteData) -> None:
        k, m = self.cardinality_, self.n_sources_
        n = float(data.n_examples)
        p = resolve_class_prior(self.class_prior, k)
        # Fit in a canonical order of the sources, so that their order in L changes nothing:
        # the least-squares problem has flat directions, and L-BFGS-B stops at different
        # points of them when the variables come in another order.
        order = canonical_source_order(data.cooccurrence(k), m, k)
        index = (order[:, None] * k + np.arange(k)[None, :]).ravel()
        counts = data.cooccurrence(k)[np.ix_(index, index)]
        moments = counts.astype(np.float64) / n
        d = m * k
        source = np.repeat(np.arange(m), k)
        mask = (source[:, None] != source[None, :]).astype(np.float64)
        moments *= mask
        vote_rate = np.diag(counts).astype(np.float64).reshape(m, k) / n
        prec = float(self.prec_init)
        table = np.empty((m, k, k))
        for y in range(k):
            table[:, :, y] = vote_rate * (1.0 - prec) / ((k - 1) * p[y])
            table[:, y, y] = vote_rate[:, y] * prec / p[y]
        start = np.clip(table, 0.0, 1.0).reshape(d, k)
        l2 = float(self.l2)

        def objective(x: np.ndarray) -> tuple[float, np.ndarray]:
            mu = x.reshape(d, k)
            residual = moments - mask * ((mu * p) @ mu.T)
            delta = x - start.ravel()
            value = 0.5 * float((residual**2).sum()) + 0.5 * l2 * float(delta @ delta)
            grad = -2.0 * (residual @ (mu * p)).ravel() + l2 * delta
            return value, grad

        result = minimize(
            objective,
            start.ravel(),
            jac=True,
            method="L-BFGS-B",
            bounds=[(0.0, 1.0)] * (d * k),
            options={"maxiter": int(self.max_iter), "ftol": 1e-15, "gtol": 1e-12},
        )
        fitted = np.clip(result.x, 0.0, 1.0).reshape(m, k, k)
        self.vote_given_class_ = np.empty_like(fitted)
        self.vote_given_class_[order] = fitted
        self.n_iter_ = int(result.nit)
        self.class_prior_ = p

    def _predict_proba(self, values: np.ndarray) -> np.ndarray:
        table = np.log(np.clip(self.vote_given_class_, 0.01, 0.99))
        return softmax_rows(table_scores(values, table, np.log(self.class_prior_)))


def canonical_source_order(counts: np.ndarray, m: int, k: int) -> np.ndarray:
    """An order of the sources that depends on their vote statistics, not on their order.

    Each source is keyed by its own vote counts and the sorted multiset of its
    co-occurrence blocks with the other sources, then refined once by the keys of the
    sources it co-occurs with (one round of Weisfeiler-Lehman colour refinement). Permuting
    the columns of ``L`` permutes the sources but not their keys, so the sources come out in
    the same order. Sources whose keys tie (e.g. exact copies) keep their input order.

    Parameters
    ----------
    counts : ndarray of shape (m * k, m * k)
        The exact co-occurrence counts of the one-hot votes.
    m, k : int
        Number of sources and classes.

    Returns
    -------
    ndarray of shape (m,), dtype int64
        ``order[i]`` is the source placed at position ``i``.
    """
    blocks = counts.reshape(m, k, m, k).transpose(0, 2, 1, 3).reshape(m, m, k * k)
    blocks = np.ascontiguousarray(blocks, dtype=np.int64)

    def multiset_key(j: int, rows: np.ndarray) -> bytes:
        """The rows (one per other source) sorted lexicographically, as exact bytes."""
        ordered = rows[np.lexsort(rows.T[::-1])] if len(rows) else rows
        return blocks[j, j].tobytes() + ordered.tobytes()

    others = [np.flatnonzero(np.arange(m) != j) for j in range(m)]
    first = [multiset_key(j, blocks[j, others[j]]) for j in range(m)]
    ranks = {key: rank for rank, key in enumerate(sorted(set(first)))}
    colour = np.array([ranks[key] for key in first], dtype=np.int64)
    refined = [
        colour[j].tobytes()
        + multiset_key(j, np.column_stack([colour[others[j]], blocks[j, others[j]]]))
        for j in range(m)
    ]
    # sorted() is stable: sources whose keys tie (exact copies) keep their input order
    return np.array(sorted(range(m), key=lambda j: refined[j]), dtype=np.int64)
