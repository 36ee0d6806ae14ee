"""``hbkit assess`` and ``python -m hbkit.demo``: files written, status table, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from test_report_cases import small_inputs

from hbkit.cli import main
from hbkit.cli.assess import status_table
from hbkit.report.plain import text_width


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small observations CSV and its catalogue (YAML) from the simulated district."""
    folder = tmp_path_factory.mktemp("cli")
    observations, catalogue = small_inputs()
    csv = folder / "obs.csv"
    observations.to_csv(csv, index=False)
    yaml = folder / "targets.yaml"
    catalogue.to_file(yaml)
    return csv, yaml


def test_assess_writes_reports_and_prints_the_status_table(data_file, tmp_path, capsys) -> None:
    csv, yaml = data_file
    code = main(["assess", str(csv), "--catalogue", str(yaml), "--as-of", "2022",
                 "--out", str(tmp_path / "out"), "--seed", "1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    html = tmp_path / "out" / "monitoring-report-2022.html"
    xlsx = tmp_path / "out" / "monitoring-report-2022.xlsx"
    assert html.is_file() and xlsx.is_file()
    assert not xlsx.with_suffix(".json").exists()  # JSON only with --json
    assert str(html) in captured.out and str(xlsx) in captured.out
    assert "Traceback" not in captured.err
    assert "W-health-maternal-mortality" in captured.out
    assert "状态" in captured.out and "实现概率" in captured.out
    assert len(pd.read_excel(xlsx, sheet_name="全部目标")) == 6


def test_status_table_columns_line_up_with_chinese(data_file) -> None:
    import hbkit

    observations, catalogue = small_inputs()
    result = hbkit.assess(observations, catalogue=catalogue, as_of=2023, n_draws=200)
    table = status_table(result).splitlines()
    header, rule, *rows = table
    widths = [len(part) for part in rule.split("  ")]
    starts = [sum(widths[:i]) + 2 * i for i in range(len(widths))]

    def column_at(line: str, start: int) -> str:
        """Text of ``line`` from display column ``start``."""
        used = 0
        for index, ch in enumerate(line):
            if used >= start:
                return line[index:]
            used += text_width(ch)
        return ""

    for line in [header, *rows[:4]]:
        for start in starts[1:]:
            before = column_at(line, start - 2)
            assert before[:2] == "  " or before == "", (line, start)
    assert any("定性目标" in line for line in table[-2:])


def test_english_report_name(data_file, tmp_path, capsys) -> None:
    csv, yaml = data_file
    assert main(["assess", str(csv), "--catalogue", str(yaml), "--lang", "en",
                 "--out", str(tmp_path)]) == 0
    assert (tmp_path / "monitoring-report-2023.en.html").is_file()
    assert "Probability" in capsys.readouterr().out


def test_data_problems_exit_1_with_a_table(data_file, tmp_path, capsys) -> None:
    csv, yaml = data_file
    frame = pd.read_csv(csv, dtype={"year": object, "value": object})
    frame.loc[2, "year"] = "20x1"
    frame.loc[5, "value"] = "abc"
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    code = main(["assess", str(bad), "--catalogue", str(yaml), "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.out + captured.err
    assert "20x1" in captured.out and "abc" in captured.out
    assert "bad.csv" in captured.out
    assert f"发现 2 个问题 / data validation failed: 2 problems in {bad}" in captured.out
    assert not (tmp_path / "o").exists()
    frame.loc[2, "year"] = "2021"  # one problem left: the English says so in the singular
    frame.to_csv(bad, index=False)
    assert main(["assess", str(bad), "--catalogue", str(yaml), "--out", str(tmp_path / "o")]) == 1
    assert f"发现 1 个问题 / data validation failed: 1 problem in {bad}" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["assess"],
    ["assess", "missing-file.csv"],
    ["assess", "x.csv", "--lang", "fr"],
    ["assess", "x.csv", "--as-of", "latest"],
    ["assess", "example:no_such_example"],
])
def test_usage_errors_exit_2_without_traceback(argv, capsys) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


def test_progress_goes_to_stderr_when_asked(data_file, tmp_path, capsys) -> None:
    csv, yaml = data_file
    assert main(["assess", str(csv), "--catalogue", str(yaml), "--out", str(tmp_path),
                 "--progress"]) == 0
    captured = capsys.readouterr()
    assert "评估中" in captured.err and "评估中" not in captured.out
    assert main(["assess", str(csv), "--catalogue", str(yaml), "--out", str(tmp_path)]) == 0
    assert "评估中" not in capsys.readouterr().err  # stderr is not a terminal here


def test_example_with_a_smaller_catalogue_judges_only_its_targets(tmp_path, capsys) -> None:
    import hbkit

    small = hbkit.load_catalogue().filter(plan="children", domain="safety")
    path = tmp_path / "safety.yaml"
    small.to_file(path)
    code = main(["assess", "example:hebei_example", "--catalogue", str(path), "--as-of", "2023",
                 "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "C-safety-injury-mortality" in out
    assert "C-health-infant-mortality" not in out


def test_an_example_without_a_catalogue_needs_one(tmp_path, capsys) -> None:
    """dtp3 has no targets: against the shipped plans every row was left out silently and
    every target read 无数据; it now asks for --catalogue, as hbkit.assess asks for one."""
    assert main(["assess", "example:dtp3", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "示例 'dtp3' 没有目标目录，请用 --catalogue 给出要评估的目标" in err
    assert "Traceback" not in err and not (tmp_path / "o").exists()


def test_an_example_says_which_rows_its_catalogue_does_not_judge(tmp_path, capsys) -> None:
    from hbkit.datasets import load_example

    example = load_example("china")
    code = main(["assess", "example:china", "--out", str(tmp_path), "--lang", "zh"])
    assert code == 0
    known = {t.indicator for t in example.catalogue} | {
        t.reference_indicator for t in example.catalogue}
    left_out = int((~example.observations["indicator"].isin(known)).sum())
    assert left_out > 0
    err = capsys.readouterr().err
    assert f"注意 / note: 示例 'china' 中{left_out}行的指标不在目标目录中，未使用" in err


def test_demo_runs_the_full_assessment(tmp_path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, "-m", "hbkit.demo"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    reports = tmp_path / "reports"
    assert (reports / "monitoring-report-2023.html").is_file()
    assert (reports / "monitoring-report-2023.xlsx").is_file()
    assert "模拟数据" in result.stdout
    assert "C-health-infant-mortality" in result.stdout
    assert str(reports.resolve()) in result.stdout
    page = (reports / "monitoring-report-2023.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") > 50
    assert 'class="banner"' in page
    # the English twin of the same assessment, written alongside the Chinese report
    english = (reports / "monitoring-report-2023.en.html").read_text(encoding="utf-8")
    assert 'lang="en"' in english and 'lang="zh' in page
    assert "monitoring-report-2023.en.html" in result.stdout


def test_as_of_after_the_data_warns_and_names_the_files_as_the_title(data_file, tmp_path,
                                                                    capsys) -> None:
    csv, yaml = data_file  # data 2016-2023, plan target year 2025
    code = main(["assess", str(csv), "--catalogue", str(yaml), "--as-of", "2099",
                 "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "监测年份（--as-of）2099年晚于数据的最后年份2023年" in captured.err
    assert "--as-of 2099 is after the last year with data, 2023" in captured.err
    assert (tmp_path / "out" / "final-evaluation-2025.html").is_file()
    assert not list((tmp_path / "out").glob("*2099*"))
    html = (tmp_path / "out" / "final-evaluation-2025.html").read_text(encoding="utf-8")
    assert "（2021—2025年）终期评估报告" in html


@pytest.mark.parametrize(("argv", "expected"), [
    (["--as-of", "1990"], ["监测年份（--as-of）1990年早于数据的所有年份（2016—2023）",
                           "/ --as-of 1990 is before every year of the data (2016-2023)"]),
    (["--compare-with", "1990"], ["比较年份（--compare-with）1990年早于数据的所有年份",
                                  "/ --compare-with 1990 is before every year"]),
    (["--as-of", "2022", "--compare-with", "2030"],
     ["比较年份（--compare-with）2030 须早于监测年份 2022",
      "/ --compare-with 2030 must be before the assessment year 2022"]),
])
def test_year_errors_are_chinese_first_and_name_the_option(data_file, tmp_path, capsys, argv,
                                                           expected) -> None:
    csv, yaml = data_file
    code = main(["assess", str(csv), "--catalogue", str(yaml), "--out", str(tmp_path / "o"),
                 *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert "as_of" not in err and "Traceback" not in err
    assert err.index(expected[0]) < err.index(expected[1])


def test_note_on_rows_after_the_plan_names_the_option(data_file, tmp_path, capsys) -> None:
    csv, yaml = data_file
    frame = pd.read_csv(csv)
    late = frame[frame["year"] == 2023].assign(year=2032)
    path = tmp_path / "late.csv"
    pd.concat([frame, late]).to_csv(path, index=False)
    code = main(["assess", str(path), "--catalogue", str(yaml), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "请给出 --as-of" in err and "give --as-of" in err and "as_of" not in err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_table_never_cuts_ids_statuses_or_warnings(lang) -> None:
    import hbkit
    from hbkit.report import tables

    observations, catalogue = small_inputs()
    long_id = "C-environment-out-of-school-venue-use-of-every-street"
    targets = list(catalogue)
    catalogue = hbkit.Catalogue([t.model_copy(update={"id": long_id})
                                 if i == 0 else t for i, t in enumerate(targets)])
    result = hbkit.assess(observations, catalogue=catalogue, as_of=2023, n_draws=200)
    table = status_table(result, lang)
    assert long_id in table
    shown = tables.display_targets(tables.targets_table(result, lang), lang, (80, 95),
                                   names=tables.area_names(result))
    for column in ("status_text", "warnings"):
        for cell in shown[column].dropna().astype(str):
            assert cell in table
    assert all(len(str(name)) <= 28 or "…" in table for name in shown["name"])


def test_an_unwritable_out_folder_is_refused_before_the_assessment(data_file, tmp_path,
                                                                   capsys) -> None:
    csv, yaml = data_file
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("x", encoding="utf-8")
    code = main(["assess", str(csv), "--catalogue", str(yaml), "--progress",
                 "--out", str(a_file / "r")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"无法写入报告输出目录 --out {a_file / 'r'}：{a_file} 不是文件夹" in err
    assert f"{a_file} is not a folder" in err
    assert "Errno" not in err and "Traceback" not in err
    assert "评估中" not in err  # refused before the assessment


def test_a_compare_year_before_the_data_is_refused_before_assessing(data_file, tmp_path, capsys,
                                                                   monkeypatch) -> None:
    import hbkit

    def no_assessment(*args, **kwargs):  # the check must come before the long run
        raise AssertionError("assessed before checking --compare-with")

    monkeypatch.setattr(hbkit, "assess", no_assessment)
    csv, yaml = data_file
    code = main(["assess", str(csv), "--catalogue", str(yaml), "--out", str(tmp_path / "o"),
                 "--compare-with", "1990"])
    assert code == 2
    assert "比较年份（--compare-with）1990年早于数据的所有年份" in capsys.readouterr().err


@pytest.mark.parametrize("written", ["2023", "2023年", "２０２３", "２０２３年"])
def test_years_are_read_as_the_data_reader_reads_them(written) -> None:
    from hbkit.cli import build_parser

    args = build_parser().parse_args(["assess", "x.csv", "--as-of", written,
                                      "--compare-with", "２０２２年"])
    assert (args.as_of, args.compare_with) == (2023, 2022)


@pytest.mark.parametrize(("argv", "expected"), [
    (["assess", "x.csv", "--as-of", "2023x"],
     "--as-of 须为年份，如 2023 或 2023年；收到 '2023x' / --as-of takes a year"),
    (["assess", "x.csv", "--compare-with", "last"],
     "--compare-with 须为年份，如 2023 或 2023年；收到 'last' / --compare-with takes a year"),
    (["catalogue", "--plan", "child"],
     "--plan 的取值须为 'women', 'children' 之一；收到 'child' / --plan takes one of "),
    (["assess", "x.csv", "--seed", "x"], "--seed 须为整数；收到 'x' / --seed takes a whole number"),
    (["assess", "x.csv", "--plan", "child"],
     "无法识别的参数 / unrecognized arguments: --plan child"),
    # Chinese values, what these users type, are named like any other
    (["catalogue", "--plan", "妇女"],
     "--plan 的取值须为 'women', 'children' 之一；收到 '妇女' / --plan takes one of "),
    (["assess", "x.csv", "--seed", "五"], "--seed 须为整数；收到 '五' / --seed takes a whole"),
    (["评估"], "COMMAND 的取值须为 'assess', "),
    (["assess", "x.csv", "--as-of", "1900"],
     "--as-of 须为 1949—2100 之间的年份；收到 '1900' / --as-of takes a year in 1949-2100"),
])
def test_usage_errors_are_chinese_first_naming_option_and_value(argv, expected, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "错误 / error: " + expected in err and "Traceback" not in err


def test_a_note_on_rows_to_check_names_the_command_that_lists_them(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """``.warnings`` is an attribute a command-line user cannot see: the note names
    ``hbkit validate FILE`` instead."""
    data = tmp_path / "上报.csv"
    data.write_text("指标,地区,年份,数值,单位\n婴儿死亡率,河北去,2022,3.2,‰\n"
                    "婴儿死亡率,河北区,2023,3.1,‰\n", encoding="utf-8")
    assert main(["assess", str(data), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert f"hbkit validate {data} lists them" in err and f"hbkit validate {data} 逐行列出" in err
    assert "listed in .warnings" not in err


def test_a_missing_data_file_is_a_file_error_with_its_code_and_exit_2(tmp_path, capsys) -> None:
    from hbkit.cli.assess import load_inputs
    from hbkit.exceptions import FileError

    missing = str(tmp_path / "nope.csv")
    with pytest.raises(FileError) as info:
        load_inputs(missing, None)
    assert (info.value.code, info.value.file) == ("file-missing", missing)
    with pytest.raises(FileError) as info:
        load_inputs(str(tmp_path), None)
    assert info.value.code == "file-unreadable"
    assert main(["assess", missing, "--as-of", "2023", "--out", str(tmp_path / "r")]) == 2
    assert "data file not found" in capsys.readouterr().err


def test_help_states_the_default_as_of_the_assessment_applies(tmp_path, capsys) -> None:
    """``--as-of``'s default is the latest year with data, but not after the catalogue's last
    target year (a 2027 row of a 2021-2025 plan is left out): the help says so, and it is so."""
    assert main(["assess", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "不晚于目录的目标年份" in text and "not after the catalogue's last target year" in text
    rows = pd.DataFrame({"indicator": "infant_mortality_rate", "geo": "河北区",
                         "year": range(2018, 2028), "value": 5.0, "unit": "‰"})
    rows.to_csv(tmp_path / "data.csv", index=False)
    assert main(["assess", str(tmp_path / "data.csv"), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "final-evaluation-2025.xlsx").is_file()
