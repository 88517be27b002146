"""The contract every augmenter follows, and the shared code that enforces it.

Subclass :class:`Augmenter` to write an augmenter: implement :meth:`Augmenter._augment_one`
(one text, one random generator) or, for batched back ends such as translators,
:meth:`Augmenter._augment_batch`. Store every constructor argument under its own name
(``self.p = p``): :meth:`Params.get_params` reads them back by introspecting ``__init__``,
as scikit-learn does, so there is no hand-written ``get_params``. The base class then gives
every augmenter the same behaviour:

- :meth:`Augmenter.augment` returns, for each input text, a list of up to ``n`` distinct
  new texts, never the input itself; empty strings, ``None``, non-strings and strings that
  are not valid Unicode (a lone surrogate) give ``[]`` and are counted in ``skipped_``.
- The output for a row depends only on ``(seed, position of the row in the whole input)``
  and its text (:func:`rng_for`), so the same seed gives the same output whether the data
  is augmented in one call, in chunks (``start=``), or through an
  :class:`~weaklabel.augment.AugmentationPipeline` with any ``batch_size``; one text's
  variants do not change when others are added after it.
- The "try up to ``max_attempts_per_variant * n`` times, keep what is new" loop lives in
  one place, :func:`distinct_variants`.
- :meth:`Augmenter.augment_examples` takes labelled examples (a DataFrame or records) and
  returns the new rows with every other column copied and their provenance:
  ``original_id``, ``augmenter`` and ``params`` (:meth:`Params.provenance_params` as a
  JSON string).
"""

from __future__ import annotations

import inspect
import json
import random
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self, TypeVar

from weaklabel.augment._errors import AugmentError, Errors

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Augmenter",
    "Params",
    "RowKey",
    "call_seed",
    "distinct_variants",
    "invalid_argument",
    "rng_for",
]

PROVENANCE_COLUMNS = ("original_id", "augmenter", "params")

RowKey = tuple[int, ...]
"""What seeds one row's random stream: ``(seed, row position, *sub-stream)``."""

V = TypeVar("V")


def rng_for(seed: int, index: int, *path: int) -> random.Random:
    """The random generator for input row ``index`` under ``seed`` (stable across runs).

    Parameters
    ----------
    seed : int
        The seed the user passed to ``augment``.
    index : int
        The position of the row in the whole input (not in a batch of it).
    *path : int
        Sub-streams of the row (a combinator's attempt and part), when one row needs
        several independent generators.

    Returns
    -------
    random.Random
        Seeded from the string ``"{seed}:{index}[:{path}...]"`` (hashed with SHA-512 by
        ``random``, so it does not depend on ``PYTHONHASHSEED``).
    """
    return random.Random(":".join(str(int(x)) for x in (seed, index, *path)))


def call_seed(keys: Sequence[RowKey]) -> int:
    """One seed for a batched back end (a model that takes one seed per call).

    Derived from the user's seed (and a combinator's sub-stream), not from the rows, so a
    back end that seeds each text alike (a chat endpoint) gives every row the same output
    in any batch.

    Parameters
    ----------
    keys : sequence of RowKey
        The row keys of the call (not empty).

    Returns
    -------
    int
        In ``[0, 2**31)``.
    """
    seed, _, *path = keys[0]
    return rng_for(seed, 0, *path).getrandbits(31)


def distinct_variants(
    make: Callable[[int], V],
    original: str,
    n: int,
    attempts: int,
    key: Callable[[V], str] = str,
) -> list[V]:
    """Up to ``n`` variants whose text is new, from at most ``attempts`` calls of ``make``.

    The retry loop every augmenter shares: a variant is kept when its text (``key``) is a
    non-empty string that differs from ``original`` and from every variant kept before.

    Parameters
    ----------
    make : callable
        ``make(attempt) -> variant``; ``attempt`` counts from 0.
    original : str
        The input's text.
    n : int
        How many variants are wanted.
    attempts : int
        At most this many calls of ``make``.
    key : callable, default=str
        The text of a variant (for variants that are not strings, e.g. span examples).

    Returns
    -------
    list
        Up to ``n`` variants, in the order they were made.
    """
    found: list[V] = []
    seen = {original}
    for attempt in range(attempts):
        variant = make(attempt)
        text = key(variant)
        if text not in seen and _usable(text):
            seen.add(text)
            found.append(variant)
            if len(found) == n:
                break
    return found


def invalid_argument(name: str, param: str, expected: str, value: object) -> AugmentError:
    """The error for an invalid argument of an augmenter, filter or split.

    Returns
    -------
    AugmentError
        ``[E060] {name}: {param} must be {expected}; got {value!r}.``
    """
    return AugmentError(Errors.E060.format(name=name, param=param, expected=expected, value=value))


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise AugmentError(Errors.E700.format(n=n))
    return n


def _check_start(start: object) -> int:
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        raise invalid_argument("augment", "start", "a non-negative integer", start)
    return start


def _usable(text: object) -> bool:
    """Whether ``text`` can be augmented: a string with a non-space character, valid Unicode.

    A lone surrogate (``"\\ud800"``, e.g. from a badly decoded file) is not valid Unicode:
    no encoder writes it, so no back end (Apertium, a tokenizer, a file) can take it.
    """
    if not isinstance(text, str) or not text.strip():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _jsonable(value: Any) -> Any:
    """``value`` as JSON-ready data for the ``params`` provenance column."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Params):
        return {"augmenter": value.name, "params": value.provenance_params()}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_jsonable(v) for v in items]
    name = getattr(value, "name", None)
    get = getattr(value, "get_params", None)
    if callable(get) and not isinstance(value, type):
        return {"name": str(name or type(value).__name__), "params": _jsonable(get())}
    if isinstance(name, str):
        return name
    meta = getattr(value, "meta", None)  # a spaCy pipeline
    if isinstance(meta, Mapping):
        return f"{meta.get('lang', '?')}_{meta.get('name', 'pipeline')}"
    return type(value).__name__


class Params:
    """``get_params`` / ``set_params`` read from the ``__init__`` signature (scikit-learn's way).

    A subclass stores each constructor argument under its own name (it may normalise it,
    e.g. a list to a tuple, as long as passing the stored value back gives the same
    object). Then ``type(obj)(**obj.get_params(deep=False))`` is an equivalent copy.
    """

    @property
    def name(self) -> str:
        """The class name (written in the ``augmenter`` provenance column)."""
        return type(self).__name__

    @classmethod
    def _param_names(cls) -> list[str]:
        """The ``__init__`` parameters, in order (``self``, ``*args``, ``**kwargs`` left out)."""
        signature = inspect.signature(cls.__init__)
        skip = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        return [
            p.name for p in signature.parameters.values() if p.name != "self" and p.kind not in skip
        ]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor arguments, as stored.

        Parameters
        ----------
        deep : bool, default=True
            Also list the parameters of arguments that are themselves augmenters, as
            ``"<argument>__<parameter>"``.

        Returns
        -------
        dict of str to object
        """
        out: dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            out[name] = value
            if deep and isinstance(value, Params):
                out.update({f"{name}__{k}": v for k, v in value.get_params(deep=True).items()})
        return out

    def set_params(self, **params: Any) -> Self:
        """Change constructor arguments (``"<argument>__<parameter>"`` for nested ones).

        The object is rebuilt through ``__init__``, so every argument is validated again
        and caches that depend on the arguments are dropped; fitted attributes (public
        names ending in ``_``) are kept.

        Returns
        -------
        Params
            ``self``.

        Raises
        ------
        AugmentError
            [E060] for a name that is not a constructor argument.
        """
        current = self.get_params(deep=False)
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in current:
                raise invalid_argument(
                    self.name, key, f"one of the constructor arguments {sorted(current)}", value
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                current[name] = value
        for name, sub_params in nested.items():
            current[name].set_params(**sub_params)
        fitted = {
            k: v for k, v in self.__dict__.items() if k.endswith("_") and not k.startswith("_")
        }
        fresh = type(self)(**current)
        self.__dict__.clear()
        self.__dict__.update(fresh.__dict__)
        self.__dict__.update(fitted)
        return self

    def provenance_params(self) -> dict[str, Any]:
        """The parameters as JSON-ready data, for the ``params`` provenance column.

        Nested augmenters become ``{"augmenter": name, "params": {...}}``; translators and
        generators with their own ``get_params`` ``{"name": ..., "params": {...}}``; other
        objects their ``name`` (or class name).
        """
        return {name: _jsonable(value) for name, value in self.get_params(deep=False).items()}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.provenance_params().items())
        return f"{self.name}({args})"


class Augmenter(Params):
    """Base class of weaklabel's augmenters.

    Subclasses override :meth:`_augment_one` or :meth:`_augment_batch`, and store their
    constructor arguments under the same names.
    """

    #: How many times ``_augment_one`` may be called per wanted variant before giving up.
    max_attempts_per_variant: int = 3

    def made_by(self, original: str, variant: str) -> str:
        """The name written in the ``augmenter`` column for one variant of the last call.

        Plain augmenters return :attr:`name`; combinators name the parts that made the
        variant, e.g. ``"OneOf(Synonym)"`` or ``"Sequential(Synonym>Noise)"``.
        """
        del original, variant
        return self.name

    # -- the two ways a subclass produces variants ------------------------------------
    def _augment_one(self, text: str, rng: random.Random) -> str:
        """One variant of ``text`` (may equal ``text`` when nothing could change)."""
        raise NotImplementedError(
            f"{self.name} must implement _augment_one or _augment_batch"
        )  # pragma: no cover

    def _augment_batch(
        self, texts: list[str], n: int, rngs: list[random.Random]
    ) -> list[list[str]]:
        """Candidate variants for each of ``texts`` (non-empty strings).

        The default calls :meth:`_augment_one` with the text's generator up to
        ``max_attempts_per_variant * n`` times per text (:func:`distinct_variants`).
        Batched subclasses override this; the caller removes duplicates and the input
        itself and keeps the first ``n``.

        Parameters
        ----------
        texts : list of str
            The usable inputs.
        n : int
            How many variants are wanted per text.
        rngs : list of random.Random
            One generator per text, from :func:`rng_for` ``(seed, row position)``.
        """
        attempts = self.max_attempts_per_variant * n

        def variants(text: str, rng: random.Random) -> list[str]:
            return distinct_variants(lambda _: self._augment_one(text, rng), text, n, attempts)

        return [variants(text, rng) for text, rng in zip(texts, rngs, strict=True)]

    def _augment_keyed(self, texts: list[str], n: int, keys: list[RowKey]) -> list[list[str]]:
        """:meth:`_augment_batch` with each text's generator made from its row key.

        Combinators override this to hand each part a sub-stream of every row.
        """
        return self._augment_batch(texts, n, [rng_for(*key) for key in keys])

    def _variants_for(
        self, items: Sequence[object], n: int, keys: Sequence[RowKey]
    ) -> list[list[str]]:
        """Up to ``n`` clean variants per item (``[]`` for unusable items, counted)."""
        results: list[list[str]] = [[] for _ in items]
        usable = [i for i, text in enumerate(items) if _usable(text)]
        self.skipped_ = len(items) - len(usable)
        if not usable:
            return results
        batch = self._augment_keyed([str(items[i]) for i in usable], n, [keys[i] for i in usable])
        for i, variants in zip(usable, batch, strict=True):
            results[i] = distinct_variants(variants.__getitem__, str(items[i]), n, len(variants))
        return results

    # -- public API -----------------------------------------------------------------------
    def augment(
        self, texts: Iterable[object] | str, *, n: int = 1, seed: int = 0, start: int = 0
    ) -> list[list[str]]:
        """New texts for each input text.

        Parameters
        ----------
        texts : iterable of str, or str
            The texts. A single string is treated as a list of one. Entries that are not
            non-empty strings of valid Unicode (``""``, ``None``, numbers, a string with a
            lone surrogate such as ``"\\ud800"``) get ``[]``, never an exception; after
            the call, ``skipped_`` says how many there were.
        n : int, default=1
            At most this many variants per text (fewer when the text offers fewer).
        seed : int, default=0
            Same seed, same output.
        start : int, default=0
            The position of ``texts[0]`` in the whole input: text ``i`` is seeded by
            ``(seed, start + i)``, so augmenting a dataset in chunks gives the variants
            one call over all of it gives.

        Returns
        -------
        list of list of str
            ``len(texts)`` lists, each with up to ``n`` distinct texts different from the
            input.
        """
        n = _check_n(n)
        start = _check_start(start)
        items = [texts] if isinstance(texts, str) else list(texts)
        keys = [(int(seed), start + i) for i in range(len(items))]
        return self._variants_for(items, n, keys)

    def augment_examples(
        self,
        examples: pd.DataFrame | Sequence[Mapping[str, Any]] | Sequence[str],
        *,
        n: int = 1,
        seed: int = 0,
        text_column: str = "text",
        id_column: str = "id",
        start: int = 0,
    ) -> pd.DataFrame:
        """New labelled examples, with their provenance.

        Parameters
        ----------
        examples : DataFrame, list of dict, or list of str
            One example per row. Every column other than ``text_column`` and ``id_column``
            (the labels, metadata) is copied to the new rows.
        n : int, default=1
            At most this many new rows per example.
        seed : int, default=0
            Same seed, same output.
        text_column : str, default="text"
            The column with the text.
        id_column : str, default="id"
            The column with the example id; when absent, the row's index is used.
        start : int, default=0
            The position of the first row in the whole input (see :meth:`augment`).

        Returns
        -------
        DataFrame
            One row per new text, with columns ``text_column``, the copied columns,
            ``original_id``, ``augmenter`` and ``params`` (this augmenter's
            :meth:`~Params.provenance_params` as a JSON string). Empty (with those
            columns) when nothing was produced.
        """
        frame = as_frame(examples, text_column)
        if text_column not in frame.columns:
            raise AugmentError(Errors.E703.format(column=text_column, columns=list(frame.columns)))
        ids = frame[id_column].tolist() if id_column in frame.columns else frame.index.tolist()
        copied = [c for c in frame.columns if c not in (text_column, id_column)]
        copied = [c for c in copied if c not in PROVENANCE_COLUMNS]
        originals = frame[text_column].tolist()
        variants = self.augment(originals, n=n, seed=seed, start=start)
        records: list[dict[str, Any]] = (
            [{str(k): v for k, v in r.items()} for r in frame[copied].to_dict("records")]
            if copied
            else [{} for _ in ids]
        )
        rows = [
            ({text_column: text}, record, original_id, self.made_by(str(original), text))
            for original_id, original, record, texts in zip(
                ids, originals, records, variants, strict=True
            )
            for text in texts
        ]
        return provenance_frame(self, rows, [text_column, *copied])


def provenance_frame(
    augmenter: Augmenter,
    rows: Sequence[tuple[Mapping[str, Any], Mapping[str, Any], Hashable, str]],
    columns: Sequence[str],
) -> pd.DataFrame:
    """The frame :meth:`Augmenter.augment_examples` returns, from its new rows.

    Parameters
    ----------
    augmenter : Augmenter
        Its :meth:`~Params.provenance_params` fill the ``params`` column.
    rows : sequence of (dict, dict, object, str)
        Per new row: its own columns, the columns copied from its original, the
        original's id, and the name for the ``augmenter`` column.
    columns : sequence of str
        The columns before the provenance ones, in order.

    Returns
    -------
    DataFrame
        ``columns`` then ``original_id``, ``augmenter``, ``params``.
    """
    import pandas as pd

    params = json.dumps(augmenter.provenance_params(), sort_keys=True, default=str)
    records = [
        {**own, **copied, "original_id": original_id, "augmenter": made_by, "params": params}
        for own, copied, original_id, made_by in rows
    ]
    return pd.DataFrame(records, columns=[*columns, *PROVENANCE_COLUMNS])


def as_frame(examples: object, text_column: str) -> pd.DataFrame:
    """``examples`` (a DataFrame, a Series, records or texts) as a DataFrame.

    Raises
    ------
    AugmentError
        [E702] for anything else.
    """
    import pandas as pd

    if isinstance(examples, pd.DataFrame):
        return examples
    if isinstance(examples, pd.Series):
        return examples.to_frame(name=text_column)
    if isinstance(examples, str | bytes) or not isinstance(examples, Iterable):
        raise AugmentError(Errors.E702.format(kind=type(examples).__name__))
    items = list(examples)
    if all(isinstance(item, Mapping) for item in items):
        return pd.DataFrame.from_records(items)
    if all(item is None or isinstance(item, str) for item in items):
        return pd.DataFrame({text_column: items})
    raise AugmentError(Errors.E702.format(kind="a list of mixed items"))
