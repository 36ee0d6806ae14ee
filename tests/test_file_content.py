"""A data file and a catalogue file are told apart by their content, not their name, alike.

Analysts get both from the same systems: a CSV renamed ``.xlsx``, a workbook saved as
``.csv``, a web page or an Excel 2003 XML spreadsheet exported as "Excel", an old ``.xls``.
:func:`hbkit.read_observations` and :meth:`hbkit.Catalogue.from_file` read the first two by
their content with the same note, and refuse the others with the same advice (``file-format``,
naming the file, Chinese first); ``hbkit validate`` and ``hbkit catalogue --file`` exit 2 on
them with that message.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

import hbkit
from hbkit.cli import main
from hbkit.exceptions import CatalogueFileError, CatalogueWarning

DATA_ROWS = [["indicator", "year", "value"], ["infant_mortality_rate", 2021, 3.1]]
CATALOGUE_ROWS = [["id", "kind", "target_year"], ["x", "qualitative", 2025]]

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
PAGE = ("<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><td>指标</td><td>年份</td><td>数值</td></tr></table></body></html>")
XML = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
       '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="1">'
       "<Table><Row><Cell><Data ss:Type=\"String\">指标</Data></Cell></Row></Table>"
       "</Worksheet></Workbook>")


def _csv(rows: list[list[object]]) -> bytes:
    return "".join(",".join(str(c) for c in row) + "\n" for row in rows).encode("utf-8")


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _read_data(path: Path) -> list[object]:
    return list(hbkit.read_observations(path).frame["value"])


def _read_catalogue(path: Path) -> list[object]:
    return [target.id for target in hbkit.Catalogue.from_file(path)]


#: (reader, its rows, the values it reads from them, the warning category of its note)
READERS: dict[str, tuple[Callable[[Path], list[object]], list[list[object]], list[object],
                         type[Warning]]] = {
    "data": (_read_data, DATA_ROWS, [3.1], hbkit.HbkitWarning),
    "catalogue": (_read_catalogue, CATALOGUE_ROWS, ["x"], CatalogueWarning),
}


def _text_note(path: Path, suffix: str) -> str:
    return (f"文件名为 {suffix}，但内容是文本（CSV），已按 CSV 读取 / the file is named {suffix} "
            f"but holds text (CSV): it was read as CSV: {path}")


def _workbook_note(path: Path, suffix: str) -> str:
    return (f"文件名为 {suffix}，但内容是 Excel 工作簿，已按 Excel 工作簿读取 / the file is named "
            f"{suffix} but holds an Excel workbook: it was read as a workbook: {path}")


def _hbkit_notes(read: Callable[[Path], list[object]], path: Path
                 ) -> tuple[list[object], list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        values = read(path)
    return values, [w for w in caught if issubclass(w.category, hbkit.HbkitWarning)]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".xlsm", ".XLSX"])
def test_csv_text_under_an_excel_name_is_read_as_csv_with_a_note(tmp_path, reader, suffix):
    """It was "not a readable .xlsx workbook" for a catalogue, read silently for data."""
    read, rows, values, category = READERS[reader]
    path = tmp_path / f"导出{suffix}"
    path.write_bytes(_csv(rows))
    got, notes = _hbkit_notes(read, path)
    assert got == values
    assert [str(w.message) for w in notes] == [_text_note(path, suffix.lower())]
    assert notes[0].category is category
    assert notes[0].filename == __file__  # said where the user called the reader


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("suffix", [".csv", ".txt"])
def test_a_workbook_under_a_text_name_is_read_as_a_workbook_with_a_note(tmp_path, reader,
                                                                         suffix):
    """It was "an Excel catalogue needs the .xlsx suffix" for a catalogue."""
    read, rows, values, category = READERS[reader]
    path = tmp_path / f"上报{suffix}"
    path.write_bytes(_workbook(rows))
    got, notes = _hbkit_notes(read, path)
    assert got == values
    assert [str(w.message) for w in notes] == [_workbook_note(path, suffix)]
    assert notes[0].category is category


def test_a_workbook_named_yaml_is_a_workbook_catalogue(tmp_path):
    path = tmp_path / "目录.yaml"
    path.write_bytes(_workbook(CATALOGUE_ROWS))
    got, notes = _hbkit_notes(_read_catalogue, path)
    assert got == ["x"]
    assert [str(w.message) for w in notes] == [_workbook_note(path, ".yaml")]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("name", "workbook"), [("a.csv", False), ("a.xlsx", True),
                                                ("a.dat", False), ("a", True), ("a.dat", True)])
def test_a_name_that_agrees_or_says_neither_gets_no_note(tmp_path, reader, name, workbook):
    """A CSV named .csv, a workbook named .xlsx, or a name that says no type: read by
    content without a word; a text catalogue under any name but .yaml/.yml is CSV."""
    read, rows, values, _ = READERS[reader]
    path = tmp_path / name
    path.write_bytes(_workbook(rows) if workbook else _csv(rows))
    assert _hbkit_notes(read, path) == (values, [])


def _legacy(path: Path) -> str:
    return (f"不支持旧版 .xls 文件，请另存为 .xlsx / legacy .xls workbooks are not read; "
            f"save as .xlsx: {path}")


def _markup(zh: str, en: str) -> Callable[[Path], str]:
    return lambda path: (
        f"这是{zh}，不是 Excel 工作簿或 CSV（有些系统导出的“Excel”文件其实是这种格式）：请用 Excel "
        f"打开后另存为 .xlsx / this is {en}, not an Excel workbook or CSV (some systems export "
        f"\"Excel\" files so): open it in Excel and save as .xlsx: {path}")


_HTML = _markup("网页（HTML）文件", "a web page (HTML)")
#: (file name, its bytes, the message) of each file refused with advice
REFUSED: dict[str, tuple[str, bytes, Callable[[Path], str]]] = {
    "html-xls": ("报表.xls", PAGE.encode("utf-8"), _HTML),
    "html-xlsx-bom": ("导出.xlsx", ("\ufeff" + PAGE).encode("utf-8"), _HTML),
    "html-xls-gbk": ("报表.xls", PAGE.encode("gbk"), _HTML),
    "xml-2003": ("表格.xls", XML.encode("utf-8"),
                 _markup("Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet")),
    "ole2-xls": ("old.xls", OLE2, _legacy),
    "ole2-csv": ("old.csv", OLE2, _legacy),
}


@pytest.mark.parametrize(("name", "content", "message"), REFUSED.values(), ids=list(REFUSED))
def test_a_legacy_or_markup_file_gets_the_same_advice_from_both_readers(tmp_path, name,
                                                                        content, message):
    """A catalogue file of these was "unsupported catalogue file" (.xls) or read as a workbook
    or as text (.xlsx/.csv): now the data file's error, word for word."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(hbkit.FileError) as data:
        hbkit.read_observations(path)
    with pytest.raises(CatalogueFileError) as catalogue:
        hbkit.Catalogue.from_file(path)
    for error in (data.value, catalogue.value):
        assert (str(error), error.code, error.file) == (message(path), "file-format", str(path))
        assert error.problems["rule"].tolist() == [message(path)]
    assert isinstance(catalogue.value, hbkit.CatalogueError)  # caught as before


@pytest.mark.parametrize(("name", "content", "message"), REFUSED.values(), ids=list(REFUSED))
def test_the_commands_exit_2_with_the_advice(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    for argv in (["validate", str(path), "--no-catalogue"],
                 ["validate", "example:hebei_example", "--catalogue", str(path)],
                 ["catalogue", "--file", str(path)]):
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        assert captured.err == f"hbkit: {message(path)}\n", argv
        assert "Traceback" not in captured.out


def test_the_commands_note_a_file_read_by_its_content(tmp_path, capsys):
    """The note goes to stderr as ``注意 / note``; for a catalogue beside its problems too."""
    data, good, bad = tmp_path / "数据.xlsx", tmp_path / "目录.xlsx", tmp_path / "有误.csv"
    data.write_bytes(_csv(DATA_ROWS))
    good.write_bytes(_csv(CATALOGUE_ROWS))
    bad.write_bytes(_workbook([["id", "target_year"], ["x", 2025]]))  # no kind
    for argv, notes, code in (
            (["validate", str(data), "--no-catalogue"], [_text_note(data, ".xlsx")], 0),
            (["catalogue", "--file", str(good)], [_text_note(good, ".xlsx")], 0),
            (["validate", str(data), "--catalogue", str(good)],
             [_text_note(good, ".xlsx"), _text_note(data, ".xlsx")], 0),
            (["catalogue", "--file", str(bad)], [_workbook_note(bad, ".csv")], 1)):
        assert main(argv) == code, argv
        err = capsys.readouterr().err
        for note in notes:
            assert err.count(f"注意 / note: {note}\n") == 1, argv
    assert "required-column" in err  # the problems of the workbook read under a .csv name


def test_a_json_file_given_as_a_catalogue_is_told_which_forms_a_catalogue_takes(tmp_path):
    """A JSON file (an assessment's export, say) is text, so it is read as CSV; its first row
    names no target field, and the error says a catalogue is a .yaml, .csv or .xlsx file. A
    .csv whose header is wrong gets no such advice: its form is right."""
    from hbkit.exceptions import CatalogueError

    exported = tmp_path / "assessment.json"
    exported.write_text('{"schema_version": 4, "targets": []}\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        hbkit.Catalogue.from_file(exported)
    rule = caught.value.problems["rule"].iloc[0]
    assert "目标目录须为 .yaml、.csv 或 .xlsx 文件" in rule and "a .yaml, .csv or .xlsx file" in rule
    wrong = tmp_path / "mine.csv"
    wrong.write_text("colour,size\nred,1\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        hbkit.Catalogue.from_file(wrong)
    assert ".xlsx 文件" not in caught.value.problems["rule"].iloc[0]
