"""The reliability diagram of a backtest: how often targets given a probability were met.

A well-calibrated forecaster's points lie on the diagonal: of the targets
given about 70%, about 70% were met. The diagram reads the reliability table
of a :class:`hbkit.BacktestResult` (or such a table itself).

Examples
--------
Bins with the exact 95% interval of each observed frequency, drawn as bars:

>>> import pandas as pd
>>> table = pd.DataFrame({"mean_forecast": [0.2, 0.8], "observed_frequency": [0.25, 0.7],
...                       "n": [40, 60], "freq_lo_95": [0.13, 0.57], "freq_hi_95": [0.41, 0.81]})
>>> ax = reliability_diagram(table)
>>> ax.get_title(loc="left"), len(ax.collections)
('概率校准（可靠性图）', 2)
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from hbkit._options import check_choice
from hbkit.exceptions import HbkitError, HbkitTypeError
from hbkit.fonts import chart_context
from hbkit.plotting.axes import GRID_STYLE, finish_axes, new_axes
from hbkit.plotting.label_layout import Box, Scene, place_labels
from hbkit.report.wording import text

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.legend import Legend
    from matplotlib.text import Annotation
    from matplotlib.transforms import Bbox

#: room round the unit square, in probability units, for markers and labels at 0 or 1
_MARGIN = 0.05
#: width of the error bars and of the markers' white edge, in points
_BAR_WIDTH, _EDGE_WIDTH = 2.5, 1.0
#: where the legend may go, in order of preference: the corners the diagonal leaves free first
_LegendPlace = Literal["upper left", "lower right", "center left", "lower center",
                       "upper center", "center right"]
_LEGEND_PLACES: tuple[_LegendPlace, ...] = ("upper left", "lower right", "center left",
                                            "lower center", "upper center", "center right")


# ------------------------------------------------------------------- reliability diagram

_FORECAST_COLUMNS = ("mean_probability", "mean_forecast", "forecast", "p_mean", "predicted")
_OBSERVED_COLUMNS = ("observed_frequency", "observed", "frequency", "hit_rate", "outcome_rate")
_COUNT_COLUMNS = ("n", "count", "n_cases")


def _reliability_table(source: Any) -> pd.DataFrame:
    """The reliability table of a BacktestResult, or the table itself."""
    table = source
    for name in ("reliability", "reliability_table"):
        if not isinstance(table, pd.DataFrame) and hasattr(source, name):
            attribute = getattr(source, name)
            table = attribute() if callable(attribute) else attribute
    if not isinstance(table, pd.DataFrame):
        raise HbkitTypeError(
            "reliability_diagram 须传入 BacktestResult 或可靠性表（DataFrame）；收到 "
            f"{type(source).__name__} / reliability_diagram takes a BacktestResult or a "
            f"reliability table (DataFrame); received {type(source).__name__}"
        )
    return table


#: what a column of the reliability table holds -> its Chinese name
_COLUMN_WHAT_ZH = {"forecast probability": "预测概率", "observed frequency": "实际达标频率"}


def _pick(table: pd.DataFrame, names: Sequence[str], what: str) -> str:
    for name in names:
        if name in table.columns:
            return name
    received = ", ".join(map(str, table.columns))
    raise HbkitError(f"可靠性表须有{_COLUMN_WHAT_ZH.get(what, what)}列（{'、'.join(names)} 之一）；"
                     f"收到的列：{'、'.join(map(str, table.columns))} / reliability table needs "
                     f"a {what} column (one of {', '.join(names)}); columns received: {received}")


def reliability_diagram(
    backtest_result_or_table: Any, lang: str = "zh", ax: Axes | None = None
) -> Axes:
    """Reliability diagram: observed frequency of success against forecast probability.

    Parameters
    ----------
    backtest_result_or_table
        A :class:`hbkit.BacktestResult` (its reliability table is used) or a
        DataFrame with the mean forecast probability of each bin
        (``mean_probability`` or ``mean_forecast``), the observed frequency
        (``observed_frequency``), optionally the number of cases (``n``),
        which sets the marker area, and the exact 95% interval of the
        frequency (``freq_lo_95``, ``freq_hi_95``), drawn as a bar.
    """
    from hbkit.plotting.draw_hook import BeforeDraw

    lang = check_choice("lang", lang, ("zh", "en"))
    table = _reliability_table(backtest_result_or_table)
    forecast = table[_pick(table, _FORECAST_COLUMNS, "forecast probability")].astype(float)
    observed = table[_pick(table, _OBSERVED_COLUMNS, "observed frequency")].astype(float)
    count_column = next((c for c in _COUNT_COLUMNS if c in table.columns), None)
    counts = (table[count_column].astype(float) if count_column
              else pd.Series(np.ones(len(table)), index=table.index))
    keep = forecast.notna() & observed.notna() & (counts > 0)
    x, y, n = (forecast[keep].to_numpy(), observed[keep].to_numpy(), counts[keep].to_numpy())
    sizes = 20 + 220 * n / max(float(n.max()), 1.0) if len(n) else np.zeros(0)
    with chart_context():
        ax = new_axes(ax, (4.4, 4.2))
        ax.plot([0, 1], [0, 1], color="#8c959f", linestyle="--", linewidth=1.0,
                label=text("perfect_calibration", lang))
        ax.plot(x, y, color="#0969da", linewidth=1.2, zorder=2)
        bars = None
        if {"freq_lo_95", "freq_hi_95"} <= set(table.columns):
            bars = (table["freq_lo_95"].astype(float)[keep].to_numpy(),
                    table["freq_hi_95"].astype(float)[keep].to_numpy())
            ax.vlines(x, *bars, color="#0969da", alpha=0.35, linewidth=_BAR_WIDTH, zorder=1,
                      label=text("frequency_interval", lang))
        # not clipped: a marker at 0 or 1 is whole even on Axes smaller than the margin allows
        ax.scatter(x, y, s=sizes, color="#0969da", alpha=0.8, edgecolors="white",
                   linewidths=_EDGE_WIDTH, zorder=3, clip_on=False)
        _set_unit_square(ax)
        ax.set_xlabel(text("forecast_probability", lang), fontsize=9)
        ax.set_ylabel(text("observed_frequency", lang), fontsize=9)
        ax.grid(True, **GRID_STYLE)
        ax.legend(fontsize=8, frameon=False, loc="upper left")
        labels = ([ax.annotate(f"n={int(count)}", (px, py), textcoords="offset points",
                               xytext=(0, 0), ha="center", va="center", fontsize=7,
                               color="#57606a", zorder=4, annotation_clip=False)
                   for px, py, count in zip(x, y, n, strict=True)] if count_column else [])
        for label in labels:
            label.set_in_layout(False)  # laid out inside the Axes at drawing time
        marks = _Marks(x, y, np.sqrt(sizes) / 2 + _EDGE_WIDTH / 2, n, bars)
        # drawn after the markers (3), before the labels (4) and the legend (5)
        ax.add_artist(BeforeDraw(functools.partial(_lay_out, ax, marks, labels), zorder=3.5))
        ax.set_title(text("reliability_title", lang), loc="left", fontsize=11)
    return finish_axes(ax)


def _set_unit_square(ax: Axes) -> None:
    """Probabilities 0 to 1 on both axes, with a margin so markers and labels at 0 or 1 fit."""
    ticks = np.linspace(0.0, 1.0, 6)
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_xlim(-_MARGIN, 1.0 + _MARGIN)
    ax.set_ylim(-_MARGIN, 1.0 + _MARGIN)
    ax.set_aspect("equal")


@dataclass(frozen=True)
class _Marks:
    """The bins as drawn: where, how large, how many cases, their 95% bars (probability units)."""

    x: np.ndarray
    y: np.ndarray
    radii: np.ndarray  # points, the white edge included
    counts: np.ndarray
    bars: tuple[np.ndarray, np.ndarray] | None


def _lay_out(ax: Axes, marks: _Marks, labels: list[Annotation], renderer: RendererBase) -> None:
    """Place the legend, then the n= labels, for the size the Axes is drawn at."""
    points = float(np.asarray(renderer.points_to_pixels(1.0)))  # pixels per point
    scene = _scene(ax, marks, points)
    legend = ax.get_legend()
    if legend is not None:
        scene.boxes.append(_place_legend(legend, scene, renderer))
    if labels:
        _place_count_labels(labels, marks, scene, points, renderer)


def _scene(ax: Axes, marks: _Marks, points: float) -> Scene:
    """What the labels and the legend should not cover, in display units."""
    to_display = ax.transData.transform
    centres = to_display(np.column_stack([marks.x, marks.y])).reshape(-1, 2)
    discs = [(cx, cy, r * points) for (cx, cy), r in zip(centres, marks.radii, strict=True)]
    (x0, y0), (x1, y1) = to_display([(0.0, 0.0), (1.0, 1.0)])
    segments = [(x0, y0, x1, y1)]  # the diagonal
    segments += [(*a, *b) for a, b in zip(centres[:-1], centres[1:], strict=True)]
    frame = ax.get_window_extent()
    bounds = Box(frame.x0 + 1, frame.y0 + 1, frame.x1 - 1, frame.y1 - 1)
    return Scene(bounds, discs=discs, bars=_bar_boxes(ax, marks, points), segments=segments)


def _bar_boxes(ax: Axes, marks: _Marks, points: float) -> list[Box]:
    """The 95% bars as boxes in display units."""
    if marks.bars is None:
        return []
    half = _BAR_WIDTH * points / 2
    to_display = ax.transData.transform
    low = to_display(np.column_stack([marks.x, marks.bars[0]])).reshape(-1, 2)
    high = to_display(np.column_stack([marks.x, marks.bars[1]])).reshape(-1, 2)
    return [Box(cx - half, min(lo, hi), cx + half, max(lo, hi))
            for (cx, lo), (_, hi) in zip(low, high, strict=True)
            if np.isfinite(lo) and np.isfinite(hi)]


def _place_count_labels(labels: list[Annotation], marks: _Marks, scene: Scene, points: float,
                        renderer: RendererBase) -> None:
    """Each n= label beside its marker, the largest bins' first, away from the diagonal."""
    order = np.argsort(-marks.counts, kind="stable")
    extents = [label.get_window_extent(renderer) for label in labels]
    # above-left of a point above the diagonal, below-right of the others
    preferred = [135.0 if marks.y[i] > marks.x[i] + 0.02 else 315.0 for i in order]
    centres = place_labels([scene.discs[i] for i in order],
                           [(extents[i].width, extents[i].height) for i in order],
                           preferred, scene, gap=2.0 * points)
    for i, (cx, cy) in zip(order, centres, strict=True):
        px, py, _ = scene.discs[i]
        labels[i].xyann = (float(cx - px) / points, float(cy - py) / points)


def _place_legend(legend: Legend, scene: Scene, renderer: RendererBase) -> Box:
    """Put the legend where it covers least (the upper left on a tie); return its box."""

    def cost(ranked: tuple[int, _LegendPlace]) -> float:
        rank, place = ranked
        legend.set_loc(place)
        return rank * 0.5 + scene.cost(_box(legend.get_window_extent(renderer)), [])

    _, best = min(enumerate(_LEGEND_PLACES), key=cost)
    legend.set_loc(best)
    return _box(legend.get_window_extent(renderer))


def _box(bbox: Bbox) -> Box:
    """A matplotlib Bbox as a :class:`Box`."""
    return Box(bbox.x0, bbox.y0, bbox.x1, bbox.y1)
