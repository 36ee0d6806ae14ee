"""``hbkit catalogue`` on the command line: writing errors, contradictory options, notes."""

from __future__ import annotations

from hbkit.catalogue.catalogue import Catalogue
from hbkit.catalogue.models import Target
from hbkit.cli import main


def _children_only(path):  # type: ignore[no-untyped-def]
    Catalogue([Target(id="C-education-c", plan="children", domain="education", indicator="ger",
                      kind="lower_bound", threshold=98, unit="percent", bounded=False)]
              ).to_file(path)
    return path


def test_output_that_cannot_be_written(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for target in (blocker / "x.yaml", tmp_path / "newdir2" / "x.csv"):
        assert main(["catalogue", "--output", str(target)]) == 2
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert f"无法写入文件 / cannot write {target}" in captured.err


def test_format_contradicting_the_output_suffix_is_refused(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "c.yaml"
    assert main(["catalogue", "--format", "csv", "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--format csv" in err and "c.yaml" in err and err.index("矛盾") < err.index("contradicts")
    assert not out.exists()
    assert main(["catalogue", "--format", "yaml", "--output", str(out)]) == 0
    assert out.exists()


def test_empty_filter_names_the_plans_present(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _children_only(tmp_path / "cat.xlsx")
    assert main(["catalogue", "--file", str(path), "--plan", "women"]) == 0
    captured = capsys.readouterr()
    assert "共 0 个目标" in captured.out
    assert "注意" in captured.err and "规划: children" in captured.err
    assert "plan: children" in captured.err


def test_table_is_chinese_first(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["catalogue", "--plan", "women", "--kind", "upper_bound"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["编号/id", "类型/kind", "目标值/threshold", "单位/unit", "名称/name"]
    assert "不高于/upper_bound" in lines[2]


def test_duplicate_id_in_the_same_table_as_field_errors(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "badcat.yaml"
    path.write_text(
        "targets:\n"
        "  - {id: a, indicator: x, kind: upper_bound, threshold: 5, unit: percent, target_year: 2030}\n"
        "  - {id: b, indicator: x, kind: upper_bound, unit: percent, target_year: 2030}\n"
        "  - {id: a, indicator: y, kind: lower_bound, unit: percent, target_year: 2030}\n"
        "  - {id: c, indicator: z, kind: bogus, target_year: 2030}\n", encoding="utf-8")
    assert main(["catalogue", "--file", str(path)]) == 1
    err = capsys.readouterr().err
    assert "共 4 个" in err
    assert "unique-id" in err and "threshold-required" in err and "literal_error" in err


def test_xlsx_without_a_targets_sheet_names_the_sheet_read(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "说明"
    book.active.append(["这是说明", "不是目标"])
    book.create_sheet("目标")
    path = tmp_path / "cat.xlsx"
    book.save(path)
    assert main(["catalogue", "--file", str(path)]) == 1
    err = capsys.readouterr().err
    assert "names no target field" in err
    assert "no 'targets' sheet" in err and "'说明'" in err and "说明, 目标" in err
