"""Statuses of a target and the one place where their thresholds live.

A target assessed at one area gets exactly one status:

==================  ==========  ===================================================
status              中文         rule (first that applies)
==================  ==========  ===================================================
not_quantifiable    定性目标     qualitative target: listed, never scored
no_data             无数据       no usable observation of the indicator
achieved            已实现       the latest value meets the target (and, for every-year
                                 kinds, no year of the plan period broke it);
                                 worded 提前实现 (achieved early) before the target year
off_track (final)   未实现       final evaluation (终期评估): the target year is observed
                                 and the plan's own rule is not met
off_track (broken)  已有年份未达到     an every-year rule (每年..., 保持...) already broken in an
                                 observed year of the plan period: it cannot be met any
                                 more, whatever the probability of the remaining years
insufficient_data   数据不足     the series cannot be judged; ``reason`` says why
on_track            有望实现     P(attain) >= ``rules.on_track`` (0.8)
at_risk             存在风险     ``rules.at_risk`` (0.5) <= P < ``rules.on_track``
off_track           难以实现     P < ``rules.at_risk``
==================  ==========  ===================================================

Every threshold used by the statuses and by the early warnings
(:mod:`hbkit.warnings_rules`) is a field of the frozen :class:`StatusRules`,
so a user changes them in one place: ``hbkit.assess(obs, rules=StatusRules(on_track=0.9))``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from hbkit._options import check_choice, real_number, whole_number
from hbkit._typing import STATUSES
from hbkit.exceptions import HbkitError

#: status -> (中文, English)
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "achieved": ("已实现", "achieved"),
    "on_track": ("有望实现", "on track"),
    "at_risk": ("存在风险", "at risk"),
    "off_track": ("难以实现", "off track"),
    "insufficient_data": ("数据不足", "insufficient data"),
    "no_data": ("无数据", "no data"),
    "not_quantifiable": ("定性目标", "not quantifiable"),
}

#: wording variants of a status: (status, variant) -> (中文, English)
STATUS_VARIANTS: dict[tuple[str, str], tuple[str, str]] = {
    ("achieved", "early"): ("提前实现", "achieved early"),
    ("off_track", "final"): ("未实现", "not achieved"),
    ("off_track", "not_yet"): ("尚未达到", "not yet met"),
    ("off_track", "broken"): ("已有年份未达到", "already missed in an observed year"),
    ("on_track", "met_so_far"): ("目前已达到", "met so far"),
}

#: the order in which summaries list statuses (best first): the order of ``Status``
STATUS_ORDER: tuple[str, ...] = STATUSES


@dataclass(frozen=True)
class StatusRules:
    """Thresholds of the statuses and of the early warnings, in one place.

    Parameters
    ----------
    on_track
        P(attain) at or above which a target is on track (有望实现).
    at_risk
        P(attain) at or above which (and below ``on_track``) a target is at
        risk (存在风险); below it, off track (难以实现).
    min_observations
        Fewest observed years needed to project a series; fewer gives
        ``insufficient_data`` with the reason (the model may ask for more).
    early_achievement
        When ``True`` (default), a target whose latest value already meets it
        before the target year is ``achieved`` (worded 提前实现), as in the
        Eurostat and UNSD conventions; when ``False`` only the target year's
        observed value can make a target achieved (every kind: a count rule
        met before the target year, which has no forecast, is then on track,
        worded 目前已达到, met so far).
    fluctuation_alpha
        Level of the overdispersion test of the fluctuation warning (波动较大):
        the warning fires when the test's p-value is at most it (p <= alpha,
        which makes the bootstrap test of small counts exact when
        ``(fluctuation_bootstrap + 1) * alpha`` is a whole number, as 200 x 0.01
        is). Under pure sampling noise the warning fires on about this share
        of series.
    fluctuation_min_expected
        Cochran's rule: when every expected count (events and non-events) is at
        least this, the chi-square distribution gives the p-value; otherwise a
        parametric bootstrap does.
    fluctuation_bootstrap
        Number of bootstrap replicates B for small counts; p = (1 + #{X2* >= X2})
        / (B + 1), so with 199 the p-values are multiples of 0.005.
    fluctuation_min_swing
        Series with counts: the swings must also be large in practice: the
        root-mean-square deviation of the observed proportions from the fitted
        trend, relative to the trend's mean level, at least this (2%). With
        very large denominators a tiny real variation is statistically
        significant but not a 波动较大 worth a warning.
    fluctuation_relative_scale
        Series without counts: the robust residual scale around the trend, as a
        share of the series' typical level, at or above which the swings count
        as large.
    fluctuation_min_reversals
        Series without counts: the fewest direction reversals of the year-on-year
        changes that, together with a large residual scale, make a fluctuation.
    moving_away_alpha
        One-sided level of the moving-away warning (偏离目标): the latest
        year-on-year change goes the wrong way by more than its sampling noise
        explains: the one-sided p-value is at most it.
    z_report
        Standardised year-on-year changes at least this large (in absolute
        value) are counted behind a fluctuation warning on counts
        (``n_large_changes``, worded "N个年变化超出抽样误差": one outlying year
        or swings every year).
    short_history
        Projected series with at most this many observed years (``n_obs``) get
        a caveat in ``reason``: in the backtests (``docs/validation.md``,
        sections 3-4) the probabilities of 3-4-year series were conservative
        (targets met more often than said) and their intervals wide. ``0``
        switches the caveat off.

    Examples
    --------
    >>> rules = StatusRules(on_track=0.9)
    >>> rules.on_track, rules.at_risk
    (0.9, 0.5)
    >>> StatusRules(on_track=0.4)
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: StatusRules 须满足 0 < at_risk ≤ on_track < 1；收到 at_risk=0.5, on_track=0.4 / StatusRules needs 0 < at_risk <= on_track < 1; received at_risk=0.5, on_track=0.4
    """

    on_track: float = 0.8
    at_risk: float = 0.5
    min_observations: int = 3
    early_achievement: bool = True
    fluctuation_alpha: float = 0.01
    fluctuation_min_expected: float = 5.0
    fluctuation_bootstrap: int = 199
    fluctuation_min_swing: float = 0.02
    fluctuation_relative_scale: float = 0.10
    fluctuation_min_reversals: int = 2
    moving_away_alpha: float = 0.025
    z_report: float = 1.96
    short_history: int = 4

    def __post_init__(self) -> None:
        self._read_numbers()
        if not 0 < self.at_risk <= self.on_track < 1:
            received = f"at_risk={self.at_risk}, on_track={self.on_track}"
            raise HbkitError(
                f"StatusRules 须满足 0 < at_risk ≤ on_track < 1；收到 {received} / "
                f"StatusRules needs 0 < at_risk <= on_track < 1; received {received}"
            )
        for name in ("fluctuation_alpha", "moving_away_alpha"):
            value = getattr(self, name)
            if not 0 < value < 0.5:
                raise HbkitError(f"StatusRules.{name} 须大于 0 且小于 0.5；收到 {value} / "
                                 f"StatusRules.{name} must lie in (0, 0.5); received {value}")
        if self.min_observations < 2:
            raise HbkitError(
                f"StatusRules.min_observations（最少观测年数）须不少于 2；收到 {self.min_observations} / "
                f"StatusRules.min_observations must be at least 2; received {self.min_observations}"
            )
        if self.short_history < 0:
            raise HbkitError(
                f"StatusRules.short_history 须不小于 0；收到 {self.short_history} / "
                f"StatusRules.short_history must be 0 or more; received {self.short_history}"
            )
        if not isinstance(self.early_achievement, bool | np.bool_):
            raise HbkitError(
                f"StatusRules.early_achievement 须为 True 或 False；收到 {self.early_achievement!r} / "
                f"StatusRules.early_achievement must be True or False; received "
                f"{self.early_achievement!r}"
            )
        object.__setattr__(self, "early_achievement", bool(self.early_achievement))
        for name, low, strict in (("fluctuation_min_expected", 0, False),
                                  ("fluctuation_min_swing", 0, False),
                                  ("fluctuation_relative_scale", 0, True),
                                  ("fluctuation_min_reversals", 0, False),
                                  ("z_report", 0, True)):
            value = getattr(self, name)
            if value < low or (strict and value == low):
                side_zh, side_en = ("大于", "greater than") if strict else ("不小于", "at least")
                raise HbkitError(f"StatusRules.{name} 须{side_zh} {low}；收到 {value} / "
                                 f"StatusRules.{name} must be {side_en} {low}; received {value}")
        if self.fluctuation_bootstrap < 19:
            raise HbkitError(
                f"StatusRules.fluctuation_bootstrap 须不少于 19；收到 {self.fluctuation_bootstrap} / "
                "StatusRules.fluctuation_bootstrap must be at least 19; received "
                f"{self.fluctuation_bootstrap}"
            )

    def _read_numbers(self) -> None:
        """Each number as the number it is or spells (``"0.9"`` is 0.9, ``4.0`` the whole
        number 4); anything else an error naming the field and the value
        (:func:`~hbkit._options.real_number`, :func:`~hbkit._options.whole_number`)."""
        for field in fields(self):
            read = {"float": real_number, "int": whole_number}.get(str(field.type))
            if read is not None:
                value = read(f"StatusRules.{field.name}", getattr(self, field.name))
                object.__setattr__(self, field.name, value)  # frozen: set once, here

    def as_dict(self) -> dict[str, float | int | bool]:
        """The thresholds as a plain dict (for reports and logs).

        >>> StatusRules().as_dict()["on_track"]
        0.8
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}


def status_from_probability(
    probability: npt.ArrayLike, rules: StatusRules | None = None
) -> npt.NDArray[np.str_]:
    """Map probabilities of attainment to on_track / at_risk / off_track.

    NaN probabilities give ``insufficient_data``.

    Examples
    --------
    >>> status_from_probability([0.95, 0.8, 0.79, 0.5, 0.49, float("nan")]).tolist()
    ['on_track', 'on_track', 'at_risk', 'at_risk', 'off_track', 'insufficient_data']
    """
    rules = rules or StatusRules()
    p = np.asarray(probability, dtype=float)
    out = np.full(p.shape, "insufficient_data", dtype=object)
    with np.errstate(invalid="ignore"):
        out[p >= rules.on_track] = "on_track"
        out[(p >= rules.at_risk) & (p < rules.on_track)] = "at_risk"
        out[p < rules.at_risk] = "off_track"
    return out.astype(str)


def classify(
    probability: npt.ArrayLike,
    *,
    quantitative: npt.ArrayLike,
    has_data: npt.ArrayLike,
    achieved: npt.ArrayLike,
    final_failed: npt.ArrayLike,
    judgeable: npt.ArrayLike,
    rules: StatusRules | None = None,
) -> npt.NDArray[np.str_]:
    """Status of each (target, area), vectorised; the first rule that applies wins.

    Parameters
    ----------
    probability
        P(attain) (NaN where not computed).
    quantitative
        ``False`` for qualitative targets.
    has_data
        Whether any usable observation exists.
    achieved
        The target is met by the observed data (see the module table).
    final_failed
        The target can no longer be met: the final evaluation observed the
        target year and the rule is not met, or an every-year rule was already
        broken in an observed year.
    judgeable
        The series could be projected (no ``reason`` against it).
    rules
        Thresholds; default :class:`StatusRules`.

    Examples
    --------
    >>> classify([0.9, 0.6, 0.1, 0.9, float("nan"), 0.2, 0.9],
    ...          quantitative=[1, 1, 1, 1, 1, 1, 0], has_data=[1, 1, 1, 1, 1, 0, 1],
    ...          achieved=[0, 0, 0, 1, 0, 0, 0], final_failed=[0, 0, 0, 0, 0, 0, 0],
    ...          judgeable=[1, 1, 1, 1, 0, 1, 1]).tolist()
    ['on_track', 'at_risk', 'off_track', 'achieved', 'insufficient_data', 'no_data', 'not_quantifiable']
    """
    out = status_from_probability(probability, rules).astype(object)
    out[~np.asarray(judgeable, dtype=bool)] = "insufficient_data"
    out[np.asarray(final_failed, dtype=bool)] = "off_track"
    out[np.asarray(achieved, dtype=bool)] = "achieved"
    out[~np.asarray(has_data, dtype=bool)] = "no_data"
    out[~np.asarray(quantitative, dtype=bool)] = "not_quantifiable"
    return out.astype(str)


def shared_variants(statuses: Any, worded: Any) -> dict[str, str]:
    """The wording variant every row of a status shares, for headings and totals.

    A total reads like its rows: when every *achieved* row is worded 提前实现,
    the heading says 提前实现 too. Statuses whose rows are worded differently
    (or plainly) are left out, and keep their plain label.

    Parameters
    ----------
    statuses
        Status codes, one per row.
    worded
        The rows' Chinese status words (``status_zh`` of an assessment).

    Examples
    --------
    >>> shared_variants(["achieved", "achieved", "on_track"], ["提前实现", "提前实现", "有望实现"])
    {'achieved': 'early'}
    >>> shared_variants(["achieved", "achieved"], ["提前实现", "已实现"])
    {}
    """
    by_word = {(code, zh): variant for (code, variant), (zh, _en) in STATUS_VARIANTS.items()}
    seen: dict[str, set[str]] = {}
    for code, zh in zip(statuses, worded, strict=True):
        seen.setdefault(str(code), set()).add(by_word.get((str(code), str(zh)), ""))
    shared: dict[str, str] = {}
    for code, variants in seen.items():
        if len(variants) == 1 and (variant := next(iter(variants))):
            shared[code] = variant
    return shared


def heading_status_label(statuses: Any, worded: Any, status: str, lang: str = "zh",
                         final: bool = False) -> str:
    """Label of a status in a total or column heading: what its count counts.

    Worded like its rows (:func:`shared_variants`: every *achieved* row 提前实现,
    the heading too). In the final evaluation (``final=True``) an *off track*
    row reads 未实现 when its observed values decided it, but 难以实现 when a year
    the rule needs (the baseline) is missing and the model's probability
    judged it: the heading names every wording its count covers, so that a
    count of 未实现 never holds a row that reads 难以实现. With no rows the
    final evaluation's heading is 未实现.

    Examples
    --------
    >>> heading_status_label(["off_track", "off_track"], ["未实现", "难以实现"], "off_track",
    ...                      final=True)
    '未实现/难以实现'
    >>> heading_status_label(["off_track"], ["难以实现"], "off_track", "en", final=True)
    'off track'
    >>> heading_status_label([], [], "off_track", final=True)
    '未实现'
    """
    shared = shared_variants(statuses, worded)
    if status in shared or not (final and status == "off_track"):
        return status_label(status, lang, shared.get(status))
    by_word = {zh: (zh, en) for (code, _v), (zh, en) in STATUS_VARIANTS.items() if code == status}
    plain = STATUS_LABELS[status]
    labels = [by_word.get(str(zh), plain) for code, zh in zip(statuses, worded, strict=True)
              if str(code) == status]
    final_words = STATUS_VARIANTS[(status, "final")]
    # 未实现 first, then the other wordings in the order of the rows
    ordered = list(dict.fromkeys(sorted(labels, key=lambda w: w != final_words) or [final_words]))
    if lang == "zh":
        return "/".join(zh for zh, _en in ordered)
    check_choice("lang", lang, ("zh", "en"))
    return " / ".join(en for _zh, en in ordered)


def status_label(status: str, lang: str = "zh", variant: str | None = None) -> str:
    """Label of a status in Chinese or English, with an optional wording variant.

    ``variant`` is ``"early"`` (achieved before the target year: 提前实现),
    ``"final"`` (final evaluation, not met: 未实现), ``"not_yet"`` (a count
    minimum not met yet: 尚未达到), ``"broken"`` (an every-year rule already
    broken in an observed year: 已有年份未达到) or ``"met_so_far"`` (on track: a count
    minimum met before the target year with early achievement off: 目前已达到); a
    variant that does not apply to the status is ignored.

    Examples
    --------
    >>> status_label("at_risk"), status_label("at_risk", "en")
    ('存在风险', 'at risk')
    >>> status_label("achieved", variant="early"), status_label("off_track", "en", "final")
    ('提前实现', 'not achieved')
    """
    check_choice("status", status, STATUSES)
    check_choice("lang", lang, ("zh", "en"))
    zh, en = STATUS_VARIANTS.get((status, variant or ""), STATUS_LABELS[status])
    return zh if lang == "zh" else en
