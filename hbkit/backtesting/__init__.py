"""Backtests: would hbkit's probabilities have been right on real history?

:func:`backtest` cuts every series at each origin year, projects it with
:func:`hbkit.models.project` from the last ``window`` years up to the origin only
(like a district's 6-8 years of data), gives the probability of each target's
event with :func:`hbkit.attainment.probability`, and judges the event on what
happened with :func:`hbkit.attainment.evaluate_event`, the very function that
judges the simulated paths. The same cases are given to the baselines
(:mod:`hbkit.backtesting.baselines`). The :class:`BacktestResult` scores them.

Without a catalogue, each :class:`TargetRule` (also exported as
``hbkit.TargetRule``) builds targets per series, origin and horizon;
:func:`default_rules` gives the shipped set.

Examples
--------
>>> import numpy as np, pandas as pd
>>> import hbkit
>>> rng = np.random.default_rng(0)
>>> years = np.arange(2000, 2021)
>>> rows = [{"indicator": "under5_mortality_rate", "geo": f"G{i}", "year": y,
...          "value": 40 * np.exp(-0.04 * (y - 2000) + rng.normal(0, 0.03)), "unit": "per_1000"}
...         for i in range(20) for y in years]
>>> result = hbkit.backtest(pd.DataFrame(rows), origins=[2012, 2014], horizon=3, n_draws=200)
>>> sorted(result.cases.kind.unique())
['direction', 'relative_change']
>>> result.compare().method.tolist()[:3]
['hbkit', 'status_quo', 'eurostat']
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hbkit._options import (
    check_levels,
    check_seed,
    check_years,
    count_at_least,
    level_label,
    whole_number,
)
from hbkit.assessment.finish import bilingual
from hbkit.backtesting.baselines import BASELINES, baseline_probabilities, ols_t_forecast
from hbkit.backtesting.result import CASE_COLUMNS, SKIPPED_COLUMNS, BacktestResult
from hbkit.backtesting.rules import (
    RULE_KINDS,
    TargetRule,
    as_rules,
    default_rules,
    infer_directions,
)
from hbkit.catalogue.models import BASELINE_KINDS, Target
from hbkit.exceptions import HbkitError, HbkitWarning
from hbkit.models.scales import flat_rows, moved_last_only

__all__ = ["BacktestResult", "TargetRule", "backtest", "default_rules"]

#: number of OLS-t predictive draws per series (Monte Carlo sd of a probability <= 0.016)
OLS_DRAWS = 1000


def _observation_frame(observations: Any) -> tuple[pd.DataFrame, Any]:
    """The long observations frame, and the example's catalogue if an Example was given."""
    catalogue = None
    if hasattr(observations, "observations") and hasattr(observations, "catalogue"):
        catalogue = observations.catalogue
        observations = observations.observations
    if isinstance(observations, str | Path):
        from hbkit.observations import read_observations

        observations = read_observations(observations)
    frame = observations.frame if hasattr(observations, "frame") else observations
    if not isinstance(frame, pd.DataFrame):
        raise HbkitError("observations 须为 Observations、DataFrame、文件路径或示例（Example） / "
                         "observations must be an Observations, a DataFrame, a path or an "
                         f"Example; received {type(observations).__name__}")
    missing = [c for c in ("indicator", "geo", "year", "value") if c not in frame.columns]
    if missing:
        raise HbkitError(f"观测数据缺少列 {', '.join(missing)} / observations lack the "
                         f"column(s) {', '.join(missing)}")
    return frame, catalogue


class _Panel:
    """One indicator as (N geos, T years) arrays."""

    def __init__(self, frame: pd.DataFrame, indicator: str, bounded: bool, direction: str,
                 signed: bool = False) -> None:
        self.indicator = indicator
        units: list[Any] = (list(frame["unit"].dropna().unique()) if "unit" in frame.columns
                            else [])
        if len(units) > 1:
            shown = ", ".join(map(str, units))
            raise HbkitError(f"指标 {indicator!r} 有多个单位：{shown}；每个指标须只用一个单位 / "
                             f"indicator {indicator!r} has several units: {shown}")
        self.unit = str(units[0]) if len(units) else "none"
        self.bounded = bounded
        self.signed = signed  # values may be negative: identity scale, no floor (a target's signed)
        self.direction = direction
        frame = frame.dropna(subset=["value"])
        dup = frame.duplicated(["geo", "year"], keep=False)
        if dup.any():
            raise HbkitError(f"指标 {indicator!r} 有 {int(dup.sum())} 行的（地区, 年份）重复；每个地区每年"
                             f"只给一个值 / indicator {indicator!r} has {int(dup.sum())} rows with a "
                             "repeated (geo, year); give one value per geo and year")
        self.years = np.arange(int(frame["year"].min()), int(frame["year"].max()) + 1)
        wide = frame.pivot(index="geo", columns="year", values="value").reindex(columns=self.years)
        self.geos = wide.index.to_numpy()
        self.values = wide.to_numpy(float)
        self.numerators = self.denominators = None
        if {"numerator", "denominator"} <= set(frame.columns) and frame["denominator"].notna().any():
            def grid(column: str) -> np.ndarray:
                return (frame.pivot(index="geo", columns="year", values=column)
                        .reindex(index=self.geos, columns=self.years).to_numpy(float))
            self.numerators, self.denominators = grid("numerator"), grid("denominator")

    def window(self, origin: int, window: int) -> tuple[np.ndarray, dict[str, Any]]:
        mask = (self.years > origin - window) & (self.years <= origin)
        counts = {}
        if self.numerators is not None and self.denominators is not None:
            counts = {"numerators": self.numerators[:, mask], "denominators": self.denominators[:, mask]}
        return mask, counts

    def actual(self, year: int) -> np.ndarray:
        col = np.flatnonzero(self.years == year)
        return self.values[:, col[0]] if col.size else np.full(self.geos.size, np.nan)


def _signed_map(indicators: Iterable[str], catalogue: Any) -> dict[str, bool]:
    """Whether each indicator's values may be negative: the catalogue's ``signed`` (without
    a catalogue, or for an indicator it does not know, ``False``: the unit decides)."""
    table: dict[str, bool] = {}
    if catalogue is not None:
        ind = catalogue.indicator_table()
        table = dict(zip(ind["indicator"], ind["signed"].astype(bool), strict=True))
    return {indicator: table.get(indicator, False) for indicator in indicators}


def _bounded_map(indicators: Iterable[str], frame: pd.DataFrame,
                 catalogue: Any) -> dict[str, bool]:
    table: dict[str, bool] = {}
    if catalogue is not None:
        ind = catalogue.indicator_table()
        table = dict(zip(ind["indicator"], ind["bounded"].astype(bool), strict=True))
    out = {}
    for indicator in indicators:
        if indicator in table:
            out[indicator] = table[indicator]
        else:
            units = (frame.loc[frame["indicator"] == indicator, "unit"] if "unit" in frame
                     else pd.Series([], dtype=object))
            out[indicator] = bool(len(units)) and bool((units == "percent").all())
    return out


#: why a combination gave no case: (中文, English), the same words for the same cause
Reason = tuple[str, str]


def _skips(indicator: str, origin: int, reason: Reason, jobs: list[tuple[int, Target, str]],
           geo: str = "") -> list[dict[str, Any]]:
    """Rows of ``settings["skipped"]``: each job (horizon, target, rule label) not backtested."""
    return [{"indicator": indicator, "geo": geo, "origin": origin, "target_id": target.id,
             "rule": label, "reason": reason} for _, target, label in jobs]


def _skipped_frame(skipped: list[dict[str, Any]]) -> pd.DataFrame:
    """``settings["skipped"]``: the rows with each reason as ``中文 / English``.

    >>> _skipped_frame([{"indicator": "x", "geo": "", "origin": 2020, "target_id": "",
    ...                  "rule": "direction", "reason": ("原因", "why")}])["reason"].tolist()
    ['原因 / why']
    """
    rows = [{**row, "reason": " / ".join(row["reason"])} for row in skipped]
    return pd.DataFrame(rows, columns=SKIPPED_COLUMNS)


#: why a catalogue target of a kind no backtest judges gives no case
_KIND_REASONS: dict[str, Reason] = {
    "qualitative": ("定性目标，不评分", "qualitative target, not scored"),
    "count_minimum": ("计数规则（无预测），不回测", "count rule (no forecast), not backtested"),
    "relational": ("比较两个指标，不回测", "compares two indicators, not backtested"),
}


def _catalogue_skips(catalogue: Any, indicators: set[str]) -> list[dict[str, Any]]:
    """The catalogue's targets that no backtest case can judge, with the reason."""
    out = []
    for target in catalogue:
        reason: Reason
        if target.kind not in RULE_KINDS:
            reason = _KIND_REASONS.get(str(target.kind), (
                f"目标类型 {target.kind} 不回测", f"kind {target.kind} is not backtested"))
        elif target.each_unit is not None:
            reason = ("分单位（如各街道）达标的目标不回测", "each-street targets are not backtested")
        elif target.indicator not in indicators:
            reason = ("数据中没有该指标", "no data for the indicator")
        else:
            continue
        out.append({"indicator": target.indicator or "", "geo": "", "origin": np.nan,
                    "target_id": target.id, "rule": "", "reason": reason})
    return out


def _horizon_reason(horizon: int, words: Reason) -> Reason:
    """A rule's reason for building no target, naming the horizon.

    >>> _horizon_reason(2, ("该指标没有期望方向", "no desired direction for the indicator"))
    ('预测 2 年：该指标没有期望方向', 'horizon 2: no desired direction for the indicator')
    """
    return f"预测 {horizon} 年：{words[0]}", f"horizon {horizon}: {words[1]}"


def _catalogue_targets(catalogue: Any, indicators: set[str]) -> list[Target]:
    out = []
    for target in catalogue:
        if (target.kind in RULE_KINDS and target.indicator in indicators
                and target.each_unit is None):
            out.append(target)
    return out


def _evaluate_outcome(evaluate: Any, target: Target, panel: _Panel, first_year: int,
                      rows: np.ndarray) -> np.ndarray:
    """The event on what happened, from the window's first year to the target year."""
    mask = (panel.years >= first_year) & (panel.years <= target.target_year)
    if panel.years.max() < target.target_year:
        return np.full(rows.size, np.nan)
    years = panel.years[mask]
    return np.asarray(evaluate(target, years, panel.values[np.ix_(rows, np.flatnonzero(mask))]),
                      dtype=float)


def _event_after(origin: int, target: Target) -> Any:
    """``evaluate_event`` judging every-year kinds on the years after the origin only.

    The same window as :func:`hbkit.attainment.probability` uses for the
    projection (the remaining years), so truth and forecast ask the same question.
    """
    from hbkit.attainment import default_from_year, evaluate_event

    from_year = min(max(origin + 1, default_from_year(target)), target.target_year)

    def evaluate(t: Target, years: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.asarray(evaluate_event(t, years, values, from_year=from_year), dtype=float)

    return evaluate


def _origin_cases(
    panel: _Panel, origin: int, jobs: list[tuple[int, Target, str]], *, window: int,
    levels: tuple[float, ...], n_draws: int, seed: int, inflation: float | None,
    unscored_weights: Mapping[str, float] | None, rows: np.ndarray, family: str,
) -> pd.DataFrame:
    from hbkit.attainment import probability, target_value
    from hbkit.models import project

    mask, counts = panel.window(origin, window)
    years = panel.years[mask]
    history = panel.values[np.ix_(rows, np.flatnonzero(mask))]
    counts = {k: v[rows] for k, v in counts.items()}
    last_year = max(t.target_year for _, t, _ in jobs)
    kwargs: dict[str, Any] = {} if inflation is None else {"inflation": inflation}
    if unscored_weights is not None:
        kwargs["unscored_weights"] = unscored_weights
    projection = project(history, years, target_year=last_year, unit=panel.unit,
                         bounded=panel.bounded, signed=panel.signed, n_draws=n_draws,
                         seed=seed + origin,
                         **counts, **kwargs)
    future_years = np.arange(origin + 1, last_year + 1)
    rng = np.random.default_rng([seed, origin, 7])
    ols_draws, ols_point, ols_intervals = ols_t_forecast(
        history, years, future_years, OLS_DRAWS, rng, levels)
    n_obs = np.isfinite(history).sum(axis=1)  # years observed in the window, as in assess
    flat = flat_rows(history)  # the window never changed
    moved_last = moved_last_only(history)  # ... or only in its last observed year
    reasons = bilingual(np.asarray(projection.reason_zh, dtype=object),  # 中文 / English,
                        np.asarray(projection.reason, dtype=object))  # as `skipped`
    methods = np.asarray(projection.method, dtype=object)
    frames = []
    point_cache: dict[int, dict[str, np.ndarray]] = {}
    for horizon, target, rule_label in jobs:
        year = target.target_year
        if year not in point_cache:
            h = year - origin - 1
            actual = panel.actual(year)[rows]
            point = {"projected": projection.median(year), "actual": actual,
                     "pit_lo": projection.cdf(actual, year, strict=True),
                     "pit_hi": projection.cdf(actual, year),
                     "ols_projected": ols_point[:, h]}
            for level in levels:
                lab = level_label(level)
                lo, hi = projection.interval(level, year)
                point[f"lo_{lab}"], point[f"hi_{lab}"] = lo, hi
                # the model's own probability of its printed interval (near the level;
                # a reported value with much of the probability moves it: a few deaths)
                point[f"model_coverage_{lab}"] = (projection.cdf(hi, year)
                                                  - projection.cdf(lo, year, strict=True))
                point[f"ols_lo_{lab}"], point[f"ols_hi_{lab}"] = (
                    ols_intervals[level][0][:, h], ols_intervals[level][1][:, h])
            point_cache[year] = point
        evaluate = _event_after(origin, target)
        p = np.asarray(probability(target, projection), dtype=float)
        outcome = _evaluate_outcome(evaluate, target, panel, int(years[0]), rows)
        base = baseline_probabilities(
            target, history, years, origin, evaluate=evaluate, target_value=target_value,
            ols_draws=ols_draws, ols_years=future_years)
        frame = pd.DataFrame({
            "family": family, "indicator": panel.indicator, "geo": panel.geos[rows],
            "origin": origin, "horizon": horizon, "n_obs": n_obs, "flat_window": flat,
            "moved_last_only": moved_last, "target_year": year,
            "rule": rule_label,
            "target_id": target.id, "kind": target.kind, "direction": target.direction,
            "threshold": np.nan if target.threshold is None else target.threshold,
            "baseline_year": np.nan if target.baseline_year is None else target.baseline_year,
            "probability": p, "outcome": outcome, **point_cache[year],
            "method": methods, "reason": reasons,
            **{f"p_{name}": base[name] for name in BASELINES},
            **{key: values for key, values in base.items() if key.startswith("band_")},
        })
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _skip_summary(skipped: list[dict[str, Any]], shown: int = 3) -> Reason:
    """The most frequent reasons of ``skipped`` with their counts, for an error message:
    the Chinese and the English.

    >>> rows = [{"reason": ("甲", "a")}, {"reason": ("乙", "b")}, {"reason": ("甲", "a")}]
    >>> _skip_summary(rows)
    ('；未成为案例：2 个 甲；1 个 乙', '; skipped: 2 x a; 1 x b')
    """
    if not skipped:
        return "", ""
    counts: Counter[Reason] = Counter(row["reason"] for row in skipped)
    first = counts.most_common(shown)
    said_zh = "；".join(f"{n} 个 {zh}" for (zh, _), n in first)
    said_en = "; ".join(f"{n} x {en}" for (_, en), n in first)
    rest = len(skipped) - sum(n for _, n in first)
    more_zh, more_en = (f"；另有 {rest} 个", f"; {rest} more") if len(counts) > shown else ("", "")
    return f"；未成为案例：{said_zh}{more_zh}", f"; skipped: {said_en}{more_en}"


def _no_target_year_note(targets: list[Target], with_catalogue: bool, max_h: int
                         ) -> tuple[str, str]:
    """For an error, in Chinese and English: a catalogue's target years, when none lies 1 to
    ``max_h`` years after an origin (such origins ask for no case, so nothing is skipped).

    >>> target = Target(id="a", indicator="x", kind="upper_bound", threshold=1, target_year=2020)
    >>> _no_target_year_note([target], True, 3)[1]
    "; the catalogue's target years (2020) must be 1-3 years after an origin"
    """
    if not with_catalogue:
        return "", ""
    years = ", ".join(map(str, sorted({int(t.target_year) for t in targets}))) or "none"
    return (f"；目录的目标年份（{years}）须在起始年份之后 1-{max_h} 年",
            f"; the catalogue's target years ({years}) must be 1-{max_h} years after an origin")


def _warn_origins_without_cases(origins: list[int], used: set[int],
                                skipped: list[dict[str, Any]], unasked: Reason) -> None:
    """Warn, naming the first reason of each, when origins the user chose gave no case at all.

    Their rows are in ``settings["skipped"]``; an origin without any is one
    for which no case was asked for (``unasked`` says why). A run on the
    other origins goes on.
    """
    idle = [o for o in dict.fromkeys(origins) if o not in used]
    if not idle:
        return
    reasons: dict[int, Reason] = {}
    for row in skipped:
        if pd.notna(row["origin"]):  # a catalogue target no backtest judges has no origin
            reasons.setdefault(int(row["origin"]), row["reason"])
    said_zh = "；".join(f"{o}：{reasons.get(o, unasked)[0]}" for o in idle)
    said_en = "; ".join(f"{o}: {reasons.get(o, unasked)[1]}" for o in idle)
    warnings.warn(f"起始年份 {'、'.join(map(str, idle))} 没有产生任何回测案例：{said_zh} / origins "
                  f"{', '.join(map(str, idle))} gave no backtest case: {said_en}", HbkitWarning,
                  stacklevel=3)


def _horizons(horizon: Any) -> tuple[int, ...]:
    """``horizon``, one number of years or several, as whole numbers (``"5"`` is 5, as
    :func:`~hbkit._options.whole_number` reads it).

    >>> _horizons(5), _horizons([2, "3", 5.0])
    ((5,), (2, 3, 5))
    """
    one = isinstance(horizon, int | float | str | np.number) or not isinstance(horizon, Iterable)
    return tuple(whole_number("horizon", h) for h in ((horizon,) if one else horizon))


def backtest(
    observations: Any,
    targets: Any = None,
    origins: Iterable[int] | None = None,
    horizon: int | Sequence[int] = 5,
    window: int = 8,
    level: float | Sequence[float] = (80, 95),
    n_draws: int = 1000,
    seed: int = 0,
    *,
    directions: Mapping[str, str] | None = None,
    indicators: Sequence[str] | None = None,
    geos: Sequence[str] | None = None,
    family: str | Mapping[str, str] | None = None,
    inflation: float | None = None,
    unscored_weights: Mapping[str, float] | None = None,
) -> BacktestResult:
    """Backtest hbkit's probabilities and intervals on history.

    Parameters
    ----------
    observations
        Long observations (``indicator, geo, year, value`` [``numerator,
        denominator, unit``]): an ``Observations``, a DataFrame, a path, or an
        example from :func:`hbkit.datasets.load_example` (whose catalogue is
        used when ``targets`` is ``None``).
    targets
        A :class:`~hbkit.catalogue.catalogue.Catalogue` (its targets with an
        evaluable kind, judged at ``geos`` or the catalogue's ``default_geo``,
        from every origin 1 to ``max(horizon)`` years before their target year),
        or a :class:`TargetRule` / sequence of rules building targets per series,
        origin and horizon (default :func:`default_rules`).
    origins
        Years at which the series are cut (default: every year leaving
        ``window`` years of history and at least ``min(horizon)`` years to
        judge; a longer horizon that passes the data's last year gives cases
        without an outcome, counted in ``n_cases`` and not scored). Years as
        ``assess`` reads ``as_of`` (``2012``, ``"2012"``); a text such as
        ``"2010-2015"`` or a lone number is an error: write ``range(2010, 2016)``.
    horizon
        Years from the origin to the target year: one or several (with rules).
    window
        Years of history the model sees (the last ``window`` years up to the origin).
    level
        Interval levels in percent.
    n_draws, seed
        Simulation size (at least 100) and seed (0 to 2147483646, as in
        :func:`hbkit.assess`) of the projections (same input, same output).
    directions
        Desired direction per indicator (default: :func:`~hbkit.backtesting.rules.infer_directions`).
    indicators, geos
        Restrict to these indicators / geos.
    family
        Label of the data in the ``family`` column (a string, or a mapping
        indicator -> family; default: the indicator id).
    inflation
        Spread inflation passed to the projection (default: the shipped
        ``hbkit.models.calibration.DEFAULT_INFLATION``).
    unscored_weights
        Prior model weights of series without a scored point, passed to the
        projection (default: the shipped
        ``hbkit.models.averaging.UNSCORED_WEIGHTS``).

    Returns
    -------
    BacktestResult
        ``settings["skipped"]`` (columns :data:`SKIPPED_COLUMNS`) lists, with
        the reason (``中文 / English``, the same words for the same cause), every (target or rule, origin, area) that gives no case:
        a baseline year outside the window the model sees, an origin before
        the data or without a later year to judge, an area without a value in
        the window, a rule that builds no target for the indicator (no desired
        direction; a threshold outside [0, 100] for a bounded percentage), and
        catalogue targets no backtest can judge (a kind without a forecast,
        each-street targets, an indicator without data). Nothing is dropped
        silently: every case is in ``cases`` or here.
    """
    levels = check_levels(level)
    origin_list = None if origins is None else check_years("origins", origins, sort=False)
    n_draws, seed = count_at_least("n_draws", n_draws, 100), check_seed(seed)
    horizons = _horizons(horizon)
    window = whole_number("window", window)
    if not horizons or min(horizons) < 1:
        raise HbkitError(f"horizon（预测年数）须为一个或多个正整数；收到 {horizon!r} / horizon must be "
                         f"one or more positive integers; received {horizon!r}")
    if window < 2:
        raise HbkitError(f"window（窗口年数）须不少于 2；收到 {window!r} / window must be at least "
                         f"2 years; received {window!r}")
    frame, example_catalogue = _observation_frame(observations)
    catalogue = targets if targets is not None and hasattr(targets, "indicator_table") else None
    if targets is None and example_catalogue is not None:
        catalogue = example_catalogue
    if indicators is not None:
        frame = frame[frame["indicator"].isin(list(indicators))]
    if geos is not None:
        frame = frame[frame["geo"].isin(list(geos))]
    elif catalogue is not None:
        frame = frame[frame["geo"] == catalogue.default_geo]
    present = sorted(frame["indicator"].unique())
    dirs = infer_directions(present, directions)
    bounded = _bounded_map(present, frame, catalogue)
    signed = _signed_map(present, catalogue)
    rules = () if catalogue is not None else as_rules(targets)
    catalogue_targets = _catalogue_targets(catalogue, set(present)) if catalogue is not None else []
    max_h = max(horizons)
    parts = []
    skipped: list[dict[str, Any]] = []
    if catalogue is not None:  # targets no backtest can judge, each said once
        skipped.extend(_catalogue_skips(catalogue, set(present)))
    for indicator in present:
        panel = _Panel(frame[frame["indicator"] == indicator], indicator, bounded[indicator],
                       dirs[indicator], signed[indicator])
        fam = family.get(indicator, indicator) if isinstance(family, Mapping) else (family or indicator)
        first, last = int(panel.years[0]), int(panel.years[-1])
        if origin_list is None:
            chosen = list(range(first + window - 1, last - min(horizons) + 1))
        else:
            chosen = origin_list
        for origin in chosen:

            jobs: list[tuple[int, Target, str]] = []
            if catalogue is not None:
                for target in catalogue_targets:
                    h = target.target_year - origin
                    if target.indicator == indicator and 1 <= h <= max_h:
                        jobs.append((h, target, target.id))
            else:
                for h in horizons:
                    for rule in rules:
                        built = rule.build(indicator, unit=panel.unit, bounded=panel.bounded,
                                           direction=panel.direction, origin=origin, horizon=h)
                        if built is not None:
                            jobs.append((h, built, rule.label))
                        elif rule.applies_to(indicator):
                            skipped.append({"indicator": indicator, "geo": "", "origin": origin,
                                            "target_id": "", "rule": rule.label,
                                            "reason": _horizon_reason(h, rule.not_built_words(
                                                panel.bounded, panel.direction, origin, h))})
            # a baseline the model needs must be inside the window it sees
            outside = [j for j in jobs if j[1].kind in BASELINE_KINDS
                       and j[1].baseline_year is not None
                       and not origin - window < j[1].baseline_year <= origin]
            for job in outside:
                skipped += _skips(indicator, origin, (
                    f"基期年份 {job[1].baseline_year} 不在窗口 {origin - window + 1}-{origin} 之内",
                    f"baseline year {job[1].baseline_year} outside the window "
                    f"{origin - window + 1}-{origin}"), [job])
            jobs = [j for j in jobs if j not in outside]
            if not jobs:
                continue
            if origin < first:
                skipped += _skips(indicator, origin, (
                    f"起始年份早于数据的第一年（{first}）",
                    f"origin before the first year of data ({first})"), jobs)
                continue
            if origin >= last:
                skipped += _skips(indicator, origin, (
                    f"起始年份之后没有数据（数据止于 {last} 年）",
                    f"no year of data after the origin (the data end in {last})"), jobs)
                continue
            seen = np.isfinite(panel.values[:, (panel.years > origin - window)
                                            & (panel.years <= origin)]).any(axis=1)
            for geo in panel.geos[~seen]:
                skipped += _skips(indicator, origin, (
                    f"窗口 {origin - window + 1}-{origin} 内没有数值",
                    f"no value in the window {origin - window + 1}-{origin}"), jobs, str(geo))
            rows = np.flatnonzero(seen)
            if not rows.size:
                continue
            parts.append(_origin_cases(panel, origin, jobs, window=window, levels=levels,
                                       n_draws=n_draws, seed=seed, inflation=inflation,
                                       unscored_weights=unscored_weights, rows=rows,
                                       family=fam))
    if not parts:
        years = frame["year"].dropna()
        span = f"{int(years.min())}-{int(years.max())}" if len(years) else "none"
        said = "all" if origin_list is None else ", ".join(map(str, origin_list))
        shown = ", ".join(map(str, horizons))
        years_zh, years_en = _no_target_year_note(catalogue_targets, catalogue is not None,
                                                  max_h)
        skipped_zh, skipped_en = _skip_summary(skipped)
        raise HbkitError(
            f"没有可回测的案例：数据年份 {span}，起始年份 {said}，窗口 {window} 年，预测 {shown} 年；"
            f"每个起始年份须在窗口内有数据、其后有数据可判定，且目标的指标在数据中{years_zh}{skipped_zh} / "
            f"no backtest case: data {span}, origins {said}, window {window}, horizon {shown}; "
            "each origin needs data in its window and a later year to judge, and the targets' "
            f"indicators must be in the data{years_en}{skipped_en}")
    cases = pd.concat(parts, ignore_index=True)
    if origin_list is not None:
        _warn_origins_without_cases(
            origin_list, set(cases["origin"].astype(int)), skipped,
            (f"其后 1-{max_h} 年内没有目标年份", f"no target year 1-{max_h} years after it")
            if catalogue is not None else ("没有规则为其生成目标", "no rule built a target for it"))
    ordered = [c for c in CASE_COLUMNS if c in cases.columns]
    cases = cases[ordered + [c for c in cases.columns if c not in ordered]]
    settings = {"origins": origin_list, "horizons": horizons,
                "window": window, "n_draws": n_draws, "seed": seed, "inflation": inflation,
                "unscored_weights": unscored_weights,
                "baselines": BASELINES, "skipped": _skipped_frame(skipped)}
    return BacktestResult(cases=cases, levels=levels, settings=settings)
