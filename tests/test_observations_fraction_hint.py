"""A percent typed as a fraction next to its counts: the error says what it looks like."""

from __future__ import annotations

from pathlib import Path

import pytest

import hbkit


def _problems(tmp_path: Path, value: str):
    path = tmp_path / "卫健委.csv"
    path.write_text("指标代码,地区,年份,数值,分子,分母,单位\n"
                    "immunization_coverage,河北区,2024,99.0,,,%\n"
                    f"immunization_coverage,河北区,2025,{value},341,344,%\n", encoding="utf-8")
    with pytest.raises(hbkit.DataValidationError) as err:
        hbkit.read_observations(path, hbkit.load_catalogue())
    return err.value.problems


def test_a_fraction_beside_its_counts_is_named_as_a_percent_typed_as_a_fraction(tmp_path) -> None:
    problems = _problems(tmp_path, "0.9913")  # 341/344 = 99.13%
    assert problems[["row", "column", "value", "code"]].values.tolist() == [
        [3, "数值", "0.9913", "value-disagrees"]]
    assert problems["rule"].iloc[0].endswith(
        "341/344*100 = 99.1279；像是把百分数 99.13 填成了小数 0.9913 / looks like the percent "
        "99.13 typed as the fraction 0.9913")


def test_another_disagreement_gets_no_such_hint(tmp_path) -> None:
    rule = _problems(tmp_path, "97.5")["rule"].iloc[0]
    assert rule.endswith("341/344*100 = 99.1279")
