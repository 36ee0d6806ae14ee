"""``value-far-from-trend``: a value far off its own series, a likely data-entry error.

The statistician's review (review27_c, section 2) found that one mistyped year takes
over a projection: coverage 90 -> 93.5 with 2019 typed as 60 moves P(>=95%) from 0.002
to 0.275; an infant mortality 6.0 -> 4.2 with one year typed 0 moves P(<=5) from 1.00
to 0.64. The value is now listed as a data warning (used as it is), which the
assessment and every report carry; noise, rounding, modest real changes, rare events
and counts are not flagged, and the shipped real series seldom fire.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hbkit
from hbkit import DataWarning, Target, read_observations
from hbkit.backtesting.simulate import simulated_districts
from hbkit.datasets import load_example
from hbkit.observations import outliers
from hbkit.observations.outliers import FAR_SCALES, FAR_SHARE, far_from_trend

CATALOGUE = hbkit.Catalogue([
    Target(id="C-imm", indicator="immunization_coverage", kind="lower_bound", threshold=95,
           unit="percent", target_year=2025, domain="health", name_zh="免疫接种率"),
    Target(id="C-imr", indicator="infant_mortality_rate", kind="upper_bound", threshold=5,
           unit="per_1000", target_year=2025, domain="health", name_zh="婴儿死亡率"),
    Target(id="C-mmr", indicator="maternal_mortality_ratio", kind="upper_bound",
           threshold=8.5, unit="per_100k", target_year=2025, domain="health",
           name_zh="孕产妇死亡率"),
], default_geo="河北区")
YEARS = list(range(2016, 2024))
COVERAGE = [90, 90.5, 91, 91.5, 92, 92.5, 93, 93.5]
IMR = [6.0, 5.5, 5.2, 5.0, 4.8, 4.6, 4.4, 4.2]
HEADER = "指标代码,地区,年份,数值,分子,分母,单位\n"


def _csv(tmp_path: Path, rows: list[tuple[str, int, object, str]],
         counts: dict[int, tuple[int, int]] | None = None) -> Path:
    counts = counts or {}
    path = tmp_path / "上报.csv"
    body = "".join(f"{ind},河北区,{year},{value},{counts.get(year, ('', ''))[0]},"
                   f"{counts.get(year, ('', ''))[1]},{unit}\n"
                   for ind, year, value, unit in rows)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _read(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obs = read_observations(path, CATALOGUE)
    messages = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    return obs.warnings, obs.frame, messages


def _series(indicator: str, values: list[float], unit: str) -> list[tuple[str, int, object, str]]:
    return [(indicator, year, f"{v:g}", unit) for year, v in zip(YEARS, values, strict=True)]


def test_reviewer_coverage_with_2019_typed_60(tmp_path):
    values = COVERAGE.copy()
    values[3] = 60
    found, frame, messages = _read(_csv(tmp_path, _series("immunization_coverage", values, "%")))
    assert found[["row", "column", "value", "code", "indicator", "geo", "year"]
                 ].values.tolist() == [[5, "数值", "60", "value-far-from-trend",
                                        "immunization_coverage", "河北区", 2019]]
    assert found.loc[0, "file"].endswith("上报.csv")
    rule = found.loc[0, "rule"]
    assert "数值远离同一序列前后几年的趋势，可能是录入错误" in rule
    assert "2019年 60 与该序列前后5年内其他年份的趋势（约91.5）相差 31.5" in rule
    assert "60 in 2019 is 31.5 off the trend of the series' other years within 5 years " \
           "(about 91.5), 34% of their median (92): a data-entry error?" in rule
    assert frame["value"].tolist()[3] == 60.0  # used as it is
    assert messages and "values far off their series' trend" in messages[-1]


def test_reviewer_infant_mortality_with_a_zero(tmp_path):
    values = IMR.copy()
    values[2] = 0.0
    found, _, _ = _read(_csv(tmp_path, _series("infant_mortality_rate", values, "‰")))
    assert found[["row", "value", "code", "year"]].values.tolist() == [
        [4, "0", "value-far-from-trend", 2018]]
    assert "2018年 0 与该序列前后5年内其他年份的趋势（约5.27）相差 5.27" in found.loc[0, "rule"]


@pytest.mark.parametrize("values", [
    COVERAGE,                                   # a straight line
    [90, 91, 89, 92, 90.5, 93, 91, 94],         # noise
    [99, 99, 99, 99, 95, 99, 99, 99],           # a flat series, one lower year
    [60, 65, 71, 76, 82, 87, 93, 95],           # a steep real rise
    [95, 95, 96, 95, 80, 82, 83, 84],           # a real drop of 16%, kept up after
    [90, 90.5, 60, 92],                         # four years: too short to judge
])
def test_real_looking_coverage_is_not_flagged(tmp_path, values):
    rows = [("immunization_coverage", 2016 + i, f"{v:g}", "%") for i, v in enumerate(values)]
    found, _, messages = _read(_csv(tmp_path, rows))
    assert found.empty and not messages


def test_five_years_are_enough(tmp_path):
    rows = [("immunization_coverage", 2016 + i, f"{v:g}", "%")
            for i, v in enumerate([90, 90.5, 60, 91.5, 92])]
    found, _, _ = _read(_csv(tmp_path, rows))
    assert found[["year", "code"]].values.tolist() == [[2018, "value-far-from-trend"]]


def test_rare_events_and_counts_are_not_flagged(tmp_path):
    """A rate of rare events with years at 0 (0, 25, 0, 0, 22 per 100,000), and a rate given
    with its numerator and denominator: Poisson noise, handled by the count models."""
    rare = _series("maternal_mortality_ratio", [0, 25, 0, 0, 22, 0, 0, 0], "1/10万")
    found, _, _ = _read(_csv(tmp_path, rare))
    assert found.empty
    values = IMR.copy()
    values[2] = 0.0
    counted = {year: (round(v * 4), 4000) for year, v in zip(YEARS, values, strict=True)}
    rows = [("infant_mortality_rate", year, f"{k / 4:g}", "‰")
            for year, (k, _) in counted.items()]
    found, _, _ = _read(_csv(tmp_path, rows, counted))
    assert found.empty


def test_a_fraction_is_said_once(tmp_path):
    """0.95 among values near 95 is a percent typed as a fraction, not also an outlier."""
    values = [95.1, 95.3, 0.955, 95.8, 96, 96.2, 96.5, 96.6]
    found, _, _ = _read(_csv(tmp_path, _series("immunization_coverage", values, "%")))
    assert found[["row", "code"]].values.tolist() == [[4, "value-looks-fraction"]]


def test_wide_table_names_the_year_column(tmp_path):
    values = COVERAGE.copy()
    values[3] = 60
    path = tmp_path / "年鉴.csv"
    path.write_text("指标代码,地区,单位," + ",".join(f"{y}年" for y in YEARS) + "\n"
                    "immunization_coverage,河北区,%," + ",".join(f"{v:g}" for v in values)
                    + "\n", encoding="utf-8")
    found, _, _ = _read(path)
    assert found[["row", "column", "value", "code", "year"]].values.tolist() == [
        [2, "2019年", "60", "value-far-from-trend", 2019]]


def test_the_warning_reaches_the_assessment(tmp_path):
    values = COVERAGE.copy()
    values[3] = 60
    path = _csv(tmp_path, _series("immunization_coverage", values, "%"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        obs = read_observations(path, CATALOGUE)
        res = hbkit.assess(obs, catalogue=CATALOGUE, as_of=2023, n_draws=200, seed=0)
    assert res.data_warnings_frame()["code"].tolist() == ["value-far-from-trend"]
    row = res.to_frame().set_index("target_id").loc["C-imm"]
    assert row["data_warnings"] == "value-far-from-trend"
    assert "数值远离序列趋势：2019年，上报.csv 第5行" in row["reason_zh"]
    assert "a value far off its series' trend: 2019, 上报.csv row 5" in row["reason_en"]


def test_far_from_trend_on_arrays():
    years = np.arange(2000, 2021)
    line = 50 + 0.5 * (years - 2000)
    values = np.vstack([line, line, line, line])
    values[1, 3] = 20       # far off: flagged
    values[2, 3] = 45       # 15% off a clean line: below the share, not flagged
    values[3, 12] = np.nan  # a gap: nothing to flag
    found = far_from_trend(years, values)
    assert found.flagged.nonzero() == (np.array([1]), np.array([3]))
    assert found.trend[1, 3] == pytest.approx(51.5)
    # a long series is compared locally: a curve is not taken for a line
    curve = 200 * np.exp(-0.08 * (years - 2000))[None, :]
    assert not far_from_trend(years, np.round(curve, 1)).flagged.any()
    # the skipped value is neither flagged nor used
    skip = np.zeros(values.shape, dtype=bool)
    skip[1, 3] = True
    assert not far_from_trend(years, values, skip).flagged.any()


def test_spread_is_floored_at_the_reporting_step():
    """Whole numbers 2, 2, 2, 2, 1, 2 ...: a spread of 0 is floored at 1, so a year one
    lower (50% of the level) is rounding, not an outlier; at 0.1 steps it is flagged."""
    years = np.arange(2016, 2024)
    whole = np.array([[2.0, 2, 2, 2, 1, 2, 2, 2]])
    assert not far_from_trend(years, whole).flagged.any()
    assert far_from_trend(years, np.array([[2.0, 2, 2, 2, 1.1, 2, 2, 2]])).flagged[0, 4]
    # a lone 0 among whole numbers near 2 (women in a leadership team) may be real: a 0 is
    # flagged only beyond 6 reporting steps, among 10s, or among rates given to 0.1
    assert not far_from_trend(years, np.array([[3.0, 4, 2, 3, 0, 3, 4, 3]])).flagged.any()
    assert far_from_trend(years, np.array([[10.0, 11, 9, 10, 0, 10, 11, 9]])).flagged[0, 4]


def _flagged(frame: pd.DataFrame) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = read_observations(frame).warnings
    return int((found["code"] == "value-far-from-trend").sum())


def _district_counts_as_values() -> pd.DataFrame:
    """``benchmarks/bench_backtest.py`` ``district_counts()`` without its counts."""
    return simulated_districts(11).assign(numerator=np.nan, denominator=np.nan)


@pytest.mark.parametrize(("name", "expected", "checked"), [
    ("igme2021", 44, 30_932), ("dtp3", 43, 7_530), ("china", 0, 103),
    ("hebei_example", 0, 592), ("hebei_example_final", 0, 740),
    ("district counts as values", 0, 2_990), ("the same, 8-year series", 17, 3_588),
])
def test_false_alarms_on_real_and_simulated_series(name, expected, checked):
    """The figures quoted beside ``FAR_SCALES``: on the shipped real series few values fire
    (real crises and breaks, worth a look), on the simulated district none."""
    assert (FAR_SCALES, FAR_SHARE, outliers.ZERO_SCALES) == (6.0, 0.25, 2.5)
    if name == "district counts as values":
        frame = _district_counts_as_values()
    elif name == "the same, 8-year series":  # 1998-2005, 2006-2013, 2014-2021: a plan period
        frame = _district_counts_as_values()
        frame["geo"] = frame["geo"] + "/" + ((frame["year"] - 1998) // 8).astype(str)
    else:
        frame = load_example(name).observations
    assert _flagged(frame) == expected
    assert f"{expected} of {checked:,}" in _constant_comment()  # the figures quoted


def _constant_comment() -> str:
    """The comment block above ``FAR_SCALES`` in the module's source (where the figures are)."""
    text = Path(outliers.__file__).read_text(encoding="utf-8")
    start = text.index("#: a value is flagged when off its trend")
    return " ".join(line.lstrip("#: ").strip()
                    for line in text[start:text.index("FAR_SCALES = ")].splitlines())


@pytest.mark.parametrize(("events", "zero_flagged", "false_alarms"), [
    (5, 0.19, 0.0026), (10, 0.45, 0.0014), (20, 0.76, 0.0013), (100, 1.00, 0.0007)])
def test_values_only_rates_with_a_year_typed_0(events, zero_flagged, false_alarms):
    """Rates of ``events`` a year given as values (8 years, exposure 3,000-5,000 varying by
    +-10%): the share of series whose year typed 0 is flagged, and of values flagged without
    the slip (the figures beside ``ZERO_SCALES`` and ``FAR_SCALES``)."""
    rng = np.random.default_rng(1)
    for lam in (3, 5, 10, 20, 50, 100):  # the sequence of draws the figures came from
        n = np.rint(rng.uniform(3000, 5000, size=(10_000, 1))
                    * rng.uniform(0.9, 1.1, size=(10_000, 8)))
        values = np.round(rng.poisson(lam * n / 4000) / n * 1000, 2)
        if lam == events:
            break
    years = np.arange(2016, 2024)
    assert far_from_trend(years, values).flagged.mean() == pytest.approx(false_alarms,
                                                                         abs=5e-5)
    values[:, 3] = 0
    assert far_from_trend(years, values).flagged[:, 3].mean() == pytest.approx(zero_flagged,
                                                                               abs=0.005)
