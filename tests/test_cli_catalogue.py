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
    assert lines[0].split() == ["编号/id", "类型/kind", "目标值/threshold", "严格不等/strict",
                                "单位/unit", "目标年份/target", "基期年份/base", "名称/name"]
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


def _own_xlsx(path, rows):  # type: ignore[no-untyped-def]
    """A user's catalogue with Chinese headers and words (empty cells: left blank)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["目标编号", "规划", "领域", "中文名称", "指标编号", "目标类型", "目标值", "单位",
                        "期望方向", "目标年份", "基期年份", "分单位达标"])
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_cli_lists_the_years_and_notes_the_filled_row(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _own_xlsx(tmp_path / "mine.xlsx", [
        ["C-imr", "儿童", "健康", "婴儿死亡率", "imr", "不高于", 3, "‰", None, 2030, None, None],
        ["C-fitness", "儿童", "健康", "体质达标率", "fitness", "不低于", 60, "%", None, None, None, None],
        ["C-dir", "儿童", "健康", "某比例", "dir", "direction", None, "%", "提高", 2030, 2024, None],
    ])
    assert main(["catalogue", "--file", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("注意 / note: 目标目录")
    assert "第 3 行的目标年份（列“目标年份”）为空，已按其他各行取 2030 年" in captured.err
    lines = captured.out.splitlines()
    assert lines[0].split()[5:7] == ["目标年份/target", "基期年份/base"]
    years = {line.split()[0]: [w for w in line.split() if len(w) == 4 and w.isdigit()]
             for line in lines[2:-1]}
    assert years == {"C-imr": ["2030", "2025"], "C-fitness": ["2030", "2025"],
                     "C-dir": ["2030", "2024"]}


def test_cli_shows_whether_each_target_is_strict(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """高于 is strict (>), 以上 is not (>=): the 严格不等 column of a user's file, written 是/否,
    true or left blank, is shown as read, so the analyst can check it. A direction target
    (always judged strictly) and a qualitative one (never judged) show no strictness."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["目标编号", "规划", "领域", "中文名称", "指标编号", "目标类型", "目标值", "单位",
                        "期望方向", "目标年份", "基期年份", "严格不等"])
    for row in (["C-above", "儿童", "健康", "接种率高于95%", "vacc", "不低于", 95, "%", None, 2030, None, "是"],
                ["C-below", "儿童", "健康", "死亡率低于3‰", "imr", "不高于", 3, "‰", None, 2030, None, "true"],
                ["C-at-least", "儿童", "健康", "筛查率90%以上", "screen", "不低于", 90, "%", None, 2030, None, "否"],
                ["C-blank", "儿童", "健康", "覆盖率80%以上", "cover", "不低于", 80, "%", None, 2030, None, None],
                ["C-dir", "儿童", "健康", "某比例提高", "dir", "变化方向", None, "%", "提高", 2030, 2025, None],
                ["C-words", "儿童", "健康", "定性目标", None, "定性", None, None, None, 2030, None, None]):
        book.active.append(row)
    path = tmp_path / "mine.xlsx"
    book.save(path)
    assert main(["catalogue", "--file", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split()
    assert header[2:4] == ["目标值/threshold", "严格不等/strict"]
    strict = {cells[0]: cells[3] for cells in _cells(lines)}
    assert strict == {"C-above": "是/true", "C-below": "是/true", "C-at-least": "否/false",
                      "C-blank": "否/false", "C-dir": "", "C-words": ""}


def _cells(lines: list[str]) -> list[list[str]]:
    """The cells of the table's rows, cut at the dashes under each header (a Chinese
    character takes two columns of the terminal, as the table aligns them)."""
    import re
    import unicodedata

    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
    rows = []
    for line in lines[2:-1]:
        columns: list[str] = []
        for ch in line:
            columns += [ch, ""] if unicodedata.east_asian_width(ch) in ("W", "F") else [ch]
        rows.append(["".join(columns[a:b]).strip() for a, b in spans])
    return rows
