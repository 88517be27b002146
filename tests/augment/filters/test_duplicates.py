"""NearDuplicateFilter, exact_duplicates and near_duplicate_pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from weaklabel.augment._errors import AugmentError
from weaklabel.augment.filters import (
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
