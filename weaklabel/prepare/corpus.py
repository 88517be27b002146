"""``prepare``: run preparation steps over a raw table, tracing every row to its raw row.

Use :func:`prepare` on the raw table before sources see it. It keeps an id per row (the
table's own id column, or the raw row number), runs the steps in order, and returns a
:class:`PreparedCorpus`: the kept rows, a ``dropped`` table with one reason per dropped row,
and a per-step report. Rows whose text is missing are dropped first (reason ``missing
text``), and any row whose text a repair step leaves empty is dropped by that step (reason
``empty text``), so the prepared table never holds an empty text::

    from weaklabel.prepare import prepare, default_steps, LanguageFilter

    prepared = prepare(raw, text_column="CONTENT", id_column="COMMENT_ID",
                       steps=[*default_steps(), LanguageFilter(keep=["en"])])
    prepared.frame      # the kept rows, repaired
    prepared.dropped    # id, step, reason
    print(prepared.summary())
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from weaklabel.errors import PrepareError
from weaklabel.prepare._errors import Errors
from weaklabel.prepare.base import Step, StepResult
from weaklabel.prepare.duplicates import ExactDuplicates, NearDuplicates
from weaklabel.prepare.language import LanguageFilter
from weaklabel.prepare.steps import FixText, LengthFilter, NormalizeWhitespace, StripHTML

__all__ = ["STEPS", "PreparedCorpus", "default_steps", "prepare"]

STEPS: dict[str, type[Step]] = {
    "strip_html": StripHTML,
    "fix_text": FixText,
    "whitespace": NormalizeWhitespace,
    "length": LengthFilter,
    "exact_duplicates": ExactDuplicates,
    "near_duplicates": NearDuplicates,
    "language": LanguageFilter,
}
"""Every built-in step by its name (the ``step =`` of a ``weaklabel run`` config)."""

INPUT_STEP = "input"
"""The step name of rows dropped before any step ran (missing or empty text)."""


def default_steps() -> list[Step]:
    """The default preparation: repair, normalise, drop empty texts and duplicates.

    Returns
    -------
    list of Step
        ``[StripHTML(), FixText(), NormalizeWhitespace(), ExactDuplicates(),
        NearDuplicates(threshold=0.9)]``. No language or length filter: add
        :class:`~weaklabel.prepare.LanguageFilter` and
        :class:`~weaklabel.prepare.LengthFilter` for your data.
    """
    return [StripHTML(), FixText(), NormalizeWhitespace(), ExactDuplicates(), NearDuplicates()]


@dataclass
class PreparedCorpus:
    """The result of :func:`prepare`.

    Attributes
    ----------
    frame : pandas.DataFrame of shape (n_kept, n_columns)
        The kept rows in their raw order, with repaired texts; the id column first.
    dropped : pandas.DataFrame of shape (n_dropped, 3)
        Columns ``id``, ``step`` and ``reason``: one row per dropped raw row.
    report : pandas.DataFrame of shape (n_steps + 1, 6)
        Columns ``step``, ``rows_in``, ``changed`` (texts a step rewrote), ``dropped``,
        ``rows_out`` and ``seconds``; the first row, ``input``, counts missing texts.
    id_column : str
        The name of the id column.
    """

    frame: pd.DataFrame
    dropped: pd.DataFrame
    report: pd.DataFrame
    id_column: str

    def summary(self) -> str:
        """One line per step: rows in, changed, dropped, rows out, time."""
        return "\n".join(
            step_line({str(k): v for k, v in row.items()}) for row in self.report.to_dict("records")
        )


def step_line(row: dict[str, Any]) -> str:
    """The one-line summary of a row of :attr:`PreparedCorpus.report`."""
    return (
        f"prepare {row['step']}: {row['rows_in']} rows in, {row['changed']} changed, "
        f"{row['dropped']} dropped, {row['rows_out']} out ({row['seconds']:.2f} s)"
    )


def _as_frame(data: Any, text_column: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        if text_column not in data.columns:
            raise PrepareError(
                Errors.E801.format(column=text_column, columns=[str(c) for c in data.columns])
            )
        return data.reset_index(drop=True).copy()
    if isinstance(data, pd.Series):
        return pd.DataFrame({text_column: data.reset_index(drop=True)})
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return pd.DataFrame({text_column: pd.Series(list(data), dtype=object)})
    raise PrepareError(Errors.E800.format(kind=type(data).__name__))


def _missing(values: pd.Series) -> np.ndarray:
    return values.isna().to_numpy(dtype=bool)


def _with_ids(frame: pd.DataFrame, id_column: str | None) -> tuple[pd.DataFrame, str]:
    column = id_column or "id"
    if id_column is not None and id_column in frame.columns:
        ids = frame[id_column]
        missing = _missing(ids)
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise PrepareError(Errors.E802.format(column=column, problem="missing ids", row=row))
        repeated = ids.duplicated(keep="first").to_numpy(dtype=bool)
        if repeated.any():
            row = int(np.flatnonzero(repeated)[0])
            value = ids.iloc[row]  # by position: the frame's index may be anything
            value = value.item() if isinstance(value, np.generic) else value
            raise PrepareError(
                Errors.E802.format(column=column, problem=f"a repeated id {value!r}", row=row)
            )
        return frame[[column, *[c for c in frame.columns if c != column]]], column
    if column in frame.columns:  # id_column=None but an "id" column exists: keep it apart
        raise PrepareError(
            Errors.E802.format(column=column, problem="values but id_column=None", row=0)
        )
    frame.insert(0, column, np.arange(len(frame), dtype=np.int64))
    return frame, column


def _check_steps(steps: Sequence[Any]) -> list[Step]:
    checked: list[Step] = []
    for i, step in enumerate(steps):
        if not isinstance(step, Step):
            raise PrepareError(Errors.E803.format(index=i, kind=repr(step)[:80]))
        checked.append(step)
    names = [s.name for s in checked]
    for name in names:
        if names.count(name) > 1:
            raise PrepareError(Errors.E804.format(name=name))
    return checked


def _check_result(step: Step, result: Any, texts: pd.Series) -> pd.Series:
    if not isinstance(result, StepResult):
        raise PrepareError(Errors.E805.format(step=step.name, problem=type(result).__name__))
    out = result.texts
    if not isinstance(out, pd.Series) or not out.index.equals(texts.index):
        raise PrepareError(
            Errors.E805.format(step=step.name, problem="texts with another length or index")
        )
    reasons = result.reasons
    if not isinstance(reasons, pd.Series):
        raise PrepareError(
            Errors.E805.format(step=step.name, problem="reasons that are not a pandas Series")
        )
    if len(reasons) and not reasons.index.isin(texts.index).all():
        raise PrepareError(
            Errors.E805.format(step=step.name, problem="reasons for rows it was not given")
        )
    if _missing(out).any():
        raise PrepareError(Errors.E805.format(step=step.name, problem="missing texts"))
    return reasons


def prepare(
    data: pd.DataFrame | pd.Series | Sequence[str],
    *,
    text_column: str = "text",
    id_column: str | None = "id",
    steps: Sequence[Step] | None = None,
    raw_column: str | None = None,
    log: Callable[[str], None] | None = None,
) -> PreparedCorpus:
    """Repair and filter a raw corpus, reporting every dropped row with its reason.

    Parameters
    ----------
    data : DataFrame, Series or sequence of str
        The raw table (``n_raw`` rows); every column is carried along.
    text_column : str, default "text"
        The column holding the texts.
    id_column : str or None, default "id"
        The column of row ids. When the table has it, its values (unique, none missing)
        are kept; when it does not, it is created from the raw row numbers ``0 ..
        n_raw-1``. ``None`` always numbers the raw rows, in a column ``id``.
    steps : sequence of Step, optional
        The steps, run in order; :func:`default_steps` when omitted, ``[]`` for none.
    raw_column : str, optional
        Keep each row's raw text in this column too.
    log : callable, optional
        Called with a one-line summary after each step (e.g. ``print``).

    Returns
    -------
    PreparedCorpus
    """
    frame, id_name = _with_ids(_as_frame(data, text_column), id_column)
    checked = _check_steps(default_steps() if steps is None else steps)
    raw = frame[text_column]
    if raw_column is not None:
        frame[raw_column] = raw
    gone = _missing(raw)
    texts = pd.Series(
        [t if isinstance(t, str) else str(t) for t in raw.where(~gone, "")],
        index=frame.index,
        dtype=object,
    )
    drops: list[pd.DataFrame] = []
    rows: list[dict[str, Any]] = []

    def record(step: str, index: pd.Index, reasons: Sequence[str]) -> None:
        if len(index):
            ids = frame.loc[index, id_name].to_numpy()
            drops.append(pd.DataFrame({"id": ids, "step": step, "reason": list(reasons)}))

    empty = texts.str.len().to_numpy() == 0
    first = ["missing text" if g else "empty text" for g in gone[gone | empty]]
    record(INPUT_STEP, texts.index[gone | empty], first)
    kept = texts[~(gone | empty)]
    rows.append(
        {
            "step": INPUT_STEP,
            "rows_in": len(texts),
            "changed": 0,
            "dropped": int((gone | empty).sum()),
            "rows_out": len(kept),
            "seconds": 0.0,
        }
    )
    if log is not None:
        log(step_line(rows[-1]))
    for step in checked:
        start = time.perf_counter()
        result = step.run(kept, frame.loc[kept.index, id_name])
        reasons = _check_result(step, result, kept)
        new = result.texts.astype(object)
        changed = int((new != kept).sum())
        now_empty = new.str.len().to_numpy() == 0
        extra = new.index[now_empty & ~new.index.isin(reasons.index)]
        reasons = pd.concat([reasons, pd.Series("empty text", index=extra, dtype=object)])
        reasons = reasons.sort_index()
        record(step.name, reasons.index, reasons.tolist())
        n_in = len(kept)
        kept = new.drop(index=reasons.index)
        rows.append(
            {
                "step": step.name,
                "rows_in": n_in,
                "changed": changed,
                "dropped": len(reasons),
                "rows_out": len(kept),
                "seconds": time.perf_counter() - start,
            }
        )
        if log is not None:
            log(step_line(rows[-1]))
    out = frame.loc[kept.index].copy()
    out[text_column] = kept
    dropped = (
        pd.concat(drops, ignore_index=True)
        if drops
        else pd.DataFrame({"id": frame[id_name].iloc[:0], "step": [], "reason": []})
    )
    return PreparedCorpus(
        frame=out.reset_index(drop=True),
        dropped=dropped.astype({"step": object, "reason": object}),
        report=pd.DataFrame(rows),
        id_column=id_name,
    )
