"""The reports' 与上年相比 section: what changed since an earlier assessment.

The rows come from :func:`hbkit.assessment.compare.line_up` (once per report,
:func:`changes_section`); this module
words them as the HTML, Markdown and Excel reports print them: only the targets
whose status changed or that entered or left the assessment, worst news first,
and one sentence with the counts.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hbkit.assessment.compare import CHANGE_LABELS, line_up, lined_up_words
from hbkit.report import tables
from hbkit.report.formatting import format_probability
from hbkit.report.wording import text, warning_label

#: the columns the reports print, in order
CHANGE_DISPLAY_COLUMNS: tuple[str, ...] = (
    "name", "geo_text", "change", "status_before", "status_now", "probability_before",
    "probability_now", "warnings_added", "warnings_removed",
)


def _warning_words(codes: Any, lang: str) -> str:
    words = [warning_label(c, lang) for c in str(codes or "").split(";") if c]
    return ("、" if lang == "zh" else ", ").join(words)


def changes_display(assessment: Any, previous: Any, lang: str = "zh") -> pd.DataFrame:
    """The rows the reports print: every target whose status changed, worded in ``lang``.

    Parameters
    ----------
    assessment
        This year's :class:`~hbkit.Assessment`.
    previous
        The earlier one (e.g. last year's monitoring).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHANGE_DISPLAY_COLUMNS` as text, plus ``target_id``,
        ``geo``, ``change_code`` and ``status`` (the current status code,
        ``""`` for a target no longer assessed) for colouring.
        Targets whose status did not change are left out (the sentence of
        :func:`changes_sentence` counts them).
    """
    return _display(line_up(previous, assessment), assessment, previous, lang)


def _probability_text(p: Any, decided: bool) -> str:
    """A side's probability as printed: a dash where the observed target-year value decided
    the outcome (its 1 or 0 is no forecast, as in the targets table)."""
    return tables.DASH if decided else format_probability(p)


def _display(codes: pd.DataFrame, assessment: Any, previous: Any, lang: str) -> pd.DataFrame:
    """:func:`changes_display` from the lined-up rows (:func:`~hbkit.assessment.compare.line_up`)."""
    words = lined_up_words(codes, lang)
    decided_now, decided_before = tables.decided_keys(assessment), tables.decided_keys(previous)
    moved = (codes["change"] != "same").to_numpy()
    names = tables.area_names(assessment)
    rows = []
    for code, word in zip(codes[moved].to_dict("records"), words[moved].to_dict("records"),
                          strict=True):
        name_en = word["name_en"] if isinstance(word["name_en"], str) and word["name_en"] else ""
        rows.append({
            "target_id": code["target_id"],
            "geo": code["geo"],
            "name": word["name_zh"] if lang == "zh" or not name_en else name_en,
            "geo_text": tables._geo_text(code["geo"], lang, names),
            "change_code": code["change"],
            "change": word["change"],
            "status": code["status_now"] if isinstance(code["status_now"], str) else "",
            "status_before": word["status_before"] or tables.DASH,
            "status_now": word["status_now"] or tables.DASH,
            "probability_before": _probability_text(
                code["probability_before"], (code["target_id"], code["geo"]) in decided_before),
            "probability_now": _probability_text(
                code["probability_now"], (code["target_id"], code["geo"]) in decided_now),
            "warnings_added": _warning_words(code["warnings_added"], lang),
            "warnings_removed": _warning_words(code["warnings_removed"], lang),
        })
    return pd.DataFrame(rows, columns=["target_id", "geo", "change_code", "status",
                                       *CHANGE_DISPLAY_COLUMNS])


def _year(previous: Any) -> Any:
    """The earlier assessment's year as printed (``–`` when it had no data: ``as_of`` None)."""
    return tables.DASH if previous.as_of is None else previous.as_of


def changes_title(previous: Any, lang: str = "zh") -> str:
    """The section's heading: 与2022年监测相比 / Changes since the 2022 monitoring.

    >>> from types import SimpleNamespace
    >>> changes_title(SimpleNamespace(as_of=2022)), changes_title(SimpleNamespace(as_of=2022), "en")
    ('与2022年监测相比', 'Changes since the 2022 monitoring')
    """
    return text("changes_title", lang, year=_year(previous))


def changes_sentence(assessment: Any, previous: Any, lang: str = "zh") -> str:
    """One sentence with the counts of each kind of change.

    >>> import hbkit
    >>> example = hbkit.datasets.load_example("hebei_example")
    >>> cat = example.catalogue.filter(plan="women", domain="education")
    >>> obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
    >>> before = hbkit.assess(obs, catalogue=cat, as_of=2022, n_draws=200)
    >>> changes_sentence(before, before)
    '与2022年监测相比，19项目标的状态均未变化。'
    """
    return _sentence(line_up(previous, assessment), previous, lang)


def _sentence(codes: pd.DataFrame, previous: Any, lang: str) -> str:
    """:func:`changes_sentence` from the lined-up rows."""
    counts = codes["change"].value_counts()
    same = int(counts.get("same", 0))
    parts = [(CHANGE_LABELS[code][0 if lang == "zh" else 1], int(counts[code]))
             for code in CHANGE_LABELS if code != "same" and counts.get(code, 0)]
    if not parts:
        return text("changes_none", lang, year=_year(previous), n=same)
    listed = ("，".join(f"{word}{n}项" for word, n in parts) if lang == "zh"
              else ", ".join(f"{n} {word}" for word, n in parts))
    if not same:  # every target moved: no "其余0项" clause
        sentence = text("changes_all", lang, year=_year(previous), parts=listed)
    else:
        sentence = text("changes_sentence", lang, year=_year(previous), parts=listed, same=same)
    # a status that moved on data to check (数据提醒) may have moved because of them
    moved = codes[codes["change"] != "same"]
    flagged = sum(bool(a) or bool(b) for a, b in zip(
        moved.get("data_warnings_now", pd.Series(dtype=object)).fillna(""),
        moved.get("data_warnings_before", pd.Series(dtype=object)).fillna(""), strict=True))
    if flagged:
        sentence += text("changes_data_warnings", lang, n=flagged)
    return sentence


def changes_section(assessment: Any, previous: Any, lang: str = "zh"
                    ) -> tuple[str, str, pd.DataFrame]:
    """What the reports print (title, sentence of counts, rows that moved), lined up once.

    The HTML and Markdown reports render these three; see :func:`changes_title`,
    :func:`changes_sentence` and :func:`changes_display`.
    """
    codes = line_up(previous, assessment)
    return (changes_title(previous, lang), _sentence(codes, previous, lang),
            _display(codes, assessment, previous, lang))
