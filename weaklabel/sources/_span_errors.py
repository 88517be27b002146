"""Transitional: the span messages now live in :mod:`weaklabel.errors` (E500-E519).

Only the codes that ``weaklabel.tokens`` still raises under their old numbers remain here;
this module goes away once it raises E033, E023 and E026.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors

__all__ = ["Errors"]


class Errors(CoreErrors):
    """The old span catalogue, reduced to what ``weaklabel.tokens`` still uses."""

    E503 = "Two span sources share the name {name!r}; every source needs a unique name."
    E517 = (
        "Got {n_names} source names for weak labels with {n_columns} columns; give one "
        "name per column."
    )
    E518 = "No source named {name!r}; the token matrix has {names}."
