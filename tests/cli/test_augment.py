"""``weaklabel augment``: variants with provenance, outputs checked before the work."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from weaklabel.cli import main


def test_augment_writes_variants_with_provenance(
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


def test_augment_unknown_format_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "labelled.xlsx"
    source.write_text("not a table")
    assert main(["augment", str(source), "--out", str(tmp_path / "o.csv")]) == 2
    assert "[E400]" in capsys.readouterr().err


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
def test_augment_refuses_a_bad_out_before_the_work(
    tmp_path: Path,
    labelled_csv: Path,
    capsys: pytest.CaptureFixture[str],
    out_name: str,
    code: str,
) -> None:
    source = labelled_csv
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "existing.csv").write_text("keep me", encoding="utf-8")
    before = source.read_bytes()
    argv = ["augment", str(source), "--out", str(tmp_path / out_name), "--augmenter", "noise"]
    assert main([*argv, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert code in err and "Traceback" not in err
    assert source.read_bytes() == before
    assert (tmp_path / "existing.csv").read_text("utf-8") == "keep me"


def test_augment_force_replaces_an_existing_out_atomically(
    tmp_path: Path, labelled_csv: Path
) -> None:
    source = labelled_csv
    target = tmp_path / "out.tsv"
    target.write_text("old", encoding="utf-8")
    argv = ["augment", str(source), "--out", str(target), "--augmenter", "noise", "--force"]
    assert main([*argv, "--no-progress"]) == 0
    written = pd.read_csv(target, sep="\t")
    assert len(written) >= 2 and "is_augmented" in written.columns
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
