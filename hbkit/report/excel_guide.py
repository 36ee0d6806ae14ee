"""The workbook's 阅读说明 sheet: what each sheet holds, what each status means, how to read
the numbers, Chinese then English, for the committee's members who open the workbook
without the HTML report beside it.

One row per item (:func:`guide_rows`): the sheets of the workbook in their order, the
statuses the 汇总 sheet counts (each tinted as in every sheet and in the HTML report, with
the probability thresholds of the assessment's :class:`~hbkit.status.StatusRules`), then
notes on the numbers (probabilities, intervals, units, blank cells, code columns, printing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

#: the sheet's name (the workbook's last sheet)
GUIDE_SHEET = "阅读说明"

#: what each sheet of the workbook holds: sheet -> (Chinese, English)
SHEET_GUIDE: dict[str, tuple[str, str]] = {
    "汇总": ("按规划·领域统计各状态的目标数，最后一行为合计；状态标题及不为0的计数用该状态的底色。",
             "Targets counted by plan·domain and status, the total in the last row; status "
             "headings and the counts that are not 0 carry the status's tint."),
    "全部目标": ("每个目标×地区一行：目标与判定规则、基期值、最新值、预测值及80%/95%区间、实现概率、状态、"
             "预警、官方口径标签、所需/实际年均变化、模型和说明；右侧标题为“……代码”的各列供程序使用。",
             "One row per target x area: the target and its rule, baseline, latest value, "
             "projection with its 80%/95% intervals, probability, status, warnings, official "
             "labels, required/achieved annual change, model and reason; the columns headed "
             "'... code' at the right are for programs."),
    "预警清单": ("每条预警一行，最需关注的在前：预警名称、说明（中文、英文）及其依据的数字。",
             "One row per early warning, the most pressing first: the warning, its explanation "
             "(Chinese, English) and the numbers behind it."),
    "数据提醒": ("评估照原样使用、但看起来有误的数据行（与 hbkit validate 列出的相同）：文件、行号、列、"
             "收到的值、规则及涉及的目标。请核对原始数据，改正后重新评估。",
             "Rows of the data used as they are that look wrong (as hbkit validate lists them): "
             "file, row, column, value as received, rule and the targets touched. Please check "
             "the source data and assess again once corrected."),
    "与上年相比": ("与上次评估相比，每个目标×地区的状态、实现概率和预警的变化，有变化的在前。",
              "What changed since the earlier assessment, for every target x area: status, "
              "probability and warnings, the changes first."),
    "数据": ("评估所用的观测数据，每个指标×地区×年份一行；“数据提醒”列标出有提醒的数值。",
           "The observations the assessment used, one row per indicator x area x year; the "
           "column 数据提醒 / Data warning flags the values with a data warning."),
    "街道明细": ("以街（单位）为单位考核的目标，每个街道（单位）一行：实现概率、最新值和汇集估计的效应。",
             "Targets judged street by street (unit by unit), one row per street (unit): "
             "probability, latest value and the pooled estimate's effects."),
}

#: the English names of the sheets, for the items of the guide
SHEET_NAMES_EN: dict[str, str] = {
    "汇总": "Summary", "全部目标": "Every target", "预警清单": "Warning list",
    "数据提醒": "Data warnings", "与上年相比": "Changes since last year", "数据": "Data used",
    "街道明细": "Street detail",
}

#: the notes on reading the numbers: (item Chinese, item English, Chinese, English)
READING_NOTES: tuple[tuple[str, str, str, str], ...] = (
    ("实现概率", "Probability",
     "到目标年份实现目标的概率：满足目标的模拟路径所占比例。向下取整到0.1%，显示值不会越过状态阈值"
     "（0.7996显示为79.9%）；未取整的值在“实现概率（未舍入）”列。“>99.9%”“<0.1%”表示所有或没有模拟路径"
     "满足，并非确定。",
     "The probability of meeting the target by the target year: the share of simulated paths "
     "that meet it. Rounded down to 0.1%, so what shows never crosses a status threshold "
     "(0.7996 shows 79.9%); the unrounded value is in 'Probability (unrounded)'. '>99.9%' and "
     "'<0.1%' mean every or no simulated path met it: no certainty."),
    ("区间", "Intervals",
     "80%/95%区间：目标年份的值约有80%/95%的可能落在下限与上限之间。",
     "80%/95% intervals: the target year's value lies between the lower and the upper end "
     "with a probability of about 80%/95%."),
    ("数值与单位", "Values and units",
     "数值都是数字，可以直接计算；单元格显示指标的单位（如 3.64‰、84.15年），“单位”列也写明；"
     "小数位数与上报数据相同。年均变化和预计平均差距为该单位的差值（百分比指标为百分点）。",
     "Values are numbers, ready for formulas; cells show the indicator's unit (3.64‰, 84.15年) "
     "and the Unit column names it; decimals as the data were reported. Annual changes and "
     "the expected shortfall are differences in that unit (percentage points for a percent)."),
    ("空白单元格", "Blank cells",
     "不适用：定性目标没有数值；终期评估中已由目标年份观测值判定的目标不再有预测值、区间和实现概率"
     "（状态写明已实现或未实现）。",
     "Not applicable: a qualitative target has no numbers; at the final evaluation a target "
     "decided by its observed target-year value has no projection, interval or probability "
     "(its status says achieved or not achieved)."),
    ("代码列", "Code columns",
     "标题为“……代码 / ... code”的列在各表右侧，保留原始代码，供程序和筛选使用。",
     "The columns headed '...代码 / ... code', at the right of each sheet, keep the codes for "
     "programs and filters."),
    ("打印", "Printing",
     "每个工作表打印为横向A4，每页重复表头行（宽表另重复第一列），页眉为报告标题，页脚为页码；"
     "右侧的代码列不打印。",
     "Every sheet prints landscape on A4 with the heading row on every page (wide sheets also "
     "repeat their first column), the report's title in the page header and the page number "
     "in the footer; the code columns at the right are not printed."),
)


def status_meanings(on_track: float = 0.8, at_risk: float = 0.5) -> dict[str, tuple[str, str]]:
    """What each status means, Chinese and English, with the probability thresholds.

    Parameters
    ----------
    on_track, at_risk
        The thresholds of :class:`~hbkit.status.StatusRules`.

    Examples
    --------
    >>> status_meanings()["at_risk"]
    ('50% ≤ 实现概率 < 80%', '50% <= probability < 80%')
    """
    on, at = f"{on_track:.0%}", f"{at_risk:.0%}"
    return {
        "achieved": ("最新值已满足目标（目标年份之前为“提前实现”）；终期评估按目标年份的观测值判定为“已实现”",
                     "the latest value meets the target (achieved early before the target "
                     "year); at the final evaluation, the target year's observed value meets it"),
        "on_track": (f"实现概率 ≥ {on}", f"probability >= {on}"),
        "at_risk": (f"{at} ≤ 实现概率 < {on}", f"{at} <= probability < {on}"),
        "off_track": (f"实现概率 < {at}，或须每年达到的目标已有观测年份未达到；终期评估按目标年份的观测值"
                      "判定为“未实现”",
                      f"probability < {at}, or a target that must hold every year was already "
                      "missed in an observed year; at the final evaluation, the target year's "
                      "observed value misses it"),
        "insufficient_data": ("观测年份太少，无法预测（原因见“说明”列）",
                              "too few observed years to project (the reason says why)"),
        "no_data": ("没有该指标的数据", "no data for the indicator"),
        "not_quantifiable": ("定性目标，不评分", "a qualitative target, not scored"),
    }


def guide_rows(assessment: Any, sheets: Iterable[str], statuses: Iterable[str],
               banner: tuple[str, str] = ("", "")) -> pd.DataFrame:
    """The rows of the 阅读说明 sheet: columns ``item``, ``guide_zh``, ``guide_en``, ``status``.

    Parameters
    ----------
    assessment
        The :class:`hbkit.Assessment` of the workbook (its status words and thresholds).
    sheets
        The workbook's other sheets, in order; a sheet not in :data:`SHEET_GUIDE` is skipped.
    statuses
        The status codes the 汇总 sheet counts, in its order.
    banner
        The simulated-data banner, Chinese and English (``("", "")`` for real data).

    Returns
    -------
    pandas.DataFrame
        One row per sheet, status and note; ``status`` holds the status code of a status row
        (for its tint), ``""`` otherwise.
    """
    from hbkit.report.wording import heading_label

    rules = getattr(assessment, "rules", None)
    meanings = status_meanings(getattr(rules, "on_track", 0.8), getattr(rules, "at_risk", 0.5))
    rows: list[tuple[str, str, str, str]] = []
    if banner[0]:
        rows.append(("模拟数据 / Simulated data", banner[0], banner[1], ""))
    rows += [(f"工作表：{name} / Sheet: {SHEET_NAMES_EN[name]}", *SHEET_GUIDE[name], "")
             for name in sheets if name in SHEET_GUIDE]
    for status in statuses:
        zh, en = meanings.get(status, ("", ""))
        label = f"{heading_label(assessment, status, 'zh')} / {heading_label(assessment, status, 'en')}"
        rows.append((f"状态：{label}", zh, en, status))
    rows += [(f"{zh} / {en}", guide_zh, guide_en, "") for zh, en, guide_zh, guide_en in READING_NOTES]
    return pd.DataFrame(rows, columns=["item", "guide_zh", "guide_en", "status"])
