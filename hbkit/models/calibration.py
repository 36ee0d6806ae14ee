"""Spread inflation of the predictive distribution, fitted on backtests.

``DEFAULT_INFLATION`` multiplies the spread of every projection on its model
scale: the residual scale sigma of the trend models (so both the parameter
uncertainty and the year-to-year noise), and, for the count models, the
dispersion (phi x inflation^2, so the rate's posterior sd and the extra-Poisson
/ extra-binomial sd are multiplied by ``inflation``).

A value of 1.0 means "no inflation": the models' own predictive. If the
backtests (``hbkit.backtest``, ``docs/methodology/calibration.md``) show that
intervals cover less than they claim, the backtest engineer fits this factor
on the backtests and changes the number and this docstring, saying on which
data and by which score it was fitted.

Examples
--------
>>> resolve_inflation(None) == DEFAULT_INFLATION
True
>>> resolve_inflation(1.3)
1.3
"""

from __future__ import annotations

#: spread inflation on the model scale (1.0 = the models' own predictive)
DEFAULT_INFLATION = 1.0


def resolve_inflation(inflation: float | None) -> float:
    """The inflation to use: ``inflation`` if given, else :data:`DEFAULT_INFLATION`."""
    value = DEFAULT_INFLATION if inflation is None else float(inflation)
    if not value > 0:
        raise ValueError(f"inflation must be a positive number; received {inflation!r}")
    return value
