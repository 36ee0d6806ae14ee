"""Random numbers that belong to a series, not to the call that projects it.

A series' simulated paths must not depend on which other series are projected
with it: a district assessed alone and the same district in a city-wide call
must get the same probabilities, to the last draw. So no random number is
drawn from a stream shared by the series of a call in call order. Instead:

- every series has a **key** (:func:`series_keys`): a 64-bit hash of its own
  observations (year by year, missing years skipped, so a longer grid of
  years changes nothing), or of a label the caller gives (the area's name);
- standard random numbers come from **tables** of ``9 x n_draws`` rows, each
  drawn by its own generator seeded by the call's seed and the table's name
  only, and series i reads the ``n_draws`` consecutive rows starting at an
  offset computed from its key (:class:`SeriesStreams`). Drawing tens of
  millions of variates one by one would dominate the cost of a projection;
  reading a table costs little more than writing the output. Each series'
  draws are exact draws from the standard distribution; two series read
  disjoint rows for the same draw index unless their offsets coincide
  (probability 1 / (8 n_draws) per pair), so joint events over several
  series are estimated without bias;
- draws that must be exact for one series alone (a gamma with a small shape,
  Poisson counts of a few deaths) come from a generator of that series,
  seeded by its key (:meth:`SeriesStreams.generator`).

Examples
--------
>>> import numpy as np
>>> values = np.array([[90.0, 91.0, 92.5], [80.0, 81.0, 80.5]])
>>> keys = series_keys(values, [2018, 2019, 2020])
>>> streams = SeriesStreams(keys, n_draws=500, seed=(0, 1))
>>> z = streams.normals(stream=1, width=2)
>>> z.shape, z.dtype.name
((2, 500, 2), 'float32')
>>> alone = SeriesStreams(keys[1:], n_draws=500, seed=(0, 1)).normals(stream=1, width=2)
>>> bool(np.array_equal(alone[0], z[1]))       # the second series' draws, with or without the first
True
>>> g = gamma_draws(np.array([0.5, 40.0]), z[:, :, 0], streams, stream=2)
>>> bool(np.all(g > 0)), round(float(g[1].mean()), 0)
(True, 40.0)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

#: below this shape a gamma variate is drawn exactly, above it by Wilson-Hilferty
GAMMA_EXACT_BELOW = 10.0


def splitmix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser of uint64 values (a bijection that mixes every bit).

    Examples
    --------
    >>> import numpy as np
    >>> splitmix64(np.array([0, 1], dtype=np.uint64)).tolist()
    [0, 6238072747940578789]
    """
    z = np.array(x, dtype=np.uint64, copy=True)
    with np.errstate(over="ignore"):
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return z


def _label_hash(label: Any) -> int:
    return int.from_bytes(hashlib.blake2b(str(label).encode("utf-8"), digest_size=8).digest(),
                          "little")


def _mix_column(key: np.ndarray, year: int, column: np.ndarray | None) -> np.ndarray:
    """``key`` updated by the finite values of one column (unchanged where missing)."""
    if column is None:
        return key
    column = np.asarray(column, dtype=np.float64)
    seen = np.isfinite(column)
    if not seen.any():
        return key
    bits = np.where(seen, column, 0.0).view(np.uint64)
    year_bits = splitmix64(np.array([np.uint64(year & 0xFFFFFFFF)]))[0]
    with np.errstate(over="ignore"):
        mixed = splitmix64(splitmix64(key ^ year_bits) + bits)
    return np.where(seen, mixed, key)


def series_keys(
    values: Any,
    years: Sequence[int] | np.ndarray,
    numerators: Any = None,
    denominators: Any = None,
    labels: Sequence[Any] | None = None,
) -> np.ndarray:
    """A 64-bit key (N,) per series that depends on that series alone.

    With ``labels`` (one per series, e.g. the area's name), the key is a hash
    of the label. Otherwise it is a hash of the series' observed values,
    numerators and denominators with their years; missing years are skipped,
    so the same observations on a longer grid of years give the same key.
    Series that are identical (same label, or same data) get distinct keys by
    their order among themselves: the second copy is keyed as a second copy,
    whatever else is in the call.

    Examples
    --------
    >>> import numpy as np
    >>> a = series_keys(np.array([[1.0, 2.0, np.nan]]), [2019, 2020, 2021])
    >>> b = series_keys(np.array([[np.nan, 1.0, 2.0, np.nan], [5.0, 6.0, 7.0, 8.0]]),
    ...                 [2018, 2019, 2020, 2021])
    >>> bool(a[0] == b[0]), bool(b[0] == b[1])
    (True, False)
    >>> twins = series_keys(np.ones((2, 3)), [2019, 2020, 2021])
    >>> bool(twins[0] == twins[1])
    False
    >>> series_keys(np.ones((2, 3)), [2019, 2020, 2021], labels=["河北区", "和平区"]).dtype.name
    'uint64'
    """
    vals = np.atleast_2d(np.asarray(values, dtype=np.float64))
    n_series = vals.shape[0]
    if labels is not None:
        if len(labels) != n_series:
            raise ValueError(f"labels must give one label per series ({n_series}); "
                             f"received {len(labels)}")
        key = np.array([_label_hash(label) for label in labels], dtype=np.uint64)
    else:
        key = np.full(n_series, 0x9E3779B97F4A7C15, dtype=np.uint64)
        parts: list[np.ndarray | None] = [vals]
        for extra in (numerators, denominators):
            parts.append(None if extra is None else np.atleast_2d(np.asarray(extra, float)))
        for j, year in enumerate(np.asarray(years, dtype=np.int64).tolist()):
            for part in parts:
                key = _mix_column(key, int(year), None if part is None else part[:, j])
    return _distinct(key)


def _distinct(key: np.ndarray) -> np.ndarray:
    """Keys of repeated series made distinct by their rank among the repeats."""
    order = np.argsort(key, kind="stable")
    sorted_keys = key[order]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(key.size), 0))
    rank = np.empty(key.size, dtype=np.uint64)
    rank[order] = (np.arange(key.size) - group_start).astype(np.uint64)
    with np.errstate(over="ignore"):
        return np.where(rank > 0, splitmix64(key + splitmix64(rank)), key)


def windows(table: np.ndarray, n_draws: int, offsets: np.ndarray) -> np.ndarray:
    """Rows ``offsets[i] .. offsets[i] + n_draws`` of ``table`` for every series i (a copy)."""
    if table.ndim == 1:
        return sliding_window_view(table, n_draws)[offsets]
    view = sliding_window_view(table, (n_draws, table.shape[1]))[:, 0]
    return view[offsets]


class SeriesStreams:
    """Random numbers of a set of series, each series' draws fixed by its key alone.

    Parameters
    ----------
    keys
        (N,) uint64 keys of the series (:func:`series_keys`).
    n_draws
        Draws per series (S).
    seed
        Non-negative integers naming the random numbers of this use: the
        user's seed and what the draws are for (e.g. ``(seed, purpose, year)``).
        Series with the same key and the same ``seed`` get the same draws,
        whatever other series are drawn with them.

    Examples
    --------
    >>> import numpy as np
    >>> s = SeriesStreams(np.array([7, 8], dtype=np.uint64), n_draws=4, seed=(0, 2))
    >>> s.uniforms(stream=1).shape, s.normals(stream=2, width=3).shape
    ((2, 4), (2, 4, 3))
    >>> bool(np.array_equal(s.take([1]).uniforms(stream=1)[0], s.uniforms(stream=1)[1]))
    True
    """

    def __init__(self, keys: np.ndarray, n_draws: int, seed: Sequence[int]) -> None:
        self.keys = np.asarray(keys, dtype=np.uint64)
        self.n_draws = int(n_draws)
        self.seed = tuple(int(s) for s in seed)

    def __len__(self) -> int:
        return int(self.keys.size)

    @classmethod
    def numbered(cls, n_series: int, n_draws: int, seed: Sequence[int] = (0,)) -> SeriesStreams:
        """Streams of series keyed by their position 0 .. N-1 (tests and examples)."""
        return cls(splitmix64(np.arange(n_series, dtype=np.uint64)), n_draws, seed)

    def take(self, rows: Any) -> SeriesStreams:
        """The streams of the series ``rows`` (same draws as they have here)."""
        return SeriesStreams(self.keys[rows], self.n_draws, self.seed)

    def _table_rng(self, stream: int, width: int = 0) -> np.random.Generator:
        return np.random.default_rng([*self.seed, int(stream), int(width)])

    def offsets(self, stream: int) -> np.ndarray:
        """Each series' first row (N,) in the tables of ``stream``."""
        tag = splitmix64(np.array([_label_hash((*self.seed, stream))], dtype=np.uint64))[0]
        with np.errstate(over="ignore"):
            mixed = splitmix64(self.keys ^ tag)
        return (mixed % np.uint64(8 * self.n_draws)).astype(np.intp)

    def table_length(self) -> int:
        """Rows of every table: ``9 x n_draws``."""
        return 9 * self.n_draws

    def normal_table(self, stream: int, width: int) -> np.ndarray:
        """The shared table (9 S, width) of standard normals of ``stream``, float32."""
        rng = self._table_rng(stream, width)
        return rng.standard_normal((self.table_length(), max(width, 1)),
                                   dtype=np.float32)[:, :width]

    def uniform_table(self, stream: int) -> np.ndarray:
        """The shared table (9 S,) of Uniform(0, 1) draws of ``stream``."""
        return self._table_rng(stream).random(self.table_length())

    def chisquare_table(self, stream: int, df: int) -> np.ndarray:
        """The shared table (9 S,) of chi-square(``df``) draws of ``stream``."""
        return self._table_rng(stream, df).chisquare(df, self.table_length())

    def normals(self, stream: int, width: int) -> np.ndarray:
        """Standard normal draws (N, S, width), float32, independent within each series."""
        return windows(self.normal_table(stream, width), self.n_draws, self.offsets(stream))

    def uniforms(self, stream: int) -> np.ndarray:
        """Uniform(0, 1) draws (N, S), float64."""
        return windows(self.uniform_table(stream), self.n_draws, self.offsets(stream))

    def generator(self, row: int, stream: int) -> np.random.Generator:
        """A generator of series ``row`` alone, for draws that must be exact."""
        key = int(self.keys[row])
        return np.random.default_rng([*self.seed, int(stream), key & 0xFFFFFFFF, key >> 32])


def gamma_draws(shape: np.ndarray, z: np.ndarray, streams: SeriesStreams,
                stream: int) -> np.ndarray:
    """Gamma(shape, 1) draws (N, S) for per-series shapes (N,).

    Shapes of at least ``GAMMA_EXACT_BELOW`` use the Wilson-Hilferty cube of
    the standard normals ``z`` (N, S) (relative error of quantiles below
    0.1% there); smaller shapes -- few events, where the exact tail matters --
    are drawn exactly, by each series' own generator of ``stream``.
    """
    shape = np.asarray(shape, dtype=float)
    c = 1.0 / (9.0 * np.maximum(shape, 1e-12))[:, None]
    out = shape[:, None] * np.maximum(1.0 - c + z * np.sqrt(c), 1e-6) ** 3
    for i in np.flatnonzero(shape < GAMMA_EXACT_BELOW):
        out[i] = streams.generator(int(i), stream).standard_gamma(shape[i], z.shape[1])
    return out
