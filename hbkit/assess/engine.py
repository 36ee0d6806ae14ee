"""The orchestration behind :func:`hbkit.assess`: targets x areas, one projection per indicator.

Flow (one direction):

1. the observations are read (or taken) and cut at ``as_of``;
2. the areas: every data area that is not a sub-unit of another data area
   (``each_unit`` targets also at the parent of sub-unit rows); one row per
   (target, area), whatever the data;
3. per indicator, one (area x year) grid and **one vectorised call** of
   :func:`hbkit.models.project` over all its areas (seeded per indicator);
4. per target, the probability from joint paths (:mod:`hbkit.attainment`),
   ``achieved`` from the observed values by the same event rule, ``each_unit``
   through :mod:`hbkit.pooling`, ``relational`` from draws of both indicators,
   ``count_minimum`` from the counts (no forecast), ``qualitative`` listed;
5. statuses (:mod:`hbkit.status`), warnings (:mod:`hbkit.warnings_rules`) and
   the official conventions (:func:`hbkit.conventions.official_labels`) for
   all rows at once.
"""

from __future__ import annotations

import warnings
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hbkit._options import check_levels, level_label
from hbkit.assess.inputs import (
    SeriesGrid,
    build_grid,
    district_geos,
    is_simulated,
    observation_frame,
    parent_geo,
    resolve_as_of,
    sources_of,
)
from hbkit.assess.result import FRAME_COLUMNS, Assessment, ChunkSummary, ViewIndex
from hbkit.exceptions import DataWarning, HbkitError
from hbkit.status import StatusRules, classify, status_label
from hbkit.warnings_rules import (
    WARNING_COLUMNS,
    WARNING_NUMBER_COLUMNS,
    expected_shortfall,
    moving_away_flags,
    series_statistics,
    warning_text,
)

FloatArray = npt.NDArray[np.float64]

#: kinds judged on one indicator's projection
MODEL_KINDS = frozenset({"upper_bound", "lower_bound", "level", "maintain", "relative_change",
                         "annual_change", "direction", "trend_slowdown"})
#: years from the plans' base year (2020) to their target year (2025)
PLAN_SPAN = 5
#: kinds whose observed value can make a target achieved before the target year
NO_EARLY_KINDS = frozenset({"trend_slowdown"})


def base_year_of(target: Any) -> int:
    """The target's baseline year, else the plan's base year (five years before the target year).

    The plans run 2021-2025 from the base year 2020; targets that state no base
    year of their own (bounds, maintain) are compared with it in the official
    conventions and in the ``baseline_value`` column.

    >>> from hbkit import Target
    >>> base_year_of(Target(id="x", indicator="i", kind="upper_bound", threshold=1.0))
    2020
    """
    if target.baseline_year is not None:
        return int(target.baseline_year)
    return int(target.target_year) - PLAN_SPAN


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

    def quantiles(self, year: int, qs: tuple[float, ...]) -> FloatArray:
        """(N, len(qs)) quantiles of the draws in ``year`` (NaN rows stay NaN)."""
        key = (year, tuple(qs))
        if key not in self._quantiles:
            self._quantiles[key] = sorted_quantiles(self.draws(year), qs)
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
            qs, _ = _quantile_plan(levels)
            future = np.asarray(self.projection.future_years, dtype=np.int64)
            self._summary = ChunkSummary(self.grid.years, self.grid.values, future,
                                         {int(y): self.quantiles(int(y), qs) for y in future},
                                         levels)
        return self._summary


def sorted_quantiles(draws: FloatArray, qs: tuple[float, ...]) -> FloatArray:
    """Quantiles (N, Q) of each row of ``draws`` (N, S), linear interpolation.

    The same as ``np.quantile(draws, qs, axis=1).T`` (numpy's default method),
    computed by one sort in single precision, which is several times faster on
    thousands of rows; rows with a NaN give NaN.

    >>> d = np.random.default_rng(0).normal(size=(3, 101))
    >>> bool(np.allclose(sorted_quantiles(d, (0.5, 0.1)), np.quantile(d, (0.5, 0.1), axis=1).T,
    ...                  atol=1e-6))
    True
    """
    n, s = draws.shape
    srt = np.sort(draws.astype(np.float32), axis=1)
    pos = np.asarray(qs, dtype=float) * (s - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, s - 1)
    frac = (pos - lo)[None, :]
    out = srt[:, lo].astype(float) * (1 - frac) + srt[:, hi].astype(float) * frac
    out[~np.isfinite(draws).all(axis=1)] = np.nan
    return out


class _Rows:
    """Column arrays of the output frame, filled target by target."""

    def __init__(self, plan: pd.DataFrame, levels: tuple[float, ...]):
        n = len(plan)
        self.n = n
        self.plan = plan
        self.levels = levels
        f = {name: np.full(n, np.nan) for name in (
            "baseline_value", "latest_year", "latest_value", "n_obs", "projected", "probability",
            "target_value", "expected_shortfall")}
        for lev in levels:
            f[f"lo_{level_label(lev)}"] = np.full(n, np.nan)
            f[f"hi_{level_label(lev)}"] = np.full(n, np.nan)
        self.num = f
        self.txt = {name: np.full(n, "", dtype=object) for name in ("method", "scale")}
        self.reason = np.full(n, None, dtype=object)
        self.has_data = np.zeros(n, dtype=bool)
        self.judgeable = np.zeros(n, dtype=bool)
        self.achieved = np.zeros(n, dtype=bool)
        self.final_failed = np.zeros(n, dtype=bool)
        self.final = np.zeros(n, dtype=bool)
        self.variant = np.full(n, "", dtype=object)
        self.recent = np.full(n, np.nan)
        # warnings inputs
        self.fluct = np.zeros(n, dtype=bool)
        self.moving = np.zeros(n, dtype=bool)
        self.moving_p = np.full(n, np.nan)
        self.stat_cols = ("dispersion_chi2", "dispersion_df", "dispersion_ratio", "p_value",
                          "max_abs_z", "max_z_year", "robust_scale", "relative_scale",
                          "reversals", "last_change", "last_z")
        self.stats = {c: np.full(n, np.nan) for c in self.stat_cols}
        self.summaries: list[ChunkSummary] = []
        self.summary_ids: dict[int, int] = {}
        self.summary_id = np.full(n, -1, dtype=np.int64)
        self.grid_row = np.full(n, -1, dtype=np.int64)
        self.explicit: dict[int, dict[str, Any]] = {}


def _event(target: Any, years: Any, values: FloatArray, **kwargs: Any) -> FloatArray:
    """The target's event on full trajectories, as float (1, 0, NaN)."""
    from hbkit.attainment import evaluate_event

    return np.asarray(evaluate_event(target, np.asarray(years), values, **kwargs), dtype=float)


def _target_value(target: Any, baseline_value: FloatArray) -> FloatArray:
    """The level the target asks for, in the indicator's unit (NaN when it has none)."""
    from hbkit.attainment import target_value

    base = np.asarray(baseline_value, dtype=float)
    return np.broadcast_to(np.asarray(target_value(target, base), dtype=float), base.shape).copy()


# ======================================================================================
def assess(
    observations: Any,
    catalogue: Any = None,
    as_of: int | None = None,
    level: Any = (80, 95),
    rules: StatusRules | None = None,
    n_draws: int = 1000,
    seed: int = 0,
) -> Assessment:
    """Assess every target of a catalogue in every area: probability, status, warnings.

    Parameters
    ----------
    observations
        An :class:`~hbkit.Observations`, a DataFrame in the observations layout,
        or the path of a CSV/Excel file (read with :func:`hbkit.read_observations`).
    catalogue
        The targets; default the shipped catalogue of both plans
        (:func:`hbkit.load_catalogue`).
    as_of
        Use only years <= ``as_of`` (default: the latest year in the data).
        With ``as_of`` at or after the target year this is the final
        evaluation (终期评估): achieved or not by the plan's own rule.
    level
        Interval levels in percent, e.g. ``(80, 95)``.
    rules
        Status and warning thresholds (:class:`~hbkit.StatusRules`).
    n_draws
        Simulated paths per series.
    seed
        Seed: the same input and seed give the same output.

    Returns
    -------
    Assessment
        Frozen; ``to_frame()`` has one row per (target, area).

    Examples
    --------
    >>> import pandas as pd, hbkit
    >>> cat = hbkit.Catalogue([hbkit.Target(id="C-health-imr", indicator="imr",
    ...     kind="upper_bound", threshold=5.0, unit="per_1000", name_zh="婴儿死亡率")])
    >>> obs = pd.DataFrame({"indicator": "imr", "geo": "河北区",
    ...     "year": range(2016, 2024), "value": [6.1, 5.8, 5.6, 5.5, 5.1, 5.2, 4.9, 4.8],
    ...     "unit": "per_1000"})
    >>> res = hbkit.assess(obs, catalogue=cat, n_draws=400)
    >>> res.to_frame()[["target_id", "geo", "status"]].values.tolist()
    [['C-health-imr', '河北区', 'achieved']]
    """
    from hbkit.catalogue.catalogue import load_catalogue

    levels = check_levels(level)
    rules = rules if rules is not None else StatusRules()
    if not isinstance(rules, StatusRules):
        raise HbkitError(f"rules must be a hbkit.StatusRules; received {type(rules).__name__}")
    if int(n_draws) < 100:
        raise HbkitError(f"n_draws must be at least 100; received {n_draws!r}")
    if catalogue is None:
        catalogue = load_catalogue()
    frame = observation_frame(observations, catalogue)
    all_observations = frame
    as_of = resolve_as_of(frame, as_of)
    if as_of is not None:
        frame = frame[frame["year"].to_numpy() <= as_of]
    sources = sources_of(frame)
    used = frame[np.isfinite(frame["value"].to_numpy(dtype=float))].reset_index(drop=True)
    targets = list(catalogue)
    plan = _plan_rows(targets, used, all_observations["geo"].astype(str).unique().tolist(),
                      getattr(catalogue, "default_geo", "河北区"))
    rows = _Rows(plan, levels)
    by_indicator = {str(k): v for k, v in used.groupby("indicator", sort=False)}
    chunks = _ChunkStore(targets, plan, by_indicator, as_of, rules, int(n_draws), int(seed))
    unit_rows: list[pd.DataFrame] = []
    # targets grouped by indicator, so that each indicator's draws are freed early
    order = sorted(range(len(targets)), key=lambda i: (str(targets[i].indicator or ""), i))
    t_col = plan["t_index"].to_numpy()
    for t_index in order:
        target = targets[t_index]
        idx = np.flatnonzero(t_col == t_index)
        if idx.size:
            _assess_target(target, idx, plan["geo"].to_numpy()[idx], rows, chunks,
                           by_indicator, unit_rows, as_of, rules, int(seed))
        chunks.done(target)
    frame_out, warn = _finish(targets, plan, rows, as_of, rules, levels)
    views = ViewIndex(rows.summaries, rows.summary_id, rows.grid_row,
                      rows.num["target_value"].copy(), rows.explicit)
    units = (pd.concat(unit_rows, ignore_index=True) if unit_rows else pd.DataFrame(
        columns=["target_id", "geo", "unit_geo", "probability", "latest_value", "raw_effect",
                 "effect", "effect_sd", "shrinkage"]))
    return Assessment(
        catalogue=catalogue, as_of=as_of, level=levels, rules=rules,
        simulated=is_simulated(sources), sources=sources,
        observations=frame.reset_index(drop=True), frame=frame_out, warnings=warn,
        units=units, views=views, seed=int(seed), n_draws=int(n_draws),
    )


def _assess_target(target: Any, idx: npt.NDArray[np.int64], geos: npt.NDArray[Any], rows: _Rows,
                   chunks: _ChunkStore, by_indicator: dict[str, pd.DataFrame],
                   unit_rows: list[pd.DataFrame], as_of: int | None, rules: StatusRules,
                   seed: int) -> None:
    """Fill the rows of one target, by its kind."""
    if target.kind == "qualitative":
        rows.reason[idx] = "定性目标，不评分 / qualitative target, not scored"
        return
    if target.kind == "count_minimum":
        _count_minimum(target, idx, geos, rows, by_indicator, as_of)
        return
    chunk = chunks.get(str(target.indicator))
    if chunk is None:
        rows.reason[idx] = f"无{target.indicator}数据 / no data for indicator {target.indicator!r}"
        return
    if target.each_unit:
        unit_rows.append(_each_unit(target, idx, geos, rows, chunk,
                                    by_indicator.get(str(target.indicator)), as_of, seed))
    elif target.kind == "relational":
        _relational(target, idx, geos, rows, chunk, chunks.get(target.reference_indicator), as_of)
    else:
        _model_kind(target, idx, geos, rows, chunk, as_of, rules)


# ======================================================================================
def _plan_rows(targets: list[Any], used: pd.DataFrame, all_geos: list[str], default_geo: str
               ) -> pd.DataFrame:
    """One row per (target, area): the areas every target is assessed in.

    ``all_geos`` are the areas of every input row (also rows after ``as_of`` or
    reported missing), so an area never disappears from the assessment.
    """
    districts = district_geos(all_geos) or [default_geo]
    geos_of = {str(k): set(v) for k, v in used.groupby("indicator")["geo"]}
    pieces = []
    for t_index, target in enumerate(targets):
        areas = set(districts)
        if target.each_unit:
            for g in geos_of.get(str(target.indicator), ()):
                parent = parent_geo(g)
                if parent is not None and g not in areas:
                    areas.add(parent)
        pieces.append(pd.DataFrame({"t_index": t_index, "geo": sorted(areas)}))
    plan = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame(
        {"t_index": pd.Series(dtype=int), "geo": pd.Series(dtype=object)})
    return plan


class _ChunkStore:
    """Projects each indicator once, on first use, and frees its draws after its last target.

    Keeping every indicator's draws would need N x S x H values per indicator
    at once (gigabytes over thousands of areas); the store keeps at most the
    indicators still in use, and afterwards only their fan-chart summaries.
    """

    def __init__(self, targets: list[Any], plan: pd.DataFrame,
                 by_indicator: dict[str, pd.DataFrame], as_of: int | None, rules: StatusRules,
                 n_draws: int, seed: int):
        self.by_indicator = by_indicator
        self.as_of, self.rules, self.n_draws, self.seed = as_of, rules, n_draws, seed
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
                                                        "unit": None, "bounded": False})
                info["geos"] |= geos
                info["year"] = max(info["year"], target.target_year)
                self.users[str(ind)] = self.users.get(str(ind), 0) + 1
                if ind == target.indicator:
                    info["unit"] = info["unit"] or target.unit
                    info["bounded"] = info["bounded"] or bool(target.bounded)
        self.chunks: dict[str, _Chunk | None] = {}

    def get(self, ind: str | None) -> _Chunk | None:
        """The indicator's chunk (projected now if needed); ``None`` without data."""
        if not ind:
            return None
        if ind not in self.chunks:
            self.chunks[ind] = self._project(ind)
        return self.chunks[ind]

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

    def _project(self, ind: str) -> _Chunk | None:
        from hbkit.models import project

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
        last_year = self.as_of if self.as_of is not None else int(data["year"].max())
        grid = build_grid(data_rows, ind, unit, geos, first_year=int(data["year"].min()),
                          last_year=last_year)
        bounded = info["bounded"] or (unit == "percent" and info["unit"] is None)
        s = chunk_seed(self.seed, ind)
        counts = np.isfinite(grid.numerators).any()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            projection = project(
                grid.values, grid.years, target_year=max(int(info["year"]), int(grid.years[-1])),
                unit=unit, bounded=bounded,
                numerators=grid.numerators if counts else None,
                denominators=grid.denominators if counts else None,
                n_draws=self.n_draws, seed=s, min_obs=self.rules.min_observations,
            )
            stats = series_statistics(grid.years, grid.values,
                                      grid.numerators if counts else None,
                                      grid.denominators if counts else None,
                                      unit, self.rules, s)
        return _Chunk(grid, projection, stats, bounded, aggregated)


def _common_unit(data: pd.DataFrame) -> str:
    units = data["unit"].dropna().astype(str)
    return str(units.mode().iloc[0]) if len(units) else "none"


def _check_unit(data: pd.DataFrame, indicator: str, unit: str) -> pd.DataFrame:
    units = data["unit"].to_numpy(dtype=object)
    other = pd.notna(units) & (units != unit) & (units != "")
    if other.any():
        found = sorted({str(u) for u in units[other]})
        warnings.warn(
            f"{int(other.sum())} 行 {indicator} 的单位为 {', '.join(found)}，目标单位为 {unit}，"
            f"未使用 / {int(other.sum())} rows of {indicator} in unit {', '.join(found)} "
            f"(the target's unit is {unit}) were not used",
            DataWarning, stacklevel=4)
        return data[~other]
    return data


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
    from hbkit._typing import UNIT_SCALE

    return UNIT_SCALE.get(unit, 1.0)


# ======================================================================================
def _observed_summary(grid: SeriesGrid, r: npt.NDArray[np.int64]) -> tuple[FloatArray, ...]:
    v = grid.values[r]
    obs = np.isfinite(v)
    n_obs = obs.sum(axis=1).astype(float)
    last_col = np.where(obs.any(axis=1), v.shape[1] - 1 - np.argmax(obs[:, ::-1], axis=1), 0)
    latest_year = np.where(n_obs > 0, grid.years[last_col], np.nan).astype(float)
    latest_value = np.where(n_obs > 0, v[np.arange(len(r)), last_col], np.nan)
    return n_obs, latest_year, latest_value


def _value_in(grid: SeriesGrid, r: npt.NDArray[np.int64], year: int | None) -> FloatArray:
    if year is None:
        return np.full(len(r), np.nan)
    col = np.flatnonzero(grid.years == year)
    return grid.values[r, col[0]] if col.size else np.full(len(r), np.nan)


def _achieved_so_far(target: Any, grid: SeriesGrid, values: FloatArray, latest_year: FloatArray,
                     as_of: int | None, rules: StatusRules) -> tuple[FloatArray, FloatArray]:
    """(achieved early, final outcome) from the observed values only; NaN = cannot tell.

    Early: the target's own event judged through the latest observed year
    ("met so far"; for every-year kinds no year of the window broke it).
    Final: the event in the target year, when it is observed.
    """
    n = values.shape[0]
    early = np.full(n, np.nan)
    final = np.full(n, np.nan)
    if as_of is not None and as_of >= target.target_year:
        upto = grid.years <= target.target_year
        if grid.years[upto].size and grid.years[upto][-1] == target.target_year:
            final = _event(target, grid.years[upto], values[:, upto])
            missing_target = ~np.isfinite(values[:, np.flatnonzero(upto)[-1]])
            final[missing_target] = np.nan
    if not rules.early_achievement or target.kind in NO_EARLY_KINDS:
        return early, final
    for year in np.unique(latest_year[np.isfinite(latest_year)]).astype(int):
        if year >= target.target_year:
            continue
        if target.baseline_year is not None and year <= target.baseline_year:
            continue
        sel = latest_year == year
        upto = grid.years <= year
        early[sel] = _event(target, grid.years[upto], values[np.ix_(sel, upto)], through_year=year)
    return early, final


def _fill_common(rows: _Rows, idx: npt.NDArray[np.int64], chunk: _Chunk,
                 r: npt.NDArray[np.int64], target: Any) -> None:
    """Observed summary, baseline, model description and series statistics of rows."""
    grid = chunk.grid
    proj = chunk.projection
    n_obs, latest_year, latest_value = _observed_summary(grid, r)
    rows.num["n_obs"][idx] = n_obs
    rows.num["latest_year"][idx] = latest_year
    rows.num["latest_value"][idx] = latest_value
    rows.has_data[idx] = n_obs > 0
    base_year = base_year_of(target)
    base = _value_in(grid, r, base_year)
    if base_year is not None:
        missing = ~np.isfinite(base) & proj.ok[r]
        if missing.any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                est = np.nanmedian(proj.value_draws(int(base_year))[r[missing]], axis=1)
            base[missing] = est
    rows.num["baseline_value"][idx] = base
    method = np.asarray(proj.method, dtype=object)[r]
    if chunk.aggregated:
        agg = np.array([g in chunk.aggregated for g in np.asarray(grid.geos, dtype=object)[r]])
        method = np.where(agg, method + "; 由街道汇总 / aggregated from sub-units", method)
    rows.txt["method"][idx] = method
    rows.txt["scale"][idx] = np.asarray(proj.scale, dtype=object)[r]
    reason = np.asarray(proj.reason, dtype=object)[r]
    reason_zh = np.asarray(getattr(proj, "reason_zh", proj.reason), dtype=object)[r]
    rows.judgeable[idx] = np.array([x is None for x in reason], dtype=bool)
    rows.reason[idx] = [None if a is None else (f"{b} / {a}" if b and b != a else a)
                        for a, b in zip(reason, reason_zh, strict=True)]
    st = chunk.stats
    for c in rows.stat_cols:
        if c in st.columns:
            rows.stats[c][idx] = st[c].to_numpy(dtype=float)[r]
    rows.fluct[idx] = st["fluctuation"].to_numpy(dtype=bool)[r]
    flags, p = moving_away_flags(st.iloc[r], np.full(len(r), target.direction, dtype=object))
    rows.moving[idx] = flags
    rows.moving_p[idx] = p
    rows.recent[idx] = chunk.recent_change()[r]


def _fill_projection(rows: _Rows, idx: npt.NDArray[np.int64], chunk: _Chunk,
                     r: npt.NDArray[np.int64], year: int) -> None:
    qs, names = _quantile_plan(rows.levels)
    q = chunk.quantiles(year, qs)[r]
    rows.num["projected"][idx] = q[:, 0]
    for j, name in enumerate(names[1:], start=1):
        rows.num[name][idx] = q[:, j]


def _quantile_plan(levels: tuple[float, ...]) -> tuple[tuple[float, ...], list[str]]:
    qs: list[float] = [0.5]
    names = ["projected"]
    for lev in levels:
        tail = (100.0 - lev) / 200.0
        qs += [tail, 1.0 - tail]
        names += [f"lo_{level_label(lev)}", f"hi_{level_label(lev)}"]
    return tuple(qs), names


def _store_views(rows: _Rows, idx: npt.NDArray[np.int64], chunk: _Chunk,
                 r: npt.NDArray[np.int64], target_value: FloatArray) -> None:
    summary = chunk.summary(rows.levels)
    key = id(summary)
    if key not in rows.summary_ids:
        rows.summary_ids[key] = len(rows.summaries)
        rows.summaries.append(summary)
    rows.summary_id[idx] = rows.summary_ids[key]
    rows.grid_row[idx] = r
    rows.num["target_value"][idx] = target_value


def _model_kind(target: Any, idx: npt.NDArray[np.int64], geos: npt.NDArray[Any], rows: _Rows,
                chunk: _Chunk, as_of: int | None, rules: StatusRules) -> None:
    """Targets judged on one indicator's projection (bounds, maintain, changes, ...)."""
    grid = chunk.grid
    pos = grid.row_of()
    r = np.array([pos[g] for g in geos], dtype=np.int64)
    _fill_common(rows, idx, chunk, r, target)
    proj = chunk.projection
    year = int(target.target_year)
    _fill_projection(rows, idx, chunk, r, year)
    tv = _target_value(target, rows.num["baseline_value"][idx])
    rows.num["target_value"][idx] = tv
    prob = _probability(target, chunk, r)
    rows.num["probability"][idx] = prob
    # the shortfall is only reported with hard_to_reach, i.e. where P < on_track
    short = np.flatnonzero(~(prob >= rules.on_track))
    if short.size:
        rows.num["expected_shortfall"][idx[short]] = expected_shortfall(
            chunk.draws(year)[r[short]], tv[short],
            np.full(short.size, target.direction, dtype=object))
    early, final = _achieved_so_far(target, grid, grid.values[r],
                                    rows.num["latest_year"][idx], as_of, rules)
    _apply_outcomes(rows, idx, early, final, as_of, target)
    if target.every_year:
        _note_broken_years(rows, idx, early)
    del proj
    _store_views(rows, idx, chunk, r, tv)


def _note_broken_years(rows: _Rows, idx: npt.NDArray[np.int64], so_far: FloatArray) -> None:
    """Every-year rules: say so when an observed year already broke the rule.

    The probability is that of the remaining years (as in the issue: "every
    remaining year jointly"); the plan's own rule counts every year of the
    period, so the final evaluation will say 未实现 whatever happens next.
    """
    broken = (so_far == 0) & ~rows.final[idx]
    if broken.any():
        note = ("规划期内已有年份未达到，终期评估将判为未实现；概率仅指剩余年份 / an observed year of the "
                "plan period already broke the rule, so the final evaluation will say not "
                "achieved; the probability covers the remaining years only")
        cur = rows.reason[idx]
        rows.reason[idx] = np.where(broken & pd.isna(cur), note, cur)


def _probability(target: Any, chunk: _Chunk, r: npt.NDArray[np.int64]) -> FloatArray:
    """P(event) from the joint paths of the projection, for rows ``r``."""
    from hbkit import attainment

    proj = chunk.projection
    p = np.asarray(attainment.probability(target, proj), dtype=float)
    return p[r]


def _apply_outcomes(rows: _Rows, idx: npt.NDArray[np.int64], early: FloatArray, final: FloatArray,
                    as_of: int | None, target: Any) -> None:
    is_final = np.isfinite(final)
    rows.final[idx] = is_final
    ach_final = is_final & (final == 1)
    failed = is_final & (final == 0)
    ach_early = ~is_final & (early == 1)
    rows.achieved[idx] = ach_final | ach_early
    rows.final_failed[idx] = failed
    rows.variant[idx] = np.where(ach_early, "early", np.where(failed, "final", ""))
    p = rows.num["probability"][idx]
    # in the final evaluation the probability is the observed outcome
    rows.num["probability"][idx] = np.where(is_final, final, p)
    if as_of is not None and as_of >= target.target_year:
        note = ("终期评估：目标年份数据缺失，概率来自模型 / final evaluation: the target year is "
                "missing, so the probability comes from the model")
        missing = ~is_final & rows.has_data[idx]
        cur = rows.reason[idx]
        rows.reason[idx] = np.where(missing & pd.isna(cur), note, cur)


def _relational(target: Any, idx: npt.NDArray[np.int64], geos: npt.NDArray[Any], rows: _Rows,
                chunk: _Chunk, ref: _Chunk | None, as_of: int | None) -> None:
    """One indicator against another: P from draws of both, in the same area and year."""
    grid = chunk.grid
    pos = grid.row_of()
    r = np.array([pos[g] for g in geos], dtype=np.int64)
    _fill_common(rows, idx, chunk, r, target)
    year = int(target.target_year)
    _fill_projection(rows, idx, chunk, r, year)
    if ref is None:
        rows.judgeable[idx] = False
        rows.reason[idx] = (f"无参照指标{target.reference_indicator}数据 / no data for the "
                            f"reference indicator {target.reference_indicator!r}")
        _store_views(rows, idx, chunk, r, np.full(len(r), np.nan))
        return
    rpos = ref.grid.row_of()
    rr = np.array([rpos.get(g, -1) for g in geos], dtype=np.int64)
    have_ref = rr >= 0
    rr_safe = np.where(have_ref, rr, 0)
    mine = chunk.draws(year)[r]
    theirs = np.where(have_ref[:, None], ref.draws(year)[rr_safe], np.nan)
    from hbkit.attainment import compare

    hit = compare(mine, theirs, str(target.direction), bool(target.strict)) == 1
    valid = np.isfinite(mine) & np.isfinite(theirs)
    with np.errstate(invalid="ignore", divide="ignore"):
        prob = np.where(valid.all(axis=1), (hit & valid).sum(axis=1) / valid.shape[1], np.nan)
    rows.num["probability"][idx] = prob
    ref_median = np.where(have_ref, ref.quantiles(year, (0.5,))[rr_safe, 0], np.nan)
    rows.num["target_value"][idx] = ref_median
    ref_ok = np.where(have_ref, ref.projection.ok[rr_safe], False)
    bad = ~ref_ok & rows.judgeable[idx]
    rows.judgeable[idx] &= ref_ok
    cur = rows.reason[idx]
    ref_name = target.reference_indicator
    why = np.where(have_ref, f"参照指标{ref_name}无法预测 / the reference indicator {ref_name!r} "
                   "cannot be projected here", f"本地区无参照指标{ref_name}数据 / no data for the "
                   f"reference indicator {ref_name!r} in this area")
    rows.reason[idx] = np.where(bad, why, cur)
    # observed: the latest year where both are observed
    mv = grid.values[r]
    tv = np.where(have_ref[:, None], _on_grid(ref.grid, rr_safe, grid.years), np.nan)
    both = np.isfinite(mv) & np.isfinite(tv)
    last = np.where(both.any(axis=1), mv.shape[1] - 1 - np.argmax(both[:, ::-1], axis=1), -1)
    rowsel = np.arange(len(r))
    a = np.where(last >= 0, mv[rowsel, np.maximum(last, 0)], np.nan)
    b = np.where(last >= 0, tv[rowsel, np.maximum(last, 0)], np.nan)
    met = compare(a, b, str(target.direction), bool(target.strict)) == 1
    last_year = np.where(last >= 0, grid.years[np.maximum(last, 0)], -1)
    met_f = np.where(last >= 0, met.astype(float), np.nan)
    final = np.where(last_year == year, met_f, np.nan) if as_of is not None and as_of >= year \
        else np.full(len(r), np.nan)
    early = np.where((last_year < year) & (last_year >= 0), met_f, np.nan)
    _apply_outcomes(rows, idx, early, final, as_of, target)
    _store_views(rows, idx, chunk, r, ref_median)


def _on_grid(grid: SeriesGrid, r: npt.NDArray[np.int64], years: npt.NDArray[np.int64]) -> FloatArray:
    out = np.full((len(r), years.size), np.nan)
    pos = {int(y): j for j, y in enumerate(grid.years)}
    for j, y in enumerate(years):
        if int(y) in pos:
            out[:, j] = grid.values[r, pos[int(y)]]
    return out


def _count_minimum(target: Any, idx: npt.NDArray[np.int64], geos: npt.NDArray[Any], rows: _Rows,
                   by_indicator: dict[str, pd.DataFrame], as_of: int | None) -> None:
    """Status from counts (at least N in each unit), no forecast."""
    from hbkit.attainment import compare

    data = by_indicator.get(str(target.indicator))
    rows.txt["method"][idx] = "计数规则，不预测 / count rule, no forecast"
    rows.txt["scale"][idx] = "count"
    if data is None or data.empty:
        rows.reason[idx] = f"无{target.indicator}数据 / no data for indicator {target.indicator!r}"
        return
    latest = data.sort_values("year").groupby("geo").tail(1).set_index("geo")
    members = _members(latest.index.tolist(), bool(target.each_unit))
    final_year = as_of is not None and as_of >= target.target_year
    for i, geo in zip(idx, geos, strict=True):
        units = members.get(geo, [])
        if not units:
            rows.reason[i] = (f"{geo}无{'下级单位' if target.each_unit else ''}数据 / no data in "
                              f"{geo}" + (" sub-units" if target.each_unit else ""))
            continue
        sub = latest.loc[units]
        values = sub["value"].to_numpy(dtype=float)
        met = compare(values, target.threshold, "increase", bool(target.strict)) == 1
        rows.has_data[i] = True
        rows.judgeable[i] = True
        rows.num["n_obs"][i] = len(units)
        rows.num["latest_year"][i] = float(sub["year"].max())
        rows.num["latest_value"][i] = float(values.min())
        rows.num["target_value"][i] = float(target.threshold)
        if met.all():
            rows.achieved[i] = True
            rows.variant[i] = "" if final_year else "early"
            rows.num["probability"][i] = 1.0 if final_year else np.nan
        else:
            rows.final_failed[i] = True
            rows.variant[i] = "final" if final_year else "not_yet"
            rows.num["probability"][i] = 0.0 if final_year else np.nan
            short = [u.rpartition("/")[2] for u, ok in zip(units, met, strict=True) if not ok]
            rows.reason[i] = (f"未达到最低数量的单位 / units below the minimum: {', '.join(short)}"
                              if target.each_unit else None)
        if target.each_unit:
            rows.txt["method"][i] = (f"计数规则（{len(units)}个下级单位），不预测 / count rule over "
                                     f"{len(units)} sub-units, no forecast")


def _members(geos: list[str], sub_units: bool) -> dict[str, list[str]]:
    """Area -> the geos that judge it: itself, or its direct sub-units (sorted).

    >>> _members(["a/x", "a/y", "b"], True)
    {'a': ['a/x', 'a/y']}
    """
    out: dict[str, list[str]] = {}
    for g in sorted(geos):
        key = parent_geo(g) if sub_units else g
        if key is not None:
            out.setdefault(key, []).append(g)
    return out


def _each_unit(target: Any, idx: npt.NDArray[np.int64], geos: npt.NDArray[Any], rows: _Rows,
               chunk: _Chunk, data: pd.DataFrame | None, as_of: int | None, seed: int
               ) -> pd.DataFrame:
    """The event in every sub-unit jointly, streets borrowing strength from the district."""
    from hbkit.pooling import pool_units

    grid = chunk.grid
    pos = grid.row_of()
    year = int(target.target_year)
    first = min(int(grid.years[0]), int(target.baseline_year or grid.years[0]))
    eval_years = np.arange(first, year + 1, dtype=np.int64)
    out_rows = []
    kids_of = _members(data["geo"].unique().tolist(), True) if data is not None else {}
    rows_of = ({str(k): v for k, v in data.groupby(data["geo"].map(parent_geo))}
               if data is not None and len(data) else {})
    for i, geo in zip(idx, geos, strict=True):
        kids = kids_of.get(geo, [])
        r = pos.get(geo)
        if not kids or r is None:
            rows.reason[i] = (f"{geo}无下级单位（如街道）数据 / no sub-unit (e.g. street) rows "
                              f"'{geo}/...' for {target.indicator}")
            continue
        rr = np.array([r], dtype=np.int64)
        ii = np.array([i], dtype=np.int64)
        _fill_common(rows, ii, chunk, rr, target)
        sub = rows_of[geo]
        ugrid = build_grid(sub, str(target.indicator), grid.unit, kids,
                           first_year=int(grid.years[0]), last_year=int(grid.years[-1]))
        n_obs, latest_year, latest_value = _observed_summary(ugrid, np.arange(len(kids)))
        rows.num["n_obs"][i] = float(n_obs.sum())
        worst = np.nanmin if target.direction == "increase" else np.nanmax
        rows.has_data[i] = True
        if not chunk.projection.ok[r]:
            continue
        rows.num["latest_value"][i] = float(worst(latest_value))
        rows.num["latest_year"][i] = float(np.nanmax(latest_year))
        district_draws = np.stack([chunk.draws(int(y))[r] for y in eval_years], axis=1)
        pooled = pool_units(
            ugrid.years, ugrid.values, grid.values[r], district_draws, eval_years, grid.unit,
            numerators=ugrid.numerators if ugrid.has_counts else None,
            denominators=ugrid.denominators if ugrid.has_counts else None,
            bounded=chunk.bounded, seed=chunk_seed(seed, f"{target.id}|{geo}"))
        from hbkit.attainment import default_from_year

        # like hbkit.attainment.probability: every-year rules over the remaining years
        from_year = min(max(int(grid.years[-1]) + 1, default_from_year(target)), year)
        events = _event(target, eval_years, pooled.paths, from_year=from_year)  # (K, S)
        unit_p = np.nanmean(events, axis=1)
        joint = np.where(np.isnan(events), 0.0, events).min(axis=0)
        rows.num["probability"][i] = float(joint.mean())
        rows.txt["method"][i] = f"{pooled.method}; {len(kids)} 个下级单位 / sub-units; 最差单位 / worst unit"
        worst_draws = (pooled.paths.min(axis=0) if target.direction == "increase"
                       else pooled.paths.max(axis=0))  # (S, Y)
        qs, names = _quantile_plan(rows.levels)
        q = np.quantile(worst_draws, qs, axis=0).T  # (Y, Q)
        j_target = int(np.flatnonzero(eval_years == year)[0])
        for k, name in enumerate(names):
            rows.num[name][i] = q[j_target, k]
        tv = _target_value(target, np.array([rows.num["baseline_value"][i]]))
        rows.num["target_value"][i] = tv[0]
        rows.num["expected_shortfall"][i] = expected_shortfall(
            worst_draws[None, :, j_target], tv, np.array([target.direction], dtype=object))[0]
        # observed outcome: every unit by its own observed values
        early_u, final_u = _achieved_so_far(target, ugrid, ugrid.values, np.full(
            len(kids), np.nanmax(latest_year)), as_of, StatusRules())
        early = np.array([1.0 if np.all(early_u == 1) else (0.0 if np.any(early_u == 0) else np.nan)])
        final = np.array([np.nan])
        if np.isfinite(final_u).all():
            final = np.array([float(np.all(final_u == 1))])
        _apply_outcomes(rows, ii, early, final, as_of, target)
        hist_obs = np.isfinite(ugrid.values).any(axis=0)
        worst_hist = worst(np.where(np.isfinite(ugrid.values), ugrid.values, np.nan)[:, hist_obs],
                           axis=0)
        future = eval_years > int(grid.years[-1])
        rows.explicit[int(i)] = {
            "history_years": ugrid.years[hist_obs], "history_values": worst_hist,
            "future_years": eval_years[future], "median": q[future, 0],
            "intervals": {lev: (q[future, 1 + 2 * k], q[future, 2 + 2 * k])
                          for k, lev in enumerate(rows.levels)},
            "target_value": float(tv[0]),
        }
        out_rows.append(pd.DataFrame({
            "target_id": target.id, "geo": geo, "unit_geo": kids, "probability": unit_p,
            "latest_value": latest_value, "raw_effect": pooled.raw_effect,
            "effect": pooled.effect, "effect_sd": pooled.effect_sd, "shrinkage": pooled.shrinkage,
        }))
    return pd.concat(out_rows, ignore_index=True) if out_rows else pd.DataFrame()


# ======================================================================================
def _finish(targets: list[Any], plan: pd.DataFrame, rows: _Rows, as_of: int | None,
            rules: StatusRules, levels: tuple[float, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statuses, warnings and conventions for all rows; the output frames."""
    from hbkit.conventions import official_labels

    t_index = plan["t_index"].to_numpy()
    meta = pd.DataFrame([_target_meta(t) for t in targets])
    m = meta.iloc[t_index].reset_index(drop=True) if len(meta) else pd.DataFrame()
    quantitative = (m["kind"] != "qualitative").to_numpy() if len(m) else np.zeros(0, bool)
    status = classify(rows.num["probability"], quantitative=quantitative,
                      has_data=rows.has_data, achieved=rows.achieved,
                      final_failed=rows.final_failed, judgeable=rows.judgeable, rules=rules)
    pairs = pd.Series(status.astype(object) + "|" + rows.variant.astype(str))
    labels = {key: status_label(key.split("|")[0], "zh", key.split("|")[1] or None)
              for key in pairs.unique()}
    status_zh = pairs.map(labels).to_numpy(dtype=object)
    no_data = status == "no_data"
    reason = rows.reason.copy()
    reason[no_data & pd.isna(reason)] = "无数据 / no data"
    reason[(status == "insufficient_data") & pd.isna(reason)] = (
        "无法计算达标概率 / the probability of attainment could not be computed")
    out = pd.DataFrame({
        "target_id": m["target_id"], "plan": m["plan"], "domain": m["domain"],
        "domain_zh": m["domain_zh"], "name_zh": m["name_zh"], "name_en": m["name_en"],
        "text_zh": m["text_zh"], "geo": plan["geo"].to_numpy(), "indicator": m["indicator"],
        "kind": m["kind"], "threshold": m["threshold"].astype(float), "unit": m["unit"],
        "direction": m["direction"], "strict": m["strict"].astype(bool),
        "target_year": m["target_year"].astype(int),
        "baseline_year": m["baseline_year"].astype(float).astype("Int64"),
    })
    for name in ("baseline_value", "latest_year", "latest_value", "n_obs", "projected"):
        out[name] = rows.num[name]
    out["latest_year"] = out["latest_year"].astype("Int64")
    out["n_obs"] = np.nan_to_num(rows.num["n_obs"]).astype(int)
    for lev in levels:
        for side in ("lo", "hi"):
            out[f"{side}_{level_label(lev)}"] = rows.num[f"{side}_{level_label(lev)}"]
    out["probability"] = rows.num["probability"]
    out["status"] = status
    out["status_zh"] = status_zh
    out["method"] = rows.txt["method"]
    out["scale"] = rows.txt["scale"]
    out["reason"] = reason

    conv = official_labels(
        np.where(quantitative & (m["direction"] != "none").to_numpy(), m["direction"], "none"),
        rows.num["target_value"], out["target_year"].to_numpy(dtype=float),
        m["baseline_year"].to_numpy(dtype=float), rows.num["baseline_value"],
        rows.num["latest_year"], rows.num["latest_value"], rows.recent,
        strict=out["strict"].to_numpy(),
    )
    for c in conv.columns:
        out[c] = conv[c].to_numpy()

    # ---- warnings
    hard = np.isin(status, ("at_risk", "off_track")) & ~rows.final
    latest_missing = rows.has_data & (as_of is not None) & (
        np.nan_to_num(rows.num["latest_year"], nan=-1) < (as_of if as_of is not None else 0)) \
        & quantitative & (m["kind"] != "count_minimum").to_numpy()
    fluct = rows.fluct & rows.has_data
    moving = rows.moving & rows.has_data & (status != "achieved")
    flags = {"hard_to_reach": hard, "fluctuation": fluct, "moving_away": moving,
             "latest_missing": latest_missing}
    codes = np.full(len(out), "", dtype=object)
    for code, flag in flags.items():
        codes = np.where(flag, np.where(codes == "", code, codes + ";" + code), codes)
    out["warnings"] = codes
    columns = [c for c in FRAME_COLUMNS if not c.startswith(("lo_", "hi_"))]
    at = columns.index("probability")
    level_cols = [f"{s}_{level_label(lev)}" for lev in levels for s in ("lo", "hi")]
    columns = columns[:at] + level_cols + columns[at:]
    out = out[columns]
    warn = _warning_rows(out, rows, flags, as_of)
    return out, warn


def _target_meta(t: Any) -> dict[str, Any]:
    return {
        "target_id": t.id, "plan": t.plan, "domain": t.domain, "domain_zh": t.domain_zh,
        "name_zh": t.name_zh, "name_en": t.name_en, "text_zh": t.text_zh,
        "indicator": t.indicator, "kind": t.kind,
        "threshold": np.nan if t.threshold is None else float(t.threshold), "unit": t.unit,
        "direction": t.direction, "strict": bool(t.strict), "target_year": int(t.target_year),
        "baseline_year": float(base_year_of(t)) if t.kind != "qualitative" else np.nan,
    }


#: the numbers each warning's text quotes
_TEXT_NUMBERS: dict[str, tuple[str, ...]] = {
    "hard_to_reach": ("probability", "expected_shortfall", "required_annual_change",
                      "achieved_annual_change"),
    "fluctuation": ("dispersion_chi2", "dispersion_df", "p_value", "max_abs_z", "max_z_year",
                    "relative_scale", "reversals"),
    "moving_away": ("last_year", "last_change", "last_z", "p_value"),
    "latest_missing": ("as_of", "last_year"),
}


def _warning_rows(out: pd.DataFrame, rows: _Rows, flags: dict[str, npt.NDArray[np.bool_]],
                  as_of: int | None) -> pd.DataFrame:
    pieces = []
    for code, flag in flags.items():
        sel = np.flatnonzero(flag)
        if sel.size == 0:
            continue
        numbers = pd.DataFrame({c: np.full(sel.size, np.nan) for c in WARNING_NUMBER_COLUMNS})
        numbers["last_year"] = rows.num["latest_year"][sel]
        if code == "hard_to_reach":
            numbers["probability"] = rows.num["probability"][sel]
            numbers["expected_shortfall"] = rows.num["expected_shortfall"][sel]
            numbers["required_annual_change"] = out["required_annual_change"].to_numpy()[sel]
            numbers["achieved_annual_change"] = out["achieved_annual_change"].to_numpy()[sel]
        elif code == "fluctuation":
            for c in ("dispersion_chi2", "dispersion_df", "dispersion_ratio", "p_value",
                      "max_abs_z", "max_z_year", "robust_scale", "relative_scale", "reversals"):
                numbers[c] = rows.stats[c][sel]
        elif code == "moving_away":
            numbers["last_change"] = rows.stats["last_change"][sel]
            numbers["last_z"] = rows.stats["last_z"][sel]
            numbers["p_value"] = rows.moving_p[sel]
        elif code == "latest_missing":
            numbers["as_of"] = float(as_of) if as_of is not None else np.nan
        units = out["unit"].to_numpy()[sel]
        cols = _TEXT_NUMBERS[code]
        records = (dict(zip(cols, vals, strict=True))
                   for vals in zip(*(numbers[c].tolist() for c in cols), strict=True))
        texts = [warning_text(code, rec, str(u)) for rec, u in zip(records, units, strict=True)]
        piece = pd.DataFrame({
            "target_id": out["target_id"].to_numpy()[sel], "geo": out["geo"].to_numpy()[sel],
            "code": code, "text_zh": [t[0] for t in texts], "text_en": [t[1] for t in texts],
            "_row": sel,
        })
        pieces.append(pd.concat([piece, numbers], axis=1))
    if not pieces:
        return pd.DataFrame(columns=list(WARNING_COLUMNS))
    warn = pd.concat(pieces, ignore_index=True).sort_values(["_row", "code"], kind="stable")
    return warn.drop(columns="_row").reset_index(drop=True)[list(WARNING_COLUMNS)]
