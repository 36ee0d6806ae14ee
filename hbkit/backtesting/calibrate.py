"""Fitting the spread inflation on backtests, on some series, and checking it on others.

The shipped default (:data:`hbkit.models.calibration.DEFAULT_INFLATION`) is
fitted by :func:`fit_inflation` on a random half of the countries
(:func:`split_geos`) and checked on the other half and on other data
(``benchmarks/bench_backtest.py --fit-inflation`` runs both steps; the figures
are in ``docs/validation.md``). One number for every indicator: it is not tuned
per indicator family, because hbkit will be used on series it has never seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from hbkit.backtesting.result import BacktestResult

__all__ = ["INFLATION_GRID", "fit_inflation", "paired_brier_difference", "split_geos"]

#: candidate inflations (multipliers of the predictive spread on the model scale)
INFLATION_GRID: tuple[float, ...] = (0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5, 1.75, 2.0)


def split_geos(geos: Iterable[str], seed: int = 2021) -> tuple[list[str], list[str]]:
    """Split geo codes at random into two halves (fit, check), reproducibly.

    Examples
    --------
    >>> fit, check = split_geos(["A", "B", "C", "D"], seed=1)
    >>> sorted(fit + check), len(fit)
    (['A', 'B', 'C', 'D'], 2)
    """
    unique = sorted(set(geos))
    order = np.random.default_rng(seed).permutation(len(unique))
    half = len(unique) // 2
    fit = sorted(unique[i] for i in order[:half])
    check = sorted(unique[i] for i in order[half:])
    return fit, check


def fit_inflation(
    run: Callable[[float], BacktestResult],
    grid: Sequence[float] = INFLATION_GRID,
    score: str = "brier",
) -> tuple[float, pd.DataFrame]:
    """Inflation minimising a proper score of the probabilities over ``grid``.

    Parameters
    ----------
    run
        ``run(inflation) -> BacktestResult`` on the fitting series.
    grid
        Candidate inflations.
    score
        ``"brier"`` (default) or ``"log_score"``: the score minimised. The
        interval coverage is reported beside it, as a check, not fitted.

    Returns
    -------
    (best, table)
        The best inflation and one row per candidate with the overall scores.
    """
    rows = []
    for k in grid:
        row = run(float(k)).scores().iloc[0].to_dict()
        rows.append({"inflation": float(k), **row})
    table = pd.DataFrame(rows)
    best = float(table["inflation"].to_numpy()[int(np.argmin(table[score].to_numpy()))])
    return best, table


def paired_brier_difference(
    a: BacktestResult, b: BacktestResult, n_boot: int = 2000, seed: int = 0
) -> tuple[float, float, float]:
    """Brier(b) - Brier(a) on the cases both scored, with a 95% cluster-bootstrap interval.

    Cases are matched on (family, indicator, geo, origin, target year, rule);
    the bootstrap resamples geos (countries), since the cases of one country
    are not independent.

    Returns
    -------
    (difference, lo, hi)
        Negative values mean ``b`` scores better.
    """
    key = ["family", "indicator", "geo", "origin", "target_year", "rule"]
    left = a.cases.set_index(key)
    right = b.cases.set_index(key)
    diff = ((right.probability - right.outcome) ** 2
            - (left.probability - left.outcome) ** 2).dropna()
    per_geo = diff.groupby(level="geo").agg(["sum", "count"])
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(per_geo), (n_boot, len(per_geo)))
    sums = per_geo["sum"].to_numpy()[idx].sum(axis=1)
    counts = per_geo["count"].to_numpy()[idx].sum(axis=1)
    lo, hi = np.quantile(sums / counts, [0.025, 0.975])
    return float(diff.mean()), float(lo), float(hi)
