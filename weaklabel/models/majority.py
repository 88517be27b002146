"""Majority vote and weighted vote: the baseline every label model should beat.

Use :class:`MajorityVote` as a first look at what the sources say, as a baseline, or when
the sources are too few or too sparse to estimate their accuracies. With its defaults and
``seed=0`` it reproduces WRENCH's published "MV" figures (same vote shares, same
tie-breaking). Pass ``weights=`` for a weighted vote when you know how far to trust each
source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from weaklabel.models._data import VoteData
from weaklabel.models._fields import Field, array, probabilities
from weaklabel.models._vote import ClassificationParams, check_vector, resolve_class_prior
from weaklabel.models.base import BaseLabelModel

_CHUNK_ROWS = 8192  # rows per bincount: keeps the index array in cache, memory bounded
_COMPARE_CHUNK_ROWS = 65_536  # rows per block when counting by comparison
_COMPARE_MAX_K = 16  # above this many classes one bincount beats k comparisons


def vote_counts(
    values: np.ndarray, cardinality: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """Count (or weigh) the votes for each class in each row, without a loop over rows.

    Parameters
    ----------
    values : ndarray of shape (n_examples, n_sources)
        Class ids ``0 .. cardinality-1`` and ``-1`` (abstain).
    cardinality : int
        Number of classes ``k``.
    weights : ndarray of shape (n_sources,), optional
        Weight of each source's vote (default 1).

    Returns
    -------
    ndarray of shape (n_examples, k), dtype float64
        ``counts[i, c]`` is the (weighted) number of sources that voted ``c`` on row ``i``.
    """
    if values.dtype.kind == "u":  # unsigned + intp offsets would promote to float
        values = values.astype(np.int64)
    n, m = values.shape
    if weights is None and cardinality <= _COMPARE_MAX_K:  # one comparison per class
        counts = np.empty((n, cardinality), dtype=np.float64)
        for start in range(0, n, _COMPARE_CHUNK_ROWS):
            block = values[start : start + _COMPARE_CHUNK_ROWS]
            for c in range(cardinality):
                counts[start : start + block.shape[0], c] = np.count_nonzero(block == c, axis=1)
        return counts
    width = cardinality + 1  # slot 0 of each row collects the abstains, then classes 0..k-1
    counts = np.empty((n, cardinality), dtype=np.float64)
    chunk = min(_CHUNK_ROWS, max(n, 1))
    offsets = (np.arange(chunk, dtype=np.intp) * width + 1)[:, None]
    tiled = None if weights is None else np.tile(np.asarray(weights, dtype=np.float64), chunk)
    for start in range(0, n, chunk):
        block = values[start : start + chunk]
        b = block.shape[0]
        flat = (block + offsets[:b]).ravel()
        binned = np.bincount(
            flat, weights=None if tiled is None else tiled[: b * m], minlength=b * width
        )
        counts[start : start + b] = binned.reshape(b, width)[:, 1:]
    return counts


@dataclass(eq=False, repr=False, kw_only=True)
class MajorityVote(ClassificationParams, BaseLabelModel):
    """Each source votes for one class; the probabilities are the vote shares.

    Rows where no source voted (or all voters have weight 0) get ``class_prior_``.
    Ties are broken as in Snorkel and WRENCH (see :func:`~weaklabel.models.base.probs_to_preds`);
    tied and all-abstain rows are predicted, never dropped.

    Parameters
    ----------
    cardinality : int or None, default None
    seed : int, default 0
    tie_break : {"index", "random", "abstain"}, default "index"
    weights : array-like of shape (n_sources,), optional
        Non-negative weight of each source's vote; default 1 for every source.
    class_prior : array-like of shape (k,), optional
        Distribution given to rows without votes (normalised to sum 1); default uniform.

    Attributes
    ----------
    cardinality_ : int
    n_sources_ : int
    class_prior_ : ndarray of shape (k,)
        Normalised ``class_prior``, or uniform.
    weights_ : ndarray of shape (n_sources,)
        Weight of each source (ones unless ``weights`` was given).

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[0, 0, -1], [1, -1, 1], [-1, -1, -1]])
    >>> MajorityVote().fit(L).predict_proba(L)
    array([[1. , 0. ],
           [0. , 1. ],
           [0.5, 0.5]])
    """

    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        *BaseLabelModel._fitted_attributes,
        "weights_",
    )
    _fitted_fields: ClassVar[dict[str, Field]] = {
        "class_prior_": probabilities(
            "k", derived=lambda m: m._given_prior(), sources=("class_prior",)
        ),
        "weights_": array("m", low=0.0, derived=lambda m: m._given_weights(), sources=("weights",)),
    }

    weights: Any = None
    class_prior: Any = None

    _statistics: ClassVar[tuple[str, ...]] = ()

    def _fit(self, data: VoteData) -> None:
        k, m = self.cardinality_, self.n_sources_
        if self.weights is None:
            self.weights_ = np.ones(m, dtype=np.float64)
        else:
            self.weights_ = check_vector(
                self.weights, "weights", m, "Give one weight per source (column of L)."
            )
        self.class_prior_ = resolve_class_prior(self.class_prior, k)

    def _given_weights(self) -> np.ndarray:
        """``weights_`` as the parameters make it (checks a loaded file)."""
        if self.weights is None:
            return np.ones(self.n_sources_, dtype=np.float64)
        return check_vector(self.weights, "weights", self.n_sources_, "")

    def _given_prior(self) -> np.ndarray:
        """``class_prior_`` as the parameters make it (checks a loaded file)."""
        return resolve_class_prior(self.class_prior, self.cardinality_)

    def _predict_proba(self, values: np.ndarray) -> np.ndarray:
        unweighted = bool(np.all(self.weights_ == 1.0))
        counts = vote_counts(values, self.cardinality_, None if unweighted else self.weights_)
        totals = counts.sum(axis=1)
        voted = totals > 0
        proba = counts / np.where(voted, totals, 1.0)[:, None]
        proba[~voted] = self.class_prior_
        return proba
