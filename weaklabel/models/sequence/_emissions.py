"""How a source's tag at a token depends on the true tag: observation codes and emissions.

Use this module through :class:`~weaklabel.models.sequence.HMM` and
:class:`~weaklabel.models.sequence.TokenDawidSkene`; it holds what they share.

Every source has, for every true tag ``y``, a categorical distribution over the tags it
emits. With ``source_context=True`` there are two such tables per source: one for tokens
where the source was inside one of its own entities at the previous token, one for the
rest. The first learns how a source's spans end -- whether it stops too early, runs on
past the entity (an ``I-X`` on a true ``O``) or splits it -- which a single table mixes
up with how often the source fires at all.

``silence`` says what an ``"O"`` vote is worth:

- ``"per_source"``: the textbook HMM/Dawid-Skene likelihood. Every source's ``"O"`` is
  evidence, multiplied across sources. Sources that each cover a small part of the
  entities then outvote the one that fires, and recall collapses.
- ``"collective"`` (default): an ``"O"`` outside the source's own spans is no evidence on
  its own; instead, a token where *no* source fires gets one factor, the learned
  probability that a token of tag ``y`` goes unlabelled. Sources that fire are weighed by
  their learned firing rates (in effect their precision), and an ``"O"`` right after the
  source's own span (with ``source_context``) still counts, because it is where the
  source says its entity ends.
"""

from __future__ import annotations

import numpy as np

from weaklabel.models.sequence._data import SequenceVotes
from weaklabel.tags import TagSpace

__all__ = ["emission_prior", "observation_codes", "redundancy_weights"]

SILENCE_MODES: tuple[str, ...] = ("collective", "per_source")


def observation_codes(
    space: TagSpace, data: SequenceVotes, *, context: bool
) -> tuple[np.ndarray, int]:
    """The observation of every source at every token, as one small integer.

    Parameters
    ----------
    space : TagSpace
    data : SequenceVotes
    context : bool
        Add ``n_tags`` to the code when the source was inside one of its own entities at
        the previous token of the sentence.

    Returns
    -------
    codes : ndarray of shape (n_tokens, n_sources), dtype int64
        ``tag`` or ``tag + n_tags``; ``n_codes`` for an abstain (``-1``).
    n_codes : int
        ``n_tags`` or ``2 * n_tags``.
    """
    k = space.n_tags
    values = space.repair(data.values, data.lengths)  # each source as valid BIO
    n_codes = 2 * k if context else k
    codes = np.where(values >= 0, values, n_codes)
    if context and values.size:
        inside = np.zeros(values.shape, dtype=bool)
        inside[1:] = (values[:-1] >= 0) & (values[:-1] != space.outside)
        inside[data.starts()] = False
        codes = np.where((values >= 0) & inside, values + k, codes)
    return codes.astype(np.int64), n_codes


def emission_prior(
    space: TagSpace, *, strength: float, fp_prior: float, fn_prior: float
) -> np.ndarray:
    """Dirichlet pseudo-counts of one emission table: a source emits ``O`` or the true type.

    Parameters
    ----------
    space : TagSpace
    strength : float
        Total weight of the prior, in tokens, per true tag.
    fp_prior : float
        Relative weight of emitting an entity tag on a true ``O`` (a false positive).
    fn_prior : float
        Relative weight of emitting ``O`` on a true entity tag (a false negative).

    Returns
    -------
    ndarray of shape (n_tags, n_tags)
        ``prior[y, v]``: pseudo-count of emitting ``v`` when the true tag is ``y``.
    """
    k, o = space.n_tags, space.outside
    prior = np.full((k, k), 0.01)
    same_type = (space.type_of[:, None] == space.type_of[None, :]) & (space.type_of[:, None] >= 0)
    prior[same_type] = 0.1  # B-X <-> I-X: a boundary error, right type
    np.fill_diagonal(prior, 1.0)
    prior[:, o] += fn_prior
    prior[o, :] += fp_prior
    prior[o, o] = 1.0
    prior /= prior.sum(axis=1, keepdims=True)
    return strength * prior + 1e-6


def redundancy_weights(codes: np.ndarray, silent_codes: np.ndarray, threshold: float) -> np.ndarray:
    """Weights that count a group of near-duplicate sources once.

    Two sources are near duplicates when, over the tokens where either fires, they emit
    the same tag at least ``threshold`` of the time (a Jaccard agreement). Each group of
    near duplicates (connected components) shares a total weight of 1, so a source copied
    three times does not triple its say.

    Parameters
    ----------
    codes : ndarray of shape (n_tokens, n_sources)
    silent_codes : ndarray of shape (n_silent,)
        Codes that mean "does not fire" (``O`` in any context, abstain).
    threshold : float
        In (0, 1]; above 1 turns the weighting off.

    Returns
    -------
    ndarray of shape (n_sources,)
    """
    m = codes.shape[1]
    weights = np.ones(m)
    if threshold > 1 or m < 2:
        return weights
    fires = ~np.isin(codes, silent_codes)
    active = fires.any(axis=1)
    codes, fires = codes[active], fires[active]
    parent = list(range(m))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    counts = fires.sum(axis=0)
    for j in range(m):
        if counts[j] == 0:
            continue
        for k in range(j + 1, m):
            if counts[k] == 0:
                continue
            either = fires[:, j] | fires[:, k]
            same = (codes[either, j] == codes[either, k]).sum()
            if same >= threshold * either.sum():
                parent[root(j)] = root(k)
    roots = np.array([root(j) for j in range(m)])
    sizes = np.bincount(roots, minlength=m)
    return 1.0 / sizes[roots]
