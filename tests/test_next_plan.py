"""End to end with a user's own catalogue: another district's 2026-2030 plan, baseline 2025.

A fictional 《和平区儿童发展规划（2026—2030年）》 written in Excel the way analysts
write it (Chinese column names, a ``catalogue`` sheet with the plan's name and
district), simulated data 2019-2027 and 2019-2030, the annual monitoring in
2027 and the final evaluation in 2030, every report and the command line. What
a user checks: the reports name 和平区 and the user's plan, nothing of the
shipped plans (河北区, 十四五, 2021—2025) leaks, rules read 2026—2030, the
final evaluation decides every target, each-street targets are judged per
street and every target has its row.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import hbkit
from hbkit.cli import main
from hbkit.report import to_markdown, write_excel
from hbkit.report.html import render_html

NAME_ZH = "和平区儿童发展规划（2026—2030年）"
NAME_EN = "Heping District Children's Development Plan (2026-2030)"
STREETS = ("劝业场街道", "小白楼街道", "五大道街道", "南营门街道")
HEADER = ["目标编号", "规划", "领域", "规划原文", "中文名称", "英文名称", "指标编号", "目标类型",
          "目标值", "单位", "期望方向", "目标年份", "基期年份", "逐年达标", "分单位达标"]
# one target of each kind hbkit supports, as a user types them (empty cells: defaults)
TARGETS = [
    ["C-imr", "children", "health", "婴儿死亡率控制在3‰以下", "婴儿死亡率", "Infant mortality rate",
     "infant_mortality_rate", "upper_bound", 3, "per_1000", None, 2030, None, None, None],
    ["C-breastfeeding", "children", "health", "6个月内婴儿纯母乳喂养率达到60%以上",
     "6个月内婴儿纯母乳喂养率", "Exclusive breastfeeding rate", "exclusive_breastfeeding_rate",
     "lower_bound", 60, "percent", None, 2030, 2025, None, None],
    ["C-immunization", "children", "health", "以街为单位的适龄儿童免疫规划疫苗接种率保持在95%以上",
     "适龄儿童免疫规划疫苗接种率", "Immunisation coverage", "immunization_coverage", "maintain", 95,
     "percent", "increase", 2030, None, True, "street"],
    ["C-myopia", "children", "health", "儿童青少年总体近视率每年降低1个百分点以上",
     "儿童青少年总体近视率", "Myopia rate", "child_adolescent_myopia_rate", "annual_change", 1,
     "percent", "decrease", 2030, 2025, None, None],
    ["C-obesity", "children", "health", "儿童肥胖率以2025年为基数下降20%", "儿童肥胖率",
     "Child obesity rate", "child_obesity_rate", "relative_change", 20, "percent", "decrease",
     2030, 2025, None, None],
    ["C-fitness", "children", "health", "逐步提高儿童体质健康达标率", "儿童体质健康达标率",
     "Children meeting the fitness standard", "child_fitness_rate", "direction", None, "percent",
     "increase", 2030, 2025, None, None],
    ["C-venues", "children", "environment", "校外活动场所不少于12个", "校外活动场所",
     "Out-of-school activity venues", "out_of_school_venues", "count_minimum", 12, "count", None,
     2030, 2025, None, None],
    ["C-child-friendly", "children", "environment", "建设儿童友好城区", "儿童友好城区",
     "A child-friendly district", None, "qualitative", None, None, None, 2030, None, None, None],
]
IDS = [row[0] for row in TARGETS]
QUANTITATIVE = IDS[:-1]
# what belongs to the shipped plans and must not show in a report of the user's plan
SHIPPED = ("河北区", "Hebei", "十四五", "14th Five-Year", "2021—2025", "2021-2025")


def write_catalogue(path: Path) -> Path:
    """The user's catalogue: sheet ``targets`` in Chinese headers, sheet ``catalogue`` its name."""
    book = Workbook()
    sheet = book.active
    sheet.title = "targets"
    sheet.append(HEADER)
    for row in TARGETS:
        sheet.append(row)
    meta = book.create_sheet("catalogue")
    for row in (["key", "value"], ["name_zh", NAME_ZH], ["name_en", NAME_EN],
                ["default_geo", "和平区"]):
        meta.append(row)
    book.save(path)
    return path


def simulate(last: int, seed: int = 7) -> pd.DataFrame:
    """Plausible district data 2019-``last`` (long layout), deterministic."""
    rng = np.random.default_rng(seed)
    years = np.arange(2019, last + 1)
    rows: list[dict[str, object]] = []

    def add(indicator: str, start: float, slope: float, sd: float, geo: str = "和平区",
            cap: float | None = None, whole: bool = False) -> None:
        values = start + slope * (years - 2019) + rng.normal(0, sd, len(years))
        if cap is not None:
            values = np.minimum(values, cap)
        for year, value in zip(years, values, strict=True):
            rows.append({"indicator": indicator, "geo": geo, "year": int(year),
                         "value": float(round(value)) if whole else round(float(value), 2),
                         "source": "模拟数据 simulated"})

    add("infant_mortality_rate", 3.2, -0.12, 0.15)
    add("exclusive_breastfeeding_rate", 52, 1.4, 1.0)
    add("immunization_coverage", 97.8, 0.05, 0.2, cap=99.5)
    for street in STREETS:
        add("immunization_coverage", 97.5, 0.05, 0.4, geo=f"和平区/{street}", cap=99.5)
    add("child_adolescent_myopia_rate", 56, -1.1, 0.3)
    add("child_obesity_rate", 12, -0.4, 0.2)
    add("child_fitness_rate", 90, 0.5, 0.4)
    add("out_of_school_venues", 9, 0.6, 0.3, whole=True)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("next_plan")
    paths = {"catalogue": write_catalogue(folder / "和平区儿童规划2026-2030.xlsx"),
             "data2027": folder / "和平区监测数据2019-2027.csv",
             "data2030": folder / "和平区监测数据2019-2030.csv", "folder": folder}
    simulate(2027).to_csv(paths["data2027"], index=False)
    simulate(2030).to_csv(paths["data2030"], index=False)
    return paths


@pytest.fixture(scope="module")
def catalogue(files: dict[str, Path]) -> hbkit.Catalogue:
    return hbkit.Catalogue.from_file(files["catalogue"])


@pytest.fixture(scope="module")
def annual(files: dict[str, Path], catalogue: hbkit.Catalogue) -> hbkit.Assessment:
    observations = hbkit.read_observations(files["data2027"], catalogue)
    return hbkit.assess(observations, catalogue=catalogue, as_of=2027, n_draws=300)


@pytest.fixture(scope="module")
def final(files: dict[str, Path], catalogue: hbkit.Catalogue) -> hbkit.Assessment:
    observations = hbkit.read_observations(files["data2030"], catalogue)
    return hbkit.assess(observations, catalogue=catalogue, as_of=2030, n_draws=300)


def _visible(html: str) -> str:
    """The text of an HTML page a reader sees (no style, script or tags)."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_catalogue_reads_with_its_name_and_district(catalogue: hbkit.Catalogue) -> None:
    assert catalogue.ids == tuple(IDS)
    assert (catalogue.name_zh, catalogue.name_en, catalogue.default_geo) == (NAME_ZH, NAME_EN, "和平区")
    assert {t.target_year for t in catalogue} == {2030}
    assert catalogue["C-immunization"].every_year and catalogue["C-immunization"].each_unit == "street"


def test_every_target_has_its_row_for_the_district(annual, final) -> None:
    for result in (annual, final):
        frame = result.to_frame()
        assert list(frame["target_id"]) == IDS
        assert set(frame["geo"]) == {"和平区"}


def test_reports_are_titled_with_the_users_plan(annual, final) -> None:
    assert to_markdown(annual).startswith(f"# 《{NAME_ZH}》2027年度监测报告\n")
    assert to_markdown(annual, "en").startswith(f"# {NAME_EN}: monitoring report 2027\n")
    assert to_markdown(final).startswith(f"# 《{NAME_ZH}》终期评估报告（2030年）\n")
    assert to_markdown(final, "en").startswith(f"# {NAME_EN}: final evaluation report 2030\n")
    assert f"<h1>《{NAME_ZH}》2027年度监测报告</h1>" in render_html(annual, "zh")


@pytest.mark.parametrize("which", ["annual", "final"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_word_of_the_shipped_plans_leaks(which, lang, request, tmp_path) -> None:
    result = request.getfixturevalue(which)
    texts = {"html": _visible(render_html(result, lang)), "markdown": to_markdown(result, lang)}
    book = load_workbook(write_excel(result, tmp_path / "report.xlsx"))
    texts["excel"] = "\n".join(str(cell) for sheet in book.worksheets
                               for row in sheet.iter_rows(values_only=True) for cell in row
                               if cell is not None) + str(book.properties.title)
    for name, page in texts.items():
        for word in SHIPPED:
            assert word not in page, f"{word!r} in the {lang} {name} report"
    # the area in English: Tianjin's districts are known by name
    area = "Heping District" if lang == "en" else "和平区"
    assert f"C-imr · {area}" in texts["html"]


def test_rules_read_the_users_plan_period(annual) -> None:
    frame = annual.to_frame().set_index("target_id")
    page = _visible(render_html(annual, "zh")).replace("&gt;", ">")
    # 保持 with no base year of its own holds over the plan's years, not 2030 alone
    assert "2026—2030年每年≥95%" in page and "2030—2030" not in page
    assert "2026—2030年每年比上一年下降1个百分点以上" in page
    assert "2030年值≤2025年值×0.8" in page
    assert "2030年值>2025年值" in page
    assert set(frame.loc[QUANTITATIVE, "target_year"]) == {2030}
    # a bound with no base year of its own is compared with the plan's base year, 2025
    assert frame.loc["C-imr", "baseline_year"] == 2025
    data = simulate(2027).set_index(["indicator", "geo", "year"])["value"]
    assert frame.loc["C-imr", "baseline_value"] == pytest.approx(
        data["infant_mortality_rate", "和平区", 2025])


def test_the_annual_monitoring_projects_and_the_final_evaluation_decides(annual, final) -> None:
    assert not annual.final and final.final
    projected = annual.to_frame().set_index("target_id")
    assert projected.loc[["C-imr", "C-obesity", "C-fitness"], "probability"].notna().all()
    decided = final.to_frame().set_index("target_id")
    assert set(decided.loc[QUANTITATIVE, "status"]) <= {"achieved", "off_track"}
    assert decided.loc["C-child-friendly", "status"] == "not_quantifiable"
    # the myopia rate fell by less than a point in 2026: the every-year rule is broken for good
    assert decided.loc["C-myopia", "status"] == "off_track"
    assert "未实现" in decided.loc["C-myopia", "status_zh"]


def test_each_street_target_is_judged_street_by_street(annual) -> None:
    units = annual.unit_frame()
    immunization = units[units["target_id"] == "C-immunization"]
    assert sorted(immunization["unit_geo"]) == sorted(f"和平区/{s}" for s in STREETS)
    row = annual.to_frame().set_index("target_id").loc["C-immunization"]
    # the district's row is the worst street: its probability is at most any street's
    assert row["probability"] <= immunization["probability"].min() + 1e-9
    page = _visible(render_html(annual, "zh"))
    assert all(street in page for street in STREETS)


def test_cli_assess_and_template_with_the_users_catalogue(files, capsys) -> None:
    out = files["folder"] / "reports"
    code = main(["assess", str(files["data2027"]), "--catalogue", str(files["catalogue"]),
                 "--as-of", "2027", "--out", str(out), "--lang", "both"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert sorted(p.name for p in out.iterdir()) == [
        "monitoring-report-2027.en.html", "monitoring-report-2027.html", "monitoring-report-2027.xlsx"]
    assert "河北区" not in printed.out and "和平区" in printed.out
    assert f"《{NAME_ZH}》2027年度监测报告" in (out / "monitoring-report-2027.html").read_text("utf-8")


def test_cli_template_for_the_next_plan(files, capsys) -> None:
    out = files["folder"] / "上报模板2026-2030.xlsx"
    code = main(["template", "--years", "2026-2030", "--catalogue", str(files["catalogue"]),
                 "--streets", "、".join(STREETS), str(out)])
    assert code == 0, capsys.readouterr().err
    book = load_workbook(out)
    assert book.worksheets[0]["A1"].value == f"{NAME_ZH}监测 数据上报模板 / Data reporting template"
    health = book["健康 health"]
    assert [c.value for c in health[1]][7] == "2026年"
    rows = {(r[0], r[3]): r for r in health.iter_rows(min_row=2, values_only=True) if r[0]}
    assert {geo for indicator, geo in rows if indicator == "immunization_coverage"} == {
        "和平区", *(f"和平区/{s}" for s in STREETS)}
    # 每年降低1个百分点以上: points, not percent, over the plan's years, 以上 kept
    assert rows["child_adolescent_myopia_rate", "和平区"][5].split("\n")[0] == (
        "2026—2030年每年比上一年下降1个百分点以上")
    words = "\n".join(str(c) for sheet in book.worksheets
                      for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    assert not any(word in words for word in SHIPPED)


def test_cli_template_says_when_each_street_targets_have_no_streets(files, capsys) -> None:
    out = files["folder"] / "no-streets.xlsx"
    assert main(["template", "--years", "2026-2030", "--catalogue", str(files["catalogue"]),
                 str(out)]) == 0
    assert "--streets" in capsys.readouterr().err


def test_a_target_without_a_base_year_is_judged_the_same_whatever_else_is_in_the_catalogue(
        ) -> None:
    """No base year stated: the five-year plan ending in the target year (2026-2030, base 2025),
    from the target alone. The same target on the same data is judged the same with or without
    other targets (one stating base year 2020) beside it, and the result keeps the user's
    catalogue as given."""
    from hbkit.attainment import rule_text

    keep = hbkit.Target(id="C-immunization", indicator="immunization_coverage", kind="maintain",
                        threshold=95, unit="percent", direction="increase", target_year=2030)
    imr = hbkit.Target(id="C-imr", indicator="infant_mortality_rate", kind="upper_bound",
                       threshold=3, unit="per_1000", target_year=2030)
    other = hbkit.Target(id="C-fitness", indicator="child_fitness_rate", kind="direction",
                         direction="increase", unit="percent", target_year=2030, baseline_year=2020)
    data = simulate(2027)
    judged = []
    for targets in ([keep, imr], [keep, imr, other]):
        cat = hbkit.Catalogue(targets, default_geo="和平区")
        rows = data[data["indicator"].isin([t.indicator for t in targets])]
        result = hbkit.assess(rows, catalogue=cat, as_of=2027, n_draws=300, seed=1)
        assert result.catalogue == cat  # not rewritten
        frame = result.to_frame().set_index("target_id")
        judged.append((frame.loc["C-immunization", ["status_zh", "probability"]].tolist(),
                       frame.loc["C-imr", ["baseline_year", "baseline_value"]].tolist()))
    assert judged[0] == judged[1]
    assert judged[0][1][0] == 2025  # a bound with no base year: compared with 2025
    assert rule_text(keep)[0] == "2026—2030年每年≥95%"


def test_a_ten_year_plan_states_its_base_year() -> None:
    # a 2021-2030 plan (base 2020) says so on each target: the bound is compared with 2020
    imr = hbkit.Target(id="C-imr", indicator="infant_mortality_rate", kind="upper_bound",
                       threshold=3, unit="per_1000", target_year=2030, baseline_year=2020)
    data = simulate(2027)
    data = data[data["indicator"] == "infant_mortality_rate"]
    result = hbkit.assess(data, catalogue=hbkit.Catalogue([imr], default_geo="和平区"),
                          as_of=2027, n_draws=300)
    frame = result.to_frame().set_index("target_id")
    assert frame.loc["C-imr", "baseline_year"] == 2020
    values = data.set_index(["indicator", "year"])["value"]
    assert frame.loc["C-imr", "baseline_value"] == pytest.approx(values["infant_mortality_rate", 2020])


def test_a_catalogue_from_csv_still_names_the_district_assessed(catalogue, tmp_path) -> None:
    # CSV holds the targets only: the catalogue's default geo is 河北区, the data are 和平区's
    from_csv = hbkit.Catalogue.from_file(catalogue.to_file(tmp_path / "targets.csv"))
    assert from_csv.default_geo == "河北区" and not from_csv.name_zh
    result = hbkit.assess(simulate(2027), catalogue=from_csv, as_of=2027, n_draws=300)
    assert to_markdown(result).startswith("# 和平区儿童发展规划（2026—2030年）2027年度监测报告\n")
    assert to_markdown(result, "en").startswith(
        "# Heping District Children's Development Plan (2026-2030): monitoring report 2027\n")
    assert "河北区" not in _visible(render_html(result, "zh"))


def test_an_each_street_target_without_the_districts_own_series_says_so(catalogue) -> None:
    data = simulate(2027)
    # the district reports infant mortality, but immunisation only street by street
    data = data[(data["indicator"] == "infant_mortality_rate")
                | (data["indicator"] == "immunization_coverage") & (data["geo"] != "和平区")]
    result = hbkit.assess(data, catalogue=catalogue.filter(kind=["maintain", "upper_bound"]),
                          as_of=2027, n_draws=300)
    row = result.to_frame().set_index("target_id").loc["C-immunization"]
    # no probability without the district's series, but every street met the rule in every
    # observed year: met so far (提前实现), as a target judged on the district itself says
    assert row["geo"] == "和平区" and pd.isna(row["probability"])
    assert row["status"] == "achieved" and row["status_zh"] == "提前实现"
    assert "和平区本级的数据" in row["reason_zh"]
    assert "the district's own series" in row["reason_en"] and "和平区" not in row["reason_en"]


def test_a_district_hbkit_does_not_know_takes_its_english_name_from_the_catalogue(
        catalogue, tmp_path) -> None:
    two = [catalogue["C-imr"], catalogue["C-immunization"]]
    mine = hbkit.Catalogue(two, name_zh="示例区儿童发展规划（2026—2030年）", default_geo="示例区",
                           default_geo_en="Example District")
    for suffix in ("yaml", "xlsx"):  # the name travels in the file's catalogue block / sheet
        read = hbkit.Catalogue.from_file(mine.to_file(tmp_path / f"mine.{suffix}"))
        assert read == mine and read.default_geo_en == "Example District"
    data = simulate(2027)
    data = data[data["indicator"].isin(["infant_mortality_rate", "immunization_coverage"])]
    data = data.assign(geo=data["geo"].str.replace("和平区", "示例区"))
    result = hbkit.assess(data, catalogue=mine, as_of=2027, n_draws=300)
    english = _visible(render_html(result, "en"))
    assert "C-imr · Example District" in english and "示例区" not in english.replace(
        "示例区儿童发展规划", "")
    # no English name of the plan: the English title names the area and the plan
    assert to_markdown(result, "en").startswith(
        "# Example District Children's Development Plan (2026-2030): monitoring report 2027\n")
    assert "C-imr · 示例区" in _visible(render_html(result, "zh"))
    # the terminal's status table (hbkit assess --lang en) names it in English too
    from hbkit.cli.assess import status_table

    assert "Example District" in status_table(result, "en")
    assert "示例区" in status_table(result, "zh")


def test_the_filled_template_is_assessed_like_the_csv(files, catalogue, annual, tmp_path) -> None:
    # the departments fill the template (2019-2027, the streets listed) and send it back
    path = tmp_path / "上报模板.xlsx"
    hbkit.observation_template(catalogue, range(2019, 2028), path, streets=STREETS)
    data = simulate(2027).set_index(["indicator", "geo", "year"])["value"]
    book = load_workbook(path)
    for sheet in book.worksheets[1:]:
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value is None:
                continue
            for cell, heading in zip(row, header, strict=True):
                year = re.fullmatch(r"(\d{4})年", str(heading))
                if year:
                    cell.value = data[row[0].value, row[3].value, int(year.group(1))]
                elif heading == "数据来源 source":
                    cell.value = "模拟数据 simulated"
    book.save(path)
    observations = hbkit.read_observations(path, catalogue)
    assert len(observations.frame) == len(data)
    result = hbkit.assess(observations, catalogue=catalogue, as_of=2027, n_draws=300)
    pd.testing.assert_frame_equal(result.to_frame()[["target_id", "geo", "latest_value", "status"]],
                                  annual.to_frame()[["target_id", "geo", "latest_value", "status"]])


def test_cli_catalogue_prints_the_yaml_with_the_plans_name_and_district(tmp_path, capsys) -> None:
    mine = hbkit.Catalogue([hbkit.Target(id="C-imr", indicator="infant_mortality_rate",
                                         kind="upper_bound", threshold=3, unit="per_1000",
                                         target_year=2030)],
                           name_zh=NAME_ZH, default_geo="示例区", default_geo_en="Example District")
    path = mine.to_file(tmp_path / "mine.xlsx")
    assert main(["catalogue", "--file", str(path), "--format", "yaml"]) == 0
    printed = tmp_path / "printed.yaml"
    printed.write_text(capsys.readouterr().out, encoding="utf-8")
    assert hbkit.Catalogue.from_file(printed) == mine


def test_streets_without_any_district_row_are_judged_as_the_district_s_streets(catalogue) -> None:
    """Only street rows (和平区/…) and no row of 和平区 itself: the streets belong to the
    catalogue's district, not districts of their own; the each-street target gets one row for
    和平区, which says what it lacks."""
    data = simulate(2027)
    data = data[(data["indicator"] == "immunization_coverage") & (data["geo"] != "和平区")]
    assert data["geo"].str.startswith("和平区/").all() and data["geo"].nunique() > 1
    result = hbkit.assess(data, catalogue=catalogue.filter(kind="maintain"), as_of=2027,
                          n_draws=300)
    frame = result.to_frame()
    assert frame["geo"].unique().tolist() == ["和平区"]
    row = frame.set_index("target_id").loc["C-immunization"]
    assert pd.isna(row["probability"]) and row["status_zh"] == "提前实现"  # met so far
    assert "和平区本级的数据" in row["reason_zh"]
