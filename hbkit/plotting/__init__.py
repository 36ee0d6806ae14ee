"""Charts of an assessment: fan charts, the status dashboard, probabilities, reliability.

Free functions taking result objects. matplotlib is imported inside the
functions, so ``import hbkit`` never imports it, and no global matplotlib
setting is changed: each chart is drawn under :func:`hbkit.fonts.chart_context`
with the Chinese font that ships with hbkit. Each function takes ``ax=None``
(a new figure is made) and ``lang="zh"`` or ``"en"``, and returns the Axes.

Colours are the report's traffic lights (:data:`hbkit.report.wording.STATUS_COLOURS`):
achieved and on track green, at risk amber, off track red, the rest grey.

Examples
--------
A reliability diagram from a table of probability bins:

>>> import pandas as pd
>>> table = pd.DataFrame({"mean_forecast": [0.1, 0.5, 0.9],
...                       "observed_frequency": [0.15, 0.45, 0.85], "n": [20, 10, 30]})
>>> ax = reliability_diagram(table, lang="en")
>>> ax.get_xlabel()
'forecast probability'
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hbkit._options import check_choice
from hbkit.fonts import apply_font, chart_context
from hbkit.plotting.text_layout import (
    balanced_lines,
    shorten_to_width,
    text_width,
    wrap_to_characters,
)
from hbkit.report.formatting import format_probability, format_value, is_missing, unit_suffix
from hbkit.report.tables import group_labels, status_summary
from hbkit.report.wording import (
    STATUS_COLOURS,
    heading_label,
    status_label,
    status_words,
    text,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

#: gid of the horizontal target line in a fan chart (tests and styling find it by this)
TARGET_LINE_GID = "hbkit-target-line"
#: gid of the vertical target-year line in a fan chart
TARGET_YEAR_GID = "hbkit-target-year"

_HISTORY_COLOUR = "#24292f"
_GRID: dict[str, Any] = {"color": "#d0d7de", "linewidth": 0.6, "alpha": 0.8}


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """The Axes to draw on: ``ax`` or a new pyplot figure of ``figsize`` inches."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def _finish(ax: Axes) -> Axes:
    """Apply the Chinese font to every text of the figure and tidy the spines."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    apply_font(ax.figure)
    return ax


def _series_name(view: Any, lang: str) -> str:
    zh, en = getattr(view, "name_zh", ""), getattr(view, "name_en", "")
    return (zh or en) if lang == "zh" else (en or zh)


def _array(values: Any) -> np.ndarray:
    """A float array; ``None`` gives an empty one."""
    return np.array([], dtype=float) if values is None else np.asarray(values, dtype=float)


def _as_float(value: Any) -> float:
    return math.nan if is_missing(value) else float(value)


# ----------------------------------------------------------------------------- fan chart


#: statuses given only to a row that was judged on data
_JUDGED = frozenset({"achieved", "on_track", "at_risk", "off_track"})


def fan_chart(
    assessment: Any,
    target_id: str,
    geo: str | None = None,
    lang: str = "zh",
    ax: Axes | None = None,
    legend: bool = True,
) -> Axes:
    """Fan chart of one target: history, projected median, 80/95% bands, target line and year.

    A ``count_minimum`` target (至少配备1名), judged on counts and not
    projected, gets the counts of its units by year instead
    (:func:`draw_unit_counts`); see :func:`draw_target`.

    Parameters
    ----------
    assessment
        An :class:`hbkit.Assessment`.
    target_id
        Id of the target, e.g. ``"C-health-infant-mortality"``.
    geo
        Area; default the assessment's default geo.
    lang
        ``"zh"`` (default) or ``"en"``.
    ax
        Axes to draw on; a new figure when ``None``.
    legend
        Draw the legend (the report draws it once, not beside every chart).

    Returns
    -------
    matplotlib.axes.Axes
        The bands and median are coloured by status (green achieved / on track,
        amber at risk, red off track, grey otherwise); the target line has gid
        :data:`TARGET_LINE_GID`.
    """
    lang = check_choice("lang", lang, ("zh", "en"))
    with chart_context():
        ax = _new_axes(ax, (5.0, 3.2))
        draw_target(assessment, target_id, geo, lang=lang, ax=ax, legend=legend)
    return _finish(ax)


def draw_target(assessment: Any, target_id: str, geo: str | None = None, *, lang: str = "zh",
                ax: Axes, legend: bool = True) -> Axes:
    """Draw the chart of one (target, area) on ``ax``: what :func:`fan_chart` shows.

    Most targets get their fan chart (:func:`draw_series_view`). A
    ``count_minimum`` target ("至少配备1名", at least N in each unit) is judged
    on counts, not on a projection, and often on the rows of its units (geo
    ``河北区/<unit>``), of which the area's series view has none: it gets the
    counts of its units by year (:func:`draw_unit_counts`). A chart with
    nothing to draw says why, in words (the row's ``reason`` when it has one).

    Parameters
    ----------
    assessment
        An :class:`hbkit.Assessment`.
    target_id
        Id of the target.
    geo
        Area; default the assessment's default geo.
    lang
        ``"zh"`` (default) or ``"en"``.
    ax
        Axes to draw on.
    legend
        Draw the legend.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    view = assessment.series(target_id, geo) if geo is not None else assessment.series(target_id)
    target = assessment.catalogue[target_id]
    if target.kind == "count_minimum":
        counts = unit_counts(assessment, target_id, view.geo)
        if counts.notna().any(axis=None):
            return draw_unit_counts(view, counts, strict=bool(target.strict), lang=lang, ax=ax,
                                    legend=legend)
    return draw_series_view(view, lang=lang, ax=ax, legend=legend,
                            note=_reason(assessment, target_id, view.geo, lang))


def _reason(assessment: Any, target_id: str, geo: str, lang: str) -> str | None:
    """The ``reason`` of the (target, area) row in ``lang`` (``None`` when it has none).

    Reasons are written "中文 / English"; the part in ``lang`` is returned.
    """
    frame = assessment.frame
    rows = frame[(frame["target_id"] == target_id) & (frame["geo"] == geo)]
    if rows.empty or is_missing(rows["reason"].iloc[0]):
        return None
    zh, _, en = str(rows["reason"].iloc[0]).partition(" / ")
    return zh if lang == "zh" or not en else en


def draw_series_view(view: Any, *, lang: str, ax: Axes, legend: bool = True,
                     note: str | None = None) -> Axes:
    """Draw a :class:`SeriesView` (what :func:`fan_chart` shows) on ``ax``.

    A view with neither history nor projection is drawn as its title, its
    status and ``note`` in words, with no axes, ticks or lines that would
    suggest a series. Without a note, a judged row (achieved ... off track)
    says that it was judged on its units' data (a ``count_minimum`` target
    over sub-units, whose counts :func:`draw_target` draws), any other
    "无可用数据 / no data to show".
    """
    status = str(getattr(view, "status", "") or "")
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS["insufficient_data"])
    unit = getattr(view, "unit", None)
    years, values = _array(view.history_years), _array(view.history_values)
    seen = ~np.isnan(values)
    future, median = _array(view.future_years), _array(view.median)
    projected = bool(future.size and median.size == future.size and not np.isnan(median).all())
    if not seen.any() and not projected:
        _say_nothing_to_draw(ax, view, lang, status, colour, note)
        return ax
    if seen.any():
        ax.plot(years[seen], values[seen], color=_HISTORY_COLOUR, marker="o", markersize=3.5,
                linewidth=1.4, label=text("history", lang), zorder=4)
    if projected:
        anchor_x = years[seen][-1:] if seen.any() else np.array([])
        anchor_y = values[seen][-1:] if seen.any() else np.array([])
        intervals = dict(getattr(view, "intervals", {}) or {})
        for index, level in enumerate(sorted(intervals, reverse=True)):
            lo, hi = (np.asarray(a, dtype=float) for a in intervals[level])
            alpha = 0.18 if index == 0 else 0.38
            ax.fill_between(np.concatenate([anchor_x, future]), np.concatenate([anchor_y, lo]),
                            np.concatenate([anchor_y, hi]), color=colour, alpha=alpha,
                            linewidth=0, label=text("band", lang, level=f"{float(level):g}"),
                            zorder=2)
        ax.plot(np.concatenate([anchor_x, future]), np.concatenate([anchor_y, median]),
                color=colour, linestyle="--", linewidth=1.6, label=text("median", lang), zorder=3)
    _target_lines(ax, view, lang)
    _style_fan_axes(ax, view, lang, status, colour, unit, legend,
                    np.concatenate([years, future]))
    return ax


def _target_lines(ax: Axes, view: Any, lang: str) -> float:
    """The target value (dashed, gid :data:`TARGET_LINE_GID`) and year (dotted); the value."""
    target_value = _as_float(getattr(view, "target_value", None))
    target_year = getattr(view, "target_year", None)
    if not math.isnan(target_value):
        unit = getattr(view, "unit", None)
        ax.axhline(target_value, color="#57606a", linestyle=(0, (4, 3)), linewidth=1.1,
                   gid=TARGET_LINE_GID, zorder=1,
                   label=f"{text('target', lang)} {format_value(target_value, unit, lang)}")
    if target_year is not None and not is_missing(target_year):
        ax.axvline(float(target_year), color="#8c959f", linestyle=":", linewidth=1.0,
                   gid=TARGET_YEAR_GID, zorder=1)
    return target_value


def _subtitle(view: Any, status: str, lang: str) -> str:
    """The status line of a chart: status words and, when there is one, the probability."""
    status_zh = getattr(view, "status_zh", None)
    subtitle = status_words(status, None if is_missing(status_zh) else str(status_zh), lang)
    probability = getattr(view, "probability", None)
    if not is_missing(probability):
        shown = format_probability(probability)
        subtitle += f"  P {shown}" if shown[0] in "<>" else f"  P = {shown}"
    return subtitle


def _say_nothing_to_draw(ax: Axes, view: Any, lang: str, status: str, colour: str,
                         note: str | None) -> None:
    """Title, status and, in words, why there is no series: no axes, ticks or lines."""
    _set_titles(ax, _series_name(view, lang), _subtitle(view, status, lang), colour)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if note:
        words = note
    elif status in _JUDGED:  # judged, with no series of the area: on its units' rows
        words = text("judged_on_units", lang)
    else:
        words = text("no_history", lang)
    width = 0.9 * ax.bbox.width / ax.figure.dpi * 72.0
    ax.text(0.5, 0.5, "\n".join(balanced_lines(words, width, 9.0)), transform=ax.transAxes,
            ha="center", va="center", fontsize=9, color="#57606a")


# ------------------------------------------------------------------ count_minimum targets


def unit_counts(assessment: Any, target_id: str, geo: str | None = None) -> pd.DataFrame:
    """The observed values a ``count_minimum`` target is judged on, by year and unit.

    Parameters
    ----------
    assessment
        An :class:`hbkit.Assessment`.
    target_id
        Id of the target.
    geo
        Area; default the assessment's default geo.

    Returns
    -------
    pandas.DataFrame
        One row per year (index ``year``), one column per unit (its geo),
        values the observations of the target's indicator up to ``as_of``.
        The units are the area's sub-units (geo ``<area>/<unit>``) for an
        ``each_unit`` target, else the area itself. Empty when there are none.
    """
    from hbkit.assessment.inputs import parent_geo

    target = assessment.catalogue[target_id]
    if geo is None:
        geo = assessment.series(target_id).geo
    obs = assessment.observations
    obs = obs[obs["indicator"] == target.indicator]
    geos = obs["geo"].astype(str)
    mine = geos.map(parent_geo) == geo if target.each_unit else geos == geo
    table = obs[mine].pivot_table(index="year", columns="geo", values="value", aggfunc="last")
    table.index = table.index.astype(int)
    return table.sort_index().sort_index(axis=1)


def draw_unit_counts(view: Any, counts: pd.DataFrame, *, strict: bool = False, lang: str,
                     ax: Axes, legend: bool = True) -> Axes:
    """Draw a ``count_minimum`` target: the counts of its units by year, and the minimum.

    The line is the fewest in any unit each year, which is what the target
    asks to stay at or above the threshold (the report's latest value); the
    grey band spans the units, red dots mark years in which a unit was below
    the minimum, and a note tells how many units meet it in their latest
    year. The threshold line has gid :data:`TARGET_LINE_GID`.

    Parameters
    ----------
    view
        The target's :class:`SeriesView` (title, status, threshold, unit).
    counts
        Values by year (rows) and unit (columns), e.g. from :func:`unit_counts`.
    strict
        ``True`` when the count must exceed the threshold, not just reach it.
    lang
        ``"zh"`` or ``"en"``.
    ax
        Axes to draw on.
    legend
        Draw the legend; without it, the note says what the line and band are.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    from matplotlib.ticker import MaxNLocator

    from hbkit.attainment import compare

    status = str(getattr(view, "status", "") or "")
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS["insufficient_data"])
    unit = getattr(view, "unit", None)
    counts = counts.dropna(how="all").dropna(axis=1, how="all")
    years = counts.index.to_numpy(dtype=float)
    fewest, most = counts.min(axis=1).to_numpy(float), counts.max(axis=1).to_numpy(float)
    n_units = counts.shape[1]
    threshold = _target_lines(ax, view, lang)
    if n_units > 1:
        ax.fill_between(years, fewest, most, color="#afb8c1", alpha=0.35, linewidth=0,
                        label=text("units_range", lang, n=n_units), zorder=1)
    ax.plot(years, fewest, color=_HISTORY_COLOUR, marker="o", markersize=3.5, linewidth=1.4,
            label=text("units_fewest", lang) if n_units > 1 else text("history", lang),
            zorder=4)
    notes = []
    if not math.isnan(threshold):
        below = compare(fewest, threshold, "increase", strict) == 0
        if below.any():
            ax.plot(years[below], fewest[below], linestyle="", marker="o", markersize=5,
                    color=STATUS_COLOURS["off_track"], label=text("units_below_minimum", lang),
                    zorder=5)
        if n_units > 1:
            latest = counts.apply(lambda column: column.dropna().iloc[-1])
            short = int((compare(latest.to_numpy(float), threshold, "increase", strict) == 0).sum())
            rule = text("rule_more_than" if strict else "rule_at_least", lang,
                        value=format_value(threshold, unit, lang).replace(" ", ""))
            notes.append(text("units_all_meet", lang, n=n_units, rule=rule) if short == 0 else
                         text("units_some_below", lang, n=n_units, k=short, rule=rule))
    if n_units > 1 and not legend:
        notes.append(text("units_chart_key", lang))
    if notes:
        ax.text(0.02, 0.97, "\n".join(notes), transform=ax.transAxes, ha="left", va="top",
                fontsize=7.5, color="#57606a", zorder=6)
    _style_fan_axes(ax, view, lang, status, colour, unit, legend, years)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = np.nanmax(np.append(most, threshold))
    bottom = -0.4 if np.nanmin(fewest) <= 0 else 0.0  # a zero count shows whole, not cut
    ax.set_ylim(bottom, (top + 0.5) * (1.0 + 0.15 * len(notes)))  # room for the note on top
    return ax


#: font sizes (points) of a fan chart's title and of its status line
_TITLE_SIZE, _SUBTITLE_SIZE = 10.5, 9.0
#: least room (points) between the title's last line and the status line
_TITLE_GAP = 10.0


def _set_titles(ax: Axes, name: str, subtitle: str, colour: str) -> None:
    """The name (left) and the status line (right) above the Axes, never overlapping.

    The name is wrapped to the width of the Axes, measured in the chart font,
    into lines of even length (:func:`~hbkit.plotting.text_layout.balanced_lines`); its last line, which
    shares the baseline of the status line, ends left of the status, or, when
    the room there is too narrow, the status gets a line of its own.
    """
    width = ax.bbox.width / ax.figure.dpi * 72.0
    room = width - _TITLE_GAP - text_width(subtitle, _SUBTITLE_SIZE) if subtitle else width
    if room >= 0.4 * width:
        lines = balanced_lines(name, width, _TITLE_SIZE, last_width=room)
    else:
        lines = balanced_lines(name, width, _TITLE_SIZE) + [""]
    ax.set_title("\n".join(lines), loc="left", fontsize=_TITLE_SIZE)
    ax.set_title(subtitle, loc="right", fontsize=_SUBTITLE_SIZE, color=colour)


def _style_fan_axes(
    ax: Axes, view: Any, lang: str, status: str, colour: str, unit: Any, legend: bool,
    years: Any,
) -> None:
    """Titles, unit label, ticks and grid of a chart of one target over ``years``."""
    from matplotlib.ticker import MaxNLocator

    _set_titles(ax, _series_name(view, lang), _subtitle(view, status, lang), colour)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    _set_unit_label(ax, unit, lang)
    ax.tick_params(labelsize=8.5)
    ax.grid(True, axis="y", **_GRID)
    shown = [float(y) for y in _array(years) if not math.isnan(y)]
    target_year = getattr(view, "target_year", None)
    if target_year is not None and not is_missing(target_year):
        shown.append(float(target_year))
    if shown:
        ax.set_xlim(min(shown) - 0.4, max(shown) + 0.4)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7.5, frameon=False, loc="best")
    if getattr(view, "unit", None) == "percent":
        low, high = ax.get_ylim()
        ax.set_ylim(max(low, 0.0), min(high, 100.0 + 0.02 * (high - low)))


def _set_unit_label(ax: Axes, unit: Any, lang: str) -> None:
    """The unit beside the y axis; a Chinese word stands upright, one character a line.

    Turned on its side, "个" or "每千人口" reads as a symbol; upright it reads
    as Chinese set vertically. Symbols ("%", "‰", "/10万") turn as usual.
    """
    label = unit_suffix(unit, lang).strip()
    if label and all("\u4e00" <= character <= "\u9fff" for character in label):
        ax.set_ylabel("\n".join(label), fontsize=9, rotation=0, ha="right", va="center",
                      linespacing=1.0)
    else:
        ax.set_ylabel(label, fontsize=9)


# ----------------------------------------------------------------------- status dashboard


def status_dashboard(assessment: Any, lang: str = "zh", ax: Axes | None = None) -> Axes:
    """Traffic-light dashboard: domains (rows) x statuses (columns) with the counts.

    Each non-empty cell is a disc in the status colour, its area growing with
    the count, the count printed on it.
    """
    lang = check_choice("lang", lang, ("zh", "en"))
    counts = status_summary(assessment, lang, short=True, totals=False)
    n_rows, n_cols = counts.shape
    with chart_context():
        ax = _new_axes(ax, (7.2, 0.45 * n_rows + 1.6))
        largest = max(int(counts.to_numpy().max()), 1) if counts.size else 1
        for i, row in enumerate(counts.index):
            for j, status in enumerate(counts.columns):
                count = int(counts.loc[row, status])
                if count == 0:
                    ax.plot(j, i, marker="o", markersize=3, color="#d0d7de")
                    continue
                size = 14 + 16 * math.sqrt(count / largest)
                ax.plot(j, i, marker="o", markersize=size, color=STATUS_COLOURS[status],
                        markeredgecolor="white")
                dark = status in ("achieved", "off_track", "on_track", "insufficient_data")
                ax.text(j, i, str(count), ha="center", va="center", fontsize=9,
                        color="white" if dark else "#24292f")
        ax.set_xticks(range(n_cols), [wrap_to_characters(heading_label(assessment, s, lang),
                                                         9 if lang == "en" else 4)
                                      for s in counts.columns], fontsize=8.5)
        ax.xaxis.tick_top()
        ax.set_yticks(range(n_rows), list(counts.index), fontsize=9)
        ax.set_xlim(-0.6, n_cols - 0.4)
        ax.set_ylim(n_rows - 0.5, -0.7)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_title(text("dashboard_title", lang), loc="left", fontsize=11,
                     pad=28)
    return _finish(ax)


# -------------------------------------------------------------------- probability chart


def probability_rows(assessment: Any, lang: str = "zh") -> pd.DataFrame:
    """The rows :func:`probability_chart` draws: targets with a probability, or achieved.

    Sorted by plan·domain (catalogue order) then probability, descending;
    ``p`` is the probability (1 for achieved targets), ``label`` the name.
    """
    frame = assessment.to_frame()
    rows = frame[frame["probability"].notna() | (frame["status"] == "achieved")].copy()
    rows["p"] = rows["probability"].astype(float)
    rows.loc[rows["p"].isna() & (rows["status"] == "achieved"), "p"] = 1.0
    rows["group"] = group_labels(rows, lang, short=True)
    name_column = "name_zh" if lang == "zh" else "name_en"
    names = rows[name_column].where(rows[name_column].astype(str) != "", rows["target_id"])
    default_geo = getattr(getattr(assessment, "catalogue", None), "default_geo", None)
    geo_suffix = rows["geo"].map(
        lambda g: "" if g == default_geo or is_missing(g) else f"（{str(g).split('/')[-1]}）"
    )
    rows["label"] = [probability_label(n, s) for n, s in zip(names.astype(str), geo_suffix,
                                                            strict=True)]
    order = {group: i for i, group in enumerate(dict.fromkeys(rows["group"]))}
    rows["group_order"] = rows["group"].map(order)
    return rows.sort_values(["group_order", "p"], ascending=[True, False], kind="stable")


#: font size (points) and longest width (points) of a target's name in the probability chart
PROBABILITY_LABEL_SIZE, PROBABILITY_LABEL_WIDTH = 7.5, 195.0


def probability_label(name: str, suffix: str = "") -> str:
    """A target's name on one line of the probability chart, shortened with "…".

    Parameters
    ----------
    name
        The target's name.
    suffix
        Kept whole after the name, e.g. the area ``"（光复道街道）"``.

    Returns
    -------
    str
        ``name + suffix`` when it fits in :data:`PROBABILITY_LABEL_WIDTH`
        points, else the name cut between words (or characters) and ended
        with ``…``, then the suffix.

    Examples
    --------
    >>> probability_label("Prevalence of anaemia among pregnant and lactating women")
    'Prevalence of anaemia among pregnant…'
    >>> probability_label("孕产妇死亡率", "（光复道街道）")
    '孕产妇死亡率（光复道街道）'
    """
    room = PROBABILITY_LABEL_WIDTH - text_width(suffix, PROBABILITY_LABEL_SIZE)
    return shorten_to_width(name, room, PROBABILITY_LABEL_SIZE) + suffix


def probability_chart(
    assessment: Any,
    lang: str = "zh",
    ax: Axes | None = None,
    thresholds: Sequence[float] = (0.5, 0.8),
) -> Axes:
    """Probability of meeting every quantitative target, in one view.

    One row per target (and area), grouped by plan and domain, a dot coloured
    by status; vertical lines mark the status thresholds (0.5 and 0.8 by
    default). Targets already achieved are drawn at 1. Targets without a
    probability (no data, insufficient data, qualitative) are left out. A
    name too long for one line is shortened with "…" (:func:`probability_label`).
    """
    lang = check_choice("lang", lang, ("zh", "en"))
    rows = probability_rows(assessment, lang)
    n = len(rows)
    with chart_context():
        ax = _new_axes(ax, (7.2, 0.24 * max(n, 4) + 1.4))
        positions = np.arange(n)
        colours = [STATUS_COLOURS.get(s, STATUS_COLOURS["insufficient_data"])
                   for s in rows["status"]]
        ax.hlines(positions, 0, rows["p"], color="#d0d7de", linewidth=1.0, zorder=1)
        ax.scatter(rows["p"], positions, c=colours, s=36, zorder=3, edgecolors="white",
                   linewidths=0.5)
        for threshold in thresholds:
            ax.axvline(threshold, color="#8c959f", linestyle=":", linewidth=1.0, zorder=0)
        previous = None
        for position, group in zip(positions, rows["group"], strict=True):
            if group != previous and previous is not None:
                ax.axhline(position - 0.5, color="#afb8c1", linewidth=0.6)
            if group != previous:
                ax.text(1.01, float(position), group, transform=ax.get_yaxis_transform(), fontsize=7.5,
                        color="#57606a", va="center")
            previous = group
        ax.set_yticks(positions, list(rows["label"]), fontsize=PROBABILITY_LABEL_SIZE)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(-0.02, 1.03)
        ax.set_xlabel(text("probability_axis", lang), fontsize=9)
        ax.tick_params(axis="x", labelsize=8.5)
        ax.grid(True, axis="x", **_GRID)
        _status_legend(ax, list(dict.fromkeys(rows["status"])), lang)
        ax.set_title(text("probabilities", lang), loc="left", fontsize=11, pad=24)
    return _finish(ax)


def _status_legend(ax: Axes, statuses: Sequence[str], lang: str) -> None:
    """A one-line legend of the status colours, just above the Axes."""
    from matplotlib.lines import Line2D

    present = [s for s in STATUS_COLOURS if s in set(statuses)]
    handles = [Line2D([], [], marker="o", linestyle="", color=STATUS_COLOURS[s],
                      label=status_label(s, lang)) for s in present]
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(handles),
                  frameon=False, fontsize=8, handletextpad=0.2, columnspacing=1.0,
                  borderaxespad=0.2)


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
        raise TypeError(
            "reliability_diagram takes a BacktestResult or a reliability table (DataFrame); "
            f"received {type(source).__name__}"
        )
    return table


def _pick(table: pd.DataFrame, names: Sequence[str], what: str) -> str:
    for name in names:
        if name in table.columns:
            return name
    from hbkit.exceptions import HbkitError

    raise HbkitError(f"reliability table needs a {what} column (one of {', '.join(names)}); "
                     f"columns received: {', '.join(map(str, table.columns))}")


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
    lang = check_choice("lang", lang, ("zh", "en"))
    table = _reliability_table(backtest_result_or_table)
    forecast = table[_pick(table, _FORECAST_COLUMNS, "forecast probability")].astype(float)
    observed = table[_pick(table, _OBSERVED_COLUMNS, "observed frequency")].astype(float)
    count_column = next((c for c in _COUNT_COLUMNS if c in table.columns), None)
    counts = (table[count_column].astype(float) if count_column
              else pd.Series(np.ones(len(table)), index=table.index))
    keep = forecast.notna() & observed.notna() & (counts > 0)
    with chart_context():
        ax = _new_axes(ax, (4.4, 4.2))
        ax.plot([0, 1], [0, 1], color="#8c959f", linestyle="--", linewidth=1.0,
                label=text("perfect_calibration", lang))
        sizes = 20 + 220 * counts[keep] / max(float(counts[keep].max()), 1.0) if keep.any() else 20
        ax.plot(forecast[keep], observed[keep], color="#0969da", linewidth=1.2, zorder=2)
        if {"freq_lo_95", "freq_hi_95"} <= set(table.columns):
            lo, hi = table["freq_lo_95"].astype(float)[keep], table["freq_hi_95"].astype(float)[keep]
            ax.vlines(forecast[keep], lo, hi, color="#0969da", alpha=0.35, linewidth=2.5,
                      zorder=1, label=text("frequency_interval", lang))
        ax.scatter(forecast[keep], observed[keep], s=sizes, color="#0969da", alpha=0.8,
                   edgecolors="white", zorder=3)
        if count_column:
            for x, y, n in zip(forecast[keep], observed[keep], counts[keep], strict=True):
                ax.annotate(f"n={int(n)}", (x, y), textcoords="offset points", xytext=(5, -10),
                            fontsize=7, color="#57606a")
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(0.0, 1.0)
        ax.set_aspect("equal")
        ax.set_xlabel(text("forecast_probability", lang), fontsize=9)
        ax.set_ylabel(text("observed_frequency", lang), fontsize=9)
        ax.grid(True, **_GRID)
        ax.legend(fontsize=8, frameon=False, loc="upper left")
        ax.set_title(text("reliability_title", lang), loc="left", fontsize=11)
    return _finish(ax)
