"""Option values: a clearly meant value is read as what it spells, anything else is refused
in Chinese and English naming the argument and the value, the same in every function and
on the command line (:mod:`hbkit._options`)."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import hbkit
from hbkit.exceptions import HbkitError

ROOT = Path(__file__).resolve().parents[1]
CAT = hbkit.Catalogue([hbkit.Target(id="C-imr", indicator="imr", kind="upper_bound",
                                    threshold=5.0, unit="per_1000", name_zh="婴儿死亡率")])
OBS = pd.DataFrame({"indicator": "imr", "geo": "河北区", "year": range(2016, 2024),
                    "value": [6.1, 5.8, 5.6, 5.5, 5.1, 5.2, 4.9, 4.8]})


def _assess(**options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return hbkit.assess(OBS, catalogue=CAT, **{"n_draws": 200, **options})


@pytest.mark.parametrize("seed", [-1, 2**31 - 1, 2**70, "-1"])
def test_a_seed_that_would_silently_be_another_seed_is_refused(seed) -> None:
    """seed=-1 ran, with the draws of seed 2147483646; seed=2**31-1 gave those of seed 0
    (the seed is reduced modulo 2**31-1 per indicator). Both are now an error, bilingual,
    naming the argument, the allowed range and the value, in assess and backtest alike."""
    message = rf"seed 须为 0 到 2147483646 之间的整数；收到 {seed!r} / seed must be .* received"
    with pytest.raises(HbkitError, match=message):
        _assess(seed=seed)
    with pytest.raises(HbkitError, match=message):
        hbkit.backtest(OBS, origins=[2019], horizon=2, n_draws=200, seed=seed)


def test_every_allowed_seed_gives_its_own_draws() -> None:
    top = _assess(seed=2**31 - 2).to_frame()
    assert _assess(seed="7").seed == 7  # a seed spelt as text is the number it spells
    assert not top.equals(_assess(seed=0).to_frame())


@pytest.mark.parametrize("year", ["2023", "2023年", "２０２３", 2023.0])
def test_as_of_is_read_as_a_year_cell_as_on_the_command_line(year) -> None:
    """``--as-of 2023年`` worked on the command line but as_of="2023年" was an error."""
    assert _assess(as_of=year).to_frame().equals(_assess(as_of=2023).to_frame())


def test_a_mistyped_as_of_is_refused_not_turned_into_a_final_evaluation() -> None:
    """as_of=20233 (2023 typed with one 3 too many) ran a final evaluation of the year
    20233 with a warning only: every target judged 'on track' at the plan's end."""
    with pytest.raises(HbkitError, match="as_of 须为 1949—2100 之间的年份；收到 20233 / "
                                         "as_of must be a year in 1949-2100; received 20233"):
        _assess(as_of=20233)


def test_a_level_spelt_as_text_is_the_level_it_spells() -> None:
    res = _assess(level="80")
    assert res.level == (80.0,) and {"lo_80", "hi_80"} <= set(res.to_frame().columns)
    with pytest.raises(HbkitError, match="level 为百分数.*received '0.8'"):
        _assess(level="0.8")


@pytest.mark.parametrize("years", ["2021", "2021-2025", 2021])
def test_template_years_as_text_or_one_number_are_refused_saying_how_to_write_them(
        years, tmp_path: Path) -> None:
    """observation_template(cat, "2021", ...) read the text character by character and said
    'years must lie in 1949-2100; received [0, 1, 2]'; a lone 2021 said 'must be whole years'."""
    out = tmp_path / "t.xlsx"
    with pytest.raises(HbkitError) as caught:
        hbkit.observation_template(CAT, years, out)
    message = str(caught.value)
    assert message.startswith("years 须为年份的列表，如 range(2021, 2026) 或 [2021]")
    assert f"received {years!r}" in message and "[0, 1, 2]" not in message
    assert "years must be years, e.g. range(2021, 2026) or [2021]" in message
    assert not out.exists()


def test_template_years_are_read_as_year_cells(tmp_path: Path) -> None:
    """Each year of the list is read as a year cell is, as ``as_of`` is."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = hbkit.observation_template(CAT, ["2022年", 2021], tmp_path / "a.xlsx")
        b = hbkit.observation_template(CAT, range(2021, 2023), tmp_path / "b.xlsx")

    def cells(path: Path) -> list[list[object]]:
        book = openpyxl.load_workbook(path)
        return [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]

    assert cells(a) == cells(b)
    with pytest.raises(HbkitError, match="years 须为 1949—2100 之间的年份；收到 221"):
        hbkit.observation_template(CAT, [2021, 221], tmp_path / "c.xlsx")


@pytest.mark.parametrize("origins", ["2018-2020", 2020])
def test_backtest_origins_as_text_or_one_number_are_refused_alike(origins) -> None:
    """origins=2020 was a bare TypeError ('int' object is not iterable)."""
    with pytest.raises(HbkitError, match=r"origins 须为年份的列表.*origins must be years"):
        hbkit.backtest(OBS, origins=origins, horizon=2, n_draws=200)


def test_read_observations_choice_error_is_bilingual() -> None:
    with pytest.raises(HbkitError, match="unknown 须为 'error'、'exclude' 之一；收到 'excluded' / "
                                         "unknown must be one of 'error', 'exclude'"):
        hbkit.read_observations(OBS, CAT, unknown="excluded")


@pytest.mark.parametrize("command", ["assess", "backtest"])
def test_the_command_line_refuses_the_seeds_the_library_refuses(command, tmp_path) -> None:
    """``--seed -1`` ran an assessment with the draws of seed 2147483646."""
    data = "example:hebei_example" if command == "assess" else "igme2021"
    done = subprocess.run([sys.executable, "-m", "hbkit", command, data, "--seed", "-1",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""}, timeout=300)
    assert done.returncode == 2
    assert ("--seed 须为 0 到 2147483646 之间的整数；收到 '-1' / --seed takes a whole number "
            "from 0 to 2147483646; received '-1'") in done.stderr
    assert not (tmp_path / "out").exists()
