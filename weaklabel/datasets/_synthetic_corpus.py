"""The synthetic corpus: hundreds of named label matrices over a grid of hard shapes.

Internal: :mod:`weaklabel.datasets.synthetic` is the public home of :func:`corpus`,
:class:`CorpusItem` and :data:`SHAPES`. Each item is a recipe (keyword arguments of
:func:`~weaklabel.datasets.synthetic.make_label_matrix`), drawn only when asked.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from weaklabel.datasets._errors import Errors
from weaklabel.datasets._synthetic_matrix import SyntheticMatrix, make_label_matrix
from weaklabel.datasets._synthetic_params import check_seed
from weaklabel.errors import ParameterError

__all__ = ["SHAPES", "CorpusItem", "corpus"]

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
every row covered; half the replicates deal the sources evenly to the two classes, half
in proportion to the classes' shares, so that the common class casts most votes as on
WRENCH census), ``like-relation-10class`` (10 relation classes, 26 one-sided
sources), ``like-hub`` (a broad two-sided source at chance with coverage ~0.9 among a few
good one-sided ones) and ``like-lowcov-imbalanced`` (8-13% positive, 65-82% of the rows
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

    def knob_family(shape: str, knob: str, tag: str, values: tuple[float, ...], acc: Any) -> None:
        """One knob's values x 2 or 4 classes x both polarities x 10 or 40 sources."""
        for value in values:
            knob_value: dict[str, Any] = {knob: value}
            for k in (2, 4):
                for pol in ("both", "one-sided"):
                    for m in (10, 40):
                        add(
                            shape,
                            f"{tag}{value}-k{k}-m{m}-{pol}",
                            6_000,
                            n_sources=m,
                            cardinality=k,
                            **knob_value,
                            polarity=pol,
                            coverage=_coverage(2.0, m),
                            accuracy=acc,
                        )

    knob_family("class-dependent", "class_accuracy_spread", "s", (0.15, 0.3), (0.55, 0.9))
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
    knob_family("correlated", "hardness", "h", (0.5, 1.0, 2.0), (0.6, 0.9))
    for k in (2, 4):  # broad sources at chance, and sources under chance, on one grid
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
            one_sided_classes=("even", "balance")[r // 4],
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
    seed = check_seed(seed)
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
