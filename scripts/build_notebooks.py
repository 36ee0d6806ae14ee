"""Write the notebooks in ``notebooks/`` from the cell lists below.

The notebooks are generated so that their text stays reviewable in plain
Python, and are committed without outputs; ``tests/test_notebooks.py``
executes them. Run ``python scripts/build_notebooks.py`` after editing.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"

SETUP = """\
import os
from pathlib import Path

import pandas as pd

import hbkit

pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 160)
# 输出文件写到这里 / files this notebook writes go here
OUT = Path(os.environ.get("HBKIT_NOTEBOOK_OUT", "output"))
OUT.mkdir(parents=True, exist_ok=True)"""


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str):
    return new_code_cell(text.strip("\n"))


NOTEBOOKS: dict[str, list] = {}

NOTEBOOKS["01_catalogue_tour.ipynb"] = [
    md("""
# 01 目标目录导览 / A tour of the target catalogue

本笔记本介绍 hbkit 内置的《河北区妇女发展"十四五"规划》和《河北区儿童发展"十四五"规划》目标目录：
每一条目标都有类型（上限、下限、保持、相对变化、每年变化、方向性、定性……）、阈值、单位、
期望方向，以及它在规划原文中的出处（`text_zh`）。最后演示如何用 Excel 编写自己的目录
（例如"十五五"规划，2026—2030年）。

*English summary: the shipped catalogue of both plans, typed and bilingual, each target with the
exact clause it comes from; then how to write your own catalogue (e.g. the 2026-2030 plans) in Excel.*
"""),
    code(SETUP),
    md("""
## 1. 载入目录 / Load the catalogue

`hbkit.load_catalogue()` 返回两个规划的全部目标；`load_catalogue("women")` 或 `("children")` 只取一个。
"""),
    code("""
cat = hbkit.load_catalogue()
cat"""),
    code("""
frame = cat.to_frame()
frame.pivot_table(index="domain_zh", columns="plan", values="id", aggfunc="count", fill_value=0)"""),
    md("""
## 2. 目标类型 / Kinds of target

| 类型 kind | 规划措辞 | hbkit 判断的事件 |
|---|---|---|
| `upper_bound` | 控制在/降至 X 以下 | 2025 年数值 ≤ X |
| `lower_bound` | 达到 X 以上 | 2025 年数值 ≥ X |
| `level` | 达到 X（无"以上"） | 按期望方向读作上限或下限，见 `notes` |
| `maintain` | 保持在 X 以上 | 剩余每一年都达到 X |
| `relative_change` | 以2020年为基数下降20% | 2025 年 ≤ 0.8 × 2020 年 |
| `annual_change` | 每年降低1个百分点以上 | 剩余每一年比上年降低 ≥ 1 |
| `direction` | 逐步提高 / 持续下降 | 2025 年数值在期望方向上超过 2020 年 |
| `trend_slowdown` | 上升趋势减缓 | 2020 年后的斜率小于 2020 年前 |
| `count_minimum` | 至少配备1名 | 每个单位的人数 ≥ 1（只看现状，不预测） |
| `relational` | 不低于党员总数中女性比例 | 一个指标与另一个指标比较 |
| `qualitative` | 无数量 | 列出，不打分 |
"""),
    code("""
frame.pivot_table(index="kind", columns="plan", values="id", aggfunc="count", fill_value=0)"""),
    md("""
## 3. 一条目标 / One target

每条目标都有稳定的 `id`，中文和英文名称，以及原文出处。
"""),
    code("""
imr = cat["C-health-infant-mortality"]
print(imr.name_zh, "/", imr.name_en)
print("原文 clause:", imr.text_zh)
print(imr.kind, imr.threshold, imr.unit, imr.direction, "target year", imr.target_year)"""),
    md("""
拼错了 id 时，hbkit 会给出最接近的 id / a mistyped id gets the closest suggestions:
"""),
    code("""
try:
    cat["C-health-infant-mortalty"]
except hbkit.HbkitError as err:
    print(err)"""),
    md("""
## 4. 按规划、领域、类型筛选 / Filter by plan, domain and kind

规划中同一句话里有三个比率时，就是三条目标（新生儿、婴儿、5岁以下儿童死亡率）。
"""),
    code("""
health = cat.filter(plan="children", domain="health", quantitative=True)
health.to_frame()[["id", "kind", "threshold", "unit", "name_zh", "text_zh"]].head(12)"""),
    code("""
special = frame[frame["kind"].isin(["relative_change", "annual_change", "maintain", "relational", "count_minimum"])]
special[["id", "kind", "threshold", "unit", "each_unit", "reference_indicator", "text_zh"]]"""),
    md("""
模糊措辞的解读记录在 `notes` 里（例如"达到40%"没有"以上"、"以下"读作 ≤）/ readings of ambiguous wording are in `notes`:
"""),
    code("""
frame.loc[frame["notes"] != "", ["id", "text_zh", "notes"]].head(10)"""),
    md("""
## 5. 指标表 / The indicators

多条目标可以共用一个指标序列；数据上报以指标为单位。
"""),
    code("""
cat.indicator_table().head(15)"""),
    md("""
## 6. 编写自己的目录（如"十五五"规划）/ Write your own catalogue (e.g. the 2026-2030 plans)

最少只需 id、指标、类型、阈值、单位。可以在 Python 里写，也可以在 Excel 里写，再用
`Catalogue.from_file` 读入。
"""),
    code("""
mine = hbkit.Catalogue(
    [
        hbkit.Target(id="C30-health-imr", plan="children", domain="health", indicator="infant_mortality_rate",
                     name_zh="婴儿死亡率", name_en="Infant mortality rate",
                     kind="upper_bound", threshold=4.5, unit="per_1000", target_year=2030, baseline_year=2025),
        hbkit.Target(id="C30-health-immunization", plan="children", domain="health", indicator="immunization_coverage",
                     name_zh="适龄儿童免疫规划疫苗接种率", name_en="Immunization coverage",
                     kind="maintain", threshold=95, unit="percent", direction="increase", each_unit="street",
                     target_year=2030, baseline_year=2025),
    ],
    name_zh="示例：河北区儿童发展规划（2026—2030年）",
)
path = OUT / "my_catalogue.xlsx"
mine.to_file(path)
again = hbkit.Catalogue.from_file(path)
again.to_frame()[["id", "kind", "threshold", "unit", "target_year", "each_unit"]]"""),
    md("""
有错误的目录文件会一次列出全部问题（文件、行、字段、规则、收到的值）/ a catalogue file with mistakes
lists every problem at once:
"""),
    code("""
bad = mine.to_frame()
bad.loc[0, "threshold"] = None          # 上限缺少阈值 / a bound without its threshold
bad.loc[1, "kind"] = "at_least"         # 不存在的类型 / an unknown kind
bad_path = OUT / "bad_catalogue.csv"
bad.to_csv(bad_path, index=False, encoding="utf-8-sig")
try:
    hbkit.Catalogue.from_file(bad_path)
except hbkit.CatalogueError as err:
    display(err.problems)"""),
]


def main() -> None:
    """Write every notebook, without outputs."""
    NOTEBOOK_DIR.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        nbformat.write(nb, NOTEBOOK_DIR / name)
        print(f"wrote notebooks/{name} ({len(cells)} cells)")


if __name__ == "__main__":
    main()
