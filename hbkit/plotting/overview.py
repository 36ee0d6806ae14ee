"""Charts of every target of an assessment at once: the status dashboard and the probabilities.

:func:`status_dashboard` counts the targets of each plan·domain by status;
:func:`probability_chart` shows the probability of meeting each
quantitative target (:func:`probability_rows`), its name shortened to one
line (:func:`probability_label`).

Examples
--------
>>> probability_label("孕产妇死亡率", "（光复道街道）")
'孕产妇死亡率（光复道街道）'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hbkit._options import check_choice
from hbkit.fonts import chart_context
from hbkit.plotting.axes import GRID_STYLE, finish_axes, new_axes
from hbkit.plotting.text_layout import shorten_to_width, text_width, wrap_to_characters
from hbkit.report.formatting import is_missing
from hbkit.report.tables import group_labels, status_summary
from hbkit.report.wording import STATUS_COLOURS, heading_label, text

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


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
        ax = new_axes(ax, (7.2, 0.45 * n_rows + 1.6))
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
    return finish_axes(ax)


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
        ax = new_axes(ax, (7.2, 0.24 * max(n, 4) + 1.4))
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
        ax.grid(True, axis="x", **GRID_STYLE)
        _status_legend(ax, assessment, list(dict.fromkeys(rows["status"])), lang)
        ax.set_title(text("probabilities", lang), loc="left", fontsize=11, pad=24)
    return finish_axes(ax)


def _status_legend(ax: Axes, assessment: Any, statuses: Sequence[str], lang: str) -> None:
    """A one-line legend of the status colours, just above the Axes.

    Each status is worded like the report's headings (:func:`heading_label`):
    提前实现 when every achieved row reads so, 未实现 at the final evaluation.
    """
    from matplotlib.lines import Line2D

    present = [s for s in STATUS_COLOURS if s in set(statuses)]
    handles = [Line2D([], [], marker="o", linestyle="", color=STATUS_COLOURS[s],
                      label=heading_label(assessment, s, lang)) for s in present]
    if handles:
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(handles),
                  frameon=False, fontsize=8, handletextpad=0.2, columnspacing=1.0,
                  borderaxespad=0.2)
