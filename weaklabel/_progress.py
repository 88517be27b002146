"""One way to make a progress bar in weaklabel: silent for short work, never in the way.

Every loop that may run long (applying sources, augmenting, span sources) gets its bar
from :func:`progress_bar`, so the rules are the same everywhere: nothing is drawn for work
that ends within :data:`DELAY` seconds, the bar goes to standard error and is cleared when
closed (``leave=False``), so output printed after it is never interleaved with it, and
``enabled=False`` (``progress=False`` in the public functions) turns it off altogether.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

DELAY = 2.0
"""Seconds of work before a bar appears; shorter work shows none."""


def progress_bar(
    iterable: Iterable[Any] | None = None,
    *,
    total: int | None = None,
    desc: str,
    unit: str = "it",
    enabled: bool = True,
    file: TextIO | None = None,
) -> Any:
    """A tqdm bar that appears only after :data:`DELAY` seconds, and is cleared when closed.

    Parameters
    ----------
    iterable : iterable, optional
        What to wrap; or None, and call ``.update(n)`` on the bar.
    total : int, optional
        The number of steps, when ``iterable`` has no length.
    desc : str
        What the work is, shown before the bar.
    unit : str, default "it"
        What one step is (``"row"``, ``"doc"``, ``"batch"``).
    enabled : bool, default True
        False returns a bar that draws nothing (``disable=True``) but still counts.
    file : text stream, optional
        Where to draw; standard error by default.

    Returns
    -------
    tqdm.tqdm
        Use it as a context manager or close it before printing anything.
    """
    from tqdm.auto import tqdm

    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        delay=DELAY,
        leave=False,
        disable=not enabled,
        dynamic_ncols=True,
        file=file,
    )
