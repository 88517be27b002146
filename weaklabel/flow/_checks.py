"""Shared checks of the flow: input paths, imported Python objects, wrapped constructor errors.

Internal to :mod:`weaklabel.flow`; each function raises a
:class:`~weaklabel.errors.ConfigError` naming the configuration key.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from weaklabel.errors import ConfigError, WeaklabelError
from weaklabel.flow._errors import Errors
from weaklabel.flow.schema import Checker, closest

__all__ = ["import_object", "resolve_input", "wrap_errors"]


def resolve_input(check: Checker, folder: Path, given: str, key: str) -> Path:
    """An input path of the configuration, resolved against its folder; it must exist."""
    target = Path(given) if Path(given).is_absolute() else folder / given
    if not target.is_file():
        problem = "is a folder, not a file" if target.is_dir() else "does not exist"
        raise ConfigError(
            check.text(Errors.E840, key=key, path=given, problem=problem, folder=str(folder))
        )
    return target


def import_object(check: Checker, target: str, key: str, folder: Path) -> Any:
    """Import ``"package.module:name"``, with the configuration's folder on ``sys.path``."""
    module_name, _, attr = target.partition(":")
    if not module_name or not attr:
        raise ConfigError(
            check.text(
                Errors.E844, key=key, target=target, problem="it is not of the form 'module:name'"
            )
        )
    added = str(folder) not in sys.path
    if added:
        sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(
            check.text(Errors.E844, key=key, target=target, problem=str(exc))
        ) from None
    except Exception as exc:  # the user's module raised while importing: say which
        problem = f"importing it raised {type(exc).__name__}: {exc}"
        raise ConfigError(
            check.text(Errors.E844, key=key, target=target, problem=problem)
        ) from None
    finally:
        if added:
            sys.path.remove(str(folder))
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            found = [n for n in dir(obj) if not n.startswith("_")]
            problem = f"{module_name} has no {part!r}{closest(part, found)}"
            raise ConfigError(check.text(Errors.E844, key=key, target=target, problem=problem))
        obj = getattr(obj, part)
    return obj


def wrap_errors(check: Checker, key: str, build: Callable[[], Any]) -> Any:
    """Call ``build()``, turning a weaklabel error or a missing package into one naming ``key``."""
    try:
        return build()
    except (WeaklabelError, ImportError) as exc:
        raise ConfigError(check.text(Errors.E836, key=key, problem=str(exc))) from None
