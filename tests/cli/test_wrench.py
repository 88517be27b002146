"""``weaklabel wrench``: fit and score label models on a WRENCH folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from weaklabel.cli import main


def test_wrench_reproduces_majority_vote(
    wrench_classification: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = wrench_classification / "youtube"
    assert main(["wrench", str(folder), "--model", "majority", "label-model"]) == 0
    out = capsys.readouterr().out
    assert "youtube majority: accuracy 84.00" in out
    assert "youtube label-model: accuracy" in out


def test_wrench_bad_folder_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["wrench", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("weaklabel: [E2")


def test_wrench_scores_a_tabular_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "census"
    folder.mkdir()
    (folder / "label.json").write_text(json.dumps({"0": "<=50K", "1": ">50K"}))
    rows = {
        str(i): {"data": {"feature": [float(i), 1.0 - i % 2]}, "label": i % 2, "weak_labels": v}
        for i, v in enumerate([[0, -1, 0], [1, 1, -1], [-1, 0, 0], [1, -1, 1], [-1, -1, -1]])
    }
    for split in ("train", "test"):
        (folder / f"{split}.json").write_text(json.dumps(rows))
    assert main(["wrench", str(folder), "--model", "majority", "label-model"]) == 0
    out = capsys.readouterr().out
    assert "census majority: accuracy" in out and "census label-model: accuracy" in out
    assert "test: 5 rows, 3 sources, coverage 80.0%" in out
