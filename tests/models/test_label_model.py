"""LabelModel and the symmetric-accuracy models: recovery, stress tests, dev sets, real data."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from weaklabel.datasets.wrench import load_wrench
from weaklabel.errors import LabelMatrixError
from weaklabel.metrics import accuracy, f1_score
from weaklabel.models import (
    LabelModel,
    MajorityVote,
    MatrixCompletion,
    Triplet,
    WeightedMajorityVote,
)
from weaklabel.models._errors import LabelModelError


def symmetric_votes(
    n: int,
    accuracies: np.ndarray,
    coverage: np.ndarray,
    k: int,
    seed: int,
    prior: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(L, y): each source votes with prob. ``coverage``, right with prob. ``accuracy``."""
    rng = np.random.default_rng(seed)
    y = rng.choice(k, size=n, p=prior)
    L = np.full((n, accuracies.size), -1, dtype=np.int8)
    for j, (acc, cov) in enumerate(zip(accuracies, coverage, strict=True)):
        fires = np.flatnonzero(rng.random(n) < cov)
        right = rng.random(fires.size) < acc
        wrong = (y[fires] + rng.integers(1, k, fires.size)) % k
        L[fires, j] = np.where(right, y[fires], wrong)
    return L, y


ACC = np.array([0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.95])
COV = np.array([0.3, 0.5, 0.4, 0.6, 0.5, 0.7, 0.8, 0.2])


@pytest.mark.parametrize("model_class", [LabelModel, Triplet])
def test_label_model_recovers_known_accuracies(model_class: type[LabelModel]) -> None:
    L, y = symmetric_votes(60_000, ACC, COV, k=3, seed=0)
    model = model_class().fit(L)
    found = model.accuracies_  # LabelModel: one precision per class, equal here
    for column in found.reshape(ACC.size, -1).T:  # shrunk a little toward 0.7 by design
        np.testing.assert_allclose(column, ACC, atol=0.03)
    mv = accuracy(y, MajorityVote().fit(L).predict(L))
    assert accuracy(y, model.predict(L)) > mv + 0.01


def test_matrix_completion_recovers_vote_given_class() -> None:
    L, _ = symmetric_votes(60_000, ACC[:5], COV[:5], k=2, seed=1)
    model = MatrixCompletion().fit(L)
    # P(vote right | class) = coverage * accuracy, on both classes
    right = model.vote_given_class_[:, [0, 1], [0, 1]]
    np.testing.assert_allclose(right, (COV[:5] * ACC[:5])[:, None].repeat(2, 1), atol=0.03)


def test_weighted_vote_given_accuracies_are_log_odds() -> None:
    L = np.array([[0, 1, 1], [1, 0, -1]])
    model = WeightedMajorityVote(accuracies=[0.9, 0.6, 0.6]).fit(L)
    np.testing.assert_allclose(model.weights_, np.log([9.0, 1.5, 1.5]))
    assert model.predict(L).tolist() == [0, 1]  # one good source outvotes two weak ones


# ------------------------------------------------------------------ stress tests
def test_label_model_duplicated_sources_share_one_vote() -> None:
    acc = np.array([0.9, 0.85, 0.8, 0.6])
    L, y = symmetric_votes(20_000, acc, np.full(4, 0.6), k=2, seed=2)
    copies = np.hstack([L, np.repeat(L[:, 3:4], 5, axis=1)])  # the weakest source, six times
    model = LabelModel().fit(copies)
    groups = model.source_groups_
    assert set(groups[3:].tolist()) == {3} and groups[:3].tolist() == [0, 1, 2]
    np.testing.assert_allclose(
        model.weights_[3:].sum(axis=0), LabelModel().fit(L).weights_[3], rtol=0.1
    )
    assert accuracy(y, model.predict(copies)) > accuracy(
        y, MajorityVote().fit(copies).predict(copies)
    )


def test_label_model_below_random_sources_get_no_weight() -> None:
    acc = np.array([0.85, 0.8, 0.75, 0.3, 0.3])  # two adversarial sources
    L, y = symmetric_votes(20_000, acc, np.full(5, 0.7), k=2, seed=3)
    model = LabelModel().fit(L)
    assert np.all(model.weights_ >= 0)
    assert np.all(model.weights_[3:] < 0.05)
    assert accuracy(y, model.predict(L)) > accuracy(y, MajorityVote().fit(L).predict(L)) + 0.05


def test_label_model_high_cardinality_and_low_coverage() -> None:
    k = 15
    acc = np.linspace(0.5, 0.9, 12)
    L, y = symmetric_votes(30_000, acc, np.full(12, 0.05), k=k, seed=4)
    model = LabelModel(cardinality=k).fit(L)
    voted = (L >= 0).any(axis=1)
    mv = MajorityVote(cardinality=k).fit(L).predict(L)
    assert accuracy(y[voted], model.predict(L)[voted]) >= accuracy(y[voted], mv[voted]) - 0.005
    assert np.corrcoef(model.accuracies_.mean(axis=1), acc)[0, 1] > 0.7


def test_label_model_one_class_rows_are_never_50_50() -> None:
    L, _ = symmetric_votes(5_000, ACC[:4], COV[:4], k=2, seed=5)
    rows = np.array([[1, -1, -1, -1], [-1, -1, -1, 0], [1, 1, -1, 1]])
    proba = LabelModel().fit(L).predict_proba(rows)
    assert proba[0, 1] > 0.6 and proba[1, 0] > 0.6 and proba[2, 1] > 0.95


def test_label_model_rows_without_votes_get_the_class_prior() -> None:
    L, _ = symmetric_votes(5_000, ACC[:4], COV[:4], k=3, seed=6)
    silent = np.full((2, 4), -1)
    assert np.allclose(LabelModel().fit(L).predict_proba(silent), 1 / 3)
    given = LabelModel(class_prior=[2, 1, 1]).fit(L).predict_proba(silent)
    np.testing.assert_allclose(given, [[0.5, 0.25, 0.25]] * 2)


def test_label_model_dev_set_sets_prior_and_informs_accuracies() -> None:
    acc = np.array([0.9, 0.6, 0.6, 0.6])
    L, y = symmetric_votes(3_000, acc, np.full(4, 0.5), k=2, seed=7, prior=np.array([0.8, 0.2]))
    dev = slice(0, 300)
    model = LabelModel().fit(L, y_dev=y[dev], L_dev=L[dev])
    expected = (np.bincount(y[dev], minlength=2) + 1) / (300 + 2)
    np.testing.assert_allclose(model.no_vote_proba_, expected)
    np.testing.assert_allclose(model.class_prior_, [0.5, 0.5])  # voted rows: the votes decide
    plain = LabelModel(prior_strength=1000.0, class_prior=expected).fit(L)
    helped = LabelModel(prior_strength=1000.0).fit(L, y_dev=y[dev], L_dev=L[dev])
    gap_helped = helped.accuracies_[0] - helped.accuracies_[1]
    gap_plain = plain.accuracies_[0] - plain.accuracies_[1]
    assert np.all(gap_helped > gap_plain)
    with pytest.raises(LabelModelError, match="given together"):
        LabelModel().fit(L, y_dev=y[dev])
    with pytest.raises(LabelModelError, match="y_dev"):
        LabelModel().fit(L, y_dev=y[:10], L_dev=L[:20])


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"prior_accuracy": 1.5}, "prior_accuracy"),
        ({"prior_accuracy": 0.3}, r"\(1/k, 1\)"),
        ({"prior_strength": -1.0}, "prior_strength"),
        ({"duplicate_threshold": 0}, "duplicate_threshold"),
    ],
)
def test_label_model_invalid_params_raise(params: dict[str, object], fragment: str) -> None:
    L = np.array([[0, 1, 2], [1, 1, 2]])
    with pytest.raises(LabelModelError, match=fragment):
        LabelModel(**params).fit(L)  # type: ignore[arg-type]


def test_label_model_is_fast_on_large_matrices() -> None:
    acc = np.linspace(0.55, 0.9, 100)
    cov = np.linspace(0.02, 0.4, 100)
    L, y = symmetric_votes(200_000, acc, cov, k=2, seed=8)
    start = time.perf_counter()
    model = LabelModel().fit(L)
    preds = model.predict(L)
    elapsed = time.perf_counter() - start
    assert accuracy(y, preds) > accuracy(y, MajorityVote().fit(L).predict(L))
    # about 0.6 s here for 200k x 100 (1.3 s for 1M x 100) on an idle machine; the bound
    # leaves room for a shared, busy one
    assert elapsed < 20.0


# ------------------------------------------------------------------ real data (acceptance)
ACCEPTANCE = [
    # dataset, k, metric, at least (best peer - 2 points)
    ("youtube", 2, "accuracy", 84.40),  # best peer (Snorkel 86.40) - 2, and >= MV 84.00
    ("sms", 2, "f1", 23.37),
    ("trec", 6, "accuracy", 62.20),
]


def _wrench_score(folder: Path, name: str, k: int, metric: str) -> float:
    train = load_wrench(folder / name, "train")
    test = load_wrench(folder / name, "test")
    preds = LabelModel(cardinality=k, seed=0).fit(train.L).predict(test.L)
    return 100 * (accuracy(test.y, preds) if metric == "accuracy" else f1_score(test.y, preds))


@pytest.mark.realdata
@pytest.mark.parametrize(("name", "k", "metric", "floor"), ACCEPTANCE)
def test_label_model_meets_acceptance_on_wrench(
    wrench_classification: Path, name: str, k: int, metric: str, floor: float
) -> None:
    assert _wrench_score(wrench_classification, name, k, metric) >= floor


@pytest.mark.realdata
def test_label_model_average_on_wrench(wrench_classification: Path) -> None:
    scores = [_wrench_score(wrench_classification, n, k, m) for n, k, m, _ in ACCEPTANCE]
    assert np.mean(scores) >= 57.9
    # measured here: 85.60 / 23.87 / 65.60, each at least majority vote (84.00 / 23.97 - 1
    # / 60.80); the earlier pairwise-agreement default had 88.00 on youtube but collapsed
    # on one-sided sources elsewhere (benchmarks/label_models_wide.py)
    np.testing.assert_allclose(scores, [85.60, 23.87, 65.60], atol=0.01)


# ------------------------------------------------------------------ robustness (issue 9)
def test_label_model_sources_that_never_overlap_fall_back_to_majority_vote() -> None:
    rng = np.random.default_rng(11)
    n, m, k = 4_000, 40, 5
    y = rng.integers(0, k, n)
    L = np.full((n, m), -1, dtype=np.int8)
    owner = rng.integers(0, m, n)  # each row gets exactly one vote: no overlaps at all
    right = rng.random(n) < np.linspace(0.4, 0.95, m)[owner]
    L[np.arange(n), owner] = np.where(right, y, (y + 1) % k)
    model = LabelModel(cardinality=k).fit(L)
    assert not model.diagnostics_["identifiable"].any()
    assert model.diagnostics_["departure_from_majority_vote"] == 0.0
    np.testing.assert_array_equal(model.predict(L), MajorityVote(cardinality=k).fit(L).predict(L))


def test_label_model_broad_noisy_source_does_not_take_over() -> None:
    rng = np.random.default_rng(12)
    n = 20_000
    y = rng.integers(0, 2, n)
    L = np.full((n, 6), -1, dtype=np.int8)
    for j in range(5):  # precise one-sided rules: half for each class
        c = j % 2
        fires = rng.random(n) < np.where(y == c, 0.3, 0.02)
        L[fires, j] = c
    broad = rng.random(n) < 0.9  # a lexicon-like source at chance, voting on most rows
    L[broad, 5] = np.where(rng.random(n) < 0.49, y, 1 - y)[broad]
    model = LabelModel().fit(L)
    assert model.weights_[5].max() < 0.5 * model.weights_[:5].max()
    mv = accuracy(y, MajorityVote().fit(L).predict(L))
    assert accuracy(y, model.predict(L)) > mv + 0.03
    frame = model.diagnose()
    assert set(frame.columns) >= {"source", "class", "precision", "weight", "evidence"}
    assert frame.loc[frame.source == "source_5", "identifiable"].all()


def test_label_model_large_inputs_fit_on_a_sample_close_to_their_stats() -> None:
    from weaklabel.stats import LabelStats

    L, _ = symmetric_votes(60_000, ACC[:5], COV[:5], k=2, seed=13)
    on_matrix = LabelModel().fit(L)
    on_stats = LabelModel().fit(LabelStats.from_matrix(L))
    np.testing.assert_allclose(on_matrix.weights_, on_stats.weights_, atol=0.1)
    agree = np.mean(on_matrix.predict(L) == on_stats.predict(L))
    assert agree > 0.99


def test_label_model_diagnose_needs_a_fit_in_this_session(tmp_path: Path) -> None:
    L, _ = symmetric_votes(2_000, ACC[:4], COV[:4], k=2, seed=14)
    model = LabelModel().fit(L)
    assert len(model.diagnose()) == 8  # 4 sources x 2 classes, each voted
    model.save(tmp_path / "model.json")
    loaded = LabelModel.load(tmp_path / "model.json")
    np.testing.assert_array_equal(loaded.predict(L), model.predict(L))
    with pytest.raises(LabelModelError, match="E136"):
        loaded.diagnose()


def test_label_model_warns_when_one_source_carries_the_labels() -> None:
    rng = np.random.default_rng(15)
    n = 5_000
    y = rng.integers(0, 2, n)
    L = np.full((n, 4), -1, dtype=np.int8)
    L[:, 0] = y  # an oracle that votes everywhere
    for j in range(1, 4):
        fires = rng.random(n) < 0.1
        L[fires, j] = np.where(rng.random(n) < 0.55, y, 1 - y)[fires]
    with pytest.warns(UserWarning, match="W101"):  # the dev set shows it is never wrong
        LabelModel().fit(L, y_dev=y[:2_000], L_dev=L[:2_000])


def test_label_model_sources_of_one_class_only_give_the_majority_vote() -> None:
    rng = np.random.default_rng(16)
    L = np.where(rng.random((3_000, 6)) < 0.2, 1, -1)  # every source votes class 1 only
    model = LabelModel(cardinality=2).fit(L)
    voted = (L >= 0).any(axis=1)
    assert np.all(model.predict(L)[voted] == 1)
    assert np.all(model.predict_proba(L)[voted, 1] > 0.5)


def test_label_model_rows_without_votes_follow_a_clear_agreed_majority() -> None:
    from weaklabel.datasets.synthetic import corpus

    item = next(i for i in corpus(size="small") if i.name == "imbalanced/p0.03-m10-one-sided")
    train, test = item.generate()
    model = LabelModel(cardinality=2).fit(train.L)
    assert model.no_vote_proba_.argmax() == 0 and model.no_vote_proba_.max() >= 0.75
    silent = (test.L < 0).all(axis=1)
    assert np.all(model.predict(test.L)[silent] == 0)
    mv = f1_score(test.y, MajorityVote(cardinality=2).fit(train.L).predict(test.L))
    assert f1_score(test.y, model.predict(test.L)) > mv + 0.05


@pytest.mark.parametrize(
    ("name", "metric"),
    [("like-lowcov-imbalanced/r0", "f1"), ("like-relation-10class/r0", "accuracy")],
)
def test_label_model_rows_without_votes_take_the_silent_class_of_a_model_that_agrees(
    name: str, metric: str
) -> None:
    # The sources vote mostly for a rare class (binary) or most rows of a common class go
    # unvoted (ten classes): the voted rows' balance does not rank the silent class first,
    # but the abstain model labels >= 90% of the voted rows as LabelModel does, so its
    # silent class is trusted.
    from weaklabel.datasets.synthetic import corpus

    item = next(i for i in corpus(size="small") if i.name == name)
    train, test = item.generate()
    k = train.cardinality
    model = LabelModel(cardinality=k).fit(train.L)
    assert int(np.argmax(model.class_balance_)) != int(np.argmax(model.no_vote_proba_))
    assert model.no_vote_proba_.max() >= 1.5 / k
    silent = (test.L < 0).all(axis=1)
    gold_share = np.bincount(test.y[silent], minlength=k) / silent.sum()
    assert int(np.argmax(model.no_vote_proba_)) == int(np.argmax(gold_share))
    score = f1_score if metric == "f1" else accuracy
    mv = score(test.y, MajorityVote(cardinality=k).fit(train.L).predict(test.L))
    assert score(test.y, model.predict(test.L)) > mv + 0.02


def test_label_model_rows_without_votes_stay_ties_when_the_models_disagree() -> None:
    L, _ = symmetric_votes(5_000, ACC[:4], COV[:4], k=2, seed=17)
    model = LabelModel().fit(L)
    np.testing.assert_allclose(model.no_vote_proba_, [0.5, 0.5])
    known = LabelModel(class_prior=[0.9, 0.1]).fit(L)
    np.testing.assert_allclose(known.no_vote_proba_, [0.9, 0.1])


def test_label_model_known_balance_changes_only_the_rows_without_votes() -> None:
    # A population balance says nothing about the voted rows' balance, which the weights
    # refer to: using it there collapsed the model onto one class on real data.
    L, _ = symmetric_votes(4_000, ACC[:4], COV[:4], k=2, seed=19, prior=np.array([0.8, 0.2]))
    plain = LabelModel().fit(L)
    known = LabelModel(class_prior=[0.8, 0.2]).fit(L)
    voted = (L >= 0).any(axis=1)
    np.testing.assert_array_equal(plain.weights_, known.weights_)
    np.testing.assert_allclose(plain.predict_proba(L)[voted], known.predict_proba(L)[voted])
    np.testing.assert_allclose(known.predict_proba(L)[~voted], [[0.8, 0.2]] * int((~voted).sum()))


def test_label_model_dev_votes_outside_the_classes_are_refused() -> None:
    L, y = symmetric_votes(1_000, ACC[:4], COV[:4], k=2, seed=18)
    bad = L[:50].copy()
    bad[0, 1] = 5  # not a class of a 2-class model
    with pytest.raises(LabelMatrixError, match="E102"):
        LabelModel(cardinality=2).fit(L, y_dev=y[:50], L_dev=bad)


def test_label_model_dev_votes_are_matched_to_the_fit_by_source_name() -> None:
    from weaklabel.matrix import LabelMatrix

    L, y = symmetric_votes(2_000, ACC[:4], COV[:4], k=2, seed=20)
    names = ["a", "b", "c", "d"]
    full = LabelMatrix(L, source_names=names, label_names=["NEG", "POS"])
    shuffled = LabelMatrix(L[:200][:, [2, 0, 3, 1]], source_names=["c", "a", "d", "b"])
    named = LabelMatrix(L[:200], source_names=names)
    in_order = LabelModel().fit(full, y_dev=y[:200], L_dev=named)
    reordered = LabelModel().fit(full, y_dev=y[:200], L_dev=shuffled)
    np.testing.assert_array_equal(in_order.accuracies_, reordered.accuracies_)
    other = LabelMatrix(L[:200], source_names=["a", "b", "c", "x"])
    with pytest.raises(LabelMatrixError, match="E143"):
        LabelModel().fit(full, y_dev=y[:200], L_dev=other)


@pytest.mark.parametrize("name", ["coin-flip/k2-m5-flips1", "coin-flip/k2-m5-flips3"])
def test_triplet_is_not_thrown_by_coin_flip_sources(name: str) -> None:
    # A triplet whose third pair agrees at chance (a coin flip is in it) divides by almost
    # nothing; such triplets are left out, so three coin flips among five sources no longer
    # pull Triplet under majority vote (0.516 against 0.596 before).
    from weaklabel.datasets.synthetic import corpus

    item = next(i for i in corpus(size="small") if i.name == name)
    train, test = item.generate()
    triplet = Triplet(cardinality=2).fit(train.L)
    mv = accuracy(test.y, MajorityVote(cardinality=2).fit(train.L).predict(test.L))
    assert accuracy(test.y, triplet.predict(test.L)) >= mv


def test_triplet_keeps_weak_sources_measured_on_many_rows() -> None:
    # Sources barely above chance agree only a little above chance (e ~ 0.01-0.1), but on
    # 100k rows that is measured precisely: their triplets are kept (a fixed bound on e
    # dropped them all and left a plain majority vote).
    rng = np.random.default_rng(5)
    n, m = 100_000, 40
    y = rng.integers(0, 2, n)
    accuracy_of = rng.uniform(0.51, 0.65, m)
    L = np.full((n, m), -1, dtype=np.int8)
    for j in range(m):
        fires = rng.random(n) < rng.uniform(0.1, 0.9)
        L[fires, j] = np.where(rng.random(n) < accuracy_of[j], y, 1 - y)[fires]
    triplet = Triplet(cardinality=2).fit(L)
    assert (triplet.n_triplets_ > 0).all()
    mv = accuracy(y, MajorityVote(cardinality=2).fit(L).predict(L))
    assert accuracy(y, triplet.predict(L)) > mv + 0.01
    assert np.corrcoef(triplet.accuracies_, accuracy_of)[0, 1] > 0.9
