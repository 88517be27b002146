"""load_wrench: the WRENCH folder format (text and tabular sets), malformed files, and the
real benchmark sets."""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weaklabel
import weaklabel.datasets
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


def test_wrench_is_importable_from_the_datasets_package() -> None:
    from weaklabel.datasets import WrenchDataset as Dataset
    from weaklabel.datasets import load_wrench as loader

    assert loader is load_wrench is weaklabel.load_wrench
    assert Dataset is WrenchDataset
    assert {"load_wrench", "WrenchDataset"} <= set(weaklabel.datasets.__all__)
    assert weaklabel.datasets.wrench.load_wrench is load_wrench  # the submodule still resolves
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        weaklabel.datasets.nope  # noqa: B018


def test_wrench_text_set_has_no_features(tmp_path: Path) -> None:
    data = load_wrench(make_folder(tmp_path))
    assert data.features is None
    assert data.n_features == 0
    assert "n_features" not in repr(data)


# ------------------------------------------------------------------ tabular sets
TABULAR: dict[str, Any] = {
    "0": {"data": {"feature": [39, 0.5, -1.25, 0]}, "label": 0, "weak_labels": [0, -1]},
    "1": {"data": {"feature": [50, 1.0, 3.0, 1]}, "label": 1, "weak_labels": [1, 1]},
    "2": {"data": {"feature": [38, 0.0, 2.5e3, 0]}, "label": 0, "weak_labels": [-1, 0]},
    "3": {"data": {"feature": [53, 0.25, 0.0, 1]}, "label": 1, "weak_labels": [1, -1]},
}
TABULAR_FEATURES = [
    [39.0, 0.5, -1.25, 0.0],
    [50.0, 1.0, 3.0, 1.0],
    [38.0, 0.0, 2500.0, 0.0],
    [53.0, 0.25, 0.0, 1.0],
]


def make_tabular(root: Path, rows: Any = TABULAR, *, gz: bool = False) -> Path:
    folder = make_folder(root, rows, gz=gz, labels={"0": "<=50K", "1": ">50K"}, name="census")
    make_folder(root, rows, split="test", labels={"0": "<=50K", "1": ">50K"}, name="census")
    return folder


def tabular_row(row_id: str, data: Any) -> dict[str, Any]:
    return {**TABULAR, row_id: {"data": data, "label": 0, "weak_labels": [0, -1]}}


@pytest.mark.parametrize("gz", [False, True])
def test_wrench_loads_a_tabular_folder(tmp_path: Path, gz: bool) -> None:
    data = load_wrench(make_tabular(tmp_path, gz=gz))
    assert isinstance(data.features, np.ndarray)
    assert data.features.shape == (4, 4) and data.n_features == 4
    assert data.features.dtype == np.float64
    np.testing.assert_array_equal(data.features, np.array(TABULAR_FEATURES))
    assert data.texts == ["", "", "", ""]
    assert data.ids == ["0", "1", "2", "3"]
    assert data.L.to_numpy().tolist() == [[0, -1], [1, 1], [-1, 0], [1, -1]]
    assert data.y.tolist() == [0, 1, 0, 1]
    assert data.label_names == ("<=50K", ">50K")
    assert "n_lfs=2, n_features=4" in repr(data)


def test_wrench_row_with_text_and_features_keeps_both(tmp_path: Path) -> None:
    rows = tabular_row("4", {"text": "a person", "feature": [1, 2, 3, 4]})
    data = load_wrench(make_tabular(tmp_path, rows))
    assert data.texts == ["", "", "", "", "a person"]
    assert data.features is not None
    assert data.features.shape == (5, 4)
    assert data.features[4].tolist() == [1.0, 2.0, 3.0, 4.0]


def test_wrench_label_models_fit_on_a_tabular_set(tmp_path: Path) -> None:
    folder = make_tabular(tmp_path)
    train, test = load_wrench(folder, "train"), load_wrench(folder, "test")
    for model in (
        weaklabel.MajorityVote(cardinality=2, seed=0),
        weaklabel.LabelModel(cardinality=2, seed=0),
    ):
        proba = model.fit(train.L).predict_proba(test.L)
        assert proba.shape == (4, 2)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        pred = model.predict(test.L)
        assert pred.shape == (4,)
        assert pred[1] == 1 and pred[2] == 0  # the rows whose votes agree


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        (
            tabular_row("4", {"feature": [1, 2, 3]}),
            r"\[E219\] .*train\.json, row '4': 3 features, but row '0' has 4",
        ),
        (
            tabular_row("4", {"text": "only a text"}),
            r"\[E219\] .*row '4': no features, but row '0' has 4",
        ),
        (
            {"a": {"data": {"text": "x"}, "label": 0, "weak_labels": [0, -1]}, **TABULAR},
            r"\[E219\] .*row 'a': no features, but row '0' has 4",
        ),
        (
            tabular_row("4", {"feature": [1, "male", 3, 4]}),
            r"\[E218\] .*train\.json, row '4': 'feature' must be a non-empty list of finite "
            r"numbers; item 1 is 'male'\. Encode categorical",
        ),
        (
            tabular_row("4", {"feature": [1, 2, None, 4]}),
            r"\[E218\] .*row '4': .*item 2 is None",
        ),
        (
            tabular_row("4", {"feature": [True, 2, 3, 4]}),
            r"\[E218\] .*row '4': .*item 0 is True",
        ),
        (
            tabular_row("4", {"feature": [[1], 2, 3, 4]}),
            r"\[E218\] .*row '4': .*item 0 is \[1\]",
        ),
        (tabular_row("4", {"feature": []}), r"\[E218\] .*row '4': .*got an empty list"),
        (tabular_row("4", {"feature": "1,2,3,4"}), r"\[E218\] .*row '4': .*got str"),
        (tabular_row("4", {"feature": {"age": 1}}), r"\[E218\] .*row '4': .*got dict"),
        (tabular_row("4", {}), r"\[E217\] .*row '4': 'data' has neither"),
    ],
)
def test_wrench_malformed_features_name_file_and_row(
    tmp_path: Path, rows: Any, fragment: str
) -> None:
    with pytest.raises(DatasetError, match=fragment):
        load_wrench(make_tabular(tmp_path, rows))


@pytest.mark.parametrize(
    ("literal", "shown"),
    [
        ("NaN", "nan"),
        ("Infinity", "inf"),
        ("-Infinity", "-inf"),
        ("1" + "0" * 400, "1" + "0" * 400),
    ],
)
def test_wrench_non_finite_features_are_refused(tmp_path: Path, literal: str, shown: str) -> None:
    # Python's json reads NaN and Infinity, and integers of any size: none is a feature value
    rows = json.dumps(tabular_row("4", {"feature": [1, 2, 3, "HOLE"]})).replace('"HOLE"', literal)
    with pytest.raises(DatasetError, match=rf"\[E218\] .*row '4': .*item 3 is {shown}\."):
        load_wrench(make_tabular(tmp_path, rows))


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
    with pytest.raises(
        DatasetError, match=r"\[E221\].*train\.json\.gz is a truncated or damaged gzip"
    ):
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
            with_row("10", {"data": {"text": "x"}, "weak_labels": [0, 0, -1]}),
            r"\[E226\] .*train\.json, row '10': no 'label'.*or null",
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
            r"\[E217\] .*train\.json, row '10': 'data' has neither a 'text' string nor a "
            r"'feature' list",
        ),
        (
            with_row("10", {"text": "x", "label": 0, "weak_labels": [0, 0, -1]}),
            r"\[E211\] .*row '10': no 'data' object with a 'text' string or a 'feature' list",
        ),
        (
            with_row("10", {"data": {"text": 5}, "label": 0, "weak_labels": [0, 0, -1]}),
            r"\[E211\] .*row '10': 'text' must be a string; got int",
        ),
    ],
)
def test_wrench_malformed_rows_name_file_and_row(tmp_path: Path, rows: Any, fragment: str) -> None:
    with pytest.raises(DatasetError, match=fragment):
        load_wrench(make_folder(tmp_path, rows))


# ------------------------------------------------------------ stale copies, tables, fuzz
def test_wrench_stale_json_beside_json_gz_is_refused(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, gz=True)
    (folder / "train.json").write_text(json.dumps(ROWS), encoding="utf-8")
    assert load_wrench(folder).ids == ["7", "8", "9"]  # identical copies: no ambiguity
    stale = {k: v for k, v in ROWS.items() if k != "9"}
    (folder / "train.json").write_text(json.dumps(stale), encoding="utf-8")
    os.utime(folder / "train.json", (1_000_000, 1_000_000))  # the old copy
    with pytest.raises(
        DatasetError,
        match=r"\[E227\] .*spam holds both train\.json and train\.json\.gz, with different "
        r"contents \(train\.json\.gz is newer\)",
    ):
        load_wrench(folder)
    (folder / "train.json").unlink()
    assert len(load_wrench(folder)) == 3


def test_wrench_duplicate_row_ids_are_refused(tmp_path: Path) -> None:
    row = json.dumps(ROWS["7"])
    text = f'{{"7": {row}, "8": {row}, "7": {row}}}'
    with pytest.raises(DatasetError, match=r"\[E253\] .*train\.json: the key '7' appears twice"):
        load_wrench(make_folder(tmp_path, text))
    labels = '{"0": "HAM", "0": "SPAM"}'
    with pytest.raises(DatasetError, match=r"\[E253\] .*label\.json: the key '0'"):
        load_wrench(make_folder(tmp_path, labels=labels))


@pytest.mark.parametrize(
    ("meta", "rows", "pattern"),
    [
        ([1, 2], ROWS, r"\[E216\] .*meta\.json: expected a JSON object with an 'lf' list"),
        ({"lf": ["a", "b", "a"]}, ROWS, r"\[E216\] .*meta\.json: 'lf' names \['a'\] more"),
        (
            None,
            {"1": {"data": {"text": "x"}, "label": 0, "weak_labels": []}},
            r"\[E254\] .*train\.json: the rows have empty 'weak_labels' lists",
        ),
        (None, "[" * 100_000, r"\[E203\] .*train\.json is not valid JSON: nested too deeply"),
    ],
)
def test_wrench_damaged_meta_and_rows_are_refused(
    tmp_path: Path, meta: Any, rows: Any, pattern: str
) -> None:
    folder = make_folder(tmp_path, rows)
    if meta is not None:
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(DatasetError, match=pattern):
        load_wrench(folder)


def test_wrench_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    (folder / "train.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(ROWS).encode("utf-8"))
    assert load_wrench(folder).ids == ["7", "8", "9"]


def test_wrench_seq_stale_json_is_refused_too(tmp_path: Path) -> None:
    from weaklabel.datasets.wrench import _split_file

    (tmp_path / "test.json").write_text("{}", encoding="utf-8")
    with gzip.open(tmp_path / "test.json.gz", "wt", encoding="utf-8") as fh:
        fh.write('{"0": {}}')
    with pytest.raises(DatasetError, match=r"\[E227\]"):
        _split_file(tmp_path, "test")


def test_wrench_tabular_to_frame_has_feature_columns(tmp_path: Path) -> None:
    data = load_wrench(make_tabular(tmp_path))
    frame = data.to_frame()
    assert frame.columns.tolist() == [
        "text",
        "feature_0",
        "feature_1",
        "feature_2",
        "feature_3",
        "label",
        "label_id",
    ]
    assert frame.index.name == "id" and frame.index.tolist() == ["0", "1", "2", "3"]
    np.testing.assert_array_equal(frame.filter(like="feature_").to_numpy(), TABULAR_FEATURES)
    assert frame["label"].tolist() == ["<=50K", ">50K", "<=50K", ">50K"]
    text = load_wrench(make_folder(tmp_path, with_row("10", {**ROWS["7"], "label": None})))
    table = text.to_frame()
    assert table.columns.tolist() == ["text", "label", "label_id"]
    assert pd.isna(table.loc["10", "label"]) and table.loc["10", "label_id"] == -1
    assert table.loc["7", "text"] == "win a free phone"


_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


@st.composite
def _row(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    """A valid row (three LFs, classes 0/1), with one field damaged or dropped now and then."""
    data = (
        {"text": draw(st.text(max_size=5))}
        if kind == "text"
        else {"feature": draw(st.lists(st.integers(-5, 5), min_size=2, max_size=2))}
    )
    row: dict[str, Any] = {
        "data": data,
        "label": draw(st.none() | st.integers(0, 1)),
        "weak_labels": draw(st.lists(st.integers(-1, 1), min_size=3, max_size=3)),
    }
    damage = draw(st.integers(0, 11))
    if damage == 0:  # a field dropped
        del row[draw(st.sampled_from(sorted(row)))]
    elif damage == 1:  # a field replaced by anything
        row[draw(st.sampled_from(sorted(row)))] = draw(_VALUE)
    elif damage == 2:  # a vote or a label out of range
        row[draw(st.sampled_from(["label", "weak_labels"]))] = (
            draw(st.sampled_from([2, -2])) if draw(st.booleans()) else [0, 2, -1]
        )
    elif damage == 3:  # ragged weak labels
        row["weak_labels"] = row["weak_labels"][: draw(st.integers(0, 2))]
    return row


_ROWS = st.sampled_from(["text", "feature"]).flatmap(
    lambda kind: st.dictionaries(st.text(min_size=1, max_size=3), _row(kind), max_size=4)
)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(rows=_ROWS)
def test_wrench_fuzz_rows_load_or_refuse_naming_the_file(rows: dict[str, Any]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as root:
        folder = make_folder(Path(root), rows)
        try:
            data = load_wrench(folder)
        except DatasetError as exc:
            assert "train.json" in str(exc)
            return
    # loaded: every row was complete and consistent
    assert data.ids == list(rows)
    for j, row in enumerate(rows.values()):
        assert data.L.to_numpy()[j].tolist() == row["weak_labels"]
        assert data.y[j] == (-1 if row["label"] is None else row["label"])
        assert 0 <= data.L.to_numpy().max(initial=0) <= 1 and data.y.max(initial=0) <= 1


@settings(max_examples=80, deadline=None, derandomize=True)
@given(data=st.binary(max_size=200), gz=st.booleans(), cut=st.integers(0, 30))
def test_wrench_fuzz_bytes_are_refused_naming_the_file(data: bytes, gz: bool, cut: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as root:
        folder = make_folder(Path(root))
        (folder / "train.json").unlink()
        name = "train.json.gz" if gz else "train.json"
        payload = gzip.compress(data)[: -cut or None] if gz else data
        (folder / name).write_bytes(payload)
        try:
            load_wrench(folder)
        except DatasetError as exc:
            assert name in str(exc)
        else:  # only a valid split loads
            assert json.loads(data) and not cut


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
        assert data.features is None and data.n_features == 0
        assert all(isinstance(t, str) and t for t in data.texts)
