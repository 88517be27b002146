"""Old import paths that keep working for one release, with a ``DeprecationWarning``.

Internal. When a public name or a whole module moves, its old module keeps a PEP 562
``__getattr__`` made here, so ``from weaklabel.old import Name`` still works and says where
the name lives now::

    # weaklabel/old.py, after Name moved to weaklabel.new
    from weaklabel._deprecated import moved_names

    __getattr__ = moved_names(__name__, {"Name": "weaklabel.new"})

    # weaklabel/old_module.py, after the whole module moved
    from weaklabel._deprecated import moved_module

    __getattr__ = moved_module(__name__, "weaklabel.package.new_module")

Every moved name is listed in ``CHANGELOG.md``; the old paths go in the release after next.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from typing import Any

REMOVED_IN = "0.3"
"""The release whose import paths no longer include the old locations."""


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"{old} has moved to {new}; the old import path is removed in weaklabel "
        f"{REMOVED_IN}. Import it from {new.rsplit('.', 1)[0]} instead.",
        DeprecationWarning,
        stacklevel=3,
    )


def moved_names(module: str, moved: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that forwards moved names to their new module.

    Parameters
    ----------
    module : str
        The old module's ``__name__``.
    moved : dict of str to str
        Old attribute name -> the module that defines it now (same name there), or
        ``"module:new_name"`` when it was renamed too.

    Returns
    -------
    callable
        ``__getattr__(name)``: the moved object, after a ``DeprecationWarning``; an
        ``AttributeError`` for any other name.
    """

    def __getattr__(name: str) -> Any:
        target = moved.get(name)
        if target is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        new_module, _, new_name = target.partition(":")
        new_name = new_name or name
        _warn(f"{module}.{name}", f"{new_module}.{new_name}")
        return getattr(importlib.import_module(new_module), new_name)

    return __getattr__


def moved_module(module: str, new_module: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for a module whose whole content moved elsewhere.

    Parameters
    ----------
    module : str
        The old module's ``__name__``.
    new_module : str
        Where everything it defined lives now.

    Returns
    -------
    callable
        ``__getattr__(name)``: the attribute of ``new_module``, after a
        ``DeprecationWarning``.
    """

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(new_module), name)
        _warn(f"{module}.{name}", f"{new_module}.{name}")
        return value

    return __getattr__
