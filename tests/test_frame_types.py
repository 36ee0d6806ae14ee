"""The tables of an assessment keep their column types whatever the targets and data: a
dashboard writes every district's ``to_frame()`` and ``unit_frame()`` into one table (a
database, Parquet), whose columns must not turn from text into ``object`` or from numbers
into ``object`` because one call had no reason to give or no street-level target."""

from __future__ import annotations

import pandas as pd
import pytest

import hbkit
from hbkit.datasets import load_example

TEXT = pd.Series(["x"]).dtype  # what pandas makes of strings (str, or object before pandas 3)


@pytest.fixture(scope="module")
def health() -> hbkit.Assessment:
    """Targets of every kind, reasons, street-level targets: the reference types."""
    example = load_example("hebei_example")
    cat = hbkit.Catalogue([t for t in example.catalogue if t.domain == "health"])
    return hbkit.assess(example.targeted(cat), catalogue=cat, as_of=2023, n_draws=200)


def _types(frame: pd.DataFrame) -> dict[str, str]:
    return {column: str(dtype) for column, dtype in frame.dtypes.items()}


def test_the_reference_assessment_has_text_reasons_and_street_rows(health) -> None:
    frame = health.to_frame()
    assert frame["reason"].dtype == TEXT and frame["reason"].isna().any()
    assert frame["reason"].notna().any() and len(health.unit_frame()) > 0


def test_a_target_without_plan_domain_or_reason_keeps_the_text_columns(health) -> None:
    """The ``assess`` docstring's own example: a target with no plan or domain, met, with
    nothing to say. ``plan``, ``domain`` and the three ``reason`` columns were ``object``
    holding ``None`` there, text with NaN in a larger call."""
    cat = hbkit.Catalogue([hbkit.Target(id="C-health-imr", indicator="imr", kind="upper_bound",
                                        threshold=5.0, unit="per_1000", name_zh="婴儿死亡率")])
    obs = pd.DataFrame({"indicator": "imr", "geo": "河北区", "year": range(2016, 2024),
                        "value": [6.1, 5.8, 5.6, 5.5, 5.1, 5.2, 4.9, 4.8], "unit": "per_1000"})
    frame = hbkit.assess(obs, catalogue=cat, n_draws=200).to_frame()
    assert _types(frame) == _types(health.to_frame())
    assert frame[["plan", "domain", "reason", "reason_zh", "reason_en"]].isna().all().all()


def test_qualitative_targets_alone_keep_the_indicator_column_text(health) -> None:
    """Only qualitative targets: no indicator at all (was an ``object`` column of None)."""
    example = load_example("hebei_example")
    cat = hbkit.Catalogue([t for t in example.catalogue if t.kind == "qualitative"][:3])
    res = hbkit.assess(example.targeted(hbkit.Catalogue(
        [t for t in example.catalogue if t.domain == "health"])), catalogue=cat, as_of=2023,
        n_draws=200)
    assert _types(res.to_frame()) == _types(health.to_frame())
    assert res.to_frame()["indicator"].isna().all()


def test_an_assessment_without_street_targets_has_a_typed_empty_unit_frame(health) -> None:
    """No each-unit target: ``unit_frame()`` has no rows but the columns and types of one
    with rows (the numbers were ``object``)."""
    example = load_example("hebei_example")
    cat = hbkit.Catalogue([t for t in example.catalogue
                           if t.domain == "health" and t.each_unit is None])
    units = hbkit.assess(example.targeted(cat), catalogue=cat, as_of=2023,
                         n_draws=200).unit_frame()
    assert units.empty
    assert _types(units) == _types(health.unit_frame())
    assert units["probability"].dtype == "float64"


def test_a_district_cut_out_keeps_the_types(health) -> None:
    """``subset`` of an area keeps every table's types, rows or none."""
    part = health.subset("河北区")
    assert _types(part.to_frame()) == _types(health.to_frame())
    assert _types(part.unit_frame()) == _types(health.unit_frame())
