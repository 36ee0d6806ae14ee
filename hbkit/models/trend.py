"""Trend models on the model scale, vectorised over series with missing years.

Five candidate models, fitted in closed form to every row of an (N, T) array
``z`` (NaN = missing) over a shared grid of years ``x`` (T,):

``level``
    z_t = mu + e_t (no trend). Residual df n - 1.
``linear``
    z_t = a + b (t - tbar) + e_t, ordinary least squares. Residual df n - 2.
``damped``
    the fitted line up to the last observed year t_L, then a trend damped by
    ``PHI`` per year: z_{t_L+h} = a + b (t_L - tbar) + b (phi + ... + phi^h)
    (Gardner & McKenzie 1985, with phi fixed at 0.8 because 3-10 points cannot
    estimate it). Residual df n - 2.
``rw_drift``
    random walk with drift, z_t - z_s = (t - s) delta + e with
    Var e = (t - s) sigma^2 (gaps allowed); delta = (z_L - z_F) / (t_L - t_F).
    Residual df n - 2, and 1 more from the noise prior (below). The model
    takes the steps as independent; when their deviations from the drift are
    positively autocorrelated (a smooth series that bends: slow, then fast),
    the drift is less certain and the spread
    grows faster than that, so sigma^2 is multiplied by the long-run variance
    factor (1 + rho) / (1 - rho), rho the lag-1 autocorrelation of the
    deviations, corrected for its small-sample bias (Kendall 1954) and clipped
    to [0, 0.9] (Newey & West 1987 in its simplest form); then the noise prior.
``local_trend``
    integrated random walk (a local linear trend whose slope wanders):
    z_t = z_{t-1} + d_t, d_t = d_{t-1} + eta_t, eta_t ~ N(0, sigma^2); sigma^2
    from the second differences (n - 2 of them, mean 0) and the noise prior
    (below, 1 more degree of freedom), the last slope d_L = z_L - z_{L-1}
    observed. The forecast continues the latest slope and
    its spread grows like h^1.5: Var(z_{L+h}) = sigma^2 (1 + 4 + ... + h^2).
    The candidate for smooth series whose trend bends (BT's backtests:
    fixed-drift models under-cover at long horizons).

Each model's errors are Gaussian with unknown sigma. With the flat prior
p(beta, log sigma) ~ 1 the posterior predictive is Student-t with the residual
degrees of freedom: sigma^2 = s^2 nu / chi2_nu and beta | sigma ~
N(beta_hat, sigma^2 (X'X)^-1). Simulating exactly that, jointly over the
future years, puts the parameter uncertainty into every path; its marginal is
the classical OLS prediction interval (``tests/test_models_trend.py`` checks
it against statsmodels).

The two walk models get one more piece of prior information (``NOISE_FLOOR``):
one pseudo-residual of size max(k |d|, s), d = (z_L - z_F) / (t_L - t_F) the
series' drift, so s^2 becomes (nu s^2 + max(k^2 d^2, s^2)) / (nu + 1) on
nu + 1 degrees of freedom: the yearly noise is a priori not much smaller than a
share k of the yearly change. Three points leave these models nu = 1, a
Student-t with 1 df whose s is by chance either near 0 (far too sure: a
chi-square with 1 df is below 0.1 a quarter of the time) or large, with very
heavy tails (far too unsure: probabilities pulled towards 1/2). The
pseudo-residual lifts the first, the extra degree of freedom lightens the
second. It is a weakly informative prior worth one observation, fitted on
backtests rather than derived; it never lowers s, and with many points it
barely moves the predictive.

A series reported the same every year (99% eight times) has no residual at
all, and every model's sigma would be 0: a projection without any spread. Its
changes were only smaller than the last reported digit, so ``fit_trend`` takes
``precision``, the model-scale sd of that rounding
(:func:`hbkit.models.scales.flat_series_noise`, given by ``project`` for such
series only), and each model's sigma is at least what the rounding alone would
show in its residuals (:data:`ROUNDING_FACTOR`).

A fitted model is described at any query year q by three pieces, so that one
simulation code serves all four models:

``mean``  (N, Q)      the predictive centre;
``load``  (N, Q, 2)   the effect of the two standardised parameter draws u;
``noise`` (N, Q)      the sd (in units of sigma) of the fresh noise at q.

A draw is then z(q) = mean + sigma (load . u + noise eps), u ~ N(0, I).
Over the simulated block of future years, the noise of ``rw_drift`` is a
random walk (cumulated once), that of ``local_trend`` an integrated random
walk (cumulated twice), the others' independent year to year.

Examples
--------
>>> import numpy as np
>>> z = np.array([[1.0, 2.0, 3.1, 3.9]])
>>> fit = fit_trend(z, np.arange(2018.0, 2022.0), "linear")
>>> mean, load, noise = fit.parts(np.array([2022.0]))
>>> float(np.round(mean[0, 0], 3)), int(fit.df[0])
(4.95, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from hbkit.models._random import SeriesStreams, windows
from hbkit.models.averaging import lfo_origins

TrendKind = Literal["level", "linear", "damped", "rw_drift", "local_trend"]
TREND_KINDS: tuple[TrendKind, ...] = ("linear", "damped", "rw_drift", "local_trend", "level")
#: candidates ``project`` averages by default. ``linear`` and ``damped`` stay available
#: (``models=``) but are left out: their predictive assumes independent errors around a
#: fixed line, so on series whose deviations persist (every real family backtested:
#: smoothed IGME mortality, WUENIC DTP3) their 80% intervals cover 13-60% at horizons
#: 2-5, and the one-step leave-future-out scores still gave them 26-37% of the weight
#: (1-step errors cannot show a spread that grows too slowly). The mixture then
#: under-covered more the longer the horizon, even on simulated series whose true model
#: (random walk with drift, integrated random walk) is a candidate. ``rw_drift`` and
#: ``local_trend`` extrapolate a straight line as well, with honest spread.
DEFAULT_MODELS: tuple[TrendKind, ...] = ("rw_drift", "local_trend", "level")
#: largest lag-1 autocorrelation of rw_drift's steps used to widen its sigma
MAX_STEP_AUTOCORRELATION = 0.9
#: k of the walk models' noise prior (module notes): their yearly noise is a priori not much
#: below k times the series' drift, as one pseudo-residual max(k |drift|, s). 0.25 minimises the
#: Brier score on 4-, 6- and 8-year-window backtests of a random half of the IGME and DTP3
#: countries (0.0957 -> 0.0939, 95% country-cluster bootstrap of the gain -0.0025 to -0.0010;
#: the curve is flat from 0.2 to 0.35), checked on the other half and on China's official
#: series (``benchmarks/bench_backtest.py --fit-noise-floor``; docs/validation.md, section 5).
NOISE_FLOOR = 0.25
#: damping factor per year of the damped trend
PHI = 0.8
#: observations each model needs (level could do with 2; hbkit asks 3 of every series)
MIN_OBS: dict[str, int] = {"level": 2, "linear": 3, "damped": 3, "rw_drift": 3, "local_trend": 3}
#: how often each model's future noise is cumulated: 0 independent, 1 walk, 2 integrated walk
NOISE_ORDER: dict[str, int] = {"level": 0, "linear": 0, "damped": 0, "rw_drift": 1,
                               "local_trend": 2}
_TINY = 1e-12


def _long_run_factor(e: np.ndarray, has: np.ndarray, prev: np.ndarray) -> np.ndarray:
    """(1 + rho) / (1 - rho) (N,) from the lag-1 autocorrelation rho of the steps' deviations.

    ``e`` (N, T) are the standardised deviations of the steps from the drift
    (0 where there is no step), ``has`` where a step ends, ``prev`` the column
    of the previous observation.

    The sample autocorrelation r of m deviations from their mean is biased
    towards -1/m, and heavily so for the 5-7 steps of a district's series:
    E r = rho - (1 + 3 rho) / m (Kendall 1954; Marriott & Pope 1954), so
    steps with rho = 0.6 give r near 0 on average when m = 5. rho is therefore
    estimated by inverting that bias, (m r + 1) / (m - 3), when m >= 5, and by
    r + 1 / m (the bias of independent steps) for fewer steps, whose inverse
    would be too noisy; then clipped to [0, ``MAX_STEP_AUTOCORRELATION``].
    Alternating steps (noise around a trend) keep the factor 1; independent
    steps keep it in the median series, but the estimate from 5-7 steps is
    noisy and a quarter of such series get 3 or more (on simulated random walks
    the 80% intervals then cover 0.80-0.85 instead of 0.78-0.84: a small price
    for smooth bending series, whose intervals were far too narrow).
    """
    before = np.take_along_axis(e, prev, axis=1)
    pairs = has & np.take_along_axis(has, prev, axis=1)
    num = np.where(pairs, e * before, 0.0).sum(axis=1)
    den = np.where(has, e * e, 0.0).sum(axis=1)
    m = has.sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(den > 0, num / den, 0.0)
        unbiased = np.where(m >= 5, (m * r + 1.0) / (m - 3.0), r + 1.0 / np.maximum(m, 1.0))
        rho = np.clip(np.where(den > 0, unbiased, 0.0), 0.0, MAX_STEP_AUTOCORRELATION)
    return (1.0 + rho) / (1.0 - rho)


def _last_index(obs: np.ndarray) -> np.ndarray:
    return obs.shape[1] - 1 - np.argmax(obs[:, ::-1], axis=1)


def _neighbours(
    obs: np.ndarray, x: np.ndarray, z: np.ndarray, xq: np.ndarray, side: str
) -> tuple[np.ndarray, np.ndarray]:
    """Year and value of the nearest observation strictly before/after each query.

    ``xq`` is (N, Q); returns two (N, Q) arrays, NaN where there is none.
    """
    xx = x[None, None, :]
    q = xq[:, :, None]
    if side == "before":
        ok = obs[:, None, :] & (xx < q)
        key = np.where(ok, xx, -np.inf)
        idx = np.argmax(key, axis=2)
    else:
        ok = obs[:, None, :] & (xx > q)
        key = np.where(ok, -xx, -np.inf)
        idx = np.argmax(key, axis=2)
    found = ok.any(axis=2)
    xs = np.where(found, x[idx], np.nan)
    zs = np.where(found, np.take_along_axis(z, idx, axis=1), np.nan)
    return xs, zs


@dataclass(frozen=True)
class TrendFit:
    """One trend model fitted to N series (see the module notes).

    Attributes
    ----------
    kind
        ``"level"``, ``"linear"``, ``"damped"``, ``"rw_drift"`` or ``"local_trend"``.
    valid
        (N,) the model could be fitted (enough observations, years not all equal).
    df, s
        (N,) residual degrees of freedom and residual scale on the model scale.
    """

    kind: str
    valid: np.ndarray
    df: np.ndarray
    s: np.ndarray
    n: np.ndarray
    xbar: np.ndarray
    zbar: np.ndarray
    slope: np.ndarray
    sxx: np.ndarray
    x_first: np.ndarray
    x_last: np.ndarray
    z_first: np.ndarray
    z_last: np.ndarray
    obs: np.ndarray
    x: np.ndarray
    z: np.ndarray

    @property
    def walk(self) -> bool:
        """Whether future noise accumulates (random walk) rather than being independent."""
        return NOISE_ORDER[self.kind] > 0

    def parts(self, xq: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Predictive ``mean`` (N, Q), parameter ``load`` (N, Q, 2) and ``noise`` sd (N, Q).

        ``xq`` is (Q,) shared or (N, Q) per series. At an observed year the
        noise of ``rw_drift`` is 0 and its mean the observation (a bridge);
        the regression models treat every year alike.
        """
        n_series = self.n.shape[0]
        xq = np.broadcast_to(np.asarray(xq, dtype=float), (n_series, np.shape(xq)[-1]))
        load = np.zeros((*xq.shape, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            root_n = 1.0 / np.sqrt(self.n)[:, None]
            root_sxx = 1.0 / np.sqrt(self.sxx)[:, None]
            if self.kind == "level":
                mean = np.broadcast_to(self.zbar[:, None], xq.shape).copy()
                load[..., 0] = root_n
                noise = np.ones(xq.shape)
            elif self.kind in ("linear", "damped"):
                t_eff = xq - self.xbar[:, None]
                if self.kind == "damped":
                    ahead = np.maximum(xq - self.x_last[:, None], 0.0)
                    damped_sum = PHI * (1.0 - PHI**ahead) / (1.0 - PHI)
                    t_eff = np.where(ahead > 0, (self.x_last - self.xbar)[:, None] + damped_sum,
                                     t_eff)
                mean = self.zbar[:, None] + self.slope[:, None] * t_eff
                load[..., 0] = root_n
                load[..., 1] = t_eff * root_sxx
                noise = np.ones(xq.shape)
            else:
                mean, noise = self._walk_parts(xq, load)
                if self.kind == "local_trend":  # the slope is observed: no parameter draw
                    load[...] = 0.0
                    ahead = np.maximum(xq - self.x_last[:, None], 0.0)
                    noise = np.where(ahead > 0, np.sqrt(ahead * (ahead + 1) * (2 * ahead + 1) / 6),
                                     noise)
        return mean, load, noise

    def affine(
        self, xq: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The predictive over future years ``xq`` (Q,) as an affine map of the draws.

        Returns ``alpha, beta, c0, c1`` (N,) and ``g`` (N, Q) such that a draw is
        z(q) = (alpha + sigma c0 u0) + (beta + sigma c1 u1) g(q) + sigma noise(q).
        Valid for years after each series' last observation (and, for the
        regression models, any year).
        """
        xq = np.asarray(xq, dtype=float)[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            c0 = np.where(self.n > 0, 1.0 / np.sqrt(self.n), 0.0)
            c1 = np.where(self.sxx > 0, 1.0 / np.sqrt(self.sxx), 0.0)
            if self.kind == "level":
                g = np.zeros((self.n.size, xq.shape[1]))
                return self.zbar, np.zeros_like(self.zbar), c0, np.zeros_like(c0), g
            if self.kind in ("linear", "damped"):
                g = xq - self.xbar[:, None]
                if self.kind == "damped":
                    ahead = np.maximum(xq - self.x_last[:, None], 0.0)
                    damped_sum = PHI * (1.0 - PHI**ahead) / (1.0 - PHI)
                    g = np.where(ahead > 0, (self.x_last - self.xbar)[:, None] + damped_sum, g)
                return self.zbar, self.slope, c0, c1, g
            span = self.x_last - self.x_first
            c1 = np.where(span > 0, 1.0 / np.sqrt(span), 0.0)
            if self.kind == "local_trend":
                c1 = np.zeros_like(c1)
            g = np.maximum(xq - self.x_last[:, None], 0.0)
            return self.z_last, self.slope, np.zeros_like(c0), c1, g

    def _walk_parts(self, xq: np.ndarray, load: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        span = (self.x_last - self.x_first)[:, None]
        drift = self.slope[:, None]
        x_a, z_a = _neighbours(self.obs, self.x, self.z, xq, "before")
        x_b, z_b = _neighbours(self.obs, self.x, self.z, xq, "after")
        ahead = xq - self.x_last[:, None]
        behind = self.x_first[:, None] - xq
        mean = np.where(ahead > 0, self.z_last[:, None] + ahead * drift, np.nan)
        mean = np.where(behind > 0, self.z_first[:, None] - behind * drift, mean)
        inside = (ahead <= 0) & (behind <= 0)
        width = x_b - x_a
        frac = (xq - x_a) / width
        bridge = z_a + frac * (z_b - z_a)
        observed_here = self._value_at(xq)
        mean = np.where(inside, np.where(np.isfinite(observed_here), observed_here, bridge), mean)
        noise = np.where(ahead > 0, np.sqrt(np.maximum(ahead, 0.0)), 0.0)
        noise = np.where(behind > 0, np.sqrt(np.maximum(behind, 0.0)), noise)
        bridge_var = np.where(np.isfinite(width), (xq - x_a) * (x_b - xq) / width, 0.0)
        noise = np.where(inside & ~np.isfinite(observed_here), np.sqrt(np.maximum(bridge_var, 0.0)),
                         noise)
        load[..., 0] = np.where(ahead > 0, ahead / np.sqrt(span), 0.0)
        load[..., 0] = np.where(behind > 0, -behind / np.sqrt(span), load[..., 0])
        return mean, noise

    def _value_at(self, xq: np.ndarray) -> np.ndarray:
        """Observed value at each query year (NaN when not observed or off the grid)."""
        match = np.isclose(xq[:, :, None], self.x[None, None, :]) & self.obs[:, None, :]
        idx = np.argmax(match, axis=2)
        found = match.any(axis=2)
        return np.where(found, np.take_along_axis(self.z, idx, axis=1), np.nan)


#: sd of each model's sigma statistic when the data are a constant observed through
#: independent rounding errors of sd 1: level (the values) 1, rw_drift (first differences)
#: sqrt 2, local_trend (second differences) sqrt 6
ROUNDING_FACTOR: dict[str, float] = {"level": 1.0, "linear": 1.0, "damped": 1.0,
                                     "rw_drift": 2.0**0.5, "local_trend": 6.0**0.5}


def fit_trend(
    z: np.ndarray, x: np.ndarray, kind: str, noise_floor: float | None = None,
    precision: np.ndarray | None = None,
) -> TrendFit:
    """Fit one trend model to every row of ``z`` (N, T) over the years ``x`` (T,).

    Parameters
    ----------
    z
        Model-scale values, NaN where missing.
    x
        Calendar years of the columns.
    kind
        ``"level"``, ``"linear"``, ``"damped"``, ``"rw_drift"`` or ``"local_trend"``.
    noise_floor
        k of the noise prior of ``rw_drift`` and ``local_trend`` (module notes;
        default :data:`NOISE_FLOOR`, read when called; 0 turns it off).
    precision
        (N,) model-scale sd of the rounding each series' reported values may
        hide (:func:`hbkit.models.scales.flat_series_noise`; default none).
        Each model's sigma is at least :data:`ROUNDING_FACTOR` times it: what
        its residuals would show if the series were a constant seen through
        that rounding.

    Returns
    -------
    TrendFit

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([[1.0, np.nan, 3.0, 4.0], [1.0, 1.0, np.nan, np.nan]])
    >>> fit = fit_trend(z, np.array([2018.0, 2019.0, 2020.0, 2021.0]), "rw_drift")
    >>> fit.valid.tolist(), float(fit.slope[0])
    ([True, False], 1.0)

    Three points on a line: the plain sigma is 0, the noise prior makes it
    sqrt((0 + (0.25 x 1)^2) / 2) on 2 degrees of freedom.

    >>> line, years = np.array([[1.0, 2.0, 3.0]]), np.array([2019.0, 2020.0, 2021.0])
    >>> float(fit_trend(line, years, "rw_drift", noise_floor=0).s[0])
    0.0
    >>> fit = fit_trend(line, years, "rw_drift")
    >>> round(float(fit.s[0]), 4), int(fit.df[0])
    (0.1768, 2)

    A flat series has no residual at all; with the rounding it may hide, each
    model's sigma is what that rounding alone would show in its residuals.

    >>> flat = np.array([[4.6, 4.6, 4.6, 4.6]])
    >>> years = np.arange(2018.0, 2022.0)
    >>> [round(float(fit_trend(flat, years, k, precision=np.array([0.3])).s[0]), 3)
    ...  for k in ("level", "rw_drift", "local_trend")]
    [0.3, 0.424, 0.735]
    """
    z = np.asarray(z, dtype=float)
    x = np.asarray(x, dtype=float)
    obs = np.isfinite(z)
    n = obs.sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        xbar = np.where(obs, x, 0.0).sum(axis=1) / n
        zbar = np.where(obs, z, 0.0).sum(axis=1) / n
        dx = np.where(obs, x[None, :] - xbar[:, None], 0.0)
        dz = np.where(obs, z - zbar[:, None], 0.0)
        sxx = (dx * dx).sum(axis=1)
        first = np.argmax(obs, axis=1)
        last = _last_index(obs)
        rows = np.arange(z.shape[0])
        x_first, x_last = x[first], x[last]
        z_first, z_last = z[rows, first], z[rows, last]
        span = x_last - x_first
        drift = np.where(span > 0, (z_last - z_first) / span, 0.0)  # first to last point
        if kind == "level":
            slope = np.zeros_like(n)
            df = n - 1.0
            rss = (dz * dz).sum(axis=1)
        elif kind in ("linear", "damped"):
            slope = np.where(sxx > 0, (dx * dz).sum(axis=1) / sxx, 0.0)
            df = n - 2.0
            resid = np.where(obs, dz - slope[:, None] * dx, 0.0)
            rss = (resid * resid).sum(axis=1)
        elif kind == "rw_drift":
            slope = drift
            prev_pos = np.maximum.accumulate(np.where(obs, np.arange(z.shape[1]), -1), axis=1)
            prev_pos = np.concatenate([np.full((z.shape[0], 1), -1), prev_pos[:, :-1]], axis=1)
            has_prev = obs & (prev_pos >= 0)
            safe = np.maximum(prev_pos, 0)
            gap = np.where(has_prev, x[None, :] - x[safe], 1.0)
            step = np.where(has_prev, z - np.take_along_axis(z, safe, axis=1), 0.0)
            dev = np.where(has_prev, step - gap * slope[:, None], 0.0)
            rss = (dev * dev / gap).sum(axis=1) * _long_run_factor(dev / np.sqrt(gap), has_prev,
                                                                    safe)
            df = n - 2.0
        elif kind == "local_trend":
            prev_pos = np.maximum.accumulate(np.where(obs, np.arange(z.shape[1]), -1), axis=1)
            prev_pos = np.concatenate([np.full((z.shape[0], 1), -1), prev_pos[:, :-1]], axis=1)
            has_prev = obs & (prev_pos >= 0)
            safe = np.maximum(prev_pos, 0)
            gap = np.where(has_prev, x[None, :] - x[safe], 1.0)
            step_slope = np.where(has_prev, (z - np.take_along_axis(z, safe, axis=1)) / gap, 0.0)
            prev_slope = np.take_along_axis(step_slope, safe, axis=1)
            has_two = has_prev & np.take_along_axis(has_prev, safe, axis=1)
            prev_gap = np.take_along_axis(gap, safe, axis=1)
            # slope change per year, scaled to the annual variance over gaps
            change = np.where(has_two, step_slope - prev_slope, 0.0)
            span2 = np.where(has_two, (gap + prev_gap) / 2.0, 1.0)
            rss = (change * change / span2).sum(axis=1)
            slope = np.take_along_axis(step_slope, last[:, None], axis=1)[:, 0]
            df = n - 2.0
        else:
            raise ValueError(f"unknown trend model {kind!r}")
        k = NOISE_FLOOR if noise_floor is None else float(noise_floor)
        if k > 0 and kind in ("rw_drift", "local_trend"):
            rss = rss + np.maximum((k * drift) ** 2, rss / df)
            df = df + 1.0
        s = np.sqrt(np.maximum(rss, 0.0) / df)
        if precision is not None:
            s = np.maximum(s, ROUNDING_FACTOR[kind] * np.nan_to_num(precision))
    valid = (n >= MIN_OBS[kind]) & (df >= 1)
    if kind != "level":
        valid &= sxx > _TINY
    s = np.where(valid, s, np.nan)
    return TrendFit(
        kind=kind, valid=valid, df=np.where(valid, df, np.nan), s=s, n=n, xbar=xbar, zbar=zbar,
        slope=slope, sxx=sxx, x_first=x_first, x_last=x_last, z_first=z_first, z_last=z_last,
        obs=obs, x=x, z=z,
    )


def _log_t_density(y: np.ndarray, df: np.ndarray, loc: np.ndarray, scale: np.ndarray) -> np.ndarray:
    from scipy.special import gammaln

    r = (y - loc) / scale
    return (
        gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * np.log(df * np.pi) - np.log(scale)
        - (df + 1) / 2 * np.log1p(r * r / df)
    )


def lfo_scores(
    z: np.ndarray, x: np.ndarray, kinds: tuple[str, ...] = TREND_KINDS, n_origins: int = 3,
    min_prefix: int = 3, fits_whole: np.ndarray | None = None,
    precision: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Leave-future-out log predictive scores of each model, vectorised.

    For each of the last ``n_origins`` observed points of a series that has at
    least ``min_prefix`` observations before it, every model is fitted to the
    observations before the point and scored by the log density of its
    Student-t predictive at the point (one step ahead, over any gap).

    A point is scored only where every model that can be fitted to the whole
    series can also be fitted to the points before it, so that each model's
    sum covers the same points and the sums can be compared. ``fits_whole``
    (N, K), whether each model can be fitted to the whole series, saves the
    refit when the caller has it. ``precision`` is passed to every fit
    (:func:`fit_trend`).

    Returns
    -------
    scores : (N, K)
        Summed log predictive densities (0 where no point could be scored).
    n_scored : (N,)
        How many points were scored.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([[1.0, 2.1, 2.9, 4.1, 4.9]])
    >>> scores, n_scored = lfo_scores(z, np.arange(2016.0, 2021.0), ("rw_drift", "level"))
    >>> n_scored.tolist(), bool(scores[0, 0] > scores[0, 1])
    ([2], True)
    """
    z = np.asarray(z, dtype=float)
    obs = np.isfinite(z)
    if fits_whole is None:
        fits_whole = np.stack([fit_trend(z, x, kind, precision=precision).valid
                               for kind in kinds], axis=1)
    scores = np.zeros((z.shape[0], len(kinds)))
    n_scored = np.zeros(z.shape[0], dtype=int)
    rows = np.arange(z.shape[0])
    for usable, pos, keep in lfo_origins(obs, n_origins, min_prefix):
        y = z[rows, pos]
        x_o = x[pos][:, None]
        prefix = np.where(keep, z, np.nan)
        lpd = np.zeros_like(scores)
        fits_prefix = np.zeros_like(fits_whole)
        for k, kind in enumerate(kinds):
            fit = fit_trend(prefix, x, kind, precision=precision)
            mean, load, noise = fit.parts(x_o)
            scale = fit.s * np.sqrt((load[:, 0, :] ** 2).sum(axis=1) + noise[:, 0] ** 2)
            scale = np.maximum(np.nan_to_num(scale, nan=1.0), 1e-6)
            lpd[:, k] = _log_t_density(y, np.where(fit.valid, fit.df, 1.0), mean[:, 0], scale)
            fits_prefix[:, k] = fit.valid
        lpd = np.clip(np.nan_to_num(lpd, nan=-50.0, neginf=-50.0, posinf=50.0), -50.0, 50.0)
        usable = usable & (fits_prefix | ~fits_whole).all(axis=1)
        scores += np.where(usable[:, None] & fits_prefix, lpd, 0.0)
        n_scored += usable
    return scores, n_scored


def simulate_trend(
    fits: list[TrendFit], weights: np.ndarray, xq: np.ndarray, streams: SeriesStreams,
    inflation: float = 1.0,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Joint predictive draws over the years ``xq`` from the model mixture.

    All series must share their last observed year (``project`` groups them),
    and ``xq`` are consecutive years after it. Each draw first picks a model
    with probability ``weights`` (N, K), then sigma from its scaled inverse
    chi-square, the parameters from their normal conditional, and the noise
    path. ``inflation`` multiplies sigma (spread inflation on the model scale,
    see :mod:`hbkit.models.calibration`).

    Speed: the standard random numbers (uniforms, chi-squares per degree of
    freedom, normals, their cumulative sums) come from tables ``9 x n_draws``
    long, and series i reads the ``n_draws`` rows starting at the offset its
    key gives (``streams``, :class:`hbkit.models._random.SeriesStreams`), so
    a series' draws do not depend on the other series simulated with it. Each
    series' draws are exact draws from its predictive; two series read
    disjoint table rows for the same draw index unless their offsets coincide
    (probability 1 / (8 n_draws) per pair), so joint events over several
    series (every street, one indicator against another) are estimated
    without bias. The cost is then close to that of writing the output.

    Returns
    -------
    z : (N, S, Q) float32
        Model-scale draws (NaN for series no model could fit).
    state : dict
        Per-draw ``model`` (N, S) int8, ``sigma`` (N, S) and ``u`` (N, S, 2):
        what is needed to draw further years consistently with these paths.
    """
    n_series, n_models = weights.shape
    n_draws = streams.n_draws
    xq = np.asarray(xq, dtype=float)
    n_q = xq.shape[0]
    length = streams.table_length()
    offsets = streams.offsets(0)
    max_df = int(max([np.nanmax(np.nan_to_num(f.df, nan=1.0), initial=1.0) for f in fits]))
    pick_tab = streams.uniform_table(1)
    u_tab = streams.normal_table(2, 2)
    eps_tab = streams.normal_table(3, n_q)
    chi_tab = np.ones((max_df + 1, length), dtype=np.float32)
    for d in range(1, max_df + 1):  # each degree of freedom its own table
        chi_tab[d] = np.sqrt(d / streams.chisquare_table(4 + d, d))
    steps = np.sqrt(np.diff(xq, prepend=fits[0].x_last[0] if n_series else 0.0)).astype(np.float32)
    walk_tab = np.cumsum(eps_tab * steps, axis=1)
    noise_tab = np.concatenate([eps_tab, walk_tab, np.cumsum(walk_tab, axis=1)], axis=0)
    cum = np.cumsum(weights, axis=1)
    pick = windows(pick_tab, n_draws, offsets)
    model = np.zeros((n_series, n_draws), dtype=np.int8)
    for k in range(n_models - 1):
        model += pick > cum[:, k:k + 1]
    u = windows(u_tab, n_draws, offsets)
    g_tab = np.zeros((n_models, n_q), dtype=np.float32)
    params = np.zeros((n_series, n_models, 6), dtype=np.float32)
    order = np.array([NOISE_ORDER[f.kind] for f in fits], dtype=np.intp)
    for k, fit in enumerate(fits):
        alpha, beta, c0, c1, g = fit.affine(xq)
        shift = g[:, 0] - g[0, 0] if n_q and n_series else np.zeros(n_series)
        g_tab[k] = g[0] if n_q and n_series else 0.0
        params[:, k] = np.stack([np.nan_to_num(fit.s) * inflation, alpha, beta, c0, c1, shift],
                                axis=1)
    df_all = np.stack([np.nan_to_num(f.df, nan=1.0) for f in fits], axis=1).astype(np.int64)
    draws = np.arange(n_draws)
    flat = (np.arange(n_series) * n_models)[:, None] + model
    # each parameter gathered on its own: contiguous (N, S) arrays, no strided arithmetic
    table = np.ascontiguousarray(params.reshape(-1, 6).T)

    def chosen(j: int) -> np.ndarray:
        return np.take(table[j], flat)

    rows = offsets[:, None] + draws[None, :]
    df = np.take(df_all.ravel(), flat)
    sigma = chosen(0) * np.take(chi_tab.ravel(), df * length + rows)
    slope = chosen(2) + sigma * chosen(4) * u[..., 1]
    level = chosen(1) + sigma * chosen(3) * u[..., 0] + slope * chosen(5)
    model_i = model.astype(np.intp)  # an intp index takes 4x faster
    if order.any():
        rows = rows + length * np.take(order, model_i)
    # year by year (numpy's loops are slow over a last axis of 2-5 years)
    z = np.empty((n_series, n_draws, n_q), dtype=np.float32)
    noise_cols = np.ascontiguousarray(noise_tab.T)
    g_cols = np.ascontiguousarray(g_tab.T)
    for j in range(n_q):
        zj = np.take(g_cols[j], model_i)
        zj *= slope
        zj += level
        noise = np.take(noise_cols[j], rows)
        noise *= sigma
        zj += noise
        z[:, :, j] = zj
    valid = np.zeros(n_series, dtype=bool)
    for fit in fits:
        valid |= fit.valid
    z[~valid] = np.nan
    return z, {"model": model, "sigma": sigma, "u": u}


def draw_trend_at(
    fits: list[TrendFit], state: dict[str, np.ndarray], year: float, streams: SeriesStreams
) -> np.ndarray:
    """Draws (N, S) at one more year, consistent with ``state`` from :func:`simulate_trend`.

    Used for a missing history year (a baseline year not observed): the same
    model, sigma and parameter draw as the simulated future, with fresh noise
    of the right size (a Brownian bridge between observations for rw_drift).
    """
    model = state["model"]
    rows = np.arange(model.shape[0])[:, None]
    means, loads, noises = [], [], []
    for fit in fits:
        mean, load, noise = fit.parts(np.array([year], dtype=float))
        means.append(mean[:, 0])
        loads.append(load[:, 0, :])
        noises.append(noise[:, 0])
    mean_g = np.stack(means, axis=1)[rows, model]
    load_g = np.stack(loads, axis=1)[rows, model]
    noise_g = np.stack(noises, axis=1)[rows, model]
    eps = streams.normals(1, 1)[..., 0]
    u = state["u"]
    return mean_g + state["sigma"] * (
        load_g[..., 0] * u[..., 0] + load_g[..., 1] * u[..., 1] + noise_g * eps
    )
