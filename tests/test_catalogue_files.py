"""Catalogue files: YAML, CSV and Excel read and written losslessly; every bad record reported."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from hbkit import Catalogue, CatalogueError, FileError, HbkitError, Target, load_catalogue
from hbkit._typing import DOMAINS, EACH_UNITS, PLANS, TARGET_KINDS, UNITS
from hbkit.catalogue.io import FIELDS
from hbkit.catalogue.models import DIRECTED_KINDS, IMPLIED_DIRECTION, SIGNED_BY_UNIT
from hbkit.exceptions import FILE_ERROR_CODES, HbkitWarning

# ------------------------------------------------------------------ generated valid targets

_slug = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,12}", fullmatch=True)
# printable text, Chinese included; no control characters (Excel cannot store them) and no
# text made of spaces only (an empty cell means the default)
_text = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\u2028\u2029"),
    max_size=25,
).filter(lambda s: s == "" or s.strip() != "")
_number = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def valid_targets(draw: st.DrawFn, index: int = 0) -> Target:
    kind = draw(st.sampled_from(TARGET_KINDS))
    unit = draw(st.sampled_from(UNITS))
    if kind in IMPLIED_DIRECTION:
        direction = draw(st.sampled_from([None, IMPLIED_DIRECTION[kind]]))
    elif kind in DIRECTED_KINDS:
        direction = draw(st.sampled_from(["increase", "decrease"]))
    else:
        direction = draw(st.sampled_from([None, "increase", "decrease", "none"]))
    if kind == "qualitative":
        threshold = None
    elif kind == "relative_change":
        threshold = draw(st.floats(min_value=0.01, max_value=99.99))
    elif kind == "annual_change":
        threshold = draw(st.floats(min_value=0, max_value=1e4))
    elif kind in ("upper_bound", "lower_bound", "level", "maintain", "count_minimum"):
        threshold = draw(st.floats(min_value=0, max_value=100))
    else:
        threshold = draw(st.none() | _number)
    target_year = draw(st.integers(2000, 2100))
    needs_baseline = kind in ("relative_change", "direction", "trend_slowdown")
    baseline = st.integers(1949, target_year - 1)
    fields = {
        "id": f"{draw(_slug)}-{index}",
        "plan": draw(st.none() | st.sampled_from(PLANS)),
        "domain": draw(st.none() | st.sampled_from(DOMAINS)),
        "domain_zh": draw(_text),
        "section": draw(_text),
        "text_zh": draw(_text),
        "name_zh": draw(_text),
        "name_en": draw(_text),
        "indicator": None if kind == "qualitative" and draw(st.booleans()) else f"ind_{index}",
        "kind": kind,
        "threshold": threshold,
        "unit": unit,
        "direction": direction,
        "strict": draw(st.booleans()),
        "target_year": target_year,
        "baseline_year": draw(baseline if needs_baseline else st.none() | baseline),
        # every_year: bounds and levels with it are maintain; other kinds are judged once
        "every_year": draw(st.booleans()) if kind in (
            "upper_bound", "lower_bound", "level", "maintain", "annual_change") else False,
        "each_unit": draw(st.none() | st.sampled_from(EACH_UNITS)),
        "reference_indicator": draw(_slug) if kind == "relational" else draw(st.none() | _slug),
        "notes": draw(_text),
    }
    # a value that may be negative is no share capped at 100; a gap in percentage points
    # is signed by its unit
    by_unit = unit in SIGNED_BY_UNIT
    fields["signed"] = draw(st.sampled_from([None, True] if by_unit else [None, True, False]))
    signed = by_unit or fields["signed"] is True
    fields["bounded"] = draw(st.sampled_from([None, False] if signed else [None, True, False]))
    return Target(**fields)


@st.composite
def valid_catalogues(draw: st.DrawFn, max_size: int = 4) -> Catalogue:
    n = draw(st.integers(0, max_size))
    return Catalogue([draw(valid_targets(i)) for i in range(n)], name_zh=draw(_text),
                     name_en=draw(_text), default_geo=draw(_text.filter(bool)))


_settings = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@_settings
@given(cat=valid_catalogues())
def test_yaml_round_trip_is_lossless(tmp_path_factory, cat):
    path = tmp_path_factory.mktemp("yaml") / "cat.yaml"
    back = Catalogue.from_file(cat.to_file(path))
    assert back == cat  # targets, names and default geo


@_settings
@given(cat=valid_catalogues())
def test_csv_round_trip_is_lossless(tmp_path_factory, cat):
    path = tmp_path_factory.mktemp("csv") / "cat.csv"
    back = Catalogue.from_file(cat.to_file(path))
    assert back.targets == cat.targets  # CSV holds the targets only


@settings(_settings, max_examples=15)
@given(cat=valid_catalogues(max_size=3))
def test_excel_round_trip_is_lossless(tmp_path_factory, cat):
    path = tmp_path_factory.mktemp("xlsx") / "cat.xlsx"
    back = Catalogue.from_file(cat.to_file(path))
    assert back == cat


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".csv", ".xlsx"])
def test_shipped_catalogue_round_trips(tmp_path, suffix):
    cat = load_catalogue()
    back = Catalogue.from_file(cat.to_file(tmp_path / f"all{suffix}"))
    assert back.targets == cat.targets
    assert back.to_frame().equals(cat.to_frame())


def test_text_that_looks_like_a_formula_or_a_number_stays_text(tmp_path):
    t = Target(id="007", kind="qualitative", name_zh="=SUM(A1:A2)", notes="1.50", section="true")
    for suffix in (".csv", ".xlsx", ".yaml"):
        back = Catalogue.from_file(Catalogue([t]).to_file(tmp_path / f"f{suffix}"))
        assert back["007"] == t


# ------------------------------------------------------------------ formats as users see them


def test_csv_is_written_with_bom_and_a_header_of_every_field(tmp_path):
    path = load_catalogue(plan="women").to_file(tmp_path / "w.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == FIELDS
    assert len(rows) == 1 + len(load_catalogue(plan="women"))
    assert "孕产妇死亡率控制在8.5/10万以下" in {r[FIELDS.index("text_zh")] for r in rows}


def test_excel_has_targets_and_a_bilingual_column_sheet(tmp_path):
    path = load_catalogue(plan="women").to_file(tmp_path / "w.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["targets", "说明 columns"]
    header = [c.value for c in book["targets"][1]]
    assert tuple(header) == FIELDS
    explained = {row[0]: row for row in book["说明 columns"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(FIELDS) <= set(explained)
    assert explained["threshold"][1] == "目标值" and "number" in explained["threshold"][3]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings_and_chinese_headers(tmp_path, encoding):
    path = tmp_path / "zh.csv"
    text = ("目标编号,目标类型,指标编号,目标值,单位,中文名称,严格不等,目标年份\n"
            "A-1,upper_bound,mmr,8.5,per_100k,孕产妇死亡率,否,2030\n"
            "A-2,qualitative,,,,妇女营养状况,,2030\n")
    path.write_bytes(text.encode(encoding))
    cat = Catalogue.from_file(path)
    assert cat.ids == ("A-1", "A-2")
    assert (cat["A-1"].threshold, cat["A-1"].name_zh, cat["A-1"].strict) == (8.5, "孕产妇死亡率", False)
    assert cat["A-2"].indicator is None and cat["A-2"].unit == "none"  # empty cells: defaults


def test_empty_cells_mean_defaults_in_excel(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "kind", "indicator", "threshold", "unit", "bounded", "target_year"])
    sheet.append(["g", "lower_bound", "ger", 98, "percent", None, 2030])
    sheet.append([None] * 7)  # a blank line is skipped
    sheet.append(["h", "lower_bound", "ger2", 98.0, "percent", False, 2030.0])
    book.save(tmp_path / "mine.xlsx")
    cat = Catalogue.from_file(tmp_path / "mine.xlsx")
    assert (cat["g"].bounded, cat["g"].target_year, cat["g"].direction) == (True, 2030, "increase")
    assert (cat["h"].bounded, cat["h"].target_year) == (False, 2030)


# ------------------------------------------------------------------ bad input: every problem


def _problems(path: Path) -> list[tuple]:
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_file(path)
    frame = info.value.problems
    assert list(frame.columns[:5]) == ["file", "row", "column", "value", "rule"]
    assert (frame["file"] == str(path)).all()
    frame = frame[["row", "column", "value", "code"]].astype(object)
    return [tuple(None if pd.isna(v) else v for v in r) for r in frame.itertuples(index=False)]


def test_csv_collects_every_problem_with_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,indicator,kind,threshold,unit,target_year,plna\n"  # row 1: unknown column
        "W-a,imr,upper_bound,,per_1000,2030,\n"                # row 2: no threshold
        "W-b,cov,lower_bound,five,percent,2030,\n"             # row 3: threshold not a number
        "W-a,x,qualitative,,,2030,\n"                          # row 4: duplicate id
        "W-c,cov,lower_bound,120,percent,2030,\n"              # row 5: bounded threshold > 100
        "W-d,imr2,upper_bound,3,per_mille,2030,\n",            # row 6: unknown unit
        encoding="utf-8")
    problems = _problems(path)
    assert [(p[0], p[1], p[3]) for p in problems] == [
        (1, "plna", "unknown-column"),
        (2, "threshold", "threshold-required"),
        (3, "threshold", "float_parsing"),
        (4, "id", "unique-id"),
        (5, "threshold", "bounded-threshold-in-0-100"),
        (6, "unit", "literal_error"),
    ]
    assert problems[2][2] == "five" and problems[3][2] == "W-a" and problems[4][2] == "120"
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_file(path)
    assert "did you mean 'plan'" in info.value.problems.loc[0, "rule"]
    assert "共 6 个" in str(info.value)


def test_yaml_problems_name_target_index_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "catalogue: {name_zh: 测试}\n"
        "targets:\n"
        "  - id: ok\n"
        "    kind: qualitative\n"
        "    target_year: 2030\n"
        "  - id: no-threshold\n"
        "    indicator: imr\n"
        "    kind: upper_bound\n"
        "    target_year: 2030\n"
        "  - id: ok\n"
        "    kind: qualitative\n"
        "    colour: red\n"
        "    target_year: 2030\n"
        "  - just a string\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_file(path)
    frame = info.value.problems
    got = [(r.row, None if pd.isna(r.column) else r.column, r.code, r.line) for r in frame.itertuples()]
    assert got == [
        (2, "threshold", "threshold-required", 6),
        (3, "colour", "unknown-column", 10),
        (3, "id", "unique-id", 10),
        (4, None, "target-is-mapping", 14),
    ]


def test_excel_problems_name_the_excel_row(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "targets"
    sheet.append(["id", "kind", "indicator", "threshold", "unit", "direction", "target_year"])
    sheet.append(["ok", "upper_bound", "imr", 5, "per_1000", None, 2030])
    sheet.append(["bad", "level", "x", 5, "percent", None, 2030])          # level needs a direction
    sheet.append(["bad2", "upper_bound", "imr", 5, "percent", None, 2030])  # imr was per_1000
    book.save(tmp_path / "bad.xlsx")
    assert _problems(tmp_path / "bad.xlsx") == [
        (3, "direction", None, "direction-required"),
        (4, "unit", "percent", "indicator-unit-consistent"),
    ]


def test_missing_required_columns_reported_once(tmp_path):
    path = tmp_path / "nokind.csv"
    path.write_text("id,indicator\na,x\nb,y\n", encoding="utf-8")
    problems = _problems(path)
    assert (1, "kind", None, "required-column") in problems
    assert sum(p[3] == "required-column" for p in problems) == 1


def test_missing_file_is_an_hbkit_error_naming_it(tmp_path):
    with pytest.raises(HbkitError, match="nothere.csv"):
        Catalogue.from_file(tmp_path / "nothere.csv")
    # any name is read by its content, as a data file is: a missing one is missing
    with pytest.raises(FileError, match="targets.json") as info:
        Catalogue.from_file(tmp_path / "targets.json")
    assert info.value.code == "file-missing"


@pytest.mark.parametrize(("name", "content", "code"), [
    ("empty.csv", b"", "file-empty"),
    ("blank.csv", b"\n,,\n", "file-empty"),
    ("empty.yaml", b"", "file-empty"),
    ("spaces.yaml", b"  \n\n", "file-empty"),
    ("scalar.yaml", b"just text\n", "is-catalogue"),
    ("broken.yaml", b"targets: [\n", "file-format"),
    ("notcat.csv", b"a,b,c\n1,2,3\n", "is-catalogue"),
    ("binary.csv", b"\x00\x81\x30\xff", "file-format"),
    ("blank16.yaml", "  \n".encode("utf-16"), "file-empty"),
    ("fake.xlsx", b"PK\x03\x04not a zip", "file-format"),
])
def test_unreadable_or_non_catalogue_files(tmp_path, name, content, code):
    """A file that cannot be used at all has the code a data file gets (``FileError``), and
    is still the ``CatalogueError`` it was; a readable file that is no catalogue is a
    ``CatalogueError`` only."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_file(path)
    assert isinstance(info.value, HbkitError)
    assert info.value.problems["code"].tolist() == [code]
    assert name in str(info.value)
    assert isinstance(info.value, FileError) == (code != "is-catalogue")
    if isinstance(info.value, FileError):
        assert info.value.code == code and info.value.file == str(path)
        assert code in FILE_ERROR_CODES


@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "gbk"])
def test_a_catalogue_saved_in_another_encoding_reads_as_in_utf8(tmp_path, suffix, encoding):
    """Excel's "Unicode text" is UTF-16 with a byte-order mark and Chinese Windows saves
    GBK: a catalogue so saved reads as its UTF-8 file does, as a data file would. UTF-16
    without a mark (not told from other bytes) is not among them."""
    utf8 = load_catalogue().to_file(tmp_path / f"utf8{suffix}")
    text = utf8.read_bytes().decode("utf-8-sig")
    other = tmp_path / f"{encoding}{suffix}"
    other.write_bytes(("\ufeff" + text if encoding == "utf-16-be" else text).encode(encoding))
    assert other.read_bytes()[:2] in ((b"\xff\xfe", b"\xfe\xff") if "16" in encoding
                                      else (text[:2].encode("gbk"),))
    back, expected = Catalogue.from_file(other), Catalogue.from_file(utf8)
    assert back == expected and back.to_frame().equals(expected.to_frame())


def _zip_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("targets.csv", "id,kind\na,qualitative\n")
    return buffer.getvalue()


#: the first bytes of a 1 x 1 PNG image: valid GB18030 (0x89 0x50 is one character)
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
def test_an_image_under_a_text_name_is_a_file_error(tmp_path, suffix):
    """An image renamed .csv decoded as GB18030 and was "not a catalogue: the first row names
    no target field", renamed .yaml "not valid YAML: control characters". It is a catalogue
    file that is not text (``file-format``), naming the file, in a data file's words."""
    from hbkit.exceptions import CatalogueFileError

    path = tmp_path / f"目录{suffix}"
    path.write_bytes(_PNG)
    with pytest.raises(CatalogueFileError) as info:
        Catalogue.from_file(path)
    assert (info.value.code, info.value.file) == ("file-format", str(path))
    assert str(info.value) == (
        f"文件不是文本或Excel文件 / not a text (CSV) or Excel file: {path} (二进制内容（如图片、"
        "压缩包）或不支持的编码（如 UTF-32）/ binary content (such as an image or an archive) or "
        "an encoding not read (such as UTF-32))")


@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
def test_a_zip_archive_under_a_text_name_is_read_as_a_workbook(tmp_path, suffix):
    """A zip archive was "not a text file: an Excel catalogue needs the .xlsx suffix". It is
    read by its content, as a workbook (a note says the name said otherwise); a zip that
    holds no workbook is then a broken workbook, as a data file is."""
    from hbkit.exceptions import CatalogueFileError

    path = tmp_path / f"目录{suffix}"
    path.write_bytes(_zip_bytes())
    with pytest.warns(HbkitWarning, match=f"^文件名为 {suffix}，但内容是 Excel 工作簿"), \
            pytest.raises(CatalogueFileError) as info:
        Catalogue.from_file(path)
    assert (info.value.code, info.value.file) == ("file-format", str(path))
    assert f"{path} (Excel 文件已损坏 / not a valid Excel workbook: " in str(info.value)


@pytest.mark.parametrize(("content", "code"), [(b"", "file-empty"), (b"\x81\x30\xff\xff" * 4, "file-format")])
def test_a_catalogue_file_and_a_data_file_that_cannot_be_read_have_one_code(
        tmp_path, content, code):
    """The same bytes as a data file and as a catalogue file: the same ``FileError.code``,
    and the command line exits 2 on both, as for any file that cannot be read."""
    from hbkit import read_observations
    from hbkit.cli import main

    path = tmp_path / "上报.csv"
    path.write_bytes(content)
    with pytest.raises(FileError) as data_error:
        read_observations(path)
    with pytest.raises(FileError) as catalogue_error:
        Catalogue.from_file(path)
    assert data_error.value.code == catalogue_error.value.code == code
    # the data file's columns, in order, and the ``field`` every catalogue error's table has
    assert catalogue_error.value.problems.columns.tolist() == \
        [*data_error.value.problems.columns.tolist(), "field"]
    assert main(["catalogue", "--file", str(path)]) == 2
    assert main(["validate", str(path), "--no-catalogue"]) == 2


def test_an_unreadable_catalogue_file_is_a_file_error(tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_text("id,kind\na,qualitative\n", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(FileError) as info:
        Catalogue.from_file(path)
    assert info.value.code == "file-unreadable" and "Permission denied" in str(info.value)


def test_an_empty_first_sheet_says_which_sheet_was_read(tmp_path):
    book = Workbook()
    book.active.title = "说明"
    book.create_sheet("其他")
    book.save(tmp_path / "t.xlsx")
    with pytest.raises(FileError) as info:
        Catalogue.from_file(tmp_path / "t.xlsx")
    assert info.value.code == "file-empty" and isinstance(info.value, CatalogueError)
    assert "读取的是第一个工作表 '说明'" in str(info.value) and "sheets: 说明, 其他" in str(info.value)


def test_a_catalogue_file_error_survives_pickling():
    import pickle

    from hbkit.exceptions import CatalogueFileError

    error = pickle.loads(pickle.dumps(CatalogueFileError("目标目录文件为空 / empty: a.csv",
                                                         "file-empty", "a.csv")))
    assert (type(error), error.code, error.file, str(error)) == (
        CatalogueFileError, "file-empty", "a.csv", "目标目录文件为空 / empty: a.csv")
    assert error.problems["code"].tolist() == ["file-empty"]


def test_yaml_written_by_hand_in_the_shipped_format(tmp_path):
    path = tmp_path / "hand.yaml"
    path.write_text(yaml.safe_dump({"targets": [
        {"id": "W-health-maternal-mortality", "plan": "women", "domain": "health",
         "indicator": "maternal_mortality_ratio", "kind": "upper_bound", "threshold": 8.5,
         "unit": "per_100k", "target_year": 2025}]}, allow_unicode=True), encoding="utf-8")
    cat = Catalogue.from_file(path)
    assert cat.default_geo == "河北区"
    assert cat["W-health-maternal-mortality"].direction == "decrease"


def test_a_catalogue_file_that_cannot_be_read_has_a_file_error_code(tmp_path):
    import hbkit

    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "targets.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    for path, code in [(tmp_path / "nope.yaml", "file-missing"),
                       (tmp_path / "folder.yaml", "file-unreadable"),
                       (tmp_path / "targets.xls", "file-format")]:
        with pytest.raises(hbkit.FileError) as info:
            Catalogue.from_file(path)
        assert (info.value.code, info.value.file) == (code, str(path))
        assert info.value.problems["code"].tolist() == [code]
