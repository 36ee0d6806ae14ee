"""The speed paths of the engine give exactly what the plain paths give."""

from __future__ import annotations

import numpy as np

from hbkit.models import project
from hbkit.models._random import SeriesStreams
from hbkit.models.counts import draw_counts
from hbkit.models.scales import round_reported

YEARS = np.arange(2016, 2024)


def _percent_series() -> np.ndarray:
    rng = np.random.default_rng(3)
    t = YEARS - 2019.5
    p = 1 / (1 + np.exp(-(rng.uniform(0, 3, (40, 1)) + 0.05 * t + rng.normal(0, 0.1, (40, 8)))))
    return np.round(100 * p, 1)


def test_kept_draws_equal_fresh_draws_and_are_read_only() -> None:
    values = _percent_series()
    values[5, 2] = np.nan  # a missing history year, drawn by the sampler
    fresh = project(values, YEARS, target_year=2025, unit="percent", n_draws=300, seed=4)
    kept = project(values, YEARS, target_year=2025, unit="percent", n_draws=300,
                   seed=4).keep_draws()
    for year in (2018, 2023, 2024, 2025):
        a, b = fresh.value_draws(year), kept.value_draws(year)
        np.testing.assert_array_equal(a, b)
        assert not b.flags.writeable
        assert kept.value_draws(year) is b  # computed once
        np.testing.assert_array_equal(kept.value_draws(year, rows=slice(3, 9)), a[3:9])
    np.testing.assert_array_equal(kept.trajectories([2025])[:, :, 0], fresh.value_draws(2025))


def test_all_exact_counts_match_the_exact_poisson_mean() -> None:
    # 2 per 100,000 among 5,000 births: 0.1 expected deaths, every draw exact
    theta = np.zeros((3, 4000, 2))
    theta[..., 0] = np.log(2e-5)
    counts = draw_counts(theta, np.full(3, 2019.5), np.ones(3), np.array([2024.0, 2025.0]),
                         np.full((3, 2), 5000.0), "poisson", SeriesStreams.numbered(3, 4000, (1,)))
    assert counts.dtype == np.float64 and counts.shape == (3, 4000, 2)
    assert np.all(counts == np.round(counts)) and counts.min() >= 0
    # mean 0.1, sd of the mean over 24,000 draws about 0.002
    assert abs(counts.mean() - 0.1) < 0.01


def test_rounding_in_place_equals_rounding_a_copy() -> None:
    draws = np.random.default_rng(2).uniform(80, 100, (6, 50))
    decimals = np.array([1, 1, 0, -1, 2, 1])
    expected = round_reported(draws, decimals)
    same = draws.copy()
    out = round_reported(same, decimals, inplace=True)
    assert out is same
    np.testing.assert_array_equal(out, expected)
    one = draws.copy()
    np.testing.assert_array_equal(round_reported(one, np.full(6, 1), inplace=True),
                                  np.round(draws, 1))
