"""Example data shipped inside hbkit: real national and cross-country series, and a
simulated district.

:func:`load_example` returns an :class:`Example`: the observations in hbkit's long
layout (``indicator, geo, year, value, numerator, denominator, unit, source``),
the matching target catalogue when there is one, and where the data come from.

=======================  =====================================================  =========
name                     what                                                   simulated
=======================  =====================================================  =========
``china``                China's official national (and a few Tianjin) series   no
                         with the real targets of national plans
``igme2021``             UN IGME 2021 under-5, infant, neonatal mortality,      no
                         195 countries (for backtests)
``dtp3``                 WUENIC DTP3 immunisation coverage, 191 countries       no
``hebei_example``        Hebei District, every quantitative target of the       **yes**
                         shipped catalogue, 2016-2023
``hebei_example_final``  the same simulation, 2016-2025                         **yes**
=======================  =====================================================  =========

The raw files, their provenance and the scripts that derive these copies are in
the repository's ``datasets/`` folder (``datasets/README.md``).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hbkit.exceptions import HbkitError

if TYPE_CHECKING:
    from hbkit.catalogue.catalogue import Catalogue
    from hbkit.catalogue.models import Target

#: columns of every example's observations, in this order
OBSERVATION_COLUMNS: tuple[str, ...] = (
    "indicator", "geo", "year", "value", "numerator", "denominator", "unit", "source",
)

#: the label every row of a simulated example carries in ``source``
SIMULATED_SOURCE = "模拟数据，非真实统计 — simulated by datasets/simulate_hebei.py, seed 20211"

#: last year of the ``hebei_example`` variant (the final variant runs to 2025)
HEBEI_EXAMPLE_LAST_YEAR = 2023


@dataclass(frozen=True, eq=False)
class Example:
    """One example dataset: observations, their catalogue and provenance.

    Attributes
    ----------
    name
        The name given to :func:`load_example`.
    title_zh, title_en
        Title in Chinese and English; a simulated example says so (模拟).
    description
        What the data are, where from, and their caveats (Chinese, then English).
    simulated
        ``True`` when the values are simulated rather than official statistics.
    observations
        Long layout: ``indicator, geo, year, value, numerator, denominator, unit,
        source``; a fresh copy on every call of :func:`load_example`.
    catalogue
        The targets the data are meant to be judged against, or ``None``.
    sources
        The distinct sources of the rows, as cited in ``source``.
    """

    name: str
    title_zh: str
    title_en: str
    description: str
    simulated: bool
    observations: pd.DataFrame = field(repr=False)
    catalogue: Catalogue | None = field(repr=False)
    sources: tuple[str, ...] = field(repr=False)

    def targeted(self, catalogue: Iterable[Target] | None = None) -> pd.DataFrame:
        """The rows a catalogue judges: indicators (and reference indicators) of its
        targets.

        ``hbkit.read_observations`` refuses indicators its catalogue does not
        know, so pass these rows (not the full ``observations``) together with
        the catalogue, e.g. ``hbkit.assess(ex.targeted(), catalogue=ex.catalogue)``.

        Parameters
        ----------
        catalogue
            Targets to select for (a :class:`~hbkit.Catalogue` or any iterable of
            Targets); default the example's own catalogue. Without either, every
            row is returned.

        Examples
        --------
        >>> ex = load_example("china")
        >>> len(ex.targeted()) < len(ex.observations)
        True
        >>> tianjin = [t for t in ex.catalogue if t.id.startswith("TJ-")]
        >>> sorted(set(ex.targeted(tianjin)["indicator"]))[:2]
        ['child_eye_care_coverage_0_6', 'infant_mortality_rate']
        """
        targets = self.catalogue if catalogue is None else catalogue
        if targets is None:
            return self.observations.copy()
        used = {i for t in targets for i in (t.indicator, t.reference_indicator) if i}
        rows = self.observations[self.observations["indicator"].isin(used)]
        return rows.reset_index(drop=True)

    def __repr__(self) -> str:
        frame = self.observations
        catalogue = "none" if self.catalogue is None else f"{len(self.catalogue)} targets"
        years = f"{frame['year'].min()}-{frame['year'].max()}" if len(frame) else "-"
        return (
            f"Example({self.name!r}: {self.title_en}; {len(frame)} rows, "
            f"{frame['indicator'].nunique()} indicators, {frame['geo'].nunique()} geos, "
            f"years {years}; catalogue: {catalogue}; simulated={self.simulated})"
        )


def _data_file(name: str) -> Any:
    return resources.files("hbkit.datasets") / "data" / name


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Put the columns in the contract order with the contract dtypes."""
    out = frame.copy()
    for column in ("numerator", "denominator"):
        if column not in out.columns:
            out[column] = np.nan
    out["year"] = out["year"].astype("int64")
    for column in ("value", "numerator", "denominator"):
        out[column] = out[column].astype("float64")
    for column in ("indicator", "geo", "unit", "source"):
        out[column] = out[column].astype(str)
    return out[list(OBSERVATION_COLUMNS)].reset_index(drop=True)


@cache
def _read_csv(name: str) -> pd.DataFrame:
    with _data_file(name).open("rb") as handle:
        return pd.read_csv(handle, compression="gzip" if name.endswith(".gz") else None, encoding="utf-8-sig",
                           dtype={"indicator": str, "geo": str, "unit": str, "source": str})


@cache
def _crosscountry_notes() -> dict[str, dict[str, str]]:
    with _data_file("crosscountry_sources.json").open("r", encoding="utf-8") as handle:
        notes: dict[str, dict[str, str]] = json.load(handle)
    return notes


def _load_catalogue_file(name: str) -> Catalogue:
    from hbkit.catalogue.catalogue import Catalogue

    with resources.as_file(_data_file(name)) as path:
        return Catalogue.from_file(path)


def _china() -> Example:
    frame = _finish(_read_csv("china_observations.csv"))
    return Example(
        name="china",
        title_zh="全国妇女儿童发展统计（官方数据）与国家规划目标",
        title_en="China's official women's and children's statistics with national plan targets",
        description=(
            "真实数据：国家卫生健康委统计公报、国家统计局《中国妇女/儿童发展纲要》统计监测报告、"
            "教育部统计公报中的全国数据（geo 为 CN，城乡为 CN-urban/CN-rural，"
            "市县为 CN-city/CN-county），以及少量天津市数据（CN-TJ）。source 以 DERIVED "
            "开头的行由公报中“比上年提高x个百分点”等表述加减一次推算。目标目录取自"
            "《中国妇女/儿童发展纲要（2011—2020年）》、《“十三五”卫生与健康规划》、"
            "《健康儿童行动提升计划（2021—2025年）》和《天津市儿童发展“十四五”规划》"
            "（后者只适用于 CN-TJ）。未拼接联合国模型估计值。\n"
            "Real data: China's official national figures (NHC statistical bulletins, NBS "
            "monitoring reports on the Women's and Children's Development Outlines, MOE "
            "bulletins; geo CN, CN-urban/CN-rural, CN-city/CN-county) and a few Tianjin "
            "figures (CN-TJ). Rows whose source starts with 'DERIVED' were obtained by one "
            "addition or subtraction from a stated change. The catalogue holds the real "
            "targets of the 2011-2020 Outlines, the 13th five-year health plan, the national "
            "child-health action plan 2021-2025 and Tianjin's 14th five-year children's plan "
            "(the last applies to CN-TJ only; target ids start with TJ-). UN modelled "
            "estimates are not spliced in. Most series have gaps (e.g. IMR 2012)."
        ),
        simulated=False,
        observations=frame,
        catalogue=_load_catalogue_file("china_targets.yaml"),
        sources=tuple(sorted(frame["source"].unique())),
    )


def _crosscountry(name: str, title_zh: str, title_en: str, what: str) -> Example:
    note = _crosscountry_notes()[name]
    frame = _read_csv(f"{name}.csv.gz").assign(unit=note["unit"], source=note["source"])
    return Example(
        name=name,
        title_zh=title_zh,
        title_en=title_en,
        description=(
            f"{what} {note['countries']} countries (ISO3 codes), {note['rows']} rows, "
            f"unit {note['unit_raw']!r} -> {note['unit']!r}. Source: {note['source']}. "
            "For backtests of the projections on real history; there is no catalogue."
        ),
        simulated=False,
        observations=_finish(frame),
        catalogue=None,
        sources=(note["source"],),
    )


def _igme2021() -> Example:
    return _crosscountry(
        "igme2021",
        "联合国儿童死亡率估算机构间小组（UN IGME）2021年版：5岁以下儿童、婴儿、新生儿死亡率",
        "UN IGME 2021: under-5, infant and neonatal mortality rates",
        "UN IGME 2021 edition model estimates (smoothed, far less noisy than district "
        "counts), per 1000 live births, 1960-2020 where available (every country 1990-2020);",
    )


def _dtp3() -> Example:
    return _crosscountry(
        "dtp3",
        "世卫组织/儿基会免疫接种覆盖率估算（WUENIC）：百白破三剂接种率",
        "WUENIC DTP3 immunisation coverage",
        "WHO/UNICEF estimates of DTP3 coverage among 1-year-olds, percent (bounded at 100, "
        "closer to reporting noise than the IGME series), 1980-2024;",
    )


def _hebei(final: bool) -> Example:
    from hbkit.catalogue.catalogue import load_catalogue

    frame = _finish(_read_csv("hebei_example_final.csv" if final else "hebei_example.csv"))
    last = 2025 if final else HEBEI_EXAMPLE_LAST_YEAR
    return Example(
        name="hebei_example_final" if final else "hebei_example",
        title_zh=f"河北区妇女儿童发展规划监测示例数据（模拟数据，2016—{last}年）",
        title_en=f"Hebei District example monitoring data (simulated, 2016-{last})",
        description=(
            "模拟数据，非真实统计：河北区没有公开的逐年统计，本例由 datasets/simulate_hebei.py"
            "（种子 20211）按全国和天津市的公开水平模拟，覆盖两个规划目录中每个可量化目标，"
            "死亡率等以出生数为分母、以死亡数为分子（泊松计数），接种率等为二项计数，"
            "以街道为单位的目标另有10个街道的数据。刻意包含一个缺失年份、一个波动很大的序列、"
            "一个偏离目标的指标和一个存在风险的指标。\n"
            "SIMULATED, not real statistics: no annual series for Hebei District is public, so "
            "datasets/simulate_hebei.py (seed 20211) simulates one from national and Tianjin "
            "levels, covering every quantitative target of the shipped catalogue: death counts "
            "(Poisson) over 3,500-4,500 live births a year, binomial counts for coverage rates, "
            "rows for the 10 streets where a target holds street by street. It includes on "
            "purpose a missing year, a strongly fluctuating series, an indicator moving away "
            "from its target and one at risk. "
            + ("The final variant runs to 2025, for the end-of-plan evaluation."
               if final else "This variant stops in 2023; hebei_example_final runs to 2025.")
        ),
        simulated=True,
        observations=frame,
        catalogue=load_catalogue(),
        sources=tuple(sorted(frame["source"].unique())),
    )


_LOADERS: dict[str, Callable[[], Example]] = {
    "china": _china,
    "igme2021": _igme2021,
    "dtp3": _dtp3,
    "hebei_example": lambda: _hebei(final=False),
    "hebei_example_final": lambda: _hebei(final=True),
}


def list_examples() -> list[str]:
    """Names accepted by :func:`load_example`.

    Examples
    --------
    >>> list_examples()
    ['china', 'dtp3', 'hebei_example', 'hebei_example_final', 'igme2021']
    """
    return sorted(_LOADERS)


def load_example(name: str) -> Example:
    """Load an example dataset shipped with hbkit.

    Parameters
    ----------
    name
        One of :func:`list_examples`: ``"china"``, ``"igme2021"``, ``"dtp3"``,
        ``"hebei_example"`` (simulated, 2016-2023) or ``"hebei_example_final"``
        (simulated, 2016-2025).

    Returns
    -------
    Example
        Observations (a fresh DataFrame on every call), catalogue or ``None``,
        titles, description, ``simulated`` flag and sources.

    Raises
    ------
    HbkitError
        For an unknown name; the message suggests the closest names.

    Examples
    --------
    >>> ex = load_example("china")
    >>> ex.simulated, ex.catalogue.default_geo
    (False, 'CN')
    >>> row = ex.observations.query("indicator == 'infant_mortality_rate' and geo == 'CN' "
    ...                              "and year == 2020")
    >>> float(row["value"].iloc[0]), row["unit"].iloc[0]
    (5.4, 'per_1000')
    >>> load_example("igme2021").observations["geo"].nunique()
    195
    >>> load_example("chian")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: 未知示例 / unknown example 'chian'; did you mean 'china'? ...
    """
    loader = _LOADERS.get(name) if isinstance(name, str) else None
    if loader is None:
        close = difflib.get_close_matches(str(name), list(_LOADERS), n=3, cutoff=0.4)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
        raise HbkitError(
            f"未知示例 / unknown example {name!r}; {hint}"
            f"available: {', '.join(list_examples())}"
        )
    return loader()
