"""Catalogue errors as a user reads them: the header they wrote, the rule in Chinese then English,
every problem at once; and the spellings the observations reader accepts are accepted here too."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from openpyxl import Workbook

from hbkit import Catalogue, CatalogueError
from hbkit.cli import main

HEADER = ["目标编号", "规划", "领域", "指标编号", "目标类型", "目标值", "单位", "期望方向", "目标年份", "基期年份"]


def _write_csv(path, rows, encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


BAD_ROWS = [
    ["C-ok", "children", "健康", "imr", "upper_bound", "4", "‰", "", "2030年", "2025"],       # row 2: fine
    ["C-a", "children", "体育", "cov", "lower_bound", "五", "percent", "", "2030", "2025"],  # row 3
    ["C-b", "children", "health", "x", "lower_bound", "95", "furlongs", "", "2030.5", "1800"],  # row 4
    ["C-c", "children", "health", "cov2", "lower_bound", "120", "%", "", "2030", "2025"],    # row 5
]


def _problems(path):
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_file(path)
    return info.value


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_every_problem_names_the_header_as_written(tmp_path, encoding):
    error = _problems(_write_csv(tmp_path / "cat_bad.csv", BAD_ROWS, encoding))
    frame = error.problems
    got = [(r.row, r.column, r.field, r.code) for r in frame.itertuples()]
    assert got == [
        (3, "领域", "domain", "literal_error"),
        (3, "目标值", "threshold", "float_parsing"),
        (4, "单位", "unit", "literal_error"),
        (4, "目标年份", "target_year", "int_parsing"),
        (4, "基期年份", "baseline_year", "greater_than_equal"),
        (5, "目标值", "threshold", "bounded-threshold-in-0-100"),
    ]
    assert list(frame.columns[:5]) == ["file", "row", "column", "value", "rule"]  # unchanged order
    assert frame["value"].tolist() == ["体育", "五", "furlongs", "2030.5", "1800", "120"]  # as written
    rules = frame.set_index(["row", "field"])["rule"]
    assert rules[(3, "domain")].startswith("须为下列取值之一 / must be one of: health（健康）")
    assert "参与决策和管理" in rules[(3, "domain")]
    assert rules[(3, "threshold")] == "须为数字（不带单位） / must be a number (without its unit)"
    assert "per_100k（/10万）" in rules[(4, "unit")]
    assert rules[(4, "target_year")] == "年份须为1949—2100之间的整数 / year must be an integer in 1949-2100"
    assert rules[(4, "baseline_year")] == rules[(4, "target_year")]
    assert rules[(5, "threshold")].startswith("有上限100的比例，目标值须在0—100之间 / ")
    message = str(error)
    assert "共 6 个" in message
    assert "column='领域', field='domain', value='体育', code='literal_error'" in message


def test_cli_prints_the_chinese_header_and_rule(tmp_path, capsys):
    path = _write_csv(tmp_path / "cat_bad.csv", BAD_ROWS, "gbk")
    assert main(["catalogue", "--file", str(path)]) == 1
    err = capsys.readouterr().err
    # one table as hbkit validate prints (file, row, column, value, rule, code): the column is
    # the header the user wrote
    columns = [re.split(r"\s{2,}", line.strip())[2] for line in err.splitlines()[3:]]
    assert "领域" in columns and "domain" not in columns
    assert "年份须为1949—2100之间的整数" in err and "须为下列取值之一" in err
    assert "Input should be" not in err  # no raw pydantic text


def test_model_rules_and_missing_fields_are_bilingual(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text("目标编号,目标类型,指标编号,目标值,单位,目标年份,plna\n"
                    "a,upper_bound,imr,,per_1000,2030,\n"      # no threshold
                    "b,,x,3,count,2030,\n"                      # no kind
                    "a,qualitative,,,,2030,\n", encoding="utf-8")  # id used twice
    frame = _problems(path).problems
    got = [(r.row, r.column, None if pd.isna(r.field) else r.field, r.code) for r in frame.itertuples()]
    assert got == [
        (1, "plna", None, "unknown-column"),
        (2, "目标值", "threshold", "threshold-required"),
        (3, "目标类型", "kind", "missing"),
        (4, "目标编号", "id", "unique-id"),
    ]
    rule = frame.set_index("code")["rule"]
    assert rule["unknown-column"] == "不是目标目录的列 / not a target field: 'plna'; 是否为 / did you mean 'plan'?"
    assert rule["threshold-required"] == "该类型的目标须填写目标值 / kind='upper_bound' needs a threshold"
    assert rule["missing"] == "缺少必填项 / a required field is missing"
    assert rule["unique-id"] == "目标编号重复 / id already used: 第 2 行已用 / used in row 2"


def test_required_column_is_named_in_chinese(tmp_path):
    path = tmp_path / "nokind.csv"
    path.write_text("目标编号,指标编号\na,x\n", encoding="utf-8")
    frame = _problems(path).problems
    assert frame.loc[0, "code"] == "required-column"
    assert frame.loc[0, "rule"] == "表头缺少必填的列 / the header lacks a required column: 目标类型 (kind)"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_spellings_the_observations_reader_accepts_are_read(tmp_path, encoding):
    rows = [
        ["C-1", "儿童", "健康", "imr", "不高于", "４", "‰", "", "2030年", "２０２５"],
        ["C-2", "children", "教育", "cov", "lower_bound", "９５", "％", "", "２０３０年", "2025年"],
        ["C-3", "children", "参与决策和管理", "mmr", "upper_bound", "8.5", "1/10万", "", "2030", "2025"],
        ["C-4", "children", "safety", "deaths", "direction", "", "/10万", "降低", "2030年度", "2025"],
        ["C-5", "children", "family", "kids", "count_minimum", "1,000", "人", "", "2030", "2025"],
        ["C-6", "children", "family", "gap", "direction", "", "个百分点", "降低", "2030", "2025"],
    ]
    cat = Catalogue.from_file(_write_csv(tmp_path / "ok.csv", rows, encoding))
    got = [(t.plan, t.domain, t.domain_zh, t.kind, t.threshold, t.unit, t.direction, t.target_year,
            t.baseline_year) for t in cat]
    assert got == [
        ("children", "health", "健康", "upper_bound", 4.0, "per_1000", "decrease", 2030, 2025),
        ("children", "education", "教育", "lower_bound", 95.0, "percent", "increase", 2030, 2025),
        ("children", "decision", "参与决策和管理", "upper_bound", 8.5, "per_100k", "decrease", 2030, 2025),
        ("children", "safety", "安全", "direction", None, "per_100k", "decrease", 2030, 2025),
        ("children", "family", "家庭", "count_minimum", 1000.0, "persons", "increase", 2030, 2025),
        ("children", "family", "家庭", "direction", None, "percentage_points", "decrease", 2030,
         2025),
    ]
    assert cat["C-2"].bounded is True  # ％ read as percent before bounded is filled in


def test_the_user_guide_workbook_with_chinese_words_loads(tmp_path):
    """The user guide's Excel catalogue, written with 领域=健康, 单位=%, 目标年份=2030年."""
    book = Workbook()
    sheet = book.active
    sheet.append(["目标编号", "规划", "领域", "指标编号", "目标类型", "目标值", "单位", "期望方向",
                  "目标年份", "基期年份", "逐年达标", "分单位达标"])
    sheet.append(["C-health-immunization-2030", "children", "健康", "immunization_coverage", "maintain",
                  95, "%", "increase", "2030年", 2025, "是", "street"])
    book.save(tmp_path / "儿童规划2026-2030目标.xlsx")
    target = Catalogue.from_file(tmp_path / "儿童规划2026-2030目标.xlsx")["C-health-immunization-2030"]
    assert (target.domain, target.unit, target.target_year, target.every_year) == ("health", "percent", 2030, True)


def test_not_accepted_when_ambiguous(tmp_path):
    """A number written with its unit, an unknown domain and a year out of range stay errors."""
    rows = [["C-1", "children", "体育", "cov", "lower_bound", "95%", "percent", "", "2030", "2025"],
            ["C-2", "children", "health", "cov2", "lower_bound", "95", "percent", "", "1900年", "2025"]]
    frame = _problems(_write_csv(tmp_path / "amb.csv", rows)).problems
    assert [(r.row, r.column, r.value) for r in frame.itertuples()] == [
        (2, "领域", "体育"), (2, "目标值", "95%"), (3, "目标年份", "1900年")]


def test_targets_and_english_headers_keep_the_field_as_column(tmp_path):
    with pytest.raises(CatalogueError) as info:
        Catalogue([{"id": "t", "kind": "qualitative", "domain": "sport"}])
    problem = info.value.problems.iloc[0]
    assert (problem["column"], problem["field"], problem["code"]) == ("domain", "domain", "literal_error")
    assert problem["rule"].startswith("须为下列取值之一 / must be one of: health（健康）")
    frame = pd.DataFrame({"目标编号": ["a"], "目标类型": ["bound"], "目标年份": [2030]})
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_frame(frame)
    problem = info.value.problems.iloc[0]
    assert (problem["column"], problem["field"]) == ("目标类型", "kind")
    assert "upper_bound（不高于）" in problem["rule"]


EVERY_BAD_CELL = """\
catalogue:
  name_zh: 和平区儿童发展规划
targets:
  - {id: C-1, plan: children, domain: 体育, indicator: imr, kind: upper_bound,
     threshold: 4‰, unit: per_1000, target_year: 2030.5}
  - {id: C-2, plan: children, domain: health, indicator: imr, kind: upper_bound,
     threshold: [1, 2], unit: per_1000, target_year: 2030, baseline_year: 2025-01-01}
  - {id: C-3, plan: children, kind: qualitative, text_zh: {a: 1}, notes: 2025-01-01 08:30:00,
     target_year: 2030}
  - {id: C-4, plan: children, indicator: cov, kind: lower_bound, threshold: .nan, unit: percent,
     target_year: 2030}
  - {id: C-5, plan: 儿童规划, indicator: cov2, kind: lower_bound, threshold: ９５％,
     unit: percent, target_year: 1800, every_year: 也许}
  - {id: null, kind: null, target_year: 2030, 1: one, colour: true}
  - {id: C-7, indicator: cov3, kind: lower_bound, threshold: 120, unit: percent, target_year: 2030}
  - just a string
  - [a, list]
"""


def test_the_problem_table_of_every_kind_of_bad_cell_is_json(tmp_path):
    """A dashboard sends the problems of an uploaded catalogue to its front end as JSON:
    dates, lists, mappings, NaN, numbers and full-width text all come out as the text
    the user wrote, rows as integers, blanks as null, never NaN."""
    import json

    path = tmp_path / "bad.yaml"
    path.write_text(EVERY_BAD_CELL, encoding="utf-8")
    error = _problems(path)
    records = error.problems.to_dict("records")
    json.dumps(records, ensure_ascii=False, allow_nan=False)
    assert list(error.problems.columns) == ["file", "row", "column", "value", "rule", "code", "field",
                                            "line"]
    for record in records:
        assert record["value"] is None or isinstance(record["value"], str), record
        assert isinstance(record["row"], int) and isinstance(record["line"], int), record
        for key in ("file", "column", "rule", "code", "field"):
            assert record[key] is None or isinstance(record[key], str), record
    shown = {(r["row"], r["column"]): r["value"] for r in records}
    assert shown[(1, "threshold")] == "4‰"
    assert shown[(1, "target_year")] == "2030.5"
    assert shown[(2, "threshold")] == "[1, 2]"
    assert shown[(2, "baseline_year")] == "2025-01-01"
    assert shown[(3, "text_zh")] == "{'a': 1}"
    assert shown[(3, "notes")] == "2025-01-01 08:30:00"
    assert shown[(4, "threshold")] is None  # .nan is a blank cell: the threshold is missing
    assert shown[(5, "threshold")] == "９５％"  # full-width, as written
    assert shown[(5, "target_year")] == "1800"
    assert shown[(5, "every_year")] == "也许"
    assert shown[(6, "1")] == "one"  # a key that is a number names its column as text
    assert shown[(6, "id")] is None and shown[(6, "kind")] is None  # not given: null
    assert shown[(7, "threshold")] == "120"
    assert shown[(8, None)] == "just a string"
    assert shown[(9, None)] == "['a', 'list']"


def test_a_list_of_targets_with_numpy_and_pandas_values_gives_a_json_problem_table():
    import datetime
    import json

    import numpy as np

    error = None
    try:
        Catalogue([{"id": "a", "indicator": "x", "kind": "lower_bound", "threshold": np.float64("nan")},
                   {"id": "b", "indicator": "x", "kind": "lower_bound", "threshold": 5,
                    "target_year": pd.Timestamp("2030-01-01")},
                   {"id": "c", "kind": "qualitative", "notes": pd.NA},
                   {"id": "d", "indicator": "x", "kind": "lower_bound", "threshold": np.int64(5),
                    "baseline_year": datetime.date(2020, 1, 1)},
                   None, 3.5])
    except CatalogueError as exc:
        error = exc
    assert error is not None
    records = error.problems.to_dict("records")
    json.dumps(records, ensure_ascii=False, allow_nan=False)
    shown = {(r["row"], r["column"]): r["value"] for r in records}
    assert shown[(0, "threshold")] == "nan"
    assert shown[(1, "target_year")] == "2030-01-01 00:00:00"
    assert shown[(3, "baseline_year")] == "2020-01-01"
    assert shown[(4, None)] is None and shown[(5, None)] == "3.5"  # a record None: null
    assert str(error).count("\n") == len(records)  # the message lists each, none as NaN
    assert "nan" not in str(error).replace("'nan'", "")


def test_a_problem_error_survives_pickling_with_its_table():
    """A worker process (``concurrent.futures``, a dashboard's task queue) sends its error to the
    parent pickled: the problem table and the message arrive whole, not rebuilt from the text."""
    import pickle

    from hbkit import DataValidationError

    with pytest.raises(CatalogueError) as info:
        Catalogue([{"id": "a", "kind": "bogus"}, "C-b"])
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is CatalogueError
    assert back.problems.equals(info.value.problems) and str(back) == str(info.value)
    data = DataValidationError([{"file": "a.csv", "row": 3, "column": "year", "value": "20x1",
                                 "rule": "r", "code": "year-invalid"}])
    back_data = pickle.loads(pickle.dumps(data))
    assert back_data.problems.equals(data.problems) and str(back_data) == str(data)


CATALOGUE_PROBLEM_COLUMNS = ["file", "row", "column", "value", "rule", "code", "field"]


@pytest.mark.parametrize(("name", "text", "code"), [
    ("not-targets.yaml", "name: not a list of targets\n", "is-catalogue"),   # a problem of the file
    ("empty.csv", "", "file-empty"),                                          # CatalogueFileError
    ("broken.yaml", "- id: [\n", "file-format"),                              # CatalogueFileError
    ("bad.csv", "id,indicator,kind\nA,x,bogus\n", "literal_error"),          # a row's problem
    ("bad.yaml", "- id: A\n  indicator: x\n  kind: bogus\n", "literal_error"),  # with its line
])
def test_every_catalogue_error_has_the_same_problem_columns(tmp_path, name, text, code):
    """A dashboard that lets districts upload their catalogue reads ``err.problems["field"]``
    of whatever ``CatalogueError`` it catches. A problem of the whole file (not a catalogue;
    empty; broken YAML) used to come without the ``field`` column (a KeyError in the
    program), and a YAML file's ``line`` stood before it. Every table starts with the same
    seven columns, in order; ``field`` is None where no field is concerned."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    error = _problems(path)
    problems = error.problems
    assert problems.columns.tolist()[:7] == CATALOGUE_PROBLEM_COLUMNS
    assert set(problems.columns) - set(CATALOGUE_PROBLEM_COLUMNS) <= {"line"}
    assert code in problems["code"].tolist()
    if code in ("is-catalogue", "file-empty", "file-format"):
        assert problems["field"].tolist() == [None]
    else:
        assert "kind" in problems["field"].tolist()
