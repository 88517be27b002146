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
