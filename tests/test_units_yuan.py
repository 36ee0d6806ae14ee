"""Money, ``yuan`` (元): printing, modelling, reading, and the benefit-level targets.

The plans judge four amounts of money (the average monthly pension, unemployment and
work-injury benefits of women, the urban minimum living allowance). They print as
``3,603元`` / ``3,603 yuan``, are modelled on the log scale (raised by a percentage, never
at or below 0), and are read from ``1,234元``, ``1234 元`` or a unit column saying 元; a
figure in 万元 is refused with the amount in 元.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hbkit
from hbkit._typing import UNITS
from hbkit.datasets import load_example
from hbkit.exceptions import DataValidationError
from hbkit.models import choose_scale, project
from hbkit.models.scales import FLOOR_ZERO_UNITS, NONNEGATIVE_UNITS
from hbkit.observations.cells import CellError, parse_number
from hbkit.observations.units import canonical_unit, conversion_factor
from hbkit.report.excel_formats import number_format
from hbkit.report.formatting import format_change, format_interval, format_value
from hbkit.report.wording import unit_label

BENEFIT_TARGETS = {
    "W-social_security-pension-benefits": "female_average_pension_benefit",
    "W-social_security-unemployment-insurance-benefits": "female_unemployment_benefit",
    "W-social_security-work-injury-insurance-benefits": "female_work_injury_benefit",
    "W-social_security-assistance-standard": "minimum_living_allowance_standard",
}
YEARS = np.arange(2016, 2024)


# --- printing --------------------------------------------------------------------------

def test_yuan_is_a_unit_named_yuan_in_both_languages() -> None:
    assert "yuan" in UNITS
    assert (unit_label("yuan"), unit_label("yuan", "en")) == ("元", "yuan")


@pytest.mark.parametrize(("value", "zh", "en"), [
    (3603.0, "3,603元", "3,603 yuan"),
    (1234.4, "1,234元", "1,234 yuan"),        # whole yuan from 100 up
    (1234567.0, "1,234,567元", "1,234,567 yuan"),
    (100.0, "100元", "100 yuan"),
    (12.5, "12.50元", "12.50 yuan"),          # fen below 100 yuan
    (None, "–", "–"),
])
def test_money_prints_with_thousands_separators_and_whole_yuan(value, zh, en) -> None:
    assert format_value(value, "yuan") == zh
    assert format_value(value, "yuan", "en") == en


def test_money_next_to_a_threshold_keeps_the_digits_that_tell_the_side() -> None:
    # 2,999.6元 must not print as 3,000元 beside a rule of "at least 3,000元"
    assert format_value(2999.6, "yuan", against=3000) == "2,999.6元"
    assert format_value(3000.0, "yuan", against=3000) == "3,000元"


def test_money_intervals_and_changes() -> None:
    assert format_interval(3412.4, 3980.6, "yuan") == "[3,412, 3,981]"
    assert format_interval(12.0, 45.5, "yuan") == "[12.00, 45.50]"
    assert format_change(104.6, "yuan") == "+105元"
    assert format_change(-1250.0, "yuan", "en") == "-1,250 yuan"


def test_workbook_cells_of_money_show_whole_yuan_and_the_unit() -> None:
    assert number_format("latest_value", 3603.0, 0, "yuan") == '#,##0"元"'
    # a projection or interval end in yuan shows the yuan it was reported in, not 3,803.4元
    assert number_format("projected", 3803.4, 0, "yuan") == '#,##0"元"'
    assert number_format("lo_80", 3770.36, 0, "yuan") == '#,##0"元"'
    # other units keep at least one decimal in their projections
    assert number_format("projected", 3803.4, 0, "years") == '#,##0.0"年"'


# --- modelling -------------------------------------------------------------------------

def test_money_is_modelled_on_the_log_scale_unless_signed() -> None:
    assert choose_scale("yuan", False, False) == "log"
    assert choose_scale("yuan", False, True) == "log"      # counts mean nothing for money
    assert choose_scale("yuan", False, False, signed=True) == "identity"   # a gap in yuan
    assert "yuan" in FLOOR_ZERO_UNITS and "yuan" not in NONNEGATIVE_UNITS


def test_a_benefit_raised_five_percent_a_year_is_projected_multiplicatively() -> None:
    # about +5% a year, unevenly (+7%, +2%, +8%, +2%, ...): 1000 * 1.05**14 = 1980 in 2030
    values = np.array([[1000.0, 1071, 1089, 1178, 1203, 1295, 1322, 1419]])
    p = project(values, YEARS, target_year=2030, unit="yuan", n_draws=20_000, seed=1)
    assert p.scale.tolist() == ["log"]
    assert (p.value_draws(2030) > 0).all()                 # never at or below 0
    median = p.median(2030)[0]
    lo, hi = (float(x[0]) for x in p.interval(80, 2030))
    assert abs(median / (1000 * 1.05**14) - 1) < 0.05      # the growth rate continued
    # symmetric in ratio (x / k to x * k), so skewed upwards in yuan
    up, down = np.log(hi / median), np.log(median / lo)
    assert abs(up - down) < 0.1 * (up + down)
    assert hi - median > 1.2 * (median - lo)


def test_the_same_series_without_a_unit_is_additive_and_can_reach_below_zero() -> None:
    # what the benefit levels were before they had a unit: identity scale, no floor
    values = np.array([[1000.0, 1071, 1089, 1178, 1203, 1295, 1322, 1419]])
    p = project(values, YEARS, target_year=2030, unit="none", n_draws=20_000, seed=1)
    assert p.scale.tolist() == ["identity"]
    q = project(values, YEARS, target_year=2030, unit="yuan", n_draws=20_000, seed=1)
    assert p.value_draws(2030).min() < q.value_draws(2030).min()


# --- reading ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["1,234元", "1234 元", "１，２３４元", "1234元/月", "1,234 元/人/月"])
def test_a_value_typed_with_yuan_reads_as_the_number(text) -> None:
    number = parse_number(text)
    assert (number.value, number.unit) == (1234.0, "yuan")


@pytest.mark.parametrize("text", ["元", "元/月", "元/人/月", "元/（人·月）", "人民币", "yuan", "元 / yuan"])
def test_unit_spellings_of_money(text) -> None:
    assert canonical_unit(text) == "yuan"


def test_ten_thousand_yuan_is_refused_with_the_amount_in_yuan() -> None:
    with pytest.raises(CellError, match=r"0\.36万元 = 3600元") as caught:
        parse_number("0.36万元")
    assert caught.value.code == "unit-ten-thousand-yuan"
    assert canonical_unit("万元") is None


def test_a_unit_none_is_read_as_yuan_but_yuan_is_no_unitless_number() -> None:
    assert conversion_factor("none", "yuan") == (1, 1)
    assert conversion_factor("yuan", "none") is None
    assert conversion_factor("yuan", "percent") is None


def _write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "benefits.csv"
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _row(year: int, value: object, unit: str = "") -> dict[str, object]:
    return {"indicator": "female_average_pension_benefit", "geo": "河北区", "year": year,
            "value": value, "unit": unit}


def test_a_data_file_in_yuan_reads_against_the_catalogue(tmp_path) -> None:
    path = _write(tmp_path, [_row(2020, "3,313元"), _row(2021, "3414 元", "元"),
                             _row(2022, 3479, "元/人/月"), _row(2023, 3603, "none")])
    obs = hbkit.read_observations(path, hbkit.load_catalogue())
    frame = obs.frame.sort_values("year")
    assert frame["value"].tolist() == [3313.0, 3414.0, 3479.0, 3603.0]
    assert set(frame["unit"]) == {"yuan"}
    # the unit-less row is read as yuan and logged, as any change of unit name is
    assert obs.changes["code"].tolist() == ["unit-converted"]
    assert obs.changes["row"].tolist() == [5]


def test_a_data_file_in_ten_thousand_yuan_is_refused_naming_cell_and_rule(tmp_path) -> None:
    path = _write(tmp_path, [_row(2020, "0.3313万元"), _row(2021, 0.34, "万元")])
    with pytest.raises(DataValidationError) as caught:
        hbkit.read_observations(path, hbkit.load_catalogue())
    problems = caught.value.problems
    assert problems["code"].tolist() == ["unit-ten-thousand-yuan"] * 2
    assert problems[["row", "column", "value"]].values.tolist() == [
        [2, "value", "0.3313万元"], [3, "unit", "万元"]]
    assert "0.3313万元 = 3313元" in problems["rule"].iloc[0]
    assert problems["rule"].str.startswith("金额须以元为单位填写").all()


def test_a_negative_amount_of_money_is_refused(tmp_path) -> None:
    path = _write(tmp_path, [_row(2020, "-3,313元")])
    with pytest.raises(DataValidationError) as caught:
        hbkit.read_observations(path, hbkit.load_catalogue())
    assert caught.value.problems["code"].tolist() == ["negative"]


# --- the shipped catalogue and example ------------------------------------------------

def test_the_four_benefit_level_targets_are_in_yuan() -> None:
    catalogue = hbkit.load_catalogue()
    in_yuan = {t.id: t.indicator for t in catalogue if t.unit == "yuan"}
    assert in_yuan == BENEFIT_TARGETS
    # no other target describes an amount of money while lacking the unit
    for target in catalogue:
        if "in yuan" in (target.notes or ""):
            assert target.unit == "yuan", target.id


@pytest.mark.parametrize("name", ["hebei_example", "hebei_example_final"])
def test_the_example_declares_the_benefit_levels_in_yuan(name) -> None:
    frame = load_example(name).observations
    rows = frame[frame["indicator"].isin(set(BENEFIT_TARGETS.values()))]
    assert len(rows) == 4 * (8 if name == "hebei_example" else 10)
    assert set(rows["unit"]) == {"yuan"}
    assert (rows["value"] > 0).all()


def test_a_file_of_the_earlier_unit_none_is_assessed_in_yuan_without_the_catalogue(tmp_path) -> None:
    # files written before money had a unit say none; read without the catalogue, the
    # assessment uses them as yuan, as the reader does given the catalogue
    rows = [_row(year, value, "none") for year, value in
            zip(range(2016, 2024), [2887, 3000, 3091, 3211, 3313, 3414, 3479, 3603], strict=True)]
    obs = hbkit.read_observations(_write(tmp_path, rows))
    assert set(obs.frame["unit"]) == {"none"}
    catalogue = hbkit.Catalogue([hbkit.load_catalogue()["W-social_security-pension-benefits"]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", hbkit.DataWarning)   # no row left unused
        row = hbkit.assess(obs, catalogue=catalogue, as_of=2023, n_draws=500).to_frame().iloc[0]
    assert (row["status"], row["unit"], row["scale"], row["latest_value"]) == (
        "achieved", "yuan", "log", 3603.0)
