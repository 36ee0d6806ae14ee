"""Every validation rule of Target: the error names the field, the rule and the value."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hbkit import Catalogue, CatalogueError, Target
from hbkit.catalogue.rules import RULES
from hbkit.exceptions import TargetError, shown_value

BASE = {"id": "t", "indicator": "x"}

# (fields, field named, rule named, value received)
RULE_CASES = [
    ({"id": "-bad id", "kind": "qualitative"}, "id", "id-is-slug", "-bad id"),
    ({"id": "t", "kind": "upper_bound", "threshold": 1}, "indicator", "indicator-required", None),
    ({**BASE, "kind": "upper_bound"}, "threshold", "threshold-required", None),
    ({**BASE, "kind": "maintain", "direction": "increase"}, "threshold", "threshold-required", None),
    ({**BASE, "kind": "count_minimum"}, "threshold", "threshold-required", None),
    ({**BASE, "kind": "upper_bound", "threshold": float("nan")}, "threshold", "threshold-is-number",
     float("nan")),
    ({**BASE, "kind": "direction", "baseline_year": 2020}, "direction", "direction-required", None),
    ({**BASE, "kind": "level", "threshold": 5, "direction": "none"}, "direction", "direction-required",
     "none"),
    ({**BASE, "kind": "upper_bound", "threshold": 5, "direction": "increase"}, "direction",
     "direction-matches-bound", "increase"),
    ({**BASE, "kind": "lower_bound", "threshold": 5, "direction": "decrease"}, "direction",
     "direction-matches-bound", "decrease"),
    ({**BASE, "kind": "relative_change", "threshold": 20, "direction": "decrease"}, "baseline_year",
     "baseline-required", None),
    ({**BASE, "kind": "trend_slowdown", "direction": "decrease"}, "baseline_year", "baseline-required",
     None),
    ({**BASE, "kind": "direction", "direction": "increase", "baseline_year": 2025}, "baseline_year",
     "baseline-before-target", 2025),
    ({**BASE, "kind": "relative_change", "threshold": 100, "direction": "decrease",
      "baseline_year": 2020}, "threshold", "relative-change-range", 100.0),
    ({**BASE, "kind": "relative_change", "threshold": -5, "direction": "increase",
      "baseline_year": 2020}, "threshold", "relative-change-range", -5.0),
    ({**BASE, "kind": "annual_change", "threshold": -1, "direction": "increase"}, "threshold",
     "annual-change-positive", -1.0),
    ({**BASE, "kind": "relational", "direction": "increase"}, "reference_indicator",
     "reference-required", None),
    ({**BASE, "kind": "lower_bound", "threshold": 120, "unit": "percent"}, "threshold",
     "bounded-threshold-in-0-100", 120.0),
    ({"id": "t", "kind": "qualitative", "threshold": 3}, "threshold", "qualitative-has-no-threshold",
     3.0),
]


@pytest.mark.parametrize(("fields", "field", "rule", "value"), RULE_CASES,
                         ids=[f"{c[2]}-{i}" for i, c in enumerate(RULE_CASES)])
def test_each_rule_names_field_rule_and_value(fields, field, rule, value):
    """``Target(...)`` raises hbkit's own error, with the problem table of a catalogue row
    (no file, no row) and the message listing it; pydantic's error it was before too."""
    with pytest.raises(TargetError) as info:
        Target(**fields)
    error = info.value
    assert isinstance(error, CatalogueError) and isinstance(error, ValidationError)
    assert error.problems.to_dict("records") == [{
        "file": None, "row": None, "column": field, "value": shown_value(value),
        "rule": error.problems.loc[0, "rule"], "code": rule, "field": field}]
    assert error.problems.loc[0, "rule"].startswith(f"{RULES[rule][0]} / ")
    message = str(error)
    assert message.startswith("目标有误：共 1 个 / invalid target: 1 in all")
    assert f"column={field!r}" in message and f"code={rule!r}" in message
    if value is not None:
        assert f"value={shown_value(value)!r}" in message
    assert error.errors()[0]["type"] == "value_error"  # pydantic's details, as before


@pytest.mark.parametrize(("fields", "field", "rule", "value"), RULE_CASES,
                         ids=[f"{c[2]}-{i}" for i, c in enumerate(RULE_CASES)])
def test_catalogue_reports_the_rule_as_a_problem_row(fields, field, rule, value):
    good = {"id": "ok", "kind": "qualitative"}
    with pytest.raises(CatalogueError) as info:
        Catalogue([good, fields])
    problems = info.value.problems
    assert len(problems) == 1
    problem = problems.iloc[0]
    assert (problem["row"], problem["column"], problem["code"]) == (1, field, rule)
    assert problem["rule"].startswith(f"{RULES[rule][0]} / ")  # Chinese first, then English
    assert problem["value"] == shown_value(value)  # as text, JSON-safe: "nan", "120", None


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"id": "t", "kind": "bound"}, "kind", "literal_error"),
    ({"id": "t", "kind": "qualitative", "plan": "woman"}, "plan", "literal_error"),
    ({"id": "t", "kind": "qualitative", "unit": "pct"}, "unit", "literal_error"),
    ({"id": "t", "kind": "qualitative", "target_year": 1800}, "target_year", "greater_than_equal"),
    ({"id": "t", "kind": "qualitative", "colour": "red"}, "colour", "extra_forbidden"),
    ({"id": "t"}, "kind", "missing"),
])
def test_field_errors_name_the_field(fields, field, code):
    with pytest.raises(CatalogueError) as info:
        Catalogue([fields])
    problem = info.value.problems.iloc[0]
    assert (problem["column"], problem["code"]) == (field, code)


def test_minimal_target_gets_sensible_defaults():
    t = Target(id="x", indicator="imr", kind="upper_bound", threshold=5.0, unit="per_1000",
               direction="decrease", target_year=2025)
    assert (t.plan, t.baseline_year, t.strict, t.every_year, t.each_unit) == (None, None, False, False, None)
    assert t.bounded is False  # only percentages are capped by default


def test_implied_and_filled_fields():
    bound = Target(id="a", indicator="cov", kind="lower_bound", threshold=90, unit="percent",
                   domain="health")
    assert (bound.direction, bound.bounded, bound.domain_zh) == ("increase", True, "健康")
    kept = Target(id="b", indicator="share", kind="maintain", threshold=40, unit="percent",
                  direction="increase")
    assert kept.every_year is True
    gross = Target(id="c", indicator="ger", kind="lower_bound", threshold=98, unit="percent",
                   bounded=False)
    assert gross.bounded is False
    quali = Target(id="d", kind="qualitative", indicator="")
    assert (quali.direction, quali.indicator, quali.is_quantitative) == ("none", None, False)


def test_gross_ratio_threshold_may_exceed_100_when_not_bounded():
    t = Target(id="g", indicator="ger", kind="lower_bound", threshold=105, unit="percent", bounded=False)
    assert t.threshold == 105


def test_targets_are_frozen():
    t = Target(id="d", kind="qualitative")
    with pytest.raises(ValidationError):
        t.id = "e"  # type: ignore[misc]


def test_a_bound_that_must_hold_every_year_is_a_maintain_target() -> None:
    """每年…2次以上 (every_year on a lower bound): judged in every year of the plan, so
    1, 1, 1, 1, 3 does not meet it, as a lower bound on 2025 alone would say."""
    from hbkit.attainment import evaluate_event

    t = Target(id="p", indicator="x", kind="lower_bound", threshold=2, unit="times_per_year",
               every_year=True, baseline_year=2020)
    assert (t.kind, t.direction, t.every_year) == ("maintain", "increase", True)
    years = [2020, 2021, 2022, 2023, 2024, 2025]
    assert evaluate_event(t, years, [[2, 1, 1, 1, 1, 3], [2, 2, 2, 3, 2, 2]]).tolist() == [0.0, 1.0]


def test_every_year_on_a_kind_judged_once_is_refused() -> None:
    with pytest.raises(ValueError, match="every-year-kind"):
        Target(id="d", indicator="x", kind="direction", direction="increase", unit="percent",
               baseline_year=2020, every_year=True)


def test_a_target_with_invalid_fields_raises_hbkits_error_with_a_catalogue_rows_problems():
    """``hbkit.Target(kind="bogus")`` raised pydantic's ValidationError, against hbkit's
    promise that every error a user can trigger is an HbkitError; a web service could not
    send it as a problem table. Its problems are now those of the same record in a
    catalogue (minus the row), JSON-safe."""
    import json

    import hbkit

    record = {"kind": "bogus", "target_year": "二〇二五", "colour": "red", "threshold": [1]}
    with pytest.raises(hbkit.HbkitError) as info:
        Target(**record)
    error = info.value
    assert type(error) is hbkit.TargetError
    assert isinstance(error, CatalogueError) and isinstance(error, ValidationError)
    assert isinstance(error, ValueError)
    problems = error.problems
    json.dumps(problems.to_dict("records"), ensure_ascii=False, allow_nan=False)
    assert problems[["column", "value", "code"]].values.tolist() == [
        ["id", None, "missing"], ["kind", "bogus", "literal_error"],
        ["threshold", "[1]", "float_type"], ["target_year", "二〇二五", "int_parsing"],
        ["colour", "red", "extra_forbidden"]]
    assert problems["row"].tolist() == [None] * 5 and problems["file"].tolist() == [None] * 5
    with pytest.raises(CatalogueError) as in_catalogue:
        Catalogue([record])
    same = in_catalogue.value.problems.drop(columns="row")
    assert problems.drop(columns="row").equals(same)  # the same rule texts and codes
    assert error.error_count() == 5  # pydantic's details kept


def test_a_target_error_pickles_whole():
    import pickle

    with pytest.raises(TargetError) as info:
        Target(id="C-伤害", indicator="x", kind="relative_change", threshold=10)
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is TargetError
    assert back.problems.equals(info.value.problems) and str(back) == str(info.value)
    assert back.error_count() == info.value.error_count()


def test_model_validate_stays_pydantics_and_keeps_its_context():
    """Only ``Target(...)`` is wrapped: ``Target.model_validate`` (used by the catalogue
    readers with a validation context) is pydantic's own, and does not go through it."""
    from hbkit.catalogue.models import SKIP_RULES

    with pytest.raises(ValidationError) as info:
        Target.model_validate({"id": "t", "kind": "bogus"})
    assert type(info.value) is ValidationError
    built = Target.model_validate({"id": "t", "kind": "upper_bound"}, context={SKIP_RULES: True})
    assert [rule for _, rule, _, _ in built.broken_rules()] == ["indicator-required",
                                                                "threshold-required"]
