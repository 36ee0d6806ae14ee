"""Simulated district counts for backtesting the count models.

No annual district series is public, and the UN IGME series are smoothed model
estimates, far less noisy than what a district of 4,000 births a year sees. To
check the count models, :func:`simulate_district_counts` takes real mortality
trajectories (the IGME estimates) as the *true* rates of imaginary districts and
draws the counts a district would report: births around ``births`` a year,
deaths ``Poisson(births x true rate)``. The reported value is deaths / births in
the unit. Every row says it is simulated in ``source``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hbkit._typing import UNIT_SCALE

__all__ = ["SIMULATED_SOURCE", "simulate_district_counts", "simulated_districts"]

SIMULATED_SOURCE = "simulated Poisson counts (hbkit.backtesting.simulate) — 模拟数据"


def simulate_district_counts(
    rates: pd.DataFrame,
    *,
    births: float = 4000.0,
    rate_factor: float = 1.0,
    indicator: str | None = None,
    unit: str | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Poisson death counts of districts whose true rates follow real trajectories.

    Parameters
    ----------
    rates
        Long frame ``indicator, geo, year, value, unit`` of true rates (e.g. IGME
        infant mortality per 1000). One district is simulated per geo and indicator.
    births
        Typical live births a year; each district draws its own size (log-normal,
        sd 0.15) and a yearly size change (sd 0.05).
    rate_factor
        Multiplier applied to the true rate in the new unit (e.g. neonatal
        mortality per 1000 x 3 read per 100,000 gives maternal-mortality-like
        rates of 6-100 per 100,000: 0-4 deaths a year).
    indicator, unit
        Id and unit of the simulated series (default: those of ``rates``).
    seed
        Seed of the random numbers.

    Returns
    -------
    pandas.DataFrame
        ``indicator, geo, year, value, numerator, denominator, unit, source``.

    Examples
    --------
    >>> true = pd.DataFrame({"indicator": "imr", "geo": "A", "year": [2019, 2020],
    ...                      "value": [10.0, 9.0], "unit": "per_1000"})
    >>> sim = simulate_district_counts(true, seed=1)
    >>> sim[["year", "numerator"]].to_dict("list")["year"]
    [2019, 2020]
    >>> bool((sim.value == sim.numerator / sim.denominator * 1000).all())
    True
    """
    rng = np.random.default_rng(seed)
    frame = rates.dropna(subset=["value"]).sort_values(["indicator", "geo", "year"])
    out_unit = unit or str(frame["unit"].iloc[0])
    scale = UNIT_SCALE[out_unit]
    keys = frame[["indicator", "geo"]].drop_duplicates()
    size = births * np.exp(rng.normal(0.0, 0.15, len(keys)))
    size_of = dict(zip(map(tuple, keys.to_numpy()), size, strict=True))
    base = np.array([size_of[(i, g)] for i, g in zip(frame["indicator"], frame["geo"],
                                                     strict=True)])
    denominator = np.round(base * np.exp(rng.normal(0.0, 0.05, len(frame)))).astype(float)
    true_rate = frame["value"].to_numpy(float) * rate_factor / scale
    numerator = rng.poisson(denominator * true_rate).astype(float)
    return pd.DataFrame({
        "indicator": indicator or frame["indicator"].to_numpy(),
        "geo": frame["geo"].to_numpy(),
        "year": frame["year"].to_numpy(int),
        "value": numerator / denominator * scale,
        "numerator": numerator,
        "denominator": denominator,
        "unit": out_unit,
        "source": SIMULATED_SOURCE,
    })


def simulated_districts(seed: int = 11) -> pd.DataFrame:
    """The simulated district counts of ``docs/validation.md`` (the backtest's family).

    The countries whose infant mortality was at most 30 per 1,000 in 2008 (UN IGME
    2021, 1998 on), each an imaginary district of about 4,000 births a year: an
    infant-mortality-like rate per 1,000 (``imr_district``, Poisson deaths at the
    country's IGME infant mortality) and a maternal-mortality-like rate per
    100,000 (``mmr_district``, at 3 x its neonatal mortality: 0-4 deaths a year).
    Used by ``benchmarks/bench_backtest.py``, ``benchmarks/bench_far_from_trend.py``
    and the tests, so that they measure the same districts.

    Examples
    --------
    >>> sim = simulated_districts()
    >>> sorted(sim["indicator"].unique()), int(sim["year"].min())
    (['imr_district', 'mmr_district'], 1998)
    """
    from hbkit.datasets import load_example

    igme = load_example("igme2021").observations
    igme = igme[igme["year"] >= 1998]
    imr = igme[igme["indicator"] == "infant_mortality_rate"]
    low = imr.loc[(imr["year"] == 2008) & (imr["value"] <= 30), "geo"]
    imr = imr[imr["geo"].isin(low)]
    nmr = igme[(igme["indicator"] == "neonatal_mortality_rate") & igme["geo"].isin(low)]
    return pd.concat([
        simulate_district_counts(imr, indicator="imr_district", unit="per_1000", seed=seed),
        simulate_district_counts(nmr, indicator="mmr_district", unit="per_100k", rate_factor=3.0,
                                 seed=seed + 1),
    ], ignore_index=True)
