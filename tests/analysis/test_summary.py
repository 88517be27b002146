"""Tests of weaklabel.analysis.summary: hand-computed cases, a brute-force reference,
input kinds, errors, and a regression against Snorkel on WRENCH youtube and sms."""

from __future__ import annotations

import gzip
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from weaklabel.analysis import (
    conflict_matrix,
    overlap_matrix,
    summarize_matrix,
    summarize_sources,
)
from weaklabel.analysis import summary as summary_module
from weaklabel.analysis._errors import Errors
from weaklabel.errors import LabelMatrixError, LabelSpaceError
from weaklabel.matrix import LabelMatrix

# The example of Snorkel's LFAnalysis docstrings, small enough to check by hand.
L_SMALL = np.array([[-1, 0, 0], [-1, -1, -1], [1, 0, -1], [-1, 0, -1], [0, 0, 0]])
Y_SMALL = np.array([0, 1, 1, -1, 0])  # row 3: gold unknown

Z95 = 1.959963984540054


def wilson(k: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval, written out independently of the module."""
    p = k / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 / (1 + Z95**2 / n) * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def brute_force(L: np.ndarray, y: np.ndarray) -> dict[str, list[float]]:
    """Per-source statistics by looping over every row and every other source."""
    n, m = L.shape
    out: dict[str, list[float]] = {k: [] for k in ("cov", "ovl", "con", "cor", "inc")}
    for j in range(m):
        cov = ovl = con = cor = inc = 0
        for i in range(n):
            if L[i, j] == -1:
                continue
            cov += 1
            others = [L[i, k] for k in range(m) if k != j and L[i, k] != -1]
            ovl += bool(others)
            con += any(v != L[i, j] for v in others)
            if y[i] != -1:
                cor += L[i, j] == y[i]
                inc += L[i, j] != y[i]
        for key, value in zip(out, (cov / n, ovl / n, con / n, cor, inc), strict=True):
            out[key].append(value)
    return out


def read_wrench(folder: Path, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Weak labels (n, m) and gold labels (n,) of one WRENCH split, read directly."""
    with gzip.open(folder / f"{split}.json.gz", "rt", encoding="utf-8") as handle:
        rows = json.load(handle).values()
    L = np.array([row["weak_labels"] for row in rows], dtype=np.int64)
    y = np.array([row["label"] for row in rows], dtype=np.int64)
    return L, y


# ---------------------------------------------------------------------------- by hand
def test_summary_sources_small_matrix_by_hand() -> None:
    table = summarize_sources(L_SMALL)
    assert list(table.columns) == ["j", "polarity", "coverage", "overlaps", "conflicts"]
    assert list(table.index) == ["source_0", "source_1", "source_2"]
    assert table.index.name == "source"
    assert table["j"].tolist() == [0, 1, 2]
    assert table["polarity"].tolist() == [[0, 1], [0], [0]]
    np.testing.assert_allclose(table["coverage"], [0.4, 0.8, 0.4])
    np.testing.assert_allclose(table["overlaps"], [0.4, 0.6, 0.4])
    np.testing.assert_allclose(table["conflicts"], [0.2, 0.2, 0.0])


def test_summary_sources_gold_ignores_unknown_rows() -> None:
    table = summarize_sources(L_SMALL, Y_SMALL)
    # source_1 votes 0 on rows 0, 2, 3, 4; row 3 has no gold, row 2's gold is 1.
    assert table["correct"].tolist() == [2, 2, 2]
    assert table["incorrect"].tolist() == [0, 1, 0]
    np.testing.assert_allclose(table["emp_acc"], [1.0, 2 / 3, 1.0])
    expected = [wilson(2, 2), wilson(2, 3), wilson(2, 2)]
    np.testing.assert_allclose(table["emp_acc_low"], [low for low, _ in expected])
    np.testing.assert_allclose(table["emp_acc_high"], [high for _, high in expected])
    assert table["emp_acc_low"].iloc[0] == pytest.approx(0.342, abs=1e-3)  # 2 of 2
    assert table["emp_acc_high"].iloc[0] == 1.0
    assert table["correct"].dtype == np.int64


def test_summary_wilson_interval_known_values() -> None:
    # 0 of 10: the upper bound is z^2 / (n + z^2) = 0.27753 (Wilson, 1927).
    L = np.array([[1]] * 10 + [[0]] * 10)
    y = np.array([0] * 10 + [0] * 10)
    table = summarize_sources(L[:10], y[:10])
    assert table["emp_acc"].iloc[0] == 0.0
    assert table["emp_acc_low"].iloc[0] == 0.0
    assert table["emp_acc_high"].iloc[0] == pytest.approx(0.27753, abs=1e-5)
    # 10 of 20 (centred at 0.5): 0.2993 .. 0.7007.
    table = summarize_sources(np.array([[0]] * 20), np.array([0, 1] * 10))
    assert table["emp_acc_low"].iloc[0] == pytest.approx(0.29930, abs=1e-5)
    assert table["emp_acc_high"].iloc[0] == pytest.approx(0.70070, abs=1e-5)


def test_summary_source_without_gold_votes_has_nan_accuracy() -> None:
    L = np.array([[0, -1], [1, -1], [0, 1]])
    table = summarize_sources(L, np.array([0, 1, -1]))
    assert table.loc["source_1", ["correct", "incorrect"]].tolist() == [0, 0]
    assert table.loc["source_1", ["emp_acc", "emp_acc_low", "emp_acc_high"]].isna().all()
    assert table.loc["source_1", "polarity"] == [1]


def test_summary_matrix_small_matrix_by_hand() -> None:
    stats = summarize_matrix(L_SMALL)
    assert stats.index.tolist() == [
        "n_examples", "n_sources", "coverage", "overlap", "conflict",
        "mean_votes_per_row", "abstain_rate",
    ]  # fmt: skip
    assert stats["n_examples"] == 5 and isinstance(stats["n_examples"], int)
    assert stats["n_sources"] == 3
    assert stats[["coverage", "overlap", "conflict"]].tolist() == pytest.approx([0.8, 0.6, 0.2])
    assert stats["mean_votes_per_row"] == pytest.approx(8 / 5)
    assert stats["abstain_rate"] == pytest.approx(0.2)


def test_summary_overlap_and_conflict_matrices_by_hand() -> None:
    overlap = overlap_matrix(L_SMALL)
    np.testing.assert_allclose(
        overlap.to_numpy(), [[0.4, 0.4, 0.2], [0.4, 0.8, 0.4], [0.2, 0.4, 0.4]]
    )
    conflict = conflict_matrix(L_SMALL)
    np.testing.assert_allclose(
        conflict.to_numpy(), [[0.0, 0.2, 0.0], [0.2, 0.0, 0.0], [0.0, 0.0, 0.0]]
    )
    names = ["source_0", "source_1", "source_2"]
    for frame in (overlap, conflict):
        assert frame.index.tolist() == names and frame.columns.tolist() == names


def test_summary_conflict_matrix_counts_each_label_pair() -> None:
    # Three classes; a pair disagrees only where both vote and the votes differ.
    L = np.array([[0, 2, 2], [1, 1, 2], [2, 2, -1], [-1, 0, 0]])
    expected = np.array([[0, 1, 2], [1, 0, 1], [2, 1, 0]]) / 4
    np.testing.assert_allclose(conflict_matrix(L).to_numpy(), expected)


# ---------------------------------------------------------------------------- reference
@settings(max_examples=40, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 25), st.integers(1, 5)), elements=st.integers(-1, 3)),
    st.data(),
)
def test_summary_sources_matches_brute_force(L: np.ndarray, data: st.DataObject) -> None:
    y = np.array(data.draw(st.lists(st.integers(-1, 3), min_size=len(L), max_size=len(L))))
    table = summarize_sources(L, y)
    expected = brute_force(L, y)
    np.testing.assert_allclose(table["coverage"], expected["cov"])
    np.testing.assert_allclose(table["overlaps"], expected["ovl"])
    np.testing.assert_allclose(table["conflicts"], expected["con"])
    assert table["correct"].tolist() == expected["cor"]
    assert table["incorrect"].tolist() == expected["inc"]
    both = (L[:, :, None] != -1) & (L[:, None, :] != -1)
    differ = both & (L[:, :, None] != L[:, None, :])
    np.testing.assert_allclose(overlap_matrix(L).to_numpy(), both.mean(axis=0))
    np.testing.assert_allclose(conflict_matrix(L).to_numpy(), differ.mean(axis=0))


def test_summary_blocks_of_rows_add_up(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    L = np.where(rng.random((1000, 6)) < 0.6, -1, rng.integers(0, 3, (1000, 6)))
    y = rng.integers(-1, 3, 1000)
    whole = summarize_sources(L, y), summarize_matrix(L), conflict_matrix(L)
    monkeypatch.setattr(summary_module, "_CHUNK_ROWS", 37)
    blocked = summarize_sources(L, y), summarize_matrix(L), conflict_matrix(L)
    pd.testing.assert_frame_equal(whole[0], blocked[0])
    pd.testing.assert_series_equal(whole[1], blocked[1])
    pd.testing.assert_frame_equal(whole[2], blocked[2])


# ---------------------------------------------------------------------------- inputs
def test_summary_inputs_give_the_same_numbers() -> None:
    expected = summarize_sources(L_SMALL, Y_SMALL)
    inputs = [
        LabelMatrix(L_SMALL),
        L_SMALL.astype(np.int8),
        L_SMALL.tolist(),
        pd.DataFrame(L_SMALL, columns=["source_0", "source_1", "source_2"]),
        sp.csr_matrix(L_SMALL + 1),
        sp.csr_array(L_SMALL + 1).tocoo(),
    ]
    for L in inputs:
        pd.testing.assert_frame_equal(summarize_sources(L, Y_SMALL), expected)
    for y in (Y_SMALL.tolist(), pd.Series(Y_SMALL), Y_SMALL[:, None], Y_SMALL.astype(float)):
        pd.testing.assert_frame_equal(summarize_sources(L_SMALL, y), expected)


def test_summary_source_names_come_from_the_input() -> None:
    names = ("short", "medium", "long")
    by_matrix = summarize_sources(LabelMatrix(L_SMALL, names))
    by_frame = summarize_sources(pd.DataFrame(L_SMALL, columns=list(names)))
    assert list(by_matrix.index) == list(by_frame.index) == list(names)
    assert overlap_matrix(LabelMatrix(L_SMALL, names)).columns.tolist() == list(names)


def test_summary_polarity_as_label_names() -> None:
    from_matrix = summarize_sources(LabelMatrix(L_SMALL, label_names=["ham", "spam"]))
    from_argument = summarize_sources(L_SMALL, label_names=["ham", "spam"])
    expected = [["ham", "spam"], ["ham"], ["ham"]]
    assert from_matrix["polarity"].tolist() == from_argument["polarity"].tolist() == expected


def test_summary_gold_labels_as_names() -> None:
    y = ["ham", "spam", "spam", None, "ham"]
    table = summarize_sources(L_SMALL, y, label_names=["ham", "spam"])
    pd.testing.assert_frame_equal(
        table.drop(columns="polarity"),
        summarize_sources(L_SMALL, Y_SMALL).drop(columns="polarity"),
    )


def test_summary_dataframe_of_names_with_label_names() -> None:
    frame = pd.DataFrame({"a": ["ham", None, "spam"], "b": ["ham", "ham", None]})
    table = summarize_sources(frame, label_names=["ham", "spam"])
    assert table["polarity"].tolist() == [["ham", "spam"], ["ham"]]
    np.testing.assert_allclose(table["coverage"], [2 / 3, 2 / 3])


def test_summary_empty_inputs() -> None:
    no_rows = summarize_sources(np.empty((0, 2), dtype=int), np.empty(0, dtype=int))
    assert no_rows[["coverage", "overlaps", "conflicts", "emp_acc"]].isna().all().all()
    assert no_rows["correct"].tolist() == [0, 0]
    assert math.isnan(summarize_matrix(np.empty((0, 2), dtype=int))["coverage"])
    no_sources = summarize_sources(np.empty((4, 0), dtype=int), np.zeros(4, dtype=int))
    assert len(no_sources) == 0 and "emp_acc_high" in no_sources.columns
    assert summarize_matrix(np.empty((4, 0), dtype=int))["coverage"] == 0.0


def test_summary_source_that_never_votes() -> None:
    table = summarize_sources(np.array([[0, -1], [1, -1]]))
    assert table.loc["source_1", "polarity"] == []
    assert table.loc["source_1", ["coverage", "overlaps", "conflicts"]].tolist() == [0, 0, 0]


# ---------------------------------------------------------------------------- errors
def test_summary_errors_gold_of_wrong_length() -> None:
    message = re.escape(Errors.E300.format(n_y=4, n=5))
    with pytest.raises(LabelMatrixError, match=message):
        summarize_sources(L_SMALL, [0, 1, 0, 1])


def test_summary_errors_gold_of_wrong_shape_or_dtype() -> None:
    with pytest.raises(LabelMatrixError, match="1-dimensional"):
        summarize_sources(L_SMALL, np.zeros((5, 2), dtype=int))
    with pytest.raises(LabelMatrixError, match="integers or class names"):
        summarize_sources(L_SMALL, np.ones(5, dtype=bool))


def test_summary_errors_gold_values() -> None:
    with pytest.raises(LabelSpaceError, match=re.escape(Errors.E302.format(value=-3, row=2))):
        summarize_sources(L_SMALL, [0, 0, -3, 0, 0])
    with pytest.raises(LabelSpaceError, match=r"found 0\.5 at row 1"):
        summarize_sources(L_SMALL, [0, 0.5, 1, 0, 0])
    with pytest.raises(LabelSpaceError, match="not below the number of classes 2"):
        summarize_sources(L_SMALL, [0, 0, 2, 0, 0], label_names=["ham", "spam"])
    with pytest.raises(LabelSpaceError, match="no label names are known"):
        summarize_sources(L_SMALL, ["ham"] * 5)
    with pytest.raises(LabelSpaceError, match="Unknown label 'eggs'"):
        summarize_sources(L_SMALL, ["ham", "eggs", None, None, None], label_names=["ham", "spam"])


def test_summary_errors_label_names() -> None:
    matrix = LabelMatrix(L_SMALL, label_names=["ham", "spam"])
    with pytest.raises(LabelSpaceError, match="disagrees with the label names stored"):
        summarize_sources(matrix, label_names=["spam", "ham"])
    with pytest.raises(LabelSpaceError, match="Source 'source_0' votes 2"):
        summarize_sources(np.array([[2, 0], [0, 1]]), label_names=["ham", "spam"])


def test_summary_errors_bad_matrices() -> None:
    with pytest.raises(LabelMatrixError, match="found -2 in column 'source_1'"):
        summarize_sources(sp.csr_matrix(np.array([[1, 0], [0, -1]])))
    with pytest.raises(LabelMatrixError, match="appear more than once"):
        summarize_sources(pd.DataFrame([[0, 1]], columns=["a", "a"]))
    with pytest.raises(LabelMatrixError, match="2-dimensional"):
        summarize_matrix(np.array([0, 1, -1]))


# ---------------------------------------------------------------------------- real data
# Reference values from Snorkel 0.10.0's LFAnalysis(L).lf_summary(Y) (and its
# label_coverage / label_overlap / label_conflict) on WRENCH train splits, rounded to 1e-6.
_SNORKEL_YOUTUBE = (
    # (polarity, coverage, overlaps, conflicts, correct, incorrect, emp_acc)
    ((1,), 0.198613, 0.186003, 0.110340, 274, 41, 0.869841),
    ((1,), 0.127364, 0.107818, 0.068096, 199, 3, 0.985149),
    ((1,), 0.119168, 0.102144, 0.083228, 178, 11, 0.941799),
    ((1,), 0.112232, 0.109710, 0.057377, 175, 3, 0.983146),
    ((0,), 0.141866, 0.111602, 0.043506, 165, 60, 0.733333),
    ((1,), 0.233922, 0.133039, 0.086381, 371, 0, 1.000000),
    ((0,), 0.225725, 0.144388, 0.074401, 238, 120, 0.664804),
    ((0,), 0.082598, 0.060530, 0.025221, 95, 36, 0.725191),
    ((0,), 0.035309, 0.032156, 0.005044, 47, 9, 0.839286),
    ((0,), 0.357503, 0.261665, 0.160151, 325, 242, 0.573192),
)
_SNORKEL_SMS = (
    # (polarity, coverage, overlaps, conflicts, correct, incorrect, emp_acc)
    ((0,), 0.013126, 0.004813, 0.000875, 47, 13, 0.783333),
    ((1,), 0.007657, 0.005469, 0.000656, 33, 2, 0.942857),
    ((0,), 0.000219, 0.000219, 0.000000, 1, 0, 1.000000),
    ((1,), 0.001969, 0.001969, 0.000000, 9, 0, 1.000000),
    ((1,), 0.000656, 0.000000, 0.000000, 3, 0, 1.000000),
    ((1,), 0.001313, 0.000656, 0.000000, 6, 0, 1.000000),
    ((1,), 0.002406, 0.000000, 0.000000, 11, 0, 1.000000),
    ((0,), 0.000219, 0.000219, 0.000000, 1, 0, 1.000000),
    ((1,), 0.000438, 0.000000, 0.000000, 2, 0, 1.000000),
    ((1,), 0.000656, 0.000438, 0.000000, 3, 0, 1.000000),
    ((0,), 0.000219, 0.000000, 0.000000, 1, 0, 1.000000),
    ((0,), 0.289433, 0.074382, 0.001969, 1294, 29, 0.978080),
    ((0,), 0.000219, 0.000000, 0.000000, 1, 0, 1.000000),
    ((0,), 0.003500, 0.003500, 0.000000, 16, 0, 1.000000),
    ((0,), 0.013783, 0.013783, 0.000219, 56, 7, 0.888889),
    ((0,), 0.007876, 0.007876, 0.000000, 36, 0, 1.000000),
    ((0,), 0.000656, 0.000219, 0.000000, 3, 0, 1.000000),
    ((1,), 0.007001, 0.006782, 0.000656, 32, 0, 1.000000),
    ((1,), 0.000656, 0.000438, 0.000000, 3, 0, 1.000000),
    ((0,), 0.002844, 0.001094, 0.000000, 13, 0, 1.000000),
    ((0,), 0.003282, 0.001313, 0.000438, 12, 3, 0.800000),
    ((1,), 0.001313, 0.001313, 0.000000, 6, 0, 1.000000),
    ((0,), 0.019252, 0.006126, 0.000000, 79, 9, 0.897727),
    ((1,), 0.001094, 0.001094, 0.000000, 5, 0, 1.000000),
    ((1,), 0.000438, 0.000219, 0.000000, 2, 0, 1.000000),
    ((1,), 0.001094, 0.000000, 0.000000, 5, 0, 1.000000),
    ((0,), 0.028878, 0.028878, 0.000000, 131, 1, 0.992424),
    ((0,), 0.003063, 0.001969, 0.000000, 14, 0, 1.000000),
    ((0,), 0.000875, 0.000875, 0.000000, 4, 0, 1.000000),
    ((0,), 0.000438, 0.000438, 0.000000, 2, 0, 1.000000),
    ((1,), 0.000656, 0.000000, 0.000000, 3, 0, 1.000000),
    ((0,), 0.000438, 0.000000, 0.000000, 2, 0, 1.000000),
    ((1,), 0.001969, 0.000438, 0.000438, 9, 0, 1.000000),
    ((1,), 0.008751, 0.007438, 0.000656, 40, 0, 1.000000),
    ((1,), 0.000438, 0.000438, 0.000000, 2, 0, 1.000000),
    ((1,), 0.000219, 0.000219, 0.000000, 1, 0, 1.000000),
    ((1,), 0.001313, 0.000000, 0.000000, 6, 0, 1.000000),
    ((0,), 0.029315, 0.008532, 0.000219, 134, 0, 1.000000),
    ((1,), 0.000438, 0.000000, 0.000000, 2, 0, 1.000000),
    ((1,), 0.001094, 0.001094, 0.000000, 5, 0, 1.000000),
    ((1,), 0.000438, 0.000438, 0.000000, 2, 0, 1.000000),
    ((1,), 0.000875, 0.000875, 0.000000, 4, 0, 1.000000),
    ((1,), 0.001969, 0.001969, 0.000000, 9, 0, 1.000000),
    ((0,), 0.001094, 0.000438, 0.000000, 5, 0, 1.000000),
    ((1,), 0.003282, 0.001969, 0.000219, 15, 0, 1.000000),
    ((0,), 0.000219, 0.000219, 0.000000, 1, 0, 1.000000),
    ((0,), 0.000219, 0.000000, 0.000000, 1, 0, 1.000000),
    ((1,), 0.001313, 0.000000, 0.000000, 4, 2, 0.666667),
    ((0,), 0.000219, 0.000219, 0.000000, 1, 0, 1.000000),
    ((0,), 0.000875, 0.000000, 0.000000, 4, 0, 1.000000),
    ((1,), 0.002625, 0.002625, 0.000000, 12, 0, 1.000000),
    ((0,), 0.000219, 0.000000, 0.000000, 1, 0, 1.000000),
    ((0,), 0.000438, 0.000219, 0.000000, 2, 0, 1.000000),
    ((1,), 0.000219, 0.000000, 0.000000, 1, 0, 1.000000),
    ((0,), 0.005688, 0.003719, 0.000000, 25, 1, 0.961538),
    ((1,), 0.001750, 0.001094, 0.000000, 8, 0, 1.000000),
    ((0,), 0.000219, 0.000000, 0.000000, 1, 0, 1.000000),
    ((1,), 0.006344, 0.003938, 0.000219, 26, 3, 0.896552),
    ((1,), 0.001313, 0.000438, 0.000000, 6, 0, 1.000000),
    ((1,), 0.000438, 0.000000, 0.000000, 2, 0, 1.000000),
    ((0,), 0.001313, 0.000438, 0.000219, 3, 3, 0.500000),
    ((1,), 0.005469, 0.004375, 0.000000, 25, 0, 1.000000),
    ((1,), 0.001531, 0.000656, 0.000219, 6, 1, 0.857143),
    ((1,), 0.002625, 0.000438, 0.000438, 10, 2, 0.833333),
    ((1,), 0.001094, 0.000000, 0.000000, 5, 0, 1.000000),
    ((1,), 0.003282, 0.000438, 0.000219, 15, 0, 1.000000),
    ((0,), 0.002625, 0.001531, 0.000000, 12, 0, 1.000000),
    ((0,), 0.006126, 0.003282, 0.000000, 28, 0, 1.000000),
    ((1,), 0.002625, 0.000875, 0.000000, 12, 0, 1.000000),
    ((1,), 0.001313, 0.000219, 0.000000, 6, 0, 1.000000),
    ((1,), 0.001313, 0.000000, 0.000000, 6, 0, 1.000000),
    ((1,), 0.003500, 0.001313, 0.000000, 16, 0, 1.000000),
    ((1,), 0.001094, 0.000000, 0.000000, 5, 0, 1.000000),
)


_SNORKEL_MATRIX = {
    "youtube": (0.877049, 0.491803, 0.264817),
    "sms": (0.405163, 0.096259, 0.003063),
}


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("dataset", "reference"), [("youtube", _SNORKEL_YOUTUBE), ("sms", _SNORKEL_SMS)]
)
def test_summary_sources_match_snorkel_on_wrench(
    wrench_classification: Path, dataset: str, reference: tuple[tuple[object, ...], ...]
) -> None:
    L, y = read_wrench(wrench_classification / dataset)
    table = summarize_sources(L, y)
    assert len(table) == len(reference)
    expected = pd.DataFrame(
        reference,
        columns=["polarity", "coverage", "overlaps", "conflicts", "correct", "incorrect",
                 "emp_acc"],
    )  # fmt: skip
    assert [tuple(p) for p in table["polarity"]] == expected["polarity"].tolist()
    for column in ("coverage", "overlaps", "conflicts", "emp_acc"):
        np.testing.assert_allclose(table[column], expected[column], atol=5e-7, err_msg=column)
    for column in ("correct", "incorrect"):
        assert table[column].tolist() == expected[column].tolist(), column
    stats = summarize_matrix(L)
    assert [stats["coverage"], stats["overlap"], stats["conflict"]] == pytest.approx(
        _SNORKEL_MATRIX[dataset], abs=5e-7
    )
