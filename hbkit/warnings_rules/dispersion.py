"""The overdispersion test of count series (the ``fluctuation`` warning with counts).

A generalised linear trend (logit or log link, with exposure) is fitted to each
count series by iteratively reweighted least squares, vectorised over series
(:func:`fit_count_trend`); the Pearson statistic of the counts around it
(:func:`pearson_statistic`) is compared with chi-square, or, for small expected
counts, with a seeded parametric bootstrap (:func:`dispersion_test`). The
sampling family of a unit's counts is :func:`count_family`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from hbkit.models._random import SeriesStreams, series_keys
from hbkit.status import StatusRules

FloatArray = npt.NDArray[np.float64]

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
