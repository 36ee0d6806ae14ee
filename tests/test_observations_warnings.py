"""Warnings across rows: areas written two ways, streets without their district, fractions.

The rows are used as they are; the warnings are listed in ``Observations.warnings``
(file, row, column, value as written, rule) and a ``DataWarning`` says how many.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from hbkit import DataWarning, Target, read_observations
from hbkit.observations.across import area_suggestions

CATALOGUE = [
    Target(id="C-health-imr", indicator="infant_mortality_rate", kind="upper_bound",
           threshold=5, unit="per_1000", domain="health", name_zh="婴儿死亡率"),
    Target(id="C-health-imm", indicator="immunization_coverage", kind="lower_bound",
           threshold=95, unit="percent", domain="health", name_zh="免疫接种率"),
]
HEADER = "指标代码,地区,年份,数值,分子,分母,单位,数据来源\n"


def read(tmp_path: Path, body: str) -> tuple[pd.DataFrame, list[str], pd.DataFrame]:
    path = tmp_path / "obs.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obs = read_observations(path, CATALOGUE)
    messages = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    return obs.warnings, messages, obs.frame


def test_area_without_suffix_is_named_with_the_frequent_spelling(tmp_path):
    found, messages, frame = read(tmp_path, "".join(
        f"infant_mortality_rate,{geo},{year},3.{year % 10},,,‰,卫健委\n"
        for geo, year in (("河北区", 2019), ("河北区", 2020), ("河北", 2021), ("河北区", 2022))))
    assert found[["file", "row", "column", "value", "code"]].values.tolist() == [
        [found.loc[0, "file"], 4, "地区", "河北", "geo-similar"]]
    assert found.loc[0, "file"].endswith("obs.csv")
    assert "did you mean '河北区' (3 rows)?" in found.loc[0, "rule"]
    assert "地区名称与另一地区只差行政区划后缀" in found.loc[0, "rule"]
    assert len(frame) == 4  # used as it is: a warning, not an error
    assert messages and "1 row to check" in messages[-1]


def test_street_without_its_district_suggests_the_district(tmp_path):
    found, _, _ = read(tmp_path,
                       "immunization_coverage,河北区/光复道街道,2021,96,,,%,卫健委\n"
                       "immunization_coverage,河北区/光复道街道,2022,96.5,,,%,卫健委\n"
                       "immunization_coverage,光复道街道,2023,97,,,%,卫健委\n"
                       "immunization_coverage,河北区,2023,97,,,%,卫健委\n")
    assert found[["row", "column", "value", "code"]].values.tolist() == [
        [4, "地区", "光复道街道", "geo-street-top-level"]]
    assert "did you mean '河北区/光复道街道'?" in found.loc[0, "rule"]


def test_street_with_other_streets_under_one_district(tmp_path):
    found, _, _ = read(tmp_path,
                       "immunization_coverage,河北区/望海楼街道,2022,96,,,%,卫健委\n"
                       "immunization_coverage,宁园街,2022,97,,,%,卫健委\n")
    assert found[["row", "code"]].values.tolist() == [[3, "geo-street-top-level"]]
    assert "did you mean '河北区/宁园街'?" in found.loc[0, "rule"]


def test_other_districts_and_lone_streets_give_no_warning(tmp_path):
    found, messages, _ = read(tmp_path,
                              "infant_mortality_rate,河北区,2021,3.1,,,‰,卫健委\n"
                              "infant_mortality_rate,和平区,2021,3.0,,,‰,卫健委\n"
                              "infant_mortality_rate,河北省,2021,4.0,,,‰,卫健委\n"
                              "infant_mortality_rate,光复道街道,2021,3.2,,,‰,卫健委\n")
    assert found.empty and not messages


@pytest.mark.parametrize(("counts", "expected"), [
    ({"天津市": 5, "天津": 2}, {"天津": ("geo-similar", "是否应为 '天津市'（5 行）？ / did you mean '天津市' (5 rows)?")}),
    ({"河北 区": 1, "河北区": 1}, {"河北 区": ("geo-similar", "是否应为 '河北区'（1 行）？ / did you mean '河北区' (1 row)?")}),
    ({"河北区/光复道街": 1, "河北区/光复道街道": 4},
     {"河北区/光复道街": ("geo-similar", "是否应为 '河北区/光复道街道'（4 行）？ / did you mean '河北区/光复道街道' (4 rows)?")}),
    ({"新村": 2, "新镇": 2}, {}),
])
def test_area_suggestions(counts, expected):
    assert area_suggestions(counts) == expected


def test_fraction_typed_for_a_percent(tmp_path):
    found, _, frame = read(tmp_path,
                           "immunization_coverage,河北区,2016,95.1,,,%,卫健委\n"
                           "immunization_coverage,河北区,2017,0.95,,,%,卫健委\n"
                           "immunization_coverage,河北区,2018,96,,,%,卫健委\n")
    assert found[["row", "column", "value", "code"]].values.tolist() == [
        [3, "数值", "0.95", "value-looks-fraction"]]
    assert found.loc[0, "rule"].endswith(": 0.95%，是否应为 95？ / 0.95 percent; did you mean 95?")
    assert frame["value"].tolist() == [95.1, 0.95, 96.0]  # used as written


@pytest.mark.parametrize("others", [("1.2", "1.5"), ("95.1",), ("95.1", "0.9")])
def test_small_percents_are_not_fractions(tmp_path, others):
    """Small percents near 1, a series too short, or other values at most 1: no warning."""
    body = "".join(f"immunization_coverage,河北区,{2016 + i},{v},,,%,卫健委\n"
                   for i, v in enumerate(others))
    found, _, _ = read(tmp_path, body + "immunization_coverage,河北区,2020,0.8,,,%,卫健委\n")
    assert found.empty


@pytest.mark.parametrize(("counts", "default_geo", "expected"), [
    ({"河北去": 1, "河北区": 1}, None, {"河北去": ("geo-one-edit", "是否应为 '河北区'？ / did you mean '河北区'?")}),
    ({"河北去": 3}, "河北区", {"河北去": ("geo-one-edit", "是否应为 '河北区'？ / did you mean '河北区'?")}),
    ({"河北曲": 1, "河北区": 4}, None, {"河北曲": ("geo-one-edit", "是否应为 '河北区'？ / did you mean '河北区'?")}),
    ({"河北区": 1, "河东区": 1, "河北省": 1}, "河北区", {}),  # well-formed names: places
    ({"和平区": 1}, "河北区", {}),
    ({"X": 1, "Y": 2, "110105": 1, "110106": 3, "北京": 1, "南京": 2}, "河北区", {}),
    ({"光复道街道": 2}, "河北区",
     {"光复道街道": ("geo-street-top-level", "是否应为 '河北区/光复道街道'？ / did you mean '河北区/光复道街道'?")}),
])
def test_area_one_character_away(counts, default_geo, expected):
    assert area_suggestions(counts, default_geo) == expected


def test_mistyped_area_is_warned_against_the_default_area(tmp_path):
    found, messages, frame = read(tmp_path,
                                  "infant_mortality_rate,河北去,2022,3.2,,,‰,卫健委\n"
                                  "infant_mortality_rate,河北区,2023,3.1,,,‰,卫健委\n"
                                  "infant_mortality_rate,光复道街道,2023,3.0,,,‰,卫健委\n")
    assert found[["row", "value", "code"]].values.tolist() == [
        [2, "河北去", "geo-one-edit"], [4, "光复道街道", "geo-street-top-level"]]
    assert "did you mean '河北区'?" in found.loc[0, "rule"]
    assert "只差一个字" in found.loc[0, "rule"]
    assert len(frame) == 3 and messages
    # the catalogue's default area alone is the reference: no 河北区 row in the data
    found, _, _ = read(tmp_path, "infant_mortality_rate,河北去,2022,3.2,,,‰,卫健委\n"
                                 "infant_mortality_rate,河北去/光复道街道,2022,3.0,,,‰,卫健委\n")
    assert found[["value", "code"]].values.tolist() == [
        ["河北去", "geo-one-edit"], ["河北去/光复道街道", "geo-one-edit"]]
    assert "did you mean '河北区/光复道街道'?" in found.loc[1, "rule"]


def test_street_one_character_off_a_sibling_is_warned(tmp_path):
    """中山们街道 for 中山门街道 in one year: the row is warned, naming both spellings."""
    body = "".join(f"immunization_coverage,河东区/中山门街道,{y},96.8,,,%,卫健委\n"
                   f"immunization_coverage,河东区/大王庄街道,{y},97,,,%,卫健委\n"
                   for y in range(2019, 2026))
    found, messages, frame = read(tmp_path, body + "immunization_coverage,河东区/中山们街道,2026,93,,,%,卫健委\n"
                                  "immunization_coverage,河东区/大王庄街道,2026,97,,,%,卫健委\n")
    assert found[["row", "column", "value", "code"]].values.tolist() == [
        [16, "地区", "河东区/中山们街道", "geo-one-edit-sibling"]]
    rule = found.loc[0, "rule"]
    assert rule.startswith("下级单位名称与同一上级的另一下级单位只差一个字")
    assert "是否应为 '河东区/中山门街道'（7 条观测，2019—2025年，" in rule
    assert "did you mean '河东区/中山门街道' (7 observations, 2019-2025, " in rule
    assert "'河东区/中山们街道' has 1 observation (2026, " in rule and "obs.csv" in rule
    assert len(frame) == 16 and messages  # used as it is


@pytest.mark.parametrize("counts", [
    # two real units: both have values for the same indicator and year
    {"河北区/体育部门领导班子": {2020, 2021, 2022}, "河北区/教育部门领导班子": {2022}},
    # a suffix left off is geo-similar's, not a typo of a sibling
    {"河北区/王串场街道": {2020, 2021}, "河北区/王串场街": {2022}},
    # different districts, codes, two-character names
    {"河东区/中山门街道": {2020, 2021}, "河北区/中山们街道": {2022}},
    {"河北区/street01": {2020, 2021}, "河北区/street02": {2022}},
    {"河北区/东村": {2020, 2021}, "河北区/西村": {2022}},
])
def test_siblings_that_are_not_typos(tmp_path, counts):
    body = "".join(f"immunization_coverage,{geo},{y},96,,,%,卫健委\n"
                   for geo, years in counts.items() for y in sorted(years))
    found, _, _ = read(tmp_path, body)
    assert "geo-one-edit-sibling" not in found.get("code", pd.Series(dtype=str)).tolist()


def test_sibling_typo_on_one_indicator_while_the_street_reports_another(tmp_path):
    """The typo takes the place of one indicator's row; the street's other rows that year
    do not make the two spellings two units."""
    body = "".join(f"immunization_coverage,河东区/中山门街道,{y},96,,,%,卫健委\n"
                   f"infant_mortality_rate,河东区/中山门街道,{y},3.1,,,‰,卫健委\n"
                   for y in (2024, 2025))
    found, _, _ = read(tmp_path, body + "immunization_coverage,河东区/中山们街道,2026,93,,,%,卫健委\n"
                       "infant_mortality_rate,河东区/中山门街道,2026,3.0,,,‰,卫健委\n")
    assert found[["row", "code"]].values.tolist() == [[6, "geo-one-edit-sibling"]]
    assert "'河东区/中山门街道'（5 条观测，2024—2026年" in found.loc[0, "rule"]


def test_sibling_spellings_with_as_many_rows_are_both_warned(tmp_path):
    """A street written one way until 2022 and another way after: neither is taken as right."""
    found, _, _ = read(tmp_path, "immunization_coverage,河东区/中山门街道,2021,96,,,%,卫健委\n"
                       "immunization_coverage,河东区/中山们街道,2022,95,,,%,卫健委\n")
    assert found[["value", "code"]].values.tolist() == [
        ["河东区/中山门街道", "geo-one-edit-sibling"], ["河东区/中山们街道", "geo-one-edit-sibling"]]
    assert "the same unit as '河东区/中山们街道' (1 observation, 2022" in found.loc[0, "rule"]
    assert "either may be right" in found.loc[1, "rule"] and "无法判断哪个正确" in found.loc[1, "rule"]


def test_a_missing_value_is_no_report_for_the_sibling_rule(tmp_path):
    """A blank cell of the right spelling in the typo's year does not make them two units."""
    found, _, _ = read(tmp_path, "immunization_coverage,河东区/中山门街道,2024,96,,,%,卫健委\n"
                       "immunization_coverage,河东区/中山门街道,2025,,,,%,卫健委\n"
                       "immunization_coverage,河东区/中山们街道,2025,93,,,%,卫健委\n")
    assert found[["row", "code"]].values.tolist() == [[4, "geo-one-edit-sibling"]]


@pytest.mark.parametrize("name", ["hebei_example", "hebei_example_final"])
def test_shipped_sub_units_give_no_sibling_warning(name):
    """The shipped data name real sibling units one character apart (体育/教育部门领导班子,
    区政协/区政府领导班子): they report the same indicators in the same years, no warning."""
    from importlib import resources

    from hbkit import load_catalogue
    from hbkit.observations.across import sibling_pairs

    path = resources.files("hbkit.datasets") / "data" / f"{name}.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        obs = read_observations(str(path), load_catalogue())
    pairs = sibling_pairs(obs.frame["geo"].unique())
    assert ("河北区/体育部门领导班子", "河北区/教育部门领导班子") in pairs
    assert ("河北区/区政协领导班子", "河北区/区政府领导班子") in pairs
    assert obs.warnings.empty


def test_hebei_streets_are_no_typos_of_each_other():
    from hbkit.observations.across import sibling_pairs
    from hbkit.template import HEBEI_STREETS

    assert sibling_pairs([f"河北区/{s}" for s in HEBEI_STREETS]) == []


@pytest.mark.parametrize(("counts", "default_geo", "zh", "en"), [
    ({"河北去": 1, "河北区": 1}, None, "是否应为 '河北区'？", "did you mean '河北区'?"),
    ({"河北": 1, "河北区": 2}, None, "是否应为 '河北区'（2 行）？", "did you mean '河北区' (2 rows)?"),
    ({"宁园街道": 1, "河北区/宁园街道": 1, "河东区/宁园街道": 1}, None,
     "是否应为 '河东区/宁园街道' 或 '河北区/宁园街道'？",
     "did you mean '河东区/宁园街道' or '河北区/宁园街道'?"),
    ({"宁园街道": 1, "河北区/望海楼街道": 1, "河东区/中山门街道": 1}, None,
     "请写作 '区/宁园街道'（此处的区：河东区、河北区）",
     "write it as 'district/宁园街道' (districts here: 河东区, 河北区)"),
])
def test_area_suggestions_say_it_in_chinese_first_then_english(counts, default_geo, zh, en):
    """A suggestion is Chinese first, then English, as the sibling rule's: ``中文 / English``."""
    [(code, detail)] = [v for k, v in area_suggestions(counts, default_geo).items()
                        if k in ("河北去", "河北", "宁园街道")]
    assert detail == f"{zh} / {en}"
