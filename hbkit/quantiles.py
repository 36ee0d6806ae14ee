"""Quantiles of simulated draws: the projected value (median) and the ends of intervals.

Simulated values are rounded to the precision the data are reported in
(:func:`hbkit.models.scales.round_reported`), so the draws of a series reported
in whole percent take a few values, each many times. The ordinary quantile of
such draws is one of those values, and an interval between two of them holds
the probability of both ends: the "80%" interval of a whole-percent series
held 86% of what happened in the backtests of WUENIC DTP3 coverage
(``docs/validation.md``).

hbkit therefore reports

* the **projected value** as the ordinary median of the reported value
  (:func:`sorted_quantiles`): a value the series can report, on the same side
  of a threshold as the probability of meeting it;
* the **ends of an interval** as **mid-quantiles** (:func:`mid_quantiles`,
  Parzen 2004): a value drawn r times counts at the middle of its r sorted
  positions, and the quantile function interpolates linearly between those
  middles. A reported value then lies inside when at least half of its
  probability does, so a calibrated 80% interval holds close to 80% of the
  reported values when no single value has much of the probability (the
  printed 80% intervals of DTP3 held 0.819 of the outcomes, the model said
  0.808). For draws without ties this is numpy's default quantile;
* except where an end sits on a **lump at the edge of the draws**
  (:func:`interval_summary`): 0 deaths with 30% of the probability cannot be
  cut in part, so the interval keeps all of it and leaves the whole outside
  probability to its other end (an "80%" interval of 0-4 deaths a year held
  0.886 of the model's own probability with equal tails, 0.811 so).

References: E. Parzen (2004), "Quantile probability and statistical data
modeling", *Statistical Science* 19(4), 652-662; Y. Ma, M. G. Genton and
E. Parzen (2011), "Asymptotic properties of sample quantiles of discrete
distributions", *Annals of the Institute of Statistical Mathematics* 63, 227-243.

Examples
--------
>>> import numpy as np
>>> draws = np.array([[95.0] * 600 + [96.0] * 400])       # a whole-percent series
>>> sorted_quantiles(draws, (0.5, 0.1, 0.9)).tolist()      # ordinary: ends on 95 and 96
[[95.0, 95.0, 96.0]]
>>> mid_quantiles(draws, (0.35, 0.9)).round(3).tolist()    # between the middles of the runs
[[95.1, 96.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def row_medians(values: np.ndarray) -> FloatArray:
    """Median of each row (N, K) ignoring NaN; NaN for a row with no value, silently.

    numpy's ``nanmedian`` warns on an all-NaN row, and silencing that with
    ``warnings.catch_warnings`` changes a process-wide filter, unsafe when a host
    runs assessments in threads. A sort puts the NaN last, so the middle of each
    row's values is read off directly: silent, and faster than ``nanmedian`` on
    the many short rows of the data checks.

    >>> row_medians(np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]])).tolist()
    [2.0, nan]
    >>> row_medians(np.array([[4.0, 1.0, 2.0, np.nan], [np.inf, 1.0, np.nan, np.nan]])).tolist()
    [2.0, inf]
    """
    a = np.asarray(values, dtype=float)
    if a.shape[1] == 0:
        return np.full(a.shape[0], np.nan)
    ordered = np.sort(a, axis=1)  # NaN last, infinities at their ends
    n = (~np.isnan(a)).sum(axis=1)
    lo = np.maximum((n - 1) // 2, 0)[:, None]
    hi = np.maximum(n // 2, 0)[:, None]
    middle = 0.5 * (np.take_along_axis(ordered, lo, axis=1)[:, 0]
                    + np.take_along_axis(ordered, hi, axis=1)[:, 0])
    return np.where(n > 0, middle, np.nan)


def _sorted(draws: np.ndarray, single: bool = True) -> np.ndarray:
    """Each row sorted, in single precision by default (SIMD sort: faster than np.partition)."""
    return np.sort(np.asarray(draws, dtype=np.float32 if single else float), axis=1)


def _nan_rows(out: FloatArray, draws: np.ndarray) -> FloatArray:
    out[~np.isfinite(draws).all(axis=1)] = np.nan
    return out


def sorted_quantiles(draws: np.ndarray, qs: Sequence[float]) -> FloatArray:
    """Quantiles (N, Q) of each row of ``draws`` (N, S), linear interpolation.

    The same as ``np.quantile(draws, qs, axis=1).T`` (numpy's default method),
    computed by one sort in single precision, which is several times faster on
    thousands of rows; rows with a NaN give NaN.

    >>> d = np.random.default_rng(0).normal(size=(3, 101))
    >>> bool(np.allclose(sorted_quantiles(d, (0.5, 0.1)), np.quantile(d, (0.5, 0.1), axis=1).T,
    ...                  atol=1e-6))
    True
    """
    return _nan_rows(_linear(_sorted(draws), qs), draws)


def _linear(srt: np.ndarray, qs: Sequence[float]) -> FloatArray:
    """Quantiles of sorted rows ``srt`` (N, S), numpy's linear interpolation."""
    s = srt.shape[1]
    pos = np.asarray(qs, dtype=float) * (s - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, s - 1)
    frac = (pos - lo)[None, :]
    out: FloatArray = srt[:, lo].astype(float) * (1 - frac) + srt[:, hi].astype(float) * frac
    return out


def mid_quantiles(draws: np.ndarray, qs: Sequence[float]) -> FloatArray:
    """Mid-quantiles (N, Q) of each row of ``draws`` (N, S); rows with a NaN give NaN.

    Computed in double precision (:func:`interval_summary`, for thousands of
    rows, sorts in single precision by default).

    Sorted, the draws take positions 0 .. S-1. A value drawn at positions f to
    l (a run of ties) is placed at the middle (f + l) / 2, and the q-quantile
    interpolates linearly between the values at the two middles around
    q (S - 1); below the first middle it is the smallest draw, above the last
    the largest. Without ties every middle is the position itself, and the
    result is numpy's default quantile.

    Used for the ends of predictive intervals (module docstring): for a discrete
    predictive, the interval between the 10% and 90% mid-quantiles holds a
    reported value when at least half of that value's probability lies
    between them.

    Examples
    --------
    >>> d = np.random.default_rng(0).normal(size=(2, 101))
    >>> bool(np.allclose(mid_quantiles(d, (0.1, 0.9)), np.quantile(d, (0.1, 0.9), axis=1).T,
    ...                  atol=1e-6))
    True

    A whole-percent series whose predictive is normal with sd 2 points, centred
    anywhere between 95 and 96: the ordinary 10%-90% interval holds 0.87 of
    the reported values, the mid-quantile interval 0.81 (draws placed at the
    quantiles of 4,000 equally likely levels, so no simulation noise):

    >>> from scipy import stats
    >>> levels = (np.arange(4000) + 0.5) / 4000
    >>> centres = np.linspace(95, 96, 20, endpoint=False)[:, None]
    >>> d = np.round(stats.norm.ppf(levels, centres, 2.0))
    >>> def held(ends):
    ...     return round(float(np.mean((d >= ends[:, :1]) & (d <= ends[:, 1:]))), 3)
    >>> held(sorted_quantiles(d, (0.1, 0.9))), held(mid_quantiles(d, (0.1, 0.9)))
    (0.872, 0.806)
    """
    return _nan_rows(_mid(_sorted(draws, single=False), qs), draws)


def interval_summary(draws: np.ndarray, levels: Sequence[float],
                     single: bool = True) -> FloatArray:
    """The projected value and each level's interval ends (N, 1 + 2 L), one sort.

    Column 0 is the ordinary median (the projected value), then ``lo`` and
    ``hi`` of each level in percent. The ends are the mid-quantiles at
    ``tail = (100 - level) / 200`` and ``1 - tail`` (:func:`mid_quantiles`),
    except where an end sits on a **lump at the edge of the draws**: when the
    smallest drawn value alone has at least ``tail`` of the draws (0 deaths
    with 30% of the probability, 100% coverage with 15%), no interval can
    leave the lower tail out without leaving out the whole lump, so the
    interval starts at that value and its upper end is the mid-quantile at
    ``1 - 2 tail``: all of the level's outside probability goes above. The
    same at the largest value; when both ends are such lumps, the larger one
    is kept this way. The equal-tailed ends of an "80%" interval of 0-4
    deaths a year held 0.886 of the model's own probability (the backtests,
    ``docs/validation.md``, table 4a). Always lo <= median <= hi. Rows with a
    NaN give NaN. ``single`` sorts in single precision (a SIMD sort, several
    times faster on thousands of rows; 7 digits).

    Examples
    --------
    0 deaths with 30% of the probability: the 80% interval is [0, the 80%
    mid-quantile], which holds 0-2 deaths (85% of the draws), rather than
    [0, the 90% one], which holds 0-3 (95%).

    >>> d = np.array([[0.0] * 300 + [1.0] * 350 + [2.0] * 200 + [3.0] * 100 + [4.0] * 50])
    >>> interval_summary(d, (80,)).round(3).tolist()
    [[1.0, 0.0, 2.331]]
    >>> mid_quantiles(d, (0.1, 0.9)).round(3).tolist()
    [[0.0, 3.0]]
    """
    srt = _sorted(draws, single=single)
    n, s = srt.shape
    out = np.full((n, 1 + 2 * len(levels)), np.nan)
    if s == 0:
        return out
    median = _linear(srt, [0.5])[:, 0]
    out[:, 0] = median
    tails = [(100.0 - float(level)) / 200.0 for level in levels]
    share_low, share_high = _edge_shares(srt, min(tails, default=1.0))
    for k, tail in enumerate(tails):
        lo, hi = _mid(srt, (tail, 1.0 - tail)).T
        # an edge lump keeps its place; of two, the larger (the other end is then cut at 2 tail)
        low = (share_low >= tail) & (share_low >= np.where(share_high >= tail, share_high, 0.0))
        high = (share_high >= tail) & ~low
        for rows, at_bottom in ((np.flatnonzero(low), True), (np.flatnonzero(high), False)):
            if not rows.size:
                continue
            cut_lo, cut_hi = _mid(srt[rows], (2.0 * tail, 1.0 - 2.0 * tail)).T
            if at_bottom:  # from the lump up to the 1 - 2 tail mid-quantile
                lo[rows], hi[rows] = srt[rows, 0], cut_hi
            else:  # from the 2 tail mid-quantile up to the lump
                lo[rows], hi[rows] = cut_lo, srt[rows, -1]
        out[:, 1 + 2 * k] = np.minimum(lo, median)
        out[:, 2 + 2 * k] = np.maximum(hi, median)
    return _nan_rows(out, draws)


def _edge_shares(srt: np.ndarray, smallest: float) -> tuple[FloatArray, FloatArray]:
    """Shares (N,), (N,) of the draws equal to the smallest and to the largest of each row.

    Only shares of at least ``smallest`` matter to the caller; rows whose first
    (last) ``ceil(smallest S)`` sorted draws are not all equal hold less and get 0,
    without a search.
    """
    n, s = srt.shape
    k = min(max(int(np.ceil(smallest * s)) - 1, 0), s - 1)
    share_low, share_high = np.zeros(n), np.zeros(n)
    low = np.flatnonzero(srt[:, k] == srt[:, 0])
    if low.size:
        _, last = _run_of(srt[low], np.zeros(low.size, dtype=np.int64))
        share_low[low] = (last + 1) / s
    high = np.flatnonzero(srt[:, s - 1 - k] == srt[:, s - 1])
    if high.size:
        first, _ = _run_of(srt[high], np.full(high.size, s - 1, dtype=np.int64))
        share_high[high] = (s - first) / s
    return share_low, share_high


def _mid(srt: np.ndarray, qs: Sequence[float]) -> FloatArray:
    """Mid-quantiles of sorted rows ``srt`` (N, S) (:func:`mid_quantiles`)."""
    s = srt.shape[1]
    out = np.empty((srt.shape[0], len(qs)))
    if s == 0:
        out.fill(np.nan)
        return out
    rows = np.arange(srt.shape[0])
    for c, q in enumerate(qs):
        x = float(q) * (s - 1)
        at = np.full(rows.size, min(int(np.floor(x)), s - 1), dtype=np.int64)
        value = srt[rows, at]
        first, last = _run_of(srt, at)
        middle = (first + last) / 2.0
        # the neighbouring run on the side of x: the next one when x is at or past
        # this run's middle, else the previous one
        after = middle <= x
        edge = np.where(after, last >= s - 1, first <= 0)  # no run beyond: the extreme draw
        other_at = np.where(after, np.minimum(last + 1, s - 1), np.maximum(first - 1, 0))
        other_first, other_last = _run_of(srt, other_at)
        gap = (other_first + other_last) / 2.0 - middle
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(edge | (gap == 0), 0.0, (x - middle) / gap)
        out[:, c] = value + share * (srt[rows, other_at].astype(float) - value)
    return out


def _run_of(srt: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last sorted position (N,), (N,) of the value at position ``at`` of each row.

    Rows whose neighbours differ (every row of untied draws) need no search; the
    others are bisected, about log2(S) steps over those rows only.
    """
    n, s = srt.shape
    flat, start = srt.reshape(-1), np.arange(n) * s  # flat indexing: faster than srt[rows, j]
    value = flat[start + at]
    first, last = at.copy(), at.copy()
    left = np.flatnonzero((at > 0) & (flat[start + np.maximum(at - 1, 0)] == value))
    if left.size:  # first position holding the value: in [0, at)
        first[left] = _bisect(srt, left, value[left], np.zeros(left.size, np.int64), at[left],
                              right=False)
    right = np.flatnonzero((at < s - 1) & (flat[start + np.minimum(at + 1, s - 1)] == value))
    if right.size:  # one past the last position holding the value: in (at, S]
        last[right] = _bisect(srt, right, value[right], at[right] + 1,
                              np.full(right.size, s, np.int64), right=True) - 1
    return first, last


def _bisect(srt: np.ndarray, rows: np.ndarray, value: np.ndarray, lo: np.ndarray,
            hi: np.ndarray, right: bool) -> np.ndarray:
    """``np.searchsorted(srt[r], value[i], side)`` for each i and r = rows[i], in [lo, hi)."""
    last_column = srt.shape[1] - 1
    flat, start = srt.reshape(-1), rows * srt.shape[1]  # flat indexing: faster than srt[rows, j]
    while True:
        open_ = lo < hi
        if not open_.any():
            return lo
        mid = (lo + hi) // 2
        probe = flat[start + np.minimum(mid, last_column)]
        go_right = (probe <= value) if right else (probe < value)
        lo = np.where(open_ & go_right, mid + 1, lo)
        hi = np.where(open_ & ~go_right, mid, hi)
