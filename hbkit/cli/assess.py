"""``hbkit assess DATA``: assess every target, write the HTML and Excel reports, print statuses.

``DATA`` is an observations file (CSV or Excel), or ``example:NAME`` for an
example shipped with hbkit (``example:hebei_example``, simulated). The reports
are written to ``--out`` (default ``reports``) as
``monitoring-report-<as-of>.html`` and ``monitoring-report-<as-of>.xlsx``
(``.en.html`` with ``--lang en``; both HTML files with ``--lang both``; the
workbook is bilingual either way); the final evaluation (终期评估, the
assessment year reaches the plans' target year, e.g. ``--as-of 2025``) as
``final-evaluation-<as-of>.html`` and ``.xlsx`` (the plans' target year when
``--as-of`` is later, as in the report's title). With ``--json`` the assessment
is also written as JSON for other programs (a dashboard, a web front end):
``monitoring-report-<as-of>.json`` (or ``final-evaluation-<as-of>.json``), the
text of :meth:`hbkit.Assessment.to_json` (layout in ``docs/user-guide.md``,
"For developers: JSON export"). With ``--compare-with YEAR`` the same data are
also assessed as of an earlier year (usually last year) and every report says
what changed since (与上年相比: a section of the HTML reports, a sheet of the
workbook; :meth:`hbkit.Assessment.changes_since`).

Exit codes: 0 done; 1 the data have problems (every problem printed as one
table; a file without any value); 2 usage errors (bad arguments, a missing or
unreadable file, an ``--out`` folder that cannot be written).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from hbkit.cli import distinct_notes
from hbkit.cli.arguments import (
    EXAMPLE_PREFIX,
    catalogue_help,
    data_help,
    example_argument,
    seed_help,
    seed_option,
    year_option,
)
from hbkit.cli.notes import hbkit_warnings
from hbkit.exceptions import DataValidationError, FileError, HbkitError, HbkitWarning

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def register(subparsers: Any) -> None:
    """Add the ``assess`` subcommand."""
    parser = subparsers.add_parser(
        "assess", help="评估目标实现情况并生成监测报告 / assess the targets and write the reports",
        description="评估每个目标到目标年份的实现概率与状态，生成 HTML 与 Excel 监测报告并打印状态表 / "
        "assess every target, write the HTML and Excel monitoring reports and print the status "
        "table. Exit 0: done; 1: data problems; 2: usage error.")
    parser.add_argument("data", metavar="DATA",
                        help=data_help("观测数据文件 (.csv, .xlsx)", "observations file (.csv, .xlsx)"))
    parser.add_argument("--catalogue", metavar="FILE",
                        help=catalogue_help("示例自带的目录，否则为随包的两个规划目录", "an example's own, else the shipped catalogue of both plans"))
    parser.add_argument("--as-of", type=year_option("--as-of"), metavar="YEAR", dest="as_of",
                        help="监测年份：只用该年及以前的数据（默认：有数据的最新年份，但不晚于目录的目标年份）"
                        "/ monitoring year: use data up to this year (default: the latest year "
                        "with data, not after the catalogue's last target year)")
    parser.add_argument("--out", metavar="DIR", default="reports",
                        help="报告输出目录（默认：reports）/ folder for the reports (default: reports)")
    parser.add_argument("--lang", choices=("zh", "en", "both"), default="zh",
                        help="报告语言：zh 中文，en 英文，both 中文和英文 HTML 各一份（默认：zh）/ report "
                        "language: zh, en, or both (a Chinese and an English HTML; default: zh)")
    parser.add_argument("--json", action="store_true",
                        help="同时写出 JSON 文件（--out 中的 <报告名>.json，供数据看板等其他程序使用）/ "
                        "also write the assessment as JSON (<report name>.json in --out) for "
                        "other programs, e.g. a dashboard")
    parser.add_argument("--compare-with", type=year_option("--compare-with"), metavar="YEAR", dest="compare_with",
                        help="与该年（如上一年）的监测相比：同一数据也按该年评估，报告其后的变化 / also "
                        "assess the same data as of YEAR (e.g. last year) and report what "
                        "changed since")
    parser.add_argument("--seed", type=seed_option("--seed"), default=0, help=seed_help())
    parser.add_argument("--progress", action="store_true",
                        help="在 stderr 上显示进度（默认：仅当 stderr 是终端时）/ show progress on "
                        "stderr (default: only when stderr is a terminal)")
    parser.set_defaults(func=run)


class Progress:
    """Progress messages on a stream (stderr), with the elapsed time; silent when off.

    >>> import io
    >>> stream = io.StringIO()
    >>> Progress(stream, enabled=True)("评估")
    >>> stream.getvalue().startswith("[")
    True
    >>> Progress(stream, enabled=False)("x")
    """

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream, self.enabled, self.start = stream, enabled, time.monotonic()

    def __call__(self, message: str) -> None:
        if self.enabled:
            print(f"[{time.monotonic() - self.start:5.1f}s] {message}", file=self.stream,
                  flush=True)


@dataclass(frozen=True)
class Inputs:
    """What ``hbkit assess`` runs on: the observations, the catalogue and where they came from."""

    observations: Any
    catalogue: Any
    label: str


def load_inputs(data: str, catalogue_file: str | None) -> Inputs:
    """Read ``DATA`` (a file or ``example:NAME``) and the catalogue.

    Raises :class:`~hbkit.exceptions.DataValidationError` with every problem of
    the data, :class:`~hbkit.exceptions.FileError` for a file that is missing or
    cannot be read, or :class:`~hbkit.exceptions.HbkitError` for an unknown example or
    an example without a catalogue when ``--catalogue`` is not given (``dtp3``: its
    series would all be left out against the shipped plans).
    """
    import hbkit
    from hbkit.cli.validate import has_values, load_catalogue_option, no_observations_message

    catalogue = load_catalogue_option(catalogue_file) if catalogue_file else None
    example = example_argument(data)
    if example is not None:
        if catalogue is None and example.catalogue is None:
            raise HbkitError(f"示例 {example.name!r} 没有目标目录，请用 --catalogue 给出要评估的目标 "
                             f"/ the example {example.name!r} has no catalogue: give the targets "
                             "to assess with --catalogue")
        # hbkit.assess judges an example against its own catalogue or the one given; the
        # series a smaller catalogue does not judge are left out, and a notice counts them
        return Inputs(example, catalogue or example.catalogue, data)
    path = Path(data)
    if not path.exists():
        raise FileError(f"找不到数据文件 / data file not found: {data}", "file-missing", data)
    catalogue = catalogue or hbkit.load_catalogue()
    observations = hbkit.read_observations(path, catalogue)
    if not has_values(observations.frame):
        raise NoObservationsError(no_observations_message(str(path)))
    return Inputs(observations, catalogue, str(path))


class NoObservationsError(HbkitError):
    """The data file has no observation with a value (an unfilled template): a data problem."""


def check_out_folder(out: str | Path) -> None:
    """Raise :class:`~hbkit.exceptions.HbkitError` when the reports could not be written to ``out``.

    Checked before the assessment (which takes a while); nothing is created:
    ``out`` must be a folder or not exist yet, below a folder one can write in.

    >>> check_out_folder("/etc/passwd/r")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: 无法写入报告输出目录 --out /etc/passwd/r：/etc/passwd 不是文件夹 / cannot write the reports to --out /etc/passwd/r: /etc/passwd is not a folder
    """
    folder = Path(out)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        zh, en = f"{existing} 不是文件夹", f"{existing} is not a folder"
    elif not os.access(existing, os.W_OK | os.X_OK):
        zh, en = f"没有 {existing} 的写入权限", f"no permission to write in {existing}"
    else:
        return
    raise HbkitError(f"无法写入报告输出目录 --out {out}：{zh} / cannot write the reports to "
                     f"--out {out}: {en}")


def report_paths(out: str | Path, as_of: int | None, lang: str, final: bool = False
                 ) -> tuple[dict[str, Path], Path]:
    """Paths of the HTML reports (by language) and of the Excel report for ``as_of``.

    ``lang`` is ``"zh"``, ``"en"`` or ``"both"``. The final evaluation
    (``final``: the assessment year reaches the plans' target year) is named
    ``final-evaluation-<as-of>``, the annual report ``monitoring-report-<as-of>``.

    >>> html, xlsx = report_paths("reports", 2023, "zh")
    >>> [p.name for p in html.values()], xlsx.name
    (['monitoring-report-2023.html'], 'monitoring-report-2023.xlsx')
    >>> [p.name for p in report_paths("r", 2023, "both")[0].values()]
    ['monitoring-report-2023.html', 'monitoring-report-2023.en.html']
    >>> report_paths("r", 2025, "zh", final=True)[1].name
    'final-evaluation-2025.xlsx'
    """
    kind = "final-evaluation" if final else "monitoring-report"
    stem = f"{kind}-{as_of if as_of is not None else 'all'}"
    folder = Path(out)
    langs = ("zh", "en") if lang == "both" else (lang,)
    html = {code: folder / (f"{stem}.html" if code == "zh" else f"{stem}.{code}.html")
            for code in langs}
    return html, folder / f"{stem}.xlsx"


def status_table(assessment: Any, lang: str = "zh") -> str:
    """The status table printed by ``hbkit assess``: one line per quantitative target x area.

    Qualitative targets are counted in a closing line (not listed); the last
    lines give the counts by status. At the final evaluation (终期评估) a row
    decided by its observed target-year value has no projection or probability:
    the table gives the outcome (判定结果: 满足 / 不满足判定规则) instead, and
    keeps the projection and probability columns only while some row is still
    judged on them, as the Markdown report does.
    """
    from hbkit.report import tables
    from hbkit.report.plain import aligned_table, is_missing, truncate
    from hbkit.report.wording import heading_label

    shown = tables.display_targets(tables.targets_table(assessment, lang), lang,
                                   tuple(getattr(assessment, "level", (80, 95))),
                                   names=tables.area_names(assessment))
    listed = shown[shown["status"] != "not_quantifiable"]
    decided = listed["decided"].astype(bool)
    projection = [] if len(decided) and decided.all() else ["projected", "probability"]
    columns = ["target_id", "name", "geo_text", "latest_value", *projection,
               *(["outcome"] if decided.any() else []), "status_text", "warnings"]
    headers = [tables.header(c, lang) for c in columns]
    # only the long names are cut: ids, statuses and warnings are shown whole
    rows = [[truncate(str(cell), 28) if i == 1 and not is_missing(cell) else cell
             for i, cell in enumerate(row)] for row in listed[columns].to_numpy().tolist()]
    right = [i for i, c in enumerate(columns) if c in ("latest_value", "projected", "probability")]
    lines = [aligned_table(rows, headers, right=right)]
    qualitative = len(shown) - len(listed)
    if qualitative:
        lines.append(f"另有 {qualitative} 项定性目标未列出（不评分）" if lang == "zh"
                     else f"{qualitative} qualitative targets not listed (never scored)")
    counts = tables.status_totals(assessment)
    lines.append(("状态合计：" if lang == "zh" else "Statuses: ") + ("，" if lang == "zh" else ", ").join(
        f"{heading_label(assessment, status, lang)} {count}"
        for status, count in counts.items() if count))
    return "\n".join(lines)


def print_problems(error: DataValidationError, data: str, stream: TextIO) -> None:
    """Print every problem of the data as one table (the rule whole; a long value cut)."""
    from hbkit.cli.validate import problem_table

    count = len(error.problems)
    print(f"数据校验未通过：发现 {count} 个问题 / data validation failed: "
          f"{'1 problem' if count == 1 else f'{count} problems'} in {data}", file=stream)
    print(problem_table(error.problems), file=stream)


def assess_inputs(inputs: Inputs, *, as_of: int | None, seed: int,
                  progress: Callable[[str], None], compare_with: int | None = None
                  ) -> tuple[Any, Any]:
    """Assess the inputs; with ``compare_with``, also as of that earlier year.

    Returns (assessment, earlier assessment or ``None``). ``compare_with``
    must be before the assessment's year (an :class:`~hbkit.exceptions.HbkitError`
    otherwise).
    """
    if compare_with is not None:  # a year before the data is refused before the long run
        _check_compare_year(inputs, as_of, compare_with)
    progress("评估中 / assessing ...")
    assessment = _assess_as(inputs, as_of, seed, "--as-of")
    if compare_with is None:
        return assessment, None
    if assessment.as_of is not None and compare_with >= assessment.as_of:
        raise HbkitError(f"比较年份（--compare-with）{compare_with} 须早于监测年份 "
                         f"{assessment.as_of} / --compare-with {compare_with} must be before "
                         f"the assessment year {assessment.as_of}")
    progress(f"评估 {compare_with} 年以作比较 / assessing as of {compare_with} to compare ...")
    return assessment, _assess_as(inputs, compare_with, seed, "--compare-with")


def _check_compare_year(inputs: Inputs, as_of: int | None, compare_with: int) -> None:
    """``--compare-with`` before every year of the data, or not before ``--as-of``: the
    error the assessment would give at the end, given before it starts."""
    from hbkit.assessment.inputs import observation_frame, resolve_as_of

    if as_of is not None and compare_with >= as_of:
        raise HbkitError(f"比较年份（--compare-with）{compare_with} 须早于监测年份 {as_of} / "
                         f"--compare-with {compare_with} must be before the assessment year "
                         f"{as_of}")
    frame = observation_frame(inputs.observations, inputs.catalogue)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HbkitWarning)  # only the error matters here: the
        # assessment says the rest (another library's warning is said once, as a note)
        try:
            resolve_as_of(frame, compare_with)
        except HbkitError as exc:
            raise HbkitError(_option_words(str(exc), "--compare-with")) from None


def _for_the_command_line(message: str, data: str, catalogue: str | None = None) -> str:
    """A library note as the command line says it: ``hbkit validate DATA`` (with the same
    ``--catalogue``) lists the rows the library keeps in ``.warnings`` / ``.excluded``
    (attributes a command-line user cannot see); the rows of ``.warnings`` are also in
    the reports (数据提醒 / Data warnings).

    >>> _for_the_command_line("2 行需要核对，仍照原样使用 / 2 rows to check, used as they are "
    ...                       "(listed in .warnings)", "上报.csv")
    '2 行需要核对，仍照原样使用（hbkit validate 上报.csv 逐行列出，报告的“数据提醒”也列出）/ 2 rows to check, used as they are (hbkit validate 上报.csv lists them, and so do the reports under Data warnings)'
    >>> _for_the_command_line("… / … (listed in .excluded)", "a b.csv", "目录.yaml")
    "…（hbkit validate 'a b.csv' --catalogue 目录.yaml 逐行列出）/ … (hbkit validate 'a b.csv' --catalogue 目录.yaml lists them)"
    """
    def word(path: str) -> str:  # quoted only when a shell would split it (not for 上报.csv)
        return shlex.quote(path) if re.search(r"[\s'\"$&;|<>()*?`\\]", path) else path

    command = " ".join(["hbkit validate", word(str(data)),
                        *(["--catalogue", word(str(catalogue))] if catalogue else [])])
    for attribute in (".warnings", ".excluded"):
        listed = f"(listed in {attribute})"
        if listed in message:
            zh, _, en = message.partition(" / ")
            # the reports carry the data warnings (the assessment keeps .warnings)
            also_zh, also_en = (("，报告的“数据提醒”也列出", ", and so do the reports under Data warnings")
                                if attribute == ".warnings" else ("", ""))
            return (f"{zh}（{command} 逐行列出{also_zh}）/ "
                    + en.replace(listed, f"({command} lists them{also_en})"))
    return message


def _option_words(message: str, option: str) -> str:
    """A library message about ``as_of`` in the words of the command line: the option's name.

    >>> _option_words("监测年份1990年早于… / as_of 1990 is before …", "--compare-with")
    '比较年份（--compare-with）1990年早于… / --compare-with 1990 is before …'
    """
    zh = "比较年份（--compare-with）" if option == "--compare-with" else "监测年份（--as-of）"
    return message.replace("监测年份", zh, 1).replace("as_of", option)


def _assess_as(inputs: Inputs, year: int | None, seed: int, option: str) -> Any:
    """``hbkit.assess`` as of ``year``; its errors and warnings name the ``option`` given."""
    import hbkit

    with hbkit_warnings() as caught:
        try:
            assessment = hbkit.assess(inputs.observations, catalogue=inputs.catalogue,
                                      as_of=year, seed=seed)
        except DataValidationError:
            raise
        except HbkitError as exc:
            raise HbkitError(_option_words(str(exc), option)) from None
    for caught_warning in caught:  # hbkit's: another library's was said as it happened
        warnings.warn(caught_warning.category(_option_words(str(caught_warning.message), option)),
                      stacklevel=2)
    return assessment


def report_year(assessment: Any) -> int | None:
    """The year the reports are named after: the one in their title.

    The assessment year, except for a final evaluation assessed after the
    plans' target year (data to 2023, ``--as-of 2099``): the title and the
    file name then give the target year (2025).
    """
    year = assessment.as_of
    if year is not None and bool(getattr(assessment, "final", False)):
        target_years = assessment.frame["target_year"].dropna()
        if len(target_years):
            year = min(int(year), int(target_years.max()))
    return year


def write_reports(assessment: Any, *, out: str | Path, lang: str,
                  progress: Callable[[str], None], json: bool = False, previous: Any = None
                  ) -> tuple[list[Path], Path, Path | None]:
    """Write the HTML report(s), the Excel report and, with ``json``, the JSON.

    Returns (HTML paths, Excel path, JSON path or ``None``); ``lang="both"``
    writes the Chinese and the English HTML. The JSON file sits beside the
    workbook, with the suffix ``.json``. With ``previous`` (an earlier
    assessment) every report says what changed since (与上年相比).
    """
    from hbkit.report import write_excel, write_html

    html_paths, excel_path = report_paths(out, report_year(assessment), lang,
                                          final=bool(getattr(assessment, "final", False)))
    for code, html_path in html_paths.items():
        progress(f"绘制图表并写入 HTML / drawing charts, writing HTML ({code}) ...")
        write_html(assessment, html_path, lang=code, progress=lambda m: progress(f"  {m}"),
                   previous=previous)
    progress("写入 Excel / writing Excel ...")
    write_excel(assessment, excel_path, previous=previous)
    json_path = None
    if json:
        progress("写入 JSON / writing JSON ...")
        json_path = excel_path.with_suffix(".json")
        assessment.to_json(json_path, previous=previous)
    return list(html_paths.values()), excel_path, json_path


def assess_and_report(inputs: Inputs, *, as_of: int | None, out: str | Path, lang: str,
                      seed: int, progress: Callable[[str], None], json: bool = False,
                      compare_with: int | None = None
                      ) -> tuple[Any, list[Path], Path, Path | None]:
    """:func:`assess_inputs` then :func:`write_reports`, in one call.

    Returns (assessment, HTML paths, Excel path, JSON path or ``None``).
    """
    assessment, previous = assess_inputs(inputs, as_of=as_of, seed=seed, progress=progress,
                                         compare_with=compare_with)
    return (assessment, *write_reports(assessment, out=out, lang=lang, progress=progress,
                                       json=json, previous=previous))


def run(args: argparse.Namespace) -> int:
    """Run ``hbkit assess``; return the exit code."""
    show = bool(getattr(args, "progress", False)) or sys.stderr.isatty()
    progress = Progress(sys.stderr, enabled=show)
    check_out_folder(args.out)
    progress(f"读取数据 / reading {args.data} ...")
    try:
        with hbkit_warnings() as caught:
            inputs = load_inputs(args.data, args.catalogue)
            assessment, previous = assess_inputs(
                inputs, as_of=args.as_of, seed=args.seed, progress=progress,
                compare_with=getattr(args, "compare_with", None))
            html_paths, excel_path, json_path = write_reports(
                assessment, out=args.out, lang=args.lang, progress=progress,
                json=bool(getattr(args, "json", False)), previous=previous)
    except DataValidationError as exc:
        from hbkit.cli.validate import shipped_catalogue_note

        print_problems(exc, args.data, sys.stdout)
        note = (None if str(args.data).startswith(EXAMPLE_PREFIX)
                else shipped_catalogue_note(exc.problems, args.catalogue))
        if note:  # a note, on stderr (hbkit.cli.notes): stdout keeps the problem table
            print(note, file=sys.stderr)
        return EXIT_PROBLEMS
    except NoObservationsError as exc:
        print(f"hbkit: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        raise HbkitError(f"无法读写文件 / cannot read or write a file: {exc}") from None
    for warning in distinct_notes(caught):
        print(f"注意 / note: {_for_the_command_line(str(warning), args.data, args.catalogue)}",
              file=sys.stderr)
    shown_lang = "zh" if args.lang == "both" else args.lang
    with pd.option_context("display.width", 250):
        print(status_table(assessment, shown_lang))
    if previous is not None:
        from hbkit.report.changes import changes_sentence

        print(changes_sentence(assessment, previous, shown_lang))
    print()
    written = (*html_paths, excel_path, *([json_path] if json_path is not None else []))
    print("报告 / reports:\n" + "".join(f"  {path}\n" for path in written), end="")
    return EXIT_OK


__all__ = ["Inputs", "Progress", "assess_and_report", "check_out_folder", "assess_inputs", "load_inputs",
           "register", "report_paths", "run", "status_table", "write_reports"]
