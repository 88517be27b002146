"""Labeling functions and preprocessors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel.labels import ABSTAIN
from weaklabel.sources.base import Row
from weaklabel.sources.function import LabelingFunction, Preprocessor


def test_function_name_defaults_to_the_function_name() -> None:
    @wl.labeling_function()
    def mentions_free(x: Any) -> int:
        return 1 if "free" in x.text else ABSTAIN

    assert isinstance(mentions_free, LabelingFunction)
    assert mentions_free.name == "mentions_free"
    assert mentions_free.vectorized is False


def test_function_explicit_name_wins() -> None:
    @wl.labeling_function(name="lf_free")
    def mentions_free(x: Any) -> int:
        return 1

    assert mentions_free.name == "lf_free"


def test_function_without_parentheses_raises_a_helpful_type_error() -> None:
    with pytest.raises(TypeError, match=r"@labeling_function\(\) with parentheses"):

        @wl.labeling_function  # type: ignore[arg-type]
        def lf(x: Any) -> int:
            return 1


def test_function_call_on_text_mapping_and_row() -> None:
    @wl.labeling_function()
    def lf(x: Any) -> int:
        return 1 if x.text.startswith("hi") and x.get("author") != "bot" else ABSTAIN

    assert lf("hi there") == 1
    assert lf({"text": "hi", "author": "bot"}) == ABSTAIN
    assert lf(Row(text="hi", author="ann")) == 1
    assert lf("bye") == ABSTAIN


def test_function_call_does_not_mutate_the_callers_row() -> None:
    @wl.preprocessor()
    def add_words(x: Row) -> Row:
        x.words = x.text.split()
        return x

    lf = wl.LabelingFunction("lf", lambda x: len(x.words), pre=[add_words])
    row = Row(text="a b c")
    assert lf(row) == 3
    assert "words" not in row


def test_function_resources_are_passed_as_keyword_arguments() -> None:
    @wl.labeling_function(resources={"spam_words": {"free", "win"}, "label": 1})
    def lf(x: Any, spam_words: set[str], label: int) -> int:
        return label if spam_words & set(x.text.split()) else ABSTAIN

    assert lf.resources == {"spam_words": {"free", "win"}, "label": 1}
    assert lf("you win") == 1
    assert lf("you lose") == ABSTAIN
    L = wl.apply([lf], ["free stuff", "nothing"], progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, -1])


def test_function_preprocessors_run_in_order() -> None:
    order: list[str] = []

    @wl.preprocessor()
    def first(x: Row) -> Row:
        order.append("first")
        x.text = x.text.strip()
        return x

    @wl.preprocessor()
    def second(x: Row) -> Row:
        order.append("second")
        x.n_words = len(x.text.split())  # needs first's stripping to be right
        return x

    @wl.labeling_function(pre=[first, second])
    def lf(x: Any) -> int:
        return 1 if x.n_words == 2 else 0

    assert lf("  two words  ") == 1
    assert order == ["first", "second"]
    order.clear()
    L = wl.apply([lf], ["  two words ", "one"], progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, 0])
    assert order == ["first", "second", "first", "second"]


def test_function_preprocessor_may_return_none_or_a_plain_dict() -> None:
    def in_place(x: Row) -> None:
        x.flag = True

    def as_dict(x: Row) -> dict[str, Any]:
        return {**x, "upper": x.text.upper()}

    pre: list[Any] = [in_place, as_dict]
    lf = wl.LabelingFunction("lf", lambda x: 1 if x.flag and x.upper == "HI" else 0, pre=pre)
    assert all(isinstance(p, Preprocessor) for p in lf.pre)
    assert lf.pre[0].name == "in_place"
    assert lf("hi") == 1


def test_function_memoized_preprocessor_runs_once_per_row_across_functions() -> None:
    calls: list[str] = []

    @wl.preprocessor()
    def tokenize(x: Row) -> Row:
        calls.append(x.text)
        x.words = x.text.lower().split()
        return x

    def has_word(word: str) -> LabelingFunction:
        return wl.LabelingFunction(
            f"lf_{word}", lambda x: 1 if word in x.words else -1, pre=[tokenize]
        )

    lfs = [has_word(w) for w in ("free", "win", "subscribe")]
    texts = ["Free money", "you WIN", "subscribe now", "hello"]
    L = wl.apply(lfs, texts, progress=False)
    assert sorted(calls) == sorted(texts)  # once per row, not once per row and function
    np.testing.assert_array_equal(L.values, [[1, -1, -1], [-1, 1, -1], [-1, -1, 1], [-1, -1, -1]])


def test_function_unmemoized_preprocessor_runs_for_every_function() -> None:
    calls: list[str] = []

    @wl.preprocessor(memoize=False)
    def tokenize(x: Row) -> Row:
        calls.append(x.text)
        x.words = x.text.split()
        return x

    lfs = [wl.LabelingFunction(f"lf{i}", lambda x: -1, pre=[tokenize]) for i in range(3)]
    wl.apply(lfs, ["a", "b"], progress=False)
    assert len(calls) == 6


def test_function_memoized_preprocessor_runs_once_when_chains_share_a_prefix() -> None:
    calls: list[str] = []

    @wl.preprocessor()
    def tokenize(x: Row) -> Row:
        calls.append(x.text)
        x.words = x.text.split()
        return x

    @wl.preprocessor()
    def count(x: Row) -> Row:
        x.n = len(x.words)
        return x

    a = wl.LabelingFunction("a", lambda x: -1, pre=[tokenize])
    b = wl.LabelingFunction("b", lambda x: -1, pre=[tokenize, count])
    wl.apply([a, b], ["one two", "three"], progress=False)
    assert len(calls) == 2


def test_function_sees_every_column_of_the_frame() -> None:
    @wl.labeling_function()
    def by_author(x: Any) -> int:
        return 1 if x.author.endswith("bot") and x.n_links > 0 else ABSTAIN

    frame = pd.DataFrame(
        {"text": ["a", "b", "c"], "author": ["spambot", "ann", "spambot"], "n_links": [2, 5, 0]}
    )
    L = wl.apply([by_author], frame, progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, -1, -1])


def test_function_missing_field_error_lists_the_fields() -> None:
    with pytest.raises(AttributeError, match=r"no field 'autor'.*\['text', 'author'\]"):
        _ = Row(text="a", author="b").autor


def test_function_returning_a_name_is_resolved_with_label_names() -> None:
    @wl.labeling_function()
    def lf(x: Any) -> str | None:
        return "SPAM" if "free" in x.text else None

    L = wl.apply([lf], ["free", "hi"], label_names=["HAM", "SPAM"], progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, -1])
    assert L.label_names == ("HAM", "SPAM")
