"""The JSON Schema of the JSON export (``hbkit.report.json_schema``).

A city dashboard checks (or generates its types from) the shipped schema: every
document hbkit writes must validate, and the schema must be strict enough that a
renamed field, a string where a number belongs or an unknown code is refused.
"""

from __future__ import annotations

import copy
import json
import warnings
from typing import Any

import jsonschema
import numpy as np
import pandas as pd
import pytest
from test_report_cases import small_inputs

import hbkit
from hbkit.assessment.compare import CHANGE_COLUMNS
from hbkit.assessment.kinds import UNIT_FRAME_COLUMNS
from hbkit.assessment.result import FRAME_COLUMNS
from hbkit.datasets import load_example
from hbkit.report.data_warnings import DATA_WARNING_COLUMNS
from hbkit.report.json_schema import SCHEMA_FILE, TABLES, build_schema, json_schema
from hbkit.status import STATUS_LABELS
from hbkit.warnings_rules import WARNING_COLUMNS, WARNING_LABELS


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _assess(observations: Any, catalogue: Any, **options: Any) -> hbkit.Assessment:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hbkit.assess(observations, catalogue=catalogue, **{"n_draws": 100, **options})


def _example(name: str, as_of: int) -> hbkit.Assessment:
    example = load_example(name)
    return _assess(example.observations, example.catalogue, as_of=as_of)


def _infinite_run() -> hbkit.Assessment:
    """A flat series reported without recognisable rounding (noise scale 0) that then jumps
    away from its bound: the moving-away warning's ``last_z`` is +infinity."""
    cat = hbkit.Catalogue([hbkit.Target(id="C-x", indicator="x", kind="upper_bound",
                                        threshold=5.0, unit="none")])
    obs = pd.DataFrame({"indicator": "x", "geo": "河北区", "year": range(2016, 2024),
                        "value": [10 / 3] * 7 + [20 / 3], "unit": "none"})
    return _assess(obs, cat, as_of=2023)


def _data_warning_inputs() -> tuple[pd.DataFrame, hbkit.Catalogue]:
    """The small example with one street's percent typed as a fraction (a data warning)."""
    observations, catalogue = small_inputs()
    observations = observations.copy()
    street = observations.index[(observations["indicator"] == "immunization_coverage")
                                & (observations["year"] == 2022)
                                & observations["geo"].str.contains("/")][0]
    observations.loc[street, ["value", "numerator", "denominator"]] = [
        round(observations.loc[street, "value"] / 100, 4), np.nan, np.nan]
    return observations, catalogue


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    observations, catalogue = _data_warning_inputs()
    flagged = _assess(observations, catalogue, as_of=2023, level=(80, 97.5))
    # last year's assessment of fewer targets: the changes have new rows
    fewer = hbkit.Catalogue(list(catalogue)[:3], default_geo=catalogue.default_geo)
    used = observations["indicator"].isin({t.indicator for t in fewer})
    last_year = _assess(observations[used], fewer, as_of=2022)
    infinite = _infinite_run()
    return {
        "annual": _example("hebei_example", 2023).to_dict(),
        "final": _example("hebei_example_final", 2025).to_dict(),
        "infinite": infinite.to_dict(),
        "data_warnings": flagged.to_dict(previous=last_year),
        "empty": _assess(observations.iloc[:0], catalogue).to_dict(),
    }


def test_the_shipped_schema_is_the_one_the_code_defines() -> None:
    """A new column or code in the code without the schema file rewritten fails here
    (``python scripts/make_json_schema.py`` rewrites it)."""
    assert json_schema() == build_schema()
    from importlib import resources

    text = resources.files("hbkit.report").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    assert json.loads(text)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert hbkit.report.json_schema() == json_schema()


def test_the_documents_hbkit_writes_validate(validator, documents) -> None:
    for name, data in documents.items():
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, (name, errors[:5])
    # the runs cover what they are meant to: a final evaluation, infinite numbers, data
    # warnings with their notice, changes, a level named lo_97.5, an empty call
    assert documents["final"]["final"] is True and documents["annual"]["final"] is False
    assert documents["infinite"]["infinite"] == [
        {"table": "warnings", "row": 1, "field": "last_z", "sign": 1}]
    flagged = documents["data_warnings"]
    assert [w["code"] for w in flagged["data_warnings"]] == ["value-looks-fraction"]
    assert [n["category"] for n in flagged["notices"]] == ["DataWarning"]
    assert "new" in {row["change"] for row in flagged["changes"]}
    assert "lo_97.5" in flagged["targets"][0] and documents["empty"]["as_of"] is None


def test_the_json_text_validates_as_read_back(validator) -> None:
    text = _infinite_run().to_json()
    assert validator.is_valid(json.loads(text))


def _refused(validator: jsonschema.Draft202012Validator, data: dict[str, Any]) -> list[str]:
    return [e.message for e in validator.iter_errors(data)]


@pytest.mark.parametrize("mutation", [
    "rename_field", "string_for_number", "unknown_status", "unknown_warning_code",
    "unknown_warning_in_targets", "new_column", "new_top_level_key", "missing_top_level_key",
    "other_version", "float_year", "bad_infinite_sign", "unknown_notice_category",
    "probability_above_one", "new_summary_status"])
def test_the_schema_refuses_a_changed_document(validator, documents, mutation: str) -> None:
    data = copy.deepcopy(documents["infinite"])
    target, warning = data["targets"][0], data["warnings"][0]
    if mutation == "rename_field":
        target["prob"] = target.pop("probability")
    elif mutation == "string_for_number":
        target["latest_value"] = str(target["latest_value"])
    elif mutation == "unknown_status":
        target["status"] = "fine"
    elif mutation == "unknown_warning_code":
        warning["code"] = "too_fast"
    elif mutation == "unknown_warning_in_targets":
        target["warnings"] = "hard_to_reach;too_fast"
    elif mutation == "new_column":
        warning["severity"] = 1.0
    elif mutation == "new_top_level_key":
        data["district"] = "河北区"
    elif mutation == "missing_top_level_key":
        del data["infinite"]
    elif mutation == "other_version":
        data["schema_version"] = 1
    elif mutation == "float_year":
        target["latest_year"] = 2023.5
    elif mutation == "bad_infinite_sign":
        data["infinite"][0]["sign"] = 2
    elif mutation == "unknown_notice_category":
        data["notices"] = [{"category": "UserWarning", "message": "x / x"}]
    elif mutation == "probability_above_one":
        target["probability"] = 1.5
    elif mutation == "new_summary_status":
        data["summary"][0]["excellent"] = 0
    assert validator.is_valid(documents["infinite"])  # the original still validates
    assert _refused(validator, data), mutation


def test_every_column_of_every_table_is_in_the_schema(documents) -> None:
    """A new column of a table must reach the schema: the tables' declared columns and
    every field the documents hold have a type in it."""
    schema = build_schema()
    rows = {table: schema["$defs"][f"{table}_row"] for table in TABLES}
    declared = {"targets": FRAME_COLUMNS, "warnings": WARNING_COLUMNS,
                "units": UNIT_FRAME_COLUMNS, "data_warnings": DATA_WARNING_COLUMNS,
                "changes": CHANGE_COLUMNS}
    for table, columns in declared.items():
        assert set(columns) <= set(rows[table]["properties"]) | {
            c for c in columns if c.startswith(("lo_", "hi_"))}, table
        assert rows[table]["required"] == [c for c in columns if c in rows[table]["properties"]]
    for data in documents.values():
        for table in TABLES:
            for row in data.get(table, []):
                assert set(row) <= set(rows[table]["properties"]) | {
                    c for c in row if c.startswith(("lo_", "hi_"))}, (table, set(row))
    targets = rows["targets"]
    assert targets["additionalProperties"] is False
    assert list(targets["patternProperties"]) == [r"^(lo|hi)_[0-9]+(\.[0-9]+)?$"]


def test_closed_vocabularies_come_from_the_code() -> None:
    defs = build_schema()["$defs"]
    assert defs["status"]["enum"] == list(STATUS_LABELS)
    assert defs["warning_code"]["enum"] == list(WARNING_LABELS)
    assert set(defs["summary_row"]["required"]) == {"plan", "domain", "total", *STATUS_LABELS}
    assert defs["notice"]["properties"]["category"]["enum"] == [
        "CatalogueWarning", "DataWarning", "HbkitWarning"]
