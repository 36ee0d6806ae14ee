"""Official progress conventions: hand-computed cases for every band and edge case."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hbkit.conventions import (
    LABELS,
    OUTPUT_COLUMNS,
    label,
    mean_recent_change,
    official_labels,
)


def one(**kwargs: object) -> pd.Series:
    args = dict(direction="decrease", target_value=6.0, target_year=2025, base_year=2015,
                base_value=10.0, latest_year=2020, latest_value=8.0)
    args.update(kwargs)
    return official_labels(**args, details=True).iloc[0]


def test_columns_follow_the_contract() -> None:
    out = official_labels("decrease", 6.0, 2025, 2015, 10.0, 2020, 8.0)
    assert tuple(out.columns) == OUTPUT_COLUMNS
    assert len(out) == 1


def test_eurostat_ratio_is_ratio_of_cagrs() -> None:
    row = one()
    observed = (8 / 10) ** (1 / 5) - 1  # -0.043648
    required = (6 / 10) ** (1 / 10) - 1  # -0.049800
    assert row.eurostat_ratio == pytest.approx(observed / required)  # 0.8765
    assert row.eurostat_band == "acceleration_needed"
    assert row.unsd_band == "fair_progress"
    assert row.ratio_method == "cagr"
    assert row.required_annual_change == pytest.approx(-0.4)
    assert row.achieved_annual_change == pytest.approx(-0.4)


def test_increasing_indicator_on_track() -> None:
    # DTP3 coverage 80 (2015) -> 88 (2020), target 90 by 2025
    row = one(direction="increase", target_value=90.0, base_value=80.0, latest_value=88.0)
    ratio = ((88 / 80) ** 0.2 - 1) / ((90 / 80) ** 0.1 - 1)  # 1.6187
    assert row.eurostat_ratio == pytest.approx(ratio)
    assert row.eurostat_band == "on_track"
    assert row.unsd_band == "substantial_progress"
    assert row.required_annual_change == pytest.approx(0.4)
    assert row.achieved_annual_change == pytest.approx(1.6)


def test_latest_value_meeting_target_is_achieved() -> None:
    row = one(latest_value=5.5)
    assert row.eurostat_band == "achieved"
    assert row.unsd_band == "achieved"
    assert row.eurostat_ratio > 1  # still reported
    assert row.dns_symbol == "sun"


def test_strict_target_equal_value_is_not_achieved() -> None:
    assert one(latest_value=6.0).eurostat_band == "achieved"
    strict = official_labels("decrease", 6.0, 2025, 2015, 10.0, 2020, 6.0, strict=True)
    assert strict.eurostat_band[0] != "achieved"


def test_dns_strict_target_standing_on_its_threshold_is_thunderstorm() -> None:
    # 逐步增加 (more than the 2020 value, strict): 13 in 2020 and 13 again in 2024, a year
    # before the target year. The DNS projection 13 + 0 x 1 = 13 lands on the strict
    # threshold, which misses it, without moving towards it. Eurostat and UNSD: no movement
    # is no progress (a growth-rate ratio of 0; UNSD's "limited or no progress"), not moving
    # away, which 12 would be
    row = official_labels("increase", 13.0, 2025, 2020, 13.0, 2024, 13.0, strict=True)
    assert row.eurostat_band[0] == "limited_progress"
    assert row.unsd_band[0] == "limited_progress"
    assert row.dns_symbol[0] == "thunderstorm"
    fell = official_labels("increase", 13.0, 2025, 2020, 13.0, 2024, 12.0, strict=True)
    assert (fell.eurostat_band[0], fell.unsd_band[0]) == ("moving_away", "deterioration")
    # the same numbers for a non-strict target (保持13以上) are met: sun
    met = official_labels("increase", 13.0, 2025, 2020, 13.0, 2024, 13.0)
    assert met.eurostat_band[0] == "achieved" and met.dns_symbol[0] == "sun"
    # strict, moving towards it and projected exactly onto it before the target year: the
    # distance left is 1 and the miss 0, so sun (the trend rule needs no movement beyond)
    towards = official_labels("increase", 13.0, 2025, 2020, 11.0, 2024, 12.0, strict=True,
                              recent_changes=[1.0])
    assert towards.dns_symbol[0] == "sun"


def test_moving_away() -> None:
    row = one(latest_value=11.0)
    assert row.eurostat_ratio < 0
    assert row.eurostat_band == "moving_away"
    assert row.unsd_band == "deterioration"
    assert row.dns_symbol == "thunderstorm"


@pytest.mark.parametrize(
    ("latest", "eurostat", "unsd"),
    [
        # linear rates (base 0): required 1 per year; observed (latest - 0) / 5
        (-0.25, "moving_away", "limited_progress"),  # R = -0.05
        (-1.0, "moving_away", "deterioration"),  # R = -0.2
        (1.5, "limited_progress", "limited_progress"),  # R = 0.3
        (2.75, "limited_progress", "fair_progress"),  # R = 0.55
        (3.0, "acceleration_needed", "fair_progress"),  # R = 0.6 (boundary, upper band)
        (4.75, "on_track", "substantial_progress"),  # R = 0.95 (boundary)
    ],
)
def test_eurostat_and_unsd_bands_with_linear_fallback(latest: float, eurostat: str, unsd: str) -> None:
    row = one(direction="increase", target_value=10.0, base_value=0.0, latest_value=latest)
    assert row.ratio_method == "linear"
    assert row.eurostat_ratio == pytest.approx(latest / 5 / 1.0)
    assert row.eurostat_band == eurostat
    assert row.unsd_band == unsd


def test_zero_target_uses_linear_rates() -> None:
    # 4 cases (2015) -> 2 (2020); target zero cases by 2025: linear -0.4/yr both
    row = one(target_value=0.0, base_value=4.0, latest_value=2.0)
    assert row.ratio_method == "linear"
    assert row.eurostat_ratio == pytest.approx(1.0)
    assert row.eurostat_band == "on_track"


def test_missing_base_value() -> None:
    row = one(base_value=np.nan)
    assert math.isnan(row.eurostat_ratio)
    assert row.eurostat_band == "not_computable"
    assert row.unsd_band == "not_computable"
    assert math.isnan(row.achieved_annual_change)
    assert row.required_annual_change == pytest.approx(-0.4)
    # DNS can still be computed from recent changes
    rc = official_labels("decrease", 6.0, 2025, 2015, np.nan, 2020, 8.0, recent_changes=[-0.4])
    assert rc.dns_symbol[0] == "sun"
    # a missing base does not hide an achieved target
    assert one(base_value=np.nan, latest_value=5.0).eurostat_band == "achieved"


def test_base_already_meeting_target_then_missing() -> None:
    row = one(base_value=5.0, latest_value=7.0)
    assert math.isnan(row.eurostat_ratio)
    assert row.eurostat_band == "moving_away"
    assert row.unsd_band == "deterioration"


@pytest.mark.parametrize(
    ("mean_change", "symbol", "miss"),
    [
        (-0.39, "sun", 0.025),  # projected 6.05: miss 0.05 of a 2.0 distance
        (-0.38, "sun_cloud", 0.05),  # projected 6.10: 5% (boundary: not below 5%)
        (-0.35, "sun_cloud", 0.125),  # projected 6.25
        (-0.32, "sun_cloud", 0.20),  # projected 6.40: 20% (boundary)
        (-0.30, "cloud", 0.25),  # projected 6.50
        # standing still: Destatis gives thunderstorm when "the distance to the target
        # remains consistently large or even increases" (cloud needs movement towards it)
        (0.0, "thunderstorm", 1.0),
        (0.10, "thunderstorm", 1.25),  # wrong way
        (-0.50, "sun", 0.0),  # overshoots the target
    ],
)
def test_dns_symbols(mean_change: float, symbol: str, miss: float) -> None:
    out = official_labels(
        "decrease", 6.0, 2025, 2015, 10.0, 2020, 8.0, recent_changes=[mean_change], details=True
    )
    assert out.dns_projected[0] == pytest.approx(8.0 + 5 * mean_change)
    assert out.dns_miss_share[0] == pytest.approx(miss)
    assert out.dns_symbol[0] == symbol


def test_dns_standing_still_over_five_changes_is_thunderstorm() -> None:
    # five changes -0.5, +0.5, 0, +0.25, -0.25 sum to 0: the distance 8 - 6 = 2 stays 2,
    # the projection misses by 100% and the indicator does not move towards the target
    changes = np.array([[-0.5, 0.5, 0.0, 0.25, -0.25]])
    out = official_labels("decrease", 6.0, 2025, 2015, 10.0, 2020, 8.0, recent_changes=changes,
                          details=True)
    assert out.dns_mean_change[0] == 0.0
    assert out.dns_symbol[0] == "thunderstorm"
    # a tiny move towards the target that still misses by more than 20% is cloud
    towards = official_labels("decrease", 6.0, 2025, 2015, 10.0, 2020, 8.0,
                              recent_changes=[-0.01])
    assert towards.dns_symbol[0] == "cloud"


def test_dns_averages_last_five_finite_changes() -> None:
    changes = np.array([[-5.0, -5.0, -0.4, np.nan, -0.4, -0.4, -0.4, -0.4, np.nan]])
    out = official_labels("decrease", 6.0, 2025, 2015, 10.0, 2020, 8.0, recent_changes=changes,
                          details=True)
    assert out.dns_mean_change[0] == pytest.approx(-0.4)
    assert out.dns_symbol[0] == "sun"


def test_dns_default_uses_change_since_base() -> None:
    out = official_labels("increase", 95.0, 2025, 2018, 88.0, 2020, 89.0, details=True)
    assert out.dns_mean_change[0] == pytest.approx(0.5)
    assert out.dns_projected[0] == pytest.approx(91.5)
    assert out.dns_miss_share[0] == pytest.approx(3.5 / 6)
    assert out.dns_symbol[0] == "cloud"


def test_vectorised_rows_equal_single_calls() -> None:
    args = dict(
        direction=np.array(["decrease", "increase", "decrease", "none"]),
        target_value=np.array([6.0, 90.0, 0.0, 5.0]),
        target_year=2025,
        base_year=np.array([2015, 2015, 2016, 2015]),
        base_value=np.array([10.0, 80.0, 4.0, 10.0]),
        latest_year=np.array([2020, 2021, 2020, 2020]),
        latest_value=np.array([8.0, 79.0, 2.0, 8.0]),
    )
    many = official_labels(**args)
    for i in range(4):
        single = official_labels(**{k: (v[i] if np.ndim(v) else v) for k, v in args.items()})
        pd.testing.assert_frame_equal(many.iloc[[i]].reset_index(drop=True), single)
    assert (many.iloc[3][["eurostat_band", "unsd_band", "dns_symbol"]] == "not_computable").all()


def test_no_required_change_after_target_year() -> None:
    row = one(latest_year=2025, target_year=2025)
    assert math.isnan(row.required_annual_change)


def test_inputs_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="share one length"):
        official_labels("decrease", [6.0, 5.0], 2025, 2015, [10.0, 9.0, 8.0], 2020, 8.0)
    with pytest.raises(ValueError, match="direction"):
        official_labels("down", 6.0, 2025, 2015, 10.0, 2020, 8.0)


def test_mean_recent_change_hand_computed() -> None:
    years = list(range(2012, 2021))
    values = np.array(
        [
            [20, 18, 10, 9, 8, 7, 6, 5, 4],  # last 5 changes: (4 - 9) / 5 = -1
            [np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 3, np.nan, 5],  # (5 - 3) / 2
            [np.nan] * 8 + [1.0],  # one point: NaN
            [1, 2, 3, 4, np.nan, np.nan, np.nan, np.nan, np.nan],  # (4 - 1) / 3, window ends 2015
        ]
    )
    got = mean_recent_change(values, years)
    np.testing.assert_allclose(got, [-1.0, 1.0, np.nan, 1.0])


def test_labels_exist_in_both_languages() -> None:
    for column, table in LABELS.items():
        assert set(table["zh"]) == set(table["en"])
        for code in table["zh"]:
            assert label(column, code, "zh")
            assert label(column, code, "en")
    out = official_labels(["decrease"] * 3, 6.0, 2025, 2015, 10.0, 2020, [5.0, 8.0, 12.0],
                          recent_changes=[-0.5, -0.1, 0.3])
    for column in LABELS:
        for code in out[column]:
            assert code in LABELS[column]["zh"]


# ---- the final evaluation: the latest year is the target year (or later)

def test_final_year_unmet_on_pace_is_not_achieved_in_every_scheme() -> None:
    # 54.55% in 2025 against at least 55% by 2025, from 45.24% in 2020: the growth rate
    # was 96% of the one required, on track by the pace rules, yet the target is missed
    observed = (54.55 / 45.24) ** (1 / 5) - 1  # 0.038137 a year
    required = (55.0 / 45.24) ** (1 / 5) - 1  # 0.039843 a year
    out = official_labels("increase", 55.0, 2025, 2020, 45.24, 2025, 54.55, details=True)
    row = out.iloc[0]
    assert row.eurostat_ratio == pytest.approx(observed / required)  # 0.957, still reported
    assert (row.eurostat_band, row.unsd_band, row.dns_symbol) == ("not_achieved",) * 3
    assert math.isnan(row.required_annual_change)  # nothing is left to require
    assert row.achieved_annual_change == pytest.approx((54.55 - 45.24) / 5)
    before = official_labels("increase", 55.0, 2025, 2020, 45.24, 2024, 54.55)
    assert before.eurostat_band[0] == "on_track"  # a year earlier: a pace, not an outcome


@pytest.mark.parametrize(
    ("direction", "latest", "strict", "expected"),
    [
        ("increase", 56.0, False, "achieved"),  # beyond an at-least target
        ("increase", 55.0, False, "achieved"),  # on it: at least 55 is met
        ("increase", 55.0, True, "not_achieved"),  # on it: more than 55 is not
        ("increase", 54.0, False, "not_achieved"),  # short, moving towards it
        ("increase", 40.0, False, "not_achieved"),  # short, moved away (base 45)
        ("decrease", 5.0, False, "achieved"),  # below an at-most 6
        ("decrease", 6.0, False, "achieved"),
        ("decrease", 6.0, True, "not_achieved"),  # below 6 (低于) is not met by 6
        ("decrease", 6.5, False, "not_achieved"),  # above, moving towards it (base 8)
        ("decrease", 9.0, False, "not_achieved"),  # above, moved away
    ],
)
def test_final_year_outcome_on_each_side_of_the_target(direction: str, latest: float,
                                                       strict: bool, expected: str) -> None:
    target, base = (55.0, 45.0) if direction == "increase" else (6.0, 8.0)
    out = official_labels(direction, target, 2025, 2020, base, 2025, latest, strict=strict)
    assert (out.eurostat_band[0], out.unsd_band[0], out.dns_symbol[0]) == (expected,) * 3


def test_final_outcome_needs_no_base_or_trend_but_a_value_a_target_and_a_direction() -> None:
    # met or missed is read off the latest value: no base value is needed (a count of
    # 1 against at least 1 with no baseline), a missing latest value, target or
    # direction leaves the labels not computable
    out = official_labels(["increase", "increase", "increase", "increase", "none"],
                          [1.0, 2.0, 1.0, np.nan, 1.0], 2025, 2020, np.nan, 2025,
                          [1.0, 1.0, np.nan, 1.0, 1.0])
    for column in ("eurostat_band", "unsd_band", "dns_symbol"):
        assert out[column].tolist() == ["achieved", "not_achieved", "not_computable",
                                        "not_computable", "not_computable"]


def test_a_latest_year_after_the_target_year_is_an_outcome_too() -> None:
    # 2024: 6.2, ratio ((0.62 ** (1/9) - 1) / (0.6 ** (1/10) - 1)) = 1.039, DNS projects
    # 6.2 - 3.8 / 9 = 5.78 for 2025: a pace; 2025 and 2026: outcomes
    out = official_labels("decrease", 6.0, 2025, 2015, 10.0, [2024, 2025, 2026], [6.2, 6.5, 5.9])
    assert out.eurostat_ratio[0] == pytest.approx((0.62 ** (1 / 9) - 1) / (0.6 ** 0.1 - 1))
    assert out.eurostat_band.tolist() == ["on_track", "not_achieved", "achieved"]
    assert out.unsd_band.tolist() == ["substantial_progress", "not_achieved", "achieved"]
    assert out.dns_symbol.tolist() == ["sun", "not_achieved", "achieved"]


def test_final_outcome_words_in_both_languages() -> None:
    for column in LABELS:
        assert label(column, "not_achieved") == "未实现"
        assert label(column, "achieved") == "已实现"
    assert label("eurostat_band", "not_achieved", "en") == "not achieved"
    assert label("unsd_band", "not_achieved", "en") == "target not met"
    assert label("dns_symbol", "achieved", "en") == "target met"
