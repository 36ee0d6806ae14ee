"""The shipped catalogue of the children's plan, ``hbkit/catalogue/data/children.yaml``.

The plan text (``docs/plans/...zh.txt``) is the reference: every record must be a
valid :class:`hbkit.catalogue.models.Target`, quote its clause verbatim from the
section it names, and together the records must cover every numbered item of
every 主要目标 list and every number-with-unit clause of the 主要目标 lists and
策略措施 paragraphs (or the number is on the commented allow-list below).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from hbkit._typing import UNITS
from hbkit.catalogue.models import Target

ROOT = Path(__file__).resolve().parents[1]
YAML_PATH = ROOT / "hbkit" / "catalogue" / "data" / "children.yaml"
PLAN_PATH = ROOT / "docs" / "plans" / "hebei-district-women-children-plans-2021-2025.zh.txt"

CHILDREN_TITLE = "河北区儿童发展“十四五”规划"
DOMAIN_HEADERS = {
    "（一）儿童与健康": "health",
    "（二）儿童与安全": "safety",
    "（三）儿童与教育": "education",
    "（四）儿童与福利": "welfare",
    "（五）儿童与家庭": "family",
    "（六）儿童与环境": "environment",
    "（七）儿童与法律保护": "law",
}

#: counts by kind as shipped: an accidental deletion or a changed reading fails here
SHIPPED_KIND_COUNTS = {
    "qualitative": 60,
    "lower_bound": 19,
    "direction": 11,
    "upper_bound": 6,
    "level": 6,
    "trend_slowdown": 2,
    "count_minimum": 2,
    "maintain": 3,
    "annual_change": 1,
    "relative_change": 1,
}

#: a number with a unit: Arabic or Chinese numerals, an optional range (0—6, 7至9)
_NUMBER = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十两〇零百千]+)"
NUMBER_WITH_UNIT = re.compile(
    _NUMBER
    + r"(?:\s*[—\-~至到]\s*"
    + _NUMBER
    + r")?(?:%|‰|/10万|/万|个百分点|个月|个|名|小时|周岁|岁|次|天|年|月龄|所|项|倍)"
)

#: numbers in the 主要目标 lists and 策略措施 paragraphs that are not targets.
#: Each entry: a verbatim context that occurs once in the children's plan and
#: contains the number, and the reason it is not a target.
NON_TARGET_NUMBERS: dict[str, str] = {
    # health measure 7: the age group of a work programme, no value to reach
    "0至6岁儿童健康管理工作全面加强": "age group (0-6) naming whose health management is strengthened",
    # health measure 7: the age group of the disability screening programme, no rate given
    "0至6岁儿童残疾筛查": "age group (0-6) of a screening programme without a target rate",
    # health measure 10: the 'first 1000 days' period, a name
    "生命早期1000天营养": "name of a period (the first 1000 days of life)",
    # health measure 10: the age at which complementary food starts, advice not a target
    "普及为6月龄以上儿童合理添加辅食": "age (6 months) in feeding advice, no value to reach",
    # family measure 8: part of the title of a Tianjin regulation
    "落实天津市促进3岁以下婴幼儿照护服务发展实施细则": "age (under 3) inside the name of a regulation",
}


# --------------------------------------------------------------------------- helpers
def _children_plan_lines() -> list[str]:
    lines = PLAN_PATH.read_text(encoding="utf-8").splitlines()
    return lines[lines.index(CHILDREN_TITLE) :]


def _plan_sections() -> dict[tuple[str, str], str]:
    """Map (domain, "main goal N" / "measure N") to that item's text (number prefix removed)."""
    lines = _children_plan_lines()
    body = lines[lines.index("二、发展领域、主要目标和策略措施") : lines.index("三、组织实施")]
    sections: dict[tuple[str, str], str] = {}
    domain = part = None
    for raw in body:
        line = raw.strip()
        if line in DOMAIN_HEADERS:
            domain, part = DOMAIN_HEADERS[line], None
        elif line == "主要目标：":
            part = "main goal"
        elif line == "策略措施：":
            part = "measure"
        elif (match := re.match(r"^(\d+)\.(.+)$", line)) and domain and part:
            key = (domain, f"{part} {int(match.group(1))}")
            assert key not in sections, f"plan parsed twice: {key}"
            sections[key] = match.group(2)
    return sections


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def targets(raw: dict[str, Any]) -> list[Target]:
    return [Target(**record) for record in raw["targets"]]


@pytest.fixture(scope="module")
def by_id(targets: list[Target]) -> dict[str, Target]:
    return {t.id: t for t in targets}


@pytest.fixture(scope="module")
def sections() -> dict[tuple[str, str], str]:
    return _plan_sections()


# --------------------------------------------------------------------------- the file
def test_plan_parser_finds_every_numbered_item(sections: dict[tuple[str, str], str]) -> None:
    goals = Counter(d for d, s in sections if s.startswith("main goal"))
    measures = Counter(d for d, s in sections if s.startswith("measure"))
    assert goals == {"health": 12, "safety": 10, "education": 9, "welfare": 10, "family": 8,
                     "environment": 9, "law": 9}
    assert measures == {"health": 15, "safety": 8, "education": 13, "welfare": 13, "family": 8,
                        "environment": 10, "law": 10}


def test_every_record_is_a_valid_target(raw: dict[str, Any]) -> None:
    problems = []
    for row, record in enumerate(raw["targets"]):
        try:
            Target(**record)
        except (ValidationError, TypeError) as exc:
            problems.append(f"record {row} ({record.get('id')}): {exc}")
    assert not problems, "\n".join(problems)


def test_header(raw: dict[str, Any]) -> None:
    assert raw["catalogue"]["name_zh"] == CHILDREN_TITLE
    assert raw["catalogue"]["default_geo"] == "河北区"
    assert raw["catalogue"]["name_en"]


def test_ids_unique_and_shaped(targets: list[Target]) -> None:
    ids = [t.id for t in targets]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for t in targets:
        assert re.fullmatch(rf"C-{t.domain}-[a-z0-9]+(-[a-z0-9]+)*", t.id), t.id


def test_common_fields(targets: list[Target]) -> None:
    for t in targets:
        assert t.plan == "children", t.id
        assert t.target_year == 2025 and t.baseline_year == 2020, t.id
        assert t.name_zh and t.name_en and t.notes, t.id
        assert re.fullmatch(r"main goal \d+|measure \d+", t.section), t.id
        assert t.unit in UNITS
        if t.is_quantitative:
            assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", t.indicator or ""), t.id
        else:
            assert t.indicator is None and t.threshold is None and t.direction == "none", t.id


def test_kind_counts_as_shipped(targets: list[Target]) -> None:
    assert dict(Counter(t.kind for t in targets)) == SHIPPED_KIND_COUNTS
    assert len(targets) == 111


def test_shared_indicator_has_one_unit(targets: list[Target]) -> None:
    units: dict[str, set[str]] = {}
    for t in targets:
        if t.indicator:
            units.setdefault(t.indicator, set()).add(t.unit)
    assert {k: v for k, v in units.items() if len(v) > 1} == {}


def test_gross_ratios_are_not_bounded(targets: list[Target]) -> None:
    gross = [t for t in targets if "毛入" in t.text_zh]
    assert len(gross) == 2
    assert all(t.bounded is False for t in gross)


# --------------------------------------------------------------------------- the plan
def test_text_zh_verbatim_in_the_section_it_names(
    targets: list[Target], sections: dict[tuple[str, str], str]
) -> None:
    wrong = []
    for t in targets:
        where = sections.get((t.domain, t.section))
        if where is None or t.text_zh not in where:
            wrong.append(f"{t.id}: {t.section} of {t.domain} does not contain {t.text_zh!r}")
    assert not wrong, "\n".join(wrong)


def test_text_zh_is_a_clause(targets: list[Target]) -> None:
    for t in targets:
        assert t.text_zh == t.text_zh.strip(" ，。；"), t.id


def test_every_main_goal_item_has_a_target(
    targets: list[Target], sections: dict[tuple[str, str], str]
) -> None:
    covered = {(t.domain, t.section) for t in targets}
    missing = [k for k in sections if k[1].startswith("main goal") and k not in covered]
    assert missing == []


def test_qualitative_targets_quote_their_whole_item_or_its_unscored_rest(
    targets: list[Target], sections: dict[tuple[str, str], str]
) -> None:
    """A qualitative target quotes its whole item; where the item also has scored
    targets, it quotes a clause that says more than their clauses (the rest of the
    item: e.g. 改善生态环境质量 beside 水质达标率100%)."""
    for t in targets:
        if t.is_quantitative:
            continue
        item = sections[(t.domain, t.section)]
        scored = [q.text_zh for q in targets if q.is_quantitative and (q.domain, q.section) == (t.domain, t.section)]
        if not scored:
            assert item.rstrip("。") == t.text_zh, t.id
            continue
        start = item.index(t.text_zh)
        covered = [False] * len(t.text_zh)
        for clause in scored:
            for m in re.finditer(re.escape(clause), item):
                for i in range(max(m.start(), start), min(m.end(), start + len(t.text_zh))):
                    covered[i - start] = True
        rest = "".join(c for c, cov in zip(t.text_zh, covered, strict=True) if not cov)
        assert rest.strip(" ，。；、"), f"{t.id}: says nothing its item's scored targets do not"


def test_every_number_in_goals_and_measures_is_covered(
    targets: list[Target], sections: dict[tuple[str, str], str]
) -> None:
    plan_text = "\n".join(_children_plan_lines())
    for context in NON_TARGET_NUMBERS:
        assert plan_text.count(context) == 1, f"allow-list context not found once: {context!r}"
    used: set[str] = set()
    uncovered = []
    for (domain, section), body in sections.items():
        spans = []
        for t in targets:
            if (t.domain, t.section) == (domain, section):
                spans += [(m.start(), m.end()) for m in re.finditer(re.escape(t.text_zh), body)]
        allowed = {c: body.find(c) for c in NON_TARGET_NUMBERS if c in body}
        for m in NUMBER_WITH_UNIT.finditer(body):
            if any(a <= m.start() and m.end() <= b for a, b in spans):
                continue
            hits = [c for c, a in allowed.items() if a <= m.start() and m.end() <= a + len(c)]
            if hits:
                used.update(hits)
            else:
                uncovered.append(f"{domain} {section}: {m.group()!r} in ...{body[max(0, m.start() - 12):m.end() + 12]}...")
    assert not uncovered, "numbers no target covers:\n" + "\n".join(uncovered)
    assert used == set(NON_TARGET_NUMBERS), f"stale allow-list entries: {set(NON_TARGET_NUMBERS) - used}"


def test_completeness_regex_sees_the_numbers_it_must() -> None:
    found = [m.group() for m in NUMBER_WITH_UNIT.finditer(
        "分别降至3.0‰、5.0‰和6.0‰以下，12/10万以下，0—6岁，7至9岁，托位4.5个，1名，1小时，2次，十六周岁")]
    assert found == ["3.0‰", "5.0‰", "6.0‰", "12/10万", "0—6岁", "7至9岁", "4.5个", "1名", "1小时",
                     "2次", "十六周岁"]


# --------------------------------------------------------------------------- known targets
@pytest.mark.parametrize(
    ("target_id", "indicator", "threshold"),
    [
        ("C-health-neonatal-mortality", "neonatal_mortality_rate", 3.0),
        ("C-health-infant-mortality", "infant_mortality_rate", 5.0),
        ("C-health-under5-mortality", "under5_mortality_rate", 6.0),
    ],
)
def test_mortality_rates(by_id: dict[str, Target], target_id: str, indicator: str,
                         threshold: float) -> None:
    t = by_id[target_id]
    assert (t.indicator, t.kind, t.threshold, t.unit, t.direction, t.strict, t.bounded) == (
        indicator, "upper_bound", threshold, "per_1000", "decrease", False, False)
    assert t.text_zh == "新生儿、婴儿和5岁以下儿童死亡率分别降至3.0‰、5.0‰和6.0‰以下"


def test_relative_change_of_injury_mortality(by_id: dict[str, Target]) -> None:
    t = by_id["C-safety-injury-mortality"]
    assert (t.kind, t.threshold, t.direction, t.baseline_year, t.unit) == (
        "relative_change", 20, "decrease", 2020, "per_100k")
    assert "以2020年数据为基数下降20%" in t.text_zh


def test_annual_change_of_myopia(by_id: dict[str, Target]) -> None:
    t = by_id["C-health-myopia-annual-decline"]
    assert (t.kind, t.threshold, t.unit, t.direction, t.every_year) == (
        "annual_change", 1, "percent", "decrease", True)


def test_immunisation_maintained_in_each_street(by_id: dict[str, Target]) -> None:
    t = by_id["C-health-immunization-each-street"]
    assert (t.kind, t.threshold, t.unit, t.direction, t.each_unit, t.every_year) == (
        "maintain", 95, "percent", "increase", "street", True)


@pytest.mark.parametrize(
    ("target_id", "kind", "threshold", "unit", "direction", "strict"),
    [
        ("C-welfare-childcare-places-per-1000", "level", 4.5, "per_1000_population", "increase", False),
        ("C-health-fissure-sealant", "lower_bound", 40, "percent", "increase", False),
        ("C-health-caries-age12", "upper_bound", 25, "percent", "decrease", False),
        ("C-health-newborn-hearing-screening", "lower_bound", 95, "percent", "increase", False),
        ("C-health-under3-system-management", "lower_bound", 90, "percent", "increase", True),
        ("C-health-under7-health-management", "lower_bound", 90, "percent", "increase", True),
        ("C-health-outdoor-daylight", "lower_bound", 1, "hours_per_day", "increase", False),
        ("C-health-daily-physical-activity", "lower_bound", 1, "hours_per_day", "increase", False),
        ("C-health-exclusive-breastfeeding", "lower_bound", 50, "percent", "increase", False),
        ("C-education-preschool-gross-enrolment", "level", 93, "percent", "increase", False),
        # 每年…2次以上: every year, so maintain (a lower bound would judge 2025 alone)
        ("C-family-parent-guidance-sessions", "maintain", 2, "times_per_year", "increase", False),
        ("C-family-parent-practice-activities", "maintain", 2, "times_per_year", "increase", False),
        ("C-environment-eco-education", "lower_bound", 98, "percent", "increase", False),
        ("C-law-legal-education", "level", 100, "percent", "increase", False),
    ],
)
def test_known_targets(by_id: dict[str, Target], target_id: str, kind: str, threshold: float,
                       unit: str, direction: str, strict: bool) -> None:
    t = by_id[target_id]
    assert (t.kind, t.threshold, t.unit, t.direction, t.strict) == (
        kind, threshold, unit, direction, strict)


def test_count_minimum_per_community_health_centre(by_id: dict[str, Target]) -> None:
    gp = by_id["C-health-chc-child-gp"]
    doctors = by_id["C-health-chc-child-health-doctors"]
    assert (gp.kind, gp.threshold, gp.unit, gp.each_unit) == (
        "count_minimum", 1, "persons", "community_health_centre")
    assert (doctors.kind, doctors.threshold, doctors.unit, doctors.each_unit) == (
        "count_minimum", 2, "persons", "community_health_centre")


def test_direction_only_goals(by_id: dict[str, Target]) -> None:
    expected = {
        "C-safety-drowning-mortality": "decrease",
        "C-health-new-myopia": "decrease",
        "C-health-malnutrition": "decrease",
        "C-welfare-childcare-institutions": "increase",
        "C-welfare-childcare-places": "increase",
        "C-welfare-children-home-coverage": "increase",
        "C-law-juvenile-offending": "decrease",
    }
    for target_id, direction in expected.items():
        t = by_id[target_id]
        assert (t.kind, t.direction, t.baseline_year, t.threshold) == (
            "direction", direction, 2020, None), target_id
    for target_id in ("C-health-overweight-slowdown", "C-health-obesity-slowdown"):
        t = by_id[target_id]
        assert (t.kind, t.direction, t.baseline_year) == ("trend_slowdown", "decrease", 2020)


def test_every_level_target_says_how_it_is_read(targets: list[Target]) -> None:
    for t in targets:
        if t.kind == "level":
            assert "level read as >=" in t.notes, t.id
        if t.kind in ("upper_bound", "lower_bound", "maintain", "annual_change", "count_minimum"):
            assert re.search(r"(<=|>=|> |< |Y\(t\))", t.notes), t.id
            assert ("(strict)" if t.strict else "non-strict") in t.notes, t.id


# --------------------------------------------------------------------------- the public loader
def test_public_loader_ships_this_file(targets: list[Target]) -> None:
    import hbkit

    shipped = hbkit.load_catalogue("children")
    assert list(shipped.ids) == [t.id for t in targets]
    assert [shipped[t.id] for t in targets] == targets
    assert shipped.default_geo == "河北区"


def test_indicators_shared_with_the_womens_plan_agree(targets: list[Target]) -> None:
    import hbkit

    women = {t.indicator: t for t in hbkit.load_catalogue("women") if t.indicator}
    shared = [t for t in targets if t.indicator in women]
    assert shared, "the plans share indicators (e.g. high_school_gross_enrollment_rate)"
    for t in shared:
        other = women[t.indicator]
        assert (t.unit, t.bounded, t.direction) == (other.unit, other.bounded, other.direction), t.id
