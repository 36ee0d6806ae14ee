"""Reading one cell: trimmed text, numbers written the Chinese-Windows way, years.

A cell arrives as whatever the file gave: text from a CSV, or a number, text or
``None`` from Excel. These functions turn it into a clean Python value, or say
precisely why they cannot. Full-width characters are folded to ASCII (NFKC:
``"９５．２"`` is ``"95.2"``), thousands separators are removed (``"4,123"``),
the minus sign ``"−"`` is read as ``"-"``, and a trailing unit sign
(``%``, ``‰``, ``‱``, ``/10万``, ``元``, ...) is split off and returned as the unit
(``"1,234元"`` is 1234 yuan; a figure in 万元 is refused: write money in 元).
The markers statistical yearbooks print for "not available" (``…``, ``—``,
``-``, ``NA``) read as a missing value, never as zero.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from hbkit.observations.units import canonical_unit, is_ten_thousand_yuan

#: cell texts that mean "no figure" (statistical-yearbook conventions and common spellings)
MISSING_MARKERS: frozenset[str] = frozenset(
    {"", "-", "--", "—", "——", "–", "…", "……", "...", "na", "n/a", "nan", "null", "none",
     "#n/a", "缺", "缺失", "暂无", "无数据", "/"}
)
_INFINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "∞", "+∞", "-∞"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_UNIT_SUFFIX = re.compile(
    r"^(?P<number>.*?\d\.?)\s*(?P<unit>[%‰‱]|/\s*\S+|‰|万?元(\s*/\s*\S+)?)$")
_YEAR = re.compile(r"^(\d{4})(\.0+)?\s*年?(度)?$")


@dataclass(frozen=True)
class Number:
    """A parsed numeric cell: ``value`` (NaN when missing), the ``unit`` its text
    carried (``""`` if none), and ``decimals`` printed (``None`` when unknown)."""

    value: float
    unit: str = ""
    decimals: int | None = None
    missing: bool = False


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason (English).

    ``code`` names the rule of :mod:`hbkit.observations.rules` it breaks when it
    is not the plain ``not-a-number`` / ``unit-unknown`` (``unit-ten-thousand-yuan``).
    """

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


def clean_text(cell: object) -> str:
    """The cell as trimmed text with full-width forms folded (``None`` -> ``""``).

    Examples
    --------
    >>> clean_text("  河北区　"), clean_text(None), clean_text(2021)
    ('河北区', '', '2021')
    >>> clean_text("ＡＢＣ１２")
    'ABC12'
    """
    return unicodedata.normalize("NFKC", free_text(cell)).strip()


def free_text(cell: object) -> str:
    """A free-text cell (a source, a note) as written, only trimmed (``None`` -> ``""``).

    Unlike :func:`clean_text` it folds nothing: the reader keeps a source's
    full-width punctuation (模拟数据，非真实统计) as the user wrote it.

    >>> free_text("  区卫健委（２０２３），年报 "), free_text(None)
    ('区卫健委（２０２３），年报', '')
    """
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip().strip("\ufeff").strip()


def is_blank(cell: object) -> bool:
    """``True`` for ``None``, NaN and whitespace-only text.

    >>> is_blank(None), is_blank(" \\u3000"), is_blank(0)
    (True, True, False)
    """
    return clean_text(cell) == ""


def _decimals_of(text: str) -> int | None:
    mantissa = text.lower().split("e")[0]
    if "e" in text.lower():
        return None
    return len(mantissa.split(".")[1]) if "." in mantissa else 0


def _float_decimals(value: float) -> int | None:
    text = repr(value)
    if "e" in text or "inf" in text or "nan" in text:
        return None
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def parse_number(cell: object, *, percent_format: bool = False) -> Number:
    """Read a numeric cell.

    Parameters
    ----------
    cell
        Text, a number or ``None``.
    percent_format
        The Excel cell is formatted as a percentage, so it stores 0.952 for
        95.2%: the value is multiplied by 100 and the unit is ``percent``.

    Raises
    ------
    CellError
        When the cell is neither a number nor a missing marker.

    Examples
    --------
    >>> parse_number("９５．２")
    Number(value=95.2, unit='', decimals=1, missing=False)
    >>> parse_number("95.2%")
    Number(value=95.2, unit='percent', decimals=1, missing=False)
    >>> parse_number("4,123"), parse_number("…").missing
    (Number(value=4123.0, unit='', decimals=0, missing=False), True)
    >>> parse_number("8.5/10万").unit
    'per_100k'
    >>> parse_number("1,234元"), parse_number("1234 元").value
    (Number(value=1234.0, unit='yuan', decimals=0, missing=False), 1234.0)
    >>> parse_number("0.36万元")
    Traceback (most recent call last):
    ...
    hbkit.observations.cells.CellError: in 万元, not 元 (0.36万元 = 3600元)
    >>> parse_number("abc")
    Traceback (most recent call last):
    ...
    hbkit.observations.cells.CellError: not a number
    """
    if isinstance(cell, bool):
        raise CellError("not a number")
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = float(cell)
        if math.isnan(value):
            return Number(math.nan, missing=True)
        if percent_format:
            value = value * 100 if math.isinf(value) else round(value * 100, 10)
            return Number(value, "percent", _float_decimals(value))
        return Number(value, "", _float_decimals(value))
    text = clean_text(cell).replace("−", "-").replace("，", ",")
    if text.casefold() in MISSING_MARKERS:
        return Number(math.nan, missing=True)
    unit = ""
    match = _UNIT_SUFFIX.match(text)
    if match and not _NUMBER.match(text):
        if is_ten_thousand_yuan(match.group("unit")):
            raise _ten_thousand_yuan(match.group("number").strip())
        found = canonical_unit(match.group("unit"))
        if not found:
            raise CellError(f"unknown unit sign {match.group('unit')!r}")
        unit, text = found, match.group("number").strip()
    if text.casefold() in _INFINITE:
        return Number(float("-inf") if text.startswith("-") else float("inf"), unit, None)
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise CellError("not a number")
    return Number(float(text), unit, _decimals_of(text))


def _ten_thousand_yuan(number: str) -> CellError:
    """The refusal of a figure in 万元, with the figure in 元 where it reads as a number."""
    text = number.replace(",", "") if _THOUSANDS.match(number) else number
    if not _NUMBER.match(text):
        return CellError("in 万元, not 元", "unit-ten-thousand-yuan")
    in_yuan = Decimal(text) * 10_000
    return CellError(f"in 万元, not 元 ({number}万元 = {in_yuan.normalize():f}元)",
                     "unit-ten-thousand-yuan")


def parse_year(cell: object) -> int:
    """Read a year cell: ``2021``, ``"2021"``, ``"2021年"``, ``"２０２１"``, ``2021.0``.

    Raises :class:`CellError` when it is not a whole number in 1949-2100.

    Examples
    --------
    >>> parse_year("２０２１年"), parse_year(2020.0)
    (2021, 2020)
    >>> parse_year("2021.5")
    Traceback (most recent call last):
    ...
    hbkit.observations.cells.CellError: not a whole year
    """
    if isinstance(cell, bool):
        raise CellError("not a whole year")
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not cell.is_integer():
            raise CellError("not a whole year")
        year = int(cell)
    else:
        match = _YEAR.match(clean_text(cell))
        if not match:
            raise CellError("not a whole year")
        year = int(match.group(1))
    if not 1949 <= year <= 2100:
        raise CellError("outside 1949-2100")
    return year
