"""Two units: ``percentage_points`` (a signed gap between two shares) and ``persons`` (people).

A gap in percentage points (men's minus women's share, 男女两性科学素质水平差距) can cross 0:
it is modelled on the identity scale, projected below 0 where its trend goes, and printed
个百分点. People (至少配备1名女干部, 全科医生) behave exactly like ``count`` in the models and
the readers, and print 人.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import hbkit
from hbkit import Catalogue, Target
from hbkit.exceptions import DataValidationError
from hbkit.models import project
from hbkit.models.scales import FLOOR_ZERO_UNITS, NONNEGATIVE_UNITS, choose_scale
from hbkit.report.formatting import format_change, format_interval, format_value
from hbkit.template import observation_template

DISTRICT = "河北区"
YEARS = list(range(2016, 2024))
#: a gap that narrows through 0 and goes on: women's share overtakes men's
CROSSING = [2.0, 1.2, 0.5, -0.3, -0.8, -1.6, -2.2, -2.9]
DRAWS = 1000


def _gap_target(unit: str = "percentage_points") -> Target:
    return Target(id="gap", indicator="gap", kind="direction", unit=unit, direction="decrease",
                  baseline_year=2020, target_year=2025, domain="education",
                  name_zh="男女两性科学素质水平差距", text_zh="男女两性科学素质水平差距显著缩小")


def _frame(indicator: str, values: list[float], unit: str, geo: str = DISTRICT,
           years: list[int] = YEARS) -> pd.DataFrame:
    return pd.DataFrame({"indicator": indicator, "geo": geo, "year": years, "value": values,
                         "unit": unit})


def _assess(frame: pd.DataFrame, targets: list[Target], **kw) -> hbkit.Assessment:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hbkit.assess(frame, catalogue=Catalogue(targets), n_draws=DRAWS, **kw)


# ------------------------------------------------------------------ percentage points
def test_a_gap_in_points_is_signed_and_on_the_identity_scale() -> None:
    assert choose_scale("percentage_points", False, False) == "identity"
    assert choose_scale("percentage_points", False, True) == "identity"
    assert "percentage_points" not in NONNEGATIVE_UNITS | FLOOR_ZERO_UNITS
    assert not _gap_target().bounded


def test_a_gap_crossing_zero_projects_below_zero_with_an_interval_around_it() -> None:
    row = _assess(_frame("gap", CROSSING, "percentage_points"), [_gap_target()]) \
        .to_frame().iloc[0]
    assert (row["unit"], row["scale"]) == ("percentage_points", "identity")
    # the series fell by (−2.9 − 2.0) / 7 = −0.7 a year; two more years from −2.9: −4.3
    assert row["projected"] == pytest.approx(-4.3, abs=0.3)
    assert row["lo_95"] < row["lo_80"] < row["projected"] < row["hi_80"] < row["hi_95"] < 0
    # direction decrease from 2020 (−0.8): the 2023 value −2.9 already meets it
    assert row["latest_value"] == -2.9 and row["baseline_value"] == -0.8
    assert row["status"] == "achieved" and row["probability"] > 0.95


def test_a_log_scale_could_not_follow_the_gap_below_zero() -> None:
    """What an unbounded ``percent`` (the gap's unit before) does with the same series: the
    values at or below 0 become half the smallest positive value, so no path goes below 0."""
    values = np.array([CROSSING])
    log = project(values, np.array(YEARS), target_year=2025, unit="percent", bounded=False,
                  n_draws=DRAWS, seed=1)
    points = project(values, np.array(YEARS), target_year=2025, unit="percentage_points",
                     n_draws=DRAWS, seed=1)
    assert log.paths.min() > 0
    assert points.median(2025)[0] == pytest.approx(-4.3, abs=0.3)


def test_a_gap_prints_in_percentage_points() -> None:
    assert format_value(-2.9, "percentage_points") == "-2.9个百分点"
    assert format_value(3.39, "percentage_points", "en") == "3.39 pp"
    assert format_change(-0.7, "percentage_points") == "-0.7个百分点"
    assert format_interval(-4.64, -3.98, "percentage_points") == "[-4.64, -3.98]"
    result = _assess(_frame("gap", CROSSING, "percentage_points"), [_gap_target()])
    zh, en = result.to_markdown("zh"), result.to_markdown("en")
    assert "-2.9个百分点" in zh and "-2.9%" not in zh
    assert "-2.9 pp" in en


def test_an_annual_change_rule_on_points_is_worded_in_points() -> None:
    from hbkit.attainment import rule_text
    t = Target(id="a", indicator="gap", kind="annual_change", threshold=0.5,
               unit="percentage_points", direction="decrease", baseline_year=2020)
    assert rule_text(t) == ("2021—2025年每年比上一年下降0.5个百分点以上",
                            "every year 2021-2025 the value falls by >= 0.5 percentage points "
                            "from the year before")


def test_a_gap_written_in_percent_is_read_as_points_and_logged() -> None:
    """A district that still writes % for the gap (as the example did) is not refused: the
    number is kept, the unit becomes the catalogue's, and the change log says so; its
    negative values are kept (as % they were refused as a negative rate)."""
    obs = hbkit.read_observations(_frame("gap", CROSSING, "%"), [_gap_target()])
    assert obs.frame["unit"].unique().tolist() == ["percentage_points"]
    assert obs.frame.sort_values("year")["value"].tolist() == CROSSING
    converted = obs.changes.query("code == 'unit-converted'")
    assert len(converted) == len(YEARS)
    assert converted["rule"].str.contains("percent -> percentage_points").all()


def test_points_where_the_catalogue_says_percent_are_refused() -> None:
    """The other way is no conversion: a share is no gap."""
    share = Target(id="s", indicator="share", kind="lower_bound", threshold=40, unit="percent")
    with pytest.raises(DataValidationError) as caught:
        hbkit.read_observations(_frame("share", [38.0] * 8, "个百分点"), [share])
    problems = caught.value.problems
    assert set(problems["code"]) == {"unit-not-convertible"}
    assert problems["rule"].str.contains("percentage_points -> catalogue unit percent").all()


def test_the_template_writes_points_and_persons_and_reads_them_back(tmp_path) -> None:
    import openpyxl
    lead = Target(id="lead", indicator="women_leaders", kind="direction", unit="persons",
                  direction="increase", baseline_year=2020, domain="decision",
                  name_zh="领导班子中女干部人数")
    path = observation_template([_gap_target(), lead], [2021, 2022], tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    written, at_least_0 = {}, {}
    for sheet in book.worksheets[1:]:
        header = [c.value for c in sheet[1]]
        positive = [v.sqref for v in sheet.data_validations.dataValidation
                    if v.operator == "greaterThanOrEqual" and v.formula1 == "0"]
        for r in range(2, sheet.max_row + 1):
            indicator = sheet.cell(r, 1).value
            written[indicator] = sheet.cell(r, header.index("单位 unit") + 1).value
            cell = sheet.cell(r, header.index("2021年") + 1)
            at_least_0[indicator] = any(cell.coordinate in cells for cells in positive)
            cell.value = -0.4 if indicator == "gap" else 3
    book.save(path)
    assert written == {"gap": "个百分点", "women_leaders": "人"}
    # Excel takes a negative gap (as an unbounded percent it was held to >= 0), not a
    # negative number of people
    assert at_least_0 == {"gap": False, "women_leaders": True}
    obs = hbkit.read_observations(path, [_gap_target(), lead])
    read = obs.frame.set_index("indicator")
    assert read.loc["gap", "unit"] == "percentage_points" and read.loc["gap", "value"] == -0.4
    assert read.loc["women_leaders", "unit"] == "persons"
    assert obs.changes.empty


# ------------------------------------------------------------------ persons
def _people_targets(unit: str) -> list[Target]:
    return [
        Target(id="each", indicator="women_in_teams", kind="count_minimum", threshold=1,
               unit=unit, each_unit="street", domain="decision", baseline_year=2020,
               name_zh="街道领导班子女干部"),
        Target(id="total", indicator="women_total", kind="direction", unit=unit,
               direction="increase", baseline_year=2020, domain="decision",
               name_zh="女干部人数"),
        Target(id="floor", indicator="gps", kind="lower_bound", threshold=12, unit=unit,
               domain="health", name_zh="全科医生人数"),
    ]


def _people_frame(unit: str) -> pd.DataFrame:
    streets = ["光复道街道", "望海楼街道", "鸿顺里街道", "新开河街道"]
    parts = [_frame("women_in_teams", [1, 1, 2, 1, 2, 2, 1, low], unit, geo=f"{DISTRICT}/{s}")
             for s, low in zip(streets, (1, 2, 1, 0), strict=True)]
    parts.append(_frame("women_total", [12, 12, 13, 14, 17, 14, 17, 13], unit))
    # a count that falls towards 0: the identity model's draws below 0 are floored
    parts.append(_frame("gps", [9, 8, 6, 5, 4, 3, 2, 1], unit))
    return pd.concat(parts, ignore_index=True)


def _same_but_unit(count: pd.DataFrame, persons: pd.DataFrame) -> list[str]:
    """Every number column identical; the text columns that differ, each only by 个 -> 人."""
    numbers = count.select_dtypes("number").columns
    pd.testing.assert_frame_equal(count[numbers], persons[numbers])
    texts = [c for c in count.columns if c not in numbers and c != "unit"]
    differs = [c for c in texts if not count[c].equals(persons[c])]
    for column in differs:
        assert count[column].str.replace("个", "人").equals(persons[column]), column
    return differs


def test_persons_are_assessed_exactly_like_counts() -> None:
    """The same series as ``count`` and as ``persons``: a count rule per street, a direction
    target and a floor, with their warnings: every number the same, only the unit and the
    Chinese unit in the warnings' words (个 -> 人) differ."""
    results = {unit: _assess(_people_frame(unit), _people_targets(unit), seed=5)
               for unit in ("count", "persons")}
    count, persons = (results[u].to_frame() for u in ("count", "persons"))
    assert (count["unit"] == "count").all() and (persons["unit"] == "persons").all()
    assert len(count.select_dtypes("number").columns) > 10
    assert _same_but_unit(count, persons) == []   # status, model, scale, warnings codes alike
    assert set(count["status"]) == {"off_track"}
    warned = {u: results[u].warnings_frame() for u in ("count", "persons")}
    assert len(warned["count"]) == 4
    assert _same_but_unit(warned["count"], warned["persons"]) == ["text_zh"]
    assert "需年均变化+0.5人" in warned["persons"]["text_zh"].iloc[0]
    pd.testing.assert_frame_equal(results["count"].unit_frame(), results["persons"].unit_frame())
    floor = persons.set_index("target_id").loc["floor"]
    assert floor["lo_95"] == 0 and floor["projected"] >= 0   # never below 0 people


def test_persons_print_as_people() -> None:
    assert format_value(3, "persons") == "3人" and format_value(3, "persons", "en") == "3"
    assert format_interval(12.6, 15.2, "persons") == "[13, 15]"
    result = _assess(_people_frame("persons"), _people_targets("persons"))
    zh = result.to_markdown("zh")
    assert "13人" in zh and "13个" not in zh


@pytest.mark.parametrize("written", ["人", "名", "persons", "个", "count"])
def test_people_written_in_either_unit_are_read(written: str) -> None:
    """人 or 名 for a count indicator, 个 for a persons one: the same number, logged
    when the unit differs from the catalogue's (never refused)."""
    for catalogue_unit in ("count", "persons"):
        target = Target(id="t", indicator="gps", kind="lower_bound", threshold=12,
                        unit=catalogue_unit)
        obs = hbkit.read_observations(_frame("gps", [9.0] * 8, written), [target])
        assert obs.frame["unit"].unique().tolist() == [catalogue_unit]
        assert obs.frame["value"].tolist() == [9.0] * 8
        same = hbkit.observations.units.canonical_unit(written) == catalogue_unit
        assert obs.changes.empty == same


# ------------------------------------------------------------------ the shipped catalogue
def test_shipped_targets_counting_people_are_in_persons() -> None:
    shipped = hbkit.load_catalogue()
    persons = {t.id for t in shipped if t.unit == "persons"}
    assert persons == {
        "W-education-vocational", "W-education-lifelong-education",
        "W-decision-district-leadership-women", "W-decision-related-departments-women",
        "W-decision-related-departments-increase", "W-decision-street-leadership-women",
        "C-health-chc-child-gp", "C-health-chc-child-health-doctors",
    }
    # what stays a count counts things: institutions, places, venues
    assert {t.id for t in shipped if t.unit == "count"} == {
        "C-welfare-childcare-institutions", "C-welfare-childcare-places",
        "C-environment-out-of-school-venues",
    }
    gap = shipped["W-education-science-literacy-gap"]
    assert (gap.unit, gap.bounded, gap.kind) == ("percentage_points", False, "direction")


def test_the_example_data_carry_the_catalogue_units() -> None:
    example = hbkit.datasets.load_example("hebei_example")
    units = example.observations.groupby("indicator")["unit"].unique()
    for target in example.catalogue:
        if target.indicator in units.index:
            assert units[target.indicator].tolist() == [target.unit], target.id


def test_the_fan_chart_of_a_gap_shows_it_below_zero_in_points() -> None:
    import matplotlib.pyplot as plt

    from hbkit import plotting
    result = _assess(_frame("gap", CROSSING, "percentage_points"), [_gap_target()])
    for lang, label in (("zh", "个百分点"), ("en", "pp")):
        ax = plotting.fan_chart(result, "gap", lang=lang)
        assert ax.get_ylabel().replace("\n", "") == label
        assert ax.get_ylim()[0] < -4.3   # not cut at 0 like a percentage
        plt.close(ax.figure)
