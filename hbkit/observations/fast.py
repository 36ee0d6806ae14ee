"""The vectorised fast path: clean rows of a long table checked column by column.

Checking a row in Python costs tens of microseconds; a city's file has
millions. This module applies every rule of :class:`~hbkit.observations.checks.RecordChecker`
to whole columns with numpy, for the rows where the outcome is plainly "used
as is": a known indicator id, a year, a geo, a known unit, plain numbers (or an
empty value cell is not among them), counts that agree with the value, no
bound crossed, no unit to convert. Such a row gives a clean row and no log
entry. Every other row (anything to report, change, log or exclude) is left
to the per-row checker, which therefore produces every problem and log entry
itself, in the same order as it always did. The result is identical to
checking every row in Python (a test compares the two on a large frame with
seeded bad rows), only faster.

Cell-level functions (:func:`~hbkit.observations.cells.parse_year`,
:func:`~hbkit.observations.units.canonical_unit`, indicator matching) run once
per distinct cell text, not once per row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from hbkit._typing import GEO_SEPARATOR
from hbkit.observations.cells import CellError, clean_text, free_text, parse_number, parse_year
from hbkit.observations.checks import (
    EVENT_RATE_UNITS,
    RATE_SCALE,
    RELATIVE_TOLERANCE,
    SIGNED_UNITS,
    RecordChecker,
    within_rounding,
)
from hbkit.observations.files import RawTable
from hbkit.observations.layout import Header
from hbkit.observations.units import canonical_unit

#: the columns of the clean rows handed on (the frame's columns plus the row's position)
CLEAN_COLUMNS: tuple[str, ...] = ("indicator", "geo", "year", "value", "numerator",
                                  "denominator", "unit", "source", "file", "row", "position")


#: column contents (pandas.api.types.infer_dtype) whose equal cells read the same
_PLAIN_KINDS = frozenset({"string", "empty", "integer", "floating", "mixed-integer-float"})


class _Distinct:
    """The distinct cells of a column and each row's code, so that a function of a
    cell runs once per distinct cell. Missing cells (``None``/NaN) are read as
    ``None``, as they read the same as an empty cell everywhere in the checks."""

    def __init__(self, cells: np.ndarray):
        if pd.api.types.infer_dtype(cells, skipna=True) not in _PLAIN_KINDS \
                and not {type(c) for c in cells} <= {str, int, float, type(None)}:
            # True == 1 and Decimal("2021.0") == 2021 would share a code, yet read
            # differently: such columns are checked one by one
            raise TypeError("cells other than text and numbers")
        self.codes, distinct = pd.factorize(cells, use_na_sentinel=True)
        self.cells = [*distinct.tolist(), None]  # code -1 (missing) is the last

    def table(self, func: Callable[[object], Any], dtype: Any = object) -> np.ndarray:
        """``func`` of each distinct cell (missing last), indexed by code."""
        out = np.empty(len(self.cells), dtype=dtype)
        out[:] = [func(cell) for cell in self.cells]
        return out

    def rows(self, func: Callable[[object], Any], dtype: Any = object) -> np.ndarray:
        """``func`` of each row's cell."""
        return self.table(func, dtype)[self.codes]


def _plain_numbers(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(values, ok)``: the numeric cells that :func:`parse_number` reads plainly.

    ``ok`` marks empty cells (value NaN) and finite numbers written plainly
    (Python numbers, or text that ``float`` reads, without ``_``): for these
    ``parse_number`` gives the same value and no unit. Anything else (units,
    markers, thousands separators, infinities, other types) is not ok.
    """
    n = len(cells)
    values = np.full(n, np.nan)
    if n and pd.api.types.infer_dtype(cells, skipna=False) == "string":  # text (CSV)
        ok = np.zeros(n, dtype=bool)
        numeric = ok
        text = ~ok
    else:
        kinds = np.frompyfunc(type, 1, 1)(cells) if n else np.empty(0, dtype=object)
        ok = kinds == type(None)  # noqa: E721 (elementwise over an array)
        numeric = (kinds == float) | (kinds == int)  # noqa: E721
        text = kinds == str  # noqa: E721
    if numeric.any():
        try:
            found = cells[numeric].astype(float)
        except (OverflowError, ValueError, TypeError):
            found = np.full(int(numeric.sum()), np.inf)
        nan = np.isnan(found)
        values[numeric] = found
        ok[numeric] = np.isfinite(found) | nan
    if text.any():
        strings = cells[text]
        empty = strings == ""
        parsed = np.full(len(strings), np.nan)
        filled = strings[~empty]
        try:
            parsed[~empty] = filled.astype(float)
        except (OverflowError, ValueError, TypeError):
            parsed[~empty] = np.array([_float_or_inf(s) for s in filled], dtype=float)
        good = empty | np.isfinite(parsed)
        if "_" in "".join(filled):  # float() reads "1_000"; parse_number does not
            good &= ~np.array(["_" in s for s in strings], dtype=bool)
        values[text] = parsed
        ok[text] = good
    return values, ok.astype(bool)


def _float_or_inf(text: str) -> float:
    try:
        return float(text)
    except (ValueError, OverflowError):
        return np.inf  # not ok: left to the per-row checks


def _year_or_none(cell: object) -> int | None:
    try:
        return parse_year(cell)
    except CellError:
        return None


def _geo_text(cell: object) -> str:
    return GEO_SEPARATOR.join(part.strip() for part in clean_text(cell).split(GEO_SEPARATOR))


def fast_rows(table: RawTable, header: Header,
              checker: RecordChecker) -> tuple[np.ndarray, pd.DataFrame]:
    """Check the plainly clean rows of a long table at once.

    Returns ``(taken, clean)``: ``taken`` marks (by position in the table) the
    rows handled here, which give the clean rows of ``clean`` (columns
    :data:`CLEAN_COLUMNS`) and no log entry; every other row is left to the
    per-row checks.
    """
    n = len(table)
    taken = np.zeros(n, dtype=bool)
    named = header.named
    start = header.first_data
    if n <= start or header.wide or header.problems:
        return taken, pd.DataFrame(columns=list(CLEAN_COLUMNS))

    def column(name: str) -> np.ndarray:
        index = named.get(name)
        if index is None or index >= len(table.columns):
            return np.full(n - start, None, dtype=object)
        return table.columns[index][start:]

    try:
        indicators = _Distinct(column("indicator"))
        units = _Distinct(column("unit"))
        year = _Distinct(column("year")).rows(_year_or_none)
        geo = _Distinct(column("geo")).rows(_geo_text)
        source = _Distinct(column("source")).rows(free_text)
    except TypeError:  # unhashable cells: every row goes through the per-row checks
        return taken, pd.DataFrame(columns=list(CLEAN_COLUMNS))
    ids = indicators.table(lambda c: _known_id(checker, c))
    indicator = ids[indicators.codes]
    unit = units.table(canonical_unit)[units.codes]
    ok = (indicator != None) & (year != None) & (unit != None)  # noqa: E711
    if "geo" in named:  # an empty geo cell is logged (geo-default)
        ok &= geo != ""
    geo = np.where(geo == "", checker.default_geo, geo)
    value, good = _plain_numbers(column("value"))
    ok &= good
    num, good = _plain_numbers(column("numerator"))
    ok &= good
    den, good = _plain_numbers(column("denominator"))
    ok &= good
    if table.percent_cells:
        value_index = named.get("value", -1)
        percent = {row for row, col in table.percent_cells if col == value_index}
        ok &= ~np.isin(table.numbers[start:], list(percent))
    ok, final_unit = _figures_clean(checker, ids, indicators.codes, units, value, num, den,
                                    column("value"), "unit" in named, ok)
    taken[start:] = ok
    positions = np.flatnonzero(ok) + start
    files = (table.row_files[positions] if table.row_files is not None
             else np.full(len(positions), table.label, dtype=object))
    default_source = checker.source or ""
    sources = source[ok]
    clean_rows = pd.DataFrame({
        "indicator": indicator[ok], "geo": geo[ok], "year": year[ok].astype(np.int64),
        "value": value[ok], "numerator": num[ok], "denominator": den[ok],
        "unit": final_unit[ok], "source": np.where(sources == "", default_source, sources),
        "file": files, "row": table.numbers[positions].astype(np.int64),
        "position": positions})
    return taken, clean_rows


def _known_id(checker: RecordChecker, cell: object) -> str | None:
    """The indicator id when the cell names it directly (nothing to report), else ``None``."""
    text = clean_text(cell)
    if not text:
        return None
    resolved, code = checker.matcher.resolve(text)
    return resolved if code is None else None


def _figures_clean(checker: RecordChecker, ids: np.ndarray, codes: np.ndarray,
                   units: _Distinct, value: np.ndarray, num: np.ndarray, den: np.ndarray,
                   value_cells: np.ndarray, unit_column: bool,
                   ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows (among ``ok``) where :meth:`RecordChecker._figures` would report nothing,
    and every row's unit.

    ``ids`` are the indicator ids of the distinct indicator cells (``None``
    where not plainly known), ``codes`` each row's; ``units`` the unit cells.
    """
    info = checker.matcher.info
    has_info = np.array([i in info for i in ids], dtype=bool)[codes]
    bounded = np.array([i in info and info[i].bounded for i in ids], dtype=bool)[codes]
    catalogue_units = [info[i].unit if i in info else "" for i in ids]
    catalogue_unit = np.array(catalogue_units, dtype=object)[codes]
    catalogue_signed = np.array([u in SIGNED_UNITS for u in catalogue_units], dtype=bool)[codes]
    # a target's ``signed`` holds for the catalogue's unit (any other unit is not clean here)
    indicator_signed = np.array([i in info and info[i].signed for i in ids], dtype=bool)[codes]
    names = units.table(canonical_unit)
    unit = names[units.codes]
    scale = np.array([RATE_SCALE.get(u, np.nan) for u in names], dtype=float)[units.codes]
    event_rate = np.array([u in EVENT_RATE_UNITS for u in names], dtype=bool)[units.codes]
    signed = np.array([u in SIGNED_UNITS for u in names], dtype=bool)[units.codes]
    clean = ok.copy()
    num_nan, den_nan = np.isnan(num), np.isnan(den)
    with np.errstate(invalid="ignore", divide="ignore"):
        clean &= num_nan == den_nan
        clean &= ~((num < 0) | (den < 0) | (den == 0))
        counts = ~num_nan & ~den_nan
        clean &= ~(counts & (event_rate | bounded) & (num > den))
        rated = clean & counts & ~np.isnan(scale)
        clean &= ~(rated & np.isnan(value))  # value derived from the counts: logged
        expected = num / den * scale
        relative = RELATIVE_TOLERANCE * np.abs(expected) * (1 + 1e-9) + 1e-12
        doubtful = np.flatnonzero(rated & ~np.isnan(value)
                                  & ~(np.abs(value - expected) <= relative))
    for i in doubtful.tolist():  # beyond 0.5%: decided by the decimals printed, as per row
        decimals = parse_number(value_cells[i]).decimals
        if not within_rounding(float(value[i]), decimals, float(expected[i])):
            clean[i] = False
    # a unit differing from the catalogue's is converted or refused, an empty one
    # taken from the catalogue (logged when the file has a unit column)
    empty = unit == ""
    clean &= ~(has_info & (unit != catalogue_unit) & (~empty | unit_column))
    from_catalogue = has_info & empty
    final_unit = np.where(from_catalogue, catalogue_unit, unit)
    signed = np.where(from_catalogue, catalogue_signed, signed) | indicator_signed
    with np.errstate(invalid="ignore"):
        clean &= ~((value < 0) & ~signed)
        clean &= ~(bounded & (value > 100))
    clean &= ~np.isnan(value)  # kept as missing: logged
    return clean, final_unit
