"""From a target to an event, and from a projection to the probability of that event.

One function, :func:`evaluate_event`, says whether a target's event holds on
full trajectories (observed outcomes or simulated paths): the same code judges
the final evaluation, the backtest truth and every simulated path, so a
probability is exactly the share of joint paths on which the event holds
(:func:`probability`), never a product of marginal probabilities.

Event rules (``T`` the target year, ``B`` the baseline year, ``X`` the
threshold, ``d`` the desired direction; ``<=``/``>=`` become ``<``/``>`` when
the target is ``strict``):

==================  ==========================================================
kind                event
==================  ==========================================================
upper_bound         Y(T) <= X
lower_bound         Y(T) >= X   (also ``count_minimum``)
level               a bound in the desired direction: Y(T) >= X when d is
                    increase, Y(T) <= X when d is decrease
maintain            every year of the window [from_year, T] meets X in d
annual_change       every year t of the window changes by at least X in d:
                    Y(t) - Y(t-1) <= -X (decrease) or >= X (increase);
                    over a gap of g years, the change per year is compared
relative_change     Y(T) <= (1 - X/100) Y(B) (decrease), >= (1 + X/100) Y(B)
direction           Y(T) strictly beyond Y(B) in d (a flat value is no
                    improvement), except that a value at its bound in B
                    and in T meets it (:func:`direction_bound`: 100 for a
                    bounded percentage to increase, 0 for one to decrease
                    and for a rate or count to decrease): 巩固提高 cannot
                    go beyond 100%, 0 deaths cannot go lower
trend_slowdown      the OLS slope of the years B..T is strictly below (d
                    decrease) / above (d increase) the slope of the years up
                    to B: the bad trend has slowed
relational          Y(T) meets the reference indicator's value R(T) in d
qualitative         never scored (NaN)
==================  ==========================================================

The window of ``maintain`` and ``annual_change`` starts at ``from_year``
(default ``baseline_year + 1``, or the target year when there is no baseline);
:func:`probability` uses the remaining years after the last history year by
default. Years without a value are skipped: the event fails as soon as one
available year fails, and is NaN when the last year judged has no value.

Ties: values within ``1e-9 x max(1, |X|)`` of the threshold count as equal to
it (17 / 200,000 x 100,000 is 8.500000000000002 in floating point), so ``<=``
holds and ``<`` fails there. For count series, reported values are
k / n x unit, and ``P(rate <= X)`` is exactly ``P(k <= floor(X n / unit))``.

Examples
--------
>>> import numpy as np
>>> from hbkit.catalogue.models import Target
>>> t = Target(id="m", indicator="mmr", kind="upper_bound", threshold=8.5, unit="per_100k")
>>> evaluate_event(t, [2024, 2025], np.array([[9.0, 8.5], [9.0, 8.6]])).tolist()
[1.0, 0.0]
>>> rule_text(t)[1]
'value in 2025 <= 8.5 per 100,000'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from hbkit._typing import UNIT_EN, UNIT_ZH

if TYPE_CHECKING:
    from hbkit.catalogue.models import Target
    from hbkit.projection import Projection

#: (series x draws x years) cells evaluated at once by :func:`probability`
_BLOCK_CELLS = 4_000_000
#: relative tolerance below which a value counts as equal to its threshold
TIE_TOLERANCE = 1e-9



def compare(
    values: Any, threshold: Any, direction: str, strict: bool = False
) -> np.ndarray:
    """Whether ``values`` meet ``threshold`` in ``direction`` (1.0 / 0.0 / NaN).

    ``direction="decrease"`` means values at or below the threshold meet it
    (below it when ``strict``); ``"increase"`` the reverse. Arrays broadcast.
    A non-strict test and the strict test of the other direction are exact
    complements.

    Examples
    --------
    >>> compare([95.0, 94.9, np.nan], 95, "increase").tolist()
    [1.0, 0.0, nan]
    >>> compare([95.0, 94.9], 95, "increase", strict=True).tolist()
    [0.0, 0.0]
    """
    v = np.asarray(values, dtype=float)
    thr = np.asarray(threshold, dtype=float)
    tol = TIE_TOLERANCE * np.maximum(1.0, np.abs(thr))
    if direction == "decrease":
        hit = v < thr - tol if strict else v <= thr + tol
    elif direction == "increase":
        hit = v > thr + tol if strict else v >= thr - tol
    else:
        raise ValueError(f"direction must be 'increase' or 'decrease'; received {direction!r}")
    out = hit.astype(float)
    unknown = np.isnan(v) if thr.ndim == 0 and not np.isnan(thr) else np.isnan(v) | np.isnan(thr)
    if unknown.shape != out.shape:
        unknown = np.broadcast_to(unknown, out.shape)
    if unknown.any():
        out[unknown] = np.nan
    return out


def _column(years: np.ndarray, values: np.ndarray, year: int | None) -> np.ndarray:
    where = np.flatnonzero(years == year) if year is not None else np.array([], dtype=int)
    if where.size == 0:
        return np.full(values.shape[:-1], np.nan)
    return np.asarray(values[..., where[0]], dtype=float)  # a view: callers only read it


def _every_year(results: np.ndarray, last_known: np.ndarray) -> np.ndarray:
    """Combine per-year results (..., W): 0 if any year fails, NaN if the last is unknown, else 1."""
    failed = (results == 0).any(axis=-1)
    out = np.where(failed, 0.0, np.where(np.isnan(last_known), np.nan, 1.0))
    none = np.isnan(results).all(axis=-1)
    return np.where(none, np.nan, out)


def _ols_slope(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares slope of ``y`` (..., K) on ``x`` (K,), ignoring NaN; NaN under 2 points."""
    ok = np.isfinite(y)
    if ok.all():  # simulated paths: one matrix product
        if x.size < 2:
            return np.full(y.shape[:-1], np.nan)
        dx = x - x.mean()
        return y @ (dx / (dx @ dx))
    n = ok.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        xbar = np.where(ok, x, 0.0).sum(axis=-1) / n
        ybar = np.where(ok, y, 0.0).sum(axis=-1) / n
        dx = np.where(ok, x - xbar[..., None], 0.0)
        dy = np.where(ok, y - ybar[..., None], 0.0)
        slope = (dx * dy).sum(axis=-1) / (dx * dx).sum(axis=-1)
    return np.where(n >= 2, slope, np.nan)


#: years from a plan's base year to its target year, for targets that state no base year:
#: China's development plans run five years (2021-2025 from 2020, 2026-2030 from 2025)
PLAN_SPAN = 5


def default_from_year(target: Target) -> int:
    """First year of the window of an every-year target when none is given.

    ``baseline_year + 1`` when the target has a baseline, else the first year
    of the five-year plan that ends in the target year (:data:`PLAN_SPAN`):
    保持... and 每年... hold in every year of the plan, 2026-2030 for a 2030
    target. It depends on the target alone, never on the other targets of a
    catalogue; a plan of another length states its base year.

    >>> from hbkit.catalogue.models import Target
    >>> default_from_year(Target(id="a", indicator="x", kind="maintain", threshold=95,
    ...                          unit="percent", direction="increase", baseline_year=2020))
    2021
    >>> default_from_year(Target(id="b", indicator="x", kind="maintain", threshold=95,
    ...                          unit="percent", direction="increase", target_year=2030))
    2026
    """
    if target.baseline_year is not None:
        return int(target.baseline_year) + 1
    return int(target.target_year) - PLAN_SPAN + 1


def evaluate_event(
    target: Target,
    years: Sequence[int] | np.ndarray,
    values: Any,
    *,
    from_year: int | None = None,
    through_year: int | None = None,
    reference: Any = None,
) -> np.ndarray:
    """Does the target's event hold on full trajectories? (1.0 / 0.0 / NaN)

    Parameters
    ----------
    target
        The :class:`~hbkit.catalogue.models.Target`.
    years
        (T,) calendar years of the last axis of ``values``.
    values
        (..., T) trajectories in the target's unit: observed outcomes or
        simulated paths (history + future), NaN where unknown.
    from_year
        First year of the window of ``maintain`` / ``annual_change``
        (default :func:`default_from_year`).
    through_year
        The year judged (default the target year); pass the latest year to ask
        "is the target met so far?".
    reference
        (..., T) trajectories of the reference indicator (``relational``).

    Returns
    -------
    numpy.ndarray
        Shape ``values.shape[:-1]``: 1.0 where the event holds, 0.0 where it
        fails, NaN where it cannot be judged (a needed value is missing, or
        the target is qualitative).

    Examples
    --------
    >>> import numpy as np
    >>> from hbkit.catalogue.models import Target
    >>> t = Target(id="r", indicator="x", kind="relative_change", threshold=20,
    ...            unit="per_1000", direction="decrease", baseline_year=2020)
    >>> evaluate_event(t, [2020, 2025], np.array([[10.0, 8.0], [10.0, 8.1]])).tolist()
    [1.0, 0.0]
    >>> a = Target(id="a", indicator="x", kind="annual_change", threshold=1, unit="percent",
    ...            direction="decrease", baseline_year=2020, target_year=2023)
    >>> evaluate_event(a, [2020, 2021, 2022, 2023], np.array([[30, 29, 27.5, 26.5]])).tolist()
    [1.0]
    """
    yrs = np.asarray(years, dtype=int)
    vals = np.asarray(values, dtype=float)
    if vals.shape[-1] != yrs.size:
        raise ValueError(f"values' last axis ({vals.shape[-1]}) must match years ({yrs.size})")
    kind = target.kind
    through = int(target.target_year if through_year is None else through_year)
    direction = str(target.direction)
    final = _column(yrs, vals, through)
    if kind == "qualitative":
        return np.full(vals.shape[:-1], np.nan)
    if kind == "upper_bound":
        return compare(final, target.threshold, "decrease", target.strict)
    if kind in ("lower_bound", "count_minimum"):
        return compare(final, target.threshold, "increase", target.strict)
    if kind == "level":
        return compare(final, target.threshold, direction, target.strict)
    if kind in ("maintain", "annual_change"):
        start = default_from_year(target) if from_year is None else int(from_year)
        window = (yrs >= start) & (yrs <= through)
        if kind == "maintain":
            per_year = compare(vals[..., window], target.threshold, direction, target.strict)
        else:
            per_year = _annual_changes(yrs, vals, window, target, direction)
        if per_year.shape[-1] == 0:
            return np.full(vals.shape[:-1], np.nan)
        return _every_year(per_year, final)
    if kind in ("relative_change", "direction"):
        base = _column(yrs, vals, target.baseline_year)
        limit = target_value(target, base)
        strict = True if kind == "direction" else target.strict
        met = compare(final, limit, direction, strict)
        if kind == "direction":
            met = _bound_held(met, base, final, direction_bound(target))
        return met
    if kind == "trend_slowdown":
        base_year = int(target.baseline_year)  # type: ignore[arg-type]
        before = yrs <= base_year
        after = (yrs >= base_year) & (yrs <= through)
        slope_before = _ols_slope(yrs[before].astype(float), vals[..., before])
        slope_after = _ols_slope(yrs[after].astype(float), vals[..., after])
        slope_after = np.where(np.isnan(final), np.nan, slope_after)
        return compare(slope_after, slope_before, direction, strict=True)
    if kind == "relational":
        if reference is None:
            raise ValueError("a relational target needs the reference trajectories (reference=)")
        ref = _column(yrs, np.asarray(reference, dtype=float), through)
        return compare(final, ref, direction, target.strict)
    raise ValueError(f"unknown target kind {kind!r}")


def direction_bound(target: Target) -> float:
    """The bound a ``direction`` target cannot pass, NaN if none: holding it meets the target.

    100 for a bounded percentage to increase (巩固提高: a coverage of 100%
    cannot go higher); 0 for a bounded percentage or any value that cannot be
    negative (rates, counts, :data:`~hbkit.models.scales.FLOOR_ZERO_UNITS`) to
    decrease (持续下降: 0 deaths cannot go lower).

    >>> from hbkit.catalogue.models import Target
    >>> d = Target(id="d", indicator="mmr", kind="direction", direction="decrease",
    ...            unit="per_100k", baseline_year=2020)
    >>> direction_bound(d)
    0.0
    >>> i = Target(id="i", indicator="x", kind="direction", direction="increase",
    ...            unit="per_1000", baseline_year=2020)
    >>> direction_bound(i)
    nan
    """
    from hbkit.models.scales import FLOOR_ZERO_UNITS

    if target.direction == "increase":
        return 100.0 if target.bounded else float("nan")
    if target.direction == "decrease" and (target.bounded or target.unit in FLOOR_ZERO_UNITS):
        return 0.0
    return float("nan")


def _bound_held(met: np.ndarray, base: np.ndarray, final: np.ndarray, bound: float) -> np.ndarray:
    """A value already at its bound (:func:`direction_bound`) at the baseline cannot move
    further: holding it meets a ``direction`` target (巩固提高, "consolidate and raise";
    a death rate held at 0)."""
    if np.isnan(bound):
        return met
    tol = 1e-9 * 100.0
    at_bound = np.abs(base - bound) <= tol
    if not at_bound.any():  # the usual case: no baseline at the bound, nothing to do
        return met
    held = at_bound & (np.abs(final - bound) <= tol)
    return np.where(held, 1.0, met)


def missed_years(target: Target, years: Sequence[int] | np.ndarray, values: Any
                 ) -> list[tuple[int, float]]:
    """The observed years of an every-year target's window that broke its rule.

    ``maintain`` (保持...) and ``annual_change`` (每年...) targets must meet
    their rule in every year from :func:`default_from_year` to the target
    year; this lists, for one observed series, each year that did not, with
    the number judged: the value itself (``maintain``) or the change per year
    from the previous observed year (``annual_change``). The same per-year
    rule as :func:`evaluate_event`; empty for any other kind.

    Parameters
    ----------
    target
        The target.
    years, values
        (T,) observed years and values in the target's unit, NaN where unknown.

    Returns
    -------
    list of (int, float)
        ``(year, number judged)`` of every year that broke the rule, in order.

    Examples
    --------
    >>> from hbkit.catalogue.models import Target
    >>> m = Target(id="m", indicator="x", kind="maintain", threshold=95, unit="percent",
    ...            direction="increase", baseline_year=2020)
    >>> missed_years(m, [2020, 2021, 2022, 2023], [90.0, 96.0, 94.0, 99.0])
    [(2022, 94.0)]
    >>> a = Target(id="a", indicator="x", kind="annual_change", threshold=1, unit="percent",
    ...            direction="decrease", baseline_year=2020)
    >>> missed_years(a, [2020, 2021, 2022], [60.0, 59.0, 58.5])
    [(2022, -0.5)]
    """
    if target.kind not in ("maintain", "annual_change"):
        return []
    yrs = np.asarray(years, dtype=int)
    vals = np.asarray(values, dtype=float)
    window = (yrs >= default_from_year(target)) & (yrs <= int(target.target_year))
    direction = str(target.direction)
    if target.kind == "maintain":
        judged = vals
        met = compare(vals, target.threshold, direction, target.strict)
    else:
        judged = _changes_per_year(yrs, vals)
        required = -target.threshold if direction == "decrease" else target.threshold  # type: ignore[operator]
        met = compare(judged, required, direction, target.strict)
    return [(int(y), float(v)) for y, v, ok in zip(yrs[window], judged[window], met[window],
                                                   strict=True) if ok == 0]


def every_year_number(target: Target) -> float | None:
    """The number each year is judged against: the threshold (``maintain``) or the change from
    the year before that the rule asks (``annual_change``: negative for a fall); else ``None``.

    >>> from hbkit.catalogue.models import Target
    >>> every_year_number(Target(id="a", indicator="x", kind="annual_change", threshold=1,
    ...                          unit="percent", direction="decrease", baseline_year=2020))
    -1.0
    """
    if target.kind not in ("maintain", "annual_change") or target.threshold is None:
        return None
    if target.kind == "annual_change" and target.direction == "decrease":
        return -float(target.threshold)
    return float(target.threshold)


def missed_in(observations: Any, target: Target, geo: str) -> list[tuple[int, float, str]]:
    """The observed years that broke an every-year target's rule in ``geo``, with their numbers.

    Parameters
    ----------
    observations
        Long observations (``indicator, geo, year, value``), as
        :attr:`hbkit.Assessment.observations` keeps them.
    target
        The target (``maintain`` or ``annual_change``; empty for any other kind).
    geo
        The area. A target judged in each unit (以街为单位) is judged on each of
        the area's sub-units (geo ``<area>/<unit>``), named by the unit's own name.

    Returns
    -------
    list of (int, float, str)
        ``(year, number judged, sub-unit)`` by year (:func:`missed_years`;
        sub-unit ``""`` for a target judged on the area itself).

    Examples
    --------
    >>> import pandas as pd
    >>> from hbkit.catalogue.models import Target
    >>> m = Target(id="m", indicator="x", kind="maintain", threshold=95, unit="percent",
    ...            direction="increase", baseline_year=2020, each_unit="street")
    >>> obs = pd.DataFrame({"indicator": "x", "geo": ["区/甲街"] * 2 + ["区/乙街"] * 2,
    ...                     "year": [2021, 2022] * 2, "value": [96.0, 94.0, 97.0, 98.0]})
    >>> missed_in(obs, m, "区")
    [(2022, 94.0, '甲街')]
    """
    if observations is None or target.kind not in ("maintain", "annual_change"):
        return []
    return ObservedSeries(observations, [target.indicator]).missed(target, geo)


class ObservedSeries:
    """Each (indicator, area)'s observed years and values, indexed once for many look-ups.

    :func:`missed_in` for one target; the assessment words every warning on an
    already broken every-year target with one index over all the observations
    (a city's 2,850 areas would otherwise filter the whole frame once per row).

    Parameters
    ----------
    observations
        Long observations (``indicator, geo, year, value``); rows without a
        value are left out, and of two values of one year the later row counts.
    indicators
        Index only these indicators (default: all).

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"indicator": "x", "geo": ["区", "区/甲街", "区/甲街"],
    ...                     "year": [2021, 2021, 2022], "value": [96.0, 95.0, 94.0]})
    >>> index = ObservedSeries(obs)
    >>> index.units("x", "区"), index.series("x", "区/甲街")[1].tolist()
    (['区/甲街'], [95.0, 94.0])
    """

    def __init__(self, observations: Any, indicators: Any = None) -> None:
        obs = observations[np.isfinite(observations["value"].to_numpy(dtype=float))]
        if indicators is not None:
            obs = obs[obs["indicator"].isin(list(indicators))]
        obs = obs.assign(indicator=obs["indicator"].astype(str), geo=obs["geo"].astype(str))
        obs = obs.drop_duplicates(["indicator", "geo", "year"], keep="last").sort_values(
            ["indicator", "geo", "year"], kind="stable")
        indicator_, geo_ = obs["indicator"].to_numpy(), obs["geo"].to_numpy()
        # one cut where (indicator, geo) changes: np.split, not a Python loop over a groupby
        cuts = np.flatnonzero((indicator_[1:] != indicator_[:-1]) | (geo_[1:] != geo_[:-1])) + 1
        starts = np.concatenate([[0], cuts]) if len(obs) else np.array([], dtype=int)
        years = np.split(obs["year"].to_numpy(dtype=int), cuts) if len(obs) else []
        values = np.split(obs["value"].to_numpy(dtype=float), cuts) if len(obs) else []
        self._series: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {
            (str(indicator_[i]), str(geo_[i])): (y, v)
            for i, y, v in zip(starts.tolist(), years, values, strict=True)}
        self._units: dict[tuple[str, str], list[str]] = {}
        for indicator, geo in self._series:
            if "/" in geo:
                self._units.setdefault((indicator, geo.rsplit("/", 1)[0]), []).append(geo)

    def series(self, indicator: str, geo: str) -> tuple[np.ndarray, np.ndarray]:
        """Years and values of one (indicator, area), by year (empty when none)."""
        empty = (np.array([], dtype=int), np.array([], dtype=float))
        return self._series.get((str(indicator), str(geo)), empty)

    def units(self, indicator: str, geo: str) -> list[str]:
        """The sub-units (geo ``<area>/<unit>``) of ``geo`` with values of ``indicator``."""
        return list(self._units.get((str(indicator), str(geo)), []))

    def missed(self, target: Target, geo: str) -> list[tuple[int, float, str]]:
        """:func:`missed_in` of ``target`` in ``geo`` from the index."""
        if target.kind not in ("maintain", "annual_change"):
            return []
        indicator = str(target.indicator)
        geos = self.units(indicator, geo) if target.each_unit else [geo]
        out = []
        for unit_geo in geos:
            years, values = self.series(indicator, unit_geo)
            where = unit_geo.split("/")[-1] if target.each_unit else ""
            out += [(year, number_, where) for year, number_ in missed_years(target, years, values)]
        return sorted(out)


def missed_in_warnings(warnings: Any, frame: Any, targets: Any, observations: Any
                       ) -> dict[int, tuple[Target, list[tuple[int, float, str]]]]:
    """The hard-to-reach warnings on every-year targets already broken (已有年份未达到), with the
    observed years that broke the rule.

    One look-up for the engine, which words these warnings by the years, and
    for the report, which gives the years as their numbers; the observations
    are indexed once (:class:`ObservedSeries`).

    Parameters
    ----------
    warnings
        Warning rows (``target_id, geo, code``), e.g. ``Assessment.warnings_frame()``.
    frame
        The assessment's rows (``target_id, geo, status_zh``): a row worded
        已有年份未达到 is broken.
    targets
        Target id -> :class:`~hbkit.catalogue.models.Target` (a ``Catalogue`` or a dict).
    observations
        Long observations (``indicator, geo, year, value``).

    Returns
    -------
    dict
        Position in ``warnings`` -> (target, :func:`missed_in` of its area), for
        each such warning with at least one year missed.
    """
    from hbkit.status import STATUS_VARIANTS

    broken_zh = STATUS_VARIANTS[("off_track", "broken")][0]
    hard = np.flatnonzero(warnings["code"].to_numpy() == "hard_to_reach")
    broken = frame["status_zh"].to_numpy() == broken_zh
    if hard.size == 0 or not broken.any() or observations is None:
        return {}
    pairs = set(zip(frame["target_id"].to_numpy()[broken], frame["geo"].to_numpy()[broken],
                    strict=True))
    picks = [(int(i), t, g) for i, t, g in zip(hard, warnings["target_id"].to_numpy()[hard],
                                                warnings["geo"].to_numpy()[hard], strict=True)
             if (t, g) in pairs]
    if not picks:
        return {}
    index = ObservedSeries(observations, {targets[t].indicator for _, t, _ in picks})
    out = {}
    for i, target_id, geo in picks:
        missed = index.missed(targets[target_id], str(geo))
        if missed:
            out[i] = (targets[target_id], missed)
    return out


def _changes_per_year(yrs: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """Change per year of each year against the previous year with a value (NaN for none)."""
    known = np.isfinite(vals)
    idx = np.where(known, np.arange(yrs.size), -1)
    last_idx = np.maximum.accumulate(idx, axis=-1)
    prev_idx = np.concatenate([np.full(vals.shape[:-1] + (1,), -1), last_idx[..., :-1]], axis=-1)
    has_prev = prev_idx >= 0
    safe = np.maximum(prev_idx, 0)
    prev_val = np.take_along_axis(vals, safe, axis=-1)
    gap = yrs[None, :] - yrs[safe] if vals.ndim > 1 else yrs - yrs[safe]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(has_prev & known, (vals - prev_val) / gap, np.nan))


def _annual_changes(
    yrs: np.ndarray, vals: np.ndarray, window: np.ndarray, target: Target, direction: str
) -> np.ndarray:
    """Per-year change of each window year against the previous year with a value."""
    change = _changes_per_year(yrs, vals)
    required = -target.threshold if direction == "decrease" else target.threshold  # type: ignore[operator]
    return compare(change[..., window], required, direction, target.strict)


def target_value(target: Target, baseline_value: Any = np.nan) -> np.ndarray:
    """The level the indicator must reach by the target year, in its unit.

    Bounds, ``level``, ``maintain`` and ``count_minimum``: the threshold.
    ``relative_change``: (1 -/+ X/100) x baseline. ``direction``: the baseline
    value itself. ``annual_change``: the level reached from the baseline if
    every year changes by exactly X (baseline -/+ X x (T - B)). NaN for
    ``trend_slowdown``, ``relational`` and ``qualitative`` (no single level),
    and wherever the baseline is needed but NaN.

    Examples
    --------
    >>> from hbkit.catalogue.models import Target
    >>> t = Target(id="r", indicator="x", kind="relative_change", threshold=20,
    ...            unit="per_1000", direction="decrease", baseline_year=2020)
    >>> target_value(t, np.array([10.0, np.nan])).tolist()
    [8.0, nan]
    """
    base = np.asarray(baseline_value, dtype=float)
    kind = target.kind
    sign = -1.0 if target.direction == "decrease" else 1.0
    if kind in ("upper_bound", "lower_bound", "level", "maintain", "count_minimum"):
        return np.full(base.shape, float(target.threshold))  # type: ignore[arg-type]
    if kind == "relative_change":
        return base * (1.0 + sign * float(target.threshold) / 100.0)  # type: ignore[arg-type]
    if kind == "direction":
        return base.copy()
    if kind == "annual_change":
        if target.baseline_year is None:
            return np.full(base.shape, np.nan)
        years = target.target_year - target.baseline_year
        return base + sign * float(target.threshold) * years  # type: ignore[arg-type]
    return np.full(base.shape, np.nan)


def _needed_years(
    target: Target, projection: Projection, from_year: int
) -> list[int]:
    final = int(target.target_year)
    kind = target.kind
    if kind in ("maintain", "annual_change"):
        start = from_year - 1 if kind == "annual_change" else from_year
        return list(range(min(start, final), final + 1))
    if kind in ("relative_change", "direction"):
        return sorted({int(target.baseline_year), final})  # type: ignore[arg-type]
    if kind == "trend_slowdown":
        base = int(target.baseline_year)  # type: ignore[arg-type]
        history = [int(y) for y in projection.history_years if y < base]
        return [*history, *range(base, final + 1)]
    return [final]


def probability(
    target: Target,
    projection: Projection,
    *,
    from_year: int | None = None,
    reference: Projection | None = None,
) -> np.ndarray:
    """Probability (N,) that the target's event holds, from the joint paths.

    The share of the projection's draws whose trajectory (observed history
    where observed, simulated values elsewhere, including a missing baseline
    year) satisfies :func:`evaluate_event`.

    Parameters
    ----------
    target
        The target; its ``target_year`` must be covered by the projection.
    projection
        A :class:`~hbkit.projection.Projection` of the target's indicator.
    from_year
        First year of the window of every-year kinds, the same for every
        series; default: each series' remaining years
        (:func:`remaining_from_years`: after its own last observed value, not
        before :func:`default_from_year`).
    reference
        Projection of the reference indicator (``relational``), same series order.

    Returns
    -------
    numpy.ndarray
        (N,) probabilities; NaN for series with a ``reason`` and for
        qualitative targets.

    Examples
    --------
    >>> import numpy as np
    >>> from hbkit.catalogue.models import Target
    >>> from hbkit.models import project
    >>> p = project(np.array([[97.0, 97.5, 98.0, 98.2, 98.5]]), np.arange(2016, 2021),
    ...             target_year=2025, unit="percent", n_draws=2000)
    >>> t = Target(id="h", indicator="hdr", kind="lower_bound", threshold=95, unit="percent")
    >>> bool(probability(t, p)[0] > 0.9)
    True
    """
    last_year = int(target.target_year)
    if projection.future_years.size and last_year > int(projection.future_years[-1]):
        raise ValueError(f"the projection ends in {int(projection.future_years[-1])}, "
                         f"before the target year {last_year}")
    if target.kind == "qualitative":
        return np.full(projection.n_series, np.nan)
    if target.kind not in ("maintain", "annual_change"):  # judged once: no window to start
        starts = np.full(projection.n_series, last_year, dtype=np.int64)
    elif from_year is None:
        starts = remaining_from_years(target, projection.history_years, projection.history)
    else:
        starts = np.full(projection.n_series, int(from_year), dtype=np.int64)
    years = _needed_years(target, projection, int(starts.min(initial=last_year)))
    out = np.full(projection.n_series, np.nan)
    step = max(1, _BLOCK_CELLS // max(1, projection.n_draws * len(years)))
    before_start = None
    if target.kind == "trend_slowdown":  # a series' slope before B from its own years only,
        # not from years before its first value that other series brought into the grid
        seen = np.isfinite(np.asarray(projection.history, dtype=float))
        first = np.where(seen.any(axis=1), projection.history_years[np.argmax(seen, axis=1)],
                         projection.history_years[0])
        before_start = np.asarray(years)[None, :] < first[:, None]  # (N, Y)
    for start in range(0, projection.n_series, step):
        rows = slice(start, min(start + step, projection.n_series))
        paths = projection.trajectories(years, rows=rows)
        if before_start is not None and before_start[rows].any():
            paths = np.where(before_start[rows][:, None, :], np.nan, paths)
        ref = None
        if target.kind == "relational":
            if reference is None:
                raise ValueError("a relational target needs the reference projection (reference=)")
            ref = reference.trajectories(years, rows=rows)
        events = evaluate_from(target, years, paths, starts[rows], reference=ref)
        with np.errstate(invalid="ignore"):
            out[rows] = events.mean(axis=1)
    return np.where(projection.ok, out, np.nan)


def evaluate_from(target: Target, years: Sequence[int] | np.ndarray, paths: np.ndarray,
                  starts: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """:func:`evaluate_event` of each series' paths (N, S, T) over its own window, which
    starts in ``starts`` (N,) (:func:`remaining_from_years`); (N, S) results.

    >>> from hbkit.catalogue.models import Target
    >>> m = Target(id="m", indicator="x", kind="maintain", threshold=95, unit="percent",
    ...            direction="increase", baseline_year=2020)
    >>> paths = np.array([[[94.0, 96.0]], [[94.0, 96.0]]])  # two series, one path each
    >>> evaluate_from(m, [2024, 2025], paths, np.array([2025, 2024])).tolist()
    [[1.0], [0.0]]
    """
    out = np.full(paths.shape[:2], np.nan)
    for start_year in np.unique(starts):  # one window per first remaining year (few)
        own = starts == start_year
        out[own] = evaluate_event(target, years, paths[own], from_year=int(start_year),
                                  reference=None if reference is None else reference[own])
    return out


def remaining_from_years(target: Target, history_years: Any, history: Any) -> np.ndarray:
    """First year of each series' remaining window of an every-year target: (N,) int.

    The year after the series' **own** last observed value, not before
    :func:`default_from_year` and not after the target year. The years up to
    the last observation are judged on the observed values (a year already
    missed makes the target off track); the remaining ones, including a year
    this series has not reported yet while others have, are judged on the
    projection's paths. One series' late report must not shorten its window.

    Parameters
    ----------
    target
        The target.
    history_years
        (T,) years of the observed history.
    history
        (N, T) observed values, NaN where not observed.

    Returns
    -------
    numpy.ndarray
        (N,) int first years.

    Examples
    --------
    >>> import numpy as np
    >>> from hbkit.catalogue.models import Target
    >>> m = Target(id="m", indicator="x", kind="maintain", threshold=95, unit="percent",
    ...            direction="increase", baseline_year=2020)
    >>> remaining_from_years(m, [2021, 2022, 2023],
    ...                      np.array([[96.0, 97.0, 98.0], [96.0, 97.0, np.nan]])).tolist()
    [2024, 2023]
    """
    yrs = np.asarray(history_years, dtype=np.int64)
    seen = np.isfinite(np.asarray(history, dtype=float))
    if yrs.size == 0:
        last = np.full(seen.shape[0], np.iinfo(np.int64).min // 2, dtype=np.int64)
    else:
        last_col = yrs.size - 1 - np.argmax(seen[:, ::-1], axis=1)
        last = np.where(seen.any(axis=1), yrs[last_col], np.iinfo(np.int64).min // 2)
    first = np.maximum(last + 1, default_from_year(target))
    return np.minimum(first, int(target.target_year)).astype(np.int64)


def _fmt(value: float | None, unit: str, lang: str) -> str:
    number = f"{value:g}" if value is not None else "?"
    if lang == "zh":
        suffix = UNIT_ZH.get(unit, "")
        if unit in ("per_100k", "per_10k"):
            return f"{number}{suffix}"
        return f"{number}{suffix}"
    return f"{number}{UNIT_EN.get(unit, '')}"


def rule_text(target: Target, reference_names: tuple[str, str] | None = None
              ) -> tuple[str, str]:
    """The event judged, in Chinese and English.

    Parameters
    ----------
    target
        The target.
    reference_names
        Chinese and English names of a relational target's reference
        indicator, used when the target does not name it itself
        (``reference_name_zh`` / ``reference_name_en``); the indicator id is
        the last resort.

    Returns
    -------
    tuple of str
        The rule in Chinese and in English.

    Examples
    --------
    >>> from hbkit.catalogue.models import Target
    >>> t = Target(id="c", indicator="x", kind="lower_bound", threshold=95, unit="percent")
    >>> rule_text(t)
    ('2025年值≥95%', 'value in 2025 >= 95%')
    >>> m = Target(id="m", indicator="x", kind="maintain", threshold=95, unit="percent",
    ...            direction="increase", baseline_year=2020)
    >>> rule_text(m)[0]
    '2021—2025年每年≥95%'
    >>> a = Target(id="a", indicator="x", kind="annual_change", threshold=1, unit="percent",
    ...            direction="decrease", baseline_year=2020)
    >>> rule_text(a)
    ('2021—2025年每年比上一年下降1个百分点以上', 'every year 2021-2025 the value falls by >= 1 percentage point from the year before')
    >>> r = Target(id="r", indicator="d", kind="relational", direction="increase",
    ...            reference_indicator="m", reference_name_zh="女党员比例")
    >>> rule_text(r, ("", "female share of Party members"))
    ('2025年值≥女党员比例同年值', 'value in 2025 >= female share of Party members in the same year')
    """
    kind = target.kind
    t_year = target.target_year
    b_year = target.baseline_year
    dec = target.direction == "decrease"
    le, ge = ("<", ">") if target.strict else ("≤", "≥")
    le_en, ge_en = ("<", ">") if target.strict else ("<=", ">=")
    op, op_en = (le, le_en) if dec else (ge, ge_en)
    zh_v, en_v = _fmt(target.threshold, target.unit, "zh"), _fmt(target.threshold, target.unit, "en")
    start = default_from_year(target)
    if kind == "upper_bound":
        return f"{t_year}年值{le}{zh_v}", f"value in {t_year} {le_en} {en_v}"
    if kind in ("lower_bound", "count_minimum"):
        return f"{t_year}年值{ge}{zh_v}", f"value in {t_year} {ge_en} {en_v}"
    if kind == "level":
        return f"{t_year}年值{op}{zh_v}", f"value in {t_year} {op_en} {en_v}"
    if kind == "maintain":
        return (f"{start}—{t_year}年每年{op}{zh_v}",
                f"every year {start}-{t_year} {op_en} {en_v}")
    if kind == "annual_change":
        verb_zh, verb_en = ("下降", "falls") if dec else ("上升", "rises")
        if target.unit == "percent":  # a change of a percentage is in percentage points
            zh_v = f"{target.threshold:g}个百分点"
            en_v = f"{target.threshold:g} percentage point{'' if target.threshold == 1 else 's'}"
        more = "超过" if target.strict else "以上"
        return (f"{start}—{t_year}年每年比上一年{verb_zh}{zh_v}{more}",
                f"every year {start}-{t_year} the value {verb_en} by {ge_en} {en_v} "
                f"from the year before")
    if kind == "relative_change":
        factor = 1 - target.threshold / 100 if dec else 1 + target.threshold / 100  # type: ignore[operator]
        return (f"{t_year}年值{op}{b_year}年值×{factor:g}",
                f"value in {t_year} {op_en} {factor:g} x value in {b_year}")
    if kind == "direction":
        zh_op, en_op = ("<", "below") if dec else (">", "above")
        return f"{t_year}年值{zh_op}{b_year}年值", f"value in {t_year} {en_op} value in {b_year}"
    if kind == "trend_slowdown":
        if dec:
            return (f"{b_year}—{t_year}年趋势斜率低于{b_year}年及以前的斜率",
                    f"OLS slope {b_year}-{t_year} below the slope up to {b_year}")
        return (f"{b_year}—{t_year}年趋势斜率高于{b_year}年及以前的斜率",
                f"OLS slope {b_year}-{t_year} above the slope up to {b_year}")
    if kind == "relational":
        given_zh, given_en = reference_names or ("", "")
        ref = str(target.reference_indicator)
        ref_zh = target.reference_name_zh or given_zh or target.reference_name_en or given_en or ref
        ref_en = target.reference_name_en or given_en or ref
        return (f"{t_year}年值{op}{ref_zh}同年值",
                f"value in {t_year} {op_en} {ref_en} in the same year")
    return "定性目标，不计算概率", "qualitative target, not scored"
