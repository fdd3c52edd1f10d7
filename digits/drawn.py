"""Synthetic canvas drawings: digits as a person would draw them on the drawing pad.

The course has no collection of real drawings, so it makes some. A drawing on the
pad differs from an MNIST image in every way the preprocessing has to undo: it is
big (280x280), dark ink on light paper, drawn with a pen of any width, at any size
and anywhere on the canvas. Three sources are offered:

- `drawn_digits` re-renders real handwriting (MNIST digits) that way: upscaled to
  a crisp pen stroke, thickened or thinned to a random pen width, scaled and
  placed at random on a light canvas;
- `sketched_digits` draws digits stroke by stroke with ``cv2.polylines`` from
  simple templates, randomly slanted and stretched, as a mouse would;
- `scanned_digits` makes them look like scans from other digit collections:
  stored at low resolution (grey or black-and-white, `stored_small`; training
  makes its stretched 1s the same way), enlarged, on grey paper;
  `unevenly_lit` then darkens any of these towards one side, as a photo can be.

All three return ``(images, labels)``: uint8 arrays of shape (n, size, size), dark
ink (near 0) on light paper (near 255; greyer for scans), and int64 labels 0-9. All are seeded and
reproducible: the same arguments always give the same drawings.
"""

from __future__ import annotations

import cv2
import numpy as np

from .preprocess import ink_box, stroke_width

CANVAS_SIZE = 280
"""Side of the drawing pad's canvas, in pixels."""
PAPER = 255
"""Grey level of empty paper."""

_SCALE = (0.3, 0.85)
"""Digit height as a fraction of the canvas side (a small scribble to a full one)."""
_STROKE = (3.0, 36.0)
"""Pen widths, in canvas pixels (a fine pen to a thick marker)."""
_INK = (0, 80)
"""Grey levels of the ink (black to dark grey)."""


def drawn_digits(
    x: np.ndarray,
    y: np.ndarray,
    n: int,
    seed: int = 0,
    size: int = CANVAS_SIZE,
    scale: tuple[float, float] = _SCALE,
    stroke: tuple[float, float] = _STROKE,
    return_pen_share: bool = False,
):
    """Render ``n`` MNIST digits as canvas drawings.

    ``x``: (N, 28, 28) uint8 MNIST images, ``y``: their (N,) labels; ``n``
    distinct samples are drawn at random (``n <= N``). Each digit is upscaled to
    a height of ``scale`` (fractions of the canvas side, chosen uniformly),
    binarised into a crisp pen stroke, dilated or eroded to a pen width chosen
    uniformly in ``stroke`` (canvas pixels), slightly anti-aliased, and placed at
    a random position on a ``size`` x ``size`` light canvas.

    Returns ``(images, labels)``: (n, size, size) uint8, dark ink on light paper,
    and the (n,) int64 labels of the digits drawn. With ``return_pen_share``, also
    each drawing's pen width as a share of the digit's height (before the pen widened
    it), (n,) float64: past about 0.4 a small digit's loops and strokes run into one blot.
    """
    x, y, rng, chosen = _sample(x, y, n, seed)
    images = np.empty((n, size, size), dtype=np.uint8)
    pen_share = np.empty(n)
    for i, index in enumerate(chosen):
        height, width = rng.uniform(*scale) * size, rng.uniform(*stroke)
        pen_share[i] = width / height
        images[i] = _on_paper(_pen_stroke(x[index], height=height, width=width, size=size), size, rng)
    labels = y[chosen].astype(np.int64)
    return (images, labels, pen_share) if return_pen_share else (images, labels)


def enlarged(mnist_image: np.ndarray, size: int = CANVAS_SIZE) -> np.ndarray:
    """One MNIST digit simply enlarged to a ``size`` x ``size`` drawing: dark ink on white, uint8.

    The easiest "drawing" there is: the digit keeps MNIST's size, place and strokes.
    """
    return (PAPER - cv2.resize(mnist_image, (size, size), interpolation=cv2.INTER_LINEAR)).astype(np.uint8)


def scanned_digits(
    x: np.ndarray,
    y: np.ndarray,
    n: int,
    seed: int = 0,
    size: int = CANVAS_SIZE,
    scale: tuple[float, float] = (0.4, 0.95),
    stretched: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Render ``n`` MNIST digits as scans from other collections would arrive.

    Digit collections are often stored small: 16x16 or 32x32 pixels, grey or
    binarised (USPS, Semeion, UCI's optdigits). Each digit is shrunk to such a
    resolution (aspect ratio kept; with ``stretched``, stretched to fill the
    square, as Semeion stores its digits), binarised half of the time, blown up
    again to a height of ``scale`` (fractions of the canvas side) with blocky or
    smooth interpolation, and printed on grey, slightly noisy and blurred paper.

    Returns ``(images, labels)``: (n, size, size) uint8, dark ink on lighter
    paper, and the (n,) int64 labels; seeded like `drawn_digits`.
    """
    x, y, rng, chosen = _sample(x, y, n, seed)
    images = np.empty((n, size, size), dtype=np.uint8)
    for i, index in enumerate(chosen):
        small = stored_small(x[index], rng, stretched)
        factor = min(rng.uniform(*scale) * size / small.shape[0], (size - 8) / small.shape[1], (size - 8) / small.shape[0])
        interpolation = cv2.INTER_NEAREST if rng.random() < 0.5 else cv2.INTER_LINEAR
        ink = _rescaled(small, factor, interpolation)
        field = np.zeros((size, size), dtype=np.float32)
        top = int(rng.integers(4, size - ink.shape[0] - 3))
        left = int(rng.integers(4, size - ink.shape[1] - 3))
        field[top : top + ink.shape[0], left : left + ink.shape[1]] = np.clip(ink, 0, 1)
        field = cv2.GaussianBlur(field, (0, 0), rng.uniform(0.5, 2.0))  # the scanner's optics
        paper, tone = rng.uniform(170, 245), rng.uniform(*_INK)
        scan = paper + (tone - paper) * field + rng.normal(0, rng.uniform(0, 10), field.shape)
        images[i] = np.clip(np.rint(scan), 0, 255).astype(np.uint8)
    return images, y[chosen].astype(np.int64)


def unevenly_lit(images: np.ndarray, seed: int = 0, darkest: tuple[float, float] = (0.25, 0.6)) -> np.ndarray:
    """The drawings as photographed under uneven light: darker towards one side.

    Light multiplies paper and ink alike. Across each picture, in a random direction,
    it falls from full to a fraction drawn uniformly from ``darkest``.
    ``images``: (n, H, W) uint8; returns the same shape and dtype; seeded.
    """
    images = np.asarray(images)
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0 : images.shape[1], 0 : images.shape[2]].astype(np.float32)
    out = np.empty_like(images)
    for i, image in enumerate(images):
        angle = rng.uniform(0, 2 * np.pi)
        ramp = np.cos(angle) * cols + np.sin(angle) * rows
        ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min())  # 0 where the light is full, 1 where darkest
        light = 1 - (1 - rng.uniform(*darkest)) * ramp
        out[i] = np.clip(np.rint(image * light), 0, 255).astype(np.uint8)
    return out


def stored_small(mnist_image: np.ndarray, rng: np.random.Generator, stretched: bool = False) -> np.ndarray:
    """An MNIST digit as a small collection stores it: float32 in [0, 1], 16 or 32 pixels high.

    The ink's box is shrunk to 16x16 or 32x32 (aspect ratio kept; with ``stretched``,
    stretched to fill the square, as Semeion does) and binarised half of the time.
    """
    crop = _ink_crop(mnist_image)
    resolution = int(rng.choice((16, 32)))
    if stretched:
        small = cv2.resize(crop, (resolution, resolution), interpolation=cv2.INTER_AREA)
    else:
        small = _rescaled(crop, resolution / max(crop.shape), cv2.INTER_AREA)
    if rng.random() < 0.5:
        small = (small > 0.4).astype(np.float32)
    return small


def _sample(x, y, n: int, seed: int):
    """Check images and labels; return them as arrays, a seeded generator and ``n`` distinct indices."""
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 3 or len(x) != len(y):
        raise ValueError(f"expected images (N, H, W) and N labels, got shapes {x.shape} and {y.shape}")
    if not 0 < n <= len(x):
        raise ValueError(f"n must be between 1 and {len(x)}, got {n}")
    rng = np.random.default_rng(seed)
    return x, y, rng, rng.choice(len(x), size=n, replace=False)


def _rescaled(image: np.ndarray, factor: float, interpolation: int) -> np.ndarray:
    """``image`` resized by ``factor`` (at least 1 pixel each way) with the given OpenCV interpolation."""
    size = (max(1, round(image.shape[1] * factor)), max(1, round(image.shape[0] * factor)))  # cv2 wants (w, h)
    return cv2.resize(image, size, interpolation=interpolation)


def _ink_crop(mnist_image: np.ndarray) -> np.ndarray:
    """The bounding box of an MNIST digit's ink, as float32 in [0, 1]."""
    return mnist_image[ink_box(mnist_image > 0)].astype(np.float32) / 255.0


def sketched_digits(
    n: int,
    seed: int = 0,
    size: int = CANVAS_SIZE,
    scale: tuple[float, float] = _SCALE,
    stroke: tuple[float, float] = _STROKE,
    continental: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` digits with polylines, as strokes of a mouse on the canvas.

    Labels cycle through 0-9 (so every digit appears ``n // 10`` times or more).
    Each digit's template strokes are jittered, slanted, stretched, smoothed,
    scaled to a height of ``scale`` (fractions of the canvas side) and drawn
    with an anti-aliased pen of width ``stroke`` (canvas pixels) at a random place.
    ``continental=True`` draws instead the styles MNIST's American writers hardly
    used, cycling through them: the slashed 0, the 1 with a long flag,
    the open 4 and the crossed 7 (labels 0, 1, 4, 7).

    Returns ``(images, labels)``: (n, size, size) uint8, dark ink on light paper,
    and the (n,) int64 labels.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    templates = _CONTINENTAL if continental else _TEMPLATES
    rng = np.random.default_rng(seed)
    labels = np.array(sorted(templates), dtype=np.int64)[np.arange(n) % len(templates)]
    images = np.empty((n, size, size), dtype=np.uint8)
    for i, digit in enumerate(labels):
        height = rng.uniform(*scale) * size
        width = rng.uniform(*stroke)
        strokes = _jittered(templates[digit], rng)
        images[i] = _on_paper(_polylines(strokes, height, width), size, rng)
    return images, labels


def _pen_stroke(mnist_image: np.ndarray, height: float, width: float, size: int) -> np.ndarray:
    """One MNIST digit as a crisp pen drawing ``height`` pixels tall: ink mask, float32 0/1."""
    crop = _ink_crop(mnist_image)
    factor = height / crop.shape[0]
    # Keep the digit on the canvas whatever its shape (wide digits shrink to fit).
    factor = min(factor, 0.9 * size / crop.shape[1])
    big = _rescaled(crop, factor, cv2.INTER_CUBIC)
    pen = (big > 0.5).astype(np.uint8)
    pad = int(width) + 2  # room for the stroke to grow
    pen = np.pad(pen, pad)
    current = stroke_width(pen)
    radius = int(round(abs(width - current) / 2))
    if radius > 0:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
        if width > current:
            pen = cv2.dilate(pen, kernel)
        else:
            pen = _redrawn_thinner(pen, width)
    return pen.astype(np.float32)


def _redrawn_thinner(pen: np.ndarray, width: float) -> np.ndarray:
    """Redraw a binary drawing with a thinner pen: along its middle line, ``width`` pixels wide.

    Eroding would break strokes apart; instead the drawing is reduced to its
    skeleton (`skimage.morphology.skeletonize`: the one-pixel middle line that
    keeps every stroke connected) and that line is widened to the new pen.
    """
    from skimage.morphology import skeletonize

    # Smooth the outline first, or every bump of it grows a short spur of skeleton.
    smooth = cv2.GaussianBlur(pen.astype(np.float32), (0, 0), max(1.0, stroke_width(pen) / 6)) > 0.5
    middle = skeletonize(smooth if smooth.any() else pen.astype(bool)).astype(np.uint8)
    radius = max(0, int(round((width - 1) / 2)))
    return cv2.dilate(middle, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1)))


def _on_paper(ink: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Place an ink mask (float 0-1) at a random spot of a light canvas; return uint8."""
    ink = ink[ink_box(ink > 0)]
    if max(ink.shape) > size - 4:  # a very fat pen can outgrow the canvas: shrink to fit
        factor = (size - 4) / max(ink.shape)
        ink = cv2.resize(ink, (max(1, int(ink.shape[1] * factor)), max(1, int(ink.shape[0] * factor))),
                         interpolation=cv2.INTER_AREA)
    height, width = ink.shape
    top = int(rng.integers(2, size - height - 1))
    left = int(rng.integers(2, size - width - 1))
    field = np.zeros((size, size), dtype=np.float32)
    field[top : top + height, left : left + width] = ink
    field = cv2.GaussianBlur(field, (3, 3), 0.8)  # the soft edge of an anti-aliased pen
    tone = rng.uniform(*_INK)
    paper = PAPER - rng.uniform(0, 15)  # paper is not always perfectly white
    return np.clip(np.rint(paper + (tone - paper) * field), 0, 255).astype(np.uint8)


# Each digit as strokes of (x, y) points in a unit box, y pointing down.
def _arc(cx, cy, rx, ry, start, stop, steps=16):
    angles = np.radians(np.linspace(start, stop, steps))
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in angles]


_TEMPLATES = {
    0: [_arc(0.5, 0.5, 0.3, 0.46, -90, 275, 24)],
    1: [[(0.35, 0.2), (0.55, 0.03), (0.52, 0.97)]],
    2: [_arc(0.5, 0.28, 0.28, 0.24, 190, 380, 10) + [(0.2, 0.95), (0.85, 0.95)]],
    3: [_arc(0.48, 0.26, 0.27, 0.22, 200, 450, 12) + _arc(0.48, 0.72, 0.3, 0.25, -90, 150, 12)],
    4: [[(0.55, 0.03), (0.15, 0.65), (0.85, 0.65)], [(0.62, 0.3), (0.62, 0.97)]],
    5: [[(0.8, 0.04), (0.3, 0.04), (0.26, 0.45)] + _arc(0.5, 0.68, 0.3, 0.28, -120, 150, 12)],
    6: [[(0.7, 0.03), (0.45, 0.25)] + _arc(0.5, 0.7, 0.28, 0.27, 200, 560, 20)],
    7: [[(0.15, 0.06), (0.85, 0.06), (0.42, 0.97)]],
    8: [_arc(0.5, 0.26, 0.22, 0.22, 90, 450, 20), _arc(0.5, 0.72, 0.28, 0.25, -90, 270, 20)],
    9: [_arc(0.48, 0.3, 0.27, 0.25, 0, 360, 20) + [(0.75, 0.3), (0.68, 0.97)]],
}


_CONTINENTAL = {
    0: _TEMPLATES[0] + [[(0.8, 0.1), (0.2, 0.9)]],  # the slashed zero
    1: [[(0.15, 0.42), (0.6, 0.03), (0.6, 0.97)]],  # the long flag
    4: [[(0.25, 0.03), (0.15, 0.62), (0.88, 0.62)], [(0.66, 0.08), (0.66, 0.97)]],  # open top
    7: _TEMPLATES[7] + [[(0.4, 0.52), (0.85, 0.5)]],  # crossed
}
"""Writing styles common in Europe and elsewhere that MNIST hardly has."""


def scribbles(n: int, seed: int = 0, size: int = CANVAS_SIZE, stroke: tuple[float, float] = (8.0, 24.0)) -> np.ndarray:
    """``n`` random scrawls that are not digits: 1-3 smooth random strokes each.

    Each stroke is a random walk of 4-13 steps, rounded and drawn with an
    anti-aliased pen of width ``stroke`` (canvas pixels). Used to see how often
    the recogniser admits it is unsure about something that is not a digit.
    Returns (n, size, size) uint8, dark ink on light paper; seeded.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    rng = np.random.default_rng(seed)
    images = np.full((n, size, size), PAPER, dtype=np.uint8)
    margin = size / 7
    for image in images:
        width = max(1, int(round(rng.uniform(*stroke))))
        for _ in range(rng.integers(1, 4)):
            steps = rng.normal(0, size / 8, (int(rng.integers(4, 14)), 2)).cumsum(axis=0)
            points = _smoothed(np.clip(rng.uniform(margin, size - margin, 2) + steps, width, size - width))
            _draw_line(image, points, width, ink=0)
    return images


def _jittered(strokes, rng: np.random.Generator):
    """The template slanted, stretched and wobbled a little, as a hand draws it."""
    slant = rng.uniform(-0.25, 0.25)
    stretch = rng.uniform(0.75, 1.2)
    angle = np.radians(rng.uniform(-8, 8))
    rotate = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    out = []
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64) - 0.5
        points = points + rng.normal(0, 0.015, points.shape)
        points[:, 0] = points[:, 0] * stretch - slant * points[:, 1]
        out.append(_smoothed(_densified(points @ rotate.T)))
    return out


def _densified(points: np.ndarray, step: float = 0.05) -> np.ndarray:
    """Extra points along long segments, so smoothing rounds a corner only near its tip, as a hand does."""
    dense = [points[:1]]
    for start, end in zip(points[:-1], points[1:]):
        pieces = max(1, int(np.ceil(np.linalg.norm(end - start) / step)))
        dense.append(start + (end - start) * (np.arange(1, pieces + 1)[:, None] / pieces))
    return np.vstack(dense)


def _smoothed(points: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Round the corners of a polyline (Chaikin's corner cutting), keeping its ends."""
    for _ in range(rounds):
        inner = np.empty((2 * (len(points) - 1), 2))
        inner[0::2] = 0.75 * points[:-1] + 0.25 * points[1:]
        inner[1::2] = 0.25 * points[:-1] + 0.75 * points[1:]
        points = np.vstack([points[:1], inner, points[-1:]])
    return points


def _polylines(strokes, height: float, width: float) -> np.ndarray:
    """Draw strokes (unit coordinates) ``height`` pixels tall with a pen ``width`` wide: float32 0-1."""
    points = np.vstack(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    factor = height / max(high[1] - low[1], 1e-6)
    margin = int(width) + 4
    shape = (int((high[1] - low[1]) * factor) + 2 * margin, int((high[0] - low[0]) * factor) + 2 * margin)
    field = np.zeros(shape, dtype=np.uint8)
    for stroke in strokes:
        _draw_line(field, (stroke - low) * factor + margin, width, ink=255)
    return field.astype(np.float32) / 255.0


_SUBPIXEL = 4
"""OpenCV draws at sub-pixel precision from fixed-point coordinates with this many fractional bits."""


def _draw_line(field: np.ndarray, points: np.ndarray, width: float, ink: int) -> None:
    """Draw an anti-aliased polyline through (x, y) pixel ``points`` onto ``field``, in place."""
    fixed = np.rint(np.asarray(points) * (1 << _SUBPIXEL)).astype(np.int32)
    cv2.polylines(field, [fixed], isClosed=False, color=ink, thickness=max(1, int(round(width))),
                  lineType=cv2.LINE_AA, shift=_SUBPIXEL)
