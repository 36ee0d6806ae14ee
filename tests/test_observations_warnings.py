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
    ({"天津市": 5, "天津": 2}, {"天津": ("geo-similar", "did you mean '天津市' (5 rows)?")}),
    ({"河北 区": 1, "河北区": 1}, {"河北 区": ("geo-similar", "did you mean '河北区' (1 row)?")}),
    ({"河北区/光复道街": 1, "河北区/光复道街道": 4},
     {"河北区/光复道街": ("geo-similar", "did you mean '河北区/光复道街道' (4 rows)?")}),
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
    assert "did you mean 95?" in found.loc[0, "rule"]
    assert frame["value"].tolist() == [95.1, 0.95, 96.0]  # used as written


@pytest.mark.parametrize("others", [("1.2", "1.5"), ("95.1",), ("95.1", "0.9")])
def test_small_percents_are_not_fractions(tmp_path, others):
    """Small percents near 1, a series too short, or other values at most 1: no warning."""
    body = "".join(f"immunization_coverage,河北区,{2016 + i},{v},,,%,卫健委\n"
                   for i, v in enumerate(others))
    found, _, _ = read(tmp_path, body + "immunization_coverage,河北区,2020,0.8,,,%,卫健委\n")
    assert found.empty


@pytest.mark.parametrize(("counts", "default_geo", "expected"), [
    ({"河北去": 1, "河北区": 1}, None, {"河北去": ("geo-one-edit", "did you mean '河北区'?")}),
    ({"河北去": 3}, "河北区", {"河北去": ("geo-one-edit", "did you mean '河北区'?")}),
    ({"河北曲": 1, "河北区": 4}, None, {"河北曲": ("geo-one-edit", "did you mean '河北区'?")}),
    ({"河北区": 1, "河东区": 1, "河北省": 1}, "河北区", {}),  # well-formed names: places
    ({"和平区": 1}, "河北区", {}),
    ({"X": 1, "Y": 2, "110105": 1, "110106": 3, "北京": 1, "南京": 2}, "河北区", {}),
    ({"光复道街道": 2}, "河北区",
     {"光复道街道": ("geo-street-top-level", "did you mean '河北区/光复道街道'?")}),
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
