"""What the classification label models share: parameters, checked vectors, accuracy votes.

Internal. :class:`ClassificationParams` declares ``cardinality``, ``seed`` and
``tie_break`` once for every model (each model is a dataclass of its constructor
arguments). :func:`check_vector` and :func:`resolve_class_prior` read the per-source and
per-class vectors that several models take (``weights``, ``class_prior``).
:class:`AccuracyVote` is the base of the models that estimate one accuracy per source and
then vote with its log-odds weight (:class:`~weaklabel.models.WeightedMajorityVote`,
:class:`~weaklabel.models.Triplet`): they differ only in how ``_fit`` estimates the
accuracies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from weaklabel.models._accuracy import log_odds_weights
from weaklabel.models._errors import Errors, LabelModelError
from weaklabel.models._fields import Field, array, probabilities
from weaklabel.models._scoring import softmax_rows, weighted_vote_scores
from weaklabel.models.base import BaseLabelModel

__all__ = ["AccuracyVote", "ClassificationParams", "check_vector", "resolve_class_prior"]


def check_vector(value: Any, name: str, size: int, hint: str) -> np.ndarray:
    """Return ``value`` as a float64 vector of ``size`` finite, non-negative numbers.

    Parameters
    ----------
    value : array-like of shape (size,)
    name : str
        The parameter's name, for the message.
    size : int
    hint : str
        What to give instead, ending the message.

    Returns
    -------
    ndarray of shape (size,)

    Raises
    ------
    LabelModelError
        [E108] when the shape is wrong, a number is negative or not finite, or all are 0.
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = np.full(0, np.nan)  # not numbers: refused below
    if (
        array.shape != (size,)
        or not np.all(np.isfinite(array))
        or np.any(array < 0)
        or not array.sum() > 0
    ):
        raise LabelModelError(
            Errors.E108.format(name=name, expected=size, got=np.asarray(value).tolist(), hint=hint)
        )
    return array


def resolve_class_prior(class_prior: Any, k: int) -> np.ndarray:
    """The ``class_prior`` a model was given, normalised to sum 1, or uniform for ``None``.

    Parameters
    ----------
    class_prior : array-like of shape (k,) or None
    k : int
        Number of classes.

    Returns
    -------
    ndarray of shape (k,)
    """
    if class_prior is None:
        return np.full(k, 1.0 / k)
    prior = check_vector(class_prior, "class_prior", k, "Give one probability per class.")
    return prior / prior.sum()


class AccuracyVote:
    """Mixin: a vote weighted by ``log(a (k - 1) / (1 - a))`` of each source's accuracy ``a``.

    Put it before :class:`~weaklabel.models.base.BaseLabelModel` in the bases. Subclasses
    estimate the accuracies from pairwise agreement counts (``_statistics``) in ``_fit``
    and end it with :meth:`_set_accuracies`. They take a ``class_prior`` parameter: the
    class balance added to every row's scores (uniform by default).

    Attributes
    ----------
    accuracies_ : ndarray of shape (n_sources,)
        Estimated (or given) accuracy of each source.
    weights_ : ndarray of shape (n_sources,)
        Weight of each source's vote.
    """

    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        *BaseLabelModel._fitted_attributes,
        "accuracies_",
        "weights_",
    )
    _fitted_fields: ClassVar[dict[str, Field]] = {
        "class_prior_": probabilities(
            "k",
            derived=lambda m: resolve_class_prior(m.class_prior, m.cardinality_),
            sources=("class_prior",),
        ),
        "accuracies_": array("m", low=0.0, high=1.0),
        "weights_": array(
            "m",
            derived=lambda m: log_odds_weights(m.accuracies_, m.cardinality_),
            sources=("accuracies_", "cardinality_"),
        ),
    }
    _statistics: ClassVar[tuple[str, ...]] = ("agreement",)

    class_prior: Any
    cardinality_: int
    class_prior_: np.ndarray
    accuracies_: np.ndarray
    weights_: np.ndarray

    def _set_accuracies(self, accuracies: np.ndarray) -> None:
        """Store the accuracies, their vote weights and the class prior (end of ``_fit``)."""
        k = self.cardinality_
        self.accuracies_ = accuracies
        self.weights_ = log_odds_weights(accuracies, k)
        self.class_prior_ = resolve_class_prior(self.class_prior, k)

    def _predict_proba(self, values: np.ndarray) -> np.ndarray:
        k = self.cardinality_
        weights = np.repeat(self.weights_[:, None], k, axis=1)
        return softmax_rows(weighted_vote_scores(values, weights, np.log(self.class_prior_)))


@dataclass(eq=False, repr=False, kw_only=True)
class ClassificationParams:
    """Mixin: the constructor arguments every classification label model takes.

    Put it before :class:`~weaklabel.models.base.BaseLabelModel` in the bases of a model
    decorated ``@dataclass(eq=False, repr=False, kw_only=True)``: the model declares only
    the arguments it adds, as fields, and gets a keyword-only ``__init__`` that stores
    them all unchanged (which ``get_params`` reads back from the signature), as the
    sequence models do. The three are documented on
    :class:`~weaklabel.models.base.BaseLabelModel`.
    """

    cardinality: int | None = None
    seed: int = 0
    tie_break: str = "index"
