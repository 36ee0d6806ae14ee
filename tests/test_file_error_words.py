"""A file hbkit cannot read says why in Chinese first, then English, in the details too.

Each case is a real bad file (a folder, a truncated workbook, a workbook whose sheet is
broken, a CSV in an encoding hbkit does not read, CSV its parser refuses, a file the system
will not read) given to :func:`hbkit.read_observations`, :meth:`hbkit.Catalogue.from_file`
and ``hbkit validate`` (as the data and as ``--catalogue``). The detail in brackets after
the file's name opens in Chinese; a library's or the system's own words (``BadZipFile``,
``Permission denied``, the CSV parser's) follow a Chinese lead-in, as they are.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

import hbkit
from hbkit.cli import main

CJK = re.compile(r"[\u4e00-\u9fff]")


def _workbook(header: list[str], row: list[object]) -> bytes:
    book = Workbook()
    book.active.append(header)
    book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _data_workbook() -> bytes:
    return _workbook(["indicator", "year", "value"], ["infant_mortality_rate", 2021, 3.1])


def _catalogue_workbook() -> bytes:
    return _workbook(["id", "kind"], ["x", "qualitative"])


def _broken_sheet(book: bytes) -> bytes:
    """The workbook with the XML of its sheet cut in half: a valid archive, a broken sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = content[:len(content) // 2]
            target.writestr(item, content)
    return out.getvalue()


def _folder(path: Path) -> None:
    path.mkdir()


def _truncated(book: Callable[[], bytes]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        data = book()
        path.write_bytes(data[:len(data) // 2])
    return write


def _sheet_broken(book: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(_broken_sheet(book()))


def _unknown_encoding(path: Path) -> None:
    """Text with bytes that are UTF-8, GBK and GB18030 all at once: none of them."""
    path.write_bytes(b"indicator,year,value\ninfant_mortality_rate,2021,3\x80\xff\n")


def _utf32(path: Path) -> None:
    path.write_bytes("indicator,year,value\ninfant_mortality_rate,2021,3.1\n".encode("utf-32"))


def _csv_refused(path: Path) -> None:
    """A quoted cell longer than Python's CSV parser takes (131072 characters)."""
    path.write_text('indicator,year,value\ninfant_mortality_rate,2021,"' + "1" * 200_000 + '"\n',
                    encoding="utf-8")


def _detail(message: str, path: Path) -> str:
    """The words in brackets after the file's name."""
    after = message.split(str(path), 1)[1]
    assert after.startswith(" (") and after.endswith(")"), message
    return after[2:-1]


def _chinese_first(text: str) -> None:
    """Chinese, then ``/`` and the English (before a library's or the system's words)."""
    zh, en = re.split(r" ?/ ", text, maxsplit=1)
    assert CJK.search(zh) and not CJK.search(en.split(": ")[0]), text


#: (id, file name, how to write it, the code and the detail of each reader: data, catalogue)
CASES: list[tuple[str, str, Callable[[Path], None], tuple[str, str], tuple[str, str]]] = [
    ("folder", "folder.csv", _folder,
     ("file-unreadable", "是文件夹，不是文件 / it is a folder, not a file"),
     ("file-unreadable", "是文件夹，不是文件 / it is a folder, not a file")),
    ("truncated-zip", "cut.xlsx", _truncated(_data_workbook),
     ("file-format", "Excel 文件已损坏 / not a valid Excel workbook: BadZipFile"),
     ("file-format", "Excel 文件已损坏 / not a valid Excel workbook: BadZipFile")),
    ("broken-sheet", "sheet.xlsx", _sheet_broken(_data_workbook),
     ("file-format", "工作表已损坏 / broken worksheet: ParseError"),
     ("file-format", "工作表已损坏 / broken worksheet: ParseError")),
    ("unknown-encoding", "latin.csv", _unknown_encoding,
     ("file-format", "不是 UTF-8、GBK 或 GB18030 编码的文本 / not text in UTF-8, GBK or GB18030"),
     ("file-format", "不是 UTF-8、GBK 或 GB18030 编码的文本 / not text in UTF-8, GBK or GB18030")),
    ("utf-32", "wide.csv", _utf32,
     ("file-format", "二进制内容（如图片、压缩包）或不支持的编码（如 UTF-32）/ binary content (such "
                     "as an image or an archive) or an encoding not read (such as UTF-32)"),
     ("file-format", "二进制内容（如图片、压缩包）或不支持的编码（如 UTF-32）/ binary content (such "
                     "as an image or an archive) or an encoding not read (such as UTF-32)")),
    ("csv-parser", "long.csv", _csv_refused,
     ("file-format", "CSV 格式错误 / not valid CSV: field larger than field limit (131072)"),
     ("file-format", "CSV 格式错误 / not valid CSV: field larger than field limit (131072)")),
]


@pytest.mark.parametrize(("name", "write", "data", "catalogue"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_bad_file_says_why_in_chinese_then_english(
        tmp_path: Path, name: str, write: Callable[[Path], None], data: tuple[str, str],
        catalogue: tuple[str, str]) -> None:
    path = tmp_path / name
    write(path)
    for read, (code, detail) in ((hbkit.read_observations, data),
                                 (hbkit.Catalogue.from_file, catalogue)):
        with pytest.raises(hbkit.FileError) as info:
            read(path)
        assert (info.value.code, info.value.file) == (code, str(path))
        assert _detail(str(info.value), path) == detail
        _chinese_first(detail)
        assert info.value.problems["rule"].tolist() == [str(info.value)]


@pytest.mark.parametrize(("name", "write", "data", "catalogue"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_hbkit_validate_prints_the_same_words_and_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
        write: Callable[[Path], None], data: tuple[str, str], catalogue: tuple[str, str]) -> None:
    """As the data and as --catalogue: exit 2, one line ``hbkit: ...`` with the detail, no
    traceback (a catalogue workbook with a broken sheet was one before)."""
    path = tmp_path / name
    write(path)
    for argv, detail in ((["validate", str(path)], data[1]),
                         (["validate", "example:hebei_example", "--catalogue", str(path)],
                          catalogue[1])):
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        assert captured.err.startswith("hbkit: ") and f"{path} ({detail})" in captured.err


def test_what_the_system_refuses_keeps_its_words_after_a_chinese_lead_in(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, targets = tmp_path / "data.csv", tmp_path / "targets.csv"
    data.write_text("indicator,year,value\ninfant_mortality_rate,2021,3.1\n", encoding="utf-8")
    targets.write_text("id,kind\nx,qualitative\n", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    for read, path in ((hbkit.read_observations, data), (hbkit.Catalogue.from_file, targets)):
        with pytest.raises(hbkit.FileError) as info:
            read(path)
        assert info.value.code == "file-unreadable"
        assert _detail(str(info.value), path) == (
            "系统无法读取 / the system could not read it: Permission denied")


def test_a_workbook_named_xlsx_that_is_text(tmp_path: Path) -> None:
    """A data file and a catalogue file are both read by their content: text under an Excel
    name is read as CSV, with a note in Chinese first (tests/test_file_content.py has more)."""
    data, targets = tmp_path / "data.xlsx", tmp_path / "targets.xlsx"
    data.write_text("indicator,year,value\ninfant_mortality_rate,2021,3.1\n", encoding="utf-8")
    targets.write_text("id,kind,target_year\nx,qualitative,2025\n", encoding="utf-8")
    with pytest.warns(hbkit.HbkitWarning, match="^文件名为 .xlsx，但内容是文本（CSV），已按 CSV 读取 / "):
        assert hbkit.read_observations(data).frame["value"].tolist() == [3.1]
    with pytest.warns(hbkit.HbkitWarning, match="^文件名为 .xlsx，但内容是文本（CSV），已按 CSV 读取 / "):
        assert [t.id for t in hbkit.Catalogue.from_file(targets)] == ["x"]


def test_a_broken_catalogue_sheet_is_a_catalogue_error_too(tmp_path: Path) -> None:
    """Code catching a CatalogueError for a catalogue file it cannot use still catches it."""
    path = tmp_path / "targets.xlsx"
    path.write_bytes(_broken_sheet(_catalogue_workbook()))
    with pytest.raises(hbkit.CatalogueError) as info:
        hbkit.Catalogue.from_file(path)
    assert isinstance(info.value, hbkit.FileError) and info.value.code == "file-format"
