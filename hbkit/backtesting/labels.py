"""Chinese and English headings of the backtest tables, and of the values analysts read in them.

The tables of :class:`hbkit.BacktestResult` (``cases``, ``scores``, ``compare``,
``reliability``, ``pit_histogram``, ``interval_check``, ``brier_decomposition``,
``score_intervals``, ``skipped``, ``skipped_reasons``) keep stable English
column keys and codes, which code and CSV files rely on. :func:`labelled`
returns a copy for reading: the headings, and the codes of the columns whose
values are words (methods, target kinds and rules, directions, score names,
families, bootstrap units, official labels, the ``中文 / English`` reasons
of ``skipped``), in Chinese, English or both
(``中文 English``, as :func:`hbkit.report.tables.header`); numbers are not
touched, every row and column is kept, and a key or value without a label is
kept as it is.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"method": ["hbkit", "status_quo"], "brier": [0.125, 0.5]})
>>> labelled(table)
  方法  Brier 分数
0  hbkit     0.125
1  维持现状     0.500
>>> list(labelled(table, "both").columns), column_label("coverage_80", "en")
(['方法 Method', 'Brier 分数 Brier score'], '80% coverage')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import pandas as pd

from hbkit._options import check_choice
from hbkit.conventions import LABELS as CONVENTION_LABELS
from hbkit.report.wording import DIRECTION_WORDS, KIND_WORDS, model_label

__all__ = ["COLUMN_LABELS", "FAMILY_LABELS", "LANGS", "METHOD_LABELS", "column_label",
           "labelled", "value_label"]

#: the languages of :func:`labelled`: Chinese, English, or Chinese then English
LANGS: tuple[str, ...] = ("zh", "en", "both")

#: column key -> (中文, English), for the columns without an interval level in their key
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    # what a case is
    "family": ("数据类别", "Family"),
    "indicator": ("指标编号", "Indicator id"),
    "geo": ("地区", "Area"),
    "origin": ("起点年份", "Origin"),
    "horizon": ("预测年数", "Years ahead"),
    "n_obs": ("窗口观测年数", "Years observed"),
    "flat_window": ("窗口内数值不变", "Flat window"),
    "moved_last_only": ("仅末年变化", "Moved in last year only"),
    "target_year": ("目标年份", "Target year"),
    "rule": ("目标规则", "Target rule"),
    "target_id": ("目标编号", "Target id"),
    "kind": ("目标类型", "Kind"),
    "direction": ("期望方向", "Direction"),
    "threshold": ("阈值", "Threshold"),
    "baseline_year": ("基期年份", "Baseline year"),
    "probability": ("达标概率", "Probability"),
    "outcome": ("是否达标（1/0）", "Met (1/0)"),
    "projected": ("预测值", "Projected"),
    "actual": ("实际值", "Actual"),
    "pit_lo": ("PIT 下端", "PIT lower"),
    "pit_hi": ("PIT 上端", "PIT upper"),
    "method": ("方法", "Method"),
    "reason": ("说明", "Reason"),
    "ols_projected": ("OLS 预测值", "OLS projected"),
    "band_eurostat": ("Eurostat 分档", "Eurostat band"),
    "band_unsd": ("UNSD 分档", "UNSD band"),
    "band_dns": ("DNS 天气符号", "DNS symbol"),
    # scores
    "n_cases": ("案例数", "Cases"),
    "n_scored": ("评分数", "Scored"),
    "n_forecasts": ("预测数", "Forecasts"),
    "outcome_rate": ("达标率", "Share met"),
    "mean_probability": ("平均概率", "Mean probability"),
    "brier": ("Brier 分数", "Brier score"),
    "log_score": ("对数分数", "Log score"),
    "ece": ("期望校准误差 ECE", "ECE"),
    # reliability table and PIT histogram
    "bin_lo": ("概率组下限", "Bin lower"),
    "bin_hi": ("概率组上限", "Bin upper"),
    "n": ("个数", "Count"),
    "observed_frequency": ("实际频率", "Observed frequency"),
    "share": ("占比", "Share"),
    # Brier decomposition
    "reliability": ("可靠性", "Reliability"),
    "resolution": ("分辨力", "Resolution"),
    "uncertainty": ("不确定性", "Uncertainty"),
    "within_bin_variance": ("组内方差", "Within-bin variance"),
    "within_bin_covariance": ("组内协方差", "Within-bin covariance"),
    # score intervals (their metrics are score names: see value_label)
    "metric": ("评分项", "Metric"),
    "estimate": ("估计值", "Estimate"),
    "lo": ("自助法95%区间下限", "Bootstrap 95% lower"),
    "hi": ("自助法95%区间上限", "Bootstrap 95% upper"),
    "cluster": ("重抽单位", "Resampled unit"),
    "n_clusters": ("重抽单位数", "Units resampled"),
    "detail": ("最佳基准", "Best baseline"),
    "calibration_gap": ("校准偏差（平均概率−达标率）", "Calibration gap"),
    "ece_if_calibrated": ("完全校准时的 ECE", "ECE if calibrated"),
    "brier_minus_best_baseline": ("Brier 分数减最佳基准", "Brier minus best baseline"),
}

#: key prefix -> (中文, English) with ``{level}``: columns named ``<prefix>_<level>``
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "coverage": ("{level}%区间覆盖率", "{level}% coverage"),
    "pit_coverage": ("{level}% PIT 覆盖率", "{level}% PIT coverage"),
    "model_coverage": ("{level}%区间模型概率", "{level}% model coverage"),
    "lo": ("{level}%下限", "{level}% lower"),
    "hi": ("{level}%上限", "{level}% upper"),
    "ols_lo": ("OLS {level}%下限", "OLS {level}% lower"),
    "ols_hi": ("OLS {level}%上限", "OLS {level}% upper"),
    "freq_lo": ("实际频率{level}%下限", "Frequency {level}% lower"),
    "freq_hi": ("实际频率{level}%上限", "Frequency {level}% upper"),
}
_LEVEL_KEY = re.compile(r"^(?P<prefix>[a-z_]+?)_(?P<level>\d+(?:\.\d+)?)$")

#: method of :meth:`hbkit.BacktestResult.compare` -> (中文, English)
METHOD_LABELS: dict[str, tuple[str, str]] = {
    "hbkit": ("hbkit", "hbkit"),
    "status_quo": ("维持现状", "Status quo"),
    "eurostat": ("Eurostat（0/1）", "Eurostat (0/1)"),
    "unsd": ("UNSD（0/1）", "UNSD (0/1)"),
    "dns": ("DNS（0/1）", "DNS (0/1)"),
    "ols_t": ("OLS 线性趋势（t 区间）", "OLS trend (t intervals)"),
    "eurostat_bands": ("Eurostat 分档命中率", "Eurostat bands (hit rates)"),
    "unsd_bands": ("UNSD 分档命中率", "UNSD bands (hit rates)"),
    "dns_bands": ("DNS 符号命中率", "DNS symbols (hit rates)"),
}

#: the families of the shipped backtests (notebook 04, benchmarks/bench_backtest.py)
FAMILY_LABELS: dict[str, tuple[str, str]] = {
    "IGME mortality": ("IGME 儿童死亡率", "IGME mortality"),
    "DTP3 coverage": ("DTP3 百白破疫苗接种率", "DTP3 coverage"),
    "district counts (simulated)": ("区级计数（模拟）", "district counts (simulated)"),
    "China official": ("中国官方数据", "China official"),
    "China official (rule targets)": ("中国官方数据（规则目标）", "China official (rule targets)"),
    "overall": ("合计", "overall"),
}

#: unit a bootstrap resamples (``score_intervals``' ``cluster``) -> (中文, English)
CLUSTER_LABELS: dict[str, tuple[str, str]] = {
    "geo": ("地区", "area"),
    "series": ("序列", "series"),
    "case": ("案例", "case"),
}

#: the official schemes' labels of a kind without a target value (the event on the
#: extrapolated path), beside :data:`hbkit.conventions.LABELS`
PATH_LABELS: dict[str, tuple[str, str]] = {
    "path_met": ("外推路径达标", "met on the extrapolated path"),
    "path_missed": ("外推路径未达标", "missed on the extrapolated path"),
}

#: the generated name of a :class:`hbkit.backtesting.TargetRule` (``TargetRule.label``)
_RULE_NAME = re.compile(r"^(?P<kind>[a-z_]+)(?: (?P<rate>[\d.]+)%/yr)?(?: (?P<threshold>[\d.e+-]+))?"
                        r"(?: base-(?P<offset>\d+))?(?: (?P<direction>increase|decrease))?$")


def _check_lang(lang: str) -> str:
    return check_choice("lang", lang, LANGS)


def _join(zh: str, en: str, lang: str) -> str:
    """One of the pair, or both: the English is left out when the Chinese already says it."""
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return zh if en in zh else f"{zh} {en}"


def _pair(key: str) -> tuple[str, str] | None:
    """(中文, English) heading of a column key, None when it has none."""
    if key in COLUMN_LABELS:
        return COLUMN_LABELS[key]
    match = _LEVEL_KEY.match(key)
    if match and match["prefix"] in LEVEL_LABELS:
        zh, en = LEVEL_LABELS[match["prefix"]]
        return zh.format(level=match["level"]), en.format(level=match["level"])
    name = key.removeprefix("p_")
    if key.startswith("p_") and name.endswith("_bands") and name in METHOD_LABELS:
        return METHOD_LABELS[name]  # a hit rate is the probability
    if key.startswith("p_") and name in METHOD_LABELS:
        zh, en = (word.split(sep)[0] for word, sep in zip(METHOD_LABELS[name], ("（", " ("),
                                                          strict=True))
        return f"{zh}{' ' if zh[-1].isascii() else ''}概率", f"P ({en})"
    return None


def column_label(key: Hashable, lang: str = "zh") -> Hashable:
    """Heading of a backtest table's column: ``zh``, ``en`` or ``both``; a key without one is kept.

    Examples
    --------
    >>> column_label("n_scored"), column_label("pit_coverage_95", "both")
    ('评分数', '95% PIT 覆盖率 95% PIT coverage')
    >>> column_label("p_status_quo", "en"), column_label("my_column", "zh")
    ('P (Status quo)', 'my_column')
    """
    lang = _check_lang(lang)
    pair = _pair(key) if isinstance(key, str) else None
    return key if pair is None else _join(*pair, lang)


def _rule_pair(name: str) -> tuple[str, str] | None:
    """(中文, English) of a rule name that ``TargetRule.label`` made; None for any other name."""
    match = _RULE_NAME.match(name)
    if not match or match["kind"] not in KIND_WORDS:
        return None
    zh, en = [KIND_WORDS[match["kind"]][0]], [KIND_WORDS[match["kind"]][1]]
    if match["rate"]:
        zh.append(f"每年{match['rate']}%")
        en.append(f"{match['rate']}% a year")
    if match["threshold"]:
        zh.append(match["threshold"])
        en.append(match["threshold"])
    if match["offset"]:
        zh.append(f"基期为起点前{match['offset']}年")
        en.append(f"baseline {match['offset']} years before the origin")
    if match["direction"]:
        zh.append(DIRECTION_WORDS[match["direction"]][0])
        en.append(DIRECTION_WORDS[match["direction"]][1])
    return " ".join(zh), " ".join(en)


def _model_pair(text: str) -> tuple[str, str] | None:
    """(中文, English) of a case's model (``cases["method"]``), None when no word is known."""
    zh, en = model_label(text, "zh"), model_label(text, "en")
    return None if zh == text and en == text else (zh, en)


def _band_pair(scheme: str) -> Callable[[str], tuple[str, str] | None]:
    column = {"eurostat": "eurostat_band", "unsd": "unsd_band", "dns": "dns_symbol"}[scheme]

    def pair(code: str) -> tuple[str, str] | None:
        words = CONVENTION_LABELS[column]
        if code in words["zh"]:
            return words["zh"][code], words["en"][code]
        return PATH_LABELS.get(code)
    return pair


def _method_pair(name: str) -> tuple[str, str] | None:
    return METHOD_LABELS.get(name) or _model_pair(name)


def _reason_pair(text: str) -> tuple[str, str] | None:
    """(中文, English) of a reason written ``中文 / English`` (``skipped``); None for another.

    >>> _reason_pair("窗口 2003-2010 内没有数值 / no value in the window 2003-2010")
    ('窗口 2003-2010 内没有数值', 'no value in the window 2003-2010')
    >>> _reason_pair("2 observations, 3 needed") is None
    True
    """
    zh, sep, en = text.partition(" / ")
    return (zh, en) if sep and zh and en else None


#: column key -> the (中文, English) of one of its values (None: the value is kept)
VALUE_PAIRS: dict[str, Callable[[str], tuple[str, str] | None]] = {
    "family": FAMILY_LABELS.get,
    "method": _method_pair,
    "detail": METHOD_LABELS.get,
    "kind": KIND_WORDS.get,
    "direction": DIRECTION_WORDS.get,
    "rule": _rule_pair,
    "reason": _reason_pair,
    "metric": _pair,
    "cluster": CLUSTER_LABELS.get,
    **{f"band_{scheme}": _band_pair(scheme) for scheme in ("eurostat", "unsd", "dns")},
}


def value_label(column: str, value: Any, lang: str = "zh") -> Any:
    """A value of ``column`` in words of ``lang``; numbers, missing values and unknown words kept.

    Examples
    --------
    >>> value_label("method", "eurostat_bands"), value_label("family", "IGME mortality", "both")
    ('Eurostat 分档命中率', 'IGME 儿童死亡率 IGME mortality')
    >>> value_label("metric", "ece_if_calibrated", "en"), value_label("kind", "maintain")
    ('ECE if calibrated', '保持')
    >>> value_label("rule", "relative_change 3%/yr base-2")
    '相对变化 每年3% 基期为起点前2年'
    >>> value_label("family", "my data"), value_label("method", float("nan"))
    ('my data', nan)
    """
    lang = _check_lang(lang)
    if not isinstance(value, str) or column not in VALUE_PAIRS:
        return value
    pair = VALUE_PAIRS[column](value)
    return value if pair is None else _join(*pair, lang)


def labelled(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy of a backtest table for reading: headings and word values in ``lang``.

    Parameters
    ----------
    frame
        A table of :class:`hbkit.BacktestResult` (or a selection of its
        columns, or several joined): its columns are the stable English keys.
    lang
        ``"zh"`` (default), ``"en"`` or ``"both"`` (``中文 English``).

    Returns
    -------
    pandas.DataFrame
        The same rows, columns and index in the same order, numbers unchanged;
        the headings of :data:`COLUMN_LABELS` (and the level columns
        ``coverage_80``, ``lo_95`` ...) and the values of the columns in
        :data:`VALUE_PAIRS` in ``lang``. A key or value without a label is
        kept as it is.

    Raises
    ------
    hbkit.exceptions.HbkitError
        ``lang`` is not one of ``zh``, ``en``, ``both``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"metric": ["brier", "pit_coverage_80"], "estimate": [0.1, 0.8]})
    >>> labelled(table, "en").values.tolist()
    [['Brier score', 0.1], ['80% PIT coverage', 0.8]]
    >>> labelled(table, "fr")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: lang 须为 'zh'、'en'、'both' 之一；收到 'fr' / lang must be one of 'zh', 'en', 'both'; received 'fr'
    """
    lang = _check_lang(lang)
    out = frame.copy()
    for position, key in enumerate(frame.columns):
        if isinstance(key, str) and key in VALUE_PAIRS:
            values = frame.iloc[:, position]
            if values.dtype == object or pd.api.types.is_string_dtype(values):
                words = [value_label(key, v, lang) for v in values]
                out.isetitem(position, np.array(words, dtype=object))
    out.columns = pd.Index([column_label(key, lang) for key in frame.columns])
    return out
