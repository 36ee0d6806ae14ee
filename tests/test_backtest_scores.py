"""Forecast scores against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from hbkit.scores import (
    brier_decomposition,
    brier_score,
    expected_calibration_error,
    interval_coverage,
    log_score,
    pit_coverage,
    pit_histogram,
    reliability_table,
)


def test_brier_hand_computed() -> None:
    # (0.2^2 + 0.3^2 + 0.5^2) / 3 = (0.04 + 0.09 + 0.25) / 3
    assert brier_score([0.8, 0.3, 0.5], [1, 0, 1]) == pytest.approx(0.38 / 3)
    assert brier_score([1, 0], [True, False]) == 0.0
    assert brier_score([0.5] * 7, [1, 0, 1, 1, 0, 0, 1]) == pytest.approx(0.25)


def test_scores_ignore_nan_pairs() -> None:
    assert brier_score([0.8, np.nan, 0.5], [1, 1, np.nan]) == pytest.approx(0.04)
    assert math.isnan(brier_score([np.nan], [1]))


def test_scores_refuse_bad_values() -> None:
    with pytest.raises(ValueError, match="0, 1"):
        brier_score([1.2], [1])
    with pytest.raises(ValueError, match="0/1"):
        brier_score([0.5], [2])
    with pytest.raises(ValueError, match="values"):
        brier_score([0.5, 0.5], [1])


def test_log_score_hand_computed_and_clipped() -> None:
    expected = -(math.log(0.8) + math.log(0.7) + math.log(0.5)) / 3
    assert log_score([0.8, 0.3, 0.5], [1, 0, 1]) == pytest.approx(expected)
    # a certain and wrong forecast costs -log(eps)
    assert log_score([0.0, 1.0], [1, 0]) == pytest.approx(-math.log(1e-3))
    assert log_score([0.0], [1], eps=0.01) == pytest.approx(-math.log(0.01))


def test_reliability_table_bins_and_exact_interval() -> None:
    p = [0.05, 0.15, 0.12, 0.10, 0.95, 1.0, 0.2]
    y = [0, 1, 0, 1, 1, 1, 0]
    t = reliability_table(p, y)
    assert len(t) == 10
    assert t.n.tolist() == [1, 3, 1, 0, 0, 0, 0, 0, 0, 2]  # 0.10 -> 2nd bin, 1.0 -> last
    row = t.iloc[1]
    assert row.mean_probability == pytest.approx((0.15 + 0.12 + 0.10) / 3)
    assert row.observed_frequency == pytest.approx(2 / 3)
    assert row.freq_lo_95 == pytest.approx(stats.beta.ppf(0.025, 2, 2))
    assert row.freq_hi_95 == pytest.approx(stats.beta.ppf(0.975, 3, 1))
    assert t.iloc[9].freq_hi_95 == 1.0
    assert math.isnan(t.iloc[3].observed_frequency)


def test_ece_hand_computed() -> None:
    p = [0.05, 0.15, 0.12, 0.10, 0.95, 1.0, 0.2]
    y = [0, 1, 0, 1, 1, 1, 0]
    gaps = [
        (1, abs(0.05 - 0)),
        (3, abs((0.15 + 0.12 + 0.10) / 3 - 2 / 3)),
        (1, abs(0.2 - 0)),
        (2, abs(0.975 - 1)),
    ]
    expected = sum(n * g for n, g in gaps) / 7
    assert expected_calibration_error(p, y) == pytest.approx(expected)


def test_ece_near_zero_for_calibrated_forecasts() -> None:
    rng = np.random.default_rng(1)
    p = rng.uniform(size=200_000)
    y = rng.uniform(size=p.size) < p
    assert expected_calibration_error(p, y) < 0.01
    # overconfident: the truth is pulled halfway to 0.5
    y2 = rng.uniform(size=p.size) < 0.5 + 0.5 * (p - 0.5)
    assert expected_calibration_error(p, y2) == pytest.approx(0.125, abs=0.01)


def test_brier_decomposition_of_an_overconfident_forecaster_in_closed_form() -> None:
    """p ~ U(0, 1), met with probability q = 0.25 + p / 2 (the truth pulled halfway to 0.5).

    Per decile with mid-point m the gap is m - q(m) = (m - 0.5) / 2, and q(m) - 0.5 is the
    same, so reliability = resolution = mean((m - 0.5)^2) / 4 = 0.0825 / 4 over the ten
    mid-points; uncertainty = 0.5 * 0.5; Brier = E[p^2] - 2 E[p q] + E[q] = 1/3 - 7/12 + 1/2.
    """
    rng = np.random.default_rng(3)
    p = rng.uniform(size=400_000)
    y = rng.uniform(size=p.size) < 0.25 + 0.5 * p
    parts = brier_decomposition(p, y)
    assert parts["reliability"] == pytest.approx(0.0825 / 4, abs=0.001)
    assert parts["resolution"] == pytest.approx(0.0825 / 4, abs=0.001)
    assert parts["uncertainty"] == pytest.approx(0.25, abs=0.001)
    assert parts["brier"] == pytest.approx(1 / 3 - 7 / 12 + 1 / 2, abs=0.002)


def test_brier_decomposition_of_a_constant_forecast() -> None:
    y = np.array([1, 0, 0, 1, 0, 0, 0, 0, 0, 1], dtype=float)  # 3 met in 10
    parts = brier_decomposition(np.full(10, 0.5), y)
    assert parts["reliability"] == pytest.approx((0.5 - 0.3) ** 2)
    assert parts["resolution"] == 0 and parts["within_bin_variance"] == 0
    assert parts["uncertainty"] == pytest.approx(0.21)
    assert parts["brier"] == pytest.approx(0.04 + 0.21)
    assert all(math.isnan(v) for v in brier_decomposition([np.nan], [1.0]).values())


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=60),
       st.integers(1, 12))
def test_brier_decomposition_adds_up(pairs: list[tuple[float, bool]], n_bins: int) -> None:
    p = np.array([a for a, _ in pairs])
    y = np.array([b for _, b in pairs], dtype=float)
    d = brier_decomposition(p, y, n_bins)
    total = (d["reliability"] - d["resolution"] + d["uncertainty"] + d["within_bin_variance"]
             - d["within_bin_covariance"])
    assert total == pytest.approx(brier_score(p, y), abs=1e-12)
    assert d["brier"] == pytest.approx(brier_score(p, y), abs=1e-15)
    assert min(d["reliability"], d["resolution"], d["within_bin_variance"]) >= 0
    assert 0 <= d["uncertainty"] <= 0.25


def test_interval_coverage() -> None:
    assert interval_coverage([0, 0, 0], [1, 1, 1], [0.0, 1.0, 1.01]) == pytest.approx(2 / 3)
    assert interval_coverage([0, np.nan], [1, 1], [0.5, 0.5]) == 1.0
    assert math.isnan(interval_coverage([np.nan], [1], [0.5]))


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=60))
def test_score_ranges_and_bin_counts(pairs: list[tuple[float, bool]]) -> None:
    p = np.array([a for a, _ in pairs])
    y = np.array([b for _, b in pairs], dtype=float)
    assert 0 <= brier_score(p, y) <= 1
    assert log_score(p, y) >= 0
    assert 0 <= expected_calibration_error(p, y) <= 1
    table = reliability_table(p, y)
    assert table.n.sum() == len(p)
    # the ECE never exceeds the Brier score's root (Jensen, per bin)
    assert expected_calibration_error(p, y) <= math.sqrt(brier_score(p, y)) + 1e-12


def test_pit_coverage_of_a_calibrated_poisson_forecast_is_the_level() -> None:
    """Outcomes drawn from the very Poisson(1) the forecast says: the 80% interval of whole
    counts (0 to 2) holds 92% of outcomes, the randomised-PIT coverage is 80%."""
    y = np.random.default_rng(4).poisson(1.0, 200_000)
    lo, hi = stats.poisson.ppf([0.1, 0.9], 1.0)
    assert interval_coverage(np.full(y.size, lo), np.full(y.size, hi), y) == pytest.approx(
        stats.poisson.cdf(hi, 1.0) - stats.poisson.cdf(lo - 1, 1.0), abs=0.003)
    got = pit_coverage(stats.poisson.cdf(y - 1, 1.0), stats.poisson.cdf(y, 1.0), 80)
    assert got == pytest.approx(0.80, abs=0.003)
    # continuous forecasts: the plain share inside the interval
    u = np.random.default_rng(5).uniform(size=1000)
    assert pit_coverage(u, u, 80) == interval_coverage(np.full(1000, 0.1), np.full(1000, 0.9), u)


def test_pit_histogram_of_calibrated_counts_is_flat_and_of_narrow_intervals_u_shaped() -> None:
    rng = np.random.default_rng(6)
    y = rng.poisson(2.0, 100_000)
    flat = pit_histogram(stats.poisson.cdf(y - 1, 2.0), stats.poisson.cdf(y, 2.0))
    assert flat.share.sum() == pytest.approx(1.0)
    assert flat.share.to_numpy() == pytest.approx(np.full(10, 0.1), abs=0.004)
    # a normal forecast half as wide as the truth: outcomes pile up in the outer bins
    x = rng.normal(size=100_000)
    narrow = pit_histogram(stats.norm.cdf(x / 0.5), stats.norm.cdf(x / 0.5)).share.to_numpy()
    expected = np.diff(stats.norm.cdf(0.5 * stats.norm.ppf(np.linspace(0, 1, 11))))
    assert narrow == pytest.approx(expected, abs=0.004)
    assert narrow[0] > 0.2 and narrow[4] < 0.05
