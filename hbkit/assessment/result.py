"""The frozen results of :func:`hbkit.assess`: :class:`Assessment` and :class:`SeriesView`."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd

from hbkit._options import check_choice
from hbkit.exceptions import HbkitError
from hbkit.status import STATUS_ORDER, StatusRules, heading_status_label

if TYPE_CHECKING:  # pragma: no cover
    from hbkit.catalogue.catalogue import Catalogue
    from hbkit.report.output import Destination

#: columns of :meth:`Assessment.to_frame`, in order (the contract with the report)
FRAME_COLUMNS: tuple[str, ...] = (
    "target_id", "plan", "domain", "domain_zh", "domain_en", "name_zh", "name_en", "text_zh",
    "geo", "geo_en", "indicator", "kind", "threshold", "unit", "direction", "strict", "target_year",
    "baseline_year", "baseline_value", "latest_year", "latest_value", "n_obs", "projected",
    "lo_80", "hi_80", "lo_95", "hi_95", "probability", "status", "status_zh", "status_en",
    "warnings",
    "method", "scale", "reason", "reason_zh", "reason_en",
    "eurostat_ratio", "eurostat_band", "unsd_band", "dns_symbol", "required_annual_change",
    "achieved_annual_change", "data_warnings",
)

#: the dtype pandas gives a column of text (``str`` from pandas 3, ``object`` before)
TEXT_DTYPE = pd.Series(["x"]).dtype


def typed_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every ``object`` column (text, or ``None`` only) in :data:`TEXT_DTYPE`.

    pandas types a column by its values: text with a few blanks is ``str`` (blanks NaN),
    but a column that is blank in every row (no plan, no reason to give, only
    qualitative targets without an indicator) stays ``object`` holding ``None``. An
    assessment's tables keep one type per column, whatever the call, for a dashboard
    that stores every district's rows in one table.

    Examples
    --------
    >>> frame = typed_text(pd.DataFrame({"reason": [None, None], "p": [0.5, 0.9]}))
    >>> frame["reason"].dtype == TEXT_DTYPE, bool(frame["reason"].isna().all()), str(frame["p"].dtype)
    (True, True, 'float64')
    """
    text = [c for c in frame.columns if frame[c].dtype == object]
    return frame.astype(dict.fromkeys(text, TEXT_DTYPE)) if text else frame


@dataclass(frozen=True, eq=False)
class SeriesView:
    """Everything a fan chart of one (target, area) needs, in the indicator's unit.

    Attributes
    ----------
    target_id, geo
        Which target and area.
    geo_en
        The area in English, as in :meth:`Assessment.to_frame` (``Hebei District``; an
        area without a known English name keeps its name as given).
    history_years, history_values
        Observed years (<= as_of) and values.
    future_years, median
        Projected years and the predictive median in each.
    intervals
        ``{level: (lo, hi)}`` arrays over ``future_years`` (level in percent).
    target_value, target_year
        The value the target asks for (NaN when it has none, e.g. a direction
        target) and its year.
    status, status_zh, status_en, probability
        As in :meth:`Assessment.to_frame` (``achieved``, 提前实现, ``achieved early``).
    name_zh, name_en, unit, text_zh
        From the target.

    Examples
    --------
    >>> import hbkit
    >>> res = hbkit.assess(hbkit.datasets.load_example("hebei_example"), n_draws=100)
    >>> view = res.series("C-health-infant-mortality")
    >>> view.geo, view.geo_en, view.status_zh, view.status_en
    ('河北区', 'Hebei District', '提前实现', 'achieved early')
    """

    target_id: str
    geo: str
    geo_en: str
    history_years: np.ndarray
    history_values: np.ndarray
    future_years: np.ndarray
    median: np.ndarray
    intervals: dict[float, tuple[np.ndarray, np.ndarray]]
    target_value: float
    target_year: int
    status: str
    status_zh: str
    status_en: str
    probability: float
    name_zh: str
    name_en: str
    unit: str
    text_zh: str


@dataclass(frozen=True, eq=False)
class ChunkSummary:
    """What the fan charts of one indicator's areas need, kept instead of the draws.

    ``quantiles[year]`` is (N, Q) at the probabilities ``qs`` (median first,
    then ``lo``/``hi`` of each level in ``levels``).
    """

    years: np.ndarray
    values: np.ndarray
    future_years: np.ndarray
    quantiles: dict[int, np.ndarray]
    levels: tuple[float, ...]

    def fields(self, row: int, target_value: float) -> dict[str, Any]:
        """The SeriesView fields of one area (row of the grid)."""
        obs = np.isfinite(self.values[row])
        q = np.array([self.quantiles[int(y)][row] for y in self.future_years]).reshape(
            len(self.future_years), 1 + 2 * len(self.levels))
        return {
            "history_years": self.years[obs], "history_values": self.values[row][obs],
            "future_years": self.future_years, "median": q[:, 0],
            "intervals": {lev: (q[:, 1 + 2 * k], q[:, 2 + 2 * k])
                          for k, lev in enumerate(self.levels)},
            "target_value": float(target_value),
        }


@dataclass(frozen=True, eq=False)
class ViewIndex:
    """Where each output row finds its fan-chart fields, without a Python object per row.

    Row ``i`` reads ``summaries[summary_id[i]]`` at grid row ``grid_row[i]``
    (``summary_id`` -1: no projection), or ``explicit[i]`` (each_unit rows).
    """

    summaries: list[ChunkSummary]
    summary_id: np.ndarray
    grid_row: np.ndarray
    target_value: np.ndarray
    explicit: dict[int, dict[str, Any]]

    def fields(self, i: int) -> dict[str, Any] | None:
        """The SeriesView fields of output row ``i`` (``None`` when it has no projection)."""
        if i in self.explicit:
            return self.explicit[i]
        sid = int(self.summary_id[i])
        if sid < 0:
            return None
        return self.summaries[sid].fields(int(self.grid_row[i]), float(self.target_value[i]))


def _no_data_warnings() -> pd.DataFrame:
    from hbkit.observations.result import warning_frame

    return warning_frame([])


def _no_data_warning_rows() -> pd.DataFrame:
    return pd.DataFrame({"warning": pd.Series([], dtype=np.int64),
                         "row": pd.Series([], dtype=np.int64)})


def rows_of_area(frame: pd.DataFrame, geo: Any) -> pd.DataFrame:
    """The rows of one area of an assessment's frame (every row with ``geo=None``).

    An area the assessment does not have is an :class:`~hbkit.exceptions.HbkitError`
    listing the areas it has.
    """
    if geo is None:
        return frame
    areas = [str(g) for g in pd.unique(frame["geo"].dropna().astype(object))]
    if str(geo) not in areas:
        raise HbkitError(f"评估中没有该地区 / no area {geo!r} in this assessment; "
                         f"its areas: {', '.join(areas)}")
    return frame[frame["geo"].astype(object) == str(geo)]


@dataclass(frozen=True, eq=False)
class Assessment:
    """The assessment of every target of a catalogue in every area, at one year.

    Build it with :func:`hbkit.assess`. One row per (target, area) in
    :meth:`to_frame`; never a row dropped: a target without data is
    ``no_data``, a series that cannot be judged ``insufficient_data`` with its
    ``reason``.

    Attributes
    ----------
    catalogue
        The targets assessed.
    as_of
        Only years <= ``as_of`` were used (``None`` when there were no data).
    level
        Interval levels in percent, e.g. ``(80.0, 95.0)``.
    rules
        The :class:`~hbkit.StatusRules` used.
    simulated
        Whether any source says the data are simulated (模拟).
    sources
        The distinct sources of the observations.
    observations
        The observations used (year <= as_of).
    data_warnings
        The data warnings (数据提醒) of the observations assessed: the rows
        :func:`hbkit.read_observations` used as they are although they look
        wrong beside the others (``Observations.warnings``: ``file, row,
        column, value, rule, code, indicator, geo, year``). Empty when there
        are none. The reports show them, and the ``reason`` of each row whose
        data one touches says so (:mod:`hbkit.assessment.data_warnings`).
    data_warning_rows
        Which rows each data warning touches, as the assessment found them:
        pairs ``warning, row`` of positions in ``data_warnings`` and in
        :meth:`to_frame` (:func:`hbkit.assessment.data_warnings.touched_rows`);
        the reports list the targets each warning touches from it.
    notices
        What the call said besides its results, each also emitted as a Python
        warning: ``{"category", "message"}`` dicts (an ``as_of`` after the last
        year with data, rows after the plan's target year left out, rows in
        another unit, no observation with a value). Kept here because a host
        running several assessments at once cannot tell whose a warning is
        (:mod:`hbkit.notices`).
    notice_areas
        For each of ``notices``: ``None`` for a notice about the whole call (an
        ``as_of`` after the last year with data, rows after the plan's target year
        when ``as_of`` was not given, no observation with a value), else
        ``{area: message}`` for a notice about rows of the data (rows in another
        unit, rows of an indicator no target uses, identical duplicates merged,
        rows to check when the data were read in the call): the areas with such
        rows and what the notice says of their rows alone, which is what
        :meth:`subset` keeps. Empty for an assessment made before it was kept
        (every notice then counts as the call's).
    final
        ``True`` when ``as_of`` is at or after every target year (终期评估).

    Examples
    --------
    Two districts in one call, one row per (target, area), counts per area:

    >>> import pandas as pd, hbkit
    >>> cat = hbkit.Catalogue([hbkit.Target(id="C-health-imr", indicator="imr",
    ...     kind="upper_bound", threshold=5.0, unit="per_1000", name_zh="婴儿死亡率")])
    >>> obs = pd.DataFrame({"indicator": "imr", "geo": ["和平区"] * 8 + ["河西区"] * 8,
    ...     "year": list(range(2016, 2024)) * 2, "unit": "per_1000",
    ...     "value": [6.1, 5.8, 5.6, 5.5, 5.1, 5.2, 4.9, 4.8] + [4.1, 4.0, 3.9, 3.9, 3.8, 3.6, 3.5, 3.4]})
    >>> res = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=400)
    >>> res.to_frame()[["target_id", "geo", "latest_value", "status"]].values.tolist()
    [['C-health-imr', '和平区', 4.8, 'achieved'], ['C-health-imr', '河西区', 3.4, 'achieved']]
    >>> int(res.summary(geo="河西区").loc[("total", ""), "achieved"])
    1

    A district's row is the one it gets assessed alone, to the last digit:

    >>> alone = hbkit.assess(obs[obs.geo == "河西区"], catalogue=cat, as_of=2023, n_draws=400)
    >>> together = res.to_frame().query("geo == '河西区'").reset_index(drop=True)
    >>> together.equals(alone.to_frame())
    True

    Its ``repr`` names the area when there is one, and counts them when there are more:

    >>> res
    Assessment(as_of=2023, geos=2, rows=2, warnings=0, achieved=2)
    >>> res.subset("河西区")
    Assessment(as_of=2023, geo='河西区', rows=1, warnings=0, achieved=1)
    """

    catalogue: Catalogue
    as_of: int | None
    level: tuple[float, ...]
    rules: StatusRules
    simulated: bool
    sources: list[str]
    observations: pd.DataFrame
    frame: pd.DataFrame = field(repr=False)
    warnings: pd.DataFrame = field(repr=False)
    units: pd.DataFrame = field(repr=False)
    views: ViewIndex | None = field(repr=False, default=None)
    seed: int = 0
    n_draws: int = 1000
    data_warnings: pd.DataFrame = field(repr=False, default_factory=_no_data_warnings)
    data_warning_rows: pd.DataFrame = field(repr=False, default_factory=_no_data_warning_rows)
    notices: tuple[dict[str, str], ...] = field(repr=False, default=())
    notice_areas: tuple[dict[str, str] | None, ...] = field(repr=False, default=())

    @property
    def final(self) -> bool:
        """Whether this is the final evaluation (as_of >= every target year)."""
        years = self.frame["target_year"].dropna()
        return self.as_of is not None and len(years) > 0 and self.as_of >= int(years.max())

    # ---------------------------------------------------------------- tables
    def to_frame(self) -> pd.DataFrame:
        """One row per (target, area), columns as listed in the module's ``FRAME_COLUMNS``.

        ``lo_XX``/``hi_XX`` follow ``level``; ``warnings`` joins warning codes by ``;``,
        ``data_warnings`` the codes of the data warnings touching the row
        (:meth:`data_warnings_frame`; ``""`` when none). Beside the codes ``status`` and
        ``domain``, ``status_zh``/``status_en`` and ``domain_zh``/``domain_en`` are their
        words in the Chinese and the English report (提前实现 / achieved early, 健康 /
        Health; ``""`` for a target without a domain). Beside ``geo``, ``geo_en`` is the
        area in English, each part of its code as the English report names it
        (:func:`hbkit._names.geo_english`): ``Hebei District`` for 河北区 (Tianjin's
        sixteen districts, and the catalogue's ``default_geo`` when it gives
        ``default_geo_en``), ``Hebei District/光复道街道`` for a street; an area without
        a known English name keeps its name as given (the Chinese), so it is never empty.

        Each column keeps one type whatever the call (:func:`typed_text`): text in
        pandas' string type, missing as NaN (``reason`` with nothing to say, the
        ``indicator`` of a qualitative target); ``baseline_year`` and ``latest_year``
        nullable ``Int64``; ``target_year`` and ``n_obs`` ``int64``; ``strict``
        ``bool``; other numbers ``float64``. The JSON (:meth:`to_json`) writes NaN as
        ``null``.

        Examples
        --------
        >>> import hbkit
        >>> res = hbkit.assess(hbkit.datasets.load_example("hebei_example"), n_draws=100)
        >>> frame = res.to_frame()
        >>> frame.dtypes[["latest_year", "n_obs", "probability"]].astype(str).tolist()
        ['Int64', 'int64', 'float64']
        >>> row = frame.set_index("target_id").loc["C-health-infant-mortality"]
        >>> row["status"], row["warnings"], bool(row[["reason"]].isna().all())
        ('achieved', '', True)
        >>> row["status_zh"], row["status_en"], row["domain_zh"], row["domain_en"]
        ('提前实现', 'achieved early', '健康', 'Health')
        >>> row["geo"], row["geo_en"]
        ('河北区', 'Hebei District')
        """
        return self.frame.copy()

    def warnings_frame(self) -> pd.DataFrame:
        """One row per warning: ``target_id, geo, code, text_zh, text_en``, the numbers behind
        it, ``geo_en`` (the area in English, as in :meth:`to_frame`) and, last, ``level``
        (``warning``, or ``note`` for a note on the data). The columns before ``geo_en``
        keep the places they had before it was added.

        The columns are :data:`hbkit.warnings_rules.codes.WARNING_COLUMNS`, also when there
        is no warning; the numbers are ``float64`` (NaN where they do not apply), years and
        counts among them too (``last_year``, ``n_large_changes``), which the JSON writes
        as integers.
        """
        return self.warnings.copy()

    def data_warnings_frame(self) -> pd.DataFrame:
        """One row per data warning (数据提醒), as ``Observations.warnings`` lists it.

        Columns ``file, row, column, value, rule, code, indicator, geo, year``:
        the rows read as they are that look wrong beside the others (a percent
        typed as a fraction, an area name one character off), which
        ``hbkit validate FILE`` lists too. Empty when the observations had none.

        Examples
        --------
        >>> import pandas as pd, hbkit
        >>> cat = hbkit.Catalogue([hbkit.Target(id="C-imm", indicator="imm", kind="lower_bound",
        ...     threshold=95.0, unit="percent", name_zh="免疫接种率")])
        >>> import warnings; warnings.simplefilter("ignore")  # read_observations warns too
        >>> obs = hbkit.read_observations(pd.DataFrame({"indicator": "imm", "unit": "percent",
        ...     "year": range(2018, 2024), "value": [96.1, 96.4, 0.965, 96.8, 97.0, 97.1]}), cat)
        >>> res = hbkit.assess(obs, catalogue=cat, n_draws=200)
        >>> res.data_warnings_frame()[["row", "code", "year"]].values.tolist()
        [[4, 'value-looks-fraction', 2020]]
        >>> res.to_frame()["data_warnings"].tolist()
        ['value-looks-fraction']
        >>> print(res.to_frame()["reason_zh"][0])  # doctest: +ELLIPSIS
        数据提醒：所用数据中有1行需要核对（百分数像是填成了小数：2020年，<DataFrame> 第4行），...
        """
        return self.data_warnings.copy()

    def unit_frame(self) -> pd.DataFrame:
        """Sub-unit detail of ``each_unit`` targets: one row per (target, area, street).

        Columns ``target_id, geo, geo_en, unit_geo, probability, latest_value,
        raw_effect, effect, effect_sd, shrinkage`` (effects on the model scale;
        ``geo_en`` the district in English, as in :meth:`to_frame`).
        """
        return self.units.copy()

    def summary(self, lang: str | None = None, geo: str | None = None) -> pd.DataFrame:
        """Counts by plan and domain (rows) and status (columns), with totals.

        The two plans are counted apart: "health" of the women's plan and
        "health" of the children's plan are two rows. Rows are indexed by
        ``(plan, domain)`` in catalogue order; each plan ends with a
        ``(plan, "subtotal")`` row and the table with a ``("total", "")`` row.
        Columns are the statuses in :data:`~hbkit.status.STATUS_ORDER` and
        ``total``. Targets without a plan or domain count under ``"(none)"``.

        Parameters
        ----------
        lang
            ``None`` keeps codes; ``"zh"`` or ``"en"`` labels rows and columns
            (妇女发展规划 / 健康 / 小计 / 合计, or Women's Development Plan /
            Health / subtotal / total).
        geo
            Count only the rows of this area (e.g. ``"和平区"`` of an assessment
            of several districts, one dashboard tile per district); ``None``
            counts every area together.

        Returns
        -------
        pandas.DataFrame
            Integer counts, one row per (plan, domain), per-plan subtotal and
            the overall total.

        Examples
        --------
        >>> import hbkit
        >>> example = hbkit.datasets.load_example("hebei_example")
        >>> res = hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=2023)
        >>> table = res.summary()
        >>> table.index.names
        FrozenList(['plan', 'domain'])
        >>> int(table.loc[("women", "health"), "total"]) > 0
        True
        >>> total = int(table.loc[("total", ""), "total"])
        >>> total == len(res.to_frame()) == int(table.xs("subtotal", level="domain")["total"].sum())
        True
        >>> res.summary("zh").index[-1]
        ('合计', '')
        >>> int(res.summary(geo="河北区").loc[("total", ""), "total"]) == total  # one district
        True
        """
        frame = rows_of_area(self.frame, geo)
        plans = frame["plan"].astype(object).where(frame["plan"].notna(), "(none)").astype(str)
        domains = frame["domain"].astype(object).where(frame["domain"].notna(), "(none)").astype(str)
        counts = pd.crosstab([plans.rename("plan"), domains.rename("domain")], frame["status"])
        counts = counts.reindex(columns=list(STATUS_ORDER), fill_value=0)
        pieces: list[pd.DataFrame] = []
        for plan in dict.fromkeys(plans):
            keys = list(dict.fromkeys(d for p, d in zip(plans, domains, strict=True) if p == plan))
            block = counts.reindex(pd.MultiIndex.from_tuples([(plan, d) for d in keys]),
                                   fill_value=0)
            block.loc[(plan, "subtotal"), :] = block.sum(axis=0)
            pieces.append(block)
        table = pd.concat(pieces) if pieces else counts.iloc[:0]
        table.loc[("total", ""), :] = counts.sum(axis=0)
        table["total"] = table.sum(axis=1)
        table.index = pd.MultiIndex.from_tuples(list(table.index), names=["plan", "domain"])
        table.columns.name = "status"
        if lang is not None:
            from hbkit.report.wording import domain_label, plan_label

            check_choice("lang", lang, ("zh", "en"))
            # headings read like their rows (every achieved row 提前实现: so does the heading);
            # in the final evaluation off track reads 未实现 / not achieved
            # (未实现/难以实现 when some off-track rows were judged on the model)
            names = {s: heading_status_label(frame["status"], frame["status_zh"], s, lang,
                                             final=self.final)
                     for s in STATUS_ORDER}
            names["total"] = "合计" if lang == "zh" else "total"
            domain_zh = dict(zip(domains, frame["domain_zh"].fillna(""), strict=True))
            subtotal = "小计" if lang == "zh" else "subtotal"

            def row_label(plan: str, domain: str) -> tuple[str, str]:
                if plan == "total":
                    return names["total"], ""
                plan_text = plan_label(None if plan == "(none)" else plan, lang)
                if domain == "subtotal":
                    return plan_text, subtotal
                return plan_text, domain_label(None if domain == "(none)" else domain, lang,
                                               str(domain_zh.get(domain) or ""))

            table.index = pd.MultiIndex.from_tuples([row_label(p, d) for p, d in table.index],
                                                    names=["规划", "领域"] if lang == "zh"
                                                    else ["plan", "domain"])
            table.columns = pd.Index([names[c] for c in table.columns],
                                     name="状态" if lang == "zh" else "status")
        return table.astype(int)

    def subset(self, geo: str) -> Assessment:
        """The assessment of one area of this one: for each district's report after one call.

        Assessing the city's districts in one call is much faster than one by one
        (each indicator is projected once for every area) and gives each district
        the rows it gets alone, to the last digit; ``subset`` then cuts out one
        district, whose reports (``to_html``, ``to_excel``, ``to_json``) are those of
        the district assessed alone at the same ``as_of``: its ``notices`` are the
        call's notices about the whole call and, worded for its rows alone, those
        about its rows of the data (``notice_areas``); another district's rows in
        another unit or rows to check are not in its report. See
        :func:`hbkit.assessment.area.area_subset`.

        Examples
        --------
        >>> import pandas as pd, hbkit
        >>> cat = hbkit.Catalogue([hbkit.Target(id="C-imr", indicator="imr", kind="upper_bound",
        ...     threshold=5.0, unit="per_1000")])
        >>> obs = pd.DataFrame({"indicator": "imr", "geo": ["和平区"] * 4 + ["河西区"] * 4,
        ...     "year": list(range(2020, 2024)) * 2, "value": [5.5, 5.1, 4.9, 4.8, 4.1, 4.0, 3.9, 3.8]})
        >>> res = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)
        >>> res.subset("和平区").to_frame()["geo"].tolist()
        ['和平区']
        """
        from hbkit.assessment.area import area_subset

        return area_subset(self, geo)

    def changes_since(self, previous: Assessment, lang: str | None = None) -> pd.DataFrame:
        """What changed since an earlier assessment (与上年相比), worst news first.

        One row per (target, area) of either assessment: the status before and
        now, how it moved (``better``, ``worse``, ``now_judged``, ...), the
        probabilities and the warnings that appeared or went. See
        :func:`hbkit.assessment.compare.status_changes` for the columns.

        Examples
        --------
        >>> import hbkit
        >>> example = hbkit.datasets.load_example("hebei_example")
        >>> cat = example.catalogue.filter(plan="children", domain="health")
        >>> obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
        >>> last_year = hbkit.assess(obs, catalogue=cat, as_of=2022, n_draws=200)
        >>> this_year = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)
        >>> changes = this_year.changes_since(last_year, lang="zh")
        >>> changes.columns[:7].tolist()
        ['target_id', 'geo', 'plan', 'domain', 'name_zh', 'name_en', 'change']
        """
        from hbkit.assessment.compare import status_changes

        return status_changes(previous, self, lang)

    def series(self, target_id: str, geo: str | None = None) -> SeriesView:
        """The history, projection and target of one (target, area), for a fan chart.

        ``geo`` defaults to the catalogue's default area (or the target's first area).
        """
        known = self.frame["target_id"].to_numpy() == target_id
        if not known.any():
            from hbkit.catalogue.catalogue import UnknownTargetError

            raise UnknownTargetError(str(target_id), self.catalogue.suggest(str(target_id)))
        geos = self.frame["geo"].to_numpy()
        if geo is None:
            default = getattr(self.catalogue, "default_geo", None)
            geo = default if default in set(geos[known]) else str(geos[known][0])
        where = np.flatnonzero(known & (geos == geo))
        if where.size == 0:
            raise HbkitError(f"评估中没有该目标×地区 / target {target_id!r} is not assessed in "
                             f"area {geo!r}; 该目标的地区 / its areas: "
                             + ", ".join(sorted(set(geos[known]))))
        i = int(where[0])
        row = self.frame.iloc[i]
        target = self.catalogue[target_id]
        found = self.views.fields(i) if self.views is not None else None
        if found is None:
            found = self._observed_only(row, str(geo), target)
        p = row["probability"]
        geo_en, status_en = self._english_of(row, str(geo))
        return SeriesView(
            target_id=target_id, geo=str(geo), geo_en=geo_en, **found,
            target_year=int(target.target_year), status=str(row["status"]),
            status_zh=str(row["status_zh"]), status_en=status_en,
            probability=float(p) if pd.notna(p) else float("nan"), name_zh=target.name_zh,
            name_en=target.name_en, unit=target.unit, text_zh=target.text_zh)

    def _english_of(self, row: pd.Series, geo: str) -> tuple[str, str]:
        """The row's ``geo_en`` and ``status_en``; an assessment kept (pickled) from before
        those columns gets them as the English report words them."""
        from hbkit._names import catalogue_area_names, geo_english
        from hbkit.report.wording import status_words

        geo_en, status_en = row.get("geo_en"), row.get("status_en")
        if not isinstance(geo_en, str):
            geo_en = geo_english(geo, catalogue_area_names(self.catalogue))
        if not isinstance(status_en, str):
            zh = row.get("status_zh")
            status_en = status_words(str(row["status"]), zh if isinstance(zh, str) else None, "en")
        return geo_en, status_en

    def _observed_only(self, row: pd.Series, geo: str, target: Any) -> dict[str, Any]:
        """View fields of a row without a projection: its observed history only."""
        obs = self.observations
        history = obs[(obs["indicator"] == row["indicator"]) & (obs["geo"] == geo)]
        history = history[np.isfinite(history["value"].to_numpy(dtype=float))].sort_values("year")
        empty = np.array([], dtype=float)
        return {
            "history_years": history["year"].to_numpy(dtype=np.int64),
            "history_values": history["value"].to_numpy(dtype=float),
            "future_years": np.array([], dtype=np.int64), "median": empty,
            "intervals": {lev: (empty, empty) for lev in self.level},
            "target_value": float(target.threshold) if target.threshold is not None else float("nan"),
        }

    # ---------------------------------------------------------------- display
    def __repr__(self) -> str:
        counts = self.frame["status"].value_counts()
        parts = ", ".join(f"{s}={int(counts[s])}" for s in STATUS_ORDER if s in counts)
        data = f"data_warnings={len(self.data_warnings)}, " if len(self.data_warnings) else ""
        geos = self.frame["geo"].unique()
        where = f"geo={str(geos[0])!r}, " if len(geos) == 1 else f"geos={len(geos)}, "
        return (f"Assessment(as_of={self.as_of}, {where}rows={len(self.frame)}, "
                f"warnings={len(self.warnings)}, {data}{parts})")

    def _repr_html_(self) -> str:
        summary = self.summary("zh")
        head = (f"<p><b>hbkit 评估 / assessment</b> — 截至 / as of {html.escape(str(self.as_of))}; "
                f"{len(self.frame)} 行 / rows; {len(self.warnings)} 条预警 / warnings"
                + (f"; <b>{len(self.data_warnings)} 条数据提醒 / data warnings</b>"
                   if len(self.data_warnings) else "")
                + ("; <b>模拟数据 / simulated data</b>" if self.simulated else "") + "</p>")
        return head + summary.to_html()

    # ---------------------------------------------------------------- delegation
    @overload
    def to_html(self, path: str | os.PathLike[str], lang: str = ...,
                previous: Assessment | None = ..., charts: bool = ...) -> Path: ...
    @overload
    def to_html(self, path: None = ..., lang: str = ...,
                previous: Assessment | None = ..., charts: bool = ...) -> str: ...
    @overload
    def to_html(self, path: IO[str] | IO[bytes], lang: str = ...,
                previous: Assessment | None = ..., charts: bool = ...) -> None: ...

    def to_html(self, path: Destination = None, lang: str = "zh",
                previous: Assessment | None = None, charts: bool = True) -> Path | str | None:
        """The HTML report: written to a path or a file-like object, or returned as text.

        One self-contained page (inline styles, every chart a base64 PNG
        inside it), so a page kept in memory needs no other file. See
        :func:`hbkit.report.write_html`.

        Parameters
        ----------
        path
            A file path: the page is written there (parent folders created)
            and its ``Path`` returned. A file-like object: a text stream
            (``io.StringIO``) receives the text, a binary one (``io.BytesIO``,
            a web response body) its UTF-8 bytes, exactly those of the file;
            nothing is written to disk, the stream is neither rewound nor
            closed, and ``None`` is returned. ``None`` (default): the text is
            returned.
        lang
            ``"zh"`` (default) or ``"en"``.
        previous
            An earlier assessment (e.g. last year's): the report says what
            changed since (与上年相比, :meth:`changes_since`).
        charts
            ``False`` leaves the charts out (a fast report for a service that
            re-renders often).

        Examples
        --------
        A web service builds the page in memory:

        >>> import io, pandas as pd, hbkit
        >>> cat = hbkit.Catalogue([hbkit.Target(id="C-imr", indicator="imr", kind="upper_bound",
        ...     threshold=5.0, unit="per_1000", name_zh="婴儿死亡率")])
        >>> obs = pd.DataFrame({"indicator": "imr", "geo": "河北区", "year": range(2019, 2024),
        ...     "value": [5.5, 5.1, 4.9, 4.8, 4.6]})
        >>> res = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)
        >>> page = res.to_html(charts=False)                  # the text
        >>> page.startswith("<!DOCTYPE html>"), "婴儿死亡率" in page
        (True, True)
        >>> body = io.BytesIO()
        >>> res.to_html(body, charts=False)                   # UTF-8 bytes into a response body
        >>> body.getvalue() == page.encode("utf-8")
        True
        """
        from hbkit import report

        return report.write_html(self, path, lang, previous=previous, charts=charts)

    @overload
    def to_excel(self, path: str | os.PathLike[str],
                 previous: Assessment | None = ...) -> Path: ...
    @overload
    def to_excel(self, path: None = ..., previous: Assessment | None = ...) -> bytes: ...
    @overload
    def to_excel(self, path: IO[bytes], previous: Assessment | None = ...) -> None: ...

    def to_excel(self, path: str | os.PathLike[str] | IO[bytes] | None = None,
                 previous: Assessment | None = None
                 ) -> Path | bytes | None:
        """The Excel workbook: written to a path or a binary file-like object, or returned.

        See :func:`hbkit.report.write_excel` for the sheets.

        Parameters
        ----------
        path
            A file path: the workbook is written there (parent folders
            created) and its ``Path`` returned. A binary file-like object
            (``io.BytesIO``, a web response body): it receives the workbook's
            bytes, nothing is written to disk, the stream is neither rewound
            nor closed, and ``None`` is returned. ``None`` (default): the
            bytes are returned. A text stream is an
            :class:`~hbkit.exceptions.HbkitError`.
        previous
            An earlier assessment: the workbook has a sheet 与上年相比
            (:meth:`changes_since`).

        Examples
        --------
        >>> import io, openpyxl, pandas as pd, hbkit
        >>> cat = hbkit.Catalogue([hbkit.Target(id="C-imr", indicator="imr", kind="upper_bound",
        ...     threshold=5.0, unit="per_1000", name_zh="婴儿死亡率")])
        >>> obs = pd.DataFrame({"indicator": "imr", "geo": "河北区", "year": range(2019, 2024),
        ...     "value": [5.5, 5.1, 4.9, 4.8, 4.6]})
        >>> res = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)
        >>> body = io.BytesIO()
        >>> res.to_excel(body)                                # no file on disk
        >>> openpyxl.load_workbook(body).sheetnames[:3]
        ['汇总', '全部目标', '预警清单']
        >>> res.to_excel()[:2]                                # or the bytes themselves
        b'PK'
        """
        from hbkit import report

        return report.write_excel(self, path, previous=previous)

    def to_dict(self, previous: Assessment | None = None) -> dict[str, Any]:
        """The assessment as plain Python types, the content of :meth:`to_json`.

        Only ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool`` and
        ``None`` (no numpy scalars, no NaN: missing values are ``None``);
        ``targets``, ``warnings`` and ``units`` are the rows of
        :meth:`to_frame`, :meth:`warnings_frame` and :meth:`unit_frame` under
        their column names, ``summary`` the rows of :meth:`summary`,
        ``data_warnings`` the rows of :meth:`data_warnings_frame` with the
        targets each touches; with
        ``previous`` (an earlier assessment) also ``changes``, the rows of
        :meth:`changes_since`. See :func:`hbkit.report.json_export.to_dict`.

        Examples
        --------
        >>> import hbkit
        >>> example = hbkit.datasets.load_example("hebei_example")
        >>> cat = example.catalogue.filter(plan="women", domain="education")
        >>> obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
        >>> res = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)
        >>> data = res.to_dict()
        >>> sorted(data)[:4]
        ['as_of', 'catalogue', 'data_warnings', 'final']
        >>> data["data_warnings"]  # the rows of the data to check (数据提醒): none here
        []
        >>> [row["target_id"] for row in data["targets"]] == res.to_frame()["target_id"].tolist()
        True
        >>> {type(row["latest_year"]).__name__ for row in data["targets"]} <= {"int", "NoneType"}
        True
        """
        from hbkit.report import json_export

        return json_export.to_dict(self, previous)

    def to_json(self, path: str | Path | None = None, *, indent: int | None = None,
                previous: Assessment | None = None) -> str:
        """The assessment as strict JSON (for dashboards and other programs).

        Parameters
        ----------
        path
            When given, the text is also written there (UTF-8).
        indent
            Spaces per level of :func:`json.dumps` (``None``: one line); a whole number
            (``"2"`` is 2), else an error naming it.
        previous
            An earlier assessment: adds ``changes`` (:meth:`to_dict`).

        Returns
        -------
        str
            The JSON of :meth:`to_dict`: Chinese characters literal, missing
            numbers ``null``, no ``NaN`` or ``Infinity`` tokens (an infinite
            number is ``null`` too, listed in the top-level ``infinite``). The layout
            is versioned (``schema_version``) and documented in the user
            guide, "For developers: JSON export".

        Examples
        --------
        >>> import json, hbkit
        >>> example = hbkit.datasets.load_example("hebei_example")
        >>> cat = example.catalogue.filter(plan="women", domain="education")
        >>> obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
        >>> res = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)
        >>> data = json.loads(res.to_json(indent=2))
        >>> data["schema_version"], data["targets"][0]["domain_zh"], data["targets"][0]["domain_en"]
        (4, '教育', 'Education')
        >>> data["targets"][0]["geo"], data["targets"][0]["geo_en"]
        ('河北区', 'Hebei District')
        """
        from hbkit.report import json_export

        return json_export.to_json(self, path, indent=indent, previous=previous)

    def to_markdown(self, lang: str = "zh", previous: Assessment | None = None) -> str:
        """The report as Markdown (see :func:`hbkit.report.to_markdown`); ``previous`` as in
        :meth:`to_html`."""
        from hbkit import report

        return report.to_markdown(self, lang, previous=previous)

    def plot(self, target_id: str | None = None, geo: str | None = None, lang: str = "zh",
             ax: Any = None) -> Any:
        """Fan chart of one target, or the status dashboard when ``target_id`` is ``None``.

        Parameters
        ----------
        target_id
            The target (:func:`hbkit.plotting.fan_chart`); ``None`` for the status
            dashboard (:func:`hbkit.plotting.status_dashboard`).
        geo
            The area: of the fan chart (default the catalogue's default area), or the
            one the dashboard counts, as :meth:`summary` does (``None``: every area).
        lang
            ``"zh"`` (default) or ``"en"``.
        ax
            The Axes to draw on; ``None`` makes a new pyplot figure.

        Returns
        -------
        matplotlib.axes.Axes
            The Axes drawn on. A new figure is pyplot's, so that a notebook shows it,
            and stays open until closed: a server drawing many charts closes each
            (``plt.close(ax.figure)``) or passes ``ax`` of a
            ``matplotlib.figure.Figure`` of its own, which pyplot does not keep.

        Examples
        --------
        >>> import hbkit, matplotlib.pyplot as plt
        >>> from matplotlib.figure import Figure
        >>> res = hbkit.assess(hbkit.datasets.load_example("hebei_example"), n_draws=100)
        >>> ax = res.plot("C-health-infant-mortality", lang="en")
        >>> plt.close(ax.figure)
        >>> open_before = plt.get_fignums()
        >>> own = Figure().subplots()                    # not kept by pyplot
        >>> res.plot(lang="en", ax=own) is own, plt.get_fignums() == open_before
        (True, True)
        """
        from hbkit import plotting

        if target_id is None:
            return plotting.status_dashboard(self, lang=lang, ax=ax, geo=geo)
        return plotting.fan_chart(self, target_id, geo, lang=lang, ax=ax)
