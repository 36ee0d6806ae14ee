"""The English words beside the Chinese ones in ``to_frame()`` and the JSON: ``status_en``
after ``status_zh``, ``domain_en`` after ``domain_zh``.

A developer building an English dashboard reads them instead of rebuilding the English
report's words. The checks here take the words from the English reports themselves (the
Markdown tables and the HTML target cards, parsed as text), not from the code that makes
the column.
"""

from __future__ import annotations

import html
import re
import warnings
from typing import Any

import jsonschema
import pandas as pd
import pytest

import hbkit
from hbkit.assessment import FRAME_COLUMNS
from hbkit.datasets import load_example
from hbkit.report.json_schema import json_schema
from hbkit.status import STATUS_LABELS, STATUS_VARIANTS

#: every (中文, English) wording of a status
WORDINGS = {*STATUS_LABELS.values(), *STATUS_VARIANTS.values()}


def _assess(name: str, as_of: int) -> hbkit.Assessment:
    example = load_example(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as_of 2025 on data to 2023: on purpose
        return hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=as_of,
                            n_draws=100, seed=5)


@pytest.fixture(scope="module")
def assessments() -> dict[str, hbkit.Assessment]:
    """The whole example district: the 2023 monitoring (提前实现, 有望实现, 存在风险,
    难以实现, 已有年份未达到), its final evaluation (已实现, 未实现), and the 2025
    evaluation of the 2023 data (count rules judged on their 2023 count: 已实现)."""
    return {"2023": _assess("hebei_example", 2023),
            "final": _assess("hebei_example_final", 2025),
            "2025 on 2023 data": _assess("hebei_example", 2025)}


def _markdown_statuses(markdown: str) -> list[tuple[str, str, str, str]]:
    """``(domain heading, indicator, area, status)`` of each row of the English Markdown's
    "Targets by domain" tables."""
    rows, domain, header = [], "", None
    section = markdown.split("## Targets by domain", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        if line.startswith("### "):
            domain, header = line[4:].split(" · ", 1)[-1], None
        elif line.startswith("| ") and header is None:
            header = [cell.strip() for cell in line.strip("|").split(" | ")]
        elif line.startswith("| "):
            cells = dict(zip(header or [], [c.strip() for c in line.strip("|").split(" | ")],
                             strict=True))
            rows.append((domain, cells["Indicator"], cells["Area"], cells["Status"]))
    return rows


def _html_card_statuses(page: str) -> dict[str, str]:
    """``{target id: status}`` of the English HTML report's target cards."""
    found = re.findall(r'<span class="id">([^<]+?) · [^<]*</span>(?:(?!</article>).)*?'
                       r'<th>Status</th><td><span class="badge[^"]*"[^>]*>([^<]+)</span>', page, re.S)
    return {target_id: html.unescape(word) for target_id, word in found}


def _unique_name_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows whose English name is the only one of its kind (a report row's key)."""
    names = frame["name_en"].where(frame["name_en"] != "", frame["name_zh"])
    return frame.assign(shown=names).drop_duplicates("shown", keep=False).set_index("shown")


@pytest.mark.parametrize("case", ["2023", "final", "2025 on 2023 data"])
def test_status_and_domain_words_are_what_the_english_markdown_prints(assessments, case) -> None:
    res = assessments[case]
    rows = _unique_name_rows(res.to_frame())
    printed = [row for row in _markdown_statuses(res.to_markdown("en")) if row[1] in rows.index]
    assert len(printed) >= 200  # nearly every one of the 271 rows
    for domain, name, area, status in printed:
        row = rows.loc[name]
        assert area == "Hebei District" == {"河北区": "Hebei District"}[row["geo"]]
        assert (row["status_en"], row["domain_en"]) == (status, domain), (case, name)


@pytest.mark.parametrize("case", ["2023", "final", "2025 on 2023 data"])
def test_status_words_are_what_the_english_html_cards_print(assessments, case) -> None:
    res = assessments[case]
    cards = _html_card_statuses(res.to_html(lang="en", charts=False))
    frame = res.to_frame().set_index("target_id")
    assert len(cards) >= 100
    assert {target_id: frame.loc[target_id, "status_en"] for target_id in cards} == cards


def test_the_cases_cover_every_wording_the_example_gives(assessments) -> None:
    """The comparisons above meet the variants, not only the plain words: achieved early,
    already missed in an observed year, not achieved, and achieved at the final evaluation
    on a count rule's older count (the English report once said achieved early there)."""
    words = {case: set(res.to_frame()["status_en"]) for case, res in assessments.items()}
    assert {"achieved early", "on track", "at risk", "off track", "not quantifiable",
            "already missed in an observed year"} <= words["2023"]
    assert {"achieved", "not achieved"} <= words["final"]
    late = assessments["2025 on 2023 data"].to_frame()
    counted = late[late["kind"] == "count_minimum"]
    assert (counted["latest_year"] < counted["target_year"]).all()
    assert set(counted["status_en"]) == {"achieved"}


def test_every_row_has_its_english_words_beside_the_chinese(assessments) -> None:
    for res in assessments.values():
        frame = res.to_frame()
        assert frame["status_en"].notna().all() and (frame["status_en"] != "").all()
        pairs = set(zip(frame["status_zh"], frame["status_en"], strict=True))
        assert pairs <= WORDINGS
        assert (frame["domain_en"] != "").all() and frame["domain"].notna().all()


def test_a_target_without_a_domain_has_no_domain_word_in_either_language() -> None:
    target = hbkit.Target(id="a", indicator="x", kind="upper_bound", threshold=5, unit="per_1000")
    observations = pd.DataFrame({"indicator": "x", "geo": "河北区", "year": range(2018, 2024),
                                 "value": [6.0, 5.8, 5.5, 5.2, 5.0, 4.8]})
    row = hbkit.assess(observations, catalogue=[target], as_of=2023, n_draws=200).to_frame().iloc[0]
    assert (row["domain_zh"], row["domain_en"]) == ("", "")
    assert (row["status_zh"], row["status_en"]) == ("提前实现", "achieved early")


def test_each_english_column_follows_its_chinese_one(assessments) -> None:
    columns = list(assessments["2023"].to_frame().columns)
    assert tuple(columns) == FRAME_COLUMNS
    for zh in ("domain_zh", "status_zh", "name_zh", "reason_zh"):
        english = zh.replace("_zh", "_en")
        assert columns.index(english) == columns.index(zh) + 1, zh
    assert str(assessments["2023"].to_frame()["status_en"].dtype) == str(
        assessments["2023"].to_frame()["status_zh"].dtype)


def test_the_json_carries_the_english_words_and_the_schema_holds_them(assessments) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    for res in assessments.values():
        data = res.to_dict()
        assert data["schema_version"] == 4
        assert validator.is_valid(data)
        frame = res.to_frame()
        assert [row["status_en"] for row in data["targets"]] == frame["status_en"].tolist()
        assert [row["domain_en"] for row in data["targets"]] == frame["domain_en"].tolist()
        row = data["targets"][0]
        keys = list(row)
        assert keys[keys.index("status_zh") + 1] == "status_en"
        assert keys[keys.index("domain_zh") + 1] == "domain_en"


@pytest.mark.parametrize(("field", "value"), [
    ("status_en", "On track"), ("status_en", "有望实现"), ("status_en", None),
    ("domain_en", "health"), ("domain_en", None),
])
def test_the_schema_refuses_an_unknown_english_word(assessments, field: str, value: Any) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    data = assessments["2023"].to_dict()
    data["targets"][0][field] = value
    assert not validator.is_valid(data)
    del data["targets"][0][field]
    assert not validator.is_valid(data)  # every field is required


def test_the_schema_lists_every_english_status_word() -> None:
    schema = json_schema()["$defs"]["targets_row"]["properties"]
    assert set(schema["status_en"]["enum"]) == {en for _zh, en in WORDINGS}
    assert set(schema["status_zh"]["enum"]) == {zh for zh, _en in WORDINGS}
