"""Digits drawn as a person would draw them on the 280x280 pad: a few strokes each.

Each digit is a list of strokes; each stroke a list of (x, y) points in pad pixels,
densely spaced like the pointer positions a browser reports while drawing.
The unit tests feed them to the pad's event handlers, the browser test draws
them with real mouse moves.
"""

from __future__ import annotations

import math

Point = tuple[float, float]
Stroke = list[Point]


def _line(*corners: Point, step: float = 6.0) -> Stroke:
    """A polyline through ``corners``, with points every ``step`` pixels."""
    points: Stroke = [corners[0]]
    for (x0, y0), (x1, y1) in zip(corners, corners[1:]):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step))
        points += [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(1, n + 1)]
    return points


def _ellipse(cx: float, cy: float, rx: float, ry: float, turns: float = 1.08, n: int = 60) -> Stroke:
    """An oval drawn from the top, anticlockwise, overlapping a little at the end."""
    return [
        (cx - rx * math.sin(2 * math.pi * turns * i / n), cy - ry * math.cos(2 * math.pi * turns * i / n))
        for i in range(n + 1)
    ]


DRAWN_DIGITS: dict[int, list[Stroke]] = {
    # A slightly slanted bar with a small flag at the top.
    1: [_line((128, 72), (152, 45), (146, 235))],
    # One oval, taller than wide, closed with a small overlap.
    0: [_ellipse(140, 140, 62, 92)],
    # The top bar, then the long diagonal: two strokes.
    7: [_line((78, 55), (205, 55)), _line((205, 55), (160, 140), (122, 238))],
    # An open 4: the slanted arm with the crossbar, then the upright.
    4: [_line((160, 45), (85, 165), (215, 165)), _line((175, 95), (172, 245))],
}
"""Hand-drawn strokes by digit."""
