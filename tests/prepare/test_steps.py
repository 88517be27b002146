"""Tests of the text repair and length steps."""

from __future__ import annotations

import ftfy
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weaklabel.errors import ParameterError, PrepareError
from weaklabel.prepare import FixText, LengthFilter, NormalizeWhitespace, StripHTML
from weaklabel.prepare.steps import NEEDS_FTFY


def run(step, texts):
    series = pd.Series(texts, dtype=object)
    return step.run(series, pd.Series(range(len(texts))))


def test_fix_text_repairs_mojibake_and_entities():
    out = run(FixText(), ["cafÃ©", "I&#39;m here &amp; there", "plain"]).texts.tolist()
    assert out == ["café", "I'm here & there", "plain"]


def test_fix_text_entities_next_to_tags_are_decoded_only_when_asked():
    text = "<b>fish &amp; chips</b>"
    assert run(FixText(), [text]).texts[0] == "<b>fish & chips</b>"
    assert run(FixText(html_entities=False), [text]).texts[0] == text


pieces = st.sampled_from(
    [
        "cafÃ©",
        "Ã¢â‚¬â„¢",
        "&amp;",
        "&#39;",
        "\ufeff",
        "\u200b",
        "ﬁ",
        "ＡＢＣ",
        "\x85",
        "\r\n",
        "\x1b[31m",
        "e\u0301",
        "café",
        "😀",
        "\u2028",
        "\x96",
        "naïve",
        "€",
        "Â ",
        "ð\x9f\x98\x80",
    ]
)
texts = st.lists(st.one_of(st.text(max_size=8), pieces), max_size=6).map("".join)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(texts)
def test_fix_text_skips_only_texts_ftfy_leaves_alone(text):
    config = ftfy.TextFixerConfig(unescape_html=True, explain=False)
    assert run(FixText(), [text]).texts[0] == ftfy.fix_text(text, config=config)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127)))
def test_fix_text_ascii_fast_path_is_exact(text):
    if NEEDS_FTFY.search(text) is None:
        assert ftfy.fix_text(text) == text


def test_strip_html_keeps_link_text_and_breaks_lines():
    texts = ['Hi<br />there <a href="http://x.com/?a=1&amp;b">my site</a>', "3 < 5 and <3"]
    assert run(StripHTML(), texts).texts.tolist() == ["Hi\nthere my site", "3 < 5 and <3"]
    assert run(StripHTML(line_breaks=False), texts[:1]).texts[0] == "Hi there my site"


def test_normalize_whitespace_removes_invisible_characters():
    texts = ["\ufeffhello\u200b  world\n\n", " a\t b \n\n\n c "]
    assert run(NormalizeWhitespace(), texts).texts.tolist() == ["hello world", "a b c"]
    assert run(NormalizeWhitespace(keep_newlines=True), texts).texts.tolist() == [
        "hello world",
        "a b\nc",
    ]


def test_normalize_whitespace_keeps_zero_width_joiners_of_emoji():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert run(NormalizeWhitespace(), [family]).texts[0] == family


def test_length_filter_gives_the_count_and_the_bound():
    result = run(LengthFilter(min_chars=3, max_words=2), ["ab", "one two three", "ok then"])
    assert result.reasons.to_dict() == {
        0: "2 chars, fewer than min_chars=3",
        1: "3 words, more than max_words=2",
    }
    assert result.texts.tolist() == ["ab", "one two three", "ok then"]


def test_length_filter_refuses_an_empty_range():
    with pytest.raises(PrepareError, match=r"\[E810\].*min_words \(5\).*max_words \(2\)"):
        LengthFilter(min_words=5, max_words=2)


@pytest.mark.parametrize(
    ("make", "param"),
    [
        (lambda: LengthFilter(min_chars=-1), "min_chars"),
        (lambda: LengthFilter(max_words=2.5), "max_words"),
        (lambda: FixText(normalization="NFD"), "normalization"),
        (lambda: StripHTML(line_breaks="yes"), "line_breaks"),
        (lambda: NormalizeWhitespace(name=""), "name"),
    ],
)
def test_steps_refuse_bad_arguments(make, param):
    with pytest.raises(ParameterError, match=rf"\[E060\].*{param}"):
        make()
