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
#: colours kept when a chart is stored as a palette PNG (4x smaller, no visible loss)
PALETTE_COLOURS = 256


def render_png(draw: Callable[[Any], Any], figsize: tuple[float, float], dpi: int = DPI,
               margins: dict[str, float] | None = None) -> bytes:
    """PNG bytes of a new figure of ``figsize`` inches on whose Axes ``draw(ax)`` drew.

    ``margins`` (``left, right, bottom, top`` as figure fractions) fixes the
    Axes position, which draws about twice as fast as the default constrained
    layout; many small charts of one shape (fan charts) use it.
    """
    from matplotlib.figure import Figure

    with chart_context():
        figure = Figure(figsize=figsize, layout=None if margins else "constrained")
        if margins:
            figure.subplots_adjust(**margins)
        ax = figure.add_subplot()
        draw(ax)
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
