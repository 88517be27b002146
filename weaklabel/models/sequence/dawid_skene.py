"""Token-level Dawid-Skene: a confusion matrix per source, tokens independent.

Use :class:`TokenDawidSkene` when you want source reliabilities learned from agreement but
no sequence model: every token is classified on its own, from a class prior over the tags
and one confusion matrix per source (the same emission model, priors and ``silence``
options as the :class:`~weaklabel.models.sequence.HMM`), fitted by EM from the majority
vote. BIO validity comes from decoding (the best valid path through the token
posteriors). Without transitions, a token's ``B-X`` or ``I-X`` is decided by what the
sources say at that token (a source opening a span votes ``B-X``) rather than by a
learned "entities continue" prior, which on the WRENCH NER sets places boundaries better
than the HMM; :class:`~weaklabel.models.sequence.SequenceLabelModel` builds on it.

(There is no ``source_context`` option: without transitions, the two tables it adds let
EM swap ``B-X`` and ``I-X`` after a source's own entity.)
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from weaklabel.models._fields import Field, probabilities
from weaklabel.models.sequence._em import EMSequenceModel, _log, _Patterns, _softmax_rows
from weaklabel.models.sequence._lattice import Lattice
from weaklabel.tags import TagSpace

__all__ = ["TokenDawidSkene"]


class TokenDawidSkene(EMSequenceModel):
    """Dawid-Skene over tokens: class prior plus one confusion matrix per source.

    Parameters
    ----------
    tags, seed
        See :class:`~weaklabel.models.sequence.BaseSequenceModel`. EM starts from the
        majority vote, so the fit is deterministic and ``seed`` changes nothing.
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
    tags_ : tuple of str
    n_sources_ : int
    class_prior_ : ndarray of shape (n_tags,)
    emit_ : ndarray of shape (n_sources, n_tags, n_codes)
        Confusion matrices: ``emit_[j, y, v]`` = p(source ``j`` emits ``v`` | true ``y``).
    silent_ : ndarray of shape (n_tags,)
    source_weights_ : ndarray of shape (n_sources,)
    n_iter_ : int
    log_likelihood_ : float

    Examples
    --------
    >>> import numpy as np
    >>> weak = [np.array([[1, 1], [2, 0], [0, 0]])] * 5
    >>> TokenDawidSkene(tags=["O", "B-PER", "I-PER"]).fit(weak).predict(weak[:1])
    [['B-PER', 'I-PER', 'O']]
    """

    _sequential: ClassVar[bool] = False
    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        *EMSequenceModel._fitted_attributes,
        "class_prior_",
    )
    _fitted_fields: ClassVar[dict[str, Field]] = {"class_prior_": probabilities("t")}

    def _m_step_latent(
        self, space: TagSpace, weights: np.ndarray, xi: np.ndarray, start: np.ndarray
    ) -> None:
        counts = weights.sum(axis=0) + float(self.prior_strength)
        self.class_prior_ = counts / counts.sum()

    def _e_step(
        self, space: TagSpace, pat: _Patterns, lengths: np.ndarray, lattice: Lattice | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        k = space.n_tags
        scores = self._pattern_loglik(space, pat) + _log(self.class_prior_)
        post, norm = _softmax_rows(scores)
        sizes = np.bincount(pat.inverse, minlength=len(post))
        gamma = post[pat.inverse]
        return gamma, np.zeros((k, k)), np.zeros(k), float(norm @ sizes)
