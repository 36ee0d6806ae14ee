"""The checks: every record against every rule, then duplicates across records.

:class:`RecordChecker` never stops at the first problem; it files every
problem found into fatal problems and the logs of excluded rows, rows kept
with a missing value, and rows used after a documented change (see
:mod:`hbkit.observations.rules`). Plainly clean rows of long tables are
checked column-wise by :mod:`hbkit.observations.fast`, with the same result.

Rounding tolerance (rule ``value-disagrees``): a value ``v`` with numerator
``k`` and denominator ``n`` agrees when
``|v - k / n * scale| <= max(half a unit of the last decimal printed in v,
0.5% of k / n * scale)``. The first term accepts any correct rounding (8.47
for 8.4695); the second accepts a figure computed from the same counts with a
different rounding chain or from a slightly revised denominator, while still
catching a wrong scale (‰ for %), swapped counts or a typo.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from hbkit._typing import GEO_SEPARATOR, UNIT_SCALE
from hbkit.observations.cells import (
    CellError,
    Number,
    clean_text,
    free_text,
    is_blank,
    parse_number,
    parse_year,
)
from hbkit.observations.indicators import IndicatorInfo, IndicatorMatcher
from hbkit.observations.rules import consequence, problem, shown
from hbkit.observations.units import (
    canonical_unit,
    conversion_factor,
    convert,
    is_ten_thousand_yuan,
)

#: relative part of the rounding tolerance of rule ``value-disagrees``
RELATIVE_TOLERANCE = 0.005
#: proportion -> unit multiplier for every unit where value = numerator / denominator * scale
RATE_SCALE: dict[str, float] = {**UNIT_SCALE, "per_1000_population": 1_000.0,
                                "per_10k_population": 10_000.0}
#: units whose figures can be negative (or whose sign is unknown); an indicator whose
#: catalogue target says ``signed`` (:attr:`IndicatorInfo.signed`) may be negative in any unit
SIGNED_UNITS = frozenset({"", "ratio", "none", "percentage_points"})
#: units in which a numerator above its denominator is impossible whatever the catalogue says
EVENT_RATE_UNITS = frozenset({"per_1000", "per_10k", "per_100k"})


@dataclass
class Checked:
    """Clean rows and the problem logs of one or more tables."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    fatal: list[dict[str, object]] = field(default_factory=list)
    excluded: list[dict[str, object]] = field(default_factory=list)
    missing: list[dict[str, object]] = field(default_factory=list)
    changes: list[dict[str, object]] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)
    merged: int = 0
    #: the area (``geo``) of each row merged into an identical one
    merged_geos: list[object] = field(default_factory=list)
    _seen: set[tuple[object, ...]] = field(default_factory=set, repr=False)

    def add(self, entry: dict[str, object], position: object = None) -> None:
        """File a problem/log entry under its rule's consequence, once.

        A wide (yearbook) row is checked once per year column, so a problem of
        the row itself (an unknown indicator, an empty geo or unit cell) would
        otherwise be listed once per year: the same cell, value and rule of the
        same table row (``position``) are filed only the first time.
        """
        key = (position, *(entry.get(name) for name in ("file", "row", "column", "value",
                                                         "code", "rule")))
        if key in self._seen:
            return
        self._seen.add(key)
        kind = consequence(str(entry["code"]))
        {"fatal": self.fatal, "excluded": self.excluded, "missing": self.missing,
         "changed": self.changes, "warning": self.warnings}[kind].append(entry)


def within_rounding(value: float, decimals: int | None, expected: float) -> bool:
    """Does ``value`` (printed with ``decimals`` decimals) agree with ``expected``?

    Examples
    --------
    >>> within_rounding(8.47, 2, 8.4695), within_rounding(8.5, 1, 8.4695)
    (True, True)
    >>> within_rounding(9.0, 1, 8.4695), within_rounding(50.2, 1, 50.0)
    (False, True)
    """
    half_unit = 0.5 * 10.0 ** (-decimals) if decimals is not None else 0.0
    tolerance = max(half_unit, RELATIVE_TOLERANCE * abs(expected)) * (1 + 1e-9) + 1e-12
    return abs(value - expected) <= tolerance


def fraction_hint(value: float, decimals: int | None, expected: float, unit: str) -> str:
    """The words added to a percent that disagrees with its counts when it is their share
    typed as a fraction (0.9913 for 341/344 = 99.13%); empty otherwise.

    >>> fraction_hint(0.9913, 4, 341 / 344 * 100, "percent")
    '；像是把百分数 99.13 填成了小数 0.9913 / looks like the percent 99.13 typed as the fraction 0.9913'
    >>> fraction_hint(97.0, 1, 341 / 344 * 100, "percent"), fraction_hint(0.99, 2, 99.1, "per_1000")
    ('', '')
    """
    if unit != "percent" or not 0 < value <= 1:
        return ""
    shifted = None if decimals is None else max(0, decimals - 2)
    if not within_rounding(value * 100, shifted, expected):
        return ""
    percent = f"{value * 100:.{shifted or 0}f}"
    return (f"；像是把百分数 {percent} 填成了小数 {value:g} / looks like the percent {percent} "
            f"typed as the fraction {value:g}")


class RecordChecker:
    """Checks one record at a time against a catalogue (possibly empty)."""

    def __init__(self, matcher: IndicatorMatcher, default_geo: str, source: str | None,
                 unknown: str):
        self.matcher = matcher
        self.default_geo = default_geo
        self.source = source
        self.unknown = unknown

    def check(self, rec: dict[str, Any], out: Checked) -> dict[str, Any] | None:
        """Return the clean row, or ``None`` when the record is refused or excluded."""
        file, row = str(rec["file"]), int(rec["row"])
        found: list[dict[str, object]] = []

        def report(column: str, value: object, code: str, detail: str = "") -> None:
            found.append(problem(file, row, column, value, code, detail))

        indicator, info = self._indicator(rec, report)
        if found and found[-1]["code"] == "unknown-indicator-excluded":
            out.add(found[-1], rec.get("position"))  # excluded unchecked: the user's choice
            return None
        geo = GEO_SEPARATOR.join(part.strip() for part in
                                 clean_text(rec.get("geo")).split(GEO_SEPARATOR))
        if not geo:
            geo = self.default_geo
            if rec.get("geo_column"):  # the file has a geo column, but this cell is empty
                report(str(rec["geo_column"]), "", "geo-default", self.default_geo)
        year = self._year(rec, report)
        numbers = {name: self._number(rec, name, report)
                   for name in ("value", "numerator", "denominator")}
        unit = self._unit(rec, numbers, report)
        clean = None
        if not any(consequence(str(p["code"])) in ("fatal", "excluded") for p in found):
            clean = self._figures(rec, indicator, info, geo, year, numbers, unit, report)
        for entry in found:
            out.add(entry, rec.get("position"))
        if clean is None or any(consequence(str(p["code"])) in ("fatal", "excluded")
                                for p in found):
            return None
        return clean

    def _indicator(self, rec: dict[str, Any], report: Any) -> tuple[str, IndicatorInfo | None]:
        text = clean_text(rec.get("indicator"))
        column = str(rec.get("indicator_column") or "indicator")
        if not text:
            report(column, "", "indicator-missing")
            return "", None
        resolved, code = self.matcher.resolve(text)
        if resolved is None:
            if code == "unknown-indicator" and self.unknown == "exclude":
                code = "unknown-indicator-excluded"
            report(column, rec.get("indicator"), str(code), self.matcher.suggest(text))
            return text, None
        if code == "indicator-name":
            report(column, rec.get("indicator"), code, resolved)
        return resolved, self.matcher.info.get(resolved)

    @staticmethod
    def _year(rec: dict[str, Any], report: Any) -> int | None:
        column = str(rec.get("year_column") or "year")
        if is_blank(rec.get("year")):
            report(column, rec.get("year"), "year-missing")
            return None
        try:
            return parse_year(rec.get("year"))
        except CellError as exc:
            report(column, rec.get("year"), "year-invalid", str(exc))
            return None

    @staticmethod
    def _number(rec: dict[str, Any], name: str, report: Any) -> Number | None:
        column = str(rec.get(f"{name}_column") or name)
        cell = rec.get(name)
        try:
            number = parse_number(cell, percent_format=bool(rec.get("value_percent"))
                                  and name == "value")
        except CellError as exc:
            code = exc.code or ("unit-unknown" if "unit" in str(exc) else "not-a-number")
            report(column, cell, code, "" if code == "not-a-number" else str(exc))
            return None
        if math.isinf(number.value):
            report(column, cell, "infinite")
            return None
        return number

    def _unit(self, rec: dict[str, Any], numbers: dict[str, Number | None],
              report: Any) -> str | None:
        written = canonical_unit(rec.get("unit"))
        if written is None:
            wan = is_ten_thousand_yuan(rec.get("unit"))  # 万元: refused, not unknown
            code = "unit-ten-thousand-yuan" if wan else "unit-unknown"
            report(str(rec.get("unit_column") or "unit"), rec.get("unit"), code)
            return None
        value = numbers.get("value")
        carried = value.unit if value is not None else ""
        if carried and written and carried != written:
            report(str(rec.get("value_column") or "value"), rec.get("value"),
                   "unit-conflict", f"unit column says {written}")
            return None
        return written or carried

    def _figures(self, rec: dict[str, Any], indicator: str, info: IndicatorInfo | None,
                 geo: str, year: int | None, numbers: dict[str, Number | None],
                 unit: str | None, report: Any) -> dict[str, Any] | None:
        value_n, num_n, den_n = numbers["value"], numbers["numerator"], numbers["denominator"]
        if year is None or unit is None or None in (value_n, num_n, den_n):
            return None
        assert value_n is not None and num_n is not None and den_n is not None
        value, num, den = value_n.value, num_n.value, den_n.value
        columns = {name: str(rec.get(f"{name}_column") or name)
                   for name in ("value", "numerator", "denominator")}
        bad = False
        if math.isnan(num) != math.isnan(den):
            given = "numerator" if math.isnan(den) else "denominator"
            report(columns[given], rec.get(given), "numerator-denominator-pair")
            bad = True
        for name, figure in (("numerator", num), ("denominator", den)):
            if figure < 0:
                report(columns[name], rec.get(name), "negative")
                bad = True
        if den == 0:
            report(columns["denominator"], rec.get("denominator"), "zero-denominator")
            bad = True
        counts = not (math.isnan(num) or math.isnan(den)) and not bad
        proportion = unit in EVENT_RATE_UNITS or (info is not None and info.bounded)
        if counts and proportion and num > den:
            report(columns["numerator"], rec.get("numerator"), "numerator-above-denominator",
                   f"{num:g} > {den:g}")
            bad = True
        scale = RATE_SCALE.get(unit)
        if counts and not bad and scale is not None:
            expected = num / den * scale
            if math.isnan(value):
                value = expected
                report(columns["value"], "", "value-derived", f"{num:g}/{den:g}*{scale:g}")
            elif not within_rounding(value, value_n.decimals, expected):
                report(columns["value"], rec.get("value"), "value-disagrees",
                       f"{num:g}/{den:g}*{scale:g} = {expected:.6g}"
                       + fraction_hint(value, value_n.decimals, expected, unit))
                bad = True
        if info is not None and unit != info.unit:
            factor = conversion_factor(unit, info.unit) if unit else (1, 1)
            if factor is None:
                report(str(rec.get("unit_column") or "unit"), shown(rec.get("unit")) or unit,
                       "unit-not-convertible", f"{unit} -> catalogue unit {info.unit}")
                return None
            converted = convert(value, factor)
            if unit:
                used = "" if math.isnan(value) else f": {value:g} -> {converted:g}"
                report(columns["value"], rec.get("value"), "unit-converted",
                       f"{unit} -> {info.unit}{used}")
            elif rec.get("unit_column"):
                report(str(rec["unit_column"]), "", "unit-from-catalogue", info.unit)
            value, unit = converted, info.unit
        signed = unit in SIGNED_UNITS or (info is not None and info.signed)
        if not math.isnan(value) and value < 0 and not signed:
            report(columns["value"], rec.get("value"), "negative")
            bad = True
        if info is not None and info.bounded and value > 100:
            report(columns["value"], rec.get("value"), "above-100",
                   f"{indicator} is bounded ({value:g} > 100)")
            bad = True
        if bad:
            return None
        if math.isnan(value):
            report(columns["value"], rec.get("value"), "value-missing")
        source = free_text(rec.get("source")) or (self.source or "")
        return {"indicator": indicator, "geo": geo, "year": year, "value": value,
                "numerator": num, "denominator": den, "unit": unit, "source": source,
                "file": str(rec["file"]), "row": int(rec["row"])}


def check_duplicates(frame: pd.DataFrame, out: Checked,
                     value_cell: Callable[[int, int, int], tuple[str, object]] | None = None
                     ) -> pd.DataFrame:
    """Merge identical duplicates (logged as excluded), report conflicting ones as fatal.

    ``frame`` holds the clean rows in the order of the source; the rows kept
    are returned (the first of identical duplicates is kept). ``value_cell(table,
    position, year)`` gives the header and the cell as received of a row's value,
    so that the problem names the column of the file and its content (without
    it: ``value`` and the value after unit conversion).
    """
    keys = ["indicator", "geo", "year"]
    if frame.empty:
        return frame
    repeated = frame.duplicated(keys, keep=False).to_numpy()
    if not repeated.any():
        return frame
    sub = frame[repeated]
    rows = cast(list[dict[str, Any]], sub.to_dict("records"))
    keep = np.ones(len(rows), dtype=bool)
    groups = sub.reset_index(drop=True).groupby(keys, sort=False).indices
    for key, positions in groups.items():
        indicator, geo, year = cast(tuple[str, str, int], key)
        first = rows[positions[0]]
        same = all(_same_figures(first, rows[p]) for p in positions[1:])
        where = ", ".join(f"{rows[p]['file']} row {rows[p]['row']}: {rows[p]['value']:g}"
                          for p in positions)
        for p in positions[1:] if same else positions:
            code = "duplicate-merged" if same else "duplicate-conflict"
            detail = (f"same as {first['file']} row {first['row']}" if same
                      else f"{indicator} / {geo} / {year}: {where}")
            column, received = "value", f"{rows[p]['value']:g}"
            if value_cell is not None and "table" in rows[p]:
                column, cell = value_cell(int(rows[p]["table"]), int(rows[p]["position"]),
                                          int(year))
                received = received if cell is None else shown(cell)
            out.add(problem(rows[p]["file"], rows[p]["row"], column, received, code, detail))
            keep[p] = False
        if same:
            out.merged += len(positions) - 1
            out.merged_geos.extend([geo] * (len(positions) - 1))
    return frame.drop(index=sub.index[~keep])


def _same_figures(a: dict[str, Any], b: dict[str, Any]) -> bool:
    for name in ("value", "numerator", "denominator"):
        x, y = float(a[name]), float(b[name])
        if not (math.isnan(x) and math.isnan(y)) and not math.isclose(x, y, rel_tol=1e-12,
                                                                       abs_tol=0.0):
            return False
    return a["unit"] == b["unit"]
