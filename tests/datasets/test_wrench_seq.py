"""load_wrench_seq: WRENCH's sequence-tagging format, malformed files, and the real sets."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weaklabel
from weaklabel.datasets.wrench_seq import WrenchSeqDataset, load_wrench_seq
from weaklabel.errors import DatasetError
from weaklabel.tokens import TokenMatrix

META: dict[str, Any] = {
    "lf": ["dict_a", "dict_b", "rule_c"],
    "lf_rec": ["rule_c", "dict_a"],
    "entity_types": ["PER", "LOC"],
}
ROWS: dict[str, Any] = {
    "s1": {
        "data": {"text": ["Ann", "Lee", "visits", "Paris"]},
        "label": ["B-PER", "I-PER", "O", "B-LOC"],
        "weak_labels": [
            ["B-PER", "O", "B-PER"],
            ["I-PER", "O", "O"],
            ["O", "O", "O"],
            ["O", "B-LOC", "B-PER"],
        ],
    },
    "s2": {"data": {"text": ["Hi"]}, "label": ["O"], "weak_labels": [["O", "O", "O"]]},
}


def make_folder(
    root: Path, rows: Any = ROWS, *, meta: Any = META, split: str = "train", gz: bool = False
) -> Path:
    folder = root / "toy"
    folder.mkdir(exist_ok=True)
    if meta is not None:
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    text = rows if isinstance(rows, str) else json.dumps(rows)
    if gz:
        with gzip.open(folder / f"{split}.json.gz", "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        (folder / f"{split}.json").write_text(text, encoding="utf-8")
    return folder


def test_wrench_seq_is_importable_from_the_datasets_package() -> None:
    from weaklabel.datasets import WrenchSeqDataset as Dataset
    from weaklabel.datasets import load_wrench_seq as loader

    assert loader is load_wrench_seq is weaklabel.load_wrench_seq
    assert Dataset is WrenchSeqDataset


def test_wrench_seq_reads_tokens_tags_and_wrench_sources(tmp_path: Path) -> None:
    data = load_wrench_seq(make_folder(tmp_path))
    assert isinstance(data, WrenchSeqDataset) and isinstance(data, TokenMatrix)
    assert data.tag_names == ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
    assert data.entity_types == ("PER", "LOC")
    assert data.source_names == ("rule_c", "dict_a")  # lf_rec, in lf_rec's order
    assert data.ids == ["s1", "s2"]
    assert data.tokens[0] == ["Ann", "Lee", "visits", "Paris"]
    assert data.tags[0] == ["B-PER", "I-PER", "O", "B-LOC"]
    np.testing.assert_array_equal(data.weak[0], [[1, 1], [0, 2], [0, 0], [1, 0]])
    assert data.weak[1].shape == (1, 2) and data.weak[0].dtype.kind == "i"
    assert data.equals(TokenMatrix(data.weak, data.source_names, data.entity_types))
    assert (data.n_sentences, data.n_tokens, data.n_sources, len(data)) == (2, 5, 2, 2)
    np.testing.assert_array_equal(data.gold_ids()[0], [1, 2, 0, 3])
    assert "n_tokens=5" in repr(data)


def test_wrench_seq_all_and_named_sources(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    every = load_wrench_seq(folder, sources="all")
    assert every.source_names == ("dict_a", "dict_b", "rule_c")
    np.testing.assert_array_equal(every.weak[0][3], [0, 3, 1])
    named = load_wrench_seq(folder, sources=["dict_b"])
    np.testing.assert_array_equal(named.weak[0][:, 0], [0, 0, 0, 3])
    with pytest.raises(DatasetError, match=r"\[E654\].*'nope'"):
        load_wrench_seq(folder, sources=["nope"])
    with pytest.raises(DatasetError, match=r"\[E653\]"):
        load_wrench_seq(folder, sources="some")


def test_wrench_seq_gzip_and_frozen(tmp_path: Path) -> None:
    data = load_wrench_seq(make_folder(tmp_path, split="test", gz=True), "test")
    assert data.split == "test" and data.name == "toy"
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.name = "other"  # type: ignore[misc]


def test_wrench_seq_meta_without_lf_rec_needs_all(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, meta={"entity_types": ["PER", "LOC"]})
    with pytest.raises(DatasetError, match=r"\[E216\].*lf_rec.*sources='all'"):
        load_wrench_seq(folder)
    assert load_wrench_seq(folder, sources="all").source_names == ("lf_0", "lf_1", "lf_2")


@pytest.mark.parametrize(
    ("mutate", "pattern"),
    [
        (lambda r: r["s2"].pop("label"), r"\[E655\].*'s2'.*'label'"),
        (lambda r: r["s2"].__setitem__("label", ["O", "O"]), r"'s2'.*2 gold tags for 1 tokens"),
        (lambda r: r["s1"]["label"].__setitem__(3, "B-ORG"), r"\[E656\].*'s1'.*token 3.*'B-ORG'"),
        (lambda r: r["s2"]["weak_labels"][0].__setitem__(1, "I-ORG"), r"\[E656\].*'s2'.*token 0"),
        (lambda r: r["s1"]["weak_labels"][2].pop(), r"\[E655\].*'s1'.*token 2 has 2 weak labels"),
        (lambda r: r["s1"]["weak_labels"].pop(), r"'s1'.*one list per token \(4\)"),
        (lambda r: r["s2"]["weak_labels"][0].__setitem__(0, 1), r"\[E656\].*'s2'.*'1'"),
        (lambda r: r["s2"].__setitem__("data", {"text": "Hi"}), r"\[E655\].*'s2'.*'text' list"),
        (lambda r: r.__setitem__("s3", [1, 2]), r"\[E655\].*'s3'.*list, not an object"),
    ],
)
def test_wrench_seq_malformed_sentence_names_file_and_id(
    tmp_path: Path, mutate: Any, pattern: str
) -> None:
    rows = json.loads(json.dumps(ROWS))
    mutate(rows)
    folder = make_folder(tmp_path, rows)
    with pytest.raises(DatasetError, match=pattern) as info:
        load_wrench_seq(folder)
    assert str(folder / "train.json") in str(info.value)


@pytest.mark.parametrize(
    ("rows", "meta", "pattern"),
    [
        ("{not json", META, r"\[E203\].*train.json"),
        ("[1, 2]", META, r"\[E204\]"),
        ("{}", META, r"\[E212\]"),
        (ROWS, {"lf": ["a"]}, r"\[E216\].*meta.json.*entity_types"),
        (ROWS, {"entity_types": ["PER", "PER"]}, r"\[E216\].*distinct"),
        (ROWS, {"entity_types": ["PER"], "lf": "abc"}, r"\[E216\].*'lf'"),
        (ROWS, None, r"\[E651\].*meta.json"),
    ],
)
def test_wrench_seq_malformed_files(tmp_path: Path, rows: Any, meta: Any, pattern: str) -> None:
    with pytest.raises(DatasetError, match=pattern):
        load_wrench_seq(make_folder(tmp_path, rows, meta=meta))


def test_wrench_seq_missing_folder_split_and_bad_split(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"\[E650\]"):
        load_wrench_seq(tmp_path / "nowhere")
    folder = make_folder(tmp_path)
    with pytest.raises(DatasetError, match=r"\[E202\].*valid"):
        load_wrench_seq(folder, "valid")
    with pytest.raises(DatasetError, match=r"\[E201\]"):
        load_wrench_seq(folder, "dev")


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "sizes", "n_rec", "n_all", "tokens"),
    [("bc5cdr", (500, 500, 500), 9, 30, 112315), ("laptopreview", (2436, 609, 800), 3, 16, 11809)],
)
def test_wrench_seq_real_sets(
    shared_data: Path, name: str, sizes: tuple[int, ...], n_rec: int, n_all: int, tokens: int
) -> None:
    folder = shared_data / "wrench" / "seq_tagging" / name
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    test = load_wrench_seq(folder, "test")
    assert len(test) == sizes[2] and test.n_tokens == tokens
    assert test.source_names == tuple(meta["lf_rec"]) and test.n_sources == n_rec
    assert test.tag_names[0] == "O" and test.entity_types == tuple(meta["entity_types"])
    assert all(w.shape == (len(t), n_rec) for w, t in zip(test.weak, test.tokens, strict=True))
    every = load_wrench_seq(folder, "valid", sources="all")
    assert len(every) == sizes[1] and every.n_sources == n_all
    assert every.source_names == tuple(meta["lf"])
    # the WRENCH columns are the lf_rec columns of the full matrix
    columns = [meta["lf"].index(n) for n in meta["lf_rec"]]
    valid = load_wrench_seq(folder, "valid")
    np.testing.assert_array_equal(valid.weak[3], every.weak[3][:, columns])


def test_wrench_seq_duplicate_lf_names_are_refused(tmp_path: Path) -> None:
    meta = {**META, "lf": ["dict_a", "dict_a", "rule_c"]}
    with pytest.raises(DatasetError, match=r"\[E216\] .*meta\.json: 'lf' names \['dict_a'\]"):
        load_wrench_seq(make_folder(tmp_path, meta=meta), sources="all")


def test_wrench_seq_truncated_gzip_is_refused_naming_the_file(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, gz=True)
    packed = folder / "train.json.gz"
    packed.write_bytes(packed.read_bytes()[:-12])
    with pytest.raises(DatasetError, match=r"\[E221\] .*train\.json\.gz is a truncated or damaged"):
        load_wrench_seq(folder)


# ------------------------------------------------------------------ fuzz
_TAGS = st.sampled_from(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"])
_BAD_TAGS = st.sampled_from(["B-ORG", "X", "", "b-per"])
_ANY = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=5,
)


@st.composite
def _sentence(draw: st.DrawFn) -> Any:
    """A valid sentence (three LFs), damaged in one of several ways now and then."""
    n = draw(st.integers(1, 3))
    row: dict[str, Any] = {
        "data": {"text": draw(st.lists(st.text(min_size=1, max_size=3), min_size=n, max_size=n))},
        "label": draw(st.lists(_TAGS, min_size=n, max_size=n)),
        "weak_labels": draw(
            st.lists(st.lists(_TAGS, min_size=3, max_size=3), min_size=n, max_size=n)
        ),
    }
    damage = draw(st.integers(0, 14))
    if damage == 0:  # a whole field damaged
        row[draw(st.sampled_from(sorted(row)))] = draw(_ANY)
    elif damage == 1:  # a tag outside the entity types
        row["weak_labels"][-1][0] = draw(_BAD_TAGS)
    elif damage == 2:
        row["label"][0] = draw(_BAD_TAGS)
    elif damage == 3:  # an empty sentence
        row = {"data": {"text": []}, "label": [], "weak_labels": []}
    elif damage == 4:  # one gold tag too many
        row["label"].append("O")
    elif damage == 5:  # ragged weak labels: a token with a fourth vote
        row["weak_labels"][0].append("O")
    elif damage == 6:
        del row[draw(st.sampled_from(sorted(row)))]
    return row


@settings(max_examples=120, deadline=None, derandomize=True)
@given(rows=st.dictionaries(st.text(min_size=1, max_size=3), _sentence(), max_size=3))
def test_wrench_seq_fuzz_rows_load_or_refuse_naming_the_file(rows: dict[str, Any]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as root:
        try:
            data = load_wrench_seq(make_folder(Path(root), rows), sources="all")
        except DatasetError as exc:
            assert "train.json" in str(exc)
            return
    assert data.ids == list(rows)
    lookup = {t: k for k, t in enumerate(data.tag_names)}
    for row, tokens, tags, weak in zip(
        rows.values(), data.tokens, data.tags, data.weak, strict=True
    ):
        assert tokens == row["data"]["text"] and tags == row["label"]
        assert weak.tolist() == [[lookup[t] for t in token] for token in row["weak_labels"]]
