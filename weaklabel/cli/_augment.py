"""``weaklabel augment``: add label-preserving variants to a table of labelled texts."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from weaklabel.cli._io import TABLE_SUFFIXES, check_output, read_table, write_table

if TYPE_CHECKING:
    from weaklabel.augment.base import Augmenter

AUGMENTER_NAMES = ("synonym", "noise", "backtranslation")


def _augmenter(name: str, args: argparse.Namespace) -> Augmenter:
    from weaklabel.augment import BackTranslation, Noise, Synonym

    if name == "synonym":
        return Synonym(p=args.p)
    if name == "noise":
        return Noise(p=args.p / 4)
    return BackTranslation.apertium(args.language, args.pivot)


def run(args: argparse.Namespace) -> int:
    from weaklabel.augment import AugmentationPipeline, NearDuplicateFilter, OneOf

    target = check_output(args.out, inputs=[args.input], force=args.force, suffixes=TABLE_SUFFIXES)
    frame = read_table(args.input)
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
    write_table(out, target)
    report = ", ".join(f"{k} {v}" for k, v in pipeline.report_.items())
    print(f"wrote {target}: {report}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``augment`` command to the ``weaklabel`` parser."""
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
    augment.set_defaults(func=run)
