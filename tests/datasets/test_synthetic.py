"""Synthetic label matrices: seeded, shaped as asked, with the true parameters they report."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from weaklabel.datasets.synthetic import (
    SHAPES,
    CorpusItem,
    SyntheticMatrix,
    corpus,
    make_label_matrix,
)
from weaklabel.errors import ParameterError

N = 40_000  # rows for the measured-vs-true checks: standard errors well under 0.01


def _measured_accuracy(data: SyntheticMatrix) -> np.ndarray:
    fired = data.L >= 0
    right = (data.y[:, None] == data.L) & fired
    return np.asarray(right.sum(axis=0) / np.maximum(fired.sum(axis=0), 1))


def test_synthetic_same_seed_same_matrix() -> None:
    kwargs: dict[str, Any] = dict(
        cardinality=4, polarity=0.5, n_copies=2, copy_noise=0.1, n_coin_flip=1, seed=7
    )
    a = make_label_matrix(2_000, 12, **kwargs)
    b = make_label_matrix(2_000, 12, **kwargs)
    np.testing.assert_array_equal(a.L, b.L)
    np.testing.assert_array_equal(a.y, b.y)
    np.testing.assert_array_equal(a.vote_probs, b.vote_probs)
    assert a.kind == b.kind
    c = make_label_matrix(2_000, 12, **{**kwargs, "seed": 8})
    assert not np.array_equal(a.L, c.L)


def test_synthetic_shapes_and_dtypes() -> None:
    data = make_label_matrix(500, 9, cardinality=3, seed=0)
    assert data.L.shape == (500, 9) and data.L.dtype == np.int8
    assert data.y.shape == (500,) and data.y.dtype == np.int64
    assert data.vote_probs.shape == (9, 3, 3)
    assert data.propensity.shape == (9, 3)
    assert data.accuracy.shape == data.coverage.shape == (9,)
    assert data.polarity.dtype == data.copy_of.dtype == np.int64
    assert len(data.kind) == 9
    assert set(np.unique(data.L)) <= {-1, 0, 1, 2}
    assert set(np.unique(data.y)) == {0, 1, 2}
    assert (data.n_examples, data.n_sources) == (500, 9)
    assert "n_sources=9" in repr(data)


def test_synthetic_coverage_and_accuracy_match_the_reported_parameters() -> None:
    data = make_label_matrix(N, 10, coverage=(0.1, 0.5), accuracy=(0.6, 0.9), seed=1)
    np.testing.assert_allclose((data.L >= 0).mean(axis=0), data.coverage, atol=0.015)
    np.testing.assert_allclose(_measured_accuracy(data), data.accuracy, atol=0.02)
    assert np.all((data.coverage >= 0.1 - 1e-9) & (data.coverage <= 0.5 + 1e-9))
    assert np.all((data.accuracy >= 0.6 - 1e-9) & (data.accuracy <= 0.9 + 1e-9))


def test_synthetic_fixed_coverage_and_accuracy() -> None:
    data = make_label_matrix(N, 5, coverage=0.2, accuracy=0.75, seed=2)
    np.testing.assert_allclose(data.coverage, 0.2)
    np.testing.assert_allclose(data.accuracy, 0.75)
    np.testing.assert_allclose((data.L >= 0).mean(axis=0), 0.2, atol=0.01)


@pytest.mark.parametrize(
    ("cardinality", "class_balance", "expected_last"),
    [(2, None, 0.5), (2, 0.1, 0.1), (4, 0.05, 0.05), (3, [0.5, 0.3, 0.2], 0.2)],
)
def test_synthetic_class_balance(
    cardinality: int, class_balance: Any, expected_last: float
) -> None:
    data = make_label_matrix(10_000, 3, cardinality=cardinality, class_balance=class_balance)
    shares = np.bincount(data.y, minlength=cardinality) / 10_000
    np.testing.assert_allclose(shares, data.class_balance, atol=1e-3)  # exact counts
    assert data.class_balance[-1] == pytest.approx(expected_last)
    assert np.all(np.diff(data.class_balance) <= 1e-12)  # class 0 the largest


def test_synthetic_one_sided_sources_vote_one_class_with_a_propensity() -> None:
    data = make_label_matrix(N, 12, cardinality=3, class_balance=0.15, polarity="one-sided", seed=3)
    for j in range(12):
        votes = np.unique(data.L[:, j][data.L[:, j] >= 0])
        assert votes.tolist() == [data.polarity[j]]
        c = data.polarity[j]
        # fires more often on its own class than on any other: precision above base rate
        others = np.delete(data.propensity[j], c)
        assert data.propensity[j, c] > others.max()
        assert data.accuracy[j] > data.class_balance[c]
        on_c = (data.L[data.y == c, j] >= 0).mean()
        assert on_c == pytest.approx(data.propensity[j, c], abs=0.03)
    np.testing.assert_allclose(_measured_accuracy(data), data.accuracy, atol=0.03)
    assert sorted(set(data.polarity.tolist())) == [0, 1, 2]  # every class gets sources


def test_synthetic_polarity_share() -> None:
    data = make_label_matrix(1_000, 20, polarity=0.25, seed=4)
    assert (data.polarity >= 0).sum() == 5
    assert (make_label_matrix(1_000, 20, seed=4).polarity == -1).all()


def test_synthetic_class_accuracy_spread() -> None:
    flat = make_label_matrix(N, 4, cardinality=3, accuracy=0.7, seed=5)
    spread = make_label_matrix(N, 4, cardinality=3, accuracy=0.7, class_accuracy_spread=0.3, seed=5)

    def per_class(data: SyntheticMatrix) -> np.ndarray:
        probs = data.vote_probs / data.propensity[:, :, None]
        return np.asarray(np.diagonal(probs, axis1=1, axis2=2))

    np.testing.assert_allclose(per_class(flat), 0.7)
    gaps = per_class(spread).max(axis=1) - per_class(spread).min(axis=1)
    assert gaps.min() > 0.05
    np.testing.assert_allclose(spread.accuracy, 0.7, atol=1e-9)  # precision kept
    for c in range(3):  # measured per class
        rows = spread.y == c
        fired = spread.L[rows] >= 0
        right = (spread.L[rows] == c) & fired
        np.testing.assert_allclose(
            right.sum(axis=0) / fired.sum(axis=0), per_class(spread)[:, c], atol=0.03
        )


def test_synthetic_exact_copies_copy() -> None:
    data = make_label_matrix(5_000, 10, n_copies=3, seed=6)
    copies = np.flatnonzero(data.copy_of >= 0)
    assert copies.size == 3 and data.kind.count("copy") == 3
    for j in copies:
        original = data.copy_of[j]
        assert data.kind[original] == "regular"
        np.testing.assert_array_equal(data.L[:, j], data.L[:, original])
        np.testing.assert_array_equal(data.vote_probs[j], data.vote_probs[original])


def test_synthetic_near_copies_mostly_copy() -> None:
    data = make_label_matrix(N, 6, n_copies=2, copy_noise=0.2, coverage=0.3, seed=7)
    for j in np.flatnonzero(data.copy_of >= 0):
        same = (data.L[:, j] == data.L[:, data.copy_of[j]]).mean()
        assert 0.8 <= same < 0.99  # 80% copied, and a fresh draw sometimes agrees
        np.testing.assert_allclose((data.L[:, j] >= 0).mean(), data.coverage[j], atol=0.01)


def test_synthetic_coin_flip_and_adversarial_sources() -> None:
    data = make_label_matrix(N, 8, cardinality=4, n_coin_flip=2, n_adversarial=2, seed=8)
    measured = _measured_accuracy(data)
    for j, kind in enumerate(data.kind):
        if kind == "coin_flip":
            assert (data.L[:, j] >= 0).mean() > 0.78
            assert measured[j] == pytest.approx(0.25, abs=0.03)
        elif kind == "adversarial":
            assert measured[j] < 0.25 - 0.03
        else:
            assert measured[j] > 0.5


def test_synthetic_full_coverage_gives_every_row_a_vote() -> None:
    kwargs: dict[str, Any] = dict(coverage=0.01, polarity="one-sided", seed=9)
    sparse = make_label_matrix(5_000, 20, **kwargs)
    assert ((sparse.L >= 0).sum(axis=1) == 0).mean() > 0.5
    full = make_label_matrix(5_000, 20, full_coverage=True, **kwargs)
    assert ((full.L >= 0).sum(axis=1) >= 1).all()
    # the patch votes are drawn like the sources' own votes: still mostly right
    assert (full.y[:, None] == full.L).sum() / (full.L >= 0).sum() > 0.6


@pytest.mark.parametrize("polarity", ["both", "one-sided"])
def test_synthetic_hardness_keeps_the_averages_and_correlates_the_errors(polarity: str) -> None:
    kwargs: dict[str, Any] = dict(coverage=0.5, accuracy=0.75, polarity=polarity, seed=11)
    hard = make_label_matrix(N, 6, hardness=1.5, **kwargs)
    np.testing.assert_allclose((hard.L >= 0).mean(axis=0), hard.coverage, atol=0.015)
    np.testing.assert_allclose(_measured_accuracy(hard), hard.accuracy, atol=0.02)
    assert hard.difficulty.shape == (N,) and hard.difficulty.std() == pytest.approx(1, abs=0.02)
    # the rows where most votes are wrong are the hard ones
    fired = hard.L >= 0
    wrong = ((hard.y[:, None] != hard.L) & fired).sum(axis=1) / np.maximum(fired.sum(axis=1), 1)
    many_wrong = wrong > 0.5
    assert hard.difficulty[many_wrong].mean() > 0.5
    easy = make_label_matrix(N, 6, **kwargs)
    assert (easy.difficulty == 0).all()


def test_synthetic_hardness_correlates_two_sided_errors() -> None:
    def joint(data: SyntheticMatrix) -> tuple[float, float]:
        both = (data.L[:, 0] >= 0) & (data.L[:, 1] >= 0)
        wa = data.L[both, 0] != data.y[both]
        wb = data.L[both, 1] != data.y[both]
        return float((wa & wb).mean()), float(wa.mean() * wb.mean())

    together, apart = joint(make_label_matrix(N, 2, coverage=0.6, hardness=1.5, seed=12))
    assert together > 1.5 * apart
    together, apart = joint(make_label_matrix(N, 2, coverage=0.6, seed=12))
    assert together == pytest.approx(apart, abs=0.01)


def test_synthetic_split() -> None:
    data = make_label_matrix(100, 3, seed=0)
    train, test = data.split(60)
    assert train.L.shape == (60, 3) and test.L.shape == (40, 3)
    np.testing.assert_array_equal(np.vstack([train.L, test.L]), data.L)
    assert train.difficulty.shape == (60,) and test.difficulty.shape == (40,)
    assert train.vote_probs is data.vote_probs
    with pytest.raises(ParameterError, match=r"^\[E240\]"):
        data.split(100)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"n_examples": 0}, "E060"),
        ({"n_sources": 2.5}, "E060"),
        ({"cardinality": 1}, "E060"),
        ({"cardinality": 200, "n_examples": 500}, "E249"),
        ({"coverage": 0.0}, "E242"),
        ({"coverage": (0.5, 0.2)}, "E242"),
        ({"accuracy": "high"}, "E242"),
        ({"class_balance": 0.7}, "E243"),
        ({"class_balance": [0.5, 0.6]}, "E243"),
        ({"polarity": "left"}, "E244"),
        ({"polarity": 1.5}, "E244"),
        ({"n_examples": 2, "cardinality": 3}, "E245"),
        ({"n_copies": 3, "n_coin_flip": 2}, "E246"),
        ({"n_adversarial": -1}, "E060"),
        ({"class_accuracy_spread": -0.1}, "E060"),
        ({"copy_noise": 2}, "E060"),
        ({"seed": -1}, "E062"),
        ({"full_coverage": "yes"}, "E060"),
        ({"hardness": -1}, "E252"),
    ],
)
def test_synthetic_bad_arguments_name_the_problem(kwargs: dict[str, Any], code: str) -> None:
    args: dict[str, Any] = {"n_examples": 100, "n_sources": 5, **kwargs}
    with pytest.raises(ParameterError, match=rf"^\[{code}\]"):
        make_label_matrix(**args)


def test_corpus_names_shapes_and_metrics() -> None:
    full = corpus()
    names = [item.name for item in full]
    assert len(names) == len(set(names)) >= 200
    order = [SHAPES.index(item.shape) for item in full]
    assert order == sorted(order) and set(order) == set(range(len(SHAPES)))
    assert all(item.name.startswith(item.shape + "/") for item in full)
    assert {item.metric for item in full} == {"accuracy", "f1"}
    assert all(item.cardinality == 2 for item in full if item.metric == "f1")
    assert all(2_000 <= item.n_train + item.n_test <= 20_000 for item in full)
    small = corpus(size="small")
    assert {item.name for item in small} < set(names)
    assert {item.shape for item in small} == set(SHAPES)
    assert all(item.n_train + item.n_test <= 4_000 for item in small)


def test_corpus_is_seeded() -> None:
    a, b, c = corpus(seed=0), corpus(seed=0), corpus(seed=1)
    assert a == b
    assert [i.params["seed"] for i in a] != [i.params["seed"] for i in c]
    train_a, test_a = a[0].generate()
    train_b, test_b = b[0].generate()
    np.testing.assert_array_equal(train_a.L, train_b.L)
    np.testing.assert_array_equal(test_a.y, test_b.y)
    assert train_a.L.shape == (a[0].n_train, a[0].params["n_sources"])
    with pytest.raises(ParameterError, match=r"^\[E251\]"):
        corpus(size="medium")  # type: ignore[arg-type]


def _family(shape: str) -> list[CorpusItem]:
    return [item for item in corpus() if item.shape == shape]


def _votes_per_row(item: CorpusItem) -> np.ndarray:
    train, test = item.generate()
    return np.asarray((np.vstack([train.L, test.L]) >= 0).sum(axis=1))


def test_corpus_lookalike_sparse_9class() -> None:
    for item in _family("like-sparse-9class")[:2]:
        votes = _votes_per_row(item)
        assert item.cardinality == 9 and item.params["n_sources"] == 164
        assert votes.min() >= 1
        assert 0.68 <= (votes == 1).mean() <= 0.82
        assert 1.15 <= votes.mean() <= 1.45


def test_corpus_lookalike_census_and_low_coverage() -> None:
    census = _family("like-tabular-census")[0]
    votes = _votes_per_row(census)
    assert votes.min() >= 1 and 3.8 <= votes.mean() <= 5.2
    train, _ = census.generate()
    assert (train.polarity >= 0).all() and train.y.mean() == pytest.approx(0.24, abs=0.02)
    assert (train.polarity == 1).sum() in (41, 42)  # dealt evenly
    proportional, _ = _family("like-tabular-census")[4].generate()
    assert (proportional.polarity == 1).sum() == 20  # 24% of 83, as on WRENCH census
    for item in _family("like-lowcov-imbalanced"):
        no_vote = (_votes_per_row(item) == 0).mean()
        assert 0.58 <= no_vote <= 0.85, item.name
        assert item.metric == "f1"


def test_corpus_lookalike_hub() -> None:
    for item in _family("like-hub")[:3]:
        train, _ = item.generate()
        hub = train.kind.index("coin_flip")
        assert 0.8 <= train.coverage[hub] <= 0.95
        assert abs(train.accuracy[hub] - 0.5) <= 0.02
        others = [j for j, kind in enumerate(train.kind) if kind == "regular"]
        assert (train.polarity[others] >= 0).all() and (train.accuracy[others] >= 0.75).all()


@pytest.mark.parametrize(
    "name",
    [
        "weaklabel.datasets.synthetic",
        "weaklabel.datasets._synthetic_matrix",
        "weaklabel.datasets._synthetic_corpus",
    ],
)
def test_synthetic_docstring_examples_run(name: str) -> None:
    import doctest
    import importlib

    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
    assert f"{len(corpus())} items" in (corpus.__doc__ or "")


def test_synthetic_public_names_live_in_the_public_module() -> None:
    """The generator and the corpus are written apart but imported from one module."""
    import weaklabel.datasets.synthetic as module

    for name in module.__all__:
        assert getattr(module, name) is not None
    assert module.corpus()[0].generate()[0].__class__ is module.SyntheticMatrix


def test_synthetic_max_recall_caps_a_one_sided_source_on_a_rare_class() -> None:
    kwargs = {"class_balance": 0.02, "polarity": "one-sided", "coverage": 0.3, "seed": 4}
    capped = make_label_matrix(20_000, 6, **kwargs)
    uncapped = make_label_matrix(20_000, 6, max_recall=1.0, **kwargs)
    rare = capped.y == 1
    for data in (capped, uncapped):
        assert (data.y == capped.y).all()
    recall = [(capped.L[rare, j] == 1).mean() for j in np.flatnonzero(capped.polarity == 1)]
    full = [(uncapped.L[rare, j] == 1).mean() for j in np.flatnonzero(uncapped.polarity == 1)]
    assert max(recall) < 0.6  # 0.5 plus sampling noise
    assert min(full) > 0.9  # without the cap every such source fires on nearly all of it


def test_synthetic_one_sided_classes_balance_deals_sources_by_class_share() -> None:
    data = make_label_matrix(
        4_000, 50, class_balance=0.2, polarity="one-sided", one_sided_classes="balance"
    )
    assert (data.polarity == 1).sum() == 10 and (data.polarity == 0).sum() == 40
    even = make_label_matrix(4_000, 50, class_balance=0.2, polarity="one-sided")
    assert (even.polarity == 1).sum() == 25


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"max_recall": 0}, "E060"),
        ({"max_recall": 1.5}, "E"),
        ({"one_sided_classes": "random"}, "E060"),
    ],
)
def test_synthetic_new_knobs_refuse_bad_values(kwargs: dict, code: str) -> None:
    with pytest.raises(ParameterError, match=code):
        make_label_matrix(100, 5, **kwargs)
