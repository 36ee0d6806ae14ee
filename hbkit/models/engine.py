"""``project``: from an (N, T) array of observed values to a :class:`~hbkit.projection.Projection`.

One call projects N series that share a grid of calendar years, all with the
same unit: it picks the scale (:func:`hbkit.models.scales.choose_scale`), routes
each series to the count models (numerator and denominator given) or to the
trend models (values only), weighs the candidate models by their
leave-future-out scores, and simulates joint paths. Series are processed in
blocks, so memory stays bounded whatever N; there is no Python loop over
series.

Examples
--------
>>> import numpy as np
>>> values = np.array([[20.0, 18.0, 17.5, 15.0, 14.2], [20.0, np.nan, np.nan, np.nan, 15.0]])
>>> p = project(values, np.arange(2016, 2021), target_year=2025, unit="per_1000", n_draws=500)
>>> p.scale.tolist(), p.reason.tolist()
(['log', 'log'], [None, '2 observations, 3 needed'])
>>> bool(np.isnan(p.paths[1]).all())
True
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from hbkit.exceptions import HbkitError
from hbkit.models._random import SeriesStreams, series_keys
from hbkit.models.averaging import method_labels, pseudo_bma_weights, unscored_prior
from hbkit.models.calibration import resolve_inflation
from hbkit.models.counts import (
    denominator_step_sd,
    draw_counts,
    draw_future_denominators,
    draw_link,
    fit_counts,
)
from hbkit.models.implied import MIN_ZERO_YEARS, implied_counts
from hbkit.models.scales import (
    COUNT_SCALES,
    RATE_UNITS,
    choose_scale,
    flat_series_noise,
    floor_at_zero,
    from_model_scale,
    reporting_decimals,
    to_model_scale,
    unit_multiplier,
)
from hbkit.models.trend import (
    DEFAULT_MODELS,
    TREND_KINDS,
    draw_trend_at,
    fit_trend,
    lfo_scores,
    simulate_trend,
)
from hbkit.projection import Projection

#: observations a series needs before hbkit projects it
MIN_OBS = 3
#: number of (series x draws x years) cells simulated per block (bounds memory)
BLOCK_CELLS = 2_000_000
# the stream of a count series' model choice (the count models' own streams are 11-17)
_MODEL_PICK = 10


def _default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _as_2d(name: str, array: Any, shape: tuple[int, ...] | None = None) -> np.ndarray:
    out = np.asarray(array, dtype=float)
    if out.ndim == 1:
        out = out[None, :]
    if out.ndim != 2:
        raise HbkitError(f"{name} must be a 2-D array (series x years); received shape {out.shape}")
    if shape is not None and out.shape != shape:
        raise HbkitError(f"{name} must have shape {shape} like values; received {out.shape}")
    return out


def _check_years(years: Any, n_columns: int) -> np.ndarray:
    out = np.asarray(years)
    if out.ndim != 1 or out.size != n_columns:
        raise HbkitError(f"years must be 1-D with one year per column ({n_columns}); "
                         f"received shape {out.shape}")
    if not np.all(np.asarray(out, dtype=float) == np.round(np.asarray(out, dtype=float))):
        raise HbkitError(f"years must be whole numbers; received {out.tolist()}")
    out = out.astype(int)
    if np.any(np.diff(out) <= 0):
        raise HbkitError(f"years must be strictly increasing; received {out.tolist()}")
    return out


def _blocks(rows: np.ndarray, n_draws: int, n_years: int) -> list[np.ndarray]:
    per_block = max(1, BLOCK_CELLS // max(1, n_draws * max(n_years, 1)))
    return [rows[i:i + per_block] for i in range(0, rows.size, per_block)]


def _by_first_column(rows: np.ndarray, first_col: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """``rows`` grouped by the first column of the grid where they have data.

    A series is fitted on its own years only, from its first: on a grid that
    other series start earlier, sums over longer rows would round differently
    in the last bit, and a series' draws would depend on the other series.
    """
    starts = first_col[rows]
    return [(int(f), rows[starts == f]) for f in np.unique(starts)]


def first_data_column(*arrays: np.ndarray | None) -> np.ndarray:
    """Per row (N,), the first column where any of ``arrays`` (N, T) has a value (0 if none).

    A series is fitted from there, on its own years, whatever year the grid of
    the call starts in (other series may start earlier).

    >>> first_data_column(np.array([[np.nan, 1.0, 2.0], [np.nan] * 3]))
    array([1, 0])
    """
    present = np.zeros(np.shape(next(a for a in arrays if a is not None)), dtype=bool)
    for array in arrays:
        if array is not None:
            present |= np.isfinite(array)
    return np.where(present.any(axis=1), np.argmax(present, axis=1), 0)


def _last_observed_year(observed: np.ndarray, years: np.ndarray) -> np.ndarray:
    last = observed.shape[1] - 1 - np.argmax(observed[:, ::-1], axis=1)
    return np.where(observed.any(axis=1), years[last], years[0] - 1)


def _nearest_denominators(n: np.ndarray, years: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Denominator (N, Q) at each query year: observed there, else the nearest observed one."""
    have = np.isfinite(n) & (n > 0)
    distance = np.abs(query[None, :, None] - years[None, None, :]).astype(float)
    distance = distance - 1e-3 * (years[None, None, :] > query[None, :, None])  # ties: later year
    distance = np.where(have[:, None, :], distance, np.inf)
    idx = np.argmin(distance, axis=2)
    return np.take_along_axis(n, idx, axis=1)


def _add_implied_counts(vals: np.ndarray, k_all: np.ndarray | None, n_all: np.ndarray | None,
                        counted: np.ndarray, mult: float,
                        implied: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Counts implied by the value-only rate series that allow it; marks them in ``implied``.

    Only series without a single year of numerator and denominator are read
    (:func:`hbkit.models.implied.implied_counts`); the caller's arrays are not changed,
    and when no series is read so, they are returned as they came (``None`` stays ``None``).
    """
    rows = np.flatnonzero(~counted.any(axis=1) & ((vals == 0).sum(axis=1) >= MIN_ZERO_YEARS))
    if not rows.size:
        return k_all, n_all
    k, n, ok = implied_counts(vals[rows], mult)
    if not ok.any():
        return k_all, n_all
    k_out = np.full(vals.shape, np.nan) if k_all is None else np.array(k_all, dtype=float)
    n_out = np.full(vals.shape, np.nan) if n_all is None else np.array(n_all, dtype=float)
    chosen = rows[ok]
    k_out[chosen], n_out[chosen] = k[ok], n[ok]
    implied[chosen] = True
    return k_out, n_out


def project(
    values: Any,
    years: Sequence[int] | np.ndarray,
    *,
    target_year: int,
    unit: str,
    bounded: bool | None = None,
    signed: bool = False,
    numerators: Any = None,
    denominators: Any = None,
    n_draws: int = 1000,
    seed: int = 0,
    inflation: float | None = None,
    future_denominators: Any = None,
    models: tuple[str, ...] = DEFAULT_MODELS,
    unscored_weights: Mapping[str, float] | None = None,
    min_obs: int = MIN_OBS,
    decimals: int | str | None = "auto",
    n_jobs: int | None = None,
    labels: Sequence[Any] | None = None,
    implied_from_rates: bool = True,
) -> Projection:
    """Project N series on a shared year grid to ``target_year``.

    Parameters
    ----------
    values
        (N, T) observed values in ``unit`` (NaN = missing); a 1-D array is one series.
    years
        (T,) strictly increasing calendar years of the columns.
    target_year
        Last year to simulate; the future years are ``years[-1] + 1 .. target_year``.
    unit
        The indicator's unit (``hbkit._typing.Unit``), e.g. ``"percent"``, ``"per_100k"``.
    bounded
        Whether a percentage is capped at 100 (default: ``unit == "percent"``).
    signed
        Whether the values may be negative, whatever the unit (a target's
        ``signed``: a relative gap in percent). A signed series is modelled as a
        gap in percentage points: on the identity scale, with no floor at 0, and
        counts are not used (:func:`hbkit.models.scales.choose_scale`). It
        cannot be ``bounded``.
    numerators, denominators
        Optional (N, T) events and exposure. A series with at least ``min_obs``
        years of both is modelled as counts (Poisson for rates per 1,000 /
        10,000 / 100,000, binomial for bounded percentages).
    n_draws
        Simulated paths per series (S).
    seed
        Seed of the random numbers (a non-negative integer): same input, same
        output. A series' draws depend only on the seed and its own key, its
        observations or its label (:func:`hbkit.models._random.series_keys`),
        never on the other series of the call: a series projected alone or
        among thousands gets the same paths.
    inflation
        Spread inflation on the model scale (default
        :data:`hbkit.models.calibration.DEFAULT_INFLATION`).
    future_denominators
        (N, H) denominators for the future years of count series, used as
        given (NaN: not given). By default each path draws its own: a random
        walk on the log scale from the last observed denominator whose yearly
        step has the sd of the series' observed changes (fixed when the
        denominator never changed), see :mod:`hbkit.models.counts`.
    models
        Candidate trend models for value series, any of ``("linear",
        "damped", "rw_drift", "local_trend", "level")`` (default
        :data:`hbkit.models.trend.DEFAULT_MODELS`: ``rw_drift``, ``local_trend``,
        ``level``; see there why ``linear`` and ``damped`` are left out).
    unscored_weights
        Prior weights of the models for a series of which no point can be
        scored out of sample (three points), relative to 1 for the models not
        listed (default :data:`hbkit.models.averaging.UNSCORED_WEIGHTS`,
        ``level`` 0.3; ``{"level": 1.0}`` gives equal weights).
    min_obs
        Observations needed; a shorter series gets a ``reason`` and NaN paths.
    decimals
        Reporting precision of simulated values of value series: ``"auto"``
        (default) detects it per series from the data
        (:func:`hbkit.models.scales.reporting_decimals`), an int fixes it,
        ``None`` keeps continuous values. Count series are exact k / n x unit.
        A series reported the same every year is given the noise its rounding
        may hide (:func:`hbkit.models.scales.flat_series_noise`), from the
        precision detected in the data whatever ``decimals`` says.
    n_jobs
        Threads simulating blocks of series in parallel (default: the number
        of CPUs, at most 4). Results do not depend on it.
    labels
        Optional names of the series (N,), e.g. the areas: a series' random
        numbers are then keyed by its label instead of its observations, so
        corrected data keep the same draws and two areas with the same data
        get their own. Labelled series of two indicators need two seeds (as
        :func:`hbkit.assess` gives each indicator its own): with one seed and
        the same labels they would read the same random numbers.
    implied_from_rates
        A rate of events per 1,000 / 10,000 / 100,000 given as values only,
        with two or more years at 0 and a few events a year, is modelled as the
        counts it implies (:func:`hbkit.models.implied.implied_counts`; ``implied_counts``
        of the result says which). ``False`` keeps the value models for it.

    Returns
    -------
    Projection

    Examples
    --------
    >>> import numpy as np
    >>> deaths = np.array([[0.0, 1.0, 0.0, 0.0, 1.0]])
    >>> births = np.array([[4000.0, 4100.0, 3900.0, 4000.0, 4200.0]])
    >>> p = project(deaths / births * 1e5, np.arange(2016, 2021), target_year=2025,
    ...             unit="per_100k", numerators=deaths, denominators=births)
    >>> p.scale[0]
    'poisson'
    >>> sorted(set(np.round(p.paths[0, :, -1] * 4200 / 1e5).astype(int).tolist()))[:3]
    [0, 1, 2]
    """
    vals = _as_2d("values", values)
    n_series, n_years = vals.shape
    grid = _check_years(years, n_years)
    target_year = int(target_year)
    if target_year < grid[0]:
        raise HbkitError(f"target_year {target_year} is before the first year {grid[0]}")
    if n_draws < 1:
        raise HbkitError(f"n_draws must be at least 1; received {n_draws}")
    unknown = [m for m in models if m not in TREND_KINDS]
    if unknown or not models:
        raise HbkitError(f"models must be chosen from {TREND_KINDS}; received {models!r}")
    signed = bool(signed)
    bounded = (unit == "percent" and not signed) if bounded is None else bool(bounded)
    if signed and bounded:
        raise HbkitError("有符号（可为负数）的指标不能以100为上限 / a signed series (values may "
                         "be negative) cannot be bounded at 100: give signed or bounded, not both")
    infl = resolve_inflation(inflation)
    if set(unscored_weights or ()) - set(TREND_KINDS):
        raise HbkitError(f"unscored weights must name models of {TREND_KINDS}; received "
                         f"{dict(unscored_weights or {})!r}")
    try:
        prior = unscored_prior(tuple(models), unscored_weights)
    except ValueError as err:  # a negative, NaN or all-zero weight
        raise HbkitError(str(err)) from None
    x = grid.astype(float)
    future_years = np.arange(grid[-1] + 1, target_year + 1, dtype=int)
    mult = unit_multiplier(unit)

    count_scale = choose_scale(unit, bounded, True, signed)
    value_scale = choose_scale(unit, bounded, False, signed)
    use_counts = np.zeros(n_series, dtype=bool)
    k_all = n_all = None
    if numerators is not None and denominators is not None and count_scale in COUNT_SCALES:
        k_all = _as_2d("numerators", numerators, vals.shape)
        n_all = _as_2d("denominators", denominators, vals.shape)
        counted = np.isfinite(k_all) & np.isfinite(n_all) & (n_all > 0)
        use_counts = counted.sum(axis=1) >= min_obs
    else:
        counted = np.zeros_like(vals, dtype=bool)
    if labels is not None and len(labels) != n_series:
        raise HbkitError(f"labels must name every series ({n_series}); received {len(labels)}")
    # each series' own key: its draws never depend on the other series of the call
    keys = series_keys(vals, grid, k_all, n_all, labels=labels)
    implied = np.zeros(n_series, dtype=bool)
    if implied_from_rates and count_scale == "poisson" and unit in RATE_UNITS:
        k_all, n_all = _add_implied_counts(vals, k_all, n_all, counted, mult, implied)
        if implied.any():
            assert k_all is not None
            counted[implied] = np.isfinite(k_all[implied])
        use_counts |= implied & (counted.sum(axis=1) >= min_obs)
        implied &= use_counts
    n_obs = np.where(use_counts, counted.sum(axis=1), np.isfinite(vals).sum(axis=1)).astype(int)
    enough = n_obs >= min_obs
    reason = np.array([None] * n_series, dtype=object)
    reason_zh = np.array([None] * n_series, dtype=object)
    for i in np.flatnonzero(~enough):
        noun = "observation" if n_obs[i] == 1 else "observations"
        reason[i] = f"{n_obs[i]} {noun}, {min_obs} needed"
        reason_zh[i] = f"仅有{n_obs[i]}个观测值，至少需要{min_obs}个"

    observed = np.where(use_counts[:, None], counted, np.isfinite(vals))
    # each series is fitted from the first year it has any data (a value, count or
    # denominator), whatever year the grid of the call starts in
    first_col = first_data_column(vals, k_all, n_all)
    last_year = _last_observed_year(observed, grid)
    start = int(last_year[enough].min()) if enough.any() else int(grid[-1])
    sim_years = np.concatenate([grid[grid > start], future_years]).astype(int)
    xq = sim_years.astype(float)
    n_future = future_years.size
    count_rows = np.flatnonzero(enough & use_counts)
    # float32 keeps 7 digits, far beyond any reported figure; counts need float64 so that
    # a simulated k / n x unit equals the same ratio computed from the data, to the last bit
    paths = np.full((n_series, n_draws, n_future), np.nan,
                    dtype=np.float64 if count_rows.size else np.float32)
    tail: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}

    def store(rows: np.ndarray, years_ahead: np.ndarray, draws: np.ndarray) -> None:
        """Future years into ``paths``; missing history years into the sparse ``tail``."""
        n_tail = years_ahead.size - n_future
        if n_future:
            paths[rows] = draws[:, :, n_tail:]
        for j in range(n_tail):
            tail.setdefault(int(years_ahead[j]), []).append((rows, draws[:, :, j]))

    data_decimals = reporting_decimals(vals)  # the data's precision, whatever ``decimals`` says
    if decimals == "auto":
        detected = data_decimals
    elif decimals is None:
        detected = np.full(n_series, -1)
    else:
        detected = np.full(n_series, int(decimals))
    decimals_ = np.where(use_counts, -1, detected)
    family = count_scale if count_scale in COUNT_SCALES else "poisson"
    names = (*models, f"{family}_trend", f"{family}_constant")
    weights = np.zeros((n_series, len(names)))
    scale = np.full(n_series, value_scale, dtype=object)
    scale[use_counts] = count_scale
    method = np.full(n_series, "", dtype=object)
    samplers: list[Any] = []

    tasks: list[Any] = []

    def value_block(rows: np.ndarray, group_year: int, ahead: np.ndarray, first: int) -> None:
        z, used = to_model_scale(vals[rows, first:], value_scale)
        scale[rows] = used
        xs = x[first:]
        # a series reported the same every year: its noise is what the rounding hides, not 0
        hidden = flat_series_noise(vals[rows, first:], data_decimals[rows], value_scale, used)
        fits = [fit_trend(z, xs, kind, precision=hidden) for kind in models]
        valid = np.stack([f.valid for f in fits], axis=1)
        scores, n_scored = lfo_scores(z, xs, models, fits_whole=valid, precision=hidden)
        w = pseudo_bma_weights(scores, n_scored, valid, prior)
        weights[rows, :len(models)] = w
        method[rows] = method_labels(w, models)
        streams = SeriesStreams(keys[rows], n_draws, (seed, 1, int(group_year)))
        z_sim, state = simulate_trend(fits, w, xq[ahead], streams, infl)
        store(rows, sim_years[ahead],
              floor_at_zero(from_model_scale(z_sim, used, inplace=True), unit, signed))
        samplers.append(("trend", rows, fits, state, used))

    value_rows = np.flatnonzero(enough & ~use_counts)
    for group_year in np.unique(last_year[value_rows]):
        group = value_rows[last_year[value_rows] == group_year]
        ahead = sim_years > group_year
        for first, same_start in _by_first_column(group, first_col):
            for rows in _blocks(same_start, n_draws, int(ahead.sum())):
                tasks.append((value_block, rows, int(group_year), ahead, first))

    fut_denoms = None
    if count_rows.size:
        assert k_all is not None and n_all is not None
        fut_denoms = np.full((n_series, n_future), np.nan)
        if future_denominators is not None:
            fut_n = _as_2d("future_denominators", future_denominators, (n_series, n_future))

    def count_block(rows: np.ndarray, group_year: int, ahead: np.ndarray, first: int) -> None:
        assert k_all is not None and n_all is not None and fut_denoms is not None
        years_ahead = sim_years[ahead]
        n_tail = years_ahead.size - n_future
        k, n, xs, own_grid = k_all[rows, first:], n_all[rows, first:], x[first:], grid[first:]
        cfits = [fit_counts(k, n, xs, family, trend=t, min_obs=min_obs) for t in (True, False)]
        cfits = [dataclasses.replace(f, phi=f.phi * infl**2, cov=f.cov * infl**2) for f in cfits]
        # the trend model (slope prior included) nests "no trend": used whenever the
        # events can carry a slope; the constant Jeffreys model otherwise
        w = np.stack([cfits[0].valid, ~cfits[0].valid & cfits[1].valid], axis=1).astype(float)
        weights[rows, len(models):] = w
        method[rows] = method_labels(w, names[len(models):])
        streams = SeriesStreams(keys[rows], n_draws, (seed, 2, int(group_year)))
        model = (streams.uniforms(_MODEL_PICK) > w[:, :1]).astype(np.int8)
        theta = draw_link(cfits, model, streams)
        phi_draw = np.where(model == 0, cfits[0].phi[:, None], cfits[1].phi[:, None])
        # every year ahead is unobserved: its denominator too is a draw (a log random walk
        # from the last observed one), except future denominators the caller gives
        denom = np.repeat(_nearest_denominators(n, own_grid, np.array([group_year])),
                          years_ahead.size, axis=1)
        given = np.zeros(denom.shape, dtype=bool)
        if future_denominators is not None:
            given[:, n_tail:] = np.isfinite(fut_n[rows])
            for j in range(n_tail, denom.shape[1]):  # a given year re-centres the later ones
                carried = denom[:, j - 1] if j else denom[:, j]
                denom[:, j] = np.where(given[:, j], fut_n[rows][:, j - n_tail], carried)
        fut_denoms[rows] = denom[:, n_tail:]
        denom = draw_future_denominators(denom, denominator_step_sd(n, xs), streams, fixed=given)
        counts = draw_counts(theta, cfits[0].xbar, phi_draw, years_ahead.astype(float), denom,
                             family, streams)
        whole = np.round(denom)
        for j in range(counts.shape[2]):  # in place, year by year: the same k / n x unit
            counts[:, :, j] /= whole[:, :, j]
        counts *= mult
        store(rows, years_ahead, counts)
        samplers.append(("counts", rows, (cfits[0].xbar, theta, phi_draw, n, own_grid), None,
                         None))

    for group_year in np.unique(last_year[count_rows]):
        group = count_rows[last_year[count_rows] == group_year]
        ahead = sim_years > group_year
        for first, same_start in _by_first_column(group, first_col):
            for rows in _blocks(same_start, n_draws, int(ahead.sum())):
                tasks.append((count_block, rows, int(group_year), ahead, first))

    workers = min(_default_jobs() if n_jobs is None else max(1, int(n_jobs)), len(tasks))
    if workers > 1:  # numpy releases the GIL in its loops: blocks run in parallel threads
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done in [pool.submit(*task) for task in tasks]:
                done.result()
    else:
        for task in tasks:
            task[0](*task[1:])

    def sampler(year: int) -> np.ndarray:
        out = np.full((n_series, n_draws), np.nan)
        for kind, rows, fitted, state, used in samplers:
            streams = SeriesStreams(keys[rows], n_draws, (seed, 3, int(year), kind == "counts"))
            if kind == "trend":
                z = draw_trend_at(fitted, state, float(year), streams)
                out[rows] = floor_at_zero(from_model_scale(z, used), unit, signed)
            else:
                xbar, theta, phi, n, own_grid = fitted
                denom = _nearest_denominators(n, own_grid, np.array([year]))
                counts = draw_counts(theta, xbar, phi, np.array([float(year)]), denom, family,
                                     streams)
                out[rows] = counts[:, :, 0] / np.round(denom) * mult
        return out

    simulated_history = {
        year: (np.concatenate([r for r, _ in parts]), np.concatenate([d for _, d in parts]))
        for year, parts in tail.items()
    }
    return Projection(
        history_years=grid,
        history=vals,
        future_years=future_years,
        paths=paths,
        method=method,
        scale=scale,
        reason=reason,
        reason_zh=reason_zh,
        n_obs=n_obs,
        unit=unit,
        bounded=bounded,
        signed=signed,
        target_year=target_year,
        seed=seed,
        inflation=infl,
        model_names=names,
        model_weights=weights,
        denominators=fut_denoms,
        simulated_history=simulated_history,
        decimals=decimals_,
        sampler=sampler,
        implied_counts=implied,
    )
