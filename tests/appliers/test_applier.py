"""``weaklabel.apply``: inputs, errors that help, fault tolerance, processes, progress.

``apply`` is imported from ``weaklabel`` *before* any ``weaklabel.appliers.*`` submodule: the
other order shadows the function with the subpackage (see
``test_apply_public_function_survives_importing_the_apply_package``).
"""

from __future__ import annotations

import glob
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel import apply
from weaklabel.appliers import rows as rows_module
from weaklabel.errors import SourceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.matrix import LabelMatrix
from weaklabel.sources.base import Corpus, Source

TEXTS = ["Check out my channel", "great song", "free gift http://x.io", "meh"]


def _kw() -> Source:
    return wl.keyword_source(["check out", "free"], 1, name="kw")


def has_link(x: Any) -> int:
    return 1 if "http" in x.text else ABSTAIN


# ---------------------------------------------------------------- inputs
def test_apply_dataframe_series_and_list_give_the_same_matrix() -> None:
    sources: list[Any] = [_kw(), has_link]
    from_list = apply(sources, TEXTS, progress=False)
    from_series = apply(sources, pd.Series(TEXTS, index=[5, 6, 7, 8]), progress=False)
    from_frame = apply(sources, pd.DataFrame({"text": TEXTS}), progress=False)
    from_array = apply(sources, np.array(TEXTS), progress=False)
    assert from_list == from_series == from_frame == from_array
    np.testing.assert_array_equal(from_list.values, [[1, -1], [-1, -1], [1, 1], [-1, -1]])


def test_apply_keeps_source_order_and_names() -> None:
    L = apply([has_link, _kw()], TEXTS, progress=False)
    assert L.source_names == ("has_link", "kw")
    np.testing.assert_array_equal(L.column("has_link"), [-1, -1, 1, -1])


def test_apply_accepts_a_single_source_or_function() -> None:
    assert apply(_kw(), TEXTS, progress=False).source_names == ("kw",)
    assert apply(has_link, TEXTS, progress=False).source_names == ("has_link",)


def test_apply_plain_functions_are_wrapped_and_named() -> None:
    def is_short(x: Any) -> int:
        return 0 if len(x.text) < 5 else ABSTAIN

    L = apply([is_short, has_link], TEXTS, progress=False)
    assert L.source_names == ("is_short", "has_link")
    np.testing.assert_array_equal(L.column("is_short"), [-1, -1, -1, 0])


def test_apply_other_columns_are_visible_to_labeling_functions() -> None:
    frame = pd.DataFrame(
        {"text": TEXTS, "author": ["bot_1", "ann", "bot_2", "bob"], "likes": [0, 10, 0, 3]}
    )

    @wl.labeling_function()
    def bot_author(x: Any) -> int:
        return 1 if x.author.startswith("bot") and x.likes == 0 else ABSTAIN

    L = apply([bot_author], frame, progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, -1, 1, -1])


def test_apply_text_column() -> None:
    frame = pd.DataFrame({"CONTENT": TEXTS, "text": ["free"] * 4})
    L = apply([_kw()], frame, text_column="CONTENT", progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, -1, 1, -1])
    series = apply([_kw()], pd.Series(TEXTS), text_column="body", progress=False)
    assert series == L


def test_apply_missing_text_column_lists_the_columns() -> None:
    frame = pd.DataFrame({"CONTENT": TEXTS})
    with pytest.raises(SourceError, match=r"no column 'text'.*\['CONTENT'\].*text_column="):
        apply([_kw()], frame, progress=False)


@pytest.mark.parametrize("data", ["just one string", {"text": ["a"]}, 42])
def test_apply_rejects_unsupported_data(data: Any) -> None:
    with pytest.raises(SourceError, match="Cannot apply sources to"):
        apply([_kw()], data, progress=False)


def test_apply_empty_data() -> None:
    L = apply([_kw(), has_link], [], progress=False)
    assert L.shape == (0, 2)


def test_apply_label_names_are_stored_and_accept_a_mapping() -> None:
    L = apply([_kw()], TEXTS, label_names={"1": "SPAM", "0": "HAM"}, progress=False)
    assert L.label_names == ("HAM", "SPAM")
    assert isinstance(L, LabelMatrix)


def test_apply_dtype_is_small() -> None:
    assert apply([_kw()], TEXTS, progress=False).values.dtype == np.int8


@pytest.mark.parametrize(
    "first",
    [
        "import weaklabel as wl; wl.SourceCache",
        "import weaklabel.appliers.cache; import weaklabel as wl",
        "from weaklabel.appliers.rows import label_rows; import weaklabel as wl",
    ],
)
def test_apply_public_function_survives_importing_the_apply_package(first: str) -> None:
    code = f"{first}; import sys; sys.exit(0 if callable(wl.apply) else 1)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()


# ---------------------------------------------------------------- errors
def test_apply_returning_names_needs_label_names() -> None:
    def spam(x: Any) -> str:
        return "SPAM"

    with pytest.raises(SourceError, match=r"'spam' returned the class name 'SPAM'.*label_names"):
        apply([spam], TEXTS, progress=False)
    kw = wl.keyword_source("free", "SPAM", name="kw_named")
    with pytest.raises(SourceError, match=r"'kw_named'.*label_names"):
        apply([kw], TEXTS, progress=False)
    L = apply([spam, kw], TEXTS, label_names=["HAM", "SPAM"], progress=False)
    np.testing.assert_array_equal(L.values, [[1, -1], [1, -1], [1, 1], [1, -1]])


def test_apply_unknown_class_name_names_the_source() -> None:
    def eggs(x: Any) -> str:
        return "EGGS"

    with pytest.raises(SourceError, match=r"Source 'eggs'.*'EGGS'"):
        apply([eggs], TEXTS, label_names=["HAM", "SPAM"], progress=False)


@pytest.mark.parametrize("bad", [0.5, 1.0, 7, True, [1], -2])
def test_apply_bad_return_value_names_the_source_and_row(bad: Any) -> None:
    def flaky(x: Any) -> Any:
        return bad if x.text == "meh" else ABSTAIN

    with pytest.raises(SourceError, match=r"Source 'flaky' returned .* on row 3"):
        apply([flaky], TEXTS, label_names=["HAM", "SPAM"], progress=False)


def test_apply_array_return_value_names_the_source_and_row() -> None:
    def vectorish(x: Any) -> Any:
        return np.array([1, 1])

    with pytest.raises(SourceError, match=r"Source 'vectorish' returned .* on row 0"):
        apply([vectorish], TEXTS, progress=False)


def test_apply_exception_names_the_source_the_row_and_the_fix() -> None:
    def needs_url(x: Any) -> int:
        return 1 if x.text.split("http")[1] else 0

    with pytest.raises(SourceError) as info:
        apply([needs_url], TEXTS[2:], progress=False)
    message = str(info.value)
    assert "'needs_url'" in message
    assert "IndexError" in message
    assert "row 1" in message
    assert "'meh'" in message  # a preview of the row
    assert "fault_tolerant=True" in message
    assert isinstance(info.value.__cause__, IndexError)


def test_apply_fault_tolerant_counts_per_source_and_warns() -> None:
    def breaks_on_meh(x: Any) -> int:
        if x.text == "meh":
            raise RuntimeError("boom")
        return 0

    def breaks_on_links(x: Any) -> int:
        if "http" in x.text:
            raise KeyError("no")
        return ABSTAIN

    def fine(x: Any) -> int:
        return 1

    data = TEXTS * 3
    with pytest.warns(UserWarning, match=r"W001.*breaks_on_meh: 3.*breaks_on_links: 3"):
        L = apply([breaks_on_meh, breaks_on_links, fine], data, fault_tolerant=True, progress=False)
    assert L.fault_counts == {"breaks_on_meh": 3, "breaks_on_links": 3}
    assert (L.column("breaks_on_meh")[np.array(data) == "meh"] == ABSTAIN).all()
    assert (L.column("breaks_on_meh")[np.array(data) != "meh"] == 0).all()
    assert (L.column("fine") == 1).all()


def test_apply_without_faults_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        L = apply([has_link], TEXTS, fault_tolerant=True, progress=False)
    assert L.fault_counts == {}


class _BrokenColumnSource(Source):
    name = "broken_column"
    vectorized = True

    def fingerprint(self) -> str:
        return "broken"

    def label_corpus(self, corpus: Corpus, label_space: LabelSpace | None) -> np.ndarray:
        raise ZeroDivisionError("oops")


def test_apply_column_source_exception_names_the_source() -> None:
    with pytest.raises(SourceError, match=r"'broken_column' raised ZeroDivisionError"):
        apply([_BrokenColumnSource()], TEXTS, progress=False)
    with pytest.warns(UserWarning, match="broken_column: 4"):
        L = apply([_BrokenColumnSource()], TEXTS, fault_tolerant=True, progress=False)
    assert L.fault_counts == {"broken_column": 4}
    assert (L.values == ABSTAIN).all()


def test_apply_duplicate_names_raise() -> None:
    with pytest.raises(SourceError, match="share the name 'kw'"):
        apply([_kw(), _kw()], TEXTS, progress=False)
    with pytest.raises(SourceError, match="share the name 'has_link'"):
        apply([has_link, wl.LabelingFunction("has_link", has_link)], TEXTS, progress=False)


def test_apply_non_source_raises() -> None:
    with pytest.raises(SourceError, match="42 is not a weaklabel source"):
        apply([_kw(), 42], TEXTS, progress=False)  # type: ignore[list-item]


@pytest.mark.parametrize("n_jobs", [0, -2])
def test_apply_bad_n_jobs_raises(n_jobs: int) -> None:
    with pytest.raises(ValueError, match="n_jobs must be a positive integer or -1"):
        apply([has_link], TEXTS, n_jobs=n_jobs, progress=False)


# ---------------------------------------------------------------- processes
def _corpus(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    words = np.array(["free", "song", "check", "out", "love", "http://x", "great", "hi"])
    texts = [" ".join(rng.choice(words, size=rng.integers(1, 8))) for _ in range(n)]
    return pd.DataFrame({"text": texts, "author": [f"user{i % 97}" for i in range(n)]})


def test_apply_two_processes_give_exactly_the_same_matrix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frame = _corpus(5_000)
    threshold = 4
    by_length = wl.LabelingFunction(  # a closure lambda: not picklable, fine with fork
        "by_length", lambda x: 1 if len(x.text.split()) > threshold else ABSTAIN
    )

    @wl.labeling_function(name="author_or_word")
    def author_or_word(x: Any) -> int:
        if x.author.endswith("7"):
            return 0
        return 1 if "free" in x.text else ABSTAIN

    sources: list[Any] = [by_length, author_or_word, has_link, _kw()]
    pools: list[int] = []
    real_pool = rows_module.ProcessPoolExecutor

    def spy_pool(*args: Any, **kwargs: Any) -> Any:
        pools.append(kwargs["max_workers"])
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(rows_module, "ProcessPoolExecutor", spy_pool)
    serial = apply(sources, frame, n_jobs=1, progress=False)
    assert pools == []
    parallel = apply(sources, frame, n_jobs=2, progress=False)
    assert pools == [2]
    assert parallel == serial
    assert parallel.values.dtype == serial.values.dtype
    assert (serial.values != ABSTAIN).any(axis=0).all()


def test_apply_error_in_a_worker_names_the_global_row() -> None:
    frame = _corpus(3_000)
    frame.loc[2_345, "text"] = "BOOM"

    def explode(x: Any) -> int:
        if x.text == "BOOM":
            raise ValueError("bad row")
        return ABSTAIN

    with pytest.raises(SourceError, match=r"'explode' raised ValueError on row 2345"):
        apply([explode], frame, n_jobs=2, progress=False)


# ---------------------------------------------------------------- progress
def test_apply_progress_false_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    apply([has_link, _kw()], _corpus(1_500), progress=False)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_apply_progress_true_shows_a_bar(capsys: pytest.CaptureFixture[str]) -> None:
    apply([has_link], _corpus(1_500), progress=True)
    assert "labeling functions (1)" in capsys.readouterr().err


# ---------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def youtube(shared_data: Path) -> pd.DataFrame:
    paths = sorted(glob.glob(str(shared_data / "raw" / "youtube_spam_collection" / "*.csv")))
    assert len(paths) == 5
    return pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)


@pytest.mark.realdata
def test_apply_youtube_spam_keywords_are_precise(youtube: pd.DataFrame) -> None:
    sources = [
        wl.keyword_source(["check out", "subscribe"], "SPAM", name="kw_check_out"),
        wl.keyword_source(["my channel"], "SPAM", name="kw_my_channel"),
        wl.regex_source(r"https?://|www\.", "SPAM", name="rx_link"),
        wl.regex_source(r"(?<!not )\blove (?:this|it)\b", "HAM", name="rx_love_python"),
        wl.keyword_source(["song", "love"], "HAM", name="kw_song"),
    ]
    L = apply(sources, youtube, text_column="CONTENT", label_names=["HAM", "SPAM"], progress=False)
    gold = youtube["CLASS"].to_numpy()
    assert L.shape == (1956, 5)

    def precision(name: str) -> float:
        column = L.column(name)
        fired = column != ABSTAIN
        return float((column[fired] == gold[fired]).mean())

    def coverage(name: str) -> float:
        return float((L.column(name) != ABSTAIN).mean())

    assert precision("kw_check_out") > 0.85
    assert 0.15 < coverage("kw_check_out") < 0.5
    assert precision("kw_my_channel") > 0.85
    assert precision("rx_link") > 0.85
    assert precision("kw_song") > 0.6  # a HAM heuristic: weaker, but better than chance
    assert 0.4 < L.coverage() < 0.95
    for name, source in zip(L.source_names, sources, strict=True):  # one-row call agrees
        votes = [source(text) for text in youtube["CONTENT"]]
        ids = [ABSTAIN if v == ABSTAIN else ["HAM", "SPAM"].index(str(v)) for v in votes]
        np.testing.assert_array_equal(L.column(name), ids, err_msg=name)


@pytest.mark.realdata
def test_apply_youtube_vader_lexicon(youtube: pd.DataFrame) -> None:
    # One Arrow chunk (see test_apply_youtube_vader_lexicon_on_concatenated_frame).
    frame = pd.DataFrame({"CONTENT": youtube["CONTENT"].tolist()})
    vader = wl.Lexicon.from_vader().as_source("vader")
    love = wl.keyword_source(["love", "awesome", "amazing"], "POSITIVE", name="kw_love")
    L = apply(
        [vader, love],
        frame,
        text_column="CONTENT",
        label_names=["NEGATIVE", "POSITIVE"],
        progress=False,
    )
    assert 0.3 < L.coverage() < 0.95
    votes, loves = L.column("vader"), L.column("kw_love") == 1
    assert 0.3 < float((votes != ABSTAIN).mean()) < 0.9
    assert float((votes[loves] == 1).mean()) > 0.9  # comments with "love" read positive
    assert (votes == 1).sum() > 2 * (votes == 0).sum()  # YouTube comments skew positive
    sample = frame["CONTENT"].iloc[::10].tolist()
    one_by_one = [vader(t) for t in sample]
    ids = [ABSTAIN if v == ABSTAIN else ["NEGATIVE", "POSITIVE"].index(str(v)) for v in one_by_one]
    np.testing.assert_array_equal(votes[::10], ids)


@pytest.mark.realdata
def test_apply_youtube_vader_lexicon_on_concatenated_frame(youtube: pd.DataFrame) -> None:
    vader = wl.Lexicon.from_vader().as_source("vader")
    L = apply(
        [vader],
        youtube,
        text_column="CONTENT",
        label_names=["NEGATIVE", "POSITIVE"],
        progress=False,
    )
    assert 0.3 < L.coverage() < 0.9
