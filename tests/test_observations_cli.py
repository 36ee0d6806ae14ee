"""``hbkit validate`` and ``hbkit template``: output and exit codes, never a traceback."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from hbkit import Catalogue, Target
from hbkit.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture()
def catalogue_file(tmp_path):
    catalogue = Catalogue([
        Target(id="C-health-infant-mortality", plan="children", domain="health",
               indicator="infant_mortality_rate", kind="upper_bound", threshold=5,
               unit="per_1000", name_zh="婴儿死亡率"),
        Target(id="W-health-hospital-delivery", plan="women", domain="health",
               indicator="hospital_delivery_rate", kind="lower_bound", threshold=99,
               unit="percent", name_zh="住院分娩率"),
    ])
    path = tmp_path / "catalogue.yaml"
    catalogue.to_file(path)
    return path


def test_validate_clean_file_exits_0_with_counts(capsys, catalogue_file):
    code = main(["validate", str(DATA / "observations_yearbook_wide.csv"), "--catalogue",
                 str(catalogue_file), "--unknown", "exclude"])
    out = capsys.readouterr().out
    assert code == 0
    assert "没有发现问题 / no problems" in out
    # 7 rows: title, header (not counted), 4 indicators, note; 2 indicators used
    assert "rows read 6, used 2, excluded 4" in out
    assert "excluded rows" in out and "note row" in out


def test_validate_problems_exit_1_with_full_table(capsys, tmp_path, catalogue_file):
    path = tmp_path / "bad.csv"
    rows = "".join(f"infant_mortality_rate,{2000 + i},abc{i}\n" for i in range(12))
    path.write_text("指标,年份,数值\n" + rows, encoding="gbk")
    code = main(["validate", str(path), "--catalogue", str(catalogue_file)])
    out = capsys.readouterr().out
    assert code == 1
    assert "发现 12 个问题 / 12 problems found" in out
    assert "abc11" in out  # every problem printed, not the first ten only
    assert "不是数字 / not a number" in out and "Traceback" not in out


def test_validate_without_catalogue(capsys, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text("indicator,year,value\nanything,2020,1\n", encoding="utf-8")
    assert main(["validate", str(path), "--no-catalogue"]) == 0
    assert "rows read 1, used 1, excluded 0" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["validate"], ["validate", "a", "--unknown", "maybe"],
                                  ["template", "out.xlsx"]])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2


def test_missing_and_binary_files_exit_2_naming_them(capsys, tmp_path):
    assert main(["validate", str(tmp_path / "nope.csv"), "--no-catalogue"]) == 2
    assert "nope.csv" in capsys.readouterr().err
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\x00\x01\x02\x03" * 20)
    assert main(["validate", str(binary), "--no-catalogue"]) == 2
    err = capsys.readouterr().err
    assert "b.csv" in err and "Traceback" not in err


def test_template_command_writes_a_workbook(capsys, tmp_path, catalogue_file):
    out = tmp_path / "t.xlsx"
    code = main(["template", "--years", "2021-2025", "--catalogue", str(catalogue_file),
                 "--plan", "children", str(out)])
    assert code == 0 and "template written" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    sheet = book["健康 health"]
    assert [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)] == [
        "infant_mortality_rate"]
    assert "2025年" in [c.value for c in sheet[1]]
    # read back without errors; unfilled, it holds no observation: that one problem only
    assert main(["validate", str(out), "--catalogue", str(catalogue_file)]) == 1
    assert capsys.readouterr().out.startswith("文件中没有观测数据")


def test_template_bad_years_exit_2(capsys, tmp_path, catalogue_file):
    code = main(["template", "--years", "soon", "--catalogue", str(catalogue_file),
                 str(tmp_path / "t.xlsx")])
    assert code == 2 and "--years" in capsys.readouterr().err


def test_validate_lists_years_after_the_plan(capsys, tmp_path, catalogue_file):
    """A mistyped year (2032 for 2023) is valid data but not this plan's: validate names it."""
    path = tmp_path / "obs.csv"
    path.write_text("indicator,geo,year,value,unit\n"
                    "infant_mortality_rate,河北区,2022,4.1,per_1000\n"
                    "infant_mortality_rate,河北区,2032,3.9,per_1000\n", encoding="utf-8")
    code = main(["validate", str(path), "--catalogue", str(catalogue_file)])
    out = capsys.readouterr().out
    assert code == 0
    assert "1 observation is after the catalogue's target year 2025" in out
    listed = out[out.index("check the years"):]
    assert "2032" in listed and "2022" not in listed


GEO_ROWS = ("指标代码,地区,年份,数值,分子,分母,单位,数据来源\n"
            "infant_mortality_rate,河北区,2019,3.5,,,‰,卫健委\n"
            "infant_mortality_rate,河北区,2020,3.4,,,‰,卫健委\n"
            "infant_mortality_rate,河北,2021,3.3,,,‰,卫健委\n"
            "infant_mortality_rate,河北区,2022,3.1,,,‰,卫健委\n"
            "hospital_delivery_rate,河北区/光复道街道,2021,99.6,,,%,卫健委\n"
            "hospital_delivery_rate,河北区/光复道街道,2022,99.5,,,%,卫健委\n"
            "hospital_delivery_rate,光复道街道,2023,99.7,,,%,卫健委\n")


def test_validate_lists_area_warnings_and_exits_0(capsys, tmp_path, catalogue_file):
    """A mistyped area or a street without its district is listed (not refused): exit 0."""
    path = tmp_path / "geo.csv"
    path.write_text(GEO_ROWS, encoding="utf-8")
    code = main(["validate", str(path), "--catalogue", str(catalogue_file)])
    captured = capsys.readouterr()
    assert code == 0
    assert "没有发现问题" not in captured.out
    assert "no errors, but 2 warnings to check" in captured.out
    lines = [line for line in captured.out.splitlines() if "geo.csv" in line and "地区" in line]
    assert len(lines) == 2
    assert " 4 " in lines[0] and "河北 " in lines[0] and "did you mean '河北区' (3 rows)?" in lines[0]
    assert " 8 " in lines[1] and "did you mean '河北区/光复道街道'?" in lines[1]
    # the table lists them: no note pointing at the library's .warnings
    assert "listed in ." not in captured.err + captured.out


def test_validate_lists_unit_conversions(capsys, tmp_path, catalogue_file):
    """3.2% among ‰ rows is converted to 32‰: the conversion is shown with both values."""
    path = tmp_path / "ok.csv"
    path.write_text("指标代码,地区,年份,数值,分子,分母,单位,数据来源\n"
                    "infant_mortality_rate,河北区,2016,3.4,,,‰,区卫健委\n"
                    "infant_mortality_rate,河北区,2017,3.2,,,%,区卫健委\n"
                    "infant_mortality_rate,河北区,2018,3.1,,,‰,区卫健委\n", encoding="utf-8")
    code = main(["validate", str(path), "--catalogue", str(catalogue_file)])
    out = capsys.readouterr().out
    assert code == 0 and "没有发现问题 / no problems" in out
    assert "unit conversions made" in out
    line = next(line for line in out.splitlines() if "percent -> per_1000" in line)
    assert " 3 " in line and "数值" in line and "3.2 -> 32" in line


def test_validate_file_without_observations_is_a_problem(capsys, tmp_path, catalogue_file):
    header_only = tmp_path / "header.csv"
    header_only.write_text("indicator,geo,year,value\n", encoding="utf-8")
    template = tmp_path / "template.xlsx"
    assert main(["template", "--years", "2021-2025", str(template), "--catalogue",
                 str(catalogue_file)]) == 0
    capsys.readouterr()
    for path in (header_only, template):
        code = main(["validate", str(path), "--catalogue", str(catalogue_file)])
        out = capsys.readouterr().out
        assert code == 1
        assert f"文件中没有观测数据（没有填写数值的行）/ no observations in {path}" in out
        assert "没有发现问题" not in out


def test_assess_refuses_a_file_without_observations(capsys, tmp_path, catalogue_file):
    header_only = tmp_path / "header.csv"
    header_only.write_text("indicator,geo,year,value\n", encoding="utf-8")
    code = main(["assess", str(header_only), "--catalogue", str(catalogue_file),
                 "--out", str(tmp_path / "reports")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"文件中没有观测数据（没有填写数值的行）/ no observations in {header_only}" in err
    assert "Traceback" not in err
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("name", ["a.csv", "a", "a.xls"])
def test_template_refuses_a_name_not_ending_in_xlsx(capsys, tmp_path, catalogue_file, name):
    out = tmp_path / name
    code = main(["template", "--years", "2021-2025", "--catalogue", str(catalogue_file),
                 str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "文件名须以 .xlsx 结尾" in err and f"must end in .xlsx; received {str(out)!r}" in err
    assert not out.exists()


def test_template_years_in_the_wrong_order(capsys, tmp_path, catalogue_file):
    code = main(["template", "--years", "2025-2021", "--catalogue", str(catalogue_file),
                 str(tmp_path / "t.xlsx")])
    err = capsys.readouterr().err
    assert code == 2
    assert "--years 的第一年 2025 晚于最后一年 2021" in err
    assert "--years: the first year 2025 is after the last, 2021" in err


@pytest.mark.parametrize(("command", "english"), [
    ("template", ["Excel file to write", "e.g. 2021-2025"]),
    ("validate", ["observations file (.csv, .xlsx)", "Exit 0: no problem"]),
])
def test_help_texts_are_chinese_first(capsys, command, english):
    import re

    assert main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for words in english:
        before = text[:text.index(words)]
        # a Chinese part comes just before the English one: "中文 / English"
        assert re.search(r"[\u4e00-\u9fff][^/]*/ [^\u4e00-\u9fff]*$", before), words


def test_validate_says_sheet_is_ignored_for_a_csv(capsys, catalogue_file):
    code = main(["validate", str(DATA / "observations_yearbook_wide.csv"), "--catalogue",
                 str(catalogue_file), "--unknown", "exclude", "--sheet", "健康"])
    captured = capsys.readouterr()
    assert code == 0
    assert "CSV 文件没有工作表，--sheet 健康 已忽略" in captured.err
    assert "--sheet 健康 is ignored" in captured.err


@pytest.mark.parametrize("name", ["data.csv", "data.xlsx"])
def test_validate_refuses_an_empty_sheet_as_the_library_does(capsys, tmp_path, name):
    """``--sheet ""`` is the library's error, exit 2, for a CSV too (whose sheet is ignored)."""
    import hbkit

    path = tmp_path / name
    frame = pd.DataFrame({"indicator": ["infant_mortality_rate"], "year": [2020], "value": [2.9]})
    if name.endswith(".csv"):
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False)
    with pytest.raises(hbkit.HbkitError) as info:
        hbkit.read_observations(path, sheet="")
    assert main(["validate", str(path), "--no-catalogue", "--sheet", ""]) == 2
    assert capsys.readouterr().err == f"hbkit: {info.value}\n"


def test_validate_problem_table_is_bilingual_aligned_and_caps_long_values(capsys, tmp_path,
                                                                        catalogue_file):
    pasted = "infant_mortality_rate 河北区 2023 2.9 12 4066 ‰ 区卫健委 " * 3
    path = tmp_path / "bad.csv"
    path.write_text("indicator,geo,year,value,unit\n"
                    f"infant_mortality_rate,河北区,2023,\"{pasted}\",‰\n", encoding="utf-8")
    code = main(["validate", str(path), "--catalogue", str(catalogue_file)])
    out = capsys.readouterr().out
    assert code == 1
    header, rule, *rows = out.splitlines()[1:]
    assert header.split() == ["文件", "File", "行号", "Row", "列", "Column", "收到的值", "Value",
                              "规则", "Rule"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert pasted.strip() not in out and "…" in rows[0]
    # the column after the row number starts where its header does (left-aligned)
    from hbkit.report.plain import text_width

    assert (text_width(rows[0][:rows[0].index("  value  ") + 2])
            == text_width(header[:header.index("列 Column")]))


def test_validate_warns_of_an_area_one_character_off(capsys, tmp_path):
    """河北去 beside 河北区 (the shipped catalogue's area) would double the report."""
    path = tmp_path / "typo.csv"
    path.write_text("指标,地区,年份,数值,单位\n婴儿死亡率,河北去,2022,3.2,‰\n"
                    "婴儿死亡率,河北区,2023,3.1,‰\n", encoding="utf-8")
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "没有发现问题" not in out and "1 warning to check" in out
    assert "河北去" in out and "did you mean '河北区'?" in out


def test_problem_table_keeps_a_two_line_header_on_one_line():
    """A report's headings are two lines (单位\\nUnit); the table rows must stay aligned."""
    import pandas as pd

    from hbkit.cli.validate import problem_table
    from hbkit.report.plain import text_width

    frame = pd.DataFrame({"file": ["r.xlsx [数据]"] * 2, "row": [42, 43],
                          "column": ["单位\nUnit"] * 2, "value": ["个\n/ count", "x"],
                          "rule": ["无法识别的单位 / unknown unit"] * 2})
    lines = problem_table(frame).splitlines()
    assert len(lines) == 4
    assert "单位 Unit" in lines[2] and "个 / count" in lines[2]
    assert len({text_width(line[:line.index("无法")]) for line in lines[2:]}) == 1


def test_validate_counts_a_template_s_blank_rows_in_one_line(capsys, tmp_path, catalogue_file):
    """A department fills one indicator of the template: the rows left blank are counted,
    not listed one by one (``--all`` lists them); the library keeps every row."""
    from hbkit import read_observations

    path = tmp_path / "t.xlsx"
    assert main(["template", "--years", "2021-2022", "--catalogue", str(catalogue_file),
                 str(path)]) == 0
    book = openpyxl.load_workbook(path)
    sheet = book["健康 health"]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    year = [c.value for c in sheet[1]].index("2021年") + 1
    sheet.cell(rows["infant_mortality_rate"], year).value = 3.1
    book.save(path)
    capsys.readouterr()
    assert main(["validate", str(path), "--catalogue", str(catalogue_file)]) == 0
    out = capsys.readouterr().out
    assert "各年份均未填写" not in out and "hospital_delivery_rate" not in out
    assert "1 个指标行未填写，已排除（加 --all 逐行列出）/ 1 indicator row left blank" in out
    assert "1 observation, 0 with a missing value" in out
    assert main(["validate", str(path), "--catalogue", str(catalogue_file), "--all"]) == 0
    out = capsys.readouterr().out
    assert "各年份均未填写 / no figure in any year" in out and "hospital_delivery_rate" in out
    assert "indicator row left blank" not in out
    excluded = read_observations(path, Catalogue.from_file(catalogue_file)).excluded
    assert (excluded["code"] == "wide-row-blank").sum() == 1


def test_one_problem_is_singular(capsys, tmp_path, catalogue_file):
    path = tmp_path / "bad.csv"
    path.write_text("指标,年份,数值\ninfant_mortality_rate,2020,abc\n", encoding="utf-8")
    assert main(["validate", str(path), "--catalogue", str(catalogue_file)]) == 1
    assert "发现 1 个问题 / 1 problem found in" in capsys.readouterr().out


def test_unknown_indicators_without_catalogue_say_the_shipped_one_was_used(
        capsys, tmp_path, catalogue_file):
    """Another district's 2026-2030 data checked without --catalogue: every own indicator is
    unknown to the shipped 十四五 catalogue. validate and assess say that catalogue was used
    and to add --catalogue; with --catalogue (the indicator truly unknown) they do not."""
    data = tmp_path / "河东区上报数据.csv"
    data.write_text("指标代码,地区,年份,数值\n"
                    "children_home_coverage,河东区,2026,98.5\n"
                    "children_home_coverage,河东区,2027,99.0\n", encoding="utf-8")
    hint = "本次没有给出 --catalogue，按随包目录（河北区妇女和儿童发展“十四五”规划）检查"
    # the hint is a note, on stderr: `hbkit validate data.csv > problems.txt` keeps the table
    assert main(["validate", str(data)]) == 1
    printed = capsys.readouterr()
    assert hint in printed.err and "--catalogue 目录文件" in printed.err and "2 rows" in printed.err
    assert "发现 2 个问题" in printed.out and "注意" not in printed.out
    assert main(["assess", str(data), "--out", str(tmp_path)]) == 1
    printed = capsys.readouterr()
    assert hint in printed.err and "发现 2 个问题" in printed.out and hint not in printed.out
    assert main(["validate", str(data), "--catalogue", str(catalogue_file)]) == 1
    assert "随包目录" not in capsys.readouterr().err
