"""Label models: learn how far to trust each source and turn votes into probabilities.

Use :class:`LabelModel` unless you have a reason not to: it is the recommended default
and will always point at the best model weaklabel has (see
:mod:`weaklabel.models.label_model` for how it is built). :class:`MajorityVote` is the
baseline (and reproduces WRENCH's "MV"); :class:`WeightedMajorityVote` weighs sources by
their agreement with the others; :class:`DawidSkene` estimates a confusion matrix per
source by EM; :class:`MatrixCompletion` is MeTaL / Snorkel's label model;
:class:`Triplet` is FlyingSquid's closed-form method. Every model follows one contract
(see :class:`BaseLabelModel`), fits from sufficient statistics (so ``fit(LabelStats)``,
merged partitions and ``partial_fit`` work) and saves to JSON; :func:`load_model` reads
any of them back.
"""

from __future__ import annotations

from weaklabel.models.base import BaseLabelModel, load_model, probs_to_preds
from weaklabel.models.dawid_skene import DawidSkene
from weaklabel.models.label_model import LabelModel
from weaklabel.models.majority import MajorityVote
from weaklabel.models.matrix_completion import MatrixCompletion
from weaklabel.models.sequence import (
    HMM,
    SEQUENCE_MODELS,
    SequenceLabelModel,
    TokenDawidSkene,
    TokenMajorityVote,
    load_sequence_model,
)
from weaklabel.models.triplet import Triplet
from weaklabel.models.weighted_vote import WeightedMajorityVote
from weaklabel.stats import LabelStats

MODELS: tuple[type[BaseLabelModel], ...] = (
    MajorityVote,
    WeightedMajorityVote,
    DawidSkene,
    MatrixCompletion,
    Triplet,
    LabelModel,
)
"""Every label model class, for contract tests and benchmarks."""

__all__ = [
    "HMM",
    "MODELS",
    "SEQUENCE_MODELS",
    "BaseLabelModel",
    "DawidSkene",
    "LabelModel",
    "LabelStats",
    "MajorityVote",
    "MatrixCompletion",
    "SequenceLabelModel",
    "TokenDawidSkene",
    "TokenMajorityVote",
    "Triplet",
    "WeightedMajorityVote",
    "load_model",
    "load_sequence_model",
    "probs_to_preds",
]
