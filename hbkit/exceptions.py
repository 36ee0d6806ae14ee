"""Exceptions and warnings raised by hbkit.

Every error a user can trigger is an :class:`HbkitError`. Errors that come from
validating many records at once (a catalogue file, an observations file) carry
a ``problems`` table with one row per problem, so that a user sees every
problem in one pass rather than the first one only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

PROBLEM_COLUMNS: tuple[str, ...] = ("file", "row", "column", "value", "rule")


class HbkitError(Exception):
    """Base class of every error hbkit raises on purpose."""


class HbkitWarning(UserWarning):
    """Base class of every warning hbkit emits."""


def problems_frame(problems: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build the standard problem table.

    Parameters
    ----------
    problems
        Mappings with (a subset of) the keys ``file, row, column, value, rule``;
        extra keys (for example ``message``) are kept as extra columns.

    Returns
    -------
    pandas.DataFrame
        Columns ``file, row, column, value, rule`` first, then any extra ones.

    Examples
    --------
    >>> problems_frame([{"file": "a.csv", "row": 3, "column": "year",
    ...                  "value": "20x1", "rule": "year is an integer"}])
        file  row column value               rule
    0  a.csv    3   year  20x1  year is an integer
    """
    frame = pd.DataFrame(list(problems))
    for column in PROBLEM_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    extra = [c for c in frame.columns if c not in PROBLEM_COLUMNS]
    return frame[list(PROBLEM_COLUMNS) + extra].reset_index(drop=True)


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

    def __init__(self, problems: pd.DataFrame | Iterable[Mapping[str, Any]], limit: int = 10):
        table = problems if isinstance(problems, pd.DataFrame) else problems_frame(problems)
        self.problems: pd.DataFrame = table
        count = len(table)
        message = (
            f"{self.title_zh}：共 {count} 个 / {self.title_en}: {count} in all\n"
            + _format_problem_lines(table, limit, self.where_keys)
        )
        super().__init__(message)


class CatalogueError(_ProblemTableError):
    """A catalogue (file or list of targets) has invalid records.

    ``problems`` lists every problem with its file, row, column (the header as
    the user wrote it, e.g. ``领域``), the value received and the rule broken
    (in Chinese, then English), then the rule's ``code`` and the target
    ``field`` the column holds (``domain``; empty for an unknown column).
    """

    title_zh = "目标目录有误"
    title_en = "invalid catalogue"
    where_keys = ("file", "row", "column", "field", "value", "code")


class DataValidationError(_ProblemTableError):
    """An observations file or frame has invalid rows.

    ``problems`` lists every problem with its file, row (as numbered in Excel),
    column, the value received and the rule broken.
    """

    title_zh = "数据校验未通过"
    title_en = "data validation failed"


class CatalogueWarning(HbkitWarning):
    """A catalogue was read with a value it did not state: a blank target year taken from
    the file's other rows (:func:`hbkit.catalogue.catalogue.fill_target_years`)."""


class DataWarning(HbkitWarning):
    """Something in the data was changed or excluded (for example merged duplicates)."""
