"""The contract every augmenter follows, and the shared code that enforces it.

Subclass :class:`Augmenter` to write an augmenter: implement :meth:`Augmenter._augment_one`
(one text, one random generator) or, for batched back ends such as translators,
:meth:`Augmenter._augment_batch`. The base class then gives every augmenter the same
behaviour:

- :meth:`Augmenter.augment` returns, for each input text, a list of up to ``n`` distinct
  new texts, never the input itself; empty strings, ``None`` and non-strings give ``[]``.
- The output for input ``i`` depends only on ``(seed, i)`` and the text, so the same seed
  gives the same output, and one text's variants do not change when others are added after
  it.
- :meth:`Augmenter.augment_examples` takes labelled examples (a DataFrame or records) and
  returns the new rows with every other column copied and their provenance:
  ``original_id``, ``augmenter`` and ``params`` (a JSON string).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from weaklabel.augment._errors import AugmentError, Errors

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Augmenter", "rng_for"]

PROVENANCE_COLUMNS = ("original_id", "augmenter", "params")


def rng_for(seed: int, index: int) -> random.Random:
    """The random generator for input ``index`` under ``seed`` (stable across runs).

    Parameters
    ----------
    seed : int
        The seed the user passed to ``augment``.
    index : int
        The position of the text in the input.

    Returns
    -------
    random.Random
        Seeded from the string ``"{seed}:{index}"`` (hashed with SHA-512 by ``random``, so
        it does not depend on ``PYTHONHASHSEED``).
    """
    return random.Random(f"{seed}:{index}")


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise AugmentError(Errors.E700.format(n=n))
    return n


def _usable(text: object) -> bool:
    return isinstance(text, str) and bool(text.strip())


class Augmenter:
    """Base class of weaklabel's augmenters.

    Subclasses override :meth:`_augment_one` or :meth:`_augment_batch`, and
    :meth:`get_params` when they take constructor arguments.
    """

    #: How many times ``_augment_one`` may be called per wanted variant before giving up.
    max_attempts_per_variant: int = 3

    @property
    def name(self) -> str:
        """The augmenter's name, as written in the ``augmenter`` provenance column."""
        return type(self).__name__

    def made_by(self, original: str, variant: str) -> str:
        """The name written in the ``augmenter`` column for one variant of the last call.

        Plain augmenters return :attr:`name`; combinators name the parts that made the
        variant, e.g. ``"OneOf(Synonym)"`` or ``"Sequential(Synonym>Noise)"``.
        """
        del original, variant
        return self.name

    def get_params(self) -> dict[str, Any]:
        """The parameters that define this augmenter, JSON-serialisable.

        Returns
        -------
        dict
            Written (as JSON) in the ``params`` column of :meth:`augment_examples`.
        """
        return {}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{self.name}({args})"

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
        ``max_attempts_per_variant * n`` times per text. Batched subclasses override this;
        the caller removes duplicates and the input itself and keeps the first ``n``.

        Parameters
        ----------
        texts : list of str
            The usable inputs.
        n : int
            How many variants are wanted per text.
        rngs : list of random.Random
            One generator per text, from :func:`rng_for` ``(seed, position in the input)``.
        """
        out: list[list[str]] = []
        for text, rng in zip(texts, rngs, strict=True):
            found: list[str] = []
            for _ in range(self.max_attempts_per_variant * n):
                variant = self._augment_one(text, rng)
                if variant != text and variant not in found:
                    found.append(variant)
                    if len(found) == n:
                        break
            out.append(found)
        return out

    # -- public API -----------------------------------------------------------------------
    def augment(
        self, texts: Iterable[object] | str, *, n: int = 1, seed: int = 0
    ) -> list[list[str]]:
        """New texts for each input text.

        Parameters
        ----------
        texts : iterable of str, or str
            The texts. A single string is treated as a list of one. Entries that are not
            non-empty strings (``""``, ``None``, numbers) get ``[]``.
        n : int, default=1
            At most this many variants per text (fewer when the text offers fewer).
        seed : int, default=0
            Same seed, same output.

        Returns
        -------
        list of list of str
            ``len(texts)`` lists, each with up to ``n`` distinct texts different from the
            input.
        """
        n = _check_n(n)
        items = [texts] if isinstance(texts, str) else list(texts)
        results: list[list[str]] = [[] for _ in items]
        usable = [i for i, text in enumerate(items) if _usable(text)]
        if not usable:
            return results
        rngs = [rng_for(int(seed), i) for i in usable]
        batch = self._augment_batch([str(items[i]) for i in usable], n, rngs)
        for i, variants in zip(usable, batch, strict=True):
            original = items[i]
            kept: list[str] = []
            for variant in variants:
                if _usable(variant) and variant != original and variant not in kept:
                    kept.append(variant)
                if len(kept) == n:
                    break
            results[i] = kept
        return results

    def augment_examples(
        self,
        examples: pd.DataFrame | Sequence[Mapping[str, Any]] | Sequence[str],
        *,
        n: int = 1,
        seed: int = 0,
        text_column: str = "text",
        id_column: str = "id",
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

        Returns
        -------
        DataFrame
            One row per new text, with columns ``text_column``, the copied columns,
            ``original_id``, ``augmenter`` and ``params`` (this augmenter's parameters as a
            JSON string). Empty (with those columns) when nothing was produced.
        """
        import pandas as pd

        frame = _as_frame(examples, text_column)
        if text_column not in frame.columns:
            raise AugmentError(Errors.E703.format(column=text_column, columns=list(frame.columns)))
        ids = frame[id_column].tolist() if id_column in frame.columns else frame.index.tolist()
        copied = [c for c in frame.columns if c not in (text_column, id_column)]
        copied = [c for c in copied if c not in PROVENANCE_COLUMNS]
        variants = self.augment(frame[text_column].tolist(), n=n, seed=seed)
        params = json.dumps(self.get_params(), sort_keys=True, default=str)
        rows: list[dict[str, Any]] = []
        records: list[dict[str, Any]] = (
            [{str(k): v for k, v in r.items()} for r in frame[copied].to_dict("records")]
            if copied
            else [{} for _ in ids]
        )
        originals = frame[text_column].tolist()
        for original_id, original, record, texts in zip(
            ids, originals, records, variants, strict=True
        ):
            for text in texts:
                rows.append(
                    {
                        text_column: text,
                        **record,
                        "original_id": original_id,
                        "augmenter": self.made_by(str(original), text),
                        "params": params,
                    }
                )
        columns = [text_column, *copied, *PROVENANCE_COLUMNS]
        return pd.DataFrame(rows, columns=columns)


def _as_frame(examples: object, text_column: str) -> pd.DataFrame:
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
