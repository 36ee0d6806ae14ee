"""Exceptions and warnings raised by hbkit.

Every error a user can trigger is an :class:`HbkitError`. Errors that come from
validating many records at once (a catalogue file, an observations file) carry
a ``problems`` table with one row per problem, so that a user sees every
problem in one pass rather than the first one only. The table is JSON-safe: a
web service can send ``problems.to_dict("records")`` as it is
(:func:`problems_frame`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError
from pydantic_core import InitErrorDetails

PROBLEM_COLUMNS: tuple[str, ...] = ("file", "row", "column", "value", "rule")

#: columns of a problem table holding text (or ``None``)
_TEXT_COLUMNS = frozenset({"file", "column", "rule", "code", "field"})


class HbkitError(Exception):
    """Base class of every error hbkit raises on purpose."""


class HbkitValueError(HbkitError, ValueError):
    """An argument of a value hbkit cannot use, raised where a plain :class:`ValueError`
    was raised before (the scores, the official conventions, a backtest's tables).

    Both an :class:`HbkitError`, with the message in Chinese then English, and a
    :class:`ValueError`, so that code catching either keeps working.

    Examples
    --------
    >>> from hbkit.scores import brier_score
    >>> try:
    ...     brier_score([0.5, 1.2], [1, 0])
    ... except ValueError as err:
    ...     print(isinstance(err, HbkitError), err)
    True 概率须在 0 与 1 之间；收到 1.2 / probabilities must lie in [0, 1]; received 1.2
    """


class HbkitTypeError(HbkitError, TypeError):
    """An argument of a type hbkit cannot use, raised where a plain :class:`TypeError`
    was raised before; both an :class:`HbkitError` and a :class:`TypeError`."""


#: the ``code`` of a :class:`FileError` -> what it means (Chinese, English)
FILE_ERROR_CODES: dict[str, tuple[str, str]] = {
    "file-missing": ("文件不存在", "the file does not exist"),
    "file-unreadable": ("无法读取文件：是文件夹，或没有读取权限",
                        "the file cannot be read: a folder, or no permission"),
    "file-empty": ("文件为空", "the file is empty"),
    "file-format": ("文件格式不对：不是文本（CSV）或 Excel 文件、CSV 格式错误、Excel 文件已损坏、旧版 .xls、"
                    "以 Excel 为名的网页或 XML 表格，或（写出目录时）后缀不支持",
                    "not a file of a format hbkit reads: not text (CSV) or Excel, broken CSV, a "
                    "broken workbook, a legacy .xls, a web page or XML spreadsheet under an Excel "
                    "name, or (writing a catalogue) a suffix not supported"),
    "sheet-missing": ("工作簿中没有指定的工作表", "the workbook has no such sheet"),
}


class FileError(HbkitError):
    """A file hbkit cannot use at all: missing, a folder, empty, or not of a format it reads.

    The message names the file and why (Chinese, then English). ``code`` says which,
    for a program to branch on (:data:`FILE_ERROR_CODES`): ``file-missing``,
    ``file-unreadable``, ``file-empty``, ``file-format`` or ``sheet-missing``;
    ``file`` is the file as given. ``problems`` is a one-row problem table (``file``,
    ``row`` and ``column`` empty, ``value`` empty, ``rule`` the message, ``code``),
    so that it can be shown, or sent as JSON, like the table of a
    :class:`DataValidationError`.

    Examples
    --------
    >>> import hbkit
    >>> try:
    ...     hbkit.read_observations("no-such-file.csv")
    ... except hbkit.FileError as err:
    ...     print(err.code, err.file)
    ...     print(err.problems[["row", "rule", "code"]].to_dict("records"))
    file-missing no-such-file.csv
    [{'row': None, 'rule': '文件不存在 / file not found: no-such-file.csv', 'code': 'file-missing'}]
    """

    def __init__(self, message: str, code: str, file: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.file = file
        self.problems: pd.DataFrame = problems_frame([{
            "file": file, "row": None, "column": None, "value": None, "rule": message,
            "code": code}])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.code, self.file))


class HbkitWarning(UserWarning):
    """Base class of every warning hbkit emits."""


def shown_value(value: Any) -> str | None:
    """A value as received, as text for a problem table; ``None`` when none was given.

    Dates, lists and numbers become the text they print as; a whole number read as
    a float (Excel's ``4000.0``) shows as ``4000``; text is kept as written
    (full-width characters are not folded).

    Examples
    --------
    >>> import datetime
    >>> shown_value(datetime.date(2025, 1, 1)), shown_value([1, 2]), shown_value(4000.0)
    ('2025-01-01', '[1, 2]', '4000')
    >>> shown_value(None), shown_value(float("nan")), shown_value("９５％")
    (None, 'nan', '９５％')
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _plain(value: Any) -> Any:
    """A cell of a problem table as a JSON value: ``None`` for NaN and other blanks,
    numbers and text as they are, anything else as its text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str | int | float):
        return value
    return str(value)


def _clean_problem(problem: Mapping[str, Any], columns: list[str]) -> dict[str, Any]:
    """One problem with JSON-safe cells (:func:`problems_frame`)."""
    out: dict[str, Any] = {}
    for column in columns:
        value = problem.get(column)
        if column == "value":
            out[column] = shown_value(value)
            continue
        value = _plain(value)
        if column == "row" and isinstance(value, float) and value.is_integer():
            value = int(value)
        elif column in _TEXT_COLUMNS and value is not None:
            value = str(value)
        out[column] = value
    return out


def problems_frame(problems: Iterable[Mapping[str, Any]] | pd.DataFrame,
                   columns: Iterable[str] = ()) -> pd.DataFrame:
    """Build the standard problem table, JSON-safe.

    Parameters
    ----------
    problems
        Mappings (or the rows of a frame) with (a subset of) the keys ``file, row,
        column, value, rule``; extra keys (for example ``code``) are kept as extra
        columns.
    columns
        Further columns the table always has, right after ``file, row, column,
        value, rule`` and in this order, ``None`` where a problem gives none (an
        error class's :attr:`~_ProblemTableError.table_columns`): a program reading
        ``problems["field"]`` of a catalogue error finds the column whatever the
        problems were.

    Returns
    -------
    pandas.DataFrame
        Columns ``file, row, column, value, rule`` first, then ``columns``, then
        any other keys of the problems, in the order first seen. Every
        cell is a JSON value, so that ``json.dumps(frame.to_dict("records"),
        allow_nan=False)`` works: ``value`` is the value received as text
        (:func:`shown_value`; ``None`` when none was given), ``row`` an integer or
        ``None`` (a problem of the whole file), ``file``, ``column`` and ``rule`` text
        or ``None``; a blank (NaN) is ``None``, never NaN.

    Examples
    --------
    >>> problems_frame([{"file": "a.csv", "row": 3, "column": "year",
    ...                  "value": "20x1", "rule": "year is an integer"}])
        file  row column value               rule
    0  a.csv    3   year  20x1  year is an integer
    >>> import datetime
    >>> problems_frame([{"row": None, "value": datetime.date(2025, 1, 1)}]).iloc[0].tolist()
    [None, None, None, '2025-01-01', None]
    >>> problems_frame([{"row": 2, "line": 5, "code": "x"}], columns=("code", "field")).columns.tolist()
    ['file', 'row', 'column', 'value', 'rule', 'code', 'field', 'line']
    """
    rows: Iterable[Mapping[Any, Any]] = (problems.to_dict("records") if isinstance(problems, pd.DataFrame)
                                         else problems)
    records = [{str(key): value for key, value in row.items()} for row in rows]
    fixed = [*PROBLEM_COLUMNS, *(c for c in columns if c not in PROBLEM_COLUMNS)]
    extra = list(dict.fromkeys(key for record in records for key in record
                               if key not in fixed))
    names = [*fixed, *extra]
    frame = pd.DataFrame([_clean_problem(record, names) for record in records],
                         columns=names, dtype=object)
    if len(frame) and frame["row"].map(lambda row: isinstance(row, int)).all():
        frame["row"] = frame["row"].astype("int64")  # every row numbered: an integer column
    return frame


def _format_problem_lines(problems: pd.DataFrame, limit: int,
                          keys: tuple[str, ...] = ("file", "row", "column", "value")) -> str:
    lines = []
    for record in problems.head(limit).to_dict("records"):
        where = ", ".join(
            f"{key}={record[key]!r}"
            for key in keys
            if record.get(key) is not None and not (isinstance(record[key], float) and pd.isna(record[key]))
            and not (key == "field" and record[key] == record.get("column"))
        )
        lines.append(f"  - {record.get('rule')} ({where})")
    if len(problems) > limit:
        lines.append(f"  ... 另有 {len(problems) - limit} 个问题 / {len(problems) - limit} more")
    return "\n".join(lines)


class _ProblemTableError(HbkitError):
    """An error that carries a table of problems found in one pass."""

    title_zh = "发现问题"
    title_en = "problems found"
    #: the columns named after each problem's rule in the message
    where_keys: tuple[str, ...] = ("file", "row", "column", "value")
    #: the columns ``problems`` always has after ``file, row, column, value, rule``
    #: (``None`` where a problem gives none), whichever problems were found
    table_columns: tuple[str, ...] = ("code",)

    def __init__(self, problems: pd.DataFrame | Iterable[Mapping[str, Any]], limit: int = 10):
        self._set_problems(problems, limit)
        super().__init__(self.message)

    def _set_problems(self, problems: pd.DataFrame | Iterable[Mapping[str, Any]], limit: int) -> None:
        """Keep the problem table (:func:`problems_frame`) and word the message from it."""
        table = problems_frame(problems, self.table_columns)
        self.problems: pd.DataFrame = table
        self.limit = limit
        count = len(table)
        self.message = (
            f"{self.title_zh}：共 {count} 个 / {self.title_en}: {count} in all\n"
            + _format_problem_lines(table, limit, self.where_keys)
        )

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with the problem table (a worker process's error reaches its parent whole)."""
        return (type(self), (self.problems, self.limit))


class CatalogueError(_ProblemTableError):
    """A catalogue (file or list of targets) has invalid records.

    ``problems`` lists every problem with its file, row, column (the header as
    the user wrote it, e.g. ``领域``), the value received and the rule broken
    (in Chinese, then English), then the rule's ``code`` and the target
    ``field`` the column holds (``domain``; ``None`` for an unknown column or a
    problem of the whole file), then anything more a reader knows (a YAML file's
    ``line``). Every table has ``file, row, column, value, rule, code, field``,
    in this order, whatever the problems (:attr:`table_columns`). The
    value is the one received, as text (a date, a list as it prints; ``None``
    when none was given), so that the table can be sent as JSON
    (:func:`problems_frame`).

    Examples
    --------
    >>> import hbkit, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.yaml"
    >>> _ = path.write_text("name: not a list of targets\\n", encoding="utf-8")
    >>> try:
    ...     hbkit.Catalogue.from_file(path)
    ... except hbkit.CatalogueError as err:
    ...     print(err.problems.columns.tolist(), err.problems["code"].tolist())
    ['file', 'row', 'column', 'value', 'rule', 'code', 'field'] ['is-catalogue']
    """

    title_zh = "目标目录有误"
    title_en = "invalid catalogue"
    where_keys: tuple[str, ...] = ("file", "row", "column", "field", "value", "code")
    table_columns: tuple[str, ...] = ("code", "field")


class CatalogueFileError(FileError, CatalogueError):
    """A catalogue file hbkit cannot use at all: empty (``file-empty``), not of a format it
    reads or not parseable (``file-format``: a legacy ``.xls``, a web page or an Excel 2003
    XML spreadsheet, not text in UTF-8, UTF-16, GBK or GB18030, broken YAML or CSV, a
    broken workbook) or not readable (``file-unreadable``).

    A :class:`FileError` with the codes of :data:`FILE_ERROR_CODES`, as a data file that
    cannot be read is; and a :class:`CatalogueError` (the same one-row ``problems``, with
    the ``field`` column of every catalogue error, empty),
    as :meth:`hbkit.Catalogue.from_file` raised for these files before, so that code
    catching that still works. A missing file or a folder is a plain
    :class:`FileError`, as before.

    Examples
    --------
    >>> import hbkit, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = path.write_bytes(b"")
    >>> try:
    ...     hbkit.Catalogue.from_file(path)
    ... except hbkit.FileError as err:
    ...     print(err.code, isinstance(err, hbkit.CatalogueError), err.problems["code"].tolist())
    file-empty True ['file-empty']
    """

    def __init__(self, message: str, code: str, file: str | None = None):
        # not FileError.__init__: its super() would reach CatalogueError's (a problem table)
        HbkitError.__init__(self, message)
        self.message = message
        self.code = code
        self.file = file
        self.limit = 10
        self.problems = problems_frame([{
            "file": file, "row": None, "column": None, "value": None, "rule": message,
            "code": code}], self.table_columns)

    def __str__(self) -> str:
        return self.message


class TargetError(CatalogueError, ValidationError):
    """A :class:`~hbkit.catalogue.models.Target` built with invalid fields.

    ``Target(...)`` raises it. It is a :class:`CatalogueError`: ``problems`` has one
    row per broken rule, as a catalogue file's (``file`` and ``row`` empty, ``column``
    and ``field`` the field, the value received as text, the rule in Chinese then
    English, its ``code``), and the message lists them. It is also a
    :class:`pydantic.ValidationError` (so a :class:`ValueError`) with pydantic's
    ``errors()``, for code that caught that before.

    Examples
    --------
    >>> import hbkit
    >>> try:
    ...     hbkit.Target(id="x", kind="bogus")
    ... except hbkit.CatalogueError as err:
    ...     print(err.problems.loc[0, ["column", "value", "code"]].tolist())
    ['kind', 'bogus', 'literal_error']
    """

    title_zh = "目标有误"
    title_en = "invalid target"
    where_keys: tuple[str, ...] = ("column", "value", "code")

    def __init__(self, title: str, line_errors: list[InitErrorDetails], *args: Any) -> None:
        """Called by pydantic's ``from_exception_data`` once it has built the error; the
        problem table is given by :meth:`from_validation_error` (empty until then)."""
        self._set_problems([], 10)

    @classmethod
    def from_validation_error(cls, error: ValidationError,
                              problems: pd.DataFrame | Iterable[Mapping[str, Any]],
                              limit: int = 10) -> TargetError:
        """The error of pydantic's ``error``, with hbkit's table of its ``problems``.

        Parameters
        ----------
        error
            The :class:`pydantic.ValidationError` of building the target.
        problems
            Its problems, worded as a catalogue's (:func:`hbkit.catalogue.catalogue.target_error`).
        limit
            How many problems the message lists.
        """
        return _target_error(cls, error.title, error.errors(include_url=False), problems, limit)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with the problem table (pydantic's own way would lose it)."""
        return (_target_error, (type(self), self.title, self.errors(include_url=False),
                                self.problems, self.limit))


def _target_error(cls: type[TargetError], title: str, details: Iterable[Mapping[str, Any]],
                  problems: pd.DataFrame | Iterable[Mapping[str, Any]], limit: int) -> TargetError:
    """A :class:`TargetError` of pydantic's error ``details`` (``errors()``) and hbkit's problems."""
    line_errors = [InitErrorDetails(type=d["type"], loc=d["loc"], input=d["input"],
                                    **({"ctx": d["ctx"]} if "ctx" in d else {}))  # type: ignore[typeddict-item]
                   for d in details]
    error = cls.from_exception_data(title, line_errors)
    error._set_problems(problems, limit)
    error.args = (error.message,)
    return error


class DataValidationError(_ProblemTableError):
    """An observations file or frame has invalid rows.

    ``problems`` lists every problem with its file, row (as numbered in Excel),
    column, the value received and the rule broken, then the rule's ``code``
    (``docs/observations.md``, section 3): columns ``file, row, column, value,
    rule, code``.

    Examples
    --------
    >>> import pandas as pd, hbkit
    >>> try:
    ...     hbkit.read_observations(pd.DataFrame({"indicator": ["imr"], "year": ["20x3"],
    ...                                           "value": [5.1]}))
    ... except hbkit.DataValidationError as err:
    ...     print(err.problems[["row", "column", "value", "code"]].to_dict("records"))
    [{'row': 2, 'column': 'year', 'value': '20x3', 'code': 'year-invalid'}]
    """

    title_zh = "数据校验未通过"
    title_en = "data validation failed"


class CatalogueWarning(HbkitWarning):
    """A catalogue was read with a value it did not state: a blank target year taken from
    the file's other rows (:func:`hbkit.catalogue.catalogue.fill_target_years`), or a file
    read by its content as the other type than its name says (text named ``.xlsx``, a
    workbook named ``.csv``: :func:`hbkit.observations.files.misnamed`)."""


class DataWarning(HbkitWarning):
    """Something in the data was changed or excluded (for example merged duplicates)."""
