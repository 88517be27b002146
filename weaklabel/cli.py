"""The ``weaklabel`` command line: the demo, and evaluation on WRENCH folders.

Use it from the shell or another pipeline::

    weaklabel demo --out demo_out
    weaklabel wrench path/to/wrench/youtube --model label-model
    weaklabel augment labelled.csv --out augmented.csv --augmenter synonym noise --n 2
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from weaklabel.augment.base import Augmenter

MODEL_NAMES = ("label-model", "majority", "dawid-skene")
AUGMENTER_NAMES = ("synonym", "noise", "backtranslation")


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


def _augmenter(name: str, args: argparse.Namespace) -> Augmenter:
    from weaklabel.augment import BackTranslation, Noise, Synonym

    if name == "synonym":
        return Synonym(p=args.p)
    if name == "noise":
        return Noise(p=args.p / 4)
    return BackTranslation.apertium(args.language, args.pivot)


def _read_table(path: str) -> pd.DataFrame:
    import pandas as pd

    from weaklabel.errors import AugmentError, Errors

    lower = path.lower()
    if lower.endswith((".jsonl", ".ndjson")):
        return pd.read_json(path, lines=True)
    if lower.endswith(".parquet"):
        return pd.read_parquet(path)
    if lower.endswith((".tsv", ".tab")):
        return pd.read_csv(path, sep="\t")
    if lower.endswith(".csv"):
        return pd.read_csv(path)
    raise AugmentError(Errors.E400.format(path=path))


def _augment(args: argparse.Namespace) -> int:
    from pathlib import Path

    from weaklabel.augment import AugmentationPipeline, NearDuplicateFilter, OneOf

    frame = _read_table(args.input)
    parts = [_augmenter(name, args) for name in dict.fromkeys(args.augmenter)]
    augmenter = parts[0] if len(parts) == 1 else OneOf(parts)
    filters = [] if args.dedup is None else [NearDuplicateFilter(threshold=args.dedup)]
    pipeline = AugmentationPipeline(
        augmenter,
        n_per_original=args.n,
        keep_original=not args.only_new,
        filters=filters,
        progress=not args.no_progress,
    )
    out = pipeline.run(frame, seed=args.seed, text_column=args.text_column)
    target = Path(args.out)
    if target.suffix.lower() in (".jsonl", ".ndjson"):
        out.to_json(target, orient="records", lines=True, force_ascii=False)
    elif target.suffix.lower() == ".parquet":
        out.to_parquet(target, index=False)
    else:
        out.to_csv(target, index=False, sep="\t" if target.suffix.lower() == ".tsv" else ",")
    report = ", ".join(f"{k} {v}" for k, v in pipeline.report_.items())
    print(f"wrote {target}: {report}", file=sys.stderr)
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

    augment = sub.add_parser(
        "augment",
        help="add label-preserving variants to a table of labelled texts",
        description=(
            "Read a CSV/TSV/JSONL/Parquet table, add up to N variants per row (every other "
            "column, such as the label, is copied), and write it with provenance columns "
            "(original_id, augmenter, params, is_augmented)."
        ),
    )
    augment.add_argument("input", help="the table (.csv, .tsv, .jsonl or .parquet)")
    augment.add_argument("--out", required=True, help="where to write (format by extension)")
    augment.add_argument(
        "--augmenter",
        choices=AUGMENTER_NAMES,
        nargs="+",
        default=["synonym"],
        help="one, or several (each variant made by one of them)",
    )
    augment.add_argument("--n", type=int, default=1, help="variants per row (default 1)")
    augment.add_argument("--p", type=float, default=0.2, help="per-word change probability")
    augment.add_argument("--text-column", default="text")
    augment.add_argument("--seed", type=int, default=0)
    augment.add_argument(
        "--dedup",
        type=float,
        default=None,
        metavar="THRESHOLD",
        help="drop variants that are near-copies (MinHash Jaccard >= THRESHOLD, e.g. 0.9)",
    )
    augment.add_argument("--only-new", action="store_true", help="write only the new rows")
    augment.add_argument("--language", default="eng", help="Apertium code of the texts")
    augment.add_argument("--pivot", default="spa", help="Apertium pivot language")
    augment.add_argument("--no-progress", action="store_true", help="hide progress bars")
    augment.set_defaults(func=_augment)
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
