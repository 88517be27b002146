"""What every weaklabel model shares: scikit-learn-style parameters, a registry and JSON files.

Internal. :class:`EstimatorParams` gives ``get_params``, ``set_params`` and a ``repr``
that shows the non-default constructor arguments. :class:`SavedModel` adds what both model
families -- the document label models (:class:`~weaklabel.models.base.BaseLabelModel`)
and the sequence models (:class:`~weaklabel.models.sequence.BaseSequenceModel`) -- share
beyond that: parameter checks, the not-fitted check, one registry of model classes
(:data:`MODEL_CLASSES`), and saving to / loading from JSON (atomically, through
:func:`write_json_atomic`; never pickle). A family says which file format it writes and
which message each fault raises (:meth:`SavedModel._error`); the same fault raises the
same exception class in both families.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from weaklabel.errors import (
    LabelModelError,
    ModelSaveError,
    NotFittedError,
    ParameterError,
    WeaklabelError,
)
from weaklabel.models._errors import Errors
from weaklabel.models._fields import (
    Field,
    declared_fields,
    decode_field,
    derived_problem,
    encode_field,
)

MODEL_CLASSES: dict[str, type[SavedModel]] = {}
"""Every model class of both families, by ``module.QualifiedName``: what a file names."""

_PARAM_FAULTS = {"param": Errors.E060, "unknown_param": Errors.E061}
_FILE_FAULTS = {
    "unreadable": Errors.E130,
    "format": Errors.E131,
    "version": Errors.E132,
    "unknown_class": Errors.E133,
    "wrong_class": Errors.E134,
    "bad_attribute": Errors.E135,
}
_FILE_KEYS = {"format", "version", "class", "params", "fitted"}
_ARRAY_KINDS = "biuf"  # numeric dtypes only: a saved file never builds object arrays


def is_finite_number(value: Any) -> bool:
    """Whether ``value`` is a finite real number (``bool`` is not a number here)."""
    return (
        isinstance(value, int | float | np.integer | np.floating)
        and not isinstance(value, bool)
        and bool(np.isfinite(value))
    )


def is_count(value: Any, minimum: int) -> bool:
    """Whether ``value`` is an integer ``>= minimum`` (``bool`` is not an integer here)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        return False
    return bool(value >= minimum)


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


def decode_array(spec: Any) -> np.ndarray:
    """Inverse of :func:`encode_array`; numeric dtypes only.

    Raises
    ------
    ValueError or TypeError
        When ``spec`` is not an encoded numeric array.
    """
    if not isinstance(spec, dict) or not {"dtype", "shape", "data"} <= spec.keys():
        raise ValueError("needs dtype, shape and data")
    dtype = np.dtype(spec["dtype"])
    if dtype.kind not in _ARRAY_KINDS:
        raise TypeError(f"dtype {dtype} is not numeric")
    return np.array(spec["data"], dtype=dtype).reshape(tuple(spec["shape"]))


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
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or not 1 <= version <= file_version
    ):
        raise fail("version", path=source, version=version, supported=file_version)
    keys = set(payload)
    if keys != _FILE_KEYS:
        problem = (
            f"a model file holds the keys {sorted(_FILE_KEYS)}; this one lacks "
            f"{sorted(_FILE_KEYS - keys)} and has the unknown {sorted(keys - _FILE_KEYS)}"
        )
        raise fail("unreadable", path=source, problem=problem)
    params, fitted = payload["params"], payload["fitted"]
    if not isinstance(params, dict) or not isinstance(fitted, dict):
        raise fail("unreadable", path=source, problem="params and fitted must be objects")
    if not isinstance(payload["class"], str):
        raise fail("unreadable", path=source, problem="class must be a class name")
    return source, payload["class"], params, fitted


class SavedModel(EstimatorParams):
    """A model with checked parameters, fitted attributes and a JSON file format.

    Subclasses list their fitted attributes in ``_fitted_attributes``; each family sets
    ``_file_format`` (and ``_file_version``) and ``_param_error``, the exception a bad
    constructor argument raises. A fault raises the same message in both families
    (:meth:`_error`), and a faulty model file the same exception,
    :class:`~weaklabel.errors.LabelModelError`.
    """

    _fitted_attributes: ClassVar[tuple[str, ...]] = ()
    _file_format: ClassVar[str] = ""
    _file_version: ClassVar[int] = 1
    _param_error: ClassVar[type[Exception]] = ParameterError

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        MODEL_CLASSES[f"{cls.__module__}.{cls.__qualname__}"] = cls

    @classmethod
    def _error(cls, kind: str, **fields: Any) -> Exception:
        """The exception a fault of ``kind`` raises, its message formatted with ``fields``.

        Parameters
        ----------
        kind : str
            ``"param"`` [E060] or ``"unknown_param"`` [E061] (raised as
            ``_param_error``), ``"not_fitted"`` [E100], or a fault of the model file:
            ``"unreadable"`` [E130], ``"format"`` [E131], ``"version"`` [E132],
            ``"unknown_class"`` [E133], ``"wrong_class"`` [E134], ``"bad_attribute"``
            [E135]. (Invalid saved parameters [E137] and paths ``save`` cannot write
            [E138, E139] are raised directly, the latter as
            :class:`~weaklabel.errors.ModelSaveError`, an ``OSError``.)
        **fields
            The message's fields.
        """
        if kind in _PARAM_FAULTS:
            return cls._param_error(_PARAM_FAULTS[kind].format(**fields))
        if kind == "not_fitted":
            return NotFittedError(Errors.E100.format(**fields))
        return LabelModelError(_FILE_FAULTS[kind].format(**fields))

    # ------------------------------------------------------------------ parameters
    def _validate_params(self) -> None:
        """Check the constructor arguments (each family and model extends this)."""

    @classmethod
    def _unknown_param(cls, name: str, valid: list[str]) -> Exception:
        return cls._error("unknown_param", name=name, model=cls.__name__, valid=valid)

    def _check_param(self, name: str, ok: bool, expected: str) -> None:
        """Raise the ``"param"`` fault for constructor argument ``name`` unless ``ok``."""
        if not ok:
            raise self._error(
                "param",
                name=type(self).__name__,
                param=name,
                expected=expected,
                value=getattr(self, name),
            )

    def _check_is_fitted(self, method: str) -> None:
        if any(name not in self.__dict__ for name in self._fitted_attributes):
            raise self._error("not_fitted", model=type(self).__name__, method=method)

    # ------------------------------------------------------------------ persistence
    _fitted_fields: ClassVar[dict[str, Field]] = {}
    """The declaration of this class's own fitted attributes (see :mod:`._fields`)."""

    @classmethod
    def _fields(cls) -> dict[str, Field]:
        """Every fitted field of the class, base classes' first."""
        return declared_fields(cls)

    @classmethod
    def _decode_json_array(cls, spec: Any, *, path: Path, name: str) -> np.ndarray:
        try:
            return decode_array(spec)
        except (TypeError, ValueError) as exc:
            raise cls._error(
                "bad_attribute", path=path, name=name, problem=f"is not an array ({exc})"
            ) from exc

    @classmethod
    def _param_from_json(cls, value: Any, *, path: Path, name: str) -> Any:
        if isinstance(value, dict) and "__ndarray__" in value:
            return cls._decode_json_array(value["__ndarray__"], path=path, name=name)
        return value

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters and fitted attributes to a JSON file, atomically.

        The file is written next to ``path`` under a temporary name and then renamed, so
        a crash never leaves a half-written model. Floats are written with ``repr`` and
        load back bit for bit. An existing file at ``path`` is replaced; a missing folder
        is refused [E138], not created.

        Parameters
        ----------
        path : str or path-like
        """
        target = Path(path)
        folder = target.parent
        if not folder.exists():
            raise ModelSaveError(Errors.E138.format(path=target, folder=folder))
        if not folder.is_dir():
            raise ModelSaveError(
                Errors.E139.format(path=target, problem=f"{folder} is not a folder")
            )
        if target.is_dir():
            raise ModelSaveError(Errors.E139.format(path=target, problem="it is a folder"))
        fields = self._fields()
        fitted = {
            name: encode_field(fields.get(name), self.__dict__[name])
            for name in self._fitted_attributes
            if name in self.__dict__
        }
        try:
            write_model_file(
                target,
                self,
                file_format=self._file_format,
                file_version=self._file_version,
                fitted=fitted,
            )
        except OSError as exc:
            problem = exc.strerror or str(exc)
            raise ModelSaveError(Errors.E139.format(path=target, problem=problem)) from exc

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Self:
        """Rebuild a model written by :meth:`save`; predictions are bitwise identical.

        Every parameter and fitted attribute is checked before use (type, dtype, shape
        against the sizes the file states, finiteness, range, probabilities summing to 1,
        agreement with the parameters it follows from): a damaged or edited file is
        refused with an error naming the file and the field [E135, E137], never loaded
        into a model that predicts something else.

        Parameters
        ----------
        path : str or path-like

        Returns
        -------
        model
            An instance of the class that was saved (which must be ``cls`` or a subclass).
        """
        source, class_name, params, fitted = read_model_file(
            path, file_format=cls._file_format, file_version=cls._file_version, fail=cls._error
        )
        klass = cls._lookup_class(class_name, source)
        if not issubclass(klass, cls):
            raise cls._error(
                "wrong_class", path=source, found=klass.__name__, expected=cls.__name__
            )
        valid = klass._get_param_names()
        unknown = sorted(set(params) - set(valid))
        if unknown:
            raise cls._error("unknown_param", name=unknown[0], model=klass.__name__, valid=valid)
        missing = [name for name in valid if name not in params]
        if missing:
            problem = f"the parameter {missing[0]!r} is missing; a saved model lists them all"
            raise LabelModelError(Errors.E137.format(path=source, problem=problem))
        model = klass(
            **{k: cls._param_from_json(v, path=source, name=k) for k, v in params.items()}
        )
        try:
            model._validate_params()
        except WeaklabelError as exc:
            raise LabelModelError(Errors.E137.format(path=source, problem=exc)) from exc
        if fitted:
            klass._load_fitted(model, fitted, source)
        return model

    @classmethod
    def _load_fitted(cls, model: SavedModel, fitted: dict[str, Any], source: Path) -> None:
        """Decode and check every fitted field into ``model`` (see :mod:`._fields`)."""
        fields = cls._fields()
        extra = sorted(set(fitted) - set(cls._fitted_attributes))
        if extra:
            problem = f"is not a fitted attribute of {cls.__name__}"
            raise cls._error("bad_attribute", path=source, name=extra[0], problem=problem)
        sizes: dict[str, int] = {}
        for name in cls._fitted_attributes:
            spec = fields[name]
            if name not in fitted:
                if not spec.optional:
                    raise cls._error("bad_attribute", path=source, name=name, problem="is missing")
                model.__dict__[name] = spec.default
                continue
            try:
                value = decode_field(spec, fitted[name], model, sizes)
            except ValueError as exc:
                raise cls._error("bad_attribute", path=source, name=name, problem=exc) from None
            model.__dict__[name] = value
        for name in cls._fitted_attributes:
            mismatch = derived_problem(fields[name], model.__dict__[name], model)
            if mismatch:
                raise cls._error("bad_attribute", path=source, name=name, problem=mismatch)

    @classmethod
    def _lookup_class(cls, name: str, path: Path) -> type[SavedModel]:
        """The registered class a file names: by full name, else by a unique short name."""
        if name in MODEL_CLASSES:
            return MODEL_CLASSES[name]
        family = {k: v for k, v in MODEL_CLASSES.items() if issubclass(v, cls)}
        short = [k for k in family if k.rsplit(".", 1)[-1] == name.rsplit(".", 1)[-1]]
        if len(short) == 1:
            return family[short[0]]
        known = sorted(k.rsplit(".", 1)[-1] for k in family)
        raise cls._error(
            "unknown_class",
            path=path,
            name=name,
            known=known,
            problem=f"unknown model class {name!r}",
        )
