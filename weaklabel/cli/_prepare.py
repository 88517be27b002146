"""``weaklabel prepare``: repair, de-duplicate and filter a raw table, a reason per dropped row."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from weaklabel.cli._io import TABLE_SUFFIXES, check_output, read_table, write_table

STEP_NAMES = (
    "strip_html",
    "fix_text",
    "whitespace",
    "length",
    "exact_duplicates",
    "near_duplicates",
    "language",
)
DEFAULT_STEPS = ("strip_html", "fix_text", "whitespace", "exact_duplicates", "near_duplicates")


_STEP_OPTIONS = {
    "length": ("min_chars", "max_chars", "min_words", "max_words"),
    "near_duplicates": ("near_threshold",),
    "language": ("languages", "min_confidence"),
}


def _steps(args: argparse.Namespace) -> list[Any]:
    from weaklabel.errors import Errors, ParameterError
    from weaklabel.prepare import STEPS

    for step, names in _STEP_OPTIONS.items():
        given = [n for n in names if getattr(args, n) is not None]
        if given and step not in args.steps:
            option = "--" + given[0].replace("_", "-")
            raise ParameterError(
                Errors.E060.format(
                    name="weaklabel prepare",
                    param=option,
                    expected=f"used with the {step} step (add {step} to --steps)",
                    value=getattr(args, given[0]),
                )
            )
    if args.near_threshold is None:
        args.near_threshold = 0.9
    if args.languages is None:
        args.languages = ["en"]
    if args.min_confidence is None:
        args.min_confidence = 0.3

    options: dict[str, dict[str, Any]] = {
        "length": {
            "min_chars": args.min_chars,
            "max_chars": args.max_chars,
            "min_words": args.min_words,
            "max_words": args.max_words,
        },
        "near_duplicates": {"threshold": args.near_threshold},
        "language": {"keep": args.languages, "min_confidence": args.min_confidence},
    }
    return [STEPS[name](**options.get(name, {})) for name in dict.fromkeys(args.steps)]


def run(args: argparse.Namespace) -> int:
    """Prepare ``args.input`` and write the kept rows (and the dropped ones, if asked)."""
    from weaklabel.errors import Errors, ParameterError
    from weaklabel.prepare import prepare

    target = check_output(args.out, inputs=[args.input], force=args.force, suffixes=TABLE_SUFFIXES)
    dropped_target = None
    if args.dropped is not None:
        dropped_target = check_output(
            args.dropped, inputs=[args.input], force=args.force, suffixes=TABLE_SUFFIXES
        )
        if dropped_target.resolve() == target.resolve():
            raise ParameterError(Errors.E401.format(out=args.dropped))
    steps = _steps(args)  # invalid options fail here, before the table is read
    frame = read_table(args.input)
    prepared = prepare(
        frame,
        text_column=args.text_column,
        id_column=args.id_column,
        steps=steps,
        log=lambda line: print(line, file=sys.stderr),
    )
    write_table(prepared.frame, target)
    print(f"wrote {target}: {len(prepared.frame)} of {len(frame)} rows kept", file=sys.stderr)
    if dropped_target is not None:
        write_table(prepared.dropped, dropped_target)
        print(f"wrote {dropped_target}: {len(prepared.dropped)} dropped rows", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``prepare`` command to the ``weaklabel`` parser."""
    cmd = sub.add_parser(
        "prepare",
        help="repair, de-duplicate and filter a raw table of texts",
        description=(
            "Read a CSV/TSV/JSONL/Parquet table, repair its texts (HTML tags, Unicode and "
            "HTML entities with ftfy, whitespace), drop missing, duplicate, near-duplicate, "
            "too short/long and other-language texts, and write the kept rows with an id "
            "that traces each to its raw row. --dropped writes id, step and reason of "
            "every dropped row."
        ),
    )
    cmd.add_argument("input", help="the raw table (.csv, .tsv, .jsonl or .parquet)")
    cmd.add_argument("--out", required=True, help="where to write the kept rows")
    cmd.add_argument("--dropped", default=None, help="where to write the dropped rows (optional)")
    cmd.add_argument("--text-column", default="text", help="the text column (default text)")
    cmd.add_argument(
        "--id-column",
        default="id",
        help="the id column, kept when present, else made from raw row numbers (default id)",
    )
    cmd.add_argument(
        "--steps",
        nargs="+",
        choices=STEP_NAMES,
        default=list(DEFAULT_STEPS),
        help=f"the steps, run in this order (default: {' '.join(DEFAULT_STEPS)})",
    )
    cmd.add_argument("--min-chars", type=int, default=None, help="length step: fewest characters")
    cmd.add_argument("--max-chars", type=int, default=None, help="length step: most characters")
    cmd.add_argument("--min-words", type=int, default=None, help="length step: fewest words")
    cmd.add_argument("--max-words", type=int, default=None, help="length step: most words")
    cmd.add_argument(
        "--near-threshold",
        type=float,
        default=None,
        help="near_duplicates step: MinHash Jaccard at which a text is a copy (default 0.9)",
    )
    cmd.add_argument(
        "--languages",
        nargs="+",
        default=None,
        help="language step: ISO 639-1 codes to keep (default en)",
    )
    cmd.add_argument(
        "--min-confidence",
        type=float,
        default=None,
        help="language step: detector confidence a kept text needs (default 0.3)",
    )
    cmd.add_argument("--force", action="store_true", help="replace existing output files")
    cmd.set_defaults(func=run)
