"""Sentence scores from token marginals reduce the token scores as documented."""

from __future__ import annotations

import numpy as np
import pytest

from weaklabel.review import ReviewError, entropy, rank, sentence_scores

SENTENCES = [
    np.array([[1.0, 0.0, 0.0], [0.4, 0.3, 0.3]]),
    np.array([[0.9, 0.05, 0.05]]),
    np.zeros((0, 3)),
    np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.5, 0.5, 0.0]]),
]


def test_spans_max_mean_sum() -> None:
    token = [entropy(s) if len(s) else np.zeros(0) for s in SENTENCES]
    np.testing.assert_allclose(
        sentence_scores(SENTENCES), [t.max() if t.size else 0 for t in token]
    )
    np.testing.assert_allclose(
        sentence_scores(SENTENCES, reduce="mean"), [t.mean() if t.size else 0 for t in token]
    )
    np.testing.assert_allclose(sentence_scores(SENTENCES, reduce="sum"), [t.sum() for t in token])


def test_spans_margin_ranks_sentences() -> None:
    scores = sentence_scores(SENTENCES, strategy="margin")
    np.testing.assert_allclose(scores, [0.9, 0.15, 0.0, 1.0])
    assert rank(scores, k=2).tolist() == [3, 0]


@pytest.mark.parametrize(
    ("marginals", "kwargs", "code"),
    [
        ([np.zeros(3)], {}, "E576"),
        (SENTENCES, {"reduce": "median"}, "E577"),
        (SENTENCES, {"strategy": "random"}, "E572"),
    ],
)
def test_spans_errors(marginals: list, kwargs: dict, code: str) -> None:
    with pytest.raises(ReviewError, match=rf"\[{code}\]"):
        sentence_scores(marginals, **kwargs)
