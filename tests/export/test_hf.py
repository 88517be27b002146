"""Hugging Face datasets: ClassLabel features, probabilities, provenance, DatasetDict."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weaklabel.errors import ExportError
from weaklabel.export import labels_frame, read_hf_dataset, to_hf_dataset, write_hf_dataset

datasets = pytest.importorskip("datasets")


@pytest.fixture
def frame() -> pd.DataFrame:
    return labels_frame(
        ["spam spam", "a real comment", "unsure"],
        label_names=["HAM", "SPAM"],
        labels=["SPAM", "HAM", None],
        proba=np.array([[0.05, 0.95], [0.9, 0.1], [0.5, 0.5]]),
        provenance={"id": [1, 2, 3], "augmenter": [None, "Synonym", None]},
    )


def test_hf_features(frame: pd.DataFrame) -> None:
    dataset = to_hf_dataset(frame)
    assert dataset.features["label"] == datasets.ClassLabel(names=["HAM", "SPAM"])
    assert dataset["label"][:] == [1, 0, -1]
    assert dataset.features["proba"].length == 2
    assert dataset[0]["proba"] == [0.05, 0.95]
    assert dataset["augmenter"][:] == [None, "Synonym", None]
    assert dataset.features["id"] == datasets.Value("int64")


def test_hf_save_and_read(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = write_hf_dataset(frame, tmp_path / "ds")
    assert datasets.load_from_disk(str(path)).num_rows == 3  # a plain datasets folder
    back = read_hf_dataset(path)
    assert isinstance(back, pd.DataFrame)
    assert list(back.columns) == list(frame.columns)
    assert back["label"].tolist() == ["SPAM", "HAM", None]
    assert back["p_SPAM"].tolist() == [0.95, 0.1, 0.5]
    with pytest.raises(FileExistsError, match=r"\[E867\]"):
        write_hf_dataset(frame, path)
    write_hf_dataset(frame.iloc[:1], path, overwrite=True)
    assert len(read_hf_dataset(path)) == 1  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds"]  # no temporary left


def test_hf_dataset_dict_shares_the_label_names(frame: pd.DataFrame, tmp_path: Path) -> None:
    plain = frame.drop(columns=["p_HAM", "p_SPAM"])
    path = write_hf_dataset({"train": plain.iloc[:1], "test": plain.iloc[1:]}, tmp_path / "dd")
    loaded = datasets.load_from_disk(str(path))
    assert loaded["train"].features["label"].names == loaded["test"].features["label"].names
    back = read_hf_dataset(path)
    assert isinstance(back, dict) and back["test"]["label"].tolist() == ["HAM", None]


def test_hf_errors(frame: pd.DataFrame, tmp_path: Path) -> None:
    mixed = frame.assign(augmenter=pd.Series([1, "Synonym", None], dtype=object))
    with pytest.raises(ExportError, match=r"\[E851\] to_hf_dataset: .*augmenter"):
        to_hf_dataset(mixed)
    frame["proba"] = 1.0
    with pytest.raises(ExportError, match=r"\[E060\] to_hf_dataset"):
        to_hf_dataset(frame)
    (tmp_path / "nothing").mkdir()
    with pytest.raises(ExportError, match=r"\[E865\]"):
        read_hf_dataset(tmp_path / "nothing")
