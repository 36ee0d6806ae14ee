"""The :class:`Catalogue` container and the shipped catalogue of both plans.

A catalogue is an immutable, ordered collection of
:class:`~hbkit.catalogue.models.Target` records with unique ids. It is built
from a list of targets, read from a YAML, CSV or Excel file
(:meth:`Catalogue.from_file`), or loaded from the two plans shipped with
hbkit (:func:`load_catalogue`). Every way in validates every record and
reports all problems at once in a :class:`~hbkit.exceptions.CatalogueError`.

Examples
--------
>>> cat = load_catalogue()
>>> target = cat["W-health-maternal-mortality"]
>>> target.threshold, target.unit, target.kind
(8.5, 'per_100k', 'upper_bound')
>>> target.text_zh
'孕产妇死亡率控制在8.5/10万以下'
>>> len(cat.filter(plan="women", kind="qualitative")) > 0
True
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from hbkit._options import check_choice, count_at_least
from hbkit._typing import DOMAINS, PLANS, TARGET_KINDS
from hbkit.catalogue import io as catalogue_io
from hbkit.catalogue import rules as catalogue_rules
from hbkit.catalogue.models import RULE_FIELDS, SKIP_RULES, Target
from hbkit.exceptions import (
    CatalogueError,
    CatalogueWarning,
    HbkitError,
    TargetError,
)

__all__ = ["Catalogue", "UnknownTargetError", "fill_target_years", "load_catalogue", "name_columns",
           "target_error", "validate_records"]

#: the plans shipped with hbkit, in load order, and their files in ``hbkit/catalogue/data``
SHIPPED_FILES: dict[str, str] = {"women": "women.yaml", "children": "children.yaml"}

_RULE_MESSAGE = re.compile(r"field '(?P<field>\w+)': rule '(?P<rule>[\w-]+)': (?P<detail>[^\n]*?); received ")


class UnknownTargetError(HbkitError, KeyError):
    """A target id is not in the catalogue; the message suggests the closest ids.

    It is both an :class:`~hbkit.exceptions.HbkitError` and a :class:`KeyError`.
    """

    def __init__(self, key: str, suggestions: list[str]):
        self.key = key
        self.suggestions = suggestions
        hint = (" 您是否要找 / did you mean: " + ", ".join(repr(s) for s in suggestions)
                if suggestions else "")
        self.message = f"目录中没有该目标编号 / unknown target id {key!r}.{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def _validation_problems(exc: ValidationError, record: Mapping[str, Any], file: str | None,
                         row: int | None, extra: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One problem per pydantic error, naming the field, the rule (Chinese, then English) and the value.

    A field whose own value is invalid (a word not allowed, a year that is no year) keeps
    the rules of :class:`Target` that read other fields from running; they are judged
    here on the row's other values (:func:`_rules_besides`), so that the row's problems
    are listed at once.
    """
    problems: list[dict[str, Any]] = []
    failed: set[str] = set()
    for error in exc.errors():
        loc = error.get("loc") or ()
        message = str(error.get("msg", ""))
        rules = list(_RULE_MESSAGE.finditer(message))
        if rules:  # the rules of Target._check_rules, one per line
            problems.extend(_rule_problem(match, record, file, row, extra) for match in rules)
            continue
        column = str(loc[0]) if loc else None
        code, rule = catalogue_rules.pydantic_rule(error, column)
        value = None if code == "missing" else error.get("input")
        if code == "extra_forbidden" and column is not None:
            rule += catalogue_io.suggestion(column)
        if column is not None:
            failed.add(column)
        problems.append({"file": file, "row": row, "column": column, "value": value,
                         "rule": rule, "code": code, **extra})
    if failed:
        problems.extend(_rules_besides(record, failed, file, row, extra))
    return problems


def target_error(exc: ValidationError, record: Mapping[str, Any]) -> TargetError:
    """The :class:`~hbkit.exceptions.TargetError` of a :class:`Target` built from ``record``.

    Its problems are those a catalogue row with the same fields has
    (:func:`validate_records`), with no file and no row.

    Examples
    --------
    >>> from pydantic import ValidationError
    >>> record = {"id": "C-伤害", "indicator": "x", "kind": "relative_change", "threshold": 10}
    >>> try:
    ...     Target.model_validate(record)
    ... except ValidationError as exc:
    ...     error = target_error(exc, record)
    >>> error.problems[["row", "column", "code"]].values.tolist()
    [[None, 'id', 'id-is-slug'], [None, 'direction', 'direction-required'], \
[None, 'baseline_year', 'baseline-required']]
    """
    return TargetError.from_validation_error(
        exc, name_columns(_validation_problems(exc, record, None, None, {})))


def _rule_problem(match: re.Match[str], record: Mapping[str, Any], file: str | None, row: int | None,
                  extra: Mapping[str, Any]) -> dict[str, Any]:
    """The problem of one broken rule of :class:`Target`, from its line of the error message."""
    column, code = match["field"], match["rule"]
    return {"file": file, "row": row, "column": column, "value": record.get(column),
            "rule": catalogue_rules.model_rule(code, match["detail"]), "code": code, **extra}


#: a stand-in for a required field whose value is invalid, so that the other rules can run
_STAND_INS: dict[str, Any] = {"id": "x", "kind": "qualitative"}


def _rules_besides(record: Mapping[str, Any], failed: set[str], file: str | None, row: int | None,
                   extra: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rules of :class:`Target` a record breaks that read none of the ``failed`` fields.

    The failed fields are left out (a required one gets a stand-in), the record is
    built without its checks and every rule that reads only valid fields
    (:data:`~hbkit.catalogue.models.RULE_FIELDS`) is judged: a row with an invalid
    ``kind`` is not also told that it lacks a threshold.
    """
    probe = {key: value for key, value in record.items() if key not in failed}
    probe.update({key: stand_in for key, stand_in in _STAND_INS.items() if key in failed})
    try:  # every field but the failed ones is valid: this builds, with the rules switched off
        target = Target.model_validate(probe, context={SKIP_RULES: True})
    except ValidationError:
        return []
    return [{"file": file, "row": row, "column": field, "value": record.get(field),
             "rule": catalogue_rules.model_rule(code, detail), "code": code, **extra}
            for field, code, _, detail in target.broken_rules()
            if not RULE_FIELDS.get(code, frozenset()) & failed]


def fill_target_years(
    rows: Iterable[tuple[int, Mapping[str, Any], Mapping[str, Any]]],
    file: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[list[tuple[int, Mapping[str, Any], Mapping[str, Any]]], list[dict[str, Any]], str]:
    """Give the rows of a file whose target year is blank the year its other rows give.

    A :class:`Target` built in Python takes 2025 (the end of the 2021-2025 plans) when it
    names no target year; a catalogue file for another plan (2026-2030) must not. A blank
    target year therefore takes the year most of the file's other rows give, and the rows
    so filled are named in a note; when no row gives a year, or two years are given
    equally often, each blank row is a problem (``target-year-required``).

    Parameters
    ----------
    rows
        ``(row, record, extra)`` triples as a reader returns them (:class:`RawCatalogue`).
    file
        File name, for the problems and the note.
    headers
        Field -> the header the table gave it: the note names the column as written.

    Returns
    -------
    rows, problems, note
        The rows (blank target years filled where the other rows agree), one problem per
        blank row that could not be filled, and the note naming the filled rows (empty
        when none was filled).

    Examples
    --------
    >>> rows = [(2, {"id": "a", "target_year": 2030}, {}), (3, {"id": "b"}, {}),
    ...         (4, {"id": "c", "target_year": 2030}, {})]
    >>> filled, problems, note = fill_target_years(rows, "mine.xlsx", {"target_year": "目标年份"})
    >>> filled[1][1], problems
    ({'id': 'b', 'target_year': 2030}, [])
    >>> print(note)
    目标目录 mine.xlsx 第 3 行的目标年份（列“目标年份”）为空，已按其他各行取 2030 年（其他 2 行均为 2030 年），不同时请填写 / catalogue mine.xlsx: the target year (column '目标年份') is blank in row 3 and was taken as 2030, the year of all 2 other rows; fill it in if it differs
    >>> _, problems, _ = fill_target_years([(2, {"id": "a"}, {})], "mine.csv")
    >>> [(p["row"], p["column"], p["code"]) for p in problems]
    [(2, 'target_year', 'target-year-required')]
    """
    rows = list(rows)
    blank = [row for row, record, _ in rows if isinstance(record, Mapping) and "target_year" not in record]
    if not blank:
        return rows, [], ""
    counts = Counter(record["target_year"] for _, record, _ in rows
                     if isinstance(record, Mapping) and _is_year(record.get("target_year")))
    ranked = counts.most_common()
    column = (headers or {}).get("target_year", "target_year")
    where = f"目标目录 {file} " if file else "目标目录"
    where_en = f"catalogue {file}: " if file else "catalogue: "
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        if ranked:
            tied = [year for year, n in ranked if n == ranked[0][1]]
            detail = (f"其他各行的目标年份不一（{'、'.join(f'{y} 年 {ranked[0][1]} 行' for y in tied)}），"
                      "请填写 / the other rows disagree ("
                      + ", ".join(f"{y}: {ranked[0][1]} rows" for y in tied) + "): fill it in")
        else:
            detail = ("没有一行写明目标年份，请为每个目标填写（如 2030）/ no row gives a target year: "
                      "fill in each target's (e.g. 2030)")
        problems = [{"file": file, "row": row, "column": "target_year", "value": None,
                     "rule": catalogue_rules.rule_text("target-year-required", detail),
                     "code": "target-year-required", **extra}
                    for row, record, extra in rows if row in blank]
        return rows, problems, ""
    year, n = ranked[0]
    others = sum(counts.values())
    filled = [(row, {**record, "target_year": year} if row in blank else record, extra)
              for row, record, extra in rows]
    listed = "、".join(str(row) for row in blank)
    listed_en = ", ".join(str(row) for row in blank)
    share, share_en = ((f"其他 {others} 行均为 {year} 年", f"the year of {_rows_en(others, 'other')}")
                       if n == others else
                       (f"其他 {others} 行中 {n} 行为 {year} 年", f"the year of {n} of the other {others} rows"))
    note = (f"{where}第 {listed} 行的目标年份（列“{column}”）为空，已按其他各行取 {year} 年"
            f"（{share}），不同时请填写 / {where_en}the target year (column {column!r}) is blank in "
            f"row{'s' if len(blank) > 1 else ''} {listed_en} and was taken as {year}, {share_en}; "
            "fill it in if it differs")
    return filled, [], note


def _valid_targets(raw: catalogue_io.RawCatalogue) -> list[Target]:
    """The targets of what a reader found (a file's or a frame's rows), a blank target year
    filled from the other rows (:func:`fill_target_years`, said in a
    :class:`~hbkit.exceptions.CatalogueWarning`); every problem at once in a
    :class:`~hbkit.exceptions.CatalogueError`."""
    rows, year_problems, note = fill_target_years(raw.rows, raw.file, raw.headers)
    targets, problems = validate_records(rows, raw.file)
    problems = raw.problems + year_problems + problems
    if note:  # said with the problems too: every problem and note of the file at once
        warnings.warn(note, CatalogueWarning, stacklevel=3)
    if problems:
        raise CatalogueError(sorted(name_columns(problems, raw.headers), key=_problem_order))
    return targets


def _rows_en(n: int, which: str) -> str:
    """``"the other row"`` or ``"all 3 other rows"``."""
    return f"the {which} row" if n == 1 else f"all {n} {which} rows"


def _is_year(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1949 <= value <= 2100


def name_columns(problems: Iterable[Mapping[str, Any]],
                 headers: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Problems with ``column`` as the user wrote it and the target ``field`` beside it.

    Parameters
    ----------
    problems
        Problem dicts whose ``column`` is a field name (or an unknown column's header).
    headers
        Field -> the header the table gave it (``{"domain": "领域"}``); fields not
        in it (YAML keys, a list of targets) keep their field name as ``column``.

    Examples
    --------
    >>> name_columns([{"row": 2, "column": "domain", "code": "literal_error"},
    ...               {"row": 1, "column": "colour", "code": "unknown-column"}], {"domain": "领域"})
    [{'row': 2, 'column': '领域', 'code': 'literal_error', 'field': 'domain'}, \
{'row': 1, 'column': 'colour', 'code': 'unknown-column', 'field': None}]
    """
    headers = headers or {}
    named = []
    for problem in problems:
        out = dict(problem)
        column = out.get("column")
        field = out.get("field", column if column in Target.model_fields else None)
        out["column"] = headers.get(field, column) if field is not None else column
        out["field"] = field
        named.append(out)
    return named


def validate_records(
    rows: Iterable[tuple[int, Mapping[str, Any] | Target, Mapping[str, Any]]],
    file: str | None = None,
) -> tuple[list[Target], list[dict[str, Any]]]:
    """Validate records into targets, collecting every problem.

    Parameters
    ----------
    rows
        ``(row, record, extra)`` triples: the row number a user sees, the
        record (a mapping of fields or a ready :class:`Target`) and extra
        provenance columns copied into each problem.
    file
        File name copied into each problem.

    Returns
    -------
    targets, problems
        The valid targets with ids not seen before, and one problem dict per
        broken rule (``file, row, column, value, rule, code``), including
        duplicate ids and an indicator given in two different units.

    Examples
    --------
    >>> targets, problems = validate_records([
    ...     (1, {"id": "a", "indicator": "x", "kind": "upper_bound"}, {}),
    ...     (2, {"id": "a", "kind": "qualitative"}, {})])
    >>> [(p["row"], p["column"], p["code"]) for p in problems]
    [(1, 'threshold', 'threshold-required'), (2, 'id', 'unique-id')]
    """
    targets: list[Target] = []
    problems: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for row, record, extra in rows:
        if isinstance(record, Target):
            target = record
        elif not isinstance(record, Mapping):
            problems.append({"file": file, "row": row, "column": None, "value": record,
                             "rule": catalogue_rules.rule_text(
                                 "record-type", f"not {type(record).__name__}"),
                             "code": "record-type", **extra})
            continue
        else:
            try:
                target = Target.model_validate(dict(record))
            except ValidationError as exc:
                problems.extend(_validation_problems(exc, record, file, row, extra))
                ident = record.get("id")
                if isinstance(ident, str) and ident in first_row:  # a repeat is said now too
                    problems.append(_unique_id_problem(ident, first_row[ident], file, row, extra))
                elif isinstance(ident, str):
                    first_row[ident] = row
                continue
        if target.id in first_row:
            problems.append(_unique_id_problem(target.id, first_row[target.id], file, row, extra))
            continue
        first_row[target.id] = row
        targets.append(target)
    problems.extend(_unit_problems(targets, first_row, file))
    return targets, problems


def _unique_id_problem(ident: str, first: int, file: str | None, row: int,
                       extra: Mapping[str, Any]) -> dict[str, Any]:
    """The problem of an id used in an earlier row."""
    return {"file": file, "row": row, "column": "id", "value": ident,
            "rule": catalogue_rules.rule_text(
                "unique-id", f"第 {first} 行已用 / used in row {first}"),
            "code": "unique-id", **extra}


def _unit_problems(targets: list[Target], rows: Mapping[str, int], file: str | None) -> list[dict[str, Any]]:
    """Targets judged on the same indicator must agree on its unit, ``bounded`` and ``signed``."""
    problems = []
    seen: dict[str, Target] = {}
    for target in targets:
        if target.indicator is None:
            continue
        first = seen.setdefault(target.indicator, target)
        for name in ("unit", "bounded", "signed"):
            # bounded and signed only when the units agree
            if getattr(target, name) != getattr(first, name):
                problems.append({
                    "file": file, "row": rows.get(target.id), "column": name,
                    "value": getattr(target, name),
                    "rule": catalogue_rules.rule_text(
                        f"indicator-{name}-consistent",
                        f"指标 {target.indicator!r} 在目标 {first.id!r} 中为 {name}={getattr(first, name)!r} "
                        f"/ indicator {target.indicator!r} has {name}={getattr(first, name)!r} in target "
                        f"{first.id!r}"),
                    "code": f"indicator-{name}-consistent"})
                break
    return problems


class Catalogue:
    """An immutable, ordered collection of targets with unique ids.

    Parameters
    ----------
    targets
        :class:`Target` records or mappings of their fields.
    name_zh, name_en
        Name of the catalogue (e.g. the plan's title).
    default_geo
        The area the targets apply to when an assessment names none.
    default_geo_en
        English name of ``default_geo`` for English reports (e.g. ``"Heping
        District"``); empty: the name hbkit knows (Tianjin's districts), else
        the Chinese name.
    path
        The file the targets were read from, as given (:meth:`from_file` sets
        it; :meth:`filter` keeps it); ``None`` for a catalogue built in Python
        or from a frame. The reports name it in the ``hbkit validate ...
        --catalogue FILE`` they suggest; it is no part of equality.

    Raises
    ------
    CatalogueError
        Some records are invalid, ids repeat, or an indicator appears with two
        units; ``.problems`` lists them all (``row`` is the 0-based position).

    Examples
    --------
    >>> cat = Catalogue([
    ...     Target(id="imr", indicator="infant_mortality_rate", kind="upper_bound",
    ...            threshold=5, unit="per_1000", plan="children", domain="health"),
    ...     {"id": "pre", "indicator": "preschool_gross_enrollment_rate", "kind": "lower_bound",
    ...      "threshold": 92, "unit": "percent", "plan": "children", "domain": "education"},
    ... ], name_en="mine")
    >>> len(cat), cat.ids, "imr" in cat
    (2, ('imr', 'pre'), True)
    >>> cat["pre"].bounded
    True
    >>> cat["im"]
    Traceback (most recent call last):
    ...
    hbkit.catalogue.catalogue.UnknownTargetError: 目录中没有该目标编号 / unknown target id 'im'. 您是否要找 / did you mean: 'imr'
    """

    __slots__ = ("_targets", "_index", "name_zh", "name_en", "default_geo", "default_geo_en",
                 "path")

    _targets: tuple[Target, ...]
    _index: dict[str, Target]
    name_zh: str
    name_en: str
    default_geo: str
    default_geo_en: str
    path: str | None

    def __init__(
        self,
        targets: Iterable[Target | Mapping[str, Any]] = (),
        *,
        name_zh: str = "",
        name_en: str = "",
        default_geo: str = "河北区",
        default_geo_en: str = "",
        path: str | PathLike[str] | None = None,
    ) -> None:
        if isinstance(targets, str | bytes | PathLike | Mapping):
            raise HbkitError(
                "目标目录应为目标列表；读取目录文件请用 hbkit.Catalogue.from_file(path)，随包目录用 "
                "hbkit.load_catalogue(plan) / a catalogue is built from a list of targets; read a "
                "catalogue file with hbkit.Catalogue.from_file(path), the shipped ones with "
                f"hbkit.load_catalogue(plan) (received {type(targets).__name__} {targets!r:.80})")
        valid, problems = validate_records((i, t, {}) for i, t in enumerate(targets))
        if problems:
            raise CatalogueError(name_columns(problems))
        set_ = object.__setattr__
        set_(self, "_targets", tuple(valid))
        set_(self, "_index", {t.id: t for t in valid})
        set_(self, "name_zh", str(name_zh))
        set_(self, "name_en", str(name_en))
        set_(self, "default_geo", str(default_geo))
        set_(self, "default_geo_en", str(default_geo_en))
        set_(self, "path", None if path is None else str(path))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"目标目录不可修改，不能设置 {name!r} / Catalogue is immutable; "
                             f"cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"目标目录不可修改，不能删除 {name!r} / Catalogue is immutable; "
                             f"cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle and copy by the constructor (``__setattr__`` refuses the default way), so that
        a catalogue, and an assessment holding one, survive ``pickle`` (a dashboard's cache,
        ``multiprocessing``) and ``copy.deepcopy``."""
        return (_rebuild, (*self._key(), self.path))

    # ------------------------------------------------------------ container

    def __len__(self) -> int:
        return len(self._targets)

    def __iter__(self) -> Iterator[Target]:
        return iter(self._targets)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, Target):
            return self._index.get(key.id) == key
        return key in self._index

    def __getitem__(self, key: str) -> Target:
        try:
            return self._index[key]
        except (KeyError, TypeError):
            raise UnknownTargetError(str(key), self.suggest(str(key))) from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalogue):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[Any, ...]:
        """Everything a catalogue is: equality, hashing and pickling (:func:`_rebuild`)."""
        return (self._targets, self.name_zh, self.name_en, self.default_geo, self.default_geo_en)

    def __repr__(self) -> str:
        counts = ", ".join(f"{plan} {n}" for plan, n in self._plan_counts().items())
        name = self.name_zh or self.name_en
        return f"<Catalogue{' ' + name if name else ''}: {len(self)} targets{' (' + counts + ')' if counts else ''}>"

    def _repr_html_(self) -> str:
        columns = ["id", "plan", "domain_zh", "kind", "threshold", "unit", "name_zh", "name_en"]
        return f"<p>{repr(self)[1:-1]}</p>" + self.to_frame()[columns].to_html(index=False, na_rep="")

    def _plan_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for target in self._targets:
            counts[str(target.plan)] = counts.get(str(target.plan), 0) + 1
        return counts

    @property
    def targets(self) -> tuple[Target, ...]:
        """The targets, in catalogue order."""
        return self._targets

    @property
    def last_target_year(self) -> int | None:
        """The latest target year of the catalogue: the plans' end (``None`` when empty).

        >>> load_catalogue().last_target_year
        2025
        """
        return max((int(t.target_year) for t in self._targets), default=None)

    @property
    def ids(self) -> tuple[str, ...]:
        """The target ids, in catalogue order."""
        return tuple(self._index)

    def suggest(self, key: str, n: int = 3) -> list[str]:
        """Ids close to ``key``: by spelling, or targets whose indicator or name is ``key``.

        Examples
        --------
        >>> load_catalogue().suggest("W-health-maternal-mortalty", n=2)
        ['W-health-maternal-mortality', 'W-health-migrant-maternal-mortality']
        >>> load_catalogue().suggest("maternal_mortality_ratio")
        ['W-health-maternal-mortality']
        """
        n = count_at_least("n", n, 1, "n（建议的个数）", "n (how many suggestions)")
        by_meaning = [t.id for t in self._targets if key in (t.indicator, t.name_zh, t.name_en)]
        by_spelling = difflib.get_close_matches(key, list(self._index), n=n, cutoff=0.6)
        return list(dict.fromkeys(by_spelling + by_meaning))[: max(n, len(by_meaning))]

    # ------------------------------------------------------------ queries

    def filter(
        self,
        plan: str | Iterable[str] | None = None,
        domain: str | Iterable[str] | None = None,
        kind: str | Iterable[str] | None = None,
        quantitative: bool | None = None,
    ) -> Catalogue:
        """The targets matching every given condition, as a new catalogue.

        Each of ``plan``, ``domain`` and ``kind`` is one word or a list of
        words (any of them matches); ``quantitative=True`` keeps every
        non-qualitative target, ``False`` the qualitative ones.

        Examples
        --------
        >>> cat = load_catalogue()
        >>> health = cat.filter(plan="women", domain="health", quantitative=True)
        >>> {t.domain for t in health}, all(t.kind != "qualitative" for t in health)
        ({'health'}, True)
        >>> cat.filter(kind="bound")
        Traceback (most recent call last):
        ...
        hbkit.exceptions.HbkitError: kind 须为 'upper_bound'、...；收到 'bound' / kind must be one of 'upper_bound', ...; received 'bound'
        """
        wanted = {
            "plan": _choices("plan", plan, PLANS),
            "domain": _choices("domain", domain, DOMAINS),
            "kind": _choices("kind", kind, TARGET_KINDS),
        }
        kept = [
            t for t in self._targets
            if all(allowed is None or getattr(t, name) in allowed for name, allowed in wanted.items())
            and (quantitative is None or t.is_quantitative == bool(quantitative))
        ]
        return Catalogue(kept, name_zh=self.name_zh, name_en=self.name_en, default_geo=self.default_geo,
                         default_geo_en=self.default_geo_en, path=self.path)

    def to_frame(self) -> pd.DataFrame:
        """One row per target, every field a column (in the order of :class:`Target`).

        Examples
        --------
        >>> frame = load_catalogue(plan="women").to_frame()
        >>> list(frame.columns[:4]), frame["id"].is_unique
        (['id', 'plan', 'domain', 'domain_zh'], True)
        """
        records = [t.model_dump(mode="python") for t in self._targets]
        frame = pd.DataFrame.from_records(records, columns=list(catalogue_io.FIELDS))
        frame["threshold"] = pd.to_numeric(frame["threshold"]).astype(float)
        return frame

    def indicator_table(self) -> pd.DataFrame:
        """One row per indicator id: what the observations must carry.

        Columns ``indicator, unit, bounded, signed, name_zh, name_en, direction,
        plan, domain, n_targets``. Names, direction, plan and domain come from the
        first target judged on the indicator; the reference indicators of
        relational targets are listed too (``n_targets`` counts the targets
        judged on the indicator itself).

        Examples
        --------
        >>> table = load_catalogue(plan="women").indicator_table()
        >>> row = table.set_index("indicator").loc["maternal_mortality_ratio"]
        >>> row["unit"], int(row["n_targets"])
        ('per_100k', 1)
        """
        rows: dict[str, dict[str, Any]] = {}
        for target in self._targets:
            if target.indicator is None:
                continue
            row = rows.setdefault(target.indicator, {
                "indicator": target.indicator, "unit": target.unit, "bounded": target.bounded,
                "signed": target.signed, "name_zh": target.name_zh, "name_en": target.name_en,
                "direction": target.direction, "plan": target.plan, "domain": target.domain,
                "n_targets": 0})
            row["n_targets"] += 1
        for target in self._targets:
            ref = target.reference_indicator
            if ref is not None and ref not in rows:
                rows[ref] = {"indicator": ref, "unit": target.unit, "bounded": target.bounded,
                             "signed": target.signed, "name_zh": target.reference_name_zh,
                             "name_en": target.reference_name_en, "direction": "none",
                             "plan": target.plan, "domain": target.domain, "n_targets": 0}
        columns = ["indicator", "unit", "bounded", "signed", "name_zh", "name_en", "direction",
                   "plan", "domain", "n_targets"]
        return pd.DataFrame(list(rows.values()), columns=columns)

    def summary(self) -> pd.DataFrame:
        """Counts of targets by plan (rows) and kind (columns), with totals.

        Examples
        --------
        >>> table = load_catalogue().summary()
        >>> int(table.loc["total", "total"]) == len(load_catalogue())
        True
        """
        frame = self.to_frame()
        if frame.empty:
            return pd.DataFrame()
        frame["plan"] = frame["plan"].fillna("-")
        return pd.crosstab(frame["plan"], frame["kind"], margins=True, margins_name="total")

    # ------------------------------------------------------------ files

    @classmethod
    def from_file(cls, path: str | Path) -> Catalogue:
        """Read a catalogue from a ``.yaml``/``.yml``, ``.csv`` or ``.xlsx`` file.

        The file's type is decided by its content, as a data file's is: a workbook
        whatever its name, text as YAML when the name ends in ``.yaml``/``.yml`` and
        as CSV otherwise; a name that says the other type (text named ``.xlsx``) is
        read with a :class:`~hbkit.exceptions.CatalogueWarning` saying so.

        Every record is validated; all problems (broken rules, unknown
        columns, duplicate ids, an indicator with two units) are collected
        into one :class:`~hbkit.exceptions.CatalogueError` whose ``problems``
        table names the file, the row a user sees (the 1-based target index
        in YAML, with its ``line``; the row number in CSV and Excel, header =
        row 1), the column (field), the value and the rule.

        A target that gives no target year takes the year the file's other
        targets give, with a :class:`~hbkit.exceptions.CatalogueWarning` naming
        the rows (never the 2025 a :class:`Target` built in Python takes: a
        2026-2030 catalogue would judge it as a 2021-2025 target); when no
        target gives one, or two years are given equally often, it is a
        problem (:func:`fill_target_years`).

        Raises
        ------
        FileError
            The file does not exist, is empty, is a legacy ``.xls``, a web
            page or an Excel 2003 XML spreadsheet (refused with advice to save
            it as ``.xlsx``, as a data file is), or cannot be read or parsed
            (``code`` as for a data file: ``file-missing``, ``file-format``,
            ``file-empty``, ``file-unreadable``). An empty or unreadable file's error
            (:class:`~hbkit.exceptions.CatalogueFileError`) is also a
            ``CatalogueError``.
        CatalogueError
            The file is not a catalogue, or has bad records.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
        >>> _ = path.write_text("id,indicator,kind,threshold,unit,target_year\\n"
        ...                     "a,cov,lower_bound,95,percent,2030\\n"
        ...                     "b,cov,lower_bound,,percent,2030\\n"
        ...                     "a,imr,upper_bound,5,per_1000,2030\\n", encoding="utf-8")
        >>> try:
        ...     Catalogue.from_file(path)
        ... except CatalogueError as exc:
        ...     print(exc.problems[["row", "column", "code"]])
           row     column                code
        0    3  threshold  threshold-required
        1    4         id           unique-id
        """
        raw = catalogue_io.read_raw(path)
        return cls(_valid_targets(raw), **raw.meta, path=path)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, name_zh: str = "", name_en: str = "",
                   default_geo: str = "河北区", default_geo_en: str = "") -> Catalogue:
        """Build a catalogue from a table with one row per target (as :meth:`to_frame` returns).

        Columns are field names (or their Chinese names, e.g. ``目标编号``);
        empty cells (NaN, None, "") mean the field's default, except the target
        year, which is read as in :meth:`from_file` (a blank one takes the year
        of the other rows, with a warning; none at all is a problem). Problems
        name the row by its 0-based position in the frame.

        Examples
        --------
        >>> cat = load_catalogue("women")
        >>> Catalogue.from_frame(cat.to_frame()).targets == cat.targets
        True
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"id": ["a", "b"], "kind": ["upper_bound", "qualitative"],
        ...                       "indicator": ["imr", None], "threshold": [None, None],
        ...                       "target_year": [2030, 2030]})
        >>> try:
        ...     Catalogue.from_frame(frame)
        ... except CatalogueError as exc:
        ...     print(exc.problems[["row", "column", "code"]])
           row     column                code
        0    0  threshold  threshold-required
        """
        body = [(position, [_plain(v) for v in row])
                for position, row in enumerate(frame.itertuples(index=False, name=None))]
        raw = catalogue_io.records_from_cells(None, list(frame.columns), None, body)
        return cls(_valid_targets(raw), name_zh=name_zh, name_en=name_en,
                   default_geo=default_geo, default_geo_en=default_geo_en)

    def to_file(self, path: str | Path) -> Path:
        """Write the catalogue to ``.yaml``/``.yml``, ``.csv`` or ``.xlsx``; return the path.

        YAML and Excel keep the catalogue's names and default geo; CSV (UTF-8
        with a byte-order mark, so Excel shows Chinese) holds the targets only.
        Reading the file back gives the same targets.
        """
        meta = {"name_zh": self.name_zh, "name_en": self.name_en, "default_geo": self.default_geo,
                "default_geo_en": self.default_geo_en}
        return catalogue_io.write_file(path, self._targets, meta)

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """The JSON schema of one :class:`Target` record.

        Examples
        --------
        >>> schema = Catalogue.json_schema()
        >>> schema["required"], "threshold" in schema["properties"]
        (['id', 'kind'], True)
        """
        return Target.model_json_schema()


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (``np.int64(3)`` -> ``3``)."""
    return value.item() if hasattr(value, "item") and hasattr(value, "dtype") else value


def _problem_order(problem: Mapping[str, Any]) -> tuple[int, int]:
    row = problem.get("row")
    return (0, -1) if row is None else (1, int(row))


def _choices(name: str, value: str | Iterable[str] | None, allowed: tuple[str, ...]) -> set[str] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    return {check_choice(name, v, allowed) for v in values}


@cache
def _load_shipped(plan: str) -> Catalogue | None:
    resource = resources.files("hbkit.catalogue").joinpath("data", SHIPPED_FILES[plan])
    if not resource.is_file():
        return None
    with resources.as_file(resource) as path:
        return Catalogue.from_file(path)


def load_catalogue(plan: str | None = None) -> Catalogue:
    """The catalogue shipped with hbkit: both plans, or one.

    Parameters
    ----------
    plan
        ``None`` for both plans (women's first), ``"women"`` or ``"children"``.

    Returns
    -------
    Catalogue
        Default geo ``河北区``; every target has its exact clause of the plan
        in ``text_zh``.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> cat["W-health-maternal-mortality"].threshold
    8.5
    >>> load_catalogue("women").name_zh
    '河北区妇女发展“十四五”规划'

    A catalogue file is read by :meth:`Catalogue.from_file`; given here, it is an
    error that says so:

    >>> load_catalogue("my-targets.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    hbkit.exceptions.HbkitError: load_catalogue 只读取随包目录...请用 hbkit.Catalogue.from_file('my-targets.xlsx')...
    """
    _refuse_file(plan)
    if plan is not None:
        check_choice("plan", plan, PLANS)
        found = _load_shipped(plan)
        if found is None:
            raise HbkitError(f"未找到随包目录 / shipped catalogue of plan {plan!r} not found")
        return found
    parts = [c for c in (_load_shipped(p) for p in SHIPPED_FILES) if c is not None]
    if not parts:
        raise HbkitError("未找到随包目录 / no shipped catalogue found")
    if len(parts) == 1:
        return parts[0]
    targets = [t for part in parts for t in part]
    return Catalogue(targets, name_zh="河北区妇女和儿童发展“十四五”规划",
                     name_en="Hebei District Women's and Children's Development Plans, 14th Five-Year "
                             "period (2021-2025)",
                     default_geo=parts[0].default_geo)


def _refuse_file(plan: Any) -> None:
    """A path given to :func:`load_catalogue` (a catalogue file of one's own) is an error
    naming :meth:`Catalogue.from_file`, not "plan must be 'women' or 'children'"."""
    is_path = isinstance(plan, PathLike) or (
        isinstance(plan, str) and (Path(plan).suffix.lower() in catalogue_io.FORMATS
                                   or "/" in plan or "\\" in plan))
    if is_path:
        raise HbkitError(
            f"load_catalogue 只读取随包目录（plan 为 'women'、'children' 或不给）；读取目录文件请用 "
            f"hbkit.Catalogue.from_file({str(plan)!r})；收到 {plan!r} / load_catalogue reads the "
            "shipped catalogue (plan 'women', 'children' or none); read a catalogue file with "
            f"hbkit.Catalogue.from_file({str(plan)!r}); received {plan!r}")


def _rebuild(targets: tuple[Target, ...], name_zh: str, name_en: str, default_geo: str,
             default_geo_en: str = "", path: str | None = None) -> Catalogue:
    """A :class:`Catalogue` from its pickled parts (:meth:`Catalogue.__reduce__`)."""
    return Catalogue(targets, name_zh=name_zh, name_en=name_en, default_geo=default_geo,
                     default_geo_en=default_geo_en, path=path)
