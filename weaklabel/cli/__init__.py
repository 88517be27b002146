"""The ``weaklabel`` command line: every stage of the flow, from a raw corpus to a training file.

Use it from the shell or another pipeline::

    weaklabel demo --out demo_out
    weaklabel wrench path/to/wrench/youtube --model label-model
    weaklabel augment labelled.csv --out augmented.csv --augmenter synonym noise --n 2
    weaklabel review demo_out/labels.csv --top 50 --out tasks.json
    weaklabel --help            # every command: prepare, apply, fit, run, export, validate ...
    weaklabel --version

Every command checks its inputs and outputs before it does any work. A bad invocation, a
bad input or a file-system error ends with exit code 2 and one line on standard error,
``weaklabel: [Ennn] ...``, naming the file and the fix, never a traceback; an unexpected
exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn


def _commands() -> list[ModuleType]:
    """The command modules, in the order ``weaklabel --help`` lists them.

    Each is a private module ``weaklabel/cli/_<command>.py`` with ``register(sub)``, which
    adds its subparser and sets ``func`` to a ``run(args) -> int``.
    """
    from weaklabel.cli import (
        _apply,
        _augment,
        _demo,
        _export,
        _fit,
        _prepare,
        _review,
        _run,
        _validate,
        _wrench,
    )

    # the flow's order: try it, prepare a corpus, label it, review, augment, export
    return [_demo, _wrench, _prepare, _apply, _fit, _run, _review, _augment, _export, _validate]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one numbered line, like every other error."""

    def error(self, message: str) -> NoReturn:
        from weaklabel.errors import Errors, ParameterError

        error = ParameterError(
            Errors.E410.format(message=f"{self.prog}: {message.rstrip('.')}", prog=self.prog)
        )
        self.exit(2, f"weaklabel: {error}\n")


def _version() -> str:
    """The installed version of weaklabel (from the package metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weaklabel")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        from weaklabel import __version__

        return __version__


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``weaklabel`` command (every option has a help text)."""
    parser = _Parser(prog="weaklabel", description="Programmatic labeling of NLP training data.")
    parser.add_argument(
        "--version",
        action="version",
        version=f"weaklabel {_version()}",
        help="print the version of weaklabel and exit",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _commands():
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``weaklabel`` command; returns the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; by default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success; 2 on a usage error, a weaklabel error or a file-system error (the
        message goes to standard error); another code a command returns on purpose.
    """
    from weaklabel.errors import Errors, OutputError, WeaklabelError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return int(args.func(args))
    except WeaklabelError as exc:
        print(f"weaklabel: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file system that refuses: a full disk, a permission, a lost mount
        path = exc.filename if exc.filename is not None else "?"
        reason = exc.strerror or str(exc) or type(exc).__name__
        error = OutputError(Errors.E409.format(path=str(path), reason=reason))
        print(f"weaklabel: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
