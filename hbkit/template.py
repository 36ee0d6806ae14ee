"""The reporting template (数据上报模板): an Excel workbook for departments to fill.

:func:`observation_template` writes one worksheet per plan domain, one row per
indicator (and per street for targets that must hold in every street), one
column per year, and, on sheets with rate indicators, numerator (分子) and
denominator (分母) columns per year. A filled workbook is read back by
:func:`hbkit.read_observations` (wide layout) into the long observations frame.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from hbkit._typing import DOMAIN_ZH, GEO_SEPARATOR, UNIT_SCALE, UNIT_ZH
from hbkit.catalogue.models import Target
from hbkit.exceptions import HbkitError
from hbkit.observations.checks import SIGNED_UNITS
from hbkit.observations.indicators import DEFAULT_GEO

#: the ten streets of Hebei District (rows of each-street targets when the geo is 河北区)
HEBEI_STREETS: tuple[str, ...] = (
    "光复道街道", "望海楼街道", "鸿顺里街道", "新开河街道", "铁东路街道",
    "王串场街道", "江都路街道", "月牙河街道", "宁园街道", "建昌道街道",
)
#: the ``each_unit`` whose targets get a row per street (街道, 以街为单位 read so in files)
STREET = "street"
INSTRUCTIONS_SHEET = "填报说明 instructions"
#: fixed columns of a domain sheet: (header, width)
FIXED_COLUMNS: tuple[tuple[str, int], ...] = (
    ("指标代码 indicator", 34), ("指标名称 name", 26), ("单位 unit", 9), ("地区 geo", 20),
    ("目标编号 target id", 30), ("目标 target", 40), ("规划原文 clause", 44),
)
SOURCE_HEADER = ("数据来源 source", 18)

#: the first line of the instructions: the plans' name (the catalogue's, else the area's)
TITLE = "{plans}监测 数据上报模板 / Data reporting template"

INSTRUCTIONS: tuple[str, ...] = (
    TITLE.format(plans="河北区妇女儿童发展规划"),
    "",
    "1. 每个工作表对应规划的一个领域，每行是一个指标（逐街道考核的指标另有各街道的行）。",
    "   One sheet per plan domain; one row per indicator (and per street where a target "
    "must hold in every street).",
    "2. 请在年份列中填写该年的数值，单位见“单位”列（例如 % 、‰ 、/10万）；不要填写单位符号。",
    "   Fill in each year's figure in the unit of the 'unit' column; do not type the unit sign.",
    "3. 比率类指标请尽量同时填写分子（事件数，如死亡人数）和分母（如活产数）；"
    "分子、分母都填写时数值可以留空，由hbkit计算。",
    "   For rates, please also give the numerator (events, e.g. deaths) and the denominator "
    "(e.g. live births); when both are given the figure may be left empty and hbkit computes it.",
    "4. 没有数据的单元格请留空，不要用0代替缺失的数据。",
    "   Leave a cell empty when there is no figure; never type 0 for a missing figure.",
    "5. 灰色单元格（非比率指标的分子、分母）无需填写。请勿修改前几列和表头。",
    "   Grey cells (numerator/denominator of non-rate indicators) stay empty. Do not edit the "
    "first columns or the header row.",
    "6. 有上限的比例（如覆盖率）在0—100之间；毛入学率等可以超过100。单元格设有数据有效性检查。",
    "   Bounded proportions (coverage rates) lie in 0-100; gross ratios may exceed 100. Cells "
    "carry Excel data validation.",
    "7. 填写完成后可运行 hbkit validate 文件名.xlsx 检查。",
    "   When done, check the file with: hbkit validate FILE.xlsx",
)


def target_text(target: Target, reference_names: tuple[str, str] | None = None) -> str:
    """The template's 目标 cell of a target: the rule the assessment judges, Chinese then English.

    The words are those of :func:`hbkit.attainment.rule_text`, as the monitoring
    report states them, so that a department reads the same rule (上升趋势减缓 is a
    smaller slope, not a fall; 每年降低1个百分点以上 keeps its 以上).

    Parameters
    ----------
    target
        A quantitative target.
    reference_names
        Chinese and English names of a relational target's reference indicator.

    Examples
    --------
    >>> print(target_text(Target(id="a", indicator="x", kind="annual_change", threshold=1,
    ...                          unit="percent", direction="decrease", target_year=2030)))
    2026—2030年每年比上一年下降1个百分点以上
    every year 2026-2030 the value falls by >= 1 percentage point from the year before
    """
    from hbkit.attainment import rule_text

    zh, en = rule_text(target, reference_names)
    return f"{zh}\n{en}"


def _check_years(years: Iterable[int]) -> list[int]:
    try:
        out = sorted({int(y) for y in years})
    except (TypeError, ValueError):
        raise HbkitError(f"years 须为整数年份 / years must be whole years; received {years!r}"
                         ) from None
    if not out or not all(1949 <= y <= 2100 for y in out):
        raise HbkitError(
            f"years 须为1949—2100之间的年份 / years must lie in 1949-2100; received {out!r}")
    return out


def _rows_by_domain(targets: Sequence[Target], geo: str, streets: Sequence[str]
                    ) -> dict[str, list[tuple[list[Target], str]]]:
    """Domain sheet -> rows (targets of one indicator, geo); each indicator on one sheet."""
    by_indicator: dict[str, list[Target]] = {}
    for target in targets:
        if target.is_quantitative and target.indicator:
            by_indicator.setdefault(target.indicator, []).append(target)
    sheets: dict[str, list[tuple[list[Target], str]]] = {}
    for group in by_indicator.values():
        domain = group[0].domain
        sheet = f"{DOMAIN_ZH.get(str(domain), '其他')} {domain or 'other'}"[:31]
        rows = sheets.setdefault(sheet, [])
        rows.append((group, geo))
        if any(t.each_unit == STREET for t in group):
            rows.extend((group, f"{geo}{GEO_SEPARATOR}{street}") for street in streets)
    return sheets


def observation_template(catalogue: Iterable[Target], years: Iterable[int],
                         path: str | os.PathLike[str], *, geo: str | None = None,
                         streets: Sequence[str] | None = None) -> Path:
    """Write the Excel reporting template for the catalogue's quantitative targets.

    Parameters
    ----------
    catalogue
        A :class:`~hbkit.Catalogue` or any iterable of Targets.
    years
        Years to report, e.g. ``range(2021, 2026)``.
    path
        Where to write the ``.xlsx`` file.
    geo
        Area of the rows; default ``catalogue.default_geo``, else ``"河北区"``.
    streets
        Streets for targets that must hold in every street (``each_unit="street"``);
        default the ten streets of Hebei District when ``geo`` is 河北区, else none.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from hbkit import Target, read_observations
    >>> t = Target(id="C-imr", indicator="infant_mortality_rate", kind="upper_bound",
    ...            threshold=5, unit="per_1000", domain="health", name_zh="婴儿死亡率")
    >>> out = observation_template([t], [2021, 2022], pathlib.Path(tempfile.mkdtemp()) / "t.xlsx")
    >>> import openpyxl
    >>> book = openpyxl.load_workbook(out)
    >>> book.sheetnames
    ['填报说明 instructions', '健康 health']
    >>> [c.value for c in book["健康 health"][1]][7:]
    ['2021年', '2021年 分子', '2021年 分母', '2022年', '2022年 分子', '2022年 分母', '数据来源 source']
    """
    targets = list(catalogue)
    year_list = _check_years(years)
    area = geo or getattr(catalogue, "default_geo", None) or DEFAULT_GEO
    street_list = tuple(streets) if streets is not None else (
        HEBEI_STREETS if area == DEFAULT_GEO else ())
    sheets = _rows_by_domain(targets, area, street_list)
    if not sheets:
        raise HbkitError("目录中没有定量目标 / the catalogue has no quantitative target")
    import openpyxl

    name = str(getattr(catalogue, "name_zh", "") or "").strip()
    plans = (name if area in name else f"{area}{name}") if name else f"{area}妇女儿童发展规划"
    book = openpyxl.Workbook()
    _write_instructions(book.active, (TITLE.format(plans=plans), *INSTRUCTIONS[1:]))
    from hbkit.report.tables import indicator_names

    names = indicator_names(targets)
    for name, rows in sheets.items():
        _write_domain_sheet(book.create_sheet(name), rows, year_list, names)
    out = Path(path)
    try:
        book.save(out)
    except OSError as exc:
        raise HbkitError(f"无法写入文件 / cannot write {out}: {exc.strerror}") from None
    return out


def _write_instructions(sheet: object, lines: Sequence[str] = INSTRUCTIONS) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = INSTRUCTIONS_SHEET  # type: ignore[attr-defined]
    for number, line in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1, value=line)  # type: ignore[attr-defined]
        cell.alignment = Alignment(wrap_text=False)
        if number == 1:
            cell.font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110  # type: ignore[attr-defined]


def _write_domain_sheet(sheet: object, rows: list[tuple[list[Target], str]],
                        years: list[int], names: dict[str, tuple[str, str]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    with_counts = any(str(group[0].unit) in UNIT_SCALE for group, _ in rows)
    headers = list(FIXED_COLUMNS)
    year_columns: list[tuple[int, str]] = []
    for year in years:
        year_columns.append((year, "value"))
        headers.append((f"{year}年", 11))
        if with_counts:
            year_columns += [(year, "numerator"), (year, "denominator")]
            headers += [(f"{year}年 分子", 10), (f"{year}年 分母", 10)]
    headers.append(SOURCE_HEADER)
    ws = sheet
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    for index, (text, width) in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index, value=text)  # type: ignore[attr-defined]
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]
    ws.freeze_panes = ws.cell(row=2, column=len(FIXED_COLUMNS) + 1)  # type: ignore[attr-defined]
    validations = {
        "bounded": _validation(DataValidation, "between", 0, 100,
                               "请输入0—100之间的数值 / a number from 0 to 100"),
        "positive": _validation(DataValidation, "greaterThanOrEqual", 0, None,
                                "请输入不小于0的数值 / a number >= 0"),
    }
    for rule in validations.values():
        ws.add_data_validation(rule)  # type: ignore[attr-defined]
    for number, (group, geo) in enumerate(rows, start=2):
        first = group[0]
        unit = str(first.unit)
        fixed = (first.indicator, first.name_zh or first.name_en, UNIT_ZH.get(unit, unit), geo,
                 "\n".join(t.id for t in group),
                 "\n".join(dict.fromkeys(target_text(t, names.get(str(t.reference_indicator)))
                                         for t in group)),
                 "\n".join(dict.fromkeys(t.text_zh for t in group if t.text_zh)))
        for index, value in enumerate(fixed, start=1):
            cell = ws.cell(row=number, column=index, value=value)  # type: ignore[attr-defined]
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        is_rate = unit in UNIT_SCALE
        for offset, (_, kind) in enumerate(year_columns):
            cell = ws.cell(row=number, column=len(FIXED_COLUMNS) + 1 + offset)  # type: ignore[attr-defined]
            if kind != "value" and not is_rate:
                cell.fill = grey
                continue
            if kind == "value" and any(t.bounded for t in group):
                validations["bounded"].add(cell.coordinate)
            elif kind != "value" or unit not in SIGNED_UNITS:
                validations["positive"].add(cell.coordinate)


def _validation(factory: type, operator: str, low: float, high: float | None, message: str
                ) -> Any:
    rule = factory(type="decimal", operator=operator, formula1=str(low),
                   formula2=None if high is None else str(high), allow_blank=True)
    rule.error, rule.errorTitle = message, "数值有误 / invalid figure"
    rule.prompt, rule.promptTitle = message, "填写提示 / input"
    rule.showErrorMessage = rule.showInputMessage = True
    return rule
