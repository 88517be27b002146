"""The ``weaklabel`` command: the demo writes real outputs; wrench scores a folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weaklabel.cli import main
from weaklabel.models import load_model


def test_cli_demo_writes_labels_summary_model_and_plots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "accuracy against gold: label model" in out

    labels = pd.read_csv(tmp_path / "labels.csv")
    assert len(labels) == 400
    assert set(labels["label"]) <= {"NEGATIVE", "POSITIVE"}
    probs = labels[["p_NEGATIVE", "p_POSITIVE"]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    accuracy = float((labels["label"] == labels["gold"]).mean())
    assert accuracy > 0.65  # far above the 0.5 of a coin on this balanced corpus

    summary = pd.read_csv(tmp_path / "source_summary.csv", index_col=0)
    assert {"vader", "kw_praise", "star_rating"} <= set(summary.index)
    assert {"coverage", "overlaps", "conflicts", "emp_acc"} <= set(summary.columns)

    model = load_model(tmp_path / "label_model.json")
    assert model.cardinality_ == 2
    for name in ("coverage.png", "conflicts.png", "accuracy_vs_coverage.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    augmented = pd.read_csv(tmp_path / "augmented.csv")
    new = augmented[augmented["is_augmented"]]
    originals = augmented[~augmented["is_augmented"]]
    assert len(originals) == int((labels["n_votes"] > 0).sum())
    assert len(new) > len(originals) // 2 and "new rows kept" in out
    label_of = dict(zip(originals["id"], originals["label"], strict=True))
    assert (new["label"] == new["original_id"].map(label_of)).all()
    assert not set(new["text"]) & set(originals["text"])
    split_of = dict(zip(originals["id"], originals["split"], strict=True))
    assert (new["split"] == new["original_id"].map(split_of)).all()


def test_cli_wrench_reproduces_majority_vote(
    wrench_classification: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = wrench_classification / "youtube"
    assert main(["wrench", str(folder), "--model", "majority", "label-model"]) == 0
    out = capsys.readouterr().out
    assert "youtube majority: accuracy 84.00" in out
    assert "youtube label-model: accuracy" in out


def test_cli_bad_folder_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["wrench", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("weaklabel: [E2")


def test_cli_help_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "weaklabel.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "demo" in result.stdout and "wrench" in result.stdout


def test_cli_demo_model_file_is_json_not_pickle(tmp_path: Path) -> None:
    main(["demo", "--out", str(tmp_path), "--no-progress"])
    saved = json.loads((tmp_path / "label_model.json").read_text())
    assert saved["format"] == "weaklabel.label_model"


def test_cli_augment_writes_variants_with_provenance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "labelled.csv"
    pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "text": ["great phone, love it", "battery died in a week", "works as described"],
            "label": ["POS", "NEG", "POS"],
        }
    ).to_csv(source, index=False)
    target = tmp_path / "augmented.jsonl"
    argv = ["augment", str(source), "--out", str(target), "--augmenter", "noise", "--n", "2"]
    assert main([*argv, "--no-progress", "--seed", "3"]) == 0
    assert "rows 3, asked 6" in capsys.readouterr().err
    out = pd.read_json(target, lines=True)
    new = out[out["is_augmented"]]
    assert len(out[~out["is_augmented"]]) == 3 and len(new) == 6
    assert (new["label"] == new["original_id"].map({"a": "POS", "b": "NEG", "c": "POS"})).all()
    assert set(new["augmenter"]) == {"Noise"}

    only_new = tmp_path / "new.csv"
    assert (
        main(
            [
                "augment",
                str(source),
                "--out",
                str(only_new),
                "--augmenter",
                "noise",
                "--only-new",
                "--no-progress",
                "--seed",
                "3",
            ]
        )
        == 0
    )
    assert pd.read_csv(only_new)["is_augmented"].all()


def test_cli_augment_unknown_format_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "labelled.xlsx"
    source.write_text("not a table")
    assert main(["augment", str(source), "--out", str(tmp_path / "o.csv")]) == 2
    assert "[E400]" in capsys.readouterr().err


def test_cli_wrench_scores_a_tabular_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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


def _probability_table(path: Path) -> Path:
    frame = pd.DataFrame(
        {
            "text": ["sure spam", "unsure", "sure ham", "coin flip"],
            "p_HAM": [0.02, 0.45, 0.97, 0.5],
            "p_SPAM": [0.98, 0.55, 0.03, 0.5],
        }
    )
    frame.to_csv(path, index=False)
    return path


def test_cli_review_writes_label_studio_tasks_most_uncertain_first(tmp_path: Path) -> None:
    import json

    from weaklabel.export import gold_labels

    table = _probability_table(tmp_path / "labels.csv")
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


def test_cli_review_refuses_to_overwrite_and_bad_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _probability_table(tmp_path / "labels.csv")
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


def _labelled(path: Path) -> Path:
    pd.DataFrame({"id": ["a", "b"], "text": ["great phone", "battery died"]}).to_csv(
        path, index=False
    )
    return path


@pytest.mark.parametrize(
    ("out_name", "code"),
    [
        ("labelled.csv", "[E401]"),  # the input itself
        ("o.xlsx", "[E403]"),  # no writer for the suffix
        ("missing/o.csv", "[E404]"),  # no such folder
        ("folder.csv", "[E404]"),  # a folder
        ("existing.csv", "[E402]"),  # an existing file, without --force
    ],
)
def test_cli_augment_refuses_a_bad_out_before_the_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out_name: str, code: str
) -> None:
    source = _labelled(tmp_path / "labelled.csv")
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "existing.csv").write_text("keep me", encoding="utf-8")
    before = source.read_bytes()
    argv = ["augment", str(source), "--out", str(tmp_path / out_name), "--augmenter", "noise"]
    assert main([*argv, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert code in err and "Traceback" not in err
    assert source.read_bytes() == before
    assert (tmp_path / "existing.csv").read_text("utf-8") == "keep me"


def test_cli_augment_force_replaces_an_existing_out_atomically(tmp_path: Path) -> None:
    source = _labelled(tmp_path / "labelled.csv")
    target = tmp_path / "out.tsv"
    target.write_text("old", encoding="utf-8")
    argv = ["augment", str(source), "--out", str(target), "--augmenter", "noise", "--force"]
    assert main([*argv, "--no-progress"]) == 0
    written = pd.read_csv(target, sep="\t")
    assert len(written) >= 2 and "is_augmented" in written.columns
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
