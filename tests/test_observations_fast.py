"""The vectorised checks give exactly what checking every row in Python gives.

``read_observations`` checks plainly clean rows of long tables column by
column (``hbkit.observations.fast``) and every other row one by one;
``check_source(..., vectorised=False)`` checks every row one by one. On large
seeded frames with bad rows of every kind sprinkled in, the two must agree on
everything a user sees: the frame, the logs, the problem table, the warning.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hbkit import DataValidationError, Target
from hbkit.observations import read_observations
from hbkit.observations.files import read_csv_text
from hbkit.observations.reader import check_source

CATALOGUE = [
    Target(id="W-mmr", indicator="maternal_mortality_ratio", kind="upper_bound",
           threshold=8.5, unit="per_100k", name_zh="孕产妇死亡率"),
    Target(id="W-hdr", indicator="hospital_delivery_rate", kind="lower_bound",
           threshold=99, unit="percent", name_zh="住院分娩率"),
    Target(id="C-imr", indicator="infant_mortality_rate", kind="upper_bound",
           threshold=5, unit="per_1000", name_zh="婴儿死亡率"),
    Target(id="C-hs", indicator="high_school_gross_enrollment_rate", kind="lower_bound",
           threshold=98, unit="percent", bounded=False, name_zh="高中阶段毛入学率"),
    Target(id="W-life", indicator="female_life_expectancy", kind="lower_bound",
           threshold=82, unit="years", name_zh="女性人均预期寿命"),
]
YEARS = np.arange(2016, 2024)


def clean_frame(n_areas: int, seed: int) -> pd.DataFrame:
    """A clean long frame of 5 indicators x ``n_areas`` areas x 8 years, as text cells."""
    rng = np.random.default_rng(seed)
    pieces = []
    geos = np.repeat([f"河北区/街道{i:04d}" for i in range(n_areas)], YEARS.size)
    years = np.tile(YEARS, n_areas)
    size = n_areas * YEARS.size
    for indicator, unit, scale in (("maternal_mortality_ratio", "per_100k", 1e5),
                                   ("infant_mortality_rate", "per_1000", 1e3),
                                   ("hospital_delivery_rate", "percent", 100.0)):
        den = rng.integers(2_000, 20_000, size).astype(float)
        rate = {1e5: 1e-4, 1e3: 4e-3, 100.0: 0.98}[scale]
        num = rng.binomial(den.astype(np.int64), rate).astype(float)
        value = num / den * scale
        printed = [f"{v:.{d}f}" for v, d in zip(value, rng.integers(1, 4, size), strict=True)]
        pieces.append(pd.DataFrame({"indicator": indicator, "geo": geos, "year": years.astype(str),
                                    "value": printed, "numerator": [f"{x:g}" for x in num],
                                    "denominator": [f"{x:g}" for x in den], "unit": unit}))
    for indicator, unit in (("high_school_gross_enrollment_rate", "%"),
                            ("female_life_expectancy", "岁")):
        value = np.round(rng.uniform(60, 105, size), 2)
        pieces.append(pd.DataFrame({"indicator": indicator, "geo": geos, "year": years.astype(str),
                                    "value": value.astype(str), "numerator": "",
                                    "denominator": "", "unit": unit}))
    return pd.concat(pieces, ignore_index=True)


NAMES = {t.indicator: t.name_zh for t in CATALOGUE}
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

#: (column, edit) pairs that are logged but not fatal; an edit is a cell or a function of it
LOGGED = [("value", ""), ("value", "…"), ("geo", lambda g: f" {g.replace('/', ' / ')} "),
          ("indicator", NAMES.get), ("value", lambda v: v.translate(FULL_WIDTH)),
          ("unit", ""), ("year", lambda y: f"{y}年"), ("value", lambda v: f" {v} ")]
#: edits that are fatal (or make a row disagree with its counts)
FATAL = [("value", "abc"), ("year", "1890"), ("year", "2020.5"), ("indicator", ""),
         ("indicator", "no_such_indicator"), ("value", "-3"), ("value", "1e999"),
         ("value", "1_000"), ("denominator", "0"), ("numerator", ""), ("unit", "furlongs"),
         ("unit", "‰"), ("value", "1000"), ("numerator", "99999999"), ("value", "inf"),
         ("value", "12%"), ("geo", "")]


def spoil(frame: pd.DataFrame, edits: list[tuple[str, object]], n_bad: int,
          seed: int) -> pd.DataFrame:
    """``frame`` with ``n_bad`` seeded rows edited (cycling through ``edits``)."""
    rng = np.random.default_rng(seed)
    out = frame.copy()
    rows = rng.choice(len(out), size=n_bad, replace=False)
    for k, row in enumerate(rows):
        column, edit = edits[k % len(edits)]
        at = out.columns.get_loc(column)
        out.iloc[row, at] = edit(out.iloc[row, at]) if callable(edit) else edit
    return out


def both_paths(source: object, catalogue: object = CATALOGUE,
               **options: object) -> tuple[object, object]:
    """``(vectorised, per row)`` results: an Observations or a DataValidationError."""
    results = []
    for vectorised in (True, False):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result: object = check_source(source, catalogue, vectorised=vectorised,
                                              **options)  # type: ignore[arg-type]
            except DataValidationError as exc:
                result = exc
        results.append((result, [str(w.message) for w in caught]))
    (fast, fast_warnings), (slow, slow_warnings) = results
    assert fast_warnings == slow_warnings
    return fast, slow


def assert_same(fast: object, slow: object) -> None:
    assert type(fast) is type(slow)
    if isinstance(slow, DataValidationError):
        assert isinstance(fast, DataValidationError)
        pd.testing.assert_frame_equal(fast.problems, slow.problems)
        assert str(fast) == str(slow)
        return
    for name in ("frame", "excluded", "missing", "changes"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name))
    assert fast.ignored_columns == slow.ignored_columns  # type: ignore[attr-defined]


def test_logged_rows_give_the_same_observations_and_logs(tmp_path: Path) -> None:
    frame = spoil(clean_frame(1_250, seed=1), LOGGED, n_bad=400, seed=2)  # 50,000 rows
    frame = pd.concat([frame, frame.iloc[[5, 17, 30_001]]], ignore_index=True)  # merged
    frame.loc[len(frame)] = ["maternal_mortality_ratio", "", "2020", "", "", "", ""]
    path = tmp_path / "logged.csv"
    frame.to_csv(path, index=False)
    fast, slow = both_paths(path)
    assert_same(fast, slow)
    assert len(fast.frame) == 50_001  # type: ignore[attr-defined]
    assert len(fast.excluded) == 3  # type: ignore[attr-defined]
    assert len(fast.missing) > 30 and len(fast.changes) > 100  # type: ignore[attr-defined]
    fast, slow = both_paths(frame)  # the same rows as a DataFrame
    assert_same(fast, slow)


def test_fatal_rows_give_the_same_problem_table(tmp_path: Path) -> None:
    frame = spoil(clean_frame(1_250, seed=3), LOGGED + FATAL, n_bad=500, seed=4)
    path = tmp_path / "fatal.csv"
    frame.to_csv(path, index=False, encoding="gbk")
    fast, slow = both_paths(path)
    assert isinstance(fast, DataValidationError)
    assert_same(fast, slow)
    codes = set(fast.problems["code"])
    assert {"not-a-number", "year-invalid", "value-disagrees", "above-100", "negative",
            "zero-denominator", "numerator-denominator-pair", "unit-unknown",
            "unknown-indicator", "infinite"} <= codes
    assert len(fast.problems) >= 300
    fast, slow = both_paths(frame, unknown="exclude")
    assert_same(fast, slow)


def test_numeric_columns_and_provenance_frames_agree() -> None:
    frame = clean_frame(300, seed=5)
    numeric = frame.assign(year=frame["year"].astype(int),
                           value=pd.to_numeric(frame["value"]),
                           numerator=pd.to_numeric(frame["numerator"]),
                           denominator=pd.to_numeric(frame["denominator"]))
    numeric.loc[[3, 400, 4_000], "value"] = [np.nan, -1.0, np.inf]
    assert_same(*both_paths(numeric))
    obs = read_observations(numeric.drop(index=[400, 4_000]), CATALOGUE)
    assert_same(*both_paths(obs))  # file and row are kept
    assert_same(*both_paths(obs.frame.assign(value=obs.frame["value"] * 1.5)))


@pytest.mark.parametrize("text", [
    "title\n\nindicator,year,value\nimr,2020,3.1\nimr,2021,,extra,cells\n  \nimr,2022,2\n",
    "indicator;year;value\r\nimr;2020;3,1\r\n\r\nimr;2021;2.9",
    "a\tb\n1\t2\t3\t4\n",
])
def test_unquoted_csv_splits_as_the_csv_module_does(text: str) -> None:
    table = read_csv_text(text, "t.csv")
    records = list(csv.reader(io.StringIO(text, newline=""),
                              delimiter=";" if ";" in text else "\t" if "\t" in text else ","))
    assert len(table) == len(records)
    for index, record in enumerate(records):
        cells = table.cells(index)
        assert cells[:len(record)] == record
        assert all(c in ("", None) for c in cells[len(record):])


def test_clean_rows_take_the_vectorised_path() -> None:
    """The comparisons above are not vacuous: clean rows are checked column-wise."""
    from hbkit.observations.checks import RecordChecker
    from hbkit.observations.fast import fast_rows
    from hbkit.observations.files import read_frame
    from hbkit.observations.indicators import IndicatorMatcher
    from hbkit.observations.layout import find_header

    frame = clean_frame(100, seed=6)
    table = read_frame(frame)
    checker = RecordChecker(IndicatorMatcher(CATALOGUE), "河北区", None, "error")
    taken, clean = fast_rows(table, find_header(table), checker)
    assert taken[1:].all() and not taken[0] and len(clean) == len(frame)
    bad = spoil(frame, FATAL, n_bad=len(FATAL), seed=7)
    spoilt = read_frame(bad)
    taken, _ = fast_rows(spoilt, find_header(spoilt), checker)
    with pytest.raises(DataValidationError) as info:
        check_source(bad, CATALOGUE, vectorised=False)
    left = set(spoilt.numbers[~taken][1:].tolist())  # rows left to the per-row checks
    assert set(info.value.problems["row"]) <= left and len(left) <= len(FATAL)


def test_cells_of_other_types_agree() -> None:
    """True == 1 and Decimal("1.0") == 1 in Python; such cells still read as per row."""
    from decimal import Decimal

    frame = pd.DataFrame({"indicator": ["a", "a", "b", "b"], "geo": [1, True, Decimal("1.0"), 1],
                          "year": [2020, 2021, 2020, 2021], "value": [1.0, 2.0, 3.0, 4.0]})
    fast = check_source(frame)
    slow = check_source(frame, vectorised=False)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.geos == ["1", "1.0", "True"]


def test_workbook_sheets_agree(tmp_path: Path) -> None:
    """Excel cells (numbers, text, percent-formatted) through both paths, two sheets."""
    import openpyxl

    frame = spoil(clean_frame(40, seed=8), LOGGED, n_bad=60, seed=9)
    numeric = frame.assign(  # numbers where plain, text elsewhere (mixed columns)
        year=pd.to_numeric(frame["year"], errors="coerce").astype(object).where(
            lambda c: c.notna(), frame["year"]),
        value=pd.to_numeric(frame["value"], errors="coerce").astype(object).where(
            lambda c: c.notna(), frame["value"]))
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        numeric.iloc[:800].to_excel(writer, sheet_name="一", index=False)
        frame.iloc[800:].to_excel(writer, sheet_name="二", index=False)
    book = openpyxl.load_workbook(path)
    cell = book["一"].cell(row=5, column=4)  # a maternal mortality ratio: 50% is refused
    cell.value, cell.number_format = 0.5, "0.0%"
    book.save(path)
    fast, slow = both_paths(path)
    assert_same(fast, slow)
    assert fast.problems["row"].tolist() == [5]  # type: ignore[attr-defined]
    book["一"].cell(row=5, column=4).value = None
    book.save(path)
    fast, slow = both_paths(path)
    assert_same(fast, slow)
    assert len(fast.frame) == len(frame)  # type: ignore[attr-defined]


CELLS = {
    "indicator": ["maternal_mortality_ratio", " hospital_delivery_rate", "住院分娩率", "",
                  "nope", "female_life_expectancy", "high_school_gross_enrollment_rate"],
    "geo": ["河北区", "河北区 / 光复道街道", "", "  ", "Tianjin"],
    "year": ["2020", "2021年", "２０２２", "2021.0", "20x1", "", "1900", 2023, 2019.0],
    "value": ["8.5", "95.2%", "…", "", "-1", "101", "1,234", "9.", ".5", "1e2", "inf", "1_0",
              "９５．２", 3.25, 0, -0.0, "nan", " 7 ", "８.5/10万"],
    "numerator": ["", "3", "0", "-1", "4000", 12.0, "x"],
    "denominator": ["", "4000", "0", "3", 35_000, "1e5"],
    "unit": ["", "%", "‰", "per_100k", "/10万", "岁", "percent", "furlongs", "count"],
}


@settings(max_examples=150)
@given(st.lists(st.fixed_dictionaries({k: st.sampled_from(v) for k, v in CELLS.items()}),
                min_size=1, max_size=12))
def test_any_cells_give_the_same_through_both_paths(rows: list[dict[str, object]]) -> None:
    frame = pd.DataFrame(rows, columns=list(CELLS))
    assert_same(*both_paths(frame))
    assert_same(*both_paths(frame, unknown="exclude"))
    text = frame.astype(str).replace("nan", "")
    assert_same(*both_paths(text))
    assert_same(*both_paths(text, catalogue=None))
