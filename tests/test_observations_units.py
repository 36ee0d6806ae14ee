"""Unit spellings and exact conversions; cell parsing of Chinese-Windows numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hbkit.observations.cells import CellError, parse_number, parse_year
from hbkit.observations.units import canonical_unit, conversion_factor, convert


@pytest.mark.parametrize(("spelling", "unit"), [
    ("%", "percent"), ("％", "percent"), ("百分比", "percent"), ("Percent", "percent"),
    ("‰", "per_1000"), ("千分之", "per_1000"), ("1/1000", "per_1000"), ("per 1,000", "per_1000"),
    ("/万", "per_10k"), ("‱", "per_10k"), ("1/万", "per_10k"),
    ("/10万", "per_100k"), ("1/10万", "per_100k"), ("／10万", "per_100k"),
    ("per 100,000", "per_100k"), ("per 100 000", "per_100k"), ("十万分之", "per_100k"),
    ("每千人口", "per_1000_population"), ("每万人口", "per_10k_population"),
    ("岁", "years"), ("个", "count"), ("次/年", "times_per_year"), ("小时/天", "hours_per_day"),
    ("per_100k", "per_100k"), (" (‰) ", "per_1000"), ("", ""), (None, ""),
    # people counted: 1名女干部, 2人
    ("人", "persons"), ("名", "persons"), ("persons", "persons"), ("people", "persons"),
    ("人 / persons", "persons"),
    # a gap between two percentages (men's minus women's share)
    ("个百分点", "percentage_points"), ("百分点", "percentage_points"), ("pp", "percentage_points"),
    ("percentage points", "percentage_points"), ("Percentage point", "percentage_points"),
    ("p.p.", "percentage_points"), ("个百分点 / percentage points", "percentage_points"),
    ("percentage_points", "percentage_points"),
])
def test_unit_spellings(spelling, unit):
    assert canonical_unit(spelling) == unit


def test_unknown_spelling_is_none():
    assert canonical_unit("米") is None


@pytest.mark.parametrize(("source", "target", "value", "expected"), [
    ("per_1000", "per_100k", 0.57, 57.0),       # 0.57‰ = 57 per 100,000
    ("percent", "per_1000", 0.35, 3.5),
    ("per_100k", "percent", 8.5, 0.0085),
    ("per_10k", "per_1000", 12.0, 1.2),
    ("percent", "percent", 99.98, 99.98),
    ("persons", "count", 3.0, 3.0),             # 3人 is the count 3
    ("count", "persons", 12.0, 12.0),
    ("percent", "percentage_points", -0.3, -0.3),  # a gap written in % is in points
])
def test_exact_conversions(source, target, value, expected):
    assert convert(value, conversion_factor(source, target)) == expected


@pytest.mark.parametrize(("source", "target"), [
    ("per_1000", "per_1000_population"), ("percent", "years"), ("count", "percent"),
    ("ratio", "percent"),
    ("percentage_points", "percent"),   # a gap is no share
    ("percentage_points", "per_1000"), ("persons", "percent"),
])
def test_inexact_pairs_refused(source, target):
    assert conversion_factor(source, target) is None


SCALES = {"percent": 100, "per_1000": 1000, "per_10k": 10**4, "per_100k": 10**5}


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False),
       st.sampled_from(sorted(SCALES)), st.sampled_from(sorted(SCALES)))
def test_conversion_is_decimal_exact_and_reversible(number, source, target):
    value = float(number)
    there = convert(value, conversion_factor(source, target))
    assert there == float(Decimal(repr(value)) * SCALES[target] / SCALES[source])
    assert convert(there, conversion_factor(target, source)) == value


@pytest.mark.parametrize(("cell", "value", "unit"), [
    ("９５．２", 95.2, ""), ("95.2%", 95.2, "percent"), (" 95.2 ％ ", 95.2, "percent"),
    ("4,123", 4123.0, ""), ("−1.5", -1.5, ""), ("3.02‰", 3.02, "per_1000"),
    ("8.5/10万", 8.5, "per_100k"), ("1e3", 1000.0, ""), (12, 12.0, ""), (0.5, 0.5, ""),
])
def test_numbers(cell, value, unit):
    number = parse_number(cell)
    assert (number.value, number.unit, number.missing) == (value, unit, False)


@pytest.mark.parametrize("cell", ["…", "—", "-", "NA", "n/a", "", None, "   "])
def test_missing_markers(cell):
    assert parse_number(cell).missing


@pytest.mark.parametrize("cell", ["abc", "1.2.3", "12 34", "95.2米", True, "1,23"])
def test_not_numbers(cell):
    with pytest.raises(CellError):
        parse_number(cell)


def test_excel_percent_format():
    number = parse_number(0.9998, percent_format=True)
    assert (number.value, number.unit) == (99.98, "percent")


@pytest.mark.parametrize(("cell", "year"), [("2021", 2021), ("2021年", 2021), ("２０２１", 2021),
                                            (2021.0, 2021), ("2021年度", 2021), (1949, 1949)])
def test_years(cell, year):
    assert parse_year(cell) == year


@pytest.mark.parametrize("cell", ["1948", 2101, 2021.5, "二〇二一", "", None, "2021-01-01"])
def test_bad_years(cell):
    with pytest.raises(CellError):
        parse_year(cell)


@pytest.mark.parametrize("unit", ["percent", "per_1000", "per_10k", "per_100k",
                                  "per_1000_population", "per_10k_population", "years",
                                  "count", "times_per_year", "hours_per_day", "ratio"])
def test_hbkit_report_unit_labels_read_back(unit):
    """The 单位 column of a report's 数据 sheet holds labels like ``个 / count``."""
    from hbkit.report.excel import code_label

    assert canonical_unit(code_label("unit", unit)) == unit


@pytest.mark.parametrize("text", ["个 / years", "% / count", "个 / furlongs"])
def test_bilingual_label_with_disagreeing_sides_is_unknown(text):
    assert canonical_unit(text) is None
