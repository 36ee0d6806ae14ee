"""An analyst's own 2026-2030 catalogue: what the reading must not guess or hide.

- a blank 目标年份 takes the year the file's other rows give (with a note naming the
  rows), never the 2025 of the shipped 2021-2025 plans; no year at all is an error;
- 分单位达标 written in the plan's words (街道, 以街为单位) is ``street``; an unknown
  word is refused with the accepted ones (the template's street rows: test_template.py);
- a row's problems are listed at once, a field error beside the rules of the row.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from hbkit import Catalogue, CatalogueError, CatalogueWarning, Target, load_catalogue
from hbkit.assessment.rows import base_year_of

HEADER = ["目标编号", "规划", "领域", "中文名称", "指标编号", "目标类型", "目标值", "单位",
          "期望方向", "目标年份", "基期年份", "分单位达标"]


def _xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _problems(path: Path) -> list[tuple[object, ...]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CatalogueWarning)
        with pytest.raises(CatalogueError) as info:
            Catalogue.from_file(path)
    frame = info.value.problems
    return [(r.row, r.column, r.code) for r in frame.itertuples()]


# ------------------------------------------------------------------ 1. blank target year


def test_a_blank_target_year_takes_the_year_of_the_other_rows_with_a_note(tmp_path) -> None:
    path = _xlsx(tmp_path / "河东区2026-2030.xlsx", [
        ["C-imr", "儿童", "健康", "婴儿死亡率", "imr", "不高于", 3, "‰", None, "2030年", None, None],
        ["C-fitness", "儿童", "健康", "体质达标率", "fitness", "不低于", 60, "%", None, None, None, None],
        ["C-mmr", "儿童", "健康", "孕产妇死亡率", "mmr", "不高于", 8, "/10万", None, 2030, None, None],
    ])
    with pytest.warns(CatalogueWarning) as caught:
        cat = Catalogue.from_file(path)
    assert cat["C-fitness"].target_year == 2030  # not 2025, the shipped plans' year
    assert base_year_of(cat["C-fitness"]) == 2025  # the base follows: five years before
    (note,) = [str(w.message) for w in caught]
    assert note.startswith(f"目标目录 {path} 第 3 行的目标年份（列“目标年份”）为空，已按其他各行取 2030 年")
    assert "blank in row 3 and was taken as 2030" in note


def test_the_most_common_year_is_taken_and_the_rows_are_named(tmp_path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("id,indicator,kind,threshold,unit,target_year\n"
                    "a,x1,lower_bound,1,count,2030\n"
                    "b,x2,lower_bound,1,count,\n"
                    "c,x3,lower_bound,1,count,2027\n"
                    "d,x4,lower_bound,1,count,2030\n"
                    "e,x5,lower_bound,1,count,\n", encoding="utf-8")
    with pytest.warns(CatalogueWarning, match=r"blank in rows 3, 6 .*2 of the other 3 rows"):
        cat = Catalogue.from_file(path)
    assert [t.target_year for t in cat] == [2030, 2030, 2027, 2030, 2030]


@pytest.mark.parametrize(("years", "detail"), [
    ((None, None), "没有一行写明目标年份"),
    ((2025, 2030, None), "其他各行的目标年份不一（2025 年 1 行、2030 年 1 行）"),
])
def test_no_year_to_take_is_an_error_naming_each_blank_row_and_the_column(tmp_path, years,
                                                                           detail) -> None:
    rows = [[f"C-{i}", "儿童", "健康", "名称", f"x{i}", "不低于", 1, "个", None, year, None, None]
            for i, year in enumerate(years)]
    path = _xlsx(tmp_path / "noyear.xlsx", rows)
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_file(path)
    frame = info.value.problems
    blank = [i + 2 for i, year in enumerate(years) if year is None]
    assert frame["row"].tolist() == blank
    assert set(frame["column"]) == {"目标年份"} and set(frame["code"]) == {"target-year-required"}
    assert all(rule.startswith("目标年份为空 / the target year is blank: " + detail)
               for rule in frame["rule"])


def test_from_frame_reads_the_target_year_as_a_file_does() -> None:
    frame = pd.DataFrame({"目标编号": ["a", "b"], "目标类型": ["qualitative"] * 2,
                          "目标年份": [2030, None]})
    with pytest.warns(CatalogueWarning, match="row 1"):
        assert [t.target_year for t in Catalogue.from_frame(frame)] == [2030, 2030]


def test_files_written_by_hbkit_keep_the_target_year_and_python_keeps_its_default(tmp_path) -> None:
    target = Target(id="x", indicator="cov", kind="lower_bound", threshold=95, unit="percent")
    assert target.target_year == 2025  # the Python API is unchanged
    assert Catalogue([{"id": "y", "kind": "qualitative"}])["y"].target_year == 2025
    for suffix in ("yaml", "csv", "xlsx"):
        path = Catalogue([target]).to_file(tmp_path / f"one.{suffix}")
        with warnings.catch_warnings():
            warnings.simplefilter("error", CatalogueWarning)
            assert Catalogue.from_file(path)["x"] == target


def test_the_shipped_catalogue_reads_without_a_note() -> None:
    from hbkit.catalogue.catalogue import _load_shipped

    _load_shipped.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CatalogueWarning)
        assert load_catalogue().last_target_year == 2025


# ------------------------------------------------------------------ 2. 分单位达标 in Chinese


@pytest.mark.parametrize("word", ["street", "街道", "以街为单位", "街", "各街道", "以街道为单位"])
def test_each_unit_in_the_plans_words_is_street(tmp_path, word) -> None:
    path = _xlsx(tmp_path / "each.xlsx", [
        ["C-imm", "儿童", "健康", "接种率", "imm", "保持", 95, "%", "提高", 2030, 2025, word]])
    assert Catalogue.from_file(path)["C-imm"].each_unit == "street"


def test_an_unknown_each_unit_is_refused_with_the_accepted_words(tmp_path) -> None:
    path = _xlsx(tmp_path / "each.xlsx", [
        ["C-imm", "儿童", "健康", "接种率", "imm", "保持", 95, "%", None, 2030, 2025, "区县"]])
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_file(path)
    frame = info.value.problems
    # the row's other problem (保持 without 期望方向) is listed with it
    assert [(r.row, r.column, r.code) for r in frame.itertuples()] == [
        (2, "分单位达标", "literal_error"), (2, "期望方向", "direction-required")]
    assert frame.loc[0, "value"] == "区县"
    rule = frame.set_index("code").loc["literal_error", "rule"]
    assert rule.startswith("须为下列取值之一 / must be one of: street（街道）, community（社区）")
    assert "以街为单位" in rule
    with pytest.raises(ValueError, match="each_unit"):
        Target(id="t", indicator="x", kind="maintain", threshold=1, direction="increase",
               each_unit="district")


# ------------------------------------------------------------------ 4. a row's problems at once


def test_a_rows_rules_are_all_listed_together(tmp_path) -> None:
    """C-伤害 and no 期望方向 on a relative change: both in the first reading."""
    path = _xlsx(tmp_path / "two.xlsx", [
        ["C-伤害", "儿童", "安全", "儿童意外伤害死亡率", "injury", "相对变化", 10, "/10万", None,
         2030, 2025, None]])
    assert _problems(path) == [(2, "目标编号", "id-is-slug"), (2, "期望方向", "direction-required")]


def test_a_field_error_does_not_hide_the_rules_of_the_other_fields(tmp_path) -> None:
    path = _xlsx(tmp_path / "mixed.xlsx", [
        # a threshold that is no number: the id and the base year are still checked, and the
        # threshold is not also said to be missing or out of range
        ["C-伤害", "儿童", "安全", "名称", "injury", "relative_change", "十", "/10万", "下降",
         2030, None, None],
        # an unknown kind: only the rules that do not read the kind
        ["C-二", "儿童", "安全", "名称", "x2", "bound", None, "%", None, 2030, 2031, None],
        # an unknown unit: the bounded-threshold rule reads the unit, so it is not judged
        ["C-3", "儿童", "安全", "名称", "x3", "不低于", 120, "per_mille", None, 2030, None, None],
        # a year that is no year: the base-before-target rule is not judged, the others are
        ["C-4", "儿童", "安全", "名称", "x4", "direction", None, "%", None, "20x0", 2025, None],
    ])
    assert _problems(path) == [
        (2, "目标值", "float_parsing"),
        (2, "目标编号", "id-is-slug"),
        (2, "基期年份", "baseline-required"),
        (3, "目标类型", "literal_error"),
        (3, "目标编号", "id-is-slug"),
        (3, "基期年份", "baseline-before-target"),
        (4, "单位", "literal_error"),
        (5, "目标年份", "int_parsing"),
        (5, "期望方向", "direction-required"),
    ]


def test_a_district_total_with_a_trend_is_judged_as_the_guide_says_of_each_kind() -> None:
    """User guide section 7: 儿童之家不少于60个 written count_minimum is a staffing-minimum
    rule (latest count only, no forecast: 尚未达到 with a hard-to-reach warning, though the
    total grows by about 2 a year and needs 0.5); written lower_bound in unit count it is
    projected and judged by its probability (有望实现)."""
    import hbkit

    data = pd.DataFrame({"indicator": "childrens_homes", "geo": "河北区", "year": range(2018, 2027),
                         "value": [40, 42, 45, 48, 50, 52, 55, 57, 58], "unit": "count"})
    rule = {"id": "h", "indicator": "childrens_homes", "threshold": 60, "unit": "count",
            "target_year": 2030, "direction": "increase"}
    count_rule = hbkit.assess(data, [{**rule, "kind": "count_minimum"}], as_of=2026).to_frame().iloc[0]
    assert count_rule["status_zh"] == "尚未达到" and pd.isna(count_rule["probability"])
    assert pd.isna(count_rule["projected"]) and count_rule["warnings"] == "hard_to_reach"
    bound = hbkit.assess(data, [{**rule, "kind": "lower_bound"}], as_of=2026).to_frame().iloc[0]
    assert bound["status"] == "on_track" and bound["probability"] >= 0.8
    assert bound["lo_80"] < 60 < bound["projected"] < bound["hi_80"]


def test_the_first_monitoring_of_a_new_indicator_says_it_cannot_be_judged_yet() -> None:
    """User guide section 7: in early 2027 a new indicator of the 2026-2030 plans has its base
    year 2025 and 2026 only: insufficient data, the reason naming the 2 years and the 3 needed;
    with 2027 it is judged."""
    import hbkit

    target = [{"id": "C-reading", "indicator": "child_reading_rate", "kind": "lower_bound",
               "threshold": 90, "unit": "percent", "target_year": 2030}]
    values = {2025: 84.0, 2026: 85.5, 2027: 86.9}
    data = pd.DataFrame({"indicator": "child_reading_rate", "geo": "河北区",
                         "year": list(values), "value": list(values.values()), "unit": "percent"})
    first = hbkit.assess(data, target, as_of=2026).to_frame().iloc[0]
    assert first["status_zh"] == "数据不足" and pd.isna(first["probability"])
    assert first["reason_zh"] == "仅有2个观测值，至少需要3个"
    assert first["reason_en"] == "2 observations, 3 needed"
    second = hbkit.assess(data, target, as_of=2027).to_frame().iloc[0]
    assert second["status"] != "insufficient_data" and 0 <= second["probability"] <= 1
