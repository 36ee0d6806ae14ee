"""The reliability diagram reads cleanly: whole markers, readable n= labels, a legend that hides nothing.

Issue 5's figure (docs/img/backtest-reliability.png): markers at probability
0 or 1 were cut in half by the axes, n= labels ran into each other ("n=2n=1"
along the top of the China official panel), into the markers, bars and the
diagonal, into the legend in the top-left corner, and out of the Axes at the
top edge. Every check here is made on the drawn figure, in display units.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from hbkit import plotting
from hbkit.plotting.label_layout import Box, Scene, label_box, place_labels

#: bins crowded at 0 and at 1, a lone bin of 1 case, all with counts
CROWDED = pd.DataFrame({
    "mean_probability": [0.0, 0.01, 0.02, 0.03, 0.5, 0.97, 0.98, 0.99, 1.0],
    "observed_frequency": [0.0, 0.0, 0.05, 1.0, 0.5, 1.0, 0.0, 1.0, 1.0],
    "n": [7643, 3, 120, 1, 40, 300, 2, 77, 5000]})
#: the China official panel of issue 5: every bin met (frequency 1), a few cases each, wide bars
TOP_ROW = pd.DataFrame({
    "mean_probability": [0.155, 0.22, 0.37, 0.45, 0.74, 0.83, 0.97],
    "observed_frequency": [1.0] * 7, "n": [2, 1, 1, 2, 3, 4, 21],
    "freq_lo_95": [0.16, 0.03, 0.03, 0.16, 0.29, 0.40, 0.84], "freq_hi_95": [1.0] * 7})
#: a well calibrated forecaster (the all-families panel): ten bins on the diagonal
DIAGONAL = pd.DataFrame({
    "mean_probability": [0.02, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.97],
    "observed_frequency": [0.02, 0.14, 0.25, 0.35, 0.44, 0.54, 0.66, 0.74, 0.83, 0.96],
    "n": [61501, 14123, 14453, 15825, 15902, 14795, 13632, 12991, 14484, 57908]})
#: every case forecast at P = 1, none met
ALL_AT_ONE = pd.DataFrame({"mean_probability": [1.0], "observed_frequency": [0.0], "n": [5],
                           "freq_lo_95": [0.0], "freq_hi_95": [0.52]})
TABLES = {"crowded": CROWDED, "top_row": TOP_ROW, "diagonal": DIAGONAL, "all_at_one": ALL_AT_ONE}


def _own_figure(table: pd.DataFrame, lang: str) -> Axes:
    ax = plotting.reliability_diagram(table, lang=lang)
    ax.figure.canvas.draw()
    return ax


def _benchmark_panel(table: pd.DataFrame, lang: str) -> Axes:
    """As benchmarks/bench_backtest.py draws it: one panel of a 2 x 3 grid, tight layout."""
    fig, grid = plt.subplots(2, 3, figsize=(13.8, 9.6))
    ax = plotting.reliability_diagram(table, lang=lang, ax=grid[0, 1])
    ax.set_title("China official", loc="left", fontsize=10)
    fig.tight_layout()
    fig.canvas.draw()
    return ax


def _markers(ax: Axes) -> list[tuple[float, float, float]]:
    """Each marker as drawn: centre and radius in pixels, its white edge included."""
    scatter = ax.collections[-1]
    centres = ax.transData.transform(scatter.get_offsets())
    sizes = np.broadcast_to(scatter.get_sizes(), (len(centres),))
    pixels_per_point = ax.figure.dpi / 72
    edge = float(scatter.get_linewidths()[0])
    return [(x, y, (math.sqrt(s) / 2 + edge / 2) * pixels_per_point)
            for (x, y), s in zip(centres, sizes, strict=True)]


def _count_labels(ax: Axes) -> list[Bbox]:
    return [t.get_window_extent() for t in ax.texts if t.get_text().startswith("n=")]


def _covers(box: Bbox, x: float, y: float, r: float) -> bool:
    """Whether the disc (x, y, r) reaches into ``box``: nearest point of the box within r."""
    nearest_x, nearest_y = min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)
    return math.hypot(x - nearest_x, y - nearest_y) < r


def _check_reads_cleanly(ax: Axes, table: pd.DataFrame) -> None:
    frame = ax.get_window_extent()
    markers = _markers(ax)
    assert len(markers) == len(table)
    for x, y, r in markers:  # whole: inside the Axes with its radius
        assert frame.x0 <= x - r and x + r <= frame.x1 and frame.y0 <= y - r and y + r <= frame.y1
    labels = _count_labels(ax)
    texts = [t.get_text() for t in ax.texts if t.get_text().startswith("n=")]
    assert sorted(texts) == sorted(f"n={n}" for n in table["n"])
    figure = ax.figure.bbox
    legend = ax.get_legend().get_window_extent()
    for i, box in enumerate(labels):
        assert (frame.x0 <= box.x0 and box.x1 <= frame.x1
                and frame.y0 <= box.y0 and box.y1 <= frame.y1), texts[i]
        assert figure.x0 <= box.x0 and box.x1 <= figure.x1
        assert not box.overlaps(legend), (texts[i], "legend")
        for other in labels[i + 1:]:
            assert not box.overlaps(other), (box, other)
        for x, y, r in markers:
            assert not _covers(box, x, y, r), (box, (x, y, r))
    for x, y, r in markers:
        assert not _covers(legend, x, y, r), ("legend over a marker", (x, y, r))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(TABLES))
@pytest.mark.parametrize("draw", [_own_figure, _benchmark_panel], ids=["own", "panel"])
def test_markers_whole_labels_readable_and_the_legend_clear(draw, name, lang) -> None:
    ax = draw(TABLES[name], lang)
    _check_reads_cleanly(ax, TABLES[name])
    plt.close(ax.figure)


def test_each_label_sits_by_its_own_marker() -> None:
    """A label a reader can match to its point: within four label heights of the marker's edge."""
    ax = _own_figure(TOP_ROW, "zh")
    markers = _markers(ax)
    for label, (x, y, r) in zip(ax.texts, markers, strict=True):
        box = label.get_window_extent()
        nearest_x, nearest_y = min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)
        assert math.hypot(x - nearest_x, y - nearest_y) <= r + 4 * box.height, label.get_text()
    plt.close(ax.figure)


def test_the_layout_follows_the_size_the_chart_is_drawn_at() -> None:
    """Drawn once, then shrunk (a narrower notebook, a panel): laid out again for the new size."""
    ax = _own_figure(TOP_ROW, "en")
    ax.figure.set_size_inches(3.6, 3.4)
    ax.figure.canvas.draw()
    _check_reads_cleanly(ax, TOP_ROW)
    plt.close(ax.figure)


def test_the_legend_leaves_a_top_row_of_points_alone() -> None:
    """Every bin met: the points run along the top, so the legend goes elsewhere, clear of bars."""
    ax = _own_figure(TOP_ROW, "zh")
    legend = ax.get_legend().get_window_extent()
    bars = ax.collections[0]
    for segment in bars.get_segments():
        (x, lo), (_, hi) = ax.transData.transform(segment)
        assert not legend.overlaps(Bbox([[x - 2, lo], [x + 2, hi]])), (x, lo, hi)
    plt.close(ax.figure)


def test_probability_ticks_stay_zero_to_one_with_room_round_them() -> None:
    ax = _own_figure(DIAGONAL, "zh")
    np.testing.assert_allclose(ax.get_xticks(), [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    np.testing.assert_allclose(ax.get_yticks(), [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 < 0 < 1 < x1 and y0 < 0 < 1 < y1
    assert max(-x0, x1 - 1, -y0, y1 - 1) <= 0.06
    plt.close(ax.figure)


def test_bins_without_cases_draw_no_marker_and_no_label() -> None:
    table = pd.DataFrame({"mean_probability": [0.05, 0.5, 0.95], "observed_frequency": [0.0, 0.5, 1.0],
                          "n": [0, 4, 0]})
    ax = _own_figure(table, "en")
    assert [t.get_text() for t in ax.texts] == ["n=4"]
    assert len(ax.collections[-1].get_offsets()) == 1
    plt.close(ax.figure)


# ---------------------------------------------------------------- the geometry on its own


def test_box_meets_a_segment_only_where_the_segment_passes_through_it() -> None:
    box = Box(0, 0, 10, 10)
    assert box.hits_segment((-5, 5, 15, 5))      # straight across
    assert box.hits_segment((-5, -5, 15, 15))    # corner to corner
    assert not box.hits_segment((11, -5, 11, 15))  # beside it
    assert not box.hits_segment((-10, 0, 0, 20))   # passes by the top-left corner outside
    assert box.hits_segment((2, 2, 3, 3))        # wholly inside


def test_labels_in_a_tight_row_all_fit_without_overlapping() -> None:
    """Seven points 12 px apart on the top edge (the top row), labels 20 x 8 px: each label
    is wider than the gap between points, so at most every other one can sit beside its
    point at the same height; the rest must move, and all stay inside."""
    bounds = Box(0, 0, 200, 60)
    points = [(30 + 12 * k, 52, 3) for k in range(7)]
    scene = Scene(bounds, discs=list(points))
    centres = place_labels(points, [(20, 8)] * 7, [135.0] * 7, scene)
    boxes = [label_box(c, (20, 8)) for c in centres]
    for i, box in enumerate(boxes):
        assert box.inside(bounds)
        assert not any(box.overlaps(other) for other in boxes[i + 1:])
        assert not any(box.hits_disc(*disc) for disc in points)
