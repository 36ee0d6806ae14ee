"""Scores of probability forecasts and prediction intervals.

Small, dependency-free functions used by :mod:`hbkit.backtesting`:

* :func:`brier_score`: mean squared difference between the probability and the
  0/1 outcome (0 is perfect; always saying 0.5 scores 0.25).
* :func:`log_score`: mean negative log-likelihood of the outcomes (natural log),
  with probabilities clipped to ``[eps, 1 - eps]`` so that a certain-and-wrong
  forecast (a deterministic rule's 0 or 1) costs ``-log(eps)`` instead of
  infinity (``eps=0.001``: 6.91 nats).
* :func:`reliability_table`: outcomes grouped by probability decile.
* :func:`brier_decomposition`: the Brier score split into reliability (how far
  the probabilities are from the frequencies they announce), resolution (how
  much the frequencies differ between bins: what a forecast tells about the
  individual case) and uncertainty (the outcomes' own variance), with the two
  within-bin terms that make the split exact (Stephenson et al. 2008).
* :func:`expected_calibration_error`: the weighted mean gap between mean
  probability and observed frequency over those bins.
* :func:`interval_coverage`: share of actual values inside their intervals.
* :func:`pit_coverage`: the same for the central interval of the randomised
  probability integral transform, the coverage to check a discrete predictive
  (counts) against.
* :func:`pit_histogram`: the expected histogram of the randomised PIT (flat
  for a calibrated forecast; a U shape means too narrow, a hump too wide).
* :func:`probability_bin` and :func:`pit_inside`: the probability bins and the
  per-case PIT terms behind the above, for scores computed elsewhere (the
  cluster bootstrap of :mod:`hbkit.backtesting.uncertainty`).

Every function ignores the pairs where the probability (or an interval end) or
the outcome is NaN: a case that could not be judged has no probability; the
callers report how many such cases there were.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from hbkit._options import count_at_least
from hbkit.exceptions import HbkitValueError

__all__ = [
    "LOG_SCORE_EPS",
    "brier_decomposition",
    "brier_score",
    "expected_calibration_error",
    "interval_coverage",
    "log_score",
    "pit_coverage",
    "pit_histogram",
    "pit_inside",
    "probability_bin",
    "reliability_table",
]

#: clipping of probabilities in :func:`log_score`
LOG_SCORE_EPS = 1e-3


def _pairs(probability: ArrayLike, outcome: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    p = np.asarray(probability, dtype=float).ravel()
    y = np.asarray(outcome, dtype=float).ravel()
    if p.shape != y.shape:
        raise HbkitValueError(f"probability 有 {p.size} 个值，outcome 有 {y.size} 个，须一一对应 / "
                              f"probability has {p.size} values but outcome has {y.size}")
    keep = np.isfinite(p) & np.isfinite(y)
    p, y = p[keep], y[keep]
    outside = p[(p < 0) | (p > 1)]
    if outside.size:
        raise HbkitValueError(f"概率须在 0 与 1 之间；收到 {outside[0]:g} / probabilities must lie "
                              f"in [0, 1]; received {outside[0]:g}")
    other = y[(y != 0) & (y != 1)]
    if other.size:
        raise HbkitValueError(f"结果须为 0/1（或 True/False）；收到 {other[0]:g} / outcomes must be "
                              f"0/1 (or True/False); received {other[0]:g}")
    return p, y


def brier_score(probability: ArrayLike, outcome: ArrayLike) -> float:
    """Mean of ``(p - y) ** 2`` over the finite pairs (NaN when there are none).

    Examples
    --------
    >>> brier_score([0.8, 0.3, 0.5], [1, 0, 1])
    0.126...
    """
    p, y = _pairs(probability, outcome)
    return float(np.mean((p - y) ** 2)) if p.size else float("nan")


def log_score(probability: ArrayLike, outcome: ArrayLike, eps: float = LOG_SCORE_EPS) -> float:
    """Mean negative log-likelihood ``-[y log p + (1 - y) log(1 - p)]``, lower is better.

    Probabilities are clipped to ``[eps, 1 - eps]`` first.

    Examples
    --------
    >>> round(log_score([0.8, 0.3], [1, 0]), 4)  # -(log 0.8 + log 0.7) / 2
    0.2899
    >>> round(log_score([1.0], [0]), 4)  # clipped: -log(0.001)
    6.9078
    """
    if not 0 < eps < 0.5:
        raise HbkitValueError(f"eps 须大于 0 且小于 0.5；收到 {eps!r} / eps must lie in (0, 0.5); "
                              f"received {eps!r}")
    p, y = _pairs(probability, outcome)
    if not p.size:
        return float("nan")
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


def _bins(n_bins: object) -> int:
    """``n_bins`` as a whole number of bins, at least 1 (``"10"`` is 10, as
    :func:`~hbkit._options.whole_number` reads it); else an error naming it.

    >>> _bins("5")
    5
    >>> _bins(0)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitValueError: n_bins（概率分段数）须不少于 1；收到 0 / n_bins must be at least 1; received 0
    """
    return count_at_least("n_bins", n_bins, 1, "n_bins（概率分段数）")


def probability_bin(probability: ArrayLike, n_bins: int = 10) -> NDArray[np.int64]:
    """Index of each probability's bin ``[0, 1/n), [1/n, 2/n), ..., [(n-1)/n, 1]``.

    The bins of :func:`reliability_table` and :func:`expected_calibration_error`
    (rounded at 12 decimals first, so that 0.3 falls in ``[0.3, 0.4)``).

    Examples
    --------
    >>> probability_bin([0.0, 0.3, 0.95, 1.0]).tolist()
    [0, 3, 9, 9]
    """
    p = np.asarray(probability, dtype=float)
    return np.clip(np.floor(np.round(p * n_bins, 12)).astype(np.int64), 0, n_bins - 1)


def reliability_table(probability: ArrayLike, outcome: ArrayLike, n_bins: int = 10) -> pd.DataFrame:
    """Outcomes grouped by probability bin (deciles by default).

    Bins are ``[0, 0.1), [0.1, 0.2), ..., [0.9, 1.0]`` (the last one closed).

    Returns
    -------
    pandas.DataFrame
        One row per bin (empty bins included, with ``n = 0``): ``bin_lo, bin_hi,
        n, mean_probability, observed_frequency, freq_lo_95, freq_hi_95`` (exact
        Clopper-Pearson 95% interval of the observed frequency).

    Examples
    --------
    >>> t = reliability_table([0.05, 0.15, 0.12, 0.95], [0, 1, 0, 1])
    >>> int(t.n[1]), float(t.mean_probability[1]), float(t.observed_frequency[1])
    (2, 0.135, 0.5)
    """
    n_bins = _bins(n_bins)
    p, y = _pairs(probability, outcome)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = probability_bin(p, n_bins)
    n = np.bincount(idx, minlength=n_bins)
    k = np.bincount(idx, weights=y, minlength=n_bins)
    sum_p = np.bincount(idx, weights=p, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.where(n > 0, sum_p / n, np.nan)
        freq = np.where(n > 0, k / n, np.nan)
        lo = np.where(k > 0, stats.beta.ppf(0.025, k, n - k + 1), 0.0)
        hi = np.where(k < n, stats.beta.ppf(0.975, k + 1, n - k), 1.0)
    lo = np.where(n > 0, lo, np.nan)
    hi = np.where(n > 0, hi, np.nan)
    return pd.DataFrame(
        {
            "bin_lo": edges[:-1],
            "bin_hi": edges[1:],
            "n": n.astype(int),
            "mean_probability": mean_p,
            "observed_frequency": freq,
            "freq_lo_95": lo,
            "freq_hi_95": hi,
        }
    )


def expected_calibration_error(probability: ArrayLike, outcome: ArrayLike, n_bins: int = 10) -> float:
    """``sum_b (n_b / N) |mean probability_b - observed frequency_b|`` over the bins.

    Examples
    --------
    >>> expected_calibration_error([0.05, 0.15, 0.12, 0.95], [0, 1, 0, 1])
    0.2075...
    """
    table = reliability_table(probability, outcome, n_bins)
    used = table[table.n > 0]
    total = used.n.sum()
    if total == 0:
        return float("nan")
    gap = (used.mean_probability - used.observed_frequency).abs()
    return float((used.n * gap).sum() / total)


def brier_decomposition(probability: ArrayLike, outcome: ArrayLike, n_bins: int = 10
                        ) -> dict[str, float]:
    """The Brier score as reliability - resolution + uncertainty (+ within-bin terms).

    With the probability bins of :func:`reliability_table` (``n_k`` cases,
    mean probability ``p_k``, observed frequency ``o_k``; ``o`` the overall
    frequency, ``N`` the number of cases):

    * ``reliability`` = sum_k n_k (p_k - o_k)^2 / N (0 for a calibrated forecast);
    * ``resolution`` = sum_k n_k (o_k - o)^2 / N (higher is better: the
      frequencies differ from bin to bin, so the forecast sorts the cases);
    * ``uncertainty`` = o (1 - o), the Brier score of always saying ``o``;
    * ``within_bin_variance`` = sum_i (p_i - p_k(i))^2 / N and
      ``within_bin_covariance`` = 2 sum_i (p_i - p_k(i)) (y_i - o_k(i)) / N,
      which make the identity exact when the probabilities within a bin differ
      (Stephenson, Coelho & Jolliffe 2008, *Weather and Forecasting* 23:752).
      Murphy's (1973) three terms alone are exact for forecasts that take one
      value per bin, such as the 0/1 calls of the official rules.

    ``brier = reliability - resolution + uncertainty + within_bin_variance -
    within_bin_covariance`` holds to rounding.

    Examples
    --------
    A forecaster who says 0.2 or 0.8, right four times in five each time:

    >>> parts = brier_decomposition([0.2] * 5 + [0.8] * 5, [0, 0, 0, 0, 1, 1, 1, 1, 1, 0])
    >>> {k: round(v, 4) for k, v in parts.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'brier': 0.16, 'reliability': 0.0, 'resolution': 0.09, 'uncertainty': 0.25,
     'within_bin_variance': 0.0, 'within_bin_covariance': 0.0}
    """
    n_bins = _bins(n_bins)
    p, y = _pairs(probability, outcome)
    names = ("brier", "reliability", "resolution", "uncertainty", "within_bin_variance",
             "within_bin_covariance")
    if not p.size:
        return dict.fromkeys(names, float("nan"))
    table = reliability_table(p, y, n_bins)  # the bins and their means, as in the ECE
    used = table[table.n > 0]
    total, rate = float(p.size), float(y.mean())
    idx = probability_bin(p, n_bins)
    dp = p - table["mean_probability"].to_numpy()[idx]
    dy = y - table["observed_frequency"].to_numpy()[idx]
    values = (
        float(np.mean((p - y) ** 2)),
        float((used.n * (used.mean_probability - used.observed_frequency) ** 2).sum() / total),
        float((used.n * (used.observed_frequency - rate) ** 2).sum() / total),
        rate * (1.0 - rate),
        float(np.sum(dp**2) / total),
        float(2.0 * np.sum(dp * dy) / total),
    )
    return dict(zip(names, values, strict=True))


def interval_coverage(lo: ArrayLike, hi: ArrayLike, actual: ArrayLike) -> float:
    """Share of actual values with ``lo <= actual <= hi`` (finite triples only).

    Examples
    --------
    >>> interval_coverage([1, 1, 1, np.nan], [2, 2, 2, 2], [1.5, 2.0, 3.0, 1.5])
    0.66...
    """
    lo_a = np.asarray(lo, dtype=float).ravel()
    hi_a = np.asarray(hi, dtype=float).ravel()
    x = np.asarray(actual, dtype=float).ravel()
    if not lo_a.shape == hi_a.shape == x.shape:
        raise HbkitValueError(f"lo、hi 与 actual 的长度须相同；收到 {lo_a.size}、{hi_a.size}、"
                              f"{x.size} / lo, hi and actual must have the same length; received "
                              f"{lo_a.size}, {hi_a.size}, {x.size}")
    keep = np.isfinite(lo_a) & np.isfinite(hi_a) & np.isfinite(x)
    if not keep.any():
        return float("nan")
    inside = (lo_a[keep] <= x[keep]) & (x[keep] <= hi_a[keep])
    return float(inside.mean())


def pit_coverage(pit_lo: ArrayLike, pit_hi: ArrayLike, level: float) -> float:
    """Expected share of outcomes inside the central ``level`` (percent) predictive interval,
    from the randomised probability integral transform (PIT).

    ``pit_lo`` and ``pit_hi`` are the predictive probabilities of a value below
    and of a value at most the actual one: F(y-) and F(y). The randomised PIT
    is uniform between them (Czado, Gneiting & Held 2009, *Biometrics* 65);
    the case counts with the share of [F(y-), F(y)] inside [a, 1 - a],
    a = (1 - level) / 2. For a continuous predictive F(y-) = F(y) and this is
    the plain share of actual values inside the interval. For counts it is the
    coverage a calibrated discrete forecast has, exactly the level: an
    interval whose ends are whole counts holds more than ``level`` percent of
    its own predictive (Poisson(1): 0 to 2 deaths hold 92%), so the plain
    share of a calibrated forecast is above the level.

    Examples
    --------
    >>> pit_coverage([0.5, 0.95, 0.0], [0.5, 0.97, 0.2], 80)   # 1, 0, and half of [0, 0.2]
    0.5
    """
    lo_a = np.asarray(pit_lo, dtype=float).ravel()
    hi_a = np.asarray(pit_hi, dtype=float).ravel()
    if lo_a.shape != hi_a.shape:
        raise HbkitValueError(f"pit_lo 与 pit_hi 的长度须相同；收到 {lo_a.size}、{hi_a.size} / "
                              f"pit_lo and pit_hi must have the same length; received "
                              f"{lo_a.size}, {hi_a.size}")
    keep = np.isfinite(lo_a) & np.isfinite(hi_a)
    if not keep.any():
        return float("nan")
    return float(pit_inside(lo_a[keep], hi_a[keep], level).mean())


def pit_inside(pit_lo: ArrayLike, pit_hi: ArrayLike, level: float) -> NDArray[np.float64]:
    """Per case, the probability that its randomised PIT lies in the central ``level`` interval.

    The terms whose mean is :func:`pit_coverage` (NaN where an end is NaN).

    Examples
    --------
    >>> pit_inside([0.5, 0.95, 0.0], [0.5, 0.97, 0.2], 80).tolist()
    [1.0, 0.0, 0.5]
    """
    lo_a = np.asarray(pit_lo, dtype=float)
    hi_a = np.asarray(pit_hi, dtype=float)
    tail = (1.0 - float(level) / 100.0) / 2.0
    keep = np.isfinite(lo_a) & np.isfinite(hi_a)
    share = _pit_share(np.where(keep, lo_a, 0.0), np.where(keep, hi_a, 0.0), tail, 1.0 - tail,
                       True)
    return np.where(keep, share, np.nan)


def _pit_share(lo: NDArray[np.float64], hi: NDArray[np.float64], a: float, b: float,
               closed: bool) -> NDArray[np.float64]:
    """Probability (per case) that a PIT uniform on [lo, hi] falls in [a, b].

    A point mass (lo == hi) counts when a <= lo < b, or lo <= b with ``closed``.
    """
    hi = np.maximum(hi, lo)
    width = hi - lo
    overlap = np.clip(np.minimum(hi, b) - np.maximum(lo, a), 0.0, None)
    point = (lo >= a) & ((lo <= b) if closed else (lo < b))
    return np.where(width > 0, overlap / np.where(width > 0, width, 1.0), point.astype(float))


def pit_histogram(pit_lo: ArrayLike, pit_hi: ArrayLike, n_bins: int = 10) -> pd.DataFrame:
    """Expected histogram of the randomised PIT: the share of cases in each of ``n_bins`` bins.

    Each case's randomised PIT is uniform on [F(y-), F(y)] (see
    :func:`pit_coverage`); its probability is spread over the bins that
    interval overlaps, so the table is exact, with no random draw. A
    calibrated forecast gives 1 / ``n_bins`` in every bin; too narrow intervals
    pile the outcomes in the outer bins (a U), too wide ones in the middle.

    Returns
    -------
    pandas.DataFrame
        ``bin_lo, bin_hi, share`` (shares sum to 1) and ``n`` (cases used).

    Examples
    --------
    >>> pit_histogram([0.05, 0.5, 0.0], [0.05, 0.5, 0.2], n_bins=5).share.round(3).tolist()
    [0.667, 0.0, 0.333, 0.0, 0.0]
    """
    lo_a = np.asarray(pit_lo, dtype=float).ravel()
    hi_a = np.asarray(pit_hi, dtype=float).ravel()
    if lo_a.shape != hi_a.shape:
        raise HbkitValueError(f"pit_lo 与 pit_hi 的长度须相同；收到 {lo_a.size}、{hi_a.size} / "
                              f"pit_lo and pit_hi must have the same length; received "
                              f"{lo_a.size}, {hi_a.size}")
    n_bins = _bins(n_bins)
    keep = np.isfinite(lo_a) & np.isfinite(hi_a)
    lo_a, hi_a = lo_a[keep], hi_a[keep]
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    mass = np.array([_pit_share(lo_a, hi_a, edges[b], edges[b + 1], b == n_bins - 1).sum()
                     for b in range(n_bins)])
    total = max(int(keep.sum()), 1)
    return pd.DataFrame({"bin_lo": edges[:-1], "bin_hi": edges[1:], "share": mass / total,
                         "n": int(keep.sum())})
