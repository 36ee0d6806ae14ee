"""What changed since an earlier assessment (与上年相比): statuses, probabilities, warnings.

The annual monitoring report is read year after year: which targets moved from
有望实现 to 存在风险 since last year's report, which warnings are new.
:func:`status_changes` (also :meth:`hbkit.Assessment.changes_since`) lines up two
assessments target by target and area by area.

The earlier assessment can be last year's result kept by the analyst (pickled),
or the same data assessed again with last year's ``as_of``: then every
difference comes from the newer year's data alone, not from revisions of the
older years.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hbkit._options import check_choice
from hbkit.exceptions import HbkitError
from hbkit.status import STATUS_VARIANTS

#: how good each judged status is (higher is better); statuses without a judgement
#: (数据不足, 无数据, 定性目标) have no rank
STATUS_RANK: dict[str, int] = {"achieved": 4, "on_track": 3, "at_risk": 2, "off_track": 1}

#: change code -> (中文, English), in the order the table lists them (worst news first)
CHANGE_LABELS: dict[str, tuple[str, str]] = {
    "worse": ("转差", "worse"),
    "no_longer_judged": ("不再可判断", "no longer judged"),
    "changed": ("状态变化", "changed"),
    "better": ("好转", "better"),
    "now_judged": ("新可判断", "now judged"),
    "new": ("新增", "new"),
    "dropped": ("不再评估", "no longer assessed"),
    "same": ("不变", "unchanged"),
}

#: the columns of :func:`status_changes`, in order
CHANGE_COLUMNS: tuple[str, ...] = (
    "target_id", "geo", "plan", "domain", "name_zh", "name_en", "change",
    "status_before", "status_now", "probability_before", "probability_now",
    "probability_change", "warnings_added", "warnings_removed", "warnings_now",
    "as_of_before", "as_of_now", "data_warnings_before", "data_warnings_now",
)

_KEY = ["target_id", "geo"]
_CARRIED = ["plan", "domain", "name_zh", "name_en"]


def change_code(before: Any, now: Any, before_zh: Any = None, now_zh: Any = None) -> str:
    """How a status moved from ``before`` to ``now`` (codes; ``None`` when not assessed).

    ``before_zh`` / ``now_zh`` are the statuses as the assessments worded them
    (``status_zh``): an every-year target still 难以实现 by its probability last
    year and now 已有年份未达到 (a year already broke the rule) keeps the code
    ``off_track`` but is ``worse``: a likely miss became a certain one.

    Examples
    --------
    >>> change_code("off_track", "off_track", "难以实现", "已有年份未达到")
    'worse'
    >>> change_code("achieved", "achieved", "提前实现", "已实现")
    'same'

    >>> change_code("on_track", "at_risk"), change_code("off_track", "achieved")
    ('worse', 'better')
    >>> change_code("insufficient_data", "on_track"), change_code("on_track", "no_data")
    ('now_judged', 'no_longer_judged')
    >>> change_code(None, "at_risk"), change_code("at_risk", None), change_code("no_data", "no_data")
    ('new', 'dropped', 'same')
    """
    if not isinstance(before, str):
        return "new"
    if not isinstance(now, str):
        return "dropped"
    if before == now:
        broken = STATUS_VARIANTS[("off_track", "broken")][0]
        return "worse" if now_zh == broken and before_zh != broken else "same"
    rank_before, rank_now = STATUS_RANK.get(before), STATUS_RANK.get(now)
    if rank_before is not None and rank_now is not None:
        return "better" if rank_now > rank_before else "worse"
    if rank_now is not None:
        return "now_judged"
    if rank_before is not None:
        return "no_longer_judged"
    return "changed"


def _codes(text: Any) -> list[str]:
    return [c for c in str(text).split(";") if c] if isinstance(text, str) else []


_SIDE = ["status", "status_zh", "probability", "warnings", "data_warnings"]


def _side(assessment: Any, suffix: str) -> pd.DataFrame:
    frame = assessment.to_frame()
    if "data_warnings" not in frame.columns:  # an assessment kept from before data warnings
        frame["data_warnings"] = ""
    side = frame[_KEY + _CARRIED + _SIDE].rename(
        columns={c: f"{c}{suffix}" for c in _CARRIED + _SIDE})
    return side


def status_changes(previous: Any, current: Any, lang: str | None = None) -> pd.DataFrame:
    """Every (target, area) of two assessments side by side, what changed first.

    Parameters
    ----------
    previous
        The earlier :class:`~hbkit.Assessment` (e.g. last year's monitoring).
    current
        The later one. Its ``as_of`` must not be earlier than ``previous``'s.
    lang
        ``None`` keeps codes in ``change``, ``status_before``,
        ``status_now`` and the warning columns; ``"zh"`` or ``"en"`` gives
        them as words, as the reports word them (提前实现, 未实现 at the final
        evaluation, ...; warnings 预计达标困难、偏离目标 joined by 、, or
        "hard to reach, moving away"). The column names are the stable keys
        of :data:`CHANGE_COLUMNS` in every ``lang``: only the values are worded.

    Returns
    -------
    pandas.DataFrame
        One row per (target, area) assessed in either, columns
        :data:`CHANGE_COLUMNS`. ``change`` is one of :data:`CHANGE_LABELS`:
        ``better`` / ``worse`` between judged statuses (已实现 > 有望实现 >
        存在风险 > 难以实现), ``now_judged`` / ``no_longer_judged`` between
        a judged status and 数据不足 / 无数据 / 定性目标, ``changed`` between
        two of those, ``new`` / ``dropped`` for rows in one assessment only,
        ``same``. ``probability_change`` is now minus before (missing when
        either is; rounded to 12 decimals, so no float noise such as
        0.08500000000000008). ``warnings_added`` / ``warnings_removed`` are the warning
        codes that appeared or went, joined by ``;`` (words with ``lang``);
        ``data_warnings_before`` / ``data_warnings_now`` the codes of the data
        warnings (数据提醒) touching the row in each assessment (the
        ``data_warnings`` column of :meth:`~hbkit.Assessment.to_frame`; a
        status that moved may come from a row of the data to check). Rows are ordered by
        ``change`` in the order of :data:`CHANGE_LABELS` (worst news first),
        then in the current assessment's order (rows only the earlier one
        has, in its order).

    Raises
    ------
    HbkitError
        When ``previous`` is later than ``current`` (the arguments swapped).

    Examples
    --------
    >>> import hbkit
    >>> example = hbkit.datasets.load_example("hebei_example")
    >>> cat = example.catalogue.filter(plan="women", domain="education")
    >>> obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
    >>> last_year = hbkit.assess(obs, catalogue=cat, as_of=2022, n_draws=200)
    >>> this_year = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)
    >>> changes = status_changes(last_year, this_year)
    >>> len(changes) == len(this_year.to_frame())
    True
    >>> set(changes["change"]) <= set(CHANGE_LABELS)
    True
    >>> int(changes["as_of_before"].iloc[0]), int(changes["as_of_now"].iloc[0])
    (2022, 2023)
    """
    if lang is not None:
        check_choice("lang", lang, ("zh", "en"))
    lined_up = line_up(previous, current)
    return lined_up_words(lined_up, lang) if lang is not None else lined_up[list(CHANGE_COLUMNS)]


def line_up(previous: Any, current: Any) -> pd.DataFrame:
    """The rows of :func:`status_changes` as codes, with each side's ``status_zh_before`` /
    ``status_zh_now`` kept for :func:`lined_up_words` (computed once, worded in any language).

    Raises :class:`~hbkit.exceptions.HbkitError` when ``previous`` is not an assessment
    or is the later one.
    """
    from hbkit.assessment.result import Assessment

    if not isinstance(previous, Assessment):
        raise HbkitError("previous 须为较早的一次评估 hbkit.Assessment（如上年的 hbkit.assess(...)）/ "
                         "previous must be an earlier hbkit.Assessment (e.g. last year's "
                         f"hbkit.assess(...)); received {type(previous).__name__}")
    before_year, now_year = previous.as_of, current.as_of
    if before_year is not None and now_year is not None and before_year > now_year:
        raise HbkitError(
            f"the earlier assessment (as_of={before_year}) is later than the current one "
            f"(as_of={now_year}): pass the earlier one first / 先传入较早的评估")
    now, before = _side(current, "_now"), _side(previous, "_before")
    table = now.merge(before, on=_KEY, how="outer", sort=False, indicator=True)
    # current order first, then rows only the earlier assessment had, in its order
    order = {key: i for i, key in enumerate(zip(now["target_id"], now["geo"], strict=True))}
    tail = {key: len(order) + i for i, key in
            enumerate(zip(before["target_id"], before["geo"], strict=True))}
    position = [order.get(key, tail.get(key)) for key in
                zip(table["target_id"], table["geo"], strict=True)]
    for column in _CARRIED:
        table[column] = table[f"{column}_now"].where(table["_merge"] != "right_only",
                                                     table[f"{column}_before"])
    table["change"] = [change_code(b, n, bz, nz) for b, n, bz, nz in
                       zip(table["status_before"], table["status_now"], table["status_zh_before"],
                           table["status_zh_now"], strict=True)]
    # rounded: 0.665 - 0.58 is 0.085, not 0.08500000000000008 in the JSON and the tables
    table["probability_change"] = (table["probability_now"] - table["probability_before"]
                                   ).round(12)
    added, removed = [], []
    for b, n in zip(table["warnings_before"], table["warnings_now"], strict=True):
        codes_before, codes_now = _codes(b), _codes(n)
        added.append(";".join(c for c in codes_now if c not in codes_before))
        removed.append(";".join(c for c in codes_before if c not in codes_now))
    table["warnings_added"], table["warnings_removed"] = added, removed
    table["warnings_now"] = table["warnings_now"].where(table["warnings_now"].notna(), "")
    for column in ("data_warnings_before", "data_warnings_now"):
        table[column] = table[column].where(table[column].notna(), "")
    table["as_of_before"], table["as_of_now"] = before_year, now_year
    rank = {code: i for i, code in enumerate(CHANGE_LABELS)}
    table["_order"] = [rank[c] for c in table["change"]]
    table["_position"] = position
    table = table.sort_values(["_order", "_position"], kind="stable")
    return table[[*CHANGE_COLUMNS, "status_zh_before", "status_zh_now"]].reset_index(drop=True)


def lined_up_words(lined_up: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`line_up`'s rows with ``change``, ``status_before``, ``status_now`` and the
    warnings (``warnings_added``, ``warnings_removed``, ``warnings_now``) in words of ``lang``
    (as the reports word them), columns :data:`CHANGE_COLUMNS`."""
    from hbkit.assessment.data_warnings import short_rule
    from hbkit.report.wording import status_words, warning_label

    table = lined_up.copy()
    for when in ("before", "now"):
        table[f"status_{when}"] = [
            status_words(code, zh if isinstance(zh, str) else None, lang)
            if isinstance(code, str) else ""
            for code, zh in zip(table[f"status_{when}"], table[f"status_zh_{when}"],
                                strict=True)]
    side = 0 if lang == "zh" else 1
    table["change"] = [CHANGE_LABELS[c][side] for c in table["change"]]
    # the warnings as the reports word them (预计达标困难、偏离目标), not codes
    joiner = "、" if lang == "zh" else ", "
    for column in ("warnings_added", "warnings_removed", "warnings_now"):
        table[column] = [joiner.join(warning_label(c, lang) for c in _codes(v))
                         for v in table[column]]
    for column in ("data_warnings_before", "data_warnings_now"):
        table[column] = [joiner.join(short_rule(c)[side] for c in _codes(v))
                         for v in table[column]]
    return table[list(CHANGE_COLUMNS)]
