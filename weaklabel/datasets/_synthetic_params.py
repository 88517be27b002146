"""Checks of :func:`~weaklabel.datasets.synthetic.make_label_matrix`'s knobs.

Internal to the synthetic generator: each function takes what the user passed and returns
it in the one form the generator uses (an ``int``, a ``(low, high)`` pair, class shares),
or raises :class:`~weaklabel.errors.ParameterError` with a message that names the knob.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from weaklabel.datasets._errors import Errors
from weaklabel.errors import ParameterError

__all__ = [
    "check_class_balance",
    "check_count",
    "check_fraction",
    "check_interval",
    "check_polarity",
    "check_seed",
    "is_number",
]

_OWNER = "make_label_matrix"  # whose knobs these are, for [E060]


def check_count(value: Any, name: str, *, minimum: int) -> int:
    """``value`` as an int, when it is an integer ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ParameterError(
            Errors.E060.format(
                name=_OWNER, param=name, expected=f"an integer >= {minimum}", value=value
            )
        )
    return int(value)


def is_number(value: Any) -> bool:
    """Whether ``value`` is a real number (``bool`` is not a number here)."""
    return not isinstance(value, bool) and isinstance(value, int | float | np.integer | np.floating)


def check_interval(value: Any, name: str) -> tuple[float, float]:
    """A number or a (low, high) pair with ``0 < low <= high <= 1``, as a pair."""
    if is_number(value):
        pair: tuple[Any, ...] = (value, value)
    elif isinstance(value, tuple | list | np.ndarray) and len(value) == 2:
        pair = tuple(value)
    else:
        pair = ()
    if len(pair) != 2 or not all(is_number(v) for v in pair) or not 0 < pair[0] <= pair[1] <= 1:
        raise ParameterError(Errors.E242.format(name=name, value=value))
    return float(pair[0]), float(pair[1])


def check_fraction(value: Any, name: str) -> float:
    """A number in ``[0, 1]``."""
    if not is_number(value) or not 0 <= value <= 1:
        raise ParameterError(
            Errors.E060.format(name=_OWNER, param=name, expected="a number in [0, 1]", value=value)
        )
    return float(value)


def check_class_balance(value: Any, k: int) -> np.ndarray:
    """The class shares of ``class_balance`` (None, a minority share or an array)."""
    if value is None:
        return np.full(k, 1.0 / k)
    if is_number(value):
        p = float(value)
        if not 0.0 < p <= 1.0 / k:
            raise ParameterError(
                Errors.E243.format(value=value, problem=f"a minority share must be in (0, 1/{k}]")
            )
        return _geometric_shares(p, k)
    try:
        shares = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        shares = np.empty(0)
    if (
        shares.shape != (k,)
        or not np.all(np.isfinite(shares))
        or np.any(shares <= 0)
        or abs(shares.sum() - 1.0) > 1e-6
    ):
        raise ParameterError(
            Errors.E243.format(
                value=value, problem=f"an array needs {k} positive shares that sum to 1"
            )
        )
    return np.asarray(shares / shares.sum())


def _geometric_shares(p: float, k: int) -> np.ndarray:
    """Shares falling geometrically from class 0 to class k-1, the last one being ``p``."""
    if k == 2:
        return np.array([1.0 - p, p])
    if abs(p - 1.0 / k) < 1e-12:
        return np.full(k, 1.0 / k)
    # shares ratio**c / sum: find the ratio in (0, 1) whose last share is p
    lo, hi = 0.0, 1.0
    for _ in range(200):
        ratio = (lo + hi) / 2
        powers = ratio ** np.arange(k)
        if powers[-1] / powers.sum() < p:
            lo = ratio
        else:
            hi = ratio
    powers = ((lo + hi) / 2) ** np.arange(k)
    return np.asarray(powers / powers.sum())


def check_polarity(value: Any) -> float:
    """The share of one-sided regular sources that ``polarity`` asks for."""
    if isinstance(value, str) and value in ("both", "one-sided"):
        return 0.0 if value == "both" else 1.0
    if is_number(value) and 0 <= value <= 1:
        return float(value)
    raise ParameterError(Errors.E244.format(value=value))


def check_seed(value: Any) -> int:
    """``value`` as an int, when it is an integer ``>= 0``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ParameterError(Errors.E062.format(value=value))
    return int(value)
