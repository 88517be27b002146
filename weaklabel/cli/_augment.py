"""``weaklabel augment``: add label-preserving variants to a table of labelled texts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from weaklabel.cli._args import fraction, non_negative_int, positive_int
from weaklabel.cli._io import (
    TABLE_SUFFIXES,
    check_output,
    read_table,
    write_table,
    write_text_atomically,
)

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


SIDECAR_SUFFIX = ".augment.json"


def sidecar_path(target: Path) -> Path:
    """Where the configuration of an augmented table goes: ``<out>.augment.json``."""
    return target.with_name(target.name + SIDECAR_SUFFIX)


def run(args: argparse.Namespace) -> int:
    from weaklabel.augment import AugmentationPipeline, NearDuplicateFilter, OneOf

    target = check_output(args.out, inputs=[args.input], force=args.force, suffixes=TABLE_SUFFIXES)
    sidecar = check_output(
        str(sidecar_path(target)), inputs=[args.input], force=args.force, suffixes=(".json",)
    )
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
    config = {"input": args.input, "output": str(target), **pipeline.config_}
    out.attrs = {}  # the configuration goes to the sidecar, not into the table's metadata
    write_table(out, target)
    write_text_atomically(sidecar, json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    report = ", ".join(f"{k} {v}" for k, v in pipeline.report_.items())
    print(f"wrote {target} and {sidecar.name}: {report}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``augment`` command to the ``weaklabel`` parser."""
    augment = sub.add_parser(
        "augment",
        help="add label-preserving variants to a table of labelled texts",
        description=(
            "Read a CSV/TSV/JSONL/Parquet table, add up to N variants per row (every other "
            "column, such as the label, is copied), and write it with the columns "
            "original_id, augmenter (a short name) and is_augmented after the input's own, "
            "in every format. The configuration (augmenters and their parameters, seed, "
            "filters, what the ids are, the counts) is written once, to <out>.augment.json "
            "beside the table; --force replaces both."
        ),
    )
    augment.add_argument("input", help="the table (.csv, .tsv, .jsonl or .parquet)")
    augment.add_argument(
        "--out",
        required=True,
        help="where to write (format by extension); the configuration goes to <out>.augment.json",
    )
    augment.add_argument(
        "--augmenter",
        choices=AUGMENTER_NAMES,
        nargs="+",
        default=["synonym"],
        help="one, or several (each variant made by one of them)",
    )
    augment.add_argument("--n", type=positive_int, default=1, help="variants per row (default 1)")
    augment.add_argument(
        "--p",
        type=fraction,
        default=0.2,
        help="per-word change probability of synonym (noise uses a quarter; default 0.2)",
    )
    augment.add_argument(
        "--text-column", default="text", help="the column with the texts (default: text)"
    )
    augment.add_argument(
        "--seed", type=non_negative_int, default=0, help="same seed, same output (default 0)"
    )
    augment.add_argument(
        "--dedup",
        type=fraction,
        default=None,
        metavar="THRESHOLD",
        help="drop variants that are near-copies (MinHash Jaccard >= THRESHOLD, e.g. 0.9)",
    )
    augment.add_argument("--only-new", action="store_true", help="write only the new rows")
    augment.add_argument("--language", default="eng", help="Apertium code of the texts")
    augment.add_argument("--pivot", default="spa", help="Apertium pivot language")
    augment.add_argument("--no-progress", action="store_true", help="hide progress bars")
    augment.add_argument(
        "--force", action="store_true", help="replace an existing --out and its .augment.json"
    )
    augment.set_defaults(func=run)
