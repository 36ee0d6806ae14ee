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

from typing import TYPE_CHECKING, Any

from hbkit.fonts import apply_font

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

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
    apply_font(ax.figure)
    return ax
