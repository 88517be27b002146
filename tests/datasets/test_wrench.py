"""load_wrench: the WRENCH folder format, malformed files, and the real benchmark sets."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from weaklabel.datasets.wrench import WrenchDataset, load_wrench
from weaklabel.errors import DatasetError
from weaklabel.matrix import LabelMatrix

ROWS: dict[str, Any] = {
    "7": {"data": {"text": "win a free phone"}, "label": 1, "weak_labels": [1, -1, 1]},
    "8": {"data": {"text": "see you at 5"}, "label": 0, "weak_labels": [-1, 0, -1]},
    "9": {"data": {"text": "call now"}, "label": 1, "weak_labels": [-1, -1, -1]},
}


def make_folder(
    root: Path,
    rows: Any = ROWS,
    *,
    split: str = "train",
    labels: Any = None,
    gz: bool = False,
    name: str = "spam",
) -> Path:
    folder = root / name
    folder.mkdir(exist_ok=True)
    label_map = {"0": "HAM", "1": "SPAM"} if labels is None else labels
    (folder / "label.json").write_text(
        label_map if isinstance(label_map, str) else json.dumps(label_map), encoding="utf-8"
    )
    text = rows if isinstance(rows, str) else json.dumps(rows)
    if gz:
        with gzip.open(folder / f"{split}.json.gz", "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        (folder / f"{split}.json").write_text(text, encoding="utf-8")
    return folder


def with_row(row_id: str, row: Any) -> dict[str, Any]:
    return {**ROWS, row_id: row}


@pytest.mark.parametrize("gz", [False, True])
def test_wrench_loads_a_folder(tmp_path: Path, gz: bool) -> None:
    folder = make_folder(tmp_path, gz=gz)
    data = load_wrench(folder)
    assert isinstance(data, WrenchDataset)
    assert isinstance(data.L, LabelMatrix)
    assert data.L.to_numpy().tolist() == [[1, -1, 1], [-1, 0, -1], [-1, -1, -1]]
    assert data.L.source_names == ("lf_0", "lf_1", "lf_2")
    assert data.L.label_names == ("HAM", "SPAM")
    assert data.y.dtype == np.int64 and data.y.tolist() == [1, 0, 1]
    assert data.texts == ["win a free phone", "see you at 5", "call now"]
    assert data.ids == ["7", "8", "9"]
    assert data.label_names == ("HAM", "SPAM")
    assert (data.name, data.split, len(data), data.cardinality) == ("spam", "train", 3, 2)
    assert "n_lfs=3" in repr(data)


def test_wrench_dataset_is_frozen(tmp_path: Path) -> None:
    data = load_wrench(make_folder(tmp_path))
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.split = "test"  # type: ignore[misc]


def test_wrench_reads_each_split_and_accepts_str_paths(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, split="valid")
    make_folder(tmp_path, {"a": ROWS["8"]}, split="test")
    assert load_wrench(str(folder), "valid").n_examples == 3
    assert load_wrench(folder, split="test").ids == ["a"]


def test_wrench_uses_lf_names_from_meta_json(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "meta.json").write_text(json.dumps({"lf": ["kw_free", "kw_see", "kw_call"]}))
    assert load_wrench(folder).L.source_names == ("kw_free", "kw_see", "kw_call")
    (folder / "meta.json").write_text(json.dumps({"lf": ["only_one"]}))
    with pytest.raises(DatasetError, match=r"meta\.json.*1 labeling-function names.*3 weak"):
        load_wrench(folder)


def test_wrench_null_gold_label_is_minus_one(tmp_path: Path) -> None:
    rows = with_row("10", {"data": {"text": "hi"}, "label": None, "weak_labels": [0, 0, -1]})
    assert load_wrench(make_folder(tmp_path, rows)).y.tolist() == [1, 0, 1, -1]


# ------------------------------------------------------------------ malformed input
def test_wrench_missing_folder_split_and_files(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"No WRENCH dataset folder at .*nowhere"):
        load_wrench(tmp_path / "nowhere")
    folder = make_folder(tmp_path)
    with pytest.raises(DatasetError, match=r"Unknown split 'dev'.*'train', 'valid', 'test'"):
        load_wrench(folder, "dev")
    with pytest.raises(
        DatasetError, match=r"has no test split: expected test\.json or test\.json\.gz"
    ):
        load_wrench(folder, "test")
    (folder / "label.json").unlink()
    with pytest.raises(DatasetError, match=r"label\.json is missing"):
        load_wrench(folder)


@pytest.mark.parametrize(
    ("labels", "fragment"),
    [
        ("{oops", r"label\.json is not valid JSON \(line 1"),
        (["HAM", "SPAM"], r"label\.json is not a valid label map: expected an object"),
        ({"0": "HAM", "2": "SPAM"}, r"label\.json is not a valid label map.*keys 0 \.\. k-1"),
        ({"0": "HAM"}, r"label\.json is not a valid label map.*at least two"),
    ],
)
def test_wrench_bad_label_json(tmp_path: Path, labels: Any, fragment: str) -> None:
    with pytest.raises(DatasetError, match=fragment):
        load_wrench(make_folder(tmp_path, labels=labels))


def test_wrench_bad_json_names_file_and_position(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, '{"1": {"data": ')
    with pytest.raises(DatasetError, match=r"train\.json is not valid JSON \(line 1, column \d+\)"):
        load_wrench(folder)


def test_wrench_corrupt_gzip(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "train.json").unlink()
    (folder / "train.json.gz").write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(DatasetError, match=r"train\.json\.gz is not valid JSON"):
        load_wrench(folder)


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        ([ROWS["7"]], r"train\.json must hold one JSON object mapping row ids.*got list"),
        ({}, r"train\.json holds no rows"),
        (with_row("10", [1, 2]), r"train\.json, row '10': the row is list"),
        (
            with_row("10", {"data": {"text": "x"}, "label": 0}),
            r"train\.json, row '10': no 'weak_labels'",
        ),
        (
            with_row("10", {"data": {"text": "x"}, "label": 0, "weak_labels": [0, "1", -1]}),
            r"row '10': 'weak_labels' must be a list of integers",
        ),
        (
            with_row("10", {"data": {"text": "x"}, "label": 0, "weak_labels": [0, True, -1]}),
            r"row '10': 'weak_labels' must be a list of integers",
        ),
        (
            with_row("10", {"data": {"text": "x"}, "label": 0, "weak_labels": [0, -1]}),
            r"row '10': 2 weak labels, but the first row \('7'\) has 3",
        ),
        (
            with_row("10", {"data": {"text": "x"}, "label": 0, "weak_labels": [0, 2, -1]}),
            r"row '10': weak label 2 of labeling function 'lf_1' is not a class of .*label\.json",
        ),
        (
            with_row("10", {"data": {"text": "x"}, "label": 0, "weak_labels": [-3, 0, -1]}),
            r"row '10': weak label -3 of labeling function 'lf_0'",
        ),
        (
            with_row("10", {"data": {"text": "x"}, "label": 0, "weak_labels": [2**70, 0, -1]}),
            r"row '10': weak label 1180591620717411303424 of labeling function 'lf_0'",
        ),
        (
            with_row("10", {"data": {"text": "x"}, "label": 5, "weak_labels": [0, 0, -1]}),
            r"row '10': gold label 5 is not a class of .*label\.json \(\['HAM', 'SPAM'\]\)",
        ),
        (
            with_row("10", {"data": {"text": "x"}, "label": "1", "weak_labels": [0, 0, -1]}),
            r"row '10': gold label '1' is not a class",
        ),
        (
            with_row("10", {"data": {"title": "x"}, "label": 0, "weak_labels": [0, 0, -1]}),
            r"row '10': no 'data' object with a 'text' string",
        ),
    ],
)
def test_wrench_malformed_rows_name_file_and_row(tmp_path: Path, rows: Any, fragment: str) -> None:
    with pytest.raises(DatasetError, match=fragment):
        load_wrench(make_folder(tmp_path, rows))


# ------------------------------------------------------------------ the real benchmark
@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "sizes", "n_lfs", "labels"),
    [
        ("youtube", (1586, 120, 250), 10, ("HAM", "SPAM")),
        ("sms", (4571, 500, 500), 73, ("ham", "spam")),
        ("trec", (5033, 500, 500), 68, ("DESC", "ENTY", "HUM", "ABBR", "LOC", "NUM")),
    ],
)
def test_wrench_loads_the_benchmark_sets(
    wrench_classification: Path,
    name: str,
    sizes: tuple[int, int, int],
    n_lfs: int,
    labels: tuple[str, ...],
) -> None:
    for split, size in zip(("train", "valid", "test"), sizes, strict=True):
        data = load_wrench(wrench_classification / name, split)
        assert data.L.shape == (size, n_lfs)
        assert data.label_names == labels
        assert data.name == name and data.split == split
        assert len(data.texts) == len(data.ids) == len(data.y) == size
        assert set(np.unique(data.y)) <= set(range(len(labels)))
        assert data.ids[:3] == ["0", "1", "2"]
