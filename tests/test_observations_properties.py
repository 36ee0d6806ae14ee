"""Properties: valid frames survive CSV and Excel round trips; arbitrary bytes only raise HbkitError."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hbkit import HbkitError, read_observations
from hbkit.observations.cells import is_blank

INDICATORS = ["infant_mortality_rate", "maternal_mortality_ratio", "hospital_delivery_rate",
              "女性就业人员占比", "x1"]
GEOS = ["河北区", "河北区/光复道街道", "河北区/建昌道街道", "Tianjin"]
UNITS = {"infant_mortality_rate": "per_1000", "maternal_mortality_ratio": "per_100k",
         "hospital_delivery_rate": "percent", "女性就业人员占比": "percent", "x1": "count"}
SCALE = {"per_1000": 1000.0, "per_100k": 100000.0, "percent": 100.0}
SOURCES = ["区卫健委", "区统计局 (2023)", "", "simulated 模拟"]
DATA_COLUMNS = ["indicator", "geo", "year", "value", "numerator", "denominator", "unit", "source"]

#: the note of a file read as the other type than its name says (random bytes often are)
_MISNAMED = "ignore:文件名为:hbkit.exceptions.HbkitWarning"


@st.composite
def observation(draw):
    indicator = draw(st.sampled_from(INDICATORS))
    unit = UNITS[indicator]
    value = draw(st.one_of(
        st.none(),
        st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 4)),
        st.floats(min_value=0, max_value=100, allow_nan=False)))
    numerator = denominator = None
    if unit in SCALE and draw(st.booleans()):
        denominator = float(draw(st.integers(1, 100_000)))
        numerator = float(draw(st.integers(0, int(denominator))))
        value = numerator / denominator * SCALE[unit]
    return {"indicator": indicator, "geo": draw(st.sampled_from(GEOS)),
            "year": draw(st.integers(1949, 2100)), "value": value, "numerator": numerator,
            "denominator": denominator, "unit": unit, "source": draw(st.sampled_from(SOURCES))}


@st.composite
def frames(draw):
    rows = draw(st.lists(observation(), min_size=1, max_size=12,
                         unique_by=lambda r: (r["indicator"], r["geo"], r["year"])))
    return pd.DataFrame(rows, columns=DATA_COLUMNS)


def _data(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[DATA_COLUMNS].reset_index(drop=True)


def _read(source, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a valid frame needs no merging
        return read_observations(source, **options)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_valid_frame_survives_csv_and_excel_round_trips(frame):
    first = _read(frame).frame
    assert len(first) == len(frame)
    expected = frame.astype({"value": float, "numerator": float, "denominator": float})
    expected = expected.sort_values(["indicator", "geo", "year"], kind="stable")
    pd.testing.assert_frame_equal(_data(first), _data(expected).fillna({"source": ""}),
                                  check_dtype=False)
    with tempfile.TemporaryDirectory() as folder:
        for name, writer, options in (
            ("o.csv", lambda df, p: df.to_csv(p, index=False, encoding="utf-8-sig"), {}),
            ("o_gbk.csv", None, {}),
            ("o.xlsx", lambda df, p: df.to_excel(p, index=False), {}),
        ):
            path = Path(folder) / name
            if writer is None:
                if not _encodable(first, "gb18030"):
                    continue
                first.to_csv(path, index=False, encoding="gb18030")
            else:
                writer(first, path)
            again = _read(path, **options).frame
            pd.testing.assert_frame_equal(_data(again), _data(first))
            assert all(f.startswith(str(path)) for f in again["file"])


def _encodable(frame: pd.DataFrame, encoding: str) -> bool:
    try:
        frame.to_csv(index=False).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.filterwarnings(_MISNAMED)
@settings(max_examples=150)
@given(st.binary(min_size=0, max_size=400))
def test_arbitrary_bytes_raise_only_hbkit_errors(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        path.write_bytes(data)
        try:
            read_observations(path)
        except HbkitError:
            pass


@pytest.mark.filterwarnings(_MISNAMED)
@settings(max_examples=60)
@given(st.binary(min_size=0, max_size=300))
def test_arbitrary_bytes_after_excel_and_zip_magic(data):
    with tempfile.TemporaryDirectory() as folder:
        for magic in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf",
                      b"\xff\xfe"):
            path = Path(folder) / "random.xlsx"
            path.write_bytes(magic + data)
            try:
                read_observations(path)
            except HbkitError:
                pass


@settings(max_examples=60)
@given(st.lists(st.lists(st.text(max_size=8), min_size=1, max_size=5), min_size=1, max_size=6))
def test_arbitrary_text_tables_raise_only_hbkit_errors(cells):
    text = "\n".join(",".join(row) for row in cells)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_text("indicator,year,value\n" + text, encoding="utf-8")
        try:
            read_observations(path)
        except HbkitError:
            pass


CELLS = st.one_of(st.none(), st.text(max_size=6), st.floats(), st.integers(-10**6, 10**6),
                  st.booleans(), st.sampled_from(["2021年", "95%", "…", "inf", "河北区", "‰"]))


@settings(max_examples=80)
@given(st.lists(st.fixed_dictionaries({
    "指标": CELLS, "地区": CELLS, "年份": CELLS, "数值": CELLS, "分子": CELLS, "分母": CELLS,
    "单位": CELLS}), min_size=1, max_size=6))
def test_arbitrary_frames_raise_only_hbkit_errors(records):
    try:
        obs = read_observations(pd.DataFrame(records))
    except HbkitError:
        return
    # whatever is accepted is clean: whole years in range, finite values, every row accounted for
    assert obs.frame["year"].between(1949, 2100).all()
    assert not obs.frame["value"].abs().eq(float("inf")).any()
    filled = {number for number, record in enumerate(records, start=2)
              if not all(is_blank(cell) for cell in record.values())}  # blank rows hold nothing
    assert set(obs.frame["row"]) | set(obs.excluded["row"]) == filled
