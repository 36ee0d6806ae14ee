"""Names inside running English text, and the English names of areas.

The English names of areas (:func:`geo_english`, :func:`area_english`) are those of
the English report (:func:`hbkit.report.wording.geo_label`), of the ``geo_en``
columns of ``Assessment.to_frame()``, ``warnings_frame()`` and ``unit_frame()`` and
of the JSON export: one lookup, so that a dashboard and the report never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hbkit._typing import GEO_SEPARATOR

#: English names of areas the reports know: Tianjin's sixteen districts (others print as
#: they are, in Chinese, unless the catalogue names its district: ``default_geo_en``)
GEO_EN: dict[str, str] = {
    "和平区": "Heping District", "河东区": "Hedong District", "河西区": "Hexi District",
    "南开区": "Nankai District", "河北区": "Hebei District", "红桥区": "Hongqiao District",
    "东丽区": "Dongli District", "西青区": "Xiqing District", "津南区": "Jinnan District",
    "北辰区": "Beichen District", "武清区": "Wuqing District", "宝坻区": "Baodi District",
    "滨海新区": "Binhai New Area", "宁河区": "Ninghe District", "静海区": "Jinghai District",
    "蓟州区": "Jizhou District",
}


def lower_first(name: str) -> str:
    """``name`` with its first letter in lower case, unless the first word is an acronym.

    An indicator's English name starts with a capital as a heading ("Maternal
    mortality ratio"); inside a sentence it reads "no data for maternal
    mortality ratio". Acronyms (DTP3, HIV) keep their case.

    Examples
    --------
    >>> lower_first("Female share"), lower_first("HIV testing rate"), lower_first("")
    ('female share', 'HIV testing rate', '')
    """
    first = name.split(" ", 1)[0]
    if not name or (len(first) > 1 and first[1:2].isupper()):
        return name
    return name[0].lower() + name[1:]


def area_english(name: str, names: Mapping[str, str] | None = None) -> str:
    """The English name of one area (one part of a geo code, e.g. ``河北区``).

    From ``names`` (the catalogue's ``default_geo_en``, :func:`catalogue_area_names`),
    else :data:`GEO_EN`; an area without an English name keeps its name as given (the
    Chinese), so that an English table never has an empty area.

    Examples
    --------
    >>> area_english("河北区"), area_english("光复道街道")
    ('Hebei District', '光复道街道')
    >>> area_english("某某区", {"某某区": "Moumou District"})
    'Moumou District'
    """
    return (names or {}).get(name) or GEO_EN.get(name, name)


def geo_english(geo: str, names: Mapping[str, str] | None = None) -> str:
    """A geo code in English, part by part (:func:`area_english` of each part).

    A sub-unit's code ``区/街道`` keeps its shape: each part in English where one is
    known, else as given. Its last part is the area's own name, which the English
    report prints (:func:`hbkit.report.wording.geo_label`), as the Chinese report prints
    the last part of ``geo``.

    Examples
    --------
    >>> geo_english("河北区"), geo_english("河北区/光复道街道"), geo_english("某某区")
    ('Hebei District', 'Hebei District/光复道街道', '某某区')
    >>> geo_english("天津市/和平区")
    '天津市/Heping District'
    """
    return GEO_SEPARATOR.join(area_english(part, names) for part in str(geo).split(GEO_SEPARATOR))


def catalogue_area_names(catalogue: Any) -> dict[str, str]:
    """The English area names a catalogue gives: ``{default_geo: default_geo_en}`` when it
    has both (``{}`` otherwise, e.g. the shipped catalogue, whose 河北区 is in :data:`GEO_EN`).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> catalogue_area_names(SimpleNamespace(default_geo="某某区", default_geo_en="Moumou District"))
    {'某某区': 'Moumou District'}
    >>> catalogue_area_names(SimpleNamespace(default_geo="河北区", default_geo_en="")), catalogue_area_names(None)
    ({}, {})
    """
    geo = getattr(catalogue, "default_geo", "") or ""
    english = getattr(catalogue, "default_geo_en", "") or ""
    return {str(geo): str(english)} if geo and english else {}
