"""Partial pooling of sub-units (streets) for ``each_unit`` targets.

A target such as 以街为单位的适龄儿童免疫规划疫苗接种率保持在95%以上 must hold in
every street and every remaining year jointly. A street sees a few hundred
children a year, so its own short series says little; the district's series is
long and precise. Each street therefore *borrows strength* from the district
through an empirical-Bayes random-effects model on the indicator's model scale
``g`` (logit for bounded percentages, log for rates and other positive values,
the identity for the units the district's model keeps on it: counts, years,
hours, gaps in percentage points and ``signed`` indicators, whose values may be
negative; :func:`pooling_scale`):

    g(p_kt) = g(P_t) + u_k + e_kt,   u_k ~ N(mu_u, tau^2),   e_kt ~ N(0, omega^2)

where ``P_t`` is the district's value in year t (observed, or the district
projection's draws for future years), ``u_k`` the street's lasting deviation
from the district and ``e_kt`` a street-year deviation beyond sampling noise.

Estimation (method of moments, closed form, vectorised):

1. Observed deviations ``d_kt = g(phat_kt) - g(P_t)`` with, when counts exist,
   ``phat = k / n`` (0.5 / n or 1 - 0.5 / n for 0 or n events) and sampling variance
   ``v_kt = 1/(k + 0.5) + 1/(n - k + 0.5)`` (logit) or ``1/(k + 0.5)`` (log);
   without counts ``v_kt = 0``. On the logit scale every proportion (``phat``,
   the district's values and draws) is then kept within [0.1%, 99.9%]
   (``BOUNDARY_EPS``) with counts, so 1,999 of 2,000 counts as 99.9%; without
   counts within [0.05%, 99.95%], the boundary rule of the district's own model
   (:data:`hbkit.models.scales.BOUND_EPS`: half the last digit of a percentage
   reported to one decimal), so that a street at 100% sits where the district
   at 100% does.
2. ``omega^2 = max(0, mean_kt[(d_kt - dbar_k)^2 T_k/(T_k - 1) - v_kt])``.
3. Street means ``yhat_k`` weighted by ``1/(v_kt + omega^2)``, with variance
   ``sigma_k^2 = 1 / sum_t 1/(v_kt + omega^2)``.
4. ``tau^2`` by DerSimonian-Laird over the streets; shrinkage factor
   ``B_k = tau^2 / (tau^2 + sigma_k^2)``; shrunk effect
   ``uhat_k = mu_u + B_k (yhat_k - mu_u)`` with variance
   ``B_k sigma_k^2 + (1 - B_k)^2 / sum_j 1/(sigma_j^2 + tau^2)``.
   Streets with few events (large ``sigma_k``) are pulled towards the district;
   large streets keep their own level. With fewer than 3 streets ``tau^2``
   cannot be estimated and nothing is pooled (``B_k = 1``).

Simulation: for each draw s, ``u_k^s ~ N(uhat_k, var_k)`` once per path and
``e_kt^s ~ N(0, omega^2)`` per year, added to the district's draw ``g(P_t^s)``;
with counts the reported street value is simulated from the binomial (or
Poisson) with the street's latest denominator, so sampling noise is included;
without counts it is rounded to the decimals the street reports, as the
district's own simulated values are (:func:`hbkit.models.scales.reporting_decimals`),
so that a street reported at 100.0% can be simulated at 100.0% and meet a
达到100% target (unrounded, a value on the logit scale never reaches 100).
Observed street-years keep their observed values, so the event is judged on
full trajectories: observed past plus simulated future, jointly over streets
and years (never a product of marginal probabilities).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from hbkit._typing import UNIT_SCALE
from hbkit.models._random import SeriesStreams, series_keys, splitmix64
from hbkit.models.scales import BOUND_EPS, choose_scale, floor_at_zero, reporting_decimals

FloatArray = npt.NDArray[np.float64]

#: proportions from counts are kept within [EPS, 1 - EPS] on the logit scale (without
#: counts: the district model's ``BOUND_EPS``, 0.05 percentage points)
BOUNDARY_EPS = 1e-3


@dataclass(frozen=True)
class PooledUnits:
    """Joint simulated trajectories of the sub-units of one area.

    Attributes
    ----------
    years
        Calendar years of ``paths`` (Y,).
    paths
        (K, S, Y) reported values per unit, draw and year: observed where
        observed, simulated elsewhere.
    effect, effect_sd
        Shrunk deviation of each unit from the district on the model scale and
        its standard error (K,).
    raw_effect
        The unit's own (unshrunk) mean deviation (K,).
    shrinkage
        ``B_k`` (K,): 1 keeps the unit's own level, 0 takes the district's.
    tau2, omega2
        Between-unit and unit-year variances on the model scale.
    scale
        ``logit``, ``log`` or ``identity`` (:func:`pooling_scale`).
    method
        Short description of the pooling used.
    """

    years: npt.NDArray[np.int64]
    paths: FloatArray
    effect: FloatArray
    effect_sd: FloatArray
    raw_effect: FloatArray
    shrinkage: FloatArray
    tau2: float
    omega2: float
    scale: str
    method: str


def pooling_scale(unit: str, bounded: bool, signed: bool = False) -> str:
    """The scale the sub-units are pooled on: the district model's scale without counts
    (:func:`hbkit.models.scales.choose_scale`), ``log`` for any scale that is not
    ``logit`` or ``identity``.

    >>> pooling_scale("percent", True), pooling_scale("per_1000", False)
    ('logit', 'log')
    >>> pooling_scale("persons", False), pooling_scale("percent", False, signed=True)
    ('identity', 'identity')
    """
    scale = choose_scale(unit, bounded, False, signed)
    return scale if scale in ("logit", "identity") else "log"


def _link(p: FloatArray, scale: str) -> FloatArray:
    if scale == "identity":
        return p
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(p / (1 - p)) if scale == "logit" else np.log(p)


def _inverse(z: FloatArray, scale: str) -> FloatArray:
    if scale == "identity":
        return z
    z = np.clip(z, -40.0, 40.0)
    return 1.0 / (1.0 + np.exp(-z)) if scale == "logit" else np.exp(z)


def estimate_effects(
    deviations: FloatArray, variances: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, float, float]:
    """Empirical-Bayes street effects from deviations ``d`` (K, T) and sampling variances.

    Returns ``(effect, effect_sd, raw_effect, shrinkage, tau2, omega2)``; see
    the module docstring for the estimators. NaN cells are ignored.

    Examples
    --------
    Ten streets, one of them small and extreme: the small one is pulled
    towards the others, the precise ones barely move.

    >>> d = np.vstack([np.repeat(np.linspace(-0.3, 0.3, 9)[:, None], 3, 1), [[1.5] * 3]])
    >>> v = np.array([[0.01] * 3] * 9 + [[2.0] * 3])
    >>> eff, sd, raw, b, tau2, om2 = estimate_effects(d, v)
    >>> bool(eff[9] < 0.5 * raw[9]), bool(abs(eff[0] - raw[0]) < 0.05), bool(b[9] < b[0])
    (True, True, True)
    """
    d = np.asarray(deviations, dtype=float)
    v = np.where(np.isfinite(d), np.asarray(variances, dtype=float), np.nan)
    obs = np.isfinite(d)
    t_k = obs.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        dbar = np.where(t_k > 0, np.where(obs, d, 0.0).sum(axis=1) / np.maximum(t_k, 1), np.nan)
        corr = np.where(t_k > 1, t_k / np.maximum(t_k - 1, 1), np.nan)[:, None]
        excess = (d - dbar[:, None]) ** 2 * corr - v
    usable = obs & (t_k[:, None] > 1)
    omega2 = float(max(0.0, excess[usable].mean())) if usable.any() else 0.0
    w = np.where(obs, 1.0 / np.maximum(v + omega2, 1e-12), 0.0)
    sw = w.sum(axis=1)
    has = sw > 0
    raw = np.where(has, (w * np.where(obs, d, 0.0)).sum(axis=1) / np.where(has, sw, 1.0), np.nan)
    sigma2 = np.where(has, 1.0 / np.where(has, sw, 1.0), np.nan)
    n_units = int(has.sum())
    if n_units < 3:
        return raw, np.sqrt(sigma2), raw, np.where(has, 1.0, np.nan), float("inf"), omega2
    big_w = np.where(has, 1.0 / sigma2, 0.0)
    mean = (big_w * np.where(has, raw, 0.0)).sum() / big_w.sum()
    q = (big_w * np.where(has, raw - mean, 0.0) ** 2).sum()
    denom = big_w.sum() - (big_w**2).sum() / big_w.sum()
    tau2 = float(max(0.0, (q - (n_units - 1)) / denom)) if denom > 0 else 0.0
    w_star = np.where(has, 1.0 / (sigma2 + tau2), 0.0)
    mu = (w_star * np.where(has, raw, 0.0)).sum() / w_star.sum()
    shrink = np.where(has, tau2 / (tau2 + sigma2), np.nan)
    effect = np.where(has, mu + shrink * (raw - mu), mu)
    var = np.where(has, shrink * sigma2 + (1 - shrink) ** 2 / w_star.sum(), tau2 + 1 / w_star.sum())
    return effect, np.sqrt(var), raw, shrink, tau2, omega2


def pool_units(
    years: npt.ArrayLike,
    values: FloatArray,
    district_history: FloatArray,
    district_draws: FloatArray,
    eval_years: npt.ArrayLike,
    unit: str,
    *,
    numerators: FloatArray | None = None,
    denominators: FloatArray | None = None,
    bounded: bool = True,
    signed: bool = False,
    seed: int = 0,
    labels: Sequence[Any] | None = None,
) -> PooledUnits:
    """Simulate joint trajectories of K sub-units, borrowing strength from the district.

    Parameters
    ----------
    years
        Calendar years of the history arrays (T,).
    values
        (K, T) observed unit values in ``unit`` (NaN = missing).
    district_history
        (T,) the district's observed values in ``unit`` (NaN = missing).
    district_draws
        (S, Y) draws of the district's value for every year of ``eval_years``
        (observed where observed), e.g. from ``Projection.value_draws``.
    eval_years
        Years of the output trajectories (Y,), e.g. the baseline year to the
        target year.
    unit
        Indicator unit; bounded percentages are modelled on the logit scale
        (binomial counts), rates on the log scale (Poisson counts), counts,
        years, hours and gaps on the identity scale (:func:`pooling_scale`).
    numerators, denominators
        (K, T) counts per unit and year, when known (not used on the identity
        scale).
    bounded
        Whether the percentage is capped at 100 (logit scale); otherwise log.
    signed
        Whether the values may be negative (a target's ``signed``): identity
        scale, no floor at 0. On the identity scale the simulated values of a
        unit that cannot be negative (counts, years) are floored at 0.
    seed
        Seed of the simulation.
    labels
        Optional names of the K units (e.g. the streets' geos). Each unit's
        random numbers, year by year, come from its own generator, keyed by
        ``seed``, its label (else its position) and the year: they do not
        depend on the other units, nor on which other years are simulated
        (a longer grid of years, as a call with other districts gives,
        changes no draw).

    Returns
    -------
    PooledUnits

    Examples
    --------
    >>> yrs = np.arange(2018, 2024)
    >>> n = np.full((10, 6), 300.0)
    >>> rng = np.random.default_rng(1)
    >>> k = rng.binomial(300, 0.97, size=(10, 6)).astype(float)
    >>> district = k.sum(0) / n.sum(0) * 100
    >>> draws = np.tile(np.r_[district[-1:], [97.0, 97.0]], (500, 1))
    >>> out = pool_units(yrs, k / n * 100, district, draws, [2023, 2024, 2025], "percent",
    ...                  numerators=k, denominators=n)
    >>> out.paths.shape
    (10, 500, 3)
    >>> bool(np.all((out.paths >= 0) & (out.paths <= 100)))
    True
    """
    yrs = np.asarray(years, dtype=np.int64)
    ev = np.asarray(eval_years, dtype=np.int64)
    v = np.asarray(values, dtype=float)
    mult = UNIT_SCALE.get(unit, 1.0)
    scale = pooling_scale(unit, bounded, signed)
    k_units, _ = v.shape
    draws = np.asarray(district_draws, dtype=float)
    n_draws = draws.shape[0]
    has_counts = (
        scale != "identity"
        and numerators is not None
        and denominators is not None
        and bool(np.all(np.where(np.isfinite(v), np.isfinite(numerators) & (denominators > 0), True)))
    )
    if has_counts:
        k = np.asarray(numerators, dtype=float)
        n = np.asarray(denominators, dtype=float)
        # k/n, moved half an event inside (0, 1) only when it sits on the boundary
        phat = np.clip(k, 0.5, n - 0.5) / n
        if scale == "logit":
            var = 1.0 / (k + 0.5) + 1.0 / (n - k + 0.5)
        else:
            var = 1.0 / (k + 0.5)
        phat = np.where(np.isfinite(v), phat, np.nan)
    else:
        phat = v / mult
        var = np.zeros_like(v)
    eps = BOUNDARY_EPS if has_counts else BOUND_EPS / 100.0
    phat = _clip(phat, scale, eps)
    dist = _clip(np.asarray(district_history, dtype=float) / mult, scale, eps)
    deviations = _link(phat, scale) - _link(dist, scale)[None, :]
    effect, effect_sd, raw, shrink, tau2, omega2 = estimate_effects(deviations, var)
    if not np.isfinite(tau2):
        effect_sd = np.where(np.isfinite(effect_sd), effect_sd, 0.0)
    effect = np.where(np.isfinite(effect), effect, 0.0)
    effect_sd = np.where(np.isfinite(effect_sd), effect_sd, np.sqrt(omega2))

    observed = np.full((k_units, ev.size), np.nan)
    col = {int(y): i for i, y in enumerate(yrs)}
    for j, year in enumerate(ev):
        if int(year) in col:
            observed[:, j] = v[:, col[int(year)]]
    # only the years some unit has not observed are simulated
    need = np.flatnonzero(~np.isfinite(observed).all(axis=0))
    paths = np.broadcast_to(observed[:, None, :], (k_units, n_draws, ev.size)).copy()
    if labels is not None and len(labels) != k_units:
        raise ValueError(f"labels must name every unit ({k_units}); received {len(labels)}")
    keys = (series_keys(v, yrs, labels=labels) if labels is not None
            else splitmix64(np.arange(k_units, dtype=np.uint64)))
    effects = SeriesStreams(keys, n_draws, (seed, 104729))
    u = np.zeros((k_units, n_draws))
    for i in range(k_units):
        u[i] = effect[i] + effect_sd[i] * effects.generator(i, 0).standard_normal(n_draws)
    decimals = reporting_decimals(v)
    if need.size:
        if has_counts:
            n_latest = _latest(np.where(np.isfinite(v), n, np.nan))
            n_future = np.rint(np.where(np.isfinite(n_latest), n_latest, np.nanmedian(n))
                               ).astype(np.int64)
        simulated = np.empty((k_units, n_draws, need.size))
        for j, c in enumerate(need):  # each year and unit its own generator
            year_streams = SeriesStreams(keys, n_draws, (seed, 104729, int(ev[c])))
            base = _link(_clip(draws[:, c] / mult, scale, eps), scale)  # (S,)
            for i in range(k_units):
                rng = year_streams.generator(i, 1)
                prob = _inverse(base + u[i] + np.sqrt(omega2) * rng.standard_normal(n_draws),
                                scale)
                if not has_counts:  # reported as the unit reports, like the district
                    simulated[i, :, j] = (prob * mult if decimals[i] < 0
                                          else np.round(prob * mult, decimals[i]))
                elif scale == "logit":
                    simulated[i, :, j] = (rng.binomial(n_future[i], np.clip(prob, 0.0, 1.0))
                                          / max(n_future[i], 1) * mult)
                else:
                    simulated[i, :, j] = (rng.poisson(prob * n_future[i])
                                          / max(n_future[i], 1) * mult)
        if unit == "percent" and bounded:
            simulated = np.clip(simulated, 0.0, 100.0)
        elif scale == "identity":
            floor_at_zero(simulated, unit, signed)
        block = paths[:, :, need]
        paths[:, :, need] = np.where(np.isfinite(block), block, simulated)
    pooled = "partial pooling (empirical Bayes, DerSimonian-Laird)" if np.isfinite(tau2) else (
        "no pooling (fewer than 3 units)")
    noise = "binomial" if scale == "logit" else "Poisson"
    method_en = f"{pooled} on the {scale} scale" + (f", {noise} counts" if has_counts else "")
    from hbkit.report.wording import model_label

    # 中文在前、英文在后，如其他方法说明 / Chinese first, then English, like the other method texts
    method = f"{model_label(method_en, 'zh')} / {method_en}"
    return PooledUnits(
        years=ev, paths=paths, effect=effect, effect_sd=effect_sd, raw_effect=raw,
        shrinkage=shrink, tau2=tau2, omega2=omega2, scale=scale, method=method,
    )


def _clip(p: FloatArray, scale: str, eps: float = BOUNDARY_EPS) -> FloatArray:
    if scale == "identity":
        return p
    if scale == "logit":
        return np.clip(p, eps, 1 - eps)
    return np.maximum(p, BOUNDARY_EPS * 1e-3)


def _latest(a: FloatArray) -> FloatArray:
    """Last finite value of each row (NaN if none)."""
    obs = np.isfinite(a)
    idx = np.where(obs.any(axis=1), a.shape[1] - 1 - np.argmax(obs[:, ::-1], axis=1), 0)
    return np.where(obs.any(axis=1), a[np.arange(a.shape[0]), idx], np.nan)
