"""Data warnings (数据提醒) in an assessment: which target rows a warning of the data touches.

:func:`hbkit.read_observations` lists in ``Observations.warnings`` the rows it
used as they are although they look wrong beside the others (a percent typed
as a fraction, an area name one character off, ...). An assessment of those
observations keeps the table (:attr:`hbkit.Assessment.data_warnings`); the
reports show it (数据提醒 / Data warnings), and the ``reason`` of every
(target, area) row whose data a warning touches ends with a short caveat.

A warning touches a row when it is of an indicator the target reads (its
``indicator``, and the ``reference_indicator`` of a relational target), of
the row's area (or of one of its sub-units, for a target judged street by
street, ``each_unit``), and, when the warning has a year, of a year the
assessment used (not after ``as_of``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd

from hbkit._numbers import is_missing
from hbkit.assessment.inputs import parent_geo
from hbkit.observations.result import WARNING_COLUMNS, warning_frame
from hbkit.observations.rules import RULES

#: columns of :func:`touched_rows`
TOUCHED_COLUMNS: tuple[str, ...] = ("warning", "row")


def empty_warnings() -> pd.DataFrame:
    """A data-warnings table without rows, with the columns of ``Observations.warnings``."""
    return warning_frame([])


def as_warning_table(frame: pd.DataFrame | None) -> pd.DataFrame:
    """``Observations.warnings`` with every column of the table (``indicator``, ``geo`` and
    ``year`` empty when a hand-made or older table lacks them).

    >>> as_warning_table(pd.DataFrame({"file": ["a.csv"], "row": [3], "code": ["geo-similar"]})
    ...                  ).columns.tolist() == list(WARNING_COLUMNS)
    True
    """
    if frame is None or frame.empty:
        return empty_warnings()
    out = frame.copy()
    for column in WARNING_COLUMNS:
        if column not in out.columns:
            out[column] = None
    out = out[[*WARNING_COLUMNS, *(c for c in out.columns if c not in WARNING_COLUMNS)]]
    out["row"] = pd.to_numeric(out["row"], errors="coerce").astype("Int64")
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    return out.reset_index(drop=True)


def touched_rows(frame: pd.DataFrame, warnings: pd.DataFrame, targets: Iterable[Any],
                 as_of: int | None) -> pd.DataFrame:
    """Pairs (warning, row): the positions in ``warnings`` and in ``frame`` (an assessment's
    ``to_frame()``) of each data warning and each (target, area) row whose data it touches.

    Examples
    --------
    >>> import hbkit
    >>> target = hbkit.Target(id="C-imm", indicator="imm", kind="lower_bound", threshold=95,
    ...                       unit="percent", each_unit="street")
    >>> frame = pd.DataFrame({"target_id": ["C-imm", "C-imm"], "geo": ["河东区", "河西区"]})
    >>> warnings = as_warning_table(pd.DataFrame({"code": ["value-looks-fraction"] * 2,
    ...     "indicator": "imm", "geo": ["河东区/大直沽街道", "河西区"], "year": [2023, 2027]}))
    >>> touched_rows(frame, warnings, [target], as_of=2026).values.tolist()
    [[0, 0]]
    """
    if warnings.empty or frame.empty:
        return _no_pairs()
    by_id = {t.id: t for t in targets}
    reads: dict[str, set[str]] = {}
    for target_id, target in by_id.items():
        reads[target_id] = {str(i) for i in (target.indicator,
                                               getattr(target, "reference_indicator", None)) if i}
    each_unit = {t.id for t in by_id.values() if getattr(t, "each_unit", None)}
    used = _used_warnings(warnings, as_of)
    if not used:
        return _no_pairs()
    target_ids = frame["target_id"].astype(str).to_numpy(dtype=object)
    rows_of = _rows_by_key(target_ids, frame["geo"].astype(str).to_numpy(dtype=object), reads,
                           {place for _, _, geo, parent in used for place in (geo, parent)
                            if place is not None})
    pairs: list[tuple[int, int]] = []
    for w, indicator, geo, parent in used:
        rows = list(rows_of.get((indicator, geo), ()))
        if parent is not None:  # a street's row: the street-by-street targets of its district
            rows += [i for i in rows_of.get((indicator, parent), ())
                     if target_ids[i] in each_unit]
        pairs += [(w, i) for i in sorted(set(rows))]
    return pd.DataFrame(pairs, columns=list(TOUCHED_COLUMNS), dtype=np.int64)


def _no_pairs() -> pd.DataFrame:
    """A :func:`touched_rows` table without pairs."""
    return pd.DataFrame({c: pd.Series([], dtype=np.int64) for c in TOUCHED_COLUMNS})


def _used_warnings(warnings: pd.DataFrame, as_of: int | None
                   ) -> list[tuple[int, str, str, str | None]]:
    """``(position, indicator, geo, parent geo)`` of each warning about data the assessment
    used: with an indicator and an area, and not of a year after ``as_of``.

    >>> table = as_warning_table(pd.DataFrame({"code": ["geo-similar"] * 3,
    ...     "indicator": ["imm", "imm", None], "geo": ["河东区/大直沽街道", "河西区", "河西区"],
    ...     "year": [2023, 2027, 2023]}))
    >>> _used_warnings(table, as_of=2026)
    [(0, 'imm', '河东区/大直沽街道', '河东区')]
    """
    used = []
    for w, record in enumerate(warnings[["indicator", "geo", "year"]].to_dict("records")):
        indicator, geo, year = record["indicator"], record["geo"], record["year"]
        if is_missing(indicator) or is_missing(geo):
            continue
        if not is_missing(year) and as_of is not None and int(year) > int(as_of):
            continue  # a year after the assessment: not used
        used.append((w, str(indicator), str(geo), parent_geo(str(geo))))
    return used


def _rows_by_key(target_ids: np.ndarray, geos: np.ndarray, reads: dict[str, set[str]],
                 places: set[str]) -> dict[tuple[str, str], list[int]]:
    """Positions (increasing) of the rows of each (indicator read, area), for the areas
    ``places`` only: the warnings name a few areas, an assessment may have a million rows.

    >>> _rows_by_key(np.array(["a", "b", "a"], dtype=object),
    ...              np.array(["河西区", "河西区", "河东区"], dtype=object),
    ...              {"a": {"imm"}, "b": {"mmr"}}, {"河西区"})
    {('imm', '河西区'): [0], ('mmr', '河西区'): [1]}
    """
    rows_of: dict[tuple[str, str], list[int]] = {}
    for i in np.flatnonzero(pd.Series(geos, dtype=object).isin(places).to_numpy()).tolist():
        for indicator in reads.get(target_ids[i], ()):
            rows_of.setdefault((indicator, geos[i]), []).append(i)
    return rows_of


#: short names of the warnings, for the caveat of a target row (the rule's text is longer):
#: one for every code of :data:`hbkit.observations.rules.RULES` whose consequence is
#: ``warning`` (the codes ``Observations.warnings`` can hold)
SHORT_RULES: dict[str, tuple[str, str]] = {
    "geo-street-top-level": ("街道前没有写所属的区", "a street without its district"),
    "geo-similar": ("地区名称疑似另一写法", "an area name written another way"),
    "geo-one-edit": ("地区名称疑似输入错误", "an area name possibly mistyped"),
    "geo-one-edit-sibling": ("下级单位名称疑似输入错误", "a sub-unit name possibly mistyped"),
    "value-looks-fraction": ("百分数像是填成了小数", "a percent that looks like a fraction"),
    "value-far-from-trend": ("数值远离序列趋势", "a value far off its series' trend"),
}
#: warnings detailed in one caveat; more are counted
CAVEAT_DETAILS = 3


def short_rule(code: str) -> tuple[str, str]:
    """(中文, English) short name of a data warning's rule.

    >>> short_rule("geo-one-edit")
    ('地区名称疑似输入错误', 'an area name possibly mistyped')
    """
    if code in SHORT_RULES:
        return SHORT_RULES[code]
    _, zh, en = RULES.get(code, ("warning", code, code))
    return zh, en


def caveat(warnings: pd.DataFrame, geo: str) -> tuple[str, str]:
    """The caveat a target row's ``reason`` ends with: (中文, English).

    ``warnings`` are the data warnings touching the row, ``geo`` its area (a
    warning about another area, a street, names it).

    >>> table = as_warning_table(pd.DataFrame({"file": ["上报.xlsx"], "row": [12],
    ...     "code": ["value-looks-fraction"], "indicator": ["imm"],
    ...     "geo": ["河东区/大直沽街道"], "year": [2023]}))
    >>> zh, en = caveat(table, "河东区")
    >>> zh
    '数据提醒：所用数据中有1行需要核对（百分数像是填成了小数：河东区/大直沽街道 2023年，上报.xlsx 第12行），照原样使用，结果可能受其影响，见“数据提醒”'
    >>> en
    "data warning: 1 row of the data used needs checking (a percent that looks like a fraction: 河东区/大直沽街道 2023, 上报.xlsx row 12), used as it is and may affect this result; see 'Data warnings'"
    """
    zh_parts, en_parts = [], []
    for record in warnings.head(CAVEAT_DETAILS).to_dict("records"):
        rule_zh, rule_en = short_rule(str(record["code"]))
        where_zh, where_en = [], []
        if not is_missing(record["geo"]) and str(record["geo"]) != str(geo):
            where_zh.append(str(record["geo"]))
            where_en.append(str(record["geo"]))
        if not is_missing(record["year"]):
            where_zh.append(f"{int(record['year'])}年")
            where_en.append(str(int(record["year"])))
        place_zh, place_en = " ".join(where_zh), " ".join(where_en)
        name = PurePath(str(record["file"])).name or str(record["file"])  # the file, no folder
        source_zh = f"{name} 第{record['row']}行"
        source_en = f"{name} row {record['row']}"
        zh_parts.append(f"{rule_zh}：{place_zh}，{source_zh}" if place_zh
                        else f"{rule_zh}：{source_zh}")
        en_parts.append(f"{rule_en}: {place_en}, {source_en}" if place_en
                        else f"{rule_en}: {source_en}")
    n = len(warnings)
    if n > CAVEAT_DETAILS:
        zh_parts[-1] += f"等{n}行"
        en_parts.append(f"{n - CAVEAT_DETAILS} more")
    zh = (f"数据提醒：所用数据中有{n}行需要核对（{'；'.join(zh_parts)}），照原样使用，"
          "结果可能受其影响，见“数据提醒”")
    rows = "1 row" if n == 1 else f"{n} rows"
    verb = "needs" if n == 1 else "need"
    en = (f"data warning: {rows} of the data used {verb} checking ({'; '.join(en_parts)}), "
          f"used as {'it is' if n == 1 else 'they are'} and may affect this result; "
          "see 'Data warnings'")
    return zh, en


def note_data_warnings(frame: pd.DataFrame, warnings: pd.DataFrame,
                       touched: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (an assessment's rows) with ``data_warnings`` (the codes of the data
    warnings touching each row, joined by ``;``) and the caveat at the end of its reasons.

    ``touched``: the pairs ``warning, row`` of :func:`touched_rows`. Returns a copy; a
    row no warning touches is left as it is (``data_warnings`` ``""``).
    """
    out = frame.copy()
    codes = np.full(len(out), "", dtype=object)
    if touched.empty:
        out["data_warnings"] = codes
        return out
    reason_zh = out["reason_zh"].to_numpy(dtype=object).copy()
    reason_en = out["reason_en"].to_numpy(dtype=object).copy()
    reason = out["reason"].to_numpy(dtype=object).copy()
    geos = out["geo"].astype(object).to_numpy()
    pair_rows, pair_warnings = touched["row"].to_numpy(), touched["warning"].to_numpy()
    for row in (int(r) for r in np.unique(pair_rows)):
        found = warnings.iloc[pair_warnings[pair_rows == row]]
        codes[row] = ";".join(dict.fromkeys(str(c) for c in found["code"]))
        zh, en = caveat(found, str(geos[row]))
        reason_zh[row] = zh if is_missing(reason_zh[row]) else f"{reason_zh[row]}；{zh}"
        reason_en[row] = en if is_missing(reason_en[row]) else f"{reason_en[row]}; {en}"
        reason[row] = f"{reason_zh[row]} / {reason_en[row]}"
    out["reason_zh"], out["reason_en"], out["reason"] = reason_zh, reason_en, reason
    out["data_warnings"] = codes
    return out


__all__ = ["CAVEAT_DETAILS", "SHORT_RULES", "TOUCHED_COLUMNS", "as_warning_table", "caveat",
           "empty_warnings", "note_data_warnings", "short_rule", "touched_rows"]
