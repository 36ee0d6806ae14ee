"""hbkit.assess: every (target, area) row kept, statuses, final evaluation, kinds, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import hbkit
from hbkit import Catalogue, StatusRules, Target
from hbkit.assessment import FRAME_COLUMNS
from hbkit.exceptions import HbkitError

DISTRICT = "河北区"
STREETS = ["光复道街道", "望海楼街道", "鸿顺里街道", "新开河街道", "铁东路街道", "王串场街道"]
DRAWS = 400


def row(indicator, year, value, geo=DISTRICT, unit="percent", numerator=np.nan,
        denominator=np.nan, source="测试数据"):
    return {"indicator": indicator, "geo": geo, "year": year, "value": value, "unit": unit,
            "numerator": numerator, "denominator": denominator, "source": source}


def series(indicator, years, values, **kw):
    return [row(indicator, int(y), float(v), **kw) for y, v in zip(years, values, strict=True)]


def target(tid, indicator, kind, threshold=None, unit="percent", **kw):
    return Target(id=tid, indicator=indicator, kind=kind, threshold=threshold, unit=unit,
                  domain=kw.pop("domain", "health"), name_zh=kw.pop("name_zh", tid), **kw)


def run(rows, targets, **kw):
    kw.setdefault("n_draws", DRAWS)
    return hbkit.assess(pd.DataFrame(rows), catalogue=Catalogue(targets), **kw)


def one(result, tid, geo=DISTRICT):
    f = result.to_frame()
    return f[(f.target_id == tid) & (f.geo == geo)].iloc[0]


YEARS = np.arange(2016, 2024)
RISING = [90.0, 91.0, 92.0, 92.8, 93.5, 94.0, 94.6, 95.1]


# ------------------------------------------------------------------ rows and columns
def test_every_target_area_row_is_kept_with_a_status_and_reason():
    targets = [
        target("a", "cov", "lower_bound", 90),
        target("b", "missing_indicator", "lower_bound", 90),
        Target(id="q", kind="qualitative", domain="health", name_zh="定性"),
        target("c", "short", "lower_bound", 90),
    ]
    rows = series("cov", YEARS, RISING) + series("cov", YEARS, RISING, geo="和平区")
    rows += series("short", [2022, 2023], [80.0, 82.0])
    res = run(rows, targets)
    f = res.to_frame()
    assert len(f) == 4 * 2  # 4 targets x 2 areas, whatever the data
    assert set(f.geo) == {DISTRICT, "和平区"}
    assert (f[f.target_id == "b"].status == "no_data").all()
    assert f[f.target_id == "b"].reason.str.contains("no data").all()
    assert (f[f.target_id == "q"].status == "not_quantifiable").all()
    assert f[f.target_id == "q"].probability.isna().all()
    short = one(res, "c")
    assert short.status == "insufficient_data"
    assert "3" in short.reason and isinstance(short.reason, str)
    # the area without the short series has no data for it
    assert one(res, "c", "和平区").status == "no_data"


def test_to_frame_columns_are_exactly_the_contract():
    res = run(series("cov", YEARS, RISING), [target("a", "cov", "lower_bound", 90)])
    assert tuple(res.to_frame().columns) == FRAME_COLUMNS
    f = res.to_frame()
    assert f.status_zh.iloc[0] in ("已实现", "提前实现")
    w = res.warnings_frame()
    assert list(w.columns[:5]) == ["target_id", "geo", "code", "text_zh", "text_en"]


def test_other_levels_give_their_own_columns():
    res = run(series("cov", YEARS, RISING), [target("a", "cov", "lower_bound", 99)], level=(90,))
    f = res.to_frame()
    assert {"lo_90", "hi_90"} <= set(f.columns) and "lo_80" not in f.columns
    assert f.lo_90.iloc[0] <= f.projected.iloc[0] <= f.hi_90.iloc[0]


def test_no_data_at_all_gives_no_data_rows_in_the_default_area():
    empty = pd.DataFrame(columns=["indicator", "geo", "year", "value", "unit"])
    res = hbkit.assess(empty, catalogue=Catalogue([target("a", "cov", "lower_bound", 90)]),
                       n_draws=DRAWS)
    f = res.to_frame()
    assert f[["geo", "status"]].values.tolist() == [[DISTRICT, "no_data"]]
    assert res.as_of is None


# ------------------------------------------------------------------ statuses
def test_probability_bands_and_projection_in_bounds():
    rows = series("cov", YEARS, RISING)
    res = run(rows, [target("hi", "cov", "lower_bound", 99.5), target("lo", "cov", "lower_bound", 96)])
    hi, lo = one(res, "hi"), one(res, "lo")
    assert hi.probability < lo.probability  # P monotone in the threshold
    assert 0 <= hi.lo_95 <= hi.lo_80 <= hi.projected <= hi.hi_80 <= hi.hi_95 <= 100
    rules = StatusRules()
    for r in (hi, lo):
        expected = ("on_track" if r.probability >= rules.on_track else
                    "at_risk" if r.probability >= rules.at_risk else "off_track")
        assert r.status == expected
    assert "hard_to_reach" in hi.warnings
    w = res.warnings_frame()
    hard = w[(w.target_id == "hi") & (w.code == "hard_to_reach")].iloc[0]
    assert hard.expected_shortfall > 0
    assert np.isfinite(hard.required_annual_change) and np.isfinite(hard.achieved_annual_change)
    assert "预计达标困难" in hard.text_zh


def test_early_achievement_and_its_switch():
    rows = series("cov", YEARS, RISING)
    t = target("a", "cov", "lower_bound", 95)
    res = run(rows, [t], as_of=2023)
    r = one(res, "a")
    assert r.status == "achieved" and r.status_zh == "提前实现"
    strict = run(rows, [t], as_of=2023, rules=StatusRules(early_achievement=False))
    assert one(strict, "a").status != "achieved"


def test_as_of_uses_only_earlier_years():
    rows = series("cov", YEARS, RISING)
    t = target("a", "cov", "lower_bound", 95)
    cut = run(rows, [t], as_of=2020)
    r = one(cut, "a")
    assert r.latest_year == 2020 and r.n_obs == 5 and r.latest_value == 93.5
    assert cut.as_of == 2020
    assert cut.observations.year.max() == 2020
    manual = run([x for x in rows if x["year"] <= 2020], [t])
    pd.testing.assert_frame_equal(cut.to_frame(), manual.to_frame())


def test_latest_missing_warning():
    rows = series("cov", YEARS, RISING) + series("other", YEARS[:-2], RISING[:-2])
    res = run(rows, [target("a", "other", "lower_bound", 99), target("b", "cov", "lower_bound", 90)])
    r = one(res, "a")
    assert "latest_missing" in r.warnings
    assert "latest_missing" not in one(res, "b").warnings
    w = res.warnings_frame()
    lm = w[w.code == "latest_missing"].iloc[0]
    assert lm.as_of == 2023 and lm.last_year == 2021
    assert "2023" in lm.text_zh


@pytest.mark.filterwarnings("ignore:监测年份.*晚于数据的最后年份")  # as_of after the data, on purpose
def test_latest_missing_after_the_target_year_asks_for_the_target_year_only():
    # assessed as of 2027 with data to 2025: the final evaluation has its 2025 values, so no
    # "2027年无数据" warning; a series ending in 2024 misses its target year, and says 2025
    years = np.arange(2017, 2026)
    values = [90.0, 91.0, 92.0, 92.8, 93.5, 94.0, 94.6, 95.1, 95.5]
    rows = series("cov", years, values) + series("other", years[:-1], values[:-1])
    res = run(rows, [target("a", "cov", "lower_bound", 90), target("b", "other", "lower_bound", 90)],
              as_of=2027)
    assert res.final and "latest_missing" not in one(res, "a").warnings
    w = res.warnings_frame()
    lm = w[w.code == "latest_missing"]
    assert lm["target_id"].tolist() == ["b"]
    assert (lm.iloc[0].as_of, lm.iloc[0].last_year) == (2025, 2024)
    assert "2025年无数据" in lm.iloc[0].text_zh


def test_latest_missing_names_a_missing_target_year_even_with_a_later_value():
    # final evaluation (as of 2026) of a 2025 target: 2025 is missing but 2026 is observed.
    # The documented rule (status-warnings.md 3.4) asks for the target year's value, so the
    # warning fires and names 2025; the latest year observed (2026) is not a substitute
    years = [2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2026]
    values = [90.0, 91.0, 92.0, 92.8, 93.5, 94.0, 94.6, 95.1, 95.9]
    res = run(series("cov", years, values), [target("a", "cov", "lower_bound", 90)], as_of=2026)
    r = one(res, "a")
    assert r.latest_year == 2026 and r.status_zh != "已实现"  # judged on the model for 2025
    assert "latest_missing" in r.warnings
    lm = res.warnings_frame().query("code == 'latest_missing'").iloc[0]
    assert (lm.as_of, lm.last_year) == (2025, 2026)
    assert "2025年无数据" in lm.text_zh


# ------------------------------------------------------------------ final evaluation
def test_final_evaluation_by_the_plans_own_rule():
    years = np.arange(2018, 2026)
    rows = series("imr", years, [6.0, 5.8, 5.5, 5.3, 5.2, 5.0, 4.9, 4.8], unit="per_1000")
    rows += series("cov", years, [96.0, 96.5, 97.0, 97.2, 94.0, 97.5, 97.8, 98.0])
    rows += series("bad", years, [7.0, 6.9, 6.8, 6.9, 7.1, 7.0, 7.2, 7.3], unit="per_1000")
    targets = [
        target("met", "imr", "upper_bound", 5.0, unit="per_1000"),
        target("missed", "bad", "upper_bound", 5.0, unit="per_1000"),
        target("broken", "cov", "maintain", 95.0, direction="increase", baseline_year=2020),
    ]
    res = run(rows, targets, as_of=2025)
    assert res.final
    met, missed, broken = one(res, "met"), one(res, "missed"), one(res, "broken")
    assert (met.status, met.status_zh, met.probability) == ("achieved", "已实现", 1.0)
    assert (missed.status, missed.status_zh, missed.probability) == ("off_track", "未实现", 0.0)
    # 2022 broke the rule even though 2025 meets it
    assert (broken.status, broken.probability) == ("off_track", 0.0)
    assert "hard_to_reach" not in missed.warnings  # no forecast warning after the target year


def test_final_evaluation_of_an_every_year_rule_names_the_years_not_observed():
    # 保持95%以上 2021-2025 met in 2021, 2023, 2024, 2025, with 2022 not reported: 已实现 on
    # the observed years, and the reason says 2022 could not be checked
    years = [2018, 2019, 2020, 2021, 2023, 2024, 2025]
    rows = series("cov", years, [96.0, 96.5, 97.0, 97.2, 97.5, 97.8, 98.0])
    t = target("m", "cov", "maintain", 95.0, direction="increase", baseline_year=2020)
    r = one(run(rows, [t], as_of=2025), "m")
    assert (r.status_zh, r.probability) == ("已实现", 1.0)
    assert "2022年无数据" in r.reason_zh and "2022" in r.reason_en
    full = series("cov", range(2018, 2026), [96.0, 96.5, 97.0, 97.2, 97.3, 97.5, 97.8, 98.0])
    assert pd.isna(one(run(full, [t], as_of=2025), "m").reason)


@pytest.mark.filterwarnings("ignore:监测年份.*晚于数据的最后年份")  # as_of after the data, on purpose
def test_final_evaluation_with_the_target_year_missing_says_so():
    years = np.arange(2018, 2025)
    rows = series("imr", years, [6.0, 5.8, 5.5, 5.3, 5.2, 5.1, 5.05], unit="per_1000")
    res = run(rows, [target("a", "imr", "upper_bound", 4.0, unit="per_1000")], as_of=2025)
    r = one(res, "a")
    assert "final evaluation" in r.reason and 0 <= r.probability <= 1
    # 5.05 in 2024 against <= 4.0: hard to reach by the model, but the target year is past,
    # so no 预计达标困难 (status-warnings.md 3.1 and 5); the missing 2025 is warned instead
    assert r.status == "off_track" and r.probability < 0.5
    assert r.warnings.split(";") == ["latest_missing"]


@pytest.mark.filterwarnings("ignore:监测年份.*晚于数据的最后年份")  # as_of after the data, on purpose
def test_final_evaluation_without_the_target_year_is_not_achieved_early():
    # 4.5 in 2024 already meets <= 5, but 2025 is missing: the final evaluation judges the
    # projection (P about 0.8-0.9 here), it is neither 提前实现 (the period is over) nor 已实现
    years = np.arange(2017, 2025)
    rows = series("imr", years, [6.0, 5.9, 5.6, 5.4, 5.2, 5.0, 4.8, 4.5], unit="per_1000")
    res = run(rows, [target("a", "imr", "upper_bound", 5.0, unit="per_1000")], as_of=2025)
    r = one(res, "a")
    assert r.latest_year == 2024 and r.latest_value <= 5.0
    assert r.status != "achieved" and r.status_zh not in ("提前实现", "已实现")
    assert r.status == ("on_track" if r.probability >= 0.8 else "at_risk")
    assert "final evaluation" in r.reason
    # a year earlier the same value is 提前实现
    assert one(run(rows, [target("a", "imr", "upper_bound", 5.0, unit="per_1000")],
                   as_of=2024), "a").status_zh == "提前实现"


# ------------------------------------------------------------------ counts
def test_rate_from_counts_probability_is_poisson_at_the_floor():
    # constant maternal mortality: 0 or 1 death a year among ~4,000 births
    years = np.arange(2016, 2024)
    deaths = [0, 1, 0, 0, 1, 0, 0, 0]
    births = [4000.0] * 8
    rows = [row("mmr", int(y), d / b * 1e5, unit="per_100k", numerator=d, denominator=b)
            for y, d, b in zip(years, deaths, births, strict=True)]
    res = run(rows, [target("m", "mmr", "upper_bound", 8.5, unit="per_100k")], n_draws=2000,
              rules=StatusRules(early_achievement=False))
    r = one(res, "m")
    assert r.scale in ("poisson", "log")
    # P(rate <= 8.5/100k) = P(deaths = 0) with ~4000 births; at the pooled rate 2/32000
    # this is exp(-0.25) = 0.78; the model's uncertainty about the rate widens it a little
    assert r.probability == pytest.approx(stats.poisson.cdf(0, 2 / 32000 * 4000), abs=0.12)
    assert r.projected in (0.0, 25.0)


# ------------------------------------------------------------------ each_unit
def street_rows(p_by_street, years=YEARS, n=300, seed=0):
    rng = np.random.default_rng(seed)
    rows, tot_k, tot_n = [], np.zeros(len(years)), np.zeros(len(years))
    for s, p in zip(STREETS, p_by_street, strict=True):
        k = rng.binomial(n, p, size=len(years)).astype(float)
        tot_k += k
        tot_n += n
        rows += [row("vacc", int(y), kk / n * 100, geo=f"{DISTRICT}/{s}", numerator=kk,
                     denominator=float(n)) for y, kk in zip(years, k, strict=True)]
    rows += [row("vacc", int(y), k / m * 100, numerator=k, denominator=m)
             for y, k, m in zip(years, tot_k, tot_n, strict=True)]
    return rows


def test_each_unit_joint_probability_is_at_most_the_weakest_street():
    rows = street_rows([0.975, 0.975, 0.97, 0.97, 0.96, 0.955])
    t = target("v", "vacc", "maintain", 95, direction="increase", baseline_year=2020,
               each_unit="street", name_zh="以街为单位的接种率")
    res = run(rows, [t], rules=StatusRules(early_achievement=False))
    f = res.to_frame()
    assert f.geo.tolist() == [DISTRICT]  # assessed at the district, judged on its streets
    r = one(res, "v")
    units = res.unit_frame()
    assert len(units) == len(STREETS)
    assert units.unit_geo.str.startswith(DISTRICT + "/").all()
    assert r.probability <= units.probability.min() + 1e-12
    assert "pooling" in r.method
    assert r.lo_95 <= r.projected <= r.hi_95 <= 100


def test_years_observed_of_street_targets_counts_years_not_streets():
    """``n_obs`` is headed 观测年数 / Years observed in the reports: for a street
    target it is the years with street data (8), not street-years (6 x 8)."""
    rows = street_rows([0.975, 0.975, 0.97, 0.97, 0.96, 0.955])
    t = target("v", "vacc", "maintain", 95, direction="increase", baseline_year=2020,
               each_unit="street", name_zh="以街为单位的接种率")
    assert one(run(rows, [t]), "v").n_obs == len(YEARS)


def test_final_evaluation_of_an_each_street_every_year_rule_names_the_streets_not_observed():
    """以街为单位保持95%以上 in the final evaluation, with 光复道街道 2022 and 王串场街道
    2023-2024 not reported: 已实现 on the years observed, and the reason names the streets
    and years that could not be checked, as the district-level rule does."""
    years = np.arange(2018, 2026)
    full = street_rows([0.99] * len(STREETS), years=years)
    gaps = {(f"{DISTRICT}/光复道街道", 2022), (f"{DISTRICT}/王串场街道", 2023),
            (f"{DISTRICT}/王串场街道", 2024)}
    rows = [x for x in full if (x["geo"], x["year"]) not in gaps]
    t = target("v", "vacc", "maintain", 95, direction="increase", baseline_year=2020,
               target_year=2025, each_unit="street", name_zh="以街为单位的接种率")
    r = one(run(rows, [t], as_of=2025), "v")
    assert (r.status_zh, r.probability) == ("已实现", 1.0)
    assert r.reason_zh == ("终期评估：光复道街道2022年；王串场街道2023、2024年无数据，"
                           "逐年判定只用了已观测的年份")
    assert r.reason_en == ("final evaluation: no value for 光复道街道 in 2022; 王串场街道 in "
                           "2023, 2024; the every-year rule was checked on the observed years only")
    assert pd.isna(one(run(full, [t], as_of=2025), "v").reason)


def test_each_unit_without_street_rows_has_no_data_with_reason():
    rows = series("vacc", YEARS, [97.0] * 8)
    t = target("v", "vacc", "maintain", 95, direction="increase", baseline_year=2020,
               each_unit="street")
    r = one(run(rows, [t]), "v")
    assert r.status == "no_data" and "sub-unit" in r.reason


# ------------------------------------------------------------------ relational, counts, direction
def test_relational_against_the_reference_indicator():
    rows = series("delegates", YEARS, [30.0, 30.5, 31, 31.4, 32, 32.3, 32.9, 33.2])
    rows += series("members", YEARS, [33.0, 33.2, 33.5, 33.6, 33.9, 34.0, 34.3, 34.5])
    rows += series("low", YEARS, [38.0, 38.2, 38.1, 38.5, 38.4, 38.8, 38.9, 39.0])
    t_behind = target("r1", "delegates", "relational", direction="increase",
                      reference_indicator="members")
    t_ahead = target("r2", "low", "relational", direction="increase",
                     reference_indicator="members")
    res = run(rows, [t_behind, t_ahead])
    behind, ahead = one(res, "r1"), one(res, "r2")
    assert behind.probability < 0.5 < ahead.probability
    assert ahead.status == "achieved"  # latest 39.0 >= 34.5 already
    assert behind.status in ("off_track", "at_risk")
    assert res.series("r1").target_value == pytest.approx(
        one(res, "r1").projected + 0, abs=10)  # the reference's projected level


def test_count_minimum_status_from_counts_without_forecast():
    rows = [row("women_leaders", 2023, 1.0, geo=f"{DISTRICT}/{s}", unit="count")
            for s in STREETS[:3]]
    rows += [row("women_leaders", 2023, 0.0, geo=f"{DISTRICT}/{STREETS[3]}", unit="count")]
    rows += [row("chief", 2023, 2.0, unit="count")]
    t_each = target("cm", "women_leaders", "count_minimum", 1, unit="count", each_unit="street")
    t_one = target("c1", "chief", "count_minimum", 1, unit="count")
    res = run(rows, [t_each, t_one])
    each, single = one(res, "cm"), one(res, "c1")
    assert (each.status, each.status_zh) == ("off_track", "尚未达到")
    assert STREETS[3] in each.reason
    assert np.isnan(each.probability) and np.isnan(each.projected)
    assert single.status == "achieved"
    assert "no forecast" in single.method
    # one year of counts, whatever the number of streets (the column is "years observed")
    assert (each.n_obs, single.n_obs) == (1, 1)


def test_short_series_carry_the_backtests_caveat_and_it_can_be_switched_off():
    """3-4 observed years: the probability stands, and ``reason`` says that on such
    series the backtests found hbkit conservative (docs/validation.md)."""
    values = [6.1, 5.8, 5.6, 5.5, 5.1, 5.2, 4.9, 4.8]
    t = target("imr", "imr", "upper_bound", 4.0, unit="per_1000")
    for n_years in (3, 4, 5, 8):
        rows = series("imr", YEARS[-n_years:], values[-n_years:], unit="per_1000")
        res = run(rows, [t])
        r = one(res, "imr")
        assert r.n_obs == n_years and r.status in ("off_track", "at_risk", "on_track")
        has_note = isinstance(r.reason, str) and f"仅有{n_years}个观测年份" in r.reason
        assert has_note == (n_years <= 4), (n_years, r.reason)
        if has_note:
            assert f"only {n_years} observed years" in r.reason
    # the warning list says it too, on the hard-to-reach warning of the short series only
    for n_years, rules in ((4, StatusRules()), (8, StatusRules()), (4, StatusRules(short_history=0))):
        warn = run(rows[-n_years:], [t], rules=rules).warnings_frame()
        hard = warn[warn.code == "hard_to_reach"].iloc[0]
        caveat = f"仅有{n_years}个观测年份" in hard.text_zh
        assert caveat == (n_years <= rules.short_history)
        assert caveat == (f"Only {n_years} observed years" in hard.text_en)
    off = one(run(rows[-4:], [t], rules=StatusRules(short_history=0)), "imr")
    assert off.n_obs == 4 and pd.isna(off.reason)
    stricter = one(run(rows, [t], rules=StatusRules(short_history=8)), "imr")
    assert "仅有8个观测年份" in stricter.reason
    # achieved rows are not projections: no caveat
    done = one(run(rows[-3:], [target("imr", "imr", "upper_bound", 5.0, unit="per_1000")]), "imr")
    assert done.status == "achieved" and pd.isna(done.reason)


def test_direction_and_relative_change_use_the_baseline():
    years = np.arange(2016, 2024)
    rows = series("imr", years, [8.0, 7.6, 7.2, 6.9, 6.5, 6.2, 5.9, 5.6], unit="per_1000")
    t_rel = target("rel", "imr", "relative_change", 20, unit="per_1000", direction="decrease",
                   baseline_year=2020)
    t_dir = target("dir", "imr", "direction", unit="per_1000", direction="decrease",
                   baseline_year=2020)
    res = run(rows, [t_rel, t_dir])
    rel = one(res, "rel")
    assert rel.baseline_value == 6.5
    assert res.series("rel").target_value == pytest.approx(0.8 * 6.5)
    assert one(res, "dir").status == "achieved"


def test_official_labels_judge_a_direction_target_as_hbkit_does():
    # 逐步增加 is met only strictly above the 2020 value: 13 people in 2020 and in 2025 is
    # 未实现, and the labels beside it must not say achieved; in the target year they give
    # the outcome, not achieved, in all three schemes (docs/methodology/conventions.md §5;
    # before it, standing still is no progress: tests/test_conventions.py);
    # a bounded percentage held at 100 (巩固提高) is met, and so are its bands
    years = np.arange(2018, 2026)
    rows = series("women", years, [12, 12, 13, 14, 17, 14, 17, 13], unit="count")
    rows += series("cov", years, [99.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0])
    targets = [target("flat", "women", "direction", unit="count", direction="increase",
                      baseline_year=2020),
               target("held", "cov", "direction", direction="increase", baseline_year=2020)]
    res = run(rows, targets, as_of=2025)
    flat, held = one(res, "flat"), one(res, "held")
    assert (flat.status_zh, flat.latest_value, flat.baseline_value) == ("未实现", 13.0, 13.0)
    assert (flat.eurostat_band, flat.unsd_band, flat.dns_symbol) == ("not_achieved",) * 3
    assert (held.status_zh, held.eurostat_band, held.unsd_band, held.dns_symbol) == (
        "已实现", "achieved", "achieved", "achieved")


# ------------------------------------------------------------------ API
def test_same_seed_same_output_other_seed_other_draws():
    rows = series("cov", YEARS, RISING)
    targets = [target("a", "cov", "lower_bound", 95.85)]
    a = run(rows, targets, seed=3)
    b = run(rows, targets, seed=3)
    c = run(rows, targets, seed=4)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    pd.testing.assert_frame_equal(a.warnings_frame(), b.warnings_frame())
    assert 0 < a.to_frame().probability.iloc[0] < 1
    assert not a.to_frame()[["probability", "lo_95", "hi_95"]].equals(
        c.to_frame()[["probability", "lo_95", "hi_95"]])


def test_assessment_is_frozen_and_accepts_paths_and_observations(tmp_path):
    rows = pd.DataFrame(series("cov", YEARS, RISING))
    path = tmp_path / "obs.csv"
    rows.to_csv(path, index=False)
    cat = Catalogue([target("a", "cov", "lower_bound", 99.0)])
    from_path = hbkit.assess(path, catalogue=cat, n_draws=DRAWS)
    from_obs = hbkit.assess(hbkit.read_observations(rows, cat), catalogue=cat, n_draws=DRAWS)
    pd.testing.assert_frame_equal(from_path.to_frame(), from_obs.to_frame())
    with pytest.raises(AttributeError):
        from_path.as_of = 2020  # type: ignore[misc]
    with pytest.raises(HbkitError):
        hbkit.assess(42, catalogue=cat)


def test_summary_series_view_and_repr():
    rows = series("cov", YEARS, RISING)
    res = run(rows, [target("a", "cov", "lower_bound", 99.0),
                     Target(id="q", kind="qualitative", domain="health")])
    summary = res.summary()
    assert int(summary.loc[("total", ""), "total"]) == len(res.to_frame())
    assert res.summary("zh").columns[0] == "已实现"
    view = res.series("a")
    assert view.history_years.tolist() == YEARS.tolist()
    assert view.future_years.tolist() == [2024, 2025]
    lo, hi = view.intervals[80.0]
    assert np.all(lo <= view.median) and np.all(view.median <= hi)
    assert view.target_value == 99.0 and view.status == one(res, "a").status
    assert res.series("q").future_years.size == 0
    with pytest.raises(HbkitError, match="unknown target"):
        res.series("nope")
    assert "Assessment(" in repr(res) and "<table" in res._repr_html_()
    assert res.simulated is False and res.sources == ["测试数据"]


def test_summary_keeps_the_two_plans_apart():
    """Health of the women's plan and health of the children's plan are two rows,
    each plan has a subtotal, and the last row counts every row once."""
    rows = series("cov", YEARS, RISING) + series("rate", YEARS, RISING[::-1])
    res = run(rows, [target("w1", "cov", "lower_bound", 80.0, plan="women"),
                     target("w2", "rate", "upper_bound", 99.0, plan="women", domain="education"),
                     target("c1", "cov", "lower_bound", 80.0, plan="children"),
                     Target(id="cq", kind="qualitative", domain="health", plan="children"),
                     Target(id="x", kind="qualitative", domain="health")])
    summary = res.summary()
    assert summary.index.names == ["plan", "domain"]
    assert list(summary.index) == [
        ("women", "health"), ("women", "education"), ("women", "subtotal"),
        ("children", "health"), ("children", "subtotal"),
        ("(none)", "health"), ("(none)", "subtotal"), ("total", "")]
    assert int(summary.loc[("women", "health"), "total"]) == 1
    assert int(summary.loc[("children", "health"), "total"]) == 2
    assert int(summary.loc[("children", "health"), "not_quantifiable"]) == 1
    assert int(summary.loc[("women", "subtotal"), "total"]) == 2
    assert int(summary.loc[("total", ""), "total"]) == 5
    assert (summary.loc[("total", "")] == summary.xs("subtotal", level="domain").sum()).all()
    zh = res.summary("zh")
    assert list(zh.index[:3]) == [("妇女发展规划", "健康"), ("妇女发展规划", "教育"),
                                  ("妇女发展规划", "小计")]
    assert zh.index[-1] == ("合计", "") and zh.columns[-1] == "合计"
    en = res.summary("en")
    assert en.index[3] == ("Children's Development Plan", "Health")
    assert en.index[-1] == ("total", "")


def test_simulated_sources_are_flagged():
    rows = series("cov", YEARS, RISING, source="hbkit 模拟数据")
    assert run(rows, [target("a", "cov", "lower_bound", 90)]).simulated


def test_an_area_with_data_only_after_as_of_keeps_its_row():
    rows = series("cov", YEARS, RISING) + series("cov", [2023], [95.0], geo="和平区")
    res = run(rows, [target("a", "cov", "lower_bound", 90)], as_of=2021)
    f = res.to_frame()
    assert sorted(f.geo) == ["和平区", DISTRICT]
    assert one(res, "a", "和平区").status == "no_data"


def test_relational_without_the_reference_in_an_area_says_so():
    rows = series("delegates", YEARS, RISING) + series("delegates", YEARS, RISING, geo="和平区")
    rows += series("members", YEARS, [33.0] * 8)
    t = target("r", "delegates", "relational", direction="increase",
               reference_indicator="members")
    res = run(rows, [t], rules=StatusRules(early_achievement=False))
    r = one(res, "r", "和平区")
    assert r.status == "insufficient_data" and "reference" in r.reason
    assert one(res, "r").probability > 0.9


def test_final_evaluation_counts_not_achieved_as_such() -> None:
    """终期评估: a target missed in the target year is 未实现 / not achieved in every
    aggregate (summary, CLI totals), not 难以实现."""
    import hbkit
    from hbkit.report.markdown import to_markdown

    example = hbkit.datasets.load_example("hebei_example_final")
    result = hbkit.assess(example.observations, as_of=2025)
    assert result.final
    frame = result.to_frame()
    assert (frame["status"] == "off_track").any()
    zh = result.summary("zh")
    assert "未实现" in zh.columns and "难以实现" not in zh.columns
    assert "not achieved" in result.summary("en").columns
    overview = to_markdown(result, "zh").split("##")[1]
    table = [line for line in overview.splitlines() if line.startswith("|")]
    assert "未实现" in table[0] and not any("难以实现" in line for line in table)


def test_an_assessment_survives_pickle() -> None:
    """A dashboard caches assessments (pickle, multiprocessing): the frame comes back equal and
    the result still answers (series, reports)."""
    import pickle

    frame = pd.DataFrame({"indicator": "infant_mortality_rate", "geo": "河北区",
                          "year": range(2016, 2024), "value": [4.1, 3.9, 3.8, 3.5, 3.4, 3.3, 3.0, 2.9]})
    target = hbkit.Target(id="imr", indicator="infant_mortality_rate", kind="upper_bound",
                          threshold=3.0, unit="per_1000")
    result = hbkit.assess(frame, catalogue=hbkit.Catalogue([target]), as_of=2023, n_draws=200)
    back = pickle.loads(pickle.dumps(result))
    pd.testing.assert_frame_equal(back.to_frame(), result.to_frame())
    np.testing.assert_array_equal(back.series("imr").median, result.series("imr").median)
    assert "imr" in back.to_markdown() or "婴儿" in back.to_markdown()


def test_a_plain_list_of_targets_works_like_a_catalogue() -> None:
    """assess accepts a list of targets; its reports look targets up by id (they crashed with
    'list indices must be integers' on a warning of an already broken target)."""
    from hbkit.report import tables

    target = hbkit.Target(id="keep", indicator="coverage", kind="maintain", threshold=95,
                          unit="percent", direction="increase", baseline_year=2020)
    frame = pd.DataFrame({"indicator": "coverage", "geo": "河北区", "year": range(2016, 2024),
                          "value": [96.0, 96.5, 97.0, 96.0, 97.5, 94.0, 97.0, 98.0]})
    result = hbkit.assess(frame, catalogue=[target], as_of=2023, n_draws=200)
    assert isinstance(result.catalogue, hbkit.Catalogue) and result.catalogue.ids == ("keep",)
    assert result.to_frame()["status_zh"].tolist() == ["已有年份未达到"]
    table = tables.warnings_table(result, "zh")
    assert table["numbers"].str.contains("未达到的年份=2021（94%）").any()
    assert "已有年份未达到" in result.to_markdown()


def test_an_empty_catalogue_is_a_clear_error() -> None:
    frame = pd.DataFrame({"indicator": "x", "geo": "河北区", "year": [2020, 2021, 2022],
                          "value": [1.0, 2.0, 3.0]})
    with pytest.raises(hbkit.HbkitError, match="the catalogue has no targets"):
        hbkit.assess(frame, catalogue=hbkit.Catalogue([]), as_of=2022)


def test_a_year_after_the_plan_does_not_move_the_default_assessment_year() -> None:
    """A mistyped year (2032 for 2023) must not turn the 2023 monitoring into a final evaluation."""
    import warnings

    from hbkit.exceptions import HbkitWarning

    example = hbkit.datasets.load_example("hebei_example")
    cat = example.catalogue.filter(plan="children", domain="health")
    obs = hbkit.read_observations(example.observations, cat, unknown="exclude").frame.copy()
    row = obs.index[(obs["indicator"] == "infant_mortality_rate") & (obs["year"] == 2023)
                    & (obs["geo"] == "河北区")][0]
    obs.loc[row, "year"] = 2032
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = hbkit.assess(obs, catalogue=cat, n_draws=200)
    assert res.as_of == 2023 and not res.final
    messages = [str(w.message) for w in caught if issubclass(w.category, HbkitWarning)]
    assert any("1 row is after the plan's target year 2025 (latest 2032)" in m
               for m in messages), messages
    assert hbkit.assess(obs, catalogue=cat, as_of=2032, n_draws=200).as_of == 2032  # if asked


@pytest.mark.parametrize("bad", [True, False, 2023.5, "2023.5", "abc", [2023]])
def test_as_of_that_is_not_a_whole_year_is_an_hbkit_error(bad):
    # as_of=True used to assess as of year 1 (every target "no data"), 2023.5 as of 2023
    rows = series("cov", YEARS, RISING)
    with pytest.raises(HbkitError, match="as_of must be a year"):
        run(rows, [target("a", "cov", "lower_bound", 90)], as_of=bad)


@pytest.mark.parametrize("year", [2022, "2022", 2022.0, np.int64(2022)])
def test_as_of_accepts_whole_years_in_any_spelling(year):
    rows = series("cov", YEARS, RISING)
    assert run(rows, [target("a", "cov", "lower_bound", 90)], as_of=year).as_of == 2022


@pytest.mark.parametrize("option", [{"n_draws": "many"}, {"seed": "abc"}, {"seed": None}])
def test_n_draws_and_seed_that_are_not_numbers_are_hbkit_errors(option):
    # were a bare ValueError / TypeError from int()
    rows = series("cov", YEARS, RISING)
    name = next(iter(option))
    with pytest.raises(HbkitError, match=f"{name} must be a whole number"):
        run(rows, [target("a", "cov", "lower_bound", 90)], **option)


def test_assess_type_hints_name_what_it_accepts():
    # were Any: an embedding program's type checker and IDE could not see what to pass
    import typing

    hints = typing.get_type_hints(hbkit.assess)
    assert pd.DataFrame in typing.get_args(hints["observations"])
    assert hbkit.Observations in typing.get_args(hints["observations"])
    assert Catalogue in typing.get_args(hints["catalogue"])
    assert hints["level"] != typing.Any and hints["as_of"] == int | None


# ------------------------------------------------------------------ an example as the input


def test_an_example_is_assessed_as_its_observations_with_its_catalogue():
    """assess(load_example(...)) was "observations must be ...; received Example" while
    backtest took an example: it is the example's observations judged against its own
    catalogue, row for row the assessment of ``ex.observations`` with ``ex.catalogue``."""
    import warnings

    from hbkit.datasets import load_example

    example = load_example("hebei_example")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        given = hbkit.assess(example, n_draws=200)
        expected = hbkit.assess(example.observations, catalogue=example.catalogue, n_draws=200)
    assert given.catalogue is example.catalogue and given.as_of == 2023
    pd.testing.assert_frame_equal(given.to_frame(), expected.to_frame())
    pd.testing.assert_frame_equal(given.warnings, expected.warnings)
    assert given.notices == expected.notices and given.simulated


def test_an_example_with_another_catalogue_leaves_its_other_series_out():
    """A catalogue given with an example judges the example's data: series it does not
    judge are left out, not refused as unknown indicators (as for example:NAME on the
    command line); they would be refused in a DataFrame."""
    from hbkit.datasets import load_example

    example = load_example("china")
    tianjin = Catalogue([t for t in example.catalogue if t.id.startswith("TJ-")])
    with pytest.warns(hbkit.DataWarning) as caught:
        given = hbkit.assess(example, catalogue=tianjin, n_draws=200)
    expected = hbkit.assess(example.targeted(tianjin), catalogue=tianjin, n_draws=200)
    pd.testing.assert_frame_equal(given.to_frame(), expected.to_frame())
    assert set(given.to_frame()["target_id"]) == {t.id for t in tianjin}
    # nothing is left out silently: the rows left out are counted in a notice
    known = {t.indicator for t in tianjin} | {t.reference_indicator for t in tianjin}
    left_out = int((~example.observations["indicator"].isin(known)).sum())
    notes = [n["message"] for n in given.notices if n["message"].startswith("示例 'china'")]
    assert len(notes) == 1 and f"中{left_out}行的指标不在目标目录中" in notes[0]
    assert notes[0] in [str(w.message) for w in caught]
    with pytest.raises(hbkit.DataValidationError, match="indicator not in the catalogue"):
        hbkit.assess(example.observations, catalogue=tianjin, n_draws=200)


def test_an_example_without_a_catalogue_needs_one_and_other_inputs_are_refused():
    from hbkit.datasets import load_example

    with pytest.raises(HbkitError, match=(
            "示例 'dtp3' 没有目标目录，请用 catalogue= 给出要评估的目标 / the example 'dtp3' "
            "has no catalogue: give the targets to assess as catalogue=")):
        hbkit.assess(load_example("dtp3"), n_draws=200)
    with pytest.raises(HbkitError) as info:
        hbkit.assess({"indicator": ["imr"]}, n_draws=200)
    assert str(info.value) == (
        "observations 须为 hbkit.Observations、pandas DataFrame、CSV/Excel 文件路径或 "
        "hbkit.datasets.Example / observations must be an hbkit.Observations, a pandas "
        "DataFrame, the path of a CSV/Excel file or an hbkit.datasets.Example; received dict")
