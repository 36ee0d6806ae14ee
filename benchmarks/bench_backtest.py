"""Backtest benchmark: hbkit's probabilities and intervals against every baseline, on real history.

Prints, by data family and overall, the Brier score, the log score (clipped at
0.001), the expected calibration error (10 bins) and the coverage of the 80% and
95% intervals, for hbkit and for the baselines on the same cases, then hbkit's
scores by kind and horizon, what the printed intervals held beside the model's own
probability of them, the goals, and each goal's figure with its 95%
cluster-bootstrap interval. Runs in a few minutes on 2 cores.

Families (window of 8 years up to each origin, horizons 2, 3 and 5 years):

* ``IGME mortality``: UN IGME 2021 under-5, infant, neonatal mortality, 195
  countries, origins 2008-2015 (smoothed model estimates);
* ``DTP3 coverage``: WUENIC DTP3, 191 countries, origins 2008-2019 (reporting noise);
* ``district counts (simulated)``: Poisson deaths of districts of ~4,000 births a
  year whose true rates follow the IGME trajectories of the countries with
  infant mortality <= 30 per 1000 in 2008: an infant-mortality-like rate per
  1000 and a maternal-mortality-like rate per 100,000 (3 x NMR), origins 2008-2015;
* ``China official``: China's national series against the real 2020 targets of the
  2011-2020 Outlines and the 13th five-year health plan, origins 2015-2018;
* ``China official (rule targets)``: the same national series (every one with three
  points in a window) against the default rule targets, origins 2006-2022: sparse
  administrative series with gaps, like a district's, and not used to fit anything.

Usage::

    .venv/bin/python benchmarks/bench_backtest.py                 # the table
    .venv/bin/python benchmarks/bench_backtest.py --plot docs/img/reliability.png
    .venv/bin/python benchmarks/bench_backtest.py --fit-inflation # refit the default
    .venv/bin/python benchmarks/bench_backtest.py --quick         # fewer origins
    .venv/bin/python benchmarks/bench_backtest.py --slope-prior   # the count slope prior's evidence
    .venv/bin/python benchmarks/bench_backtest.py --fit-unscored-weight  # refit the level prior
    .venv/bin/python benchmarks/bench_backtest.py --fit-noise-floor      # refit the noise prior
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd

from hbkit.backtesting import BacktestResult, TargetRule, backtest, default_rules
from hbkit.backtesting.calibrate import INFLATION_GRID, fit_inflation, fit_on_grid, split_geos
from hbkit.backtesting.simulate import simulated_districts
from hbkit.datasets import load_example
from hbkit.models import trend

HORIZONS = (2, 3, 5)
WINDOW = 8
#: candidate prior weights of ``level`` (relative to 1 for the trend models) when no point
#: of a series can be scored
LEVEL_WEIGHT_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0)
#: candidate k of the walk models' noise prior (:data:`hbkit.models.trend.NOISE_FLOOR`; 0: none)
NOISE_FLOOR_GRID = (0.0, 0.1, 0.15, 0.2, 0.25, 0.35, 0.5)
#: windows (years of history) the noise prior is fitted and checked on
NOISE_FLOOR_WINDOWS = (4, 6, 8)

IGME_RULES = (
    *default_rules(),
    TargetRule("upper_bound", threshold=25.0, indicators=("under5_mortality_rate",),
               name="SDG U5MR <= 25"),
    TargetRule("upper_bound", threshold=12.0, indicators=("neonatal_mortality_rate",),
               name="SDG NMR <= 12"),
    TargetRule("maintain", threshold=25.0, direction="decrease",
               indicators=("under5_mortality_rate",), name="U5MR <= 25 every year"),
    TargetRule("annual_change", threshold=1.0, direction="decrease",
               indicators=("under5_mortality_rate",), name="U5MR -1 per 1000 every year"),
    TargetRule("annual_change", threshold=0.5, direction="decrease",
               indicators=("infant_mortality_rate",), name="IMR -0.5 per 1000 every year"),
    TargetRule("trend_slowdown", indicators=("infant_mortality_rate",),
               name="IMR falls faster than before"),
)

DTP3_RULES = (
    *default_rules()[:2],
    TargetRule("relative_change", rate=0.5, name="relative_change 0.5%/yr"),
    TargetRule("direction"),
    TargetRule("lower_bound", threshold=90.0, name="DTP3 >= 90"),
    TargetRule("lower_bound", threshold=95.0, name="DTP3 >= 95"),
    TargetRule("level", threshold=85.0, direction="increase", name="DTP3 reaches 85 (level)"),
    TargetRule("trend_slowdown", name="DTP3 rises faster than before"),
    TargetRule("maintain", threshold=90.0, direction="increase", name="DTP3 >= 90 every year"),
    TargetRule("maintain", threshold=80.0, direction="increase", name="DTP3 >= 80 every year"),
    TargetRule("annual_change", threshold=1.0, direction="increase", name="DTP3 +1 point every year"),
)

COUNT_RULES = (
    *default_rules(),
    TargetRule("upper_bound", threshold=10.0, indicators=("imr_district",), name="IMR <= 10"),
    TargetRule("upper_bound", threshold=5.0, indicators=("imr_district",), name="IMR <= 5"),
    TargetRule("upper_bound", threshold=20.0, indicators=("mmr_district",), name="MMR <= 20/100k"),
    TargetRule("upper_bound", threshold=10.0, indicators=("mmr_district",), name="MMR <= 10/100k"),
)


def district_counts(seed: int = 11) -> pd.DataFrame:
    """Simulated district counts (see the module notes)."""
    return simulated_districts(seed)


def run_families(inflation: float | None = None, geos: Sequence[str] | None = None,
                 quick: bool = False, families: Sequence[str] | None = None,
                 n_draws: int = 1000, window: int = WINDOW,
                 unscored_weights: Mapping[str, float] | None = None) -> BacktestResult:
    """Backtest every family (restricted to ``geos`` for the country families)."""
    step = 2 if quick else 1
    common = {"horizon": HORIZONS, "window": window, "n_draws": n_draws,
              "inflation": inflation, "unscored_weights": unscored_weights}
    runs = {
        "IGME mortality": lambda: backtest(
            load_example("igme2021").observations, IGME_RULES, range(2008, 2016, step),
            geos=geos, family="IGME mortality", **common),
        "DTP3 coverage": lambda: backtest(
            load_example("dtp3").observations, DTP3_RULES, range(2008, 2020, step),
            geos=geos, family="DTP3 coverage", **common),
        "district counts (simulated)": lambda: backtest(
            district_counts(), COUNT_RULES, range(2008, 2016, step), geos=geos,
            directions={"imr_district": "decrease", "mmr_district": "decrease"},
            family="district counts (simulated)", **common),
        "China official": lambda: backtest(
            load_example("china"), None, range(2015, 2019), horizon=5, window=window,
            n_draws=n_draws, inflation=inflation, unscored_weights=unscored_weights,
            family="China official"),
        "China official (rule targets)": lambda: backtest(
            load_example("china").observations, default_rules(), range(2006, 2023, step),
            geos=["CN"], family="China official (rule targets)", **common),
    }
    chosen = families or list(runs)
    return BacktestResult.concat([runs[name]() for name in chosen])


def table(result: BacktestResult) -> pd.DataFrame:
    """hbkit and every baseline by family and overall, on the same cases."""
    by_family = result.compare(by="family")
    overall = result.compare().assign(family="overall")
    out = pd.concat([by_family, overall], ignore_index=True)
    columns = ["family", "method", "n_scored", "outcome_rate", "brier", "log_score", "ece",
               "coverage_80", "coverage_95", "pit_coverage_80", "pit_coverage_95"]
    return out.reindex(columns=columns)


def decomposition_table(result: BacktestResult,
                        methods: Sequence[str] = ("hbkit", "ols_t", "eurostat", "unsd", "dns",
                                                  "eurostat_bands", "unsd_bands", "dns_bands")
                        ) -> pd.DataFrame:
    """Brier = reliability - resolution + uncertainty + within-bin terms, on table 1's cases."""
    out = pd.concat([result.brier_decomposition(by="family"),
                     result.brier_decomposition().assign(family="overall")], ignore_index=True)
    out = out[out["method"].isin(methods)]
    out["within_bin"] = out["within_bin_variance"] - out["within_bin_covariance"]
    return out.reindex(columns=["family", "method", "n_scored", "brier", "reliability",
                                "resolution", "uncertainty", "within_bin"])


def pit_table(result: BacktestResult) -> pd.DataFrame:
    """Expected randomised-PIT histogram by family and overall, one row each."""
    hist = pd.concat([result.pit_histogram(by="family"),
                      result.pit_histogram().assign(family="overall")], ignore_index=True)
    hist["bin"] = hist["bin_lo"].map("{:.1f}".format)
    return hist.pivot(index="family", columns="bin", values="share").reset_index()


def interval_check_table(result: BacktestResult) -> pd.DataFrame:
    """What the printed intervals held beside what the model said, by family, indicator, overall.

    The district counts are split by indicator: the infant-mortality-like counts
    (20-120 deaths a year) and the maternal-mortality-like ones (0-4 deaths).
    """
    by_family = result.interval_check(by=["family", "indicator"])
    counts = by_family.family == "district counts (simulated)"
    rows = pd.concat([
        result.interval_check(by="family").assign(indicator="(all)"),
        by_family[counts],
        result.interval_check().assign(family="overall", indicator="(all)"),
    ], ignore_index=True)
    return rows[["family", "indicator", *[c for c in rows.columns
                                          if c not in ("family", "indicator")]]]


def flat_window_table(result: BacktestResult) -> pd.DataFrame:
    """hbkit by family on windows that never changed (``flat_window``) and on the others.

    ``certain_and_wrong``: targets given probability exactly 0 or 1 whose outcome
    was the other one.
    """
    scores = result.scores(by=["family", "flat_window"])
    cases = result.cases
    certain = cases["probability"].isin([0.0, 1.0]) & cases["outcome"].notna()
    wrong = certain & (cases["probability"] != cases["outcome"])
    counted = cases.assign(certain_and_wrong=wrong).groupby(["family", "flat_window"])[
        "certain_and_wrong"].sum().reset_index()
    out = scores.merge(counted, on=["family", "flat_window"], how="left")
    columns = ["family", "flat_window", "n_scored", "brier", "log_score", "ece", "coverage_80",
               "coverage_95", "pit_coverage_80", "pit_coverage_95", "certain_and_wrong"]
    return out.reindex(columns=columns)


def moved_last_table(result: BacktestResult) -> pd.DataFrame:
    """hbkit by family on windows that held one value and moved only in their last year
    (``moved_last_only``): mean probability beside the share met, coverage, and the median
    width of the printed 80% interval (each forecast of a series once)."""
    cases = result.cases[result.cases["moved_last_only"]]
    if cases.empty:
        return pd.DataFrame()
    scores = BacktestResult(cases=cases, levels=result.levels,
                            settings=result.settings).scores(by="family")
    points = cases.drop_duplicates(["family", "indicator", "geo", "origin", "target_year"])
    widths = points.assign(width=points["hi_80"] - points["lo_80"]).groupby("family").agg(
        series=("geo", "nunique"), median_width_80=("width", "median")).reset_index()
    out = scores.merge(widths, on="family")
    return out.reindex(columns=["family", "series", "n_scored", "brier", "mean_probability",
                                "outcome_rate", "coverage_80", "pit_coverage_80",
                                "median_width_80"])


def near_ceiling_table(result: BacktestResult, window: int = WINDOW,
                       floor: float = 97.0) -> pd.DataFrame:
    """DTP3 forecasts from windows that never went below ``floor`` percent, by horizon,
    beside the other DTP3 forecasts (each forecast once).

    ``below_lo_80`` / ``below_lo_95`` / ``above_hi_95``: the shares of actual values
    outside the printed intervals (a calibrated forecaster: 0.10, 0.025, 0.025).
    ``lo_95_below_80``: the share of forecasts whose 95% interval reaches below 80%,
    and ``of_them_below_80``: how many of those outcomes did fall below 80%.
    """
    from hbkit.backtesting.result import POINT_KEY

    cases = result.cases[result.cases["family"] == "DTP3 coverage"]
    points = cases.drop_duplicates(subset=list(POINT_KEY))
    points = points[points["actual"].notna()]
    data = load_example("dtp3").observations
    wide = data.pivot_table(index="geo", columns="year", values="value")
    lowest = [wide.loc[geo, [y for y in range(origin - window + 1, origin + 1)
                             if y in wide.columns]].min()
              for geo, origin in zip(points["geo"], points["origin"], strict=True)]
    points = points.assign(window=np.where(np.asarray(lowest) >= floor,
                                           f"all years >= {floor:g}%", "the others"))
    rows = []
    for (window_kind, horizon), group in points.groupby(["window", "horizon"]):
        reaching = group["lo_95"] < 80
        rows.append({
            "window": window_kind, "horizon": horizon, "n_forecasts": len(group),
            "countries": group["geo"].nunique(),
            "below_lo_80": float((group["actual"] < group["lo_80"]).mean()),
            "below_lo_95": float((group["actual"] < group["lo_95"]).mean()),
            "above_hi_95": float((group["actual"] > group["hi_95"]).mean()),
            "lo_95_below_80": float(reaching.mean()),
            "of_them_below_80": int((group.loc[reaching, "actual"] < 80).sum()),
        })
    return pd.DataFrame(rows)


def print_table(frame: pd.DataFrame, title: str, digits: int = 3) -> None:
    print(f"\n## {title}\n")
    with pd.option_context("display.width", 200, "display.max_columns", 30,
                           "display.max_rows", 500):
        print(frame.round(digits).to_string(index=False))


def goals(result: BacktestResult) -> pd.DataFrame:
    """The issue's goals, per family and overall: met or not."""
    cmp = table(result)
    rows = []
    for family, group in cmp.groupby("family", sort=False):
        hb = group[group.method == "hbkit"].iloc[0]
        others = group[group.method != "hbkit"]
        rows.append({
            "family": family,
            "brier_below_every_baseline": bool((hb.brier < others.brier).all()),
            "ece<=0.05": bool(hb.ece <= 0.05),
            # judged on the randomised-PIT coverage: the plain share inside an interval of
            # whole counts is above 80% for a calibrated forecast (see hbkit.scores)
            "pit_coverage_80_in_75-85": bool(0.75 <= hb.pit_coverage_80 <= 0.85),
            "coverage_80_in_75-85": bool(0.75 <= hb.coverage_80 <= 0.85),
        })
    return pd.DataFrame(rows)


def intervals_table(result: BacktestResult, n_boot: int = 1000) -> pd.DataFrame:
    """Each goal's figure with its 95% cluster-bootstrap interval, by family and overall.

    ``ece_if_calibrated`` is the ECE a perfectly calibrated forecaster would show
    on the same probabilities (mean and 95% range; outcomes drawn independently,
    so a lower bound for clustered cases). See :mod:`hbkit.backtesting.uncertainty`.
    """
    long = pd.concat([result.score_intervals(by="family", n_boot=n_boot),
                      result.score_intervals(n_boot=n_boot).assign(family="overall")],
                     ignore_index=True)
    long["text"] = [f"{e:.3f} [{lo:.3f}, {hi:.3f}]" for e, lo, hi
                    in zip(long.estimate, long.lo, long.hi, strict=True)]
    wide = long.pivot(index="family", columns="metric", values="text")
    clusters = long.drop_duplicates("family").set_index("family")
    wide["resampled"] = [f"{n} {c}" for c, n in zip(clusters.loc[wide.index, "cluster"],
                                                    clusters.loc[wide.index, "n_clusters"],
                                                    strict=True)]
    best = long[long.metric == "brier_minus_best_baseline"].set_index("family")["detail"]
    wide["best_baseline"] = best.reindex(wide.index)
    order = ["brier", "brier_minus_best_baseline", "best_baseline", "ece", "ece_if_calibrated",
             "calibration_gap", "pit_coverage_80", "resampled"]
    return wide[order].reset_index()


def save_reliability(result: BacktestResult, path: str) -> None:
    """Reliability diagrams of hbkit's probabilities: overall and one per family."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hbkit.plotting import reliability_diagram

    families = sorted(result.cases["family"].unique())
    ncols = 3
    nrows = -(-(len(families) + 1) // ncols)
    fig, grid = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 4.8 * nrows), squeeze=False)
    axes = grid.ravel()
    reliability_diagram(result.reliability(), lang="en", ax=axes[0])
    axes[0].set_title("all families", loc="left", fontsize=10)
    for ax, family in zip(axes[1:], families, strict=False):
        reliability_diagram(result.reliability(by="family").query("family == @family"),
                            lang="en", ax=ax)
        ax.set_title(family, loc="left", fontsize=10)
    for ax in axes[len(families) + 1:]:
        ax.set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)


def country_halves() -> tuple[list[str], list[str]]:
    """The IGME and DTP3 countries split at random into a fitting and a checking half."""
    return split_geos(set(load_example("igme2021").observations["geo"])
                      | set(load_example("dtp3").observations["geo"]))


def choose_by_rule(runs: Mapping[float, BacktestResult], best: float, what: str,
                   shipped: str, none: float = 1.0) -> float:
    """The rule fixed beforehand: ``best`` if its paired Brier gain over ``none`` is significant.

    ``none`` is the value that changes nothing (1.0 for a factor, 0 for a prior).
    Prints the gain with its 95% country-cluster bootstrap interval; returns
    ``best`` when the interval lies below 0, else ``none``.
    """
    from hbkit.backtesting.calibrate import paired_brier_difference

    print(f"\nBrier-minimising {what}: {best}")
    diff, lo, hi = paired_brier_difference(runs[none], runs[best])
    print(f"paired Brier difference ({what} {best} minus {none}): {diff:+.5f} "
          f"(95% country-cluster bootstrap {lo:+.5f} to {hi:+.5f})")
    chosen = best if hi < 0 else none
    print(f"{what} by the rule: {chosen} (shipped {shipped})")
    return chosen


def fit_inflation_and_check() -> None:
    """Fit the inflation on half the countries; test its gain over 1.0; check on the other half.

    Rule: the Brier-minimising inflation on the fitting half is shipped only if
    its paired Brier gain over 1.0 (no correction) is significant (95% interval
    of a country-cluster bootstrap entirely below 0); otherwise 1.0 is kept.
    """
    from hbkit.models.calibration import DEFAULT_INFLATION

    fit_geos, check_geos = country_halves()
    fit_families = ["IGME mortality", "DTP3 coverage", "district counts (simulated)"]
    runs: dict[float, BacktestResult] = {}

    def run(k: float) -> BacktestResult:
        runs[k] = run_families(k, fit_geos, quick=True, families=fit_families, n_draws=500)
        return runs[k]

    best, grid = fit_inflation(run, INFLATION_GRID)
    print_table(grid, f"inflation grid on the fitting half ({len(fit_geos)} countries)", digits=4)
    chosen = choose_by_rule(runs, best, "inflation", f"DEFAULT_INFLATION: {DEFAULT_INFLATION}")
    check = run_families(chosen, check_geos)
    print_table(table(check), f"check half ({len(check_geos)} countries) with inflation {chosen}")
    print_table(goals(check), "goals on the check half")


def fit_unscored_weight_and_check() -> None:
    """Fit the level model's prior weight on three-point series; check it on other series.

    Only a series with no point to score out of sample uses the prior weights,
    so they are fitted on 3-year windows (every series has three points) of a
    random half of the IGME and DTP3 countries, by the Brier score over
    ``LEVEL_WEIGHT_GRID``. Rule: the best weight is shipped only if its paired
    Brier gain over 1.0 (equal weights) is significant (95% country-cluster
    bootstrap interval below 0). The check: the other half of the countries and
    China's official series (never used in the fit), at 3-year windows.
    """
    from hbkit.models.averaging import UNSCORED_WEIGHTS

    fit_geos, check_geos = country_halves()
    runs: dict[float, BacktestResult] = {}

    def run(weight: float) -> BacktestResult:
        runs[weight] = run_families(
            geos=fit_geos, quick=True, families=["IGME mortality", "DTP3 coverage"],
            n_draws=500, window=3, unscored_weights={"level": weight})
        return runs[weight]

    best, grid = fit_on_grid(run, LEVEL_WEIGHT_GRID, name="level_weight")
    print_table(grid, f"level prior weight on the fitting half ({len(fit_geos)} countries), "
                "3-year windows", digits=4)
    per_family = pd.concat([runs[w].scores(by="family").assign(level_weight=w) for w in runs])
    print_table(per_family.pivot(index="level_weight", columns="family",
                                 values=["brier", "ece"]).reset_index(),
                "the same, by family (Brier, ECE)", digits=4)
    chosen = choose_by_rule(runs, best, "level weight", f"UNSCORED_WEIGHTS: {UNSCORED_WEIGHTS}")
    families = ["IGME mortality", "DTP3 coverage", "China official",
                "China official (rule targets)"]
    for weight in dict.fromkeys((1.0, chosen)):
        check = run_families(geos=None, families=families[2:], window=3,
                             unscored_weights={"level": weight})
        check = BacktestResult.concat([
            run_families(geos=check_geos, families=families[:2], window=3,
                         unscored_weights={"level": weight}), check])
        print_table(table(check)[lambda t: t.method.isin(["hbkit", "ols_t"])],
                    f"check, 3-year windows, level weight {weight}: other half "
                    f"({len(check_geos)} countries) and China's official series")
        print_table(goals(check), f"goals on the check, level weight {weight}")


@contextmanager
def noise_floor(k: float) -> Iterator[None]:
    """Run with ``k`` as the walk models' noise prior (:data:`hbkit.models.trend.NOISE_FLOOR`)."""
    shipped = trend.NOISE_FLOOR
    trend.NOISE_FLOOR = k
    try:
        yield
    finally:
        trend.NOISE_FLOOR = shipped


@contextmanager
def without_implied_counts() -> Iterator[None]:
    """Run with rates given as values only on the value models, each 0 replaced by half
    the series' smallest positive value (the rule before :mod:`hbkit.models.implied`)."""
    import hbkit.models as models
    shipped = models.project
    models.project = functools.partial(shipped, implied_from_rates=False)
    try:
        yield
    finally:
        models.project = shipped


def values_only_table(quick: bool = False) -> pd.DataFrame:
    """The simulated district counts given as rates only (no deaths, no births), as a
    department may report them: hbkit with the counts the rates imply (shipped), with the
    value models, and the best baseline by Brier score, per indicator, on the same cases."""
    obs = district_counts().drop(columns=["numerator", "denominator"])

    def run() -> BacktestResult:
        return backtest(obs, COUNT_RULES, range(2008, 2016, 2 if quick else 1), horizon=HORIZONS,
                        window=WINDOW, directions={"imr_district": "decrease",
                                                   "mmr_district": "decrease"},
                        family="district rates, values only")

    shipped = run()
    with without_implied_counts():
        value_models = run()
    columns = ["indicator", "method", "n_scored", "outcome_rate", "mean_probability", "brier",
               "log_score", "ece", "coverage_80", "pit_coverage_80"]
    parts = []
    for label, result in (("hbkit (implied counts)", shipped),
                          ("hbkit (value models, 0 -> half the smallest)", value_models)):
        compared = result.compare(by="indicator")
        parts.append(compared[compared["method"] == "hbkit"].assign(method=label))
    baselines = shipped.compare(by="indicator")
    baselines = baselines[baselines["method"] != "hbkit"]
    best = baselines.loc[baselines.groupby("indicator")["brier"].idxmin()]
    parts.append(best.assign(method="best baseline: " + best["method"]))
    out = pd.concat(parts, ignore_index=True).reindex(columns=columns)
    return out.sort_values(["indicator", "method"], kind="stable", ignore_index=True)


def over_windows(run: Callable[[int], BacktestResult]) -> BacktestResult:
    """``run(window)`` for every window of ``NOISE_FLOOR_WINDOWS``, the family named by window."""
    parts = []
    for window in NOISE_FLOOR_WINDOWS:
        result = run(window)
        cases = result.cases.assign(family=result.cases["family"] + f", {window} years")
        parts.append(BacktestResult(cases, result.levels, result.settings))
    return BacktestResult.concat(parts)


def fit_noise_floor_and_check() -> None:
    """Fit k of the walk models' noise prior on half the countries; check it on other series.

    The prior matters most for short series, so it is fitted on 4-, 6- and
    8-year windows together (every other origin, 500 draws) of a random half of
    the IGME and DTP3 countries, by the pooled Brier score over
    ``NOISE_FLOOR_GRID``. Rule (as for the inflation and the level weight): the
    best k is shipped only if its paired Brier gain over k = 0 (no prior) is
    significant (95% country-cluster bootstrap interval below 0). The check:
    the other half of the countries, the district counts and China's official
    series (never used in the fit), at the same windows, with k = 0 and the
    chosen k.
    """
    fit_geos, check_geos = country_halves()
    runs: dict[float, BacktestResult] = {}

    def run(k: float) -> BacktestResult:
        with noise_floor(k):
            runs[k] = over_windows(lambda w: run_families(
                geos=fit_geos, quick=True, families=["IGME mortality", "DTP3 coverage"],
                n_draws=500, window=w))
        return runs[k]

    best, grid = fit_on_grid(run, NOISE_FLOOR_GRID, name="noise_floor")
    print_table(grid, f"noise prior k on the fitting half ({len(fit_geos)} countries), "
                f"windows {NOISE_FLOOR_WINDOWS} pooled", digits=4)
    per_family = pd.concat([runs[k].scores(by="family").assign(noise_floor=k) for k in runs])
    print_table(per_family.pivot(index="noise_floor", columns="family",
                                 values=["brier", "ece", "pit_coverage_80"]).reset_index(),
                "the same, by family and window (Brier, ECE, 80% PIT coverage)", digits=4)
    chosen = choose_by_rule(runs, best, "noise prior k",
                            f"NOISE_FLOOR: {trend.NOISE_FLOOR}", none=0.0)
    others = ["district counts (simulated)", "China official", "China official (rule targets)"]
    for k in dict.fromkeys((0.0, chosen)):
        with noise_floor(k):
            check = over_windows(lambda w: BacktestResult.concat([
                run_families(geos=check_geos, families=["IGME mortality", "DTP3 coverage"],
                             window=w),
                run_families(families=others, window=w)]))
        print_table(table(check)[lambda t: t.method.isin(["hbkit", "ols_t"])],
                    f"check, noise prior k = {k}: other half ({len(check_geos)} countries), "
                    "district counts and China's official series")
        print_table(goals(check), f"goals on the check, noise prior k = {k}")


def slope_prior_evidence() -> None:
    """The count models' slope prior sd, per link scale, from the slopes of real series.

    Fitted on China's official series and WUENIC DTP3 (6-year windows); the UN
    IGME series, whose trajectories drive the simulated district counts the
    prior is checked on, are shown beside them but not used.
    """
    from hbkit.backtesting.calibrate import link_scale_slopes, slope_prior_sd
    from hbkit.models.counts import SLOPE_PRIOR_SD

    fitted = {"China official": "china", "DTP3 coverage": "dtp3"}
    shown = {**fitted, "IGME mortality (not used)": "igme2021"}
    slopes = {family: link_scale_slopes(load_example(name).observations)
              for family, name in shown.items()}
    rows = []
    for family, frame in slopes.items():
        for scale, group in frame.groupby("scale"):
            slope = group["slope"]
            rows.append({"family": family, "scale": scale, "windows": len(group),
                         "series": group[["indicator", "geo"]].drop_duplicates().shape[0],
                         "mean": slope.mean(), "sd": slope.std(),
                         "rms": float((slope**2).mean() ** 0.5),
                         "abs_p95": slope.abs().quantile(0.95), "abs_max": slope.abs().max()})
    print_table(pd.DataFrame(rows), "yearly slopes on the link scale, 6-year windows")
    print()
    for scale, family in (("log", "poisson"), ("logit", "binomial")):
        frames = [frame[frame["scale"] == scale] for name, frame in slopes.items()
                  if name in fitted and (frame["scale"] == scale).any()]
        print(f"{family} ({scale}): prior sd by the rule {slope_prior_sd(frames)}; "
              f"shipped SLOPE_PRIOR_SD['{family}'] = {SLOPE_PRIOR_SD[family]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="every other origin")
    parser.add_argument("--fit-inflation", action="store_true",
                        help="fit the spread inflation on half the countries, check on the rest")
    parser.add_argument("--inflation", type=float, default=None,
                        help="inflation to run with (default: the shipped DEFAULT_INFLATION)")
    parser.add_argument("--slope-prior", action="store_true",
                        help="measure the count models' slope prior on real series")
    parser.add_argument("--fit-unscored-weight", action="store_true",
                        help="fit the level model's prior weight on three-point series")
    parser.add_argument("--fit-noise-floor", action="store_true",
                        help="fit the walk models' noise prior on 4-8-year windows")
    parser.add_argument("--plot", default=None, help="save the reliability diagram (PNG)")
    parser.add_argument("--window", type=int, default=WINDOW,
                        help=f"years of history the model sees (default {WINDOW})")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.slope_prior:
        slope_prior_evidence()
        return
    if args.fit_unscored_weight:
        fit_unscored_weight_and_check()
        print(f"\ntime: {time.perf_counter() - start:.0f} s")
        return
    if args.fit_noise_floor:
        fit_noise_floor_and_check()
        print(f"\ntime: {time.perf_counter() - start:.0f} s")
        return
    if args.fit_inflation:
        fit_inflation_and_check()
        print(f"\ntime: {time.perf_counter() - start:.0f} s")
        return
    result = run_families(args.inflation, quick=args.quick, window=args.window)
    print(f"cases: {len(result.cases)}; window: {args.window} years; "
          f"inflation: {args.inflation if args.inflation else 'default'}")
    print_table(table(result), "hbkit vs baselines (same cases), by family and overall")
    print_table(decomposition_table(result), "Brier decomposition on the same cases: reliability "
                "(calibration, lower is better) and resolution (higher is better)")
    print_table(result.scores(by=["family", "kind"]), "hbkit by family and kind")
    print_table(result.scores(by=["family", "horizon"]), "hbkit by family and horizon")
    print_table(result.scores(by=["family", "n_obs"]), "hbkit by family and years observed in "
                "the window (n_obs; StatusRules.short_history flags <= 4 in reports)")
    print_table(flat_window_table(result), "hbkit by family on windows reported the same every "
                "year (flat_window) and the others; certain_and_wrong: probability 0 or 1, "
                "outcome the other")
    print_table(moved_last_table(result), "hbkit by family on windows that held one value and "
                "moved only in their last year (moved_last_only)")
    print_table(pit_table(result), "randomised-PIT histogram (share of forecasts per tenth; "
                "flat = 0.1 when calibrated)")
    print_table(interval_check_table(result), "printed intervals: the share of actual values "
                "inside (coverage), the model's own probability of them (model_coverage) and the "
                "randomised-PIT coverage")
    print_table(near_ceiling_table(result, args.window), "DTP3 windows that never went below 97% "
                "and the others: actual values outside the printed intervals, and the 95% "
                "intervals that reach below 80%")
    print_table(values_only_table(args.quick), "district counts given as rates only (no deaths, "
                "no births; not a goal family): the counts the rates imply vs the value models")
    print_table(goals(result), "goals")
    print_table(intervals_table(result), "how sure: 95% cluster-bootstrap intervals "
                "(resampling geos, or series in a family of < 10 geos); ece_if_calibrated: "
                "the ECE of a perfectly calibrated forecaster on the same probabilities")
    if args.plot:
        save_reliability(result, args.plot)
        print(f"\nreliability diagram written to {args.plot}")
    print(f"\ntime: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
