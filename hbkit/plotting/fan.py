"""Charts of one target over the years: fan charts, and the unit counts of a count-minimum target.

:func:`fan_chart` draws the history, the projected median and its 80/95%
bands, the target value and the target year; :func:`draw_target` chooses
what one (target, area) shows: its fan chart (:func:`draw_series_view`) or,
for a ``count_minimum`` target, the counts of its units by year
(:func:`unit_counts`, :func:`draw_unit_counts`). A chart with nothing to
draw says why, in words. Titles are wrapped to the width of the Axes in the
chart font (:mod:`hbkit.plotting.text_layout`).

Examples
--------
A fan chart of a series view (an :class:`hbkit.Assessment` gives them with
``assessment.series(target_id)``):

>>> from types import SimpleNamespace
>>> import matplotlib.pyplot as plt
>>> view = SimpleNamespace(
...     name_zh="婴儿死亡率", name_en="Infant mortality rate", unit="per_1000",
...     status="on_track", status_zh="有望实现", probability=0.9,
...     history_years=[2019, 2020, 2021], history_values=[4.1, 3.9, 3.6],
...     future_years=[2022, 2023], median=[3.5, 3.4],
...     intervals={80: ([3.1, 2.9], [3.9, 3.9])}, target_value=5.0, target_year=2023)
>>> figure, ax = plt.subplots()
>>> ax = draw_series_view(view, lang="en", ax=ax)
>>> [line.get_gid() for line in ax.lines if line.get_gid()]
['hbkit-target-line', 'hbkit-target-year']
>>> plt.close(figure)
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hbkit._options import check_choice
from hbkit.fonts import chart_context
from hbkit.plotting.axes import GRID_STYLE, finish_axes, in_chart_font, new_axes
from hbkit.plotting.text_layout import balanced_lines, text_width
from hbkit.report.formatting import format_probability, format_value, is_missing, unit_suffix
from hbkit.report.wording import STATUS_COLOURS, readable_colour, status_words, text

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

#: gid of the horizontal target line in a fan chart (tests and styling find it by this)
TARGET_LINE_GID = "hbkit-target-line"
#: gid of the vertical target-year line in a fan chart
TARGET_YEAR_GID = "hbkit-target-year"
#: gid of the pre-baseline trend of a ``trend_slowdown`` target (上升趋势得到有效控制)
TREND_LINE_GID = "hbkit-trend-before-baseline"

_HISTORY_COLOUR = "#24292f"


def _series_name(view: Any, lang: str) -> str:
    zh, en = getattr(view, "name_zh", ""), getattr(view, "name_en", "")
    return (zh or en) if lang == "zh" else (en or zh)


def _array(values: Any) -> np.ndarray:
    """A float array; ``None`` gives an empty one."""
    return np.array([], dtype=float) if values is None else np.asarray(values, dtype=float)


def _as_float(value: Any) -> float:
    return math.nan if is_missing(value) else float(value)



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
        ax = new_axes(ax, (5.0, 3.8 if legend else 3.2))  # room for the legend below
        draw_target(assessment, target_id, geo, lang=lang, ax=ax, legend=legend)
    return finish_axes(ax)


@in_chart_font
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
    row = _row(assessment, target_id, view.geo)
    outcome = _outcome(row, bool(target.each_unit), lang)
    if target.kind == "count_minimum":
        counts = unit_counts(assessment, target_id, view.geo)
        if counts.notna().any(axis=None):
            return draw_unit_counts(view, counts, strict=bool(target.strict), lang=lang, ax=ax,
                                    legend=legend, outcome=outcome)
    return draw_series_view(view, lang=lang, ax=ax, legend=legend, outcome=outcome,
                            worst_unit=bool(target.each_unit),
                            note=_reason(row, lang), rule_line=rule_path(target, view, lang),
                            slipping=_slipping(assessment, row),
                            target_label=_target_label(assessment, target, view, lang))


def _target_label(assessment: Any, target: Any, view: Any, lang: str) -> str | None:
    """The target line's words when the target is not the number the plan states: 高于2020年
    （84.1年） for a 逐步提高 target drawn at its 2020 value (:mod:`hbkit.report.target_text`);
    ``None`` (the number alone) for a stated bound."""
    from hbkit.report.tables import indicator_names
    from hbkit.report.target_text import STATED_KINDS, target_text

    if target.kind in STATED_KINDS or target.kind == "qualitative":
        return None
    names = indicator_names(assessment.catalogue)
    return target_text(target, getattr(view, "target_value", None), lang,
                       names.get(str(target.reference_indicator)))


def _slipping(assessment: Any, row: dict[Hashable, Any] | None) -> str | None:
    """For a target achieved early whose probability of still meeting it in the target year
    is low (its row warns 预计达标困难): the status that probability gives (at risk, off
    track), which colours the projection; ``None`` otherwise."""
    from hbkit.status import status_from_probability

    if row is None or row.get("status") != "achieved":
        return None
    if "hard_to_reach" not in str(row.get("warnings") or "").split(";"):
        return None
    probability = _as_float(row.get("probability"))
    if math.isnan(probability):
        return None
    return str(status_from_probability([probability], assessment.rules)[0])


def rule_path(target: Any, view: Any, lang: str = "zh"
              ) -> tuple[np.ndarray, np.ndarray, str, str] | None:
    """The line a target's rule is judged against when it is not one level: years, values, label, gid.

    ``annual_change`` (每年降低1个百分点以上): the path the rule asks from
    the baseline, baseline value -/+ threshold x (year - baseline year), up to
    the target year, where it reaches :func:`hbkit.attainment.target_value`
    (gid :data:`TARGET_LINE_GID`). ``trend_slowdown`` (上升趋势得到有效控制):
    the OLS line of the years up to the baseline year, extended to the target
    year, whose slope the years after the baseline must beat (gid
    :data:`TREND_LINE_GID`). ``None`` for other kinds, or without the values
    needed (no baseline value; fewer than two years up to the baseline).

    Parameters
    ----------
    target
        The catalogue :class:`~hbkit.catalogue.models.Target`.
    view
        Its :class:`SeriesView` (the history).
    lang
        ``"zh"`` or ``"en"``: the language of the label.

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray, str, str) or None
        Years, values, legend label and gid of the line.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> t = SimpleNamespace(kind="annual_change", threshold=1.0, direction="decrease",
    ...                     baseline_year=2020, target_year=2023, unit="percent")
    >>> v = SimpleNamespace(history_years=[2019, 2020, 2021], history_values=[51.0, 50.0, 49.5])
    >>> years, values, label, gid = rule_path(t, v, "en")
    >>> years.tolist(), values.tolist(), label
    ([2020.0, 2021.0, 2022.0, 2023.0], [50.0, 49.0, 48.0, 47.0], 'Target path: down 1 point a year')
    """
    kind = getattr(target, "kind", None)
    base_year = getattr(target, "baseline_year", None)
    if kind not in ("annual_change", "trend_slowdown") or base_year is None:
        return None
    years, values = _array(view.history_years), _array(view.history_values)
    seen = ~np.isnan(values)
    years, values = years[seen], values[seen]
    end = float(target.target_year)
    if kind == "annual_change":
        at_base = values[years == float(base_year)]
        if not at_base.size or is_missing(target.threshold):
            return None
        step = float(target.threshold) * (-1.0 if target.direction == "decrease" else 1.0)
        path_years = np.arange(float(base_year), end + 1.0)
        path = at_base[0] + step * (path_years - float(base_year))
        amount = (f"{abs(step):g}个百分点" if lang == "zh" else f"{abs(step):g} point") \
            if target.unit in ("percent", "percentage_points") \
            else format_value(abs(step), target.unit, lang)
        way = text("path_down" if step < 0 else "path_up", lang, amount=amount)
        return path_years, path, f"{text('target_path', lang)}{way}", TARGET_LINE_GID
    before = years <= float(base_year)
    if before.sum() < 2:
        return None
    slope, intercept = np.polyfit(years[before], values[before], 1)
    trend_years = np.array([years[before][0], end])
    return trend_years, intercept + slope * trend_years, text("trend_before", lang), TREND_LINE_GID


def _row(assessment: Any, target_id: str, geo: str) -> dict[Hashable, Any] | None:
    """The assessment's row of (target, area) as a dict (``None`` when it has none)."""
    frame = assessment.frame
    rows = frame[(frame["target_id"] == target_id) & (frame["geo"] == geo)]
    return None if rows.empty else rows.iloc[0].to_dict()


def _reason(row: dict[Hashable, Any] | None, lang: str) -> str | None:
    """The row's reason in ``lang`` (``reason_zh`` / ``reason_en``); ``None`` when it has none.

    >>> _reason({"reason": "无数据 / no data", "reason_zh": "无数据", "reason_en": "no data"}, "en")
    'no data'
    >>> _reason({"reason_zh": None, "reason_en": None}, "zh") is None
    True
    """
    from hbkit.report.tables import reason_text

    words = "" if row is None else reason_text(row, lang)
    return words or None


def _outcome(row: dict[Hashable, Any] | None, worst_unit: bool, lang: str) -> str | None:
    """What a target decided by its observed target-year value shows instead of a probability.

    The observed value and its year (the worst unit's for a target judged in
    each unit, as the report's cards say) and whether it meets the plan's rule
    (满足判定规则 / 不满足判定规则); ``None`` for a row not decided so
    (:func:`hbkit.report.tables.is_decided`), whose probability is a forecast.

    >>> row = {"status": "achieved", "latest_year": 2025, "target_year": 2025,
    ...        "latest_value": 70.32, "unit": "percent"}
    >>> _outcome(row, False, "zh"), _outcome({**row, "status": "off_track"}, True, "en")
    ('70.3%（2025），满足判定规则', '70.3% (2025, worst unit), rule not met')
    >>> _outcome({**row, "latest_year": 2023}, False, "zh") is None
    True
    """
    from hbkit.report.tables import is_decided

    if row is None or not is_decided(row):
        return None
    value = format_value(row.get("latest_value"), row.get("unit"), lang)
    year = int(row["latest_year"])
    met = text("rule_met" if row.get("status") == "achieved" else "rule_not_met", lang)
    if lang == "zh":
        return f"{value}（{year}{'，最差单位' if worst_unit else ''}），{met}"
    return f"{value} ({year}{', worst unit' if worst_unit else ''}), {met}"


@in_chart_font
def draw_series_view(view: Any, *, lang: str, ax: Axes, legend: bool = True,
                     note: str | None = None, outcome: str | None = None,
                     worst_unit: bool = False,
                     rule_line: tuple[Any, Any, str, str] | None = None,
                     slipping: str | None = None, target_label: str | None = None) -> Axes:
    """Draw a :class:`SeriesView` (what :func:`fan_chart` shows) on ``ax``.

    A view with neither history nor projection is drawn as its title, its
    status and ``note`` in words, with no axes, ticks or lines that would
    suggest a series. Without a note, a judged row (achieved ... off track)
    says that it was judged on its units' data (a ``count_minimum`` target
    over sub-units, whose counts :func:`draw_target` draws), any other
    "无可用数据 / no data to show". ``outcome`` (a target decided by its
    observed target-year value: the value and whether it meets the rule)
    follows the status words instead of the probability. ``worst_unit`` (a
    target judged in each unit, 以街为单位: the view follows the worst unit of
    each year) says so in the status line and the legend: 最差单位.
    ``rule_line`` (years, values, label, gid; :func:`rule_path`) is drawn
    dashed: the required path of an ``annual_change`` target instead of a
    flat target line, the pre-baseline trend of a ``trend_slowdown`` one.
    ``slipping`` (a target achieved early that will more likely than not be
    missed in the target year: the status its probability gives) colours the
    projection and the status line, which adds 预计达标困难 (hard to reach):
    提前实现 in green beside a band below the target would read as a contradiction.
    ``target_label`` words the target line in the legend (高于2020年（84.1年）: a
    direction target drawn at its base-year value); without it the line is the number.
    """
    status = str(getattr(view, "status", "") or "")
    colour = STATUS_COLOURS.get(slipping or status, STATUS_COLOURS["insufficient_data"])
    unit = getattr(view, "unit", None)
    years, values = _array(view.history_years), _array(view.history_values)
    seen = ~np.isnan(values)
    future, median = _array(view.future_years), _array(view.median)
    projected = bool(future.size and median.size == future.size and not np.isnan(median).all())
    if not seen.any() and not projected:
        _say_nothing_to_draw(ax, view, lang, status, colour, note, outcome)
        return ax
    basis = text("worst_unit_note", lang) if worst_unit else ""
    if seen.any():
        ax.plot(years[seen], values[seen], color=_HISTORY_COLOUR, marker="o", markersize=3.5,
                linewidth=1.4, label=text("history", lang) + basis, zorder=4)
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
                color=colour, linestyle="--", linewidth=1.6,
                label=text("median_worst_unit" if worst_unit else "median", lang),
                zorder=3)
    if rule_line is None:
        _target_lines(ax, view, lang, label=target_label)
    else:
        line_years, line_values, label, gid = rule_line
        _target_lines(ax, view, lang, level=gid != TARGET_LINE_GID)
        ax.plot(line_years, line_values, color="#57606a", linestyle=(0, (4, 3)), linewidth=1.1,
                gid=gid, zorder=1, label=label)
    if slipping:
        from hbkit.report.wording import warning_label

        basis += ("，" if lang == "zh" else "; ") + warning_label("hard_to_reach", lang)
    _style_fan_axes(ax, view, lang, status, colour, unit, legend,
                    np.concatenate([years, future]), outcome, basis)
    return ax


def _target_lines(ax: Axes, view: Any, lang: str, level: bool = True,
                  label: str | None = None) -> float:
    """The target value (dashed, gid :data:`TARGET_LINE_GID`; not when ``level`` is false)
    and year (dotted); the value. ``label`` words the target (else its number)."""
    target_value = _as_float(getattr(view, "target_value", None))
    target_year = getattr(view, "target_year", None)
    if level and not math.isnan(target_value):
        unit = getattr(view, "unit", None)
        words = label or format_value(target_value, unit, lang)
        ax.axhline(target_value, color="#57606a", linestyle=(0, (4, 3)), linewidth=1.1,
                   gid=TARGET_LINE_GID, zorder=1, label=f"{text('target', lang)} {words}")
    if target_year is not None and not is_missing(target_year):
        ax.axvline(float(target_year), color="#8c959f", linestyle=":", linewidth=1.0,
                   gid=TARGET_YEAR_GID, zorder=1)
    return target_value


def _subtitle(view: Any, status: str, lang: str, outcome: str | None = None) -> str:
    """The status line of a chart: status words and the probability when there is one.

    A target decided by its observed target-year value gives its ``outcome``
    (the observed value and whether it meets the rule) instead: its
    probability of 1 or 0 is not a forecast.
    """
    status_zh = getattr(view, "status_zh", None)
    subtitle = status_words(status, None if is_missing(status_zh) else str(status_zh), lang)
    if outcome:
        return f"{subtitle}  {outcome}"
    probability = getattr(view, "probability", None)
    if not is_missing(probability):
        shown = format_probability(probability)
        # "P < 0.01" spaced like "P = 0.42" (format_probability gives "<0.01")
        subtitle += f"  P {shown[0]} {shown[1:]}" if shown[0] in "<>" else f"  P = {shown}"
    return subtitle


def _say_nothing_to_draw(ax: Axes, view: Any, lang: str, status: str, colour: str,
                         note: str | None, outcome: str | None = None) -> None:
    """Title, status and, in words, why there is no series: no axes, ticks or lines."""
    _set_titles(ax, _series_name(view, lang), _subtitle(view, status, lang, outcome), colour)
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


@in_chart_font
def draw_unit_counts(view: Any, counts: pd.DataFrame, *, strict: bool = False, lang: str,
                     ax: Axes, legend: bool = True, outcome: str | None = None) -> Axes:
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
    outcome
        For a target decided by its observed target-year value: the value and
        whether it meets the rule, said instead of the probability.

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
    _style_fan_axes(ax, view, lang, status, colour, unit, legend, years, outcome)
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
    into lines of even length
    (:func:`~hbkit.plotting.text_layout.balanced_lines`); its last line, which
    shares the baseline of the status line, ends left of the status, or, when
    the room there is too narrow, the status gets a line of its own. The status
    is in ``colour`` darkened to read on white (contrast 4.5:1,
    :func:`~hbkit.report.wording.readable_colour`).
    """
    width = ax.bbox.width / ax.figure.dpi * 72.0
    room = width - _TITLE_GAP - text_width(subtitle, _SUBTITLE_SIZE) if subtitle else width
    if room >= 0.4 * width:
        lines = balanced_lines(name, width, _TITLE_SIZE, last_width=room)
    else:
        lines = balanced_lines(name, width, _TITLE_SIZE) + [""]
    ax.set_title("\n".join(lines), loc="left", fontsize=_TITLE_SIZE)
    ax.set_title(subtitle, loc="right", fontsize=_SUBTITLE_SIZE, color=readable_colour(colour))


def _style_fan_axes(
    ax: Axes, view: Any, lang: str, status: str, colour: str, unit: Any, legend: bool,
    years: Any, outcome: str | None = None, basis: str = "",
) -> None:
    """Titles, unit label, ticks and grid of a chart of one target over ``years``; ``basis``
    (最差单位) follows a probability in the status line."""
    from matplotlib.ticker import MaxNLocator

    subtitle = _subtitle(view, status, lang, outcome)
    _set_titles(ax, _series_name(view, lang), subtitle if outcome else subtitle + basis, colour)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    _set_unit_label(ax, unit, lang)
    ax.tick_params(labelsize=8.5)
    ax.grid(True, axis="y", **GRID_STYLE)
    shown = [float(y) for y in _array(years) if not math.isnan(y)]
    target_year = getattr(view, "target_year", None)
    if target_year is not None and not is_missing(target_year):
        shown.append(float(target_year))
    if shown:
        ax.set_xlim(min(shown) - 0.4, max(shown) + 0.4)
    if legend and ax.get_legend_handles_labels()[0]:
        _legend_below(ax)
    if getattr(view, "unit", None) == "percent":
        _percent_limits(ax)


def _percent_limits(ax: Axes) -> None:
    """Y limits of a percentage: from 0 at the least, up to 100 unless the data go above.

    A bounded percentage (at most 100) is not given room above 100; one that
    may exceed it (a gross enrolment rate, ``bounded=False``) keeps its whole
    band and history in view: the cap is the highest value drawn when that is
    above 100. Likewise a signed percentage (a relative gap, ``signed=True``)
    that goes below 0 keeps what is drawn below 0 in view.
    """
    low, high = ax.get_ylim()
    drawn = ax.dataLim.y1 if np.isfinite(ax.dataLim.y1) else high
    cap = max(100.0, float(drawn)) + 0.02 * (high - low)
    lowest = ax.dataLim.y0 if np.isfinite(ax.dataLim.y0) else low
    ax.set_ylim(low if lowest < 0 else max(low, 0.0), min(high, cap))


#: room (points) between the bottom of the Axes and the top of a legend drawn below it,
#: clear of the year tick labels
LEGEND_GAP = 20.0


def _legend_below(ax: Axes) -> None:
    """The legend below the Axes, under the year ticks, in up to three columns.

    Drawn outside the Axes, it cannot cover the history, the band, the target
    line or a note printed in the Axes (a count chart's "all 10 units have at
    least 1"), whatever the data; a constrained-layout figure makes room for it.
    """
    from matplotlib.transforms import ScaledTranslation

    handles, labels = ax.get_legend_handles_labels()
    below = ax.transAxes + ScaledTranslation(0.0, -LEGEND_GAP / 72.0,
                                             ax.figure.dpi_scale_trans)
    ax.legend(handles, labels, fontsize=7.5, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, 0.0), bbox_transform=below, ncol=min(3, len(handles)),
              borderaxespad=0.0, columnspacing=1.2, handlelength=1.8)


#: English y-axis words of units printed after a number with no suffix ("3", not "3
#: units"), as Chinese prints 个 and 比值; ``none`` stays unlabelled
AXIS_UNIT_EN: dict[str, str] = {"count": "number", "persons": "persons", "ratio": "ratio"}


def _set_unit_label(ax: Axes, unit: Any, lang: str) -> None:
    """The unit beside the y axis; a Chinese word stands upright, one character a line.

    An English count or ratio, printed with no suffix, gets a word of its own
    (:data:`AXIS_UNIT_EN`); a unit ``none`` none. Money reads 元 (upright) or yuan.

    Turned on its side, "个" or "比值" reads as a symbol; upright it reads
    as Chinese set vertically. Symbols ("%", "‰", "/10万") turn as usual.
    """
    label = unit_suffix(unit, lang).strip()
    if not label and lang == "en" and not is_missing(unit):
        label = AXIS_UNIT_EN.get(str(unit), "")  # no suffix after an English number
    if label and all("\u4e00" <= character <= "\u9fff" for character in label):
        ax.set_ylabel("\n".join(label), fontsize=9, rotation=0, ha="right", va="center",
                      linespacing=1.0)
    else:
        ax.set_ylabel(label, fontsize=9)
