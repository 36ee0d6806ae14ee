"""The Axes every hbkit chart draws on, and the touches every chart shares.

A chart function draws on the Axes it is given or on a new pyplot figure
(:func:`new_axes`), uses the grid style :data:`GRID_STYLE`, and ends with
:func:`finish_axes`: the Chinese font on every text, no top or right spine.

Examples
--------
>>> ax = new_axes(None, (4.0, 3.0))
>>> ax.grid(True, **GRID_STYLE)
>>> finish_axes(ax) is ax, ax.spines["top"].get_visible()
(True, False)
>>> import matplotlib.pyplot as plt; plt.close(ax.figure)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec

from hbkit.fonts import apply_font, chart_context

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

_P = ParamSpec("_P")

#: grid lines of every chart
GRID_STYLE: dict[str, Any] = {"color": "#d0d7de", "linewidth": 0.6, "alpha": 0.8}


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """The Axes to draw on: ``ax`` or a new pyplot figure of ``figsize`` inches."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def finish_axes(ax: Axes) -> Axes:
    """Apply the Chinese font to every text of the figure and tidy the spines."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    apply_font(ax)  # this Axes' texts only: a developer's other Axes keep their fonts
    return ax


def in_chart_font(draw: Callable[_P, Axes]) -> Callable[_P, Axes]:
    """Make a public ``draw_*`` function (drawing on the Axes it is given) draw in the chart font.

    The ``fan_chart``-like entry points enter :func:`hbkit.fonts.chart_context`
    themselves; a developer who calls ``draw_target(..., ax=ax)`` on Axes of
    their own does not, and Chinese would print as empty boxes. The wrapped
    function runs under the context and sets the font on every text of the
    Axes it drew on (:func:`hbkit.fonts.apply_font`), and of no other Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> @in_chart_font
    ... def draw(*, ax):
    ...     ax.set_title("孕产妇死亡率")
    ...     return ax
    >>> fig, ax = plt.subplots()
    >>> draw(ax=ax).title.get_fontfamily()[0]
    'Noto Sans SC'
    >>> plt.close(fig)
    """

    @functools.wraps(draw)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> Axes:
        with chart_context():
            ax = draw(*args, **kwargs)
        apply_font(ax)
        return ax

    return wrapped
