"""A series reported the same every year is projected with the noise its rounding hides.

Before, its residuals were all 0, every model's sigma was 0 and the projection
was a point: probabilities exactly 0 or 1, an interval of width 0. On WUENIC
DTP3 (8-year windows, every origin) such forecasts' 80% intervals held 0.568 of
the outcomes and 53 targets were judged with certainty and missed
(docs/validation.md, table 3d).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from hbkit.models.engine import project
from hbkit.models.scales import flat_series_noise
from hbkit.models.trend import ROUNDING_FACTOR, fit_trend

YEARS = np.arange(2013, 2021)


def _logit(percent: float) -> float:
    p = percent / 100.0
    return float(np.log(p / (1.0 - p)))


def test_hidden_noise_is_the_sd_of_a_uniform_rounding_error_on_the_model_scale() -> None:
    values = np.array([
        [99.0] * 4,                    # whole percent, logit
        [95.2, np.nan, 95.2, 95.2],    # one decimal, a gap
        [100.0] * 4,                   # at the bound: the range ends at 100 - BOUND_EPS
        [98.0, 99.0, 99.0, 99.0],      # moves: its residuals measure its noise
        [1 / 3] * 4,                   # not recognisably rounded
    ])
    decimals = np.array([0, 1, 0, 0, -1])
    used = np.array(["logit"] * 5, dtype=object)
    got = flat_series_noise(values, decimals, "logit", used)
    expected = [
        (_logit(99.5) - _logit(98.5)) / np.sqrt(12),
        (_logit(95.25) - _logit(95.15)) / np.sqrt(12),
        (_logit(99.95) - _logit(99.5)) / np.sqrt(12),
        0.0,
        0.0,
    ]
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_hidden_noise_on_the_log_and_identity_scales() -> None:
    values = np.array([[12.5] * 3, [0.0] * 3, [7.0] * 3])
    decimals = np.array([1, 0, 0])
    used = np.array(["log", "identity", "identity"], dtype=object)
    got = flat_series_noise(values, decimals, "log", used)
    # a rate of 0 every year (modelled on the identity scale for want of a positive value)
    # keeps no noise: its draws must stay 0
    np.testing.assert_allclose(got[:2], [np.log(12.55 / 12.45) / np.sqrt(12), 0.0])
    identity = flat_series_noise(values[2:], decimals[2:], "identity",
                                 np.array(["identity"], dtype=object))
    np.testing.assert_allclose(identity, [1 / np.sqrt(12)])


@pytest.mark.parametrize("kind", ["level", "rw_drift", "local_trend"])
def test_each_models_sigma_is_what_the_rounding_would_show_in_its_residuals(kind: str) -> None:
    """The factor is the sd of the model's residual statistic under iid rounding errors."""
    rng = np.random.default_rng(5)
    errors = rng.uniform(-0.5, 0.5, size=(20000, 40))  # sd 1 / sqrt(12)
    fit = fit_trend(errors * np.sqrt(12), np.arange(40.0), kind, noise_floor=0)
    assert np.median(fit.s) == pytest.approx(ROUNDING_FACTOR[kind], rel=0.05)
    flat = np.full((1, 6), 4.6)
    floored = fit_trend(flat, np.arange(6.0), kind, precision=np.array([0.3]))
    assert floored.s[0] == pytest.approx(0.3 * ROUNDING_FACTOR[kind])


def test_a_series_that_moves_keeps_its_own_sigma() -> None:
    z = np.array([[4.0, 4.3, 4.1, 4.6, 4.4, 4.9]])
    for kind in ("level", "rw_drift", "local_trend"):
        plain = fit_trend(z, np.arange(6.0), kind)
        assert fit_trend(z, np.arange(6.0), kind, precision=np.array([0.0])).s[0] == plain.s[0]


def test_a_flat_whole_percent_series_is_no_longer_projected_with_certainty() -> None:
    p = project(np.full(8, 99.0), YEARS, target_year=2025, unit="percent", seed=3)
    lo, hi = p.interval(80, 2025)
    assert 0.0 <= lo[0] < 99.0 <= hi[0] <= 100.0
    paths = p.paths[0, :, -1]  # continuous draws; reports round them to whole percent
    assert 0.05 < float(np.mean(paths < 98.5)) < 0.5  # reported as 98% or less
    assert 0.01 < float(np.mean(paths >= 99.5)) < 0.5  # reported as 100%
    assert np.all((paths >= 0) & (paths <= 100))


def test_the_level_model_on_a_flat_series_is_its_student_t_with_the_rounding_sd() -> None:
    """Closed form: t with n - 1 df, centre logit(99%), scale sigma_r sqrt(1 + 1/n)."""
    n = YEARS.size
    p = project(np.full(n, 99.0), YEARS, target_year=2021, unit="percent", seed=7,
                n_draws=40000, models=("level",), decimals=None)
    z = np.log(p.paths[0, :, 0] / (100.0 - p.paths[0, :, 0]))
    sigma_r = (_logit(99.5) - _logit(98.5)) / np.sqrt(12)
    t = stats.t(df=n - 1, loc=_logit(99.0), scale=sigma_r * np.sqrt(1 + 1 / n))
    for q in (0.1, 0.25, 0.75, 0.9):
        assert np.quantile(z, q) == pytest.approx(t.ppf(q), abs=0.01)


def test_a_rate_of_zero_every_year_stays_zero_without_counts() -> None:
    p = project(np.zeros(6), YEARS[:6], target_year=2025, unit="per_100k", seed=1)
    assert np.all(p.paths[0] == 0.0)
