"""Charts as embedded images: draw with :mod:`hbkit.plotting`, return PNG bytes or a data URI.

Figures are made with ``matplotlib.figure.Figure`` directly (not pyplot), so a
report with a hundred charts leaves no open figures behind and needs no
display.

Examples
--------
>>> import pandas as pd
>>> from hbkit.plotting import reliability_diagram
>>> table = pd.DataFrame({"mean_forecast": [0.2, 0.8], "observed_frequency": [0.25, 0.7]})
>>> uri = png_data_uri(lambda ax: reliability_diagram(table, ax=ax), (4, 4))
>>> uri.startswith("data:image/png;base64,iVBORw0KGgo")
True
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

from hbkit.fonts import chart_context

#: resolution of embedded charts (dots per inch)
DPI = 110
#: fixed margins of the fan charts in the report (figure fractions)
FAN_MARGINS: dict[str, float] = {"left": 0.13, "right": 0.975, "bottom": 0.1, "top": 0.89}
#: blank border (inches) kept around the outermost text when a figure grows to fit it
FIT_PAD = 0.04
#: colours kept when a chart is stored as a palette PNG (4x smaller, no visible loss)
PALETTE_COLOURS = 256


def draw_figure(draw: Callable[[Any], Any], figsize: tuple[float, float],
                margins: dict[str, float] | None = None) -> Any:
    """A new figure (Agg canvas) of ``figsize`` inches on whose Axes ``draw(ax)`` drew.

    Parameters
    ----------
    draw
        Draws on the Axes it is given.
    figsize
        Width and height in inches.
    margins
        ``left, right, bottom, top`` as figure fractions: fixes the Axes
        position, which draws about twice as fast as the default constrained
        layout; many small charts of one shape (fan charts) use it. When a
        title or label drawn outside the Axes does not fit in these margins,
        the figure grows by what is missing (:func:`grow_to_fit`), so nothing
        is cut off.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, not yet saved.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with chart_context():
        figure = Figure(figsize=figsize, layout=None if margins else "constrained")
        FigureCanvasAgg(figure)
        if margins:
            figure.subplots_adjust(**margins)
        ax = figure.add_subplot()
        draw(ax)
        if margins:
            grow_to_fit(figure)
    return figure


def grow_to_fit(figure: Any, pad: float = FIT_PAD) -> bool:
    """Enlarge ``figure`` so that the titles, texts and y axis of its Axes lie inside it.

    The Axes keep their size and place in inches, so charts of one shape stay
    alike; only a chart whose title needs more lines, say, is taller, or whose
    y tick labels ("100.00") and unit are wider, wider. The x axis is left to
    the bottom margin (years fit; measuring it would add a tenth to the time
    a report takes).

    Parameters
    ----------
    figure
        A matplotlib figure with a canvas that can render (Agg).
    pad
        Blank border kept around the outermost text, in inches.

    Returns
    -------
    bool
        Whether the figure was enlarged.
    """
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for ax in figure.axes for t in ax.get_children()
             if isinstance(t, Text) and t.get_visible() and t.get_text()]  # titles, ax.text()s
    boxes += [box for ax in figure.axes if ax.axison
              for box in [ax.yaxis.get_tightbbox(renderer)] if box is not None]
    if not boxes:
        return False
    box = Bbox.union(boxes)
    tight = box.transformed(figure.dpi_scale_trans.inverted())  # inches
    width, height = figure.get_size_inches()
    left, bottom = max(0.0, pad - tight.x0), max(0.0, pad - tight.y0)
    right, top = max(0.0, tight.x1 + pad - width), max(0.0, tight.y1 + pad - height)
    if not (left or bottom or right or top):
        return False
    new_width, new_height = width + left + right, height + bottom + top
    for ax in figure.axes:
        place = ax.get_position()
        ax.set_position([(place.x0 * width + left) / new_width,
                         (place.y0 * height + bottom) / new_height,
                         place.width * width / new_width, place.height * height / new_height])
    figure.set_size_inches(new_width, new_height)
    return True


def render_png(draw: Callable[[Any], Any], figsize: tuple[float, float], dpi: int = DPI,
               margins: dict[str, float] | None = None) -> bytes:
    """PNG bytes of a new figure of ``figsize`` inches on whose Axes ``draw(ax)`` drew.

    ``margins`` (``left, right, bottom, top`` as figure fractions) fixes the
    Axes position, which draws about twice as fast as the default constrained
    layout; many small charts of one shape (fan charts) use it. The figure
    grows where a title or label would not fit (see :func:`draw_figure`).
    """
    with chart_context():
        figure = draw_figure(draw, figsize, margins)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return palette_png(buffer.getvalue())


def palette_png(png: bytes, colours: int = PALETTE_COLOURS) -> bytes:
    """The same picture as an optimised palette PNG of at most ``colours`` colours.

    Charts have few colours (lines, bands, anti-aliased text), so a palette
    image is about four times smaller than matplotlib's RGBA output, which
    keeps a report with a hundred charts to a few megabytes.
    """
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        # the octree keeps the exact traffic-light colours (median cut may blend a rare one)
        palette = image.convert("RGB").quantize(colors=colours, method=Image.Quantize.FASTOCTREE,
                                                dither=Image.Dither.NONE)
        out = io.BytesIO()
        palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def png_data_uri(draw: Callable[[Any], Any], figsize: tuple[float, float], dpi: int = DPI,
                 margins: dict[str, float] | None = None) -> str:
    """The chart as a ``data:image/png;base64,...`` URI, for an ``<img src>``."""
    png = render_png(draw, figsize, dpi, margins)
    return "data:image/png;base64," + base64.b64encode(png).decode()


def rows_height(n_rows: int, per_row: float, base: float) -> float:
    """Height in inches of a chart with one line per row.

    >>> rows_height(10, 0.25, 1.5)
    4.0
    """
    return base + per_row * max(n_rows, 1)
