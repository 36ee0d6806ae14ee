"""Every Chinese word the catalogue's column notes offer is read by the catalogue reader."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

import hbkit


def _offered_words(tmp_path, field: str) -> list[tuple[str, str]]:
    """The ``word（中文）`` pairs of one field's note in an exported workbook's 说明 sheet."""
    path = tmp_path / "目录.xlsx"
    hbkit.load_catalogue().filter(plan="children").to_file(path)
    sheet = openpyxl.load_workbook(path)["说明 columns"]
    note = next(row[2] for row in sheet.iter_rows(values_only=True) if row[0] == field)
    return re.findall(r"([a-z_]+)（([^）]+)）", note)


@pytest.mark.parametrize("field", ["kind", "direction", "plan"])
def test_each_chinese_word_of_the_notes_is_accepted(tmp_path, field) -> None:
    offered = _offered_words(tmp_path, field)
    assert len(offered) >= 2
    from hbkit.catalogue.io import accepted_word

    assert {zh: accepted_word(field, zh) for _, zh in offered} == {zh: w for w, zh in offered}


def test_a_direction_target_typed_as_the_notes_word_reads(tmp_path) -> None:
    """逐步提高 written 目标类型 = 方向 (the word earlier exports' notes gave) or 变化方向."""
    rows = [{"目标编号": f"C-preschool-{i}", "规划": "儿童", "领域": "教育",
             "规划原文": "学前三年毛入园率逐步提高", "中文名称": "学前三年毛入园率",
             "指标编号": "preschool_gross_enrolment_rate", "目标类型": word, "单位": "%",
             "期望方向": "提高", "目标年份": 2030, "基期年份": 2025}
            for i, word in enumerate(("方向", "变化方向"))]
    path = tmp_path / "新规划.xlsx"
    pd.DataFrame(rows).to_excel(path, index=False)
    catalogue = hbkit.Catalogue.from_file(path)
    assert [t.kind for t in catalogue] == ["direction", "direction"]


@pytest.mark.parametrize(("word", "direction"), [
    ("增加", "increase"), ("上升", "increase"), ("提升", "increase"), ("减少", "decrease"),
    ("缩小", "decrease")])  # 男女收入差距缩小: a gap that narrows
def test_the_plans_own_verbs_of_direction_are_read(tmp_path, word, direction) -> None:
    """托位数量逐步增加, 减少非意愿妊娠: an analyst writes 期望方向 = 增加 or 减少 as the plan
    does; they mean what 提高 and 下降 mean, so they read, as 降低 already did."""
    rows = [{"目标编号": "C-x", "规划": "儿童", "领域": "福利", "规划原文": "托位数量逐步" + word,
             "中文名称": "托位数", "指标编号": "childcare_places", "目标类型": "变化方向",
             "单位": "个", "期望方向": word, "目标年份": 2030, "基期年份": 2025}]
    path = tmp_path / "新规划.xlsx"
    pd.DataFrame(rows).to_excel(path, index=False)
    assert hbkit.Catalogue.from_file(path)["C-x"].direction == direction
