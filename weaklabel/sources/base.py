"""The source contract shared by every labeling function, keyword, regex and lexicon source.

Use this module when you write a new kind of source. A source has a unique ``name``, a
``fingerprint()`` of its definition (the cache key), and labels data in one of two ways:

* a **row source** is called once per example with a :class:`Row` and returns a class id,
  a class name or ``ABSTAIN``;
* a **column source** (``vectorized = True``) labels a whole :class:`Corpus` at once and
  returns an ``(n_examples,)`` array; it is also callable on one row, for debugging.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from weaklabel._fingerprint import _stable_repr, digest, function_fingerprint
from weaklabel.errors import Errors, LabelSpaceError, SourceError
from weaklabel.labels import ABSTAIN, LabelSpace

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

SourceT = TypeVar("SourceT")


class Row(dict[str, Any]):
    """One example as handed to a row source: a dict that also allows ``x.text``.

    Snorkel hands labeling functions a pandas Series; a ``Row`` reads the same way
    (``x.text`` and ``x["text"]``) and costs far less to build per example.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"This row has no field {name!r}; its fields are {list(self)}."
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def _number_text(value: Any) -> str:
    """A number's text: ``3``, ``2.5``; a float that holds an integer reads as one (``3.0``
    from a CSV column with blanks is ``"3"``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def as_texts(values: pd.Series) -> tuple[pd.Series | None, np.ndarray]:
    """A column read as text, and which of its rows are missing.

    Strings stay as they are; numbers become their text (``3`` -> ``"3"``, ``2.5`` ->
    ``"2.5"``, ``3.0`` -> ``"3"``); bytes are decoded as UTF-8. None, NaN, pandas' NA,
    empty and whitespace-only strings are *missing*: they stay None (never the word
    ``"nan"``), and no source votes on them.

    Parameters
    ----------
    values : pandas.Series of length n_examples

    Returns
    -------
    texts : pandas.Series of str or None, or None
        The column as text; None when it already holds only strings (use it as is).
    missing : ndarray of bool of shape (n_examples,)
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # strings and NA only: checked in Arrow, no Python per row
        arr = pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        arr = None
    if arr is not None:
        if isinstance(arr, pa.ChunkedArray):  # pandas' Arrow-backed strings
            chunks = [c.cast(pa.large_string()) for c in arr.chunks]
            arr = pa.concat_arrays(chunks) if chunks else pa.array([], pa.large_string())
        blank = pc.equal(pc.utf8_trim_whitespace(arr), "")
        missing = pc.fill_null(pc.or_(pc.is_null(arr), blank), True)
        return None, np.asarray(missing.to_numpy(zero_copy_only=False), dtype=bool)
    na = values.isna().to_numpy(dtype=bool)
    out: list[str | None] = []
    for value, absent in zip(values.tolist(), na.tolist(), strict=True):
        if absent:
            out.append(None)
        elif isinstance(value, str):
            out.append(value if value.strip() else None)
        elif isinstance(value, bytes):
            text = value.decode("utf-8", errors="replace")
            out.append(text if text.strip() else None)
        elif isinstance(value, bool | np.bool_):
            out.append(str(bool(value)))
        elif isinstance(value, int | float | np.number):
            out.append(_number_text(value))
        else:
            out.append(str(value))
    missing = np.fromiter((t is None for t in out), dtype=bool, count=len(out))
    return pd.Series(out, index=values.index, dtype=object), missing


def one_text(value: Any) -> str | None:
    """One cell read as :func:`as_texts` reads a column: its text, or None when missing."""
    import pandas as pd

    texts, missing = as_texts(pd.Series([value], dtype=object))
    if missing[0]:
        return None
    return str(value) if texts is None else str(texts.iloc[0])


class Corpus:
    """The data being labeled, with per-column views shared by all column sources.

    Converting a text column to Arrow (and lower-casing it) is done once per apply call
    and reused by every keyword, regex and lexicon source.

    Parameters
    ----------
    frame : pandas.DataFrame
        The examples, one per row.
    text_column : str
        The column holding the text.
    """

    def __init__(self, frame: pd.DataFrame, text_column: str = "text") -> None:
        self.frame = frame.reset_index(drop=True)
        self.text_column = text_column
        self._arrow: dict[tuple[str, bool], pa.Array] = {}
        self._fingerprints: dict[str | None, str] = {}
        self._missing: dict[str, np.ndarray] = {}
        if text_column in self.frame.columns:  # row sources see the text as text, too
            texts, missing = as_texts(self.frame[text_column])
            if texts is not None:
                self.frame[text_column] = texts
            self._missing[text_column] = missing

    def __len__(self) -> int:
        return len(self.frame)

    def require(self, column: str) -> None:
        """Raise a helpful error when ``column`` is missing."""
        if column not in self.frame.columns:
            raise SourceError(
                Errors.E035.format(column=column, columns=[str(c) for c in self.frame.columns])
            )

    def missing(self, column: str | None = None) -> np.ndarray:
        """Which rows have no text in ``column``: bool mask of shape (n_examples,).

        Missing means None, NaN (or any pandas NA), an empty string or whitespace only.
        Sources abstain on those rows (see :func:`as_texts`).
        """
        column = column or self.text_column
        if column not in self._missing:
            self.require(column)
            self._missing[column] = as_texts(self.frame[column])[1]
        return self._missing[column]

    def arrow_text(self, column: str | None = None, *, lower: bool = False) -> pa.Array:
        """The column as an Arrow string array: numbers as their text, missing as ``""``.

        Sources must still abstain on missing rows (:meth:`missing`): a pattern that
        matches the empty string would otherwise vote there.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        column = column or self.text_column
        key = (column, lower)
        if key not in self._arrow:
            if lower:
                self._arrow[key] = pc.utf8_lower(self.arrow_text(column))
            else:
                self.require(column)
                values = self.frame[column]
                texts, _ = as_texts(values)
                if texts is not None:
                    values = texts
                arr = pa.array(values, type=pa.large_string(), from_pandas=True)
                if isinstance(arr, pa.ChunkedArray):  # e.g. after pd.concat in pandas 3
                    chunks = [c.cast(pa.large_string()) for c in arr.chunks]
                    arr = pa.concat_arrays(chunks) if chunks else pa.array([], pa.large_string())
                self._arrow[key] = pc.fill_null(arr, "")
        return self._arrow[key]

    def fingerprint(self, column: str | None = None) -> str:
        """Content hash of one column, or of the whole frame when ``column`` is None."""
        import pandas as pd

        if column not in self._fingerprints:
            part = self.frame if column is None else self.frame[[column]]
            try:
                hashed = pd.util.hash_pandas_object(part, index=False).to_numpy()
                content = hashed.tobytes().hex()
            except TypeError:  # unhashable cells (lists, dicts): fall back to their text
                content = part.to_json(orient="values", default_handler=str)
            cols = ",".join(map(str, part.columns))
            self._fingerprints[column] = digest([cols, str(len(part)), content])
        return self._fingerprints[column]

    def rows(self) -> list[Row]:
        """Every example as a :class:`Row` (column name -> value)."""
        columns = [str(c) for c in self.frame.columns]
        return [
            Row(zip(columns, values, strict=True)) for values in self.frame.itertuples(index=False)
        ]


class Source(ABC):
    """Base class of every weaklabel source.

    Attributes
    ----------
    name : str
        Unique name; it becomes the column name in the label matrix.
    vectorized : bool
        True when the source labels a whole :class:`Corpus` at once.
    """

    name: str
    vectorized: bool = False

    @abstractmethod
    def fingerprint(self) -> str:
        """Hash of everything that determines this source's output (the cache key)."""

    @property
    def data_column(self) -> str | None:
        """The one column this source reads, or None when it may read any column."""
        return None

    def label_corpus(self, corpus: Corpus, label_space: LabelSpace | None) -> np.ndarray:
        """Label every example; column sources override this.

        Returns
        -------
        ndarray of shape (n_examples,)
            Class ids, ``-1`` for abstain.
        """
        raise NotImplementedError(f"{type(self).__name__} is a row source")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


def resolve_label(value: Any, source: str, row: int | str, label_space: LabelSpace | None) -> int:
    """Turn what a source returned into a class id (``ABSTAIN`` for None/-1)."""
    if value is None:
        return ABSTAIN
    if isinstance(value, bool) or not isinstance(value, int | np.integer | str):
        raise SourceError(Errors.E031.format(source=source, value=value, row=row))
    if isinstance(value, str):
        if label_space is None:
            raise SourceError(Errors.E032.format(source=source, value=value, row=row))
        try:
            return label_space.to_id(value)
        except LabelSpaceError as exc:
            raise SourceError(Errors.E037.format(source=source, problem=str(exc))) from None
    label = int(value)
    if (
        label < ABSTAIN
        or label > _MAX_ID  # would not fit the int64 votes
        or (label_space is not None and label >= label_space.cardinality)
    ):
        raise SourceError(Errors.E031.format(source=source, value=value, row=row))
    return label


_MAX_ID = 2**62
"""Ids above this are refused outright; plausible ones are far below (see E045)."""


def resolve_fixed_label(label: int | str, source: str, label_space: LabelSpace | None) -> int:
    """Resolve the one label a keyword/regex/lexicon source votes, at apply time."""
    if isinstance(label, str) and label_space is None:
        raise SourceError(Errors.E042.format(source=source, value=label))
    return resolve_label(label, source, "(any)", label_space)


def unique_names(sources: Sequence[Source]) -> None:
    """Raise when two sources share a name."""
    seen: set[Hashable] = set()
    for source in sources:
        if source.name in seen:
            raise SourceError(Errors.E033.format(name=source.name))
        seen.add(source.name)


def function_source_fingerprint(
    kind: str, name: str, func: Callable[..., Any], resources: Mapping[str, Any], *extra: str
) -> str:
    """The fingerprint of a source that wraps a Python function.

    Parameters
    ----------
    kind : str
        Tag of the source kind (``"lf"``, ``"span_function"``, ``"doc_function"``).
    name : str
        The source's name.
    func : callable
        The wrapped function (its code, defaults and closure are hashed).
    resources : mapping
        The keyword arguments passed to ``func`` on every call.
    *extra : str
        Fingerprints of anything else the output depends on (preprocessors).

    Returns
    -------
    str
        A hex digest.
    """
    return digest([kind, name, function_fingerprint(func), _stable_repr(resources), *extra])


def source_decorator(
    kind: str, name: Any, build: Callable[[str, Callable[..., Any]], SourceT]
) -> Callable[[Callable[..., Any]], SourceT]:
    """The decorator that ``@labeling_function()``, ``@span_function()`` ... return.

    Parameters
    ----------
    kind : str
        The decorator factory's name, for the message when it is used without ``()``.
    name : str or None
        The name the user gave; ``None`` names the source after the function.
    build : callable
        ``build(name, func) -> source``.

    Returns
    -------
    callable
        ``decorator(func) -> source``.

    Raises
    ------
    TypeError
        When ``name`` is a function: the factory was used as ``@kind`` without ``()``.
    """
    if callable(name):
        raise TypeError(f"{kind} is a decorator factory: write @{kind}() with parentheses.")

    def wrap(func: Callable[..., Any]) -> SourceT:
        return build(name or func.__name__, func)

    return wrap
