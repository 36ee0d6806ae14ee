"""Opening a source: a CSV or Excel file, or a pandas DataFrame, as raw rows of cells.

The file type is decided by its first bytes, not its name: a ZIP archive is an
Excel workbook (``.xlsx``/``.xlsm``), an OLE2 compound file is a legacy
``.xls`` (refused with advice to save as ``.xlsx``), and so are a web page
(HTML) or an Excel 2003 XML spreadsheet that some systems export under an
Excel name; anything else must be text (CSV with comma, tab, semicolon or
``|`` separators, encoding detected by :mod:`hbkit.observations.encoding`).
Every failure is an :class:`~hbkit.exceptions.HbkitError` that names the file, a
:class:`~hbkit.exceptions.FileError` with its ``code`` when the file cannot be
read at all; no pandas, openpyxl or decoding exception escapes.

Row numbers are those a user sees in Excel: the first line or row is 1.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hbkit.exceptions import FileError, HbkitError, HbkitWarning
from hbkit.notices import notify
from hbkit.observations.encoding import decode_text

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEPARATORS = (",", "\t", ";", "|")


@dataclass(frozen=True, eq=False)
class RawTable:
    """Rows of one CSV file, one worksheet or one DataFrame, before interpretation.

    The cells are held column by column (``columns``: one object array per
    column position, ``None`` where a row has no cell), so that large tables
    can be checked with vectorised operations; :meth:`cells` gives one row as a
    list. ``label`` is the provenance written into the ``file`` column (the
    path, and ``" [sheet]"`` for a worksheet); ``numbers`` holds each row's
    number (as in Excel); ``percent_cells`` holds the ``(row, column index)``
    of Excel cells formatted as percentages (they store 0.952 for 95.2%);
    ``row_files``, when given, names the file of each row for tables
    assembled from several files.
    """

    label: str
    columns: tuple[np.ndarray, ...]
    numbers: np.ndarray
    percent_cells: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    row_files: np.ndarray | None = None

    @classmethod
    def from_rows(cls, label: str, rows: Sequence[tuple[int, Sequence[object]]],
                  percent_cells: frozenset[tuple[int, int]] = frozenset(),
                  row_files: Sequence[str] | None = None) -> RawTable:
        """A table from ``(row number, cells)`` pairs; short rows are padded with ``None``."""
        width = max((len(cells) for _, cells in rows), default=0)
        grid = np.full((len(rows), width), None, dtype=object)
        for index, (_, cells) in enumerate(rows):
            grid[index, :len(cells)] = list(cells)
        numbers = np.array([number for number, _ in rows], dtype=np.int64)
        files = np.array(row_files, dtype=object) if row_files is not None else None
        return cls(label, tuple(grid[:, j] for j in range(width)), numbers,
                   percent_cells, files)

    def __len__(self) -> int:
        return len(self.numbers)

    def cells(self, index: int) -> list[object]:
        """The cells of row ``index`` (0-based position in the table)."""
        return [column[index] for column in self.columns]

    @property
    def rows(self) -> list[tuple[int, list[object]]]:
        """Every row as ``(row number, cells)`` (for small tables and examples)."""
        return [(int(self.numbers[i]), self.cells(i)) for i in range(len(self))]

    def file_of(self, index: int) -> str:
        """The file label of row ``index``."""
        return str(self.row_files[index]) if self.row_files is not None else self.label


#: why a path is not a file to read (Chinese / English), for the data and catalogue readers
A_FOLDER = "是文件夹，不是文件 / it is a folder, not a file"


def not_a_file(path: Path) -> str | None:
    """Why an existing ``path`` is no file to read (:data:`A_FOLDER`, or not a regular
    file), ``None`` for a regular file: one wording for the data and catalogue readers.

    >>> import tempfile
    >>> not_a_file(Path(tempfile.gettempdir()))
    '是文件夹，不是文件 / it is a folder, not a file'
    """
    if path.is_file():
        return None
    return A_FOLDER if path.is_dir() else "不是普通文件 / not a regular file"


def os_error_detail(exc: OSError) -> str:
    """Why the system could not read a file: its own words after a Chinese lead-in.

    >>> os_error_detail(PermissionError(13, "Permission denied"))
    '系统无法读取 / the system could not read it: Permission denied'
    """
    return f"系统无法读取 / the system could not read it: {exc.strerror or type(exc).__name__}"


def csv_error_detail(exc: Exception) -> str:
    """Why text is not CSV: Python's :mod:`csv` words after a Chinese lead-in.

    >>> csv_error_detail(csv.Error("field larger than field limit (131072)"))
    'CSV 格式错误 / not valid CSV: field larger than field limit (131072)'
    """
    return f"CSV 格式错误 / not valid CSV: {exc}"


def workbook_error_detail(exc: Exception) -> str:
    """Why bytes that look like a workbook are not one: the error's name after a Chinese lead-in.

    >>> import zipfile
    >>> workbook_error_detail(zipfile.BadZipFile("File is not a zip file"))
    'Excel 文件已损坏 / not a valid Excel workbook: BadZipFile'
    """
    return f"Excel 文件已损坏 / not a valid Excel workbook: {type(exc).__name__}"


def worksheet_error_detail(exc: Exception) -> str:
    """Why a sheet of a valid workbook cannot be read (its XML is broken): the error's name
    after a Chinese lead-in.

    >>> worksheet_error_detail(KeyError("xl/worksheets/sheet1.xml"))
    '工作表已损坏 / broken worksheet: KeyError'
    """
    return f"工作表已损坏 / broken worksheet: {type(exc).__name__}"


def _not_readable(label: str, why: str, code: str = "file-unreadable") -> FileError:
    return FileError(f"无法读取文件 / cannot read file: {label} ({why})", code, label)


def read_bytes(path: Path, label: str) -> bytes:
    """The bytes of ``path``; a :class:`~hbkit.exceptions.FileError` naming it when missing
    (``file-missing``), a folder or not readable (``file-unreadable``) or empty (``file-empty``)."""
    if not path.exists():
        raise FileError(f"文件不存在 / file not found: {label}", "file-missing", label)
    why = not_a_file(path)
    if why is not None:
        raise _not_readable(label, why)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _not_readable(label, os_error_detail(exc)) from None
    if not data or data.isspace():
        raise FileError(f"文件为空 / file is empty: {label}", "file-empty", label)
    return data


def _choose_separator(text: str) -> str:
    """The separator most used over the first 20 non-blank lines (titles may have none)."""
    lines = [line for line in text[:65_536].splitlines()[:200] if line.strip()][:20]
    counts = {sep: sum(line.count(sep) for line in lines) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_csv_text(text: str, label: str, utf8: bytes | None = None) -> RawTable:
    """Split CSV text into rows; row numbers count records as Excel shows them.

    Text without quote characters (what programs and most exports write) is
    split by pandas' C parser; text with quotes or bare carriage returns by
    :mod:`csv`. Both give the same cells. ``utf8`` is the text encoded in UTF-8
    when the caller has it (a UTF-8 file's bytes), so it is not encoded again.

    Examples
    --------
    >>> read_csv_text("指标,年份\\n孕产妇死亡率,2021\\n", "a.csv").rows
    [(1, ['指标', '年份']), (2, ['孕产妇死亡率', '2021'])]
    """
    separator = _choose_separator(text)
    if '"' not in text and ("\r" not in text or text.count("\r") == text.count("\r\n")):
        columns = _split_plain(text, separator, utf8)
        if columns is not None:
            return RawTable(label, columns, np.arange(1, len(columns[0]) + 1, dtype=np.int64))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise _not_readable(label, csv_error_detail(exc), "file-format") from None
    return RawTable.from_rows(label, list(enumerate(records, start=1)))


def _split_plain(text: str, separator: str, utf8: bytes | None = None
                 ) -> tuple[np.ndarray, ...] | None:
    """Columns of CSV text without quotes, by pandas' C parser (``None`` if it cannot)."""
    width = max(line.count(separator) for line in text[:100_000].split("\n")) + 1
    data = text.encode("utf-8") if utf8 is None else utf8
    for attempt in range(2):
        try:
            frame = pd.read_csv(io.BytesIO(data), sep=separator, header=None, dtype=object,
                                na_filter=False, quoting=csv.QUOTE_NONE,
                                skip_blank_lines=False, names=range(width), engine="c",
                                encoding="utf-8", low_memory=False)
        except pd.errors.ParserError:
            if attempt:
                return None
            width = max(line.count(separator) for line in text.split("\n")) + 1
            continue
        except (ValueError, csv.Error):
            return None
        return tuple(frame[j].to_numpy(dtype=object) for j in range(width))
    return None


@functools.lru_cache(maxsize=256)  # called per numeric cell; a workbook has few formats
def is_percent_format(fmt: str) -> bool:
    r"""Whether an Excel number format shows its number as a percentage (times 100): a ``%``
    outside quoted text and not escaped. ``0.0"%"`` (hbkit's workbook: a value in percent
    followed by its unit) shows 95.2 as 95.2%, unscaled.

    >>> is_percent_format("0.0%"), is_percent_format('#,##0.0"%"'), is_percent_format("0.0\\%")
    (True, False, False)
    """
    return "%" in re.sub(r'"[^"]*"|\\.', "", fmt)


def _sheet_table(sheet: object, label: str) -> RawTable:
    rows: list[tuple[int, list[object]]] = []
    percent: set[tuple[int, int]] = set()
    for excel_row in sheet.iter_rows():  # type: ignore[attr-defined]
        cells: list[object] = []
        number = None
        for index, cell in enumerate(excel_row):
            value = getattr(cell, "value", None)
            number = getattr(cell, "row", None) or number
            if isinstance(value, int | float) and is_percent_format(
                    str(getattr(cell, "number_format", ""))):
                percent.add((int(number or 0), index))
            cells.append(value)
        if number is not None and any(c is not None and str(c).strip() for c in cells):
            rows.append((int(number), cells))
    return RawTable.from_rows(label, rows, frozenset(percent))


def sheet_starting(names: list[str], text: str) -> list[str]:
    """The sheet names that start with ``text`` (trimmed), so that ``--sheet 健康`` finds the
    template's ``健康 health``; an empty text finds none.

    >>> sheet_starting(["填报说明 instructions", "健康 health", "教育 education"], "健康")
    ['健康 health']
    >>> sheet_starting(["健康 health", "健康2"], "健康"), sheet_starting(["a"], " ")
    (['健康 health', '健康2'], [])
    """
    text = text.strip()
    return [name for name in names if text and name.strip().startswith(text)]


def read_workbook(data: bytes, label: str, sheet: str | int | None) -> list[RawTable]:
    """Worksheets of an Excel workbook as raw tables (all sheets when ``sheet`` is None)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile's, XML's, openpyxl's own (e.g. InvalidFileException)
        raise _not_readable(label, workbook_error_detail(exc), "file-format") from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            chosen = names
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise FileError(
                    f"{label} 中没有第 {sheet} 个工作表（从0数起），现有工作表：{'、'.join(names)} / "
                    f"no sheet number {sheet} in {label}; sheets: {', '.join(names)}",
                    "sheet-missing", label)
            chosen = [names[sheet]]
        elif str(sheet) in names:
            chosen = [str(sheet)]
        elif len(starting := sheet_starting(names, str(sheet))) == 1:
            chosen = starting  # "健康" for the template's "健康 health"
        else:
            zh, en = ((f"（{len(starting)} 个工作表以此开头，请写全名）",
                       f" ({len(starting)} sheets start with it; give the whole name)")
                      if starting else ("", ""))
            raise FileError(
                f"{label} 中没有工作表“{sheet}”{zh}，现有工作表：{'、'.join(names)} / "
                f"no sheet {sheet!r} in {label}{en}; sheets: {', '.join(names)}",
                "sheet-missing", label)
        try:
            return [_sheet_table(book[name], f"{label} [{name}]") for name in chosen]
        except HbkitError:
            raise
        except Exception as exc:  # corrupt sheet XML inside a valid archive
            raise _not_readable(label, worksheet_error_detail(exc), "file-format") from None
    finally:
        book.close()


def read_path(path: str | os.PathLike[str], sheet: str | int | None = None) -> list[RawTable]:
    """Raw tables of a CSV or Excel file (one per worksheet read), its type decided by its
    content (:func:`file_content`); a file whose name says the other type is read with a
    note (:func:`misnamed`)."""
    label = os.fspath(path)
    data = read_bytes(Path(path).expanduser(), label)
    content = file_content(data, label)
    note = misnamed(label, workbook=content is None)
    if note is not None:  # stacklevel: read_path, _open, check_source, read_observations
        notify(note, HbkitWarning, stacklevel=5)
    if content is None:
        return read_workbook(data, label, sheet)
    text, encoding = content
    if sheet is not None:
        notify(f"CSV 文件没有工作表，sheet={sheet!r} 已忽略，读取整个文件 / a CSV file has no "
               f"worksheets: sheet={sheet!r} is ignored, the whole file is read: {label}",
               HbkitWarning, stacklevel=5)
    # a UTF-8 file without a byte-order mark holds the text's UTF-8 bytes as they are
    return [read_csv_text(text, label, data if encoding == "utf-8" else None)]


def file_content(data: bytes, label: str, error: type[FileError] = FileError
                 ) -> tuple[str, str] | None:
    """What the bytes of file ``label`` hold, decided by their content, not the file's name:
    ``None`` for an Excel workbook (a ZIP archive), ``(text, encoding)`` for text
    (:func:`~hbkit.observations.encoding.decode_text`); the one detection of the data and
    the catalogue readers.

    Raises
    ------
    FileError
        ``error`` (:class:`~hbkit.exceptions.FileError` or a subclass), code
        ``file-format``, naming the file, for a legacy ``.xls`` workbook (an OLE2 compound
        file), a web page (HTML) or an Excel 2003 XML spreadsheet (:func:`markup_kind`),
        each with advice to save it as ``.xlsx``, and for bytes that are not text.

    Examples
    --------
    >>> file_content(b"PK\\x03\\x04rest of a workbook", "t.csv") is None
    True
    >>> file_content("指标,年份\\n".encode("gbk"), "t.xlsx")
    ('指标,年份\\n', 'gbk')
    >>> file_content(b"<html><table><tr><td>1</td></tr></table></html>", "t.xls")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.FileError: 这是网页（HTML）文件，不是 Excel 工作簿或 CSV（有些系统导出的“Excel”文件其实是这种格式）：请用 Excel 打开后另存为 .xlsx / this is a web page (HTML), not an Excel workbook or CSV (some systems export "Excel" files so): open it in Excel and save as .xlsx: t.xls
    """
    if data.startswith(_ZIP_MAGIC):
        return None
    if data.startswith(_OLE_MAGIC):
        raise error(
            f"不支持旧版 .xls 文件，请另存为 .xlsx / legacy .xls workbooks are not read; "
            f"save as .xlsx: {label}", "file-format", label)
    text, encoding = decode_text(data, label, error)
    markup = markup_kind(text)
    if markup is not None:
        raise error(
            f"这是{markup[0]}，不是 Excel 工作簿或 CSV（有些系统导出的“Excel”文件其实是这种格式）："
            f"请用 Excel 打开后另存为 .xlsx / this is {markup[1]}, not an Excel workbook or CSV "
            f"(some systems export \"Excel\" files so): open it in Excel and save as .xlsx: {label}",
            "file-format", label)
    return text, encoding


#: suffixes of a workbook's name, and of a text file's, for :func:`misnamed`
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".yaml", ".yml")


def misnamed(label: str, *, workbook: bool) -> str | None:
    """The note (Chinese / English) for a file whose name says the other type than its
    content (:func:`file_content`): text under an Excel name, a workbook under a text name;
    ``None`` when the name agrees or says neither. Both readers read such a file by its
    content and say so.

    >>> print(misnamed("导出.xlsx", workbook=False))
    文件名为 .xlsx，但内容是文本（CSV），已按 CSV 读取 / the file is named .xlsx but holds text (CSV): it was read as CSV: 导出.xlsx
    >>> print(misnamed("数据.CSV", workbook=True))
    文件名为 .csv，但内容是 Excel 工作簿，已按 Excel 工作簿读取 / the file is named .csv but holds an Excel workbook: it was read as a workbook: 数据.CSV
    >>> misnamed("数据.xlsx", workbook=True), misnamed("数据", workbook=True)
    (None, None)
    """
    suffix = Path(label).suffix.lower()
    if workbook and suffix in TEXT_SUFFIXES:
        return (f"文件名为 {suffix}，但内容是 Excel 工作簿，已按 Excel 工作簿读取 / the file is named "
                f"{suffix} but holds an Excel workbook: it was read as a workbook: {label}")
    if not workbook and suffix in EXCEL_SUFFIXES:
        return (f"文件名为 {suffix}，但内容是文本（CSV），已按 CSV 读取 / the file is named {suffix} "
                f"but holds text (CSV): it was read as CSV: {label}")
    return None


def markup_kind(text: str) -> tuple[str, str] | None:
    """(中文, English) name of the markup a text file is, when it is a web page (HTML) or an
    Excel 2003 XML spreadsheet, which systems often export under an Excel name; else ``None``.

    >>> markup_kind("<!DOCTYPE html><html><body><table><tr><td>指标</td></tr></table>")
    ('网页（HTML）文件', 'a web page (HTML)')
    >>> markup_kind("指标,年份,数值\\n<b>,2021,3\\n") is None
    True
    """
    head = text[:4096].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html", "<table", "<meta")):
        return "网页（HTML）文件", "a web page (HTML)"
    if head.startswith("<?xml") and ("<workbook" in head or "office:spreadsheet" in head):
        return "Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet"
    return None


def read_frame(frame: pd.DataFrame, label: str = "<DataFrame>") -> RawTable:
    """A DataFrame as a raw table: its column names are the header (row 1), row i is row i + 2.

    Missing cells (NaN, None, ``pd.NA``) become ``None`` and numpy scalars
    plain Python numbers, column by column.

    Examples
    --------
    >>> read_frame(pd.DataFrame({"year": [2021]})).rows
    [(1, ['year']), (2, [2021])]
    """
    columns = tuple(np.concatenate([np.array([str(name)], dtype=object),
                                    _plain_column(frame.iloc[:, j])])
                    for j, name in enumerate(frame.columns))
    return RawTable(label, columns, np.arange(1, len(frame) + 2, dtype=np.int64))


def _plain_column(series: pd.Series) -> np.ndarray:
    """The cells of one column as Python objects, ``None`` where missing."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub" or isinstance(dtype, pd.StringDtype):
        cells = series.to_numpy(dtype=object, copy=True)
        cells[pd.isna(cells)] = None
        return cells
    out = np.empty(len(series), dtype=object)
    out[:] = [None if _is_na(c) else _plain(c) for c in series]
    return out


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
