"""Opening a source: a CSV or Excel file, or a pandas DataFrame, as raw rows of cells.

The file type is decided by its first bytes, not its name: a ZIP archive is an
Excel workbook (``.xlsx``/``.xlsm``), an OLE2 compound file is a legacy
``.xls`` (refused with advice to save as ``.xlsx``), anything else must be
text (CSV with comma, tab, semicolon or ``|`` separators, encoding detected
by :mod:`hbkit.observations.encoding`). Every failure is an
:class:`~hbkit.exceptions.HbkitError` that names the file; no pandas,
openpyxl or decoding exception escapes.

Row numbers are those a user sees in Excel: the first line or row is 1.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from hbkit.exceptions import HbkitError
from hbkit.observations.encoding import decode_text

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEPARATORS = (",", "\t", ";", "|")


@dataclass(frozen=True)
class RawTable:
    """Rows of one CSV file, one worksheet or one DataFrame, before interpretation.

    ``label`` is the provenance written into the ``file`` column (the path, and
    ``" [sheet]"`` for a worksheet); ``rows`` pairs each row number (as in
    Excel) with its cells; ``percent_cells`` holds the ``(row, column index)``
    of Excel cells formatted as percentages (they store 0.952 for 95.2%);
    ``row_files``, when given, names the file of each row (aligned with
    ``rows``) for tables assembled from several files.
    """

    label: str
    rows: list[tuple[int, list[object]]]
    percent_cells: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    row_files: tuple[str, ...] | None = None

    def file_of(self, index: int) -> str:
        """The file label of ``rows[index]``."""
        return self.row_files[index] if self.row_files is not None else self.label


def _not_readable(label: str, why: str) -> HbkitError:
    return HbkitError(f"无法读取文件 / cannot read file: {label} ({why})")


def read_bytes(path: Path, label: str) -> bytes:
    """The bytes of ``path``; :class:`HbkitError` naming it when missing, a folder or empty."""
    if not path.exists():
        raise HbkitError(f"文件不存在 / file not found: {label}")
    if path.is_dir():
        raise _not_readable(label, "it is a folder, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _not_readable(label, exc.strerror or type(exc).__name__) from None
    if not data.strip():
        raise HbkitError(f"文件为空 / file is empty: {label}")
    return data


def _choose_separator(text: str) -> str:
    """The separator most used over the first 20 non-blank lines (titles may have none)."""
    lines = [line for line in text.splitlines()[:200] if line.strip()][:20]
    counts = {sep: sum(line.count(sep) for line in lines) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_csv_text(text: str, label: str) -> RawTable:
    """Split CSV text into rows; row numbers count records as Excel shows them.

    Examples
    --------
    >>> read_csv_text("指标,年份\\n孕产妇死亡率,2021\\n", "a.csv").rows
    [(1, ['指标', '年份']), (2, ['孕产妇死亡率', '2021'])]
    """
    separator = _choose_separator(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise _not_readable(label, f"CSV: {exc}") from None
    rows: list[tuple[int, list[object]]] = [
        (number, list[object](cells)) for number, cells in enumerate(records, start=1)]
    return RawTable(label, rows)


def _sheet_table(sheet: object, label: str) -> RawTable:
    rows: list[tuple[int, list[object]]] = []
    percent: set[tuple[int, int]] = set()
    for excel_row in sheet.iter_rows():  # type: ignore[attr-defined]
        cells: list[object] = []
        number = None
        for index, cell in enumerate(excel_row):
            value = getattr(cell, "value", None)
            number = getattr(cell, "row", None) or number
            if isinstance(value, int | float) and "%" in str(getattr(cell, "number_format", "")):
                percent.add((int(number or 0), index))
            cells.append(value)
        if number is not None and any(c is not None and str(c).strip() for c in cells):
            rows.append((int(number), cells))
    return RawTable(label, rows, frozenset(percent))


def read_workbook(data: bytes, label: str, sheet: str | int | None) -> list[RawTable]:
    """Worksheets of an Excel workbook as raw tables (all sheets when ``sheet`` is None)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as exc:
        raise _not_readable(label, f"not a valid Excel workbook: {type(exc).__name__}") from None
    except Exception as exc:  # openpyxl raises its own (e.g. InvalidFileException)
        raise _not_readable(label, f"not a valid Excel workbook: {type(exc).__name__}") from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            chosen = names
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise HbkitError(
                    f"工作表不存在 / no sheet number {sheet} in {label}; sheets: {', '.join(names)}"
                )
            chosen = [names[sheet]]
        elif str(sheet) in names:
            chosen = [str(sheet)]
        else:
            raise HbkitError(
                f"工作表不存在 / no sheet {sheet!r} in {label}; sheets: {', '.join(names)}"
            )
        try:
            return [_sheet_table(book[name], f"{label} [{name}]") for name in chosen]
        except HbkitError:
            raise
        except Exception as exc:  # corrupt sheet XML inside a valid archive
            raise _not_readable(label, f"broken worksheet: {type(exc).__name__}") from None
    finally:
        book.close()


def read_path(path: str | os.PathLike[str], sheet: str | int | None = None) -> list[RawTable]:
    """Raw tables of a CSV or Excel file (one per worksheet read)."""
    label = os.fspath(path)
    data = read_bytes(Path(path).expanduser(), label)
    if data.startswith(_ZIP_MAGIC):
        return read_workbook(data, label, sheet)
    if data.startswith(_OLE_MAGIC):
        raise HbkitError(
            f"不支持旧版 .xls 文件，请另存为 .xlsx / legacy .xls workbooks are not read; "
            f"save as .xlsx: {label}"
        )
    text, _ = decode_text(data, label)
    return [read_csv_text(text, label)]


def read_frame(frame: pd.DataFrame, label: str = "<DataFrame>") -> RawTable:
    """A DataFrame as a raw table: its column names are the header (row 1), row i is row i + 2.

    Examples
    --------
    >>> read_frame(pd.DataFrame({"year": [2021]})).rows
    [(1, ['year']), (2, [2021])]
    """
    header: Sequence[object] = [str(c) for c in frame.columns]
    rows: list[tuple[int, list[object]]] = [(1, list(header))]
    for number, record in enumerate(frame.itertuples(index=False, name=None), start=2):
        cells = [None if _is_na(c) else _plain(c) for c in record]
        rows.append((number, cells))
    return RawTable(label, rows)


def _is_na(cell: Any) -> bool:
    try:
        return bool(pd.isna(cell))
    except (TypeError, ValueError):  # list-like cells
        return False


def _plain(cell: object) -> object:
    if hasattr(cell, "item") and not isinstance(cell, str):  # numpy scalars
        try:
            return cell.item()  # type: ignore[union-attr]
        except (TypeError, ValueError):
            return cell
    return cell
