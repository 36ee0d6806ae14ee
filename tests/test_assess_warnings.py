"""Early-warning statistics: they fire on real swings, not on sampling noise.

Reference values are computed independently with statsmodels and scipy; false
alarm rates are simulated with a fixed seed at the size of a district.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from hbkit import StatusRules
from hbkit.warnings_rules import (
    WARNING_LABELS,
    dispersion_test,
    expected_shortfall,
    moving_away_flags,
    robust_trend_scale,
    series_statistics,
    standardised_changes,
    warning_text,
)

YEARS = np.arange(2016, 2024)


def poisson_district(n_series: int, rate: float, births: float = 4000.0, trend: float = 0.0,
                     seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Deaths and live births of a district, pure Poisson noise around a log-linear trend."""
    rng = np.random.default_rng(seed)
    n = np.rint(births * rng.uniform(0.85, 1.15, size=(n_series, 1)) * np.ones(YEARS.size))
    mu = n * rate * np.exp(trend * np.arange(YEARS.size))
    return rng.poisson(mu).astype(float), n


# ------------------------------------------------------------------ reference values
def test_pearson_statistic_matches_statsmodels_poisson_glm():
    k = np.array([[12.0, 19, 9, 22, 14, 25, 11, 18]])
    n = np.array([[4000.0, 4100, 3900, 4200, 4000, 4150, 3950, 4050]])
    out = dispersion_test(YEARS, k, n, "per_1000")
    x = sm.add_constant(YEARS - YEARS.mean())
    fit = sm.GLM(k[0], x, family=sm.families.Poisson(), exposure=n[0]).fit()
    assert out.dispersion_chi2.iloc[0] == pytest.approx(fit.pearson_chi2, rel=1e-6)
    assert out.dispersion_df.iloc[0] == 6
    assert out.p_value.iloc[0] == pytest.approx(stats.chi2.sf(fit.pearson_chi2, 6), rel=1e-6)
    assert out.p_method.iloc[0] == "chi2"


def test_pearson_statistic_matches_statsmodels_binomial_glm():
    n = np.array([[900.0, 950, 1000, 980, 1020, 990, 1010, 1000]])
    k = np.array([[850.0, 880, 960, 900, 990, 930, 985, 950]])
    out = dispersion_test(YEARS, k, n, "percent")
    x = sm.add_constant(YEARS - YEARS.mean())
    fit = sm.GLM(np.column_stack([k[0], n[0] - k[0]]), x, family=sm.families.Binomial()).fit()
    assert out.dispersion_chi2.iloc[0] == pytest.approx(fit.pearson_chi2, rel=1e-6)


def test_standardised_change_closed_form_binomial():
    k = np.array([[90.0, 80.0]])
    n = np.array([[100.0, 100.0]])
    pbar = 170 / 200
    expected = (0.8 - 0.9) / np.sqrt(pbar * (1 - pbar) * (1 / 100 + 1 / 100))
    assert standardised_changes(k, n, "percent")[0, 0] == pytest.approx(expected)


def test_zero_events_in_both_years_is_no_change():
    z = standardised_changes(np.array([[0.0, 0.0]]), np.array([[4000.0, 4000.0]]), "per_100k")
    assert z[0, 0] == 0.0


def test_moving_away_uses_the_exact_conditional_poisson_test():
    yrs = [2021, 2022]
    k = np.array([[3.0, 11.0]])
    n = np.array([[4000.0, 4000.0]])
    st = series_statistics(yrs, k / n * 1000, k, n, "per_1000")
    # given 14 deaths, the share in 2022 is binomial(14, 1/2) when the rate is unchanged
    ref = stats.binomtest(11, 14, 0.5, alternative="greater").pvalue
    assert st.last_p_up.iloc[0] == pytest.approx(ref)
    flags, p = moving_away_flags(st, ["decrease"])
    assert flags[0] == (ref <= StatusRules().moving_away_alpha)
    flags_up, _ = moving_away_flags(st, ["increase"])
    assert not flags_up[0]


# ------------------------------------------------------------------ fluctuation
def test_fluctuation_fires_on_real_swings_in_counts():
    n = np.full((1, 8), 10_000.0)
    k = np.array([[100.0, 170, 95, 180, 90, 175, 100, 185]])
    st = series_statistics(YEARS, k / n * 1000, k, n, "per_1000")
    assert bool(st.fluctuation.iloc[0])
    assert st.max_abs_z.iloc[0] > 4


@pytest.mark.parametrize(("unit", "rate", "births"), [
    ("per_1000", 5e-3, 4000.0),   # infant deaths: ~20 a year
    ("per_100k", 10e-5, 4000.0),  # maternal deaths: 0 or 1 a year (bootstrap p-values)
])
def test_fluctuation_false_alarm_rate_is_near_nominal_under_pure_poisson_noise(unit, rate, births):
    k, n = poisson_district(1500, rate, births, trend=-0.03, seed=7)
    scale = {"per_1000": 1e3, "per_100k": 1e5}[unit]
    st = series_statistics(YEARS, k / n * scale, k, n, unit, seed=3)
    alpha = StatusRules().fluctuation_alpha
    rate_seen = st.fluctuation.mean()
    # nominal 1%: the bootstrap p-values of sparse counts are multiples of 1/200, and
    # p <= alpha makes that test exact (with p < alpha it fired at 0.6%, only at p = 0.005)
    band = 3 * np.sqrt(alpha * (1 - alpha) / len(st))
    assert alpha / 4 <= rate_seen <= alpha + band
    if unit == "per_100k":
        at_alpha = st[np.isclose(st.p_value, alpha)
                      & (st.swing_scale >= StatusRules().fluctuation_min_swing)]
        assert len(at_alpha) > 0 and at_alpha.fluctuation.all()


def test_fluctuation_false_alarm_rate_binomial_coverage():
    rng = np.random.default_rng(11)
    n = np.full((1500, 8), 3000.0)
    k = rng.binomial(3000, 0.97, size=n.shape).astype(float)
    st = series_statistics(YEARS, k / n * 100, k, n, "percent")
    # the dispersion test itself is calibrated ...
    assert (st.p_value < 0.01).mean() == pytest.approx(0.01, abs=0.008)
    # ... and the warning, which also asks for swings of 2% of the level, is rarer still
    assert st.fluctuation.mean() <= (st.p_value < 0.01).mean()


def test_fluctuation_has_power_against_overdispersed_swings():
    rng = np.random.default_rng(5)
    n = np.full((500, 8), 4000.0)
    swings = np.exp(rng.normal(0, 0.5, size=n.shape))  # real year-to-year swings of ~50%
    k = rng.poisson(n * 5e-3 * swings).astype(float)
    st = series_statistics(YEARS, k / n * 1000, k, n, "per_1000")
    assert st.fluctuation.mean() > 0.7


def test_statistic_separates_noise_from_swings_at_the_same_level():
    noise_k, n = poisson_district(400, 5e-3, seed=21)
    rng = np.random.default_rng(22)
    swing_k = rng.poisson(n * 5e-3 * np.exp(rng.normal(0, 0.4, size=n.shape))).astype(float)
    noise = series_statistics(YEARS, noise_k / n * 1e3, noise_k, n, "per_1000")
    swing = series_statistics(YEARS, swing_k / n * 1e3, swing_k, n, "per_1000")
    assert noise.dispersion_ratio.median() == pytest.approx(1.0, abs=0.25)
    assert swing.dispersion_ratio.median() > 3


def test_tiny_real_swings_in_huge_denominators_are_significant_but_not_large():
    n = np.full((1, 8), 200_000.0)
    p = np.array([[0.650, 0.653, 0.649, 0.654, 0.650, 0.655, 0.651, 0.656]])  # +-0.3 points
    k = np.rint(n * p)
    st = series_statistics(YEARS, k / n * 100, k, n, "percent")
    assert st.p_value.iloc[0] < 0.01  # real: far beyond binomial noise
    assert st.swing_scale.iloc[0] < StatusRules().fluctuation_min_swing
    assert not st.fluctuation.iloc[0]
    looser = series_statistics(YEARS, k / n * 100, k, n, "percent",
                               StatusRules(fluctuation_min_swing=0.001))
    assert looser.fluctuation.iloc[0]


def test_fluctuation_without_counts_needs_large_swings_and_reversals():
    values = np.array([
        [50.0, 58, 47, 60, 45, 59, 48, 61],      # zigzag of +-12 around 53
        [50.0, 51, 52, 53, 54, 55, 56, 57],      # smooth
        [50.0, 50.4, 49.8, 50.3, 49.9, 50.2, 50.0, 50.1],  # reversals but tiny swings
    ])
    st = series_statistics(YEARS, values, None, None, "percent")
    assert st.fluctuation.tolist() == [True, False, False]
    assert st.reversals.iloc[0] >= 6


def test_robust_scale_ignores_one_outlier_less_than_the_sd_would():
    out = robust_trend_scale(YEARS, np.array([[1.0, 2, 3, 4, 5, 6, 7, 30]]))
    assert out.slope.iloc[0] == pytest.approx(1.0)
    assert out.robust_scale.iloc[0] < 1.0


def test_fewer_than_four_years_never_fluctuate():
    st = series_statistics([2021, 2022, 2023], np.array([[10.0, 50.0, 5.0]]), None, None, "percent")
    assert not st.fluctuation.iloc[0]


def test_moving_away_false_alarm_rate_under_pure_poisson_noise():
    k, n = poisson_district(2000, 5e-3, seed=31)
    st = series_statistics(YEARS, k / n * 1e3, k, n, "per_1000")
    flags, _ = moving_away_flags(st, np.full(len(st), "decrease"))
    # one-sided 2.5%; the exact conditional test is conservative
    assert flags.mean() <= 0.025 + 3 * np.sqrt(0.025 * 0.975 / len(st))
    assert flags.mean() > 0.005


# ------------------------------------------------------------------ helpers
def test_expected_shortfall_closed_form():
    draws = np.array([[1.0, 2.0, 3.0, 4.0], [90.0, 94.0, 96.0, 100.0]])
    unbounded = np.array([[-np.inf, np.inf]] * 2)
    got = expected_shortfall(draws, np.array([2.0, 95.0]), np.array(["decrease", "increase"]),
                             unbounded)
    assert got.tolist() == [pytest.approx((0 + 0 + 1 + 2) / 4), pytest.approx((5 + 1) / 4)]
    # a draw beyond its interval's end counts at the end: 4 -> 3.5, 90 -> 92
    got = expected_shortfall(draws, np.array([2.0, 95.0]), np.array(["decrease", "increase"]),
                             np.array([[1.0, 3.5], [92.0, 100.0]]))
    assert got.tolist() == [pytest.approx((0 + 0 + 1 + 1.5) / 4), pytest.approx((3 + 1) / 4)]


@pytest.mark.parametrize("code", sorted(WARNING_LABELS))
def test_every_warning_has_chinese_and_english_text_with_its_numbers(code):
    numbers = {"probability": 0.42, "expected_shortfall": 1.5, "required_annual_change": -0.5,
               "achieved_annual_change": 0.1, "dispersion_chi2": 25.3, "dispersion_df": 6,
               "p_value": 0.0003, "max_abs_z": 3.4, "max_z_year": 2022, "last_year": 2023,
               "last_change": 2.0, "last_z": 2.5, "as_of": 2023}
    zh, en = warning_text(code, numbers, "per_1000")
    assert zh.startswith(WARNING_LABELS[code][0])
    assert en.lower().startswith(WARNING_LABELS[code][1])
    assert "2023" in zh or "42%" in zh or "25.3" in zh


def test_series_statistics_frame_has_one_row_per_series():
    values = pd.DataFrame(np.arange(24.0).reshape(3, 8)).to_numpy()
    st = series_statistics(YEARS, values, None, None, "years")
    assert len(st) == 3 and st.n_obs.tolist() == [8, 8, 8]


def test_early_achievement_likely_to_slip_is_warned() -> None:
    """A rate rising half a point a year is just under its 20% ceiling in 2023:
    it meets the target early, but will very likely be above it in 2025. The
    row stays `achieved` (提前实现) and carries `hard_to_reach`."""
    import hbkit

    target = hbkit.Target(id="r", indicator="r", kind="upper_bound", threshold=20.0,
                          unit="percent", baseline_year=2020)
    values = [16.5, 17.0, 17.5, 18.0, 18.5, 19.0, 19.5, 19.9]
    frame = pd.DataFrame({"indicator": "r", "geo": "X", "year": range(2016, 2024),
                          "value": values, "unit": "percent"})
    result = hbkit.assess(frame, catalogue=hbkit.Catalogue([target]), as_of=2023)
    row = result.to_frame().iloc[0]
    assert row["status"] == "achieved"
    assert row["probability"] < 0.5
    assert "hard_to_reach" in row["warnings"].split(";")
    # it needs to hold, not to change: the text names the years, not a required change
    # (before: 需年均变化+0.05个百分点 beside 达标概率<50%, which read as an easy target)
    warning = result.warnings_frame().query("code == 'hard_to_reach'").iloc[0]
    percent = "<1" if row["probability"] < 0.01 else int(np.floor(row["probability"] * 100 + 1e-9))
    assert warning["text_zh"].startswith(f"预计达标困难：2023年已达标，但2025年仍达标的概率为{percent}%")
    assert warning["text_en"].startswith(
        f"Hard to reach: met in 2023, but the probability it is still met in 2025 is {percent}%")
    assert "需年均变化" not in warning["text_zh"] and "required annual" not in warning["text_en"]


@pytest.mark.parametrize(("probability", "zh_pct", "en_pct"), [
    (0.795, "达标概率79%", "attainment 79%"),  # at risk (< 0.8): never printed as 80%
    (0.075, "达标概率7%", "attainment 7%"),
    (0.001, "达标概率<1%", "attainment <1%"),
])
def test_warning_probability_reads_like_the_status_tables(probability, zh_pct, en_pct):
    """The tables print probabilities rounded down (0.79 for 0.795), so the text does too."""
    zh, en = warning_text("hard_to_reach", {"probability": probability}, "percent")
    assert zh_pct in zh and en_pct in en


def test_tiny_p_values_never_print_as_zero():
    numbers = {"dispersion_chi2": 180.0, "dispersion_df": 7, "p_value": 2.6e-18,
               "max_abs_z": 9.1, "max_z_year": 2021}
    zh, en = warning_text("fluctuation", numbers, "per_1000")
    assert "p<0.0001" in zh and "p<0.0001" in en and "p=0" not in zh + en
    zh, _ = warning_text("fluctuation", {**numbers, "p_value": 0.01234}, "per_1000")
    assert "p=0.0123" in zh


def test_swing_scale_is_the_rms_gap_over_the_pooled_trend_level_statsmodels():
    # rms of the observed proportions' gaps from the GLM trend, over the trend's level
    # pooled over the years (sum of expected counts / sum of denominators); denominators
    # and a steep trend make the pooled level differ from the plain mean of the trend
    n = np.array([[800.0, 1500, 2500, 4000, 6000, 9000, 12000, 16000]])
    k = np.array([[40.0, 60, 85, 110, 140, 170, 190, 230]])
    out = dispersion_test(YEARS, k, n, "per_1000")
    x = sm.add_constant(YEARS - YEARS.mean())
    mu = sm.GLM(k[0], x, family=sm.families.Poisson(), exposure=n[0]).fit().fittedvalues
    rms = np.sqrt(np.mean(((k[0] - mu) / n[0]) ** 2))
    pooled = rms / (mu.sum() / n[0].sum())
    plain = rms / np.mean(mu / n[0])
    assert abs(pooled - plain) > 0.05 * pooled  # the two readings are told apart here
    assert out.swing_scale.iloc[0] == pytest.approx(pooled, rel=1e-6)


def test_sparse_count_bootstrap_p_value_matches_an_independent_statsmodels_bootstrap():
    # maternal deaths, 0-3 a year: expected counts below 5, so the p-value is the
    # parametric bootstrap's (simulate from the fitted trend, refit, Pearson X^2)
    k = np.array([[0.0, 1, 0, 0, 3, 0, 1, 0]])
    n = np.array([[4100.0, 4000, 3900, 3800, 3700, 3600, 3500, 3400]])
    out = dispersion_test(YEARS, k, n, "per_100k", StatusRules(fluctuation_bootstrap=3999), seed=2)
    assert out.p_method.iloc[0] == "bootstrap"
    x = sm.add_constant(YEARS - YEARS.mean())
    fit = sm.GLM(k[0], x, family=sm.families.Poisson(), exposure=n[0]).fit()
    mu = fit.fittedvalues
    x2 = fit.pearson_chi2
    rng = np.random.default_rng(11)
    reps, exceed = 1500, 0
    for _ in range(reps):
        sim = rng.poisson(mu)
        if sim.sum() == 0:  # no event at all: the fit is zero everywhere, X^2 = 0
            continue
        sim_mu = sm.GLM(sim, x, family=sm.families.Poisson(), exposure=n[0]).fit().fittedvalues
        exceed += np.sum(np.where(sim_mu > 1e-12, (sim - sim_mu) ** 2 / sim_mu, 0.0)) >= x2 - 1e-9
    reference = (1 + exceed) / (reps + 1)
    # Monte Carlo error of the difference about 0.005; the chi-square p-value (0.055) is
    # far outside, so a p-value from the wrong distribution fails
    assert stats.chi2.sf(x2, 6) - reference > 0.02
    assert out.p_value.iloc[0] == pytest.approx(reference, abs=0.015)


def test_unbounded_percentage_counts_are_poisson_like_the_model():
    # a gross enrolment ratio (enrolled of any age / school-age population) passes 100%:
    # the numerator is no binomial subset of the denominator, and the projection models
    # it as Poisson counts (models.md, section 1); the warnings use the same family
    n = np.full((1, 8), 2000.0)
    k = np.array([[1900.0, 1950, 2010, 2040, 2080, 2060, 2100, 2120]])
    out = series_statistics(YEARS, k / n * 100, k, n, "percent", bounded=False)
    x = sm.add_constant(YEARS - YEARS.mean())
    fit = sm.GLM(k[0], x, family=sm.families.Poisson(), exposure=n[0]).fit()
    assert out.dispersion_chi2.iloc[0] == pytest.approx(fit.pearson_chi2, rel=1e-6)
    assert out.p_value.iloc[0] == pytest.approx(stats.chi2.sf(fit.pearson_chi2, 6), rel=1e-6)
    assert not out.fluctuation.iloc[0]  # a smooth series, not 波动较大
    # the latest change 2100 -> 2120 by the exact conditional Poisson test
    assert out.last_p_down.iloc[0] == pytest.approx(
        stats.binomtest(2120, 4220, 0.5, alternative="less").pvalue, rel=1e-9)
    pbar = 4220 / 4000
    assert out.last_z.iloc[0] == pytest.approx((2120 - 2100) / 2000 / np.sqrt(2 * pbar / 2000))


def test_assess_judges_an_unbounded_percentage_with_counts_as_poisson():
    import hbkit

    target = hbkit.Target(id="ger", indicator="ger", kind="lower_bound", threshold=90.0,
                          unit="percent", bounded=False, name_zh="毛入学率")
    k = [1900.0, 1950, 2010, 2040, 2080, 2060, 2100, 2120]
    frame = pd.DataFrame({"indicator": "ger", "geo": "X", "year": YEARS,
                          "value": np.round(np.array(k) / 20, 2), "numerator": k,
                          "denominator": 2000.0, "unit": "percent"})
    res = hbkit.assess(frame, catalogue=hbkit.Catalogue([target]), n_draws=200)
    assert "fluctuation" not in res.to_frame()["warnings"].iloc[0]


def test_moving_away_without_counts_needs_more_than_one_reported_unit() -> None:
    """A flat series (robust scale 0) is not 'moving away' for one unit of its last digit:
    z = change / (sqrt(2) x 0.1), by hand: -0.1 -> -0.71 (no), -0.3 -> -2.12 (p = 0.017, fires)."""
    from hbkit.warnings_rules import moving_away_flags, series_statistics

    years = list(range(2016, 2024))
    flat = [60.0, 60.0, 60.0, 60.0, 60.5, 60.0, 60.0]
    values = np.array([flat + [59.9], flat + [59.7]])
    stats_ = series_statistics(years, values, None, None, "percent")
    assert stats_["robust_scale"].tolist() == [0.0, 0.0]
    assert stats_["last_z"].to_numpy() == pytest.approx([-0.1 / (2**0.5 * 0.1),
                                                          -0.3 / (2**0.5 * 0.1)])
    flags, p = moving_away_flags(stats_, ["increase", "increase"])
    assert flags.tolist() == [False, True]
    assert p[1] == pytest.approx(0.01695, abs=5e-5)


def test_an_every_year_target_met_early_names_every_remaining_year() -> None:
    """保持在95%以上 (2026-2030), first monitored in 2026: 2026 meets it, and the probability
    is that 2027, 2028, 2029 and 2030 all do (0.40 here), not that 2030 alone does (0.74,
    the same series judged as a plain 2030 bound). The text used to read 2030年仍达标的概率为40%."""
    import hbkit

    frame = pd.DataFrame({"indicator": "cov", "geo": "河北区", "year": range(2018, 2027),
                          "value": [95.9, 94.6, 96.1, 95.0, 96.3, 94.9, 95.8, 95.1, 95.4],
                          "unit": "percent"})
    rule = {"id": "m", "indicator": "cov", "threshold": 95, "unit": "percent",
            "direction": "increase", "target_year": 2030}
    every_year = hbkit.assess(frame, [{**rule, "kind": "maintain"}], as_of=2026)
    in_2030 = hbkit.assess(frame, [{**rule, "kind": "lower_bound"}], as_of=2026)
    p_every, p_2030 = every_year.to_frame()["probability"].iloc[0], in_2030.to_frame()["probability"].iloc[0]
    assert every_year.to_frame()["status"].iloc[0] == "achieved" and p_every < 0.5 < p_2030
    warning = every_year.warnings_frame().query("code == 'hard_to_reach'").iloc[0]
    percent = int(np.floor(p_every * 100 + 1e-9))
    assert warning["text_zh"].startswith(
        f"预计达标困难：2026年已达标，但2027—2030年每年仍达标的概率为{percent}%")
    assert warning["text_en"].startswith(
        f"Hard to reach: met in 2026, but the probability it is still met in every year "
        f"2027-2030 is {percent}%")


def test_an_every_year_target_met_the_year_before_the_target_year_names_that_year() -> None:
    zh, en = warning_text("hard_to_reach", {"probability": 0.3, "met_year": 2029,
                                            "hold_from": 2030, "target_year": 2030}, "percent")
    assert zh == "预计达标困难：2029年已达标，但2030年仍达标的概率为30%。"
    assert en == "Hard to reach: met in 2029, but the probability it is still met in 2030 is 30%."
