"""One area of an assessment of several: :meth:`hbkit.Assessment.subset`.

A city dashboard assesses every district in one call (each district's rows are
those it gets assessed alone, to the last digit: no pooling across districts,
each area's random numbers fixed by the seed, the indicator and its name) and
then needs each district's own report. :func:`area_subset` cuts the result
instead of assessing again: the district's rows of every table, its fan-chart
fields, its observations (its own rows and its sub-units'), their sources,
the data warnings (数据提醒) about them with the rows each touches, and the
notices that are its own (:func:`notices_by_area`).

Examples
--------
>>> import pandas as pd, hbkit
>>> cat = hbkit.Catalogue([hbkit.Target(id="C-imr", indicator="imr", kind="upper_bound",
...     threshold=5.0, unit="per_1000", name_zh="婴儿死亡率")])
>>> obs = pd.DataFrame({"indicator": "imr", "geo": ["和平区"] * 8 + ["河西区"] * 8,
...     "year": list(range(2016, 2024)) * 2, "unit": "per_1000",
...     "value": [6.1, 5.8, 5.6, 5.5, 5.1, 5.2, 4.9, 4.8] + [4.1, 4.0, 3.9, 3.9, 3.8, 3.6, 3.5, 3.4]})
>>> both = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=400)
>>> hexi = area_subset(both, "河西区")
>>> hexi.to_frame()["geo"].tolist(), sorted(hexi.observations["geo"].unique())
(['河西区'], ['河西区'])
>>> alone = hbkit.assess(obs[obs.geo == "河西区"], catalogue=cat, as_of=2023, n_draws=400)
>>> hexi.to_json() == alone.to_json()
True
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hbkit._typing import GEO_SEPARATOR
from hbkit.assessment.inputs import is_simulated, sources_of
from hbkit.assessment.result import ViewIndex, rows_of_area
from hbkit.exceptions import HbkitError

if TYPE_CHECKING:  # pragma: no cover
    from hbkit.assessment.result import Assessment
    from hbkit.notices import Notes


def in_area(geos: Any, geo: str) -> np.ndarray:
    """Which of ``geos`` are ``geo`` or one of its sub-units (``geo/...``), as booleans.

    >>> in_area(pd.Series(["和平区", "和平区/劝业场街道", "和平区二", None]), "和平区").tolist()
    [True, True, False, False]
    """
    values = pd.Series(geos, dtype=object)
    text = values.where(values.notna(), "").astype(str)
    return ((text == geo) | text.str.startswith(f"{geo}{GEO_SEPARATOR}")).to_numpy(dtype=bool)


def area_subset(assessment: Assessment, geo: str) -> Assessment:
    """The assessment of one area (a district) of an assessment of several.

    Parameters
    ----------
    assessment
        A result of :func:`hbkit.assess`, usually of several districts.
    geo
        One of its areas (the ``geo`` of its rows, e.g. ``"和平区"``).

    Returns
    -------
    Assessment
        The rows of ``geo`` in every table (``to_frame``, ``warnings_frame``,
        ``unit_frame``), its fan charts, the observations of ``geo`` and of its
        sub-units with their sources, and the data warnings about them; the
        catalogue, ``as_of``, levels, rules, seed and draws of the call.
        ``notices`` keeps, in their order:

        * every notice about the whole call (``notice_areas`` ``None``): an
          ``as_of`` after the last year with data, rows after the plan's target
          year when no ``as_of`` was given, no observation with a value; they
          belong to no area;
        * the notices about rows of the data (rows in another unit, rows of an
          indicator no target uses, identical duplicates merged, rows to check
          when the data were read in the call) that have rows of ``geo`` or of
          its sub-units, worded for those rows alone (``3 rows`` of the city
          become the district's ``1 row``), as the district assessed alone says
          them; those about other districts' rows only are left out.

    Raises
    ------
    HbkitError
        When ``geo`` is not an area of the assessment, or ``None`` (the message lists
        the areas it has).
    """
    frame = assessment.frame
    if geo is None:  # rows_of_area reads None as every area; a subset is of one
        areas = ", ".join(str(g) for g in pd.unique(frame["geo"].dropna().astype(object)))
        raise HbkitError("subset 须给出一个地区，如 res.subset('和平区') / subset needs one area, "
                         f"e.g. res.subset('和平区'); received None; its areas: {areas}")
    rows_of_area(frame, geo)  # an unknown area: an HbkitError naming the areas there are
    geo = str(geo)
    keep = np.flatnonzero(frame["geo"].astype(object).to_numpy() == geo)
    views = assessment.views
    if views is not None:
        views = ViewIndex(views.summaries, views.summary_id[keep], views.grid_row[keep],
                          views.target_value[keep],
                          {new: views.explicit[int(old)] for new, old in enumerate(keep)
                           if int(old) in views.explicit})
    observations = _rows_in(assessment.observations, geo)
    sources = sources_of(observations)
    found, pairs = _data_warnings_of(assessment, geo, keep)
    notices, notice_areas = _notices_of(assessment, geo)

    def own(table: pd.DataFrame) -> pd.DataFrame:
        return table[table["geo"].astype(object).to_numpy() == geo].reset_index(drop=True)

    return dataclasses.replace(
        assessment,
        frame=frame.iloc[keep].reset_index(drop=True),
        warnings=own(assessment.warnings),
        units=own(assessment.units),
        views=views,
        observations=observations,
        sources=sources,
        simulated=is_simulated(sources),
        data_warnings=found,
        data_warning_rows=pairs,
        notices=notices,
        notice_areas=notice_areas,
    )


def notices_by_area(notes: Notes, areas: list[str]) -> tuple[dict[str, str] | None, ...]:
    """For each notice of a call, ``None`` when it is about the call, else ``{area:
    message}``: the areas (and their sub-units) with rows it is about, and what it
    says of those rows alone (:class:`hbkit.notices.RowsNotice`).

    The rows of each area are found once per notice, by grouping the rows' areas
    (:func:`rows_by_area`), so a call over thousands of areas and millions of rows
    costs one pass over the rows, not one per area.

    Examples
    --------
    >>> import warnings
    >>> from hbkit.exceptions import HbkitWarning
    >>> from hbkit.notices import collecting, notify
    >>> def rows(n):
    ...     return f"{n} 行 / {n} rows"
    >>> with collecting() as notes, warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     notify("晚 / late", HbkitWarning)
    ...     notify(rows(3), HbkitWarning, geos=["和平区", "河西区", "河西区/a街道"],
    ...            about=lambda positions: rows(len(positions)))
    >>> notices_by_area(notes, ["和平区", "河西区", "南开区"])
    (None, {'和平区': '1 行 / 1 rows', '河西区': '2 行 / 2 rows'})
    """
    out: list[dict[str, str] | None] = []
    for rows in notes.rows:
        if rows is None:
            out.append(None)
            continue
        said: dict[str, str] = {}
        for area, positions in rows_by_area(rows.geos, areas).items():
            message = rows.about(positions)
            if message is not None:
                said[area] = message
        out.append(said)
    return tuple(out)


def rows_by_area(geos: Any, areas: list[str]) -> dict[str, np.ndarray]:
    """The positions of the rows of each of ``areas`` (its own rows and its sub-units',
    as :func:`in_area` reads them) among ``geos``, in row order; an area without rows
    is left out, and the dict follows the order of ``areas``.

    One pass over the rows: they are grouped by their area's name, and each name
    goes to every area it is or lies under (``河西区/a街道`` to ``河西区`` and to
    ``河西区/a街道``).

    >>> found = rows_by_area(["河西区/a街道", "和平区", "河西区", None], ["河西区", "和平区", "南开区"])
    >>> {area: positions.tolist() for area, positions in found.items()}
    {'河西区': [0, 2], '和平区': [1]}
    """
    codes, names = pd.factorize(pd.Series(geos, dtype=object).fillna("").astype(str))
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(len(names) + 1))
    wanted = set(areas)
    codes_of: dict[str, list[int]] = {}
    for code, name in enumerate(names):
        parts = str(name).split(GEO_SEPARATOR)
        for depth in range(1, len(parts) + 1):
            prefix = GEO_SEPARATOR.join(parts[:depth])
            if prefix in wanted:
                codes_of.setdefault(prefix, []).append(code)
    found: dict[str, np.ndarray] = {}
    for area in dict.fromkeys(areas):
        if area in codes_of:
            pieces = [order[starts[code]:starts[code + 1]] for code in codes_of[area]]
            found[area] = np.sort(np.concatenate(pieces))
    return found


def _notices_of(assessment: Assessment, geo: str
                ) -> tuple[tuple[dict[str, str], ...], tuple[dict[str, str] | None, ...]]:
    """The notices of ``assessment`` that ``geo``'s report keeps (:func:`area_subset`),
    with their ``notice_areas``."""
    areas = tuple(assessment.notice_areas)
    if len(areas) != len(assessment.notices):  # made before notices said their areas
        return tuple(assessment.notices), areas
    notices: list[dict[str, str]] = []
    kept: list[dict[str, str] | None] = []
    for note, by_area in zip(assessment.notices, areas, strict=True):
        if by_area is None:
            notices.append(dict(note))
            kept.append(None)
        elif geo in by_area:
            notices.append({**note, "message": by_area[geo]})
            kept.append({geo: by_area[geo]})
    return tuple(notices), tuple(kept)


def _data_warnings_of(assessment: Assessment, geo: str, keep: np.ndarray
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The data warnings about ``geo`` (its rows or its sub-units', or touching a kept row)
    and the pairs ``warning, row`` renumbered to positions in them and in the kept rows."""
    warnings, pairs = assessment.data_warnings, assessment.data_warning_rows
    new_row = {int(old): new for new, old in enumerate(keep)}
    touching = pairs["row"].isin(list(new_row)).to_numpy(dtype=bool)
    kept = (in_area(warnings["geo"], geo) if len(warnings) else np.zeros(0, dtype=bool)).copy()
    kept[pairs["warning"].to_numpy(dtype=np.int64)[touching]] = True
    positions = np.flatnonzero(kept)
    new_warning = {int(old): new for new, old in enumerate(positions)}
    mine = pairs[touching]
    renumbered = pd.DataFrame({
        "warning": np.array([new_warning[int(w)] for w in mine["warning"]], dtype=np.int64),
        "row": np.array([new_row[int(r)] for r in mine["row"]], dtype=np.int64)})
    return warnings.iloc[positions].reset_index(drop=True), renumbered


def _rows_in(table: pd.DataFrame, geo: str) -> pd.DataFrame:
    """The rows of ``table`` whose ``geo`` is ``geo`` or one of its sub-units."""
    return table[in_area(table["geo"], geo)].reset_index(drop=True)


__all__ = ["area_subset", "in_area", "notices_by_area", "rows_by_area"]
