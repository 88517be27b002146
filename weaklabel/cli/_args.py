"""Argument types for the command line: numbers checked while the arguments are parsed.

Use them as ``type=`` of ``add_argument`` so that ``--top 0`` or ``--p 2`` is refused as a
usage error (exit 2, one line ``weaklabel: [E410] ...``) before any file is read.
"""

from __future__ import annotations

import argparse
import math


def positive_int(text: str) -> int:
    """An integer >= 1, e.g. a count of rows or of variants."""
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1; got {text!r}")
    return value


def non_negative_int(text: str) -> int:
    """An integer >= 0, e.g. a seed."""
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0; got {text!r}")
    return value


def fraction(text: str) -> float:
    """A number in [0, 1], e.g. a probability or a similarity threshold."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number in [0, 1]; got {text!r}") from None
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise argparse.ArgumentTypeError(f"must be a number in [0, 1]; got {text!r}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer; got {text!r}") from None
