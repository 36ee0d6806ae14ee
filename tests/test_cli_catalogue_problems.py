"""A catalogue's problems on the command line: one table, as ``hbkit validate`` prints the data's."""

from __future__ import annotations

import re

import pandas as pd

from hbkit.cli import main


def test_catalogue_problems_print_as_a_table_with_row_column_and_value(tmp_path, capsys) -> None:
    rows = [{"目标编号": "W-cervical-2030", "规划": "妇女", "领域": "卫生", "指标编号": "cervical_cancer_screening_rate",
             "目标类型": "达到", "目标值": 80, "单位": "%", "期望方向": "提高", "目标年份": 2030},
            {"目标编号": "W-exercise-2030", "规划": "妇女", "领域": "健康", "指标编号": "female_regular_exercise_share",
             "目标类型": "不低于", "目标值": "50%", "单位": "%", "目标年份": 2030}]
    path = tmp_path / "新规划.xlsx"
    pd.DataFrame(rows).to_excel(path, index=False)
    assert main(["catalogue", "--file", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "目标目录有误：共 2 个 / invalid catalogue: 2 in all"
    assert re.split(r"\s{2,}", lines[1].strip()) == [
        "文件 File", "行号 Row", "列 Column", "收到的值 Value", "规则 Rule", "规则代码 Code"]
    cells = [re.split(r"\s{2,}", line.strip()) for line in lines[3:]]
    assert [(c[1], c[2], c[3], c[-1]) for c in cells] == [
        ("2", "领域", "卫生", "literal_error"), ("3", "目标值", "50%", "float_parsing")]
    assert cells[0][4].startswith("须为下列取值之一 / must be one of: health（健康）")
    assert cells[1][4] == "须为数字（不带单位） / must be a number (without its unit)"
    assert "file='" not in "\n".join(lines)
