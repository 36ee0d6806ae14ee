"""Steps of an assessment made cheap for a city's scale (issue 4's speed goal), checked
for their answers on inputs of that size.

``benchmarks/bench_scale.py`` measures the speed (goal: ~180,000 series read and
assessed in <= 30 s on 2 cores) and prints its figures; these tests time nothing
(a timed test fails on a busy machine, not on a slow change). Each checks that the
cheaper way gives the answer worked out by hand, or the one the plain way gives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import hbkit
from hbkit.assessment.data_warnings import as_warning_table, touched_rows

#: areas and targets of the frames below: 750,000 (target, area) rows, the benchmark's size
AREAS, TARGETS = 3_000, 250


def _city_targets() -> list[hbkit.Target]:
    """250 targets over 60 indicators; every 7th judged street by street."""
    return [hbkit.Target(id=f"T{t}", indicator=f"ind{t % 60}", kind="lower_bound",
                         threshold=90, unit="percent",
                         each_unit="street" if t % 7 == 0 else None)
            for t in range(TARGETS)]


def _city_frame(targets: list[hbkit.Target]) -> pd.DataFrame:
    """An assessment's rows: target by target, the areas ``area0000`` ... ``area2999``."""
    return pd.DataFrame({"target_id": np.repeat([t.id for t in targets], AREAS),
                         "geo": np.tile([f"area{i:04d}" for i in range(AREAS)], TARGETS)})


def test_data_warnings_touch_the_rows_of_the_areas_they_name_among_750000():
    """A few data warnings among 750,000 rows: the rows they touch, found by indexing the
    areas they name (a Python loop visited every row: ~0.8 s of CPU, now ~0.03 s)."""
    targets = _city_targets()
    frame = _city_frame(targets)
    warnings = as_warning_table(pd.DataFrame({
        "code": "value-far-from-trend", "indicator": ["ind0", "ind7", "ind3", "ind3"],
        "geo": ["area0001", "area0002/street01", "area2999", "area0005"],
        "year": [2020, 2021, 2022, 2024]}))
    pairs = touched_rows(frame, warnings, targets, 2023)
    # ind0 is read by T0, T60, T120, T180, T240 (row t x 3000 + area); the street row of
    # ind7 touches its each_unit target T7 only (7 x 3000 + 2), not T67, T127, ...; the
    # 2024 warning is after as_of
    assert pairs.values.tolist() == (
        [[0, t * AREAS + 1] for t in (0, 60, 120, 180, 240)] + [[1, 7 * AREAS + 2]]
        + [[2, t * AREAS + 2999] for t in (3, 63, 123, 183, 243)])


def test_the_areas_an_indicator_covers_are_worked_out_once_however_many_targets_read_it(
        monkeypatch):
    """Targets of one indicator (a plan has several per indicator, over thousands of areas)
    share one reading of the areas its rows cover, where each target re-read the rows."""
    from hbkit.assessment import kinds

    calls: list[int] = []
    real = kinds.covered_areas

    def counted(data):
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(kinds, "covered_areas", counted)
    targets = [hbkit.Target(id=f"T{t}", indicator="imm" if t < 3 else "mmr", kind="lower_bound",
                            threshold=90, unit="percent", each_unit=None) for t in range(5)]
    obs = pd.DataFrame({"indicator": np.repeat(["imm", "mmr"], 12),
                        "geo": np.tile(np.repeat(["河东区", "河西区/大营门街道"], 6), 2),
                        "year": np.tile(np.arange(2018, 2024), 4),
                        "value": np.tile([91.0, 92.0, 93.0, 93.5, 94.0, 95.0], 4),
                        "unit": "percent"})
    result = hbkit.assess(obs, catalogue=hbkit.Catalogue(targets), n_draws=200)
    assert calls == [12, 12]  # once for imm (3 targets), once for mmr (2 targets)
    frame = result.to_frame()
    assert sorted(set(frame["geo"])) == ["河东区", "河西区/大营门街道"]
    assert (frame["status"] != "no_data").all()


def test_judging_paths_whose_windows_start_in_one_year_does_not_copy_them():
    """3,000 areas x 1,000 paths: when every series' window starts in the same year (the
    usual case, and always for a target judged once), the paths are judged where they are;
    the peak memory was 3.3 times the paths (two copies), now 1.3 times."""
    import tracemalloc

    from hbkit.attainment import evaluate_from

    target = hbkit.Target(id="h", indicator="hdr", kind="lower_bound", threshold=95,
                          unit="percent")
    paths = np.random.default_rng(0).normal(95, 2, size=(AREAS, 1000, 1))
    tracemalloc.start()
    try:
        events = evaluate_from(target, [2025], paths, np.full(AREAS, 2025))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert np.array_equal(events, (paths[:, :, 0] >= 95 - 95e-9).astype(float))
    assert peak < 2 * paths.nbytes, f"peak {peak / paths.nbytes:.1f} x the paths"


def test_an_indicators_statistics_and_fan_chart_summary_are_built_in_the_background():
    """While the main thread judges one indicator's targets, the next indicator's
    projection, series statistics and fan-chart summary (a sort of 1,000 draws per area and
    year) are built in the background thread: none depends on a target. The main thread
    then only judges (it sorted the draws itself before)."""
    from hbkit.assessment.chunks import _ChunkStore
    from hbkit.assessment.engine import _plan_rows
    from hbkit.assessment.inputs import observation_inputs
    from hbkit.status import StatusRules

    targets = [hbkit.Target(id=f"T-{ind}", indicator=ind, kind="lower_bound", threshold=90,
                            unit="percent", target_year=2025) for ind in ("imm", "mmr")]
    obs = pd.DataFrame({"indicator": np.repeat(["imm", "mmr"], 12),
                        "geo": np.tile(np.repeat(["河东区", "河西区"], 6), 2),
                        "year": np.tile(np.arange(2018, 2024), 4),
                        "value": np.tile([91.0, 92.0, 93.0, 93.5, 94.0, 95.0], 4),
                        "unit": "percent"})
    catalogue = hbkit.Catalogue(targets)
    used, _ = observation_inputs(obs, catalogue)
    plan = _plan_rows(targets, used, ["河东区", "河西区"], "河北区")
    by_indicator = {str(k): v for k, v in used.groupby("indicator")}
    store = _ChunkStore(targets, plan, by_indicator, None, StatusRules(), 200, 0, (0.8,))
    try:
        first = store.get("imm")  # queues "mmr" for the background thread
        queued = store.pending["mmr"]
        assert queued is not None
        background = queued.result()
    finally:
        store.close()
    for chunk in (first, background):
        assert chunk is not None and chunk._summary is not None
        assert chunk._summary.future_years.tolist() == [2024, 2025]
        assert len(chunk.stats) == 2  # one row of statistics per area



EDGE_NUMBERS = [0.0, -0.0, 1e-300, 5e-324, 0.00012345, 0.0099995, 0.5, 0.9995, 1.0, 9.9949,
                9.995, 9.9999, 10.0, -10.0, 10.04, 10.05, 10.5, 99.95, 99.94, 999.94, 999.95,
                999.96, 1000.0, 1000.5, 2.5e15, 1e16, 1.7e308, -0.001, -7.256, -98.46]


@settings(max_examples=300)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=40))
def test_many_numbers_print_as_number_prints_each(values):
    """The warning texts write their numbers all at once (hbkit._numbers.finite_numbers):
    every text is the one hbkit._numbers.number writes for that number alone."""
    from hbkit._numbers import finite_numbers, number

    values = values + EDGE_NUMBERS
    assert finite_numbers(values).tolist() == [number(v) for v in values]


def test_warning_numbers_keep_their_sign_and_dash():
    from hbkit.warnings_rules.wording import _report_nums

    assert _report_nums([0.22, -2.96, 0.0, float("nan"), float("inf"), 1234.0],
                        signed=True).tolist() == ["+0.22", "-2.96", "0", "—", "—", "+1234"]


def test_warning_codes_of_750000_rows_are_written_only_where_warnings_fire():
    """The ``warnings`` column of every (target, area) row: 0.46 s of CPU for 750,000 rows
    when every row was rewritten once per warning code, 0.014 s writing only the rows a
    warning fires on."""
    from hbkit.assessment.finish import warning_codes

    n = AREAS * TARGETS
    rng = np.random.default_rng(0)
    flags = {code: rng.random(n) < share for code, share in (
        ("hard_to_reach", 0.12), ("fluctuation", 0.02), ("moving_away", 0.02),
        ("latest_missing", 0.001))}
    codes = warning_codes(flags, n)
    expected = [";".join(c for c, f in flags.items() if f[i]) for i in range(0, n, 997)]
    assert codes[::997].tolist() == expected
    assert (codes != "").sum() == np.logical_or.reduce(list(flags.values())).sum()


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(["指", "标", "a", "1", ",", "\n", "\r", "\t", "\x00",
                                         "\x01", "\x0b", "\x1f", "\x7f", "\x80", "é", "\ufeff"]),
               max_size=30))
def test_control_characters_of_utf8_text_are_found_in_its_bytes(text):
    """The control-character check of a UTF-8 CSV (a binary file is not text) reads the
    bytes (three times faster on the benchmark's 159 MB file than a search of the decoded
    text); it finds exactly what the search of the text finds."""
    from hbkit.observations.encoding import _CONTROL, _has_control

    expected = _CONTROL.search(text) is not None
    assert _has_control(text.encode("utf-8"), text, "utf-8") == expected
    assert _has_control(text.encode("utf-8-sig"), text, "utf-8-sig") == expected


def test_a_utf8_file_with_a_control_character_is_refused_and_one_without_is_read(tmp_path):
    """Both sides of the check, through read_observations (the bytes path of UTF-8)."""
    import pytest

    from hbkit.exceptions import FileError

    good = tmp_path / "ok.csv"
    good.write_bytes("indicator,geo,year,value\nimr,河北区,2021,3.1\n".encode())
    assert hbkit.read_observations(good).frame["value"].tolist() == [3.1]
    bad = tmp_path / "bad.csv"
    bad.write_bytes("indicator,geo,year,value\nimr,河北区,2021,3.1\x01\n".encode())
    with pytest.raises(FileError, match="binary content"):
        hbkit.read_observations(bad)


def _statuses_of_three_indicators() -> list[str]:
    """The statuses of one target each on three indicators "a", "b", "c" (one area, 91-95%
    rising, a 90% lower bound: each achieved)."""
    targets = [hbkit.Target(id=f"T-{ind}", indicator=ind, kind="lower_bound", threshold=90,
                            unit="percent", target_year=2025) for ind in ("a", "b", "c")]
    obs = pd.DataFrame({"indicator": np.repeat(["a", "b", "c"], 6), "geo": "河东区",
                        "year": np.tile(np.arange(2018, 2024), 3),
                        "value": np.tile([91.0, 92.0, 93.0, 93.5, 94.0, 95.0], 3),
                        "unit": "percent"})
    frame = hbkit.assess(obs, catalogue=hbkit.Catalogue(targets), n_draws=200).to_frame()
    return frame["status"].tolist()


def test_the_indicators_queued_ahead_are_built_at_the_same_time(monkeypatch):
    """The two indicators queued while the main thread judges one are built side by side
    (one thread each): the sorts and statistics of one overlap the projection of the
    other. Each background build here waits at a barrier for the other; built one after
    the other, the barrier would time out."""
    import threading

    from hbkit.assessment import chunks

    barrier = threading.Barrier(2, timeout=10)
    real = chunks._build_chunk

    def together(*args):
        if threading.current_thread() is not threading.main_thread():
            barrier.wait()
        return real(*args)

    monkeypatch.setattr(chunks, "_build_chunk", together)
    assert _statuses_of_three_indicators() == ["achieved"] * 3


def test_the_next_indicators_are_built_while_the_first_one_is(monkeypatch):
    """The main thread builds the first indicator of a call itself; the next ones are
    queued before, so that their builds run meanwhile. Here the first build ("a", main
    thread) and the second ("b", background) wait for each other at a barrier; queued only
    after "a" was built, "b" would never meet it."""
    import threading

    from hbkit.assessment import chunks

    barrier = threading.Barrier(2, timeout=10)
    real = chunks._build_chunk

    def meet(prep, *args):
        if prep["grid"].indicator in ("a", "b"):
            barrier.wait()
        return real(prep, *args)

    monkeypatch.setattr(chunks, "_build_chunk", meet)
    assert _statuses_of_three_indicators() == ["achieved"] * 3


def test_the_plan_has_every_area_per_target():
    """The (target, area) rows of an assessment (engine._plan_rows, now grouping only the
    rows of street-by-street indicators: 0.34 -> 0.11 s of CPU for 750,000 rows): every
    area for each target, in order; streets of the catalogue's district make the district
    an area, not themselves."""
    from hbkit.assessment.engine import _plan_rows

    targets = [hbkit.Target(id="T-imm", indicator="imm", kind="lower_bound", threshold=90,
                            unit="percent", each_unit="street"),
               hbkit.Target(id="T-mmr", indicator="mmr", kind="upper_bound", threshold=10,
                            unit="per_100k")]
    used = pd.DataFrame({"indicator": ["imm", "imm", "mmr", "mmr"],
                         "geo": ["河北区/光复道街道", "河东区", "河东区", "和平区"]})
    plan = _plan_rows(targets, used, ["河东区", "和平区", "河北区/光复道街道"], "河北区")
    assert plan.values.tolist() == [[0, "和平区"], [0, "河东区"], [0, "河北区"],
                                    [1, "和平区"], [1, "河东区"], [1, "河北区"]]
    assert plan["t_index"].dtype == np.int64


@given(st.lists(st.tuples(st.sampled_from(["on_track", "at_risk", "achieved", ""]),
                          st.sampled_from(["", "broken", "early", "无数据"])), max_size=60))
def test_labels_of_rows_are_worded_once_per_distinct_pair(pairs):
    """Status labels and bilingual reasons of an assessment's rows (finish.once_per_pair):
    each distinct pair is worded once, and every row gets its own pair's words."""
    from hbkit.assessment.finish import once_per_pair

    calls = []

    def word(a, b):
        calls.append((a, b))
        return f"{a} / {b}"

    first = [a for a, _ in pairs]
    second = [b for _, b in pairs]
    assert once_per_pair(word, first, second).tolist() == [f"{a} / {b}" for a, b in pairs]
    assert sorted(calls) == sorted(set(pairs))
