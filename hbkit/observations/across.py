"""Checks across rows that give warnings: area names and percents typed as fractions.

A row can be valid on its own and still look wrong beside the others. These
checks run on the clean rows after duplicates are merged; what they find is a
``warning`` (see :mod:`hbkit.observations.rules`): the row is used as it is and
listed in ``Observations.warnings`` with the file, row, column and the cell as
written, so that an analyst can correct the file. Nothing is refused, since an
area the checks find odd may be legitimate (another district's data).

* ``geo-street-top-level``: a top-level area whose name is a street-like unit
  (ends in 街道, 街, 镇, 乡, 社区, 村, ...) while the data name sub-units the
  hbkit way, ``district/street`` (or name that very street under a district):
  ``光复道街道`` beside ``河北区/光复道街道`` would become a separate area. When
  the data name no sub-units, the district suggested is the only top-level
  area that is not street-like, or the catalogue's default area when there is
  none; with several districts and no sub-units nothing is said.
* ``geo-similar``: two area names that differ only by an administrative suffix
  or by spaces (``河北`` and ``河北区``, ``天津`` and ``天津市``): the rows of the
  less frequent name are listed, with the more frequent one suggested.
* ``geo-one-edit``: a top-level area name one character away (one substituted,
  inserted or deleted character) from another area of the data or from the
  catalogue's default area, when it is not itself a well-formed name
  (``河北去`` or ``河北曲`` beside ``河北区``). Two names that both end in an
  administrative suffix (``河东区`` and ``河北区``, ``河北省`` and ``河北区``) are
  taken as two places, so ``河比区`` is not caught; so are names without Chinese
  characters (codes) and two-character names (``北京``, ``南京``).
* ``value-looks-fraction``: a percent in (0, 1] whose series (same indicator
  and area) has at least two other values, all above 1, with 100 times the
  value among them (``0.95`` beside ``95.1`` and ``96``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from hbkit._typing import GEO_SEPARATOR
from hbkit.observations.rules import problem

#: endings of street-level units (乡镇街道、社区、村), longest first
STREET_SUFFIXES: tuple[str, ...] = ("街道办事处", "村委会", "居委会", "办事处", "街道", "社区",
                                    "街", "镇", "乡", "村")
#: administrative endings ignored when comparing area names, longest first
ADMIN_SUFFIXES: tuple[str, ...] = ("特别行政区", "自治州", "自治县", "自治区", *STREET_SUFFIXES,
                                   "新区", "地区", "省", "市", "区", "县", "旗", "盟")
#: endings that name the same kind of unit (街道 and 街 are both streets)
_SAME_KIND = {"街道办事处": "街道", "办事处": "街道", "街": "街道"}
_SPACE = re.compile(r"\s+")

#: ``(table, position) -> (column header, cell as received)`` of a clean row's geo
GeoCell = Callable[[int, int], "tuple[str, object] | None"]
#: ``(table, position, year) -> (column header, cell as received)`` of a clean row's value
ValueCell = Callable[[int, int, int], "tuple[str, object]"]


def split_suffix(name: str, suffixes: tuple[str, ...] = ADMIN_SUFFIXES) -> tuple[str, str]:
    """``(stem, suffix)`` of an area name without spaces; the suffix is ``""`` when none
    fits or when it is the whole name.

    Examples
    --------
    >>> split_suffix("河北区"), split_suffix("河北"), split_suffix("光复道街道")
    (('河北', '区'), ('河北', ''), ('光复道', '街道'))
    >>> split_suffix("天 津 市")
    ('天津', '市')
    """
    text = _SPACE.sub("", name)
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)], suffix
    return text, ""


def is_street_like(name: str) -> bool:
    """Does the (single-level) area name end like a street, town, community or village?

    >>> is_street_like("光复道街道"), is_street_like("宁园街"), is_street_like("河北区")
    (True, True, False)
    """
    return bool(split_suffix(name, STREET_SUFFIXES)[1])


def _near(a: str, b: str) -> bool:
    """Same area written two ways: each level has the same stem, and suffixes that agree
    or are missing on one side."""
    parts_a, parts_b = a.split(GEO_SEPARATOR), b.split(GEO_SEPARATOR)
    if a == b or len(parts_a) != len(parts_b):
        return False
    for x, y in zip(parts_a, parts_b, strict=True):
        (stem_x, end_x), (stem_y, end_y) = split_suffix(x), split_suffix(y)
        if stem_x != stem_y:
            return False
        if end_x and end_y and _SAME_KIND.get(end_x, end_x) != _SAME_KIND.get(end_y, end_y):
            return False
    return True


def one_edit_apart(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one character substituted, inserted or deleted.

    >>> one_edit_apart("河北去", "河北区"), one_edit_apart("河北", "河北区")
    (True, True)
    >>> one_edit_apart("和平区", "河北区"), one_edit_apart("河北区", "河北区")
    (False, False)
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for i, char in enumerate(short):
        if char != long[i]:
            return short[i:] == long[i + 1:]
    return True


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _typo_pair(a: str, b: str) -> bool:
    """One edit apart, both Chinese names (codes such as 110105 and 110106, or X and Y,
    are not typos of each other) and the longer of at least three characters (北京 and
    南京 are two places)."""
    return (max(len(a), len(b)) >= 3 and bool(_CJK.search(a)) and bool(_CJK.search(b))
            and one_edit_apart(a, b))


def _deletions(name: str) -> set[str]:
    """``name`` and every string with one of its characters deleted: two names are one edit
    apart only if these sets meet (Mor & Fraenkel's deletion neighbourhood), so candidate
    pairs are found through an index rather than by comparing every pair.

    >>> sorted(_deletions("河北区"))
    ['北区', '河北', '河北区', '河区']
    """
    return {name, *(name[:i] + name[i + 1:] for i in range(len(name)))}


def _one_edit(counts: dict[str, int], default_geo: str | None,
              found: dict[str, tuple[str, str]]) -> None:
    """Add ``geo-one-edit`` warnings to ``found``: a name whose top-level part (the whole
    name, or the district before ``/``) is one character off another's or the default area."""
    totals: defaultdict[str, int] = defaultdict(int)
    by_first: defaultdict[str, list[str]] = defaultdict(list)
    for geo, n in counts.items():
        first = geo.split(GEO_SEPARATOR)[0]
        totals[first] += n
        by_first[first].append(geo)
    known = set(totals)
    if default_geo and GEO_SEPARATOR not in default_geo:
        known.add(default_geo)
    compact = {g: _SPACE.sub("", g) for g in known}
    suffixed = {g: bool(split_suffix(g)[1]) for g in known}
    index: defaultdict[str, set[str]] = defaultdict(set)
    for g in known:
        for variant in _deletions(compact[g]):
            index[variant].add(g)

    def rank(g: str) -> tuple[bool, bool, int]:
        # the right spelling: the catalogue's default area, then a well-formed name,
        # then the more frequent
        return g == default_geo, suffixed[g], totals.get(g, 0)

    # the top-level part of every name: a district mistyped before its streets
    # (河北去/光复道街道) is the same typo as a district alone
    for first in sorted(known):
        if first == default_geo:
            continue
        candidates = set().union(*(index[v] for v in _deletions(compact[first])))
        # two names with an administrative suffix each (河东区, 河北区) are two places
        close = [g for g in candidates if not (suffixed[first] and suffixed[g])
                 and _typo_pair(compact[first], compact[g]) and rank(g) > rank(first)]
        if not close:
            continue
        best = sorted(close, key=lambda g: (*(-int(x) for x in rank(g)), g))[0]
        for geo in sorted(by_first.get(first, [])):
            head, separator, rest = geo.partition(GEO_SEPARATOR)
            if geo not in found:
                found[geo] = ("geo-one-edit", f"did you mean '{best}{separator}{rest}'?")


def area_suggestions(counts: dict[str, int],
                     default_geo: str | None = None) -> dict[str, tuple[str, str]]:
    """Area names that look mistyped: ``{name: (rule code, detail)}``.

    ``counts`` gives the number of rows of each area name (``geo``);
    ``default_geo`` is the catalogue's area (``河北区``), the district a bare
    street is put under when the data name no district, and a right spelling
    for ``geo-one-edit``.

    Examples
    --------
    >>> found = area_suggestions({"河北区": 9, "河北": 1, "河北区/光复道街道": 2,
    ...                           "光复道街道": 1, "和平区": 4})
    >>> for name, (code, detail) in sorted(found.items()):
    ...     print(name, code, detail)
    光复道街道 geo-street-top-level did you mean '河北区/光复道街道'?
    河北 geo-similar did you mean '河北区' (9 rows)?
    >>> area_suggestions({"河北去": 1, "河北区": 1}, default_geo="河北区")
    {'河北去': ('geo-one-edit', "did you mean '河北区'?")}
    >>> area_suggestions({"河北区/宁园街道": 1, "河北去/光复道街道": 1}, default_geo="河北区")
    {'河北去/光复道街道': ('geo-one-edit', "did you mean '河北区/光复道街道'?")}
    >>> area_suggestions({"光复道街道": 1, "河北区": 1})
    {'光复道街道': ('geo-street-top-level', "did you mean '河北区/光复道街道'?")}
    """
    found: dict[str, tuple[str, str]] = {}
    subunits = [g for g in counts if GEO_SEPARATOR in g]
    parents = sorted({g.rpartition(GEO_SEPARATOR)[0] for g in subunits})
    typos: dict[str, tuple[str, str]] = {}
    _one_edit(counts, default_geo, typos)
    if not parents:
        # no sub-units: the one top-level district of the data, else the catalogue's
        districts = sorted(g for g in counts if not is_street_like(g) and g not in typos)
        if len(districts) == 1:
            parents = districts
        elif not districts and default_geo:
            parents = [default_geo]
    under: defaultdict[str, list[str]] = defaultdict(list)
    for geo in subunits:
        under[_SPACE.sub("", geo.rpartition(GEO_SEPARATOR)[2])].append(geo)
    for geo in counts:
        if GEO_SEPARATOR in geo or not is_street_like(geo):
            continue
        written = sorted(under.get(_SPACE.sub("", geo), []))
        if written:
            found[geo] = ("geo-street-top-level",
                          "did you mean " + " or ".join(f"'{g}'" for g in written) + "?")
        elif len(parents) == 1:
            found[geo] = ("geo-street-top-level", f"did you mean '{parents[0]}/{geo}'?")
        elif parents:
            found[geo] = ("geo-street-top-level",
                          f"write it as 'district/{geo}' (districts here: "
                          + ", ".join(parents) + ")")
    groups: defaultdict[tuple[str, ...], list[str]] = defaultdict(list)
    for geo in counts:
        groups[tuple(split_suffix(p)[0] for p in geo.split(GEO_SEPARATOR))].append(geo)
    for names in groups.values():
        if len(names) < 2:
            continue
        # the most frequent name is taken as the right one (on a tie, the one without
        # spaces, then the one with suffixes)
        def rank(g: str) -> tuple[int, bool, int]:
            return counts[g], not _SPACE.search(g), len(_SPACE.sub("", g))

        ranked = sorted(names, key=lambda g: (*(-x for x in rank(g)), g))
        for geo in ranked:
            if geo in found:
                continue
            better = [g for g in ranked if g != geo and _near(geo, g) and rank(g) > rank(geo)]
            if better:
                n = counts[better[0]]
                found[geo] = ("geo-similar", f"did you mean '{better[0]}' "
                              f"({'1 row' if n == 1 else f'{n} rows'})?")
    for geo, entry in typos.items():
        found.setdefault(geo, entry)
    return found


def check_areas(frame: pd.DataFrame, geo_cell: GeoCell,
                default_geo: str | None = None) -> list[dict[str, object]]:
    """Warnings for the rows whose area looks mistyped (see :func:`area_suggestions`).

    ``frame`` holds the clean rows (with ``table`` and ``position``); one
    warning per row of the source (a wide row is one row however many years),
    with the row's ``indicator``, ``geo`` and ``year`` (``None`` for a row of
    several years).
    """
    if frame.empty:
        return []
    counts = Counter(frame["geo"].astype(str).tolist())
    found = area_suggestions(dict(counts), default_geo)
    if not found:
        return []
    entries: dict[tuple[object, ...], dict[str, object]] = {}
    years: defaultdict[tuple[object, ...], set[int]] = defaultdict(set)
    flagged = frame[frame["geo"].isin(list(found))]
    for rec in flagged.to_dict("records"):
        key = (rec["file"], rec["row"], rec["geo"])
        years[key].add(int(rec["year"]))
        if key in entries:
            continue
        cell = geo_cell(int(rec["table"]), int(rec["position"]))
        column, received = cell if cell is not None else ("geo", rec["geo"])
        code, detail = found[str(rec["geo"])]
        entries[key] = {**problem(str(rec["file"]), int(rec["row"]), column, received, code,
                                  detail), "indicator": rec["indicator"], "geo": rec["geo"]}
    # the year of a row of one year (long layout); none for a wide row of several years
    return [{**entry, "year": next(iter(years[key])) if len(years[key]) == 1 else None}
            for key, entry in entries.items()]


def check_fractions(frame: pd.DataFrame, value_cell: ValueCell) -> list[dict[str, object]]:
    """Warnings for percents that look typed as fractions (``0.95`` among values near 95).

    A value ``v`` in (0, 1] with unit ``percent`` is flagged when its series
    (indicator and area) has at least two other values, all above 1, and
    ``100 v`` lies between half the smallest of them and 1.5 times the largest
    (at most 100).
    """
    if frame.empty:
        return []
    percent = frame[(frame["unit"] == "percent").to_numpy()]
    values = pd.to_numeric(percent["value"], errors="coerce").astype(float)
    candidate = (values > 0) & (values <= 1)
    if not candidate.any():
        return []
    keys = [percent["indicator"], percent["geo"]]
    finite = values.where(np.isfinite(values))
    above = finite.where(finite > 1)
    n_finite = finite.groupby(keys).transform("count")
    n_above = above.groupby(keys).transform("count")
    low = above.groupby(keys).transform("min")
    high = above.groupby(keys).transform("max")
    scaled = values * 100
    flag = (candidate & (n_above == n_finite - 1) & (n_above >= 2)
            & (scaled >= 0.5 * low) & (scaled <= np.minimum(100.0, 1.5 * high)))
    entries: list[dict[str, object]] = []
    for rec in percent[flag.to_numpy()].to_dict("records"):
        column, cell = value_cell(int(rec["table"]), int(rec["position"]), int(rec["year"]))
        received: Any = rec["value"] if cell is None else cell
        entries.append({**problem(
            str(rec["file"]), int(rec["row"]), column, received, "value-looks-fraction",
            f"{rec['value']:g} {rec['unit']}; did you mean {rec['value'] * 100:g}?"),
            "indicator": rec["indicator"], "geo": rec["geo"], "year": int(rec["year"])})
    return entries
