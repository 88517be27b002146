"""Weighted majority vote: each source's vote counts by how often it agrees with the others.

Use :class:`WeightedMajorityVote` as a transparent step up from the plain majority vote:
a source's weight is the log-odds of its accuracy, and the accuracy is either given
(``accuracies=``, e.g. measured on a dev set) or estimated, without labels, as the rate at
which the source agrees with the other sources where they both vote, shrunk toward a
typical accuracy when the source rarely overlaps with the others. It fits from pairwise
agreement counts, so it works on ``LabelStats``, merged partitions and ``partial_fit``.

It is a heuristic: agreement with the others is a biased estimate of accuracy when the
other sources are themselves noisy or favour one class. :class:`~weaklabel.models.LabelModel`
fits the same weighted vote by a likelihood and is more accurate; use this model when you
want weights you can explain in one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from weaklabel.models._accuracy import accuracy_bounds
from weaklabel.models._data import VoteData
from weaklabel.models._errors import Errors, LabelModelError
from weaklabel.models._fields import Field, array
from weaklabel.models._params import is_finite_number
from weaklabel.models._vote import AccuracyVote, ClassificationParams
from weaklabel.models.base import BaseLabelModel, check_params


@dataclass(eq=False, repr=False, kw_only=True)
class WeightedMajorityVote(AccuracyVote, ClassificationParams, BaseLabelModel):
    """Votes weighted by ``log(a (k - 1) / (1 - a))`` of each source's accuracy ``a``.

    The estimated accuracy of source ``j`` is ``(agreements_j + s * 0.7) / (overlaps_j +
    s)``, where ``overlaps_j`` counts, over the other sources, the rows both voted on, and
    ``agreements_j`` those where they voted the same class; ``s = smoothing``. It is kept
    above ``1/k``, so every vote counts for its class.

    Parameters
    ----------
    cardinality : int or None, default None
    seed : int, default 0
    tie_break : {"index", "random", "abstain"}, default "index"
    accuracies : array-like of shape (n_sources,), optional
        Known accuracies (each in ``(0, 1)``); skips the estimation.
    smoothing : float, default 10.0
        Pseudo-overlaps pulling each estimate toward 0.7 (>= 0).
    class_prior : array-like of shape (k,), optional
        Class balance for rows without votes (and added to every row); default uniform.

    Attributes
    ----------
    cardinality_, n_sources_ : int
    class_prior_ : ndarray of shape (k,)
    accuracies_ : ndarray of shape (n_sources,)
        ``accuracies`` when given, else estimated from agreement with the other sources.
    weights_ : ndarray of shape (n_sources,)

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[0, 0, 1], [1, 1, 1], [0, 0, -1], [1, -1, 0]])
    >>> WeightedMajorityVote().fit(L).predict(L)
    array([0, 1, 0, 1])
    """

    _fitted_fields: ClassVar[dict[str, Field]] = {
        "accuracies_": array(
            "m",
            low=0.0,
            high=1.0,
            derived=lambda m: None if m.accuracies is None else np.asarray(m.accuracies, float),
            sources=("accuracies",),
        ),
    }

    accuracies: Any = None
    smoothing: float = 10.0
    class_prior: Any = None

    def _validate_params(self) -> None:
        super()._validate_params()
        s = self.smoothing
        check_params(
            [("smoothing", s, is_finite_number(s) and s >= 0, "a number >= 0")],
            owner=type(self).__name__,
        )

    def _fit(self, data: VoteData) -> None:
        k, m = self.cardinality_, self.n_sources_
        low, high = accuracy_bounds(k)
        if self.accuracies is not None:
            try:
                given = np.asarray(self.accuracies, dtype=np.float64)
            except (TypeError, ValueError):
                given = np.full(0, np.nan)  # not numbers: refused below
            if given.shape != (m,) or not np.all((given > 0) & (given < 1)):
                raise LabelModelError(
                    Errors.E108.format(
                        name="accuracies",
                        expected=m,
                        got=np.asarray(self.accuracies).tolist(),
                        hint="Give one accuracy in (0, 1) per source.",
                    )
                )
            accuracies = given
        else:
            both, agree = data.agreement(k)
            overlaps = both.sum(axis=1) - np.diag(both)
            agreements = agree.sum(axis=1) - np.diag(agree)
            s = float(self.smoothing)
            with np.errstate(invalid="ignore", divide="ignore"):
                rate = (agreements + s * 0.7) / (overlaps + s)
            accuracies = np.clip(np.nan_to_num(rate, nan=0.7), low, high)
        self._set_accuracies(accuracies)
