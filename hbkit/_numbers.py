"""How a number prints, shared by the reports and the warning texts.

Missing numbers print as an en dash (``–``), never as ``nan``.
"""

from __future__ import annotations

import math
from typing import Any

DASH = "–"


def is_missing(value: Any) -> bool:
    """``True`` for ``None``, NaN and empty strings.

    >>> is_missing(float("nan")), is_missing(0.0), is_missing("")
    (True, False, True)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


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
    magnitude = abs(x)
    if magnitude >= 1000 or (magnitude >= 10 and x == round(x)):
        return f"{x:.0f}"
    if magnitude >= 10:
        return f"{x:.1f}"
    if magnitude == 0:
        return "0"
    return f"{x:.3g}"
