"""Trend models: the simulated predictive against closed forms (statsmodels OLS)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from hbkit.exceptions import HbkitError
from hbkit.models import project
from hbkit.models.trend import DEFAULT_MODELS, NOISE_FLOOR, TREND_KINDS, fit_trend

REFERENCE = json.loads(
    (Path(__file__).parent / "reference" / "models_reference.json").read_text(encoding="utf-8")
)
DRAWS = 40_000


def _grid(case: dict) -> tuple[np.ndarray, np.ndarray]:
    years = np.arange(case["years"][0], case["years"][-1] + 1)
    values = np.full(years.size, np.nan)
    values[np.searchsorted(years, case["years"])] = case["values"]
    return years, values


def _coverage_ok(draws: np.ndarray, lo: float, hi: float, level: float) -> None:
    inside = np.mean((draws >= lo) & (draws <= hi))
    se = np.sqrt(level * (1 - level) / draws.size)
    assert abs(inside - level) < 4 * se, (inside, level)


def _noise_prior(s: float, df: int, drift: float) -> tuple[float, int]:
    """Scale and df after the walk models' noise prior: one pseudo-residual max(k |drift|, s)."""
    return float(np.sqrt((df * s**2 + max((NOISE_FLOOR * drift) ** 2, s**2)) / (df + 1))), df + 1


@pytest.mark.parametrize("case", REFERENCE["ols"], ids=lambda c: f"{len(c['years'])}pts")
@pytest.mark.parametrize("model", ["linear", "level"])
def test_simulated_predictive_matches_ols_prediction_interval(case: dict, model: str) -> None:
    years, values = _grid(case)
    p = project(values, years, target_year=case["future"], unit="years", models=(model,),
                n_draws=DRAWS, seed=3, decimals=None)
    draws = p.value_draws(case["future"])[0]
    for alpha in (0.05, 0.2):
        lo, hi = case[f"{model}_{alpha}"]
        _coverage_ok(draws, lo, hi, 1 - alpha)
    assert np.median(draws) == pytest.approx(case[f"{model}_mean"], abs=0.05 * (hi - lo))
    assert p.method[0] == model


def test_linear_fit_matches_numpy_polyfit() -> None:
    rng = np.random.default_rng(5)
    z = rng.normal(size=(50, 7)) + np.arange(7) * rng.normal(size=(50, 1))
    z[rng.random(z.shape) < 0.2] = np.nan
    x = np.arange(2015.0, 2022.0)
    fit = fit_trend(z, x, "linear")
    for i in np.flatnonzero(fit.valid):
        ok = np.isfinite(z[i])
        slope, _ = np.polyfit(x[ok], z[i, ok], 1)
        resid = z[i, ok] - np.polyval(np.polyfit(x[ok], z[i, ok], 1), x[ok])
        assert fit.slope[i] == pytest.approx(slope)
        assert fit.s[i] == pytest.approx(np.sqrt(resid @ resid / (ok.sum() - 2)))


def test_random_walk_predictive_is_student_t_with_drift_uncertainty() -> None:
    values = np.array([3.0, 3.4, 3.5, 4.1, 4.2, 4.9])
    years = np.arange(2015, 2021)
    p = project(values, years, target_year=2023, unit="years", models=("rw_drift",),
                n_draws=DRAWS, seed=1, decimals=None)
    diffs = np.diff(values)
    drift = diffs.mean()
    s, df = _noise_prior(diffs.std(ddof=1), diffs.size - 1, drift)
    h, span = 3, 5
    scale = s * np.sqrt(h + h * h / span)
    t = stats.t(df=df, loc=values[-1] + h * drift, scale=scale)
    draws = p.value_draws(2023)[0]
    for level in (0.8, 0.95):
        _coverage_ok(draws, *t.interval(level), level)


def test_random_walk_sigma_is_widened_when_its_steps_are_autocorrelated() -> None:
    """A smooth series that bends (steps 0.1, 0.2, ..., 0.6): the steps' deviations from the
    drift are positively autocorrelated, so sigma^2 carries (1 + rho) / (1 - rho); steps that
    alternate around the drift (noise around a trend) keep the plain estimate."""
    years = np.arange(2014.0, 2021.0)
    smooth = np.cumsum([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    noisy = np.cumsum([0.0, 0.5, 0.1, 0.6, 0.1, 0.7, 0.2])
    fit = fit_trend(np.stack([smooth, noisy]), years, "rw_drift")
    for i, z in enumerate((smooth, noisy)):
        dev = np.diff(z) - (z[-1] - z[0]) / 6
        plain = dev @ dev / (z.size - 2)
        r = (dev[1:] @ dev[:-1]) / (dev @ dev)
        m = dev.size  # 6 steps: Kendall's bias E r = rho - (1 + 3 rho) / m inverted
        rho = min(max((m * r + 1) / (m - 3), 0.0), 0.9)
        assert fit.s[i] ** 2 == pytest.approx(plain * (1 + rho) / (1 - rho))
        assert (rho > 0.3) if i == 0 else (rho == 0.0)


def test_step_autocorrelation_is_corrected_for_its_small_sample_bias() -> None:
    """With 5 steps the sample autocorrelation of AR(1) deviations with rho = 0.6 is near 0 on
    average (Kendall: E r = rho - (1 + 3 rho) / m); the corrected estimate is not (median
    factor above 2.5, the true long-run factor being 4), and independent steps keep the factor 1
    in the median series (never below 1)."""
    rng = np.random.default_rng(3)
    n_series, m = 4000, 5
    factors = {}
    for rho in (0.0, 0.6):
        e = np.zeros((n_series, m + 40))
        eps = rng.normal(size=e.shape)
        for t in range(1, e.shape[1]):
            e[:, t] = rho * e[:, t - 1] + eps[:, t]
        steps = 0.1 + 0.05 * e[:, -m:]
        z = np.concatenate([np.zeros((n_series, 1)), np.cumsum(steps, axis=1)], axis=1)
        fit = fit_trend(z, np.arange(2015.0, 2021.0), "rw_drift")
        dev = steps - steps.mean(axis=1, keepdims=True)
        plain = (dev * dev).sum(axis=1) / (m + 1 - 2)
        factors[rho] = fit.s**2 / plain
    assert np.all(factors[0.0] >= 1 - 1e-9) and np.all(factors[0.6] >= 1 - 1e-9)
    # true long-run factors: 1 and (1 + 0.6) / (1 - 0.6) = 4
    assert np.median(factors[0.0]) < 1.5
    assert np.median(factors[0.6]) > 2.5


def test_local_trend_predictive_is_student_t_growing_like_h_to_1_5() -> None:
    values = np.array([2.0, 2.9, 4.1, 4.8, 6.1, 7.0])
    years = np.arange(2015, 2021)
    p = project(values, years, target_year=2024, unit="years", models=("local_trend",),
                n_draws=DRAWS, seed=4, decimals=None)
    second = np.diff(values, 2)
    s, df = _noise_prior(np.sqrt(np.mean(second**2)), second.size, (values[-1] - values[0]) / 5)
    slope = values[-1] - values[-2]
    for h in (1, 4):
        scale = s * np.sqrt(h * (h + 1) * (2 * h + 1) / 6)
        t = stats.t(df=df, loc=values[-1] + h * slope, scale=scale)
        draws = p.value_draws(2020 + h)[0]
        for level in (0.8, 0.95):
            _coverage_ok(draws, *t.interval(level), level)


def test_three_point_walk_gets_the_noise_prior_not_a_near_zero_spread() -> None:
    """Three points whose two steps nearly agree (1.0 and 1.05): the plain sigma from one
    degree of freedom is 0.035, and the Student-t with 1 df around it would be far too sure.
    The noise prior adds one pseudo-residual k x drift: s^2 = (0.00125 + (k 1.025)^2) / 2 on
    2 df. Without the prior (k = 0) the fit keeps the plain estimate."""
    values = np.array([1.0, 2.0, 3.05])
    years = np.arange(2018, 2021)
    plain = fit_trend(values[None, :], years.astype(float), "rw_drift", noise_floor=0)
    assert plain.s[0] == pytest.approx(np.sqrt(2 * 0.025**2)) and plain.df[0] == 1
    s = np.sqrt((2 * 0.025**2 + (NOISE_FLOOR * 1.025) ** 2) / 2)
    p = project(values, years, target_year=2023, unit="years", models=("rw_drift",),
                n_draws=DRAWS, seed=5, decimals=None)
    h, span = 3, 2
    t = stats.t(df=2, loc=3.05 + h * 1.025, scale=s * np.sqrt(h + h * h / span))
    for level in (0.8, 0.95):
        _coverage_ok(p.value_draws(2023)[0], *t.interval(level), level)


def test_random_walk_paths_are_joint_not_independent() -> None:
    """Year-to-year steps of a random walk path are independent, so levels are correlated."""
    values = np.array([3.0, 3.4, 3.5, 4.1, 4.2, 4.9])
    p = project(values, np.arange(2015, 2021), target_year=2025, unit="years",
                models=("rw_drift",), n_draws=20_000)
    paths = p.paths[0].astype(float)
    assert np.corrcoef(paths[:, 3], paths[:, 4])[0, 1] > 0.8


def test_damped_trend_flattens_relative_to_linear() -> None:
    values = np.array([[50.0, 52.0, 54.1, 55.9, 58.0, 60.1]])
    years = np.arange(2015, 2021)
    common = {"target_year": 2030, "unit": "years", "n_draws": 4000}
    linear = project(values, years, models=("linear",), **common).median(2030)[0]
    damped = project(values, years, models=("damped",), **common).median(2030)[0]
    assert 60.1 < damped < linear
    # the damped path adds phi + phi^2 + ... (< phi / (1 - phi) = 4 slopes) to the last fitted value
    assert damped < 60.1 + 4 * 2.05 + 0.3


def test_model_weights_sum_to_one_and_method_names_the_models() -> None:
    rng = np.random.default_rng(0)
    values = 60 + np.cumsum(rng.normal(1, 0.5, size=(20, 8)), axis=1)
    p = project(values, np.arange(2016, 2024), target_year=2025, unit="years", n_draws=200)
    k = len(DEFAULT_MODELS)
    assert np.allclose(p.model_weights[:, :k].sum(axis=1), 1.0)
    assert p.model_names[:k] == DEFAULT_MODELS
    assert all(any(k in m for k in DEFAULT_MODELS) for m in p.method)
    every = project(values, np.arange(2016, 2024), target_year=2025, unit="years", n_draws=200,
                    models=TREND_KINDS)
    assert every.model_names[:len(TREND_KINDS)] == TREND_KINDS
    assert np.allclose(every.model_weights[:, :len(TREND_KINDS)].sum(axis=1), 1.0)


def test_a_perfect_line_gets_the_linear_models() -> None:
    values = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]]) + 1e-3 * np.array(
        [[0.3, -0.2, 0.1, -0.4, 0.2, 0.1, -0.1]])
    p = project(values, np.arange(2014, 2021), target_year=2022, unit="years", n_draws=100,
                models=TREND_KINDS)
    weights = dict(zip(p.model_names, p.model_weights[0], strict=False))
    assert weights["level"] < 0.01
    assert weights["level"] + weights["damped"] < 0.05  # the damped path bends away


def test_a_perfect_line_is_extrapolated_by_the_default_models() -> None:
    values = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]]) + 1e-3 * np.array(
        [[0.3, -0.2, 0.1, -0.4, 0.2, 0.1, -0.1]])
    p = project(values, np.arange(2014, 2021), target_year=2022, unit="years", n_draws=400)
    weights = dict(zip(p.model_names, p.model_weights[0], strict=False))
    assert "linear" not in weights and "damped" not in weights
    assert weights["level"] < 0.01
    assert abs(p.median(2022)[0] - 9.0) < 0.05


def test_default_models_cover_better_at_long_horizons_when_the_slope_wanders() -> None:
    """Series whose true model is a candidate (an integrated random walk: smooth, bending).

    With linear and damped among the candidates, the one-step leave-future-out weights give
    them weight and the 80% intervals at 5 years cover 0.63 (8 years of history) / 0.58
    (6 years); without them 0.69 / 0.65 (rw_drift still takes some weight)."""
    rng = np.random.default_rng(3)
    n, t = 600, 13
    z = np.cumsum(np.cumsum(rng.normal(0, 0.02, (n, t)), axis=1) - 0.05, axis=1)
    for window in (8, 6):
        coverage = {}
        for label, models in (("default", DEFAULT_MODELS), ("all", TREND_KINDS)):
            p = project(z[:, 8 - window:8], np.arange(2021 - window, 2021), target_year=2025,
                        unit="none", n_draws=1000, decimals=None, models=models)
            lo, hi = p.interval(80, 2025)
            coverage[label] = np.mean((z[:, 12] >= lo) & (z[:, 12] <= hi))
        assert coverage["default"] >= 0.62, (window, coverage)
        assert coverage["default"] >= coverage["all"] + 0.03, (window, coverage)


def test_same_seed_same_output_and_seed_matters() -> None:
    values = np.array([[80.0, 81.5, 82.0, 84.0, 85.5]])
    years = np.arange(2016, 2021)
    a = project(values, years, target_year=2025, unit="percent", seed=7, n_draws=300)
    b = project(values, years, target_year=2025, unit="percent", seed=7, n_draws=300)
    c = project(values, years, target_year=2025, unit="percent", seed=8, n_draws=300)
    assert np.array_equal(a.paths, b.paths)
    assert not np.array_equal(a.paths, c.paths)


def test_threads_do_not_change_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    import hbkit.models.engine as engine

    monkeypatch.setattr(engine, "BLOCK_CELLS", 20_000)  # many blocks
    rng = np.random.default_rng(2)
    values = 50 + np.cumsum(rng.normal(0.5, 1, (60, 6)), axis=1)
    values[rng.random(values.shape) < 0.15] = np.nan
    one = project(values, np.arange(2015, 2021), target_year=2024, unit="years", n_draws=300,
                  n_jobs=1)
    two = project(values, np.arange(2015, 2021), target_year=2024, unit="years", n_draws=300,
                  n_jobs=3)
    assert np.array_equal(one.paths, two.paths, equal_nan=True)
    assert np.array_equal(one.value_draws(2017), two.value_draws(2017), equal_nan=True)
    assert one.method.tolist() == two.method.tolist()


def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(HbkitError, match="strictly increasing"):
        project([[1.0, 2.0, 3.0]], [2020, 2019, 2021], target_year=2025, unit="years")
    with pytest.raises(HbkitError, match="one year per column"):
        project([[1.0, 2.0, 3.0]], [2019, 2020], target_year=2025, unit="years")
    with pytest.raises(HbkitError, match="models must be chosen"):
        project([[1.0, 2.0, 3.0]], [2019, 2020, 2021], target_year=2025, unit="years",
                models=("spline",))
