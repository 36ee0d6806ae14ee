"""Every rule an observations file is checked against, with its wording in Chinese and English.

Each rule has a short ``code`` (kept in the ``code`` column of problem tables),
a bilingual text (the ``rule`` column) and a consequence:

* ``fatal``: the file is refused; every fatal problem of the file is listed
  together in one :class:`~hbkit.exceptions.DataValidationError`;
* ``excluded``: the row is not used and is listed in ``Observations.excluded``;
* ``missing``: the row is kept with a missing value and listed in
  ``Observations.missing``;
* ``changed``: the row is used after a documented change, listed in
  ``Observations.changes``;
* ``warning``: the row is used as it is but looks wrong beside the others
  (checks across rows, :mod:`hbkit.observations.across`), listed in
  ``Observations.warnings``.
"""

from __future__ import annotations

import math
from typing import Literal

Consequence = Literal["fatal", "excluded", "missing", "changed", "warning"]

#: code -> (consequence, Chinese text, English text)
RULES: dict[str, tuple[Consequence, str, str]] = {
    "column-missing": ("fatal", "缺少必需的列", "a required column is missing"),
    "column-duplicate": ("fatal", "两列表示同一内容，无法判断用哪一列",
                         "two columns mean the same; which one to use cannot be told"),
    "indicator-missing": ("fatal", "指标为空", "the indicator cell is empty"),
    "not-a-number": ("fatal", "不是数字", "not a number"),
    "year-missing": ("fatal", "年份为空", "the year cell is empty"),
    "year-invalid": ("fatal", "年份须为1949—2100之间的整数", "year must be an integer in 1949-2100"),
    "infinite": ("fatal", "数值为无穷大", "infinite value"),
    "duplicate-conflict": ("fatal", "同一指标、地区、年份有多行且数值不同",
                           "several rows for the same indicator, geo and year disagree"),
    "negative": ("fatal", "比率、计数不能为负数", "a rate or count cannot be negative"),
    "above-100": ("fatal", "该指标为有上限的比例，数值不能超过100",
                  "value above 100 for a bounded indicator"),
    "numerator-above-denominator": ("fatal", "比例的分子大于分母",
                                    "numerator above denominator for a proportion"),
    "zero-denominator": ("fatal", "分母为0", "zero denominator"),
    "numerator-denominator-pair": ("fatal", "分子和分母须同时填写",
                                   "numerator and denominator must be given together"),
    "value-disagrees": ("fatal", "数值与分子/分母计算结果不符（超出舍入误差）",
                        "value disagrees with numerator/denominator beyond rounding"),
    "unknown-indicator": ("fatal", "目标目录中没有该指标", "indicator not in the catalogue"),
    "ambiguous-indicator": ("fatal", "该名称对应目录中多个指标，请填写指标代码",
                            "name matches several indicators; give the indicator id"),
    "unit-unknown": ("fatal", "无法识别的单位", "unknown unit"),
    "unit-ten-thousand-yuan": ("fatal", "金额须以元为单位填写，不接受万元（1万元 = 10000元）",
                               "money must be written in yuan (元), not in 万元 "
                               "(ten thousand yuan; 1万元 = 10,000元)"),
    "unit-conflict": ("fatal", "数值所带单位与单位列不符",
                      "the unit written with the number differs from the unit column"),
    "unit-not-convertible": ("fatal", "单位与目标目录不同且无法精确换算",
                             "unit differs from the catalogue's and has no exact conversion"),
    "title-row": ("excluded", "表头上方的标题行", "title row above the header"),
    "note-row": ("excluded", "注释行", "note row"),
    "sheet-skipped": ("excluded", "工作表中没有观测数据的列，已跳过",
                      "worksheet without observation columns, skipped"),
    "wide-row-blank": ("excluded", "各年份均未填写", "no figure in any year"),
    "duplicate-merged": ("excluded", "与另一行完全相同，已合并", "identical duplicate, merged"),
    "unknown-indicator-excluded": ("excluded", "目标目录中没有该指标，已排除",
                                   "indicator not in the catalogue, excluded"),
    "value-missing": ("missing", "数值缺失，保留为缺失值", "value missing, kept as missing"),
    "value-derived": ("changed", "数值为空，由分子/分母计算",
                      "empty value computed from numerator/denominator"),
    "unit-converted": ("changed", "已按目标目录的单位精确换算",
                       "converted exactly to the catalogue's unit"),
    "unit-from-catalogue": ("changed", "单位为空，采用目标目录的单位",
                            "unit empty, the catalogue's unit is used"),
    "geo-default": ("changed", "地区为空，采用默认地区", "geo empty, the default geo is used"),
    "indicator-name": ("changed", "按名称识别为目录中的指标代码",
                       "indicator name matched to the catalogue's id"),
    "geo-street-top-level": ("warning", "街道（乡镇、社区、村）前没有写所属的区，将作为单独的地区",
                             "a street-level area without its district is read as an area "
                             "of its own"),
    "geo-similar": ("warning", "地区名称与另一地区只差行政区划后缀或空格，可能是同一地区",
                    "area name differs from another only by an administrative suffix or "
                    "spaces"),
    "geo-one-edit": ("warning", "地区名称与另一地区（或目录的默认地区）只差一个字，可能是输入错误",
                     "area name one character away from another area (or the catalogue's "
                     "default area): possibly a typo"),
    "geo-one-edit-sibling": ("warning", "下级单位名称与同一上级的另一下级单位只差一个字，且两者没有"
                             "同一指标、同一年份的数值，可能是输入错误",
                             "sub-unit name one character away from another under the same "
                             "parent, and the two have no value for the same indicator and "
                             "year: possibly a typo"),
    "value-looks-fraction": ("warning", "百分数像是填成了小数（同一序列其他年份均大于1）",
                             "a percent that looks like a fraction (the series' other years "
                             "are above 1)"),
    "value-far-from-trend": ("warning", "数值远离同一序列前后几年的趋势，可能是录入错误",
                             "a value far off the trend of the series' neighbouring years: "
                             "possibly a data-entry error"),
}


def rule_text(code: str, detail: str = "") -> str:
    """The bilingual text of a rule, with an optional detail appended.

    Examples
    --------
    >>> rule_text("zero-denominator")
    '分母为0 / zero denominator'
    >>> rule_text("unknown-indicator", "did you mean 'x'?")
    "目标目录中没有该指标 / indicator not in the catalogue: did you mean 'x'?"
    """
    _, zh, en = RULES[code]
    text = f"{zh} / {en}"
    return f"{text}: {detail}" if detail else text


def consequence(code: str) -> Consequence:
    """``fatal``, ``excluded``, ``missing``, ``changed`` or ``warning``.

    >>> consequence("negative"), consequence("duplicate-merged")
    ('fatal', 'excluded')
    """
    return RULES[code][0]


def problem(file: str, row: int, column: str, value: object, code: str,
            detail: str = "") -> dict[str, object]:
    """One row of a problem/log table (``file, row, column, value, rule, code``).

    >>> problem("a.csv", 3, "year", "20x1", "year-invalid")["rule"]
    '年份须为1949—2100之间的整数 / year must be an integer in 1949-2100'
    """
    return {"file": file, "row": int(row), "column": column, "value": shown(value),
            "rule": rule_text(code, detail), "code": code}


def shown(value: object) -> str:
    """A cell as received, for a problem table (``4000.0`` from Excel shows as ``4000``).

    Text is shown as written (full-width characters are not folded); an empty
    cell (``None``, NaN) shows as ``""``.

    >>> shown(4000.0), shown(None), shown(float("nan")), shown("９５，２")
    ('4000', '', '', '９５，２')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
