"""The ``weaklabel`` command line: the demo, and evaluation on WRENCH folders.

Use it from the shell or another pipeline::

    weaklabel demo --out demo_out
    weaklabel wrench path/to/wrench/youtube --model label-model
    weaklabel augment labelled.csv --out augmented.csv --augmenter synonym noise --n 2
    weaklabel review demo_out/labels.csv --top 50 --out tasks.json
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType


def _commands() -> list[ModuleType]:
    """The command modules, in the order ``weaklabel --help`` lists them.

    Each is a private module ``weaklabel/cli/_<command>.py`` with ``register(sub)``, which
    adds its subparser and sets ``func`` to a ``run(args) -> int``.
    """
    from weaklabel.cli import _augment, _demo, _review, _wrench

    return [_demo, _wrench, _augment, _review]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``weaklabel`` command."""
    parser = argparse.ArgumentParser(
        prog="weaklabel", description="Programmatic labeling of NLP training data."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for command in _commands():
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``weaklabel`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from weaklabel.errors import WeaklabelError

    try:
        return int(args.func(args))
    except WeaklabelError as exc:
        print(f"weaklabel: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
