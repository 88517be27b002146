"""Chat-messages and prompt/completion JSONL: templates, answers, weighting, readers."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from weaklabel.errors import ExportError
from weaklabel.export.chat import (
    chat_records,
    read_chat_jsonl,
    read_prompt_completion,
    write_chat_jsonl,
    write_prompt_completion,
)

EXPLAIN = {"HAM": "Not spam: a real comment.", "SPAM": "Spam: it advertises."}


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [10, 11, 12, 13],
            "text": ["check my channel", "nice song {x}", "Ünïcode 🎵\nline two", "meh"],
            "label": ["SPAM", "HAM", "HAM", None],
            "why": ["self-promotion", "about the song", "praise", None],
            "p_HAM": [0.1, 0.7, 0.95, 0.5],
            "p_SPAM": [0.9, 0.3, 0.05, 0.5],
        }
    )


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_chat_writes_system_user_assistant_turns_from_templates(
    frame: pd.DataFrame, tmp_path: Path
) -> None:
    report = write_chat_jsonl(
        frame,
        tmp_path / "a.jsonl",
        system="Label YouTube comments as HAM or SPAM.",
        user_template="Comment {id}: {text}",
        drop_unlabeled=True,
    )
    assert (report.n_rows, report.n_written, report.n_dropped_unlabeled) == (4, 3, 1)
    records = _lines(tmp_path / "a.jsonl")
    assert records[0] == {
        "messages": [
            {"role": "system", "content": "Label YouTube comments as HAM or SPAM."},
            {"role": "user", "content": "Comment 10: check my channel"},
            {"role": "assistant", "content": "SPAM"},
        ]
    }
    back = read_chat_jsonl(tmp_path / "a.jsonl", user_template="Comment {id}: {text}")
    assert back["text"].tolist() == frame["text"][:3].tolist()
    assert back["label"].tolist() == ["SPAM", "HAM", "HAM"]
    assert back["id"].tolist() == ["10", "11", "12"]


def test_chat_unlabeled_row_is_an_error_naming_the_row(frame: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\[E857\] write_chat_jsonl: row 3 has no answer"):
        write_chat_jsonl(frame, tmp_path / "a.jsonl")
    assert not (tmp_path / "a.jsonl").exists()


def test_chat_explanation_answers_read_back_to_labels(frame: pd.DataFrame, tmp_path: Path) -> None:
    write_chat_jsonl(
        frame.iloc[:3], tmp_path / "e.jsonl", answer="explanation", explanations=EXPLAIN
    )
    assert _lines(tmp_path / "e.jsonl")[0]["messages"][-1]["content"] == EXPLAIN["SPAM"]  # type: ignore[index]
    back = read_chat_jsonl(tmp_path / "e.jsonl", answer="explanation", explanations=EXPLAIN)
    assert back["label"].tolist() == ["SPAM", "HAM", "HAM"]


def test_chat_free_text_answer_from_a_column(frame: pd.DataFrame, tmp_path: Path) -> None:
    write_chat_jsonl(
        frame, tmp_path / "f.jsonl", answer="why", assistant_template="{label} ({answer})",
        drop_unlabeled=True,
    )  # fmt: skip
    contents = [r["messages"][-1]["content"] for r in _lines(tmp_path / "f.jsonl")]  # type: ignore[index]
    assert contents == ["SPAM (self-promotion)", "HAM (about the song)", "HAM (praise)"]


def test_chat_weight_example_holds_the_label_probability(
    frame: pd.DataFrame, tmp_path: Path
) -> None:
    write_chat_jsonl(frame.iloc[:3], tmp_path / "w.jsonl", weight="example")
    assert [r["weight"] for r in _lines(tmp_path / "w.jsonl")] == [0.9, 0.7, 0.95]
    back = read_chat_jsonl(tmp_path / "w.jsonl")
    assert back["weight"].tolist() == [0.9, 0.7, 0.95]


def test_chat_weight_assistant_is_0_or_1_and_min_confidence_drops(
    frame: pd.DataFrame, tmp_path: Path
) -> None:
    report = write_chat_jsonl(
        frame.iloc[:3], tmp_path / "w.jsonl", weight="assistant", weight_threshold=0.8,
        min_confidence=0.75,
    )  # fmt: skip
    assert (report.n_written, report.n_dropped_low_confidence) == (2, 1)
    weights = [r["messages"][-1]["weight"] for r in _lines(tmp_path / "w.jsonl")]  # type: ignore[index]
    assert weights == [1, 1]
    write_chat_jsonl(frame.iloc[:3], tmp_path / "v.jsonl", weight="assistant", weight_threshold=0.8)
    weights = [r["messages"][-1]["weight"] for r in _lines(tmp_path / "v.jsonl")]  # type: ignore[index]
    assert weights == [1, 0, 1]


def test_chat_weighting_without_probabilities_is_an_error(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": ["a"], "label": ["X"]})
    with pytest.raises(ExportError, match=r"\[E866\].*min_confidence needs the probability"):
        write_chat_jsonl(frame, tmp_path / "a.jsonl", min_confidence=0.5)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"user_template": "{txt}"}, "E855"),
        ({"user_template": "{0}"}, "E855"),
        ({"user_template": "{text"}, "E855"),
        ({"answer": "explanation", "explanations": {"SPAM": "x"}}, "E856"),
        ({"answer": "explanation", "explanations": {"SPAM": "x", "HAM": "x"}}, "E856"),
        ({"answer": "nope"}, "E850"),
        ({"weight": "loss"}, "E060"),
        ({"min_confidence": 1.5}, "E060"),
        ({"weight": "assistant", "weight_threshold": "high"}, "E060"),
        ({"label_names": ["SPAM", "OTHER"]}, "E853"),
        ({"label_names": ["SPAM", "HAM", "OTHER"]}, "E850"),
    ],
)
def test_chat_bad_options_raise_numbered_errors(
    frame: pd.DataFrame, kwargs: dict[str, object], code: str
) -> None:
    with pytest.raises(ExportError, match=rf"\[{code}\]"):
        chat_records(frame.iloc[:3], **kwargs)  # type: ignore[arg-type]


def test_chat_bad_rows_name_row_and_field(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\[E851\] write_chat_jsonl: row 1: text must be"):
        chat_records(pd.DataFrame({"text": ["a", 3], "label": ["X", "Y"]}))
    with pytest.raises(ExportError, match=r"\[E853\] .*row 1: label 'Z'"):
        chat_records(pd.DataFrame({"text": ["a", "b"], "label": ["X", "Z"], "p_X": [1.0, 1.0]}))
    with pytest.raises(ExportError, match=r"\[E854\] .*row 0"):
        chat_records(pd.DataFrame({"text": ["a"], "label": ["X"], "p_X": [1.5]}))


def test_chat_refuses_to_overwrite_unless_asked(frame: pd.DataFrame, tmp_path: Path) -> None:
    target = tmp_path / "a.jsonl"
    target.write_text("mine\n")
    with pytest.raises(FileExistsError, match=r"\[E867\]"):
        write_chat_jsonl(frame.iloc[:3], target)
    assert target.read_text() == "mine\n"
    write_chat_jsonl(frame.iloc[:3], target, overwrite=True)
    assert len(_lines(target)) == 3


def test_prompt_completion_round_trip(frame: pd.DataFrame, tmp_path: Path) -> None:
    report = write_prompt_completion(
        frame.iloc[:3], tmp_path / "p.jsonl", user_template="Classify: {text}\nAnswer:",
        assistant_template=" {answer}", weight="example",
    )  # fmt: skip
    assert report.n_written == 3
    assert set(_lines(tmp_path / "p.jsonl")[0]) == {"prompt", "completion", "weight"}
    back = read_prompt_completion(
        tmp_path / "p.jsonl",
        user_template="Classify: {text}\nAnswer:",
        assistant_template=" {answer}",
    )
    assert back["text"].tolist() == frame["text"][:3].tolist()
    assert back["label"].tolist() == ["SPAM", "HAM", "HAM"]
    with pytest.raises(ExportError, match=r"\[E060\]"):
        write_prompt_completion(frame.iloc[:3], tmp_path / "q.jsonl", weight="assistant")


def test_chat_reader_names_the_line_that_does_not_fit(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(
        '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "B"}]}\n'
        "not json\n",
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match=r"\[E858\] .*x.jsonl, line 2: not JSON"):
        read_chat_jsonl(path)
    with pytest.raises(ExportError, match=r"\[E859\] .*line 1: the user text 'a'"):
        read_chat_jsonl(path, user_template="Q: {text}")
