"""label_issues ranks wrong weak labels first (by hand and on WRENCH youtube)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel.review import ReviewError, label_issues

pytest.importorskip("cleanlab")
pytest.importorskip("sklearn")

COLUMNS = ["row", "text", "given", "suggested", "score", "issue", "sources"]


def _toy() -> tuple[list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    words = {0: ["song", "music", "voice", "love"], 1: ["subscribe", "channel", "free", "click"]}
    truth = rng.integers(0, 2, 200)
    texts = [" ".join(rng.choice(words[int(c)], 4)) for c in truth]
    labels = truth.copy()
    flipped = rng.choice(200, 10, replace=False)
    labels[flipped] = 1 - labels[flipped]
    return texts, labels, flipped


def test_issues_flipped_labels_come_first() -> None:
    texts, labels, flipped = _toy()
    labels[0] = -1  # an abstain is skipped
    frame = label_issues(texts, labels, label_names=["HAM", "SPAM"])
    assert list(frame.columns) == COLUMNS
    assert 0 not in set(frame["row"]) and len(frame) == 199
    top = set(frame["row"].head(10)) - {0}
    assert len(top & set(flipped.tolist())) >= 8
    assert frame["score"].is_monotonic_decreasing
    first = frame.iloc[0]
    assert first["text"] == texts[first["row"]]
    assert first["given"] != first["suggested"]
    assert frame["issue"].head(5).all()


def test_issues_given_proba_and_sources() -> None:
    texts = ["a", "b", "c", "d"]
    labels = np.array([0, 0, 1, 1])
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.5, 0.5]])
    L = wl.LabelMatrix(np.array([[0, -1], [0, 1], [1, -1], [-1, -1]]), ("kw", "re"), ("H", "S"))
    frame = label_issues(texts, labels, proba=proba, L=L)
    assert frame["row"].tolist() == [1, 3, 2, 0]
    np.testing.assert_allclose(frame["score"], [0.8, 0.5, 0.3, 0.1])
    assert frame["sources"].tolist() == ["kw=H, re=S", "", "kw=S", "kw=H"]
    assert frame["suggested"].tolist()[0] == "S"


def test_issues_any_sklearn_classifier() -> None:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    texts, labels, flipped = _toy()
    frame = label_issues(texts, labels, model=make_pipeline(CountVectorizer(), MultinomialNB()))
    assert len(set(frame["row"].head(10)) & set(flipped.tolist())) >= 8


def test_issues_errors() -> None:
    with pytest.raises(ReviewError, match=r"\[E581\]"):
        label_issues(["a", "b"], [0])
    with pytest.raises(ReviewError, match=r"\[E582\]"):
        label_issues(["a", "b", "c"], [0, 0, 1])
    with pytest.raises(ReviewError, match=r"\[E584\]"):
        from sklearn.svm import LinearSVC

        label_issues(["a b"] * 10, [0, 1] * 5, model=LinearSVC())


@pytest.mark.realdata
def test_issues_youtube_top_rows_are_wrong_three_times_as_often(
    wrench_classification: Path,
) -> None:
    data = wl.load_wrench(wrench_classification / "youtube")
    weak = wl.LabelModel().fit(data.L).predict(data.L, tie_break="abstain")
    frame = label_issues(data.texts, weak, L=data.L, seed=0)
    assert isinstance(frame, pd.DataFrame)
    wrong = weak[frame["row"].to_numpy()] != np.asarray(data.y)[frame["row"].to_numpy()]
    base = float(wrong.mean())  # a random labelled row
    assert wrong[:50].mean() >= 3 * base, (wrong[:50].mean(), wrong[:100].mean(), base)
    assert wrong[:100].mean() >= 3 * base
