"""``weaklabel fit``: fit a label model on a label matrix file and write the labels table."""

from __future__ import annotations

import argparse
import sys

MODEL_NAMES = (
    "label-model",
    "majority",
    "weighted-vote",
    "dawid-skene",
    "matrix-completion",
    "triplet",
)


def run(args: argparse.Namespace) -> int:
    """Fit the model on the matrix and write the labels with their probabilities."""
    from weaklabel.cli._io import TABLE_SUFFIXES, check_output, read_table, write_table
    from weaklabel.errors import Errors, ParameterError
    from weaklabel.flow._files import read_matrix
    from weaklabel.flow.runner import fit_stage, labels_table

    target = check_output(args.out, inputs=[args.matrix], force=args.force, suffixes=TABLE_SUFFIXES)
    if args.config is not None:
        from weaklabel.flow import load_config

        config = load_config(args.config, only=())
        label_names, model = config.label_names, config.model
        id_column = args.id_column or config.id_column or "id"
        text_column = args.text_column or config.text_column
    else:
        if not args.labels or len(args.labels) < 2:
            raise ParameterError(
                Errors.E060.format(
                    name="weaklabel fit",
                    param="--labels",
                    expected="two or more class names (or --config)",
                    value=args.labels,
                )
            )
        from weaklabel.flow.build import build_named_model

        label_names = list(args.labels)
        model = build_named_model(args.model, len(label_names), seed=args.seed)
        id_column, text_column = args.id_column or "id", args.text_column or "text"
    frame = read_table(args.matrix)
    for column in (id_column, text_column):
        if column not in frame.columns:
            raise ParameterError(
                Errors.E060.format(
                    name="weaklabel fit",
                    param="the matrix columns",
                    expected=f"to include {column!r} (see --id-column, --text-column)",
                    value=[str(c) for c in frame.columns],
                )
            )
    matrix, _ = read_matrix(frame, args.matrix, label_names, exclude=[id_column, text_column])
    proba = fit_stage(model, matrix)
    table = labels_table(frame, proba, matrix, label_names, columns=[id_column, text_column])
    keep = (table["n_votes"] > 0) | args.keep_unlabelled
    keep &= table["confidence"] >= args.min_confidence
    write_table(table[keep].reset_index(drop=True), target)
    print(
        f"fit {type(model).__name__} on {matrix.n_examples} rows x {matrix.n_sources} sources; "
        f"wrote {target}: {int(keep.sum())} rows ({int((~keep).sum())} dropped: no vote or "
        f"under --min-confidence)",
        file=sys.stderr,
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``fit`` command to the ``weaklabel`` parser."""
    cmd = sub.add_parser(
        "fit",
        help="fit a label model on a label matrix file and write labels with probabilities",
        description=(
            "Read a label matrix written by `weaklabel apply` (id, text, one column of "
            "votes per source), fit a label model and write the labels table: id, text, "
            "label, confidence, n_votes and p_<class> per class. The class names and the "
            "model come from --config, or from --labels and --model."
        ),
    )
    cmd.add_argument("matrix", help="the label matrix (.csv, .tsv, .jsonl or .parquet)")
    cmd.add_argument("--out", required=True, help="the labels table to write")
    cmd.add_argument("--config", default=None, help="take labels and model from this config")
    cmd.add_argument("--labels", nargs="+", default=None, help="the class names, in id order")
    cmd.add_argument("--model", choices=MODEL_NAMES, default="label-model", help="the label model")
    cmd.add_argument("--seed", type=int, default=0, help="the model's seed (default 0)")
    cmd.add_argument("--id-column", default=None, help="the id column of the matrix (default: id)")
    cmd.add_argument(
        "--text-column", default=None, help="the text column of the matrix (default: text)"
    )
    cmd.add_argument("--keep-unlabelled", action="store_true", help="keep rows no source voted on")
    cmd.add_argument(
        "--min-confidence", type=float, default=0.0, help="drop rows under this confidence"
    )
    cmd.add_argument("--force", action="store_true", help="replace an existing --out")
    cmd.set_defaults(func=run)
