"""The observed years that broke an every-year target's rule (已有年份未达到).

``maintain`` (保持...) and ``annual_change`` (每年...) targets must meet their
rule in every year of their window. :func:`missed_years` lists the years of one
observed series that did not, :func:`missed_in` finds them in an area's
observations, :class:`ObservedSeries` indexes the observations once for many
look-ups, and :func:`missed_in_warnings` gives them for the warnings of the
targets already broken. The per-year rule is the one of
:func:`hbkit.attainment.events.evaluate_event`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from hbkit.attainment.events import changes_per_year, compare, default_from_year

if TYPE_CHECKING:
    from hbkit.catalogue.models import Target


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
        judged = changes_per_year(yrs, vals)
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
