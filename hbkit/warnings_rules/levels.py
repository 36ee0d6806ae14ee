"""Early warning or note on the data: the level of each warning row.

The plans ask for early warnings (预警) on indicators 预计达标困难、波动较大 so that
something can still be done before the target year. At the final evaluation
(终期评估) the outcome of a target judged on its observed target-year value is
known: a 波动较大 on a target so **achieved** calls for no action, but it stays
a fact about the data (the series swings more than sampling noise explains, and
the level reached may be partly a good year). Such a row keeps its code, its
numbers and its place in :meth:`hbkit.Assessment.warnings_frame`, with
``level = "note"`` (数据说明 / note on the data) and a sentence saying so; the
reports list it apart from the warning list. Every other row is
``level = "warning"``: all rows of the annual monitoring, a fluctuation on a
target **not achieved** (the shortfall needs follow-up, and a swinging series is
part of reading it), and every row whose outcome still rests on the model.

>>> warning_levels("fluctuation", [True, False]).tolist()
['note', 'warning']
>>> warning_levels("latest_missing", [True]).tolist()
['warning']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

#: level -> (中文, English)
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "warning": ("预警", "early warning"),
    "note": ("数据说明", "note on the data"),
}

#: codes that become a note on a target achieved on its observed target-year value
NOTE_WHEN_ACHIEVED: frozenset[str] = frozenset({"fluctuation"})

#: the sentence a note ends with, Chinese and English
NOTE_SENTENCE: tuple[str, str] = (
    "终期评估：目标年份观测值已满足判定规则（已实现），此波动不改变结论，作为数据说明列出，"
    "不作预警；核实数据时请留意，解读数值时注意年际起伏。",
    "Final evaluation: the observed target-year value meets the rule (achieved), so this "
    "fluctuation changes no verdict and is listed as a note on the data, not a warning; "
    "check the data and read the level with its year-to-year swings in mind.",
)


def warning_levels(code: str, achieved_on_observed: Any) -> npt.NDArray[np.object_]:
    """The level of warnings of one ``code``: ``"note"`` or ``"warning"``, one per row.

    Parameters
    ----------
    code
        The warning code (:data:`hbkit.warnings_rules.WARNING_LABELS`).
    achieved_on_observed
        Per row, whether its target is achieved on its observed target-year value
        (终期评估: the outcome is decided, not projected).

    Returns
    -------
    numpy.ndarray
        ``"note"`` where ``code`` is in :data:`NOTE_WHEN_ACHIEVED` and the target is so
        achieved, else ``"warning"``.

    Examples
    --------
    >>> warning_levels("hard_to_reach", [False, True]).tolist()
    ['warning', 'warning']
    """
    met = np.atleast_1d(np.asarray(achieved_on_observed, dtype=bool))
    if code not in NOTE_WHEN_ACHIEVED:
        return np.full(met.shape, "warning", dtype=object)
    return np.where(met, "note", "warning").astype(object)


def note_texts(text_zh: Any, text_en: Any, levels: Any
               ) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """The warnings' texts, with :data:`NOTE_SENTENCE` after those whose level is ``"note"``.

    >>> zh, en = note_texts(["波动较大：……。", "波动较大：……。"], ["Large fluctuation: ....",
    ...                     "Large fluctuation: ...."], ["note", "warning"])
    >>> zh[0].startswith("波动较大：……。终期评估：") and zh[1] == "波动较大：……。"
    True
    >>> en[0].endswith("swings in mind.")
    True
    """
    zh = np.array(text_zh, dtype=object)
    en = np.array(text_en, dtype=object)
    note = np.asarray(levels, dtype=object) == "note"
    zh[note] = zh[note] + NOTE_SENTENCE[0]
    en[note] = en[note] + " " + NOTE_SENTENCE[1]
    return zh, en


__all__ = ["LEVEL_LABELS", "NOTE_SENTENCE", "NOTE_WHEN_ACHIEVED", "note_texts", "warning_levels"]
