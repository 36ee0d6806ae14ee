"""Every error a user can meet is worded in Chinese first, then English, with the value received.

Each case triggers one error through the public API (``hbkit``, ``hbkit.models``,
``hbkit.scores``, ``hbkit.conventions``, ``hbkit.attainment``, ``hbkit.plotting``,
``BacktestResult``) and checks that the message opens in Chinese, then gives the
English after `` / `` as it was worded before (code and tests match on it). The
errors that were a ``ValueError`` or ``TypeError`` stay one (and are an
``HbkitError`` too), so that code catching them keeps working.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from test_report_cases import small_assessment

import hbkit
from hbkit import conventions, plotting, scores
from hbkit.attainment import compare, evaluate_event, probability
from hbkit.backtesting.uncertainty import score_intervals
from hbkit.models import project

YEARS = np.arange(2016, 2021)
VALUES = np.array([[10.0, 9.5, 9.0, 8.8, 8.5]])
TARGET = hbkit.Target(id="t", indicator="x", kind="upper_bound", threshold=5.0, unit="percent",
                      target_year=2025)
RELATIONAL = hbkit.Target(id="r", indicator="x", kind="relational", reference_indicator="y",
                          unit="percent", direction="increase", target_year=2025)
#: a backtest's cases with probabilities and outcomes only (no interval, PIT or coverage columns)
CASES = pd.DataFrame({"indicator": "x", "geo": [f"g{i}" for i in range(20)],
                      "probability": np.linspace(0.05, 0.95, 20),
                      "outcome": np.arange(20) % 2 * 1.0})


def _project(**kwargs: Any) -> Any:
    options: dict[str, Any] = {"target_year": 2025, "unit": "percent", "n_draws": 50}
    return project(kwargs.pop("values", VALUES), kwargs.pop("years", YEARS), **{**options, **kwargs})


def _official(**kwargs: Any) -> pd.DataFrame:
    args: dict[str, Any] = {"direction": "decrease", "target_value": [5.0, 5.0, 5.0],
                            "target_year": 2025, "base_year": 2020, "base_value": 10.0,
                            "latest_year": 2023, "latest_value": [8.0, 7.0, 9.0]}
    return conventions.official_labels(**{**args, **kwargs})


def _set_name(catalogue: hbkit.Catalogue) -> None:
    catalogue.name = "x"  # type: ignore[misc]


def _del_name(catalogue: hbkit.Catalogue) -> None:
    del catalogue.name


#: (id, the call, the exception classes it must be, the English the message must keep)
CASES_NO_ASSESSMENT: list[tuple[str, Callable[[], Any], tuple[type, ...], str]] = [
    # hbkit.models.project
    ("project-values-3d", lambda: _project(values=np.zeros((1, 2, 5))), (hbkit.HbkitError,),
     "values must be a 2-D array (series x years); received shape (1, 2, 5)"),
    ("project-numerators-shape", lambda: _project(unit="per_1000", numerators=[[1, 2]],
                                                  denominators=[[900, 900]]),
     (hbkit.HbkitError,), "numerators must have shape (1, 5) like values; received (1, 2)"),
    ("project-years-per-column", lambda: _project(years=YEARS[:4]), (hbkit.HbkitError,),
     "years must be 1-D with one year per column (5); received shape (4,)"),
    ("project-years-whole", lambda: _project(years=YEARS + 0.5), (hbkit.HbkitError,),
     "years must be whole numbers; received [2016.5"),
    ("project-years-increasing", lambda: _project(years=YEARS[::-1]), (hbkit.HbkitError,),
     "years must be strictly increasing; received [2020, 2019"),
    ("project-target-year", lambda: _project(target_year=2010), (hbkit.HbkitError,),
     "target_year 2010 is before the first year 2016"),
    ("project-n-draws", lambda: _project(n_draws=0), (hbkit.HbkitError, ValueError),
     "n_draws must be at least 1; received 0"),
    ("project-n-draws-whole", lambda: _project(n_draws=2.5), (hbkit.HbkitError, ValueError),
     "n_draws must be a whole number; received 2.5"),
    ("project-n-draws-word", lambda: _project(n_draws="many"), (hbkit.HbkitError, TypeError),
     "n_draws must be a whole number; received 'many'"),
    ("project-models", lambda: _project(models=("quadratic",)), (hbkit.HbkitError,),
     "models must be chosen from"),
    ("project-unscored-names", lambda: _project(unscored_weights={"quadratic": 1.0}),
     (hbkit.HbkitError,), "unscored weights must name models of"),
    ("project-unscored-negative", lambda: _project(unscored_weights={"level": -0.5}),
     (hbkit.HbkitError, ValueError), "unscored weights must be >= 0 and not all 0; received"),
    ("project-unscored-not-a-number", lambda: _project(unscored_weights={"level": "heavy"}),
     (hbkit.HbkitError, ValueError), "unscored weights must be >= 0 and not all 0; received"),
    ("project-labels", lambda: _project(labels=["a", "b"]), (hbkit.HbkitError,),
     "labels must name every series (1); received 2"),
    # hbkit.StatusRules
    ("status-bounds", lambda: hbkit.StatusRules(on_track=0.4), (hbkit.HbkitError,),
     "StatusRules needs 0 < at_risk <= on_track < 1; received at_risk=0.5, on_track=0.4"),
    ("status-alpha", lambda: hbkit.StatusRules(moving_away_alpha=0.6), (hbkit.HbkitError,),
     "StatusRules.moving_away_alpha must lie in (0, 0.5); received 0.6"),
    ("status-min-observations", lambda: hbkit.StatusRules(min_observations=1),
     (hbkit.HbkitError,), "StatusRules.min_observations must be at least 2; received 1"),
    ("status-short-history", lambda: hbkit.StatusRules(short_history=-1), (hbkit.HbkitError,),
     "StatusRules.short_history must be 0 or more; received -1"),
    ("status-bootstrap", lambda: hbkit.StatusRules(fluctuation_bootstrap=5), (hbkit.HbkitError,),
     "StatusRules.fluctuation_bootstrap must be at least 19; received 5"),
    ("status-negative-swing", lambda: hbkit.StatusRules(fluctuation_min_swing=-0.02),
     (hbkit.HbkitError,), "StatusRules.fluctuation_min_swing must be at least 0; received -0.02"),
    ("status-zero-z", lambda: hbkit.StatusRules(z_report=0), (hbkit.HbkitError,),
     "StatusRules.z_report must be greater than 0; received 0.0"),
    ("status-zero-scale", lambda: hbkit.StatusRules(fluctuation_relative_scale=0),
     (hbkit.HbkitError,), "StatusRules.fluctuation_relative_scale must be greater than 0; "
     "received 0.0"),
    ("status-negative-reversals", lambda: hbkit.StatusRules(fluctuation_min_reversals=-1),
     (hbkit.HbkitError,), "StatusRules.fluctuation_min_reversals must be at least 0; received -1"),
    ("status-early-text", lambda: hbkit.StatusRules(early_achievement="no"),  # was read as True
     (hbkit.HbkitError,), "StatusRules.early_achievement must be True or False; received 'no'"),
    # a text where a number is asked for: hbkit's own error naming the argument, still the
    # TypeError Python raised before (hbkit._options.whole_number, real_number)
    ("status-text-on-track", lambda: hbkit.StatusRules(on_track="high"),
     (hbkit.HbkitError, TypeError), "StatusRules.on_track must be a number; received 'high'"),
    ("status-text-at-risk", lambda: hbkit.StatusRules(at_risk="x"),
     (hbkit.HbkitError, TypeError), "StatusRules.at_risk must be a number; received 'x'"),
    ("status-text-z-report", lambda: hbkit.StatusRules(z_report="x"),  # was accepted silently
     (hbkit.HbkitError, TypeError), "StatusRules.z_report must be a number; received 'x'"),
    ("status-text-min-observations", lambda: hbkit.StatusRules(min_observations="x"),
     (hbkit.HbkitError, TypeError), "StatusRules.min_observations must be a whole number; "
     "received 'x'"),
    ("status-fraction-bootstrap", lambda: hbkit.StatusRules(fluctuation_bootstrap=199.5),
     (hbkit.HbkitError, ValueError), "StatusRules.fluctuation_bootstrap must be a whole number; "
     "received 199.5"),
    ("status-none-reversals", lambda: hbkit.StatusRules(fluctuation_min_reversals=None),
     (hbkit.HbkitError, TypeError), "StatusRules.fluctuation_min_reversals must be a whole "
     "number; received None"),
    ("target-rule-text-threshold", lambda: hbkit.TargetRule("maintain", threshold="x"),
     (hbkit.HbkitError, TypeError), "TargetRule threshold must be a number; received 'x'"),
    ("target-rule-text-rate", lambda: hbkit.TargetRule("relative_change", rate="x"),
     (hbkit.HbkitError, TypeError), "TargetRule rate must be a number; received 'x'"),
    ("target-rule-text-offset", lambda: hbkit.TargetRule("relative_change", rate=3,
                                                         baseline_offset="x"),
     (hbkit.HbkitError, TypeError), "TargetRule baseline_offset must be a whole number; "
     "received 'x'"),
    ("backtest-text-window", lambda: hbkit.backtest(CASES, window="x"),
     (hbkit.HbkitError, TypeError), "window must be a whole number; received 'x'"),
    ("backtest-fraction-window", lambda: hbkit.backtest(CASES, window=8.5),
     (hbkit.HbkitError, ValueError), "window must be a whole number; received 8.5"),
    ("backtest-text-horizon", lambda: hbkit.backtest(CASES, horizon="x"),
     (hbkit.HbkitError, TypeError), "horizon must be a whole number; received 'x'"),
    ("backtest-text-horizons", lambda: hbkit.backtest(CASES, horizon=[2, "five"]),
     (hbkit.HbkitError, TypeError), "horizon must be a whole number; received 'five'"),
    ("backtest-text-n-draws", lambda: hbkit.backtest(CASES, n_draws="x"),
     (hbkit.HbkitError, TypeError), "n_draws must be a whole number; received 'x'"),
    ("assess-text-n-draws", lambda: hbkit.assess(CASES, n_draws="x"),
     (hbkit.HbkitError, TypeError), "n_draws must be a whole number; received 'x'"),
    ("assess-text-seed", lambda: hbkit.assess(CASES, seed="x"),
     (hbkit.HbkitError, TypeError), "seed must be a whole number; received 'x'"),
    ("assess-no-level", lambda: hbkit.assess(CASES, level=None), (hbkit.HbkitError,),
     "level values must be numbers in percent; received None"),
    ("reliability-text-bins", lambda: hbkit.BacktestResult(CASES).reliability(n_bins="x"),
     (hbkit.HbkitError, TypeError), "n_bins must be a whole number; received 'x'"),
    ("decomposition-text-bins", lambda: hbkit.BacktestResult(CASES).brier_decomposition(
        n_bins="x"), (hbkit.HbkitError, TypeError), "n_bins must be a whole number; received 'x'"),
    ("pit-histogram-text-bins", lambda: scores.pit_histogram([0.1], [0.2], n_bins="x"),
     (hbkit.HbkitError, TypeError), "n_bins must be a whole number; received 'x'"),
    ("pit-histogram-no-bins", lambda: scores.pit_histogram([0.1], [0.2], n_bins=0),
     (hbkit.HbkitError, ValueError), "n_bins must be at least 1; received 0"),
    ("intervals-text-n-boot", lambda: hbkit.BacktestResult(CASES).score_intervals(n_boot="x"),
     (hbkit.HbkitError, TypeError), "n_boot must be a whole number; received 'x'"),
    ("intervals-text-seed", lambda: hbkit.BacktestResult(CASES).score_intervals(
        n_boot=10, seed="x"), (hbkit.HbkitError, TypeError),
     "seed must be a whole number; received 'x'"),
    ("suggest-text-n", lambda: hbkit.load_catalogue().suggest("imr", n="x"),
     (hbkit.HbkitError, TypeError), "n must be a whole number; received 'x'"),
    ("suggest-no-n", lambda: hbkit.load_catalogue().suggest("imr", n=0),
     (hbkit.HbkitError, ValueError), "n (how many suggestions) must be at least 1; received 0"),
    ("subset-text-as-of", lambda: hbkit.read_observations(pd.DataFrame(
        {"indicator": ["a"], "year": [2020], "value": [1.0]})).subset(as_of="x"),
     (hbkit.HbkitError,), "as_of must be a year such as 2023 or 2023年; received 'x'"),
    # hbkit.assess on an Observations without a year column
    ("assess-missing-column", lambda: hbkit.assess(hbkit.Observations(pd.DataFrame(
        {"indicator": ["x"], "geo": ["河北区"], "value": [1.0]}))), (hbkit.HbkitError,),
     "observations frame lacks the column(s) year"),
    # hbkit.scores
    ("scores-lengths", lambda: scores.brier_score([0.5], [1, 0]), (hbkit.HbkitError, ValueError),
     "probability has 1 values but outcome has 2"),
    ("scores-probability", lambda: scores.brier_score([0.5, 1.2], [1, 0]),
     (hbkit.HbkitError, ValueError), "probabilities must lie in [0, 1]; received 1.2"),
    ("scores-outcome", lambda: scores.log_score([0.5], [2]), (hbkit.HbkitError, ValueError),
     "outcomes must be 0/1 (or True/False); received 2"),
    ("scores-eps", lambda: scores.log_score([0.5], [1], eps=0.7), (hbkit.HbkitError, ValueError),
     "eps must lie in (0, 0.5); received 0.7"),
    ("scores-reliability-bins", lambda: scores.reliability_table([0.5], [1], n_bins=0),
     (hbkit.HbkitError, ValueError), "n_bins must be at least 1; received 0"),
    ("scores-decomposition-bins", lambda: scores.brier_decomposition([0.5], [1], n_bins=0),
     (hbkit.HbkitError, ValueError), "n_bins must be at least 1; received 0"),
    ("scores-interval-lengths", lambda: scores.interval_coverage([1], [2, 3], [1]),
     (hbkit.HbkitError, ValueError),
     "lo, hi and actual must have the same length; received 1, 2, 1"),
    ("scores-pit-coverage-lengths", lambda: scores.pit_coverage([0.1], [0.2, 0.3], 80),
     (hbkit.HbkitError, ValueError), "pit_lo and pit_hi must have the same length; received 1, 2"),
    ("scores-pit-histogram-lengths", lambda: scores.pit_histogram([0.1], [0.2, 0.3]),
     (hbkit.HbkitError, ValueError), "pit_lo and pit_hi must have the same length; received 1, 2"),
    # hbkit.conventions
    ("conventions-lengths", lambda: _official(latest_value=[8.0, 7.0]),
     (hbkit.HbkitError, ValueError), "array inputs must share one length; received lengths [2, 3]"),
    ("conventions-shape", lambda: _official(base_value=[[10.0, 10.0, 10.0]]),
     (hbkit.HbkitError, ValueError),
     "base_value must be a scalar or have shape (3,); received shape (1, 3)"),
    ("conventions-direction-shape", lambda: _official(direction=[["decrease"] * 3]),
     (hbkit.HbkitError, ValueError),
     "direction must be a scalar or have shape (3,); received shape (1, 3)"),
    ("conventions-direction", lambda: _official(direction="down"), (hbkit.HbkitError, ValueError),
     "direction must be 'increase', 'decrease' or 'none'; received 'down'"),
    ("conventions-recent-changes", lambda: _official(recent_changes=np.zeros((2, 5))),
     (hbkit.HbkitError, ValueError),
     "recent_changes must have shape (3,) or (3, k); received shape (2, 5)"),
    ("conventions-mean-change", lambda: conventions.mean_recent_change([[1.0, 2.0, 3.0]],
                                                                      [2020, 2021]),
     (hbkit.HbkitError, ValueError), "values has 3 columns but years has 2 entries"),
    # hbkit.attainment
    ("attainment-compare-direction", lambda: compare([1.0], 1.0, "none"),
     (hbkit.HbkitError, ValueError), "direction must be 'increase' or 'decrease'; received 'none'"),
    ("attainment-last-axis", lambda: evaluate_event(TARGET, [2024, 2025], np.zeros((1, 3))),
     (hbkit.HbkitError, ValueError), "values' last axis (3) must match years (2)"),
    ("attainment-relational-event", lambda: evaluate_event(RELATIONAL, [2025], np.ones((1, 1))),
     (hbkit.HbkitError, ValueError),
     "a relational target needs the reference trajectories (reference=)"),
    ("attainment-projection-ends", lambda: probability(TARGET, _project(target_year=2023)),
     (hbkit.HbkitError, ValueError), "the projection ends in 2023, before the target year 2025"),
    ("attainment-relational-projection", lambda: probability(RELATIONAL, _project()),
     (hbkit.HbkitError, ValueError),
     "a relational target needs the reference projection (reference=)"),
    # hbkit.BacktestResult
    ("backtest-concat-none", lambda: hbkit.BacktestResult.concat([]),
     (hbkit.HbkitError, ValueError), "concat needs at least one BacktestResult"),
    ("backtest-concat-levels", lambda: hbkit.BacktestResult.concat([
        hbkit.BacktestResult(CASES, levels=(80.0,)), hbkit.BacktestResult(CASES, levels=(95.0,))]),
     (hbkit.HbkitError, ValueError), "results have different levels: [(80.0,), (95.0,)]"),
    ("backtest-no-pit", lambda: hbkit.BacktestResult(CASES).pit_histogram(),
     (hbkit.HbkitError, ValueError), "these cases have no PIT columns (pit_lo, pit_hi)"),
    ("backtest-no-model-coverage", lambda: hbkit.BacktestResult(CASES).interval_check(),
     (hbkit.HbkitError, ValueError),
     "these cases have no model_coverage columns (backtest them again)"),
    ("backtest-n-boot", lambda: hbkit.BacktestResult(CASES).score_intervals(n_boot=0),
     (hbkit.HbkitError, ValueError), "n_boot must be at least 1; received 0"),
    ("backtest-cluster", lambda: score_intervals(CASES, n_boot=10, cluster="country"),
     (hbkit.HbkitError, ValueError),
     "cluster must be 'auto', 'geo' or 'series'; received 'country'"),
    # hbkit.plotting.reliability_diagram
    ("reliability-source", lambda: plotting.reliability_diagram(42),
     (hbkit.HbkitError, TypeError),
     "reliability_diagram takes a BacktestResult or a reliability table (DataFrame); "
     "received int"),
    ("reliability-columns", lambda: plotting.reliability_diagram(pd.DataFrame({"p": [0.5]})),
     (hbkit.HbkitError,), "reliability table needs a forecast probability column (one of "
     "mean_probability"),
    # immutable catalogue, a name hbkit does not have
    ("catalogue-set", lambda: _set_name(hbkit.load_catalogue()), (AttributeError,),
     "Catalogue is immutable; cannot set 'name'"),
    ("catalogue-delete", lambda: _del_name(hbkit.load_catalogue()), (AttributeError,),
     "Catalogue is immutable; cannot delete 'name'"),
    ("hbkit-attribute", lambda: hbkit.asses, (AttributeError,),  # type: ignore[attr-defined]
     "module 'hbkit' has no attribute 'asses'"),
]


def _check_bilingual(message: str, english: str) -> None:
    assert re.match(r"^[^/]*[\u4e00-\u9fff]", message), message  # Chinese before the first " / "
    assert " / " in message, message
    assert english in message.split(" / ", 1)[1], message


@pytest.mark.parametrize(("call", "kinds", "english"),
                         [case[1:] for case in CASES_NO_ASSESSMENT],
                         ids=[case[0] for case in CASES_NO_ASSESSMENT])
def test_error_is_chinese_first_then_the_english(call: Callable[[], Any], kinds: tuple[type, ...],
                                                 english: str) -> None:
    with pytest.raises(kinds[0]) as caught:
        call()
    assert all(isinstance(caught.value, kind) for kind in kinds), type(caught.value).__mro__
    _check_bilingual(str(caught.value), english)


@pytest.fixture(scope="module")
def assessment() -> hbkit.Assessment:
    return small_assessment()


#: (id, the call on an assessment, the English the message must keep)
CASES_ON_ASSESSMENT: list[tuple[str, Callable[[hbkit.Assessment], Any], str]] = [
    ("panels-max-rows", lambda res: plotting.probability_panels(res, "zh", max_rows=0),
     "max_rows must be at least 1; received 0"),
    ("panels-max-rows-text", lambda res: plotting.probability_panels(res, "zh", max_rows="many"),
     "max_rows must be a whole number; received 'many'"),
    ("json-text-indent", lambda res: res.to_json(indent="x"),
     "indent must be a whole number; received 'x'"),
    ("chart-text-threshold", lambda res: plotting.probability_chart(res, thresholds=(0.5, "x")),
     "thresholds must be a number; received 'x'"),
    ("chart-threshold-in-percent", lambda res: plotting.probability_chart(res, thresholds=(50, 80)),
     "thresholds are probabilities in [0, 1]; received 50"),
    ("chart-axes-without-by", lambda res: plotting.probability_chart(
        res, ax=plt.subplots(1, 2)[1]),
     "ax must be one Axes when by is None; pass by='plan' to draw panels"),
    ("chart-one-axes-by-plan", lambda res: plotting.probability_chart(
        res, by="plan", ax=plt.subplots()[1]), "pass ax=None or a sequence of"),
    ("changes-since-a-later-one", lambda res: small_assessment(as_of=2022).changes_since(res),
     "the earlier assessment (as_of=2023) is later than the current one (as_of=2022): "
     "pass the earlier one first"),
]


@pytest.mark.parametrize(("call", "english"), [case[1:] for case in CASES_ON_ASSESSMENT],
                         ids=[case[0] for case in CASES_ON_ASSESSMENT])
def test_chart_error_is_chinese_first_then_the_english(assessment: hbkit.Assessment,
                                                       call: Callable[[hbkit.Assessment], Any],
                                                       english: str) -> None:
    try:
        with pytest.raises(hbkit.HbkitError) as caught:
            call(assessment)
    finally:
        plt.close("all")
    _check_bilingual(str(caught.value), english)


def test_panels_read_a_max_rows_spelt_as_text(assessment: hbkit.Assessment) -> None:
    """``max_rows="1"`` is read as 1, as other options spelt as text are: the same panels."""
    as_text = plotting.probability_panels(assessment, "en", max_rows="1")
    as_number = plotting.probability_panels(assessment, "en", max_rows=1)
    assert [(title, len(rows)) for title, rows in as_text] == \
        [(title, len(rows)) for title, rows in as_number]
    assert len(as_text) > len(plotting.probability_panels(assessment, "en", max_rows=200))


def test_numbers_spelt_as_text_are_read_as_the_numbers() -> None:
    """A text that clearly spells a number is read as it, as ``seed="7"`` and ``level="80"``
    are (hbkit._options): the same rules, rule, tables and backtest as the numbers give."""
    assert hbkit.StatusRules(on_track="0.9", min_observations="4", z_report="2") == \
        hbkit.StatusRules(on_track=0.9, min_observations=4, z_report=2.0)
    assert hbkit.StatusRules(min_observations=4.0).min_observations == 4  # a whole float: an int
    assert hbkit.TargetRule("relative_change", rate="3", baseline_offset="2") == \
        hbkit.TargetRule("relative_change", rate=3.0, baseline_offset=2)
    result = hbkit.BacktestResult(CASES)
    pd.testing.assert_frame_equal(result.reliability(n_bins="5"), result.reliability(n_bins=5))
    assert len(result.reliability(n_bins="5")) == 5
    rows = [{"indicator": "under5_mortality_rate", "geo": f"G{i}", "year": year,
             "value": 40 * np.exp(-0.04 * (year - 2000)) * (1 + 0.01 * ((i + year) % 3)),
             "unit": "per_1000"} for i in range(3) for year in range(2000, 2016)]
    as_text = hbkit.backtest(pd.DataFrame(rows), origins=[2010], horizon="3", window="6",
                             n_draws="200", seed="1")
    as_numbers = hbkit.backtest(pd.DataFrame(rows), origins=[2010], horizon=3, window=6,
                                n_draws=200, seed=1)
    pd.testing.assert_frame_equal(as_text.cases, as_numbers.cases)
    assert as_text.settings["window"] == 6 and len(as_text.cases) > 0
    # project reads its n_draws as assess and backtest do: the same paths
    spelt, counted = _project(n_draws="60", seed=3), _project(n_draws=60, seed=3)
    assert spelt.paths.shape == (1, 60, 5)
    np.testing.assert_array_equal(spelt.paths, counted.paths)
