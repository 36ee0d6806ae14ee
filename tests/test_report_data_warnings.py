"""Data warnings (数据提醒) reach the assessment and every report.

``read_observations`` warns about rows it uses as they are although they look
wrong beside the others (``Observations.warnings``: a percent typed as a
fraction, an area name one character off). The assessment keeps them
(``Assessment.data_warnings``), the rows whose data they touch say so in their
``reason``, and the HTML, Markdown, Excel and JSON reports list them; with no
warning, no section or sheet at all.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import hbkit
from hbkit.assessment.result import FRAME_COLUMNS
from hbkit.cli import main
from hbkit.report.changes import changes_sentence
from hbkit.report.data_warnings import (
    DATA_WARNING_COLUMNS,
    DATA_WARNINGS_SHEET,
    data_warnings_table,
    groups,
)

CATALOGUE = hbkit.Catalogue([
    hbkit.Target(id="C-imm", indicator="immunization_coverage", kind="lower_bound",
                 threshold=95, unit="percent", target_year=2025, domain="health",
                 name_zh="免疫接种率", name_en="Immunization coverage", each_unit="street"),
    hbkit.Target(id="C-imm-district", indicator="immunization_coverage", kind="lower_bound",
                 threshold=95, unit="percent", target_year=2025, domain="health",
                 name_zh="全区免疫接种率", name_en="District immunization coverage"),
    hbkit.Target(id="C-imr", indicator="infant_mortality_rate", kind="upper_bound",
                 threshold=5, unit="per_1000", target_year=2025, domain="health",
                 name_zh="婴儿死亡率", name_en="Infant mortality rate"),
], default_geo="河北区")
YEARS = range(2016, 2024)
HEADER = "指标代码,地区,年份,数值,单位\n"


def _rows(typo: int | None, after: bool = False) -> str:
    """A long CSV: the district and two streets; the year ``typo`` of one street is a fraction
    (0.97 in 2021)."""
    lines = []
    for geo, base in (("河北区", 96.0), ("河北区/光复道街道", 96.5), ("河北区/望海楼街道", 97.0)):
        for year in YEARS:
            value = base + 0.1 * (year - 2016)
            if geo == "河北区/光复道街道" and year == typo:
                value = value / 100
            lines.append(f"immunization_coverage,{geo},{year},{value:g},%")
    if after:
        lines += [f"immunization_coverage,河北区/望海楼街道,{year},{97.9 + year - 2024:g},%"
                  for year in (2024, 2025)]
        lines.append("immunization_coverage,河北区/望海楼街道,2026,0.979,%")
    lines += [f"infant_mortality_rate,河北区,{year},{4.6 - 0.1 * (year - 2016):.1f},‰"
              for year in YEARS]
    return HEADER + "\n".join(lines) + "\n"


def _write(folder: Path, typo: int | None = 2021, after: bool = False) -> Path:
    path = folder / "上报数据.csv"
    path.write_text(_rows(typo, after), encoding="utf-8")
    return path


def _read_sheet(path: Path) -> hbkit.Observations:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hbkit.read_observations(path, CATALOGUE, sheet="数据")


def _read(path: Path) -> hbkit.Observations:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hbkit.read_observations(path, CATALOGUE)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data_warnings")


@pytest.fixture(scope="module")
def flagged(folder: Path) -> hbkit.Assessment:
    return hbkit.assess(_read(_write(folder)), catalogue=CATALOGUE, as_of=2023, n_draws=200)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> hbkit.Assessment:
    path = _write(tmp_path_factory.mktemp("clean"), typo=None)
    return hbkit.assess(_read(path), catalogue=CATALOGUE, as_of=2023, n_draws=200)


def test_the_observations_warning_says_which_data_it_is_about(folder: Path) -> None:
    found = _read(_write(folder)).warnings
    assert found[["code", "indicator", "geo", "year"]].values.tolist() == [
        ["value-looks-fraction", "immunization_coverage", "河北区/光复道街道", 2021]]
    assert found.columns.tolist()[:6] == ["file", "row", "column", "value", "rule", "code"]


def test_an_area_warning_of_a_wide_row_has_no_year(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("指标代码,地区,单位,2021,2022\n"
                    "infant_mortality_rate,河北区,‰,3.1,3.0\n"
                    "infant_mortality_rate,河北去,‰,3.2,3.1\n", encoding="utf-8")
    found = _read(path).warnings
    assert found[["row", "code", "geo"]].values.tolist() == [[3, "geo-one-edit", "河北去"]]
    assert found["year"].isna().all()


def test_the_assessment_keeps_the_warnings_and_says_them_on_the_rows_they_touch(
        flagged: hbkit.Assessment, clean: hbkit.Assessment) -> None:
    assert flagged.data_warnings_frame()["code"].tolist() == ["value-looks-fraction"]
    assert clean.data_warnings_frame().empty
    frame = flagged.to_frame().set_index("target_id")
    # the street's data feed the street-by-street target of its district, not the district's
    # own series nor another indicator
    assert frame.loc["C-imm", "data_warnings"] == "value-looks-fraction"
    assert frame.loc["C-imm-district", "data_warnings"] == ""
    assert frame.loc["C-imr", "data_warnings"] == ""
    reason_zh = frame.loc["C-imm", "reason_zh"]
    assert reason_zh.startswith("数据提醒：所用数据中有1行需要核对（百分数像是填成了小数：河北区/光复道街道 2021年")
    assert "上报数据.csv 第" in reason_zh and "见“数据提醒”" in reason_zh
    assert frame.loc["C-imm", "reason_en"].startswith("data warning: 1 row of the data used")
    assert frame.loc["C-imm", "reason"] == f"{reason_zh} / {frame.loc['C-imm', 'reason_en']}"
    untouched = clean.to_frame().set_index("target_id")
    for column in ("reason", "reason_zh", "reason_en"):
        assert frame.loc["C-imr", column] == untouched.loc["C-imr", column] or (
            pd.isna(frame.loc["C-imr", column]) and pd.isna(untouched.loc["C-imr", column]))
    assert "data_warnings=1" in repr(flagged) and "data_warnings" not in repr(clean)


def test_to_frame_adds_the_column_after_the_ones_it_had(flagged: hbkit.Assessment) -> None:
    columns = flagged.to_frame().columns.tolist()
    assert columns[-1] == "data_warnings" == FRAME_COLUMNS[-1]
    assert columns[-2] == "achieved_annual_change"


def test_a_warning_after_the_assessment_year_is_listed_but_touches_no_row(
        tmp_path: Path) -> None:
    res = hbkit.assess(_read(_write(tmp_path, typo=None, after=True)), catalogue=CATALOGUE,
                       as_of=2023, n_draws=200)
    assert res.data_warnings_frame()["year"].tolist() == [2026]
    assert set(res.to_frame()["data_warnings"]) == {""}
    table = data_warnings_table(res)
    assert table["targets"].tolist() == [""]


@pytest.mark.parametrize("given", ["path", "frame"])
def test_a_file_or_frame_read_by_assess_keeps_its_warnings(folder: Path, given: str) -> None:
    path = _write(folder)
    source = path if given == "path" else pd.read_csv(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = hbkit.assess(source, catalogue=CATALOGUE, as_of=2023, n_draws=200)
    assert res.data_warnings_frame()["code"].tolist() == ["value-looks-fraction"]
    assert res.to_frame().set_index("target_id").loc["C-imm", "data_warnings"] != ""


def test_html_report_has_a_short_section_and_the_card_says_it(
        flagged: hbkit.Assessment, tmp_path: Path) -> None:
    page = flagged.to_html(tmp_path / "r.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="data-warnings">'):]
    section = section[:section.index("</section>")]
    assert "数据提醒（1）" in section and "照原样使用" in section
    # a catalogue built in Python: no file to name, and the hint says so
    assert "上报数据.csv --catalogue 目录文件 逐行列出；本次评估的目标目录是在 Python 中建立的，不知其" \
        "文件路径，请先用 Catalogue.to_file(&quot;目录文件.yaml&quot;) 写成文件" in section
    assert "百分数像是填成了小数（同一序列其他年份均大于1）（1行）" in section
    # the suggestion in the report's language
    assert "（河北区/光复道街道），数值：0.97（0.97%，是否应为 97？）；涉及目标：C-imm" in section
    assert '<a href="#data-warnings">' in page  # the header's line and the contents
    # before the warning list, after the overview
    assert page.index('id="overview"') < page.index('id="data-warnings"') < page.index(
        'id="warnings"')
    assert '<p class="reason">数据提醒：所用数据中有1行需要核对' in page
    english = flagged.to_html(tmp_path / "r.en.html", lang="en").read_text(encoding="utf-8")
    assert "Data warnings (1)" in english and "used it as it is" in english
    assert "A percent that looks like a fraction" in english
    assert "(河北区/光复道街道), 数值: 0.97 (0.97 percent; did you mean 97?); targets touched: " \
        "C-imm" in english and "是否应为" not in english
    assert '<p class="reason">data warning: 1 row of the data used needs checking' in english


def test_markdown_report_has_the_section(flagged: hbkit.Assessment) -> None:
    text = flagged.to_markdown()
    assert "## 数据提醒（1）" in text and "- **百分数像是填成了小数" in text
    assert text.index("## 数据提醒") < text.index("## 预警清单")
    assert "## Data warnings (1)" in flagged.to_markdown(lang="en")


def test_excel_report_has_a_sheet_of_the_warnings(flagged: hbkit.Assessment,
                                                  tmp_path: Path) -> None:
    path = flagged.to_excel(tmp_path / "r.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    names = list(sheets)
    assert names.index(DATA_WARNINGS_SHEET) == names.index("预警清单") + 1
    sheet = sheets[DATA_WARNINGS_SHEET]
    assert [c.split("\n")[0] for c in sheet.columns] == [
        "文件", "行号", "列", "收到的值", "规则", "指标编号", "地区", "年份", "涉及目标", "规则代码"]
    row = sheet.iloc[0].tolist()
    assert str(row[0]).endswith("上报数据.csv") and row[3] == 0.97 and row[7] == 2021
    assert row[8] == "C-imm" and row[9] == "value-looks-fraction"
    assert row[2] == "数值" and row[4].endswith(": 0.97%，是否应为 97？ / 0.97 percent; did you mean 97?")
    targets = sheets["全部目标"]
    codes = targets[[c for c in targets.columns if c.startswith("数据提醒代码")][0]]
    assert codes.fillna("").tolist().count("value-looks-fraction") == 1
    reasons = targets[[c for c in targets.columns if c.split("\n")[0] == "说明"][0]]
    assert reasons.fillna("").str.startswith("数据提醒：").sum() == 1
    # the 数据 sheet flags the value itself, and still reads back with hbkit
    data = sheets["数据"]
    flags = data["数据提醒\nData warning"].fillna("")
    flagged_rows = data[flags != ""]
    assert flagged_rows[["地区\nArea", "年份\nYear", "数值\nValue"]].values.tolist() == [
        ["河北区/光复道街道", 2021, 0.97]]
    assert flags[flags != ""].tolist() == ["百分数像是填成了小数 / a percent that looks like a fraction"]
    back = _read_sheet(path)
    assert len(back.frame) == len(data) and back.excluded.empty


def test_json_lists_the_warnings_with_the_targets_touched(flagged: hbkit.Assessment) -> None:
    data = json.loads(flagged.to_json())
    assert [list(w) for w in data["data_warnings"]] == [list(DATA_WARNING_COLUMNS)]
    warning = data["data_warnings"][0]
    assert (warning["year"], warning["targets"], warning["geo"]) == (
        2021, "C-imm", "河北区/光复道街道")
    assert type(warning["row"]) is int
    assert {t["target_id"]: t["data_warnings"] for t in data["targets"]}["C-imm"] == \
        "value-looks-fraction"


def test_no_warning_no_section_no_sheet(clean: hbkit.Assessment, tmp_path: Path) -> None:
    page = clean.to_html(tmp_path / "c.html").read_text(encoding="utf-8")
    assert "data-warnings" not in page and "数据提醒" not in page
    assert "数据提醒" not in clean.to_markdown()
    with pd.ExcelFile(clean.to_excel(tmp_path / "c.xlsx")) as book:
        assert DATA_WARNINGS_SHEET not in book.sheet_names
    assert json.loads(clean.to_json())["data_warnings"] == []


def test_changes_since_says_which_moves_rest_on_data_to_check(
        flagged: hbkit.Assessment, clean: hbkit.Assessment) -> None:
    changes = flagged.changes_since(clean).set_index("target_id")
    assert changes.columns[-2:].tolist() == ["data_warnings_before", "data_warnings_now"]
    assert changes.loc["C-imm", "data_warnings_now"] == "value-looks-fraction"
    assert changes.loc["C-imm", "data_warnings_before"] == ""
    assert flagged.changes_since(clean, lang="zh").set_index("target_id").loc[
        "C-imm", "data_warnings_now"] == "百分数像是填成了小数"
    assert changes.loc["C-imm", "change"] == "same"  # the 2021 typo does not move it
    assert "数据提醒" not in changes_sentence(flagged, clean)


def test_a_status_moved_by_a_typo_is_said_in_the_changes(
        clean: hbkit.Assessment, tmp_path: Path) -> None:
    """A fraction in the latest year (0.97 for 97) drags the street-by-street target down:
    the 与上年相比 sentence says the move rests on data to check."""
    typo = hbkit.assess(_read(_write(tmp_path, typo=2023)), catalogue=CATALOGUE, as_of=2023,
                        n_draws=200)
    assert typo.changes_since(clean).set_index("target_id").loc["C-imm", "change"] == "worse"
    assert "状态变化的目标中有1项所用的数据有数据提醒" in changes_sentence(typo, clean)
    assert "Of the targets that changed, 1 rest on data with data warnings" in changes_sentence(
        typo, clean, "en")


def test_a_final_evaluation_says_it_too(folder: Path, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no data after 2023: said, and judged as it is
        res = hbkit.assess(_read(_write(folder)), catalogue=CATALOGUE, as_of=2025, n_draws=200)
    assert res.final
    assert res.to_frame().set_index("target_id").loc["C-imm", "data_warnings"] != ""
    page = res.to_html(tmp_path / "f.html").read_text(encoding="utf-8")
    assert 'id="data-warnings"' in page


def test_cli_assess_note_and_reports_agree(folder: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    data = _write(folder)
    out = tmp_path / "out"
    assert main(["assess", str(data), "--out", str(out), "--as-of", "2023", "--json",
                 "--compare-with", "2022"]) == 0
    err = capsys.readouterr().err
    assert "1 行需要核对" in err and "报告的“数据提醒”也列出" in err
    assert "and so do the reports under Data warnings" in err
    page = (out / "monitoring-report-2023.html").read_text(encoding="utf-8")
    assert "数据提醒（1）" in page
    with pd.ExcelFile(out / "monitoring-report-2023.xlsx") as book:  # closed: no stray warning
        assert DATA_WARNINGS_SHEET in book.sheet_names
    data_json = json.loads((out / "monitoring-report-2023.json").read_text(encoding="utf-8"))
    assert len(data_json["data_warnings"]) == 1
    assert "data_warnings_now" in data_json["changes"][0]


def test_every_data_warning_code_has_a_short_label() -> None:
    """The caveat on a target row names each data warning by a short label; the codes
    ``Observations.warnings`` can hold are the rules whose consequence is ``warning`` (the
    reader files entries by it), and the cross-row checks that add to ``.warnings``
    directly (``across.py``, ``outliers.py``) emit only such codes."""
    import ast
    import re

    import hbkit.observations.across as across
    import hbkit.observations.outliers as outliers
    from hbkit.assessment.data_warnings import SHORT_RULES
    from hbkit.observations.rules import RULES

    codes = {code for code, (kind, _, _) in RULES.items() if kind == "warning"}
    emitted = {node.value for module in (across, outliers)
               for node in ast.walk(ast.parse(Path(str(module.__file__)).read_text("utf-8")))
               if isinstance(node, ast.Constant) and node.value in RULES}
    assert emitted and emitted <= codes
    assert set(SHORT_RULES) == codes
    for zh, en in SHORT_RULES.values():
        assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en)
        assert len(zh) < 15 and en == en.lower()


def test_a_sibling_typo_is_named_by_its_short_label_on_the_rows_it_touches(
        tmp_path: Path) -> None:
    """光复到街道 for 光复道街道 in 2023 touches the street-by-street target of 河北区; its
    reason says so in a few words, not in the rule's whole text."""
    lines = [f"immunization_coverage,{geo},{year},{base + 0.1 * (year - 2016):g},%"
             for geo, base in (("河北区", 96.0), ("河北区/望海楼街道", 97.0))
             for year in YEARS]
    lines += [f"immunization_coverage,河北区/光复{'到' if year == 2023 else '道'}街道,{year},"
              f"{96.5 + 0.1 * (year - 2016):g},%" for year in YEARS]
    path = tmp_path / "上报数据.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    obs = _read(path)
    assert obs.warnings["code"].tolist() == ["geo-one-edit-sibling"]
    res = hbkit.assess(obs, catalogue=CATALOGUE, as_of=2023, n_draws=200)
    row = res.to_frame().set_index("target_id").loc["C-imm"]
    # the report's line gives the suggestion in its language, not the rule's end
    [(_, [line])] = groups(res, "en")
    assert "河北区/光复到街道 (did you mean '河北区/光复道街道' (7 observations, 2016-2022, " in line
    assert line.endswith("上报数据.csv)); targets touched: C-imm")
    assert "possibly a typo" not in line and "是否应为" not in line
    [(_, [line])] = groups(res, "zh")
    assert "地区：河北区/光复到街道（是否应为 '河北区/光复道街道'（7 条观测，2016—2022年，" in line
    assert "possibly a typo" not in line and "did you mean" not in line
    assert row["data_warnings"] == "geo-one-edit-sibling"
    assert "（下级单位名称疑似输入错误：河北区/光复到街道 2023年，上报数据.csv 第" in row["reason_zh"]
    assert "(a sub-unit name possibly mistyped: 河北区/光复到街道 2023, 上报数据.csv row " in \
        row["reason_en"]
    assert "只差一个字" not in row["reason_zh"] and "one character away" not in row["reason_en"]


OWN = hbkit.Catalogue([
    hbkit.Target(id="X-screen", indicator="street_screening_coverage", kind="lower_bound",
                 threshold=95, unit="percent", target_year=2025, domain="health",
                 name_zh="街道筛查覆盖率", name_en="Street screening coverage",
                 each_unit="street")], default_geo="河北区")


def _own_data(folder: Path) -> Path:
    """The district and two streets of an indicator only ``OWN`` knows, one 2021 value of
    光复道街道 typed as a fraction (0.97)."""
    path = folder / "上报数据.csv"
    path.write_text(_rows(2021).replace("immunization_coverage", "street_screening_coverage")
                    .split("infant_mortality_rate")[0].rstrip() + "\n", encoding="utf-8")
    return path


def _command(assessment: hbkit.Assessment) -> list[str]:
    """The ``hbkit validate`` command the English section suggests, as arguments."""
    import re
    import shlex

    from hbkit.report.data_warnings import intro

    found = re.search(r"\((hbkit validate .+?) lists the rows", intro(assessment, "en"))
    assert found, intro(assessment, "en")
    return shlex.split(found.group(1))


def test_the_validate_hint_names_the_catalogue_file_the_assessment_used(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without ``--catalogue``, ``hbkit validate`` checks against the shipped catalogue, which
    does not know the user's indicator: every row an error. The reports' command names the
    file the catalogue was read from, and that command lists the row the report lists."""
    data = _own_data(tmp_path)
    catalogue_file = OWN.to_file(tmp_path / "我的 目录.yaml")
    catalogue = hbkit.Catalogue.from_file(catalogue_file)
    assert catalogue.path == str(catalogue_file)
    res = hbkit.assess(_read_with(data, catalogue), catalogue=catalogue, as_of=2023, n_draws=200)
    assert res.data_warnings_frame()["code"].tolist() == ["value-looks-fraction"]
    command = _command(res)
    assert command == ["hbkit", "validate", str(data), "--catalogue", str(catalogue_file)]
    capsys.readouterr()
    assert main(command[1:]) == 0
    out = capsys.readouterr().out
    assert "1 warning to check" in out and "0.97 percent; did you mean 97?" in out
    assert main(command[1:3]) == 1  # the shipped catalogue: the indicator is unknown
    assert "indicator not in the catalogue" in capsys.readouterr().out
    # every report says the same command
    quoted = f"{data} --catalogue '{catalogue_file}'"
    page = res.to_html(tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"（hbkit validate {quoted.replace(chr(39), '&#x27;')} 逐行列出）" in page
    assert f"(hbkit validate {quoted} lists the rows)" in res.to_markdown(lang="en")
    assert "Python" not in res.to_markdown()
    import openpyxl

    book = openpyxl.load_workbook(res.to_excel(tmp_path / "r.xlsx"))
    note = book[DATA_WARNINGS_SHEET]["A1"].comment.text
    assert f"（hbkit validate {quoted} 逐行列出）" in note
    assert f"(hbkit validate {quoted} lists the rows)" in note
    # the same catalogue one plan of it, or pickled, keeps its file
    import pickle

    assert catalogue.filter(plan="children").path == catalogue.path
    assert pickle.loads(pickle.dumps(catalogue)).path == catalogue.path
    assert catalogue == OWN and OWN.path is None  # the file is no part of equality
    # hbkit assess --catalogue FILE: the reports name the file given
    assert main(["assess", str(data), "--catalogue", str(catalogue_file), "--as-of", "2023",
                 "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "monitoring-report-2023.html").read_text(encoding="utf-8")
    assert f"（hbkit validate {quoted.replace(chr(39), '&#x27;')} 逐行列出）" in page


def test_the_validate_hint_of_a_catalogue_built_in_python_says_it_has_no_file(
        tmp_path: Path) -> None:
    data = _own_data(tmp_path)
    res = hbkit.assess(_read_with(data, OWN), catalogue=OWN, as_of=2023, n_draws=200)
    assert _command(res) == ["hbkit", "validate", str(data), "--catalogue", "FILE"]
    en = res.to_markdown(lang="en")
    assert ("--catalogue FILE lists the rows; the catalogue of this assessment was built in "
            'Python, so no file of it is known: write one first with Catalogue.to_file("FILE.yaml")'
            "), correct it" in en)
    assert "本次评估的目标目录是在 Python 中建立的，不知其文件路径" in res.to_markdown()


def test_the_validate_hint_of_the_shipped_catalogue_needs_no_option(tmp_path: Path) -> None:
    """The shipped catalogue is validate's default: no ``--catalogue`` (also for one plan of
    it, or its targets rebuilt from a frame); its targets in another district are not."""
    from hbkit.report.data_warnings import catalogue_option

    shipped = hbkit.load_catalogue()
    assert catalogue_option(shipped) == ""
    assert catalogue_option(shipped.filter(plan="women", domain="health")) == ""
    assert catalogue_option(hbkit.Catalogue.from_frame(shipped.to_frame())) == ""
    assert catalogue_option(hbkit.Catalogue(shipped, default_geo="和平区")) is None
    moved = hbkit.Catalogue.from_file(
        hbkit.Catalogue(shipped, default_geo="和平区").to_file(tmp_path / "和平区.yaml"))
    assert catalogue_option(moved) == f"--catalogue {tmp_path / '和平区.yaml'}"
    data = _write(tmp_path)
    shipped_res = hbkit.assess(_read_with(data, shipped), catalogue=shipped.filter(
        plan="children", domain="health"), as_of=2023, n_draws=200)
    assert _command(shipped_res) == ["hbkit", "validate", str(data)]


def _read_with(path: Path, catalogue: hbkit.Catalogue) -> hbkit.Observations:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hbkit.read_observations(path, catalogue)


def test_the_reports_list_the_targets_the_assessment_found_touched(
        flagged: hbkit.Assessment, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The assessment keeps which rows each data warning touches (the rows whose reasons carry
    the caveat); the reports read them instead of working them out again."""
    from hbkit.assessment.data_warnings import touched_rows

    pairs = flagged.data_warning_rows
    again = touched_rows(flagged.to_frame(), flagged.data_warnings_frame(), flagged.catalogue,
                         flagged.as_of)
    pd.testing.assert_frame_equal(pairs, again)
    frame = flagged.to_frame()
    assert pairs.values.tolist() == [[0, int(frame.index[frame["target_id"] == "C-imm"][0])]]
    assert sorted(frame.index[frame["data_warnings"] != ""]) == sorted(pairs["row"])

    def recomputed(*args: object) -> None:
        raise AssertionError("the report worked the touched rows out again")

    monkeypatch.setattr("hbkit.report.data_warnings.touched_rows", recomputed)
    assert data_warnings_table(flagged)["targets"].tolist() == ["C-imm"]
    flagged.to_excel(tmp_path / "r.xlsx")
    assert "涉及目标：C-imm" in flagged.to_markdown()


def test_an_assessment_pickled_before_it_kept_the_touched_rows_still_reports(
        flagged: hbkit.Assessment) -> None:
    import pickle

    old = pickle.loads(pickle.dumps(flagged))
    del old.__dict__["data_warning_rows"]
    assert data_warnings_table(old)["targets"].tolist() == ["C-imm"]
