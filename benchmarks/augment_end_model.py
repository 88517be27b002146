"""Augmentation downstream: does it help an end model trained on label-model labels?

The question a user of ``weaklabel.augment`` has: after labelling the training texts with
the weak sources and :class:`weaklabel.LabelModel`, does adding augmented copies of those
texts (each with its original's label) make the trained classifier better on gold labels?

Per WRENCH dataset (youtube, trec by default, from ``../shared/data``):

- :class:`weaklabel.LabelModel` is fitted on the train split's weak labels and predicts the
  train split (hard labels, ties broken by the row-index hash; no gold label is used).
  Rows on which every labeling function abstained carry no evidence and are dropped from
  end-model training (the usual practice, as in WRENCH's end-model pipeline); the test set
  keeps all its rows.
- End model: TF-IDF (word 1-2 grams, ``sublinear_tf``, fitted on each training set, its
  augmented copies included) + ``LogisticRegression`` (lbfgs, ``class_weight=None``).
  ``C`` is chosen per (dataset, variant) from ``--c-grid`` by accuracy on the **valid**
  split (gold labels), trained on all labelled rows with the seed-0 augmentations; the test
  split is only scored.
- Seeds (``--seeds``, default 0-4) change three things: a random 80% subsample (without
  replacement) of the labelled train rows, the augmentation seed (``Synonym``; Apertium is
  deterministic and is run once per dataset), and LogisticRegression's ``random_state``
  (which lbfgs does not use). The subsample is what makes seeds differ.
- Variants: the baseline (hard labels; also with each row weighted by the label model's
  confidence), + ``Synonym`` (Debian WordNet, default ``p=0.2, max_per_sentence=3``; 1 or
  2 copies per text), + ``BackTranslation.apertium("eng", "spa")`` (one copy), + both, and
  + both passed through ``NearDuplicateFilter`` (default threshold 0.8; an augmented copy
  is dropped when it nearly copies a valid/test text, its original, or an earlier row).
  Reference row: the same end model on the train split's **gold** labels (all rows, same
  80% subsample), an upper bound for what better labels would give.
- ``LabelConsistencyFilter`` is not run: it re-applies the labeling functions to each new
  text, and WRENCH ships only their precomputed votes, not the functions.

Reported: mean ± std of test accuracy over seeds, the change against the baseline (mean of
per-seed differences, with how many seeds improved), training rows, and the augmentation
time per 1,000 texts (WordNet loading excluded and reported separately).

Run from the repository root (about 9 minutes on 2 shared cores)::

    python benchmarks/augment_end_model.py [--datasets youtube trec] [--seeds 5] [--no-write]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

try:
    from _results import markdown_table, write_section
except ImportError:  # run as a module
    from benchmarks._results import markdown_table, write_section

ROOT = Path(__file__).resolve().parents[1]
WRENCH = ROOT.parent / "shared" / "data" / "wrench" / "classification"

VARIANTS: dict[str, str] = {
    "gold": "gold labels (upper bound)",
    "baseline": "label-model labels (baseline)",
    "weighted": "baseline, rows weighted by label-model confidence",
    "syn1": "+ Synonym, 1 copy",
    "syn2": "+ Synonym, 2 copies",
    "bt": "+ back-translation (Apertium eng-spa-eng)",
    "syn1+bt": "+ Synonym 1 copy + back-translation",
    "syn1+bt+dedup": "+ Synonym 1 + back-translation, NearDuplicateFilter",
}


@dataclass
class Prepared:
    """One dataset: texts, label-model labels, cached augmentations and their timings."""

    name: str
    train_texts: list[str]
    train_gold: np.ndarray
    labelled: np.ndarray  # indices of train rows with at least one vote
    lm_labels: np.ndarray  # (n_train,) hard labels
    lm_confidence: np.ndarray  # (n_train,) max posterior
    lm_accuracy: float  # of lm_labels on the labelled rows, against gold
    valid_texts: list[str]
    valid_y: np.ndarray
    test_texts: list[str]
    test_y: np.ndarray
    bt: list[list[str]]  # back-translations of every train text (deterministic)
    synonyms: dict[int, list[list[str]]] = field(default_factory=dict)  # seed -> up to 2 each
    seconds: dict[str, list[float]] = field(default_factory=dict)  # augmenter -> s per 1k


def prepare(folder: Path, bt_augmenter: Any) -> Prepared:
    """Load the splits, fit the label model, back-translate the train texts once."""
    from weaklabel import LabelModel, load_wrench

    train, valid, test = (load_wrench(folder, s) for s in ("train", "valid", "test"))
    model = LabelModel(cardinality=train.cardinality, seed=0).fit(train.L)
    labels = np.asarray(model.predict(train.L))
    proba = np.asarray(model.predict_proba(train.L))
    votes = np.asarray(train.L.to_numpy())
    labelled = np.flatnonzero((votes != -1).any(axis=1))
    start = time.perf_counter()
    bt = bt_augmenter.augment(train.texts, n=1, seed=0)
    bt_seconds = (time.perf_counter() - start) / len(train.texts) * 1000
    return Prepared(
        name=folder.name,
        train_texts=train.texts,
        train_gold=train.y,
        labelled=labelled,
        lm_labels=labels,
        lm_confidence=proba.max(axis=1),
        lm_accuracy=float((labels[labelled] == train.y[labelled]).mean()),
        valid_texts=valid.texts,
        valid_y=valid.y,
        test_texts=test.texts,
        test_y=test.y,
        bt=bt,
        seconds={"bt": [bt_seconds]},
    )


def synonyms_for(data: Prepared, synonym: Any, seed: int) -> list[list[str]]:
    """Up to two synonym variants of every train text under ``seed`` (cached, timed)."""
    if seed not in data.synonyms:
        start = time.perf_counter()
        data.synonyms[seed] = synonym.augment(data.train_texts, n=2, seed=seed)
        per_1k = (time.perf_counter() - start) / len(data.train_texts) * 1000
        data.seconds.setdefault("syn2", []).append(per_1k)
    return data.synonyms[seed]


def training_set(
    data: Prepared, variant: str, rows: np.ndarray, synonyms: list[list[str]], dedup: Any
) -> tuple[list[str], np.ndarray, np.ndarray | None]:
    """Texts, labels and optional sample weights of one variant, from train ``rows``."""
    if variant == "gold":
        return [data.train_texts[i] for i in rows], data.train_gold[rows], None
    texts = [data.train_texts[i] for i in rows]
    labels = list(data.lm_labels[rows])
    if variant == "weighted":
        return texts, np.asarray(labels), data.lm_confidence[rows]
    n_original = len(texts)
    use_syn = 2 if variant == "syn2" else 1 if variant.startswith("syn1") else 0
    for i in rows:
        new = synonyms[i][:use_syn] + (data.bt[i] if "bt" in variant else [])
        texts += new
        labels += [data.lm_labels[i]] * len(new)
    y = np.asarray(labels)
    if variant.endswith("dedup"):
        keep = dedup.keep(texts)
        keep[:n_original] = True  # only augmented copies are filtered
        texts = [t for t, k in zip(texts, keep, strict=True) if k]
        y = y[keep]
    return texts, y, None


def fit_score(
    texts: list[str],
    y: np.ndarray,
    weights: np.ndarray | None,
    C: float,
    seed: int,
    evaluate: list[tuple[list[str], np.ndarray]],
) -> list[float]:
    """Train TF-IDF + logistic regression; accuracy on each (texts, gold) pair."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    X = vectorizer.fit_transform(texts)
    clf = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    clf.fit(X, y, sample_weight=weights)
    return [float((clf.predict(vectorizer.transform(t)) == g).mean()) for t, g in evaluate]


def subsample(pool: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """A sorted random ``fraction`` of ``pool`` (without replacement) under ``seed``."""
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(pool, size=round(fraction * pool.size), replace=False))


def run_dataset(
    data: Prepared, synonym: Any, seeds: list[int], c_grid: list[float], fraction: float
) -> dict[str, dict[str, Any]]:
    """Choose C on valid, then score every variant on test for every seed."""
    from weaklabel.augment import NearDuplicateFilter

    dedup = NearDuplicateFilter().fit(data.valid_texts + data.test_texts)
    all_rows = np.arange(len(data.train_texts))
    results: dict[str, dict[str, Any]] = {}
    for variant in VARIANTS:
        pool = all_rows if variant == "gold" else data.labelled
        # C on valid: all rows of the pool, seed-0 augmentations
        texts, y, w = training_set(data, variant, pool, synonyms_for(data, synonym, 0), dedup)
        valid = {
            C: fit_score(texts, y, w, C, 0, [(data.valid_texts, data.valid_y)])[0] for C in c_grid
        }
        best_c = max(c_grid, key=lambda c: valid[c])  # ties: the smallest C (first)
        test, n_rows = [], []
        for seed in seeds:
            rows = subsample(pool, fraction, seed)
            syn = synonyms_for(data, synonym, seed)
            texts, y, w = training_set(data, variant, rows, syn, dedup)
            test.append(fit_score(texts, y, w, best_c, seed, [(data.test_texts, data.test_y)])[0])
            n_rows.append(len(texts))
        results[variant] = {
            "C": best_c,
            "valid": valid[best_c],
            "test": np.asarray(test),
            "rows": float(np.mean(n_rows)),
        }
        print(
            f"{data.name:8s} {variant:14s} C={best_c:<5g} valid {valid[best_c]:.3f}  test "
            f"{np.mean(test):.4f} ± {np.std(test, ddof=1):.4f}  rows {np.mean(n_rows):,.0f}  "
            f"per seed {' '.join(f'{t:.3f}' for t in test)}",
            flush=True,
        )
    return results


def table(data: Prepared, results: dict[str, dict[str, Any]]) -> str:
    base = results["baseline"]["test"]
    seconds = {k: float(np.mean(v)) for k, v in data.seconds.items()}
    cost = {
        "syn1": seconds["syn2"],
        "syn2": seconds["syn2"],
        "bt": seconds["bt"],
        "syn1+bt": seconds["syn2"] + seconds["bt"],
        "syn1+bt+dedup": seconds["syn2"] + seconds["bt"],
    }
    rows: list[list[object]] = []
    for variant, label in VARIANTS.items():
        res = results[variant]
        acc = res["test"] * 100
        if variant in ("baseline", "gold"):
            delta = "–"
        else:
            diff = (res["test"] - base) * 100
            delta = f"{diff.mean():+.2f} ({int((diff > 0).sum())}/{diff.size} seeds up)"
        rows.append(
            [
                label,
                f"{acc.mean():.2f} ± {acc.std(ddof=1):.2f}",
                delta,
                f"{res['valid'] * 100:.1f}",
                f"{res['C']:g}",
                f"{res['rows']:,.0f}",
                f"{cost[variant]:.2f}" if variant in cost else "–",
            ]
        )
    header = [
        "variant",
        "test acc % (mean ± std)",
        "Δ vs baseline (points)",
        "valid acc % (C choice)",
        "C",
        "train rows",
        "augment s / 1k texts",
    ]
    n_train = len(data.train_texts)
    intro = (
        f"### {data.name}\n\n"
        f"{n_train:,} train texts, {data.labelled.size:,} with at least one vote "
        f"({data.labelled.size / n_train:.1%}; the others are dropped); label-model labels "
        f"{data.lm_accuracy:.1%} accurate on them. {len(data.test_texts)} test rows.\n\n"
    )
    return intro + markdown_table(header, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["youtube", "trec"])
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1")
    parser.add_argument("--fraction", type=float, default=0.8, help="train subsample per seed")
    parser.add_argument(
        "--c-grid",
        type=float,
        nargs="+",
        default=[0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0],
    )
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()

    from weaklabel.augment import BackTranslation, Synonym
    from weaklabel.augment.text.wordnet import load_wordnet

    total = time.perf_counter()
    start = time.perf_counter()
    wordnet = load_wordnet()
    synonym = Synonym(wordnet=wordnet)
    synonym.augment(["Warm up the tagger and the lemmatiser."], n=1, seed=0)
    wordnet_s = time.perf_counter() - start
    back_translation = BackTranslation.apertium("eng", "spa")
    seeds = list(range(args.seeds))
    sections = []
    for name in args.datasets:
        data = prepare(WRENCH / name, back_translation)
        print(f"{name}: back-translation {data.seconds['bt'][0]:.2f} s / 1k texts", flush=True)
        results = run_dataset(data, synonym, seeds, args.c_grid, args.fraction)
        sections.append(table(data, results))
    elapsed = time.perf_counter() - total

    notes = (
        "Does augmenting the training texts help a TF-IDF + logistic-regression end model "
        "trained on `LabelModel` labels? Test accuracy on gold labels, over seeds "
        f"{seeds[0]}-{seeds[-1]}; each seed trains on a random {args.fraction:.0%} subsample "
        "of the labelled train rows (augmented copies only of those rows, Synonym with the "
        "run's seed; Apertium is deterministic). Δ is the mean of per-seed differences with "
        "the baseline on the same subsample. `C` was chosen per row on the valid split "
        f"(grid {', '.join(f'{c:g}' for c in args.c_grid)}; ties go to the smallest), "
        "never on test. "
        "Augmented copies carry their original's label-model label. Rows where every "
        "labeling function abstained are dropped from end-model training (kept in test). "
        "The gold row trains on all train rows' gold labels. NearDuplicateFilter (threshold "
        "0.8) drops augmented copies that nearly copy a valid/test text, their original or "
        "an earlier row. `LabelConsistencyFilter` was not run: it re-applies the labeling "
        "functions, and WRENCH ships only their votes. Augmentation seconds per 1,000 train "
        "texts: Synonym for 2 copies each (the 1-copy rows reuse the first), after loading "
        f"WordNet once ({wordnet_s:.0f} s); Apertium round trip, one copy each. "
        f"Whole run: {elapsed / 60:.1f} min. Differences smaller than the spread over seeds "
        "are noise; youtube's valid split has 120 rows, so its choice of C is coarse."
    )
    text = notes + "\n\n" + "\n\n".join(sections)
    print()
    print(text)
    if not args.no_write:
        print(
            "wrote",
            write_section("augment_end_model", "Augmentation: end-model effect", text),
        )


if __name__ == "__main__":
    main()
