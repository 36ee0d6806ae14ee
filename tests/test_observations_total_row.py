"""A total row (合计) or a mistyped indicator is never lost silently.

Read with the catalogue (``hbkit validate``, ``hbkit assess``), it is an error
that says what it is; read without one (the notebook's
``read_observations(path)`` then ``assess(obs)``), the assessment says which
rows it did not use.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import hbkit


def _department_file(tmp_path: Path) -> Path:
    path = tmp_path / "卫健委.csv"
    path.write_text("指标代码,地区,年份,数值,单位\n"
                    "immunization_coverage,河北区,2024,99.1,%\n"
                    "immunization_coverage,河北区,2025,99.3,%\n"
                    "under5_mortality,河北区,2024,3.1,‰\n"
                    "under5_mortality,河北区,2025,3.0,‰\n"
                    "合计,,2025,198.4,\n", encoding="utf-8")
    return path


def test_a_total_row_is_reported_as_one_to_delete(tmp_path: Path) -> None:
    with pytest.raises(hbkit.DataValidationError) as err:
        hbkit.read_observations(_department_file(tmp_path), hbkit.load_catalogue())
    problems = err.value.problems
    total = problems[problems["value"] == "合计"]
    assert total[["row", "code"]].values.tolist() == [[6, "unknown-indicator"]]
    assert total["rule"].iloc[0].endswith(
        "这是合计行，不是指标：请删除该行（hbkit 不使用合计） / a total row, not an indicator: "
        "delete the row")


def test_rows_no_target_uses_are_named_by_the_assessment(tmp_path: Path) -> None:
    obs = hbkit.read_observations(_department_file(tmp_path))  # no catalogue: any indicator
    assert len(obs.frame) == 5
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = hbkit.assess(obs, as_of=2025, n_draws=200)
    message = ("3 行数据的指标不在目标目录中，未使用：under5_mortality（2行）、合计（1行）；读取时给出目录"
               "（hbkit.read_observations(文件, 目录)）可逐行列出 / 3 rows of indicators no target "
               "of the catalogue uses were not used: under5_mortality (2 rows), 合计 (1 row); read "
               "the file with the catalogue (hbkit.read_observations(path, catalogue)) to list "
               "them row by row")
    assert [n["message"] for n in res.notices] == [message]
    assert [str(w.message) for w in caught if issubclass(w.category, hbkit.DataWarning)] == [message]


def test_no_notice_when_every_indicator_has_a_target(tmp_path: Path) -> None:
    path = tmp_path / "卫健委.csv"
    path.write_text("指标代码,地区,年份,数值,单位\nimmunization_coverage,河北区,2025,99.3,%\n",
                    encoding="utf-8")
    res = hbkit.assess(hbkit.read_observations(path), as_of=2025, n_draws=200)
    assert res.notices == ()
