"""Every rule a catalogue is checked against, worded in Chinese and English.

A problem of a catalogue (one row of :attr:`CatalogueError.problems
<hbkit.exceptions.CatalogueError>`) keeps the rule's short ``code`` in the
``code`` column: the rule ids of :class:`~hbkit.catalogue.models.Target`
(``threshold-required``, ``bounded-threshold-in-0-100``, ...), those of the
file readers (``unknown-column``, ``unique-id``, ...) and pydantic's error
types (``literal_error``, ``int_parsing``, ``missing``, ...). The ``rule``
column holds the text a user reads, Chinese first, as the observations
reader words its problems: ``领域须为下列取值之一 / must be one of: ...``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

from hbkit._typing import DOMAIN_ZH, EACH_UNIT_ZH, UNIT_ZH

#: code -> (Chinese text, English text)
RULES: dict[str, tuple[str, str]] = {
    # reading a file (a file that cannot be used at all, empty or unreadable, is a
    # CatalogueFileError with the codes of hbkit.exceptions.FILE_ERROR_CODES)
    "is-catalogue": ("不是目标目录文件", "not a catalogue"),
    "catalogue-block-is-mapping": ("catalogue 块须为“键: 值”",
                                   "the 'catalogue' block must be a mapping"),
    "target-is-mapping": ("每个目标须为“字段: 值”", "each target is a mapping of field: value"),
    "unknown-column": ("不是目标目录的列", "not a target field"),
    "required-column": ("表头缺少必填的列", "the header lacks a required column"),
    "cell-under-header": ("单元格在最后一个有列名的列之后", "a cell beyond the last named column"),
    "record-type": ("目标须为 hbkit.Target 或字段的映射", "a target is a hbkit.Target or a mapping"),
    "unique-id": ("目标编号重复", "id already used"),
    "target-year-required": ("目标年份为空", "the target year is blank"),
    "indicator-unit-consistent": ("同一指标在不同目标中的单位不同",
                                  "an indicator has two units in two targets"),
    "indicator-bounded-consistent": ("同一指标在不同目标中“有上限100”不同",
                                     "an indicator is bounded in one target and not in another"),
    "indicator-signed-consistent": ("同一指标在不同目标中“可为负数”不同",
                                    "an indicator is signed in one target and not in another"),
    # the rules of Target (hbkit.catalogue.models)
    "id-is-slug": ("目标编号只能由字母、数字和 - _ . 组成，且以字母或数字开头",
                   "an id is letters, digits, '-', '_' or '.', starting with a letter or digit"),
    "indicator-required": ("可量化的目标须填写指标编号", "a quantitative target needs an indicator"),
    "threshold-required": ("该类型的目标须填写目标值", "this kind of target needs a threshold"),
    "threshold-is-number": ("目标值不能为 NaN", "threshold is NaN"),
    "direction-required": ("该类型的目标须填写期望方向 increase（提高）或 decrease（下降）",
                           "this kind of target needs direction 'increase' or 'decrease'"),
    "direction-matches-bound": ("期望方向与上下限类型不符（不高于为 decrease，不低于为 increase）",
                                "the direction contradicts the bound"),
    "baseline-required": ("该类型的目标与基期比较，须填写基期年份",
                          "this kind of target compares with a baseline year"),
    "baseline-before-target": ("基期年份须早于目标年份", "baseline_year must be before target_year"),
    "relative-change-range": ("相对变化为大于0的百分数（下降时须小于100）",
                              "a relative change is a percent > 0 (and < 100 for a decrease)"),
    "annual-change-positive": ("年均变化填正数，升降由期望方向表示",
                               "an annual change is a positive size; the direction gives its sign"),
    "reference-required": ("比较型目标须填写参照指标", "a relational target needs a reference indicator"),
    "bounded-threshold-in-0-100": ("有上限100的比例，目标值须在0—100之间",
                                   "a bounded percentage's threshold lies in [0, 100]"),
    "signed-not-bounded": ("可为负数的指标不能以100为上限（“有上限100”须为 false 或留空）",
                           "a signed target cannot be bounded (bounded false or empty)"),
    "signed-by-unit": ("个百分点（两个百分比之差）本身可为负数，“可为负数”须为 true 或留空",
                       "a gap in percentage points is signed by its nature: signed true or "
                       "empty"),
    "qualitative-has-no-threshold": ("定性目标不评分，不填目标值",
                                     "a qualitative target takes no threshold"),
    "every-year-kind": ("逐年达标只适用于上下限、达到（按“保持”判定）、保持和每年变化类目标",
                        "every_year is for bounds and levels (read as maintain), maintain and "
                        "annual_change"),
    # pydantic's error types
    "literal_error": ("须为下列取值之一", "must be one of"),
    "enum": ("须为下列取值之一", "must be one of"),
    "int_parsing": ("须为整数", "must be a whole number"),
    "int_from_float": ("须为整数", "must be a whole number"),
    "int_type": ("须为整数", "must be a whole number"),
    "float_parsing": ("须为数字（不带单位）", "must be a number (without its unit)"),
    "float_type": ("须为数字（不带单位）", "must be a number (without its unit)"),
    "finite_number": ("须为有限的数", "must be a finite number"),
    "bool_parsing": ("须为 true/false（是/否）", "must be true or false (是/否)"),
    "bool_type": ("须为 true/false（是/否）", "must be true or false (是/否)"),
    "string_type": ("须为文字", "must be text"),
    "missing": ("缺少必填项", "a required field is missing"),
    "extra_forbidden": ("不是目标的字段", "not a target field"),
    "greater_than_equal": ("数值过小", "value too small"),
    "greater_than": ("数值过小", "value too small"),
    "less_than_equal": ("数值过大", "value too large"),
    "less_than": ("数值过大", "value too large"),
}

#: the wording of a year that is not a whole number in 1949-2100 (as the observations reader)
YEAR_RULE: tuple[str, str] = ("年份须为1949—2100之间的整数", "year must be an integer in 1949-2100")
_YEAR_FIELDS = frozenset({"target_year", "baseline_year"})
_YEAR_CODES = frozenset({"int_parsing", "int_from_float", "int_type", "greater_than_equal",
                         "less_than_equal", "greater_than", "less_than"})
_BOUNDS = {"greater_than_equal": ("≥", "ge"), "greater_than": (">", "gt"),
           "less_than_equal": ("≤", "le"), "less_than": ("<", "lt")}


def rule_text(code: str, detail: str = "", zh: str = "") -> str:
    """The bilingual text of a rule (Chinese first), with an optional detail appended.

    Parameters
    ----------
    code
        A key of :data:`RULES`; an unknown code gives ``取值有误 / invalid value``.
    detail
        Text appended after a colon (the allowed values, the value compared with, ...).
    zh
        Chinese text to use instead of the table's (e.g. one naming the target's kind).

    Examples
    --------
    >>> rule_text("unique-id", "row 2")
    '目标编号重复 / id already used: row 2'
    >>> rule_text("no-such-code")
    '取值有误 / invalid value'
    """
    table_zh, en = RULES.get(code, ("取值有误", "invalid value"))
    text = f"{zh or table_zh} / {en}"
    return f"{text}: {detail}" if detail else text


def _allowed(field: str) -> tuple[str, ...]:
    """The words a Literal-typed field of Target accepts (empty for other fields)."""
    from hbkit.catalogue.models import Target

    info = Target.model_fields.get(field)
    if info is None:
        return ()
    annotation = info.annotation
    union = isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union
    options = typing.get_args(annotation) if union else (annotation,)
    words: list[str] = []
    for option in options:
        if typing.get_origin(option) is typing.Literal:
            words.extend(str(arg) for arg in typing.get_args(option))
    return tuple(words)


def chinese_names(field: str) -> dict[str, str]:
    """Chinese name of each word a field accepts, where hbkit has one (domain, unit, kind, ...).

    Examples
    --------
    >>> chinese_names("domain")["health"], chinese_names("unit")["per_100k"]
    ('健康', '/10万')
    >>> chinese_names("id")
    {}
    """
    if field == "domain":
        return dict(DOMAIN_ZH)
    if field == "unit":
        return {name: zh for name, zh in UNIT_ZH.items() if zh}
    if field == "each_unit":
        return dict(EACH_UNIT_ZH)
    from hbkit.report.wording import DIRECTION_WORDS, KIND_WORDS, PLAN_WORDS

    if field == "kind":
        return {name: words[0] for name, words in KIND_WORDS.items()}
    if field == "direction":
        return {name: words[0] for name, words in DIRECTION_WORDS.items()}
    if field == "plan":
        return {name: words["zh"] for name, words in PLAN_WORDS.items()}
    return {}


def choices_text(field: str) -> str:
    """The allowed words of a field with their Chinese names: ``health（健康）, education（教育）, ...``.

    >>> choices_text("direction")
    'increase（提高）, decrease（下降）, none（无）'
    """
    names = chinese_names(field)
    return ", ".join(f"{word}（{names[word]}）" if word in names else word for word in _allowed(field))


def pydantic_rule(error: Mapping[str, Any], field: str | None) -> tuple[str, str]:
    """``(code, rule text)`` of one pydantic error about ``field`` (Chinese first).

    Examples
    --------
    >>> pydantic_rule({"type": "int_parsing", "msg": "..."}, "target_year")[1]
    '年份须为1949—2100之间的整数 / year must be an integer in 1949-2100'
    >>> pydantic_rule({"type": "greater_than_equal", "ctx": {"ge": 0}}, "threshold")[1]
    '数值过小 / value too small: ≥ 0'
    """
    code = str(error.get("type", ""))
    if code in _YEAR_CODES and field in _YEAR_FIELDS:
        return code, f"{YEAR_RULE[0]} / {YEAR_RULE[1]}"
    if code in ("literal_error", "enum") and field:
        detail = choices_text(field) or str((error.get("ctx") or {}).get("expected", ""))
        if field == "each_unit":
            detail += "；也可写作 以街为单位、各街道、每所学校 / also as 以街为单位, 各街道, 每所学校"
        return code, rule_text(code, detail)
    if code in _BOUNDS:
        sign, key = _BOUNDS[code]
        return code, rule_text(code, f"{sign} {(error.get('ctx') or {}).get(key, '')}")
    if code in RULES:
        return code, rule_text(code)
    return code, rule_text(code, str(error.get("msg", "")))


def model_rule(code: str, detail: str) -> str:
    """The text of a rule of :class:`~hbkit.catalogue.models.Target`: Chinese, then the model's English.

    >>> model_rule("threshold-required", "kind='upper_bound' needs a threshold")
    "该类型的目标须填写目标值 / kind='upper_bound' needs a threshold"
    """
    return f"{RULES.get(code, ('取值有误', ''))[0]} / {detail}"

