"""Values far off their own series: ``value-far-from-trend``, a likely data-entry error.

One mistyped year can take over a projection: a coverage series rising from 90
to 93.5 with 2019 typed as 60 hands most of the model weight to the ``level``
model, whose mean includes the 60, and the probability of reaching 95% goes
from 0.002 to 0.28; an infant mortality falling from 6.0 to 4.2 per 1,000 with
one year typed 0 (a blank) goes from 1.00 to 0.64. This check lists such a
value as a data warning (the row is used as it is): the analyst sees it in
``Observations.warnings``, ``hbkit validate``, the 数据提醒 section of the
reports and the ``reason`` of the targets it touches.

The rule, per series (indicator and area) of values:

* the series has at least :data:`MIN_VALUES` finite values; a value is
  compared with the other values of the series within :data:`WINDOW_YEARS`
  years of it (at least ``MIN_VALUES - 1`` of them), so that a long series
  (1960-2020) is compared locally and a curve is not taken for a line;
* the trend at its year is the Theil-Sen line through those other values (the
  median of their pairwise slopes, and the median intercept); the value's
  distance from it is compared with the spread of the series, the upper
  quartile of the distances of all its values from their own trends over
  1.1503 (each value left out of its own, so the spread is not shrunk by the
  fit; a quarter of the values may be off without moving it), floored at the
  reporting step of the series (1 for whole numbers, 0.1 for one decimal:
  99, 99, 99, 99 then 95 is not off a spread of 0);
* the value is flagged when it is off its trend by more than
  :data:`FAR_SCALES` spreads (:data:`ZERO_SCALES` for a year at 0, a blank
  typed as 0?, but never by fewer than :data:`FAR_SCALES` reporting steps)
  **and** by more than :data:`FAR_SHARE` of the
  median absolute value of those other values, so that neither noise nor
  rounding nor a modest real change fires, only a value off by a large part
  of the series' own level;
* not checked: a series with any row given as counts (numerator and
  denominator: the noise of a rate of few events is Poisson and the count
  models take it into account), a series with :data:`MIN_ZERO_YEARS` or more
  years at 0 (a rate of rare events given as values, 0, 25, 0, 0, 22 per
  100,000: see :mod:`hbkit.models.implied`), and the values the
  ``value-looks-fraction`` check lists (a percent typed as a fraction is said
  once, and is neither compared nor used as a neighbour). A single 0 among
  values near 5 is flagged: it is more likely a blank typed as 0.

The thresholds were set so that the shipped real series and simulated Poisson
rates given as values seldom fire: what fires there is a real break worth a
look (a war, a vaccine scare) or a likely reporting error (see
:data:`FAR_SCALES`; ``benchmarks/bench_far_from_trend.py`` prints the figures).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hbkit._numbers import number
from hbkit.models.implied import MIN_ZERO_YEARS
from hbkit.models.scales import reporting_decimals
from hbkit.observations.rules import problem
from hbkit.quantiles import row_medians

__all__ = ["FAR_SCALES", "FAR_SHARE", "MIN_VALUES", "WINDOW_YEARS", "ZERO_SCALES", "FarFromTrend",
           "check_far_from_trend", "far_from_trend"]

FloatArray = npt.NDArray[np.float64]
#: ``(table, position, year) -> (column header, cell as received)`` of a clean row's value
ValueCell = Callable[[int, int, int], "tuple[str, object]"]

#: fewest finite values of a series for its values to be checked
MIN_VALUES = 5
#: a value is compared with the series' other values within this many years of it
WINDOW_YEARS = 5
#: a value is flagged when off its trend by more than this many robust spreads of its
#: series (the upper quartile of the series' values' distances from their trends, over
#: 1.1503, at least the reporting step) ...
#:
#: Measured with :data:`FAR_SHARE` = 0.25 (``benchmarks/bench_far_from_trend.py``), values
#: flagged of the values checked: IGME 2021 mortality (195 countries, 1960-2020) 44 of
#: 30,932 (0.14%: real crises, Rwanda 1994, Haiti 2010, Syria 2012-2015, Bosnia 1992-1994);
#: WUENIC DTP3 (191 countries, 1980-2024) 43 of 7,530 (0.57%, 7 of them after 1999: real
#: collapses and recoveries, Viet Nam 2013, Dominica 2023-2024, and some that look like
#: reporting errors, Trinidad and Tobago 2002 at 5%); China's official series 0 of 103; the
#: simulated Hebei District 0 of 592 (2016-2023) and 0 of 740 (2016-2025); the simulated
#: district counts of the backtest given as values only (Poisson noise) 0 of 2,990
#: (1998-2020), and 17 of 3,588 (0.47%) cut into series of 8 years, mostly the
#: maternal-mortality-like rates of 1-2 deaths a year with a single year at 0 or none (rare
#: events the zero rule does not recognise). Simulated values-only rates of 8 years, 5-100
#: events a year: 0.07-0.26% of values. With the median distance instead of the upper
#: quartile: IGME 52, DTP3 83 and 0.13-0.26% on the simulated rates; with 8: IGME 37, DTP3 34.
FAR_SCALES = 6.0
#: ... and by more than this share of the median absolute value of those other values
FAR_SHARE = 0.25
#: a year at 0 (the series' only one) is flagged when off its trend by more than this many
#: spreads (and :data:`FAR_SHARE`): a blank typed as 0 is the commonest slip, and a 0 among
#: rates of 20 events a year is 4.5 Poisson standard deviations off, which 6 spreads let
#: through. On simulated values-only rates of 8 years with one year typed 0, the 0 is
#: flagged in 19% of series of 5 events a year, 45% of 10, 76% of 20, 97% of 50, all of 100;
#: a real lone 0 among rates of 5 events a year (0.7% a year) in 16%. The bound is never
#: below :data:`FAR_SCALES` reporting steps: a 0 among whole numbers near 2 is not flagged
ZERO_SCALES = 2.5
#: the upper quartile of the absolute value of a standard normal variable
QUARTILE_TO_SD = 1.1503


@dataclass(frozen=True)
class FarFromTrend:
    """What :func:`far_from_trend` found, each array (N, T) like the values.

    Attributes
    ----------
    flagged
        Values far off the trend of the series' other values.
    trend
        The Theil-Sen line through the other values within :data:`WINDOW_YEARS`
        years, at the value's year (NaN where the value was not checked).
    level
        The median absolute value of those other values (NaN where not checked).
    """

    flagged: npt.NDArray[np.bool_]
    trend: FloatArray
    level: FloatArray


def _spread(off: FloatArray) -> FloatArray:
    """The robust spread of each series (N,): the upper quartile of its values' distances
    from their trends, over :data:`QUARTILE_TO_SD` (NaN for a series without one).

    The upper quartile rather than the median: with 5 to 10 values and ties (rates of
    few events repeat the same value) the median distance is often near 0 and six times
    it is no bar; a quarter of the values may still be off without moving it.

    >>> _spread(np.array([[0.0, 0.0, 0.0, 0.5, 1.0, 30.0, np.nan]])).round(3).tolist()
    [0.435]
    """
    ordered = np.sort(off, axis=1)  # NaN last
    n = np.isfinite(off).sum(axis=1)
    k = np.maximum((3 * (n - 1)) // 4, 0)[:, None]
    upper = np.take_along_axis(ordered, k, axis=1)[:, 0]
    return np.where(n > 0, upper / QUARTILE_TO_SD, np.nan)


def far_from_trend(years: npt.ArrayLike, values: npt.ArrayLike,
                   skip: npt.ArrayLike | None = None) -> FarFromTrend:
    """Values (N, T) far off the trend of their series' other values (see the module notes).

    Parameters
    ----------
    years
        (T,) the year of each column, increasing.
    values
        (N, T) one series of values a row (NaN = missing).
    skip
        (N, T) bool, values neither checked nor compared with (a percent typed as a
        fraction); optional.

    Returns
    -------
    FarFromTrend
        ``flagged``, and the ``trend`` and ``level`` each checked value was
        compared with.

    Examples
    --------
    A coverage rising by half a point a year with 2019 typed as 60, and an infant
    mortality with one year typed 0; the same without the slip; a flat series with
    one lower year; a rate of rare events with years at 0:

    >>> years = np.arange(2016, 2024)
    >>> values = np.array([[90, 90.5, 91, 60, 92, 92.5, 93, 93.5],
    ...                    [6.0, 5.5, 0.0, 5.0, 4.8, 4.6, 4.4, 4.2],
    ...                    [90, 90.5, 91, 91.5, 92, 92.5, 93, 93.5],
    ...                    [99, 99, 99, 99, 95, 99, 99, 99],
    ...                    [0, 25, 0, 0, 22, 0, 0, 0]])
    >>> found = far_from_trend(years, values)
    >>> found.flagged.nonzero()
    (array([0, 1]), array([3, 2]))
    >>> float(found.trend[0, 3]), float(found.level[0, 3])
    (91.5, 92.0)
    """
    t = np.asarray(years, dtype=float)
    y = np.array(values, dtype=float, copy=True)
    observed = np.isfinite(y)
    if skip is not None:
        observed &= ~np.asarray(skip, dtype=bool)
    y[~observed] = np.nan
    n_years = y.shape[1]
    flagged = np.zeros(y.shape, dtype=bool)
    trend = np.full(y.shape, np.nan)
    level = np.full(y.shape, np.nan)
    checked = ((observed.sum(axis=1) >= MIN_VALUES)
               & ((y == 0).sum(axis=1) < MIN_ZERO_YEARS))
    if not checked.any():
        return FarFromTrend(flagged, trend, level)
    for k in range(n_years):
        near = np.flatnonzero((np.abs(t - t[k]) <= WINDOW_YEARS) & (np.arange(n_years) != k))
        if near.size < MIN_VALUES - 1:
            continue
        rows = np.flatnonzero(checked & observed[:, k])
        if not rows.size:
            continue
        others = y[np.ix_(rows, near)]
        enough = np.isfinite(others).sum(axis=1) >= MIN_VALUES - 1
        rows, others = rows[enough], others[enough]
        if not rows.size:
            continue
        dt = t[near] - t[k]  # years from the value's: the intercept is the trend there
        i, j = np.triu_indices(near.size, k=1)
        slope = row_medians((others[:, j] - others[:, i]) / (dt[j] - dt[i]))
        trend[rows, k] = row_medians(others - slope[:, None] * dt[None, :])
        level[rows, k] = row_medians(np.abs(others))
    # the spread of the series: its values' distances from the trend of their neighbours
    # (each value left out of its own trend, so not shrunk by the fit), robustly
    off = np.abs(y - trend)
    spread = _spread(off)
    decimals = reporting_decimals(y)
    step = np.where(decimals >= 0, 10.0 ** -np.maximum(decimals, 0).astype(float), 0.0)
    scales = np.where(y == 0, ZERO_SCALES, FAR_SCALES)  # a lone 0: a blank typed as 0?
    # never within FAR_SCALES reporting steps: a 0 among whole numbers near 2 (two women in
    # a leadership team) may well be real
    bound = np.maximum(scales * spread[:, None], FAR_SCALES * step[:, None])
    with np.errstate(invalid="ignore"):
        flagged = (off > bound) & (off > FAR_SHARE * level)
    return FarFromTrend(flagged, trend, level)


def check_far_from_trend(frame: pd.DataFrame, value_cell: ValueCell,
                         skip: npt.ArrayLike | None = None) -> list[dict[str, object]]:
    """``value-far-from-trend`` warnings for the clean rows ``frame`` (see the module notes).

    Parameters
    ----------
    frame
        The clean rows (``indicator, geo, year, value, numerator, denominator, file,
        row, table, position``), one per indicator, area and year.
    value_cell
        The header and the cell as received of a row's value.
    skip
        (len(frame),) bool, rows already flagged as a percent typed as a fraction.

    Returns
    -------
    list of dict
        One warning per value flagged, with its ``indicator``, ``geo`` and ``year``;
        the detail names the year, the value, the trend it was compared with and how
        far off it is.
    """
    if frame.empty:
        return []
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
    counted = (np.isfinite(pd.to_numeric(frame["numerator"], errors="coerce").to_numpy(float))
               & np.isfinite(pd.to_numeric(frame["denominator"], errors="coerce")
                             .to_numpy(float)))
    indicator, _ = pd.factorize(frame["indicator"])
    geo, geos = pd.factorize(frame["geo"])
    # one code per series (a missing name is -1: still one code of its own)
    series = indicator.astype(np.int64) * (len(geos) + 1) + geo
    series = pd.factorize(series)[0]
    finite = np.isfinite(values)
    n_finite = np.bincount(series, weights=finite, minlength=series.max() + 1)
    with_counts = np.bincount(series, weights=counted, minlength=series.max() + 1) > 0
    keep = finite & ~with_counts[series] & (n_finite[series] >= MIN_VALUES)
    if not keep.any():
        return []
    rows = np.flatnonzero(keep)
    codes, series_of = np.unique(series[rows], return_inverse=True)
    all_years = frame["year"].to_numpy(dtype=np.int64)[rows]
    years, year_of = np.unique(all_years, return_inverse=True)
    matrix = np.full((codes.size, years.size), np.nan)
    matrix[series_of, year_of] = values[rows]
    skipped = np.zeros(matrix.shape, dtype=bool)
    if skip is not None:
        skipped[series_of, year_of] = np.asarray(skip, dtype=bool)[rows]
    found = far_from_trend(years, matrix, skipped)
    hit = found.flagged[series_of, year_of]
    entries: list[dict[str, object]] = []
    for position, s, y in zip(rows[hit], series_of[hit], year_of[hit], strict=True):
        rec = frame.iloc[int(position)]
        value, year = float(values[position]), int(years[y])
        around, middle = float(found.trend[s, y]), float(found.level[s, y])
        column, cell = value_cell(int(rec["table"]), int(rec["position"]), year)
        received: Any = rec["value"] if cell is None else cell
        entries.append({**problem(
            str(rec["file"]), int(rec["row"]), column, received, "value-far-from-trend",
            far_detail(year, value, around, middle)),
            "indicator": rec["indicator"], "geo": rec["geo"], "year": year})
    return entries


def far_detail(year: int, value: float, trend: float, level: float) -> str:
    """The detail of a ``value-far-from-trend`` warning (Chinese / English).

    >>> print(far_detail(2019, 60.0, 91.5, 92.0))
    2019年 60 与该序列前后5年内其他年份的趋势（约91.5）相差 31.5，为这些年份中位数（92）的34%，可能是录入错误 / 60 in 2019 is 31.5 off the trend of the series' other years within 5 years (about 91.5), 34% of their median (92): a data-entry error?
    """
    off = abs(value - trend)
    share = f"{100 * off / level:.0f}%" if level > 0 else "–"
    return (f"{year}年 {value:g} 与该序列前后{WINDOW_YEARS}年内其他年份的趋势（约{number(trend)}）"
            f"相差 {number(off)}，为这些年份中位数（{number(level)}）的{share}，可能是录入错误 / "
            f"{value:g} in {year} is {number(off)} off the trend of the series' other years "
            f"within {WINDOW_YEARS} years (about {number(trend)}), {share} of their median "
            f"({number(level)}): a data-entry error?")
