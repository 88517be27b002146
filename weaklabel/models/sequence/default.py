"""``SequenceLabelModel``: the recommended sequence label model.

Use :class:`SequenceLabelModel` unless you have a reason not to; it will keep pointing at
the best sequence model weaklabel has. Today it is the token-level Dawid-Skene model
(:class:`~weaklabel.models.sequence.TokenDawidSkene`) with these choices, each made once
for every dataset and insensitive to its exact value (nothing is tuned per set):

1. **Silence is collective** (``silence="collective"``). Weak NER sources are precise,
   but each covers a fraction of the entities and they miss the *same* hard entities.
   The textbook likelihood multiplies every silent source's ``"O"`` as independent
   evidence, so a token that one good source tags is outvoted by the others' silence:
   that is why skweak's and WRENCH's HMMs fall below majority vote on bc5cdr (69.0 and
   81.7 F1 against 83.5). Here an ``"O"`` is no evidence by itself; the model learns
   instead, per tag, how likely a token is to get no vote at all. A source that fires is
   weighed by its learned firing rates on each true tag -- in effect its precision and
   its type confusions -- so imprecise or confused sources are still discounted, which a
   vote cannot do.
2. **An empirical-Bayes prior at the majority vote** (``mv_prior_strength=1``). EM starts
   from the majority vote's tags and keeps their counts as a Dirichlet prior of equal
   weight in every M-step. These likelihoods have degenerate optima (plain EM drifts
   towards tagging long runs of tokens or dropping rare types, and how far it gets
   depends on when it is stopped); the prior keeps every parameter data-driven but
   anchored, so the result no longer depends on the number of iterations.
3. **No transition model.** The BIO structure is enforced when decoding (the best valid
   path through the posteriors), but ``B-X`` against ``I-X`` is decided by what the
   sources emit at that token (a source that opens a span there votes ``B-X``), not by a
   learned "entities continue" prior. An HMM learns its transitions from the majority
   vote's BIO-by-continuity, which merges adjacent entities; measured on the WRENCH sets
   the HMM with the same emissions places fewer boundaries right (bc5cdr 83.54 against
   83.87 here).

4. **A silence is weighed by who else fired** (``pair_prior_strength=100``). Point 1
   throws away real evidence when a reliable, high-recall source stays silent while a
   noisy one fires alone (an uncased gazetteer on a common word): that silence is what
   lets skweak's HMM beat a vote on news NER. But a source's silence is evidence only
   relative to the sources that *do* fire: on bc5cdr the "exact" chemical dictionary
   fires almost only where the core dictionary is silent, so the textbook reading of
   that silence (``silence="per_source"``) wipes out 260 true entities of the test set.
   The model therefore learns, for every pair of sources ``(i, j)`` and every tag ``y``,
   ``pair_silent_[i, j, y]``: how likely ``i`` is silent on a token of tag ``y`` where
   ``j`` fires. A token's silent sources each contribute the mean log of that
   probability over the sources that fire. Complementary sources learn a ratio near 1
   (no penalty); a source that usually fires with ``j`` on real entities but not on
   ``j``'s false positives learns a strong one.

   How much a pair's own rate counts is a matter of evidence. Every pair's rate has a
   Beta prior of ``pair_prior_strength`` tokens centred on the source's *own* rate,
   ``source_silent_[i, y]`` (how likely ``i`` is silent on tag ``y`` where any other
   source fires -- the textbook per-source silence). A pair seen firing together on far
   fewer tokens than that counts ``i``'s silence the textbook way, which is right when
   sources err independently (then every pair's rate *is* the source's rate, and the
   pair's own estimate only adds noise); a pair seen on far more (bc5cdr's two
   dictionaries, thousands of tokens) counts it by its own rate. Centring the prior on
   fixed rates instead (0.5 on entity tags, 0.9 on ``O``, 10 tokens) put a penalty of
   its own on every silent source of a rare pair, and lost up to 3.9 points to skweak's
   HMM on synthetic corpora with independent errors; centred on the source's rate, the
   model beats skweak's HMM on every corpus of the synthetic grid. All rates are fitted
   in the same M-step, with the majority vote's counts in the prior as for the others.

5. **A class prior per coverage** (``coverage_prior_``). When corpora with their own
   sources are fitted together (each source abstains on the other corpora's
   documents), which sources vote says which corpus a token comes from, and so how
   common each tag is there. One prior for all would give a small corpus's types the
   frequency they have in the *whole* collection; with point 4 that was enough for EM to
   read laptopreview's votes as ``O`` when fitted with bc5cdr (entity F1 on the two
   together 82.75 against 84.90 without point 4). Each distinct set of voting sources
   gets its own class prior (shrunk towards the overall one by 100 tokens), so the
   corpora come out as if fitted alone (85.11). On one corpus where every source votes
   everywhere, nothing changes.

It accepts what skweak users bring: a source may tag spans with an *underspecified*
label such as ``"ENT"`` (``underspecified={"ENT": ["PER", "ORG", "LOC", "MISC"]}``, like
skweak's ``add_underspecified_label``): its ``B-ENT``/``I-ENT`` votes make every listed
type a candidate, each source learns how its ``ENT`` maps onto each true type, and the
model never outputs ``ENT`` (those columns of ``predict_proba`` are 0). Token-level
constraints: ``excluded_types={"source": ["MISC"]}`` turns a source's votes for those
types into abstains, and ``forbidden_transitions=[("B-PER", "B-PER")]`` forbids a tag
right after another one when decoding (on top of BIO's own rules). As in skweak's HMM, a
token can only take a type that some source proposes.

Measured here (test entity F1, fit on train, WRENCH's sources): bc5cdr 84.22,
laptopreview 73.43, against 83.45 / 73.27 for the type-level majority vote and 69.02 /
73.63 for skweak's HMM; the two fitted together (every split, fit and scored on the same
tokens) 85.11. On the synthetic grid of ``benchmarks/sequence_models_wide.py``
(:func:`~weaklabel.datasets.synthetic_tokens.make_token_matrix` around its
``"conll-like"`` preset, where skweak's HMM beats the majority vote by about 8 points;
fit on 1,500 sentences, scored on 1,500 others) this model is the best of the five on
every setting: ahead of skweak's HMM by 0.3 to 1.3 points, also where the sources err
independently of each other (84.24 against 83.03). Without point 4 it gained only 3
points over the vote. ``benchmarks/RESULTS.md`` has every model, set and setting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from weaklabel.models._fields import Field, array, probabilities
from weaklabel.models.sequence._data import SequenceVotes
from weaklabel.models.sequence._em import _log, _Patterns, _softmax_rows
from weaklabel.models.sequence._lattice import Lattice
from weaklabel.models.sequence.dawid_skene import TokenDawidSkene
from weaklabel.models.sequence.majority import majority_tags
from weaklabel.tags import TagSpace

__all__ = ["SequenceLabelModel"]

_PAIR_MEAN_ENTITY = 0.5
_PAIR_MEAN_OUTSIDE = 0.9
_SOURCE_PRIOR_TOKENS = 10.0
_COVERAGE_PRIOR_TOKENS = 100.0


@dataclass(eq=False, repr=False, kw_only=True)
class SequenceLabelModel(TokenDawidSkene):
    """The recommended sequence label model (see the module docstring for the design).

    Parameters
    ----------
    silence : {"collective", "per_source"}, default "collective"
        What an ``"O"`` vote is worth (see :class:`~weaklabel.models.sequence.HMM`);
        the pairwise silence model (``pair_prior_strength``) works on top of
        ``"collective"`` only.
    pair_prior_strength : float or None, default 100.0
        Pseudo-counts (in tokens) of the Beta prior of every pairwise silence rate
        ``pair_silent_[i, j, y]``, centred on source ``i``'s own rate
        ``source_silent_[i, y]``: a pair with far fewer co-firing tokens than this
        counts ``i``'s silence as the textbook model does, one with far more by its own
        rate. ``None`` turns the pairwise silence model off (the model is then point 1
        of the module docstring alone).
    underspecified : mapping of str to sequence of str or None, default None
        Labels that stand for one of several entity types, e.g. ``{"ENT": ["PER",
        "ORG"]}``. Each key must be an entity type of the tags (``B-ENT``/``I-ENT``);
        the model reads such votes as "an entity of one of these types" and never
        outputs them.
    excluded_types : mapping of str to sequence of str or None, default None
        Per source (its name, or its column index as a string), entity types whose
        votes are ignored (read as abstains), e.g. ``{"geo_uncased": ["ORG"]}``. Names
        need a ``TokenMatrix`` (it carries the source names).
    forbidden_transitions : sequence of (str, str) or None, default None
        Tag pairs ``(previous, next)`` that may not follow each other in a predicted
        sentence (on top of BIO), e.g. ``[("B-PER", "B-PER")]``.
    tags, seed, n_iter, tol, mv_prior_strength, prior_strength, fp_prior, fn_prior, \
redundancy_threshold, anchor
        As for :class:`~weaklabel.models.sequence.TokenDawidSkene`, with the same
        defaults.

    Attributes
    ----------
    tags_, n_sources_, class_prior_, emit_, silent_, source_weights_, n_iter_, \
log_likelihood_
        As for :class:`~weaklabel.models.sequence.TokenDawidSkene`.
    pair_silent_ : ndarray of shape (n_sources, n_sources, n_tags)
        ``pair_silent_[i, j, y]``: probability that source ``i`` votes ``O`` on a token
        of tag ``y`` where source ``j`` fires (all 1 when the pairwise model is off).
    source_silent_ : ndarray of shape (n_sources, n_tags)
        ``source_silent_[i, y]``: probability that source ``i`` votes ``O`` on a token of
        tag ``y`` where at least one other source fires (the textbook rate the pairwise
        rates are shrunk towards; all 1 when the pairwise model is off).
    coverage_ : ndarray of shape (n_groups, n_sources), dtype bool
        The distinct sets of sources that vote (do not abstain) on a token in the
        training data, e.g. one per corpus when corpora with their own sources are fitted
        together.
    coverage_prior_ : ndarray of shape (n_groups, n_tags)
        The class prior of the tokens of each coverage group (``class_prior_`` is used
        for a set of sources not seen in training).

    Examples
    --------
    >>> import numpy as np
    >>> weak = [np.array([[1, 1], [2, 0], [0, 0]])] * 5
    >>> model = SequenceLabelModel(tags=["O", "B-PER", "I-PER"]).fit(weak)
    >>> model.predict(weak[:1])
    [['B-PER', 'I-PER', 'O']]

    A source that only says "some entity":

    >>> tags = ["O", "B-PER", "I-PER", "B-ENT", "I-ENT"]
    >>> weak = [np.array([[1, 3], [0, 3]]), np.array([[1, 3], [0, 0]])] * 5
    >>> model = SequenceLabelModel(tags=tags, underspecified={"ENT": ["PER"]}).fit(weak)
    >>> model.predict(weak[:1])
    [['B-PER', 'O']]
    """

    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        *TokenDawidSkene._fitted_attributes,
        "pair_silent_",
        "source_silent_",
        "coverage_",
        "coverage_prior_",
    )
    _fitted_fields: ClassVar[dict[str, Field]] = {
        "pair_silent_": array(
            "m",
            "m",
            "t",
            low=0.0,
            high=1.0,
            derived=lambda m: _off(m, m.pair_silent_),
            sources=("pair_prior_strength",),
        ),
        "source_silent_": array(
            "m",
            "t",
            low=0.0,
            high=1.0,
            derived=lambda m: _off(m, m.source_silent_),
            sources=("pair_prior_strength",),
        ),
        "coverage_": array("groups", "m", dtype="bool"),
        "coverage_prior_": probabilities("groups", "t"),
    }

    pair_prior_strength: float | None = 100.0
    underspecified: Mapping[str, Sequence[str]] | None = None
    excluded_types: Mapping[str, Sequence[str]] | None = None
    forbidden_transitions: Sequence[Sequence[str]] | None = None

    # ------------------------------------------------------------------ parameters
    @staticmethod
    def _is_str_mapping(value: Any) -> bool:
        return value is None or (
            isinstance(value, Mapping)
            and all(
                isinstance(k, str)
                and isinstance(v, Sequence)
                and not isinstance(v, str)
                and all(isinstance(t, str) for t in v)
                for k, v in value.items()
            )
        )

    def _validate_params(self) -> None:
        super()._validate_params()
        value = self.pair_prior_strength
        self._check_param(
            "pair_prior_strength",
            value is None or (self._is_number(value) and value > 0),
            "a number > 0 or None",
        )
        self._check_param(
            "underspecified",
            self._is_str_mapping(self.underspecified),
            'a mapping of label to entity types, e.g. {"ENT": ["PER", "ORG"]}, or None',
        )
        self._check_param(
            "excluded_types",
            self._is_str_mapping(self.excluded_types),
            'a mapping of source name to entity types, e.g. {"geo": ["ORG"]}, or None',
        )
        pairs = self.forbidden_transitions
        self._check_param(
            "forbidden_transitions",
            pairs is None
            or (
                isinstance(pairs, Sequence)
                and not isinstance(pairs, str)
                and all(
                    isinstance(p, Sequence)
                    and not isinstance(p, str)
                    and len(p) == 2
                    and all(isinstance(t, str) for t in p)
                    for p in pairs
                )
            ),
            'a list of (previous tag, next tag) pairs, e.g. [("B-PER", "B-PER")], or None',
        )

    def _check_names(self, name: str, names: Sequence[str], known: Sequence[str]) -> None:
        unknown = sorted(set(names) - set(known))
        self._check_param(name, not unknown, f"made of {list(known)} (unknown: {unknown})")

    def _coarse(self, space: TagSpace) -> dict[int, np.ndarray]:
        """Underspecified type id -> ids of the entity types it stands for."""
        mapping = self.underspecified or {}
        self._check_names("underspecified", list(mapping), space.types)
        out: dict[int, np.ndarray] = {}
        for label, fine in mapping.items():
            self._check_names("underspecified", list(fine), space.types)
            self._check_names("underspecified", [t for t in fine if t in mapping], [])  # no nesting
            out[space.types.index(label)] = np.array(
                [space.types.index(t) for t in fine], dtype=np.int64
            )
        return out

    # ------------------------------------------------------------------ input
    def _constrained(self, data: SequenceVotes, space: TagSpace) -> SequenceVotes:
        """The votes with ``excluded_types`` read as abstains."""
        if not self.excluded_types:
            return data
        values = data.values.copy()
        for key, types in self.excluded_types.items():
            if data.source_names is not None and key in data.source_names:
                column = data.source_names.index(key)
            elif key.isdigit() and int(key) < data.n_sources:
                column = int(key)
            else:
                known = list(data.source_names or [str(j) for j in range(data.n_sources)])
                self._check_names("excluded_types", [key], known)
                continue
            self._check_names("excluded_types", list(types), space.types)
            type_ids = [space.types.index(t) for t in types]
            tags = np.maximum(values[:, column], 0)
            hit = (values[:, column] >= 0) & np.isin(space.type_of[tags], type_ids)
            values[hit, column] = -1
        return SequenceVotes(values, data.lengths, data.tag_names, data.source_names)

    def _read(self, weak: Any, method: str) -> SequenceVotes:
        data = super()._read(weak, method)
        return self._constrained(data, self._space)

    def _fit(self, data: SequenceVotes, space: TagSpace) -> None:
        self._coarse(space)  # validate against the tags
        super()._fit(self._constrained(data, space), space)

    # ------------------------------------------------------------------ underspecified
    def _initial_tags(self, space: TagSpace, data: SequenceVotes) -> np.ndarray:
        coarse = self._coarse(space)
        if not coarse:
            return majority_tags(space, data)
        values = data.values.copy()
        known = values >= 0
        typ = space.type_of[np.maximum(values, 0)]
        values[known & np.isin(typ, list(coarse))] = -1  # "some entity" picks no type
        return majority_tags(space, SequenceVotes(values, data.lengths))

    def _emission_prior(self, space: TagSpace) -> np.ndarray:
        prior = super()._emission_prior(space)
        for coarse, fine in self._coarse(space).items():
            for t in fine:
                for fine_tag, coarse_tag in (
                    (space.begin_id[t], space.begin_id[coarse]),
                    (space.inside_id[t], space.inside_id[coarse]),
                ):
                    prior[fine_tag, coarse_tag] = prior[fine_tag, fine_tag]
        return prior

    def _candidates(self, space: TagSpace, pat: _Patterns) -> np.ndarray:  # type: ignore[override]
        allowed = super()._candidates(space, pat)
        coarse = self._coarse(space)
        if not coarse:
            return allowed
        k = space.n_tags
        tags = np.where(pat.rows < pat.n_codes, pat.rows % k, space.outside)
        voted_type = space.type_of[tags]
        for c, fine in coarse.items():
            has = (voted_type == c).any(axis=1)
            for t in fine:
                allowed[has, space.begin_id[t]] = True
                allowed[has, space.inside_id[t]] = True
            allowed[:, space.begin_id[c]] = False
            allowed[:, space.inside_id[c]] = False
        return allowed

    # ------------------------------------------------------------------ pairwise silence
    def _pairwise(self) -> bool:
        return self.pair_prior_strength is not None and self.silence == "collective"

    def _indicators(
        self, space: TagSpace, pat: _Patterns
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per pattern and source (n_patterns, n_sources): fires, votes O, votes at all,
        and fires divided by the number of sources that fire."""
        cached = pat.cache.get("pairwise")
        if cached is None:
            rows, k = pat.rows, space.n_tags
            observed = rows < pat.n_codes
            tags = np.where(observed, rows % k, space.outside)
            fires = (observed & (tags != space.outside)).astype(np.float64)
            silent = (observed & (tags == space.outside)).astype(np.float64)
            share = fires / np.maximum(fires.sum(axis=1, keepdims=True), 1.0)
            cached = pat.cache["pairwise"] = (fires, silent, observed.astype(np.float64), share)
        return cached

    def _pattern_loglik(self, space: TagSpace, pat: _Patterns) -> np.ndarray:
        loglik = super()._pattern_loglik(space, pat)
        pair = self.__dict__.get("pair_silent_")
        if pair is None or not self._pairwise():
            return loglik
        _, silent, _, share = self._indicators(space, pat)
        m, k = pair.shape[1], pair.shape[2]
        # sum_i silent[p, i] * sum_j share[p, j] * log pair[i, j, y]
        log_pair = _log(pair).reshape(m, m * k)  # [i, (j, y)]
        per_j = (silent @ log_pair).reshape(-1, m, k)
        extra = np.einsum("pj,pjy->py", share, per_j)
        return np.where(np.isfinite(loglik), loglik + extra, loglik)

    def _m_step_more(self, space: TagSpace, pat: _Patterns, weights: np.ndarray) -> None:
        """The coverage priors, then the pairwise silence rates (after the class prior)."""
        self._m_step_coverage(pat, weights)
        m, k = pat.rows.shape[1], space.n_tags
        if not self._pairwise():
            self.pair_silent_ = np.ones((m, m, k))
            self.source_silent_ = np.ones((m, k))
            return
        fires, silent, observed, _ = self._indicators(space, pat)
        # counts[i, j, y] = sum_p silent[p, i] * fires[p, j] * weights[p, y]
        fired = (fires[:, :, None] * weights[:, None, :]).reshape(len(fires), m * k)
        n_silent = (silent.T @ fired).reshape(m, m, k)
        n_seen = (observed.T @ fired).reshape(m, m, k)
        # the textbook rate of every source, where at least one *other* source fires
        others = (fires.sum(axis=1, keepdims=True) - fires) > 0
        mean = np.full(k, _PAIR_MEAN_ENTITY)
        mean[space.outside] = _PAIR_MEAN_OUTSIDE
        b = _SOURCE_PRIOR_TOKENS
        self.source_silent_ = ((silent * others).T @ weights + b * mean) / (
            (observed * others).T @ weights + b
        )
        # each pair's own rate, shrunk towards it
        a = float(self.pair_prior_strength or 0.0)
        self.pair_silent_ = (n_silent + a * self.source_silent_[:, None, :]) / (n_seen + a)

    # ------------------------------------------------------------------ coverage
    def _groups(self, pat: _Patterns) -> np.ndarray:
        """The coverage group (row of ``coverage_``) of every pattern; -1 if unseen."""
        cached = pat.cache.get("groups")
        if cached is None:
            cached = pat.cache["groups"] = _match_rows(self.coverage_, pat.rows < pat.n_codes)
        return cached

    def _m_step_coverage(self, pat: _Patterns, weights: np.ndarray) -> None:
        """The class prior of every coverage group, shrunk towards the overall one."""
        if "coverage_" not in self.__dict__:  # first M-step of a fit
            self.coverage_ = np.unique(pat.rows < pat.n_codes, axis=0)
        counts = np.zeros((len(self.coverage_), weights.shape[1]))
        np.add.at(counts, self._groups(pat), weights)
        s = _COVERAGE_PRIOR_TOKENS
        total = counts.sum(axis=1, keepdims=True)
        self.coverage_prior_ = (counts + s * self.class_prior_) / (total + s)

    def _e_step(
        self, space: TagSpace, pat: _Patterns, lengths: np.ndarray, lattice: Lattice | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        k = space.n_tags
        priors = np.vstack([self.coverage_prior_, self.class_prior_])  # -1: unseen coverage
        scores = self._pattern_loglik(space, pat) + _log(priors[self._groups(pat)])
        post, norm = _softmax_rows(scores)
        sizes = np.bincount(pat.inverse, minlength=len(post))
        return post[pat.inverse], np.zeros((k, k)), np.zeros(k), float(norm @ sizes)

    # ------------------------------------------------------------------ decoding
    def _decode(self, data: SequenceVotes, proba: np.ndarray) -> np.ndarray:
        space = self._space
        allowed_next = space.allowed_transitions()
        for previous, following in self.forbidden_transitions or ():
            self._check_names("forbidden_transitions", [previous, following], space.tags)
            allowed_next[space.tags.index(previous), space.tags.index(following)] = False
        with np.errstate(divide="ignore"):
            scores = np.log(proba)
            log_trans = np.where(allowed_next, 0.0, -np.inf)
            log_start = np.where(space.allowed_starts(), 0.0, -np.inf)
        scores[:, space.outside] += 1e-9  # exact ties go to O, deterministically
        return Lattice(data.lengths).viterbi(scores, log_start, log_trans)


def _match_rows(known: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Index of every row of ``rows`` in ``known`` (boolean rows), -1 where absent."""
    if len(known) == 0 or len(rows) == 0:
        return np.full(len(rows), -1, dtype=np.int64)
    keys = np.packbits(known, axis=1)
    queries = np.packbits(rows, axis=1)
    width = keys.shape[1]
    as_void = np.dtype((np.void, width))
    k = np.ascontiguousarray(keys).view(as_void).ravel()
    q = np.ascontiguousarray(queries).view(as_void).ravel()
    order = np.argsort(k)
    pos = np.minimum(np.searchsorted(k[order], q), len(k) - 1)
    found = k[order][pos] == q
    return np.where(found, order[pos], -1).astype(np.int64)


def _off(model: SequenceLabelModel, fitted: np.ndarray) -> np.ndarray | None:
    """All ones when the pairwise model is off (``pair_prior_strength=None``), else None."""
    return np.ones_like(fitted) if model.pair_prior_strength is None else None
