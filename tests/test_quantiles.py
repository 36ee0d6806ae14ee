"""Projected values and interval ends of simulated draws (hbkit.quantiles)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from hbkit.models import project
from hbkit.quantiles import mid_quantiles, sorted_quantiles, summary_quantiles

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


def test_projected_value_is_a_reportable_median_inside_every_interval() -> None:
    """The median stays an ordinary quantile (a value the series can report), and the
    mid-quantile interval of any level from 50% contains it."""
    rng = np.random.default_rng(3)
    # lumpy discrete predictives: 2-6 values with random probabilities
    support = rng.integers(2, 7, size=300)
    draws = np.array([np.sort(rng.choice(np.arange(k) + 90.0, size=1000,
                                         p=rng.dirichlet(np.ones(k)))) for k in support])
    tails = (0.25, 0.75, 0.1, 0.9, 0.025, 0.975)
    out = summary_quantiles(draws, (0.5, *tails))
    median = out[:, 0]
    np.testing.assert_array_equal(median, np.quantile(draws, 0.5, axis=1))
    for j in range(1, out.shape[1], 2):
        assert (out[:, j] <= median + 1e-6).all() and (median <= out[:, j + 1] + 1e-6).all()
    np.testing.assert_allclose(out[:, 1:], mid_quantiles(draws, tails), atol=1e-5)


def test_projection_interval_of_a_whole_percent_series() -> None:
    values = np.array([[90.0, 91.0, 92.0, 92.0, 93.0, 94.0]])
    p = project(values, np.arange(2015, 2021), target_year=2025, unit="percent", bounded=True,
                n_draws=2000, seed=4)
    draws = p.value_draws(2025)
    assert np.all(draws == np.round(draws))  # reported in whole percent
    lo, hi = p.interval(80, 2025)
    np.testing.assert_allclose([lo[0], hi[0]], mid_quantiles(draws, (0.1, 0.9))[0])
    assert 0 <= lo[0] <= p.median(2025)[0] <= hi[0] <= 100
    assert p.median(2025)[0] == np.round(p.median(2025)[0])
    # the whole percents inside are those of the ordinary quantiles' interval, or fewer
    ordinary = np.quantile(draws[0], (0.1, 0.9))
    assert ordinary[0] <= np.ceil(lo[0]) and np.floor(hi[0]) <= ordinary[1]
