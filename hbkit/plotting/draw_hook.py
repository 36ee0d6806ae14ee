"""An invisible artist that lays a chart out when it is drawn, at the size it is drawn at.

Where labels fit depends on the size an Axes is finally drawn at (a figure of
its own, a panel of a grid, a notebook's width, a tight layout done after the
chart was made), so a chart that places text by the room it has does so when
drawing, not when the chart is made. :class:`BeforeDraw` is added to the
Axes with a zorder below the artists it moves and calls ``lay_out(renderer)``
each time the Axes is drawn. This module imports matplotlib: chart functions
import it inside the function.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> label = ax.text(0.5, 0.5, "n=3", zorder=4)
>>> hook = ax.add_artist(BeforeDraw(lambda renderer: label.set_x(0.2), zorder=3.5))
>>> fig.canvas.draw()
>>> label.get_position()
(0.2, 0.5)
>>> plt.close(fig)
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.artist import Artist
from matplotlib.backend_bases import RendererBase


class BeforeDraw(Artist):
    """Calls ``lay_out(renderer)`` when drawn; draws nothing and takes no room.

    Parameters
    ----------
    lay_out
        Called with the renderer each time the Axes is drawn (after its layout
        is settled, before the artists of higher zorder are drawn).
    zorder
        Below the zorder of every artist ``lay_out`` moves.
    """

    def __init__(self, lay_out: Callable[[RendererBase], None], zorder: float) -> None:
        super().__init__()
        self.lay_out = lay_out
        self.set_zorder(zorder)
        self.set_in_layout(False)

    def draw(self, renderer: RendererBase) -> None:
        """Lay the chart out for this drawing."""
        if self.get_visible():
            self.lay_out(renderer)
        self.stale = False
