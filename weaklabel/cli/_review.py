"""``weaklabel review``: Label Studio tasks for the rows a reviewer should see first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from weaklabel.cli._args import non_negative_int, positive_int
from weaklabel.cli._io import check_output, read_table, write_text_atomically


def run(args: argparse.Namespace) -> int:
    """Write Label Studio tasks for the rows a reviewer should see first."""
    import numpy as np

    from weaklabel.errors import Errors, ReviewError
    from weaklabel.export import classification_config, classification_tasks, write_tasks
    from weaklabel.review import select

    check_output(args.out, inputs=[args.input], force=args.force, suffixes=(".json",))
    config = Path(args.out).with_suffix(".xml")  # the labeling config, beside the tasks
    check_output(str(config), inputs=[args.input], force=args.force, suffixes=(".xml",))
    frame = read_table(args.input)
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
    write_text_atomically(config, classification_config(labels))
    print(
        f"wrote {target} ({len(tasks)} tasks, most useful first by {args.strategy}) and the "
        f"labeling config {Path(config).name}",
        file=sys.stderr,
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``review`` command to the ``weaklabel`` parser."""
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
    review.add_argument("--top", type=positive_int, default=100, help="how many rows (default 100)")
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
    review.add_argument(
        "--seed", type=non_negative_int, default=0, help="breaks ties between rows (default 0)"
    )
    review.add_argument("--force", action="store_true", help="replace existing output files")
    review.set_defaults(func=run)
