"""Batched log-space forward-backward and Viterbi against brute-force enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from weaklabel.models.sequence._lattice import Lattice, logsumexp_rows
from weaklabel.tags import TagSpace

SPACE = TagSpace.from_types(["A", "B"])


def _random_hmm(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    k = SPACE.n_tags
    allowed = SPACE.allowed_transitions()
    trans = rng.dirichlet(np.ones(k), size=k) * allowed
    trans /= trans.sum(axis=1, keepdims=True)
    start = rng.dirichlet(np.ones(k)) * SPACE.allowed_starts()
    start /= start.sum()
    with np.errstate(divide="ignore"):
        return np.log(start), np.log(trans)


def _brute_force(
    log_emit: np.ndarray, log_start: np.ndarray, log_trans: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray, tuple[int, ...]]:
    n, k = log_emit.shape
    paths = list(itertools.product(range(k), repeat=n))
    scores = np.array(
        [
            log_start[p[0]]
            + log_emit[0, p[0]]
            + sum(log_trans[p[i - 1], p[i]] + log_emit[i, p[i]] for i in range(1, n))
            for p in paths
        ]
    )
    z = float(np.logaddexp.reduce(scores))
    weights = np.exp(scores - z)
    gamma = np.zeros((n, k))
    xi = np.zeros((k, k))
    for path, w in zip(paths, weights, strict=True):
        gamma[np.arange(n), path] += w
        for i in range(1, n):
            xi[path[i - 1], path[i]] += w
    return z, gamma, xi, paths[int(np.argmax(scores))]


@pytest.mark.parametrize("seed", range(8))
def test_lattice_forward_backward_and_viterbi_match_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 5, size=int(rng.integers(1, 5)))
    log_emit = rng.normal(scale=2.0, size=(int(lengths.sum()), SPACE.n_tags))
    log_start, log_trans = _random_hmm(rng)
    lattice = Lattice(lengths)
    gamma, xi, loglik = lattice.forward_backward(log_emit, log_start, log_trans)
    path = lattice.viterbi(log_emit, log_start, log_trans)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    xi_total = np.zeros_like(xi)
    for s, n in enumerate(lengths):
        rows = slice(offsets[s], offsets[s + 1])
        if n == 0:
            assert loglik[s] == 0.0
            continue
        z, g, x, best = _brute_force(log_emit[rows], log_start, log_trans)
        assert loglik[s] == pytest.approx(z, abs=1e-9)
        np.testing.assert_allclose(gamma[rows], g, atol=1e-9)
        assert tuple(path[rows]) == best
        xi_total += x
    np.testing.assert_allclose(xi, xi_total, atol=1e-9)


def test_lattice_handles_extreme_scores_without_overflow() -> None:
    log_emit = np.array([[0.0, -800.0, -800.0, -800.0, -800.0]] * 3 + [[-900.0, 0, 0, 0, 0]])
    log_start, log_trans = _random_hmm(np.random.default_rng(0))
    gamma, xi, loglik = Lattice(np.array([4])).forward_backward(log_emit, log_start, log_trans)
    assert np.isfinite(gamma).all() and np.isfinite(xi).all() and np.isfinite(loglik).all()
    np.testing.assert_allclose(gamma.sum(axis=1), 1.0)


def test_lattice_layout_round_trip_and_logsumexp() -> None:
    lattice = Lattice(np.array([2, 0, 3, 1]))
    flat = np.arange(6.0)[:, None]
    np.testing.assert_array_equal(lattice.to_flat(lattice.to_time_major(flat)), flat)
    x = np.array([[0.0, -np.inf], [-np.inf, -np.inf], [1000.0, 1000.0]])
    np.testing.assert_allclose(logsumexp_rows(x), [0.0, -np.inf, 1000.0 + np.log(2)])


@pytest.mark.parametrize("seed", range(4))
def test_lattice_chain_cut_at_known_o_is_exact(seed: int) -> None:
    from weaklabel.models.sequence.hmm import _Chain

    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 9, size=6)
    n = int(lengths.sum())
    log_emit = rng.normal(size=(n, SPACE.n_tags))
    forced = rng.random(n) < 0.5
    log_emit[forced, 1:] = -np.inf  # these tokens can only be O
    log_start, log_trans = _random_hmm(rng)
    gamma, xi, loglik = Lattice(lengths).forward_backward(log_emit, log_start, log_trans)
    chain = _Chain(lengths, ~forced, np.arange(n))  # every token its own pattern
    c_free, c_xi, c_start, c_loglik = chain.forward_backward(
        log_emit, log_start, log_trans, SPACE.outside
    )
    np.testing.assert_allclose(c_free, gamma[~forced], atol=1e-9)
    np.testing.assert_allclose(gamma[forced, SPACE.outside], 1.0)
    counts = chain.pattern_counts(c_free, n, SPACE.outside)
    np.testing.assert_allclose(counts, gamma, atol=1e-9)
    np.testing.assert_allclose(c_xi, xi, atol=1e-9)
    assert c_loglik == pytest.approx(float(loglik.sum()), abs=1e-8)
    firsts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[lengths > 0]
    np.testing.assert_allclose(c_start, gamma[firsts].sum(axis=0), atol=1e-9)
