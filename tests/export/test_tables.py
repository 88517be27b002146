"""CSV and Parquet labels tables: probabilities, spans, provenance, and checked input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weaklabel.errors import ExportError
from weaklabel.export import labels_frame, read_labels_table, write_labels_table


@pytest.fixture
def frame() -> pd.DataFrame:
    return labels_frame(
        ["Buy now!!", "Nice song, Paris", ""],
        label_names=["HAM", "SPAM"],
        labels=[1, 0, -1],
        proba=np.array([[0.1, 0.9], [0.8, 0.2], [0.5, 0.5]]),
        spans=[[], [(11, 16, "LOC", 0.75)], []],
        provenance={"id": [7, 8, 9], "original_id": [None, None, 7], "n_votes": [2, 1, 0]},
    )


def test_tables_labels_frame_columns(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == [
        "id", "original_id", "n_votes", "text", "label", "spans", "p_HAM", "p_SPAM"
    ]  # fmt: skip
    assert frame["label"].tolist()[:2] == ["SPAM", "HAM"] and pd.isna(frame["label"][2])


def test_tables_parquet_keeps_types(frame: pd.DataFrame, tmp_path: Path) -> None:
    back = read_labels_table(write_labels_table(frame, tmp_path / "l.parquet"))
    assert back["id"].tolist() == [7, 8, 9] and back["n_votes"].dtype == np.int64
    assert back["spans"].tolist() == [[], [(11, 16, "LOC", 0.75)], []]
    assert back["p_SPAM"].tolist() == [0.9, 0.2, 0.5]


def test_tables_csv_holds_json_spans_and_exact_probabilities(
    frame: pd.DataFrame, tmp_path: Path
) -> None:
    frame["p_HAM"] = [1 / 3, 0.8, 0.5]
    path = write_labels_table(frame, tmp_path / "l.csv")
    raw = pd.read_csv(path)
    assert raw["spans"][1] == '[[11, 16, "LOC", 0.75]]'
    back = read_labels_table(path)
    assert back["p_HAM"].tolist() == [1 / 3, 0.8, 0.5]
    assert back["id"].tolist() == ["7", "8", "9"]  # CSV has no types
    assert back["text"].tolist() == frame["text"].tolist()
    assert back["label"].tolist() == ["SPAM", "HAM", None]


@pytest.mark.parametrize(
    ("change", "code", "where"),
    [
        ({"spans": [[], [(11, 99, "LOC")], []]}, "E852", "row 1: span"),
        ({"spans": [[], [(11, 16, "")], []]}, "E852", "has no label"),
        ({"spans": [[], [(11, 16, "LOC", float("nan"))], []]}, "E852", "finite score"),
        ({"spans": [[], "[[1, 2", []]}, "E851", "row 1: spans must be a JSON list"),
        ({"p_HAM": [0.1, -0.2, 0.5]}, "E854", "row 1"),
        ({"p_HAM": [0.1, None, 0.5]}, "E854", "row 1"),
        ({"label": ["SPAM", "EGGS", None]}, "E853", "row 1: label 'EGGS'"),
        ({"text": ["a", None, "c"]}, "E851", "row 1: text must be a string"),
    ],
)
def test_tables_bad_rows_name_the_row(
    frame: pd.DataFrame, tmp_path: Path, change: dict[str, object], code: str, where: str
) -> None:
    for column, values in change.items():
        frame[column] = pd.Series(values, dtype=object)
    with pytest.raises(ExportError, match=rf"\[{code}\] write_labels_table: .*{where}"):
        write_labels_table(frame, tmp_path / "l.parquet")
    assert list(tmp_path.iterdir()) == []


def test_tables_files_and_options(frame: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\[E864\]"):
        write_labels_table(frame, tmp_path / "l.xlsx")
    path = write_labels_table(frame, tmp_path / "l.csv")
    with pytest.raises(FileExistsError, match=r"\[E867\]"):
        write_labels_table(frame, path)
    write_labels_table(frame.iloc[:1], path, overwrite=True)
    assert len(read_labels_table(path)) == 1
    with pytest.raises(ExportError, match=r"\[E865\]"):
        read_labels_table(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("text,p_A,p_B\nx,0.5,half\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"\[E860\] .*bad.csv is not a labels table: p_B"):
        read_labels_table(bad)
    with pytest.raises(ExportError, match=r"\[E060\]"):
        labels_frame(["a"], label_names=["A", "B"], proba=np.ones((1, 3)))
    with pytest.raises(ExportError, match=r"\[E060\]"):
        labels_frame(["a"], label_names=["A", "B"], labels=[2])


def test_tables_parquet_names_a_column_arrow_cannot_store(
    frame: pd.DataFrame, tmp_path: Path
) -> None:
    frame["original_id"] = pd.Series([1, "r1", None], dtype=object)
    with pytest.raises(ExportError, match=r"\[E851\] write_labels_table: .*original_id"):
        write_labels_table(frame, tmp_path / "l.parquet")
    write_labels_table(frame, tmp_path / "l.csv")  # CSV stores anything as text
    assert read_labels_table(tmp_path / "l.csv")["original_id"].tolist() == ["1", "r1", None]
