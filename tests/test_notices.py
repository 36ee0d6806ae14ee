"""What an assessment says besides its results is kept with it, per call, thread by thread."""

from __future__ import annotations

import json
import warnings
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

import hbkit
from hbkit.exceptions import HbkitWarning

CATALOGUE = hbkit.Catalogue([hbkit.Target(
    id="C-health-imr", indicator="imr", kind="upper_bound", threshold=5.0, unit="per_1000",
    name_zh="婴儿死亡率")])


def district(geo: str) -> pd.DataFrame:
    return pd.DataFrame({"indicator": "imr", "geo": geo, "year": range(2016, 2024),
                         "value": [6.1, 5.8, 5.6, 5.5, 5.1, 5.2, 4.9, 4.8], "unit": "per_1000"})


def test_a_late_as_of_is_kept_with_the_result_and_its_reports() -> None:
    with pytest.warns(HbkitWarning, match="as_of 2024 is after the last year"):
        res = hbkit.assess(district("和平区"), catalogue=CATALOGUE, as_of=2024, n_draws=200)
    assert [n["category"] for n in res.notices] == ["HbkitWarning"]
    assert "监测年份2024年晚于数据的最后年份2023年" in res.notices[0]["message"]
    assert json.loads(res.to_json())["notices"] == [dict(n) for n in res.notices]
    assert "> 监测年份2024年晚于数据的最后年份2023年" in res.to_markdown()
    assert "as_of 2024 is after the last year" in res.to_markdown(lang="en")


def test_a_call_without_notices_has_none() -> None:
    res = hbkit.assess(district("和平区"), catalogue=CATALOGUE, n_draws=200)
    assert res.notices == () and json.loads(res.to_json())["notices"] == []


def test_no_value_at_all_is_said() -> None:
    empty = pd.DataFrame(columns=["indicator", "geo", "year", "value"])
    with pytest.warns(HbkitWarning, match="no observation with a value"):
        res = hbkit.assess(empty, catalogue=CATALOGUE, n_draws=200)
    assert "没有任何有数值的观测" in res.notices[0]["message"]
    assert set(res.to_frame()["status"]) == {"no_data"}


def test_concurrent_calls_keep_their_own_notices() -> None:
    """Python's warnings are one per process: a host assessing districts in threads could
    not tell whose a warning was. Each result carries its own call's notices."""
    def run(i: int) -> tuple[int, int]:
        late = i % 2 == 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = hbkit.assess(district(f"区{i}"), catalogue=CATALOGUE,
                               as_of=2025 if late else 2023, n_draws=200)
        return int(late), len(res.notices)

    with ThreadPoolExecutor(max_workers=4) as pool:
        seen = list(pool.map(run, range(16)))
    assert seen == [(i, i) for i, _ in seen] and {late for late, _ in seen} == {0, 1}


def test_notices_that_point_at_library_attributes_stay_out_of_the_report() -> None:
    twice = pd.concat([district("和平区"), district("和平区").iloc[:1]], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = hbkit.assess(twice, catalogue=CATALOGUE, n_draws=200)
    assert any("listed in .excluded" in n["message"] for n in res.notices)
    assert "合并了" not in res.to_markdown()
