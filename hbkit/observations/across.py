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
* ``geo-one-edit-sibling``: a sub-unit name one character away from another
  sub-unit of the same parent (``河东区/中山们街道`` beside ``河东区/中山门街道``),
  when the two never have a value for the same indicator in the same year.
  Sibling streets often differ by one character (``教育部门领导班子`` and
  ``体育部门领导班子``), so the suffix is no sign here; what tells a typo is that
  a mistyped row takes the place of the right one, whereas two real units
  report the same indicators in the same years. The name with fewer
  observations is flagged, the other suggested; with as many each, both are
  flagged, neither taken as right. Names differing only by a suffix
  (``王串场街道`` and ``王串场街``) are left to ``geo-similar``; the same
  exclusions as ``geo-one-edit`` apply (codes, two-character names).
* ``value-looks-fraction``: a percent in (0, 1] whose series (same indicator
  and area) has at least two other values, all above 1, with 100 times the
  value among them (``0.95`` beside ``95.1`` and ``96``).

A value far off the trend of its own series (``value-far-from-trend``, a likely
data-entry error) is found by :mod:`hbkit.observations.outliers`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hbkit._typing import GEO_SEPARATOR, UNIT_ZH
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


def _one_edit_neighbours(compact: Mapping[str, str]) -> dict[str, set[str]]:
    """For each name, the names one character off it (:func:`_typo_pair` on the compact
    forms ``compact`` gives them), found through a one-deletion index (:func:`_deletions`),
    so the time grows with the number of names, not of pairs.

    >>> _one_edit_neighbours({"河北区": "河北区", "河北去": "河北去", "和平区": "和平区"})
    {'河北区': {'河北去'}, '河北去': {'河北区'}, '和平区': set()}
    """
    chinese = {name: text for name, text in compact.items() if _CJK.search(text)}  # see _typo_pair
    deletions = {name: _deletions(text) for name, text in chinese.items()}
    index: defaultdict[str, set[str]] = defaultdict(set)
    for name, variants in deletions.items():
        for variant in variants:
            index[variant].add(name)
    return {name: {other for variant in deletions.get(name, ()) for other in index[variant]
                   if other != name and _typo_pair(text, compact[other])}
            for name, text in compact.items()}


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
    suffixed = {g: bool(split_suffix(g)[1]) for g in known}
    neighbours = _one_edit_neighbours({g: _SPACE.sub("", g) for g in known})

    def rank(g: str) -> tuple[bool, bool, int]:
        # the right spelling: the catalogue's default area, then a well-formed name,
        # then the more frequent
        return g == default_geo, suffixed[g], totals.get(g, 0)

    # the top-level part of every name: a district mistyped before its streets
    # (河北去/光复道街道) is the same typo as a district alone
    for first in sorted(known):
        if first == default_geo:
            continue
        # two names with an administrative suffix each (河东区, 河北区) are two places
        close = [g for g in neighbours[first] if not (suffixed[first] and suffixed[g])
                 and rank(g) > rank(first)]
        if not close:
            continue
        best = sorted(close, key=lambda g: (*(-int(x) for x in rank(g)), g))[0]
        for geo in sorted(by_first.get(first, [])):
            head, separator, rest = geo.partition(GEO_SEPARATOR)
            if geo not in found:
                found[geo] = ("geo-one-edit", did_you_mean(f"'{best}{separator}{rest}'"))


def did_you_mean(zh: str, en: str | None = None) -> str:
    """A suggestion, Chinese first then English, as the details of these warnings say it
    (``是否应为 …？ / did you mean …?``); ``en`` defaults to ``zh`` (a name, a number).

    >>> print(did_you_mean("'河北区'"))
    是否应为 '河北区'？ / did you mean '河北区'?
    >>> print(did_you_mean("'河北区'（9 行）", "'河北区' (9 rows)"))
    是否应为 '河北区'（9 行）？ / did you mean '河北区' (9 rows)?
    """
    return f"是否应为 {zh}？ / did you mean {zh if en is None else en}?"


def fraction_detail(value: float, unit: str) -> str:
    """The detail of a ``value-looks-fraction`` warning (Chinese / English).

    >>> print(fraction_detail(0.97, "percent"))
    0.97%，是否应为 97？ / 0.97 percent; did you mean 97?
    """
    hundred = f"{value * 100:g}"
    return (f"{value:g}{UNIT_ZH.get(unit, unit)}，是否应为 {hundred}？ / {value:g} {unit}; "
            f"did you mean {hundred}?")


def sibling_pairs(names: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of sub-unit names under the same parent whose last parts are one character
    apart (substituted, inserted or deleted), each pair once, sorted.

    Candidates come from a one-deletion index per parent, so the time grows with the
    number of names, not of pairs. Names without Chinese characters, two-character
    names and names differing only by an administrative suffix or spaces (left to
    ``geo-similar``) are not paired.

    Examples
    --------
    >>> sibling_pairs(["河东区/中山门街道", "河东区/中山们街道", "河东区/大王庄街道",
    ...                "河北区/中山们街道", "河东区/大直沽街道", "河东区/王串场街"])
    [('河东区/中山们街道', '河东区/中山门街道')]
    >>> sibling_pairs(["河北区/王串场街道", "河北区/王串场街", "a/street01", "a/street02"])
    []
    """
    by_parent: defaultdict[str, list[str]] = defaultdict(list)
    for geo in names:
        parent, separator, _ = geo.rpartition(GEO_SEPARATOR)
        if separator:
            by_parent[parent].append(geo)
    pairs: set[tuple[str, str]] = set()
    for geos in by_parent.values():
        if len(geos) < 2:
            continue
        leaf = {g: _SPACE.sub("", g.rpartition(GEO_SEPARATOR)[2]) for g in geos}
        for g, others in _one_edit_neighbours(leaf).items():
            pairs.update((g, other) for other in others if g < other and not _near(g, other))
    return sorted(pairs)


def _where(n: int, reported: Collection[tuple[str, int]], files: Sequence[str]
           ) -> tuple[str, str, str, str]:
    """A spelling's observations: how many (Chinese, English), and the years with a value
    and the files, up to three then how many more (Chinese, English; ``""`` when none)."""
    years = sorted({year for _, year in reported})
    span = (f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}") if years else ""
    shown = ", ".join(files[:3]) + (f", +{len(files) - 3}" if len(files) > 3 else "")
    extra_zh = "，".join([*([span.replace("-", "—") + "年"] if span else []),
                         *([shown] if shown else [])])
    extra_en = ", ".join([*([span] if span else []), *([shown] if shown else [])])
    return f"{n} 条观测", f"{n} observation{'' if n == 1 else 's'}", extra_zh, extra_en


def sibling_typos(pairs: Iterable[tuple[str, str]], counts: Mapping[str, int],
                  reported: Mapping[str, Collection[tuple[str, int]]],
                  files: Mapping[str, Sequence[str]] | None = None
                  ) -> dict[str, tuple[str, str]]:
    """``geo-one-edit-sibling`` warnings: ``{name: (rule code, detail)}``.

    Parameters
    ----------
    pairs : iterable of (str, str)
        Sibling names one character apart (:func:`sibling_pairs`).
    counts : mapping of str to int
        Observations (rows of the long table) of each name.
    reported : mapping of str to collection of (str, int)
        The ``(indicator, year)`` of each name's observations with a value. A pair
        that shares one is two real units, never a typo.
    files : mapping of str to sequence of str, optional
        The files each name's rows come from, named in the detail.

    Returns
    -------
    dict
        For the name of the pair with fewer observations, the rule code and a
        detail suggesting the other, naming both spellings with their
        observations, years and files. With as many observations each, both
        names are given, each naming the other, without taking either as right.
        A name close to several is given the one with most observations.

    Examples
    --------
    >>> found = sibling_typos([("河东区/中山们街道", "河东区/中山门街道")],
    ...                       {"河东区/中山门街道": 7, "河东区/中山们街道": 1},
    ...                       {"河东区/中山门街道": {("imm", y) for y in range(2019, 2026)},
    ...                        "河东区/中山们街道": {("imm", 2026)}},
    ...                       {"河东区/中山门街道": ["a.csv"], "河东区/中山们街道": ["a.csv"]})
    >>> print(found["河东区/中山们街道"][1])
    是否应为 '河东区/中山门街道'（7 条观测，2019—2025年，a.csv）？'河东区/中山们街道' 有 1 条观测（2026年，a.csv） / did you mean '河东区/中山门街道' (7 observations, 2019-2025, a.csv)? '河东区/中山们街道' has 1 observation (2026, a.csv)
    >>> found = sibling_typos([("河东区/中山们街道", "河东区/中山门街道")],
    ...                       {"河东区/中山门街道": 1, "河东区/中山们街道": 1},
    ...                       {"河东区/中山门街道": {("imm", 2021)},
    ...                        "河东区/中山们街道": {("home", 2021)}})
    >>> print(found["河东区/中山门街道"][1])
    与 '河东区/中山们街道'（1 条观测，2021年）是同一单位、其中一种写法有误？两者观测数相同，无法判断哪个正确 / the same unit as '河东区/中山们街道' (1 observation, 2021), one of the two mistyped? As many observations each: either may be right
    >>> sibling_typos([("河北区/体育部门领导班子", "河北区/教育部门领导班子")],
    ...               {"河北区/体育部门领导班子": 1, "河北区/教育部门领导班子": 9},
    ...               {"河北区/体育部门领导班子": {("w", 2020)},
    ...                "河北区/教育部门领导班子": {("w", y) for y in range(2016, 2025)}})
    {}
    """
    files = files or {}

    def preferred(name: str) -> tuple[int, str]:
        return -counts.get(name, 0), name

    best: dict[str, str] = {}
    for a, b in pairs:
        if set(reported.get(a, ())) & set(reported.get(b, ())):
            continue  # both have a value for one indicator and year: two units
        for geo, other in ((a, b), (b, a)):
            if counts.get(geo, 0) > counts.get(other, 0):
                continue
            if geo not in best or preferred(other) < preferred(best[geo]):
                best[geo] = other
    found: dict[str, tuple[str, str]] = {}
    for geo, other in sorted(best.items()):
        n, m = counts.get(geo, 0), counts.get(other, 0)
        count_zh, count_en, extra_zh, extra_en = _where(m, reported.get(other, ()),
                                                        files.get(other, ()))
        there_zh = f"{count_zh}，{extra_zh}" if extra_zh else count_zh
        there_en = f"{count_en}, {extra_en}" if extra_en else count_en
        if m == n:
            detail = (f"与 '{other}'（{there_zh}）是同一单位、其中一种写法有误？两者观测数相同，"
                      f"无法判断哪个正确 / the same unit as '{other}' ({there_en}), one of the "
                      "two mistyped? As many observations each: either may be right")
        else:
            count_zh, count_en, extra_zh, extra_en = _where(n, reported.get(geo, ()),
                                                            files.get(geo, ()))
            here_zh = f"{count_zh}（{extra_zh}）" if extra_zh else count_zh
            here_en = f"{count_en} ({extra_en})" if extra_en else count_en
            detail = (f"是否应为 '{other}'（{there_zh}）？'{geo}' 有 {here_zh} / did you mean "
                      f"'{other}' ({there_en})? '{geo}' has {here_en}")
        found[geo] = ("geo-one-edit-sibling", detail)
    return found


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
    光复道街道 geo-street-top-level 是否应为 '河北区/光复道街道'？ / did you mean '河北区/光复道街道'?
    河北 geo-similar 是否应为 '河北区'（9 行）？ / did you mean '河北区' (9 rows)?
    >>> area_suggestions({"河北去": 1, "河北区": 1}, default_geo="河北区")
    {'河北去': ('geo-one-edit', "是否应为 '河北区'？ / did you mean '河北区'?")}
    >>> area_suggestions({"河北区/宁园街道": 1, "河北去/光复道街道": 1}, default_geo="河北区")
    {'河北去/光复道街道': ('geo-one-edit', "是否应为 '河北区/光复道街道'？ / did you mean '河北区/光复道街道'?")}
    >>> area_suggestions({"光复道街道": 1, "河北区": 1})
    {'光复道街道': ('geo-street-top-level', "是否应为 '河北区/光复道街道'？ / did you mean '河北区/光复道街道'?")}
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
                          did_you_mean(" 或 ".join(f"'{g}'" for g in written),
                                       " or ".join(f"'{g}'" for g in written)))
        elif len(parents) == 1:
            found[geo] = ("geo-street-top-level", did_you_mean(f"'{parents[0]}/{geo}'"))
        elif parents:
            found[geo] = ("geo-street-top-level",
                          f"请写作 '区/{geo}'（此处的区：{'、'.join(parents)}） / write it as "
                          f"'district/{geo}' (districts here: {', '.join(parents)})")
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
                found[geo] = ("geo-similar", did_you_mean(
                    f"'{better[0]}'（{n} 行）", f"'{better[0]}' ({'1 row' if n == 1 else f'{n} rows'})"))
    for geo, entry in typos.items():
        found.setdefault(geo, entry)
    return found


def check_areas(frame: pd.DataFrame, geo_cell: GeoCell,
                default_geo: str | None = None) -> list[dict[str, object]]:
    """Warnings for the rows whose area looks mistyped (see :func:`area_suggestions` and,
    for sub-units one character off a sibling, :func:`sibling_typos`).

    ``frame`` holds the clean rows (with ``table`` and ``position``); one
    warning per row of the source (a wide row is one row however many years),
    with the row's ``indicator``, ``geo`` and ``year`` (``None`` for a row of
    several years).
    """
    if frame.empty:
        return []
    counts = Counter(frame["geo"].astype(str).tolist())
    found = area_suggestions(dict(counts), default_geo)
    pairs = sibling_pairs(counts)
    if pairs:
        involved = {g for pair in pairs for g in pair}
        rows = frame[frame["geo"].astype(str).isin(involved).to_numpy()]
        reported: defaultdict[str, set[tuple[str, int]]] = defaultdict(set)
        files: defaultdict[str, dict[str, None]] = defaultdict(dict)
        values = pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float)
        for geo, indicator, year, value, file in zip(
                rows["geo"].astype(str), rows["indicator"].astype(str), rows["year"], values,
                rows["file"].astype(str), strict=True):
            files[geo][file] = None
            if np.isfinite(value):
                reported[geo].add((indicator, int(year)))
        named = {geo: list(seen) for geo, seen in files.items()}
        for geo, entry in sibling_typos(pairs, counts, reported, named).items():
            found.setdefault(geo, entry)
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


def fraction_rows(frame: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Which rows of ``frame`` (the clean rows) look like percents typed as fractions.

    A value ``v`` in (0, 1] with unit ``percent`` is flagged when its series
    (indicator and area) has at least two other values, all above 1, and
    ``100 v`` lies between half the smallest of them and 1.5 times the largest
    (at most 100).

    >>> frame = pd.DataFrame({"indicator": "imm", "geo": "河北区", "unit": "percent",
    ...                       "value": [95.1, 0.95, 96.0, 0.9]})
    >>> fraction_rows(frame).tolist()
    [False, False, False, False]
    >>> fraction_rows(frame.iloc[:3]).tolist()
    [False, True, False]
    """
    out = np.zeros(len(frame), dtype=bool)
    if frame.empty:
        return out
    is_percent = (frame["unit"] == "percent").to_numpy()
    percent = frame[is_percent]
    values = pd.to_numeric(percent["value"], errors="coerce").astype(float)
    candidate = (values > 0) & (values <= 1)
    if not candidate.any():
        return out
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
    out[np.flatnonzero(is_percent)[flag.to_numpy()]] = True
    return out


def check_fractions(frame: pd.DataFrame, value_cell: ValueCell,
                    flagged: npt.ArrayLike | None = None) -> list[dict[str, object]]:
    """Warnings for percents that look typed as fractions (``0.95`` among values near 95):
    the rows :func:`fraction_rows` flags (or ``flagged``, when already computed)."""
    if frame.empty:
        return []
    flag = fraction_rows(frame) if flagged is None else np.asarray(flagged, dtype=bool)
    entries: list[dict[str, object]] = []
    for rec in frame[flag].to_dict("records"):
        column, cell = value_cell(int(rec["table"]), int(rec["position"]), int(rec["year"]))
        received: Any = rec["value"] if cell is None else cell
        entries.append({**problem(
            str(rec["file"]), int(rec["row"]), column, received, "value-looks-fraction",
            fraction_detail(float(rec["value"]), str(rec["unit"]))),
            "indicator": rec["indicator"], "geo": rec["geo"], "year": int(rec["year"])})
    return entries
