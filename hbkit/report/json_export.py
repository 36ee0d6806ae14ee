"""The assessment as JSON, for programs that embed hbkit (dashboards, web front ends).

:func:`to_dict` gives plain Python types only (``dict``, ``list``, ``str``,
``int``, ``float``, ``bool``, ``None``): no numpy scalars, no NaN. :func:`to_json`
dumps it as strict JSON (UTF-8, Chinese kept literal). The field names are
those of the tables (:meth:`~hbkit.Assessment.to_frame`,
:meth:`~hbkit.Assessment.warnings_frame`, :meth:`~hbkit.Assessment.unit_frame`,
:meth:`~hbkit.Assessment.summary`): one vocabulary for Python and JSON users.

Conversions, the same in every table:

* missing values (NaN, ``pd.NA``, ``None``) are ``null``;
* infinite numbers (a few warning statistics, e.g. ``relative_scale`` of a
  series whose median is 0) are ``null`` too, so that every number field is
  ``number | null`` for a typed client (strict JSON has no infinite number);
  the top-level ``infinite`` list says which: ``{"table", "row", "field",
  "sign"}`` for each, ``row`` the position in that table's list, ``sign`` 1 or
  -1 (schema version 2; version 1 wrote the strings ``"Infinity"``/``"-Infinity"``);
* years (``as_of`` and every column ending in ``_year``) are integers, also
  where a table holds them as floats;
* booleans are ``true``/``false``; categorical values are their labels.

The layout is versioned by :data:`SCHEMA_VERSION`; the fields are documented
in ``docs/user-guide.md`` ("For developers: JSON export").
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hbkit._options import whole_number
from hbkit.report.data_warnings import data_warnings_table
from hbkit.report.excel_formats import tidy_float32

#: version of the JSON layout; raised when a field is added, renamed, removed or changes
#: meaning (the schema's rows are closed: the previous version's schema refuses a new field)
#: (2: infinite numbers are ``null`` and listed in ``infinite``, no longer ``"Infinity"`` strings;
#: 3: ``targets`` gains ``domain_en`` and ``status_en``, the English beside ``domain_zh`` and
#: ``status_zh``; 4: ``targets``, ``warnings`` and ``units`` gain ``geo_en``, the area in
#: English as the English report names it, after ``geo``)
SCHEMA_VERSION = 4


def plain(value: Any, column: str = "") -> Any:
    """One table cell as a plain JSON-ready Python value.

    Parameters
    ----------
    value
        The cell (numpy scalar, float, ``pd.NA``, str, ...).
    column
        Its column name: ``as_of``, ``*_year`` and count columns (``n_obs``,
        ``reversals``, ``dispersion_df``, ``n_large_changes``) give integers.

    Returns
    -------
    None, bool, int, float or str
        ``None`` for a missing or infinite number (:func:`records` lists the
        infinite ones).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> plain(np.float64("nan")), plain(pd.NA), plain(np.int64(3)), plain(np.bool_(True))
    (None, None, 3, True)
    >>> plain(2019.0, "max_z_year"), plain(2019.0, "value"), plain(float("-inf"))
    (2019, 2019.0, None)
    >>> plain(3.0, "reversals")
    3
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if _is_year(column) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, str):
        return value
    return str(value)


def records(frame: pd.DataFrame, table: str = "", infinite: list[dict[str, Any]] | None = None
            ) -> list[dict[str, Any]]:
    """The rows of ``frame`` as a list of ``{column: plain value}``, columns in order.

    Numbers computed in float32 (projections, intervals) are written as their
    shortest decimal (:func:`hbkit.report.excel_formats.tidy_float32`), as the
    workbook does. An infinite number is ``None``, and, when ``infinite`` is
    given, ``{"table": table, "row", "field", "sign"}`` is appended to it for
    each, by row then column.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"geo": pd.Categorical(["河北区", None]),
    ...                       "latest_year": pd.array([2023, None], dtype="Int64"),
    ...                       "probability": [0.5, float("nan")]})
    >>> records(frame)
    [{'geo': '河北区', 'latest_year': 2023, 'probability': 0.5},
     {'geo': None, 'latest_year': None, 'probability': None}]
    >>> found = []
    >>> records(pd.DataFrame({"relative_scale": [0.2, float("inf")]}), "warnings", found)
    [{'relative_scale': 0.2}, {'relative_scale': None}]
    >>> found
    [{'table': 'warnings', 'row': 1, 'field': 'relative_scale', 'sign': 1}]
    """
    frame = frame.apply(tidy_float32)  # 71.98, not float32's 71.9800033569336
    columns = [str(c) for c in frame.columns]
    values = [_plain_column(frame.iloc[:, k], column) for k, column in enumerate(columns)]
    if infinite is not None:
        found = [(row, k, sign) for k in range(len(columns))
                 for row, sign in _infinite_cells(frame.iloc[:, k])]
        infinite.extend({"table": table, "row": row, "field": columns[k], "sign": sign}
                        for row, k, sign in sorted(found))
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _infinite_cells(values: pd.Series) -> list[tuple[int, int]]:
    """``(position, sign)`` of the infinite numbers of one column."""
    if pd.api.types.is_float_dtype(values.dtype) and isinstance(values.dtype, np.dtype):
        x = values.to_numpy()
        return [(int(i), 1 if x[i] > 0 else -1) for i in np.flatnonzero(np.isinf(x))]
    if values.dtype != object:
        return []
    return [(i, 1 if v > 0 else -1) for i, v in enumerate(values.tolist())
            if isinstance(v, float | np.floating) and math.isinf(v)]


def _plain_column(values: pd.Series, column: str) -> list[Any]:
    """:func:`plain` of every cell of one column, whole numeric columns at once (a city's
    assessment has hundreds of thousands of rows)."""
    if (pd.api.types.is_float_dtype(values.dtype) or pd.api.types.is_integer_dtype(values.dtype)) \
            and isinstance(values.dtype, np.dtype):
        x = values.to_numpy()
        out: list[Any] = x.tolist()
        if x.dtype.kind == "f":
            finite = np.isfinite(x)
            for i in np.flatnonzero(~finite):  # NaN and inf -> None
                out[i] = plain(float(x[i]), column)
            if _is_year(column):
                for i in np.flatnonzero(finite & (x == np.round(x))):
                    out[i] = int(x[i])
        return out
    return [v if type(v) is str else plain(v, column) for v in values.astype(object).tolist()]


def to_dict(assessment: Any, previous: Any = None) -> dict[str, Any]:
    """The assessment as a dict of plain Python types (the JSON export's content).

    Parameters
    ----------
    assessment
        A :class:`~hbkit.Assessment`.
    previous
        An earlier assessment (e.g. last year's): adds ``changes``, the rows
        of :meth:`~hbkit.Assessment.changes_since` (codes).

    Returns
    -------
    dict
        ``schema_version, generated_by, as_of, final, levels, simulated,
        sources, seed, n_draws, catalogue, summary, summary_by_geo, targets, warnings,
        units, data_warnings, notices, infinite``
        (and ``changes`` with ``previous``); see the module docstring for how
        values are converted. ``infinite`` lists the numbers written ``null``
        because they are infinite (``[]`` almost always). ``data_warnings`` lists the rows of the data
        used as they are that look wrong (``Observations.warnings``:
        ``file, row, column, value, rule, indicator, geo, year, targets,
        code``; ``targets`` the ids of the targets each touches), ``[]`` when
        there are none.

    Examples
    --------
    >>> import hbkit
    >>> example = hbkit.datasets.load_example("hebei_example")
    >>> cat = example.catalogue.filter(plan="children", domain="health")
    >>> obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
    >>> res = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)
    >>> data = to_dict(res)
    >>> data["schema_version"], data["as_of"], data["levels"], data["simulated"]
    (4, 2023, [80, 95], True)
    >>> len(data["targets"]) == len(res.to_frame())
    True
    >>> data["summary"][-1]["plan"], data["summary"][-1]["total"] == len(data["targets"])
    ('total', True)
    >>> {row["geo"] for row in data["summary_by_geo"]}  # the same counts area by area
    {'河北区'}
    """
    import hbkit

    catalogue = assessment.catalogue
    infinite: list[dict[str, Any]] = []
    def counts(geo: str | None = None) -> pd.DataFrame:
        table = assessment.summary(geo=geo).reset_index()
        # a target without a plan or domain: null, as in its row of ``targets`` (summary()
        # says "(none)")
        table[["plan", "domain"]] = table[["plan", "domain"]].replace("(none)", None)
        return table

    summary = counts()
    areas = [str(g) for g in pd.unique(assessment.to_frame()["geo"].dropna().astype(object))]
    by_geo = (pd.concat([counts(geo).assign(geo=geo) for geo in areas], ignore_index=True)
              if areas else summary.iloc[:0].assign(geo=None))
    by_geo = by_geo[["geo", *summary.columns]]
    data = {
        "schema_version": SCHEMA_VERSION,
        "generated_by": {"name": "hbkit", "version": hbkit.__version__},
        "as_of": plain(assessment.as_of, "as_of"),
        "final": bool(assessment.final),
        "levels": [_level(level) for level in assessment.level],
        "simulated": bool(assessment.simulated),
        "sources": [str(source) for source in assessment.sources],
        "seed": plain(getattr(assessment, "seed", None)),
        "n_draws": plain(getattr(assessment, "n_draws", None)),
        "catalogue": {
            "name_zh": getattr(catalogue, "name_zh", None) or None,
            "name_en": getattr(catalogue, "name_en", None) or None,
            "default_geo": getattr(catalogue, "default_geo", None) or None,
            "default_geo_en": getattr(catalogue, "default_geo_en", None) or None,
        },
        "summary": records(summary, "summary", infinite),
        "summary_by_geo": records(by_geo, "summary_by_geo", infinite),
        "targets": records(assessment.to_frame(), "targets", infinite),
        "warnings": records(assessment.warnings_frame(), "warnings", infinite),
        "units": records(assessment.unit_frame(), "units", infinite),
        # rows of the data used as they are that look wrong (数据提醒), with the targets
        # each touches; [] when there are none
        "data_warnings": records(data_warnings_table(assessment), "data_warnings", infinite),
        # what the call said besides its results (also Python warnings): [] when nothing
        "notices": [dict(note) for note in getattr(assessment, "notices", ())],
    }
    if previous is not None:
        data["changes"] = records(assessment.changes_since(previous), "changes", infinite)
    # the numbers written null because they are infinite: [] almost always
    data["infinite"] = infinite
    return data


def to_json(assessment: Any, path: str | Path | None = None, *, indent: int | None = None,
            previous: Any = None) -> str:
    """The assessment as strict JSON text; also written to ``path`` (UTF-8) when given.

    Parameters
    ----------
    assessment
        A :class:`~hbkit.Assessment`.
    path
        File to write (folders created); ``None`` only returns the text.
    indent
        Spaces per level, passed to :func:`json.dumps` (``None``: one line); a whole
        number (``"2"`` is 2), else an error naming it.
    previous
        An earlier assessment: adds ``changes`` (:func:`to_dict`).

    Returns
    -------
    str
        The JSON text of :func:`to_dict` (Chinese characters literal, no
        ``NaN``/``Infinity`` tokens); the file holds exactly this text.

    Examples
    --------
    >>> import json, hbkit
    >>> example = hbkit.datasets.load_example("hebei_example")
    >>> cat = example.catalogue.filter(plan="women", domain="education")
    >>> obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
    >>> res = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)
    >>> text = to_json(res)
    >>> json.loads(text)["targets"][0]["domain_zh"]
    '教育'
    >>> '"教育"' in text
    True
    """
    if indent is not None:  # a text would indent every line with it: no JSON any more
        indent = whole_number("indent", indent)
    text = json.dumps(to_dict(assessment, previous), ensure_ascii=False, indent=indent, allow_nan=False)
    if path is not None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")  # the same bytes on Windows
    return text


#: columns that count things (years observed, reversals, degrees of freedom): integers
_COUNT_COLUMNS = frozenset({"n_obs", "reversals", "dispersion_df", "n_large_changes"})


def _is_year(column: str) -> bool:
    """Years and counts, written as integers although a table holds them as floats."""
    return column == "as_of" or column.endswith("_year") or column in _COUNT_COLUMNS


def _level(level: float) -> int | float:
    """A level as in the column names: 80.0 -> 80 (``lo_80``), 97.5 stays 97.5."""
    value = float(level)
    return int(value) if value.is_integer() else value


__all__ = ["SCHEMA_VERSION", "plain", "records", "to_dict", "to_json"]
