"""The final evaluation report (终期评估报告): the assessment year reaches the plans' target year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from test_report_cases import (
    FINAL_TARGET_IDS,
    small_assessment,
    small_final_assessment,
    small_inputs,
)

import hbkit
from hbkit.cli import main
from hbkit.report import to_markdown, write_excel
from hbkit.report.html import render_html


@pytest.fixture(scope="module")
def final() -> hbkit.Assessment:
    return small_final_assessment()


@pytest.fixture(scope="module")
def annual() -> hbkit.Assessment:
    return small_assessment()


@pytest.fixture(scope="module")
def final_html(final: hbkit.Assessment) -> dict[str, str]:
    return {lang: render_html(final, lang) for lang in ("zh", "en")}


def test_final_report_is_titled_final_evaluation(final, final_html) -> None:
    assert final.final
    zh, en = final_html["zh"], final_html["en"]
    assert "<title>河北区妇女儿童发展规划（2021—2025年）终期评估报告</title>" in zh
    assert "<h1>河北区妇女儿童发展规划（2021—2025年）终期评估报告</h1>" in zh
    assert "年度监测报告" not in zh
    assert "(2021-2025): final evaluation report</h1>" in en and "monitoring report" not in en
    assert to_markdown(final).startswith("# 河北区妇女儿童发展规划（2021—2025年）终期评估报告\n")


@pytest.mark.filterwarnings("ignore:监测年份.*晚于数据的最后年份")  # as_of after the data, on purpose
def test_final_evaluation_assessed_later_is_titled_by_the_plans_end() -> None:
    """Evaluated in 2027 on data to 2025, the report is still the 2025 final evaluation."""
    observations, catalogue = small_inputs(FINAL_TARGET_IDS, "hebei_example_final")
    later = hbkit.assess(observations, catalogue=catalogue, as_of=2027, n_draws=200, seed=3)
    assert later.final and later.as_of == 2027
    assert to_markdown(later).startswith("# 河北区妇女儿童发展规划（2021—2025年）终期评估报告\n")
    assert to_markdown(later, "en").splitlines()[0].endswith("(2021-2025): final evaluation report")


def test_annual_report_keeps_its_title(annual) -> None:
    assert not annual.final
    assert to_markdown(annual).startswith("# 河北区妇女儿童发展规划（2021—2025年）2023年度监测报告\n")


def test_workbook_title_property_names_the_report(final, annual, tmp_path) -> None:
    titles = {}
    for name, result in (("final", final), ("annual", annual)):
        path = write_excel(result, tmp_path / f"{name}.xlsx")
        titles[name] = load_workbook(path).properties.title
    assert titles["final"] == ("河北区妇女儿童发展规划（2021—2025年）终期评估报告 / Hebei District "
                               "Women's and Children's Development Plans (2021-2025): final evaluation "
                               "report")
    assert titles["annual"].startswith("河北区妇女儿童发展规划（2021—2025年）2023年度监测报告 / ")


def test_cli_names_the_final_evaluation_files(tmp_path, capsys) -> None:
    observations, catalogue = small_inputs(example_name="hebei_example_final")
    csv, yaml = tmp_path / "obs.csv", tmp_path / "targets.yaml"
    observations.to_csv(csv, index=False)
    catalogue.to_file(yaml)
    code = main(["assess", str(csv), "--catalogue", str(yaml), "--as-of", "2025",
                 "--out", str(tmp_path / "out"), "--lang", "both"])
    assert code == 0, capsys.readouterr().err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["final-evaluation-2025.en.html", "final-evaluation-2025.html",
                     "final-evaluation-2025.xlsx"]


def _card(page: str, target_id: str) -> str:
    """The HTML of one target card."""
    start = page.index(f'<span class="id">{target_id}')
    return page[start:page.index("</article>", start)]


def test_decided_cards_show_the_observed_value_and_the_rule_not_a_projection(
        final, final_html) -> None:
    frame = final.to_frame().set_index("target_id")
    met = _card(final_html["zh"], "W-health-cervical-cancer-screening")
    # observed 2025 value 70.32% >= the plan's 70%: the rule is met
    assert float(frame.loc["W-health-cervical-cancer-screening", "latest_value"]) >= 70
    assert "<th>目标年份观测值</th><td>70.3%（2025）</td>" in met
    assert "<th>判定规则</th><td>2025年值≥70%</td>" in met
    assert "<th>判定结果</th><td>满足判定规则</td>" in met
    for word in ("预测值", "80%区间", "95%区间", "实现概率"):
        assert word not in met
    failed = _card(final_html["zh"], "W-decision-female-party-members")
    # observed 2025 value 34.7% < the plan's 35%: not met, worded 未实现
    assert float(frame.loc["W-decision-female-party-members", "latest_value"]) < 35
    assert "<th>判定结果</th><td>不满足判定规则</td>" in failed and "未实现" in failed
    english = _card(final_html["en"], "W-decision-female-party-members")
    assert "<th>Outcome</th><td>rule not met</td>" in english
    assert "Probability" not in english and "Projected" not in english


def test_final_report_explains_its_status_rule(final_html, final) -> None:
    assert "终期评估的状态规则：目标年份（2025年）有观测值的目标" in final_html["zh"]
    assert "Statuses at the final evaluation: a target with an observed value" in final_html["en"]
    assert "终期评估的状态规则" in to_markdown(final)


def _methods_section(page: str) -> str:
    return page[page.index('id="methods"'):]


def test_final_methods_state_the_final_status_rule_not_the_monitoring_one(final, final_html,
                                                                          annual) -> None:
    """The methods section of the final evaluation gave the annual rules (提前实现, 已有年份未达到
    （难以实现）) beside 未实现 verdicts, and the probabilities' backtests with no probability."""
    zh, en = _methods_section(final_html["zh"]), _methods_section(final_html["en"])
    assert "状态规则（终期评估）：目标年份有观测值的目标按规划原文的判定规则用观测值判定" in zh
    assert "Statuses at the final evaluation: a target observed in the target year" in en
    for words in ("提前实现", "已有年份未达到", "概率的可靠性"):
        assert words not in zh
    assert "already missed" not in en and "How reliable the probabilities are" not in en
    markdown = to_markdown(final).split("## 方法说明")[1]
    assert "状态规则（终期评估）" in markdown and "概率的可靠性" not in markdown
    # the annual report keeps the monitoring rules
    annual_methods = _methods_section(render_html(annual, "zh"))
    assert "状态规则：最新值已满足目标为“已实现”（目标年之前为“提前实现”）" in annual_methods
    assert "状态规则（终期评估）" not in annual_methods


def test_final_methods_keep_the_backtests_when_a_target_is_judged_on_its_probability() -> None:
    result = _final_without_a_target_year_value("C-health-infant-mortality")
    methods = _methods_section(render_html(result, "zh"))
    assert "状态规则（终期评估）" in methods and "概率的可靠性" in methods
    assert "概率的可靠性" in to_markdown(result).split("## 方法说明")[1]


def test_annual_report_keeps_projections_and_has_no_final_rule(annual) -> None:
    page = render_html(annual, "zh")
    assert "终期评估的状态规则" not in page and "判定结果" not in page
    card = _card(page, "W-health-cervical-cancer-screening")
    assert "<th>预测值</th>" in card and "<th>实现概率</th>" in card


def test_final_summaries_drop_the_projection_statuses(final, annual) -> None:
    from hbkit.report import tables

    # every row of the final is decided by its 2025 value: no on track / at risk at all
    assert not set(final.to_frame()["status"]) & {"on_track", "at_risk"}
    assert list(tables.status_totals(final)) == [
        "achieved", "off_track", "insufficient_data", "no_data", "not_quantifiable"]
    summary = tables.status_summary(final)
    assert "on_track" not in summary.columns and "at_risk" not in summary.columns
    assert summary.loc["合计", "off_track"] == 1 and summary.loc["合计", "achieved"] == 5
    assert "| 领域 | 已实现 | 未实现 | 数据不足 | 无数据 | 定性目标 | 合计 |" in to_markdown(final)
    # the annual report keeps every status column, even at 0
    assert {"on_track", "at_risk"} <= set(tables.status_summary(annual).columns)


def test_final_markdown_tables_give_the_outcome_not_the_projection(final) -> None:
    text = to_markdown(final)
    assert ("| 女党员比例 | 河北区 | ≥35% | 34.7%（2025） | 不满足判定规则 | 未实现 |" in text)
    assert "| 预测值 |" not in text and "| 实现概率 |" not in text


def test_chart_legend_words_colours_like_the_statuses(final, annual) -> None:
    from hbkit.report.html import chart_legend

    # the final evaluation's red is 未实现 (its off-track rows are not achieved, not hard to reach)
    assert set(final.to_frame().query("status == 'off_track'")["status_zh"]) == {"未实现"}
    zh = chart_legend(final, "zh")
    assert "红色为未实现" in zh and "难以实现" not in zh
    assert "red not achieved" in chart_legend(final, "en")
    # the 2023 report: every achieved row reads 提前实现, and so does the legend
    assert "绿色为提前实现/有望实现" in chart_legend(annual, "zh")
    en = chart_legend(annual, "en")
    assert "shading the 80% band / 95% band;" in en and "bands 80% band" not in en


def _final_without_a_target_year_value(target_id: str) -> hbkit.Assessment:
    """The final evaluation, with ``target_id``'s 2025 value missing: judged on its projection."""
    observations, catalogue = small_inputs(FINAL_TARGET_IDS, "hebei_example_final")
    indicator = catalogue[target_id].indicator
    observations = observations[~((observations["indicator"] == indicator)
                                  & (observations["year"] == 2025))]
    return hbkit.assess(observations, catalogue=catalogue, as_of=2025, n_draws=300, seed=3)


def test_no_probability_chart_when_every_target_is_decided(final_html, annual) -> None:
    for page in final_html.values():
        assert 'id="probabilities"' not in page and 'href="#probabilities"' not in page
    page = render_html(annual, "zh")
    assert '<section id="probabilities">' in page and 'href="#probabilities"' in page


def test_probability_chart_shows_only_the_undecided_targets(monkeypatch) -> None:
    import hbkit.plotting
    result = _final_without_a_target_year_value("C-health-infant-mortality")
    frame = result.to_frame().set_index("target_id")
    assert frame.loc["C-health-infant-mortality", "latest_year"] == 2024
    assert frame.loc["W-health-cervical-cancer-screening", "probability"] == 1.0
    drawn: list[list[str]] = []
    panel = hbkit.plotting.draw_probability_panel

    def recording_panel(assessment, rows, *args, **kwargs):
        drawn.append(list(rows["target_id"]))
        return panel(assessment, rows, *args, **kwargs)

    monkeypatch.setattr(hbkit.plotting, "draw_probability_panel", recording_panel)
    page = render_html(result, "zh")
    assert drawn == [["C-health-infant-mortality"]]
    assert '<section id="probabilities">' in page and 'href="#probabilities"' in page


def test_numbers_behind_a_final_warning_give_no_probability() -> None:
    from hbkit.report import tables

    # series that fluctuate, decided by their 2025 values (one met, one not)
    result = small_final_assessment(("W-health-hbv-mtct", "W-decision-related-departments-increase"))
    warned = tables.warnings_table(result, "zh")
    assert set(warned["code"]) == {"fluctuation"} and len(warned) == 2
    for numbers in warned["numbers"]:
        assert "实现概率" not in numbers and "最新年份=2025" in numbers
    english = tables.warnings_table(result, "en")["numbers"]
    assert not english.str.contains("probability").any()


def test_numbers_behind_a_warning_are_the_warnings_own(monkeypatch) -> None:
    from hbkit.report import tables

    class _Warnings:  # a fluctuation warning and a hard-to-reach one, then a decided target's
        def warnings_frame(self) -> pd.DataFrame:
            return pd.DataFrame({
                "target_id": ["t", "t", "d"], "geo": "g",
                "code": ["fluctuation", "hard_to_reach", "hard_to_reach"],
                "text_zh": "x", "text_en": "x", "probability": [None, 0.42, 0.0],
                "last_year": [2023.0, 2023.0, 2025.0]})

    target = pd.DataFrame({
        "target_id": ["t", "d"], "geo": "g", "probability": [0.42, 0.0],
        "status": ["off_track", "off_track"], "latest_year": [2023, 2025],
        "target_year": [2025, 2025],
        **{c: [None, None] for c in ("group", "name", "status_text", "latest_value",
                                     "projected", "unit", "text_zh")}})
    monkeypatch.setattr(tables, "targets_table", lambda *_: target)
    numbers = list(tables.warnings_table(_Warnings())["numbers"])
    assert numbers == ["最新年份=2023", "实现概率=0.42; 最新年份=2023", "最新年份=2025"]


def test_decided_street_targets_list_their_streets_values_without_probabilities(
        final_html, annual) -> None:
    for lang, word in (("zh", "实现概率"), ("en", "Probability")):
        card = _card(final_html[lang], "C-health-immunization-each-street")
        assert "光复道街道" in card and word not in card
    card = _card(render_html(annual, "zh"), "C-health-immunization-each-street")
    assert "光复道街道" in card and '<th class="num">实现概率</th>' in card


def test_final_legend_explains_only_what_the_charts_show(final) -> None:
    """Every charted target of the final is decided by its 2025 value: no projection, band,
    有望实现 or 存在风险 to explain. One target judged on its projection brings them back."""
    from hbkit.report.html import chart_legend

    zh, en = chart_legend(final, "zh"), chart_legend(final, "en")
    assert zh == "图例：黑线为历史值，灰色虚线为目标值，点线为目标年份。颜色：绿色为已实现，红色为未实现，灰色为数据不足。"
    assert "projection" not in en and "on track" not in en and "red not achieved" in en
    undecided = _final_without_a_target_year_value("C-health-infant-mortality")
    assert "虚线为预测中位数" in chart_legend(undecided, "zh")


def test_the_changes_against_last_year_give_no_probability_for_a_decided_target(
        final, annual, tmp_path) -> None:
    """At the final evaluation a decided target's 1 or 0 is its outcome: the changes table
    prints a dash and the 与上年相比 sheet a blank, not a certain-looking 1.00 / 100.0%."""
    from hbkit.report import tables
    from hbkit.report.changes import changes_display

    decided = tables.decided_keys(final)
    assert decided and not tables.decided_keys(annual)
    shown = changes_display(final, annual)
    keyed = shown.set_index(["target_id", "geo"])
    moved_decided = [key for key in keyed.index if key in decided]
    assert moved_decided  # some decided target changed status since 2023
    assert set(keyed.loc[moved_decided, "probability_now"]) == {tables.DASH}
    assert (keyed.loc[moved_decided, "probability_before"] != tables.DASH).any()  # forecasts
    path = write_excel(final, tmp_path / "final.xlsx", previous=annual)
    frame = pd.read_excel(path, sheet_name="与上年相比").set_index(
        ["目标编号\nTarget id", "地区\nArea"])
    rows = frame.loc[sorted(decided & set(frame.index))]
    assert len(rows) == len(decided)
    assert rows["本次实现概率\nProbability now"].isna().all()
    assert rows["实现概率变化\nChange in probability"].isna().all()
    assert rows["上次实现概率\nProbability then"].notna().any()  # 2023's forecasts are kept


def test_the_workbook_leaves_a_decided_target_s_probability_blank(final, tmp_path) -> None:
    from hbkit.report import tables

    path = write_excel(final, tmp_path / "final.xlsx")
    frame = pd.read_excel(path, sheet_name="全部目标")
    ids, geo = "目标编号\nTarget id", "地区\nArea"
    p = "实现概率\nProbability"
    decided = tables.decided_keys(final)
    is_decided = [(t, g) in decided for t, g in zip(frame[ids], frame[geo], strict=True)]
    assert any(is_decided) and not all(is_decided)
    assert frame.loc[is_decided, p].isna().all()
    # nor the observed value again as a "projection" with an interval of width 0
    forecast = ["预测值\nProjected", "80%下限\n80% lower", "80%上限\n80% upper",
                "95%下限\n95% lower", "95%上限\n95% upper"]
    assert frame.loc[is_decided, forecast].isna().all().all()
    assert frame.loc[is_decided, "最新值\nLatest value"].notna().all()
    kept = final.to_frame()  # the numbers stay in the assessment and the JSON
    assert kept.loc[kept["status"] == "achieved", "projected"].notna().any()
    frame_all = final.to_frame()  # the assessment itself keeps the outcome 1 / 0
    assert set(frame_all["probability"].dropna()) >= {1.0}


def test_a_probability_of_one_prints_as_no_certainty(tmp_path) -> None:
    """P = 1 in the annual monitoring is every simulated path meeting the target, not a
    certainty: the tables print >0.99 and the workbook >99.9%, as for 0.996."""
    from hbkit.report import tables

    target = hbkit.Target(id="far", indicator="far", kind="lower_bound", threshold=50.0,
                          unit="percent", baseline_year=2020, name_zh="某比率",
                          name_en="some rate")
    frame = pd.DataFrame({"indicator": "far", "geo": "X", "year": range(2016, 2024),
                          "value": [90.1, 90.4, 90.2, 90.6, 90.5, 90.8, 90.7, 91.0],
                          "unit": "percent"})
    result = hbkit.assess(frame, catalogue=hbkit.Catalogue([target]), as_of=2023, seed=1,
                          n_draws=200)
    assert result.to_frame()["probability"].tolist() == [1.0]  # every path met
    for lang in ("zh", "en"):
        shown = tables.display_targets(tables.targets_table(result, lang), lang)
        assert shown["probability"].tolist() == [">0.99"]
    assert "1.00" not in to_markdown(result)
    book = load_workbook(write_excel(result, tmp_path / "far.xlsx"))
    cells = [c for c in book["全部目标"][2] if c.value == 1.0]
    assert cells and cells[0].number_format == '">99.9%"'


def _final_pair() -> tuple[hbkit.Assessment, hbkit.Assessment]:
    """Two final evaluations of one target whose 2025 value was corrected from 96 to 94
    (lower bound 95), and a fluctuating count series decided in 2025 too."""
    target = [{"id": "cov", "indicator": "cov", "kind": "lower_bound", "threshold": 95,
               "unit": "percent", "baseline_year": 2020, "name_zh": "某覆盖率"}]
    years = list(range(2018, 2026))

    def frame(last: float) -> pd.DataFrame:
        return pd.DataFrame({"indicator": "cov", "geo": "区", "year": years,
                             "value": [95.5, 96.0, 95.8, 96.2, 96.1, 95.9, 96.3, last],
                             "unit": "percent"})

    return (hbkit.assess(frame(96.0), target, as_of=2025, seed=1),
            hbkit.assess(frame(94.0), target, as_of=2025, seed=1))


def test_both_sides_of_a_change_between_decided_outcomes_print_a_dash() -> None:
    from hbkit.report import tables
    from hbkit.report.changes import changes_display

    before, now = _final_pair()
    assert tables.decided_keys(before) == tables.decided_keys(now) == {("cov", "区")}
    row = changes_display(now, before).iloc[0]
    assert (row["status_before"], row["status_now"]) == ("已实现", "未实现")
    assert row["probability_before"] == row["probability_now"] == tables.DASH


def test_the_workbook_leaves_decided_probabilities_blank_on_every_sheet(tmp_path) -> None:
    """全部目标, 预警清单 and 街道明细 alike: a decided outcome is not a forecast."""
    from hbkit.report import tables

    probability = "实现概率\nProbability"
    # a fluctuation warning on a target decided by its 2025 value
    years = np.arange(2016, 2026)
    deaths = np.array([2, 40, 3, 45, 1, 50, 2, 48, 3, 44])
    births = np.full(10, 4000.0)
    swings = pd.DataFrame({"indicator": "imr", "geo": "区", "year": years,
                           "value": deaths / births * 1000, "numerator": deaths,
                           "denominator": births, "unit": "per_1000"})
    target = [{"id": "imr", "indicator": "imr", "kind": "upper_bound", "threshold": 20,
               "unit": "per_1000", "baseline_year": 2020}]
    swinging = hbkit.assess(swings, target, as_of=2025, seed=1)
    assert tables.decided_keys(swinging) == {("imr", "区")}
    assert "fluctuation" in set(swinging.warnings_frame()["code"])
    sheet = pd.read_excel(write_excel(swinging, tmp_path / "w.xlsx"), sheet_name="预警清单")
    assert len(sheet) and sheet[probability].isna().all()
    assert sheet["预测值\nProjected"].isna().all()
    final = small_final_assessment()
    book = write_excel(final, tmp_path / "f.xlsx")
    streets = pd.read_excel(book, sheet_name="街道明细")
    assert len(streets) and streets[probability].isna().all()  # its target is decided


def test_a_count_rule_judged_on_an_older_count_at_the_final_evaluation_has_no_probability(
        ) -> None:
    """A count rule forecasts nothing: judged in 2025 on its 2024 count it is achieved, but
    a probability of 1 would read as a forecast (>0.99); only the 2025 count decides it."""
    target = [hbkit.Target(id="cm", indicator="n", kind="count_minimum", threshold=1,
                           unit="count", name_zh="至少一个")]
    older = pd.DataFrame({"indicator": "n", "geo": "区", "year": [2021, 2022, 2023, 2024],
                          "value": [1, 2, 2, 3], "unit": "count"})
    with pytest.warns(hbkit.HbkitWarning):  # assessed after the data, on purpose
        row = hbkit.assess(older, target, as_of=2025).to_frame().iloc[0]
    assert row["status"] == "achieved" and pd.isna(row["probability"])
    current = pd.concat([older, older.tail(1).assign(year=2025)], ignore_index=True)
    row = hbkit.assess(current, target, as_of=2025).to_frame().iloc[0]
    assert row["status"] == "achieved" and row["probability"] == 1.0


def test_english_report_words_a_count_rule_judged_on_an_older_count_as_chinese_does() -> None:
    """At the final evaluation a count rule judged on its 2024 count is 已实现 (提前实现 is
    before the target year only): the English report says "achieved", as the workbook
    does, not "achieved early" because the latest year is before the target year."""
    target = [hbkit.Target(id="cm", indicator="n", kind="count_minimum", threshold=1,
                           unit="count", name_zh="至少一个", name_en="at least one")]
    older = pd.DataFrame({"indicator": "n", "geo": "区", "year": [2021, 2022, 2023, 2024],
                          "value": [1, 2, 2, 3], "unit": "count"})
    with pytest.warns(hbkit.HbkitWarning):  # assessed after the data, on purpose
        res = hbkit.assess(older, target, as_of=2025)
    assert res.to_frame()["status_zh"].tolist() == ["已实现"]
    for lang, name, word in (("zh", "至少一个", "已实现"), ("en", "at least one", "achieved")):
        lines = to_markdown(res, lang).splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith(f"| {name} |"))
        cells = dict(zip(lines[at - 2].split(" | "), lines[at].split(" | "), strict=True))
        assert cells["状态" if lang == "zh" else "Status"] == word, lang


def test_the_warning_list_gives_no_probability_for_a_target_already_missed() -> None:
    """已有年份未达到: the probability of the remaining years is not the target's; the warning
    list names the missed years instead (the targets table keeps it, its reason says so)."""
    from hbkit.report import tables

    years = list(range(2016, 2024))
    falling = pd.DataFrame({"indicator": "myopia", "geo": "区", "year": years,
                            "value": [60.0, 59.5, 59.2, 58.8, 58.5, 58.4, 58.1, 57.9],
                            "unit": "percent"})
    target = [{"id": "m", "indicator": "myopia", "kind": "annual_change", "threshold": 1,
               "direction": "decrease", "unit": "percent", "baseline_year": 2020,
               "name_zh": "近视率"}]
    result = hbkit.assess(falling, target, as_of=2023, seed=1)
    assert result.to_frame().iloc[0]["status_zh"] == "已有年份未达到"
    listed = tables.warnings_table(result, "zh")
    hard = listed[listed["code"] == "hard_to_reach"]
    assert len(hard) and hard["probability"].isna().all()
    assert hard["numbers"].str.startswith("未达到的年份=").all()
    shown = tables.display_warnings(hard, "zh")
    assert set(shown["probability"]) == {tables.DASH}


def _baseline_missing_final(*target_ids: str) -> hbkit.Assessment:
    """Targets of a 20% fall by 2025 from 2020, at 9.9 in 2025 (from 10): ``with-base`` has its
    2020 value and is decided 未实现 by the rule; ``no-base`` has none and is judged on the
    model: 难以实现."""
    rows = []
    for indicator, years in (("x", [y for y in range(2016, 2026) if y != 2020]),
                             ("y", list(range(2016, 2026)))):
        if {"x": "no-base", "y": "with-base"}[indicator] not in target_ids:
            continue
        rows += [{"indicator": indicator, "geo": "河北区", "year": y,
                  "value": 10.0 if y <= 2020 else 9.9, "unit": "per_1000"} for y in years]
    catalogue = hbkit.Catalogue([
        hbkit.Target(id=target_id, indicator=indicator, kind="relative_change", threshold=20,
                     unit="per_1000", direction="decrease", baseline_year=2020,
                     target_year=2025, plan="women", domain="health")
        for target_id, indicator in (("no-base", "x"), ("with-base", "y"))
        if target_id in target_ids])
    return hbkit.assess(pd.DataFrame(rows), catalogue=catalogue, as_of=2025, n_draws=200)


def test_final_summary_heading_names_the_rows_judged_on_the_model(tmp_path) -> None:
    """A 未实现 column must not count a row that reads 难以实现 (baseline missing, judged on the
    model): the heading names both wordings, in every report; alone, 难以实现 is the heading."""
    result = _baseline_missing_final("no-base", "with-base")
    rows = result.to_frame().set_index("target_id")
    assert rows.loc["no-base", "status_zh"] == "难以实现"
    assert rows.loc["with-base", "status_zh"] == "未实现"
    zh, en = result.summary("zh"), result.summary("en")
    assert "未实现/难以实现" in zh.columns and "未实现" not in zh.columns
    assert zh.loc[("合计", ""), "未实现/难以实现"] == 2
    assert "not achieved / off track" in en.columns
    assert '<th class="num">未实现/难以实现</th>' in render_html(result, "zh")
    assert "| 未实现/难以实现 |" in to_markdown(result)
    write_excel(result, tmp_path / "final.xlsx")
    headings = [c.value for c in load_workbook(tmp_path / "final.xlsx")["汇总"][1]]
    assert "未实现/难以实现\nnot achieved / off track" in headings
    # the model-judged row alone: the column reads as that row does, the decided one alone 未实现
    assert "难以实现" in _baseline_missing_final("no-base").summary("zh").columns
    assert "未实现" in _baseline_missing_final("with-base").summary("zh").columns


def test_an_unnamed_catalogue_title_names_the_plan_period() -> None:
    """A user's 2026-2030 catalogue without a name: the title says which plan (2026—2030年,
    from base year 2025 and target year 2030), not just 河北区妇女儿童发展规划."""
    catalogue = hbkit.Catalogue([hbkit.Target(
        id="C-imr", indicator="imr", kind="upper_bound", threshold=5.0, unit="per_1000",
        target_year=2030)])
    obs = pd.DataFrame({"indicator": "imr", "geo": "河北区", "year": range(2020, 2027),
                        "value": [5.5, 5.1, 4.9, 4.8, 4.7, 4.6, 4.5]})
    result = hbkit.assess(obs, catalogue=catalogue, as_of=2026, n_draws=200)
    assert to_markdown(result).startswith("# 河北区妇女儿童发展规划（2026—2030年）2026年度监测报告\n")
    assert to_markdown(result, "en").startswith(
        "# Hebei District Women's and Children's Development Plans (2026-2030): monitoring "
        "report 2026\n")
    assert "<h1>河北区妇女儿童发展规划（2026—2030年）2026年度监测报告</h1>" in render_html(result, "zh")


def test_the_printed_status_table_gives_the_outcome_not_empty_projections(final, annual) -> None:
    """``hbkit assess`` printed 预测值 and 实现概率 columns of dashes at the final evaluation,
    with no word on whether the rule was met; now the outcome, as in the Markdown report."""
    from hbkit.cli.assess import status_table

    zh = status_table(final).splitlines()
    assert "判定结果" in zh[0] and "预测值" not in zh[0] and "实现概率" not in zh[0]
    party = next(line for line in zh if line.startswith("W-decision-female-party-members"))
    assert "34.7%（2025）" in party and "不满足判定规则" in party and party.rstrip().endswith("未实现")
    screening = next(line for line in zh if line.startswith("W-health-cervical-cancer-screening"))
    assert "满足判定规则" in screening and "不满足" not in screening
    assert "Outcome" in status_table(final, "en").splitlines()[0]
    # a target still judged on its projection keeps both columns beside the outcome
    mixed = status_table(_final_without_a_target_year_value("C-health-infant-mortality"))
    assert all(word in mixed.splitlines()[0] for word in ("预测值", "实现概率", "判定结果"))
    # the annual table is as before
    head = status_table(annual).splitlines()[0]
    assert "预测值" in head and "实现概率" in head and "判定结果" not in head


# ---- the final evaluation speaks of outcomes: its labels and its words

def test_final_official_labels_give_the_outcome_not_the_pace(final, final_html, annual) -> None:
    """女党员比例 34.69% in 2025 against at least 35%, from 32.96% in 2020: it grew at 85%
    of the required rate (a pace Eurostat calls acceleration needed), and it is missed.
    Every scheme says 未实现, beside hbkit's 未实现; the ratio is still shown."""
    frame = final.to_frame().set_index("target_id")
    row = frame.loc["W-decision-female-party-members"]
    ratio = ((34.69 / 32.96) ** 0.2 - 1) / ((35 / 32.96) ** 0.2 - 1)  # 0.851
    assert row["eurostat_ratio"] == pytest.approx(ratio, abs=0.01)
    assert (row["eurostat_band"], row["unsd_band"], row["dns_symbol"]) == ("not_achieved",) * 3
    assert row["status_zh"] == "未实现"
    quantitative = frame[frame["kind"] != "qualitative"]
    met = quantitative[quantitative["status"] == "achieved"]
    for column in ("eurostat_band", "unsd_band", "dns_symbol"):
        assert set(met[column]) == {"achieved"}
    assert "| 女党员比例 | 河北区 | ≥35% | 34.7%（2025） | 不满足判定规则 | 未实现 |  | 未实现 | 未实现 | 未实现 |" \
        in to_markdown(final)
    assert "Eurostat: 未实现 (0.85) · UNSD: 未实现 · DNS: 未实现" in _card(
        final_html["zh"], "W-decision-female-party-members")
    assert "Eurostat: not achieved (0.85) · UNSD: target not met · DNS: target not met" in _card(
        final_html["en"], "W-decision-female-party-members")
    # the annual monitoring keeps the pace labels: no outcome code before the target year
    labels = annual.to_frame()[["eurostat_band", "unsd_band", "dns_symbol"]]
    assert "not_achieved" not in labels.to_numpy() and "achieved" not in set(labels["dns_symbol"])


def test_final_report_says_evaluation_where_the_annual_one_says_monitoring(final, final_html,
                                                                          annual) -> None:
    markdown = {lang: to_markdown(final, lang=lang) for lang in ("zh", "en")}
    assert "\n评估年份：2025" in markdown["zh"] and "监测年份" not in markdown["zh"]
    assert "\n## 各领域目标实现情况\n" in markdown["zh"] and "各领域目标监测情况" not in markdown["zh"]
    assert "\nYear of evaluation: 2025" in markdown["en"] and "As of" not in markdown["en"]
    zh, en = final_html["zh"], final_html["en"]
    assert "<span>评估年份：2025</span>" in zh and "监测年份" not in zh
    assert "<p>终期评估共 7 项目标（目标 × 地区），其中已实现 5 项，未实现 1 项，定性目标 1 项。</p>" in zh
    assert "共监测" not in zh and "各领域目标监测情况" not in zh and '>各领域目标实现情况<' in zh
    assert "<span>Year of evaluation: 2025</span>" in en
    assert "7 targets (target × area) evaluated: 5 achieved, 1 not achieved" in en
    assert "monitored" not in en
    # every target decided by its 2025 value: no interval anywhere, so no interval levels
    assert "区间水平" not in zh and "Interval levels" not in en
    # the annual report keeps its words
    annual_zh, annual_en = render_html(annual, "zh"), render_html(annual, "en")
    assert "<span>监测年份：2023</span>" in annual_zh and "<span>区间水平：80%/95%</span>" in annual_zh
    assert "<p>共监测 6 项目标（目标 × 地区），其中" in annual_zh and ">各领域目标监测情况<" in annual_zh
    assert "<span>As of: 2023</span>" in annual_en and "targets (target × area) monitored:" in annual_en
    assert "\n监测年份：2023" in to_markdown(annual)


def test_final_methods_explain_no_model_when_every_target_is_decided(final, final_html) -> None:
    zh, en = _methods_section(final_html["zh"]), _methods_section(final_html["en"])
    assert "结果由观测值决定，不作预测，不给区间和实现概率。" in zh
    assert "三种标签都只给结果：满足目标为“已实现”，否则为“未实现”" in zh
    for words in ("实现概率是预测分布", "区间取自同一预测分布", "每个指标在其自然尺度上建模", "建模尺度"):
        assert words not in zh
    assert "no projection, interval or probability" in en and "all three give the outcome" in en
    assert "The probability of meeting a target" not in en and "natural scale" not in en
    markdown = to_markdown(final).split("## 方法说明")[1]
    assert "不作预测" in markdown and "| 指标 | 单位 | 模型 |" not in markdown


def test_final_methods_explain_the_model_for_the_targets_judged_on_it() -> None:
    result = _final_without_a_target_year_value("C-health-infant-mortality")
    methods = _methods_section(render_html(result, "zh"))
    assert "目标年份缺少观测值（或缺少判定所需年份观测值）的目标按模型预测判定。每个指标在其自然尺度上建模" \
        in methods
    assert "区间取自同一预测分布" in methods and "三种标签都只给结果" in methods
    # the table of models lists the one series judged on its projection
    from hbkit.report import tables

    assert tables.methods_scales(result, "zh")["name"].tolist() == ["婴儿死亡率"]
    assert "<span>区间水平：80%/95%</span>" in render_html(result, "zh")
    english = _methods_section(render_html(result, "en"))
    assert "are judged on a projection. Each indicator is modelled" in english
