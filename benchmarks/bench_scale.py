"""Benchmark: the shipped catalogue over 2,850 county-level areas, read and assessed.

Goal (issue 4, section 5): about 180,000 series of 8 years read and assessed in
<= 30 s and <= 4 GB on a 2-core machine. This script generates seeded
synthetic observations for every quantitative indicator of the shipped
catalogue in 2,850 areas (counts with denominators for rates of events such as
deaths per live births, percentages with their denominators for half of the
coverage indicators, plain values for the rest), then times

1. ``hbkit.read_observations`` on the whole frame (validation of every row),
2. ``hbkit.assess`` on the validated observations (every target x area),

and prints wall time, peak resident memory (``resource.getrusage`` maxrss),
the time to word a notice about data rows for each area (what
``Assessment.subset`` needs; the generated data raise no such notice, so one is
made on them plus a row per area of an indicator no target uses),
series per second, and the ratio against a per-series statsmodels loop (OLS
on the model scale, or a Poisson/binomial GLM for count series, with a
prediction interval), timed on a sample of series and extrapolated.

Run: ``.venv/bin/python benchmarks/bench_scale.py --max-indicators 64 --csv`` for the
issue's ~180,000 series read from a CSV file; without ``--max-indicators`` every
quantitative indicator of the shipped catalogue is used (128 indicators, ~365,000
series). Other options: ``--areas 2850 --draws 1000 --streets 0 --skip-read``.
It is a benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import warnings

import numpy as np
import pandas as pd

YEARS = np.arange(2016, 2024)


def synthetic_observations(catalogue, n_areas: int, seed: int = 0,
                           max_indicators: int | None = None, streets: int = 0) -> pd.DataFrame:
    """Seeded synthetic observations of the catalogue's indicators in ``n_areas`` areas.

    ``max_indicators`` keeps the first indicators of the catalogue's indicator
    table; ``streets`` adds that many sub-units per area for the percentage
    indicators of ``each_unit`` targets (with counts).
    """
    rng = np.random.default_rng(seed)
    table = catalogue.indicator_table()
    if max_indicators is not None:
        table = table.head(max_indicators)
    kinds = catalogue.to_frame().groupby("indicator")["kind"].agg(set)
    geos = np.array([f"area{i:04d}" for i in range(n_areas)], dtype=object)
    t = (YEARS - YEARS.mean())[None, :]
    pieces = []
    for k, row in enumerate(table.itertuples(index=False)):
        ind, unit, bounded = row.indicator, row.unit, bool(row.bounded)
        if kinds.get(ind, set()) <= {"count_minimum"} and ind in kinds:
            values = rng.poisson(2.0, size=(n_areas, YEARS.size)).astype(float)
            num = den = np.full_like(values, np.nan)
        elif unit in ("per_1000", "per_10k", "per_100k"):
            scale = {"per_1000": 1e3, "per_10k": 1e4, "per_100k": 1e5}[unit]
            rate = rng.uniform(2, 20, size=(n_areas, 1)) / scale * np.exp(
                rng.normal(-0.03, 0.02, size=(n_areas, 1)) * t)
            den = np.rint(rng.uniform(2_000, 20_000, size=(n_areas, 1)) * np.ones_like(t))
            num = rng.poisson(rate * den).astype(float)
            values = num / den * scale
        elif unit == "percent" and bounded:
            level = rng.uniform(-1.0, 4.0, size=(n_areas, 1))
            slope = rng.normal(0.05, 0.05, size=(n_areas, 1))
            p = 1 / (1 + np.exp(-(level + slope * t + rng.normal(0, 0.05, (n_areas, YEARS.size)))))
            if k % 2 == 0:
                den = np.rint(rng.uniform(500, 5_000, size=(n_areas, 1)) * np.ones_like(t))
                num = rng.binomial(den.astype(np.int64), p).astype(float)
                values = num / den * 100
            else:
                num = den = np.full_like(p, np.nan)
                values = np.round(p * 100, 2)
        else:
            base = rng.uniform(5, 80, size=(n_areas, 1))
            values = np.round(base * (1 + 0.02 * t) + rng.normal(0, 0.5, (n_areas, YEARS.size)), 2)
            if unit == "percent":
                values = np.clip(values, 0, None)
            num = den = np.full_like(values, np.nan)
        pieces.append(pd.DataFrame({
            "indicator": ind,
            "geo": np.repeat(geos, YEARS.size),
            "year": np.tile(YEARS, n_areas),
            "value": values.ravel(),
            "numerator": num.ravel(),
            "denominator": den.ravel(),
            "unit": unit,
            "source": "hbkit benchmark (simulated 模拟)",
        }))
    if streets:
        pieces.append(_street_rows(catalogue, table, geos, streets, rng))
    return pd.concat(pieces, ignore_index=True)


def _street_rows(catalogue, table, geos, streets: int, rng) -> pd.DataFrame:
    """Street rows (with counts) for the percentage indicators judged in each unit."""
    frame = catalogue.to_frame()
    each = set(frame.loc[frame["each_unit"].notna() & (frame["unit"] == "percent"), "indicator"])
    names = [f"{g}/street{j:02d}" for g in geos for j in range(streets)]
    pieces = []
    for ind in sorted(each & set(table["indicator"])):
        n = np.rint(rng.uniform(100, 800, size=(len(names), 1)) * np.ones((1, YEARS.size)))
        p = 1 / (1 + np.exp(-rng.normal(3.5, 0.4, size=(len(names), 1))))
        k = rng.binomial(n.astype(np.int64), p * np.ones((1, YEARS.size))).astype(float)
        pieces.append(pd.DataFrame({
            "indicator": ind, "geo": np.repeat(names, YEARS.size),
            "year": np.tile(YEARS, len(names)), "value": (k / n * 100).ravel(),
            "numerator": k.ravel(), "denominator": n.ravel(), "unit": "percent",
            "source": "hbkit benchmark (simulated 模拟)"}))
    return pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame()


def statsmodels_loop(frame: pd.DataFrame, sample: int, seed: int = 0) -> tuple[float, int]:
    """Seconds per series of a per-series statsmodels fit + prediction interval."""
    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    keys = frame[["indicator", "geo"]].drop_duplicates()
    pick = keys.iloc[rng.choice(len(keys), size=min(sample, len(keys)), replace=False)]
    sub = frame.merge(pick, on=["indicator", "geo"])
    groups = list(sub.groupby(["indicator", "geo"], sort=False))
    start = time.perf_counter()
    failed = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _, g in groups:
            try:
                _fit_one(sm, g)
            except (ValueError, np.linalg.LinAlgError):
                failed += 1  # e.g. a GLM on all-zero counts; timed all the same
    if failed:
        print(f"  (statsmodels failed on {failed} of {len(groups)} sampled series)")
    return (time.perf_counter() - start) / max(len(groups), 1), len(groups)


def _fit_one(sm, g: pd.DataFrame) -> None:
    """One per-series fit and a two-year prediction interval, the way a loop would do it."""
    x = sm.add_constant(g["year"].to_numpy(dtype=float) - 2020.0)
    new = sm.add_constant(np.array([4.0, 5.0]), has_constant="add")
    if g["denominator"].notna().all():
        unit = g["unit"].iloc[0]
        if unit == "percent":
            endog = np.column_stack([g["numerator"], g["denominator"] - g["numerator"]])
            fit = sm.GLM(endog, x, family=sm.families.Binomial()).fit()
        else:
            fit = sm.GLM(g["numerator"].to_numpy(), x, family=sm.families.Poisson(),
                         exposure=g["denominator"].to_numpy()).fit()
    else:
        y = g["value"].to_numpy(dtype=float)
        if g["unit"].iloc[0] == "percent":
            p = np.clip(y / 100, 1e-3, 1 - 1e-3)
            y = np.log(p / (1 - p))
        fit = sm.OLS(y, x).fit()
    fit.get_prediction(new).summary_frame(alpha=0.2)


def time_notices_by_area(frame: pd.DataFrame, catalogue) -> tuple[float, int]:
    """Wall time of :func:`hbkit.assessment.area.notices_by_area` wording one notice
    about data rows (rows of an indicator no target uses: one more per area) for
    every area of ``frame``, and the number of areas it speaks of."""
    from hbkit.assessment.area import notices_by_area
    from hbkit.assessment.unused import note_unused_indicators
    from hbkit.notices import collecting

    areas = [str(g) for g in pd.unique(frame["geo"])]
    rows = pd.concat([frame[["indicator", "geo"]],
                      pd.DataFrame({"indicator": "bench_unlisted_indicator", "geo": areas})],
                     ignore_index=True)
    with collecting() as notes, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        note_unused_indicators(rows, list(catalogue))
    start = time.perf_counter()
    by_area = notices_by_area(notes, areas)
    return time.perf_counter() - start, len(by_area[0] or {})


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=2850)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=500, help="series timed with statsmodels")
    parser.add_argument("--max-indicators", type=int, default=None,
                        help="only the first N indicators (64 x 2,850 areas ~ 180,000 series)")
    parser.add_argument("--streets", type=int, default=0,
                        help="sub-units per area for the each_unit percentage indicators")
    parser.add_argument("--skip-read", action="store_true",
                        help="skip read_observations (assess a validated frame directly)")
    parser.add_argument("--csv", action="store_true",
                        help="write the rows to a UTF-8 CSV first (not timed) and time reading "
                        "the file, as an analyst's data arrive")
    args = parser.parse_args()

    import hbkit
    from hbkit.observations import Observations

    catalogue = hbkit.load_catalogue()
    t0 = time.perf_counter()
    frame = synthetic_observations(catalogue, args.areas, max_indicators=args.max_indicators,
                                   streets=args.streets)
    n_series = frame.groupby(["indicator", "geo"]).ngroups
    print(f"generated {len(frame):,} rows = {n_series:,} series x {YEARS.size} years "
          f"in {args.areas:,} areas ({time.perf_counter() - t0:.1f} s, not counted)")

    t_read = 0.0
    print(f"load average (1 min) at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.skip_read:
        obs = Observations(frame=frame.assign(file="<bench>", row=np.arange(len(frame)) + 2))
    else:
        source: pd.DataFrame | str = frame
        if args.csv:
            import tempfile

            source = os.path.join(tempfile.mkdtemp(prefix="hbkit-bench-"), "observations.csv")
            frame.to_csv(source, index=False)
            print(f"wrote {source} ({os.path.getsize(source) / 1e6:,.0f} MB, not counted)")
        t1 = time.perf_counter()
        cpu1 = _cpu_seconds()
        obs = hbkit.read_observations(source, catalogue)
        t_read = time.perf_counter() - t1
        print(f"read_observations: {t_read:.1f} s wall, {_cpu_seconds() - cpu1:.1f} s CPU")
    t2 = time.perf_counter()
    cpu2 = _cpu_seconds()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = hbkit.assess(obs, catalogue=catalogue, n_draws=args.draws, seed=0)
    t_assess = time.perf_counter() - t2
    cpu_assess = _cpu_seconds() - cpu2
    total = t_read + t_assess
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    out = res.to_frame()
    print(f"assess: {t_assess:.1f} s for {len(out):,} (target, area) rows, "
          f"{len(res.warnings_frame()):,} warnings")
    print(f"read + assess: {total:.1f} s wall (goal <= 30 s); {n_series / total:,.0f} series/s; "
          f"assess used {cpu_assess:.1f} s of CPU (all threads)")
    print(f"load average (1 min) now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          "(wall times grow with the load of other jobs; CPU time does not)")
    print(f"peak resident memory: {peak_gb:.2f} GB (goal <= 4 GB)")
    worded, n_worded = time_notices_by_area(frame, catalogue)
    print(f"one notice about data rows worded for each of {n_worded:,} areas "
          f"(Assessment.subset): {worded:.2f} s")
    per_series, n_sample = statsmodels_loop(frame, args.sample)
    loop_total = per_series * n_series
    print(f"statsmodels per-series loop: {per_series * 1e3:.2f} ms/series on {n_sample} series, "
          f"extrapolated {loop_total:,.0f} s for {n_series:,} series; "
          f"hbkit is {loop_total / total:,.1f}x faster (and simulates {args.draws} joint paths "
          "per series, which the loop does not)")
    print(out["status"].value_counts().to_string())


if __name__ == "__main__":
    main()
