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
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from hbkit._options import count_at_least, whole_number
from hbkit.exceptions import HbkitError
from hbkit.models._random import SeriesStreams, series_keys
from hbkit.models.averaging import method_labels, pseudo_bma_weights, unscored_prior
from hbkit.models.calibration import resolve_inflation
from hbkit.models.counts import (
    CountFit,
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
    TrendFit,
    draw_trend_at,
    fit_trend,
    lfo_scores,
    simulate_trend,
)
from hbkit.projection import Projection

#: observations a series needs before hbkit projects it
MIN_OBS = 3
#: the most decimals simulated values can be reported with (a float64 holds about 15 digits)
MAX_DECIMALS = 15
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
        raise HbkitError(f"{name} 须为二维数组（序列 × 年份）；收到形状 {out.shape} / {name} must be "
                         f"a 2-D array (series x years); received shape {out.shape}")
    if shape is not None and out.shape != shape:
        raise HbkitError(f"{name} 的形状须与 values 相同，为 {shape}；收到 {out.shape} / {name} must "
                         f"have shape {shape} like values; received {out.shape}")
    return out


def _check_years(years: Any, n_columns: int) -> np.ndarray:
    out = np.asarray(years)
    if out.ndim != 1 or out.size != n_columns:
        raise HbkitError(f"years 须为一维，每列一个年份（共 {n_columns} 个）；收到形状 {out.shape} / "
                         f"years must be 1-D with one year per column ({n_columns}); "
                         f"received shape {out.shape}")
    if not np.all(np.asarray(out, dtype=float) == np.round(np.asarray(out, dtype=float))):
        raise HbkitError(f"years 须为整数年份；收到 {out.tolist()} / years must be whole numbers; "
                         f"received {out.tolist()}")
    out = out.astype(int)
    if np.any(np.diff(out) <= 0):
        raise HbkitError(f"years 须严格递增；收到 {out.tolist()} / years must be strictly increasing; "
                         f"received {out.tolist()}")
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


def _check_call(grid: np.ndarray, target_year: int, n_draws: Any, models: tuple[str, ...],
                unit: str, bounded: bool | None, signed: bool) -> tuple[int, int, bool, bool]:
    """Check the target year, draws and models; resolve ``bounded`` and ``signed``.

    Returns the target year and the number of draws as ints (``n_draws`` read as
    :func:`~hbkit._options.count_at_least` reads it) and the call's ``bounded``
    and ``signed`` (``bounded`` defaults to ``unit == "percent"`` unless the series
    is signed); raises :class:`~hbkit.exceptions.HbkitError` on the first argument
    that is wrong.

    >>> _check_call(np.arange(2016, 2021), 2025, "100", ("level",), "percent", None, False)
    (2025, 100, True, False)
    >>> _check_call(np.arange(2016, 2021), 2025, 100, ("level",), "percent", None, True)
    (2025, 100, False, True)
    >>> _check_call(np.arange(2016, 2021), 2025, 0, ("level",), "percent", None, False)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitValueError: n_draws 须不少于 1；收到 0 / n_draws must be at least 1; received 0
    """
    target_year = int(target_year)
    if target_year < grid[0]:
        raise HbkitError(f"target_year（目标年份）不得早于第一个年份 {grid[0]}；收到 {target_year} / "
                         f"target_year {target_year} is before the first year {grid[0]}")
    n_draws = count_at_least("n_draws", n_draws, 1)
    unknown = [m for m in models if m not in TREND_KINDS]
    if unknown or not models:
        raise HbkitError(f"models 须从 {TREND_KINDS} 中选取，至少一个；收到 {models!r} / models must "
                         f"be chosen from {TREND_KINDS}; received {models!r}")
    signed = bool(signed)
    bounded = (unit == "percent" and not signed) if bounded is None else bool(bounded)
    if signed and bounded:
        raise HbkitError("有符号（可为负数）的指标不能以100为上限 / a signed series (values may "
                         "be negative) cannot be bounded at 100: give signed or bounded, not both")
    return target_year, n_draws, bounded, signed


def _model_prior(models: tuple[str, ...], unscored_weights: Mapping[str, float] | None
                 ) -> np.ndarray:
    """Prior weights of ``models`` for a series too short to score any point out of sample.

    >>> _model_prior(("rw_drift", "level"), {"level": 0.5}).tolist()
    [1.0, 0.5]
    """
    if set(unscored_weights or ()) - set(TREND_KINDS):
        raise HbkitError(f"unscored_weights（无法评分时的先验权重）只能给出 {TREND_KINDS} 中的模型；"
                         f"收到 {dict(unscored_weights or {})!r} / unscored weights must name "
                         f"models of {TREND_KINDS}; received {dict(unscored_weights or {})!r}")
    return unscored_prior(tuple(models), unscored_weights)  # an HbkitError on a weight < 0


def _count_data(vals: np.ndarray, numerators: Any, denominators: Any, count_scale: str,
                min_obs: int
                ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray, np.ndarray]:
    """Numerators and denominators (N, T) as given, the cells with both, and the count series.

    The counts are read only when both arrays are given and the unit has a
    count model (``count_scale`` is binomial or Poisson); a series is a count
    series when it has at least ``min_obs`` years with a numerator and a
    positive denominator. Otherwise the arrays are ``None`` and no cell or series counts.

    >>> k, n, counted, use = _count_data(np.ones((1, 3)), [[1, 2, 3]], [[9, 9, 0]], "poisson", 2)
    >>> counted.tolist(), use.tolist()
    ([[True, True, False]], [True])
    """
    if numerators is None or denominators is None or count_scale not in COUNT_SCALES:
        return None, None, np.zeros_like(vals, dtype=bool), np.zeros(vals.shape[0], dtype=bool)
    k_all = _as_2d("numerators", numerators, vals.shape)
    n_all = _as_2d("denominators", denominators, vals.shape)
    counted = np.isfinite(k_all) & np.isfinite(n_all) & (n_all > 0)
    return k_all, n_all, counted, counted.sum(axis=1) >= min_obs


def _keys(vals: np.ndarray, grid: np.ndarray, k_all: np.ndarray | None,
          n_all: np.ndarray | None, labels: Sequence[Any] | None) -> np.ndarray:
    """Each series' own key (N,): its draws never depend on the other series of the call.

    Keyed by its label when ``labels`` are given (one per series), else by its
    observations (:func:`hbkit.models._random.series_keys`).
    """
    if labels is not None and len(labels) != vals.shape[0]:
        raise HbkitError(f"labels 须为每个序列各给一个标签（共 {vals.shape[0]} 个）；收到 "
                         f"{len(labels)} 个 / labels must name every series ({vals.shape[0]}); "
                         f"received {len(labels)}")
    return series_keys(vals, grid, k_all, n_all, labels=labels)


def _with_implied_counts(vals: np.ndarray, k_all: np.ndarray | None, n_all: np.ndarray | None,
                         counted: np.ndarray, use_counts: np.ndarray, mult: float, min_obs: int
                         ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray]:
    """Add the counts implied by value-only rate series; which series now use them (N,).

    The series read so (:func:`_add_implied_counts`) are marked in ``counted``
    and ``use_counts``, updated in place, when they have ``min_obs`` years of
    implied counts; the numerators and denominators are returned with their
    rows filled in.
    """
    implied = np.zeros(vals.shape[0], dtype=bool)
    k_all, n_all = _add_implied_counts(vals, k_all, n_all, counted, mult, implied)
    if implied.any():
        assert k_all is not None
        counted[implied] = np.isfinite(k_all[implied])
    use_counts |= implied & (counted.sum(axis=1) >= min_obs)
    implied &= use_counts
    return k_all, n_all, implied


def _short_series_reasons(n_obs: np.ndarray, min_obs: int) -> tuple[np.ndarray, np.ndarray]:
    """The reason (English, Chinese) of each series with fewer than ``min_obs`` observations.

    >>> en, zh = _short_series_reasons(np.array([5, 1]), 3)
    >>> en.tolist(), zh.tolist()
    ([None, '1 observation, 3 needed'], [None, '仅有1个观测值，至少需要3个'])
    """
    reason = np.array([None] * n_obs.size, dtype=object)
    reason_zh = np.array([None] * n_obs.size, dtype=object)
    for i in np.flatnonzero(n_obs < min_obs):
        noun = "observation" if n_obs[i] == 1 else "observations"
        reason[i] = f"{n_obs[i]} {noun}, {min_obs} needed"
        reason_zh[i] = f"仅有{n_obs[i]}个观测值，至少需要{min_obs}个"
    return reason, reason_zh


def _simulated_years(grid: np.ndarray, last_year: np.ndarray, enough: np.ndarray,
                     future_years: np.ndarray) -> np.ndarray:
    """Years simulated in the call: from the earliest last observed year of a projected
    series (the later history years of others are simulated too), through the future ones.

    >>> _simulated_years(np.arange(2016, 2021), np.array([2020, 2018]), np.array([True, True]),
    ...                  np.array([2021, 2022])).tolist()
    [2019, 2020, 2021, 2022]
    """
    start = int(last_year[enough].min()) if enough.any() else int(grid[-1])
    return np.concatenate([grid[grid > start], future_years]).astype(int)


def _reporting_precision(vals: np.ndarray, decimals: int | str | None,
                         use_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Decimals of the data (N,), and the decimals simulated values are reported with (N,).

    The second follows ``decimals`` (``"auto"``: the data's, ``None``: -1, none);
    count series are always -1 (exact k / n x unit).

    >>> _reporting_precision(np.array([[1.5, 2.0], [3.0, 4.0]]), "auto",
    ...                      np.array([False, True]))
    (array([1, 0]), array([ 1, -1]))
    >>> _reporting_precision(np.array([[1.5, 2.0]]), "two", np.array([False]))
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: decimals 须为 'auto'、None 或 0 到 15 的整数；收到 'two' / decimals must be 'auto', None or a whole number from 0 to 15; received 'two'
    """
    data_decimals = reporting_decimals(vals)  # the data's precision, whatever ``decimals`` says
    if isinstance(decimals, str) and decimals == "auto":
        detected = data_decimals
    elif decimals is None:
        detected = np.full(vals.shape[0], -1)
    else:
        bad = HbkitError(f"decimals 须为 'auto'、None 或 0 到 {MAX_DECIMALS} 的整数；收到 "
                         f"{decimals!r} / decimals must be 'auto', None or a whole number "
                         f"from 0 to {MAX_DECIMALS}; received {decimals!r}")
        try:
            places = whole_number("decimals", decimals)
        except HbkitError:
            raise bad from None
        if not 0 <= places <= MAX_DECIMALS:
            raise bad
        detected = np.full(vals.shape[0], places)
    return data_decimals, np.where(use_counts, -1, detected)


#: one block of series to simulate: (block method, rows, last observed year, years ahead
#: of it among the simulated years, first column of the rows' data)
_Task = tuple[Callable[[np.ndarray, int, np.ndarray, int], None], np.ndarray, int, np.ndarray, int]


def _block_tasks(block: Callable[[np.ndarray, int, np.ndarray, int], None], rows: np.ndarray,
                 last_year: np.ndarray, first_col: np.ndarray, sim_years: np.ndarray,
                 n_draws: int) -> list[_Task]:
    """The blocks of ``rows`` that ``block`` simulates: series that share their last
    observed year (they simulate the same years) and their first column, in blocks of
    bounded size (:data:`BLOCK_CELLS`)."""
    tasks: list[_Task] = []
    for group_year in np.unique(last_year[rows]):
        group = rows[last_year[rows] == group_year]
        ahead = sim_years > group_year
        for first, same_start in _by_first_column(group, first_col):
            for block_rows in _blocks(same_start, n_draws, int(ahead.sum())):
                tasks.append((block, block_rows, int(group_year), ahead, first))
    return tasks


def _run_tasks(tasks: list[_Task], n_jobs: int | None) -> None:
    """Run the blocks, in ``n_jobs`` threads (default :func:`_default_jobs`) when there are
    several; each block writes its own rows, so the result does not depend on the order."""
    workers = min(_default_jobs() if n_jobs is None else max(1, int(n_jobs)), len(tasks))
    if workers > 1:  # numpy releases the GIL in its loops: blocks run in parallel threads
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done in [pool.submit(block, rows, year, ahead, first)
                         for block, rows, year, ahead, first in tasks]:
                done.result()
    else:
        for block, rows, year, ahead, first in tasks:
            block(rows, year, ahead, first)


def _fit_count_models(k: np.ndarray, n: np.ndarray, xs: np.ndarray, family: str,
                      min_obs: int, infl: float) -> list[CountFit]:
    """The count models ``[trend, constant]`` of rows with events ``k`` in exposure ``n``,
    their dispersion and covariance widened by the spread inflation ``infl`` (squared)."""
    cfits = [fit_counts(k, n, xs, family, trend=t, min_obs=min_obs) for t in (True, False)]
    return [dataclasses.replace(f, phi=f.phi * infl**2, cov=f.cov * infl**2) for f in cfits]


def _count_model_weights(cfits: list[CountFit]) -> np.ndarray:
    """Weights (R, 2) of the count models: the trend model (its slope prior included)
    nests "no trend", so it is used whenever the events can carry a slope, the constant
    Jeffreys model otherwise (0 for both when neither can be fitted)."""
    return np.stack([cfits[0].valid, ~cfits[0].valid & cfits[1].valid], axis=1).astype(float)


def _denominators_ahead(n: np.ndarray, own_grid: np.ndarray, group_year: int, n_ahead: int,
                        n_tail: int, given: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Starting denominators (R, A) of the ``n_ahead`` years simulated, and which are fixed.

    Every year ahead is unobserved: its denominator too is a draw (a log random
    walk from the last observed one, :func:`hbkit.models.counts.draw_future_denominators`),
    except the future ones the caller gives (``given``, (R, H), NaN: not given;
    the last ``H`` of the years ahead, after ``n_tail`` history years). A given
    year re-centres the later ones.
    """
    denom = np.repeat(_nearest_denominators(n, own_grid, np.array([group_year])), n_ahead, axis=1)
    fixed = np.zeros(denom.shape, dtype=bool)
    if given is not None:
        fixed[:, n_tail:] = np.isfinite(given)
        for j in range(n_tail, denom.shape[1]):
            carried = denom[:, j - 1] if j else denom[:, j]
            denom[:, j] = np.where(fixed[:, j], given[:, j - n_tail], carried)
    return denom, fixed


def _counts_to_rates(counts: np.ndarray, denom: np.ndarray, mult: float) -> np.ndarray:
    """Simulated counts (R, S, A) divided in place by their whole denominators, times ``mult``.

    Year by year, in place: the same k / n x unit as the ratio computed from the
    data, to the last bit.
    """
    whole = np.round(denom)
    for j in range(counts.shape[2]):
        counts[:, :, j] /= whole[:, :, j]
    counts *= mult
    return counts


@dataclasses.dataclass(frozen=True, eq=False)
class _TrendDraws:
    """The fitted trend models of a block of value series, to draw any other year from."""

    rows: np.ndarray
    fits: list[TrendFit]
    state: dict[str, np.ndarray]
    used: np.ndarray
    unit: str
    signed: bool
    counts = False

    def at(self, year: int, streams: SeriesStreams) -> np.ndarray:
        """Draws (R, S) of the reported value in ``year``."""
        z = draw_trend_at(self.fits, self.state, float(year), streams)
        return floor_at_zero(from_model_scale(z, self.used), self.unit, self.signed)


@dataclasses.dataclass(frozen=True, eq=False)
class _CountDraws:
    """The drawn count-model parameters of a block of count series, to draw any other year."""

    rows: np.ndarray
    xbar: np.ndarray
    theta: np.ndarray
    phi: np.ndarray
    n: np.ndarray
    own_grid: np.ndarray
    family: str
    mult: float
    counts = True

    def at(self, year: int, streams: SeriesStreams) -> np.ndarray:
        """Draws (R, S) of the rate in ``year``, on the nearest observed denominator."""
        denom = _nearest_denominators(self.n, self.own_grid, np.array([year]))
        counts = draw_counts(self.theta, self.xbar, self.phi, np.array([float(year)]), denom,
                             self.family, streams)
        return counts[:, :, 0] / np.round(denom) * self.mult


@dataclasses.dataclass(frozen=True, eq=False)
class _YearSampler:
    """Draws (N, S) of any year from the models of a call (the ``sampler`` of its
    :class:`~hbkit.projection.Projection`), for history years neither observed nor simulated."""

    parts: list[_TrendDraws | _CountDraws]
    keys: np.ndarray
    n_series: int
    n_draws: int
    seed: int

    def __call__(self, year: int) -> np.ndarray:
        out = np.full((self.n_series, self.n_draws), np.nan)
        for part in self.parts:
            streams = SeriesStreams(self.keys[part.rows], self.n_draws,
                                    (self.seed, 3, int(year), part.counts))
            out[part.rows] = part.at(year, streams)
        return out


@dataclasses.dataclass(eq=False)
class _Run:
    """What the blocks of one :func:`project` call read, and the arrays they fill.

    Each block fills its own rows of ``paths``, ``weights``, ``method``,
    ``scale`` and ``denominators``, adds its simulated history years to
    ``tail`` and its fitted models to ``parts`` (for :class:`_YearSampler`).
    """

    # the call's data and settings
    vals: np.ndarray
    grid: np.ndarray
    x: np.ndarray
    k_all: np.ndarray | None
    n_all: np.ndarray | None
    given_denominators: np.ndarray | None
    keys: np.ndarray
    sim_years: np.ndarray
    xq: np.ndarray
    n_future: int
    n_draws: int
    seed: int
    unit: str
    signed: bool
    mult: float
    infl: float
    min_obs: int
    models: tuple[str, ...]
    prior: np.ndarray
    value_scale: str
    data_decimals: np.ndarray
    family: str
    names: tuple[str, ...]
    # filled by the blocks
    paths: np.ndarray
    weights: np.ndarray
    method: np.ndarray
    scale: np.ndarray
    denominators: np.ndarray | None
    tail: dict[int, list[tuple[np.ndarray, np.ndarray]]] = dataclasses.field(default_factory=dict)
    parts: list[_TrendDraws | _CountDraws] = dataclasses.field(default_factory=list)

    def store(self, rows: np.ndarray, years_ahead: np.ndarray, draws: np.ndarray) -> None:
        """Future years into ``paths``; missing history years into the sparse ``tail``."""
        n_tail = years_ahead.size - self.n_future
        if self.n_future:
            self.paths[rows] = draws[:, :, n_tail:]
        for j in range(n_tail):
            self.tail.setdefault(int(years_ahead[j]), []).append((rows, draws[:, :, j]))

    def simulated_history(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """The simulated history years: year -> (rows, draws (R, S)), rows in ascending order
        (the blocks may finish in any order when run in threads)."""
        out = {}
        for year in sorted(self.tail):
            rows = np.concatenate([r for r, _ in self.tail[year]])
            draws = np.concatenate([d for _, d in self.tail[year]])
            order = np.argsort(rows, kind="stable")
            out[year] = (rows[order], draws[order])
        return out

    def value_block(self, rows: np.ndarray, group_year: int, ahead: np.ndarray,
                    first: int) -> None:
        """Fit the trend models to value series ``rows`` from column ``first``, weigh them
        by their out-of-sample scores and simulate the years after ``group_year``."""
        z, used = to_model_scale(self.vals[rows, first:], self.value_scale)
        self.scale[rows] = used
        xs = self.x[first:]
        # a series reported the same every year: its noise is what the rounding hides, not 0
        hidden = flat_series_noise(self.vals[rows, first:], self.data_decimals[rows],
                                   self.value_scale, used)
        fits = [fit_trend(z, xs, kind, precision=hidden) for kind in self.models]
        valid = np.stack([f.valid for f in fits], axis=1)
        scores, n_scored = lfo_scores(z, xs, self.models, fits_whole=valid, precision=hidden)
        w = pseudo_bma_weights(scores, n_scored, valid, self.prior)
        self.weights[rows, :len(self.models)] = w
        self.method[rows] = method_labels(w, self.models)
        streams = SeriesStreams(self.keys[rows], self.n_draws, (self.seed, 1, int(group_year)))
        z_sim, state = simulate_trend(fits, w, self.xq[ahead], streams, self.infl)
        self.store(rows, self.sim_years[ahead], floor_at_zero(
            from_model_scale(z_sim, used, inplace=True), self.unit, self.signed))
        self.parts.append(_TrendDraws(rows, fits, state, used, self.unit, self.signed))

    def count_block(self, rows: np.ndarray, group_year: int, ahead: np.ndarray,
                    first: int) -> None:
        """Fit the count models to count series ``rows`` from column ``first`` and simulate
        their events, and denominators, in the years after ``group_year``."""
        assert self.k_all is not None and self.n_all is not None
        assert self.denominators is not None
        years_ahead = self.sim_years[ahead]
        n_tail = years_ahead.size - self.n_future
        k, n = self.k_all[rows, first:], self.n_all[rows, first:]
        xs, own_grid = self.x[first:], self.grid[first:]
        cfits = _fit_count_models(k, n, xs, self.family, self.min_obs, self.infl)
        w = _count_model_weights(cfits)
        self.weights[rows, len(self.models):] = w
        self.method[rows] = method_labels(w, self.names[len(self.models):])
        streams = SeriesStreams(self.keys[rows], self.n_draws, (self.seed, 2, int(group_year)))
        model = (streams.uniforms(_MODEL_PICK) > w[:, :1]).astype(np.int8)
        theta = draw_link(cfits, model, streams)
        phi_draw = np.where(model == 0, cfits[0].phi[:, None], cfits[1].phi[:, None])
        given = None if self.given_denominators is None else self.given_denominators[rows]
        denom, fixed = _denominators_ahead(n, own_grid, group_year, years_ahead.size, n_tail,
                                           given)
        self.denominators[rows] = denom[:, n_tail:]
        denom = draw_future_denominators(denom, denominator_step_sd(n, xs), streams, fixed=fixed)
        counts = draw_counts(theta, cfits[0].xbar, phi_draw, years_ahead.astype(float), denom,
                             self.family, streams)
        self.store(rows, years_ahead, _counts_to_rates(counts, denom, self.mult))
        self.parts.append(_CountDraws(rows, cfits[0].xbar, theta, phi_draw, n, own_grid,
                                      self.family, self.mult))


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
    # the call: its years, settings and models
    vals = _as_2d("values", values)
    n_series = vals.shape[0]
    grid = _check_years(years, vals.shape[1])
    target_year, n_draws, bounded, signed = _check_call(grid, target_year, n_draws, models,
                                                        unit, bounded, signed)
    infl = resolve_inflation(inflation)
    prior = _model_prior(models, unscored_weights)
    future_years = np.arange(grid[-1] + 1, target_year + 1, dtype=int)
    mult = unit_multiplier(unit)

    # which series are counts (given, or implied by a rate with years at 0), which values
    count_scale = choose_scale(unit, bounded, True, signed)
    value_scale = choose_scale(unit, bounded, False, signed)
    k_all, n_all, counted, use_counts = _count_data(vals, numerators, denominators, count_scale,
                                                    min_obs)
    keys = _keys(vals, grid, k_all, n_all, labels)
    implied = np.zeros(n_series, dtype=bool)
    if implied_from_rates and count_scale == "poisson" and unit in RATE_UNITS:
        k_all, n_all, implied = _with_implied_counts(vals, k_all, n_all, counted, use_counts,
                                                     mult, min_obs)
    n_obs = np.where(use_counts, counted.sum(axis=1), np.isfinite(vals).sum(axis=1)).astype(int)
    enough = n_obs >= min_obs
    reason, reason_zh = _short_series_reasons(n_obs, min_obs)

    # the years simulated: each series from its last observation (missing history years
    # of series observed earlier than others are simulated too), fitted from its first
    observed = np.where(use_counts[:, None], counted, np.isfinite(vals))
    first_col = first_data_column(vals, k_all, n_all)
    last_year = _last_observed_year(observed, grid)
    sim_years = _simulated_years(grid, last_year, enough, future_years)
    value_rows = np.flatnonzero(enough & ~use_counts)
    count_rows = np.flatnonzero(enough & use_counts)
    data_decimals, decimals_ = _reporting_precision(vals, decimals, use_counts)
    family = count_scale if count_scale in COUNT_SCALES else "poisson"
    names = (*models, f"{family}_trend", f"{family}_constant")
    scale = np.full(n_series, value_scale, dtype=object)
    scale[use_counts] = count_scale
    # the future denominators the caller gives, read only when there are count series
    given = (_as_2d("future_denominators", future_denominators, (n_series, future_years.size))
             if count_rows.size and future_denominators is not None else None)

    # simulate, block by block (see _Run.value_block and _Run.count_block)
    run = _Run(
        vals=vals, grid=grid, x=grid.astype(float), k_all=k_all, n_all=n_all,
        given_denominators=given, keys=keys, sim_years=sim_years, xq=sim_years.astype(float),
        n_future=future_years.size, n_draws=n_draws, seed=seed,
        unit=unit, signed=signed, mult=mult, infl=infl, min_obs=min_obs, models=models,
        prior=prior, value_scale=value_scale, data_decimals=data_decimals, family=family,
        names=names,
        # float32 keeps 7 digits, far beyond any reported figure; counts need float64 so that
        # a simulated k / n x unit equals the same ratio computed from the data, to the last bit
        paths=np.full((n_series, n_draws, future_years.size), np.nan,
                      dtype=np.float64 if count_rows.size else np.float32),
        weights=np.zeros((n_series, len(names))), method=np.full(n_series, "", dtype=object),
        scale=scale,
        denominators=np.full((n_series, future_years.size), np.nan) if count_rows.size else None,
    )
    _run_tasks(_block_tasks(run.value_block, value_rows, last_year, first_col, sim_years, n_draws)
               + _block_tasks(run.count_block, count_rows, last_year, first_col, sim_years,
                              n_draws), n_jobs)

    return Projection(
        history_years=grid,
        history=vals,
        future_years=future_years,
        paths=run.paths,
        method=run.method,
        scale=run.scale,
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
        model_weights=run.weights,
        denominators=run.denominators,
        simulated_history=run.simulated_history(),
        decimals=decimals_,
        sampler=_YearSampler(run.parts, keys, n_series, n_draws, seed),
        implied_counts=implied,
    )
