"""A series' random numbers are its own: the other series of a call change nothing.

A city dashboard assesses every district in one call; each district's report
assesses it alone. Both must give the same probabilities, intervals and
warnings, to the last digit.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import hbkit
from hbkit.datasets import load_example
from hbkit.models import project
from hbkit.models._random import SeriesStreams, series_keys
from hbkit.warnings_rules import dispersion_test

YEARS = np.arange(2016, 2024)


def _values(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = YEARS - YEARS.mean()
    p = 1 / (1 + np.exp(-(rng.uniform(1, 3, (n, 1)) + 0.1 * t + rng.normal(0, 0.15, (n, 8)))))
    return np.round(100 * p, 1)


def _same_draws(a: hbkit.Projection, i: int, b: hbkit.Projection, j: int, years: list[int]) -> None:
    for year in years:
        np.testing.assert_array_equal(a.value_draws(year, rows=slice(i, i + 1)),
                                      b.value_draws(year, rows=slice(j, j + 1)))


def test_a_value_series_alone_gets_the_draws_it_gets_among_others() -> None:
    values = _values(1, 30)
    values[4, 3] = np.nan  # a missing history year, drawn by the sampler
    alone = project(values[4], YEARS, target_year=2025, unit="percent", n_draws=400, seed=3)
    # among 29 others, on a grid with two earlier years, and with other series
    # observed to a later year (so its 2024 is simulated history in that call)
    grid = np.arange(2014, 2025)
    wide = np.full((31, grid.size), np.nan)
    wide[:30, 2:10] = values
    wide[30, 2:] = np.r_[values[0], 96.0]
    many = project(wide, grid, target_year=2025, unit="percent", n_draws=400, seed=3)
    _same_draws(alone, 0, many, 4, [2019, 2024, 2025])
    assert many.value_draws(2025, rows=slice(4, 5)).std() > 0  # real draws, not constants


def test_a_count_series_with_few_deaths_alone_gets_the_draws_it_gets_among_others() -> None:
    rng = np.random.default_rng(2)
    births = np.round(rng.uniform(3500, 4500, (12, 8)))
    deaths = rng.poisson(births * 2e-4).astype(float)  # 0-3 deaths: every draw exact
    deaths[:6] = rng.poisson(births[:6] * 5e-3)  # ~20 deaths: normal approximation
    rate = deaths / births * 1e5
    kwargs = dict(target_year=2025, unit="per_100k", n_draws=400, seed=5)
    many = project(rate, YEARS, numerators=deaths, denominators=births, **kwargs)
    for i in (2, 9):
        alone = project(rate[i], YEARS, numerators=deaths[i], denominators=births[i], **kwargs)
        _same_draws(alone, 0, many, i, [2024, 2025])


def test_identical_series_in_one_call_get_independent_draws() -> None:
    values = np.repeat(_values(4, 1), 2, axis=0)
    p = project(values, YEARS, target_year=2025, unit="percent", n_draws=2000, seed=0,
                decimals=None)
    a, b = p.value_draws(2025)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.1  # sd of r for independent draws: about 0.022


def test_labels_key_the_draws_so_corrected_data_keep_them() -> None:
    values = _values(7, 2)
    kwargs = dict(target_year=2025, unit="percent", n_draws=300, seed=1, decimals=None)
    by_label = project(values, YEARS, labels=["河北区", "和平区"], **kwargs)
    alone = project(values[1], YEARS, labels=["和平区"], **kwargs)
    _same_draws(alone, 0, by_label, 1, [2025])
    corrected = values[1].copy()
    corrected[-1] += 0.3
    again = project(corrected, YEARS, labels=["和平区"], **kwargs)
    # the same random numbers: the paths move together, not by fresh noise (keyed by the
    # data instead, the correlation would be about 0)
    assert np.corrcoef(again.value_draws(2025)[0], alone.value_draws(2025)[0])[0, 1] > 0.9
    fresh = project(corrected, YEARS, **kwargs)
    assert abs(np.corrcoef(fresh.value_draws(2025)[0], alone.value_draws(2025)[0])[0, 1]) < 0.2
    with pytest.raises(hbkit.HbkitError, match="labels must name every series"):
        project(values, YEARS, labels=["河北区"], **kwargs)


def test_series_keys_ignore_missing_years_and_tell_copies_apart() -> None:
    row = np.array([[90.0, np.nan, 92.0, 93.0]])
    longer = np.array([[np.nan, 90.0, np.nan, 92.0, 93.0, np.nan]])
    assert series_keys(row, [2018, 2019, 2020, 2021])[0] == \
        series_keys(longer, [2017, 2018, 2019, 2020, 2021, 2022])[0]
    # the same values in other years are another series
    assert series_keys(row, [2018, 2019, 2020, 2021])[0] != \
        series_keys(row, [2019, 2020, 2021, 2022])[0]
    # counts enter the key: the same rates from other numbers of births
    k, n = np.array([[1.0, 2.0, 2.0]]), np.array([[4000.0, 4000.0, 4000.0]])
    assert series_keys(k / n, [2019, 2020, 2021], k, n)[0] != \
        series_keys(k / n, [2019, 2020, 2021], 2 * k, 2 * n)[0]
    keys = series_keys(np.vstack([row, row, row]), [2018, 2019, 2020, 2021])
    assert len(set(keys.tolist())) == 3 and keys[0] == series_keys(row, [2018, 2019, 2020,
                                                                           2021])[0]


def test_streams_of_a_subset_are_the_streams_of_those_series() -> None:
    streams = SeriesStreams.numbered(50, 300, (4, 1))
    rows = np.array([3, 17, 41])
    np.testing.assert_array_equal(streams.take(rows).normals(2, 3), streams.normals(2, 3)[rows])
    np.testing.assert_array_equal(streams.take(rows).uniforms(5), streams.uniforms(5)[rows])
    u = streams.uniforms(5)
    assert 0.45 < u.mean() < 0.55 and u.min() >= 0 and u.max() < 1


def test_bootstrap_p_value_of_a_series_does_not_depend_on_the_others() -> None:
    rng = np.random.default_rng(8)
    n = np.full((6, 8), 4000.0)
    k = rng.poisson(n * 1e-3 * rng.uniform(0.5, 2.0, (6, 8))).astype(float)  # 2-8 a year
    years = np.arange(2016, 2024)
    together = dispersion_test(years, k, n, "per_1000", seed=2)
    assert (together["p_method"] == "bootstrap").any()
    for i in range(6):
        alone = dispersion_test(years, k[i:i + 1], n[i:i + 1], "per_1000", seed=2)
        # another bootstrap draw would move p by 1 / 1000; the chi-square p by rounding only
        assert alone["p_value"].iloc[0] == pytest.approx(together["p_value"].iloc[i], rel=1e-12)
        assert alone["p_method"].iloc[0] == together["p_method"].iloc[i]


def test_a_district_assessed_alone_reads_as_it_reads_in_a_city_wide_call() -> None:
    ex = load_example("hebei_example")
    catalogue = ex.catalogue
    obs = ex.observations
    # few deaths (exact draws), a rate, coverage of every street (counts), values only
    keep = {"maternal_mortality_ratio", "infant_mortality_rate", "immunization_coverage",
            "female_life_expectancy"}
    obs = obs[obs["indicator"].isin(keep)].reset_index(drop=True)
    targets = [t for t in catalogue if t.indicator in keep]
    # another district (and its streets): other counts, one year less of data
    other = obs[obs["year"] > obs["year"].min()].copy()
    other["geo"] = "和平区·" + other["geo"].astype(str)
    counted = other["numerator"].notna()
    other.loc[counted, "numerator"] = np.minimum(other.loc[counted, "numerator"] + 1,
                                                 other.loc[counted, "denominator"])
    other.loc[counted, "value"] = np.nan
    other.loc[~counted, "value"] = other.loc[~counted, "value"] * 0.99
    city = pd.concat([other, obs], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alone = hbkit.assess(obs, targets, as_of=2023)
        both = hbkit.assess(city, targets, as_of=2023)
    ours = set(obs["geo"])
    for view in ("to_frame", "unit_frame"):
        mine = getattr(alone, view)().reset_index(drop=True)
        theirs = getattr(both, view)()
        theirs = theirs[theirs["geo"].isin(ours)].reset_index(drop=True)
        assert len(mine) == len(theirs) > 0
        pd.testing.assert_frame_equal(mine, theirs, check_exact=True)
    frame = alone.to_frame()
    assert len(frame) == 4 and frame["probability"].between(0.01, 0.99).all()


def test_how_series_are_cut_into_blocks_and_threads_changes_no_draw(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks bound memory (BLOCK_CELLS) and run in threads (n_jobs): neither may show in
    the draws, for value and count series alike."""
    import hbkit.models.engine as engine

    values = _values(9, 25)
    rng = np.random.default_rng(9)
    births = np.round(rng.uniform(3000, 5000, (25, 8)))
    deaths = rng.poisson(births * 1e-3).astype(float)
    kwargs = dict(target_year=2025, n_draws=200, seed=2)
    whole = project(values, YEARS, unit="percent", n_jobs=1, **kwargs)
    counted = project(deaths / births * 1e3, YEARS, unit="per_1000", numerators=deaths,
                      denominators=births, n_jobs=1, **kwargs)
    monkeypatch.setattr(engine, "BLOCK_CELLS", 3 * 200 * 2)  # three series a block
    cut = project(values, YEARS, unit="percent", n_jobs=2, **kwargs)
    cut_counts = project(deaths / births * 1e3, YEARS, unit="per_1000", numerators=deaths,
                         denominators=births, n_jobs=2, **kwargs)
    for year in (2024, 2025):
        np.testing.assert_array_equal(whole.value_draws(year), cut.value_draws(year))
        np.testing.assert_array_equal(counted.value_draws(year), cut_counts.value_draws(year))


def test_pooled_street_paths_do_not_depend_on_the_other_years_or_streets() -> None:
    """A city-wide call starts the year grid at the earliest year of any district: the
    streets' simulated years must not change with it, nor with the other streets."""
    from hbkit.pooling import pool_units

    rng = np.random.default_rng(4)
    n = np.round(rng.uniform(200, 900, (6, 8)))
    k = np.minimum(rng.binomial(n.astype(int), 0.95).astype(float), n)
    k[2, -1] = n[2, -1] = np.nan  # one street misses the last year: it is simulated
    values = k / n * 100
    district = np.nansum(k, axis=0) / np.nansum(n, axis=0) * 100
    streets = [f"河北区/{i}街道" for i in range(6)]
    draws = np.column_stack([np.tile(district, (300, 1)),
                             rng.normal(96.0, 0.5, (300, 2))])  # (S, 10): 2016-2025
    kw = dict(numerators=k, denominators=n, seed=3, labels=streets)
    short = pool_units(YEARS, values, district, draws, np.arange(2016, 2026), "percent", **kw)
    # the same streets on a grid four years longer (another district's first years)
    wide_years = np.arange(2012, 2024)
    pad = np.full((6, 4), np.nan)
    long = pool_units(wide_years, np.hstack([pad, values]), np.r_[np.full(4, np.nan), district],
                      np.column_stack([np.full((300, 4), 95.0), draws]),
                      np.arange(2012, 2026), "percent", numerators=np.hstack([pad, k]),
                      denominators=np.hstack([pad, n]), seed=3, labels=streets)
    np.testing.assert_array_equal(short.paths, long.paths[:, :, 4:])
    # a street's paths are its own: listed in another order, each street keeps its paths
    order = [4, 2, 0, 5, 1, 3]
    shuffled = pool_units(YEARS, values[order], district, draws, np.arange(2016, 2026),
                          "percent", numerators=k[order], denominators=n[order], seed=3,
                          labels=[streets[i] for i in order])
    np.testing.assert_array_equal(shuffled.paths, short.paths[order])
    assert short.paths[2, :, -3].std() > 0
    twins = pool_units(YEARS, values[[2, 2]], district, draws, np.arange(2016, 2026), "percent",
                       numerators=k[[2, 2]], denominators=n[[2, 2]], seed=3,
                       labels=["a/x", "a/y"])
    assert not np.array_equal(twins.paths[0, :, -3], twins.paths[1, :, -3])


def test_each_street_target_reads_the_same_when_another_district_starts_earlier() -> None:
    """To the last digit: the streets' paths and effects, and the numbers behind the
    fluctuation warnings, are computed on the district's own years, not on a grid that
    starts with the other district's first year (longer rows round differently)."""
    ex = load_example("hebei_example")
    obs = ex.observations
    keep = {"immunization_coverage", "hbv_mother_to_child_transmission_rate",
            "maternal_anemia_prevalence"}
    obs = obs[obs["indicator"].isin(keep)].reset_index(drop=True)
    targets = [t for t in ex.catalogue if t.indicator in keep]
    other = obs.copy()
    other["geo"] = other["geo"].astype(str).str.replace("河北区", "和平区", regex=False)
    early = other[other["year"] == other["year"].min()].copy()
    early["year"] -= 3  # the other district's data start three years earlier
    city = pd.concat([early, other, obs], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alone = hbkit.assess(obs, targets, as_of=2023, n_draws=300)
        both = hbkit.assess(city, targets, as_of=2023, n_draws=300)
    ours = set(obs["geo"])
    for view in ("to_frame", "unit_frame", "warnings_frame"):
        mine = getattr(alone, view)().reset_index(drop=True)
        theirs = getattr(both, view)()
        theirs = theirs[theirs["geo"].isin(ours)].reset_index(drop=True)
        assert len(mine) == len(theirs) > 0
        pd.testing.assert_frame_equal(mine, theirs, check_exact=True)
    assert alone.unit_frame()["probability"].notna().any()
    assert (alone.warnings_frame()["code"] == "fluctuation").any()


def test_counts_of_a_single_year_are_described_not_a_crash() -> None:
    """Alone, an indicator observed in one year only has a one-year grid (in a city-wide
    call the other districts' years widen it): its statistics must still be computed."""
    from hbkit.warnings_rules import series_statistics

    st = series_statistics(np.array([2023]), np.array([[60.0], [55.0]]),
                           np.array([[60.0], [55.0]]), np.array([[100.0], [100.0]]), "percent",
                           labels=["a", "b"])
    assert st["n_obs"].tolist() == [1, 1]
    assert st["max_abs_z"].isna().all()


def test_an_area_without_rows_of_an_indicator_reads_as_alone_where_nobody_has_them() -> None:
    """Alone, an indicator the district has no row of has no data at all ("no data for
    ..."); in a city-wide call the other districts' rows must not turn that into
    "0 observations", "the reference cannot be projected here" or "no data in its
    sub-units", and a call without any warning has the same column types."""
    ex = load_example("hebei_example")
    obs = ex.observations
    keep = {"female_life_expectancy", "female_share_of_party_congress_delegates",
            "female_share_of_party_members", "chc_child_care_general_practitioners"}
    obs = obs[obs["indicator"].isin(keep)].reset_index(drop=True)
    targets = [t for t in ex.catalogue if t.indicator in keep]
    assert {t.kind for t in targets} >= {"relational", "count_minimum", "direction"}
    other = obs.copy()
    other["geo"] = other["geo"].astype(str).str.replace("河北区", "和平区", regex=False)
    # ours: no life expectancy, no reference of the relational target, no GP counts
    mine = obs[obs["indicator"].isin({"female_share_of_party_congress_delegates"})]
    city = pd.concat([other, mine], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alone = hbkit.assess(mine, targets, as_of=2023, n_draws=200)
        both = hbkit.assess(city, targets, as_of=2023, n_draws=200)
    ours = set(mine["geo"])
    for view in ("to_frame", "warnings_frame"):
        a = getattr(alone, view)().reset_index(drop=True)
        b = getattr(both, view)()
        b = b[b["geo"].isin(ours)].reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert alone.to_frame()["reason_en"].str.startswith("no data for").sum() >= 3


def test_dispersion_fit_of_a_series_does_not_wait_for_the_others() -> None:
    """The GLM behind the dispersion test iterates until every row has converged: a row
    that had converged must stop there, not be moved on (in its last bits) by the
    iterations another area still needs."""
    k = np.array([[3719.0, 2029.0, 249.0, 187.0, 3631.0, 5631.0, 4449.0, 4261.0],
                  [1447.0, 2089.0, 1831.0, 16.0, 1285.0, 70.0, 1180.0, 279.0]])
    n = np.array([[12776.0, 5469.0, 915.0, 429.0, 16284.0, 18264.0, 12172.0, 14617.0],
                  [10918.0, 18708.0, 16335.0, 154.0, 17162.0, 768.0, 14620.0, 3596.0]])
    both = dispersion_test(YEARS, k, n, "per_1000", seed=1, labels=["a", "b"])
    one = dispersion_test(YEARS, k[:1], n[:1], "per_1000", seed=1, labels=["a"])
    numbers = one.select_dtypes("number").columns
    np.testing.assert_array_equal(both.iloc[:1][numbers].to_numpy(dtype=float),
                                  one[numbers].to_numpy(dtype=float))


def test_count_model_fit_of_a_series_does_not_wait_for_the_others() -> None:
    """The count GLM of project() too: a series' fit stops when it has converged."""
    from hbkit.models.counts import fit_counts

    k = np.array([[519.0, 1046.0, 684.0, 759.0, 1159.0, 148.0, 877.0, 311.0],
                  [1312.0, 774.0, 1626.0, 343.0, 1551.0, 1303.0, 830.0, 1321.0]])
    n = np.array([[1624.0, 3569.0, 2329.0, 2562.0, 3959.0, 509.0, 2915.0, 1026.0],
                  [4050.0, 2470.0, 4944.0, 956.0, 4817.0, 4015.0, 2432.0, 4077.0]])
    for trend in (True, False):
        one = fit_counts(k[:1], n[:1], YEARS.astype(float), "poisson", trend=trend)
        two = fit_counts(k, n, YEARS.astype(float), "poisson", trend=trend)
        assert (one.a[0], one.b[0], one.phi[0]) == (two.a[0], two.b[0], two.phi[0])
        np.testing.assert_array_equal(one.cov[0], two.cov[0])


def test_a_series_is_fitted_on_its_own_years_whatever_year_the_grid_starts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A city-wide grid starts at the earliest district's first year: a series' count
    model must be fitted on the same numbers as alone (sums over a longer row, even
    of zeros, round differently), so its parameters agree to the last bit."""
    import hbkit.models.engine as engine

    fitted: list[tuple[float, float]] = []
    real_fit = engine.fit_counts

    def recording_fit(k, n, x, *args, **kwargs):  # type: ignore[no-untyped-def]
        fit = real_fit(k, n, x, *args, **kwargs)
        fitted.append((float(fit.a[0]), float(fit.b[0])))
        return fit

    monkeypatch.setattr(engine, "fit_counts", recording_fit)
    rng = np.random.default_rng(0)
    births = np.round(rng.uniform(500, 5000, (1, 8)))
    deaths = rng.binomial(births.astype(int), 0.03).astype(float)
    kwargs = dict(target_year=2025, unit="per_1000", n_draws=50, seed=1, labels=["X"])
    project(deaths / births * 1000, YEARS, numerators=deaths, denominators=births, **kwargs)
    alone = list(fitted)
    fitted.clear()
    for pad in (1, 3, 5):
        k = np.hstack([np.full((1, pad), np.nan), deaths])
        n = np.hstack([np.full((1, pad), np.nan), births])
        project(k / n * 1000, np.arange(2016 - pad, 2024), numerators=k, denominators=n,
                **kwargs)
        assert fitted == alone
        fitted.clear()
