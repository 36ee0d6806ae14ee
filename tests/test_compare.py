"""What changed since last year's assessment (Assessment.changes_since, 与上年相比)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

import hbkit
from hbkit.assessment.compare import CHANGE_COLUMNS, CHANGE_LABELS, change_code
from hbkit.datasets import load_example
from hbkit.exceptions import HbkitError

JUDGED = ["achieved", "on_track", "at_risk", "off_track"]  # best first
UNJUDGED = ["insufficient_data", "no_data", "not_quantifiable"]


@pytest.fixture(scope="module")
def example():
    return load_example("hebei_example")


@pytest.fixture(scope="module")
def two_years(example):
    cat = example.catalogue.filter(plan="women", domain="health")
    obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
    return (hbkit.assess(obs, catalogue=cat, as_of=2022, n_draws=300),
            hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=300))


def test_change_code_every_pair_of_statuses():
    for before, now in itertools.product(JUDGED + UNJUDGED, repeat=2):
        code = change_code(before, now)
        if before == now:
            assert code == "same"
        elif before in JUDGED and now in JUDGED:
            assert code == ("better" if JUDGED.index(now) < JUDGED.index(before) else "worse")
        elif now in JUDGED:
            assert code == "now_judged"
        elif before in JUDGED:
            assert code == "no_longer_judged"
        else:
            assert code == "changed"
    # an every-year target: a likely miss (难以实现) became a certain one (已有年份未达到)
    assert change_code("off_track", "off_track", "难以实现", "已有年份未达到") == "worse"
    assert change_code("off_track", "off_track", "已有年份未达到", "已有年份未达到") == "same"
    assert change_code("achieved", "achieved", "提前实现", "已实现") == "same"
    assert change_code(float("nan"), "on_track") == "new"
    assert change_code("on_track", float("nan")) == "dropped"


def test_an_assessment_against_itself_changes_nothing(two_years):
    _, now = two_years
    table = now.changes_since(now)
    assert len(table) == len(now.to_frame())
    assert set(table["change"]) == {"same"}
    assert (table["warnings_added"] == "").all() and (table["warnings_removed"] == "").all()
    assert table["probability_change"].fillna(0).eq(0).all()


def test_each_row_reads_both_assessments(two_years):
    before, now = two_years
    table = now.changes_since(before)
    assert list(table.columns) == list(CHANGE_COLUMNS)
    key = ["target_id", "geo"]
    assert len(table) == len(now.to_frame()) and not table.duplicated(key).any()
    merged = table.merge(before.to_frame()[key + ["status", "probability", "warnings"]], on=key)
    merged = merged.merge(now.to_frame()[key + ["status", "probability", "warnings"]], on=key,
                          suffixes=("_b", "_n"))
    assert (merged["status_before"] == merged["status_b"]).all()
    assert (merged["status_now"] == merged["status_n"]).all()
    pd.testing.assert_series_equal(merged["probability_change"],
                                   merged["probability_n"] - merged["probability_b"],
                                   check_names=False)
    for row in merged.itertuples():
        was = set(str(row.warnings_b).split(";")) - {"", "nan"}
        is_ = set(str(row.warnings_n).split(";")) - {"", "nan"}
        assert set(filter(None, row.warnings_added.split(";"))) == is_ - was
        assert set(filter(None, row.warnings_removed.split(";"))) == was - is_
    # the example district's 2023 data move some targets both ways
    assert {"better", "worse"} <= set(table["change"])
    order = [list(CHANGE_LABELS).index(c) for c in table["change"]]
    assert order == sorted(order), "worst news first"
    assert (table["as_of_before"] == 2022).all() and (table["as_of_now"] == 2023).all()


def test_targets_in_one_assessment_only_are_new_or_dropped(example):
    health = example.catalogue.filter(plan="children", domain="health")
    first = hbkit.Catalogue(list(health)[:5])
    obs = hbkit.read_observations(example.observations, health, unknown="exclude")
    small = hbkit.assess(obs, catalogue=first, as_of=2022, n_draws=200)
    full = hbkit.assess(obs, catalogue=health, as_of=2023, n_draws=200)
    grown = full.changes_since(small)
    assert (grown["change"] == "new").sum() == len(full.to_frame()) - len(small.to_frame())
    assert grown.loc[grown["change"] == "new", "status_before"].isna().all()
    shrunk = hbkit.assess(obs, catalogue=first, as_of=2023, n_draws=200).changes_since(
        hbkit.assess(obs, catalogue=health, as_of=2022, n_draws=200))
    dropped = shrunk[shrunk["change"] == "dropped"]
    assert len(dropped) == len(full.to_frame()) - len(small.to_frame())
    assert dropped["status_now"].isna().all() and dropped["name_zh"].notna().all()
    last_dropped = dropped.index.max()
    assert shrunk["change"].loc[last_dropped + 1:].eq("same").all()  # only unchanged rows follow


def test_words_in_chinese_and_english(two_years):
    before, now = two_years
    codes, zh, en = (now.changes_since(before, lang) for lang in (None, "zh", "en"))
    assert set(zh["change"]) <= {words[0] for words in CHANGE_LABELS.values()}
    assert set(en["change"]) <= {words[1] for words in CHANGE_LABELS.values()}
    frame = now.to_frame().set_index(["target_id", "geo"])
    for i, row in codes.iterrows():
        worded = frame.loc[(row["target_id"], row["geo"]), "status_zh"]
        assert zh.loc[i, "status_now"] == worded  # 提前实现 as the report words it
    assert "achieved early" in set(en["status_now"]) | set(en["status_before"])


def test_warnings_in_words_with_a_language_and_keys_unchanged(two_years):
    from hbkit.report.wording import warning_label

    before, now = two_years
    codes, zh, en = (now.changes_since(before, lang) for lang in (None, "zh", "en"))
    assert list(zh.columns) == list(en.columns) == list(CHANGE_COLUMNS)  # stable keys
    columns = ("warnings_added", "warnings_removed", "warnings_now")
    assert any(codes[c].ne("").any() for c in columns)  # the example has warnings to word
    for column in columns:
        for i, value in codes[column].items():
            listed = [c for c in value.split(";") if c]
            assert zh.loc[i, column] == "、".join(warning_label(c, "zh") for c in listed)
            assert en.loc[i, column] == ", ".join(warning_label(c, "en") for c in listed)
    assert not zh[list(columns)].apply(lambda s: s.str.contains("_")).any().any()  # no codes


def test_swapped_arguments_are_a_clear_error(two_years):
    before, now = two_years
    with pytest.raises(HbkitError, match=r"as_of=2023.*as_of=2022"):
        before.changes_since(now)
    with pytest.raises(HbkitError, match="lang must be one of"):
        now.changes_since(before, lang="fr")


# ---------------------------------------------------------------- in the reports


def test_html_and_markdown_say_what_changed(two_years, tmp_path):
    from hbkit.report.changes import changes_display

    before, now = two_years
    codes = now.changes_since(before)
    moved = codes[codes["change"] != "same"]
    shown = changes_display(now, before, "zh")
    assert shown["target_id"].tolist() == moved["target_id"].tolist()  # unchanged rows left out
    page = now.to_html(tmp_path / "r.html", previous=before).read_text(encoding="utf-8")
    assert '<a href="#changes">与2022年监测相比</a>' in page
    section = page[page.index('<section id="changes">'):]
    section = section[:section.index("</section>")]
    counts = codes["change"].value_counts()
    assert f"转差{counts['worse']}项" in section and f"好转{counts['better']}项" in section
    assert f"其余{counts['same']}项" in section
    assert section.count("<tr>") == len(moved) + 1  # heading row + one per change
    assert page.index('id="warnings"') < page.index('id="changes"') < page.index('id="targets"')
    plain = now.to_html(tmp_path / "p.html").read_text(encoding="utf-8")
    assert 'id="changes"' not in plain and "#changes" not in plain
    english = now.to_markdown("en", previous=before)
    assert "## Changes since the 2022 monitoring" in english
    assert f"{counts['worse']} worse" in english
    assert "与2022年" not in now.to_markdown("zh")


def test_nothing_changed_reads_as_one_sentence(two_years, tmp_path):
    _, now = two_years
    page = now.to_html(tmp_path / "same.html", previous=now).read_text(encoding="utf-8")
    section = page[page.index('<section id="changes">'):]
    section = section[:section.index("</section>")]
    n = len(now.to_frame())
    assert f"{n}项目标的状态均未变化" in section and "<table" not in section


def test_workbook_sheet_lists_every_row(two_years, tmp_path):
    import openpyxl

    before, now = two_years
    path = now.to_excel(tmp_path / "r.xlsx", previous=before)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames.index("与上年相比") == book.sheetnames.index("预警清单") + 1
    sheet = book["与上年相比"]
    headings = [c.value for c in sheet[1]]
    assert headings[4] == "变化\nChange"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    codes = now.changes_since(before)
    assert len(rows) == len(codes)
    column = {h.split("\n")[0]: i for i, h in enumerate(headings)}
    first = rows[0]
    assert first[column["变化代码"]] == codes["change"].iloc[0]
    assert first[column["变化"]] == " / ".join(CHANGE_LABELS[codes["change"].iloc[0]])
    assert first[column["实现概率变化"]] == pytest.approx(
        codes["probability_change"].iloc[0], abs=5e-5)
    cell = sheet.cell(row=2, column=column["本次实现概率"] + 1)
    assert cell.number_format == "0.0%"
    assert "与上年相比" not in openpyxl.load_workbook(now.to_excel(tmp_path / "p.xlsx")).sheetnames


def test_workbook_statuses_then_and_now_carry_their_tints(two_years, tmp_path):
    """上次状态 and 本次状态 are coloured by their own status, as 全部目标's status column is
    (the HTML section colours the status now)."""
    import openpyxl

    from hbkit.report.wording import STATUS_TINTS

    before, now = two_years
    sheet = openpyxl.load_workbook(now.to_excel(tmp_path / "r.xlsx", previous=before))["与上年相比"]
    headings = [c.value for c in sheet[1]]
    pairs = (("上次状态\nStatus then", "上次状态代码\nStatus then (code)"),
             ("本次状态\nStatus now", "状态代码\nStatus code"))
    tinted = set()
    for row in sheet.iter_rows(min_row=2):
        for words, code in pairs:
            cell, status = row[headings.index(words)], row[headings.index(code)].value
            if status:
                assert cell.fill.fgColor.rgb == "00" + STATUS_TINTS[status].lstrip("#").upper()
                tinted.add(status)
            else:  # a target not in one of the two assessments
                assert cell.fill.fill_type is None
    assert len(tinted) >= 3, tinted


def test_command_line_compares_with_an_earlier_year(tmp_path, capsys):
    from hbkit.cli import main

    small = hbkit.load_catalogue().filter(plan="children", domain="safety")
    catalogue = tmp_path / "safety.yaml"
    small.to_file(catalogue)
    out = tmp_path / "out"
    code = main(["assess", "example:hebei_example", "--catalogue", str(catalogue), "--as-of",
                 "2023", "--compare-with", "2022", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    printed = captured.out
    assert "与2022年监测相比" in printed.split("报告 / reports")[0]  # the sentence after the table
    page = (out / "monitoring-report-2023.html").read_text(encoding="utf-8")
    assert "与2022年监测相比" in page
    assert "与上年相比" in pd.ExcelFile(out / "monitoring-report-2023.xlsx").sheet_names
    capsys.readouterr()
    assert main(["assess", "example:hebei_example", "--catalogue", str(catalogue), "--as-of",
                 "2023", "--compare-with", "2023", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert "--compare-with 2023 must be before the assessment year 2023" in captured.err
    assert "Traceback" not in captured.err


def test_json_carries_the_changes_only_when_asked(two_years):
    import json

    before, now = two_years
    assert "changes" not in now.to_dict()
    data = json.loads(now.to_json(previous=before))
    codes = now.changes_since(before)
    assert [row["change"] for row in data["changes"]] == codes["change"].tolist()
    assert [row["target_id"] for row in data["changes"]] == codes["target_id"].tolist()
    first = data["changes"][0]
    assert first["as_of_before"] == 2022 and first["as_of_now"] == 2023
    assert first["probability_now"] == pytest.approx(float(codes["probability_now"].iloc[0]))


def test_probability_change_has_no_float_noise(two_years):
    import json

    before, now = two_years
    changes = json.loads(now.to_json(previous=before))["changes"]
    differences = [row["probability_change"] for row in changes
                   if row["probability_change"] is not None]
    assert differences and any(d != 0 for d in differences)
    # 0.665 - 0.58 gave 0.08500000000000008: no digits beyond the 12th decimal
    assert all(round(d, 12) == d for d in differences), differences


def test_an_earlier_assessment_without_data_is_not_titled_none(example, two_years):
    _, now = two_years
    cat = example.catalogue.filter(plan="women", domain="health")
    empty = hbkit.assess(example.observations.iloc[:0], catalogue=cat, n_draws=100)
    assert empty.as_of is None
    for lang in ("zh", "en"):
        text = now.to_markdown(lang, previous=empty)
        assert "None" not in text
    assert "## 与–年监测相比" in now.to_markdown("zh", previous=empty)


def test_workbook_small_probabilities_read_below_a_tenth_of_a_percent():
    from hbkit.report.excel_formats import number_format

    # as in the 全部目标 sheet: a probability the model gave is not shown as 0.0%
    for column in ("probability", "probability_before", "probability_now"):
        assert number_format(column, 0.0004, 2) == '"<0.1%"'
        assert number_format(column, 0.0, 2) == '"<0.1%"'  # no simulated path met: no certainty
        assert number_format(column, 1.0, 2) == '">99.9%"'
        assert number_format(column, 0.5, 2) == "0.0%"


def test_sentence_when_every_target_moved(example):
    from hbkit.report.changes import changes_sentence

    cat = example.catalogue.filter(plan="women", domain="education")
    obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
    one = hbkit.Catalogue(list(cat)[:2])
    other = hbkit.Catalogue(list(cat)[2:4])
    before = hbkit.assess(obs, catalogue=one, as_of=2022, n_draws=200)
    now = hbkit.assess(obs, catalogue=other, as_of=2023, n_draws=200)
    assert changes_sentence(now, before) == "与2022年监测相比：新增2项，不再评估2项。"
    assert changes_sentence(now, before, "en") == "Since the 2022 monitoring: 2 new, 2 no longer assessed."
