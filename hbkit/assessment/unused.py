"""Rows of indicators no target uses: the notice that names them, and the near ids.

:func:`hbkit.read_observations` without a catalogue takes any indicator (a total
row 合计, a mistyped id), and the catalogue given to :func:`hbkit.assess` may then
have no target for it. Those rows are not assessed; the assessment says so
(:func:`note_unused_indicators`). When such an indicator's id is close to the
id of a catalogue indicator that has no row at all (``neonatal_mortality_rate``
in the data, ``neonatal_mortality`` in the catalogue), it is most likely the
same indicator under another id: the notice asks ``是否应为 …？ / did you
mean …?`` (the convention of :func:`hbkit.observations.across.did_you_mean`),
and the reason of the target without data says which rows of the data were left
out (:func:`near_reasons`).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from hbkit._numbers import is_missing
from hbkit.exceptions import DataWarning
from hbkit.notices import notify

#: indicators named in the notice of rows not used (:func:`note_unused_indicators`)
SHOWN_UNUSED = 5

#: how alike two ids must be to be offered as the same indicator (:mod:`difflib`'s ratio;
#: the cutoff of the reader's own suggestions of catalogue ids)
NEAR_CUTOFF = 0.6


def known_indicators(targets: Iterable[Any]) -> set[str]:
    """The indicators the targets use: their own and their reference indicators."""
    targets = list(targets)
    known = {str(t.indicator) for t in targets if t.indicator}
    return known | {str(t.reference_indicator) for t in targets if t.reference_indicator}


def near_ids(unused: Sequence[str], missing: Sequence[str]) -> dict[str, str]:
    """For each unused data indicator, the closest catalogue indicator without any row.

    Parameters
    ----------
    unused
        Indicator ids of the data that no target uses.
    missing
        Indicator ids the targets use that have no row in the data.

    Returns
    -------
    dict
        Unused id -> catalogue id, for the ids close enough (:data:`NEAR_CUTOFF`);
        a catalogue id is offered once, for the data id most like it.

    Examples
    --------
    >>> near_ids(["neonatal_mortality_rate", "合计"], ["neonatal_mortality", "mmr"])
    {'neonatal_mortality_rate': 'neonatal_mortality'}
    >>> near_ids(["under5_mortality", "under5_mortality_rat"], ["under5_mortality_rate"])
    {'under5_mortality_rat': 'under5_mortality_rate'}
    """
    candidates = list(dict.fromkeys(str(m) for m in missing))
    best: dict[str, tuple[float, str]] = {}
    for name in dict.fromkeys(str(u) for u in unused):
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=NEAR_CUTOFF)
        if not close:
            continue
        ratio = difflib.SequenceMatcher(None, name, close[0]).ratio()
        if close[0] not in best or ratio > best[close[0]][0]:
            best[close[0]] = (ratio, name)
    return {name: target_id for target_id, (_ratio, name) in best.items()}


def note_unused_indicators(frame: pd.DataFrame, targets: list[Any]) -> dict[str, tuple[str, int]]:
    """Rows of indicators no target uses are not assessed: say so, naming them.

    Without this notice those rows would be left out silently. An unused id close
    to a catalogue indicator without rows (:func:`near_ids`) is followed by
    ``是否应为 '…'？`` / ``did you mean '…'?``. The notice is about the rows of the
    areas that have them: a district cut from the call (:meth:`hbkit.Assessment.subset`)
    says what the same check says of its rows alone.

    Returns
    -------
    dict
        Catalogue indicator without rows -> (the near unused data id, its rows):
        what :func:`near_reasons` adds to the reasons of its targets.
    """
    known = known_indicators(targets)
    indicators = frame["indicator"].astype(str).to_numpy()
    unknown = ~pd.Series(indicators, dtype=object).isin(known).to_numpy(dtype=bool)
    message, near, counts = _unused(indicators, known, unknown)
    if message is None:
        return {}
    notify(message, DataWarning, stacklevel=4, geos=frame["geo"].to_numpy(dtype=object),
           about=lambda positions: _unused(indicators[positions], known, unknown[positions])[0])
    return {target_id: (name, int(counts[name])) for name, target_id in near.items()}


def indicator_rows_text(counts: pd.Series, near: dict[str, str] | None = None
                        ) -> tuple[str, str]:
    """The indicators of some rows and their rows, in Chinese and English: the first
    :data:`SHOWN_UNUSED` (and every id in ``near``, asked about), then how many more.

    ``counts`` is the rows of each indicator id (``value_counts``); ``near`` maps an id
    to the catalogue id it may stand for (:func:`near_ids`).

    >>> indicator_rows_text(pd.Series({"dtp3": 2, "mcv1": 1}), {"mcv1": "mcv"})
    ("dtp3（2行）、mcv1（1行，是否应为 'mcv'？）", "dtp3 (2 rows), mcv1 (1 row; did you mean 'mcv'?)")
    """
    near = near or {}
    items = [(str(name), int(n)) for name, n in counts.items()]
    shown = items[:SHOWN_UNUSED]
    shown += [(name, n) for name, n in items
              if name in near and (name, n) not in shown]  # a near id is always named
    more = len(counts) - len(shown)

    def zh_item(name: str, n: int) -> str:
        return f"{name}（{n}行，是否应为 '{near[name]}'？）" if name in near else f"{name}（{n}行）"

    def en_item(name: str, n: int) -> str:
        rows = f"{n} row{'' if n == 1 else 's'}"
        return (f"{name} ({rows}; did you mean '{near[name]}'?)" if name in near
                else f"{name} ({rows})")

    zh = "、".join(zh_item(name, n) for name, n in shown) + (
        f"等{len(counts)}个指标" if more > 0 else "")
    en = ", ".join(en_item(name, n) for name, n in shown) + (
        f" and {more} more indicators" if more > 0 else "")
    return zh, en


def _unused(indicators: np.ndarray, known: set[str], unknown: np.ndarray
            ) -> tuple[str | None, dict[str, str], pd.Series]:
    """The notice of the rows whose indicator is not ``known`` (``unknown``: which; ``None``
    when there are none), the near ids (unused data id -> catalogue id) and the rows of
    each unused id.

    >>> message, near, counts = _unused(np.array(["imr", "合计", "imr_rate"]), {"imr", "mmr"},
    ...                                 np.array([False, True, True]))
    >>> message.split(" / ")[0]
    '2 行数据的指标不在目标目录中，未使用：合计（1行）、imr_rate（1行）；读取时给出目录（hbkit.read_observations(文件, 目录)）可逐行列出'
    >>> near, _unused(np.array(["imr"]), {"imr"}, np.array([False]))[0]
    ({}, None)
    """
    if not unknown.any():
        return None, {}, pd.Series([], dtype="int64")
    counts = pd.Series(indicators[unknown], dtype=object).value_counts(sort=False)
    present = set(indicators)
    near = _near_ids_of(tuple(str(i) for i in counts.index),
                        tuple(i for i in sorted(known) if i not in present))
    zh, en = indicator_rows_text(counts, near)
    total = int(unknown.sum())
    rows = "1 row of an indicator" if total == 1 else f"{total} rows of indicators"
    message = (f"{total} 行数据的指标不在目标目录中，未使用：{zh}；读取时给出目录"
               f"（hbkit.read_observations(文件, 目录)）可逐行列出 / {rows} no target of the "
               f"catalogue uses {'was' if total == 1 else 'were'} not used: {en}; read the file "
               "with the catalogue (hbkit.read_observations(path, catalogue)) to list them row "
               "by row")
    return message, near, counts


@functools.lru_cache(maxsize=256)
def _near_ids_of(unused: tuple[str, ...], missing: tuple[str, ...]) -> dict[str, str]:
    """:func:`near_ids`, remembered: the notice is worded again for the rows of each
    area (:meth:`hbkit.Assessment.subset`), which mostly share the same ids, and
    comparing every id with every catalogue id by :mod:`difflib` is the slow part.
    Callers must not change the dict it returns."""
    return near_ids(unused, missing)


def near_reasons(frame: pd.DataFrame, near: dict[str, tuple[str, int]],
                 targets: list[Any]) -> pd.DataFrame:
    """The reasons of the no-data rows of an indicator with a near unused id, saying so.

    ``frame`` is the assessment's table; ``near`` is :func:`note_unused_indicators`'s
    answer. A row of ``no_data`` status whose target's indicator is in ``near`` gets,
    after its reason (无新生儿死亡率数据), the unused rows of the data and the question:
    ``数据中指标 'neonatal_mortality_rate' 的6行未使用，是否应为 'neonatal_mortality'？``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> rows = pd.DataFrame({"target_id": ["t"], "status": ["no_data"],
    ...                      "reason_zh": ["无新生儿死亡率数据"], "reason_en": ["no data for x"]})
    >>> t = SimpleNamespace(id="t", indicator="nmr")
    >>> out = near_reasons(rows, {"nmr": ("nmr_rate", 6)}, [t])
    >>> print(out["reason_zh"][0])
    无新生儿死亡率数据；数据中指标 'nmr_rate' 的6行未使用，是否应为 'nmr'？
    >>> print(out["reason_en"][0])
    no data for x; the data's 6 rows of indicator 'nmr_rate' were not used: did you mean 'nmr'?

    The ``reason`` column, both languages, says it too:

    >>> rows["reason"] = "无新生儿死亡率数据 / no data for x"
    >>> print(near_reasons(rows, {"nmr": ("nmr_rate", 6)}, [t])["reason"][0])
    无新生儿死亡率数据；数据中指标 'nmr_rate' 的6行未使用，是否应为 'nmr'？ / no data for x; the data's 6 rows of indicator 'nmr_rate' were not used: did you mean 'nmr'?
    """
    if not near or frame.empty:
        return frame
    indicator_of = {str(t.id): str(t.indicator) for t in targets if t.indicator}
    indicators = frame["target_id"].astype(str).map(indicator_of)
    hit = (frame["status"] == "no_data") & indicators.isin(list(near))
    if not hit.any():
        return frame
    out = frame.copy()
    for label in frame.index[hit.to_numpy()]:
        indicator = str(indicators.loc[label])
        name, n = near[indicator]
        zh = f"数据中指标 '{name}' 的{n}行未使用，是否应为 '{indicator}'？"
        rows = "1 row" if n == 1 else f"{n} rows"
        en = (f"the data's {rows} of indicator '{name}' {'was' if n == 1 else 'were'} not "
              f"used: did you mean '{indicator}'?")
        for column, words, sep in (("reason_zh", zh, "；"), ("reason_en", en, "; ")):
            before: Any = out.at[label, column]
            out.at[label, column] = (
                words if is_missing(before) or not str(before) else f"{before!s}{sep}{words}")
    if "reason" in out:  # the two languages together, as the other rows have them
        from hbkit.assessment.finish import bilingual

        out.loc[hit, "reason"] = bilingual(out.loc[hit, "reason_zh"].to_numpy(dtype=object),
                                           out.loc[hit, "reason_en"].to_numpy(dtype=object))
    return out
