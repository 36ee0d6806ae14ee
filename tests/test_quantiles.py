"""Projected values and interval ends of simulated draws (hbkit.quantiles)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from hbkit.models import project
from hbkit.quantiles import interval_summary, mid_quantiles, sorted_quantiles

LEVELS = (0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975)


def _mid_by_runs(row: np.ndarray, q: float) -> float:
    """Independent reference: each distinct value at the middle of its sorted positions."""
    values, counts = np.unique(row, return_counts=True)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    middle = first + (counts - 1) / 2.0
    return float(np.interp(q * (row.size - 1), middle, values))


def test_without_ties_mid_quantiles_are_numpys_default_quantiles() -> None:
    draws = np.random.default_rng(1).normal(size=(50, 999))
    np.testing.assert_allclose(mid_quantiles(draws, LEVELS), np.quantile(draws, LEVELS, axis=1).T,
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("decimals", [0, 1])
def test_rounded_draws_match_the_run_middle_reference(decimals: int) -> None:
    rng = np.random.default_rng(2)
    draws = np.round(rng.normal(95, rng.uniform(0.3, 3.0, size=(200, 1)), size=(200, 1000)),
                     decimals)
    expected = np.array([[_mid_by_runs(row, q) for q in LEVELS] for row in draws])
    np.testing.assert_allclose(mid_quantiles(draws, LEVELS), expected, rtol=0, atol=1e-9)


def test_one_value_and_nan_rows() -> None:
    draws = np.array([[3.0] * 10, [1.0] * 9 + [np.nan]])
    out = mid_quantiles(draws, (0.1, 0.9))
    assert out[0].tolist() == [3.0, 3.0]
    assert np.isnan(out[1]).all()


def _exact_coverage(lo: np.ndarray, hi: np.ndarray, centres: np.ndarray, sd: float) -> float:
    """Mean probability, under N(centre, sd) reported in whole units, of a value in [lo, hi]."""
    inside_lo = np.ceil(lo - 1e-9)
    inside_hi = np.floor(hi + 1e-9)
    cover = (stats.norm.cdf(inside_hi + 0.5, centres, sd)
             - stats.norm.cdf(inside_lo - 0.5, centres, sd))
    return float(np.mean(np.where(inside_hi >= inside_lo, cover, 0.0)))


@pytest.mark.parametrize("sd", [1.5, 2.0, 4.0])
def test_mid_quantile_intervals_hold_their_level_of_reported_whole_percents(sd: float) -> None:
    """The reason for mid-quantiles: ordinary quantiles of rounded draws over-cover."""
    centres = np.linspace(90, 91, 40, endpoint=False)
    levels = (np.arange(4000) + 0.5) / 4000
    draws = np.round(stats.norm.ppf(levels[None, :], centres[:, None], sd))
    for level in (0.8, 0.95):
        tails = ((1 - level) / 2, (1 + level) / 2)
        mid = mid_quantiles(draws, tails)
        ordinary = sorted_quantiles(draws, tails)
        mid_cover = _exact_coverage(mid[:, 0], mid[:, 1], centres, sd)
        ordinary_cover = _exact_coverage(ordinary[:, 0], ordinary[:, 1], centres, sd)
        # exact figures: 80% interval 0.818 / 0.808 / 0.802 (ordinary 0.886 / 0.870 / 0.838)
        assert abs(mid_cover - level) < 0.02
        assert ordinary_cover - level > 2 * abs(mid_cover - level)


def _ends_by_rule(row: np.ndarray, level: float) -> tuple[float, float]:
    """Independent reference of interval_summary's ends: run middles and the edge-lump rule."""
    t = (100.0 - level) / 200.0
    values, counts = np.unique(row, return_counts=True)
    share_low, share_high = counts[0] / row.size, counts[-1] / row.size
    keep_low = share_low >= t and (share_high < t or share_low >= share_high)
    keep_high = share_high >= t and not keep_low
    if keep_low:
        return float(values[0]), _mid_by_runs(row, 1 - 2 * t)
    if keep_high:
        return _mid_by_runs(row, 2 * t), float(values[-1])
    return _mid_by_runs(row, t), _mid_by_runs(row, 1 - t)


def test_projected_value_is_a_reportable_median_inside_every_interval() -> None:
    """The median stays an ordinary quantile (a value the series can report), the ends
    follow the run-middle and edge-lump rule, and every interval from 50% holds the median."""
    rng = np.random.default_rng(3)
    # lumpy discrete predictives: 2-6 values with random probabilities
    support = rng.integers(2, 7, size=300)
    draws = np.array([np.sort(rng.choice(np.arange(k) + 90.0, size=1000,
                                         p=rng.dirichlet(np.ones(k)))) for k in support])
    levels = (50.0, 80.0, 95.0)
    out = interval_summary(draws, levels)
    median = out[:, 0]
    np.testing.assert_array_equal(median, np.quantile(draws, 0.5, axis=1))
    for k, level in enumerate(levels):
        lo, hi = out[:, 1 + 2 * k], out[:, 2 + 2 * k]
        assert (lo <= median).all() and (median <= hi).all()
        expected = np.array([_ends_by_rule(row, level) for row in draws])
        np.testing.assert_allclose(np.column_stack([np.minimum(expected[:, 0], median),
                                                    np.maximum(expected[:, 1], median)]),
                                   np.column_stack([lo, hi]), atol=1e-5)


def test_without_a_lump_at_an_edge_the_ends_are_the_mid_quantiles() -> None:
    rng = np.random.default_rng(6)
    continuous = rng.normal(size=(40, 999))
    rounded = np.round(rng.normal(95, 3.0, size=(40, 1000)))  # lumps inside, not at the edges
    for draws in (continuous, rounded):
        out = interval_summary(draws, (80, 95), single=False)
        np.testing.assert_allclose(out[:, 1:], mid_quantiles(draws, (0.1, 0.9, 0.025, 0.975)),
                                   rtol=0, atol=1e-12)


@pytest.mark.parametrize(("lo_mean", "hi_mean", "old", "new"), [
    (0.2, 1.0, 0.924, 0.813), (0.5, 3.0, 0.850, 0.823), (10.0, 30.0, 0.801, 0.801)])
def test_intervals_of_a_few_deaths_hold_their_level(lo_mean: float, hi_mean: float, old: float,
                                                    new: float) -> None:
    """Exact Poisson coverage: 0 deaths with much of the probability no longer over-fills the
    80% interval (equal-tailed mid-quantile ends held 0.924 of Poisson(0.2-1) deaths)."""
    means = np.linspace(lo_mean, hi_mean, 60)
    levels = (np.arange(4000) + 0.5) / 4000  # draws at the quantiles: no simulation noise
    draws = stats.poisson.ppf(levels[None, :], means[:, None])

    def held(ends: np.ndarray) -> float:
        first, last = np.ceil(ends[:, 0] - 1e-9), np.floor(ends[:, 1] + 1e-9)
        return float(np.mean(stats.poisson.cdf(last, means) - stats.poisson.cdf(first - 1, means)))

    equal_tailed = held(mid_quantiles(draws, (0.1, 0.9)))
    edge_rule = held(interval_summary(draws, (80,), single=False)[:, 1:])
    assert equal_tailed == pytest.approx(old, abs=5e-4)
    assert edge_rule == pytest.approx(new, abs=5e-4)
    assert abs(edge_rule - 0.8) <= abs(equal_tailed - 0.8)


def test_a_lump_at_the_top_keeps_its_place_too() -> None:
    """A coverage at 100% with 40% of the draws: [the 20% mid-quantile, 100]."""
    draws = np.array([[96.0] * 100 + [97.0] * 150 + [98.0] * 150 + [99.0] * 200 + [100.0] * 400])
    out = interval_summary(draws, (80,), single=False)
    assert out[0, 2] == 100.0
    assert out[0, 1] == pytest.approx(_mid_by_runs(draws[0], 0.2))
    assert mid_quantiles(draws, (0.1,))[0, 0] < out[0, 1]


def test_projection_interval_of_a_whole_percent_series() -> None:
    values = np.array([[90.0, 91.0, 92.0, 92.0, 93.0, 94.0]])
    p = project(values, np.arange(2015, 2021), target_year=2025, unit="percent", bounded=True,
                n_draws=2000, seed=4)
    draws = p.value_draws(2025)
    assert np.all(draws == np.round(draws))  # reported in whole percent
    lo, hi = p.interval(80, 2025)
    np.testing.assert_allclose([lo[0], hi[0]], _ends_by_rule(draws[0], 80.0), rtol=0, atol=1e-9)
    assert 0 <= lo[0] <= p.median(2025)[0] <= hi[0] <= 100
    assert p.median(2025)[0] == np.round(p.median(2025)[0])
    # the whole percents inside are those of the ordinary quantiles' interval, or fewer
    ordinary = np.quantile(draws[0], (0.1, 0.9))
    assert ordinary[0] <= np.ceil(lo[0]) and np.floor(hi[0]) <= ordinary[1]


def test_intervals_of_higher_levels_contain_those_of_lower_levels() -> None:
    """The fan chart's bands nest (50% inside 80% inside 95%), edge lumps or not."""
    rng = np.random.default_rng(8)
    rows = []
    for k in rng.integers(2, 30, size=400):
        p = rng.dirichlet(np.ones(k) * rng.uniform(0.2, 3.0))
        rows.append(rng.choice(np.arange(k, dtype=float), size=1000, p=p))
    out = interval_summary(np.array(rows), (50, 80, 95))
    for inner, outer in ((1, 3), (3, 5)):
        assert (out[:, outer] <= out[:, inner] + 1e-9).all()
        assert (out[:, inner + 1] <= out[:, outer + 1] + 1e-9).all()
