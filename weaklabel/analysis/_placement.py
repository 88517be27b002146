"""Point labels that never overlap: a greedy search around each point, and a key for the rest.

Used by :func:`weaklabel.analysis.plots.plot_accuracy_vs_coverage`. Each label is tried at
positions around its point (right, left, above, below, then the same farther out with a thin
leader line), in display pixels of the settled layout; the first position that stays inside
the axes and clear of every point, every placed label and the given obstacles (the legend, a
note) wins. A label with no free position is replaced by a number at its point (placed the
same way) and listed in a key beside the axes. Deterministic, and checked by construction
rather than by an iterative repulsion that may stop with overlaps left.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

_GAP_POINTS = 4.0
"""Distance from a point to the nearest corner of its label, in typographic points."""
_RINGS = (1.0, 2.5, 4.5, 7.0)
"""Distances tried, as multiples of the gap; beyond the first, a leader line is drawn."""
_MARKER_POINTS = 2.5
"""Half the side of the box kept clear around each point, in points."""
_PAD_PIXELS = 1.0


def settle(ax: Axes) -> None:
    """Run the figure's layout once so that window extents are final."""
    figure = ax.get_figure(root=True)
    assert figure is not None
    figure.draw_without_rendering()


def place_labels(
    ax: Axes,
    xy: Sequence[tuple[float, float]],
    labels: Sequence[str],
    *,
    fontsize: float,
    obstacles: Sequence[Bbox] = (),
) -> list[int]:
    """Annotate each point with its label where it overlaps nothing; return the ones left.

    Parameters
    ----------
    ax : matplotlib Axes
        Axes whose layout is settled (see :func:`settle`).
    xy : sequence of (float, float), length n_points
        The points, in data coordinates.
    labels : sequence of str, length n_points
        One label per point.
    fontsize : float
        Font size of the labels, in points.
    obstacles : sequence of Bbox, default ()
        Display boxes the labels must stay clear of (the legend, a note).

    Returns
    -------
    list of int
        Indices of the points that got no label (no free position).
    """
    figure = ax.get_figure(root=True)
    assert figure is not None
    px = figure.dpi / 72.0
    frame = ax.get_window_extent()
    centres = ax.transData.transform(np.asarray(xy, dtype=np.float64).reshape(-1, 2))
    from matplotlib.transforms import Bbox

    half = _MARKER_POINTS * px
    taken: list[Bbox] = [
        Bbox.from_bounds(x - half, y - half, 2 * half, 2 * half) for x, y in centres
    ]
    taken.extend(obstacles)
    left: list[int] = []
    order = sorted(range(len(labels)), key=lambda i: (centres[i][0], -centres[i][1]))
    for i in order:
        x, y = centres[i]
        probe = ax.text(0, 0, labels[i], fontsize=fontsize, transform=None)
        box = probe.get_window_extent()
        probe.remove()
        width, height = box.width, box.height
        spot = _free_spot(x, y, width, height, px, frame, taken)
        if spot is None:
            left.append(i)
            continue
        (dx, dy), ring = spot
        taken.append(Bbox.from_bounds(x + dx, y + dy, width, height))
        arrow = {"arrowstyle": "-", "lw": 0.5, "color": "0.5"} if ring > 0 else None
        text: Text = ax.annotate(
            labels[i],
            xy[i],
            xytext=(dx / px, dy / px),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=fontsize,
            arrowprops=arrow,
            annotation_clip=False,
        )
        text.set_in_layout(False)  # inside the axes by construction: no layout change
    return sorted(left)


def _free_spot(
    x: float,
    y: float,
    width: float,
    height: float,
    px: float,
    frame: Bbox,
    taken: Sequence[Bbox],
) -> tuple[tuple[float, float], int] | None:
    """The first offset (lower-left corner from the point, pixels) where a box fits."""
    from matplotlib.transforms import Bbox

    for ring, factor in enumerate(_RINGS):
        gap = _GAP_POINTS * factor * px
        for dx, dy in (
            (gap, -height / 2),  # right
            (-gap - width, -height / 2),  # left
            (gap, gap * 0.5),  # above right
            (gap, -height - gap * 0.5),  # below right
            (-gap - width, gap * 0.5),  # above left
            (-gap - width, -height - gap * 0.5),  # below left
            (-width / 2, gap),  # above
            (-width / 2, -height - gap),  # below
        ):
            box = Bbox.from_bounds(x + dx, y + dy, width, height)
            inside = (
                box.x0 >= frame.x0 + _PAD_PIXELS
                and box.x1 <= frame.x1 - _PAD_PIXELS
                and box.y0 >= frame.y0 + _PAD_PIXELS
                and box.y1 <= frame.y1 - _PAD_PIXELS
            )
            if inside and not any(_overlap(box, other) for other in taken):
                return (dx, dy), ring
    return None


def _overlap(a: Bbox, b: Bbox) -> bool:
    pad = _PAD_PIXELS
    return not (
        a.x1 + pad <= b.x0 or b.x1 + pad <= a.x0 or a.y1 + pad <= b.y0 or b.y1 + pad <= a.y0
    )
