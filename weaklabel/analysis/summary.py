"""Statistics of labeling sources: coverage, overlap, conflict, polarity and dev-set accuracy.

Use this module after applying your sources and before fitting a label model, to see which
sources fire, how often they agree or fight, and, given gold labels for a few examples,
how accurate each one is. :func:`summarize_sources` gives one row per source with the same
columns and numbers as Snorkel's ``LFAnalysis(L).lf_summary(Y)``;
:func:`summarize_matrix` condenses the whole matrix to a handful of numbers;
:func:`overlap_matrix` and :func:`conflict_matrix` show which *pairs* of sources overlap
or conflict.

Every function reads the matrix in blocks of rows with vectorised NumPy, so summarising a
million rows by a hundred sources takes seconds and little memory beyond the matrix itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from weaklabel.analysis._errors import Errors
from weaklabel.errors import Errors as BaseErrors
from weaklabel.errors import LabelMatrixError, LabelSpaceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.matrix import LabelMatrix, as_label_array
from weaklabel.stats import agreement_counts, vote_counts

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = [
    "conflict_matrix",
    "overlap_matrix",
    "summarize_matrix",
    "summarize_sources",
]

LabelMatrixLike: TypeAlias = "LabelMatrix | np.ndarray | pd.DataFrame | sp.spmatrix | sp.sparray"
"""Anything :func:`weaklabel.matrix.as_label_array` accepts."""

GoldLike: TypeAlias = "np.ndarray | pd.Series | Sequence[int] | Sequence[str | None]"
"""Gold labels: class ids (``-1`` = unknown) or, when label names are known, class names."""

_CHUNK_ROWS = 1 << 16
"""Rows per block. Counts within a block stay below 2**24, so float32 matmuls are exact."""

_Z95 = NormalDist().inv_cdf(0.975)
"""Normal quantile of a two-sided 95% interval (1.95996...)."""


# ---------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class _Matrix:
    """A label-matrix input resolved once: votes (dense, or CSR storing ``label + 1``)."""

    values: Any
    source_names: tuple[str, ...]
    label_names: tuple[str, ...] | None
    n_examples: int
    n_sources: int
    max_label: int

    def chunks(self) -> Iterator[tuple[slice, np.ndarray]]:
        """Yield ``(rows, votes)`` blocks, ``votes`` a dense ndarray of shape (rows, m)."""
        for start in range(0, self.n_examples, _CHUNK_ROWS):
            rows = slice(start, min(start + _CHUNK_ROWS, self.n_examples))
            block = self.values[rows]
            yield rows, (as_label_array(block) if self._sparse else block)

    @property
    def _sparse(self) -> bool:
        return not isinstance(self.values, np.ndarray)


def _resolve(L: Any, label_names: Sequence[str] | None = None) -> _Matrix:
    """Read votes, source names and label names from any supported input."""
    stored: tuple[str, ...] | None = None
    if isinstance(L, LabelMatrix):
        names, stored = L.source_names, L.label_names
    elif isinstance(L, pd.DataFrame):
        names = tuple(str(c) for c in L.columns)
        if label_names is not None and not all(map(pd.api.types.is_numeric_dtype, L.dtypes)):
            L = LabelMatrix.from_dataframe(L, label_names=label_names)
            stored = L.label_names
    else:
        names = ()
    given = None if label_names is None else LabelSpace.from_any(label_names).names
    if given is not None and stored is not None and given != stored:
        raise LabelSpaceError(Errors.E310.format(given=list(given), stored=list(stored)))
    labels = given if given is not None else stored

    if hasattr(L, "tocsr") and hasattr(L, "toarray"):
        # Sparse input is densified one block of rows at a time, never as a whole.
        values: Any = L.tocsr()
        n, m = (int(s) for s in values.shape)
        names = names or tuple(f"source_{j}" for j in range(m))
        data = np.asarray(values.data)
        if data.size and data.min() < 0:  # stored label + 1 < 0: a label below -1
            column = names[int(values.indices[np.argmax(data < 0)])]
            raise LabelMatrixError(BaseErrors.E022.format(value=int(data.min()) - 1, column=column))
        max_label = int(data.max()) - 1 if data.size else ABSTAIN
    else:
        values = as_label_array(L)
        n, m = (int(s) for s in values.shape)
        max_label = int(values.max()) if values.size else ABSTAIN
    names = names or tuple(f"source_{j}" for j in range(m))
    if len(set(names)) != len(names):
        dupes = sorted({name for name in names if names.count(name) > 1})
        raise LabelMatrixError(BaseErrors.E011.format(what="Source names", dupes=dupes))

    if labels is not None and max_label >= len(labels):
        dense = values if isinstance(values, np.ndarray) else as_label_array(values)
        offender = int(np.argmax(dense.max(axis=0) >= len(labels)))
        raise LabelSpaceError(
            Errors.E311.format(
                column=names[offender],
                value=int(dense[:, offender].max()),
                k=len(labels),
                names=list(labels),
            )
        )
    return _Matrix(values, names, labels, n, m, max_label)


def _resolve_gold(y: Any, n: int, labels: tuple[str, ...] | None) -> np.ndarray:
    """Return gold labels as an int64 ndarray of shape (n,), ``-1`` where unknown."""
    raw = y.to_numpy() if isinstance(y, pd.Series | pd.Index) else np.asarray(y)
    if raw.ndim == 2 and raw.shape[1] == 1:  # Snorkel accepts a column vector too.
        raw = raw[:, 0]
    if raw.ndim != 1:
        raise LabelMatrixError(Errors.E301.format(shape=raw.shape))
    if raw.shape[0] != n:
        raise LabelMatrixError(Errors.E300.format(n_y=raw.shape[0], n=n))
    if raw.dtype.kind in "OUST":
        present = np.asarray(pd.notna(raw))
        if labels is None:
            example = raw[present][0] if present.any() else None
            raise LabelSpaceError(Errors.E303.format(example=example))
        codes = (
            pd.Index(list(labels)).get_indexer(pd.Index(raw, dtype=object)).astype(np.int64)
        )  # -1: no match
        unknown = np.flatnonzero((codes == ABSTAIN) & present)
        if unknown.size:
            LabelSpace(labels).to_id(str(raw[unknown[0]]))  # raises E013, naming the label
        return codes
    if raw.dtype == bool or raw.dtype.kind not in "iuf":
        raise LabelMatrixError(Errors.E305.format(dtype=raw.dtype))
    if raw.dtype.kind == "f" and raw.size and not np.all(np.mod(raw, 1) == 0):
        row = int(np.flatnonzero(np.mod(raw, 1) != 0)[0])
        raise LabelSpaceError(Errors.E302.format(value=raw[row], row=row))
    gold = raw.astype(np.int64)
    if gold.size and gold.min() < ABSTAIN:
        row = int(np.argmax(gold < ABSTAIN))
        raise LabelSpaceError(Errors.E302.format(value=int(gold[row]), row=row))
    if labels is not None and gold.size and gold.max() >= len(labels):
        row = int(np.argmax(gold >= len(labels)))
        raise LabelSpaceError(
            Errors.E304.format(value=int(gold[row]), row=row, k=len(labels), names=list(labels))
        )
    return gold


# ---------------------------------------------------------------------------- counting
@dataclass
class _Counts:
    """Sufficient statistics of a label matrix; blocks of rows add up."""

    n_examples: int
    label_counts: np.ndarray  # (m, max_label + 2): column c counts votes for c - 1
    overlapped: np.ndarray  # (m,) rows where the source votes and another one does
    conflicted: np.ndarray  # (m,) rows where the source votes and another votes otherwise
    rows_covered: int = 0
    rows_overlapped: int = 0
    rows_conflicted: int = 0
    correct: np.ndarray | None = None  # (m,) votes equal to a known gold label
    judged: np.ndarray | None = None  # (m,) votes on rows with a known gold label

    @property
    def votes(self) -> np.ndarray:
        """Number of non-abstain votes per source, shape (m,)."""
        return np.asarray(self.n_examples - self.label_counts[:, 0], dtype=np.int64)


def _count(matrix: _Matrix, gold: np.ndarray | None = None) -> _Counts:
    m, width = matrix.n_sources, matrix.max_label + 2
    counts = _Counts(
        n_examples=matrix.n_examples,
        label_counts=np.zeros((m, width), dtype=np.int64),
        overlapped=np.zeros(m, dtype=np.int64),
        conflicted=np.zeros(m, dtype=np.int64),
    )
    if gold is not None:
        counts.correct = np.zeros(m, dtype=np.int64)
        counts.judged = np.zeros(m, dtype=np.int64)
    if m == 0:  # no sources: no votes, nothing covered
        return counts
    for rows, block in matrix.chunks():
        voted = block != ABSTAIN
        n_votes = np.count_nonzero(voted, axis=1)
        overlapped = n_votes > 1
        # A row conflicts when its smallest and largest non-abstain votes differ.
        sentinel = np.iinfo(block.dtype).max
        low = np.where(voted, block, sentinel).min(axis=1)
        conflicted = overlapped & (low != block.max(axis=1))

        per_class = vote_counts(block, width - 1)  # (m, k + 1): abstains last
        counts.label_counts[:, 0] += per_class[:, -1]
        counts.label_counts[:, 1:] += per_class[:, :-1]
        counts.overlapped += np.count_nonzero(voted & overlapped[:, None], axis=0)
        counts.conflicted += np.count_nonzero(voted & conflicted[:, None], axis=0)
        counts.rows_covered += int(np.count_nonzero(n_votes))
        counts.rows_overlapped += int(np.count_nonzero(overlapped))
        counts.rows_conflicted += int(np.count_nonzero(conflicted))

        if gold is not None and counts.correct is not None and counts.judged is not None:
            y = gold[rows]
            known = y != ABSTAIN
            # -2 matches no vote, so rows without gold add nothing to ``correct``.
            target = np.where(known, y, -2)[:, None]
            counts.correct += np.count_nonzero(block == target, axis=0)
            counts.judged += np.count_nonzero(voted & known[:, None], axis=0)
    return counts


def _fraction(count: Any, total: int) -> Any:
    """``count / total``, NaN when ``total`` is 0 (no rows: no fraction)."""
    if total == 0:
        return np.full(np.shape(count), np.nan) if np.ndim(count) else float("nan")
    return np.asarray(count, dtype=np.float64) / total if np.ndim(count) else count / total


def _wilson(successes: np.ndarray, trials: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval of a binomial proportion, NaN where ``trials`` is 0."""
    n = trials.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = successes / n
        z2 = _Z95**2
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = _Z95 / (1 + z2 / n) * np.sqrt(p * (1 - p) / n + z2 / (4 * n**2))
        # The interval holds p exactly; min/max only remove rounding at p = 0 or 1.
        low = np.clip(np.fmin(centre - half, p), 0.0, 1.0)
        high = np.clip(np.fmax(centre + half, p), 0.0, 1.0)
    low[trials == 0] = np.nan
    high[trials == 0] = np.nan
    return low, high


# ---------------------------------------------------------------------------- public API
def summarize_sources(
    L: LabelMatrixLike,
    y: GoldLike | None = None,
    *,
    label_names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row of statistics per source, as Snorkel's ``LFAnalysis(L).lf_summary(y)``.

    Parameters
    ----------
    L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame or scipy.sparse
        The votes, ``-1`` = abstain (a sparse matrix stores ``label + 1``). Source names
        come from a ``LabelMatrix`` or the DataFrame's columns, else ``source_0``, ...
    y : array-like of shape (n_examples,), optional
        Gold labels, as class ids with ``-1`` where unknown, or as class names (``None``
        where unknown) when label names are known. Rows with unknown gold are left out of
        ``correct``, ``incorrect`` and ``emp_acc``. A column vector (n_examples, 1) is
        accepted, as in Snorkel.
    label_names : sequence of str, optional
        Class names in id order, to show ``polarity`` as names. Taken from ``L`` when it
        is a ``LabelMatrix`` with label names.

    Returns
    -------
    DataFrame of shape (n_sources, 5) or (n_sources, 10)
        Indexed by source name (index name ``"source"``), with columns

        - ``j`` (int): the column of the source in ``L``;
        - ``polarity`` (list): the sorted distinct labels the source emits, as names when
          label names are known;
        - ``coverage``: fraction of rows on which the source votes;
        - ``overlaps``: fraction of rows on which it votes and at least one other source
          votes;
        - ``conflicts``: fraction of rows on which it votes and another source votes a
          different label;

        and, when ``y`` is given,

        - ``correct``, ``incorrect`` (int): votes equal / not equal to the known gold label;
        - ``emp_acc``: ``correct / (correct + incorrect)``, NaN when the source never votes
          on a row with known gold;
        - ``emp_acc_low``, ``emp_acc_high``: the 95% Wilson score interval of ``emp_acc``.

        Fractions are NaN when ``L`` has no rows.

    Raises
    ------
    LabelMatrixError
        If ``L`` is not a valid label matrix, or ``y`` has the wrong shape or length.
    LabelSpaceError
        If a vote or gold label is outside the given label names.

    Notes
    -----
    ``coverage``, ``overlaps``, ``conflicts``, ``correct`` and ``incorrect`` equal
    Snorkel's. ``emp_acc`` equals Snorkel's when every gold label is known; where they
    differ, Snorkel counts a vote on a row with gold ``-1`` as wrong and reports 0 for a
    source without votes, while here such rows are ignored and the accuracy is NaN.

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[-1, 0, 0], [-1, -1, -1], [1, 0, -1], [-1, 0, -1], [0, 0, 0]])
    >>> table = summarize_sources(L, [0, 1, 1, -1, 0], label_names=["ham", "spam"])
    >>> table["polarity"].tolist()
    [['ham', 'spam'], ['ham'], ['ham']]
    >>> table.loc["source_1", ["coverage", "overlaps", "conflicts"]].tolist()
    [0.8, 0.6, 0.2]
    >>> table.loc["source_1", ["correct", "incorrect"]].tolist()
    [2, 1]
    """
    matrix = _resolve(L, label_names)
    gold = None if y is None else _resolve_gold(y, matrix.n_examples, matrix.label_names)
    counts = _count(matrix, gold)
    n = matrix.n_examples

    emitted = counts.label_counts[:, 1:] > 0
    lookup: Sequence[Any] = (
        matrix.label_names if matrix.label_names is not None else range(emitted.shape[1])
    )
    polarity = np.empty(matrix.n_sources, dtype=object)
    for j, row in enumerate(emitted):
        polarity[j] = [lookup[int(c)] for c in np.flatnonzero(row)]

    columns: dict[str, Any] = {
        "j": np.arange(matrix.n_sources, dtype=np.int64),
        "polarity": polarity,
        "coverage": _fraction(counts.votes, n),
        "overlaps": _fraction(counts.overlapped, n),
        "conflicts": _fraction(counts.conflicted, n),
    }
    if counts.correct is not None and counts.judged is not None:
        low, high = _wilson(counts.correct, counts.judged)
        with np.errstate(divide="ignore", invalid="ignore"):
            accuracy = counts.correct / counts.judged.astype(np.float64)
        columns |= {
            "correct": counts.correct,
            "incorrect": counts.judged - counts.correct,
            "emp_acc": accuracy,
            "emp_acc_low": low,
            "emp_acc_high": high,
        }
    index = pd.Index(list(matrix.source_names), name="source")
    return pd.DataFrame(columns, index=index)


def summarize_matrix(L: LabelMatrixLike) -> pd.Series:
    """A few numbers that describe the whole label matrix.

    Parameters
    ----------
    L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame or scipy.sparse
        The votes, ``-1`` = abstain.

    Returns
    -------
    Series of length 7 (dtype object)
        - ``n_examples``, ``n_sources`` (int): the shape of ``L``;
        - ``coverage``: fraction of rows with at least one vote (Snorkel's
          ``label_coverage``);
        - ``overlap``: fraction of rows with at least two votes (``label_overlap``);
        - ``conflict``: fraction of rows with two different votes (``label_conflict``);
        - ``mean_votes_per_row``: average number of non-abstain votes in a row;
        - ``abstain_rate``: fraction of rows on which every source abstains
          (``1 - coverage``): the examples a label model cannot label.

        Fractions are NaN when ``L`` has no rows.

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[-1, 0, 0], [-1, -1, -1], [1, 0, -1], [-1, 0, -1], [0, 0, 0]])
    >>> summarize_matrix(L)[["coverage", "overlap", "conflict", "abstain_rate"]].tolist()
    [0.8, 0.6, 0.2, 0.2]
    """
    matrix = _resolve(L)
    counts = _count(matrix)
    n = matrix.n_examples
    return pd.Series(
        {
            "n_examples": n,
            "n_sources": matrix.n_sources,
            "coverage": _fraction(counts.rows_covered, n),
            "overlap": _fraction(counts.rows_overlapped, n),
            "conflict": _fraction(counts.rows_conflicted, n),
            "mean_votes_per_row": _fraction(int(counts.votes.sum()), n),
            "abstain_rate": _fraction(n - counts.rows_covered, n),
        },
        dtype=object,
    )


def _pair_fractions(L: LabelMatrixLike, *, disagree: bool) -> pd.DataFrame:
    """Fraction of rows on which both sources vote (and differ, with ``disagree``).

    Counted by :func:`weaklabel.stats.agreement_counts`, as the label models count them.
    """
    matrix = _resolve(L)
    m = matrix.n_sources
    counts = np.zeros((2, m, m), dtype=np.int64)
    for _, block in matrix.chunks():
        counts += agreement_counts(block, max(matrix.max_label + 1, 2))
    names = pd.Index(list(matrix.source_names), name="source")
    pairs = counts[0] - counts[1] if disagree else counts[0]
    return pd.DataFrame(_fraction(pairs, matrix.n_examples), index=names, columns=names)


def overlap_matrix(L: LabelMatrixLike) -> pd.DataFrame:
    """Fraction of rows on which each pair of sources both vote.

    Parameters
    ----------
    L : label matrix of shape (n_examples, n_sources)
        The votes (``-1`` = abstain), in any form :func:`summarize_sources` reads.

    Returns
    -------
    DataFrame of shape (n_sources, n_sources)
        Symmetric, source names on both axes. The diagonal holds each source's coverage.
        All NaN when ``L`` has no rows.

    Examples
    --------
    >>> import numpy as np
    >>> overlap_matrix(np.array([[0, 0], [1, -1], [-1, 1]])).to_numpy().round(2).tolist()
    [[0.67, 0.33], [0.33, 0.67]]
    """
    return _pair_fractions(L, disagree=False)


def conflict_matrix(L: LabelMatrixLike) -> pd.DataFrame:
    """Fraction of rows on which each pair of sources both vote and disagree.

    Parameters
    ----------
    L : label matrix
        As in :func:`overlap_matrix`: the votes, of shape (n_examples, n_sources).

    Returns
    -------
    DataFrame of shape (n_sources, n_sources)
        Laid out as :func:`overlap_matrix`'s, with zero on the diagonal.

    Examples
    --------
    >>> import numpy as np
    >>> conflict_matrix(np.array([[0, 1], [1, 1], [0, -1]])).to_numpy().round(2).tolist()
    [[0.0, 0.33], [0.33, 0.0]]
    """
    return _pair_fractions(L, disagree=True)
