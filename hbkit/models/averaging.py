"""Model weights from out-of-sample scores, and the per-series ``method`` text.

hbkit averages its candidate models with pseudo-Bayesian-model-averaging
weights (Geisser & Eddy 1979; Yao, Vehtari, Simpson & Gelman 2018):
w_k is proportional to exp(sum of the leave-future-out log predictive
densities of model k) over the last few observed points, each predicted from
the points before it only. A model that cannot be fitted to a series gets
weight 0. When no point can be scored (a series with three points in its
window), the weights are the prior ones, :data:`UNSCORED_WEIGHTS`: each model
weighs 1 except ``level``, which weighs less (fitted on backtests, see there).

Examples
--------
>>> import numpy as np
>>> w = pseudo_bma_weights(np.array([[0.0, -1.0]]), np.array([1]), np.array([[True, True]]))
>>> np.round(w, 3).tolist()
[[0.731, 0.269]]
>>> w = pseudo_bma_weights(np.zeros((1, 3)), np.array([0]), np.ones((1, 3), bool),
...                        prior=unscored_prior(("rw_drift", "local_trend", "level")))
>>> np.round(w, 3).tolist()
[[0.435, 0.435, 0.13]]
>>> method_labels(np.array([[1.0, 0.0], [0.5, 0.5]]), ("linear", "level"))
['linear', 'linear 50% + level 50%']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from hbkit.exceptions import HbkitValueError

#: weights below this share are not listed in the method text
_LISTED = 0.005
#: prior weight of a candidate model relative to the others (which weigh 1), used when no
#: point of a series can be scored. With three points, ``level`` (no trend) projects the
#: mean of the window, back against any trend; with equal weights the probabilities of
#: three-point series were under-confident (IGME ECE 0.13, China's official series 0.24).
#: 0.3 minimises the Brier score on 3-year-window backtests of a random half of the IGME
#: and DTP3 countries (0.1145 -> 0.1070, 95% country-cluster bootstrap of the gain
#: -0.0105 to -0.0045; DTP3 alone would keep 1, IGME alone 0.05: one number for all).
#: Checked on the other half and on China's official series, never used to fit it:
#: ECE 0.090 -> 0.041 overall (``benchmarks/bench_backtest.py --fit-unscored-weight``;
#: docs/validation.md, section 4).
UNSCORED_WEIGHTS: dict[str, float] = {"level": 0.3}


def unscored_prior(
    models: tuple[str, ...], overrides: Mapping[str, float] | None = None
) -> np.ndarray:
    """Prior weights (K,) of ``models`` for series without a scored point.

    :data:`UNSCORED_WEIGHTS` updated by ``overrides``; models not listed weigh 1.

    Examples
    --------
    >>> unscored_prior(("rw_drift", "level"), {"level": 0.5}).tolist()
    [1.0, 0.5]
    """
    table = {**UNSCORED_WEIGHTS, **(overrides or {})}
    try:
        prior = np.array([float(table.get(m, 1.0)) for m in models])
    except (TypeError, ValueError):  # a weight that is not a number
        prior = np.array([np.nan])
    if not (np.isfinite(prior).all() and (prior >= 0).all() and prior.sum() > 0):
        raise HbkitValueError(f"unscored_weights（无法评分时的先验权重）须为不小于 0 的数，且不全为 0；收到 "
                              f"{table!r} / unscored weights must be >= 0 and not all 0; "
                              f"received {table!r}")
    return prior


def pseudo_bma_weights(
    scores: np.ndarray, n_scored: np.ndarray, valid: np.ndarray,
    prior: np.ndarray | None = None,
) -> np.ndarray:
    """Normalised weights (N, K) from summed log scores (N, K).

    Parameters
    ----------
    scores
        Summed out-of-sample log predictive densities per model.
    n_scored
        (N,) number of points scored; 0 means "use the prior weights".
    valid
        (N, K) whether each model could be fitted to the full series.
    prior
        (K,) weights of the series with no scored point (default: equal),
        renormalised over the models that could be fitted.
    """
    scores = np.where(valid, scores, -np.inf)
    top = np.max(scores, axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    raw = np.where(valid, np.exp(scores - top), 0.0)
    unscored = valid * (np.ones(scores.shape[1]) if prior is None else prior)[None, :]
    unscored = np.where(unscored.sum(axis=1, keepdims=True) > 0, unscored, valid)
    raw = np.where((n_scored > 0)[:, None], raw, unscored)
    total = raw.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, raw / total, 0.0)


def method_labels(weights: np.ndarray, names: tuple[str, ...]) -> list[str]:
    """One text per series: the model used, or the mixture with its weights in percent."""
    percent = np.round(np.asarray(weights, dtype=float) * 100).astype(np.int64)
    keys = percent @ (101 ** np.arange(percent.shape[1], dtype=np.int64))
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    texts = []
    listed = _LISTED * 100  # in whole percent
    for row in percent[first].tolist():  # plain ints: far faster than numpy scalars
        parts = sorted(((names[k], w) for k, w in enumerate(row) if w >= listed),
                       key=lambda p: -p[1])
        if not parts:
            texts.append("")
        elif len(parts) == 1:
            texts.append(parts[0][0])
        else:
            texts.append(" + ".join(f"{name} {w}%" for name, w in parts))
    return [texts[i] for i in np.ravel(inverse).tolist()]


def lfo_origins(
    obs: np.ndarray, n_origins: int = 3, min_prefix: int = 3
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The leave-future-out origins of N series, last observed point first.

    For r = 1 .. ``n_origins``, the r-th last observed point of each series is
    scored by models fitted to the observations before it; a series takes part
    when it has that point and at least ``min_prefix`` observations before it.

    Parameters
    ----------
    obs
        (N, T) boolean: which cells are observed.

    Yields
    ------
    usable : (N,) bool
        Series that are scored at this origin.
    pos : (N,) int
        Column of the scored point (meaningful where ``usable``).
    prefix : (N, T) bool
        Observed cells before the scored point: the data the models may see.

    Examples
    --------
    >>> obs = np.array([[True, True, True, True, True], [True, True, False, True, True]])
    >>> [(u.tolist(), p.tolist()) for u, p, _ in lfo_origins(obs, n_origins=2)]
    [([True, True], [4, 4]), ([True, False], [3, 3])]
    """
    rank_from_end = np.cumsum(obs[:, ::-1], axis=1)[:, ::-1]  # 1 at the last observation
    n_obs = obs.sum(axis=1)
    for r in range(1, n_origins + 1):
        at_origin = obs & (rank_from_end == r)
        usable = at_origin.any(axis=1) & (n_obs - r >= min_prefix)
        if not usable.any():
            continue
        yield usable, np.argmax(at_origin, axis=1), obs & (rank_from_end > r)
