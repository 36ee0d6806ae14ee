"""hbkit.backtesting.uncertainty: cluster-bootstrap intervals of the scores, checked against
closed forms, and the ECE a perfectly calibrated forecaster shows on the same probabilities."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from hbkit.backtesting import BacktestResult, backtest
from hbkit.backtesting.uncertainty import MIN_GEOS, score_intervals
from hbkit.datasets import load_example


def _cases(p: np.ndarray, y: np.ndarray, geo: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"indicator": "x", "geo": geo.astype(str), "probability": p,
                         "outcome": y.astype(float)})


def _metric(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame.set_index("metric").loc[name]


def test_brier_interval_of_independent_cases_matches_the_normal_approximation() -> None:
    """One case per cluster: the bootstrap interval of a mean is estimate +- 1.96 sd / sqrt(n)."""
    rng = np.random.default_rng(1)
    n = 3000
    p = rng.uniform(size=n)
    y = rng.uniform(size=n) < p
    out = score_intervals(_cases(p, y, np.arange(n)), n_boot=4000, seed=2)
    brier = _metric(out, "brier")
    loss = (p - y) ** 2
    half = 1.96 * loss.std(ddof=0) / np.sqrt(n)
    assert brier.estimate == pytest.approx(loss.mean())
    assert brier.lo == pytest.approx(loss.mean() - half, abs=0.1 * half)
    assert brier.hi == pytest.approx(loss.mean() + half, abs=0.1 * half)
    assert brier.cluster == "geo" and brier.n_clusters == n


def test_copies_within_a_cluster_add_no_information() -> None:
    """Each case repeated five times in its own cluster: same estimates, same intervals
    (the resampled unit is the cluster); resampling cases would shrink them by sqrt(5)."""
    rng = np.random.default_rng(3)
    n = 400
    p = rng.uniform(size=n)
    y = rng.uniform(size=n) < p
    one = score_intervals(_cases(p, y, np.arange(n)), n_boot=2000, seed=4)
    five = score_intervals(_cases(np.repeat(p, 5), np.repeat(y, 5), np.repeat(np.arange(n), 5)),
                           n_boot=2000, seed=4)
    for name in ("brier", "calibration_gap", "ece"):
        a, b = _metric(one, name), _metric(five, name)
        assert b.estimate == pytest.approx(a.estimate)
        assert b.hi - b.lo == pytest.approx(a.hi - a.lo, rel=0.02)


def test_ece_of_a_perfect_forecaster_matches_the_binomial_closed_form() -> None:
    """n cases at p = 0.55 (one bin): the ECE of outcomes drawn from p is |K / n - 0.55|
    with K ~ Binomial(n, 0.55); its mean is an exact finite sum."""
    n, prob = 40, 0.55
    k = np.arange(n + 1)
    exact = float((stats.binom.pmf(k, n, prob) * np.abs(k / n - prob)).sum())
    cases = _cases(np.full(n, prob), np.ones(n), np.arange(n))
    null = _metric(score_intervals(cases, n_boot=20000, seed=5), "ece_if_calibrated")
    assert null.estimate == pytest.approx(exact, abs=0.002)
    assert null.lo < exact < null.hi


def test_all_targets_met_is_significantly_under_confident_and_the_gap_is_signed() -> None:
    rng = np.random.default_rng(6)
    p = rng.uniform(0.5, 0.9, 200)
    out = score_intervals(_cases(p, np.ones(200), np.arange(200) % 20), n_boot=500)
    gap = _metric(out, "calibration_gap")
    assert gap.estimate == pytest.approx(p.mean() - 1.0)
    assert gap.hi < 0
    assert _metric(out, "ece").estimate == pytest.approx(1.0 - p.mean())


def test_clusters_are_geos_with_enough_geos_else_series() -> None:
    rng = np.random.default_rng(7)
    n = 200
    p = rng.uniform(size=n)
    y = rng.uniform(size=n) < p
    few = _cases(p, y, np.arange(n) % (MIN_GEOS - 1))
    few["indicator"] = np.arange(n) % 4
    row = _metric(score_intervals(few, n_boot=50), "brier")
    assert (row.cluster, row.n_clusters) == ("series", 4 * (MIN_GEOS - 1))
    many = _cases(p, y, np.arange(n) % MIN_GEOS)
    row = _metric(score_intervals(many, n_boot=50), "brier")
    assert (row.cluster, row.n_clusters) == ("geo", MIN_GEOS)
    row = _metric(score_intervals(many, n_boot=50, cluster="series"), "brier")
    assert row.cluster == "series"
    with pytest.raises(ValueError, match="cluster must be"):
        score_intervals(many, cluster="country")
    with pytest.raises(ValueError, match="n_boot"):
        score_intervals(many, n_boot=0)


def test_brier_difference_is_to_the_best_baseline_on_the_common_cases() -> None:
    rng = np.random.default_rng(8)
    n = 600
    truth = rng.uniform(size=n)
    y = rng.uniform(size=n) < truth
    cases = _cases(truth, y, np.arange(n) % 30)
    cases["p_coin"] = 0.5
    cases["p_close"] = np.clip(truth + rng.normal(0, 0.05, n), 0, 1)
    cases.loc[0, "p_coin"] = np.nan  # a case one baseline could not judge
    out = score_intervals(cases, baselines=("coin", "close"), n_boot=500)
    diff = _metric(out, "brier_minus_best_baseline")
    common = cases.iloc[1:]
    expected = (((common.probability - common.outcome) ** 2).mean()
                - ((common.p_close - common.outcome) ** 2).mean())
    assert diff.detail == "close" and diff.n_cases == n - 1
    assert diff.estimate == pytest.approx(expected)
    assert diff.lo < diff.estimate < diff.hi


@pytest.fixture(scope="module")
def small() -> BacktestResult:
    frame = load_example("igme2021").observations
    frame = frame[frame["indicator"] == "under5_mortality_rate"]
    geos = sorted(frame["geo"].unique())[:12]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return backtest(frame, origins=[2010, 2013], horizon=(2, 5), geos=geos, n_draws=300)


def test_result_method_agrees_with_scores_and_compare(small: BacktestResult) -> None:
    out = small.score_intervals(by="indicator", n_boot=300)
    assert set(out.indicator) == {"under5_mortality_rate"}
    scores = small.scores().iloc[0]
    for name in ("brier", "ece", "pit_coverage_80"):
        row = _metric(out, name)
        assert row.estimate == pytest.approx(scores[name])
        assert row.lo <= row.estimate <= row.hi
    cmp = small.compare().set_index("method")
    diff = _metric(out, "brier_minus_best_baseline")
    best = cmp.drop(index="hbkit").brier.idxmin()
    assert diff.detail == best
    assert diff.estimate == pytest.approx(cmp.loc["hbkit", "brier"] - cmp.loc[best, "brier"])
    assert _metric(out, "pit_coverage_80").n_cases == len(small.cases.drop_duplicates(
        subset=["indicator", "geo", "origin", "target_year"]))
