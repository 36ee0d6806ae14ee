"""Which scale a series is modelled on, and the maps to and from that scale.

hbkit never fits a straight line to raw percentages or rates. Each indicator is
modelled on the scale on which a trend is plausibly linear and on which every
back-transformed draw is a value the indicator can take:

==============  =====================================================  ==========
scale           used for                                               back-map
==============  =====================================================  ==========
``binomial``    bounded percentages given as numerator / denominator   k / n x 100
``poisson``     rates of events (per 1,000 / 10,000 / 100,000) with    k / n x unit
                events and exposure (deaths and live births)
``logit``       bounded percentages given as values only               100 expit(z)
``log``         positive rates and unbounded ratios (gross enrolment   exp(z)
                ratios, sex ratios, rates per 1,000 population, ...)
                and amounts of money (``yuan``: benefits, allowances)
``identity``    quantities with no natural bound or multiplicative     z
                structure (years of schooling, hours, counts of
                things or people, gaps in percentage points, none)
==============  =====================================================  ==========

Why: a coverage rate near 98% cannot rise by the 2 points a year it rose from
80%; on the logit scale the same linear trend slows down near the bound and a
projection never leaves [0, 100]. Rates of rare events are multiplicative
(a 5% fall per year) and positive, hence log. So is money: a pension or an
allowance is positive and is raised by a percentage (5% a year), so its trend is
a constant growth rate, a straight line on the log scale, and its interval is
symmetric in ratio (x / k to x * k), never reaching 0; a signed amount (a
gap in yuan, ``signed``) stays on the identity scale. When the events and the exposure
are known, the count model is better still: the noise of 0, 1 or 2 maternal
deaths among 4,000 births is Poisson noise, not a trend (see
``docs/methodology/models.md``).

Boundary rules (documented, because logit(100%) and log(0) are infinite):

* logit: a percentage is clipped to ``[BOUND_EPS, 100 - BOUND_EPS]`` with
  ``BOUND_EPS = 0.05`` (half the last digit of a percentage reported to one
  decimal), so a series at 100% every year is modelled as 99.95%; give the
  numerator and denominator to model it exactly with the binomial model.
* log: a value <= 0 is replaced by half the smallest positive value of its own
  series; a series with no positive value is modelled on the identity scale
  (it is 0 every year, and its projection is 0 unless the data vary). A rate of
  rare events (per 1,000 / 10,000 / 100,000) given as values only with two or
  more years at 0 is, when it has a few events a year, modelled as the counts it implies
  instead (:mod:`hbkit.models.implied`): there a 0 is no event, not half of one.
* identity: quantities that cannot be negative (:data:`NONNEGATIVE_UNITS`:
  counts of units (``count``) or people (``persons``), years, hours a day) keep
  an additive trend, but a draw below 0 is set to 0 (:func:`floor_at_zero`): a
  count can fall to 0, never below. The probability of a target above 0 is
  unchanged; an interval that would reach below 0 starts at 0. A gap in
  percentage points (``percentage_points``: men's minus women's share) is signed:
  it is modelled as it is, with no floor, and may be projected below 0 (on the
  log scale of an unbounded percentage a gap at or below 0 would be replaced by
  half its smallest positive value).
* signed: an indicator whose target says ``signed`` (its values may be negative
  whatever its unit: a relative gap in percent, (men's - women's income) /
  men's, below 0 in a year women earn more) is modelled exactly as a gap in
  percentage points: on the identity scale, with no floor at 0, whatever its
  unit and whether or not counts are given (``choose_scale(..., signed=True)``,
  ``floor_at_zero(..., signed=True)``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from hbkit._typing import UNIT_SCALE

Scale = Literal["logit", "log", "identity", "poisson", "binomial"]
SCALES: tuple[str, ...] = ("logit", "log", "identity", "poisson", "binomial")
#: scales whose data are counts (numerator, denominator)
COUNT_SCALES = frozenset({"poisson", "binomial"})
#: half the last digit of a percentage reported with one decimal
BOUND_EPS = 0.05

#: units modelled on the identity scale whose values cannot be negative
NONNEGATIVE_UNITS = frozenset({"count", "persons", "years", "hours_per_day"})
#: rates of events per 1,000 / 10,000 / 100,000 (of births, children, women)
RATE_UNITS = frozenset({"per_1000", "per_10k", "per_100k"})
_LOG_UNITS = frozenset(
    {"per_1000", "per_10k", "per_100k", "per_1000_population", "per_10k_population", "ratio",
     "times_per_year", "yuan"}
)
#: every unit whose values cannot fall below 0: 0 is as low as they go
FLOOR_ZERO_UNITS = NONNEGATIVE_UNITS | _LOG_UNITS | {"percent"}


def choose_scale(unit: str, bounded: bool, has_counts: bool, signed: bool = False) -> Scale:
    """Pick the modelling scale of an indicator.

    Parameters
    ----------
    unit
        The indicator's unit (``hbkit._typing.Unit``).
    bounded
        Whether the value is capped at 100 (coverage rates).
    has_counts
        Whether numerators and denominators (events and exposure) are given.
    signed
        Whether the values may be negative (a target's ``signed``): always the
        identity scale, whatever the unit (log(-3%) does not exist).

    Returns
    -------
    str
        ``"binomial"`` for a bounded percentage with counts, ``"poisson"`` for a
        rate of events per 1,000 / 10,000 / 100,000 (or an unbounded
        percentage) with counts, ``"logit"`` for a bounded percentage,
        ``"log"`` for positive rates, unbounded percentages or ratios and
        amounts of money (``yuan``), and
        ``"identity"`` otherwise (years, hours, counts, persons, gaps in
        percentage points, no unit).

    Examples
    --------
    >>> choose_scale("percent", True, False)
    'logit'
    >>> choose_scale("percent", True, True)
    'binomial'
    >>> choose_scale("per_100k", False, True)
    'poisson'
    >>> choose_scale("per_1000", False, False)
    'log'
    >>> choose_scale("percent", False, False)   # gross enrolment ratio, may pass 100
    'log'
    >>> choose_scale("years", False, False)
    'identity'
    >>> choose_scale("yuan", False, False)   # a pension, raised by a percentage
    'log'
    >>> choose_scale("yuan", False, False, signed=True)   # a gap in yuan, may pass below 0
    'identity'
    >>> choose_scale("percentage_points", False, False)   # a signed gap, may pass below 0
    'identity'
    >>> choose_scale("percent", False, False, signed=True)   # a relative gap, may pass below 0
    'identity'
    """
    if signed:
        return "identity"
    if has_counts and unit == "percent" and bounded:
        return "binomial"
    if has_counts and (unit in RATE_UNITS or unit == "percent"):
        return "poisson"
    if unit == "percent":
        return "logit" if bounded else "log"
    if unit in _LOG_UNITS:
        return "log"
    return "identity"


def unit_multiplier(unit: str) -> float:
    """Multiplier from a proportion k / n to the unit (1 when the unit is not a rate).

    >>> unit_multiplier("per_100k"), unit_multiplier("years")
    (100000.0, 1.0)
    """
    return float(UNIT_SCALE.get(unit, 1.0))


def to_model_scale(values: np.ndarray, scale: str) -> tuple[np.ndarray, np.ndarray]:
    """Map natural values (N, T) to the model scale, per series.

    Returns the transformed array and the per-series scale actually used (a log
    series with no positive value falls back to ``"identity"``; see the module
    notes). NaN stays NaN.

    Examples
    --------
    >>> z, used = to_model_scale(np.array([[50.0, 100.0]]), "logit")
    >>> np.round(z, 3).tolist(), used.tolist()
    ([[0.0, 7.6]], ['logit'])
    >>> z, used = to_model_scale(np.array([[0.0, 4.0], [0.0, 0.0]]), "log")
    >>> np.round(z, 3).tolist(), used.tolist()
    ([[0.693, 1.386], [0.0, 0.0]], ['log', 'identity'])
    """
    v = np.asarray(values, dtype=float)
    n = v.shape[0]
    if scale == "logit":
        p = np.clip(v, BOUND_EPS, 100.0 - BOUND_EPS) / 100.0
        return np.log(p / (1.0 - p)), np.full(n, "logit", dtype=object)
    if scale == "log":
        positive = np.where(v > 0, v, np.inf)
        smallest = positive.min(axis=1)
        has_positive = np.isfinite(smallest)
        floor = np.where(has_positive, smallest / 2.0, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.log(np.where(v > 0, v, floor[:, None]))
        z = np.where(np.isnan(v), np.nan, z)
        z = np.where(has_positive[:, None], z, v)
        used = np.where(has_positive, "log", "identity").astype(object)
        return z, used
    return v.copy(), np.full(n, "identity", dtype=object)


#: largest log-scale draw mapped back (exp(80) = 5.5e34, below float32's 3.4e38)
_LOG_CAP = 80.0


def from_model_scale(z: np.ndarray, scale: np.ndarray | str, inplace: bool = False) -> np.ndarray:
    """Map model-scale draws back to natural values; ``scale`` is per series (axis 0).

    ``inplace=True`` overwrites ``z`` (saves a copy of a large array).

    A logit draw maps into [0, 100] whatever its size; a log draw is capped
    at exp(80) (5.5e34) so that no value overflows to infinity.

    Examples
    --------
    >>> from_model_scale(np.array([[0.0, 50.0]]), "logit").tolist()
    [[50.0, 100.0]]
    >>> from_model_scale(np.array([[0.0], [1.0]]), np.array(["log", "identity"])).ravel().tolist()
    [1.0, 1.0]
    """
    z = np.asarray(z)
    scales = np.broadcast_to(np.asarray(scale, dtype=object), z.shape[:1])
    names = set(scales.tolist())
    out = z if inplace else z.copy()
    for name in names:
        rows = slice(None) if len(names) == 1 else scales == name
        block = out if len(names) == 1 else out[rows]
        if name == "logit":
            with np.errstate(over="ignore"):
                np.negative(block, out=block)
                np.exp(block, out=block)
                block += 1.0
                np.divide(100.0, block, out=block)
        elif name == "log":
            # cap before exp: a wild draw of a 3-point series would overflow float32 to
            # inf, and one inf makes the series' quantiles NaN; the cap is far beyond any
            # reported figure and leaves every ordinary draw unchanged
            np.minimum(block, _LOG_CAP, out=block)
            np.exp(block, out=block)
        if len(names) > 1:
            out[rows] = block
    return out


def floor_at_zero(draws: np.ndarray, unit: str, signed: bool = False) -> np.ndarray:
    """Set negative draws of a non-negative unit to 0, in place; returns ``draws``.

    Only units in :data:`NONNEGATIVE_UNITS` are touched (their series are
    modelled on the identity scale, whose draws can pass below 0); draws of
    other units, and of an indicator that is ``signed`` (its values may be
    negative whatever its unit), are returned unchanged.

    Examples
    --------
    >>> floor_at_zero(np.array([[-1.2, 0.0, 3.5]]), "count").tolist()
    [[0.0, 0.0, 3.5]]
    >>> floor_at_zero(np.array([[-1.2, 3.5]]), "none").tolist()
    [[-1.2, 3.5]]
    >>> floor_at_zero(np.array([[-1.2, 3.5]]), "percentage_points").tolist()   # a signed gap
    [[-1.2, 3.5]]
    >>> floor_at_zero(np.array([[-1.2, 3.5]]), "count", signed=True).tolist()
    [[-1.2, 3.5]]
    """
    if unit in NONNEGATIVE_UNITS and not signed:
        np.maximum(draws, 0.0, out=draws)
    return draws


#: most decimals hbkit looks for when it detects the reporting precision of a series
MAX_DECIMALS = 4


def reporting_decimals(values: np.ndarray) -> np.ndarray:
    """Decimals (N,) to which each series is reported; -1 when not recognisably rounded.

    The smallest d in 0..MAX_DECIMALS such that every observed value is a
    multiple of 10^-d. Simulated reported values are rounded the same way, so
    that a tie with the threshold (a whole-percent series ending exactly at
    95%) is as likely in the simulation as in the data.

    Examples
    --------
    >>> reporting_decimals(np.array([[95.0, 96.0], [95.1, np.nan], [1 / 3, 0.5]])).tolist()
    [0, 1, -1]
    """
    v = np.asarray(values, dtype=float)
    observed = np.isfinite(v)
    out = np.full(v.shape[0], -1, dtype=int)
    undecided = observed.any(axis=1)
    for d in range(MAX_DECIMALS + 1):
        scaled = np.where(observed, v, 0.0) * 10.0**d
        exact = np.abs(scaled - np.round(scaled)) <= 1e-9 * np.maximum(1.0, np.abs(scaled))
        fits = undecided & exact.all(axis=1)
        out[fits] = d
        undecided &= ~fits
    return out


def flat_rows(values: np.ndarray) -> np.ndarray:
    """Whether each series (N,) has at least one value and the same value every observed year.

    >>> flat_rows(np.array([[99.0, np.nan, 99.0], [98.0, 99.0, 99.0], [np.nan] * 3])).tolist()
    [True, False, False]
    """
    v = np.asarray(values, dtype=float)
    observed = np.isfinite(v)
    highest = np.max(np.where(observed, v, -np.inf), axis=1, initial=-np.inf)
    lowest = np.min(np.where(observed, v, np.inf), axis=1, initial=np.inf)
    return observed.any(axis=1) & (highest == lowest)


def moved_last_only(values: np.ndarray, min_flat: int = 3) -> np.ndarray:
    """Whether each series (N,) held one value for at least ``min_flat`` observed years and
    changed only in its latest observed year.

    The trend models cannot tell such a change from a turn: ``local_trend``
    continues the latest change as a new slope, and the intervals are very
    wide (a threshold target whose series moved away from its threshold says so
    on its row; ``docs/validation.md``, table 3e).

    >>> v = np.array([[99.0, 99.0, np.nan, 99.0, 95.0], [99.0, 99.0, 99.0, 97.0, 95.0],
    ...               [99.0, 99.0, 95.0, np.nan, np.nan], [99.0] * 5])
    >>> moved_last_only(v).tolist()
    [True, False, False, False]
    """
    v = np.asarray(values, dtype=float)
    observed = np.isfinite(v)
    n = observed.sum(axis=1)
    columns = np.arange(v.shape[1])
    last = np.where(observed, columns, -1).max(axis=1, initial=-1)  # last observed column
    before = observed & (columns[None, :] < last[:, None])
    highest = np.max(np.where(before, v, -np.inf), axis=1, initial=-np.inf)
    lowest = np.min(np.where(before, v, np.inf), axis=1, initial=np.inf)
    latest = v[np.arange(v.shape[0]), np.maximum(last, 0)]
    return (n >= min_flat + 1) & (highest == lowest) & (latest != highest)


def flat_series_noise(
    values: np.ndarray, decimals: np.ndarray, scale: str, used: np.ndarray
) -> np.ndarray:
    """Model-scale sd (N,) of the variation a flat series' rounding can hide; 0 otherwise.

    A series reported with the same value every year (99% eight times) shows
    no variation, but only because its changes are smaller than the last
    reported digit: its true values lie anywhere within half a step of the
    reported one. For such a series this returns the sd of that uniform
    rounding error on the model scale, ``(z(v + step/2) - z(v - step/2)) / sqrt(12)``
    (clipped to the bounds of the logit scale), so that the trend models take
    their noise to be at least what the rounding hides rather than zero
    (:func:`hbkit.models.trend.fit_trend`, ``precision``). Series that change
    (their residuals measure their noise), series not recognisably rounded
    (``decimals`` -1) and series of a log ``scale`` with no positive value
    (``used`` ``"identity"``: a rate of 0 every year, whose draws must stay 0
    without events and exposure) get 0.

    Parameters
    ----------
    values
        (N, T) reported values (NaN = missing).
    decimals
        (N,) reporting decimals (:func:`reporting_decimals`).
    scale
        The indicator's modelling scale (:func:`choose_scale`).
    used
        (N,) the scale each series is modelled on (from :func:`to_model_scale`).

    Examples
    --------
    Whole percentages: 99% every year hides a sd of about 0.32 on the logit
    scale; a series that moves gets 0.

    >>> v = np.array([[99.0, 99.0, 99.0], [98.0, 99.0, 99.0]])
    >>> used = np.array(["logit", "logit"], dtype=object)
    >>> np.round(flat_series_noise(v, np.array([0, 0]), "logit", used), 3).tolist()
    [0.32, 0.0]
    """
    v = np.asarray(values, dtype=float)
    flat = flat_rows(v)
    level = np.max(np.where(np.isfinite(v), v, -np.inf), axis=1, initial=-np.inf)
    step = np.where(np.asarray(decimals) >= 0, 10.0 ** (-np.asarray(decimals, dtype=float)), 0.0)
    lo, hi = level - step / 2.0, level + step / 2.0
    width = hi - lo
    for name in ("logit", "log"):
        rows = flat & (used == name) & (step > 0)
        if not rows.any():
            continue
        if name == "logit":
            p_lo = np.clip(lo[rows], BOUND_EPS, 100.0 - BOUND_EPS) / 100.0
            p_hi = np.clip(hi[rows], BOUND_EPS, 100.0 - BOUND_EPS) / 100.0
            width[rows] = np.log(p_hi / (1.0 - p_hi)) - np.log(p_lo / (1.0 - p_lo))
        else:  # a positive value: its lower end at least half of it, as to_model_scale does
            width[rows] = np.log(hi[rows]) - np.log(np.maximum(lo[rows], level[rows] / 2.0))
    keep = flat & (step > 0) & ~((scale == "log") & (used == "identity"))
    return np.where(keep, width / np.sqrt(12.0), 0.0)


def round_reported(draws: np.ndarray, decimals: np.ndarray, inplace: bool = False) -> np.ndarray:
    """Round draws (N, ...) of each series to its reporting ``decimals`` (N,); -1 = as is.

    ``inplace=True`` overwrites ``draws`` when it is a float64 array (saves a copy).

    >>> round_reported(np.array([[95.04, 95.06], [1.2345, 2.0]]), np.array([1, -1])).tolist()
    [[95.0, 95.1], [1.2345, 2.0]]
    """
    dtype = np.result_type(np.asarray(draws).dtype, np.float32)
    if inplace and isinstance(draws, np.ndarray) and draws.dtype == dtype:
        out = draws
    else:
        out = np.array(draws, dtype=dtype)
    decimals = np.asarray(decimals)
    found = np.unique(decimals)
    if found.size == 1 and found[0] >= 0:  # one precision for all rows: round in place
        np.round(out, int(found[0]), out=out)
        return out
    for d in found:
        if d < 0:
            continue
        rows = np.flatnonzero(decimals == d)
        out[rows] = np.round(out[rows], int(d))
    return out
