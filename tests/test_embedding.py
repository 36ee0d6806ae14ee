"""hbkit embedded in a city dashboard: several districts in one call, one report each."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hbkit
from hbkit.datasets import load_example

DISTRICTS = ("和平区", "河东区", "南开区")


def _district(frame: pd.DataFrame, name: str, street_tag: str) -> pd.DataFrame:
    """The example district's rows under another district's name, with its own streets."""
    out = frame.copy()
    out["geo"] = [name if g == "河北区" else f"{name}/{street_tag}{g.split('/', 1)[1]}"
                  for g in out["geo"]]
    return out


@pytest.fixture(scope="module")
def city() -> dict[str, object]:
    example = load_example("hebei_example")
    health = [t for t in example.catalogue if t.domain == "health"]  # street targets included
    cat = hbkit.Catalogue(health)
    base = example.targeted(cat)
    frames = {name: _district(base, name, tag) for name, tag in zip(DISTRICTS, "甲乙丙",
                                                                     strict=True)}
    # a percent typed as a fraction in one street of 河东区: a data warning of that district
    hedong = frames["河东区"]
    street = hedong.index[(hedong["indicator"] == "immunization_coverage")
                          & (hedong["year"] == 2022) & hedong["geo"].str.contains("/")][0]
    hedong.loc[street, ["value", "numerator", "denominator"]] = [
        round(hedong.loc[street, "value"] / 100, 4), np.nan, np.nan]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # read first, as a service does (its DataWarning is the reading's, not the call's)
        city_obs = hbkit.read_observations(pd.concat(frames.values(), ignore_index=True), cat)
        together = hbkit.assess(city_obs, catalogue=cat, as_of=2023, n_draws=300)
        alone = {name: hbkit.assess(frames[name], catalogue=cat, as_of=2023, n_draws=300)
                 for name in DISTRICTS}
    return {"together": together, "alone": alone, "catalogue": cat}


def test_a_district_cut_from_a_city_assessment_reports_as_if_assessed_alone(city) -> None:
    """The dashboard assesses every district in one call and serves each district's JSON
    and report: without ``subset`` it had one report of all districts, or had to assess
    each district again. The cut is the district assessed alone, byte for byte."""
    together, alone = city["together"], city["alone"]
    for name in ("和平区", "南开区"):
        part = together.subset(name)
        assert part.to_json() == alone[name].to_json()
        assert part.to_markdown() == alone[name].to_markdown()
        assert part.to_markdown(lang="en") == alone[name].to_markdown(lang="en")
        pd.testing.assert_frame_equal(part.summary(), alone[name].summary())
    # each street of the each-unit target, and the fan chart of a street target and another
    part, one = together.subset("南开区"), alone["南开区"]
    assert len(part.unit_frame()) == 10
    pd.testing.assert_frame_equal(part.unit_frame(), one.unit_frame())
    for target_id in ("C-health-immunization-each-street", "C-health-infant-mortality"):
        mine, theirs = part.series(target_id), one.series(target_id)
        np.testing.assert_array_equal(mine.median, theirs.median)
        np.testing.assert_array_equal(mine.intervals[80.0][0], theirs.intervals[80.0][0])
        np.testing.assert_array_equal(mine.history_values, theirs.history_values)


def test_a_district_s_html_and_excel_reports_are_those_of_the_district_alone(
        city, tmp_path: Path) -> None:
    import openpyxl

    part, one = city["together"].subset("南开区"), city["alone"]["南开区"]
    html = part.to_html(tmp_path / "part.html", charts=False).read_bytes()
    assert "南开区" in html.decode("utf-8") and "和平区" not in html.decode("utf-8")
    assert html == one.to_html(tmp_path / "alone.html", charts=False).read_bytes()
    books = [openpyxl.load_workbook(r.to_excel(tmp_path / f"{n}.xlsx"))
             for n, r in (("part", part), ("alone", one))]
    assert books[0].sheetnames == books[1].sheetnames
    for sheet in books[0].sheetnames:
        cells = [[[c.value for c in row] for row in book[sheet].iter_rows()] for book in books]
        assert cells[0] == cells[1], sheet


def test_a_district_keeps_its_own_data_warnings_only(city) -> None:
    together = city["together"]
    hedong, heping = together.subset("河东区"), together.subset("和平区")
    found = hedong.data_warnings_frame()
    assert found["code"].tolist() == ["value-looks-fraction"]
    assert found["geo"].tolist() == ["河东区/乙光复道街道"]
    assert heping.data_warnings_frame().empty
    data = json.loads(hedong.to_json())
    assert [w["targets"] for w in data["data_warnings"]] == ["C-health-immunization-each-street"]
    assert {row["geo"] for row in data["targets"]} == {"河东区"}
    assert json.loads(heping.to_json())["data_warnings"] == []
    # the rows of the call and of its parts add up: nothing is lost or counted twice
    parts = [together.subset(name) for name in DISTRICTS]
    assert sum(len(p.to_frame()) for p in parts) == len(together.to_frame())
    assert sum(len(p.warnings_frame()) for p in parts) == len(together.warnings_frame())
    assert sum(len(p.observations) for p in parts) == len(together.observations)


def test_an_area_the_assessment_does_not_have_is_named_with_those_it_has(city) -> None:
    with pytest.raises(hbkit.HbkitError, match="河西区.*和平区, 河东区, 南开区|河西区.*its areas"):
        city["together"].subset("河西区")
    with pytest.raises(hbkit.HbkitError):
        city["together"].subset("和平区/甲光复道街道")  # a street is not an area of the rows
