"""Keyword and regex sources: matching rules, the RE2 column path and the Python fallback."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel.errors import SourceError
from weaklabel.labels import ABSTAIN
from weaklabel.sources.base import Corpus
from weaklabel.sources.keyword import RegexSource


class _NoPythonRegex:
    """Stands in for a source's compiled Python regex to prove the column path is RE2."""

    def search(self, text: str) -> Any:
        raise AssertionError("the column path ran Python's re on a row")


def _column(source: RegexSource, texts: list[str]) -> list[int]:
    corpus = Corpus(pd.DataFrame({"text": texts}))
    return source.label_corpus(corpus, None).tolist()


def _re2_only(source: RegexSource) -> RegexSource:
    source._compiled = _NoPythonRegex()  # type: ignore[assignment]
    return source


VARIED_TEXTS = [
    "Check out my channel",
    "CHECK OUT this",
    "checkout now",
    "I love C++ and c#",
    "cpp is not c++.",
    "win $$$ today",
    "$$ only",
    "Un café, s'il vous plaît",
    "cafés are nice",
    "a naïve approach",
    "NAÏVE!",
    "naïveté",
    "free",
    "freedom and free-range",
    "FREE!!!",
    "tax-free",
    "",
    "   ",
    "line one\nfree line two",
    "Ünïcödé ölçü free",
    "日本語 free テキスト",
    "emoji 🎉free🎉",
    "free2play",
    "2free",
]


# ---------------------------------------------------------------- keyword_source
def test_keyword_is_case_insensitive_by_default() -> None:
    src = _re2_only(wl.keyword_source("subscribe", 1, name="kw"))
    assert _column(src, ["Please SUBSCRIBE", "subscribe", "Subscribe!"]) == [1, 1, 1]


def test_keyword_case_sensitive() -> None:
    src = _re2_only(wl.keyword_source("NASA", 1, name="kw", case_sensitive=True))
    assert _column(src, ["NASA launch", "nasa launch"]) == [1, -1]


def test_keyword_whole_word_excludes_longer_words() -> None:
    src = _re2_only(wl.keyword_source("free", 1, name="kw"))
    texts = ["free stuff", "freedom", "carefree", "free-range", "(free)", "free."]
    assert _column(src, texts) == [1, -1, -1, 1, 1, 1]


def test_keyword_substring_match_when_whole_word_is_off() -> None:
    src = _re2_only(wl.keyword_source("free", 1, name="kw", whole_word=False))
    assert _column(src, ["freedom", "carefree", "fre"]) == [1, 1, -1]


def test_keyword_phrases_and_several_keywords() -> None:
    src = _re2_only(wl.keyword_source(["check out", "subscribe"], "SPAM", name="kw"))
    corpus = Corpus(pd.DataFrame({"text": ["check out my vid", "checkout", "subscribe", "out"]}))
    space = wl.LabelSpace(("HAM", "SPAM"))
    assert src.label_corpus(corpus, space).tolist() == [1, -1, 1, -1]


def test_keyword_longest_phrase_is_preferred() -> None:
    # With "check" tried first, "check out" would still match via "check"; the point is
    # that a shorter keyword sharing a prefix neither hides nor breaks the phrase.
    src = _re2_only(wl.keyword_source(["check", "check out"], 1, name="kw"))
    assert _column(src, ["check out", "checked", "check"]) == [1, -1, 1]


@pytest.mark.parametrize(
    ("keyword", "hits", "misses"),
    [
        ("c++", ["I write C++ daily", "c++", "(c++)"], ["c+", "cpp", "abc++"]),
        ("$$$", ["win $$$ now", "$$$"], ["$$ now", "win$$$"]),
        ("a.b", ["see a.b here"], ["see axb here"]),
        ("(lol)", ["that was (lol) great"], ["lol"]),
    ],
)
def test_keyword_regex_metacharacters_are_literal(
    keyword: str, hits: list[str], misses: list[str]
) -> None:
    src = _re2_only(wl.keyword_source(keyword, 1, name="kw"))
    assert _column(src, hits + misses) == [1] * len(hits) + [-1] * len(misses)


@pytest.mark.parametrize(
    ("keyword", "hits", "misses"),
    [
        ("café", ["Un café noir", "CAFÉ", "café."], ["cafés", "cafe", "xcafé"]),
        ("naïve", ["a naïve idea", "NAÏVE"], ["naïveté", "naive"]),
        ("ölçü", ["bir ölçü"], ["ölçüm"]),
    ],
)
def test_keyword_non_ascii_words_with_word_boundaries(
    keyword: str, hits: list[str], misses: list[str]
) -> None:
    src = _re2_only(wl.keyword_source(keyword, 1, name="kw"))
    assert _column(src, hits + misses) == [1] * len(hits) + [-1] * len(misses)


@pytest.mark.parametrize(
    "keywords", [["free"], ["check out", "subscribe"], ["c++", "$$$"], ["café", "naïve"]]
)
def test_keyword_single_row_call_agrees_with_the_column(keywords: list[str]) -> None:
    src = wl.keyword_source(keywords, 1, name="kw")
    column = _column(src, VARIED_TEXTS)
    assert column == [src(t) for t in VARIED_TEXTS]
    assert 1 in column and -1 in column


def test_keyword_single_row_call_agrees_with_the_column_around_underscores() -> None:
    src = wl.keyword_source("free", 1, name="kw")
    texts = ["#free_gift", "get_free", "free_"]
    assert _column(src, texts) == [src(t) for t in texts]


def test_keyword_default_name_and_label() -> None:
    src = wl.keyword_source(["Check out!", "x"], "SPAM")
    assert src.name == "keyword_check_out"
    assert src("please check out!") == "SPAM"
    assert src("nothing") == ABSTAIN


def test_keyword_empty_keywords_raise() -> None:
    with pytest.raises(SourceError, match="no keywords"):
        wl.keyword_source([], 1, name="kw_none")
    with pytest.raises(SourceError, match="kw_blank"):
        wl.keyword_source([""], 1, name="kw_blank")


def test_keyword_reads_its_own_text_column() -> None:
    src = wl.keyword_source("free", 1, name="kw", text_column="title")
    frame = pd.DataFrame({"text": ["free", "no"], "title": ["no", "free"]})
    L = wl.apply([src], frame, progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [-1, 1])
    assert src({"title": "free gift"}) == 1


def test_keyword_missing_values_abstain() -> None:
    src = wl.keyword_source("free", 1, name="kw")
    frame = pd.DataFrame({"text": ["free", None, np.nan]})
    with pytest.warns(UserWarning, match=r"W004\] 2 of 3 rows have no text"):
        L = wl.apply([src], frame, progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, -1, -1])
    assert src({"text": None}) == ABSTAIN


def test_keyword_non_string_column_is_matched_as_text() -> None:
    src = wl.keyword_source("42", 1, name="kw")
    L = wl.apply([src], pd.DataFrame({"text": [42, 7, 420]}), progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, -1, -1])


# ---------------------------------------------------------------- regex_source
def test_regex_re2_path_labels_the_column_without_python_re() -> None:
    src = wl.regex_source(r"https?://\S+", 1, name="rx_url")
    assert src._re2_source() is not None
    _re2_only(src)
    assert _column(src, ["see http://x.io", "HTTPS://Y.COM", "no link"]) == [1, 1, -1]


def test_regex_default_name_is_a_safe_slug() -> None:
    assert wl.regex_source(r"https?://\S+", 1).name == "regex_https_S"


def test_regex_look_behind_falls_back_to_python_and_works() -> None:
    src = wl.regex_source(r"(?<!not )\bgood\b", 1, name="rx_good")
    texts = ["good movie", "not good", "Good!", "goodness"]
    assert _column(src, texts) == [1, -1, 1, -1]
    assert [src(t) for t in texts] == [1, -1, 1, -1]


def test_regex_python_fallback_runs_through_apply() -> None:
    src = wl.regex_source(r"(\w+) \1", 1, name="rx_repeat")  # back-reference
    L = wl.apply([src], ["very very good", "very good"], progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, -1])


def test_regex_engine_python_forces_python() -> None:
    src = wl.regex_source(r"good", 1, name="rx", engine="python")
    assert src._re2_source() is None
    assert _column(src, ["GOOD", "bad"]) == [1, -1]


def test_regex_engine_re2_with_a_look_behind_raises_naming_the_source() -> None:
    src = wl.regex_source(r"(?<!not )good", 1, name="rx_strict", engine="re2")
    with pytest.raises(SourceError, match=r"rx_strict.*does not compile"):
        wl.apply([src], ["good"], progress=False)


def test_regex_invalid_pattern_raises_at_construction_naming_the_source() -> None:
    with pytest.raises(SourceError, match=r"Source 'rx_broken'.*'\(unclosed'.*does not compile"):
        wl.regex_source("(unclosed", 1, name="rx_broken")


def test_regex_case_sensitive() -> None:
    src = wl.regex_source(r"URGENT", 1, name="rx", case_sensitive=True)
    assert _column(src, ["URGENT", "urgent"]) == [1, -1]
    assert [src("URGENT"), src("urgent")] == [1, -1]


def test_regex_multiline_flag_works_in_re2() -> None:
    import re

    src = _re2_only(wl.regex_source(r"^free$", 1, name="rx", flags=re.MULTILINE))
    assert _column(src, ["line\nfree\nline", "not free here"]) == [1, -1]


def test_regex_unsupported_flag_falls_back_to_python() -> None:
    import re

    src = wl.regex_source(r"free  # the word", 1, name="rx", flags=re.VERBOSE)
    assert src._re2_source() is None
    assert _column(src, ["free", "fre"]) == [1, -1]


def test_regex_single_row_call_agrees_with_the_column_at_a_trailing_newline() -> None:
    src = wl.regex_source(r"now$", 1, name="rx_now")
    texts = ["buy now\n", "buy now"]
    assert _column(src, texts) == [src(t) for t in texts]


def test_regex_single_row_call_agrees_with_the_column() -> None:
    src = wl.regex_source(r"\$\d+|fr[e3]{2}|caf[eé]", 1, name="rx")
    texts = [*VARIED_TEXTS, "only $5", "fr33 stuff", "cafe"]
    column = _column(src, texts)
    assert column == [src(t) for t in texts]
    assert column.count(1) >= 5


@pytest.mark.parametrize(
    ("keywords", "item", "kind"),
    [
        ([1, 2], "item 0 is 1", "int"),
        (["ok", None], "item 1 is None", "NoneType"),
        (3.5, "item 0 is 3.5", "float"),
        (b"free", "item 0 is b'free'", "bytes"),
    ],
)
def test_keyword_non_string_keywords_are_refused(keywords: Any, item: str, kind: str) -> None:
    with pytest.raises(
        SourceError,
        match=rf"E526\] Source 'kw': keywords must be strings; "
        rf"{item} \({kind}\)",
    ):
        wl.keyword_source(keywords, 1, name="kw")


def test_keyword_set_of_keywords_gets_a_stable_name() -> None:
    names = {wl.keyword_source({"zebra", "apple", "mango"}, 1).name for _ in range(5)}
    assert names == {"keyword_apple"}


def test_keyword_votes_nan_only_on_the_word_never_on_a_missing_row() -> None:
    frame = pd.DataFrame({"text": ["nan", np.nan, None, "", "  ", "the nan bread", 3, 2.5]})
    with pytest.warns(UserWarning, match=r"W004\] 4 of 8 rows have no text in column 'text'"):
        L = wl.apply([wl.keyword_source(["nan"], 1, name="kw")], frame, progress=False)
    assert L.values[:, 0].tolist() == [1, -1, -1, -1, -1, 1, -1, -1]


def test_keyword_numbers_in_a_text_column_are_their_text() -> None:
    frame = pd.DataFrame({"text": ["one", 3, 2.5, 7.0, None]})
    sources = [
        wl.keyword_source(["3"], 1, name="three"),
        wl.keyword_source(["2.5"], 1, name="f"),
        wl.keyword_source(["7"], 1, name="seven"),
        wl.regex_source(r"\.0$", 0, name="dot0"),
    ]
    with pytest.warns(UserWarning, match=r"W004\] 1 of 5 rows"):
        L = wl.apply(sources, frame, progress=False)
    assert L.values.T.tolist() == [
        [-1, 1, -1, -1, -1],
        [-1, -1, 1, -1, -1],
        [-1, -1, -1, 1, -1],  # 7.0 from a CSV column with blanks reads as "7"
        [-1, -1, -1, -1, -1],
    ]


@pytest.mark.parametrize("missing", [None, float("nan"), "", "   "])
def test_keyword_single_row_call_on_a_missing_text_abstains(missing: Any) -> None:
    assert wl.keyword_source("nan", 1)({"text": missing}) == ABSTAIN
    assert wl.regex_source(r"^\s*$", 1)({"text": missing}) == ABSTAIN
    assert wl.lexicon_source({"nan": "NEG", "ok": "POS"}, name="lex")({"text": missing}) == ABSTAIN


def test_keyword_a_label_id_past_int64_is_refused() -> None:
    with pytest.raises(SourceError, match=r"E031\] Source 'huge' returned 2361183241434822606848"):
        wl.apply([wl.LabelingFunction("huge", lambda x: 2**71)], ["a"], progress=False)
