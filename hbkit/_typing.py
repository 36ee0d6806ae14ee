"""Literal aliases shared across hbkit.

Every option that takes one of a fixed set of words is typed with one of these
aliases and checked at run time by :func:`hbkit._options.check_choice`.
"""

from __future__ import annotations

from typing import Literal, get_args

TargetKind = Literal[
    "upper_bound",
    "lower_bound",
    "level",
    "maintain",
    "relative_change",
    "annual_change",
    "direction",
    "trend_slowdown",
    "count_minimum",
    "relational",
    "qualitative",
]

Direction = Literal["increase", "decrease", "none"]

Plan = Literal["women", "children"]

Domain = Literal[
    "health",
    "education",
    "economy",
    "decision",
    "social_security",
    "family",
    "environment",
    "law",
    "safety",
    "welfare",
]

Unit = Literal[
    "percent",
    "percentage_points",
    "per_1000",
    "per_10k",
    "per_100k",
    "per_1000_population",
    "per_10k_population",
    "years",
    "count",
    "persons",
    "times_per_year",
    "hours_per_day",
    "ratio",
    "yuan",
    "none",
]

Status = Literal[
    "achieved",
    "on_track",
    "at_risk",
    "off_track",
    "insufficient_data",
    "no_data",
    "not_quantifiable",
]

Language = Literal["zh", "en"]

#: the sub-units in which an ``each_unit`` target must hold (以街为单位: ``street``)
EachUnit = Literal[
    "street",
    "community",
    "community_health_centre",
    "department",
    "leadership_team",
    "school",
]

TARGET_KINDS: tuple[str, ...] = get_args(TargetKind)
PLANS: tuple[str, ...] = get_args(Plan)
DOMAINS: tuple[str, ...] = get_args(Domain)
UNITS: tuple[str, ...] = get_args(Unit)
STATUSES: tuple[str, ...] = get_args(Status)
EACH_UNITS: tuple[str, ...] = get_args(EachUnit)

DOMAIN_ZH: dict[str, str] = {
    "health": "健康",
    "education": "教育",
    "economy": "经济",
    "decision": "参与决策和管理",
    "social_security": "社会保障",
    "family": "家庭",
    "environment": "环境",
    "law": "法律",
    "safety": "安全",
    "welfare": "福利",
}

#: English name of each domain (the reports' word; ``domain_en`` of ``Assessment.to_frame()``)
DOMAIN_EN: dict[str, str] = {
    "health": "Health",
    "education": "Education",
    "economy": "Economy",
    "decision": "Decision-making and management",
    "social_security": "Social security",
    "family": "Family",
    "environment": "Environment",
    "law": "Law",
    "safety": "Safety",
    "welfare": "Welfare",
}

#: Chinese name of each sub-unit of :data:`EachUnit` (a catalogue file may write it, also as
#: 以街为单位, 各街道, 每所学校; see :func:`hbkit.catalogue.io.each_unit_word`)
EACH_UNIT_ZH: dict[str, str] = {
    "street": "街道",
    "community": "社区",
    "community_health_centre": "社区卫生服务中心",
    "department": "部门",
    "leadership_team": "领导班子",
    "school": "学校",
}

#: Chinese unit suffixes, set right after a number ("95%", "3.4个百分点", "2人")
UNIT_ZH: dict[str, str] = {
    "percent": "%",
    # a difference of two percentages (men's minus women's share): signed, not a share
    "percentage_points": "个百分点",
    "per_1000": "‰",
    "per_10k": "/万",
    "per_100k": "/10万",
    "per_1000_population": "/千人",
    "per_10k_population": "/万人",
    "years": "年",
    "count": "个",
    # people counted (至少配备1名女干部, 全科医生): 1人, not 1个
    "persons": "人",
    "times_per_year": "次/年",
    "hours_per_day": "小时/天",
    "ratio": "比值",
    # an amount of money (a monthly pension, an allowance): 3,603元
    "yuan": "元",
    "none": "",
}

#: English unit suffixes, written right after a number ("8.5 per 100,000", "95%", "3.4 pp");
#: counts of things and of people print the number alone ("3", never "1 persons")
UNIT_EN: dict[str, str] = {
    "percent": "%",
    "percentage_points": " pp",
    "per_1000": " per 1,000",
    "per_10k": " per 10,000",
    "per_100k": " per 100,000",
    "per_1000_population": " per 1,000 population",
    "per_10k_population": " per 10,000 population",
    "years": " years",
    "count": "",
    "persons": "",
    "times_per_year": " times a year",
    "hours_per_day": " hours a day",
    "ratio": "",
    "yuan": " yuan",
    "none": "",
}

#: multiplier from a proportion (events / exposure) to the unit, for rate units.
#: A value in such a unit with numerator k and denominator n is k / n * UNIT_SCALE[unit].
UNIT_SCALE: dict[str, float] = {
    "percent": 100.0,
    "per_1000": 1_000.0,
    "per_10k": 10_000.0,
    "per_100k": 100_000.0,
}

#: separator of hierarchical geo codes: "河北区/光复道街道" is a street of "河北区"
GEO_SEPARATOR = "/"
