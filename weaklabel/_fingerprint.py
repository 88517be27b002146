"""Stable fingerprints of source definitions and data, used as cache keys.

A fingerprint changes when what a source computes may change: its code, constants,
default arguments, closure values, the simple global values it reads (a keyword list at
module level), its resources and preprocessors. Objects without a stable text form fall
back to their identity, so a cache never serves a stale column; at worst it recomputes.
"""

from __future__ import annotations

import hashlib
import types
from collections.abc import Callable, Iterable
from typing import Any

_SIMPLE = (str, bytes, int, float, complex, bool, type(None))


def _stable_repr(value: Any, depth: int = 0) -> str:
    """A text form of ``value`` that is the same across sessions when possible."""
    if isinstance(value, _SIMPLE):
        return repr(value)
    if depth > 4:
        return f"<{type(value).__qualname__}@{id(value)}>"
    if isinstance(value, list | tuple):
        inner = ",".join(_stable_repr(v, depth + 1) for v in value)
        return f"{type(value).__name__}({inner})"
    if isinstance(value, set | frozenset):
        return f"set({','.join(sorted(_stable_repr(v, depth + 1) for v in value))})"
    if isinstance(value, dict):
        items = sorted(
            (_stable_repr(k, depth + 1), _stable_repr(v, depth + 1)) for k, v in value.items()
        )
        return "dict(" + ",".join(f"{k}:{v}" for k, v in items) + ")"
    if isinstance(value, types.FunctionType):
        return "fn:" + function_fingerprint(value, depth + 1)
    if isinstance(value, types.ModuleType):
        return f"module:{value.__name__}"
    fingerprint = getattr(value, "fingerprint", None)
    if callable(fingerprint):
        try:
            return f"fp:{fingerprint()}"
        except TypeError:
            pass
    if hasattr(value, "pattern") and hasattr(value, "flags"):  # compiled regex
        return f"re({value.pattern!r},{value.flags})"
    array_digest = _array_digest(value)
    if array_digest is not None:
        return array_digest
    # Anything else may be mutable or have a shortened repr: use its identity, so that a
    # cache recomputes rather than serving a stale column.
    return f"<{type(value).__qualname__}@{id(value)}>"


def _array_digest(value: Any) -> str | None:
    """Content hash of NumPy arrays and pandas objects (whose reprs are shortened)."""
    import sys

    import numpy as np

    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return "ndarray(" + _stable_repr(value.tolist(), 1) + ")"
        data = np.ascontiguousarray(value)
        return f"ndarray({data.dtype},{data.shape},{digest([data.tobytes().hex()])})"
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, pandas.DataFrame | pandas.Series | pandas.Index):
        try:
            hashed = pandas.util.hash_pandas_object(value, index=True).to_numpy()
        except TypeError:
            return None
        names = repr(list(value.columns)) if isinstance(value, pandas.DataFrame) else ""
        return f"pandas({type(value).__name__},{names},{digest([hashed.tobytes().hex()])})"
    return None


def _code_parts(code: types.CodeType, depth: int) -> Iterable[str]:
    yield code.co_code.hex()
    yield repr(code.co_names)
    yield repr(code.co_varnames)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_parts(const, depth)
        else:
            yield _stable_repr(const, depth)


def function_fingerprint(func: Callable[..., Any], depth: int = 0) -> str:
    """Fingerprint of a Python function's behaviour-relevant definition."""
    parts: list[str] = [getattr(func, "__qualname__", repr(func))]
    code = getattr(func, "__code__", None)
    if code is None:
        return digest([*parts, _stable_repr(func, depth)])
    parts.extend(_code_parts(code, depth))
    parts.append(_stable_repr(getattr(func, "__defaults__", None), depth))
    parts.append(_stable_repr(getattr(func, "__kwdefaults__", None), depth))
    for cell in getattr(func, "__closure__", None) or ():
        try:
            parts.append(_stable_repr(cell.cell_contents, depth + 1))
        except ValueError:  # empty cell
            parts.append("<empty>")
    func_globals = getattr(func, "__globals__", {})
    if depth < 3:
        for name in _global_names(code):
            if name in func_globals:
                parts.append(f"{name}={_stable_repr(func_globals[name], depth + 1)}")
    return digest(parts)


def _global_names(code: types.CodeType) -> list[str]:
    names = list(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names.extend(_global_names(const))
    return sorted(set(names))


def digest(parts: Iterable[str]) -> str:
    """Hex digest (BLAKE2b, 16 bytes) of a sequence of strings."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()
