"""``weaklabel export``: every format from a table, leak-free splits, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import weaklabel.cli as cli
from weaklabel.cli import _export
from weaklabel.export import read_hf_dataset, read_labels_table, validate_chat_jsonl


@pytest.fixture(autouse=True)
def _with_export(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure the command is registered (helper E lists it in ``_commands``)."""
    commands = cli._commands()
    if _export not in commands:
        monkeypatch.setattr(cli, "_commands", lambda: [*commands, _export])


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """24 labelled comments, 2 augmented copies of each of the first 4, probabilities."""
    rows = []
    for i in range(24):
        label = "SPAM" if i % 3 == 0 else "HAM"
        rows.append({"id": f"r{i}", "original_id": None, "text": f"comment {i} on video {i * 7}",
                     "label": label})  # fmt: skip
        if i < 4:
            for j in range(2):
                text = f"comment {i} on the video {i * 7} ({j})"
                rows.append({"id": f"r{i}-{j}", "original_id": f"r{i}", "text": text,
                             "label": label})  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["p_HAM"] = np.where(frame["label"] == "HAM", 0.9, 0.25)
    frame["p_SPAM"] = 1.0 - frame["p_HAM"]
    path = tmp_path / "labels.csv"
    frame.to_csv(path, index=False)
    return path


def test_cli_export_chat_is_written_and_validated(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "train.jsonl"
    code = cli.main(
        ["export", str(table), "--format", "chat", "--out", str(out), "--system", "Label it.",
         "--user-template", "Comment: {text}", "--weight", "assistant", "--min-confidence", "0.8"]
    )  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    assert f"wrote {out} (20 of 32 rows as chat)" in err
    assert "validate: " in err and "fit for fine-tuning" in err
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["messages"][0] == {"role": "system", "content": "Label it."}
    assert first["messages"][-1]["weight"] == 1
    assert validate_chat_jsonl(out).ok


def test_cli_export_split_folder_is_leak_free(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "splits"
    code = cli.main(
        ["export", str(table), "--format", "parquet", "--out", str(out), "--split",
         "--sizes", "0.5", "0.25", "0.25"]
    )  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "test.parquet",
        "train.parquet",
        "valid.parquet",
    ]
    parts = {p.stem: read_labels_table(p) for p in out.iterdir()}
    assert sum(len(p) for p in parts.values()) == 32
    for name, part in parts.items():  # each original with its copies, in one split
        originals = set(part["original_id"].dropna())
        assert originals <= set(part["id"]), name
    err = capsys.readouterr().err
    assert "train/valid 0, train/test 0, valid/test 0; groups across splits 0" in err


def test_cli_export_hf_folder(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "hf"
    assert cli.main(["export", str(table), "--format", "hf", "--out", str(out)]) == 0
    back = read_hf_dataset(out)
    assert isinstance(back, pd.DataFrame) and len(back) == 32
    assert back["label"].tolist()[:3] == ["SPAM", "SPAM", "SPAM"]
    assert np.allclose(back["p_HAM"], pd.read_csv(table)["p_HAM"])


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--format", "chat", "--out", "{tmp}/x.csv"], "E869"),
        (["--format", "csv", "--out", "{tmp}/x.csv", "--system", "hi"], "E060"),
        (["--format", "prompt-completion", "--out", "{tmp}/x.jsonl", "--system", "hi"], "E060"),
        (["--format", "csv", "--out", "{tmp}/no/such/x.csv"], "E404"),
        (["--format", "hf", "--out", "{tmp}/no/such/hf"], "E404"),
        (["--format", "csv", "--out", "{table}"], "E401"),
        (["--format", "csv", "--out", "{tmp}/exists.csv"], "E402"),
        (
            ["--format", "csv", "--out", "{tmp}/s", "--split", "--sizes", "0.5", "0.1", "0.1"],
            "E060",
        ),
        (
            [
                "--format",
                "chat",
                "--out",
                "{tmp}/x.jsonl",
                "--answer",
                "explanation",
                "--explanations",
                "{tmp}/none.json",
            ],
            "E865",
        ),
        (["--format", "chat", "--out", "{tmp}/x.jsonl", "--user-template", "{{txt}}"], "E855"),
    ],
)
def test_cli_export_bad_input_exit_2_with_one_line(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: str
) -> None:
    (tmp_path / "exists.csv").write_text("mine\n")
    filled = [a.format(tmp=tmp_path, table=table) for a in argv]
    assert cli.main(["export", str(table), *filled]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"weaklabel: [{code}]") and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1
    assert (tmp_path / "exists.csv").read_text() == "mine\n"
    assert not (tmp_path / "x.jsonl").exists() and not (tmp_path / "s").exists()


def test_cli_export_missing_input_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["export", str(tmp_path / "nope.csv"), "--format", "csv", "--out",
                     str(tmp_path / "x.csv")])  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err.startswith("weaklabel: [E")
    assert not (tmp_path / "x.csv").exists()


def test_cli_export_force_replaces(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    out.write_text("old\n")
    assert cli.main(["export", str(table), "--format", "csv", "--out", str(out), "--force"]) == 0
    assert len(read_labels_table(out)) == 32


@pytest.mark.parametrize(("threshold", "weight"), [("0", 1), ("0.95", 0)])
def test_cli_export_weight_threshold(
    table: Path, tmp_path: Path, threshold: str, weight: int
) -> None:
    out = tmp_path / "w.jsonl"
    argv = ["export", str(table), "--format", "chat", "--out", str(out), "--weight", "assistant",
            "--weight-threshold", threshold]  # fmt: skip
    assert cli.main(argv) == 0
    weights = {json.loads(line)["messages"][-1]["weight"] for line in out.read_text().splitlines()}
    assert weights == {weight}


def test_cli_export_explanations_file(table: Path, tmp_path: Path) -> None:
    explanations = tmp_path / "why.json"
    explanations.write_text(json.dumps({"HAM": "A real comment.", "SPAM": "Advertising."}))
    out = tmp_path / "e.jsonl"
    argv = ["export", str(table), "--format", "chat", "--out", str(out), "--answer",
            "explanation", "--explanations", str(explanations)]  # fmt: skip
    assert cli.main(argv) == 0
    answers = [json.loads(line)["messages"][-1]["content"] for line in out.read_text().splitlines()]
    assert answers[:2] == ["Advertising.", "Advertising."] and "A real comment." in answers
    explanations.write_text("[1, 2]")
    assert cli.main([*argv[:5], str(tmp_path / "f.jsonl"), *argv[6:]]) == 2
