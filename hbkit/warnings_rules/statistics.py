"""Per-series statistics of the warnings and the flags they raise.

:func:`series_statistics` gives every number the ``fluctuation`` and
``moving_away`` warnings need, one row per series (indicator x area), and the
``fluctuation`` flag; :func:`moving_away_flags` says which latest changes go the
wrong way beyond noise; :func:`expected_shortfall` is the number of the
``hard_to_reach`` warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from hbkit.models.scales import reporting_decimals
from hbkit.status import StatusRules
from hbkit.warnings_rules.changes import _last_change, _robust, standardised_changes
from hbkit.warnings_rules.dispersion import count_family, dispersion_test

FloatArray = npt.NDArray[np.float64]


def series_statistics(
    years: npt.ArrayLike,
    values: FloatArray,
    numerators: FloatArray | None,
    denominators: FloatArray | None,
    unit: str,
    rules: StatusRules | None = None,
    seed: int = 0,
    bounded: bool = True,
    labels: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """Every number the fluctuation and moving-away warnings need, per series.

    Rows are series (N), columns of the arrays years (T). A series uses its
    counts when every observed year has a numerator and a positive
    denominator; otherwise the descriptive rule for values only. Counts are
    binomial for a bounded percentage, Poisson otherwise (``bounded=False``: a
    percentage that can pass 100%, :func:`count_family`). ``seed`` and the
    optional ``labels`` (N,) (the areas' names) key the bootstrap of small
    counts series by series (:func:`dispersion_test`).

    Returns
    -------
    pandas.DataFrame
        ``n_obs, has_counts, dispersion_chi2, dispersion_df, dispersion_ratio,
        p_value, p_method, swing_scale, max_abs_z, max_z_year, n_large_changes, robust_scale,
        relative_scale,
        reversals, slope, prev_year, last_year, prev_value, last_value,
        last_change, last_z, last_p_up, last_p_down, fluctuation``.

    Examples
    --------
    Strong swings in large counts fluctuate; a smooth series does not:

    >>> yrs = [2018, 2019, 2020, 2021, 2022]
    >>> k = np.array([[100., 160, 90, 170, 95], [100., 102, 98, 101, 99]])
    >>> n = np.full((2, 5), 10_000.)
    >>> out = series_statistics(yrs, k / n * 1000, k, n, "per_1000")
    >>> out.fluctuation.tolist()
    [True, False]
    """
    rules = rules or StatusRules()
    yrs = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    n_series = v.shape[0]
    obs = np.isfinite(v)
    n_obs = obs.sum(axis=1)
    if numerators is not None and denominators is not None:
        k = np.asarray(numerators, dtype=float)
        n = np.asarray(denominators, dtype=float)
        counts_ok = np.where(obs, np.isfinite(k) & np.isfinite(n) & (n > 0), True).all(axis=1)
        counts_ok &= n_obs > 0
    else:
        k = n = np.full_like(v, np.nan)
        counts_ok = np.zeros(n_series, dtype=bool)
    out: dict[str, Any] = {"n_obs": n_obs, "has_counts": counts_ok}
    for col in ("dispersion_chi2", "dispersion_df", "dispersion_ratio", "p_value", "swing_scale",
                "max_abs_z", "max_z_year", "n_large_changes", "last_z", "last_p_up",
                "last_p_down"):
        out[col] = np.full(n_series, np.nan)
    out["p_method"] = np.full(n_series, "", dtype=object)
    out.update(_robust(yrs, v))
    changes = _last_change(yrs, v)
    for col in ("prev_year", "last_year", "prev_value", "last_value", "last_change"):
        out[col] = changes[col]

    # --- series with counts
    idx = np.flatnonzero(counts_ok)
    if idx.size:
        kk = np.where(obs[idx], k[idx], np.nan)
        nn = np.where(obs[idx], n[idx], np.nan)
        disp = dispersion_test(yrs, kk, nn, unit, rules, seed, bounded,
                               labels=None if labels is None else [labels[int(i)] for i in idx])
        for col in disp.columns:
            out[col][idx] = disp[col].to_numpy()
        z = standardised_changes(kk, nn, unit, bounded)
        absz = np.abs(z)
        if absz.shape[1]:  # a one-year grid has no change (and nothing to take the max of)
            any_z = np.isfinite(absz).any(axis=1)
            arg = np.argmax(np.where(np.isfinite(absz), absz, -1.0), axis=1)
            out["max_abs_z"][idx] = np.where(any_z, absz[np.arange(idx.size), arg], np.nan)
            out["max_z_year"][idx] = np.where(any_z, yrs[1:][arg], np.nan)
            with np.errstate(invalid="ignore"):  # years whose change is beyond z_report
                large = (absz >= rules.z_report).sum(axis=1)
            out["n_large_changes"][idx] = np.where(any_z, large, np.nan)
        pc = changes["prev_col"][idx]
        lc = changes["last_col"][idx]
        two = pc >= 0
        rows = np.arange(idx.size)
        k1, n1 = kk[rows, lc], nn[rows, lc]
        k0, n0 = kk[rows, np.maximum(pc, 0)], nn[rows, np.maximum(pc, 0)]
        zl = standardised_changes(np.stack([k0, k1], 1), np.stack([n0, n1], 1), unit,
                                  bounded)[:, 0]
        if count_family(unit, bounded) == "poisson":
            total = np.rint(k0 + k1)
            share = n1 / (n0 + n1)
            with np.errstate(invalid="ignore"):
                p_up = stats.binom.sf(np.rint(k1) - 1, total, share)  # P(K1 >= k1)
                p_down = stats.binom.cdf(np.rint(k1), total, share)  # P(K1 <= k1)
        else:
            p_up = stats.norm.sf(zl)
            p_down = stats.norm.cdf(zl)
        out["last_z"][idx] = np.where(two, zl, np.nan)
        out["last_p_up"][idx] = np.where(two, p_up, np.nan)
        out["last_p_down"][idx] = np.where(two, p_down, np.nan)

    # --- series without counts: noise from the robust residual scale, at least one unit of
    # the last reported digit (a flat 60.0, 60.0, ... then 59.9 has scale 0: one unit can be
    # rounding alone, not a move away beyond noise)
    nidx = np.flatnonzero(~counts_ok)
    if nidx.size:
        decimals = reporting_decimals(v[nidx])
        resolution = np.where(decimals >= 0, 10.0 ** -decimals.astype(float), 0.0)
        scale = np.maximum(out["robust_scale"][nidx], resolution)
        change = out["last_change"][nidx]
        enough = n_obs[nidx] >= 4
        with np.errstate(invalid="ignore", divide="ignore"):
            zl = np.where(scale > 0, change / (np.sqrt(2.0) * scale),
                          np.sign(change) * np.inf)
        zl = np.where(enough, zl, np.nan)
        out["last_z"][nidx] = zl
        out["last_p_up"][nidx] = stats.norm.sf(zl)
        out["last_p_down"][nidx] = stats.norm.cdf(zl)

    with np.errstate(invalid="ignore"):
        counts_flag = (counts_ok & (out["p_value"] <= rules.fluctuation_alpha)
                       & (out["swing_scale"] >= rules.fluctuation_min_swing))
        plain_flag = (
            ~counts_ok
            & (n_obs >= 4)
            & (out["relative_scale"] >= rules.fluctuation_relative_scale)
            & (out["reversals"] >= rules.fluctuation_min_reversals)
        )
    out["fluctuation"] = counts_flag | plain_flag
    out["p_method"] = out["p_method"].astype(str)
    return pd.DataFrame(out)


def moving_away_flags(
    statistics: pd.DataFrame, direction: npt.ArrayLike, rules: StatusRules | None = None
) -> tuple[npt.NDArray[np.bool_], FloatArray]:
    """Whether the latest change goes the wrong way beyond noise, and its one-sided p-value.

    ``direction`` is the desired direction of each row (``increase`` /
    ``decrease``; anything else never fires).

    >>> st = pd.DataFrame({"last_p_up": [0.001, 0.3], "last_p_down": [0.999, 0.7]})
    >>> flags, p = moving_away_flags(st, ["decrease", "decrease"])
    >>> flags.tolist(), p.tolist()
    ([True, False], [0.001, 0.3])
    """
    rules = rules or StatusRules()
    d = np.asarray(direction, dtype=object)
    p_up = statistics["last_p_up"].to_numpy(dtype=float)
    p_down = statistics["last_p_down"].to_numpy(dtype=float)
    p = np.where(d == "decrease", p_up, np.where(d == "increase", p_down, np.nan))
    with np.errstate(invalid="ignore"):
        return np.asarray(p <= rules.moving_away_alpha), p


#: the interval (percent) whose ends bound the draws :func:`expected_shortfall` averages
SHORTFALL_LEVEL = 95.0


def expected_shortfall(
    draws: FloatArray, target_value: FloatArray, direction: npt.ArrayLike,
    ends: FloatArray | None = None,
) -> FloatArray:
    """Mean distance by which draws of the target-year value miss the target, each draw
    counted no further out than the ends of its 95% interval.

    ``draws`` is (N, S); a draw that meets the target adds 0. ``ends`` (N, 2): the
    lower and upper end of each row's 95% interval as the reports print it
    (:func:`hbkit.quantiles.interval_summary`); worked out from the draws when not
    given. Why bounded (a winsorised mean): a series modelled on the log scale with a
    Student-t predictive has no finite mean on the reported scale, nor has a Student-t
    with one degree of freedom (three points) on any scale, so a plain mean over the
    draws is set by the few most extreme ones and swings from run to run (a maternal
    mortality of 0, 27.6, 0, 56.1, 0, 0.2 per 10万 gave a mean miss of 3e32 per 10万).
    For a normal predictive the bounded mean differs from the plain one by less than
    0.01 of its standard deviation.

    >>> expected_shortfall(np.array([[4., 6., 8.]]), np.array([5.]), ["decrease"])
    array([1.])

    One draw in a thousand far out sets the plain mean, not this one (draws spread
    evenly over 1-3, target <= 2):

    >>> spread = np.linspace(1.0, 3.0, 999)
    >>> near, far = np.array([[*spread, 3.0]]), np.array([[*spread, 1e30]])
    >>> float(np.maximum(far - 2.0, 0).mean()) > 1e26
    True
    >>> [expected_shortfall(d, np.array([2.0]), ["decrease"]).round(3) for d in (near, far)]
    [array([0.25]), array([0.25])]
    """
    d = np.asarray(direction, dtype=object)
    tv = np.asarray(target_value, dtype=float)
    draws = np.asarray(draws, dtype=float)
    if ends is None:
        from hbkit.quantiles import interval_summary

        ends = interval_summary(draws, (SHORTFALL_LEVEL,))[:, 1:3]
    ends = np.asarray(ends, dtype=float)
    out = np.full(draws.shape[0], np.nan)
    for name in ("decrease", "increase"):  # rows grouped by direction: one pass each
        sel = np.flatnonzero(d == name)
        if not sel.size:
            continue
        part = np.clip(draws if sel.size == draws.shape[0] else draws[sel],
                       ends[sel, 0:1], ends[sel, 1:2])
        short = part - tv[sel, None] if name == "decrease" else tv[sel, None] - part
        np.maximum(short, 0.0, out=short)
        finite = np.isfinite(short)
        count = finite.sum(axis=1)
        short[~finite] = 0.0
        total = short.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[sel] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return out
