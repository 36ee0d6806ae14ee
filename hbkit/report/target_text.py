"""What a target asks, in a few words: the reports' 目标值 / Target column.

A bound (达到95%以上, 控制在8.5/10万以下) asks for a number, and the column
prints it with the side it must be on (≥95%, ≤8.5/10万; > and < for 高于/低于)
and 每年 when every year must meet it (保持在95%以上: ≥95%（每年）). Other kinds are judged against something else, and a bare number
would read as if the target were that number: a 逐步提高 (direction) target is
judged against its 2020 value, which the column used to print alone. So the
column says what the target is, with the number it is judged against in
brackets:

- ``direction``: 高于2020年（95.2%） / above 2020 (95.2%); a value already at
  its bound in the base year (a death rate of 0) is held: 保持2020年的0/10万;
- ``relative_change``: 比2020年下降20%（≤3.62/10万） / 20% below 2020 (<= 3.62 per 100,000);
- ``annual_change``: 每年下降1个百分点以上（相当于2025年≤48.1%）;
- ``trend_slowdown``: 上升趋势减缓（斜率低于2020年及以前） (no number);
- ``relational``: ≥女党员比例（34.7%） (the reference indicator's value).

The number stays a number for programs: ``to_frame()`` and the JSON have no
such column, and the workbook keeps its numeric 目标值 beside the words
(:func:`hbkit.report.excel.targets_sheet`).
"""

from __future__ import annotations

import math
from typing import Any

from hbkit.report.formatting import DASH, format_value, is_missing

#: kinds whose target is a number the plan states (the column prints it, with its side)
STATED_KINDS = frozenset({"upper_bound", "lower_bound", "level", "maintain", "count_minimum"})


def target_text(target: Any, value: Any, lang: str = "zh",
                reference_names: tuple[str, str] | None = None) -> str:
    """What ``target`` asks, with ``value`` (the number it is judged against) in brackets.

    Parameters
    ----------
    target
        A :class:`hbkit.Target`.
    value
        The value the row is judged against (``hbkit.attainment.target_value``:
        the base-year value of a direction target, the level a relative change
        reaches, the reference indicator's value of a relational target).
    lang
        ``"zh"`` or ``"en"``.
    reference_names
        Chinese and English names of a relational target's reference indicator
        when the target does not name it itself.

    Returns
    -------
    str
        The words; ``–`` for a qualitative target.

    Examples
    --------
    >>> from hbkit.catalogue.models import Target
    >>> d = Target(id="d", indicator="x", kind="direction", direction="increase",
    ...            unit="percent", baseline_year=2020)
    >>> target_text(d, 95.2), target_text(d, 95.2, "en")
    ('高于2020年（95.2%）', 'above 2020 (95.2%)')
    >>> target_text(d, float("nan"))
    '高于2020年'
    >>> m = Target(id="m", indicator="x", kind="direction", direction="decrease",
    ...            unit="per_100k", baseline_year=2020)
    >>> target_text(m, 0.0), target_text(m, 0.0, "en")
    ('保持2020年的0/10万', 'hold the 2020 value, 0 per 100,000')
    >>> b = Target(id="b", indicator="x", kind="lower_bound", threshold=95, unit="percent")
    >>> target_text(b, 95.0), target_text(b, 95.0, "en")
    ('≥95%', '>=95%')
    >>> k = Target(id="k", indicator="x", kind="maintain", threshold=95, unit="percent",
    ...            direction="increase")
    >>> target_text(k, 95.0), target_text(k, 95.0, "en")
    ('≥95%（每年）', '>=95% every year')
    >>> u = Target(id="u", indicator="x", kind="upper_bound", threshold=8.5, unit="per_100k")
    >>> target_text(u, 8.5)
    '≤8.5/10万'
    >>> r = Target(id="r", indicator="x", kind="relative_change", threshold=20,
    ...            direction="decrease", unit="per_100k", baseline_year=2020)
    >>> target_text(r, 3.62), target_text(r, 3.62, "en")
    ('比2020年下降20%（≤3.62/10万）', '20% below 2020 (<= 3.62 per 100,000)')
    >>> a = Target(id="a", indicator="x", kind="annual_change", threshold=1,
    ...            direction="decrease", unit="percent", baseline_year=2020)
    >>> target_text(a, 48.1), target_text(a, 48.1, "en")
    ('每年下降1个百分点以上（相当于2025年≤48.1%）', 'down >= 1 percentage point a year (2025 equivalent: <= 48.1%)')
    """
    kind = target.kind
    if kind == "qualitative":
        return DASH
    if kind in STATED_KINDS:
        return _stated(target, value, lang)
    words = _WORDS.get(kind)
    if words is None:  # a kind added later: its number, as before
        return format_value(value, target.unit, lang)
    return words(target, value, lang, reference_names)


def _stated(target: Any, value: Any, lang: str) -> str:
    """A number the plan states, with the side it must be on (``≥95%``, ``≤8.5/10万``;
    strict ``>``/``<`` for 高于/低于) and, when every year must meet it, ``（每年）``."""
    number = format_value(value if not is_missing(value) else target.threshold, target.unit,
                          lang)
    if number == DASH:
        return number
    at_most, at_least = _ops(target, lang)
    side = {"increase": at_least, "decrease": at_most}.get(str(target.direction), "")
    every = ("（每年）" if lang == "zh" else " every year") if target.every_year else ""
    return f"{side}{number}{every}"


def _bracket(words: str, number: str, lang: str) -> str:
    """``words（number）`` / ``words (number)``, or the words alone without a number."""
    if number in ("", DASH):
        return words
    return f"{words}（{number}）" if lang == "zh" else f"{words} ({number})"


def _ops(target: Any, lang: str) -> tuple[str, str]:
    """(at most, at least) as the rules write them: strict ``<``/``>`` or ``≤``/``≥``."""
    if target.strict:
        return "<", ">"
    return ("≤", "≥") if lang == "zh" else ("<=", ">=")


def _direction(target: Any, value: Any, lang: str, _names: Any) -> str:
    """高于2020年（95.2%）: above the base-year value; held when that is already at its bound."""
    from hbkit.attainment import direction_bound

    year = target.baseline_year
    number = format_value(value, target.unit, lang)
    bound = direction_bound(target)
    if not is_missing(value) and math.isfinite(bound) and abs(float(value) - bound) <= 1e-7:
        return f"保持{year}年的{number}" if lang == "zh" else f"hold the {year} value, {number}"
    down = target.direction == "decrease"
    words = (f"{'低于' if down else '高于'}{year}年" if lang == "zh"
             else f"{'below' if down else 'above'} {year}")
    return _bracket(words, number, lang)


def _relative_change(target: Any, value: Any, lang: str, _names: Any) -> str:
    """比2020年下降20%（≤3.62/10万）: the change and the level it reaches."""
    down = target.direction == "decrease"
    at_most, at_least = _ops(target, lang)
    share = f"{float(target.threshold):g}%"
    number = format_value(value, target.unit, lang)
    number = "" if number == DASH else (at_most if down else at_least) + (
        "" if lang == "zh" else " ") + number
    words = (f"比{target.baseline_year}年{'下降' if down else '提高'}{share}" if lang == "zh"
             else f"{share} {'below' if down else 'above'} {target.baseline_year}")
    return _bracket(words, number, lang)


def _annual_change(target: Any, value: Any, lang: str, _names: Any) -> str:
    """每年下降1个百分点以上（相当于2025年≤48.1%）: the yearly change and where it leads."""
    down = target.direction == "decrease"
    points = target.unit in ("percent", "percentage_points")
    step = float(target.threshold)
    if points:
        size = f"{step:g}个百分点" if lang == "zh" else (
            f"{step:g} percentage point{'' if step == 1 else 's'}")
    else:
        size = format_value(step, target.unit, lang)
    at_most, at_least = _ops(target, lang)
    op = at_most if down else at_least
    number = format_value(value, target.unit, lang)
    year = target.target_year
    if lang == "zh":
        change = f"超过{size}" if target.strict else f"{size}以上"  # 下降超过1个百分点 / 下降1个百分点以上
        words = f"每年{'下降' if down else '上升'}{change}"
        return words if number == DASH else f"{words}（相当于{year}年{op}{number}）"
    # the yearly change is at least the step, whichever way it goes: down >= 1 point a year
    words = f"{'down' if down else 'up'} {at_least} {size} a year"
    return words if number == DASH else f"{words} ({year} equivalent: {op} {number})"


def _trend_slowdown(target: Any, _value: Any, lang: str, _names: Any) -> str:
    """上升趋势减缓（斜率低于2020年及以前）: a slope against the slope before; no number."""
    year = target.baseline_year
    if target.direction == "decrease":
        return (f"上升趋势减缓（斜率低于{year}年及以前）" if lang == "zh"
                else f"rise slowing (slope below that up to {year})")
    return (f"趋势斜率高于{year}年及以前" if lang == "zh"
            else f"trend slope above that up to {year}")


def _relational(target: Any, value: Any, lang: str,
                names: tuple[str, str] | None) -> str:
    """≥女党员比例（34.7%）: the reference indicator, and its value judged against."""
    given_zh, given_en = names or ("", "")
    ref = str(target.reference_indicator)
    name = ((target.reference_name_zh or given_zh or target.reference_name_en or given_en or ref)
            if lang == "zh" else (target.reference_name_en or given_en or ref))
    at_most, at_least = _ops(target, lang)
    op = at_most if target.direction == "decrease" else at_least
    words = f"{op}{name}" if lang == "zh" else f"{op} {name}"
    return _bracket(words, format_value(value, target.unit, lang), lang)


_WORDS = {
    "direction": _direction,
    "relative_change": _relative_change,
    "annual_change": _annual_change,
    "trend_slowdown": _trend_slowdown,
    "relational": _relational,
}

__all__ = ["STATED_KINDS", "target_text"]
