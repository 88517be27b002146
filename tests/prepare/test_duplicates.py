"""Tests of exact and near-duplicate removal."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weaklabel.augment.filters.duplicates import NearDuplicateFilter
from weaklabel.errors import WeaklabelError
from weaklabel.prepare import ExactDuplicates, NearDuplicates


def run(step, texts, ids=None):
    index = pd.RangeIndex(len(texts))
    ids = pd.Series(ids if ids is not None else list(index), index=index)
    return step.run(pd.Series(texts, index=index, dtype=object), ids)


def test_exact_duplicates_name_the_first_occurrence():
    texts = ["Buy now", "hello", "buy   NOW", "hello", "other"]
    result = run(ExactDuplicates(), texts, ids=["a", "b", "c", "d", "e"])
    assert result.reasons.to_dict() == {
        2: "exact duplicate of id a",
        3: "exact duplicate of id b",
    }


def test_exact_duplicates_can_respect_case():
    result = run(ExactDuplicates(casefold=False), ["Buy now", "buy now", "Buy  now"])
    assert result.reasons.to_dict() == {2: "exact duplicate of id 0"}


def test_near_duplicates_name_the_kept_text_and_the_similarity():
    texts = [
        "check out my channel for the best music videos of 2014",
        "a completely different comment about the song",
        "check out my channel for the best music videos of 2015!",
    ]
    result = run(NearDuplicates(threshold=0.7), texts, ids=[10, 11, 12])
    assert list(result.reasons.index) == [2]
    assert result.reasons[2].startswith("near duplicate of id 10 (Jaccard ")


def test_near_duplicates_check_their_arguments():
    with pytest.raises(WeaklabelError, match=r"NearDuplicates.*threshold"):
        NearDuplicates(threshold=1.5)
    with pytest.raises(WeaklabelError, match=r"NearDuplicates.*num_perm"):
        NearDuplicates(num_perm=0)


words = st.sampled_from(["spam", "ham", "song", "love", "check", "out", "my", "channel", "!"])


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.lists(words, min_size=1, max_size=8).map(" ".join), max_size=25))
def test_near_duplicates_keep_what_the_augment_filter_keeps(texts):
    result = run(NearDuplicates(threshold=0.8), texts)
    expected = NearDuplicateFilter(threshold=0.8).keep(texts)
    dropped = set(result.reasons.index)
    assert [i not in dropped for i in range(len(texts))] == expected.tolist()
