"""Generate ``docs/catalogue.md``: the whole shipped catalogue as tables.

Usage::

    .venv/bin/python scripts/make_catalogue_doc.py           # write docs/catalogue.md
    .venv/bin/python scripts/make_catalogue_doc.py --check   # exit 1 if it is out of date

The page lists counts by plan and kind, then every target by plan and
domain: id, kind, threshold, unit, direction, the exact Chinese clause,
the English name and the notes (the reading of ambiguous wording). A target
whose values may be negative though its unit is not signed (``signed``) says
``signed`` after its unit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hbkit._typing import DOMAIN_ZH, TARGET_KINDS, UNIT_ZH
from hbkit.catalogue.catalogue import Catalogue, load_catalogue
from hbkit.catalogue.io import COLUMN_HELP, COLUMN_ZH, FIELDS
from hbkit.catalogue.models import SIGNED_BY_UNIT

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "catalogue.md"

PLAN_TITLES = {
    "women": "妇女发展规划 / Women's Development Plan",
    "children": "儿童发展规划 / Children's Development Plan",
}

KIND_MEANING = {
    "upper_bound": "不高于阈值 / at most the threshold (strict: below)",
    "lower_bound": "不低于阈值 / at least the threshold (strict: above)",
    "level": "达到某一水平（按期望方向读作界限）/ reach a level, read as a bound in the desired direction",
    "maintain": "每年保持在阈值以上或以下 / stay beyond the threshold in every year",
    "relative_change": "相对基期变化一定百分比 / change by a percentage of the baseline value",
    "annual_change": "每年变化一定幅度 / change by a given amount every year",
    "direction": "目标年数值优于基期 / target-year value beyond the baseline value in the desired direction",
    "trend_slowdown": "基期后上升趋势减缓 / slope after the baseline below the slope before",
    "count_minimum": ("至少若干（人、个），如每个领导班子至少配备1名女干部：只看最新计数，不预测；"
                      "有趋势的全区总数（不少于60个）用 lower_bound / at least a given count, e.g. one "
                      "woman in each leadership team: latest counts only, no forecast; a district "
                      "total with a trend is a lower_bound"),
    "relational": "与另一指标比较 / compared with another indicator",
    "qualitative": "定性目标，不评分 / qualitative, listed and never scored",
}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def counts_table(catalogue: Catalogue) -> list[str]:
    """Markdown table of target counts by kind (rows) and plan (columns)."""
    plans = list(dict.fromkeys(str(t.plan) for t in catalogue))
    lines = ["| kind 类型 | " + " | ".join(plans) + " | total |",
             "|---|" + "---:|" * (len(plans) + 1)]
    for kind in TARGET_KINDS:
        counts = [sum(1 for t in catalogue if t.kind == kind and str(t.plan) == p) for p in plans]
        if sum(counts):
            lines.append(f"| {kind} | " + " | ".join(map(str, counts)) + f" | {sum(counts)} |")
    totals = [sum(1 for t in catalogue if str(t.plan) == p) for p in plans]
    lines.append("| **total** | " + " | ".join(f"**{n}**" for n in totals) + f" | **{len(catalogue)}** |")
    return lines


def own_catalogue_section() -> list[str]:
    """How analysts write their own catalogue (e.g. the 2026-2030 plans) in Excel, CSV or YAML."""
    return [
        "## 编写自己的目录 / Writing your own catalogue",
        "",
        "分析人员可在 Excel 中编写新规划（如2026-2030年规划）的目标：每行一个目标，首行为列名"
        "（英文字段名或下表的中文列名），空单元格取默认值；目标年份除外：空白的目标年份取本文件其他各行"
        "的目标年份（最多的那一年），并提示是哪几行；没有一行写明、或两个年份一样多时报错。读取时检查每一行，"
        "所有问题（文件、行、列、取值、规则）一次列出，一行中几列有误时也一并列出：列按您写的表头"
        "（如“领域”），规则先中文后英文。领域可写中文名（健康），单位可写 `%`、`‰`、`/10万` 等，"
        "年份可写 `2030年`，分单位达标可写 `街道`、`以街为单位`，详见 [user-guide.md](user-guide.md) 第7节。"
        "`hbkit catalogue --file` 列出每个目标的目标年份和基期年份（未写基期时为目标年份前5年），"
        "以及是否严格不等（严格不等列：高于、低于为 是/true，以上、以下为 否/false；变化方向、"
        "上升趋势减缓总按严格不等判定，定性目标不判定，此列空白），可核对“高于”“以上”是否按原意读取。",
        "",
        "Analysts can write a new plan's targets in Excel: one target per row, a header row of field "
        "names (or the Chinese column names below), empty cells for defaults, except the target year: "
        "a blank one takes the year most of the file's other rows give, with a note naming the rows, "
        "and is an error when no row gives one or two years are given equally often. Reading checks "
        "every row and lists every problem (file, row, column, value, rule) at once, several in one "
        "row too: the column as the header you wrote (e.g. 领域), the rule in Chinese then English. "
        "Domains may be written in Chinese (健康), units as `%`, `‰`, `/10万`, years as `2030年`, "
        "the sub-unit as `街道` or `以街为单位`; see [user-guide.md](user-guide.md), section 7. "
        "`hbkit catalogue --file` lists each target's target year and base year (five years before "
        "the target year when none is written) and whether its inequality is strict (the 严格不等/strict "
        "column: 是/true for 高于 and 低于, 否/false for 以上 and 以下; blank for direction and trend "
        "slowdown targets, always judged strictly, and qualitative ones, never judged), so that 高于 "
        "and 以上 can be checked to be read as meant.",
        "",
        "```bash",
        "hbkit catalogue --plan women --output women.xlsx   # the shipped targets as a starting point",
        "hbkit catalogue --file my-targets.xlsx             # check and list a catalogue file",
        "```",
        "",
        "```python",
        "import hbkit",
        "cat = hbkit.Catalogue.from_file(\"my-targets.xlsx\")   # or .csv/.yaml (UTF-8, UTF-16, GBK/GB18030)",
        "cat.path                                             # 'my-targets.xlsx': the reports' "
        "hbkit validate ... --catalogue names it",
        "cat.to_file(\"my-targets.csv\")                        # UTF-8 with BOM: Excel shows Chinese",
        "```",
        "",
        "目录文件的类型与数据文件一样按内容判断，而不是扩展名：工作簿无论叫什么名字都按工作簿读取；旧版 `.xls`、"
        "网页（HTML）或 Excel 2003 XML 表格不读取（`file-format`），提示另存为 `.xlsx`；文本文件以 "
        "`.yaml`/`.yml` 结尾时按 YAML 读取，否则按 CSV 读取。文件名与内容不符时（文本文件名为 `.xlsx`，"
        "工作簿名为 `.csv`）照读，并提醒“文件名为 .xlsx，但内容是文本（CSV），已按 CSV 读取”"
        "（`CatalogueWarning`，命令行显示为“注意 / note”）。写出目录（`to_file`、`--output`）时格式由扩展名决定。",
        "",
        "A catalogue file's type is decided by its content, as a data file's is, not by its name: "
        "a workbook is read as one whatever its name; a legacy `.xls`, a web page (HTML) or an Excel "
        "2003 XML spreadsheet is refused (`file-format`) with advice to save it as `.xlsx`; text is "
        "YAML when the name ends in `.yaml`/`.yml`, CSV otherwise. A file whose name says the other "
        "type (text named `.xlsx`, a workbook named `.csv`) is read with a note saying so (a "
        "`CatalogueWarning`, shown as \"注意 / note\" by the command line). Writing (`to_file`, "
        "`--output`) follows the suffix.",
        "",
        "规划名称和所属地区写在 Excel 的 `catalogue` 工作表（两列 key / value）或 YAML 的 `catalogue:` 块中："
        "`name_zh`、`name_en`（报告标题用它）、`default_geo`（如 和平区）、`default_geo_en`（英文报告中的地区名，"
        "天津市各区可不填）。CSV 只含目标。完整的例子见 [用户指南](user-guide.md) 的“下一个规划期”。",
        "",
        "The plan's name and district go in the Excel `catalogue` sheet (key / value) or the YAML "
        "`catalogue:` block: `name_zh`, `name_en` (the reports' title), `default_geo`, `default_geo_en` "
        "(the district's English name; known for Tianjin's districts). CSV holds the targets only. "
        "The user guide's section on the next plan walks through a whole example.",
        "",
        "| column 列名 | 中文列名 | 说明 | description |",
        "|---|---|---|---|",
        *[f"| {name} | {COLUMN_ZH[name]} | {_cell(COLUMN_HELP[name][0])} | {_cell(COLUMN_HELP[name][1])} |"
          for name in FIELDS],
        "",
    ]


def render(catalogue: Catalogue | None = None) -> str:
    """The Markdown text of ``docs/catalogue.md`` for a catalogue (the shipped one by default)."""
    catalogue = load_catalogue() if catalogue is None else catalogue
    quantitative = sum(1 for t in catalogue if t.is_quantitative)
    out = [
        "# 目标目录 / Target catalogue",
        "",
        "<!-- Generated by scripts/make_catalogue_doc.py from hbkit/catalogue/data/*.yaml; "
        "do not edit by hand. -->",
        "",
        f"{catalogue.name_zh}：共 {len(catalogue)} 个目标，其中可量化 {quantitative} 个。",
        "",
        f"{catalogue.name_en}: {len(catalogue)} targets, {quantitative} quantitative.",
        "",
        "Every target carries the exact clause of the plan it comes from (`text_zh`, a verbatim "
        "substring of `docs/plans/hebei-district-women-children-plans-2021-2025.zh.txt`); the "
        "notes record how ambiguous wording was read. Baseline year 2020, target year 2025 "
        "unless stated. Load it with `hbkit.load_catalogue()`; print it with `hbkit catalogue`.",
        "",
        "## 按规划和类型计数 / Counts by plan and kind",
        "",
        *counts_table(catalogue),
        "",
        "## 目标类型 / Kinds",
        "",
        "| kind | meaning 含义 |",
        "|---|---|",
        *[f"| {kind} | {KIND_MEANING[kind]} |" for kind in TARGET_KINDS],
        "",
        *own_catalogue_section(),
    ]
    header = ("| id | kind | threshold | unit | direction | 规划原文 text_zh | name_en | notes |",
              "|---|---|---:|---|---|---|---|---|")
    for plan, title in PLAN_TITLES.items():
        in_plan = catalogue.filter(plan=plan)
        if not len(in_plan):
            continue
        out += [f"## {title}", ""]
        domains = list(dict.fromkeys(str(t.domain) for t in in_plan))
        for domain in domains:
            targets = [t for t in in_plan if str(t.domain) == domain]
            out += [f"### {DOMAIN_ZH.get(domain, domain)} / {domain} ({len(targets)})", "", *header]
            for t in targets:
                unit = t.unit if t.unit == "none" else f"{t.unit} ({UNIT_ZH.get(t.unit, '')})"
                if t.signed and t.unit not in SIGNED_BY_UNIT:
                    unit += "; signed 可为负"
                extras = [f"each {t.each_unit}" if t.each_unit else "",
                          f"vs {t.reference_indicator}" if t.reference_indicator else "",
                          "strict" if t.strict else "", "every year" if t.every_year else ""]
                kind = t.kind + "".join(f"; {e}" for e in extras if e)
                out.append("| " + " | ".join(_cell(v) for v in (
                    t.id, kind, t.threshold, unit if t.is_quantitative else "", t.direction,
                    t.text_zh, t.name_en, t.notes)) + " |")
            out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Write ``docs/catalogue.md`` (or, with ``--check``, report whether it is up to date)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/catalogue.md is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run scripts/make_catalogue_doc.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT} is up to date")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({text.count(chr(10)) + 1} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
