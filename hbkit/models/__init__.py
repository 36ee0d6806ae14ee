"""Trend and count models on plain numpy arrays; :func:`project` is the entry point.

* :mod:`hbkit.models.scales` -- which scale a series is modelled on, and why;
* :mod:`hbkit.models.trend` -- level, linear, damped, random-walk-with-drift and
  local (integrated random walk) trends with Student-t predictive (parameter
  uncertainty included);
* :mod:`hbkit.models.counts` -- Firth-penalised Poisson / binomial GLMs with
  overdispersion, for events over exposure;
* :mod:`hbkit.models.averaging` -- weights from leave-future-out scores;
* :mod:`hbkit.models._random` -- common random-number tables read at random offsets;
* :mod:`hbkit.models.calibration` -- the spread inflation fitted on backtests;
* :mod:`hbkit.models.engine` -- :func:`project`, vectorised over series.
"""

from __future__ import annotations

from hbkit.models.calibration import DEFAULT_INFLATION
from hbkit.models.engine import MIN_OBS, project
from hbkit.models.scales import SCALES, choose_scale
from hbkit.models.trend import DEFAULT_MODELS, TREND_KINDS

__all__ = ["DEFAULT_INFLATION", "DEFAULT_MODELS", "MIN_OBS", "SCALES", "TREND_KINDS", "choose_scale",
           "project"]
