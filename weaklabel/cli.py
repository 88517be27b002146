"""The ``weaklabel`` command line: the demo, and evaluation on WRENCH folders.

Use it from the shell or another pipeline::

    weaklabel demo --out demo_out
    weaklabel wrench path/to/wrench/youtube --model label-model
    weaklabel augment labelled.csv --out augmented.csv --augmenter synonym noise --n 2
    weaklabel review demo_out/labels.csv --top 50 --out tasks.json
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
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


_TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".parquet")


def _check_output(out: str, *, inputs: Sequence[str], force: bool, suffixes: Sequence[str]) -> Path:
    """Refuse an output that would replace an input, an existing file, or has no writer.

    Checked before any work runs, so a bad ``--out`` costs nothing.
    """
    from weaklabel.errors import Errors, ParameterError

    target = Path(out)
    if target.suffix.lower() not in suffixes:
        raise ParameterError(Errors.E403.format(path=out))
    for given in inputs:
        if Path(given).exists() and target.exists() and target.resolve() == Path(given).resolve():
            raise ParameterError(Errors.E401.format(out=out))
    if target.is_dir():
        raise ParameterError(Errors.E404.format(path=out, reason="it is a folder"))
    if not target.parent.resolve().is_dir():
        raise ParameterError(Errors.E404.format(path=out, reason="its folder does not exist"))
    if target.exists() and not force:
        raise ParameterError(Errors.E402.format(path=out))
    return target


def _write_table(frame: pd.DataFrame, target: Path) -> None:
    """Write ``frame`` in the format of the suffix, atomically (temporary file, then rename)."""
    import os
    import tempfile

    suffix = target.suffix.lower()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    try:
        if suffix in (".jsonl", ".ndjson"):
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
        elif suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False, sep="\t" if suffix in (".tsv", ".tab") else ",")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _augment(args: argparse.Namespace) -> int:
    from weaklabel.augment import AugmentationPipeline, NearDuplicateFilter, OneOf

    target = _check_output(
        args.out, inputs=[args.input], force=args.force, suffixes=_TABLE_SUFFIXES
    )
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
    _write_table(out, target)
    report = ", ".join(f"{k} {v}" for k, v in pipeline.report_.items())
    print(f"wrote {target}: {report}", file=sys.stderr)
    return 0


def _write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then move it into place."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _review(args: argparse.Namespace) -> int:
    """Write Label Studio tasks for the rows a reviewer should see first."""
    import numpy as np

    from weaklabel.errors import Errors, ReviewError
    from weaklabel.export import classification_config, classification_tasks, write_tasks
    from weaklabel.review import select

    _check_output(args.out, inputs=[args.input], force=args.force, suffixes=(".json",))
    config = Path(args.out).with_suffix(".xml")  # the labeling config, beside the tasks
    _check_output(str(config), inputs=[args.input], force=args.force, suffixes=(".xml",))
    frame = _read_table(args.input)
    prefix = args.proba_prefix
    columns = [c for c in frame.columns if str(c).startswith(prefix)]
    if args.text_column not in frame.columns or not columns:
        raise ReviewError(
            Errors.E060.format(
                name="weaklabel review",
                param="input",
                expected=(
                    f"a table with a {args.text_column!r} column and one probability column "
                    f"per class named {prefix}<label> (as the demo's labels.csv)"
                ),
                value=f"columns {list(map(str, frame.columns))}",
            )
        )
    labels = [str(c)[len(prefix) :] for c in columns]
    proba = frame[columns].to_numpy(dtype=np.float64)
    if not np.isfinite(proba).all() or (proba < 0).any():
        raise ReviewError(
            Errors.E060.format(
                name="weaklabel review",
                param=f"{prefix}* columns",
                expected="finite probabilities >= 0",
                value="missing, infinite or negative values",
            )
        )
    proba = proba / np.maximum(proba.sum(axis=1, keepdims=True), 1e-12)
    top = min(int(args.top), len(frame))
    rows = select(proba, strategy=args.strategy, k=top, seed=args.seed)
    texts = frame[args.text_column].astype(str).to_numpy()[rows].tolist()
    tasks = classification_tasks(texts, labels, proba=proba[rows], rows=rows)
    target = write_tasks(tasks, args.out, overwrite=args.force)
    _write_text_atomically(config, classification_config(labels))
    print(
        f"wrote {target} ({len(tasks)} tasks, most useful first by {args.strategy}) and the "
        f"labeling config {Path(config).name}",
        file=sys.stderr,
    )
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
    augment.add_argument("--force", action="store_true", help="replace an existing --out")
    augment.set_defaults(func=_augment)

    review = sub.add_parser(
        "review",
        help="write Label Studio tasks for the rows a reviewer should see first",
        description=(
            "Rank the rows of a table of class probabilities (the demo's labels.csv, or any "
            "CSV/TSV/JSONL/Parquet with a text column and p_<label> columns) by an uncertainty "
            "strategy and write the top rows as Label Studio tasks with the model's guess as "
            "a scored prediction, plus the matching labeling config (same name, .xml)."
        ),
    )
    review.add_argument("input", help="CSV, TSV, JSONL or Parquet table")
    review.add_argument("--out", required=True, help="task file to write (.json)")
    review.add_argument("--top", type=int, default=100, help="how many rows (default 100)")
    review.add_argument(
        "--strategy",
        choices=("least_confidence", "margin", "entropy", "random"),
        default="entropy",
        help="how to rank the rows (default entropy)",
    )
    review.add_argument("--text-column", default="text", help="column holding the texts")
    review.add_argument(
        "--proba-prefix", default="p_", help="prefix of the probability columns (default p_)"
    )
    review.add_argument("--seed", type=int, default=0, help="breaks ties between rows")
    review.add_argument("--force", action="store_true", help="replace existing output files")
    review.set_defaults(func=_review)
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
