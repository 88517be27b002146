"""weaklabel.metrics against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from weaklabel.metrics import accuracy, f1_score, macro_f1, precision_recall_f1
from weaklabel.models._errors import LabelModelError

# y_true / y_pred used below, with the counts worked out by hand:
#   class 1: tp = 2 (rows 0, 4), fp = 1 (row 2), fn = 2 (rows 1 abstained, 5 predicted 0)
#   class 0: tp = 1 (row 3),     fp = 1 (row 5), fn = 1 (row 2)
Y_TRUE = [1, 1, 0, 0, 1, 1]
Y_PRED = [1, -1, 1, 0, 1, 0]


def test_metrics_accuracy_counts_abstain_as_wrong() -> None:
    assert accuracy(Y_TRUE, Y_PRED) == pytest.approx(3 / 6)
    assert accuracy([0, 1], [-1, -1]) == 0.0
    assert accuracy(np.array([2, 2, 2]), np.array([2, 2, 2])) == 1.0
    assert isinstance(accuracy([0], [0]), float)


def test_metrics_precision_recall_f1_of_positive_class() -> None:
    precision, recall, f1 = precision_recall_f1(Y_TRUE, Y_PRED)
    assert precision == pytest.approx(2 / 3)
    assert recall == pytest.approx(2 / 4)
    assert f1 == pytest.approx(2 * 2 / (2 * 2 + 1 + 2))  # 4/7
    assert f1_score(Y_TRUE, Y_PRED) == pytest.approx(4 / 7)


def test_metrics_f1_pos_label() -> None:
    assert precision_recall_f1(Y_TRUE, Y_PRED, pos_label=0) == pytest.approx((1 / 2, 1 / 2, 1 / 2))
    assert f1_score(Y_TRUE, Y_PRED, pos_label=0) == pytest.approx(0.5)


def test_metrics_zero_division_gives_zero() -> None:
    assert precision_recall_f1([0, 0], [0, 0]) == (0.0, 0.0, 0.0)  # no positives at all
    assert precision_recall_f1([1, 1], [0, -1]) == (0.0, 0.0, 0.0)  # none predicted
    assert f1_score([0, 0], [1, 1]) == 0.0


def test_metrics_macro_f1_averages_classes() -> None:
    # class 0: 1/2, class 1: 4/7; the abstain is not a class of its own
    assert macro_f1(Y_TRUE, Y_PRED) == pytest.approx((0.5 + 4 / 7) / 2)
    assert macro_f1([0, 0, 1, 2], [0, 1, 1, 2]) == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    # classes that never occur count as 0 when listed explicitly
    assert macro_f1(Y_TRUE, Y_PRED, labels=[0, 1, 2]) == pytest.approx((0.5 + 4 / 7) / 3)
    assert macro_f1([0, 1], [1, 0]) == 0.0


@pytest.mark.parametrize(
    ("y_true", "y_pred", "fragment"),
    [
        ([0, 1], [0], "same length"),
        ([[0, 1]], [[0, 1]], "1-D"),
        ([], [], "zero examples"),
        ([0, -1], [0, 1], "not a class id"),
    ],
)
def test_metrics_bad_inputs_raise(y_true: list[int], y_pred: list[int], fragment: str) -> None:
    for metric in (accuracy, f1_score, macro_f1):
        with pytest.raises(LabelModelError, match=fragment):
            metric(y_true, y_pred)
    with pytest.raises(ValueError):  # LabelModelError is a ValueError
        precision_recall_f1(y_true, y_pred)


def test_metrics_refuse_labels_that_are_not_class_ids() -> None:
    # issue 11: strings raised numpy's ValueError, fractions were truncated to a class
    with pytest.raises(LabelModelError, match=r"\[E123\] y_true holds 'NEG'"):
        accuracy(["NEG", "POS"], [0, 1])
    with pytest.raises(LabelModelError, match=r"\[E123\] y_true holds 0.5"):
        accuracy(np.array([0.5, 1.0]), [0, 1])
    with pytest.raises(LabelModelError, match=r"\[E060\] accuracy: y_pred must be class ids"):
        accuracy([0, 1], [0.5, 1.0])
    with pytest.raises(LabelModelError, match=r"\[E060\] f1_score: pos_label must be a class id"):
        f1_score([0, 1], [0, 1], pos_label="x")  # type: ignore[arg-type]
    with pytest.raises(LabelModelError, match=r"\[E060\] macro_f1: labels must be a class id"):
        macro_f1([0, 1], [0, 1], labels=["a"])  # type: ignore[list-item]
    assert accuracy(np.array([0.0, 1.0]), np.array([0, 1])) == 1.0  # whole floats are ids
