"""Column names: the canonical long layout and every header spelling accepted for it.

Headers are matched after NFKC folding, trimming and case folding, so
``" 年份 "``, ``"Year"`` and ``"YEAR"`` all mean ``year``. A bilingual header
such as ``"年份 year"`` (as the reporting template writes) matches when its
whole text or any of its words is a known spelling.
"""

from __future__ import annotations

import re
import unicodedata

#: the columns of the observations frame, in order (the team contract)
FRAME_COLUMNS: tuple[str, ...] = (
    "indicator", "geo", "year", "value", "numerator", "denominator", "unit", "source", "file", "row",
)
#: the data columns a user supplies (the frame's columns without provenance)
DATA_COLUMNS: tuple[str, ...] = FRAME_COLUMNS[:8]

#: canonical name -> accepted header spellings (compared after :func:`header_key`)
ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "indicator_id", "indicator id", "indicator code", "指标代码",
                  "指标编号", "指标id", "指标编码", "代码"),
    "indicator_name": ("指标", "指标名称", "项目", "指标项目", "名称", "name", "indicator name",
                       "indicator_name", "name_zh", "name_en", "item"),
    "geo": ("geo", "area", "region", "district", "地区", "区域", "地区名称", "行政区", "行政区划",
            "区划", "地区代码"),
    "year": ("year", "年份", "年度", "年", "统计年度", "时间"),
    "value": ("value", "数值", "值", "指标值", "数据", "取值", "value_reported"),
    "numerator": ("numerator", "分子", "事件数", "count", "events"),
    "denominator": ("denominator", "分母", "基数", "exposure", "population"),
    "unit": ("unit", "单位", "计量单位", "units"),
    "source": ("source", "来源", "数据来源", "资料来源", "data source", "数据提供单位", "提供单位"),
}

_LOOKUP: dict[str, str] = {}
for _name, _spellings in ALIASES.items():
    for _spelling in _spellings:
        _LOOKUP[" ".join(_spelling.casefold().split())] = _name

_SPLIT = re.compile(r"[\s/|()（）]+")


def header_key(header: object) -> str:
    """Normalised header text used for matching.

    >>> header_key("  Year "), header_key("年份\\u3000")
    ('year', '年份')
    """
    if header is None:
        return ""
    text = unicodedata.normalize("NFKC", str(header)).strip().strip("\ufeff").casefold()
    return " ".join(text.split())


def canonical_column(header: object) -> str | None:
    """The canonical column a header means, or ``None`` when it is not recognised.

    ``indicator_name`` (a column of indicator *names*, such as 指标) is read
    as the indicator when the file has no column of indicator ids.

    Examples
    --------
    >>> canonical_column("年份"), canonical_column("Value"), canonical_column("分母 denominator")
    ('year', 'value', 'denominator')
    >>> canonical_column("指标"), canonical_column("备注") is None
    ('indicator_name', True)
    """
    key = header_key(header)
    if not key:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    found = {_LOOKUP[word] for word in _SPLIT.split(key) if word in _LOOKUP}
    return found.pop() if len(found) == 1 else None
