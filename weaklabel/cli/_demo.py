"""``weaklabel demo``: the whole flow on the shipped review corpus."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Run the demo into ``args.out``."""
    from weaklabel.demo import run_demo

    run_demo(args.out, progress=not args.no_progress)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` command to the ``weaklabel`` parser."""
    demo = sub.add_parser("demo", help="run the whole flow on the shipped review corpus")
    demo.add_argument("--out", required=True, help="folder for labels, summary and plots")
    demo.add_argument("--no-progress", action="store_true", help="hide progress bars")
    demo.set_defaults(func=run)
