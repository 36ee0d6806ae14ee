"""Counts implied by a rate of rare events given as values only, with years at 0.

A district that reports its maternal mortality ratio as 0, 25.0, 0, 0, 22.0 (per
100,000 live births) without the deaths and births behind it still tells how
many events each year saw: 0 is no death, and with a year at 0 the events are so
rare that the smallest positive value is one death (25.0 is 1 in 4,000 births).
So the counts and the exposure can be read back from the values:

* ``u`` = the smallest positive value, one event;
* events ``k_t = round(v_t / u)`` (0 in a year at 0);
* exposure ``n_t = unit x k_t / v_t`` in a year with events, and the median of
  those in a year at 0.

The reading is accepted only if the years at 0 are plausible as Poisson noise
rather than blanks typed as 0: at least :data:`MIN_ZERO_YEARS` (2) of them (an
infant mortality of 6.0, 5.8, 0, 5.3 ... per 1,000 with one 0 would otherwise
read as one death in 200 births a year), and the implied events average at
most :data:`MAX_MEAN_EVENTS` a year (a year without an event then has a chance
of at least e^-5, 0.7%; a 0 among rates of 40 or 50 events a year is a data
error). Other series keep the value models. The series is then modelled with the count models
(:mod:`hbkit.models.counts`) like one given with numerators and denominators,
and the assessment says so in ``reason``.

What the reading assumes: the smallest positive value is one event. When the
exposure changes a lot within the window (births falling by a third), one
event is a larger rate in the later years and may read as two; each year's
rate is kept exactly (k_t / n_t x unit = v_t), only how much Poisson noise it
carries is misjudged. Give the numerators and denominators when they exist.

Why: on the log scale a 0 has no value. Replacing it by half the smallest
positive value (the rule for a rate with a stray 0, :func:`to_model_scale`)
puts every "0 deaths" year at half a death's rate, above a threshold such as
8.5/10万 where one death is 22-25/10万, and a line through 0, 25, 0, 0, 22
invents a trend. On the simulated district counts of ``docs/validation.md``
given as values only, the maternal-mortality-like series (0-4 deaths a year)
had a Brier score of 0.33, an ECE of 0.25 and an 80% PIT coverage of 0.52 that
way; with the implied counts 0.22, 0.05 and 0.80, near the counts themselves
(table 3f of the validation).
"""

from __future__ import annotations

import numpy as np

__all__ = ["MAX_MEAN_EVENTS", "MIN_ZERO_YEARS", "implied_counts", "one_event"]

#: the most events a year, on average, with which a year at 0 is read as no event
MAX_MEAN_EVENTS = 5.0
#: the fewest years at 0 for a series to be read as counts (one 0 may be a blank typed as 0)
MIN_ZERO_YEARS = 2


def one_event(values: np.ndarray) -> np.ndarray:
    """The rate of one event (N,) as the reading takes it: each series' smallest positive
    value (NaN when it has none).

    >>> one_event(np.array([[0.0, 25.0, 22.0], [0.0, np.nan, 0.0]])).tolist()
    [22.0, nan]
    """
    v = np.asarray(values, dtype=float)
    low = np.where(v > 0, v, np.inf).min(axis=1)
    return np.where(np.isfinite(low), low, np.nan)


def implied_counts(values: np.ndarray, multiplier: float) -> tuple[np.ndarray, np.ndarray,
                                                                     np.ndarray]:
    """Events and exposure (N, T) implied by rates with a year at 0; see the module notes.

    Parameters
    ----------
    values
        (N, T) reported rates (NaN = missing), in the unit of ``multiplier``.
    multiplier
        Events per ``multiplier`` units of exposure: 1000, 10000 or 100000.

    Returns
    -------
    numerators, denominators : (N, T) float
        Implied events and exposure; NaN where the value is missing and on rows
        that are not accepted.
    accepted : (N,) bool
        Rows with at least :data:`MIN_ZERO_YEARS` years at 0, one positive value,
        no negative one, and on average at most :data:`MAX_MEAN_EVENTS` implied
        events a year.

    Examples
    --------
    >>> v = np.array([[0.0, 25.0, 0.0, 0.0, 22.2, 45.5],   # 0, 1, 0, 0, 1, 2 deaths
    ...               [12.0, 10.0, 9.0, 8.0, 7.0, 6.0],    # no year at 0: not a case
    ...               [0.0, 1.0, 40.0, 50.0, 0.0, 38.0]])   # 0s among 40 events a year
    >>> k, n, ok = implied_counts(v, 1e5)
    >>> ok.tolist()
    [True, False, False]
    >>> k[0].tolist(), n[0].tolist()
    ([0.0, 1.0, 0.0, 0.0, 1.0, 2.0], [4396.0, 4000.0, 4396.0, 4396.0, 4505.0, 4396.0])
    """
    v = np.asarray(values, dtype=float)
    n_rows = v.shape[0]
    k = np.full(v.shape, np.nan)
    n = np.full(v.shape, np.nan)
    accepted = np.zeros(n_rows, dtype=bool)
    positive = np.isfinite(v) & (v > 0)
    zero = np.isfinite(v) & (v == 0)
    enough = zero.sum(axis=1) >= MIN_ZERO_YEARS
    event_rate = one_event(v)
    for i in np.flatnonzero(positive.any(axis=1) & enough & ~(v < 0).any(axis=1)):
        pos = positive[i]
        events = np.round(v[i, pos] / event_rate[i])
        exposure = multiplier * events / v[i, pos]
        if events.sum() > MAX_MEAN_EVENTS * (pos.sum() + zero[i].sum()):
            continue
        accepted[i] = True
        k[i, pos] = events
        k[i, zero[i]] = 0.0
        n[i, pos] = np.round(exposure)
        n[i, zero[i]] = np.round(np.median(exposure))
    return k, n, accepted
