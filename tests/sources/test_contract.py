"""The source contract, checked once for every kind of source (the check_estimator habit).

Every source, applied through ``weaklabel.apply``, gives one integer column with values in
{-1} ∪ [0, k); is deterministic; has a stable fingerprint that an identical
re-construction reproduces; and its one-row call agrees with the applied column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import weaklabel as wl
from weaklabel.labels import ABSTAIN
from weaklabel.matrix import LabelMatrix
from weaklabel.sources.base import Source

LABELS = ("HAM", "SPAM")

CORPUS = [
    "Check out my channel and subscribe!",
    "I love this song so much",
    "free iPhone at http://spam.example",
    "not good, but the chorus is great",
    "This video is terrible and sad",
    "Un café, s'il vous plaît",
    "visit www.example.com NOW",
    "",
    "2:19 best part :)",
    "I hate how catchy this is",
    "subscribe2me",
    "Great song, not bad at all",
]


def _lf() -> Source:
    @wl.labeling_function()
    def short_or_link(x: Any) -> str | int:
        if "http" in x.text or "www." in x.text:
            return "SPAM"
        return 0 if 0 < len(x.text.split()) <= 5 else ABSTAIN

    return short_or_link


def _keyword() -> Source:
    return wl.keyword_source(["check out", "subscribe", "café"], "SPAM", name="kw_spam")


def _regex_re2() -> Source:
    return wl.regex_source(r"https?://|www\.", 1, name="rx_link")


def _regex_python() -> Source:
    # A look-behind: RE2 rejects it, so the column runs on Python's re.
    return wl.regex_source(r"(?<!not )\b(?:good|great|love)\b", "HAM", name="rx_praise")


def _lexicon() -> Source:
    lex = wl.Lexicon(
        ("love", "great", "good", "terrible", "hate", "sad", "free", ":)"),
        ("HAM", "HAM", "HAM", "SPAM", "SPAM", "SPAM", "SPAM", "HAM"),
        (3.0, 2.0, 1.0, 2.5, 2.5, 1.0, 1.0, 2.0),
    )
    return lex.as_source("lexicon")


FACTORIES: list[Callable[[], Source]] = [_lf, _keyword, _regex_re2, _regex_python, _lexicon]


@pytest.fixture(params=FACTORIES, ids=lambda f: f.__name__.lstrip("_"))
def make(request: pytest.FixtureRequest) -> Callable[[], Source]:
    return request.param


def _apply(source: Source) -> LabelMatrix:
    return wl.apply([source], CORPUS, label_names=LABELS, progress=False)


def _as_id(value: Any) -> int:
    if value is None:
        return ABSTAIN
    return LABELS.index(value) if isinstance(value, str) else int(value)


def test_contract_output_is_one_integer_column_of_labels(make: Callable[[], Source]) -> None:
    source = make()
    L = _apply(source)
    assert isinstance(L, LabelMatrix)
    assert L.shape == (len(CORPUS), 1)
    assert L.source_names == (source.name,)
    assert L.label_names == LABELS
    assert np.issubdtype(L.values.dtype, np.integer)
    assert set(np.unique(L.values)) <= {ABSTAIN, *range(len(LABELS))}


def test_contract_votes_on_some_rows_and_abstains_with_minus_one(
    make: Callable[[], Source],
) -> None:
    column = _apply(make()).values[:, 0]
    assert (column == ABSTAIN).any(), "the corpus should make every source abstain somewhere"
    assert (column != ABSTAIN).any(), "the corpus should make every source vote somewhere"
    assert not ((column < ABSTAIN) | (column >= len(LABELS))).any()


def test_contract_applying_twice_gives_identical_results(make: Callable[[], Source]) -> None:
    source = make()
    first, second = _apply(source), _apply(source)
    assert first == second
    assert first.values.dtype == second.values.dtype


def test_contract_fingerprint_is_stable_and_reproducible(make: Callable[[], Source]) -> None:
    source = make()
    fp = source.fingerprint()
    assert isinstance(fp, str) and re.fullmatch(r"[0-9a-f]{32}", fp)
    assert source.fingerprint() == fp
    _apply(source)
    assert source.fingerprint() == fp, "applying must not change the fingerprint"
    assert make().fingerprint() == fp, "an identical re-construction keeps the fingerprint"


def test_contract_regex_sources_cover_both_engines() -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pa.array(["x"])
    pc.match_substring_regex(texts, _regex_re2()._re2_source())  # type: ignore[attr-defined]
    with pytest.raises(pa.ArrowInvalid):
        pc.match_substring_regex(texts, _regex_python()._re2_source())  # type: ignore[attr-defined]


def test_contract_fingerprint_differs_between_source_kinds() -> None:
    fingerprints = [factory().fingerprint() for factory in FACTORIES]
    assert len(set(fingerprints)) == len(FACTORIES)


def test_contract_single_row_call_agrees_with_applied_column(make: Callable[[], Source]) -> None:
    source = make()
    column = _apply(source).values[:, 0].tolist()
    one_by_one = [_as_id(source(text)) for text in CORPUS]  # type: ignore[operator]
    assert one_by_one == column
