"""``hbkit validate FILE``: check an observations file (or ``example:NAME``, a shipped
example) and print every problem.

Exit codes: 0 no problem, 1 problems found (all printed as one table), 2 usage
errors (missing or unreadable file, bad arguments). Warnings (rows used as they
are that look wrong beside the others, ``Observations.warnings``) and unit
conversions are printed as tables but do not change the exit code: 0.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from hbkit.cli.arguments import catalogue_help, data_help
from hbkit.exceptions import DataValidationError

EXIT_OK, EXIT_PROBLEMS = 0, 1
_SHOWN = ["file", "row", "column", "value", "rule"]


def register(subparsers: Any) -> None:
    """Add the ``validate`` subcommand."""
    parser = subparsers.add_parser(
        "validate", help="检查观测数据文件 / check an observations file",
        description="检查观测数据文件并列出全部问题。退出码 0：无问题（提醒与单位换算列出，但不算问题）；"
        "1：有问题；2：用法错误 / check an observations file (CSV or Excel) and list every "
        "problem. Exit 0: no problem (warnings and unit conversions are listed but do not "
        "fail); 1: problems; 2: usage error.")
    parser.add_argument("file", metavar="DATA",
                        help=data_help("观测数据文件 (.csv, .xlsx)", "observations file (.csv, .xlsx)"))
    parser.add_argument("--catalogue", metavar="FILE",
                        help=catalogue_help("示例自带的目录，否则为随包的两个规划目录", "an example's own, else the shipped catalogue of both plans"))
    parser.add_argument("--no-catalogue", action="store_true",
                        help="不对照目标目录检查 / do not check against a catalogue")
    parser.add_argument("--sheet", help="工作表名称，或其开头（只有一个工作表以此开头时，如模板的“健康 health”"
                        "写 健康；默认：全部工作表）/ worksheet name, or its start when only one "
                        "sheet starts so (default: every sheet)")
    parser.add_argument("--unknown", choices=("error", "exclude"), default="error",
                        help="目录外的指标：error 报错（默认）或 exclude 排除 / indicators not in the "
                        "catalogue: error (default) or exclude")
    parser.add_argument("--all", action="store_true", dest="all_rows",
                        help="列出全部排除的行，包括未填写的指标行（默认只给出行数）/ list every "
                        "excluded row, the indicator rows left blank too (by default only "
                        "their number is given)")
    parser.set_defaults(func=run)


def load_catalogue_option(path: str | None, plan: str | None = None) -> Any:
    """The catalogue named on the command line, or the shipped one (optionally one plan).

    ``example:NAME`` names the catalogue of an example shipped with hbkit
    (``example:china``: the national plans' targets), an
    :class:`~hbkit.exceptions.HbkitError` for an example without one. What reading
    a file noted (a blank target year taken from the other rows,
    :class:`~hbkit.exceptions.CatalogueWarning`) is printed to stderr as a note, beside
    the catalogue's problems too; another library's warning goes to the command's notes
    (:mod:`hbkit.cli.notes`).

    >>> len(load_catalogue_option("example:china", "children")) > 0
    True
    >>> load_catalogue_option("example:dtp3")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: 示例 'dtp3' 没有目标目录 / the example 'dtp3' has no catalogue
    """
    import hbkit
    from hbkit.cli.arguments import example_argument
    from hbkit.cli.notes import hbkit_warnings
    from hbkit.exceptions import CatalogueWarning, HbkitError

    if not path:
        return hbkit.load_catalogue(plan)
    example = example_argument(path)
    if example is not None:
        if example.catalogue is None:
            raise HbkitError(f"示例 {example.name!r} 没有目标目录 / the example {example.name!r} "
                             "has no catalogue")
        catalogue = example.catalogue
    else:
        with hbkit_warnings() as caught:
            try:
                catalogue = hbkit.Catalogue.from_file(path)
            finally:  # a note is said beside the catalogue's problems too
                for note in caught:
                    if issubclass(note.category, CatalogueWarning):
                        print(f"注意 / note: {note.message}", file=sys.stderr)
        for note in caught:  # another hbkit warning: for the command to say
            if not issubclass(note.category, CatalogueWarning):
                warnings.warn_explicit(note.message, note.category, note.filename, note.lineno)
    return catalogue.filter(plan=plan) if plan else catalogue


#: the headers of the problem table, Chinese first
_HEADERS = {"file": "文件 File", "row": "行号 Row", "column": "列 Column",
            "value": "收到的值 Value", "rule": "规则 Rule", "code": "规则代码 Code"}
#: a value cell longer than this is cut with "…" (a whole spreadsheet row pasted in one cell)
VALUE_WIDTH = 40


def problem_table(frame: pd.DataFrame, shown_columns: Sequence[str] = _SHOWN) -> str:
    """Problems (or warnings, conversions, excluded rows) as an aligned bilingual table.

    The rule is shown whole; a long received value is cut at :data:`VALUE_WIDTH`; a
    line break in a cell (a two-line header ``单位\nUnit``) is shown as a space, so
    that the rows stay aligned.

    >>> frame = pd.DataFrame({"file": ["a.csv"], "row": [3], "column": ["数值"],
    ...                       "value": ["x" * 60], "rule": ["数值须为数字 / not a number"]})
    >>> print(problem_table(frame))  # doctest: +NORMALIZE_WHITESPACE
    文件 File  行号 Row  列 Column  收到的值 Value                            规则 Rule
    ---------  --------  ---------  ----------------------------------------  ---------------------------
    a.csv             3  数值       xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…  数值须为数字 / not a number
    """
    from hbkit.report.plain import aligned_table, truncate

    columns = [c for c in shown_columns if c in frame.columns]
    def shown(column: str, cell: object) -> object:
        if not isinstance(cell, str):
            return cell
        cell = " ".join(cell.split("\n")).replace("\r", "")
        return truncate(cell, VALUE_WIDTH) if column == "value" else cell

    rows = [[shown(column, cell) for column, cell in zip(columns, row, strict=True)]
            for row in frame[columns].astype(object).to_numpy().tolist()]
    right = [columns.index("row")] if "row" in columns else []
    return aligned_table(rows, [_HEADERS[c] for c in columns], right=right)


def _print_table(frame: pd.DataFrame) -> None:
    print(problem_table(frame))


def _row_count(*frames: pd.DataFrame) -> int:
    """Distinct (file, row) pairs: a wide row gives several observations but is one row."""
    pairs: set[tuple[str, int]] = set()
    for frame in frames:
        pairs.update(zip(frame["file"].astype(str), frame["row"].astype(int), strict=True))
    return len(pairs)


def run(args: argparse.Namespace) -> int:
    """Validate ``args.file`` (a file or ``example:NAME``); print the outcome; return the exit code."""
    from hbkit._options import check_sheet
    from hbkit.cli.arguments import example_argument
    from hbkit.cli.notes import hbkit_warnings
    from hbkit.observations import read_observations

    sheet = check_sheet(args.sheet)  # before the note below: --sheet "" is refused for a CSV too
    example = example_argument(args.file)
    catalogue = _catalogue(args, example)
    if sheet is not None and (example is not None
                              or str(args.file).lower().endswith((".csv", ".txt", ".tsv"))):
        what = ("随包示例", "an example") if example is not None else ("CSV 文件", "a CSV file")
        print(f"注意：{what[0]}没有工作表，--sheet {sheet} 已忽略 / note: {what[1]} has no "
              f"worksheets; --sheet {sheet} is ignored", file=sys.stderr)
        sheet = None
    with hbkit_warnings() as caught:
        try:
            if example is None:
                obs = read_observations(args.file, catalogue, sheet=sheet, unknown=args.unknown)
            else:
                obs = _read_example(example, catalogue)
        except DataValidationError as exc:
            print(problems_found(len(exc.problems), args.file))
            _print_table(_labelled(exc.problems, args.file))
            note = (None if args.no_catalogue or example is not None
                    else shipped_catalogue_note(exc.problems, args.catalogue))
            if note:  # a note, on stderr: `hbkit validate data.csv > problems.txt` keeps the table
                print(note, file=sys.stderr)
            return EXIT_PROBLEMS
    for warning in caught:
        if "(listed in ." in str(warning.message):  # the tables below list those rows
            continue
        print(f"注意 / note: {warning.message}", file=sys.stderr)
    if example is not None:
        obs = _labelled_observations(obs, args.file)
    used = _row_count(obs.frame)
    read = _row_count(obs.frame, obs.excluded)
    if not has_values(obs.frame):
        print(no_observations_message(args.file))
        print(f"读取 {read} 行，使用 {used} 行，排除 {read - used} 行 / "
              f"rows read {read}, used {used}, excluded {read - used}")
        return EXIT_PROBLEMS
    if len(obs.warnings):
        n = len(obs.warnings)
        print(f"没有发现错误，但有 {n} 条提醒需要核对 / no errors, but "
              f"{'1 warning' if n == 1 else f'{n} warnings'} to check: {args.file}")
    else:
        print(f"没有发现问题 / no problems: {args.file}")
    print(f"读取 {read} 行，使用 {used} 行，排除 {read - used} 行；"
          f"得到 {len(obs.frame)} 条观测，其中 {len(obs.missing)} 条数值缺失 / "
          f"rows read {read}, used {used}, excluded {read - used}; "
          f"{'1 observation' if len(obs.frame) == 1 else f'{len(obs.frame)} observations'}, "
          f"{len(obs.missing)} with a missing value")
    if len(obs.warnings):
        print("请核对（这些行照原样使用）/ warnings (these rows are used as they are):")
        _print_table(obs.warnings)
    converted = obs.changes[obs.changes["code"] == "unit-converted"]
    if len(converted):
        print("已换算单位的行（请核对单位是否填对）/ unit conversions made (check the units "
              "written):")
        _print_table(converted)
    _print_excluded(_listed_excluded(obs.excluded, example),
                    bool(getattr(args, "all_rows", False)))
    later, plan_end = after_the_plan(obs.frame, catalogue)
    if len(later):
        n = len(later)
        # a finding on the data, listed as the warnings are (on stdout): no note
        print(f"{n} 条观测的年份晚于目录的目标年份{plan_end}年，请核对年份（hbkit assess 不指定"
              f"评估年份时评估到规划期内有数据的最近年份）/ "
              f"{'1 observation is' if n == 1 else f'{n} observations are'} after the "
              f"catalogue's target year {plan_end}; check the years (without --as-of, hbkit "
              "assess stops at the plan's latest year with data):")
        with pd.option_context("display.width", 250):
            print(later.to_string(index=False))
    return EXIT_OK


def _catalogue(args: argparse.Namespace, example: Any) -> Any:
    """The catalogue to check against: none with ``--no-catalogue``, the ``--catalogue``
    given, an example's own (a note when it has none: checked without one), else the
    shipped one."""
    if args.no_catalogue:
        return None
    if args.catalogue or example is None:
        return load_catalogue_option(args.catalogue)
    if example.catalogue is None:
        print(f"注意：示例 {example.name!r} 没有目标目录，不对照目录检查（可用 --catalogue 给出）/ "
              f"note: the example {example.name!r} has no catalogue, so it is checked without "
              "one (give one with --catalogue)", file=sys.stderr)
    return example.catalogue


def _read_example(example: Any, catalogue: Any) -> Any:
    """An example's observations read as ``hbkit assess example:NAME`` reads them: the
    rows of indicators the catalogue does not judge are left out, and a note counts them
    (:func:`hbkit.assessment.inputs.note_excluded`)."""
    from hbkit.assessment.inputs import note_excluded
    from hbkit.observations import read_observations

    obs = read_observations(example.observations, catalogue, unknown="exclude")
    note_excluded(obs.excluded, example.name)
    return obs


def _labelled(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """``frame`` with the file column of rows read from a DataFrame (an example) named
    ``label`` (``example:china``) rather than ``<DataFrame>``.

    >>> _labelled(pd.DataFrame({"file": ["<DataFrame>"], "row": [2]}), "example:china")["file"].tolist()
    ['example:china']
    """
    if "file" not in frame.columns:
        return frame
    return frame.assign(file=frame["file"].replace("<DataFrame>", label))


def _labelled_observations(obs: Any, label: str) -> Any:
    """An example's observations as the tables print them: the file named ``label``."""
    from dataclasses import replace

    return replace(obs, **{name: _labelled(getattr(obs, name), label)
                           for name in ("frame", "excluded", "missing", "changes", "warnings")})


def _listed_excluded(excluded: pd.DataFrame, example: Any) -> pd.DataFrame:
    """The excluded rows listed: of an example, not those of indicators the catalogue
    does not judge (a note counts them, as ``hbkit assess example:NAME`` says)."""
    if example is None or "code" not in excluded.columns:
        return excluded
    return excluded[excluded["code"] != "unknown-indicator-excluded"]


def shipped_catalogue_note(problems: Any, catalogue_option: str | None) -> str | None:
    """What to say when indicators are unknown and no ``--catalogue`` was given.

    The data were then checked against the shipped catalogue; data of one's own
    catalogue (another district's, the next plans') need ``--catalogue FILE``.
    ``None`` when a catalogue was given or no indicator is unknown.

    >>> import pandas as pd
    >>> print(shipped_catalogue_note(pd.DataFrame({"code": ["unknown-indicator"]}), None))
    注意 / note: 1 行的指标不在目录中：本次没有给出 --catalogue，按随包目录（河北区妇女和儿童发展“十四五”规划）检查；这些数据若属于您自己的目录（如下一期规划、其他区的规划），请加 --catalogue 目录文件 / 1 row has an indicator not in the catalogue: no --catalogue was given, so the shipped one (Hebei District's plans, 2021-2025) was used; for data of your own catalogue (the next plans, another district's) add --catalogue FILE
    >>> shipped_catalogue_note(pd.DataFrame({"code": ["unknown-indicator"]}), "mine.yaml") is None
    True
    """
    if catalogue_option or "code" not in problems:
        return None
    count = int((problems["code"] == "unknown-indicator").sum())
    if not count:
        return None
    from hbkit import load_catalogue

    name = load_catalogue().name_zh
    rows = "1 row has an indicator" if count == 1 else f"{count} rows have indicators"
    return (f"注意 / note: {count} 行的指标不在目录中：本次没有给出 --catalogue，按随包目录（{name}）检查；"
            "这些数据若属于您自己的目录（如下一期规划、其他区的规划），请加 --catalogue 目录文件 / "
            f"{rows} not in the catalogue: no --catalogue was given, so the shipped one "
            "(Hebei District's plans, 2021-2025) was used; for data of your own catalogue (the "
            "next plans, another district's) add --catalogue FILE")


def problems_found(count: int, file: object) -> str:
    """The first line of the problem table.

    >>> problems_found(1, "a.csv"), problems_found(3, "a.csv")
    ('发现 1 个问题 / 1 problem found in a.csv:', '发现 3 个问题 / 3 problems found in a.csv:')
    """
    return (f"发现 {count} 个问题 / {'1 problem' if count == 1 else f'{count} problems'} "
            f"found in {file}:")


#: the excluded rows summarised in one line unless ``--all``: a template's rows left blank
BLANK_CODES = ("wide-row-blank",)


def _print_excluded(excluded: pd.DataFrame, every: bool) -> None:
    """The excluded rows; the indicator rows left blank (a department's partly filled
    template) are counted in one line unless ``every`` (``--all``)."""
    if excluded.empty:
        return
    blank = excluded["code"].isin(BLANK_CODES) if "code" in excluded else None
    shown = excluded if every or blank is None else excluded[~blank]
    if len(shown):
        print("已排除的行 / excluded rows:")
        _print_table(shown)
    if blank is not None and not every and blank.any():
        n = int(blank.sum())
        print(f"{n} 个指标行未填写，已排除（加 --all 逐行列出）/ "
              f"{'1 indicator row' if n == 1 else f'{n} indicator rows'} left blank, excluded "
              "(--all lists them)")


def has_values(frame: pd.DataFrame) -> bool:
    """Whether any observation has a value (an unfilled template or a header-only CSV has none).

    >>> has_values(pd.DataFrame({"value": [float("nan")]})), has_values(pd.DataFrame({"value": [1.0]}))
    (False, True)
    """
    if frame.empty or "value" not in frame:
        return False
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
    return bool(np.isfinite(values).any())


def no_observations_message(file: str) -> str:
    """What ``validate`` and ``assess`` say of a file without any value."""
    return (f"文件中没有观测数据（没有填写数值的行）/ no observations in {file} "
            "(no row with a value)")


def after_the_plan(frame: pd.DataFrame, catalogue: Any) -> tuple[pd.DataFrame, int | None]:
    """Observations with a value after the catalogue's last target year (a mistyped 2032?),
    and that year.

    >>> import hbkit
    >>> cat = hbkit.Catalogue([hbkit.Target(id="C-imr", indicator="imr", kind="upper_bound",
    ...                                     threshold=5.0, unit="per_1000", target_year=2025)])
    >>> frame = pd.DataFrame({"file": "a.csv", "row": [2, 3], "indicator": "imr",
    ...                       "geo": "河北区", "year": [2023, 2032], "value": [4.1, 3.9]})
    >>> later, end = after_the_plan(frame, cat)
    >>> end, later["row"].tolist()
    (2025, [3])
    """
    plan_end = None if catalogue is None else catalogue.last_target_year
    if plan_end is None or frame.empty:
        return frame.iloc[:0], plan_end
    columns = [c for c in ("file", "row", "indicator", "geo", "year", "value") if c in frame]
    valued = np.isfinite(pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float))
    return frame.loc[(frame["year"] > plan_end).to_numpy() & valued, columns], plan_end


__all__ = ["after_the_plan", "has_values", "problems_found", "shipped_catalogue_note", "problem_table", "load_catalogue_option", "no_observations_message",
           "register", "run"]
