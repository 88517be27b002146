"""Labeling functions: plain Python heuristics, written the way Snorkel users write them.

Use ``@labeling_function()`` for any rule that needs Python: it receives one example
(``x.text``, or any other column of the DataFrame) and returns a class id, a class name,
or ``ABSTAIN``. For keyword and regex rules prefer :func:`~weaklabel.keyword_source` and
:func:`~weaklabel.regex_source`, which label a whole column at once and are much faster.

Examples
--------
>>> from weaklabel import ABSTAIN, labeling_function
>>> @labeling_function()
... def short_comment(x):
...     return "HAM" if len(x.text.split()) < 5 else ABSTAIN
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from weaklabel._fingerprint import digest, function_fingerprint
from weaklabel.sources.base import Row, Source, function_source_fingerprint, source_decorator


class Preprocessor:
    """A function from a :class:`Row` to a new (or updated) row, run before a source.

    Parameters
    ----------
    func : callable
        ``func(x) -> x``; it may add fields (``x.words = x.text.split()``) and return ``x``.
    name : str, optional
        Defaults to the function's name.
    memoize : bool, default True
        Run at most once per example per apply call, however many sources use it.
    """

    def __init__(
        self, func: Callable[[Row], Row | None], *, name: str | None = None, memoize: bool = True
    ) -> None:
        self.func = func
        self.name: str = name or str(getattr(func, "__name__", "preprocessor"))
        self.memoize = memoize

    def __call__(self, x: Row) -> Row:
        out = self.func(x)
        return x if out is None else (out if isinstance(out, Row) else Row(out))

    def fingerprint(self) -> str:
        """Hash of the preprocessor's definition."""
        return digest(["pre", self.name, function_fingerprint(self.func)])

    def __repr__(self) -> str:
        return f"Preprocessor(name={self.name!r})"


def preprocessor(
    name: str | None = None, *, memoize: bool = True
) -> Callable[[Callable[[Row], Row | None]], Preprocessor]:
    """Decorator turning ``f(x) -> x`` into a :class:`Preprocessor`.

    Examples
    --------
    >>> @preprocessor()
    ... def add_words(x):
    ...     x.words = x.text.lower().split()
    ...     return x
    """

    def wrap(func: Callable[[Row], Row | None]) -> Preprocessor:
        return Preprocessor(func, name=name, memoize=memoize)

    return wrap


class LabelingFunction(Source):
    """A row source wrapping a Python function.

    Parameters
    ----------
    name : str
        Unique name (the label-matrix column).
    func : callable
        ``func(x, **resources) -> int | str | None``; ``x`` is a :class:`Row`.
    resources : mapping, optional
        Extra keyword arguments passed to ``func`` on every call (lookup tables, models).
    pre : sequence of Preprocessor or callable, optional
        Run in order on a copy of the row before ``func``.
    """

    vectorized = False

    def __init__(
        self,
        name: str,
        func: Callable[..., Any],
        *,
        resources: Mapping[str, Any] | None = None,
        pre: Sequence[Preprocessor | Callable[[Row], Row | None]] | None = None,
    ) -> None:
        self.name = name
        self.func = func
        self.resources = dict(resources or {})
        self.pre: tuple[Preprocessor, ...] = tuple(
            p if isinstance(p, Preprocessor) else Preprocessor(p) for p in (pre or ())
        )

    def __call__(self, x: Row | Mapping[str, Any] | str) -> Any:
        """Label one example (a Row, a mapping of fields, or a bare text)."""
        row = Row(text=x) if isinstance(x, str) else Row(x)
        for pre in self.pre:
            row = pre(row)
        return self.func(row, **self.resources)

    def fingerprint(self) -> str:
        return function_source_fingerprint(
            "lf", self.name, self.func, self.resources, *(p.fingerprint() for p in self.pre)
        )


def labeling_function(
    name: str | None = None,
    *,
    resources: Mapping[str, Any] | None = None,
    pre: Sequence[Preprocessor | Callable[[Row], Row | None]] | None = None,
) -> Callable[[Callable[..., Any]], LabelingFunction]:
    """Decorator turning a function into a :class:`LabelingFunction` (as in Snorkel).

    Parameters
    ----------
    name : str, optional
        Defaults to the function's ``__name__``.
    resources : mapping, optional
        Passed to the function as keyword arguments.
    pre : sequence of Preprocessor or callable, optional
        Preprocessors run before the function.
    """
    return source_decorator(
        "labeling_function",
        name,
        lambda label, func: LabelingFunction(label, func, resources=resources, pre=pre),
    )
