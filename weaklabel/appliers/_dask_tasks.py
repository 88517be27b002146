"""The tasks the Dask applier runs on the workers, one call per partition.

Internal to :mod:`weaklabel.appliers.dask`, which builds the graphs that call them. Each
task is a plain function of one partition's :class:`~weaklabel.matrix.LabelMatrix` (and of
what the client shipped once: the sources, the model), so that Dask can pickle it by
reference: label the partition, summarise it as :class:`~weaklabel.stats.LabelStats`,
merge summaries, or turn its votes into probabilities and hard labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.appliers.frame import label_frame
from weaklabel.labels import LabelSpace
from weaklabel.matrix import LabelMatrix
from weaklabel.sources.base import Source
from weaklabel.stats import LabelStats
from weaklabel.ties import probs_to_preds

if TYPE_CHECKING:
    import pandas as pd

    from weaklabel.models.base import BaseLabelModel

__all__ = ["Part", "Plan", "global_preds", "label_partition", "merge_parts", "summarize"]


@dataclass(frozen=True, eq=False)
class Plan:
    """Everything a worker needs to label a partition; shipped once per worker."""

    sources: tuple[Source, ...]
    text_column: str
    label_space: LabelSpace | None
    fault_tolerant: bool


def label_partition(frame: pd.DataFrame, plan: Plan) -> LabelMatrix:
    """Votes of one partition, shape (n_rows_in_partition, n_sources).

    Faults are only counted here (``fault_counts``): they are summed over partitions and
    reported once, on the client.
    """
    return label_frame(
        list(plan.sources),
        frame,
        text_column=plan.text_column,
        label_names=plan.label_space,
        fault_tolerant=plan.fault_tolerant,
        progress=False,
    )


@dataclass(frozen=True)
class Part:
    """Statistics and fault counts of one or several partitions."""

    stats: LabelStats
    faults: dict[str, int] = field(default_factory=dict)


def summarize(L: LabelMatrix) -> Part:
    """The statistics and fault counts of one partition."""
    return Part(LabelStats.from_matrix(L), dict(L.fault_counts))


def merge_parts(*parts: Part) -> Part:
    """The statistics and fault counts of several partitions together."""
    faults: dict[str, int] = {}
    for part in parts:
        for name, count in part.faults.items():
            faults[name] = faults.get(name, 0) + int(count)
    return Part(LabelStats.merge(p.stats for p in parts), faults)


def length(L: LabelMatrix) -> int:
    """Rows of one partition."""
    return L.n_examples


def as_values(L: LabelMatrix, dtype: np.dtype[Any]) -> np.ndarray:
    """The votes of one partition as an ndarray of ``dtype``."""
    return L.values.astype(dtype, copy=False)


def as_frame(L: LabelMatrix, frame: pd.DataFrame, dtype: np.dtype[Any]) -> pd.DataFrame:
    """The votes of one partition as a DataFrame with the partition's index."""
    return L.to_dataframe(index=frame.index).astype(dtype)


def proba(L: LabelMatrix, model: BaseLabelModel) -> np.ndarray:
    """Class probabilities of one partition, shape (n_rows_in_partition, k)."""
    return model.predict_proba(L)


def preds(
    L: LabelMatrix, model: BaseLabelModel, policy: str, offset: int, partition: int
) -> np.ndarray:
    """Hard labels of one partition whose first row is row ``offset`` of the whole."""
    return global_preds(model.predict_proba(L), policy, int(model.seed), offset, partition)


def global_preds(
    proba: np.ndarray, tie_break: str, seed: int, offset: int, partition: int = 0
) -> np.ndarray:
    """Hard labels for the rows ``offset .. offset + n - 1`` of a larger matrix.

    Equal to ``probs_to_preds(full_proba, tie_break=tie_break, seed=seed)[offset:offset+n]``
    for ``"index"`` and ``"abstain"`` (see :func:`weaklabel.ties.probs_to_preds`);
    ``"random"`` draws from a generator seeded with ``(seed, partition)``.

    Parameters
    ----------
    proba : ndarray of shape (n_examples, n_classes)
    tie_break : {"index", "random", "abstain"}
    seed : int
    offset : int
        Global position of the first row.
    partition : int, default 0
        Partition number (seeds ``"random"``).

    Returns
    -------
    ndarray of shape (n_examples,), dtype int64
    """
    if tie_break == "random":
        seed = int(np.random.SeedSequence([seed, partition]).generate_state(1)[0])
    return probs_to_preds(proba, tie_break=tie_break, seed=seed, offset=offset)
