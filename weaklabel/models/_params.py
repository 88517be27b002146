"""What every weaklabel model shares with scikit-learn estimators, and JSON persistence.

Internal. :class:`EstimatorParams` gives ``get_params``, ``set_params`` and a ``repr``
that shows the non-default constructor arguments; :func:`write_json_atomic` writes a
saved model so that a crash never leaves a half-written file. Used by the document label
models (:mod:`weaklabel.models.base`) and the sequence models
(:mod:`weaklabel.models.sequence.base`), which keep their own error catalogues.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

import numpy as np


def is_finite_number(value: Any) -> bool:
    """Whether ``value`` is a finite real number (``bool`` is not a number here)."""
    return (
        isinstance(value, int | float | np.integer | np.floating)
        and not isinstance(value, bool)
        and bool(np.isfinite(value))
    )


def is_default(value: Any, default: Any) -> bool:
    """Whether a parameter still has its default (same type and equal; arrays never)."""
    if isinstance(value, np.ndarray) or type(value) is not type(default):
        return False
    try:
        return bool(value == default)
    except (TypeError, ValueError):
        return False


class EstimatorParams:
    """``get_params`` / ``set_params`` / ``repr`` from the constructor's signature.

    Subclasses take keyword-only constructor arguments, store them unchanged under the
    same names, and implement :meth:`_unknown_param` to say which error to raise.
    """

    @classmethod
    def _get_param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [
            p.name
            for p in signature.parameters.values()
            if p.name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD
        ]

    @classmethod
    def _unknown_param(cls, name: str, valid: list[str]) -> Exception:  # pragma: no cover
        raise NotImplementedError

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the constructor arguments, as given.

        Parameters
        ----------
        deep : bool, default True
            Accepted for scikit-learn compatibility; models have no sub-estimators.
        """
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params: Any) -> Self:
        """Set constructor arguments (validated at the next ``fit``); returns ``self``."""
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise self._unknown_param(name, valid)
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        signature = inspect.signature(type(self).__init__)
        shown = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if not is_default(value, signature.parameters[name].default)
        ]
        return f"{type(self).__name__}({', '.join(shown)})"


def encode_array(value: np.ndarray) -> dict[str, Any]:
    """An array as JSON: dtype, shape and the flat values (floats round-trip exactly)."""
    return {"dtype": value.dtype.name, "shape": list(value.shape), "data": value.ravel().tolist()}


def param_to_json(value: Any) -> Any:
    """A constructor argument as JSON (NumPy scalars as Python numbers, arrays tagged)."""
    if isinstance(value, np.ndarray):
        return {"__ndarray__": encode_array(value)}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [param_to_json(v) for v in value]
    return value


def write_json_atomic(path: str | os.PathLike[str], payload: Any) -> None:
    """Write ``payload`` as JSON to ``path`` via a temporary file and a rename.

    The temporary file gets the existing file's mode (or 0o644), not mkstemp's private
    0o600; it is removed if anything fails.
    """
    text = json.dumps(payload)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_model_file(
    path: str | os.PathLike[str],
    model: EstimatorParams,
    *,
    file_format: str,
    file_version: int,
    fitted: dict[str, Any],
) -> None:
    """Write a model's header, parameters and encoded fitted attributes, atomically."""
    payload = {
        "format": file_format,
        "version": file_version,
        "class": f"{type(model).__module__}.{type(model).__qualname__}",
        "params": {name: param_to_json(v) for name, v in model.get_params().items()},
        "fitted": fitted,
    }
    write_json_atomic(path, payload)


def read_model_file(
    path: str | os.PathLike[str],
    *,
    file_format: str,
    file_version: int,
    fail: Callable[..., Exception],
) -> tuple[Path, str, dict[str, Any], dict[str, Any]]:
    """Read and check a file written by :func:`write_model_file`.

    Parameters
    ----------
    path : str or path-like
    file_format, file_version : str, int
        The format this model family writes, and the newest version it reads.
    fail : callable
        ``fail(kind, **fields) -> Exception`` for the family's own messages; ``kind`` is
        ``"unreadable"`` (``problem``), ``"format"`` (``found``) or ``"version"``
        (``version``, ``supported``).

    Returns
    -------
    path : Path
    class_name : str
        The saved model's ``module.QualifiedName``.
    params, fitted : dict
        The raw ``params`` and ``fitted`` objects.
    """
    source = Path(path)
    try:
        payload = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail("unreadable", path=source, problem=exc) from exc
    found = payload.get("format") if isinstance(payload, dict) else type(payload).__name__
    if found != file_format:
        raise fail("format", path=source, found=found)
    version = payload.get("version")
    if not isinstance(version, int) or version > file_version:
        raise fail("version", path=source, version=version, supported=file_version)
    params = payload.get("params") or {}
    fitted = payload.get("fitted") or {}
    if not isinstance(params, dict) or not isinstance(fitted, dict):
        raise fail("unreadable", path=source, problem="params and fitted must be objects")
    return source, str(payload.get("class")), params, fitted
