"""Tests of leak-free group splits and the train/test leakage report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weaklabel.augment._errors import AugmentError
from weaklabel.augment.splits import example_groups, group_split, leakage_report

BASE = "The quick brown fox jumps over the lazy dog near the quiet river bank today"
ONE_WORD = "The quick brown fox leaps over the lazy dog near the quiet river bank today"


def augmented_frame(counts: list[int], *, chains: bool = False) -> pd.DataFrame:
    """Originals ``o0, o1...`` followed by ``counts[k]`` augmented rows of original ``k``.

    With ``chains``, every second augmented row derives from the previous augmented row.
    """
    rows: list[dict[str, object]] = [
        {"id": f"o{k}", "text": f"original text {k}", "label": k % 2, "original_id": None}
        for k in range(len(counts))
    ]
    for k, count in enumerate(counts):
        parent = f"o{k}"
        for a in range(count):
            rid = f"a{k}_{a}"
            rows.append(
                {"id": rid, "text": f"variant {a} of {k}", "label": k % 2, "original_id": parent}
            )
            if chains and a % 2 == 0:
                parent = rid
    return pd.DataFrame(rows)


def root_of(frame: pd.DataFrame) -> dict[object, object]:
    parent = dict(zip(frame["id"], frame["original_id"], strict=True))
    roots = {}
    for rid in frame["id"]:
        node = rid
        while parent.get(node) is not None and parent[node] in parent:
            node = parent[node]
        roots[rid] = node
    return roots


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 6), min_size=1, max_size=25),
    test_size=st.floats(0.05, 0.95),
    seed=st.integers(0, 2**32 - 1),
    chains=st.booleans(),
    shuffle_seed=st.integers(0, 1000),
)
def test_group_split_never_separates_augmented_rows_from_originals(
    counts: list[int], test_size: float, seed: int, chains: bool, shuffle_seed: int
) -> None:
    frame = augmented_frame(counts, chains=chains).sample(frac=1.0, random_state=shuffle_seed)
    train, test = group_split(frame, test_size=test_size, seed=seed)
    assert len(train) + len(test) == len(frame)
    assert set(train.index).isdisjoint(test.index)
    roots = root_of(frame)
    train_roots = {roots[r] for r in train["id"]}
    test_roots = {roots[r] for r in test["id"]}
    assert train_roots.isdisjoint(test_roots)
    # Rows keep their frame order and index.
    assert list(train.index) == [i for i in frame.index if i in set(train.index)]
    # Greedy filling: within half the largest group of the target.
    largest = max(counts) + 1
    assert abs(len(test) - test_size * len(frame)) <= largest / 2 + 1e-9


def test_group_split_is_deterministic_by_seed() -> None:
    frame = augmented_frame([3, 1, 0, 2, 4, 1, 1, 0, 2, 3] * 3)
    a = group_split(frame, seed=7)
    b = group_split(frame, seed=7)
    assert a[0].equals(b[0]) and a[1].equals(b[1])
    splits = {tuple(group_split(frame, seed=s)[1]["id"]) for s in range(6)}
    assert len(splits) > 1


@pytest.mark.parametrize("test_size", [0.1, 0.2, 0.5])
def test_group_split_size_is_near_test_size(test_size: float) -> None:
    frame = augmented_frame([2] * 200)  # 200 groups of 3 rows
    train, test = group_split(frame, test_size=test_size, seed=1)
    assert abs(len(test) / len(frame) - test_size) <= 0.01
    assert len(train) + len(test) == 600


def test_augmented_rows_of_a_missing_original_stay_together() -> None:
    frame = pd.DataFrame(
        {
            "id": ["x1", "x2", "y", "z"],
            "text": ["a", "b", "c", "d"],
            "original_id": ["gone", "gone", None, None],
        }
    )
    groups = example_groups(frame)
    assert groups.tolist() == [0, 0, 1, 2]


def test_index_is_used_when_there_is_no_id_column() -> None:
    frame = pd.DataFrame(
        {"text": ["a", "b", "a'", "b'"], "original_id": [None, None, 10, 11]},
        index=[10, 11, 12, 13],
    )
    assert example_groups(frame).tolist() == [0, 1, 0, 1]
    plain = pd.DataFrame({"text": ["a", "b"]})
    assert example_groups(plain).tolist() == [0, 1]


def test_near_duplicate_groups_are_merged() -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "text": [BASE, "Something else entirely, about cooking pasta", ONE_WORD, "base?"],
            "original_id": [None, None, None, None],
        }
    )
    assert example_groups(frame).tolist() == [0, 1, 2, 3]
    assert example_groups(frame, near_duplicate_threshold=0.7).tolist() == [0, 1, 0, 2]
    for seed in range(5):
        train, test = group_split(frame, test_size=0.5, seed=seed, near_duplicate_threshold=0.7)
        assert ({1, 3} <= set(train["id"])) or ({1, 3} <= set(test["id"]))


def test_group_split_empty_frame_and_errors() -> None:
    empty = pd.DataFrame({"id": [], "text": [], "original_id": []})
    train, test = group_split(empty)
    assert train.empty and test.empty
    frame = augmented_frame([1, 1])
    for bad in (0.0, 1.0, True):
        with pytest.raises(AugmentError, match=r"\[E060\]"):
            group_split(frame, test_size=bad)
    with pytest.raises(AugmentError, match=r"\[E060\]"):
        group_split(frame, near_duplicate_threshold=2.0)
    with pytest.raises(AugmentError, match=r"\[E060\]"):
        example_groups([1, 2])  # type: ignore[arg-type]
    with pytest.raises(AugmentError, match=r"\[E773\]"):
        group_split(frame, text_column="body", near_duplicate_threshold=0.8)


# -- leakage report -------------------------------------------------------------------------
def test_leakage_report_finds_planted_exact_and_near_duplicates() -> None:
    train = [
        "The committee will publish its final report next Tuesday morning",
        BASE,
        "She baked a chocolate cake for her grandmother's birthday party",
        "Stock markets fell sharply after the central bank raised interest rates",
    ]
    test = [
        "A completely different sentence about mountain hiking trails",
        "she baked a chocolate  cake for her Grandmother's birthday party",  # exact (norm.)
        ONE_WORD,  # near
    ]
    report = leakage_report(train, test, near_duplicate_threshold=0.7)
    assert list(report.columns) == ["train_index", "test_index", "kind", "similarity"]
    rows = set(
        zip(
            report["train_index"].tolist(),
            report["test_index"].tolist(),
            report["kind"].tolist(),
            strict=True,
        )
    )
    assert rows == {(1, 2, "near"), (2, 1, "exact")}
    assert report.loc[report["kind"] == "exact", "similarity"].tolist() == [1.0]
    near = report.loc[report["kind"] == "near", "similarity"].iloc[0]
    assert 0.7 <= near < 1.0


def test_leakage_report_exact_only_and_clean() -> None:
    report = leakage_report(["a b", BASE], ["A  B", ONE_WORD], near_duplicate_threshold=None)
    assert report[["train_index", "test_index"]].to_numpy().tolist() == [[0, 0]]
    clean = leakage_report(["alpha beta gamma"], ["delta epsilon zeta"])
    assert clean.empty and list(clean.columns) == [
        "train_index",
        "test_index",
        "kind",
        "similarity",
    ]
    assert clean["train_index"].dtype == np.int64
    assert leakage_report([], []).empty


def test_splits_leakage_report_reads_the_text_column_of_frames() -> None:
    train = pd.DataFrame(
        {"id": [1, 2], "text": ["the same review text here", "other words entirely"]}
    )
    test = pd.DataFrame({"id": [3], "text": ["The same review  text here"]})
    report = leakage_report(train, test)
    assert report[["train_index", "test_index", "kind"]].values.tolist() == [[0, 0, "exact"]]
    with pytest.raises(AugmentError, match=r"^\[E773\].*'body'"):
        leakage_report(train, test, text_column="body")
