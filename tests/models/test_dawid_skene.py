"""DawidSkene: EM recovers known parameters, exact posteriors, abstain modelling, real data."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from weaklabel.datasets.wrench import load_wrench
from weaklabel.metrics import accuracy, f1_score
from weaklabel.models import DawidSkene, MajorityVote
from weaklabel.models._errors import LabelModelError


def sample_votes(
    n: int, prior: np.ndarray, confusion: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Draw (L, y) from a Dawid-Skene model; a last confusion column means abstain."""
    rng = np.random.default_rng(seed)
    k = prior.size
    y = rng.choice(k, size=n, p=prior)
    votes = np.empty((n, confusion.shape[0]), dtype=np.int64)
    for j in range(confusion.shape[0]):
        cumulative = confusion[j, y].cumsum(axis=1)
        votes[:, j] = (rng.random(n)[:, None] > cumulative).sum(axis=1)
    votes[votes == k] = -1
    return votes, y


def brute_force_posterior(model: DawidSkene, L: np.ndarray) -> np.ndarray:
    """Posterior of every row computed source by source, straight from the definition."""
    k = model.cardinality_
    out = np.empty((L.shape[0], k))
    for i, row in enumerate(L):
        log_p = np.log(model.class_prior_).copy()
        for j, label in enumerate(row):
            if label >= 0:
                log_p += np.log(model.confusion_[j, :, label])
            elif model.model_abstains:
                log_p += np.log(model.confusion_[j, :, k])
        p = np.exp(log_p - log_p.max())
        out[i] = p / p.sum()
    return out


PRIOR = np.array([0.5, 0.3, 0.2])
# six sources with class-dependent coverage: (class, output) with output 3 = abstain
CONFUSION = np.array(
    [
        [[0.6, 0.1, 0.1, 0.2], [0.1, 0.5, 0.1, 0.3], [0.1, 0.1, 0.4, 0.4]],
        [[0.7, 0.05, 0.05, 0.2], [0.1, 0.6, 0.1, 0.2], [0.1, 0.1, 0.6, 0.2]],
        [[0.3, 0.3, 0.3, 0.1], [0.3, 0.3, 0.3, 0.1], [0.3, 0.3, 0.3, 0.1]],  # useless
        [[0.2, 0.5, 0.1, 0.2], [0.5, 0.2, 0.1, 0.2], [0.1, 0.1, 0.6, 0.2]],  # swaps 0 and 1
        [[0.5, 0.0, 0.0, 0.5], [0.0, 0.7, 0.0, 0.3], [0.0, 0.0, 0.2, 0.8]],
        [[0.4, 0.1, 0.1, 0.4], [0.1, 0.4, 0.1, 0.4], [0.1, 0.1, 0.7, 0.1]],
    ]
)


def test_dawid_skene_recovers_known_parameters() -> None:
    L, y = sample_votes(40_000, PRIOR, CONFUSION, seed=0)
    model = DawidSkene().fit(L)
    np.testing.assert_allclose(model.class_prior_, PRIOR, atol=0.02)
    np.testing.assert_allclose(model.confusion_, CONFUSION, atol=0.03)
    # it learned that source 3 swaps classes 0 and 1, which majority vote cannot know
    assert accuracy(y, model.predict(L)) > accuracy(y, MajorityVote().fit(L).predict(L)) + 0.1


def test_dawid_skene_textbook_model_downweights_bad_sources() -> None:
    binary = np.array([[0.8, 0.2], [0.2, 0.8]])
    noisy = np.array([[0.55, 0.45], [0.45, 0.55]])
    confusion = np.array([binary, binary, binary, noisy, noisy, noisy, noisy])
    L, y = sample_votes(20_000, np.array([0.5, 0.5]), confusion, seed=1)
    model = DawidSkene(model_abstains=False).fit(L)
    assert model.confusion_.shape == (7, 2, 2)
    np.testing.assert_allclose(model.confusion_, confusion, atol=0.03)
    assert accuracy(y, model.predict(L)) > accuracy(y, MajorityVote().fit(L).predict(L)) + 0.03


def test_dawid_skene_unipolar_sources_need_the_abstain_model() -> None:
    # each source only ever votes one class, and fires mostly on that class
    fires = np.array(
        [
            [[0.3, 0.0, 0.7], [0.05, 0.0, 0.95]],
            [[0.2, 0.0, 0.8], [0.02, 0.0, 0.98]],
            [[0.0, 0.05, 0.95], [0.0, 0.3, 0.7]],
            [[0.0, 0.02, 0.98], [0.0, 0.25, 0.75]],
        ]
    )
    L, y = sample_votes(20_000, np.array([0.6, 0.4]), fires, seed=2)
    with_abstains = accuracy(y, DawidSkene(model_abstains=True).fit(L).predict(L))
    textbook = DawidSkene(model_abstains=False).fit(L)
    # without abstains a unipolar source's confusion rows are identical: no information
    np.testing.assert_allclose(textbook.confusion_[:, 0], textbook.confusion_[:, 1], atol=1e-3)
    assert with_abstains > accuracy(y, textbook.predict(L)) + 0.05


@pytest.mark.parametrize("model_abstains", [True, False])
def test_dawid_skene_predict_proba_is_the_exact_posterior(model_abstains: bool) -> None:
    L, _ = sample_votes(3000, PRIOR, CONFUSION, seed=3)
    model = DawidSkene(model_abstains=model_abstains, max_iter=20).fit(L)
    k = 3
    assert model.confusion_.shape == (6, k, k + 1 if model_abstains else k)
    np.testing.assert_allclose(model.confusion_.sum(axis=2), 1.0, rtol=1e-12)
    assert model.class_prior_.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(
        model.predict_proba(L[:300]), brute_force_posterior(model, L[:300]), atol=1e-12
    )


def test_dawid_skene_all_abstain_row_gets_prior_or_abstain_posterior() -> None:
    L, _ = sample_votes(2000, PRIOR, CONFUSION, seed=4)
    silent = np.full((1, 6), -1)
    textbook = DawidSkene(model_abstains=False).fit(L)
    np.testing.assert_array_equal(textbook.predict_proba(silent)[0], textbook.class_prior_)
    model = DawidSkene(model_abstains=True).fit(L)
    log_p = np.log(model.class_prior_) + np.log(model.confusion_[:, :, 3]).sum(axis=0)
    expected = np.exp(log_p - log_p.max()) / np.exp(log_p - log_p.max()).sum()
    np.testing.assert_allclose(model.predict_proba(silent)[0], expected, atol=1e-12)
    assert not np.allclose(expected, model.class_prior_, atol=1e-3)  # silence is evidence


def test_dawid_skene_row_order_does_not_change_the_fit() -> None:
    L, _ = sample_votes(5000, PRIOR, CONFUSION, seed=5)
    shuffled = L[np.random.default_rng(0).permutation(len(L))]
    a, b = DawidSkene().fit(L), DawidSkene().fit(shuffled)
    # EM runs on the unique rows, sorted, so the fit is bitwise identical
    assert np.array_equal(a.confusion_, b.confusion_)
    assert np.array_equal(a.class_prior_, b.class_prior_)
    assert a.log_likelihood_ == b.log_likelihood_


def test_dawid_skene_repeated_patterns_cost_nothing() -> None:
    L, _ = sample_votes(400, PRIOR, CONFUSION, seed=6)
    big = np.tile(L, (1000, 1))  # 400k rows, at most 400 distinct
    start = time.perf_counter()
    model = DawidSkene(tol=0, max_iter=50).fit(big)
    assert time.perf_counter() - start < 5.0  # ~0.1 s: EM sees only the distinct rows
    assert model.n_iter_ == 50


def test_dawid_skene_iteration_control() -> None:
    L, _ = sample_votes(2000, PRIOR, CONFUSION, seed=7)
    assert DawidSkene(max_iter=1).fit(L).n_iter_ == 1
    assert DawidSkene(max_iter=17, tol=0.0).fit(L).n_iter_ == 17
    converged = DawidSkene(max_iter=500, tol=1e-6).fit(L)
    assert converged.n_iter_ < 500
    looser = DawidSkene(max_iter=500, tol=1e-2).fit(L)
    assert looser.n_iter_ < converged.n_iter_
    assert np.isfinite(converged.log_likelihood_) and converged.log_likelihood_ < 0


def test_dawid_skene_is_deterministic() -> None:
    L, _ = sample_votes(3000, PRIOR, CONFUSION, seed=8)
    a, b = DawidSkene(seed=3).fit(L), DawidSkene(seed=3).fit(L)
    assert np.array_equal(a.predict_proba(L), b.predict_proba(L))
    assert np.array_equal(a.predict(L), b.predict(L))


def test_dawid_skene_unseen_vote_at_predict_stays_finite() -> None:
    L = np.array([[0, 0, -1], [0, 1, 1], [-1, 1, 1], [0, -1, 0]] * 10)
    model = DawidSkene().fit(L)  # source 0 never voted 1 in training
    proba = model.predict_proba(np.array([[1, 1, -1], [1, -1, -1]]))
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"max_iter": 0}, "max_iter must be an integer >= 1"),
        ({"max_iter": 2.5}, "max_iter must be an integer >= 1"),
        ({"tol": -1e-3}, "tol must be a number >= 0"),
        ({"smoothing": 0.0}, "smoothing must be a number > 0"),
        ({"smoothing": float("inf")}, "smoothing must be a number > 0"),
        ({"model_abstains": "yes"}, "model_abstains must be True or False"),
    ],
)
def test_dawid_skene_invalid_params_raise(params: dict[str, object], fragment: str) -> None:
    with pytest.raises(LabelModelError, match=fragment):
        DawidSkene(**params).fit(np.array([[0, 1], [1, 1]]))  # type: ignore[arg-type]


# ------------------------------------------------------------------ real data
WRENCH = [("youtube", 2, "accuracy"), ("sms", 2, "f1"), ("trec", 6, "accuracy")]


@pytest.mark.realdata
@pytest.mark.parametrize(("name", "k", "metric"), WRENCH)
@pytest.mark.parametrize("model_abstains", [True, False])
def test_dawid_skene_runs_on_wrench(
    wrench_classification: Path, name: str, k: int, metric: str, model_abstains: bool
) -> None:
    train = load_wrench(wrench_classification / name, "train")
    test = load_wrench(wrench_classification / name, "test")
    model = DawidSkene(cardinality=k, model_abstains=model_abstains).fit(train.L)
    proba = model.predict_proba(test.L)
    assert proba.shape == (test.n_examples, k)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert 1 <= model.n_iter_ <= 100
    preds = model.predict(test.L)
    score = accuracy(test.y, preds) if metric == "accuracy" else f1_score(test.y, preds)
    assert 0.0 <= score <= 1.0


# Measured test-split figures quoted in the dawid_skene module docstring.
@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "k", "with_abstains", "textbook"),
    # trec: 48.2 before copies of a source shared one vote (duplicate_threshold)
    [("youtube", 2, 83.2, 52.8), ("trec", 6, 55.6, 27.6)],
)
def test_dawid_skene_abstain_model_wins_on_wrench(
    wrench_classification: Path, name: str, k: int, with_abstains: float, textbook: float
) -> None:
    train = load_wrench(wrench_classification / name, "train")
    test = load_wrench(wrench_classification / name, "test")
    scores = {
        flag: 100
        * DawidSkene(cardinality=k, model_abstains=flag).fit(train.L).score(test.L, test.y)
        for flag in (True, False)
    }
    assert scores[True] == pytest.approx(with_abstains, abs=1.0)
    assert scores[False] == pytest.approx(textbook, abs=1.0)
    assert DawidSkene().model_abstains is True  # the default is the better option


def test_dawid_skene_copies_of_a_source_share_one_vote() -> None:
    rng = np.random.default_rng(21)
    n = 6_000
    y = rng.integers(0, 2, n)
    L = np.full((n, 4), -1, dtype=np.int8)
    for j, acc in enumerate([0.9, 0.85, 0.8, 0.55]):
        fires = rng.random(n) < 0.6
        L[fires, j] = np.where(rng.random(n) < acc, y, 1 - y)[fires]
    copies = np.hstack([L, np.repeat(L[:, 3:4], 5, axis=1)])  # the weakest source, six times
    model = DawidSkene().fit(copies)
    np.testing.assert_allclose(model.source_share_, [1, 1, 1] + [1 / 6] * 6)
    alone = DawidSkene().fit(L).predict(L)
    assert np.mean(model.predict(copies) == alone) > 0.98
    ignored = DawidSkene(duplicate_threshold=1.5).fit(copies)
    assert np.all(ignored.source_share_ == 1.0)
    assert np.mean(y == model.predict(copies)) > np.mean(y == ignored.predict(copies))
