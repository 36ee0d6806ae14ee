"""The monitoring report (HTML, Excel, Markdown) of a real assessment of the simulated district."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from test_report_cases import TARGET_IDS, small_assessment, small_inputs

import hbkit
from hbkit.report import tables, to_markdown, write_excel, write_html
from hbkit.report.excel import SHEETS
from hbkit.report.wording import text


@pytest.fixture(scope="module")
def assessment() -> hbkit.Assessment:
    return small_assessment()


@pytest.fixture(scope="module")
def html_text(assessment: hbkit.Assessment, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_html(assessment, tmp_path_factory.mktemp("html") / "report.html")
    return path.read_text(encoding="utf-8")


class _Links(HTMLParser):
    """Collect every src / href of the page and its visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append((tag, name, value))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_assessment_is_real_and_varied(assessment: hbkit.Assessment) -> None:
    frame = assessment.to_frame()
    assert set(TARGET_IDS) <= set(frame["target_id"])
    assert assessment.simulated
    assert "not_quantifiable" in set(frame["status"])
    assert frame["probability"].notna().any()


def test_html_is_self_contained(html_text: str) -> None:
    parser = _Links()
    parser.feed(html_text)
    assert parser.urls, "the charts are embedded as images"
    for tag, attribute, value in parser.urls:
        assert not re.match(r"^\s*(https?:)?//", value), (tag, attribute, value[:80])
    images = [v for tag, a, v in parser.urls if tag == "img"]
    assert images and all(v.startswith("data:image/png;base64,") for v in images)
    assert "<script" not in html_text.lower()
    assert "<link" not in html_text.lower()
    assert "@import" not in html_text and "url(http" not in html_text
    assert "@media print" in html_text


def test_html_has_warning_list_before_targets_and_chinese_words(
        assessment: hbkit.Assessment, html_text: str) -> None:
    assert html_text.index('id="warnings"') < html_text.index('id="targets"')
    assert html_text.index('id="overview"') < html_text.index('id="warnings"')
    assert "预警清单" in html_text
    frame = assessment.to_frame()
    for words in frame["status_zh"].unique():
        assert words in html_text
    assert "定性目标" in html_text
    for clause in frame["text_zh"]:
        assert clause in html_text  # the plan's clause beside each target (escaping keeps CJK)


def test_html_warning_rows_match_the_warnings_frame(assessment: hbkit.Assessment,
                                                    html_text: str) -> None:
    warnings = assessment.warnings_frame()
    section = html_text[html_text.index('id="warnings"'):html_text.index('id="targets"')]
    assert section.count("<tr>") == len(warnings) + (1 if len(warnings) else 0)  # + header row
    for text_zh in warnings["text_zh"]:
        assert tables.display_warnings(tables.warnings_table(assessment))["explanation"].eq(
            text_zh).any()


def test_html_shows_simulated_banner_only_for_simulated_data(
        assessment: hbkit.Assessment, tmp_path) -> None:
    simulated = write_html(assessment, tmp_path / "a.html").read_text(encoding="utf-8")
    assert 'class="banner"' in simulated and "模拟数据" in simulated
    frame, catalogue = small_inputs(("C-health-infant-mortality",))
    real_like = frame.assign(source="区卫健委")
    result = hbkit.assess(real_like, catalogue=catalogue, as_of=2023, n_draws=200)
    assert not result.simulated
    plain = write_html(result, tmp_path / "b.html").read_text(encoding="utf-8")
    assert 'class="banner"' not in plain


def test_html_escapes_text_from_the_data(assessment: hbkit.Assessment, tmp_path) -> None:
    frame, catalogue = small_inputs(("C-health-infant-mortality",))
    rows = frame.assign(source="<script>alert(1)</script> & 模拟")
    result = hbkit.assess(rows, catalogue=catalogue, as_of=2023, n_draws=200)
    page = write_html(result, tmp_path / "c.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 模拟" in page


def test_english_html(assessment: hbkit.Assessment, tmp_path) -> None:
    page = write_html(assessment, tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert 'lang="en"' in page and "Warning list" in page and "Simulated data" in page
    assert page.index('id="warnings"') < page.index('id="targets"')
    # a qualitative target reads in English first, with the plan's own clause beside it
    item = page[page.index("Health services across women&#x27;s life course"):]
    item = item[:item.index("</li>")]
    assert "W-health-lifecycle-services" in item and "妇女全生命周期享有良好的卫生健康服务" in item


def test_methods_say_how_the_probabilities_were_validated(assessment: hbkit.Assessment,
                                                         html_text: str, tmp_path) -> None:
    """The methods section tells the reader the probabilities were backtested and where
    they are conservative, in Chinese and in English, in HTML and Markdown."""
    methods = html_text[html_text.index('id="methods"'):]
    assert "概率的可靠性" in methods and "3—4 个观测年份" in methods
    assert "docs/validation.md" in methods
    english = write_html(assessment, tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert "How reliable the probabilities are" in english[english.index('id="methods"'):]
    assert "概率的可靠性" in to_markdown(assessment).split("## 方法说明")[1]


def test_excel_sheets_read_back(assessment: hbkit.Assessment, tmp_path) -> None:
    path = write_excel(assessment, tmp_path / "report.xlsx")
    book = pd.read_excel(path, sheet_name=None)
    assert list(book)[:4] == list(SHEETS)
    frame = assessment.to_frame()
    targets = book["全部目标"]
    assert len(targets) == len(frame)
    assert targets.columns[0] == "目标编号\nTarget id"
    assert set(targets["目标编号\nTarget id"]) == set(frame["target_id"])
    assert len(book["预警清单"]) == len(assessment.warnings_frame())
    assert len(book["数据"]) == len(assessment.observations)
    summary = book["汇总"]
    assert int(summary["合计\nTotal"].iloc[-1]) == len(frame)
    probabilities = targets.set_index("目标编号\nTarget id")["实现概率（未舍入）\nProbability (unrounded)"]
    expected = frame.set_index("target_id")["probability"]
    pd.testing.assert_series_equal(probabilities.loc[expected.index].astype(float),
                                   expected.astype(float), check_names=False)


def test_excel_layout(assessment: hbkit.Assessment, tmp_path) -> None:
    import openpyxl

    path = write_excel(assessment, tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["全部目标"]
    assert sheet.freeze_panes == "B2"
    headers = [c.value for c in sheet[1]]
    status_col = headers.index("状态\nStatus") + 1
    colours = {sheet.cell(row=r, column=status_col).fill.fgColor.rgb
               for r in range(2, sheet.max_row + 1)}
    assert len(colours - {"00000000"}) >= 2  # statuses are coloured, not all alike
    name_col = headers.index("指标名称\nName (zh)") + 1
    letter = openpyxl.utils.get_column_letter(name_col)
    assert sheet.column_dimensions[letter].width >= 10


def test_markdown_report(assessment: hbkit.Assessment) -> None:
    text = to_markdown(assessment)
    assert text.startswith("# ")
    assert "模拟数据" in text
    assert text.index("## 预警清单") < text.index("## 各领域目标监测情况")
    frame = assessment.to_frame()
    for name in frame["name_zh"]:
        assert name in text
    english = assessment.to_markdown(lang="en")
    assert "## Warning list" in english


def test_summary_counts_match_the_frame(assessment: hbkit.Assessment) -> None:
    frame = assessment.to_frame()
    summary = tables.status_summary(assessment)
    assert summary.loc["合计", "total"] == len(frame)
    for status, count in frame["status"].value_counts().items():
        assert summary.loc["合计", status] == count
    assert tables.status_totals(assessment) == {
        s: int((frame["status"] == s).sum()) for s in tables.STATUS_ORDER}


def test_displayed_numbers_are_the_assessment_numbers(assessment: hbkit.Assessment) -> None:
    frame = assessment.to_frame().set_index(["target_id", "geo"])
    shown = tables.display_targets(tables.targets_table(assessment)).set_index(
        ["target_id", "geo"])
    for key, row in shown.iterrows():
        p = frame.loc[key, "probability"]
        if pd.isna(p):
            assert row["probability"] == "–"
        else:
            floor = int(p * 100 + 1e-9) / 100  # rounded down: same side of 0.5 / 0.8
            assert row["probability"] in (f"{floor:.2f}", "<0.01", ">0.99")
        lo, hi = frame.loc[key, "lo_95"], frame.loc[key, "hi_95"]
        if pd.notna(lo):
            printed = [float(x) for x in row["interval_95"].strip("[]").split(", ")]
            assert printed[0] == pytest.approx(lo, abs=0.051 if abs(hi) >= 10 else 0.006)
            assert printed[1] == pytest.approx(hi, abs=0.051 if abs(hi) >= 10 else 0.006)


def test_printed_probability_agrees_with_the_status_thresholds() -> None:
    from hbkit.report.formatting import format_probability

    assert format_probability(0.7999) == "0.79"  # at risk must not print as 0.80
    assert format_probability(0.8) == "0.80"
    assert format_probability(0.4999) == "0.49"
    assert format_probability(0.995) == ">0.99" and format_probability(0.001) == "<0.01"


def test_target_value_and_rule_are_the_ones_judged(assessment: hbkit.Assessment) -> None:
    from hbkit.attainment import rule_text

    table = tables.targets_table(assessment)
    judged = table[~table["status"].isin(["not_quantifiable", "no_data"])]
    assert len(judged) >= 4
    for record in judged.to_dict("records"):
        view = assessment.series(record["target_id"], record["geo"])
        assert record["target_value"] == pytest.approx(view.target_value, nan_ok=True)
        assert record["rule"] == rule_text(assessment.catalogue[record["target_id"]])[0]
    qualitative = table[table["status"] == "not_quantifiable"]
    assert (qualitative["rule"] == "").all()


def test_every_number_behind_a_warning_has_words_in_both_languages() -> None:
    from hbkit.report.wording import NUMBER_WORDS
    from hbkit.warnings_rules import WARNING_NUMBER_COLUMNS

    for column in WARNING_NUMBER_COLUMNS:
        assert set(NUMBER_WORDS[column]) == {"zh", "en"}, column


def _early_and_warned() -> hbkit.Assessment:
    """A rate just under its 20% ceiling in 2021, no data since: 提前实现 (achieved early)
    with two warnings (hard to reach in 2025, latest year missing)."""
    target = hbkit.Target(id="r", indicator="r", kind="upper_bound", threshold=20.0,
                          unit="percent", baseline_year=2020, name_zh="某比率",
                          name_en="some rate")
    frame = pd.DataFrame({"indicator": "r", "geo": "X", "year": range(2016, 2022),
                          "value": [16.5, 17.0, 17.5, 18.0, 18.5, 19.0], "unit": "percent"})
    return hbkit.assess(frame, catalogue=hbkit.Catalogue([target]), as_of=2023, seed=1)


@pytest.mark.filterwarnings("ignore:监测年份.*晚于数据的最后年份")  # as_of after the data, on purpose
def test_warning_lists_use_each_languages_separator() -> None:
    result = _early_and_warned()
    assert result.to_frame()["warnings"].iloc[0] == "hard_to_reach;latest_missing"
    assert tables.targets_table(result, "zh")["warnings_text"].iloc[0] == (
        "预计达标困难、最新年份缺失")
    assert tables.targets_table(result, "en")["warnings_text"].iloc[0] == (
        "hard to reach, latest year missing")


def test_totals_are_worded_like_their_rows(assessment: hbkit.Assessment, tmp_path) -> None:
    """Every achieved row reads 提前实现, so the totals, cards and summary columns do too."""
    from hbkit.cli.assess import status_table

    rows = assessment.to_frame()
    assert set(rows.loc[rows["status"] == "achieved", "status_zh"]) == {"提前实现"}
    assert "状态合计：提前实现 3，有望实现 1" in status_table(assessment)
    assert "achieved early 3" in status_table(assessment, lang="en")
    assert "提前实现" in assessment.summary(lang="zh").columns
    assert "achieved early" in assessment.summary(lang="en").columns
    html = write_html(assessment, tmp_path / "r.html").read_text(encoding="utf-8")
    overview = html[html.index('id="overview"'):html.index("</section>", html.index('id="overview"'))]
    # the status rule under the counts defines both words (已实现, before the target year 提前实现)
    overview = re.sub(r'<p class="status-meanings">.*?</p>', "", overview)
    assert "提前实现" in overview and "已实现" not in overview
    assert "| 领域 | 提前实现 | 有望实现 |" in to_markdown(assessment)


def test_each_street_targets_say_their_numbers_are_the_worst_streets(
        assessment: hbkit.Assessment) -> None:
    """以街为单位 targets are judged on the worst street; the card must not pass that street's
    value off as the district's."""
    for lang, note in (("zh", "最差单位"), ("en", "worst unit")):
        shown = tables.display_targets(tables.targets_table(assessment, lang), lang)
        shown = shown.set_index("target_id")
        street = shown.loc["C-health-immunization-each-street"]
        assert note in street["latest_value"] and note in street["projected"]
        others = shown.drop(index="C-health-immunization-each-street")
        assert not others["latest_value"].str.contains(note).any()
    frame = assessment.to_frame().set_index("target_id")
    units = assessment.unit_frame()
    streets = units.loc[units["target_id"] == "C-health-immunization-each-street", "latest_value"]
    assert len(streets) >= 2 and streets.nunique() > 1
    assert frame.loc["C-health-immunization-each-street", "latest_value"] == streets.min()


def test_html_probability_section_has_one_chart_per_plan(tmp_path) -> None:
    import html

    from test_report_cases import small_assessment

    assessment = small_assessment()
    for lang, titles in (("zh", ["妇女发展规划", "儿童发展规划"]),
                         ("en", ["Women's Development Plan", "Children's Development Plan"])):
        page = assessment.to_html(tmp_path / f"r-{lang}.html", lang=lang).read_text(encoding="utf-8")
        section = re.search(r'<section id="probabilities">.*?</section>', page, re.S).group(0)
        alts = re.findall(r'<img alt="([^"]*)"', section)
        assert [a.split(" · ", 1)[1] for a in alts] == [html.escape(t) for t in titles]


def test_numbers_behind_warnings_read_as_relations_and_in_plain_decimals() -> None:
    """p-values as the warning's text gives them (p值<0.0001), never in scientific notation
    (the example's breastfeeding rate has p = 1.5e-25), and 实现概率<0.01 reads as a relation,
    not 实现概率=<0.01."""
    example = hbkit.datasets.load_example("hebei_example")
    target = example.catalogue["C-health-exclusive-breastfeeding"]
    obs = example.observations
    result = hbkit.assess(obs[obs["indicator"] == target.indicator],
                          catalogue=hbkit.Catalogue([target]), as_of=2023, n_draws=500)
    fluctuation = result.warnings_frame().query("code == 'fluctuation'")
    assert len(fluctuation) == 1 and fluctuation["p_value"].iloc[0] < 1e-10
    for lang, p_text in (("zh", "p值<0.0001"), ("en", "p-value<0.0001")):
        numbers = tables.warnings_table(result, lang).query("code == 'fluctuation'")["numbers"]
        assert p_text in numbers.iloc[0], numbers.iloc[0]
        assert not re.search(r"\de-\d", numbers.iloc[0]), numbers.iloc[0]
    row = {"probability_warning": 0.004, "latest_year": 2023, "target_year": 2025}
    assert tables._numbers_text(row, ["probability"], "zh") == "实现概率<0.01"


def test_chinese_report_headers_use_full_width_punctuation(assessment: hbkit.Assessment) -> None:
    """数据来源：… in the Chinese report (full-width colon and separator), "Data sources: …"
    in the English one."""
    assert assessment.sources
    zh, en = to_markdown(assessment, lang="zh"), to_markdown(assessment, lang="en")
    assert f"数据来源：{assessment.sources[0]}" in zh and "数据来源:" not in zh
    assert f"{text('as_of', 'zh')}：{assessment.as_of}" in zh
    assert f"Data sources: {assessment.sources[0]}" in en


def test_html_without_charts_keeps_every_card_and_table(assessment: hbkit.Assessment,
                                                        html_text: str, tmp_path) -> None:
    """``charts=False`` (a service re-rendering often) drops the images and the probability
    section, nothing else: every target card, the warning list and the tables stay."""
    bare = assessment.to_html(tmp_path / "bare.html", charts=False).read_text(encoding="utf-8")
    assert "<img" not in bare and 'id="probabilities"' not in bare
    assert "<img" in html_text
    cards = re.compile(r'<h4>.*?<span class="id">(.*?)</span></h4>')
    assert cards.findall(bare) == cards.findall(html_text) != []
    assert bare.count('<tr') == html_text.count('<tr')
    assert len(bare) < len(html_text) / 3
