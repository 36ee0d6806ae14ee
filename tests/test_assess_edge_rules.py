"""Edge rules of an assessment that a user relies on without seeing them.

Each test states one rule of ``docs/methodology/status-warnings.md`` or
``docs/methodology/attainment.md`` and checks it on a small case whose answer
is worked out independently (from the projection's own paths, or by hand).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hbkit
from hbkit.attainment import direction_bound, evaluate_event, probability, remaining_from_years
from hbkit.catalogue.models import Target
from hbkit.models import project
from hbkit.warnings_rules import series_statistics, standardised_changes

YEARS = np.arange(2016, 2024)


def _rows(indicator: str, geo: str, years, values, unit: str = "percent") -> list[dict]:
    return [{"indicator": indicator, "geo": geo, "year": int(y), "value": float(v), "unit": unit}
            for y, v in zip(years, values, strict=True) if np.isfinite(v)]


def _frame(*pieces: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([row for piece in pieces for row in piece])


# ------------------------------------------------------------ every-year targets
MAINTAIN = Target(id="m", indicator="y", kind="maintain", threshold=94.5, unit="percent",
                  direction="increase", baseline_year=2020)
A = [90, 91, 92, 92.5, 94.6, 94.7, 94.8, 95.5]
B = [90, 91, 92, 92.5, 94.6, 94.7, 94.8, np.nan]  # 2023 not reported yet


def test_every_year_window_starts_after_each_series_own_last_value() -> None:
    """B has not reported 2023 while A has: B's 2023 is still to be met, so its
    probability covers 2023-2025, worked out on the same paths by hand."""
    proj = project(np.array([A, B], dtype=float), YEARS, target_year=2025, unit="percent",
                   n_draws=4000, seed=1)
    got = probability(MAINTAIN, proj)
    years = [2023, 2024, 2025]
    paths = proj.trajectories(years)
    by_hand = (paths >= 94.5).all(axis=2).mean(axis=1)
    assert got[1] == pytest.approx(by_hand[1])
    a_only = (proj.trajectories([2024, 2025]) >= 94.5).all(axis=2).mean(axis=1)
    assert got[0] == pytest.approx(a_only[0])
    # the 2023 value of B is uncertain, so leaving it out would overstate B's chance
    assert got[1] < a_only[1] - 0.03  # 0.638 against 0.681
    assert remaining_from_years(MAINTAIN, YEARS, np.array([A, B])).tolist() == [2024, 2023]


def test_an_area_reporting_late_reads_as_assessed_without_the_others() -> None:
    """The same area, assessed with a neighbour that has reported 2023 or alone up to its
    own last year, gets the same every-year probabilities, to the last digit."""
    targets = [
        {"id": "m", "indicator": "y", "kind": "maintain", "threshold": 94.3, "unit": "percent",
         "direction": "increase", "baseline_year": 2020},
        {"id": "ac", "indicator": "y", "kind": "annual_change", "threshold": 0.5,
         "unit": "percent", "direction": "increase", "baseline_year": 2020},
    ]
    a = _rows("y", "甲区", YEARS, [90, 91, 92, 92.5, 93, 93.6, 94.2, 94.9])
    b = _rows("y", "乙区", YEARS[:-1], [90, 91, 92, 92.5, 93, 93.6, 94.2])
    both = hbkit.assess(_frame(a, b), targets, as_of=2023).to_frame().set_index(["target_id", "geo"])
    alone = hbkit.assess(_frame(b), targets, as_of=2022).to_frame().set_index(["target_id", "geo"])
    for tid in ("m", "ac"):
        assert both.loc[(tid, "乙区"), "probability"] == alone.loc[(tid, "乙区"), "probability"]


# ------------------------------------------------------------ the call's StatusRules
def test_moving_away_alpha_of_the_call_decides_the_warning() -> None:
    """The latest rise of a falling rate has a one-sided p of about 0.24: no warning at the
    default 0.025, a warning when the call asks for 0.49."""
    values = [8.0, 7.8, 7.6, 7.5, 7.3, 7.1, 7.0, 7.1]
    obs = _frame(_rows("x", "区", YEARS, values, unit="per_1000"))
    target = [{"id": "ub", "indicator": "x", "kind": "upper_bound", "threshold": 5,
               "unit": "per_1000"}]
    st = series_statistics(YEARS, np.array([values]), None, None, "per_1000")
    p_up = float(st["last_p_up"].iloc[0])
    assert 0.025 < p_up < 0.49
    default = hbkit.assess(obs, target, as_of=2023).to_frame().iloc[0]
    loose = hbkit.assess(obs, target, as_of=2023,
                         rules=hbkit.StatusRules(moving_away_alpha=0.49)).to_frame().iloc[0]
    assert "moving_away" not in default["warnings"].split(";")
    assert "moving_away" in loose["warnings"].split(";")


def test_early_achievement_off_means_no_early_achievement_of_any_kind() -> None:
    """StatusRules(early_achievement=False): no target of any kind is 提前实现 before the
    target year; a count rule met so far (no forecast) is on track, worded 目前已达到."""
    rng = np.random.default_rng(1)
    obs = _frame(
        _rows("a", "区", YEARS, np.arange(30.0, 38.0)),
        _rows("b", "区", YEARS, np.full(8, 30.0)),
        _rows("lead", "区", [2021, 2022, 2023], [1, 1, 1], unit="count"),
        _rows("cov", "区", YEARS, [97, 97.2, 97.1, 97.5, 97.4, 97.6, 97.8, 97.9]),
        *[_rows("cov", f"区/{s}", YEARS, np.round(base + rng.normal(0, 0.3, 8), 1))
          for s, base in [("甲", 97), ("乙", 98), ("丙", 96.5), ("丁", 97.5)]],
    )
    targets = [
        {"id": "rel", "indicator": "a", "kind": "relational", "direction": "increase",
         "reference_indicator": "b", "unit": "percent"},
        {"id": "cm", "indicator": "lead", "kind": "count_minimum", "threshold": 1,
         "unit": "count"},
        {"id": "eu", "indicator": "cov", "kind": "lower_bound", "threshold": 95,
         "unit": "percent", "each_unit": "street"},
    ]
    on = hbkit.assess(obs, targets, as_of=2023).to_frame().set_index("target_id")
    off = hbkit.assess(obs, targets, as_of=2023,
                       rules=hbkit.StatusRules(early_achievement=False)).to_frame()
    off = off.set_index("target_id")
    assert (on["status_zh"] == "提前实现").all()
    assert not (off["status"] == "achieved").any()
    assert off.loc["cm", "status"] == "on_track" and off.loc["cm", "status_zh"] == "目前已达到"
    assert off.loc["rel", "probability"] == on.loc["rel", "probability"]


# ------------------------------------------------------------ final evaluation
@pytest.mark.filterwarnings("ignore:监测年份.*晚于数据的最后年份")  # data to 2024, on purpose
def test_final_evaluation_names_the_missing_baseline_not_the_target_year() -> None:
    obs = _frame(_rows("x", "区", [2016, 2017, 2018, 2019, 2021, 2022, 2023, 2024, 2025],
                       [10, 10, 10, 10, 9, 8.5, 8.2, 8.0, 7.0], unit="per_1000"))
    target = [{"id": "rc", "indicator": "x", "kind": "relative_change", "threshold": 20,
               "unit": "per_1000", "direction": "decrease", "baseline_year": 2020}]
    row = hbkit.assess(obs, target, as_of=2025).to_frame().iloc[0]
    assert "基期（2020年）数据缺失" in row["reason_zh"]
    assert "baseline year 2020 is missing" in row["reason_en"]
    assert "目标年份（" not in row["reason_zh"]
    # without the 2025 value it is the target year that is named, with the latest data
    missing = hbkit.assess(obs[obs["year"] < 2025], target, as_of=2025).to_frame().iloc[0]
    assert "终期评估：目标年份（2025年）数据缺失，最近数据为2024年，概率来自模型" in missing["reason_zh"]
    assert "the target year 2025 is missing (the latest data are for 2024)" in missing["reason_en"]


@pytest.mark.filterwarnings("ignore:监测年份.*晚于数据的最后年份")  # as_of after the data, on purpose
def test_a_later_as_of_with_the_same_data_gives_the_same_assessment() -> None:
    """Data to 2023: as_of 2025 (final evaluation of a 2025 plan) and as_of 2027 project
    the same years, so every number is the same."""
    obs = _frame(_rows("x", "区", YEARS, [5.1, 4.9, 4.8, 4.4, 4.5, 4.1, 4.0, 3.8],
                       unit="per_1000"),
                 _rows("c", "区", YEARS, [91, 92, 92.5, 93, 94, 94.2, 95, 95.1]))
    targets = [{"id": "ub", "indicator": "x", "kind": "upper_bound", "threshold": 3.5,
                "unit": "per_1000"},
               {"id": "d", "indicator": "c", "kind": "direction", "direction": "increase",
                "unit": "percent", "baseline_year": 2020}]
    first = hbkit.assess(obs, targets, as_of=2025).to_frame()
    later = hbkit.assess(obs, targets, as_of=2027).to_frame()
    pd.testing.assert_frame_equal(first, later)


def test_relational_final_evaluation_judges_the_target_year_even_with_later_rows() -> None:
    """Rows after the target year (as_of 2026) do not replace the target year's own values."""
    years = np.arange(2018, 2027)
    obs = _frame(_rows("a", "区", years, [30, 31, 32, 33, 34, 35, 36, 37, 29]),
                 _rows("b", "区", years, np.full(years.size, 30.0)))
    target = [{"id": "rel", "indicator": "a", "kind": "relational", "direction": "increase",
               "reference_indicator": "b", "unit": "percent", "target_year": 2025}]
    row = hbkit.assess(obs, target, as_of=2026).to_frame().iloc[0]
    assert row["status"] == "achieved" and row["probability"] == 1.0  # 37 >= 30 in 2025


# ------------------------------------------------------------ direction at a bound
@pytest.mark.parametrize(("unit", "bounded", "direction", "expected"), [
    ("per_100k", False, "decrease", 0.0),
    ("count", False, "decrease", 0.0),
    ("percent", True, "decrease", 0.0),
    ("percent", True, "increase", 100.0),
    ("per_1000", False, "increase", np.nan),
    ("years", False, "increase", np.nan),
])
def test_direction_bound(unit, bounded, direction, expected) -> None:
    t = Target(id="d", indicator="x", kind="direction", direction=direction, unit=unit,
               bounded=bounded, baseline_year=2020)
    assert direction_bound(t) == pytest.approx(expected, nan_ok=True)


def test_a_death_rate_held_at_zero_meets_keep_falling() -> None:
    """持续下降 of a rate at 0 in the baseline year: 0 again is met (it cannot go lower),
    any death is not; a rate above 0 must still fall strictly."""
    t = Target(id="d", indicator="mmr", kind="direction", direction="decrease",
               unit="per_100k", baseline_year=2020)
    paths = np.array([[0.0, 0.0], [0.0, 24.5], [20.0, 20.0], [20.0, 0.0]])
    assert evaluate_event(t, [2020, 2025], paths).tolist() == [1.0, 0.0, 0.0, 1.0]


# ------------------------------------------------------------ fluctuation numbers
def test_n_large_changes_counts_changes_beyond_z_report() -> None:
    k = np.array([[100.0, 160, 90, 170, 95, 100, 104, 98]])
    n = np.full((1, 8), 10_000.0)
    z = np.abs(standardised_changes(k, n, "per_1000"))[0]
    for cut in (1.96, 3.0, 6.0):
        st = series_statistics(YEARS, k / n * 1000, k, n, "per_1000",
                               hbkit.StatusRules(z_report=cut))
        assert st["n_large_changes"].iloc[0] == (z >= cut).sum()
    assert (z >= 1.96).sum() != (z >= 6.0).sum()  # the cut-off matters on this series


def test_each_street_required_change_pairs_the_worst_streets_value_with_its_year() -> None:
    """The worst street was last seen in 2021 at 94.0: the change per year it needs to reach
    95 by 2025 is (95 - 94) / (2025 - 2021), not over the 2 years left after 2023."""
    rng = np.random.default_rng(1)
    pieces = [_rows("cov", "区", YEARS, [97, 97.2, 97.1, 97.5, 97.4, 97.6, 97.8, 97.9])]
    for street, base in [("甲", 97.0), ("乙", 98.0), ("丙", 96.5)]:
        pieces.append(_rows("cov", f"区/{street}", YEARS, np.round(base + rng.normal(0, 0.3, 8), 1)))
    pieces.append(_rows("cov", "区/丁", YEARS[:6], [97.4, 97.6, 97.3, 97.5, 97.2, 94.0]))
    target = [{"id": "eu", "indicator": "cov", "kind": "lower_bound", "threshold": 95,
               "unit": "percent", "each_unit": "street"}]
    row = hbkit.assess(_frame(*pieces), target, as_of=2023).to_frame().iloc[0]
    assert row["latest_value"] == 94.0 and row["latest_year"] == 2023
    assert row["required_annual_change"] == pytest.approx((95 - 94.0) / (2025 - 2021))


def test_each_street_baseline_and_achieved_change_are_the_worst_streets_not_the_districts(
        ) -> None:
    """The series judged is the worst street each year: its baseline is the worst street's
    2020 value (95.8, street 乙), not the district's 97.5, and the change achieved per year
    runs from it to the worst street's latest value (96.2, street 甲, 2023)."""
    district = _rows("cov", "区", YEARS, [97.0, 97.2, 97.3, 97.4, 97.5, 97.6, 97.7, 97.8])
    jia = _rows("cov", "区/甲", YEARS, [97.0, 97.1, 96.9, 97.2, 97.0, 96.6, 96.4, 96.2])
    yi = _rows("cov", "区/乙", YEARS, [96.0, 96.1, 95.9, 96.0, 95.8, 96.9, 97.3, 97.6])
    target = [{"id": "eu", "indicator": "cov", "kind": "lower_bound", "threshold": 95,
               "unit": "percent", "each_unit": "street", "baseline_year": 2020}]
    row = hbkit.assess(_frame(district, jia, yi), target, as_of=2023).to_frame().iloc[0]
    assert row["latest_value"] == 96.2 and row["baseline_value"] == 95.8
    assert row["achieved_annual_change"] == pytest.approx((96.2 - 95.8) / (2023 - 2020))
    assert row["required_annual_change"] == pytest.approx((95 - 96.2) / (2025 - 2023))


def test_a_final_verdict_on_few_deaths_names_the_pooled_rate() -> None:
    """0 maternal deaths in 2025 meets "<= 8.5 per 100,000", but 3 deaths in 2021-2025 are
    16.7 per 100,000: the reason says so (3 / 17,940 births, worked out by hand)."""
    years = np.arange(2018, 2026)
    deaths = [1, 0, 0, 0, 1, 0, 2, 0]
    births = [3900, 3850, 3808, 3593, 3618, 3572, 3564, 3593]
    obs = pd.DataFrame({"indicator": "mmr", "geo": "区", "year": years,
                        "value": np.array(deaths) / np.array(births) * 1e5,
                        "numerator": deaths, "denominator": births, "unit": "per_100k"})
    target = [{"id": "mmr", "indicator": "mmr", "kind": "upper_bound", "threshold": 8.5,
               "unit": "per_100k", "baseline_year": 2020}]
    row = hbkit.assess(obs, target, as_of=2025).to_frame().iloc[0]
    assert row["status"] == "achieved"
    pooled = sum(deaths[3:]) / sum(births[3:]) * 1e5
    assert f"{pooled:.1f}/10万" in row["reason_zh"] and "仅0例" in row["reason_zh"]
    assert "3 events in 17,940" in row["reason_en"]
    many = obs.assign(numerator=obs["numerator"] + 20)
    many["value"] = many["numerator"] / many["denominator"] * 1e5
    assert pd.isna(hbkit.assess(many, target, as_of=2025).to_frame().iloc[0]["reason_zh"])


# ------------------------------------------------------------ embedding: arguments and shapes
def _two_districts() -> pd.DataFrame:
    return _frame(_rows("x", "和平区", YEARS, [5.1, 4.9, 4.8, 4.4, 4.5, 4.1, 4.0, 3.8],
                        unit="per_1000"),
                  _rows("x", "河东区", YEARS, [6.1, 5.9, 5.5, 5.6, 5.2, 5.0, 4.9, 4.6],
                        unit="per_1000"))


UB = [{"id": "ub", "indicator": "x", "kind": "upper_bound", "threshold": 3.5,
       "unit": "per_1000"}]


def test_the_dashboard_of_one_area_counts_that_area_only() -> None:
    import matplotlib.pyplot as plt

    res = hbkit.assess(_two_districts(), UB, as_of=2023)
    ax = res.plot(geo="和平区")
    assert "和平区" in ax.get_title(loc="left")
    counts = [t.get_text() for t in ax.texts]
    assert counts == ["1"]  # one target in one area, not 2 over both
    plt.close(ax.figure)
    with pytest.raises(hbkit.HbkitError, match="no area '不存在区'"):
        res.plot(geo="不存在区")


def test_unit_frame_keeps_its_columns_without_streets() -> None:
    target = [{"id": "eu", "indicator": "x", "kind": "upper_bound", "threshold": 3.5,
               "unit": "per_1000", "each_unit": "street"}]
    units = hbkit.assess(_two_districts(), target, as_of=2023).unit_frame()
    assert units.empty and "unit_geo" in units.columns and "shrinkage" in units.columns


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"as_of": 1950}, "before every year of the data"),
    ({"as_of": 203}, "as_of must be a year in 1949-2100; received 203"),
    ({"level": "0.8"}, "received '0.8'"),
    ({"seed": 1.5}, "seed must be a whole number; received 1.5"),
    ({"n_draws": 1000.7}, "n_draws must be a whole number"),
])
def test_bad_arguments_are_named_with_the_value_received(kwargs, message) -> None:
    with pytest.raises(hbkit.HbkitError, match=message):
        hbkit.assess(_two_districts(), UB, **{"as_of": 2023, **kwargs})


def test_backtest_origins_as_text_is_a_clear_error() -> None:
    with pytest.raises(hbkit.HbkitError, match="origins must be years"):
        hbkit.backtest(_two_districts(), origins="2018-2020", horizon=2)
    with pytest.raises(hbkit.HbkitError, match="n_draws must be at least 100"):
        hbkit.backtest(_two_districts(), origins=[2020], horizon=2, n_draws=10)


def test_json_counts_are_integers() -> None:
    import json

    k = np.array([100.0, 160, 90, 170, 95, 100, 104, 98])
    births = np.full(8, 10_000.0)
    obs = pd.DataFrame({"indicator": "x", "geo": "区", "year": YEARS, "value": k / births * 1000,
                        "numerator": k, "denominator": births, "unit": "per_1000"})
    data = json.loads(hbkit.assess(obs, UB, as_of=2023).to_json())
    fluct = [w for w in data["warnings"] if w["code"] == "fluctuation"]
    assert fluct and type(fluct[0]["dispersion_df"]) is int
    assert type(fluct[0]["n_large_changes"]) is int
    assert type(data["targets"][0]["n_obs"]) is int


def test_early_achievement_off_still_sees_a_year_already_missed() -> None:
    """Switching 提前实现 off must not hide 已有年份未达到: 2022 broke "every year >= 94.3"."""
    obs = _frame(_rows("y", "区", YEARS, [90, 91, 92, 92.5, 94.6, 94.7, 94.2, 95.5]))
    target = [{"id": "m", "indicator": "y", "kind": "maintain", "threshold": 94.3,
               "unit": "percent", "direction": "increase", "baseline_year": 2020}]
    for early in (True, False):
        row = hbkit.assess(obs, target, as_of=2023,
                           rules=hbkit.StatusRules(early_achievement=early)).to_frame().iloc[0]
        assert row["status"] == "off_track" and row["status_zh"] == "已有年份未达到"


@pytest.mark.parametrize("previous", [None, "2022", pd.DataFrame()])
def test_changes_since_needs_an_assessment(previous) -> None:
    res = hbkit.assess(_two_districts(), UB, as_of=2023)
    with pytest.raises(hbkit.HbkitError, match="previous must be an earlier hbkit.Assessment"):
        res.changes_since(previous)


def test_one_move_away_after_years_without_any_says_its_interval_is_wide() -> None:
    """99% seven years, then 95%: the value models read one change as a blip and a turn at
    once, and the row says so. No caveat where table 3e measured nothing: a series that
    moved before, counts, a move towards the threshold, a threshold far outside the
    interval, or an each-street target whose district (not its worst street) did it."""
    target = [{"id": "cov", "indicator": "cov", "kind": "lower_bound", "threshold": 97,
               "unit": "percent", "baseline_year": 2020}]
    once = _frame(_rows("cov", "区", YEARS, [99, 99, 99, 99, 99, 99, 99, 95.0]))
    row = hbkit.assess(once, target, as_of=2023).to_frame().iloc[0]
    assert row["status"] in ("at_risk", "off_track")
    assert row["hi_80"] - row["lo_80"] > 30  # the width the caveat speaks of
    assert row["reason_zh"].startswith("多年数值不变、仅最近一年朝不利方向变化")
    assert "a blip cannot be told from a turn" in row["reason_en"]

    def reason(frame: pd.DataFrame, targets: list[dict] = target) -> object:
        return hbkit.assess(frame, targets, as_of=2023).to_frame().iloc[0]["reason_zh"]

    assert pd.isna(reason(_frame(_rows("cov", "区", YEARS, [99, 99, 99, 99, 99, 98, 97, 95.0]))))
    counts = once.assign(denominator=1000.0, numerator=once["value"] * 10)
    assert pd.isna(reason(counts))
    assert pd.isna(reason(_frame(_rows("cov", "区", YEARS, [95] * 7 + [99.0]))))  # towards it
    rate = [{"id": "r", "indicator": "r", "kind": "upper_bound", "threshold": 20,
             "unit": "per_1000", "baseline_year": 2020}]
    far = _frame(_rows("r", "区", YEARS, [10] * 7 + [11.0], unit="per_1000"))
    assert pd.isna(reason(far, rate))  # 20 lies far outside the interval
    streets = [{**target[0], "id": "es", "each_unit": "street"}]
    district = _rows("cov", "区", YEARS, [99] * 7 + [98.0])
    jia = _rows("cov", "区/甲", YEARS, [97, 97.5, 98, 98.4, 98.1, 97.6, 98.3, 97.9])
    yi = _rows("cov", "区/乙", YEARS, [99.5, 99.1, 99.6, 99.4, 99.2, 99.8, 99.0, 98.2])
    assert pd.isna(reason(_frame(district, jia, yi), streets))


def test_each_street_baseline_missing_for_every_street_is_estimated_by_the_model() -> None:
    """Streets reported from 2021 only: the worst street's 2020 value is the model's median
    (as a district's missing baseline is), so a relative target still has its target value
    and official labels instead of dashes beside a probability."""
    nan = np.nan
    district = _rows("cov", "区", YEARS, [97.0, 97.2, 97.3, 97.4, 97.5, 97.6, 97.7, 97.8])
    jia = _rows("cov", "区/甲", YEARS, [nan] * 5 + [96.6, 96.4, 96.2])
    yi = _rows("cov", "区/乙", YEARS, [nan] * 5 + [96.9, 97.3, 97.6])
    target = [{"id": "eu", "indicator": "cov", "kind": "relative_change", "threshold": 1,
               "direction": "increase", "unit": "percent", "each_unit": "street",
               "baseline_year": 2020}]
    result = hbkit.assess(_frame(district, jia, yi), target, as_of=2023)
    row = result.to_frame().iloc[0]
    assert 95.0 < row["baseline_value"] < 98.0
    assert result.series("eu", "区").target_value == pytest.approx(row["baseline_value"] * 1.01)
    assert row["eurostat_band"] != "not_computable" and np.isfinite(row["achieved_annual_change"])


def _deaths(deaths: list[int]) -> pd.DataFrame:
    """Deaths of 2016-2025 among 100,000 children a year (a rate per 100,000)."""
    years = np.arange(2016, 2026)
    return pd.DataFrame({"indicator": "deaths", "geo": "区", "year": years,
                         "value": np.array(deaths) / 1e5 * 1e5, "numerator": deaths,
                         "denominator": 100_000, "unit": "per_100k"})


def test_a_final_relative_change_on_few_deaths_names_both_years_and_both_periods() -> None:
    """以2020年数据为基数下降20%: 5 deaths in 2020 and 5 in 2025 miss it (5 > 0.8 x 5), but
    two years of 5 deaths are chance as much as level: the reason gives both counts and
    the pooled rates, 35 / 500,000 = 7.0 per 100,000 in 2016-2020 and 29 / 500,000 = 5.8
    in 2021-2025 (worked out by hand)."""
    obs = _deaths([8, 7, 9, 6, 5, 6, 5, 7, 6, 5])
    target = [{"id": "injury", "indicator": "deaths", "kind": "relative_change",
               "threshold": 20, "unit": "per_100k", "direction": "decrease",
               "baseline_year": 2020}]
    row = hbkit.assess(obs, target, as_of=2025).to_frame().iloc[0]
    assert row["status_zh"] == "未实现" and row["probability"] == 0.0
    assert row["reason_zh"] == (
        "终期评估比较2025年与2020年的数值，两年分别为5例和5例，偶然性大："
        "2016—2020年有数据的年份合计35例/500,000，合7.0/10万；"
        "2021—2025年有数据的年份合计29例/500,000，合5.8/10万")
    assert "5 and 5 events in those years" in row["reason_en"]
    assert "35 events in 500,000, 7.0 per 100,000" in row["reason_en"]
    # with ten times the deaths the two years are no longer a matter of chance: no note
    many = _deaths([80, 70, 90, 60, 50, 60, 50, 70, 60, 50])
    assert pd.isna(hbkit.assess(many, target, as_of=2025).to_frame().iloc[0]["reason_zh"])


def test_a_final_direction_on_no_death_in_the_target_year_says_the_period_rose() -> None:
    """持续下降: 0 drownings in 2025 against 2 in 2020 is 已实现 by the plan's rule, while
    the pooled rate rose from 7 / 500,000 = 1.4 to 9 / 500,000 = 1.8 per 100,000."""
    obs = _deaths([1, 1, 2, 1, 2, 2, 3, 2, 2, 0])
    target = [{"id": "drowning", "indicator": "deaths", "kind": "direction",
               "unit": "per_100k", "direction": "decrease", "baseline_year": 2020}]
    row = hbkit.assess(obs, target, as_of=2025).to_frame().iloc[0]
    assert row["status"] == "achieved" and row["probability"] == 1.0
    assert "两年分别为0例和2例，偶然性大" in row["reason_zh"]
    assert "合1.4/10万" in row["reason_zh"] and "合1.8/10万" in row["reason_zh"]


def test_one_event_is_singular_in_english() -> None:
    years = np.arange(2021, 2026)
    deaths, births = [0, 0, 1, 0, 0], [4000] * 5
    obs = pd.DataFrame({"indicator": "mmr", "geo": "区", "year": years,
                        "value": np.array(deaths) / np.array(births) * 1e5,
                        "numerator": deaths, "denominator": births, "unit": "per_100k"})
    target = [{"id": "mmr", "indicator": "mmr", "kind": "upper_bound", "threshold": 8.5,
               "unit": "per_100k", "baseline_year": 2020}]
    reason = hbkit.assess(obs, target, as_of=2025).to_frame().iloc[0]["reason_en"]
    assert "only 0 events that year" in reason and "pool 1 event in 20,000, 5.0 per 100,000" in reason


def test_a_target_or_area_the_assessment_lacks_is_named_in_chinese_then_english() -> None:
    """An analyst running notebook 02's fan chart on her own catalogue (2026-2030) with the
    shipped example's target id: the error is Chinese first, like every other message, and
    suggests the ids the assessment has; an area it lacks lists its areas."""
    import hbkit.plotting as hp

    res = hbkit.assess(_two_districts(), UB, as_of=2023)
    with pytest.raises(hbkit.HbkitError) as err:
        hp.fan_chart(res, "ub2")
    assert str(err.value).startswith("目录中没有该目标编号 / unknown target id")
    assert "'ub2'" in str(err.value) and "did you mean: 'ub'" in str(err.value)
    with pytest.raises(hbkit.HbkitError) as err:
        res.series("ub", "南开区")
    assert str(err.value).startswith("评估中没有该目标×地区 / ")
    assert "'南开区'" in str(err.value) and "和平区, 河东区" in str(err.value)


def test_wrong_arguments_of_assess_and_changes_since_are_worded_in_chinese_then_english() -> None:
    with pytest.raises(hbkit.HbkitError, match=r"^previous 须为较早的 hbkit.Assessment.* / previous must"):
        hbkit.assess(_two_districts(), UB, as_of=2023).changes_since("2022")
    with pytest.raises(hbkit.HbkitError, match=r"^rules 须为 hbkit.StatusRules.* / rules must be"):
        hbkit.assess(_two_districts(), UB, as_of=2023, rules={"on_track": 0.9})
