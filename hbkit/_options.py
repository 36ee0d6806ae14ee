"""One place that checks option values: choices, interval levels, whole numbers, seeds, years,
worksheets.

The rule, for every function that takes these options (``assess``, ``backtest``,
``observation_template``, ``read_observations``) and for the command line: a
value whose meaning is clear is read as the number it spells, as a data cell
is (``"2023"``, ``"2023年"`` and ``2023.0`` are the year 2023, ``"80"`` the level
80, ``"7"`` the seed 7); anything else is an :class:`~hbkit.exceptions.HbkitError`
in Chinese and English naming the argument and the value received, never
silently read as something else (a negative seed, a seed too large to differ
from a smaller one, a year outside 1949-2100, a text where a list of years is
asked for, which Python would read character by character).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from hbkit.exceptions import HbkitError, HbkitTypeError, HbkitValueError


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise :class:`HbkitError`.

    Examples
    --------
    >>> check_choice("lang", "zh", ("zh", "en"))
    'zh'
    >>> check_choice("lang", "fr", ("zh", "en"))
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: lang 须为 'zh'、'en' 之一；收到 'fr' / lang must be one of 'zh', 'en'; received 'fr'
    """
    allowed = tuple(choices)
    if value not in allowed:
        raise HbkitError(f"{name} 须为 {'、'.join(repr(c) for c in allowed)} 之一；收到 {value!r} / "
                         f"{name} must be one of {', '.join(repr(c) for c in allowed)}; "
                         f"received {value!r}")
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
    hbkit.exceptions.HbkitError: level 为百分数，须在 50 与 100 之间，如 (80, 95)；收到 0.9 / level is in percent and must lie in (50, 100), e.g. (80, 95); received 0.9

    A level spelt as text is read as the number it spells:

    >>> check_levels("80"), check_levels(["95", 80])
    ((80.0,), (80.0, 95.0))
    """
    values: tuple[Any, ...] = (tuple(level) if isinstance(level, Iterable) and not isinstance(level, str)
                               else (level,))  # one level, or None: said below
    if not values:
        raise HbkitError("level 至少须有一个值，如 (80, 95) / level needs at least one value, "
                         "e.g. (80, 95)")
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise HbkitError(f"level 须为百分数，如 80；收到 {v!r} / level values must be numbers "
                             f"in percent; received {v!r}") from None
        if not 50 < f < 100:
            raise HbkitError(
                f"level 为百分数，须在 50 与 100 之间，如 (80, 95)；收到 {v!r} / "
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
    error naming ``name`` and the value: :class:`~hbkit.exceptions.HbkitTypeError` for
    what is no number (``"x"``, ``None``, ``True``), :class:`~hbkit.exceptions.HbkitValueError`
    for a number that is not whole (``1.5`` is not truncated); both are an ``HbkitError``.

    >>> whole_number("seed", 7.0), whole_number("seed", "7")
    (7, 7)
    >>> whole_number("seed", 1.5)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitValueError: seed 须为整数；收到 1.5 / seed must be a whole number; received 1.5
    >>> whole_number("window", "x")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitTypeError: window 须为整数；收到 'x' / window must be a whole number; received 'x'
    """
    message = (f"{name} 须为整数；收到 {value!r} / {name} must be a whole number; "
               f"received {value!r}")
    number = _as_float(value, message)
    if not number.is_integer():
        raise HbkitValueError(message)
    return int(number)


def count_at_least(name: str, value: Any, minimum: int, name_zh: str | None = None,
                   name_en: str | None = None) -> int:
    """``value`` as a whole number of at least ``minimum`` (:func:`whole_number` reads it),
    else an error naming it (``name_zh`` / ``name_en``: how each half calls it, default
    ``name``) and the value received.

    >>> count_at_least("n_boot", "200", 1)
    200
    >>> count_at_least("n_bins", 0, 1, "n_bins（概率分段数）")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitValueError: n_bins（概率分段数）须不少于 1；收到 0 / n_bins must be at least 1; received 0
    """
    count = whole_number(name, value)
    if count < minimum:
        said_zh = name_zh or f"{name} "  # a Chinese name ends in （...）: no space after it
        raise HbkitValueError(f"{said_zh}须不少于 {minimum}；收到 {value!r} / "
                              f"{name_en or name} must be at least {minimum}; received {value!r}")
    return count


def real_number(name: str, value: Any) -> float:
    """``value`` as a float when it is a number (``0.9``, ``1``, ``"0.9"``), else an error
    naming ``name`` and the value: :class:`~hbkit.exceptions.HbkitTypeError` for what is
    no number (``"x"``, ``None``, ``True``), :class:`~hbkit.exceptions.HbkitValueError`
    for NaN. The range is the caller's to check.

    >>> real_number("StatusRules.on_track", 0.9), real_number("StatusRules.on_track", "0.9")
    (0.9, 0.9)
    >>> real_number("StatusRules.on_track", "high")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitTypeError: StatusRules.on_track 须为数字；收到 'high' / StatusRules.on_track must be a number; received 'high'
    """
    message = f"{name} 须为数字；收到 {value!r} / {name} must be a number; received {value!r}"
    number = _as_float(value, message)
    if math.isnan(number):
        raise HbkitValueError(message)
    return number


def _as_float(value: Any, message: str) -> float:
    """``value`` as a float; an :class:`~hbkit.exceptions.HbkitTypeError` with ``message``
    when it is no number (a bool is none: ``True`` is no count of anything)."""
    if isinstance(value, bool | np.bool_):
        raise HbkitTypeError(message)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise HbkitTypeError(message) from None


#: the largest seed: seeds are reduced modulo 2**31 - 1 per indicator
#: (:func:`hbkit.assessment.chunks.chunk_seed`), so a larger one repeats a smaller one
MAX_SEED = 2**31 - 2


def check_seed(value: Any, name: str = "seed") -> int:
    """``value`` as a seed: a whole number in 0..2147483646 (:data:`MAX_SEED`).

    A negative seed is refused rather than mapped: elsewhere ``-1`` often means
    "no fixed seed", and hbkit's ``-1`` would silently be the seed 2147483646.
    A seed beyond :data:`MAX_SEED` would silently repeat a smaller one
    (2147483647 gave the draws of 0).

    >>> check_seed(7), check_seed("7"), check_seed(7.0)
    (7, 7, 7)
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: seed 须为 0 到 2147483646 之间的整数；收到 -1 / seed must be a whole number from 0 to 2147483646; received -1
    """
    seed = whole_number(name, value)
    if not 0 <= seed <= MAX_SEED:
        raise HbkitError(f"{name} 须为 0 到 {MAX_SEED} 之间的整数；收到 {value!r} / {name} must be "
                         f"a whole number from 0 to {MAX_SEED}; received {value!r}")
    return seed


def check_year(name: str, value: Any) -> int:
    """``value`` as a year, read as the data reader reads a year cell and the command
    line a year option: ``2023``, ``2023.0``, ``"2023"``, ``"2023年"``, ``"２０２３"``; in 1949-2100.

    >>> check_year("as_of", "2023年"), check_year("as_of", 2023.0)
    (2023, 2023)
    >>> check_year("as_of", 20233)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: as_of 须为 1949—2100 之间的年份；收到 20233 / as_of must be a year in 1949-2100; received 20233
    """
    from hbkit.observations.cells import CellError, parse_year

    try:
        if isinstance(value, np.integer | np.floating):
            value = value.item()
        if not isinstance(value, bool | int | float | str):
            raise CellError("not a whole year")
        return parse_year(value)
    except CellError as exc:
        if str(exc).startswith("outside"):
            raise HbkitError(f"{name} 须为 1949—2100 之间的年份；收到 {value!r} / {name} must be "
                             f"a year in 1949-2100; received {value!r}") from None
        raise HbkitError(f"{name} 须为年份，如 2023 或 2023年；收到 {value!r} / {name} must be a "
                         f"year such as 2023 or 2023年; received {value!r}") from None


def check_years(name: str, value: Any, sort: bool = True) -> list[int]:
    """``value``, a list of years (any iterable), each read by :func:`check_year`: sorted
    and distinct, or as given with ``sort=False``.

    A text or a single number is refused: Python reads ``"2021"`` as the
    characters ``2 0 2 1``, and a lone year does not say whether one year or a
    range up to the plan's end was meant; the message shows how to write both.

    >>> check_years("years", range(2021, 2024)), check_years("years", ["2022", 2021])
    ([2021, 2022, 2023], [2021, 2022])
    >>> check_years("years", "2021-2025")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: years 须为年份的列表，如 range(2021, 2026) 或 [2021]（命令行的 2021-2025 在此写作 range(2021, 2026)）；收到 '2021-2025' / years must be years, e.g. range(2021, 2026) or [2021] (the command line's 2021-2025 is range(2021, 2026) here); received '2021-2025'
    """
    if isinstance(value, str | bytes | int | float | np.number) or not isinstance(value, Iterable):
        raise HbkitError(
            f"{name} 须为年份的列表，如 range(2021, 2026) 或 [2021]（命令行的 2021-2025 在此写作 "
            f"range(2021, 2026)）；收到 {value!r} / {name} must be years, e.g. range(2021, 2026) "
            f"or [2021] (the command line's 2021-2025 is range(2021, 2026) here); "
            f"received {value!r}")
    years = [check_year(name, v) for v in value]
    if not years:
        raise HbkitError(f"{name} 至少须有一个年份 / {name} needs at least one year; "
                         f"received {value!r}")
    return sorted(set(years)) if sort else years


def check_sheet(value: Any) -> str | int | None:
    """``value`` as the worksheet to read: ``None`` (every sheet), a name or the start of
    one (non-empty text), or a 0-based number (a whole number 0 or more, not ``True``).

    Anything else is refused rather than looked up as the text it prints as
    (``1.5`` was sought as a sheet named ``"1.5"``, ``True`` as ``"True"``).

    >>> check_sheet("健康"), check_sheet(0), check_sheet(None)
    ('健康', 0, None)
    >>> check_sheet(1.5)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: sheet 须为工作表名称（如 '健康'）或从 0 起的工作表序号；收到 1.5 (float) / sheet must be a worksheet name (such as '健康') or its number counted from 0; received 1.5 (float)
    """
    if isinstance(value, np.integer):
        value = int(value)
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise HbkitError(f"sheet 须为工作表名称（如 '健康'）或从 0 起的工作表序号；收到 {value!r} "
                     f"({type(value).__name__}) / sheet must be a worksheet name (such as '健康') "
                     f"or its number counted from 0; received {value!r} ({type(value).__name__})")
