"""The command line's two uniform rules: ``example:NAME`` wherever data or a catalogue is
read, and one way of printing warnings (``hbkit.cli.notes``)."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest
from test_report_cases import small_inputs

from hbkit.cli import main
from hbkit.cli.notes import MAX_NOTES_PER_LIBRARY, hbkit_warnings, warnings_as_notes
from hbkit.datasets import load_example
from hbkit.exceptions import HbkitWarning

#: what openpyxl says of a workbook saved by Excel or WPS with a drop-down list
#: (an x14 data validation) and conditional formatting it cannot keep
OPENPYXL_NOTES = (
    "注意（openpyxl）/ note (openpyxl): Data Validation extension is not supported and will be removed",
    "注意（openpyxl）/ note (openpyxl): Conditional Formatting extension is not supported and will "
    "be removed",
)
#: the extensions Excel writes at the end of a worksheet for those
EXTENSIONS = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Sheet2!$A$1:$A$3</xm:f>'
    '</x14:formula1><xm:sqref>B2:B100</xm:sqref></x14:dataValidation></x14:dataValidations></ext>'
    '<ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:conditionalFormattings/></ext></extLst>'
)


def saved_by_excel(plain: Path, out: Path) -> Path:
    """``plain`` (an openpyxl workbook) with Excel's data-validation and conditional-
    formatting extensions in its first worksheet, as a workbook saved by Excel or WPS."""
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", EXTENSIONS.encode() + b"</worksheet>")
            target.writestr(item, data)
    return out


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small data and catalogue workbooks, each plain and as saved by Excel (``excel_*``)."""
    plain, excel = tmp_path_factory.mktemp("plain"), tmp_path_factory.mktemp("excel")
    observations, catalogue = small_inputs()
    paths = {"data": plain / "obs.xlsx", "catalogue": plain / "targets.xlsx"}
    observations.to_excel(paths["data"], index=False)
    catalogue.to_file(paths["catalogue"])
    for name, path in list(paths.items()):
        paths[f"excel_{name}"] = saved_by_excel(path, excel / path.name)
    return paths


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- example:NAME ---------------------------------------------------------------------


def test_validate_accepts_a_shipped_example(capsys) -> None:  # type: ignore[no-untyped-def]
    rows = len(load_example("hebei_example").observations)
    code, out, err = run(["validate", "example:hebei_example"], capsys)
    assert code == 0, err
    assert "没有发现问题 / no problems: example:hebei_example" in out
    assert f"rows read {rows}, used {rows}, excluded 0" in out
    assert err == ""


def test_validate_example_leaves_out_what_its_catalogue_does_not_judge(capsys) -> None:  # type: ignore[no-untyped-def]
    """As ``hbkit assess example:china`` reads it: the rows of indicators no target uses
    are left out and counted in a note, not reported as problems."""
    example = load_example("china")
    total, judged = len(example.observations), len(example.targeted())
    code, out, err = run(["validate", "example:china"], capsys)
    assert code == 0, err
    assert f"rows read {total}, used {judged}, excluded {total - judged}" in out
    assert f"注意 / note: 示例 'china' 中{total - judged}行的指标不在目标目录中，未使用" in err
    assert "已排除的行" not in out  # counted in the note, not listed row by row


def test_validate_example_without_a_catalogue_is_checked_without_one(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(["validate", "example:igme2021"], capsys)
    assert code == 0, err
    assert "示例 'igme2021' 没有目标目录，不对照目录检查" in err
    assert "example:igme2021" in out


@pytest.mark.parametrize("args", [
    ["assess", "example:nope", "--out", "{tmp}"],
    ["validate", "example:nope"],
    ["backtest", "example:nope"],
    ["validate", "example:hebei_example", "--catalogue", "example:nope"],
    ["assess", "example:hebei_example", "--catalogue", "example:nope", "--out", "{tmp}"],
    ["template", "--years", "2021-2025", "--catalogue", "example:nope", "{tmp}/t.xlsx"],
    ["catalogue", "--file", "example:nope"],
])
def test_an_unknown_example_is_the_same_usage_error_everywhere(args, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run([a.replace("{tmp}", str(tmp_path)) for a in args], capsys)
    assert code == 2
    assert err == ("hbkit: 未知示例 / unknown example 'nope'; available: china, dtp3, hebei_example, "
                   "hebei_example_final, igme2021\n")
    assert out == ""


def test_catalogue_file_may_name_an_example(capsys) -> None:  # type: ignore[no-untyped-def]
    count = len(load_example("china").catalogue)
    code, out, err = run(["catalogue", "--file", "example:china"], capsys)
    assert code == 0, err
    assert out.endswith(f"共 {count} 个目标 / {count} targets\n")
    code, out, err = run(["catalogue", "--file", "example:dtp3"], capsys)
    assert (code, err) == (2, "hbkit: 示例 'dtp3' 没有目标目录 / the example 'dtp3' has no catalogue\n")


def test_help_says_example_is_accepted() -> None:
    """Every argument naming data or a catalogue file says, in both languages, that
    example:NAME is accepted."""
    import argparse
    import re

    from hbkit.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for command, dest in (("validate", "file"), ("assess", "data"), ("backtest", "data"),
                          ("validate", "catalogue"), ("assess", "catalogue"),
                          ("template", "catalogue"), ("catalogue", "file")):
        action = next(a for a in commands[command]._actions if a.dest == dest)
        chinese, english = re.split(r"\s?/ ", str(action.help), maxsplit=1)
        assert "example:NAME" in english and "示例" in chinese, (command, dest, action.help)


# --- other libraries' warnings ----------------------------------------------------------


def assert_noted_once(err: str) -> None:
    for note in OPENPYXL_NOTES:
        assert err.count(note) == 1, err
    assert "UserWarning" not in err and "Traceback" not in err and "_reader.py" not in err


VALIDATE = ["validate", "{data}", "--catalogue", "{catalogue}"]
ASSESS = ["assess", "{data}", "--catalogue", "{catalogue}", "--out", "{tmp}", "--as-of", "2022"]
TEMPLATE = ["template", "--years", "2021-2022", "--catalogue", "{catalogue}", "{tmp}/t.xlsx"]
CATALOGUE = ["catalogue", "--file", "{catalogue}"]


@pytest.mark.parametrize(("command", "saved"), [
    (VALIDATE, "data"), (ASSESS, "data"),
    (VALIDATE, "catalogue"), (ASSESS, "catalogue"), (TEMPLATE, "catalogue"), (CATALOGUE, "catalogue"),
], ids=["validate-data", "assess-data", "validate-catalogue", "assess-catalogue",
        "template-catalogue", "catalogue-file"])
def test_an_openpyxl_warning_is_one_note_and_changes_no_exit_code(
        command, saved, workbooks, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A workbook saved by Excel with a drop-down list, as the data or as the catalogue:
    openpyxl's warning is printed once as a note naming openpyxl, on stderr; the exit
    code and the output are those of the same workbook without it."""

    def args(excel: bool) -> list[str]:
        names = {"{data}": workbooks["excel_data" if excel and saved == "data" else "data"],
                 "{catalogue}": workbooks["excel_catalogue" if excel and saved == "catalogue"
                                          else "catalogue"],
                 "{tmp}": tmp_path / ("excel" if excel else "plain")}
        out = []
        for arg in command:
            for key, value in names.items():
                arg = arg.replace(key, str(value))
            out.append(arg)
        return out

    (tmp_path / "plain").mkdir()
    (tmp_path / "excel").mkdir()
    code, out, err = run(args(excel=False), capsys)
    assert "note (openpyxl)" not in err
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as python -W error: never an error on the command line
        excel_code, excel_out, excel_err = run(args(excel=True), capsys)
    assert excel_code == code, excel_err
    assert_noted_once(excel_err)
    assert excel_out.replace("excel", "plain") == out  # the same workbooks, in folders so named


def test_a_reader_warning_is_printed_once_by_validate(workbooks, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """pandas warning three times while the data are read (a patched reader) is one note."""
    import hbkit.observations as observations

    read = observations.read_observations

    def warning_reader(*args, **kwargs):  # type: ignore[no-untyped-def]
        for _ in range(3):
            library_warns("pandas.io.parsers", "Columns (3) have mixed types", 3)
        return read(*args, **kwargs)

    monkeypatch.setattr(observations, "read_observations", warning_reader)
    code, out, err = run(["validate", str(workbooks["data"])], capsys)
    assert code == 0, err
    assert err == "注意（pandas）/ note (pandas): Columns (3) have mixed types\n"


def library_warns(module: str, message: str, stacklevel: int = 1) -> None:
    """Warn from code whose module is ``module``, as that library would."""
    namespace = {"__name__": module, "warnings": warnings}
    exec(f"def warn(m):\n    warnings.warn(m, UserWarning, stacklevel={stacklevel})", namespace)
    namespace["warn"](message)


def test_a_library_is_named_even_when_it_blames_its_caller(capsys) -> None:  # type: ignore[no-untyped-def]
    """matplotlib and pandas warn with the caller's line (``stacklevel``): the note still
    names the library whose code warned."""
    with warnings_as_notes():
        library_warns("matplotlib._api", "Glyph 27827 missing from font(s) DejaVu Sans.", 2)
        library_warns("pandas.io.parsers", "Columns (3) have mixed types.", 3)
    assert capsys.readouterr().err.splitlines() == [
        "注意（matplotlib）/ note (matplotlib): Glyph 27827 missing from font(s) DejaVu Sans.",
        "注意（pandas）/ note (pandas): Columns (3) have mixed types.",
    ]


def test_many_distinct_messages_of_one_library_are_counted(capsys) -> None:  # type: ignore[no-untyped-def]
    """A chart drawn without a Chinese font warns once per missing character: the first
    messages are printed, the others counted in one closing line."""
    extra = 3
    with warnings_as_notes(), hbkit_warnings() as caught:
        for glyph in range(MAX_NOTES_PER_LIBRARY + extra):
            for _ in range(2):
                library_warns("matplotlib._api", f"Glyph {glyph} missing from font(s) DejaVu Sans.")
        warnings.warn("说明 / a note", HbkitWarning, stacklevel=1)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        *(f"注意（matplotlib）/ note (matplotlib): Glyph {glyph} missing from font(s) DejaVu Sans."
          for glyph in range(MAX_NOTES_PER_LIBRARY)),
        f"注意（matplotlib）：另有 {extra} 条不同的提示未列出 / note (matplotlib): {extra} more "
        "distinct messages not shown",
    ]
    assert [str(w.message) for w in caught] == ["说明 / a note"]  # hbkit's: for the command


def test_an_hbkit_warning_no_command_collects_is_a_note(capsys) -> None:  # type: ignore[no-untyped-def]
    with warnings_as_notes():
        for _ in range(2):
            warnings.warn("说明 / a note", HbkitWarning, stacklevel=1)
        warnings.warn("old API", DeprecationWarning, stacklevel=1)  # for programmers: hidden, as Python does
    assert capsys.readouterr().err == "注意 / note: 说明 / a note\n"
