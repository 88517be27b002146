"""Tests of prepare(): ids, the dropped table, the report, and the checks of its inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weaklabel.errors import PrepareError
from weaklabel.prepare import (
    ExactDuplicates,
    LengthFilter,
    NormalizeWhitespace,
    PreparedCorpus,
    Step,
    StepResult,
    default_steps,
    prepare,
)

YOUTUBE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "raw"


def test_prepare_keeps_given_ids_and_reports_every_drop():
    raw = pd.DataFrame(
        {
            "key": ["a", "b", "c", "d", "e"],
            "text": ["Hello  world", None, "hello world", "   ", "fine text"],
            "label": [1, 0, 1, 0, 1],
        }
    )
    out = prepare(raw, id_column="key", steps=[NormalizeWhitespace(), ExactDuplicates()])
    assert isinstance(out, PreparedCorpus)
    assert out.frame["key"].tolist() == ["a", "e"]
    assert out.frame["text"].tolist() == ["Hello world", "fine text"]
    assert out.frame["label"].tolist() == [1, 1]
    assert out.dropped.to_dict("records") == [
        {"id": "b", "step": "input", "reason": "missing text"},
        {"id": "d", "step": "whitespace", "reason": "empty text"},
        {"id": "c", "step": "exact_duplicates", "reason": "exact duplicate of id a"},
    ]
    assert out.report["step"].tolist() == ["input", "whitespace", "exact_duplicates"]
    assert out.report["dropped"].tolist() == [1, 1, 1]
    assert out.report["changed"].tolist() == [0, 2, 0]
    assert "prepare whitespace: 4 rows in, 2 changed, 1 dropped, 3 out" in out.summary()


def test_prepare_numbers_raw_rows_when_there_is_no_id_column():
    out = prepare(["x", "", "y", "x"], steps=[ExactDuplicates()])
    assert out.frame.columns.tolist() == ["id", "text"]
    assert out.frame["id"].tolist() == [0, 2]
    assert out.dropped["id"].tolist() == [1, 3]


def test_prepare_refuses_bad_ids_and_bad_tables():
    with pytest.raises(PrepareError, match=r"\[E802\].*repeated id 'a'.*raw row 1"):
        prepare(pd.DataFrame({"id": ["a", "a"], "text": ["x", "y"]}))
    with pytest.raises(PrepareError, match=r"\[E802\].*repeated id 7, e\.g\. at raw row 2"):
        prepare(pd.DataFrame({"id": [7, 8, 7], "text": ["x", "y", "z"]}, index=[5, 2, 9]))
    with pytest.raises(PrepareError, match=r"\[E802\].*missing ids.*raw row 0"):
        prepare(pd.DataFrame({"id": [None, "a"], "text": ["x", "y"]}))
    with pytest.raises(PrepareError, match=r"\[E801\].*'body'"):
        prepare(pd.DataFrame({"text": ["x"]}), text_column="body")
    with pytest.raises(PrepareError, match=r"\[E800\]"):
        prepare(42)  # type: ignore[arg-type]


def test_prepare_refuses_bad_steps():
    with pytest.raises(PrepareError, match=r"\[E803\].*Step 1"):
        prepare(["x"], steps=[ExactDuplicates(), str.strip])  # type: ignore[list-item]
    with pytest.raises(PrepareError, match=r"\[E804\].*'length'"):
        prepare(["x"], steps=[LengthFilter(), LengthFilter()])

    class Broken(Step):
        name = "broken"

        def run(self, texts, ids):
            return StepResult(texts.iloc[:-1])

    with pytest.raises(PrepareError, match=r"\[E805\].*'broken'.*another length"):
        prepare(["x", "y"], steps=[Broken()])


def test_prepare_logs_one_line_per_step():
    lines: list[str] = []
    prepare(["a b", "a  b"], steps=default_steps(), log=lines.append)
    assert [line.split(":")[0] for line in lines] == [
        "prepare input",
        "prepare strip_html",
        "prepare fix_text",
        "prepare whitespace",
        "prepare exact_duplicates",
        "prepare near_duplicates",
    ]


texts = st.one_of(st.none(), st.text(max_size=30), st.sampled_from(["dup text", "Dup  text"]))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(texts, max_size=30))
def test_every_raw_row_is_kept_or_dropped_exactly_once(raw):
    frame = pd.DataFrame({"text": pd.Series(raw, dtype=object), "n": np.arange(len(raw))})
    out = prepare(frame, steps=[*default_steps(), LengthFilter(max_chars=20)])
    kept, dropped = out.frame["id"].tolist(), out.dropped["id"].tolist()
    assert sorted(kept + dropped) == list(range(len(raw)))
    assert (out.frame["n"] == out.frame["id"]).all()  # every row traces back to its raw row
    assert (out.frame["text"].str.len() > 0).all()
    assert out.report["rows_out"].iloc[-1] == len(kept)


@pytest.mark.skipif(not YOUTUBE.is_dir(), reason="the shared data is not here")
def test_prepare_on_the_youtube_comments():
    files = sorted((YOUTUBE / "youtube_spam_collection").glob("*.csv"))
    raw = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    out = prepare(raw, text_column="CONTENT", id_column=None)
    assert len(out.frame) + len(out.dropped) == len(raw) == 1956
    assert not out.frame["CONTENT"].str.contains("<br", regex=False).any()
    assert not out.frame["CONTENT"].str.contains("&#39;", regex=False).any()
    assert not out.frame["CONTENT"].str.contains("\ufeff", regex=False).any()
    counts = out.dropped["step"].value_counts().to_dict()
    assert counts["exact_duplicates"] > 200 and counts["near_duplicates"] > 0
