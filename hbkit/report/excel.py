"""The monitoring report as an Excel workbook, for analysts who work in Excel.

Sheets: 汇总 (counts by plan·domain x status), 全部目标 (every target x area
with its numbers), 预警清单 (the warning list with the numbers behind each
warning), 数据 (the observations used), and 街道明细 (each street of the
street-level targets) when there are such targets. Headings are Chinese with English
below; numbers stay numbers; the header row is frozen, columns are sized to
their (Chinese-aware) text width and statuses are coloured.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from hbkit.report import tables
from hbkit.report.plain import text_width
from hbkit.report.wording import STATUS_TINTS, status_label

#: sheet names, in order
SHEETS: tuple[str, ...] = ("汇总", "全部目标", "预警清单", "数据")

#: extra sheet with the streets of street-level targets (only when there are some)
UNITS_SHEET = "街道明细"

_TARGET_COLUMNS = (
    "target_id", "plan", "group", "name_zh", "name_en", "geo", "text_zh", "kind", "unit",
    "direction", "rule", "target_value", "target_year", "baseline_year", "baseline_value", "latest_year",
    "latest_value", "n_obs", "projected", "lo_80", "hi_80", "lo_95", "hi_95", "probability",
    "status", "status_text", "warnings_text", "eurostat_ratio", "eurostat_band", "unsd_band",
    "dns_symbol", "required_annual_change", "achieved_annual_change", "method", "scale",
    "reason",
)
_EXTRA_LABELS = {
    "name_zh": ("指标名称", "Name (zh)"),
    "name_en": ("英文名称", "Name (en)"),
    "direction": ("期望方向", "Direction"),
    "status": ("状态代码", "Status code"),
    "status_text": ("状态", "Status"),
    "warnings_text": ("预警（中文）", "Warnings (zh)"),
    "code": ("预警代码", "Warning code"),
    "explanation": ("预警说明", "Explanation"),
    "raw_effect": ("原始效应", "Raw effect"),
    "effect": ("收缩后效应", "Pooled effect"),
    "effect_sd": ("效应标准差", "Effect sd"),
    "shrinkage": ("收缩系数", "Shrinkage"),
}
_MAX_WIDTH = 60


def _heading(column: str) -> str:
    zh, en = _EXTRA_LABELS.get(column) or tables.COLUMN_LABELS.get(column, (column, column))
    return zh if zh == en else f"{zh}\n{en}"


def _with_headings(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={c: _heading(str(c)) for c in frame.columns})


def summary_sheet(assessment: Any) -> pd.DataFrame:
    """The 汇总 sheet: counts by plan·domain x status with totals, bilingual headings."""
    summary = tables.status_summary(assessment, "zh")
    final = bool(getattr(assessment, "final", False))
    out = summary.reset_index()
    out.columns = [_heading("domain")] + [
        _heading("total") if c == "total"
        else f"{status_label(c, 'zh', final=final)}\n{status_label(c, 'en', final=final)}"
        for c in summary.columns
    ]
    return out


def targets_sheet(assessment: Any) -> pd.DataFrame:
    """The 全部目标 sheet: one row per target x area, numbers as numbers."""
    table = tables.targets_table(assessment, "zh")
    return table[[c for c in _TARGET_COLUMNS if c in table.columns]]


def warnings_sheet(assessment: Any) -> pd.DataFrame:
    """The 预警清单 sheet: one row per warning, worst first."""
    return tables.warnings_table(assessment, "zh")


def data_sheet(assessment: Any) -> pd.DataFrame:
    """The 数据 sheet: the observations the assessment used."""
    data = tables.data_table(assessment)
    if data is None:
        return pd.DataFrame(columns=["indicator", "geo", "year", "value"])
    return data


def write_excel(assessment: Any, path: str | Path) -> Path:
    """Write the report workbook (sheets 汇总, 全部目标, 预警清单, 数据, and 街道明细).

    Parameters
    ----------
    assessment
        An :class:`hbkit.Assessment`.
    path
        ``.xlsx`` file to write (parent folders are created).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    sheets = {
        "汇总": summary_sheet(assessment),
        "全部目标": targets_sheet(assessment),
        "预警清单": warnings_sheet(assessment),
        "数据": data_sheet(assessment),
    }
    units = tables.units_table(assessment)
    if not units.empty:
        sheets[UNITS_SHEET] = units
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            shown = frame if name == "汇总" else _with_headings(frame)
            shown.to_excel(writer, sheet_name=name, index=False)
            _style(writer.sheets[name], shown, status_values=frame.get("status"))
        _tint_summary_headings(writer.sheets["汇总"])
    return target


def _tint_summary_headings(sheet: Any) -> None:
    """Colour each status heading of the 汇总 sheet with its traffic-light tint."""
    from openpyxl.styles import PatternFill

    words = {f"{status_label(s, 'zh', final=final)}\n{status_label(s, 'en', final=final)}": s
             for s in STATUS_TINTS for final in (False, True)}
    for cell in sheet[1]:
        status = words.get(str(cell.value))
        if status:
            cell.fill = PatternFill("solid", fgColor=STATUS_TINTS[status].lstrip("#").upper())


def _style(sheet: Any, frame: pd.DataFrame, status_values: pd.Series | None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor="E8EDF3")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "B2"
    for index, column in enumerate(frame.columns, start=1):
        lines = str(column).split("\n")
        widest = max([text_width(x) for x in lines]
                     + [text_width(v) for v in frame.iloc[:500, index - 1]], default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(widest + 2, _MAX_WIDTH)
    if status_values is None:
        return
    status_columns = [i for i, c in enumerate(frame.columns, start=1)
                      if str(c).startswith(("状态\n", "状态代码"))]
    for row_index, status in enumerate(status_values, start=2):
        tint = STATUS_TINTS.get(str(status))
        if not tint:
            continue
        for column_index in status_columns:
            sheet.cell(row=row_index, column=column_index).fill = PatternFill(
                "solid", fgColor=tint.lstrip("#").upper())
