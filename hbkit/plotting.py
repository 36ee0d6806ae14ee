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

import functools
import math
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hbkit._options import check_choice
from hbkit.fonts import apply_font, chart_context, font_families
from hbkit.report.formatting import format_probability, format_value, is_missing, unit_suffix
from hbkit.report.tables import group_labels, status_summary
from hbkit.report.wording import STATUS_COLOURS, status_label, status_words, text

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


def _wrap(label: str, width: int) -> str:
    """Wrap a label: Chinese anywhere, English only between words."""
    if not label:
        return label
    words = " " in label or label.isascii()
    return "\n".join(textwrap.wrap(label, width=width, break_long_words=not words))


# ------------------------------------------------------------------ measured text

#: punctuation kept with the piece before it (never starts a line)
_CLOSING = frozenset("，。、；：！？）》」』”’%,.;:!?)")
#: punctuation kept with the piece after it (never ends a line)
_OPENING = frozenset("（《「『“‘(")
#: a run of Latin letters and digits (an English word, "HIV", "15-49"), a space, or one character
_PIECE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-+/%'’]*|\s+|.")
#: the mark that ends a shortened label
ELLIPSIS = "…"
#: English words a shortened label does not end on ("… pregnant and…")
_DANGLING = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or",
                       "per", "the", "to", "with", "among", "under", "aged"})


@functools.lru_cache(maxsize=4096)
def _piece_width(piece: str, fontsize: float) -> float:
    """Width in points of ``piece`` in the chart fonts at ``fontsize`` (no renderer needed)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=font_families(), size=fontsize)
    width, _, _ = text_to_path.get_text_width_height_descent(piece, prop, ismath=False)
    return float(width)


def text_width(line: str, fontsize: float) -> float:
    """Width in points of one line of chart text at ``fontsize``.

    Measured with the fonts charts draw with (:func:`hbkit.fonts.font_families`),
    piece by piece, 2% added for kerning and hinting, so a line measured to fit
    does fit once drawn.

    Parameters
    ----------
    line
        One line of text (no newline).
    fontsize
        Font size in points.

    Returns
    -------
    float
        The width in points (1/72 inch).

    Examples
    --------
    >>> text_width("孕产妇死亡率", 10.0)
    61.2
    >>> text_width("", 10.0)
    0.0
    """
    return round(1.02 * sum(_piece_width(piece, fontsize) for piece in _pieces(line)), 2)


def _pieces(label: str) -> list[str]:
    """Pieces a line may break between: words and spaces (English), characters (Chinese).

    >>> _pieces("HIV母婴传播率（%）")
    ['HIV', '母', '婴', '传', '播', '率', '（%）']
    >>> _pieces("rate of HIV, women")
    ['rate', ' ', 'of', ' ', 'HIV,', ' ', 'women']
    """
    out: list[str] = []
    for piece in _PIECE.findall(label):
        if out and (piece in _CLOSING or out[-1][-1] in _OPENING):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def wrap_to_width(label: str, width: float, fontsize: float) -> list[str]:
    """Lines of ``label``, each at most ``width`` points wide at ``fontsize``.

    English breaks between words, Chinese between characters (punctuation
    stays with its neighbour). A single word wider than ``width`` keeps a
    line of its own.

    Parameters
    ----------
    label
        The text; its newlines are kept as line breaks.
    width
        Width in points each line must fit in.
    fontsize
        Font size in points.

    Returns
    -------
    list of str
        The lines (none for an empty label).

    Examples
    --------
    >>> wrap_to_width("Mother-to-child transmission rate of HIV", 110, 10)
    ['Mother-to-child', 'transmission rate of', 'HIV']
    >>> wrap_to_width("社区卫生服务中心提供儿童基本医疗服务的全科医生数", 130, 10)
    ['社区卫生服务中心提供儿童', '基本医疗服务的全科医生数']
    """
    lines: list[str] = []
    for paragraph in label.split("\n"):
        current: list[str] = []
        for piece in _pieces(paragraph):
            if not current and piece.isspace():
                continue
            if current and text_width("".join(current + [piece]).rstrip(), fontsize) > width:
                lines.append("".join(current).rstrip())
                current = [] if piece.isspace() else [piece]
            else:
                current.append(piece)
        if current:
            lines.append("".join(current).rstrip())
    return lines


def balanced_lines(label: str, width: float, fontsize: float,
                   last_width: float | None = None) -> list[str]:
    """``label`` in as few lines as fit in ``width`` points, the lines as even as can be.

    Greedy wrapping leaves a last line of one word or one character
    ("…的全科医生" / "数"); this finds the narrowest width that keeps the
    fewest lines, so the words spread evenly over them.

    Parameters
    ----------
    label
        The text.
    width
        Width in points every line must fit in.
    fontsize
        Font size in points.
    last_width
        Narrower width for the last line (it shares its baseline with
        something drawn to its right); default ``width``.

    Returns
    -------
    list of str
        The lines.

    Examples
    --------
    >>> balanced_lines("社区卫生服务中心提供儿童基本医疗服务的全科医生数", 250, 10.5)
    ['社区卫生服务中心提供儿童', '基本医疗服务的全科医生数']
    >>> balanced_lines("Mother-to-child transmission rate of HIV", 280, 10.5, last_width=160)
    ['Mother-to-child', 'transmission rate of HIV']
    """
    last = width if last_width is None else min(width, last_width)

    def lay_out(line_width: float) -> list[str]:
        lines = wrap_to_width(label, line_width, fontsize)
        if lines and text_width(lines[-1], fontsize) > min(line_width, last):
            lines[-1:] = wrap_to_width(lines[-1], min(line_width, last), fontsize)
        return lines

    best = lay_out(width)
    if len(best) < 2:
        return best
    low, high = 0.0, width  # high keeps the fewest lines, low does not
    for _ in range(14):
        middle = (low + high) / 2
        if len(lay_out(middle)) <= len(best):
            high = middle
        else:
            low = middle
    return lay_out(high)


def shorten_to_width(label: str, width: float, fontsize: float) -> str:
    """``label`` on one line of at most ``width`` points, cut with "…" when it is wider.

    The cut falls between words (English) or characters (Chinese), and a
    shortened English label does not end on a dangling "and", "of" or comma.

    Parameters
    ----------
    label
        The text.
    width
        Width in points the line must fit in, ellipsis included.
    fontsize
        Font size in points.

    Returns
    -------
    str
        ``label`` itself when it fits, else its longest head that fits followed by ``…``.

    Examples
    --------
    >>> shorten_to_width("Prevalence of anaemia among pregnant and lactating women", 200, 10)
    'Prevalence of anaemia among pregnant…'
    >>> shorten_to_width("孕产妇死亡率", 180, 10)
    '孕产妇死亡率'
    """
    label = " ".join(label.split())
    if text_width(label, fontsize) <= width:
        return label
    pieces = _pieces(label)
    while pieces:
        pieces.pop()
        while pieces and (pieces[-1].isspace() or pieces[-1].lower() in _DANGLING):
            pieces.pop()
        head = "".join(pieces).rstrip(",;:，、；：")
        if text_width(head + ELLIPSIS, fontsize) <= width:
            return head + ELLIPSIS
    return ELLIPSIS


def _series_name(view: Any, lang: str) -> str:
    zh, en = getattr(view, "name_zh", ""), getattr(view, "name_en", "")
    return (zh or en) if lang == "zh" else (en or zh)


def _array(values: Any) -> np.ndarray:
    """A float array; ``None`` gives an empty one."""
    return np.array([], dtype=float) if values is None else np.asarray(values, dtype=float)


def _as_float(value: Any) -> float:
    return math.nan if is_missing(value) else float(value)


# ----------------------------------------------------------------------------- fan chart


def fan_chart(
    assessment: Any,
    target_id: str,
    geo: str | None = None,
    lang: str = "zh",
    ax: Axes | None = None,
    legend: bool = True,
) -> Axes:
    """Fan chart of one target: history, projected median, 80/95% bands, target line and year.

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
    view = assessment.series(target_id, geo) if geo is not None else assessment.series(target_id)
    with chart_context():
        ax = _new_axes(ax, (5.0, 3.2))
        draw_series_view(view, lang=lang, ax=ax, legend=legend)
    return _finish(ax)


def draw_series_view(view: Any, *, lang: str, ax: Axes, legend: bool = True) -> Axes:
    """Draw a :class:`SeriesView` (what :func:`fan_chart` shows) on ``ax``."""
    status = str(getattr(view, "status", "") or "")
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS["insufficient_data"])
    unit = getattr(view, "unit", None)
    years, values = _array(view.history_years), _array(view.history_values)
    seen = ~np.isnan(values)
    if seen.any():
        ax.plot(years[seen], values[seen], color=_HISTORY_COLOUR, marker="o", markersize=3.5,
                linewidth=1.4, label=text("history", lang), zorder=4)
    future, median = _array(view.future_years), _array(view.median)
    if future.size and median.size == future.size and not np.isnan(median).all():
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
    target_value = _as_float(getattr(view, "target_value", None))
    target_year = getattr(view, "target_year", None)
    if not math.isnan(target_value):
        ax.axhline(target_value, color="#57606a", linestyle=(0, (4, 3)), linewidth=1.1,
                   gid=TARGET_LINE_GID, zorder=1,
                   label=f"{text('target', lang)} {format_value(target_value, unit, lang)}")
    if target_year is not None and not is_missing(target_year):
        ax.axvline(float(target_year), color="#8c959f", linestyle=":", linewidth=1.0,
                   gid=TARGET_YEAR_GID, zorder=1)
    if not seen.any() and (not median.size or np.isnan(median).all()):
        ax.text(0.5, 0.5, text("no_history", lang), transform=ax.transAxes, ha="center",
                va="center", color="#57606a")
    _style_fan_axes(ax, view, lang, status, colour, unit, legend)
    return ax


#: font sizes (points) of a fan chart's title and of its status line
_TITLE_SIZE, _SUBTITLE_SIZE = 10.5, 9.0
#: least room (points) between the title's last line and the status line
_TITLE_GAP = 10.0


def _set_titles(ax: Axes, name: str, subtitle: str, colour: str) -> None:
    """The name (left) and the status line (right) above the Axes, never overlapping.

    The name is wrapped to the width of the Axes, measured in the chart font,
    into lines of even length (:func:`balanced_lines`); its last line, which
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
    ax: Axes, view: Any, lang: str, status: str, colour: str, unit: Any, legend: bool
) -> None:
    from matplotlib.ticker import MaxNLocator

    target_year = getattr(view, "target_year", None)
    status_zh = getattr(view, "status_zh", None)
    subtitle = status_words(status, None if is_missing(status_zh) else str(status_zh), lang)
    probability = getattr(view, "probability", None)
    if not is_missing(probability):
        shown = format_probability(probability)
        subtitle += f"  P {shown}" if shown[0] in "<>" else f"  P = {shown}"
    _set_titles(ax, _series_name(view, lang), subtitle, colour)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.set_ylabel(unit_suffix(unit, lang).strip(), fontsize=9)
    ax.tick_params(labelsize=8.5)
    ax.grid(True, axis="y", **_GRID)
    years = [float(y) for y in np.concatenate([_array(view.history_years),
                                               _array(view.future_years)]) if not math.isnan(y)]
    if target_year is not None and not is_missing(target_year):
        years.append(float(target_year))
    if years:
        ax.set_xlim(min(years) - 0.4, max(years) + 0.4)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7.5, frameon=False, loc="best")
    if getattr(view, "unit", None) == "percent":
        low, high = ax.get_ylim()
        ax.set_ylim(max(low, 0.0), min(high, 100.0 + 0.02 * (high - low)))


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
        final = bool(getattr(assessment, "final", False))
        ax.set_xticks(range(n_cols), [_wrap(status_label(s, lang, final=final),
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
