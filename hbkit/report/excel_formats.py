"""Number formats of the Excel workbook: what a number is decides how its cell shows it.

Numbers stay numbers, with every digit (analysts compute with them); what a
cell shows is set by its number format (:func:`number_format`): probabilities
as percentages (``0.0%``; the probability itself rounded down to 0.1% by
:func:`floor_probability`), years and counts without decimals, values with the
decimals their indicator was reported with (:func:`reported_decimals`; by unit,
:data:`UNIT_DECIMALS`, when there are no data), p-values ``0.000`` or
scientific below 0.001; values, projections and interval ends are followed by their unit
(:func:`with_unit`: ``3.64‰``, the cell still the number 3.64). Float32 model output is
written as its shortest decimal (:func:`tidy_float32`: ``84.63999938964844`` is the float32
``84.64``), float64 results at 12 significant digits (:func:`tidy_float64`:
``0.2199999999999989`` is ``0.22``).
:func:`shown_text` is about the text Excel shows, to size a column.

Examples
--------
>>> fmt = number_format("latest_value", 76.24, reported_decimals([74.5, 76.24]))
>>> fmt, shown_text(76.24, fmt)
('#,##0.00', '76.24')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from hbkit._typing import UNIT_ZH
from hbkit.report.formatting import MONEY_UNITS, decimals_for

#: decimals of a unit's values when the assessment holds no observation of the indicator
UNIT_DECIMALS: dict[str, int] = {
    "percent": 1, "percentage_points": 2, "per_1000": 2, "per_10k": 2, "per_100k": 1,
    "per_1000_population": 2, "per_10k_population": 2, "years": 1, "count": 0, "persons": 0,
    "times_per_year": 1, "hours_per_day": 1, "ratio": 2, "yuan": 0, "none": 2,
}
#: at most this many decimals are shown for an indicator's values (the cell keeps every digit; an
#: observed value needing more shows up to one more, :func:`value_decimals`)
MAX_DECIMALS = 3

_YEAR_COLUMNS = frozenset({"target_year", "baseline_year", "latest_year", "year", "max_z_year",
                           "last_year", "as_of"})
_COUNT_COLUMNS = frozenset({"n_obs", "reversals", "dispersion_df", "n_areas", "total",
                            "n_large_changes"})
#: probabilities, floored to 0.1% by :func:`floor_probability` (``<0.1%`` below it, ``>99.9%`` at 1)
_PROBABILITY_COLUMNS = frozenset({"probability", "probability_before", "probability_now"})
_SHARE_COLUMNS = frozenset({"probability", "swing_scale", "relative_scale", "probability_before",
                            "probability_now", "probability_change"})
#: values as reported, in the indicator's unit
_VALUE_COLUMNS = frozenset({"target_value", "baseline_value", "latest_value", "value",
                            "threshold"})
#: observed values: each shows at least the digits it was typed with (:func:`value_decimals`)
_OBSERVED_COLUMNS = frozenset({"value", "latest_value"})
#: model output in the indicator's unit (at least one decimal, also for whole-number data)
_MODEL_COLUMNS = frozenset({"projected", "expected_shortfall"})
#: changes per year and residual scales in the unit (one decimal more than the values)
_CHANGE_COLUMNS = frozenset({"required_annual_change", "achieved_annual_change",
                             "last_change", "robust_scale"})
_STATISTIC_FORMATS: dict[str, str] = {
    "eurostat_ratio": "0.00", "dispersion_chi2": "0.00", "dispersion_ratio": "0.00",
    "max_abs_z": "0.00", "last_z": "0.00", "raw_effect": "0.000", "effect": "0.000",
    "effect_sd": "0.000", "shrinkage": "0.00", "probability_exact": "0.0000",
}


def value_decimals(value: float, most: int = MAX_DECIMALS + 1) -> int:
    """Decimals one number needs to show every digit it was typed with, at most ``most``.

    >>> value_decimals(95.0), value_decimals(97.1), value_decimals(0.9913), value_decimals(1 / 3)
    (0, 1, 4, 4)
    """
    v = float(value)
    if not np.isfinite(v):
        return 0
    tolerance = 1e-9 * max(1.0, abs(v))
    for decimals in range(most):
        if abs(round(v, decimals) - v) <= tolerance:
            return decimals
    return most


def _decimals_needed(values: np.ndarray, most: int = MAX_DECIMALS + 1) -> np.ndarray:
    """:func:`value_decimals` of every value at once (a city's data sheet holds a million).

    >>> _decimals_needed(np.array([95.0, 97.1, 0.9913, 1 / 3])).tolist()
    [0, 1, 4, 4]
    """
    out = np.full(values.shape, most, dtype=np.int64)
    tolerance = 1e-9 * np.maximum(1.0, np.abs(values))
    undecided = np.ones(values.shape, dtype=bool)
    for decimals in range(most):
        exact = undecided & (np.abs(np.round(values, decimals) - values) <= tolerance)
        out[exact] = decimals
        undecided &= ~exact
    return out


def reported_decimals(values: Iterable[float]) -> int:
    """Decimals the values were reported with: the most the typical values need, at most 3.

    The most any value needs (a whole-percent series that reads 95.1 once is
    reported with one decimal), except for a few stray values that need at least
    two decimals more than every other one: one in five at most, with at least
    two others. A percent typed once as a fraction (0.9913 among 95.0, 97.1) then
    does not show every other value with three decimals (95.000, 97.100); its
    own cell still shows its digits (:func:`number_format`).

    Parameters
    ----------
    values
        Numbers as reported (NaN and infinities are ignored).

    Returns
    -------
    int
        From 0 (whole numbers, or no number at all) to :data:`MAX_DECIMALS`.

    Examples
    --------
    >>> reported_decimals([74.5, 76.24, 80.0]), reported_decimals([3, 4]), reported_decimals([1 / 3])
    (2, 0, 3)
    >>> reported_decimals([95.0, 97.1, 0.9913]), reported_decimals([95.0, 0.9913])
    (1, 3)
    """
    v = np.asarray(list(values), dtype=float)
    needed = np.sort(_decimals_needed(v[np.isfinite(v)]))[::-1].tolist()
    if not needed:
        return 0
    # the first gap of two decimals or more after the few stray values, if any
    for strays in range(1, max(1, len(needed) // 5) + 1):
        if len(needed) - strays >= 2 and needed[strays - 1] - needed[strays] >= 2:
            return min(needed[strays], MAX_DECIMALS)
    return min(needed[0], MAX_DECIMALS)


#: columns computed from single-precision (float32) draws: projections and interval ends
def _from_float32_draws(name: object) -> bool:
    return name == "projected" or str(name).startswith(("lo_", "hi_"))


def tidy_float32(values: pd.Series) -> pd.Series:
    """Write float32 numbers as the float64 of their shortest decimal.

    A projection computed in float32 reaches the frame as, e.g.,
    ``84.63999938964844``; it is the float32 ``84.64``, so the cell gets
    ``84.64``. Only numbers that are exactly a float32 and not whole change, and
    they change by less than the float32 rounding they came with. The columns
    computed from the float32 draws (``projected``, ``lo_*``, ``hi_*``: an
    interval end can be the midpoint of two draws, ``83.95759857177734``) are
    written at float32 precision (``83.9576``), the digits beyond it carrying
    nothing; every other number (float64 results, reported data) keeps all its
    digits.

    Parameters
    ----------
    values
        A column of the workbook; non-float columns are returned as they are.

    Returns
    -------
    pandas.Series
        The column, float32 noise removed.

    Examples
    --------
    >>> tidy_float32(pd.Series([84.63999938964844, 84.14, -0.2000000000000028, 2023.0])).tolist()
    [84.64, 84.14, -0.2000000000000028, 2023.0]
    >>> tidy_float32(pd.Series([83.95759857177734, 85.1540023803711], name="lo_80")).tolist()
    [83.9576, 85.154]
    """
    if not pd.api.types.is_float_dtype(values):
        return values
    x = values.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        single = np.isfinite(x) & (x != np.round(x))
        if not _from_float32_draws(values.name):
            single &= x.astype(np.float32).astype(float) == x
    if not single.any():
        return values
    out = x.copy()
    out[single] = [float(str(np.float32(v))) for v in x[single]]
    return pd.Series(out, index=values.index, name=values.name)


#: significant digits a workbook number keeps (:func:`tidy_float64`): more than any data or
#: model output carries, fewer than the 17 that show a binary rounding error (0.2199999999999989)
SIGNIFICANT_DIGITS = 12


def tidy_float64(values: pd.Series) -> pd.Series:
    """Round float64 numbers to :data:`SIGNIFICANT_DIGITS` significant digits.

    A difference of reported values carries the binary rounding error of its
    arithmetic: the annual change (85.24 − 84.14) / 5 is ``0.2199999999999989``
    in float64, and Excel's formula bar would show every digit of it. At 12
    significant digits the cell holds ``0.22``, the number the arithmetic meant; a
    value with real digits keeps them to 12 (``0.8466666666666667`` is
    ``0.846666666667``). Numbers of 1e11 or more, or below 1e-9, are kept as they are.

    Parameters
    ----------
    values
        A column of the workbook; non-float columns are returned as they are.

    Returns
    -------
    pandas.Series
        The column, with no digit beyond the 12th significant one.

    Examples
    --------
    >>> tidy_float64(pd.Series([0.2199999999999989, -0.05499999999999972, 0.8466666666666667,
    ...                         84.14, 2023.0, float("nan")])).tolist()
    [0.22, -0.055, 0.846666666667, 84.14, 2023.0, nan]
    """
    if not pd.api.types.is_float_dtype(values):
        return values
    x = values.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        size = np.abs(x)
        tidy = np.isfinite(x) & (size >= 1e-9) & (size < 1e11) & (x != np.round(x))
    if not tidy.any():
        return values
    exponents = SIGNIFICANT_DIGITS - 1 - np.floor(np.log10(size[tidy])).astype(int)
    scales = 10.0 ** exponents  # exact: 10**k for k <= 22, and k here is at most 20
    out = x.copy()
    out[tidy] = np.round(x[tidy] * scales) / scales
    return pd.Series(out, index=values.index, name=values.name)


def floor_probability(values: pd.Series) -> pd.Series:
    """Probabilities rounded down to 0.1% (0.001), as the workbook shows them.

    Rounding down keeps what a cell shows on the same side of the status
    thresholds (0.5, 0.8) as the probability itself: P = 0.7996 is *at risk*
    and shows 79.9%, never 80.0%. A probability between 0 and 0.001 is kept as
    it is; its cell shows ``<0.1%``, and a probability of 0 or 1 (no simulated
    path met, or every one) shows ``<0.1%`` / ``>99.9%`` (:func:`number_format`),
    so no certainty is claimed that the model did not give.

    Parameters
    ----------
    values
        Probabilities (NaN for none).

    Returns
    -------
    pandas.Series
        The probabilities rounded down to 0.001, those below 0.001 (but above 0) kept.

    Examples
    --------
    >>> floor_probability(pd.Series([0.7996, 0.29, 0.0004, 1.0, float("nan")])).tolist()
    [0.799, 0.29, 0.0004, 1.0, nan]
    """
    x = values.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        out = np.floor(x * 1000 + 1e-9) / 1000  # the 1e-9: 0.29 * 1000 is 289.99999999999994
        tiny = (x > 0) & (x < 0.001)
    out[tiny] = x[tiny]
    return pd.Series(out, index=values.index, name=values.name)


def _fixed(decimals: int) -> str:
    """A number format with thousands separators and ``decimals`` decimals."""
    return "#,##0" if decimals <= 0 else "#,##0." + "0" * decimals


#: the unit each value shows after its number (``3.64‰``, ``84.15年``): the reports' Chinese
#: unit suffixes; a ratio and a unit-less value show the number alone
UNIT_SUFFIXES: dict[str, str] = {unit: suffix for unit, suffix in UNIT_ZH.items()
                                 if unit not in ("ratio", "none")}
#: columns of values at the indicator's level (not differences), which show its unit
_LEVEL_COLUMNS = frozenset({"target_value", "baseline_value", "latest_value", "value",
                            "threshold", "projected"})


def with_unit(fmt: str, column: str, unit: str | None) -> str:
    """``fmt`` followed by the unit (as literal text) when ``column`` holds values at the
    indicator's level; a difference (a change per year, a shortfall) keeps ``fmt``.

    The unit is quoted text, so the number stays a number and a ``%`` does not scale it:
    ``95.2`` in ``#,##0.0"%"`` shows ``95.2%``.

    >>> with_unit("#,##0.00", "latest_value", "per_1000"), with_unit("#,##0.0", "lo_80", "percent")
    ('#,##0.00"‰"', '#,##0.0"%"')
    >>> with_unit("#,##0.000", "required_annual_change", "percent"), with_unit("0.00", "value", "ratio")
    ('#,##0.000', '0.00')
    """
    suffix = UNIT_SUFFIXES.get(str(unit or ""), "")
    level = column in _LEVEL_COLUMNS or re.fullmatch(r"(lo|hi)_[\d.]+", column) is not None
    return f'{fmt}"{suffix}"' if suffix and level and not fmt.startswith('"') else fmt


def number_format(column: str, value: float, decimals: int, unit: str | None = None) -> str:
    """The Excel number format of a cell: what the number is decides how it shows.

    Parameters
    ----------
    column
        The column's key (``probability``, ``latest_value``, ``p_value``, ...).
    value
        The cell's number.
    decimals
        Decimals the row's indicator was reported with (:func:`reported_decimals`).
    unit
        The row's unit code: a value at the indicator's level shows it (:func:`with_unit`).

    Returns
    -------
    str
        Probabilities and relative swings as percentages (``0.0%``; a
        probability below 0.001 reads ``<0.1%``, one of 1 ``>99.9%``: the share of
        simulated paths that met is no certainty, see
        :func:`~hbkit.report.formatting.format_probability`), years and
        counts without decimals, values with the reported decimals (an observed
        value with its own digits too, when it has more), projections
        with at least one (money, ``yuan``: as reported), annual changes with one more, p-values with four
        decimals or, below 0.0001 (0 included: an underflow), ``<0.0001`` as the
        warning texts give them; other numbers about three significant figures.

    Examples
    --------
    >>> number_format("probability", 0.836, 2), number_format("latest_value", 84.54, 2)
    ('0.0%', '#,##0.00')
    >>> number_format("p_value", 0.02, 2), number_format("p_value", 4e-5, 2)
    ('0.0000', '"<0.0001"')
    >>> number_format("probability", 1.0, 2), number_format("probability", 0.0, 2)
    ('">99.9%"', '"<0.1%"')
    >>> number_format("value", 95.0, 1), number_format("value", 0.9913, 1)
    ('#,##0.0', '#,##0.0000')
    >>> number_format("latest_value", 3.64, 2, "per_1000"), number_format("value", 8.5, 1, "per_100k")
    ('#,##0.00"‰"', '#,##0.0"/10万"')

    Money (``yuan``) is projected in the yuan it was reported in, as the text reports print it:

    >>> number_format("projected", 3803.4, 0, "yuan"), number_format("projected", 3803.4, 0, "none")
    ('#,##0"元"', '#,##0.0')
    """
    money = str(unit or "") in MONEY_UNITS
    return with_unit(_number_format(column, value, decimals, money), column, unit)


def _number_format(column: str, value: float, decimals: int, money: bool = False) -> str:
    """:func:`number_format` without the unit; ``money``: model output as reported, not with
    at least one decimal."""
    if column in _PROBABILITY_COLUMNS and value < 0.001:
        return '"<0.1%"'
    if column in _PROBABILITY_COLUMNS and value >= 1:
        return '">99.9%"'
    if column in _SHARE_COLUMNS:
        return "0.0%"
    if column == "p_value":
        return '"<0.0001"' if abs(value) < 0.0001 else "0.0000"
    if column in _YEAR_COLUMNS or column in _COUNT_COLUMNS:
        return "0"
    if column in ("numerator", "denominator"):
        return "#,##0" if float(value).is_integer() else "#,##0.##"
    if column in _OBSERVED_COLUMNS:  # a stray value shows its own digits (0.9913 among 95.0)
        return _fixed(max(decimals, value_decimals(value)))
    if column in _VALUE_COLUMNS:
        return _fixed(decimals)
    if column in _MODEL_COLUMNS or re.fullmatch(r"(lo|hi)_[\d.]+", column):
        return _fixed(decimals if money else max(decimals, 1))
    if column in _CHANGE_COLUMNS:
        return _fixed(min(decimals + 1, MAX_DECIMALS + 1))
    if column in _STATISTIC_FORMATS:
        return _STATISTIC_FORMATS[column]
    if float(value).is_integer():
        return "0"
    return _fixed(decimals_for(abs(float(value))))


def shown_text(value: Any, fmt: str) -> str:
    """About the text Excel shows for ``value`` in format ``fmt`` (to size the column).

    >>> shown_text(0.836, "0.0%"), shown_text(12345.678, "#,##0.0"), shown_text("文字", "General")
    ('83.6%', '12,345.7', '文字')
    >>> shown_text(3.6449, '#,##0.00"‰"'), shown_text(95.2, '#,##0.0"%"')
    ('3.64‰', '95.2%')
    """
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return "" if value is None else str(value)
    x = float(value)
    if not np.isfinite(x):
        return ""
    if fmt.startswith('"'):  # a format that is a text of its own, like "<0.1%"
        return fmt.strip('"')
    if fmt.endswith('"'):  # a number followed by its unit, like #,##0.00"‰"
        fmt, unit = fmt[:-1].split('"', 1)
        return shown_text(value, fmt) + unit
    decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    if fmt.endswith("%"):
        return f"{x * 100:.{decimals}f}%"
    if "E+" in fmt:
        return f"{x:.{decimals}E}"
    return f"{x:{',' if fmt.startswith('#,') else ''}.{decimals}f}"
