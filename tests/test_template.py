"""The reporting template: layout, validation, and a filled template read back unchanged."""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import hbkit
from hbkit import (
    Catalogue,
    HbkitError,
    Target,
    load_catalogue,
    observation_template,
    read_observations,
)
from hbkit.attainment import rule_text
from hbkit.cli import main
from hbkit.template import HEBEI_STREETS, INSTRUCTIONS_SHEET

CATALOGUE = [
    Target(id="W-health-maternal-mortality", plan="women", domain="health",
           indicator="maternal_mortality_ratio", kind="upper_bound", threshold=8.5,
           unit="per_100k", name_zh="孕产妇死亡率", text_zh="孕产妇死亡率控制在8.5/10万以下"),
    Target(id="C-health-maternal-mortality", plan="children", domain="health",
           indicator="maternal_mortality_ratio", kind="upper_bound", threshold=8.5,
           unit="per_100k", name_zh="孕产妇死亡率"),
    Target(id="C-health-immunization-each-street", plan="children", domain="health",
           indicator="immunization_coverage", kind="maintain", threshold=95, unit="percent",
           direction="increase", each_unit="street", name_zh="适龄儿童免疫规划疫苗接种率"),
    Target(id="C-education-high-school", plan="children", domain="education",
           indicator="high_school_gross_enrollment_rate", kind="lower_bound", threshold=98,
           unit="percent", bounded=False, name_zh="高中阶段毛入学率"),
    Target(id="C-health-outdoor", plan="children", domain="health",
           indicator="child_daily_outdoor_daylight_hours", kind="lower_bound", threshold=1,
           unit="hours_per_day", name_zh="儿童每天接触户外自然光时间"),
    Target(id="C-law-qualitative", plan="children", domain="law", kind="qualitative",
           direction="none"),
]
YEARS = [2021, 2022, 2023]


@pytest.fixture()
def template(tmp_path):
    return observation_template(CATALOGUE, YEARS, tmp_path / "template.xlsx")


def test_frozen_columns_leave_room_for_the_years_and_every_sheet_prints_on_a4(template):
    """Scrolling right to the years keeps the indicator, its name, unit and area in view; the
    frozen part must leave room for the years on a laptop's screen (about 150 characters at
    100%), or they could not be scrolled to. Every sheet prints landscape on A4 with its
    header row on each page; the instructions wrap, so a printed item is not cut off."""
    from hbkit.report.plain import text_width

    book = openpyxl.load_workbook(template)
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes == "E2", sheet.title
        assert [c.value for c in sheet[1]][:4] == ["指标代码 indicator", "指标名称 name",
                                                   "单位 unit", "地区 geo"]
        frozen = sum(sheet.column_dimensions[letter].width for letter in "ABCD")
        assert frozen <= 100, (sheet.title, frozen)
        assert sheet.print_title_rows == "$1:$1", sheet.title
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight == 0
        width = sum(sheet.column_dimensions[c.column_letter].width for c in sheet[1])
        assert width / setup.fitToWidth <= 225, sheet.title  # 60% of its size or more
        assert sheet.print_title_cols == ("$A:$A" if setup.fitToWidth > 1 else None)
    instructions = book[INSTRUCTIONS_SHEET]
    column = instructions.column_dimensions["A"].width
    long_items = 0
    for (cell,) in instructions.iter_rows(min_row=2):
        assert cell.alignment.wrap_text, cell.coordinate
        if text_width(cell.value or "") > column:  # two lines or more, 16 points each
            long_items += 1
            assert instructions.row_dimensions[cell.row].height >= 32, cell.coordinate
    assert long_items >= 1


def test_sheets_headers_and_rows(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == [INSTRUCTIONS_SHEET, "健康 health", "教育 education"]
    health = book["健康 health"]
    header = [c.value for c in health[1]]
    assert header[:4] == ["指标代码 indicator", "指标名称 name", "单位 unit", "地区 geo"]
    assert header[7:10] == ["2021年", "2021年 分子", "2021年 分母"]
    assert header[-1] == "数据来源 source"
    rows = [[c.value for c in row[:5]] for row in health.iter_rows(min_row=2)]
    # maternal mortality once (two targets share it), immunisation for the district + 10 streets
    assert [r[0] for r in rows].count("maternal_mortality_ratio") == 1
    assert rows[0][2] == "/10万" and rows[0][4].split("\n") == [
        "W-health-maternal-mortality", "C-health-maternal-mortality"]
    geos = [r[3] for r in rows if r[0] == "immunization_coverage"]
    assert geos == ["河北区"] + [f"河北区/{s}" for s in HEBEI_STREETS]
    assert health.cell(2, 7).value == "孕产妇死亡率控制在8.5/10万以下"
    assert health.cell(2, 6).value == "2025年值≤8.5/10万\nvalue in 2025 <= 8.5 per 100,000"
    assert health.freeze_panes == "E2"  # indicator, name, unit, area stay in view
    assert health.column_dimensions["A"].width >= 30
    education = [c.value for c in book["教育 education"][1]]
    assert "2021年 分子" in education  # percent is a rate unit: counts columns offered


def test_instructions_in_chinese_with_english(template):
    sheet = openpyxl.load_workbook(template)[INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for c in sheet["A"] if c.value)
    assert "数据上报模板" in text and "分子" in text and "hbkit validate" in text
    assert "numerator" in text and "Leave a cell empty" in text


def test_data_validation_on_value_cells(template):
    health = openpyxl.load_workbook(template)["健康 health"]
    rules = {(v.operator, v.formula1, v.formula2): str(v.sqref)
             for v in health.data_validations.dataValidation}
    bounded = rules[("between", "0", "100")]
    positive = rules[("greaterThanOrEqual", "0", None)]
    # row 3 is immunisation coverage (bounded); row 2 maternal mortality (>= 0, with counts)
    assert "H3" in bounded.split() and "H2" in positive.split() and "I2" in positive.split()
    assert all(v.type == "decimal" and v.showErrorMessage
               for v in health.data_validations.dataValidation)


def _fill(path, values):
    """values: {(sheet, indicator, geo, header): value}"""
    book = openpyxl.load_workbook(path)
    for (sheet, indicator, geo, column), value in values.items():
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        row = next(r for r in range(2, ws.max_row + 1)
                   if ws.cell(r, 1).value == indicator and ws.cell(r, 4).value == geo)
        ws.cell(row, header.index(column) + 1).value = value
    book.save(path)


def test_filled_template_reads_back_into_the_long_frame(template):
    street = f"河北区/{HEBEI_STREETS[0]}"
    _fill(template, {
        ("健康 health", "maternal_mortality_ratio", "河北区", "2021年"): 24.39,
        ("健康 health", "maternal_mortality_ratio", "河北区", "2021年 分子"): 1,
        ("健康 health", "maternal_mortality_ratio", "河北区", "2021年 分母"): 4100,
        ("健康 health", "maternal_mortality_ratio", "河北区", "2022年 分子"): 0,
        ("健康 health", "maternal_mortality_ratio", "河北区", "2022年 分母"): 3950,
        ("健康 health", "maternal_mortality_ratio", "河北区", "数据来源 source"): "区卫健委",
        ("健康 health", "immunization_coverage", street, "2023年"): 98.6,
        ("健康 health", "child_daily_outdoor_daylight_hours", "河北区", "2022年"): 1.25,
        ("教育 education", "high_school_gross_enrollment_rate", "河北区", "2021年"): 101.2,
    })
    obs = read_observations(template, CATALOGUE)
    expected = pd.DataFrame([
        ("child_daily_outdoor_daylight_hours", "河北区", 2022, 1.25, math.nan, math.nan,
         "hours_per_day", ""),
        ("high_school_gross_enrollment_rate", "河北区", 2021, 101.2, math.nan, math.nan,
         "percent", ""),
        ("immunization_coverage", street, 2023, 98.6, math.nan, math.nan, "percent", ""),
        ("maternal_mortality_ratio", "河北区", 2021, 24.39, 1.0, 4100.0, "per_100k", "区卫健委"),
        ("maternal_mortality_ratio", "河北区", 2022, 0.0, 0.0, 3950.0, "per_100k", "区卫健委"),
    ], columns=["indicator", "geo", "year", "value", "numerator", "denominator", "unit", "source"])
    got = obs.frame.drop(columns=["file", "row"])
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert obs.frame["year"].dtype == "int64"
    assert obs.changes["code"].tolist() == ["value-derived"]  # 2022 computed from 0/3950
    # every unfilled row is logged as excluded, and the instructions sheet as skipped
    codes = obs.excluded["code"].value_counts().to_dict()
    assert codes == {"sheet-skipped": 1, "wide-row-blank": 10}


def test_bad_years_and_empty_catalogue(tmp_path):
    with pytest.raises(HbkitError, match="1949-2100"):
        observation_template(CATALOGUE, [1900], tmp_path / "x.xlsx")
    with pytest.raises(HbkitError, match="no quantitative target"):
        observation_template(CATALOGUE[-1:], YEARS, tmp_path / "x.xlsx")
    with pytest.raises(HbkitError, match="cannot write"):
        observation_template(CATALOGUE, YEARS, tmp_path / "missing" / "dir" / "x.xlsx")


def test_an_annual_change_of_a_percentage_is_in_points(tmp_path) -> None:
    myopia = Target(id="C-health-myopia", plan="children", domain="health",
                    indicator="child_adolescent_myopia_rate", kind="annual_change", threshold=0.5,
                    unit="percent", direction="decrease", baseline_year=2020)
    path = observation_template([myopia], YEARS, tmp_path / "t.xlsx")
    assert openpyxl.load_workbook(path)["健康 health"].cell(2, 6).value == (
        "2021—2025年每年比上一年下降0.5个百分点以上\n"
        "every year 2021-2025 the value falls by >= 0.5 percentage points from the year before")


# ------------------------------------------------------------------ a user's own catalogue

OWN_HEADER = ["目标编号", "规划", "领域", "中文名称", "指标编号", "目标类型", "目标值", "单位",
              "期望方向", "目标年份", "基期年份", "分单位达标"]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    book.active.append(OWN_HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("word", ["street", "街道", "以街为单位", "街", "各街道", "以街道为单位"])
def test_each_unit_in_the_plans_words_gets_street_rows(tmp_path, word) -> None:
    path = _xlsx(tmp_path / "each.xlsx", [
        ["C-imm", "儿童", "健康", "接种率", "immunization_coverage", "保持", 95, "%", "提高", 2030,
         2025, word]])
    cat = Catalogue.from_file(path)
    assert cat["C-imm"].each_unit == "street"
    out = observation_template(cat, range(2024, 2027), tmp_path / "t.xlsx", geo="河东区",
                               streets=["大王庄街道", "大直沽街道"])
    sheet = openpyxl.load_workbook(out)["健康 health"]
    geos = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert geos == ["河东区", "河东区/大王庄街道", "河东区/大直沽街道"]


def test_cli_template_says_when_streets_are_not_used(tmp_path, capsys) -> None:
    path = _xlsx(tmp_path / "mine.xlsx", [
        ["C-imr", "儿童", "健康", "婴儿死亡率", "imr", "不高于", 3, "‰", None, 2030, None, None]])
    out = tmp_path / "t.xlsx"
    assert main(["template", "--years", "2026-2030", "--catalogue", str(path), "--geo", "河东区",
                 "--streets", "大王庄街道", str(out)]) == 0
    assert "--streets 未使用" in capsys.readouterr().err


# ------------------------------------------------------------------ 3. the template's rule


def test_the_template_states_the_rule_the_assessment_judges(tmp_path) -> None:
    cat = load_catalogue()
    ids = ("W-health-anxiety-prevalence", "W-health-depression-prevalence",
           "C-health-myopia-annual-decline")
    out = observation_template([cat[i] for i in ids], range(2019, 2026), tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(out)["健康 health"]
    cells = {row[4]: row[5] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    for target_id in ids:
        zh, en = rule_text(cat[target_id])
        assert cells[target_id] == f"{zh}\n{en}"
    slowdown = cells["W-health-depression-prevalence"]
    assert slowdown.startswith("2020—2025年趋势斜率低于2020年及以前的斜率")  # a slower rise, not a fall
    assert "逐步下降" not in slowdown
    assert cells["C-health-myopia-annual-decline"].startswith(
        "2021—2025年每年比上一年下降1个百分点以上\nevery year 2021-2025 the value falls by >= 1 "
        "percentage point")


# ------------------------------------------------------------------ 4. rows per unit of every each-unit target


def _geos(path: Path, sheet: str, indicator: str) -> list[str]:
    rows = openpyxl.load_workbook(path)[sheet].iter_rows(min_row=2, values_only=True)
    return [row[3] for row in rows if row[0] == indicator]


def test_every_each_unit_target_of_the_shipped_plans_gets_its_units_rows(tmp_path) -> None:
    """Not only streets: the women's plan judges each of the four district leadership teams
    and each related department; their rows carry the names the example district's data use.
    The plans name no community health centre: those targets keep the district's row and
    a warning names them."""
    from hbkit.datasets import load_example
    from hbkit.exceptions import HbkitWarning

    with pytest.warns(HbkitWarning, match="社区卫生服务中心：C-health-chc-child-gp、"
                                          "C-health-chc-child-health-doctors；") as caught:
        path = observation_template(load_catalogue(), YEARS, tmp_path / "t.xlsx")
    # once; the other warning says the template also has 2019-2020 for trend-slowdown targets
    assert len([w for w in caught if issubclass(w.category, HbkitWarning)
                and "社区卫生服务中心" in str(w.message)]) == 1
    example = load_example("hebei_example").observations
    for target in load_catalogue():
        if not (target.each_unit and target.is_quantitative):
            continue
        sheet = next(name for name in openpyxl.load_workbook(path).sheetnames
                     if name.endswith(f" {target.domain}"))
        geos = _geos(path, sheet, str(target.indicator))
        assert geos[0] == "河北区", target.id
        if target.each_unit == "community_health_centre":
            assert geos == ["河北区"]
            continue
        data = sorted(g for g in example.loc[example["indicator"] == target.indicator, "geo"]
                      .unique() if "/" in g)
        assert sorted(geos[1:]) == data and len(geos) == len(set(geos)), target.id
    assert len(_geos(path, "参与决策和管理 decision", "women_in_district_leadership_teams")) == 5
    assert len(_geos(path, "参与决策和管理 decision",
                     "women_in_related_department_leadership")) == 9


def test_filled_unit_rows_are_judged_unit_by_unit(tmp_path) -> None:
    """The leadership teams' rows of the template, filled and read back, give the count
    minimum target its units: the one team without a woman in 2023 is named."""
    cat = load_catalogue("women").filter(domain="decision")
    cat = Catalogue([cat["W-decision-district-leadership-women"]])
    path = observation_template(cat, YEARS, tmp_path / "t.xlsx")
    counts = {"区委领导班子": (1, 1, 1), "区人大常委会领导班子": (0, 1, 1),
              "区政府领导班子": (2, 2, 2), "区政协领导班子": (1, 1, 0)}
    _fill(path, {("参与决策和管理 decision", "women_in_district_leadership_teams", f"河北区/{team}",
                  f"{year}年"): n for team, values in counts.items()
                 for year, n in zip(YEARS, values, strict=True)})
    obs = read_observations(path, cat)
    assert sorted(obs.frame["geo"].unique()) == sorted(f"河北区/{t}" for t in counts)
    assert obs.warnings.empty
    import hbkit

    row = hbkit.assess(obs, catalogue=cat, as_of=2023).to_frame().iloc[0]
    assert (row["status"], row["latest_value"]) == ("off_track", 0)
    assert row["reason_zh"] == "未达到最低数量的单位：区政协领导班子"


def test_a_user_catalogue_names_its_units(tmp_path) -> None:
    """A catalogue of another district judged school by school: the schools come from
    ``units`` (also by the Chinese word); without them, the area's row and a warning."""
    from hbkit.exceptions import HbkitWarning

    path = _xlsx(tmp_path / "mine.xlsx", [
        ["C-psy", "儿童", "健康", "心理健康教师数", "school_psych_teachers", "至少若干", 1, "个",
         None, 2030, None, "每所学校"]])
    cat = Catalogue.from_file(path)
    assert cat["C-psy"].each_unit == "school"
    out = observation_template(cat, range(2026, 2028), tmp_path / "t.xlsx", geo="和平区",
                               units={"学校": ["一中", "二中"]})
    assert _geos(out, "健康 health", "school_psych_teachers") == ["和平区", "和平区/一中", "和平区/二中"]
    with pytest.warns(HbkitWarning, match="学校：C-psy.*units=\\{'school': \\[...\\]\\}"):
        out = observation_template(cat, range(2026, 2028), tmp_path / "t2.xlsx", geo="和平区")
    assert _geos(out, "健康 health", "school_psych_teachers") == ["和平区"]
    with pytest.raises(HbkitError, match="received '班级'"):
        observation_template(cat, range(2026, 2028), tmp_path / "t3.xlsx", units={"班级": ["1"]})


def test_cli_template_takes_units_and_says_which_have_none(tmp_path, capsys) -> None:
    out = tmp_path / "t.xlsx"
    assert main(["template", "--years", "2021-2023", "--plan", "children", str(out)]) == 0
    said = capsys.readouterr().err
    assert "C-health-chc-child-gp" in said and "--units community_health_centre=名称1,名称2" in said
    centres = ["光复道街社区卫生服务中心", "宁园街社区卫生服务中心"]
    assert main(["template", "--years", "2021-2023", "--plan", "children", "--units",
                 f"社区卫生服务中心={','.join(centres)}", str(out)]) == 0
    said = capsys.readouterr()
    assert "没有各单位的行" not in said.out + said.err  # the centres named: no note on them
    assert _geos(out, "健康 health", "chc_child_health_doctors") == [
        "河北区", *(f"河北区/{c}" for c in centres)]
    assert main(["template", "--years", "2021-2023", "--plan", "children", "--units", "学校=一中",
                 str(out)]) == 0
    assert "--units school 未使用" in capsys.readouterr().err


def test_cli_template_says_the_library_note_on_unnamed_units_once(tmp_path, capsys) -> None:
    """The note on units without names is the library's, said once on stderr as
    注意 / note: with the command line's options (--units, --streets), not Python's
    units={...}; that holds for a YAML catalogue whose default_geo is blank too (the
    template is 河北区's, and the command once said it a second time, for an area '')."""
    path = tmp_path / "blank-area.yaml"
    path.write_text(
        "catalogue:\n  name_zh: 测试规划\n  default_geo: ''\ntargets:\n"
        "  - {id: C-gp, plan: children, domain: health, indicator: gp, kind: count_minimum,"
        " threshold: 1, unit: persons, target_year: 2030, each_unit: community_health_centre}\n"
        "  - {id: C-imm, plan: children, domain: health, indicator: imm, kind: maintain,"
        " threshold: 95, unit: percent, direction: increase, target_year: 2030, each_unit: street}\n",
        encoding="utf-8")
    out = tmp_path / "t.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing left to Python's warning printer
        assert main(["template", "--years", "2026-2030", "--catalogue", str(path), "--streets", "",
                     str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"已写入数据上报模板 / template written: {out}\n"
    notes = captured.err.splitlines()
    assert all(line.startswith("注意 / note: ") for line in notes)
    unnamed = [line for line in notes if "没有各单位的行" in line]
    assert len(unnamed) == 1
    assert ("只有河北区一行" in unnamed[0] and "社区卫生服务中心：C-gp；街道：C-imm" in unnamed[0]
            and "（--units community_health_centre=名称1,名称2, --streets 街道1,街道2）" in unnamed[0])
    assert "units=" not in captured.err and "Warning" not in captured.err
    assert _geos(out, "健康 health", "gp") == ["河北区"]


def test_a_template_from_the_base_year_has_the_years_a_trend_slowdown_target_needs(tmp_path):
    """上升趋势减缓 compares the slope up to the base year (2020) with the slope after: it needs
    2019 and 2020 (SLOPE_YEARS = 2). A 2020-2025 template gets a 2019 column, and its
    instructions name the targets; a template of later years only says where they go."""
    from hbkit.assessment.rows import SLOPE_YEARS

    cat = hbkit.load_catalogue().filter(plan="children")
    slowdown = [t.id for t in cat if t.kind == "trend_slowdown"]
    assert slowdown == ["C-health-overweight-slowdown", "C-health-obesity-slowdown"]
    assert SLOPE_YEARS == 2
    with pytest.warns(hbkit.HbkitWarning, match="模板增加了2019年的列"):
        out = observation_template(cat, range(2020, 2026), tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(out)
    header = [c.value for c in book["健康 health"][1]]
    years = [h for h in header if h and re.fullmatch(r"\d{4}年", h)]
    assert years == [f"{y}年" for y in range(2019, 2026)]
    lines = [c.value for (c,) in book[INSTRUCTIONS_SHEET].iter_rows(max_col=1) if c.value]
    assert lines[-2] == (
        "8. 上升趋势减缓类目标（C-health-overweight-slowdown、C-health-obesity-slowdown）要比较基期"
        "（2020年）前后的趋势，需要2020年及以前至少2个年份的数据：请填写2019—2020年（本模板已含这些年份的列）。")
    # an annual update (2023 only): no column for them, and the instructions say so
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "上升趋势减缓", hbkit.HbkitWarning)  # no year added
        later = observation_template(cat, [2023], tmp_path / "t2023.xlsx")
    book = openpyxl.load_workbook(later)
    header = [c.value for c in book["健康 health"][1]]
    assert [h for h in header if h and re.fullmatch(r"\d{4}年", h)] == ["2023年"]
    lines = [c.value for (c,) in book[INSTRUCTIONS_SHEET].iter_rows(max_col=1) if c.value]
    assert "本模板没有这些年份的列：请另行上报，或生成从2019年开始的模板" in lines[-2]


def test_a_relational_targets_reference_gets_a_row(tmp_path) -> None:
    """党代会女代表比例不低于女党员比例 with no target of its own on 女党员比例 (the shipped
    职工代表 target's 女职工比例 too): the template has a row for the reference, filled and
    read back it lets the target be judged instead of 数据不足 (无参照指标数据)."""
    delegates = Target(id="W-delegates", plan="women", domain="decision",
                       indicator="delegates_share", kind="relational", unit="percent",
                       direction="increase", reference_indicator="members_share",
                       reference_name_zh="女党员比例",
                       reference_name_en="female share of Party members",
                       name_zh="党代会女代表比例", text_zh="党代会中女党员代表比例不低于女党员比例",
                       target_year=2030)
    cat = Catalogue([delegates])
    path = observation_template(cat, range(2021, 2028), tmp_path / "t.xlsx", geo="河东区")
    sheet = openpyxl.load_workbook(path)["参与决策和管理 decision"]
    rows = {row[0]: row[:7] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == ["delegates_share", "members_share"]
    reference = rows["members_share"]
    assert reference[1:5] == ("女党员比例", "%", "河东区", "W-delegates")
    assert reference[5] == ("参照指标：用于判定 W-delegates（2030年值≥女党员比例同年值）\n"
                            "reference indicator of W-delegates (value in 2030 >= female share "
                            "of Party members in the same year)")
    assert reference[6] == "党代会中女党员代表比例不低于女党员比例"
    values = {}
    for year in range(2021, 2028):
        values[("参与决策和管理 decision", "delegates_share", "河东区", f"{year}年")] = 30 + year % 10
        values[("参与决策和管理 decision", "members_share", "河东区", f"{year}年")] = 25 + year % 10
    _fill(path, values)
    obs = read_observations(path, cat)
    assert set(obs.frame["indicator"]) == {"delegates_share", "members_share"}
    row = hbkit.assess(obs, catalogue=cat, as_of=2027).to_frame().iloc[0]
    assert row["status"] == "achieved"  # 37 >= 32 in 2027


def test_the_shipped_template_has_a_row_for_every_reference(tmp_path) -> None:
    """The shipped 职工代表大会中女性比例与女职工比例相适应: 女职工比例 is judged by no target,
    yet the template has its row (the example district's data have it)."""
    cat = load_catalogue("women").filter(domain="decision")
    path = observation_template(cat, YEARS, tmp_path / "t.xlsx")
    assert _geos(path, "参与决策和管理 decision", "female_share_of_employees") == ["河北区"]
    assert _geos(path, "参与决策和管理 decision", "female_share_of_party_members") == ["河北区"]


def test_cli_template_prints_the_added_years_as_a_note(tmp_path, capsys) -> None:
    """`hbkit template --years 2026-2030` of a plan with a trend-slowdown target adds 2024
    and 2025: the command says so as a note, not as a Python warning with hbkit's source
    file and line (/…/hbkit/cli/template.py:92: HbkitWarning: … path = observation_template(…)."""
    path = _xlsx(tmp_path / "mine.xlsx", [
        ["C-ow", "儿童", "健康", "儿童超重率", "child_overweight_rate", "上升趋势减缓", None, "%",
         "下降", 2030, 2025, None]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing left to Python's warning printer
        assert main(["template", "--years", "2026-2030", "--catalogue", str(path),
                     str(tmp_path / "t.xlsx")]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("注意 / note: 上升趋势减缓类目标需要基期及以前的数据，"
                                   "模板增加了2024、2025年的列")  # on stderr, where it was
    assert "HbkitWarning" not in captured.out + captured.err


def test_a_catalogue_file_naming_no_area_is_not_silently_hebei(tmp_path, capsys) -> None:
    """A CSV catalogue holds targets only (no default_geo): without --geo the template is
    河北区's, with its ten streets. Another district's analyst is told so and how to name
    the area; a catalogue naming its area, an area given, or the shipped plans are not."""
    path = _xlsx(tmp_path / "mine.xlsx", [
        ["C-imm", "儿童", "健康", "接种率", "immunization_coverage", "保持", 95, "%", "提高", 2030,
         2025, "以街为单位"]])
    csv = Catalogue.from_file(path).to_file(tmp_path / "mine.csv")
    cat = Catalogue.from_file(csv)
    with pytest.warns(hbkit.HbkitWarning, match="mine.csv 没有写明所属地区.*--geo"):
        observation_template(cat, [2026], tmp_path / "t.xlsx")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", ".*所属地区", hbkit.HbkitWarning)
        out = observation_template(cat, [2026], tmp_path / "t2.xlsx", geo="河东区",
                                   streets=["大王庄街道"])
        assert _geos(out, "健康 health", "immunization_coverage") == ["河东区", "河东区/大王庄街道"]
        named = Catalogue(list(cat), default_geo="河东区", path=csv)
        observation_template(named, [2026], tmp_path / "t3.xlsx", streets=["大王庄街道"])
        observation_template(load_catalogue("children"), [2023], tmp_path / "t4.xlsx")
    assert main(["template", "--years", "2026", "--catalogue", str(csv),
                 str(tmp_path / "t5.xlsx")]) == 0
    assert "注意 / note: 目录文件" in capsys.readouterr().err


def _instruction_lines(path: Path) -> list[str]:
    """Item 7 of the instructions, Chinese then English."""
    book = openpyxl.load_workbook(path)
    lines = [c.value for (c,) in book[INSTRUCTIONS_SHEET].iter_rows(max_col=1) if c.value]
    at = next(i for i, line in enumerate(lines) if line.startswith("7. "))
    return lines[at:at + 2]


def test_a_template_of_ones_own_catalogue_says_to_validate_with_it(tmp_path) -> None:
    """The next plans' template (hbkit template --catalogue 目录.xlsx): its last instruction
    used to say ``hbkit validate 文件名.xlsx``, which checks against the shipped catalogue and
    calls every indicator of the new plans unknown. It names the catalogue file now; a
    catalogue built in Python has none, and the line says to write it to a file first; the
    shipped catalogue needs no option."""
    own = tmp_path / "河北区规划 2026-2030.yaml"
    Catalogue([Target(id="C-reading", indicator="child_reading_rate", kind="lower_bound",
                      threshold=90, unit="percent", domain="education", target_year=2030)]
              ).to_file(own)
    cat = Catalogue.from_file(own)
    assert main(["template", "--years", "2025-2026", "--catalogue", str(own),
                 str(tmp_path / "own.xlsx")]) == 0
    lines = _instruction_lines(tmp_path / "own.xlsx")
    assert lines[-2] == (f"7. 填写完成后可运行 hbkit validate 文件名.xlsx --catalogue '{own}' 检查"
                         "（按本模板的目标目录）。")
    assert lines[-1] == (f"   When done, check the file with: hbkit validate FILE.xlsx --catalogue "
                         f"'{own}' (this template's catalogue)")
    in_python = Catalogue(list(cat))
    lines = _instruction_lines(observation_template(in_python, [2026], tmp_path / "py.xlsx"))
    assert "hbkit validate 文件名.xlsx --catalogue 目录文件" in lines[-2]
    assert "Catalogue.to_file" in lines[-2] and "Catalogue.to_file" in lines[-1]
    lines = _instruction_lines(observation_template(load_catalogue("children"), [2023],
                                                    tmp_path / "shipped.xlsx"))
    assert lines[-2] == "7. 填写完成后可运行 hbkit validate 文件名.xlsx 检查。"
