"""``weaklabel review``: Label Studio tasks for the rows to check first."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from weaklabel.cli import main


def test_review_writes_label_studio_tasks_most_uncertain_first(
    tmp_path: Path, probability_csv: Path
) -> None:

    from weaklabel.export import gold_labels

    table = probability_csv
    out = tmp_path / "tasks.json"
    assert main(["review", str(table), "--top", "2", "--out", str(out)]) == 0
    tasks = json.loads(out.read_text("utf-8"))
    assert [t["data"]["text"] for t in tasks] == ["coin flip", "unsure"]
    assert [t["data"]["row"] for t in tasks] == [3, 1]
    score = tasks[1]["predictions"][0]["score"]
    assert score == pytest.approx(0.55)
    config = (tmp_path / "tasks.xml").read_text("utf-8")
    assert 'value="HAM"' in config and 'value="SPAM"' in config
    assert gold_labels(tasks, ["HAM", "SPAM"], n_rows=4).tolist() == [-1, -1, -1, -1]


def test_review_refuses_to_overwrite_and_bad_tables(
    tmp_path: Path, probability_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = probability_csv
    out = tmp_path / "tasks.json"
    out.write_text("keep me", encoding="utf-8")
    assert main(["review", str(table), "--out", str(out)]) == 2
    assert "pass --force" in capsys.readouterr().err
    assert out.read_text("utf-8") == "keep me"
    assert main(["review", str(table), "--out", str(out), "--force"]) == 0
    no_proba = tmp_path / "plain.csv"
    pd.DataFrame({"text": ["a"]}).to_csv(no_proba, index=False)
    assert main(["review", str(no_proba), "--out", str(tmp_path / "t2.json")]) == 2
    assert "p_<label>" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ("x,abc,0.5", "row 2 of"),  # not a number
        ("x,,0.5", "a finite probability >= 0"),  # missing
        ("x,-0.1,1.1", "column 'p_A'"),  # negative
        ("x,0,0", "summing to 1"),  # no probability at all
        ("x,0.6,0.6", "got 1.2"),  # not probabilities
    ],
)
def test_review_refuses_bad_probabilities_naming_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: str, says: str
) -> None:
    table = tmp_path / "p.csv"
    table.write_text(f"text,p_A,p_B\ny,0.5,0.5\n{rows}\n", encoding="utf-8")  # row 2 is bad
    assert main(["review", str(table), "--out", str(tmp_path / "t.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("weaklabel: [E060]") and says in err
    assert not (tmp_path / "t.json").exists()


def test_review_needs_two_classes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "p.csv"
    table.write_text("text,p_A\ny,1.0\n", encoding="utf-8")
    assert main(["review", str(table), "--out", str(tmp_path / "t.json")]) == 2
    assert "two classes or more" in capsys.readouterr().err


def test_review_renormalises_rounded_rows(tmp_path: Path) -> None:
    table = tmp_path / "p.csv"
    table.write_text("text,p_A,p_B\ny,0.333,0.666\nz,0.5,0.5\n", encoding="utf-8")
    assert main(["review", str(table), "--out", str(tmp_path / "t.json")]) == 0
    tasks = json.loads((tmp_path / "t.json").read_text("utf-8"))
    assert tasks[1]["predictions"][0]["score"] == pytest.approx(0.666 / 0.999)


def test_review_refuses_a_missing_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "p.csv"
    table.write_text("text,p_A,p_B\ny,0.5,0.5\n,0.2,0.8\n", encoding="utf-8")
    assert main(["review", str(table), "--out", str(tmp_path / "t.json")]) == 2
    err = capsys.readouterr().err
    assert "row 2 of" in err and "column 'text'" in err and "empty cell" in err
