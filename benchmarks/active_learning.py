"""Active-learning value of the review stage: which rows should a person label first?

The question a user of ``weaklabel.review`` has: with budget for gold labels on 50, 100 or
200 training rows, which rows should be revealed, and how much does the label model (and
an end model trained on its labels) gain?

Per WRENCH dataset (youtube, trec by default, from ``../shared/data``):

- :class:`weaklabel.LabelModel` is fitted on the train split's weak labels; its
  ``predict_proba`` on the train split is what the uncertainty strategies read.
- Strategies (:func:`weaklabel.review.select`, seed 0): ``least_confidence``, ``margin``,
  ``entropy`` (on those probabilities), ``disagreement`` (vote entropy of the label
  matrix), ``no_vote`` (rows no source voted on), ``entropy`` and ``disagreement`` spread
  over the sources' vote patterns (``diverse=True``), ``entropy`` among the rows with votes
  (``exclude=`` the rows without: the uncertainty strategies otherwise pick those first, as
  the label model gives them a tie), and ``random`` (seeds 0-4: mean ± std). Every strategy
  ranks once; a budget of ``b`` reveals its first ``b`` rows.
- Refit, two ways (:func:`weaklabel.review.refit`): the revealed gold labels as one more
  source of a new ``LabelModel`` (the default), and as its dev set
  (``fit(L, y_dev=..., L_dev=...)``); the label model's accuracy on the **test** split is
  reported for both.
- End model: TF-IDF + logistic regression (:func:`weaklabel.review.default_end_model`,
  fixed hyper-parameters) trained on the first refitted label model's hard labels of the train
  rows with at least one vote, with the revealed rows' gold labels in place of theirs (a
  revealed row without votes is added); test accuracy.

Budget 0 is the label model without any gold label. Run from the repository root (a few
minutes on 2 shared cores)::

    python benchmarks/active_learning.py [--datasets youtube trec] [--budgets 50 100 200]
        [--random-seeds 5] [--no-write]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

try:
    from _results import markdown_table, write_section
except ImportError:  # run as a module
    from benchmarks._results import markdown_table, write_section

ROOT = Path(__file__).resolve().parents[1]
WRENCH = ROOT.parent / "shared" / "data" / "wrench" / "classification"

STRATEGIES: dict[str, dict[str, Any]] = {
    "least_confidence": {"strategy": "least_confidence"},
    "margin": {"strategy": "margin"},
    "entropy": {"strategy": "entropy"},
    "disagreement": {"strategy": "disagreement"},
    "no_vote": {"strategy": "no_vote"},
    "entropy, diverse (vote patterns)": {"strategy": "entropy", "diverse": True},
    "entropy, rows with votes only": {"strategy": "entropy", "skip_no_votes": True},
    "disagreement, diverse (vote patterns)": {"strategy": "disagreement", "diverse": True},
}


def evaluate(data: dict[str, Any], revealed: np.ndarray) -> tuple[float, float, float]:
    """Test accuracy with gold revealed on ``revealed`` rows.

    Returns the label model's with the gold as one more source (``refit``'s default), the
    label model's with the gold as its dev set, and the end model's (on the labels of the
    first).
    """
    from weaklabel.review import default_end_model, refit, with_gold

    L, y, texts = data["L"], data["y"], data["texts"]
    gold = np.full(y.shape[0], -1, dtype=np.int64)
    gold[revealed] = y[revealed]
    as_source = refit(L, gold)
    source_acc = float((as_source.predict(with_gold(data["L_test"])) == data["y_test"]).mean())
    as_dev = refit(L, gold, use="dev")
    dev_acc = float((as_dev.predict(data["L_test"]) == data["y_test"]).mean())
    labels = np.asarray(as_source.predict(with_gold(L, gold)), dtype=np.int64)
    labels[revealed] = y[revealed]
    keep = data["voted"].copy()
    keep[revealed] = True
    end = default_end_model(seed=0).fit([texts[i] for i in np.flatnonzero(keep)], labels[keep])
    end_acc = float((end.predict(data["texts_test"]) == data["y_test"]).mean())
    return source_acc, dev_acc, end_acc


def load(folder: Path) -> dict[str, Any]:
    import weaklabel as wl

    train, test = wl.load_wrench(folder, "train"), wl.load_wrench(folder, "test")
    return {
        "L": train.L,
        "y": np.asarray(train.y, dtype=np.int64),
        "texts": list(train.texts),
        "voted": (train.L.values >= 0).any(axis=1),
        "L_test": test.L,
        "y_test": np.asarray(test.y, dtype=np.int64),
        "texts_test": list(test.texts),
    }


def run_dataset(
    name: str, budgets: list[int], random_seeds: int
) -> tuple[list[list[object]], dict[str, float]]:
    import weaklabel as wl
    from weaklabel.review import select

    data = load(WRENCH / name)
    start = time.perf_counter()
    proba = wl.LabelModel().fit(data["L"]).predict_proba(data["L"])
    top = max(budgets)
    base = evaluate(data, np.zeros(0, dtype=np.int64))
    rows: list[list[object]] = []
    for label, options in STRATEGIES.items():
        kwargs = dict(options)
        if kwargs.pop("skip_no_votes", False):
            kwargs["exclude"] = ~data["voted"]
        order = select(proba, k=top, seed=0, L=data["L"], **kwargs)
        values = np.asarray([evaluate(data, order[:b]) for b in budgets])  # (budgets, 3)
        print(name, label, values.round(4).tolist(), flush=True)
        rows.append([label, *[f"{v:.2%}" for v in values.T.reshape(-1)]])
    randoms = np.asarray(
        [
            [evaluate(data, select(proba, strategy="random", k=top, seed=s)[:b]) for b in budgets]
            for s in range(random_seeds)
        ]
    )  # (seeds, budgets, 3)
    print(name, "random", randoms.mean(axis=0).round(4).tolist(), flush=True)
    mean, std = randoms.mean(axis=0).T.reshape(-1), randoms.std(axis=0).T.reshape(-1)
    rows.append(
        [
            f"random ({random_seeds} seeds, mean ± std)",
            *[f"{m:.2%} ± {s:.2%}" for m, s in zip(mean, std, strict=True)],
        ]
    )
    info = {
        "source0": base[0],
        "dev0": base[1],
        "end0": base[2],
        "n_train": float(data["y"].shape[0]),
        "no_vote": float((~data["voted"]).sum()),
        "seconds": time.perf_counter() - start,
    }
    return rows, info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--datasets", nargs="+", default=["youtube", "trec"])
    parser.add_argument("--budgets", nargs="+", type=int, default=[50, 100, 200])
    parser.add_argument("--random-seeds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()

    sections = []
    for name in args.datasets:
        rows, info = run_dataset(name, args.budgets, args.random_seeds)
        header = [
            "revealed rows chosen by",
            *[f"LM, gold as source @{b}" for b in args.budgets],
            *[f"LM, gold as dev set @{b}" for b in args.budgets],
            *[f"end model @{b}" for b in args.budgets],
        ]
        sections.append(
            f"### {name}\n\n"
            f"{int(info['n_train'])} train rows ({int(info['no_vote'])} without votes). "
            f"Without gold: label model {info['source0']:.2%}, end model {info['end0']:.2%} "
            f"test accuracy. Run time {info['seconds']:.0f} s.\n\n" + markdown_table(header, rows)
        )
    notes = (
        "Test accuracy after revealing the gold labels of "
        f"{' / '.join(str(b) for b in args.budgets)} train rows chosen by each "
        "`weaklabel.review.select` strategy (ranked once, from `LabelModel`'s probabilities "
        "without gold; seed 0) or at random. *LM, gold as source*: `weaklabel.review.refit` "
        "(default): `LabelModel` fitted with the revealed labels as one more source "
        '(`with_gold`). *LM, gold as dev set*: `refit(use="dev")`, i.e. '
        "`LabelModel().fit(L, y_dev=..., L_dev=...)`, whose class prior becomes the revealed "
        "rows' class frequencies. End model: TF-IDF + logistic regression "
        "(`weaklabel.review.default_end_model`, fixed hyper-parameters) on the first label "
        "model's labels of the train rows with votes, revealed rows carrying their gold label."
    )
    text = notes + "\n\n" + "\n\n".join(sections)
    print(text)
    if not args.no_write:
        print(
            "wrote",
            write_section("active_learning", "Review: active-learning value of gold labels", text),
        )


if __name__ == "__main__":
    main()
