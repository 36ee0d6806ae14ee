"""The output rows as column arrays, and what every kind fills in them."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hbkit._options import level_label
from hbkit._typing import GEO_SEPARATOR, UNIT_SCALE
from hbkit.assessment.chunks import _Chunk, _quantile_names
from hbkit.assessment.inputs import SeriesGrid
from hbkit.assessment.result import ChunkSummary
from hbkit.attainment import PLAN_SPAN, default_from_year
from hbkit.models.implied import one_event
from hbkit.models.scales import moved_last_only
from hbkit.models.trend import TREND_KINDS
from hbkit.quantiles import row_medians
from hbkit.warnings_rules import moving_away_flags

FloatArray = npt.NDArray[np.float64]

#: kinds whose observed value can make a target achieved before the target year
NO_EARLY_KINDS = frozenset({"trend_slowdown"})


def base_year_of(target: Any) -> int:
    """The target's baseline year, else the plan's base year (:data:`PLAN_SPAN` years before
    the target year: 2020 for 2025, 2025 for 2030).

    Targets that state no base year of their own (bounds, maintain) are
    compared with it in the official conventions and in the ``baseline_value``
    column. It depends on the target alone, never on the other targets of the
    catalogue; a plan that does not run five years states its base year.

    >>> from hbkit import Target
    >>> base_year_of(Target(id="x", indicator="i", kind="upper_bound", threshold=1.0))
    2020
    >>> base_year_of(Target(id="y", indicator="i", kind="upper_bound", threshold=1.0,
    ...                     target_year=2030))
    2025
    """
    if target.baseline_year is not None:
        return int(target.baseline_year)
    return int(target.target_year) - PLAN_SPAN


class _Rows:
    """Column arrays of the output frame, filled target by target."""

    def set_reason(self, idx: Any, zh: Any, en: Any, where: Any = None, *,
                   keep: bool = False) -> None:
        """Set the Chinese and English reason of rows ``idx``.

        Parameters
        ----------
        idx
            Output rows (an index or an array of them).
        zh, en
            The reason in Chinese and in English: one text, or one per row.
        where
            Only the rows where this is ``True`` (default: all of ``idx``).
        keep
            Leave rows that already have a reason as they are.
        """
        idx = np.atleast_1d(np.asarray(idx, dtype=np.int64))
        sel = (np.ones(idx.size, dtype=bool) if where is None
               else np.broadcast_to(np.asarray(where, dtype=bool), idx.shape).copy())
        if keep:
            sel &= pd.isna(self.reason[idx])
        for store, words in ((self.reason, zh), (self.reason_en, en)):
            values = np.empty(idx.size, dtype=object)
            values[:] = words if np.ndim(words) == 0 else list(words)
            store[idx[sel]] = values[sel]

    def join_reason(self, i: int, zh: str, en: str, *, first: bool = False) -> None:
        """Add a reason to row ``i``'s, after it (``；`` / ``; ``) or, with ``first``, before it.

        >>> rows = _Rows(pd.DataFrame(index=range(1)), (0.8,))
        >>> rows.join_reason(0, "乙", "b"); rows.join_reason(0, "甲", "a", first=True)
        >>> rows.reason[0], rows.reason_en[0]
        ('甲；乙', 'a; b')
        """
        for store, text, sep in ((self.reason, zh, "；"), (self.reason_en, en, "; ")):
            old = store[i]
            store[i] = text if pd.isna(old) else (f"{text}{sep}{old}" if first
                                                  else f"{old}{sep}{text}")

    def __init__(self, plan: pd.DataFrame, levels: tuple[float, ...]):
        n = len(plan)
        self.n = n
        self.plan = plan
        self.levels = levels
        f = {name: np.full(n, np.nan) for name in (
            "baseline_value", "latest_year", "latest_value", "n_obs", "projected", "probability",
            "target_value", "expected_shortfall", "target_year_value",
            # the year of latest_value when it is not latest_year (each-street rows: the
            # worst street's own last year), for the changes per year computed from them
            "latest_value_year")}
        for lev in levels:
            f[f"lo_{level_label(lev)}"] = np.full(n, np.nan)
            f[f"hi_{level_label(lev)}"] = np.full(n, np.nan)
        self.num = f
        self.txt = {name: np.full(n, "", dtype=object) for name in ("method", "scale")}
        self.reason = np.full(n, None, dtype=object)  # Chinese
        self.reason_en = np.full(n, None, dtype=object)
        self.has_data = np.zeros(n, dtype=bool)
        self.judgeable = np.zeros(n, dtype=bool)
        self.achieved = np.zeros(n, dtype=bool)
        self.final_failed = np.zeros(n, dtype=bool)
        self.final = np.zeros(n, dtype=bool)
        self.variant = np.full(n, "", dtype=object)
        # a count rule met before the target year with early achievement off: on track
        self.met_so_far = np.zeros(n, dtype=bool)
        # the latest change of a value series that held one value and changed only in its
        # latest year (hbkit.models.scales.moved_last_only), NaN for any other series: a
        # move away from a threshold gets a caveat in the reason (finish._moved_away_once)
        self.moved_last_change = np.full(n, np.nan)
        # rates given as values only, modelled as the counts they imply: one event's rate
        self.implied_one_event = np.full(n, np.nan)
        self.recent = np.full(n, np.nan)
        # warnings inputs
        self.fluct = np.zeros(n, dtype=bool)
        self.moving_p = np.full(n, np.nan)
        self.stat_cols = ("dispersion_chi2", "dispersion_df", "dispersion_ratio", "p_value",
                          "swing_scale",
                          "max_abs_z", "max_z_year", "n_large_changes", "robust_scale",
                          "relative_scale",
                          "reversals", "last_change", "last_z")
        self.stats = {c: np.full(n, np.nan) for c in self.stat_cols}
        self.summaries: list[ChunkSummary] = []
        self.summary_ids: dict[int, int] = {}
        self.summary_id = np.full(n, -1, dtype=np.int64)
        self.grid_row = np.full(n, -1, dtype=np.int64)
        self.explicit: dict[int, dict[str, Any]] = {}


def moved_last_change(values: FloatArray, methods: Any) -> FloatArray:
    """The latest change (N,) of value series projected by trend models that held one value
    and changed only in their latest observed year; NaN for any other series.

    >>> moved_last_change(np.array([[99.0, 99.0, 99.0, 95.0], [99.0, 98.0, 99.0, 95.0]]),
    ...                   ["rw_drift 50% + level 50%", "rw_drift"]).tolist()
    [-4.0, nan]
    >>> moved_last_change(np.array([[0.0, 0.0, 0.0, 1.0]]), ["poisson_trend"]).tolist()
    [nan]
    """
    v = np.asarray(values, dtype=float)
    trend = np.array([any(kind in str(m) for kind in TREND_KINDS) for m in methods], dtype=bool)
    out = np.full(v.shape[0], np.nan)
    for i in np.flatnonzero(trend & moved_last_only(v)):
        seen = v[i, np.isfinite(v[i])]
        out[i] = seen[-1] - seen[0]
    return out


def _event(target: Any, years: Any, values: FloatArray, **kwargs: Any) -> FloatArray:
    """The target's event on full trajectories, as float (1, 0, NaN)."""
    from hbkit.attainment import evaluate_event

    return np.asarray(evaluate_event(target, np.asarray(years), values, **kwargs), dtype=float)


def _target_value(target: Any, baseline_value: FloatArray) -> FloatArray:
    """The level the target asks for, in the indicator's unit (NaN when it has none)."""
    from hbkit.attainment import target_value

    base = np.asarray(baseline_value, dtype=float)
    return np.broadcast_to(np.asarray(target_value(target, base), dtype=float), base.shape).copy()


def _observed_summary(grid: SeriesGrid, r: npt.NDArray[np.int64]) -> tuple[FloatArray, ...]:
    """Number of observed years, latest year and latest value of grid rows ``r``."""
    v = grid.values[r]
    obs = np.isfinite(v)
    n_obs = obs.sum(axis=1).astype(float)
    last_col = np.where(obs.any(axis=1), v.shape[1] - 1 - np.argmax(obs[:, ::-1], axis=1), 0)
    latest_year = np.where(n_obs > 0, grid.years[last_col], np.nan).astype(float)
    latest_value = np.where(n_obs > 0, v[np.arange(len(r)), last_col], np.nan)
    return n_obs, latest_year, latest_value


def _value_in(grid: SeriesGrid, r: npt.NDArray[np.int64], year: int | None) -> FloatArray:
    """Observed values of grid rows ``r`` in ``year`` (NaN when missing or off the grid)."""
    if year is None:
        return np.full(len(r), np.nan)
    col = np.flatnonzero(grid.years == year)
    return grid.values[r, col[0]] if col.size else np.full(len(r), np.nan)


def _achieved_so_far(target: Any, grid: SeriesGrid, values: FloatArray, latest_year: FloatArray,
                     as_of: int | None) -> tuple[FloatArray, FloatArray]:
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
            if target.every_year:
                # an every-year rule broken in an observed year of the window is decided
                # (未实现) by the observed values, whatever the missing target year holds
                for k in np.flatnonzero(missing_target):
                    if _broken_in(target, grid.years[upto], values[k, upto]):
                        final[k] = 0.0
    # "met so far" is judged whatever StatusRules.early_achievement says: an every-year
    # rule already broken must be seen; _apply_outcomes decides whether it is 提前实现
    if target.kind in NO_EARLY_KINDS:
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


def _broken_in(target: Any, years: npt.NDArray[np.int64], values: FloatArray) -> bool:
    """Whether an observed year of an every-year target's window broke its rule."""
    from hbkit.attainment import missed_years

    return bool(missed_years(target, years, values))


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
    # the target year's own value: a final evaluation without it warns latest_missing
    rows.num["target_year_value"][idx] = _value_in(grid, r, int(target.target_year))
    base_year = base_year_of(target)
    base = _value_in(grid, r, base_year)
    if base_year is not None:
        missing = ~np.isfinite(base) & proj.ok[r]
        if missing.any():
            base[missing] = row_medians(proj.value_draws(int(base_year))[r[missing]])
    rows.num["baseline_value"][idx] = base
    method = np.asarray(proj.method, dtype=object)[r]
    if chunk.aggregated:
        agg = np.array([g in chunk.aggregated for g in np.asarray(grid.geos, dtype=object)[r]])
        method = np.where(agg, method + "; 由街道汇总 / aggregated from sub-units", method)
    rows.txt["method"][idx] = method
    rows.moved_last_change[idx] = moved_last_change(grid.values[r], method)
    implied = getattr(proj, "implied_counts", None)
    if implied is not None and np.any(np.asarray(implied)[r]):
        rows.implied_one_event[idx] = np.where(np.asarray(implied, dtype=bool)[r],
                                               one_event(grid.values[r]), np.nan)
    rows.txt["scale"][idx] = np.asarray(proj.scale, dtype=object)[r]
    reason = np.asarray(proj.reason, dtype=object)[r]
    reason_zh = np.asarray(getattr(proj, "reason_zh", proj.reason), dtype=object)[r]
    rows.judgeable[idx] = np.array([x is None for x in reason], dtype=bool)
    rows.set_reason(idx, [b if b else a for a, b in zip(reason, reason_zh, strict=True)], reason)
    st = chunk.stats
    for c in rows.stat_cols:
        if c in st.columns:
            rows.stats[c][idx] = st[c].to_numpy(dtype=float)[r]
    rows.fluct[idx] = st["fluctuation"].to_numpy(dtype=bool)[r]
    # the p-value only: the flag is drawn in finish with the call's StatusRules
    _, p = moving_away_flags(st.iloc[r], np.full(len(r), target.direction, dtype=object))
    rows.moving_p[idx] = p
    rows.recent[idx] = chunk.recent_change()[r]


def _fill_projection(rows: _Rows, idx: npt.NDArray[np.int64], chunk: _Chunk,
                     r: npt.NDArray[np.int64], year: int) -> None:
    """Projected median and interval bounds in ``year`` of grid rows ``r``."""
    names = _quantile_names(rows.levels)
    q = chunk.quantiles(year, rows.levels)[r]
    rows.num["projected"][idx] = q[:, 0]
    for j, name in enumerate(names[1:], start=1):
        rows.num[name][idx] = q[:, j]


def _store_views(rows: _Rows, idx: npt.NDArray[np.int64], chunk: _Chunk,
                 r: npt.NDArray[np.int64], target_value: FloatArray) -> None:
    """Point output rows at their indicator's fan-chart summary."""
    summary = chunk.summary(rows.levels)
    key = id(summary)
    if key not in rows.summary_ids:
        rows.summary_ids[key] = len(rows.summaries)
        rows.summaries.append(summary)
    rows.summary_id[idx] = rows.summary_ids[key]
    rows.grid_row[idx] = r
    rows.num["target_value"][idx] = target_value


def _note_broken_years(rows: _Rows, idx: npt.NDArray[np.int64], so_far: FloatArray) -> None:
    """Every-year rules already broken in an observed year: off track, and say so.

    The probability is that of the remaining years (as in the issue: "every
    remaining year jointly") and stays as it is; the plan's own rule counts
    every year of the period, so the target cannot be met any more: the status
    is off track, worded 已有年份未达到 (already missed in an observed year),
    whatever the probability, and the final evaluation will say 未实现.
    """
    broken = (so_far == 0) & ~rows.final[idx]
    rows.final_failed[idx] |= broken
    rows.variant[idx] = np.where(broken, "broken", rows.variant[idx])
    if broken.any():
        rows.set_reason(idx, "规划期内已有年份未达到，终期评估将判为未实现；概率仅指剩余年份",
                        "an observed year of the plan period already broke the rule, so the "
                        "final evaluation will say not achieved; the probability covers the "
                        "remaining years only", broken, keep=True)


#: observed years up to the base year that a trend-slowdown rule needs for its slope before
SLOPE_YEARS = 2


def _note_slope_before(rows: _Rows, idx: npt.NDArray[np.int64], grid: SeriesGrid,
                       r: npt.NDArray[np.int64], target: Any) -> None:
    """A trend-slowdown rule (上升趋势减缓) compares the slope after the base year with the
    slope up to it: with fewer than :data:`SLOPE_YEARS` observed years up to the base year
    there is no slope before, so no probability and no verdict. Say so, and which years to
    fill in, rather than 无法计算达标概率 or, at the final evaluation, that a probability came
    from the model.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> rows = _Rows(pd.DataFrame(index=range(1)), (0.8,))
    >>> grid = SimpleNamespace(years=np.arange(2020, 2026),
    ...                        values=np.array([[4.5, 4.6, 4.6, 4.7, 4.7, 4.7]]))
    >>> target = SimpleNamespace(kind="trend_slowdown", baseline_year=2020, target_year=2025)
    >>> _note_slope_before(rows, np.array([0]), grid, np.array([0]), target)
    >>> print(rows.reason[0])
    判定须比较2020年前后的趋势斜率，需要2020年及以前至少2个年份的数据，现仅有2020年的数据，无法判断；请补填2020年以前的数据
    """
    if target.kind != "trend_slowdown" or target.baseline_year is None:
        return
    base = int(target.baseline_year)
    before = grid.years <= base
    for k, i in enumerate(idx):
        seen = grid.years[before][np.isfinite(grid.values[r[k]][before])]
        if seen.size >= SLOPE_YEARS:
            continue
        have_zh = f"现仅有{seen[0]}年的数据" if seen.size else f"{base}年及以前没有数据"
        have_en = f"there is only {seen[0]}" if seen.size else f"there is none up to {base}"
        zh = (f"判定须比较{base}年前后的趋势斜率，需要{base}年及以前至少{SLOPE_YEARS}个年份的数据，"
              f"{have_zh}，无法判断；请补填{base}年以前的数据")
        en = (f"the rule compares the trend after {base} with the trend up to {base}, which "
              f"needs at least {SLOPE_YEARS} observed years up to {base}: {have_en}, so it "
              f"cannot be judged; fill in the years before {base}")
        rows.join_reason(int(i), zh, en, first=True)


def _note_final_missed(rows: _Rows, i: int, target: Any,
                       series: list[tuple[str, Any, Any]]) -> None:
    """An every-year rule judged 未实现 in the final evaluation: name the observed years (and
    sub-units) that broke it, with their numbers, at the head of the row's reason.

    The target-year value alone may well meet the rule (a street's 97.1% in 2025 against
    ≥95%), so without these years 未实现 reads as a contradiction. ``series`` holds
    ``(sub-unit name, years, values)``: one item with name ``""`` for a target judged on the
    area itself, one per sub-unit for an each-unit target.

    Examples
    --------
    >>> from hbkit.catalogue.models import Target
    >>> rows = _Rows(pd.DataFrame(index=range(1)), (0.8,))
    >>> rows.final_failed[0] = rows.final[0] = True
    >>> t = Target(id="m", indicator="x", kind="maintain", threshold=95, unit="percent",
    ...            direction="increase", baseline_year=2020, each_unit="street")
    >>> _note_final_missed(rows, 0, t, [("甲街", [2021, 2022, 2025], [96.0, 0.97, 97.1]),
    ...                                 ("乙街", [2021, 2022, 2025], [96.0, 96.0, 96.0])])
    >>> print(rows.reason[0]); print(rows.reason_en[0])
    终期评估：甲街2022年为0.97%，不满足判定规则（2021—2025年每年≥95%），故未实现
    final evaluation: 甲街: 0.97% in 2022, against the rule (every year 2021-2025 >= 95%), so not achieved
    """
    from hbkit.attainment import every_year_number, missed_years, rule_text
    from hbkit.warnings_rules import missed_year_parts

    if not (rows.final[i] and rows.final_failed[i]):
        return
    missed = sorted((year, value, name, _previous_observed(years, values, year))
                    for name, years, values in series
                    for year, value in missed_years(target, years, values))
    if not missed:
        return
    zh, en = missed_year_parts(str(target.kind), missed, str(target.unit),
                               every_year_number(target))
    rule_zh, rule_en = rule_text(target)
    text_zh = f"终期评估：{'、'.join(zh)}，不满足判定规则（{rule_zh}），故未实现"
    text_en = (f"final evaluation: {'; '.join(en)}, against the rule ({rule_en}), "
               "so not achieved")
    rows.join_reason(i, text_zh, text_en, first=True)


def _previous_observed(years: Any, values: Any, year: int) -> int | None:
    """The last year before ``year`` with a value (an every-year change is judged from it).

    >>> _previous_observed([2019, 2020, 2021], [61.0, np.nan, 59.5], 2021)
    2019
    """
    yrs = np.asarray(years, dtype=int)
    before = yrs[(yrs < year) & np.isfinite(np.asarray(values, dtype=float))]
    return int(before.max()) if before.size else None


def _note_unobserved_years(rows: _Rows, idx: npt.NDArray[np.int64], grid: SeriesGrid,
                           r: npt.NDArray[np.int64], target: Any) -> None:
    """An every-year rule met in the final evaluation on the years observed: name the
    years of the plan window without a value (they could not be checked, and are not
    counted as failures), so that 已实现 does not read as every year verified."""
    met = rows.final[idx] & (rows.num["probability"][idx] == 1.0)
    for k in np.flatnonzero(met):
        gap = _unobserved(target, grid.years, grid.values[r[k]])
        if gap:
            years = "、".join(str(y) for y in gap)
            rows.set_reason(idx[k], f"终期评估：{years}年无数据，逐年判定只用了已观测的年份",
                            f"final evaluation: no value for {', '.join(map(str, gap))}; the "
                            "every-year rule was checked on the observed years only", keep=True)


def _unobserved(target: Any, years: npt.NDArray[np.int64], values: FloatArray) -> list[int]:
    """The years of the plan window (from :func:`default_from_year` to the target year)
    without a value in the series ``values`` observed in ``years``."""
    seen = set(years[np.isfinite(values)].tolist())
    return [y for y in range(default_from_year(target), int(target.target_year) + 1)
            if y not in seen]


def _note_unobserved_unit_years(rows: _Rows, i: int, grid: SeriesGrid, target: Any) -> None:
    """:func:`_note_unobserved_years` for an each-unit target (以街为单位): met in the final
    evaluation on the years observed in every sub-unit (the rows of ``grid``), with the
    sub-units and years of the plan window without a value named.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> rows = _Rows(pd.DataFrame(index=range(1)), (0.8,))
    >>> rows.final[0], rows.num["probability"][0] = True, 1.0
    >>> grid = SimpleNamespace(geos=np.array(["河东区/大王庄街道", "河东区/中山门街道"]),
    ...                        years=np.arange(2026, 2031),
    ...                        values=np.array([[96, 97, 96, np.nan, 97], [96, 96, 96, 96, 96.]]))
    >>> target = SimpleNamespace(kind="maintain", every_year=True, baseline_year=2025,
    ...                          target_year=2030)
    >>> _note_unobserved_unit_years(rows, 0, grid, target)
    >>> print(rows.reason[0]); print(rows.reason_en[0])
    终期评估：大王庄街道2029年无数据，逐年判定只用了已观测的年份
    final evaluation: no value for 大王庄街道 in 2029; the every-year rule was checked on the observed years only
    """
    if not (rows.final[i] and rows.num["probability"][i] == 1.0):
        return
    gaps = [(str(geo).rpartition(GEO_SEPARATOR)[2], gap)
            for geo, values in zip(grid.geos, grid.values, strict=True)
            if (gap := _unobserved(target, grid.years, values))]
    if gaps:
        zh = "；".join(f"{name}{'、'.join(map(str, gap))}年" for name, gap in gaps)
        en = "; ".join(f"{name} in {', '.join(map(str, gap))}" for name, gap in gaps)
        rows.set_reason(i, f"终期评估：{zh}无数据，逐年判定只用了已观测的年份",
                        f"final evaluation: no value for {en}; the every-year rule was "
                        "checked on the observed years only", keep=True)


#: events in the target year below which a final verdict on a rate says that chance weighs
#: heavily (the relative standard error of a Poisson count of k is 1 / sqrt(k): 32% at 10)
FEW_EVENTS = 10


def _events(n: float) -> str:
    """``n events`` in English, singular for one.

    >>> _events(1), _events(0), _events(27)
    ('1 event', '0 events', '27 events')
    """
    return f"{n:g} event" + ("" if n == 1 else "s")


def _pooled(grid: SeriesGrid, row: int, window: npt.NDArray[np.bool_], scale: float
            ) -> tuple[float, float, str, str] | None:
    """Events, exposure and the pooled rate (Chinese, English; one decimal, 2.0/10万 beside
    1.6/10万) of ``row`` over the years of ``window`` with counts; ``None`` when no year of
    it has any."""
    from hbkit.report.formatting import unit_suffix

    num, den = grid.numerators[row, window], grid.denominators[row, window]
    seen = np.isfinite(num) & np.isfinite(den) & (den > 0)
    if not seen.any():
        return None
    total, exposure = float(num[seen].sum()), float(den[seen].sum())
    rate = f"{total / exposure * scale:.1f}"
    return (total, exposure, rate + unit_suffix(grid.unit, "zh"),
            rate + unit_suffix(grid.unit, "en"))


def _note_few_events(rows: _Rows, idx: npt.NDArray[np.int64], grid: SeriesGrid,
                     r: npt.NDArray[np.int64], target: Any) -> None:
    """A final verdict on a rate of few events (0 maternal deaths in 2025) is one year's
    chance as much as the district's level: name the plan period's pooled rate beside it.

    Bounds and levels on a rate with its counts, judged in the final evaluation on
    fewer than :data:`FEW_EVENTS` events in the target year; relative-change and
    direction targets (以2020年为基数下降20%, 持续下降), which compare the target year
    with the base year, when either year has fewer than :data:`FEW_EVENTS` events:
    their reason names both years' counts and the pooled rates of the five years up
    to the base year and of the plan period (:func:`_note_few_events_of_two_years`).
    """
    # rates of events (per 1000, 10k, 100k); a percentage is a share, not a count of events
    scale = UNIT_SCALE.get(grid.unit) if grid.unit != "percent" else None
    if scale is None:
        return
    if target.kind in ("relative_change", "direction"):
        _note_few_events_of_two_years(rows, idx, grid, r, target, scale)
        return
    if target.kind not in ("upper_bound", "lower_bound", "level"):
        return
    col = np.flatnonzero(grid.years == int(target.target_year))
    if not col.size:
        return
    window = (grid.years >= default_from_year(target)) & (grid.years <= int(target.target_year))
    first = int(grid.years[window][0])
    for k in np.flatnonzero(rows.final[idx]):
        events = grid.numerators[r[k], col[0]]
        if not np.isfinite(events) or events >= FEW_EVENTS:
            continue
        pooled = _pooled(grid, r[k], window, scale)
        if pooled is None:
            continue
        total, exposure, zh_rate, en_rate = pooled
        year = int(target.target_year)
        rows.set_reason(
            idx[k],
            f"终期评估按{year}年的数值判定；该年仅{events:g}例，偶然性大："
            f"{first}—{year}年有数据的年份合计{total:g}例/{exposure:,.0f}，合{zh_rate}",
            f"final evaluation on the {year} value alone, only {_events(events)} that year, "
            f"so chance weighs heavily: the years {first}-{year} with data pool "
            f"{_events(total)} in {exposure:,.0f}, {en_rate}", keep=True)


def _note_few_events_of_two_years(rows: _Rows, idx: npt.NDArray[np.int64], grid: SeriesGrid,
                                  r: npt.NDArray[np.int64], target: Any, scale: float) -> None:
    """:func:`_note_few_events` for a target comparing the target year with the base year.

    4 child injury deaths in 2020 and 4 in 2025 decide 以2020年数据为基数下降20% (未实现),
    0 drownings in 2025 against 2 in 2020 decide 持续下降 (已实现): the verdict stays the
    plan's, and the reason gives the two years' counts with the pooled rates of the five
    years up to the base year and of the plan period, which say whether the level moved.
    """
    target_year, base = int(target.target_year), base_year_of(target)
    cols = [np.flatnonzero(grid.years == y) for y in (target_year, base)]
    if not all(c.size for c in cols):
        return
    span = target_year - base
    before = (grid.years > base - span) & (grid.years <= base)
    during = (grid.years > base) & (grid.years <= target_year)
    for k in np.flatnonzero(rows.final[idx]):
        now, then = (grid.numerators[r[k], c[0]] for c in cols)
        if not (np.isfinite(now) and np.isfinite(then)) or min(now, then) >= FEW_EVENTS:
            continue
        earlier, later = (_pooled(grid, r[k], window, scale) for window in (before, during))
        if earlier is None or later is None:
            continue
        pools = (earlier, later)
        spans = [(int(grid.years[w][0]), last) for w, last in ((before, base), (during, target_year))]
        zh = "；".join(f"{a}—{b}年有数据的年份合计{p[0]:g}例/{p[1]:,.0f}，合{p[2]}"
                      for (a, b), p in zip(spans, pools, strict=True))
        en = "; ".join(f"the years {a}-{b} with data pool {_events(p[0])} in {p[1]:,.0f}, {p[3]}"
                       for (a, b), p in zip(spans, pools, strict=True))
        rows.set_reason(
            idx[k],
            f"终期评估比较{target_year}年与{base}年的数值，两年分别为{now:g}例和{then:g}例，偶然性大：{zh}",
            f"final evaluation on the {target_year} value against the {base} value, "
            f"{now:g} and {then:g} events in those years, so chance weighs heavily: {en}",
            keep=True)


def _apply_outcomes(rows: _Rows, idx: npt.NDArray[np.int64], early: FloatArray, final: FloatArray,
                    as_of: int | None, target: Any, early_achievement: bool = True) -> None:
    """Achieved (early or final) and final failures, from the observed outcomes; met so far
    is 提前实现 only with ``early_achievement`` (:class:`~hbkit.status.StatusRules`)."""
    is_final = np.isfinite(final)
    rows.final[idx] = is_final
    ach_final = is_final & (final == 1)
    failed = is_final & (final == 0)
    # 提前实现 is before the target year only: in the final evaluation a target whose
    # target-year value is missing is judged on the model's projection, not on an older value
    before_target = as_of is None or as_of < target.target_year
    ach_early = ~is_final & (early == 1) & before_target & early_achievement
    rows.achieved[idx] = ach_final | ach_early
    rows.final_failed[idx] = failed
    rows.variant[idx] = np.where(ach_early, "early", np.where(failed, "final", ""))
    p = rows.num["probability"][idx]
    # in the final evaluation the probability is the observed outcome
    rows.num["probability"][idx] = np.where(is_final, final, p)
    if as_of is not None and as_of >= target.target_year:
        missing = ~is_final & rows.has_data[idx]
        have_target_year = np.isfinite(rows.num["target_year_value"][idx])
        year = int(target.target_year)
        latest = [int(y) if np.isfinite(y) else None for y in rows.num["latest_year"][idx]]
        rows.set_reason(
            idx, [f"终期评估：目标年份（{year}年）数据缺失" + (f"，最近数据为{y}年" if y else "")
                  + "，概率来自模型" for y in latest],
            [f"final evaluation: the target year {year} is missing" + (
                f" (the latest data are for {y})" if y else "")
             + ", so the probability comes from the model" for y in latest],
            missing & ~have_target_year, keep=True)
        # the target year is there, but a year the rule compares it with is not
        if target.kind in ("relative_change", "direction"):
            base = base_year_of(target)
            zh = f"终期评估：基期（{base}年）数据缺失，基期值由模型估计，概率来自模型"
            en = (f"final evaluation: the baseline year {base} is missing, so its value is "
                  "the model's estimate and the probability comes from the model")
        else:
            zh = "终期评估：判定所需的年份数据缺失，概率来自模型"
            en = ("final evaluation: a year the rule needs is missing, so the probability "
                  "comes from the model")
        rows.set_reason(idx, zh, en, missing & have_target_year, keep=True)
