"""Input formats: encodings, Chinese headers, wide yearbook layout, Excel, frames, bad files."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from hbkit import DataValidationError, HbkitError, Observations, Target, read_observations
from hbkit.exceptions import FileError
from hbkit.observations.encoding import detect_encoding

DATA = Path(__file__).parent / "data"
CATALOGUE = [
    Target(id="W-mmr", indicator="maternal_mortality_ratio", kind="upper_bound", threshold=8.5,
           unit="per_100k", name_zh="孕产妇死亡率"),
    Target(id="W-hdr", indicator="hospital_delivery_rate", kind="lower_bound", threshold=99,
           unit="percent", name_zh="住院分娩率"),
    Target(id="C-imr", indicator="infant_mortality_rate", kind="upper_bound", threshold=5,
           unit="per_1000", name_zh="婴儿死亡率"),
    Target(id="C-hs", indicator="high_school_gross_enrollment_rate", kind="lower_bound",
           threshold=98, unit="percent", bounded=False, name_zh="高中阶段毛入学率"),
]
CSV_ZH = ("指标,地区,年份,数值,单位,来源\n"
          "婴儿死亡率,河北区,2020,2.93,‰,区卫健委\n"
          "住院分娩率,河北区 ／ 光复道街道,2020,99.5,%,区卫健委\n")
EXPECTED_ZH = [("hospital_delivery_rate", "河北区/光复道街道", 2020, 99.5, "percent", "区卫健委"),
               ("infant_mortality_rate", "河北区", 2020, 2.93, "per_1000", "区卫健委")]


def _rows(obs: Observations) -> list[tuple[object, ...]]:
    cols = ["indicator", "geo", "year", "value", "unit", "source"]
    return [tuple(r) for r in obs.frame[cols].itertuples(index=False, name=None)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings_detected_without_being_told(tmp_path, encoding):
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(CSV_ZH.replace("\n", "\r\n").encode(encoding))
    assert _rows(read_observations(path, CATALOGUE)) == EXPECTED_ZH


def test_gb18030_only_characters(tmp_path):
    # 𠀀 (U+20000) is outside GBK, so the file is GB18030, not GBK
    text = CSV_ZH.replace("区卫健委", "𠀀统计局")
    data = text.encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    assert detect_encoding(data) == "gb18030"
    path = tmp_path / "gb18030.csv"
    path.write_bytes(data)
    assert set(read_observations(path, CATALOGUE).frame["source"]) == {"𠀀统计局"}


def test_gbk_file_is_detected_as_gbk():
    assert detect_encoding(CSV_ZH.encode("gbk")) == "gbk"
    assert detect_encoding(CSV_ZH.encode("utf-8-sig")) == "utf-8-sig"


def test_fixture_long_chinese_bom_file():
    obs = read_observations(DATA / "observations_long_zh.csv", CATALOGUE)
    frame = obs.frame.set_index(["indicator", "year"])
    assert frame.loc[("infant_mortality_rate", 2020), "value"] == 2.93  # full-width digits
    assert frame.loc[("hospital_delivery_rate", 2020), "value"] == 99.98  # "99.98%" trimmed
    assert frame.loc[("hospital_delivery_rate", 2020), "unit"] == "percent"
    assert frame.loc[("maternal_mortality_ratio", 2020), "numerator"] == 1.0
    assert frame.loc[("maternal_mortality_ratio", 2020), "denominator"] == 4100.0
    assert set(obs.frame["source"]) == {"区卫健委"}
    assert len(obs.frame) == 5 and obs.excluded.empty


def test_wide_yearbook_layout_read_into_long():
    obs = read_observations(DATA / "observations_yearbook_wide.csv", CATALOGUE)
    frame = obs.frame.set_index(["indicator", "year"])["value"]
    assert frame.loc[("infant_mortality_rate", 2021)] == 2.71
    assert frame.loc[("hospital_delivery_rate", 2019)] == 99.95
    assert ("hospital_delivery_rate", 2021) not in frame.index  # blank cell: not reported
    assert math.isnan(frame.loc[("maternal_mortality_ratio", 2021)])  # "…": reported missing
    assert obs.missing["column"].tolist() == ["2021年"]
    assert len(obs.frame) == 4 + 4 + 3
    assert sorted(obs.excluded["code"]) == ["note-row", "title-row", "wide-row-blank"]
    assert obs.excluded.set_index("code").loc["wide-row-blank", "row"] == 6
    rows = obs.frame.set_index(["indicator", "year"])["row"]
    assert rows.loc[("infant_mortality_rate", 2018)] == 4  # the sheet row


def test_wide_layout_with_numerator_denominator_columns():
    frame = pd.DataFrame({"指标": ["婴儿死亡率"], "单位": ["‰"], "2020年": [None],
                          "2020年 分子": [12], "2020年 分母": [4000],
                          "2021": [2.5], "2021 numerator": [10], "2021 denominator": [4000]})
    obs = read_observations(frame, CATALOGUE)
    assert obs.frame[["year", "value", "numerator", "denominator"]].values.tolist() == [
        [2020, 3.0, 12.0, 4000.0], [2021, 2.5, 10.0, 4000.0]]


def test_wide_problem_names_the_year_column():
    frame = pd.DataFrame({"指标": ["婴儿死亡率"], "2020年": ["x"]})
    with pytest.raises(DataValidationError) as info:
        read_observations(frame, CATALOGUE)
    assert info.value.problems[["row", "column", "value"]].values.tolist() == [[2, "2020年", "x"]]


def test_wide_row_problem_listed_once_not_once_per_year():
    # a problem of the row itself (its indicator, geo or unit cell) is one problem, whatever
    # the number of year columns: 1 unknown indicator, not 3; 1 name match, not 3
    frame = pd.DataFrame({"指标": ["婴儿死亡率", "不存在的指标"], "地区": ["", "河北区"],
                          "2020年": [3.0, 1.0], "2021年": [2.9, 2.0], "2022年": [2.8, 3.0]})
    with pytest.raises(DataValidationError) as info:
        read_observations(frame, CATALOGUE)
    assert info.value.problems[["row", "column", "value", "code"]].values.tolist() == [
        [3, "指标", "不存在的指标", "unknown-indicator"]]
    obs = read_observations(frame, CATALOGUE, unknown="exclude")
    assert len(obs.frame) == 3
    assert obs.excluded[["row", "code"]].values.tolist() == [[3, "unknown-indicator-excluded"]]
    assert obs.changes[["row", "column", "code"]].values.tolist() == [
        [2, "指标", "indicator-name"], [2, "地区", "geo-default"]]
    # observations of one wide row read again (here against a bound) stay one problem each
    again = read_observations(pd.DataFrame({"指标": ["hospital_delivery_rate"], "2020年": [101.0],
                                            "2021年": [101.0]}))
    with pytest.raises(DataValidationError) as info:
        read_observations(again, CATALOGUE)
    assert info.value.problems["code"].tolist() == ["above-100", "above-100"]


def test_english_headers_any_case_and_missing_geo_uses_default(tmp_path):
    path = tmp_path / "en.csv"
    path.write_text(" Indicator ;YEAR;Value\nimr;2020;3\n", encoding="utf-8")
    obs = read_observations(path)
    assert _rows(obs) == [("imr", "河北区", 2020, 3.0, "", "")]
    assert read_observations(path, geo="河东区").geos == ["河东区"]

    class Cat(list):
        default_geo = "和平区"

    cat = Cat([Target(id="x", indicator="imr", kind="upper_bound", threshold=5, unit="per_1000")])
    obs = read_observations(path, cat)
    assert obs.geos == ["和平区"] and obs.frame["unit"].tolist() == ["per_1000"]


def test_tab_separated_text(tmp_path):
    path = tmp_path / "tab.txt"
    path.write_text("指标\t年份\t数值\nimr\t2020\t3\n", encoding="utf-8")
    assert read_observations(path).frame["value"].tolist() == [3.0]


def test_excel_long_with_percent_format_and_sheet_choice(tmp_path):
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes["A1"] = "本表由区卫健委提供"
    sheet = book.create_sheet("数据")
    sheet.append(["指标", "地区", "年份", "数值"])
    sheet.append(["住院分娩率", "河北区", 2020, 0.9998])
    sheet["D2"].number_format = "0.00%"
    sheet.append(["婴儿死亡率", "河北区", "2020年", "2.93"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    obs = read_observations(path, CATALOGUE)
    values = obs.frame.set_index("indicator")["value"]
    assert values["hospital_delivery_rate"] == 99.98
    assert set(obs.frame["file"]) == {f"{path} [数据]"}
    assert obs.excluded["code"].tolist() == ["sheet-skipped"]
    assert len(read_observations(path, CATALOGUE, sheet="数据").excluded) == 0
    with pytest.raises(HbkitError, match="no sheet 'nope'"):
        read_observations(path, sheet="nope")


def test_dataframe_input_and_provenance_kept():
    frame = pd.DataFrame({"indicator": ["imr", "imr"], "year": [2020, 2021],
                          "value": [np.float64(3.0), 2.5]})
    obs = read_observations(frame)
    assert obs.frame["file"].tolist() == ["<DataFrame>"] * 2
    assert obs.frame["row"].tolist() == [2, 3]
    again = read_observations(obs)
    pd.testing.assert_frame_equal(again.frame, obs.frame)


def test_observations_api():
    frame = pd.DataFrame({"indicator": ["a", "a", "b"], "geo": ["X", "Y", "X"],
                          "year": [2019, 2021, 2021], "value": [1.0, 2.0, 3.0]})
    obs = read_observations(frame)
    assert (obs.indicators, obs.geos, obs.years) == (["a", "b"], ["X", "Y"], [2019, 2021])
    assert len(obs.subset(as_of=2020)) == 1
    assert obs.subset(geos="Y").frame["value"].tolist() == [2.0]
    assert obs.subset(indicators=["b"], as_of=2021).indicators == ["b"]
    assert repr(obs).startswith("Observations: 3 rows (2 indicators, 2 geos, 2019-2021)")
    assert "观测数据 / Observations" in obs._repr_html_()
    copy = obs.to_frame()
    copy.loc[0, "value"] = 99.0
    assert obs.frame.loc[0, "value"] == 1.0
    with pytest.raises(AttributeError):
        obs.frame = frame  # frozen
    assert list(obs.frame.columns) == ["indicator", "geo", "year", "value", "numerator",
                                       "denominator", "unit", "source", "file", "row"]
    assert str(obs.frame["year"].dtype) == "int64" and str(obs.frame["row"].dtype) == "int64"


def test_missing_file_named(tmp_path):
    with pytest.raises(HbkitError, match="file not found: .*nope.csv"):
        read_observations(tmp_path / "nope.csv")


def test_empty_file_named(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"  \r\n")
    with pytest.raises(HbkitError, match="file is empty: .*empty.csv"):
        read_observations(path)


def test_folder_binary_xls_and_broken_xlsx_named(tmp_path):
    with pytest.raises(HbkitError, match="folder"):
        read_observations(tmp_path)
    binary = tmp_path / "image.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(HbkitError, match="not a text .*image.csv"):
        read_observations(binary)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(HbkitError, match=r"save as \.xlsx: .*old.xls"):
        read_observations(xls)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"garbage" * 50)
    with pytest.raises(HbkitError, match="not a valid Excel workbook.*|broken.xlsx"):
        read_observations(broken)


def test_wrong_source_type():
    with pytest.raises(HbkitError, match="takes a path"):
        read_observations(42)  # type: ignore[arg-type]


def test_header_only_file_gives_empty_observations(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("indicator,year,value\n", encoding="utf-8")
    obs = read_observations(path)
    assert len(obs) == 0 and obs.years == []


def test_two_row_yearbook_header_with_merged_year_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["表3 河北区婴儿死亡率"])
    sheet.append(["指标", "单位", "2021年", None, None, "2022年", None, None])
    sheet.append([None, None, "数值", "分子", "分母", "数值", "分子", "分母"])
    sheet.merge_cells("C2:E2")
    sheet.merge_cells("F2:H2")
    sheet.append(["婴儿死亡率", "‰", 3.0, 12, 4000, None, 10, 4000])
    path = tmp_path / "yearbook.xlsx"
    book.save(path)
    obs = read_observations(path, CATALOGUE)
    assert obs.frame[["year", "value", "numerator", "denominator", "row"]].values.tolist() == [
        [2021, 3.0, 12.0, 4000.0, 4], [2022, 2.5, 10.0, 4000.0, 4]]
    assert obs.excluded["code"].tolist() == ["title-row"]


def test_the_source_is_kept_as_written(tmp_path) -> None:
    """A source is free text: its full-width punctuation and digits are not folded."""
    import hbkit

    path = tmp_path / "src.csv"
    source = "模拟数据，非真实统计 — 区卫健委（２０２３）"
    path.write_text("indicator,geo,year,value,unit,source\n"
                    f"infant_mortality_rate,河北区,2022,3.1,per_1000,\"{source}\"\n", encoding="utf-8")
    obs = hbkit.read_observations(path, hbkit.load_catalogue())
    assert obs.frame["source"].tolist() == [source]


def test_sheet_named_by_the_start_of_its_name(tmp_path):
    """``--sheet 健康`` finds the template's "健康 health" when no other sheet starts so."""
    book = openpyxl.Workbook()
    book.active.title = "填报说明 instructions"
    for title, value in (("健康 health", 2.9), ("健身", 3.3)):
        sheet = book.create_sheet(title)
        sheet.append(["指标", "地区", "年份", "数值"])
        sheet.append(["婴儿死亡率", "河北区", 2020, value])
    path = tmp_path / "tpl.xlsx"
    book.save(path)
    obs = read_observations(path, CATALOGUE, sheet="健康")
    assert obs.frame["value"].tolist() == [2.9]
    assert set(obs.frame["file"]) == {f"{path} [健康 health]"}
    with pytest.raises(HbkitError, match=r"2 个工作表以此开头.*2 sheets start with it"):
        read_observations(path, CATALOGUE, sheet="健")


def _two_sheet_book(tmp_path: Path) -> Path:
    """A workbook whose sheets "1.5" and "True" would be found by the text of a wrong sheet."""
    book = openpyxl.Workbook()
    book.active.title = "1.5"
    book.active.append(["指标", "地区", "年份", "数值"])
    book.active.append(["婴儿死亡率", "河北区", 2020, 2.9])
    second = book.create_sheet("True")
    second.append(["指标", "地区", "年份", "数值"])
    second.append(["婴儿死亡率", "河北区", 2021, 3.3])
    path = tmp_path / "two.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("sheet", [1.5, True, False, [0], -1, "", "  ", 1.0])
def test_a_sheet_that_is_neither_a_name_nor_a_number_is_refused(tmp_path, sheet):
    """1.5 was looked up as the sheet named "1.5" and True as "True": the wrong sheet read
    without a word. A sheet is a name (non-empty text) or a 0-based number, else an error
    naming the argument and the value received."""
    path = _two_sheet_book(tmp_path)
    with pytest.raises(HbkitError) as info:
        read_observations(path, CATALOGUE, sheet=sheet)
    message = str(info.value)
    assert message.startswith("sheet 须为工作表名称")
    assert f"received {sheet!r} ({type(sheet).__name__})" in message
    assert not isinstance(info.value, FileError)  # the argument is wrong, not the file


def test_a_sheet_is_read_by_its_name_or_its_number(tmp_path):
    path = _two_sheet_book(tmp_path)
    by_name = read_observations(path, CATALOGUE, sheet="True")
    assert by_name.frame["value"].tolist() == [3.3]
    for number in (1, np.int64(1)):
        assert read_observations(path, CATALOGUE, sheet=number).frame["value"].tolist() == [3.3]
    assert read_observations(path, CATALOGUE, sheet=0).frame["value"].tolist() == [2.9]
    assert read_observations(path, CATALOGUE).frame["value"].tolist() == [2.9, 3.3]


def test_a_sheet_given_with_a_frame_is_an_error_and_with_a_csv_a_warning(tmp_path):
    """A DataFrame has no worksheets: a sheet given with it is a mistake in the program.
    A CSV (told from its content, whatever its name) is read whole, with a warning."""
    import hbkit

    frame = pd.DataFrame({"指标": ["婴儿死亡率"], "年份": [2020], "数值": [2.9]})
    for source in (frame, read_observations(frame, CATALOGUE)):
        with pytest.raises(HbkitError, match=(
                f"{type(source).__name__} 没有工作表.*a {type(source).__name__} has no "
                "worksheets, leave sheet out; received sheet='健康'")):
            read_observations(source, CATALOGUE, sheet="健康")
    path = tmp_path / "exported.xlsx"  # a CSV under an Excel name
    path.write_text("指标,年份,数值\n婴儿死亡率,2020,2.9\n", encoding="utf-8")
    with pytest.warns(hbkit.HbkitWarning) as caught:
        obs = read_observations(path, CATALOGUE, sheet="健康")
    assert obs.frame["value"].tolist() == [2.9]
    assert [str(w.message) for w in caught] == [
        "文件名为 .xlsx，但内容是文本（CSV），已按 CSV 读取 / the file is named .xlsx but holds "
        f"text (CSV): it was read as CSV: {path}",
        "CSV 文件没有工作表，sheet='健康' 已忽略，读取整个文件 / a CSV file has no worksheets: "
        f"sheet='健康' is ignored, the whole file is read: {path}"]
    # said where the user called read_observations
    assert [w.filename for w in caught] == [__file__, __file__]


def test_a_file_that_cannot_be_read_says_why_in_a_code(tmp_path):
    """A web service branches on ``err.code`` (and shows ``err.problems``), not on the words
    of the message: each file-level failure has a stable code and a one-row JSON table."""
    import json

    import hbkit

    good = tmp_path / "good.xlsx"
    pd.DataFrame({"indicator": ["infant_mortality_rate"], "geo": ["河北区"], "year": [2023],
                  "value": [3.1]}).to_excel(good, index=False)
    cases = {"file-missing": tmp_path / "nope.csv", "file-unreadable": tmp_path}
    (tmp_path / "empty.csv").write_bytes(b"  \r\n")
    cases["file-empty"] = tmp_path / "empty.csv"
    binary = tmp_path / "image.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    truncated = tmp_path / "trunc.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    for code, path in [*cases.items(), ("file-format", binary), ("file-format", truncated),
                       ("file-format", xls)]:
        with pytest.raises(hbkit.FileError) as info:
            read_observations(path)
        error = info.value
        assert isinstance(error, HbkitError) and not isinstance(error, DataValidationError)
        assert (error.code, error.file) == (code, str(path)), path
        assert error.code in hbkit.exceptions.FILE_ERROR_CODES
        records = error.problems.to_dict("records")
        assert records == [{"file": str(path), "row": None, "column": None, "value": None,
                            "rule": str(error), "code": code}]
        json.dumps(records, ensure_ascii=False, allow_nan=False)
    with pytest.raises(hbkit.FileError) as info:
        read_observations(good, sheet="没有这个")
    assert info.value.code == "sheet-missing"
    # the Chinese half names the sheet asked for and the sheets there are, as the English does
    zh = str(info.value).split(" / ")[0]
    assert "“没有这个”" in zh and "现有工作表" in zh
    with pytest.raises(hbkit.FileError) as info:
        read_observations(good, sheet=3)
    assert info.value.code == "sheet-missing"
    assert "第 3 个工作表" in str(info.value).split(" / ")[0]


def test_a_web_page_or_xml_spreadsheet_under_an_excel_name_is_a_file_format_error(tmp_path):
    """Many systems export "Excel" as an HTML table or an Excel 2003 XML spreadsheet named
    .xls/.xlsx. Read as CSV, it was "a required column is missing" with the page's first
    line as the value; it is a file that is not a workbook, with what to do about it."""
    import hbkit

    page = ("<html><head><meta charset='utf-8'></head><body><table>"
            "<tr><td>指标</td><td>年份</td><td>数值</td></tr>"
            "<tr><td>infant_mortality_rate</td><td>2023</td><td>3.1</td></tr></table></body></html>")
    xml = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="1">'
           "<Table><Row><Cell><Data ss:Type=\"String\">指标</Data></Cell></Row></Table>"
           "</Worksheet></Workbook>")
    cases = {"报表.xls": (page, "utf-8", "HTML"), "导出.xlsx": ("\ufeff" + page, "utf-8", "HTML"),
             "报表gbk.xls": (page, "gbk", "HTML"), "表格.xls": (xml, "utf-8", "XML")}
    for name, (text, encoding, kind) in cases.items():
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        with pytest.raises(hbkit.FileError) as info:
            read_observations(path, CATALOGUE)
        assert (info.value.code, info.value.file) == ("file-format", str(path))
        assert kind in str(info.value) and "另存为 .xlsx" in str(info.value)
        assert str(path) in str(info.value)
    # a CSV whose cells hold angle brackets is still a CSV
    csv = tmp_path / "ok.csv"
    csv.write_text("指标,年份,数值,来源\ninfant_mortality_rate,2023,3.1,<区卫健委>\n",
                   encoding="utf-8")
    assert read_observations(csv, CATALOGUE).frame["value"].tolist() == [3.1]


def test_an_area_or_source_that_is_not_text_is_an_hbkit_error() -> None:
    """``geo=5`` (a district code where a name belongs) raised a bare TypeError from deep
    inside the reader; a service catching ``hbkit.HbkitError`` let it through."""
    import hbkit

    frame = pd.DataFrame({"indicator": ["infant_mortality_rate"], "year": [2023], "value": [3.1]})
    with pytest.raises(hbkit.HbkitError, match="geo must be text.*received 5 \\(int\\)"):
        read_observations(frame, CATALOGUE, geo=5)  # type: ignore[arg-type]
    with pytest.raises(hbkit.HbkitError, match="data_source must be text.*received 1.5"):
        read_observations(frame, CATALOGUE, data_source=1.5)  # type: ignore[arg-type]
    read = read_observations(frame, CATALOGUE, geo="和平区", data_source="区卫健委")
    assert read.frame[["geo", "source"]].values.tolist() == [["和平区", "区卫健委"]]


def test_a_file_error_pickles_with_its_code(tmp_path):
    import pickle

    import hbkit

    with pytest.raises(hbkit.FileError) as info:
        read_observations(tmp_path / "nope.csv")
    back = pickle.loads(pickle.dumps(info.value))
    assert (type(back), back.code, back.file, str(back)) == (
        hbkit.FileError, "file-missing", str(tmp_path / "nope.csv"), str(info.value))
    assert back.problems.equals(info.value.problems)


def test_a_percent_sign_quoted_in_the_number_format_is_the_unit_not_a_scale(tmp_path):
    """hbkit's own workbook shows 95.2 as 95.2% with the format ``#,##0.0"%"``: the quoted %
    is text, Excel does not scale the number, so neither does the reader; an unquoted % (a
    cell typed 99.98%: 0.9998 in ``0.00%``) still reads as the percentage it shows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["指标", "地区", "年份", "数值"])
    sheet.append(["住院分娩率", "河北区", 2020, 95.2])
    sheet["D2"].number_format = '#,##0.0"%"'
    sheet.append(["住院分娩率", "河北区", 2021, 96.4])
    sheet["D3"].number_format = "0.0\\%"  # an escaped % is text too
    sheet.append(["住院分娩率", "河北区", 2022, 0.9998])
    sheet["D4"].number_format = "0.00%"
    path = tmp_path / "book.xlsx"
    book.save(path)
    obs = read_observations(path, CATALOGUE)
    assert obs.frame.sort_values("year")["value"].tolist() == [95.2, 96.4, 99.98]
