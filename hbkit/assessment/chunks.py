"""One indicator's grid, its vectorised projection and statistics, and their lifetime."""

from __future__ import annotations

import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hbkit._options import level_label
from hbkit._typing import UNIT_SCALE
from hbkit.assessment.inputs import (
    SeriesGrid,
    build_grid,
    parent_geo,
)
from hbkit.assessment.result import ChunkSummary
from hbkit.exceptions import DataWarning
from hbkit.models.engine import first_data_column
from hbkit.notices import notify
from hbkit.observations.units import SAME_NUMBER
from hbkit.quantiles import interval_summary
from hbkit.status import StatusRules
from hbkit.warnings_rules import series_statistics

FloatArray = npt.NDArray[np.float64]



#: indicators built ahead in background threads (one each) while the current one is judged
PREFETCH = 2


def chunk_seed(seed: int, key: str) -> int:
    """A seed per indicator, stable across runs and platforms.

    >>> chunk_seed(0, "infant_mortality_rate") == chunk_seed(0, "infant_mortality_rate")
    True
    """
    return int((int(seed) * 1_000_003 + zlib.crc32(key.encode("utf-8"))) % (2**31 - 1))


@dataclass
class _Chunk:
    """One indicator's grid over its areas, its projection and series statistics."""

    grid: SeriesGrid
    projection: Any
    stats: pd.DataFrame
    bounded: bool
    aggregated: set[str] = field(default_factory=set)
    _draws: dict[int, FloatArray] = field(default_factory=dict)
    _quantiles: dict[tuple[int, tuple[float, ...]], FloatArray] = field(default_factory=dict)
    _summary: ChunkSummary | None = None
    _recent: FloatArray | None = None

    def draws(self, year: int) -> FloatArray:
        if year not in self._draws:
            self._draws[year] = np.asarray(self.projection.value_draws(year), dtype=float)
        return self._draws[year]

    def quantiles(self, year: int, levels: tuple[float, ...]) -> FloatArray:
        """(N, 1 + 2 len(levels)) median and each level's interval ends in ``year``.

        :func:`hbkit.quantiles.interval_summary`: the median is the projected
        value, the ends mid-quantiles (an edge lump keeps its place); ``levels``
        may be empty for the median alone. NaN rows stay NaN.
        """
        key = (year, tuple(levels))
        if key not in self._quantiles:
            self._quantiles[key] = interval_summary(self.draws(year), levels)
        return self._quantiles[key]

    def recent_change(self) -> FloatArray:
        """Mean of the last five annual changes of every area (the DNS rule's input)."""
        if self._recent is None:
            from hbkit.conventions import mean_recent_change

            self._recent = mean_recent_change(self.grid.values, self.grid.years)
        return self._recent

    def release(self) -> None:
        """Drop the draws (the fan-chart summary, grid and statistics stay)."""
        self.projection = None
        self._draws.clear()
        self._quantiles.clear()

    def summary(self, levels: tuple[float, ...]) -> ChunkSummary:
        """Median and intervals in every future year, for the fan charts."""
        if self._summary is None:
            future = np.asarray(self.projection.future_years, dtype=np.int64)
            self._summary = ChunkSummary(self.grid.years, self.grid.values, future,
                                         {int(y): self.quantiles(int(y), levels) for y in future},
                                         levels)
        return self._summary


def _quantile_names(levels: tuple[float, ...]) -> list[str]:
    """Column names of :meth:`_Chunk.quantiles`: the median, then each level's bounds."""
    names = ["projected"]
    for lev in levels:
        names += [f"lo_{level_label(lev)}", f"hi_{level_label(lev)}"]
    return names


class _ChunkStore:
    """Projects each indicator once, on first use, and frees its draws after its last target.

    Keeping every indicator's draws would need N x S x H values per indicator
    at once (gigabytes over thousands of areas); the store keeps at most the
    indicators still in use, and afterwards only their fan-chart summaries.
    """

    def __init__(self, targets: list[Any], plan: pd.DataFrame,
                 by_indicator: dict[str, pd.DataFrame], as_of: int | None, rules: StatusRules,
                 n_draws: int, seed: int, levels: tuple[float, ...]):
        self.by_indicator = by_indicator
        self.as_of, self.rules, self.n_draws, self.seed = as_of, rules, n_draws, seed
        self.levels = levels
        self.needs: dict[str, dict[str, Any]] = {}
        self.users: dict[str, int] = {}
        t_index = plan["t_index"].to_numpy()
        geo_col = plan["geo"].to_numpy()
        for i, target in enumerate(targets):
            if target.kind in ("qualitative", "count_minimum"):
                continue
            geos = set(geo_col[t_index == i].tolist())
            for ind in {target.indicator, target.reference_indicator} - {None}:
                info = self.needs.setdefault(str(ind), {"geos": set(), "year": target.target_year,
                                                        "unit": None, "bounded": False,
                                                        "signed": False,
                                                        "judged": False})
                info["geos"] |= geos
                info["year"] = max(info["year"], target.target_year)
                self.users[str(ind)] = self.users.get(str(ind), 0) + 1
                if ind == target.indicator:
                    info["judged"] = True  # its targets' rows show its fan chart
                    info["unit"] = info["unit"] or target.unit
                    info["bounded"] = info["bounded"] or bool(target.bounded)
                    info["signed"] = info["signed"] or bool(target.signed)
        self.chunks: dict[str, _Chunk | None] = {}
        # indicators are asked for in sorted order (engine.assess groups targets so): while
        # the main thread judges one, the next is projected in a background thread
        self.order = sorted(self.needs)
        self.pending: dict[str, Future[_Chunk] | None] = {}
        self.pool: ThreadPoolExecutor | None = None

    def get(self, ind: str | None) -> _Chunk | None:
        """The indicator's chunk (projected now if needed); ``None`` without data."""
        if not ind:
            return None
        if ind not in self.chunks:
            self.chunks[ind] = self._project(ind)
        return self.chunks[ind]

    def close(self) -> None:
        """Stop the background projection thread (pending projections are dropped)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.pending.clear()

    def done(self, target: Any) -> None:
        """A target is finished: free the draws of indicators nobody else needs."""
        for ind in {target.indicator, target.reference_indicator} - {None}:
            key = str(ind)
            if key not in self.users:
                continue
            self.users[key] -= 1
            chunk = self.chunks.get(key)
            if self.users[key] == 0 and chunk is not None:
                chunk.release()

    def _prefetch_after(self, ind: str) -> None:
        """Queue the projections of the next indicators in order (at most ``PREFETCH`` ahead)."""
        if ind not in self.needs:
            return
        later = (i for i in self.order[self.order.index(ind) + 1:]
                 if i not in self.chunks and i not in self.pending)
        while len(self.pending) < PREFETCH:
            nxt = next(later, None)
            if nxt is None:
                return
            prep = self._prepare(nxt)
            if prep is None:
                self.pending[nxt] = None
                continue
            if self.pool is None:
                # one thread per queued indicator: the sorts and statistics of one overlap
                # the projection of the next (numpy releases the GIL in its loops)
                self.pool = ThreadPoolExecutor(max_workers=PREFETCH,
                                               thread_name_prefix="hbkit-project")
            self.pending[nxt] = self.pool.submit(_build_chunk, prep, self.n_draws, self.rules,
                                                 self.levels)

    def _prepare(self, ind: str) -> dict[str, Any] | None:
        """The indicator's grid and settings (``None`` when it has no usable rows)."""
        info = self.needs[ind]
        data = self.by_indicator.get(ind)
        if data is None or data.empty:
            return None
        unit = info["unit"] or _common_unit(data)
        data = _check_unit(data, ind, unit)
        if data.empty:
            return None
        geos = sorted(info["geos"])
        own = data[data["geo"].isin(geos)]
        data_rows, aggregated = _aggregate_missing(own, data, geos)
        last_year = int(data["year"].max())
        if self.as_of is not None:
            # the monitoring year; after the target year (a final evaluation) no further than
            # the data or the target year, so that a later as_of with the same data projects
            # the same years and gives the same draws
            last_year = min(self.as_of, max(last_year, int(info["year"])))
        grid = build_grid(data_rows, ind, unit, geos, first_year=int(data["year"].min()),
                          last_year=last_year)
        signed = bool(info["signed"])
        bounded = info["bounded"] or (unit == "percent" and info["unit"] is None and not signed)
        return {"grid": grid, "unit": unit, "bounded": bounded, "signed": signed,
                "aggregated": aggregated,
                "seed": chunk_seed(self.seed, ind), "year": int(info["year"]),
                "counts": bool(np.isfinite(grid.numerators).any()),
                "judged": bool(info["judged"])}

    def _project(self, ind: str) -> _Chunk | None:
        """The indicator's chunk: built in the background if queued, else now. The next
        indicators are queued first, so that they are built meanwhile (also while the
        first indicator of the call is built)."""
        if ind in self.pending:
            future = self.pending.pop(ind)
            self._prefetch_after(ind)
            return None if future is None else future.result()
        prep = self._prepare(ind)
        self._prefetch_after(ind)
        return None if prep is None else _build_chunk(prep, self.n_draws, self.rules,
                                                      self.levels)


def _build_chunk(prep: dict[str, Any], n_draws: int, rules: StatusRules,
                 levels: tuple[float, ...]) -> _Chunk:
    """A prepared indicator's chunk: its projection, its series statistics and, for an
    indicator with targets of its own, its fan-chart summary (runs in any thread).

    None of these depends on a target: built in the background thread, they are
    ready when the main thread turns to the indicator, which then only judges
    its targets.
    """
    projection = _run_project(prep, n_draws, rules.min_observations)
    grid, counts = prep["grid"], prep["counts"]
    with np.errstate(all="ignore"):  # thread-local, unlike warnings.catch_warnings
        stats = _statistics_from_first_year(grid, counts, prep, rules)
    chunk = _Chunk(grid, projection, stats, prep["bounded"], prep["aggregated"])
    if prep["judged"]:
        chunk.summary(levels)
    return chunk


def _statistics_from_first_year(grid: SeriesGrid, counts: bool, prep: dict[str, Any],
                                rules: StatusRules) -> pd.DataFrame:
    """:func:`series_statistics` of every area, each from its first observed year.

    The grid starts at the first year of any area of the call: with other
    districts, earlier than a district's own data. Sums over a row of a
    different length round differently in the last bit, so each area's
    statistics are computed on its own years only, from the first one it
    observed: the same numbers, to the last digit, alone or city-wide.
    """
    first = first_data_column(grid.values, *((grid.numerators, grid.denominators) if counts
                                             else ()))
    parts = []
    for start in np.unique(first) if first.size else np.zeros(1, dtype=int):
        rows = np.flatnonzero(first == start)
        part = series_statistics(grid.years[start:], grid.values[rows, start:],
                                 grid.numerators[rows, start:] if counts else None,
                                 grid.denominators[rows, start:] if counts else None,
                                 prep["unit"], rules, prep["seed"], bounded=prep["bounded"],
                                 labels=[grid.geos[i] for i in rows])
        part.index = rows
        parts.append(part)
    return pd.concat(parts).sort_index().reset_index(drop=True)


def _run_project(prep: dict[str, Any], n_draws: int, min_obs: int) -> Any:
    """:func:`hbkit.models.project` of a prepared indicator (runs in any thread).

    Floating-point warnings are silenced with ``np.errstate`` (thread-local),
    not ``warnings.catch_warnings`` (process-wide, unsafe across threads).
    """
    from hbkit.models import project

    grid, counts = prep["grid"], prep["counts"]
    with np.errstate(all="ignore"):
        return project(
            grid.values, grid.years, target_year=max(prep["year"], int(grid.years[-1])),
            unit=prep["unit"], bounded=prep["bounded"], signed=prep["signed"],
            numerators=grid.numerators if counts else None,
            denominators=grid.denominators if counts else None,
            n_draws=n_draws, seed=prep["seed"], min_obs=min_obs, labels=grid.geos,
        ).keep_draws()  # every target of the indicator reads the same years


def _common_unit(data: pd.DataFrame) -> str:
    """The most frequent unit of an indicator's rows (``none`` when no row says)."""
    units = data["unit"].dropna().astype(str)
    return str(units.mode().iloc[0]) if len(units) else "none"


def _check_unit(data: pd.DataFrame, indicator: str, unit: str) -> pd.DataFrame:
    """Rows in another unit than the target's are not used, with a DataWarning saying so.

    A unit whose number the reader keeps as it is for the target's unit
    (:data:`hbkit.observations.units.SAME_NUMBER`: ``none`` for ``yuan``, ``persons`` for
    ``count``, ...) is that unit here too, as when the file is read with the catalogue.
    """
    alike = [u for u in pd.unique(data["unit"]) if (u, unit) in SAME_NUMBER]  # per distinct unit
    if alike:
        data = data.assign(unit=data["unit"].where(~data["unit"].isin(alike), unit))
    units = data["unit"].to_numpy(dtype=object)
    other = pd.notna(units) & (units != unit) & (units != "")
    message = _other_units(units[other], indicator, unit)
    if message is None:
        return data
    notify(message, DataWarning, stacklevel=4, geos=data["geo"].to_numpy(dtype=object),
           about=lambda positions: _other_units(units[positions[other[positions]]],
                                                 indicator, unit))
    return data[~other]


def _other_units(units: np.ndarray, indicator: str, unit: str) -> str | None:
    """The notice of the rows of ``indicator`` in ``units`` (not the target's ``unit``),
    ``None`` when there are none.

    >>> _other_units(np.array(["percent", "per_10k"], dtype=object), "imr", "per_1000")
    "2 行 imr 的单位为 per_10k, percent，目标单位为 per_1000，未使用 / 2 rows of imr in unit per_10k, percent (the target's unit is per_1000) were not used"
    """
    if not len(units):
        return None
    found = ", ".join(sorted({str(u) for u in units}))
    return (f"{len(units)} 行 {indicator} 的单位为 {found}，目标单位为 {unit}，未使用 / "
            f"{len(units)} rows of {indicator} in unit {found} (the target's unit is {unit}) "
            "were not used")


def _aggregate_missing(own: pd.DataFrame, data: pd.DataFrame, geos: list[str]
                       ) -> tuple[pd.DataFrame, set[str]]:
    """Areas with no rows of their own get the sum of their sub-units' counts."""
    have = set(own["geo"].unique())
    pieces = [own]
    aggregated = set()
    for geo in geos:
        if geo in have:
            continue
        kids = data[data["geo"].map(parent_geo) == geo]
        if kids.empty:
            continue
        counts = kids.dropna(subset=["numerator", "denominator"])
        if len(counts) != len(kids):
            continue  # without counts a district value cannot be rebuilt from streets
        agg = counts.groupby("year", as_index=False)[["numerator", "denominator"]].sum()
        scale = _unit_scale(str(kids["unit"].dropna().iloc[0]) if kids["unit"].notna().any()
                            else "none")
        agg["value"] = agg["numerator"] / agg["denominator"] * scale
        agg["geo"] = geo
        pieces.append(agg)
        aggregated.add(geo)
    return pd.concat(pieces, ignore_index=True), aggregated


def _unit_scale(unit: str) -> float:
    """Multiplier from a proportion to ``unit`` (1 for units that are not rates)."""

    return UNIT_SCALE.get(unit, 1.0)
