"""EM over source emissions, shared by the HMM and the token-level Dawid-Skene model.

Use :class:`~weaklabel.models.sequence.HMM` or
:class:`~weaklabel.models.sequence.TokenDawidSkene`; this module holds their common fitting
loop. Both work on the distinct observation patterns of the tokens (rows of codes, see
:mod:`~weaklabel.models.sequence._emissions`) with their counts, so an E-step costs one
gather per token and everything else scales with the number of patterns.

A token can take ``O`` or a tag of a type that at least one source votes for it: EM may
weigh, confuse and overrule the sources, but it does not invent entity types nobody
proposed. Besides stopping label switching between types on corpora where sources cover
different documents, this makes every unvoted token a known ``O``, which the HMM uses to
cut sentences into short independent chains.

Fitting is maximum a posteriori EM. The Dirichlet priors are (a) weak generic
pseudo-counts that say a source emits ``O`` or the true type, and (b) with
``mv_prior_strength > 0``, the counts the model would get from the majority vote's tags,
weighted by ``mv_prior_strength`` (an empirical-Bayes prior centred on the majority vote).
With ``anchor="leave_one_out"`` each source's emission counts in that prior (and in the
first M-step) come from the majority vote of the *other* sources, so a source is never its
own judge: this is what exposes a noisy source that fires alone, at the price of
discounting the lone votes of precise sources whose misses are correlated.
(b) keeps EM from drifting to degenerate fixed points of the likelihood -- the failure
that makes plain HMMs fall below majority vote on NER benchmarks -- while still letting
the data move every parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from weaklabel.matrix import unique_rows
from weaklabel.models._fields import Field, array, count, number
from weaklabel.models.sequence._data import SequenceVotes
from weaklabel.models.sequence._emissions import (
    SILENCE_MODES,
    emission_prior,
    observation_codes,
    redundancy_weights,
)
from weaklabel.models.sequence._lattice import Lattice, logsumexp_rows
from weaklabel.models.sequence.base import BaseSequenceModel
from weaklabel.models.sequence.majority import majority_tags
from weaklabel.tags import TagSpace

__all__ = ["EMSequenceModel"]

DECODINGS: tuple[str, ...] = ("posterior", "viterbi")
ANCHORS: tuple[str, ...] = ("majority", "leave_one_out")


@dataclass
class _Patterns:
    """Tokens grouped by observation pattern."""

    rows: np.ndarray  # (n_patterns, n_sources) codes
    inverse: np.ndarray  # (n_tokens,) pattern of every token
    order: np.ndarray  # tokens sorted by pattern
    bounds: np.ndarray  # (n_patterns,) start of every pattern in ``order``
    silent: np.ndarray  # (n_patterns,) no source fires
    n_codes: int
    cache: dict[str, Any] = field(default_factory=dict)

    def aggregate(self, per_token: np.ndarray) -> np.ndarray:
        """Sum the rows of a per-token array within every pattern."""
        return np.add.reduceat(per_token[self.order], self.bounds, axis=0)


def _distinct_rows(codes: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct observation patterns, their counts and every token's pattern.

    :func:`weaklabel.matrix.unique_rows` on the codes stored narrow and big-endian (several
    times faster than on int64). The patterns come in the order the EM sums have always
    run in, so fitted parameters stay the same to the last bit: as numbers whose last
    column is the most significant digit while such a number fits in 62 bits, else
    lexicographically from the first column.

    Parameters
    ----------
    codes : ndarray of shape (n_tokens, n_sources)
        Observation codes ``0 .. n_codes``.
    n_codes : int

    Returns
    -------
    rows : ndarray of shape (n_patterns, n_sources), dtype int64
    counts : ndarray of shape (n_patterns,)
    inverse : ndarray of shape (n_tokens,)
    """
    base = int(codes.max()) + 1 if codes.size else 1
    flip = codes.shape[1] * np.log2(max(base, 2)) < 62
    width = next(w for w in (1, 2, 4, 8) if n_codes < 2 ** (8 * w))
    narrow = (codes[:, ::-1] if flip else codes).astype(np.dtype(f">u{width}"))
    rows, counts, inverse = unique_rows(narrow)
    return (rows[:, ::-1] if flip else rows).astype(np.int64), counts, inverse


def _emission_problem(emit: np.ndarray) -> str | None:
    """Why ``emit_`` (m, t, t or 2t) is not one distribution per table row (None if it is)."""
    m, t, width = emit.shape
    sums = emit.reshape(m, t, width // t, t).sum(axis=-1)
    off = np.abs(sums - 1.0) > 1e-6
    if not off.any():
        return None
    j, y, table = (int(x) for x in np.argwhere(off)[0])
    return (
        f"must hold one distribution per source, tag and table; emit_[{j}, {y}] (table "
        f"{table}) sums to {float(sums[j, y, table])!r}"
    )


def _log(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(p)


@dataclass(eq=False, repr=False, kw_only=True)
class EMSequenceModel(BaseSequenceModel):
    """Common machinery of the EM sequence models (not meant to be used directly)."""

    _sequential: ClassVar[bool] = True
    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        *BaseSequenceModel._fitted_attributes,
        "emit_",
        "silent_",
        "source_weights_",
        "n_iter_",
        "log_likelihood_",
    )
    _fitted_fields: ClassVar[dict[str, Field]] = {
        "emit_": array(
            low=0.0,
            high=1.0,
            shape_of=lambda m: ("m", "t", len(m.tags_) * (2 if m._source_context() else 1)),
            check=lambda emit, model: _emission_problem(emit),
        ),
        "silent_": array("t", low=0.0, high=1.0),
        "source_weights_": array("m", low=0.0, high=1.0),
        "n_iter_": count(),
        "log_likelihood_": number(high=0.0, finite=False),
    }

    n_iter: int = 100
    tol: float = 1e-5
    silence: str = "collective"
    mv_prior_strength: float = 1.0
    prior_strength: float = 1.0
    fp_prior: float = 0.1
    fn_prior: float = 0.3
    redundancy_threshold: float = 0.95
    anchor: str = "majority"

    def _source_context(self) -> bool:
        """Whether sources get a second emission table after their own entity (the HMM's
        ``source_context``)."""
        return False

    # ------------------------------------------------------------------ parameters
    def _validate_params(self) -> None:
        super()._validate_params()
        self._check_param(
            "n_iter", self._is_int(self.n_iter) and self.n_iter >= 0, "an integer >= 0"
        )
        self._check_param("tol", self._is_number(self.tol) and self.tol >= 0, "a number >= 0")
        self._check_param("silence", self.silence in SILENCE_MODES, f"one of {SILENCE_MODES}")
        self._check_param("anchor", self.anchor in ANCHORS, f"one of {ANCHORS}")
        for name in ("mv_prior_strength", "prior_strength", "fp_prior", "fn_prior"):
            value = getattr(self, name)
            self._check_param(name, self._is_number(value) and value >= 0, "a number >= 0")
        self._check_param("prior_strength", self.prior_strength > 0, "a number > 0")
        self._check_param(
            "redundancy_threshold",
            self._is_number(self.redundancy_threshold) and self.redundancy_threshold > 0,
            "a number > 0 (above 1 turns the weighting off)",
        )

    # ------------------------------------------------------------------ observations
    def _patterns(self, space: TagSpace, data: SequenceVotes) -> _Patterns:
        codes, n_codes = observation_codes(space, data, context=self._source_context())
        rows, counts, inverse = _distinct_rows(codes, n_codes)
        order = np.argsort(inverse, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        silent_codes = self._silent_codes(space, n_codes)
        silent = np.asarray(np.isin(rows, silent_codes).all(axis=1), dtype=bool)
        return _Patterns(rows, inverse, order, bounds, silent, n_codes)

    @staticmethod
    def _silent_codes(space: TagSpace, n_codes: int) -> np.ndarray:
        o, k = space.outside, space.n_tags
        return np.array([o, o + k, n_codes] if n_codes > k else [o, n_codes])

    def _pattern_loglik(self, space: TagSpace, pat: _Patterns) -> np.ndarray:
        """``log p(pattern | tag)`` of every pattern, shape (n_patterns, n_tags)."""
        m = pat.rows.shape[1]
        k, width = space.n_tags, pat.n_codes + 1
        table = np.zeros((m, k, width))
        table[:, :, : pat.n_codes] = _log(self.emit_)
        if self.silence == "collective":
            table[:, :, space.outside] = 0.0  # an O outside the source's own span
        index = pat.rows + width * np.arange(m)
        flat = table.transpose(1, 0, 2).reshape(k, m * width)
        loglik = np.einsum("kum,m->uk", flat[:, index], self.source_weights_)
        if self.silence == "collective":
            loglik[pat.silent] += _log(self.silent_)
        loglik[~self._candidates(space, pat)] = -np.inf
        return loglik

    @staticmethod
    def _candidates(space: TagSpace, pat: _Patterns) -> np.ndarray:
        """Which tags a token may take: ``O``, and the tags of the types its sources vote.

        A token's entity type must be proposed by at least one source. Without this, a
        corpus where some sources never see some documents (they abstain there) lets EM
        explain one type's votes with another type's states (label switching).
        """
        k = space.n_tags
        tags = np.where(pat.rows < pat.n_codes, pat.rows % k, space.outside)
        voted_type = space.type_of[tags]  # (n_patterns, n_sources), -1 for O/abstain
        voted = np.zeros((len(pat.rows), space.n_types + 1), dtype=bool)
        rows = np.repeat(np.arange(len(pat.rows)), pat.rows.shape[1])
        voted[rows, voted_type.ravel()] = True  # column -1 collects O votes, ignored
        allowed = np.ones((len(pat.rows), k), dtype=bool)
        entity = space.type_of >= 0
        allowed[:, entity] = voted[:, space.type_of[entity]]
        return allowed

    # ------------------------------------------------------------------ M-step
    def _emission_counts(self, space: TagSpace, pat: _Patterns, weights: np.ndarray) -> np.ndarray:
        m = pat.rows.shape[1]
        width = pat.n_codes + 1
        index = (pat.rows + width * np.arange(m)).ravel()
        counts = np.empty((m, space.n_tags, width))
        for y in range(space.n_tags):
            counts[:, y, :] = np.bincount(
                index, weights=np.repeat(weights[:, y], m), minlength=m * width
            ).reshape(m, width)
        return counts[:, :, : pat.n_codes]

    def _m_step(
        self,
        space: TagSpace,
        pat: _Patterns,
        weights: np.ndarray,
        xi: np.ndarray,
        start: np.ndarray,
        emit_counts: np.ndarray,
    ) -> None:
        k = space.n_tags
        prior = self._emission_prior(space)
        counts = emit_counts
        emit = np.empty_like(counts)
        for b in range(pat.n_codes // k):
            block = counts[:, :, b * k : (b + 1) * k] + prior[None]
            emit[:, :, b * k : (b + 1) * k] = block / block.sum(axis=2, keepdims=True)
        self.emit_ = emit
        a = float(self.prior_strength)
        n_silent = weights[pat.silent].sum(axis=0)
        self.silent_ = (n_silent + a) / (weights.sum(axis=0) + 2 * a)
        self._m_step_latent(space, weights, xi, start)
        self._m_step_more(space, pat, weights)

    def _emission_prior(self, space: TagSpace) -> np.ndarray:
        """Dirichlet pseudo-counts of one emission table, shape (n_tags, n_tags)."""
        return emission_prior(
            space,
            strength=float(self.prior_strength),
            fp_prior=float(self.fp_prior),
            fn_prior=float(self.fn_prior),
        )

    def _initial_tags(self, space: TagSpace, data: SequenceVotes) -> np.ndarray:
        """The tags EM starts from and its prior is centred on: the majority vote."""
        return majority_tags(space, data)

    def _m_step_latent(
        self, space: TagSpace, weights: np.ndarray, xi: np.ndarray, start: np.ndarray
    ) -> None:
        raise NotImplementedError

    def _m_step_more(self, space: TagSpace, pat: _Patterns, weights: np.ndarray) -> None:
        """Parameters a subclass adds, from the same expected counts (none here)."""

    # ------------------------------------------------------------------ E-step
    def _e_step(
        self, space: TagSpace, pat: _Patterns, lengths: np.ndarray, lattice: Lattice | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """Posteriors per token, expected transitions, start counts and log-likelihood."""
        raise NotImplementedError

    def _e_step_counts(
        self, space: TagSpace, pat: _Patterns, lengths: np.ndarray, lattice: Lattice | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """Like ``_e_step``, with the posteriors summed per pattern (n_patterns, K)."""
        gamma, xi, start, loglik = self._e_step(space, pat, lengths, lattice)
        return pat.aggregate(gamma), xi, start, loglik

    def _leave_one_out_counts(
        self, space: TagSpace, data: SequenceVotes, pat: _Patterns
    ) -> np.ndarray:
        """Emission counts of each source against the majority vote of the *others*.

        A source is never its own judge: against the full majority vote, a source that
        fires alone looks perfectly precise however often it is wrong.
        """
        k, m = space.n_tags, data.n_sources
        width = pat.n_codes + 1
        codes = pat.rows[pat.inverse]
        counts = np.empty((m, k, width))
        for j in range(m):
            others = SequenceVotes(np.delete(data.values, j, axis=1), data.lengths)
            tags = majority_tags(space, others)
            counts[j] = np.bincount(tags * width + codes[:, j], minlength=k * width).reshape(
                k, width
            )
        return counts[:, :, : pat.n_codes]

    # ------------------------------------------------------------------ fitting
    def _fit(self, data: SequenceVotes, space: TagSpace) -> None:
        k = space.n_tags
        pat = self._patterns(space, data)
        starts = data.starts()
        self.source_weights_ = redundancy_weights(
            pat.rows[pat.inverse],
            self._silent_codes(space, pat.n_codes),
            float(self.redundancy_threshold),
        )
        # the majority vote: initial tags, and the centre of the empirical-Bayes prior
        init = self._initial_tags(space, data)
        onehot = np.zeros((data.n_tokens, k))
        onehot[np.arange(data.n_tokens), init] = 1.0
        w0 = pat.aggregate(onehot)
        inner = np.flatnonzero(~starts)
        xi0 = np.bincount(init[inner - 1] * k + init[inner], minlength=k * k).reshape(k, k)
        start0 = np.bincount(init[starts], minlength=k).astype(np.float64)
        lam = float(self.mv_prior_strength)
        if self.anchor == "leave_one_out" and data.n_sources > 1:
            emit0 = self._leave_one_out_counts(space, data, pat)
        else:
            emit0 = self._emission_counts(space, pat, w0)
        lattice = Lattice(data.lengths) if self._sequential else None
        self._m_step(space, pat, w0, xi0.astype(np.float64), start0, emit0)
        previous = -np.inf
        self.n_iter_ = 0
        self.log_likelihood_ = float("-inf")
        for it in range(int(self.n_iter)):
            weights, xi, start, loglik = self._e_step_counts(space, pat, data.lengths, lattice)
            self._m_step(
                space,
                pat,
                weights + lam * w0,
                xi + lam * xi0,
                start + lam * start0,
                self._emission_counts(space, pat, weights) + lam * emit0,
            )
            self.n_iter_ = it + 1
            self.log_likelihood_ = loglik
            if abs(loglik - previous) <= float(self.tol) * data.n_tokens:
                break
            previous = loglik

    # ------------------------------------------------------------------ predicting
    def _posteriors(self, data: SequenceVotes) -> np.ndarray:
        space = self._space
        pat = self._patterns(space, data)
        lattice = Lattice(data.lengths) if self._sequential else None
        return self._e_step(space, pat, data.lengths, lattice)[0]


def _normalise(counts: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    counts = np.where(allowed, counts, 0.0)
    total = counts.sum(axis=-1, keepdims=True)
    return counts / np.where(total > 0, total, 1.0)


def _softmax_rows(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    norm = logsumexp_rows(scores)
    return np.exp(scores - norm[:, None]), norm
