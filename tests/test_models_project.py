"""``project`` and ``Projection``: invariants, awkward series, property tests."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import hbkit
from hbkit.models import choose_scale, project

YEARS = np.arange(2016, 2024)


def test_scale_choice() -> None:
    assert choose_scale("percent", True, False) == "logit"
    assert choose_scale("percent", True, True) == "binomial"
    assert choose_scale("per_100k", False, True) == "poisson"
    assert choose_scale("per_1000", False, False) == "log"
    assert choose_scale("percent", False, False) == "log"
    assert choose_scale("ratio", False, False) == "log"
    assert choose_scale("years", False, False) == "identity"
    assert choose_scale("hours_per_day", False, True) == "identity"


def test_intervals_are_nested_and_contain_the_median() -> None:
    rng = np.random.default_rng(4)
    values = 80 + np.cumsum(rng.normal(1, 1, (40, 8)), axis=1)
    p = project(np.clip(values, 1, 99), YEARS, target_year=2026, unit="percent", n_draws=1000)
    for year in p.future_years:
        lo80, hi80 = p.interval(80, year)
        lo95, hi95 = p.interval(95, year)
        med = p.median(year)
        assert np.all(lo95 <= lo80) and np.all(lo80 <= med) and np.all(med <= hi80)
        assert np.all(hi80 <= hi95)
        assert np.all(lo95 >= 0) and np.all(hi95 <= 100)


def test_intervals_widen_with_the_horizon_for_a_trend() -> None:
    values = np.array([[10.0, 11.2, 11.9, 13.1, 14.2, 14.8, 16.1, 17.0]])
    p = project(values, YEARS, target_year=2030, unit="years", models=("linear",),
                n_draws=4000)
    widths = [np.subtract(*p.interval(95, y)[::-1])[0] for y in p.future_years]
    assert all(b >= a for a, b in zip(widths, widths[1:], strict=False))  # rounded to 0.1
    assert widths[-1] > widths[0] + 0.2


def test_two_points_give_a_reason_and_nan_paths_not_an_exception() -> None:
    values = np.array([[50.0, np.nan, np.nan, np.nan, np.nan, np.nan, 60.0, np.nan],
                       [50.0, 51, 52, 53, 54, 55, 56, 57]])
    p = project(values, YEARS, target_year=2025, unit="percent", n_draws=100)
    assert p.reason[0] == "2 observations, 3 needed" and p.reason[1] is None
    assert np.isnan(p.paths[0]).all() and np.isfinite(p.paths[1]).all()
    assert np.isnan(p.median(2025)[0]) and np.isnan(p.value_draws(2016)[0]).all()
    assert p.ok.tolist() == [False, True]


def test_gaps_in_the_years_are_modelled() -> None:
    values = np.array([[20.0, np.nan, 18.0, np.nan, np.nan, 15.5, 15.0, np.nan]])
    p = project(values, YEARS, target_year=2025, unit="per_1000", n_draws=2000)
    assert p.reason[0] is None and p.n_obs[0] == 4
    # 2023 is missing and simulated jointly with the future; 2017 is drawn consistently
    assert 2023 in p.simulated_history
    d2017 = p.value_draws(2017)[0]
    assert np.isfinite(d2017).all() and 15 < np.median(d2017) < 21
    assert (p.value_draws(2016)[0] == 20.0).all()


def test_hundred_percent_without_counts_stays_in_bounds() -> None:
    values = np.full((1, 8), 100.0)
    p = project(values, YEARS, target_year=2025, unit="percent", n_draws=500)
    assert p.scale[0] == "logit"
    assert np.all(p.paths <= 100.0) and np.all(p.paths >= 0.0)
    assert p.median(2025)[0] == 100.0  # modelled as 99.95, reported in whole percent
    raw = project(values, YEARS, target_year=2025, unit="percent", n_draws=500, decimals=None)
    # centred on 99.95, with the spread that rounding to whole percent may hide (flat series)
    assert raw.median(2025)[0] == pytest.approx(99.95, abs=0.01)
    assert 0.0 < float(np.mean(raw.paths[0, :, -1] < 99.5)) < 0.2


def test_zero_rate_without_counts_is_not_logged() -> None:
    p = project(np.zeros((1, 8)), YEARS, target_year=2025, unit="per_1000", n_draws=200)
    assert p.scale[0] == "identity"
    assert np.all(p.paths == 0.0)


@pytest.mark.parametrize("unit", ["count", "persons", "years", "hours_per_day"])
def test_quantities_that_cannot_be_negative_never_project_below_zero(unit: str) -> None:
    """A small noisy count (women in a department's leadership) is modelled additively,
    but no draw, interval end or path is below 0; the share of draws at 0 is the
    probability mass the additive model put below 0, not lost."""
    values = np.array([[3.0, 1.0, 4.0, 0.0, 2.0, 5.0, 1.0, 2.0]])
    p = project(values, YEARS, target_year=2026, unit=unit, n_draws=4000, seed=2)
    assert p.scale.tolist() == ["identity"]
    assert np.nanmin(p.paths) == 0.0
    lo95, _ = p.interval(95, 2026)
    assert lo95[0] == 0.0
    unbounded = project(values, YEARS, target_year=2026, unit="none", n_draws=4000, seed=2)
    below = (unbounded.paths[0, :, -1] < 0).mean()
    assert below > 0.05  # the additive model does put mass below 0 ...
    assert (p.paths[0, :, -1] == 0).mean() == pytest.approx(below, abs=0.03)  # ... now at 0


def test_mixed_batch_routes_series_with_counts_to_the_count_model() -> None:
    k = np.array([[1.0, 0, 2, 1, 0, 1, 0, 1], [np.nan] * 8])
    n = np.array([[4000.0] * 8, [np.nan] * 8])
    values = k / n * 1e5
    values[1] = [20.0, 18, 19, 15, 16, 12, 14, 11]
    p = project(values, YEARS, target_year=2025, unit="per_100k", numerators=k,
                denominators=n, n_draws=300)
    assert p.scale.tolist() == ["poisson", "log"]
    assert np.isnan(p.denominators[1]).all() and (p.denominators[0] == 4000).all()


def test_to_frame_has_the_level_columns() -> None:
    p = project(np.array([[1.0, 2, 3, 4, 5, 6, 7, 8]]), YEARS, target_year=2025, unit="years",
                n_draws=100)
    frame = p.to_frame()
    assert list(frame.columns) == ["series", "year", "median", "lo_80", "hi_80", "lo_95", "hi_95"]
    assert frame["year"].tolist() == [2024, 2025]


def test_cdf_is_the_share_of_draws() -> None:
    p = project(np.array([[1.0, 2.3, 2.8, 4.1, 5.2, 5.9, 7.3, 8.0]]), YEARS, target_year=2025,
                unit="years", n_draws=1000, decimals=None)
    med = p.median(2025)
    assert p.cdf(med, 2025)[0] == pytest.approx(0.5, abs=0.01)


@settings(max_examples=40, deadline=None)
@given(
    values=arrays(np.float64, (3, 6), elements=st.one_of(
        st.floats(0.0, 100.0, allow_nan=False), st.just(np.nan))),
    target=st.integers(2021, 2028),
)
def test_bounded_projections_never_leave_0_100(values: np.ndarray, target: int) -> None:
    p = project(values, np.arange(2015, 2021), target_year=target, unit="percent",
                n_draws=200)
    finite = p.paths[np.isfinite(p.paths)]
    assert np.all((finite >= 0.0) & (finite <= 100.0))
    n_obs = np.isfinite(values).sum(axis=1)
    assert np.array_equal(p.ok, n_obs >= 3)
    assert np.all(np.isfinite(p.paths[p.ok]))


@settings(max_examples=30, deadline=None)
@given(
    deaths=arrays(np.float64, (2, 5), elements=st.integers(0, 6).map(float)),
    births=st.integers(500, 20_000),
)
def test_count_paths_are_whole_counts_over_the_denominator(deaths: np.ndarray, births: int) -> None:
    n = np.full(deaths.shape, float(births))
    p = project(deaths / n * 1e5, np.arange(2016, 2021), target_year=2023, unit="per_100k",
                numerators=deaths, denominators=n, n_draws=200)
    counts = p.paths * births / 1e5
    assert np.allclose(counts, np.round(counts), atol=1e-6)
    assert np.all(counts >= 0)


def test_simulated_values_are_rounded_like_the_data() -> None:
    whole = np.array([[94.0, 95, 95, 96, 95, 96, 95, 96]])
    p = project(whole, YEARS, target_year=2025, unit="percent", n_draws=2000)
    assert p.decimals.tolist() == [0]
    draws = p.value_draws(2025)
    assert np.array_equal(draws, np.round(draws))
    tenth = np.array([[80.1, 80.5, 81.2, 81.9, 82.0, 82.8, 83.1, 83.3]])
    q = project(tenth, YEARS, target_year=2025, unit="percent", n_draws=500)
    d = q.value_draws(2025)
    assert q.decimals.tolist() == [1] and np.array_equal(d, np.round(d, 1))
    # a tie at the threshold keeps its probability: P(>= x) + P(<= x) = 1 + P(= x)
    from hbkit.attainment import probability
    from hbkit.catalogue.models import Target

    ge = Target(id="a", indicator="x", kind="lower_bound", threshold=95, unit="percent")
    le = Target(id="b", indicator="x", kind="upper_bound", threshold=95, unit="percent")
    tie = np.mean(draws == 95.0)
    assert tie > 0.05
    total = probability(ge, p)[0] + probability(le, p)[0]
    assert total == pytest.approx(1 + tie)


def test_draws_of_identical_series_are_independent() -> None:
    values = np.tile(np.array([[80.1, 80.5, 81.2, 81.9, 82.0, 82.8, 83.1, 83.3]]), (3, 1))
    p = project(values, YEARS, target_year=2025, unit="percent", n_draws=20_000,
                decimals=None)
    draws = p.value_draws(2025)
    corr = np.corrcoef(draws)
    assert np.all(np.abs(corr[np.triu_indices(3, 1)]) < 0.05)
    # ... while each has the same distribution
    assert np.allclose(p.median(2025), p.median(2025)[0], atol=0.05)


def test_a_wild_log_scale_draw_does_not_make_the_median_nan() -> None:
    """Three sparse points on the log scale: a draw far in the Student-t tail (df 1) used
    to overflow float32 to inf, and one inf made the median and interval NaN."""
    hist = np.array([[np.nan, np.nan, 26.5, np.nan, 30.0, np.nan, np.nan, 40.0]])
    p = project(hist, np.arange(2008, 2016), target_year=2020, unit="percent", bounded=False,
                seed=2015)
    assert np.isfinite(p.paths).all()
    lo, hi = p.interval(80, 2020)
    assert np.isfinite([p.median(2020)[0], lo[0], hi[0]]).all() and lo[0] < hi[0]


def test_a_gap_in_percentage_points_keeps_its_draws_below_zero() -> None:
    """The same noisy series as a signed gap (men's minus women's share): nothing is floored,
    its draws are those of a unit-less series."""
    values = np.array([[3.0, 1.0, 4.0, 0.0, 2.0, 5.0, 1.0, 2.0]])
    gap = project(values, YEARS, target_year=2026, unit="percentage_points", n_draws=4000,
                  seed=2)
    unbounded = project(values, YEARS, target_year=2026, unit="none", n_draws=4000, seed=2)
    assert gap.scale.tolist() == ["identity"]
    assert (gap.paths[0, :, -1] < 0).mean() > 0.05
    np.testing.assert_array_equal(gap.paths, unbounded.paths)


@pytest.mark.parametrize("options, words", [
    ({"inflation": -1}, "inflation 须为正数"), ({"inflation": "wide"}, "inflation 须为正数"),
    ({"inflation": float("nan")}, "inflation 须为正数"), ({"decimals": "two"}, "decimals 须为"),
    ({"decimals": 1.5}, "decimals 须为"), ({"decimals": -2}, "decimals 须为")])
def test_bad_inflation_or_decimals_is_a_bilingual_hbkit_error(options, words):
    """A developer calling project directly gets hbkit's error naming the option and the
    value, not a bare ValueError from float() or int()."""
    with pytest.raises(hbkit.HbkitError, match=words) as info:
        project(np.array([[1.0, 2.0, 3.0, 4.0]]), np.arange(2016, 2020), target_year=2022,
                unit="years", **options)
    assert "received" in str(info.value)


def test_simulated_history_rows_are_in_order_whatever_the_threads() -> None:
    # series whose last observation differs fall into different blocks, each simulating the
    # missing years after it; the blocks may finish in any order when run in threads
    rng = np.random.default_rng(3)
    values = 20 + rng.normal(0, 0.5, (12, 8)).cumsum(axis=1)
    for i in range(12):
        values[i, 8 - (i % 4):] = np.nan  # last observed year 2023, 2022, 2021 or 2020 (2 x 4)
    values[[0, 4], 7] = 20.0
    one = project(values, YEARS, target_year=2025, unit="years", n_draws=200, n_jobs=1)
    two = project(values, YEARS, target_year=2025, unit="years", n_draws=200, n_jobs=2)
    assert sorted(one.simulated_history) == sorted(two.simulated_history) == [2021, 2022, 2023]
    for year, (rows, draws) in one.simulated_history.items():
        assert (np.diff(rows) > 0).all()
        assert np.array_equal(rows, two.simulated_history[year][0])
        assert np.array_equal(draws, two.simulated_history[year][1])
