"""The fitted fields a saved model declares, and their validation when a file is loaded.

Internal. Every model class declares its fitted attributes once, as :class:`Field` specs
in ``_fitted_fields`` (a class adds only its own; :func:`declared_fields` merges them
along the class hierarchy). :class:`~weaklabel.models._params.SavedModel` encodes each
field with :func:`encode_field` and, on load, rebuilds it with :func:`decode_field`,
which checks -- before building any array -- the encoding (keys, dtype, shape), every
element's type (a string or ``true`` where a number belongs is refused, never cast), the
shape against the sizes the file states (``cardinality_`` is ``k``, ``n_sources_`` is
``m``, the number of tags is ``t``; other named sizes must agree across fields),
finiteness, the declared range and, for probabilities, that they sum to 1. A field
computed from others or from the parameters (``derived``) must equal that computation.
A problem is returned as a short text naming what is wrong; the caller raises it as a
:class:`~weaklabel.errors.LabelModelError` naming the file and the field.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Field",
    "array",
    "count",
    "declared_fields",
    "decode_field",
    "derived_problem",
    "encode_field",
    "names",
    "number",
    "probabilities",
]

Dim = str | int
ShapeSpec = tuple[Dim, ...] | Callable[[Any], tuple[Dim, ...]]

_DTYPE_KINDS = {"float": "f", "int": "iu", "bool": "b"}
_SIMPLEX_TOLERANCE = 1e-6
_DERIVED_RTOL = 1e-9
_DERIVED_ATOL = 1e-12


@dataclass(frozen=True)
class Field:
    """The declaration of one fitted attribute.

    Parameters
    ----------
    kind : {"int", "float", "array", "names"}
        A scalar integer, a scalar float, a numeric array, or a tuple of strings.
    shape : tuple of (str or int), or callable
        For arrays (and names: ``(size,)``): each axis a fixed length or a named size
        (``"k"``, ``"m"``, ``"t"``, or any other name, bound by its first use); a callable
        ``shape(model)`` when it depends on the parameters.
    dtype : {"float", "int", "bool"}
        Element type of an array.
    low, high : float, optional
        Inclusive range of every value.
    simplex : bool
        The values along the last axis sum to 1.
    defines : str, optional
        For ``"int"`` and ``"names"``: the named size this field states (its value, or
        its length).
    optional : bool
        The field may be absent (files of older versions); it then takes ``default``.
    default : any
    nullable : bool
        ``names`` may be ``null`` (unknown), and then may not be empty; otherwise an empty
        list stands for unknown names.
    derived : callable, optional
        ``derived(model)`` (the model with its parameters and every field decoded) gives
        the value the field must have, or None when the parameters do not determine it.
    sources : tuple of str
        The parameters and fields ``derived`` reads, named when they disagree.
    check : callable, optional
        ``check(value, model)`` returns a problem text, or None when the value is fine
        (``model`` holds the parameters and the fields decoded before this one).
    """

    kind: str
    shape: ShapeSpec = ()
    dtype: str = "float"
    low: float | None = None
    high: float | None = None
    simplex: bool = False
    defines: str | None = None
    optional: bool = False
    default: Any = None
    nullable: bool = False
    derived: Callable[[Any], Any] | None = None
    check: Callable[[Any, Any], str | None] | None = None
    finite: bool = True
    sources: tuple[str, ...] = ()


def count(
    *,
    defines: str | None = None,
    low: int = 0,
    high: int | None = None,
    derived: Callable[[Any], Any] | None = None,
) -> Field:
    """A scalar integer in ``[low, high]`` (a size when ``defines`` names it)."""
    return Field("int", defines=defines, low=low, high=high, derived=derived)


def number(*, low: float | None = None, high: float | None = None, finite: bool = True) -> Field:
    """A scalar float in ``[low, high]``; never NaN, and infinite only if not ``finite``."""
    return Field("float", low=low, high=high, finite=finite)


def array(
    *shape: Dim,
    dtype: str = "float",
    low: float | None = None,
    high: float | None = None,
    derived: Callable[[Any], Any] | None = None,
    shape_of: Callable[[Any], tuple[Dim, ...]] | None = None,
    simplex: bool = False,
    check: Callable[[Any, Any], str | None] | None = None,
    sources: tuple[str, ...] = (),
) -> Field:
    """A numeric array of the given shape (``shape_of(model)`` when it depends on params)."""
    return Field(
        "array",
        shape=shape_of if shape_of is not None else tuple(shape),
        dtype=dtype,
        low=low,
        high=high,
        derived=derived,
        simplex=simplex,
        check=check,
        sources=sources,
    )


def probabilities(
    *shape: Dim,
    derived: Callable[[Any], Any] | None = None,
    shape_of: Callable[[Any], tuple[Dim, ...]] | None = None,
    check: Callable[[Any, Any], str | None] | None = None,
    sources: tuple[str, ...] = (),
) -> Field:
    """Probabilities in ``[0, 1]`` summing to 1 along the last axis."""
    return array(
        *shape,
        low=0.0,
        high=1.0,
        simplex=True,
        derived=derived,
        shape_of=shape_of,
        check=check,
        sources=sources,
    )


def names(
    size: Dim | None = None,
    *,
    defines: str | None = None,
    optional: bool = False,
    default: Any = None,
    nullable: bool = False,
    check: Callable[[Any, Any], str | None] | None = None,
    derived: Callable[[Any], Any] | None = None,
    sources: tuple[str, ...] = (),
) -> Field:
    """A tuple of distinct strings (empty = unknown) of length ``size`` (or defining it)."""
    return Field(
        "names",
        shape=() if size is None else (size,),
        defines=defines,
        optional=optional,
        default=default,
        nullable=nullable,
        check=check,
        derived=derived,
        sources=sources,
    )


def declared_fields(cls: type) -> dict[str, Field]:
    """Every fitted field of ``cls``: the ``_fitted_fields`` of its bases, then its own."""
    merged: dict[str, Field] = {}
    for klass in reversed(cls.__mro__):
        merged.update(klass.__dict__.get("_fitted_fields", {}))
    return merged


# ---------------------------------------------------------------------------- encoding
def encode_field(spec: Field | None, value: Any) -> Any:
    """A fitted attribute as JSON: names as a list (or null), numbers as encoded arrays."""
    if spec is not None and spec.kind == "names":
        return None if value is None else [str(v) for v in value]
    array_value = np.asarray(value)
    return {
        "dtype": array_value.dtype.name,
        "shape": list(array_value.shape),
        "data": array_value.ravel().tolist(),
    }


def decode_field(spec: Field, raw: Any, model: Any, sizes: dict[str, int]) -> Any:
    """The value of one field from its JSON, checked against ``spec`` and ``sizes``.

    Parameters
    ----------
    spec : Field
    raw : any
        The field's JSON.
    model : SavedModel
        The model being loaded (parameters set, earlier fields set).
    sizes : dict of str to int
        Named sizes stated so far; a field that defines or first uses a size adds it.

    Returns
    -------
    any
        A Python ``int`` or ``float``, an ndarray, or a tuple of str (or None).

    Raises
    ------
    ValueError
        Saying what is wrong (the caller adds the file and the field).
    """
    if spec.kind == "names":
        return _decode_names(spec, raw, model, sizes)
    if spec.kind in ("int", "float"):
        scalar = _decode_numbers(raw, "int" if spec.kind == "int" else "float", ())
        value = scalar.item()
        if spec.kind == "float" and (math.isnan(value) or (spec.finite and math.isinf(value))):
            raise ValueError(f"is {value!r}, not a finite number")
        _check_range(spec, np.asarray(value, dtype=np.float64))
        if spec.defines is not None:
            sizes[spec.defines] = int(value)
        return value
    shape_spec = spec.shape(model) if callable(spec.shape) else spec.shape
    decoded = _decode_numbers(raw, spec.dtype, shape_spec, sizes)
    if spec.dtype == "float" and decoded.size and not np.all(np.isfinite(decoded)):
        bad = np.unravel_index(int(np.argmin(np.isfinite(decoded))), decoded.shape)
        raise ValueError(f"holds {decoded[bad].item()!r} at index {list(map(int, bad))}")
    _check_range(spec, decoded)
    if spec.simplex and decoded.size:
        sums = decoded.sum(axis=-1)
        off = np.abs(sums - 1.0) > _SIMPLEX_TOLERANCE
        if np.any(off):
            where = np.unravel_index(int(np.argmax(off)), sums.shape)
            raise ValueError(
                f"must hold probabilities summing to 1 along its last axis; the entries at "
                f"index {list(map(int, where))} sum to {float(sums[where])!r}"
            )
    if spec.check is not None:
        problem = spec.check(decoded, model)
        if problem:
            raise ValueError(problem)
    return decoded


def derived_problem(spec: Field, value: Any, model: Any) -> str | None:
    """Why ``value`` differs from what ``spec.derived`` computes (None when it matches)."""
    if spec.derived is None:
        return None
    try:
        expected = spec.derived(model)
    except Exception as exc:  # the parameters it is computed from are themselves damaged
        return f"cannot be checked against the model's parameters ({exc})"
    if expected is None:  # not determined by the parameters (e.g. fitted from data)
        return None
    given = " and ".join(repr(name) for name in spec.sources) or "the other fields"
    if spec.kind == "names":
        same = value is not None and tuple(expected) == tuple(value)
        return None if same else f"is {value!r}, but {given} give {list(expected)!r}"
    got, want = np.asarray(value, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if got.shape == want.shape and np.allclose(got, want, rtol=_DERIVED_RTOL, atol=_DERIVED_ATOL):
        return None
    return f"disagrees with what {given} give ({_preview(want.tolist())})"


# ---------------------------------------------------------------------------- helpers
def _decode_names(spec: Field, raw: Any, model: Any, sizes: dict[str, int]) -> Any:
    if raw is None:
        if spec.nullable:
            return None
        raise ValueError("is null but must be a list of names")
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise ValueError(f"must be a list of strings; got {_preview(raw)}")
    if len(set(raw)) != len(raw):
        dupes = sorted({v for v in raw if raw.count(v) > 1})
        raise ValueError(f"lists {dupes} more than once")
    value = tuple(raw)
    if spec.nullable and not value:
        raise ValueError("is empty; null stands for unknown names")
    if isinstance(spec.shape, tuple) and spec.shape and value:
        _bind(spec.shape[0], len(value), 0, sizes)
    if spec.defines is not None:
        if not value:
            raise ValueError("is empty")
        sizes[spec.defines] = len(value)
    if spec.check is not None:
        problem = spec.check(value, model)
        if problem:
            raise ValueError(problem)
    return value


def _decode_numbers(
    raw: Any, dtype: str, shape_spec: Sequence[Dim], sizes: dict[str, int] | None = None
) -> np.ndarray:
    """A checked ndarray from ``{"dtype", "shape", "data"}``; nothing is cast silently."""
    if not isinstance(raw, dict):
        raise ValueError(f"must be an encoded array (dtype, shape, data); got {_preview(raw)}")
    keys = set(raw)
    if keys != {"dtype", "shape", "data"}:
        missing = sorted({"dtype", "shape", "data"} - keys)
        extra = sorted(keys - {"dtype", "shape", "data"})
        raise ValueError(
            f"must have the keys dtype, shape and data (missing {missing}, extra {extra})"
        )
    try:
        found = np.dtype(raw["dtype"]) if isinstance(raw["dtype"], str) else None
    except TypeError:
        found = None
    if found is None or found.kind not in _DTYPE_KINDS[dtype]:
        raise ValueError(f"must have a {dtype} dtype; got {_preview(raw['dtype'])}")
    shape = raw["shape"]
    if not isinstance(shape, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape
    ):
        raise ValueError(f"has the shape {_preview(shape)}, not a list of sizes")
    if len(shape) != len(shape_spec):
        raise ValueError(f"must have {len(shape_spec)} dimensions; its shape is {shape}")
    for axis, (expected, got) in enumerate(zip(shape_spec, shape, strict=True)):
        _bind(expected, got, axis, sizes if sizes is not None else {})
    data = raw["data"]
    if not isinstance(data, list):
        raise ValueError(f"has data {_preview(data)}, not a list of numbers")
    size = math.prod(shape)
    if len(data) != size:
        raise ValueError(f"holds {len(data)} values for its shape {shape} ({size} values)")
    bad = _first_bad_element(data, dtype)
    if bad is not None:
        raise ValueError(f"holds {data[bad]!r} at flat index {bad}, not a {dtype}")
    try:
        return np.array(data, dtype=found).reshape(shape)
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"does not fit its dtype {found} ({exc})") from exc


def _first_bad_element(data: list[Any], dtype: str) -> int | None:
    if dtype == "bool":
        ok: Callable[[Any], bool] = lambda v: isinstance(v, bool)  # noqa: E731
    elif dtype == "int":
        ok = lambda v: isinstance(v, int) and not isinstance(v, bool)  # noqa: E731
    else:
        ok = lambda v: isinstance(v, int | float) and not isinstance(v, bool)  # noqa: E731
    for index, value in enumerate(data):
        if not ok(value):
            return index
    return None


def _bind(expected: Dim, got: int, axis: int, sizes: dict[str, int]) -> None:
    if isinstance(expected, int):
        if got != expected:
            raise ValueError(f"has {got} entries on axis {axis}; expected {expected}")
        return
    if expected in sizes:
        if got != sizes[expected]:
            raise ValueError(
                f"has {got} entries on axis {axis}, but the file states {expected} = "
                f"{sizes[expected]}{_SIZE_NAMES.get(expected, '')}"
            )
        return
    sizes[expected] = got


_SIZE_NAMES = {
    "k": " (cardinality_, the number of classes)",
    "m": " (n_sources_, the number of sources)",
    "t": " (tags_, the number of tags)",
}


def _check_range(spec: Field, values: np.ndarray) -> None:
    if not values.size:
        return
    if spec.low is not None and float(values.min()) < spec.low:
        raise ValueError(f"holds {values.min().item()!r}, below its smallest value {spec.low}")
    if spec.high is not None and float(values.max()) > spec.high:
        raise ValueError(f"holds {values.max().item()!r}, above its largest value {spec.high}")


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
