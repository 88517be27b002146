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

Measured here (test entity F1, fit on train, WRENCH's sources): bc5cdr 83.87,
laptopreview 73.50, against 83.45 / 73.27 for the type-level majority vote and 84.05 /
73.18 with every source of the sets; ``benchmarks/RESULTS.md`` has every model and set.
When sources are known to err independently of each other (silences uncorrelated), the
textbook ``silence="per_source"`` weighs their silence too and can be better.
"""

from __future__ import annotations

from weaklabel.models.sequence.dawid_skene import TokenDawidSkene

__all__ = ["SequenceLabelModel"]


class SequenceLabelModel(TokenDawidSkene):
    """The recommended sequence label model (see the module docstring for the design).

    Parameters
    ----------
    tags : sequence of str or None, default None
        BIO tag names in id order; ``None`` takes them from the data's ``.tag_names``.
    seed : int, default 0
        Unused (fitting is deterministic); kept for the common contract.
    n_iter : int, default 100
        Maximum number of EM iterations.
    tol : float, default 1e-05
        Stop when the log-likelihood changes by less than ``tol`` per token.
    silence : {"collective", "per_source"}, default "collective"
        What an ``"O"`` vote is worth (see :class:`~weaklabel.models.sequence.HMM`).
    mv_prior_strength : float, default 1.0
        Weight of the majority vote's counts in the prior of every M-step.
    prior_strength : float, default 1.0
        Pseudo-counts (in tokens) of the generic Dirichlet priors.
    fp_prior : float, default 0.1
        Relative prior weight of a source emitting an entity tag on a true ``O``.
    fn_prior : float, default 0.3
        Relative prior weight of a source emitting ``O`` on a true entity.
    redundancy_threshold : float, default 0.95
        Near-duplicate sources share one vote; above 1 turns this off.
    anchor : {"majority", "leave_one_out"}, default "majority"
        Where the sources' starting emission counts (and their prior) come from: the
        majority vote of all sources, or for each source the majority vote of the others
        (exposes noisy sources that fire alone; discounts lone votes of precise ones).

    Attributes
    ----------
    tags_, n_sources_, class_prior_, emit_, silent_, source_weights_, n_iter_, \
log_likelihood_
        As for :class:`~weaklabel.models.sequence.TokenDawidSkene`.

    Examples
    --------
    >>> import numpy as np
    >>> weak = [np.array([[1, 1], [2, 0], [0, 0]])] * 5
    >>> model = SequenceLabelModel(tags=["O", "B-PER", "I-PER"]).fit(weak)
    >>> model.predict(weak[:1])
    [['B-PER', 'I-PER', 'O']]
    """
