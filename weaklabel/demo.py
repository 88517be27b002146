"""The end-to-end demo behind ``weaklabel demo``: reviews → sources → label model → files.

Use it to see the whole classification flow run offline on the review corpus that ships
with the package (:func:`weaklabel.datasets.demo.load_demo_reviews`), or as a template
for your own script: define sources, apply them, read the source summary, fit a label
model, compare it with majority vote, write the labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
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


DEMO_FILES = (
    "labels.csv",
    "source_summary.csv",
    "label_model.json",
    "coverage.png",
    "conflicts.png",
    "accuracy_vs_coverage.png",
    "augmented.csv",
)
"""The files :func:`run_demo` writes into its output folder (the plots need matplotlib)."""


@dataclass(frozen=True)
class DemoResult:
    """What the demo measured and wrote.

    Accuracies are fractions of the gold labels predicted right, on all reviews and on the
    reviews with at least one vote. Majority vote guesses a review without a vote by a
    tie-break; the label model does too unless silence points to a class
    (``LabelModel.no_vote_proba_``), which ``no_vote_guess`` names ("" for a tie-break).
    """

    label_model_accuracy: float
    majority_accuracy: float
    label_model_accuracy_voted: float
    majority_accuracy_voted: float
    n_examples: int
    n_no_vote: int
    coverage: float
    files: tuple[Path, ...]
    n_augmented: int = 0
    no_vote_guess: str = ""


def compare_models(lm_acc: float, mv_acc: float, n: int, where: str) -> str:
    """One sentence comparing two accuracies on ``n`` rows, worded from the numbers only.

    Parameters
    ----------
    lm_acc, mv_acc : float
        Accuracy of the label model and of majority vote, in [0, 1].
    n : int
        How many rows both were scored on.
    where : str
        What those rows are, e.g. ``"the 288 reviews with a vote"``.

    Returns
    -------
    str
        "ahead", "behind" or "as accurate", with the difference in points and in rows.
    """
    rows = round(abs(lm_acc - mv_acc) * n)
    points = 100 * abs(lm_acc - mv_acc)
    if rows == 0:
        return f"On {where} the label model and majority vote are equally accurate."
    more = f"{points:.1f} points, {rows} review{'s' if rows != 1 else ''}"
    if lm_acc > mv_acc:
        return f"On {where} the label model is ahead of majority vote by {more}."
    return f"On {where} the label model is behind majority vote by {more}."


def run_demo(
    out: str | Path, *, progress: bool = True, echo: bool = True, overwrite: bool = False
) -> DemoResult:
    """Run the whole flow on the shipped reviews and write the results into ``out``.

    Writes ``labels.csv`` (text, gold label, predicted label, the number of votes, a
    ``has_vote`` flag and class probabilities; the label is empty where no source voted),
    ``source_summary.csv``, ``label_model.json``, three plots as PNG, and
    ``augmented.csv``: the labelled reviews with up to two label-consistent variants each
    (WordNet synonyms when WordNet is installed, character noise otherwise), their
    provenance, and a leak-free train/test ``split`` column.

    Parameters
    ----------
    out : str or Path
        Output folder, created if needed; checked before any work runs.
    progress : bool, default True
        Show progress bars (only for steps that take more than about two seconds).
    echo : bool, default True
        Print the summary, and both models' accuracies on the reviews with a vote and on
        all reviews.
    overwrite : bool, default False
        Replace files of the names in :data:`DEMO_FILES` already in ``out``; without it,
        such files are an error (E412), raised before any work.

    Returns
    -------
    DemoResult
        The accuracies, coverage, counts and the files written.
    """
    import pandas as pd

    from weaklabel._outputs import check_output_folder, write_atomically
    from weaklabel.analysis.summary import summarize_sources
    from weaklabel.appliers.applier import apply
    from weaklabel.datasets.demo import DEMO_LABELS, load_demo_reviews
    from weaklabel.models import LabelModel, MajorityVote

    out = check_output_folder(out, names=DEMO_FILES, force=overwrite, what="the demo")
    reviews = load_demo_reviews()
    y = np.array([DEMO_LABELS.index(v) for v in reviews["label"]])

    L = apply(demo_sources(), reviews, label_names=DEMO_LABELS, progress=progress)
    summary = summarize_sources(L, y)
    model = LabelModel(cardinality=len(DEMO_LABELS), seed=0).fit(L)
    majority = MajorityVote(cardinality=len(DEMO_LABELS), seed=0).fit(L)
    proba = model.predict_proba(L)
    predicted = model.predict(L)
    mv_predicted = majority.predict(L)
    n_votes = (L.values != ABSTAIN).sum(axis=1)
    voted = n_votes > 0
    lm_right, mv_right = predicted == y, mv_predicted == y
    lm_voted = float(lm_right[voted].mean()) if voted.any() else float("nan")
    mv_voted = float(mv_right[voted].mean()) if voted.any() else float("nan")

    labels = pd.DataFrame(
        {
            "id": reviews["id"],
            "text": reviews["text"],
            "gold": reviews["label"],
            # no vote, no evidence: an empty label, not a tie-broken guess that looks sure
            "label": [DEMO_LABELS[i] if v else "" for i, v in zip(predicted, voted, strict=True)],
            "has_vote": voted,
            "n_votes": n_votes,
        }
    )
    for k, name in enumerate(DEMO_LABELS):
        labels[f"p_{name}"] = proba[:, k].round(6)
    files = [out / name for name in DEMO_FILES[:3]]
    write_atomically(files[0], lambda tmp: labels.to_csv(tmp, index=False))
    write_atomically(files[1], lambda tmp: summary.to_csv(tmp))
    model.save(files[2])  # atomic itself
    files.extend(_plots(L, y, out))
    augmented, note = _augment(labels[voted], model, progress=progress)
    files.append(out / "augmented.csv")
    write_atomically(files[-1], lambda tmp: augmented.to_csv(tmp, index=False))

    n, n_voted = L.n_examples, int(voted.sum())
    result = DemoResult(
        label_model_accuracy=float(lm_right.mean()),
        majority_accuracy=float(mv_right.mean()),
        label_model_accuracy_voted=lm_voted,
        majority_accuracy_voted=mv_voted,
        n_examples=n,
        n_no_vote=n - n_voted,
        coverage=L.coverage(),
        files=tuple(files),
        n_augmented=int(augmented["is_augmented"].sum()),
        no_vote_guess=_no_vote_guess(model),
    )
    if echo:
        with pd.option_context("display.width", 120, "display.max_columns", 20):
            print("Sources on the demo reviews:\n")
            print(summary.drop(columns=["j"], errors="ignore").round(3).to_string())
        print(_accuracy_report(result, n_voted))
        print(note)
        print("wrote " + ", ".join(str(f) for f in files))
    return result


def _no_vote_guess(model: object) -> str:
    """The class the label model gives a review without votes, or "" for a tie-break."""
    from weaklabel.datasets.demo import DEMO_LABELS

    proba = np.asarray(getattr(model, "no_vote_proba_", []), dtype=np.float64)
    if proba.size == 0 or np.allclose(proba, proba[0]):
        return ""
    top = int(np.argmax(proba))
    return f"{DEMO_LABELS[top]} (p = {proba[top]:.2f})"


def _accuracy_report(result: DemoResult, n_voted: int) -> str:
    """The coverage and both models' accuracies, with or without the no-vote reviews."""
    n = result.n_examples
    rows = [
        (
            f"{n_voted} reviews with a vote",
            result.label_model_accuracy_voted,
            result.majority_accuracy_voted,
        ),
        (f"all {n} reviews", result.label_model_accuracy, result.majority_accuracy),
    ]
    if result.no_vote_guess:
        guess = (
            "majority vote guesses them by a tie-break, the label model gives them "
            f"{result.no_vote_guess}, the class their silence points to"
        )
    else:
        guess = "both models guess them by a tie-break"
    lines = [
        f"\ncoverage: {n_voted} of {n} reviews ({result.coverage:.1%}) have at least one "
        f"vote; {result.n_no_vote} have none: {guess} (left unlabelled in labels.csv)",
        f"\n{'accuracy against gold':<32}{'label model':>12}{'majority vote':>15}",
        *(f"  {what:<30}{lm:>12.1%}{mv:>15.1%}" for what, lm, mv in rows),
        "",
        compare_models(
            result.label_model_accuracy_voted,
            result.majority_accuracy_voted,
            n_voted,
            f"the {n_voted} reviews with a vote",
        )
        + " "
        + compare_models(
            result.label_model_accuracy, result.majority_accuracy, n, f"all {n} reviews"
        ),
    ]
    return "\n".join(lines)


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
    from weaklabel._outputs import write_atomically
    from weaklabel.analysis.plots import plot_accuracy_vs_coverage, plot_conflicts, plot_coverage

    written = []
    for name, draw in (
        ("coverage.png", lambda: plot_coverage(L)),
        ("conflicts.png", lambda: plot_conflicts(L)),
        ("accuracy_vs_coverage.png", lambda: plot_accuracy_vs_coverage(L, y)),
    ):
        figure = draw().get_figure(root=True)  # sized for the sources, constrained layout
        assert figure is not None
        path = out / name
        write_atomically(path, partial(figure.savefig, dpi=110))
        plt.close(figure)
        written.append(path)
    return written


def reviews_frame() -> pd.DataFrame:
    """The demo reviews (a shortcut for notebooks)."""
    from weaklabel.datasets.demo import load_demo_reviews

    return load_demo_reviews()
