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
  least ``pi_c + 0.1 (1 - pi_c)``) and fires on at most ``max_recall`` (default 0.5) of
  the rows of its class (``r <= max_recall`` caps the coverage at ``max_recall * pi_c /
  accuracy``): labeling functions seldom find most of their class, and a source that
  finds all of a rare class makes silence a perfect witness (a model of abstains then
  scores 100 F1, which no real set allows). The classes are dealt to the one-sided
  sources in turn, from a random start, so each class gets as many sources
  (``one_sided_classes="even"``), or in proportion to the classes' shares
  (``"balance"``), so that the common class casts most of the votes.
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

from weaklabel.datasets._synthetic_corpus import SHAPES, CorpusItem, corpus
from weaklabel.datasets._synthetic_matrix import SyntheticMatrix, make_label_matrix

__all__ = [
    "SHAPES",
    "CorpusItem",
    "SyntheticMatrix",
    "corpus",
    "make_label_matrix",
]
# The generator and the corpus are written in two private modules
# (weaklabel.datasets._synthetic_matrix, weaklabel.datasets._synthetic_corpus); this
# module is their public home and documents both.
