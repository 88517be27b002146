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


# -- one layout in every format, the configuration once in a sidecar --------------------------
def _labelled(tmp_path: Path, ids: list[object] | None) -> Path:
    frame = pd.DataFrame(
        {
            "text": ["great phone, love it", "battery died in a week", "works as described"],
            "label": ["POS", "NEG", "POS"],
        }
    )
    if ids is not None:
        frame.insert(0, "id", ids)
    source = tmp_path / "labelled.csv"
    frame.to_csv(source, index=False)
    return source


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path)


@pytest.mark.parametrize("ids", [[7, 3, 9], ["a", "b", "c"], None], ids=["int", "text", "none"])
def test_augment_same_columns_in_every_format_and_only_new(
    tmp_path: Path, ids: list[object] | None
) -> None:
    import json

    source = _labelled(tmp_path, ids)
    expected = ["id", "text", "label", "original_id", "augmenter", "is_augmented"]
    tables = {}
    for name in ("out.csv", "out.jsonl", "out.parquet", "new.csv", "new.jsonl", "new.parquet"):
        target = tmp_path / name
        argv = ["augment", str(source), "--out", str(target), "--augmenter", "noise", "--n", "2"]
        only_new = ["--only-new"] if name.startswith("new") else []
        assert main([*argv, *only_new, "--no-progress", "--seed", "5"]) == 0
        table = _read(target)
        assert list(table.columns) == expected, name
        # original_id has the type of id, read back from the file
        assert table["id"].dtype == table["original_id"].dtype, name
        assert table["is_augmented"].all() == name.startswith("new")
        assert set(table.loc[table["is_augmented"], "augmenter"]) == {"Noise"}
        sidecar = json.loads((tmp_path / f"{name}.augment.json").read_text(encoding="utf-8"))
        assert sidecar["augmenter"] == "Noise" and sidecar["params"]["p"] == 0.05
        assert sidecar["input"] == str(source) and sidecar["output"] == str(target)
        assert sidecar["keep_original"] != name.startswith("new")
        assert ("row positions" in sidecar["columns"]["id"]) == (ids is None)
        tables[name] = table
    new_rows = [t[t["is_augmented"]].reset_index(drop=True) for t in tables.values()]
    for table in new_rows[1:]:
        assert table.astype(str).equals(new_rows[0].astype(str))
    if ids is None:  # ids are row positions of the input
        originals = tables["out.csv"][~tables["out.csv"]["is_augmented"]]
        assert originals["id"].tolist() == [0, 1, 2]


def test_augment_sidecar_checked_before_the_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _labelled(tmp_path, ["a", "b", "c"])
    target = tmp_path / "out.csv"
    sidecar = tmp_path / "out.csv.augment.json"
    sidecar.write_text("{}", encoding="utf-8")
    argv = ["augment", str(source), "--out", str(target), "--augmenter", "noise", "--no-progress"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("weaklabel: [E402]") and "out.csv.augment.json" in err
    assert "Traceback" not in err and not target.exists()
    assert sidecar.read_text(encoding="utf-8") == "{}"
    assert main([*argv, "--force"]) == 0
    assert target.exists() and '"augmenter": "Noise"' in sidecar.read_text(encoding="utf-8")

    sidecar.unlink()
    sidecar.mkdir()
    assert main([*argv, "--force"]) == 2
    assert "[E404]" in capsys.readouterr().err
