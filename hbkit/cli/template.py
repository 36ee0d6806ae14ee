"""``hbkit template --years 2021-2025 OUT.xlsx``: write the data reporting template."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any

from hbkit._typing import EACH_UNIT_ZH, EACH_UNITS
from hbkit.catalogue.models import Target
from hbkit.cli.arguments import catalogue_help
from hbkit.exceptions import HbkitError

_RANGE = re.compile(r"^\s*(\d{4})\s*[-–~]\s*(\d{4})\s*$")


def parse_years(text: str) -> list[int]:
    """``"2021-2025"`` or ``"2021,2023"`` -> list of years.

    Examples
    --------
    >>> parse_years("2021-2023"), parse_years("2020, 2022")
    ([2021, 2022, 2023], [2020, 2022])
    >>> parse_years("soon")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: --years 须为如 2021-2025 的年份范围 / --years takes a range such as 2021-2025 or a list 2021,2022; received 'soon'
    """
    match = _RANGE.match(text)
    try:
        if match:
            first, last = int(match.group(1)), int(match.group(2))
            if first > last:
                raise HbkitError(f"--years 的第一年 {first} 晚于最后一年 {last}（应写 {last}-{first}）"
                                 f" / --years: the first year {first} is after the last, {last} "
                                 f"(write {last}-{first}); received {text!r}")
            return list(range(first, last + 1))
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise HbkitError(
            "--years 须为如 2021-2025 的年份范围 / --years takes a range such as 2021-2025 or a "
            f"list 2021,2022; received {text!r}") from None


def register(subparsers: Any) -> None:
    """Add the ``template`` subcommand."""
    parser = subparsers.add_parser(
        "template", help="生成数据上报模板 / write the Excel data reporting template",
        description="生成数据上报模板 / write the Excel workbook departments fill in")
    parser.add_argument("out", metavar="OUT.xlsx",
                        help="要写入的 Excel 文件（.xlsx）/ Excel file to write (.xlsx)")
    parser.add_argument("--years", required=True,
                        help="模板的年份，如 2021-2025 或 2021,2022 / years of the template, "
                        "e.g. 2021-2025 or 2021,2022")
    parser.add_argument("--catalogue", metavar="FILE",
                        help=catalogue_help("随包的两个规划目录", "the shipped catalogue of both "
                                            "plans"))
    parser.add_argument("--plan", choices=("women", "children"),
                        help="只含一个规划 / one plan only")
    parser.add_argument("--geo", help="地区（默认：目录的 default_geo；CSV 目录没有，用 河北区 并给出提示）/ "
                                      "area (default: the catalogue's default_geo; a CSV "
                                      "catalogue names none and gets 河北区, with a note)")
    parser.add_argument("--streets", metavar="LIST",
                        help="以街为单位的目标所需的街道，逗号或顿号分隔（默认：地区为河北区时用其十个街道，"
                             "否则没有）/ streets of each-street targets, comma-separated "
                             "(default: Hebei District's ten streets when the area is 河北区, "
                             "else none)")
    parser.add_argument("--units", metavar="UNIT=LIST", action="append",
                        help="逐个单位考核的目标所需的单位，如 社区卫生服务中心=甲中心,乙中心（可重复；河北区"
                             "默认：妇女规划列出的领导班子和部门）/ the units of targets judged unit "
                             "by unit, e.g. community_health_centre=A,B (repeatable; default for "
                             "河北区: the leadership teams and departments the women's plan names)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the template; print where, and its notes on stderr; return 0."""
    from hbkit.cli import distinct_notes
    from hbkit.cli.notes import hbkit_warnings
    from hbkit.cli.validate import load_catalogue_option
    from hbkit.template import observation_template

    check_xlsx_name(args.out)
    years = parse_years(args.years)
    catalogue = load_catalogue_option(args.catalogue, args.plan)
    streets = parse_streets(args.streets)
    units = parse_units(args.units)
    with hbkit_warnings() as caught:
        path = observation_template(catalogue, years, args.out, geo=args.geo, streets=streets,
                                    units=units)
    print(f"已写入数据上报模板 / template written: {path}")
    for note in distinct_notes(caught):
        print(f"注意 / note: {command_line_words(note)}", file=sys.stderr)
    for note in unused_unit_notes(catalogue, streets, units):
        print(note, file=sys.stderr)
    return 0


def command_line_words(note: str) -> str:
    """A note of :func:`hbkit.observation_template` in the command line's words: the
    options that name a unit's names (``--streets``, ``--units``) for the ``units``
    argument of Python.

    >>> from hbkit.template import unnamed_note
    >>> note = unnamed_note({"street": ["C-imm"], "school": ["C-psy"]}, "和平区")
    >>> words = command_line_words(note)
    >>> "units=" in words, words.count("（--streets 街道1,街道2, --units school=名称1,名称2）")
    (False, 1)
    >>> words.count("(--streets 街道1,街道2, --units school=名称1,名称2)")
    1
    """
    from hbkit.template import STREET, units_argument

    for kind in EACH_UNITS:
        option = "--streets 街道1,街道2" if kind == STREET else f"--units {kind}=名称1,名称2"
        note = note.replace(units_argument(kind), option)
    return note


def unused_unit_notes(catalogue: Iterable[Target], streets: list[str] | None,
                      units: dict[str, list[str]] | None) -> list[str]:
    """A note for each ``--streets`` or ``--units`` kind given that no target of the
    catalogue is judged by: the option was not used.

    >>> from hbkit.catalogue.models import Target
    >>> imr = Target(id="C-imr", indicator="imr", kind="upper_bound", threshold=3, unit="per_1000")
    >>> print(unused_unit_notes([imr], ["大王庄街道"], None)[0])
    注意：目录中没有按街道逐个考核的目标（分单位达标 = street），--streets 未使用 / note: the catalogue has no target judged per street (each_unit street), so --streets was not used
    """
    from hbkit.template import STREET, unit_names

    judged = {str(t.each_unit) for t in catalogue if t.each_unit and t.is_quantitative}
    notes = []
    for kind in sorted(set(unit_names("", streets, units)) - judged):  # named on the command line
        option = "--streets" if kind == STREET else f"--units {kind}"
        notes.append(f"注意：目录中没有按{EACH_UNIT_ZH.get(kind, kind)}逐个考核的目标（分单位达标 = "
                     f"{kind}），{option} 未使用 / note: the catalogue has no target judged per "
                     f"{kind} (each_unit {kind}), so {option} was not used")
    return notes


def check_xlsx_name(out: str) -> None:
    """Refuse a file name not ending in ``.xlsx``: the template is an Excel workbook.

    >>> check_xlsx_name("模板.xlsx")
    >>> check_xlsx_name("a.csv")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: 模板是 Excel 工作簿，文件名须以 .xlsx 结尾 / the template is an Excel workbook: OUT.xlsx must end in .xlsx; received 'a.csv'
    """
    if not out.lower().endswith(".xlsx"):
        raise HbkitError("模板是 Excel 工作簿，文件名须以 .xlsx 结尾 / the template is an Excel "
                         f"workbook: OUT.xlsx must end in .xlsx; received {out!r}")


def parse_streets(text: str | None) -> list[str] | None:
    """``"劝业场街道,小白楼街道"`` (commas, Chinese commas or 、) -> list of streets.

    >>> parse_streets("劝业场街道，小白楼街道、五大道街道"), parse_streets(None)
    (['劝业场街道', '小白楼街道', '五大道街道'], None)
    """
    if text is None:
        return None
    return [part.strip() for part in re.split(r"[,，、]", text) if part.strip()]


def parse_units(texts: list[str] | None) -> dict[str, list[str]] | None:
    """``--units 社区卫生服务中心=甲中心,乙中心`` (repeatable) -> ``{unit: names}``.

    >>> parse_units(["社区卫生服务中心=甲中心，乙中心", "school=一中"]), parse_units(None)
    ({'社区卫生服务中心': ['甲中心', '乙中心'], 'school': ['一中']}, None)
    >>> parse_units(["甲中心"])
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: --units 须写作 单位类型=名称1,名称2 / --units takes UNIT=NAME,NAME (e.g. community_health_centre=A,B); received '甲中心'
    """
    if texts is None:
        return None
    out: dict[str, list[str]] = {}
    for text in texts:
        kind, equals, names = text.partition("=")
        if not equals or not kind.strip():
            raise HbkitError("--units 须写作 单位类型=名称1,名称2 / --units takes UNIT=NAME,NAME "
                             f"(e.g. community_health_centre=A,B); received {text!r}")
        out[kind.strip()] = parse_streets(names) or []
    return out
