"""The shipped catalogue: it loads, quotes the plan verbatim, and covers the women's plan completely."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

from hbkit import load_catalogue
from hbkit.catalogue.catalogue import SHIPPED_FILES

ROOT = Path(__file__).resolve().parents[1]
PLAN_LINES = (ROOT / "docs" / "plans" / "hebei-district-women-children-plans-2021-2025.zh.txt").read_text(
    encoding="utf-8").splitlines()
WOMEN_TEXT = "\n".join(PLAN_LINES[11:431])     # lines 12-431
CHILDREN_TEXT = "\n".join(PLAN_LINES[431:805])  # lines 432-805

WOMEN_DOMAINS = {
    "妇女与健康": "health", "妇女与教育": "education", "妇女与经济": "economy",
    "妇女参与决策和管理": "decision", "妇女与社会保障": "social_security",
    "妇女与家庭建设": "family", "妇女与环境": "environment", "妇女与法律": "law",
}

#: counts by kind of the shipped women's catalogue: an accidental deletion or retyping fails here
WOMEN_COUNTS = {
    "qualitative": 81, "direction": 43, "lower_bound": 18, "upper_bound": 3, "level": 5,
    "maintain": 3, "count_minimum": 3, "trend_slowdown": 2, "relational": 2,
}

#: a number followed by a unit: digits or Chinese numerals
NUMBER_WITH_UNIT = re.compile(
    r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十两]+)(?:/10万|/万|%|‰|岁|年|个|名|小时|次|人|倍)")

#: numbers with a unit in the women's plan lists that are not targets, with the reason
NOT_TARGETS = {
    # an age group naming a service, not a target value
    ("family", "measure 8", "3岁"): "发展3岁以下婴幼儿照护服务: the age group of the childcare service",
    # political slogans (四个意识, 四个自信, 两个维护)
    ("environment", "measure 1", "四个"): "“四个意识”“四个自信”: names of political slogans",
    ("environment", "measure 1", "两个"): "“两个维护”: name of a political slogan",
}


def _women_items() -> dict[tuple[str, str], str]:
    """(domain, "main goal N" / "measure N") -> the item's text, parsed from the plan."""
    items: dict[tuple[str, str], str] = {}
    domain = part = None
    for line in PLAN_LINES[11:431]:
        text = line.strip()
        heading = re.match(r"^（[一二三四五六七八]）(妇女\S+)$", text)
        if heading:
            domain, part = WOMEN_DOMAINS[heading.group(1)], None
        elif text.startswith("主要目标"):
            part = "main goal"
        elif text.startswith("策略措施"):
            part = "measure"
        elif text.startswith("三、组织实施"):
            break
        elif part and (item := re.match(r"^(\d+)\.(.*)$", text)):
            items[(str(domain), f"{part} {item.group(1)}")] = item.group(2)
    return items


ITEMS = _women_items()
WOMEN = load_catalogue("women")


def test_plan_structure_parsed():
    main_goals = Counter(domain for domain, section in ITEMS if section.startswith("main goal"))
    assert main_goals == {"health": 10, "education": 11, "economy": 8, "decision": 12,
                          "social_security": 10, "family": 9, "environment": 9, "law": 9}


def test_shipped_catalogue_loads_both_plans():
    cat = load_catalogue()
    assert set(SHIPPED_FILES) == {"women", "children"}
    assert {t.plan for t in cat} == {"women", "children"}
    assert len(cat) == len(load_catalogue("women")) + len(load_catalogue("children"))
    assert cat.default_geo == "河北区"
    assert cat.ids[: len(WOMEN)] == WOMEN.ids


def test_women_counts_by_kind():
    assert dict(Counter(t.kind for t in WOMEN)) == WOMEN_COUNTS
    assert len(WOMEN) == 160
    assert sum(t.is_quantitative for t in WOMEN) == 79


def test_every_text_zh_is_verbatim_in_its_plan():
    for target in load_catalogue():
        source = WOMEN_TEXT if target.plan == "women" else CHILDREN_TEXT
        assert target.text_zh and target.text_zh in source, target.id


def test_women_text_zh_is_in_the_item_its_section_names():
    for target in WOMEN:
        item = ITEMS.get((str(target.domain), target.section))
        assert item is not None, (target.id, target.section)
        assert target.text_zh in item, target.id


def test_ids_unique_and_well_formed():
    cat = load_catalogue()
    assert len(set(cat.ids)) == len(cat)
    for target in cat:
        prefix = {"women": "W", "children": "C"}[str(target.plan)]
        assert re.fullmatch(rf"{prefix}-{target.domain}-[a-z0-9][a-z0-9_-]*", target.id), target.id


def test_women_targets_are_complete_records():
    for t in WOMEN:
        assert (t.plan, t.baseline_year, t.target_year) == ("women", 2020, 2025), t.id
        assert t.name_zh and t.name_en and t.domain_zh, t.id
        if t.is_quantitative:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", str(t.indicator)), t.id
        else:
            assert t.indicator is None and t.threshold is None, t.id
        if t.kind in ("upper_bound", "lower_bound", "level", "maintain", "relational", "direction",
                      "trend_slowdown"):
            assert "read as" in t.notes, f"{t.id}: the reading of the wording belongs in notes"


def test_every_main_goal_item_has_a_target():
    covered = {(t.domain, t.section) for t in WOMEN}
    missing = [key for key in ITEMS if key[1].startswith("main goal") and key not in covered]
    assert missing == []


@pytest.mark.parametrize("key", sorted(ITEMS), ids=[f"{d}-{s}" for d, s in sorted(ITEMS)])
def test_every_number_with_unit_is_a_target_or_allowed(key):
    """Completeness: each number with a unit in a women's main goal or measure is inside the
    clause of a target of that item, or is a listed non-target."""
    item = ITEMS[key]
    clauses = [t.text_zh for t in WOMEN if (t.domain, t.section) == key]
    spans = [(m.start(), m.start() + len(c)) for c in clauses for m in re.finditer(re.escape(c), item)]
    for match in NUMBER_WITH_UNIT.finditer(item):
        if (key[0], key[1], match.group(0)) in NOT_TARGETS:
            continue
        assert any(lo <= match.start() and match.end() <= hi for lo, hi in spans), (
            f"{key}: {match.group(0)!r} in ...{item[max(0, match.start() - 15):match.end() + 10]}... "
            "is not covered by any target")


def test_allow_list_entries_exist():
    for (domain, section, number) in NOT_TARGETS:
        assert number in ITEMS[(domain, section)]


@pytest.mark.parametrize(("target_id", "kind", "threshold", "unit", "strict"), [
    ("W-health-maternal-mortality", "upper_bound", 8.5, "per_100k", False),
    ("W-health-hiv-mtct", "upper_bound", 2, "percent", False),
    ("W-health-congenital-syphilis", "upper_bound", 12, "per_100k", False),
    ("W-health-cervical-cancer-screening", "lower_bound", 70, "percent", False),
    ("W-health-maternal-system-management", "lower_bound", 90, "percent", False),
    ("W-education-new-labour-schooling", "lower_bound", 15.5, "years", False),
    ("W-education-higher-education-ger", "level", 65, "percent", False),
    ("W-economy-female-share-employment", "level", 40, "percent", False),
    ("W-economy-female-share-urban-employment", "maintain", 40, "percent", False),
    ("W-decision-residents-committee-members", "maintain", 60, "percent", False),
    ("W-decision-street-leadership-women", "count_minimum", 1, "persons", False),
])
def test_known_numeric_targets(target_id, kind, threshold, unit, strict):
    t = WOMEN[target_id]
    assert (t.kind, t.threshold, t.unit, t.strict) == (kind, threshold, unit, strict)


def test_one_clause_with_several_rates_gives_several_targets():
    clause = "孕产妇艾滋病、梅毒和乙肝检测率达到98%以上"
    same = [t for t in WOMEN if t.text_zh == clause]
    assert len(same) == 3 and len({t.indicator for t in same}) == 3
    assert all(t.threshold == 98 for t in same)


def test_special_kinds():
    party = WOMEN["W-decision-party-congress-delegates"]
    assert party.kind == "relational"
    assert party.reference_indicator == WOMEN["W-decision-female-party-members"].indicator
    assert WOMEN["W-decision-street-leadership-women"].each_unit == "street"
    slowdown = [t for t in WOMEN if t.kind == "trend_slowdown"]
    assert all("上升趋势减缓" in t.text_zh and t.direction == "decrease" for t in slowdown)
    assert all(t.every_year for t in WOMEN if t.kind == "maintain")


def test_gross_ratios_are_not_bounded():
    gross = [t for t in load_catalogue() if "毛入学率" in t.text_zh]
    assert len(gross) >= 2
    assert not any(t.bounded for t in gross)


def test_docs_catalogue_md_is_up_to_date():
    spec = importlib.util.spec_from_file_location("make_catalogue_doc", ROOT / "scripts" / "make_catalogue_doc.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    assert shipped == module.render(), "run scripts/make_catalogue_doc.py"
    for target in load_catalogue():
        assert f"| {target.id} |" in shipped
