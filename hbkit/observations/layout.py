"""From raw rows to long records: finding the header, naming columns, unfolding wide tables.

Two layouts are read:

* **long**: one row per indicator, area and year, with a year column;
* **wide** (as yearbooks print): one row per indicator (and area), one column
  per year. A year header is ``2021``, ``2021年`` or ``2021年 数值``; columns
  ``2021年分子`` / ``2021 numerator`` and ``2021年分母`` / ``2021 denominator``
  hold the counts behind a rate.

The header is the first row, among the first 20, that names at least two
known columns (or one and a year); rows above it are titles and are listed as
excluded. A second header row naming only 数值/分子/分母 under (merged) year
cells is joined to it (:func:`merge_subheader`). Rows whose only text is a note (``注：``, ``资料来源：``, ``Note:``)
are excluded as notes. In the wide layout a blank cell is "not reported" and
gives no record (a row blank in every year is excluded); a missing-value
marker such as ``…`` gives a record with a missing value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from hbkit.observations.cells import clean_text, is_blank
from hbkit.observations.columns import canonical_column
from hbkit.observations.files import RawTable
from hbkit.observations.rules import problem

#: how far down a sheet the header is looked for
HEADER_SEARCH_ROWS = 20
_YEAR_HEADER = re.compile(r"^(\d{4})(?:\.0+)?\s*年?\s*(?:度)?\s*[-_:：]?\s*(.*)$")
_NOTE = re.compile(r"^(注|说明|备注|资料来源|数据来源|来源|note|notes|source)\s*[0-9:：.、]", re.I)

#: keys of a record handed to the checks: the data cells (raw), ``file`` and ``row``,
#: ``<name>_column`` (the header as written, for messages) and ``value_percent``
RECORD_KEYS: tuple[str, ...] = (
    "indicator", "geo", "year", "value", "numerator", "denominator", "unit", "source",
    "file", "row", "year_column", "value_column", "numerator_column", "denominator_column",
    "value_percent", "indicator_column", "geo_column", "unit_column", "position",
)


@dataclass
class Layout:
    """What one raw table holds once interpreted."""

    records: list[dict[str, object]] = field(default_factory=list)
    excluded: list[dict[str, object]] = field(default_factory=list)
    problems: list[dict[str, object]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    wide: bool = False


def year_header(header: object) -> tuple[int, str] | None:
    """``(year, column)`` for a wide year header, ``column`` one of value/numerator/denominator.

    Examples
    --------
    >>> year_header("2021年"), year_header(2022), year_header("2021年分子")
    ((2021, 'value'), (2022, 'value'), (2021, 'numerator'))
    >>> year_header("2021 denominator"), year_header("年份") is None
    ((2021, 'denominator'), True)
    """
    match = _YEAR_HEADER.match(clean_text(header))
    if not match:
        return None
    year, rest = int(match.group(1)), match.group(2).strip()
    if not 1949 <= year <= 2100:
        return None
    kind = canonical_column(rest) if rest else "value"
    return (year, kind) if kind in ("value", "numerator", "denominator") else None


def merge_subheader(header: list[object], below: list[object]) -> list[object] | None:
    """Join a two-row yearbook header: ``2021年`` (merged over three cells) above
    ``数值 | 分子 | 分母``. Returns the joined header, or ``None`` when ``below``
    is not such a second header row (it must name only value/numerator/denominator).

    Examples
    --------
    >>> merge_subheader(["指标", "2021年", None, "2022年"], [None, "数值", "分子", "数值"])
    ['指标', '2021年 数值', '2021年 分子', '2022年 数值']
    >>> merge_subheader(["指标", "2021年"], ["婴儿死亡率", 3.1]) is None
    True
    """
    kinds = [canonical_column(cell) for cell in below if not is_blank(cell)]
    if not kinds or any(kind not in ("value", "numerator", "denominator") for kind in kinds):
        return None
    if not any(year_header(cell) for cell in header):
        return None
    joined: list[object] = []
    carried: object = None
    for index in range(max(len(header), len(below))):
        top, bottom = _cell(header, index), _cell(below, index)
        if not is_blank(top):
            carried = top if year_header(top) else None
        elif carried is not None and not is_blank(bottom):
            top = carried  # a merged year cell spans this column
        if is_blank(bottom) or year_header(top) is None:
            joined.append(top)
        else:
            joined.append(f"{clean_text(top)} {clean_text(bottom)}")
    return joined


def _header_score(cells: list[object]) -> int:
    years = sum(year_header(c) is not None for c in cells)
    named = {canonical_column(c) for c in cells if year_header(c) is None} - {None}
    return len(named) + (1 if years else 0)


def _find_header(table: RawTable) -> int:
    for index in range(min(len(table), HEADER_SEARCH_ROWS)):
        if _header_score(table.cells(index)) >= 2:
            return index
    return 0


def _is_note(cells: list[object]) -> bool:
    filled = [c for c in cells if c is not None and c != ""]
    if len(filled) != 1 and sum(not is_blank(c) for c in filled) != 1:
        return False
    text = next(clean_text(c) for c in filled if not is_blank(c))
    return bool(_NOTE.match(text))


def _cell(cells: list[object], index: int | None) -> object:
    if index is None or index >= len(cells):
        return None
    return cells[index]


#: columns whose cells are data: a second column meaning the same one is an error (not the
#: unit: a report's data sheet has its label, 单位, beside its code, 单位代码, on purpose)
_DATA_COLUMNS = frozenset({"indicator", "geo", "year", "value", "numerator", "denominator"})


def _map_columns(header: list[object]) -> tuple[dict[str, int], dict[tuple[int, str], int],
                                                list[str], list[tuple[int, int]]]:
    """Recognised columns, year columns, ignored headers and (index, first index) of a
    second column meaning the same data column or year as an earlier one."""
    named: dict[str, int] = {}
    years: dict[tuple[int, str], int] = {}
    ignored: list[str] = []
    duplicates: list[tuple[int, int]] = []
    for index, cell in enumerate(header):
        found = year_header(cell)
        name = canonical_column(cell) if found is None else None
        if name is not None and name not in named:
            named[name] = index
        elif found is not None and found not in years:
            years[found] = index
        elif found is not None:
            duplicates.append((index, years[found]))
        elif name in _DATA_COLUMNS:
            duplicates.append((index, named[name]))
        elif not is_blank(cell):
            ignored.append(clean_text(cell))
    if "indicator" not in named and "indicator_name" in named:
        named["indicator"] = named.pop("indicator_name")
    else:
        named.pop("indicator_name", None)
    if "indicator" not in named and header and is_blank(header[0]) and years:
        named["indicator"] = 0  # yearbooks leave the stub column's header empty
    return named, years, ignored, duplicates


def _duplicate_columns(table: RawTable, row: int, header: list[object],
                       duplicates: list[tuple[int, int]]) -> list[dict[str, object]]:
    """A problem for each column that means the same as an earlier one (first one named)."""
    out = []
    for index, first in duplicates:
        text, other = clean_text(header[index]), clean_text(header[first])
        out.append(problem(table.label, row, text, text, "column-duplicate",
                           f"第{index + 1}列“{text}”与第{first + 1}列“{other}”相同，请删除或改名其一 / "
                           f"column {index + 1} '{text}' means the same as column {first + 1} "
                           f"'{other}': delete or rename one"))
    return out


def _missing_columns(table: RawTable, row: int, header: list[object], named: dict[str, int],
                     years: dict[tuple[int, str], int]) -> list[dict[str, object]]:
    found = ", ".join(clean_text(c) for c in header if not is_blank(c)) or "(empty)"
    missing = []
    if "indicator" not in named:
        missing.append("indicator 指标")
    wide = "year" not in named and bool(years)
    if "year" not in named and not years:
        missing.append("year 年份 (or one column per year, e.g. 2021年)")
    kinds = {kind for _, kind in years} if wide else set(named)
    if not wide or years:
        if "value" not in kinds and not {"numerator", "denominator"} <= kinds:
            missing.append("value 数值 (or numerator 分子 and denominator 分母)")
    return [problem(table.label, row, column, found, "column-missing") for column in missing]


@dataclass(frozen=True)
class Header:
    """Where a table's header is and what its columns mean.

    ``start`` is the position of the header row in the table, ``first_data``
    that of the first data row; ``named`` maps canonical columns to column
    positions, ``years`` maps ``(year, kind)`` to positions (wide layout);
    ``text`` is each header cell as written (for messages).
    """

    start: int
    first_data: int
    cells: list[object]
    named: dict[str, int]
    years: dict[tuple[int, str], int]
    ignored: list[str]
    text: dict[int, str]
    problems: list[dict[str, object]]

    @property
    def wide(self) -> bool:
        """One column per year rather than a year column."""
        return "year" not in self.named and bool(self.years)


def find_header(table: RawTable) -> Header:
    """Find and read the header of a non-empty table (see the module docstring)."""
    start = _find_header(table)
    header = table.cells(start)
    first_data = start + 1
    if first_data < len(table):
        merged = merge_subheader(header, table.cells(first_data))
        if merged is not None:
            header, first_data = merged, first_data + 1
    named, years, ignored, duplicates = _map_columns(header)
    problems = _missing_columns(table, int(table.numbers[start]), header, named, years)
    problems += _duplicate_columns(table, int(table.numbers[start]), header, duplicates)
    text = {index: clean_text(cell) for index, cell in enumerate(header)}
    return Header(start, first_data, header, named, years, ignored, text, problems)


def interpret(table: RawTable, header: Header | None = None,
              skip: np.ndarray | None = None) -> Layout:
    """Interpret a raw table as long records (see the module docstring).

    ``skip`` marks rows (by position) already taken care of by the vectorised
    checks (:mod:`hbkit.observations.fast`); they give no record here.
    """
    if not len(table):
        return Layout(problems=[problem(table.label, 1, "indicator 指标", "(empty)",
                                        "column-missing")])
    if header is None:
        header = find_header(table)
    named, years, header_text = header.named, header.years, header.text
    layout = Layout(ignored_columns=list(header.ignored), wide=header.wide)
    for index in range(header.start):
        layout.excluded.append(problem(table.file_of(index), int(table.numbers[index]), "",
                                       _row_text(table.cells(index)), "title-row"))
    layout.problems = list(header.problems)
    if layout.problems:
        return layout
    records = layout.records
    positions = np.arange(header.first_data, len(table))
    if skip is not None:
        positions = positions[~skip[header.first_data:]]
    for index in positions.tolist():
        number, cells = int(table.numbers[index]), table.cells(index)
        file = table.file_of(index)
        if all(is_blank(c) for c in cells):
            continue
        if _is_note(cells):
            layout.excluded.append(problem(file, number, "", _row_text(cells), "note-row"))
            continue
        base = {name: _cell(cells, named.get(name)) for name in
                ("indicator", "geo", "unit", "source")}
        base.update(file=file, row=number, position=index)
        base.update({f"{name}_column": header_text[named[name]] for name in
                     ("indicator", "geo", "unit") if name in named})
        if not layout.wide:
            records.append(_long_record(table, base, cells, number, named, header_text))
            continue
        unfolded = _wide_records(table, base, cells, number, years, header_text)
        if not unfolded:
            layout.excluded.append(problem(file, number, "", _row_text(cells),
                                           "wide-row-blank"))
        records.extend(unfolded)
    return layout


def _long_record(table: RawTable, base: dict[str, object], cells: list[object], number: int,
                 named: dict[str, int], header_text: dict[int, str]) -> dict[str, object]:
    record = dict(base)
    for name in ("year", "value", "numerator", "denominator"):
        index = named.get(name)
        record[name] = _cell(cells, index)
        if name != "year" or index is not None:
            record[f"{name}_column"] = header_text.get(index, name) if index is not None else name
    record["value_percent"] = (number, named.get("value", -1)) in table.percent_cells
    return record


def _wide_records(table: RawTable, base: dict[str, object], cells: list[object], number: int,
                  years: dict[tuple[int, str], int], header_text: dict[int, str]
                  ) -> list[dict[str, object]]:
    out = []
    for year in sorted({y for y, _ in years}):
        found = {kind: years.get((year, kind)) for kind in ("value", "numerator", "denominator")}
        if all(is_blank(_cell(cells, index)) for index in found.values()):
            continue
        record = dict(base, year=year, year_column=header_text[next(
            i for i in found.values() if i is not None)])
        for kind, index in found.items():
            record[kind] = _cell(cells, index)
            record[f"{kind}_column"] = header_text[index] if index is not None else kind
        record["value_percent"] = (number, found["value"] if found["value"] is not None else -1
                                   ) in table.percent_cells
        out.append(record)
    return out


def _row_text(cells: list[object]) -> str:
    return " | ".join(clean_text(c) for c in cells if not is_blank(c))[:200]
