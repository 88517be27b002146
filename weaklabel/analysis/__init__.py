"""Analysis of labeling sources: statistics and plots of a label matrix.

Use it between applying sources and fitting a label model: :func:`summarize_sources` tells,
per source, how often it votes, overlaps and conflicts with the others and (given a few
gold labels) how accurate it is; :func:`summarize_matrix` sums the matrix up in a few
numbers; the ``plot_*`` functions draw the same on a matplotlib Axes (``pip install
"weaklabel[plot]"``; matplotlib is imported only when a plot is drawn).
"""

from __future__ import annotations

from weaklabel.analysis.plots import (
    plot_accuracy_vs_coverage,
    plot_conflicts,
    plot_coverage,
)
from weaklabel.analysis.summary import (
    conflict_matrix,
    overlap_matrix,
    summarize_matrix,
    summarize_sources,
)

__all__ = [
    "conflict_matrix",
    "overlap_matrix",
    "plot_accuracy_vs_coverage",
    "plot_conflicts",
    "plot_coverage",
    "summarize_matrix",
    "summarize_sources",
]
