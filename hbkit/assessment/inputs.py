"""From what the user passes to clean arrays: observations, ``as_of``, areas and year grids."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hbkit._options import check_year
from hbkit._typing import GEO_SEPARATOR
from hbkit.exceptions import DataWarning, HbkitError, HbkitWarning
from hbkit.notices import notify

#: the columns the engine reads from an observations frame
ENGINE_COLUMNS: tuple[str, ...] = (
    "indicator", "geo", "year", "value", "numerator", "denominator", "unit", "source"
)

SIMULATED_WORDS: tuple[str, ...] = ("simulated", "模拟", "synthetic", "虚拟")


def observation_frame(observations: Any, catalogue: Any) -> pd.DataFrame:
    """The long observations frame of an :class:`~hbkit.Observations`, a DataFrame, a path
    or an :class:`~hbkit.datasets.Example`.

    A DataFrame or a path goes through :func:`hbkit.read_observations` (with the
    catalogue, so indicators and units are checked and every problem is
    reported at once; the reference indicators of relational targets are known
    to the reader, with the unit and bound of the target citing them).
    """
    return observation_inputs(observations, catalogue)[0]


def example_catalogue(observations: Any, catalogue: Any) -> Any:
    """``catalogue``, or the catalogue of ``observations`` when it is an
    :class:`~hbkit.datasets.Example` and ``catalogue`` is ``None``; an
    :class:`~hbkit.exceptions.HbkitError` when neither gives one (an example
    without targets is not judged against the shipped plans by default).

    >>> from hbkit.datasets import load_example
    >>> len(example_catalogue(load_example("hebei_example"), None))
    271
    >>> example_catalogue(load_example("dtp3"), None)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: 示例 'dtp3' 没有目标目录，请用 catalogue= 给出要评估的目标 / the example 'dtp3' has no catalogue: give the targets to assess as catalogue=
    """
    from hbkit.datasets.examples import Example

    if catalogue is not None or not isinstance(observations, Example):
        return catalogue
    if observations.catalogue is None:
        raise HbkitError(f"示例 {observations.name!r} 没有目标目录，请用 catalogue= 给出要评估的目标"
                         f" / the example {observations.name!r} has no catalogue: give the "
                         "targets to assess as catalogue=")
    return observations.catalogue


def note_excluded(excluded: pd.DataFrame, name: str) -> None:
    """Say which rows of example ``name`` were left out as indicators the catalogue does
    not judge (``excluded``: the problems table of ``unknown="exclude"``), so that no row
    is left out silently; nothing when there are none.

    >>> import warnings
    >>> excluded = pd.DataFrame({"code": ["unknown-indicator-excluded"] * 3,
    ...                          "value": ["dtp3", "dtp3", "mcv1"]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     note_excluded(excluded, "who")
    >>> print(caught[0].message)
    示例 'who' 中3行的指标不在目标目录中，未使用：dtp3（2行）、mcv1（1行） / 3 rows of the example 'who' are of indicators no target of the catalogue uses and were not used: dtp3 (2 rows), mcv1 (1 row)
    """
    from hbkit.assessment.unused import indicator_rows_text

    if excluded.empty:
        return
    zh, en = indicator_rows_text(excluded["value"].astype(str).value_counts(sort=False))
    total = len(excluded)
    notify(f"示例 {name!r} 中{total}行的指标不在目标目录中，未使用：{zh} / {total} "
           f"row{'' if total == 1 else 's'} of the example {name!r} "
           f"{'is' if total == 1 else 'are'} of indicators no target of the catalogue uses and "
           f"{'was' if total == 1 else 'were'} not used: {en}", DataWarning, stacklevel=5)


def observation_inputs(observations: Any, catalogue: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`observation_frame` and the data warnings of the observations
    (``Observations.warnings``: the rows read as they are that look wrong).

    An :class:`~hbkit.datasets.Example`'s observations are read with
    ``unknown="exclude"``, as ``hbkit assess example:NAME`` reads them: the
    series of indicators ``catalogue`` does not judge are left out, not data
    errors, and a notice counts them (:func:`note_excluded`).

    >>> import warnings; warnings.simplefilter("ignore")
    >>> frame, found = observation_inputs(pd.DataFrame({"indicator": "imr", "year": [2020, 2021],
    ...     "geo": ["河北区", "河北去"], "value": [3.1, 2.9]}), None)
    >>> len(frame), found["code"].tolist()
    (2, ['geo-one-edit'])
    """
    from hbkit.assessment.data_warnings import as_warning_table
    from hbkit.datasets.examples import Example
    from hbkit.observations import Observations, read_observations

    if isinstance(observations, Observations):
        frame, found = observations.frame, observations.warnings
    elif isinstance(observations, Example):
        read = read_observations(observations.observations, catalogue, unknown="exclude")
        frame, found = read.frame, read.warnings
        note_excluded(read.excluded, observations.name)
    elif isinstance(observations, pd.DataFrame | str | os.PathLike):
        read = read_observations(observations, catalogue)
        frame, found = read.frame, read.warnings
    else:
        raise HbkitError(
            "observations 须为 hbkit.Observations、pandas DataFrame、CSV/Excel 文件路径或 "
            "hbkit.datasets.Example / observations must be an hbkit.Observations, a pandas "
            "DataFrame, the path of a CSV/Excel file or an hbkit.datasets.Example; received "
            f"{type(observations).__name__}"
        )
    missing = [c for c in ("indicator", "geo", "year", "value") if c not in frame.columns]
    if missing:
        raise HbkitError(f"观测数据缺少列 {', '.join(missing)} / observations frame lacks the "
                         f"column(s) {', '.join(missing)}")
    out = frame.reindex(columns=list(ENGINE_COLUMNS))
    out["year"] = out["year"].astype(np.int64)
    for col in ("value", "numerator", "denominator"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out, as_warning_table(found)


def resolve_as_of(frame: pd.DataFrame, as_of: int | None, plan_end: int | None = None
                  ) -> int | None:
    """``as_of`` given, else the latest year with a value (``None`` when there is none).

    Without ``as_of``, values after ``plan_end`` (the catalogue's last target
    year) do not move the assessment past the plan: it is of the latest year
    up to ``plan_end`` with a value, and a :class:`~hbkit.exceptions.HbkitWarning`
    says how many rows are later (a mistyped year, 2032 for 2023, would
    otherwise turn the 2023 monitoring into a final evaluation of 2032). A
    later ``as_of`` can still be given; data only after ``plan_end`` keep
    their latest year.

    >>> resolve_as_of(pd.DataFrame({"year": [2020, 2022], "value": [1.0, float("nan")]}), None)
    2020
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     resolve_as_of(pd.DataFrame({"year": [2023, 2032], "value": [1.0, 2.0]}), None, 2025)
    2023
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    1 行数据的年份晚于规划的目标年份2025年（最晚2032年）...
    """
    years = frame.loc[np.isfinite(frame["value"].to_numpy(dtype=float)), "year"]
    if as_of is not None:
        year = _year(as_of)
        if len(years) and year < int(years.min()):
            first, last = int(years.min()), int(years.max())
            raise HbkitError(f"监测年份{year}年早于数据的所有年份（{first}—{last}），没有可用的数值"
                             f"（年份写错了？）/ as_of {as_of!r} is before every year of the data "
                             f"({first}-{last}): no value could be used (a mistyped year?)")
        if len(years) and year > int(years.max()):
            last = int(years.max())
            notify(
                f"监测年份{year}年晚于数据的最后年份{last}年，{last}年以后的各年没有数据"
                f"（年份写错了？）/ as_of {year} is after the last year with data, {last}: "
                f"there are no values after {last} (a mistyped year?)",
                HbkitWarning, stacklevel=4)
        return year
    if not len(years):
        return None
    latest = int(years.max())
    if plan_end is None or latest <= plan_end:
        return latest
    within = years[years <= plan_end]
    if not len(within):  # every value after the plan: another plan's data, judged as it is
        return latest
    chosen, later = int(within.max()), int((years > plan_end).sum())
    rows = "1 row is" if later == 1 else f"{later} rows are"
    notify(
        f"{later} 行数据的年份晚于规划的目标年份{plan_end}年（最晚{latest}年），未指定评估年份，"
        f"按规划期内有数据的最近年份{chosen}年评估；若要用更晚的数据，请给出 as_of / {rows} "
        f"after the plan's target year {plan_end} (latest {latest}): without as_of the "
        f"assessment is of {chosen}, the latest year of the plan with data; give as_of to use "
        "later years", HbkitWarning, stacklevel=4)
    return chosen


def _year(as_of: Any) -> int:
    """``as_of`` as an int year, read as a year cell (:func:`hbkit._options.check_year`).

    >>> _year(2023), _year("2023"), _year(2023.0), _year("2023年")
    (2023, 2023, 2023, 2023)
    >>> _year(True)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: as_of 须为年份，如 2023 或 2023年；收到 True / as_of must be a year such as 2023 or 2023年; received True
    """
    return check_year("as_of", as_of)


def sources_of(frame: pd.DataFrame) -> list[str]:
    """Distinct non-empty sources, sorted.

    >>> sources_of(pd.DataFrame({"source": ["b", "a", None, "b"]}))
    ['a', 'b']
    """
    values = pd.unique(frame["source"].dropna().to_numpy())
    return sorted({str(v).strip() for v in values} - {""})


def is_simulated(sources: Iterable[str]) -> bool:
    """Whether any source says the data are simulated.

    >>> is_simulated(["hbkit 模拟数据"]), is_simulated(["天津统计年鉴"])
    (True, False)
    """
    return any(word in s.lower() for s in sources for word in SIMULATED_WORDS)


def parent_geo(geo: str) -> str | None:
    """The area a sub-unit belongs to (``None`` for a top-level area).

    >>> parent_geo("河北区/光复道街道"), parent_geo("河北区")
    ('河北区', None)
    """
    head, sep, _ = geo.rpartition(GEO_SEPARATOR)
    return head if sep else None


def district_geos(geos: Iterable[str]) -> list[str]:
    """Areas assessed by default: data areas that are not sub-units of another data area.

    >>> district_geos(["河北区", "河北区/光复道街道", "和平区"])
    ['和平区', '河北区']
    >>> district_geos(["天津市/河北区", "天津市/河北区/光复道街道", "天津市/和平区"])
    ['天津市/和平区', '天津市/河北区']
    """
    present = set(geos)
    return sorted(g for g in present if not any(a in present for a in _ancestors(g)))


def _ancestors(geo: str) -> list[str]:
    """Every enclosing area of a geo code, outermost first."""
    parts = geo.split(GEO_SEPARATOR)
    return [GEO_SEPARATOR.join(parts[:i]) for i in range(1, len(parts))]


@dataclass(frozen=True)
class SeriesGrid:
    """Series of one indicator on a shared grid of calendar years.

    ``values``, ``numerators`` and ``denominators`` are (N, T) over ``years``
    for the areas ``geos`` (NaN = missing); ``unit`` is the data's unit.
    """

    indicator: str
    unit: str
    geos: list[str]
    years: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]
    numerators: npt.NDArray[np.float64]
    denominators: npt.NDArray[np.float64]

    @property
    def has_counts(self) -> bool:
        """Whether every observed value carries a numerator and a positive denominator."""
        obs = np.isfinite(self.values)
        if not obs.any():
            return False
        ok = np.isfinite(self.numerators) & np.isfinite(self.denominators) & (self.denominators > 0)
        return bool(np.all(ok[obs]))

    def row_of(self) -> dict[str, int]:
        """Area -> row index."""
        return {g: i for i, g in enumerate(self.geos)}


def build_grid(rows: pd.DataFrame, indicator: str, unit: str, geos: list[str] | None = None,
               first_year: int | None = None, last_year: int | None = None) -> SeriesGrid:
    """Pivot the long rows of one indicator (and unit) to (area x year) arrays.

    Examples
    --------
    >>> rows = pd.DataFrame({"geo": ["a", "a", "b"], "year": [2020, 2022, 2021],
    ...                      "value": [1.0, 2.0, 3.0], "numerator": [np.nan] * 3,
    ...                      "denominator": [np.nan] * 3})
    >>> g = build_grid(rows, "x", "percent")
    >>> g.geos, g.years.tolist(), g.values.tolist()
    (['a', 'b'], [2020, 2021, 2022], [[1.0, nan, 2.0], [nan, 3.0, nan]])
    """
    if geos is None:
        geos = sorted(rows["geo"].unique().tolist())
    year_values = rows["year"].to_numpy(dtype=np.int64)
    lo = int(year_values.min()) if first_year is None and len(rows) else int(first_year or 0)
    hi = int(year_values.max()) if last_year is None and len(rows) else int(last_year or lo)
    if first_year is not None:
        lo = min(lo, int(first_year))
    years = np.arange(lo, hi + 1, dtype=np.int64)
    index = {g: i for i, g in enumerate(geos)}
    shape = (len(geos), years.size)
    arrays = {name: np.full(shape, np.nan) for name in ("value", "numerator", "denominator")}
    if len(rows):
        r = rows["geo"].map(index).to_numpy()
        keep = ~pd.isna(r)
        r = r[keep].astype(np.int64)
        c = year_values[keep] - lo
        inside = (c >= 0) & (c < years.size)
        for name, arr in arrays.items():
            arr[r[inside], c[inside]] = rows[name].to_numpy(dtype=float)[keep][inside]
    return SeriesGrid(indicator, unit, list(geos), years, arrays["value"], arrays["numerator"],
                      arrays["denominator"])
