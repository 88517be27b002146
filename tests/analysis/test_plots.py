"""Tests of weaklabel.analysis.plots on the Agg backend: what the returned Axes holds."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from weaklabel.analysis import (  # noqa: E402
    conflict_matrix,
    plot_accuracy_vs_coverage,
    plot_conflicts,
    plot_coverage,
    summarize_sources,
)
from weaklabel.errors import LabelMatrixError  # noqa: E402
from weaklabel.matrix import LabelMatrix  # noqa: E402

NAMES = ("kw_free", "kw_call", "regex_url", "never", "kw_thanks")
L = np.array(
    [
        [1, 1, -1, -1, -1],
        [1, -1, 1, -1, -1],
        [-1, 1, -1, -1, 0],
        [-1, -1, -1, -1, 0],
        [1, 0, -1, -1, -1],
        [-1, -1, -1, -1, -1],
    ]
)
Y = np.array([1, 1, 0, 0, -1, 0])
MATRIX = LabelMatrix(L, NAMES, ["ham", "spam"])
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def no_show(*args: object, **kwargs: object) -> None:
        raise AssertionError("a plot function called plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    yield
    plt.close("all")


def many_sources(m: int = 150, n: int = 400) -> np.ndarray:
    rng = np.random.default_rng(3)
    return np.where(rng.random((n, m)) < 0.9, -1, rng.integers(0, 2, (n, m)))


def tick_texts(ax: Axes, axis: str) -> list[str]:
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_text() for t in ticks]


def points(ax: Axes) -> tuple[np.ndarray, np.ndarray]:
    """x and y of every scatter point drawn with errorbar, over all containers."""
    xs = [np.asarray(c.lines[0].get_xdata(), dtype=float) for c in ax.containers]
    ys = [np.asarray(c.lines[0].get_ydata(), dtype=float) for c in ax.containers]
    return np.concatenate(xs), np.concatenate(ys)


# ---------------------------------------------------------------------------- coverage
def test_plots_coverage_bars_are_the_coverage_sorted() -> None:
    ax = plot_coverage(MATRIX)
    coverage = summarize_sources(MATRIX)["coverage"]
    expected = coverage.sort_values(ascending=False, kind="stable")
    assert len(ax.patches) == len(NAMES)
    widths = [bar.get_width() for bar in ax.patches]
    np.testing.assert_allclose(widths, expected.to_numpy())
    assert tick_texts(ax, "y") == list(expected.index)
    top_bar = min(ax.patches, key=lambda bar: bar.get_y())  # y axis runs downwards
    assert ax.yaxis_inverted() and top_bar.get_width() == expected.iloc[0]
    assert "Coverage" in ax.get_xlabel() and ax.get_ylabel() == "Source"
    assert "any source: 83.3% of 6 examples" in ax.get_title()


def test_plots_coverage_unsorted_keeps_column_order() -> None:
    ax = plot_coverage(MATRIX, sort=False)
    assert tick_texts(ax, "y") == list(NAMES)
    np.testing.assert_allclose([bar.get_width() for bar in ax.patches], (L != -1).mean(axis=0))


def test_plots_coverage_draws_on_the_given_axes() -> None:
    _, ax = plt.subplots()
    n_figures = len(plt.get_fignums())
    returned = plot_coverage(L, ax=ax)
    assert returned is ax
    assert len(plt.get_fignums()) == n_figures
    assert len(ax.patches) == L.shape[1]


def test_plots_coverage_many_sources_stay_legible() -> None:
    _, ax = plt.subplots(figsize=(6, 4))  # far too short for 150 names
    plot_coverage(many_sources(), ax=ax)
    labels = ax.get_yticklabels()
    assert len(ax.patches) == 150
    assert 10 <= len(labels) < 150  # thinned, not dropped
    assert all(label.get_fontsize() >= 5 for label in labels)
    # A figure made by the function grows with the sources and shows every name.
    ax = plot_coverage(many_sources(m=73))
    assert len(ax.get_yticklabels()) == 73
    assert ax.get_yticklabels()[0].get_fontsize() >= 5


# ---------------------------------------------------------------------------- conflicts
def test_plots_conflicts_heatmap_holds_the_conflict_matrix() -> None:
    ax = plot_conflicts(MATRIX)
    image = np.ma.filled(ax.images[0].get_array(), np.nan)
    expected = np.array(conflict_matrix(MATRIX))
    np.fill_diagonal(expected, np.nan)
    np.testing.assert_allclose(image, expected)
    assert np.nanmax(image) == pytest.approx(1 / 6)  # kw_call votes 0, kw_free 1 on row 4
    assert tick_texts(ax, "x") == tick_texts(ax, "y") == list(NAMES)
    figure = ax.get_figure()
    assert figure is not None
    colorbars = [other for other in figure.axes if other is not ax]
    assert len(colorbars) == 1 and "disagree" in colorbars[0].get_ylabel()


def test_plots_conflicts_draws_on_the_given_axes() -> None:
    _, (left, right) = plt.subplots(1, 2)
    assert plot_conflicts(L, ax=right) is right
    assert len(right.images) == 1 and len(left.images) == 0


def test_plots_conflicts_many_sources_stay_legible() -> None:
    ax = plot_conflicts(many_sources(m=120))
    for axis in ("x", "y"):
        labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
        assert 10 <= len(labels) <= 120
        assert all(label.get_fontsize() >= 5 for label in labels)


# ---------------------------------------------------------------------------- accuracy
def test_plots_accuracy_points_and_wilson_error_bars() -> None:
    ax = plot_accuracy_vs_coverage(MATRIX, Y)
    summary = summarize_sources(MATRIX, Y).drop(index="never")  # no votes: not plotted
    drawn = sorted(zip(*points(ax), strict=True))
    expected = sorted(zip(summary["coverage"], summary["emp_acc"], strict=True))
    np.testing.assert_allclose(drawn, expected)
    # Error bars run from the Wilson low to the Wilson high bound.
    segments = np.concatenate([c.lines[2][0].get_segments() for c in ax.containers])
    lows = np.sort([segment[0][1] for segment in segments])
    highs = np.sort([segment[1][1] for segment in segments])
    np.testing.assert_allclose(lows, np.sort(summary["emp_acc_low"]))
    np.testing.assert_allclose(highs, np.sort(summary["emp_acc_high"]))
    texts = [t.get_text() for t in ax.texts]
    assert {"kw_free", "kw_call", "regex_url", "kw_thanks"} <= set(texts)
    assert any("1 of 5 sources never vote" in t for t in texts)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ham", "ham, spam", "spam"]
    assert "Coverage" in ax.get_xlabel() and "Wilson" in ax.get_ylabel()


def test_plots_accuracy_draws_on_the_given_axes_and_labels_coincident_points_once() -> None:
    _, ax = plt.subplots()
    L_same = np.array([[0, 0, 0, 1], [1, 1, 1, -1]])
    assert plot_accuracy_vs_coverage(L_same, [0, 1], ax=ax) is ax
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["source_0 +2", "source_3"]
    assert len(points(ax)[0]) == 4


def test_plots_accuracy_uses_a_log_axis_for_coverage_spanning_decades() -> None:
    L_wide = np.full((1000, 2), -1)
    L_wide[:, 0] = 1
    L_wide[:5, 1] = 1
    ax = plot_accuracy_vs_coverage(L_wide, np.ones(1000, dtype=int))
    assert ax.get_xscale() == "log" and "log scale" in ax.get_xlabel()
    assert plot_accuracy_vs_coverage(MATRIX, Y).get_xscale() == "linear"


# ---------------------------------------------------------------------------- all plots
@pytest.mark.parametrize(
    "draw",
    [
        lambda: plot_coverage(MATRIX),
        lambda: plot_conflicts(MATRIX),
        lambda: plot_accuracy_vs_coverage(MATRIX, Y),
    ],
    ids=["coverage", "conflicts", "accuracy"],
)
def test_plots_save_as_png(tmp_path: Path, draw: object) -> None:
    assert callable(draw)
    ax = draw()
    figure = ax.get_figure()
    assert figure is not None
    path = tmp_path / "plot.png"
    figure.savefig(path)
    assert path.read_bytes()[:8] == PNG_MAGIC


def test_plots_without_sources_raise() -> None:
    empty = np.empty((3, 0), dtype=int)
    for draw in (plot_coverage, plot_conflicts):
        with pytest.raises(LabelMatrixError, match="nothing to plot"):
            draw(empty)
    with pytest.raises(LabelMatrixError, match="nothing to plot"):
        plot_accuracy_vs_coverage(empty, [0, 1, 0])


def test_plots_without_matplotlib_say_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r'pip install "weaklabel\[plot\]"'):
        plot_coverage(L)


# ---------------------------------------------------------------------- readable at scale
def synthetic(m: int, n: int = 2000, seed: int = 0) -> LabelMatrix:
    """m sources of log-spread coverage and mixed accuracy, with long names, and gold."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    coverage = np.exp(rng.uniform(np.log(0.005), np.log(0.6), m))
    accuracy = rng.uniform(0.55, 0.98, m)
    votes = np.full((n, m), -1)
    for j in range(m):
        fire = rng.random(n) < coverage[j]
        right = rng.random(n) < accuracy[j]
        votes[fire, j] = np.where(right[fire], y[fire], 1 - y[fire])
    words = ["refund", "great", "stars", "broken", "customer_service", "return_policy"]
    names = [f"{('kw', 're', 'lf', 'lex')[j % 4]}_{words[j % 6]}_{j}" for j in range(m)]
    votes[:, -1] = np.where(rng.random(n) < 0.3, y, -1)  # one perfect source at the top
    return LabelMatrix(votes, names, ["NEG", "POS"]), y


def _extents(ax: Axes, texts: list) -> list:
    figure = ax.get_figure(root=True)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    # the text's own box (Text's method: an Annotation's would add its leader line)
    return [Text.get_window_extent(t, renderer) for t in texts if t.get_text().strip()]


def _overlapping(boxes: list) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].x0 < boxes[j].x1
        and boxes[j].x0 < boxes[i].x1
        and boxes[i].y0 < boxes[j].y1
        and boxes[j].y0 < boxes[i].y1
    ]


@pytest.mark.parametrize("m", [5, 20, 50])
def test_plots_accuracy_labels_never_overlap_and_stay_inside(m: int) -> None:
    matrix, y = synthetic(m)
    ax = plot_accuracy_vs_coverage(matrix, y)
    figure = ax.get_figure(root=True)
    labels = [t for t in ax.texts if "never vote" not in t.get_text()]
    boxes = _extents(ax, labels)
    assert _overlapping(boxes) == []
    frame, page = ax.get_window_extent(), figure.bbox
    inside_axes = [b for b in boxes if frame.contains(b.x0, b.y0) and frame.contains(b.x1, b.y1)]
    beside = [b for b in boxes if b.x0 >= frame.x1]  # the key of numbered points
    assert len(inside_axes) + len(beside) == len(boxes)
    for box in boxes:
        assert page.contains(box.x0, box.y0) and page.contains(box.x1, box.y1), box
    # every source is named: beside its point, or in the key against its number
    named = "\n".join(t.get_text() for t in ax.texts)
    assert all(name in named for name in matrix.source_names)
    # point labels are clear of the legend
    legend = ax.get_legend().get_window_extent()
    assert _overlapping([legend]) == [] and all(
        _overlapping([legend, box]) == [] for box in inside_axes
    )
    if m <= 5:
        assert not beside  # few sources: names beside the points, no key


@pytest.mark.parametrize("m", [5, 12, 20, 50])
def test_plots_conflicts_numbers_stay_inside_their_cells(m: int) -> None:
    matrix, _ = synthetic(m)
    ax = plot_conflicts(matrix)
    boxes = _extents(ax, list(ax.texts))
    for text, box in zip([t for t in ax.texts if t.get_text().strip()], boxes, strict=True):
        column, row = text.get_position()
        (x0, y1), (x1, y0) = ax.transData.transform(
            [(column - 0.5, row - 0.5), (column + 0.5, row + 0.5)]
        )
        assert x0 <= box.x0 and box.x1 <= x1 and y0 <= box.y0 and box.y1 <= y1, text.get_text()
        assert text.get_fontsize() >= 5
    assert _overlapping(boxes) == []
    if m >= 50:
        assert len(ax.texts) == 0  # cells too small for a legible number: the colour bar reads them
    figure = ax.get_figure(root=True)
    tight = figure.get_tightbbox()
    width, height = figure.get_size_inches()
    assert tight.width > 0.85 * width and tight.height > 0.85 * height  # no wasted margins
