"""The probability of a target's event from a projection's simulated paths.

:func:`probability` is the share of the joint paths on which
:func:`hbkit.attainment.events.evaluate_event` holds, never a product of
marginal probabilities. An every-year target is judged on each series'
remaining window (:func:`remaining_from_years`, :func:`evaluate_from`): the
years after its own last observed value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from hbkit.attainment.events import default_from_year, evaluate_event
from hbkit.exceptions import HbkitValueError

if TYPE_CHECKING:
    from hbkit.catalogue.models import Target
    from hbkit.projection import Projection

#: (series x draws x years) cells evaluated at once by :func:`probability`
_BLOCK_CELLS = 4_000_000


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
        end = int(projection.future_years[-1])
        raise HbkitValueError(f"预测只到 {end} 年，早于目标年份 {last_year} 年 / the projection ends "
                              f"in {end}, before the target year {last_year}")
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
                raise HbkitValueError("比较型目标须给出参照指标的预测（reference=） / a relational "
                                      "target needs the reference projection (reference=)")
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
    windows = np.unique(starts)
    if windows.size == 1:  # every series' window starts in the same year: no copy of the paths
        return np.asarray(evaluate_event(target, years, paths, from_year=int(windows[0]),
                                         reference=reference), dtype=float)
    out = np.full(paths.shape[:2], np.nan)
    for start_year in windows:  # one window per first remaining year (few)
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
