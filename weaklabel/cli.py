"""The ``weaklabel`` command line: the demo, and evaluation on WRENCH folders.

Use it from the shell or another pipeline::

    weaklabel demo --out demo_out
    weaklabel wrench path/to/wrench/youtube --model label-model
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

MODEL_NAMES = ("label-model", "majority", "dawid-skene")


def _demo(args: argparse.Namespace) -> int:
    from weaklabel.demo import run_demo

    run_demo(args.out, progress=not args.no_progress)
    return 0


def _wrench(args: argparse.Namespace) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``weaklabel`` command."""
    parser = argparse.ArgumentParser(
        prog="weaklabel", description="Programmatic labeling of NLP training data."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the whole flow on the shipped review corpus")
    demo.add_argument("--out", required=True, help="folder for labels, summary and plots")
    demo.add_argument("--no-progress", action="store_true", help="hide progress bars")
    demo.set_defaults(func=_demo)

    wrench = sub.add_parser("wrench", help="fit label models on a WRENCH folder and score them")
    wrench.add_argument("path", help="a WRENCH classification folder (train/test json)")
    wrench.add_argument(
        "--model", choices=MODEL_NAMES, nargs="+", default=list(MODEL_NAMES), help="models to run"
    )
    wrench.add_argument("--split", default="test", choices=("valid", "test"))
    wrench.add_argument("--seed", type=int, default=0)
    wrench.set_defaults(func=_wrench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``weaklabel`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from weaklabel.errors import WeaklabelError

    try:
        return int(args.func(args))
    except WeaklabelError as exc:
        print(f"weaklabel: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
