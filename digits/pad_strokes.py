"""What is drawn on the drawing pad, as strokes: no widgets, no browser.

`PadStrokes` is the drawing: the finished strokes and the one being drawn, with
add, undo, clear and `PadStrokes.image` (rasterised by `digits.strokes.render_strokes`,
the one rasteriser of the course). `MouseStrokes` turns the mouse events a canvas
reports (press, move, release, leave, each with a position) into strokes of a
`PadStrokes`, including strokes that leave the canvas and come back, or start
outside it. Both return the pieces of ink to paint, so a view can show the
strokes as they are drawn without keeping state of its own.

A *stroke* is a tuple of ``(x, y)`` points in pad pixels, y pointing down; a
stroke of one point is a dot. A *piece* of ink is the same: one point (a dot),
two (a segment) or more (a polyline).
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np

from .strokes import render_strokes

Point = tuple[float, float]
Stroke = tuple[Point, ...]

PAD_SIZE = 280
"""Side of the pad in pixels: 10x an MNIST image."""
LINE_WIDTH = 20
"""The pad's usual pen width in pixels.

MNIST strokes are 1.6-3.9 pixels wide (median 2.4) on a digit scaled into a
20-pixel box. A digit drawn 150-220 pixels tall on the pad with 20-pixel strokes
comes out 1.8-2.7 pixels wide at that scale: MNIST-like (and `digits.to_mnist`
brings outliers into MNIST's range anyway).
"""
MIN_STEP = 1.0
"""A pointer move shorter than this (pixels) adds no point to a stroke."""


def is_dot(strokes: Iterable[Sequence[Point]], width: float = LINE_WIDTH) -> bool:
    """Whether strokes drawn with a pen ``width`` wide make only a dot, not a digit.

    True when every point lies within one pen width of the others both ways (the
    ink is at most two pen widths across): a click, a tap or a tiny wiggle, which
    the network would otherwise read, confidently, as a 0. False for no strokes.
    """
    points = np.array([point for stroke in strokes for point in stroke], dtype=np.float64).reshape(-1, 2)
    return points.size > 0 and bool(np.ptp(points, axis=0).max() <= width)


class PadStrokes:
    """The strokes drawn on a pad ``width`` pixels wide and ``height`` high (square when ``height`` is not given).

    Points are kept as floats; a point that is not a finite number is dropped,
    and one far off the pad is moved to within one pad width (or height) of it
    (a pointer can report positions outside the canvas). The drawing methods
    return the piece of ink that appeared, or ``None`` when nothing did.
    """

    def __init__(self, width: int = PAD_SIZE, height: int | None = None):
        self.width = int(width)
        self.height = int(width if height is None else height)
        self._finished: list[Stroke] = []
        self._current: list[Point] | None = None

    @property
    def strokes(self) -> tuple[Stroke, ...]:
        """Every finished stroke, oldest first."""
        return tuple(self._finished)

    @property
    def current(self) -> Stroke | None:
        """The stroke being drawn (pen down), or ``None``."""
        return tuple(self._current) if self._current is not None else None

    def all_strokes(self) -> tuple[Stroke, ...]:
        """The finished strokes and the one being drawn, if any: everything on the pad."""
        return self.strokes + ((self.current,) if self._current else ())

    def __len__(self) -> int:
        """How many strokes are on the pad, the one being drawn included."""
        return len(self.all_strokes())

    def point(self, x, y) -> Point | None:
        """``(x, y)`` as floats within one pad width (height) of the pad; ``None`` if either is not a finite number."""
        try:
            x, y = float(x), float(y)
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        return min(max(x, -self.width), 2.0 * self.width), min(max(y, -self.height), 2.0 * self.height)

    def begin(self, x, y) -> Stroke | None:
        """Put the pen down at ``(x, y)``, ending any stroke being drawn; returns the dot, or ``None``."""
        point = self.point(x, y)
        if point is None:
            return None
        self.end()
        self._current = [point]
        return (point,)

    def extend(self, x, y) -> Stroke | None:
        """Move the pen to ``(x, y)``; returns the new segment, or ``None`` (pen up, too short a move, bad point)."""
        point = self.point(x, y)
        if point is None or self._current is None:
            return None
        last = self._current[-1]
        if math.hypot(point[0] - last[0], point[1] - last[1]) < MIN_STEP:
            return None
        self._current.append(point)
        return (last, point)

    def end(self) -> Stroke | None:
        """Lift the pen: the stroke being drawn becomes a finished one, which is returned (``None`` if none)."""
        stroke, self._current = self._current, None
        if not stroke:
            return None
        self._finished.append(tuple(stroke))
        return self._finished[-1]

    def add(self, points: Iterable[Sequence[float]]) -> Stroke | None:
        """Add a whole stroke through ``points``, as if drawn by hand; returns it (``None`` if no point was usable)."""
        self.end()
        for x, y in points:
            if self._current is None:
                self.begin(x, y)
            else:
                self.extend(x, y)
        return self.end()

    def undo(self) -> Stroke | None:
        """Remove the last stroke (the one being drawn, if any); returns it, or ``None`` on an empty pad."""
        stroke, self._current = self._current, None
        if stroke:
            return tuple(stroke)
        return self._finished.pop() if self._finished else None

    def clear(self) -> None:
        """Remove every stroke."""
        self._finished.clear()
        self._current = None

    def image(self, width: float = LINE_WIDTH) -> np.ndarray:
        """Every stroke drawn with a round pen ``width`` pixels wide: (height, width) uint8, 255 paper, 0 ink."""
        return render_strokes(self.all_strokes(), (self.height, self.width), width)

    def is_dot(self, width: float = LINE_WIDTH) -> bool:
        """Whether the drawing, with a pen ``width`` wide, is only a dot (see `is_dot`)."""
        return is_dot(self.all_strokes(), width)


class MouseStrokes:
    """Mouse events on a canvas, as strokes of a `PadStrokes`.

    A canvas hears the mouse only while the pointer is over it, and its events
    say where the pointer is, not which buttons are held. So:

    * press on the canvas, move, release: one stroke, painted as it is drawn;
    * leaving the canvas with the button held keeps the stroke so far; the pen
      stays down until the pointer comes back;
    * the pointer's path since it last came onto the canvas is remembered
      without ink: when the button is then released on the canvas without having
      been pressed there, it was held all along, and that path becomes a stroke
      (painted at the release). This is a stroke that came back after leaving
      the canvas (its second part), or one started outside it;
    * a press ends a stroke left open outside (the button was released there),
      and the path remembered so far was only the pointer passing by.

    Each method returns the pieces of ink to paint, in order (see the module).
    """

    MAX_PATH = 10_000
    """At most this many points of the pointer's path are remembered (the last ones)."""

    def __init__(self, strokes: PadStrokes):
        self.strokes = strokes
        self._path: list[Point] = []
        self._away = False

    @property
    def pen_down(self) -> bool:
        """Whether a stroke is being drawn on the canvas (pressed here, not released, pointer on the canvas)."""
        return self.strokes.current is not None and not self._away

    def press(self, x, y) -> list[Stroke]:
        """The button went down at ``(x, y)`` on the canvas: a new stroke starts there."""
        self._away = False
        self._path.clear()
        dot = self.strokes.begin(x, y)  # ends a stroke left open outside the canvas
        return [dot] if dot else []

    def move(self, x, y) -> list[Stroke]:
        """The pointer moved to ``(x, y)`` on the canvas."""
        if self.pen_down:
            segment = self.strokes.extend(x, y)
            return [segment] if segment else []
        point = self.strokes.point(x, y)
        if point is not None and (not self._path or point != self._path[-1]):
            self._path.append(point)
            del self._path[: -self.MAX_PATH]
        return []

    def release(self, x, y) -> list[Stroke]:
        """The button went up at ``(x, y)`` on the canvas: the stroke ends there."""
        if self.pen_down:
            segment = self.strokes.extend(x, y)
            self.strokes.end()
            return [segment] if segment else []
        # Released here but not pressed here: the button was held as the pointer came in.
        self.strokes.end()  # the part drawn before leaving, if any, stays a stroke of its own
        self._away = False
        path, self._path = self._path + [(x, y)], []
        stroke = self.strokes.add(path)
        return [stroke] if stroke else []

    def leave(self, x, y) -> list[Stroke]:
        """The pointer left the canvas at ``(x, y)``; a stroke being drawn reaches the edge and waits."""
        self._path.clear()
        if not self.pen_down:
            return []
        segment = self.strokes.extend(x, y)
        self._away = True
        return [segment] if segment else []

    def finish(self) -> None:
        """End any open stroke and forget the pointer's path (after Undo or Clear, or a new pen)."""
        self.strokes.end()
        self._away = False
        self._path.clear()
