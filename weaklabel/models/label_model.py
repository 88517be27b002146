"""``LabelModel``: the recommended default label model, and why it is built this way.

Use :class:`LabelModel` unless you have a reason not to. It is a weighted vote whose
weights are learned from how the sources agree and disagree with each other, and it falls
back to a plain majority vote wherever the data cannot tell the sources apart. It fits
from the distinct vote patterns with their counts (a :class:`~weaklabel.stats.
LabelStats`, mergeable across partitions), by ``partial_fit``, or on Dask, and takes a
small gold dev set when you have one.

What it does (the arithmetic is in :mod:`weaklabel.models._anchored`):

- **A precision per source and class.** A vote of source ``j`` for class ``c`` is right
  with probability ``p[j, c]``; it is worth the log likelihood ratio
  ``logit(p[j, c]) - logit(balance[c])``, so a source is rewarded for being better than
  the base rate of the class it votes for, not for voting for a frequent class. A
  two-sided source that is reliable for one class and noise for the other gets two weights.
- **Shrunk by the evidence behind it.** The precisions are fitted by EM from a majority-vote
  start, each under a Beta prior worth ``prior_strength`` votes at the precision of a
  typical source (``prior_accuracy`` among balanced classes). Only the votes a source casts
  on rows where another source voted move it off the prior. A source that never overlaps
  with another cannot be assessed, so it keeps the typical weight, and the model is then a
  majority vote; a source with thousands of overlaps is fitted by the data.
  ``diagnostics_`` reports this evidence source by source.
- **No hub bias.** A broad source that overlaps with every other one is measured against
  their votes, not rewarded for overlapping: a noisy sentiment lexicon among precise spam
  rules ends with a small weight instead of the largest.
- **Copies share one vote.** Sources that fire on nearly the same rows and agree there
  (Jaccard and agreement >= ``duplicate_threshold``) split one vote.
- **Class balance.** The balance the weights refer to is always estimated from the rows
  with votes, because that is where the precisions are measured. It is *not* used as the
  prior of a prediction, because it is biased toward the classes with the most sources. A
  balance you give (``class_prior``, or the class frequencies of ``y_dev``) is a balance of
  the whole population, not of the voted rows, so it is used for what it describes: the
  rows without votes. Using it for the weights or as the prior of voted rows collapsed the
  model onto one class on real data (raw YouTube comments with a uniform ``class_prior``:
  accuracy 78.0 -> 59.8; with 100 gold dev rows 58.7, now 86.8).
- **Rows without votes.** With a known balance (``class_prior=`` or ``y_dev``) they get it,
  so they go to the most frequent class: the right call for accuracy, but the F1 of a rare
  class may then be lower than with ties broken at random (WRENCH sms: 21 -> 3 F1, since its
  sources find almost none of the spam they do not vote on). Otherwise silence may still be
  evidence -- when the sources mostly vote for a rare class, a row nobody voted on is
  probably of the common one -- and a Dawid-Skene model with abstains modelled, fitted on
  the same patterns, says so; but on real labeling functions its balance can be far off (on
  WRENCH sms it puts 70% of the rows in the 13% class). So those rows leave the tie
  (``no_vote_proba_``) only when that model's posterior for an all-abstain row leans clearly
  (at least 1.5 times ``1/k``: 0.75 for two classes) to one class and that model is seen
  to mean the same classes as this one: it labels at least 90% of the voted rows as this
  model does (70% for three classes or more, where a tie is right only ``1/k`` of the
  time), or its silent class is the one this model's balance ranks first. Otherwise
  they stay ties, broken by the row hash as Snorkel and WRENCH do.
- **Never weights against a vote.** A precision at or below the base rate gives the
  smallest weight (``MIN_WEIGHT``, 0.001), never a negative one: a row voted by one class
  goes to that class, and if every source is at its base rate (for instance because the
  sources all vote for one class, so the balance of the rows they cover is that class) the
  model is the majority vote.

Why (measured with ``benchmarks/label_models_wide.py`` on WRENCH youtube / sms / trec, real
matrices built from the raw YouTube comments, the demo reviews and the NER sets, and
hundreds of seeded synthetic matrices with the shapes that broke the earlier default: sparse
many-class one-sided sources, imbalanced one-sided sources on every row, a broad noisy
source among precise ones, copies, coin flips): the previous default fitted accuracies from
pairwise agreement, which one-sided sources cannot inform (two sources that only ever vote
for one class agree every time they meet), so their accuracies ran to the bounds and the
model collapsed onto one class (F1 9.7 against majority vote's 32.8 on an imbalanced
tabular set) or followed the source that overlapped most. The anchored model's worst case
against majority vote over that corpus is in ``benchmarks/RESULTS.md``.

Large inputs: above ``_SAMPLE_ROWS`` rows the EM runs on an evenly spaced sample of that
many rows (counted for the rows they stand for), which is what keeps a 1M x 100 fit well
under a second. On such inputs a fit on the matrix and on its ``LabelStats`` agree to
sampling precision instead of bit for bit.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np

from weaklabel.matrix import unique_rows
from weaklabel.models._accuracy import duplicate_groups
from weaklabel.models._anchored import AnchoredFit, fit_anchored
from weaklabel.models._data import VoteData, as_votes, known_source_names, source_order
from weaklabel.models._errors import Errors, LabelModelError, LabelModelWarning
from weaklabel.models._fields import Field, array, count, probabilities
from weaklabel.models._label_model_diagnostics import diagnostics_frame, fit_diagnostics
from weaklabel.models._params import is_count, is_finite_number
from weaklabel.models._scoring import softmax_rows, weighted_vote_scores
from weaklabel.models._vote import ClassificationParams, check_vector
from weaklabel.models.base import BaseLabelModel, check_params

_SAMPLE_ROWS = 20_000
"""Above this many rows, EM runs on an evenly spaced sample of this many rows."""

_CLEAR_LEAN = 1.5
"""Rows without votes leave the tie only for a class the abstain model gives at least this
many times the uniform share ``1/k`` (0.75 for two classes, 0.15 for ten)."""

_SAME_CLASSES = 0.9
"""... and only when that model labels at least this share of the voted rows as this one."""

_SAME_CLASSES_MULTI = 0.7
"""The same for three classes or more, where a tie is right only ``1/k`` of the time."""


@dataclass(eq=False, repr=False, kw_only=True)
class LabelModel(ClassificationParams, BaseLabelModel):
    """The recommended default: a weighted vote with evidence-shrunk, per-class precisions.

    A row's score for class ``c`` is ``log class_prior_[c] + sum of weights_[j, c]`` over
    the sources ``j`` that voted ``c``, with
    ``weights_[j, c] = max(0.001, logit(accuracies_[j, c]) - logit(class_balance_[c]))``
    (divided among copies of a source). See the module docstring for how the precisions
    ``accuracies_`` are fitted and why.

    This model may change between versions to stay the best weaklabel has; pin a named
    model when results must never change.

    Parameters
    ----------
    cardinality : int or None, default None
        Number of classes; ``None`` infers it at fit time.
    seed : int, default 0
        Seed of the tie-breaking (the fit is deterministic).
    tie_break : {"index", "random", "abstain"}, default "index"
    class_prior : array-like of shape (k,), optional
        Known class balance of the whole population (normalised to sum 1): what rows
        without votes get. Default: the class frequencies of ``y_dev`` (plus one) when
        given; else rows without votes are ties (see ``no_vote_proba_``). The weights never
        use it: they refer to the balance of the voted rows, estimated by the fit.
    prior_accuracy : float, default 0.7
        Accuracy of a typical source among balanced classes, in ``(1/k, 1)``: the weight a
        source keeps when nothing can be learned about it.
    prior_strength : float, default 100.0
        Weight of that prior, in votes (>= 0): a source needs about this many votes on
        rows shared with other sources before the data outweighs the prior.
    duplicate_threshold : float, default 0.95
        Sources whose covered rows overlap (Jaccard) and agree at least this much are
        treated as copies of one source; above 1 disables it.
    n_steps : int, default 5
        EM steps from the majority vote. Few steps keep the fit anchored: on the
        synthetic corpus of ``benchmarks/label_models_wide.py`` running EM to convergence
        improved the mean by nothing and doubled the worst loss against majority vote
        (sources that vote one class only feed back on each other).

    Attributes
    ----------
    cardinality_ : int
    n_sources_ : int
    class_prior_ : ndarray of shape (k,)
        The prior of every prediction of a row with votes (uniform).
    no_vote_proba_ : ndarray of shape (k,)
        What a row without votes gets: ``class_prior_`` when the balance is known, else
        uniform (a tie) unless two models agree on a clear majority (module docstring).
    class_balance_ : ndarray of shape (k,)
        The class balance of the voted rows, estimated by the fit: what the weights
        refer to.
    accuracies_ : ndarray of shape (n_sources, k)
        Estimated precision of each source's votes for each class (the prior where a
        source never votes for a class).
    weights_ : ndarray of shape (n_sources, k)
        Weight of a vote of source ``j`` for class ``c``.
    evidence_ : ndarray of shape (n_sources, k)
        Votes behind each precision: votes on rows where another source voted too, plus
        gold-labelled dev votes.
    source_groups_ : ndarray of shape (n_sources,)
        For each source, the first source of its group of copies (itself if none).
    n_iter_ : int
        EM steps run (fewer than ``n_steps`` when the weights stopped moving).
    diagnostics_ : dict
        Set by ``fit`` (not saved): see :meth:`diagnose`.

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[0, 0, -1], [1, 1, 0], [0, -1, 0], [1, 1, -1], [-1, -1, -1]])
    >>> LabelModel().fit(L).predict(L)[:4]
    array([0, 1, 0, 1])
    """

    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        *BaseLabelModel._fitted_attributes,
        "class_balance_",
        "accuracies_",
        "weights_",
        "evidence_",
        "source_groups_",
        "n_iter_",
        "no_vote_proba_",
    )
    _fitted_fields: ClassVar[dict[str, Field]] = {  # checked when a saved model is loaded
        "class_balance_": probabilities("k"),
        "accuracies_": array("m", "k", low=0.0, high=1.0),
        "weights_": array("m", "k", low=0.0, high=100.0),
        "evidence_": array("m", "k", low=0.0),
        "source_groups_": array("m", dtype="int", low=0),
        "n_iter_": count(),
        "no_vote_proba_": probabilities("k"),
    }
    _statistics: ClassVar[tuple[str, ...]] = ("patterns",)

    class_prior: Any = None
    prior_accuracy: float = 0.7
    prior_strength: float = 100.0
    duplicate_threshold: float = 0.95
    n_steps: int = 5

    def _validate_params(self) -> None:
        super()._validate_params()
        accuracy, strength = self.prior_accuracy, self.prior_strength
        threshold = self.duplicate_threshold
        check_params(
            [
                (
                    "prior_accuracy",
                    accuracy,
                    is_finite_number(accuracy) and 0.0 < accuracy < 1.0,
                    "a number in (1/k, 1)",
                ),
                (
                    "prior_strength",
                    strength,
                    is_finite_number(strength) and strength >= 0,
                    "a number >= 0 (votes)",
                ),
                (
                    "duplicate_threshold",
                    threshold,
                    is_finite_number(threshold) and threshold > 0,
                    "a number > 0 (above 1 turns copy detection off)",
                ),
                ("n_steps", self.n_steps, is_count(self.n_steps, 1), "an integer >= 1"),
            ],
            owner=type(self).__name__,
        )

    # ------------------------------------------------------------------ fitting
    def fit(self, L: Any, *, y_dev: Any = None, L_dev: Any = None) -> Self:
        """Fit on the votes, optionally helped by a small gold-labelled dev set.

        Parameters
        ----------
        L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame, \
scipy.sparse or LabelStats
            Votes (``-1`` = abstain); a sparse matrix stores ``label + 1``.
        y_dev : array-like of shape (n_dev,), optional
            Gold class ids of the dev rows.
        L_dev : array-like of shape (n_dev, n_sources), optional
            The sources' votes on the dev rows; required with ``y_dev``.

        Returns
        -------
        self
        """
        self._dev_names: tuple[str, ...] = ()
        self._dev = self._read_dev(y_dev, L_dev)
        try:
            return super().fit(L)
        finally:
            del self._dev, self._dev_names

    def _read_dev(self, y_dev: Any, L_dev: Any) -> tuple[np.ndarray, np.ndarray] | None:
        if y_dev is None and L_dev is None:
            return None
        if y_dev is None or L_dev is None:
            raise self._argument_error(
                "y_dev and L_dev",
                "given together (gold labels and the votes on those rows)",
                type(y_dev if L_dev is None else L_dev).__name__,
            )
        votes = as_votes(L_dev)
        self._dev_names = known_source_names(
            VoteData.from_input(L_dev).source_names, votes.shape[1]
        )
        gold = np.asarray(y_dev).reshape(-1)
        if gold.dtype.kind not in "iu" and not (
            gold.dtype.kind == "f" and np.all(np.isfinite(gold)) and np.all(np.mod(gold, 1) == 0)
        ):  # strings, fractions, NaN: never cast to a class
            raise self._argument_error("y_dev", "class ids (integers >= 0)", gold[:5].tolist())
        gold = gold.astype(np.int64)
        if gold.shape[0] != votes.shape[0] or (gold.size and gold.min() < 0):
            raise self._argument_error(
                "y_dev", f"{votes.shape[0]} class ids >= 0, one per row of L_dev", gold.shape
            )
        return votes, gold

    def _argument_error(self, param: str, expected: str, value: Any) -> Exception:
        """The [E060] error for an argument that is not what the fit needs."""
        return self._error(
            "param", name=type(self).__name__, param=param, expected=expected, value=value
        )

    def _dev_counts(
        self, k: int, m: int
    ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
        """Dev evidence: (votes for c, right votes for c, gold class counts) or Nones."""
        dev = getattr(self, "_dev", None)
        if dev is None:
            return None, None, None
        votes, gold = dev
        order = source_order(  # both named: match L_dev's columns to the fit by name
            self.source_names_, self._dev_names, f"{type(self).__name__} (L_dev)"
        )
        if order is not None:
            votes = votes[:, order]
        if votes.shape[1] != m:
            raise LabelModelError(
                Errors.E101.format(model=type(self).__name__, expected=m, got=votes.shape[1])
            )
        if gold.size and int(gold.max()) >= k:
            raise self._argument_error("y_dev", f"class ids below {k}", int(gold.max()))
        VoteData(values=votes).check(k)  # a dev vote outside 0 .. k-1 is an error, not noise
        dev_votes = np.stack([(votes == c).sum(axis=0) for c in range(k)], axis=1)
        dev_right = np.stack(
            [((votes == c) & (gold == c)[:, None]).sum(axis=0) for c in range(k)], axis=1
        )
        return dev_votes, dev_right, np.bincount(gold, minlength=k)

    def _fit(self, data: VoteData) -> None:
        k, m = self.cardinality_, self.n_sources_
        low = 1.0 / k
        if not low < float(self.prior_accuracy) < 1.0:
            raise self._argument_error(
                "prior_accuracy", f"a number in (1/k, 1) = ({low:.3g}, 1)", self.prior_accuracy
            )
        rows, counts = _fit_sample(data)
        both, agree = VoteData(stats=_stats(rows, counts)).agreement(k)
        groups = duplicate_groups(both, agree, float(self.duplicate_threshold))
        share = 1.0 / np.bincount(groups, minlength=m)[groups]
        dev_votes, dev_right, dev_classes = self._dev_counts(k, m)
        known: np.ndarray | None = None
        if self.class_prior is not None:
            known = check_vector(
                self.class_prior, "class_prior", k, "Give one probability per class."
            )
            known = known / known.sum()
        elif dev_classes is not None:
            smoothed = dev_classes.astype(np.float64) + 1.0
            known = smoothed / smoothed.sum()
        fit = fit_anchored(
            rows,
            counts,
            k,
            prior_accuracy=float(self.prior_accuracy),
            prior_strength=float(self.prior_strength),
            class_prior=None,  # the weights refer to the balance of the voted rows
            share=share,
            groups=groups,
            dev_correct=dev_right,
            dev_votes=dev_votes,
            max_iter=int(self.n_steps),
        )
        self.accuracies_ = fit.precisions
        self.weights_ = fit.weights
        self.class_balance_ = fit.balance
        self.evidence_ = fit.evidence
        self.source_groups_ = groups
        self.n_iter_ = int(fit.n_iter)
        self.class_prior_ = np.full(k, 1.0 / k)
        self.no_vote_proba_ = (
            known if known is not None else _no_vote_posterior(rows, counts, k, fit)
        )
        self.diagnostics_ = fit_diagnostics(
            rows,
            counts,
            fit,
            data,
            class_prior=self.class_prior_,
            weights=self.weights_,
            prior_strength=float(self.prior_strength),
        )
        for message in self.diagnostics_["warnings"]:
            warnings.warn(message, LabelModelWarning, stacklevel=4)

    # ------------------------------------------------------------------ diagnostics
    def diagnose(self) -> Any:
        """What stood behind the fit, one row per source and class it votes for.

        Returns
        -------
        pandas.DataFrame
            Columns ``source``, ``class``, ``votes``, ``precision``, ``weight``, ``evidence`` (votes
            shared with another source), ``identifiable`` (evidence at least
            ``prior_strength``: the data, not the prior, set the weight) and
            ``weight_share`` (the source's share of all vote weight). ``attrs`` holds the
            model-level figures: ``departure_from_majority_vote`` (share of rows with a
            clear majority that the model labels otherwise), ``identified_vote_share``,
            ``predicted_share`` and ``majority_vote_share`` per class, and the warnings.
        """
        self._check_is_fitted("diagnose")
        info = getattr(self, "diagnostics_", None)
        if info is None:
            raise LabelModelError(Errors.E136.format(model=type(self).__name__))
        return diagnostics_frame(info, self.accuracies_, self.weights_)

    # ------------------------------------------------------------------ predicting
    def _predict_proba(self, values: np.ndarray) -> np.ndarray:
        scores = weighted_vote_scores(values, self.weights_, np.log(self.class_prior_))
        proba = softmax_rows(scores)
        if not np.array_equal(self.no_vote_proba_, self.class_prior_):  # else already so
            silent = ~(values >= 0).any(axis=1)
            proba[silent] = self.no_vote_proba_
        return proba


def _no_vote_posterior(
    rows: np.ndarray, counts: np.ndarray, k: int, fit: AnchoredFit
) -> np.ndarray:
    """What a row no source voted on gets when no class balance is given.

    Silence can be evidence: when the sources mostly vote for a rare class, a row nobody
    voted on is probably of the common one. A model that reads abstains as evidence
    (Dawid-Skene with abstains modelled, fitted on the same vote patterns) gives that
    posterior; but on real labeling functions its latent classes can be other than the
    labels (on WRENCH sms it puts 70% of the rows in the 13% class, and says a silent row
    is spam). So the rows without votes take that posterior only when it leans clearly (at
    least ``_CLEAR_LEAN / k``) to one class and the abstain model is seen to mean the same
    classes as this one: it labels at least ``_SAME_CLASSES`` (two classes) or
    ``_SAME_CLASSES_MULTI`` (more: a tie is then right only ``1/k`` of the time, so less
    corroboration is asked) of the voted rows as this model does, or its silent class is
    also the class this model's balance ranks first.
    Otherwise they stay ties, as in Snorkel and WRENCH.

    Measured on ``benchmarks/label_models_wide.py``: the agreement test (new) lets through
    the shapes where the sources vote mostly for a rare class, so the voted rows' balance
    ranks it first while the silent rows are nearly all of the common class (the
    low-coverage imbalanced look-alikes: F1 32.2 -> 42.4; sentence-level "has a Chemical"
    from bc5cdr: 84.6 -> 94.1; the demo reviews: 72.5 -> 77.0) and still keeps WRENCH sms
    (agreement 0.85) at ties. A lean measured against ``1/k`` lets the 10-class relation
    look-alikes, where a fifth to two fifths of the rows have no vote, give those rows the
    most frequent relation rather than a ten-way tie (accuracy 52.6 -> 56.8; with the lower
    agreement asked of three classes or more, 58.6, and WRENCH trec 64.4 -> 65.6).

    Returns
    -------
    ndarray of shape (k,)
    """
    from weaklabel.models.dawid_skene import DawidSkene

    uniform = np.full(k, 1.0 / k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        abstain_model = DawidSkene(cardinality=k, max_iter=100).fit(_stats(rows, counts))
    silent = abstain_model.predict_proba(np.full((1, rows.shape[1]), -1, dtype=np.int8))[0]
    top = np.flatnonzero(silent == silent.max())
    if top.size != 1 or float(silent.max()) * k < _CLEAR_LEAN:
        return uniform
    ranked_first = int(np.argmax(fit.balance)) == int(top[0])
    ranked_first = ranked_first and int(np.sum(fit.balance == fit.balance.max())) == 1
    same_classes = _SAME_CLASSES if k == 2 else _SAME_CLASSES_MULTI
    if ranked_first or _voted_agreement(rows, counts, k, fit, abstain_model) >= same_classes:
        return np.asarray(silent, dtype=np.float64)
    return uniform


def _voted_agreement(
    rows: np.ndarray, counts: np.ndarray, k: int, fit: AnchoredFit, other: Any
) -> float:
    """Share of the voted rows that ``other`` labels as this fit does (argmax, uniform prior).

    Parameters
    ----------
    rows : ndarray of shape (n_patterns, n_sources)
    counts : ndarray of shape (n_patterns,)
    k : int
    fit : AnchoredFit
    other : fitted label model

    Returns
    -------
    float in [0, 1]; 1.0 when no row has a vote
    """
    voted = (rows >= 0).any(axis=1)
    if not voted.any():
        return 1.0
    scores = np.stack([fit.hits[c] @ fit.weights[:, c] for c in range(k)], axis=1)
    mine = np.argmax(scores[voted], axis=1)
    theirs = np.argmax(other.predict_proba(rows[voted]), axis=1)
    weight = counts[voted]
    return float(weight[mine == theirs].sum() / weight.sum())


def _stats(rows: np.ndarray, counts: np.ndarray) -> Any:
    from weaklabel.stats import LabelStats

    return LabelStats(rows, np.maximum(np.rint(counts), 1).astype(np.int64))


def _fit_sample(data: VoteData) -> tuple[np.ndarray, np.ndarray]:
    """Distinct vote patterns and the number of rows each stands for.

    Up to ``_SAMPLE_ROWS`` rows: every distinct row with its count. Above: the distinct
    rows of an evenly spaced sample of ``_SAMPLE_ROWS`` rows (of the matrix, or of the
    rows a ``LabelStats`` summarises, in its canonical order), each count scaled by
    ``n / _SAMPLE_ROWS``.

    Returns
    -------
    rows : ndarray of shape (n_patterns, n_sources)
    counts : ndarray of shape (n_patterns,), float64
    """
    n = data.n_examples
    if n <= _SAMPLE_ROWS:
        rows, counts = data.patterns()
        return rows, counts.astype(np.float64)
    scale = n / _SAMPLE_ROWS
    positions = (np.arange(_SAMPLE_ROWS) * scale).astype(np.int64)
    if data.values is not None:
        rows, counts, _ = unique_rows(data.values[positions])
        return rows, counts.astype(np.float64) * scale
    rows, counts = data.patterns()
    ends = np.cumsum(counts)
    taken = np.bincount(np.searchsorted(ends, positions, side="right"), minlength=len(rows))
    keep = taken > 0
    return rows[keep], taken[keep].astype(np.float64) * scale
