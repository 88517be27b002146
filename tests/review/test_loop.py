"""Review answers become y_dev / L_dev for LabelModel and empirical accuracies."""

from __future__ import annotations

import numpy as np
import pytest

import weaklabel as wl
from weaklabel.review import (
    ReviewError,
    dev_set,
    gold_labels,
    refit,
    source_accuracies,
    with_gold,
)

L = wl.LabelMatrix(
    np.array([[0, -1], [1, 1], [0, 1], [-1, -1], [1, 0]]), ("a", "b"), ("HAM", "SPAM")
)


def test_loop_gold_labels_from_ids_and_names() -> None:
    gold = gold_labels({0: "HAM", 2: 1, 3: None, 4: -1}, 5, label_names=("HAM", "SPAM"))
    np.testing.assert_array_equal(gold, [0, -1, 1, -1, -1])
    np.testing.assert_array_equal(gold_labels(([1, 4], [1, 0]), 5), [-1, 1, -1, -1, 0])


def test_loop_gold_label_errors() -> None:
    with pytest.raises(ReviewError, match=r"\[E598\]"):
        gold_labels({0: "EGGS"}, 5, label_names=("HAM", "SPAM"))
    with pytest.raises(ReviewError, match=r"\[E599\]"):
        gold_labels({7: 0}, 5)


def test_loop_dev_set_cuts_the_reviewed_rows() -> None:
    y_dev, L_dev = dev_set(L, [0, -1, 1, -1, 1])
    np.testing.assert_array_equal(y_dev, [0, 1, 1])
    np.testing.assert_array_equal(L_dev, L.values[[0, 2, 4]])


def _votes() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 400)
    votes = np.stack(
        [np.where(rng.random(400) < acc, truth, 1 - truth) for acc in (0.9, 0.8, 0.55)], axis=1
    )
    votes[rng.random(votes.shape) < 0.3] = -1
    gold = np.full(400, -1)
    gold[:60] = truth[:60]
    return votes, gold


def test_loop_refit_with_gold_as_a_source() -> None:
    votes, gold = _votes()
    model = refit(votes, gold)
    expected = wl.LabelModel().fit(np.concatenate([votes, gold[:, None]], axis=1))
    augmented = with_gold(votes)
    assert augmented.source_names[-1] == "gold" and (augmented.values[:, -1] == -1).all()
    np.testing.assert_allclose(
        model.predict_proba(augmented), expected.predict_proba(augmented.values)
    )
    named = with_gold(L, [0, -1, 1, -1, 1])
    assert named.source_names == ("a", "b", "gold") and named.label_names == ("HAM", "SPAM")


def test_loop_refit_passes_the_dev_set_to_label_model() -> None:
    votes, gold = _votes()
    y_dev, L_dev = dev_set(votes, gold)
    model = refit(votes, gold, use="dev")
    expected = wl.LabelModel().fit(votes, y_dev=y_dev, L_dev=L_dev)
    np.testing.assert_allclose(model.predict_proba(votes), expected.predict_proba(votes))
    uniform = refit(votes, gold, use="dev", class_prior="uniform")
    expected = wl.LabelModel(class_prior=[0.5, 0.5]).fit(votes, y_dev=y_dev, L_dev=L_dev)
    np.testing.assert_allclose(uniform.predict_proba(votes), expected.predict_proba(votes))
    assert not np.allclose(
        model.predict_proba(votes), wl.LabelModel().fit(votes).predict_proba(votes)
    )
    with pytest.raises(ReviewError, match=r"\[E060\]"):
        refit(votes, gold, use="dev", class_prior="balanced")  # type: ignore[arg-type]
    with pytest.raises(ReviewError, match=r"\[E060\]"):
        refit(votes, gold, use="both")  # type: ignore[arg-type]
    mv = refit(votes, gold, model="MajorityVote", use="dev")  # no dev set in its fit
    np.testing.assert_array_equal(mv.predict(votes), wl.MajorityVote().fit(votes).predict(votes))


def test_loop_source_accuracies_on_reviewed_rows() -> None:
    summary = source_accuracies(L, [0, -1, 1, -1, 1])
    # a: votes 0 (right), 0 on row 2 (wrong), 1 on row 4 (right)
    assert summary.loc["a", "correct"] == 2
    assert summary.loc["a", "incorrect"] == 1
    assert summary.loc["b", "emp_acc"] == pytest.approx(0.5)
