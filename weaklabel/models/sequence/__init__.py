"""Sequence label models: turn token-level weak labels (BIO tags per source) into tags.

Use :class:`SequenceLabelModel` unless you have a reason not to: it is the recommended
default. :class:`TokenMajorityVote` is the baseline (a type-level vote with BIO by
continuity); :class:`HMM` learns each source's reliability with a hidden Markov model over
BIO tags; :class:`TokenDawidSkene` does the same per token, without transitions. All take
``weak`` -- one ``(n_tokens, n_sources)`` integer array of tag ids per sentence, or an
object with ``.weak`` (a :class:`~weaklabel.datasets.wrench_seq.WrenchSeqDataset`) -- and
return one list of BIO tags per sentence from ``predict``, always valid BIO. They save to
JSON; :func:`load_sequence_model` reads any of them back.
"""

from __future__ import annotations

from weaklabel.models.sequence._tags import TagSpace, entity_f1, entity_spans
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
    "TagSpace",
    "TokenDawidSkene",
    "TokenMajorityVote",
    "entity_f1",
    "entity_spans",
    "load_sequence_model",
]
