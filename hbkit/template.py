"""The reporting template (数据上报模板): an Excel workbook for departments to fill.

:func:`observation_template` writes one worksheet per plan domain, one row per
indicator (and one per sub-unit for targets that must hold in every sub-unit,
``each_unit``: every street, leadership team, department, community health
centre, ...), one column per year, and, on sheets with rate indicators,
numerator (分子) and denominator (分母) columns per year. A filled workbook is
read back by :func:`hbkit.read_observations` (wide layout) into the long
observations frame.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hbkit._options import check_years
from hbkit._typing import DOMAIN_ZH, EACH_UNIT_ZH, EACH_UNITS, GEO_SEPARATOR, UNIT_SCALE, UNIT_ZH
from hbkit.catalogue.models import Target
from hbkit.exceptions import HbkitError, HbkitWarning
from hbkit.notices import notify
from hbkit.observations.checks import SIGNED_UNITS
from hbkit.observations.indicators import DEFAULT_GEO

#: the ten streets of Hebei District (rows of each-street targets when the geo is 河北区)
HEBEI_STREETS: tuple[str, ...] = (
    "光复道街道", "望海楼街道", "鸿顺里街道", "新开河街道", "铁东路街道",
    "王串场街道", "江都路街道", "月牙河街道", "宁园街道", "建昌道街道",
)
#: the ``each_unit`` whose targets get a row per street (街道, 以街为单位 read so in files)
STREET = "street"
#: the sub-units of Hebei District the plans name, per ``each_unit`` (rows of each-unit
#: targets when the geo is 河北区): its ten streets; the four district leadership teams of
#: the women's plan (区委、人大、政府、政协领导班子中至少各配备1名女干部); the departments
#: it lists (区教育、科技、文化、卫生、体育、民政、司法、人力资源和社会保障等相关部门: its 等
#: leaves room for more, added as rows). The plans name no community health centre, so
#: those come from the user (``units``).
HEBEI_UNITS: dict[str, tuple[str, ...]] = {
    STREET: HEBEI_STREETS,
    "leadership_team": ("区委领导班子", "区人大常委会领导班子", "区政府领导班子", "区政协领导班子"),
    "department": tuple(f"{d}部门领导班子" for d in (
        "教育", "科技", "文化", "卫生", "体育", "民政", "司法", "人力资源和社会保障")),
}
INSTRUCTIONS_SHEET = "填报说明 instructions"
#: fixed columns of a domain sheet: (header, width)
FIXED_COLUMNS: tuple[tuple[str, int], ...] = (
    ("指标代码 indicator", 34), ("指标名称 name", 26), ("单位 unit", 9), ("地区 geo", 20),
    ("目标编号 target id", 30), ("目标 target", 40), ("规划原文 clause", 44),
)
SOURCE_HEADER = ("数据来源 source", 18)
#: width (characters) of the instructions' column, which wraps longer items
INSTRUCTIONS_WIDTH = 110
#: the fixed columns kept in view while scrolling to the years (indicator, name, unit, area)
FROZEN_COLUMNS = 4

#: the first line of the instructions: the plans' name (the catalogue's, else the area's)
TITLE = "{plans}监测 数据上报模板 / Data reporting template"

INSTRUCTIONS: tuple[str, ...] = (
    TITLE.format(plans="河北区妇女儿童发展规划"),
    "",
    "1. 每个工作表对应规划的一个领域，每行是一个指标（逐个单位考核的指标——以街为单位、各领导班子、"
    "各部门、每所社区卫生服务中心等——另有各单位的行，地区写作“区/单位”；单位不全时请照此添加行）。",
    "   One sheet per plan domain; one row per indicator (and one per unit where a target "
    "must hold in every street, leadership team, department, community health centre, ..., "
    "with the area written 'district/unit'; add rows for units not listed).",
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


def check_lines(catalogue: Iterable[Target]) -> tuple[str, str]:
    """The instructions' last item: the ``hbkit validate`` command that checks the filled file.

    ``hbkit validate`` checks against the shipped catalogue unless given ``--catalogue``,
    so a template of one's own catalogue (the next plans) names its file
    (:attr:`hbkit.Catalogue.path`); a catalogue built in Python has no file, and the
    line says to write one (:meth:`hbkit.Catalogue.to_file`).

    Examples
    --------
    >>> import hbkit
    >>> check_lines(hbkit.load_catalogue("children"))[0]
    '7. 填写完成后可运行 hbkit validate 文件名.xlsx 检查。'
    >>> own = hbkit.Catalogue([Target(id="a", indicator="imr", kind="upper_bound", threshold=3,
    ...                               unit="per_1000", target_year=2030)], path="目录2030.xlsx")
    >>> for line in check_lines(own):
    ...     print(line)
    7. 填写完成后可运行 hbkit validate 文件名.xlsx --catalogue 目录2030.xlsx 检查（按本模板的目标目录）。
       When done, check the file with: hbkit validate FILE.xlsx --catalogue 目录2030.xlsx (this template's catalogue)
    """
    from hbkit.report.data_warnings import catalogue_option

    option = catalogue_option(catalogue)
    if option == "":
        return INSTRUCTIONS[-2], INSTRUCTIONS[-1]
    if option is None:
        return ("7. 填写完成后可运行 hbkit validate 文件名.xlsx --catalogue 目录文件 检查（本模板的目标目录"
                "是在 Python 中建立的，请先用 Catalogue.to_file(\"目录文件.xlsx\") 写成文件）。",
                "   When done, check the file with: hbkit validate FILE.xlsx --catalogue CATALOGUE "
                "(this template's catalogue was built in Python: write it with "
                "Catalogue.to_file(\"catalogue.xlsx\") first)")
    return (f"7. 填写完成后可运行 hbkit validate 文件名.xlsx {option} 检查（按本模板的目标目录）。",
            f"   When done, check the file with: hbkit validate FILE.xlsx {option} "
            "(this template's catalogue)")


def slowdown_years(targets: Iterable[Target], years: Sequence[int]
                   ) -> tuple[list[int], list[str]]:
    """The years before the base that trend-slowdown targets need, and what the instructions say.

    A trend-slowdown target (上升趋势减缓) compares the slope after its base year
    with the slope up to it, which needs at least
    :data:`hbkit.assessment.rows.SLOPE_YEARS` observed years up to the base year
    (2019 and 2020 for base 2020). A template of the plan period (its first year at
    the base year or the year after) starts early enough for them: those years are
    added. A template of later years only (an annual update) gets no columns for
    them, and its instructions say which years to report.

    Parameters
    ----------
    targets
        The template's targets.
    years
        The years asked for, sorted.

    Returns
    -------
    (list of int, list of str)
        The years to add, and the lines of the instructions (Chinese, then English),
        one pair per base year; empty without trend-slowdown targets.

    Examples
    --------
    >>> t = Target(id="C-obesity", indicator="child_obesity_rate", kind="trend_slowdown",
    ...            unit="percent", direction="decrease", target_year=2025, baseline_year=2020)
    >>> added, lines = slowdown_years([t], [2020, 2021, 2022])
    >>> added
    [2019]
    >>> print(lines[0])
    8. 上升趋势减缓类目标（C-obesity）要比较基期（2020年）前后的趋势，需要2020年及以前至少2个年份的数据：请填写2019—2020年（本模板已含这些年份的列）。
    >>> slowdown_years([t], [2023])[0]
    []
    """
    from hbkit.assessment.rows import SLOPE_YEARS, base_year_of

    by_base: dict[int, list[str]] = {}
    for target in targets:
        if target.kind == "trend_slowdown" and target.is_quantitative:
            by_base.setdefault(base_year_of(target), []).append(target.id)
    added: set[int] = set()
    lines: list[str] = []
    after = (len(INSTRUCTIONS) - 2) // 2  # the numbered items of the instructions
    for number, (base, ids) in enumerate(sorted(by_base.items()), start=after + 1):
        needed = list(range(base - SLOPE_YEARS + 1, base + 1))
        covered = years[0] <= base + 1
        if covered:
            added.update(y for y in needed if y not in years)
        first, last = needed[0], needed[-1]
        named = "、".join(ids)
        has_zh = "本模板已含这些年份的列" if covered else (
            f"本模板没有这些年份的列：请另行上报，或生成从{first}年开始的模板")
        has_en = "this template has columns for them" if covered else (
            f"this template has no columns for them: report them apart, or make a template "
            f"starting in {first}")
        lines += [
            f"{number}. 上升趋势减缓类目标（{named}）要比较基期（{base}年）前后的趋势，需要{base}年及以前"
            f"至少{SLOPE_YEARS}个年份的数据：请填写{first}—{last}年（{has_zh}）。",
            f"   Trend-slowdown targets ({', '.join(ids)}) compare the trend after the base year "
            f"({base}) with the trend up to it, which needs at least {SLOPE_YEARS} observed "
            f"years up to {base}: please fill in {first}-{last} ({has_en}).",
        ]
    return sorted(added), lines


#: one row of a domain sheet: the targets judged on its indicator, its area, and the
#: indicator itself when the row is a relational target's reference (None otherwise)
Row = tuple[list[Target], str, str | None]


def _rows_by_domain(targets: Sequence[Target], geo: str, units: Mapping[str, Sequence[str]]
                    ) -> dict[str, list[Row]]:
    """Domain sheet -> rows (targets of one indicator, geo, reference); each indicator on
    one sheet, the area's row first, then one row per sub-unit of its each-unit targets
    (``units``: names per ``each_unit``). A relational target's reference indicator that
    no target is judged on gets rows of its own after the target's (its data are needed
    to judge it: 女职工比例 for 职工代表大会中女性比例与女职工比例相适应)."""
    by_indicator: dict[str, list[Target]] = {}
    for target in targets:
        if target.is_quantitative and target.indicator:
            by_indicator.setdefault(target.indicator, []).append(target)
    references: dict[str, dict[str, list[Target]]] = {}  # indicator -> reference -> targets
    for indicator, group in by_indicator.items():
        for target in group:
            ref = target.reference_indicator
            if ref and ref not in by_indicator:
                references.setdefault(indicator, {}).setdefault(ref, []).append(target)
    placed: set[str] = set()
    sheets: dict[str, list[Row]] = {}
    for indicator, group in by_indicator.items():
        domain = group[0].domain
        sheet = f"{DOMAIN_ZH.get(str(domain), '其他')} {domain or 'other'}"[:31]
        rows = sheets.setdefault(sheet, [])
        rows.extend(_area_rows(group, geo, units, None))
        for ref, relational in references.get(indicator, {}).items():
            if ref not in placed:
                placed.add(ref)
                rows.extend(_area_rows(relational, geo, units, ref))
    return sheets


def _area_rows(group: list[Target], geo: str, units: Mapping[str, Sequence[str]],
               reference: str | None) -> list[Row]:
    """The area's row of ``group`` and one per sub-unit its each-unit targets need."""
    kinds = dict.fromkeys(str(t.each_unit) for t in group if t.each_unit)
    names = dict.fromkeys(name for kind in kinds for name in units.get(kind, ()))
    return [(group, geo, reference),
            *((group, f"{geo}{GEO_SEPARATOR}{name}", reference) for name in names)]


def unit_names(area: str, streets: Sequence[str] | None = None,
               units: Mapping[str, Sequence[str]] | None = None) -> dict[str, tuple[str, ...]]:
    """The sub-unit names of each ``each_unit`` the template gives rows to.

    :data:`HEBEI_UNITS` when ``area`` is 河北区, else none; ``streets`` replaces the
    streets, ``units`` (keys in English or Chinese: ``"community_health_centre"``,
    ``"社区卫生服务中心"``, ``"街道"``) replaces the names of each unit it gives.

    Examples
    --------
    >>> names = unit_names("河北区", units={"社区卫生服务中心": ["甲中心", "乙中心"]})
    >>> names["community_health_centre"], len(names["street"]), len(names["leadership_team"])
    (('甲中心', '乙中心'), 10, 4)
    >>> unit_names("河东区", streets=["大王庄街道"])
    {'street': ('大王庄街道',)}
    >>> unit_names("河东区", units={"班级": ["一班"]})
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: units 的键须为分单位类型之一 / units takes keys among street, community, community_health_centre, department, leadership_team, school (or their Chinese names 街道, 社区, 社区卫生服务中心, 部门, 领导班子, 学校); received '班级'
    """
    from hbkit.catalogue.io import each_unit_word

    out = dict(HEBEI_UNITS) if area == DEFAULT_GEO else {}
    if streets is not None:
        out[STREET] = tuple(streets)
    for key, names in (units or {}).items():
        kind = each_unit_word(str(key))
        if kind is None:
            raise HbkitError(
                "units 的键须为分单位类型之一 / units takes keys among "
                f"{', '.join(EACH_UNITS)} (or their Chinese names "
                f"{', '.join(EACH_UNIT_ZH[k] for k in EACH_UNITS)}); received {key!r}")
        if isinstance(names, str):
            raise HbkitError(f"units[{key!r}] 须为名称列表 / units[{key!r}] must be a list of "
                             f"names; received the text {names!r}")
        out[kind] = tuple(str(n).strip() for n in names if str(n).strip())
    return out


def units_without_names(targets: Iterable[Target], units: Mapping[str, Sequence[str]]
                        ) -> dict[str, list[str]]:
    """``each_unit`` -> ids of the quantitative targets judged unit by unit whose units the
    template cannot name (no names given or known): they get the area's row only.

    >>> t = Target(id="C-gp", indicator="gp", kind="count_minimum", threshold=1,
    ...            unit="count", each_unit="community_health_centre")
    >>> units_without_names([t], unit_names("河北区"))
    {'community_health_centre': ['C-gp']}
    """
    out: dict[str, list[str]] = {}
    for target in targets:
        if target.is_quantitative and target.indicator and target.each_unit and not units.get(
                str(target.each_unit)):
            out.setdefault(str(target.each_unit), []).append(target.id)
    return out


def units_argument(kind: str) -> str:
    """How :func:`unnamed_note` tells a Python user to name the units of one ``each_unit``:
    the ``units`` argument of :func:`observation_template` (the command line says its
    own options instead).

    >>> units_argument("community_health_centre")
    "units={'community_health_centre': [...]}"
    """
    return f"units={{{kind!r}: [...]}}"


def unnamed_note(unnamed: Mapping[str, Sequence[str]], area: str) -> str:
    """What the template says of the targets :func:`units_without_names` finds, and how to
    give their units' names (:func:`units_argument`).

    >>> print(unnamed_note({"community_health_centre": ["C-gp"]}, "河北区"))
    以下逐个单位考核的目标在模板中只有河北区一行，没有各单位的行（不知道单位名称）：社区卫生服务中心：C-gp；请给出单位名称（units={'community_health_centre': [...]}），或在模板中添加“河北区/单位名称”的行 / these targets judged unit by unit have one row for 河北区 only, no row per unit (the units' names are not known): community_health_centre: C-gp; give the names (units={'community_health_centre': [...]}), or add rows '河北区/<unit>' to the template
    """
    what_zh = "；".join(f"{EACH_UNIT_ZH.get(k, k)}：{'、'.join(ids)}" for k, ids in unnamed.items())
    what_en = "; ".join(f"{k}: {', '.join(ids)}" for k, ids in unnamed.items())
    hows = ", ".join(units_argument(k) for k in unnamed)
    return (f"以下逐个单位考核的目标在模板中只有{area}一行，没有各单位的行（不知道单位名称）：{what_zh}；"
            f"请给出单位名称（{hows}），或在模板中添加“{area}/单位名称”的行 / these targets judged "
            f"unit by unit have one row for {area} only, no row per unit (the units' names are "
            f"not known): {what_en}; give the names ({hows}), or add rows '{area}/<unit>' to "
            "the template")


def _note_area_not_named(catalogue: Iterable[Target], area: str) -> None:
    """Warn when a catalogue file names no area and the template falls back on 河北区.

    A CSV catalogue holds targets only, and a YAML or Excel one may leave out
    ``default_geo``: such a catalogue's area is the shipped plans' 河北区, so its
    template would be 河北区's, with its streets, for another district's plan.
    The shipped catalogue (its name names 河北区) and one built in Python (no
    file) are not warned about.
    """
    path = getattr(catalogue, "path", None)
    if area != DEFAULT_GEO or not path or DEFAULT_GEO in str(getattr(catalogue, "name_zh", "")):
        return
    notify(f"目录文件 {path} 没有写明所属地区（default_geo），模板按默认的{DEFAULT_GEO}生成（地区列为"
           f"{DEFAULT_GEO}，以街为单位等逐个单位考核的目标为{DEFAULT_GEO}的街道和单位）；其他区请给出地区"
           "（命令行 --geo 本区名，Python 中 geo=），或在 YAML 目录的 catalogue: 块、Excel 目录的 "
           "catalogue 工作表中写明 default_geo（CSV 目录只含目标，不能写） / the catalogue file "
           f"{path} names no area (default_geo), so the template is for the default {DEFAULT_GEO} "
           "(Hebei District: its name in the area column, its streets and units for targets "
           "judged unit by unit); for another district give the area (--geo NAME on the command "
           "line, geo= in Python) or write default_geo in the YAML catalogue's catalogue: block "
           "or the Excel catalogue's catalogue sheet (a CSV catalogue holds targets only)",
           HbkitWarning, stacklevel=3)


def observation_template(catalogue: Iterable[Target], years: Iterable[int],
                         path: str | os.PathLike[str], *, geo: str | None = None,
                         streets: Sequence[str] | None = None,
                         units: Mapping[str, Sequence[str]] | None = None) -> Path:
    """Write the Excel reporting template for the catalogue's quantitative targets.

    Parameters
    ----------
    catalogue
        A :class:`~hbkit.Catalogue` or any iterable of Targets.
    years
        Years to report, e.g. ``range(2021, 2026)`` or ``[2024]``; each read as a
        year cell (``2024``, ``"2024"``, ``"2024年"``) in 1949-2100. A text
        (``"2021"``, ``"2021-2025"``) or a lone number is an error saying how to
        write the years (Python would read ``"2021"`` as the years 2, 0, 2, 1).
    path
        Where to write the ``.xlsx`` file.
    geo
        Area of the rows; default ``catalogue.default_geo``, else ``"河北区"``. A
        catalogue read from a file that names no area (a CSV catalogue, or
        YAML/Excel without ``default_geo``) has 河北区: a
        :class:`~hbkit.exceptions.HbkitWarning` then says so and how to give the area.
    streets
        Streets for targets that must hold in every street (``each_unit="street"``);
        default the ten streets of Hebei District when ``geo`` is 河北区, else none.
    units
        Names of the sub-units of other targets judged unit by unit, per
        ``each_unit`` (``{"community_health_centre": ["光复道街社区卫生服务中心", ...]}``,
        keys also in Chinese: ``社区卫生服务中心``, ``领导班子``, ``部门``, ``学校``, ``社区``);
        default for 河北区 the leadership teams and departments the women's plan
        names (:data:`HEBEI_UNITS`). Such a target whose units have no names gets
        the area's row only, and a :class:`~hbkit.exceptions.HbkitWarning` says so.

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
    year_list = check_years("years", years)
    added, slowdown_lines = slowdown_years(targets, year_list)
    if added:
        notify(f"上升趋势减缓类目标需要基期及以前的数据，模板增加了{'、'.join(map(str, added))}年的列"
               f" / trend-slowdown targets need data up to their base year: the template also "
               f"has columns for {', '.join(map(str, added))}", HbkitWarning, stacklevel=2)
        year_list = sorted({*year_list, *added})
    area = geo or getattr(catalogue, "default_geo", None) or DEFAULT_GEO
    if geo is None:
        _note_area_not_named(catalogue, area)
    unit_list = unit_names(area, streets, units)
    sheets = _rows_by_domain(targets, area, unit_list)
    if not sheets:
        raise HbkitError("目录中没有定量目标 / the catalogue has no quantitative target")
    unnamed = units_without_names(targets, unit_list)
    if unnamed:
        notify(unnamed_note(unnamed, area), HbkitWarning, stacklevel=2)
    import openpyxl

    name = str(getattr(catalogue, "name_zh", "") or "").strip()
    plans = (name if area in name else f"{area}{name}") if name else f"{area}妇女儿童发展规划"
    book = openpyxl.Workbook()
    _write_instructions(book.active, (TITLE.format(plans=plans), *INSTRUCTIONS[1:-2],
                                      *check_lines(catalogue), *slowdown_lines))
    from hbkit.report.tables import indicator_names

    names = indicator_names(targets)
    for name, rows in sheets.items():
        _write_domain_sheet(book.create_sheet(name), rows, year_list, names)
    for sheet in book.worksheets:
        _print_setup(sheet)
    out = Path(path)
    try:
        book.save(out)
    except OSError as exc:
        raise HbkitError(f"无法写入文件 / cannot write {out}: {exc.strerror}") from None
    return out


def _print_setup(sheet: Any) -> None:
    """Print ``sheet`` landscape on A4 as the report workbook's sheets print: at 60% of its
    size or more, as many pages across as that takes (the first column repeated on each),
    the header row on every page (:func:`hbkit.report.excel.pages_wide`)."""
    from hbkit.report.excel import pages_wide

    setup = sheet.page_setup
    setup.orientation, setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = pages_wide(sheet), 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.title != INSTRUCTIONS_SHEET:
        sheet.print_title_rows = "1:1"
    if setup.fitToWidth > 1:
        sheet.print_title_cols = "A:A"


def _write_instructions(sheet: object, lines: Sequence[str] = INSTRUCTIONS) -> None:
    from openpyxl.styles import Alignment, Font

    from hbkit.report.excel import LINE_HEIGHT, wrapped_lines

    sheet.title = INSTRUCTIONS_SHEET  # type: ignore[attr-defined]
    for number, line in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1, value=line)  # type: ignore[attr-defined]
        # wrapped in the column, its row as tall as its lines: an item longer than the column
        # is read whole on screen and on the printed page (unwrapped, the print cut it off)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if number == 1:
            cell.font = Font(bold=True, size=14)
        elif wrapped_lines(line, INSTRUCTIONS_WIDTH) > 1:
            sheet.row_dimensions[number].height = (  # type: ignore[attr-defined]
                wrapped_lines(line, INSTRUCTIONS_WIDTH) * LINE_HEIGHT)
    sheet.column_dimensions["A"].width = INSTRUCTIONS_WIDTH  # type: ignore[attr-defined]


def _write_domain_sheet(sheet: object, rows: list[Row],
                        years: list[int], names: dict[str, tuple[str, str]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    with_counts = any(str(group[0].unit) in UNIT_SCALE and not any(t.signed for t in group)
                      for group, _, _ in rows)
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
    # the header row and the columns that say what a row is (indicator, name, unit, area) stay
    # in view; freezing every fixed column (about 200 characters wide) would leave no room on
    # a laptop's screen for the year columns, which could then not be scrolled to
    ws.freeze_panes = ws.cell(row=2, column=FROZEN_COLUMNS + 1)  # type: ignore[attr-defined]
    validations = {
        "bounded": _validation(DataValidation, "between", 0, 100,
                               "请输入0—100之间的数值 / a number from 0 to 100"),
        "positive": _validation(DataValidation, "greaterThanOrEqual", 0, None,
                                "请输入不小于0的数值 / a number >= 0"),
    }
    for rule in validations.values():
        ws.add_data_validation(rule)  # type: ignore[attr-defined]
    for number, (group, geo, reference) in enumerate(rows, start=2):
        first = group[0]
        unit = str(first.unit)
        rules = [target_text(t, names.get(str(t.reference_indicator))) for t in group]
        if reference is None:
            indicator, name, rule = first.indicator, first.name_zh or first.name_en, rules
        else:
            indicator, name = reference, names.get(reference, ("", ""))[0] or reference
            rule = [_reference_text(t.id, text) for t, text in zip(group, rules, strict=True)]
        fixed = (indicator, name, UNIT_ZH.get(unit, unit), geo,
                 "\n".join(t.id for t in group), "\n".join(dict.fromkeys(rule)),
                 "\n".join(dict.fromkeys(t.text_zh for t in group if t.text_zh)))
        for index, value in enumerate(fixed, start=1):
            cell = ws.cell(row=number, column=index, value=value)  # type: ignore[attr-defined]
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        # a signed indicator (a relative gap in percent) may be negative, and is modelled on
        # its values alone: no counts asked for, no >= 0 rule on its values
        signed = unit in SIGNED_UNITS or any(t.signed for t in group)
        is_rate = unit in UNIT_SCALE and not any(t.signed for t in group)
        for offset, (_, kind) in enumerate(year_columns):
            cell = ws.cell(row=number, column=len(FIXED_COLUMNS) + 1 + offset)  # type: ignore[attr-defined]
            if kind != "value" and not is_rate:
                cell.fill = grey
                continue
            if kind == "value" and any(t.bounded for t in group):
                validations["bounded"].add(cell.coordinate)
            elif kind != "value" or not signed:
                validations["positive"].add(cell.coordinate)


def _reference_text(target_id: str, rule: str) -> str:
    r"""The 目标 cell of a reference indicator's row: which target it is needed for, and its rule.

    >>> print(_reference_text("W-d", "2030年值≥女党员比例同年值\nvalue in 2030 >= members"))
    参照指标：用于判定 W-d（2030年值≥女党员比例同年值）
    reference indicator of W-d (value in 2030 >= members)
    """
    zh, en = rule.split("\n", 1)
    return f"参照指标：用于判定 {target_id}（{zh}）\nreference indicator of {target_id} ({en})"


def _validation(factory: type, operator: str, low: float, high: float | None, message: str
                ) -> Any:
    rule = factory(type="decimal", operator=operator, formula1=str(low),
                   formula2=None if high is None else str(high), allow_blank=True)
    rule.error, rule.errorTitle = message, "数值有误 / invalid figure"
    rule.prompt, rule.promptTitle = message, "填写提示 / input"
    rule.showErrorMessage = rule.showInputMessage = True
    return rule
