"""Benchmark: the ``value-far-from-trend`` data warning on real and simulated series.

Prints, for each shipped example (real: IGME 2021 mortality, WUENIC DTP3, China's
official series; simulated: the Hebei District example, 2016-2023 and 2016-2025)
and for the simulated district counts of the backtest given as values only
(``bench_backtest.district_counts()`` without numerators and denominators, about
20 deaths a year of Poisson noise), how many values the check compared with their
series' trend, how many it flagged and which; then the time the check takes on
the ``bench_scale`` data (2,850 areas) and the time of ``read_observations`` on it.

The false-alarm figures are those quoted beside the thresholds in
:mod:`hbkit.observations.outliers` and checked by ``tests/test_observations_outliers.py``.

Run: ``.venv/bin/python benchmarks/bench_far_from_trend.py`` (``--max-indicators 64``
for the bench_scale data, ``--skip-scale`` to print the false alarms only, ``--list``
to print every flagged value). It is a benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from bench_scale import synthetic_observations  # a sibling script

import hbkit
from hbkit.backtesting.simulate import simulated_districts
from hbkit.datasets import load_example
from hbkit.observations.across import fraction_rows
from hbkit.observations.outliers import check_far_from_trend, far_from_trend


def district_counts_as_values(seed: int = 11) -> pd.DataFrame:
    """``bench_backtest.district_counts()`` with the numerators and denominators dropped."""
    return simulated_districts(seed).assign(numerator=np.nan, denominator=np.nan)


def datasets() -> dict[str, pd.DataFrame]:
    """The frames the false alarms are measured on."""
    out = {name: load_example(name).observations
           for name in ("igme2021", "dtp3", "china", "hebei_example", "hebei_example_final")}
    out["district counts as values"] = district_counts_as_values()
    out["the same, 8-year series"] = eight_year_series(out["district counts as values"])
    return out


def eight_year_series(frame: pd.DataFrame) -> pd.DataFrame:
    """Each series cut into series of 8 years (1998-2005, 2006-2013, 2014-2021): a district's
    plan period, where the spread of a series is estimated from fewer values."""
    part = (frame["year"] - 1998) // 8
    return frame.assign(geo=frame["geo"] + "/" + part.astype(str))


def measure(frame: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    """Values compared with their series' trend, and the flagged ones (``indicator, geo,
    year, value, trend``), the way :func:`check_far_from_trend` sees the frame."""
    counted = frame["numerator"].notna() & frame["denominator"].notna()
    with_counts = counted.groupby([frame["indicator"], frame["geo"]]).transform("any")
    values = frame[~with_counts.to_numpy()].copy()
    values["skip"] = fraction_rows(values.reset_index(drop=True))
    table = values.pivot_table(index=["indicator", "geo"], columns="year", values="value",
                               aggfunc="first", dropna=False)
    skip = values.pivot_table(index=["indicator", "geo"], columns="year", values="skip",
                              aggfunc="first", dropna=False).reindex_like(table)
    found = far_from_trend(table.columns.to_numpy(), table.to_numpy(dtype=float),
                           skip.fillna(False).to_numpy(dtype=bool))
    checked = int(np.isfinite(found.trend).sum())
    rows, cols = found.flagged.nonzero()
    flagged = pd.DataFrame({
        "indicator": table.index.get_level_values(0)[rows],
        "geo": table.index.get_level_values(1)[rows],
        "year": table.columns.to_numpy()[cols],
        "value": table.to_numpy()[rows, cols],
        "trend": found.trend[rows, cols].round(2),
        "level": found.level[rows, cols].round(2)})
    return checked, flagged


def false_alarms(show: bool) -> None:
    print(f"{'data':28s} {'checked':>8s} {'flagged':>8s} {'rate':>7s}")
    for name, frame in datasets().items():
        checked, flagged = measure(frame)
        rate = len(flagged) / checked if checked else 0.0
        print(f"{name:28s} {checked:8,d} {len(flagged):8,d} {rate:7.2%}")
        if show and len(flagged):
            print(flagged.to_string(index=False))


def scale(max_indicators: int | None) -> None:
    catalogue = hbkit.load_catalogue()
    frame = synthetic_observations(catalogue, 2850, max_indicators=max_indicators)
    print(f"bench_scale data: {len(frame):,} rows")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        obs = hbkit.read_observations(frame, catalogue)
        t_read = time.perf_counter() - t0
    clean = obs.frame.assign(table=0, position=np.arange(len(obs.frame)))
    t1 = time.perf_counter()
    found = check_far_from_trend(clean, lambda table, position, year: ("value", None))
    t_check = time.perf_counter() - t1
    print(f"read_observations {t_read:.2f} s, of which the far-from-trend check alone "
          f"{t_check:.2f} s; {len(found)} values flagged "
          f"({obs.warnings['code'].value_counts().to_dict()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-indicators", type=int, default=64)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--list", action="store_true", help="print every flagged value")
    args = parser.parse_args()
    false_alarms(args.list)
    if not args.skip_scale:
        scale(args.max_indicators)


if __name__ == "__main__":
    main()
