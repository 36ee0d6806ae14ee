"""Reports built in memory, as a web service needs them: no path, no temporary file."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import openpyxl
import pytest

import hbkit
from hbkit.datasets import load_example
from hbkit.exceptions import HbkitError


@pytest.fixture(scope="module")
def pair() -> tuple[hbkit.Assessment, hbkit.Assessment]:
    """This year's and last year's assessment of a few targets (some street-level, so
    the workbook has its street sheet too)."""
    example = load_example("hebei_example")
    cat = example.catalogue.filter(plan="children", domain="health")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
        now = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)
        before = hbkit.assess(obs, catalogue=cat, as_of=2022, n_draws=200)
    return now, before


class _ResponseBody:
    """A write-only binary sink, as a web framework's response body: no seek, no read."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        assert isinstance(data, bytes)
        self.parts.append(data)
        return len(data)


def _cells(book: openpyxl.Workbook) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cells: value, number format and fill, row by row."""
    return {sheet.title: [tuple((c.value, c.number_format, c.fill.fgColor.rgb) for c in row)
                          for row in sheet.iter_rows()]
            for sheet in book.worksheets}


def test_html_in_memory_is_the_file_byte_for_byte_charts_inline(pair, tmp_path: Path) -> None:
    """``to_html`` took a path only: a service had to write a temporary file and read it
    back. Now a BytesIO gets the file's bytes, a StringIO its text, no path the text."""
    now, before = pair
    written = now.to_html(tmp_path / "sub" / "report.html", previous=before)
    assert written == tmp_path / "sub" / "report.html"  # a path caller still gets its Path
    on_disk = written.read_bytes()

    body, text_stream = io.BytesIO(), io.StringIO()
    body.write(b"prefix:")
    assert now.to_html(body, previous=before) is None
    assert now.to_html(text_stream, previous=before) is None
    returned = now.to_html(previous=before)

    assert body.getvalue() == b"prefix:" + on_disk  # appended where the stream stood
    assert text_stream.getvalue() == returned == on_disk.decode("utf-8")
    assert not body.closed and not text_stream.closed
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["report.html"]
    # the charts travel inside the page: every image is a data URI, no file beside it
    sources = re.findall(r'<img[^>]*\bsrc="([^"]*)"', returned)
    assert len(sources) > 5
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    assert "与2022年监测相比" in returned
    english = io.BytesIO()
    now.to_html(english, lang="en", charts=False)
    assert english.getvalue().decode("utf-8") == now.to_html(lang="en", charts=False)


def test_excel_in_memory_has_the_cells_of_the_file(pair, tmp_path: Path) -> None:
    """``to_excel`` took a path only. Now a BytesIO (or a write-only response body) gets
    the workbook, ``None`` returns its bytes; every cell, format and fill is the file's."""
    now, before = pair
    written = now.to_excel(tmp_path / "report.xlsx", previous=before)
    assert written == tmp_path / "report.xlsx"
    from_file = _cells(openpyxl.load_workbook(written))
    assert "与上年相比" in from_file and "汇总" in from_file

    body = io.BytesIO()
    assert now.to_excel(body, previous=before) is None
    body.seek(0)
    assert _cells(openpyxl.load_workbook(body)) == from_file

    sink = _ResponseBody()
    assert now.to_excel(sink, previous=before) is None
    assert _cells(openpyxl.load_workbook(io.BytesIO(b"".join(sink.parts)))) == from_file

    data = now.to_excel(previous=before)
    assert isinstance(data, bytes) and data[:2] == b"PK"
    assert _cells(openpyxl.load_workbook(io.BytesIO(data))) == from_file
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_a_workbook_into_a_text_stream_is_refused_in_both_languages(pair) -> None:
    now, _ = pair
    with pytest.raises(HbkitError, match="二进制.*binary file-like.*StringIO"):
        now.to_excel(io.StringIO())
    with pytest.raises(HbkitError, match="文件路径.*file path.*received 42"):
        now.to_html(42, charts=False)  # type: ignore[call-overload]


def test_a_path_caller_s_type_checker_still_sees_a_path() -> None:
    """One overload per destination: a path gives ``Path`` (as before), no path the
    report itself, a file-like object ``None``; for the methods and ``hbkit.report``."""
    import typing

    from hbkit import report

    for method, itself in ((hbkit.Assessment.to_html, str), (hbkit.Assessment.to_excel, bytes),
                           (report.write_html, str), (report.write_excel, bytes)):
        hints = [typing.get_type_hints(o) for o in typing.get_overloads(method)]
        assert [h["return"] for h in hints] == [Path, itself, type(None)]
        assert [str(h["path"]) for h in hints][:2] == ["str | os.PathLike[str]",
                                                      "<class 'NoneType'>"]
        assert "typing.IO" in str(hints[2]["path"])
