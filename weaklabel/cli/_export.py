"""``weaklabel export``: a labels table to a fine-tuning or training file (or leak-free splits).

Reads a CSV/TSV/JSONL/Parquet table (a text column, optional label, ``p_<label>``, spans
and provenance columns) and writes it with :mod:`weaklabel.export` as chat JSONL,
prompt/completion JSONL, a Hugging Face dataset folder, a spaCy DocBin, CoNLL BIO, CSV or
Parquet; with ``--split``, a folder of leak-free train/valid/test files. Every input and
output is checked before any work; a chat file is validated after writing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from weaklabel.cli._args import fraction, non_negative_int
from weaklabel.cli._io import check_output, read_table

CHAT_OPTIONS = (
    "system", "user_template", "assistant_template", "answer", "explanations", "weight",
    "weight_threshold", "min_confidence", "drop_unlabeled",
)  # fmt: skip


def _check_folder(out: str, *, inputs: list[str], force: bool) -> Path:
    """Refuse a folder output that is an input, exists without --force, or has no parent."""
    from weaklabel.errors import Errors, ParameterError

    target = Path(out)
    for given in inputs:
        if target.exists() and Path(given).exists() and target.resolve() == Path(given).resolve():
            raise ParameterError(Errors.E401.format(out=out))
    if not target.parent.resolve().is_dir():
        raise ParameterError(Errors.E404.format(path=out, reason="its folder does not exist"))
    if target.exists() and not force:
        raise ParameterError(Errors.E402.format(path=out))
    return target


def _writer_options(args: argparse.Namespace) -> dict[str, Any]:
    """The writer options of the format, after checking none is given that does not apply."""
    from weaklabel.errors import Errors, ExportError
    from weaklabel.export.chat import read_explanations

    chat = args.format in ("chat", "prompt-completion")
    options: dict[str, Any] = {"text_column": args.text_column}
    if args.format != "conll":
        options.update(label_column=args.label_column, proba_prefix=args.proba_prefix)
        if args.labels:
            options["label_names"] = list(args.labels)
    if args.format in ("hf", "docbin", "conll", "csv", "parquet"):
        options["span_column"] = args.span_column
    if args.format == "docbin":
        options["span_key"] = args.span_key
    given = {name for name in CHAT_OPTIONS if getattr(args, name) is not None}
    if given and not chat:
        flags = ", ".join("--" + name.replace("_", "-") for name in sorted(given))
        raise ExportError(
            Errors.E060.format(
                name="weaklabel export", param=flags,
                expected="used with --format chat or prompt-completion only", value=args.format,
            )
        )  # fmt: skip
    if args.format == "prompt-completion" and args.system is not None:
        raise ExportError(
            Errors.E060.format(
                name="weaklabel export", param="--system",
                expected="used with --format chat (prompt/completion has no system turn)",
                value=args.system,
            )
        )  # fmt: skip
    for name in given:
        options[name] = getattr(args, name)
    if "explanations" in options:
        options["explanations"] = read_explanations(options["explanations"])
    if options.get("weight") == "none":
        del options["weight"]
    return options


def run(args: argparse.Namespace) -> int:
    """Check the paths, read the table, write it, and print what was written."""
    from weaklabel.export.splits import check_export_path, export_frame, write_splits
    from weaklabel.export.validate import validate_chat_jsonl

    inputs = [args.input]
    if args.explanations is not None:
        inputs.append(args.explanations)
    if args.split or args.format == "hf":
        target = _check_folder(args.out, inputs=inputs, force=args.force)
    else:
        suffixes = check_export_path(args.out, format=args.format)
        target = check_output(args.out, inputs=inputs, force=args.force, suffixes=suffixes)
    options = _writer_options(args)  # reads the explanations file, if any
    frame = read_table(args.input)
    if args.split:
        report = write_splits(
            frame, target, format=args.format, sizes=tuple(args.sizes), seed=args.seed,
            near_duplicate_threshold=None if args.near_duplicate_threshold <= 0
            else args.near_duplicate_threshold, overwrite=args.force, **options,
        )  # fmt: skip
        print(f"wrote {report.summary()}", file=sys.stderr)
        written = ", ".join(f"{k} {v}" for k, v in report.written.items())
        print(f"examples written: {written}", file=sys.stderr)
        files = list(report.paths.values()) if args.format != "hf" else []
    else:
        path, n = export_frame(frame, target, format=args.format, overwrite=args.force, **options)
        print(f"wrote {path} ({n} of {len(frame)} rows as {args.format})", file=sys.stderr)
        files = [path] if args.format in ("chat", "prompt-completion") else []
    if args.format in ("chat", "prompt-completion"):
        extra = ("weight",) if options.get("weight") == "example" else ()
        for path in files:
            check = validate_chat_jsonl(path, extra_keys=extra)
            print(f"validate: {check.summary()}", file=sys.stderr)
            for line in check.problem_lines()[:10]:
                print(f"  {line}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` command to the ``weaklabel`` parser."""
    export = sub.add_parser(
        "export",
        help="write a labels table as chat JSONL, HF dataset, DocBin, CoNLL, CSV or Parquet",
        description=(
            "Write a labels table (a text column; optional label, p_<label> probability, "
            "spans and provenance columns) in a training or fine-tuning format. With --split, "
            "--out is a folder of train/valid/test files split without leaks (augmented "
            "copies and near-duplicates stay on one side). Chat files are validated after "
            "writing (see `weaklabel validate`)."
        ),
    )
    export.add_argument("input", help="CSV, TSV, JSONL or Parquet table")
    export.add_argument(
        "--format", required=True,
        choices=("chat", "prompt-completion", "hf", "docbin", "conll", "csv", "parquet"),
        help="output format",
    )  # fmt: skip
    export.add_argument("--out", required=True, help="file to write (a folder for hf and --split)")
    export.add_argument("--force", action="store_true", help="replace an existing output")
    columns = export.add_argument_group("columns")
    columns.add_argument("--text-column", default="text", help="the texts (default text)")
    columns.add_argument("--label-column", default="label", help="the labels (default label)")
    columns.add_argument("--proba-prefix", default="p_", help="probability columns (p_)")
    columns.add_argument("--span-column", default="spans", help="spans, as JSON (spans)")
    columns.add_argument("--labels", nargs="+", metavar="LABEL", help="the label names, in order")
    chat = export.add_argument_group("chat and prompt-completion")
    chat.add_argument("--system", help="system message of every example")
    chat.add_argument("--user-template", help="user turn, e.g. 'Classify: {text}' ({text})")
    chat.add_argument("--assistant-template", help="assistant turn ({answer})")
    chat.add_argument(
        "--answer", help="label (default), explanation, or a column holding free-text answers"
    )
    chat.add_argument("--explanations", help="JSON file {label: explanation}")
    chat.add_argument(
        "--weight", choices=("none", "assistant", "example"),
        help="weight by label confidence: 0/1 on the assistant turn, or a top-level float",
    )  # fmt: skip
    chat.add_argument("--weight-threshold", type=fraction, help="confidence for weight 1 (0.5)")
    chat.add_argument(
        "--min-confidence", type=fraction, help="drop rows whose label is less likely"
    )
    chat.add_argument(
        "--drop-unlabeled", action="store_true", default=None, help="leave out rows with no answer"
    )
    export.add_argument("--span-key", default="sc", help="DocBin span group (default sc)")
    split = export.add_argument_group("splits")
    split.add_argument("--split", action="store_true", help="write train/valid/test into --out")
    split.add_argument(
        "--sizes", nargs=3, type=fraction, default=[0.8, 0.1, 0.1],
        metavar=("TRAIN", "VALID", "TEST"), help="fractions of rows (default 0.8 0.1 0.1)",
    )  # fmt: skip
    split.add_argument(
        "--seed", type=non_negative_int, default=0, help="seed of the split (default 0)"
    )
    split.add_argument(
        "--near-duplicate-threshold", type=fraction, default=0.8,
        help="keep texts at least this similar together (0 turns it off; default 0.8)",
    )  # fmt: skip
    export.set_defaults(func=run)
