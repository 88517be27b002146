"""Synthetic label matrices: seeded classification votes from sources of known quality.

Use :func:`make_label_matrix` to test or tune a label model where the truth is known and
each hard shape of real weak supervision is a knob: class imbalance, many classes,
sparse coverage, sources that only ever vote for one class (*one-sided*), accuracy that
differs by class, copies and near-copies of a source, broad sources that vote at chance,
sources worse than chance, and tabular-style matrices where every row gets a vote. Use
:func:`corpus` to get hundreds of such matrices over a grid of shapes, each tagged with
its family, so that a label model is judged on many shapes at once rather than tuned to
one dataset::

    >>> from weaklabel.datasets.synthetic import corpus, make_label_matrix
    >>> data = make_label_matrix(1000, 8, cardinality=3, polarity="one-sided", seed=0)
    >>> data.L.shape, data.L.dtype, data.y.shape
    ((1000, 8), dtype('int8'), (1000,))
    >>> items = corpus(size="small")
    >>> train, test = items[0].generate()

How a matrix is made. The gold labels ``y`` are drawn with exact class counts (the class
balance times ``n_examples``, rounded) and shuffled. Given ``y``, sources vote
independently of each other (except copies, below), each by its own conditional
distribution ``vote_probs[j, c, v] = P(source j votes v | y = c)`` (the rest of the mass
is abstaining):

- A **two-sided** source fires on a share ``coverage`` of the rows whatever their class,
  votes the true class with probability ``accuracy`` (per class, with
  ``class_accuracy_spread``) and another class uniformly otherwise.
- A **one-sided** source for class ``c`` only ever votes ``c``. It fires on rows of class
  ``c`` with probability ``r`` and on rows of another class with a smaller probability
  ``q``, chosen so that it fires on a share ``coverage`` of all rows and its precision is
  ``accuracy``: ``r = coverage * accuracy / pi_c``, ``q = coverage * (1 - accuracy) / (1 -
  pi_c)``. Firing is a class-conditional propensity, as for a keyword that appears more
  often in one class, not a vote that is "right with probability accuracy". A one-sided
  source is always better than its class's base rate (the precision is raised to at
  least ``pi_c + 0.1 (1 - pi_c)``) and cannot fire on more than every row of its class
  (``r <= 1`` caps the coverage at ``pi_c / accuracy``). The classes are dealt to the
  one-sided sources in turn, from a random start, so each class gets its share.
- A **coin-flip** source (``n_coin_flip``) is two-sided and broad: coverage 80-95%,
  accuracy within 0.02 of chance (``1 / cardinality``).
- An **adversarial** source (``n_adversarial``) is two-sided with an accuracy under
  chance: 0.4 to 0.8 times ``1 / cardinality``.
- A **copy** (``n_copies``) repeats the votes (and abstains) of a regular source drawn at
  random (several copies may repeat the same one); with ``copy_noise`` ``e``, each row's
  vote is instead drawn afresh from the original's conditional distribution with
  probability ``e``. A copy has the parameters of its original but is not independent of
  it given ``y``: the dependency a label model should not count twice.
- With ``hardness > 0`` every row gets a difficulty ``z ~ N(0, 1)`` shared by all sources
  (but the coin flips), and sources err more on harder rows, with the averages over rows
  kept as drawn: votes are correlated given ``y`` without being copies, as when some
  texts are ambiguous for every heuristic.

With ``full_coverage=True`` (tabular style), every row that no regular source voted on
gets one vote, from a regular source drawn in proportion to its firing propensity on the
row's class and drawn from that source's votes; the reported parameters are those before
this step (the coverage of each source then rises a little). Finally the columns are
shuffled, so that no property of a source depends on its position.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from weaklabel.datasets._errors import Errors
from weaklabel.errors import ParameterError

__all__ = [
    "SHAPES",
    "CorpusItem",
    "SyntheticMatrix",
    "corpus",
    "make_label_matrix",
]

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


# ---------------------------------------------------------------------------- validation
def _count(value: Any, name: str, *, minimum: int) -> int:
    """``value`` as an int, when it is an integer ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ParameterError(Errors.E241.format(name=name, minimum=minimum, value=value))
    return int(value)


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float | np.integer | np.floating)


def _interval(value: Any, name: str) -> tuple[float, float]:
    """A number or a (low, high) pair with ``0 < low <= high <= 1``, as a pair."""
    if _is_number(value):
        pair: tuple[Any, ...] = (value, value)
    elif isinstance(value, tuple | list | np.ndarray) and len(value) == 2:
        pair = tuple(value)
    else:
        pair = ()
    if len(pair) != 2 or not all(_is_number(v) for v in pair) or not 0 < pair[0] <= pair[1] <= 1:
        raise ParameterError(Errors.E242.format(name=name, value=value))
    return float(pair[0]), float(pair[1])


def _fraction(value: Any, name: str) -> float:
    """A number in ``[0, 1]``."""
    if not _is_number(value) or not 0 <= value <= 1:
        raise ParameterError(Errors.E247.format(name=name, value=value))
    return float(value)


def _class_balance(value: Any, k: int) -> np.ndarray:
    """The class shares of ``class_balance`` (None, a minority share or an array)."""
    if value is None:
        return np.full(k, 1.0 / k)
    if _is_number(value):
        p = float(value)
        if not 0.0 < p <= 1.0 / k:
            raise ParameterError(
                Errors.E243.format(value=value, problem=f"a minority share must be in (0, 1/{k}]")
            )
        return _geometric_shares(p, k)
    try:
        shares = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        shares = np.empty(0)
    if (
        shares.shape != (k,)
        or not np.all(np.isfinite(shares))
        or np.any(shares <= 0)
        or abs(shares.sum() - 1.0) > 1e-6
    ):
        raise ParameterError(
            Errors.E243.format(
                value=value, problem=f"an array needs {k} positive shares that sum to 1"
            )
        )
    return np.asarray(shares / shares.sum())


def _geometric_shares(p: float, k: int) -> np.ndarray:
    """Shares falling geometrically from class 0 to class k-1, the last one being ``p``."""
    if k == 2:
        return np.array([1.0 - p, p])
    if abs(p - 1.0 / k) < 1e-12:
        return np.full(k, 1.0 / k)
    # shares ratio**c / sum: find the ratio in (0, 1) whose last share is p
    lo, hi = 0.0, 1.0
    for _ in range(200):
        ratio = (lo + hi) / 2
        powers = ratio ** np.arange(k)
        if powers[-1] / powers.sum() < p:
            lo = ratio
        else:
            hi = ratio
    powers = ((lo + hi) / 2) ** np.arange(k)
    return np.asarray(powers / powers.sum())


def _polarity_share(value: Any) -> float:
    """The share of one-sided regular sources that ``polarity`` asks for."""
    if isinstance(value, str) and value in ("both", "one-sided"):
        return 0.0 if value == "both" else 1.0
    if _is_number(value) and 0 <= value <= 1:
        return float(value)
    raise ParameterError(Errors.E244.format(value=value))


def _seed(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ParameterError(Errors.E248.format(value=value))
    return int(value)


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
) -> np.ndarray:
    """``(k, k)`` vote distribution of a source that only votes ``c``."""
    k = pi.size
    precision = max(precision, pi[c] + _ONE_SIDED_LIFT * (1.0 - pi[c]))
    precision = min(precision, 1.0)
    coverage = min(coverage, pi[c] / precision)  # it cannot fire on more than all of c
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
    n = _count(n_examples, "n_examples", minimum=1)
    m = _count(n_sources, "n_sources", minimum=1)
    k = _count(cardinality, "cardinality", minimum=2)
    if k > _MAX_CARDINALITY:
        raise ParameterError(Errors.E249.format(value=k, limit=_MAX_CARDINALITY))
    if n < k:
        raise ParameterError(Errors.E245.format(n=n, k=k))
    pi = _class_balance(class_balance, k)
    cov_lo, cov_hi = _interval(coverage, "coverage")
    acc_lo, acc_hi = _interval(accuracy, "accuracy")
    one_sided_share = _polarity_share(polarity)
    spread = _fraction(class_accuracy_spread, "class_accuracy_spread")
    copy_eps = _fraction(copy_noise, "copy_noise")
    counts = {
        "n_copies": _count(n_copies, "n_copies", minimum=0),
        "n_coin_flip": _count(n_coin_flip, "n_coin_flip", minimum=0),
        "n_adversarial": _count(n_adversarial, "n_adversarial", minimum=0),
    }
    n_regular = m - sum(counts.values())
    if n_regular < 1:
        raise ParameterError(Errors.E246.format(m=m, **counts))
    if not _is_number(hardness) or not 0 <= hardness <= 10:
        raise ParameterError(Errors.E252.format(value=hardness))
    if not isinstance(full_coverage, bool | np.bool_):
        raise ParameterError(Errors.E250.format(name="full_coverage", value=full_coverage))

    rng = np.random.default_rng(_seed(seed))
    # gold labels: exact counts (largest remainder, at least one row per class), shuffled
    raw = pi * n
    sizes = np.maximum(np.floor(raw).astype(np.int64), 1)
    while sizes.sum() > n:
        sizes[np.argmax(sizes)] -= 1
    order = np.argsort(-(raw - np.floor(raw)), kind="stable")
    sizes[order[: n - sizes.sum()]] += 1
    y = rng.permutation(np.repeat(np.arange(k, dtype=np.int64), sizes))
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
    dealt = 0
    for j in range(n_regular):
        cov = rng.uniform(cov_lo, cov_hi)
        acc = rng.uniform(acc_lo, acc_hi)
        if one_sided[j]:
            c = (start + dealt) % k
            dealt += 1
            probs[j] = _one_sided(c, acc, cov, pi, spread, rng)
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


# ---------------------------------------------------------------------------- corpus
SHAPES: tuple[str, ...] = (
    "baseline",
    "imbalanced",
    "many-class",
    "sparse",
    "one-sided",
    "class-dependent",
    "copies",
    "correlated",
    "coin-flip",
    "adversarial",
    "tabular",
    "like-sparse-9class",
    "like-tabular-census",
    "like-relation-10class",
    "like-hub",
    "like-lowcov-imbalanced",
)
"""The families of :func:`corpus`, in the order it yields them.

``baseline`` (binary, balanced, two-sided sources), ``imbalanced`` (binary, minority
1-25%), ``many-class`` (3-20 classes), ``sparse`` (100-500 sources with coverage
0.05-3%), ``one-sided``, ``class-dependent`` (accuracy that differs by class),
``copies`` (exact and near copies), ``correlated`` (errors shared through the rows'
difficulty, ``hardness`` 0.5-2), ``coin-flip`` (broad sources at chance),
``adversarial`` (sources under chance), ``tabular`` (every row covered); and look-alikes
of five shapes where label models fail in practice: ``like-sparse-9class`` (9 classes,
164 one-sided sources each on 0.2-1% of the rows, about 74% of the rows with exactly one
vote), ``like-tabular-census`` (24% positive, 83 one-sided sources on 2-8% of the rows,
every row covered), ``like-relation-10class`` (10 relation classes, 26 one-sided
sources), ``like-hub`` (a broad two-sided source at chance with coverage ~0.9 among a few
good one-sided ones) and ``like-lowcov-imbalanced`` (8-13% positive, 60-75% of the rows
with no vote, a few one-sided sources of modest precision, scored by F1). Half of the
look-alikes' replicates add ``hardness=1``: real sources share their errors.
"""


@dataclass(frozen=True)
class CorpusItem:
    """One named matrix of :func:`corpus`: how to draw it and how to score it.

    Attributes
    ----------
    name : str
        Unique within the corpus, e.g. ``"imbalanced/p0.03-m10-both"``.
    shape : str
        The family (one of :data:`SHAPES`), for reporting results per family.
    metric : {"accuracy", "f1"}
        How a label model's predictions should be scored: accuracy, or F1 of class 1 (the
        minority class of an imbalanced binary matrix).
    n_train, n_test : int
        Rows of the train and the test part.
    params : dict
        Keyword arguments of :func:`make_label_matrix` (``seed`` included), without
        ``n_examples``, which is ``n_train + n_test``.
    """

    name: str
    shape: str
    metric: str
    n_train: int
    n_test: int
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def cardinality(self) -> int:
        """Number of classes."""
        return int(self.params.get("cardinality", 2))

    def generate(self) -> tuple[SyntheticMatrix, SyntheticMatrix]:
        """Draw the matrix (always the same for this item) and split it.

        Returns
        -------
        tuple of SyntheticMatrix
            The train part (``n_train`` rows) and the test part (``n_test`` rows): rows of
            one draw, so the sources have the same parameters in both.
        """
        data = make_label_matrix(self.n_train + self.n_test, **self.params)
        return data.split(self.n_train)


def _item_seed(seed: int, name: str) -> int:
    """A seed that depends only on the corpus seed and the item's name."""
    state = np.random.SeedSequence([seed, zlib.crc32(name.encode("utf-8"))])
    return int(state.generate_state(1)[0])


def _coverage(votes_per_row: float, m: int) -> tuple[float, float]:
    """A per-source coverage range giving about ``votes_per_row`` votes per row in all."""
    mean = votes_per_row / m
    return round(min(0.5 * mean, 0.6), 6), round(min(1.5 * mean, 0.9), 6)


def _grid() -> list[tuple[str, str, str, int, dict[str, Any]]]:
    """(shape, name, metric, rows, params) of every item of the full corpus.

    The generic families set coverage by the expected number of votes per row (0.25 to 4)
    rather than per source, so that adding sources does not make a matrix easy.
    """
    items: list[tuple[str, str, str, int, dict[str, Any]]] = []

    def add(shape: str, name: str, rows: int, metric: str = "accuracy", **params: Any) -> None:
        items.append((shape, f"{shape}/{name}", metric, rows, params))

    for m in (5, 10, 30, 100):
        for lam in (1.0, 3.0):
            for acc in ((0.55, 0.75), (0.6, 0.95)):
                add(
                    "baseline",
                    f"m{m}-votes{lam}-acc{acc[0]}-{acc[1]}",
                    8_000 if m >= 30 else 4_000,
                    n_sources=m,
                    coverage=_coverage(lam, m),
                    accuracy=acc,
                )
    for p in (0.01, 0.03, 0.1, 0.25):
        for m in (10, 40):
            for pol in ("both", 0.5, "one-sided"):
                add(
                    "imbalanced",
                    f"p{p}-m{m}-{pol if isinstance(pol, str) else 'mixed'}",
                    16_000 if p < 0.05 else 8_000,
                    "f1",
                    n_sources=m,
                    class_balance=p,
                    polarity=pol,
                    coverage=_coverage(2.0, m),
                    accuracy=(0.6, 0.9),
                )
    for k in (3, 5, 10, 20):
        for m in (10, 30, 100):
            for balance in ("balanced", "skewed"):
                add(
                    "many-class",
                    f"k{k}-m{m}-{balance}",
                    6_000 if k <= 5 else 4_000,
                    n_sources=m,
                    cardinality=k,
                    class_balance=None if balance == "balanced" else 0.3 / k,
                    coverage=_coverage(2.0, m),
                    accuracy=(0.3, 0.8),
                )
    for k, sizes in ((2, (100, 300, 500)), (4, (100, 300))):
        for m in sizes:
            for lam in (0.25, 0.7, 1.5):
                add(
                    "sparse",
                    f"k{k}-m{m}-votes{lam}",
                    16_000 if k == 2 else 10_000,
                    n_sources=m,
                    cardinality=k,
                    coverage=_coverage(lam, m),
                    accuracy=(0.55, 0.95),
                    polarity=0.5,
                )
    for k in (2, 3, 6, 9):
        for m in (10, 50, 150):
            for pol in ("one-sided", 0.5):
                add(
                    "one-sided",
                    f"k{k}-m{m}-{'all' if pol == 'one-sided' else 'half'}",
                    8_000 if m < 150 else 12_000,
                    n_sources=m,
                    cardinality=k,
                    polarity=pol,
                    coverage=_coverage(2.0, m),
                    accuracy=(0.5, 0.95),
                )
    for spread in (0.15, 0.3):
        for k in (2, 4):
            for pol in ("both", "one-sided"):
                for m in (10, 40):
                    add(
                        "class-dependent",
                        f"s{spread}-k{k}-m{m}-{pol}",
                        6_000,
                        n_sources=m,
                        cardinality=k,
                        class_accuracy_spread=spread,
                        polarity=pol,
                        coverage=_coverage(2.0, m),
                        accuracy=(0.55, 0.9),
                    )
    for k in (2, 5):
        for m in (10, 30):
            for share in (0.2, 0.5):
                for noise in (0.0, 0.1):
                    n_copies = round(share * m)
                    add(
                        "copies",
                        f"k{k}-m{m}-copies{share}-noise{noise}",
                        6_000,
                        n_sources=m,
                        cardinality=k,
                        n_copies=n_copies,
                        copy_noise=noise,
                        coverage=_coverage(2.0, m - n_copies),
                        accuracy=(0.55, 0.9),
                    )
    for hardness in (0.5, 1.0, 2.0):
        for k in (2, 4):
            for pol in ("both", "one-sided"):
                for m in (10, 40):
                    add(
                        "correlated",
                        f"h{hardness}-k{k}-m{m}-{pol}",
                        6_000,
                        n_sources=m,
                        cardinality=k,
                        hardness=hardness,
                        polarity=pol,
                        coverage=_coverage(2.0, m),
                        accuracy=(0.6, 0.9),
                    )
    for k in (2, 4):
        for m in (5, 20, 60):
            for n_flip in (1, 3):
                add(
                    "coin-flip",
                    f"k{k}-m{m}-flips{n_flip}",
                    4_000,
                    n_sources=m,
                    cardinality=k,
                    n_coin_flip=n_flip,
                    coverage=_coverage(1.5, max(m - n_flip, 1)),
                    accuracy=(0.6, 0.9),
                    polarity=0.5,
                )
    for k in (2, 4):
        for m in (5, 20, 60):
            for share in (0.1, 0.3):
                add(
                    "adversarial",
                    f"k{k}-m{m}-adv{share}",
                    4_000,
                    n_sources=m,
                    cardinality=k,
                    n_adversarial=max(1, round(share * m)),
                    coverage=_coverage(2.0, m),
                    accuracy=(0.6, 0.9),
                )
    for k in (2, 3):
        for m in (20, 80):
            for pol in ("one-sided", 0.5):
                for minority in (None, 0.2):
                    add(
                        "tabular",
                        f"k{k}-m{m}-{'all' if pol == 'one-sided' else 'half'}-"
                        f"{'balanced' if minority is None else 'minority0.2'}",
                        6_000,
                        "f1" if k == 2 and minority else "accuracy",
                        n_sources=m,
                        cardinality=k,
                        class_balance=minority,
                        polarity=pol,
                        coverage=(0.02, 0.08),
                        accuracy=(0.55, 0.9),
                        full_coverage=True,
                    )
    # look-alikes of the failure shapes, with the unknown details varied by replicate
    accuracies = ((0.5, 0.95), (0.4, 0.85), (0.6, 0.9), (0.45, 0.8))
    for r in range(8):
        acc = accuracies[r % 4]
        hard: dict[str, Any] = {"hardness": 1.0} if (r // 2) % 2 else {}
        add(
            "like-sparse-9class",
            f"r{r}",
            8_000,
            n_sources=164,
            cardinality=9,
            class_balance=(None, 0.04)[r % 2],
            polarity="one-sided",
            coverage=(0.002, 0.01),
            accuracy=acc,
            class_accuracy_spread=0.2 * (r // 4),
            full_coverage=True,
            **hard,
        )
        add(
            "like-tabular-census",
            f"r{r}",
            8_000,
            "f1",
            n_sources=83,
            class_balance=0.24,
            polarity="one-sided",
            coverage=(0.02, 0.09),
            accuracy=acc,
            full_coverage=True,
            **hard,
        )
        add(
            "like-relation-10class",
            f"r{r}",
            4_000,
            n_sources=26,
            cardinality=10,
            class_balance=(0.02, 0.05)[r % 2],
            polarity=(1.0, 0.8)[r // 4],
            coverage=((0.01, 0.08), (0.02, 0.12))[r % 2],
            accuracy=acc,
            class_accuracy_spread=0.2,
            **hard,
        )
        add(
            "like-hub",
            f"r{r}",
            4_000,
            n_sources=3 + r % 4 + 1,
            class_balance=(None, 0.3)[r // 4],
            polarity="one-sided",
            coverage=(0.05, 0.2),
            accuracy=(0.75, 0.95),
            n_coin_flip=1,
            **hard,
        )
        add(
            "like-lowcov-imbalanced",
            f"r{r}",
            10_000,
            "f1",
            n_sources=3 + r % 4 * 2,
            class_balance=(0.08, 0.1, 0.13)[r % 3],
            polarity=(1.0, 0.8)[r // 4],
            coverage=(0.15 / (3 + r % 4 * 2), 0.65 / (3 + r % 4 * 2)),
            accuracy=(0.3, 0.8),
            **hard,
        )
    return items


def corpus(seed: int = 0, size: Literal["full", "small"] = "full") -> list[CorpusItem]:
    """A seeded corpus of named synthetic matrices over a grid of hard shapes.

    Parameters
    ----------
    seed : int, default 0
        Corpus seed; each item's seed is derived from it and the item's name, so an item
        stays the same when other items are added to the grid.
    size : {"full", "small"}, default "full"
        ``"full"``: 239 items of 4,000 to 20,000 rows (half train, half test), small
        enough for every label model to run on all of them in minutes. ``"small"``: every
        fourth item of each family (at least two per family), with at most 4,000 rows, for
        quick iterations.

    Returns
    -------
    list of CorpusItem
        In the order of :data:`SHAPES`; call ``item.generate()`` for the (train, test)
        matrices. Items are recipes, not matrices, so the list is cheap to build.

    Raises
    ------
    ParameterError
        When ``seed`` is not a non-negative integer or ``size`` is not one of the two.

    Examples
    --------
    >>> items = corpus(size="small")
    >>> sorted({item.shape for item in items}) == sorted(SHAPES)
    True
    >>> train, test = items[0].generate()
    >>> train.L.shape[1] == test.L.shape[1]
    True
    """
    seed = _seed(seed)
    if size not in ("full", "small"):
        raise ParameterError(Errors.E251.format(value=size))
    out: list[CorpusItem] = []
    per_shape: dict[str, int] = {}
    grid = sorted(_grid(), key=lambda entry: SHAPES.index(entry[0]))  # stable: grid order
    for shape, name, metric, rows, params in grid:
        index = per_shape.get(shape, 0)
        per_shape[shape] = index + 1
        if size == "small":
            if index % 4 and index >= 2:
                continue
            rows = min(rows, 4_000)
        n_test = rows // 2
        out.append(
            CorpusItem(
                name=name,
                shape=shape,
                metric=metric,
                n_train=rows - n_test,
                n_test=n_test,
                params={**params, "seed": _item_seed(seed, name)},
            )
        )
    return out
