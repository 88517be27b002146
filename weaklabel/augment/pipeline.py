"""Run an augmenter over a whole dataset, with filters and provenance.

Use :class:`AugmentationPipeline` to run an augmenter (or a combinator from
:mod:`weaklabel.augment.combine`) over a DataFrame (a ``text`` column plus labels) or a
list of spaCy Docs: ``n_per_original`` variants per row, the originals kept or not,
filters applied (anything implementing :class:`~weaklabel.augment.filters.Filter`, or a
plain function), a progress bar, and provenance columns so
:func:`~weaklabel.augment.group_split` keeps every variant with its original.

Row ``i`` of the data is seeded by ``(seed, i)`` whatever the ``batch_size``, so the
output is the one a single ``augment_examples`` call over all the data gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel._deprecated import moved_names
from weaklabel.augment._errors import AugmentError, Errors
from weaklabel.augment.base import (
    PROVENANCE_COLUMNS,
    Augmenter,
    _check_n,
    _jsonable,
    _usable,
    as_frame,
    invalid_argument,
)
from weaklabel.augment.entities.base import SpanAugmenter, _holds_spans
from weaklabel.augment.entities.examples import SpanExample, as_span_examples
from weaklabel.augment.filters.base import Filter, FunctionFilter

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OUTPUT_COLUMNS", "AugmentationPipeline", "as_filter"]

OUTPUT_COLUMNS = ("original_id", "augmenter", "is_augmented")
"""The columns a table run adds after the input's own, in this order, in every output."""

# The combinators lived here until 0.2; their old import path keeps working for a release.
__getattr__ = moved_names(
    __name__,
    {
        **{
            name: "weaklabel.augment.combine"
            for name in ("EntitySafe", "OneOf", "Sequential", "Sometimes")
        },
        "PipelineErrors": "weaklabel.augment._errors:Errors",  # messages: augment catalogue
    },
)


def as_filter(obj: object) -> Filter:
    """``obj`` as a :class:`~weaklabel.augment.filters.Filter`: itself when it is one, a
    :class:`~weaklabel.augment.filters.FunctionFilter` when it is a plain callable
    ``(augmented, originals) -> mask``.

    Raises
    ------
    AugmentError
        [E772] for anything else.
    """
    if isinstance(obj, Filter):
        return obj
    if callable(obj):
        return FunctionFilter(obj)
    raise AugmentError(Errors.E772.format(filter=obj))


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
        Applied in order to all the new rows (after every batch is augmented, so the
        ``batch_size`` does not change what they see), each through the one
        :class:`~weaklabel.augment.filters.Filter` call ``keep_frame(new, originals,
        text_column=, label_column=, id_column=)``: a
        :class:`~weaklabel.augment.NearDuplicateFilter` (fitted on the originals, so
        copies of any original are dropped, and near-copies among the new rows), a
        :class:`~weaklabel.augment.LabelConsistencyFilter` (uses ``label_column``),
        :class:`~weaklabel.augment.SemanticFidelityFilter`,
        :class:`~weaklabel.augment.SpanConsistencyFilter`, or a plain callable
        ``(augmented, originals) -> mask`` (wrapped in a
        :class:`~weaklabel.augment.filters.FunctionFilter`).
    batch_size : int, default=256
        Rows per call into the augmenter (and per progress-bar step). It does not change
        the output: row ``i`` is seeded by ``(seed, i)`` in any batch.
    progress : bool, default=True
        Show a progress bar (on standard error, only for work longer than two seconds,
        cleared when done).

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
        filters: Sequence[Filter | Any] = (),
        batch_size: int = 256,
        progress: bool = True,
    ) -> None:
        if not isinstance(augmenter, Augmenter):
            raise invalid_argument("AugmentationPipeline", "augmenter", "an Augmenter", augmenter)
        self.augmenter = augmenter
        self.n_per_original = _check_n(n_per_original)
        self.keep_original = bool(keep_original)
        self.filters = [as_filter(f) for f in filters]
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise invalid_argument(
                "AugmentationPipeline", "batch_size", "a positive integer", batch_size
            )
        self.batch_size = batch_size
        self.progress = bool(progress)
        self.report_: dict[str, int] = {}
        self.config_: dict[str, Any] = {}

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
            Same seed, same output; row ``i`` is seeded by ``(seed, i)``, so the
            ``batch_size`` does not change the output.
        text_column, label_column, id_column : str
            Column names; ``label_column`` is read by a LabelConsistencyFilter.
        span_key : str, optional
            For Docs: the ``doc.spans`` key holding the spans (default: ``doc.ents``).

        Returns
        -------
        DataFrame or list of Doc
            For table input: the originals (when ``keep_original``) and the new rows, each
            original followed by its variants; the input's columns (with an ``id_column``
            made of row positions when it had none), then ``original_id``, ``augmenter``
            (a short name per row) and ``is_augmented``, in that order whatever is kept.
            ``id`` and ``original_id`` share one type: integers when the input's ids are
            integers or positions (variants numbered on from the largest), else text
            (variant ``k`` of ``"a"`` is ``"a#k"``). The configuration (augmenter and its
            parameters, filters, seed, what the ids are, the counts) is stored once, in
            ``attrs["augment"]`` and ``config_``. For Docs: the Docs in the same order,
            new Docs carrying their provenance in ``user_data``.

        Notes
        -----
        After a table run, ``report_`` counts the rows, the variants asked for, the rows
        with no usable text (missing, empty, not a string or not valid Unicode: they get
        no variants), the variants generated, how many each filter dropped
        (``"dropped by <filter>"``) and how many were kept; ``config_`` is the
        configuration also stored in ``attrs["augment"]``.
        """
        import pandas as pd

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
            frame = as_frame(data, text_column)
        if not spans_mode and text_column not in frame.columns:
            raise AugmentError(Errors.E773.format(column=text_column, columns=list(frame.columns)))
        has_ids = id_column in frame.columns
        frame = frame.reset_index(drop=has_ids)
        if not has_ids:
            frame = frame.rename(columns={"index": id_column})
        ids = "position" if not has_ids else "integer" if _integer_ids(frame[id_column]) else "text"
        if spans_mode and "text" not in frame.columns:
            frame["text"] = [ex.text for ex in as_span_examples(frame, id_column=id_column)]
        self.report_ = {"rows": len(frame), "asked": self.n_per_original * len(frame)}
        texts = frame[text_column] if text_column in frame.columns else frame["text"]
        self.report_["no usable text"] = sum(not _usable(t) for t in texts.tolist())
        self.report_["generated"] = 0
        for name in self._filter_names():
            self.report_[f"dropped by {name}"] = 0
        self.report_["kept"] = 0
        config = {"seed": seed, "text_column": text_column, "id_column": id_column, "ids": ids}
        if frame.empty:
            empty = self._interleave(frame, _no_rows(frame), id_column)
            return self._finish(empty, config, len(frame))
        pieces = [
            self.augmenter.augment_examples(
                frame.iloc[start : start + self.batch_size],
                n=self.n_per_original,
                seed=seed,
                text_column=text_column,
                id_column=id_column,
                start=start,
            )
            for start in self._batches(len(frame))
        ]
        # empty pieces are left out: their column types would change the result's
        new = pd.concat([p for p in pieces if len(p)] or pieces[:1], ignore_index=True)
        self.report_["generated"] = len(new)
        new = self._filter(new, frame, text_column, label_column, id_column)
        self.report_["kept"] = len(new)
        return self._finish(self._interleave(frame, new, id_column), config, len(frame))

    def _finish(self, out: pd.DataFrame, config: dict[str, Any], n_rows: int) -> pd.DataFrame:
        self.config_ = self._config(**config, n_rows=n_rows)
        out.attrs["augment"] = self.config_
        return out

    # -- helpers --------------------------------------------------------------------------
    def _batches(self, n: int) -> Any:
        from weaklabel._progress import progress_bar

        return progress_bar(
            range(0, n, self.batch_size),
            desc=f"augment ({self.augmenter.name})",
            unit="batch",
            enabled=self.progress,
        )

    def _interleave(self, batch: pd.DataFrame, new: pd.DataFrame, id_column: str) -> pd.DataFrame:
        """The output table: each original (when kept) followed by its variants.

        Columns, in every case: the input's, those the augmenter adds (the span columns
        of entity-aware augmenters), then :data:`OUTPUT_COLUMNS`. ``id`` and
        ``original_id`` have one type: integers when the input's ids are integers (or
        row positions), variants numbered on from the largest; text otherwise, variant
        ``k`` of row ``"a"`` being ``"a#k"``. An original's ``original_id`` is its own id.
        """
        import pandas as pd

        given = [c for c in batch.columns if c not in OUTPUT_COLUMNS and c != "params"]
        made = [c for c in new.columns if c not in given and c not in (*OUTPUT_COLUMNS, "params")]
        columns = [*given, *made, *OUTPUT_COLUMNS]  # made: e.g. the span columns of new rows
        integer = _integer_ids(batch[id_column])
        original_ids = batch[id_column].tolist()
        position = {key: p for p, key in enumerate(original_ids)}
        new = new.drop(columns=["params"], errors="ignore")
        counters: dict[Any, int] = {}
        order: list[tuple[int, int]] = []
        for original in new["original_id"].tolist():
            k = counters.get(original, 0)
            counters[original] = k + 1
            order.append((position.get(original, len(position)), k + 1))
        ranking = sorted(range(len(order)), key=order.__getitem__)
        new = new.iloc[ranking].reset_index(drop=True)
        order = [order[i] for i in ranking]
        if integer:
            start = int(max(original_ids)) + 1 if original_ids else 0
            new[id_column] = np.arange(start, start + len(new), dtype=np.int64)
            new["original_id"] = new["original_id"].astype(np.int64)
        else:
            taken = {str(i) for i in original_ids}
            ids: list[str] = []
            for original, (_, k) in zip(new["original_id"].tolist(), order, strict=True):
                candidate = f"{original}#{k - 1}"
                while candidate in taken:  # an input id that looks like a variant's
                    candidate += "#"
                taken.add(candidate)
                ids.append(candidate)
            new[id_column] = ids
            new["original_id"] = new["original_id"].map(str)
        new["is_augmented"] = True
        parts = [new]
        keys = order
        if self.keep_original:
            originals = batch.copy()
            if not integer:
                originals[id_column] = originals[id_column].map(str)
            # an input that is itself augmented output keeps its provenance
            own = originals[id_column]
            if "original_id" in batch.columns:
                earlier = batch["original_id"]
                keep = earlier.notna().to_numpy()
                if integer and not _integer_ids(earlier[keep]):
                    keep[:] = False
                before = earlier.where(keep, own)
                own = before.astype(np.int64) if integer else before.map(str)
            originals["original_id"] = own
            if "augmenter" not in batch.columns:
                originals["augmenter"] = None
            if "is_augmented" in batch.columns:
                originals["is_augmented"] = batch["is_augmented"].fillna(False).astype(bool)
            else:
                originals["is_augmented"] = False
            parts = [originals, new]
            keys = [(p, 0) for p in range(len(originals))] + order
        joined = pd.concat([part.reindex(columns=columns) for part in parts], ignore_index=True)
        ranking = sorted(range(len(keys)), key=keys.__getitem__)
        out = joined.iloc[ranking].reset_index(drop=True)
        if integer:
            out[id_column] = out[id_column].astype(np.int64)
            out["original_id"] = out["original_id"].astype(np.int64)
        out["is_augmented"] = out["is_augmented"].astype(bool)
        # one dtype whether or not originals (no augmenter) are in the table
        augmenter = out["augmenter"].astype(object)
        out["augmenter"] = augmenter.where(augmenter.notna(), None)
        return out

    def _config(
        self, *, seed: int, text_column: str, id_column: str, ids: str, n_rows: int
    ) -> dict[str, Any]:
        """What made the output, once per table (``attrs["augment"]``, the CLI's sidecar)."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            weaklabel_version = version("weaklabel")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            weaklabel_version = "unknown"
        id_note = {
            "integer": (
                f"the input's {id_column!r} column (integers); variants get new integers "
                "after the largest input id"
            ),
            "text": (f"the input's {id_column!r} column, as text; variant k of row 'a' is 'a#k'"),
            "position": (
                f"the input has no {id_column!r} column: ids are 0-based row positions in "
                f"the input ({n_rows} rows); variants get new integers from {n_rows} on"
            ),
        }[ids]
        return {
            "augmenter": self.augmenter.name,
            "params": self.augmenter.provenance_params(),
            "n_per_original": self.n_per_original,
            "keep_original": self.keep_original,
            "filters": [
                {"name": name, "params": _jsonable(f)}
                for f, name in zip(self.filters, self._filter_names(), strict=True)
            ],
            "seed": seed,
            "text_column": text_column,
            "id_column": id_column,
            "columns": {
                id_column: id_note,
                "original_id": (
                    f"the {id_column!r} of the original row a row was made from (an "
                    "original's own id); same type as " + repr(id_column)
                ),
                "augmenter": "short name of the augmenter that made the row; empty for originals",
                "is_augmented": "true for the new rows",
            },
            "report": dict(self.report_),
            "weaklabel": weaklabel_version,
        }

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
        self,
        new: pd.DataFrame,
        batch: pd.DataFrame,
        text_column: str,
        label_column: str,
        id_column: str,
    ) -> pd.DataFrame:
        for f, name in zip(self.filters, self._filter_names(), strict=True):
            if new.empty:
                break
            mask = f.keep_frame(
                new,
                batch,
                text_column=text_column,
                label_column=label_column,
                id_column=id_column,
            )
            mask = np.asarray(mask, dtype=bool)
            if mask.shape != (len(new),):
                raise AugmentError(Errors.E774.format(got=mask.shape, expected=len(new)))
            self.report_[f"dropped by {name}"] += int((~mask).sum())
            new = new[mask].reset_index(drop=True)
        return new

    def _run_docs(self, docs: list[Any], *, seed: int, span_key: str | None) -> list[Any]:
        if not isinstance(self.augmenter, SpanAugmenter):
            raise AugmentError(Errors.E771.format(name="AugmentationPipeline", part=self.augmenter))
        out: list[Any] = []
        for start in self._batches(len(docs)):
            batch = docs[start : start + self.batch_size]
            variants = self.augmenter.augment_docs(
                batch, n=self.n_per_original, seed=seed, span_key=span_key, start=start
            )
            for doc, new_docs in zip(batch, variants, strict=True):
                if self.keep_original:
                    out.append(doc)
                out.extend(new_docs)
        return out


def _integer_ids(ids: pd.Series) -> bool:
    """Whether a column of ids is integers (not booleans): variants then get integers too."""
    import pandas as pd

    return (
        bool(pd.api.types.is_integer_dtype(ids.dtype))
        and not pd.api.types.is_bool_dtype(ids.dtype)
        and not bool(ids.isna().any())
    )


def _no_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """An empty table of new rows for ``frame`` (nothing to augment)."""
    empty = frame.iloc[0:0].copy()
    for column in PROVENANCE_COLUMNS:
        empty[column] = []
    return empty


def _is_doc(obj: object) -> bool:
    import sys

    tokens = sys.modules.get("spacy.tokens")
    return tokens is not None and isinstance(obj, tokens.Doc)


def _has_span_columns(data: Any) -> bool:
    import pandas as pd

    return isinstance(data, pd.DataFrame | list | tuple) and _holds_spans(data)
