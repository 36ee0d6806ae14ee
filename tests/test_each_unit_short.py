"""An each-street target (以街为单位) with too few years to project still reads its streets.

The first monitoring of a new plan has the base year and one year after it: no
projection, but the worst street's value and the rule so far are known, as for a
target judged on the district itself.
"""

from __future__ import annotations

import pandas as pd
import pytest

import hbkit


def _target(each_unit: str | None) -> hbkit.Target:
    return hbkit.Target(
        id="C-imm-2030" + ("" if each_unit else "-district"), plan="children", domain="health",
        indicator="immunization_coverage", name_zh="适龄儿童免疫规划疫苗接种率",
        name_en="Immunisation coverage", kind="maintain", threshold=95, unit="percent",
        direction="increase", target_year=2030, baseline_year=2025, each_unit=each_unit)


def _assess(street_2026: float) -> pd.Series:
    values = {"河北区": (98.3, 98.4), "河北区/甲街道": (97.1, street_2026),
              "河北区/乙街道": (99.0, 99.1)}
    frame = pd.DataFrame([{"indicator": "immunization_coverage", "geo": geo, "year": year,
                           "value": pair[k], "unit": "percent", "source": "测试"}
                          for geo, pair in values.items() for k, year in enumerate((2025, 2026))])
    catalogue = hbkit.Catalogue([_target("street"), _target(None)])
    res = hbkit.assess(hbkit.read_observations(frame, catalogue), catalogue=catalogue,
                       as_of=2026, n_draws=200)
    return res.to_frame().set_index("target_id")


def test_the_worst_street_is_the_latest_value_and_met_so_far_is_achieved_early() -> None:
    table = _assess(97.2)
    street, district = table.loc["C-imm-2030"], table.loc["C-imm-2030-district"]
    assert street["n_obs"] == 2 and pd.isna(street["probability"])
    # the worst street's 97.2 (2026), not the district's 98.4 read as 最差单位
    assert street["latest_value"] == pytest.approx(97.2)
    assert street["baseline_value"] == pytest.approx(97.1)
    assert street["achieved_annual_change"] == pytest.approx(0.1)
    # every street ≥95% in 2026: 提前实现, as the same rule on the district says
    assert (street["status_zh"], district["status_zh"]) == ("提前实现", "提前实现")


def test_a_street_below_the_rule_is_already_missed_not_insufficient_data() -> None:
    street = _assess(94.0).loc["C-imm-2030"]
    assert street["status"] == "off_track" and street["status_zh"] == "已有年份未达到"
    assert street["latest_value"] == pytest.approx(94.0)
