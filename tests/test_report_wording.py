"""The words of the reports: names instead of codes, one language per report."""

from __future__ import annotations

import pandas as pd
import pytest

import hbkit
from hbkit.report import tables

YEARS = range(2016, 2024)


def _frame(indicator: str, values: list[float], unit: str = "percent") -> pd.DataFrame:
    return pd.DataFrame({"indicator": indicator, "geo": "X", "year": list(YEARS),
                         "value": values, "unit": unit})


@pytest.fixture(scope="module")
def relational() -> hbkit.Assessment:
    """Delegates compared with members (a target of its own) and with employees (none)."""
    members = hbkit.Target(id="m", indicator="members", kind="lower_bound", threshold=35,
                           unit="percent", name_zh="女党员比例",
                           name_en="Female share of Party members")
    delegates = hbkit.Target(id="d", indicator="delegates", kind="relational",
                             direction="increase", unit="percent",
                             reference_indicator="members", name_zh="女代表比例")
    workers = hbkit.Target(id="w", indicator="delegates", kind="relational",
                           direction="increase", unit="percent",
                           reference_indicator="employees", reference_name_zh="女职工比例",
                           reference_name_en="female share of employees")
    frame = pd.concat([
        _frame("members", [33.0, 33.2, 33.5, 33.6, 33.9, 34.0, 34.3, 34.5]),
        _frame("delegates", [38.0, 38.2, 38.1, 38.5, 38.4, 38.8, 38.9, 39.0]),
        _frame("employees", [40.0, 40.1, 40.3, 40.2, 40.4, 40.5, 40.6, 40.6]),
    ])
    return hbkit.assess(frame, catalogue=hbkit.Catalogue([members, delegates, workers]),
                        as_of=2023, n_draws=200, seed=1)


def test_relational_rule_names_the_reference_indicator(relational: hbkit.Assessment) -> None:
    zh = tables.targets_table(relational, "zh").set_index("target_id")["rule"]
    en = tables.targets_table(relational, "en").set_index("target_id")["rule"]
    # the name of the target judged on the reference, or the relational target's own names
    assert zh["d"] == "2025年值≥女党员比例同年值"
    assert en["d"] == "value in 2025 >= female share of Party members in the same year"
    assert zh["w"] == "2025年值≥女职工比例同年值"
    assert en["w"] == "value in 2025 >= female share of employees in the same year"


def test_shipped_relational_rules_show_no_indicator_id() -> None:
    from hbkit.attainment import rule_text

    catalogue = hbkit.load_catalogue()
    names = tables.indicator_names(catalogue)
    relational = [t for t in catalogue if t.kind == "relational"]
    assert len(relational) == 2
    for target in relational:
        zh, en = rule_text(target, names.get(str(target.reference_indicator)))
        assert target.reference_indicator not in zh + en
        assert "_" not in zh + en
