"""The words of the monitoring report, in Chinese and English.

Status words follow the National Bureau of Statistics' monitoring reports on
the women's and children's development outlines (提前实现 / 已实现 / 有望实现 /
存在风险 / 难以实现 / 数据不足); every other label the reports, tables and
charts print lives here too, so that a wording change is made in one place.

Examples
--------
>>> status_label("achieved", "zh", early=True)
'提前实现'
>>> status_label("at_risk", "en")
'at risk'
>>> text("warning_list", "zh")
'预警清单'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from hbkit._names import area_english
from hbkit._options import check_choice
from hbkit._typing import DOMAIN_EN, STATUSES, UNIT_EN, UNIT_ZH
from hbkit.status import STATUS_VARIANTS, heading_status_label
from hbkit.status import status_label as _worded_status
from hbkit.warnings_rules import WARNING_LABELS

LANGS: tuple[str, ...] = ("zh", "en")

#: statuses in the order reports list them (best first)
STATUS_ORDER: tuple[str, ...] = STATUSES

#: traffic-light colours of each status (fill, text); used by charts, HTML and Excel
STATUS_COLOURS: dict[str, str] = {
    "achieved": "#1a7f37",
    "on_track": "#4caf50",
    "at_risk": "#f0a500",
    "off_track": "#d1242f",
    "insufficient_data": "#8c959f",
    "no_data": "#b6bcc4",
    "not_quantifiable": "#d0d7de",
}

def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21; text needs 4.5 or more).

    >>> round(contrast_ratio("#000000"), 1), round(contrast_ratio("#d0d7de"), 2)
    (21.0, 1.45)
    """
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_colour(colour: str, minimum: float = 4.5) -> str:
    """``colour`` darkened (mixed with black) just enough for text on white to reach ``minimum``.

    >>> readable_colour("#1a7f37"), readable_colour("#d0d7de")
    ('#1a7f37', '#72767a')
    """
    channels = [int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    for step in range(101):
        mixed = "#" + "".join(f"{round(c * (1 - step / 100)):02x}" for c in channels)
        if contrast_ratio(mixed) >= minimum:
            return mixed
    return "#000000"  # pragma: no cover


#: the status colours as text on white (a chart's status line): each darkened just enough to
#: read (WCAG contrast 4.5:1); 定性目标's light grey #d0d7de would read at 1.4:1
STATUS_TEXT_COLOURS: dict[str, str] = {status: readable_colour(colour)
                                       for status, colour in STATUS_COLOURS.items()}

#: light background tints of the same colours, for table cells
STATUS_TINTS: dict[str, str] = {
    "achieved": "#d4edda",
    "on_track": "#e3f4e4",
    "at_risk": "#fff1c2",
    "off_track": "#fbd5d8",
    "insufficient_data": "#eaeef2",
    "no_data": "#f2f4f6",
    "not_quantifiable": "#f6f8fa",
}

#: warning code -> {lang: words}; the words are hbkit.warnings_rules' own
WARNING_WORDS: dict[str, dict[str, str]] = {
    code: {"zh": zh, "en": en} for code, (zh, en) in WARNING_LABELS.items()
}

#: the numbers behind a warning (columns of ``Assessment.warnings_frame()``)
NUMBER_WORDS: dict[str, dict[str, str]] = {
    "probability": {"zh": "实现概率", "en": "probability"},
    "expected_shortfall": {"zh": "预计平均差距", "en": "expected shortfall"},
    "required_annual_change": {"zh": "所需年均变化", "en": "required annual change"},
    "achieved_annual_change": {"zh": "实际年均变化", "en": "achieved annual change"},
    "dispersion_chi2": {"zh": "离散度χ²", "en": "dispersion χ²"},
    "dispersion_df": {"zh": "自由度", "en": "df"},
    "dispersion_ratio": {"zh": "离散比", "en": "dispersion ratio"},
    "p_value": {"zh": "p值", "en": "p-value"},
    "swing_scale": {"zh": "相对波动幅度", "en": "relative swing"},
    "max_abs_z": {"zh": "最大|z|", "en": "max |z|"},
    "max_z_year": {"zh": "最大z所在年份", "en": "year of max z"},
    "n_large_changes": {"zh": "超出抽样误差的年变化数", "en": "changes beyond noise"},
    "robust_scale": {"zh": "稳健尺度", "en": "robust scale"},
    "relative_scale": {"zh": "相对尺度", "en": "relative scale"},
    "reversals": {"zh": "方向反转次数", "en": "reversals"},
    "last_change": {"zh": "最近一年变化", "en": "last change"},
    "last_z": {"zh": "最近一年z", "en": "last z"},
    "last_year": {"zh": "最新年份", "en": "last year"},
    "as_of": {"zh": "监测年份", "en": "as-of year"},
    # an every-year target already broken: the years that broke its rule, with their numbers
    "missed_years": {"zh": "未达到的年份", "en": "years missed"},
}

PLAN_WORDS: dict[str, dict[str, str]] = {
    "women": {"zh": "妇女发展规划", "en": "Women's Development Plan"},
    "children": {"zh": "儿童发展规划", "en": "Children's Development Plan"},
}

#: target kind -> (中文, English), the words of the catalogue's column notes (catalogue.io)
KIND_WORDS: dict[str, tuple[str, str]] = {
    "upper_bound": ("不高于", "upper bound"),
    "lower_bound": ("不低于", "lower bound"),
    "level": ("达到", "level"),
    "maintain": ("保持", "maintain"),
    "relative_change": ("相对变化", "relative change"),
    "annual_change": ("年均变化", "annual change"),
    "direction": ("变化方向", "direction"),
    "trend_slowdown": ("上升趋势减缓", "trend slowdown"),
    "count_minimum": ("至少若干", "count minimum"),
    "relational": ("与另一指标比较", "relational"),
    "qualitative": ("定性", "qualitative"),
}
#: target direction -> (中文, English)
DIRECTION_WORDS: dict[str, tuple[str, str]] = {
    "increase": ("提高", "increase"),
    "decrease": ("下降", "decrease"),
    "none": ("无", "none"),
}
#: modelling scale -> (中文, English), the words of the report's methods section
SCALE_WORDS: dict[str, tuple[str, str]] = {
    "logit": ("logit尺度", "logit"),
    "log": ("对数尺度", "log"),
    "identity": ("原始尺度", "identity"),
    "poisson": ("泊松计数", "Poisson counts"),
    "binomial": ("二项计数", "binomial counts"),
    # count_minimum targets (至少配备1名) are judged by counting units, with no model
    "count": ("计数规则（不建模）", "count rule (not modelled)"),
}
#: the scale of count rules (至少配备1名), which are not modelled: not one of SCALE_WORDS
RULE_SCALE_WORDS: dict[str, tuple[str, str]] = {"count": ("计数", "counts")}
#: model name (``Assessment.to_frame()["method"]``) -> (中文, English)
MODEL_WORDS: dict[str, tuple[str, str]] = {
    "rw_drift": ("带漂移随机游走", "random walk with drift"),
    "local_trend": ("局部线性趋势", "local linear trend"),
    "level": ("局部水平", "local level"),
    "linear": ("线性趋势", "linear trend"),
    "damped": ("阻尼趋势", "damped trend"),
    "poisson_trend": ("泊松计数趋势", "Poisson count trend"),
    "poisson_constant": ("泊松计数常数率", "constant Poisson rate"),
    "binomial_trend": ("二项计数趋势", "binomial count trend"),
    "binomial_constant": ("二项计数常数比例", "constant binomial share"),
    "partial pooling (empirical Bayes, DerSimonian-Laird)": (
        "部分合并（经验贝叶斯，DerSimonian-Laird）", "partial pooling (empirical Bayes, "
        "DerSimonian-Laird)"),
    "no pooling (fewer than 3 units)": ("不合并（少于3个单位）", "no pooling (fewer than 3 units)"),
}
#: unit -> (中文, English): the suffixes of the reports, named where the suffix is empty
UNIT_WORDS: dict[str, tuple[str, str]] = {
    **{unit: (UNIT_ZH[unit].strip(), UNIT_EN.get(unit, "").strip()) for unit in UNIT_ZH},
    "count": ("个", "count"),
    "persons": ("人", "persons"),
    "percentage_points": ("个百分点", "percentage points"),
    "ratio": ("比值", "ratio"),
}

TEXTS: dict[str, dict[str, str]] = {
    "report_title": {"zh": "{geo}{plans}{year}年度监测报告",
                     "en": "{geo} {plans}: monitoring report {year}"},
    # the final evaluation (终期评估): the assessment year reaches the plans' target year
    "final_report_title": {"zh": "{geo}{plans}终期评估报告（{year}年）",
                           "en": "{geo} {plans}: final evaluation report {year}"},
    # ... whose plans' period the title names already (（2021—2025年）): no year after it
    "final_report_title_period": {"zh": "{geo}{plans}终期评估报告",
                                  "en": "{geo} {plans}: final evaluation report"},
    # the plans a title names: both, or the one plan the catalogue holds
    "plans_both": {"zh": "妇女儿童发展规划", "en": "Women's and Children's Development Plans"},
    "plans_women": {"zh": "妇女发展规划", "en": "Women's Development Plan"},
    "plans_children": {"zh": "儿童发展规划", "en": "Children's Development Plan"},
    # a catalogue with a name (the plan's title): the report names it
    "named_report_title": {"zh": "{name}{year}年度监测报告",
                           "en": "{name}: monitoring report {year}"},
    "named_final_report_title": {"zh": "{name}终期评估报告（{year}年）",
                                 "en": "{name}: final evaluation report {year}"},
    "simulated_banner": {
        "zh": "模拟数据：本报告所用数据为模拟生成，仅用于演示，不代表实际情况。",
        "en": "Simulated data: the figures in this report are simulated for demonstration "
              "and do not describe the real district.",
    },
    "as_of": {"zh": "监测年份", "en": "As of"},
    "as_of_final": {"zh": "评估年份", "en": "Year of evaluation"},
    "sources": {"zh": "数据来源", "en": "Data sources"},
    "catalogue": {"zh": "目标目录", "en": "Target catalogue"},
    "levels": {"zh": "区间水平", "en": "Interval levels"},
    # the latest year of the data the report used (its targets' latest values)
    "data_last_year": {"zh": "数据最新年份", "en": "Latest year of data"},
    # the statuses of the annual report, said where they are counted (the overview)
    # the warning list's first sentence: what the warned targets are, the worst first
    "warnings_lead": {
        "zh": "预警涉及 {n} 项目标（目标 × 地区）：{parts}。",
        "en": "The warnings concern {n} {targets} (target × area): {parts}.",
    },
    "warnings_action": {
        "zh": "{statuses}的目标排在表的前面，需优先采取措施。",
        "en": "Targets {statuses} come first in the list and need action first.",
    },
    "overview": {"zh": "总体情况", "en": "Overview"},
    "overview_sentence": {
        "zh": "共监测 {n} 项目标（目标 × 地区），其中{parts}。",
        "en": "{n} targets (target × area) monitored: {parts}.",
    },
    "overview_sentence_final": {
        "zh": "终期评估共 {n} 项目标（目标 × 地区），其中{parts}。",
        "en": "{n} targets (target × area) evaluated: {parts}.",
    },
    "summary_by_domain": {"zh": "分领域汇总", "en": "Summary by domain"},
    "warning_list": {"zh": "预警清单", "en": "Warning list"},
    "no_warnings": {"zh": "本年度无预警。", "en": "No warnings this year."},
    "no_warnings_final": {"zh": "终期评估无预警。", "en": "No warnings at the final evaluation."},
    # 终期评估: fluctuations on targets achieved on their observed target-year value
    # (warnings_frame level "note"), listed apart from the warning list
    "data_notes": {"zh": "数据说明：波动较大", "en": "Notes on the data: large fluctuations"},
    "data_notes_intro": {
        "zh": "以下目标已按目标年份观测值判定为已实现，不再需要预警；但其逐年变化超出抽样误差"
              "（波动较大），这是数据本身的特点，不改变结论：核实数据口径时请留意，"
              "解读数值时注意年际起伏。",
        "en": "These targets are achieved on their observed target-year values, so no warning "
              "is needed; their year-to-year changes exceed sampling noise (large fluctuation), "
              "a fact about the data that changes no verdict: check the data with it in mind "
              "and read the levels with their swings.",
    },
    # a note's code in the targets' 预警 column (波动较大（数据说明）)
    "note_suffix": {"zh": "（数据说明）", "en": " (note on the data)"},
    # the rows of the data used as they are that look wrong (Observations.warnings)
    "data_warnings": {"zh": "数据提醒", "en": "Data warnings"},
    "data_warnings_note": {
        "zh": "数据提醒：所用数据中有{n}行看起来有误，已照原样使用，请核对（见“数据提醒”）。",
        "en": "Data warnings: {n} rows of the data look wrong and were used as they are; "
              "please check them (see Data warnings).",
    },
    "data_warnings_note_one": {
        "zh": "数据提醒：所用数据中有1行看起来有误，已照原样使用，请核对（见“数据提醒”）。",
        "en": "Data warnings: 1 row of the data looks wrong and was used as it is; "
              "please check it (see Data warnings).",
    },
    "changes_title": {"zh": "与{year}年监测相比", "en": "Changes since the {year} monitoring"},
    "changes_sentence": {
        "zh": "与{year}年监测相比：{parts}；其余{same}项目标的状态未变化。",
        "en": "Since the {year} monitoring: {parts}; the other {same} targets kept their status.",
    },
    "changes_all": {"zh": "与{year}年监测相比：{parts}。", "en": "Since the {year} monitoring: {parts}."},
    "changes_data_warnings": {
        "zh": "状态变化的目标中有{n}项所用的数据有数据提醒，变化可能来自需要核对的数据（见“数据提醒”）。",
        "en": " Of the targets that changed, {n} rest on data with data warnings: the change "
              "may come from rows to check (see Data warnings).",
    },
    "changes_none": {
        "zh": "与{year}年监测相比，{n}项目标的状态均未变化。",
        "en": "Since the {year} monitoring, none of the {n} targets changed status.",
    },
    "probabilities": {"zh": "各目标实现概率", "en": "Probability of meeting each target"},
    "targets_by_domain": {"zh": "各领域目标监测情况", "en": "Targets by domain"},
    "targets_by_domain_final": {"zh": "各领域目标实现情况", "en": "Targets by domain"},
    "methods": {"zh": "方法说明", "en": "Methods"},
    "methods_text": {
        "zh": "每个指标在其自然尺度上建模：有上限的百分比在 logit 尺度上建模，使预测值不超出 "
              "[0, 100]；率（‰、/10万）和无上限的比率在对数尺度上建模（毛入学率、巩固率等可因外来学生超过 100% 的"
              "百分比按无上限处理，其区间可以超过 100%）；年数、小时、人数等在原尺度上建模，预测值不为负；"
              "两个百分比之差（个百分点，如男女差距）和目录标为可为负数的指标（两者之差，如以百分比表示的"
              "男女收入差距、以小时/天表示的两性家务劳动时间差距）在原尺度上建模，可以为负；有分子分母（如死亡数与活产数）"
              "时按计数（泊松/二项）建模，并计入抽样波动。下表列出每个指标实际使用的模型与尺度。实现概率是预测分布中满足目标条件的比例；"
              "{levels} 区间取自同一预测分布。{statuses}{conventions}",
        "en": "Each indicator is modelled on its natural scale: bounded percentages on the logit "
              "scale, so that no projection leaves [0, 100]; rates (per 1,000, per 100,000) and "
              "unbounded ratios on the log scale (percentages that in-migrant students can push past "
              "100%, such as gross enrolment and consolidation rates, count as unbounded, so "
              "their intervals may pass 100%); years, hours and head counts on their own scale, "
              "never below 0; gaps between two percentages (percentage points, e.g. men's "
              "minus women's share) and indicators the catalogue marks signed (differences of two "
              "quantities, e.g. the gender income gap in percent and the gender gap in housework "
              "hours a day) on their own scale, where they may fall below 0; where "
              "numerators and denominators are given (e.g. deaths and live births) the counts are modelled (Poisson/binomial), with "
              "their sampling noise. The table below gives each series' model and scale. The "
              "probability of meeting a target is the share of the predictive distribution "
              "that meets it; the {levels} intervals come from the same distribution. {statuses}"
              "{conventions}",
    },
    # the official-convention labels' sentence of methods_text: annual, final evaluation
    "methods_conventions": {
        "zh": "Eurostat、UNSD 和德国可持续发展战略（DNS）的标签按官方惯例由两点或近五年平均变化计算，仅供对照。",
        "en": "The Eurostat, UNSD and German DNS labels follow those "
              "conventions (two points or the mean of the last five changes) for comparison.",
    },
    "methods_conventions_final": {
        "zh": "Eurostat、UNSD 和德国可持续发展战略（DNS）的标签按官方惯例衡量进度（按目前的速度能否在目标年份"
              "达标），仅供对照；最新值已是目标年份的值时，这个问题已有答案，三种标签都只给结果：满足目标为"
              "“已实现”，否则为“未实现”，Eurostat 比率（实际与所需年均增速之比）仍列出。",
        "en": "The Eurostat, UNSD and German DNS labels judge pace (will the trend reach the "
              "target by the target year?) and are shown for comparison; where the latest value "
              "is the target year's, that question is answered and all three give the outcome: "
              "achieved when the target is met, not achieved when it is not, with the Eurostat "
              "ratio (actual over required growth rate) still shown.",
    },
    # the final evaluation's models paragraph: only for targets judged on a projection
    "methods_models_final": {
        "zh": "目标年份缺少观测值（或缺少判定所需年份观测值）的目标按模型预测判定。",
        "en": "Targets without an observed value in the target year (or in a year their "
              "rule needs) are judged on a projection. ",
    },
    # the status sentence of methods_text: the annual monitoring's, the final evaluation's
    "methods_statuses": {
        "zh": "状态规则：最新值已满足目标为“已实现”"
              "（目标年之前为“提前实现”）；概率 ≥ 0.8 为“有望实现”，0.5–0.8 为“存在风险”，"
              "< 0.5 为“难以实现”；须每年达到的目标（如“每年降低”“保持在”）若已有观测年份未达到，则无论剩余年份的概率如何，"
              "均为“已有年份未达到”（难以实现）。",
        "en": "Statuses: "
              "achieved when the latest value meets the target (achieved early before the "
              "target year); on track when P >= 0.8; at risk when 0.5 <= P < 0.8; off track "
              "when P < 0.5; a target that must hold every year (每年..., 保持...) and was already "
              "missed in an observed year is off track (already missed in an observed year), "
              "whatever the probability of the remaining years. ",
    },
    # ... when every target is decided by its observed values (nothing is projected)
    "methods_statuses_final_observed": {
        "zh": "状态规则（终期评估）：目标年份有观测值的目标按规划原文的判定规则用观测值判定，满足为“已实现”，"
              "不满足为“未实现”（见“总体情况”）；结果由观测值决定，不作预测，不给区间和实现概率。",
        "en": "Statuses at the final evaluation: a target observed in the target year is "
              "judged on the observed values by the plan's rule, achieved when the rule is met "
              "and not achieved when it is not (see the overview); the outcome is decided by "
              "the observed values, with no projection, interval or probability. ",
    },
    "methods_statuses_final": {
        "zh": "状态规则（终期评估）：目标年份有观测值的目标按规划原文的判定规则用观测值判定，满足为“已实现”，"
              "不满足为“未实现”（见“总体情况”），不用概率；其余目标按实现概率判定：概率 ≥ 0.8 为“有望实现”，"
              "0.5–0.8 为“存在风险”，< 0.5 为“难以实现”。",
        "en": "Statuses at the final evaluation: a target observed in the target year is "
              "judged on the observed values by the plan's rule, achieved when the rule is met "
              "and not achieved when it is not (see the overview), with no probability; any "
              "other target follows its probability: on track when P >= 0.8, at risk when "
              "0.5 <= P < 0.8, off track when P < 0.5. ",
    },
    "validation_text": {
        "zh": "概率的可靠性：hbkit 的概率和区间在真实历史数据上做过回测（联合国儿童死亡率估计和"
              "百白破疫苗接种率的各国序列、按区级规模模拟的死亡计数，以及中国官方全国序列）：在过去某年"
              "截断数据、给出概率，再看后来是否达标。在大样本上，给出约七成概率的目标约七成真的达标，"
              "80% 区间约八成包含后来的实际值，Brier 分数低于 Eurostat、UNSD 和 DNS 等官方方法。"
              "只有 3—4 个观测年份的序列，实际达标的比例高于给出的概率（“预计达标困难”偏保守），"
              "报告在这些目标的说明中注明。方法与全部结果见 hbkit 的 docs/validation.md。",
        "en": "How reliable the probabilities are: hbkit's probabilities and intervals were "
              "backtested on real history (the countries' series of UN IGME child mortality and "
              "WUENIC DTP3 coverage, death counts simulated at district size, and China's "
              "official national series): data cut at a past year, probabilities given, and "
              "what happened later compared. On the large samples, targets given about 70% were "
              "met about 70% of the time, the 80% intervals held about 80% of the later values, "
              "and the Brier score was below those of the Eurostat, UNSD and DNS conventions. "
              "Series with only 3-4 observed years met their targets more often than their "
              "probabilities said (a hard-to-reach warning on them is conservative); the report "
              "notes this on those targets. Method and results: docs/validation.md in hbkit.",
    },
    # the final evaluation: how its statuses are decided, and a decided target's numbers
    "final_rule": {
        "zh": "终期评估的状态规则：目标年份（{year}年）有观测值的目标，按规划原文的判定规则用该年的"
              "观测值判定，满足为“已实现”，不满足为“未实现”；“保持”“每年”类目标还要求规划期内每年都满足。"
              "这些目标的结果已由观测值决定，不再给出预测值、区间和实现概率。目标年份缺少观测值的目标，"
              "以及缺少判定所需年份（如基期）观测值的目标，仍按模型预测判定（不满足的为“难以实现”），"
              "并在说明中注明。",
        "en": "Statuses at the final evaluation: a target with an observed value in the target "
              "year ({year}) is judged on that value by the plan's own rule: achieved when it "
              "meets the rule, not achieved when it does not; targets to be kept every year "
              "must also have met the rule in every year of the plan period. Their outcome is "
              "decided by the observed values, so they get no projection, interval or "
              "probability. A target without an observed value in the target year, or in a year "
              "its rule needs (such as the baseline), is still judged on the model's projection "
              "(off track when it falls short), and its note says so.",
    },
    "observed_target_year": {"zh": "目标年份观测值", "en": "Observed in the target year"},
    "rule_met": {"zh": "满足判定规则", "en": "rule met"},
    "rule_not_met": {"zh": "不满足判定规则", "en": "rule not met"},
    "scales_table": {"zh": "各指标的建模尺度", "en": "Scale on which each series was modelled"},
    "qualitative_note": {"zh": "定性目标（不评分）", "en": "Qualitative targets (not scored)"},
    "generated_by": {"zh": "由 hbkit {version} 生成", "en": "Generated by hbkit {version}"},
    "clause": {"zh": "规划条文", "en": "Plan clause"},
    "latest": {"zh": "最新值", "en": "Latest value"},
    "projected": {"zh": "预测值", "en": "Projected"},
    "interval": {"zh": "{level}%区间", "en": "{level}% interval"},
    "probability": {"zh": "实现概率", "en": "Probability"},
    "status": {"zh": "状态", "en": "Status"},
    "target": {"zh": "目标", "en": "Target"},
    "target_path": {"zh": "目标路径：", "en": "Target path: "},
    "path_down": {"zh": "每年降低{amount}", "en": "down {amount} a year"},
    "path_up": {"zh": "每年提高{amount}", "en": "up {amount} a year"},
    "trend_before": {"zh": "基期前趋势", "en": "trend before the baseline"},
    "target_value": {"zh": "目标值", "en": "Target value"},
    "official_labels": {"zh": "官方口径标签", "en": "Official-convention labels"},
    "eurostat": {"zh": "Eurostat", "en": "Eurostat"},
    "unsd": {"zh": "UNSD", "en": "UNSD"},
    "dns": {"zh": "DNS", "en": "DNS"},
    "required_change": {"zh": "所需年均变化", "en": "Required annual change"},
    "achieved_change": {"zh": "实际年均变化", "en": "Achieved annual change"},
    "reason": {"zh": "说明", "en": "Reason"},
    "warnings": {"zh": "预警", "en": "Warnings"},
    "history": {"zh": "历史值", "en": "history"},
    "median": {"zh": "预测中位数", "en": "projection (median)"},
    "median_worst_unit": {"zh": "预测中位数（最差单位）", "en": "projection, worst unit (median)"},
    "chart_alt_counts": {"zh": "各单位历年计数及最低要求", "en": "counts of the units by year and the minimum"},
    # a target judged in each unit (以街为单位): its chart follows the worst unit each year
    "worst_unit_note": {"zh": "（最差单位）", "en": " (worst unit)"},
    "band": {"zh": "{level}%预测区间", "en": "{level}% band"},
    "year": {"zh": "年份", "en": "year"},
    "domain": {"zh": "领域", "en": "Domain"},
    "total": {"zh": "合计", "en": "Total"},
    "count": {"zh": "目标数", "en": "Targets"},
    "geo": {"zh": "地区", "en": "Area"},
    "dashboard_title": {"zh": "各领域目标状态", "en": "Status of targets by domain"},
    "probability_axis": {"zh": "实现概率", "en": "probability of meeting the target"},
    "reliability_title": {"zh": "概率校准（可靠性图）", "en": "Calibration (reliability diagram)"},
    "forecast_probability": {"zh": "预测概率", "en": "forecast probability"},
    "observed_frequency": {"zh": "实际实现比例", "en": "observed frequency"},
    "frequency_interval": {"zh": "实际比例95%区间", "en": "95% interval of the frequency"},
    "perfect_calibration": {"zh": "完全校准", "en": "perfect calibration"},
    "chart_legend": {
        "zh": "图例：黑线为历史值，虚线为预测中位数，色带为{bands}；灰色虚线为目标值，点线为目标年份。"
              "颜色：绿色为{achieved}/{on_track}，橙色为{at_risk}，红色为{off_track}，灰色为"
              "{insufficient_data}。",
        "en": "Legend: black line history, dashed line projection (median), shading the {bands}; "
              "grey dashed line the target value, dotted line the target year. Colour: green "
              "{achieved} / {on_track}, amber {at_risk}, red {off_track}, grey "
              "{insufficient_data}.",
    },
    # the final evaluation when every charted target is decided by its observed value
    "chart_legend_observed": {
        "zh": "图例：黑线为历史值，灰色虚线为目标值，点线为目标年份。颜色：绿色为{achieved}，红色为"
              "{off_track}，灰色为{insufficient_data}。",
        "en": "Legend: black line history, grey dashed line the target value, dotted line the "
              "target year. Colour: green {achieved}, red {off_track}, grey {insufficient_data}.",
    },
    "no_history": {"zh": "无可用数据", "en": "no data to show"},
    "no_probability": {"zh": "无概率", "en": "no probability"},
    # a chart with nothing to draw for the area itself
    "judged_on_units": {"zh": "本地区无汇总序列：按各下级单位的数据判定",
                        "en": "no series for the area itself: judged on the data of its units"},
    # the chart of a count_minimum target: the counts of its units by year
    "units_fewest": {"zh": "各单位最少", "en": "fewest in a unit"},
    "units_range": {"zh": "{n}个单位的范围", "en": "range over {n} units"},
    "units_below_minimum": {"zh": "有单位低于最低数量", "en": "a unit below the minimum"},
    "units_all_meet": {"zh": "最新：{n}个单位均{rule}", "en": "latest: all {n} units have {rule}"},
    "units_some_below": {"zh": "最新：{n}个单位中{k}个未达到{rule}",
                         "en": "latest: {k} of {n} units lack {rule}"},
    "units_chart_key": {"zh": "线：各单位最少；灰带：各单位范围",
                        "en": "line: fewest in a unit; grey: range over units"},
    "rule_at_least": {"zh": "至少{value}", "en": "at least {value}"},
    "rule_more_than": {"zh": "多于{value}", "en": "more than {value}"},
}


def geo_label(geo: str, lang: str = "zh", names: Mapping[str, str] | None = None) -> str:
    """Name of an area in ``lang`` (the last part of a hierarchical code).

    English names come from ``names`` (e.g. a catalogue's ``default_geo_en``),
    else :data:`hbkit._names.GEO_EN`; an area without one keeps its Chinese name
    (:func:`hbkit._names.area_english`). The English name is the last part of the
    ``geo_en`` of ``Assessment.to_frame()`` (:func:`hbkit._names.geo_english`).

    >>> geo_label("河北区", "en"), geo_label("河北区/光复道街道")
    ('Hebei District', '光复道街道')
    >>> geo_label("和平区", "en"), geo_label("某某区", "en")
    ('Heping District', '某某区')
    >>> geo_label("某某区", "en", {"某某区": "Moumou District"})
    'Moumou District'
    """
    name = str(geo).split("/")[-1]
    if _lang(lang) != "en":
        return name
    return area_english(name, names)


def _lang(lang: str) -> str:
    return check_choice("lang", lang, LANGS)


def text(key: str, lang: str = "zh", **fields: Any) -> str:
    """A report text in ``lang``, with ``{fields}`` filled in.

    Examples
    --------
    >>> text("interval", "en", level=80)
    '80% interval'
    """
    return TEXTS[key][_lang(lang)].format(**fields) if fields else TEXTS[key][_lang(lang)]


def status_label(status: str, lang: str = "zh", *, early: bool = False,
                 final: bool = False) -> str:
    """Word for a status; ``early=True`` turns *achieved* into 提前实现 / achieved early,
    ``final=True`` (the final evaluation) turns *off track* into 未实现 / not achieved.

    An unknown status is returned as it is, never dropped.

    Examples
    --------
    >>> status_label("off_track"), status_label("achieved", "en", early=True)
    ('难以实现', 'achieved early')
    >>> status_label("off_track", final=True), status_label("off_track", "en", final=True)
    ('未实现', 'not achieved')
    """
    if status not in STATUSES:
        return str(status)
    variant = ("early" if early and status == "achieved"
               else "final" if final and status == "off_track" else None)
    return _worded_status(status, _lang(lang), variant)


def heading_label(assessment: Any, status: str, lang: str = "zh") -> str:
    """Word for a status in a total or column heading, worded like its rows.

    When every *achieved* row of the assessment reads 提前实现 (achieved
    early), so does the heading; in the final evaluation *off track* reads
    未实现, or names each wording it counts when some of its rows were judged
    on the model (未实现/难以实现: :func:`hbkit.status.heading_status_label`).
    Statuses whose rows are worded differently keep the plain word.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"status": ["achieved", "achieved", "off_track"],
    ...                      "status_zh": ["提前实现", "提前实现", "难以实现"]})
    >>> result = SimpleNamespace(frame=rows, final=False)
    >>> heading_label(result, "achieved"), heading_label(result, "achieved", "en")
    ('提前实现', 'achieved early')
    >>> heading_label(result, "off_track"), heading_label(result, "on_track", "en")
    ('难以实现', 'on track')
    """
    if status not in STATUSES:
        return str(status)
    frame = assessment.frame if hasattr(assessment, "frame") else assessment.to_frame()
    return heading_status_label(frame["status"], frame["status_zh"], status, _lang(lang),
                                final=bool(getattr(assessment, "final", False)))


def status_words(status: str, status_zh: str | None, lang: str = "zh",
                 early: bool = False) -> str:
    """Status word as the assessment worded it (``status_zh``), in ``lang``.

    The assessment words variants itself (提前实现, 未实现 at the final
    evaluation, ...); the English of a variant is looked up in
    :data:`hbkit.status.STATUS_VARIANTS`, and the status's plain Chinese word
    gives its plain English one. ``early`` words an *achieved* row 提前实现 /
    achieved early only when the assessment's wording is not given.

    Examples
    --------
    >>> status_words("achieved", "提前实现", "en"), status_words("on_track", None, "zh")
    ('achieved early', '有望实现')

    At the final evaluation a count rule judged on an earlier year's count is 已实现,
    not 提前实现, though its latest year is before the target year:

    >>> status_words("achieved", "已实现", "en", early=True)
    'achieved'
    """
    if _lang(lang) == "zh":
        return status_zh if status_zh else status_label(status, "zh", early=early)
    for (code, _variant), (variant_zh, variant_en) in STATUS_VARIANTS.items():
        if code == status and status_zh == variant_zh:
            return variant_en
    if status_zh and status_zh == status_label(status, "zh"):
        return status_label(status, "en")
    return status_label(status, "en", early=early)


def _pick(words: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    zh, en = words.get(code, (code, code))
    return zh if _lang(lang) == "zh" else en


def scale_label(scale: Any, lang: str = "zh") -> str:
    """Name of a modelling scale (``logit`` -> logit尺度); unknown scales keep their code.

    >>> scale_label("poisson"), scale_label("identity", "en"), scale_label(None)
    ('泊松计数', 'identity', '')
    """
    if scale is None or (isinstance(scale, float) and math.isnan(scale)):
        return ""
    return _pick({**SCALE_WORDS, **RULE_SCALE_WORDS}, str(scale), lang)


def unit_label(unit: Any, lang: str = "zh") -> str:
    """Name of a unit (``per_100k`` -> /10万, per 100,000); no unit -> ``""``.

    >>> unit_label("per_100k"), unit_label("per_100k", "en"), unit_label("count", "en")
    ('/10万', 'per 100,000', 'count')
    """
    if unit is None or (isinstance(unit, float) and math.isnan(unit)):
        return ""
    return _pick(UNIT_WORDS, str(unit), lang)


def model_label(method: Any, lang: str = "zh") -> str:
    """The model of a series (``Assessment.to_frame()["method"]``) in words of ``lang``.

    Model averages keep their weights; parts written "中文 / English" keep the
    side of ``lang``; model names not known are kept as they are.

    Examples
    --------
    >>> model_label("rw_drift 69% + level 22% + local_trend 9%")
    '带漂移随机游走 69% + 局部水平 22% + 局部线性趋势 9%'
    >>> model_label("binomial_trend", "en")
    'binomial count trend'
    >>> model_label("计数规则（4个下级单位），不预测 / count rule over 4 sub-units, no forecast", "en")
    'count rule over 4 sub-units, no forecast'
    >>> model_label("level; 由街道汇总 / aggregated from sub-units")
    '局部水平；由街道汇总'
    >>> model_label("no pooling (fewer than 3 units) on the log scale; 10 个下级单位 / sub-units", "en")
    'no pooling (fewer than 3 units) on the log scale; 10 sub-units'
    >>> model_label("no pooling (fewer than 3 units) on the logit scale, binomial counts")
    '不合并（少于3个单位），logit尺度，二项计数'
    """
    if method is None or (isinstance(method, float) and math.isnan(method)):
        return ""
    zh = _lang(lang) == "zh"
    parts = []
    for part in str(method).split("; "):
        if " / " in part:
            first, _, second = part.partition(" / ")
            count = first.split(" ", 1)[0]
            if not zh and count.isdigit() and not second.startswith(count):
                second = f"{count} {second}"  # "10 个下级单位 / sub-units"
            parts.append(first if zh else second)
            continue
        parts.append(_model_words(part, lang))
    return ("；" if zh else "; ").join(parts)


def _model_words(part: str, lang: str) -> str:
    """One model text: a name, a weighted average, or a pooling on a scale."""
    if " + " in part or part.split(" ")[0] in MODEL_WORDS:
        terms = []
        for term in part.split(" + "):
            name, _, weight = term.partition(" ")
            if name in MODEL_WORDS and (not weight or weight.endswith("%")):
                terms.append(_pick(MODEL_WORDS, name, lang) + (f" {weight}" if weight else ""))
            else:
                return part
        return " + ".join(terms)
    for name in MODEL_WORDS:
        if part.startswith(name + " on the "):
            rest = part[len(name) + len(" on the "):]
            scale, _, counts = rest.partition(" scale")
            words = [_pick(MODEL_WORDS, name, lang), scale_label(scale, lang)]
            noise = counts.removeprefix(", ").removesuffix(" counts")
            if noise:
                words.append(scale_label(noise.lower(), lang))
            return "，".join(words) if _lang(lang) == "zh" else part
    return part


def number_label(column: str, lang: str = "zh") -> str:
    """Name of a number behind a warning; unknown columns keep their name.

    >>> number_label("p_value"), number_label("reversals", "en"), number_label("other")
    ('p值', 'reversals', 'other')
    """
    return NUMBER_WORDS.get(column, {}).get(_lang(lang), column)


def warning_label(code: str, lang: str = "zh") -> str:
    """Word for a warning code (``hard_to_reach`` -> 预计达标困难).

    Examples
    --------
    >>> warning_label("fluctuation"), warning_label("hard_to_reach", "en")
    ('波动较大', 'hard to reach')
    """
    return WARNING_WORDS.get(code, {}).get(_lang(lang), str(code))


def domain_label(domain: str | None, lang: str = "zh", domain_zh: str = "") -> str:
    """Name of a plan domain.

    Examples
    --------
    >>> domain_label("health"), domain_label("health", "en")
    ('健康', 'Health')
    """
    from hbkit._typing import DOMAIN_ZH

    if domain is None or (isinstance(domain, float) and math.isnan(domain)) or domain == "":
        return "其他" if _lang(lang) == "zh" else "Other"
    if _lang(lang) == "zh":
        return domain_zh or DOMAIN_ZH.get(domain, str(domain))
    return DOMAIN_EN.get(domain, str(domain))


def plan_label(plan: str | None, lang: str = "zh") -> str:
    """Name of a plan (``women`` -> 妇女发展规划).

    Examples
    --------
    >>> plan_label("children", "en")
    "Children's Development Plan"
    """
    if plan is None or (isinstance(plan, float) and math.isnan(plan)):
        return "其他目标" if _lang(lang) == "zh" else "Other targets"
    return PLAN_WORDS.get(str(plan), {}).get(_lang(lang), str(plan))


def convention_label(column: str, value: Any, lang: str = "zh") -> str:
    """Text of an official-convention code (``eurostat_band``, ``unsd_band``, ``dns_symbol``).

    The words are :mod:`hbkit.conventions`' own; missing values print as an
    en dash and unknown codes are kept as they are.

    Examples
    --------
    >>> convention_label("eurostat_band", "moving_away"), convention_label("dns_symbol", None)
    ('偏离目标', '–')
    """
    from hbkit.conventions import LABELS

    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return "–"
    return LABELS.get(column, {}).get(_lang(lang), {}).get(str(value), str(value))
