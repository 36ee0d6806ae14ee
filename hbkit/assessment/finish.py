"""Statuses, warnings and official conventions for all rows at once; the output frames."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hbkit._names import geo_english
from hbkit._numbers import number
from hbkit._options import level_label
from hbkit._typing import DOMAIN_EN, UNIT_EN, UNIT_ZH
from hbkit.assessment.result import FRAME_COLUMNS
from hbkit.assessment.rows import _Rows, base_year_of
from hbkit.attainment import direction_bound, every_year_number, missed_in_warnings, rule_text
from hbkit.catalogue.models import EVERY_YEAR_KINDS
from hbkit.status import StatusRules, classify, status_label
from hbkit.warnings_rules import (
    WARNING_COLUMNS,
    WARNING_NUMBER_COLUMNS,
    missed_year_text,
    note_texts,
    warning_levels,
    warning_texts,
)

FloatArray = npt.NDArray[np.float64]


def _short_history_note(n_years: int) -> tuple[str, str]:
    """The caveat of a projected series with few observed years, in Chinese and English.

    >>> _short_history_note(3)[0][:9], _short_history_note(3)[1][:22]
    ('仅有3个观测年份：', 'only 3 observed years:')
    """
    return (f"仅有{n_years}个观测年份：回测中这类短序列平均而言实际达标多于概率所示、区间偏宽，"
            "“预计达标困难”偏保守，请结合趋势图判断，并尽量补填基期以前的数据",
            f"only {n_years} observed years: in backtests such short series met their targets "
            "more often, on average, than their probabilities said, and their intervals were "
            "wide; read a hard-to-reach warning with the chart and add earlier years where "
            "they exist")


def _moved_last_note() -> tuple[str, str]:
    """The caveat of a value series that held one value and then, in its latest year only,
    moved away from its threshold (:func:`_moved_away_once`).

    The figures are those of ``docs/validation.md``, table 3e (DTP3 coverage).

    >>> _moved_last_note()[1][:40]
    'the same value for years, then a move aw'
    """
    return ("多年数值不变、仅最近一年朝不利方向变化：一次变化无法区分偶然波动与趋势转折，模型部分地把它外推为趋势，"
            "区间很宽；回测中这类序列的80%区间实际覆盖了约96%的结果，门槛实际达到的比例高于概率所示，"
            "请结合趋势图判断",
            "the same value for years, then a move away from the threshold in the latest "
            "year only: a blip cannot be told from a turn, the models partly extrapolate it "
            "and the interval is wide; in backtests the 80% intervals of such series held "
            "about 96% of outcomes and the thresholds were met more often than the "
            "probabilities said; read it with the chart")


def _implied_counts_note(one_event: float, unit: str) -> tuple[str, str]:
    """The note of a rate given as values only and modelled as the counts it implies
    (:mod:`hbkit.models.implied`), in Chinese and English.

    >>> _implied_counts_note(22.0, "per_100k")[0][:37]
    '仅报比率且有年份为0：把最小正值22/10万读作1例，按推算的事件数用泊松'
    """
    zh_unit, en_unit = UNIT_ZH.get(unit, ""), UNIT_EN.get(unit, "")
    value = number(one_event)
    return (f"仅报比率且有年份为0：把最小正值{value}{zh_unit}读作1例，按推算的事件数用泊松计数模型"
            "（0值年份即无事件）；请尽量提供分子分母（如死亡数与活产数）",
            f"rates only, with a year at 0: the smallest positive value, {value}{en_unit}, "
            "is read as one event and the implied event counts are modelled with the Poisson "
            "count model (a year at 0 had no event); give the numerators and denominators "
            "(e.g. deaths and live births) where they exist")


#: kinds judged against a threshold, on which table 3e of docs/validation.md measured the
#: caveat of :func:`_moved_away_once` (DTP3 >= 80 every year, >= 90, >= 95, reaches 85)
_THRESHOLD_KINDS = ("lower_bound", "upper_bound", "level", "maintain")


def _moved_away_once(rows: _Rows, meta: pd.DataFrame, projected: npt.NDArray[np.bool_]
                     ) -> npt.NDArray[np.bool_]:
    """Projected threshold rows whose value series held one value and then, in its latest
    year only, moved away from the threshold, with a probability between 0.1 and 0.9 (for
    a bound, the threshold inside the central 80% of the projection, where the interval's
    width moves the probability): what table 3e measured.
    """
    if not len(meta):
        return np.zeros(0, dtype=bool)
    kind = meta["kind"].to_numpy(dtype=object)
    direction = meta["direction"].to_numpy(dtype=object)
    good = np.where(kind == "lower_bound", 1.0, np.where(kind == "upper_bound", -1.0, np.where(
        direction == "increase", 1.0, np.where(direction == "decrease", -1.0, 0.0))))
    change = rows.moved_last_change
    with np.errstate(invalid="ignore"):
        away = np.isfinite(change) & (good * change < 0)
        inside = (rows.num["probability"] >= 0.1) & (rows.num["probability"] <= 0.9)
    return projected & np.isin(kind, _THRESHOLD_KINDS) & away & inside


def _short_history(status: npt.NDArray[np.str_], rows: _Rows, n_years: npt.NDArray[np.int64],
                   rules: StatusRules) -> npt.NDArray[np.bool_]:
    """Rows whose probability comes from a projection on at most ``rules.short_history`` years.

    Projected: on track, at risk or off track before the final evaluation.
    """
    projected = (np.isin(status, ("on_track", "at_risk", "off_track")) & ~rows.final
                 & ~rows.final_failed & np.isfinite(rows.num["probability"]))
    return projected & (n_years > 0) & (n_years <= rules.short_history)


def _note_short_history(reason: npt.NDArray[np.object_], short: npt.NDArray[np.bool_],
                        n_years: npt.NDArray[np.int64], lang: str) -> npt.NDArray[np.object_]:
    """Add the short-history caveat to the ``short`` rows; an existing reason comes first."""
    out = reason.copy()
    for i in np.flatnonzero(short):
        note = _short_history_note(int(n_years[i]))[0 if lang == "zh" else 1]
        out[i] = note if pd.isna(out[i]) else f"{out[i]}{'；' if lang == 'zh' else '; '}{note}"
    return out


def _reasons(rows: _Rows, status: npt.NDArray[np.str_], short: npt.NDArray[np.bool_],
             n_years: npt.NDArray[np.int64], meta: pd.DataFrame
             ) -> dict[str, npt.NDArray[np.object_]]:
    """``reason_zh``, ``reason_en`` and the bilingual ``reason`` (中文 / English) of every row."""
    out: dict[str, npt.NDArray[np.object_]] = {}
    # a probability projected to the target year (also of a target met early, which may be
    # lost again); short series have their own caveat
    projected = (np.isin(status, ("achieved", "on_track", "at_risk", "off_track")) & ~rows.final
                 & ~rows.final_failed & np.isfinite(rows.num["probability"]))
    moved = _moved_away_once(rows, meta, projected & ~short)
    # the counts a projection read from rates only (a final verdict rests on the data)
    implied = projected & np.isfinite(rows.implied_one_event)
    units = meta["unit"].to_numpy(dtype=object) if len(meta) else np.zeros(0, dtype=object)
    for lang, reason, no_data, unknown in (
            ("zh", rows.reason, "无数据", "无法计算达标概率"),
            ("en", rows.reason_en, "no data", "the probability of attainment could not be computed")):
        reason = reason.copy()
        reason[(status == "no_data") & pd.isna(reason)] = no_data
        reason[(status == "insufficient_data") & pd.isna(reason)] = unknown
        note = _moved_last_note()[0 if lang == "zh" else 1]
        for i in np.flatnonzero(moved):
            reason[i] = note if pd.isna(reason[i]) else (
                f"{reason[i]}{'；' if lang == 'zh' else '; '}{note}")
        for i in np.flatnonzero(implied):
            text = _implied_counts_note(float(rows.implied_one_event[i]),
                                        str(units[i]))[0 if lang == "zh" else 1]
            reason[i] = text if pd.isna(reason[i]) else (
                f"{reason[i]}{'；' if lang == 'zh' else '; '}{text}")
        out[f"reason_{lang}"] = _note_short_history(reason, short, n_years, lang)
    out["reason"] = bilingual(out["reason_zh"], out["reason_en"])
    return out


def bilingual(zh: npt.NDArray[np.object_], en: npt.NDArray[np.object_]
              ) -> npt.NDArray[np.object_]:
    """``中文 / English`` of each row; the Chinese alone when the English is missing or the
    same; ``None`` without Chinese.

    Only the rows with two different texts are joined one by one (an assessment
    may have a million rows).

    >>> bilingual(np.array(["无数据", "定性", None, "注"], dtype=object),
    ...           np.array(["no data", "定性", "x", None], dtype=object)).tolist()
    ['无数据 / no data', '定性', None, '注']
    """
    out = np.full(len(zh), None, dtype=object)
    has_zh = ~pd.isna(zh)
    alone = has_zh & pd.isna(en)
    alone[has_zh & ~alone] = zh[has_zh & ~alone] == en[has_zh & ~alone]
    out[alone] = zh[alone]
    both = np.flatnonzero(has_zh & ~alone)
    out[both] = once_per_pair(lambda z, e: f"{z} / {e}", zh[both], en[both])
    return out


def once_per_pair(func: Callable[[Any, Any], Any], first: npt.ArrayLike, second: npt.ArrayLike
                  ) -> npt.NDArray[np.object_]:
    """``func(a, b)`` of each row's pair of values, called once per distinct pair (the
    rows of an assessment repeat a few texts and codes many thousand times).

    >>> once_per_pair(lambda a, b: f"{a}|{b}", ["x", "y", "x"], ["1", "2", "1"]).tolist()
    ['x|1', 'y|2', 'x|1']
    """
    codes_a, uniques_a = pd.factorize(np.asarray(first, dtype=object), use_na_sentinel=False)
    codes_b, uniques_b = pd.factorize(np.asarray(second, dtype=object), use_na_sentinel=False)
    values_a, values_b = list(uniques_a), list(uniques_b)
    pairs, row_pair = np.unique(codes_a.astype(np.int64) * len(values_b) + codes_b,
                                return_inverse=True)
    results = np.empty(len(pairs), dtype=object)
    results[:] = [func(values_a[p // len(values_b)], values_b[p % len(values_b)])
                  for p in pairs.tolist()]
    return results[row_pair.reshape(-1)]


def worded_statuses(status: npt.ArrayLike, variant: npt.ArrayLike, lang: str
                    ) -> npt.NDArray[np.object_]:
    """Each row's status as the reports word it in ``lang`` (``status_zh``, ``status_en``):
    the status code with its wording variant (``early``: 提前实现 / achieved early).

    >>> worded_statuses(["achieved", "achieved", "off_track"], ["early", "", "final"], "en").tolist()
    ['achieved early', 'achieved', 'not achieved']
    """
    return once_per_pair(lambda code, how: status_label(code, lang, how or None),
                         np.asarray(status).astype(str), np.asarray(variant).astype(str))


def _with_short_history_caveat(zh: npt.NDArray[np.object_], en: npt.NDArray[np.object_],
                               short: npt.NDArray[np.bool_], n_years: npt.NDArray[np.int64]
                               ) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """Hard-to-reach texts, with the short-series caveat where ``short``.

    >>> zh, en = _with_short_history_caveat(np.array(["预计达标困难。"], dtype=object),
    ...     np.array(["Hard to reach."], dtype=object), np.array([True]), np.array([4]))
    >>> zh[0]
    '预计达标困难。仅有4个观测年份，回测中这类预警偏保守，请结合趋势图判断。'
    """
    zh, en = zh.copy(), en.copy()
    for i in np.flatnonzero(short):
        zh[i] = f"{zh[i]}仅有{n_years[i]}个观测年份，回测中这类预警偏保守，请结合趋势图判断。"
        en[i] = (f"{en[i]} Only {n_years[i]} observed years: in backtests such warnings erred "
                 "on the side of caution; read it with the chart.")
    return zh, en


def english_geos(geos: npt.ArrayLike, names: Mapping[str, str] | None = None
                 ) -> npt.NDArray[np.object_]:
    """The ``geo_en`` of each of ``geos``: the area in English as the English report names it
    (:func:`hbkit._names.geo_english`, each distinct area once; a missing area stays missing).

    >>> english_geos(["河北区", "河北区/光复道街道", "某某区", "河北区"]).tolist()
    ['Hebei District', 'Hebei District/光复道街道', '某某区', 'Hebei District']
    >>> english_geos(["某某区"], {"某某区": "Moumou District"}).tolist()
    ['Moumou District']
    """
    values = pd.Series(np.asarray(geos, dtype=object), dtype=object)
    english = {geo: geo_english(str(geo), names) for geo in values.dropna().unique()}
    return values.map(english).to_numpy(dtype=object)


def with_english_geos(table: pd.DataFrame, names: Mapping[str, str] | None = None
                      ) -> pd.DataFrame:
    """``table`` with ``geo_en`` (:func:`english_geos` of its ``geo``) right after ``geo``,
    as :data:`~hbkit.assessment.kinds.UNIT_FRAME_COLUMNS` has it.

    >>> with_english_geos(pd.DataFrame({"target_id": ["a"], "geo": ["河西区"], "p": [0.5]})
    ...                   ).columns.tolist()
    ['target_id', 'geo', 'geo_en', 'p']
    """
    out = table.drop(columns="geo_en", errors="ignore")
    out.insert(list(out.columns).index("geo") + 1, "geo_en", english_geos(out["geo"], names))
    return out


def _finish(targets: list[Any], plan: pd.DataFrame, rows: _Rows, as_of: int | None,
            rules: StatusRules, levels: tuple[float, ...], names: Mapping[str, str] | None = None
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statuses, warnings and conventions for all rows; the output frames. ``names`` are the
    catalogue's English area names (:func:`hbkit._names.catalogue_area_names`) for ``geo_en``.
    """
    from hbkit.conventions import official_labels

    t_index = plan["t_index"].to_numpy()
    meta = pd.DataFrame([_target_meta(t) for t in targets])
    m = meta.iloc[t_index].reset_index(drop=True) if len(meta) else pd.DataFrame()
    quantitative = (m["kind"] != "qualitative").to_numpy() if len(m) else np.zeros(0, bool)
    status = classify(rows.num["probability"], quantitative=quantitative,
                      has_data=rows.has_data, achieved=rows.achieved,
                      final_failed=rows.final_failed, judgeable=rows.judgeable, rules=rules)
    # a count rule (no forecast) met so far, with StatusRules(early_achievement=False)
    status = np.where(rows.met_so_far & (status == "insufficient_data"), "on_track", status)
    status_zh, status_en = (worded_statuses(status, rows.variant, lang) for lang in ("zh", "en"))
    n_years = np.nan_to_num(rows.num["n_obs"]).astype(int)  # years observed (0: no data)
    short = _short_history(status, rows, n_years, rules)
    reasons = _reasons(rows, status, short, n_years, m)
    out = pd.DataFrame({
        "target_id": m["target_id"], "plan": m["plan"], "domain": m["domain"],
        "domain_zh": m["domain_zh"], "domain_en": m["domain_en"], "name_zh": m["name_zh"],
        "name_en": m["name_en"], "text_zh": m["text_zh"], "geo": plan["geo"].to_numpy(),
        "geo_en": english_geos(plan["geo"].to_numpy(), names), "indicator": m["indicator"],
        "kind": m["kind"], "threshold": m["threshold"].astype(float), "unit": m["unit"],
        "direction": m["direction"], "strict": m["strict"].astype(bool),
        "target_year": m["target_year"].astype(int),
        "baseline_year": m["baseline_year"].astype(float).astype("Int64"),
    })
    for name in ("baseline_value", "latest_year", "latest_value", "projected"):
        out[name] = rows.num[name]
    out["latest_year"] = out["latest_year"].astype("Int64")
    out["n_obs"] = n_years
    for lev in levels:
        for side in ("lo", "hi"):
            out[f"{side}_{level_label(lev)}"] = rows.num[f"{side}_{level_label(lev)}"]
    out["probability"] = rows.num["probability"]
    out["status"] = status
    out["status_zh"] = status_zh
    out["status_en"] = status_en
    out["method"] = rows.txt["method"]
    out["scale"] = rows.txt["scale"]
    for name, words in reasons.items():
        out[name] = words

    # the labels judge the event hbkit.attainment judges: a direction target (逐步提高) is met
    # only strictly beyond its baseline, unless it is held at its bound (direction_bound)
    bounds = np.array([direction_bound(t) for t in targets] or [np.nan], dtype=float)
    bound = bounds[t_index] if len(targets) else np.zeros(0)
    with np.errstate(invalid="ignore"):
        held = np.abs(rows.num["baseline_value"] - bound) <= 1e-7
    conv_strict = out["strict"].to_numpy(dtype=bool) | (
        (m["kind"] == "direction").to_numpy() & ~held)
    conv = official_labels(
        np.where(quantitative & (m["direction"] != "none").to_numpy(), m["direction"], "none"),
        rows.num["target_value"], out["target_year"].to_numpy(dtype=float),
        m["baseline_year"].to_numpy(dtype=float), rows.num["baseline_value"],
        np.where(np.isfinite(rows.num["latest_value_year"]), rows.num["latest_value_year"],
                 rows.num["latest_year"]), rows.num["latest_value"], rows.recent,
        strict=conv_strict,
    )
    for c in conv.columns:
        out[c] = conv[c].to_numpy()

    # ---- warnings
    # an early achievement that more likely than not is lost again by the target year
    # (the latest value meets the target, P(attain in the target year) < at_risk) is
    # warned about too: 提前实现 is not the plan's judgement, the target year's value is
    slipping = (status == "achieved") & (np.nan_to_num(rows.num["probability"], nan=1.0)
                                         < rules.at_risk)
    target_year = out["target_year"].to_numpy()
    # the year whose value is expected: the monitoring year, or the target year when the
    # assessment is later (a final evaluation has all it needs once the target year is in)
    expected = np.minimum(as_of if as_of is not None else 0, target_year)
    # a final evaluation (the target year is past): no hard-to-reach warning, also when the
    # target year's value is missing and the status follows the model's probability for it
    past_target = (as_of is not None) & (expected == target_year)
    hard = (np.isin(status, ("at_risk", "off_track")) | slipping) & ~rows.final & ~past_target
    # after the target year a later value is no substitute for the target year's own
    target_year_missing = past_target & ~np.isfinite(rows.num["target_year_value"])
    latest_missing = rows.has_data & (as_of is not None) & (
        (np.nan_to_num(rows.num["latest_year"], nan=-1) < expected) | target_year_missing) \
        & quantitative & (m["kind"] != "count_minimum").to_numpy()
    fluct = rows.fluct & rows.has_data
    with np.errstate(invalid="ignore"):  # NaN p (no direction, too short): no warning
        moving = (rows.moving_p <= rules.moving_away_alpha) & rows.has_data & (status != "achieved")
    flags = {"hard_to_reach": hard, "fluctuation": fluct, "moving_away": moving,
             "latest_missing": latest_missing}
    out["warnings"] = warning_codes(flags, len(out))
    out["data_warnings"] = ""  # filled by hbkit.assessment.data_warnings.note_data_warnings
    columns = [c for c in FRAME_COLUMNS if not c.startswith(("lo_", "hi_"))]
    at = columns.index("probability")
    level_cols = [f"{s}_{level_label(lev)}" for lev in levels for s in ("lo", "hi")]
    columns = columns[:at] + level_cols + columns[at:]
    out = out[columns]
    warn = _warning_rows(out, rows, flags, expected, short)
    return out, warn


def warning_codes(flags: dict[str, npt.NDArray[np.bool_]], n: int) -> npt.NDArray[np.object_]:
    """The codes of the warnings each of ``n`` rows fires, in the order of ``flags``, joined
    by ``;`` (``""`` for none); only the rows a warning fires on are written.

    >>> warning_codes({"hard_to_reach": np.array([True, False, True]),
    ...                "fluctuation": np.array([True, False, False])}, 3).tolist()
    ['hard_to_reach;fluctuation', '', 'hard_to_reach']
    """
    codes = np.full(n, "", dtype=object)
    for code, flag in flags.items():
        rows = np.flatnonzero(flag)
        codes[rows] = [f"{text};{code}" if text else code for text in codes[rows]]
    return codes


def domain_english(domain: str | None) -> str:
    """The English name of a domain, as the English report prints it (``""`` without one,
    as ``domain_zh`` is then).

    >>> domain_english("decision"), domain_english(None)
    ('Decision-making and management', '')
    """
    return DOMAIN_EN.get(domain, domain) if domain else ""


def _target_meta(t: Any) -> dict[str, Any]:
    """The target's fields as they appear in the output frame."""
    return {
        "target_id": t.id, "plan": t.plan, "domain": t.domain, "domain_zh": t.domain_zh,
        "domain_en": domain_english(t.domain),
        "name_zh": t.name_zh, "name_en": t.name_en, "text_zh": t.text_zh,
        "indicator": t.indicator, "kind": t.kind,
        "threshold": np.nan if t.threshold is None else float(t.threshold), "unit": t.unit,
        "direction": t.direction, "strict": bool(t.strict), "target_year": int(t.target_year),
        "baseline_year": float(base_year_of(t)) if t.kind != "qualitative" else np.nan,
        "bounded": bool(t.bounded),
    }


def _warning_rows(out: pd.DataFrame, rows: _Rows, flags: dict[str, npt.NDArray[np.bool_]],
                  expected: npt.NDArray[np.int64], short: npt.NDArray[np.bool_]) -> pd.DataFrame:
    """One row per fired warning, with its texts and the numbers behind it.

    ``expected`` is each row's year whose value a latest-missing warning names (the
    monitoring year, or the target year when ``as_of`` is later).

    ``level`` is ``"note"`` for a fluctuation on a target achieved on its observed
    target-year value (终期评估: no action is left, the swings are a fact about the
    data), ``"warning"`` otherwise (:func:`hbkit.warnings_rules.warning_levels`).

    A hard-to-reach warning on a short series (``short``) ends with the
    backtests' caveat, so that the warning list says it too.
    """
    pieces = []
    # the outcome known and met (终期评估): nothing left to warn about, only to note
    achieved_on_observed = rows.final & (out["status"].to_numpy() == "achieved")
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
                      "swing_scale", "max_abs_z", "max_z_year", "n_large_changes",
                      "robust_scale", "relative_scale", "reversals"):
                numbers[c] = rows.stats[c][sel]
        elif code == "moving_away":
            numbers["last_change"] = rows.stats["last_change"][sel]
            numbers["last_z"] = rows.stats["last_z"][sel]
            numbers["p_value"] = rows.moving_p[sel]
        elif code == "latest_missing":
            numbers["as_of"] = expected[sel].astype(float)
        units = out["unit"].to_numpy()[sel]
        words = {c: numbers[c].to_numpy() for c in numbers.columns}
        if code == "hard_to_reach":  # met early, likely lost again: the texts name the years
            met = out["status"].to_numpy()[sel] == "achieved"
            words["met_year"] = np.where(met, numbers["last_year"].to_numpy(dtype=float), np.nan)
            words["target_year"] = out["target_year"].to_numpy(dtype=float)[sel]
            every_year = np.isin(out["kind"].to_numpy()[sel], sorted(EVERY_YEAR_KINDS))
            words["hold_from"] = np.where(met & every_year, words["met_year"] + 1, np.nan)
        zh, en = warning_texts(code, words, units)
        if code == "hard_to_reach":
            zh, en = _with_short_history_caveat(zh, en, short[sel],
                                                out["n_obs"].to_numpy()[sel])
        level = warning_levels(code, achieved_on_observed[sel])
        zh, en = note_texts(zh, en, level)
        piece = pd.DataFrame({
            "target_id": out["target_id"].to_numpy()[sel], "geo": out["geo"].to_numpy()[sel],
            "geo_en": out["geo_en"].to_numpy()[sel],
            "code": code, "level": level, "text_zh": zh, "text_en": en,
            "_row": sel,
        })
        pieces.append(pd.concat([piece, numbers], axis=1))
    if not pieces:  # no warning: the columns' types are those of a frame with warnings
        text = pd.Series(["x"]).dtype  # what pandas makes of strings (str, or object)
        return pd.DataFrame({c: pd.Series([], dtype=float if c in WARNING_NUMBER_COLUMNS
                                          else text) for c in WARNING_COLUMNS})
    warn = pd.concat(pieces, ignore_index=True).sort_values(["_row", "code"], kind="stable")
    return warn.drop(columns="_row").reset_index(drop=True)[list(WARNING_COLUMNS)]


def word_missed_years(warn: pd.DataFrame, frame: pd.DataFrame, targets: list[Any],
                      observations: pd.DataFrame) -> pd.DataFrame:
    """Hard-to-reach warnings on every-year targets already broken (已有年份未达到), reworded.

    Such a target can no longer be met by the plan's own rule, so its warning
    names the observed years that broke the rule and their values
    (:func:`hbkit.attainment.missed_in_warnings`,
    :func:`hbkit.warnings_rules.missed_year_text`), not the probability of the
    remaining years (which stays in its numbers). Returns a copy of ``warn``.
    """
    missed = missed_in_warnings(warn, frame, {t.id: t for t in targets}, observations)
    if not missed:
        return warn
    out = warn.copy()
    text_zh, text_en = out["text_zh"].to_numpy(dtype=object), out["text_en"].to_numpy(dtype=object)
    for i, (target, years) in missed.items():
        text_zh[i], text_en[i] = missed_year_text(target.kind, years, str(target.unit),
                                                  rule_text(target), every_year_number(target))
    out["text_zh"], out["text_en"] = text_zh, text_en
    return out
