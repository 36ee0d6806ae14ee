"""Fitting one-number settings on backtests, on some series, and checking them on others.

The spread inflation (:data:`hbkit.models.calibration.DEFAULT_INFLATION`) is
fitted by :func:`fit_inflation`, and the ``level`` model's prior weight for
series too short to score (:data:`hbkit.models.averaging.UNSCORED_WEIGHTS`)
by :func:`fit_on_grid`, each on a random half of the countries
(:func:`split_geos`) and checked on the other half and on other data
(``benchmarks/bench_backtest.py --fit-inflation`` and ``--fit-unscored-weight``
run both steps; the figures are in ``docs/validation.md``). The count models'
slope prior is measured on real series (:func:`link_scale_slopes`,
:func:`slope_prior_sd`). One number for every indicator: nothing is tuned per
indicator family, because hbkit will be used on series it has never seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from hbkit.backtesting.result import BacktestResult
from hbkit.models.scales import choose_scale, to_model_scale

__all__ = [
    "INFLATION_GRID",
    "fit_inflation",
    "fit_on_grid",
    "link_scale_slopes",
    "paired_brier_difference",
    "slope_prior_sd",
    "split_geos",
]

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


def fit_on_grid(
    run: Callable[[float], BacktestResult],
    grid: Sequence[float],
    score: str = "brier",
    name: str = "value",
) -> tuple[float, pd.DataFrame]:
    """The value of one setting minimising a proper score of the probabilities over ``grid``.

    Parameters
    ----------
    run
        ``run(value) -> BacktestResult`` on the fitting series.
    grid
        Candidate values.
    score
        ``"brier"`` (default) or ``"log_score"``: the score minimised. The
        interval coverage is reported beside it, as a check, not fitted.
    name
        Column of the candidate values in the returned table.

    Returns
    -------
    (best, table)
        The best value and one row per candidate with the overall scores.
    """
    rows = []
    for k in grid:
        row = run(float(k)).scores().iloc[0].to_dict()
        rows.append({name: float(k), **row})
    table = pd.DataFrame(rows)
    best = float(table[name].to_numpy()[int(np.argmin(table[score].to_numpy()))])
    return best, table


def fit_inflation(
    run: Callable[[float], BacktestResult],
    grid: Sequence[float] = INFLATION_GRID,
    score: str = "brier",
) -> tuple[float, pd.DataFrame]:
    """Inflation minimising a proper score of the probabilities over ``grid``.

    :func:`fit_on_grid` with the column named ``inflation``; ``run(inflation)``
    backtests the fitting series with that spread inflation.
    """
    return fit_on_grid(run, grid, score, name="inflation")


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


def link_scale_slopes(
    observations: pd.DataFrame, window: int = 6, min_points: int = 4
) -> pd.DataFrame:
    """Yearly slopes of real series on the count models' link scale, one per window.

    The count models' slope prior (:data:`hbkit.models.counts.SLOPE_PRIOR_SD`)
    is a statement about how fast such series change: on the log scale for
    rates (``per_1000``, ``per_100k`` ...) and on the logit scale for
    percentages that stay within (0, 100). This function measures it: for every
    series and every window of ``window`` consecutive years ending at an observed
    year, the ordinary least-squares slope per year of the transformed values,
    when the window holds at least ``min_points`` observations, first to last
    covering at least ``min_points`` calendar years. Other units (years,
    counts) and percentages above 100 or at 0 / 100 are skipped: the count
    models do not use them.

    The slopes of observed values include the reporting noise, so their spread
    is an upper estimate of the spread of the true trends.

    Parameters
    ----------
    observations
        Long frame ``indicator, geo, year, value, unit``.
    window
        Years per window (6: the shortest history the backtests use).
    min_points
        Observations a window needs (and years it must span).

    Returns
    -------
    pandas.DataFrame
        ``indicator, geo, end_year, scale, n_points, slope``.

    Examples
    --------
    >>> years = list(range(2010, 2017))
    >>> obs = pd.DataFrame({"indicator": "imr", "geo": "A", "year": years,
    ...                     "value": [10 * 0.95 ** (y - 2010) for y in years],
    ...                     "unit": "per_1000"})
    >>> out = link_scale_slopes(obs, window=6)
    >>> out[["end_year", "scale", "n_points"]].values.tolist()
    [[2013, 'log', 4], [2014, 'log', 5], [2015, 'log', 6], [2016, 'log', 6]]
    >>> round(float(out["slope"].iloc[0]), 4)   # log(0.95)
    -0.0513
    """
    rows = []
    for (indicator, geo), series in observations.groupby(["indicator", "geo"], sort=True):
        series = series.dropna(subset=["value"]).sort_values("year")
        unit = str(series["unit"].iloc[0])
        values = series["value"].to_numpy(dtype=float)
        positive = bool((values > 0).all())
        bounded = unit == "percent" and positive and bool((values < 100).all())
        scale = choose_scale(unit, bounded=bounded, has_counts=False)
        if scale == "identity" or not positive or (unit == "percent" and not bounded):
            continue
        z = to_model_scale(values[None, :], scale)[0][0]
        years = series["year"].to_numpy(dtype=float)
        for end in years:
            inside = (years > end - window) & (years <= end)
            x = years[inside]
            if inside.sum() < min_points or x.max() - x.min() < min_points - 1:
                continue
            slope = np.polyfit(x, z[inside], 1)[0]
            rows.append((indicator, geo, int(end), scale, int(inside.sum()), float(slope)))
    return pd.DataFrame(rows, columns=["indicator", "geo", "end_year", "scale", "n_points",
                                         "slope"])


def slope_prior_sd(slopes: Sequence[pd.DataFrame]) -> float:
    """A count model's slope prior sd from measured slopes: the largest root mean square, rounded up.

    Each frame holds the slopes of one family of real series on one link scale
    (from :func:`link_scale_slopes`). A zero-centred normal prior fits slopes
    whose root mean square (RMS) is its sd; the largest RMS over the families,
    rounded up to one decimal, gives a prior at least as wide as the
    fastest-changing family seen. Observed slopes include reporting noise, so
    the prior errs on the wide side.

    Examples
    --------
    >>> a = pd.DataFrame({"slope": [-0.05, -0.05]})
    >>> b = pd.DataFrame({"slope": [-0.09, 0.03]})
    >>> slope_prior_sd([a, b])   # RMS 0.05 and 0.067
    0.1
    """
    rms = max(float(np.sqrt(np.mean(np.square(frame["slope"].to_numpy())))) for frame in slopes)
    return float(np.ceil(round(rms * 10, 9)) / 10)
