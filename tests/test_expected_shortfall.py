"""The expected shortfall (预计平均差距) of the 预计达标困难 warning is a property of the
predictive distribution, not of its most extreme draw: the mean miss over the draws, each
counted no further out than its printed 95% interval."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

import hbkit
from hbkit.warnings_rules import expected_shortfall


def test_a_normal_predictive_gives_the_closed_form_within_its_tail_beyond_the_interval() -> None:
    # Y ~ N(0, 1), target <= 0.5: E[max(0, Y - 0.5)] = phi(0.5) - 0.5 (1 - Phi(0.5)); the
    # draws beyond the 97.5% point count at it, which takes E[max(0, Y - z)] off, z = 1.96
    z = stats.norm.ppf(0.975)
    plain = stats.norm.pdf(0.5) - 0.5 * stats.norm.sf(0.5)
    beyond = stats.norm.pdf(z) - z * stats.norm.sf(z)
    draws = stats.norm.ppf((np.arange(200_000) + 0.5) / 200_000)[None, :]
    got = expected_shortfall(draws, np.array([0.5]), ["decrease"])[0]
    assert abs(got - (plain - beyond)) < 0.002
    assert abs(got - plain) < 0.01          # what the docstring promises for a normal predictive
    # the same for an increase target, by symmetry
    up = expected_shortfall(-draws, np.array([-0.5]), ["increase"])[0]
    assert abs(up - got) < 1e-6


def test_a_heavy_tailed_predictive_gives_about_the_same_figure_from_other_draws() -> None:
    # a log-scale Student-t with 2 degrees of freedom (4 points) has no mean on the reported
    # scale: the plain mean over 1,000 draws is set by the largest few and differs between
    # draw sets by orders of magnitude; the bounded mean differs by simulation error only
    rng = np.random.default_rng(0)
    # (finite, as a model's draws: the log-scale value is kept within +-80)
    draws = 10.0 * np.exp(np.clip(0.5 * rng.standard_t(2, size=(40, 1000)), -80, 80))
    target = np.full(40, 8.0)
    got = expected_shortfall(draws, target, ["decrease"] * 40)
    plain = np.maximum(draws - 8.0, 0).mean(axis=1)
    assert plain.max() / np.median(plain) > 1e6
    assert 0.7 < got.min() / np.median(got) and got.max() / np.median(got) < 1.4
    hi = np.quantile(draws, 0.975, axis=1)
    assert np.all(got <= hi - 8.0)


def test_the_warning_of_a_rate_with_zeros_and_a_tiny_value_says_a_finite_gap() -> None:
    # an analyst's maternal mortality given as rates only, a year typed 0.2: before, the
    # warning said 预计平均差距 3e32/10万
    t = hbkit.Target(id="W-mmr", plan="women", domain="health", indicator="maternal_mortality_ratio",
                     name_zh="孕产妇死亡率", name_en="MMR", kind="relative_change", threshold=10,
                     unit="per_100k", direction="decrease", target_year=2030, baseline_year=2025)
    cat = hbkit.Catalogue([t])
    data = pd.DataFrame({"indicator": "maternal_mortality_ratio", "geo": "河北区",
                         "year": range(2021, 2027), "value": [0, 27.64, 0, 56.12, 0, 0.2],
                         "unit": "per_100k", "source": "测试"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = hbkit.assess(hbkit.read_observations(data, cat), catalogue=cat, as_of=2026)
    row = result.to_frame().iloc[0]
    warned = result.warnings_frame().set_index("code").loc["hard_to_reach"]
    gap = float(warned["expected_shortfall"])
    target = row["baseline_value"] * (1 - 10 / 100)       # 10% below the 2025 value
    assert 0 < gap <= row["hi_95"] - target
    shown = warned["text_zh"].split("预计平均差距")[1].split("/10万")[0]
    assert float(shown) == round(gap, 1)
