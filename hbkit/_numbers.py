"""How a number prints, shared by the reports and the warning texts.

Missing numbers print as an en dash (``–``), never as ``nan``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

DASH = "–"


def is_missing(value: Any) -> bool:
    """``True`` for ``None``, NaN, pandas' ``NA`` and ``NaT``, and empty strings.

    >>> import pandas as pd
    >>> is_missing(float("nan")), is_missing(0.0), is_missing(""), is_missing(pd.NA)
    (True, False, True, True)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):  # pandas' missing markers have no float
        return type(value).__name__ in ("NAType", "NaTType")


def number(value: Any, digits: int | None = None) -> str:
    """A number with sensible precision: 3 significant figures below 10, 1 decimal above.

    >>> number(0.012345), number(7.256), number(98.46), number(1234.0), number(None)
    ('0.0123', '7.26', '98.5', '1234', '–')
    """
    if is_missing(value):
        return DASH
    x = float(value)
    if digits is not None:
        return f"{x:.{digits}f}"
    return _format_of(x).format(x)


def _format_of(x: float) -> str:
    """The format :func:`number` writes the finite number ``x`` with."""
    magnitude = abs(x)
    if magnitude >= 1000 or (magnitude >= 10 and x == round(x)):
        return "{:.0f}"
    if magnitude >= 10:
        return "{:.1f}"
    if magnitude == 0:
        return "0"
    return "{:.3g}"


def finite_numbers(values: Any) -> npt.NDArray[np.object_]:
    """:func:`number` of each of many finite numbers, the same texts, without its checks for
    missing values per number (a table of warnings has hundreds of thousands of numbers).

    >>> finite_numbers([0.012345, 7.256, 98.46, 1234.0, 20.0, 0.0, -0.0, -3.5]).tolist()
    ['0.0123', '7.26', '98.5', '1234', '20', '0', '0', '-3.5']
    """
    x = np.atleast_1d(np.asarray(values, dtype=float))
    out = np.empty(x.shape, dtype=object)
    out[...] = [_format_of(n).format(n) for n in x.tolist()]
    return out


def number_apart(value: Any, against: Any = None) -> str:
    """:func:`number`, with as many more decimals as keep it apart from ``against``.

    A year that broke "≥95%" with 94.96 must not print as 95.0 beside the rule:
    the number keeps the decimals that show on which side of ``against`` it lies
    (up to 6). Without ``against``, or on it exactly, it is :func:`number`.

    >>> number_apart(94.96, 95), number_apart(94.0, 95), number_apart(-0.9996, -1)
    ('94.96', '94', '-0.9996')
    """
    shown = number(value)
    if is_missing(value) or is_missing(against):
        return shown
    x, a = float(value), float(against)
    if x == a:
        return shown
    digits = len(shown.split(".")[1]) if "." in shown else 0
    while (float(shown) - a) * (x - a) <= 0 and digits < 6:
        digits += 1
        shown = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return shown


#: amounts of money from this many yuan up print in whole yuan; below it, in fen (0.01)
MONEY_WHOLE_FROM = 100.0


def money(value: Any, against: Any = None) -> str:
    """An amount of money: thousands separators, whole yuan from 100 up, fen (2 decimals) below.

    Benefits and allowances are set in whole yuan (a pension of 3,603元 a month); a
    fraction of a yuan only means something for a small amount. ``against``: a
    threshold the amount must not print as, as in :func:`number_apart` (more
    decimals until it shows on which side it lies).

    >>> money(3603.0), money(1234567.4), money(12.5), money(-250.0), money(None)
    ('3,603', '1,234,567', '12.50', '-250', '–')
    >>> money(2999.6, against=3000), money(2999.96, against=3000)
    ('2,999.6', '2,999.96')
    """
    if is_missing(value):
        return DASH
    x = float(value)
    digits = 0 if abs(x) >= MONEY_WHOLE_FROM else 2
    shown = f"{x:,.{digits}f}"
    if is_missing(against) or x == float(against):
        return shown
    a = float(against)
    while (float(shown.replace(",", "")) - a) * (x - a) <= 0 and digits < 6:
        digits += 1
        shown = f"{x:,.{digits}f}".rstrip("0").rstrip(".")
    return shown
