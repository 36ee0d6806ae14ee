"""Count models: events and exposure (deaths and live births, vaccinated and eligible).

Two candidate models per series, both fitted by vectorised, Firth-penalised
iteratively reweighted least squares (IRLS) on the rows of (N, T) arrays of
counts ``k`` and denominators ``n`` (NaN = missing):

``<family>_trend``
    GLM with a linear year term: log(E k_t) = log n_t + a + b (t - tbar)
    (``poisson``) or logit(E k_t / n_t) = a + b (t - tbar) (``binomial``).
``<family>_constant``
    no trend: one rate (probability) for all years.

Why Firth: a district with 0 maternal deaths every year, or 100% hospital
deliveries every year, has no finite maximum-likelihood estimate (the slope
and the intercept run off to -inf / +inf). Firth's (1993) penalty, the Jeffreys
prior, keeps every estimate finite and is a very weak prior: it adds half a
leverage to each count (Poisson: y + h/2; binomial: y + h/2 successes in n + h
trials, Kosmidis & Firth 2009). For the constant model it gives exactly the
Jeffreys posterior mean (K + 1/2) / N (Poisson) and (K + 1/2) / (N + 1)
(binomial), so 0 events in 20,000 births is read as "rate about 2.5 per
100,000, quite uncertain", never as "exactly 0" and never as a trend.

A trend is only a candidate when the series has at least
``MIN_EVENTS_FOR_TREND = 10`` events in total (and, for the binomial model, 10
non-events): about ten events per estimated parameter are needed before a
slope means anything (Peduzzi et al. 1996), and with fewer the approximate
normal posterior of the slope extrapolates wildly. A district's 0, 1, 0, 0, 1
maternal deaths, 0 deaths every year, or 100% every year are therefore
modelled as a constant rate with its exact Jeffreys posterior.

Choice between the two: the trend model, whose slope has a weakly
informative prior N(0, sd^2) per year on the link scale (on top of Firth's
penalty), nests "no trend", so it is used whenever the events can carry a
slope, and the constant model otherwise.

The prior's sd (``SLOPE_PRIOR_SD``: 0.1 for log rates, 0.3 for logit
percentages) is measured, not guessed: the root mean square of the yearly
slopes of real series on that scale over 6-year windows, rounded up to one
decimal (:func:`hbkit.backtesting.calibrate.link_scale_slopes`). Real rates
move less than 10% a year (China's official infant, under-5 and maternal
mortality: 0.072; UN IGME: 0.041), so a flat prior lets the slope of a few
noisy counts run wild: a slope fitted to 6 years of 20-100 deaths is a
winner's curse, and the probabilities of "lower than last year" or "5% less
each year" were over-confident (simulated district counts, 6-year windows:
P 0.85 met 0.72 of the time with the former sd 0.2; expected calibration
error 0.061 -> 0.046 with 0.1). A true slope of -0.09 a year (China's infant
mortality 2010-2020) is still well inside the prior.

(Leave-future-out weights on 5-8 noisy counts favoured the constant model
and under-predicted real declines in the backtests: on simulated district
infant-mortality counts the expected calibration error fell from 0.14 with
those weights to 0.075 with this rule; ``count_lfo_scores`` is kept for
diagnostics.)

Overdispersion: quasi-likelihood dispersion phi = max(1, Pearson X^2 / (n - p))
(McCullagh & Nelder 1989, ch. 4): parameter covariance phi (X'WX)^-1, and the
simulated counts are gamma-Poisson (negative binomial) or beta-binomial with
variance phi times the Poisson / binomial variance.

Predictive draw of a reported value in a future year: draw the model (the
rule above), the rate from its approximate posterior (trend: normal on the
link scale with covariance phi (X'WX)^-1; constant: Gamma((K + 1/2) / phi,
N / phi) for Poisson and Beta((K + 1/2) / phi, (N - K + 1/2) / phi) for
binomial), then the future denominator, then the count given the denominator,
and report k / n x unit.

Future denominators (:func:`draw_future_denominators`) are not known at the
origin either: each path's denominator is a random walk on the log scale from
the last observed one, without drift, whose yearly step has the sd of the
series' own observed year-on-year changes (:func:`denominator_step_sd`). A
denominator that never changed (107 communities every year) stays fixed. This
matters most for "lower than last year" with a few deaths: 1 death in 4,000
births and 1 death in 4,100 births are different rates, so the same count is
not a tie; with a fixed denominator a third of the paths would tie with the
origin and "keep falling" would be under-stated (simulated district backtests:
P 0.28 against 0.39 met for maternal-mortality-like counts). Given
``future_denominators`` are used as they are. For a known denominator n,
P(rate <= 8.5 / 100k) is exactly P(deaths <= floor(8.5e-5 x n)), and ``<``
and ``<=`` differ.

Examples
--------
>>> import numpy as np
>>> k = np.array([[0.0, 0.0, 0.0, 0.0]])
>>> n = np.array([[4000.0, 4100.0, 3900.0, 4000.0]])
>>> fit = fit_counts(k, n, np.arange(2018.0, 2022.0), "poisson", trend=False)
>>> float(np.exp(fit.a[0]) * 1e5)   # Jeffreys: (0 + 0.5) / 16000 per 100,000
3.125
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats
from scipy.special import expit

from hbkit.models._random import SeriesStreams, gamma_draws
from hbkit.models.averaging import lfo_origins

_ETA_LIMIT = 30.0
# the random-number streams of a series' count paths (hbkit.models._random.SeriesStreams)
_LINK_TREND, _LINK_CONSTANT, _GAMMA_A, _GAMMA_B = 11, 12, 13, 14
_DENOMINATORS, _COUNTS, _EXACT = 15, 16, 17
#: Poisson / binomial variance from which a count is drawn by the normal approximation
NORMAL_APPROX_VARIANCE = 20.0
#: sd of the normal prior N(0, sd^2) on a count model's yearly slope, per link scale: the
#: root mean square of the slopes of real series on that scale, rounded up to one decimal
#: (``benchmarks/bench_backtest.py --slope-prior`` measures them; docs/validation.md).
#: log rates (Poisson): China's official mortality series 0.072, UN IGME 0.041 -> 0.1, a
#: rate changing by 20% a year at 2 sd; logit percentages (binomial): China's official
#: coverage and enrolment series 0.14, WUENIC DTP3 0.22 -> 0.3
SLOPE_PRIOR_SD: dict[str, float] = {"poisson": 0.1, "binomial": 0.3}
#: events (and, for binomial, non-events) a series needs in total before a trend is fitted
MIN_EVENTS_FOR_TREND = 10
_N_ITER = 40


@dataclass(frozen=True)
class CountFit:
    """A Poisson or binomial GLM (trend or constant) fitted to N series.

    ``a, b`` are the coefficients on the link scale with year centred at
    ``xbar``; ``cov`` (N, 2, 2) their covariance (dispersion included);
    ``phi`` the dispersion; ``events, exposure`` the totals K and N.
    """

    family: str
    trend: bool
    valid: np.ndarray
    a: np.ndarray
    b: np.ndarray
    cov: np.ndarray
    phi: np.ndarray
    xbar: np.ndarray
    events: np.ndarray
    exposure: np.ndarray
    n_obs: np.ndarray

    @property
    def name(self) -> str:
        """``"poisson_trend"``, ``"binomial_constant"``, ..."""
        return f"{self.family}_{'trend' if self.trend else 'constant'}"

    def eta_moments(self, xq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance (N, Q) of the linear predictor at the years ``xq``."""
        xq = np.asarray(xq, dtype=float)
        xq = xq if xq.ndim == 2 else xq[None, :]
        xc = xq - self.xbar[:, None]
        mean = self.a[:, None] + self.b[:, None] * xc
        c = self.cov
        var = c[:, 0, 0, None] + 2 * c[:, 0, 1, None] * xc + c[:, 1, 1, None] * xc * xc
        return mean, var


def _inverse_link(eta: np.ndarray, family: str) -> np.ndarray:
    return np.exp(eta) if family == "poisson" else expit(eta)


def fit_counts(
    k: np.ndarray, n: np.ndarray, x: np.ndarray, family: str, trend: bool = True,
    min_obs: int = 3, firth: bool = True, slope_prior_sd: float | None | Literal["family"] = "family",
) -> CountFit:
    """Fit the Firth-penalised Poisson / binomial GLM to every row (vectorised IRLS).

    Parameters
    ----------
    k, n
        (N, T) counts and denominators (exposure), NaN where missing; a year is
        used when both are finite and ``n > 0``.
    x
        (T,) calendar years.
    family
        ``"poisson"`` (log link, exposure offset) or ``"binomial"`` (logit link).
    trend
        Linear year term (``True``) or a constant rate.
    min_obs
        Years needed; rows with fewer are marked not ``valid``.
    firth
        Apply Firth's penalty (default); ``False`` (with ``slope_prior_sd=None``)
        gives the plain maximum likelihood fit (used by the tests against
        statsmodels).
    slope_prior_sd
        Sd of the normal prior N(0, sd^2) on the yearly slope on the link scale;
        ``"family"`` (default) for the shipped one, ``SLOPE_PRIOR_SD[family]``;
        ``None`` for none.

    Examples
    --------
    >>> import numpy as np
    >>> k = np.array([[40.0, 36.0, 30.0, 27.0]]); n = np.full((1, 4), 1000.0)
    >>> fit = fit_counts(k, n, np.arange(4.0), "poisson")
    >>> round(float(fit.b[0]), 3)
    -0.084
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    x = np.asarray(x, dtype=float)
    obs = np.isfinite(k) & np.isfinite(n) & (n > 0)
    n_obs = obs.sum(axis=1)
    count = np.maximum(n_obs, 1)
    y = np.where(obs, k, 0.0)
    e = np.where(obs, n, 0.0)
    if family == "binomial":
        y = np.minimum(y, e)
    xbar = np.where(obs, x, 0.0).sum(axis=1) / count
    xc = np.where(obs, x[None, :] - xbar[:, None], 0.0)
    events, exposure = y.sum(axis=1), e.sum(axis=1)
    safe_exposure = np.maximum(exposure, 1e-300)
    if family == "poisson":
        a = np.log((events + 0.5) / safe_exposure)
    else:
        p0 = (events + 0.5) / (exposure + 1.0)
        a = np.log(p0 / (1.0 - p0))
    b = np.zeros_like(a)
    if slope_prior_sd == "family":
        slope_prior_sd = SLOPE_PRIOR_SD[family]
    precision = 0.0 if slope_prior_sd is None else 1.0 / float(slope_prior_sd) ** 2
    # each row stops when it has converged: its fit is its own, not moved on (in its last
    # bits) by the iterations the other series of the call still need
    inv = np.zeros((a.size, 2, 2))
    mu, var_fn = np.zeros_like(y), np.zeros_like(y)
    active = np.arange(a.size)
    for _ in range(_N_ITER):
        if not active.size:
            break
        rows = active
        a_new, b_new, inv[rows], mu[rows], var_fn[rows] = _irls_step(
            y[rows], e[rows], xc[rows], obs[rows], a[rows], b[rows], family, trend, firth,
            precision)
        moved = np.maximum(np.abs(a_new - a[rows]), np.abs(b_new - b[rows]))
        a[rows], b[rows] = a_new, b_new
        active = rows[moved >= 1e-10]  # NaN (a row without data) counts as converged
    pearson = np.where(obs, (y - mu) ** 2 / np.maximum(var_fn, 1e-300), 0.0).sum(axis=1)
    n_par = 2 if trend else 1
    df = n_obs - n_par
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(df >= 1, np.maximum(1.0, pearson / np.maximum(df, 1)), 1.0)
    cov = inv * phi[:, None, None]
    valid = n_obs >= min_obs
    if trend:
        valid &= events >= MIN_EVENTS_FOR_TREND
        if family == "binomial":
            valid &= exposure - events >= MIN_EVENTS_FOR_TREND
    return CountFit(family=family, trend=trend, valid=valid, a=a, b=b, cov=cov, phi=phi,
                    xbar=xbar, events=events, exposure=exposure, n_obs=n_obs)


def _irls_step(y, e, xc, obs, a, b, family, trend, firth=True, prior_precision=0.0):  # type: ignore[no-untyped-def]
    """One Fisher-scoring step on the Firth-modified, prior-penalised score."""
    eta = np.clip(a[:, None] + b[:, None] * xc, -_ETA_LIMIT, _ETA_LIMIT)
    p = _inverse_link(eta, family)
    mu = e * p
    weight = mu if family == "poisson" else mu * (1.0 - p)
    weight = np.where(obs, weight, 0.0)
    i00 = weight.sum(axis=1) + 1e-300
    if trend:
        i01 = (weight * xc).sum(axis=1)
        i11 = (weight * xc * xc).sum(axis=1) + 1e-300 + prior_precision
        det = np.maximum(i00 * i11 - i01 * i01, 1e-300)
        v00, v01, v11 = i11 / det, -i01 / det, i00 / det
    else:
        v00, v01, v11 = 1.0 / i00, np.zeros_like(i00), np.zeros_like(i00)
    leverage = weight * (v00[:, None] + 2 * v01[:, None] * xc + v11[:, None] * xc * xc)
    leverage = leverage if firth else np.zeros_like(leverage)
    if family == "poisson":
        resid = y + leverage / 2.0 - mu
    else:
        resid = y + leverage * (0.5 - p) - mu
    resid = np.where(obs, resid, 0.0)
    u0, u1 = resid.sum(axis=1), (resid * xc).sum(axis=1) - prior_precision * b
    step_a = np.clip(v00 * u0 + v01 * u1, -3.0, 3.0)
    step_b = np.clip(v01 * u0 + v11 * u1, -3.0, 3.0) if trend else np.zeros_like(step_a)
    inv = np.stack([np.stack([v00, v01], axis=1), np.stack([v01, v11], axis=1)], axis=1)
    return a + step_a, b + step_b, inv, mu, weight


def _posterior_rate_moments(
    fit: CountFit, xq: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Posterior mean and variance (N, Q) of the rate / probability at ``xq``."""
    if fit.trend:
        eta, var = fit.eta_moments(xq)
        if fit.family == "poisson":
            mean = np.exp(eta + var / 2.0)
            return mean, np.expm1(var) * mean * mean
        p = expit(eta)
        return p, (p * (1 - p)) ** 2 * var
    alpha, beta = _constant_posterior(fit)
    if fit.family == "poisson":
        mean = alpha / beta
        return mean[:, None], (alpha / beta**2)[:, None]
    total = alpha + beta
    mean = alpha / total
    return mean[:, None], (alpha * beta / (total**2 * (total + 1)))[:, None]


def _constant_posterior(fit: CountFit) -> tuple[np.ndarray, np.ndarray]:
    """Gamma(shape, rate) or Beta(alpha, beta) parameters of the constant model."""
    alpha = (fit.events + 0.5) / fit.phi
    if fit.family == "poisson":
        return alpha, np.maximum(fit.exposure, 1e-300) / fit.phi
    return alpha, (fit.exposure - fit.events + 0.5) / fit.phi


def predictive_logpmf(fit: CountFit, xq: np.ndarray, k: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Log predictive probability of observing ``k`` of ``n`` at ``xq`` (all (N, Q)).

    The rate's posterior is matched by a gamma (Poisson) or beta (binomial)
    with the same mean and variance, giving a negative-binomial or
    beta-binomial predictive that carries the parameter uncertainty.
    """
    mean, var = _posterior_rate_moments(fit, xq)
    var = np.maximum(var, 1e-300)
    if fit.family == "poisson":
        shape = mean * mean / var
        prob = shape / (shape + n * mean)
        return stats.nbinom.logpmf(k, shape, prob)
    mean = np.clip(mean, 1e-12, 1 - 1e-12)
    conc = np.maximum(mean * (1 - mean) / var - 1.0, 1e-6)
    return stats.betabinom.logpmf(k, np.round(n).astype(np.int64), mean * conc, (1 - mean) * conc)


def count_lfo_scores(
    k: np.ndarray, n: np.ndarray, x: np.ndarray, family: str, n_origins: int = 3,
    min_prefix: int = 3,
) -> tuple[np.ndarray, np.ndarray]:
    """Leave-future-out log scores (N, 2) of the trend and constant models.

    As :func:`hbkit.models.trend.lfo_scores`, with the negative-binomial /
    beta-binomial predictive of :func:`predictive_logpmf`.
    """
    obs = np.isfinite(k) & np.isfinite(n) & (n > 0)
    scores = np.zeros((k.shape[0], 2))
    n_scored = np.zeros(k.shape[0], dtype=int)
    rows = np.arange(k.shape[0])
    for usable, pos, keep in lfo_origins(obs, n_origins, min_prefix):
        k_pre, n_pre = np.where(keep, k, np.nan), np.where(keep, n, np.nan)
        for j, trend in enumerate((True, False)):
            fit = fit_counts(k_pre, n_pre, x, family, trend=trend, min_obs=min_prefix)
            lp = predictive_logpmf(fit, x[pos][:, None], np.nan_to_num(k[rows, pos])[:, None],
                                   np.nan_to_num(n[rows, pos], nan=1.0)[:, None])[:, 0]
            lp = np.clip(np.nan_to_num(lp, nan=-50.0, neginf=-50.0), -50.0, 50.0)
            scores[:, j] += np.where(usable, lp, 0.0)
        n_scored += usable
    return scores, n_scored


def draw_link(
    fits: list[CountFit], model: np.ndarray, streams: SeriesStreams
) -> np.ndarray:
    """Per-draw link-scale coefficients (N, S, 2) from the chosen model of each draw.

    ``fits`` is ``[trend, constant]``; ``model`` (N, S) indexes it; ``streams``
    holds the series' random numbers.
    """
    trend, constant = fits
    n_series, n_draws = model.shape
    # (N, S, 2) over two contiguous (N, S) planes: every use reads one coefficient at a time
    theta = np.moveaxis(np.zeros((2, n_series, n_draws)), 0, -1)
    uses_trend = (model == 0).any(axis=1)
    uses_constant = (model == 1).any(axis=1)
    if uses_trend.any():
        rows = slice(None) if uses_trend.all() else np.flatnonzero(uses_trend)
        u = streams.take(rows).normals(_LINK_TREND, 2)
        c = trend.cov[rows]
        l00 = np.sqrt(np.maximum(c[:, 0, 0], 0.0))
        l10 = np.where(l00 > 0, c[:, 0, 1] / np.where(l00 > 0, l00, 1.0), 0.0)
        l11 = np.sqrt(np.maximum(c[:, 1, 1] - l10 * l10, 0.0))
        theta[rows, :, 0] = trend.a[rows, None] + l00[:, None] * u[..., 0]
        theta[rows, :, 1] = trend.b[rows, None] + l10[:, None] * u[..., 0] + l11[:, None] * u[..., 1]
    if uses_constant.any():
        rows = np.flatnonzero(uses_constant)
        mine = streams.take(rows)
        z = mine.normals(_LINK_CONSTANT, 2)
        alpha, beta = _constant_posterior(constant)
        alpha, beta = alpha[rows], beta[rows]
        with np.errstate(divide="ignore"):
            if constant.family == "poisson":
                eta0 = (np.log(gamma_draws(alpha, z[..., 0], mine, _GAMMA_A))
                        - np.log(beta)[:, None])
            else:  # Beta(alpha, beta) as G_a / (G_a + G_b)
                eta0 = (np.log(gamma_draws(alpha, z[..., 0], mine, _GAMMA_A))
                        - np.log(gamma_draws(beta, z[..., 1], mine, _GAMMA_B)))
        # the constant model is centred on the trend model's xbar too (same rows, same years)
        const = model[rows] == 1
        theta[rows, :, 0] = np.where(const, eta0, theta[rows, :, 0])
        theta[rows, :, 1] = np.where(const, 0.0, theta[rows, :, 1])
    return theta


def denominator_step_sd(n: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Sd (N,) of one year's change of log denominator, from each series' own history.

    The root mean square of (log n_t - log n_s) / sqrt(t - s) over consecutive
    observed years s < t (no drift is removed: a random walk's steps have mean
    0); 0 for a series with fewer than two observed denominators.

    Examples
    --------
    >>> import numpy as np
    >>> n = np.array([[4000.0, 4000.0, 4000.0], [4000.0, 4400.0, np.nan]])
    >>> np.round(denominator_step_sd(n, np.array([2019.0, 2020.0, 2021.0])), 4).tolist()
    [0.0, 0.0953]
    """
    n = np.asarray(n, dtype=float)
    x = np.asarray(x, dtype=float)
    have = np.isfinite(n) & (n > 0)
    log_n = np.log(np.where(have, n, 1.0))
    rows = np.arange(n.shape[0])[:, None]
    # column of the previous observed year, for every column (-1: none yet)
    seen = np.maximum.accumulate(np.where(have, np.arange(n.shape[1]), -1), axis=1)
    prev = np.concatenate([np.full((n.shape[0], 1), -1), seen[:, :-1]], axis=1)
    step = have & (prev >= 0)
    safe = np.maximum(prev, 0)
    gap = np.where(step, x[None, :] - x[safe], 1.0)
    change = np.where(step, (log_n - log_n[rows, safe]) / np.sqrt(gap), 0.0)
    count = step.sum(axis=1)
    return np.sqrt((change**2).sum(axis=1) / np.maximum(count, 1))


def draw_future_denominators(
    centre: np.ndarray, step_sd: np.ndarray, streams: SeriesStreams,
    fixed: np.ndarray | None = None,
) -> np.ndarray:
    """Denominators (N, S, Q) of the paths: log random walks around ``centre`` (N, Q).

    Column j is ``centre[:, j] x exp(step_sd x (z_1 + ... + z_{j+1}))``: the
    years ``centre`` lists are taken as the consecutive years after the last
    observed one. Columns flagged in ``fixed`` (N, Q) (given future
    denominators) keep their centre exactly and the walk starts afresh after
    them (pass the given value as the centre of the later years); rows with
    ``step_sd == 0`` stay exactly at the centre.

    Examples
    --------
    >>> import numpy as np
    >>> from hbkit.models._random import SeriesStreams
    >>> d = draw_future_denominators(np.full((2, 3), 4000.0), np.array([0.0, 0.05]),
    ...                              SeriesStreams.numbered(2, n_draws=2000))
    >>> d.shape, bool((d[0] == 4000.0).all())
    ((2, 2000, 3), True)
    >>> np.round(np.log(d[1]).std(axis=0) / 0.05, 1).tolist()   # sd grows like sqrt(years)
    [1.0, 1.4, 1.7]
    """
    centre = np.asarray(centre, dtype=float)
    n_draws = streams.n_draws
    out = np.broadcast_to(centre[:, None, :], (centre.shape[0], n_draws, centre.shape[1])).copy()
    moving = np.flatnonzero(step_sd > 0)
    if not moving.size:
        return out
    z = streams.take(moving).normals(_DENOMINATORS, centre.shape[1]).astype(float)
    walk = np.zeros(z.shape[:2])
    for j in range(z.shape[2]):
        walk = walk + z[:, :, j]
        if fixed is not None:
            walk = np.where(fixed[moving, j][:, None], 0.0, walk)
        out[moving, :, j] *= np.exp(step_sd[moving, None] * walk)
    # a walk from a small denominator with wild steps can fall below one person; the
    # simulated rate k / n would then be k / 0: a drawn denominator is at least 1
    out[moving] = np.maximum(out[moving], 1.0)
    return out


def draw_counts(
    theta: np.ndarray, xbar: np.ndarray, phi: np.ndarray, xq: np.ndarray,
    denominators: np.ndarray, family: str, streams: SeriesStreams,
) -> np.ndarray:
    """Simulated reported counts (N, S, Q) at the years ``xq`` given denominators.

    ``denominators`` is (N, Q), or (N, S, Q) for one per path.

    ``phi`` is (N,) or per draw (N, S). Overdispersion (phi > 1) enters as a
    gamma-Poisson or beta-binomial draw with variance phi times the Poisson /
    binomial variance. Where the Poisson / binomial variance of a draw is at
    least ``NORMAL_APPROX_VARIANCE`` (dozens of events), the count is the
    continuity-corrected normal approximation with a Cornish-Fisher skewness
    term, round(mean + sd (z + g (z^2 - 1) / 6)) with g the Poisson / binomial
    skewness (CDF error well below the Monte Carlo error of 1,000 draws);
    smaller counts, where discreteness matters, are drawn exactly.
    """
    xc = (np.asarray(xq, dtype=float)[None, :] - xbar[:, None]).astype(np.float32)
    # year by year into (N, S, Q): numpy's loops are slow over a last axis of 2-5 years
    slope32, level32 = theta[..., 1].astype(np.float32), theta[..., 0].astype(np.float32)
    eta = np.empty((*theta.shape[:2], xc.shape[1]), dtype=np.float32)
    for j in range(xc.shape[1]):
        np.multiply(slope32, xc[:, j:j + 1], out=eta[:, :, j])
        eta[:, :, j] += level32
    np.clip(eta, -_ETA_LIMIT, _ETA_LIMIT, out=eta)
    size = np.round(denominators).astype(np.float32)
    size = size[:, None, :] if size.ndim == 2 else size
    phi = np.asarray(phi, dtype=np.float32)
    phi = phi[:, None, None] if phi.ndim == 1 else phi[:, :, None]
    p = np.exp(eta, out=eta) if family == "poisson" else expit(eta, out=eta)
    mean = np.empty_like(p)
    for j in range(p.shape[2]):  # year by year: contiguous loops
        np.multiply(p[:, :, j], size[:, :, j], out=mean[:, :, j])
    var = mean if family == "poisson" else mean * (1.0 - p)
    small = var < NORMAL_APPROX_VARIANCE
    if small.all():  # few events everywhere (rare events, small areas): all drawn exactly
        return _exact_fill(np.zeros(p.shape), np.flatnonzero(small), mean, p, size, phi,
                           family, streams)
    sd = np.sqrt(var)
    z = streams.normals(_COUNTS, eta.shape[2])
    # Cornish-Fisher: z + g (z^2 - 1) / 6, g = skewness (1 or 1 - 2p) / sd, taken at the
    # series' mean probability of each year (the skewness hardly varies between draws)
    p_mid = p.mean(axis=1, keepdims=True).astype(float)
    size_mid = size if size.shape[1] == 1 else size.mean(axis=1, keepdims=True)
    var_mid = size_mid * p_mid * (1.0 if family == "poisson" else 1.0 - p_mid)
    skew6 = (1.0 if family == "poisson" else 1.0 - 2.0 * p_mid) / (6.0 * np.sqrt(
        np.maximum(var_mid, NORMAL_APPROX_VARIANCE)))
    bend = z * z
    bend -= 1.0
    skew32 = skew6.astype(np.float32)
    root_phi = np.sqrt(phi[:, :, 0]) if np.any(phi != 1.0) else None
    for j in range(bend.shape[2]):  # year by year: contiguous loops, same arithmetic
        bend[:, :, j] *= skew32[:, :, j]
        if root_phi is not None:
            sd[:, :, j] *= root_phi
    z += bend
    sd *= z
    sd += mean
    counts = np.rint(sd, out=sd)
    np.maximum(counts, 0.0, out=counts)
    if family == "binomial":
        for j in range(counts.shape[2]):
            np.minimum(counts[:, :, j], size[:, :, j], out=counts[:, :, j])
    return _exact_fill(counts.astype(float), np.flatnonzero(small), mean, p, size, phi, family,
                       streams)


def _exact_fill(counts: np.ndarray, idx: np.ndarray, mean: np.ndarray, p: np.ndarray,
                size: np.ndarray, phi: np.ndarray, family: str, streams: SeriesStreams
                ) -> np.ndarray:
    """Overwrite the cells ``idx`` (flat, increasing) of ``counts`` (N, S, Q) by exact draws.

    Each series' cells are drawn by its own generator, so its counts do not
    depend on the other series drawn with it.
    """
    if idx.size:
        n_q = counts.shape[2]
        series, year = idx // (counts.shape[1] * n_q), idx % n_q
        phi_at = phi[series, 0, 0] if phi.shape[1] == 1 else phi.ravel()[idx // n_q]
        size_at = size[series, 0, year] if size.shape[1] == 1 else size.ravel()[idx]
        mean_at, p_at = mean.ravel()[idx].astype(float), p.ravel()[idx].astype(float)
        size_at, extra_at = size_at.astype(float), phi_at.astype(float) - 1.0
        drawn = np.empty(idx.size)
        starts = np.flatnonzero(np.r_[True, series[1:] != series[:-1]])
        for first, stop in zip(starts, np.r_[starts[1:], idx.size], strict=True):
            part = slice(int(first), int(stop))
            drawn[part] = _exact_counts(mean_at[part], p_at[part], size_at[part], extra_at[part],
                                        family, streams.generator(int(series[first]), _EXACT))
        counts.ravel()[idx] = drawn
    return counts


def _exact_counts(
    mean: np.ndarray, p: np.ndarray, size: np.ndarray, extra: np.ndarray, family: str,
    rng: np.random.Generator,
) -> np.ndarray:
    """Exact (overdispersed) Poisson / binomial draws for flat arrays."""
    over = extra > 1e-9
    if not over.any():  # no overdispersion: plain draws (the common case, and faster)
        if family == "poisson":
            return rng.poisson(mean).astype(float)
        return rng.binomial(size.astype(np.int64), p).astype(float)
    if family == "poisson":
        with np.errstate(divide="ignore", invalid="ignore"):
            mixed = rng.gamma(np.where(over, mean / np.where(over, extra, 1.0), 1.0),
                              np.where(over, extra, 1.0))
        return rng.poisson(np.where(over, mixed, mean)).astype(float)
    rho = np.clip(extra / np.maximum(size - 1.0, 1.0), 0.0, 0.999)
    conc = np.where(over, 1.0 / np.where(over, rho, 0.5) - 1.0, 1.0)
    p_mix = np.where(over, rng.beta(np.maximum(p * conc, 1e-12),
                                    np.maximum((1 - p) * conc, 1e-12)), p)
    return rng.binomial(size.astype(np.int64), p_mix).astype(float)
