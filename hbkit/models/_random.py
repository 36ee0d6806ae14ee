"""Fast standard random numbers for many series: common tables read at random offsets.

Drawing tens of millions of normal or gamma variates one by one dominates the
cost of a projection. Instead, one table of ``9 x n_draws`` rows of standard
variates is drawn per call, and series i reads the ``n_draws`` consecutive
rows starting at its own random offset (``windows``). Each series' draws are
exact draws from the standard distribution; two series read disjoint rows for
the same draw index unless their offsets coincide (probability
1 / (8 n_draws) per pair), so joint events over several series are estimated
without bias.

Examples
--------
>>> import numpy as np
>>> z = crn_normals(np.random.default_rng(0), 3, 500, 2)
>>> z.shape, z.dtype.name
((3, 500, 2), 'float32')
>>> g = gamma_draws(np.array([0.5, 40.0]), z[:2, :, 0], np.random.default_rng(1))
>>> bool(np.all(g > 0)), round(float(g[1].mean()), 0)
(True, 40.0)
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

#: below this shape a gamma variate is drawn exactly, above it by Wilson-Hilferty
GAMMA_EXACT_BELOW = 10.0


def windows(table: np.ndarray, n_draws: int, offsets: np.ndarray) -> np.ndarray:
    """Rows ``offsets[i] .. offsets[i] + n_draws`` of ``table`` for every series i (a copy)."""
    if table.ndim == 1:
        return sliding_window_view(table, n_draws)[offsets]
    view = sliding_window_view(table, (n_draws, table.shape[1]))[:, 0]
    return view[offsets]


def crn_normals(rng: np.random.Generator, n_series: int, n_draws: int, width: int) -> np.ndarray:
    """Standard normal draws (N, S, width), float32, independent within each series."""
    table = rng.standard_normal((9 * n_draws, max(width, 1)), dtype=np.float32)[:, :width]
    offsets = rng.integers(0, 8 * n_draws, n_series)
    return windows(table, n_draws, offsets)


def skip_crn_normals(rng: np.random.Generator, n_series: int, n_draws: int, width: int) -> None:
    """Advance ``rng`` exactly as :func:`crn_normals` would, without building the draws.

    For callers that find they need none of them: the random numbers drawn
    afterwards stay the same as if the draws had been made.
    """
    rng.standard_normal((9 * n_draws, max(width, 1)), dtype=np.float32)
    rng.integers(0, 8 * n_draws, n_series)


def gamma_draws(shape: np.ndarray, z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gamma(shape, 1) draws (N, S) for per-series shapes (N,).

    Shapes of at least ``GAMMA_EXACT_BELOW`` use the Wilson-Hilferty cube of
    the standard normals ``z`` (N, S) (relative error of quantiles below
    0.1% there); smaller shapes -- few events, where the exact tail matters --
    are drawn exactly.
    """
    shape = np.asarray(shape, dtype=float)
    c = 1.0 / (9.0 * np.maximum(shape, 1e-12))[:, None]
    out = shape[:, None] * np.maximum(1.0 - c + z * np.sqrt(c), 1e-6) ** 3
    small = shape < GAMMA_EXACT_BELOW
    if small.any():
        out[small] = rng.standard_gamma(np.broadcast_to(shape[small][:, None],
                                                        (int(small.sum()), z.shape[1])))
    return out
