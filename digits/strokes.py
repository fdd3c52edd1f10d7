"""Pen strokes: drawing them as pictures, and changing them as a different hand would.

A *stroke* is the path of the pen from touching the paper to lifting it: a
sequence of ``(x, y)`` points in pixels, y pointing down (as on a canvas). A
digit is a list of strokes. The drawing pad records strokes, the real pen
collections (`digits.pendigits`) store them, and training redraws them with
other pens and sizes; all of them use `render_strokes`, so a stroke looks the
same wherever it is drawn.

* `render_strokes` - strokes onto a canvas: round, anti-aliased pen, dark ink
  on light paper;
* `fit_strokes` - strokes moved and scaled so their ink has a given height on
  a canvas, aspect kept;
* `reshaped_strokes` - strokes slanted, turned, stretched and wobbled at
  random, as the same digit by another hand.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import cv2
import numpy as np

Point = tuple[float, float]
Strokes = Sequence[Sequence[Point]]

PAPER, INK = 255, 0
"""Grey levels of empty paper and of full ink in `render_strokes`'s pictures."""

_SUBPIXEL = 4
"""OpenCV draws from fixed-point coordinates with this many fractional bits (1/16 pixel)."""


def _as_arrays(strokes: Iterable[Sequence[Point]]) -> list[np.ndarray]:
    """Each stroke as a (K, 2) float64 array of (x, y); empty strokes dropped."""
    arrays = [np.asarray(stroke, dtype=np.float64).reshape(-1, 2) for stroke in strokes]
    return [array for array in arrays if len(array)]


def render_strokes(
    strokes: Iterable[Sequence[Point]],
    size: int | tuple[int, int] = 280,
    width: float = 20.0,
) -> np.ndarray:
    """Draw strokes as a round, anti-aliased pen ``width`` pixels wide would: dark ink on light paper.

    ``strokes``: sequences of ``(x, y)`` points in pixels of the picture, y pointing
    down; a stroke of one point is a dot. ``size`` is the side of a square picture
    or its ``(height, width)``. Returns (height, width) uint8, `PAPER` (255) where
    nothing was drawn and `INK` (0) at full ink, anti-aliased at 1/16-pixel precision.
    Raises ``ValueError`` for a pen narrower than one pixel or a picture with no pixels.
    """
    height, columns = (size, size) if np.isscalar(size) else size
    if int(height) < 1 or int(columns) < 1:
        raise ValueError(f"the picture must have at least one pixel, got size {size}")
    if not width >= 1:
        raise ValueError(f"the pen must be at least one pixel wide, got {width}")
    image = np.full((int(height), int(columns)), PAPER, np.uint8)
    thickness = int(round(width))
    scale = 1 << _SUBPIXEL
    for stroke in _as_arrays(strokes):
        fixed = np.rint(stroke * scale).astype(np.int32)
        if len(fixed) == 1 or not np.any(fixed != fixed[0]):
            cv2.circle(image, tuple(int(v) for v in fixed[0]), int(round(width / 2 * scale)), INK,
                       thickness=-1, lineType=cv2.LINE_AA, shift=_SUBPIXEL)
        else:  # thick anti-aliased polylines have round ends and joins
            cv2.polylines(image, [fixed], isClosed=False, color=INK, thickness=thickness,
                          lineType=cv2.LINE_AA, shift=_SUBPIXEL)
    return image


def fit_strokes(
    strokes: Iterable[Sequence[Point]],
    height: float,
    center: Point,
) -> list[np.ndarray]:
    """Strokes scaled (aspect kept) so their ink spans ``height`` pixels from top to bottom, centred at ``center``.

    Returns a list of (K, 2) float64 arrays of (x, y). A digit with no height (a
    horizontal line or a dot) keeps its size and is only moved. Raises ``ValueError``
    when there are no points at all.
    """
    arrays = _as_arrays(strokes)
    if not arrays:
        raise ValueError("there are no points to fit")
    points = np.vstack(arrays)
    low, high = points.min(axis=0), points.max(axis=0)
    extent = high[1] - low[1]
    factor = height / extent if extent > 0 else 1.0
    middle = (low + high) / 2
    return [(stroke - middle) * factor + np.asarray(center, dtype=np.float64) for stroke in arrays]


def reshaped_strokes(
    strokes: Iterable[Sequence[Point]],
    rng: np.random.Generator,
    slant: float = 0.25,
    rotation: float = 8.0,
    stretch: tuple[float, float] = (0.8, 1.25),
    wobble: float = 0.02,
) -> list[np.ndarray]:
    """The same strokes as another hand might draw them: slanted, turned, stretched and wobbled.

    Slant is a shear of up to ``slant`` (x moves by ``slant`` times the height
    above the centre), rotation up to ``rotation`` degrees either way, the width
    is multiplied by a factor in ``stretch``, and every point moves by a smooth
    random wobble of up to about ``wobble`` times the digit's height. The result
    is in the strokes' own pixels, about the same place; fit it with `fit_strokes`.
    """
    arrays = _as_arrays(strokes)
    if not arrays:
        return []
    points = np.vstack(arrays)
    center = (points.min(axis=0) + points.max(axis=0)) / 2
    size = max(float(np.ptp(points[:, 1])), float(np.ptp(points[:, 0])), 1.0)
    angle = np.radians(rng.uniform(-rotation, rotation))
    cos, sin = np.cos(angle), np.sin(angle)
    shear = rng.uniform(-slant, slant)
    widen = rng.uniform(*stretch)
    # y points down: a positive shear leans the top to the right, as a right-handed slant does.
    matrix = np.array([[cos, -sin], [sin, cos]]) @ np.array([[widen, -shear], [0.0, 1.0]])
    out = []
    for stroke in arrays:
        moved = (stroke - center) @ matrix.T
        if wobble > 0 and len(stroke) > 1:
            moved += _smooth_noise(len(stroke), rng) * wobble * size
        out.append(moved + center)
    return out


def _smooth_noise(count: int, rng: np.random.Generator) -> np.ndarray:
    """(count, 2) random offsets that change slowly along a stroke, about unit size."""
    knots = max(2, count // 8 + 2)
    where = np.linspace(0, knots - 1, count)
    values = rng.normal(0, 1, (knots, 2))
    return np.stack([np.interp(where, np.arange(knots), values[:, axis]) for axis in range(2)], axis=1)
