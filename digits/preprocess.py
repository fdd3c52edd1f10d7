"""Turning any picture of a digit into an MNIST-format image.

MNIST was built by a fixed recipe: a white digit on black, its bounding box scaled
(aspect ratio kept, with anti-aliasing) to fit a 20x20 box, then placed on a 28x28
field so that its centre of mass sits at the centre. A network trained on MNIST
only understands pictures made by that recipe, so `to_mnist` applies it to
whatever a person hands over: a canvas drawing, a photo, a scan or an MNIST image.

The steps are public so the course can show each one:

1. `ink_map`        - decide which pixels are ink, whatever the colours (RGBA, RGB,
                      grey; dark on light or light on dark), as floats in [0, 1];
2. `crop_to_ink`    - cut away the empty margins (and stray specks of dust);
3. `normalize_stroke` - thicken hair-thin strokes and thin very fat ones into the
                      range of stroke widths MNIST itself has;
4. `fit_in_box`     - scale into the 20x20 box, aspect ratio kept, anti-aliased;
5. `center_by_mass` - place on the 28x28 field with the centre of mass at the centre.

Every function takes and returns NumPy arrays and never loops over pixels.
"""

from __future__ import annotations

import os
from typing import NamedTuple

import cv2
import numpy as np

MNIST_SIZE = 28
"""Side of an MNIST image, in pixels."""
MNIST_BOX = 20
"""Side of the box the digit's bounding box is scaled into."""
MNIST_CENTER = (14.0, 14.0)
"""(row, column) where MNIST digits have their centre of mass.

Measured on the training set as the mean of pixel coordinates weighted by ink:
(13.99, 14.00) on average, standard deviation 0.29 pixels.
"""
MNIST_STROKE_RANGE = (1.8, 3.6)
"""Stroke widths (pixels, at 28x28) between which MNIST digits mostly lie.

Measured with `stroke_width` on the 60,000 training digits: 5th percentile
1.7, median 2.6, 95th 4.1; 7% of them are thinner than 1.8 and 11% thicker
than 3.6. Strokes outside this range are brought to its nearest end; inside it
they are left alone, so the natural variety of MNIST is kept.
"""

_WORK_SCALE = 4
"""`normalize_stroke` works at this multiple of the 20x20 box (80x80)."""
_INK_THRESHOLD = 0.25
"""Ink above this fraction of full strength counts for bounding boxes."""
_MIN_CONTRAST = 0.05
"""Below this contrast (fraction of the full grey range) an image is blank."""
_TILT = 0.1
"""Paper lighter on one side than the other by more than this (fraction of the grey range) is unevenly lit.

Milder slopes are left to the noise floor of `ink_map`, which handles them; the white corners of a
turned drawing make slopes of up to 0.075, which are not light."""
_PLANE_FIT = 0.025
"""How close (fraction of the grey range) a piece of the border must be to the plane of uneven light."""
_CANVAS_COVER = 0.5
"""An RGBA picture with transparent pixels is a canvas (its alpha channel is the ink) when less than this
share of it is opaque; otherwise it is an opaque picture with a transparent frame or corners, read by colour."""
_SPECK_SHARE = 0.01
"""Blobs with less than this share of all the ink are dust, and erased."""
_DOT_EXTENT, _DOT_SHARE = 1.5, 0.10
"""A blob at most this many pen widths long and wide, with less than this share of the ink, is a dot."""


class EmptyImageError(ValueError):
    """The image holds no ink: there is no digit to recognise."""


class MnistSteps(NamedTuple):
    """Every intermediate image of `to_mnist`, for showing the pipeline."""

    ink: np.ndarray
    """(H, W) float32 in [0, 1]: the input as ink (1) on empty paper (0)."""
    cropped: np.ndarray
    """The ink's bounding box, specks removed."""
    normalized: np.ndarray
    """The crop scaled to fit 80x80 with its stroke width in MNIST's range."""
    boxed: np.ndarray
    """Scaled to fit the 20x20 box, aspect ratio kept."""
    mnist: np.ndarray
    """(28, 28) float32 in [0, 1]: the final MNIST-format image."""


def _checked_array(image) -> np.ndarray:
    """Check that ``image`` is a grey, RGB or RGBA picture of real numbers; return it as an array.

    A PIL image is converted first (palette and 1-bit images to their colours).
    Pictures larger than `LARGEST_SIDE` are shrunk to it (`_shrunk`).
    """
    if image is None or isinstance(image, (str, bytes, os.PathLike)):
        raise TypeError(
            f"expected a picture as an array of pixels, got {image!r}"
            + (": read the file first, e.g. with cv2.imread(path)" if image is not None else "")
        )
    array = np.asarray(_from_pil(image))
    kind = array.dtype.kind
    if kind == "c":
        raise ValueError(f"expected an image of real numbers, got complex numbers (dtype {array.dtype})")
    if kind in "mM":
        raise ValueError(f"expected an image of numbers, got times or durations (dtype {array.dtype})")
    if kind not in "biuf":
        raise ValueError(f"expected an image of numbers, got an array of dtype {array.dtype}")
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ValueError(
            f"expected a grey (H, W), RGB (H, W, 3) or RGBA (H, W, 4) image, got shape {array.shape}"
        )
    if array.shape[0] < 1 or array.shape[1] < 1:
        raise EmptyImageError(f"the image has no pixels (shape {array.shape})")
    return _shrunk(array)


_PIL_AS_ARRAYS = ("1", "L", "RGB", "RGBA", "I", "F", "I;16", "I;16B", "I;16L", "I;16N")
"""PIL image modes whose pixels NumPy reads as grey levels or colours; others are converted to RGBA first."""


def _from_pil(image):
    """A PIL image as its colours: palette images ("P") would otherwise give indices, "LA" two channels."""
    mode = getattr(image, "mode", None)
    if isinstance(mode, str) and hasattr(image, "convert") and mode not in _PIL_AS_ARRAYS:
        return image.convert("RGBA")
    return image


LARGEST_SIDE = 2048
"""Pictures with a longer side are shrunk to this many pixels before anything else (a digit needs far fewer)."""


def _shrunk(array: np.ndarray) -> np.ndarray:
    """``array`` shrunk so its longer side is at most `LARGEST_SIDE`, by averaging (its dtype kept where OpenCV can).

    Without this a 40000x40000 photo would need 16 GB of working copies. Beyond what
    OpenCV resizes, every k-th pixel is taken first (a view, no copy).
    """
    longest = max(array.shape[:2])
    if longest <= LARGEST_SIDE:
        return array
    if array.dtype.kind == "b":
        array = array.view(np.uint8)
    if array.dtype not in (np.uint8, np.uint16, np.int16, np.float32, np.float64):
        step = int(np.ceil(longest / (2 * LARGEST_SIDE)))
        array = array[::step, ::step].astype(np.float64)
        longest = max(array.shape[:2])
    scale = LARGEST_SIDE / longest
    size = (max(1, round(array.shape[1] * scale)), max(1, round(array.shape[0] * scale)))
    return cv2.resize(np.ascontiguousarray(array), size, interpolation=cv2.INTER_AREA)


_INTEGER_RANGES = (255, 1023, 4095, 65535)
"""The ranges integer pictures come in: 8-bit, 10-bit, 12-bit and 16-bit."""
_FLOAT_OVERSHOOT = 2.0
"""Float pictures whose largest value is at most this are read as 0-1 (resizing overshoots 1 a little)."""


def _value_scale(array: np.ndarray) -> float:
    """What full brightness is in ``array``, judged by the values it holds.

    Integers: the smallest of 255, 1023, 4095 and 65535 that holds the largest value,
    else the largest value. Floats: 1 up to `_FLOAT_OVERSHOOT` (values above 1 are
    clipped), 255 up to 255, else the largest value. Raises ``ValueError`` for
    negative values and for NaN or infinities.
    """
    if array.dtype == np.uint8 or array.dtype.kind == "b":
        return 255.0 if array.dtype == np.uint8 else 1.0
    lowest, highest = float(array.min()), float(array.max())
    if not (np.isfinite(lowest) and np.isfinite(highest)):
        raise ValueError("the image holds NaN or infinite values")
    if lowest < 0:
        raise ValueError(f"image values must not be negative, got {lowest:g} (expected 0-1 or 0-255)")
    if array.dtype.kind in "iu":
        return float(next((top for top in _INTEGER_RANGES if highest <= top), highest))
    if highest <= _FLOAT_OVERSHOOT:
        return 1.0
    return 255.0 if highest <= 255.0 else highest


def _as_float(array: np.ndarray, scale: float) -> np.ndarray:
    """An image array as float32 in [0, 1], ``scale`` (from `_value_scale`) being full brightness."""
    if array.dtype == np.uint8 and scale == 255.0:
        return np.multiply(array, np.float32(1 / 255), dtype=np.float32)
    floats = np.multiply(array, np.float32(1 / scale), dtype=np.float32)
    return np.minimum(floats, np.float32(1), out=floats)


def _border_width(gray: np.ndarray) -> int:
    """How many pixels wide the frame is from which `_border` and `_paper_tone` read the paper."""
    return max(1, min(gray.shape) // 40)


def _border(gray: np.ndarray) -> np.ndarray:
    """The pixels of a frame around the image, a few pixels wide."""
    width = _border_width(gray)
    return np.concatenate(
        [gray[:width].ravel(), gray[-width:].ravel(), gray[:, :width].ravel(), gray[:, -width:].ravel()]
    )


def _paper_tone(gray: np.ndarray) -> float | np.ndarray:
    """The paper's grey level: the median of the image's border, or a tilted plane under uneven light.

    A photo lit from one side has paper that darkens across the picture; read as one
    grey level, the dark side would count as ink. The border is cut into 16 pieces (four
    a side). If their mean tones differ by more than `_TILT`, a plane is fitted through
    them, leaving out the pieces it does not fit (a stroke that runs into the border);
    passing within `_PLANE_FIT` of at least 12 pieces and rising or falling by more than
    `_TILT` across the image, that plane is the paper.
    Returns a float, or an (H, W) float32 array when tilted.
    """
    paper = float(np.median(_border(gray)))
    height, width = gray.shape
    frame = _border_width(gray)
    if min(height, width) < 8 * frame:
        return paper
    tones, rows, cols = _border_pieces(gray, frame)
    if np.ptp(tones) <= _TILT:  # flat paper, the usual case: no fitting needed
        return paper
    design = np.column_stack([np.ones_like(tones), rows - (height - 1) / 2, cols - (width - 1) / 2])
    coefficients = np.array([paper, 0.0, 0.0])  # start from flat paper
    for _ in range(3):  # leave out the pieces far off the plane, fit it to the others, again
        misfit = np.abs(design @ coefficients - tones)
        keep = misfit <= max(_PLANE_FIT, 2.5 * float(np.median(misfit)))
        if keep.sum() < 12:
            return paper
        coefficients = np.linalg.lstsq(design[keep], tones[keep], rcond=None)[0]
    level, per_row, per_col = coefficients
    # Light is smooth: the plane must pass close by three quarters of the pieces (a digit
    # filling its picture leaves too few clean ones to tell light from ink).
    fits = np.count_nonzero(np.abs(design @ coefficients - tones) <= _PLANE_FIT)
    if fits < 12 or abs(per_row) * height + abs(per_col) * width <= _TILT:
        return paper
    row_offsets = (np.arange(height, dtype=np.float32) - np.float32((height - 1) / 2)) * np.float32(per_row)
    col_offsets = (np.arange(width, dtype=np.float32) - np.float32((width - 1) / 2)) * np.float32(per_col)
    return np.float32(level) + row_offsets[:, None] + col_offsets[None, :]


def _border_pieces(gray: np.ndarray, frame: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean tones of the border cut into four pieces a side, and each piece's centre (row, column)."""
    height, width = gray.shape
    quarter_h, quarter_w = height // 4, width // 4
    across = np.concatenate([  # top and bottom pieces: (8, frame * quarter_w)
        side[:, : 4 * quarter_w].reshape(frame, 4, quarter_w).transpose(1, 0, 2).reshape(4, -1)
        for side in (gray[:frame], gray[-frame:])
    ])
    down = np.concatenate([  # left and right pieces: (8, quarter_h * frame)
        side[: 4 * quarter_h].reshape(4, -1) for side in (gray[:, :frame], gray[:, -frame:])
    ])
    tones = np.concatenate([across.mean(axis=1), down.mean(axis=1)])
    middle_w = np.arange(4) * quarter_w + (quarter_w - 1) / 2
    middle_h = np.arange(4) * quarter_h + (quarter_h - 1) / 2
    inset = (frame - 1) / 2  # from the image's edge to the middle of its strip of border
    rows = np.concatenate([np.full(4, inset), np.full(4, height - 1 - inset), middle_h, middle_h])
    cols = np.concatenate([middle_w, middle_w, np.full(4, inset), np.full(4, width - 1 - inset)])
    return tones, rows, cols


def ink_map(image) -> np.ndarray:
    """Return where the ink is, as an (H, W) float32 array in [0, 1] (1 = full ink).

    ``image`` may be grey (H, W), RGB (H, W, 3) or RGBA (H, W, 4), of any
    integer dtype (0-255) or float in [0, 1]. On an RGBA image that is mostly
    transparent (a browser canvas) the alpha channel is the ink, whatever its
    colour; an RGBA image that is mostly opaque is read by its colours, as seen
    over white paper. Otherwise the paper's tone is read from the image's border (as a tilted
    plane where uneven light darkens one side of a photo) and ink is whatever
    differs from it in the stronger direction, so dark-on-light and
    light-on-dark both work without being told. Contrast is stretched so the
    strongest ink is 1 and faint or anti-aliased strokes keep their shape.

    Raises `EmptyImageError` when nothing stands out from the paper.
    """
    array = _checked_array(image)
    if array.ndim == 3 and array.shape[2] == 4 and array.dtype == np.uint8:
        canvas = _canvas_ink(array)
        if canvas is not None:
            return canvas
    scale = _value_scale(array)
    alpha = _as_float(array[:, :, 3], scale) if array.ndim == 3 and array.shape[2] == 4 else None
    transparent = alpha is not None and alpha.min() < 0.99
    if transparent and np.count_nonzero(alpha > 0.5) < _CANVAS_COVER * alpha.size:
        # A canvas: mostly transparent paper, ink wherever something was drawn.
        strongest = float(alpha.max())
        if strongest < _MIN_CONTRAST:
            raise EmptyImageError("the image is blank: draw a digit first")
        alpha *= np.float32(1 / strongest)
        return alpha
    if array.ndim == 3 and array.dtype == np.uint8:  # OpenCV's integer conversion is twice as fast
        gray = _as_float(cv2.cvtColor(np.ascontiguousarray(array[:, :, :3]), cv2.COLOR_RGB2GRAY), scale)
    elif array.ndim == 3:
        gray = cv2.cvtColor(np.ascontiguousarray(_as_float(array[:, :, :3], scale)), cv2.COLOR_RGB2GRAY)
    else:
        gray = _as_float(array, scale)
    if transparent:
        # An opaque picture with some transparency (a frame, rounded corners, a faint alpha
        # everywhere): its colours hold the digit, seen as over white paper.
        gray = gray * alpha + (np.float32(1) - alpha)
    paper = _paper_tone(gray)
    if isinstance(paper, np.ndarray) and paper.mean() > 0.5:
        # Light paper under uneven light: light multiplies paper and ink alike, so divide it out.
        level = np.float32(paper.mean())
        relative = (gray / np.maximum(paper, np.float32(0.02)) - np.float32(1)) * level
    else:
        relative = gray - paper  # 0 on the paper, negative for dark ink, positive for light ink
    lowest, highest = cv2.minMaxLoc(relative)[:2]
    polarity = -1.0 if -lowest > highest else 1.0
    strongest = highest if polarity > 0 else -lowest
    if strongest < _MIN_CONTRAST:
        raise EmptyImageError("the image is blank: draw a digit first")
    if polarity < 0 or np.max(paper) > 0:
        # Paper that is not perfectly flat (scans, photos): ignore its grain.
        noise = 1.4826 * float(np.median(np.abs(_border(relative))))
        floor = min(3.0 * noise + 0.02, 0.5 * strongest)
    else:
        floor = 0.0
    # ink = (polarity * relative - floor) / (strongest - floor), clipped to [0, 1]: in place, one array.
    ink = np.multiply(relative, np.float32(polarity), out=relative)
    np.subtract(ink, np.float32(floor), out=ink)
    np.divide(ink, np.float32(strongest - floor), out=ink)
    return np.clip(ink, 0.0, 1.0, out=ink)


def _canvas_ink(rgba: np.ndarray) -> np.ndarray | None:
    """The ink of a uint8 (H, W, 4) browser canvas, as `ink_map` reads it, or None if it is not a canvas.

    The same test and the same ink as `ink_map`'s general path (alpha below 0.99
    somewhere, above 0.5 on under `_CANVAS_COVER` of it; ink is alpha over its
    strongest), computed on the 8-bit alpha channel in a few OpenCV passes.
    """
    alpha = cv2.extractChannel(rgba, 3)
    lowest, highest = cv2.minMaxLoc(alpha)[:2]
    # In 8-bit steps: alpha / 255 < 0.99 is alpha <= 252, alpha / 255 > 0.5 is alpha >= 128.
    if lowest > 252 or cv2.countNonZero(cv2.compare(alpha, 127, cv2.CMP_GT)) >= _CANVAS_COVER * alpha.size:
        return None
    if highest / 255.0 < _MIN_CONTRAST:
        raise EmptyImageError("the image is blank: draw a digit first")
    return np.multiply(alpha, np.float32(1 / highest), dtype=np.float32)


def crop_to_ink(ink: np.ndarray, threshold: float = _INK_THRESHOLD) -> np.ndarray:
    """Cut an ink map down to the bounding box of its ink.

    Specks are erased first so they do not stretch the box: blobs smaller than
    1% of all the ink (dust on a scan), and dots no longer than 1.5 pen widths
    holding under 10% of the ink (a tap of the pen; no digit has a dot).
    The largest blob always stays.
    Raises `EmptyImageError` if no pixel reaches ``threshold``.
    """
    mask = (ink > threshold).view(np.uint8)  # the booleans as 0s and 1s, without a copy
    outer = ink_box(mask)
    if outer is None:
        raise EmptyImageError("the image is blank: draw a digit first")
    # Label blobs only inside the ink's box: far cheaper than the whole canvas. 16-bit labels
    # (twice as fast) hold every blob of a box under 2**18 pixels: 8-connected blobs are
    # at least a pixel apart, so there are at most a quarter as many as pixels.
    box = np.ascontiguousarray(mask[outer])
    label_type = cv2.CV_16U if box.size < 4 * 65535 else cv2.CV_32S
    if cv2.connectedComponents(box, connectivity=8, ltype=label_type)[0] == 2:
        return ink[outer].copy()  # one blob, the usual case: nothing to erase (half the work of the stats)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(box, connectivity=8, ltype=label_type)
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = areas >= _SPECK_SHARE * areas.sum()
    if count > 2:  # several blobs: dots as wide as the pen are a slip of it, not part of a digit
        extent = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
        pen = _pen_width(np.concatenate([[0], keep.view(np.uint8)])[labels] if not keep.all() else box)
        dot = (extent <= _DOT_EXTENT * pen) & (areas < _DOT_SHARE * areas.sum())
        keep &= ~dot
        keep[np.argmax(areas)] = True
    left, top = stats[1:, cv2.CC_STAT_LEFT][keep], stats[1:, cv2.CC_STAT_TOP][keep]
    right = left + stats[1:, cv2.CC_STAT_WIDTH][keep]
    bottom = top + stats[1:, cv2.CC_STAT_HEIGHT][keep]
    inner = (slice(top.min(), bottom.max()), slice(left.min(), right.max()))
    cropped = ink[outer][inner].copy()
    if not keep.all():  # erase the specks inside the box: one look-up per pixel, however many specks
        erased = np.concatenate([[False], ~keep])
        cropped[erased[labels[inner]]] = 0.0
    return cropped


_PEN_SAMPLE = 320
"""`_pen_width` measures masks larger than this many pixels a side at this size."""


def _pen_width(mask: np.ndarray) -> float:
    """The pen width of a 0/1 mask of the digit's blobs, in the mask's pixels (`stroke_width`).

    A large mask is measured shrunk to `_PEN_SAMPLE` pixels a side and the width scaled
    back: tracing every outline of a grainy 1500x1500 scan would take a second.
    """
    longest = max(mask.shape)
    if longest <= _PEN_SAMPLE:
        return stroke_width(mask)
    factor = longest / _PEN_SAMPLE
    small = _resize_to_fit(mask.astype(np.float32), _PEN_SAMPLE)
    return stroke_width(small) * factor


def ink_box(mask: np.ndarray) -> tuple[slice, slice] | None:
    """The (rows, columns) slices of the bounding box of a 2-D mask's nonzero pixels; None if there are none."""
    if mask.dtype == np.bool_:
        mask = mask.view(np.uint8)
    if mask.dtype == np.uint8:  # one pass in OpenCV instead of two in NumPy
        left, top, width, height = cv2.boundingRect(np.ascontiguousarray(mask))
        if width == 0:
            return None
        return slice(top, top + height), slice(left, left + width)
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def _resize_to_fit(image: np.ndarray, box: int) -> np.ndarray:
    """Scale so the longer side is ``box`` pixels, aspect ratio kept (at least 1 pixel)."""
    height, width = image.shape
    scale = box / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))  # cv2 wants (w, h)
    # INTER_AREA averages the pixels each output pixel covers: proper anti-aliasing.
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(image, size, interpolation=interpolation)


def stroke_width(ink: np.ndarray) -> float:
    """Estimate the stroke width of a drawing, in pixels.

    A stroke of width w and length L has an area of w * L and an outline
    2 * (w + L) long; solving these two for w gives the width of any straight
    bar exactly, however short and fat (the simpler 2 * area / outline reads a
    bar three times as long as it is wide 25% too thin). Shapes rounder than a
    square (a blot) count as a square of the same outline. Area and outline are
    those of the outline traced through the edge pixels' centres, half a pixel
    inside the ink all round, so the pixel lost that way is added back.
    """
    mask = (ink > 0.5).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    half_outline = sum(cv2.arcLength(contour, True) for contour in contours) / 2  # w + L
    # Holes run the other way round than the outer outlines: their signed areas subtract.
    area = abs(sum(cv2.contourArea(contour, oriented=True) for contour in contours))
    # w and L are the roots of t^2 - (w + L) t + w L = 0; the stroke is the smaller one.
    spread = half_outline * half_outline - 4.0 * area  # (L - w)^2
    return float(half_outline - np.sqrt(max(spread, 0.0))) / 2.0 + 1.0


def normalize_stroke(cropped: np.ndarray, stroke_range: tuple[float, float] = MNIST_STROKE_RANGE) -> np.ndarray:
    """Scale a cropped digit to fit 80x80 and bring its stroke width into MNIST's range.

    ``stroke_range`` is in pixels of the final 28x28 image. A stroke thinner than
    its lower end is dilated, one thicker than its upper end eroded (never so
    far that a stroke vanishes); strokes already in range are untouched.
    Returns the digit cropped to its ink, float32 in [0, 1], longer side about
    80 pixels (`fit_in_box` then brings it to exactly 20, as MNIST did).
    """
    box = MNIST_BOX * _WORK_SCALE
    work = _resize_to_fit(cropped.astype(np.float32, copy=False), box)
    width = stroke_width(work)
    if width <= 0:
        return work
    low, high = (end * _WORK_SCALE for end in stroke_range)
    target = min(max(width, low), high)
    # Eroding by r makes the digit 2r shorter (dilating, 2r longer), and fitting it back
    # into the box widens the stroke again (or narrows it): the radius allows for that.
    radius = int(round(abs(target - width) / 2 / (1.0 - target / box)))
    if radius == 0:
        return work
    if target > width:
        # Room all round, so the strokes at the crop's edges thicken outwards too.
        work = cv2.copyMakeBorder(work, radius, radius, radius, radius, cv2.BORDER_CONSTANT, value=0.0)
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
        return _cropped_to_ink(cv2.dilate(work, disc))
    # Erosion must thin the digit, not erase it: where a radius would leave less than
    # a quarter of the ink (a blot), try half of it, and so on.
    ink = np.count_nonzero(work > 0.5)
    while radius > 0:
        eroded = _eroded_by_octagon(work, radius)
        if np.count_nonzero(eroded > 0.5) >= 0.25 * ink:
            return _cropped_to_ink(eroded)
        radius //= 2
    return work


_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
_SQUARE = np.ones((3, 3), np.uint8)


def _eroded_by_octagon(image: np.ndarray, radius: int) -> np.ndarray:
    """``image`` eroded by an octagon of ``radius`` (within 6% of a disc).

    One pixel at a time, alternately through a cross and a square: several times
    faster than one wide disc. Beyond the edges is paper (OpenCV's default border
    counts as ink when eroding, which would leave the strokes along the edges thick).
    """
    for step in range(radius):
        image = cv2.erode(image, _CROSS if step % 2 == 0 else _SQUARE, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return image


def _cropped_to_ink(image: np.ndarray) -> np.ndarray:
    """``image`` cut down to the bounding box of its ink (above `_INK_THRESHOLD`; there always is some here)."""
    return image[ink_box(image > _INK_THRESHOLD)]


def fit_in_box(digit: np.ndarray, box: int = MNIST_BOX) -> np.ndarray:
    """Scale a cropped digit so its longer side is ``box`` pixels, aspect ratio kept.

    Uses area averaging (anti-aliasing) when shrinking, as MNIST did, then
    stretches the result so its strongest pixel is 1.
    Returns float32 in [0, 1] of shape (box, w) or (h, box).
    """
    fitted = _resize_to_fit(digit.astype(np.float32, copy=False), box)
    peak = float(fitted.max())
    return fitted / peak if peak > 0 else fitted


def center_by_mass(digit: np.ndarray, size: int = MNIST_SIZE, center: tuple[float, float] = MNIST_CENTER) -> np.ndarray:
    """Place a digit on a ``size`` x ``size`` black field with its centre of mass at ``center``.

    The shift is sub-pixel (bilinear). If putting the centre of mass exactly at
    the centre would push ink off the field, the shift is limited so the whole
    digit stays visible. Returns (size, size) float32 in [0, 1].
    """
    height, width = digit.shape
    if height > size or width > size:
        raise ValueError(f"a {height}x{width} digit does not fit a {size}x{size} field")
    # The centre of mass: pixel coordinates weighted by ink (`cv2.moments` would read a
    # digit one or two pixels wide as a list of points).
    total = float(digit.sum(dtype=np.float64))
    if total <= 0:
        raise ValueError("a digit with no ink has no centre of mass")
    mass_row = float(digit.sum(axis=1, dtype=np.float64) @ np.arange(height)) / total
    mass_col = float(digit.sum(axis=0, dtype=np.float64) @ np.arange(width)) / total
    # Offsets of the digit's top-left corner on the field, kept inside it.
    top = min(max(center[0] - mass_row, 0.0), size - height)
    left = min(max(center[1] - mass_col, 0.0), size - width)
    shift = np.float32([[1, 0, left], [0, 1, top]])
    placed = cv2.warpAffine(
        np.ascontiguousarray(digit, dtype=np.float32),
        shift,
        (size, size),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=0.0,
    )
    return np.clip(placed, 0.0, 1.0, out=placed)


def mnist_steps(image, stroke_range: tuple[float, float] | None = MNIST_STROKE_RANGE) -> MnistSteps:
    """Run the whole pipeline of `to_mnist` and keep every intermediate image.

    ``stroke_range=None`` skips the stroke-width step (as the original report did).
    """
    ink = ink_map(image)
    cropped = crop_to_ink(ink)
    if stroke_range is None:
        normalized = _resize_to_fit(cropped, MNIST_BOX * _WORK_SCALE)
    else:
        normalized = normalize_stroke(cropped, stroke_range)
    boxed = fit_in_box(normalized)
    return MnistSteps(ink, cropped, normalized, boxed, center_by_mass(boxed))


def to_mnist(image) -> np.ndarray:
    """Convert a picture of one digit to MNIST format.

    ``image``: grey (H, W), RGB (H, W, 3) or RGBA (H, W, 4), uint8 or float in
    [0, 1], any size, ink dark on light or light on dark (decided from the
    image), or drawn on a transparent canvas.

    Returns a (28, 28) float32 array in [0, 1]: white digit on black, scaled into
    the central 20x20 box with its aspect ratio kept, centre of mass at (14, 14).
    Raises `EmptyImageError` if there is no ink and `ValueError` for arrays that
    are not images.
    """
    return mnist_steps(image).mnist
