"""Tests of the language filter (lingua, offline)."""

from __future__ import annotations

import pandas as pd
import pytest

from weaklabel.errors import ParameterError, PrepareError
from weaklabel.prepare import LanguageFilter


def run(step, texts):
    return step.run(pd.Series(texts, dtype=object), pd.Series(range(len(texts))))


def test_language_filter_keeps_english_and_says_why_it_drops():
    texts = [
        "I really love this song, it is the best one this year",
        "Me encanta esta canción, es la mejor del año",
        "😀😀😀 12345",
        "check my channel http://www.youtube.com/watch?v=abcdefgh please",
    ]
    result = run(LanguageFilter(keep=["en"], among=["en", "es", "de"]), texts)
    assert set(result.reasons.index) == {1, 2}
    assert result.reasons[1].startswith("language es (")
    assert result.reasons[2] == "no language detected"


def test_language_filter_threshold_and_undetected_are_parameters():
    texts = ["yes", "😀😀😀"]
    strict = run(LanguageFilter(keep=["en"], min_confidence=0.99, keep_undetected=True), texts)
    assert list(strict.reasons.index) == [0]
    assert "min_confidence 0.99" in strict.reasons[0]


def test_language_filter_detect_reports_language_and_confidence():
    found = LanguageFilter(keep=["en", "de"]).detect(["Das ist ein schönes Lied", ""])
    assert found["language"].tolist() == ["de", None]
    assert 0.5 < found["confidence"][0] <= 1.0


def test_language_filter_refuses_unknown_codes_and_keep_outside_among():
    with pytest.raises(PrepareError, match=r"\[E811\].*'xx' in keep"):
        LanguageFilter(keep=["xx"], among=["xx", "en"])
    with pytest.raises(PrepareError, match=r"\[E811\].*'yy' in among"):
        LanguageFilter(keep=["en"], among=["en", "yy"])
    with pytest.raises(PrepareError, match=r"\[E812\]"):
        LanguageFilter(keep=["fr"], among=["en", "de"])
    with pytest.raises(ParameterError, match=r"\[E060\].*min_confidence"):
        LanguageFilter(min_confidence=2)
