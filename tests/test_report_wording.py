"""The words of the reports: names instead of codes, one language per report."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

import hbkit
from hbkit.report import tables

YEARS = range(2016, 2024)


def _frame(indicator: str, values: list[float], unit: str = "percent") -> pd.DataFrame:
    return pd.DataFrame({"indicator": indicator, "geo": "X", "year": list(YEARS),
                         "value": values, "unit": unit})


@pytest.fixture(scope="module")
def relational() -> hbkit.Assessment:
    """Delegates compared with members (a target of its own) and with employees (none)."""
    members = hbkit.Target(id="m", indicator="members", kind="lower_bound", threshold=35,
                           unit="percent", name_zh="女党员比例",
                           name_en="Female share of Party members")
    delegates = hbkit.Target(id="d", indicator="delegates", kind="relational",
                             direction="increase", unit="percent",
                             reference_indicator="members", name_zh="女代表比例")
    workers = hbkit.Target(id="w", indicator="delegates", kind="relational",
                           direction="increase", unit="percent",
                           reference_indicator="employees", reference_name_zh="女职工比例",
                           reference_name_en="female share of employees")
    frame = pd.concat([
        _frame("members", [33.0, 33.2, 33.5, 33.6, 33.9, 34.0, 34.3, 34.5]),
        _frame("delegates", [38.0, 38.2, 38.1, 38.5, 38.4, 38.8, 38.9, 39.0]),
        _frame("employees", [40.0, 40.1, 40.3, 40.2, 40.4, 40.5, 40.6, 40.6]),
    ])
    return hbkit.assess(frame, catalogue=hbkit.Catalogue([members, delegates, workers]),
                        as_of=2023, n_draws=200, seed=1)


def test_relational_rule_names_the_reference_indicator(relational: hbkit.Assessment) -> None:
    zh = tables.targets_table(relational, "zh").set_index("target_id")["rule"]
    en = tables.targets_table(relational, "en").set_index("target_id")["rule"]
    # the name of the target judged on the reference, or the relational target's own names
    assert zh["d"] == "2025年值≥女党员比例同年值"
    assert en["d"] == "value in 2025 >= female share of Party members in the same year"
    assert zh["w"] == "2025年值≥女职工比例同年值"
    assert en["w"] == "value in 2025 >= female share of employees in the same year"


def test_shipped_relational_rules_show_no_indicator_id() -> None:
    from hbkit.attainment import rule_text

    catalogue = hbkit.load_catalogue()
    names = tables.indicator_names(catalogue)
    relational = [t for t in catalogue if t.kind == "relational"]
    assert len(relational) == 2
    for target in relational:
        zh, en = rule_text(target, names.get(str(target.reference_indicator)))
        assert target.reference_indicator not in zh + en
        assert "_" not in zh + en


def test_methods_table_is_in_the_reports_language() -> None:
    from test_report_cases import small_assessment

    result = small_assessment()
    zh, en = tables.scales_table(result, "zh"), tables.scales_table(result, "en")
    assert list(zh.columns[:5]) == list(tables.SCALES_COLUMNS)
    mmr_zh = zh.set_index("indicator").loc["maternal_mortality_ratio"]
    mmr_en = en.set_index("indicator").loc["maternal_mortality_ratio"]
    assert (mmr_zh["name"], mmr_zh["unit"]) == ("孕产妇死亡率", "/10万")
    assert (mmr_en["name"], mmr_en["unit"]) == ("Maternal mortality ratio", "per 100,000")
    assert mmr_zh["scale"] == "泊松计数" and mmr_en["scale"] == "Poisson counts"
    # no model code, no Latin letters in a Chinese model name but a weight's %
    for words in zh["method"]:
        assert "_" not in words and " / " not in words, words
    for words in en["method"]:
        assert "_" not in words and not any("\u4e00" <= ch <= "\u9fff" for ch in words), words


def _reasons_of(result: hbkit.Assessment, target_id: str) -> tuple[str, str]:
    row = tables.targets_table(result, "zh").set_index("target_id").loc[target_id].to_dict()
    return tables.reason_text(row, "zh"), tables.reason_text(row, "en")


def test_reasons_are_in_one_language_and_name_the_indicator() -> None:
    short = hbkit.Target(id="s", indicator="short_rate", kind="lower_bound", threshold=90,
                         unit="percent", name_zh="某覆盖率", name_en="Some coverage")
    absent = hbkit.Target(id="a", indicator="absent_rate", kind="lower_bound", threshold=90,
                          unit="percent", name_zh="缺失率", name_en="Missing rate")
    frame = pd.DataFrame({"indicator": "short_rate", "geo": "X", "year": [2022, 2023],
                          "value": [80.0, 81.0], "unit": "percent"})
    result = hbkit.assess(frame, catalogue=hbkit.Catalogue([short, absent]), as_of=2023,
                          n_draws=100, seed=1)
    assert _reasons_of(result, "s") == ("仅有2个观测值，至少需要3个", "2 observations, 3 needed")
    assert _reasons_of(result, "a") == ("无缺失率数据", "no data for missing rate")
    out = result.to_frame().set_index("target_id")
    assert out.loc["a", "reason"] == "无缺失率数据 / no data for missing rate"
    # an acronym keeps its case mid-sentence
    hiv = hbkit.Target(id="h", indicator="hiv_rate", kind="upper_bound", threshold=1,
                       unit="percent", name_zh="艾滋病检测率", name_en="HIV testing rate")
    only_hiv = hbkit.assess(frame, catalogue=hbkit.Catalogue([short, hiv]), as_of=2023,
                            n_draws=100)
    assert _reasons_of(only_hiv, "h")[1] == "no data for HIV testing rate"


def test_single_language_reports_print_single_language_reasons(tmp_path) -> None:
    from hbkit.report import write_html

    frame = pd.DataFrame({"indicator": "short_rate", "geo": "X", "year": [2022, 2023],
                          "value": [80.0, 81.0], "unit": "percent"})
    target = hbkit.Target(id="s", indicator="short_rate", kind="lower_bound", threshold=90,
                          unit="percent", name_zh="某覆盖率", name_en="Some coverage")
    result = hbkit.assess(frame, catalogue=hbkit.Catalogue([target]), as_of=2023,
                          n_draws=100, seed=1)
    zh = write_html(result, tmp_path / "zh.html", "zh").read_text(encoding="utf-8")
    en = write_html(result, tmp_path / "en.html", "en").read_text(encoding="utf-8")
    assert '<p class="reason">仅有2个观测值，至少需要3个</p>' in zh
    assert '<p class="reason">2 observations, 3 needed</p>' in en
    assert "3 needed" not in zh and "至少需要" not in en


def test_an_every_year_target_already_missed_is_off_track_whatever_its_probability() -> None:
    """保持在95%以上 with 2022 at 94: the plan's rule (every year 2021-2025) cannot be met
    any more, even though 2023 is back at 99 and the remaining years look safe."""
    keep = hbkit.Target(id="k", indicator="cov", kind="maintain", threshold=95,
                        direction="increase", unit="percent", baseline_year=2020)
    held = hbkit.Target(id="h", indicator="ok", kind="maintain", threshold=95,
                        direction="increase", unit="percent", baseline_year=2020)
    frame = pd.concat([_frame("cov", [96.0, 96.5, 97.0, 97.5, 96.0, 98.0, 94.0, 99.0]),
                       _frame("ok", [96.0, 96.5, 97.0, 97.5, 96.0, 98.0, 98.5, 99.0])])
    result = hbkit.assess(frame, catalogue=hbkit.Catalogue([keep, held]), as_of=2023,
                          n_draws=300, seed=1)
    out = result.to_frame().set_index("target_id")
    assert out.loc["k", "probability"] >= 0.5  # by the remaining years alone: not off track
    assert (out.loc["k", "status"], out.loc["k", "status_zh"]) == ("off_track", "已有年份未达到")
    assert "已有年份未达到" in out.loc["k", "reason_zh"]
    assert tables.targets_table(result, "en").set_index("target_id").loc[
        "k", "status_text"] == "already missed in an observed year"
    # the same series without the 2022 dip: never broken, so achieved so far
    assert out.loc["h", "status"] == "achieved"


def test_an_every_year_change_missed_in_an_observed_year_is_off_track() -> None:
    """每年降低1个百分点以上: 2022 fell by only 0.5, so the rule is already broken."""
    fall = hbkit.Target(id="f", indicator="myopia", kind="annual_change", threshold=1,
                        direction="decrease", unit="percent", baseline_year=2020)
    frame = _frame("myopia", [60.0, 59.0, 58.0, 57.0, 56.0, 54.5, 54.0, 52.0])
    out = hbkit.assess(frame, catalogue=hbkit.Catalogue([fall]), as_of=2023, n_draws=300,
                       seed=1).to_frame().iloc[0]
    assert (out["status"], out["status_zh"]) == ("off_track", "已有年份未达到")


def test_warning_texts_print_units_and_digits_like_the_tables() -> None:
    from hbkit.report.formatting import format_change
    from hbkit.warnings_rules import warning_text

    numbers = {"probability": 0.075, "expected_shortfall": 6.234,
               "required_annual_change": -4.24, "achieved_annual_change": 0.307}
    zh, en = warning_text("hard_to_reach", numbers, "per_100k")
    assert en == ("Hard to reach: probability of attainment 7%; expected shortfall "
                  "6.23 per 100,000; required annual change -4.24 per 100,000 against "
                  "+0.307 per 100,000 a year so far.")
    assert zh == ("预计达标困难：达标概率7%；预计平均差距6.23/10万；需年均变化-4.24/10万，"
                  "以往年均变化+0.307/10万。")
    # the same change as the target card prints it
    assert format_change(0.307, "per_100k", "en") in en
    _, en = warning_text("hard_to_reach", {**numbers, "achieved_annual_change": 0.00333},
                         "per_1000_population")
    assert "+0.00333 per 1,000 population a year so far" in en  # not "0" nor "per 1000"


def test_intervals_of_counts_print_the_whole_numbers_inside() -> None:
    from hbkit.report.formatting import format_interval

    assert format_interval(13.0, 14.0, "count", "en") == "[13, 14]"
    # mid-quantile ends: 5.6 to 19.6 holds 6 to 19, not 20
    assert format_interval(5.6, 19.6, "count", "zh") == "[6, 19]"
    assert format_interval(12.000000381, 13.999999, "count", "zh") == "[12, 14]"
    assert format_interval(13.0, 14.0, "years", "en") == "[13.0, 14.0]"


def test_intervals_of_large_counts_keep_their_whole_ends() -> None:
    """The tolerance for single-precision ends must not reach the next whole number: a
    million people is not printed as 999,999 (it grew with the value, 1 at a million)."""
    from hbkit.report.formatting import format_interval

    assert format_interval(1_000_000.0, 1_000_005.0, "count") == "[1000000, 1000005]"
    assert format_interval(2_000_007.0, 2_000_007.0, "count") == "[2000007, 2000007]"
    assert format_interval(999_991.57, 999_992.76, "count") == "[999992, 999992]"
    assert format_interval(20_000_004.0, 20_000_010.0, "count") == "[20000004, 20000010]"


def test_interval_of_counts_reported_with_decimals_holds_the_projected_value() -> None:
    """"个/人" and "次" are counts too, and may be reported as 12.6: the whole numbers inside
    [12.27, 13.25] are only 13, and the table printed [13, 13] beside a projected 12.6."""
    from hbkit.report.formatting import format_interval

    assert format_interval(12.27, 13.25, "count", projected=12.6) == "[12, 13]"
    assert format_interval(12.27, 13.25, "count", projected=13.0) == "[13, 13]"
    assert format_interval(5.6, 19.6, "count", projected=12.0) == "[6, 19]"
    obs = pd.DataFrame({"indicator": "visits", "geo": "河北区", "year": range(2016, 2024),
                        "value": [12.3, 12.6, 12.4, 12.9, 12.5, 12.7, 12.6, 12.8],
                        "unit": "count"})
    t = hbkit.Target(id="v", indicator="visits", kind="direction", unit="count",
                     direction="increase", baseline_year=2020, domain="health", name_zh="次数")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = hbkit.assess(obs, catalogue=hbkit.Catalogue([t]), as_of=2023, n_draws=1000)
    r = res.to_frame().iloc[0]
    assert r.projected != round(r.projected)
    shown = tables.display_targets(tables.targets_table(res, "en"), "en").iloc[0]
    for level in (80, 95):
        lo, hi = (int(x) for x in shown[f"interval_{level}"].strip("[]").split(", "))
        assert lo <= r.projected <= hi, (level, shown[f"interval_{level}"], r.projected)


def test_numbers_behind_a_warning_print_the_probability_like_the_table() -> None:
    target = hbkit.Target(id="r", indicator="r", kind="upper_bound", threshold=20.0,
                          unit="percent", baseline_year=2020, name_zh="某比率",
                          name_en="some rate")
    frame = pd.DataFrame({"indicator": "r", "geo": "X", "year": range(2016, 2024),
                          "value": [16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0],
                          "unit": "percent"})
    result = hbkit.assess(frame, catalogue=hbkit.Catalogue([target]), as_of=2023, seed=1,
                          n_draws=200)
    shown = tables.display_warnings(tables.warnings_table(result, "en"), "en")
    hard = shown[shown["warning"] == "hard to reach"].iloc[0]
    # name=value, or name<0.01 / name>0.99 for a probability outside [0.01, 0.99]
    parts = [re.match(r"(.+?)(?:=|(?=[<>]))(.+)", part).groups()  # type: ignore[union-attr]
             for part in hard["numbers"].split(tables.NUMBERS_SEPARATOR)]
    numbers = dict(parts)
    assert numbers["probability"] == hard["probability"]


def test_chinese_numbers_and_units_are_set_together_everywhere() -> None:
    """Chinese sets a number and its unit with no space (1.2个百分点, 5年), in the tables,
    the cards and the warnings alike, as the plan's own rules print (每年下降1个百分点以上)."""
    from hbkit.report.formatting import format_change, format_value
    from hbkit.warnings_rules import warning_text

    assert format_change(-1.2, "percent") == "-1.2个百分点"
    assert format_change(0.5, "years") == "+0.5年"
    assert format_value(5.0, "years") == "5年" and format_value(3.0, "count") == "3个"
    assert format_value(2.5, "per_1000_population") == "2.5/千人"
    zh, _ = warning_text("moving_away", {"last_year": 2023, "last_change": -1.2, "last_z": -2.5,
                                         "p_value": 0.006}, "percent")
    assert "变化-1.2个百分点，" in zh
    zh, _ = warning_text("hard_to_reach", {"probability": 0.3, "expected_shortfall": 0.5,
                                           "required_annual_change": 0.2,
                                           "achieved_annual_change": 0.1}, "years")
    assert "预计平均差距0.5年；需年均变化+0.2年，以往年均变化+0.1年。" in zh
    assert format_change(0.2, "years") in zh  # the same change as the card prints it
    assert " 年" not in zh and " 个" not in zh


def test_warnings_on_targets_already_missed_name_the_years_not_a_probability() -> None:
    """保持在95%以上 broken in 2022 (94), 每年降低1个百分点以上 broken in 2022 (-0.5), and the
    same 保持 rule judged in each street, broken in street b in 2021: their warnings say which
    year broke the rule and its number, not the probability of the remaining years."""
    from hbkit.report import to_markdown

    keep = hbkit.Target(id="k", indicator="cov", kind="maintain", threshold=95,
                        direction="increase", unit="percent", baseline_year=2020)
    fall = hbkit.Target(id="f", indicator="myopia", kind="annual_change", threshold=1,
                        direction="decrease", unit="percent", baseline_year=2020)
    street = hbkit.Target(id="s", indicator="vacc", kind="maintain", threshold=95,
                          direction="increase", unit="percent", baseline_year=2020,
                          each_unit="street")
    streets = pd.concat([
        _frame("vacc", [97.0, 97.5, 97.0, 98.0, 97.0, 98.0, 98.5, 99.0]).assign(geo="X/a"),
        _frame("vacc", [97.0, 97.5, 96.0, 97.0, 96.0, 93.5, 96.5, 97.0]).assign(geo="X/b")])
    frame = pd.concat([_frame("cov", [96.0, 96.5, 97.0, 97.5, 96.0, 98.0, 94.0, 99.0]),
                       _frame("myopia", [60.0, 59.0, 58.0, 57.0, 56.0, 54.5, 54.0, 52.0]),
                       _frame("vacc", [97.0, 97.5, 96.5, 97.5, 96.5, 95.8, 97.5, 98.0]),
                       streets])
    result = hbkit.assess(frame, catalogue=hbkit.Catalogue([keep, fall, street]), as_of=2023,
                          n_draws=300, seed=1)
    out = result.to_frame().set_index("target_id")
    assert set(out["status_zh"]) == {"已有年份未达到"}
    zh = tables.warnings_table(result, "zh").query("code == 'hard_to_reach'").set_index(
        "target_id")
    en = tables.warnings_table(result, "en").query("code == 'hard_to_reach'").set_index(
        "target_id")
    assert zh.loc["k", "explanation"].startswith("已有年份未达到：2022年为94%，不满足判定规则"
                                                 "（2021—2025年每年≥95%）")
    assert zh.loc["f", "explanation"].startswith("已有年份未达到：2022年比上一年变化-0.5个百分点，")
    assert zh.loc["s", "explanation"].startswith("已有年份未达到：b2021年为93.5%，")
    assert en.loc["k", "explanation"].startswith("Already missed in an observed year: 94% in 2022")
    assert zh.loc["k", "numbers"] == "未达到的年份=2022（94%）"
    assert zh.loc["f", "numbers"] == "未达到的年份=2022（-0.5个百分点）"
    assert en.loc["s", "numbers"] == "years missed=b 2021 (93.5%)"
    assert zh.loc["k", "text_en"] == en.loc["k", "explanation"]  # the workbook's English column
    for words in (*zh["explanation"], *zh["numbers"], *en["explanation"], *en["numbers"]):
        assert "概率" not in words and "probability" not in words
    assert "已有年份未达到：2022年为94%" in to_markdown(result)
    # the frame developers embed says the same as the report
    frame_texts = result.warnings_frame().query("code == 'hard_to_reach'").set_index("target_id")
    assert frame_texts.loc["k", "text_zh"] == zh.loc["k", "explanation"]
    assert frame_texts.loc["s", "text_en"] == en.loc["s", "explanation"]


def test_a_missed_year_never_prints_as_the_threshold_it_missed() -> None:
    """保持在95%以上 with 94.96 in 2021: the warning and its numbers say 94.96%, not 95.0%
    (which would read as meeting the rule printed beside it)."""
    keep = hbkit.Target(id="k", indicator="cov", kind="maintain", threshold=95,
                        direction="increase", unit="percent", baseline_year=2020)
    frame = _frame("cov", [96.0, 96.5, 97.0, 97.5, 96.0, 94.96, 97.0, 99.0])
    result = hbkit.assess(frame, catalogue=hbkit.Catalogue([keep]), as_of=2023, n_draws=200)
    text = result.warnings_frame().query("code == 'hard_to_reach'")["text_zh"].iloc[0]
    assert text.startswith("已有年份未达到：2021年为94.96%，"), text
    for lang, shown in (("zh", "未达到的年份=2021（94.96%）"), ("en", "years missed=2021 (94.96%)")):
        numbers = tables.warnings_table(result, lang).query("code == 'hard_to_reach'")["numbers"]
        assert numbers.iloc[0] == shown


def test_hard_to_reach_on_a_count_rule_prints_no_missing_numbers() -> None:
    """至少配备1名 (count_minimum) has no probability before the target year and no trend:
    its warning says what it needs, not 达标概率—% nor 以往年均变化—个 (a new plan's
    district with one team at 0 women in 2026-2027)."""
    teams = hbkit.Target(id="t", indicator="women_in_teams", kind="count_minimum",
                         threshold=1, unit="count", each_unit="leadership_team",
                         target_year=2030, baseline_year=2025)
    frame = pd.concat([
        pd.DataFrame({"indicator": "women_in_teams", "geo": f"X/{team}",
                      "year": list(range(2021, 2028)), "unit": "count",
                      "value": [1, 1, 1, 1, 1, low, low]})
        for team, low in (("区委", 1), ("区政协", 0))]
        + [_frame("cov", [99.0] * 8)])  # the district X itself reports another indicator
    cov = hbkit.Target(id="c", indicator="cov", kind="lower_bound", threshold=95,
                       unit="percent", target_year=2030)
    result = hbkit.assess(frame, catalogue=hbkit.Catalogue([teams, cov]), as_of=2027)
    texts = result.warnings_frame().query("code == 'hard_to_reach'").set_index("target_id").loc["t"]
    # from 0 to 1 over 2028-2030: +1/3 a year
    assert texts["text_zh"] == "预计达标困难：需年均变化+0.333个。"
    assert texts["text_en"] == "Hard to reach: required annual change +0.333."
    for lang in ("zh", "en"):
        assert "—" not in "".join(tables.warnings_table(result, lang)["explanation"])


def test_an_every_year_change_target_says_the_yearly_change_is_at_least_the_step() -> None:
    """每年降低1个百分点以上 asks for a fall of 1 point **or more** every year: the English target
    column read 'down <= 1 percentage point a year' (at most one point), the opposite. The
    yearly change is at least the step whichever way it goes (more than it when strict);
    the level it leads to is on the target's side: base 53.1 - 5 x 1 = 48.1 by 2025."""
    from hbkit.report.target_text import target_text

    def text(direction: str, strict: bool = False) -> str:
        target = hbkit.Target(id="a", indicator="x", kind="annual_change", threshold=1,
                              unit="percent", direction=direction, baseline_year=2020,
                              strict=strict)
        return target_text(target, hbkit.attainment.target_value(target, 53.1).item(), "en")

    assert text("decrease") == "down >= 1 percentage point a year (2025 equivalent: <= 48.1%)"
    assert text("increase") == "up >= 1 percentage point a year (2025 equivalent: >= 58.1%)"
    assert text("decrease", strict=True) == \
        "down > 1 percentage point a year (2025 equivalent: < 48.1%)"

    def zh(strict: bool) -> tuple[str, str]:
        target = hbkit.Target(id="a", indicator="x", kind="annual_change", threshold=1,
                              unit="percent", direction="decrease", baseline_year=2020,
                              strict=strict)
        return (target_text(target, hbkit.attainment.target_value(target, 53.1).item(), "zh"),
                hbkit.attainment.rule_text(target)[0])

    # Chinese puts 超过 before the step (下降超过1个百分点), 以上 after it (下降1个百分点以上)
    assert zh(False) == ("每年下降1个百分点以上（相当于2025年≤48.1%）",
                         "2021—2025年每年比上一年下降1个百分点以上")
    assert zh(True) == ("每年下降超过1个百分点（相当于2025年<48.1%）",
                        "2021—2025年每年比上一年下降超过1个百分点")

    # the shipped myopia target in the English report of the example district
    from hbkit.datasets import load_example

    example = load_example("hebei_example")
    myopia = hbkit.Catalogue([example.catalogue["C-health-myopia-annual-decline"]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = hbkit.assess(example.targeted(myopia), catalogue=myopia, as_of=2023,
                              n_draws=200)
    base = result.to_frame()["baseline_value"].iloc[0]
    english = result.to_markdown("en")
    assert f"down >= 1 percentage point a year (2025 equivalent: <= {base - 5:.1f}%)" in english
    assert "down <=" not in english
