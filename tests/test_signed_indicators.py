"""A percentage that may be negative: a target's ``signed`` (可为负数).

The gender income gap (男女收入差距, ``W-economy-income-gap``) is (men's - women's average
income) / men's average income, in percent: negative in a year women earn more. Its unit
stays ``percent`` (shown in %), its target says ``signed: true``: the readers accept its
negative values and the models put it on the identity scale with no floor at 0, as a gap in
percentage points, where an unsigned percent would go on the log scale and never cross 0.

The gender gap in housework time (两性家务劳动时间差距, ``W-family-housework-gap``) is
women's minus men's housework hours a day: negative in a year men do more. Its unit
``hours_per_day`` would refuse a negative value and floor the draws at 0 (one group's hours
cannot be negative); its target says ``signed: true`` too.
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import openpyxl
import pandas as pd
import pytest

import hbkit
from hbkit import Catalogue, CatalogueError, Target
from hbkit.attainment.events import direction_bound
from hbkit.datasets import load_example
from hbkit.exceptions import DataValidationError
from hbkit.models import project
from hbkit.models.scales import choose_scale, floor_at_zero
from hbkit.report import tables
from hbkit.template import observation_template

GAP_ID = "W-economy-income-gap"
HOUSEWORK_ID = "W-family-housework-gap"
#: every shipped target whose values may be negative: each a difference of two quantities.
#: Every other quantitative target is a rate, share, ratio, count, duration or amount.
SHIPPED_SIGNED = {
    GAP_ID: "percent",  # (men's - women's average income) / men's, in %
    "W-education-science-literacy-gap": "percentage_points",  # men's - women's share
    HOUSEWORK_ID: "hours_per_day",  # women's - men's housework hours a day
}
DISTRICT = "河北区"
YEARS = np.arange(2016, 2024)
#: a gap that narrows through 0 and goes on: women out-earn men from 2019
CROSSING = np.array([2.0, 1.2, 0.5, -0.3, -0.8, -1.6, -2.2, -2.9])


def _gap(**changes) -> Target:
    fields = dict(id="gap", indicator="gender_income_gap", kind="direction", unit="percent",
                  direction="decrease", baseline_year=2020, target_year=2025, signed=True,
                  name_zh="男女收入差距", text_zh="男女收入差距缩小")
    fields.update(changes)
    return Target(**fields)


def _frame(values, years=YEARS, indicator="gender_income_gap") -> pd.DataFrame:
    return pd.DataFrame({"indicator": indicator, "geo": DISTRICT, "year": list(years),
                         "value": list(values), "unit": "percent"})


def _assess(frame: pd.DataFrame, targets) -> hbkit.Assessment:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hbkit.assess(frame, catalogue=Catalogue(targets), n_draws=1000)


# ------------------------------------------------------------------ the catalogue field
def test_the_shipped_income_gap_is_a_signed_unbounded_percent() -> None:
    target = hbkit.load_catalogue()[GAP_ID]
    assert (target.unit, target.signed, target.bounded) == ("percent", True, False)


def test_the_shipped_signed_targets_are_exactly_the_three_gaps() -> None:
    """Dropping the flag from one of them (or adding it to a rate) fails here."""
    catalogue = hbkit.load_catalogue()
    assert {t.id: t.unit for t in catalogue if t.signed} == SHIPPED_SIGNED
    assert all(not catalogue[i].bounded and "signed" in str(catalogue[i].notes)
               for i in SHIPPED_SIGNED)
    table = catalogue.indicator_table()
    assert sorted(table.loc[table["signed"].astype(bool), "indicator"]) == [
        "gender_gap_housework_time", "gender_gap_scientific_literacy", "gender_income_gap"]
    # the China example's targets are all rates, ratios, shares and years
    china = load_example("china").catalogue
    assert china is not None and len(china) > 0
    assert not [t.id for t in china if t.signed]


def test_signed_defaults_from_the_unit_and_turns_the_default_bound_off() -> None:
    assert _gap(signed=None).signed is False and _gap(signed=None).bounded is True
    assert _gap().bounded is False  # signed: no default cap at 100
    assert _gap(unit="percentage_points", signed=None).signed is True
    assert _gap(unit="count", signed=True).signed is True  # any unit may be declared signed


def test_a_signed_and_bounded_target_is_refused_naming_the_field() -> None:
    with pytest.raises(CatalogueError) as info:
        _gap(bounded=True)
    problem = info.value.problems.iloc[0]
    assert (problem["column"], problem["code"]) == ("signed", "signed-not-bounded")
    assert problem["rule"].startswith("可为负数的指标不能以100为上限")
    assert "a signed target cannot be bounded" in problem["rule"]


def test_points_cannot_be_declared_unsigned() -> None:
    with pytest.raises(CatalogueError) as info:
        _gap(unit="percentage_points", signed=False)
    assert info.value.problems["code"].tolist() == ["signed-by-unit"]


def test_a_csv_catalogue_with_the_new_column_round_trips(tmp_path) -> None:
    targets = [_gap(), _gap(id="share", indicator="female_share", kind="lower_bound",
                            threshold=40.0, direction=None, signed=None, baseline_year=None)]
    path = Catalogue(targets).to_file(tmp_path / "targets.csv")
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert "signed" in header
    back = Catalogue.from_file(path)
    assert [t.model_dump() for t in back] == [t.model_dump() for t in targets]
    assert (back["gap"].signed, back["share"].signed, back["share"].bounded) == (True, False, True)


def test_a_csv_with_the_chinese_header_and_word_is_read(tmp_path) -> None:
    path = tmp_path / "zh.csv"
    path.write_text("目标编号,指标编号,目标类型,单位,期望方向,目标年份,基期年份,可为负数\n"
                    "gap,gender_income_gap,direction,%,缩小,2030,2025,是\n", encoding="utf-8")
    target = Catalogue.from_file(path)["gap"]
    assert (target.unit, target.signed, target.bounded) == ("percent", True, False)


def test_a_signed_and_bounded_csv_row_names_the_chinese_column(tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("目标编号,指标编号,目标类型,单位,期望方向,目标年份,基期年份,有上限100,可为负数\n"
                    "gap,gender_income_gap,direction,percent,decrease,2030,2025,true,true\n",
                    encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_file(path)
    problem = info.value.problems.iloc[0]
    assert (problem["row"], problem["column"], problem["field"], problem["code"]) == (
        2, "可为负数", "signed", "signed-not-bounded")


def test_two_targets_of_one_indicator_must_agree_on_signed() -> None:
    with pytest.raises(CatalogueError) as info:
        Catalogue([_gap(), _gap(id="gap2", signed=False, bounded=False)])
    assert info.value.problems["code"].tolist() == ["indicator-signed-consistent"]


def test_the_indicator_table_and_the_listing_show_signed() -> None:
    cat = hbkit.load_catalogue()
    table = cat.indicator_table().set_index("indicator")
    assert bool(table.loc["gender_income_gap", "signed"])
    assert not bool(table.loc["maternal_mortality_ratio", "signed"])
    from hbkit.cli.catalogue import table_text

    line = next(r for r in table_text(cat.filter(plan="women")).splitlines() if GAP_ID in r)
    assert "percent 可为负/signed" in line


# ------------------------------------------------------------------ reading
def test_a_negative_gap_is_read_with_the_shipped_catalogue(tmp_path) -> None:
    cat = hbkit.load_catalogue()
    obs = hbkit.read_observations(_frame([-1.0], [2023]), cat)
    assert obs.frame["value"].tolist() == [-1.0]
    path = tmp_path / "gap.csv"  # a file takes the same checks
    _frame([3.5, -1.0], [2022, 2023]).to_csv(path, index=False)
    assert hbkit.read_observations(path, cat).frame["value"].tolist() == [3.5, -1.0]
    # a row the fast path leaves to the per-row checks (its unit taken from the catalogue)
    blank_unit = _frame([-1.0], [2023]).assign(unit="")
    obs = hbkit.read_observations(blank_unit, cat)
    assert obs.frame[["value", "unit"]].values.tolist() == [[-1.0, "percent"]]
    assert obs.changes["code"].tolist() == ["unit-from-catalogue"]


def _housework(values, years, indicator="gender_gap_housework_time") -> pd.DataFrame:
    return pd.DataFrame({"indicator": indicator, "geo": DISTRICT, "year": list(years),
                         "value": list(values), "unit": "hours_per_day"})


def test_a_negative_housework_gap_is_read_not_refused(tmp_path) -> None:
    """Men doing 0.2 hours a day more housework than women: a gap of -0.2 is a value."""
    cat = hbkit.load_catalogue()
    obs = hbkit.read_observations(_housework([0.1, -0.2], [2022, 2023]), cat)
    assert obs.frame["value"].tolist() == [0.1, -0.2]
    path = tmp_path / "housework.csv"
    _housework([0.1, -0.2], [2022, 2023]).assign(unit="小时/天").to_csv(path, index=False)
    back = hbkit.read_observations(path, cat).frame
    assert back[["value", "unit"]].values.tolist() == [[0.1, "hours_per_day"],
                                                       [-0.2, "hours_per_day"]]
    # the flag, not the unit, lets it through: children's daily hours outdoors stay >= 0
    with pytest.raises(DataValidationError) as info:
        hbkit.read_observations(
            _housework([-0.2], [2023], "child_daily_outdoor_daylight_hours"), cat)
    assert info.value.problems["code"].tolist() == ["negative"]


def test_a_housework_gap_crossing_zero_is_projected_below_zero_and_so_described() -> None:
    """Falling 0.15 hours a year through 0 (2021): not floored at 0 as hours a day are.

    A straight line through 0.70 ... -0.35 (2016-2023) reaches -0.35 - 2 x 0.15 = -0.65
    in 2025; the 2020 gap (0.10) has narrowed, so the target is met.
    """
    values = 0.70 - 0.15 * np.arange(8)
    res = _assess(_housework(np.round(values, 2), YEARS), [hbkit.load_catalogue()[HOUSEWORK_ID]])
    row = res.to_frame().iloc[0]
    assert (row["unit"], row["scale"]) == ("hours_per_day", "identity")
    assert row["projected"] == pytest.approx(-0.65, abs=0.1)
    assert row["lo_95"] < row["hi_80"] < 0  # the draws below 0 are kept, not set to 0
    assert row["status"] == "achieved" and row["probability"] > 0.95
    # the methods say why: identity scale, a difference that may fall below 0
    scales = tables.scales_table(res, "zh").set_index("indicator")
    assert scales.loc["gender_gap_housework_time", "scale"] == "原始尺度"
    zh, en = (tables.methods_paragraphs(res, lang)[0] for lang in ("zh", "en"))
    assert "以小时/天表示的两性家务劳动时间差距）在原尺度上建模，可以为负" in zh
    assert "gender gap in housework hours a day) on their own scale, where they may fall " \
           "below 0" in en


def test_a_negative_unsigned_percent_is_still_refused() -> None:
    with pytest.raises(DataValidationError) as info:
        hbkit.read_observations(_frame([-1.0], [2023], "female_share"),
                                Catalogue([_gap(indicator="female_share", signed=False,
                                                bounded=False)]))
    assert info.value.problems["code"].tolist() == ["negative"]


# ------------------------------------------------------------------ modelling
def test_signed_means_the_identity_scale_and_no_floor() -> None:
    assert choose_scale("percent", False, False, signed=True) == "identity"
    assert choose_scale("percent", False, True, signed=True) == "identity"  # counts unused
    assert choose_scale("percent", False, False) == "log"
    assert floor_at_zero(np.array([[-1.5, 2.0]]), "count", signed=True).tolist() == [[-1.5, 2.0]]
    assert np.isnan(direction_bound(_gap()))  # a gap held at 0 can still fall below it
    assert direction_bound(_gap(signed=False, bounded=False)) == 0.0


def test_a_signed_percent_projects_as_a_gap_in_points() -> None:
    values = CROSSING[None, :]
    signed = project(values, YEARS, target_year=2025, unit="percent", signed=True, seed=1)
    points = project(values, YEARS, target_year=2025, unit="percentage_points", seed=1)
    assert signed.scale.tolist() == ["identity"] and signed.signed
    np.testing.assert_array_equal(signed.paths, points.paths)
    unsigned = project(values, YEARS, target_year=2025, unit="percent", bounded=False, seed=1)
    assert unsigned.scale.tolist() == ["log"] and unsigned.paths.min() > 0


@pytest.mark.parametrize(("model", "expected"), [
    # a straight line fitted by least squares (numpy's polyfit), at 2025
    ("linear", float(np.polyval(np.polyfit(YEARS, CROSSING, 1), 2025))),
    # a random walk with drift: the last value plus two mean steps, -2.9 + 2 x (-4.9 / 7)
    ("rw_drift", -2.9 + 2 * (-2.9 - 2.0) / 7),
])
def test_the_central_projection_is_the_identity_scale_straight_line(model, expected) -> None:
    assert expected == pytest.approx(-4.317 if model == "linear" else -4.3, abs=1e-3)
    p = project(CROSSING[None, :], YEARS, target_year=2025, unit="percent", signed=True,
                models=(model,), n_draws=4000, seed=3, decimals=None)
    assert float(np.median(p.paths[0, :, -1])) == pytest.approx(expected, abs=0.05)


def test_signed_and_bounded_are_refused_by_project() -> None:
    with pytest.raises(hbkit.HbkitError, match="signed"):
        project(CROSSING[None, :], YEARS, target_year=2025, unit="percent", signed=True,
                bounded=True)


def test_a_gap_crossing_zero_is_assessed_below_zero() -> None:
    target = hbkit.load_catalogue()[GAP_ID]
    res = _assess(_frame(CROSSING), [target])
    row = res.to_frame().iloc[0]
    assert (row["unit"], row["scale"]) == ("percent", "identity")
    assert row["projected"] == pytest.approx(-4.3, abs=0.3)
    assert row["lo_95"] < row["lo_80"] < row["projected"] < row["hi_80"] < row["hi_95"] < 0
    # 2020 gap -0.8; 2023 -2.9 has narrowed further: the target (below the 2020 gap) is met
    assert (row["baseline_value"], row["latest_value"]) == (-0.8, -2.9)
    assert row["status"] == "achieved" and row["probability"] > 0.95
    ax = res.plot(GAP_ID)  # the chart keeps what lies below 0 in view
    assert ax.get_ylim()[0] < -2.9
    plt.close(ax.figure)


def test_the_example_gap_keeps_its_level_on_the_identity_scale() -> None:
    """The example's gap (about 19%, falling): modelled as values, not logs."""
    example = load_example("hebei_example")
    frame = example.observations
    gap = frame[frame["indicator"] == "gender_income_gap"]
    res = _assess(gap, [hbkit.load_catalogue()[GAP_ID]])
    row = res.to_frame().iloc[0]
    assert row["scale"] == "identity" and 10 < row["projected"] < 25


# ------------------------------------------------------------------ the template
def test_the_template_puts_no_sign_rule_on_a_signed_value(tmp_path) -> None:
    cat = Catalogue([_gap(), _gap(id="share", indicator="female_share", kind="lower_bound",
                                  threshold=40.0, direction=None, signed=None,
                                  baseline_year=None, name_zh="女性比例")])
    path = observation_template(cat, [2021], tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = next(ws for ws in book.worksheets if ws.cell(1, 1).value and any(
        c.value == "2021年" for c in ws[1]))
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    ruled = " ".join(str(v.sqref) for v in sheet.data_validations.dataValidation)
    value_column = [c.value for c in sheet[1]].index("2021年") + 1
    gap_cell = sheet.cell(rows["gender_income_gap"], value_column).coordinate
    share_cell = sheet.cell(rows["female_share"], value_column).coordinate
    assert gap_cell not in ruled.split() and share_cell in ruled.split()
    # its counts are not asked for (greyed): a signed value is modelled on its own
    numerator = sheet.cell(rows["gender_income_gap"], value_column + 1)
    assert numerator.fill.fgColor.rgb.endswith("DDDDDD")
