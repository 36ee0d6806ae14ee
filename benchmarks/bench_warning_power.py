"""Benchmark: how often the fluctuation warning (波动较大) fires, by years observed.

The warning's overdispersion test (``docs/methodology/status-warnings.md``
section 3.2) is calibrated at any length, but its power grows with the number
of observed years: with 3-4 years a real swing is often missed. This script
simulates infant deaths of a district (about 20 a year among 4,000 births,
Poisson), either pure sampling noise (false alarms) or with real year-to-year
swings of the rate (log-scale sd 0.25 and 0.5, independent each year), and
prints the share of series that get the warning for 4, 5, 6 and 8 observed
years.

Run: ``.venv/bin/python benchmarks/bench_warning_power.py`` (a few seconds).
It is a benchmark, not a test: it prints figures and asserts nothing
(``tests/test_assess_warnings.py`` checks the 8-year false-alarm rate and power).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from hbkit.warnings_rules import series_statistics

#: infant deaths per live birth and live births a year of the simulated district
RATE, BIRTHS = 5e-3, 4000.0


def warning_share(n_years: int, swing_sd: float, n_series: int, seed: int) -> float:
    """Share of simulated series with the fluctuation warning."""
    rng = np.random.default_rng([seed, n_years, int(swing_sd * 100)])
    years = np.arange(2024 - n_years, 2024)
    births = np.full((n_series, n_years), BIRTHS)
    swings = np.exp(rng.normal(0.0, swing_sd, size=births.shape)) if swing_sd > 0 else 1.0
    deaths = rng.poisson(births * RATE * swings).astype(float)
    stats = series_statistics(years, deaths / births * 1000, deaths, births, "per_1000",
                              seed=seed)
    return float(stats["fluctuation"].mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=2000, help="series per cell (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = [{"years observed": n, "pure noise (false alarms)": warning_share(n, 0.0, args.series, args.seed),
             "swings sd 0.25": warning_share(n, 0.25, args.series, args.seed),
             "swings sd 0.5": warning_share(n, 0.5, args.series, args.seed)}
            for n in (4, 5, 6, 8)]
    print(f"share of series with the fluctuation warning ({args.series} series per cell, "
          f"~{RATE * BIRTHS:.0f} deaths a year)\n")
    print(pd.DataFrame(rows).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
