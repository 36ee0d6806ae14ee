"""Example datasets: real series match their raw files, the China catalogue holds the
real targets, and the simulated Hebei District example covers every quantitative
target of the shipped catalogue with consistent counts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hbkit
from hbkit._typing import UNIT_SCALE
from hbkit.datasets import Example, list_examples, load_example
from hbkit.datasets.examples import OBSERVATION_COLUMNS, SIMULATED_SOURCE
from hbkit.exceptions import HbkitError

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "datasets" / "raw"
STREETS = ["光复道街道", "望海楼街道", "鸿顺里街道", "新开河街道", "铁东路街道",
           "王串场街道", "江都路街道", "月牙河街道", "宁园街道", "建昌道街道"]


def _simulator():
    spec = importlib.util.spec_from_file_location("simulate_hebei", ROOT / "datasets" / "simulate_hebei.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["simulate_hebei"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def china() -> Example:
    return load_example("china")


@pytest.fixture(scope="module")
def hebei() -> Example:
    return load_example("hebei_example")


@pytest.fixture(scope="module")
def hebei_final() -> Example:
    return load_example("hebei_example_final")


@pytest.mark.parametrize("name", list_examples())
def test_every_example_loads_in_the_long_layout(name):
    ex = load_example(name)
    assert ex.name == name
    assert list(ex.observations.columns) == list(OBSERVATION_COLUMNS)
    assert len(ex.observations) > 0
    assert ex.observations["year"].dtype == np.int64
    assert not ex.observations[["indicator", "geo", "unit", "source"]].isna().any().any()
    assert not ex.observations.duplicated(["indicator", "geo", "year"]).any()
    assert set(ex.sources) == set(ex.observations["source"])
    assert ex.simulated == name.startswith("hebei")
    assert name in repr(ex)


def test_each_call_returns_a_fresh_frame():
    first = load_example("china")
    first.observations.loc[0, "value"] = -1.0
    assert load_example("china").observations.loc[0, "value"] != -1.0


@pytest.mark.parametrize(("wrong", "suggested"), [("chian", "'china'"), ("hebei", "'hebei_example'"),
                                                  ("igme", "'igme2021'")])
def test_unknown_name_suggests_the_closest(wrong, suggested):
    with pytest.raises(HbkitError, match="unknown example") as info:
        load_example(wrong)
    assert suggested in str(info.value)


# --- china ------------------------------------------------------------------------

def test_china_matches_the_raw_official_files(china):
    obs = china.observations.set_index(["indicator", "geo", "year"])
    for file in ("china_national_official.csv", "tianjin_official.csv"):
        raw = pd.read_csv(RAW / file)
        for row in raw.itertuples(index=False):
            got = obs.loc[(row.indicator, row.geo, row.year)]
            assert got["value"] == row.value
            assert got["source"] == row.source
    assert obs.loc[("maternal_mortality_ratio", "CN", 2020), "value"] == 16.9
    assert obs.loc[("infant_mortality_rate", "CN-TJ", 2021), "value"] == 2.16
    assert obs.loc[("under5_mortality_rate", "CN-rural", 2022), "unit"] == "per_1000"
    assert obs.loc[("maternal_mortality_ratio", "CN", 2020), "unit"] == "per_100k"
    assert obs.loc[("high_school_gross_enrollment_rate", "CN-TJ", 2015), "value"] == 123.94


def test_china_marks_derived_rows_and_keeps_out_un_estimates(china):
    obs = china.observations
    derived = pd.read_csv(RAW / "china_national_official_derived.csv")
    marked = obs[obs["source"].str.startswith("DERIVED")]
    # one derived row repeats an official value (preschool GER 2023): the official row is kept
    assert len(marked) == len(derived) - 1
    row = marked.set_index(["indicator", "geo", "year"]).loc[("neonatal_mortality_rate", "CN", 2020)]
    assert row["value"] == 3.4
    preschool = obs.query("indicator == 'preschool_gross_enrollment_rate' and year == 2023")
    assert len(preschool) == 1 and not preschool["source"].iloc[0].startswith("DERIVED")
    assert not obs["source"].str.contains("IGME|MMEIG|GBD|Gapminder").any()
    official_rows = sum(len(pd.read_csv(RAW / f)) for f in
                        ("china_national_official.csv", "tianjin_official.csv"))
    assert len(obs) == official_rows + len(marked)


def test_china_catalogue_holds_the_real_targets(china):
    cat = china.catalogue
    assert cat.default_geo == "CN"
    reference = pd.read_csv(RAW / "plan_targets_reference.csv")
    observed = set(china.observations["indicator"])
    assert len(cat) == len(reference) - 1  # township immunisation coverage has no series
    by_key = {}
    for row in reference.itertuples(index=False):
        indicator, _, plan = row.indicator.split("__")
        by_key[(indicator, plan, row.value)] = row
    for target in cat:
        assert isinstance(target, hbkit.Target)
        assert target.indicator in observed
        assert target.baseline_year < target.target_year
        assert "plan_targets_reference.csv" in target.notes
        matches = [r for (ind, _, value), r in by_key.items()
                   if ind == target.indicator and value == target.threshold
                   and r.year == target.target_year and r.source in target.notes]
        assert matches, target.id
    imr = cat["CN-C-health-infant-mortality-outline2020"]
    assert (imr.kind, imr.threshold, imr.unit, imr.target_year, imr.baseline_year) == (
        "upper_bound", 10.0, "per_1000", 2020, 2010)
    assert cat["TJ-C-health-neonatal-mortality-tj14"].threshold == 3.0
    assert "CN-TJ" in cat["TJ-C-health-neonatal-mortality-tj14"].notes


def test_china_targeted_rows_pass_validation_with_their_catalogue(china):
    obs = hbkit.read_observations(china.targeted(), catalogue=china.catalogue)
    assert len(obs.frame) == len(china.targeted())
    assert len(obs.excluded) == 0


# --- cross-country ----------------------------------------------------------------

def test_igme2021_and_dtp3_sizes_and_values():
    igme = load_example("igme2021").observations
    assert igme["geo"].nunique() == 195
    assert set(igme["indicator"]) == {"infant_mortality_rate", "neonatal_mortality_rate",
                                      "under5_mortality_rate"}
    assert set(igme["unit"]) == {"per_1000"}
    per_country = igme[igme["year"].between(1990, 2020)].groupby(["indicator", "geo"]).size()
    assert (per_country == 31).all()
    raw = pd.read_csv(RAW / "crosscountry_child_mortality_igme2021.csv")
    merged = raw.merge(igme, on=["indicator", "geo", "year"], suffixes=("_raw", ""))
    assert len(merged) == len(raw) == len(igme)
    np.testing.assert_array_equal(merged["value"], merged["value_raw"])
    assert (merged["source"] == merged["source_raw"]).all()

    dtp3 = load_example("dtp3").observations
    assert dtp3["geo"].nunique() == 191
    assert dtp3["value"].between(0, 100).all()
    raw = pd.read_csv(RAW / "crosscountry_dtp3_coverage.csv")
    assert len(raw) == len(dtp3)
    assert dtp3.set_index(["geo", "year"]).loc[("AFG", 1980), "value"] == 4.0


# --- hebei (simulated) ------------------------------------------------------------

def test_hebei_says_simulated_everywhere(hebei, hebei_final):
    for ex in (hebei, hebei_final):
        assert ex.simulated
        assert "模拟" in ex.title_zh and "simulated" in ex.title_en
        assert "模拟" in ex.description and "SIMULATED" in ex.description
        assert (ex.observations["source"] == SIMULATED_SOURCE).all()
        assert "模拟" in SIMULATED_SOURCE and "simulated" in SIMULATED_SOURCE
    assert hebei.observations["year"].agg(["min", "max"]).tolist() == [2016, 2023]
    assert hebei_final.observations["year"].agg(["min", "max"]).tolist() == [2016, 2025]
    cut = hebei_final.observations[hebei_final.observations["year"] <= 2023].reset_index(drop=True)
    pd.testing.assert_frame_equal(cut, hebei.observations)


def test_hebei_covers_every_quantitative_target(hebei):
    cat = hbkit.load_catalogue()
    obs = hebei.observations
    district = obs[obs["geo"] == "河北区"]
    quantitative = [t for t in cat if t.kind != "qualitative"]
    assert quantitative
    for target in quantitative:
        rows = obs[obs["indicator"] == target.indicator]
        assert len(rows), target.id
        assert set(rows["unit"]) == {target.unit}, target.id
        if target.reference_indicator:
            assert (obs["indicator"] == target.reference_indicator).any(), target.id
        if target.each_unit is None:
            years = set(district.loc[district["indicator"] == target.indicator, "year"])
            assert 2023 in years and len(years) >= 7, target.id
        if target.each_unit == "street":
            geos = set(rows["geo"])
            assert {f"河北区/{s}" for s in STREETS} <= geos, target.id
        elif target.each_unit:
            units = rows["geo"].str.removeprefix("河北区/")
            assert rows["geo"].str.startswith("河北区/").all() and units.nunique() >= 2, target.id


@pytest.mark.parametrize("name", ["hebei_example", "hebei_example_final"])
def test_hebei_passes_validation_against_the_shipped_catalogue(name):
    ex = load_example(name)
    obs = hbkit.read_observations(ex.observations, catalogue=ex.catalogue)
    assert len(obs.frame) == len(ex.observations)
    assert len(obs.excluded) == 0


def test_hebei_counts_are_integers_and_match_the_rates(hebei_final):
    obs = hebei_final.observations
    counted = obs[obs["denominator"].notna()]
    assert len(counted) > 0.5 * len(obs)
    assert (counted["numerator"] == np.round(counted["numerator"])).all()
    assert (counted["denominator"] == np.round(counted["denominator"])).all()
    assert (counted["numerator"] <= counted["denominator"]).all()
    scale = counted["unit"].map(UNIT_SCALE)
    assert scale.notna().all()
    recomputed = counted["numerator"] / counted["denominator"] * scale
    np.testing.assert_allclose(counted["value"], recomputed, atol=0.005 + 1e-9)
    count_rows = obs[obs["unit"] == "count"]
    assert (count_rows["value"] == np.round(count_rows["value"])).all()


def test_hebei_births_deaths_and_street_sums(hebei_final):
    obs = hebei_final.observations
    imr = obs[obs["indicator"] == "infant_mortality_rate"]
    district = imr[imr["geo"] == "河北区"].set_index("year")
    assert district["denominator"].between(3500, 4500).all()
    streets = imr[imr["geo"].str.startswith("河北区/")]
    if len(streets):
        sums = streets.groupby("year")[["numerator", "denominator"]].sum()
        pd.testing.assert_frame_equal(sums, district[["numerator", "denominator"]],
                                      check_names=False)
    deaths = obs[obs["geo"] == "河北区"].pivot(index="year", columns="indicator",
                                                values="numerator")
    assert (deaths["neonatal_mortality_rate"] <= deaths["infant_mortality_rate"]).all()
    assert (deaths["infant_mortality_rate"] <= deaths["under5_mortality_rate"]).all()
    for indicator in obs.loc[obs["geo"].str.contains("街道"), "indicator"].unique():
        rows = obs[obs["indicator"] == indicator]
        street = rows[rows["geo"].str.startswith("河北区/")]
        top = rows[rows["geo"] == "河北区"].set_index("year")
        if street["denominator"].notna().all() and len(top):
            summed = street.groupby("year")["denominator"].sum()
            np.testing.assert_array_equal(summed.to_numpy(), top["denominator"].to_numpy())


def test_hebei_includes_the_promised_trouble(hebei):
    obs = hebei.observations
    district = obs[obs["geo"] == "河北区"]
    years_per_series = district.groupby("indicator")["year"].nunique()
    assert (years_per_series < 8).sum() >= 1  # a missing year
    mmr = district[district["indicator"] == "maternal_mortality_ratio"]["value"]
    assert (mmr == 0).any() and mmr.max() > 15  # small counts: 0 deaths, then one death
    myopia = district[district["indicator"] == "child_adolescent_myopia_rate"].set_index("year")
    assert myopia.loc[2023, "value"] > myopia.loc[2020, "value"]  # moving away from -1 pt/yr
    bounded = obs[(obs["unit"] == "percent") & obs["denominator"].notna()]
    assert bounded["value"].between(0, 100).all()


def test_simulator_is_deterministic_and_matches_the_shipped_file(hebei_final):
    sim = _simulator()
    cat = hbkit.load_catalogue()
    first = sim.simulate(cat)
    second = sim.simulate(cat)
    pd.testing.assert_frame_equal(first.frame, second.frame)
    shipped = hebei_final.observations
    pd.testing.assert_frame_equal(first.frame.astype(shipped.dtypes.to_dict()), shipped)
    other_seed = sim.simulate(cat, seed=1).frame
    assert not np.array_equal(other_seed["value"].to_numpy(), first.frame["value"].to_numpy())


def test_simulator_fallback_places_an_unknown_indicator_on_track():
    sim = _simulator()
    targets = [
        hbkit.Target(id="x-floor", indicator="made_up_coverage", kind="lower_bound",
                     threshold=80, unit="percent"),
        hbkit.Target(id="x-rel", indicator="made_up_share", kind="relational",
                     reference_indicator="made_up_coverage", unit="percent",
                     direction="increase"),
        hbkit.Target(id="x-count", indicator="made_up_staff", kind="count_minimum",
                     threshold=2, unit="count", each_unit="street"),
        hbkit.Target(id="x-q", kind="qualitative"),
    ]
    out = sim.simulate(targets)
    assert sorted(out.fallbacks) == ["made_up_coverage", "made_up_share", "made_up_staff"]
    levels = sim.resolve_levels(sim.needed_indicators(targets))
    assert levels["made_up_coverage"].anchors[2025] > 80
    assert all(levels["made_up_share"].anchors[y] > levels["made_up_coverage"].anchors[y]
               for y in levels["made_up_coverage"].anchors)
    staff = out.frame[out.frame["indicator"] == "made_up_staff"]
    assert set(staff["geo"]) == {f"河北区/{s}" for s in STREETS}
    assert (staff["value"] >= 1).all() and (staff.groupby("year")["value"].min() >= 2).sum() >= 9
