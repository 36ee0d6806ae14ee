"""The event of each kind of target, judged on full trajectories.

One function, :func:`evaluate_event`, says whether a target's event holds on
full trajectories (observed outcomes or simulated paths): the same code judges
the final evaluation, the backtest truth and every simulated path, so a
probability is exactly the share of joint paths on which the event holds
(:func:`hbkit.attainment.paths.probability`), never a product of marginal
probabilities. :func:`target_value` gives the level a target asks.

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
                    (:func:`changes_per_year`)
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
(default :func:`default_from_year`: ``baseline_year + 1``, or the first year of
the five-year plan ending in the target year when there is no baseline);
:func:`hbkit.attainment.paths.probability` uses the remaining years after the
last history year by default. Years without a value are skipped: the event
fails as soon as one available year fails, and is NaN when the last year
judged has no value.

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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from hbkit.exceptions import HbkitValueError

if TYPE_CHECKING:
    from hbkit.catalogue.models import Target

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
        raise HbkitValueError(f"direction 须为 'increase' 或 'decrease'；收到 {direction!r} / "
                              f"direction must be 'increase' or 'decrease'; received {direction!r}")
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
        raise HbkitValueError(f"values 最后一维的长度（{vals.shape[-1]}）须与 years 的个数（{yrs.size}）"
                              f"相同 / values' last axis ({vals.shape[-1]}) must match years "
                              f"({yrs.size})")
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
            raise HbkitValueError("比较型目标须给出参照指标的轨迹（reference=） / a relational target "
                                  "needs the reference trajectories (reference=)")
        ref = _column(yrs, np.asarray(reference, dtype=float), through)
        return compare(final, ref, direction, target.strict)
    raise ValueError(f"unknown target kind {kind!r}")


def direction_bound(target: Target) -> float:
    """The bound a ``direction`` target cannot pass, NaN if none: holding it meets the target.

    100 for a bounded percentage to increase (巩固提高: a coverage of 100%
    cannot go higher); 0 for a bounded percentage or any value that cannot be
    negative (rates, counts, :data:`~hbkit.models.scales.FLOOR_ZERO_UNITS`) to
    decrease (持续下降: 0 deaths cannot go lower); none for a ``signed`` indicator (a
    gap in percent at 0 can still fall below it).

    >>> from hbkit.catalogue.models import Target
    >>> d = Target(id="d", indicator="mmr", kind="direction", direction="decrease",
    ...            unit="per_100k", baseline_year=2020)
    >>> direction_bound(d)
    0.0
    >>> i = Target(id="i", indicator="x", kind="direction", direction="increase",
    ...            unit="per_1000", baseline_year=2020)
    >>> direction_bound(i)
    nan
    >>> g = Target(id="g", indicator="gap", kind="direction", direction="decrease",
    ...            unit="percent", baseline_year=2020, signed=True)
    >>> direction_bound(g)
    nan
    """
    from hbkit.models.scales import FLOOR_ZERO_UNITS

    if target.direction == "increase":
        return 100.0 if target.bounded else float("nan")
    if target.direction == "decrease" and (
        target.bounded or (target.unit in FLOOR_ZERO_UNITS and not target.signed)
    ):
        return 0.0
    return float("nan")


def _bound_held(met: np.ndarray, base: np.ndarray, final: np.ndarray, bound: float) -> np.ndarray:
    """A value already at its bound (:func:`direction_bound`) at the baseline cannot move
    further: holding it meets a ``direction`` target (巩固提高, "consolidate and raise";
    a death rate held at 0)."""
    if np.isnan(bound):
        return met
    # the tie tolerance at the scale of a percentage (the bound 100), for the bound 0 too
    tol = TIE_TOLERANCE * 100.0
    at_bound = np.abs(base - bound) <= tol
    if not at_bound.any():  # the usual case: no baseline at the bound, nothing to do
        return met
    held = at_bound & (np.abs(final - bound) <= tol)
    return np.where(held, 1.0, met)


def changes_per_year(yrs: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """Change per year of each year against the previous year with a value.

    The rule of an ``annual_change`` target is judged on these changes: a year
    after a gap is compared with the last year that has a value, the change
    divided by the years between them.

    Parameters
    ----------
    yrs
        Calendar years (T,).
    vals
        Values (T,), or (..., T) for many series or paths; NaN where missing.

    Returns
    -------
    numpy.ndarray
        The change per year, the shape of ``vals``; NaN for a year without a
        value or without an earlier year that has one.

    Examples
    --------
    >>> changes_per_year(np.array([2020, 2021, 2022, 2023]),
    ...                  np.array([10.0, np.nan, 12.0, 11.0])).tolist()
    [nan, nan, 1.0, -1.0]
    """
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
    change = changes_per_year(yrs, vals)
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

