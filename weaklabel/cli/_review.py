"""``weaklabel review``: Label Studio tasks for the rows a reviewer should see first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from weaklabel.cli._args import non_negative_int, positive_int
from weaklabel.cli._io import check_output, read_table, write_text_atomically

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


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
    if len(columns) < 2:
        raise ReviewError(
            Errors.E060.format(
                name="weaklabel review",
                param=f"{prefix}<label> columns of {args.input}",
                expected="one probability column per class, for two classes or more",
                value=[str(c) for c in columns],
            )
        )
    proba = _probabilities(frame, columns, args.input)
    top = min(int(args.top), len(frame))
    rows = select(proba, strategy=args.strategy, k=top, seed=args.seed)
    column = frame[args.text_column]
    if column.isna().any():  # a missing text is not the word "nan"
        row = int(np.flatnonzero(column.isna().to_numpy())[0])
        raise ReviewError(
            Errors.E060.format(
                name="weaklabel review",
                param=f"row {row + 1} of {args.input}, column {args.text_column!r}",
                expected="a text (the task shows it to the reviewer)",
                value="an empty cell",
            )
        )
    texts = column.astype(str).to_numpy()[rows].tolist()
    tasks = classification_tasks(texts, labels, proba=proba[rows], rows=rows)
    target = write_tasks(tasks, args.out, overwrite=args.force)
    write_text_atomically(config, classification_config(labels))
    print(
        f"wrote {target} ({len(tasks)} tasks, most useful first by {args.strategy}) and the "
        f"labeling config {Path(config).name}",
        file=sys.stderr,
    )
    return 0


def _probabilities(frame: pd.DataFrame, columns: list[str], path: str) -> np.ndarray:
    """The class probabilities, shape (n_rows, n_classes): numbers >= 0 summing to 1 per row.

    A row summing to within 1% of 1 is renormalised (rounded files); any other row, a cell
    that is not a number, missing, infinite or negative is refused, naming row and column.
    """
    import numpy as np
    import pandas as pd

    from weaklabel.errors import Errors, ReviewError

    def bad(row: int, column: str, value: object, expected: str) -> ReviewError:
        return ReviewError(
            Errors.E060.format(
                name="weaklabel review",
                param=f"row {row + 1} of {path}, column {column!r}",
                expected=expected,
                value=value,
            )
        )

    values = frame[columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
    wrong = ~np.isfinite(values) | (values < 0)
    if wrong.any():
        row, col = (int(i) for i in np.argwhere(wrong)[0])
        raw = frame[columns[col]].iloc[row]
        raise bad(row, columns[col], raw, "a finite probability >= 0")
    totals = values.sum(axis=1)
    off = np.flatnonzero(np.abs(totals - 1.0) > 0.01)
    if off.size:
        row = int(off[0])
        raise bad(
            row,
            "+".join(columns),
            round(float(totals[row]), 6),
            "probabilities summing to 1 (one column per class)",
        )
    return values / totals[:, None]


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
