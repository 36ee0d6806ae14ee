"""Charts of an assessment: fan charts, the status dashboard, probabilities, reliability.

Free functions taking result objects. matplotlib is imported inside the
functions, so ``import hbkit`` never imports it, and no global matplotlib
setting is changed: each chart is drawn under :func:`hbkit.fonts.chart_context`
with the Chinese font that ships with hbkit. Each function takes ``ax=None``
(a new figure is made) and ``lang="zh"`` or ``"en"``, and returns the Axes.

The charts of one target over the years are in :mod:`hbkit.plotting.fan`,
those of every target at once in :mod:`hbkit.plotting.overview`, the
reliability diagram of a backtest in :mod:`hbkit.plotting.reliability`; all
are importable from here. Chart text is laid out by
:mod:`hbkit.plotting.text_layout`, the shared Axes set-up is in
:mod:`hbkit.plotting.axes`.

Colours are the report's traffic lights (:data:`hbkit.report.wording.STATUS_COLOURS`):
achieved and on track green, at risk amber, off track red, the rest grey.

Examples
--------
A reliability diagram from a table of probability bins:

>>> import pandas as pd
>>> table = pd.DataFrame({"mean_forecast": [0.1, 0.5, 0.9],
...                       "observed_frequency": [0.15, 0.45, 0.85], "n": [20, 10, 30]})
>>> ax = reliability_diagram(table, lang="en")
>>> ax.get_xlabel()
'forecast probability'
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from hbkit.plotting.fan import (
    TARGET_LINE_GID,
    TARGET_YEAR_GID,
    TREND_LINE_GID,
    draw_series_view,
    draw_target,
    draw_unit_counts,
    fan_chart,
    rule_path,
    unit_counts,
)
from hbkit.plotting.overview import (
    PANEL_MAX_ROWS,
    PROBABILITY_LABEL_SIZE,
    PROBABILITY_LABEL_WIDTH,
    draw_probability_panel,
    probability_chart,
    probability_label,
    probability_panels,
    probability_rows,
    status_dashboard,
)
from hbkit.plotting.reliability import reliability_diagram

__all__ = [
    "PANEL_MAX_ROWS",
    "PROBABILITY_LABEL_SIZE",
    "PROBABILITY_LABEL_WIDTH",
    "TARGET_LINE_GID",
    "TARGET_YEAR_GID",
    "TREND_LINE_GID",
    "draw_probability_panel",
    "draw_series_view",
    "draw_target",
    "draw_unit_counts",
    "fan_chart",
    "probability_chart",
    "probability_label",
    "probability_panels",
    "probability_rows",
    "reliability_diagram",
    "rule_path",
    "status_dashboard",
    "unit_counts",
]
