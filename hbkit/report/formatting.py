"""How numbers print in the reports: values with units, intervals, probabilities.

Missing numbers print as an en dash (``–``), never as ``nan``.

Examples
--------
>>> format_value(7.25, "per_100k")
'7.25/10万'
>>> format_value(98.456, "percent")
'98.5%'
>>> format_interval(95.1, 99.0, "percent")
'[95.1, 99.0]'
>>> format_probability(0.8389)
'0.83'
>>> format_value(3603.0, "yuan"), format_value(3603.0, "yuan", "en")
('3,603元', '3,603 yuan')
"""

from __future__ import annotations

import math
from typing import Any

from hbkit._numbers import DASH, MONEY_WHOLE_FROM, is_missing, money, number, number_apart
from hbkit._typing import UNIT_EN, UNIT_ZH

__all__ = [
    "DASH", "decimals_for", "difference_unit", "format_change", "format_interval",
    "format_probability", "format_value", "interval_with_unit", "is_missing", "number",
    "unit_suffix",
]


#: units whose values are whole numbers: counts of things (个) and of people (人)
WHOLE_NUMBER_UNITS = frozenset({"count", "persons"})
#: amounts of money: thousands separators, whole yuan from 100 up, fen below
#: (:func:`hbkit._numbers.money`)
MONEY_UNITS = frozenset({"yuan"})


def unit_suffix(unit: Any, lang: str = "zh") -> str:
    """The unit as printed after a number.

    Chinese sets the number and its unit together, with no space, as the
    plans and the statistical bulletins do ("5年", "1.2个百分点", "7.25/10万");
    English puts a space before a word ("5 years").

    >>> unit_suffix("per_1000"), unit_suffix("per_100k", "en"), unit_suffix("years")
    ('‰', ' per 100,000', '年')
    >>> unit_suffix("percentage_points"), unit_suffix("percentage_points", "en"), unit_suffix("persons")
    ('个百分点', ' pp', '人')
    """
    if is_missing(unit):
        return ""
    table = UNIT_ZH if lang == "zh" else UNIT_EN
    return table.get(str(unit), "")


def format_value(value: Any, unit: Any = None, lang: str = "zh", against: Any = None) -> str:
    """A value with its unit; missing -> ``–``; ``against``: a threshold it must not print as
    (:func:`hbkit._numbers.number_apart`).

    >>> format_value(5.0, "per_1000"), format_value(None, "percent")
    ('5‰', '–')
    >>> format_value(94.96, "percent"), format_value(94.96, "percent", against=95)
    ('95.0%', '94.96%')

    Money (``yuan``) prints with thousands separators, in whole yuan from 100 up
    and in fen below (:func:`hbkit._numbers.money`):

    >>> format_value(1234.4, "yuan"), format_value(1234.4, "yuan", "en"), format_value(12.5, "yuan")
    ('1,234元', '1,234 yuan', '12.50元')
    """
    if is_missing(value):
        return DASH
    return _number_of(value, unit, against) + unit_suffix(unit, lang)


def _number_of(value: Any, unit: Any, against: Any = None) -> str:
    """The number of a value in ``unit``: money as money, anything else as :func:`number`."""
    if str(unit) in MONEY_UNITS:
        return money(value, against)
    return number_apart(value, against)


def format_interval(lo: Any, hi: Any, unit: Any = None, lang: str = "zh",
                    projected: Any = None) -> str:
    """An interval ``[lo, hi]`` (unit not repeated); missing -> ``–``.

    Both ends print with the decimals of the end farther from 0. An interval
    of counts (``count``: institutions; ``persons``: people) prints the whole numbers inside it: its
    ends are mid-quantiles (:mod:`hbkit.quantiles`), so 12.6 to 15.2 holds 13,
    14 and 15. Given the ``projected`` value, it stays inside: a count reported
    with decimals (12.6 visits) is not printed beside [13, 13].

    >>> format_interval(2.1234, 12.5), format_interval(0.813, 4.653), format_interval(None, 3)
    ('[2.1, 12.5]', '[0.81, 4.65]', '–')
    >>> format_interval(13.0, 14.0, "count"), format_interval(12.6, 15.2, "count")
    ('[13, 14]', '[13, 15]')
    >>> format_interval(12.4, 15.7, "count"), format_interval(12.27, 13.25, "count", projected=12.6)
    ('[13, 15]', '[12, 13]')
    >>> format_interval(0.6, 2.4, "persons"), format_interval(-1.234, 0.5, "percentage_points")
    ('[1, 2]', '[-1.23, 0.50]')

    Money prints as its values do (:func:`format_value`):

    >>> format_interval(3412.4, 3980.6, "yuan"), format_interval(45.0, 120.0, "yuan")
    ('[3,412, 3,981]', '[45, 120]')
    """
    if is_missing(lo) or is_missing(hi):
        return DASH
    lo, hi = float(lo), float(hi)
    if str(unit) in WHOLE_NUMBER_UNITS:
        # single-precision ends of whole numbers; capped, or from a million people on the
        # slack would reach the next whole number
        slack = min(1e-6 * max(1.0, abs(lo), abs(hi)), 1e-3)
        inner = math.ceil(lo - slack), math.floor(hi + slack)
        if inner[0] > inner[1]:  # no whole number inside (never for a level of 50% or more)
            inner = round(lo), round(hi)
        if not is_missing(projected):  # not beside a projected value it leaves out
            inner = (min(inner[0], math.floor(float(projected))),
                     max(inner[1], math.ceil(float(projected))))
        return f"[{inner[0]}, {inner[1]}]"
    if str(unit) in MONEY_UNITS:
        decimals = 0 if max(abs(lo), abs(hi)) >= MONEY_WHOLE_FROM else 2
        return f"[{lo:,.{decimals}f}, {hi:,.{decimals}f}]"
    decimals = decimals_for(max(abs(lo), abs(hi)))
    return f"[{lo:.{decimals}f}, {hi:.{decimals}f}]"


def interval_with_unit(interval: str, unit: Any = None, lang: str = "zh") -> str:
    """A printed interval (:func:`format_interval`) followed by its unit, for a place where no
    value with the unit stands beside it (a report's target card); a dash stays a dash.

    >>> interval_with_unit("[84.0, 85.2]", "years"), interval_with_unit("[84.0, 85.2]", "years", "en")
    ('[84.0, 85.2]年', '[84.0, 85.2] years')
    >>> interval_with_unit("[0.0, 25.7]", "per_100k"), interval_with_unit("–", "percent")
    ('[0.0, 25.7]/10万', '–')
    """
    return interval if interval == DASH else interval + unit_suffix(unit, lang)


def decimals_for(magnitude: float) -> int:
    """Decimals that show about 3 significant figures (at most 1 decimal from 10 up).

    >>> decimals_for(1234.0), decimals_for(98.0), decimals_for(4.6), decimals_for(0.0123)
    (0, 1, 2, 4)
    """
    if magnitude >= 1000:
        return 0
    if magnitude >= 10:
        return 1
    if magnitude <= 0:
        return 2
    return max(2, 2 - math.floor(math.log10(magnitude)))


def format_probability(p: Any) -> str:
    """A forecast probability with two decimals, rounded down; missing -> ``–``.

    Rounding down keeps the printed number on the same side of the status
    thresholds (0.5, 0.8) as the probability itself: 0.7967 is *at risk*
    (< 0.8) and prints 0.79, not 0.80. A probability is the share of simulated
    paths that meet the target, so 1 (every path met) and 0 (none did) are no
    certainty either: from 0 up to 0.01, and from 0.99 up to 1, it prints
    ``<0.01`` / ``>0.99``, never a certainty the model did not give. A row
    whose outcome is already decided by its observed target-year value
    (终期评估, :func:`hbkit.report.tables.is_decided`) has no forecast: the
    reports print a dash there, not this function's text.

    >>> format_probability(0.7967), format_probability(0.004), format_probability(0.5)
    ('0.79', '<0.01', '0.50')
    >>> format_probability(0.996), format_probability(1.0), format_probability(0.0)
    ('>0.99', '>0.99', '<0.01')
    """
    if is_missing(p):
        return DASH
    x = float(p)
    if x < 0.01:
        return "<0.01"
    if x > 0.99:
        return ">0.99"
    return f"{math.floor(x * 100 + 1e-9) / 100:.2f}"


def format_change(value: Any, unit: Any = None, lang: str = "zh", against: Any = None) -> str:
    """An annual change with its sign; percentages are percentage points (as is a gap already
    in percentage points); ``against`` as in :func:`format_value`.

    >>> format_change(-0.42, "per_1000"), format_change(1.5, "percent", "en")
    ('-0.42‰', '+1.5 pp')
    >>> format_change(-1.2, "percent"), format_change(0.5, "years")
    ('-1.2个百分点', '+0.5年')
    >>> format_change(-0.3, "percentage_points"), format_change(-0.3, "percentage_points", "en")
    ('-0.3个百分点', '-0.3 pp')
    >>> format_change(104.6, "yuan"), format_change(-1250.0, "yuan", "en")
    ('+105元', '-1,250 yuan')
    """
    if is_missing(value):
        return DASH
    x = float(value)
    sign = "+" if x > 0 else ""
    shown = number_apart(x, against) if str(unit) == "percent" else _number_of(x, unit, against)
    return f"{sign}{shown}{difference_unit(unit, lang)}"


def difference_unit(unit: Any, lang: str = "zh") -> str:
    """The unit of a difference of two values: a percentage's is percentage points.

    >>> difference_unit("percent"), difference_unit("percent", "en"), difference_unit("years")
    ('个百分点', ' pp', '年')
    >>> difference_unit(None)
    ''
    """
    return unit_suffix("percentage_points" if str(unit) == "percent" else unit, lang)
