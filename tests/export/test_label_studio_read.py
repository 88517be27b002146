"""Reading Label Studio exports: gold labels, annotator matrix, spans, responses, predictions.

Exports are simulated from weaklabel's own tasks (``simulate.py``), as JSON and JSON_MIN;
the round trips are property tests over random Unicode texts, offsets and labels.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.export import simulate
from weaklabel.errors import ParameterError
from weaklabel.export import (
    ExportError,
    annotator_matrix,
    classification_tasks,
    fine_tuning_tasks,
    gold_labels,
    gold_spans,
    prompt_response_pairs,
    read_predictions,
    span_tasks,
    write_tasks,
)

LABELS = ["HAM", "SPAM", "EGGS"]


def _both(export: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The export as JSON and as JSON_MIN (each through a real JSON encode/decode)."""
    return [json.loads(json.dumps(e)) for e in (export, simulate.json_min_export(export))]


@pytest.fixture
def classification_export() -> list[dict[str, Any]]:
    tasks = classification_tasks(
        ["a", "b", "c", "d", "e"], LABELS, predicted=[0, 1, 2, 0, 1], rows=[4, 0, 1, 2, 5]
    )
    c = simulate.choice
    answers: dict[int | str, list[Any]] = {
        1: [c("HAM"), c("SPAM"), c("EGGS"), None, c("HAM")],
        2: [c("HAM"), c("HAM"), None, None, None],
        "z@example.com": [c("SPAM"), c("HAM"), None, None, c("SPAM")],
    }
    return simulate.json_export(tasks, answers, cancelled={2: [4]})


def test_label_studio_read_gold_labels_by_majority(classification_export: Any) -> None:
    for export in _both(classification_export):
        # rows 4, 0, 1, 2, 5 hold tasks 0..4; row 3 has no task
        y = gold_labels(export, LABELS, n_rows=7)
        assert y.tolist() == [0, 2, -1, -1, 0, -1, -1]
        assert y.dtype == np.int64
        unanimous = gold_labels(export, LABELS, combine="unanimous")
        assert unanimous.tolist() == [-1, 2, -1, -1, -1, -1]
        only_one = gold_labels(export, LABELS, annotator="z@example.com")
        assert only_one.tolist() == [0, -1, -1, -1, 1, 1]


def test_label_studio_read_ground_truth_answers_win(classification_export: Any) -> None:
    export = copy.deepcopy(classification_export)
    export[0]["annotations"][2]["ground_truth"] = True  # z says SPAM on row 4
    assert gold_labels(export, LABELS).tolist()[4] == 1


def test_label_studio_read_annotator_matrix(classification_export: Any) -> None:
    for export in _both(classification_export):
        L = annotator_matrix(export, LABELS, n_rows=6)
        assert L.label_names == tuple(LABELS)
        assert sorted(L.source_names) == ["1", "2", "z@example.com"]
        by_name = {n: L.values[:, j].tolist() for j, n in enumerate(L.source_names)}
        assert by_name["1"] == [1, 2, -1, -1, 0, 0]
        assert by_name["2"] == [0, -1, -1, -1, 0, -1]  # the cancelled row 5 is no answer
        assert by_name["z@example.com"] == [0, -1, -1, -1, 1, 1]


def test_label_studio_read_cancelled_only_task_gives_no_label() -> None:
    tasks = classification_tasks(["a"], LABELS)
    export = simulate.json_export(tasks, {1: [simulate.choice("SPAM")]}, cancelled={1: [0]})
    for e in _both(export):
        assert gold_labels(e, LABELS, n_rows=1).tolist() == [-1]


def test_label_studio_read_predictions_need_a_snapshot(classification_export: Any) -> None:
    preds = read_predictions(classification_export, "classification", labels=LABELS)
    assert [(p.row, p.value, p.model_version) for p in preds][:2] == [
        (4, "HAM", "weaklabel"),
        (0, "SPAM", "weaklabel"),
    ]
    tasks = classification_tasks(["a"], LABELS, predicted=[1])
    quick = simulate.json_export(tasks, {1: [None]}, prediction_ids_only=True)
    with pytest.raises(ExportError, match=r"\[E680\] task 100 \(position 0\)"):
        read_predictions(quick, "classification", labels=LABELS)
    assert gold_labels(quick, LABELS).tolist() == [-1]  # annotations still read
    with pytest.raises(ExportError, match=r"JSON_MIN holds no predictions"):
        read_predictions(simulate.json_min_export(quick), "spans")
    with pytest.raises(ParameterError, match=r"\[E060\]"):
        read_predictions(quick, "classification")


def test_label_studio_read_from_a_file(tmp_path: Path, classification_export: Any) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(classification_export, ensure_ascii=False), encoding="utf-8")
    assert gold_labels(path, LABELS).tolist() == gold_labels(classification_export, LABELS).tolist()
    assert gold_labels(str(path), LABELS).shape == (6,)


def test_label_studio_read_spans_per_row() -> None:
    text = "Ada 😀 met Grace in Zürich"
    tasks = span_tasks([text, "none", "later"], labels=["PER", "LOC"])
    ada, grace, zurich = (0, 3, "PER"), (10, 15, "PER"), (19, 25, "LOC")
    answers: dict[int | str, list[Any]] = {
        1: [simulate.spans(text, [ada, grace, zurich]), simulate.spans("none", []), None],
        2: [simulate.spans(text, [zurich, ada]), None, None],
        3: [simulate.spans(text, [ada, (10, 15, "LOC")]), None, None],
    }
    for export in _both(simulate.json_export(tasks, answers)):
        assert gold_spans(export, labels=["PER", "LOC"]) == [[ada, zurich], [], None]
        assert gold_spans(export, combine="unanimous")[0] == [ada]
        assert gold_spans(export, annotator=3)[0] == [ada, (10, 15, "LOC")]
        assert gold_spans(export, annotator=2) == [[ada, zurich], None, None]


def test_label_studio_read_prompt_response_pairs() -> None:
    tasks = fine_tuning_tasks(["Say hi", "Count to 3"], ["hello", None], rows=[1, 0])
    answers: dict[int | str, list[Any]] = {
        1: [simulate.response("Hi! 👋"), simulate.response("1, 2, 3")],
        2: [None, simulate.response("one two three")],
    }
    for export in _both(simulate.json_export(tasks, answers)):
        pairs = prompt_response_pairs(export)
        assert sorted(pairs) == [
            (0, "Count to 3", "1, 2, 3", "1"),
            (0, "Count to 3", "one two three", "2"),
            (1, "Say hi", "Hi! 👋", "1"),
        ]
        assert [p.response for p in prompt_response_pairs(export, annotator=2)] == ["one two three"]


# ------------------------------------------------------------------------ malformed
def _good() -> list[dict[str, Any]]:
    text = "Ann lives in Paris"
    tasks = span_tasks([text], spans=[[(0, 3, "PER", 0.5)]])
    return simulate.json_export(tasks, {7: [simulate.spans(text, [(0, 3, "PER")])]})


def _set(path: str, value: Any) -> Any:
    def change(export: list[dict[str, Any]]) -> list[dict[str, Any]]:
        node: Any = export
        keys = [int(k) if k.isdigit() else k for k in path.split("/")]
        for key in keys[:-1]:
            node = node[key]
        if value is KeyError:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value
        return export

    return change


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda e: {"tasks": e}, r"\[E672\].*got dict"),
        (lambda e: [*e, 3], r"\[E673\] item 1"),
        (lambda e: [*e, {"text": "x"}], r"\[E673\] item 1"),
        (_set("0/data/row", KeyError), r"\[E674\] task 100 \(position 0\): 'data.row' is missing"),
        (_set("0/data/row", "3"), r"\[E675\] task 100 .*'data.row' must be a row number"),
        (_set("0/data/row", True), r"'data.row' must be a row number"),
        (_set("0/annotations", {}), r"'annotations' must be a list"),
        (
            _set("0/annotations/0/completed_by", KeyError),
            r"\[E674\].*'annotations\[0\].completed_by'",
        ),
        (_set("0/annotations/0/completed_by", 1.5), r"'annotations\[0\].completed_by' must be"),
        (_set("0/annotations/0/was_cancelled", "no"), r"'annotations\[0\].was_cancelled' must be"),
        (_set("0/annotations/0/result", None), r"'annotations\[0\].result' must be a list"),
        (_set("0/annotations/0/result/0/type", "choices"), r"'annotations\[0\].result\[0\].type'"),
        (_set("0/annotations/0/result/0/value", []), r"'annotations\[0\].result\[0\].value'"),
        (
            _set("0/annotations/0/result/0/value/start", "0"),
            r"result\[0\].value.start' must be an integer",
        ),
        (_set("0/annotations/0/result/0/value/end", 99), r"\[E677\].*start=0, end=99.*<= 18"),
        (_set("0/annotations/0/result/0/value/start", 3), r"\[E677\]"),
        (_set("0/annotations/0/result/0/value/text", "Anna"), r"\[E678\].*'Anna'.*'Ann'"),
        (_set("0/annotations/0/result/0/value/labels", []), r"value.labels' must be a non-empty"),
        (_set("0/annotations/0/result/0/value/labels", ["ORG"]), r"\[E676\].*'ORG'.*\['PER'\]"),
        (_set("0/data/text", 5), r"'data.text' must be a string"),
        (lambda e: [e[0], copy.deepcopy(e[0])], r"\[E679\] task 100 \(position 1\): row 0"),
        (
            lambda e: _set("0/annotations", e[0]["annotations"] * 2)(e),
            r"\[E681\].*annotator '7' answered row 0 twice",
        ),
    ],
)
def test_label_studio_read_rejects_malformed_exports(change: Any, match: str) -> None:
    with pytest.raises(ExportError, match=match):
        gold_spans(change(_good()), labels=["PER"], n_rows=1)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (_set("0/predictions/0/score", "high"), r"'predictions\[0\].score' must be a finite"),
        (_set("0/predictions/0/model_version", 3), r"'predictions\[0\].model_version'"),
        (_set("0/predictions/0/result/0/value/start", -1), r"\[E677\]"),
    ],
)
def test_label_studio_read_rejects_malformed_predictions(change: Any, match: str) -> None:
    with pytest.raises(ExportError, match=match):
        read_predictions(change(_good()), "spans")


def test_label_studio_read_rejects_bad_choices_and_rows() -> None:
    tasks = classification_tasks(["a"], LABELS, rows=[3])
    two = [{**simulate.choice("HAM")[0], "value": {"choices": ["HAM", "SPAM"]}}]
    export = simulate.json_export(tasks, {1: [two]})
    with pytest.raises(ExportError, match=r"\[E683\].*has 2 choices"):
        gold_labels(export, LABELS)
    good = simulate.json_export(tasks, {1: [simulate.choice("HAM")]})
    with pytest.raises(ExportError, match=r"\[E682\].*row 3 does not fit n_rows=2"):
        gold_labels(good, LABELS, n_rows=2)
    with pytest.raises(ExportError, match=r"\[E676\] .*'HAM'"):
        gold_labels(good, ["SPAM", "EGGS"])
    with pytest.raises(ParameterError, match=r"n_rows must be an int >= 0"):
        gold_labels(good, LABELS, n_rows="3")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"combine"):
        gold_labels(good, LABELS, combine="mean")  # type: ignore[arg-type]
    minimal = simulate.json_min_export(good)
    minimal[0]["annotator"] = [1]
    with pytest.raises(ExportError, match=r"\[E675\] record 0 \(task 100\).*'annotator'"):
        gold_labels(minimal, LABELS)


# ------------------------------------------------------------------------ round trips
texts = st.text(min_size=1, max_size=40)
names = st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=5, unique=True)
scores = st.floats(0, 1, allow_nan=False)


@st.composite
def span_rows(
    draw: st.DrawFn,
) -> tuple[list[str], list[list[tuple[int, int, str, float]]], list[str]]:
    types = draw(names)
    rows_text, rows_spans = [], []
    for _ in range(draw(st.integers(1, 4))):
        text = draw(texts)
        spans = set()
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            spans.add((start, end, draw(st.sampled_from(types)), draw(scores)))
        rows_text.append(text)
        rows_spans.append(sorted(spans))
    return rows_text, rows_spans, types


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), labels=names)
def test_label_studio_round_trip_classification(data: st.DataObject, labels: list[str]) -> None:
    n = data.draw(st.integers(1, 6))
    rows_text = data.draw(st.lists(texts, min_size=n, max_size=n))
    rows = data.draw(st.permutations(range(n)))
    proba = np.array(
        data.draw(
            st.lists(
                st.lists(scores, min_size=len(labels), max_size=len(labels)), min_size=n, max_size=n
            )
        )
    )
    tasks = classification_tasks(rows_text, labels, proba=proba, rows=rows, model_version="v ☃")
    picks = [labels[int(k)] for k in proba.argmax(axis=1)]
    export = simulate.json_export(tasks, {"a@x": [simulate.choice(p) for p in picks]})
    for e in _both(export):
        expected = np.full(n, -1)
        expected[rows] = proba.argmax(axis=1)
        assert gold_labels(e, labels, n_rows=n).tolist() == expected.tolist()
        L = annotator_matrix(e, labels, n_rows=n)
        assert L.values[:, 0].tolist() == expected.tolist()
    predictions = read_predictions(export, "classification", labels=labels)
    assert [(p.row, p.value, p.score, p.model_version) for p in predictions] == [
        (r, picks[i], float(proba[i].max()), "v ☃") for i, r in enumerate(rows)
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=span_rows())
def test_label_studio_round_trip_spans(case: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    rows_text, rows_spans, types = case
    tasks = span_tasks(rows_text, spans=rows_spans, labels=types)
    path = write_tasks(tasks, tmp_path_factory.mktemp("rt") / "tasks.json")
    written = json.loads(path.read_text(encoding="utf-8"))
    triples = [[s[:3] for s in spans] for spans in rows_spans]
    answers = {1: [simulate.spans(t, s) for t, s in zip(rows_text, triples, strict=True)]}
    export = simulate.json_export(written, answers)
    for e in _both(export):
        assert gold_spans(e, labels=types) == [sorted(set(s)) for s in triples]
    predictions = read_predictions(path, "spans", labels=types)
    assert [list(p.value) for p in predictions] == triples
    assert [list(p.region_scores) for p in predictions] == [[s[3] for s in sp] for sp in rows_spans]
    assert [p.score for p in predictions] == [
        min((s[3] for s in sp), default=None) for sp in rows_spans
    ]


@settings(max_examples=40, deadline=None)
@given(
    pairs=st.lists(st.tuples(texts, texts, st.one_of(st.none(), scores)), min_size=1, max_size=5)
)
def test_label_studio_round_trip_fine_tuning(pairs: list[tuple[str, str, float | None]]) -> None:
    prompts = [p for p, _, _ in pairs]
    drafts = [r for _, r, _ in pairs]
    tasks = fine_tuning_tasks(prompts, drafts, scores=[s for _, _, s in pairs])
    answers = {"me": [simulate.response(r) for r in drafts]}
    for e in _both(simulate.json_export(tasks, answers)):
        got = prompt_response_pairs(e)
        assert [(p.row, p.prompt, p.response) for p in got] == [
            (i, p, r) for i, (p, r, _) in enumerate(pairs)
        ]
    predictions = read_predictions(tasks, "fine_tuning")
    assert [(p.value, p.score) for p in predictions] == [(r, s) for _, r, s in pairs]
