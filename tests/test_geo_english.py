"""The area in English, ``geo_en``, beside ``geo`` in ``to_frame()``, ``warnings_frame()``,
``unit_frame()``, the JSON and ``SeriesView`` (with ``status_en``).

A city dashboard over Tianjin's districts shows English pages from the frame or the JSON;
its area names must be the English report's. The expected names here are written out by
hand (Tianjin's published district names) and read back from the English Markdown report,
not from the function that makes the column.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import jsonschema
import pandas as pd
import pytest

import hbkit
from hbkit.datasets import load_example
from hbkit.report.json_export import SCHEMA_VERSION
from hbkit.report.json_schema import json_schema

YEARS = list(range(2016, 2024))
#: per area: the infant mortality rate 2016-2023 (per 1,000; the target is <= 5)
SERIES = {
    "和平区": [6.1, 5.8, 5.6, 5.5, 5.1, 5.2, 4.9, 4.8],
    "河西区": [4.1, 4.0, 3.9, 3.9, 3.8, 3.6, 3.5, 3.4],
    "某某区": [7.0, 7.1, 7.3, 7.2, 7.4, 7.6, 7.5, 7.7],  # no English name known; off track
    "红桥区/丁字沽街道": [5.0, 4.9, 4.8, 4.8, 4.7, 4.6, 4.5, 4.5],  # a street with no district row
}
#: the English names a reader expects, written out by hand
EXPECTED = {
    "和平区": "Heping District",
    "河西区": "Hexi District",
    "某某区": "某某区",
    "红桥区/丁字沽街道": "Hongqiao District/丁字沽街道",
}


def _catalogue(**names: str) -> hbkit.Catalogue:
    return hbkit.Catalogue([hbkit.Target(
        id="C-health-imr", indicator="imr", kind="upper_bound", threshold=5.0, unit="per_1000",
        name_zh="婴儿死亡率", name_en="Infant mortality rate", domain="health", plan="children")],
        **names)


def _observations(series: dict[str, list[float]]) -> pd.DataFrame:
    return pd.concat([pd.DataFrame({"indicator": "imr", "geo": geo, "year": YEARS,
                                    "unit": "per_1000", "value": values})
                      for geo, values in series.items()], ignore_index=True)


def _assess(series: dict[str, list[float]], **names: str) -> hbkit.Assessment:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hbkit.assess(_observations(series), catalogue=_catalogue(**names), as_of=2023,
                            n_draws=200, seed=3)


@pytest.fixture(scope="module")
def city() -> hbkit.Assessment:
    return _assess(SERIES)


@pytest.fixture(scope="module")
def streets() -> hbkit.Assessment:
    """The example district's street-by-street immunisation target: a unit frame."""
    example = load_example("hebei_example")
    cat = hbkit.Catalogue([example.catalogue["C-health-immunization-each-street"]])
    obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
    return hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)


def _markdown_areas(markdown: str, section: str, heading: str = "Area") -> list[str]:
    """The area cells (column ``heading``) of the table under ``## {section}`` of a Markdown
    report."""
    part = markdown.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in part.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split(" | ")]
    column = header.index(heading)
    return [line.strip("|").split(" | ")[column].strip() for line in lines[1:]]


def test_geo_en_names_districts_streets_and_unknown_areas(city) -> None:
    frame = city.to_frame()
    assert dict(zip(frame["geo"], frame["geo_en"], strict=True)) == EXPECTED
    columns = list(frame.columns)
    assert columns.index("geo_en") == columns.index("geo") + 1
    assert frame["geo_en"].dtype == frame["geo"].dtype == frame["status_en"].dtype


def test_the_english_report_prints_the_last_part_of_geo_en(city) -> None:
    """Frame and report agree: the report prints an area's own name (the last part of its
    code), in English where known, as the Chinese report prints the last part of ``geo``."""
    frame = city.to_frame()
    printed = _markdown_areas(city.to_markdown("en"), "Targets by domain")
    assert printed == ["Heping District", "某某区", "Hexi District", "丁字沽街道"]
    assert printed == [geo_en.split("/")[-1] for geo_en in frame["geo_en"]]
    chinese = _markdown_areas(city.to_markdown("zh"), "各领域目标监测情况", "地区")
    assert chinese == [geo.split("/")[-1] for geo in frame["geo"]]


def test_the_warnings_frame_names_the_area_in_english_too(city) -> None:
    warned = city.warnings_frame()
    assert warned[["geo", "geo_en", "code"]].values.tolist() == [["某某区", "某某区", "hard_to_reach"]]
    assert _markdown_areas(city.to_markdown("en"), "Warning list") == ["某某区"]
    # added before level, so that the columns before it keep their places (test_assess.py)
    assert list(warned.columns[:5]) == ["target_id", "geo", "code", "text_zh", "text_en"]
    assert list(warned.columns[-2:]) == ["geo_en", "level"]


def test_a_catalogue_english_name_reaches_the_frame_and_the_report() -> None:
    res = _assess({"某某区": SERIES["某某区"]}, default_geo="某某区", default_geo_en="Moumou District")
    assert res.to_frame()["geo_en"].tolist() == ["Moumou District"]
    assert res.warnings_frame()["geo_en"].tolist() == ["Moumou District"]
    markdown = res.to_markdown("en")
    assert _markdown_areas(markdown, "Targets by domain") == ["Moumou District"]
    assert markdown.splitlines()[0].startswith("# Moumou District ")
    assert res.subset("某某区").to_frame()["geo_en"].tolist() == ["Moumou District"]


def test_the_unit_frame_names_the_district_in_english(streets) -> None:
    units = streets.unit_frame()
    assert len(units) >= 5
    assert set(units["geo"]) == {"河北区"} and set(units["geo_en"]) == {"Hebei District"}
    assert list(units.columns[:4]) == ["target_id", "geo", "geo_en", "unit_geo"]
    assert units["geo_en"].dtype == units["geo"].dtype


@pytest.mark.parametrize("case", ["city", "streets"])
def test_the_json_carries_geo_en_as_the_frames_do(case, request) -> None:
    res: hbkit.Assessment = request.getfixturevalue(case)
    data = res.to_dict()
    assert data["schema_version"] == SCHEMA_VERSION == 4
    jsonschema.Draft202012Validator(json_schema()).validate(data)
    for table, frame in (("targets", res.to_frame()), ("warnings", res.warnings_frame()),
                         ("units", res.unit_frame())):
        assert [row["geo_en"] for row in data[table]] == frame["geo_en"].tolist(), table
        assert [list(row) for row in data[table]] == [list(frame.columns)] * len(frame), table
    if case == "city":
        assert {row["geo"]: row["geo_en"] for row in data["targets"]} == EXPECTED


@pytest.mark.parametrize("table", ["targets", "warnings", "units"])
@pytest.mark.parametrize("value", [None, 5, "drop"])
def test_the_schema_refuses_a_missing_or_non_text_geo_en(streets, city, table, value: Any) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    data = (streets if table == "units" else city).to_dict()
    if value == "drop":
        del data[table][0]["geo_en"]
    else:
        data[table][0]["geo_en"] = value
    assert not validator.is_valid(data)


def test_the_previous_schema_version_is_refused(city) -> None:
    data = city.to_dict()
    data["schema_version"] = 3
    assert not jsonschema.Draft202012Validator(json_schema()).is_valid(data)


def test_a_series_view_has_both_languages(city) -> None:
    frame = city.to_frame().set_index("geo")
    for geo in SERIES:
        view = city.series("C-health-imr", geo)
        row = frame.loc[geo]
        assert (view.geo, view.geo_en) == (geo, EXPECTED[geo])
        assert (view.status, view.status_zh, view.status_en) == (
            row["status"], row["status_zh"], row["status_en"])
    off = city.series("C-health-imr", "某某区")
    assert (off.status_zh, off.status_en) == ("难以实现", "off track")
    assert city.series("C-health-imr", "和平区").status_en == "achieved early"


def test_an_assessment_kept_from_before_the_english_columns_still_gives_a_series_view(city) -> None:
    """A pickled result of an earlier version has no ``geo_en``/``status_en`` column: its
    series views word them as the English report does."""
    old = dataclasses.replace(city, frame=city.frame.drop(columns=["geo_en", "status_en"]))
    for geo in SERIES:
        view, now = old.series("C-health-imr", geo), city.series("C-health-imr", geo)
        assert (view.geo_en, view.status_en) == (now.geo_en, now.status_en)


def test_a_report_over_several_districts_is_titled_by_them_not_the_catalogues_area(city
                                                                                   ) -> None:
    """Four areas assessed with a catalogue whose default area is 河北区 (none of them): the
    title named 河北区; it names the first two and their number, and a report of one area
    (``subset``) names that area."""
    zh, en = city.to_markdown("zh"), city.to_markdown("en")
    first, second = list(dict.fromkeys(g.split("/")[0] for g in city.to_frame()["geo"]))[:2]
    assert zh.splitlines()[0] == f"# {first}、{second}等4个地区儿童发展规划（2021—2025年）2023年度监测报告"
    assert en.splitlines()[0] == (
        f"# {EXPECTED[first]}, {EXPECTED[second]} and 2 more areas Children's Development Plan "
        "(2021-2025): monitoring report 2023")
    assert "河北区" not in zh.splitlines()[0] and "Hebei" not in en.splitlines()[0]
    two = _assess({area: SERIES[area] for area in ("和平区", "河西区")})
    assert two.to_markdown("en").splitlines()[0].startswith(
        "# Heping District and Hexi District Children's")
    assert city.subset("河西区").to_markdown("zh").splitlines()[0] == \
        "# 河西区儿童发展规划（2021—2025年）2023年度监测报告"
