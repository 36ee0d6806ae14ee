"""``read_observations``: open, interpret, check, and return :class:`Observations`."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from typing import Any, Literal

import pandas as pd

from hbkit._options import check_choice
from hbkit.catalogue.models import Target
from hbkit.exceptions import DataValidationError, DataWarning, HbkitError, problems_frame
from hbkit.observations.checks import Checked, RecordChecker, check_duplicates
from hbkit.observations.files import RawTable, read_frame, read_path
from hbkit.observations.indicators import DEFAULT_GEO, IndicatorMatcher
from hbkit.observations.layout import Layout, interpret
from hbkit.observations.result import Observations, log_frame, typed_frame
from hbkit.observations.rules import problem

Source = str | os.PathLike[str] | pd.DataFrame | Observations


def read_observations(
    source: Source,
    catalogue: Iterable[Target] | None = None,
    *,
    geo: str | None = None,
    sheet: str | int | None = None,
    data_source: str | None = None,
    unknown: Literal["error", "exclude"] = "error",
) -> Observations:
    """Read and check observations from a file or a DataFrame.

    Parameters
    ----------
    source
        Path of a CSV (UTF-8, UTF-8 with BOM, GBK or GB18030; comma, tab or
        semicolon separated) or Excel workbook (``.xlsx``/``.xlsm``), a pandas
        DataFrame, or an :class:`Observations` (checked again against
        ``catalogue``). Long layout (a year column) or wide layout (one column
        per year); Chinese or English headers.
    catalogue
        A :class:`~hbkit.Catalogue` (or any iterable of Targets). With it,
        indicators are checked against the catalogue (ids or names),
        bounded indicators are checked against 100 and units are converted to
        the catalogue's unit when the conversion is exact.
    geo
        Area of rows without a geo; default ``catalogue.default_geo``, else
        ``"河北区"``.
    sheet
        Worksheet name or 0-based number; by default every worksheet with
        observation columns is read (others are listed in ``excluded``).
    data_source
        Text for the ``source`` column where the file gives none.
    unknown
        ``"error"`` (default): an indicator the catalogue does not know is a
        fatal problem; ``"exclude"``: such rows are listed in ``excluded``.

    Returns
    -------
    Observations
        ``.frame`` in the long layout, ``.excluded``, ``.missing``, ``.changes``.

    Raises
    ------
    DataValidationError
        Listing every fatal problem of the source (``.problems``).
    HbkitError
        When the file does not exist, is empty or is neither text nor Excel.

    Warns
    -----
    DataWarning
        When identical duplicate rows were merged (how many).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"指标": ["infant_mortality_rate"] * 2, "年份": ["2020", "2021年"],
    ...                       "数值": ["３．１", "2.9"]})
    >>> read_observations(frame).frame[["indicator", "geo", "year", "value"]]
                   indicator geo  year  value
    0  infant_mortality_rate  河北区  2020    3.1
    1  infant_mortality_rate  河北区  2021    2.9
    """
    check_choice("unknown", unknown, ("error", "exclude"))
    targets = list(catalogue) if catalogue is not None else []
    default_geo = geo or getattr(catalogue, "default_geo", None) or DEFAULT_GEO
    tables = _open(source, sheet)
    checker = RecordChecker(IndicatorMatcher(targets), default_geo, data_source, unknown)
    out = Checked()
    ignored: list[str] = []
    layouts = [interpret(table) for table in tables]
    usable = [layout for layout in layouts if not layout.problems]
    for table, layout in zip(tables, layouts, strict=True):
        if layout.problems and usable:  # another worksheet holds the observations
            out.add(problem(table.label, int(str(layout.problems[0]["row"])), "", "",
                            "sheet-skipped", "no indicator/year/value columns"))
            continue
        if layout.problems:
            out.fatal.extend(layout.problems)
            continue
        _check_layout(layout, checker, out)
        ignored.extend(c for c in layout.ignored_columns if c not in ignored)
    rows = check_duplicates(out.rows, out)
    if out.fatal:
        raise DataValidationError(problems_frame(out.fatal))
    if out.merged:
        warnings.warn(
            f"合并了 {out.merged} 行完全相同的重复数据 / merged {out.merged} identical "
            "duplicate rows (listed in .excluded)", DataWarning, stacklevel=2)
    return Observations(typed_frame(pd.DataFrame(rows)), log_frame(out.excluded),
                        log_frame(out.missing), log_frame(out.changes), tuple(ignored))


def _check_layout(layout: Layout, checker: RecordChecker, out: Checked) -> None:
    for entry in layout.excluded:
        out.add(entry)
    for record in layout.records:
        clean = checker.check(record, out)
        if clean is not None:
            out.rows.append(clean)


def _open(source: Any, sheet: str | int | None) -> list[RawTable]:
    if isinstance(source, Observations):
        return [_provenance_table(source.frame)]
    if isinstance(source, pd.DataFrame):
        if {"file", "row"} <= set(source.columns):
            return [_provenance_table(source)]
        return [read_frame(source)]
    if isinstance(source, str | os.PathLike):
        return read_path(source, sheet)
    raise HbkitError(
        "read_observations 需要文件路径或 DataFrame / read_observations takes a path, a "
        f"DataFrame or an Observations; received {type(source).__name__}"
    )


def _provenance_table(frame: pd.DataFrame) -> RawTable:
    """A frame that carries ``file``/``row`` (e.g. ``obs.frame``) keeps that provenance."""
    table = read_frame(frame.drop(columns=["file", "row"]))
    numbers = pd.to_numeric(frame["row"], errors="coerce").fillna(0).astype(int).tolist()
    rows = [table.rows[0]] + [(numbers[i], cells) for i, (_, cells) in
                              enumerate(table.rows[1:])]
    files = ("<DataFrame>", *frame["file"].astype(str).tolist())
    return RawTable(table.label, rows, row_files=files)
