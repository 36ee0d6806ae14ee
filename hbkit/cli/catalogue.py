"""``hbkit catalogue``: print the target catalogue (the shipped one or a file).

Examples
--------
>>> from hbkit.cli import main
>>> main(["catalogue", "--plan", "women", "--kind", "upper_bound"])  # doctest: +NORMALIZE_WHITESPACE
编号/id                       类型/kind           目标值/threshold  严格不等/strict  单位/unit  目标年份/target  基期年份/base  名称/name
----------------------------  ------------------  ----------------  ---------------  ---------  ---------------  -------------  ------------------
W-health-maternal-mortality   不高于/upper_bound               8.5  否/false         per_100k              2025           2020  孕产妇死亡率
W-health-hiv-mtct             不高于/upper_bound                 2  否/false         percent               2025           2020  艾滋病母婴传播率
W-health-congenital-syphilis  不高于/upper_bound                12  否/false         per_100k              2025           2020  先天梅毒报告发生率
共 3 个目标 / 3 targets
0
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence

from hbkit._typing import DOMAINS, PLANS, TARGET_KINDS
from hbkit.catalogue import io as catalogue_io
from hbkit.catalogue.catalogue import Catalogue, load_catalogue
from hbkit.catalogue.models import SIGNED_BY_UNIT
from hbkit.cli.arguments import catalogue_help
from hbkit.cli.validate import load_catalogue_option
from hbkit.exceptions import HbkitError
from hbkit.report.wording import KIND_WORDS

FORMATS = ("table", "csv", "yaml")
TABLE_COLUMNS = ("id", "kind", "threshold", "strict", "unit", "target_year", "baseline_year",
                 "name_zh")
#: the table's headers, Chinese first
HEADERS = {"id": "编号/id", "kind": "类型/kind", "threshold": "目标值/threshold",
           "strict": "严格不等/strict",
           "unit": "单位/unit", "target_year": "目标年份/target", "baseline_year": "基期年份/base",
           "name_zh": "名称/name", "plan": "规划/plan", "domain": "领域/domain"}
#: the kinds whose test the ``strict`` flag does not change: a direction or a trend
#: slowdown is always judged strictly (:mod:`hbkit.attainment.events`), a qualitative
#: target never; their ``strict`` cell is left blank
STRICT_UNUSED = frozenset({"direction", "trend_slowdown", "qualitative"})
#: the ``strict`` cell: Chinese, then the catalogue file's value (docs/catalogue.md:
#: 低于、高于为 true；以下、以上为 false)
STRICT_WORDS = {True: "是/true", False: "否/false"}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``catalogue`` subcommand."""
    parser = subparsers.add_parser(
        "catalogue",
        help="列出目标目录 / list the target catalogue",
        description="列出规划目标目录（默认为随包的两个规划）/ print the target catalogue "
        "(by default the shipped catalogue of both plans)",
    )
    parser.add_argument("--plan", choices=PLANS, help="只列出一个规划 / one plan only")
    parser.add_argument("--kind", choices=TARGET_KINDS, help="目标类型 / kind of target")
    parser.add_argument("--domain", choices=DOMAINS, help="领域 / domain")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="输出格式（默认：table；用 --output 时由文件扩展名决定，另给不同的 --format "
                        "则报错）/ output format (default: table; with --output the "
                        "file's suffix decides, and a different --format is refused)")
    parser.add_argument("--file", metavar="CATALOGUE",
                        help=catalogue_help("随包的两个规划目录", "the shipped catalogue of both "
                                            "plans"))
    parser.add_argument("--output", metavar="PATH",
                        help="写入文件 (.yaml/.yml/.csv/.xlsx) 而非打印（Excel 文件另有一个说明各列的工作表）"
                        "/ write the catalogue to this "
                        "file instead of printing it (an Excel file gets a sheet explaining the columns)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the (filtered) catalogue to stdout; return 0."""
    if args.output and args.format is not None:
        written = catalogue_io.file_format(args.output)
        if written != args.format:
            raise HbkitError(
                f"--format {args.format} 与 --output {args.output}（{written} 文件）矛盾：写入文件时格式"
                f"由扩展名决定，请去掉 --format / --format {args.format} contradicts --output "
                f"{args.output} (a {written} file): the file's suffix decides the format; "
                "drop --format")
    whole = load_catalogue_option(args.file) if args.file else load_catalogue(args.plan)
    catalogue = whole.filter(plan=args.plan, domain=args.domain, kind=args.kind)
    if not len(catalogue) and len(whole):
        print(f"注意：没有符合条件的目标；{_present(whole)} / note: no target matches; "
              f"{_present(whole, 'en')}", file=sys.stderr)
    if args.output:
        path = catalogue.to_file(args.output)
        print(f"已写入 / wrote {path} ({len(catalogue)} 个目标 / targets)")
        return 0
    if args.format == "csv":
        text = catalogue_io.csv_text(catalogue)
    elif args.format == "yaml":
        meta = {key: getattr(catalogue, key) for key in catalogue_io.META_KEYS
                if getattr(catalogue, key)}
        text = catalogue_io.yaml_text(catalogue, meta)
    else:
        text = table_text(catalogue)
    sys.stdout.write(text)
    return 0


def _present(catalogue: Catalogue, lang: str = "zh") -> str:
    """The plans, domains and kinds a catalogue holds, for the note on an empty filter."""
    parts = []
    for field, zh in (("plan", "规划"), ("domain", "领域"), ("kind", "类型")):
        values = ", ".join(sorted({str(getattr(t, field)) for t in catalogue}))
        parts.append(f"{zh}: {values}" if lang == "zh" else f"{field}: {values}")
    lead = "目录中有 " if lang == "zh" else "the catalogue has "
    return lead + ("；" if lang == "zh" else "; ").join(parts)


def _width(text: str) -> int:
    """Display width in a terminal: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def table_text(catalogue: Catalogue, columns: Sequence[str] = TABLE_COLUMNS) -> str:
    """A plain-text table of the catalogue, aligned for CJK text, with a count line.

    The base year is the one the assessment compares with: the target's own, else the
    year five before its target year (:func:`hbkit.assessment.rows.base_year_of`); a
    qualitative target, never scored, shows none. A target whose values may be negative
    though its unit is not signed (``signed``: a relative gap in percent) shows
    ``可为负/signed`` after its unit. ``严格不等/strict`` says how the
    threshold is compared: ``是/true`` strictly (低于, 高于: < or >), ``否/false`` not
    (以下, 以上: <= or >=); it is blank where the flag changes nothing
    (:data:`STRICT_UNUSED`).

    Examples
    --------
    >>> from hbkit.catalogue.models import Target
    >>> above = Target(id="C-above", indicator="x", kind="lower_bound", threshold=90,
    ...                unit="percent", strict=True, name_zh="高于90%")
    >>> at_least = Target(id="C-at-least", indicator="y", kind="lower_bound", threshold=90,
    ...                   unit="percent", name_zh="90%以上")
    >>> print(table_text(Catalogue([above, at_least]), ("id", "threshold", "strict", "name_zh")))
    编号/id     目标值/threshold  严格不等/strict  名称/name
    ----------  ----------------  ---------------  ---------
    C-above                   90  是/true          高于90%
    C-at-least                90  否/false         90%以上
    共 2 个目标 / 2 targets
    <BLANKLINE>
    """
    from hbkit.assessment.rows import base_year_of

    rows = []
    for target in catalogue:
        cells = []
        for name in columns:
            value = getattr(target, name)
            if name == "baseline_year" and target.is_quantitative:
                value = base_year_of(target)
            elif name == "baseline_year":
                value = None
            elif name == "strict":
                value = None if target.kind in STRICT_UNUSED else STRICT_WORDS[bool(value)]
            if value is None or (name == "unit" and value == "none"):
                value = ""
            elif name == "unit" and target.signed and value not in SIGNED_BY_UNIT:
                value = f"{value} 可为负/signed"  # a percent that may be negative (a gap)
            elif name == "kind" and value in KIND_WORDS:
                value = f"{KIND_WORDS[value][0]}/{value}"
            cells.append(f"{value:g}" if isinstance(value, float) else str(value))
        rows.append(cells)
    headers = [HEADERS.get(name, name) for name in columns]
    widths = [max([_width(c) for c in [head, *(row[i] for row in rows)]])
              for i, head in enumerate(headers)]
    right = [name in ("threshold", "target_year", "baseline_year") for name in columns]
    lines = ["  ".join(_pad(head, w, r) for head, w, r in zip(headers, widths, right, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w, r) for c, w, r in zip(row, widths, right, strict=True)).rstrip()
              for row in rows]
    lines.append(f"共 {len(catalogue)} 个目标 / {len(catalogue)} targets")
    return "\n".join(lines) + "\n"
