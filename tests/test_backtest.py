"""hbkit.backtest (package hbkit.backtesting): cases, no look-ahead, baselines on the same cases, and a calibration guard."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from hbkit.backtesting import BacktestResult, TargetRule, backtest
from hbkit.backtesting.calibrate import split_geos
from hbkit.backtesting.result import recalibrated_bands
from hbkit.cli import main as cli_main
from hbkit.datasets import load_example
from hbkit.exceptions import HbkitError, HbkitWarning
from hbkit.models import project

U5MR = "under5_mortality_rate"


@pytest.fixture(scope="module")
def igme() -> pd.DataFrame:
    frame = load_example("igme2021").observations
    return frame[frame["indicator"] == U5MR]


@pytest.fixture(scope="module")
def small(igme: pd.DataFrame) -> BacktestResult:
    geos = sorted(igme["geo"].unique())[:12]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return backtest(igme, origins=[2010, 2013], horizon=(2, 5), geos=geos, n_draws=400)


def test_public_entry_points() -> None:
    import hbkit.backtesting  # importing the package must not shadow the function

    assert hbkit.backtest is backtest
    assert hbkit.TargetRule is TargetRule is hbkit.backtesting.TargetRule
    assert hbkit.BacktestResult is BacktestResult


def test_case_table(small: BacktestResult) -> None:
    cases = small.cases
    # 12 countries x 2 origins x 2 horizons x 6 default rules
    assert len(cases) == 12 * 2 * 2 * 6
    for column in ("indicator", "geo", "origin", "horizon", "kind", "threshold", "probability",
                   "outcome", "projected", "lo_80", "hi_80", "lo_95", "hi_95", "actual"):
        assert column in cases.columns
    assert set(cases.outcome.unique()) <= {0.0, 1.0}
    assert cases.probability.between(0, 1).all()
    assert (cases.lo_95 <= cases.lo_80).all() and (cases.hi_80 <= cases.hi_95).all()
    assert (cases.target_year == cases.origin + cases.horizon).all()


def test_years_observed_in_the_window(igme: pd.DataFrame) -> None:
    """``n_obs`` counts the years with a value among the ``window`` years the model saw,
    and scores can be broken down by it."""
    geos = sorted(igme["geo"].unique())[:3]
    data = igme[igme["geo"].isin(geos)]
    # the second country loses 2008 and 2009 (inside the 2003-2010 window), the third 2011
    # (after the origin: the model does not see it)
    gaps = ((data["geo"] == geos[1]) & data["year"].isin([2008, 2009])) | (
        (data["geo"] == geos[2]) & (data["year"] == 2011))
    result = backtest(data[~gaps], origins=[2010], horizon=2, window=8, n_draws=200)
    per_geo = result.cases.groupby("geo")["n_obs"].unique()
    assert {g: list(v) for g, v in per_geo.items()} == {geos[0]: [8], geos[1]: [6], geos[2]: [8]}
    by_years = result.scores(by="n_obs")
    assert by_years["n_obs"].tolist() == [6, 8]
    assert by_years["n_cases"].tolist() == [len(result.cases) // 3, 2 * len(result.cases) // 3]


def test_outcome_and_point_forecast_are_what_happened(small: BacktestResult,
                                                      igme: pd.DataFrame) -> None:
    case = small.cases.query("rule == 'relative_change 4%/yr' and origin == 2010 "
                             "and horizon == 5").iloc[0]
    value = igme.set_index(["geo", "year"])["value"]
    at_origin, at_target = value[(case.geo, 2010)], value[(case.geo, 2015)]
    assert case.actual == at_target
    assert case.outcome == float(at_target <= (1 - case.threshold / 100) * at_origin)
    assert case.threshold == pytest.approx(100 * (1 - 0.96**5))
    # the projection used the 8 years up to the origin only (same series, same seed)
    geos = sorted(small.cases.geo.unique())
    wide = (igme[igme.geo.isin(geos) & igme.year.between(2003, 2010)]
            .pivot(index="geo", columns="year", values="value").loc[geos])
    p = project(wide.to_numpy(float), np.arange(2003, 2011), target_year=2015,
                unit="per_1000", n_draws=400, seed=2010)
    assert case.projected == pytest.approx(p.median(2015)[geos.index(case.geo)])
    # the model's own probability of its printed interval: the share of those draws inside
    draws = p.value_draws(2015)[geos.index(case.geo)]
    for level in ("80", "95"):
        lo, hi = case[f"lo_{level}"], case[f"hi_{level}"]
        assert case[f"model_coverage_{level}"] == pytest.approx(
            np.mean((draws >= lo) & (draws <= hi)))


def test_interval_check_sets_what_the_intervals_held_beside_what_the_model_said() -> None:
    """Few deaths a year: 0 deaths is one lump, kept whole at the lower end of the printed
    80% interval, whose upper end then leaves the whole 20% above (equal tails held 0.92 of
    the model's own probability here); the share of actual values inside agrees with it
    and the PIT coverage stays near 0.8."""
    rng = np.random.default_rng(4)
    years = np.arange(2008, 2021)
    births = 4000
    rows = [{"indicator": "mmr_like", "geo": f"D{g:03d}", "year": int(y), "unit": "per_100k",
             "numerator": float(rng.poisson(births * 25e-5)), "denominator": float(births)}
            for g in range(150) for y in years]
    data = pd.DataFrame(rows)
    data["value"] = data.numerator / data.denominator * 1e5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = backtest(data, origins=[2015], horizon=3, n_draws=1000,
                          directions={"mmr_like": "decrease"})
    check = result.interval_check().iloc[0]
    assert check.n_forecasts == 150
    # Poisson(1) deaths: [0, the 80% mid-quantile] holds about 0.81 (measured 0.808)
    assert abs(check.model_coverage_80 - 0.80) < 0.03
    assert abs(check.coverage_80 - check.model_coverage_80) < 0.07   # sd about 0.025
    assert abs(check.pit_coverage_80 - 0.80) < 0.08
    by_geo = result.interval_check(by="geo")
    assert len(by_geo) == 150 and set(by_geo.n_forecasts) == {1}


def test_no_look_ahead(igme: pd.DataFrame) -> None:
    geos = sorted(igme["geo"].unique())[:5]
    data = igme[igme.geo.isin(geos)]
    changed = data.copy()
    after = changed.year > 2010
    changed.loc[after, "value"] = changed.loc[after, "value"] * 3.0
    a = backtest(data, origins=[2010], horizon=3, n_draws=300).cases
    b = backtest(changed, origins=[2010], horizon=3, n_draws=300).cases
    columns = ["probability", "projected", "lo_80", "hi_95", "p_status_quo", "p_eurostat",
               "p_unsd", "p_dns", "p_ols_t"]
    pd.testing.assert_frame_equal(a[columns], b[columns])
    assert not a.outcome.equals(b.outcome)  # what happened did change


def test_compare_scores_every_method_on_the_same_cases(small: BacktestResult) -> None:
    table = small.compare()
    assert table.method.tolist() == ["hbkit", "status_quo", "eurostat", "unsd", "dns", "ols_t",
                                     "eurostat_bands", "unsd_bands", "dns_bands"]
    assert table.n_scored.nunique() == 1
    # deterministic baselines: Brier = share of wrong 0/1 forecasts = ECE
    det = table[table.method.isin(["status_quo", "eurostat", "dns"])]
    np.testing.assert_allclose(det.brier, det.ece)
    assert np.isfinite(table.loc[table.method == "ols_t", "coverage_80"]).all()
    by = small.compare(by="horizon")
    assert set(by.horizon) == {2, 5}


def test_brier_decomposition_on_the_cases_of_compare(small: BacktestResult) -> None:
    table = small.compare(by="horizon").set_index(["horizon", "method"])
    parts = small.brier_decomposition(by="horizon").set_index(["horizon", "method"])
    assert parts.index.equals(table.index)
    np.testing.assert_allclose(parts.brier, table.brier)
    assert (parts.n_scored == table.n_scored).all()
    # 0/1 calls take one value per bin: Murphy's three terms alone add up
    det = parts.loc[(slice(None), ["status_quo", "eurostat", "dns"]), :]
    np.testing.assert_allclose(det.within_bin_variance, 0, atol=1e-15)
    np.testing.assert_allclose(det.reliability - det.resolution + det.uncertainty, det.brier)
    # the same cases for every method: one uncertainty per horizon
    assert (parts.groupby(level="horizon").uncertainty.nunique() == 1).all()


def test_scores_by_group_and_reliability(small: BacktestResult) -> None:
    by_kind = small.scores(by="kind")
    assert set(by_kind.kind) == {"relative_change", "direction"}
    assert by_kind.n_cases.sum() == len(small.cases)
    table = small.reliability()
    assert table.n.sum() == len(small.cases)
    ax = small.plot(lang="en")
    assert ax.get_xlabel()
    two_keys = small.reliability(by=["kind", "horizon"])
    assert list(two_keys.columns[:2]) == ["kind", "horizon"]


def test_pit_columns_and_histogram_agree_with_the_intervals(small: BacktestResult) -> None:
    points = small.cases.drop_duplicates(["family", "indicator", "geo", "origin", "target_year"])
    assert (points.pit_lo <= points.pit_hi).all()
    inside = (points.actual >= points.lo_80) & (points.actual <= points.hi_80)
    # an actual value inside the 80% interval has a PIT between about 0.1 and 0.9
    assert (points.pit_hi[inside] >= 0.1 - 1e-9).all() and (points.pit_lo[inside] <= 0.9).all()
    hist = small.pit_histogram(by="horizon")
    assert list(hist.columns[:1]) == ["horizon"]
    assert hist.groupby("horizon").share.sum().to_numpy() == pytest.approx([1.0, 1.0])
    assert set(hist.n) == set(points.groupby("horizon").size())


def test_status_quo_never_meets_a_required_change(small: BacktestResult) -> None:
    cases = small.cases
    rel = cases[(cases.kind == "relative_change") & (cases.baseline_year == cases.origin)]
    assert len(rel) and (rel.p_status_quo == 0).all()


def test_catalogue_targets_on_china() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = backtest(load_example("china"), origins=[2016, 2017], horizon=5, n_draws=300)
    cases = result.cases
    assert set(cases.geo) == {"CN"}
    assert (cases.target_year == 2020).all()
    imr = cases[cases.target_id == "CN-C-health-infant-mortality-fyp13"]
    assert len(imr) == 2 and (imr.outcome == 1.0).all()  # 5.4 <= 7.5 in 2020


def test_split_geos_is_reproducible() -> None:
    a = split_geos([f"G{i}" for i in range(11)], seed=3)
    assert a == split_geos([f"G{i}" for i in range(11)], seed=3)
    assert not set(a[0]) & set(a[1])


def test_cli_backtest(tmp_path, igme: pd.DataFrame, capsys) -> None:  # type: ignore[no-untyped-def]
    data = igme[igme.geo.isin(sorted(igme.geo.unique())[:4])]
    path = tmp_path / "u5mr.csv"
    data.to_csv(path, index=False)
    code = cli_main(["backtest", str(path), "--origins", "2010-2011", "--horizon", "2",
                     "--n-draws", "200", "--out", str(tmp_path / "out")])
    assert code == 0
    assert "hbkit" in capsys.readouterr().out
    for name in ("cases.csv", "scores.csv", "compare.csv", "decomposition.csv", "intervals.csv",
                 "interval_check.csv", "reliability.png"):
        assert (tmp_path / "out" / name).exists()
    check = pd.read_csv(tmp_path / "out" / "interval_check.csv").iloc[0]
    assert check.coverage_80 == pytest.approx(
        pd.read_csv(tmp_path / "out" / "scores.csv").iloc[0].coverage_80)
    parts = pd.read_csv(tmp_path / "out" / "decomposition.csv").set_index("method")
    compared = pd.read_csv(tmp_path / "out" / "compare.csv").set_index("method")
    np.testing.assert_allclose(parts.brier, compared.loc[parts.index, "brier"])
    intervals = pd.read_csv(tmp_path / "out" / "intervals.csv")
    brier = intervals.set_index("metric").loc["brier"]
    scores = pd.read_csv(tmp_path / "out" / "scores.csv").iloc[0]
    assert brier.estimate == pytest.approx(scores.brier)
    assert brier.lo <= brier.estimate <= brier.hi
    assert brier.cluster == "series"  # 4 countries: too few to resample countries
    assert cli_main(["backtest", str(tmp_path / "missing.csv")]) == 2


def test_cli_backtest_takes_example_names_in_both_spellings(capsys) -> None:  # type: ignore[no-untyped-def]
    for data in ("dtp3", "example:dtp3"):
        assert cli_main(["backtest", data, "--origins", "2016", "--horizon", "2",
                         "--n-draws", "100"]) == 0
    assert "hbkit" in capsys.readouterr().out
    assert cli_main(["backtest", "example:no_such_example"]) == 2


def test_recalibrated_bands_are_hit_rates_of_the_other_half(small: BacktestResult) -> None:
    cases = small.cases
    recal = recalibrated_bands(cases)
    fit, _ = split_geos(cases.geo.astype(str))
    row = cases[cases.geo.isin(fit) & cases.band_eurostat.notna()].iloc[0]
    other = cases[~cases.geo.isin(fit) & (cases.kind == row.kind)
                  & (cases.band_eurostat == row.band_eurostat)]
    assert len(other)
    assert recal.loc[row.name, "p_eurostat_bands"] == pytest.approx(other.outcome.mean())
    assert recal.p_dns_bands.between(0, 1).all()


def test_recalibrated_bands_learn_within_the_family_first() -> None:
    """The same label can mean different odds in different data: hit rates come from the
    other half of the case's own family, and from every family only when it has none."""
    geos = [f"G{i:02d}" for i in range(20)]
    fit, _ = split_geos(geos)
    rows = []
    for family, met in (("A", [1, 1, 1, 0]), ("B", [0, 0, 0, 1])):
        for geo in geos:
            for outcome in met:
                rows.append({"family": family, "geo": geo, "kind": "relative_change",
                             "outcome": float(outcome), "band_eurostat": "on_track",
                             "p_eurostat": 1.0, "band_unsd": "on_track", "p_unsd": 1.0,
                             "band_dns": "sun", "p_dns": 1.0})
    rows.append({"family": "C", "geo": fit[0], "kind": "relative_change", "outcome": 1.0,
                 "band_eurostat": "on_track", "p_eurostat": 1.0, "band_unsd": "on_track",
                 "p_unsd": 1.0, "band_dns": "sun", "p_dns": 1.0})
    cases = pd.DataFrame(rows)
    recal = recalibrated_bands(cases)
    assert recal.p_eurostat_bands[cases.family == "A"].to_numpy() == pytest.approx(0.75)
    assert recal.p_eurostat_bands[cases.family == "B"].to_numpy() == pytest.approx(0.25)
    # family C has one geo, so no other half of its own: every family's other half (0.5)
    assert recal.p_eurostat_bands[cases.family == "C"].iloc[0] == pytest.approx(0.5)


def test_every_series_origin_and_rule_is_a_case_or_a_skip_with_its_reason(igme) -> None:
    """Nothing is dropped silently: an area without a value in the window the model sees and
    an origin after the data's last year are listed in settings["skipped"] with the reason,
    and with the cases they account for every (area, origin, rule, horizon)."""
    geos = ["CHN", "IND", "BRA", "NGA", "FRA", "KEN"]
    sub = igme[igme["geo"].isin(geos) & (igme["indicator"] == "under5_mortality_rate")]
    sub = sub[~((sub["geo"] == "FRA") & sub["year"].between(2003, 2010))]  # empty window
    rules = [TargetRule("relative_change", rate=3.0), TargetRule("direction")]
    with pytest.warns(HbkitWarning, match=r"origins 2030 gave no backtest case: 2030: no year "
                      r"of data after the origin \(the data end in 2020\)"):
        result = backtest(sub, rules, origins=[2010, 2030], horizon=(2, 5), n_draws=100, seed=1)
    skipped = result.settings["skipped"]
    assert result.skipped.equals(skipped)
    reasons = result.skipped_reasons()
    assert reasons["n"].sum() == len(skipped) and reasons["n"].is_monotonic_decreasing
    assert f"{len(skipped)} skipped" in repr(result)
    per_area = skipped[skipped["geo"] != ""]
    all_areas = skipped[skipped["geo"] == ""]
    assert set(per_area["geo"]) == {"FRA"} and set(per_area["origin"]) == {2010}
    assert per_area["reason"].str.contains("no value in the window 2003-2010").all()
    assert set(all_areas["origin"]) == {2030}
    assert all_areas["reason"].str.contains("no year of data after the origin").all()
    expected = len(geos) * 2 * len(rules) * 2
    assert len(result.cases) + len(per_area) + len(all_areas) * len(geos) == expected


def test_a_rule_that_builds_no_target_is_listed(igme) -> None:
    sub = igme[igme["geo"].isin(["CHN", "IND"])
               & (igme["indicator"] == "under5_mortality_rate")]
    rules = [TargetRule("direction"), TargetRule("upper_bound", threshold=5.0)]
    result = backtest(sub, rules, origins=[2010], horizon=2, n_draws=100, seed=1,
                      directions={U5MR: "none"})
    skipped = result.settings["skipped"]
    assert skipped["rule"].tolist() == ["direction"]
    assert skipped["reason"].str.contains("no desired direction").all()
    assert len(result.cases) == 2  # the bound, in both areas


def test_skip_reasons_are_chinese_then_english_and_counted_per_cause(igme) -> None:
    """Each reason reads 中文 / English, the same text for the same cause (so counting them
    counts the causes); the warning and labelled() give each language its half."""
    sub = igme[igme["geo"].isin(["CHN", "FRA"])]
    sub = sub[~((sub["geo"] == "FRA") & sub["year"].between(2003, 2010))]  # empty window
    rules = [TargetRule("upper_bound", threshold=5.0), TargetRule("direction")]
    with pytest.warns(HbkitWarning) as caught:
        result = backtest(sub, rules, origins=[2010, 2030], horizon=2, n_draws=100, seed=1,
                          directions={U5MR: "none"})
    no_direction = "预测 2 年：该指标没有期望方向 / horizon 2: no desired direction for the indicator"
    # the direction rule builds nothing at either origin; at 2030 the bound has no later
    # year; at 2010 FRA has no value in the window 2003-2010 the model sees
    assert dict(zip(*result.skipped_reasons().to_dict("list").values(), strict=True)) == {
        no_direction: 2,
        "起始年份之后没有数据（数据止于 2020 年） / no year of data after the origin "
        "(the data end in 2020)": 1,
        "窗口 2003-2010 内没有数值 / no value in the window 2003-2010": 1,
    }
    message = next(str(w.message) for w in caught if "2030" in str(w.message))
    assert message == ("起始年份 2030 没有产生任何回测案例：2030：预测 2 年：该指标没有期望方向 / "
                       "origins 2030 gave no backtest case: 2030: horizon 2: no desired "
                       "direction for the indicator")
    assert set(result.labelled("skipped", "en")["Reason"]) == {
        "horizon 2: no desired direction for the indicator",
        "no year of data after the origin (the data end in 2020)",
        "no value in the window 2003-2010"}
    assert set(result.labelled("skipped", "zh")["说明"]) == {
        "预测 2 年：该指标没有期望方向", "起始年份之后没有数据（数据止于 2020 年）", "窗口 2003-2010 内没有数值"}


def test_a_case_the_model_cannot_judge_says_why_in_both_languages(igme) -> None:
    """A window with too few values keeps its case row, outcome judged but no probability, and
    its reason reads 中文 / English, as ``skipped``'s do; labelled() gives each its half."""
    sub = igme[igme["geo"].isin(["CHN", "FRA"])]
    sub = sub[~((sub["geo"] == "FRA") & sub["year"].between(2003, 2008))]  # 2 values in the window
    result = backtest(sub, [TargetRule("upper_bound", threshold=5.0)], origins=[2010],
                      horizon=2, n_draws=100, seed=1)
    cases = result.cases.set_index("geo")
    assert cases.loc["FRA", "reason"] == "仅有2个观测值，至少需要3个 / 2 observations, 3 needed"
    assert np.isnan(cases.loc["FRA", "probability"])
    assert pd.isna(cases.loc["CHN", "reason"]) and np.isfinite(cases.loc["CHN", "probability"])
    assert result.labelled("cases", "en").set_index("Area").loc["FRA", "Reason"] == \
        "2 observations, 3 needed"


def test_catalogue_targets_no_backtest_judges_say_why_in_both_languages(igme) -> None:
    """A catalogue's targets that no case can judge are listed once, without an origin,
    each with its 中文 / English reason, and an origin chosen beside them is named."""
    from hbkit import Catalogue, Target

    common = {"unit": "per_1000", "target_year": 2015}
    catalogue = Catalogue([
        Target(id="judged", indicator=U5MR, kind="upper_bound", threshold=10.0, **common),
        Target(id="words", indicator=U5MR, kind="qualitative", **common),
        Target(id="streets", indicator=U5MR, kind="upper_bound", threshold=10.0,
               each_unit="street", **common),
        Target(id="absent", indicator="not_in_the_data", kind="upper_bound", threshold=1.0,
               **common),
    ], default_geo="CHN")
    with pytest.warns(HbkitWarning, match=r"起始年份 2030 没有产生任何回测案例：2030：其后 1-3 年内"
                      r"没有目标年份 / origins 2030 gave no backtest case: 2030: no target year "
                      r"1-3 years after it$"):
        result = backtest(igme, catalogue, origins=[2012, 2030], horizon=3, n_draws=100, seed=1)
    assert set(result.cases["target_id"]) == {"judged"}
    listed = result.skipped.set_index("target_id")
    assert listed["origin"].isna().all()
    assert listed["reason"].to_dict() == {
        "words": "定性目标，不评分 / qualitative target, not scored",
        "streets": "分单位（如各街道）达标的目标不回测 / each-street targets are not backtested",
        "absent": "数据中没有该指标 / no data for the indicator",
    }


def test_origins_that_ask_for_no_case_are_named(igme) -> None:
    """A catalogue origin whose targets' years are not 1-horizon years ahead asks for no
    case: a warning names it when other origins give cases, the error names the target
    years when none does."""
    china = load_example("china")
    with pytest.warns(HbkitWarning, match="origins 2030 gave no backtest case: 2030: no "
                      "target year 1-5 years after it"):
        result = backtest(china, origins=[2017, 2030], horizon=5, n_draws=100, seed=1)
    assert set(result.cases["origin"]) == {2017} and not repr(result).count("2030")
    with pytest.raises(HbkitError, match=r"目录的目标年份（2020, 2025）须在起始年份之后 1-3 年"):
        backtest(china, origins=[2012, 2013], horizon=3, n_draws=100, seed=1)
    with pytest.raises(HbkitError, match=r"；未成为案例：1 个 起始年份之后没有数据（数据止于 2020 年） / "
                       r".*skipped: 1 x no year of data after the origin \(the data end in 2020\)$"):
        backtest(igme[igme["geo"] == "CHN"], [TargetRule("direction")], origins=[2030],
                 horizon=2, n_draws=100, seed=1)


def test_bad_backtest_input_is_refused_in_chinese_and_english(igme) -> None:
    """Each input error names the rule in Chinese first, then in English, with the value."""
    one = igme[igme["geo"] == "CHN"]
    cases = [
        (dict(observations=[1, 2]), r"^observations 须为 .* / observations must be .*received list"),
        (dict(observations=one.drop(columns="year")), r"^观测数据缺少列 year / .*lack the column"),
        (dict(observations=pd.concat([one, one])), r"^指标 .* 行的（地区, 年份）重复.* / .*repeated"),
        (dict(observations=one, horizon=0), r"^horizon（预测年数）须为一个或多个正整数；收到 0 / "),
        (dict(observations=one, window=1), r"^window（窗口年数）须不少于 2；收到 1 / window must"),
    ]
    for kwargs, message in cases:
        with pytest.raises(HbkitError, match=message):
            backtest(origins=[2012], n_draws=100, seed=1, **kwargs)
    units = one.assign(unit=np.where(one["year"] < 2000, "per_1000", "per_100k"))
    with pytest.raises(HbkitError, match=r"^指标 .* 有多个单位：per_1000, per_100k；.* / indicator"):
        backtest(units, origins=[2012], n_draws=100, seed=1)
