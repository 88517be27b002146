"""Tests of the augmentation filters: exact and near duplicates, label consistency."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel.augment._errors import AugmentError
from weaklabel.augment.filters import (
    LabelConsistencyFilter,
    NearDuplicateFilter,
    exact_duplicates,
    near_duplicate_pairs,
    normalise_text,
)

BASE = "The quick brown fox jumps over the lazy dog near the quiet river bank today"
ONE_WORD = "The quick brown fox leaps over the lazy dog near the quiet river bank today"
UNRELATED = [
    "Stock markets fell sharply after the central bank raised interest rates",
    "She baked a chocolate cake for her grandmother's birthday party",
    "The committee will publish its final report next Tuesday morning",
]


# -- exact duplicates -----------------------------------------------------------------------
def test_exact_duplicates_keeps_first_ignoring_case_and_whitespace() -> None:
    texts = ["Hello  world", "hello world", "HELLO\tWORLD ", "other", "Other"]
    mask = exact_duplicates(texts)
    assert mask.dtype == bool
    assert mask.tolist() == [True, False, False, True, False]


def test_exact_duplicates_empty_and_none() -> None:
    assert exact_duplicates([]).shape == (0,)
    assert exact_duplicates([None, "", "  ", "a"]).tolist() == [True, False, False, True]
    assert normalise_text(float("nan")) == ""


# -- near duplicates -------------------------------------------------------------------------
def test_one_changed_word_is_a_near_duplicate_at_0_7() -> None:
    pairs = near_duplicate_pairs([BASE, *UNRELATED], [ONE_WORD, *UNRELATED[:1]], 0.7)
    found = set(zip(pairs["left_index"], pairs["right_index"], strict=True))
    assert (0, 0) in found
    assert (1, 1) in found  # identical text
    assert (0, 1) not in found and (1, 0) not in found
    assert list(pairs.columns) == ["left_index", "right_index", "similarity"]
    assert (pairs["similarity"] >= 0.7).all()


def test_unrelated_texts_are_not_near_duplicates() -> None:
    pairs = near_duplicate_pairs([BASE, *UNRELATED], threshold=0.5)
    assert pairs.empty


def test_pairs_within_one_list_are_ordered() -> None:
    pairs = near_duplicate_pairs([BASE, UNRELATED[0], ONE_WORD, BASE], threshold=0.7)
    found = set(zip(pairs["left_index"], pairs["right_index"], strict=True))
    assert found == {(0, 2), (0, 3), (2, 3)}
    assert (pairs["left_index"] < pairs["right_index"]).all()


def test_short_and_empty_texts() -> None:
    pairs = near_duplicate_pairs(["ab", "AB", "", "", "abc"], threshold=0.9)
    found = set(zip(pairs["left_index"], pairs["right_index"], strict=True))
    assert found == {(0, 1)}  # empty texts never match


def test_filter_drops_copies_of_reference_and_of_earlier_texts() -> None:
    f = NearDuplicateFilter(threshold=0.7).fit([BASE])
    texts = [ONE_WORD, UNRELATED[0], UNRELATED[1], UNRELATED[0].upper(), UNRELATED[2]]
    assert f.keep(texts).tolist() == [False, True, True, False, True]
    assert f.filter(texts) == [UNRELATED[0], UNRELATED[1], UNRELATED[2]]


def test_filter_without_reference_keeps_greedy_chain() -> None:
    # a ~ b and b ~ c but not a ~ c: b is dropped as a copy of a; c is compared with kept
    # texts only, so it stays.
    a = "one two three four five six seven eight nine ten"
    b = "one two three four five six seven eight nine ten eleven twelve"
    c = "three four five six seven eight nine ten eleven twelve thirteen"
    f = NearDuplicateFilter(threshold=0.6, num_perm=128)
    sig = f.signatures([a, b, c])
    assert sig.shape == (3, 128) and sig.dtype == np.uint64
    sim = lambda i, j: (sig[i] == sig[j]).mean()  # noqa: E731
    assert sim(0, 1) >= 0.6 and sim(1, 2) >= 0.6 and sim(0, 2) < 0.6
    assert f.keep([a, b, c]).tolist() == [True, False, True]


def test_filter_is_deterministic_and_reprs() -> None:
    texts = [BASE, ONE_WORD, *UNRELATED]
    assert np.array_equal(
        NearDuplicateFilter(seed=3).signatures(texts),
        NearDuplicateFilter(seed=3).signatures(texts),
    )
    assert "threshold=0.8" in repr(NearDuplicateFilter())
    assert NearDuplicateFilter().keep([]).shape == (0,)


@pytest.mark.parametrize(
    "kwargs", [{"threshold": 0.0}, {"threshold": 1.5}, {"num_perm": 0}, {"ngram": True}]
)
def test_bad_parameters(kwargs: dict[str, object]) -> None:
    with pytest.raises(AugmentError, match=r"\[E060\]"):
        NearDuplicateFilter(**kwargs)  # type: ignore[arg-type]


def test_dataframe_is_not_a_text_list() -> None:
    with pytest.raises(AugmentError, match=r"\[E060\]"):
        exact_duplicates(pd.DataFrame({"text": ["a"]}))


# -- label consistency -----------------------------------------------------------------------
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
