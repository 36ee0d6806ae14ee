"""Simulate the Hebei District example data (模拟数据，非真实统计).

No annual series for Tianjin's Hebei District (天津市河北区) is public, so hbkit's
district example is simulated. This script reads the shipped catalogue
(``hbkit.load_catalogue()``), and for every quantitative target (kind !=
qualitative) makes sure its indicator, and the reference indicator of a
relational target, has a series for 2016-2025. Run from the repository root::

    .venv/bin/python datasets/simulate_hebei.py

It writes ``hbkit/datasets/data/hebei_example.csv`` (2016-2023) and
``hbkit/datasets/data/hebei_example_final.csv`` (2016-2025; the first file is the
same simulation cut at 2023), plus ``datasets/hebei_simulation_manifest.csv``
(one row per indicator: process, level source, scenario, anchors, citation),
and prints every indicator for which the generic fallback level was used.

How the numbers are made
------------------------
* Live births: about 3,500-4,500 a year (expected 4,300 in 2016, falling to
  3,500 by 2025, as births fell across China after the 2016-17 two-child
  peak), Poisson around that path, split over the 10 streets by a multinomial
  with fixed street shares. Street figures always sum to the district's.
* Rates of events (per_1000, per_100k): deaths are Poisson counts per street
  with the street's births as exposure; the district row is the sum. Infant,
  neonatal and under-5 deaths are nested (neonatal = binomial share of infant
  deaths; under-5 = infant + extra Poisson deaths), so NMR <= IMR <= U5MR.
* Coverage and other proportions (percent): binomial counts over a stated
  denominator, with year-to-year extra variation on the logit scale
  (programme effects are larger than binomial noise).
* Composition of elected bodies (people's congress deputies, party-congress
  delegates, residents' committees): drawn once per term (``Level.elections``),
  constant within it.
* Values without a natural count (years, gross ratios, places per 1,000
  population, hours, times per year): expected path plus normal noise.
* ``count_minimum`` targets (e.g. at least 1 woman in each street's leadership;
  per community health centre at least 1 GP for children): integer counts per
  unit, geo ``河北区/<unit>``; units per ``each_unit`` are listed in ``UNITS``.
  Community health centres are named after the street they serve
  (``<street stem>街社区卫生服务中心``), one per street: an assumption of this
  simulation, not a list of real centres.
* Expected paths are piecewise linear through anchor years (``Level.anchors``)
  taken from ``LEVELS`` (keyed by indicator id, with the national or Tianjin
  figure it rests on in ``cite``) or, for an indicator not in the table, from
  ``fallback_level`` which places the series on track for its targets.
* Realistic trouble, on purpose: a missing year, a strongly fluctuating series
  (maternal mortality: about 0.3 deaths expected a year), an indicator moving
  away from its target, one at risk; most on track. See ``scenario``.

Every row's ``source`` reads ``SOURCE``. Each indicator draws from its own
random stream (seed 20211 and a CRC of the indicator id), so adding or
refining a target elsewhere in the catalogue does not change other series.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from hbkit.catalogue.models import Target

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "hbkit" / "datasets" / "data"
MANIFEST = ROOT / "datasets" / "hebei_simulation_manifest.csv"

SEED = 20211
SOURCE = "模拟数据，非真实统计 — simulated by datasets/simulate_hebei.py, seed 20211"
DISTRICT = "河北区"
STREETS: tuple[str, ...] = (
    "光复道街道", "望海楼街道", "鸿顺里街道", "新开河街道", "铁东路街道",
    "王串场街道", "江都路街道", "月牙河街道", "宁园街道", "建昌道街道",
)
#: sub-units per ``each_unit`` value; centres named after their street (assumption)
UNITS: dict[str, tuple[str, ...]] = {
    "street": STREETS,
    "community_health_centre": tuple(f"{s.removesuffix('街道')}街社区卫生服务中心" for s in STREETS),
    # 区委、人大、政府、政协领导班子 (the four district leadership teams named in the plan)
    "leadership_team": ("区委领导班子", "区人大常委会领导班子", "区政府领导班子", "区政协领导班子"),
    # the departments the women's plan lists (区教育、科技、文化、卫生、体育、民政、司法、人社)
    "department": tuple(f"{d}部门领导班子" for d in (
        "教育", "科技", "文化", "卫生", "体育", "民政", "司法", "人力资源和社会保障")),
}
YEARS: tuple[int, ...] = tuple(range(2016, 2026))
EXAMPLE_LAST_YEAR = 2023
#: expected live births (about 3,500-4,500 a year; see module docstring)
EXPECTED_BIRTHS: dict[int, float] = {
    2016: 4300, 2017: 4450, 2018: 4150, 2019: 3950, 2020: 3750,
    2021: 3650, 2022: 3600, 2023: 3550, 2024: 3600, 2025: 3500,
}
#: populations used as denominators (orders of magnitude for a district of ~0.6
#: million residents; assumptions of this simulation, not statistics)
CHILDREN = 85_000
STUDENTS = 45_000
SCHOOLS = 60
COMMUNITIES = 100
SURVEY = 2_000
HEALTH_SURVEY = 10_000
BEDS = 3_000
WOMEN_15_49 = 150_000
WOMEN_35_64 = 120_000
WOMEN_WORKERS = 150_000
RATE_SCALE = {"percent": 100.0, "per_1000": 1_000.0, "per_10k": 10_000.0, "per_100k": 100_000.0}
COLUMNS = ["indicator", "geo", "year", "value", "numerator", "denominator", "unit", "source"]

PROCESSES = ("events", "binomial", "term", "gaussian", "count_per_unit", "sum_of_units")


@dataclass(frozen=True)
class Level:
    """How one indicator is simulated.

    ``anchors`` are expected values (in the indicator's unit) at given years,
    joined linearly and held flat outside. ``spread`` is the extra year-to-year
    variation: standard deviation on the logit scale for ``binomial`` and
    ``term``, in the unit for ``gaussian``, unused for ``events`` and counts.
    ``denominator`` is the yearly exposure (people) for ``binomial`` and
    ``events``, the seats for ``term``; ``per_births`` multiplies births
    instead when set (the default exposure of ``events`` is births).
    ``elections`` are the years a ``term`` series is redrawn; ``of`` names the
    ``count_per_unit`` indicator a ``sum_of_units`` series adds up.
    """

    process: str
    anchors: dict[int, float]
    spread: float = 0.0
    denominator: float = 0.0
    per_births: float = 0.0
    scenario: str = "on_track"
    missing_years: tuple[int, ...] = ()
    decimals: int = 2
    cite: str = ""
    source: str = "table"
    elections: tuple[int, ...] = (2016, 2021)
    of: str = ""


#: plausible district levels, keyed by indicator id. ``cite`` names the public
#: figure each level rests on (files in datasets/raw) or says it is an assumption.
LEVELS: dict[str, Level] = {
    # --- deaths over live births ---------------------------------------------
    "maternal_mortality_ratio": Level(
        "events", {2016: 9.0, 2020: 8.2, 2025: 7.6}, scenario="fluctuating",
        cite="Tianjin MMR 9.28/100k (2014), 8.06 (2021), tianjin_official.csv; with ~4,000 "
             "births about 0.3 deaths are expected a year, so the rate jumps between 0 and "
             "~25/100k"),
    "infant_mortality_rate": Level(
        "events", {2016: 3.6, 2020: 2.7, 2025: 2.3},
        cite="Tianjin IMR 4.4 per 1000 (2014), 2.16 (2021), tianjin_official.csv"),
    "neonatal_mortality_rate": Level(
        "events", {2016: 2.2, 2020: 1.7, 2025: 1.4},
        cite="neonatal share of infant deaths 0.62 = national NMR/IMR 2021 (3.1/5.0, "
             "china_national_official.csv) applied to the Tianjin IMR path"),
    "under5_mortality_rate": Level(
        "events", {2016: 5.1, 2020: 3.8, 2025: 3.3},
        cite="U5MR/IMR 1.42 = national 2021 (7.1/5.0, china_national_official.csv) applied to "
             "the Tianjin IMR path"),
    # --- coverage over births or children ---------------------------------------
    "hospital_delivery_rate": Level(
        "binomial", {2016: 99.93, 2025: 99.97}, spread=0.1, per_births=1.0,
        cite="national 99.9-99.95% 2017-2023, city 99.97% 2022 (china_national_official.csv)"),
    "maternal_system_management_rate": Level(
        "binomial", {2016: 92.5, 2020: 93.5, 2025: 95.0}, spread=0.025, per_births=1.0,
        cite="national 91.6% (2016), 93.6% (2022), 94.9% (2024)"),
    "under3_system_management_rate": Level(
        "binomial", {2016: 92.0, 2020: 93.0, 2025: 94.5}, spread=0.025, per_births=3.0,
        cite="national 92.8% (2021), 93.3% (2022); denominator ~3 birth cohorts"),
    "under7_health_management_rate": Level(
        "binomial", {2016: 93.5, 2020: 94.5, 2025: 95.5}, spread=0.025, per_births=7.0,
        cite="national 94.6% (2021); denominator ~7 birth cohorts"),
    "child_eye_care_coverage_0_6": Level(
        "binomial", {2016: 88.0, 2020: 91.5, 2025: 94.0}, spread=0.03, per_births=7.0,
        scenario="missing_year", missing_years=(2020,),
        cite="national 93.0% (2021); 2020 not reported (screening suspended in the epidemic; "
             "assumption)"),
    "exclusive_breastfeeding_rate_0_6m": Level(
        "binomial", {2016: 60.0, 2020: 64.0, 2025: 68.0}, spread=0.15, per_births=1.0,
        scenario="fluctuating",
        cite="national 74.9% (2018, routine reporting); urban district assumed lower; large "
             "year-to-year swings beyond sampling noise (recall-based reporting)"),
    "low_birth_weight_rate": Level(
        "binomial", {2016: 3.0, 2020: 3.2, 2025: 3.3}, spread=0.025, per_births=1.0,
        cite="national 2.64% (2015), 3.13% (2018)"),
    "under5_anemia_prevalence": Level(
        "binomial", {2016: 5.6, 2020: 5.4, 2025: 5.0}, spread=0.025, per_births=5.0,
        cite="national 5.44% (2018, routine reporting)"),
    "immunization_coverage": Level(
        "binomial", {2016: 97.0, 2020: 97.8, 2025: 98.2}, spread=0.04, per_births=1.0,
        cite="assumption: national immunisation programme coverage is kept above 95% by "
             "township; street rows sum to the district's birth cohort"),
    "chc_child_care_general_practitioners": Level(
        "count_per_unit", {2016: 1.3, 2020: 1.8, 2025: 2.2},
        cite="assumption: GPs giving children's basic care per community health centre"),
    "chc_child_health_doctors": Level(
        "count_per_unit", {2016: 2.2, 2020: 2.6, 2025: 3.0},
        cite="assumption: child-health doctors per community health centre"),
    "under5_stunting_prevalence": Level(
        "binomial", {2016: 1.2, 2020: 1.1, 2025: 1.0}, spread=0.03, per_births=5.0,
        cite="national 1.11% (2018, routine reporting)"),
    "newborn_visit_rate": Level(
        "binomial", {2016: 95.5, 2020: 96.3, 2025: 97.0}, spread=0.03, per_births=1.0,
        cite="national 96.2% (2021), 96.7% (2022)"),
    "postpartum_visit_rate": Level(
        "binomial", {2016: 95.0, 2020: 96.0, 2025: 97.2}, spread=0.03, per_births=1.0,
        cite="national 96.5% (2022), 97.3% (2024)"),
    "prenatal_screening_rate": Level(
        "binomial", {2016: 82.0, 2020: 86.0, 2025: 92.0}, spread=0.03, per_births=1.0,
        cite="national 85.7% (2021), 88.7% (2022), 93.5% (2024)"),
    "premarital_medical_exam_rate": Level(
        "binomial", {2016: 60.0, 2020: 68.0, 2025: 78.0}, spread=0.025, per_births=1.1,
        cite="national 70.9% (2021), 74.8% (2022); denominator ~ marriages"),
    "womens_common_disease_screening_rate": Level(
        "binomial", {2016: 74.0, 2020: 77.0, 2025: 82.0}, spread=0.02, denominator=140_000,
        cite="national 75.5% (2018); ~140,000 women aged 20-64 (assumption)"),
    "hiv_mother_to_child_transmission_rate": Level(
        "gaussian", {2016: 1.6, 2020: 1.4, 2025: 1.2}, spread=0.15,
        cite="national 1.3% (2023), 1.2% (2024); a district has too few infected mothers for a "
             "count, so the value is modelled directly"),
    # --- education ----------------------------------------------------------------
    "preschool_gross_enrollment_rate": Level(
        "gaussian", {2016: 88.0, 2020: 91.0, 2025: 94.5}, spread=0.5,
        cite="national 77.4% (2016), 85.2% (2020), 92.0% (2024); urban district higher"),
    "nine_year_compulsory_education_consolidation_rate": Level(
        "gaussian", {2016: 98.6, 2020: 99.1, 2025: 99.4}, spread=0.15,
        cite="national 93.4-95.7% (2016-2023); central urban district assumed near 99%"),
    "high_school_gross_enrollment_rate": Level(
        "gaussian", {2016: 96.0, 2020: 97.3, 2025: 98.8}, spread=0.3,
        cite="national 87.5% (2016), 91.8% (2023); Tianjin 123.94% (2015) includes in-migrant "
             "students; the district assumed a little above the 98% target by 2025"),
    "higher_education_gross_enrollment_rate": Level(
        "gaussian", {2016: 58.0, 2020: 62.0, 2025: 67.0}, spread=0.6,
        cite="national 42.7% (2016 derived path), 54.4% (2020), 60.8% (2024); Tianjin higher"),
    # --- women's life expectancy, employment --------------------------------------
    "female_life_expectancy": Level(
        "gaussian", {2016: 83.8, 2020: 84.3, 2025: 84.9}, spread=0.15, decimals=2,
        cite="Tianjin women 83.86 years (2016), tianjin_official.csv"),
    "life_expectancy": Level(
        "gaussian", {2016: 81.3, 2020: 81.8, 2025: 82.4}, spread=0.15, decimals=2,
        cite="Tianjin 81.69 (2019), 82.03 (2021), tianjin_official.csv"),
    "female_share_of_employment": Level(
        "gaussian", {2016: 43.5, 2020: 43.2, 2025: 43.3}, spread=0.3,
        cite="national 43.5% (2017 derived), 43.7% (2018), 43.2% (2022)"),
    "female_share_of_urban_unit_employment": Level(
        "gaussian", {2016: 42.5, 2020: 42.0, 2025: 42.5}, spread=0.4,
        cite="national share in urban non-private units 40.5% (2022), 41.7% (2024)"),
    "childcare_places_per_1000_population_under3": Level(
        "gaussian", {2016: 1.0, 2020: 1.8, 2025: 4.7}, spread=0.12,
        cite="national 2.57 (2022), 4.08 (2024) places per 1000 population; consistent with "
             "childcare_places over ~0.6 million residents"),
    # --- children's health beyond mortality (children's plan) ----------------------
    "child_overweight_rate": Level(
        "binomial", {2016: 12.0, 2020: 14.0, 2025: 14.6}, spread=0.01, denominator=STUDENTS,
        cite="assumption: rising before 2020, slower after (target: 上升趋势减缓)"),
    "child_obesity_rate": Level(
        "binomial", {2016: 8.0, 2020: 9.6, 2025: 10.0}, spread=0.01, denominator=STUDENTS,
        cite="assumption: rising before 2020, slower after"),
    "child_malnutrition_rate": Level(
        "binomial", {2016: 3.0, 2020: 2.6, 2025: 2.1}, spread=0.02, denominator=STUDENTS,
        cite="assumption; national under-5 underweight 1.43% (2018)"),
    "child_new_myopia_rate": Level(
        "binomial", {2016: 10.0, 2019: 10.2, 2020: 11.5, 2025: 9.0}, spread=0.015,
        denominator=STUDENTS, cite="assumption: jump in 2020 (online classes), then decline"),
    "child_adolescent_myopia_rate": Level(
        "binomial", {2016: 52.0, 2019: 51.0, 2020: 53.5, 2025: 55.0}, spread=0.02,
        denominator=STUDENTS, scenario="moving_away",
        cite="national primary 35.5%, junior secondary 71.1% (2021); simulated rise after 2020 "
             "against a target of -1 point a year"),
    "student_fitness_good_excellent_rate": Level(
        "binomial", {2016: 52.0, 2021: 56.5, 2025: 61.2}, spread=0.015, denominator=STUDENTS,
        scenario="at_risk",
        cite="assumption: approaching the 60% target only in 2025"),
    "school_mental_health_staff_coverage": Level(
        "binomial", {2016: 85.0, 2020: 95.0, 2023: 99.3, 2025: 99.95}, spread=0.03, denominator=SCHOOLS,
        cite="assumption: schools with a mental-health teacher over ~60 schools"),
    "newborn_pku_screening_rate": Level(
        "binomial", {2016: 99.2, 2025: 99.7}, spread=0.06, per_births=1.0,
        cite="assumption: newborn screening near-universal in Tianjin"),
    "newborn_hypothyroidism_screening_rate": Level(
        "binomial", {2016: 99.2, 2025: 99.7}, spread=0.06, per_births=1.0,
        cite="assumption: newborn screening near-universal in Tianjin"),
    "newborn_hearing_screening_rate": Level(
        "binomial", {2016: 97.5, 2020: 98.5, 2025: 99.2}, spread=0.06, per_births=1.0,
        cite="assumption"),
    "child_congenital_cataract_screening_rate": Level(
        "binomial", {2016: 90.0, 2020: 95.5, 2025: 97.5}, spread=0.03, per_births=1.0,
        cite="assumption; same cohort as births"),
    "child_hip_dysplasia_screening_rate": Level(
        "binomial", {2016: 89.0, 2020: 95.2, 2025: 97.3}, spread=0.03, per_births=1.0,
        cite="assumption; same cohort as births"),
    "child_congenital_heart_disease_screening_rate": Level(
        "binomial", {2016: 91.0, 2020: 96.0, 2025: 97.8}, spread=0.03, per_births=1.0,
        cite="assumption; same cohort as births"),
    "fissure_sealant_rate_7_9": Level(
        "binomial", {2016: 35.0, 2020: 42.0, 2025: 47.0}, spread=0.015, per_births=3.0,
        cite="assumption; children 7-9 ~ 3 birth cohorts"),
    "dental_caries_prevalence_age12": Level(
        "binomial", {2016: 27.0, 2020: 24.0, 2025: 21.5}, spread=0.015, per_births=1.0,
        cite="assumption; one birth cohort examined"),
    "child_daily_outdoor_daylight_hours": Level(
        "gaussian", {2016: 0.9, 2020: 1.1, 2025: 1.3}, spread=0.04,
        cite="assumption (survey of pupils)"),
    "child_daily_physical_activity_hours": Level(
        "gaussian", {2016: 0.95, 2020: 1.05, 2025: 1.2}, spread=0.04,
        cite="assumption (survey of pupils)"),
    "child_unintentional_injury_mortality_rate": Level(
        "events", {2016: 9.0, 2020: 7.5, 2025: 5.5}, denominator=CHILDREN,
        cite="national under-18 injury mortality 15.82/100k (2015); urban district lower; "
             "about 6 deaths a year over ~85,000 children"),
    "child_drowning_mortality_rate": Level(
        "events", {2016: 2.4, 2020: 2.0, 2025: 1.6}, denominator=CHILDREN,
        cite="assumption: about 1-2 drownings a year over ~85,000 children"),
    # --- education, welfare, family, environment, law (children's plan) -----------
    "disabled_children_compulsory_enrollment_rate": Level(
        "binomial", {2016: 93.0, 2020: 96.0, 2025: 97.5}, spread=0.06, denominator=300,
        cite="assumption: ~300 disabled children of compulsory-school age"),
    "compulsory_education_enrollment_rate": Level(
        "binomial", {2016: 99.7, 2025: 99.9}, spread=0.1, per_births=9.0,
        cite="assumption: near-universal; 9 birth cohorts"),
    "childcare_institutions": Level(
        "gaussian", {2016: 12, 2020: 20, 2025: 34}, spread=1.0, decimals=0,
        cite="assumption: count of registered childcare institutions"),
    "childcare_places": Level(
        "gaussian", {2016: 600, 2020: 1100, 2025: 2900}, spread=50, decimals=0,
        cite="assumption; 4.5 places per 1000 of ~0.6 million residents is ~2,900"),
    "community_children_home_coverage": Level(
        "binomial", {2016: 40.0, 2020: 70.0, 2025: 95.0}, spread=0.03, denominator=COMMUNITIES,
        cite="assumption: communities with a children's home (儿童之家) over ~100 communities"),
    "child_basic_medical_insurance_coverage": Level(
        "binomial", {2016: 96.5, 2020: 97.5, 2025: 98.5}, spread=0.03, denominator=CHILDREN,
        cite="assumption"),
    "disabled_children_rehabilitation_coverage": Level(
        "binomial", {2016: 80.0, 2020: 88.0, 2025: 93.0}, spread=0.05, denominator=300,
        cite="assumption: ~300 disabled children"),
    "community_parent_school_coverage": Level(
        "binomial", {2016: 70.0, 2020: 88.0, 2025: 97.0}, spread=0.05, denominator=COMMUNITIES,
        cite="assumption: communities with a parent school over ~100 communities"),
    "parent_family_education_guidance_sessions": Level(
        "gaussian", {2016: 1.6, 2020: 2.0, 2025: 2.4}, spread=0.08,
        cite="assumption (survey of parents)"),
    "parent_family_education_activities": Level(
        "gaussian", {2016: 1.5, 2020: 1.9, 2025: 2.3}, spread=0.08,
        cite="assumption (survey of parents)"),
    "public_out_of_school_venues": Level(
        "gaussian", {2016: 8, 2020: 10, 2025: 13}, spread=0.3, decimals=0,
        cite="assumption: count of public out-of-school activity venues"),
    "drinking_water_source_compliance_rate": Level(
        "binomial", {2016: 99.999, 2025: 99.999}, denominator=120,
        cite="assumption: every water-source sample compliant (~120 samples a year)"),
    "eco_civilisation_education_coverage": Level(
        "binomial", {2016: 96.0, 2020: 98.3, 2025: 99.2}, spread=0.05, denominator=STUDENTS,
        cite="assumption"),
    "student_legal_education_coverage": Level(
        "binomial", {2016: 99.999, 2025: 99.999}, denominator=SCHOOLS,
        cite="assumption: every school gives legal education"),
    "out_of_school_venue_utilisation_rate": Level(
        "gaussian", {2016: 36.0, 2020: 42.0, 2025: 48.0}, spread=1.0,
        cite="assumption: utilisation of out-of-school venues (not capped at 100)"),
    # --- women's health (women's plan) ------------------------------------------
    "female_healthy_life_expectancy": Level(
        "gaussian", {2016: 70.5, 2020: 71.2, 2025: 72.0}, spread=0.2,
        cite="assumption: about 13 years below female life expectancy"),
    "cervical_cancer_screening_rate": Level(
        "binomial", {2016: 52.0, 2020: 60.5, 2025: 71.5}, spread=0.01, denominator=WOMEN_35_64,
        scenario="at_risk",
        cite="assumption: rising towards the 70% target, reaching it only around 2025"),
    "breast_cancer_screening_rate": Level(
        "binomial", {2016: 45.0, 2020: 52.0, 2025: 60.0}, spread=0.01, denominator=WOMEN_35_64,
        cite="assumption"),
    "cervical_cancer_early_treatment_rate": Level(
        "binomial", {2016: 80.0, 2020: 85.0, 2025: 90.0}, spread=0.03, denominator=150,
        cite="assumption: ~150 lesions detected a year"),
    "breast_cancer_early_treatment_rate": Level(
        "binomial", {2016: 75.0, 2020: 80.0, 2025: 86.0}, spread=0.03, denominator=200,
        cite="assumption: ~200 cancers detected a year"),
    "unintended_pregnancy_rate": Level(
        "events", {2016: 14.0, 2020: 12.0, 2025: 10.0}, denominator=WOMEN_15_49,
        cite="assumption: induced abortions per 1000 women aged 15-49"),
    "syphilis_mother_to_child_transmission_rate": Level(
        "gaussian", {2016: 3.0, 2020: 2.5, 2025: 1.8}, spread=0.2,
        cite="assumption; a district has about a dozen syphilis-infected mothers a year, too few "
             "for a stable count, so the reported rate is modelled directly"),
    "hbv_mother_to_child_transmission_rate": Level(
        "binomial", {2016: 1.5, 2020: 1.0, 2025: 0.7}, denominator=120,
        cite="assumption: ~3% of ~4,000 mothers HBsAg-positive"),
    "female_mental_health_literacy_rate": Level(
        "binomial", {2016: 18.0, 2020: 22.0, 2025: 28.0}, spread=0.015, denominator=SURVEY,
        cite="assumption (sample survey of ~2,000 women)"),
    "female_anxiety_disorder_prevalence": Level(
        "binomial", {2016: 4.0, 2020: 4.8, 2025: 5.0}, spread=0.02, denominator=HEALTH_SURVEY,
        cite="assumption: rising before 2020, slower after (target: 上升趋势减缓)"),
    "female_depression_prevalence": Level(
        "binomial", {2016: 3.5, 2020: 4.3, 2025: 4.35}, spread=0.02, denominator=HEALTH_SURVEY,
        cite="assumption: rising before 2020, slower after"),
    "female_health_literacy_rate": Level(
        "binomial", {2016: 15.0, 2020: 25.0, 2025: 33.0}, spread=0.015, denominator=SURVEY,
        cite="assumption (sample survey)"),
    "maternal_anemia_prevalence": Level(
        "binomial", {2016: 14.0, 2020: 12.0, 2025: 10.0}, spread=0.015, per_births=1.0,
        cite="assumption"),
    "female_regular_exercise_share": Level(
        "binomial", {2016: 38.0, 2020: 43.0, 2025: 47.5}, spread=0.01, denominator=SURVEY,
        scenario="at_risk",
        cite="assumption (sample survey): close to the 45% target"),
    "female_fitness_standard_share": Level(
        "binomial", {2016: 89.0, 2020: 91.0, 2025: 93.0}, spread=0.02, denominator=SURVEY,
        cite="assumption (national physique monitoring sample)"),
    "maternal_hiv_testing_rate": Level(
        "binomial", {2016: 99.3, 2020: 99.6, 2025: 99.8}, spread=0.06, per_births=1.0,
        cite="assumption: near-universal testing of pregnant women"),
    "maternal_syphilis_testing_rate": Level(
        "binomial", {2016: 99.3, 2020: 99.6, 2025: 99.8}, spread=0.06, per_births=1.0,
        cite="assumption"),
    "maternal_hbv_testing_rate": Level(
        "binomial", {2016: 99.2, 2020: 99.5, 2025: 99.8}, spread=0.06, per_births=1.0,
        cite="assumption"),
    "maternal_hiv_treatment_rate": Level(
        "binomial", {2016: 99.5, 2025: 99.7}, denominator=5,
        cite="assumption: ~5 HIV-infected mothers a year"),
    "maternal_syphilis_treatment_rate": Level(
        "binomial", {2016: 97.5, 2020: 98.0, 2025: 98.5}, denominator=25,
        cite="assumption: ~25 syphilis-infected mothers a year"),
    "congenital_syphilis_incidence": Level(
        "events", {2016: 10.0, 2020: 7.0, 2025: 5.0},
        cite="assumption: ~0.3 cases a year over ~4,000 live births"),
    "caesarean_section_rate": Level(
        "binomial", {2016: 45.0, 2020: 43.0, 2025: 40.0}, spread=0.01, per_births=1.0,
        cite="assumption: caesarean share of births in a large city, slowly controlled"),
    "maternal_early_pregnancy_testing_rate": Level(
        "binomial", {2016: 85.0, 2020: 90.0, 2025: 94.0}, spread=0.02, per_births=1.0,
        cite="assumption: HIV/syphilis/HBV testing in early pregnancy"),
    "infected_women_follow_up_rate": Level(
        "binomial", {2016: 85.0, 2020: 90.0, 2025: 95.0}, spread=0.02, denominator=150,
        cite="assumption: ~150 infected women followed up"),
    # --- women's education, economy -----------------------------------------------
    "female_vocational_education_students": Level(
        "gaussian", {2016: 2600, 2020: 2800, 2025: 3100}, spread=60, decimals=0,
        cite="assumption: female students in vocational schools"),
    "female_new_labour_force_years_of_schooling": Level(
        "gaussian", {2016: 14.9, 2020: 15.3, 2025: 15.8}, spread=0.08,
        cite="assumption"),
    "female_average_years_of_schooling": Level(
        "gaussian", {2016: 11.2, 2020: 11.6, 2025: 12.1}, spread=0.05,
        cite="assumption"),
    "gender_gap_scientific_literacy": Level(
        "gaussian", {2016: 4.0, 2020: 3.2, 2025: 2.4}, spread=0.2,
        cite="assumption: gap in percentage points"),
    "female_share_of_senior_professionals": Level(
        "binomial", {2016: 43.0, 2020: 45.5, 2025: 48.0}, spread=0.02, denominator=6000,
        cite="assumption: ~6,000 senior professionals"),
    "gender_income_gap": Level(
        "gaussian", {2016: 22.0, 2020: 20.0, 2025: 17.5}, spread=0.6,
        cite="assumption: women's income gap in percent of men's"),
    "female_occupational_disease_incidence": Level(
        "events", {2016: 6.0, 2020: 5.0, 2025: 4.0}, denominator=WOMEN_WORKERS,
        cite="assumption: ~8 cases a year over ~150,000 employed women"),
    "female_continuing_education_participants": Level(
        "gaussian", {2016: 9000, 2020: 10500, 2025: 12500}, spread=200, decimals=0,
        cite="assumption: women taking part in continuing education a year"),
    "female_share_of_high_tech_employment": Level(
        "binomial", {2016: 33.0, 2020: 35.0, 2025: 38.0}, spread=0.01, denominator=4000,
        cite="assumption: sample of ~4,000 employees of high-tech industries"),
    "female_share_of_emerging_industry_employment": Level(
        "binomial", {2016: 36.0, 2020: 38.0, 2025: 41.0}, spread=0.01, denominator=4000,
        cite="assumption: sample of ~4,000 employees of emerging industries"),
    "female_share_of_modern_services_employment": Level(
        "binomial", {2016: 48.0, 2020: 49.5, 2025: 52.0}, spread=0.01, denominator=6000,
        cite="assumption: sample of ~6,000 employees of modern services"),
    "female_share_of_project_applicants_and_leaders": Level(
        "binomial", {2016: 30.0, 2020: 33.0, 2025: 37.0}, spread=0.02, denominator=600,
        cite="assumption: ~600 applicants and leaders of research and construction projects"),
    "female_share_of_review_experts": Level(
        "binomial", {2016: 26.0, 2020: 29.0, 2025: 33.0}, spread=0.02, denominator=500,
        cite="assumption: ~500 review experts"),
    "female_labour_contract_rate": Level(
        "binomial", {2016: 90.0, 2020: 93.0, 2025: 96.0}, spread=0.02, denominator=20_000,
        cite="assumption"),
    # --- women in decision-making -----------------------------------------------------
    "female_share_of_party_members": Level(
        "binomial", {2016: 31.0, 2020: 33.5, 2025: 35.8}, spread=0.01, denominator=30_000,
        cite="assumption: ~30,000 party members in the district"),
    "female_share_of_party_congress_delegates": Level(
        "term", {2016: 34.0, 2021: 37.5}, denominator=300,
        cite="assumption: ~300 delegates elected in 2016 and 2021, kept above the members' share"),
    "women_in_district_leadership_teams": Level(
        "count_per_unit", {2016: 1.5, 2020: 1.8, 2025: 2.0},
        cite="assumption: women per leadership team (区委、人大、政府、政协)"),
    "female_share_of_chief_posts_district_leadership": Level(
        "term", {2016: 15.0, 2021: 20.0}, denominator=40,
        cite="assumption: ~40 chief posts, appointed with the 2016 and 2021 terms"),
    "female_share_of_npc_deputies": Level(
        "term", {2016: 26.0, 2021: 28.0}, denominator=250,
        cite="national NPC 24.9% (2018), 26.54% (2023); ~250 district deputies elected in 2016 "
             "and 2021"),
    "female_share_of_cppcc_members": Level(
        "term", {2016: 22.0, 2021: 27.5}, denominator=300,
        cite="national CPPCC 20.39% (2018); ~300 district members appointed in 2016 and 2021"),
    "women_staffing_rate_district_departments": Level(
        "binomial", {2016: 50.0, 2020: 54.0, 2025: 58.5}, spread=0.02, denominator=40,
        cite="assumption: ~40 district departments"),
    "female_share_of_chief_posts_district_departments": Level(
        "term", {2016: 17.0, 2021: 22.0}, denominator=40,
        cite="assumption: ~40 department heads, appointed with the 2016 and 2021 terms"),
    "women_in_related_department_leadership": Level(
        "count_per_unit", {2016: 1.4, 2020: 1.7, 2025: 2.0},
        cite="assumption: women per leadership team of the 8 departments named in the plan"),
    "women_in_related_department_leadership_total": Level(
        "sum_of_units", {2016: 0.0}, of="women_in_related_department_leadership",
        cite="sum over the 8 departments of women_in_related_department_leadership"),
    "women_in_street_leadership_teams": Level(
        "count_per_unit", {2016: 1.8, 2020: 2.0, 2025: 2.3},
        cite="assumption: women per street leadership team"),
    "female_share_of_chief_posts_streets": Level(
        "term", {2016: 15.0, 2021: 25.0}, denominator=20,
        cite="assumption: 20 chief posts (secretary and director of 10 streets), per term"),
    "female_share_of_public_institution_leaders": Level(
        "binomial", {2016: 28.0, 2020: 30.5, 2025: 33.0}, spread=0.01, denominator=500,
        cite="assumption: ~500 leaders of public institutions"),
    "female_share_of_board_members": Level(
        "binomial", {2016: 18.0, 2020: 20.0, 2025: 23.0}, spread=0.01, denominator=1500,
        cite="assumption (enterprise survey)"),
    "female_share_of_supervisory_board_members": Level(
        "binomial", {2016: 22.0, 2020: 24.0, 2025: 27.0}, spread=0.01, denominator=1000,
        cite="assumption (enterprise survey)"),
    "female_share_of_enterprise_managers": Level(
        "binomial", {2016: 30.0, 2020: 32.5, 2025: 36.0}, spread=0.01, denominator=3000,
        cite="assumption (enterprise survey)"),
    "female_share_of_workers_congress_delegates": Level(
        "binomial", {2016: 42.0, 2020: 44.8, 2025: 46.8}, spread=0.02, denominator=2000,
        cite="assumption: below the women's share of employees before 2020, above after"),
    "female_share_of_employees": Level(
        "gaussian", {2016: 43.8, 2025: 44.2}, spread=0.25,
        cite="national women's share of employment 43.2-43.7% (2017-2024)"),
    "female_share_of_residents_committee_members": Level(
        "term", {2016: 68.0, 2021: 70.0}, denominator=700, elections=(2018, 2021),
        cite="assumption: ~100 communities x 7 members, elected 2018 and 2021"),
    "female_share_of_residents_committee_directors": Level(
        "term", {2016: 56.0, 2021: 58.0}, denominator=100, elections=(2018, 2021),
        cite="assumption: ~100 community directors, elected 2018 and 2021"),
    "female_share_of_social_organisation_heads": Level(
        "binomial", {2016: 30.0, 2020: 32.0, 2025: 35.0}, spread=0.01, denominator=400,
        cite="assumption: ~400 registered social organisations"),
    "women_council_coverage": Level(
        "binomial", {2016: 60.0, 2020: 92.0, 2023: 99.9, 2025: 99.99}, denominator=COMMUNITIES,
        cite="assumption: communities with a women's council (妇女议事会) over ~100"),
    "female_share_of_managers_female_dominated_sectors": Level(
        "binomial", {2016: 40.0, 2020: 43.0, 2025: 47.0}, spread=0.02, denominator=600,
        cite="assumption: managers in health, education and culture"),
    # --- social security, family ----------------------------------------------------
    "female_average_pension_benefit": Level(
        "gaussian", {2016: 2900, 2020: 3300, 2025: 3800}, spread=20, decimals=0,
        cite="assumption: yuan a month"),
    "female_unemployment_insurance_rate": Level(
        "binomial", {2016: 70.0, 2020: 74.0, 2025: 79.0}, spread=0.02, denominator=WOMEN_WORKERS,
        cite="assumption"),
    "female_unemployment_benefit": Level(
        "gaussian", {2016: 1400, 2020: 1600, 2025: 1850}, spread=10, decimals=0,
        cite="assumption: yuan a month"),
    "female_work_injury_insurance_rate": Level(
        "binomial", {2016: 72.0, 2020: 76.0, 2025: 81.0}, spread=0.02, denominator=WOMEN_WORKERS,
        cite="assumption"),
    "female_work_injury_benefit": Level(
        "gaussian", {2016: 2200, 2020: 2500, 2025: 2900}, spread=15, decimals=0,
        cite="assumption: yuan a month"),
    "minimum_living_allowance_standard": Level(
        "gaussian", {2016: 800, 2020: 1010, 2025: 1245}, spread=5, decimals=0,
        cite="assumption: yuan a month, the order of Tianjin's urban standard"),
    "elderly_canteen_coverage": Level(
        "binomial", {2016: 30.0, 2020: 70.0, 2023: 99.9, 2025: 99.99}, denominator=COMMUNITIES,
        cite="assumption: communities with an elderly canteen over ~100"),
    "nursing_care_bed_share": Level(
        "binomial", {2016: 35.0, 2020: 45.0, 2025: 55.0}, spread=0.01, denominator=BEDS,
        cite="assumption: nursing-care beds among ~3,000 elderly-care beds"),
    "gender_gap_housework_time": Level(
        "gaussian", {2016: 1.9, 2020: 1.7, 2025: 1.4}, spread=0.06,
        cite="assumption: hours a day women spend on housework beyond men"),
    "juvenile_offender_share": Level(
        "binomial", {2016: 3.0, 2020: 2.4, 2025: 2.0}, spread=0.025, denominator=2000,
        cite="assumption: share of minors among ~2,000 offenders a year"),
}

SCENARIOS = ("fluctuating", "moving_away", "at_risk", "missing_year")


def _quantitative(targets: Iterable[Target]) -> list[Target]:
    return [t for t in targets if t.kind != "qualitative"]


def needed_indicators(targets: Iterable[Target]) -> dict[str, list[Target]]:
    """Indicator id -> the quantitative targets that need it (a relational target
    needs its reference indicator too)."""
    need: dict[str, list[Target]] = {}
    for t in _quantitative(targets):
        for indicator in (t.indicator, t.reference_indicator):
            if indicator:
                need.setdefault(indicator, []).append(t)
    return need


def _threshold(target: Target) -> float:
    if target.threshold is None:
        raise ValueError(f"{target.id}: kind {target.kind!r} needs a threshold here")
    return float(target.threshold)


def _unit_of(indicator: str, targets: Sequence[Target]) -> str:
    own = [t.unit for t in targets if t.indicator == indicator]
    units = own or [t.unit for t in targets]
    return str(units[0])


def fallback_level(indicator: str, targets: Sequence[Target], unit: str) -> Level:
    """A plausible on-track level for an indicator missing from ``LEVELS``.

    The series is placed so that every bound on it is met with a margin by
    2020 and kept there; a relative or annual change is met with 30% to spare;
    a count per unit stays at or above its minimum.
    """
    own = [t for t in targets if t.indicator == indicator]
    kinds = {t.kind for t in own}
    bounded = unit == "percent" and all(t.bounded is not False for t in own)
    if "count_minimum" in kinds:
        floor = max(_threshold(t) for t in own if t.kind == "count_minimum")
        return Level("count_per_unit", {2016: floor + 1.0}, source="fallback",
                     cite="generic: count per unit around its minimum + 1")
    lows = [_threshold(t) for t in own
            if t.kind in ("lower_bound", "level", "maintain") and t.direction == "increase"]
    highs = [_threshold(t) for t in own
             if t.kind in ("upper_bound", "level", "maintain") and t.direction == "decrease"]
    process = "binomial" if unit == "percent" else "gaussian"
    default = {"percent": 40.0, "per_1000": 10.0, "per_10k": 20.0, "per_100k": 20.0,
               "years": 15.0}.get(unit, 10.0)
    if lows:
        floor = max(lows)
        margin = min(3.0, (100.0 - floor) / 3.0) if bounded else max(0.05 * abs(floor), 0.1)
        base = floor + margin
        anchors = {2016: base - 1.5 * margin, 2020: base, 2025: base + 0.5 * margin}
    elif highs:
        ceiling = min(highs)
        anchors = {2016: 0.95 * ceiling, 2020: 0.8 * ceiling, 2025: 0.7 * ceiling}
    else:
        base = default
        anchors = {2016: base, 2020: base, 2025: base}
        for t in own:
            sign = 1.0 if t.direction == "increase" else -1.0
            if t.kind == "relative_change":
                anchors[2025] = base * (1 + sign * 1.3 * _threshold(t) / 100)
                anchors[2016] = base * (1 - sign * 0.05)
            elif t.kind == "annual_change":
                anchors[2025] = base + sign * 1.3 * _threshold(t) * 5
                anchors[2016] = base - sign * 1.0 * _threshold(t) * 4
            elif t.kind == "direction":
                anchors[2025] = base * (1 + sign * 0.15)
                anchors[2016] = base * (1 - sign * 0.1)
            elif t.kind == "trend_slowdown":
                anchors[2016] = base * (1 - sign * 0.2)
                anchors[2025] = base * (1 + sign * 0.02)
    if bounded:
        anchors = {y: float(np.clip(v, 0.5, 99.5)) for y, v in anchors.items()}
    spread = 0.08 if process == "binomial" else 0.03 * max(abs(v) for v in anchors.values())
    return Level(process, anchors, spread=spread, denominator=10_000.0, source="fallback",
                 cite=f"generic by unit/direction ({unit}, kinds {sorted(kinds)})")


def resolve_levels(need: dict[str, list[Target]]) -> dict[str, Level]:
    """The level of every needed indicator: ``LEVELS`` or the fallback.

    A relational target's indicator that has no table entry is placed 2 units
    on the desired side of its reference indicator's path (so it holds).
    """
    levels = {i: LEVELS.get(i) or fallback_level(i, ts, _unit_of(i, ts)) for i, ts in need.items()}
    for indicator, its in need.items():
        for t in its:
            if (t.kind == "relational" and t.indicator == indicator and t.reference_indicator
                    and levels[indicator].source == "fallback"):
                ref = levels[t.reference_indicator]
                shift = 2.0 if t.direction == "increase" else -2.0
                levels[indicator] = replace(
                    ref, anchors={y: v + shift for y, v in ref.anchors.items()},
                    scenario="on_track", missing_years=(), source="fallback",
                    cite=f"generic: {shift:+g} from its reference {t.reference_indicator}")
    return levels


@dataclass
class Simulation:
    """Result of :func:`simulate`: the rows and a manifest of how each series was made."""

    frame: pd.DataFrame
    manifest: pd.DataFrame
    fallbacks: list[str] = field(default_factory=list)


def _rng(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _path(level: Level, years: Sequence[int]) -> np.ndarray:
    xs = sorted(level.anchors)
    return np.interp(np.asarray(years, float), xs, [level.anchors[x] for x in xs])


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))


def _expit(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def simulate_births(seed: int, years: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """District births by year (Y,) and street births (Y, 10), summing to the district's."""
    rng = _rng(seed, "live_births")
    shares = rng.dirichlet(np.full(len(STREETS), 25.0))
    expected = np.array([EXPECTED_BIRTHS[y] for y in years])
    district = np.clip(rng.poisson(expected), 3500, 4500)
    streets = np.vstack([rng.multinomial(n, shares) for n in district])
    return district, streets


def _rows(indicator: str, unit: str, years: Sequence[int], geo: str, value: np.ndarray,
          numerator: np.ndarray | None = None, denominator: np.ndarray | None = None,
          ) -> pd.DataFrame:
    n = len(years)
    return pd.DataFrame({
        "indicator": indicator, "geo": geo, "year": np.asarray(years, dtype="int64"),
        "value": np.asarray(value, float),
        "numerator": np.full(n, np.nan) if numerator is None else np.asarray(numerator, float),
        "denominator": np.full(n, np.nan) if denominator is None else np.asarray(denominator, float),
        "unit": unit, "source": SOURCE,
    })


def _rate(numerator: np.ndarray, denominator: np.ndarray, unit: str) -> np.ndarray:
    return np.round(numerator / denominator * RATE_SCALE[unit], 2)


def _count_rows(indicator: str, unit: str, years: Sequence[int], numerators: np.ndarray,
                denominators: np.ndarray, street_rows: bool) -> list[pd.DataFrame]:
    """District row (sum over streets) and, when asked, one row per street."""
    num, den = numerators.sum(axis=1), denominators.sum(axis=1)
    out = [_rows(indicator, unit, years, DISTRICT, _rate(num, den, unit), num, den)]
    if street_rows:
        for j, street in enumerate(STREETS):
            out.append(_rows(indicator, unit, years, f"{DISTRICT}/{street}",
                             _rate(numerators[:, j], denominators[:, j], unit),
                             numerators[:, j], denominators[:, j]))
    return out


def _exposure(level: Level, years: Sequence[int], rng: np.random.Generator,
              births: np.ndarray) -> np.ndarray:
    """Denominators per street (Y, 10): a multiple of births, or a population split
    over the streets in proportion to their births (growing 1% a year)."""
    if level.per_births or not level.denominator:
        return np.round(births * (level.per_births or 1.0)).astype("int64")
    shares = births.sum(axis=0) / births.sum()
    drift = np.linspace(1.0, 1.0 + 0.01 * (len(years) - 1), len(years))
    totals = np.round(level.denominator * drift).astype("int64")
    return np.vstack([rng.multinomial(n, shares) for n in totals])


def _events(indicator: str, level: Level, unit: str, years: Sequence[int], seed: int,
            births: np.ndarray, infant: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Event counts (deaths, cases) and exposure per street (Y, 10); neonatal and
    under-5 deaths nest around infant deaths."""
    rng = _rng(seed, indicator)
    exposure = _exposure(level, years, rng, births)
    rate = _path(level, years)[:, None] / RATE_SCALE[unit]
    infant_rate = _path(LEVELS["infant_mortality_rate"], years)[:, None] / 1000
    if indicator == "neonatal_mortality_rate" and infant is not None:
        share = np.clip(rate / infant_rate, 0, 1)
        return rng.binomial(infant, np.broadcast_to(share, infant.shape)), exposure
    if indicator == "under5_mortality_rate" and infant is not None:
        extra = np.clip(rate - infant_rate, 0, None)
        return infant + rng.poisson(extra * exposure), exposure
    return rng.poisson(rate * exposure), exposure


def _binomial(indicator: str, level: Level, years: Sequence[int], seed: int,
              births: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Numerators and denominators per street (Y, 10); the probability varies by year
    (``level.spread`` on the logit scale) and a little by street."""
    rng = _rng(seed, indicator)
    den = _exposure(level, years, rng, births)
    p = np.clip(_path(level, years) / RATE_SCALE[unit], 1e-6, 1 - 1e-6)
    street_effect = rng.normal(0, 0.125, len(STREETS))
    year_effect = rng.normal(0, level.spread, len(years))
    prob = _expit(_logit(p)[:, None] + year_effect[:, None] + street_effect[None, :])
    return rng.binomial(den, prob), den


def _term(indicator: str, level: Level, years: Sequence[int], seed: int,
          unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Seats held by women, drawn once per term (at ``level.elections``)."""
    rng = _rng(seed, indicator)
    seats = int(level.denominator or 250)
    p = np.clip(_path(level, years) / RATE_SCALE[unit], 1e-3, 1 - 1e-3)
    num = np.empty(len(years))
    den = np.full(len(years), float(seats))
    women = 0
    for i, year in enumerate(years):
        if i == 0 or year in level.elections:
            women = int(np.clip(np.round(seats * p[i] + rng.normal(0, 0.01 * seats)), 0, seats))
        num[i] = women
    return num, den


def _counts_per_unit(indicator: str, level: Level, years: Sequence[int], seed: int,
                     units: Sequence[str], floor: float) -> np.ndarray:
    """Integer counts per unit (Y, U): mostly at or above the minimum, one unit dips once."""
    rng = _rng(seed, indicator)
    expected = _path(level, years)
    counts = np.maximum(rng.poisson(np.clip(expected - floor, 0.2, None)[:, None],
                                    (len(years), len(units))) + int(floor), 0)
    dip_unit, dip_year = rng.integers(len(units)), min(3, len(years) - 1)
    counts[dip_year, dip_unit] = int(floor) - 1 if floor >= 1 else 0
    return counts


@dataclass
class _Context:
    """What the series of one run share: years, seed, street births, and the
    infant deaths and unit counts that other series are built on."""

    years: tuple[int, ...]
    seed: int
    births: np.ndarray
    infant_deaths: np.ndarray | None = None
    unit_counts: dict[str, np.ndarray] = field(default_factory=dict)


def _sub_units(indicator: str, its: Sequence[Target]) -> set[str]:
    each = {t.each_unit for t in its if t.indicator == indicator and t.each_unit}
    unknown = each - set(UNITS)
    if unknown:
        raise ValueError(f"{indicator}: each_unit {sorted(unknown)} has no unit list; add it to UNITS")
    return each


def _gaussian_rows(indicator: str, level: Level, its: Sequence[Target], unit: str,
                   ctx: _Context, street_rows: bool) -> list[pd.DataFrame]:
    """Path plus normal noise; street rows add a street offset to the district value."""
    rng = _rng(ctx.seed, indicator)
    value = _path(level, ctx.years) + rng.normal(0, level.spread, len(ctx.years))
    if unit == "percent" and all(t.bounded is not False for t in its if t.indicator == indicator):
        value = np.clip(value, 0, 100)
    geos = [DISTRICT] + ([f"{DISTRICT}/{s}" for s in STREETS] if street_rows else [])
    offsets = np.concatenate([[0.0], rng.normal(0, level.spread, len(geos) - 1)])
    return [_rows(indicator, unit, ctx.years, geo, np.round(value + offset, level.decimals))
            for geo, offset in zip(geos, offsets, strict=True)]


def _series(indicator: str, level: Level, its: Sequence[Target], unit: str,
            ctx: _Context) -> list[pd.DataFrame]:
    """All rows of one indicator (district, and street or unit rows where needed)."""
    years, seed = ctx.years, ctx.seed
    each = _sub_units(indicator, its)
    street_rows = "street" in each
    count_floors = [_threshold(t) for t in its
                    if t.indicator == indicator and t.kind == "count_minimum"]
    if count_floors and level.process != "count_per_unit":
        raise ValueError(f"{indicator}: a count_minimum target needs process count_per_unit")
    if level.process == "count_per_unit":
        names = UNITS[next(iter(each)) if each else "street"]
        counts = _counts_per_unit(indicator, level, years, seed, names, max(count_floors or [1.0]))
        ctx.unit_counts[indicator] = counts
        return [_rows(indicator, unit, years, f"{DISTRICT}/{name}", counts[:, j])
                for j, name in enumerate(names)]
    if level.process == "sum_of_units":
        if level.of not in ctx.unit_counts:
            raise ValueError(f"{indicator}: sums {level.of!r}, which is not simulated")
        return [_rows(indicator, unit, years, DISTRICT, ctx.unit_counts[level.of].sum(axis=1))]
    if level.process == "events":
        if unit not in RATE_SCALE:
            raise ValueError(f"{indicator}: events need a rate unit, got {unit!r}")
        events, exposure = _events(indicator, level, unit, years, seed, ctx.births,
                                   ctx.infant_deaths)
        if indicator == "infant_mortality_rate":
            ctx.infant_deaths = events
        return _count_rows(indicator, unit, years, events, exposure, street_rows)
    if level.process == "binomial":
        num, den = _binomial(indicator, level, years, seed, ctx.births, unit)
        return _count_rows(indicator, unit, years, num, den, street_rows)
    if level.process == "term":
        num, den = _term(indicator, level, years, seed, unit)
        return [_rows(indicator, unit, years, DISTRICT, _rate(num, den, unit), num, den)]
    if level.process == "gaussian":
        return _gaussian_rows(indicator, level, its, unit, ctx, street_rows)
    raise ValueError(f"{indicator}: unknown process {level.process!r}; one of {PROCESSES}")


def simulate(catalogue: Iterable[Target], years: Sequence[int] = YEARS,
             seed: int = SEED) -> Simulation:
    """Simulate every series the catalogue's quantitative targets need.

    Parameters
    ----------
    catalogue
        An iterable of :class:`hbkit.Target` (a :class:`hbkit.Catalogue`).
    years
        Calendar years to simulate (2016-2025 by default).
    seed
        Seed of the random streams (one per indicator).

    Returns
    -------
    Simulation
        ``frame`` in hbkit's long layout (sorted by indicator, geo, year; the
        ``missing_years`` of a level are left out), ``manifest`` (one row per
        indicator) and ``fallbacks`` (indicators that used the generic level).
    """
    years = tuple(int(y) for y in years)
    need = needed_indicators(catalogue)
    levels = resolve_levels(need)
    ctx = _Context(years, seed, simulate_births(seed, years)[1])
    order = sorted(need, key=lambda i: (levels[i].process == "sum_of_units",
                                         i != "infant_mortality_rate", i))
    parts: list[pd.DataFrame] = []
    manifest = []
    for indicator in order:
        its, level = need[indicator], levels[indicator]
        unit = _unit_of(indicator, its)
        rows = pd.concat(_series(indicator, level, its, unit, ctx), ignore_index=True)
        parts.append(rows[~rows["year"].isin(level.missing_years)])
        manifest.append({
            "indicator": indicator, "unit": unit, "process": level.process,
            "level_source": level.source, "scenario": level.scenario,
            "anchors": "; ".join(f"{y}: {v:g}" for y, v in sorted(level.anchors.items())),
            "missing_years": " ".join(str(y) for y in level.missing_years),
            "street_rows": "street" in _sub_units(indicator, its),
            "targets": " ".join(sorted({t.id for t in its})),
            "cite": level.cite,
        })
    frame = pd.concat(parts, ignore_index=True).sort_values(["indicator", "geo", "year"],
                                                             kind="stable")
    fallbacks = [i for i in order if levels[i].source == "fallback"]
    return Simulation(frame[COLUMNS].reset_index(drop=True), pd.DataFrame(manifest), fallbacks)


def main() -> None:
    """Simulate from the shipped catalogue and write the package data files."""
    import hbkit

    catalogue = hbkit.load_catalogue()
    sim = simulate(catalogue)
    OUT.mkdir(parents=True, exist_ok=True)
    final = sim.frame
    final.to_csv(OUT / "hebei_example_final.csv", index=False, encoding="utf-8-sig",
                 lineterminator="\n")
    final[final["year"] <= EXAMPLE_LAST_YEAR].to_csv(
        OUT / "hebei_example.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    sim.manifest.to_csv(MANIFEST, index=False, lineterminator="\n")
    n_quant = len([t for t in catalogue if t.kind != "qualitative"])
    print(f"{n_quant} quantitative targets, {len(sim.manifest)} indicators, "
          f"{len(final)} rows 2016-2025 ({(final['year'] <= EXAMPLE_LAST_YEAR).sum()} to 2023)")
    present = set(sim.manifest["scenario"])
    for scenario in SCENARIOS:
        print(f"  scenario {scenario}: {'present' if scenario in present else 'MISSING'}")
    if sim.fallbacks:
        print(f"fallback level used for {len(sim.fallbacks)} indicator(s):", file=sys.stderr)
        for indicator in sim.fallbacks:
            print(f"  {indicator}", file=sys.stderr)
    else:
        print("no fallback level used")


if __name__ == "__main__":
    main()
