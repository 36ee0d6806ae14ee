"""The :class:`Projection`: the predictive distribution of N series, kept as joint draws.

A projection holds, for every series, ``S`` simulated paths of the *reported*
value over the future years (sampling noise included; for count series the
values are simulated counts over the denominator), the observed history, and
what is needed to draw any missing history year consistently with those paths
(the same model, parameter and scale draw). Every median, interval and
probability hbkit reports is derived from this one object.

Examples
--------
>>> import numpy as np
>>> from hbkit.models import project
>>> p = project(np.array([[90.0, 91.0, 92.5, 93.0, 94.1]]), np.arange(2016, 2021),
...             target_year=2025, unit="percent", bounded=True, n_draws=2000)
>>> p.paths.shape, p.future_years.tolist()[-1]
((1, 2000, 5), 2025)
>>> lo, hi = p.interval(95, 2025)
>>> bool(0 <= lo[0] < p.median(2025)[0] < hi[0] <= 100)
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hbkit._options import check_levels, level_label
from hbkit.quantiles import interval_summary


@dataclass(frozen=True, eq=False)
class Projection:
    """Joint predictive draws of N series (see the module notes).

    Attributes
    ----------
    history_years : (T,) int
        The shared grid of calendar years of the history.
    history : (N, T) float
        Observed values on the natural scale, NaN where missing.
    future_years : (H,) int
        The years after the grid up to the target year (may be empty).
    paths : (N, S, H) float
        Simulated future values; NaN for series with a ``reason``. float32 (7
        significant digits) unless the projection holds count series, whose
        reported rates k / n x unit are kept exact in float64. Value series
        are stored unrounded: :meth:`value_draws` rounds them to the reporting
        precision (``decimals``), exactly, in float64 -- use it, not ``paths``,
        to judge events.
    method : (N,) str
        The model(s) used, with their weights, e.g. ``"local_trend 60% + rw_drift 40%"``.
    scale : (N,) str
        Modelling scale: ``logit, log, identity, poisson, binomial``.
    reason : (N,) object
        ``None`` when the series was projected, else why not (English),
        e.g. ``"2 observations, 3 needed"``; ``reason_zh`` holds the Chinese.
    n_obs : (N,) int
        Observations the model used.
    unit, bounded, target_year, seed, inflation
        The settings the projection was made with.
    model_names : tuple of str
        Names of the columns of ``model_weights`` (N, K).
    denominators : (N, H) float or None
        Centre of the future denominators of count series: the given ones or
        the last observed one; each path draws its own around it (NaN for
        value series).
    decimals : (N,) int or None
        Reporting precision detected per series (-1: not rounded, and for
        count series, which are exact k / n x unit); simulated values are
        rounded to it, as the data are, so ties with a threshold keep their
        real probability.
    simulated_history : dict
        ``{year: (rows, draws)}``: history years after some series' last
        observation, simulated jointly with their future paths; ``rows`` in
        ascending order, the same however many threads simulated them.
    sampler : callable
        ``sampler(year) -> (N, S)`` draws of a missing history year from the
        same per-draw model, parameters and scale as the paths.
    implied_counts : (N,) bool or None
        Series given as rates only that were modelled as the counts they imply
        (two or more years at 0, a few events a year: :mod:`hbkit.models.implied`).
    signed : bool
        The values may be negative (a target's ``signed``): modelled on the
        identity scale with no floor at 0, whatever the unit.
    """

    history_years: np.ndarray
    history: np.ndarray
    future_years: np.ndarray
    paths: np.ndarray
    method: np.ndarray
    scale: np.ndarray
    reason: np.ndarray
    reason_zh: np.ndarray
    n_obs: np.ndarray
    unit: str
    bounded: bool
    target_year: int
    seed: int
    inflation: float
    model_names: tuple[str, ...]
    model_weights: np.ndarray
    denominators: np.ndarray | None = None
    decimals: np.ndarray | None = None
    simulated_history: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict,
                                                                         repr=False)
    sampler: Callable[[int], np.ndarray] | None = field(default=None, repr=False)
    implied_counts: np.ndarray | None = field(default=None, repr=False)
    signed: bool = False
    _cache: dict[int, np.ndarray] = field(default_factory=dict, repr=False)
    _kept: dict[int, np.ndarray] = field(default_factory=dict, repr=False)
    _keep: list[bool] = field(default_factory=lambda: [False], repr=False)

    @property
    def n_series(self) -> int:
        """Number of series N."""
        return int(self.history.shape[0])

    @property
    def n_draws(self) -> int:
        """Number of draws S per series."""
        return int(self.paths.shape[1])

    @property
    def ok(self) -> np.ndarray:
        """(N,) ``True`` for series that were projected (no ``reason``)."""
        return np.array([r is None for r in self.reason], dtype=bool)

    def keep_draws(self) -> Projection:
        """Keep each year's :meth:`value_draws` once computed (read-only); returns ``self``.

        For callers that ask for the same years many times (quantiles,
        probabilities and shortfalls of several targets on one indicator):
        each year is then rounded and assembled once. The kept arrays live
        as long as the projection (N x S floats per year asked).
        """
        self._keep[0] = True
        return self

    def value_draws(self, year: int, rows: slice | None = None) -> np.ndarray:
        """Draws (N, S) of the reported value in ``year`` (only ``rows`` if given).

        The observed value (repeated) where the year was observed, the
        simulated value for a future year, and for a missing history year (or
        a year before the grid) a model draw consistent with the future paths.
        Rows of series with a ``reason`` are NaN. After :meth:`keep_draws`
        the result is a read-only view of the kept array.
        """
        year = int(year)
        if self._keep[0]:
            if year not in self._kept:
                full = self._value_draws(year, None)
                full.flags.writeable = False
                self._kept[year] = full
            return self._kept[year] if rows is None else self._kept[year][rows]
        return self._value_draws(year, rows)

    def _value_draws(self, year: int, rows: slice | None) -> np.ndarray:
        rows = slice(None) if rows is None else rows
        ok = self.ok[rows]
        decimals = None if self.decimals is None else self.decimals[rows]
        future = np.flatnonzero(self.future_years == year)
        if future.size:
            out = _rounded(np.array(self.paths[rows, :, future[0]], dtype=float), decimals)
        else:
            column = np.flatnonzero(self.history_years == year)
            observed = (
                self.history[rows, column[0]] if column.size
                else np.full(ok.size, np.nan)
            )
            have = np.isfinite(observed)
            out = np.broadcast_to(observed[:, None], (ok.size, self.n_draws)).astype(float)
            if not have.all():
                missing = ~have & ok
                draws = self._missing_year_draws(year)[rows][missing]
                out[missing] = _rounded(draws, None if decimals is None else decimals[missing])
        if not ok.all():
            out[~ok] = np.nan
        return out

    def trajectories(self, years: Sequence[int], rows: slice | None = None) -> np.ndarray:
        """Joint draws (N, S, len(years)): history where observed, simulated elsewhere."""
        years = list(years)
        if len(years) == 1:  # one year (bounds, levels): a view, no copy
            return self.value_draws(years[0], rows)[:, :, None]
        return np.stack([self.value_draws(y, rows) for y in years], axis=2)

    def _missing_year_draws(self, year: int) -> np.ndarray:
        """Draws (N, S) for a history year: simulated with the future paths when the
        year lies after a series' last observation, else drawn by the model's sampler."""
        if year in self._cache:
            return self._cache[year]
        out = np.full((self.n_series, self.n_draws), np.nan)
        covered = np.zeros(self.n_series, dtype=bool)
        if year in self.simulated_history:
            rows, draws = self.simulated_history[year]
            out[rows] = draws
            covered[rows] = True
        column = np.flatnonzero(self.history_years == year)
        observed = (np.isfinite(self.history[:, column[0]]) if column.size
                    else np.zeros(self.n_series, dtype=bool))
        if (self.ok & ~observed & ~covered).any() and self.sampler is not None:
            sampled = np.asarray(self.sampler(year), dtype=float)
            out[~covered] = sampled[~covered]
        self._cache[year] = out
        return out

    def quantile(self, q: float | Sequence[float], year: int | None = None) -> np.ndarray:
        """Quantile(s) of the predictive in ``year`` (default: the target year).

        Ordinary quantiles of the reported value (numpy's default method), so
        they are values the series can report; :meth:`interval` uses
        mid-quantiles instead. Returns (N,) for a scalar ``q`` and
        (N, len(q)) for a sequence.
        """
        draws = self.value_draws(self.target_year if year is None else year)
        qs = np.atleast_1d(np.asarray(q, dtype=float))
        out = np.full((self.n_series, qs.size), np.nan)
        rows = np.isfinite(draws).all(axis=1)
        if rows.all():
            out = np.quantile(draws, qs, axis=1).T
        elif rows.any():
            out[rows] = np.quantile(draws[rows], qs, axis=1).T
        return out[:, 0] if np.ndim(q) == 0 else out

    def median(self, year: int | None = None) -> np.ndarray:
        """Median (N,) of the predictive in ``year`` (default: the target year)."""
        return self.quantile(0.5, year)

    def interval(self, level: float = 95, year: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Predictive interval ``(lo, hi)``, each (N,); ``level`` in percent.

        The ends are mid-quantiles of the reported value
        (:func:`hbkit.quantiles.interval_summary`): a value reported at the data's
        precision lies inside when at least half of its probability does, so
        the interval of a whole-percent series is not widened to whole
        percents; an end on a lump at the edge of the draws (0 deaths with 30%
        of the probability) keeps the lump and leaves all the outside
        probability to the other end. NaN for series that were not projected.
        """
        levels = check_levels(level)
        draws = self.value_draws(self.target_year if year is None else year)
        both = interval_summary(np.asarray(draws, dtype=float), levels, single=False)
        return both[:, 1], both[:, 2]

    def cdf(self, value: float | np.ndarray, year: int | None = None, strict: bool = False
            ) -> np.ndarray:
        """Share of draws (N,) with value ``<= value`` (``< value`` when ``strict``).

        ``value`` may be a scalar or (N,). Useful for PIT histograms in backtests.
        """
        draws = self.value_draws(self.target_year if year is None else year)
        v = np.broadcast_to(np.asarray(value, dtype=float), (self.n_series,))[:, None]
        hit = draws < v if strict else draws <= v
        out = hit.mean(axis=1)
        return np.where(np.isfinite(draws).all(axis=1) & np.isfinite(v[:, 0]), out, np.nan)

    def to_frame(self, level: float | Sequence[float] = (80, 95)) -> pd.DataFrame:
        """Long table: one row per series x future year with the median and intervals.

        Columns ``series, year, median, lo_<level>, hi_<level>, ...``.
        """
        levels = check_levels(level)
        frames = []
        for year in self.future_years.tolist():
            row: dict[str, Any] = {"series": np.arange(self.n_series), "year": year,
                                   "median": self.median(year)}
            for lev in levels:
                lo, hi = self.interval(lev, year)
                row[f"lo_{level_label(lev)}"] = lo
                row[f"hi_{level_label(lev)}"] = hi
            frames.append(pd.DataFrame(row))
        columns = ["series", "year", "median"] + [
            f"{side}_{level_label(lev)}" for lev in levels for side in ("lo", "hi")
        ]
        if not frames:
            return pd.DataFrame(columns=columns)
        return pd.concat(frames, ignore_index=True)[columns]

    def __repr__(self) -> str:
        return (
            f"Projection(n_series={self.n_series}, n_draws={self.n_draws}, "
            f"history_years={self.history_years.tolist()}, "
            f"future_years={self.future_years.tolist()}, unit={self.unit!r}, "
            f"projected={int(self.ok.sum())})"
        )


def _rounded(draws: np.ndarray, decimals: np.ndarray | None) -> np.ndarray:
    """Round simulated float64 draws (a fresh array, overwritten) to their series'
    reporting precision, exactly in float64."""
    if decimals is None or not np.any(decimals >= 0):
        return draws
    from hbkit.models.scales import round_reported  # hbkit.models imports this module

    return round_reported(draws, decimals, inplace=True)
