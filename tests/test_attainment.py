"""Events and probabilities: hand-worked trajectories, invariants, awkward cases."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hbkit.attainment import (
    compare,
    evaluate_event,
    probability,
    rule_text,
    target_value,
)
from hbkit.catalogue.models import Target
from hbkit.models import project

YEARS = [2020, 2021, 2022, 2023, 2024, 2025]


def _t(**kw: object) -> Target:
    base: dict[str, object] = {"id": "t", "indicator": "x", "unit": "percent"}
    base.update(kw)
    return Target(**base)  # type: ignore[arg-type]


def test_bounds_and_strictness() -> None:
    up = _t(kind="upper_bound", threshold=10)
    up_strict = _t(kind="upper_bound", threshold=10, strict=True)
    low = _t(kind="lower_bound", threshold=10)
    v = np.array([[0, 0, 0, 0, 0, 9.9], [0, 0, 0, 0, 0, 10.0], [0, 0, 0, 0, 0, 10.1]])
    assert evaluate_event(up, YEARS, v).tolist() == [1.0, 1.0, 0.0]
    assert evaluate_event(up_strict, YEARS, v).tolist() == [1.0, 0.0, 0.0]
    assert evaluate_event(low, YEARS, v).tolist() == [0.0, 1.0, 1.0]


def test_level_reads_as_a_bound_in_the_desired_direction() -> None:
    v = np.array([[0, 0, 0, 0, 0, 95.0], [0, 0, 0, 0, 0, 94.0]])
    assert evaluate_event(_t(kind="level", threshold=95, direction="increase"), YEARS, v).tolist() == [1.0, 0.0]
    assert evaluate_event(_t(kind="level", threshold=95, direction="decrease"), YEARS, v).tolist() == [1.0, 1.0]


def test_missing_target_year_is_nan() -> None:
    v = np.array([[1, 2, 3, 4, 5, np.nan]])
    assert np.isnan(evaluate_event(_t(kind="upper_bound", threshold=10), YEARS, v)[0])


def test_maintain_every_year_of_the_window() -> None:
    t = _t(kind="maintain", threshold=95, direction="increase", baseline_year=2020)
    v = np.array([
        [90, 96, 96, 97, 95, 96],       # 2020 is before the window: met
        [96, 96, 94.9, 97, 98, 99],     # 2022 broke it
        [96, 96, np.nan, 97, 98, 99],   # a gap is skipped
        [96, 94, 96, 97, 98, np.nan],   # a failure is final even without 2025
        [96, 96, 96, 97, 98, np.nan],   # not judged without 2025
    ])
    out = evaluate_event(t, YEARS, v)
    assert out[:4].tolist() == [1.0, 0.0, 1.0, 0.0] and np.isnan(out[4])
    # from_year moves the window
    assert evaluate_event(t, YEARS, v[1:2], from_year=2023).tolist() == [1.0]
    # through_year asks "met so far?"
    assert evaluate_event(t, YEARS, v[4:5], through_year=2024).tolist() == [1.0]


def test_annual_change_every_year_including_gaps() -> None:
    t = _t(kind="annual_change", threshold=1, direction="decrease", baseline_year=2020)
    v = np.array([
        [30, 29, 28, 27, 26, 25],           # exactly 1 point a year: met (non-strict)
        [30, 29, 28.5, 27, 26, 25],         # 2022 fell only 0.5
        [30, 29, np.nan, 27, 26, 25],       # 2023 vs 2021 over a 2-year gap: 1 a year
    ])
    assert evaluate_event(t, YEARS, v).tolist() == [1.0, 0.0, 1.0]
    strict = _t(kind="annual_change", threshold=1, direction="decrease", baseline_year=2020,
                strict=True)
    assert evaluate_event(strict, YEARS, v[:1]).tolist() == [0.0]
    up = _t(kind="annual_change", threshold=0.5, direction="increase", baseline_year=2020)
    assert evaluate_event(up, YEARS, np.array([[50, 50.5, 51, 51.6, 52.1, 52.6]])).tolist() == [1.0]


def test_relative_change_direction_and_trend_slowdown() -> None:
    rel = _t(kind="relative_change", threshold=20, direction="decrease", baseline_year=2020,
             unit="per_1000")
    v = np.array([[10, 9, 9, 9, 9, 8.0], [10, 9, 9, 9, 9, 8.2]])
    assert evaluate_event(rel, YEARS, v).tolist() == [1.0, 0.0]
    up = _t(kind="direction", direction="increase", baseline_year=2020)
    w = np.array([[50, 0, 0, 0, 0, 50.1], [50, 0, 0, 0, 0, 50.0]])
    assert evaluate_event(up, YEARS, w).tolist() == [1.0, 0.0]  # flat is no improvement
    slow = _t(kind="trend_slowdown", direction="decrease", baseline_year=2020)
    years = list(range(2016, 2026))
    rising = np.arange(10.0) * 1.0
    slowing = np.concatenate([np.arange(5.0), 4 + 0.5 * np.arange(1, 6)])
    out = evaluate_event(slow, years, np.stack([rising, slowing]))
    assert out.tolist() == [0.0, 1.0]


def test_relational_compares_with_the_reference_trajectory() -> None:
    t = _t(kind="relational", direction="increase", reference_indicator="party_women_share")
    v = np.array([[0, 0, 0, 0, 0, 30.0], [0, 0, 0, 0, 0, 29.0]])
    ref = np.full((2, 6), 29.5)
    assert evaluate_event(t, YEARS, v, reference=ref).tolist() == [1.0, 0.0]


def test_target_value_and_rule_text() -> None:
    rel = _t(kind="relative_change", threshold=20, direction="decrease", baseline_year=2020,
             unit="per_1000")
    assert target_value(rel, 12.5) == pytest.approx(10.0)
    ann = _t(kind="annual_change", threshold=1, direction="decrease", baseline_year=2020)
    assert target_value(ann, 30.0) == pytest.approx(25.0)
    assert target_value(_t(kind="upper_bound", threshold=8.5), np.array([1.0, 2.0])).tolist() == [8.5, 8.5]
    assert np.isnan(target_value(_t(kind="trend_slowdown", direction="decrease", baseline_year=2020)))
    zh, en = rule_text(_t(kind="upper_bound", threshold=8.5, unit="per_100k", strict=True))
    assert zh == "2025年值<8.5/10万" and en == "value in 2025 < 8.5 per 100,000"
    zh, en = rule_text(rel)
    assert "0.8" in zh and "2020" in en


def test_complements_are_exact() -> None:
    rng = np.random.default_rng(0)
    v = np.round(rng.normal(95, 2, 1000), 1)
    a = compare(v, 95.0, "increase")
    b = compare(v, 95.0, "decrease", strict=True)
    assert np.all(a + b == 1.0)


# ---- probabilities from projections -------------------------------------------------------

@pytest.fixture(scope="module")
def coverage() -> object:
    rng = np.random.default_rng(3)
    values = np.clip(88 + np.arange(6) * rng.normal(1, 0.5, (30, 1)) + rng.normal(0, 1, (30, 6)),
                     50, 99.9)
    return project(values, np.arange(2015, 2021), target_year=2025, unit="percent",
                   n_draws=2000)


def test_probability_is_monotone_in_the_threshold(coverage) -> None:  # type: ignore[no-untyped-def]
    probs = [probability(_t(kind="lower_bound", threshold=x), coverage) for x in (85, 90, 95, 99)]
    for hi, lo in zip(probs, probs[1:], strict=False):
        assert np.all(hi >= lo)


def test_lower_plus_upper_is_one_for_continuous_values(coverage) -> None:  # type: ignore[no-untyped-def]
    for x in (90.0, 95.0, 97.3):
        p_ge = probability(_t(kind="lower_bound", threshold=x), coverage)
        p_le = probability(_t(kind="upper_bound", threshold=x), coverage)
        assert np.allclose(p_ge + p_le, 1.0)
        p_lt = probability(_t(kind="upper_bound", threshold=x, strict=True), coverage)
        assert np.allclose(p_ge, 1.0 - p_lt)  # flipping the direction gives 1 - p


def test_probability_matches_the_share_of_draws(coverage) -> None:  # type: ignore[no-untyped-def]
    p = probability(_t(kind="lower_bound", threshold=95), coverage)
    assert np.allclose(p, (coverage.value_draws(2025) >= 95 - 1e-7).mean(axis=1))


def test_every_year_probability_uses_joint_paths(coverage) -> None:  # type: ignore[no-untyped-def]
    t = _t(kind="maintain", threshold=90, direction="increase", baseline_year=2020)
    joint = probability(t, coverage)
    draws = coverage.trajectories(range(2021, 2026))
    assert np.allclose(joint, (draws >= 90 - 1e-7).all(axis=2).mean(axis=1))
    marginal_min = np.min([(draws[:, :, j] >= 90).mean(axis=1) for j in range(5)], axis=0)
    assert np.all(joint <= marginal_min + 1e-12)


def test_probability_with_a_missing_baseline_year_uses_its_draws() -> None:
    values = np.array([[12.0, 11.5, np.nan, 10.4, 10.1, 9.6]])
    years = np.arange(2018, 2024)
    p = project(values, years, target_year=2025, unit="per_1000", n_draws=4000)
    base = p.value_draws(2020)
    assert np.all(np.isfinite(base)) and base.std() > 0
    assert np.array_equal(base, p.value_draws(2020))  # cached: same draws every time
    assert 10.4 < np.median(base) < 11.5
    t = _t(kind="relative_change", threshold=10, direction="decrease", baseline_year=2020,
           unit="per_1000")
    prob = probability(t, p)[0]
    manual = np.mean(p.value_draws(2025) <= 0.9 * base + 1e-5)
    assert prob == pytest.approx(manual, abs=1e-3)
    assert 0.0 < prob < 1.0


def test_too_short_series_give_nan_probability_with_a_reason() -> None:
    values = np.array([[90.0, np.nan, 91.0], [90.0, 90.5, 91.0]])
    p = project(values, [2018, 2019, 2020], target_year=2025, unit="percent", n_draws=100)
    assert p.reason.tolist() == ["2 observations, 3 needed", None]
    assert p.reason_zh[0] == "仅有2个观测值，至少需要3个"
    prob = probability(_t(kind="lower_bound", threshold=95), p)
    assert np.isnan(prob[0]) and 0 <= prob[1] <= 1


def test_final_evaluation_year_uses_observed_values() -> None:
    values = np.array([[90.0, 92.0, 94.0, 95.0, 96.0, 97.0]])
    p = project(values, np.arange(2020, 2026), target_year=2025, unit="percent", n_draws=50)
    assert p.future_years.size == 0
    assert probability(_t(kind="lower_bound", threshold=95), p).tolist() == [1.0]
    assert probability(_t(kind="lower_bound", threshold=98), p).tolist() == [0.0]


def test_relational_probability_from_two_projections() -> None:
    years = np.arange(2016, 2021)
    a = project(np.array([[30.0, 31, 32, 33, 34]]), years, target_year=2025, unit="percent",
                n_draws=2000)
    b = project(np.array([[25.0, 25, 25.5, 25, 25.2]]), years, target_year=2025, unit="percent",
                n_draws=2000, seed=1)
    t = _t(kind="relational", direction="increase", reference_indicator="b")
    assert probability(t, a, reference=b)[0] > 0.9
    assert probability(t, b, reference=a)[0] < 0.1


@settings(max_examples=25, deadline=None)
@given(
    values=arrays(np.float64, (2, 6), elements=st.floats(1.0, 99.0)),
    lo=st.floats(1.0, 99.0),
    step=st.floats(0.1, 20.0),
)
def test_probability_properties_on_random_series(values: np.ndarray, lo: float, step: float) -> None:
    p = project(values, np.arange(2015, 2021), target_year=2023, unit="percent", n_draws=300,
                decimals=None)
    hi = min(lo + step, 100.0)
    p_lo = probability(_t(kind="lower_bound", threshold=lo, target_year=2023), p)
    p_hi = probability(_t(kind="lower_bound", threshold=hi, target_year=2023), p)
    assert np.all(p_hi <= p_lo)
    flipped = probability(_t(kind="upper_bound", threshold=lo, strict=True, target_year=2023), p)
    assert np.allclose(p_lo + flipped, 1.0)
    every = probability(_t(kind="maintain", threshold=lo, direction="increase",
                           baseline_year=2020, target_year=2023), p)
    assert np.all(every <= p_lo + 1e-12)


def test_two_projections_with_the_same_seed_are_independent() -> None:
    years = np.arange(2016, 2021)
    a = project(np.array([[30.0, 30.5, 30.2, 30.8, 30.6]]), years, target_year=2025,
                unit="percent", n_draws=20_000, decimals=None)
    b = project(np.array([[30.1, 30.4, 30.3, 30.7, 30.6]]), years, target_year=2025,
                unit="percent", n_draws=20_000, decimals=None)
    corr = np.corrcoef(a.value_draws(2025)[0], b.value_draws(2025)[0])[0, 1]
    assert abs(corr) < 0.05


def test_direction_target_held_at_the_bound_is_met() -> None:
    """巩固提高 a coverage already at 100%: holding 100% meets it; a bounded
    series below 100 still has to rise, and an unbounded one at 100 too."""
    from hbkit.attainment import evaluate_event
    from hbkit.catalogue.models import Target

    bounded = Target(id="cov", indicator="cov", kind="direction", unit="percent",
                     direction="increase", baseline_year=2020)
    years = [2020, 2025]
    values = np.array([[100.0, 100.0], [98.0, 98.0], [100.0, 99.5], [98.0, 98.5]])
    assert evaluate_event(bounded, years, values).tolist() == [1.0, 0.0, 0.0, 1.0]
    falling = Target(id="neg", indicator="neg", kind="direction", unit="percent",
                     direction="decrease", baseline_year=2020)
    assert evaluate_event(falling, years, np.array([[0.0, 0.0], [0.5, 0.5]])).tolist() == [1.0, 0.0]
    unbounded = Target(id="ger", indicator="ger", kind="direction", unit="percent",
                       bounded=False, direction="increase", baseline_year=2020)
    assert evaluate_event(unbounded, years, np.array([[100.0, 100.0]])).tolist() == [0.0]


def test_trend_slowdown_uses_only_the_series_own_years_before_the_baseline() -> None:
    """A series that starts in 2018 in a grid from 2016 (another area's data start earlier,
    e.g. several districts in one assess call): the slope before 2020 is of 2018-2019, as
    when it is projected alone, not of draws made up for 2016-2017."""
    values = np.array([[8.0, 8.6, 9.0, 9.3, 9.5, 9.6]])  # 2018-2023, rising ever slower
    alone = project(values, np.arange(2018, 2024), target_year=2025, unit="percent",
                    n_draws=400, seed=3)
    padded = dataclasses.replace(alone, history_years=np.arange(2016, 2024),
                                 history=np.concatenate([[[np.nan, np.nan]], values], axis=1),
                                 _cache={}, _kept={}, _keep=[False])
    slow = _t(kind="trend_slowdown", direction="decrease", baseline_year=2020)
    p_alone = probability(slow, alone)
    assert 0.0 < p_alone[0] < 1.0
    np.testing.assert_array_equal(probability(slow, padded), p_alone)
