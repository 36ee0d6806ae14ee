"""The final evaluation says why each target it cannot call met or not met reads as it does."""

from __future__ import annotations

import pandas as pd
import pytest

import hbkit

YEARS = range(2016, 2026)


def _catalogue(*targets: hbkit.Target) -> hbkit.Catalogue:
    return hbkit.Catalogue(list(targets))


def _street_target() -> hbkit.Target:
    return hbkit.Target(
        id="C-imm", plan="children", domain="health", indicator="immunization_coverage",
        name_zh="适龄儿童免疫规划疫苗接种率", name_en="Immunisation coverage",
        text_zh="以街为单位的适龄儿童免疫规划疫苗接种率保持在95%以上", kind="maintain",
        threshold=95, unit="percent", direction="increase", target_year=2025,
        baseline_year=2020, each_unit="street")


def _street_rows(broken: float) -> pd.DataFrame:
    rows = []
    for geo, level in (("河北区", 97.5), ("河北区/甲街道", 97.0), ("河北区/乙街道", 98.0)):
        for year in YEARS:
            value = broken if (geo == "河北区/甲街道" and year == 2023) else level
            rows.append({"indicator": "immunization_coverage", "geo": geo, "year": year,
                         "value": value, "unit": "percent", "source": "测试"})
    return pd.DataFrame(rows)


def test_a_street_target_not_achieved_names_the_street_and_year_that_broke_it() -> None:
    """Every street is at 97-98% in 2025, so the target-year value meets ≥95%: the 未实现
    must say that 甲街道 was at 94% in 2023 (every year must hold), or it reads as wrong."""
    catalogue = _catalogue(_street_target())
    obs = hbkit.read_observations(_street_rows(94.0), catalogue)
    row = hbkit.assess(obs, catalogue=catalogue, as_of=2025, n_draws=200).to_frame().iloc[0]
    assert row["status"] == "off_track" and row["status_zh"] == "未实现"
    assert row["latest_value"] == pytest.approx(97.0)  # the worst street in 2025 meets it
    assert row["reason_zh"] == ("终期评估：甲街道2023年为94%，不满足判定规则（2021—2025年每年≥95%），"
                                "故未实现")
    assert row["reason_en"] == ("final evaluation: 甲街道: 94% in 2023, against the rule "
                                "(every year 2021-2025 >= 95%), so not achieved")


def test_a_street_target_met_every_year_gets_no_missed_year_reason() -> None:
    catalogue = _catalogue(_street_target())
    obs = hbkit.read_observations(_street_rows(96.0), catalogue)
    row = hbkit.assess(obs, catalogue=catalogue, as_of=2025, n_draws=200).to_frame().iloc[0]
    assert row["status_zh"] == "已实现"
    assert pd.isna(row["reason_zh"])


def test_an_annual_decline_not_achieved_names_each_year_that_fell_short() -> None:
    """每年降低1个百分点以上: 2021-2025 fall by 1.5, 0.5, 1.2, 1.0, 0.2 points; 2022 and 2025
    fell short (1.0 exactly meets 以上)."""
    target = hbkit.Target(
        id="C-myopia", plan="children", domain="health", indicator="child_adolescent_myopia_rate",
        name_zh="儿童青少年总体近视率", name_en="Myopia rate", kind="annual_change",
        text_zh="儿童青少年总体近视率每年降低1个百分点以上", threshold=1, unit="percent",
        direction="decrease", target_year=2025, baseline_year=2020)
    values = dict(zip(YEARS, [60.0, 59.5, 59.0, 58.6, 58.0, 56.5, 56.0, 54.8, 53.8, 53.6],
                      strict=True))
    frame = pd.DataFrame({"indicator": "child_adolescent_myopia_rate", "geo": "河北区",
                          "year": list(values), "value": list(values.values()),
                          "unit": "percent", "source": "测试"})
    catalogue = _catalogue(target)
    obs = hbkit.read_observations(frame, catalogue)
    row = hbkit.assess(obs, catalogue=catalogue, as_of=2025, n_draws=200).to_frame().iloc[0]
    assert row["status_zh"] == "未实现"
    assert row["reason_zh"] == (
        "终期评估：2022年比上一年变化-0.5个百分点、2025年比上一年变化-0.2个百分点，"
        "不满足判定规则（2021—2025年每年比上一年下降1个百分点以上），故未实现")


def _slowdown_frame(first_year: int) -> tuple[pd.DataFrame, hbkit.Catalogue]:
    target = hbkit.Target(
        id="W-anxiety", plan="women", domain="health", indicator="female_anxiety_disorder_prevalence",
        name_zh="妇女焦虑障碍患病率", name_en="Anxiety prevalence", kind="trend_slowdown",
        text_zh="妇女焦虑障碍患病率上升趋势减缓", unit="percent", direction="decrease",
        target_year=2025, baseline_year=2020)
    years = list(range(first_year, 2026))
    frame = pd.DataFrame({"indicator": "female_anxiety_disorder_prevalence", "geo": "河北区",
                          "year": years, "value": [4.0 + 0.1 * (y - 2016) for y in years],
                          "unit": "percent", "source": "测试"})
    return frame, _catalogue(target)


@pytest.mark.parametrize("as_of", [2023, 2025])
def test_a_trend_slowdown_without_years_before_the_base_says_what_is_missing(as_of) -> None:
    """上升趋势减缓 compares the slope after 2020 with the slope up to 2020: data from 2020 only
    give no slope before. The reason must say so (not 无法计算达标概率, nor, at the final
    evaluation, that the probability came from the model: there is none)."""
    frame, catalogue = _slowdown_frame(2020)
    obs = hbkit.read_observations(frame, catalogue)
    row = hbkit.assess(obs, catalogue=catalogue, as_of=as_of, n_draws=200).to_frame().iloc[0]
    assert row["status_zh"] == "数据不足" and pd.isna(row["probability"])
    assert row["reason_zh"] == ("判定须比较2020年前后的趋势斜率，需要2020年及以前至少2个年份的数据，"
                                "现仅有2020年的数据，无法判断；请补填2020年以前的数据")
    assert "from the model" not in row["reason_en"]
    assert row["reason_en"].startswith("the rule compares the trend after 2020 with the trend "
                                       "up to 2020")


def test_a_trend_slowdown_with_years_before_the_base_is_judged() -> None:
    frame, catalogue = _slowdown_frame(2016)
    obs = hbkit.read_observations(frame, catalogue)
    row = hbkit.assess(obs, catalogue=catalogue, as_of=2025, n_draws=200).to_frame().iloc[0]
    assert row["status_zh"] == "未实现"  # one straight line: the slope did not fall
    assert pd.isna(row["reason_zh"])


def _streets_frame(changes: dict[tuple[str, int], float | None]) -> pd.DataFrame:
    """District 97.5%, 甲街道 97%, 乙街道 98% every year 2016-2025, but for ``changes``
    ((geo, year) -> value, ``None`` = not reported)."""
    rows = []
    for geo, level in (("河北区", 97.5), ("河北区/甲街道", 97.0), ("河北区/乙街道", 98.0)):
        for year in YEARS:
            value = changes.get((geo, year), level)
            if value is not None:
                rows.append({"indicator": "immunization_coverage", "geo": geo, "year": year,
                             "value": value, "unit": "percent", "source": "测试"})
    return pd.DataFrame(rows)


def _final_street_row(changes: dict[tuple[str, int], float | None]) -> pd.Series:
    catalogue = _catalogue(_street_target())
    obs = hbkit.read_observations(_streets_frame(changes), catalogue)
    return hbkit.assess(obs, catalogue=catalogue, as_of=2025, n_draws=200).to_frame().iloc[0]


def _residents_committee_target() -> hbkit.Target:
    """社区居委会成员中女性比例保持在60%以上: a maintain rule, every year 2021-2025 >= 60%."""
    return hbkit.Target(
        id="W-rc", plan="women", domain="decision",
        indicator="female_share_of_residents_committee_members",
        name_zh="社区居委会成员中女性比例", name_en="Women among residents' committee members",
        text_zh="社区居委会成员中女性比例保持在60%以上", kind="maintain", threshold=60,
        unit="percent", direction="increase", target_year=2025, baseline_year=2020)


def _district_values(target: hbkit.Target, values: dict[int, float]) -> pd.DataFrame:
    """The district's percent of ``target``'s indicator, year -> value."""
    return pd.DataFrame({"indicator": target.indicator, "geo": "河北区", "year": list(values),
                         "value": list(values.values()), "unit": "percent", "source": "测试"})


def test_a_maintain_target_broken_before_a_missing_target_year_is_not_achieved() -> None:
    """保持60%以上 with 2023 at 59% and no 2025 value: the plan's rule (every year 2021-2025
    ≥60%) is already false on the observed 2023, whatever 2025 holds, so the final
    evaluation says 未实现 (P = 0), not 已有年份未达到 with the remaining year's probability."""
    target = _residents_committee_target()
    values = {year: 61.0 for year in YEARS if year != 2025} | {2023: 59.0}
    frame = _district_values(target, values)
    catalogue = _catalogue(target)
    obs = hbkit.read_observations(frame, catalogue)
    with pytest.warns(hbkit.HbkitWarning, match="晚于数据的最后年份2024年"):
        res = hbkit.assess(obs, catalogue=catalogue, as_of=2025, n_draws=200)
    row = res.to_frame().iloc[0]
    assert (row["status"], row["status_zh"], row["probability"]) == ("off_track", "未实现", 0.0)
    assert row["reason_zh"] == "终期评估：2023年为59%，不满足判定规则（2021—2025年每年≥60%），故未实现"
    # the missing target year is still reported, as a warning
    assert res.warnings_frame()["code"].tolist() == ["latest_missing"]


def test_a_street_broken_earlier_decides_the_final_evaluation_when_another_street_lacks_2025(
) -> None:
    """乙街道 at 94% in 2023 breaks 以街为单位…保持在95%以上 for good; 甲街道's missing 2025
    cannot change that: 未实现 (P = 0), naming 乙街道 2023, not 有望实现 from the model."""
    row = _final_street_row({("河北区/甲街道", 2025): None, ("河北区/乙街道", 2023): 94.0})
    assert (row["status"], row["status_zh"], row["probability"]) == ("off_track", "未实现", 0.0)
    assert row["reason_zh"] == ("终期评估：乙街道2023年为94%，不满足判定规则（2021—2025年每年≥95%），"
                                "故未实现")


def test_a_street_below_the_threshold_in_2025_decides_it_when_another_street_lacks_2025(
) -> None:
    row = _final_street_row({("河北区/甲街道", 2025): None, ("河北区/乙街道", 2025): 94.9})
    assert (row["status_zh"], row["probability"]) == ("未实现", 0.0)
    assert row["reason_zh"] == ("终期评估：乙街道2025年为94.9%，不满足判定规则（2021—2025年每年≥95%），"
                                "故未实现")


def test_an_undecided_street_target_names_the_street_without_a_target_year_value() -> None:
    """Every street meets ≥95% in every observed year, but 甲街道 has no 2025 value: the
    probability comes from the model, and the reason says which street lacks which year."""
    row = _final_street_row({("河北区/甲街道", 2025): None})
    assert row["status_zh"] != "已实现" and 0.0 < row["probability"] <= 1.0
    assert row["reason_zh"] == "终期评估：甲街道2025年（目标年份）无数据，概率来自模型"
    assert row["reason_en"] == ("final evaluation: no value for 甲街道 in the target year 2025, "
                                "so the probability comes from the model")


def test_an_annual_change_across_a_missing_year_is_worded_as_a_change_per_year_since_then(
) -> None:
    """每年降低1个百分点以上 with no 2020 value: 2021 (59.5) is judged against 2019 (61.0), a
    fall of 1.5 points over two years, 0.75 a year, short of 1; the reason must not call it
    a change 比上一年 (from 2020, which has no value)."""
    target = hbkit.Target(
        id="C-myopia", plan="children", domain="health", indicator="child_adolescent_myopia_rate",
        name_zh="儿童青少年总体近视率", name_en="Myopia rate", kind="annual_change",
        text_zh="儿童青少年总体近视率每年降低1个百分点以上", threshold=1, unit="percent",
        direction="decrease", target_year=2025, baseline_year=2020)
    values = {2016: 64.0, 2017: 63.0, 2018: 62.0, 2019: 61.0, 2021: 59.5, 2022: 58.0,
              2023: 57.0, 2024: 56.0, 2025: 55.0}
    frame = _district_values(target, values)
    catalogue = _catalogue(target)
    obs = hbkit.read_observations(frame, catalogue)
    row = hbkit.assess(obs, catalogue=catalogue, as_of=2025, n_draws=200).to_frame().iloc[0]
    assert (row["status_zh"], row["probability"]) == ("未实现", 0.0)
    assert row["reason_zh"] == ("终期评估：2021年比2019年年均变化-0.75个百分点，不满足判定规则"
                                "（2021—2025年每年比上一年下降1个百分点以上），故未实现")
    assert row["reason_en"].startswith(
        "final evaluation: a change of -0.75 percentage points a year from 2019 to 2021, ")


def _street_count_row(counts: dict[str, dict[int, int]]) -> pd.Series:
    target = hbkit.Target(
        id="W-street-women", plan="women", domain="decision",
        indicator="women_in_street_leadership_teams", name_zh="街道领导班子女干部人数",
        name_en="Women in street leadership teams", kind="count_minimum", threshold=1,
        unit="count", direction="increase", text_zh="街道党工委、办事处领导班子中至少各配备1名女干部",
        target_year=2025, baseline_year=2020, each_unit="street")
    frame = pd.DataFrame([{"indicator": target.indicator, "geo": f"河北区/{street}", "year": year,
                           "value": value, "unit": "count", "source": "测试"}
                          for street, by_year in counts.items() for year, value in by_year.items()])
    catalogue = _catalogue(target)
    obs = hbkit.read_observations(frame, catalogue)
    return hbkit.assess(obs, catalogue=catalogue, as_of=2025).to_frame().iloc[0]


def test_a_count_rule_with_a_street_counted_only_before_2025_says_so() -> None:
    """至少各配备1名: 甲街道 has 1 in 2025, 丙街道 was last counted in 2024 (1). The rule reads
    each street's latest count, so 已实现, but on 丙街道's 2024 count: no probability of 1
    (it is no 2025 outcome), and the reason says which street and year."""
    row = _street_count_row({"甲街道": {2020: 1, 2025: 1}, "丙街道": {2020: 1, 2024: 1}})
    assert row["status_zh"] == "已实现" and pd.isna(row["probability"])
    assert row["reason_zh"] == "终期评估：丙街道2025年无数据，按其2024年的数值判定"


def test_a_street_without_the_minimum_in_2025_decides_a_count_rule_whatever_the_others() -> None:
    row = _street_count_row({"甲街道": {2020: 1, 2025: 1}, "乙街道": {2020: 1, 2025: 0},
                             "丙街道": {2020: 1, 2024: 1}})
    assert (row["status_zh"], row["probability"]) == ("未实现", 0.0)
    assert row["reason_zh"] == ("未达到最低数量的单位：乙街道；"
                                "终期评估：丙街道2025年无数据，按其2024年的数值判定")


def test_a_relational_target_names_the_reference_indicator_missing_in_2025() -> None:
    """女党员代表比例不低于党员总数中女性比例: the delegates' share is there in 2025 but the
    reference share is not; the reason says so, not that some year is missing."""
    target = hbkit.Target(
        id="W-delegates", plan="women", domain="decision",
        indicator="female_share_of_party_congress_delegates", name_zh="党代会女党员代表比例",
        name_en="Women among party congress delegates", kind="relational",
        text_zh="全区中国共产党各级党代会中女党员代表比例一般不低于党员总数中女性比例",
        unit="percent", direction="increase", target_year=2025, baseline_year=2020,
        reference_indicator="female_share_of_party_members", reference_name_zh="女党员比例",
        reference_name_en="female share of party members")
    frame = pd.DataFrame(
        [{"indicator": target.indicator, "geo": "河北区", "year": y, "value": 35.0,
          "unit": "percent", "source": "测试"} for y in YEARS]
        + [{"indicator": "female_share_of_party_members", "geo": "河北区", "year": y,
            "value": 35.0, "unit": "percent", "source": "测试"} for y in YEARS if y != 2025])
    catalogue = _catalogue(target)
    obs = hbkit.read_observations(frame, catalogue)
    row = hbkit.assess(obs, catalogue=catalogue, as_of=2025, n_draws=200).to_frame().iloc[0]
    assert row["status_zh"] != "已实现" and 0.0 < row["probability"] < 1.0
    assert row["reason_zh"] == "终期评估：参照指标（女党员比例）2025年数据缺失，概率来自模型"


def test_the_final_markdown_says_why_a_target_not_achieved_is_not() -> None:
    """社区居委会成员中女性比例 is 61% in 2025 against 保持60%以上, but was 59% in 2023: the
    table row reads 目标值 60%, 最新值 61%（2025）, 未实现, so the Markdown report must give the
    rule and the year that broke it; a target achieved gets no such line."""
    target = _residents_committee_target()
    values = {year: 61.0 for year in YEARS} | {2023: 59.0}
    frame = _district_values(target, values)
    catalogue = _catalogue(target, _street_target())
    street = _street_rows(96.0)
    obs = hbkit.read_observations(pd.concat([frame, street], ignore_index=True), catalogue)
    res = hbkit.assess(obs, catalogue=catalogue, as_of=2025, n_draws=200)
    text = res.to_markdown()
    assert ("\n- 社区居委会成员中女性比例（河北区）：判定规则为2021—2025年每年≥60%；"
            "终期评估：2023年为59%，不满足判定规则（2021—2025年每年≥60%），故未实现\n") in text
    assert "- 适龄儿童免疫规划疫苗接种率" not in text  # achieved: no note
    assert ("\n- Women among residents' committee members (Hebei District): rule judged: every year "
            "2021-2025 >= 60%; final evaluation: 59% in 2023, against the rule") in (
        res.to_markdown(lang="en"))
