"""Partial pooling of streets (each_unit targets): shrinkage, joint paths, bounds."""

from __future__ import annotations

import numpy as np
import pytest

from hbkit._typing import UNIT_SCALE
from hbkit.pooling import estimate_effects, pool_units

YEARS = np.arange(2018, 2024)
EVAL = np.arange(2020, 2026)


def streets(sizes, p, seed=0):
    rng = np.random.default_rng(seed)
    n = np.repeat(np.asarray(sizes, dtype=float)[:, None], YEARS.size, axis=1)
    k = rng.binomial(n.astype(int), np.asarray(p, dtype=float)[:, None] * np.ones(YEARS.size))
    return k.astype(float), n


def district_inputs(k, n, n_draws=400, level=97.0):
    history = k.sum(0) / n.sum(0) * 100
    draws = np.empty((n_draws, EVAL.size))
    for j, y in enumerate(EVAL):
        draws[:, j] = history[YEARS == y][0] if y in YEARS else level
    return history, draws


def test_small_streets_are_pulled_towards_the_district_more_than_large_ones():
    # deviations on the logit scale: eight ordinary streets, one small and one large
    # street with the same extreme raw deviation
    d = np.vstack([np.repeat(np.linspace(-0.2, 0.2, 8)[:, None], 6, 1), [[-1.0] * 6], [[-1.0] * 6]])
    v = np.vstack([np.full((8, 6), 0.02), np.full((1, 6), 1.5), np.full((1, 6), 0.01)])
    effect, sd, raw, shrink, tau2, omega2 = estimate_effects(d, v)
    assert raw[8] == pytest.approx(-1.0) and raw[9] == pytest.approx(-1.0)
    assert shrink[8] < shrink[9]
    assert abs(effect[8]) < abs(effect[9])
    assert sd[8] > sd[9]
    assert tau2 > 0


def test_dersimonian_laird_tau2_matches_the_closed_form():
    raw = np.array([0.1, -0.2, 0.4, 0.0, 0.3])
    var = np.array([0.01, 0.02, 0.015, 0.03, 0.01])
    d = raw[:, None]  # one year each: no street-year variance can be estimated
    _, _, got_raw, _, tau2, omega2 = estimate_effects(d, var[:, None])
    w = 1 / var
    mean = (w * raw).sum() / w.sum()
    q = (w * (raw - mean) ** 2).sum()
    expected = max(0.0, (q - 4) / (w.sum() - (w**2).sum() / w.sum()))
    assert omega2 == 0.0
    assert got_raw == pytest.approx(raw)
    assert tau2 == pytest.approx(expected)


def test_paths_keep_observed_years_and_stay_within_bounds():
    k, n = streets([300] * 9 + [40], [0.98] * 9 + [0.9])
    history, draws = district_inputs(k, n)
    out = pool_units(YEARS, k / n * 100, history, draws, EVAL, "percent",
                     numerators=k, denominators=n, seed=1)
    assert out.paths.shape == (10, 400, EVAL.size)
    observed = (k / n * 100)[:, np.isin(YEARS, EVAL)]
    np.testing.assert_allclose(out.paths[:, :, : observed.shape[1]],
                               np.broadcast_to(observed[:, None, :], (10, 400, observed.shape[1])))
    assert np.all((out.paths >= 0) & (out.paths <= 100))
    assert "partial pooling" in out.method and "binomial" in out.method
    # Chinese first, then English, like the other method texts
    assert out.method.startswith("部分合并（经验贝叶斯，DerSimonian-Laird），logit尺度，二项计数 / partial pooling")


def test_joint_probability_never_exceeds_the_weakest_street():
    k, n = streets([300] * 8 + [60, 60], [0.975] * 8 + [0.955, 0.96], seed=3)
    history, draws = district_inputs(k, n)
    out = pool_units(YEARS, k / n * 100, history, draws, EVAL, "percent",
                     numerators=k, denominators=n, seed=2)
    future = EVAL > YEARS[-1]
    meets = (out.paths[:, :, future] >= 95).all(axis=2)  # (K, S): every remaining year
    per_street = meets.mean(axis=1)
    joint = meets.all(axis=0).mean()
    assert joint <= per_street.min() + 1e-12
    assert joint < per_street.min()  # streets are not perfectly dependent


def test_small_street_paths_are_wider_than_large_street_paths():
    k, n = streets([2000] * 9 + [50], [0.97] * 10, seed=4)
    history, draws = district_inputs(k, n)
    out = pool_units(YEARS, k / n * 100, history, draws, EVAL, "percent",
                     numerators=k, denominators=n, seed=5)
    last = out.paths[:, :, -1]
    assert last[9].std() > 2 * last[:9].std(axis=1).max()


def test_same_seed_same_paths_other_seed_other_paths():
    k, n = streets([300] * 10, [0.97] * 10, seed=6)
    history, draws = district_inputs(k, n)
    kw = {"numerators": k, "denominators": n}
    a = pool_units(YEARS, k / n * 100, history, draws, EVAL, "percent", seed=9, **kw)
    b = pool_units(YEARS, k / n * 100, history, draws, EVAL, "percent", seed=9, **kw)
    c = pool_units(YEARS, k / n * 100, history, draws, EVAL, "percent", seed=10, **kw)
    np.testing.assert_array_equal(a.paths, b.paths)
    assert not np.array_equal(a.paths, c.paths)


def test_two_streets_are_not_pooled_and_values_without_counts_work():
    values = np.array([[96.0, 97, 96.5, 97.2, 96.8, 97.0], [99.0, 98.5, 99.2, 99.0, 98.8, 99.1]])
    history = values.mean(0)
    draws = np.tile(np.r_[history[2:], 97.5, 97.5], (300, 1))
    out = pool_units(YEARS, values, history, draws, EVAL, "percent", seed=0)
    assert "no pooling" in out.method
    assert np.all(out.shrinkage == 1.0)
    assert np.all((out.paths >= 0) & (out.paths <= 100))


def test_streets_reported_at_100_percent_without_counts_can_meet_a_100_percent_target():
    """以街为单位…覆盖率达到100%, values only, one decimal: streets that rose to 100.0% and a
    district at 100.0% in the last year. Simulated street values are reported to one decimal,
    as the data (and the district's own simulation) are, so a street can be at 100.0% again;
    unrounded, a value on the logit scale never reaches 100 and every street had P = 0."""
    values = np.array([[91.0, 93.0, 95.0, 97.0, 99.0, 100.0],
                       [90.4, 92.6, 94.8, 96.9, 98.9, 100.0],
                       [89.0, 91.5, 94.0, 96.5, 99.0, 100.0],
                       [90.0, 92.1, 94.3, 96.6, 98.8, 99.6]])
    history = np.array([90.1, 92.3, 94.5, 96.8, 98.9, 100.0])
    rng = np.random.default_rng(3)
    # the district's draws near its cap, as its own model gives them (one decimal)
    near_cap = np.round(100 - np.abs(rng.normal(0, 0.15, (400, 2))), 1)
    draws = np.column_stack([np.tile(history[2:], (400, 1)), near_cap])
    out = pool_units(YEARS, values, history, draws, EVAL, "percent", seed=0)
    future = out.paths[:, :, -1]                       # 2025, not observed
    np.testing.assert_array_equal(future, np.round(future, 1))  # reported to one decimal
    at_100 = (future >= 100.0).mean(axis=1)
    assert np.all(at_100[:3] > 0.05)                   # the streets at 100% can stay there
    assert 0 < at_100[3] < at_100[:3].min()            # the one at 99.6% less often
    assert np.all(future <= 100.0)


def test_a_street_that_already_broke_the_every_year_rule_is_said_so():
    """以街为单位 ... 保持在95%以上: one street below 95% in 2022 has already broken
    the plan's every-year rule; the row says the final evaluation will be 未实现."""
    import hbkit

    example = hbkit.datasets.load_example("hebei_example")
    data = example.observations.copy()
    row = (data["indicator"] == "immunization_coverage") & (data["geo"] == "河北区/望海楼街道") & (
        data["year"] == 2022)
    data.loc[row, "numerator"] = 330.0  # 330 / 353 = 93.48%
    data.loc[row, "value"] = 93.48
    catalogue = hbkit.load_catalogue().filter(kind="maintain", plan="children")
    frame = hbkit.assess(data[data["indicator"] == "immunization_coverage"], catalogue=catalogue,
                         as_of=2023).to_frame()
    street_rule = frame[frame["target_id"] == "C-health-immunization-each-street"].iloc[0]
    assert "未实现" in street_rule["reason"]


def _independent_effects(k, n, district):
    """The documented estimators, recomputed without hbkit (tau^2 from statsmodels' DL)."""
    from statsmodels.stats.meta_analysis import combine_effects

    def logit(p):
        return np.log(p / (1 - p))

    # documented p-hat: half an event inside for 0 or n, then kept within [0.1%, 99.9%]
    phat = np.clip(np.where(k == 0, 0.5 / n, np.where(k == n, 1 - 0.5 / n, k / n)), 1e-3, 1 - 1e-3)
    d = logit(phat) - logit(np.clip(district, 1e-3, 1 - 1e-3))[None, :]
    v = 1 / (k + 0.5) + 1 / (n - k + 0.5)
    t = d.shape[1]
    omega2 = max(0.0, float(np.mean((d - d.mean(1, keepdims=True)) ** 2 * t / (t - 1) - v)))
    w = 1 / (v + omega2)
    raw = (w * d).sum(1) / w.sum(1)
    sigma2 = 1 / w.sum(1)
    tau2 = float(combine_effects(raw, sigma2, method_re="dl").tau2)
    b = tau2 / (tau2 + sigma2)
    w_star = 1 / (sigma2 + tau2)
    mu = (w_star * raw).sum() / w_star.sum()
    effect = mu + b * (raw - mu)
    sd = np.sqrt(b * sigma2 + (1 - b) ** 2 / w_star.sum())
    return raw, b, effect, sd, tau2, omega2


@pytest.mark.parametrize("sizes, p", [
    ([300, 250, 480, 460, 350, 390, 370, 500, 460, 420],
     [0.97, 0.99, 0.975, 0.96, 0.985, 0.97, 0.95, 0.98, 0.97, 0.99]),
    # near 100%: a street with all its children vaccinated and one above 99.9% (clipped)
    ([2000, 2000, 300, 150, 400], [0.9995, 0.998, 1.0, 0.97, 0.99]),
])
def test_effects_match_an_independent_dersimonian_laird_computation(sizes, p):
    k, n = streets(sizes, p, seed=4)
    # street-year swings beyond sampling noise (omega^2 > 0) in the first case
    if len(sizes) == 10:
        rng = np.random.default_rng(9)
        logit_p = np.log(np.divide(p, np.subtract(1, p)))[:, None] + rng.normal(0, 0.4, k.shape)
        k = rng.binomial(n.astype(int), 1 / (1 + np.exp(-logit_p))).astype(float)
    district = k.sum(0) / n.sum(0)
    out = pool_units(YEARS, k / n * 100, district * 100, np.full((50, 2), 97.0), [2024, 2025],
                     "percent", numerators=k, denominators=n, seed=1)
    raw, b, effect, sd, tau2, omega2 = _independent_effects(k, n, district)
    assert out.omega2 == pytest.approx(omega2, rel=1e-9, abs=1e-12)
    assert (omega2 > 0) == (len(sizes) == 10) and tau2 > 0
    assert out.tau2 == pytest.approx(tau2, rel=1e-7, abs=1e-12)
    np.testing.assert_allclose(out.raw_effect, raw, rtol=1e-9)
    np.testing.assert_allclose(out.shrinkage, b, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(out.effect, effect, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(out.effect_sd, sd, rtol=1e-7)


def test_a_signed_gap_is_pooled_on_the_identity_scale_and_may_stay_below_zero():
    """A user's 以街为单位 target on a gap in percentage points (or a ``signed`` percent):
    values below 0 are pooled as they are. On the log scale, the only one there was
    for a unit that is not a bounded percentage, log(-1.2) does not exist and the
    streets' effects were NaN. Without counts every street-year has the same weight,
    so each street's own effect is its plain mean deviation from the district."""
    values = np.array([[-1.2, -0.8, -1.0, -1.4, -0.9, -1.1],
                       [0.6, 0.9, 0.5, 0.8, 0.7, 0.6],
                       [2.1, 1.8, 2.4, 2.0, 2.2, 1.9],
                       [0.1, -0.2, 0.3, 0.0, 0.2, -0.1]])
    history = np.array([0.4, 0.5, 0.3, 0.4, 0.5, 0.3])
    draws = np.tile(np.r_[history[2:], 0.2, 0.1], (400, 1))
    for unit, signed in (("percentage_points", False), ("percent", True)):
        out = pool_units(YEARS, values, history, draws, EVAL, unit, bounded=False,
                         signed=signed, seed=0)
        assert out.scale == "identity" and "identity" in out.method
        # effects are on the model scale: a percent as a share of 1 (as on the logit
        # scale), percentage points as they are
        per = UNIT_SCALE.get(unit, 1.0)
        np.testing.assert_allclose(out.raw_effect * per, (values - history).mean(axis=1))
        assert np.isfinite(out.paths).all()
        future = out.paths[:, :, -1]
        # the street about 1.4 below the district stays below 0 when the district is at 0.1
        assert np.median(future[0]) < -0.9
        assert np.mean(future < 0) > 0.25


def test_counts_of_people_per_unit_are_pooled_on_the_identity_scale_floored_at_zero():
    """Counts (persons per community health centre) are pooled additively, like the
    district's own count model, and a simulated count never falls below 0."""
    values = np.array([[1.0, 1, 0, 1, 0, 0], [2.0, 2, 3, 2, 2, 3], [1.0, 0, 1, 1, 1, 0],
                       [0.0, 0, 1, 0, 0, 0]])
    history = values.mean(axis=0)
    draws = np.tile(np.r_[history[2:], 0.5, 0.4], (400, 1))
    out = pool_units(YEARS, values, history, draws, EVAL, "persons", bounded=False, seed=0)
    assert out.scale == "identity"
    assert np.all(out.paths >= 0)
    np.testing.assert_allclose(out.raw_effect, (values - history).mean(axis=1))
