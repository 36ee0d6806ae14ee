"""Make the reference values the model tests compare with (run from the repository root).

    .venv/bin/python tests/reference/make_reference.py

Every number here is computed independently of hbkit's code:

* ``ols``: the classical OLS prediction interval of statsmodels
  (``get_prediction(...).summary_frame(obs=True)``), which hbkit's simulated
  linear-trend predictive must reproduce (Student-t with parameter
  uncertainty), and the same for the mean-only model;
* ``glm``: maximum-likelihood Poisson (log link, log births as offset) and
  binomial GLM fits of statsmodels, with the Pearson dispersion;
* ``firth``: Firth-penalised fits with the N(0, 0.1^2) slope prior, by direct
  maximisation of loglik + 0.5 log det (I(beta) + prior precision)
  - 0.5 b^2 / 0.1^2 with scipy.optimize;
* ``constant_predictive``: exact probabilities of the constant-rate count
  model's predictive (Jeffreys gamma posterior mixed with Poisson = negative
  binomial, scipy.stats.nbinom).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import statsmodels.api as sm
from scipy import optimize, stats

OUT = Path(__file__).with_name("models_reference.json")
#: the slope prior sd of hbkit's Poisson count models (hbkit.models.counts.SLOPE_PRIOR_SD["poisson"])
SLOPE_SD = 0.1

OLS_CASES = [
    {"years": [2016, 2017, 2018, 2019, 2020], "values": [10.2, 11.0, 11.5, 12.9, 13.1],
     "future": 2025},
    {"years": [2015, 2016, 2018, 2019, 2020, 2021], "values": [71.0, 70.2, 69.5, 69.9, 68.1, 67.0],
     "future": 2024},
    {"years": [2018, 2019, 2020], "values": [5.0, 5.6, 5.9], "future": 2023},
]
GLM_CASES = [
    {"years": [2016, 2017, 2018, 2019, 2020, 2021], "k": [41, 37, 30, 33, 24, 22],
     "n": [5200, 5050, 4900, 4700, 4600, 4400]},
    {"years": [2015, 2016, 2017, 2018, 2019], "k": [900, 930, 945, 960, 972],
     "n": [1000, 1010, 1005, 1008, 1012]},
]
FIRTH_CASES = [
    {"years": [2016, 2017, 2018, 2019, 2020], "k": [0, 0, 0, 0, 0],
     "n": [4000, 4100, 3900, 4000, 4200]},
    {"years": [2016, 2017, 2018, 2019, 2020], "k": [3, 1, 2, 0, 1],
     "n": [4000, 4100, 3900, 4000, 4200]},
]


def ols_reference() -> list[dict]:
    out = []
    for case in OLS_CASES:
        x = np.asarray(case["years"], dtype=float)
        y = np.asarray(case["values"])
        row = dict(case)
        for name, design, new in (
            ("linear", sm.add_constant(x), np.array([[1.0, case["future"]]])),
            ("level", np.ones((x.size, 1)), np.array([[1.0]])),
        ):
            fit = sm.OLS(y, design).fit()
            for alpha in (0.05, 0.2):
                frame = fit.get_prediction(new).summary_frame(alpha=alpha)
                row[f"{name}_{alpha}"] = [float(frame["obs_ci_lower"].iloc[0]),
                                          float(frame["obs_ci_upper"].iloc[0])]
            row[f"{name}_mean"] = float(frame["mean"].iloc[0])
        out.append(row)
    return out


def glm_reference() -> list[dict]:
    out = []
    for case in GLM_CASES:
        x = np.asarray(case["years"], dtype=float)
        xc = x - x.mean()
        k, n = np.asarray(case["k"], float), np.asarray(case["n"], float)
        design = sm.add_constant(xc)
        poisson = sm.GLM(k, design, family=sm.families.Poisson(), offset=np.log(n)).fit()
        binom = sm.GLM(np.column_stack([k, n - k]), design, family=sm.families.Binomial()).fit()
        row = dict(case)
        for name, fit in (("poisson", poisson), ("binomial", binom)):
            row[name] = {"params": fit.params.tolist(),
                         "pearson_phi": float(fit.pearson_chi2 / fit.df_resid),
                         "bse": fit.bse.tolist()}
        out.append(row)
    return out


def firth_reference() -> list[dict]:
    out = []
    for case in FIRTH_CASES:
        x = np.asarray(case["years"], dtype=float)
        xc = x - x.mean()
        k, n = np.asarray(case["k"], float), np.asarray(case["n"], float)
        design = np.column_stack([np.ones_like(xc), xc])

        def penalised(beta: np.ndarray, k=k, n=n, design=design) -> float:
            # Firth (half log det of the information, prior included) + N(0, 0.1^2) slope prior
            mu = n * np.exp(design @ beta)
            info = design.T @ (mu[:, None] * design) + np.diag([0.0, 1.0 / SLOPE_SD**2])
            return -(np.sum(k * np.log(mu) - mu) + 0.5 * np.linalg.slogdet(info)[1]
                     - 0.5 * beta[1] ** 2 / SLOPE_SD**2)

        start = np.array([np.log((k.sum() + 0.5) / n.sum()), 0.0])
        res = optimize.minimize(penalised, start, method="Nelder-Mead",
                                options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
        row = dict(case)
        row["poisson_params"] = res.x.tolist()
        out.append(row)
    return out


def constant_predictive_reference() -> list[dict]:
    """P(k <= c) in the future year for the constant-rate (Jeffreys) Poisson model."""
    k = np.array([0, 1, 0, 0, 1], dtype=float)
    n = np.array([4000, 4100, 3900, 4000, 4200], dtype=float)
    shape = k.sum() + 0.5
    rate = n.sum()
    future_n = 4200.0
    probs = {str(c): float(stats.nbinom.cdf(c, shape, rate / (rate + future_n)))
             for c in range(0, 4)}
    return [{"years": [2016, 2017, 2018, 2019, 2020], "k": k.tolist(), "n": n.tolist(),
             "future_n": future_n, "cdf": probs}]


def main() -> None:
    reference = {
        "ols": ols_reference(),
        "glm": glm_reference(),
        "firth": firth_reference(),
        "constant_predictive": constant_predictive_reference(),
    }
    OUT.write_text(json.dumps(reference, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
