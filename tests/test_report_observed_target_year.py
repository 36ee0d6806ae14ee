"""At the final evaluation a target-year value that is observed is no forecast, decided or not."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

import hbkit
from hbkit.report import tables, write_excel
from hbkit.report.formatting import DASH, format_probability


def _assessment(target: hbkit.Target, values: dict[int, float]) -> hbkit.Assessment:
    frame = pd.DataFrame({"indicator": target.indicator, "geo": "河北区", "year": list(values),
                          "value": list(values.values()), "unit": target.unit, "source": "测试"})
    catalogue = hbkit.Catalogue([target])
    return hbkit.assess(hbkit.read_observations(frame, catalogue), catalogue=catalogue,
                        as_of=2025, n_draws=200)


def _slowdown_from_2020() -> hbkit.Assessment:
    """上升趋势减缓 with data from 2020 only: 数据不足 (no slope before 2020)."""
    target = hbkit.Target(
        id="W-anxiety", plan="women", domain="health", indicator="female_anxiety_disorder_prevalence",
        name_zh="妇女焦虑障碍患病率", name_en="Anxiety prevalence", kind="trend_slowdown",
        unit="percent", direction="decrease", target_year=2025, baseline_year=2020)
    return _assessment(target, {y: 4.5 + 0.05 * (y - 2020) for y in range(2020, 2026)})


def test_an_undecided_row_with_its_target_year_observed_prints_no_projection() -> None:
    res = _slowdown_from_2020()
    row = res.to_frame().iloc[0]
    assert row["status"] == "insufficient_data" and row["latest_year"] == 2025
    assert row["lo_80"] == row["hi_80"] == row["projected"]  # the observed value, width 0
    shown = tables.display_targets(tables.targets_table(res, "zh"), "zh").iloc[0]
    assert shown["latest_value"] == "4.75%（2025）"
    assert (shown["projected"], shown["interval_80"], shown["interval_95"]) == (DASH,) * 3


def test_the_workbook_leaves_that_projection_blank(tmp_path) -> None:
    path = write_excel(_slowdown_from_2020(), tmp_path / "final.xlsx")
    sheet = load_workbook(path)["全部目标"]
    header = [cell.value.split("\n")[0] for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["最新值"] == 4.75
    assert [values[k] for k in ("预测值", "80%下限", "80%上限", "95%下限", "95%上限")] == [None] * 5


def test_a_missing_baseline_keeps_its_model_probability_but_no_projection() -> None:
    """以2020年为基数下降20% with 2020 missing: the status follows the model's probability,
    which the report keeps; the 2025 "projection" is the observed value and is not shown."""
    target = hbkit.Target(
        id="C-injury", plan="children", domain="safety",
        indicator="child_unintentional_injury_mortality_rate", name_zh="儿童意外伤害死亡率",
        name_en="Injury mortality", kind="relative_change", threshold=20, unit="per_100k",
        direction="decrease", target_year=2025, baseline_year=2020)
    values = {y: 6.0 - 0.3 * (y - 2016) for y in range(2016, 2026) if y != 2020}
    values[2025] = 3.85  # about 0.8 x the 2020 the trend gives (4.8): the baseline decides
    res = _assessment(target, values)
    row = res.to_frame().iloc[0]
    assert 0 < row["probability"] < 1 and row["latest_year"] == 2025
    assert "基期（2020年）数据缺失" in row["reason_zh"]
    shown = tables.display_targets(tables.targets_table(res, "zh"), "zh").iloc[0]
    assert shown["probability"] == format_probability(row["probability"])
    assert shown["projected"] == DASH and shown["interval_80"] == DASH
