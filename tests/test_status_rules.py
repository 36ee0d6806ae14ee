"""Statuses: thresholds, their boundaries, precedence and wording."""

from __future__ import annotations

import numpy as np
import pytest

from hbkit import StatusRules
from hbkit.exceptions import HbkitError
from hbkit.status import STATUS_LABELS, classify, status_from_probability, status_label


def test_boundaries_are_inclusive_at_the_lower_edge():
    p = [1.0, 0.8, np.nextafter(0.8, 0), 0.5, np.nextafter(0.5, 0), 0.0]
    assert status_from_probability(p).tolist() == [
        "on_track", "on_track", "at_risk", "at_risk", "off_track", "off_track"]


def test_thresholds_are_configurable_in_one_place():
    rules = StatusRules(on_track=0.9, at_risk=0.6)
    assert status_from_probability([0.85, 0.55], rules).tolist() == ["at_risk", "off_track"]
    assert status_from_probability([0.85, 0.55]).tolist() == ["on_track", "at_risk"]


@pytest.mark.parametrize("kwargs", [
    {"on_track": 0.4}, {"at_risk": 0.0}, {"on_track": 1.0}, {"fluctuation_alpha": 0.7},
    {"min_observations": 1}, {"fluctuation_bootstrap": 5}, {"short_history": -1},
])
def test_invalid_rules_raise_with_the_value(kwargs):
    with pytest.raises(HbkitError, match="received"):
        StatusRules(**kwargs)


def test_rules_are_frozen():
    with pytest.raises(AttributeError):
        StatusRules().on_track = 0.9  # type: ignore[misc]


def test_precedence_of_the_status_rules():
    # qualitative beats everything, then no data, then achieved, then final failure,
    # then insufficient data, then the probability bands
    got = classify(
        [0.9, 0.9, 0.9, 0.9, 0.9, 0.3],
        quantitative=[0, 1, 1, 1, 1, 1], has_data=[1, 0, 1, 1, 1, 1],
        achieved=[1, 1, 1, 0, 0, 0], final_failed=[0, 0, 1, 1, 0, 0],
        judgeable=[1, 1, 0, 1, 0, 1],
    )
    assert got.tolist() == ["not_quantifiable", "no_data", "achieved", "off_track",
                            "insufficient_data", "off_track"]


def test_nan_probability_is_insufficient_data():
    got = classify([np.nan], quantitative=[1], has_data=[1], achieved=[0], final_failed=[0],
                   judgeable=[1])
    assert got.tolist() == ["insufficient_data"]


def test_labels_in_both_languages_and_variants():
    assert {k: v[0] for k, v in STATUS_LABELS.items()} == {
        "achieved": "已实现", "on_track": "有望实现", "at_risk": "存在风险", "off_track": "难以实现",
        "insufficient_data": "数据不足", "no_data": "无数据", "not_quantifiable": "定性目标"}
    assert status_label("achieved", "zh", "early") == "提前实现"
    assert status_label("off_track", "zh", "final") == "未实现"
    assert status_label("off_track", "en", "not_yet") == "not yet met"
    # a variant that does not apply is ignored
    assert status_label("on_track", "zh", "early") == "有望实现"
    with pytest.raises(HbkitError):
        status_label("great", "zh")
