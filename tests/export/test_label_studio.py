"""Label Studio task writers: rows, predictions with model_version and score, atomic files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from weaklabel.errors import ParameterError
from weaklabel.export import (
    ExportError,
    classification_tasks,
    fine_tuning_tasks,
    span_tasks,
    write_tasks,
)


def test_label_studio_classification_tasks_take_argmax_and_its_probability() -> None:
    proba = np.array([[0.2, 0.8], [0.6, 0.4]])
    tasks = classification_tasks(
        ["free money", "hi mum"], ["HAM", "SPAM"], proba=proba, rows=[7, 2], model_version="lm-1"
    )
    assert [t["data"] for t in tasks] == [
        {"text": "free money", "row": 7},
        {"text": "hi mum", "row": 2},
    ]
    first = tasks[0]["predictions"][0]
    assert first["model_version"] == "lm-1"
    assert first["score"] == 0.8
    assert first["result"][0]["value"] == {"choices": ["SPAM"]}
    assert first["result"][0]["from_name"] == "label"
    assert first["result"][0]["to_name"] == "text"
    assert tasks[1]["predictions"][0]["result"][0]["value"] == {"choices": ["HAM"]}
    assert tasks[1]["predictions"][0]["score"] == 0.6


def test_label_studio_classification_tasks_from_ids_names_and_abstains() -> None:
    tasks = classification_tasks(
        ["a", "b", "c"],
        ["HAM", "SPAM"],
        predicted=np.array([1, -1, 0]),
        scores=[0.9, None, None],
        data={"source": np.array(["x", "y", "z"])},
    )
    assert tasks[0]["predictions"][0]["score"] == 0.9
    assert "predictions" not in tasks[1]
    assert "score" not in tasks[2]["predictions"][0]
    assert [t["data"]["source"] for t in tasks] == ["x", "y", "z"]
    named = classification_tasks(["a"], ["HAM", "SPAM"], predicted=["SPAM"])
    assert named[0]["predictions"][0]["result"][0]["value"] == {"choices": ["SPAM"]}
    json.dumps(tasks)  # NumPy values became plain JSON values


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"predicted": [2]}, ExportError, r"\[E694\]"),
        ({"predicted": ["EGGS"]}, ExportError, r"\[E694\]"),
        ({"predicted": [1, 0]}, ExportError, r"\[E690\] predicted has 2 items"),
        ({"predicted": [1], "scores": [float("nan")]}, ExportError, r"\[E695\]"),
        ({"proba": np.ones((1, 3))}, ParameterError, r"\[E060\].*proba"),
        ({"proba": np.ones((1, 2)), "predicted": [1]}, ParameterError, r"\[E060\]"),
        ({"scores": [0.5]}, ParameterError, r"\[E060\].*scores"),
        ({"rows": [-1]}, ParameterError, r"\[E060\].*rows"),
        ({"from_name": "text"}, ParameterError, r"\[E692\]"),
        ({"data": {"row": [1]}}, ParameterError, r"\[E692\]"),
    ],
)
def test_label_studio_classification_tasks_reject_bad_input(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        classification_tasks(["one text"], ["HAM", "SPAM"], **kwargs)  # type: ignore[arg-type]


def test_label_studio_tasks_reject_non_string_text() -> None:
    with pytest.raises(ExportError, match=r"\[E693\] Text 1"):
        classification_tasks(["a", None], ["HAM", "SPAM"])  # type: ignore[list-item]


def test_label_studio_span_tasks_from_triples_with_scores() -> None:
    text = "Zoë 😀 visited Paris"
    tasks = span_tasks(
        [text, "nothing here", "no prediction"],
        spans=[[(0, 3, "PER", 0.9), (14, 19, "LOC", 0.6)], [], None],
        labels=["PER", "LOC"],
    )
    regions = tasks[0]["predictions"][0]["result"]
    assert [r["value"] for r in regions] == [
        {"start": 0, "end": 3, "text": "Zoë", "labels": ["PER"]},
        {"start": 14, "end": 19, "text": "Paris", "labels": ["LOC"]},
    ]
    assert [r["score"] for r in regions] == [0.9, 0.6]
    assert tasks[0]["predictions"][0]["score"] == 0.6  # the least certain span
    assert tasks[1]["predictions"][0]["result"] == []
    assert "score" not in tasks[1]["predictions"][0]
    assert "predictions" not in tasks[2]
    assert len({r["id"] for r in regions}) == 2


def test_label_studio_span_tasks_read_docs_and_their_span_probabilities() -> None:
    spacy = pytest.importorskip("spacy")
    import weaklabel as wl

    nlp = spacy.blank("en")
    doc = nlp("Ada Lovelace met Charles Babbage in London")
    tags = ["B-PER", "I-PER", "O", "B-PER", "I-PER", "O", "B-LOC"]
    probs = np.full((7, 5), 0.05)
    names = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
    for t, tag in enumerate(tags):
        probs[t, names.index(tag)] = 0.8
    wl.write_spans([doc], [tags], name="pred", probabilities=[probs], tag_names=names)
    task = span_tasks([doc], span_key="pred")[0]
    values = [r["value"] for r in task["predictions"][0]["result"]]
    assert [(v["start"], v["end"], v["labels"][0]) for v in values] == [
        (0, 12, "PER"),
        (17, 32, "PER"),
        (36, 42, "LOC"),
    ]
    scores = [r["score"] for r in task["predictions"][0]["result"]]
    assert scores == pytest.approx([0.85, 0.85, 0.85])
    doc.ents = [doc.char_span(36, 42, label="GPE")]
    ents = span_tasks([doc])[0]["predictions"][0]
    assert [r["value"]["labels"] for r in ents["result"]] == [["GPE"]]
    with pytest.raises(ExportError, match=r"\[E697\] Doc 0: no such span group"):
        span_tasks([doc], span_key="missing")


@pytest.mark.parametrize(
    ("span", "match"),
    [
        ((3, 3, "X"), r"outside the text"),
        ((0, 99, "X"), r"outside the text"),
        ((0, 1), r"not a 3- or 4-tuple"),
        ((0.0, 1, "X"), r"not integers"),
        ((0, 1, ""), r"no label"),
    ],
)
def test_label_studio_span_tasks_reject_bad_spans(span: tuple[object, ...], match: str) -> None:
    with pytest.raises(ExportError, match=r"\[E691\] Text 0: .*" + match):
        span_tasks(["short"], spans=[[span]])


def test_label_studio_span_tasks_check_labels_when_given() -> None:
    with pytest.raises(ExportError, match=r"\[E694\].*'ORG'"):
        span_tasks(["short"], spans=[[(0, 1, "ORG")]], labels=["PER"])


def test_label_studio_fine_tuning_tasks_send_drafts_as_predictions() -> None:
    tasks = fine_tuning_tasks(
        ["Say hi", "Count"], ["Hi! 👋", None], scores=[0.4, None], rows=[5, 6]
    )
    assert tasks[0]["data"] == {"prompt": "Say hi", "row": 5}
    prediction = tasks[0]["predictions"][0]
    assert prediction["result"][0]["value"] == {"text": ["Hi! 👋"]}
    assert prediction["result"][0]["from_name"] == "instruction"
    assert prediction["result"][0]["type"] == "textarea"
    assert prediction["score"] == 0.4
    assert "predictions" not in tasks[1]


def test_label_studio_write_tasks_is_atomic_and_does_not_overwrite(tmp_path: Path) -> None:
    tasks = classification_tasks(["ünï", "b"], ["HAM", "SPAM"], predicted=[0, 1])
    path = write_tasks(tasks, tmp_path / "tasks.json")
    assert json.loads(path.read_text(encoding="utf-8")) == tasks
    with pytest.raises(FileExistsError, match=r"\[E671\].*overwrite=True"):
        write_tasks(tasks[:1], path)
    assert json.loads(path.read_text(encoding="utf-8")) == tasks
    write_tasks(tasks[:1], path, overwrite=True)
    assert json.loads(path.read_text(encoding="utf-8")) == tasks[:1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tasks.json"]  # no temp files


def test_label_studio_write_tasks_rejects_what_json_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\[E696\] Task 1"):
        write_tasks([{"data": {}}, {"data": {"x": object()}}], tmp_path / "t.json")
    with pytest.raises(ExportError, match=r"\[E696\] Task 0"):
        write_tasks([{"text": "no data"}], tmp_path / "t.json")
    assert not (tmp_path / "t.json").exists()
