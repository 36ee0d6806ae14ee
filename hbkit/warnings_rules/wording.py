"""The warnings in words, Chinese and English, with their numbers.

:func:`warning_texts` words many warnings of one code at once and
:func:`warning_text` one; :func:`missed_year_text` words an every-year target
already broken in an observed year (:func:`missed_year_parts` its years);
:func:`p_value_texts` prints p-values as the warnings and report tables do.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from hbkit._numbers import finite_numbers, number_apart
from hbkit._typing import UNIT_EN, UNIT_ZH
from hbkit.warnings_rules.codes import WARNING_LABELS

#: units whose shortfalls and changes are worded in percentage points (个百分点): a change
#: of a percentage, and anything in a gap already measured in percentage points
POINT_UNITS = frozenset({"percent", "percentage_points"})
#: units printed in English as the bare number ("3", not "3 count" or "1 persons")
BARE_EN_UNITS = frozenset({"none", "count", "persons", "ratio"})


def _nums(values: Any, digits: int = 2) -> npt.NDArray[np.object_]:
    """Numbers as text, vectorised: ``digits`` decimals without trailing zeros; NaN -> "—".

    >>> _nums([1.5, 2.0, float("nan"), 0.12345]).tolist()
    ['1.5', '2', '—', '0.12']
    """
    v = np.atleast_1d(np.asarray(values, dtype=float))
    out = np.full(v.shape, "—", dtype=object)
    ok = np.isfinite(v)
    if ok.any():
        text = np.char.mod(f"%.{digits}f", v[ok])
        if digits:
            text = np.char.rstrip(np.char.rstrip(text, "0"), ".")
        out[ok] = text.astype(object)
    return out


def _report_nums(values: Any, signed: bool = False) -> npt.NDArray[np.object_]:
    """Numbers as the report tables print them (``hbkit._numbers.number``); NaN -> "—".

    ``signed`` puts a ``+`` before positive numbers, as the tables print changes.

    >>> _report_nums([0.307, 7.156, 0.00333, float("nan")]).tolist()
    ['0.307', '7.16', '0.00333', '—']
    >>> _report_nums([0.22, -2.96, 0.0], signed=True).tolist()
    ['+0.22', '-2.96', '0']
    """
    v = np.atleast_1d(np.asarray(values, dtype=float))
    out = np.full(v.shape, "—", dtype=object)
    ok = np.flatnonzero(np.isfinite(v))
    text = finite_numbers(v[ok])
    if signed:
        text = np.where(v[ok] > 0, "+" + text, text)
    out[ok] = text
    return out


def _zh_suffix(unit: str) -> str:
    """The Chinese unit after a number, set like the report tables: no space (``5年``).

    >>> _zh_suffix("per_1000"), _zh_suffix("per_100k"), _zh_suffix("per_1000_population")
    ('‰', '/10万', '/千人')
    """
    return UNIT_ZH.get(unit, "")


def _percents(probabilities: Any) -> npt.NDArray[np.object_]:
    """Probabilities as whole percents, rounded down like the report tables.

    Rounding down keeps the printed number on the same side of the status
    thresholds as the probability (0.795 is *at risk* and prints 79, as the
    tables print 0.79); below 1% and above 99%, 0 and 100% included (no
    simulated path, or every one, met the target), the text says ``<1`` /
    ``>99`` rather than claim a certainty the model did not give
    (:func:`hbkit.report.formatting.format_probability`).

    >>> _percents([0.795, 0.075, 0.001, 0.996, 1.0, 0.0, float("nan")]).tolist()
    ['79', '7', '<1', '>99', '>99', '<1', '—']
    """
    p = np.atleast_1d(np.asarray(probabilities, dtype=float))
    out = _nums(np.floor(p * 100 + 1e-9), 0)
    out[p < 0.01] = "<1"
    out[p > 0.99] = ">99"
    return out


def p_value_texts(values: Any) -> npt.NDArray[np.object_]:
    """p-values with their relation sign, 4 decimals: ``=0.0123``; below 0.0001 ``<0.0001``.

    A tiny p-value never prints as ``p=0``.

    >>> p_value_texts([0.01234, 2.6e-18, float("nan")]).tolist()
    ['=0.0123', '<0.0001', '=—']
    """
    p = np.atleast_1d(np.asarray(values, dtype=float))
    out = "=" + _nums(p, 4)
    out[p < 0.0001] = "<0.0001"
    return out


def _join_clauses(head: str, colon: str, separator: str, stop: str,
                  *clauses: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """``head: a; b; c.`` per row, leaving out the empty clauses (``head.`` when all are).

    >>> import numpy as np
    >>> _join_clauses("预计达标困难", "：", "；", "。", np.array(["", "达标概率7%"], dtype=object),
    ...               np.array(["需年均变化+1个", ""], dtype=object)).tolist()
    ['预计达标困难：需年均变化+1个。', '预计达标困难：达标概率7%。']
    """
    out = []
    for parts in zip(*clauses, strict=True):
        kept = [str(part) for part in parts if part]
        out.append(head + (colon + separator.join(kept) if kept else "") + stop)
    return np.array(out, dtype=object)


def warning_texts(
    code: str, numbers: Any, units: Any
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """Chinese and English texts of many warnings of one code, with their numbers.

    ``numbers`` maps number names (see :data:`WARNING_NUMBER_COLUMNS`) to
    arrays, one entry per warning (missing names count as NaN); ``units`` is
    the indicator unit of each warning. Shortfalls and changes of percentages
    are worded in percentage points (个百分点). A hard-to-reach warning on a
    target already met (an early achievement likely lost again) takes two
    more names, ``met_year`` (the year it was met) and ``target_year``: it
    needs to hold, so its text names those years instead of a yearly change; an
    every-year target (保持) also takes ``hold_from``, the first year left to hold, and
    its text names every year from it to the target year.

    Examples
    --------
    >>> zh, en = warning_texts("latest_missing", {"as_of": [2023], "last_year": [2021]}, ["percent"])
    >>> zh[0]
    '最新年份缺失：2023年无数据，最近一次数据为2021年。'
    >>> zh, en = warning_texts("hard_to_reach", {"probability": [0.256], "met_year": [2023],
    ...     "target_year": [2025], "required_annual_change": [0.0]}, ["percent"])
    >>> zh[0]
    '预计达标困难：2023年已达标，但2025年仍达标的概率为25%。'
    >>> en[0]
    'Hard to reach: met in 2023, but the probability it is still met in 2025 is 25%.'
    >>> zh, en = warning_texts("hard_to_reach", {"probability": [0.405], "met_year": [2026],
    ...     "hold_from": [2027], "target_year": [2030]}, ["percent"])
    >>> zh[0]
    '预计达标困难：2026年已达标，但2027—2030年每年仍达标的概率为40%。'
    """
    u = np.asarray(units, dtype=object)
    size = u.size

    def col(name: str) -> npt.NDArray[np.float64]:
        value = numbers[name] if name in numbers else np.full(size, np.nan)
        return np.broadcast_to(np.asarray(value, dtype=float), (size,))

    def num(name: str, digits: int = 2, times: float = 1.0) -> npt.NDArray[np.object_]:
        return _nums(col(name) * times, digits)

    # differences of percentages are percentage points (个百分点), as in the report tables;
    # so are the shortfalls and changes of a gap already in percentage points
    u_zh = np.array(["个百分点" if x in POINT_UNITS else _zh_suffix(str(x)) for x in u],
                    dtype=object)
    u_en = np.array([" percentage points" if x in POINT_UNITS else
                     "" if x in BARE_EN_UNITS else UNIT_EN.get(str(x), "")
                     for x in u], dtype=object)
    if code == "hard_to_reach":
        pct = _percents(col("probability"))
        short = np.isfinite(col("expected_shortfall"))
        # met early (``met_year``): what it needs is to hold, not a yearly change
        met = np.isfinite(col("met_year"))
        needs_change = np.isfinite(col("required_annual_change")) & ~met
        # a count rule (至少配备1名) has no probability and no trend: say only what it needs
        has_p = np.isfinite(col("probability"))
        has_ach = np.isfinite(col("achieved_annual_change"))
        es = _report_nums(col("expected_shortfall"))
        req = _report_nums(col("required_annual_change"), signed=True)
        ach = _report_nums(col("achieved_annual_change"), signed=True)
        met_year, target_year = num("met_year", 0), num("target_year", 0)
        # an every-year target (保持, ``hold_from``) must hold in each year left, not in T alone
        hold_from = col("hold_from")
        several = np.isfinite(hold_from) & (hold_from < col("target_year"))
        first = num("hold_from", 0)
        hold_zh = np.where(several, first + "—" + target_year + "年每年", target_year + "年")
        hold_en = np.where(several, "every year " + first + "-" + target_year, target_year)
        zh = _join_clauses(
            "预计达标困难", "：", "；", "。",
            np.where(met, met_year + "年已达标，但" + hold_zh + "仍达标的概率为" + pct + "%",
                     np.where(has_p, "达标概率" + pct + "%", "")),
            np.where(short, "预计平均差距" + es + u_zh, ""),
            np.where(needs_change, "需年均变化" + req + u_zh
                     + np.where(has_ach, "，以往年均变化" + ach + u_zh, ""), ""))
        en = _join_clauses(
            "Hard to reach", ": ", "; ", ".",
            np.where(met, "met in " + met_year + ", but the probability it is still met in "
                     + hold_en + " is " + pct + "%",
                     np.where(has_p, "probability of attainment " + pct + "%", "")),
            np.where(short, "expected shortfall " + es + u_en, ""),
            np.where(needs_change, "required annual change " + req + u_en
                     + np.where(has_ach, " against " + ach + u_en + " a year so far", ""), ""))
    elif code == "fluctuation":
        counts = np.isfinite(col("dispersion_chi2"))
        chi2, df, p = num("dispersion_chi2", 1), num("dispersion_df", 0), p_value_texts(col("p_value"))
        z, zy = num("max_abs_z", 1), num("max_z_year", 0)
        n_large = col("n_large_changes")
        has_large = np.isfinite(n_large)
        large_zh = np.where(has_large, "；" + num("n_large_changes", 0) + "个年变化超出抽样误差", "")
        large_en = np.where(has_large, "; " + num("n_large_changes", 0)
                            + " year-on-year changes beyond sampling noise", "")
        rel, rev = num("relative_scale", 0, 100.0), num("reversals", 0)
        zh = np.where(
            counts,
            "波动较大：逐年变化超出抽样误差（离散度检验 χ²=" + chi2 + "，自由度" + df + "，p" + p
            + "；最大标准化年变化 z=" + z + "，" + zy + "年" + large_zh + "）。",
            "波动较大：围绕趋势的稳健残差为水平的" + rel + "%，年变化方向反转" + rev
            + "次（无分子分母，无法区分抽样误差）。")
        en = np.where(
            counts,
            "Large fluctuation: year-on-year changes exceed sampling noise (dispersion test chi2="
            + chi2 + " on " + df + " df, p" + p + "; largest standardised change z=" + z
            + " in " + zy + large_en + ").",
            "Large fluctuation: robust residual scale around the trend is " + rel
            + "% of the level, with " + rev + " direction reversals (no counts, so sampling "
            "noise cannot be separated).")
    elif code == "moving_away":
        year, change, z = num("last_year", 0), _report_nums(col("last_change"), True), num(
            "last_z", 1)
        p = p_value_texts(col("p_value"))
        zh = ("偏离目标：" + year + "年较上次观测变化" + change + u_zh
              + "，与目标方向相反且超出抽样误差（z=" + z + "，单侧p" + p + "）。")
        en = ("Moving away from the target: the change to " + year + " was " + change + u_en
              + ", against the desired direction beyond noise (z=" + z + ", one-sided p" + p
              + ").")
    elif code == "latest_missing":
        as_of, last = num("as_of", 0), num("last_year", 0)
        zh = "最新年份缺失：" + as_of + "年无数据，最近一次数据为" + last + "年。"
        en = "Latest year missing: no value for " + as_of + "; the latest is for " + last + "."
    else:
        raise KeyError(f"unknown warning code {code!r}; known: {', '.join(WARNING_LABELS)}")
    return np.asarray(zh, dtype=object), np.asarray(en, dtype=object)


def missed_year_parts(kind: str, missed: Any, unit: str, against: float | None = None
                      ) -> tuple[list[str], list[str]]:
    """Each year that broke an every-year rule, with its number, in Chinese and English.

    ``missed`` holds ``(year, number)`` or ``(year, number, where)`` items (see
    :func:`hbkit.attainment.missed_years`; ``where`` names the sub-unit, e.g. a
    street). The number is the value (``maintain``) or the change from the
    year before (``annual_change``; percentages in percentage points), set
    like the report tables, with the decimals that keep it apart from the
    rule's number ``against`` (94.96 against ≥95 never prints as 95.0).

    >>> missed_year_parts("maintain", [(2022, 94.0)], "percent")
    (['2022年为94%'], ['94% in 2022'])
    >>> missed_year_parts("maintain", [(2021, 94.96)], "percent", against=95)[0]
    ['2021年为94.96%']
    >>> missed_year_parts("annual_change", [(2022, -0.5, "光复道街道")], "percent")
    (['光复道街道2022年比上一年变化-0.5个百分点'], ['光复道街道: a change of -0.5 percentage points in 2022'])

    An item may give, fourth, the previous observed year the change is from: across a gap
    the number is the change per year since then, and is worded so.

    >>> missed_year_parts("annual_change", [(2021, -0.75, "", 2019)], "percent")
    (['2021年比2019年年均变化-0.75个百分点'], ['a change of -0.75 percentage points a year from 2019 to 2021'])
    """
    change = kind == "annual_change"
    if (change and unit == "percent") or unit == "percentage_points":
        suffix_zh, suffix_en = "个百分点", " percentage points"
    else:
        suffix_zh = _zh_suffix(unit)
        suffix_en = "" if unit in BARE_EN_UNITS else UNIT_EN.get(unit, "")
    zh, en = [], []
    for item in missed:
        year, value = int(item[0]), float(item[1])
        where = str(item[2]) if len(item) > 2 and item[2] else ""
        shown = ("+" if change and value > 0 else "") + number_apart(value, against)
        since = int(item[3]) if len(item) > 3 and item[3] is not None else year - 1
        if change and since != year - 1:
            zh.append(f"{where}{year}年比{since}年年均变化{shown}{suffix_zh}")
            en.append(f"{where + ': ' if where else ''}a change of {shown}{suffix_en} a year "
                      f"from {since} to {year}")
        elif change:
            zh.append(f"{where}{year}年比上一年变化{shown}{suffix_zh}")
            en.append(f"{where + ': ' if where else ''}a change of {shown}{suffix_en} in {year}")
        else:
            zh.append(f"{where}{year}年为{shown}{suffix_zh}")
            en.append(f"{where + ': ' if where else ''}{shown}{suffix_en} in {year}")
    return zh, en


def missed_year_text(kind: str, missed: Any, unit: str, rule: tuple[str, str],
                     against: float | None = None) -> tuple[str, str]:
    """The warning on an every-year target already broken in an observed year (已有年份未达到).

    It names the years that broke the rule and their numbers
    (:func:`missed_year_parts`), not a probability: by the plan's own rule the
    target can no longer be met, whatever the remaining years do.

    Parameters
    ----------
    kind
        ``maintain`` or ``annual_change``.
    missed
        ``(year, number[, where])`` of each year that broke the rule.
    unit
        The indicator's unit.
    rule
        The rule in Chinese and English (:func:`hbkit.attainment.rule_text`).
    against
        The number each year is judged against
        (:func:`hbkit.attainment.every_year_number`): a missed number keeps
        the decimals that show it misses it.

    Examples
    --------
    >>> zh, en = missed_year_text("maintain", [(2022, 94.0)], "percent",
    ...                           ("2021—2025年每年≥95%", "every year 2021-2025 >= 95%"))
    >>> zh
    '已有年份未达到：2022年为94%，不满足判定规则（2021—2025年每年≥95%）；按规划原文已无法实现，终期评估将判为未实现。'
    >>> en
    "Already missed in an observed year: 94% in 2022, against the rule (every year 2021-2025 >= 95%); by the plan's own rule the target can no longer be met, and the final evaluation will say not achieved."
    """
    zh, en = missed_year_parts(kind, missed, unit, against)
    return (f"已有年份未达到：{'、'.join(zh)}，不满足判定规则（{rule[0]}）；"
            "按规划原文已无法实现，终期评估将判为未实现。",
            f"Already missed in an observed year: {'; '.join(en)}, against the rule ({rule[1]}); "
            "by the plan's own rule the target can no longer be met, and the final evaluation "
            "will say not achieved.")


def warning_text(code: str, numbers: dict[str, Any], unit: str = "none") -> tuple[str, str]:
    """Chinese and English text of one warning, with its numbers.

    Examples
    --------
    >>> zh, en = warning_text("latest_missing", {"as_of": 2023, "last_year": 2021})
    >>> zh
    '最新年份缺失：2023年无数据，最近一次数据为2021年。'
    >>> en
    'Latest year missing: no value for 2023; the latest is for 2021.'
    """
    zh, en = warning_texts(code, {k: [v] for k, v in numbers.items()}, [unit])
    return str(zh[0]), str(en[0])
