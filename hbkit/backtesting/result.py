"""The :class:`BacktestResult`: per-case table, scores, reliability, comparison with baselines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hbkit._options import check_choice, level_label
from hbkit.backtesting.baselines import BASELINES
from hbkit.exceptions import HbkitValueError
from hbkit.scores import (
    brier_decomposition,
    brier_score,
    expected_calibration_error,
    interval_coverage,
    log_score,
    pit_coverage,
    pit_histogram,
    reliability_table,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["BacktestResult", "CASE_COLUMNS", "METHODS", "TABLES", "recalibrated_bands"]

#: official schemes whose labels are also recalibrated into probabilities (cross-fitted)
BANDED: tuple[str, ...] = ("eurostat", "unsd", "dns")
#: methods compared by :meth:`BacktestResult.compare`: hbkit first, then the baselines,
#: then the official labels turned into probabilities (``<scheme>_bands``)
METHODS: tuple[str, ...] = ("hbkit", *BASELINES, *(f"{name}_bands" for name in BANDED))

#: columns of ``BacktestResult.settings["skipped"]`` (:attr:`BacktestResult.skipped`); the
#: ``reason`` reads ``中文 / English`` and is the same text for the same cause
SKIPPED_COLUMNS: tuple[str, ...] = ("indicator", "geo", "origin", "target_id", "rule", "reason")

#: columns of the per-case table, in order
CASE_COLUMNS: tuple[str, ...] = (
    "family", "indicator", "geo", "origin", "horizon", "n_obs", "flat_window", "moved_last_only",
    "target_year",
    "rule", "target_id",
    "kind", "direction", "threshold", "baseline_year", "probability", "outcome", "projected",
    "lo_80", "hi_80", "lo_95", "hi_95", "actual", "pit_lo", "pit_hi", "model_coverage_80",
    "model_coverage_95", "method", "reason",
    *(f"p_{name}" for name in BASELINES),
)

#: the tables :meth:`BacktestResult.labelled` words: the table methods, the cases, the skipped
TABLES: tuple[str, ...] = ("cases", "scores", "compare", "reliability", "pit_histogram",
                           "interval_check", "brier_decomposition", "score_intervals", "skipped",
                           "skipped_reasons")

#: the columns that identify one forecast of one series (interval coverage counts each once)
POINT_KEY: tuple[str, ...] = ("family", "indicator", "geo", "origin", "target_year")


def recalibrated_bands(cases: pd.DataFrame, seed: int = 2021) -> pd.DataFrame:
    """The official labels as probabilities: how often each label's targets were met.

    For each scheme, the probability given to a case is the share of targets
    met among the cases of the same family, kind and label (band code, DNS
    symbol, or ``path_met`` / ``path_missed``) **in the other half of the
    geos** (two folds, :func:`hbkit.backtesting.calibrate.split_geos`), so no
    case is scored with its own outcome. A (family, kind, label) unseen in the
    other half falls back to (kind, label) over every family (a family of one
    geo has no other half), then to the label alone, then to the scheme's 0/1
    forecast.

    Returns
    -------
    pandas.DataFrame
        Columns ``p_eurostat_bands, p_unsd_bands, p_dns_bands``, aligned with ``cases``.
    """
    from hbkit.backtesting.calibrate import split_geos

    half_a, _ = split_geos(cases["geo"].astype(str), seed=seed)
    fold = cases["geo"].astype(str).isin(set(half_a)).to_numpy()
    known = np.isfinite(cases["outcome"].to_numpy(dtype=float))
    out = pd.DataFrame(index=cases.index)
    for name in BANDED:
        column = f"band_{name}"
        prob = cases[f"p_{name}"].to_numpy(dtype=float).copy()
        if column in cases.columns:
            labels = cases[column].astype(object).where(cases[column].notna(), None)
            # the most specific grouping first: the same family, kind and label
            key_sets = [["kind", column], [column]]
            if "family" in cases.columns:
                key_sets.insert(0, ["family", "kind", column])
            for this in (True, False):
                train = cases[(fold != this) & known & labels.notna().to_numpy()]
                target = (fold == this) & labels.notna().to_numpy()
                if not len(train) or not target.any():
                    continue
                rows = cases[target]
                value = np.full(len(rows), np.nan)
                for keys in key_sets:
                    rates = train.groupby(keys)["outcome"].mean()
                    index = (pd.MultiIndex.from_frame(rows[keys]) if len(keys) > 1
                             else pd.Index(rows[column]))
                    found = rates.reindex(index).to_numpy(dtype=float)
                    value = np.where(np.isfinite(value), value, found)
                prob[target] = np.where(np.isfinite(value), value, prob[target])
        out[f"p_{name}_bands"] = prob
    return out


def _probability_column(method: str) -> str:
    """The case-table column with ``method``'s probability."""
    return "probability" if method == "hbkit" else f"p_{method}"


def _by_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _groups(frame: pd.DataFrame, by: list[str]) -> Iterable[tuple[dict[str, Any], pd.DataFrame]]:
    if not by:
        yield {}, frame
        return
    for key, group in frame.groupby(by, sort=True, dropna=False):
        values = key if isinstance(key, tuple) else (key,)
        yield dict(zip(by, values, strict=True)), group


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """Outcome of :func:`hbkit.backtest`: every case, and the scores derived from them.

    Attributes
    ----------
    cases
        One row per (series, origin, target): see :data:`CASE_COLUMNS`.
        ``probability`` is hbkit's, ``p_<baseline>`` each baseline's on the same
        case, ``outcome`` 1/0 whether the event happened (NaN when the data
        needed to judge it are missing), ``projected``, ``lo_80 ... hi_95`` the
        median and intervals for the target year and ``actual`` the value
        observed then. ``n_obs`` is the number of years with a value in the
        window the model saw (``scores(by="n_obs")``: calibration by length
        of history), ``flat_window`` whether every one of them had the same
        value (a series that showed no change: ``scores(by="flat_window")``),
        ``moved_last_only`` whether they held one value for at least three
        years and changed only in the last one
        (:func:`hbkit.models.scales.moved_last_only`).
    levels
        Interval levels in percent, e.g. ``(80.0, 95.0)``.
    settings
        The arguments of the run (origins, horizons, window, n_draws, seed, ...).
    """

    cases: pd.DataFrame = field(repr=False)
    levels: tuple[float, ...] = (80.0, 95.0)
    settings: dict[str, Any] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        scored = self.cases.dropna(subset=["probability", "outcome"])
        skipped = len(self.skipped)
        return (
            f"BacktestResult({len(self.cases)} cases, {len(scored)} scored"
            + (f", {skipped} skipped" if skipped else "") + "; "
            f"families: {', '.join(map(str, sorted(self.cases['family'].unique())))}; "
            f"Brier {brier_score(scored.probability, scored.outcome):.3f}, "
            f"ECE {expected_calibration_error(scored.probability, scored.outcome):.3f})"
        )

    @property
    def skipped(self) -> pd.DataFrame:
        """Every (target or rule, origin, area) that gave no case, with the reason.

        The table ``settings["skipped"]`` (columns
        :data:`SKIPPED_COLUMNS`; empty when nothing was
        skipped): with :attr:`cases` it accounts for every combination asked for.
        Its ``reason`` is in Chinese, then English (``起始年份之后没有数据（数据止于
        2020 年） / no year of data after the origin (the data end in 2020)``),
        the same text for the same cause: :meth:`skipped_reasons` counts them by
        reason, and :meth:`labelled` keeps one language of it.
        """
        table = self.settings.get("skipped")
        return table.copy() if isinstance(table, pd.DataFrame) else pd.DataFrame(
            columns=SKIPPED_COLUMNS)

    def skipped_reasons(self) -> pd.DataFrame:
        """How many combinations were skipped for each reason, most first.

        Returns
        -------
        pandas.DataFrame
            Columns ``reason`` and ``n`` (empty when nothing was skipped).

        Examples
        --------
        >>> import pandas as pd
        >>> skipped = pd.DataFrame({"indicator": ["a", "a", "b"], "geo": "", "origin": 2099,
        ...                         "target_id": "", "rule": "direction",
        ...                         "reason": ["x", "x", "y"]})
        >>> result = BacktestResult(cases=pd.DataFrame(), settings={"skipped": skipped})
        >>> result.skipped_reasons()
          reason  n
        0      x  2
        1      y  1
        """
        counts = self.skipped["reason"].value_counts(sort=True)
        return pd.DataFrame({"reason": counts.index.astype(str), "n": counts.to_numpy(dtype=int)})

    # ------------------------------------------------------------------ basics
    def to_frame(self) -> pd.DataFrame:
        """A copy of the per-case table."""
        return self.cases.copy()

    @classmethod
    def concat(cls, results: Sequence[BacktestResult]) -> BacktestResult:
        """Join results (e.g. of several datasets) into one; levels must agree."""
        if not results:
            raise HbkitValueError("concat 至少需要一个 BacktestResult / concat needs at least one "
                                  "BacktestResult")
        levels = {r.levels for r in results}
        if len(levels) > 1:
            raise HbkitValueError(f"各结果的 level（区间水平）须相同；收到 {sorted(levels)} / "
                                  f"results have different levels: {sorted(levels)}")
        cases = pd.concat([r.cases for r in results], ignore_index=True)
        settings = {"parts": [r.settings for r in results]}
        return cls(cases=cases, levels=results[0].levels, settings=settings)

    def subset(self, mask: pd.Series | np.ndarray) -> BacktestResult:
        """Result restricted to the cases where ``mask`` is true."""
        return BacktestResult(cases=self.cases[np.asarray(mask, bool)].reset_index(drop=True),
                              levels=self.levels, settings=self.settings)

    def _points(self, cases: pd.DataFrame) -> pd.DataFrame:
        """One row per forecast of a series (coverage counts each forecast once)."""
        return cases.drop_duplicates(subset=list(POINT_KEY))

    # ------------------------------------------------------------------ scores
    def _score_row(self, cases: pd.DataFrame, column: str = "probability",
                   with_coverage: bool = True) -> dict[str, Any]:
        scored = cases[np.isfinite(cases[column]) & np.isfinite(cases["outcome"])]
        row: dict[str, Any] = {
            "n_cases": len(cases),
            "n_scored": len(scored),
            "outcome_rate": float(scored.outcome.mean()) if len(scored) else np.nan,
            "mean_probability": float(scored[column].mean()) if len(scored) else np.nan,
            "brier": brier_score(scored[column], scored.outcome),
            "log_score": log_score(scored[column], scored.outcome),
            "ece": expected_calibration_error(scored[column], scored.outcome),
        }
        if with_coverage:
            points = self._points(cases)
            for level in self.levels:
                lab = level_label(level)
                row[f"coverage_{lab}"] = interval_coverage(points[f"lo_{lab}"], points[f"hi_{lab}"],
                                                          points["actual"])
            if "pit_lo" in points.columns:
                for level in self.levels:
                    row[f"pit_coverage_{level_label(level)}"] = pit_coverage(
                        points["pit_lo"], points["pit_hi"], level)
        return row

    def scores(self, by: str | Sequence[str] | None = None) -> pd.DataFrame:
        """hbkit's scores overall or by groups (e.g. ``by="family"``, ``["indicator", "kind"]``).

        Columns: the ``by`` columns, ``n_cases`` (rows), ``n_scored`` (with a
        probability and a known outcome), ``outcome_rate`` (share met),
        ``mean_probability``, ``brier``, ``log_score`` (clipped at 0.001),
        ``ece`` (10 bins), ``coverage_80``, ``coverage_95`` (share of actual
        values inside the reported intervals, each forecast of a series
        counted once, whatever the number of targets judged on it) and
        ``pit_coverage_80``, ``pit_coverage_95`` (the same by the randomised
        PIT, :func:`hbkit.scores.pit_coverage`: equal to the plain coverage for
        continuous forecasts; for counts, whose interval ends carry
        probability mass, the coverage a calibrated forecast has exactly).
        """
        keys = _by_list(by)
        rows = [{**key, **self._score_row(group)} for key, group in _groups(self.cases, keys)]
        return pd.DataFrame(rows)

    def reliability(self, by: str | Sequence[str] | None = None, method: str = "hbkit",
                    n_bins: int = 10) -> pd.DataFrame:
        """Reliability table (probability deciles): see :func:`hbkit.scores.reliability_table`."""
        column = _probability_column(method)
        keys = _by_list(by)
        parts = []
        for key, group in _groups(self.cases, keys):
            table = reliability_table(group[column], group["outcome"], n_bins)
            for name, value in reversed(list(key.items())):
                table.insert(0, name, value)
            parts.append(table)
        return pd.concat(parts, ignore_index=True)

    def pit_histogram(self, by: str | Sequence[str] | None = None, n_bins: int = 10
                      ) -> pd.DataFrame:
        """Expected randomised-PIT histogram of the forecasts (each forecast of a series once).

        Flat (``1 / n_bins`` per bin) when the predictive distributions are
        calibrated; more cases in the outer bins than in the middle means too
        narrow intervals. See :func:`hbkit.scores.pit_histogram`.
        """
        if "pit_lo" not in self.cases.columns:
            raise HbkitValueError("这些案例没有 PIT 列（pit_lo、pit_hi） / these cases have no PIT "
                                  "columns (pit_lo, pit_hi)")
        keys = _by_list(by)
        parts = []
        for key, group in _groups(self._points(self.cases), keys):
            table = pit_histogram(group["pit_lo"], group["pit_hi"], n_bins)
            for name, value in reversed(list(key.items())):
                table.insert(0, name, value)
            parts.append(table)
        return pd.concat(parts, ignore_index=True)

    def interval_check(self, by: str | Sequence[str] | None = None) -> pd.DataFrame:
        """What hbkit's printed intervals held, beside what the model said they would hold.

        One row per group (each forecast of a series counted once):
        ``n_forecasts`` (projected, with a known actual value); for each level, ``coverage_<level>`` (the share of
        actual values inside the printed interval), ``model_coverage_<level>``
        (the mean probability the model itself gave its printed interval: near
        the level, moved by a reported value with much of the probability, as 1
        death a year can have) and ``pit_coverage_<level>`` (the randomised-PIT coverage).
        For a calibrated forecaster the first two agree in expectation, and the
        PIT coverage equals the level, discrete forecasts included.

        Examples
        --------
        >>> import hbkit
        >>> from hbkit.datasets import load_example
        >>> dtp3 = load_example("dtp3").observations
        >>> result = hbkit.backtest(dtp3[dtp3.geo.isin(["CHN", "IND", "BRA"])],
        ...                         origins=[2012], horizon=3, n_draws=400)
        >>> check = result.interval_check()
        >>> list(check.columns)[:4], int(check.n_forecasts.iloc[0])
        (['n_forecasts', 'coverage_80', 'model_coverage_80', 'pit_coverage_80'], 3)
        >>> bool(0 < check.model_coverage_80.iloc[0] < 1)
        True
        """
        if not any(c.startswith("model_coverage_") for c in self.cases.columns):
            raise HbkitValueError("这些案例没有 model_coverage 列（请重新回测） / these cases have no "
                                  "model_coverage columns (backtest them again)")
        keys = _by_list(by)
        rows = []
        for key, group in _groups(self._points(self.cases), keys):
            known = np.isfinite(group["actual"]) & np.isfinite(group["projected"])
            row: dict[str, Any] = {**key, "n_forecasts": int(known.sum())}
            for level in self.levels:
                lab = level_label(level)
                judged = group[np.isfinite(group["actual"]) & np.isfinite(group[f"lo_{lab}"])]
                row[f"coverage_{lab}"] = interval_coverage(judged[f"lo_{lab}"],
                                                           judged[f"hi_{lab}"], judged["actual"])
                row[f"model_coverage_{lab}"] = (float(judged[f"model_coverage_{lab}"].mean())
                                                if len(judged) else np.nan)
                row[f"pit_coverage_{lab}"] = pit_coverage(judged["pit_lo"], judged["pit_hi"],
                                                          level)
            rows.append(row)
        return pd.DataFrame(rows)

    def compare(self, by: str | Sequence[str] | None = None) -> pd.DataFrame:
        """hbkit and every baseline scored on the same cases.

        Only cases where hbkit and every baseline give a probability and the
        outcome is known are used (``n_scored`` says how many), so the scores
        are comparable. Interval coverage exists for ``hbkit`` and ``ols_t``
        (the deterministic rules have no interval); it is computed on the
        forecasts behind those same cases. ``eurostat_bands``, ``unsd_bands``
        and ``dns_bands`` are the official labels turned into probabilities by
        :func:`recalibrated_bands` (cross-fitted hit rates of each label): the
        best those schemes could say with hindsight from other countries.
        """
        keys = _by_list(by)
        rows = []
        for key, group in _groups(self._common_cases(), keys):
            for method in METHODS:
                column = _probability_column(method)
                if column not in group.columns:
                    continue
                row = {**key, "method": method,
                       **self._score_row(group, column, with_coverage=method == "hbkit")}
                if method == "ols_t" and "ols_lo_80" in group.columns:
                    points = self._points(group)
                    for level in self.levels:
                        lab = level_label(level)
                        row[f"coverage_{lab}"] = interval_coverage(
                            points[f"ols_lo_{lab}"], points[f"ols_hi_{lab}"], points["actual"])
                rows.append(row)
        out = pd.DataFrame(rows)
        for level in self.levels:
            column = f"coverage_{level_label(level)}"
            if column not in out.columns:
                out[column] = np.nan
        return out

    def brier_decomposition(self, by: str | Sequence[str] | None = None, n_bins: int = 10
                            ) -> pd.DataFrame:
        """Reliability, resolution and uncertainty of hbkit and every baseline, on the same cases.

        The cases of :meth:`compare`; one row per group and method with
        ``n_scored`` and the terms of :func:`hbkit.scores.brier_decomposition`
        (``brier = reliability - resolution + uncertainty + within_bin_variance
        - within_bin_covariance``). Low ``reliability`` is calibration; high
        ``resolution`` is what a forecast tells about the individual case:
        the official labels turned into hit rates (``<scheme>_bands``) are
        calibrated by construction, and this shows how much they resolve.

        Examples
        --------
        >>> import pandas as pd
        >>> cases = pd.DataFrame({"family": "f", "probability": [0.9, 0.9, 0.1, 0.1],
        ...                       "p_status_quo": [1.0, 0.0, 1.0, 0.0],
        ...                       "outcome": [1.0, 1.0, 0.0, 0.0]})
        >>> out = BacktestResult(cases).brier_decomposition()
        >>> out[["method", "brier", "reliability", "resolution"]].values.tolist()
        [['hbkit', 0.01, 0.01, 0.25], ['status_quo', 0.5, 0.25, 0.0]]
        """
        rows = []
        for key, group in _groups(self._common_cases(), _by_list(by)):
            for method in METHODS:
                column = _probability_column(method)
                if column not in group.columns:
                    continue
                parts = brier_decomposition(group[column], group["outcome"], n_bins)
                rows.append({**key, "method": method, "n_scored": len(group), **parts})
        return pd.DataFrame(rows)

    def _common_cases(self) -> pd.DataFrame:
        """Cases where hbkit and every baseline present give a probability and the outcome is known."""
        cases = self._with_bands()
        columns = ["probability", *(f"p_{m}" for m in METHODS[1:] if f"p_{m}" in cases.columns)]
        return cases[np.isfinite(cases[columns]).all(axis=1) & np.isfinite(cases["outcome"])]

    def _with_bands(self) -> pd.DataFrame:
        """The cases with the official labels' probabilities (``p_<scheme>_bands``) beside
        (the cases alone when they carry no labels)."""
        if "band_eurostat" not in self.cases.columns:
            return self.cases
        return pd.concat([self.cases, recalibrated_bands(self.cases)], axis=1)

    def score_intervals(self, by: str | Sequence[str] | None = None, n_boot: int = 1000,
                        cluster: str = "auto", seed: int = 0) -> pd.DataFrame:
        """95% cluster-bootstrap intervals of hbkit's scores, and the ECE of a perfect forecaster.

        How far the scores could move on other history of the same kind: see
        :func:`hbkit.backtesting.uncertainty.score_intervals`, which this calls
        with every baseline of :meth:`compare` and the result's lower interval
        level. One row per group and metric (``brier``, ``calibration_gap``,
        ``ece``, ``ece_if_calibrated``, ``brier_minus_best_baseline``,
        ``pit_coverage_80``) with ``estimate``, ``lo``, ``hi``.

        Examples
        --------
        >>> import pandas as pd
        >>> cases = pd.DataFrame({"family": "f", "indicator": "x", "geo": list("ABCD"),
        ...                       "origin": 2010, "target_year": 2015,
        ...                       "probability": [0.9, 0.8, 0.7, 0.6],
        ...                       "outcome": [1.0, 1.0, 1.0, 1.0]})
        >>> out = BacktestResult(cases).score_intervals(n_boot=4000).set_index("metric")
        >>> out.estimate.round(3).to_dict()
        {'brier': 0.075, 'calibration_gap': -0.25, 'ece': 0.25, 'ece_if_calibrated': 0.351}

        All four were met, so every resample is under-confident (``hi`` < 0);
        a perfect forecaster would show an ECE of 0.35 on these four cases
        (each alone in its bin: the mean of 2 p (1 - p)).

        >>> float(out.loc["calibration_gap", "hi"]) < 0
        True
        """
        from hbkit.backtesting.uncertainty import score_intervals

        cases = self._with_bands()
        baselines = [m for m in METHODS[1:] if f"p_{m}" in cases.columns]
        return score_intervals(cases, by=by, baselines=baselines, n_boot=n_boot,
                               cluster=cluster, levels=self.levels[:1], seed=seed)

    # ------------------------------------------------------------------ display
    def labelled(self, table: str, lang: str = "zh", **options: Any) -> pd.DataFrame:
        """One of the tables, for reading: headings and word values in Chinese, English or both.

        The table methods keep their stable English keys (code and CSV files
        rely on them); this returns the same table with the headings, and the
        methods, kinds, rules, score names and families in it, worded by
        :func:`hbkit.backtesting.labels.labelled`. Numbers are unchanged. For a
        selection of columns, call that function on the selection.

        Parameters
        ----------
        table
            One of :data:`TABLES`: the name of a table method (``"compare"``,
            ``"scores"`` ...) or ``"cases"`` / ``"skipped"``.
        lang
            ``"zh"`` (default), ``"en"`` or ``"both"`` (``中文 English``).
        **options
            Passed to the table method, e.g. ``by="family"``.

        Examples
        --------
        >>> import pandas as pd
        >>> two_met = pd.DataFrame({"family": "f", "outcome": [1.0, 1.0, 0.0, 0.0],
        ...                         "probability": [0.9, 0.9, 0.1, 0.1],
        ...                         "p_status_quo": [1.0, 0.0, 1.0, 0.0]})
        >>> out = BacktestResult(two_met).labelled("brier_decomposition", "both", by="family")
        >>> out.iloc[:, :4]
          数据类别 Family    方法 Method  评分数 Scored  Brier 分数 Brier score
        0             f          hbkit          4                  0.01
        1             f  维持现状 Status quo          4                  0.50
        """
        from hbkit.backtesting.labels import labelled

        check_choice("table", table, TABLES)
        check_choice("lang", lang, ("zh", "en", "both"))
        if table in ("cases", "skipped"):
            frame = self.to_frame() if table == "cases" else self.skipped
        else:
            frame = getattr(self, table)(**options)
        return labelled(frame, lang)

    # ------------------------------------------------------------------ plot
    def plot(self, lang: str = "zh", ax: Axes | None = None) -> Axes:
        """Reliability diagram of hbkit's probabilities (matplotlib imported lazily)."""
        from hbkit.plotting import reliability_diagram

        return reliability_diagram(self.reliability(), lang=lang, ax=ax)
