"""The report's tables, built from ``Assessment.to_frame()`` and ``warnings_frame()``.

Each builder returns a pandas DataFrame keyed by stable English column names
(numbers stay numbers, so Excel can compute with them); :func:`header` gives
each column's Chinese, English or bilingual heading, and :func:`display_targets`
/ :func:`display_warnings` turn the numbers into the text the HTML and
Markdown reports print. Nothing is recomputed: every number comes from the
assessment.

Examples
--------
>>> header("probability", "zh"), header("probability", "both")
('实现概率', '实现概率 Probability')
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, cast

import pandas as pd

from hbkit._names import catalogue_area_names, lower_first
from hbkit._options import check_choice
from hbkit.report.formatting import (
    DASH,
    difference_unit,
    format_change,
    format_interval,
    format_probability,
    format_value,
    is_missing,
    number,
)
from hbkit.report.wording import (
    STATUS_ORDER,
    TEXTS,
    convention_label,
    domain_label,
    geo_label,
    heading_label,
    model_label,
    number_label,
    plan_label,
    scale_label,
    status_words,
    text,
    unit_label,
    warning_label,
)
from hbkit.status import STATUS_VARIANTS
from hbkit.warnings_rules import p_value_texts
from hbkit.warnings_rules.levels import NOTE_SENTENCE

#: column key -> (中文, English) heading
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "target_id": ("目标编号", "Target id"),
    "plan": ("规划", "Plan"),
    "domain": ("领域", "Domain"),
    "group": ("领域", "Domain"),
    "name": ("指标", "Indicator"),
    "geo": ("地区", "Area"),
    "geo_text": ("地区", "Area"),
    "text_zh": ("规划条文", "Plan clause"),
    "kind": ("目标类型", "Kind"),
    "unit": ("单位", "Unit"),
    "target_value": ("目标值", "Target value"),
    "rule": ("判定规则", "Rule judged"),
    "target_year": ("目标年份", "Target year"),
    "baseline_year": ("基期年份", "Baseline year"),
    "baseline_value": ("基期值", "Baseline value"),
    "latest_year": ("最新年份", "Latest year"),
    "latest_value": ("最新值", "Latest value"),
    "n_obs": ("观测年数", "Years observed"),
    "projected": ("预测值", "Projected"),
    "interval_80": ("80%区间", "80% interval"),
    "interval_95": ("95%区间", "95% interval"),
    "lo_80": ("80%下限", "80% lower"),
    "hi_80": ("80%上限", "80% upper"),
    "lo_95": ("95%下限", "95% lower"),
    "hi_95": ("95%上限", "95% upper"),
    "probability": ("实现概率", "Probability"),
    "status": ("状态", "Status"),
    "status_text": ("状态", "Status"),
    "warnings": ("预警", "Warnings"),
    "warning": ("预警", "Warning"),
    "explanation": ("预警说明", "Explanation"),
    # the notes on the data (终期评估: a fluctuation on a target achieved on its observed value)
    "note": ("数据说明", "Note on the data"),
    "note_text": ("说明", "Explanation"),
    "numbers": ("依据数字", "Numbers behind it"),
    "eurostat_ratio": ("Eurostat比率", "Eurostat ratio"),
    "eurostat_band": ("Eurostat分档", "Eurostat band"),
    "unsd_band": ("UNSD分档", "UNSD band"),
    "dns_symbol": ("DNS天气符号", "DNS symbol"),
    "required_annual_change": ("所需年均变化", "Required annual change"),
    "achieved_annual_change": ("实际年均变化", "Achieved annual change"),
    "method": ("模型", "Model"),
    "scale": ("建模尺度", "Scale"),
    "reason": ("说明", "Reason"),
    "outcome": ("判定结果", "Outcome"),
    "indicator": ("指标编号", "Indicator id"),
    "total": ("合计", "Total"),
    "year": ("年份", "Year"),
    "value": ("数值", "Value"),
    "numerator": ("分子", "Numerator"),
    "denominator": ("分母", "Denominator"),
    "source": ("来源", "Source"),
    "file": ("文件", "File"),
    "row": ("行号", "Row"),
    "column": ("列", "Column"),
    "unit_geo": ("下级单位编码", "Sub-unit code"),
    "unit_name": ("街道/单位", "Street / unit"),
    "n_areas": ("地区数", "Areas"),
    "change": ("变化", "Change"),
    "status_before": ("上次状态", "Status then"),
    "status_now": ("本次状态", "Status now"),
    "probability_before": ("上次实现概率", "Probability then"),
    "probability_now": ("本次实现概率", "Probability now"),
    "warnings_added": ("新增预警", "Warnings added"),
    "warnings_removed": ("解除预警", "Warnings cleared"),
}

#: columns of warnings_frame() that are not "numbers behind the warning"
_WARNING_KEYS = ("target_id", "geo", "geo_en", "code", "level", "text_zh", "text_en", "as_of")
#: separator of the numbers behind a warning in the ``numbers`` text
NUMBERS_SEPARATOR = "; "


def is_final(assessment: Any) -> bool:
    """Whether ``assessment`` is the final evaluation (终期评估): its year reaches every target year.

    >>> from types import SimpleNamespace
    >>> is_final(SimpleNamespace(final=True)), is_final(SimpleNamespace())
    (True, False)
    """
    return bool(getattr(assessment, "final", False))


def no_warnings_key(assessment: Any) -> str:
    """The text key of an empty warning list: 本年度无预警 in a year's monitoring report,
    终期评估无预警 in the final evaluation (no "this year" then).

    >>> from types import SimpleNamespace
    >>> no_warnings_key(SimpleNamespace(final=True)), no_warnings_key(SimpleNamespace())
    ('no_warnings_final', 'no_warnings')
    """
    return "no_warnings_final" if is_final(assessment) else "no_warnings"


def report_text(assessment: Any, key: str, lang: str = "zh", **fields: Any) -> str:
    """The report text ``key``, in the final evaluation's words where it has its own.

    The annual monitoring report says 监测年份 and 共监测 271 项; the final evaluation
    (终期评估) is no monitoring: it reads ``key + "_final"`` (评估年份, 终期评估共 271 项)
    when :data:`~hbkit.report.wording.TEXTS` has it, else ``key``.

    >>> from types import SimpleNamespace
    >>> report_text(SimpleNamespace(final=True), "as_of"), report_text(SimpleNamespace(), "as_of")
    ('评估年份', '监测年份')
    >>> report_text(SimpleNamespace(final=True), "overview", "en")
    'Overview'
    """
    final_key = f"{key}_final"
    return text(final_key if is_final(assessment) and final_key in TEXTS else key, lang, **fields)


def final_rule_text(assessment: Any, lang: str = "zh") -> str:
    """How the final evaluation decides 已实现 / 未实现 (empty for the annual report)."""
    if not is_final(assessment):
        return ""
    years = assessment.to_frame()["target_year"].dropna()
    year = int(years.max()) if len(years) else assessment.as_of
    return text("final_rule", lang, year=year)


def area_names(assessment: Any) -> dict[str, str]:
    """English names of areas the assessment's catalogue gives (its ``default_geo_en``),
    as the ``geo_en`` columns of its tables use them (:func:`hbkit._names.catalogue_area_names`).

    >>> from types import SimpleNamespace
    >>> cat = SimpleNamespace(default_geo="某某区", default_geo_en="Moumou District")
    >>> area_names(SimpleNamespace(catalogue=cat))
    {'某某区': 'Moumou District'}
    """
    return catalogue_area_names(getattr(assessment, "catalogue", None))


def levels_text(assessment: Any) -> str:
    """The interval levels as printed, e.g. ``80%/95%``."""
    return "/".join(f"{float(v):g}%" for v in getattr(assessment, "level", (80, 95)))


def data_last_year(assessment: Any) -> int | None:
    """The latest year of the data the report used: the latest of its targets' latest values
    (``None`` when no target has a value).

    >>> from types import SimpleNamespace
    >>> rows = pd.DataFrame({"latest_year": [2022.0, 2023.0, None]})
    >>> data_last_year(SimpleNamespace(to_frame=lambda: rows))
    2023
    >>> data_last_year(SimpleNamespace(to_frame=lambda: rows.iloc[2:])) is None
    True
    """
    years = pd.to_numeric(assessment.to_frame()["latest_year"], errors="coerce").dropna()
    return int(years.max()) if len(years) else None


def status_meanings(assessment: Any, lang: str = "zh") -> str:
    """What the statuses mean, said where the report counts them (its overview): the final
    evaluation's rule (:func:`final_rule_text`), else the annual monitoring's status rule.

    >>> from types import SimpleNamespace
    >>> status_meanings(SimpleNamespace(final=False), "en")[:40]
    'Statuses: achieved when the latest value'
    """
    final = final_rule_text(assessment, lang)
    return final or text("methods_statuses", lang).strip()


#: statuses whose warned targets need action (the annual report says so in its warning list)
ACTION_STATUSES: tuple[str, ...] = ("off_track", "at_risk")


def warnings_lead(assessment: Any, shown: pd.DataFrame, lang: str = "zh") -> str:
    """The warning list's first sentence: how many targets the warnings concern, by status
    in the list's order (:func:`warnings_table`: off track, at risk, then the others); in the
    annual report, that those off track or at risk come first and need action first.

    ``shown`` is the printed warning list (:func:`display_warnings`, notes left out); empty
    when it has no rows.
    """
    if shown.empty:
        return ""
    targets = shown.drop_duplicates(["target_id", "geo"])
    counts = targets["status"].astype(str).value_counts()
    order = list(dict.fromkeys([*ACTION_STATUSES, *STATUS_ORDER, *counts.index]))
    words = [(heading_label(assessment, s, lang), int(counts[s])) for s in order if s in counts]
    parts = ("，".join(f"{w} {n} 项" for w, n in words) if lang == "zh"
             else ", ".join(f"{n} {w}" for w, n in words))
    lead = text("warnings_lead", lang, n=len(targets), parts=parts,
                targets="target" if len(targets) == 1 else "targets")
    action = [heading_label(assessment, s, lang) for s in ACTION_STATUSES if s in counts]
    if action and not is_final(assessment):
        statuses = "、".join(action) if lang == "zh" else " or ".join(action)
        lead += ("" if lang == "zh" else " ") + text("warnings_action", lang, statuses=statuses)
    return lead


def projected_rows(frame: pd.DataFrame) -> list[bool]:
    """Per row of ``to_frame()``, whether its probability comes from a projection (it has
    one, and observed values have not decided the target)."""
    return [not is_missing(r.get("probability")) and not is_decided(r)
            for r in frame.to_dict("records")]


def has_projected_rows(assessment: Any) -> bool:
    """Whether a row's probability comes from a projection (not decided by observed values).

    >>> from types import SimpleNamespace
    >>> rows = pd.DataFrame({"status": ["achieved", "on_track"], "latest_year": [2025, 2024],
    ...                      "target_year": [2025] * 2, "probability": [1.0, 0.9]})
    >>> has_projected_rows(SimpleNamespace(to_frame=lambda: rows))
    True
    >>> has_projected_rows(SimpleNamespace(to_frame=lambda: rows.iloc[:1]))
    False
    """
    return any(projected_rows(assessment.to_frame()))


def methods_paragraphs(assessment: Any, lang: str = "zh") -> list[str]:
    """The methods section's paragraphs: the models and the status rules, then how the
    probabilities were validated.

    The final evaluation (终期评估) states its own status rule (已实现 / 未实现 on the
    observed values) and what the official-convention labels say from the target year
    on (the outcome). The models, the probabilities and intervals and their validation
    come only when some target is judged on a projection (its target-year value is
    missing): a final evaluation decided entirely by observed values shows none.
    """
    levels = levels_text(assessment)
    if not is_final(assessment):
        return [text("methods_text", lang, levels=levels, statuses=text("methods_statuses", lang),
                     conventions=text("methods_conventions", lang)),
                text("validation_text", lang)]
    conventions = text("methods_conventions_final", lang)
    if not has_projected_rows(assessment):
        return [text("methods_statuses_final_observed", lang) + conventions]
    models = text("methods_text", lang, levels=levels,
                  statuses=text("methods_statuses_final", lang), conventions=conventions)
    return [text("methods_models_final", lang) + models, text("validation_text", lang)]


def methods_scales(assessment: Any, lang: str = "zh") -> pd.DataFrame:
    """The methods section's table of models and scales (:func:`scales_table`).

    At the final evaluation only the series judged on a projection (the rows
    :func:`has_projected_rows` counts): a target decided by its observed target-year
    value used no model (an empty table: no table shown).
    """
    if is_final(assessment):
        frame = assessment.to_frame()
        assessment = _RowsOf(assessment, frame[projected_rows(frame)].reset_index(drop=True))
    return scales_table(assessment, lang)


def header(key: str, lang: str = "zh") -> str:
    """Heading of a column: ``zh``, ``en`` or ``both`` (Chinese then English).

    >>> header("status", "en")
    'Status'
    """
    check_choice("lang", lang, ("zh", "en", "both"))
    zh, en = COLUMN_LABELS.get(key, (key, key))
    return {"zh": zh, "en": en, "both": f"{zh} {en}"}[lang]


def _status_words(frame: pd.DataFrame, lang: str) -> list[str]:
    """Status words per row: the assessment's own Chinese wording, English by lookup."""
    words = []
    for record in frame.to_dict("records"):
        zh = record.get("status_zh")
        early = (record.get("status") == "achieved" and not is_missing(record.get("latest_year"))
                 and not is_missing(record.get("target_year"))
                 and int(record["latest_year"]) < int(record["target_year"]))
        words.append(status_words(str(record.get("status", "")),
                                  None if is_missing(zh) else str(zh), lang, early))
    return words


def group_labels(frame: pd.DataFrame, lang: str = "zh", short: bool = False) -> pd.Series:
    """Plan and domain of each row: ``妇女发展规划 · 健康``, or ``妇女·健康`` when ``short``."""
    out = []
    for record in frame.to_dict("records"):
        domain_zh = record.get("domain_zh")
        domain = domain_label(record.get("domain"), lang,
                              "" if is_missing(domain_zh) else str(domain_zh))
        plan = record.get("plan")
        if is_missing(plan):
            out.append(domain)
        elif not short:
            out.append(f"{plan_label(plan, lang)} · {domain}")
        elif lang == "zh":
            out.append(f"{plan_label(plan, 'zh')[:2]}·{domain}")
        else:
            out.append(f"{str(plan).capitalize()} · {domain}")
    return pd.Series(out, index=frame.index, dtype=object)


#: statuses of a projection, empty at the final evaluation unless a target year is unobserved
_PROJECTED_STATUSES = frozenset({"on_track", "at_risk"})


def shown_statuses(assessment: Any) -> list[str]:
    """The statuses the summaries list, in :data:`STATUS_ORDER`.

    Every status in the annual report; at the final evaluation (终期评估) the
    projection statuses (有望实现, 存在风险) only when some row has them: an
    observed target-year value decides every other row.
    """
    if not is_final(assessment):
        return list(STATUS_ORDER)
    present = set(assessment.to_frame()["status"].astype(str))
    return [s for s in STATUS_ORDER if s not in _PROJECTED_STATUSES or s in present]


def status_summary(assessment: Any, lang: str = "zh", short: bool = False,
                   totals: bool = True, geo: Any = None) -> pd.DataFrame:
    """Counts by plan·domain (rows, catalogue order) x status (columns).

    Columns are the status codes of :func:`shown_statuses` (every one, even at
    0, except the projection statuses no row has at the final evaluation); with
    ``totals`` a ``total`` column and a last row (合计 / Total) sum them. With
    ``geo``, the rows of that area only.
    """
    from hbkit.assessment.result import rows_of_area

    frame = rows_of_area(assessment.to_frame(), geo)
    groups = group_labels(frame, lang, short=short)
    table = pd.crosstab(groups, frame["status"]).reindex(
        index=list(dict.fromkeys(groups)), columns=shown_statuses(assessment), fill_value=0
    )
    table.index.name = header("domain", lang)
    table.columns.name = None
    if not totals:
        return table.astype(int)
    table["total"] = table.sum(axis=1)
    table.loc[text("total", lang)] = table.sum(axis=0)
    table.index.name = header("domain", lang)
    table.columns.name = None
    return table.astype(int)


def status_totals(assessment: Any) -> dict[str, int]:
    """Number of rows (target x geo) in each status of :func:`shown_statuses`.

    Any status outside the known list is counted too, never dropped.
    """
    counts = assessment.to_frame()["status"].value_counts()
    out = {status: int(counts.get(status, 0)) for status in shown_statuses(assessment)}
    for status, count in counts.items():
        out.setdefault(str(status), int(count))
    return out


def targets_table(assessment: Any, lang: str = "zh") -> pd.DataFrame:
    """Every target x geo, in catalogue order, with numbers kept as numbers.

    Adds ``group`` (plan · domain), ``name`` (in ``lang``), ``status_text``,
    ``warnings_text``, ``target_value`` (the value the assessment judged
    against, e.g. the 2020 value for 逐步提高), ``target_text`` (what the target
    asks, in words with that value: 高于2020年（95.2%）,
    :func:`hbkit.report.target_text.target_text`) and ``rule`` (the event judged,
    in words) to the assessment's columns. ``warnings_text`` marks a note on the
    data (终期评估) as one: 波动较大（数据说明）.
    """
    frame = assessment.to_frame().copy()
    frame["group"] = group_labels(frame, lang)
    name_zh, name_en = frame["name_zh"].fillna(""), frame["name_en"].fillna("")
    first, second = (name_zh, name_en) if lang == "zh" else (name_en, name_zh)
    frame["name"] = first.where(first != "", second).where(lambda s: s != "", frame["target_id"])
    frame["status_text"] = _status_words(frame, lang)
    notes = note_keys(assessment)
    frame["warnings_text"] = [
        ("、" if lang == "zh" else ", ").join(
            warning_label(code, lang) + (text("note_suffix", lang)
                                         if (target_id, geo, code) in notes else "")
            for code in str(codes).split(";") if code)
        if not is_missing(codes) else ""
        for target_id, geo, codes in zip(frame["target_id"], frame["geo"], frame["warnings"],
                                         strict=True)
    ]
    if "target_value" not in frame.columns:
        frame["target_value"] = [_target_value(assessment, r) for r in frame.to_dict("records")]
    frame["target_text"] = target_texts(assessment, frame, lang)
    frame["rule"] = _rules(assessment, frame["target_id"], lang, frame["baseline_value"])
    catalogue = getattr(assessment, "catalogue", None)
    each_unit = set() if catalogue is None else {t.id for t in catalogue if t.each_unit}
    frame["worst_unit"] = frame["target_id"].isin(each_unit)
    order = {group: i for i, group in enumerate(dict.fromkeys(frame["group"]))}
    frame["_order"] = frame["group"].map(order)
    return frame.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


_BOUND_KINDS = ("upper_bound", "lower_bound", "level", "maintain", "count_minimum")


def warning_levels_of(warnings: pd.DataFrame) -> pd.Series:
    """The ``level`` of each row of a warnings table (``"warning"`` where a table kept from
    before levels has none).

    >>> warning_levels_of(pd.DataFrame({"code": ["fluctuation"]})).tolist()
    ['warning']
    """
    if "level" not in warnings.columns:
        return pd.Series("warning", index=warnings.index, dtype=object)
    return warnings["level"].fillna("warning").astype(object)


def note_keys(assessment: Any) -> set[tuple[Any, Any, str]]:
    """(target_id, geo, code) of the assessment's warnings that are notes on the data
    (``level == "note"``, :mod:`hbkit.warnings_rules.levels`)."""
    warnings = assessment.warnings_frame()
    notes = warnings[(warning_levels_of(warnings) == "note").to_numpy()]
    return set(zip(notes["target_id"], notes["geo"], notes["code"].astype(str), strict=True))


def split_notes(shown: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A printed warning list (:func:`display_warnings`) split into its early warnings and
    its notes on the data (终期评估: a fluctuation on a target achieved on its observed
    target-year value), each with its own index from 0. The notes' ``warning`` and
    ``explanation`` are called ``note`` and ``note_text`` (:func:`note_columns`).

    >>> table = pd.DataFrame({"warning": ["波动较大", "波动较大"], "explanation": ["甲", "乙"],
    ...                       "level": ["note", "warning"]})
    >>> listed, notes = split_notes(table)
    >>> listed["explanation"].tolist(), notes["note_text"].tolist()
    (['乙'], ['甲'])
    """
    note = (warning_levels_of(shown) == "note").to_numpy()
    notes = shown[note].rename(columns={"warning": "note", "explanation": "note_text"})
    return shown[~note].reset_index(drop=True), notes.reset_index(drop=True)


def note_columns(assessment: Any) -> list[str]:
    """Columns of the printed notes on the data: those of :func:`warning_columns`, with the
    warning and its explanation as the note and its text."""
    names = {"warning": "note", "explanation": "note_text"}
    return [names.get(c, c) for c in warning_columns(assessment)]


def _target_value(assessment: Any, record: dict[str, Any]) -> float:
    """The value the target asks for, as the assessment judged it (its SeriesView)."""
    from hbkit.exceptions import HbkitError

    if record.get("status") not in ("not_quantifiable", "no_data"):
        try:
            return float(assessment.series(record["target_id"], record["geo"]).target_value)
        except (HbkitError, AttributeError, TypeError, ValueError):
            pass
    threshold = record.get("threshold")
    if threshold is None or is_missing(threshold) or record.get("kind") not in _BOUND_KINDS:
        return math.nan
    return float(threshold)


def target_texts(assessment: Any, frame: pd.DataFrame, lang: str) -> list[str]:
    """What each row's target asks, in words of ``lang``, with the number it is judged against
    (``frame``: :func:`targets_table` rows with ``target_id`` and ``target_value``)."""
    from hbkit.report.target_text import target_text

    catalogue = getattr(assessment, "catalogue", None)
    known = {} if catalogue is None else {t.id: t for t in catalogue}
    names = indicator_names(known.values())
    out = []
    for target_id, value, unit in zip(frame["target_id"], frame["target_value"], frame["unit"],
                                      strict=True):
        target = known.get(target_id)
        if target is None:  # an assessment without its catalogue: the number, as judged
            out.append(format_value(value, unit, lang))
            continue
        out.append(target_text(target, value, lang,
                               names.get(str(target.reference_indicator))))
    return out


def _rules(assessment: Any, target_ids: pd.Series, lang: str,
           baselines: Iterable[Any] | None = None) -> list[str]:
    """The event each target is judged on, in words (``hbkit.attainment.rule_text``).

    Given each row's base-year value (``baselines``), a direction target's rule
    names the holding of its bound (2020年已为0时，保持0即达标) only on a row whose
    base-year value is at that bound (or unknown): elsewhere it does not apply.
    """
    from hbkit.attainment import direction_bound, rule_text

    catalogue = getattr(assessment, "catalogue", None)
    known = {} if catalogue is None else {t.id: t for t in catalogue}
    names = indicator_names(known.values())
    base: list[Any] = [None] * len(target_ids) if baselines is None else list(baselines)
    out = []
    for target_id, value in zip(target_ids, base, strict=True):
        target = known.get(target_id)
        if target is None or not target.is_quantitative:
            out.append("")
            continue
        held = None
        if target.kind == "direction" and not is_missing(value):
            held = abs(float(value) - direction_bound(target)) <= 1e-7
        zh, en = rule_text(target, names.get(str(target.reference_indicator)), held=held)
        out.append(zh if lang == "zh" else en)
    return out


#: statuses an observed target-year value can decide
_DECIDED_STATUSES = ("achieved", "off_track")


def is_decided(record: Mapping[Hashable, Any]) -> bool:
    """Whether a row's outcome is decided by its observed target-year value (终期评估).

    True for an achieved or off-track row whose latest observed year is the
    target year or later: its status comes from the observed value by the
    plan's rule, not from a projection. Not for an off-track row worded
    难以实现 (``status_zh``): the target year is observed, but a year the rule
    needs (the baseline) is not, so its status follows the model's probability.

    >>> is_decided({"status": "off_track", "latest_year": 2025, "target_year": 2025})
    True
    >>> is_decided({"status": "off_track", "status_zh": "难以实现", "latest_year": 2025,
    ...             "target_year": 2025})
    False
    >>> is_decided({"status": "achieved", "latest_year": 2023, "target_year": 2025})
    False
    """
    if record.get("status") not in _DECIDED_STATUSES or not target_year_observed(record):
        return False
    # off track on the model's probability (a baseline year missing) is worded 难以实现: the
    # observed values did not decide it, and its probability is the finding
    worded = record.get("status_zh")
    return (record.get("status") == "achieved" or is_missing(worded)
            or worded == STATUS_VARIANTS[("off_track", "final")][0])


def target_year_observed(record: Mapping[Hashable, Any]) -> bool:
    """Whether a row's latest observed year is its target year or later (终期评估).

    Its "projection" for the target year is then the observed value, with an interval of
    width 0: no forecast, whatever its status (a row the rule cannot judge, 数据不足, has
    one too), so the reports print a dash there and the latest value gives the number.

    >>> target_year_observed({"status": "insufficient_data", "latest_year": 2025,
    ...                       "target_year": 2025})
    True
    >>> target_year_observed({"latest_year": 2023, "target_year": 2025})
    False
    """
    latest, target = record.get("latest_year"), record.get("target_year")
    if is_missing(latest) or is_missing(target):
        return False
    return float(cast(float, latest)) >= float(cast(float, target))


def observed_keys(assessment: Any) -> set[tuple[str, str]]:
    """``(target_id, geo)`` of the rows whose target year is observed (:func:`target_year_observed`)."""
    frame = assessment.to_frame()
    return {(str(r["target_id"]), str(r["geo"])) for r in frame.to_dict("records")
            if target_year_observed(r)}


def decided_keys(assessment: Any) -> set[tuple[str, str]]:
    """``(target_id, geo)`` of the rows decided by an observed target-year value (:func:`is_decided`).

    >>> from types import SimpleNamespace
    >>> rows = pd.DataFrame({"target_id": ["a", "b"], "geo": ["河北区"] * 2,
    ...                      "status": ["achieved"] * 2, "latest_year": [2025, 2023],
    ...                      "target_year": [2025] * 2})
    >>> decided_keys(SimpleNamespace(to_frame=lambda: rows))
    {('a', '河北区')}
    """
    frame = assessment.to_frame()
    return {(str(r["target_id"]), str(r["geo"])) for r in frame.to_dict("records")
            if is_decided(r)}


class _RowsOf:
    """An assessment seen through some of its rows: ``frame`` and ``to_frame()`` give only them.

    Everything else (``final``, ``catalogue``, ``level``, ...) is the assessment's own.
    """

    def __init__(self, assessment: Any, frame: pd.DataFrame) -> None:
        self._assessment = assessment
        self.frame = frame

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._assessment, name)


def without_decided(assessment: Any) -> Any:
    """The assessment without its rows decided by an observed target-year value (:func:`is_decided`).

    What the probability chart shows at the final evaluation (终期评估): a
    decided row's probability of 1 or 0 is an outcome, not a forecast. The
    assessment itself when no row is decided.
    """
    frame = assessment.to_frame()
    decided = pd.Series([is_decided(r) for r in frame.to_dict("records")], index=frame.index,
                        dtype=bool)
    if not decided.any():
        return assessment
    return _RowsOf(assessment, frame[~decided].reset_index(drop=True))


def _outcome(record: Mapping[Hashable, Any], lang: str) -> str:
    """Rule met / not met for a decided row (empty for any other row)."""
    if not is_decided(record):
        return ""
    return text("rule_met" if record.get("status") == "achieved" else "rule_not_met", lang)


def indicator_names(targets: Iterable[Any]) -> dict[str, tuple[str, str]]:
    """Indicator id -> (Chinese, English) name, from the first target judged on it.

    The English name starts in lower case, as it is printed inside a sentence.
    A relational target's own names of its reference indicator
    (``reference_name_zh`` / ``reference_name_en``) name the reference where
    no target is judged on it.

    Examples
    --------
    >>> from hbkit.catalogue.models import Target
    >>> t = Target(id="t", indicator="members", kind="lower_bound", threshold=35,
    ...            unit="percent", name_zh="女党员比例", name_en="Female share of Party members")
    >>> indicator_names([t])["members"]
    ('女党员比例', 'female share of Party members')
    """
    out: dict[str, tuple[str, str]] = {}
    targets = list(targets)
    for target in targets:
        if target.indicator and target.indicator not in out and (target.name_zh or target.name_en):
            out[target.indicator] = (target.name_zh, lower_first(target.name_en))
    for target in targets:
        ref = target.reference_indicator
        if ref and ref not in out and (target.reference_name_zh or target.reference_name_en):
            out[ref] = (target.reference_name_zh, target.reference_name_en)
    return out


def display_targets(table: pd.DataFrame, lang: str = "zh", levels: tuple[float, ...] = (80, 95),
                    names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Text of every column the report prints for each target (from :func:`targets_table`).

    ``names`` gives English names of areas (:func:`area_names`).

    A row decided by its observed target-year value (:func:`is_decided`) prints
    no projection, interval or probability (a dash) and says in ``outcome``
    whether the rule was met.
    """
    rows = []
    for r in table.to_dict("records"):
        unit = r.get("unit")
        latest = format_value(r.get("latest_value"), unit, lang)
        projected = format_value(r.get("projected"), unit, lang)
        # an each-unit target (以街为单位) is judged on its worst unit: say so beside the numbers
        worst = bool(r.get("worst_unit", False))
        if latest != DASH and not is_missing(r.get("latest_year")):
            year = int(r["latest_year"])
            latest += (f"（{year}，最差单位）" if worst else f"（{year}）") if lang == "zh" else (
                f" ({year}, worst unit)" if worst else f" ({year})")
        if worst and projected != DASH:
            projected += "（最差单位）" if lang == "zh" else " (worst unit)"
        row = {
            "target_id": r["target_id"],
            "group": r["group"],
            "name": r["name"],
            "geo": r.get("geo", ""),
            "geo_text": _geo_text(r.get("geo"), lang, names),
            "unit": unit,
            "text_zh": r.get("text_zh", "") or "",
            "target_value": (r["target_text"] if isinstance(r.get("target_text"), str)
                             else format_value(r.get("target_value"), unit, lang)),
            "rule": r.get("rule", ""),
            "latest_value": latest,
            "projected": projected,
            "probability": format_probability(r.get("probability")),
            "status": r["status"],
            "status_text": r["status_text"],
            "warnings": r["warnings_text"],
            **_conventions(r, lang),
            "eurostat_ratio": number(r.get("eurostat_ratio"), 2),
            "required_annual_change": format_change(r.get("required_annual_change"), unit, lang),
            "achieved_annual_change": format_change(r.get("achieved_annual_change"), unit, lang),
            "reason": reason_text(r, lang),
            "decided": is_decided(r),
            "outcome": _outcome(r, lang),
        }
        for level in levels:
            key = f"{float(level):g}"
            row[f"interval_{key}"] = format_interval(r.get(f"lo_{key}"), r.get(f"hi_{key}"),
                                                     unit, lang, projected=r.get("projected"))
        if row["decided"] or target_year_observed(r):
            row = _without_projection(row, probability=row["decided"])
        rows.append(row)
    return pd.DataFrame(rows)


def _without_projection(row: dict[str, Any], probability: bool = True) -> dict[str, Any]:
    """A row's text with a dash for its projection and intervals, and for its probability
    too unless ``probability`` is false (a row whose target year is observed but whose
    status still comes from the model, e.g. a missing baseline, keeps its probability)."""
    hidden = ("projected", *(k for k in row if k.startswith("interval_")),
              *(("probability",) if probability else ()))
    return {**row, **dict.fromkeys(hidden, DASH)}


def reason_text(record: Mapping[Hashable, Any], lang: str = "zh") -> str:
    """The row's reason in ``lang`` (``reason_zh`` / ``reason_en``); empty when it has none.

    Rows without the one-language columns (an older frame) give their bilingual ``reason``.

    >>> row = {"reason": "无数据 / no data", "reason_zh": "无数据", "reason_en": "no data"}
    >>> reason_text(row, "zh"), reason_text(row, "en"), reason_text({"reason": None})
    ('无数据', 'no data', '')
    """
    check_choice("lang", lang, ("zh", "en"))
    for key in (f"reason_{lang}", "reason"):
        if key in record:
            value = record.get(key)
            return "" if is_missing(value) else str(value)
    return ""


def _conventions(record: Mapping[Hashable, Any], lang: str) -> dict[str, str]:
    """The official-convention labels as printed; none for qualitative targets."""
    columns = ("eurostat_band", "unsd_band", "dns_symbol")
    if record.get("status") == "not_quantifiable":
        return dict.fromkeys(columns, DASH)
    return {c: convention_label(c, record.get(c), lang) for c in columns}


def warnings_table(assessment: Any, lang: str = "zh") -> pd.DataFrame:
    """The warning list: one row per warning, worst status first, with the numbers behind it.

    Columns: ``target_id, geo, group, name, status, status_text, code, level, warning,
    explanation, numbers`` (the extra columns of ``warnings_frame()`` as
    ``name=value`` text, named in ``lang``), then ``latest_value, projected, probability, unit``
    of the target, ``text_en`` (the English explanation, whatever ``lang``) and the
    extra columns themselves. Notes on the data (``level == "note"``, 终期评估) come
    after the early warnings (:func:`split_notes` parts them).
    """
    warnings = assessment.warnings_frame()
    targets = targets_table(assessment, lang)
    keep = ["target_id", "geo", "group", "name", "status", "status_zh", "status_text",
            "latest_value", "latest_year", "target_year", "projected", "probability", "unit", "text_zh"]
    merged = warnings.merge(targets[[c for c in keep if c in targets.columns]],
                            on=["target_id", "geo"], how="left", suffixes=("_warning", ""))
    extra = [c for c in warnings.columns if c not in _WARNING_KEYS]
    merged["level"] = warning_levels_of(merged).to_numpy()
    merged["warning"] = [warning_label(code, lang) for code in merged["code"]]
    explanation = "text_zh_warning" if lang == "zh" else "text_en"
    if explanation not in merged.columns:
        explanation = "text_zh" if lang == "zh" else "text_en"
    merged["explanation"] = merged[explanation].fillna("") if explanation in merged else ""
    merged["numbers"] = [_numbers_text(r, extra, lang) for r in merged.to_dict("records")]
    _word_missed_years(assessment, merged, lang)
    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    merged["_rank"] = [
        {"off_track": 0, "at_risk": 1}.get(str(s), 2 + rank.get(str(s), len(rank)))
        for s in merged["status"]
    ]
    merged["_note"] = merged["level"] == "note"  # notes on the data after the warnings
    merged = merged.sort_values(["_note", "_rank"], kind="stable").drop(columns=["_rank", "_note"])
    columns = ["target_id", "geo", "group", "name", "status", "status_text", "code", "level",
               "warning",
               "explanation", "numbers", "latest_value", "latest_year", "projected",
               "probability", "unit", "text_en", *extra]
    return merged[[c for c in dict.fromkeys(columns) if c in merged.columns]].reset_index(drop=True)


def _word_missed_years(assessment: Any, merged: pd.DataFrame, lang: str) -> None:
    """The numbers behind hard-to-reach warnings on every-year targets already broken
    (已有年份未达到): the observed years that broke the rule and their values
    (:func:`hbkit.attainment.missed_in_warnings`).

    Their explanation already names those years (the assessment words it,
    :func:`hbkit.warnings_rules.missed_year_text`); the probability of the
    remaining years is not their number, and their ``probability`` is left
    empty (the targets table keeps it, with the reason saying what it covers).
    Changes ``merged`` (the warning list being built) in place.
    """
    from hbkit.attainment import every_year_number, missed_in_warnings

    catalogue = getattr(assessment, "catalogue", None)
    if catalogue is None:
        return
    missed = missed_in_warnings(merged, assessment.frame, catalogue,
                                getattr(assessment, "observations", None))
    numbers = merged["numbers"].to_numpy(dtype=object).copy()
    probability = merged["probability"].to_numpy(dtype=float).copy()
    for i, (target, years) in missed.items():
        probability[i] = math.nan  # the remaining years' probability: not the target's
        show = format_change if target.kind == "annual_change" else format_value
        against = every_year_number(target)  # 94.96 against ≥95 never prints as 95.0
        numbers[i] = f"{number_label('missed_years', lang)}=" + ("、" if lang == "zh" else ", ").join(
            f"{where}{year}（{show(v, target.unit, lang, against)}）" if lang == "zh"
            else f"{where + ' ' if where else ''}{year} ({show(v, target.unit, lang, against)})"
            for year, v, where in years)
    merged["numbers"] = numbers
    merged["probability"] = probability


def _numbers_text(record: Mapping[Hashable, Any], columns: Iterable[str], lang: str) -> str:
    """The numbers behind one warning as ``name=value`` text, in ``columns`` order.

    Each number is the warning's own (a fluctuation warning carries no
    probability, even though its target has one). A row decided by its
    observed target-year value (:func:`is_decided`) gives no probability: its
    1 or 0 is an outcome, not a forecast.

    >>> row = {"status": "achieved", "latest_year": 2025, "target_year": 2025,
    ...        "probability_warning": 1.0, "last_year": 2025.0}
    >>> _numbers_text(row, ["probability", "last_year"], "zh")
    '最新年份=2025'
    >>> _numbers_text({**row, "latest_year": 2023}, ["probability", "last_year"], "zh")
    '实现概率>0.99; 最新年份=2025'
    >>> _numbers_text({"probability": 0.001, "p_value": 2.6e-18}, ["probability", "p_value"], "en")
    'probability<0.01; p-value<0.0001'

    A gap, a change or a scale in the indicator's own terms carries its unit, a percentage's
    in percentage points (as the warning's text words it):

    >>> gap = {"unit": "percent", "expected_shortfall": 2.52, "required_annual_change": -0.77}
    >>> _numbers_text(gap, ["expected_shortfall", "required_annual_change"], "zh")
    '预计平均差距=2.52个百分点; 所需年均变化=-0.77个百分点'
    >>> _numbers_text({"unit": "per_100k", "robust_scale": 1.1}, ["robust_scale"], "en")
    'robust scale=1.1 per 100,000'
    """
    decided = is_decided(record)
    parts = []
    for column in columns:
        # a number the targets table has too was renamed by the merge: the warning's own
        value = record.get(f"{column}_warning", record.get(column))
        if is_missing(value) or (decided and column == "probability"):
            continue
        shown = _short(value, column)
        if column in IN_UNITS and isinstance(value, float | int):
            shown += difference_unit(record.get("unit"), lang)
        relation = "" if shown.startswith(("<", ">")) else "="  # 实现概率<0.01, not =<0.01
        parts.append(f"{number_label(column, lang)}{relation}{shown}")
    return NUMBERS_SEPARATOR.join(parts)


#: numbers behind a warning in the indicator's own terms: they print with its unit
IN_UNITS = frozenset({"expected_shortfall", "required_annual_change", "achieved_annual_change",
                      "robust_scale", "last_change"})


def _geo_text(geo: Any, lang: str, names: Mapping[str, str] | None = None) -> str:
    """An area as printed: its own name (last part of the code), in English where known."""
    return "" if is_missing(geo) else geo_label(str(geo), lang, names)


#: warning numbers that are shares of the series' level (relative_scale 0.121: 12.1%)
_SHARE_OF_LEVEL = frozenset({"relative_scale", "swing_scale"})


def _short(value: Any, column: str = "") -> str:
    """A number behind a warning as the tables print it: probabilities like the
    probability column (rounded down, ``<0.01``), p-values like the warning's text
    (4 decimals, ``<0.0001``), years and counts whole.

    >>> _short(0.075, "probability"), _short(0.001, "probability"), _short(2023.0, "last_year")
    ('0.07', '<0.01', '2023')
    >>> _short(0.30712, "achieved_annual_change"), _short(6.0, "dispersion_df")
    ('0.307', '6')
    >>> _short(0.001823, "p_value"), _short(2.6e-18, "p_value")
    ('0.0018', '<0.0001')

    Shares of the level, as the fluctuation warning's text and the workbook give them, in percent:

    >>> _short(0.121, "relative_scale"), _short(0.0345, "swing_scale")
    ('12.1%', '3.5%')
    """
    if isinstance(value, float | int) and not isinstance(value, bool):
        if column == "probability":
            return format_probability(value)
        if column in _SHARE_OF_LEVEL and math.isfinite(float(value)):
            return f"{float(value) * 100:.1f}%"
        if column == "p_value":  # as the warning's text gives it
            return str(p_value_texts([value])[0]).removeprefix("=")
        return number(value) if not math.isinf(float(value)) else str(value)
    return str(value)


def warning_columns(assessment: Any) -> list[str]:
    """Columns of the printed warning list: no projection or probability at the final evaluation.

    At the final evaluation (终期评估) the observed target-year values decide
    the statuses, so the list gives the latest value only.
    """
    numbers = ["latest_value"] if is_final(assessment) else [
        "latest_value", "projected", "probability"]
    return ["name", "geo", "status_text", "warning", "explanation", "numbers", *numbers]


def display_warnings(table: pd.DataFrame, lang: str = "zh",
                     names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Text of the warning list as printed (from :func:`warnings_table`); ``names`` as in
    :func:`display_targets`. A note on the data (``level == "note"``) is printed without
    the sentence that says it is one (:data:`hbkit.warnings_rules.levels.NOTE_SENTENCE`):
    its section says so once."""
    rows = []
    note_sentence = NOTE_SENTENCE[0] if lang == "zh" else " " + NOTE_SENTENCE[1]
    for r in table.to_dict("records"):
        explanation = r.get("explanation", "")
        if r.get("level") == "note" and isinstance(explanation, str):
            # the notes' section says it once for all of them
            explanation = explanation.removesuffix(note_sentence)
        rows.append({
            "target_id": r["target_id"],
            "name": r.get("name", r["target_id"]),
            "geo": _geo_text(r.get("geo"), lang, names),
            "status": r.get("status", ""),
            "status_text": r.get("status_text", ""),
            "level": r.get("level", "warning"),
            "warning": r["warning"],
            "explanation": explanation,
            "numbers": r.get("numbers", ""),
            "latest_value": format_value(r.get("latest_value"), r.get("unit"), lang),
            "projected": format_value(r.get("projected"), r.get("unit"), lang),
            "probability": format_probability(r.get("probability")),
        })
    return pd.DataFrame(rows, columns=["target_id", "name", "geo", "status", "status_text",
                                       "level", "warning", "explanation", "numbers",
                                       "latest_value",
                                       "projected", "probability"])


#: the columns of :func:`scales_table` the reports print, in order
SCALES_COLUMNS: tuple[str, ...] = ("name", "unit", "method", "scale", "n_areas")


def scales_table(assessment: Any, lang: str = "zh") -> pd.DataFrame:
    """On which scale each series was modelled: one row per indicator x unit x model x scale.

    Columns :data:`SCALES_COLUMNS` in words of ``lang`` (the indicator's name,
    its unit, model and scale), then ``indicator``, the id. ``n_areas``
    counts the areas (district, streets) modelled that way. Qualitative
    targets and targets without data (no model) are left out.
    """
    frame = assessment.to_frame()
    modelled = frame[(frame["status"] != "not_quantifiable") & frame["indicator"].notna()
                     & frame["method"].notna()]
    keys = ["indicator", "unit", "method", "scale"]
    table = (modelled.drop_duplicates(subset=["indicator", "geo"])
             .groupby(keys, dropna=False, sort=False)["geo"].nunique()
             .rename("n_areas").reset_index())
    first = modelled.drop_duplicates(subset="indicator").set_index("indicator")
    names = {}
    for indicator, record in first.iterrows():
        zh, en = record.get("name_zh"), record.get("name_en")
        zh, en = ("" if is_missing(zh) else str(zh)), ("" if is_missing(en) else str(en))
        names[indicator] = (zh or en or str(indicator)) if lang == "zh" else (
            en or zh or str(indicator))
    table["name"] = table["indicator"].map(names)
    table["unit"] = [unit_label(u, lang) for u in table["unit"]]
    table["method"] = [model_label(m, lang) for m in table["method"]]
    table["scale"] = [scale_label(c, lang) for c in table["scale"]]
    return table[[*SCALES_COLUMNS, "indicator"]]


def units_table(assessment: Any, target_id: str | None = None, geo: str | None = None,
                lang: str = "zh") -> pd.DataFrame:
    """Sub-unit (street) detail of ``each_unit`` targets, from ``Assessment.unit_frame()``.

    Filtered to one target (and area) when given; adds ``unit_name``, the last
    part of the sub-unit's geo code (the street's name). Empty when the
    assessment has no sub-unit detail.
    """
    frame = assessment.unit_frame() if hasattr(assessment, "unit_frame") else pd.DataFrame()
    if frame.empty:
        return frame
    if target_id is not None:
        frame = frame[frame["target_id"] == target_id]
    if geo is not None:
        frame = frame[frame["geo"] == geo]
    frame = frame.copy()
    frame["unit_name"] = frame["unit_geo"].astype(str).str.split("/").str[-1]
    return frame.reset_index(drop=True)


def data_table(assessment: Any) -> pd.DataFrame | None:
    """The observations the assessment used (year <= as_of), or ``None`` if it keeps none."""
    for name in ("observations", "data"):
        value = getattr(assessment, name, None)
        if value is None:
            continue
        frame = value.to_frame() if hasattr(value, "to_frame") else value
        if isinstance(frame, pd.DataFrame):
            return frame.reset_index(drop=True)
    return None
