"""The event a target is judged on, in words: :func:`rule_text` (Chinese and English)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hbkit._typing import UNIT_EN, UNIT_ZH
from hbkit.attainment.events import default_from_year, direction_bound

if TYPE_CHECKING:
    from hbkit.catalogue.models import Target


def _fmt(value: float | None, unit: str, lang: str) -> str:
    number = f"{value:g}" if value is not None else "?"
    if lang == "zh":
        suffix = UNIT_ZH.get(unit, "")
        return f"{number}{suffix}"
    return f"{number}{UNIT_EN.get(unit, '')}"


def rule_text(target: Target, reference_names: tuple[str, str] | None = None,
              held: bool | None = None) -> tuple[str, str]:
    """The event judged, in Chinese and English.

    Parameters
    ----------
    target
        The target.
    reference_names
        Chinese and English names of a relational target's reference
        indicator, used when the target does not name it itself
        (``reference_name_zh`` / ``reference_name_en``); the indicator id is
        the last resort.
    held
        Whether the row judged had its base-year value at the bound of a direction
        target (:func:`~hbkit.attainment.direction_bound`): ``False`` leaves out the
        clause on holding the bound (2020年已为0时，保持0即达标), which does not apply to
        it; ``None`` (the target in general) keeps it.

    Returns
    -------
    tuple of str
        The rule in Chinese and in English.

    Examples
    --------
    >>> from hbkit.catalogue.models import Target
    >>> t = Target(id="c", indicator="x", kind="lower_bound", threshold=95, unit="percent")
    >>> rule_text(t)
    ('2025年值≥95%', 'value in 2025 >= 95%')
    >>> m = Target(id="m", indicator="x", kind="maintain", threshold=95, unit="percent",
    ...            direction="increase", baseline_year=2020)
    >>> rule_text(m)[0]
    '2021—2025年每年≥95%'
    >>> a = Target(id="a", indicator="x", kind="annual_change", threshold=1, unit="percent",
    ...            direction="decrease", baseline_year=2020)
    >>> rule_text(a)
    ('2021—2025年每年比上一年下降1个百分点以上', 'every year 2021-2025 the value falls by >= 1 percentage point from the year before')
    >>> d = Target(id="d", indicator="x", kind="direction", unit="count", direction="decrease",
    ...            baseline_year=2025, target_year=2030)
    >>> rule_text(d)[0]
    '2030年值<2025年值（2025年已为0时，保持0即达标）'
    >>> rule_text(d, held=False)
    ('2030年值<2025年值', 'value in 2030 below value in 2025')
    >>> r = Target(id="r", indicator="d", kind="relational", direction="increase",
    ...            reference_indicator="m", reference_name_zh="女党员比例")
    >>> rule_text(r, ("", "female share of Party members"))
    ('2025年值≥女党员比例同年值', 'value in 2025 >= female share of Party members in the same year')
    """
    kind = target.kind
    t_year = target.target_year
    b_year = target.baseline_year
    dec = target.direction == "decrease"
    le, ge = ("<", ">") if target.strict else ("≤", "≥")
    le_en, ge_en = ("<", ">") if target.strict else ("<=", ">=")
    op, op_en = (le, le_en) if dec else (ge, ge_en)
    zh_v, en_v = _fmt(target.threshold, target.unit, "zh"), _fmt(target.threshold, target.unit, "en")
    start = default_from_year(target)
    if kind == "upper_bound":
        return f"{t_year}年值{le}{zh_v}", f"value in {t_year} {le_en} {en_v}"
    if kind in ("lower_bound", "count_minimum"):
        return f"{t_year}年值{ge}{zh_v}", f"value in {t_year} {ge_en} {en_v}"
    if kind == "level":
        return f"{t_year}年值{op}{zh_v}", f"value in {t_year} {op_en} {en_v}"
    if kind == "maintain":
        return (f"{start}—{t_year}年每年{op}{zh_v}",
                f"every year {start}-{t_year} {op_en} {en_v}")
    if kind == "annual_change":
        verb_zh, verb_en = ("下降", "falls") if dec else ("上升", "rises")
        if target.unit in ("percent", "percentage_points"):  # a change in percentage points
            zh_v = f"{target.threshold:g}个百分点"
            en_v = f"{target.threshold:g} percentage point{'' if target.threshold == 1 else 's'}"
        change = f"超过{zh_v}" if target.strict else f"{zh_v}以上"  # 下降超过1个百分点 / 下降1个百分点以上
        return (f"{start}—{t_year}年每年比上一年{verb_zh}{change}",
                f"every year {start}-{t_year} the value {verb_en} by {ge_en} {en_v} "
                f"from the year before")
    if kind == "relative_change":
        factor = 1 - target.threshold / 100 if dec else 1 + target.threshold / 100  # type: ignore[operator]
        return (f"{t_year}年值{op}{b_year}年值×{factor:g}",
                f"value in {t_year} {op_en} {factor:g} x value in {b_year}")
    if kind == "direction":
        zh_op, en_op = ("<", "below") if dec else (">", "above")
        zh, en = f"{t_year}年值{zh_op}{b_year}年值", f"value in {t_year} {en_op} value in {b_year}"
        bound = direction_bound(target)
        if np.isfinite(bound) and held is not False:  # at its bound: holding it meets it
            zh_b, en_b = ("0", "0") if bound == 0 else (_fmt(bound, target.unit, "zh"),
                                                      _fmt(bound, target.unit, "en"))
            zh += f"（{b_year}年已为{zh_b}时，保持{zh_b}即达标）"
            en += f" (if it was already {en_b} in {b_year}, holding {en_b} meets it)"
        return zh, en
    if kind == "trend_slowdown":
        if dec:
            return (f"{b_year}—{t_year}年趋势斜率低于{b_year}年及以前的斜率",
                    f"OLS slope {b_year}-{t_year} below the slope up to {b_year}")
        return (f"{b_year}—{t_year}年趋势斜率高于{b_year}年及以前的斜率",
                f"OLS slope {b_year}-{t_year} above the slope up to {b_year}")
    if kind == "relational":
        given_zh, given_en = reference_names or ("", "")
        ref = str(target.reference_indicator)
        ref_zh = target.reference_name_zh or given_zh or target.reference_name_en or given_en or ref
        ref_en = target.reference_name_en or given_en or ref
        return (f"{t_year}年值{op}{ref_zh}同年值",
                f"value in {t_year} {op_en} {ref_en} in the same year")
    return "定性目标，不计算概率", "qualitative target, not scored"
