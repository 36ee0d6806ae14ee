"""A total row (合计) or a mistyped indicator is never lost silently.

Read with the catalogue (``hbkit validate``, ``hbkit assess``), it is an error
that says what it is; read without one (the notebook's
``read_observations(path)`` then ``assess(obs)``), the assessment says which
rows it did not use.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
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
    message = ("3 行数据的指标不在目标目录中，未使用：under5_mortality（2行，是否应为 "
               "'under5_mortality_rate'？）、合计（1行）；读取时给出目录"
               "（hbkit.read_observations(文件, 目录)）可逐行列出 / 3 rows of indicators no target "
               "of the catalogue uses were not used: under5_mortality (2 rows; did you mean "
               "'under5_mortality_rate'?), 合计 (1 row); read "
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


def test_an_id_near_a_catalogue_indicator_without_data_is_suggested() -> None:
    """A user catalogue says ``neonatal_mortality``, the data ``neonatal_mortality_rate``: the
    target must not read just 无数据; the notice and the target's reason ask 是否应为 …？."""
    frame = pd.DataFrame({"indicator": "neonatal_mortality_rate", "geo": "河北区",
                          "year": range(2020, 2026), "value": [3.1, 3.0, 2.9, 2.8, 2.7, 2.6],
                          "unit": "per_1000"})
    catalogue = hbkit.Catalogue([
        hbkit.Target(id="C-nmr", indicator="neonatal_mortality", kind="upper_bound",
                     threshold=3.5, unit="per_1000", name_zh="新生儿死亡率",
                     name_en="Neonatal mortality rate", target_year=2030, baseline_year=2025),
        hbkit.Target(id="C-mmr", indicator="maternal_mortality_ratio", kind="upper_bound",
                     threshold=8.5, unit="per_100k", name_zh="孕产妇死亡率",
                     target_year=2030, baseline_year=2025)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", hbkit.DataWarning)
        res = hbkit.assess(hbkit.read_observations(frame), catalogue=catalogue, as_of=2025,
                           n_draws=200)
    [notice] = [n["message"] for n in res.notices]
    assert "neonatal_mortality_rate（6行，是否应为 'neonatal_mortality'？）" in notice
    assert "neonatal_mortality_rate (6 rows; did you mean 'neonatal_mortality'?)" in notice
    rows = res.to_frame().set_index("target_id")
    assert rows.loc["C-nmr", "status"] == "no_data"
    assert rows.loc["C-nmr", "reason_zh"] == (
        "无新生儿死亡率数据；数据中指标 'neonatal_mortality_rate' 的6行未使用，"
        "是否应为 'neonatal_mortality'？")
    assert rows.loc["C-nmr", "reason_en"] == (
        "no data for neonatal mortality rate; the data's 6 rows of indicator "
        "'neonatal_mortality_rate' were not used: did you mean 'neonatal_mortality'?")
    # the reason the reports show (both languages) says it too
    assert rows.loc["C-nmr", "reason"] == (
        f"{rows.loc['C-nmr', 'reason_zh']} / {rows.loc['C-nmr', 'reason_en']}")
    # a target whose id is nothing like the unused one keeps its plain reason
    assert rows.loc["C-mmr", "reason_zh"] == "无孕产妇死亡率数据"
