"""Review scores for span labeling: one score per sentence from its token marginals.

Use it with a sequence label model (``SequenceLabelModel.predict_proba`` gives one array of
token marginals per sentence) to pick the sentences worth a reviewer's time; rank the
scores with :func:`weaklabel.review.rank`.

A sentence's score reduces the token scores of :mod:`weaklabel.review.selection` (each in
``[0, 1]``) over its tokens:

- ``reduce="max"`` (default): its most uncertain token -- one doubtful entity boundary is
  enough to send a sentence for review;
- ``reduce="mean"``: the mean over its tokens, which favours sentences that are uncertain
  throughout (and does not favour long sentences);
- ``reduce="sum"``: the total, the expected amount of work a reviewer saves.

An empty sentence scores ``0``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from weaklabel.review._errors import Errors, ReviewError
from weaklabel.review.selection import entropy, least_confidence, margin

__all__ = ["sentence_scores"]

_TOKEN_SCORES = {"least_confidence": least_confidence, "margin": margin, "entropy": entropy}
_REDUCE: dict[str, Callable[[np.ndarray], Any]] = {"max": np.max, "mean": np.mean, "sum": np.sum}


def sentence_scores(
    marginals: Sequence[Any],
    *,
    strategy: Literal["least_confidence", "margin", "entropy"] = "entropy",
    reduce: Literal["max", "mean", "sum"] = "max",
) -> np.ndarray:
    """One review score per sentence from the marginals of its tokens.

    Parameters
    ----------
    marginals : sequence of array-like of shape (n_tokens, n_tags)
        Token marginals, one array per sentence (``n_tokens`` may be 0).
    strategy : {"least_confidence", "margin", "entropy"}, default "entropy"
        The token score (module docstring of :mod:`weaklabel.review.selection`).
    reduce : {"max", "mean", "sum"}, default "max"
        How token scores become a sentence score.

    Returns
    -------
    ndarray of shape (n_sentences,)
        In ``[0, 1]`` for ``"max"`` and ``"mean"``; in ``[0, n_tokens]`` for ``"sum"``.

    Examples
    --------
    >>> sentence_scores([[[1.0, 0.0], [0.5, 0.5]], [[0.9, 0.1]]], strategy="margin")
    array([1. , 0.2])
    """
    if strategy not in _TOKEN_SCORES:
        raise ReviewError(Errors.E572.format(strategy=strategy, options=list(_TOKEN_SCORES)))
    if reduce not in _REDUCE:
        raise ReviewError(Errors.E577.format(reduce=reduce, options=list(_REDUCE)))
    token_score, reducer = _TOKEN_SCORES[strategy], _REDUCE[reduce]
    out = np.zeros(len(marginals), dtype=np.float64)
    for index, sentence in enumerate(marginals):
        arr = np.asarray(sentence, dtype=np.float64)
        if arr.ndim != 2 or (arr.shape[0] and arr.shape[1] < 2):
            raise ReviewError(Errors.E576.format(index=index, shape=arr.shape))
        if arr.shape[0]:
            out[index] = float(reducer(token_score(arr)))
    return out
