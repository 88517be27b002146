"""Read the weak labels of a corpus into flat arrays: what every sequence model fits on.

Use :func:`read_weak` to accept what users pass to a sequence model -- a
:class:`~weaklabel.tokens.TokenMatrix` (which also carries the tag and source names; a
:class:`~weaklabel.datasets.wrench_seq.WrenchSeqDataset` is one), or a list with one
``(n_tokens, n_sources)`` integer array per sentence -- as one
:class:`SequenceVotes`: the votes of every token stacked, with the sentence lengths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from weaklabel.errors import LabelMatrixError
from weaklabel.labels import ABSTAIN
from weaklabel.models.sequence._errors import Errors
from weaklabel.tags import sentence_starts
from weaklabel.tokens import TokenMatrix

__all__ = ["SequenceVotes", "read_weak"]


@dataclass(frozen=True, eq=False)
class SequenceVotes:
    """The weak labels of a corpus, flat.

    Attributes
    ----------
    values : ndarray of shape (n_tokens, n_sources), dtype int64
        Tag ids, sentence after sentence; ``-1`` = the source did not label the token.
    lengths : ndarray of shape (n_sentences,), dtype int64
    tag_names : tuple of str or None
        Tag names carried by the input (``.tag_names``), if any.
    source_names : tuple of str or None
    """

    values: np.ndarray
    lengths: np.ndarray
    tag_names: tuple[str, ...] | None = None
    source_names: tuple[str, ...] | None = None

    @property
    def n_tokens(self) -> int:
        """Number of tokens."""
        return int(self.values.shape[0])

    @property
    def n_sources(self) -> int:
        """Number of sources."""
        return int(self.values.shape[1])

    def starts(self) -> np.ndarray:
        """Boolean mask of shape (n_tokens,): the tokens that open a sentence."""
        return sentence_starts(self.lengths, self.n_tokens)

    def split(self, flat: np.ndarray) -> list[np.ndarray]:
        """Split a flat per-token array into one array per sentence."""
        return np.split(flat, np.cumsum(self.lengths)[:-1])

    def check_ids(self, n_tags: int) -> None:
        """Raise when a vote is not ``-1`` or a tag id below ``n_tags``."""
        bad = np.argwhere((self.values < ABSTAIN) | (self.values >= n_tags))
        if bad.size == 0:
            return
        row, source = (int(i) for i in bad[0])
        offsets = np.cumsum(self.lengths)
        sentence = int(np.searchsorted(offsets, row, side="right"))
        token = row - (int(offsets[sentence - 1]) if sentence else 0)
        name = self.source_names[source] if self.source_names else source
        raise LabelMatrixError(
            Errors.E613.format(
                index=sentence,
                token=token,
                source=repr(name),
                value=int(self.values[row, source]),
                k_max=n_tags - 1,
            )
        )


def read_weak(weak: Any) -> SequenceVotes:
    """Read weak labels from a TokenMatrix or a list of per-sentence arrays.

    Parameters
    ----------
    weak : TokenMatrix, or list of array-like of shape (n_tokens_i, n_sources)
        A :class:`~weaklabel.tokens.TokenMatrix` (its ``tag_names`` and ``source_names``
        are kept), or one integer array per sentence: tag ids, ``-1`` where a source did
        not label a token. Any other object raises [E610].

    Returns
    -------
    SequenceVotes
    """
    tag_names = source_names = None
    if isinstance(weak, TokenMatrix):
        tag_names, source_names = weak.tag_names, weak.source_names
        weak = weak.weak
    if isinstance(weak, np.ndarray) and weak.ndim == 3:
        weak = list(weak)
    if isinstance(weak, np.ndarray | str | bytes) or not isinstance(weak, Sequence):
        raise LabelMatrixError(Errors.E610.format(kind=type(weak).__name__))
    arrays: list[np.ndarray] = []
    n_sources: int | None = None
    for index, sentence in enumerate(weak):
        try:
            array = np.asarray(sentence)
        except ValueError:  # rows of different lengths
            problem = "rows of different lengths"
            raise LabelMatrixError(Errors.E611.format(index=index, problem=problem)) from None
        if array.ndim != 2 or array.dtype == object:
            problem = f"an array of shape {array.shape}"
            raise LabelMatrixError(Errors.E611.format(index=index, problem=problem))
        if array.size and array.dtype.kind not in "iu":
            whole = array.dtype.kind == "f" and bool(np.all(np.isfinite(array)))
            if whole and np.all(np.mod(array, 1) == 0) and np.all(np.abs(array) <= 2.0**53):
                array = array.astype(np.int64)
            else:
                problem = f"dtype {array.dtype}"
                raise LabelMatrixError(Errors.E611.format(index=index, problem=problem))
        if n_sources is None:
            n_sources = array.shape[1]
        elif array.shape[1] != n_sources:
            raise LabelMatrixError(
                Errors.E612.format(index=index, got=array.shape[1], expected=n_sources)
            )
        arrays.append(array.astype(np.int64, copy=False))
    m = n_sources or 0
    values = np.concatenate(arrays, axis=0) if arrays else np.zeros((0, m), dtype=np.int64)
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    if source_names is not None and len(source_names) != m:
        source_names = None
    return SequenceVotes(values, lengths, tag_names, source_names)
