"""The :class:`Target` record: one goal of a development plan, typed.

A target says which indicator it is judged on, what kind of rule it is
(``kind``), its threshold and unit, the desired direction, and where it comes
from (the exact clause of the plan, ``text_zh``). Records are frozen pydantic
models; every rule below is checked when a target is built, and ``Target(...)``
with invalid fields raises :class:`~hbkit.exceptions.TargetError`, a
:class:`~hbkit.exceptions.CatalogueError` whose ``problems`` table names, for
every rule it breaks, the field, the value received, the rule (Chinese, then
English) and its code, as a catalogue file's; it is also a
``pydantic.ValidationError``. ``Target.model_validate`` is pydantic's own and
raises pydantic's ``ValidationError``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from hbkit._typing import DOMAIN_ZH, Direction, Domain, EachUnit, Plan, TargetKind, Unit

_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")

#: kinds whose event is judged at the target year against a threshold
THRESHOLD_KINDS = frozenset(
    {"upper_bound", "lower_bound", "level", "maintain", "relative_change", "annual_change",
     "count_minimum"}
)
#: kinds that compare with the value of a baseline year
BASELINE_KINDS = frozenset({"relative_change", "direction", "trend_slowdown"})
#: kinds whose event must hold in every remaining year
EVERY_YEAR_KINDS = frozenset({"maintain", "annual_change"})
#: kinds that become ``maintain`` when they must hold in every year (``every_year``)
EVERY_YEAR_BOUNDS = frozenset({"upper_bound", "lower_bound", "level"})
#: kinds that need a desired direction (increase or decrease)
DIRECTED_KINDS = frozenset(
    {"level", "relative_change", "annual_change", "direction", "trend_slowdown", "maintain",
     "relational"}
)
#: the direction implied by a bound
IMPLIED_DIRECTION = {"upper_bound": "decrease", "lower_bound": "increase", "count_minimum": "increase"}
#: units whose values are signed by their nature (a gap in percentage points): ``signed`` is
#: always true for them. Any other unit is signed only when a target says so (``signed: true``);
#: ``none`` is read and modelled as it is, negative or not, whatever ``signed`` says
SIGNED_BY_UNIT = frozenset({"percentage_points"})


#: how a table writes true and false (是/否 ...); read by :func:`hbkit.catalogue.io.coerce_cell`
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "是", "真", "对"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "否", "假", "错"})


def _is_true(value: Any) -> bool:
    """``every_year`` as a table may write it: True, 1, "true", "yes", "是" (:data:`TRUE_WORDS`)."""
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return value is True or value == 1


#: validation context key: build the record without judging its rules (``broken_rules`` then
#: lists them); used to judge a row's rules when some of its fields are invalid
SKIP_RULES = "hbkit-skip-rules"

#: the fields each rule of :meth:`Target.broken_rules` reads: a rule is not judged on a field
#: whose own value is invalid (:func:`hbkit.catalogue.catalogue.validate_records`)
RULE_FIELDS: dict[str, frozenset[str]] = {
    "id-is-slug": frozenset({"id"}),
    "indicator-required": frozenset({"indicator", "kind", "every_year"}),
    "threshold-required": frozenset({"threshold", "kind", "every_year"}),
    "threshold-is-number": frozenset({"threshold"}),
    "direction-required": frozenset({"direction", "kind", "every_year"}),
    "direction-matches-bound": frozenset({"direction", "kind", "every_year"}),
    "baseline-required": frozenset({"baseline_year", "kind", "every_year"}),
    "baseline-before-target": frozenset({"baseline_year", "target_year"}),
    "relative-change-range": frozenset({"threshold", "kind", "direction", "every_year"}),
    "annual-change-positive": frozenset({"threshold", "kind", "every_year"}),
    "reference-required": frozenset({"reference_indicator", "kind", "every_year"}),
    "bounded-threshold-in-0-100": frozenset({"bounded", "unit", "threshold", "kind", "every_year"}),
    "signed-not-bounded": frozenset({"signed", "bounded", "unit"}),
    "signed-by-unit": frozenset({"signed", "unit"}),
    "every-year-kind": frozenset({"every_year", "kind"}),
    "qualitative-has-no-threshold": frozenset({"threshold", "kind", "every_year"}),
}


def _rule(field: str, rule: str, value: Any, detail: str) -> ValueError:
    return ValueError(f"field {field!r}: rule {rule!r}: {detail}; received {value!r}")


class Target(BaseModel):
    """One target of a plan.

    Only ``id``, ``indicator`` (except for qualitative targets) and ``kind``
    are required; a bound also needs ``threshold``; see the rules below.

    Parameters
    ----------
    id
        Stable slug, e.g. ``"C-health-infant-mortality"``.
    plan
        ``"women"`` or ``"children"`` (``None`` for a free-standing target).
    domain, domain_zh
        Plan domain (health, education, ...) and its Chinese name (filled in
        from ``domain`` when not given).
    section
        Where in the plan, e.g. ``"main goal 3"`` or ``"measure 7"``.
    text_zh
        The exact clause of the plan the target comes from.
    name_zh, name_en
        Short names in Chinese and English.
    indicator
        Id of the series the target is judged on; several targets may share one.
    kind
        One of ``upper_bound, lower_bound, level, maintain, relative_change,
        annual_change, direction, trend_slowdown, count_minimum, relational,
        qualitative``.
    threshold
        The number in the clause. For ``relative_change`` it is the percent
        change required (20 with direction decrease means at most 80% of the
        baseline); for ``annual_change`` the change per year in the
        indicator's unit (1 = one percentage point).
    unit
        ``percent``, ``per_1000``, ``per_100k``, ... (see ``hbkit._typing.Unit``).
    direction
        Desired direction: ``increase``, ``decrease`` or ``none``. Implied by
        ``upper_bound`` (decrease) and ``lower_bound`` (increase).
    strict
        ``True`` when the inequality is strict (低于, 高于).
    target_year, baseline_year
        Year the target must be met by and the base year (needed by
        relative_change, direction and trend_slowdown; when empty, the
        assessment takes the year five before the target year). A target
        built in Python without a target year gets 2025, the end of the
        2021-2025 plans; a catalogue read from a file or table never does: a
        blank target year takes the year the file's other targets give, with a
        warning (:meth:`hbkit.Catalogue.from_file`).
    every_year
        The rule must hold in every remaining year (always true for maintain
        and annual_change). A bound or level with ``every_year=True``
        (每年…以上) is read as ``maintain`` (its kind becomes ``maintain``); other
        kinds are judged once and refuse it.
    each_unit
        Sub-unit in which the rule must hold: ``street`` (以街为单位),
        ``community``, ``community_health_centre``, ``department``,
        ``leadership_team`` or ``school`` (:data:`hbkit._typing.EachUnit`). A
        catalogue file may write them in Chinese (街道, 以街为单位, 各街道).
    reference_indicator
        For ``relational`` targets, the indicator compared with.
    reference_name_zh, reference_name_en
        Names of ``reference_indicator`` in Chinese and English, printed in the
        rule of a relational target (``2025年值≥女党员比例同年值``); when empty,
        the names of the catalogue's target judged on that indicator serve.
    bounded
        Whether the value is capped at 100 (coverage rates). Gross ratios such
        as 毛入学率 are not. Defaults to ``unit == "percent"`` (``False`` for a signed
        target).
    signed
        Whether the indicator's values may be negative: a relative gap in
        percent, (men's - women's average income) / men's, is negative in a
        year women earn more. A signed indicator is read with its negative
        values and modelled on the identity scale with no floor at 0 (as a gap
        in ``percentage_points``), never on the log scale; it cannot be
        ``bounded``. Defaults to the unit: ``True`` for ``percentage_points``
        (:data:`SIGNED_BY_UNIT`, which cannot be ``False``), ``False`` for
        every other unit (``none`` is read and modelled as it is either way).
    notes
        Reading of ambiguous wording and other remarks.

    Examples
    --------
    >>> t = Target(id="x", indicator="imr", kind="upper_bound", threshold=5.0,
    ...            unit="per_1000", direction="decrease", target_year=2025)
    >>> t.direction, t.bounded, t.strict
    ('decrease', False, False)
    >>> Target(id="y", indicator="cov", kind="lower_bound", threshold=95, unit="percent").bounded
    True
    >>> gap = Target(id="g", indicator="income_gap", kind="direction", unit="percent",
    ...              direction="decrease", baseline_year=2020, signed=True)
    >>> gap.signed, gap.bounded
    (True, False)
    >>> Target(id="p", indicator="pp", kind="direction", unit="percentage_points",
    ...        direction="decrease", baseline_year=2020).signed
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    id: str
    plan: Plan | None = None
    domain: Domain | None = None
    domain_zh: str = ""
    section: str = ""
    text_zh: str = ""
    name_zh: str = ""
    name_en: str = ""
    indicator: str | None = None
    kind: TargetKind
    threshold: float | None = None
    unit: Unit = "none"
    direction: Direction | None = None
    strict: bool = False
    target_year: int = Field(2025, ge=1949, le=2100)
    baseline_year: int | None = Field(None, ge=1949, le=2100)
    every_year: bool = False
    each_unit: EachUnit | None = None
    reference_indicator: str | None = None
    reference_name_zh: str = ""
    reference_name_en: str = ""
    bounded: bool | None = None
    signed: bool | None = None
    notes: str = ""

    if not TYPE_CHECKING:  # a type checker keeps the signature of the fields

        def __init__(self, /, **data: Any) -> None:
            try:
                super().__init__(**data)
            except ValidationError as exc:
                from hbkit.catalogue.catalogue import target_error

                raise target_error(exc, data) from None

        # pydantic's mark of its own __init__: validating (``model_validate``, a catalogue's
        # records with their context) still builds targets without calling the one above
        __init__.__pydantic_base_init__ = True

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        kind = data.get("kind")
        if data.get("direction") in (None, "") and kind in IMPLIED_DIRECTION:
            data["direction"] = IMPLIED_DIRECTION[kind]
        if data.get("direction") in (None, "") and kind in ("qualitative",):
            data["direction"] = "none"
        if data.get("domain") and not data.get("domain_zh"):
            data["domain_zh"] = DOMAIN_ZH.get(str(data["domain"]), "")
        if data.get("signed") is None:
            data["signed"] = data.get("unit") in SIGNED_BY_UNIT
        if data.get("bounded") is None:
            data["bounded"] = data.get("unit") == "percent" and not _is_true(data["signed"])
        if kind in EVERY_YEAR_KINDS:
            data["every_year"] = True
        elif kind in EVERY_YEAR_BOUNDS and _is_true(data.get("every_year")):
            # 每年…以上: a bound that must hold in every year is a maintain target, judged,
            # worded and reported as one (a lower bound in 2025 alone would pass 1, 1, 1, 1, 3)
            data["kind"] = "maintain"
            if data.get("direction") in (None, "") and kind in IMPLIED_DIRECTION:
                data["direction"] = IMPLIED_DIRECTION[kind]
        for key in ("each_unit", "reference_indicator", "indicator"):
            if data.get(key) == "":
                data[key] = None
        return data

    @model_validator(mode="after")
    def _check_rules(self, info: ValidationInfo) -> Target:
        if info.context and info.context.get(SKIP_RULES):
            return self
        broken = self.broken_rules()
        if broken:  # every broken rule, one per line: a row's problems are listed at once
            raise ValueError("\n".join(str(_rule(*rule)) for rule in broken))
        return self

    def broken_rules(self) -> list[tuple[str, str, Any, str]]:
        """Every rule of the target that its fields break, in the order they are checked.

        Returns
        -------
        list of tuple
            ``(field, rule, value, detail)`` per broken rule (:data:`RULE_FIELDS` names the
            fields each rule reads). A target that is built has none: the check runs while
            it is built (unless the validation context holds :data:`SKIP_RULES`).

        Examples
        --------
        >>> t = Target.model_construct(id="C-伤害", indicator="x", kind="relative_change",
        ...                            threshold=10.0, direction=None, baseline_year=2025,
        ...                            target_year=2030, every_year=False, bounded=False)
        >>> [rule for _, rule, _, _ in t.broken_rules()]
        ['id-is-slug', 'direction-required']
        """
        out: list[tuple[str, str, Any, str]] = []

        def broken(field: str, rule: str, detail: str) -> None:
            out.append((field, rule, getattr(self, field), detail))

        kind, threshold, direction = self.kind, self.threshold, self.direction
        if not _ID_PATTERN.match(self.id):
            broken("id", "id-is-slug",
                   "an id is letters, digits, '-', '_' or '.', starting with a letter or digit")
        if kind != "qualitative" and not self.indicator:
            broken("indicator", "indicator-required",
                   f"kind={kind!r} needs the id of the series it is judged on")
        if kind in THRESHOLD_KINDS and threshold is None:
            broken("threshold", "threshold-required", f"kind={kind!r} needs a threshold")
        if threshold is not None and threshold != threshold:
            broken("threshold", "threshold-is-number", "threshold is NaN")
        if direction is None or (kind in DIRECTED_KINDS and direction == "none"):
            broken("direction", "direction-required",
                   f"kind={kind!r} needs direction 'increase' or 'decrease'")
        implied = IMPLIED_DIRECTION.get(kind)
        if implied is not None and direction is not None and direction != implied:
            broken("direction", "direction-matches-bound", f"kind={kind!r} implies direction {implied!r}")
        if kind in BASELINE_KINDS and self.baseline_year is None:
            broken("baseline_year", "baseline-required",
                   f"kind={kind!r} compares with a baseline year, so baseline_year is needed")
        if self.baseline_year is not None and self.baseline_year >= self.target_year:
            broken("baseline_year", "baseline-before-target",
                   f"baseline_year must be before target_year={self.target_year}")
        if kind == "relative_change" and threshold is not None and threshold == threshold and not (
            0 < threshold < (100 if direction == "decrease" else float("inf"))
        ):
            broken("threshold", "relative-change-range",
                   "a relative change is a percent > 0 (and < 100 for a decrease)")
        if kind == "annual_change" and threshold is not None and threshold < 0:
            broken("threshold", "annual-change-positive",
                   "an annual change is given as a positive size; the direction says its sign")
        if kind == "relational" and not self.reference_indicator:
            broken("reference_indicator", "reference-required",
                   "a relational target needs the indicator it is compared with")
        if (
            self.bounded
            and kind in ("upper_bound", "lower_bound", "level", "maintain")
            and threshold is not None
            and threshold == threshold
            and not 0 <= threshold <= 100
        ):
            broken("threshold", "bounded-threshold-in-0-100",
                   "a bounded percentage's threshold lies in [0, 100]")
        if self.signed and self.bounded:
            broken("signed", "signed-not-bounded",
                   "a value that may be negative is not a share capped at 100: a signed "
                   "target cannot be bounded (set bounded to false or leave it empty)")
        if self.signed is False and self.unit in SIGNED_BY_UNIT:
            broken("signed", "signed-by-unit",
                   f"unit {self.unit!r} is signed by its nature: leave signed empty or true")
        if self.every_year and kind not in EVERY_YEAR_KINDS:
            broken("every_year", "every-year-kind",
                   f"kind={kind!r} is judged once, not every year; every_year is for "
                   "bounds and levels (read as maintain), maintain and annual_change")
        if kind == "qualitative" and threshold is not None:
            broken("threshold", "qualitative-has-no-threshold",
                   "a qualitative target is never scored, so it takes no threshold")
        return out

    @property
    def is_quantitative(self) -> bool:
        """``True`` unless the target is qualitative."""
        return self.kind != "qualitative"

    @property
    def label(self) -> str:
        """Chinese name if known, else the English name, else the id."""
        return self.name_zh or self.name_en or self.id
