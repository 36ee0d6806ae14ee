"""How sure are a backtest's scores? Cluster-bootstrap intervals, and the ECE of a perfect forecaster.

A backtest's cases are not independent: the targets of one series at one
origin share its future, and the series of one country share its health
system. A Brier score or an expected calibration error (ECE) on 34 cases from
a few series can differ from the same forecaster's score on other history by
more than the differences the goals ask about. This module says by how much:

* **Cluster bootstrap** (Davison & Hinkley 1997, section 3.8; Field & Welsh
  2007): whole clusters of cases are resampled with replacement, ``n_boot``
  times, and each score is recomputed; the 2.5% and 97.5% quantiles are its
  95% interval. A cluster is a geo (all of a country's series, the unit
  :func:`hbkit.backtesting.calibrate.paired_brier_difference` resamples too)
  when the group has at least :data:`MIN_GEOS` geos, otherwise a series
  (indicator x geo): China's national series are one geo.
* **The ECE of a calibrated forecaster** on the same probabilities
  (consistency resampling, Broecker & Smith 2007, *Weather and Forecasting*
  22): outcomes are drawn from the probabilities themselves and the ECE
  recomputed. Binned ECE is positive even for a perfect forecaster, the more
  so the fewer the cases; an observed ECE inside this range is what a perfect
  forecaster would show. The draws are independent, so with clustered cases
  the range is a lower bound of what a perfect forecaster would show.

The percentile interval of the ECE is approximate: the ECE is biased upwards in
small samples (it is an absolute value), so is its bootstrap distribution.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> p = rng.uniform(size=4000)
>>> cases = pd.DataFrame({"geo": rng.integers(0, 40, p.size).astype(str), "indicator": "x",
...                       "probability": p, "outcome": (rng.uniform(size=p.size) < p) * 1.0})
>>> out = score_intervals(cases, n_boot=200)
>>> out.metric.tolist()
['brier', 'calibration_gap', 'ece', 'ece_if_calibrated']
>>> gap = out.set_index("metric").loc["calibration_gap"]
>>> bool(gap.lo < 0 < gap.hi), gap.cluster, int(gap.n_clusters)
(True, 'geo', 40)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from hbkit._options import check_seed, count_at_least
from hbkit.backtesting.result import POINT_KEY
from hbkit.exceptions import HbkitValueError
from hbkit.scores import expected_calibration_error, pit_inside, probability_bin

__all__ = ["MIN_GEOS", "score_intervals"]

#: fewest geos for which a group's clusters are geos (else series): a bootstrap over a
#: handful of clusters says little (Cameron, Gelbach & Miller 2008: with 5-30 clusters
#: conventional cluster-robust inference is already too optimistic)
MIN_GEOS = 10
#: bins of the ECE, as in :func:`hbkit.scores.expected_calibration_error`
_N_BINS = 10


def _cluster_ids(frame: pd.DataFrame, cluster: str) -> tuple[np.ndarray, str]:
    """Cluster index per row and the name of the unit resampled."""
    if cluster == "auto":
        cluster = "geo" if frame["geo"].nunique() >= MIN_GEOS else "series"
    if cluster == "geo":
        columns = ["geo"]
    elif cluster == "series":
        columns = ["indicator", "geo"]
    else:
        raise HbkitValueError(f"cluster 须为 'auto'、'geo' 或 'series'；收到 {cluster!r} / "
                              f"cluster must be 'auto', 'geo' or 'series'; received {cluster!r}")
    ids = frame.groupby(columns, sort=False, dropna=False).ngroup().to_numpy()
    return ids, cluster


def _resample_counts(n_clusters: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n_clusters) how often each cluster is drawn in each bootstrap sample."""
    return rng.multinomial(n_clusters, np.full(n_clusters, 1.0 / n_clusters), size=n_boot)


def _sums(ids: np.ndarray, n_clusters: int, values: np.ndarray) -> np.ndarray:
    return np.bincount(ids, weights=values, minlength=n_clusters)


def _interval(draws: np.ndarray) -> tuple[float, float]:
    finite = draws[np.isfinite(draws)]
    if not finite.size:
        return float("nan"), float("nan")
    lo, hi = np.quantile(finite, [0.025, 0.975])
    return float(lo), float(hi)


def _ece_if_calibrated(p: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """ECE of ``n_boot`` outcome sets drawn from the probabilities themselves (independently)."""
    bins = probability_bin(p, _N_BINS)
    gap = np.zeros((n_boot, _N_BINS))
    chunk = max(1, 2_000_000 // max(n_boot, 1))  # about 16 MB of uniforms at a time
    for start in range(0, p.size, chunk):
        part = p[start:start + chunk]
        drawn = rng.uniform(size=(n_boot, part.size)) < part  # (n_boot, chunk) outcomes
        for b in np.unique(bins[start:start + chunk]):
            cols = bins[start:start + chunk] == b
            gap[:, b] += part[cols].sum() - drawn[:, cols].sum(axis=1)
    return np.abs(gap).sum(axis=1) / p.size


def _group_rows(
    frame: pd.DataFrame, baselines: Sequence[str], n_boot: int, cluster: str,
    levels: Sequence[float], rng: np.random.Generator,
) -> list[dict[str, Any]]:
    """The metric rows of one group of cases."""
    scored = frame[np.isfinite(frame["probability"]) & np.isfinite(frame["outcome"])]
    if scored.empty:
        return []
    ids, unit = _cluster_ids(scored, cluster)
    n_clusters = int(ids.max()) + 1
    counts = _resample_counts(n_clusters, n_boot, rng)
    p = scored["probability"].to_numpy(dtype=float)
    y = scored["outcome"].to_numpy(dtype=float)
    n_case = counts @ _sums(ids, n_clusters, np.ones_like(p))
    common = {"cluster": unit, "n_clusters": n_clusters, "n_cases": len(scored), "detail": ""}

    def row(metric: str, estimate: float, draws: np.ndarray, **extra: Any) -> dict[str, Any]:
        lo, hi = _interval(draws)
        return {"metric": metric, "estimate": float(estimate), "lo": lo, "hi": hi,
                **common, **extra}

    brier_draws = counts @ _sums(ids, n_clusters, (p - y) ** 2) / n_case
    gap_draws = counts @ _sums(ids, n_clusters, p - y) / n_case
    bins = probability_bin(p, _N_BINS)
    bin_gap = np.stack([_sums(ids, n_clusters, np.where(bins == b, p - y, 0.0))
                        for b in range(_N_BINS)], axis=1)  # (clusters, bins)
    ece_draws = np.abs(counts @ bin_gap).sum(axis=1) / n_case
    null = _ece_if_calibrated(p, n_boot, rng)
    rows = [
        row("brier", np.mean((p - y) ** 2), brier_draws),
        row("calibration_gap", np.mean(p - y), gap_draws),
        row("ece", expected_calibration_error(p, y, _N_BINS), ece_draws),
        # outcomes drawn case by case: each case is its own cluster
        {**row("ece_if_calibrated", float(np.mean(null)), null), "cluster": "case",
         "n_clusters": len(scored)},
    ]

    # the Brier difference to the best baseline, on the cases every method scored
    columns = ["probability", *(f"p_{name}" for name in baselines)]
    if baselines and all(c in frame.columns for c in columns):
        judged = np.isfinite(scored[columns]).all(axis=1).to_numpy()
        both = scored[judged]
        if not both.empty:
            both_ids = ids[judged]
            yb = both["outcome"].to_numpy(dtype=float)
            briers = {name: float(np.mean((both[f"p_{name}"].to_numpy(float) - yb) ** 2))
                      for name in baselines}
            best = min(briers, key=lambda name: briers[name])
            diff = ((both["probability"].to_numpy(float) - yb) ** 2
                    - (both[f"p_{best}"].to_numpy(float) - yb) ** 2)
            n_both = counts @ _sums(both_ids, n_clusters, np.ones_like(diff))
            with np.errstate(invalid="ignore", divide="ignore"):
                draws = counts @ _sums(both_ids, n_clusters, diff) / n_both
            rows.append(row("brier_minus_best_baseline", float(diff.mean()), draws,
                            detail=best, n_cases=len(both)))

    # interval coverage by the randomised PIT, each forecast of a series counted once
    if {"pit_lo", "pit_hi"} <= set(frame.columns):
        points = frame.drop_duplicates(subset=[c for c in POINT_KEY if c in frame.columns])
        points = points[np.isfinite(points["pit_lo"]) & np.isfinite(points["pit_hi"])]
        if not points.empty:
            point_ids, _ = _cluster_ids(points, unit)
            n_point_clusters = int(point_ids.max()) + 1
            point_counts = _resample_counts(n_point_clusters, n_boot, rng)
            n_points = point_counts @ _sums(point_ids, n_point_clusters, np.ones(len(points)))
            for level in levels:
                inside = pit_inside(points["pit_lo"], points["pit_hi"], level)
                with np.errstate(invalid="ignore", divide="ignore"):
                    draws = point_counts @ _sums(point_ids, n_point_clusters, inside) / n_points
                rows.append({**row(f"pit_coverage_{level:g}", float(inside.mean()), draws),
                             "n_clusters": n_point_clusters, "n_cases": len(points)})
    return rows


def score_intervals(
    cases: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    baselines: Sequence[str] = (),
    n_boot: int = 1000,
    cluster: str = "auto",
    levels: Sequence[float] = (80.0,),
    seed: int = 0,
) -> pd.DataFrame:
    """95% cluster-bootstrap intervals of a backtest's scores, by group.

    Parameters
    ----------
    cases
        A backtest's per-case table (:attr:`hbkit.BacktestResult.cases`), with
        ``probability``, ``outcome``, ``indicator``, ``geo`` and, for the
        coverage, ``origin``, ``target_year``, ``pit_lo``, ``pit_hi``.
    by
        Column(s) to group by, e.g. ``"family"``; ``None`` for one group.
    baselines
        Methods whose ``p_<name>`` columns are compared with hbkit's: the
        Brier difference to the best of them (lowest Brier on the group's
        cases every method scored) gets an interval.
    n_boot
        Bootstrap samples. With 1000, the interval ends move by about 0.001
        (sd over seeds) on the 1,044 scored rule-target cases of China (12 series), by
        0.01 on its 34 real-target cases from 7.
    cluster
        ``"auto"`` (geos when a group has at least :data:`MIN_GEOS`, else
        series), ``"geo"`` or ``"series"``.
    levels
        Central PIT interval levels (percent) whose coverage gets an interval.
    seed
        Seed of the resampling.

    Returns
    -------
    pandas.DataFrame
        One row per group and metric: the ``by`` columns, ``metric``,
        ``estimate`` (on all the group's cases), ``lo``, ``hi`` (2.5% and 97.5%
        bootstrap quantiles), ``cluster`` (the unit resampled: ``geo``, ``series``,
        or ``case`` for ``ece_if_calibrated``), ``n_clusters``,
        ``n_cases`` and ``detail`` (the best baseline's name). Metrics:

        ``brier``, ``ece``
            as in :meth:`hbkit.BacktestResult.scores`.
        ``calibration_gap``
            mean probability minus share met: < 0 under-confident on the
            whole (targets met more often than said), > 0 over-confident.
        ``ece_if_calibrated``
            the ECE a perfectly calibrated forecaster would show on these
            probabilities: mean (``estimate``) and 95% range of the ECE of
            outcomes drawn from them (consistency resampling).
        ``brier_minus_best_baseline``
            hbkit's Brier score minus the best baseline's (< 0: hbkit better).
        ``pit_coverage_80``
            randomised-PIT coverage of the 80% intervals, per forecast.
    """
    n_boot = count_at_least("n_boot", n_boot, 1, "n_boot（自助法抽样次数）")
    seed = check_seed(seed)
    keys = [by] if isinstance(by, str) else list(by or [])
    rng = np.random.default_rng(seed)
    out: list[dict[str, Any]] = []
    groups = cases.groupby(keys, sort=True, dropna=False) if keys else [((), cases)]
    for key, group in groups:
        values = key if isinstance(key, tuple) else (key,)
        labels = dict(zip(keys, values, strict=True))
        out.extend({**labels, **r} for r in _group_rows(group, baselines, n_boot, cluster,
                                                         levels, rng))
    columns = [*keys, "metric", "estimate", "lo", "hi", "cluster", "n_clusters", "n_cases",
               "detail"]
    return pd.DataFrame(out, columns=columns)
