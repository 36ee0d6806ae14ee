"""Baselines scored on the same backtest cases as hbkit.

Each baseline turns the history up to the origin into a probability that the
target's event holds, so that its Brier score can be set beside hbkit's:

==================  =====================================================================
baseline            probability
==================  =====================================================================
``status_quo``      0/1: the event evaluated on a path that stays at the latest value
``eurostat``        0/1: 1 when the Eurostat band is *achieved* or *on track*
                    (R >= 0.95), both growth rates measured over the short-term
                    period (the last five years, ``t - 5`` to ``t``); for kinds
                    without a target value (annual change, direction, trend
                    slowdown) the event on the path extrapolated at that CAGR
``unsd``            0/1: 1 when the UNSD band is *achieved* or *substantial progress*
                    (R >= 0.95), both growth rates measured from the plan's base
                    year (as Statistics Canada also does; other kinds: the path at
                    that CAGR); it differs from ``eurostat`` only for targets with a
                    base year before the origin
``dns``             0/1: 1 when the German DNS symbol is *sun*; other kinds: the event
                    on the path extrapolated with the mean of the last five changes
``ols_t``           a real probability: share of 1,000 joint paths from the Bayesian
                    (flat-prior) predictive of an OLS line on the natural scale, whose
                    marginals are the classical Student-t prediction intervals
==================  =====================================================================

Deterministic rules give 0 or 1, so their log score pays ``-log(0.001)`` for each
confident miss (see :func:`hbkit.scores.log_score`). The short-term period starts at
the earliest observed year no more than five years before a series' latest year
(Eurostat's ``t - 5``); UNSD measures from the plan's base year when the target has
one before the origin, else over the same short-term period; the DNS rule averages
the last five annual changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from hbkit.catalogue.models import Target
from hbkit.conventions import NOT_COMPUTABLE, mean_recent_change, official_labels

__all__ = ["BASELINES", "baseline_probabilities", "ols_t_forecast"]

#: baseline names in the order of the comparison table
BASELINES: tuple[str, ...] = ("status_quo", "eurostat", "unsd", "dns", "ols_t")

#: kinds for which the official labels apply directly (they have a target value)
_LABEL_KINDS = frozenset({"upper_bound", "lower_bound", "level", "maintain", "relative_change"})
#: period (years) over which the rules measure the observed change when there is no baseline
RECENT_YEARS = 5
#: the schemes that give a label, in order
BANDED_SCHEMES: tuple[str, ...] = ("eurostat", "unsd", "dns")
#: scheme -> (label column of :func:`~hbkit.conventions.official_labels`, labels read as "met")
_MET_LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "eurostat": ("eurostat_band", ("achieved", "on_track")),
    "unsd": ("unsd_band", ("achieved", "substantial_progress")),
    "dns": ("dns_symbol", ("achieved", "sun")),
}

Evaluate = Callable[[Target, NDArray[np.int64], NDArray[np.float64]], NDArray[np.float64]]
TargetValue = Callable[[Target, NDArray[np.float64]], NDArray[np.float64]]


def _latest(values: NDArray[np.float64], years: NDArray[np.int64]) -> tuple[NDArray, NDArray]:
    observed = np.isfinite(values)
    idx = np.where(observed.any(axis=1), values.shape[1] - 1 - np.argmax(observed[:, ::-1], axis=1), 0)
    rows = np.arange(values.shape[0])
    latest = np.where(observed.any(axis=1), values[rows, idx], np.nan)
    latest_year = np.where(observed.any(axis=1), years[idx].astype(float), np.nan)
    return latest, latest_year


def _recent_base(values: NDArray[np.float64], years: NDArray[np.int64],
                 latest_year: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """Base value and year of the short-term period: the earliest observed year no more
    than :data:`RECENT_YEARS` years before each series' latest year (Eurostat's ``t - 5``)."""
    grid = np.broadcast_to(years.astype(float), values.shape)
    in_window = (np.isfinite(values) & (grid >= latest_year[:, None] - RECENT_YEARS)
                 & (grid < latest_year[:, None]))
    has = in_window.any(axis=1)
    idx = np.argmax(in_window, axis=1)
    base = np.where(has, values[np.arange(values.shape[0]), idx], np.nan)
    return base, np.where(has, years[idx].astype(float), np.nan)


def _plan_base(values: NDArray[np.float64], years: NDArray[np.int64], target: Target,
               origin: int, recent: tuple[NDArray, NDArray]) -> tuple[NDArray, NDArray]:
    """Base value and year of the observed growth for UNSD and Statistics Canada: the
    plan's baseline year when it is before the origin, else the short-term ``recent`` base."""
    if target.baseline_year is not None and target.baseline_year < origin:
        col = np.flatnonzero(years == target.baseline_year)
        if col.size:
            base = values[:, col[0]].copy()
            return base, np.where(np.isfinite(base), float(target.baseline_year), np.nan)
    return recent


def _cagr_path(base: NDArray, base_year: NDArray, latest: NDArray, latest_year: NDArray,
               steps: NDArray) -> NDArray[np.float64]:
    """The latest value carried on at the growth observed since the base: compound
    (CAGR) when both values are positive, else linear (change per year)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        span = latest_year - base_year
        positive = (base > 0) & (latest > 0)
        growth = np.power(latest / base, 1 / span) - 1
        linear = (latest - base) / span
        return np.where(positive[:, None], latest[:, None] * (1 + growth[:, None]) ** steps,
                        latest[:, None] + linear[:, None] * steps)


def _trajectories(history: NDArray[np.float64], future: NDArray[np.float64]) -> NDArray[np.float64]:
    """History (N, T) joined with future paths (N, H) or (N, S, H) along the last axis."""
    if future.ndim == 3:
        hist = np.broadcast_to(history[:, None, :], (*future.shape[:2], history.shape[1]))
        return np.concatenate([hist, future], axis=-1)
    return np.concatenate([history, future], axis=-1)


def _path_event(target: Target, evaluate: Evaluate, history: NDArray, years: NDArray,
                future_years: NDArray, future: NDArray) -> NDArray[np.float64]:
    all_years = np.concatenate([years, future_years])
    event = np.asarray(evaluate(target, all_years, _trajectories(history, future)), dtype=float)
    return event.mean(axis=1) if future.ndim == 3 else event


def ols_t_forecast(
    values: NDArray[np.float64], years: NDArray[np.int64], future_years: NDArray[np.int64],
    n_draws: int, rng: np.random.Generator, levels: tuple[float, ...] = (80.0, 95.0),
) -> tuple[NDArray[np.float64], NDArray[np.float64], dict[float, tuple[NDArray, NDArray]]]:
    """OLS line on the natural scale with its Student-t predictive, per series.

    Returns the joint predictive draws (N, S, H) (sigma^2 from its scaled
    inverse chi-square posterior, the coefficients from their normal
    conditional, independent noise per year), the point forecast (N, H) and the
    closed-form t intervals ``{level: (lo, hi)}`` (N, H). A series with fewer
    than three observed points gives NaN.
    """
    x = years.astype(float)
    obs = np.isfinite(values)
    n = obs.sum(axis=1).astype(float)
    y = np.where(obs, values, 0.0)
    w = obs.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        xbar = (w * x).sum(axis=1) / n
        ybar = y.sum(axis=1) / n
        dx = np.where(obs, x - xbar[:, None], 0.0)
        sxx = (dx**2).sum(axis=1)
        slope = (dx * (y - ybar[:, None])).sum(axis=1) / sxx
        intercept = ybar - slope * xbar
        resid = np.where(obs, y - intercept[:, None] - slope[:, None] * x, 0.0)
        df = n - 2
        s2 = (resid**2).sum(axis=1) / df
    ok = (n >= 3) & (sxx > 0)
    s2 = np.where(ok, np.maximum(s2, 0.0), np.nan)
    fx = future_years.astype(float)
    point = np.where(ok[:, None], intercept[:, None] + slope[:, None] * fx, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):  # unfit series are NaN below
        h2 = 1 / n[:, None] + (fx - xbar[:, None]) ** 2 / sxx[:, None]
        scale = np.sqrt(s2[:, None] * (1 + h2))
        intervals = {}
        for level in levels:
            q = stats.t.ppf(0.5 + level / 200, np.where(ok, df, 1.0))[:, None]
            intervals[level] = (point - q * scale, point + q * scale)
        size = (values.shape[0], n_draws)
        chi2 = rng.chisquare(np.where(ok, df, 1.0)[:, None], size=size)
        sigma = np.sqrt(s2[:, None] * df[:, None] / chi2)
        z_level, z_slope = rng.standard_normal(size), rng.standard_normal(size)
        # coefficients parametrised at the mean year: independent level and slope errors
        level_draw = ybar[:, None] + sigma * z_level / np.sqrt(n[:, None])
        slope_draw = slope[:, None] + sigma * z_slope / np.sqrt(sxx[:, None])
        noise = rng.standard_normal((*size, fx.size))
        draws = (level_draw[..., None] + slope_draw[..., None] * (fx - xbar[:, None, None])
                 + sigma[..., None] * noise)
    draws[~ok] = np.nan
    return draws, point, intervals


def baseline_probabilities(
    target: Target, values: NDArray[np.float64], years: NDArray[np.int64], origin: int,
    *, evaluate: Evaluate, target_value: TargetValue, ols_draws: NDArray[np.float64],
    ols_years: NDArray[np.int64],
) -> dict[str, NDArray[np.float64]]:
    """Probability of the target's event under every baseline, per series (N,).

    Also returns, under ``band_eurostat``, ``band_unsd`` and ``band_dns``, the
    label behind each 0/1 forecast (the band code, or ``path_met`` /
    ``path_missed`` for the kinds judged on an extrapolated path), from which
    :meth:`~hbkit.backtesting.BacktestResult.compare` builds the recalibrated
    baselines.

    ``values`` is the history up to the origin over ``years``; ``ols_draws``
    (N, S, H) the OLS-t joint draws over ``ols_years`` (origin + 1, ...), of
    which the years up to the target year are used.
    """
    future_years = np.arange(origin + 1, target.target_year + 1)
    ols = ols_draws[..., : future_years.size]
    latest, latest_year = _latest(values, years)
    recent = _recent_base(values, years, latest_year)
    bases = {"eurostat": recent, "unsd": _plan_base(values, years, target, origin, recent)}
    unknown = ~np.isfinite(latest)
    steps = future_years[None, :] - latest_year[:, None]
    mean5 = mean_recent_change(values, years, RECENT_YEARS)

    def path_event(path: NDArray[np.float64]) -> NDArray[np.float64]:
        event = _path_event(target, evaluate, values, years, future_years, path)
        event[~np.isfinite(path.reshape(path.shape[0], -1)[:, -1])] = np.nan
        return event

    quo_path = np.broadcast_to(latest[:, None], (values.shape[0], future_years.size))
    out = {"status_quo": path_event(quo_path), "ols_t": path_event(ols)}
    if target.kind in _LABEL_KINDS:
        goal = _goal(target, target_value, values, years, latest.shape)
        out_labels, bands = _label_forecasts(target, goal, bases, latest_year, latest, mean5)
        out.update(out_labels)
        for name in bands:
            bands[name][unknown] = None
    else:
        bands = {}
        for name in ("eurostat", "unsd"):
            out[name] = path_event(_cagr_path(*bases[name], latest, latest_year, steps))
        out["dns"] = path_event(latest[:, None] + mean5[:, None] * steps)
    for name in out:
        out[name] = np.where(unknown, np.nan, out[name])
    result = {name: out[name] for name in BASELINES}
    for name in BANDED_SCHEMES:
        result[f"band_{name}"] = bands.get(name, _path_codes(out[name]))
    return result


def _goal(target: Target, target_value: TargetValue, values: NDArray[np.float64],
          years: NDArray[np.int64], shape: tuple[int, ...]) -> NDArray[np.float64]:
    """The target value per series (it may depend on the value in the plan's baseline year)."""
    baseline_value = np.full(values.shape[0], np.nan)
    if target.baseline_year is not None:
        col = np.flatnonzero(years == target.baseline_year)
        if col.size:
            baseline_value = values[:, col[0]]
    return np.broadcast_to(np.asarray(target_value(target, baseline_value), dtype=float), shape)


def _label_forecasts(
    target: Target, goal: NDArray[np.float64], bases: dict[str, tuple[NDArray, NDArray]],
    latest_year: NDArray[np.float64], latest: NDArray[np.float64], mean5: NDArray[np.float64],
) -> tuple[dict[str, NDArray[np.float64]], dict[str, NDArray[Any]]]:
    """0/1 forecasts and label codes of the three schemes for kinds with a target value.

    Eurostat measures both growth rates from the short-term base (``bases["eurostat"]``),
    UNSD from the plan's base year (``bases["unsd"]``); the DNS symbol depends only on
    the mean of the last five changes.
    """
    def labels_from(base: tuple[NDArray, NDArray]) -> pd.DataFrame:
        return official_labels(str(target.direction), goal, target.target_year, base[1], base[0],
                               latest_year, latest, recent_changes=mean5, strict=target.strict)

    plan = labels_from(bases["unsd"])
    same = bases["unsd"] is bases["eurostat"]
    by_scheme = {"eurostat": plan if same else labels_from(bases["eurostat"]),
                 "unsd": plan, "dns": plan}
    out, bands = {}, {}
    for name, (column, met) in _MET_LABELS.items():
        codes = by_scheme[name][column].to_numpy(dtype=object).copy()
        missing = codes == NOT_COMPUTABLE
        out[name] = np.where(missing, np.nan, np.isin(codes, met).astype(float))
        codes[missing] = None
        bands[name] = codes
    return out, bands


def _path_codes(p: NDArray[np.float64]) -> NDArray[Any]:
    """Codes of a path-based 0/1 forecast, so that it can be recalibrated like a band."""
    codes = np.where(p == 1, "path_met", "path_missed").astype(object)
    codes[~np.isfinite(p)] = None
    return codes
