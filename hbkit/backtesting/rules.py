"""Target rules: realistic targets built per backtest case, from data up to the origin only.

Real plans set their targets near the trend they saw (a 20% fall, "keep above
90%", "keep falling"), so the event is uncertain. A backtest on targets that
are met (or missed) for certain would say little about calibration. A
:class:`TargetRule` builds, for an indicator, an origin year and a horizon, the
:class:`~hbkit.catalogue.models.Target` a planner could have written at the
origin, using nothing observed after it:

* ``relative_change`` with ``rate``: the value must change by ``rate`` percent a
  year (compounded) from the baseline year (the origin, or ``baseline_offset``
  years before it, as when a plan started two years ago). This is "a threshold
  at the origin value x (1 +/- r)" with ``r`` growing with the horizon; several
  rates around the typical pace of the series make outcomes near 50/50 overall.
* fixed thresholds (``upper_bound``, ``lower_bound``, ``level``, ``maintain``,
  ``annual_change``): the same number for every series, like the SDG targets
  (under-5 mortality <= 25 per 1000) or "DTP3 coverage >= 90% every year".
* ``direction`` and ``trend_slowdown``: against the baseline year's value / slope.

The design is documented in ``docs/validation.md``; the share of outcomes met is
reported per rule, so nobody has to take the "near 50/50" on trust.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import cast

from hbkit._options import check_choice, real_number, whole_number
from hbkit._typing import TARGET_KINDS, Direction, TargetKind, Unit
from hbkit.catalogue.models import Target
from hbkit.exceptions import HbkitError

__all__ = ["RULE_KINDS", "TargetRule", "default_rules", "infer_directions"]

#: kinds a rule can build (relational, each_unit, count_minimum and qualitative need more
#: than one series or are not forecasts)
RULE_KINDS: tuple[str, ...] = tuple(
    kind for kind in TARGET_KINDS
    if kind not in ("count_minimum", "relational", "qualitative")
)

_FIXED_KINDS = frozenset({"upper_bound", "lower_bound", "level", "maintain", "annual_change"})

#: words in an indicator id that say lower is better
_DECREASE_WORDS = ("mortality", "death", "prevalence", "incidence", "morbidity", "anemia",
                   "anaemia", "stunting", "underweight", "wasting", "low_birth_weight",
                   "myopia", "obesity", "overweight", "injury", "transmission")
_INCREASE_WORDS = ("coverage", "enrollment", "enrolment", "consolidation", "delivery",
                   "management", "screening", "breastfeeding", "life_expectancy", "share",
                   "visit", "examination", "immunization", "immunisation")


@dataclass(frozen=True)
class TargetRule:
    """How to build one target per (indicator, origin, horizon) in a backtest.

    Parameters
    ----------
    kind
        One of :data:`RULE_KINDS`.
    threshold
        Fixed threshold in the indicator's unit (bounds, level, maintain) or the
        required change per year (annual_change, a positive size).
    rate
        For ``relative_change``: required change in percent **per year**,
        compounded from the baseline year to the target year
        (``threshold = 100 (1 - (1 - rate/100) ** n)`` for a decrease over
        ``n`` years, ``100 ((1 + rate/100) ** n - 1)`` for an increase).
    baseline_offset
        The baseline year is ``origin - baseline_offset`` (baseline kinds).
    direction
        Desired direction; ``None`` takes the indicator's direction.
    indicators
        Build only for these indicators (``None``: every indicator).
    strict
        Strict inequality.
    name
        Label of the rule in the case table (default: made from the fields).

    Examples
    --------
    >>> rule = TargetRule("relative_change", rate=3.0)
    >>> t = rule.build("u5mr", unit="per_1000", bounded=False, direction="decrease",
    ...                origin=2015, horizon=5)
    >>> t.kind, t.baseline_year, t.target_year, round(t.threshold, 2)
    ('relative_change', 2015, 2020, 14.13)
    >>> rule.label
    'relative_change 3%/yr'
    >>> TargetRule("maintain", threshold=90).build(
    ...     "dtp3", unit="percent", bounded=True, direction="increase", origin=2015, horizon=3).kind
    'maintain'
    """

    kind: str
    threshold: float | None = None
    rate: float | None = None
    baseline_offset: int = 0
    direction: str | None = None
    indicators: tuple[str, ...] | None = None
    strict: bool = False
    name: str = ""

    def __post_init__(self) -> None:
        check_choice("TargetRule kind", self.kind, RULE_KINDS)
        for name in ("threshold", "rate"):  # a number, or the number it spells ("3" is 3.0)
            if getattr(self, name) is not None:
                object.__setattr__(self, name, real_number(f"TargetRule {name}", getattr(self, name)))
        object.__setattr__(self, "baseline_offset",
                           whole_number("TargetRule baseline_offset", self.baseline_offset))
        if self.direction is not None:
            check_choice("TargetRule direction", self.direction, ("increase", "decrease"))
        if self.kind in _FIXED_KINDS and self.threshold is None:
            raise HbkitError(f"TargetRule kind={self.kind!r} 须给出固定的目标值 threshold / "
                             f"TargetRule kind={self.kind!r} needs a fixed threshold")
        if self.kind == "relative_change" and (self.rate is None or self.rate <= 0):
            raise HbkitError("TargetRule kind='relative_change' 须给出 rate > 0（每年百分比）；收到 "
                             f"{self.rate!r} / TargetRule kind='relative_change' needs rate > 0 "
                             f"(percent per year); received {self.rate!r}")
        if self.baseline_offset < 0:
            raise HbkitError(f"baseline_offset 须 >= 0；收到 {self.baseline_offset!r} / "
                             f"baseline_offset must be >= 0; received {self.baseline_offset!r}")
        if self.indicators is not None and isinstance(self.indicators, str):
            object.__setattr__(self, "indicators", (self.indicators,))

    @property
    def label(self) -> str:
        """Short text naming the rule (``name`` if given)."""
        if self.name:
            return self.name
        parts = [self.kind]
        if self.rate is not None:
            parts.append(f"{self.rate:g}%/yr")
        if self.threshold is not None:
            parts.append(f"{self.threshold:g}")
        if self.baseline_offset:
            parts.append(f"base-{self.baseline_offset}")
        if self.direction is not None:
            parts.append(self.direction)
        return " ".join(parts)

    def applies_to(self, indicator: str) -> bool:
        """Whether the rule builds targets for ``indicator``."""
        return self.indicators is None or indicator in self.indicators

    def not_built_reason(self, bounded: bool, direction: str, origin: int, horizon: int) -> str:
        """Why :meth:`build` gives no target for an indicator the rule applies to
        (``中文 / English``, :meth:`not_built_words` joined).

        >>> TargetRule("direction").not_built_reason(True, "none", 2015, 2)
        '该指标没有期望方向 / no desired direction for the indicator'
        """
        return " / ".join(self.not_built_words(bounded, direction, origin, horizon))

    def not_built_words(self, bounded: bool, direction: str, origin: int, horizon: int
                        ) -> tuple[str, str]:
        """Why :meth:`build` gives no target, in Chinese and in English.

        The same words for the same cause, so that counting the reasons counts the causes.

        >>> TargetRule("lower_bound", threshold=120).not_built_words(True, "increase", 2015, 2)
        ('阈值 120 超出百分比的范围 [0, 100]', 'threshold 120 outside [0, 100] for a bounded percentage')
        """
        desired = {"upper_bound": "decrease", "lower_bound": "increase"}.get(
            self.kind, self.direction or direction)
        if desired not in ("increase", "decrease"):
            return "该指标没有期望方向", "no desired direction for the indicator"
        if self.kind == "relative_change":
            step = 1 + (self.rate or 0.0) / 100 * (1 if desired == "increase" else -1)
            if step <= 0:
                return (f"每年变化 {self.rate:g}% 后没有可比较的值",
                        f"a change of {self.rate:g}% a year leaves nothing to compare")
        threshold = self.threshold
        if (bounded and self.kind in ("upper_bound", "lower_bound", "level", "maintain")
                and threshold is not None and not 0 <= threshold <= 100):
            return (f"阈值 {threshold:g} 超出百分比的范围 [0, 100]",
                    f"threshold {threshold:g} outside [0, 100] for a bounded percentage")
        return "该规则在此不生成目标", "the rule builds no target here"

    def build(
        self, indicator: str, *, unit: str, bounded: bool, direction: str, origin: int,
        horizon: int,
    ) -> Target | None:
        """The target for one indicator, origin and horizon (``None`` if the rule does not apply).

        A rule does not apply to another indicator than its ``indicators``, to an
        indicator without direction when it needs one, or to a fixed threshold
        outside [0, 100] for a bounded percentage.
        """
        if not self.applies_to(indicator):
            return None
        kind = self.kind
        desired = {"upper_bound": "decrease", "lower_bound": "increase"}.get(
            kind, self.direction or direction)
        if desired not in ("increase", "decrease"):
            return None
        target_year = origin + horizon
        baseline_year = origin - self.baseline_offset
        threshold = self.threshold
        if kind == "relative_change":
            years = target_year - baseline_year
            step = 1 + (self.rate or 0.0) / 100 * (1 if desired == "increase" else -1)
            if step <= 0:
                return None
            threshold = 100 * abs(step**years - 1)
        if (bounded and kind in ("upper_bound", "lower_bound", "level", "maintain")
                and threshold is not None and not 0 <= threshold <= 100):
            return None
        # every-year kinds get the origin as baseline: the window is every year after it
        needs_baseline = kind in ("relative_change", "direction", "trend_slowdown",
                                  "maintain", "annual_change")
        return Target(
            id=f"backtest-{kind}",
            indicator=indicator,
            kind=cast(TargetKind, kind),
            threshold=threshold,
            unit=cast(Unit, unit),
            bounded=bounded,
            direction=cast(Direction, desired),
            strict=self.strict,
            target_year=target_year,
            baseline_year=baseline_year if needs_baseline else None,
            name_en=self.label,
        )


def default_rules() -> tuple[TargetRule, ...]:
    """Rules that apply to any series with a direction, used when ``targets`` is ``None``.

    Relative changes of 1, 2, 4 and 7 percent a year from the origin (and 3% a
    year from a baseline two years before the origin, as in the middle of a
    plan), and "keep moving in the desired direction" from the origin. Fixed
    thresholds depend on the indicator, so they are not among the defaults; add
    them with ``TargetRule(kind, threshold=..., indicators=(...))``.

    Examples
    --------
    >>> [r.label for r in default_rules()][:2]
    ['relative_change 1%/yr', 'relative_change 2%/yr']
    """
    return (
        TargetRule("relative_change", rate=1.0),
        TargetRule("relative_change", rate=2.0),
        TargetRule("relative_change", rate=4.0),
        TargetRule("relative_change", rate=7.0),
        TargetRule("relative_change", rate=3.0, baseline_offset=2),
        TargetRule("direction"),
    )


@cache
def _shipped_directions() -> dict[str, str]:
    """Indicator -> direction in the shipped catalogue (read once)."""
    try:
        from hbkit.catalogue.catalogue import load_catalogue

        frame = load_catalogue().indicator_table()
    except Exception:  # the shipped catalogue is a convenience here, never required
        return {}
    return dict(zip(frame["indicator"], frame["direction"], strict=True))


def infer_directions(
    indicators: Iterable[str], given: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Desired direction of each indicator: ``given``, else the shipped catalogue, else its name.

    An indicator id containing ``mortality``, ``prevalence``, ``incidence``, ... is
    read as "lower is better"; ``coverage``, ``enrollment``, ``share``, ... as
    "higher is better". Indicators that none of these settle get ``"none"``
    (rules that need a direction skip them).

    Examples
    --------
    >>> infer_directions(["under5_mortality_rate", "dtp3_immunization_coverage", "x"])
    {'under5_mortality_rate': 'decrease', 'dtp3_immunization_coverage': 'increase', 'x': 'none'}
    """
    out: dict[str, str] = {}
    given = dict(given or {})
    for indicator in indicators:
        if indicator in given:
            out[indicator] = check_choice(f"direction of {indicator}", given[indicator],
                                          ("increase", "decrease", "none"))
        elif _shipped_directions().get(indicator) in ("increase", "decrease"):
            out[indicator] = _shipped_directions()[indicator]
        elif any(word in indicator for word in _DECREASE_WORDS):
            out[indicator] = "decrease"
        elif any(word in indicator for word in _INCREASE_WORDS):
            out[indicator] = "increase"
        else:
            out[indicator] = "none"
    return out


def as_rules(targets: Sequence[TargetRule] | TargetRule | None) -> tuple[TargetRule, ...]:
    """Normalise the ``targets`` argument when it holds rules."""
    if targets is None:
        return default_rules()
    if isinstance(targets, TargetRule):
        return (targets,)
    return tuple(targets)
