"""Compose augmenters, and run them over a whole dataset with filters and provenance.

Use the combinators to build one augmenter out of several, as in nlpaug's flows:

- :class:`Sequential` applies each step in turn (a step that cannot change a text leaves
  it as it is), so ``Sequential([Synonym(), Noise()])`` gives noisy paraphrases;
- :class:`OneOf` picks one augmenter per variant, with weights;
- :class:`Sometimes` applies its augmenter with probability ``p`` (inside a
  :class:`Sequential`, a step that is skipped now and then).

All three are augmenters themselves (``augment(texts, n=..., seed=...)``) and, when every
part is entity-aware (:class:`~weaklabel.augment.entities.SpanAugmenter`), they edit span
examples too. Calls into each part are batched, so translators still see whole batches.

Use :class:`AugmentationPipeline` to run an augmenter over a DataFrame (a ``text`` column
plus labels) or a list of spaCy Docs: ``n_per_original`` variants per row, the originals
kept or not, filters applied (near-duplicates, label consistency, semantic fidelity, any
callable), a progress bar, and provenance columns so :func:`~weaklabel.augment.group_split`
keeps every variant with its original.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.augment._errors import AugmentError
from weaklabel.augment.base import PROVENANCE_COLUMNS, Augmenter, _check_n, _usable
from weaklabel.augment.entities import SpanAugmenter, SpanExample, as_span_examples
from weaklabel.errors import ErrorCatalogue

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AugmentationPipeline", "OneOf", "PipelineErrors", "Sequential", "Sometimes"]


class PipelineErrors(metaclass=ErrorCatalogue):
    """The catalogue of pipeline messages (E770-E779)."""

    E770 = "{name}: {param} must be {expected}; got {value!r}."
    E771 = (
        "{name} cannot edit span examples: its part {part!r} is not entity-aware. Use "
        "MentionReplacement, LabelwiseTokenReplacement, SynonymOutsideEntities or "
        "EntitySafe(augmenter) parts, or augment plain texts."
    )
    E772 = (
        "Filter {filter!r} is not usable here: pass a NearDuplicateFilter, a "
        "LabelConsistencyFilter, a filter with .keep_frame(augmented, originals) -> mask, or a "
        "callable (augmented, originals) -> boolean mask."
    )
    E773 = "The data has no column {column!r}; its columns are {columns}."
    E774 = (
        "A filter returned a mask of {got} values for {expected} augmented rows; a filter "
        "must return one boolean per row."
    )


def _check_parts(name: str, parts: object) -> list[Augmenter]:
    items = list(parts) if isinstance(parts, Sequence | tuple) else []
    if not items or not all(isinstance(p, Augmenter) for p in items):
        raise AugmentError(
            PipelineErrors.E770.format(
                name=name,
                param="augmenters",
                expected="a non-empty list of augmenters",
                value=parts,
            )
        )
    return items


def _lane_seed(seed: int, lane: int, part: int) -> int:
    return random.Random(f"{seed}:lane{lane}:part{part}").getrandbits(31)


class _Combinator(SpanAugmenter):
    """Shared code: the seed of the current call, and span-mode checks."""

    parts: list[Augmenter]

    def __init__(self) -> None:
        self._seed = 0
        self._origin: dict[tuple[str, str], str] = {}

    def augment(
        self, texts: Any, *, n: int = 1, seed: int = 0
    ) -> list[list[str]]:  # the seed picks each part's batch seed
        self._seed = int(seed)
        self._origin = {}
        return super().augment(texts, n=n, seed=seed)

    def made_by(self, original: str, variant: str) -> str:
        """``"<Combinator>(<parts that made it>)"`` for a variant of the last call."""
        return self._origin.get((original, variant), self.name)

    def _span_parts(self) -> list[SpanAugmenter]:
        for part in self.parts:
            if not isinstance(part, SpanAugmenter):
                raise AugmentError(PipelineErrors.E771.format(name=self.name, part=part))
        return [p for p in self.parts if isinstance(p, SpanAugmenter)]

    def _prepare(self, examples: Sequence[SpanExample]) -> None:
        for part in self._span_parts():
            part._prepare(examples)

    def get_params(self) -> dict[str, Any]:
        """The parts, each as ``{"augmenter": name, "params": {...}}``."""
        return {"augmenters": [{"augmenter": p.name, "params": p.get_params()} for p in self.parts]}


class Sequential(_Combinator):
    """Apply augmenters one after the other.

    Parameters
    ----------
    augmenters : list of Augmenter
        The steps, in order. A step that returns nothing for a text leaves it unchanged.

    Examples
    --------
    >>> from weaklabel.augment import Noise, Synonym
    >>> flow = Sequential([Synonym(), Noise(kinds=["typo"])])  # doctest: +SKIP
    >>> flow.augment(["The committee approved the proposals."], n=2)  # doctest: +SKIP
    """

    def __init__(self, augmenters: Sequence[Augmenter]) -> None:
        super().__init__()
        self.parts = _check_parts("Sequential", augmenters)

    def _augment_batch(
        self, texts: list[str], n: int, rngs: list[random.Random]
    ) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in texts]
        for lane in range(self.max_attempts_per_variant * n):
            pending = [i for i in range(len(texts)) if len(out[i]) < n]
            if not pending:
                break
            current = [texts[i] for i in pending]
            steps: list[list[str]] = [[] for _ in pending]
            for k, part in enumerate(self.parts):
                variants = part.augment(current, n=1, seed=_lane_seed(self._seed, lane, k))
                for j, (found, before) in enumerate(zip(variants, current, strict=True)):
                    if found:
                        steps[j].append(part.made_by(before, found[0]))
                current = [v[0] if v else c for v, c in zip(variants, current, strict=True)]
            for j, (i, new) in enumerate(zip(pending, current, strict=True)):
                if new != texts[i] and new not in out[i]:
                    out[i].append(new)
                    self._origin[(texts[i], new)] = f"{self.name}({'>'.join(steps[j])})"
        return out

    def _variant(self, example: SpanExample, rng: random.Random) -> SpanExample:
        for part in self._span_parts():
            example = part._variant(example, rng)
        return example


class OneOf(_Combinator):
    """Make each variant with one augmenter, drawn at random.

    Parameters
    ----------
    augmenters : list of Augmenter
    weights : sequence of float, optional
        Relative chance of each augmenter (default: equal).
    """

    def __init__(
        self, augmenters: Sequence[Augmenter], *, weights: Sequence[float] | None = None
    ) -> None:
        super().__init__()
        self.parts = _check_parts("OneOf", augmenters)
        if weights is None:
            weights = [1.0] * len(self.parts)
        w = [float(x) for x in weights]
        if len(w) != len(self.parts) or any(x < 0 for x in w) or sum(w) <= 0:
            raise AugmentError(
                PipelineErrors.E770.format(
                    name="OneOf",
                    param="weights",
                    expected=f"{len(self.parts)} non-negative numbers, not all zero",
                    value=weights,
                )
            )
        self.weights = w

    def get_params(self) -> dict[str, Any]:
        """The parts and their weights."""
        return {**super().get_params(), "weights": self.weights}

    def _augment_batch(
        self, texts: list[str], n: int, rngs: list[random.Random]
    ) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in texts]
        for lane in range(self.max_attempts_per_variant * n):
            pending = [i for i in range(len(texts)) if len(out[i]) < n]
            if not pending:
                break
            groups: dict[int, list[int]] = {}
            for i in pending:
                k = rngs[i].choices(range(len(self.parts)), weights=self.weights)[0]
                groups.setdefault(k, []).append(i)
            for k, members in sorted(groups.items()):
                batch = [texts[i] for i in members]
                variants = self.parts[k].augment(batch, n=1, seed=_lane_seed(self._seed, lane, k))
                for i, found in zip(members, variants, strict=True):
                    if found and found[0] != texts[i] and found[0] not in out[i]:
                        out[i].append(found[0])
                        made = self.parts[k].made_by(texts[i], found[0])
                        self._origin[(texts[i], found[0])] = f"{self.name}({made})"
        return out

    def _variant(self, example: SpanExample, rng: random.Random) -> SpanExample:
        parts = self._span_parts()
        k = rng.choices(range(len(parts)), weights=self.weights)[0]
        return parts[k]._variant(example, rng)


class Sometimes(_Combinator):
    """Apply an augmenter with probability ``p``, else leave the text as it is.

    Parameters
    ----------
    augmenter : Augmenter
    p : float, default=0.5
        Chance, per text and variant, that the augmenter is applied.

    Notes
    -----
    On its own it returns variants for about a ``p`` share of the texts; its use is as a
    step of :class:`Sequential`.
    """

    def __init__(self, augmenter: Augmenter, *, p: float = 0.5) -> None:
        super().__init__()
        self.parts = _check_parts("Sometimes", [augmenter])
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 <= p <= 1.0:
            raise AugmentError(
                PipelineErrors.E770.format(
                    name="Sometimes", param="p", expected="in [0, 1]", value=p
                )
            )
        self.p = float(p)

    def get_params(self) -> dict[str, Any]:
        """The augmenter and ``p``."""
        return {**super().get_params(), "p": self.p}

    def _augment_batch(
        self, texts: list[str], n: int, rngs: list[random.Random]
    ) -> list[list[str]]:
        chosen = [i for i, rng in enumerate(rngs) if rng.random() < self.p]
        out: list[list[str]] = [[] for _ in texts]
        if chosen:
            variants = self.parts[0].augment(
                [texts[i] for i in chosen], n=n, seed=_lane_seed(self._seed, 0, 0)
            )
            for i, found in zip(chosen, variants, strict=True):
                out[i] = found
                for variant in found:
                    made = self.parts[0].made_by(texts[i], variant)
                    self._origin[(texts[i], variant)] = f"{self.name}({made})"
        return out

    def _variant(self, example: SpanExample, rng: random.Random) -> SpanExample:
        part = self._span_parts()[0]
        return part._variant(example, rng) if rng.random() < self.p else example


class EntitySafe(SpanAugmenter):
    """Make an augmenter with ``augment_with_spans`` edit span examples.

    Wraps augmenters such as :class:`~weaklabel.augment.Noise` that protect character
    spans and remap their offsets: entities stay byte-identical, the text around them
    changes, and the result is re-tokenised on whitespace (split at entity edges).

    Parameters
    ----------
    augmenter : Augmenter
        Anything with ``augment_with_spans(text, spans, n=, seed=)`` returning
        ``[(new_text, new_spans), ...]``.
    """

    def __init__(self, augmenter: Augmenter) -> None:
        if not callable(getattr(augmenter, "augment_with_spans", None)):
            raise AugmentError(
                PipelineErrors.E770.format(
                    name="EntitySafe",
                    param="augmenter",
                    expected="an augmenter with augment_with_spans (e.g. Noise)",
                    value=augmenter,
                )
            )
        self.augmenter = augmenter

    @property
    def name(self) -> str:
        """``EntitySafe(<inner name>)``."""
        return f"EntitySafe({self.augmenter.name})"

    def get_params(self) -> dict[str, Any]:
        """The wrapped augmenter's parameters."""
        return {"augmenter": self.augmenter.name, "params": self.augmenter.get_params()}

    def _variant(self, example: SpanExample, rng: random.Random) -> SpanExample:
        text = example.text
        if not _usable(text):
            return example
        spans = example.char_spans()
        found = self.augmenter.augment_with_spans(  # type: ignore[attr-defined]
            text, spans, n=1, seed=rng.getrandbits(31)
        )
        if not found:
            return example
        new_text, new_spans = found[0]
        return SpanExample.from_text(new_text, new_spans, id=example.id)


# ---------------------------------------------------------------------------------------
# running over a dataset
# ---------------------------------------------------------------------------------------
FilterLike = Any


class AugmentationPipeline:
    """Augment a whole dataset: variants, filters, provenance, originals kept or not.

    Parameters
    ----------
    augmenter : Augmenter
        One augmenter, or a combinator (:class:`Sequential`, :class:`OneOf`, ...).
    n_per_original : int, default=1
        Variants asked for per row (fewer come back when a text offers fewer, or filters
        drop some).
    keep_original : bool, default=True
        Put the original rows in the output (with ``is_augmented=False``).
    filters : sequence, default=()
        Applied in order to the new rows of each batch: a
        :class:`~weaklabel.augment.NearDuplicateFilter` (fitted on the originals, so copies
        of any original are dropped, and near-copies among the new rows), a
        :class:`~weaklabel.augment.LabelConsistencyFilter` (uses ``label_column``), an
        object with ``keep_frame(augmented, originals) -> mask`` (such as
        :class:`~weaklabel.augment.SemanticFidelityFilter` and
        :class:`~weaklabel.augment.SpanConsistencyFilter`), or a callable with the same
        signature.
    batch_size : int, default=256
        Rows per call into the augmenter (and per progress-bar step).
    progress : bool, default=True
        Show a tqdm progress bar.

    Examples
    --------
    >>> import pandas as pd
    >>> from weaklabel.augment import Noise
    >>> frame = pd.DataFrame({"text": ["great phone, love it", "awful battery"],
    ...                       "label": [1, 0]})
    >>> out = AugmentationPipeline(Noise(), n_per_original=2, progress=False).run(frame)
    >>> out[["label", "is_augmented"]].value_counts().sort_index().tolist()
    [1, 2, 1, 2]
    """

    def __init__(
        self,
        augmenter: Augmenter,
        *,
        n_per_original: int = 1,
        keep_original: bool = True,
        filters: Sequence[FilterLike] = (),
        batch_size: int = 256,
        progress: bool = True,
    ) -> None:
        if not isinstance(augmenter, Augmenter):
            raise AugmentError(
                PipelineErrors.E770.format(
                    name="AugmentationPipeline",
                    param="augmenter",
                    expected="an Augmenter",
                    value=augmenter,
                )
            )
        self.augmenter = augmenter
        self.n_per_original = _check_n(n_per_original)
        self.keep_original = bool(keep_original)
        self.filters = list(filters)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise AugmentError(
                PipelineErrors.E770.format(
                    name="AugmentationPipeline",
                    param="batch_size",
                    expected="a positive integer",
                    value=batch_size,
                )
            )
        self.batch_size = batch_size
        self.progress = bool(progress)
        self.report_: dict[str, int] = {}

    def __repr__(self) -> str:
        return (
            f"AugmentationPipeline({self.augmenter!r}, n_per_original={self.n_per_original}, "
            f"keep_original={self.keep_original}, filters={self.filters!r})"
        )

    def run(
        self,
        data: Any,
        *,
        seed: int = 0,
        text_column: str = "text",
        label_column: str = "label",
        id_column: str = "id",
        span_key: str | None = None,
    ) -> Any:
        """Augment ``data``.

        Parameters
        ----------
        data : DataFrame, list of dict, list of str, or list of spaCy Doc
            Rows with a ``text_column`` (plus labels and metadata, copied to the variants).
            A frame with span columns (``tokens``/``tags``, ``tokens``/``token_spans``, or
            ``text``/``spans``) or Docs needs an entity-aware augmenter.
        seed : int, default=0
            Same seed, same output (batch ``b`` uses a seed derived from ``seed`` and ``b``).
        text_column, label_column, id_column : str
            Column names; ``label_column`` is read by a LabelConsistencyFilter.
        span_key : str, optional
            For Docs: the ``doc.spans`` key holding the spans (default: ``doc.ents``).

        Returns
        -------
        DataFrame or list of Doc
            For table input: the originals (when ``keep_original``) and the new rows, each
            original followed by its variants, with ``id`` (variants get
            ``"<original id>#<k>"``), ``original_id``, ``augmenter``, ``params`` and
            ``is_augmented``. For Docs: the Docs in the same order, new Docs carrying their
            provenance in ``user_data``.

        Notes
        -----
        After a table run, ``report_`` counts the rows, the variants asked for and
        generated, how many each filter dropped (``"dropped by <filter>"``) and how many
        were kept.
        """
        import pandas as pd

        from weaklabel.augment.base import _as_frame

        if isinstance(data, list | tuple) and data and _is_doc(data[0]):
            return self._run_docs(list(data), seed=seed, span_key=span_key)
        if isinstance(data, list | tuple) and data and isinstance(data[0], SpanExample):
            data = pd.DataFrame(
                [
                    {
                        id_column: ex.id if ex.id is not None else i,
                        "tokens": list(ex.tokens),
                        "token_spans": list(ex.spans),
                    }
                    for i, ex in enumerate(as_span_examples(list(data)))
                ]
            )
        spans_mode = isinstance(self.augmenter, SpanAugmenter) and _has_span_columns(data)
        frame: pd.DataFrame
        if spans_mode:
            frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame.from_records(data)
        else:
            frame = _as_frame(data, text_column)
        if not spans_mode and text_column not in frame.columns:
            raise AugmentError(
                PipelineErrors.E773.format(column=text_column, columns=list(frame.columns))
            )
        frame = frame.reset_index(drop=id_column in frame.columns)
        if id_column not in frame.columns:
            frame = frame.rename(columns={"index": id_column})
        if spans_mode and "text" not in frame.columns:
            frame["text"] = [ex.text for ex in as_span_examples(frame, id_column=id_column)]
        pieces: list[pd.DataFrame] = []
        self.report_ = {"rows": len(frame), "asked": self.n_per_original * len(frame)}
        self.report_["generated"] = 0
        for name in self._filter_names():
            self.report_[f"dropped by {name}"] = 0
        self.report_["kept"] = 0
        for number, start in enumerate(self._batches(len(frame))):
            batch = frame.iloc[start : start + self.batch_size]
            batch_seed = _lane_seed(int(seed), number, -1)
            new = self.augmenter.augment_examples(
                batch,
                n=self.n_per_original,
                seed=batch_seed,
                text_column=text_column,
                id_column=id_column,
            )
            self.report_["generated"] += len(new)
            new = self._filter(new, batch, text_column, label_column)
            self.report_["kept"] += len(new)
            pieces.append(self._interleave(batch, new, id_column))
        if not pieces:
            empty = frame.iloc[0:0].copy()
            for column in PROVENANCE_COLUMNS:
                empty[column] = []
            empty["is_augmented"] = np.zeros(0, dtype=bool)
            return empty
        return pd.concat(pieces, ignore_index=True)

    # -- helpers --------------------------------------------------------------------------
    def _batches(self, n: int) -> Any:
        starts = range(0, n, self.batch_size)
        if not self.progress:
            return starts
        from tqdm.auto import tqdm

        return tqdm(starts, desc=f"augment ({self.augmenter.name})", unit="batch")

    def _interleave(self, batch: pd.DataFrame, new: pd.DataFrame, id_column: str) -> pd.DataFrame:
        import pandas as pd

        new = new.copy()
        position = {key: p for p, key in enumerate(batch[id_column].tolist())}
        counters: dict[Any, int] = {}
        ids: list[str] = []
        order: list[tuple[int, int]] = []
        for original in new["original_id"].tolist():
            k = counters.get(original, 0)
            counters[original] = k + 1
            ids.append(f"{original}#{k}")
            order.append((position.get(original, len(position)), k + 1))
        new[id_column] = ids
        new["is_augmented"] = True
        parts = [new]
        keys = order
        if self.keep_original:
            originals = batch.copy()
            for column in PROVENANCE_COLUMNS:
                originals[column] = None
            originals["is_augmented"] = False
            parts = [originals, new]
            keys = [(p, 0) for p in range(len(originals))] + order
        columns = list(dict.fromkeys(c for part in parts for c in part.columns))
        joined = pd.concat([part.reindex(columns=columns) for part in parts], ignore_index=True)
        ranking = sorted(range(len(keys)), key=keys.__getitem__)
        return joined.iloc[ranking].reset_index(drop=True)

    def _filter_names(self) -> list[str]:
        names: list[str] = []
        for f in self.filters:
            name = getattr(f, "__name__", None) or type(f).__name__
            unique, k = name, 2
            while unique in names:
                unique, k = f"{name} ({k})", k + 1
            names.append(unique)
        return names

    def _filter(
        self, new: pd.DataFrame, batch: pd.DataFrame, text_column: str, label_column: str
    ) -> pd.DataFrame:
        for f, name in zip(self.filters, self._filter_names(), strict=True):
            if new.empty:
                break
            mask = np.asarray(_filter_mask(f, new, batch, text_column, label_column), dtype=bool)
            if mask.shape != (len(new),):
                raise AugmentError(PipelineErrors.E774.format(got=mask.shape, expected=len(new)))
            self.report_[f"dropped by {name}"] += int((~mask).sum())
            new = new[mask].reset_index(drop=True)
        return new

    def _run_docs(self, docs: list[Any], *, seed: int, span_key: str | None) -> list[Any]:
        if not isinstance(self.augmenter, SpanAugmenter):
            raise AugmentError(
                PipelineErrors.E771.format(name="AugmentationPipeline", part=self.augmenter)
            )
        out: list[Any] = []
        for number, start in enumerate(self._batches(len(docs))):
            batch = docs[start : start + self.batch_size]
            variants = self.augmenter.augment_docs(
                batch,
                n=self.n_per_original,
                seed=_lane_seed(int(seed), number, -1),
                span_key=span_key,
            )
            for offset, (doc, new_docs) in enumerate(zip(batch, variants, strict=True)):
                if self.keep_original:
                    out.append(doc)
                for new in new_docs:
                    new.user_data["original_id"] = start + offset
                    out.append(new)
        return out


def _is_doc(obj: object) -> bool:
    import sys

    tokens = sys.modules.get("spacy.tokens")
    return tokens is not None and isinstance(obj, tokens.Doc)


def _has_span_columns(data: Any) -> bool:
    import pandas as pd

    columns: set[str] = set()
    if isinstance(data, pd.DataFrame):
        columns = set(data.columns)
    elif isinstance(data, list | tuple) and data and isinstance(data[0], dict):
        columns = set(data[0])
    return (
        {"tokens", "tags"} <= columns
        or {"tokens", "token_spans"} <= columns
        or {"text", "spans"} <= columns
    )


def _filter_mask(
    f: FilterLike,
    new: pd.DataFrame,
    originals: pd.DataFrame,
    text_column: str,
    label_column: str,
) -> Any:
    from weaklabel.augment.filters import LabelConsistencyFilter, NearDuplicateFilter

    if isinstance(f, NearDuplicateFilter):
        f.fit(originals[text_column].tolist() if text_column in originals else [])
        return f.keep(new[text_column].tolist())
    if isinstance(f, LabelConsistencyFilter):
        if label_column not in new.columns:
            raise AugmentError(
                PipelineErrors.E773.format(column=label_column, columns=list(new.columns))
            )
        return f.keep(new[text_column].tolist(), new[label_column].tolist())
    method: Callable[..., Any] | None = getattr(f, "keep_frame", None)
    if callable(method):
        if "text_column" in inspect.signature(method).parameters:
            return method(new, originals, text_column=text_column)
        return method(new, originals)
    if callable(f):
        return f(new, originals)
    raise AugmentError(PipelineErrors.E772.format(filter=f))
