"""The split writer: leak-free train/valid/test in every format, sizes and leakage reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weaklabel.augment import leakage_report
from weaklabel.errors import ExportError
from weaklabel.export import (
    EXPORT_FORMATS,
    check_export_path,
    read_chat_jsonl,
    read_labels_table,
    validate_chat_jsonl,
    write_splits,
)


@pytest.fixture
def frame() -> pd.DataFrame:
    """40 originals with 2 augmented copies each (near-duplicates of their original)."""
    rows = []
    for i in range(40):
        label = "SPAM" if i % 4 == 0 else "HAM"
        text = f"comment {i}: the {['song', 'video', 'channel', 'singer'][i % 4]} number {i * 37}"
        rows.append({"id": f"o{i}", "original_id": None, "text": text, "label": label})
        for j in range(2):
            rows.append({"id": f"o{i}-{j}", "original_id": f"o{i}", "text": text + "!" * (j + 1),
                         "label": label})  # fmt: skip
    out = pd.DataFrame(rows)
    out["p_HAM"] = np.where(out["label"] == "HAM", 0.9, 0.3)
    out["p_SPAM"] = 1 - out["p_HAM"]
    return out


def test_splits_a_random_split_leaks_and_ours_does_not(frame: pd.DataFrame, tmp_path: Path) -> None:
    shuffled = frame.sample(frac=1.0, random_state=0)
    naive = leakage_report(shuffled.iloc[:96], shuffled.iloc[96:])
    assert len(naive) > 0  # the check can see leaks
    report = write_splits(frame, tmp_path / "out", format="csv")
    assert report.leak_free and report.group_leaks == 0
    assert report.leakage == {"train/valid": 0, "train/test": 0, "valid/test": 0}
    assert sum(report.sizes.values()) == 120
    assert abs(report.sizes["test"] - 12) <= 3 and abs(report.sizes["valid"] - 12) <= 3
    parts = {name: read_labels_table(path) for name, path in report.paths.items()}
    ids = [set(p["id"]) for p in parts.values()]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    for part in parts.values():
        assert set(part["original_id"].dropna()) <= set(part["id"])
    assert "groups across splits 0" in report.summary()


def test_splits_are_seeded(frame: pd.DataFrame, tmp_path: Path) -> None:
    a = write_splits(frame, tmp_path / "a", format="parquet", seed=3)
    b = write_splits(frame, tmp_path / "b", format="parquet", seed=3)
    for name in a.paths:
        assert a.paths[name].read_bytes() == b.paths[name].read_bytes()


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_splits_in_every_format(frame: pd.DataFrame, tmp_path: Path, fmt: str) -> None:
    report = write_splits(frame, tmp_path / fmt, format=fmt, sizes=(0.6, 0.2, 0.2))
    assert report.leak_free
    assert sorted(report.sizes) == ["test", "train", "valid"]
    assert report.path.is_dir() and all(p.exists() for p in report.paths.values())
    if fmt == "chat":
        for path in report.paths.values():
            assert validate_chat_jsonl(path, min_examples=1).ok
        assert len(read_chat_jsonl(report.paths["test"])) == report.sizes["test"]


def test_splits_two_way_and_errors(frame: pd.DataFrame, tmp_path: Path) -> None:
    report = write_splits(frame, tmp_path / "two", sizes=(0.75, 0.0, 0.25))
    assert sorted(report.sizes) == ["test", "train"]
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == ["test.csv", "train.csv"]
    for sizes in [(0.5, 0.5, 0.5), (0.0, 0.5, 0.5), (0.8, 0.2), (1.0, 0.0, 0.0)]:
        with pytest.raises(ExportError, match=r"\[E060\] write_splits: sizes"):
            write_splits(frame, tmp_path / "bad", sizes=sizes)
    with pytest.raises(ExportError, match=r"\[E864\]"):
        write_splits(frame, tmp_path / "bad", format="xlsx")
    with pytest.raises(
        ExportError, match=r"\[E868\] write_splits: the (valid|test) split would be empty"
    ):
        write_splits(frame.iloc[:3], tmp_path / "bad", sizes=(0.8, 0.1, 0.1))
    with pytest.raises(FileExistsError, match=r"\[E867\]"):
        write_splits(frame, tmp_path / "two")
    assert not (tmp_path / "bad").exists()


def test_splits_a_failing_writer_leaves_no_folder(frame: pd.DataFrame, tmp_path: Path) -> None:
    broken = frame.copy()
    broken.loc[broken.index[-1], "label"] = None  # the chat writer refuses a row with no answer
    with pytest.raises(ExportError, match=r"\[E857\]"):
        write_splits(broken, tmp_path / "out", format="chat")
    assert list(tmp_path.iterdir()) == []
    report = write_splits(broken, tmp_path / "out", format="chat", drop_unlabeled=True)
    assert sum(report.written.values()) == sum(report.sizes.values()) - 1


def test_splits_check_export_path() -> None:
    assert check_export_path("a.jsonl", format="chat") == (".jsonl",)
    assert check_export_path("folder", format="hf") == ()
    with pytest.raises(ExportError, match=r"\[E869\] Cannot write 'a.csv' as docbin"):
        check_export_path("a.csv", format="docbin")
