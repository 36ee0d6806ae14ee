"""The official baselines of the backtest, worked out by hand from the published rules.

Eurostat's short-term assessment measures the observed and the required compound
growth over the last five years (``t - 5`` to ``t``); UNSD's progress chart and
Statistics Canada measure both from the plan's base year. The ratio bands: Eurostat
0.95 / 0.60 / 0, UNSD 0.95 / 0.5 / -0.1.
"""

from __future__ import annotations

import numpy as np
import pytest

from hbkit.attainment import target_value
from hbkit.backtesting import _event_after
from hbkit.backtesting.baselines import baseline_probabilities, ols_t_forecast
from hbkit.catalogue.models import Target

YEARS = np.arange(2015, 2021)
ORIGIN = 2020
# flat for three years, then down: 9.2 (2015) ... 10.0 (2018), 9.5, 9.0 (2020)
VALUES = np.array([[9.2, 9.6, 10.0, 10.0, 9.5, 9.0]])


def _baselines(target: Target) -> dict[str, np.ndarray]:
    future = np.arange(ORIGIN + 1, target.target_year + 1)
    draws, _, _ = ols_t_forecast(VALUES, YEARS, future, 200, np.random.default_rng(0))
    return baseline_probabilities(
        target, VALUES, YEARS, ORIGIN, evaluate=_event_after(ORIGIN, target),
        target_value=target_value, ols_draws=draws, ols_years=future)


def test_eurostat_measures_the_last_five_years_unsd_the_plan_base_year() -> None:
    # 20% below the 2018 value (10.0) by 2025: the target is 8.0
    target = Target(id="r", indicator="imr", kind="relative_change", threshold=20,
                    unit="per_1000", direction="decrease", baseline_year=2018, target_year=2025)
    # Eurostat, 2015 -> 2020 and 2015 -> 2025 from 9.2:
    eurostat_observed = (9.0 / 9.2) ** (1 / 5) - 1  # -0.4386% a year
    eurostat_required = (8.0 / 9.2) ** (1 / 10) - 1  # -1.3879% a year
    assert eurostat_observed / eurostat_required == pytest.approx(0.3160, abs=1e-4)
    # UNSD / Statistics Canada, 2018 -> 2020 and 2018 -> 2025 from 10.0:
    unsd_observed = (9.0 / 10.0) ** (1 / 2) - 1  # -5.132% a year
    unsd_required = (8.0 / 10.0) ** (1 / 7) - 1  # -3.138% a year
    assert unsd_observed / unsd_required == pytest.approx(1.6356, abs=1e-4)
    out = _baselines(target)
    assert out["band_eurostat"][0] == "limited_progress"  # 0 <= 0.316 < 0.60
    assert out["eurostat"][0] == 0.0
    assert out["band_unsd"][0] == "substantial_progress"  # 1.636 >= 0.95
    assert out["unsd"][0] == 1.0
    # DNS: mean change (9.0 - 9.2) / 5 = -0.04 a year, 8.8 in 2025, a miss of 0.8 of the
    # 1.0 still to go (80% > 20%) while moving towards the target: cloud
    assert out["band_dns"][0] == "cloud"
    assert out["dns"][0] == 0.0


def test_without_a_plan_base_year_every_scheme_measures_the_last_five_years() -> None:
    target = Target(id="u", indicator="imr", kind="upper_bound", threshold=8.0,
                    unit="per_1000", direction="decrease", target_year=2025)
    out = _baselines(target)
    # ratio 0.316 as above: Eurostat limited progress (0-0.60), UNSD limited (-0.1-0.5)
    assert out["band_eurostat"][0] == "limited_progress"
    assert out["band_unsd"][0] == "limited_progress"
    assert (out["eurostat"][0], out["unsd"][0]) == (0.0, 0.0)
