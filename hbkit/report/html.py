"""The annual monitoring report (年度监测报告) as one self-contained HTML file.

One file, no network: the style sheet is inline, every chart is a base64 PNG,
fonts are the reader's own (Noto Sans SC, PingFang, Microsoft YaHei, ...).
Every piece of text from the data or the catalogue is HTML-escaped. On a phone
the wide tables scroll sideways in their own box; a status is always written
out, its word on its colour at WCAG 4.5:1 or more. The page prints well on A4
(``@media print``: no cut cards, rows or charts, table headers repeated, status
labels white with a coloured border), and its tables are ``<table>`` with
``<th>`` headers, which paste into Word.

Order of the report: title, the year and the data's latest year, the
simulated-data banner when the data are simulated (and a line pointing to the
data warnings when there are some), the overview (counts by status, what the
statuses mean, the dashboard, the summary by domain), the data warnings
(数据提醒: rows of the data used as they are that look wrong; only when there
are some), the warning list (预警清单, opening with the warned targets counted by
status and, in the annual report, which need action first), the notes on the data (数据说明: at
the final evaluation, a fluctuation on a target achieved on its observed value; only
when there are some), the probabilities of all targets, every
target by plan and domain with its numbers beside its fan chart, and the
methods note.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, overload

import numpy as np
import pandas as pd

from hbkit._options import check_choice
from hbkit.report import data_warnings, tables, titles
from hbkit.report.formatting import DASH, interval_with_unit, is_missing
from hbkit.report.output import Destination, deliver_text
from hbkit.report.wording import (
    STATUS_COLOURS,
    STATUS_TINTS,
    contrast_ratio,
    heading_label,
    text,
)

Progress = Callable[[str], None]

_CSS = """
:root { --ink:#1f2328; --muted:#57606a; --line:#d0d7de; --soft:#f6f8fa; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans SC","Noto Sans CJK SC","Source Han Sans SC","PingFang SC",
  "Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; line-height: 1.55;
  font-size: 14px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; margin: 34px 0 14px; }
h3 { font-size: 16px; margin: 26px 0 10px; color: #0b3d91; }
.meta { color: var(--muted); margin: 0 0 14px; }
.banner { background: #fff4e5; border: 2px solid #f0a500; color: #7a4100; padding: 10px 14px;
  border-radius: 6px; font-weight: 600; margin: 12px 0 18px; }
.datanote { background: #fff8e1; border-left: 4px solid #f0a500; padding: 6px 12px;
  margin: 8px 0 14px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0 14px; }
.card { border-radius: 6px; padding: 8px 14px; min-width: 108px; color: #fff; }
.card .n { font-size: 24px; font-weight: 700; display: block; line-height: 1.2; }
.card .w { font-size: 13px; }
.card.light { color: var(--ink); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.nowrap { white-space: nowrap; }
td.numbers { font-size: 11.5px; color: var(--muted); min-width: 11em; }
td.wide { min-width: 14em; }
table.warnings td:first-child { min-width: 8em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
.badge { display: inline-block; border-radius: 10px; padding: 0 9px; font-size: 12.5px;
  color: #fff; white-space: nowrap; }
.badge.light { color: var(--ink); }
.target { border: 1px solid var(--line); border-radius: 8px; margin: 12px 0; padding: 10px 12px;
  display: grid; grid-template-columns: minmax(0, 1fr) 460px; gap: 14px; }
.target.nochart { grid-template-columns: minmax(0, 1fr); }
.target h4 { margin: 0 0 4px; font-size: 15px; }
.target .id { color: var(--muted); font-size: 12px; font-weight: 400; }
.target .clause { background: var(--soft); border-left: 3px solid #0b3d91; padding: 4px 8px;
  margin: 4px 0 8px; }
.target table { font-size: 12.5px; }
.target table th { width: 34%; background: none; font-weight: 400; color: var(--muted); }
.target img { width: 100%; height: auto; }
.warn { color: #b35900; }
.reason { color: var(--muted); font-size: 12.5px; }
.chart { text-align: center; margin: 8px 0; }
.chart img { max-width: 100%; height: auto; }
.legend { color: var(--muted); font-size: 12.5px; }
.small { font-size: 12.5px; color: var(--muted); }
nav.toc { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px; margin: 8px 0; }
nav.toc p { margin: 4px 0; }
nav.toc a { color: #0b3d91; text-decoration: none; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line);
  padding-top: 8px; }
.status-meanings { font-size: 12.5px; color: var(--muted); }
.lead { font-weight: 600; }
@media (max-width: 900px) { .target { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 600px) {
  body { padding: 12px 10px 32px; }
  h1 { font-size: 21px; }
  td, th { overflow-wrap: anywhere; }
  .target { padding: 8px; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .target, .chart, tr, img, .cards { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  img { max-width: 100%; }
  .badge, .card { background: #fff !important; color: var(--ink) !important;
    border: 2px solid var(--status, var(--line)); }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  nav.toc { display: none; }
  table { font-size: 8.5pt; }
  th, td { padding: 2px 4px; }
  td.wide, td.numbers, table.warnings td:first-child { min-width: 0; }
  td.numbers { font-size: 7.5pt; }
  .scroll { overflow: visible; }
  .cards .card { padding: 4px 10px; min-width: 90px; }
  .target { grid-template-columns: minmax(0, 1fr) 55%; }
  @page { size: A4; margin: 14mm 12mm; }
}
"""

#: statuses whose colour takes dark text: white on it would read below WCAG's 4.5:1
#: (有望实现's green and 数据不足's grey as well as the light ones)
_LIGHT = frozenset(status for status, colour in STATUS_COLOURS.items()
                   if contrast_ratio(colour) < 4.5)
#: table columns kept on one line
_NOWRAP = {"geo", "unit_name"}
#: table columns of running text, given room
_WIDE = {"explanation", "note_text"}
#: statuses that get no fan chart
_NO_CHART = {"not_quantifiable", "no_data"}


def esc(value: Any) -> str:
    """HTML-escaped text; missing values print as an en dash.

    >>> esc("<b>&") , esc(None)
    ('&lt;b&gt;&amp;', '–')
    """
    return DASH if is_missing(value) else html.escape(str(value), quote=True)


def _badge(status: str, words: str) -> str:
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS["insufficient_data"])
    light = " light" if status in _LIGHT else ""
    return (f'<span class="badge{light}" style="background:{colour};--status:{colour}">'
            f"{esc(words)}</span>")


def _table(frame: pd.DataFrame, columns: Iterable[str], lang: str,
           numeric: Iterable[str] = (), status_column: str | None = None,
           css_class: str = "") -> str:
    columns, numeric = list(columns), set(numeric)
    head = "".join(
        f'<th class="num">{esc(tables.header(c, lang))}</th>' if c in numeric
        else f"<th>{esc(tables.header(c, lang))}</th>" for c in columns
    )
    body = []
    for record in frame.to_dict("records"):
        cells = []
        for c in columns:
            if c == status_column:
                cells.append(f"<td>{_badge(str(record.get('status')), record[c])}</td>")
            elif c in numeric:
                cells.append(f'<td class="num">{esc(record.get(c))}</td>')
            elif c == "numbers":
                lines = str(record.get(c) or "").split(tables.NUMBERS_SEPARATOR)
                cells.append('<td class="numbers">' + "<br>".join(esc(x) for x in lines if x)
                             + "</td>")
            elif c in _WIDE:
                cells.append(f'<td class="wide">{esc(record.get(c))}</td>')
            elif c in _NOWRAP:
                cells.append(f'<td class="nowrap">{esc(record.get(c))}</td>')
            else:
                cells.append(f"<td>{esc(record.get(c))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    table_class = f' class="{css_class}"' if css_class else ""
    return (f'<div class="scroll"><table{table_class}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _header(assessment: Any, lang: str) -> str:
    from hbkit import __version__

    title = titles.report_title(assessment, lang)
    catalogue = getattr(assessment, "catalogue", None)
    name = getattr(catalogue, "name_zh" if lang == "zh" else "name_en", "") or ""
    levels = tables.levels_text(assessment)
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    year = "–" if assessment.as_of is None else assessment.as_of  # no data at all
    meta = [f"{tables.report_text(assessment, 'as_of', lang)}{colon}{year}"]
    last = tables.data_last_year(assessment)
    if last is not None:
        meta.append(f"{text('data_last_year', lang)}{colon}{last}")
    if name:
        meta.append(f"{text('catalogue', lang)}{colon}{name}")
    if not tables.is_final(assessment) or tables.has_projected_rows(assessment):
        meta.append(f"{text('levels', lang)}{colon}{levels}")  # no interval: no level
    meta.append(text("generated_by", lang, version=__version__))
    parts = [f"<h1>{esc(title)}</h1>",
             # the separators are text, not CSS: pasted into Word the items stay apart
             '<p class="meta">' + " · ".join(f"<span>{esc(m)}</span>" for m in meta) + "</p>"]
    if getattr(assessment, "simulated", False):
        parts.append(f'<div class="banner" role="alert">{esc(text("simulated_banner", lang))}'
                     "</div>")
    sources = list(getattr(assessment, "sources", []) or [])
    if sources:
        parts.append(f'<p class="small">{esc(text("sources", lang))}{colon}'
                     + sep.join(esc(s) for s in sources) + "</p>")
    n = len(data_warnings.data_warnings_of(assessment))
    if n:
        parts.append(f'<p class="datanote" role="note"><a href="#data-warnings">'
                     f'{esc(data_warnings.note(assessment, lang))}</a></p>')
    for notice in data_warnings.call_notices(assessment, lang):
        parts.append(f'<p class="datanote" role="note">{esc(notice)}</p>')
    return f"<header>{''.join(parts)}</header>"


def _data_warnings(assessment: Any, lang: str) -> str:
    """The 数据提醒 section: the rows used as they are that look wrong, grouped by rule
    (nothing when there are none)."""
    found = data_warnings.groups(assessment, lang)
    if not found:
        return ""
    items = "".join(f"<li><b>{esc(heading)}</b><ul>"
                    + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul></li>"
                    for heading, lines in found)
    return (f'<section id="data-warnings"><h2>{esc(data_warnings.title(assessment, lang))}</h2>'
            f'<p class="datanote">{esc(data_warnings.intro(assessment, lang))}</p>'
            f"<ul>{items}</ul></section>")


def _overview(assessment: Any, lang: str, charts: bool = True) -> str:
    from hbkit.plotting import status_dashboard

    totals = tables.status_totals(assessment)
    n = sum(totals.values())
    cards, parts = [], []
    for status, count in totals.items():
        colour = STATUS_COLOURS.get(status, STATUS_COLOURS["insufficient_data"])
        light = " light" if status in _LIGHT else ""
        cards.append(f'<div class="card{light}" style="background:{colour};--status:{colour}">'
                     f'<span class="n">{count}</span> '
                     f'<span class="w">{esc(heading_label(assessment, status, lang))}</span></div>')
        if count:
            word = heading_label(assessment, status, lang)
            parts.append(f"{word} {count} 项" if lang == "zh" else f"{count} {word}")
    sentence = tables.report_text(assessment, "overview_sentence", lang, n=n,
                                  parts=("，".join(parts) if lang == "zh" else ", ".join(parts)))
    summary = tables.status_summary(assessment, lang)
    n_rows = len(summary) - 1
    dashboard = _chart(lambda ax: status_dashboard(assessment, lang=lang, ax=ax),
                       (7.6, 0.42 * n_rows + 1.5), text("dashboard_title", lang)) if charts else ""
    summary_html = _summary_table(summary, lang, assessment)
    return (f'<section id="overview"><h2>{esc(text("overview", lang))}</h2>'
            f'<div class="cards">{"".join(cards)}</div><p>{esc(sentence)}</p>'
            f'{_status_rule(assessment, lang)}{dashboard}'
            f'<h3>{esc(text("summary_by_domain", lang))}</h3>{summary_html}</section>')


def _status_rule(assessment: Any, lang: str) -> str:
    """What the statuses mean, under their counts: the final evaluation's rule, else the
    annual monitoring's (:func:`hbkit.report.tables.status_meanings`)."""
    css = "final-rule" if tables.is_final(assessment) else "status-meanings"
    return f'<p class="{css}">{esc(tables.status_meanings(assessment, lang))}</p>'


def _summary_table(summary: pd.DataFrame, lang: str, assessment: Any) -> str:
    head = [f"<th>{esc(summary.index.name)}</th>"]
    for status in summary.columns:
        words = (tables.header("total", lang) if status == "total"
                 else heading_label(assessment, status, lang))
        head.append(f'<th class="num">{esc(words)}</th>')
    rows = []
    for row_label, record in summary.iterrows():
        cells = [f"<td>{esc(row_label)}</td>"]
        for column, count in record.items():
            tint = STATUS_TINTS.get(str(column)) if count and column != "total" else None
            style = f' style="background:{tint}"' if tint else ""
            cells.append(f'<td class="num"{style}>{int(count)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="scroll"><table><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _warnings(assessment: Any, lang: str) -> str:
    """The warning list, then the notes on the data when there are some (终期评估: a
    fluctuation on a target achieved on its observed value, :func:`tables.split_notes`)."""
    shown = tables.display_warnings(tables.warnings_table(assessment, lang), lang,
                                     tables.area_names(assessment))
    shown, notes = tables.split_notes(shown)
    title = f'{text("warning_list", lang)}（{len(shown)}）' if lang == "zh" else \
        f'{text("warning_list", lang)} ({len(shown)})'
    if shown.empty:
        body = f"<p>{esc(text(tables.no_warnings_key(assessment), lang))}</p>"
    else:
        lead = f'<p class="lead">{esc(tables.warnings_lead(assessment, shown, lang))}</p>'
        body = lead + _table(shown, tables.warning_columns(assessment), lang,
                             numeric=["latest_value", "projected", "probability"],
                             status_column="status_text", css_class="warnings")
    section = f'<section id="warnings"><h2>{esc(title)}</h2>{body}</section>'
    if notes.empty:
        return section
    heading = f'{text("data_notes", lang)}（{len(notes)}）' if lang == "zh" else \
        f'{text("data_notes", lang)} ({len(notes)})'
    table = _table(notes, tables.note_columns(assessment), lang,
                   numeric=["latest_value", "projected", "probability"],
                   status_column="status_text", css_class="warnings")
    return (f'{section}<section id="data-notes"><h2>{esc(heading)}</h2>'
            f'<p>{esc(text("data_notes_intro", lang))}</p>{table}</section>')


def _changes(assessment: Any, previous: Any, lang: str) -> str:
    """The 与上年相比 section: the targets whose status changed since ``previous``."""
    from hbkit.report.changes import CHANGE_DISPLAY_COLUMNS, changes_section

    title, sentence, shown = changes_section(assessment, previous, lang)
    table = "" if shown.empty else _table(
        shown, CHANGE_DISPLAY_COLUMNS, lang, numeric=["probability_before", "probability_now"],
        status_column="status_now", css_class="changes")
    return (f'<section id="changes"><h2>{esc(title)}</h2>'
            f"<p>{esc(sentence)}</p>{table}</section>")


def _charted(assessment: Any, lang: str) -> tuple[Any, int]:
    """What the probability chart draws: the assessment without its decided rows, and its rows.

    At the final evaluation (终期评估) a target decided by its observed
    target-year value has an outcome, not a probability: the chart leaves it
    out, and there is no chart (0 rows) when every scored target is decided.
    """
    from hbkit.plotting import probability_rows

    shown = tables.without_decided(assessment)
    return shown, len(probability_rows(shown, lang))


def _probabilities(assessment: Any, lang: str, charts: bool = True) -> str:
    """The probability charts: one per plan, a long plan cut between domains, decided
    targets left out (:func:`_charted`); nothing without charts."""
    from hbkit.plotting import probability_panels
    from hbkit.plotting.overview import PROBABILITY_ROW_HEIGHT

    if not charts:  # before _charted: laying out the chart labels imports matplotlib
        return ""
    shown, n = _charted(assessment, lang)
    if n == 0:
        return ""
    images = "".join(_chart(_probability_panel(shown, rows, lang, title),
                            (8.2, PROBABILITY_ROW_HEIGHT * len(rows) + 1.4),
                            f"{text('probabilities', lang)} · {title}")
                     for title, rows in probability_panels(shown, lang, by="plan"))
    return (f'<section id="probabilities"><h2>{esc(text("probabilities", lang))}</h2>{images}'
            "</section>")


def _probability_panel(assessment: Any, rows: pd.DataFrame, lang: str, title: str
                       ) -> Callable[[Any], Any]:
    """Draws one panel of :func:`~hbkit.plotting.probability_panels` on the Axes it is given."""
    from hbkit.plotting import draw_probability_panel

    return lambda ax: draw_probability_panel(assessment, rows, lang=lang, ax=ax, title=title)


def _chart(draw: Callable[[Any], Any], figsize: tuple[float, float], alt: str) -> str:
    from hbkit.report.charts import png_data_uri

    return f'<div class="chart"><img alt="{esc(alt)}" src="{png_data_uri(draw, figsize)}"></div>'


def _fan_chart_uri(assessment: Any, target_id: str, geo: str, lang: str) -> str:
    from hbkit.plotting import draw_target
    from hbkit.report.charts import FAN_MARGINS, png_data_uri

    return png_data_uri(lambda ax: draw_target(assessment, target_id, geo, lang=lang, ax=ax,
                                               legend=False),
                        (4.6, 2.9), margins=FAN_MARGINS)


def _chart_alt(assessment: Any, row: dict[str, Any], lang: str) -> str:
    """What a target's chart shows, for its alt text: no projection where none is drawn.

    A ``count_minimum`` target's chart shows the counts of its units
    (:func:`~hbkit.plotting.draw_unit_counts`); a series without a projection
    (decided at the final evaluation, or too short) its history alone.
    """
    from hbkit.plotting import unit_counts

    target = assessment.catalogue[row["target_id"]]
    if target.kind == "count_minimum" and unit_counts(
            assessment, row["target_id"], row["geo"]).notna().any(axis=None):
        return text("chart_alt_counts", lang)
    view = assessment.series(row["target_id"], row["geo"])
    median = np.asarray(view.median, dtype=float)
    if median.size and not np.isnan(median).all():
        return f"{text('history', lang)} / {text('median', lang)}"
    return text("history", lang)


def _target_card(assessment: Any, row: dict[str, Any], lang: str, levels: tuple[float, ...],
                 with_chart: bool) -> str:
    status = str(row["status"])
    head = (f'<h4>{esc(row["name"])} <span class="id">{esc(row["target_id"])}'
            f'{" · " + esc(row["geo_text"]) if row["geo_text"] else ""}</span></h4>')
    clause = f'<div class="clause">{esc(row["text_zh"])}</div>' if row["text_zh"] else ""
    cells = "".join(f"<tr><th>{esc(label)}</th><td>{esc(v)}</td></tr>"
                    for label, v in _card_numbers(row, lang, levels))
    cells += (f"<tr><th>{esc(tables.header('status', lang))}</th>"
              f"<td>{_badge(status, row['status_text'])}</td></tr>")
    if row["warnings"]:
        cells += (f"<tr><th>{esc(tables.header('warnings', lang))}</th>"
                  f'<td class="warn">{esc(row["warnings"])}</td></tr>')
    ratio = "" if row["eurostat_ratio"] == DASH else f" ({row['eurostat_ratio']})"
    official = (f"Eurostat: {row['eurostat_band']}{ratio} · "
                f"UNSD: {row['unsd_band']} · DNS: {row['dns_symbol']}")
    cells += f"<tr><th>{esc(text('official_labels', lang))}</th><td>{esc(official)}</td></tr>"
    cells += (f"<tr><th>{esc(text('required_change', lang))} / "
              f"{esc(text('achieved_change', lang))}</th>"
              f"<td>{esc(row['required_annual_change'])} / {esc(row['achieved_annual_change'])}"
              "</td></tr>")
    reason = f'<p class="reason">{esc(row["reason"])}</p>' if row["reason"] else ""
    numbers = (f"<div>{head}{clause}<table>{cells}</table>{reason}"
               f"{_units(assessment, row, lang)}</div>")
    if not with_chart:
        return f'<article class="target nochart">{numbers}</article>'
    uri = _fan_chart_uri(assessment, row["target_id"], row["geo"], lang)
    alt = f"{row['name']} {_chart_alt(assessment, row, lang)}"
    return (f'<article class="target">{numbers}<div><img alt="{esc(alt)}" src="{uri}"></div>'
            "</article>")


def _card_numbers(row: dict[str, Any], lang: str, levels: tuple[float, ...]
                  ) -> list[tuple[str, str]]:
    """(label, text) of a target card's numbers.

    A row decided by its observed target-year value (终期评估) shows the rule,
    the target value, the observed value and whether the rule was met; any
    other row its latest value, projection, intervals and probability.
    """
    lines = [(tables.header("rule", lang), row["rule"] or DASH),
             (tables.header("target_value", lang), row["target_value"])]
    if row.get("decided"):
        return [*lines, (text("observed_target_year", lang), row["latest_value"]),
                (tables.header("outcome", lang), row["outcome"])]
    lines += [(tables.header(k, lang), row[k]) for k in ("latest_value", "projected")]
    lines += [(tables.header(f"interval_{float(level):g}", lang),
               interval_with_unit(row.get(f"interval_{float(level):g}", DASH), row.get("unit"),
                                  lang)) for level in levels]
    return [*lines, (tables.header("probability", lang), row["probability"])]


def _units(assessment: Any, row: dict[str, Any], lang: str) -> str:
    """Street-level detail of an ``each_unit`` target (empty for other targets).

    Each unit's latest value and probability; a target decided by its observed
    target-year value (终期评估) gives the values only, like its card.
    """
    from hbkit.report.formatting import format_probability, format_value

    units = tables.units_table(assessment, row["target_id"], row["geo"], lang)
    if units.empty:
        return ""
    shown = pd.DataFrame({
        "unit_name": units["unit_name"],
        "latest_value": [format_value(v, row.get("unit"), lang) for v in units["latest_value"]],
        "probability": [format_probability(p) for p in units["probability"]],
    })
    numeric = ["latest_value"] if row.get("decided") else ["latest_value", "probability"]
    return _table(shown, ["unit_name", *numeric], lang, numeric=numeric)


def _qualitative_list(rows: pd.DataFrame, lang: str) -> str:
    """Qualitative targets: the plan's clause; in English the English name first, then the clause."""
    items: list[str] = []
    for r in rows.to_dict("records"):
        clause, name = r["text_zh"] or "", r["name"] or ""
        first = name if lang == "en" and name and name != clause else (clause or name)
        second = (f'<br><span class="small">{esc(clause)}</span>'
                  if lang == "en" and clause and first != clause else "")
        items.append(f'<li>{esc(first)} <span class="small">{esc(r["target_id"])}</span>'
                     f"{second}</li>")
    return (f'<p class="small">{esc(text("qualitative_note", lang))}</p>'
            f'<ul>{"".join(items)}</ul>')


def chart_legend(assessment: Any, lang: str = "zh", levels: tuple[float, ...] = (80, 95)) -> str:
    """The legend printed once above the targets' charts.

    Status colours are worded like the report's headings
    (:func:`~hbkit.report.wording.heading_label`): 提前实现 when every achieved
    row reads so, 未实现 at the final evaluation. A final evaluation whose
    charted targets are all decided by their observed value has no projection,
    band, 有望实现 or 存在风险 to explain, and its legend says only what the
    charts show.
    """
    statuses = ("achieved", "on_track", "at_risk", "off_track", "insufficient_data")
    if tables.is_final(assessment) and not _any_projection(assessment):
        return text("chart_legend_observed", lang,
                    **{s: heading_label(assessment, s, lang) for s in statuses})
    return text("chart_legend", lang,
                bands=" / ".join(text("band", lang, level=f"{float(v):g}") for v in levels),
                **{s: heading_label(assessment, s, lang) for s in statuses})


def _any_projection(assessment: Any) -> bool:
    """Whether some charted row shows a projection: quantifiable and not decided by an observed
    target-year value (:func:`hbkit.report.tables.without_decided`)."""
    frame = tables.without_decided(assessment).to_frame()
    return bool(((frame["status"] != "not_quantifiable") & frame["projected"].notna()).any())


def _targets(assessment: Any, lang: str, progress: Progress | None, charts: bool = True) -> str:
    levels = tuple(getattr(assessment, "level", (80, 95)))
    shown = tables.display_targets(tables.targets_table(assessment, lang), lang, levels,
                                    tables.area_names(assessment))
    legend = chart_legend(assessment, lang, levels)
    parts = [f'<section id="targets"><h2>{esc(tables.report_text(assessment, "targets_by_domain", lang))}</h2>'
             f'<p class="legend">{esc(legend)}</p>']
    groups = list(dict.fromkeys(shown["group"]))
    for index, group in enumerate(groups, start=1):
        if progress is not None:
            progress(f"{group} ({index}/{len(groups)})")
        rows = shown[shown["group"] == group]
        qualitative = rows[rows["status"] == "not_quantifiable"]
        parts.append(f'<h3 id="group-{index}">{esc(group)}</h3>')
        for row in rows[rows["status"] != "not_quantifiable"].to_dict("records"):
            parts.append(_target_card(assessment, row, lang, levels,
                                      with_chart=charts and row["status"] not in _NO_CHART))
        if len(qualitative):
            parts.append(_qualitative_list(qualitative, lang))
    parts.append("</section>")
    return "".join(parts)


def _contents(assessment: Any, lang: str, previous: Any = None, charts: bool = True) -> str:
    """Links to the sections and to each plan·domain group (in-page anchors only)."""
    frame = tables.targets_table(assessment, lang)
    short = dict(zip(frame["group"], tables.group_labels(frame, lang, short=True), strict=True))
    groups = [short[g] for g in dict.fromkeys(frame["group"])]
    sections = [("overview", text("overview", lang)), ("warnings", text("warning_list", lang)),
                ("probabilities", text("probabilities", lang)),
                ("targets", tables.report_text(assessment, "targets_by_domain", lang)), ("methods", text("methods", lang))]
    if len(data_warnings.data_warnings_of(assessment)):
        sections.insert(1, ("data-warnings", text("data_warnings", lang)))
    if not charts or _charted(assessment, lang)[1] == 0:  # no probability chart: no link
        sections = [s for s in sections if s[0] != "probabilities"]
    if tables.note_keys(assessment):  # 终期评估: fluctuations on achieved targets
        at = [key for key, _ in sections].index("warnings") + 1
        sections.insert(at, ("data-notes", text("data_notes", lang)))
    if previous is not None:
        from hbkit.report.changes import changes_title

        at = [key for key, _ in sections].index("warnings") + 1
        sections.insert(at, ("changes", changes_title(previous, lang)))
    links = " · ".join(f'<a href="#{key}">{esc(label)}</a>' for key, label in sections)
    group_links = " · ".join(f'<a href="#group-{i}">{esc(g)}</a>'
                             for i, g in enumerate(groups, start=1))
    return f'<nav class="toc"><p>{links}</p><p class="small">{group_links}</p></nav>'


def _methods(assessment: Any, lang: str) -> str:
    scales = tables.methods_scales(assessment, lang)
    table = (f'<h3>{esc(text("scales_table", lang))}</h3>'
             + _table(scales, tables.SCALES_COLUMNS, lang, numeric=["n_areas"]) if len(scales)
             else "")
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in tables.methods_paragraphs(assessment, lang))
    return (f'<section id="methods"><h2>{esc(text("methods", lang))}</h2>{paragraphs}'
            f'{table}</section>')


def render_html(assessment: Any, lang: str = "zh", progress: Progress | None = None,
                previous: Any = None, charts: bool = True) -> str:
    """The whole report as an HTML string (see :func:`write_html`)."""
    from hbkit import __version__

    lang = check_choice("lang", lang, ("zh", "en"))
    title = titles.report_title(assessment, lang)
    body = [
        _header(assessment, lang),
        _contents(assessment, lang, previous, charts),
        _overview(assessment, lang, charts),
        _data_warnings(assessment, lang),
        _warnings(assessment, lang),
        "" if previous is None else _changes(assessment, previous, lang),
        _probabilities(assessment, lang, charts),
        _targets(assessment, lang, progress, charts),
        _methods(assessment, lang),
        f"<footer>{esc(text('generated_by', lang, version=__version__))}</footer>",
    ]
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{_CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")


@overload
def write_html(assessment: Any, path: str | os.PathLike[str], lang: str = ...,
               progress: Progress | None = ..., previous: Any = ..., charts: bool = ...
               ) -> Path: ...
@overload
def write_html(assessment: Any, path: None = ..., lang: str = ...,
               progress: Progress | None = ..., previous: Any = ..., charts: bool = ...
               ) -> str: ...
@overload
def write_html(assessment: Any, path: IO[str] | IO[bytes], lang: str = ...,
               progress: Progress | None = ..., previous: Any = ..., charts: bool = ...
               ) -> None: ...


def write_html(assessment: Any, path: Destination = None, lang: str = "zh",
               progress: Progress | None = None, previous: Any = None,
               charts: bool = True) -> Path | str | None:
    """Write the monitoring report as one self-contained HTML file.

    The page needs nothing beside it: the style sheet is inline and every
    chart is a base64 PNG inside it, so a page kept in memory is complete.

    Parameters
    ----------
    assessment
        An :class:`hbkit.Assessment`.
    path
        Where the page goes: a file path (parent folders are created); or a
        file-like object, which receives the page without any temporary file
        (a text stream such as ``io.StringIO`` the text, a binary one such as
        ``io.BytesIO`` or a web response body its UTF-8 bytes, exactly those
        of the file; not rewound, not closed); or ``None``, to get the text back.
    lang
        ``"zh"`` (default) or ``"en"``.
    progress
        Called with a short message (the plan and domain) as each group of
        targets is drawn; the command line uses it for its progress display.
    previous
        An earlier :class:`hbkit.Assessment` (e.g. last year's monitoring): the
        report then has a section 与上年相比 / Changes since, after the warning
        list, with the targets whose status changed
        (:mod:`hbkit.report.changes`).
    charts
        ``False`` leaves out every chart (the status dashboard, the probability
        charts and each target's fan chart): the tables, cards, warnings and
        texts stay. The charts are most of the time and size of a report (the
        2023 example: 136 charts, about 13 s and 1.7 MB; without them 0.3 s and
        0.2 MB), so a service re-rendering reports often may go without.

    Returns
    -------
    pathlib.Path or str or None
        The file written when ``path`` is a path; the page's text when ``path``
        is ``None``; ``None`` when it is a file-like object.
    """
    text_html = render_html(assessment, lang, progress, previous, charts)
    return text_html if path is None else deliver_text(text_html, path)
