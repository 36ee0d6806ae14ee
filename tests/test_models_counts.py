"""Count models: vectorised IRLS against statsmodels GLM and Firth; exact predictive probabilities."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from hbkit.attainment import probability
from hbkit.catalogue.models import Target
from hbkit.models import project
from hbkit.models._random import SeriesStreams
from hbkit.models.counts import (
    MIN_EVENTS_FOR_TREND,
    denominator_step_sd,
    draw_future_denominators,
    fit_counts,
)

REFERENCE = json.loads(
    (Path(__file__).parent / "reference" / "models_reference.json").read_text(encoding="utf-8")
)
YEARS = np.arange(2016, 2021)
MMR = Target(id="mmr", indicator="maternal_mortality_ratio", kind="upper_bound", threshold=8.5,
             unit="per_100k")


def _arrays(case: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.array([case["k"]], dtype=float), np.array([case["n"]], dtype=float),
            np.array(case["years"], dtype=float))


@pytest.mark.parametrize("case", REFERENCE["glm"], ids=["deaths", "coverage"])
@pytest.mark.parametrize("family", ["poisson", "binomial"])
def test_irls_matches_statsmodels_glm(case: dict, family: str) -> None:
    k, n, x = _arrays(case)
    fit = fit_counts(k, n, x, family, trend=True, firth=False, slope_prior_sd=None)
    ref = case[family]
    assert [fit.a[0], fit.b[0]] == pytest.approx(ref["params"], rel=1e-6, abs=1e-9)
    assert fit.phi[0] == pytest.approx(max(1.0, ref["pearson_phi"]), rel=1e-6)
    se = np.sqrt(np.diag(fit.cov[0]) / fit.phi[0])  # statsmodels' bse uses scale 1
    assert se == pytest.approx(ref["bse"], rel=1e-5)


def test_irls_is_vectorised_over_series_with_gaps() -> None:
    cases = REFERENCE["glm"]
    k = np.full((2, 7), np.nan)
    n = np.full((2, 7), np.nan)
    years = np.arange(2015, 2022)
    for i, case in enumerate(cases):
        pos = np.searchsorted(years, case["years"])
        k[i, pos], n[i, pos] = case["k"], case["n"]
    fit = fit_counts(k, n, years.astype(float), "poisson", firth=False, slope_prior_sd=None)
    for i, case in enumerate(cases):
        assert [fit.a[i], fit.b[i]] == pytest.approx(case["poisson"]["params"], rel=1e-6)


@pytest.mark.parametrize("case", REFERENCE["firth"], ids=["zeros", "few"])
def test_firth_fit_matches_direct_penalised_likelihood(case: dict) -> None:
    k, n, x = _arrays(case)
    fit = fit_counts(k, n, x, "poisson", trend=True)
    assert [fit.a[0], fit.b[0]] == pytest.approx(case["poisson_params"], abs=2e-4)
    assert np.all(np.isfinite(fit.cov))


def test_constant_model_is_the_jeffreys_posterior_mean() -> None:
    k = np.array([[0.0, 0, 0, 0], [5, 5, 5, 5]])
    n = np.full((2, 4), 1000.0)
    pois = fit_counts(k, n, np.arange(4.0), "poisson", trend=False)
    binom = fit_counts(k, n, np.arange(4.0), "binomial", trend=False)
    assert np.exp(pois.a) == pytest.approx([0.5 / 4000, 20.5 / 4000])
    assert 1 / (1 + np.exp(-binom.a)) == pytest.approx([0.5 / 4001, 20.5 / 4001])


def test_constant_rate_predictive_equals_exact_negative_binomial() -> None:
    """0,1,0,0,1 deaths: P(rate <= x) is the gamma-Poisson (Jeffreys) probability of the count
    (future births given, so the denominator is known)."""
    case = REFERENCE["constant_predictive"][0]
    k, n = np.array([case["k"]]), np.array([case["n"]])
    p = project(k / n * 1e5, case["years"], target_year=2021, unit="per_100k",
                numerators=k, denominators=n, n_draws=100_000, seed=11,
                future_denominators=[[case["future_n"]]])
    assert p.method[0] == "poisson_constant"
    assert p.denominators[0, -1] == case["future_n"]
    draws = p.value_draws(2021)[0]
    counts = np.round(draws * case["future_n"] / 1e5)
    assert np.allclose(counts * 1e5 / case["future_n"], draws, rtol=1e-6)
    for c, expected in case["cdf"].items():
        got = np.mean(counts <= int(c))
        assert got == pytest.approx(expected, abs=4 * np.sqrt(expected * (1 - expected) / 1e5) + 1e-4)


def test_large_constant_series_gives_exact_poisson_probabilities() -> None:
    """With a rate known very precisely, the reported count is Poisson(rate x future births)."""
    n_hist = np.full((1, 5), 4.0e7)
    k_hist = np.full((1, 5), 10_000.0)  # 25 per 100,000, exactly constant
    future = np.full((1, 1), 4000.0)  # expected deaths 1.0
    p = project(k_hist / n_hist * 1e5, YEARS, target_year=2021, unit="per_100k",
                numerators=k_hist, denominators=n_hist, future_denominators=future,
                n_draws=100_000, seed=2)
    lam = 25e-5 * 4000
    for threshold, strict in ((8.5, False), (25.0, False), (25.0, True), (50.0, False),
                              (50.0, True)):
        target = MMR.model_copy(update={"threshold": threshold, "strict": strict,
                                        "target_year": 2021})
        limit = np.floor(threshold * 4000 / 1e5)
        if strict and limit * 1e5 / 4000 == threshold:
            limit -= 1
        expected = stats.poisson.cdf(limit, lam)
        got = probability(target, p)[0]
        assert got == pytest.approx(expected, abs=4 * np.sqrt(expected * (1 - expected) / 1e5))
    # strict and non-strict differ exactly at a reachable rate (1 death = 25 per 100,000)
    le = probability(MMR.model_copy(update={"threshold": 25.0, "target_year": 2021}), p)[0]
    lt = probability(MMR.model_copy(update={"threshold": 25.0, "strict": True,
                                            "target_year": 2021}), p)[0]
    assert le - lt == pytest.approx(stats.poisson.pmf(1, lam), abs=0.01)


def test_zero_deaths_every_year_invents_nothing() -> None:
    k = np.zeros((1, 5))
    n = np.array([[4000.0, 4100, 3900, 4000, 4200]])
    p = project(k / n * 1e5, YEARS, target_year=2025, unit="per_100k", numerators=k,
                denominators=n, n_draws=20_000)
    assert p.reason[0] is None and p.method[0] == "poisson_constant"
    assert p.median(2025)[0] == 0.0
    # the Jeffreys posterior: P(0 deaths among 4200) = (N / (N + 4200)) ** 0.5
    expected = (n.sum() / (n.sum() + 4200)) ** 0.5
    assert probability(MMR, p)[0] == pytest.approx(expected, abs=0.015)
    assert np.all(np.isfinite(p.paths))


def test_a_single_event_gives_a_constant_rate_not_a_trend() -> None:
    k = np.array([[0.0, 0, 1, 0, 0]])
    n = np.full((1, 5), 4000.0)
    p = project(k / n * 1e5, YEARS, target_year=2025, unit="per_100k", numerators=k,
                denominators=n, n_draws=20_000)
    assert p.method[0] == "poisson_constant"
    hi = p.interval(95, 2025)[1][0]
    assert hi <= 75.0  # at most 3 deaths among 4,000 births in the 95% interval


def test_hundred_percent_every_year_stays_at_or_below_100() -> None:
    k = np.full((1, 5), 812.0)
    n = np.full((1, 5), 812.0)
    p = project(k / n * 100, YEARS, target_year=2025, unit="percent", numerators=k,
                denominators=n, n_draws=20_000)
    assert p.scale[0] == "binomial" and p.method[0] == "binomial_constant"
    assert np.nanmax(p.paths) <= 100.0
    assert p.median(2025)[0] == 100.0
    assert MIN_EVENTS_FOR_TREND == 10


def test_a_trend_is_used_when_the_events_carry_one() -> None:
    case = REFERENCE["glm"][0]
    k, n = np.array([case["k"]], float), np.array([case["n"]], float)
    p = project(k / n * 1000, case["years"], target_year=2025, unit="per_1000", numerators=k,
                denominators=n, n_draws=4000)
    assert "poisson_trend" in p.method[0]
    assert p.median(2025)[0] < k[0, -1] / n[0, -1] * 1000
    # reported rates are counts over the future denominator (given here, so known)
    given = project(k / n * 1000, case["years"], target_year=2025, unit="per_1000",
                    numerators=k, denominators=n, n_draws=4000,
                    future_denominators=np.full((1, 2025 - case["years"][-1]), n[0, -1]))
    counts = given.paths[0, :, -1].astype(float) * n[0, -1] / 1000
    assert np.allclose(counts, np.round(counts), atol=1e-3)


def test_normal_approximation_of_larger_counts_matches_the_exact_binomial() -> None:
    """Above variance 20, counts are Cornish-Fisher normal draws: CDF within 0.01 of exact."""
    n_hist = np.full((1, 5), 4.0e7)
    k_hist = np.full((1, 5), 0.85 * 4.0e7)  # p = 0.85 known very precisely
    future = np.full((1, 1), 200.0)  # variance 200 x 0.85 x 0.15 = 25.5
    p = project(k_hist / n_hist * 100, YEARS, target_year=2021, unit="percent",
                numerators=k_hist, denominators=n_hist, future_denominators=future,
                n_draws=100_000, seed=9)
    counts = np.round(p.value_draws(2021)[0] * 2)
    for c in (160, 165, 170, 175, 180):
        assert np.mean(counts <= c) == pytest.approx(stats.binom.cdf(c, 200, 0.85), abs=0.01)
    assert counts.max() <= 200


def test_draws_of_different_series_are_independent() -> None:
    """Common random-number tables are read at independent offsets: joint = product."""
    k = np.tile(np.array([[1.0, 0, 2, 1, 0]]), (2, 1))
    n = np.full((2, 5), 4000.0)
    p = project(k / n * 1e5, YEARS, target_year=2021, unit="per_100k", numerators=k,
                denominators=n, n_draws=50_000, seed=1)
    a, b = p.value_draws(2021) == 0.0
    assert np.mean(a & b) == pytest.approx(np.mean(a) * np.mean(b), abs=0.01)
    assert not np.array_equal(a, b)


def test_denominator_step_sd_is_the_rms_of_yearly_log_changes() -> None:
    n = np.array([[4000.0, 4200.0, np.nan, 3900.0], [107.0, 107.0, 107.0, 107.0]])
    x = np.arange(2017.0, 2021.0)
    steps = np.array([np.log(4200 / 4000), np.log(3900 / 4200) / np.sqrt(2)])
    assert denominator_step_sd(n, x) == pytest.approx([np.sqrt(np.mean(steps**2)), 0.0])


def test_future_denominators_are_a_log_random_walk_keeping_given_years() -> None:
    centre = np.array([[4000.0, 4000.0, 5000.0]])
    fixed = np.array([[False, False, True]])
    d = draw_future_denominators(centre, np.array([0.1]), SeriesStreams.numbered(1, 20_000, (3,)),
                                 fixed=fixed)
    log_sd = np.log(d[0, :, :2] / 4000.0).std(axis=0)
    assert log_sd == pytest.approx([0.1, 0.1 * np.sqrt(2)], rel=0.03)
    assert (d[0, :, 2] == 5000.0).all()


def test_same_count_as_last_year_is_not_a_tie_when_births_move() -> None:
    """1 death a year, births moving by ~5% a year: P(next year's rate < this year's) counts
    the paths with 1 death and more births. Expected value: the Jeffreys gamma-Poisson
    predictive of the count integrated over the log-normal future births."""
    n = np.array([[4000.0, 4200.0, 3990.0, 4190.0, 4000.0]])
    k = np.ones_like(n)
    p = project(k / n * 1e5, YEARS, target_year=2021, unit="per_100k", numerators=k,
                denominators=n, n_draws=100_000, seed=5)
    below = float(np.mean(p.value_draws(2021)[0] < 1e5 / 4000.0))
    sd = float(denominator_step_sd(n, YEARS.astype(float))[0])
    shape, rate = 5.5, float(n.sum())  # Jeffreys posterior of the rate: Gamma(K + 1/2, N)
    z, w = np.polynomial.hermite_e.hermegauss(60)
    births = np.round(4000.0 * np.exp(sd * z))
    limit = np.ceil(births / 4000.0) - 1  # deaths d with d / births < 1 / 4000
    nb = stats.nbinom.cdf(limit, shape, rate / (rate + births))
    expected = float(np.sum(w * nb) / np.sum(w))
    assert expected == pytest.approx(0.5 * stats.nbinom.pmf(1, shape, rate / (rate + 4000))
                                     + stats.nbinom.pmf(0, shape, rate / (rate + 4000)), abs=0.02)
    assert below == pytest.approx(expected, abs=4 * np.sqrt(expected * (1 - expected) / 1e5))


def test_drawn_denominators_never_fall_below_one() -> None:
    """Denominators jumping between 50 and 5,000 give log steps of sd ~4.6: some walks fall
    below one birth, where k / n was k / 0 (NaN draws, silently lost to the probability)."""
    years = np.arange(2016, 2024)
    n = np.array([[50.0, 5000, 50, 5000, 50, 5000, 50, 5000]])
    k = np.array([[1.0, 60, 0, 55, 1, 70, 0, 65]])
    p = project(k / n * 1000, years, target_year=2028, unit="per_1000", numerators=k,
                denominators=n, n_draws=2000)
    draws = p.value_draws(2028)
    assert np.isfinite(draws).all()
    d = draw_future_denominators(np.full((1, 3), 50.0), np.array([4.6]),
                                 SeriesStreams.numbered(1, 2000, (1,)))
    assert d.min() >= 1.0 and (d < 2).any()  # the floor is reached, and holds
