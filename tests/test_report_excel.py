"""The Excel workbook as an analyst opens it: number formats, bilingual headings, labels.

Read back with openpyxl from a real assessment of the simulated district
(:func:`test_report_cases.small_assessment`), so what is checked is what
Excel shows: each cell's value and its ``number_format``.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_report_cases import small_assessment, small_inputs

import hbkit
from hbkit._typing import PLANS, STATUSES, TARGET_KINDS, UNITS
from hbkit.conventions import LABELS
from hbkit.models.scales import SCALES
from hbkit.report import write_excel

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def assessment() -> hbkit.Assessment:
    return small_assessment()


@pytest.fixture(scope="module")
def book(assessment: hbkit.Assessment, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = write_excel(assessment, tmp_path_factory.mktemp("xlsx") / "report.xlsx")
    return openpyxl.load_workbook(path)


def _column(sheet: Any, heading: str) -> list[Any]:
    """The cells (below the heading row) of the column headed ``heading``."""
    headings = [c.value for c in sheet[1]]
    assert heading in headings, (heading, headings)
    index = headings.index(heading) + 1
    return [sheet.cell(row=r, column=index) for r in range(2, sheet.max_row + 1)]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _floor_permille(p: float) -> float:
    """``p`` rounded down to 0.001, in decimal arithmetic (independent of the code's floats)."""
    return float(Decimal(repr(p)).quantize(Decimal("0.001"), rounding=ROUND_FLOOR))


@pytest.mark.parametrize("sheet_name", ["全部目标", "预警清单", "街道明细"])
def test_probabilities_are_rounded_down_to_a_tenth_of_a_percent(
        assessment: hbkit.Assessment, book: Any, sheet_name: str) -> None:
    """P = 0.7996 (at risk) must never read 80.0%: the cell holds 0.799, shown 79.9%."""
    sheet = book[sheet_name]
    shown = [c for c in _column(sheet, "实现概率\nProbability") if c.value is not None]
    exact = [c.value for c in _column(sheet, "实现概率（未舍入）\nProbability (unrounded)")
             if c.value is not None]
    assert shown and len(shown) == len(exact)
    # no P below 0.001 in the fixture; a P of 1 (every simulated path met) reads >99.9%
    assert {c.number_format for c in shown} <= {"0.0%", '">99.9%"'}
    assert all(c.value == 1.0 for c in shown if c.number_format == '">99.9%"')
    assert [c.value for c in shown] == [_floor_permille(p) for p in exact]
    # 300 draws: some probability (k/300) of the workbook would round *up* to the nearest
    # 0.1%, so the check above is not vacuous (the warning sheet may list only one target)
    every = [c.value for c in _column(book["全部目标"], "实现概率（未舍入）\nProbability (unrounded)")
             if c.value is not None]
    assert any(round(p, 3) > _floor_permille(p) for p in every), every


def test_unrounded_probabilities_are_the_assessment_s(assessment: hbkit.Assessment,
                                                      book: Any) -> None:
    cells = _column(book["全部目标"], "实现概率（未舍入）\nProbability (unrounded)")
    expected = sorted(assessment.to_frame()["probability"].dropna())
    assert sorted(c.value for c in cells if c.value is not None) == expected


def test_a_probability_below_a_tenth_of_a_percent_never_reads_zero() -> None:
    from hbkit.report.excel_formats import floor_probability, number_format, shown_text

    values = floor_probability(pd.Series([0.0004, 0.0, 0.7996, 0.29, 0.9999, 1.0]))
    assert values.tolist() == [0.0004, 0.0, 0.799, 0.29, 0.999, 1.0]
    # 0 and 1 are shares of simulated paths (none met, every one met), no certainty
    assert [shown_text(v, number_format("probability", v, 2)) for v in values] == [
        "<0.1%", "<0.1%", "79.9%", "29.0%", "99.9%", ">99.9%"]


def test_numbers_behind_a_warning_round_probabilities_down(
        book: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from hbkit.report import tables

    sheet = book["预警清单"]
    texts = [c.value for c in _column(sheet, "依据数字\nNumbers behind it")]
    exact = [c.value for c in _column(sheet, "实现概率（未舍入）\nProbability (unrounded)")]
    checked = 0
    for text_, p in zip(texts, exact, strict=True):
        if text_ and "实现概率=" in text_:
            printed = text_.split("实现概率=")[1].split(";")[0]
            # as the report's probability column prints it: rounded down to 0.01
            expected = ("<0.01" if 0 < p < 0.01 else ">0.99" if 0.99 < p < 1
                        else f"{math.floor(p * 100 + 1e-9) / 100:.2f}")
            assert printed == expected, (printed, p)
            checked += 1
    assert checked

    class _OneWarning:  # the warning list of a target at P = 0.7996 (at risk)
        def warnings_frame(self) -> pd.DataFrame:
            return pd.DataFrame({"target_id": ["t"], "geo": ["g"], "code": ["hard_to_reach"],
                                 "text_zh": ["x"], "text_en": ["x"], "probability": [0.7996]})

    target = {"target_id": ["t"], "geo": ["g"], "probability": [0.7996],
              **{c: [None] for c in ("group", "name", "status", "status_text", "latest_value",
                                     "latest_year", "projected", "unit", "text_zh")}}
    monkeypatch.setattr(tables, "targets_table", lambda *_: pd.DataFrame(target))
    numbers = tables.warnings_table(_OneWarning())["numbers"].iloc[0]
    assert numbers == "实现概率=0.79"


def test_every_number_has_a_number_format(book: Any) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if _is_number(cell.value):
                    assert cell.number_format != "General", (sheet.title, cell.coordinate,
                                                             sheet.cell(1, cell.column).value)


def test_years_show_no_decimals_or_separators(book: Any) -> None:
    for heading in ("目标年份\nTarget year", "最新年份\nLatest year"):
        formats = {c.number_format for c in _column(book["全部目标"], heading)
                   if c.value is not None}
        assert formats == {"0"}, heading
    assert {c.number_format for c in _column(book["数据"], "年份\nYear")} == {"0"}


def test_float32_noise_is_rounded_away_and_float64_values_are_kept(
        assessment: hbkit.Assessment, book: Any) -> None:
    projected = [c.value for c in _column(book["全部目标"], "预测值\nProjected")
                 if c.value is not None]
    assert projected
    for value in projected:
        if float(np.float32(value)) == value:  # a float32 in origin: its shortest decimal
            assert value == float(str(np.float32(value))), value
    noisy = [v for v in assessment.to_frame()["projected"].dropna()
             if float(np.float32(v)) == v and v != float(str(np.float32(v)))]
    assert noisy, "the fixture has float32 projections (84.63999938964844-like)"
    lo_95 = sorted(c.value for c in _column(book["全部目标"], "95%下限\n95% lower")
                   if c.value is not None)
    frame_lo = assessment.to_frame()["lo_95"].dropna()
    # interval ends come from the float32 draws (a midpoint of two of them is not a float32
    # itself): written at float32 precision
    assert lo_95 == sorted(v if v == round(v) else float(str(np.float32(v))) for v in frame_lo)
    assert any(float(np.float32(v)) != v for v in frame_lo)  # such midpoints are in the fixture


def test_values_show_at_least_the_decimals_they_were_reported_with(book: Any) -> None:
    for cell in _column(book["数据"], "数值\nValue"):
        if cell.value is None:
            continue
        fmt = cell.number_format.split('"')[0]  # the number, before its unit
        decimals = len(fmt.split(".")[1]) if "." in fmt else 0
        assert fmt.startswith("#,##0") and decimals <= 3, fmt
        assert round(cell.value, decimals) == pytest.approx(cell.value, abs=1e-9), (
            cell.value, fmt)


def test_one_stray_value_does_not_change_how_the_others_show(tmp_path) -> None:
    """A coverage typed once as a fraction (0.9913 among 95.0, 96.3, 97.1, ...): the other cells
    keep one decimal (95.0, not 95.000), and the stray cell shows its own four digits."""
    from hbkit.report.excel_formats import shown_text

    catalogue = hbkit.Catalogue([hbkit.Target(
        id="W-cov", indicator="cov", kind="lower_bound", threshold=95, unit="percent",
        name_zh="覆盖率", target_year=2030, baseline_year=2025)])
    values = [95.0, 96.3, 0.9913, 97.1, 96.8, 97.5]
    frame = pd.DataFrame({"indicator": "cov", "geo": "河北区", "year": range(2020, 2026),
                          "value": values, "unit": "percent"})
    with pytest.warns(hbkit.DataWarning):
        result = hbkit.assess(frame, catalogue=catalogue, as_of=2025, n_draws=200)
    book = openpyxl.load_workbook(write_excel(result, tmp_path / "stray.xlsx"))
    cells = [c for c in _column(book["数据"], "数值\nValue") if c.value is not None]
    shown = [shown_text(c.value, c.number_format) for c in cells]
    assert shown == ["95.0%", "96.3%", "0.9913%", "97.1%", "96.8%", "97.5%"]
    latest = _column(book["全部目标"], "最新值\nLatest value")[0]
    assert shown_text(latest.value, latest.number_format) == "97.5%"
    target = _column(book["全部目标"], "目标值\nTarget value")[0]
    assert shown_text(target.value, target.number_format) == "95.0%"


def test_p_values_and_shares_have_their_own_formats() -> None:
    from hbkit.report.excel_formats import number_format, shown_text

    assert number_format("p_value", 0.0213, 2) == "0.0000"
    # as the warning texts say it (p<0.0001), an underflow to 0 included, never "0.000"
    assert number_format("p_value", 0.00004, 2) == number_format("p_value", 0.0, 2) == '"<0.0001"'
    assert shown_text(0.0, number_format("p_value", 0.0, 2)) == "<0.0001"
    assert number_format("probability", 0.836, 2) == "0.0%"
    assert number_format("relative_scale", 0.12, 2) == "0.0%"
    assert number_format("latest_year", 2023, 2) == "0"
    assert number_format("latest_value", 84.54, 2) == "#,##0.00"
    assert number_format("projected", 3.2, 0) == "#,##0.0"
    assert number_format("denominator", 120000, 0) == "#,##0"


def test_every_heading_is_chinese_then_english(book: Any) -> None:
    snake = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
    for sheet in book.worksheets:
        for cell in sheet[1]:
            heading = str(cell.value)
            lines = heading.split("\n")
            assert len(lines) == 2, (sheet.title, heading)
            assert re.search(r"[\u4e00-\u9fff]", lines[0]), (sheet.title, heading)
            assert not any(snake.match(line.strip()) for line in lines), (sheet.title, heading)


def test_warning_list_headings_name_the_numbers(book: Any) -> None:
    headings = [c.value for c in book["预警清单"][1]]
    assert "预计平均差距\nExpected shortfall" in headings
    assert "p值\np-value" in headings
    assert "expected_shortfall" not in headings and "p_value" not in headings


def test_english_warning_text_beside_the_chinese(assessment: hbkit.Assessment, book: Any) -> None:
    warnings = assessment.warnings_frame()
    assert len(warnings)
    sheet = book["预警清单"]
    english = [c.value for c in _column(sheet, "预警说明（英文）\nExplanation (en)")]
    chinese = [c.value for c in _column(sheet, "预警说明\nExplanation")]
    assert sorted(english) == sorted(warnings["text_en"])
    pairs = set(zip(chinese, english, strict=True))
    assert pairs == set(zip(warnings["text_zh"], warnings["text_en"], strict=True))
    labels = {c.value for c in _column(sheet, "预警\nWarning")}
    assert "预计达标困难 / hard to reach" in labels
    targets = book["全部目标"]
    english_lists = {c.value for c in _column(targets, "预警（英文）\nWarnings (en)")} - {None}
    assert "hard to reach" in ", ".join(english_lists)


_CONVENTION_CODES = {column: set(words["en"]) for column, words in LABELS.items()}
#: heading of a labelled column -> the codes that must not be shown in it
_CODES = {
    "规划\nPlan": set(PLANS),
    "目标类型\nKind": set(TARGET_KINDS),
    "单位\nUnit": set(UNITS),
    "期望方向\nDirection": {"increase", "decrease", "none"},
    "状态\nStatus": set(STATUSES),
    "Eurostat分档\nEurostat band": _CONVENTION_CODES["eurostat_band"],
    "UNSD分档\nUNSD band": _CONVENTION_CODES["unsd_band"],
    "DNS天气符号\nDNS symbol": _CONVENTION_CODES["dns_symbol"],
    "建模尺度\nScale": set(SCALES),
}


def test_targets_show_labels_not_codes(assessment: hbkit.Assessment, book: Any) -> None:
    sheet = book["全部目标"]
    for heading, codes in _CODES.items():
        shown = {c.value for c in _column(sheet, heading)} - {None}
        assert shown, heading
        assert not shown & codes, (heading, shown & codes)
    kinds = dict(zip([c.value for c in _column(sheet, "目标编号\nTarget id")],
                     [c.value for c in _column(sheet, "目标类型\nKind")], strict=True))
    assert kinds["W-health-cervical-cancer-screening"] == "不低于 / lower bound"
    plans = {c.value for c in _column(sheet, "规划\nPlan")}
    assert "妇女发展规划 / Women's Development Plan" in plans
    dns = {c.value for c in _column(sheet, "DNS天气符号\nDNS symbol")} - {None}
    assert all(" / " in v for v in dns), dns


def test_every_code_has_words() -> None:
    from hbkit.report.wording import DIRECTION_WORDS, KIND_WORDS, SCALE_WORDS, UNIT_WORDS

    assert set(KIND_WORDS) == set(TARGET_KINDS)
    assert set(UNIT_WORDS) == set(UNITS)
    assert set(SCALE_WORDS) == set(SCALES) | {"count"}  # count: the count rule, no model
    assert set(DIRECTION_WORDS) == {"increase", "decrease", "none"}
    for words in (*KIND_WORDS.values(), *SCALE_WORDS.values(), *DIRECTION_WORDS.values()):
        assert all(words), words


def test_codes_stay_at_the_right_for_developers(assessment: hbkit.Assessment, book: Any) -> None:
    sheet = book["全部目标"]
    headings = [c.value for c in sheet[1]]
    code_columns = [i for i, h in enumerate(headings) if "代码\n" in h or "编号\nIndicator" in h]
    assert code_columns == list(range(len(headings) - len(code_columns), len(headings)))
    frame = assessment.to_frame()
    for heading, column in (("目标类型代码\nKind code", "kind"), ("规划代码\nPlan code", "plan"),
                            ("状态代码\nStatus code", "status"),
                            ("DNS符号代码\nDNS symbol code", "dns_symbol")):
        shown = sorted(str(c.value) for c in _column(sheet, heading))
        assert shown == sorted(frame[column].astype(str)), heading



def test_other_sheets_show_labels_and_freeze_the_heading(book: Any) -> None:
    units = {c.value for c in _column(book["数据"], "单位\nUnit")}
    assert "%" in units and not units & {"percent", "per_1000", "per_100k"}
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B2", sheet.title


def test_number_columns_are_sized_to_what_they_show(book: Any) -> None:
    sheet = book["全部目标"]
    headings = [c.value for c in sheet[1]]
    for heading in ("预测值\nProjected", "所需年均变化\nRequired annual change"):
        letter = openpyxl.utils.get_column_letter(headings.index(heading) + 1)
        width = sheet.column_dimensions[letter].width
        longest_line = max(len(line) for line in heading.split("\n"))
        assert width <= max(longest_line, 12) + 2, (heading, width)


def test_summary_status_headings_read_like_the_rows_and_keep_their_tint(
        assessment: hbkit.Assessment, book: Any) -> None:
    """Every achieved row reads 提前实现, so the 汇总 heading does too, in its status colour."""
    from hbkit.report.wording import STATUS_TINTS

    rows = assessment.to_frame()
    assert set(rows.loc[rows["status"] == "achieved", "status_zh"]) == {"提前实现"}
    heading = next(c for c in book["汇总"][1] if str(c.value).startswith("提前实现"))
    assert heading.value == "提前实现\nachieved early"
    assert heading.fill.fgColor.rgb.endswith(STATUS_TINTS["achieved"].lstrip("#").upper())


def test_summary_names_each_domain_in_english_too(book: Any) -> None:
    sheet = book["汇总"]
    assert [c.value for c in sheet[1]][:2] == ["领域\nDomain", "领域（英文）\nDomain (en)"]
    rows = [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(2, sheet.max_row + 1)]
    assert ("妇女发展规划 · 健康", "Women's Development Plan · Health") in rows
    assert rows[-1] == ("合计", "Total")
    assert sheet.auto_filter.ref is None  # the total row must not be sorted away


def test_data_and_street_sheets_name_what_their_codes_mean(book: Any) -> None:
    data = book["数据"]
    headings = [c.value for c in data[1]]
    assert headings[:3] == ["指标编号\nIndicator id", "指标名称\nName (zh)", "英文名称\nName (en)"]
    assert headings[-1] == "单位代码\nUnit code"
    assert {c.value for c in _column(data, "单位代码\nUnit code")} >= {"percent"}
    assert data.auto_filter.ref == data.dimensions
    streets = [c.value for c in book["街道明细"][1]]
    assert streets.index("街道/单位\nStreet / unit") == streets.index("下级单位编码\nSub-unit code") - 1


def test_reads_back_as_numbers(assessment: hbkit.Assessment, tmp_path) -> None:
    path = write_excel(assessment, tmp_path / "r.xlsx")
    targets = pd.read_excel(path, sheet_name="全部目标")
    assert pd.api.types.is_float_dtype(targets["预测值\nProjected"])
    assert pd.api.types.is_numeric_dtype(targets["目标年份\nTarget year"])


def test_targets_say_which_value_is_judged(assessment: hbkit.Assessment, book: Any) -> None:
    """以街为单位 targets are judged on their worst street; the sheet says so, as the HTML does."""
    sheet = book["全部目标"]
    ids = [c.value for c in _column(sheet, "目标编号\nTarget id")]
    judged = dict(zip(ids, [c.value for c in _column(sheet, "取值口径\nValue judged")],
                      strict=True))
    catalogue = {t.id: t for t in assessment.catalogue}
    assert catalogue["C-health-immunization-each-street"].each_unit
    assert judged["C-health-immunization-each-street"] == "最差单位 / worst unit"
    assert judged["W-health-cervical-cancer-screening"] == "地区总体 / area as a whole"
    assert judged["W-health-lifecycle-services"] is None  # qualitative: nothing is judged
    for target_id, shown in judged.items():
        target = catalogue[target_id]
        if target.is_quantitative:
            assert shown == ("最差单位 / worst unit" if target.each_unit
                             else "地区总体 / area as a whole"), target_id


def _display_width(text: str) -> int:
    """Columns the text takes: CJK characters and full-width punctuation two, others one."""
    return sum(2 if "\u2e80" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" else 1
               for ch in text)


@pytest.mark.parametrize(("sheet_name", "heading"), [
    ("全部目标", "规划条文\nPlan clause"),
    ("预警清单", "预警说明\nExplanation"), ("预警清单", "预警说明（英文）\nExplanation (en)"),
    ("预警清单", "依据数字\nNumbers behind it"),
])
def test_long_text_wraps_and_its_rows_are_tall_enough_to_read(
        book: Any, sheet_name: str, heading: str) -> None:
    from hbkit.report.excel import LINE_HEIGHT, MAX_LINES

    sheet = book[sheet_name]
    cells = [c for c in _column(sheet, heading) if c.value]
    letter = openpyxl.utils.get_column_letter(cells[0].column)
    width = sheet.column_dimensions[letter].width
    assert width <= 60
    assert max(_display_width(c.value) for c in cells) > width - 2  # text to wrap
    assert all(c.alignment.wrap_text for c in cells), heading
    for cell in cells:
        height = sheet.row_dimensions[cell.row].height
        lines = min(math.ceil(_display_width(cell.value) / (width - 2)), MAX_LINES)
        if lines > 1:
            assert height is not None and height >= lines * LINE_HEIGHT, (cell.coordinate, height)
        assert (height or 15) <= MAX_LINES * LINE_HEIGHT


def test_short_rows_keep_their_height(book: Any) -> None:
    sheet = book["汇总"]
    assert all(sheet.row_dimensions[r].height is None for r in range(2, sheet.max_row + 1))
    assert not any(c.alignment.wrap_text for row in sheet.iter_rows(min_row=2) for c in row)


def test_count_rule_scale_reads_in_words_not_a_code() -> None:
    from hbkit.report.excel import code_label

    counts = small_assessment(("C-health-chc-child-gp",))
    assert set(counts.to_frame()["scale"]) == {"count"}
    assert code_label("scale", "count") == "计数规则（不建模） / count rule (not modelled)"


def test_not_applicable_numbers_are_blank_not_zero(tmp_path) -> None:
    counts = small_assessment(("C-health-chc-child-gp", "W-health-lifecycle-services",
                               "W-health-cervical-cancer-screening"))
    sheet = openpyxl.load_workbook(write_excel(counts, tmp_path / "r.xlsx"))["全部目标"]
    ids = [c.value for c in _column(sheet, "目标编号\nTarget id")]
    years = dict(zip(ids, [c.value for c in _column(sheet, "观测年数\nYears observed")],
                     strict=True))
    change = dict(zip(ids, [c.value for c in _column(
        sheet, "所需年均变化\nRequired annual change")], strict=True))
    assert years["W-health-lifecycle-services"] is None  # qualitative: no series, not 0 years
    assert change["C-health-chc-child-gp"] is None  # count rule: no change asked, not 0.0
    assert years["C-health-chc-child-gp"] == 8
    assert years["W-health-cervical-cancer-screening"] == 8
    assert change["W-health-cervical-cancer-screening"] is not None


def test_every_sheet_prints_landscape_legibly_with_its_heading_on_each_page(
        assessment: hbkit.Assessment, book: Any) -> None:
    from openpyxl.utils import get_column_letter

    from hbkit.report import titles
    from hbkit.report.excel import PAGE_WIDTH_CHARS

    title = titles.report_title(assessment, "zh")
    assert len(book.worksheets) == 6  # 汇总, 全部目标, 预警清单, 数据, 街道明细, 阅读说明
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert setup.paperSize == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert setup.fitToHeight == 0, sheet.title  # any number of pages tall
        # as few pages across as print the sheet at 60% or more of its size: the first page
        # holds PAGE_WIDTH_CHARS, each further one that less the first column it repeats
        printed = _printed_columns(sheet)
        widths = [sheet.column_dimensions[get_column_letter(i)].width
                  for i in range(1, printed + 1)]
        total, later = sum(widths), PAGE_WIDTH_CHARS - widths[0]
        pages = setup.fitToWidth
        assert total <= PAGE_WIDTH_CHARS + (pages - 1) * later, sheet.title
        assert pages == 1 or total > PAGE_WIDTH_CHARS + (pages - 2) * later, sheet.title
        assert sheet.print_title_cols == ("$A:$A" if pages > 1 else None), sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert sheet.oddHeader.left.text == title, sheet.title
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页", sheet.title
        assert sheet.oddFooter.left.text == "&A", sheet.title
    pages = {sheet.title: sheet.page_setup.fitToWidth for sheet in book.worksheets}
    assert pages["汇总"] == 1 and pages["全部目标"] > 1, pages  # 54 columns: not at a tenth


def _printed_columns(sheet: Any) -> int:
    """How many columns of ``sheet`` print: those of its print area, else all."""
    from openpyxl.utils import column_index_from_string

    if not sheet.print_area:
        return sheet.max_column
    last = re.search(r":\$([A-Z]+)\$\d+$", sheet.print_area)
    assert last, sheet.print_area
    return column_index_from_string(last.group(1))


def test_code_columns_at_the_right_are_not_printed(book: Any) -> None:
    """The codes for developers (and the unrounded probability) stay in the workbook but
    leave the printed pages: 全部目标 prints up to 说明（英文）, 数据 up to its data columns."""
    for sheet in book.worksheets:
        printed = [c.value for c in sheet[1]][:_printed_columns(sheet)]
        left_out = [c.value for c in sheet[1]][_printed_columns(sheet):]
        assert not [h for h in printed if "代码\n" in h or "未舍入" in h], (sheet.title, printed)
        assert all("代码\n" in h or "未舍入" in h or h == "指标编号\nIndicator id"
                   for h in left_out), (sheet.title, left_out)
    assert [c.value for c in book["全部目标"][1]][_printed_columns(book["全部目标"]) - 1] == (
        "说明（英文）\nReason (en)")
    assert book["数据"].print_area == "'数据'!$A$1:$J$" + str(book["数据"].max_row)


def test_a_literal_ampersand_in_the_page_header_is_escaped() -> None:
    from hbkit.report.excel import _header_text

    assert _header_text("妇女 & 儿童") == "妇女 && 儿童"
    assert _header_text("报告") == "报告"


def test_simulated_data_carry_the_report_s_banner_on_every_printed_page_and_on_the_first_sheet(
        assessment: hbkit.Assessment, book: Any) -> None:
    from hbkit.report.wording import TEXTS

    banner = TEXTS["simulated_banner"]
    assert assessment.simulated
    for sheet in book.worksheets:
        assert sheet.oddHeader.right.text == banner["zh"], sheet.title
        assert sheet.oddHeader.right.color == "C00000", sheet.title
        assert sheet.cell(1, 1).value.startswith(("领域\n", "目标编号\n", "指标编号\n", "项目\n"))
    note = book["汇总"]["A1"].comment
    assert note is not None
    assert note.text.split("\n") == [banner["zh"], banner["en"]]
    assert book.worksheets[0].title == "汇总"


def test_real_data_have_no_banner(tmp_path) -> None:
    observations, catalogue = small_inputs(("W-health-cervical-cancer-screening",))
    observations = observations.assign(source="河北区卫健委")
    real = hbkit.assess(observations, catalogue=catalogue, as_of=2023, n_draws=100, seed=3)
    assert not real.simulated
    book = openpyxl.load_workbook(write_excel(real, tmp_path / "r.xlsx"))
    for sheet in book.worksheets:
        assert not sheet.oddHeader.right.text, sheet.title
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert book["汇总"]["A1"].comment is None


def test_models_read_as_words_with_their_code_kept_at_the_right(
        assessment: hbkit.Assessment, book: Any) -> None:
    from hbkit.report.wording import model_label

    sheet = book["全部目标"]
    codes = [c.value for c in _column(sheet, "模型代码\nModel code")]
    zh = [c.value for c in _column(sheet, "模型\nModel")]
    en = [c.value for c in _column(sheet, "模型（英文）\nModel (en)")]
    methods = assessment.to_frame()["method"].fillna("")
    assert sorted(code or "" for code in codes) == sorted(methods)  # "" (qualitative): blank
    assert "binomial_trend" in codes and "二项计数趋势" in zh and "binomial count trend" in en
    for code, words_zh, words_en in zip(codes, zh, en, strict=True):
        if code is None:
            assert words_zh is None and words_en is None
            continue
        assert (words_zh, words_en) == (model_label(code, "zh"), model_label(code, "en"))
        assert not re.search(r"[a-z]+_[a-z]+", words_zh), words_zh  # no model code left
        assert not re.search(r"[\u4e00-\u9fff]", words_en), words_en
    headings = [c.value for c in sheet[1]]
    assert headings.index("模型（英文）\nModel (en)") == headings.index("模型\nModel") + 1


def test_reasons_are_chinese_with_the_english_beside(assessment: hbkit.Assessment,
                                                    book: Any) -> None:
    sheet = book["全部目标"]
    zh = [c.value for c in _column(sheet, "说明\nReason")]
    en = [c.value for c in _column(sheet, "说明（英文）\nReason (en)")]
    frame = assessment.to_frame()
    expected = {(None if pd.isna(a) else a, None if pd.isna(b) else b)
                for a, b in zip(frame["reason_zh"], frame["reason_en"], strict=True)}
    assert set(zip(zh, en, strict=True)) == expected
    assert "定性目标，不评分" in zh and "qualitative target, not scored" in en
    assert not any(" / " in str(v) for v in zh + en if v)
    headings = [c.value for c in sheet[1]]
    assert headings.index("说明（英文）\nReason (en)") == headings.index("说明\nReason") + 1


def test_data_sheet_columns_fit_their_longest_text(tmp_path) -> None:
    """The review's case: 数据 column A was 47 wide while indicator ids further down reach
    49 characters (``nine_year_compulsory_education_consolidation_rate``)."""
    from hbkit.datasets import load_example
    from hbkit.report.plain import text_width

    example = load_example("hebei_example")
    res = hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=2023)
    sheet = openpyxl.load_workbook(write_excel(res, tmp_path / "book.xlsx"))["数据"]
    for column in sheet.iter_cols(min_row=2):
        longest = max((text_width(line) for cell in column if isinstance(cell.value, str)
                       for line in cell.value.split("\n")), default=0.0)
        width = sheet.column_dimensions[column[0].column_letter].width
        assert width >= min(longest, 60), (column[0].column_letter, width, longest)
    ids = [cell.value for (cell,) in sheet.iter_rows(min_row=2, min_col=1, max_col=1)]
    assert "nine_year_compulsory_education_consolidation_rate" in ids


def test_the_data_sheet_reads_back_with_hbkit(assessment: hbkit.Assessment, tmp_path) -> None:
    """hbkit reads its own report's 数据 sheet: two-line headings, units as labels
    (``个 / count``, ``/10万 / per 100,000``) beside their codes."""
    path = write_excel(assessment, tmp_path / "r.xlsx")
    obs = hbkit.read_observations(path, assessment.catalogue, sheet="数据")
    written = pd.read_excel(path, sheet_name="数据")
    assert len(obs.frame) == len(written) and obs.excluded.empty
    assert not (obs.changes["code"] == "unit-converted").any()
    codes = written.set_index(["指标编号\nIndicator id", "地区\nArea", "年份\nYear"])[
        "单位代码\nUnit code"]
    read = obs.frame.set_index(["indicator", "geo", "year"])["unit"]
    assert read.to_dict() == codes.to_dict()


def _row_of(sheet: Any, target_id: str) -> dict[str, Any]:
    """The cells of ``target_id``'s row of ``sheet``, by heading."""
    headings = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == target_id:
            return dict(zip(headings, row, strict=True))
    raise AssertionError(target_id)


def test_values_show_their_unit_and_stay_numbers(book: Any) -> None:
    """An infant mortality rate reads 3.64‰ and a coverage 66.38% in the cell (the unit is
    text of the number format), while the cell holds the number 3.64 for formulas; a change
    per year (a difference) shows no unit."""
    from hbkit.report.excel_formats import shown_text

    imr = _row_of(book["全部目标"], "C-health-infant-mortality")
    latest = imr["最新值\nLatest value"]
    assert latest.value == 3.64 and isinstance(latest.value, float)
    assert shown_text(latest.value, latest.number_format) == "3.64‰"
    assert shown_text(imr["目标值\nTarget value"].value, imr["目标值\nTarget value"].number_format) \
        == "5.00‰"
    for heading in ("预测值\nProjected", "80%下限\n80% lower", "95%上限\n95% upper"):
        assert imr[heading].number_format.endswith('"‰"'), heading
    assert '"' not in imr["所需年均变化\nRequired annual change"].number_format
    screening = _row_of(book["全部目标"], "W-health-cervical-cancer-screening")
    cell = screening["最新值\nLatest value"]
    assert shown_text(cell.value, cell.number_format) == "66.38%" and cell.value == 66.38
    mmr = _row_of(book["全部目标"], "W-health-maternal-mortality")
    assert mmr["目标值\nTarget value"].number_format.endswith('"/10万"')
    # every value of the 数据 sheet shows the unit of its row
    units = {"percent": "%", "per_1000": "‰", "per_100k": "/10万"}
    sheet = book["数据"]
    for value, code in zip(_column(sheet, "数值\nValue"), _column(sheet, "单位代码\nUnit code"),
                           strict=True):
        if value.value is not None and code.value in units:
            assert value.number_format.endswith(f'"{units[code.value]}"'), value.number_format


def test_differences_hold_the_number_the_arithmetic_means(assessment: hbkit.Assessment,
                                                          book: Any) -> None:
    """(70 − 66.38) / 2 is 1.810000000000002 in float64; the cell holds 1.81, not the binary
    rounding error Excel's formula bar would show."""
    from decimal import Decimal

    frame = assessment.to_frame().set_index("target_id")
    sheet = book["全部目标"]
    checked = 0
    for target_id, row in frame.iterrows():
        if pd.isna(row["latest_value"]):
            continue
        years = int(row["target_year"]) - int(row["latest_year"])
        expected = (Decimal(repr(float(row["threshold"])))
                    - Decimal(repr(float(row["latest_value"])))) / years
        cell = _row_of(sheet, str(target_id))["所需年均变化\nRequired annual change"]
        assert cell.value == float(expected), (target_id, cell.value, expected)
        checked += 1
    assert checked == 5
    assert frame.loc["W-health-cervical-cancer-screening", "required_annual_change"] != 1.81


def test_the_guide_sheet_explains_every_sheet_and_status(assessment: hbkit.Assessment,
                                                         book: Any) -> None:
    """The last sheet, 阅读说明, names every other sheet (Chinese, then English) with what it
    holds, each status the 汇总 sheet counts in the same tint as its heading there, with its
    threshold, and how to read probabilities, intervals, units and blank cells."""
    assert book.sheetnames[-1] == "阅读说明"
    sheet = book["阅读说明"]
    assert [c.value for c in sheet[1]] == ["项目\nItem", "说明\nExplanation",
                                           "说明（英文）\nExplanation (en)"]
    rows = list(sheet.iter_rows(min_row=2))
    items = [row[0].value for row in rows]
    assert items[0] == "模拟数据 / Simulated data"  # the example district is simulated
    named = [i.split("：")[1].split(" / ")[0] for i in items if i.startswith("工作表：")]
    assert named == book.sheetnames[:-1]
    assert "工作表：数据 / Sheet: Data used" in items
    summary_tints = {c.value.split("\n")[0]: c.fill.fgColor.rgb for c in book["汇总"][1][2:-1]}
    statuses = {row[0].value.split("：")[1].split(" / ")[0]: row for row in rows
                if row[0].value.startswith("状态：")}
    assert list(statuses) == list(summary_tints)
    for word, row in statuses.items():
        assert row[0].fill.fgColor.rgb == summary_tints[word], word
        assert row[1].value and row[2].value, word  # explained in Chinese and in English
    assert statuses["有望实现"][1].value == "实现概率 ≥ 80%"
    assert statuses["存在风险"][2].value == "50% <= probability < 80%"
    for note in ("实现概率 / Probability", "区间 / Intervals", "数值与单位 / Values and units",
                 "空白单元格 / Blank cells"):
        assert note in items, note
    assert sheet.column_dimensions["B"].width == 60  # long text wraps
    assert all(row[1].alignment.wrap_text for row in rows)


def test_summary_counts_carry_their_status_tint_as_in_the_html(book: Any) -> None:
    sheet = book["汇总"]
    for column in list(sheet.iter_cols(min_col=3, max_col=sheet.max_column - 1)):
        tint = column[0].fill.fgColor.rgb
        for cell in column[1:]:
            if cell.value:
                assert cell.fill.fgColor.rgb == tint, (column[0].value, cell.coordinate)
            else:
                assert cell.fill.fill_type is None, (column[0].value, cell.coordinate)
    total = [c for c in sheet[1] if c.value == "合计\nTotal"][0]
    assert all(c.fill.fill_type is None for c in sheet[total.column_letter][1:])
