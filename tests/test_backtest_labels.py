"""Chinese-first headings of the backtest tables (``hbkit.backtesting.labels``).

The tables keep their English keys; ``labelled`` and ``BacktestResult.labelled`` give a
copy for analysts with every heading in Chinese (or English, or both), the word values
(methods, kinds, score names, families) too, and the numbers untouched.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import hbkit
from hbkit.backtesting.labels import column_label, labelled, value_label
from hbkit.backtesting.result import TABLES, BacktestResult
from hbkit.datasets import load_example
from hbkit.exceptions import HbkitError

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def result() -> BacktestResult:
    """A small real backtest: IGME 2021, one origin, three countries, levels 80 and 90."""
    obs = load_example("igme2021").observations
    return hbkit.backtest(obs[obs.geo.isin(["CHN", "IND", "BRA"])], origins=[2012], horizon=3,
                          level=(80, 90), n_draws=200, family="IGME mortality")


def _tables(result: BacktestResult) -> dict[str, pd.DataFrame]:
    """Every table the result gives (:data:`TABLES`), grouped by a case column where it can be."""
    out = {"cases": result.to_frame(), "skipped": result.skipped,
           "skipped_reasons": result.skipped_reasons()}
    for name in TABLES:
        if name not in out:
            out[name] = getattr(result, name)(by="family")
    assert set(out) == set(TABLES)
    return out


def test_every_column_of_every_table_has_a_chinese_and_an_english_heading(result) -> None:  # type: ignore[no-untyped-def]
    """A column added to a table without a label fails here."""
    unlabelled = []
    for name, table in _tables(result).items():
        for key in table.columns:
            zh, en = column_label(key, "zh"), column_label(key, "en")
            if not (isinstance(zh, str) and CJK.search(zh) and en != key and not CJK.search(en)):
                unlabelled.append((name, key, zh, en))
    assert unlabelled == []


def test_headings_stay_distinct(result) -> None:  # type: ignore[no-untyped-def]
    for name, table in _tables(result).items():
        for lang in ("zh", "en", "both"):
            shown = labelled(table, lang)
            assert shown.columns.is_unique, (name, lang, list(shown.columns))


def test_numbers_rows_and_index_unchanged(result) -> None:  # type: ignore[no-untyped-def]
    for name, table in _tables(result).items():
        shown = labelled(table, "both")
        assert shown.shape == table.shape and shown.index.equals(table.index), name
        numbers = table.select_dtypes(include=["number", "bool"]).columns
        positions = [table.columns.get_loc(key) for key in numbers]
        pd.testing.assert_frame_equal(shown.iloc[:, positions].set_axis(numbers, axis=1),
                                      table[numbers], obj=name)
    # the table methods themselves keep their keys
    assert list(result.compare().columns[:3]) == ["method", "n_cases", "n_scored"]


def test_compare_in_chinese_english_and_both(result) -> None:  # type: ignore[no-untyped-def]
    zh = result.labelled("compare", "zh")
    assert list(zh.columns[:5]) == ["方法", "案例数", "评分数", "达标率", "平均概率"]
    assert {"Brier 分数", "对数分数", "期望校准误差 ECE", "80%区间覆盖率", "90% PIT 覆盖率"} <= set(zh.columns)
    assert zh["方法"].tolist() == ["hbkit", "维持现状", "Eurostat（0/1）", "UNSD（0/1）", "DNS（0/1）",
                                 "OLS 线性趋势（t 区间）", "Eurostat 分档命中率", "UNSD 分档命中率",
                                 "DNS 符号命中率"]
    en = result.labelled("compare", "en", by="family")
    assert list(en.columns[:4]) == ["Family", "Method", "Cases", "Scored"]
    assert en["Family"].unique().tolist() == ["IGME mortality"]
    both = result.labelled("compare", "both", by="family")
    assert list(both.columns[:3]) == ["数据类别 Family", "方法 Method", "案例数 Cases"]
    assert both["数据类别 Family"].unique().tolist() == ["IGME 儿童死亡率 IGME mortality"]
    # the English already inside the Chinese is not said twice; a name alike in both once
    assert "期望校准误差 ECE" in both.columns and both["方法 Method"].iloc[0] == "hbkit"
    assert both["方法 Method"].iloc[1] == "维持现状 Status quo"


def test_score_names_kinds_rules_and_units_in_words(result) -> None:  # type: ignore[no-untyped-def]
    intervals = result.labelled("score_intervals", "zh")
    assert intervals["评分项"].tolist()[:4] == ["Brier 分数", "校准偏差（平均概率−达标率）",
                                             "期望校准误差 ECE", "完全校准时的 ECE"]
    assert "80% PIT 覆盖率" in intervals["评分项"].tolist()
    assert set(intervals["重抽单位"]) <= {"地区", "序列", "案例"}
    by_kind = result.labelled("scores", "zh", by=["kind", "rule"])
    assert set(by_kind["目标类型"]) == {"相对变化", "变化方向"}
    assert "相对变化 每年3% 基期为起点前2年" in set(by_kind["目标规则"])
    assert value_label("rule", "relative_change 3%/yr base-2", "en") == (
        "relative change 3% a year baseline 2 years before the origin")
    assert value_label("rule", "maintain 80 increase") == "保持 80 提高"
    decomposition = result.labelled("brier_decomposition", "zh")
    assert list(decomposition.columns[:6]) == ["方法", "评分数", "Brier 分数", "可靠性", "分辨力", "不确定性"]


def test_a_level_not_shipped_is_worded_from_its_key() -> None:
    assert column_label("coverage_97.5") == "97.5%区间覆盖率"
    assert column_label("model_coverage_50", "en") == "50% model coverage"
    assert column_label("freq_hi_95", "both") == "实际频率95%上限 Frequency 95% upper"


def test_unknown_keys_and_values_pass_unchanged() -> None:
    table = pd.DataFrame({"family": ["my data", None], "method": ["mystery", "hbkit"],
                          "kind": ["new_kind", "maintain"], "rule": ["DTP3 >= 90", "direction"],
                          "targets": ["real", "rule"], 7: [1.5, 2.5]})
    shown = labelled(table, "zh")
    assert list(shown.columns) == ["数据类别", "方法", "目标类型", "目标规则", "targets", 7]
    assert shown.iloc[0].tolist() == ["my data", "mystery", "new_kind", "DTP3 >= 90", "real", 1.5]
    assert pd.isna(shown.iloc[1, 0])  # missing stays missing
    assert shown.iloc[1, 1:].tolist() == ["hbkit", "保持", "变化方向", "rule", 2.5]
    assert table["kind"].tolist() == ["new_kind", "maintain"]  # the table itself is untouched


def test_lang_and_table_are_checked() -> None:
    table = pd.DataFrame({"brier": [0.1]})
    with pytest.raises(HbkitError, match="lang 须为 'zh'、'en'、'both' 之一；收到 'fr'"):
        labelled(table, "fr")
    result = BacktestResult(cases=pd.DataFrame({"family": "f", "probability": [0.5],
                                                "outcome": [1.0]}))
    with pytest.raises(HbkitError, match="lang must be one of 'zh', 'en', 'both'; received 'zh-CN'"):
        result.labelled("scores", "zh-CN")
    with pytest.raises(HbkitError, match="table 须为 .* 之一；收到 'score'"):
        result.labelled("score")
