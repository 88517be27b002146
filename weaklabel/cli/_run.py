"""``weaklabel run``: the whole flow from a TOML/YAML configuration (prepare to chat JSONL)."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    """Load and check the configuration in full, then run every stage of it."""
    from weaklabel.flow import load_config, run_flow

    config = load_config(args.config, force=args.force)
    print(f"{args.config}: configuration checked", file=sys.stderr)
    result = run_flow(
        config, progress=not args.no_progress, log=lambda line: print(line, file=sys.stderr)
    )
    print(f"done: {len(result.outputs)} files written", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``run`` command to the ``weaklabel`` parser."""
    cmd = sub.add_parser(
        "run",
        help="run the whole flow from a configuration file",
        description=(
            "Read a TOML (or YAML) configuration naming the data, the preparation steps, "
            "the sources, the label model, the augmentation and the outputs; check all of "
            "it (every key, input and output) before any work, then prepare, apply, fit, "
            "augment and write each output atomically, with a summary line per stage. See "
            "the guide page 'Running the whole flow' for the format."
        ),
    )
    cmd.add_argument("config", help="the configuration (.toml, .yaml or .yml)")
    cmd.add_argument("--force", action="store_true", help="replace existing output files")
    cmd.add_argument("--no-progress", action="store_true", help="hide progress bars")
    cmd.set_defaults(func=run)
