"""``read_observations``: open, interpret, check, and return :class:`Observations`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeAlias, cast

import numpy as np
import pandas as pd

from hbkit._options import check_choice, check_sheet
from hbkit.catalogue.models import Target
from hbkit.exceptions import DataValidationError, DataWarning, HbkitError, problems_frame
from hbkit.notices import notify
from hbkit.observations.across import check_areas, check_fractions, fraction_rows
from hbkit.observations.checks import Checked, RecordChecker, check_duplicates
from hbkit.observations.fast import CLEAN_COLUMNS, fast_rows
from hbkit.observations.files import RawTable, read_frame, read_path
from hbkit.observations.indicators import DEFAULT_GEO, IndicatorMatcher
from hbkit.observations.layout import Header, Layout, find_header, interpret
from hbkit.observations.outliers import check_far_from_trend
from hbkit.observations.result import Observations, log_frame, typed_frame, warning_frame
from hbkit.observations.rules import problem

Source: TypeAlias = str | os.PathLike[str] | pd.DataFrame | Observations


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
        Worksheet name, the start of a name when only one sheet's name starts
        with it (``"健康"`` for the template's ``"健康 health"``), or 0-based
        number; by default every worksheet with observation columns is read
        (others are listed in ``excluded``). Only for an Excel workbook: given
        with a DataFrame or an Observations it is an error, with a CSV file it
        is ignored with a :class:`~hbkit.exceptions.HbkitWarning`.
    data_source
        Text for the ``source`` column where the file gives none.
    unknown
        ``"error"`` (default): an indicator the catalogue does not know is a
        fatal problem; ``"exclude"``: such rows are listed in ``excluded``.

    Returns
    -------
    Observations
        ``.frame`` in the long layout, ``.excluded``, ``.missing``, ``.changes``,
        ``.warnings``.

    Raises
    ------
    DataValidationError
        Listing every fatal problem of the source (``.problems``).
    HbkitError
        When the file does not exist, is empty or is neither text nor Excel;
        when ``sheet`` is neither text nor a whole number 0 or more, or is given
        with a DataFrame or an Observations.

    Warns
    -----
    DataWarning
        When identical duplicate rows were merged (how many), and when rows
        look wrong beside the others (listed in ``.warnings``: a street
        without its district, two spellings of one area, a percent typed as
        a fraction).
    HbkitWarning
        When ``sheet`` is given for a CSV file (read whole: it has no worksheets).

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
    return check_source(source, catalogue, geo=geo, sheet=sheet, data_source=data_source,
                        unknown=unknown)


def check_source(source: Source, catalogue: Iterable[Target] | None = None, *,
                 geo: str | None = None, sheet: str | int | None = None,
                 data_source: str | None = None,
                 unknown: Literal["error", "exclude"] = "error",
                 vectorised: bool = True) -> Observations:
    """:func:`read_observations`, with the choice of checking every row in Python.

    ``vectorised=True`` (what :func:`read_observations` does) checks the plainly
    clean rows of long tables column by column (:mod:`hbkit.observations.fast`)
    and every other row one by one; ``vectorised=False`` checks every row one
    by one. Both give the same result; the second is the reference the tests
    compare the first with.
    """
    check_choice("unknown", unknown, ("error", "exclude"))
    sheet = check_sheet(sheet)
    for name, value, example in (("geo", geo, "河北区"), ("data_source", data_source, "区卫健委")):
        if value is not None and not isinstance(value, str):
            raise HbkitError(f"{name} 须为文字，如 {example!r} / {name} must be text such as "
                             f"{example!r}; received {value!r} ({type(value).__name__})")
    targets = list(catalogue) if catalogue is not None else []
    default_geo = geo or getattr(catalogue, "default_geo", None) or DEFAULT_GEO
    tables = _open(source, sheet)
    checker = RecordChecker(IndicatorMatcher(targets), default_geo, data_source, unknown)
    out = Checked()
    ignored: list[str] = []
    headers = [find_header(table) if len(table) else None for table in tables]
    usable = [h for h in headers if h is not None and not h.problems]
    pieces: list[pd.DataFrame] = []
    for number, (table, header) in enumerate(zip(tables, headers, strict=True)):
        if header is None or header.problems:
            problems = interpret(table, header).problems
            if usable:  # another worksheet holds the observations
                out.add(problem(table.label, int(str(problems[0]["row"])), "", "",
                                "sheet-skipped", "no indicator/year/value columns"))
            else:
                out.fatal.extend(problems)
            continue
        skip = None
        if vectorised and not header.wide:
            skip, clean = fast_rows(table, header, checker)
            pieces.append(clean.assign(table=number))
        _check_layout(interpret(table, header, skip), checker, out, number)
        ignored.extend(c for c in header.ignored if c not in ignored)
    def value_cell(table: int, position: int, year: int) -> tuple[str, object]:
        """The header and the cell as received of a clean row's value (its year's column
        in a wide table), for the problem table of :func:`check_duplicates`."""
        header = cast(Header, headers[table])
        index = header.years.get((year, "value")) if header.wide else header.named.get("value")
        if index is None:
            return "value", None
        return header.text.get(index, "value"), tables[table].columns[index][position]

    def geo_cell(table: int, position: int) -> tuple[str, object] | None:
        """The header and the cell as received of a clean row's geo (``None``: no geo column)."""
        header = cast(Header, headers[table])
        index = header.named.get("geo")
        if index is None:
            return None
        return header.text.get(index, "geo"), tables[table].columns[index][position]

    frame = check_duplicates(_in_file_order(pieces, out.rows), out, value_cell)
    if out.fatal:
        raise DataValidationError(problems_frame(out.fatal))
    fractions = fraction_rows(frame)
    out.warnings.extend(check_areas(frame, geo_cell, default_geo)
                        + check_fractions(frame, value_cell, fractions)
                        + check_far_from_trend(frame, value_cell, skip=fractions))
    if out.merged:
        notify(_merged_message(out.merged), DataWarning, stacklevel=3,
               geos=out.merged_geos, about=_counted(_merged_message))
    if out.warnings:
        notify(_to_check_message(len(out.warnings)), DataWarning, stacklevel=3,
               geos=[entry.get("geo") for entry in out.warnings],
               about=_counted(_to_check_message))
    return Observations(typed_frame(frame), log_frame(out.excluded),
                        log_frame(out.missing), log_frame(out.changes), tuple(ignored),
                        warning_frame(sorted(out.warnings, key=_file_order)))


def _merged_message(n: int) -> str:
    """The notice of ``n`` identical duplicate rows merged.

    >>> _merged_message(1)
    '合并了 1 行完全相同的重复数据 / merged 1 identical duplicate row (listed in .excluded)'
    """
    rows = "1 identical duplicate row" if n == 1 else f"{n} identical duplicate rows"
    return f"合并了 {n} 行完全相同的重复数据 / merged {rows} (listed in .excluded)"


def _to_check_message(n: int) -> str:
    """The notice of ``n`` rows used as they are that look wrong (data warnings)."""
    return (f"{n} 行需要核对（地区名称、疑似填成小数的百分数或远离序列趋势的数值），仍照原样使用 / "
            f"{'1 row' if n == 1 else f'{n} rows'} to check (area names, percents that look "
            "like fractions, values far off their series' trend), used as they are (listed in "
            ".warnings)")


def _counted(message: Callable[[int], str]) -> Callable[[np.ndarray], str | None]:
    """``about(positions)`` of a notice that counts rows: its message for the rows at
    ``positions``, ``None`` when there are none (:func:`hbkit.notices.notify`)."""
    def about(positions: np.ndarray) -> str | None:
        n = len(positions)
        return message(n) if n else None
    return about


def _file_order(entry: dict[str, object]) -> tuple[str, int]:
    return str(entry["file"]), int(cast(int, entry["row"]))


def _in_file_order(pieces: list[pd.DataFrame], rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Clean rows of both paths in the order of the source (table, then position)."""
    frames = [piece for piece in pieces if len(piece)]
    if rows:
        frames.append(pd.DataFrame(rows))
    if not frames:
        return pd.DataFrame(columns=[*CLEAN_COLUMNS, "table"])
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if len(frames) > 1:
        frame = frame.sort_values(["table", "position"], kind="stable")
    return frame.reset_index(drop=True)


def _check_layout(layout: Layout, checker: RecordChecker, out: Checked, table: int) -> None:
    for entry in layout.excluded:
        out.add(entry)
    for record in layout.records:
        clean = checker.check(record, out)
        if clean is not None:
            clean["position"] = record["position"]
            clean["table"] = table
            out.rows.append(clean)


def _open(source: Any, sheet: str | int | None) -> list[RawTable]:
    if isinstance(source, Observations | pd.DataFrame) and sheet is not None:
        raise HbkitError(
            f"sheet 只用于 Excel 文件，{type(source).__name__} 没有工作表，请去掉 sheet；收到 "
            f"sheet={sheet!r} / sheet applies to Excel files only: a {type(source).__name__} "
            f"has no worksheets, leave sheet out; received sheet={sheet!r}")
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
    numbers = pd.to_numeric(frame["row"], errors="coerce").fillna(0).astype(np.int64)
    files = np.array(["<DataFrame>", *frame["file"].astype(str).tolist()], dtype=object)
    return RawTable(table.label, table.columns,
                    np.concatenate([[1], numbers.to_numpy()]).astype(np.int64), row_files=files)
