"""Label models: learn how far to trust each source and turn votes into probabilities.

Use :class:`LabelModel` unless you have a reason not to: it is the recommended default
and will always point at the best model weaklabel has. :class:`MajorityVote` is the
baseline (and reproduces WRENCH's "MV"); :class:`DawidSkene` estimates a confusion matrix
per source by EM. Every model follows one contract (see :class:`BaseLabelModel`) and
saves to JSON; :func:`load_model` reads any of them back.
"""

from __future__ import annotations

from weaklabel.models.base import BaseLabelModel, load_model, probs_to_preds
from weaklabel.models.dawid_skene import DawidSkene
from weaklabel.models.majority import MajorityVote


class LabelModel(DawidSkene):
    """The recommended default label model.

    Today this is :class:`DawidSkene` with its defaults; as better models land in
    weaklabel, ``LabelModel`` will become the best available one, so code written against
    it improves without changes. Pin :class:`DawidSkene` (or another class) when you need
    results that never change across versions.
    """


MODELS: tuple[type[BaseLabelModel], ...] = (MajorityVote, DawidSkene, LabelModel)
"""Every label model class, for contract tests and benchmarks."""

__all__ = [
    "MODELS",
    "BaseLabelModel",
    "DawidSkene",
    "LabelModel",
    "MajorityVote",
    "load_model",
    "probs_to_preds",
]
