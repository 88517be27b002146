"""Fitting from sufficient statistics: LabelStats, merged partitions and ``partial_fit``."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from weaklabel.errors import LabelMatrixError
from weaklabel.matrix import LabelMatrix
from weaklabel.models import MODELS, BaseLabelModel
from weaklabel.models._data import VoteData
from weaklabel.stats import LabelStats


def _matrix(seed: int, n: int = 400, m: int = 6, k: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    L = np.where(rng.random((n, m)) < 0.7, y[:, None], rng.integers(0, k, (n, m)))
    L[rng.random((n, m)) < 0.5] = -1
    L[: n // 10] = -1
    return L


def _assert_same_fit(a: BaseLabelModel, b: BaseLabelModel) -> None:
    for name in a._fitted_attributes:
        left, right = getattr(a, name), getattr(b, name)
        assert np.array_equal(left, right), name
        assert np.asarray(left).dtype == np.asarray(right).dtype, name


@pytest.fixture(params=MODELS, ids=lambda cls: cls.__name__)
def model_class(request: pytest.FixtureRequest) -> type[BaseLabelModel]:
    cls: type[BaseLabelModel] = request.param
    return cls


def test_stats_fit_on_label_stats_is_bit_identical(model_class: type[BaseLabelModel]) -> None:
    L = _matrix(0)
    whole = model_class().fit(L)
    for given in (L, L.astype(np.int8), LabelMatrix(L), sp.csr_matrix(L + 1)):
        _assert_same_fit(whole, model_class().fit(LabelStats.from_matrix(given)))
        _assert_same_fit(whole, model_class().fit(given))
    assert np.array_equal(
        whole.predict_proba(L), model_class().fit(LabelStats.from_matrix(L)).predict_proba(L)
    )


def test_stats_fit_on_merged_partitions_equals_whole_matrix(
    model_class: type[BaseLabelModel],
) -> None:
    L = _matrix(1, n=600)
    whole = model_class().fit(L)
    parts = [LabelStats.from_matrix(L[i : i + 150]) for i in range(0, 600, 150)]
    _assert_same_fit(whole, model_class().fit(LabelStats.merge(parts)))
    _assert_same_fit(whole, model_class().fit(parts[3] + parts[0] + parts[2] + parts[1]))


def test_stats_partial_fit_equals_fit_on_concatenation(model_class: type[BaseLabelModel]) -> None:
    L = _matrix(2, n=500)
    whole = model_class().fit(L)
    model = model_class()
    for start in range(0, 500, 120):
        assert model.partial_fit(L[start : start + 120]) is model
    _assert_same_fit(whole, model)
    # after fit, partial_fit starts over
    model.fit(L[:100])
    model.partial_fit(L[100:])
    _assert_same_fit(model_class().fit(L[100:]), model)


def test_stats_partial_fit_grows_inferred_cardinality(model_class: type[BaseLabelModel]) -> None:
    L = _matrix(3, n=300, k=4)
    first = L.copy()[:150]
    first[first == 3] = -1  # the first batch never votes the last class
    both = np.vstack([first, L[150:]])
    model = model_class().partial_fit(first)
    assert model.cardinality_ == 3
    model.partial_fit(LabelStats.from_matrix(L[150:]))
    assert model.cardinality_ == 4
    _assert_same_fit(model_class().fit(both), model)


def test_stats_partial_fit_rejects_other_sources(model_class: type[BaseLabelModel]) -> None:
    model = model_class().partial_fit(_matrix(4))
    with pytest.raises(LabelMatrixError, match="fitted on 6 sources"):
        model.partial_fit(_matrix(4, m=5))


def test_stats_predict_needs_the_matrix() -> None:
    L = _matrix(5)
    model = MODELS[0]().fit(L)
    with pytest.raises(LabelMatrixError, match="LabelStats is for `fit`"):
        model.predict_proba(LabelStats.from_matrix(L))


def test_stats_cooccurrence_counts_match_a_dense_one_hot() -> None:
    L = _matrix(6, n=300, m=4, k=3)
    onehot = np.zeros((300, 4, 3))
    for c in range(3):
        onehot[:, :, c] = c == L
    onehot = onehot.reshape(300, 12)
    expected = (onehot.T @ onehot).astype(np.int64)
    from_matrix = VoteData.from_input(L)
    from_stats = VoteData.from_input(LabelStats.from_matrix(L))
    for data in (from_matrix, from_stats):
        got = data.cooccurrence(3)
        assert got.dtype == np.int64 and np.array_equal(got, expected)
        counts = data.source_counts(3)
        assert np.array_equal(counts[:, :3], onehot.sum(axis=0).reshape(4, 3))
        assert np.array_equal(counts[:, 3], (L == -1).sum(axis=0))


def test_stats_sparse_input_stays_small() -> None:
    L = _matrix(7, n=1000)
    dense = VoteData.from_input(sp.csr_matrix(L + 1)).values
    assert dense is not None and dense.dtype == np.int8
    assert np.array_equal(dense, L)
    with pytest.raises(LabelMatrixError, match="only -1"):
        VoteData.from_input(sp.csr_matrix(np.array([[-1, 2]])))
