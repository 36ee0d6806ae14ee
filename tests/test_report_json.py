"""The JSON export: ``Assessment.to_dict()``, ``to_json()`` and ``hbkit assess --json``.

The JSON must be strict (no NaN/Infinity tokens, which JavaScript's
``JSON.parse`` refuses), plain (no numpy scalars), literal in Chinese, and
faithful to the tables it comes from: each number equals the frame's value, and
is ``null`` exactly where the frame has NaN.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_report_cases import small_assessment, small_final_assessment, small_inputs

import hbkit
from hbkit.cli import main
from hbkit.report.json_export import SCHEMA_VERSION, plain, records
from hbkit.status import STATUS_LABELS, STATUS_VARIANTS

TOP_FIELDS = {"schema_version", "generated_by", "as_of", "final", "levels", "simulated",
              "sources", "seed", "n_draws", "catalogue", "summary", "summary_by_geo", "targets",
              "warnings", "units", "data_warnings", "notices", "infinite"}


@pytest.fixture(scope="module")
def result() -> hbkit.Assessment:
    return small_assessment()


def _refuse_constant(token: str) -> Any:
    raise ValueError(f"non-standard JSON token {token}")


def strict_loads(text: str) -> Any:
    """``json.loads`` that refuses NaN, Infinity and -Infinity."""
    return json.loads(text, parse_constant=_refuse_constant)


def _walk(value: Any, where: str = "$") -> list[str]:
    """Paths of every value of a non-plain type (numpy scalars, NaN, tuples...)."""
    if isinstance(value, dict):
        return [bad for key, item in value.items()
                for bad in ([f"{where} key {key!r}"] if type(key) is not str else [])
                + _walk(item, f"{where}.{key}")]
    if isinstance(value, list):
        return [bad for i, item in enumerate(value) for bad in _walk(item, f"{where}[{i}]")]
    if type(value) is float and not math.isfinite(value):
        return [f"{where}: {value!r}"]
    if value is None or type(value) in (str, int, float, bool):
        return []
    return [f"{where}: {type(value).__name__}"]


def _numeric_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns
            if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]


def _assert_faithful(rows: list[dict[str, Any]], frame: pd.DataFrame) -> int:
    """Every numeric cell of ``frame`` equals its JSON value, null exactly where NaN.

    Returns how many null cells were checked (so a caller can insist some were).
    """
    assert len(rows) == len(frame)
    assert [list(row) for row in rows] == [list(frame.columns)] * len(frame)
    nulls = 0
    for i, row in enumerate(rows):
        for column in _numeric_columns(frame):
            cell, got = frame[column].iloc[i], row[column]
            if pd.isna(cell):
                assert got is None, (i, column, got)
                nulls += 1
            else:
                assert got is not None, (i, column, cell)
                assert type(got) in (int, float), (i, column, type(got))
                # equal, or the float32 a projection was computed in, written as its shortest
                # decimal (84.64, not 84.63999938964844): the same float32
                assert got == float(cell) or np.float32(got) == np.float32(cell), (
                    i, column, got, cell)
    return nulls


def test_float32_projections_are_written_as_their_shortest_decimal(
        result: hbkit.Assessment) -> None:
    """A projection or interval end, computed from float32 draws, is written at float32
    precision (70.3601, not 70.36009979248047; an interval end that is the midpoint of two
    draws, 83.95759857177734, as 83.9576), as the workbook does; other numbers keep every
    digit."""
    frame = result.to_frame()
    rows = result.to_dict()["targets"]
    for column in ("projected", "lo_80", "hi_95"):
        pairs = [(row[column], value) for row, value in zip(rows, frame[column], strict=True)
                 if row[column] is not None]
        assert pairs
        for got, value in pairs:
            expected = value if value == round(value) else float(str(np.float32(value)))
            assert got == expected, (column, got, value)
        assert any(got != value for got, value in pairs)  # the noise was there, and is gone
    latest = [(row["latest_value"], value)
              for row, value in zip(rows, frame["latest_value"], strict=True)
              if row["latest_value"] is not None]
    assert all(got == value for got, value in latest)  # reported data: every digit


def test_round_trip_and_top_level(result: hbkit.Assessment) -> None:
    data = result.to_dict()
    assert set(data) == TOP_FIELDS
    assert strict_loads(result.to_json()) == data
    assert data["schema_version"] == SCHEMA_VERSION == 4
    assert data["infinite"] == []  # no infinite number in this assessment
    assert data["generated_by"] == {"name": "hbkit", "version": hbkit.__version__}
    assert data["as_of"] == 2023 and type(data["as_of"]) is int
    assert data["final"] is False and data["simulated"] is True
    assert data["levels"] == [80, 95]
    assert all(f"lo_{level}" in data["targets"][0] for level in data["levels"])
    assert data["sources"] == result.sources
    assert data["seed"] == 3 and data["n_draws"] == 300
    assert data["catalogue"]["default_geo"] == result.catalogue.default_geo
    assert data["catalogue"]["default_geo_en"] == (result.catalogue.default_geo_en or None)
    assert not _walk(data)


def test_no_nan_or_infinity_tokens(result: hbkit.Assessment) -> None:
    frame = result.to_frame()
    assert frame["probability"].isna().any()  # the qualitative target: NaN in the frame
    text = result.to_json()
    strict_loads(text)
    for token in ("NaN", "Infinity"):
        assert token not in text


def test_chinese_kept_literal(result: hbkit.Assessment, tmp_path: Path) -> None:
    text = result.to_json(tmp_path / "deep" / "a.json", indent=2)
    assert "孕产妇死亡率" in text and "河北区" in text and "提前实现" in text
    assert "\\u" not in text
    written = (tmp_path / "deep" / "a.json").read_bytes()
    assert written.decode("utf-8") == text
    assert "孕产妇死亡率".encode() in written
    assert text.count("\n") > 100 and "\n" not in result.to_json()


def test_targets_faithful_to_the_frame(result: hbkit.Assessment) -> None:
    frame = result.to_frame()
    rows = result.to_dict()["targets"]
    assert _assert_faithful(rows, frame) > 0
    for i, row in enumerate(rows):
        for column in frame.columns:
            cell = frame[column].iloc[i]
            if frame[column].dtype == bool:
                assert row[column] is bool(cell)
            elif column.endswith("_year"):
                assert row[column] is None if pd.isna(cell) else type(row[column]) is int
            elif not pd.api.types.is_numeric_dtype(frame[column]):
                assert row[column] == (None if pd.isna(cell) else str(cell)), (i, column)
    by_id = {row["target_id"]: row for row in rows}
    assert by_id["W-health-lifecycle-services"]["indicator"] is None  # qualitative: NaN -> null
    assert by_id["W-health-maternal-mortality"]["name_en"] == "Maternal mortality ratio"
    assert by_id["W-health-maternal-mortality"]["domain_zh"] == "健康"


def test_warnings_units_and_summary(result: hbkit.Assessment) -> None:
    data = result.to_dict()
    warnings = result.warnings_frame()
    assert len(warnings) > 0
    assert _assert_faithful(data["warnings"], warnings) > 0
    assert [w["code"] for w in data["warnings"]] == warnings["code"].tolist()
    years = [w[c] for w in data["warnings"] for c in warnings.columns
             if (c == "as_of" or c.endswith("_year")) and w[c] is not None]
    assert years and all(type(y) is int for y in years)  # floats in the frame, ints in JSON
    units = result.unit_frame()
    assert len(units) > 0
    _assert_faithful(data["units"], units)
    assert data["units"][0]["unit_geo"] == units["unit_geo"].iloc[0]
    summary = result.summary()
    assert len(data["summary"]) == len(summary)
    for row, ((plan, domain), counts) in zip(data["summary"], summary.iterrows(), strict=True):
        assert (row["plan"], row["domain"]) == (plan, domain)
        assert {k: v for k, v in row.items() if k not in ("plan", "domain")} == counts.to_dict()
    assert data["summary"][-1]["total"] == len(data["targets"])


def test_infinite_and_categorical_cells(result: hbkit.Assessment) -> None:
    warnings = result.warnings_frame()
    warnings.loc[warnings.index[0], "relative_scale"] = np.inf
    warnings.loc[warnings.index[0], "last_z"] = -np.inf
    frame = result.to_frame()
    frame["status"] = frame["status"].astype("category")
    frame["geo"] = pd.Categorical(frame["geo"].where(frame.index > 0))  # one missing
    edited = dataclasses.replace(result, warnings=warnings, frame=frame)
    text = edited.to_json()
    data = strict_loads(text)
    # every number field is number | null for a typed client (version 1 wrote the strings
    # "Infinity" / "-Infinity" here: a TypeScript `number`, a Go float64 could not take them)
    assert data["warnings"][0]["relative_scale"] is None
    assert data["warnings"][0]["last_z"] is None
    assert not [v for row in data["warnings"] for v in row.values()
                if isinstance(v, str) and "Infinity" in v]
    # ... and the top-level list says which nulls are infinite, not missing
    assert data["infinite"] == [
        {"table": "warnings", "row": 0, "field": "relative_scale", "sign": 1},
        {"table": "warnings", "row": 0, "field": "last_z", "sign": -1},
    ]
    order = list(edited.warnings_frame().columns)
    assert order.index("relative_scale") < order.index("last_z")  # listed in column order
    assert [row["status"] for row in data["targets"]] == result.to_frame()["status"].tolist()
    assert data["targets"][0]["geo"] is None and data["targets"][1]["geo"] == "河北区"


def test_plain_values() -> None:
    assert plain(np.float32(0.5)) == 0.5 and type(plain(np.float32(0.5))) is float
    assert type(plain(np.int64(7))) is int and plain(np.bool_(False)) is False
    assert plain(float("nan")) is None and plain(pd.NA) is None and plain(None) is None
    assert plain(2020.0, "latest_year") == 2020 and type(plain(2020.0, "latest_year")) is int
    assert plain(2020.0, "as_of") == 2020 and type(plain(2020.0, "value")) is float
    assert records(pd.DataFrame({"a": [], "b": []})) == []


def test_final_and_empty_assessments() -> None:
    final = small_final_assessment()
    data = strict_loads(final.to_json())
    assert data["final"] is True and data["as_of"] == 2025
    observations, catalogue = small_inputs()
    with pytest.warns(hbkit.HbkitWarning, match="no observation with a value"):
        empty = hbkit.assess(observations.iloc[:0], catalogue=catalogue, n_draws=100)
    data = strict_loads(empty.to_json())
    assert data["as_of"] is None and data["final"] is False and data["sources"] == []
    assert [n["category"] for n in data["notices"]] == ["HbkitWarning"]
    assert {row["status"] for row in data["targets"]} == {"no_data", "not_quantifiable"}
    assert data["units"] == [] and not _walk(data)


def test_cli_json_option_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    observations, catalogue = small_inputs()
    csv, yaml = tmp_path / "obs.csv", tmp_path / "targets.yaml"
    observations.to_csv(csv, index=False)
    catalogue.to_file(yaml)
    out = tmp_path / "out"
    code = main(["assess", str(csv), "--catalogue", str(yaml), "--as-of", "2022",
                 "--out", str(out), "--json", "--lang", "en"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    written = out / "monitoring-report-2022.json"
    assert written.is_file() and str(written) in captured.out
    data = strict_loads(written.read_text(encoding="utf-8"))
    assert data["as_of"] == 2022 and data["seed"] == 0
    assert len(data["targets"]) == 6
    assert "孕产妇死亡率" in written.read_text(encoding="utf-8")
    # the English words beside the Chinese ones, for an English dashboard
    maternal = next(r for r in data["targets"] if r["target_id"] == "W-health-maternal-mortality")
    assert (maternal["domain_zh"], maternal["domain_en"]) == ("健康", "Health")
    english = dict([*STATUS_LABELS.values(), *STATUS_VARIANTS.values()])
    assert all(row["status_en"] == english[row["status_zh"]] for row in data["targets"])


def test_a_target_without_plan_or_domain_is_null_in_the_summary_as_in_its_row() -> None:
    """A dashboard joins summary rows to target rows by plan and domain: both say null."""
    target = hbkit.Target(id="a", indicator="x", kind="upper_bound", threshold=5, unit="per_1000")
    frame = pd.DataFrame({"indicator": "x", "geo": "河北区", "year": range(2018, 2024),
                          "value": [6.0, 5.8, 5.5, 5.2, 5.0, 4.8]})
    data = hbkit.assess(frame, catalogue=[target], as_of=2023, n_draws=200).to_dict()
    assert data["targets"][0]["plan"] is None and data["targets"][0]["domain"] is None
    assert (data["summary"][0]["plan"], data["summary"][0]["domain"]) == (None, None)
    assert data["summary"][-1]["plan"] == "total"


def test_summary_by_geo_counts_each_district_of_a_city_dashboard() -> None:
    """Three districts in one call: each district's tile needs its own status counts."""
    cat = hbkit.Catalogue([
        hbkit.Target(id="C-a", plan="children", domain="health", indicator="cov",
                     kind="lower_bound", threshold=90.0, unit="percent", name_zh="覆盖率"),
        hbkit.Target(id="C-b", plan="children", domain="health", indicator="imr",
                     kind="upper_bound", threshold=5.0, unit="per_1000", name_zh="婴儿死亡率"),
        hbkit.Target(id="C-q", plan="children", domain="environment", kind="qualitative",
                     name_zh="儿童友好城区")], default_geo="和平区")
    rows = []
    # cov already at 95 (achieved: 提前实现) everywhere; imr 6.0 flat (not yet met) in 河西区,
    # already 4.0 (achieved) in 和平区 and 南开区
    for geo, imr in (("和平区", 4.0), ("河西区", 6.0), ("南开区", 4.0)):
        for year in range(2016, 2024):
            rows.append({"indicator": "cov", "geo": geo, "year": year, "value": 95.0})
            rows.append({"indicator": "imr", "geo": geo, "year": year, "value": imr})
    res = hbkit.assess(pd.DataFrame(rows), catalogue=cat, as_of=2023, n_draws=200)
    table = res.summary(geo="河西区")
    assert int(table.loc[("total", ""), "total"]) == 3
    assert int(table.loc[("total", ""), "achieved"]) == 1
    assert int(table.loc[("total", ""), "not_quantifiable"]) == 1
    assert int(res.summary(geo="和平区").loc[("total", ""), "achieved"]) == 2
    with pytest.raises(hbkit.HbkitError, match="no area '河东区'"):
        res.summary(geo="河东区")
    data = strict_loads(res.to_json())
    by_geo = data["summary_by_geo"]
    assert [r["geo"] for r in by_geo if r["plan"] == "total"] == ["南开区", "和平区", "河西区"]
    totals = {r["geo"]: r for r in by_geo if r["plan"] == "total"}
    assert {g: (r["achieved"], r["not_quantifiable"], r["total"]) for g, r in totals.items()} == {
        "和平区": (2, 1, 3), "河西区": (1, 1, 3), "南开区": (2, 1, 3)}
    assert sum(r["total"] for r in totals.values()) == data["summary"][-1]["total"] == 9
    assert list(by_geo[0]) == ["geo", *data["summary"][0]]
