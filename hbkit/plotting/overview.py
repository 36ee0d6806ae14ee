"""Charts of every target of an assessment at once: the status dashboard and the probabilities.

:func:`status_dashboard` counts the targets of each plan·domain by status;
:func:`probability_chart` shows the probability of meeting each
quantitative target (:func:`probability_rows`), its name wrapped to at most
two lines (:func:`probability_label`). The whole catalogue is about 130 rows:
``by="plan"`` splits it into one figure per plan, and a plan over
:data:`PANEL_MAX_ROWS` rows into figures of whole domains
(:func:`probability_panels`, each drawn by :func:`draw_probability_panel`).

Examples
--------
>>> probability_label("孕产妇死亡率", "（光复道街道）")
'孕产妇死亡率（光复道街道）'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import pandas as pd

from hbkit._options import check_choice, count_at_least, real_number
from hbkit.exceptions import HbkitError, HbkitValueError
from hbkit.fonts import chart_context
from hbkit.plotting.axes import GRID_STYLE, finish_axes, new_axes
from hbkit.plotting.text_layout import (
    ELLIPSIS,
    balanced_lines,
    shorten_to_width,
    text_width,
    wrap_to_characters,
    wrap_to_width,
)
from hbkit.report.formatting import is_missing
from hbkit.report.tables import group_labels, status_summary
from hbkit.report.wording import STATUS_COLOURS, domain_label, heading_label, plan_label, text

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


#: how a chart joins plan and domain in English: the chart font (a CJK one first) draws
#: " · " as a full-width dot ("Women ・ Health")
ENGLISH_SEPARATOR = " – "


def chart_label(label: str, lang: str) -> str:
    """``label`` as a chart prints it: in English, " · " becomes :data:`ENGLISH_SEPARATOR`.

    >>> chart_label("Women · Health", "en"), chart_label("妇女·健康", "zh")
    ('Women – Health', '妇女·健康')
    """
    return label.replace(" · ", ENGLISH_SEPARATOR) if lang == "en" else label


# ----------------------------------------------------------------------- status dashboard


def status_dashboard(assessment: Any, lang: str = "zh", ax: Axes | None = None,
                     geo: str | None = None) -> Axes:
    """Traffic-light dashboard: domains (rows) x statuses (columns) with the counts.

    Each non-empty cell is a disc in the status colour, its area growing with
    the count, the count printed on it. ``geo``: one area's rows (an area the
    assessment does not have is an error); every area together by default.
    """
    lang = check_choice("lang", lang, ("zh", "en"))
    counts = status_summary(assessment, lang, short=True, totals=False, geo=geo)
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
        ax.set_yticks(range(n_rows), [chart_label(str(r), lang) for r in counts.index],
                      fontsize=9)
        ax.set_xlim(-0.6, n_cols - 0.4)
        ax.set_ylim(n_rows - 0.5, -0.7)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        title = text("dashboard_title", lang)
        if geo is not None:
            title += f"（{geo}）" if lang == "zh" else f" ({geo})"
        ax.set_title(title, loc="left", fontsize=11, pad=28)
    return finish_axes(ax)


# -------------------------------------------------------------------- probability chart


def probability_rows(assessment: Any, lang: str = "zh") -> pd.DataFrame:
    """The rows :func:`probability_chart` draws: targets with a probability, or achieved.

    Sorted by plan·domain (catalogue order) then probability, descending;
    ``p`` is the probability, missing (NaN, last of its group) for an
    achieved target without one (e.g. a ``count_minimum`` target, whose
    table cell reads "–"); ``label`` the name (:func:`probability_label`),
    two different names never sharing one label (:func:`distinct_labels`).
    """
    frame = assessment.to_frame()
    rows = frame[frame["probability"].notna() | (frame["status"] == "achieved")].copy()
    rows["p"] = rows["probability"].astype(float)
    rows["group"] = group_labels(rows, lang, short=True)
    name_column = "name_zh" if lang == "zh" else "name_en"
    names = rows[name_column].where(rows[name_column].astype(str) != "", rows["target_id"])
    default_geo = getattr(getattr(assessment, "catalogue", None), "default_geo", None)
    geo_suffix = rows["geo"].map(
        lambda g: "" if g == default_geo or is_missing(g) else f"（{str(g).split('/')[-1]}）"
    )
    rows["label"] = distinct_labels(list(names.astype(str)), list(geo_suffix))
    order = {group: i for i, group in enumerate(dict.fromkeys(rows["group"]))}
    rows["group_order"] = rows["group"].map(order)
    return rows.sort_values(["group_order", "p"], ascending=[True, False], kind="stable")


#: font size (points) and longest width (points) of a line of a target's name in the
#: probability chart
PROBABILITY_LABEL_SIZE, PROBABILITY_LABEL_WIDTH = 7.5, 195.0
#: most lines of a target's name in the probability chart
PROBABILITY_LABEL_LINES = 2
#: height (inches) of a row of the probability chart: room for a name of two lines
PROBABILITY_ROW_HEIGHT = 0.3


def probability_label(name: str, suffix: str = "") -> str:
    """A target's name in at most two lines of the probability chart, shortened with "…".

    Parameters
    ----------
    name
        The target's name.
    suffix
        Kept whole after the name, e.g. the area ``"（光复道街道）"``.

    Returns
    -------
    str
        ``name + suffix`` in lines (joined by newlines) of at most
        :data:`PROBABILITY_LABEL_WIDTH` points, as even as can be, when it
        fits in :data:`PROBABILITY_LABEL_LINES` lines; else its first line
        whole and the rest cut between words (or characters) and ended with
        ``…``, then the suffix.

    Examples
    --------
    >>> probability_label("Prevalence of anaemia among pregnant and lactating women")
    'Prevalence of anaemia among\\npregnant and lactating women'
    >>> probability_label("孕产妇死亡率", "（光复道街道）")
    '孕产妇死亡率（光复道街道）'
    """
    name = " ".join(name.split())
    lines = balanced_lines(name + suffix, PROBABILITY_LABEL_WIDTH, PROBABILITY_LABEL_SIZE)
    if len(lines) <= PROBABILITY_LABEL_LINES:
        return "\n".join(lines)
    first = wrap_to_width(name, PROBABILITY_LABEL_WIDTH, PROBABILITY_LABEL_SIZE)[0]
    rest = name[len(first):].strip()
    room = PROBABILITY_LABEL_WIDTH - text_width(suffix, PROBABILITY_LABEL_SIZE)
    return f"{first}\n{shorten_to_width(rest, room, PROBABILITY_LABEL_SIZE)}{suffix}"


def _label_keeping_the_end(name: str, suffix: str = "") -> str:
    """Two lines: the head of ``name`` and, after "…", the longest end of it that fits.

    >>> _label_keeping_the_end("Female share of community residents' committee members "
    ...                        "appointed in every single one of the streets of the district")
    "Female share of community residents' committee\\n…in every single one of the streets of the district"
    """
    name = " ".join(name.split())
    first = wrap_to_width(name, PROBABILITY_LABEL_WIDTH, PROBABILITY_LABEL_SIZE)[0]
    room = PROBABILITY_LABEL_WIDTH - text_width(ELLIPSIS + suffix, PROBABILITY_LABEL_SIZE)
    words = name[len(first):].split()
    tail: list[str] = []
    while words and text_width(" ".join([words[-1], *tail]), PROBABILITY_LABEL_SIZE) <= room:
        tail.insert(0, words.pop())
    if not words:
        return f"{first}\n{' '.join(tail)}{suffix}"
    return f"{first}\n{ELLIPSIS}{' '.join(tail)}{suffix}"


def distinct_labels(names: Sequence[str], suffixes: Sequence[str]) -> list[str]:
    """:func:`probability_label` of each name, two different names never given one label.

    Names shortened to one label keep their ends instead, which is where
    such names differ ("… committee members" / "… committee directors").

    Parameters
    ----------
    names
        The targets' names.
    suffixes
        Kept whole after each name, e.g. the area ``"（光复道街道）"``.

    Returns
    -------
    list of str
        One label per name; equal only for equal names and suffixes.
    """
    labels = [probability_label(n, s) for n, s in zip(names, suffixes, strict=True)]
    owners: dict[str, set[tuple[str, str]]] = {}
    for label, name, suffix in zip(labels, names, suffixes, strict=True):
        owners.setdefault(label, set()).add((name, suffix))
    return [_label_keeping_the_end(n, s) if len(owners[label]) > 1 else label
            for label, n, s in zip(labels, names, suffixes, strict=True)]


#: gid of the words (无概率 / no probability) on a row drawn without a probability
NO_PROBABILITY_GID = "hbkit-no-probability"
#: most rows in one figure of the probability chart split ``by="plan"``
PANEL_MAX_ROWS = 40
#: longest line (points) of a probability chart's title; longer titles wrap
PROBABILITY_TITLE_WIDTH = 300.0


def probability_panels(
    assessment: Any,
    lang: str = "zh",
    by: Literal["plan", "domain"] = "plan",
    max_rows: int = PANEL_MAX_ROWS,
) -> list[tuple[str, pd.DataFrame]]:
    """The rows of :func:`probability_rows` split into figures, each with its title.

    Parameters
    ----------
    assessment
        An :class:`~hbkit.Assessment`.
    lang
        ``"zh"`` or ``"en"``: the language of the titles and labels.
    by
        ``"plan"``: one figure per plan (women, children), titled with the
        plan's name; a plan of more than ``max_rows`` rows is cut between
        domains into figures of at most ``max_rows`` rows (a larger domain
        alone), each titled with the plan and its domains. ``"domain"``: one
        figure per plan·domain.
    max_rows
        Most rows of a figure when ``by="plan"``.

    Returns
    -------
    list of (str, pandas.DataFrame)
        ``(title, rows)`` in catalogue order; every row of
        :func:`probability_rows` is in exactly one figure. Empty when no
        target has a probability.

    Examples
    --------
    >>> import hbkit
    >>> example = hbkit.datasets.load_example("hebei_example")
    >>> res = hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=2023)
    >>> panels = probability_panels(res, "zh")
    >>> [title for title, rows in panels][:2]
    ['妇女发展规划 · 健康', '妇女发展规划 · 教育、经济']
    >>> max(len(rows) for _, rows in panels) <= PANEL_MAX_ROWS
    True
    >>> sum(len(rows) for _, rows in panels) == len(probability_rows(res, "zh"))
    True
    >>> [title for title, _ in probability_panels(res, "en", max_rows=200)]
    ["Women's Development Plan", "Children's Development Plan"]
    """
    lang = check_choice("lang", lang, ("zh", "en"))
    by = check_choice("by", by, ("plan", "domain"))  # type: ignore[assignment]
    max_rows = count_at_least("max_rows", max_rows, 1)
    rows = probability_rows(assessment, lang)
    plans = rows["plan"].astype(object).where(rows["plan"].notna(), "")
    separator = "、" if lang == "zh" else ", "
    panels: list[tuple[str, pd.DataFrame]] = []
    for plan in dict.fromkeys(plans):
        mine = rows[(plans == plan).to_numpy()]
        plan_text = plan_label(str(plan) if plan else None, lang)
        if by == "plan" and len(mine) <= max_rows:
            panels.append((plan_text, mine))
            continue
        blocks = [(_domain_text(block, lang), block)
                  for _, block in mine.groupby("group_order", sort=True)]
        groups = (_split_evenly([len(b) for _, b in blocks], max_rows) if by == "plan"
                  else [[i] for i in range(len(blocks))])
        packed = [[blocks[i] for i in group] for group in groups]
        for group in packed:
            title = f"{plan_text} · {separator.join(name for name, _ in group)}"
            panels.append((title, pd.concat([b for _, b in group])))
    return panels


def _split_evenly(sizes: Sequence[int], limit: int) -> list[list[int]]:
    """Contiguous groups of blocks: the fewest of at most ``limit`` rows, as even as can be.

    A block larger than ``limit`` makes a group alone. Of the splits into
    the fewest groups, the one whose largest group is smallest.

    >>> _split_evenly([28, 8, 11, 22, 8, 1, 1], 40)
    [[0], [1, 2], [3, 4, 5, 6]]
    >>> _split_evenly([50, 3, 4], 40)
    [[0], [1, 2]]
    """
    m = len(sizes)
    if m == 0:
        return []
    limit = max(limit, *sizes)
    prefix = [0]
    for size in sizes:
        prefix.append(prefix[-1] + int(size))
    for k in range(1, m + 1):
        # best[(j, i)]: the smallest largest group of the first i blocks in j groups
        best: dict[tuple[int, int], int] = {(0, 0): 0}
        cut: dict[tuple[int, int], int] = {}
        for j in range(1, k + 1):
            for i in range(j, m + 1):
                best[(j, i)], cut[(j, i)] = min(
                    (max(best[(j - 1, h)], prefix[i] - prefix[h]), h)
                    for h in range(j - 1, i) if (j - 1, h) in best)
        if best[(k, m)] <= limit:
            groups: list[list[int]] = []
            end = m
            for j in range(k, 0, -1):
                start = cut[(j, end)]
                groups.append(list(range(start, end)))
                end = start
            return groups[::-1]
    raise AssertionError("unreachable: one block a group always fits")  # pragma: no cover


def _domain_text(rows: pd.DataFrame, lang: str) -> str:
    """The domain of rows of one plan·domain, in ``lang``."""
    first = rows.iloc[0]
    domain, domain_zh = first.get("domain"), first.get("domain_zh")
    return domain_label(None if is_missing(domain) else str(domain), lang,
                        "" if is_missing(domain_zh) else str(domain_zh))


@overload
def probability_chart(
    assessment: Any,
    lang: str = ...,
    ax: Axes | None = ...,
    thresholds: Sequence[float] = ...,
    *,
    by: None = ...,
    max_rows: int = ...,
) -> Axes: ...


@overload
def probability_chart(
    assessment: Any,
    lang: str = ...,
    ax: Sequence[Axes] | None = ...,
    thresholds: Sequence[float] = ...,
    *,
    by: Literal["plan", "domain"],
    max_rows: int = ...,
) -> list[Axes]: ...


def probability_chart(
    assessment: Any,
    lang: str = "zh",
    ax: Axes | Sequence[Axes] | None = None,
    thresholds: Sequence[float] = (0.5, 0.8),
    *,
    by: Literal["plan", "domain"] | None = None,
    max_rows: int = PANEL_MAX_ROWS,
) -> Axes | list[Axes]:
    """Probability of meeting every quantitative target, in one view or one per plan.

    One row per target (and area), grouped by plan and domain, a dot coloured
    by status; vertical lines mark the status thresholds (0.5 and 0.8 by
    default). An achieved target without a probability (e.g. a
    ``count_minimum`` target) has no dot: its row says 无概率 / no
    probability. Other targets without a probability (no data, insufficient
    data, qualitative) are left out. A name is wrapped to two lines, a longer
    one shortened with "…" (:func:`probability_label`).

    Parameters
    ----------
    assessment
        An :class:`~hbkit.Assessment`.
    lang
        ``"zh"`` or ``"en"``.
    ax
        With ``by=None``, the Axes to draw on (a new figure when ``None``).
        With ``by``, ``None`` (a new figure per panel) or one Axes per panel
        of :func:`probability_panels`.
    thresholds
        Probabilities marked by dotted vertical lines.
    by
        ``None``: every row in one chart (about 130 rows for the whole
        catalogue). ``"plan"`` or ``"domain"``: one chart per panel of
        :func:`probability_panels`, titled with its plan (and domains).
    max_rows
        Most rows of a panel with ``by="plan"``.

    Returns
    -------
    matplotlib.axes.Axes or list of matplotlib.axes.Axes
        The Axes drawn on; a list, one per panel, when ``by`` is given.

    Examples
    --------
    >>> import hbkit
    >>> example = hbkit.datasets.load_example("hebei_example")
    >>> res = hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=2023)
    >>> axes = probability_chart(res, by="plan")
    >>> [ax.get_title(loc="left") for ax in axes][-1]
    '儿童发展规划 · 安全、教育、福利、家庭、环境、法律'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    lang = check_choice("lang", lang, ("zh", "en"))
    if by is None:
        if ax is not None and not hasattr(ax, "figure"):
            raise HbkitError("by 为 None 时 ax 须为一个 Axes（子图）；要分几张图画，请给 by='plan' / "
                             "ax must be one Axes when by is None; pass by='plan' to draw panels")
        rows = probability_rows(assessment, lang)
        return draw_probability_panel(assessment, rows, lang=lang, ax=ax,  # type: ignore[arg-type]
                                      thresholds=thresholds)
    panels = probability_panels(assessment, lang, by, max_rows)
    if ax is None:
        given: list[Axes | None] = [None] * len(panels)
    elif hasattr(ax, "figure") or len(ax) != len(panels):  # type: ignore[arg-type]
        raise HbkitError(f"by={by!r} 要画 {len(panels)} 张图：ax 须为 None 或 {len(panels)} 个 Axes "
                         f"的序列 / by={by!r} draws {len(panels)} panels: pass ax=None or a "
                         f"sequence of {len(panels)} Axes")
    else:
        given = list(ax)  # type: ignore[arg-type]
    return [draw_probability_panel(assessment, rows, lang=lang, ax=one, thresholds=thresholds,
                                   title=title)
            for (title, rows), one in zip(panels, given, strict=True)]


def threshold_lines(thresholds: Any) -> tuple[float, ...]:
    """The probabilities a chart marks with lines: one number or several, each in [0, 1]
    (``"0.8"`` is 0.8, as :func:`~hbkit._options.real_number` reads it); else an error
    naming ``thresholds`` and the value (a text was drawn as a category, letter by letter).

    >>> threshold_lines((0.5, "0.8")), threshold_lines(0.9)
    ((0.5, 0.8), (0.9,))
    >>> threshold_lines((0.5, 80))
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitValueError: thresholds 为概率，须在 0 与 1 之间；收到 80 / thresholds are probabilities in [0, 1]; received 80
    """
    one = isinstance(thresholds, int | float | str | np.number) or not isinstance(thresholds, Iterable)
    given = (thresholds,) if one else tuple(thresholds)
    for value in given:
        if not 0 <= real_number("thresholds", value) <= 1:
            raise HbkitValueError(f"thresholds 为概率，须在 0 与 1 之间；收到 {value!r} / thresholds "
                                  f"are probabilities in [0, 1]; received {value!r}")
    return tuple(real_number("thresholds", value) for value in given)


def draw_probability_panel(
    assessment: Any,
    rows: pd.DataFrame,
    *,
    lang: str = "zh",
    ax: Axes | None = None,
    thresholds: Sequence[float] = (0.5, 0.8),
    title: str | None = None,
) -> Axes:
    """Draw some rows of :func:`probability_rows` (e.g. a panel of :func:`probability_panels`).

    Parameters
    ----------
    assessment
        The assessment the rows come from (for the legend's wording).
    rows
        Rows of :func:`probability_rows` in ``lang``, in the order drawn (top first).
    lang
        ``"zh"`` or ``"en"``.
    ax
        The Axes to draw on; a new figure, :data:`PROBABILITY_ROW_HEIGHT` inch a row,
        when ``None``.
    thresholds
        Probabilities marked by dotted vertical lines.
    title
        The chart's title; the section's (各目标实现概率 / Probability of
        meeting each target) when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Examples
    --------
    >>> import hbkit
    >>> example = hbkit.datasets.load_example("hebei_example")
    >>> res = hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=2023)
    >>> title, rows = probability_panels(res, "en")[0]
    >>> ax = draw_probability_panel(res, rows, lang="en", title=title)
    >>> ax.get_title(loc="left"), len(ax.get_yticks()) == len(rows)
    ("Women's Development Plan – Health", True)
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    lang = check_choice("lang", lang, ("zh", "en"))
    thresholds = threshold_lines(thresholds)
    n = len(rows)
    with chart_context():
        ax = new_axes(ax, (7.2, PROBABILITY_ROW_HEIGHT * max(n, 4) + 1.4))
        positions = np.arange(n)
        colours = [STATUS_COLOURS.get(s, STATUS_COLOURS["insufficient_data"])
                   for s in rows["status"]]
        p = rows["p"].to_numpy(dtype=float)
        known = ~np.isnan(p)
        ax.hlines(positions[known], 0, p[known], color="#d0d7de", linewidth=1.0, zorder=1)
        ax.scatter(p[known], positions[known], c=[c for c, k in zip(colours, known, strict=True)
                                                  if k],
                   s=36, zorder=3, edgecolors="white", linewidths=0.5)
        for position in positions[~known]:  # achieved, with no probability: no dot, in words
            ax.text(0.0, float(position), text("no_probability", lang), fontsize=7,
                    color=colours[position], va="center", ha="left", style="italic",
                    gid=NO_PROBABILITY_GID, zorder=3)
        for threshold in thresholds:
            ax.axvline(threshold, color="#8c959f", linestyle=":", linewidth=1.0, zorder=0)
        previous = None
        for position, group in zip(positions, rows["group"], strict=True):
            if group != previous and previous is not None:
                ax.axhline(position - 0.5, color="#afb8c1", linewidth=0.6)
            if group != previous:
                ax.text(1.01, float(position), chart_label(group, lang),
                        transform=ax.get_yaxis_transform(), fontsize=7.5, color="#57606a",
                        va="center")
            previous = group
        ax.set_yticks(positions, list(rows["label"]), fontsize=PROBABILITY_LABEL_SIZE,
                      linespacing=1.05)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(-0.02, 1.03)
        ax.set_xlabel(text("probability_axis", lang), fontsize=9)
        ax.tick_params(axis="x", labelsize=8.5)
        ax.grid(True, axis="x", **GRID_STYLE)
        _status_legend(ax, assessment, list(dict.fromkeys(rows["status"])), lang)
        heading = chart_label(text("probabilities", lang) if title is None else title, lang)
        ax.set_title("\n".join(wrap_to_width(heading, PROBABILITY_TITLE_WIDTH, 11)), loc="left",
                     fontsize=11, pad=24)
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
