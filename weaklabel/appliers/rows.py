"""Running row sources (Python labeling functions) over examples, in-process or in a pool.

Use :func:`label_rows` through :func:`weaklabel.apply`; it is public for appliers that
bring their own partitioning (Dask, for instance). Each example is turned into a
:class:`~weaklabel.sources.base.Row` once; preprocessors shared by several sources run
once per example.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.errors import Errors, ParameterError, SourceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.sources.base import Row, resolve_label
from weaklabel.sources.function import LabelingFunction

if TYPE_CHECKING:
    import pandas as pd


def _preview(row: Row, limit: int = 120) -> str:
    text = repr(dict(row))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def label_rows(
    sources: Sequence[LabelingFunction],
    frame: pd.DataFrame,
    label_space: LabelSpace | None,
    *,
    fault_tolerant: bool = False,
    progress: Any = None,
    row_offset: int = 0,
    skip: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply row sources to every row of ``frame``.

    Parameters
    ----------
    sources : sequence of LabelingFunction
    frame : pandas.DataFrame of n_examples rows
    label_space : LabelSpace or None
        Resolves class names that sources return.
    fault_tolerant : bool, default False
        Count exceptions as abstains instead of raising.
    progress : tqdm-like, optional
        ``progress.update(k)`` is called every few hundred rows.
    row_offset : int, default 0
        Added to row numbers in error messages (for chunks of a larger frame).
    skip : ndarray of bool of shape (n_examples,), optional
        Rows no source is run on (they stay ``ABSTAIN``): rows whose text is missing.

    Returns
    -------
    votes : ndarray of shape (n_examples, n_sources)
    faults : ndarray of shape (n_sources,)
        Exceptions counted as abstains, per source.
    """
    n, m = len(frame), len(sources)
    votes = np.full((n, m), ABSTAIN, dtype=np.int64)
    faults = np.zeros(m, dtype=np.int64)
    columns = [str(c) for c in frame.columns]
    chains = [tuple(id(p) for p in s.pre) for s in sources]
    step = 512
    for i, values in enumerate(frame.itertuples(index=False, name=None)):
        if skip is not None and skip[i]:
            if progress is not None and (i + 1) % step == 0:
                progress.update(step)
            continue
        base = Row(zip(columns, values, strict=True))
        memo: dict[tuple[int, ...], Row] = {}
        for j, source in enumerate(sources):
            try:
                x = _preprocess(base, source, chains[j], memo)
                value = source.func(x, **source.resources)
            except Exception as exc:
                if fault_tolerant:
                    faults[j] += 1
                    continue
                raise SourceError(
                    Errors.E030.format(
                        source=source.name,
                        exc_type=type(exc).__name__,
                        row=i + row_offset,
                        exc=exc,
                        preview=_preview(base),
                    )
                ) from exc
            votes[i, j] = resolve_label(value, source.name, i + row_offset, label_space)
        if progress is not None and (i + 1) % step == 0:
            progress.update(step)
    if progress is not None and n % step:
        progress.update(n % step)
    return votes, faults


def _preprocess(
    base: Row, source: LabelingFunction, chain: tuple[int, ...], memo: dict[tuple[int, ...], Row]
) -> Row:
    """Run a source's preprocessors on a copy of the row, reusing memoized prefixes."""
    x = base
    for k, pre in enumerate(source.pre):
        key = chain[: k + 1]
        cached = memo.get(key) if pre.memoize else None
        if cached is None:
            cached = pre(Row(x))  # a copy: preprocessors may change the row in place
            if pre.memoize:
                memo[key] = cached
        x = cached
    return x if source.pre else Row(base)


# State inherited by forked workers, so that sources need not be picklable.
_POOL_STATE: dict[str, Any] = {}


def _label_chunk(bounds: tuple[int, int]) -> tuple[int, np.ndarray, np.ndarray]:
    start, stop = bounds
    state = _POOL_STATE
    votes, faults = label_rows(
        state["sources"],
        state["frame"].iloc[start:stop],
        state["label_space"],
        fault_tolerant=state["fault_tolerant"],
        row_offset=start,
        skip=None if state["skip"] is None else state["skip"][start:stop],
    )
    return start, votes, faults


def resolve_n_jobs(n_jobs: int) -> int:
    """Number of worker processes for ``n_jobs`` (``-1`` = all cores)."""
    if n_jobs == -1:
        return max(1, os.cpu_count() or 1)
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < 1:
        raise ParameterError(Errors.E039.format(n_jobs=n_jobs))
    return n_jobs


def label_rows_parallel(
    sources: Sequence[LabelingFunction],
    frame: pd.DataFrame,
    label_space: LabelSpace | None,
    *,
    n_jobs: int,
    fault_tolerant: bool = False,
    progress: Any = None,
    skip: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`label_rows` split over ``n_jobs`` forked worker processes.

    Uses the ``fork`` start method (Linux, macOS), so sources defined in a notebook or as
    lambdas need not be picklable. Where fork is unavailable it runs in-process.
    """
    n = len(frame)
    if n_jobs <= 1 or n < 2_000 or "fork" not in multiprocessing.get_all_start_methods():
        return label_rows(
            sources,
            frame,
            label_space,
            fault_tolerant=fault_tolerant,
            progress=progress,
            skip=skip,
        )
    n_chunks = n_jobs * 4
    edges = np.linspace(0, n, n_chunks + 1).astype(int)
    bounds = [(int(a), int(b)) for a, b in itertools.pairwise(edges) if b > a]
    votes = np.full((n, len(sources)), ABSTAIN, dtype=np.int64)
    faults = np.zeros(len(sources), dtype=np.int64)
    _POOL_STATE.update(
        sources=list(sources),
        frame=frame,
        label_space=label_space,
        fault_tolerant=fault_tolerant,
        skip=skip,
    )
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=context) as pool:
            for start, chunk_votes, chunk_faults in pool.map(_label_chunk, bounds):
                votes[start : start + len(chunk_votes)] = chunk_votes
                faults += chunk_faults
                if progress is not None:
                    progress.update(len(chunk_votes))
    finally:
        _POOL_STATE.clear()
    return votes, faults
