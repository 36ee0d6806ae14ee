"""The reliability diagram of a backtest: how often targets given a probability were met.

A well-calibrated forecaster's points lie on the diagonal: of the targets
given about 70%, about 70% were met. The diagram reads the reliability table
of a :class:`hbkit.BacktestResult` (or such a table itself).

Examples
--------
Bins with the exact 95% interval of each observed frequency, drawn as bars:

>>> import pandas as pd
>>> table = pd.DataFrame({"mean_forecast": [0.2, 0.8], "observed_frequency": [0.25, 0.7],
...                       "n": [40, 60], "freq_lo_95": [0.13, 0.57], "freq_hi_95": [0.41, 0.81]})
>>> ax = reliability_diagram(table)
>>> ax.get_title(loc="left"), len(ax.collections)
('概率校准（可靠性图）', 2)
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hbkit._options import check_choice
from hbkit.exceptions import HbkitError, HbkitTypeError
from hbkit.fonts import chart_context
from hbkit.plotting.axes import GRID_STYLE, finish_axes, new_axes
from hbkit.report.wording import text

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


# ------------------------------------------------------------------- reliability diagram

_FORECAST_COLUMNS = ("mean_probability", "mean_forecast", "forecast", "p_mean", "predicted")
_OBSERVED_COLUMNS = ("observed_frequency", "observed", "frequency", "hit_rate", "outcome_rate")
_COUNT_COLUMNS = ("n", "count", "n_cases")


def _reliability_table(source: Any) -> pd.DataFrame:
    """The reliability table of a BacktestResult, or the table itself."""
    table = source
    for name in ("reliability", "reliability_table"):
        if not isinstance(table, pd.DataFrame) and hasattr(source, name):
            attribute = getattr(source, name)
            table = attribute() if callable(attribute) else attribute
    if not isinstance(table, pd.DataFrame):
        raise HbkitTypeError(
            "reliability_diagram 须传入 BacktestResult 或可靠性表（DataFrame）；收到 "
            f"{type(source).__name__} / reliability_diagram takes a BacktestResult or a "
            f"reliability table (DataFrame); received {type(source).__name__}"
        )
    return table


#: what a column of the reliability table holds -> its Chinese name
_COLUMN_WHAT_ZH = {"forecast probability": "预测概率", "observed frequency": "实际达标频率"}


def _pick(table: pd.DataFrame, names: Sequence[str], what: str) -> str:
    for name in names:
        if name in table.columns:
            return name
    received = ", ".join(map(str, table.columns))
    raise HbkitError(f"可靠性表须有{_COLUMN_WHAT_ZH.get(what, what)}列（{'、'.join(names)} 之一）；"
                     f"收到的列：{'、'.join(map(str, table.columns))} / reliability table needs "
                     f"a {what} column (one of {', '.join(names)}); columns received: {received}")


def reliability_diagram(
    backtest_result_or_table: Any, lang: str = "zh", ax: Axes | None = None
) -> Axes:
    """Reliability diagram: observed frequency of success against forecast probability.

    Parameters
    ----------
    backtest_result_or_table
        A :class:`hbkit.BacktestResult` (its reliability table is used) or a
        DataFrame with the mean forecast probability of each bin
        (``mean_probability`` or ``mean_forecast``), the observed frequency
        (``observed_frequency``), optionally the number of cases (``n``),
        which sets the marker area, and the exact 95% interval of the
        frequency (``freq_lo_95``, ``freq_hi_95``), drawn as a bar.
    """
    lang = check_choice("lang", lang, ("zh", "en"))
    table = _reliability_table(backtest_result_or_table)
    forecast = table[_pick(table, _FORECAST_COLUMNS, "forecast probability")].astype(float)
    observed = table[_pick(table, _OBSERVED_COLUMNS, "observed frequency")].astype(float)
    count_column = next((c for c in _COUNT_COLUMNS if c in table.columns), None)
    counts = (table[count_column].astype(float) if count_column
              else pd.Series(np.ones(len(table)), index=table.index))
    keep = forecast.notna() & observed.notna() & (counts > 0)
    with chart_context():
        ax = new_axes(ax, (4.4, 4.2))
        ax.plot([0, 1], [0, 1], color="#8c959f", linestyle="--", linewidth=1.0,
                label=text("perfect_calibration", lang))
        sizes = 20 + 220 * counts[keep] / max(float(counts[keep].max()), 1.0) if keep.any() else 20
        ax.plot(forecast[keep], observed[keep], color="#0969da", linewidth=1.2, zorder=2)
        if {"freq_lo_95", "freq_hi_95"} <= set(table.columns):
            lo, hi = table["freq_lo_95"].astype(float)[keep], table["freq_hi_95"].astype(float)[keep]
            ax.vlines(forecast[keep], lo, hi, color="#0969da", alpha=0.35, linewidth=2.5,
                      zorder=1, label=text("frequency_interval", lang))
        ax.scatter(forecast[keep], observed[keep], s=sizes, color="#0969da", alpha=0.8,
                   edgecolors="white", zorder=3)
        if count_column:
            radii = np.sqrt(np.broadcast_to(np.asarray(sizes, dtype=float), (int(keep.sum()),))) / 2
            for x, y, n, r in zip(forecast[keep], observed[keep], counts[keep], radii, strict=True):
                # right of and below the point, clear of its marker (radius r points), turned
                # towards the middle near an edge, so a label at a corner (a bin at 0 or 1) stays
                # inside the axes
                right, low = x > 0.8, y < 0.15
                gap = 0.7 * r + 3
                ax.annotate(f"n={int(n)}", (x, y), textcoords="offset points",
                            xytext=(-gap if right else gap, gap if low else -gap),
                            ha="right" if right else "left", va="bottom" if low else "top",
                            fontsize=7, color="#57606a")
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(0.0, 1.0)
        ax.set_aspect("equal")
        ax.set_xlabel(text("forecast_probability", lang), fontsize=9)
        ax.set_ylabel(text("observed_frequency", lang), fontsize=9)
        ax.grid(True, **GRID_STYLE)
        ax.legend(fontsize=8, frameon=False, loc="upper left")
        ax.set_title(text("reliability_title", lang), loc="left", fontsize=11)
    return finish_axes(ax)
