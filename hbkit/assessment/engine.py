"""The orchestration behind :func:`hbkit.assess`: targets x areas, one projection per indicator.

Flow (one direction):

1. the observations are read (or taken) and cut at ``as_of``;
2. the areas: every data area that is not a sub-unit of another data area
   (``each_unit`` targets also at the parent of sub-unit rows); one row per
   (target, area), whatever the data;
3. per indicator, one (area x year) grid and **one vectorised call** of
   :func:`hbkit.models.project` over all its areas (seeded per indicator);
4. per target, the probability from joint paths (:mod:`hbkit.attainment`),
   ``achieved`` from the observed values by the same event rule, ``each_unit``
   through :mod:`hbkit.pooling`, ``relational`` from draws of both indicators,
   ``count_minimum`` from the counts (no forecast), ``qualitative`` listed;
5. statuses (:mod:`hbkit.status`), warnings (:mod:`hbkit.warnings_rules`) and
   the official conventions (:func:`hbkit.conventions.official_labels`) for
   all rows at once.

Modules: :mod:`~hbkit.assessment.chunks` (one indicator's grid, projection and
statistics, freed after its last target), :mod:`~hbkit.assessment.rows` (the
output column arrays and the common filling), :mod:`~hbkit.assessment.kinds` (each
kind of target), :mod:`~hbkit.assessment.finish` (statuses, warnings, conventions).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hbkit._names import catalogue_area_names
from hbkit._options import check_levels, check_seed, count_at_least
from hbkit.assessment.area import notices_by_area
from hbkit.assessment.chunks import _ChunkStore
from hbkit.assessment.data_warnings import note_data_warnings, touched_rows
from hbkit.assessment.finish import _finish, with_english_geos, word_missed_years
from hbkit.assessment.inputs import (
    district_geos,
    example_catalogue,
    is_simulated,
    observation_inputs,
    parent_geo,
    resolve_as_of,
    sources_of,
)
from hbkit.assessment.kinds import Coverage, _assess_target, empty_unit_frame
from hbkit.assessment.result import Assessment, ViewIndex, typed_text
from hbkit.assessment.rows import _Rows
from hbkit.assessment.unused import near_reasons, note_unused_indicators
from hbkit.catalogue.catalogue import Catalogue, load_catalogue
from hbkit.catalogue.models import Target
from hbkit.datasets.examples import Example
from hbkit.exceptions import HbkitError, HbkitWarning
from hbkit.notices import collecting, notify
from hbkit.observations.result import Observations
from hbkit.status import StatusRules

FloatArray = npt.NDArray[np.float64]


# ======================================================================================
def assess(
    observations: Observations | pd.DataFrame | str | os.PathLike[str] | Example,
    catalogue: Catalogue | Iterable[Target | Mapping[str, Any]] | None = None,
    as_of: int | None = None,
    level: float | Sequence[float] = (80, 95),
    rules: StatusRules | None = None,
    n_draws: int = 1000,
    seed: int = 0,
) -> Assessment:
    """Assess every target of a catalogue in every area: probability, status, warnings.

    Parameters
    ----------
    observations
        An :class:`~hbkit.Observations`, a DataFrame in the observations layout,
        the path of a CSV/Excel file (read with :func:`hbkit.read_observations`),
        or an :class:`~hbkit.datasets.Example` (:func:`hbkit.datasets.load_example`),
        whose series of indicators the catalogue does not judge are left out
        (not refused as unknown), as ``hbkit assess example:NAME`` does.
    catalogue
        The targets: a :class:`hbkit.Catalogue` or a list of targets (made
        into one, so the result's reports can look targets up by id); default
        the example's own catalogue for an Example (an error for an example
        without one, such as ``"dtp3"``), else the shipped catalogue of both
        plans (:func:`hbkit.load_catalogue`).
    as_of
        Use only years <= ``as_of`` (default: the latest year with a value,
        not after the catalogue's last target year: later rows are then left
        out with a warning that counts them).
        With ``as_of`` at or after the target year this is the final
        evaluation (终期评估): achieved or not by the plan's own rule.
        Read as a year cell is (``2023``, ``"2023"``, ``"2023年"``, ``2023.0``);
        a year outside 1949-2100 is an error (a mistyped 20233 would otherwise
        be a final evaluation).
    level
        Interval levels in percent, e.g. ``(80, 95)``; ``"80"`` is read as 80.
    rules
        Status and warning thresholds (:class:`~hbkit.StatusRules`).
    n_draws
        Simulated paths per series (at least 100).
    seed
        Seed, a whole number from 0 to 2147483646: the same input and seed
        give the same output. A negative or larger seed is an error (it would
        silently repeat another seed's draws).

    Every option value whose meaning is not clear is an
    :class:`~hbkit.exceptions.HbkitError` naming the argument and the value
    received, in Chinese and English (:mod:`hbkit._options`).

    Returns
    -------
    Assessment
        Frozen; ``to_frame()`` has one row per (target, area). The data
        warnings of the observations (``Observations.warnings``, also of a
        DataFrame or file read here) are kept in ``data_warnings``; the
        reason of each row whose data one touches says so.

    Examples
    --------
    >>> import pandas as pd, hbkit
    >>> cat = hbkit.Catalogue([hbkit.Target(id="C-health-imr", indicator="imr",
    ...     kind="upper_bound", threshold=5.0, unit="per_1000", name_zh="婴儿死亡率")])
    >>> obs = pd.DataFrame({"indicator": "imr", "geo": "河北区",
    ...     "year": range(2016, 2024), "value": [6.1, 5.8, 5.6, 5.5, 5.1, 5.2, 4.9, 4.8],
    ...     "unit": "per_1000"})
    >>> res = hbkit.assess(obs, catalogue=cat, n_draws=400)
    >>> res.to_frame()[["target_id", "geo", "status"]].values.tolist()
    [['C-health-imr', '河北区', 'achieved']]

    An example dataset is judged against its own catalogue:

    >>> example = hbkit.datasets.load_example("hebei_example")
    >>> res = hbkit.assess(example, n_draws=200)
    >>> res.as_of, len(res.to_frame()) == len(example.catalogue), res.simulated
    (2023, True, True)
    """
    with collecting() as notes:
        result = _assess(observations, catalogue, as_of, level, rules, n_draws, seed)
    areas = [str(g) for g in pd.unique(result.frame["geo"].dropna().astype(object))]
    return dataclasses.replace(result, notices=tuple(notes),
                               notice_areas=notices_by_area(notes, areas))


def _assess(observations: Any, catalogue: Any, as_of: Any, level: Any, rules: Any,
            n_draws: Any, seed: Any) -> Assessment:
    """:func:`assess` without the collection of its notices."""
    levels = check_levels(level)
    rules = rules if rules is not None else StatusRules()
    if not isinstance(rules, StatusRules):
        raise HbkitError(f"rules 须为 hbkit.StatusRules，如 hbkit.StatusRules(on_track=0.9) / rules must "
                         f"be a hbkit.StatusRules; received {type(rules).__name__}")
    n_draws, seed = count_at_least("n_draws", n_draws, 100), check_seed(seed)
    catalogue = example_catalogue(observations, catalogue)
    if catalogue is None:
        catalogue = load_catalogue()
    elif not isinstance(catalogue, Catalogue):
        catalogue = Catalogue(catalogue)
    if len(catalogue) == 0:
        raise HbkitError("目录中没有目标，无可评估 / the catalogue has no targets to assess "
                         "(received an empty catalogue)")
    frame, data_warnings = observation_inputs(observations, catalogue)
    all_observations = frame
    as_of = resolve_as_of(frame, as_of, catalogue.last_target_year)
    if as_of is not None:
        frame = frame[frame["year"].to_numpy() <= as_of]
    sources = sources_of(frame)
    used = frame[np.isfinite(frame["value"].to_numpy(dtype=float))].reset_index(drop=True)
    if used.empty:
        notify("没有任何有数值的观测（文件为空或只有表头？），各目标均为无数据 / no observation "
               f"with a value{'' if as_of is None else f' up to {as_of}'} (an empty file, or "
               "only a header?): every target has no data", HbkitWarning, stacklevel=3)
    targets = list(catalogue)
    near = note_unused_indicators(all_observations, targets)
    plan = _plan_rows(targets, used, [str(g) for g in pd.unique(all_observations["geo"].to_numpy())],
                      getattr(catalogue, "default_geo", "河北区"))
    rows = _Rows(plan, levels)
    by_indicator = {str(k): v for k, v in used.groupby("indicator", sort=False)}
    chunks = _ChunkStore(targets, plan, by_indicator, as_of, rules, int(n_draws), int(seed),
                         levels)
    coverage = Coverage(by_indicator)
    unit_rows: list[pd.DataFrame] = []
    # targets grouped by indicator, so that each indicator's draws are freed early
    order = sorted(range(len(targets)), key=lambda i: (str(targets[i].indicator or ""), i))
    t_col = plan["t_index"].to_numpy()
    try:
        for t_index in order:
            target = targets[t_index]
            idx = np.flatnonzero(t_col == t_index)
            if idx.size:
                _assess_target(target, idx, plan["geo"].to_numpy()[idx], rows, chunks,
                               by_indicator, coverage, unit_rows, as_of, rules, int(seed))
            chunks.done(target)
    finally:
        chunks.close()
    names = catalogue_area_names(catalogue)  # the English area names the reports use
    frame_out, warn = _finish(targets, plan, rows, as_of, rules, levels, names)
    frame_out = near_reasons(frame_out, near, targets)  # no data, but a near id in the data
    warn = word_missed_years(warn, frame_out, targets, frame)
    # the rows read as they are that look wrong (数据提醒): said on the rows they touch
    touched = touched_rows(frame_out, data_warnings, targets, as_of)
    frame_out = note_data_warnings(frame_out, data_warnings, touched)
    views = ViewIndex(rows.summaries, rows.summary_id, rows.grid_row,
                      rows.num["target_value"].copy(), rows.explicit)
    filled = [u for u in unit_rows if len(u)]
    units = (typed_text(with_english_geos(pd.concat(filled, ignore_index=True), names))
             if filled else empty_unit_frame())
    frame_out = typed_text(frame_out)  # one type per column, whatever the targets
    return Assessment(
        catalogue=catalogue, as_of=as_of, level=levels, rules=rules,
        simulated=is_simulated(sources), sources=sources,
        observations=frame.reset_index(drop=True), frame=frame_out, warnings=warn,
        units=units, views=views, seed=int(seed), n_draws=int(n_draws),
        data_warnings=data_warnings, data_warning_rows=touched,
    )


# ======================================================================================
def _plan_rows(targets: list[Any], used: pd.DataFrame, all_geos: list[str], default_geo: str
               ) -> pd.DataFrame:
    """One row per (target, area): the areas every target is assessed in.

    ``all_geos`` are the areas of every input row (also rows after ``as_of`` or
    reported missing), so an area never disappears from the assessment. Rows
    of the catalogue's district's sub-units (``和平区/甲街``) make that district
    an area even when it has no row of its own, so its streets are not taken
    for districts.
    """
    prefix = f"{default_geo}/"
    known = list(all_geos) + ([default_geo] if any(str(g).startswith(prefix) for g in all_geos)
                              else [])
    districts = district_geos(known) or [default_geo]
    every_area = sorted(set(districts))
    geos_of = _geos_of(used, {str(t.indicator) for t in targets if t.each_unit})
    t_index, geos = [], []
    for i, target in enumerate(targets):
        areas = every_area
        if target.each_unit:
            more = set(districts)
            for g in geos_of.get(str(target.indicator), ()):
                parent = parent_geo(g)
                if parent is not None and g not in more:
                    more.add(parent)
            areas = sorted(more)
        t_index.append(np.full(len(areas), i, dtype=np.int64))
        geos += areas
    if not targets:
        return pd.DataFrame({"t_index": pd.Series(dtype=int), "geo": pd.Series(dtype=object)})
    return pd.DataFrame({"t_index": np.concatenate(t_index), "geo": geos})


def _geos_of(used: pd.DataFrame, indicators: set[str]) -> dict[str, set[Any]]:
    """The areas of the rows of each of ``indicators`` (the indicators of street-by-street
    targets): only their rows are grouped.

    >>> found = _geos_of(pd.DataFrame({"indicator": ["a", "a", "b"], "geo": ["x", "y", "z"]}),
    ...                  {"a"})
    >>> list(found), sorted(found["a"])
    (['a'], ['x', 'y'])
    """
    if not indicators:
        return {}
    rows = used[used["indicator"].astype(str).isin(indicators)]
    return {str(k): set(v) for k, v in rows.groupby("indicator")["geo"].unique().items()}
