"""Early warnings (预警): their statistics, thresholds and wording.

Four warnings, each with a code, a Chinese and an English text and the numbers
behind it (thresholds in :class:`hbkit.status.StatusRules`):

``hard_to_reach`` 预计达标困难
    The target is ``at_risk`` or ``off_track``, or it is achieved early (提前实现)
    but more likely than not lost again by the target year (P(attain) below
    ``StatusRules.at_risk``). Not in the final evaluation. Numbers: P(attain), the
    expected shortfall E[max(0, distance by which the projected target-year
    value misses the target)] in the indicator's unit, and the required annual
    change from the latest year to the target year against the change achieved
    per year since the baseline.

``fluctuation`` 波动较大
    The year-on-year swings are larger than sampling noise explains.

    *With counts* (numerator k_t events out of denominator n_t; binomial for
    bounded percentages, Poisson for rates of rare events and percentages that can
    pass 100%): a generalised linear trend
    (logit or log link, exposure n_t) is fitted by maximum likelihood; the
    Pearson statistic X^2 = sum_t (k_t - mu_t)^2 / V(mu_t), with V the binomial
    or Poisson variance, is compared with chi-square on T - 2 degrees of
    freedom (an overdispersion test of the series around its own trend). When
    some expected count is below ``fluctuation_min_expected`` (Cochran's rule:
    a district sees 0 or 1 maternal death a year) the p-value comes from a
    seeded parametric bootstrap (counts simulated from the fitted trend and
    refitted). The warning fires when p < ``fluctuation_alpha`` (0.01), so
    under pure sampling noise it fires on about 1% of series, and the swings
    are large in practice: the root-mean-square deviation of the observed
    proportions from the trend is at least ``fluctuation_min_swing`` (2%) of
    the trend's level (with denominators of 100,000 a real but tiny variation
    is significant, not 波动较大). Reported with it:
    X^2, df, p, the dispersion ratio X^2/df and the largest standardised
    year-on-year change z_t = (p_t - p_{t-1}) / sqrt(v_t + v_{t-1}), where
    v_t = pbar(1 - pbar)/n_t (binomial) or pbar/n_t (Poisson) at the pair's
    pooled proportion pbar, and how many changes have abs(z_t) >= ``z_report`` (1.96).

    *Without counts* sampling noise is unknown, so the rule is descriptive: the
    robust residual scale s = 1.4826 MAD of the residuals around a Theil-Sen
    line, relative to the series' median level, is at least
    ``fluctuation_relative_scale`` (10%) and the year-on-year changes reverse
    direction at least ``fluctuation_min_reversals`` (2) times.

``moving_away`` 偏离目标
    The latest year-on-year change goes against the desired direction by more
    than noise: with Poisson counts, the exact conditional test (given
    k_t + k_{t-1} events, k_t is binomial with probability n_t / (n_t + n_{t-1})
    when the rate did not change); with binomial counts the pooled two-sample z
    above; without counts z = change / (sqrt(2) s) with s the robust residual
    scale. Fires when the one-sided p < ``moving_away_alpha`` (0.025).

``latest_missing`` 最新年份缺失
    The series has data but no value for the assessment year (``as_of``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from hbkit._numbers import number, number_apart
from hbkit._typing import UNIT_EN, UNIT_SCALE, UNIT_ZH
from hbkit.models._random import SeriesStreams, series_keys
from hbkit.models.scales import reporting_decimals
from hbkit.status import StatusRules

FloatArray = npt.NDArray[np.float64]

#: warning code -> (中文, English)
WARNING_LABELS: dict[str, tuple[str, str]] = {
    "hard_to_reach": ("预计达标困难", "hard to reach"),
    "fluctuation": ("波动较大", "large fluctuation"),
    "moving_away": ("偏离目标", "moving away from the target"),
    "latest_missing": ("最新年份缺失", "latest year missing"),
}

#: the numbers a warning row may carry (NaN where they do not apply)
WARNING_NUMBER_COLUMNS: tuple[str, ...] = (
    "probability",
    "expected_shortfall",
    "required_annual_change",
    "achieved_annual_change",
    "dispersion_chi2",
    "dispersion_df",
    "dispersion_ratio",
    "p_value",
    "swing_scale",
    "max_abs_z",
    "max_z_year",
    "n_large_changes",
    "robust_scale",
    "relative_scale",
    "reversals",
    "last_change",
    "last_z",
    "last_year",
    "as_of",
)

WARNING_COLUMNS: tuple[str, ...] = (
    "target_id", "geo", "code", "text_zh", "text_en", *WARNING_NUMBER_COLUMNS
)


#: small-count series whose chi-square p-value is at least this skip the bootstrap: the
#: chi-square tail is heavier than the exact one for sparse counts, so they are far from
#: any alarm either way (this keeps the bootstrap to the few borderline series)
BOOTSTRAP_SCREEN = 0.10


def count_family(unit: str, bounded: bool = True) -> str:
    """Sampling family of counts in a unit: ``binomial`` for bounded percentages, else ``poisson``.

    An unbounded percentage (a gross enrolment ratio can pass 100%: its numerator is
    no subset of its denominator) is Poisson, as in the projection models
    (``hbkit.models.scales.choose_scale``).

    >>> count_family("percent"), count_family("per_100k"), count_family("percent", bounded=False)
    ('binomial', 'poisson', 'poisson')
    """
    return "binomial" if unit == "percent" and bounded else "poisson"


# --------------------------------------------------------------------------------------
# the generalised linear trend and its Pearson statistic, vectorised over series
# --------------------------------------------------------------------------------------
def fit_count_trend(
    k: FloatArray, n: FloatArray, mask: npt.NDArray[np.bool_], x: FloatArray, family: str,
    iterations: int = 25,
) -> FloatArray:
    """Expected counts of a two-parameter GLM trend fitted to each row.

    ``log(mu_t / n_t) = a + b x_t`` (Poisson) or ``logit(mu_t / n_t) = a + b x_t``
    (binomial), by iteratively reweighted least squares, vectorised over rows.
    Rows are series, columns years; ``mask`` marks the observed cells.

    Examples
    --------
    The fit reproduces statsmodels' Poisson GLM with exposure:

    >>> k = np.array([[3., 5., 4., 8., 9.]]); n = np.full((1, 5), 1000.)
    >>> x = np.arange(5.)[None, :]
    >>> mu = fit_count_trend(k, n, np.ones_like(k, bool), x, "poisson")
    >>> import statsmodels.api as sm
    >>> ref = sm.GLM(k[0], sm.add_constant(x[0]), family=sm.families.Poisson(),
    ...              exposure=n[0]).fit().fittedvalues
    >>> bool(np.allclose(mu[0], ref, rtol=1e-6))
    True
    """
    a, b = _fit_params(k, n, mask, x, family, iterations)
    return _expected(a, b, np.where(mask, n, 1.0), x, family)


def _expected(a: FloatArray, b: FloatArray, n: FloatArray, x: FloatArray, family: str
              ) -> FloatArray:
    eta = np.clip(a[:, None] + b[:, None] * x, -30.0, 30.0)
    if family == "poisson":
        return n * np.exp(eta)
    return n / (1.0 + np.exp(-eta))


def _fit_params(
    k: FloatArray, n: FloatArray, mask: npt.NDArray[np.bool_], x: FloatArray, family: str,
    iterations: int, start: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """IRLS for the intercept and slope of each row (optionally warm-started).

    A row stops when it has converged (or drifts to a boundary): its fit is its
    own, not moved on by the iterations that other rows of the call still need.
    """
    w_obs = mask.astype(float)
    kk = np.where(mask, k, 0.0)
    nn = np.where(mask, n, 1.0)
    if start is None:
        total_k = (kk * w_obs).sum(axis=1)
        total_n = (nn * w_obs).sum(axis=1)
        p0 = (total_k + 0.5) / (total_n + 1.0)
        a = np.log(p0) if family == "poisson" else np.log(p0 / np.clip(1 - p0, 1e-12, None))
        b = np.zeros_like(a)
    else:
        a, b = (np.array(v, dtype=float) for v in start)
    active = np.ones(a.shape, dtype=bool)
    for _ in range(iterations):
        eta = np.clip(a[:, None] + b[:, None] * x, -30.0, 30.0)
        if family == "poisson":
            mu = nn * np.exp(eta)
            weight = mu
        else:
            prob = 1.0 / (1.0 + np.exp(-eta))
            mu = nn * prob
            weight = nn * prob * (1.0 - prob)
        weight = np.maximum(weight, 1e-10) * w_obs
        z = eta + np.where(mask, (kk - mu) / np.maximum(weight, 1e-10), 0.0)
        sw = weight.sum(axis=1)
        swx = (weight * x).sum(axis=1)
        swxx = (weight * x * x).sum(axis=1)
        swz = (weight * z).sum(axis=1)
        swxz = (weight * x * z).sum(axis=1)
        det = sw * swxx - swx * swx
        ok = det > 1e-12 * np.maximum(sw * swxx, 1e-300)
        b_new = np.where(ok, (sw * swxz - swx * swz) / np.where(ok, det, 1.0), 0.0)
        a_new = (swz - b_new * swx) / np.maximum(sw, 1e-300)
        step = np.abs(a_new - a) + np.abs(b_new - b)
        a, b = np.where(active, a_new, a), np.where(active, b_new, b)
        # rows drifting to a zero or full rate (separation) never converge; their fit
        # is already at the boundary, so they do not hold the loop
        room = mu if family == "poisson" else np.minimum(mu, nn - mu)
        drifting = np.where(mask, room, np.inf).min(axis=1) < 1e-3
        active &= (step > 1e-8) & ~drifting
        if not active.any():
            break
    return a, b


def pearson_statistic(
    k: FloatArray, n: FloatArray, mu: FloatArray, mask: npt.NDArray[np.bool_], family: str
) -> FloatArray:
    """Pearson X^2 of counts ``k`` around expected counts ``mu`` (per row).

    >>> k = np.array([[0., 2.]]); mu = np.array([[1., 1.]])
    >>> pearson_statistic(k, np.full_like(k, 100.), mu, np.ones_like(k, bool), "poisson")
    array([2.])
    """
    if family == "poisson":
        var = mu
    else:
        var = mu * (1.0 - mu / np.where(n > 0, n, 1.0))
    terms = np.where(mask, (k - mu) ** 2 / np.maximum(var, 1e-12), 0.0)
    # a cell whose expected variance vanishes (rate 0 or 100% fitted) adds nothing
    terms = np.where(mask & (var < 1e-12), 0.0, terms)
    return terms.sum(axis=1)


def _centered_years(years: FloatArray, mask: npt.NDArray[np.bool_]) -> FloatArray:
    count = np.maximum(mask.sum(axis=1, keepdims=True), 1)
    centre = np.where(mask, years, 0.0).sum(axis=1, keepdims=True) / count
    return np.broadcast_to(years, mask.shape) - centre


def dispersion_test(
    years: npt.ArrayLike,
    numerators: FloatArray,
    denominators: FloatArray,
    unit: str,
    rules: StatusRules | None = None,
    seed: int = 0,
    bounded: bool = True,
    labels: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """Overdispersion test of each count series around its GLM trend.

    Parameters
    ----------
    years
        Calendar years (T,).
    numerators, denominators
        Events and exposure (N, T); NaN where not observed.
    unit
        The indicator's unit (``percent`` gives binomial counts, a rate unit Poisson).
    rules
        ``fluctuation_min_expected`` and ``fluctuation_bootstrap`` are used.
    seed
        Seed of the bootstrap for small counts. Each series' replicates are
        drawn by its own generator (keyed by ``labels``, else by its counts),
        so its p-value does not depend on the other series tested with it.
    bounded
        ``False`` for a percentage that can pass 100% (Poisson counts, :func:`count_family`).
    labels
        Optional names of the series (N,), e.g. the areas.

    Returns
    -------
    pandas.DataFrame
        One row per series: ``dispersion_chi2, dispersion_df, dispersion_ratio,
        p_value, p_method, swing_scale``; ``p_method`` is ``chi2``, ``bootstrap`` or ``""`` when fewer
        than 4 observed years; ``chi2 (screen)`` for sparse counts far from
        significance).

    Examples
    --------
    Counts that follow their trend exactly are not overdispersed:

    >>> k = np.array([[10., 20., 30., 40.]]); n = np.full((1, 4), 1000.)
    >>> out = dispersion_test([2020, 2021, 2022, 2023], k, n, "per_1000")
    >>> out[["dispersion_df", "p_method"]].values.tolist()
    [[2.0, 'chi2']]
    >>> float(out.p_value.iloc[0]) > 0.5
    True
    """
    rules = rules or StatusRules()
    yrs = np.asarray(years, dtype=float)[None, :]
    k = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    family = count_family(unit, bounded)
    mask = np.isfinite(k) & np.isfinite(n) & (n > 0)
    n_obs = mask.sum(axis=1)
    x = _centered_years(yrs, mask)
    a, b = _fit_params(k, n, mask, x, family, 25)
    mu = _expected(a, b, np.where(mask, n, 1.0), x, family)
    x2 = pearson_statistic(k, n, mu, mask, family)
    df = (n_obs - 2).astype(float)
    testable = n_obs >= 4
    expected_ok = np.where(mask, mu >= rules.fluctuation_min_expected, True).all(axis=1)
    if family == "binomial":
        expected_ok &= np.where(mask, n - mu >= rules.fluctuation_min_expected, True).all(axis=1)
    p = np.full(k.shape[0], np.nan)
    with np.errstate(invalid="ignore"):
        p_chi2 = stats.chi2.sf(x2, np.maximum(df, 1.0))
    use_chi2 = testable & expected_ok
    p[use_chi2] = p_chi2[use_chi2]
    method = np.where(use_chi2, "chi2", "").astype(object)
    # small counts: the chi-square tail is too heavy-handed there, so the bootstrap decides;
    # series far from significance even by chi-square (p >= BOOTSTRAP_SCREEN) keep that p
    sparse = testable & ~expected_ok
    screened = sparse & (p_chi2 >= BOOTSTRAP_SCREEN)
    p[screened] = p_chi2[screened]
    method[screened] = "chi2 (screen)"
    small = np.flatnonzero(sparse & ~screened)
    if small.size:
        keys = series_keys(k, np.asarray(years).ravel(), n, labels=labels)
        streams = SeriesStreams(keys[small], rules.fluctuation_bootstrap, (seed, 7919))
        p[small] = _bootstrap_p(k[small], n[small], mu[small], mask[small], x[small], x2[small],
                                family, streams, start=(a[small], b[small]))
        method[small] = "bootstrap"
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(testable, x2 / df, np.nan)
        nn = np.where(mask, n, 1.0)
        gap = np.where(mask, (k - mu) / nn, 0.0)
        level = np.where(mask, mu, 0.0).sum(axis=1) / np.where(mask, nn, 0.0).sum(axis=1)
        rms = np.sqrt((gap**2).sum(axis=1) / np.maximum(n_obs, 1))
        swing = np.where(testable & (level > 0), rms / level, np.nan)
    return pd.DataFrame({
        "dispersion_chi2": np.where(testable, x2, np.nan),
        "dispersion_df": np.where(testable, df, np.nan),
        "dispersion_ratio": ratio,
        "p_value": p,
        "p_method": method.astype(str),
        "swing_scale": swing,
    })


def _bootstrap_p(
    k: FloatArray, n: FloatArray, mu: FloatArray, mask: npt.NDArray[np.bool_], x: FloatArray,
    x2: FloatArray, family: str, streams: SeriesStreams, chunk: int = 500,
    start: tuple[FloatArray, FloatArray] | None = None,
) -> FloatArray:
    """Parametric-bootstrap p-value of the Pearson statistic (refitting each replicate).

    ``streams`` gives the replicates (``streams.n_draws`` per series), each
    series' from its own generator.
    """
    replicates = streams.n_draws
    out = np.empty(k.shape[0])
    n_int = np.rint(np.where(mask, n, 0.0)).astype(np.int64)
    for first in range(0, k.shape[0], chunk):
        sl = slice(first, first + chunk)
        m = k[sl].shape[0]
        rep_mu = np.repeat(mu[sl], replicates, axis=0)
        rep_n = np.repeat(n[sl], replicates, axis=0)
        rep_mask = np.repeat(mask[sl], replicates, axis=0)
        rep_x = np.repeat(x[sl], replicates, axis=0)
        if family == "poisson":
            expected = np.where(rep_mask, rep_mu, 0.0)
        else:
            rep_ni = np.repeat(n_int[sl], replicates, axis=0)
            prob = np.clip(np.where(rep_mask, rep_mu / np.where(rep_n > 0, rep_n, 1.0), 0.0), 0, 1)
        sim = np.empty(rep_mu.shape)
        for i in range(m):
            rows = slice(i * replicates, (i + 1) * replicates)
            rng = streams.generator(first + i, 0)
            sim[rows] = (rng.poisson(expected[rows]) if family == "poisson"
                         else rng.binomial(rep_ni[rows], prob[rows]))
        warm = None if start is None else (np.repeat(start[0][sl], replicates),
                                           np.repeat(start[1][sl], replicates))
        a, b = _fit_params(sim, rep_n, rep_mask, rep_x, family, 25, warm)
        sim_mu = _expected(a, b, np.where(rep_mask, rep_n, 1.0), rep_x, family)
        sim_x2 = pearson_statistic(sim, rep_n, sim_mu, rep_mask, family).reshape(m, replicates)
        exceed = (sim_x2 >= x2[sl][:, None] - 1e-9).sum(axis=1)
        out[sl] = (1.0 + exceed) / (replicates + 1.0)
    return out


# --------------------------------------------------------------------------------------
# year-on-year changes
# --------------------------------------------------------------------------------------
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
    slope = _nanmedian(slopes)
    intercept = _nanmedian(y - slope[:, None] * t[None, :])
    resid = y - intercept[:, None] - slope[:, None] * t[None, :]
    centre = _nanmedian(resid)
    scale = 1.4826 * _nanmedian(np.abs(resid - centre[:, None]))
    level = _nanmedian(np.abs(y))
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(level > 0, scale / level, np.where(scale > 0, np.inf, 0.0))
    reversals = _reversals(y, obs)
    return {"robust_scale": scale, "relative_scale": relative, "reversals": reversals,
            "slope": slope}


def _nanmedian(a: FloatArray) -> FloatArray:
    if a.shape[1] == 0:
        return np.full(a.shape[0], np.nan)
    if not np.isnan(a).any():
        return np.median(a, axis=1)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(a, axis=1)


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


# --------------------------------------------------------------------------------------
# series statistics (one row per indicator x area) and the warning flags
# --------------------------------------------------------------------------------------
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
        counts_flag = (counts_ok & (out["p_value"] < rules.fluctuation_alpha)
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
        return np.asarray(p < rules.moving_away_alpha), p


def expected_shortfall(
    draws: FloatArray, target_value: FloatArray, direction: npt.ArrayLike
) -> FloatArray:
    """Mean distance by which draws of the target-year value miss the target.

    ``draws`` is (N, S); a draw that meets the target adds 0.

    >>> expected_shortfall(np.array([[4., 6., 8.]]), np.array([5.]), ["decrease"])
    array([1.])
    """
    d = np.asarray(direction, dtype=object)
    tv = np.asarray(target_value, dtype=float)
    draws = np.asarray(draws, dtype=float)
    out = np.full(draws.shape[0], np.nan)
    for name in ("decrease", "increase"):  # rows grouped by direction: one pass each
        sel = np.flatnonzero(d == name)
        if not sel.size:
            continue
        part = draws if sel.size == draws.shape[0] else draws[sel]
        short = part - tv[sel, None] if name == "decrease" else tv[sel, None] - part
        np.maximum(short, 0.0, out=short)
        finite = np.isfinite(short)
        count = finite.sum(axis=1)
        short[~finite] = 0.0
        total = short.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[sel] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return out


# --------------------------------------------------------------------------------------
# wording
# --------------------------------------------------------------------------------------
def _nums(values: Any, digits: int = 2) -> npt.NDArray[np.object_]:
    """Numbers as text, vectorised: ``digits`` decimals without trailing zeros; NaN -> "—".

    >>> _nums([1.5, 2.0, float("nan"), 0.12345]).tolist()
    ['1.5', '2', '—', '0.12']
    """
    v = np.atleast_1d(np.asarray(values, dtype=float))
    out = np.full(v.shape, "—", dtype=object)
    ok = np.isfinite(v)
    if ok.any():
        text = np.char.mod(f"%.{digits}f", v[ok])
        if digits:
            text = np.char.rstrip(np.char.rstrip(text, "0"), ".")
        out[ok] = text.astype(object)
    return out


def _report_nums(values: Any, signed: bool = False) -> npt.NDArray[np.object_]:
    """Numbers as the report tables print them (``hbkit._numbers.number``); NaN -> "—".

    ``signed`` puts a ``+`` before positive numbers, as the tables print changes.

    >>> _report_nums([0.307, 7.156, 0.00333, float("nan")]).tolist()
    ['0.307', '7.16', '0.00333', '—']
    >>> _report_nums([0.22, -2.96, 0.0], signed=True).tolist()
    ['+0.22', '-2.96', '0']
    """
    v = np.atleast_1d(np.asarray(values, dtype=float))
    return np.array(["—" if not np.isfinite(x) else ("+" if signed and x > 0 else "") + number(x)
                     for x in v.tolist()], dtype=object)


def _zh_suffix(unit: str) -> str:
    """The Chinese unit after a number, set like the report tables: no space (``5年``).

    >>> _zh_suffix("per_1000"), _zh_suffix("per_100k"), _zh_suffix("per_1000_population")
    ('‰', '/10万', '每千人口')
    """
    return UNIT_ZH.get(unit, "")


def _percents(probabilities: Any) -> npt.NDArray[np.object_]:
    """Probabilities as whole percents, rounded down like the report tables.

    Rounding down keeps the printed number on the same side of the status
    thresholds as the probability (0.795 is *at risk* and prints 79, as the
    tables print 0.79); below 1% and above 99%, 0 and 100% included (no
    simulated path, or every one, met the target), the text says ``<1`` /
    ``>99`` rather than claim a certainty the model did not give
    (:func:`hbkit.report.formatting.format_probability`).

    >>> _percents([0.795, 0.075, 0.001, 0.996, 1.0, 0.0, float("nan")]).tolist()
    ['79', '7', '<1', '>99', '>99', '<1', '—']
    """
    p = np.atleast_1d(np.asarray(probabilities, dtype=float))
    out = _nums(np.floor(p * 100 + 1e-9), 0)
    out[p < 0.01] = "<1"
    out[p > 0.99] = ">99"
    return out


def p_value_texts(values: Any) -> npt.NDArray[np.object_]:
    """p-values with their relation sign, 4 decimals: ``=0.0123``; below 0.0001 ``<0.0001``.

    A tiny p-value never prints as ``p=0``.

    >>> p_value_texts([0.01234, 2.6e-18, float("nan")]).tolist()
    ['=0.0123', '<0.0001', '=—']
    """
    p = np.atleast_1d(np.asarray(values, dtype=float))
    out = "=" + _nums(p, 4)
    out[p < 0.0001] = "<0.0001"
    return out


def warning_texts(
    code: str, numbers: Any, units: Any
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """Chinese and English texts of many warnings of one code, with their numbers.

    ``numbers`` maps number names (see :data:`WARNING_NUMBER_COLUMNS`) to
    arrays, one entry per warning (missing names count as NaN); ``units`` is
    the indicator unit of each warning. Shortfalls and changes of percentages
    are worded in percentage points (个百分点).

    Examples
    --------
    >>> zh, en = warning_texts("latest_missing", {"as_of": [2023], "last_year": [2021]}, ["percent"])
    >>> zh[0]
    '最新年份缺失：2023年无数据，最近一次数据为2021年。'
    """
    u = np.asarray(units, dtype=object)
    size = u.size

    def col(name: str) -> npt.NDArray[np.float64]:
        value = numbers[name] if name in numbers else np.full(size, np.nan)
        return np.broadcast_to(np.asarray(value, dtype=float), (size,))

    def num(name: str, digits: int = 2, times: float = 1.0) -> npt.NDArray[np.object_]:
        return _nums(col(name) * times, digits)

    # differences of percentages are percentage points (个百分点), as in the report tables
    u_zh = np.array(["个百分点" if x == "percent" else _zh_suffix(str(x)) for x in u],
                    dtype=object)
    u_en = np.array([" percentage points" if x == "percent" else
                     "" if x in ("none", "count", "ratio") else UNIT_EN.get(str(x), "")
                     for x in u], dtype=object)
    if code == "hard_to_reach":
        pct = _percents(col("probability"))
        short = np.isfinite(col("expected_shortfall"))
        change = np.isfinite(col("required_annual_change"))
        es = _report_nums(col("expected_shortfall"))
        req = _report_nums(col("required_annual_change"), signed=True)
        ach = _report_nums(col("achieved_annual_change"), signed=True)
        zh = ("预计达标困难：达标概率" + pct + "%"
              + np.where(short, "；预计平均差距" + es + u_zh, "")
              + np.where(change, "；需年均变化" + req + u_zh + "，以往年均变化" + ach + u_zh, "")
              + "。")
        en = ("Hard to reach: probability of attainment " + pct + "%"
              + np.where(short, "; expected shortfall " + es + u_en, "")
              + np.where(change, "; required annual change " + req + u_en + " against " + ach
                         + u_en + " a year so far", "") + ".")
    elif code == "fluctuation":
        counts = np.isfinite(col("dispersion_chi2"))
        chi2, df, p = num("dispersion_chi2", 1), num("dispersion_df", 0), p_value_texts(col("p_value"))
        z, zy = num("max_abs_z", 1), num("max_z_year", 0)
        n_large = col("n_large_changes")
        has_large = np.isfinite(n_large)
        large_zh = np.where(has_large, "；" + num("n_large_changes", 0) + "个年变化超出抽样误差", "")
        large_en = np.where(has_large, "; " + num("n_large_changes", 0)
                            + " year-on-year changes beyond sampling noise", "")
        rel, rev = num("relative_scale", 0, 100.0), num("reversals", 0)
        zh = np.where(
            counts,
            "波动较大：逐年变化超出抽样误差（离散度检验 χ²=" + chi2 + "，自由度" + df + "，p" + p
            + "；最大标准化年变化 z=" + z + "，" + zy + "年" + large_zh + "）。",
            "波动较大：围绕趋势的稳健残差为水平的" + rel + "%，年变化方向反转" + rev
            + "次（无分子分母，无法区分抽样误差）。")
        en = np.where(
            counts,
            "Large fluctuation: year-on-year changes exceed sampling noise (dispersion test chi2="
            + chi2 + " on " + df + " df, p" + p + "; largest standardised change z=" + z
            + " in " + zy + large_en + ").",
            "Large fluctuation: robust residual scale around the trend is " + rel
            + "% of the level, with " + rev + " direction reversals (no counts, so sampling "
            "noise cannot be separated).")
    elif code == "moving_away":
        year, change, z = num("last_year", 0), _report_nums(col("last_change"), True), num(
            "last_z", 1)
        p = p_value_texts(col("p_value"))
        zh = ("偏离目标：" + year + "年较上次观测变化" + change + u_zh
              + "，与目标方向相反且超出抽样误差（z=" + z + "，单侧p" + p + "）。")
        en = ("Moving away from the target: the change to " + year + " was " + change + u_en
              + ", against the desired direction beyond noise (z=" + z + ", one-sided p" + p
              + ").")
    elif code == "latest_missing":
        as_of, last = num("as_of", 0), num("last_year", 0)
        zh = "最新年份缺失：" + as_of + "年无数据，最近一次数据为" + last + "年。"
        en = "Latest year missing: no value for " + as_of + "; the latest is for " + last + "."
    else:
        raise KeyError(f"unknown warning code {code!r}; known: {', '.join(WARNING_LABELS)}")
    return np.asarray(zh, dtype=object), np.asarray(en, dtype=object)


def missed_year_parts(kind: str, missed: Any, unit: str, against: float | None = None
                      ) -> tuple[list[str], list[str]]:
    """Each year that broke an every-year rule, with its number, in Chinese and English.

    ``missed`` holds ``(year, number)`` or ``(year, number, where)`` items (see
    :func:`hbkit.attainment.missed_years`; ``where`` names the sub-unit, e.g. a
    street). The number is the value (``maintain``) or the change from the
    year before (``annual_change``; percentages in percentage points), set
    like the report tables, with the decimals that keep it apart from the
    rule's number ``against`` (94.96 against ≥95 never prints as 95.0).

    >>> missed_year_parts("maintain", [(2022, 94.0)], "percent")
    (['2022年为94%'], ['94% in 2022'])
    >>> missed_year_parts("maintain", [(2021, 94.96)], "percent", against=95)[0]
    ['2021年为94.96%']
    >>> missed_year_parts("annual_change", [(2022, -0.5, "光复道街道")], "percent")
    (['光复道街道2022年比上一年变化-0.5个百分点'], ['光复道街道: a change of -0.5 percentage points in 2022'])
    """
    change = kind == "annual_change"
    if change and unit == "percent":
        suffix_zh, suffix_en = "个百分点", " percentage points"
    else:
        suffix_zh = _zh_suffix(unit)
        suffix_en = "" if unit in ("none", "count", "ratio") else UNIT_EN.get(unit, "")
    zh, en = [], []
    for item in missed:
        year, value = int(item[0]), float(item[1])
        where = str(item[2]) if len(item) > 2 and item[2] else ""
        shown = ("+" if change and value > 0 else "") + number_apart(value, against)
        if change:
            zh.append(f"{where}{year}年比上一年变化{shown}{suffix_zh}")
            en.append(f"{where + ': ' if where else ''}a change of {shown}{suffix_en} in {year}")
        else:
            zh.append(f"{where}{year}年为{shown}{suffix_zh}")
            en.append(f"{where + ': ' if where else ''}{shown}{suffix_en} in {year}")
    return zh, en


def missed_year_text(kind: str, missed: Any, unit: str, rule: tuple[str, str],
                     against: float | None = None) -> tuple[str, str]:
    """The warning on an every-year target already broken in an observed year (已有年份未达到).

    It names the years that broke the rule and their numbers
    (:func:`missed_year_parts`), not a probability: by the plan's own rule the
    target can no longer be met, whatever the remaining years do.

    Parameters
    ----------
    kind
        ``maintain`` or ``annual_change``.
    missed
        ``(year, number[, where])`` of each year that broke the rule.
    unit
        The indicator's unit.
    rule
        The rule in Chinese and English (:func:`hbkit.attainment.rule_text`).
    against
        The number each year is judged against
        (:func:`hbkit.attainment.every_year_number`): a missed number keeps
        the decimals that show it misses it.

    Examples
    --------
    >>> zh, en = missed_year_text("maintain", [(2022, 94.0)], "percent",
    ...                           ("2021—2025年每年≥95%", "every year 2021-2025 >= 95%"))
    >>> zh
    '已有年份未达到：2022年为94%，不满足判定规则（2021—2025年每年≥95%）；按规划原文已无法实现，终期评估将判为未实现。'
    >>> en
    "Already missed in an observed year: 94% in 2022, against the rule (every year 2021-2025 >= 95%); by the plan's own rule the target can no longer be met, and the final evaluation will say not achieved."
    """
    zh, en = missed_year_parts(kind, missed, unit, against)
    return (f"已有年份未达到：{'、'.join(zh)}，不满足判定规则（{rule[0]}）；"
            "按规划原文已无法实现，终期评估将判为未实现。",
            f"Already missed in an observed year: {'; '.join(en)}, against the rule ({rule[1]}); "
            "by the plan's own rule the target can no longer be met, and the final evaluation "
            "will say not achieved.")


def warning_text(code: str, numbers: dict[str, Any], unit: str = "none") -> tuple[str, str]:
    """Chinese and English text of one warning, with its numbers.

    Examples
    --------
    >>> zh, en = warning_text("latest_missing", {"as_of": 2023, "last_year": 2021})
    >>> zh
    '最新年份缺失：2023年无数据，最近一次数据为2021年。'
    >>> en
    'Latest year missing: no value for 2023; the latest is for 2021.'
    """
    zh, en = warning_texts(code, {k: [v] for k, v in numbers.items()}, [unit])
    return str(zh[0]), str(en[0])


def scale_of(unit: str) -> float:
    """Multiplier from a proportion to the unit (1 for units that are not rates).

    >>> scale_of("per_100k"), scale_of("years")
    (100000.0, 1.0)
    """
    return UNIT_SCALE.get(unit, 1.0)
