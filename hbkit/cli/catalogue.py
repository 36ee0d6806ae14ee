"""``hbkit catalogue``: print the target catalogue (the shipped one or a file).

Examples
--------
>>> from hbkit.cli import main
>>> main(["catalogue", "--plan", "women", "--kind", "upper_bound"])  # doctest: +NORMALIZE_WHITESPACE
id                            kind         threshold  unit      name_zh
----------------------------  -----------  ---------  --------  ------------------
W-health-maternal-mortality   upper_bound        8.5  per_100k  孕产妇死亡率
W-health-hiv-mtct             upper_bound          2  percent   艾滋病母婴传播率
W-health-congenital-syphilis  upper_bound         12  per_100k  先天梅毒报告发生率
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

FORMATS = ("table", "csv", "yaml")
TABLE_COLUMNS = ("id", "kind", "threshold", "unit", "name_zh")


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
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="输出格式 / output format (default: table)")
    parser.add_argument("--file", metavar="CATALOGUE",
                        help="读取目录文件 (.yaml/.yml/.csv/.xlsx) / read this catalogue file instead")
    parser.add_argument("--output", metavar="PATH",
                        help="写入文件 (.yaml/.yml/.csv/.xlsx) 而非打印 / write the catalogue to this "
                        "file instead of printing it (an Excel file gets a sheet explaining the columns)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the (filtered) catalogue to stdout; return 0."""
    catalogue = Catalogue.from_file(args.file) if args.file else load_catalogue(args.plan)
    catalogue = catalogue.filter(plan=args.plan, domain=args.domain, kind=args.kind)
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


def _width(text: str) -> int:
    """Display width in a terminal: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def table_text(catalogue: Catalogue, columns: Sequence[str] = TABLE_COLUMNS) -> str:
    """A plain-text table of the catalogue, aligned for CJK text, with a count line."""
    rows = []
    for target in catalogue:
        cells = []
        for name in columns:
            value = getattr(target, name)
            if value is None or (name == "unit" and value == "none"):
                value = ""
            cells.append(f"{value:g}" if isinstance(value, float) else str(value))
        rows.append(cells)
    widths = [max([_width(c) for c in [name, *(row[i] for row in rows)]]) for i, name in enumerate(columns)]
    right = [name == "threshold" for name in columns]
    lines = ["  ".join(_pad(name, w, r) for name, w, r in zip(columns, widths, right, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w, r) for c, w, r in zip(row, widths, right, strict=True)).rstrip()
              for row in rows]
    lines.append(f"共 {len(catalogue)} 个目标 / {len(catalogue)} targets")
    return "\n".join(lines) + "\n"
