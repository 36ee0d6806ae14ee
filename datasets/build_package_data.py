"""Write the slim copies of the real data that ship inside hbkit (``hbkit/datasets/data``).

Run from the repository root::

    .venv/bin/python datasets/build_package_data.py

Inputs are the raw files in ``datasets/raw`` (copied unchanged from the
project's shared data folder; see ``datasets/README.md``). Outputs:

``china_observations.csv``
    China's official national series (``china_national_official.csv``), the
    few official Tianjin figures (``tianjin_official.csv``) and, clearly marked
    with a ``DERIVED`` prefix in ``source``, the values derived by one addition
    or subtraction (``china_national_official_derived.csv``). Units are mapped
    to hbkit unit names. The UN modelled estimates are *not* used: they are a
    different series (caveat 1 of the raw README).
``china_targets.yaml``
    The real national (and Tianjin) targets of ``plan_targets_reference.csv`` as
    an hbkit catalogue, one target per row whose indicator has a series in
    ``china_observations.csv``.
``igme2021.csv.gz`` / ``dtp3.csv.gz``
    The cross-country series with only ``indicator, geo, year, value``; the one
    source string and the unit of each file go to ``crosscountry_sources.json``.

Everything is deterministic (gzip written with ``mtime=0``), so re-running the
script on unchanged inputs gives byte-identical files.
"""

from __future__ import annotations

import gzip
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "datasets" / "raw"
OUT = ROOT / "hbkit" / "datasets" / "data"

OBSERVATION_COLUMNS = [
    "indicator", "geo", "year", "value", "numerator", "denominator", "unit", "source",
]

#: unit strings of the raw files -> hbkit unit names (hbkit._typing.Unit)
UNIT_MAP: dict[str, str] = {
    "percent": "percent",
    "percent of 1-year-olds": "percent",
    "per 1000 live births": "per_1000",
    "per 1000": "per_1000",
    "per 10000": "per_10k",
    "per 100000": "per_100k",
    "per 100000 live births": "per_100k",
    "places per 1000 population": "per_1000_population",
    "years": "years",
}

#: indicators whose percentage can exceed 100 (gross ratios; caveat 4 of the raw README)
UNBOUNDED_PERCENT = frozenset({
    "preschool_gross_enrollment_rate",
    "high_school_gross_enrollment_rate",
    "higher_education_gross_enrollment_rate",
})

DERIVED_PREFIX = "DERIVED (china_national_official_derived.csv): "


def map_units(frame: pd.DataFrame, file: str) -> pd.Series:
    """Map the raw unit strings to hbkit unit names; stop on an unknown one."""
    unknown = sorted(set(frame["unit"]) - set(UNIT_MAP))
    if unknown:
        sys.exit(f"{file}: unit(s) {unknown} have no hbkit unit; add them to UNIT_MAP")
    return frame["unit"].map(UNIT_MAP)


def china_observations() -> pd.DataFrame:
    """Official national + Tianjin rows, then the derived rows not already official."""
    parts = []
    for file, is_derived in (
        ("china_national_official.csv", False),
        ("tianjin_official.csv", False),
        ("china_national_official_derived.csv", True),
    ):
        raw = pd.read_csv(RAW / file, dtype={"source": str})
        part = raw.assign(unit=map_units(raw, file), numerator=float("nan"),
                          denominator=float("nan"))
        if is_derived:
            part["source"] = DERIVED_PREFIX + part["source"]
        parts.append(part[OBSERVATION_COLUMNS])
    official = pd.concat(parts[:2], ignore_index=True)
    derived = parts[2]
    key = ["indicator", "geo", "year"]
    merged = derived.merge(official[[*key, "value"]], on=key, how="left", suffixes=("", "_official"))
    clash = merged["value_official"].notna() & (merged["value_official"] != merged["value"])
    if clash.any():
        sys.exit(f"derived rows contradict official ones:\n{merged[clash]}")
    duplicate = merged["value_official"].notna().to_numpy()
    for row in derived[duplicate].itertuples():
        print(f"  derived row {row.indicator} {row.geo} {row.year} = {row.value} "
              "already in the official file: official row kept")
    out = pd.concat([official, derived[~duplicate]], ignore_index=True)
    return out.sort_values(key, kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class PlanInfo:
    """One source plan of ``plan_targets_reference.csv``."""

    prefix: str
    short: str
    name_zh: str
    name_en: str
    baseline_year: int
    baseline_reason: str


PLANS: dict[str, PlanInfo] = {
    "tj_children_plan_fyp14": PlanInfo(
        "TJ", "tj14", "天津市儿童发展“十四五”规划", "Tianjin children's development plan, 14th FYP",
        2020, "the 14th five-year plans (2021-2025) take 2020 as their base year"),
    "nhc_child_health_guideline_2025": PlanInfo(
        "CN", "nhc2025", "健康儿童行动提升计划（2021—2025年）",
        "National child-health action plan 2021-2025 (NHC)", 2020,
        "the source states the 2020 value the target starts from (e.g. IMR 'from 5.4')"),
    "fyp13_health_plan": PlanInfo(
        "CN", "fyp13", "“十三五”卫生与健康规划", "13th five-year plan for health", 2015,
        "the 13th five-year plan (2016-2020) takes 2015 as its base year"),
    "cn_children_outline_2011_2020": PlanInfo(
        "CN", "outline2020", "中国儿童发展纲要（2011—2020年）",
        "Outline for the Development of Chinese Children 2011-2020", 2010,
        "the 2011-2020 Outlines take 2010 as their base year"),
    "cn_women_outline_2011_2020": PlanInfo(
        "CN", "outline2020", "中国妇女发展纲要（2011—2020年）",
        "Outline for the Development of Chinese Women 2011-2020", 2010,
        "the 2011-2020 Outlines take 2010 as their base year"),
}

#: indicator -> (name_zh, name_en, plan, domain, slug)
INDICATORS: dict[str, tuple[str, str, str | None, str, str]] = {
    "neonatal_mortality_rate": ("新生儿死亡率", "Neonatal mortality rate", "children", "health",
                                "neonatal-mortality"),
    "infant_mortality_rate": ("婴儿死亡率", "Infant mortality rate", "children", "health",
                              "infant-mortality"),
    "under5_mortality_rate": ("5岁以下儿童死亡率", "Under-5 mortality rate", "children", "health",
                              "under5-mortality"),
    "under5_anemia_prevalence": ("5岁以下儿童贫血患病率", "Anaemia prevalence, children under 5",
                                 "children", "health", "under5-anemia"),
    "under5_stunting_prevalence": ("5岁以下儿童生长迟缓率", "Stunting prevalence, children under 5",
                                   "children", "health", "under5-stunting"),
    "under5_underweight_prevalence": ("5岁以下儿童低体重率", "Underweight prevalence, children under 5",
                                      "children", "health", "under5-underweight"),
    "child_eye_care_coverage_0_6": ("0—6岁儿童眼保健和视力检查覆盖率",
                                    "Eye care and vision screening coverage, children 0-6",
                                    "children", "health", "child-eye-care"),
    "low_birth_weight_rate": ("低出生体重发生率", "Low birth weight rate", "children", "health",
                              "low-birth-weight"),
    "exclusive_breastfeeding_rate_0_6m": ("6个月内婴儿纯母乳喂养率",
                                          "Exclusive breastfeeding rate, infants under 6 months",
                                          "children", "health", "exclusive-breastfeeding"),
    "preschool_gross_enrollment_rate": ("学前三年毛入园率", "Preschool gross enrolment rate (3 years)",
                                        "children", "education", "preschool-enrolment"),
    "nine_year_compulsory_education_consolidation_rate": (
        "九年义务教育巩固率", "Nine-year compulsory education completion (consolidation) rate",
        "children", "education", "compulsory-consolidation"),
    "life_expectancy": ("人均预期寿命", "Life expectancy at birth", None, "health", "life-expectancy"),
    "maternal_mortality_ratio": ("孕产妇死亡率", "Maternal mortality ratio", "women", "health",
                                 "maternal-mortality"),
    "higher_education_gross_enrollment_rate": ("高等教育毛入学率",
                                               "Higher education gross enrolment rate", "women",
                                               "education", "higher-education-enrolment"),
    "female_share_of_employment": ("就业人员中的女性比例", "Women's share of employed persons",
                                   "women", "economy", "female-employment-share"),
    "womens_common_disease_screening_rate": ("妇女常见病筛查率",
                                             "Screening rate for women's common diseases", "women",
                                             "health", "common-disease-screening"),
    "female_share_of_village_committee_members": ("村委会成员中女性比例",
                                                  "Women's share of village committee members",
                                                  "women", "decision", "village-committee-women"),
}

#: targets that are "keep above" rather than "reach": kind maintain
MAINTAIN = {("female_share_of_employment", "cn_women_outline_2011_2020")}

_SIGN = {"upper_bound": "≤", "lower_bound": "≥", "maintain": "保持≥"}
_UNIT_TEXT = {"percent": "%", "per_1000": "‰", "per_100k": "/10万", "years": "岁"}


@dataclass(frozen=True)
class _ReferenceRow:
    indicator: str
    geo: str
    year: int
    value: float
    source: str


def china_targets(observed_indicators: set[str]) -> tuple[dict, list[str]]:
    """Turn ``plan_targets_reference.csv`` into the YAML catalogue and a list of skipped rows."""
    raw = pd.read_csv(RAW / "plan_targets_reference.csv", dtype={"source": str})
    units = map_units(raw, "plan_targets_reference.csv")
    targets, skipped = [], []
    for record, unit in zip(raw.to_dict("records"), units, strict=True):
        row = _ReferenceRow(str(record["indicator"]), str(record["geo"]), int(record["year"]),
                            float(record["value"]), str(record["source"]))
        indicator, bound, plan_code = row.indicator.split("__")
        if indicator not in observed_indicators:
            skipped.append(f"{row.indicator} ({row.geo} {row.year}): no series for "
                           f"{indicator!r} in the official data")
            continue
        plan = PLANS[plan_code]
        name_zh, name_en, plan_kind, domain, slug = INDICATORS[indicator]
        kind = "lower_bound" if bound == "target_min" else "upper_bound"
        reading = ("'target_min': a floor, read as >= (non-strict)" if bound == "target_min" else
                   "'target_max': a ceiling, read as <= (non-strict)" if bound == "target_max" else
                   "'target': a value to come down to, read as a ceiling <= (non-strict)")
        if (indicator, plan_code) in MAINTAIN:
            kind = "maintain"
            reading = "'keep above 40%': read as maintain >= 40 in every year up to the target year"
        geo_note = (f"applies to Tianjin (geo {row.geo}), not to the national series"
                    if row.geo != "CN" else "applies to the national series (geo CN)")
        value = row.value
        sign = _SIGN[kind]
        text = f"《{plan.name_zh}》：{row.year}年{name_zh}{sign}{value:g}{_UNIT_TEXT.get(unit, '')}"
        target = {
            "id": f"{plan.prefix}-{'W' if plan_kind == 'women' else 'C'}-{domain}-{slug}-"
                  f"{plan.short}",
            "plan": plan_kind,
            "domain": domain,
            "section": plan.name_zh,
            "text_zh": text,
            "name_zh": name_zh,
            "name_en": name_en,
            "indicator": indicator,
            "kind": kind,
            "threshold": value,
            "unit": unit,
            "target_year": row.year,
            "baseline_year": plan.baseline_year,
            "bounded": unit == "percent" and indicator not in UNBOUNDED_PERCENT,
            "notes": (f"{plan.name_en}. {geo_note}. Bound {reading}. text_zh restates the "
                      f"numeric target, it is not a verbatim quote. Baseline year "
                      f"{plan.baseline_year}: {plan.baseline_reason}. Source "
                      f"(plan_targets_reference.csv): {row.source}"),
        }
        if kind == "maintain":
            target["direction"] = "increase"
        if plan_kind is None:
            del target["plan"]
        targets.append(target)
    catalogue = {
        "catalogue": {
            "name_zh": "全国妇女儿童发展目标（真实数据示例）",
            "name_en": "China's national women's and children's targets (real data example)",
            "default_geo": "CN",
        },
        "targets": targets,
    }
    return catalogue, skipped


def write_gzip_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV as gzip with a fixed header time, so the bytes are reproducible."""
    text = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    with path.open("wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", mtime=0,
                                                   filename="") as zipped:
        zipped.write(text)


def crosscountry() -> dict[str, dict[str, str]]:
    """Write the slim IGME and DTP3 files; return their sources note."""
    notes: dict[str, dict[str, str]] = {}
    for name, file in (("igme2021", "crosscountry_child_mortality_igme2021.csv"),
                       ("dtp3", "crosscountry_dtp3_coverage.csv")):
        raw = pd.read_csv(RAW / file, dtype={"source": str})
        (source,) = raw["source"].unique()
        (unit_raw,) = raw["unit"].unique()
        slim = raw[["indicator", "geo", "year", "value"]].sort_values(
            ["indicator", "geo", "year"], kind="stable")
        write_gzip_csv(slim, OUT / f"{name}.csv.gz")
        notes[name] = {"file": file, "source": source, "unit_raw": unit_raw,
                       "unit": UNIT_MAP[unit_raw], "rows": str(len(slim)),
                       "countries": str(slim["geo"].nunique())}
        print(f"  {name}: {len(slim)} rows, {slim['geo'].nunique()} countries, "
              f"{slim['year'].min()}-{slim['year'].max()}")
    return notes


def main() -> None:
    """Build every package data file from ``datasets/raw``."""
    OUT.mkdir(parents=True, exist_ok=True)
    observations = china_observations()
    observations.to_csv(OUT / "china_observations.csv", index=False, lineterminator="\n")
    print(f"china_observations.csv: {len(observations)} rows, "
          f"{observations['indicator'].nunique()} indicators")
    catalogue, skipped = china_targets(set(observations["indicator"]))
    with (OUT / "china_targets.yaml").open("w", encoding="utf-8") as handle:
        handle.write("# generated by datasets/build_package_data.py from "
                     "datasets/raw/plan_targets_reference.csv; do not edit by hand\n")
        yaml.safe_dump(catalogue, handle, allow_unicode=True, sort_keys=False, width=100)
    print(f"china_targets.yaml: {len(catalogue['targets'])} targets")
    for line in skipped:
        print(f"  skipped {line}")
    notes = crosscountry()
    (OUT / "crosscountry_sources.json").write_text(
        json.dumps(notes, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
