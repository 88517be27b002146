"""The synthetic label-matrix generator: :func:`make_label_matrix` and its result.

Internal: :mod:`weaklabel.datasets.synthetic` is the public home of these names and
documents how a matrix is made (the sources' kinds and their vote distributions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from weaklabel.datasets._errors import Errors
from weaklabel.datasets._synthetic_params import (
    check_class_balance,
    check_count,
    check_fraction,
    check_interval,
    check_polarity,
    check_seed,
    is_number,
)
from weaklabel.errors import ParameterError

__all__ = ["SyntheticMatrix", "make_label_matrix"]

_MAX_CARDINALITY = 127  # class ids must fit in int8 next to -1
_COIN_FLIP_COVERAGE = (0.8, 0.95)
_COIN_FLIP_SLACK = 0.02
_ADVERSARIAL_FACTOR = (0.4, 0.8)
_ONE_SIDED_LIFT = 0.1  # a one-sided source's precision is at least pi + 0.1 (1 - pi)
_KINDS = ("regular", "coin_flip", "adversarial", "copy")


@dataclass(frozen=True, eq=False)
class SyntheticMatrix:
    """A synthetic label matrix, its gold labels and the true parameters of its sources.

    Attributes
    ----------
    L : ndarray of shape (n_examples, n_sources), dtype int8
        The votes: class ids ``0 .. cardinality-1``, ``-1`` where a source abstains.
    y : ndarray of shape (n_examples,), dtype int64
        The gold class of every row.
    cardinality : int
        Number of classes ``k``.
    class_balance : ndarray of shape (k,)
        The class shares the labels were drawn with (they sum to 1).
    vote_probs : ndarray of shape (n_sources, k, k)
        ``vote_probs[j, c, v]`` is the probability that source ``j`` votes ``v`` on a row
        of class ``c``; ``1 - vote_probs[j, c].sum()`` is its probability of abstaining
        there. For a copy, the distribution of its original (the copy is not independent
        of it).
    accuracy : ndarray of shape (n_sources,)
        Expected precision of each source: the probability that a vote is the true class.
    coverage : ndarray of shape (n_sources,)
        Expected share of the rows each source votes on (before ``full_coverage``).
    propensity : ndarray of shape (n_sources, k)
        Probability that each source votes on a row of each class.
    polarity : ndarray of shape (n_sources,), dtype int64
        ``-1`` for a two-sided source, else the one class a one-sided source votes for.
    copy_of : ndarray of shape (n_sources,), dtype int64
        Column of the source a copy repeats, ``-1`` for a source that is not a copy.
    kind : tuple of str
        ``"regular"``, ``"coin_flip"``, ``"adversarial"`` or ``"copy"``, per source.
    difficulty : ndarray of shape (n_examples,)
        Each row's difficulty ``z`` (all 0 unless ``hardness > 0``).
    """

    L: np.ndarray
    y: np.ndarray
    cardinality: int
    class_balance: np.ndarray
    vote_probs: np.ndarray
    polarity: np.ndarray
    copy_of: np.ndarray
    kind: tuple[str, ...]
    difficulty: np.ndarray

    @property
    def propensity(self) -> np.ndarray:
        """ndarray of shape (n_sources, k): probability of a vote on a row of each class."""
        return np.asarray(self.vote_probs.sum(axis=2))

    @property
    def coverage(self) -> np.ndarray:
        """ndarray of shape (n_sources,): expected share of the rows a source votes on."""
        return np.asarray(self.propensity @ self.class_balance)

    @property
    def accuracy(self) -> np.ndarray:
        """ndarray of shape (n_sources,): expected share of a source's votes that are right."""
        right = np.einsum("jcc,c->j", self.vote_probs, self.class_balance)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(np.where(self.coverage > 0, right / self.coverage, np.nan))

    @property
    def n_examples(self) -> int:
        """Number of rows."""
        return int(self.L.shape[0])

    @property
    def n_sources(self) -> int:
        """Number of sources (columns)."""
        return int(self.L.shape[1])

    def split(self, n_first: int) -> tuple[SyntheticMatrix, SyntheticMatrix]:
        """Split the rows into the first ``n_first`` and the rest.

        The rows are independent draws given the sources' parameters (the labels are
        shuffled), so the two parts are a train and a test set of the same "dataset".

        Parameters
        ----------
        n_first : int
            Rows in the first part, ``1 .. n_examples - 1``.

        Returns
        -------
        tuple of SyntheticMatrix
            The first ``n_first`` rows and the remaining rows, with the same parameters.
        """
        if not 0 < n_first < self.n_examples:
            raise ParameterError(Errors.E240.format(value=n_first, n=self.n_examples))
        head = replace(
            self, L=self.L[:n_first], y=self.y[:n_first], difficulty=self.difficulty[:n_first]
        )
        tail = replace(
            self, L=self.L[n_first:], y=self.y[n_first:], difficulty=self.difficulty[n_first:]
        )
        return head, tail

    def __repr__(self) -> str:
        kinds = {k: self.kind.count(k) for k in _KINDS if k in self.kind}
        return (
            f"SyntheticMatrix(n_examples={self.n_examples}, n_sources={self.n_sources}, "
            f"cardinality={self.cardinality}, kinds={kinds})"
        )


# ---------------------------------------------------------------------------- sources
def _two_sided(accuracy: np.ndarray, coverage: float, k: int) -> np.ndarray:
    """``(k, k)`` vote distribution of a two-sided source with per-class accuracies."""
    probs = np.empty((k, k))
    probs[:] = ((1.0 - accuracy) / (k - 1))[:, None]
    np.fill_diagonal(probs, accuracy)
    return coverage * probs


def _one_sided(
    c: int,
    precision: float,
    coverage: float,
    pi: np.ndarray,
    spread: float,
    rng: np.random.Generator,
    max_recall: float = 1.0,
) -> np.ndarray:
    """``(k, k)`` vote distribution of a source that only votes ``c``.

    Its coverage is cut so that it fires on at most ``max_recall`` of the rows of ``c``.
    """
    k = pi.size
    precision = max(precision, pi[c] + _ONE_SIDED_LIFT * (1.0 - pi[c]))
    precision = min(precision, 1.0)
    coverage = min(coverage, max_recall * pi[c] / precision)
    fire = np.empty(k)
    fire[c] = coverage * precision / pi[c]
    false_mass = coverage * (1.0 - precision)  # sum over c' != c of pi_c' q_c'
    others = np.flatnonzero(np.arange(k) != c)
    weights = np.exp(4.0 * spread * rng.standard_normal(others.size))
    fire[others] = false_mass * weights / (pi[others] @ weights)
    probs = np.zeros((k, k))
    probs[:, c] = np.minimum(fire, 1.0)
    return probs


_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(48)  # E over z ~ N(0, 1)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)))


def _offsets(p: np.ndarray, hardness: float) -> np.ndarray:
    """``mu`` with ``E[sigmoid(mu + hardness * z)] = p`` for ``z ~ N(0, 1)``, elementwise.

    The mean does not depend on the sign of ``hardness * z`` (``z`` is symmetric), so the
    same offsets serve rows made harder and rows made easier.
    """
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12)
    lo, hi = np.full(p.shape, -60.0), np.full(p.shape, 60.0)
    for _ in range(80):
        mu = (lo + hi) / 2
        mean = _sigmoid(mu[..., None] + hardness * _NODES) @ _WEIGHTS
        lo, hi = np.where(mean < p, mu, lo), np.where(mean < p, hi, mu)
    return (lo + hi) / 2


def _draw_votes(
    probs: np.ndarray,
    y: np.ndarray,
    rng: np.random.Generator,
    polarity: int = -1,
    z: np.ndarray | None = None,
    hardness: float = 0.0,
) -> np.ndarray:
    """One column of votes: row ``i`` votes ``v`` with probability ``probs[y_i, v]``.

    With ``hardness > 0`` and the rows' difficulties ``z``, that holds on average over the
    rows, and harder rows (larger ``z``) get more errors: a two-sided source is right less
    often there, a one-sided source (``polarity`` = its class) misses its class and fires
    on the other classes more often.
    """
    if z is not None and hardness > 0:
        return _draw_hard(probs, y, rng, polarity, z, hardness)
    k = probs.shape[0]
    fire_p = probs.sum(axis=1)
    column = np.full(y.size, -1, dtype=np.int8)
    fires = np.flatnonzero(rng.random(y.size) < fire_p[y])
    if fires.size:
        given = np.divide(
            probs, fire_p[:, None], out=np.zeros_like(probs), where=fire_p[:, None] > 0
        )
        cumulative = np.cumsum(given, axis=1)[y[fires]]
        u = rng.random(fires.size)[:, None]
        column[fires] = np.minimum((u >= cumulative).sum(axis=1), k - 1)
    return column


def _draw_hard(
    probs: np.ndarray,
    y: np.ndarray,
    rng: np.random.Generator,
    polarity: int,
    z: np.ndarray,
    hardness: float,
) -> np.ndarray:
    """:func:`_draw_votes` with errors that grow with the row's difficulty ``z``."""
    k = probs.shape[0]
    column = np.full(y.size, -1, dtype=np.int8)
    if polarity >= 0:
        fire = probs[:, polarity]
        sign = np.where(y == polarity, -1.0, 1.0)
        p = _sigmoid(_offsets(fire, hardness)[y] + sign * hardness * z)
        p[fire[y] <= 0] = 0.0
        column[rng.random(y.size) < p] = polarity
        return column
    fire = probs.sum(axis=1)
    fires = np.flatnonzero(rng.random(y.size) < fire[y])
    accuracy = np.divide(np.diagonal(probs), fire, out=np.zeros(k), where=fire > 0)
    yf = y[fires]
    right = rng.random(fires.size) < _sigmoid(
        _offsets(accuracy, hardness)[yf] - hardness * z[fires]
    )
    wrong = (yf + rng.integers(1, k, size=fires.size)) % k
    column[fires] = np.where(right, yf, wrong)
    return column


def make_label_matrix(
    n_examples: int,
    n_sources: int,
    *,
    cardinality: int = 2,
    class_balance: float | Sequence[float] | np.ndarray | None = None,
    coverage: float | tuple[float, float] = (0.05, 0.3),
    accuracy: float | tuple[float, float] = (0.6, 0.9),
    polarity: Literal["both", "one-sided"] | float = "both",
    class_accuracy_spread: float = 0.0,
    n_copies: int = 0,
    copy_noise: float = 0.0,
    n_coin_flip: int = 0,
    n_adversarial: int = 0,
    hardness: float = 0.0,
    full_coverage: bool = False,
    max_recall: float = 0.5,
    one_sided_classes: Literal["even", "balance"] = "even",
    seed: int = 0,
) -> SyntheticMatrix:
    """Draw a label matrix, its gold labels and its sources' parameters from a seed.

    Parameters
    ----------
    n_examples : int
        Number of rows ``n`` (at least ``cardinality``: every class gets a row).
    n_sources : int
        Number of sources ``m``, all kinds included: ``m - n_copies - n_coin_flip -
        n_adversarial`` regular sources (at least one) and the special ones.
    cardinality : int, default 2
        Number of classes ``k``, 2 to 127.
    class_balance : None, float or array-like of shape (k,), default None
        ``None``: balanced. A float ``p``: the smallest class's share, in ``(0, 1/k]``;
        binary gives ``[1 - p, p]`` (class 1 is the minority), more classes fall
        geometrically from class 0 to class ``k - 1``. An array: the class shares.
    coverage : float or (float, float), default (0.05, 0.3)
        Share of the rows each regular or adversarial source votes on, drawn uniformly per
        source from the range, in ``(0, 1]``.
    accuracy : float or (float, float), default (0.6, 0.9)
        Precision of each regular source (the share of its votes that are right), drawn
        uniformly per source from the range, in ``(0, 1]``.
    polarity : {"both", "one-sided"} or float, default "both"
        ``"both"``: regular sources vote any class; ``"one-sided"``: each votes one class
        only, with firing as a class-conditional propensity (see the module docstring); a
        float in ``[0, 1]``: that share of the regular sources (rounded) is one-sided.
    class_accuracy_spread : float, default 0.0
        How much a two-sided source's accuracy differs by class: each class's accuracy is
        the source's accuracy plus a uniform draw in ``[-spread, spread]`` (centred on the
        class balance so that the precision stays as drawn; clipped to ``[0, 1]``). For a
        one-sided source with ``k > 2`` it makes the false votes fall unevenly on the
        other classes. In ``[0, 1]``.
    n_copies : int, default 0
        Sources that copy a regular source (drawn at random, with replacement).
    copy_noise : float, default 0.0
        Share of the rows where a copy draws its vote afresh instead of copying, in
        ``[0, 1]``; 0 makes exact duplicates.
    n_coin_flip : int, default 0
        Broad sources at chance: two-sided, coverage 80-95%, accuracy ``1/k`` +- 0.02.
    n_adversarial : int, default 0
        Two-sided sources worse than chance: accuracy 0.4-0.8 times ``1/k``.
    hardness : float, default 0.0
        Errors shared across sources: each row gets a difficulty ``z ~ N(0, 1)`` and, the
        harder the row, the more often every source (but the coin flips) errs there -- a
        two-sided source is right with probability ``sigmoid(mu - hardness * z)``, a
        one-sided source fires on its class with ``sigmoid(mu - hardness * z)`` and on the
        others with ``sigmoid(mu' + hardness * z)`` -- with offsets ``mu`` set so that the
        average over rows stays as drawn (so do the reported parameters). The votes are
        then correlated given the class, which no copy detection removes. From 0
        (independent given the class) to 10; 1 is already strong.
    full_coverage : bool, default False
        Give every row at least one vote (tabular style), as in the module docstring.
    max_recall : float, default 0.5
        The largest share of the rows of its class a one-sided source fires on, in
        ``(0, 1]``: a source whose drawn coverage would need more (a broad source voting
        for a rare class) gets a smaller coverage. Labeling functions seldom find most of
        their class; with ``1.0`` every source voting for a 1% class fires on all of it, so
        that the silence of any one of them proves a row is not of that class and a model
        of abstains scores 100 F1 from it (the corpus before this knob did).
    one_sided_classes : {"even", "balance"}, default "even"
        Which class each one-sided source votes for: ``"even"`` deals them to the classes
        in turn, so a rare class gets as many sources as a common one (and a majority
        vote over-predicts it); ``"balance"`` gives each class a number of sources in
        proportion to its share of the rows, so the common class gets most of the votes
        and a majority vote under-predicts the rare one (as on WRENCH census).
    seed : int, default 0
        Seed of the one ``numpy.random.Generator`` everything is drawn from.

    Returns
    -------
    SyntheticMatrix
        ``L`` (int8, shape ``(n, m)``, ``-1`` = abstain), ``y`` (int64, shape ``(n,)``)
        and the true parameters: ``vote_probs``, ``accuracy``, ``coverage``,
        ``propensity``, ``polarity``, ``copy_of``, ``kind`` and ``class_balance``.

    Raises
    ------
    ParameterError
        When an argument is out of range; the message names it and the range.

    Examples
    --------
    >>> data = make_label_matrix(5000, 20, class_balance=0.1, polarity="one-sided",
    ...                          n_copies=2, n_coin_flip=1, seed=3)
    >>> data.L.shape, round(float(data.y.mean()), 2)
    ((5000, 20), 0.1)
    >>> sorted(set(data.kind))
    ['coin_flip', 'copy', 'regular']
    """
    n = check_count(n_examples, "n_examples", minimum=1)
    m = check_count(n_sources, "n_sources", minimum=1)
    k = check_count(cardinality, "cardinality", minimum=2)
    if k > _MAX_CARDINALITY:
        raise ParameterError(Errors.E249.format(value=k, limit=_MAX_CARDINALITY))
    if n < k:
        raise ParameterError(Errors.E245.format(n=n, k=k))
    pi = check_class_balance(class_balance, k)
    cov_lo, cov_hi = check_interval(coverage, "coverage")
    acc_lo, acc_hi = check_interval(accuracy, "accuracy")
    one_sided_share = check_polarity(polarity)
    spread = check_fraction(class_accuracy_spread, "class_accuracy_spread")
    recall_cap = check_fraction(max_recall, "max_recall")
    if one_sided_classes not in ("even", "balance"):
        raise _bad_argument("one_sided_classes", '"even" or "balance"', one_sided_classes)
    if recall_cap <= 0:
        raise _bad_argument("max_recall", "a number in (0, 1]", max_recall)
    copy_eps = check_fraction(copy_noise, "copy_noise")
    counts = {
        "n_copies": check_count(n_copies, "n_copies", minimum=0),
        "n_coin_flip": check_count(n_coin_flip, "n_coin_flip", minimum=0),
        "n_adversarial": check_count(n_adversarial, "n_adversarial", minimum=0),
    }
    n_regular = m - sum(counts.values())
    if n_regular < 1:
        raise ParameterError(Errors.E246.format(m=m, **counts))
    if not is_number(hardness) or not 0 <= hardness <= 10:
        raise ParameterError(Errors.E252.format(value=hardness))
    if not isinstance(full_coverage, bool | np.bool_):
        raise _bad_argument("full_coverage", "True or False", full_coverage)

    rng = np.random.default_rng(check_seed(seed))
    # gold labels: exact counts (largest remainder, at least one row per class), shuffled
    y = rng.permutation(_shares(pi, n, minimum=1))
    h = float(hardness)
    z = rng.standard_normal(n) if h > 0 else np.zeros(n)  # drawn only when used

    # parameters of the non-copy sources, in the order regular, coin flip, adversarial
    n_base = m - counts["n_copies"]
    probs = np.zeros((m, k, k))
    polarity_of = np.full(m, -1, dtype=np.int64)
    kinds: list[str] = []
    n_one_sided = round(one_sided_share * n_regular)
    one_sided = np.zeros(n_regular, dtype=bool)
    one_sided[rng.permutation(n_regular)[:n_one_sided]] = True
    start = int(rng.integers(k))
    if one_sided_classes == "balance":  # as many sources per class as its share of rows
        dealt_classes = rng.permutation(_shares(pi, n_one_sided))
    else:
        dealt_classes = (start + np.arange(n_one_sided)) % k
    dealt = 0
    for j in range(n_regular):
        cov = rng.uniform(cov_lo, cov_hi)
        acc = rng.uniform(acc_lo, acc_hi)
        if one_sided[j]:
            c = int(dealt_classes[dealt])
            dealt += 1
            probs[j] = _one_sided(c, acc, cov, pi, spread, rng, recall_cap)
            polarity_of[j] = c
        else:
            shift = rng.uniform(-spread, spread, k)
            per_class = np.clip(acc + shift - pi @ shift, 0.0, 1.0)
            probs[j] = _two_sided(per_class, cov, k)
        kinds.append("regular")
    j = n_regular
    for _ in range(counts["n_coin_flip"]):
        acc = 1.0 / k + rng.uniform(-_COIN_FLIP_SLACK, _COIN_FLIP_SLACK)
        probs[j] = _two_sided(np.full(k, acc), rng.uniform(*_COIN_FLIP_COVERAGE), k)
        kinds.append("coin_flip")
        j += 1
    for _ in range(counts["n_adversarial"]):
        acc = rng.uniform(*_ADVERSARIAL_FACTOR) / k
        probs[j] = _two_sided(np.full(k, acc), rng.uniform(cov_lo, cov_hi), k)
        kinds.append("adversarial")
        j += 1

    L = np.full((n, m), -1, dtype=np.int8)
    for j in range(n_base):
        hard = h if kinds[j] != "coin_flip" else 0.0
        L[:, j] = _draw_votes(probs[j], y, rng, int(polarity_of[j]), z, hard)

    if full_coverage:
        empty = np.flatnonzero((L[:, :n_base] == -1).all(axis=1))
        _cover_rows(L, empty, probs[:n_regular], y, rng)

    copy_of = np.full(m, -1, dtype=np.int64)
    for j in range(n_base, m):
        original = int(rng.integers(n_regular))
        copy_of[j] = original
        probs[j] = probs[original]
        polarity_of[j] = polarity_of[original]
        L[:, j] = L[:, original]
        redraw = np.flatnonzero(rng.random(n) < copy_eps)
        if redraw.size:
            L[redraw, j] = _draw_votes(
                probs[original], y[redraw], rng, int(polarity_of[original]), z[redraw], h
            )
        kinds.append("copy")

    perm = rng.permutation(m)
    position = np.empty(m, dtype=np.int64)
    position[perm] = np.arange(m)
    copy_of = np.where(copy_of >= 0, position[np.maximum(copy_of, 0)], -1)
    return SyntheticMatrix(
        L=np.ascontiguousarray(L[:, perm]),
        y=y,
        cardinality=k,
        class_balance=pi,
        vote_probs=probs[perm],
        polarity=polarity_of[perm],
        copy_of=copy_of[perm],
        kind=tuple(kinds[p] for p in perm),
        difficulty=z,
    )


def _shares(pi: np.ndarray, total: int, minimum: int = 0) -> np.ndarray:
    """``total`` class ids, as many of each class as its share ``pi`` (largest remainder).

    Each class gets at least ``minimum`` (taken from the largest classes when needed).

    Returns
    -------
    ndarray of shape (total,), dtype int64, sorted by class
    """
    raw = pi * total
    whole = np.floor(raw)
    sizes = np.maximum(whole.astype(np.int64), minimum)
    while sizes.sum() > total:
        sizes[np.argmax(sizes)] -= 1
    order = np.argsort(-(raw - whole), kind="stable")
    sizes[order[: total - int(sizes.sum())]] += 1
    return np.repeat(np.arange(pi.size, dtype=np.int64), sizes)


def _bad_argument(param: str, expected: str, value: object) -> ParameterError:
    """The [E060] error of :func:`make_label_matrix` for one argument."""
    return ParameterError(
        Errors.E060.format(name="make_label_matrix", param=param, expected=expected, value=value)
    )


def _cover_rows(
    L: np.ndarray, rows: np.ndarray, probs: np.ndarray, y: np.ndarray, rng: np.random.Generator
) -> None:
    """Give each of ``rows`` one vote from one of the first ``len(probs)`` sources, in place.

    The source is drawn in proportion to its firing propensity on the row's class, and its
    vote from its vote distribution given that it fires there.
    """
    k = probs.shape[1]
    fire = probs.sum(axis=2)  # (n_sources, k)
    for c in np.unique(y[rows]):
        of_c = rows[y[rows] == c]
        weights = fire[:, c] if fire[:, c].sum() > 0 else np.ones(fire.shape[0])
        chosen = rng.choice(weights.size, size=of_c.size, p=weights / weights.sum())
        for j in np.unique(chosen):
            target = of_c[chosen == j]
            if fire[j, c] > 0:
                L[target, j] = rng.choice(k, size=target.size, p=probs[j, c] / fire[j, c])
            else:  # no source ever fires on class c: a uniform vote
                L[target, j] = rng.integers(k, size=target.size)
