"""Unit spellings and exact conversions between rate units.

Departments write the same unit many ways: ``%``, ``％``, ``百分比``; ``‰``,
``千分之``, ``/1000``; ``/10万``, ``1/10万``, ``per 100,000``. This module maps
every spelling it knows to one :data:`hbkit._typing.Unit` name, and converts a
value between two rate units when, and only when, the conversion is exact: both
units are a proportion times a power of ten (``percent``, ``per_1000``,
``per_10k``, ``per_100k``), so the factor is a ratio of powers of ten and no
assumption about the data is needed. Two more pairs keep the number as it is
(:data:`SAME_NUMBER`): a count of things and a count of people (``count`` and
``persons``: 3个 and 3人 are the number 3), and a difference of two percentages
written with ``%`` where the catalogue says ``percentage_points`` (a gap of
3.39% between men's and women's shares is 3.39 percentage points; the other
way round is refused: a share is no gap). A unit-less figure (``none``) where the
catalogue says ``yuan`` is read as that many yuan. Money is read in yuan only
(元, 元/月, 元/人/月): a figure in 万元 is refused (:func:`is_ten_thousand_yuan`). Any other pair (for example
``percent`` and ``years``, or ``per_1000`` and ``per_1000_population``, whose
denominators differ in kind) is refused.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from hbkit._typing import UNIT_SCALE, UNIT_ZH, UNITS

#: free-text spellings (after :func:`_key`) -> Unit name
_SPELLINGS: dict[str, str] = {
    # percent
    "%": "percent", "percent": "percent", "pct": "percent", "percentage": "percent",
    "百分比": "percent", "百分率": "percent", "百分之": "percent", "1/100": "percent",
    "per100": "percent", "/100": "percent",
    # percentage points: a difference of two percentages (a gap), not a share
    "个百分点": "percentage_points", "百分点": "percentage_points", "pp": "percentage_points",
    "p.p.": "percentage_points", "percentagepoints": "percentage_points",
    "percentagepoint": "percentage_points", "pctpoints": "percentage_points",
    "pct.points": "percentage_points", "pct.pts": "percentage_points",
    # per mille
    "‰": "per_1000", "permille": "per_1000", "per1000": "per_1000", "per1,000": "per_1000",
    "千分之": "per_1000", "千分率": "per_1000", "/1000": "per_1000", "1/1000": "per_1000",
    "/千": "per_1000", "1/千": "per_1000", "/1,000": "per_1000",
    # per ten thousand
    "‱": "per_10k", "/万": "per_10k", "1/万": "per_10k", "万分之": "per_10k", "per10000": "per_10k",
    "per10,000": "per_10k", "per10k": "per_10k", "/10000": "per_10k", "1/10000": "per_10k",
    "/10,000": "per_10k", "/1万": "per_10k", "1/1万": "per_10k",
    # per hundred thousand
    "/10万": "per_100k", "1/10万": "per_100k", "十万分之": "per_100k", "/十万": "per_100k",
    "1/十万": "per_100k", "per100000": "per_100k", "per100,000": "per_100k", "per100k": "per_100k",
    "/100000": "per_100k", "1/100000": "per_100k", "/100,000": "per_100k",
    # per population
    "每千人口": "per_1000_population", "每千人": "per_1000_population", "/千人": "per_1000_population",
    "/千人口": "per_1000_population", "/万人": "per_10k_population", "/万人口": "per_10k_population",
    "per1000population": "per_1000_population", "per1,000population": "per_1000_population",
    "每万人口": "per_10k_population", "每万人": "per_10k_population",
    "per10000population": "per_10k_population", "per10,000population": "per_10k_population",
    # others
    "年": "years", "岁": "years", "years": "years", "year": "years",
    "个": "count", "个/人": "count", "所": "count", "家": "count", "次": "count",
    "件": "count", "count": "count", "number": "count",
    # people counted: 1名女干部, 2人
    "人": "persons", "名": "persons", "位": "persons", "人数": "persons",
    "persons": "persons", "person": "persons", "people": "persons",
    "次/年": "times_per_year", "timesperyear": "times_per_year", "times/year": "times_per_year",
    "小时/天": "hours_per_day", "小时/日": "hours_per_day", "hoursperday": "hours_per_day",
    "hours/day": "hours_per_day", "timesayear": "times_per_year", "hoursaday": "hours_per_day",
    "比值": "ratio", "比": "ratio", "ratio": "ratio",
    # money: an amount in yuan, also per person or per month (元/人/月); 万元 is refused
    # (:func:`is_ten_thousand_yuan`)
    "元": "yuan", "yuan": "yuan", "rmb": "yuan", "cny": "yuan", "人民币": "yuan",
    "人民币元": "yuan", "元人民币": "yuan", "元/月": "yuan", "元/人": "yuan", "元/人/月": "yuan",
    "元/人·月": "yuan", "元/月/人": "yuan", "元/人月": "yuan", "元/人.月": "yuan",
    "元每月": "yuan", "元/每月": "yuan",
    # 元/（人·月）: the key keeps the opening bracket (:func:`_key` trims the closing one)
    "元/(人·月": "yuan", "元/(人.月": "yuan",
    "yuan/month": "yuan", "yuanamonth": "yuan", "yuanpermonth": "yuan",
    "无": "none", "none": "none",
}
_SPELLINGS.update({name: name for name in UNITS})
_SPELLINGS.update({_sym: _name for _name, _sym in UNIT_ZH.items() if _sym})

#: the rate units whose values convert exactly into one another
EXACT_UNITS: frozenset[str] = frozenset(UNIT_SCALE)
#: (unit written, catalogue unit) pairs whose number is read unchanged: a count of
#: people is a count, and a gap between two percentages written with % is in
#: percentage points (not the other way: a value in percentage points is no share); and an
#: amount of money written unit-less (``none``), as hbkit's own files wrote the benefit levels
#: before money had a unit (a unit-less number is that many yuan, as an empty unit cell is)
SAME_NUMBER: frozenset[tuple[str, str]] = frozenset({
    ("count", "persons"), ("persons", "count"), ("percent", "percentage_points"),
    ("none", "yuan"),
})

_SPACES = re.compile(r"\s+")
#: the separator of a bilingual label as hbkit writes it ("个 / count")
_BILINGUAL = re.compile(r"\s+[/／]\s+")


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    text = text.replace("／", "/")
    text = _SPACES.sub("", text)
    return text.strip("()（）[]【】")


def canonical_unit(text: object) -> str | None:
    """Return the :data:`hbkit._typing.Unit` name of a unit spelling, or ``None``.

    An empty cell gives ``""`` (unit not stated); an unknown spelling gives
    ``None``. A label written ``中文 / English`` as hbkit's reports write it
    (``个 / count``, ``/10万 / per 100,000``) is read when both sides are
    spellings of the same unit, so that a report's 数据 sheet reads back.

    Examples
    --------
    >>> canonical_unit("％"), canonical_unit("1/10万"), canonical_unit("per 100,000")
    ('percent', 'per_100k', 'per_100k')
    >>> canonical_unit("‰"), canonical_unit(" 每千人口 "), canonical_unit("")
    ('per_1000', 'per_1000_population', '')
    >>> canonical_unit("个 / count"), canonical_unit("/10万 / per 100,000")
    ('count', 'per_100k')
    >>> canonical_unit("个百分点"), canonical_unit("pp"), canonical_unit("人"), canonical_unit("名")
    ('percentage_points', 'percentage_points', 'persons', 'persons')
    >>> canonical_unit("元"), canonical_unit("元/人/月"), canonical_unit("万元") is None
    ('yuan', 'yuan', True)
    >>> canonical_unit("furlongs") is None, canonical_unit("个 / years") is None
    (True, True)
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    raw = str(text)
    if not raw.strip():
        return ""
    found = _spelling(raw)  # "1 / 1000" is one spelling
    sides = _BILINGUAL.split(raw.strip())
    if found is None and len(sides) == 2:
        zh, en = (_spelling(side) for side in sides)
        return zh if zh and zh == en else None
    return found


def is_ten_thousand_yuan(text: object) -> bool:
    """Whether a unit spelling is 万元 (ten thousand yuan), which hbkit refuses.

    hbkit reads money in yuan only (``yuan``, 元). A figure in 万元 is refused
    rather than multiplied by 10,000: the amounts the plans judge are monthly
    benefits and allowances per person, hundreds to a few thousand yuan, so a
    figure in 万元 is more likely another quantity (a fund's annual total) than
    the one the target names, and the department that sent it should say which.

    >>> is_ten_thousand_yuan("万元"), is_ten_thousand_yuan(" 万元/月 "), is_ten_thousand_yuan("元")
    (True, True, False)
    """
    if text is None or (isinstance(text, float) and text != text):
        return False
    return _key(str(text)).startswith("万元")


def _spelling(raw: str) -> str | None:
    """The unit of one spelling (no bilingual label), ``None`` if unknown."""
    key = _key(raw)
    if key in _SPELLINGS:
        return _SPELLINGS[key]
    if key.startswith("per") and key[3:] in _SPELLINGS:  # "per ‰" and the like
        return _SPELLINGS[key[3:]]
    return None


def conversion_factor(from_unit: str, to_unit: str) -> tuple[int, int] | None:
    """Exact factor ``(multiply, divide)`` taking a value in ``from_unit`` to ``to_unit``.

    Returns ``(1, 1)`` for the same unit and for the pairs of
    :data:`SAME_NUMBER` (``count`` and ``persons``; ``percent`` read as
    ``percentage_points``), and ``None`` when no exact conversion exists. The
    factor is returned as two integers so that the conversion multiplies or
    divides by a power of ten rather than by an inexact float such as 0.1.

    Examples
    --------
    >>> conversion_factor("per_1000", "per_100k")
    (100, 1)
    >>> conversion_factor("per_1000", "percent")
    (1, 10)
    >>> conversion_factor("percent", "years") is None
    True
    >>> conversion_factor("persons", "count"), conversion_factor("percent", "percentage_points")
    ((1, 1), (1, 1))
    >>> conversion_factor("percentage_points", "percent") is None   # a gap is no share
    True
    >>> conversion_factor("none", "yuan"), conversion_factor("yuan", "none") is None
    ((1, 1), True)
    """
    if from_unit == to_unit or (from_unit, to_unit) in SAME_NUMBER:
        return (1, 1)
    if from_unit not in EXACT_UNITS or to_unit not in EXACT_UNITS:
        return None
    source, target = int(UNIT_SCALE[from_unit]), int(UNIT_SCALE[to_unit])
    return (target // source, 1) if target >= source else (1, source // target)


def convert(value: float, factor: tuple[int, int]) -> float:
    """Apply a factor from :func:`conversion_factor`, in decimal arithmetic.

    The value is taken as printed (its shortest decimal form), so that 0.57‰
    becomes exactly 57 per 100,000 rather than 56.99999999999999.

    >>> convert(5.3, (1, 10)), convert(0.57, (100, 1))
    (0.53, 57.0)
    """
    multiply, divide = factor
    if value != value or value in (float("inf"), float("-inf")):
        return value
    return float(Decimal(repr(float(value))) * multiply / divide)
