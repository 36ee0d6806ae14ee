"""Year-on-year changes of series: standardised with counts, robust without.

:func:`standardised_changes` gives the z of each change of count series;
:func:`robust_trend_scale` the robust residual scale around a Theil-Sen line and
the direction reversals of value series; :func:`last_change` the latest two
observed years and the change between them; :func:`compress_observed`
left-aligns the observed values of each row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hbkit.quantiles import row_medians
from hbkit.warnings_rules.dispersion import count_family

FloatArray = npt.NDArray[np.float64]


def standardised_changes(
    numerators: FloatArray, denominators: FloatArray, unit: str, bounded: bool = True
) -> FloatArray:
    """Standardised year-on-year changes z_t of count series, shape (N, T - 1).

    ``z_t = (p_t - p_{t-1}) / sqrt(v_t + v_{t-1})`` with ``v = pbar(1 - pbar)/n``
    (binomial) or ``pbar/n`` (Poisson) at the pooled proportion
    ``pbar = (k_t + k_{t-1}) / (n_t + n_{t-1})``; NaN where a year is missing,
    0 where both years have no event.

    Examples
    --------
    Two years of 20 and 40 events among 10,000 (a Poisson rate):

    >>> z = standardised_changes(np.array([[20., 40.]]), np.array([[1e4, 1e4]]), "per_10k")
    >>> round(float(z[0, 0]), 3), round(20 / 60 ** 0.5, 3)
    (2.582, 2.582)
    """
    k = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        pbar = (k[:, 1:] + k[:, :-1]) / (n[:, 1:] + n[:, :-1])
        spread = pbar * (1 - pbar) if count_family(unit, bounded) == "binomial" else pbar
        var = spread / n[:, 1:] + spread / n[:, :-1]
        diff = p[:, 1:] - p[:, :-1]
        z = np.where(var > 0, diff / np.sqrt(var), np.where(diff == 0, 0.0, np.nan))
    return z


def robust_trend_scale(years: npt.ArrayLike, values: FloatArray) -> pd.DataFrame:
    """Robust residual scale around a Theil-Sen line and direction reversals, per series.

    Returns one row per series: ``robust_scale`` (1.4826 x the median absolute
    deviation of the residuals), ``relative_scale`` (that over the median
    absolute level), ``reversals`` (sign changes of successive year-on-year
    changes, over observed years) and ``slope`` (Theil-Sen, per year).

    Examples
    --------
    >>> out = robust_trend_scale([1, 2, 3, 4, 5], np.array([[10., 12, 10, 12, 10]]))
    >>> int(out.reversals.iloc[0]), float(out.slope.iloc[0])
    (3, 0.0)
    """
    return pd.DataFrame(_robust(years, values))


def _robust(years: npt.ArrayLike, values: FloatArray) -> dict[str, FloatArray]:
    y = np.asarray(values, dtype=float)
    t = np.asarray(years, dtype=float)
    n_series, n_years = y.shape
    obs = np.isfinite(y)
    i, j = np.triu_indices(n_years, k=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slopes = (y[:, j] - y[:, i]) / (t[j] - t[i])
    slope = row_medians(slopes)
    intercept = row_medians(y - slope[:, None] * t[None, :])
    resid = y - intercept[:, None] - slope[:, None] * t[None, :]
    centre = row_medians(resid)
    scale = 1.4826 * row_medians(np.abs(resid - centre[:, None]))
    level = row_medians(np.abs(y))
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(level > 0, scale / level, np.where(scale > 0, np.inf, 0.0))
    reversals = _reversals(y, obs)
    return {"robust_scale": scale, "relative_scale": relative, "reversals": reversals,
            "slope": slope}


def compress_observed(values: FloatArray) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """Left-align each row's observed values; return them and their column indices.

    Missing cells move to the right (NaN, index -1).

    >>> v, idx = compress_observed(np.array([[np.nan, 1., np.nan, 3.]]))
    >>> v.tolist(), idx.tolist()
    ([[1.0, 3.0, nan, nan]], [[1, 3, -1, -1]])
    """
    obs = np.isfinite(values)
    order = np.argsort(~obs, axis=1, kind="stable")
    packed = np.take_along_axis(values, order, axis=1)
    keep = np.take_along_axis(obs, order, axis=1)
    return np.where(keep, packed, np.nan), np.where(keep, order, -1)


def _reversals(y: FloatArray, obs: npt.NDArray[np.bool_]) -> FloatArray:
    packed, _ = compress_observed(np.where(obs, y, np.nan))
    d = np.sign(np.diff(packed, axis=1))
    d = np.where(np.isfinite(d), d, 0.0)
    # sign changes among successive non-zero changes
    count = np.zeros(y.shape[0])
    last = np.zeros(y.shape[0])
    for col in range(d.shape[1]):
        cur = d[:, col]
        count += (cur != 0) & (last != 0) & (cur != last)
        last = np.where(cur != 0, cur, last)
    return count


def last_change(years: npt.ArrayLike, values: FloatArray) -> pd.DataFrame:
    """The latest two observed years of each series and the change between them.

    >>> last_change([2020, 2021, 2022], np.array([[1., np.nan, 4.]]))[["prev_year", "last_year", "last_change"]].values.tolist()
    [[2020.0, 2022.0, 3.0]]
    """
    return pd.DataFrame(_last_change(years, values))


def _last_change(years: npt.ArrayLike, values: FloatArray) -> dict[str, Any]:
    yrs = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    packed, idx = compress_observed(v)
    n_obs = np.isfinite(v).sum(axis=1)
    rows = np.arange(v.shape[0])
    last_i = np.clip(n_obs - 1, 0, None)
    prev_i = np.clip(n_obs - 2, 0, None)
    has_two = n_obs >= 2
    last_col = idx[rows, last_i]
    prev_col = idx[rows, prev_i]
    return {
        "prev_year": np.where(has_two, yrs[prev_col], np.nan),
        "last_year": np.where(n_obs >= 1, yrs[last_col], np.nan),
        "prev_col": np.where(has_two, prev_col, -1),
        "last_col": np.where(n_obs >= 1, last_col, -1),
        "prev_value": np.where(has_two, packed[rows, prev_i], np.nan),
        "last_value": np.where(n_obs >= 1, packed[rows, last_i], np.nan),
        "last_change": np.where(has_two, packed[rows, last_i] - packed[rows, prev_i], np.nan),
    }
