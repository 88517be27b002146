"""The end-to-end demo behind ``weaklabel demo``: reviews → sources → label model → files.

Use it to see the whole classification flow run offline on the review corpus that ships
with the package (:func:`weaklabel.datasets.demo.load_demo_reviews`), or as a template
for your own script: define sources, apply them, read the source summary, fit a label
model, compare it with majority vote, write the labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from weaklabel.labels import ABSTAIN
from weaklabel.matrix import LabelMatrix
from weaklabel.sources.base import Row, Source
from weaklabel.sources.function import labeling_function
from weaklabel.sources.keyword import keyword_source, regex_source
from weaklabel.sources.lexicon import Lexicon

if TYPE_CHECKING:
    import pandas as pd

    from weaklabel.augment.base import Augmenter

NEGATIVE, POSITIVE = "NEGATIVE", "POSITIVE"

_STARS = re.compile(r"\b(one|two|three|four|five|[1-5])[- ]stars?\b", re.IGNORECASE)
_STAR_VALUES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


@labeling_function()
def star_rating(x: Row) -> str | int:
    """Votes by an explicit star rating: 4-5 stars positive, 1-2 negative."""
    match = _STARS.search(x.text)
    if match is None:
        return ABSTAIN
    word = match.group(1).lower()
    stars = _STAR_VALUES.get(word) or int(word)
    if stars >= 4:
        return POSITIVE
    return NEGATIVE if stars <= 2 else ABSTAIN


@labeling_function()
def still_going(x: Row) -> str | int:
    """Durability praise: "still works", "still hot at lunchtime", unless negated."""
    text = x.text.lower()
    if re.search(
        r"\bstill\s+(?:works?|working|going|hot|cold|holds?|holding|looks?|runs?)\b", text
    ):
        return ABSTAIN if re.search(r"\b(?:not|n't|never)\b", text) else POSITIVE
    return ABSTAIN


def demo_sources() -> list[Source]:
    """The sources the demo applies: keywords, regexes, functions and VADER's lexicon."""
    return [
        keyword_source(
            ["love", "best", "great", "perfect", "excellent", "fantastic", "amazing", "stunning"],
            POSITIVE,
            name="kw_praise",
        ),
        keyword_source(
            ["easy", "friendly", "clean", "fresh", "smooth", "quiet", "comfortable", "attentive"],
            POSITIVE,
            name="kw_qualities",
        ),
        keyword_source(
            ["highly recommend", "worth every", "works great", "well made", "like new"],
            POSITIVE,
            name="kw_endorse",
        ),
        keyword_source(
            [
                "refund",
                "returned",
                "broke",
                "broken",
                "fell off",
                "fell apart",
                "peeled",
                "stopped working",
                "leaked",
                "cracked",
                "died",
            ],
            NEGATIVE,
            name="kw_failure",
        ),
        keyword_source(
            [
                "disappointed",
                "terrible",
                "awful",
                "worst",
                "rude",
                "overcharged",
                "charged",
                "smelled",
                "greasy",
                "waste",
                "never again",
            ],
            NEGATIVE,
            name="kw_complaint",
        ),
        regex_source(
            r"\b(?:within|after)\s+(?:a|an|one|two|three|four|five|\d+)\s+"
            r"(?:hours?|days?|weeks?|months?|uses?)\b",
            NEGATIVE,
            name="re_failed_within",
        ),
        regex_source(
            r"\b(?:not|isn't|wasn't|don't|wouldn't|won't)\s+(?:worth|recommend|buy)",
            NEGATIVE,
            name="re_not_worth",
        ),
        regex_source(r"\bhalf (?:the|of)\b", NEGATIVE, name="re_half_the"),
        star_rating,
        still_going,
        regex_source(
            r"\b(?:exceeded|better than (?:i )?expected|pleasantly surprised|no complaints)",
            POSITIVE,
            name="re_exceeded",
        ),
        Lexicon.from_vader(positive=POSITIVE, negative=NEGATIVE).as_source("vader", min_margin=1.0),
    ]


@dataclass(frozen=True)
class DemoResult:
    """What the demo measured and wrote."""

    label_model_accuracy: float
    majority_accuracy: float
    coverage: float
    files: tuple[Path, ...]
    n_augmented: int = 0


def run_demo(out: str | Path, *, progress: bool = True, echo: bool = True) -> DemoResult:
    """Run the whole flow on the shipped reviews and write the results into ``out``.

    Writes ``labels.csv`` (text, gold label, predicted label and class probabilities),
    ``source_summary.csv``, ``label_model.json``, three plots as PNG, and
    ``augmented.csv``: the labelled reviews with up to two label-consistent variants each
    (WordNet synonyms when WordNet is installed, character noise otherwise), their
    provenance, and a leak-free train/test ``split`` column.

    Parameters
    ----------
    out : str or Path
        Output folder (created if needed; existing files of the same names are replaced).
    progress : bool, default True
        Show progress bars.
    echo : bool, default True
        Print the summary and the accuracies.
    """
    import pandas as pd

    from weaklabel.analysis.summary import summarize_sources
    from weaklabel.appliers.applier import apply
    from weaklabel.datasets.demo import DEMO_LABELS, load_demo_reviews
    from weaklabel.models import LabelModel, MajorityVote

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    reviews = load_demo_reviews()
    y = np.array([DEMO_LABELS.index(v) for v in reviews["label"]])

    L = apply(demo_sources(), reviews, label_names=DEMO_LABELS, progress=progress)
    summary = summarize_sources(L, y)
    model = LabelModel(cardinality=len(DEMO_LABELS), seed=0).fit(L)
    majority = MajorityVote(cardinality=len(DEMO_LABELS), seed=0).fit(L)
    proba = model.predict_proba(L)
    predicted = model.predict(L)
    lm_acc = float(np.mean(predicted == y))
    mv_acc = float(np.mean(majority.predict(L) == y))

    labels = pd.DataFrame(
        {
            "id": reviews["id"],
            "text": reviews["text"],
            "gold": reviews["label"],
            "label": [DEMO_LABELS[i] for i in predicted],
            "n_votes": (L.values != ABSTAIN).sum(axis=1),
        }
    )
    for k, name in enumerate(DEMO_LABELS):
        labels[f"p_{name}"] = proba[:, k].round(6)
    files = [out / "labels.csv", out / "source_summary.csv", out / "label_model.json"]
    labels.to_csv(files[0], index=False)
    summary.to_csv(files[1])
    model.save(files[2])
    files.extend(_plots(L, y, out))
    augmented, note = _augment(labels[labels["n_votes"] > 0], model, progress=progress)
    files.append(out / "augmented.csv")
    augmented.to_csv(files[-1], index=False)

    if echo:
        with pd.option_context("display.width", 120, "display.max_columns", 20):
            print("Sources on the demo reviews:\n")
            print(summary.round(3).to_string())
        print(f"\ncoverage: {L.coverage():.1%} of {L.n_examples} reviews have a vote")
        print(f"accuracy against gold: label model {lm_acc:.1%}, majority vote {mv_acc:.1%}")
        print(note)
        print("wrote " + ", ".join(str(f) for f in files))
    return DemoResult(
        lm_acc, mv_acc, L.coverage(), tuple(files), int(augmented["is_augmented"].sum())
    )


def _augment(labelled: pd.DataFrame, model: object, *, progress: bool) -> tuple[pd.DataFrame, str]:
    """Augment the labelled reviews, keep label-consistent new rows, split without leaks."""
    from weaklabel.augment import (
        AugmentationPipeline,
        LabelConsistencyFilter,
        NearDuplicateFilter,
        Noise,
        OneOf,
        Synonym,
        group_split,
    )
    from weaklabel.datasets.demo import DEMO_LABELS
    from weaklabel.errors import AugmentError

    augmenter: Augmenter = Noise(kinds=["typo", "keyboard", "case", "punctuation"], p=0.05)
    how = "character noise"
    try:
        synonym = Synonym()
        synonym.augment(["A quick check that WordNet loads."])
        augmenter = OneOf([synonym, augmenter], weights=[2, 1])
        how = "WordNet synonyms and character noise"
    except AugmentError as exc:  # no WordNet here: say how to get it, go on with noise
        how += f" (Synonym skipped: {str(exc).splitlines()[0]})"
    frame = labelled[["id", "text", "label"]]
    consistency = LabelConsistencyFilter(demo_sources(), model, label_names=DEMO_LABELS)
    pipeline = AugmentationPipeline(
        augmenter,
        n_per_original=2,
        filters=[NearDuplicateFilter(threshold=0.9), consistency],
        progress=progress,
    )
    out = pipeline.run(frame, seed=0)
    train, test = group_split(out, test_size=0.2, seed=0)
    out["split"] = "train"
    out.loc[out.index.isin(test.index), "split"] = "test"
    asked = 2 * len(frame)
    kept = int(out["is_augmented"].sum())
    note = (
        f"augmentation ({how}): {kept} new rows kept of {asked} asked for "
        f"({len(frame)} labelled reviews; near-copies and label flips dropped); "
        f"group split: {len(train)} train / {len(test)} test rows, no original split "
        "from its variants"
    )
    return out, note


def _plots(L: LabelMatrix, y: np.ndarray, out: Path) -> list[Path]:
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:
        print('matplotlib is not installed: skipping plots (pip install "weaklabel[plot]").')
        return []
    from weaklabel.analysis.plots import plot_accuracy_vs_coverage, plot_conflicts, plot_coverage

    written = []
    for name, draw in (
        ("coverage.png", lambda ax: plot_coverage(L, ax=ax)),
        ("conflicts.png", lambda ax: plot_conflicts(L, ax=ax)),
        ("accuracy_vs_coverage.png", lambda ax: plot_accuracy_vs_coverage(L, y, ax=ax)),
    ):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        draw(ax)
        fig.tight_layout()
        path = out / name
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written


def reviews_frame() -> pd.DataFrame:
    """The demo reviews (a shortcut for notebooks)."""
    from weaklabel.datasets.demo import load_demo_reviews

    return load_demo_reviews()
