"""PEP 562 lazy exports, shared by :mod:`weaklabel` and :mod:`weaklabel.datasets`.

Internal. A package lists ``{public name: defining module}`` and forwards its module-level
``__getattr__`` here, so that importing the package stays cheap and each name imports its
module on first use.
"""

from __future__ import annotations

import importlib
from typing import Any


def lazy_attribute(
    package: str, name: str, exports: dict[str, str], namespace: dict[str, Any]
) -> Any:
    """Resolve ``package.name`` on first use and cache it in the package's ``namespace``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    name : str
        The attribute asked for.
    exports : dict of str to str
        Public name -> module that defines it.
    namespace : dict
        The package's ``globals()``; the resolved value is stored there.

    Returns
    -------
    object
        The exported value, or the submodule ``package.name``.

    Raises
    ------
    AttributeError
        When ``name`` is neither an export nor a submodule.
    """
    module_name = exports.get(name)
    if module_name is None:
        try:  # a submodule: weaklabel.errors, weaklabel.datasets.wrench, ...
            return importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{name}":
                raise
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    namespace[name] = value
    return value
