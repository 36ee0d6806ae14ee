"""Each kind of target: model kinds, relational, count_minimum and each_unit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hbkit._names import lower_first
from hbkit._typing import GEO_SEPARATOR
from hbkit.assessment.chunks import _Chunk, _ChunkStore, _quantile_names, chunk_seed
from hbkit.assessment.inputs import (
    SeriesGrid,
    _ancestors,
    build_grid,
    parent_geo,
)
from hbkit.assessment.result import TEXT_DTYPE
from hbkit.assessment.rows import (
    _achieved_so_far,
    _apply_outcomes,
    _fill_common,
    _fill_projection,
    _note_broken_years,
    _note_few_events,
    _note_final_missed,
    _note_slope_before,
    _note_unobserved_unit_years,
    _note_unobserved_years,
    _observed_summary,
    _Rows,
    _store_views,
    _target_value,
    base_year_of,
    moved_last_change,
)
from hbkit.quantiles import interval_summary
from hbkit.status import StatusRules
from hbkit.warnings_rules import expected_shortfall
from hbkit.warnings_rules.statistics import SHORTFALL_LEVEL

if TYPE_CHECKING:
    from hbkit.pooling import PooledUnits

FloatArray = npt.NDArray[np.float64]
#: columns of ``Assessment.unit_frame()``: one row per sub-unit of an each-street target
UNIT_FRAME_COLUMNS = ("target_id", "geo", "geo_en", "unit_geo", "probability", "latest_value",
                      "raw_effect", "effect", "effect_sd", "shrinkage")
#: the text columns of ``Assessment.unit_frame()``; the others are numbers
UNIT_TEXT_COLUMNS = ("target_id", "geo", "geo_en", "unit_geo")


def empty_unit_frame() -> pd.DataFrame:
    """``Assessment.unit_frame()`` without rows: its columns, typed as when it has rows.

    >>> empty_unit_frame().dtypes["probability"].name
    'float64'
    """
    return pd.DataFrame({c: pd.Series([], dtype=TEXT_DTYPE if c in UNIT_TEXT_COLUMNS else float)
                         for c in UNIT_FRAME_COLUMNS})


def _assess_target(target: Any, idx: npt.NDArray[np.int64], geos: npt.NDArray[Any], rows: _Rows,
                   chunks: _ChunkStore, by_indicator: dict[str, pd.DataFrame],
                   coverage: Coverage, unit_rows: list[pd.DataFrame], as_of: int | None,
                   rules: StatusRules, seed: int) -> None:
    """Fill the rows of one target, by its kind."""
    if target.kind == "qualitative":
        rows.set_reason(idx, "定性目标，不评分", "qualitative target, not scored")
        return
    if target.kind == "count_minimum":
        _count_minimum(target, idx, geos, rows, by_indicator, as_of, rules)
        return
    chunk = chunks.get(str(target.indicator))
    # an area with no row of the indicator (nor any of its sub-units) reads as it reads
    # assessed alone, where the indicator has no data at all: not "0 observations"
    absent = coverage.without_rows(str(target.indicator), geos)
    if chunk is None or absent.all():
        rows.set_reason(idx, *_no_data(target.name_zh, target.name_en, target.indicator))
        return
    if absent.any():
        rows.set_reason(idx[absent], *_no_data(target.name_zh, target.name_en, target.indicator))
        idx, geos = idx[~absent], geos[~absent]
    if target.each_unit:
        unit_rows.append(_each_unit(target, idx, geos, rows, chunk,
                                    by_indicator.get(str(target.indicator)), as_of, rules, seed))
    elif target.kind == "relational":
        ref = chunks.get(target.reference_indicator)
        # areas without a row of the reference read as alone, where it has no data at all
        no_ref = coverage.without_rows(str(target.reference_indicator), geos)
        if ref is None or no_ref.all():
            _relational(target, idx, geos, rows, chunk, None, as_of, rules)
        else:
            if no_ref.any():
                _relational(target, idx[no_ref], geos[no_ref], rows, chunk, None, as_of, rules)
            _relational(target, idx[~no_ref], geos[~no_ref], rows, chunk, ref, as_of, rules)
    else:
        _model_kind(target, idx, geos, rows, chunk, as_of, rules)


def covered_areas(data: pd.DataFrame | None) -> frozenset[str]:
    """The areas with a row of their own in ``data``, or a row of one of their sub-units.

    >>> sorted(covered_areas(pd.DataFrame({"geo": ["河北区/宁园街道", "和平区"]})))
    ['和平区', '河北区', '河北区/宁园街道']
    """
    if data is None or data.empty:
        return frozenset()
    covered: set[str] = set()
    for g in data["geo"].astype(str).unique():
        covered.add(g)
        covered.update(_ancestors(g))
    return frozenset(covered)


def _without_rows(covered: frozenset[str], geos: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Areas ``geos`` not in ``covered`` (:func:`covered_areas`): without a row of their own
    or of a sub-unit.

    >>> d = pd.DataFrame({"geo": ["河北区/宁园街道", "和平区"]})
    >>> _without_rows(covered_areas(d), np.array(["河北区", "和平区", "河西区"])).tolist()
    [False, False, True]
    """
    return np.array([str(g) not in covered for g in geos], dtype=bool)


class Coverage:
    """The areas each indicator's rows cover (:func:`covered_areas`), worked out once per
    indicator however many targets read it."""

    def __init__(self, by_indicator: dict[str, pd.DataFrame]):
        self.by_indicator = by_indicator
        self._covered: dict[str, frozenset[str]] = {}

    def without_rows(self, indicator: str, geos: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
        """Areas ``geos`` without a row of ``indicator``, of their own or of a sub-unit.

        >>> cover = Coverage({"imm": pd.DataFrame({"geo": ["河北区/宁园街道"]})})
        >>> cover.without_rows("imm", np.array(["河北区", "和平区"])).tolist()
        [False, True]
        >>> cover.without_rows("mmr", np.array(["河北区"])).tolist()
        [True]
        """
        if indicator not in self._covered:
            self._covered[indicator] = covered_areas(self.by_indicator.get(indicator))
        return _without_rows(self._covered[indicator], geos)


def _names(name_zh: str, name_en: str, code: Any) -> tuple[str, str]:
    """Chinese and English names of an indicator, the English one as it reads mid-sentence;
    the id only when it has no name at all.

    >>> _names("孕产妇死亡率", "Maternal mortality ratio", "mmr")
    ('孕产妇死亡率', 'maternal mortality ratio')
    >>> _names("孕产妇死亡率", "", "mmr"), _names("", "", "mmr")
    (('孕产妇死亡率', '孕产妇死亡率'), ('mmr', "'mmr'"))
    """
    zh = name_zh or name_en or str(code)
    en = lower_first(name_en) if name_en else (name_zh or repr(str(code)))
    return zh, en


def _no_data(name_zh: str, name_en: str, code: Any) -> tuple[str, str]:
    """The reason of an indicator without data, by its names.

    >>> _no_data("孕产妇死亡率", "Maternal mortality ratio", "mmr")
    ('无孕产妇死亡率数据', 'no data for maternal mortality ratio')
    """
    zh, en = _names(name_zh, name_en, code)
    return f"无{zh}数据", f"no data for {en}"


def _reference_names(target: Any) -> tuple[str, str]:
    """Chinese and English names of a relational target's reference indicator."""
    return _names(target.reference_name_zh, target.reference_name_en,
                  target.reference_indicator)


def _printed_ends(chunk: _Chunk, year: int, r: npt.NDArray[np.int64],
                  levels: tuple[float, ...]) -> FloatArray | None:
    """The ends of grid rows ``r``'s 95% interval in ``year`` as the rows print them
    (from the chunk's quantiles, already worked out), or ``None`` when the 95% level is
    not printed (:func:`~hbkit.warnings_rules.expected_shortfall` then works them out)."""
    if SHORTFALL_LEVEL not in levels:
        return None
    k = levels.index(SHORTFALL_LEVEL)
    return chunk.quantiles(year, levels)[r][:, 1 + 2 * k: 3 + 2 * k]


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
            np.full(short.size, target.direction, dtype=object),
            _printed_ends(chunk, year, r[short], rows.levels))
    _note_slope_before(rows, idx, grid, r, target)
    early, final = _achieved_so_far(target, grid, grid.values[r],
                                    rows.num["latest_year"][idx], as_of)
    _apply_outcomes(rows, idx, early, final, as_of, target, rules.early_achievement)
    _note_few_events(rows, idx, grid, r, target)
    if target.every_year:
        _note_broken_years(rows, idx, early)
        _note_unobserved_years(rows, idx, grid, r, target)
        for k, i in enumerate(idx):
            _note_final_missed(rows, int(i), target, [("", grid.years, grid.values[r[k]])])
    del proj
    _store_views(rows, idx, chunk, r, tv)


def _probability(target: Any, chunk: _Chunk, r: npt.NDArray[np.int64]) -> FloatArray:
    """P(event) from the joint paths of the projection, for rows ``r``."""
    from hbkit import attainment

    proj = chunk.projection
    p = np.asarray(attainment.probability(target, proj), dtype=float)
    return p[r]


def _relational(target: Any, idx: npt.NDArray[np.int64], geos: npt.NDArray[Any], rows: _Rows,
                chunk: _Chunk, ref: _Chunk | None, as_of: int | None, rules: StatusRules
                ) -> None:
    """One indicator against another: P from draws of both, in the same area and year."""
    grid = chunk.grid
    pos = grid.row_of()
    r = np.array([pos[g] for g in geos], dtype=np.int64)
    _fill_common(rows, idx, chunk, r, target)
    year = int(target.target_year)
    _fill_projection(rows, idx, chunk, r, year)
    if ref is None:
        rows.judgeable[idx] = False
        ref_zh, ref_en = _reference_names(target)
        rows.set_reason(idx, f"无参照指标（{ref_zh}）数据",
                        f"no data for the reference indicator ({ref_en})")
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
    ref_median = np.where(have_ref, ref.quantiles(year, ())[rr_safe, 0], np.nan)
    rows.num["target_value"][idx] = ref_median
    ref_ok = np.where(have_ref, ref.projection.ok[rr_safe], False)
    bad = ~ref_ok & rows.judgeable[idx]
    rows.judgeable[idx] &= ref_ok
    ref_zh, ref_en = _reference_names(target)
    rows.set_reason(idx, np.where(have_ref, f"参照指标（{ref_zh}）无法预测",
                                  f"本地区无参照指标（{ref_zh}）数据"),
                    np.where(have_ref, f"the reference indicator ({ref_en}) cannot be projected "
                             "here", f"no data for the reference indicator ({ref_en}) in this "
                             "area"), bad)
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
    final = np.full(len(r), np.nan)
    at_year = np.flatnonzero(grid.years == year)
    if as_of is not None and as_of >= year and at_year.size:  # the target year's own values
        j = int(at_year[0])
        both_then = both[:, j]
        met_then = compare(mv[:, j], tv[:, j], str(target.direction), bool(target.strict)) == 1
        final = np.where(both_then, met_then.astype(float), np.nan)
        # its own target-year value is there, the reference's is not: say which is missing
        rows.set_reason(idx, f"终期评估：参照指标（{ref_zh}）{year}年数据缺失，概率来自模型",
                        f"final evaluation: the reference indicator ({ref_en}) has no value "
                        f"for {year}, so the probability comes from the model",
                        np.isfinite(mv[:, j]) & ~np.isfinite(tv[:, j]) & have_ref, keep=True)
    early = np.where((last_year < year) & (last_year >= 0), met_f, np.nan)
    _apply_outcomes(rows, idx, early, final, as_of, target, rules.early_achievement)
    _store_views(rows, idx, chunk, r, ref_median)


def _on_grid(grid: SeriesGrid, r: npt.NDArray[np.int64], years: npt.NDArray[np.int64]) -> FloatArray:
    """Values of rows ``r`` of ``grid`` at ``years`` (NaN where the grid has no such year)."""
    out = np.full((len(r), years.size), np.nan)
    pos = {int(y): j for j, y in enumerate(grid.years)}
    for j, y in enumerate(years):
        if int(y) in pos:
            out[:, j] = grid.values[r, pos[int(y)]]
    return out


def _count_minimum(target: Any, idx: npt.NDArray[np.int64], geos: npt.NDArray[Any], rows: _Rows,
                   by_indicator: dict[str, pd.DataFrame], as_of: int | None, rules: StatusRules
                   ) -> None:
    """Status from counts (at least N in each unit), no forecast.

    Met before the target year: achieved early (提前实现), or, with
    ``StatusRules(early_achievement=False)``, on track worded 目前已达到 (met so
    far): without a forecast there is no probability to judge it by.
    """
    from hbkit.attainment import compare

    data = by_indicator.get(str(target.indicator))
    rows.txt["method"][idx] = "计数规则，不预测 / count rule, no forecast"
    rows.txt["scale"][idx] = "count"
    if data is None or data.empty:
        rows.set_reason(idx, *_no_data(target.name_zh, target.name_en, target.indicator))
        return
    latest = data.sort_values("year").groupby("geo").tail(1).set_index("geo")
    years_of = data.groupby("geo")["year"].unique()  # once, not a scan of the data per area
    members = _members(latest.index.tolist(), bool(target.each_unit))
    final_year = as_of is not None and as_of >= target.target_year
    absent = _without_rows(covered_areas(data), geos)  # no row at all here: as alone, no data for it
    for i, geo, none in zip(idx, geos, absent, strict=True):
        units = members.get(geo, [])
        if none:
            rows.set_reason(i, *_no_data(target.name_zh, target.name_en, target.indicator))
            continue
        if not units:
            rows.set_reason(i, f"{geo}无{'下级单位' if target.each_unit else ''}数据",
                            f"no data in {geo}" + (" sub-units" if target.each_unit else ""))
            continue
        sub = latest.loc[units]
        values = sub["value"].to_numpy(dtype=float)
        met = compare(values, target.threshold, "increase", bool(target.strict)) == 1
        rows.has_data[i] = True
        rows.judgeable[i] = True
        rows.num["n_obs"][i] = float(len(set().union(*(years_of[u] for u in units))))  # years
        rows.num["latest_year"][i] = float(sub["year"].max())
        rows.num["latest_value"][i] = float(values.min())
        rows.num["target_value"][i] = float(target.threshold)
        # a count rule forecasts nothing: its probability is the outcome, given only when the
        # target year's own count decides it (an older count at the final evaluation: none)
        # (every unit counted in the target year, or a unit below the minimum then)
        current = sub["year"].to_numpy(dtype=int) >= int(target.target_year)
        decided = final_year and bool(current.all() or (current & ~met).any())
        if met.all() and not final_year and not rules.early_achievement:
            rows.met_so_far[i] = True
            rows.variant[i] = "met_so_far"
        elif met.all():
            rows.achieved[i] = True
            rows.variant[i] = "" if final_year else "early"
            rows.num["probability"][i] = 1.0 if decided else np.nan
        else:
            rows.final_failed[i] = True
            rows.variant[i] = "final" if final_year else "not_yet"
            rows.num["probability"][i] = 0.0 if decided else np.nan
            short = [u.rpartition("/")[2] for u, ok in zip(units, met, strict=True) if not ok]
            if target.each_unit:
                rows.set_reason(i, f"未达到最低数量的单位：{'、'.join(short)}",
                                f"units below the minimum: {', '.join(short)}")
        if final_year and not current.all():
            _note_older_counts(rows, int(i), target, units, sub["year"].to_numpy(dtype=int))
        if target.each_unit:
            rows.txt["method"][i] = (f"计数规则（{len(units)}个下级单位），不预测 / count rule over "
                                     f"{len(units)} sub-units, no forecast")


def _note_older_counts(rows: _Rows, i: int, target: Any, units: list[str],
                       years: npt.NDArray[np.int64]) -> None:
    """Final evaluation of a count rule: name the units judged on a count older than the
    target year (the rule reads each unit's latest count), after any reason already there.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> rows = _Rows(pd.DataFrame(index=range(1)), (0.8,))
    >>> _note_older_counts(rows, 0, SimpleNamespace(target_year=2025, each_unit="street"),
    ...                    ["区/甲街道", "区/丙街道"], np.array([2025, 2024]))
    >>> print(rows.reason[0]); print(rows.reason_en[0])
    终期评估：丙街道2025年无数据，按其2024年的数值判定
    final evaluation: no 2025 count for 丙街道, judged on its 2024 count
    """
    year = int(target.target_year)
    old = [(u.rpartition(GEO_SEPARATOR)[2] if target.each_unit else u, int(y))
           for u, y in zip(units, years, strict=True) if y < year]
    zh = "终期评估：" + "；".join(f"{name}{year}年无数据，按其{y}年的数值判定" for name, y in old)
    en = "final evaluation: " + "; ".join(f"no {year} count for {name}, judged on its {y} count"
                                          for name, y in old)
    rows.join_reason(i, zh, en)


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
               chunk: _Chunk, data: pd.DataFrame | None, as_of: int | None, rules: StatusRules,
               seed: int) -> pd.DataFrame:
    """The event in every sub-unit jointly, streets borrowing strength from the district.

    Per area: the grid of its sub-units, the worst unit's observed values, the
    sub-units' pooled paths, their joint probability, the worst unit's
    projection and the observed outcome. Returns the rows of
    ``Assessment.unit_frame()`` (one per sub-unit of each area projected).
    """
    grid = chunk.grid
    pos = grid.row_of()
    out_rows = []
    kids_of = _members(data["geo"].unique().tolist(), True) if data is not None else {}
    rows_of = ({str(k): v for k, v in data.groupby(data["geo"].map(parent_geo))}
               if data is not None and len(data) else {})
    for i, geo in zip(idx, geos, strict=True):
        kids = kids_of.get(geo, [])
        r = pos.get(geo)
        if not kids or r is None:
            _note_no_sub_units(rows, i, geo, target)
            continue
        _fill_common(rows, np.array([i], dtype=np.int64), chunk, np.array([r], dtype=np.int64),
                     target)
        sub = rows_of[geo]
        start, keep, eval_years = _unit_years(target, geo, sub, data, grid)
        ugrid = build_grid(sub, str(target.indicator), grid.unit, kids,
                           first_year=start, last_year=int(grid.years[-1]))
        latest_year, latest_value = _fill_observed_units(rows, i, target, ugrid, len(kids))
        if not chunk.projection.ok[r]:
            if not np.isfinite(grid.values[r]).any():  # streets only: nothing to shrink towards
                _note_no_district_series(rows, i, geo)
            # no probability, but the observed outcome stands, as for a target judged on
            # the area itself: met so far (提前实现), already missed, or decided
            _unit_outcomes(rows, int(i), target, ugrid, latest_year, as_of, rules)
            continue
        pooled = _pool_area(target, geo, chunk, r, ugrid, keep, eval_years, seed)
        unit_p = _fill_joint_probability(rows, i, target, ugrid, eval_years, pooled, len(kids))
        q, tv = _fill_worst_unit_projection(rows, i, target, eval_years, pooled.paths)
        _unit_outcomes(rows, int(i), target, ugrid, latest_year, as_of, rules)
        _store_worst_unit_series(rows, i, target, ugrid, eval_years, q, tv, int(grid.years[-1]))
        out_rows.append(pd.DataFrame({
            "target_id": target.id, "geo": geo, "unit_geo": kids, "probability": unit_p,
            "latest_value": latest_value, "raw_effect": pooled.raw_effect,
            "effect": pooled.effect, "effect_sd": pooled.effect_sd, "shrinkage": pooled.shrinkage,
        }))
    return pd.concat(out_rows, ignore_index=True) if out_rows else empty_unit_frame()


def _note_no_sub_units(rows: _Rows, i: Any, geo: Any, target: Any) -> None:
    """Reason of an area without rows of sub-units (e.g. streets) of the target's indicator."""
    name_zh, name_en = _names(target.name_zh, target.name_en, target.indicator)
    rows.set_reason(i, f"{geo}无{name_zh}的下级单位（如街道）数据",
                    f"no sub-unit (e.g. street) rows '{geo}/...' for {name_en}")


def _note_no_district_series(rows: _Rows, i: Any, geo: Any) -> None:
    """Reason of an area with sub-units but no value of its own: nothing to shrink towards."""
    rows.set_reason(np.array([i], dtype=np.int64),
                    f"以街为单位的目标还需要{geo}本级的数据（各街道的估计向{geo}的水平收缩）",
                    "an each-street target also needs the district's own series "
                    "(each street's estimate is shrunk towards it)")


def _unit_years(target: Any, geo: Any, sub: pd.DataFrame, data: pd.DataFrame | None,
                grid: SeriesGrid) -> tuple[int, npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """An area's own first year, the columns of ``grid`` from it, and the years evaluated.

    The first year is that of the first row of the district or of a sub-unit
    (``sub``): the grid starts at any district's first year, and longer rows
    would round differently. The years evaluated run from it (or the baseline
    year, if earlier) through the target year.

    >>> from types import SimpleNamespace
    >>> rows = pd.DataFrame({"geo": ["区", "区/甲街道"], "year": [2019, 2020]})
    >>> start, keep, years = _unit_years(SimpleNamespace(baseline_year=2018, target_year=2022),
    ...                                  "区", rows.iloc[1:], rows,
    ...                                  SimpleNamespace(years=np.arange(2016, 2021)))
    >>> start, keep.tolist(), years.tolist()
    (2019, [False, False, False, True, True], [2018, 2019, 2020, 2021, 2022])
    """
    own = data["year"][data["geo"] == geo] if data is not None else sub["year"]
    years = np.concatenate([sub["year"].to_numpy(), own.to_numpy()])
    start = max(int(years.min()), int(grid.years[0]))
    first = min(start, int(target.baseline_year or start))
    return start, grid.years >= start, np.arange(first, int(target.target_year) + 1,
                                                 dtype=np.int64)


def _worst(target: Any) -> Any:
    """The worst of the sub-units' values (``np.nanmin`` or ``np.nanmax``, by direction).

    >>> from types import SimpleNamespace
    >>> float(_worst(SimpleNamespace(direction="increase"))(np.array([96.0, np.nan, 94.0])))
    94.0
    """
    return np.nanmin if target.direction == "increase" else np.nanmax


def _fill_observed_units(rows: _Rows, i: Any, target: Any, ugrid: SeriesGrid,
                         n_units: int) -> tuple[FloatArray, FloatArray]:
    """The observed columns of each-unit row ``i``, from its ``n_units`` sub-units.

    Fills the years observed, a unit's value in the target year, and the
    worst unit's baseline and latest value and year (the series the row
    judges, as its chart draws it). Returns each unit's latest year and value.
    """
    _, latest_year, latest_value = _observed_summary(ugrid, np.arange(n_units))
    # years in which any sub-unit was observed (not unit-years: the column is "years observed")
    rows.num["n_obs"][i] = float(np.isfinite(ugrid.values).any(axis=0).sum())
    # a sub-unit's value in the target year, if any (latest_missing asks whether there is one)
    at_target = ugrid.values[:, ugrid.years == int(target.target_year)]
    rows.num["target_year_value"][i] = (at_target[np.isfinite(at_target)][0]
                                        if np.isfinite(at_target).any() else np.nan)
    worst = _worst(target)
    rows.has_data[i] = True
    # the baseline of the series judged (the worst unit each year, as the chart draws
    # it), not the district's: the changes per year and the official conventions compare
    # the worst unit's latest value with it
    at_base = ugrid.values[:, ugrid.years == base_year_of(target)]
    rows.num["baseline_value"][i] = (float(worst(at_base[np.isfinite(at_base)]))
                                     if np.isfinite(at_base).any() else np.nan)
    # the worst unit's latest value, also when the projection cannot be made: the row
    # says 最差单位 beside it, and its changes per year compare it with the worst baseline
    worst_value = float(worst(latest_value))
    rows.num["latest_value"][i] = worst_value
    rows.num["latest_year"][i] = float(np.nanmax(latest_year))
    # the worst street's own last year: its value and year go together in the changes
    # per year (a street last seen in 2021 is not 2023's value)
    rows.num["latest_value_year"][i] = float(np.nanmax(latest_year[latest_value == worst_value]))
    return latest_year, latest_value


def _pool_area(target: Any, geo: Any, chunk: _Chunk, r: int, ugrid: SeriesGrid,
               keep: npt.NDArray[np.bool_], eval_years: npt.NDArray[np.int64],
               seed: int) -> PooledUnits:
    """The sub-units' joint paths over ``eval_years``, each shrunk towards the district
    (grid row ``r``, its history from column ``keep`` on and its draws)."""
    from hbkit.pooling import pool_units

    grid = chunk.grid
    district_draws = np.stack([chunk.draws(int(y))[r] for y in eval_years], axis=1)
    return pool_units(
        ugrid.years, ugrid.values, grid.values[r][keep], district_draws, eval_years, grid.unit,
        numerators=ugrid.numerators if ugrid.has_counts else None,
        denominators=ugrid.denominators if ugrid.has_counts else None,
        bounded=chunk.bounded, signed=bool(chunk.projection.signed),
        seed=chunk_seed(seed, f"{target.id}|{geo}"),
        labels=list(ugrid.geos))


def _fill_joint_probability(rows: _Rows, i: Any, target: Any, ugrid: SeriesGrid,
                            eval_years: npt.NDArray[np.int64], pooled: PooledUnits,
                            n_units: int) -> FloatArray:
    """P that every sub-unit meets the target on the same path (row ``i``'s probability
    and method); returns each unit's own probability (K,)."""
    from hbkit.attainment import evaluate_from, remaining_from_years

    # like hbkit.attainment.probability: every-year rules over each unit's remaining
    # years, from the year after its own last observed value
    starts = remaining_from_years(target, ugrid.years, ugrid.values)
    events = evaluate_from(target, eval_years, pooled.paths, starts)  # (K, S)
    unit_p = np.nanmean(events, axis=1)
    joint = np.where(np.isnan(events), 0.0, events).min(axis=0)
    rows.num["probability"][i] = float(joint.mean())
    rows.txt["method"][i] = (f"{pooled.method}; {n_units} 个下级单位 / sub-units; "
                             "最差单位 / worst unit")
    return unit_p


def _fill_worst_unit_projection(rows: _Rows, i: Any, target: Any,
                                eval_years: npt.NDArray[np.int64],
                                paths: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The worst unit's projection on row ``i``, from the sub-units' paths (K, S, Y).

    Fills the median and interval ends in the target year, the baseline when
    no unit reported it (the model's median of the worst unit then, as a
    district's missing baseline is estimated in ``rows._fill_common``), the
    target value and the expected shortfall. Returns the worst unit's median
    and interval ends each year (Y, Q) and the target value (1,).
    """
    year = int(target.target_year)
    worst_draws = (paths.min(axis=0) if target.direction == "increase"
                   else paths.max(axis=0))  # (S, Y)
    q = interval_summary(worst_draws.T, rows.levels)  # (Y, Q): median, interval ends
    j_target = int(np.flatnonzero(eval_years == year)[0])
    for k, name in enumerate(_quantile_names(rows.levels)):
        rows.num[name][i] = q[j_target, k]
    base_year = base_year_of(target)
    if not np.isfinite(rows.num["baseline_value"][i]) and base_year in eval_years:
        j_base = int(np.flatnonzero(eval_years == base_year)[0])
        rows.num["baseline_value"][i] = float(np.median(worst_draws[:, j_base]))
    tv = _target_value(target, np.array([rows.num["baseline_value"][i]]))
    rows.num["target_value"][i] = tv[0]
    rows.num["expected_shortfall"][i] = expected_shortfall(
        worst_draws[None, :, j_target], tv, np.array([target.direction], dtype=object))[0]
    return q, tv


def _store_worst_unit_series(rows: _Rows, i: Any, target: Any, ugrid: SeriesGrid,
                             eval_years: npt.NDArray[np.int64], q: FloatArray, tv: FloatArray,
                             last_grid_year: int) -> None:
    """The series row ``i`` judges and shows: the worst unit's observed value each year
    and its projection after ``last_grid_year`` (its chart), and whether its last change
    moved (the series judged is the worst unit's, not the district's the row was filled
    with)."""
    hist_obs = np.isfinite(ugrid.values).any(axis=0)
    worst_hist = _worst(target)(
        np.where(np.isfinite(ugrid.values), ugrid.values, np.nan)[:, hist_obs], axis=0)
    rows.moved_last_change[i] = moved_last_change(worst_hist[None, :],
                                                  [rows.txt["method"][i]])[0]
    future = eval_years > last_grid_year
    rows.explicit[int(i)] = {
        "history_years": ugrid.years[hist_obs], "history_values": worst_hist,
        "future_years": eval_years[future], "median": q[future, 0],
        "intervals": {lev: (q[future, 1 + 2 * k], q[future, 2 + 2 * k])
                      for k, lev in enumerate(rows.levels)},
        "target_value": float(tv[0]),
    }


def _unit_outcomes(rows: _Rows, i: int, target: Any, ugrid: SeriesGrid,
                   latest_year: FloatArray, as_of: int | None, rules: StatusRules) -> None:
    """The observed outcome of an each-unit target's row ``i``: every unit by its own
    observed values (met so far, already missed, or decided at the final evaluation)."""
    ii = np.array([i], dtype=np.int64)
    early_u, final_u = _achieved_so_far(target, ugrid, ugrid.values, np.full(
        len(ugrid.geos), np.nanmax(latest_year)), as_of)
    early = np.array([1.0 if np.all(early_u == 1) else (0.0 if np.any(early_u == 0) else np.nan)])
    final = np.array([np.nan])
    if np.any(final_u == 0):  # one unit not meeting the rule decides it, whatever the others
        final = np.array([0.0])
    elif np.isfinite(final_u).all():
        final = np.array([1.0])
    elif as_of is not None and as_of >= target.target_year:
        _note_units_without_target_year(rows, i, target, ugrid)
    _apply_outcomes(rows, ii, early, final, as_of, target, rules.early_achievement)
    if target.every_year:
        _note_broken_years(rows, ii, early)
        _note_unobserved_unit_years(rows, i, ugrid, target)
        _note_final_missed(rows, i, target, [
            (str(geo).rpartition(GEO_SEPARATOR)[2], ugrid.years, values)
            for geo, values in zip(ugrid.geos, ugrid.values, strict=True)])


def _note_units_without_target_year(rows: _Rows, i: int, target: Any, ugrid: SeriesGrid) -> None:
    """Final evaluation of an each-unit target left undecided: name the sub-units without a
    value in the target year (the probability then comes from the model).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> rows = _Rows(pd.DataFrame(index=range(1)), (0.8,))
    >>> grid = SimpleNamespace(geos=np.array(["河北区/甲街道", "河北区/乙街道"]),
    ...                        years=np.arange(2024, 2026),
    ...                        values=np.array([[96.0, np.nan], [97.0, 97.0]]))
    >>> _note_units_without_target_year(rows, 0, SimpleNamespace(target_year=2025), grid)
    >>> print(rows.reason[0]); print(rows.reason_en[0])
    终期评估：甲街道2025年（目标年份）无数据，概率来自模型
    final evaluation: no value for 甲街道 in the target year 2025, so the probability comes from the model
    """
    year = int(target.target_year)
    col = ugrid.years == year
    names = [str(geo).rpartition(GEO_SEPARATOR)[2]
             for geo, values in zip(ugrid.geos, ugrid.values, strict=True)
             if not np.isfinite(values[col]).any()]
    if names:
        rows.set_reason(i, f"终期评估：{'、'.join(names)}{year}年（目标年份）无数据，概率来自模型",
                        f"final evaluation: no value for {', '.join(names)} in the target year "
                        f"{year}, so the probability comes from the model", keep=True)
