"""Sequence label models: turn token-level weak labels (BIO tags per source) into tags.

Use :class:`SequenceLabelModel` unless you have a reason not to: it is the recommended
default. :class:`TokenMajorityVote` is the baseline (a type-level vote with BIO by
continuity); :class:`HMM` learns each source's reliability with a hidden Markov model over
BIO tags; :class:`TokenDawidSkene` does the same per token, without transitions. All take
``weak`` -- a :class:`~weaklabel.tokens.TokenMatrix` (a
:class:`~weaklabel.datasets.wrench_seq.WrenchSeqDataset` is one), or one
``(n_tokens, n_sources)`` integer array of tag ids per sentence -- and return one list of
BIO tags per sentence from ``predict``, always valid BIO. They save to JSON;
:func:`load_sequence_model` reads any of them back. The tag set they work with,
:class:`~weaklabel.tags.TagSpace`, and the entity F1 they score with live in
:mod:`weaklabel.tags`.
"""

from __future__ import annotations

from weaklabel._deprecated import moved_names
from weaklabel.models.sequence.base import BaseSequenceModel, load_sequence_model
from weaklabel.models.sequence.dawid_skene import TokenDawidSkene
from weaklabel.models.sequence.default import SequenceLabelModel
from weaklabel.models.sequence.hmm import HMM
from weaklabel.models.sequence.majority import TokenMajorityVote

SEQUENCE_MODELS: tuple[type[BaseSequenceModel], ...] = (
    TokenMajorityVote,
    HMM,
    TokenDawidSkene,
    SequenceLabelModel,
)
"""Every sequence label model class, for contract tests and benchmarks."""

__all__ = [
    "HMM",
    "SEQUENCE_MODELS",
    "BaseSequenceModel",
    "SequenceLabelModel",
    "TokenDawidSkene",
    "TokenMajorityVote",
    "load_sequence_model",
]

__getattr__ = moved_names(
    __name__,
    {"TagSpace": "weaklabel.tags", "entity_f1": "weaklabel.tags", "entity_spans": "weaklabel.tags"},
)
