"""The monitoring report as Markdown text (for notes, issues and plain-text review).

Same order as the HTML report, without charts: title, simulated-data banner,
the year and the data's latest year, counts by status and domain and what the
statuses mean, the data warnings (数据提醒, only when the data
have some), the warning list, the notes on the data (终期评估, only when some
fluctuation is on a target achieved on its observed value), every target by
plan and domain, the methods note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hbkit._options import check_choice
from hbkit.report import data_warnings, tables, titles
from hbkit.report.formatting import interval_with_unit
from hbkit.report.wording import heading_label, text


def _cell(value: Any) -> str:
    """Text safe inside a pipe table cell.

    >>> _cell("a|b\\nc")
    'a\\\\|b c'
    """
    return str(value).replace("|", "\\|").replace("\n", " ")


def pipe_table(rows: Sequence[Sequence[Any]], headers: Sequence[str],
               right: Sequence[int] = ()) -> str:
    """A Markdown pipe table; columns listed in ``right`` are right-aligned.

    >>> print(pipe_table([["a", 1]], ["x", "n"], right=[1]))
    | x | n |
    |---|--:|
    | a | 1 |
    """
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |",
             "|" + "|".join("--:" if i in right else "---" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _summary(assessment: Any, lang: str) -> str:
    summary = tables.status_summary(assessment, lang)
    headers = [str(summary.index.name)] + [
        tables.header("total", lang) if c == "total"
        else heading_label(assessment, c, lang)
        for c in summary.columns
    ]
    rows = [[label, *(int(v) for v in record)] for label, record in summary.iterrows()]
    return pipe_table(rows, headers, right=range(1, len(headers)))


def _warnings(assessment: Any, lang: str) -> tuple[str, str]:
    """The warning list (its heading, the sentence saying what it holds, the table), and the
    notes on the data (``""`` when none: 终期评估 only)."""
    shown = tables.display_warnings(tables.warnings_table(assessment, lang), lang,
                                     tables.area_names(assessment))
    listed, notes = (_numbers_punctuated(part, lang) for part in tables.split_notes(shown))
    columns = tables.warning_columns(assessment)
    headers = [tables.header("status" if c == "status_text" else c, lang) for c in columns]
    right = [i for i, c in enumerate(columns) if c in _NUMERIC]
    warnings = (tables.warnings_lead(assessment, listed, lang) + "\n\n"
                + pipe_table(listed[columns].to_numpy().tolist(), headers, right=right)
                if len(listed) else text(tables.no_warnings_key(assessment), lang))
    warnings = f"## {text('warning_list', lang)}\n\n{warnings}"
    if notes.empty:
        return warnings, ""
    columns = tables.note_columns(assessment)
    headers = [tables.header("status" if c == "status_text" else c, lang) for c in columns]
    return warnings, (f"## {text('data_notes', lang)}\n\n{text('data_notes_intro', lang)}\n\n"
                      + pipe_table(notes[columns].to_numpy().tolist(), headers, right=right))


def _numbers_punctuated(shown: Any, lang: str) -> Any:
    """The warning list with its numbers parted by a full-width ``；`` in Chinese (the HTML
    report puts each on its own line; a Markdown cell keeps them on one).

    >>> import pandas as pd
    >>> shown = pd.DataFrame({"numbers": ["预计平均差距=2.52个百分点; 最新年份=2023"]})
    >>> _numbers_punctuated(shown, "zh")["numbers"].tolist()
    ['预计平均差距=2.52个百分点；最新年份=2023']
    """
    if lang != "zh" or "numbers" not in shown:
        return shown
    return shown.assign(numbers=[str(v).replace(tables.NUMBERS_SEPARATOR, "；")
                                 for v in shown["numbers"]])


def _data_warnings(assessment: Any, lang: str) -> str:
    """The 数据提醒 section, grouped by rule (``""`` when the data have no warning)."""
    found = data_warnings.groups(assessment, lang)
    if not found:
        return ""
    lines = [f"## {data_warnings.title(assessment, lang)}", "",
             data_warnings.intro(assessment, lang), ""]
    for heading, items in found:
        lines.append(f"- **{heading}**")
        lines += [f"  - {item}" for item in items]
    return "\n".join(lines)


def _targets(assessment: Any, lang: str) -> str:
    levels = tuple(getattr(assessment, "level", (80, 95)))
    shown = tables.display_targets(tables.targets_table(assessment, lang), lang, levels,
                                    tables.area_names(assessment))
    columns = _target_columns(shown, levels)
    headers = [tables.header("status" if c == "status_text" else c, lang) for c in columns]
    right = [i for i, c in enumerate(columns) if c in _NUMERIC]
    parts = []
    final = tables.is_final(assessment)
    for group in dict.fromkeys(shown["group"]):
        rows = _intervals_with_units(shown[shown["group"] == group], levels, lang)
        part = f"### {group}\n\n" + pipe_table(rows[columns].to_numpy().tolist(), headers,
                                                right=right)
        notes = _not_met_notes(rows, lang) if final else ""
        parts.append(part + (f"\n\n{notes}" if notes else ""))
    return "\n\n".join(parts)


def _intervals_with_units(rows: Any, levels: tuple[float, ...], lang: str) -> Any:
    """The rows with each interval followed by its unit (the table's interval column stands
    apart from the values that carry one).

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"unit": ["years", "percent"], "interval_95": ["[83.6, 85.5]", "–"]})
    >>> _intervals_with_units(rows, (95,), "zh")["interval_95"].tolist()
    ['[83.6, 85.5]年', '–']
    """
    rows = rows.copy()
    for level in levels:
        key = f"interval_{float(level):g}"
        if key in rows:
            rows[key] = [interval_with_unit(v, u, lang) for v, u in zip(rows[key], rows["unit"],
                                                                        strict=True)]
    return rows


def _not_met_notes(rows: Any, lang: str) -> str:
    """Under a final evaluation's table: each target not achieved, with the rule it was judged
    on and its reason (the years that broke an every-year rule, a missing year), which the
    table's columns do not hold.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"name": ["居委会成员女性比例"], "geo_text": ["河北区"],
    ...                      "status": ["off_track"], "rule": ["2021—2025年每年≥60%"],
    ...                      "reason": ["终期评估：2023年为59%，不满足判定规则（2021—2025年每年≥60%），故未实现"]})
    >>> print(_not_met_notes(rows, "zh"))
    - 居委会成员女性比例（河北区）：判定规则为2021—2025年每年≥60%；终期评估：2023年为59%，不满足判定规则（2021—2025年每年≥60%），故未实现
    """
    shown = rows[rows["status"].isin(("off_track", "at_risk", "on_track"))]
    lines = []
    for r in shown.to_dict("records"):
        rule, reason = str(r.get("rule") or ""), str(r.get("reason") or "")
        if lang == "zh":
            line = f"- {r['name']}（{r['geo_text']}）：判定规则为{rule}" + (f"；{reason}" if reason else "")
        else:
            line = f"- {r['name']} ({r['geo_text']}): rule judged: {rule}" + (
                f"; {reason}" if reason else "")
        lines.append(line)
    return "\n".join(lines)


#: columns of the targets' tables printed right-aligned
_NUMERIC = frozenset({"target_value", "latest_value", "projected", "probability"})


def _target_columns(shown: Any, levels: tuple[float, ...]) -> list[str]:
    """Columns of the targets' tables.

    The projection, widest interval and probability unless every quantitative
    row is decided by its observed target-year value (终期评估), then the
    outcome (rule met / not met) when any row is.
    """
    quantitative = shown[shown["status"] != "not_quantifiable"]
    decided = quantitative["decided"].astype(bool)
    widest = [f"interval_{float(max(levels)):g}"] if levels else []
    projection = [] if len(decided) and decided.all() else ["projected", *widest, "probability"]
    outcome = ["outcome"] if decided.any() else []
    return ["name", "geo_text", "target_value", "latest_value", *projection, *outcome,
            "status_text", "warnings", "eurostat_band", "unsd_band", "dns_symbol"]


def _changes(assessment: Any, previous: Any, lang: str) -> str:
    from hbkit.report.changes import CHANGE_DISPLAY_COLUMNS, changes_section

    title, sentence, shown = changes_section(assessment, previous, lang)
    parts = [f"## {title}", sentence]
    if not shown.empty:
        columns = list(CHANGE_DISPLAY_COLUMNS)
        parts.append(pipe_table(shown[columns].to_numpy().tolist(),
                                [tables.header(c, lang) for c in columns],
                                right=[i for i, c in enumerate(columns)
                                       if c.startswith("probability")]))
    return "\n\n".join(parts)


def to_markdown(assessment: Any, lang: str = "zh", previous: Any = None) -> str:
    """The monitoring report as Markdown.

    Parameters
    ----------
    assessment
        An :class:`hbkit.Assessment`.
    lang
        ``"zh"`` (default) or ``"en"``.
    previous
        An earlier :class:`hbkit.Assessment`: the text then says what changed
        since (与上年相比), after the warning list.

    Returns
    -------
    str
        Markdown text: the data warnings (数据提醒, when the data have some), the
        warning list and the notes on the data (数据说明, when some) come before the
        targets.
    """
    lang = check_choice("lang", lang, ("zh", "en"))
    parts = [f"# {titles.report_title(assessment, lang)}"]
    if getattr(assessment, "simulated", False):
        parts.append(f"> **{text('simulated_banner', lang)}**")
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    year = "–" if assessment.as_of is None else assessment.as_of
    meta = f"{tables.report_text(assessment, 'as_of', lang)}{colon}{year}"
    last = tables.data_last_year(assessment)
    if last is not None:
        meta += f"  \n{text('data_last_year', lang)}{colon}{last}"
    sources = list(getattr(assessment, "sources", []) or [])
    if sources:
        meta += f"  \n{text('sources', lang)}{colon}" + sep.join(sources)
    parts.append(meta)
    if data_warnings.note(assessment, lang):
        parts.append(f"> **{data_warnings.note(assessment, lang)}**")
    for notice in data_warnings.call_notices(assessment, lang):
        parts.append(f"> {notice}")
    parts.append(f"## {text('overview', lang)}\n\n{_summary(assessment, lang)}")
    parts.append(tables.status_meanings(assessment, lang))
    if data_warnings.groups(assessment, lang):
        parts.append(_data_warnings(assessment, lang))
    warnings, notes = _warnings(assessment, lang)
    parts.append(warnings)
    if notes:
        parts.append(notes)
    if previous is not None:
        parts.append(_changes(assessment, previous, lang))
    parts.append(f"## {tables.report_text(assessment, 'targets_by_domain', lang)}\n\n"
                 f"{_targets(assessment, lang)}")
    parts.append(f"## {text('methods', lang)}\n\n"
                 + "\n\n".join(tables.methods_paragraphs(assessment, lang)))
    scales = tables.methods_scales(assessment, lang)
    if len(scales):
        columns = list(tables.SCALES_COLUMNS)
        parts.append(pipe_table(scales[columns].to_numpy().tolist(),
                                [tables.header(c, lang) for c in columns],
                                right=[len(columns) - 1]))
    return "\n\n".join(parts) + "\n"
