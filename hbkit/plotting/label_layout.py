"""Labels set beside the points they name, clear of each other and of what the chart draws.

Pure geometry in display units (pixels, y upwards), no matplotlib: the chart
gives each label's point, marker radius and size, the box labels must stay in,
and what they should not cover; :func:`place_labels` returns each label's
centre. Each label tries spots around its marker, nearest first and on its
preferred side first, then further out, and takes the spot that covers the
least: nothing outside the box and no other label (worst), no marker and no
hard box such as the legend, then as few error bars and lines as it can.

Examples
--------
Two points side by side, both wanting their label to the right: the first
label takes the right, the second moves so the two do not overlap.

>>> scene = Scene(bounds=Box(0, 0, 200, 100))
>>> spots = place_labels([(50, 50, 4), (70, 50, 4)], [(30, 10), (30, 10)], [0.0, 0.0], scene)
>>> first, second = (label_box(spot, (30, 10)) for spot in spots)
>>> first.overlaps(second), [round(v) for v in spots[0]]
(False, [71, 50])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

#: cost of a spot outside the bounds or over another label (never, if it can be helped)
_COST_FORBIDDEN = 1000.0
#: cost of a spot over a marker or a hard box (the legend)
_COST_COVERS = 200.0
#: cost of a spot over an error bar
_COST_BAR = 20.0
#: cost of a spot crossed by a line
_COST_LINE = 6.0
#: cost of each step further out, of each step round from the preferred side, of a slide
_COST_RING, _COST_TURN, _COST_SLIDE = 2.0, 0.5, 1.0
#: rings of spots tried round each marker
_RINGS = 5
#: the eight directions round a marker, anticlockwise from the right
_DIRECTIONS = tuple((round(math.cos(k * math.pi / 4)), round(math.sin(k * math.pi / 4)))
                    for k in range(8))


class Box(NamedTuple):
    """A rectangle in display units: left, bottom, right, top."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two rectangles share some area (touching edges do not)."""
        return (self.x0 < other.x1 and other.x0 < self.x1
                and self.y0 < other.y1 and other.y0 < self.y1)

    def inside(self, other: Box) -> bool:
        """Whether this rectangle lies wholly within ``other``."""
        return (self.x0 >= other.x0 and self.x1 <= other.x1
                and self.y0 >= other.y0 and self.y1 <= other.y1)

    def hits_disc(self, x: float, y: float, r: float) -> bool:
        """Whether the disc of centre (x, y) and radius r reaches into the rectangle."""
        dx = x - min(max(x, self.x0), self.x1)
        dy = y - min(max(y, self.y0), self.y1)
        return dx * dx + dy * dy < r * r

    def hits_segment(self, segment: tuple[float, float, float, float]) -> bool:
        """Whether the segment (x0, y0, x1, y1) passes through the rectangle (Liang-Barsky)."""
        x0, y0, x1, y1 = segment
        dx, dy = x1 - x0, y1 - y0
        low, high = 0.0, 1.0
        for p, q in ((-dx, x0 - self.x0), (dx, self.x1 - x0),
                     (-dy, y0 - self.y0), (dy, self.y1 - y0)):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
        return True


@dataclass
class Scene:
    """Where labels may go and what they should not cover.

    Parameters
    ----------
    bounds
        The box every label must stay within (the Axes).
    discs
        Markers, as (x, y, radius): a label never covers one if it can help it.
    boxes
        Hard boxes (the legend), kept clear like markers.
    bars
        Error bars, as boxes: avoided, less strongly.
    segments
        Lines, as (x0, y0, x1, y1): avoided, less strongly still.
    """

    bounds: Box
    discs: list[tuple[float, float, float]] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    bars: list[Box] = field(default_factory=list)
    segments: list[tuple[float, float, float, float]] = field(default_factory=list)

    def cost(self, box: Box, placed: Sequence[Box]) -> float:
        """How much a label in ``box`` covers, given the labels already ``placed``."""
        if not box.inside(self.bounds) or any(box.overlaps(other) for other in placed):
            return _COST_FORBIDDEN
        return (_COST_COVERS * (sum(box.hits_disc(*disc) for disc in self.discs)
                                + sum(box.overlaps(other) for other in self.boxes))
                + _COST_BAR * sum(box.overlaps(bar) for bar in self.bars)
                + _COST_LINE * sum(box.hits_segment(segment) for segment in self.segments))


def label_box(centre: tuple[float, float], size: tuple[float, float]) -> Box:
    """The box of a label of ``size`` (width, height) centred at ``centre``.

    >>> label_box((10, 20), (6, 4))
    Box(x0=7.0, y0=18.0, x1=13.0, y1=22.0)
    """
    (x, y), (w, h) = centre, size
    return Box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _spots(point: tuple[float, float, float], size: tuple[float, float], preferred: float,
           gap: float) -> list[tuple[float, tuple[float, float]]]:
    """Spots round a marker as (preference cost, centre), the preferred one first."""
    x, y, r = point
    w, h = size
    spots = []
    for direction, (ux, uy) in enumerate(_DIRECTIONS):
        turn = abs((direction * 45.0 - preferred + 180.0) % 360.0 - 180.0) / 45.0
        for ring in range(_RINGS):
            reach = r + gap + ring * 0.8 * h
            cx, cy = x + ux * (reach + w / 2), y + uy * (reach + h / 2)
            base = _COST_RING * ring + _COST_TURN * turn
            spots.append((base, (cx, cy)))
            # slid along the side it sits on, for a row of points at one height
            for slide in (-1, 1):
                slid = (cx + slide * w / 2, cy) if ux == 0 else (cx, cy + slide * h / 2)
                spots.append((base + _COST_SLIDE, slid))
    spots.sort(key=lambda spot: spot[0])
    return spots


def place_labels(points: Sequence[tuple[float, float, float]],
                 sizes: Sequence[tuple[float, float]], preferred: Sequence[float], scene: Scene,
                 gap: float = 2.0) -> list[tuple[float, float]]:
    """The centre of each label, beside its point and clear of the others.

    Labels are placed in the order given (put the most important first); each
    takes the spot of least cost (:meth:`Scene.cost` plus how far it is from
    its marker and from its preferred side).

    Parameters
    ----------
    points
        Each label's point, as (x, y, marker radius) in display units.
    sizes
        Each label's (width, height).
    preferred
        Each label's preferred direction in degrees (0 right, 90 up, 315 below-right).
    scene
        The bounds and what labels should not cover.
    gap
        Room between a marker's edge and its label.

    Returns
    -------
    list of (float, float)
        Each label's centre, in the order given.

    Examples
    --------
    A label at the top right corner turns inwards to stay in the bounds:

    >>> scene = Scene(bounds=Box(0, 0, 100, 100))
    >>> place_labels([(98, 98, 3)], [(20, 8)], [45.0], scene)
    [(83.0, 89.0)]
    """
    placed: list[Box] = []
    centres: list[tuple[float, float]] = []
    for point, size, side in zip(points, sizes, preferred, strict=True):
        best_cost, best = math.inf, (point[0], point[1])
        for base, centre in _spots(point, size, side, gap):
            if base >= best_cost:
                break
            cost = base + scene.cost(label_box(centre, size), placed)
            if cost < best_cost:
                best_cost, best = cost, centre
        placed.append(label_box(best, size))
        centres.append(best)
    return centres
