"""The :class:`Observations` result: clean long frame plus the logs of what was not used."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hbkit._options import check_year
from hbkit.exceptions import PROBLEM_COLUMNS
from hbkit.observations.columns import FRAME_COLUMNS

LOG_COLUMNS: tuple[str, ...] = (*PROBLEM_COLUMNS, "code")
#: columns of ``Observations.warnings``: the log's, then the data the row gave (the indicator,
#: the area and, when the row is of one year, the year), so that an assessment can say which
#: targets a warning touches
WARNING_COLUMNS: tuple[str, ...] = (*LOG_COLUMNS, "indicator", "geo", "year")


def empty_frame() -> pd.DataFrame:
    """An observations frame with no rows and the contract's dtypes.

    >>> list(empty_frame().columns)
    ['indicator', 'geo', 'year', 'value', 'numerator', 'denominator', 'unit', 'source', 'file', 'row']
    """
    return typed_frame(pd.DataFrame(columns=list(FRAME_COLUMNS)))


def typed_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns of the contract, in order, with their dtypes, sorted by indicator, geo, year."""
    out = frame.reindex(columns=list(FRAME_COLUMNS)).copy()
    for name in ("indicator", "geo", "unit", "source", "file"):
        out[name] = out[name].astype(object)
    for name in ("year", "row"):
        out[name] = out[name].astype(np.int64)
    for name in ("value", "numerator", "denominator"):
        out[name] = out[name].astype(float)
    out = out.sort_values(["indicator", "geo", "year"], kind="stable")
    return out.reset_index(drop=True)


def log_frame(entries: Iterable[dict[str, object]]) -> pd.DataFrame:
    """A log table (``file, row, column, value, rule, code``) from entries."""
    frame = pd.DataFrame(list(entries), columns=list(LOG_COLUMNS))
    return frame.astype({"row": np.int64}).reset_index(drop=True)


def warning_frame(entries: Iterable[dict[str, object]]) -> pd.DataFrame:
    """The warnings table (``file, row, column, value, rule, code, indicator, geo, year``).

    ``year`` is a nullable integer: empty for a warning about a whole row of several
    years (an area name in a wide table).

    >>> frame = warning_frame([{"file": "a.csv", "row": 3, "column": "数值", "value": "0.97",
    ...     "rule": "…", "code": "value-looks-fraction", "indicator": "imm", "geo": "河北区",
    ...     "year": 2023}])
    >>> frame.columns.tolist()[-3:], frame["year"].dtype.name
    (['indicator', 'geo', 'year'], 'Int64')
    """
    frame = pd.DataFrame(list(entries), columns=list(WARNING_COLUMNS))
    frame = frame.astype({"row": np.int64, "year": "Int64"})
    for name in ("indicator", "geo"):
        frame[name] = frame[name].astype(object)
    return frame.reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class Observations:
    """Validated observations, in the long layout the engine reads.

    Attributes
    ----------
    frame
        One row per indicator, geo and year: ``indicator, geo, year, value,
        numerator, denominator, unit, source, file, row`` (``row`` as numbered
        in Excel, header = 1). ``value`` is NaN where the file reported the
        figure missing.
    excluded
        Every input row not used, with the reason: ``file, row, column, value,
        rule, code`` (titles, notes, merged identical duplicates, rows blank
        in every year, unknown indicators when ``unknown="exclude"``).
    missing
        Rows kept with a missing value (``value`` NaN).
    changes
        Rows used after a documented change (value computed from
        numerator/denominator, unit converted, default geo, name matched).
    warnings
        Rows used as they are that look wrong beside the others: a street
        without its district, two spellings of one area, a percent typed as a
        fraction (:mod:`hbkit.observations.across`). The log's columns, then
        the ``indicator``, ``geo`` and ``year`` of the data the row gave
        (``year`` empty for a wide row of several years). An assessment of
        these observations carries them (:attr:`hbkit.Assessment.data_warnings`)
        and its reports show them (数据提醒 / Data warnings).
    ignored_columns
        Columns of the file that hbkit does not read.

    Examples
    --------
    >>> import pandas as pd
    >>> from hbkit import read_observations
    >>> obs = read_observations(pd.DataFrame(
    ...     {"indicator": ["imr", "imr"], "year": [2020, 2021], "value": [3.1, 2.9]}))
    >>> obs
    Observations: 2 rows (1 indicators, 1 geos, 2020-2021); 0 excluded, 0 missing
    >>> obs.years, obs.geos
    ([2020, 2021], ['河北区'])
    """

    frame: pd.DataFrame
    excluded: pd.DataFrame = field(default_factory=lambda: log_frame([]))
    missing: pd.DataFrame = field(default_factory=lambda: log_frame([]))
    changes: pd.DataFrame = field(default_factory=lambda: log_frame([]))
    ignored_columns: tuple[str, ...] = ()
    warnings: pd.DataFrame = field(default_factory=lambda: warning_frame([]))

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`frame`."""
        return self.frame.copy()

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def indicators(self) -> list[str]:
        """Indicator ids present, sorted."""
        return sorted(self.frame["indicator"].unique().tolist())

    @property
    def geos(self) -> list[str]:
        """Geo codes present, sorted."""
        return sorted(self.frame["geo"].unique().tolist())

    @property
    def years(self) -> list[int]:
        """Years present, sorted."""
        return sorted(int(y) for y in self.frame["year"].unique())

    @property
    def sources(self) -> list[str]:
        """Distinct non-empty sources, sorted."""
        return sorted(s for s in self.frame["source"].unique().tolist() if s)

    def subset(self, as_of: int | None = None, indicators: Iterable[str] | None = None,
               geos: Iterable[str] | None = None) -> Observations:
        """Observations up to year ``as_of`` (inclusive), for some indicators or geos.

        The logs are kept as they are: they describe the file, not the subset.

        Examples
        --------
        >>> import pandas as pd
        >>> from hbkit import read_observations
        >>> obs = read_observations(pd.DataFrame(
        ...     {"indicator": ["a", "a", "b"], "year": [2020, 2021, 2021], "value": [1, 2, 3]}))
        >>> obs.subset(as_of=2020).years, obs.subset(indicators=["b"]).indicators
        ([2020], ['b'])
        """
        keep = pd.Series(True, index=self.frame.index)
        if as_of is not None:
            keep &= self.frame["year"] <= check_year("as_of", as_of)  # "2020年" too, as assess reads it
        if indicators is not None:
            keep &= self.frame["indicator"].isin(_as_list(indicators))
        if geos is not None:
            keep &= self.frame["geo"].isin(_as_list(geos))
        return Observations(self.frame[keep].reset_index(drop=True), self.excluded,
                            self.missing, self.changes, self.ignored_columns, self.warnings)

    def _summary(self) -> str:
        years = self.years
        span = f"{years[0]}-{years[-1]}" if years else "no years"
        text = (f"{len(self.frame)} rows ({len(self.indicators)} indicators, "
                f"{len(self.geos)} geos, {span}); {len(self.excluded)} excluded, "
                f"{len(self.missing)} missing")
        return f"{text}, {len(self.warnings)} warnings" if len(self.warnings) else text

    def __repr__(self) -> str:
        return f"Observations: {self._summary()}"

    def _repr_html_(self) -> str:
        head = self.frame.head(10).to_html(index=False, na_rep="")
        parts = [f"<p><b>观测数据 / Observations</b>: {html.escape(self._summary())}</p>", head]
        if len(self.excluded):
            parts += ["<p>已排除的行 / excluded rows</p>",
                      self.excluded.head(10).to_html(index=False)]
        if len(self.warnings):
            parts += ["<p>请核对 / warnings</p>", self.warnings.head(10).to_html(index=False)]
        return "\n".join(parts)


def _as_list(values: Iterable[str] | str) -> list[str]:
    return [values] if isinstance(values, str) else list(values)

