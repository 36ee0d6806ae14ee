"""The monitoring report as an Excel workbook, for analysts who work in Excel.

Sheets: 汇总 (counts by plan·domain x status), 全部目标 (every target x area
with its numbers), 预警清单 (the warning list with the numbers behind each
warning), 数据提醒 (the rows of the data used as they are that look wrong, as
``hbkit validate`` lists them; the note on its A1 says what they are and gives
the ``hbkit validate`` command to list them) when the data have such rows, 数据 (the
observations used), 街道明细 (each street of the street-level targets) when
there are such targets, and last 阅读说明 (what each sheet holds, what each status means,
how to read the numbers: :mod:`hbkit.report.excel_guide`). Headings are Chinese with English
below; the header row is frozen (and, but on 汇总, has filter buttons), columns
are sized to the (Chinese-aware) width of what they show, up to 60 characters
(longer text, such as clauses and warning texts, wraps and its rows grow), and
statuses are coloured (the 汇总 counts too, as in the HTML report). Every sheet prints landscape
on A4, at 60% of its size or more (:func:`pages_wide`; several pages across repeat the first
column), without the code columns at the right (:func:`printed_columns`), with
the heading row on every page, the report's title in the page header and
"第 &P 页，共 &N 页" in the footer (:func:`_print_setup`). A workbook of
simulated data carries the HTML report's banner (模拟数据：...) in red in the
page header and as a note on cell A1 of 汇总.

Codes are shown as ``中文 / English`` labels (:func:`code_label`: 不低于 / lower
bound, 提前实现 / achieved early); names, rules, models (in words: 二项计数趋势,
not ``binomial_trend``), reasons and explanations have an English column beside
the Chinese one. The codes themselves stay available to developers in the last
columns of a sheet (headed ``...代码 / ... code``).

Numbers stay numbers, with every digit that carries something (analysts compute with them;
12 significant digits, no binary rounding error:
:func:`~hbkit.report.excel_formats.tidy_float64`); what a
cell shows is set by its number format (:mod:`hbkit.report.excel_formats`), a value at the
indicator's level with its unit (3.64‰, 95.2%).
Probabilities are the exception: they are written rounded down to 0.1%
(:func:`~hbkit.report.excel_formats.floor_probability`), so that P = 0.7996,
*at risk*, never shows 80.0%; the unrounded probability is kept for developers
in a ``实现概率（未舍入） / Probability (unrounded)`` column among the last ones.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, overload

import numpy as np
import pandas as pd

from hbkit.report import data_warnings, tables, titles
from hbkit.report.excel_formats import (
    UNIT_DECIMALS,
    floor_probability,
    number_format,
    reported_decimals,
    shown_text,
    tidy_float32,
    tidy_float64,
)
from hbkit.report.formatting import is_missing
from hbkit.report.output import Destination, deliver_bytes
from hbkit.report.plain import text_width
from hbkit.report.wording import (
    DIRECTION_WORDS,
    KIND_WORDS,
    NUMBER_WORDS,
    SCALE_WORDS,
    STATUS_TINTS,
    UNIT_WORDS,
    convention_label,
    heading_label,
    model_label,
    number_label,
    plan_label,
    status_words,
    text,
    warning_label,
)
from hbkit.warnings_rules import LEVEL_LABELS

#: sheet names, in order
SHEETS: tuple[str, ...] = ("汇总", "全部目标", "预警清单", "数据")

#: extra sheet with the streets of street-level targets (only when there are some)
UNITS_SHEET = "街道明细"

_TARGET_COLUMNS = (
    "target_id", "plan", "group", "group_en", "name_zh", "name_en", "geo", "text_zh", "kind",
    "unit", "direction", "rule", "rule_en", "judged_on", "target_text", "target_text_en",
    "target_value", "target_year",
    "baseline_year", "baseline_value", "latest_year", "latest_value", "n_obs", "projected",
    "lo_80", "hi_80", "lo_95", "hi_95", "probability", "status_text", "warnings_text", "warnings_text_en",
    "eurostat_ratio", "eurostat_band", "unsd_band", "dns_symbol", "required_annual_change",
    "achieved_annual_change", "method", "method_en", "scale", "reason", "reason_en",
    # codes, for developers: at the far right, after everything an analyst reads
    "indicator", "plan_code", "kind_code", "unit_code", "direction_code", "status",
    "warnings", "eurostat_band_code", "unsd_band_code", "dns_symbol_code", "scale_code",
    "method_code", "data_warnings",
)
#: columns whose codes are shown as ``中文 / English`` labels (the code moves to ``<column>_code``)
LABELLED_COLUMNS: tuple[str, ...] = ("plan", "kind", "unit", "direction", "eurostat_band",
                                     "unsd_band", "dns_symbol", "scale")
_CODE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "kind": KIND_WORDS, "direction": DIRECTION_WORDS, "scale": SCALE_WORDS, "unit": UNIT_WORDS,
}
_CONVENTION_COLUMNS = ("eurostat_band", "unsd_band", "dns_symbol")
_EXTRA_LABELS = {
    "name_zh": ("指标名称", "Name (zh)"),
    "name_en": ("英文名称", "Name (en)"),
    "direction": ("期望方向", "Direction"),
    "status": ("状态代码", "Status code"),
    "group_en": ("领域（英文）", "Domain (en)"),
    "rule_en": ("判定规则（英文）", "Rule judged (en)"),
    "target_text": ("目标", "Target"),
    "target_text_en": ("目标（英文）", "Target (en)"),
    "judged_on": ("取值口径", "Value judged"),
    "warnings": ("预警代码", "Warning codes"),
    "level": ("类别", "Level"),
    "level_code": ("类别代码", "Level code"),
    "plan_code": ("规划代码", "Plan code"),
    "kind_code": ("目标类型代码", "Kind code"),
    "unit_code": ("单位代码", "Unit code"),
    "direction_code": ("期望方向代码", "Direction code"),
    "eurostat_band_code": ("Eurostat分档代码", "Eurostat band code"),
    "unsd_band_code": ("UNSD分档代码", "UNSD band code"),
    "dns_symbol_code": ("DNS符号代码", "DNS symbol code"),
    "scale_code": ("建模尺度代码", "Scale code"),
    "method_en": ("模型（英文）", "Model (en)"),
    "method_code": ("模型代码", "Model code"),
    "reason_en": ("说明（英文）", "Reason (en)"),
    "probability_change": ("实现概率变化", "Change in probability"),
    "change_code": ("变化代码", "Change code"),
    "status_before_code": ("上次状态代码", "Status then (code)"),
    "status_text": ("状态", "Status"),
    "probability_exact": ("实现概率（未舍入）", "Probability (unrounded)"),
    "warnings_text": ("预警（中文）", "Warnings (zh)"),
    "warnings_text_en": ("预警（英文）", "Warnings (en)"),
    "text_en": ("预警说明（英文）", "Explanation (en)"),
    "last_year": ("最近观测年份", "Last observed year"),
    "code": ("预警代码", "Warning code"),
    "explanation": ("预警说明", "Explanation"),
    "raw_effect": ("原始效应", "Raw effect"),
    "effect": ("收缩后效应", "Pooled effect"),
    "effect_sd": ("效应标准差", "Effect sd"),
    "shrinkage": ("收缩系数", "Shrinkage"),
    # the 数据提醒 sheet (the columns of hbkit validate's table, then where the data go)
    "data_warnings": ("数据提醒代码", "Data warning codes"),
    "data_warnings_before": ("上次数据提醒代码", "Data warning codes then"),
    "data_warning": ("数据提醒", "Data warning"),
    "received": ("收到的值", "Value as received"),
    "check": ("规则", "Rule"),
    "targets": ("涉及目标", "Targets touched"),
    "rule_code": ("规则代码", "Rule code"),
    # the 阅读说明 sheet
    "item": ("项目", "Item"),
    "guide_zh": ("说明", "Explanation"),
    "guide_en": ("说明（英文）", "Explanation (en)"),
}
#: 取值口径 of a quantitative target: judged street by street (以街为单位) on its worst unit,
#: else on the area's own value (as the HTML cards say beside the numbers)
JUDGED_ON_WORDS: dict[bool, tuple[str, str]] = {
    True: ("最差单位", "worst unit"),
    False: ("地区总体", "area as a whole"),
}
_MAX_WIDTH = 60
#: Excel's width of a column left at its default
_DEFAULT_WIDTH = 8.43
#: height (points) of a line of wrapped text, with room for Chinese glyphs
LINE_HEIGHT = 16.0
#: a row grows to at most this many lines (longer text still wraps; the cell shows the rest)
MAX_LINES = 12
#: numbers sized in a column: those of its first rows (every distinct text is measured)
_SIZED_ROWS = 500
#: footer of every printed page (Excel fills in ``&P``, the page, and ``&N``, the pages)
PAGE_FOOTER = "第 &P 页，共 &N 页"
#: colour of the simulated-data banner in the page header (the HTML banner's red)
BANNER_COLOUR = "C00000"
#: column-width units (characters of the default font) one landscape A4 page holds at the
#: smallest print scale hbkit allows (60%): about 135 at 100% between the default margins
PAGE_WIDTH_CHARS = 225

def _heading(column: str) -> str:
    """Heading of a column: Chinese, then English on a second line.

    The numbers behind a warning are named by :data:`hbkit.report.wording.NUMBER_WORDS`.

    >>> print(_heading("expected_shortfall"))
    预计平均差距
    Expected shortfall
    """
    pair = _EXTRA_LABELS.get(column) or tables.COLUMN_LABELS.get(column)
    if pair is None and column in NUMBER_WORDS:
        en = number_label(column, "en")
        keep = en.startswith(("p-", "df"))  # p-value and df stay lower case
        pair = (number_label(column, "zh"), en if keep else en[:1].upper() + en[1:])
    zh, en = pair or (column, column)
    return zh if zh == en else f"{zh}\n{en}"


def _with_headings(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={c: _heading(str(c)) for c in frame.columns})


def _indicator_decimals(assessment: Any) -> dict[str, int]:
    """Decimals each indicator's observations were reported with."""
    data = tables.data_table(assessment)
    if data is None or data.empty or "indicator" not in data or "value" not in data:
        return {}
    return {str(indicator): reported_decimals(values)
            for indicator, values in data.groupby("indicator", sort=False)["value"]}


def _row_indicators_units(frame: pd.DataFrame, assessment: Any) -> tuple[pd.Series, pd.Series]:
    """Each row's indicator and unit code, from its own columns or its target's."""
    unit = "unit_code" if "unit_code" in frame else "unit"  # the unit's code, not its label
    if "indicator" in frame and unit in frame:
        return frame["indicator"], frame[unit]
    targets = assessment.to_frame().drop_duplicates("target_id").set_index("target_id")
    ids = frame["target_id"] if "target_id" in frame else pd.Series(index=frame.index)
    return ids.map(targets["indicator"]), (frame[unit] if unit in frame
                                           else ids.map(targets["unit"]))


def _row_decimals(frame: pd.DataFrame, assessment: Any,
                  reported: dict[str, int]) -> list[int]:
    """Decimals of each row's values: its indicator's reported ones, else its unit's."""
    indicators, units = _row_indicators_units(frame, assessment)
    return [reported.get(str(indicator), UNIT_DECIMALS.get(str(unit), 2))
            for indicator, unit in zip(indicators, units, strict=True)]


def _row_units(frame: pd.DataFrame, assessment: Any) -> list[str]:
    """The unit code of each row (``""`` when it has none), for the unit its values show."""
    _, units = _row_indicators_units(frame, assessment)
    return ["" if is_missing(unit) else str(unit) for unit in units]


def summary_sheet(assessment: Any) -> pd.DataFrame:
    """The 汇总 sheet: counts by plan·domain x status with totals, bilingual headings."""
    summary = tables.status_summary(assessment, "zh")
    out = summary.reset_index()
    out.insert(1, "group_en", tables.status_summary(assessment, "en").index)
    out.columns = [_heading("domain"), _heading("group_en")] + [
        _heading("total") if c == "total"
        else _status_heading(assessment, c) for c in summary.columns
    ]
    return out


def bilingual(zh: Any, en: Any) -> str:
    """A label in Chinese then English, ``中文 / English``; once when both are the same.

    >>> bilingual("预计达标困难", "hard to reach"), bilingual("%", "%"), bilingual("", "")
    ('预计达标困难 / hard to reach', '%', '')
    """
    zh, en = ("" if is_missing(zh) else str(zh)), ("" if is_missing(en) else str(en))
    return " / ".join(dict.fromkeys(x for x in (zh, en) if x))


def _english_warnings(codes: Any) -> str:
    """The warnings of a target in English (``hard to reach, large fluctuation``)."""
    if is_missing(codes):
        return ""
    return ", ".join(warning_label(code, "en") for code in str(codes).split(";") if code)


def code_label(column: str, code: Any) -> str:
    """The ``中文 / English`` label of a code an analyst would otherwise read.

    Parameters
    ----------
    column
        One of :data:`LABELLED_COLUMNS`.
    code
        The code in that column; missing gives ``""`` and an unknown code is kept.

    Returns
    -------
    str
        Plans by :func:`~hbkit.report.wording.plan_label`, convention bands and
        symbols by :func:`~hbkit.report.wording.convention_label`, kinds,
        directions, scales and units by :data:`~hbkit.report.wording.KIND_WORDS`,
        :data:`~hbkit.report.wording.DIRECTION_WORDS`, :data:`~hbkit.report.wording.SCALE_WORDS`
        and :data:`~hbkit.report.wording.UNIT_WORDS` (no unit: ``""``).

    Examples
    --------
    >>> code_label("kind", "lower_bound"), code_label("unit", "per_100k")
    ('不低于 / lower bound', '/10万 / per 100,000')
    >>> code_label("dns_symbol", "sun")
    '晴（基本可达标） / sun (target (almost) met)'
    """
    if is_missing(code):
        return ""
    code = str(code)
    if column == "plan":
        return bilingual(plan_label(code, "zh"), plan_label(code, "en"))
    if column in _CONVENTION_COLUMNS:
        return bilingual(convention_label(column, code, "zh"), convention_label(column, code, "en"))
    words = _CODE_WORDS.get(column, {}).get(code)
    return code if words is None else bilingual(*words)


def _with_labels(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the codes of :data:`LABELLED_COLUMNS` as labels, kept in ``<column>_code``."""
    out = table.copy()
    for column in LABELLED_COLUMNS:
        if column in out:
            out[f"{column}_code"] = out[column]
            out[column] = [code_label(column, code) for code in out[column]]
    return out


def _bilingual_status(table: pd.DataFrame) -> list[str]:
    """Each row's status as the assessment worded it, then in English (提前实现 / achieved early)."""
    return [bilingual(zh, status_words(str(code), None if is_missing(zh) else str(zh), "en"))
            for code, zh in zip(table["status"], table["status_text"], strict=True)]


def targets_sheet(assessment: Any) -> pd.DataFrame:
    """The 全部目标 sheet: one row per target x area, numbers as numbers.

    Codes are shown as ``中文 / English`` labels (:func:`code_label`); the codes
    themselves, with the indicator id, status and warning codes, are the last
    columns, for developers. Names, rules and warnings have an English column
    beside the Chinese one. 目标 / Target says what the target asks in words, with the
    number it is judged against (高于2020年（95.2%）: a 逐步提高 target judged against its
    2020 value, :mod:`hbkit.report.target_text`); 目标值 / Target value keeps that number as
    a number. 取值口径 / Value judged says which value the rule is
    judged on (:data:`JUDGED_ON_WORDS`): a target judged street by street
    (以街为单位) on its worst unit (最差单位 / worst unit), whose baseline value
    (the worst unit's in the baseline year), latest value, projection and interval are
    that unit's; every other quantitative target on
    the area as a whole; blank for qualitative targets. 模型 / Model names the
    model in words (:func:`~hbkit.report.wording.model_label`: 二项计数趋势, not
    ``binomial_trend``), its code in 模型代码 / Model code among the last columns;
    说明 / Reason is the row's reason in Chinese (``reason_zh``), its English
    (``reason_en``) beside it, as the HTML reports word them.
    """
    table = tables.targets_table(assessment, "zh")
    table["group_en"] = tables.group_labels(table, "en")
    table["rule_en"] = tables._rules(assessment, table["target_id"], "en",
                                     table["baseline_value"])
    table["target_text_en"] = tables.target_texts(assessment, table, "en")
    table["warnings_text_en"] = table["warnings"].map(_english_warnings)
    table["status_text"] = _bilingual_status(table)
    table = _with_labels(table)
    table["method_code"] = table["method"]
    for lang, column in (("en", "method_en"), ("zh", "method")):
        table[column] = [model_label(m, lang) or None for m in table["method_code"]]
    reasons = table[[c for c in ("reason", "reason_zh", "reason_en") if c in table]].to_dict(
        "records")  # an older frame without reason_zh/_en gives its bilingual reason
    table["reason_en"] = [tables.reason_text(r, "en") or None for r in reasons]
    table["reason"] = [tables.reason_text(r, "zh") or None for r in reasons]
    qualitative = table["status"] == "not_quantifiable"  # not judged: no label, code kept
    table.loc[qualitative, list(_CONVENTION_COLUMNS)] = ""
    # not applicable, so blank rather than a misleading 0: a qualitative target has no
    # series (观测年数 0), and a count rule (至少配备1名) asks for no change per year
    table["n_obs"] = table["n_obs"].where(~qualitative)
    counted = table["kind_code"] == "count_minimum"
    table["required_annual_change"] = table["required_annual_change"].where(~counted)
    table["judged_on"] = ["" if skip else bilingual(*JUDGED_ON_WORDS[bool(worst)])
                          for worst, skip in zip(table["worst_unit"], qualitative, strict=True)]
    table = _without_forecast(table, assessment)
    return table[[c for c in _TARGET_COLUMNS if c in table.columns]]


def _decided(table: pd.DataFrame, assessment: Any, observed: bool = False) -> pd.Series:
    """Rows of ``table`` (``target_id``, ``geo``) decided by an observed target-year value, or
    with ``observed`` those whose target year is observed, decided or not."""
    keys = tables.observed_keys(assessment) if observed else tables.decided_keys(assessment)
    return pd.Series([(t, g) in keys for t, g in zip(table["target_id"], table["geo"],
                                                      strict=True)], index=table.index, dtype=bool)


def _without_forecast(table: pd.DataFrame, assessment: Any) -> pd.DataFrame:
    """``table`` with blank probability, projection and interval ends on the rows decided by
    their observed target-year value (终期评估), as the reports print a dash there; blank
    projection and interval ends also on the other rows whose target year is observed
    (:func:`hbkit.report.tables.target_year_observed`: e.g. 数据不足, the rule cannot judge it).

    Their 1 or 0 is an outcome and their "projection" the observed value with an interval of
    width 0: shown, they would read as a certain forecast. The status says 已实现 / 未实现
    and the latest value is the observed one. ``to_frame()`` and the JSON keep the numbers.
    """
    observed = _decided(table, assessment, observed=True)
    if not observed.any():
        return table
    decided = _decided(table, assessment)
    out = table.copy()
    forecast = [c for c in out.columns if c == "projected"
                or re.fullmatch(r"(lo|hi)_[\d.]+", str(c))]
    for column in forecast:  # the observed value with a width-0 interval: no forecast
        out[column] = out[column].where(~observed)
    if "probability" in out.columns:
        out["probability"] = out["probability"].where(~decided)
    return out


def warnings_sheet(assessment: Any) -> pd.DataFrame:
    """The 预警清单 sheet: one row per warning, worst first, explained in Chinese and English.

    The warning is named in both languages (``预计达标困难 / hard to reach``) and its
    English explanation (``text_en`` of ``warnings_frame()``) follows the Chinese one.
    类别 / Level says 预警 / early warning, or 数据说明 / note on the data for a
    fluctuation on a target achieved on its observed target-year value (终期评估);
    the notes come after the warnings (``level_code`` among the codes at the right).
    """
    table = tables.warnings_table(assessment, "zh")
    table["group_en"] = tables.group_labels(
        assessment.to_frame().drop_duplicates("target_id").set_index("target_id")
        .reindex(table["target_id"]), "en").to_numpy()
    table["warning"] = [bilingual(warning_label(code, "zh"), warning_label(code, "en"))
                        for code in table["code"]]
    table["level_code"] = table["level"]
    table["level"] = [bilingual(*LEVEL_LABELS.get(str(level), (str(level), str(level))))
                      for level in table["level_code"]]
    table["status_text"] = _bilingual_status(table)
    table = _without_forecast(table, assessment)  # a decided outcome is no forecast
    table = _with_labels(table)
    first = ["target_id", "geo", "group", "group_en", "name", "status_text", "level", "warning",
             "explanation", "text_en"]
    codes = ["status", "code", "level_code", "unit_code"]
    rest = [c for c in table.columns if c not in first and c not in codes]
    return table[[c for c in first + rest + codes if c in table.columns]]


def data_warnings_sheet(assessment: Any) -> pd.DataFrame:
    """The 数据提醒 sheet: one row per row of the data used as it is that looks wrong.

    The columns of ``hbkit validate``'s table (file, row, column, value as
    received, rule with its message), then the indicator, area and year the
    row gave, the targets it touches and the rule's code
    (:func:`hbkit.report.data_warnings.data_warnings_table`).
    """
    table = data_warnings.data_warnings_table(assessment)
    shown = table[list(data_warnings.DATA_WARNING_COLUMNS)].rename(
        columns={"value": "received", "rule": "check", "code": "rule_code"})
    shown["year"] = shown["year"].astype("Int64")
    return shown


#: the 与上年相比 sheet's name
CHANGES_SHEET = "与上年相比"


def changes_sheet(assessment: Any, previous: Any) -> pd.DataFrame:
    """The 与上年相比 sheet: every target x area of either assessment, what changed first.

    The rows of :func:`hbkit.assessment.compare.status_changes`, worded
    ``中文 / English`` (变化, the statuses as the reports word them, the
    warnings added and cleared), probabilities rounded down to 0.1% like the
    other sheets; the codes are the last columns.
    """
    from hbkit.assessment.compare import line_up, lined_up_words

    codes = line_up(previous, assessment)
    zh, en = (lined_up_words(codes, lang) for lang in ("zh", "en"))
    table = codes[["target_id", "geo", "name_zh", "name_en"]].copy()
    for column in ("change", "status_before", "status_now"):
        table[column] = [bilingual(a, b) for a, b in zip(zh[column], en[column], strict=True)]
    # an outcome decided by the observed target-year value is no forecast: blank, as the
    # reports print a dash (its 1 or 0 would read as a certain forecast)
    keys = list(zip(codes["target_id"], codes["geo"], strict=True))
    decided = {}
    for side, which in (("before", previous), ("now", assessment)):
        held = tables.decided_keys(which)
        decided[side] = pd.Series([key in held for key in keys], dtype=bool, index=codes.index)
    for side in ("before", "now"):
        column = f"probability_{side}"
        table[column] = floor_probability(codes[column].where(~decided[side]))
    table["probability_change"] = codes["probability_change"].astype(float).round(4).where(
        ~(decided["before"] | decided["now"]))
    for column in ("warnings_added", "warnings_removed"):
        table[column] = [bilingual("、".join(warning_label(c, "zh") for c in str(v).split(";") if c),
                                   _english_warnings(v)) for v in codes[column]]
    table["change_code"] = codes["change"]
    table["status"] = codes["status_now"]
    table["status_before_code"] = codes["status_before"]
    table["warnings"] = codes["warnings_now"]
    table["data_warnings_before"] = codes["data_warnings_before"]
    table["data_warnings"] = codes["data_warnings_now"]
    return table


def data_sheet(assessment: Any) -> pd.DataFrame:
    """The 数据 sheet: the observations the assessment used.

    Each indicator id is followed by its Chinese and English name (from the
    catalogue) and the unit is shown as a label (``%``, ``/10万 / per 100,000``),
    its code in the last column. When the data have warnings, a last column
    数据提醒 / Data warning names the warning of each value it concerns (the
    sheet 数据提醒 gives the file and row).
    """
    data = tables.data_table(assessment)
    if data is None:
        return pd.DataFrame(columns=["indicator", "geo", "year", "value"])
    catalogue = getattr(assessment, "catalogue", None)
    if catalogue is not None and "indicator" in data:
        names = catalogue.indicator_table().set_index("indicator")
        for position, column in enumerate(("name_zh", "name_en"), start=1):
            data.insert(position, column, data["indicator"].map(names[column]).fillna(""))
    found = data_warnings.data_warnings_of(assessment)
    if len(found) and {"indicator", "geo", "year"} <= set(data.columns):
        data["data_warning"] = _flags(data, found)
    return _with_labels(data)


def _flags(data: pd.DataFrame, found: pd.DataFrame) -> list[str]:
    """The data warning of each observation (``中文 / English``; ``""`` when none): a warning
    with a year flags that year's value, one without (an area name in a wide row) the series."""
    from hbkit.assessment.data_warnings import short_rule

    by_key: dict[tuple[str, str, int | None], list[str]] = {}
    for record in found.to_dict("records"):
        year = None if is_missing(record["year"]) else int(record["year"])
        label = bilingual(*short_rule(str(record["code"])))
        by_key.setdefault((str(record["indicator"]), str(record["geo"]), year), []).append(label)
    out = []
    for indicator, geo, year in zip(data["indicator"].astype(str), data["geo"].astype(str),
                                    data["year"], strict=True):
        labels = by_key.get((indicator, geo, int(year)), []) + by_key.get((indicator, geo, None), [])
        out.append("；".join(dict.fromkeys(labels)))
    return out


@overload
def write_excel(assessment: Any, path: str | os.PathLike[str], previous: Any = ...) -> Path: ...
@overload
def write_excel(assessment: Any, path: None = ..., previous: Any = ...) -> bytes: ...
@overload
def write_excel(assessment: Any, path: IO[bytes], previous: Any = ...) -> None: ...


def write_excel(assessment: Any, path: Destination = None, previous: Any = None
                ) -> Path | bytes | None:
    """Write the report workbook (sheets 汇总, 全部目标, 预警清单, 数据, and 街道明细).

    When the data have warnings (rows used as they are that look wrong), a sheet
    数据提醒 follows 预警清单 (:func:`data_warnings_sheet`).

    Parameters
    ----------
    assessment
        An :class:`hbkit.Assessment`.
    path
        Where the workbook goes: an ``.xlsx`` file path (parent folders are
        created); or a binary file-like object such as ``io.BytesIO`` or a web
        response body, which receives the workbook's bytes (not rewound, not
        closed; no temporary file is written); or ``None``, to get the bytes
        back. A text stream is an :class:`~hbkit.exceptions.HbkitError`.
    previous
        An earlier :class:`hbkit.Assessment` (e.g. last year's monitoring):
        the workbook then has a sheet 与上年相比 after 预警清单
        (:func:`changes_sheet`).

    Returns
    -------
    pathlib.Path or bytes or None
        The file written when ``path`` is a path; the workbook's bytes when
        ``path`` is ``None``; ``None`` when it is a file-like object.
    """
    data = workbook_bytes(assessment, previous)
    return data if path is None else deliver_bytes(data, path)


def workbook_bytes(assessment: Any, previous: Any = None) -> bytes:
    """The report workbook of :func:`write_excel` as the bytes of an ``.xlsx`` file."""
    sheets = {
        "汇总": summary_sheet(assessment),
        "全部目标": targets_sheet(assessment),
        "预警清单": warnings_sheet(assessment),
    }
    if len(data_warnings.data_warnings_of(assessment)):
        sheets[data_warnings.DATA_WARNINGS_SHEET] = data_warnings_sheet(assessment)
    if previous is not None:
        sheets[CHANGES_SHEET] = changes_sheet(assessment, previous)
    sheets["数据"] = data_sheet(assessment)
    units = tables.units_table(assessment)
    if not units.empty:
        units = _without_forecast(units, assessment)
        # the Chinese workbook names areas in Chinese, as its targets sheet does (no geo_en)
        first = ("target_id", "geo", "unit_name", "unit_geo")
        sheets[UNITS_SHEET] = units[[*first, *[c for c in units.columns
                                               if c not in (*first, "geo_en")]]]
    sheets = {name: _floored_probabilities(frame) for name, frame in sheets.items()}
    reported = _indicator_decimals(assessment)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame = _tidy(frame)
            summary = name == "汇总"
            decimals = [2] * len(frame) if summary else _row_decimals(frame, assessment, reported)
            shown = frame if summary else _with_headings(frame)
            shown.to_excel(writer, sheet_name=name, index=False)
            _style(writer.sheets[name], frame, shown.columns, decimals,
                   status_values=frame.get("status"), filters=not summary,
                   units=None if summary else _row_units(frame, assessment))
        _tint_summary_headings(writer.sheets["汇总"], assessment)
        if CHANGES_SHEET in sheets:  # the statuses then and now, each in its own colour
            changes = sheets[CHANGES_SHEET]
            for column, codes in (("status_before", "status_before_code"), ("status_now", "status")):
                _tint_status_column(writer.sheets[CHANGES_SHEET], _heading(column), changes[codes])
        banner = simulated_banner(assessment)
        for name, sheet in writer.sheets.items():
            _print_setup(sheet, titles.report_title(assessment, "zh"), banner,
                         printed_columns(sheets[name].columns))
        if banner:
            _note_simulated(writer.sheets["汇总"], assessment)
        if data_warnings.DATA_WARNINGS_SHEET in writer.sheets:
            _note_data_warnings(writer.sheets[data_warnings.DATA_WARNINGS_SHEET], assessment)
        _write_guide(writer, assessment, list(sheets))
        writer.book.properties.title = workbook_title(assessment)
    return buffer.getvalue()


def _write_guide(writer: Any, assessment: Any, sheets: list[str]) -> None:
    """Add the 阅读说明 sheet, last (:mod:`hbkit.report.excel_guide`): what the other sheets
    hold, the statuses 汇总 counts (each tinted as everywhere else), how to read the numbers."""
    from hbkit.report.excel_guide import GUIDE_SHEET, guide_rows

    statuses = tables.shown_statuses(assessment)  # the statuses 汇总 counts, in its order
    banner = (simulated_banner(assessment, "zh"), simulated_banner(assessment, "en"))
    rows = guide_rows(assessment, sheets, statuses, banner)
    frame = rows[["item", "guide_zh", "guide_en"]]
    shown = _with_headings(frame)
    shown.to_excel(writer, sheet_name=GUIDE_SHEET, index=False)
    sheet = writer.sheets[GUIDE_SHEET]
    _style(sheet, frame, shown.columns, [2] * len(frame), status_values=None, filters=False)
    _tint_status_column(sheet, _heading("item"), rows["status"])
    _print_setup(sheet, titles.report_title(assessment, "zh"), banner[0])


#: the first columns for developers (全部目标: indicator, 预警清单: status), in that order
_FIRST_CODE_COLUMNS = ("indicator", "status")


def _floored_probabilities(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its probabilities rounded down to 0.1%, unrounded in ``probability_exact``.

    The unrounded column goes just before the codes for developers (the first
    of :data:`_FIRST_CODE_COLUMNS` the frame has), else last.

    >>> _floored_probabilities(pd.DataFrame({"probability": [0.7996], "status": ["at_risk"]}))
       probability  probability_exact   status
    0        0.799             0.7996  at_risk
    """
    if "probability" not in frame:
        return frame
    out = frame.copy()
    out["probability"] = floor_probability(frame["probability"])
    codes = [c for c in _FIRST_CODE_COLUMNS if c in out.columns]
    position = list(out.columns).index(codes[0]) if codes else len(out.columns)
    out.insert(position, "probability_exact", frame["probability"])
    return out


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without float32 noise (:func:`~hbkit.report.excel_formats.tidy_float32`) nor
    binary rounding errors (:func:`~hbkit.report.excel_formats.tidy_float64`), but for the
    unrounded probability, which keeps every digit the assessment gave.

    >>> _tidy(pd.DataFrame({"required_annual_change": [0.2199999999999989],
    ...                     "probability_exact": [0.7166666666666667]})).iloc[0].tolist()
    [0.22, 0.7166666666666667]
    """
    out = frame.apply(tidy_float32)
    return out.apply(lambda column: column if column.name == "probability_exact"
                     else tidy_float64(column))


def workbook_title(assessment: Any) -> str:
    """The workbook's title property: the report's title in Chinese, then English.

    The annual monitoring report, or the final evaluation report (终期评估报告)
    when the assessment year reaches the plans' target year.
    """
    return bilingual(titles.report_title(assessment, "zh"), titles.report_title(assessment, "en"))


def simulated_banner(assessment: Any, lang: str = "zh") -> str:
    """The HTML report's simulated-data banner (模拟数据：...), or ``""`` for real data."""
    return text("simulated_banner", lang) if getattr(assessment, "simulated", False) else ""


def _header_text(value: str) -> str:
    """``value`` as literal text of a page header or footer (``&`` is a code there: ``&&``)."""
    return value.replace("&", "&&")


#: columns kept for developers (codes, the unrounded probability): not printed when they are
#: a sheet's last columns (:func:`printed_columns`)
DEVELOPER_COLUMNS = frozenset({"probability_exact", "indicator", "status", "warnings", "code",
                               "data_warnings", "data_warnings_before"})


def printed_columns(columns: Iterable[Any]) -> int:
    """How many of a sheet's columns print: all but its last run of columns for developers
    (:data:`DEVELOPER_COLUMNS` and every ``..._code``), which only programs read.

    >>> printed_columns(["target_id", "name_zh", "probability", "probability_exact", "indicator",
    ...                  "kind_code"])
    3
    >>> printed_columns(["indicator", "geo", "value"])  # an indicator id read by analysts too
    3
    """
    keys = [str(c) for c in columns]
    count = len(keys)
    while count > 1 and (keys[count - 1] in DEVELOPER_COLUMNS or keys[count - 1].endswith("_code")):
        count -= 1
    return count


def _print_setup(sheet: Any, title: str, banner: str = "", columns: int | None = None) -> None:
    """Set a sheet up to print: landscape A4, the heading row on every page.

    The sheet prints one page wide when that keeps it legible, else on
    :func:`pages_wide` pages across (全部目标 has 54 columns: one page wide
    would print it at a tenth of its size).

    The page header names the report (left) and, for simulated data, carries
    the banner (right, in red: the two side by side fit a landscape page, a
    centred title would run into the banner); the footer names the sheet
    (left) and numbers the pages (:data:`PAGE_FOOTER`, centre). The heading
    row stays row 1.

    Parameters
    ----------
    sheet
        The openpyxl worksheet.
    title
        The report's title, shown in the page header.
    banner
        The simulated-data banner (:func:`simulated_banner`); ``""`` for none.
    columns
        How many columns print (:func:`printed_columns`: not the codes at the right);
        ``None`` for all. A sheet printed on several pages across repeats its first
        column (the target or indicator) on each.
    """
    from openpyxl.utils import get_column_letter

    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    columns = sheet.max_column if columns is None else min(columns, sheet.max_column)
    if columns < sheet.max_column:
        sheet.print_area = f"A1:{get_column_letter(columns)}{sheet.max_row}"
    # as few pages wide as keep the print at 60% or more (1 for most sheets), any number tall
    setup.fitToWidth, setup.fitToHeight = pages_wide(sheet, columns), 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    if setup.fitToWidth > 1:
        sheet.print_title_cols = "A:A"
    sheet.oddHeader.left.text = _header_text(title)
    if banner:
        sheet.oddHeader.right.text = _header_text(banner)
        sheet.oddHeader.right.color = BANNER_COLOUR
    sheet.oddFooter.left.text = "&A"  # the sheet's name
    sheet.oddFooter.center.text = PAGE_FOOTER


def pages_wide(sheet: Any, columns: int | None = None) -> int:
    """Pages across that print ``sheet`` (its first ``columns`` columns; ``None``: all) at 60%
    of its size or more: 1 when their widths add up to :data:`PAGE_WIDTH_CHARS` at most, else
    1 and as many more as the rest needs beside the first column, which every page repeats.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> sheet = Workbook().active
    >>> sheet.append(list("ABCDEFGHIJ"))
    >>> for letter in "ABCDEFGHIJ":
    ...     sheet.column_dimensions[letter].width = 50
    >>> pages_wide(sheet)
    3
    >>> unsized = Workbook().active
    >>> unsized.append(["x"] * 300)  # 300 columns at Excel's default 8.43
    >>> pages_wide(unsized)
    12
    """
    from openpyxl.utils import get_column_letter

    last = sheet.max_column if columns is None else columns
    letters = [get_column_letter(i) for i in range(1, last + 1)]
    dims = sheet.column_dimensions  # looking a letter up would create it at openpyxl's 13
    widths = [(dims[c].width or _DEFAULT_WIDTH) if c in dims else _DEFAULT_WIDTH
              for c in letters]
    total = sum(widths)
    if total <= PAGE_WIDTH_CHARS:
        return 1
    # the first column repeats on every page after the first (:func:`_print_setup`)
    return 1 + math.ceil((total - PAGE_WIDTH_CHARS) / max(PAGE_WIDTH_CHARS - widths[0], 1.0))


def _note_simulated(sheet: Any, assessment: Any) -> None:
    """Attach the simulated-data banner, Chinese then English, as a note (comment) on A1.

    A note rather than a row above the table, so the heading row stays row 1
    (for analysts' formulas and filters), and rather than a sheet of its own,
    so the sheets keep their names and order; printed pages carry the banner
    in their header (:func:`_print_setup`).
    """
    from openpyxl.comments import Comment

    note = f"{simulated_banner(assessment, 'zh')}\n{simulated_banner(assessment, 'en')}"
    sheet["A1"].comment = Comment(note, "hbkit", width=360, height=110)


def _note_data_warnings(sheet: Any, assessment: Any) -> None:
    """Attach what the 数据提醒 rows are and how to check them (the HTML and Markdown
    section's opening sentence, with the ``hbkit validate`` command for the catalogue the
    assessment used), Chinese then English, as a note on A1, like the simulated-data
    banner."""
    from openpyxl.comments import Comment

    note = "\n\n".join(data_warnings.intro(assessment, lang) for lang in ("zh", "en"))
    sheet["A1"].comment = Comment(note, "hbkit", width=480, height=220)


def _status_heading(assessment: Any, status: str) -> str:
    """A status column's heading, worded like its rows (提前实现 when every row is), zh over en."""
    return f"{heading_label(assessment, status, 'zh')}\n{heading_label(assessment, status, 'en')}"


def _tint(status: Any) -> Any:
    """The solid fill of a status's traffic-light tint (:data:`STATUS_TINTS`), ``None`` for none."""
    from openpyxl.styles import PatternFill

    tint = STATUS_TINTS.get(str(status))
    return PatternFill("solid", fgColor=tint.lstrip("#").upper()) if tint else None


def _tint_summary_headings(sheet: Any, assessment: Any) -> None:
    """Colour each status heading of the 汇总 sheet with its traffic-light tint, and the
    counts under it that are not 0, as the HTML report's overview does."""
    words = {_status_heading(assessment, s): s for s in STATUS_TINTS}
    for column in sheet.iter_cols():
        fill = _tint(words.get(str(column[0].value)))
        if fill is None:
            continue
        for cell in column:
            if cell.row == 1 or (_is_number(cell.value) and cell.value):
                cell.fill = fill


def _tint_status_column(sheet: Any, heading: str, statuses: pd.Series) -> None:
    """Colour each cell of the column headed ``heading`` with the tint of its row's status
    (``statuses``, the codes, in the sheet's row order)."""
    headings = [cell.value for cell in sheet[1]]
    if heading not in headings:
        return
    column = headings.index(heading) + 1
    for row, status in enumerate(statuses, start=2):
        fill = _tint(status)
        if fill is not None:
            sheet.cell(row=row, column=column).fill = fill


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool | np.bool_)


def wrapped_lines(value: Any, width: float) -> int:
    """Lines the text takes in a wrapped cell ``width`` characters wide (about; at least 1).

    Chinese characters count two; English wraps at spaces, so a line holds a
    little less than the width.

    >>> wrapped_lines("短文本", 60), wrapped_lines("妇" * 60, 60), wrapped_lines("a\\nb", 60)
    (1, 3, 2)
    """
    if value is None or not isinstance(value, str):
        return 1
    usable = max(width - 3, 1) * 0.9
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in value.split("\n"))


def _wrap_long_text(sheet: Any, widths: dict[int, float]) -> None:
    """Wrap the text of the columns in ``widths`` (index -> width) and grow their rows to fit.

    Every cell of the body is aligned to the top, so a tall row reads from its
    first line; a row grows to :data:`MAX_LINES` lines at most.
    """
    from openpyxl.styles import Alignment

    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    for row in sheet.iter_rows(min_row=2):
        lines = 1
        for cell in row:
            if cell.column in widths:
                cell.alignment = wrap
                lines = max(lines, wrapped_lines(cell.value, widths[cell.column]))
            else:
                cell.alignment = top
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = min(lines, MAX_LINES) * LINE_HEIGHT


def _style(sheet: Any, frame: pd.DataFrame, headings: pd.Index, decimals: list[int],
           status_values: pd.Series | None, filters: bool = True,
           units: list[str] | None = None) -> None:
    """Headings, frozen panes, filters, number formats, column widths and status tints.

    A column is as wide as what it shows, up to 60; a column with longer text
    (clauses, reasons, warning texts) wraps it and its rows grow
    (:func:`_wrap_long_text`).

    Parameters
    ----------
    sheet
        The openpyxl worksheet, as pandas wrote it.
    frame
        The sheet's table, keyed by column names (which decide the number formats).
    headings
        The headings written above each column of ``frame``.
    decimals
        Decimals of each row's values (:func:`_row_decimals`).
    status_values
        Status code of each row, to tint the status columns; ``None`` for none.
    filters
        Whether the heading row gets Excel's filter buttons (not on 汇总, whose
        last row is the total).
    units
        The unit code of each row, which its values show (3.64‰); ``None`` for none.
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor="E8EDF3")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "B2"
    if filters:
        sheet.auto_filter.ref = sheet.dimensions
    wrapped: dict[int, float] = {}
    for index, (column, heading) in enumerate(zip(frame.columns, headings, strict=True), start=1):
        widths = [text_width(line) for line in str(heading).split("\n")]
        texts = pd.api.types.is_string_dtype(frame[column])  # no number to format below 500
        rows = min(len(frame), _SIZED_ROWS) if texts else len(frame)
        cells = sheet.iter_rows(min_row=2, max_row=rows + 1, min_col=index, max_col=index)
        row_units = units or [""] * len(decimals)
        for row, ((cell,), row_decimals, unit) in enumerate(
                zip(cells, decimals[:rows], row_units[:rows], strict=True)):
            if _is_number(cell.value):
                cell.number_format = number_format(str(column), cell.value, row_decimals, unit)
            if row < _SIZED_ROWS:
                widths.append(text_width(shown_text(cell.value, cell.number_format)))
        if texts:  # every distinct text, not only the first rows' (a long id further down)
            widths += [text_width(line) for value in pd.unique(frame[column].dropna())
                       for line in str(value).split("\n")]
        width = max(widths) + 2
        if width > _MAX_WIDTH:
            wrapped[index] = _MAX_WIDTH
        sheet.column_dimensions[get_column_letter(index)].width = min(width, _MAX_WIDTH)
    if wrapped:
        _wrap_long_text(sheet, wrapped)
    if status_values is None:
        return
    status_columns = [i for i, c in enumerate(headings, start=1)
                      if str(c).startswith(("状态\n", "状态代码"))]
    for row_index, status in enumerate(status_values, start=2):
        tint = STATUS_TINTS.get(str(status))
        if not tint:
            continue
        for column_index in status_columns:
            sheet.cell(row=row_index, column=column_index).fill = PatternFill(
                "solid", fgColor=tint.lstrip("#").upper())
