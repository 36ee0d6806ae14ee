"""What the catalogue says about each indicator, and matching what a file calls it.

Only ``iter(catalogue)`` (the Targets) and ``catalogue.default_geo`` are used,
so any iterable of :class:`~hbkit.catalogue.models.Target` works as a
catalogue. An indicator cell may hold the indicator id
(``maternal_mortality_ratio``) or a target's Chinese or English name
(``孕产妇死亡率``); names are matched after NFKC folding, dropping spaces and
case folding. An unknown indicator gets the closest ids and names suggested
(:mod:`difflib`).
"""

from __future__ import annotations

import dataclasses
import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from hbkit.catalogue.models import Target

#: geo used when neither the file, the ``geo=`` argument nor the catalogue names one
DEFAULT_GEO = "河北区"


@dataclass(frozen=True)
class IndicatorInfo:
    """The catalogue's facts about one indicator id.

    ``signed``: its values may be negative (a target says ``signed``: a relative
    gap in percent), so the readers accept a negative value for it whatever
    its unit.
    """

    indicator: str
    unit: str
    bounded: bool
    name_zh: str = ""
    name_en: str = ""
    signed: bool = False


#: what an analyst writes in the indicator column of a total row (compared by :func:`_name_key`)
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总和", "total", "subtotal", "sum"})


def _name_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def indicator_table(catalogue: Iterable[Target] | None) -> dict[str, IndicatorInfo]:
    """One :class:`IndicatorInfo` per indicator id, from the catalogue's targets.

    The first target of an indicator gives its unit and names; the indicator is
    bounded when any of its targets says so, and signed (negative values
    accepted) likewise. The reference indicator of a relational target (the
    series it is compared with, which no target is judged on) is known too,
    with the unit, bound and sign of the target citing it.

    Examples
    --------
    >>> t = Target(id="x", indicator="hospital_delivery_rate", kind="lower_bound",
    ...            threshold=99, unit="percent", name_zh="住院分娩率")
    >>> indicator_table([t])["hospital_delivery_rate"].bounded
    True
    >>> r = Target(id="r", indicator="female_share_of_workers_congress_delegates",
    ...            kind="relational", reference_indicator="female_share_of_employees",
    ...            direction="increase", unit="percent")
    >>> indicator_table([r])["female_share_of_employees"].unit
    'percent'
    >>> g = Target(id="g", indicator="gender_income_gap", kind="direction", unit="percent",
    ...            direction="decrease", baseline_year=2020, signed=True)
    >>> info = indicator_table([g])["gender_income_gap"]
    >>> info.signed, info.bounded
    (True, False)
    """
    targets = list(catalogue or ())
    table: dict[str, IndicatorInfo] = {}
    for target in targets:
        if not target.indicator:
            continue
        known = table.get(target.indicator)
        if known is None:
            table[target.indicator] = IndicatorInfo(
                target.indicator, str(target.unit), bool(target.bounded), target.name_zh,
                target.name_en, bool(target.signed))
        elif (target.bounded and not known.bounded) or (target.signed and not known.signed):
            table[target.indicator] = dataclasses.replace(
                known, bounded=known.bounded or bool(target.bounded),
                signed=known.signed or bool(target.signed))
    for target in targets:
        reference = target.reference_indicator
        if reference and reference not in table:
            table[reference] = IndicatorInfo(reference, str(target.unit), bool(target.bounded),
                                             target.reference_name_zh, target.reference_name_en,
                                             bool(target.signed))
    return table


class IndicatorMatcher:
    """Resolve indicator cells to catalogue ids.

    Examples
    --------
    >>> t = Target(id="x", indicator="maternal_mortality_ratio", kind="upper_bound",
    ...            threshold=8.5, unit="per_100k", name_zh="孕产妇死亡率")
    >>> m = IndicatorMatcher([t])
    >>> m.resolve("孕产妇死亡率"), m.resolve("maternal_mortality_ratio")
    (('maternal_mortality_ratio', 'indicator-name'), ('maternal_mortality_ratio', None))
    >>> m.suggest("maternal_mortality_rate")
    '是否为 / did you mean: 孕产妇死亡率（maternal_mortality_ratio）?'
    """

    def __init__(self, catalogue: Iterable[Target] | None):
        targets = list(catalogue or ())
        self.info = indicator_table(targets)
        self._names: dict[str, set[str]] = {}
        for target in targets:
            if not target.indicator:
                continue
            for name in (target.name_zh, target.name_en, target.indicator):
                if name:
                    self._names.setdefault(_name_key(name), set()).add(target.indicator)

    @property
    def active(self) -> bool:
        """``True`` when there is a catalogue to check against."""
        return bool(self.info)

    def resolve(self, text: str) -> tuple[str | None, str | None]:
        """``(indicator id, None)`` for an id, ``(id, "indicator-name")`` for a name,
        ``(None, "unknown-indicator" | "ambiguous-indicator")`` otherwise."""
        if not self.active or text in self.info:
            return text, None
        ids = self._names.get(_name_key(text), set())
        if len(ids) == 1:
            return next(iter(ids)), "indicator-name"
        return None, "ambiguous-indicator" if ids else "unknown-indicator"

    def suggest(self, text: str) -> str:
        """The closest known indicators, most similar first (:mod:`difflib`), each as its
        Chinese name with its id (婴儿死亡率（infant_mortality_rate）), or a pointer to the
        list; for a total row (合计, 总计, 小计) that it is one, to be deleted.

        >>> IndicatorMatcher([]).suggest("合 计")
        '这是合计行，不是指标：请删除该行（hbkit 不使用合计） / a total row, not an indicator: delete the row'
        """
        if _name_key(text) in TOTAL_WORDS:
            return ("这是合计行，不是指标：请删除该行（hbkit 不使用合计） / a total row, not an "
                    "indicator: delete the row")
        if self._names.get(_name_key(text)):
            ids = sorted(self._names[_name_key(text)])
            return "候选 / candidates: " + ", ".join(self._named(i) for i in ids)
        close = difflib.get_close_matches(text, list(self.info), n=3, cutoff=0.6)
        if not close:
            by_name = difflib.get_close_matches(_name_key(text), list(self._names), n=3,
                                                cutoff=0.5)
            # most similar name first; the ids of one name (rarely several) in id order
            close = list(dict.fromkeys(i for name in by_name
                                       for i in sorted(self._names[name])))[:3]
        if close:
            return "是否为 / did you mean: " + ", ".join(self._named(c) for c in close) + "?"
        return ("可用 hbkit catalogue 查看目录中的指标 / see hbkit catalogue (or "
                "catalogue.indicator_table()) for the known indicators")

    def _named(self, indicator: str) -> str:
        """``婴儿死亡率（infant_mortality_rate）``, or ``'infant_mortality_rate'`` without a
        Chinese name."""
        info = self.info.get(indicator)
        if info is not None and info.name_zh:
            return f"{info.name_zh}（{indicator}）"
        return repr(indicator)
