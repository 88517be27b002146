"""LabelMatrix: dtype, immutability, validation, unique rows and conversions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from weaklabel.errors import LabelMatrixError
from weaklabel.matrix import LabelMatrix, as_label_array, smallest_label_dtype, unique_rows

VOTES = np.array(
    [
        [0, -1, 1],
        [1, 1, -1],
        [0, -1, 1],
        [-1, -1, -1],
        [1, 1, -1],
    ]
)


@pytest.fixture
def L() -> LabelMatrix:
    return LabelMatrix(VOTES, ("kw", "rx", "lf"), ("HAM", "SPAM"))


# ---------------------------------------------------------------- construction
@pytest.mark.parametrize(
    ("max_label", "dtype"),
    [(0, np.int8), (127, np.int8), (128, np.int16), (32767, np.int16), (32768, np.int32)],
)
def test_matrix_smallest_label_dtype(max_label: int, dtype: type) -> None:
    assert smallest_label_dtype(max_label) == np.dtype(dtype)


def test_matrix_smallest_label_dtype_beyond_int32() -> None:
    assert smallest_label_dtype(2**31) == np.dtype(np.int64)


def test_matrix_stores_votes_in_the_smallest_dtype(L: LabelMatrix) -> None:
    assert L.values.dtype == np.int8
    wide = LabelMatrix(np.array([[300, -1]]))
    assert wide.values.dtype == np.int16


def test_matrix_dtype_is_wide_enough_for_every_label_name() -> None:
    names = [f"C{i}" for i in range(200)]
    L = LabelMatrix(np.array([[0, 1]]), label_names=tuple(names))
    assert L.values.dtype == np.int16


def test_matrix_values_are_read_only(L: LabelMatrix) -> None:
    with pytest.raises(ValueError, match="read-only"):
        L.values[0, 0] = 1


def test_matrix_to_numpy_is_a_writable_copy(L: LabelMatrix) -> None:
    copy = L.to_numpy()
    copy[0, 0] = 1
    assert L.values[0, 0] == 0


def test_matrix_does_not_freeze_the_callers_array() -> None:
    votes = np.array([[0, 1], [-1, 1]], dtype=np.int8)
    LabelMatrix(votes)
    votes[0, 0] = 1  # the caller's array must stay theirs
    assert votes[0, 0] == 1


def test_matrix_default_source_names(L: LabelMatrix) -> None:
    assert LabelMatrix(VOTES).source_names == ("source_0", "source_1", "source_2")


def test_matrix_accepts_integral_floats() -> None:
    L = LabelMatrix(np.array([[0.0, -1.0], [1.0, 1.0]]))
    assert np.issubdtype(L.values.dtype, np.integer)
    np.testing.assert_array_equal(L.values, [[0, -1], [1, 1]])


def test_matrix_accepts_empty_float_matrix() -> None:
    assert LabelMatrix(np.zeros((0, 2))).shape == (0, 2)


def test_matrix_label_names_accept_a_wrench_mapping() -> None:
    L = LabelMatrix(VOTES, label_names={"0": "HAM", "1": "SPAM"})  # type: ignore[arg-type]
    assert L.label_names == ("HAM", "SPAM")
    assert L.cardinality == 2


@pytest.mark.parametrize("shape", [(6,), (2, 3, 1)])
def test_matrix_rejects_wrong_number_of_dimensions(shape: tuple[int, ...]) -> None:
    with pytest.raises(LabelMatrixError, match=r"2-dimensional.*values\[:, None\]"):
        LabelMatrix(np.zeros(shape, dtype=int))


def test_matrix_rejects_a_scalar() -> None:
    with pytest.raises(LabelMatrixError, match="2-dimensional"):
        LabelMatrix(np.int64(3))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "values",
    [
        np.array([[0.5, 1.0]]),
        np.array([[np.nan, 1.0]]),
        np.array([[True, False]]),
        np.array([["a", "b"]]),
    ],
)
def test_matrix_rejects_non_integer_values(values: np.ndarray) -> None:
    with pytest.raises(LabelMatrixError, match=r"must hold integers.*astype\(int\)"):
        LabelMatrix(values)


def test_matrix_rejects_votes_below_abstain_and_names_the_column() -> None:
    with pytest.raises(LabelMatrixError, match=r"found -3 in column 'b'"):
        LabelMatrix(np.array([[0, -3]]), ("a", "b"))


def test_matrix_rejects_votes_beyond_the_label_space_and_names_the_column() -> None:
    with pytest.raises(LabelMatrixError, match=r"Label id 2 in column 'b'.*cardinality 2"):
        LabelMatrix(np.array([[0, 2]]), ("a", "b"), ("HAM", "SPAM"))


def test_matrix_rejects_wrong_number_of_source_names() -> None:
    with pytest.raises(LabelMatrixError, match="Got 2 source names for 3 columns"):
        LabelMatrix(VOTES, ("a", "b"))


def test_matrix_rejects_duplicate_source_names() -> None:
    with pytest.raises(LabelMatrixError, match=r"unique.*\['a'\]"):
        LabelMatrix(VOTES, ("a", "b", "a"))


def test_matrix_shape_len_and_repr(L: LabelMatrix) -> None:
    assert L.shape == (5, 3)
    assert (L.n_examples, L.n_sources, len(L)) == (5, 3, 5)
    assert "n_examples=5" in repr(L) and "'SPAM'" in repr(L)
    assert L.label_space is not None and L.label_space.names == ("HAM", "SPAM")


def test_matrix_column_by_name(L: LabelMatrix) -> None:
    np.testing.assert_array_equal(L.column("rx"), VOTES[:, 1])
    with pytest.raises(LabelMatrixError, match=r"No source named 'nope'.*'kw'"):
        L.column("nope")


def test_matrix_row_selection_keeps_sources(L: LabelMatrix) -> None:
    picked = L[np.array([True, False, False, False, True])]
    assert picked.source_names == L.source_names
    np.testing.assert_array_equal(picked.values, VOTES[[0, 4]])
    assert L[1].shape == (1, 3)


# ---------------------------------------------------------------- unique rows
def test_matrix_unique_rows_counts_and_inverse(L: LabelMatrix) -> None:
    rows, counts, inverse = L.unique_rows()
    assert len(rows) == 3
    assert counts.sum() == L.n_examples
    np.testing.assert_array_equal(rows[inverse], L.values)
    pattern = {tuple(r): int(c) for r, c in zip(rows, counts, strict=True)}
    assert pattern[(0, -1, 1)] == 2 and pattern[(-1, -1, -1)] == 1


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        dtype=st.sampled_from([np.int8, np.int16, np.int64]),
        shape=hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=12),
        elements=st.integers(-1, 3),
    )
)
def test_matrix_unique_rows_reconstruct_the_matrix(values: np.ndarray) -> None:
    rows, counts, inverse = unique_rows(values)
    assert counts.sum() == values.shape[0]
    assert (counts > 0).all()
    np.testing.assert_array_equal(rows[inverse], values)
    assert len({tuple(r) for r in rows.tolist()}) == len(rows)
    np.testing.assert_array_equal(np.bincount(inverse, minlength=len(rows)), counts)


def test_matrix_unique_rows_of_a_non_contiguous_array() -> None:
    values = np.asfortranarray(VOTES)[:, ::2]
    rows, _, inverse = unique_rows(values)
    np.testing.assert_array_equal(rows[inverse], values)


def test_matrix_unique_rows_of_an_empty_matrix() -> None:
    rows, counts, inverse = LabelMatrix(np.zeros((0, 3), dtype=int)).unique_rows()
    assert rows.shape == (0, 3) and counts.size == 0 and inverse.size == 0


def test_matrix_unique_rows_with_no_sources() -> None:
    rows, counts, inverse = unique_rows(np.zeros((4, 0), dtype=np.int8))
    assert counts.sum() == 4
    np.testing.assert_array_equal(rows[inverse], np.zeros((4, 0)))


# ---------------------------------------------------------------- statistics
def test_matrix_coverage(L: LabelMatrix) -> None:
    assert L.coverage() == pytest.approx(4 / 5)
    assert LabelMatrix(np.full((3, 2), -1)).coverage() == 0.0
    assert LabelMatrix(np.zeros((0, 2), dtype=int)).coverage() == 0.0


# ---------------------------------------------------------------- conversions
def test_matrix_dataframe_round_trip_with_ids(L: LabelMatrix) -> None:
    index = pd.Index([10, 11, 12, 13, 14], name="doc")
    frame = L.to_dataframe(index=index)
    assert list(frame.columns) == ["kw", "rx", "lf"]
    assert frame.index.equals(index)
    back = LabelMatrix.from_dataframe(frame, label_names=["HAM", "SPAM"])
    assert back == L


def test_matrix_dataframe_round_trip_with_names(L: LabelMatrix) -> None:
    frame = L.to_dataframe(names=True)
    assert frame.loc[0, "kw"] == "HAM" and frame.loc[1, "kw"] == "SPAM"
    assert frame["kw"].isna().tolist() == [
        False,
        False,
        False,
        True,
        False,
    ]  # an abstain is missing (None, or NaN in pandas 3)
    back = LabelMatrix.from_dataframe(frame, label_names=["HAM", "SPAM"])
    assert back == L


def test_matrix_from_dataframe_of_pandas_strings_with_missing_values() -> None:
    frame = pd.DataFrame({"a": ["HAM", None, "SPAM"], "b": ["SPAM", "SPAM", np.nan]})
    L = LabelMatrix.from_dataframe(frame, label_names=["HAM", "SPAM"])
    np.testing.assert_array_equal(L.values, [[0, 1], [-1, 1], [1, -1]])


def test_matrix_from_dataframe_of_names_needs_label_names() -> None:
    frame = pd.DataFrame({"a": ["HAM", "SPAM"]})
    with pytest.raises(LabelMatrixError, match="must hold integers"):
        LabelMatrix.from_dataframe(frame)


def test_matrix_from_dataframe_unknown_name_raises() -> None:
    frame = pd.DataFrame({"a": ["HAM", "EGGS"]})
    with pytest.raises(ValueError, match="'EGGS'"):
        LabelMatrix.from_dataframe(frame, label_names=["HAM", "SPAM"])


def test_matrix_from_dataframe_accepts_a_wrench_mapping(L: LabelMatrix) -> None:
    frame = L.to_dataframe(names=True)
    back = LabelMatrix.from_dataframe(frame, label_names={"0": "HAM", "1": "SPAM"})  # type: ignore[arg-type]
    assert back.label_names == ("HAM", "SPAM")


def test_matrix_to_dataframe_names_without_label_names_raises() -> None:
    with pytest.raises(LabelMatrixError):
        LabelMatrix(VOTES).to_dataframe(names=True)


def test_matrix_sparse_round_trip_stores_label_plus_one(L: LabelMatrix) -> None:
    S = L.to_sparse()
    assert sp.issparse(S)
    assert S.nnz == int((L.values != -1).sum())  # abstains are the implicit zeros
    np.testing.assert_array_equal(S.toarray(), L.values.astype(int) + 1)
    back = LabelMatrix.from_sparse(S, source_names=L.source_names, label_names=L.label_names)
    assert back == L


def test_matrix_from_sparse_accepts_sparse_arrays() -> None:
    S = sp.csr_array(np.array([[1, 0], [0, 2]]))
    L = LabelMatrix.from_sparse(S, source_names=("a", "b"))
    np.testing.assert_array_equal(L.values, [[0, -1], [-1, 1]])


def test_matrix_select_sources_in_the_given_order(L: LabelMatrix) -> None:
    picked = L.select_sources(["lf", "kw"])
    assert picked.source_names == ("lf", "kw")
    assert picked.label_names == L.label_names
    np.testing.assert_array_equal(picked.values, VOTES[:, [2, 0]])


def test_matrix_select_sources_unknown_name_raises(L: LabelMatrix) -> None:
    with pytest.raises(LabelMatrixError, match=r"No source named 'zz'"):
        L.select_sources(["kw", "zz"])


def test_matrix_hstack(L: LabelMatrix) -> None:
    other = LabelMatrix(np.array([[1], [-1], [-1], [0], [1]]), ("extra",))
    both = L.hstack(other)
    assert both.source_names == ("kw", "rx", "lf", "extra")
    assert both.label_names == ("HAM", "SPAM")
    np.testing.assert_array_equal(both.values[:, :3], VOTES)
    np.testing.assert_array_equal(both.values[:, 3], [1, -1, -1, 0, 1])


def test_matrix_hstack_duplicate_source_names_raise(L: LabelMatrix) -> None:
    with pytest.raises(LabelMatrixError, match="unique"):
        L.hstack(L)


def test_matrix_hstack_different_label_names_raise(L: LabelMatrix) -> None:
    other = LabelMatrix(VOTES[:, :1], ("sentiment",), ("NEG", "POS"))
    with pytest.raises(LabelMatrixError):
        L.hstack(other)


def test_matrix_hstack_different_row_counts_raise(L: LabelMatrix) -> None:
    other = LabelMatrix(np.array([[0], [1]]), ("short",))
    with pytest.raises(LabelMatrixError):
        L.hstack(other)


# ---------------------------------------------------------------- as_label_array
@pytest.mark.parametrize(
    "kind",
    ["LabelMatrix", "ndarray", "list", "DataFrame", "csr_matrix", "csr_array", "float ndarray"],
)
def test_matrix_as_label_array_reads_every_input_kind(kind: str) -> None:
    inputs = {
        "LabelMatrix": lambda: LabelMatrix(VOTES),
        "ndarray": lambda: VOTES.copy(),
        "list": lambda: VOTES.tolist(),
        "DataFrame": lambda: pd.DataFrame(VOTES, columns=["a", "b", "c"]),
        "csr_matrix": lambda: sp.csr_matrix(VOTES + 1),
        "csr_array": lambda: sp.csr_array(VOTES + 1),
        "float ndarray": lambda: VOTES.astype(float),
    }
    out = as_label_array(inputs[kind]())
    assert isinstance(out, np.ndarray)
    assert np.issubdtype(out.dtype, np.integer)
    np.testing.assert_array_equal(out, VOTES)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.array([[None, 1]], dtype=object), "Cannot read a label matrix from ndarray"),
        (np.array([0, 1, -1]), "2-dimensional"),
        (np.array([[0.5, 1.0]]), "must hold integers"),
        (np.array([[0, -2]]), "found -2 in column 'source_1'"),
    ],
)
def test_matrix_as_label_array_rejects_bad_input(bad: np.ndarray, message: str) -> None:
    with pytest.raises(LabelMatrixError, match=message):
        as_label_array(bad)


def test_as_label_array_refuses_ragged_lists_and_floats_that_are_not_votes() -> None:
    # issue 11: a ragged list raised numpy's ValueError; 1e300 became a negative int64
    with pytest.raises(LabelMatrixError, match=r"\[E027\].*row 0 has 2 votes, row 1 has 3"):
        as_label_array([[0, 1], [1, 0, 1]])
    for bad in (0.5, np.nan, np.inf, 1e300):
        with pytest.raises(LabelMatrixError, match=r"\[E021\].*row 1, column 0"):
            as_label_array(np.array([[0.0, 1.0], [bad, 0.0]]))
        with pytest.raises(LabelMatrixError, match=r"\[E021\]"):
            LabelMatrix(np.array([[0.0, 1.0], [bad, 0.0]]))
    assert as_label_array(np.array([[2.0**40, -1.0]])).tolist() == [[2**40, -1]]
