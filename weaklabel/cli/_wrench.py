"""``weaklabel wrench``: fit label models on a WRENCH folder and score them."""

from __future__ import annotations

import argparse

from weaklabel.cli._args import non_negative_int

MODEL_NAMES = ("label-model", "majority", "dawid-skene")


def run(args: argparse.Namespace) -> int:
    """Fit the chosen models on the train split and print their scores on ``args.split``."""
    import numpy as np

    from weaklabel.datasets.wrench import load_wrench
    from weaklabel.metrics import accuracy, f1_score
    from weaklabel.models import DawidSkene, LabelModel, MajorityVote

    classes = {"label-model": LabelModel, "majority": MajorityVote, "dawid-skene": DawidSkene}
    train = load_wrench(args.path, split="train")
    test = load_wrench(args.path, split=args.split)
    k = len(train.label_names)
    for name in args.model:
        model = classes[name](cardinality=k, seed=args.seed).fit(train.L)
        pred = model.predict(test.L)
        line = f"{train.name} {name}: accuracy {100 * accuracy(test.y, pred):.2f}"
        if k == 2:
            line += (
                f", F1 of {train.label_names[1]} {100 * f1_score(test.y, pred, pos_label=1):.2f}"
            )
        print(line)
    coverage = float(np.mean((test.L.values != -1).any(axis=1)))
    shape = f"{test.L.n_examples} rows, {test.L.n_sources} sources"
    print(f"{args.split}: {shape}, coverage {coverage:.1%}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``wrench`` command to the ``weaklabel`` parser."""
    wrench = sub.add_parser(
        "wrench",
        help="fit label models on a WRENCH folder and score them",
        description=(
            "Fit the chosen label models on the train split of a WRENCH classification "
            "folder and print their accuracy (and the F1 of class 1 for binary tasks) on "
            "the test or valid split."
        ),
    )
    wrench.add_argument(
        "path", help="a WRENCH classification folder (label.json and train/valid/test json)"
    )
    wrench.add_argument(
        "--model",
        choices=MODEL_NAMES,
        nargs="+",
        default=list(MODEL_NAMES),
        help="models to run (default: all three)",
    )
    wrench.add_argument(
        "--split",
        default="test",
        choices=("valid", "test"),
        help="the split to score on (default test)",
    )
    wrench.add_argument(
        "--seed",
        type=non_negative_int,
        default=0,
        help="the models' seed, which sets the tie-breaking (default 0, as WRENCH)",
    )
    wrench.set_defaults(func=run)
