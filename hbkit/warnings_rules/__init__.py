"""Early warnings (预警): their statistics, thresholds and wording.

Four warnings, each with a code, a Chinese and an English text and the numbers
behind it (thresholds in :class:`hbkit.status.StatusRules`):

``hard_to_reach`` 预计达标困难
    The target is ``at_risk`` or ``off_track``, or it is achieved early (提前实现)
    but more likely than not lost again by the target year (P(attain) below
    ``StatusRules.at_risk``). Not in the final evaluation. Numbers: P(attain), the
    expected shortfall E[max(0, distance by which the projected target-year
    value misses the target)] in the indicator's unit, and the required annual
    change from the latest year to the target year against the change achieved
    per year since the baseline.

``fluctuation`` 波动较大
    The year-on-year swings are larger than sampling noise explains.

    *With counts* (numerator k_t events out of denominator n_t; binomial for
    bounded percentages, Poisson for rates of rare events and percentages that can
    pass 100%): a generalised linear trend
    (logit or log link, exposure n_t) is fitted by maximum likelihood; the
    Pearson statistic X^2 = sum_t (k_t - mu_t)^2 / V(mu_t), with V the binomial
    or Poisson variance, is compared with chi-square on T - 2 degrees of
    freedom (an overdispersion test of the series around its own trend). When
    some expected count is below ``fluctuation_min_expected`` (Cochran's rule:
    a district sees 0 or 1 maternal death a year) the p-value comes from a
    seeded parametric bootstrap (counts simulated from the fitted trend and
    refitted). The warning fires when p <= ``fluctuation_alpha`` (0.01), so
    under pure sampling noise it fires on about 1% of series, and the swings
    are large in practice: the root-mean-square deviation of the observed
    proportions from the trend is at least ``fluctuation_min_swing`` (2%) of
    the trend's level (with denominators of 100,000 a real but tiny variation
    is significant, not 波动较大). Reported with it:
    X^2, df, p, the dispersion ratio X^2/df and the largest standardised
    year-on-year change z_t = (p_t - p_{t-1}) / sqrt(v_t + v_{t-1}), where
    v_t = pbar(1 - pbar)/n_t (binomial) or pbar/n_t (Poisson) at the pair's
    pooled proportion pbar, and how many changes have abs(z_t) >= ``z_report`` (1.96).

    *Without counts* sampling noise is unknown, so the rule is descriptive: the
    robust residual scale s = 1.4826 MAD of the residuals around a Theil-Sen
    line, relative to the series' median level, is at least
    ``fluctuation_relative_scale`` (10%) and the year-on-year changes reverse
    direction at least ``fluctuation_min_reversals`` (2) times.

``moving_away`` 偏离目标
    The latest year-on-year change goes against the desired direction by more
    than noise: with Poisson counts, the exact conditional test (given
    k_t + k_{t-1} events, k_t is binomial with probability n_t / (n_t + n_{t-1})
    when the rate did not change); with binomial counts the pooled two-sample z
    above; without counts z = change / (sqrt(2) s) with s the robust residual
    scale. Fires when the one-sided p <= ``moving_away_alpha`` (0.025).

``latest_missing`` 最新年份缺失
    The series has data but no value for the assessment year (``as_of``).

Each row has a ``level``: ``"warning"`` (预警), or ``"note"`` (数据说明 / note on the
data) for a ``fluctuation`` on a target achieved on its observed target-year value
at the final evaluation (终期评估), where no action is left to take but the
swings remain a fact about the data (:mod:`hbkit.warnings_rules.levels`).

One module per job:

- :mod:`hbkit.warnings_rules.codes`: the warning codes and their labels
  (:data:`WARNING_LABELS`), the columns of a warnings table
  (:data:`WARNING_NUMBER_COLUMNS`, :data:`WARNING_COLUMNS`).
- :mod:`hbkit.warnings_rules.dispersion`: the overdispersion test of count
  series around their trend (:func:`dispersion_test`, :func:`fit_count_trend`,
  :func:`pearson_statistic`, :func:`count_family`).
- :mod:`hbkit.warnings_rules.changes`: year-on-year changes, standardised with
  counts (:func:`standardised_changes`), robust without
  (:func:`robust_trend_scale`), the latest one (:func:`last_change`).
- :mod:`hbkit.warnings_rules.statistics`: the numbers of each series and the
  flags (:func:`series_statistics`, :func:`moving_away_flags`,
  :func:`expected_shortfall`).
- :mod:`hbkit.warnings_rules.levels`: early warning or note on the data
  (:func:`warning_levels`, :func:`note_texts`, :data:`LEVEL_LABELS`).
- :mod:`hbkit.warnings_rules.wording`: the texts (:func:`warning_texts`,
  :func:`warning_text`, :func:`missed_year_text`, :func:`p_value_texts`).

Examples
--------
>>> warning_text("latest_missing", {"as_of": 2023, "last_year": 2021})[1]
'Latest year missing: no value for 2023; the latest is for 2021.'
"""

from __future__ import annotations

from hbkit.warnings_rules.changes import (
    compress_observed,
    last_change,
    robust_trend_scale,
    standardised_changes,
)
from hbkit.warnings_rules.codes import WARNING_COLUMNS, WARNING_LABELS, WARNING_NUMBER_COLUMNS
from hbkit.warnings_rules.dispersion import (
    BOOTSTRAP_SCREEN,
    count_family,
    dispersion_test,
    fit_count_trend,
    pearson_statistic,
)
from hbkit.warnings_rules.levels import LEVEL_LABELS, note_texts, warning_levels
from hbkit.warnings_rules.statistics import expected_shortfall, moving_away_flags, series_statistics
from hbkit.warnings_rules.wording import (
    missed_year_parts,
    missed_year_text,
    p_value_texts,
    warning_text,
    warning_texts,
)

__all__ = [
    "BOOTSTRAP_SCREEN",
    "LEVEL_LABELS",
    "WARNING_COLUMNS",
    "WARNING_LABELS",
    "WARNING_NUMBER_COLUMNS",
    "compress_observed",
    "count_family",
    "dispersion_test",
    "expected_shortfall",
    "fit_count_trend",
    "last_change",
    "missed_year_parts",
    "missed_year_text",
    "moving_away_flags",
    "note_texts",
    "p_value_texts",
    "pearson_statistic",
    "robust_trend_scale",
    "series_statistics",
    "standardised_changes",
    "warning_levels",
    "warning_text",
    "warning_texts",
]
