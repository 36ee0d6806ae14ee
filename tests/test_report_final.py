"""The final evaluation report (终期评估报告): the assessment year reaches the plans' target year."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from test_report_cases import small_assessment, small_final_assessment, small_inputs

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
    assert "<title>河北区妇女儿童发展规划终期评估报告（2025年）</title>" in zh
    assert "<h1>河北区妇女儿童发展规划终期评估报告（2025年）</h1>" in zh
    assert "年度监测报告" not in zh
    assert "final evaluation report 2025</h1>" in en and "monitoring report" not in en
    assert to_markdown(final).startswith("# 河北区妇女儿童发展规划终期评估报告（2025年）\n")


def test_annual_report_keeps_its_title(annual) -> None:
    assert not annual.final
    assert to_markdown(annual).startswith("# 河北区妇女儿童发展规划2023年度监测报告\n")


def test_workbook_title_property_names_the_report(final, annual, tmp_path) -> None:
    titles = {}
    for name, result in (("final", final), ("annual", annual)):
        path = write_excel(result, tmp_path / f"{name}.xlsx")
        titles[name] = load_workbook(path).properties.title
    assert titles["final"] == ("河北区妇女儿童发展规划终期评估报告（2025年） / Hebei District "
                               "Women's and Children's Development Plans: final evaluation "
                               "report 2025")
    assert titles["annual"].startswith("河北区妇女儿童发展规划2023年度监测报告 / ")


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
