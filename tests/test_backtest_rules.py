"""Backtest target rules, the OLS-t baseline and the simulated district counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from hbkit.backtesting.baselines import ols_t_forecast
from hbkit.backtesting.rules import TargetRule, default_rules, infer_directions
from hbkit.backtesting.simulate import simulate_district_counts
from hbkit.exceptions import HbkitError


def test_relative_rule_compounds_the_yearly_rate() -> None:
    t = TargetRule("relative_change", rate=4.0, baseline_offset=2).build(
        "imr", unit="per_1000", bounded=False, direction="decrease", origin=2012, horizon=3)
    assert t is not None
    assert (t.baseline_year, t.target_year) == (2010, 2015)
    assert t.threshold == pytest.approx(100 * (1 - 0.96**5))
    up = TargetRule("relative_change", rate=2.0).build(
        "cov", unit="percent", bounded=True, direction="increase", origin=2012, horizon=2)
    assert up is not None and up.threshold == pytest.approx(100 * (1.02**2 - 1))


def test_rules_skip_what_does_not_apply() -> None:
    rule = TargetRule("lower_bound", threshold=90.0, indicators=("dtp3",))
    assert rule.build("imr", unit="per_1000", bounded=False, direction="decrease",
                      origin=2010, horizon=2) is None
    assert TargetRule("direction").build("x", unit="none", bounded=False, direction="none",
                                         origin=2010, horizon=2) is None
    built = rule.build("dtp3", unit="percent", bounded=True, direction="increase", origin=2010,
                       horizon=2)
    assert built is not None and built.direction == "increase" and built.threshold == 90.0


def test_rule_validation() -> None:
    with pytest.raises(HbkitError, match="^TargetRule kind='maintain' 须给出固定的目标值 .* needs a "
                       "fixed threshold"):
        TargetRule("maintain")
    with pytest.raises(HbkitError, match=r"须给出 rate > 0（每年百分比）；收到 None / .*needs rate > 0"):
        TargetRule("relative_change")
    with pytest.raises(HbkitError, match="^baseline_offset 须 >= 0；收到 -1 / baseline_offset must"):
        TargetRule("direction", baseline_offset=-1)
    with pytest.raises(HbkitError, match="kind"):
        TargetRule("qualitative")


def test_default_rules_and_directions() -> None:
    kinds = {r.kind for r in default_rules()}
    assert kinds == {"relative_change", "direction"}
    dirs = infer_directions(["neonatal_mortality_rate", "dtp3_immunization_coverage", "foo"],
                            {"foo": "increase"})
    assert dirs == {"neonatal_mortality_rate": "decrease",
                    "dtp3_immunization_coverage": "increase", "foo": "increase"}


def test_ols_t_matches_statsmodels_prediction_interval() -> None:
    years = np.arange(2010, 2018)
    values = np.array([[10, 9.5, 9.7, 8.9, 8.5, 8.6, 8.0, 7.7],
                       [1, 2, np.nan, 4, 5, 5.5, 7, 8],
                       [1, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 2]])
    future = np.arange(2018, 2021)
    draws, point, intervals = ols_t_forecast(values, years, future, 100_000,
                                             np.random.default_rng(0))
    for i in (0, 1):
        keep = np.isfinite(values[i])
        fit = sm.OLS(values[i][keep], sm.add_constant(years[keep].astype(float))).fit()
        pred = fit.get_prediction(sm.add_constant(future.astype(float))).summary_frame(alpha=0.2)
        np.testing.assert_allclose(point[i], pred["mean"])
        np.testing.assert_allclose(intervals[80][0][i], pred["obs_ci_lower"])
        np.testing.assert_allclose(intervals[80][1][i], pred["obs_ci_upper"])
        # the simulated joint paths have the same marginals
        np.testing.assert_allclose(np.quantile(draws[i], [0.1, 0.9], axis=0),
                                   [pred["obs_ci_lower"], pred["obs_ci_upper"]], atol=0.02)
    assert np.isnan(point[2]).all() and np.isnan(draws[2]).all()  # two points: not judged


def test_simulated_counts_are_poisson_around_the_true_rate() -> None:
    true = pd.DataFrame({"indicator": "imr", "geo": [f"G{i}" for i in range(400)], "year": 2020,
                         "value": 10.0, "unit": "per_1000"})
    sim = simulate_district_counts(true, births=4000, seed=3)
    assert (sim.source.str.contains("模拟")).all()
    np.testing.assert_allclose(sim.value, sim.numerator / sim.denominator * 1000)
    # deaths / expected deaths: mean 1, variance 1 / expected (Poisson)
    ratio = sim.numerator / (sim.denominator * 0.01)
    assert ratio.mean() == pytest.approx(1.0, abs=0.03)
    assert sim.denominator.median() == pytest.approx(4000, rel=0.05)
