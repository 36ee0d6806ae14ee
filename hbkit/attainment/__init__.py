"""From a target to an event, and from a projection to the probability of that event.

One module per job:

- :mod:`hbkit.attainment.events`: the event of each kind of target (the table
  of rules) and the one function that judges it on full trajectories,
  :func:`evaluate_event`; the level a target asks, :func:`target_value`.
- :mod:`hbkit.attainment.paths`: the probability of the event, the share of a
  projection's joint simulated paths on which it holds (:func:`probability`),
  over each series' remaining window (:func:`remaining_from_years`).
- :mod:`hbkit.attainment.missed`: the observed years that broke an every-year
  target's rule (:func:`missed_years`, :func:`missed_in`, :class:`ObservedSeries`).
- :mod:`hbkit.attainment.wording`: the rule in words (:func:`rule_text`).

Examples
--------
>>> from hbkit.catalogue.models import Target
>>> t = Target(id="m", indicator="mmr", kind="upper_bound", threshold=8.5, unit="per_100k")
>>> rule_text(t)[1]
'value in 2025 <= 8.5 per 100,000'
"""

from __future__ import annotations

from hbkit.attainment.events import (
    PLAN_SPAN,
    TIE_TOLERANCE,
    changes_per_year,
    compare,
    default_from_year,
    direction_bound,
    evaluate_event,
    target_value,
)
from hbkit.attainment.missed import (
    ObservedSeries,
    every_year_number,
    missed_in,
    missed_in_warnings,
    missed_years,
)
from hbkit.attainment.paths import evaluate_from, probability, remaining_from_years
from hbkit.attainment.wording import rule_text

__all__ = [
    "PLAN_SPAN",
    "TIE_TOLERANCE",
    "ObservedSeries",
    "changes_per_year",
    "compare",
    "default_from_year",
    "direction_bound",
    "evaluate_event",
    "evaluate_from",
    "every_year_number",
    "missed_in",
    "missed_in_warnings",
    "missed_years",
    "probability",
    "remaining_from_years",
    "rule_text",
    "target_value",
]
