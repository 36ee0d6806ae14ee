"""One place that checks option values: Literal choices and interval levels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hbkit.exceptions import HbkitError


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise :class:`HbkitError`.

    Examples
    --------
    >>> check_choice("lang", "zh", ("zh", "en"))
    'zh'
    >>> check_choice("lang", "fr", ("zh", "en"))
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: lang must be one of 'zh', 'en'; received 'fr'
    """
    allowed = tuple(choices)
    if value not in allowed:
        listed = ", ".join(repr(c) for c in allowed)
        raise HbkitError(f"{name} must be one of {listed}; received {value!r}")
    return str(value)


def check_levels(level: float | Iterable[float]) -> tuple[float, ...]:
    """Validate interval levels given in percent, e.g. ``(80, 95)``.

    Returns the levels sorted ascending, as floats. Each must lie strictly
    between 0 and 100.

    Examples
    --------
    >>> check_levels((95, 80))
    (80.0, 95.0)
    >>> check_levels(0.9)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: level is in percent and must lie in (50, 100), e.g. (80, 95); received 0.9
    """
    values = (level,) if isinstance(level, int | float | str) else tuple(level)
    if not values:
        raise HbkitError("level needs at least one value, e.g. (80, 95)")
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise HbkitError(f"level values must be numbers in percent; received {v!r}") from None
        if not 50 < f < 100:
            raise HbkitError(
                f"level is in percent and must lie in (50, 100), e.g. (80, 95); received {v!r}"
            )
        out.append(f)
    return tuple(sorted(set(out)))


def level_label(level: float) -> str:
    """Column suffix for a level: ``80 -> '80'``, ``97.5 -> '97.5'``.

    >>> level_label(80.0), level_label(97.5)
    ('80', '97.5')
    """
    return f"{level:g}"


def whole_number(name: str, value: Any) -> int:
    """``value`` as an int when it is a whole number (``7``, ``7.0``, ``"7"``), else an
    :class:`~hbkit.exceptions.HbkitError` naming ``name`` (``1.5`` is not truncated).

    >>> whole_number("seed", 7.0), whole_number("seed", "7")
    (7, 7)
    >>> whole_number("seed", 1.5)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: seed must be a whole number; received 1.5
    """
    bad = HbkitError(f"{name} must be a whole number; received {value!r}")
    if isinstance(value, bool):
        raise bad
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise bad from None
    if not number.is_integer():
        raise bad
    return int(number)
