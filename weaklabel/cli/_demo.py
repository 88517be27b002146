"""``weaklabel demo``: the whole flow on the shipped review corpus."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Run the demo into ``args.out`` (the folder is checked before any work)."""
    from weaklabel.demo import run_demo

    run_demo(args.out, progress=not args.no_progress, overwrite=args.force)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` command to the ``weaklabel`` parser."""
    demo = sub.add_parser(
        "demo",
        help="run the whole flow on the shipped review corpus",
        description=(
            "Apply twelve sources to 400 shipped product reviews, fit LabelModel and "
            "MajorityVote, print their accuracy on the reviews with a vote and on all "
            "reviews, and write labels, the source summary, the model, plots and an "
            "augmented table into a folder."
        ),
    )
    demo.add_argument(
        "--out", required=True, metavar="DIR", help="folder to write into (created if missing)"
    )
    demo.add_argument(
        "--force", action="store_true", help="replace the demo's files already in --out"
    )
    demo.add_argument("--no-progress", action="store_true", help="hide progress bars")
    demo.set_defaults(func=run)
