"""Official progress conventions, printed beside hbkit's probabilities.

Users know the deterministic labels of the official progress schemes; hbkit
prints them next to its calibrated probability so the two can be compared (and
:mod:`hbkit.backtesting` scores them on real history). Three schemes are
implemented, vectorised over many series at once:

* **Eurostat / Statistics Canada**: ratio ``R`` of the observed compound annual
  growth rate (CAGR, base year to latest year) to the CAGR required to reach the
  target (base year to target year). ``R >= 0.95`` on track, ``0.60 <= R < 0.95``
  acceleration needed, ``0 <= R < 0.60`` limited progress, ``R < 0`` moving away;
  a latest value that already meets the target is *achieved*.
* **UNSD progress chart (technical note 2022)**: the same ratio with the bands
  0.95 / 0.5 / -0.1 (substantial progress, fair progress, limited or no
  progress, deterioration).
* **German Sustainable Development Strategy (DNS, Statistisches Bundesamt)**:
  the mean of the last five annual changes is extrapolated linearly to the
  target year; a miss of less than 5% of the distance still to go is *sun*,
  5-20% *sun with cloud*, more than 20% *cloud* (while moving towards the
  target), and a trend that does not move towards the target (standing still or
  the wrong way) and misses is *thunderstorm*.

These are judgements of pace: will the trend reach the target by the target
year? Once the latest year is the target year (or later) that question has an
answer, so the three schemes say **achieved** (已实现) or **not achieved**
(未实现) of the latest value; the Eurostat ratio is still given.

Also the plain numbers analysts ask for: the annual change required from the
latest year to the target year, and the annual change achieved so far per year
since the base year (both linear, in the indicator's unit per year).

Growth rates need positive values. When the base, latest or target value is
zero or negative (a target of zero cases, a balance that can be negative), the
ratio falls back to **linear** rates (absolute change per year), which Eurostat
also uses for indicators without a meaningful growth rate; the ``ratio_method``
column of ``official_labels(..., details=True)`` says which was used. See
``docs/methodology/conventions.md`` for the references and every edge case.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from hbkit._options import check_choice
from hbkit.exceptions import HbkitValueError

__all__ = [
    "DNS_SYMBOL_LABELS",
    "EUROSTAT_BAND_LABELS",
    "LABELS",
    "OUTPUT_COLUMNS",
    "UNSD_BAND_LABELS",
    "label",
    "mean_recent_change",
    "official_labels",
]

#: columns of :func:`official_labels`, in order (the contract with ``assess``)
OUTPUT_COLUMNS: tuple[str, ...] = (
    "eurostat_ratio",
    "eurostat_band",
    "unsd_band",
    "dns_symbol",
    "required_annual_change",
    "achieved_annual_change",
)

#: code shared by the three schemes when a label cannot be computed
NOT_COMPUTABLE = "not_computable"
#: code shared by the three schemes for a target met when the latest year is the
#: target year or later (the outcome, no longer a pace)
ACHIEVED = "achieved"
#: code shared by the three schemes for a target missed when the latest year is the
#: target year or later
NOT_ACHIEVED = "not_achieved"

EUROSTAT_BAND_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        ACHIEVED: "已实现",
        "on_track": "进展符合要求",
        "acceleration_needed": "需要加快进度",
        "limited_progress": "进展有限",
        "moving_away": "偏离目标",
        NOT_ACHIEVED: "未实现",
        NOT_COMPUTABLE: "无法计算",
    },
    "en": {
        ACHIEVED: "achieved",
        "on_track": "on track",
        "acceleration_needed": "acceleration needed",
        "limited_progress": "limited progress",
        "moving_away": "moving away",
        NOT_ACHIEVED: "not achieved",
        NOT_COMPUTABLE: "cannot be computed",
    },
}

UNSD_BAND_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        ACHIEVED: "已实现",
        "substantial_progress": "进展显著",
        "fair_progress": "有一定进展但需加快",
        "limited_progress": "进展有限或无进展",
        "deterioration": "出现倒退",
        NOT_ACHIEVED: "未实现",
        NOT_COMPUTABLE: "无法计算",
    },
    "en": {
        ACHIEVED: "target met",
        "substantial_progress": "substantial progress / on track",
        "fair_progress": "fair progress, acceleration needed",
        "limited_progress": "limited or no progress",
        "deterioration": "deterioration",
        NOT_ACHIEVED: "target not met",
        NOT_COMPUTABLE: "cannot be computed",
    },
}

DNS_SYMBOL_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "sun": "晴（基本可达标）",
        "sun_cloud": "晴间多云（略有差距）",
        "cloud": "多云（差距较大）",
        "thunderstorm": "雷雨（未向目标方向变化）",
        ACHIEVED: "已实现",
        NOT_ACHIEVED: "未实现",
        NOT_COMPUTABLE: "无法计算",
    },
    "en": {
        "sun": "sun (target (almost) met)",
        "sun_cloud": "sun with cloud (miss by 5-20%)",
        "cloud": "cloud (miss by more than 20%)",
        "thunderstorm": "thunderstorm (not moving towards the target)",
        ACHIEVED: "target met",
        NOT_ACHIEVED: "target not met",
        NOT_COMPUTABLE: "cannot be computed",
    },
}

#: output column -> {language: {code: text}}
LABELS: dict[str, dict[str, dict[str, str]]] = {
    "eurostat_band": EUROSTAT_BAND_LABELS,
    "unsd_band": UNSD_BAND_LABELS,
    "dns_symbol": DNS_SYMBOL_LABELS,
}

_EUROSTAT_CUTS = (0.0, 0.60, 0.95)
_EUROSTAT_CODES = ("moving_away", "limited_progress", "acceleration_needed", "on_track")
_UNSD_CUTS = (-0.1, 0.5, 0.95)
_UNSD_CODES = ("deterioration", "limited_progress", "fair_progress", "substantial_progress")
_DNS_CUTS = (0.05, 0.20)
#: number of most recent annual changes the DNS rule averages
DNS_N_CHANGES = 5


def label(column: str, code: str, lang: str = "zh") -> str:
    """Text of a label code in Chinese or English.

    Parameters
    ----------
    column
        ``"eurostat_band"``, ``"unsd_band"`` or ``"dns_symbol"``.
    code
        A code returned by :func:`official_labels` in that column.
    lang
        ``"zh"`` (default) or ``"en"``.

    Examples
    --------
    >>> label("eurostat_band", "acceleration_needed")
    '需要加快进度'
    >>> label("dns_symbol", "sun_cloud", "en")
    'sun with cloud (miss by 5-20%)'
    """
    check_choice("column", column, LABELS)
    check_choice("lang", lang, ("zh", "en"))
    table = LABELS[column][lang]
    check_choice(f"{column} code", code, table)
    return table[code]


def _as_float(x: ArrayLike | None, n: int, name: str) -> NDArray[np.float64]:
    arr = np.full(n, np.nan) if x is None else np.asarray(x, dtype=float)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise HbkitValueError(f"{name} 须为单个数或形状为 ({n},) 的数组；收到形状 {arr.shape} / "
                              f"{name} must be a scalar or have shape ({n},); received shape "
                              f"{arr.shape}")
    return arr


def _input_length(*arrays: Any) -> int:
    lengths = {np.size(a) for a in arrays if a is not None and np.ndim(a) > 0}
    if len(lengths) > 1:
        raise HbkitValueError(f"各数组参数的长度须相同；收到长度 {sorted(lengths)} / array inputs "
                              f"must share one length; received lengths {sorted(lengths)}")
    return lengths.pop() if lengths else 1


def _sign_of_direction(direction: ArrayLike, n: int) -> NDArray[np.float64]:
    arr = np.asarray(direction, dtype=object)
    if arr.ndim == 0:
        arr = np.full(n, arr.item(), dtype=object)
    if arr.shape != (n,):
        raise HbkitValueError(f"direction 须为单个值或形状为 ({n},) 的数组；收到形状 {arr.shape} / "
                              f"direction must be a scalar or have shape ({n},); received shape "
                              f"{arr.shape}")
    sign = np.zeros(n)
    sign[arr == "increase"] = 1.0
    sign[arr == "decrease"] = -1.0
    unknown = set(arr[sign == 0].tolist()) - {"none", None}
    if unknown:
        received = sorted(repr(u) for u in unknown)
        raise HbkitValueError(
            f"direction 须为 'increase'、'decrease' 或 'none'；收到 {'、'.join(received)} / "
            f"direction must be 'increase', 'decrease' or 'none'; received {', '.join(received)}"
        )
    return sign


def _recent_mean(recent_changes: ArrayLike, n: int) -> NDArray[np.float64]:
    rc = np.asarray(recent_changes, dtype=float)
    if rc.ndim <= 1:
        return _as_float(rc, n, "recent_changes (one mean change per row)")
    if rc.ndim != 2 or rc.shape[0] != n:
        raise HbkitValueError(
            f"recent_changes 的形状须为 ({n},) 或 ({n}, k)；收到形状 {rc.shape} / "
            f"recent_changes must have shape ({n},) or ({n}, k); received shape {rc.shape}"
        )
    finite = np.isfinite(rc)
    rank_from_end = np.cumsum(finite[:, ::-1], axis=1)[:, ::-1]
    keep = finite & (rank_from_end <= DNS_N_CHANGES)
    count = keep.sum(axis=1)
    total = np.where(keep, rc, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _band(ratio: NDArray[np.float64], cuts: tuple[float, ...], codes: tuple[str, ...]) -> NDArray[Any]:
    rounded = np.round(np.nan_to_num(ratio, nan=0.0), 10)  # a ratio of exactly 0.95 is 0.95
    idx = np.searchsorted(np.asarray(cuts), rounded, side="right")
    out = np.asarray(codes, dtype=object)[idx]
    out[~np.isfinite(ratio)] = NOT_COMPUTABLE
    return out


def _judge_outcome(columns: tuple[NDArray[Any], ...], met: NDArray[np.bool_],
                   decided: NDArray[np.bool_]) -> None:
    """Overwrite the pace labels with the outcome where the target year is reached.

    Where ``decided`` (the latest year is at or after the target year and the
    latest value can be compared with the target), every column says
    ``achieved`` if ``met``, else ``not_achieved``; other rows are left alone.

    >>> cols = (np.array(["on_track", "sun", "cloud"], dtype=object),)
    >>> _judge_outcome(cols, np.array([False, True, False]), np.array([True, True, False]))
    >>> cols[0].tolist()
    ['not_achieved', 'achieved', 'cloud']
    """
    for codes in columns:
        codes[decided & met] = ACHIEVED
        codes[decided & ~met] = NOT_ACHIEVED


def mean_recent_change(
    values: ArrayLike, years: ArrayLike, n_changes: int = DNS_N_CHANGES
) -> NDArray[np.float64]:
    """Mean annual change over the last ``n_changes`` years of each series.

    The mean of the annual changes over a window telescopes to
    ``(y_last - y_first) / (t_last - t_first)``, where ``t_last`` is the latest
    observed year and ``t_first`` the earliest observed year no more than
    ``n_changes`` years before it; gaps inside the window are thus bridged
    linearly. A series with fewer than two observed years in the window gives NaN.

    Parameters
    ----------
    values
        (N, T) array over the calendar ``years``; NaN = missing.
    years
        (T,) increasing calendar years.
    n_changes
        Number of annual changes averaged (5 in the DNS rule).

    Returns
    -------
    numpy.ndarray
        (N,) mean change per year, in the indicator's unit.

    Examples
    --------
    >>> mean_recent_change([[10, 9, 8.5, 8, 7, 6.5, 6]], list(range(2014, 2021)))
    array([-0.6])
    >>> mean_recent_change([[np.nan, 9, np.nan, 8, np.nan, np.nan, 5]], list(range(2014, 2021)))
    array([-0.8])
    """
    v = np.atleast_2d(np.asarray(values, dtype=float))
    y = np.asarray(years, dtype=float)
    if v.shape[1] != y.size:
        raise HbkitValueError(f"values 有 {v.shape[1]} 列，years 有 {y.size} 个年份，须一一对应 / "
                              f"values has {v.shape[1]} columns but years has {y.size} entries")
    observed = np.isfinite(v)
    grid = np.broadcast_to(y, v.shape)
    last_year = np.where(observed, grid, -np.inf).max(axis=1)
    in_window = observed & (grid >= last_year[:, None] - n_changes)
    first_year = np.where(in_window, grid, np.inf).min(axis=1)
    rows = np.arange(v.shape[0])
    has = np.isfinite(last_year) & np.isfinite(first_year) & (last_year > first_year)
    last_idx = np.argmax(np.where(observed, grid, -np.inf), axis=1)
    first_idx = np.argmin(np.where(in_window, grid, np.inf), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        change = (v[rows, last_idx] - v[rows, first_idx]) / (last_year - first_year)
    return np.where(has, change, np.nan)


def official_labels(
    direction: ArrayLike,
    target_value: ArrayLike,
    target_year: ArrayLike,
    base_year: ArrayLike,
    base_value: ArrayLike,
    latest_year: ArrayLike,
    latest_value: ArrayLike,
    recent_changes: ArrayLike | None = None,
    *,
    strict: ArrayLike = False,
    details: bool = False,
) -> pd.DataFrame:
    """Eurostat/StatCan ratio and band, UNSD band, DNS symbol, required vs achieved change.

    Every input is a scalar or an array of length N (one row per series);
    scalars are broadcast. Missing numbers are NaN.

    Parameters
    ----------
    direction
        ``"increase"`` or ``"decrease"`` (desired direction); ``"none"`` gives
        ``not_computable`` labels.
    target_value, target_year
        The threshold in the indicator's unit and the year it must be met by.
    base_year, base_value
        Base (baseline) year and its value. A missing base value leaves the
        ratio, the Eurostat and UNSD bands and the achieved change
        ``not_computable``/NaN, unless the latest value already meets the
        target (then the bands say ``achieved``).
    latest_year, latest_value
        Latest observed year and value. From the target year on, the bands
        and the symbol give the outcome: ``achieved`` or ``not_achieved``.
    recent_changes
        For the DNS rule: (N, k) annual changes (the last ``min(5, k)`` finite
        ones are averaged) or (N,) mean annual changes. ``None`` uses the
        change achieved per year since the base year, which equals the mean of
        the last five annual changes whenever the base year is at most five
        years before the latest year (the sum of annual changes telescopes).
    strict
        ``True`` where meeting the target needs a strict inequality.
    details
        Also return ``ratio_method`` (``cagr``/``linear``), ``observed_rate``,
        ``required_rate``, ``dns_mean_change``, ``dns_projected`` and
        ``dns_miss_share``.

    Returns
    -------
    pandas.DataFrame
        One row per input, columns ``eurostat_ratio, eurostat_band, unsd_band,
        dns_symbol, required_annual_change, achieved_annual_change``. Band and
        symbol values are short codes; :func:`label` (or :data:`LABELS`) gives
        their Chinese and English text.

    Notes
    -----
    ``eurostat_ratio = CAGR(base -> latest) / CAGR(base -> target)`` with
    ``CAGR(a -> b over n years) = (b / a) ** (1 / n) - 1``; when any of the
    three values is <= 0 both rates are linear (``(b - a) / n``). When the base
    value already met the target (the required rate is zero or of the wrong
    sign) the ratio is undefined (NaN) and the bands say ``achieved`` if the
    latest value meets the target, else ``moving_away`` / ``deterioration``; a
    latest value equal to the base value misses only a strict target equal to
    it (逐步增加 from 13: 13 again), and it has not moved: ``limited_progress``
    in both schemes (UNSD's "limited or no progress"; a ratio of 0 in
    Eurostat's bands).

    When ``latest_year >= target_year`` the question the three schemes answer
    (will the trend reach the target by the target year?) has been answered:
    every band and symbol is ``achieved`` when the latest value meets the target
    (``strict`` respected) and ``not_achieved`` when it does not, whatever the
    pace; ``not_computable`` stays where the latest value, the target or the
    direction is missing. ``eurostat_ratio`` is still reported: at the target
    year it is at least 1 exactly when a positive target is met (for growth
    rates), so it says how much of the required growth was achieved.

    ``required_annual_change = (target - latest) / (target_year - latest_year)``
    (NaN from the target year on) and ``achieved_annual_change = (latest - base)
    / (latest_year - base_year)``, both linear, in the unit per year.

    Examples
    --------
    Infant mortality 10 (2015) -> 8 (2020), target 6 by 2025. The straight line
    reaches 6 exactly (DNS: sun), but the growth-rate rule needs a steeper
    relative fall in the second half, so Eurostat asks for acceleration:

    >>> out = official_labels("decrease", 6.0, 2025, 2015, 10.0, 2020, 8.0)
    >>> round(float(out.eurostat_ratio[0]), 3), out.eurostat_band[0], out.unsd_band[0]
    (0.876, 'acceleration_needed', 'fair_progress')
    >>> out.dns_symbol[0], float(out.required_annual_change[0]), float(out.achieved_annual_change[0])
    ('sun', -0.4, -0.4)

    At the final evaluation (latest year = target year) the labels give the
    outcome. A share of 54.5% against a target of at least 55%, up from 45.2% in
    2020, grew at 96% of the required rate, which on pace would be on track; it
    is not achieved:

    >>> out = official_labels("increase", 55.0, 2025, 2020, 45.24, 2025, 54.55)
    >>> round(float(out.eurostat_ratio[0]), 3), out.eurostat_band[0], out.unsd_band[0], out.dns_symbol[0]
    (0.957, 'not_achieved', 'not_achieved', 'not_achieved')
    """
    n = _input_length(
        direction, target_value, target_year, base_year, base_value, latest_year, latest_value,
        strict,
    )
    if recent_changes is not None and np.ndim(recent_changes) > 0 and n == 1:
        n = np.shape(recent_changes)[0]
    sign = _sign_of_direction(direction, n)
    target = _as_float(target_value, n, "target_value")
    t_target = _as_float(target_year, n, "target_year")
    t_base = _as_float(base_year, n, "base_year")
    base = _as_float(base_value, n, "base_value")
    t_latest = _as_float(latest_year, n, "latest_year")
    latest = _as_float(latest_value, n, "latest_value")
    strict_arr = np.broadcast_to(np.asarray(strict, dtype=bool), (n,))
    directed = sign != 0

    with np.errstate(invalid="ignore", divide="ignore"):
        # gap still to go in the good direction (> 0: not met yet)
        gap_latest = sign * (target - latest)
        met = np.where(strict_arr, gap_latest < 0, gap_latest <= 0) & directed
        met &= np.isfinite(gap_latest)
        gap_base = sign * (target - base)
        base_met = np.isfinite(gap_base) & (gap_base <= 0)

        span_obs = t_latest - t_base
        span_req = t_target - t_base
        positive = (base > 0) & (latest > 0) & (target > 0)
        obs_cagr = np.power(latest / base, 1.0 / span_obs) - 1.0
        req_cagr = np.power(target / base, 1.0 / span_req) - 1.0
        obs_lin = (latest - base) / span_obs
        req_lin = (target - base) / span_req
        observed_rate = np.where(positive, obs_cagr, obs_lin)
        required_rate = np.where(positive, req_cagr, req_lin)
        ratio_ok = directed & (span_obs > 0) & (span_req > 0) & ~base_met
        ratio = np.where(ratio_ok, observed_rate / required_rate, np.nan)

        eurostat = _band(ratio, _EUROSTAT_CUTS, _EUROSTAT_CODES)
        unsd = _band(ratio, _UNSD_CUTS, _UNSD_CODES)
        fell_back = directed & base_met & ~met & np.isfinite(latest)
        eurostat[fell_back] = "moving_away"
        unsd[fell_back] = "deterioration"
        # a strict target equal to the base (逐步增加: more than the base) and a latest
        # value equal to the base: no movement, which is no progress, not moving away
        still = fell_back & (latest == base)
        eurostat[still] = "limited_progress"
        unsd[still] = "limited_progress"
        eurostat[met] = ACHIEVED
        unsd[met] = ACHIEVED

        remaining = t_target - t_latest
        required_change = np.where(remaining > 0, (target - latest) / remaining, np.nan)
        achieved_change = np.where(span_obs > 0, obs_lin, np.nan)

        mean_change = achieved_change if recent_changes is None else _recent_mean(recent_changes, n)
        projected = latest + mean_change * np.maximum(remaining, 0.0)
        shortfall = sign * (target - projected)
        # Destatis: thunderstorm when "the distance to the target remains consistently
        # large or even increases", i.e. no movement towards the target (standing still too)
        not_towards = sign * mean_change <= 0
        miss_share = np.where(gap_latest > 0, shortfall / gap_latest, np.nan)
        miss_share = np.where(shortfall <= 0, 0.0, miss_share)
        # rounded so that a miss of exactly 5% or 20% is not split by float error
        share = np.round(miss_share, 10)
        dns = np.where(
            share < _DNS_CUTS[0], "sun", np.where(share <= _DNS_CUTS[1], "sun_cloud", "cloud")
        ).astype(object)
        # a strict target (高于/低于) is missed by a projection that lands on it exactly:
        # a count standing still at its base value (13 -> 13, 逐步增加) is not sun
        misses = (shortfall > 0) | (strict_arr & (shortfall == 0))
        dns[misses & not_towards] = "thunderstorm"
        dns_ok = directed & np.isfinite(projected) & np.isfinite(target)
        dns[~dns_ok] = NOT_COMPUTABLE

        _judge_outcome((eurostat, unsd, dns), met, directed & (t_latest >= t_target)
                       & np.isfinite(gap_latest))

    out = pd.DataFrame(
        {
            "eurostat_ratio": ratio,
            "eurostat_band": eurostat,
            "unsd_band": unsd,
            "dns_symbol": dns,
            "required_annual_change": required_change,
            "achieved_annual_change": achieved_change,
        }
    )
    if details:
        method = np.where(positive, "cagr", "linear").astype(object)
        method[~ratio_ok] = None
        out["ratio_method"] = method
        out["observed_rate"] = np.where(ratio_ok, observed_rate, np.nan)
        out["required_rate"] = np.where(ratio_ok, required_rate, np.nan)
        out["dns_mean_change"] = mean_change
        out["dns_projected"] = np.where(dns_ok, projected, np.nan)
        out["dns_miss_share"] = np.where(dns_ok, miss_share, np.nan)
    return out
