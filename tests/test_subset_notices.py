"""A district cut from a city's assessment keeps its own notices and the call's, no other's.

A city dashboard assesses every district in one call and serves each district its
report (``Assessment.subset``). The call's notices about rows of the data (rows to
check, rows in another unit, rows of an indicator no target uses, duplicates
merged) belong to the districts whose rows they count: a district's report must
not say that another district has a row to check. Notices about the call itself
(an ``as_of`` after the last year with data) belong to every district.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import hbkit

A, B = "和平区", "河西区"
YEARS = list(range(2016, 2024))
CATALOGUE = hbkit.Catalogue([
    hbkit.Target(id="C-imr", plan="children", domain="health", indicator="imr",
                 kind="upper_bound", threshold=5.0, unit="per_1000", name_zh="婴儿死亡率"),
    hbkit.Target(id="C-cov", plan="children", domain="health", indicator="cov",
                 kind="lower_bound", threshold=90.0, unit="percent", name_zh="接种率")])


def _district(geo: str, cov: list[float]) -> pd.DataFrame:
    imr = pd.DataFrame({"indicator": "imr", "geo": geo, "year": YEARS, "unit": "per_1000",
                        "value": [6.1, 5.8, 5.6, 5.5, 5.1, 5.2, 4.9, 4.8]})
    coverage = pd.DataFrame({"indicator": "cov", "geo": geo, "year": YEARS, "unit": "percent",
                             "value": cov})
    return pd.concat([imr, coverage], ignore_index=True)


def _assess(observations: object, **options: object) -> hbkit.Assessment:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hbkit.assess(observations, catalogue=CATALOGUE,
                            **{"as_of": 2023, "n_draws": 200, **options})


COV = [95.1, 95.4, 95.2, 95.8, 96.0, 95.9, 96.3, 96.1]
#: 河西区's 2021 coverage typed as a fraction (0.959 for 95.9): a data warning of 河西区 only
FRACTION = [*COV[:5], 0.959, *COV[6:]]


@pytest.fixture(scope="module")
def city() -> dict[str, hbkit.Assessment]:
    frames = {A: _district(A, COV), B: _district(B, FRACTION)}
    # the frame is read in the call, so its "rows to check" notice is the call's; 河西区's
    # rows first, so that its data warning names the row it has in its own frame too
    together = _assess(pd.concat([frames[B], frames[A]], ignore_index=True))
    return {"together": together, **{geo: _assess(frame) for geo, frame in frames.items()}}


def test_only_the_district_with_the_data_warning_reports_it(city) -> None:
    together = city["together"]
    [notice] = together.notices
    assert notice["category"] == "DataWarning" and notice["message"].startswith("1 行需要核对")
    assert together.data_warnings_frame()["geo"].tolist() == [B]
    heping, hexi = together.subset(A), together.subset(B)
    # before: 和平区's report said "1 row to check" of 河西区's row
    assert heping.notices == () and heping.data_warnings_frame().empty
    data = json.loads(heping.to_json())
    assert data["notices"] == [] and data["data_warnings"] == []
    assert hexi.notices == together.notices
    assert [w["geo"] for w in json.loads(hexi.to_json())["data_warnings"]] == [B]


def test_each_district_cut_out_is_the_district_assessed_alone(city) -> None:
    together = city["together"]
    for geo in (A, B):
        part, alone = together.subset(geo), city[geo]
        assert part.notices == alone.notices
        assert part.to_json() == alone.to_json()
        assert part.to_markdown() == alone.to_markdown()


def _unused(n: int) -> str:
    """The notice of ``n`` total rows (合计) no target uses."""
    rows = "1 row of an indicator" if n == 1 else f"{n} rows of indicators"
    return (f"{n} 行数据的指标不在目标目录中，未使用：合计（{n}行）；读取时给出目录"
            "（hbkit.read_observations(文件, 目录)）可逐行列出 / "
            f"{rows} no target of the catalogue uses {'was' if n == 1 else 'were'} not used: "
            f"合计 ({n} row{'' if n == 1 else 's'}); read the file with the catalogue "
            "(hbkit.read_observations(path, catalogue)) to list them row by row")


def test_rows_notices_are_worded_for_the_district_and_call_notices_kept_by_all() -> None:
    """Read without a catalogue, the rows of 和平区 and 河西区 carry 2 and 1 total rows (合计)
    and 河西区 one imr row per 10,000 (the target's unit is per 1,000): the call counts 3
    unused rows and 1 row in another unit; 和平区's report says its 2 unused rows,
    河西区's its 1 and its row in another unit. The as_of after the data is the call's,
    said to both."""
    def totals(geo: str, years: list[int]) -> pd.DataFrame:
        return pd.DataFrame({"indicator": "合计", "geo": geo, "year": years, "value": 100.0,
                             "unit": "none"})

    other_unit = pd.DataFrame({"indicator": "imr", "geo": [B], "year": [2015],
                               "value": [63.0], "unit": ["per_10k"]})
    frames = {A: pd.concat([_district(A, COV), totals(A, [2022, 2023])], ignore_index=True),
              B: pd.concat([_district(B, COV), totals(B, [2023]), other_unit],
                           ignore_index=True)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = {geo: hbkit.read_observations(frame) for geo, frame in frames.items()}
        both = hbkit.read_observations(pd.concat([frames[B], frames[A]], ignore_index=True))
    together = _assess(both, as_of=2024)
    alone = {geo: _assess(obs, as_of=2024) for geo, obs in read.items()}
    messages = [n["message"] for n in together.notices]
    assert messages[0].startswith("监测年份2024年晚于数据的最后年份2023年")
    assert messages[1:] == [_unused(3), "1 行 imr 的单位为 per_10k，目标单位为 per_1000，未使用 / "
                            "1 rows of imr in unit per_10k (the target's unit is per_1000) "
                            "were not used"]
    heping, hexi = together.subset(A), together.subset(B)
    assert [n["message"] for n in heping.notices] == [messages[0], _unused(2)]
    assert [n["message"] for n in hexi.notices] == [messages[0], _unused(1), messages[2]]
    for geo, part in ((A, heping), (B, hexi)):
        assert part.notices == alone[geo].notices, geo
        assert part.to_json() == alone[geo].to_json(), geo
    # a district cut from a district's cut is itself
    assert hexi.subset(B).notices == hexi.notices


def test_merged_duplicates_are_counted_district_by_district() -> None:
    """和平区 sends two rows twice, 河西区 one: the call merged 3, each district its own."""
    def twice(geo: str, n: int) -> pd.DataFrame:
        frame = _district(geo, COV)
        return pd.concat([frame, frame.iloc[:n]], ignore_index=True)

    together = _assess(pd.concat([twice(A, 2), twice(B, 1)], ignore_index=True))
    merged = "合并了 {n} 行完全相同的重复数据 / merged {rows} (listed in .excluded)"
    assert [n["message"] for n in together.notices] == [
        merged.format(n=3, rows="3 identical duplicate rows")]
    assert [n["message"] for n in together.subset(A).notices] == [
        merged.format(n=2, rows="2 identical duplicate rows")]
    assert [n["message"] for n in together.subset(B).notices] == [
        merged.format(n=1, rows="1 identical duplicate row")]
    assert together.subset(B).notices == _assess(twice(B, 1)).notices


def test_rows_of_each_area_are_those_in_area_selects():
    """Grouping the rows once (what makes a call over thousands of areas fast) finds,
    for every area, exactly the rows ``in_area`` selects: its own and its sub-units',
    not an area whose name merely starts with it (``和平区二``), and no row without an area."""
    import numpy as np

    from hbkit.assessment.area import in_area, rows_by_area

    rng = np.random.default_rng(7)
    names = np.array([A, B, f"{A}/劝业场街道", f"{B}/a街道/b社区", "和平区二", "和平区二/c街道",
                      None, ""], dtype=object)
    geos = names[rng.integers(0, len(names), 400)]
    areas = [A, B, "和平区二", f"{B}/a街道", "南开区"]
    found = rows_by_area(geos, areas)
    expected = {area: np.flatnonzero(in_area(geos, area)) for area in areas}
    assert list(found) == [area for area in areas if len(expected[area])]
    for area, positions in found.items():
        assert positions.tolist() == expected[area].tolist()
    assert "南开区" not in found
