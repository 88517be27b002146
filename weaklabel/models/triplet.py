"""Triplet: source accuracies in closed form from agreement rates (FlyingSquid-style).

Use :class:`Triplet` when you have many rows and sources that vote for more than one
class (bipolar or multi-class sources) and want a fit with no iterations at all. It is the
method of moments behind FlyingSquid (Fu et al., 2020), extended to ``k`` classes with the
symmetric noise model: writing ``s_j = (k a_j - 1) / (k - 1)`` for source ``j``'s accuracy
``a_j``, two conditionally independent sources agree at a rate ``r_ij`` with
``(k r_ij - 1) / (k - 1) = s_i s_j``. Any three sources then give
``s_i^2 = e_ij e_il / e_jl``; the model takes the median over every triplet whose three
pairs overlap and whose third pair agrees above chance by three standard errors (a pair
with a coin-flip source in it would divide by noise), assumes each source is better than
random (``s_j > 0``), and votes with log-odds weights.

The moments are exact integer pairwise agreement counts, so it fits from ``LabelStats``,
merged partitions and ``partial_fit``. It needs overlapping sources: a source with no
usable triplet gets ``default_accuracy``. Like FlyingSquid it suffers with unipolar
sources (sources of different classes never agree, which the symmetric model reads as
noise); prefer :class:`~weaklabel.models.LabelModel` there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from weaklabel.models._accuracy import accuracy_bounds, agreement_rates
from weaklabel.models._data import VoteData
from weaklabel.models._fields import Field, array
from weaklabel.models._params import is_count, is_finite_number
from weaklabel.models._vote import AccuracyVote, ClassificationParams
from weaklabel.models.base import BaseLabelModel, check_params

_MIN_DENOMINATOR_Z = 3.0
"""A triplet's third pair ``(j, l)`` must agree above chance by this many standard errors.

``|e_jl| > 3 * k / (k - 1) * sqrt(0.25 / n_jl)`` over the ``n_jl`` rows both voted on:
dividing by a pair that agrees at chance within its noise -- a coin-flip source is in it
-- blows the ratio up, and enough such triplets move the median of a good source. On the
coin-flip family of ``benchmarks/label_models_wide.py`` the worst loss to majority vote
was 8.6 points with the old bound (``|e| > 0.001``) and is 0 with this one (real
matrices: worst -1.5 -> 0); a fixed bound (0.2) did as well there but threw away every
triplet of weak sources on 1M rows, where a small ``e`` is measured precisely.
"""


@dataclass(eq=False, repr=False, kw_only=True)
class Triplet(AccuracyVote, ClassificationParams, BaseLabelModel):
    """Closed-form accuracies from triplets of sources, then a weighted vote.

    Parameters
    ----------
    cardinality : int or None, default None
    seed : int, default 0
    tie_break : {"index", "random", "abstain"}, default "index"
    min_overlap : int, default 10
        A pair of sources is used only if both voted on at least this many rows.
    default_accuracy : float, default 0.7
        Accuracy of a source that is in no usable triplet.
    class_prior : array-like of shape (k,), optional
        Class balance; default uniform (rows without votes are ties).

    Attributes
    ----------
    cardinality_, n_sources_ : int
    class_prior_ : ndarray of shape (k,)
    accuracies_ : ndarray of shape (n_sources,)
        The median estimate of each source's triplets (``default_accuracy`` if none).
    weights_ : ndarray of shape (n_sources,)
    n_triplets_ : ndarray of shape (n_sources,)
        Number of triplets each estimate is the median of (0: ``default_accuracy``).

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[0, 0, 0], [1, 1, 0], [1, 1, 1], [0, 1, 0]] * 5)
    >>> Triplet(min_overlap=1).fit(L).predict(L[:4])
    array([0, 1, 1, 0])
    """

    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        *AccuracyVote._fitted_attributes,
        "n_triplets_",
    )
    _fitted_fields: ClassVar[dict[str, Field]] = {"n_triplets_": array("m", dtype="int", low=0)}

    min_overlap: int = 10
    default_accuracy: float = 0.7
    class_prior: Any = None

    def _validate_params(self) -> None:
        super()._validate_params()
        n, a = self.min_overlap, self.default_accuracy
        check_params(
            [
                ("min_overlap", n, is_count(n, 1), "an integer >= 1"),
                ("default_accuracy", a, is_finite_number(a) and 0 < a < 1, "a number in (0, 1)"),
            ],
            owner=type(self).__name__,
        )

    def _fit(self, data: VoteData) -> None:
        k, m = self.cardinality_, self.n_sources_
        both, agree = data.agreement(k)
        usable = both >= int(self.min_overlap)
        np.fill_diagonal(usable, False)
        e = (k * agreement_rates(both, agree) - 1.0) / (k - 1)
        e = np.where(usable, e, np.nan)
        noise = k / (k - 1) * np.sqrt(0.25 / np.maximum(both, 1))  # largest std. error of e
        strong = np.abs(e) > np.maximum(1e-3, _MIN_DENOMINATOR_Z * noise)
        low, high = accuracy_bounds(k)
        accuracies = np.full(m, float(self.default_accuracy))
        counts = np.zeros(m, dtype=np.int64)
        upper = np.triu(np.ones((m, m), dtype=bool), 1)
        for i in range(m):
            ei = e[i]
            with np.errstate(invalid="ignore", divide="ignore"):
                ratio = np.outer(ei, ei) / e
            keep = upper & np.isfinite(ratio) & strong
            keep[i, :] = False
            keep[:, i] = False
            values = ratio[keep]
            if values.size:
                s = float(np.sqrt(np.clip(np.median(values), 0.0, 1.0)))
                accuracies[i] = (1.0 + (k - 1) * s) / k
                counts[i] = values.size
        self.n_triplets_ = counts
        self._set_accuracies(np.clip(accuracies, low, high))
