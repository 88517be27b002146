"""The demo corpus shipped in the package, and its loader."""

from __future__ import annotations

import csv
import itertools
import re
from importlib import resources

import pandas as pd
import pytest

from weaklabel.datasets.demo import DEMO_LABELS, load_demo_reviews

N_ROWS = 400


@pytest.fixture(scope="module")
def reviews() -> pd.DataFrame:
    return load_demo_reviews()


def _words(text: str) -> list[str]:
    return text.split()


def test_loader_returns_the_three_string_columns(reviews: pd.DataFrame) -> None:
    assert list(reviews.columns) == ["id", "text", "label"]
    assert len(reviews) == N_ROWS
    assert not reviews.isna().any().any()
    for column in reviews.columns:
        assert all(isinstance(value, str) for value in reviews[column])


def test_raw_file_is_well_formed_utf8_csv() -> None:
    resource = resources.files("weaklabel.datasets").joinpath("data", "reviews.csv")
    raw = resource.read_bytes().decode("utf-8")  # raises if not UTF-8
    rows = list(csv.reader(raw.splitlines()))
    assert rows[0] == ["id", "text", "label"]
    assert len(rows) == N_ROWS + 1
    assert all(len(row) == 3 for row in rows)


def test_ids_are_unique_and_sequential(reviews: pd.DataFrame) -> None:
    assert reviews["id"].is_unique
    assert list(reviews["id"]) == [f"r{i:04d}" for i in range(1, N_ROWS + 1)]


def test_only_the_two_demo_labels(reviews: pd.DataFrame) -> None:
    assert DEMO_LABELS == ("NEGATIVE", "POSITIVE")
    assert set(reviews["label"]) == set(DEMO_LABELS)


def test_classes_are_balanced(reviews: pd.DataFrame) -> None:
    shares = reviews["label"].value_counts(normalize=True)
    for label in DEMO_LABELS:
        assert 0.45 <= shares[label] <= 0.55, shares


def test_texts_are_short_and_clean(reviews: pd.DataFrame) -> None:
    for text in reviews["text"]:
        assert 5 <= len(_words(text)) <= 35, text
        assert text == text.strip(), text
        assert "\n" not in text and "\r" not in text, text


def test_texts_are_unique_even_after_normalising(reviews: pd.DataFrame) -> None:
    assert reviews["text"].is_unique
    normalised = reviews["text"].str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True)
    assert normalised.str.strip().is_unique


def test_no_near_duplicate_texts(reviews: pd.DataFrame) -> None:
    bags = [frozenset(re.findall(r"[a-z0-9']+", t.lower())) for t in reviews["text"]]
    too_close = [
        (reviews["id"].iloc[i], reviews["id"].iloc[j])
        for i, j in itertools.combinations(range(len(bags)), 2)
        if len(bags[i] & bags[j]) / len(bags[i] | bags[j]) > 0.6
    ]
    assert not too_close


def test_loader_returns_a_fresh_frame_each_call() -> None:
    first = load_demo_reviews()
    first.loc[0, "text"] = "changed"
    assert load_demo_reviews().loc[0, "text"] != "changed"
