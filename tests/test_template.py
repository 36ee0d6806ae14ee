"""The reporting template: layout, validation, and a filled template read back unchanged."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from hbkit import HbkitError, Target, observation_template, read_observations
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
    assert health.cell(2, 6).value == "≤ 8.5/10万（2025年）"
    assert health.freeze_panes == "H2"
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
        "每年下降0.5个百分点（2021—2025年）")
