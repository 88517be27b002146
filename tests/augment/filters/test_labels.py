"""LabelConsistencyFilter: the weak sources and the label model must still give the label."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel.augment._errors import AugmentError
from weaklabel.augment.filters import LabelConsistencyFilter

NAMES = ["NEG", "POS"]
Sentiment = tuple[list[Any], Any]


@pytest.fixture(scope="module")
def sentiment() -> Sentiment:
    sources = [
        wl.keyword_source(["loved", "great", "wonderful"], "POS", name="pos"),
        wl.keyword_source(["hated", "awful", "boring"], "NEG", name="neg"),
    ]
    train = ["I loved it", "great film", "awful acting", "I hated it", "boring", "wonderful"]
    L = wl.apply(sources, train, label_names=NAMES, progress=False)
    return sources, wl.MajorityVote().fit(L)


def test_label_flipping_augmentation_is_dropped(sentiment: Sentiment) -> None:
    sources, model = sentiment
    f = LabelConsistencyFilter(sources, model, label_names=NAMES)
    augmented = ["I hated the movie", "I really loved the movie", "We loved the film"]
    assert f.keep(augmented, ["POS", "POS", 1]).tolist() == [False, True, True]


def test_label_model_and_dataframe_input(sentiment: Sentiment) -> None:
    sources, _ = sentiment
    train = ["I loved it", "great film", "awful acting", "I hated it", "boring", "wonderful"]
    model = wl.LabelModel(cardinality=2).fit(
        wl.apply(sources, train, label_names=NAMES, progress=False)
    )
    frame = pd.DataFrame({"body": ["what an awful film", "awful but great", "great fun"]})
    f = LabelConsistencyFilter(sources, model, label_names=NAMES, text_column="body")
    preds, abstained = f.predict(frame)
    assert preds.shape == (3,) and not abstained.any()
    assert f.keep(frame, [0, int(preds[1]), 0]).tolist() == [True, True, False]


def test_abstained_rows(sentiment: Sentiment) -> None:
    sources, model = sentiment
    texts = ["nothing to see here", "I loved the movie", None]
    labels = ["POS", "POS", "POS"]
    strict = LabelConsistencyFilter(sources, model, label_names=NAMES)
    assert strict.keep(texts, labels).tolist() == [False, True, False]
    lenient = LabelConsistencyFilter(sources, model, label_names=NAMES, keep_abstained=True)
    assert lenient.keep(texts, labels).tolist() == [True, True, True]
    assert strict.keep([], []).shape == (0,)


def test_missing_labels_are_never_consistent(sentiment: Sentiment) -> None:
    sources, model = sentiment
    f = LabelConsistencyFilter(sources, model, label_names=NAMES)
    assert f.keep(["I loved it", "I hated it"], [None, float("nan")]).tolist() == [False, False]


def test_label_consistency_errors(sentiment: Sentiment) -> None:
    sources, model = sentiment
    with pytest.raises(AugmentError, match=r"\[E060\]"):
        LabelConsistencyFilter(sources, object())
    f = LabelConsistencyFilter(sources, model, label_names=NAMES)
    with pytest.raises(AugmentError, match=r"\[E721\]"):
        f.keep(["I loved it"], ["POS", "NEG"])
    with pytest.raises(AugmentError, match=r"\[E773\]"):
        f.keep(pd.DataFrame({"body": ["x"]}), ["POS"])
    no_names = LabelConsistencyFilter(sources, model, label_names=None)
    with pytest.raises(AugmentError, match=r"\[E060\]"):
        no_names._label_ids(["POS"], 1)


def test_label_consistency_with_the_label_model_on_the_demo_reviews() -> None:
    """Flip the praise words of positive reviews: the fitted LabelModel must catch it."""
    from weaklabel.augment import Noise
    from weaklabel.datasets.demo import DEMO_LABELS, load_demo_reviews
    from weaklabel.demo import demo_sources

    reviews = load_demo_reviews()
    sources = demo_sources()
    L = wl.apply(sources, reviews, label_names=DEMO_LABELS, progress=False)
    model = wl.LabelModel(cardinality=2, seed=0).fit(L)
    predicted = np.asarray(model.predict(L))
    positive = DEMO_LABELS.index("POSITIVE")
    swaps = {"love": "hate", "great": "terrible", "best": "worst", "perfect": "awful"}
    pattern = re.compile(r"\b(" + "|".join(swaps) + r")\b", re.IGNORECASE)
    chosen = [
        text
        for text, label in zip(reviews["text"], predicted, strict=True)
        if label == positive and pattern.search(text)
    ]
    flipped = [pattern.sub(lambda m: swaps[m.group(1).lower()], text) for text in chosen]
    noisy = [v[0] for v in Noise(kinds=["case", "punctuation"], p=0.1).augment(chosen) if v]
    f = LabelConsistencyFilter(sources, model, label_names=DEMO_LABELS)
    assert len(chosen) >= 30
    dropped = 1 - f.keep(flipped, ["POSITIVE"] * len(flipped)).mean()
    kept = f.keep(noisy, ["POSITIVE"] * len(noisy)).mean()
    assert dropped >= 0.8, dropped
    assert kept >= 0.9, kept
