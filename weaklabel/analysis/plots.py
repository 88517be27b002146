"""Plots of a label matrix: coverage per source, pairwise conflicts, accuracy vs coverage.

Use these to *see* what :mod:`weaklabel.analysis.summary` computes, e.g. in a notebook
while writing sources: which sources barely fire, which pairs fight, which sources are both
frequent and accurate. Every function draws on the Axes you pass as ``ax=`` (or on a new
figure sized for the number of sources), returns the Axes and never calls ``plt.show()``.
Tick labels shrink, and then thin out, so that 70+ source names stay legible.

matplotlib is an optional dependency (``pip install "weaklabel[plot]"``), imported only
when a plot is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from weaklabel.analysis._errors import Errors
from weaklabel.analysis.summary import (
    GoldLike,
    LabelMatrixLike,
    conflict_matrix,
    summarize_matrix,
    summarize_sources,
)
from weaklabel.errors import LabelMatrixError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

__all__ = ["plot_accuracy_vs_coverage", "plot_conflicts", "plot_coverage"]

_MAX_FONT = 9.0
_MIN_FONT = 5.0
_LOG_SPAN = 30.0
"""Accuracy plots use a log coverage axis when coverage spans more than this factor."""


def _new_axes(size: tuple[float, float]) -> Axes:
    """Create a figure of ``size`` inches with one Axes; import matplotlib lazily."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - exercised with matplotlib hidden
        raise ImportError(
            Errors.E070.format(what="Plotting", packages="matplotlib", verb="is", extra="plot")
        ) from exc
    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax`` if given (checking matplotlib is importable), else a new Axes."""
    if ax is None:
        return _new_axes(size)
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:  # pragma: no cover
        raise ImportError(
            Errors.E070.format(what="Plotting", packages="matplotlib", verb="is", extra="plot")
        ) from exc
    return ax


def _figure(ax: Axes) -> Figure | SubFigure:
    figure = ax.get_figure()
    assert figure is not None  # an Axes being drawn on always belongs to a figure
    return figure


def _axis_length_points(ax: Axes, axis: str) -> float:
    """Length of the x or y axis of ``ax`` in typographic points."""
    box = ax.get_window_extent()  # display pixels, known before the first draw
    pixels = box.width if axis == "x" else box.height
    return float(pixels * 72 / _figure(ax).dpi)


def _name_ticks(ax: Axes, axis: str, names: Sequence[str], *, rotate: bool = False) -> None:
    """Put ``names`` at ticks ``0 .. len-1`` of ``axis``, shrinking then thinning them."""
    n = len(names)
    room = _axis_length_points(ax, axis) / max(n, 1)  # points per tick
    size = min(_MAX_FONT, 0.8 * room)
    step = 1
    if size < _MIN_FONT:
        size, step = _MIN_FONT, math.ceil(_MIN_FONT / (0.8 * room))
    positions = np.arange(0, n, step)
    labels = [names[int(i)] for i in positions]
    if axis == "x":
        ax.set_xticks(positions, labels, fontsize=size, rotation=90 if rotate else 0)
    else:
        ax.set_yticks(positions, labels, fontsize=size)


def _no_sources(what: str) -> LabelMatrixError:
    return LabelMatrixError(
        Errors.E351.format(what=what, fix="Pass a label matrix with at least one source.")
    )


def plot_coverage(L: LabelMatrixLike, *, ax: Axes | None = None, sort: bool = True) -> Axes:
    """Horizontal bar chart of the coverage of each source.

    Parameters
    ----------
    L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame or scipy.sparse
        The votes, ``-1`` = abstain.
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure, sized for the number of sources.
    sort : bool, default True
        Order bars by coverage, highest at the top; otherwise in column order, the first
        source at the top.

    Returns
    -------
    matplotlib Axes
        One bar per source (``ax.patches``), its width the fraction of examples the source
        votes on; the title gives the coverage of all sources together.
    """
    summary = summarize_sources(L)
    m = len(summary)
    if m == 0:
        raise _no_sources("the label matrix has no sources")
    coverage = summary["coverage"].to_numpy(dtype=np.float64)
    names = [str(name) for name in summary.index]
    order = np.argsort(-coverage, kind="stable") if sort else np.arange(m)

    ax = _axes(ax, (7.0, float(np.clip(0.2 * m + 1.5, 3.0, 18.0))))
    bars = ax.barh(np.arange(m), coverage[order], height=0.75, color="tab:blue")
    ax.set_ylim(m - 0.5, -0.5)  # first bar at the top
    _name_ticks(ax, "y", [names[i] for i in order])
    if m <= 40:
        ax.bar_label(bars, fmt="{:.1%}", padding=2, fontsize=min(_MAX_FONT, 7.0))
    top = float(np.nanmax(coverage)) if np.isfinite(coverage).any() else 0.0
    ax.set_xlim(0.0, top * 1.15 if top > 0 else 1.0)
    ax.xaxis.set_major_formatter(_percent())
    ax.set_xlabel("Coverage (fraction of examples the source votes on)")
    ax.set_ylabel("Source")
    total = summarize_matrix(L)
    ax.set_title(
        f"Coverage of {m} sources (any source: {total['coverage']:.1%} "
        f"of {total['n_examples']:,} examples)",
        fontsize=10,
    )
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def plot_conflicts(L: LabelMatrixLike, *, ax: Axes | None = None) -> Axes:
    """Heatmap of the fraction of examples on which two sources vote differently.

    Parameters
    ----------
    L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame or scipy.sparse
        The votes, ``-1`` = abstain.
    ax : matplotlib Axes, optional
        Where to draw. By default a new square figure, sized for the number of sources.

    Returns
    -------
    matplotlib Axes
        An image of shape (n_sources, n_sources) (``ax.images[0]``) holding
        :func:`~weaklabel.analysis.conflict_matrix` with a blank diagonal, source names on
        both axes, and a colorbar.
    """
    conflicts = conflict_matrix(L)
    m = len(conflicts)
    if m == 0:
        raise _no_sources("the label matrix has no sources")
    names = [str(name) for name in conflicts.index]
    shown = conflicts.to_numpy(dtype=np.float64, copy=True)
    np.fill_diagonal(shown, np.nan)  # a source never conflicts with itself

    side = float(np.clip(0.14 * m + 3.0, 5.0, 16.0))
    ax = _axes(ax, (side + 1.2, side))
    import matplotlib as mpl

    cmap = mpl.colormaps["magma_r"].with_extremes(bad="0.85")
    finite = shown[np.isfinite(shown)]
    top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    image = ax.imshow(shown, cmap=cmap, vmin=0.0, vmax=top, interpolation="nearest")
    colorbar = _figure(ax).colorbar(image, ax=ax, shrink=0.8, format=_percent())
    colorbar.set_label("Examples where both vote and disagree")
    _name_ticks(ax, "x", names, rotate=True)
    _name_ticks(ax, "y", names)
    ax.set_title(f"Pairwise conflicts between {m} sources", fontsize=10)
    _annotate_cells(ax, shown, top)
    ax.set_xlabel("Source")
    ax.set_ylabel("Source")
    return ax


def _annotate_cells(ax: Axes, shown: np.ndarray, top: float) -> None:
    """Write each non-zero conflict rate in its cell, in a font sized to fit the cell.

    The font follows the cell size of the settled layout; cells too small for a legible
    font (under 5 pt) get no numbers (the colour bar reads them).
    """
    from weaklabel.analysis._placement import settle

    settle(ax)
    box = ax.get_window_extent()
    m = len(shown)
    figure = _figure(ax)
    cell = min(box.width, box.height) / m * 72 / figure.dpi  # points per cell
    texts = {(i, j): _rate(v) for (i, j), v in np.ndenumerate(shown) if np.isfinite(v) and v > 0}
    if not texts:
        return
    longest = max(len(t) for t in texts.values())
    size = min(_MAX_FONT - 1, 0.85 * cell / (0.62 * longest), 0.6 * cell)
    if size < _MIN_FONT:
        return
    for (i, j), text in texts.items():
        color = "white" if shown[i, j] > 0.6 * top else "black"
        label = ax.text(j, i, text, ha="center", va="center", fontsize=size, color=color)
        label.set_in_layout(False)


def _rate(value: float) -> str:
    """A conflict rate as a short percentage: ``12%``, ``1.5%``, ``<0.1%``."""
    if value < 0.001:
        return "<0.1%"
    return f"{value:.0%}" if value >= 0.1 else f"{value:.1%}"


def plot_accuracy_vs_coverage(L: LabelMatrixLike, y: GoldLike, *, ax: Axes | None = None) -> Axes:
    """Scatter of each source's accuracy on gold labels against its coverage.

    Parameters
    ----------
    L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame or scipy.sparse
        The votes, ``-1`` = abstain.
    y : array-like of shape (n_examples,)
        Gold labels, ``-1`` where unknown (see :func:`summarize_sources`).
    ax : matplotlib Axes, optional
        Where to draw. By default a new figure.

    Returns
    -------
    matplotlib Axes
        One point per source that votes on at least one example with known gold, labelled
        with its name, with the 95% Wilson interval of its accuracy as a vertical error bar
        and coloured by its polarity (one ``ax.containers`` entry per polarity). Sources
        that never vote on a gold-labelled example are left out, and counted in a note.
    """
    summary = summarize_sources(L, y)
    m = len(summary)
    if m == 0:
        raise _no_sources("the label matrix has no sources")
    judged = summary[np.isfinite(summary["emp_acc"].to_numpy(dtype=np.float64))]

    ax = _axes(ax, (8.0, 6.0) if m <= 20 else (10.0, 7.5))
    polarity = judged["polarity"].map(lambda p: ", ".join(str(v) for v in p))
    for group in sorted(set(polarity)):
        rows = judged[polarity == group]
        accuracy = rows["emp_acc"].to_numpy(dtype=np.float64)
        error = np.vstack(
            [
                accuracy - rows["emp_acc_low"].to_numpy(dtype=np.float64),
                rows["emp_acc_high"].to_numpy(dtype=np.float64) - accuracy,
            ]
        )
        ax.errorbar(
            rows["coverage"].to_numpy(dtype=np.float64),
            accuracy,
            yerr=error,
            fmt="o",
            markersize=4,
            capsize=2,
            elinewidth=0.8,
            alpha=0.85,
            label=group,
        )
    if len(judged):
        ax.legend(title="polarity", fontsize=8, title_fontsize=8, loc="best")
    left_out = m - len(judged)
    note = None
    if left_out:
        note = ax.text(
            0.01,
            0.01,
            f"{left_out} of {m} sources never vote on a gold-labelled example: not shown",
            transform=ax.transAxes,
            fontsize=7,
            color="0.35",
        )
    ax.set_ylim(-0.02, 1.08)  # headroom for the labels of perfect sources
    ax.margins(x=0.08)  # room for the labels of the leftmost and rightmost points
    coverage = judged["coverage"].to_numpy(dtype=np.float64)
    log_x = bool(len(coverage)) and coverage.max() > _LOG_SPAN * coverage.min()
    if log_x:  # coverage spanning decades: a linear axis piles the rare sources up at 0
        from matplotlib.ticker import NullFormatter

        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())
    else:
        ax.set_xlim(left=0.0)
    ax.xaxis.set_major_formatter(_percent())
    scale = " (log scale)" if log_x else ""
    ax.set_xlabel(f"Coverage (fraction of examples the source votes on){scale}")
    ax.set_ylabel("Accuracy on gold labels (95% Wilson interval)")
    ax.set_title(f"Accuracy vs coverage of {len(judged)} sources", fontsize=10)
    ax.grid(alpha=0.3)
    _label_spots(ax, _coincident(judged), note)
    return ax


_NAME_LIMIT = 25
"""Up to this many points are labelled with source names; more get numbers and a key."""


def _label_spots(ax: Axes, spots: dict[tuple[float, float], list[str]], note: Any | None) -> None:
    """Label each spot with its source names where nothing overlaps, else number them all.

    Names go beside their points when every one finds a free place; otherwise every spot
    gets a number at its point and the names are listed in a key beside the axes.
    """
    from weaklabel.analysis._placement import place_labels, settle

    if not spots:
        return
    xy = list(spots)
    names = [", ".join(n) if len(n) <= 2 else f"{n[0]} +{len(n) - 1}" for n in spots.values()]

    def obstacles() -> list[Any]:
        boxes = [] if note is None else [note.get_window_extent()]
        legend = ax.get_legend()
        return boxes if legend is None else [*boxes, legend.get_window_extent()]

    if len(xy) <= _NAME_LIMIT:
        settle(ax)
        before = len(ax.texts)
        if not place_labels(ax, xy, names, fontsize=_MAX_FONT - 1, obstacles=obstacles()):
            return
        for text in ax.texts[before:]:  # some names found no room: number them all instead
            text.remove()
    _key(ax, names)
    settle(ax)
    numbers = [str(i + 1) for i in range(len(xy))]
    left = place_labels(ax, xy, numbers, fontsize=_MIN_FONT + 1.5, obstacles=obstacles())
    if left:
        ax.set_title(f"{ax.get_title()} ({len(left)} too crowded to number)", fontsize=10)


def _key(ax: Axes, names: Sequence[str], rows: int = 45) -> None:
    """List ``1 name``, ``2 name`` ... beside the right edge of ``ax``, in columns of ``rows``."""
    lines = [f"{i + 1:>2}  {name}" for i, name in enumerate(names)]
    previous: Any = None
    for start in range(0, len(lines), rows):
        block = "\n".join(lines[start : start + rows])
        if previous is None:
            previous = ax.text(
                1.02,
                1.0,
                block,
                transform=ax.transAxes,
                va="top",
                ha="left",
                fontsize=7,
                family="monospace",
            )
        else:
            previous = ax.annotate(
                block,
                (1.0, 1.0),
                xycoords=previous,
                xytext=(8, 0),
                textcoords="offset points",
                va="top",
                ha="left",
                fontsize=7,
                family="monospace",
            )


def _coincident(summary: pd.DataFrame) -> dict[tuple[float, float], list[str]]:
    """Source names grouped by identical (coverage, emp_acc), to label each spot once."""
    spots: dict[tuple[float, float], list[str]] = {}
    for name, coverage, accuracy in zip(
        summary.index, summary["coverage"], summary["emp_acc"], strict=True
    ):
        spots.setdefault((float(coverage), float(accuracy)), []).append(str(name))
    return spots


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=None)
