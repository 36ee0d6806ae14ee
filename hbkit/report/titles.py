"""The report's title: the plans (the catalogue's name, else the area's plans), the area or
areas assessed, the year, and whether it is the annual monitoring report (年度监测报告) or the
final evaluation (终期评估报告).

Examples
--------
>>> plan_period(pd.DataFrame({"baseline_year": [2020], "target_year": [2025]}))
'（2021—2025年）'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from hbkit.report.formatting import DASH
from hbkit.report.tables import area_names, is_final
from hbkit.report.wording import geo_label, text


def report_title(assessment: Any, lang: str = "zh") -> str:
    """Title of the report: the plans (the catalogue's name, else the area's plans) and the year.

    The annual monitoring report (年度监测报告) or, when the assessment year
    reaches the plans' target year, the final evaluation report (终期评估报告) of
    that target year (2025 also when assessed as of 2027).
    A catalogue with a name in ``lang`` (``name_zh``, ``name_en``; e.g. a
    user's 2026-2030 plan) is named in the title, in 《》 in Chinese, with its
    area (``default_geo``) before it when the name does not contain it;
    without a name the title names the area's Women's and Children's
    Development Plans and their period, from the targets' base and target
    years (:func:`plan_period`: 2026—2030年 for base 2025, target 2030).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> cat = SimpleNamespace(name_zh="和平区儿童发展规划（2026—2030年）", default_geo="和平区",
    ...                       name_en="Heping District Children's Development Plan (2026-2030)")
    >>> result = SimpleNamespace(catalogue=cat, as_of=2027, to_frame=pd.DataFrame)
    >>> report_title(result)
    '《和平区儿童发展规划（2026—2030年）》2027年度监测报告'
    >>> report_title(result, "en")
    "Heping District Children's Development Plan (2026-2030): monitoring report 2027"
    >>> unnamed = SimpleNamespace(catalogue=SimpleNamespace(default_geo="河北区"), as_of=2023,
    ...                           final=False, to_frame=pd.DataFrame)
    >>> report_title(unnamed)
    '河北区妇女儿童发展规划2023年度监测报告'

    Without a name, the area assessed (when it is one other than the
    catalogue's default geo, as with a catalogue read from CSV) and the one
    plan the rows belong to:

    >>> rows = pd.DataFrame({"geo": ["和平区", "和平区/劝业场街道"], "plan": "children"})
    >>> from_csv = SimpleNamespace(catalogue=SimpleNamespace(default_geo="河北区"), as_of=2027,
    ...                            to_frame=lambda: rows)
    >>> report_title(from_csv), report_title(from_csv, "en")
    ('和平区儿童发展规划2027年度监测报告', "Heping District Children's Development Plan: monitoring report 2027")

    The final evaluation of an unnamed catalogue: the period names the year once.

    >>> rows = pd.DataFrame({"geo": ["河北区"], "plan": "women", "baseline_year": [2020],
    ...                      "target_year": [2025]})
    >>> final = SimpleNamespace(catalogue=SimpleNamespace(default_geo="河北区"), as_of=2025,
    ...                         final=True, to_frame=lambda: rows)
    >>> report_title(final), report_title(final, "en")
    ('河北区妇女发展规划（2021—2025年）终期评估报告', "Hebei District Women's Development Plan (2021-2025): final evaluation report")
    """
    catalogue = getattr(assessment, "catalogue", None)
    frame = assessment.to_frame()
    geo = getattr(catalogue, "default_geo", None)
    districts = list(dict.fromkeys(g.split("/")[0] for g in frame["geo"].dropna().astype(str))
                     if "geo" in frame else [])
    if len(districts) == 1 and geo not in districts or not geo:
        # the one area assessed, e.g. 和平区 with a catalogue from CSV (default geo 河北区)
        geo = districts[0] if districts else ""
    if len(districts) > 1:  # several districts: the title names them, not the catalogue's own
        area = areas_label(districts, lang, area_names(assessment))
    else:
        area = geo_label(str(geo), lang, area_names(assessment))
    year = DASH if assessment.as_of is None else assessment.as_of  # None: there were no data
    key = "final_report_title" if is_final(assessment) else "report_title"
    if key == "final_report_title":  # the plan's end, also when as_of is later (2025, not 2027)
        target_years = frame["target_year"].dropna() if "target_year" in frame else ()
        year = int(max(target_years)) if len(target_years) else year
    name = str(getattr(catalogue, "name_zh" if lang == "zh" else "name_en", "") or "").strip()
    if not name:
        plans = set(frame["plan"].dropna().astype(str)) if "plan" in frame else set()
        which = next(iter(plans)) if len(plans) == 1 and plans <= {"women", "children"} else "both"
        period = plan_period(frame, lang)
        if period and key == "final_report_title":  # the period ends with the year
            key = "final_report_title_period"
        return text(key, lang, geo=area, year=year, plans=text(f"plans_{which}", lang) + period)
    if lang == "zh":
        name = name if name.startswith("《") else f"《{name}》"
        name = name if str(geo) in name or not area else f"{area}{name}"
    elif area and area not in name and str(geo) not in name:
        name = f"{name} ({area})"
    return text(f"named_{key}", lang, name=name, year=year)


def areas_label(areas: list[str], lang: str = "zh", names: Mapping[str, str] | None = None
                ) -> str:
    """Several areas as a title names them: up to three by name, more by the first two and
    their number.

    >>> areas_label(["和平区", "河西区"]), areas_label(["和平区", "河西区"], "en")
    ('和平区、河西区', 'Heping District and Hexi District')
    >>> areas_label(["和平区", "河西区", "南开区", "河北区"])
    '和平区、河西区等4个地区'
    >>> areas_label(["和平区", "河西区", "南开区", "河北区"], "en")
    'Heping District, Hexi District and 2 more areas'
    """
    labels = [geo_label(area, lang, names) for area in areas]
    if lang == "zh":
        return "、".join(labels) if len(labels) <= 3 else f"{labels[0]}、{labels[1]}等{len(labels)}个地区"
    if len(labels) > 3:
        return f"{labels[0]}, {labels[1]} and {len(labels) - 2} more areas"
    return ", ".join(labels[:-1]) + f" and {labels[-1]}" if len(labels) > 1 else "".join(labels)


def plan_period(frame: pd.DataFrame, lang: str = "zh") -> str:
    """The plan period of an assessment's rows, as a title names it: ``（2026—2030年）``.

    From the year after the earliest base year (``baseline_year``: the year the
    plan starts from) to the latest target year; empty when the rows give none.

    >>> rows = pd.DataFrame({"baseline_year": [2025, 2025], "target_year": [2030, 2030]})
    >>> plan_period(rows), plan_period(rows, "en"), plan_period(rows.iloc[:0])
    ('（2026—2030年）', ' (2026-2030)', '')
    """
    if "baseline_year" not in frame or "target_year" not in frame:
        return ""
    bases, targets = frame["baseline_year"].dropna(), frame["target_year"].dropna()
    if not len(bases) or not len(targets):
        return ""
    first, last = int(bases.min()) + 1, int(targets.max())
    if first > last:
        return ""
    return f"（{first}—{last}年）" if lang == "zh" else f" ({first}-{last})"
