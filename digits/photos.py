"""Reading phone photos of handwriting on paper: the ink, without the paper, its light or its printed lines.

`ink_from_photo(photo)` takes a photo of one digit or a number written on paper (a file path, the bytes of
a PNG or JPEG as an upload button gives them, a PIL image or an array) and returns an `InkPicture`: a clean
picture of the ink alone, dark on white, that `digits.recognize` reads, and how it maps back onto the photo.

`find_printed_lines(photo)` runs steps 1 and 2 alone and returns the evened-out page with its printed lines
(`PrintedLines`), for a look at them.

The steps, each on a photo first shrunk to `WORK_SIDE` pixels on its longer side:

1. *Even out the light.* The paper's brightness, estimated per colour channel by a morphological closing far
   wider than a pen stroke (it erases the ink and the lines, leaving the paper) and blurred, is divided out:
   a shadow or a vignette becomes white paper, and warm lamp light loses its tint.
2. *Find the printed lines.* Thin, long and straight: the dominant angle of the darker pixels is found by
   turning them until their row and column profiles are sharpest (within ``MAX_TURN`` degrees), then long
   horizontal and vertical runs are picked out by a morphological opening. Squared paper has both, ruled
   paper one direction.
3. *Tell ink from line by colour.* Wherever a line runs, each pixel's colour is read as so much of the
   printed lines' colour (up to a little over their median strength) and that much line is divided out;
   the rest is the pen's. A pale blue grid line vanishes, while blue or black ink, which is darker, keeps
   most of its darkness where it crosses a line, and all of it elsewhere. Lines printed as dark as ink are
   taken away by their shape alone.
4. *Clean up.* The paper's noise is measured and cut away, and the strongest ink is stretched to black.

Ink is taken to be darker than the paper (not chalk on a blackboard). The picture is turned by the lines'
angle so they run straight (and so the writing stands upright); the transform from photo pixels to picture
pixels is kept, so boxes found in the picture map back onto the photo.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np

from .errors import ShownAsMessage
from .preprocess import EmptyImageError, _as_float, _checked_array, _value_scale

WORK_SIDE = 1000
"""Photos are shrunk to this many pixels on their longer side before anything else (smaller ones are kept)."""
MAX_TURN = 12.0
"""The printed lines are looked for up to this many degrees off the picture's rows and columns."""

_BACKGROUND_SHRINK = 4
"""The paper's brightness is estimated on the photo shrunk by this factor (light changes slowly)."""
_BACKGROUND_SHARE = 1 / 12
"""The closing that erases the ink to leave the paper is this share of the longer side wide."""
_LINE_DARKNESS = 0.06
"""Pixels at least this much darker than the paper (fraction of white) may belong to a printed line."""
_LINE_SHARE = 1 / 3
"""A printed line runs straight for at least this share of the picture's width (or height)."""
_LINES_PRESENT = 3
"""Printed lines are there when at least this many separate long runs go the same way (a page shows several)."""
_LINE_THICKEST = 9
"""Printed lines are thinner than this many pixels (at `WORK_SIDE`): anything thicker is a pen's stroke."""
_ANGLE_SIDE = 200
"""The lines' angle is searched for on the picture shrunk to this many pixels on its longer side."""
_INK_LEAST = 0.2
"""Ink is at least this much darker than the paper, beyond what the printed lines explain."""
_INK_PIXELS = 3e-5
"""A photo whose ink covers less than this share of its pixels (and fewer than 12 of them) holds no writing."""


class NotAPictureError(ShownAsMessage, ValueError):
    """What was handed over is not a picture that can be read (not a PNG or JPEG, empty, or no file)."""


@dataclass(frozen=True)
class InkPicture:
    """The ink found on a photo, as a clean picture, and how it sits on the photo."""

    image: np.ndarray = field(repr=False)
    """(H, W) uint8: the ink, dark (0) on white paper (255); H and W are the shrunk photo's."""
    scale: float
    """Picture pixels per photo pixel (at most 1: the photo was shrunk by this factor)."""
    angle: float
    """Degrees the photo was turned (anticlockwise) so that its printed lines run straight; 0 without lines."""
    paper: str
    """The printed lines found: ``"squared"``, ``"ruled"`` or ``"plain"`` (none)."""
    photo_to_image: np.ndarray = field(repr=False, compare=False)
    """(2, 3) float64 affine transform from photo pixels (x, y) to picture pixels."""
    page: np.ndarray | None = field(default=None, repr=False, compare=False)
    """(H, W, 3) uint8 RGB: the photo as the ink was read from it, shrunk and turned like ``image`` (its
    light evened out), so a box in ``image`` lies on the same pixels here; None where not kept."""

    def to_photo(self, points) -> np.ndarray:
        """Picture pixels (x, y), an (N, 2) array or one pair, as pixels of the original photo; (N, 2) float64."""
        back = cv2.invertAffineTransform(self.photo_to_image)
        xy = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        return xy @ back[:, :2].T + back[:, 2]

    def box_to_photo(self, box) -> tuple[int, int, int, int]:
        """A box ``(x, y, width, height)`` in the picture as the box around it in the photo, same layout."""
        x, y, width, height = box
        corners = self.to_photo([(x, y), (x + width, y), (x, y + height), (x + width, y + height)])
        left, top = np.floor(corners.min(axis=0)).astype(int)
        right, bottom = np.ceil(corners.max(axis=0)).astype(int)
        return int(left), int(top), int(right - left), int(bottom - top)


def ink_from_photo(photo) -> InkPicture:
    """Find the handwriting on a photo of paper and return it as a clean picture of ink (`InkPicture`).

    Parameters
    ----------
    photo
        A path to an image file; the bytes of a PNG, JPEG (or other format OpenCV reads), as ``bytes``,
        ``bytearray``, ``memoryview`` or an open binary file; a PIL image; or an array, grey (H, W), RGB
        (H, W, 3) or RGBA (H, W, 4), of any dtype `digits.to_mnist` takes. Blue or black ink; plain, squared
        or ruled paper, turned by up to `MAX_TURN` degrees; light that falls unevenly. JPEG photos are
        turned upright by their EXIF orientation.

    Returns
    -------
    InkPicture
        ``.image`` is (H, W) uint8, dark ink on white with the paper, its shading and its printed lines
        gone, the photo shrunk to at most `WORK_SIDE` pixels on its longer side; ``digits.recognize`` reads it.

    Raises
    ------
    NotAPictureError
        ``photo`` is no file, an empty file, or bytes that are no image (text, a PDF, random bytes).
    EmptyImageError
        The photo shows paper (and perhaps its printed lines) but no writing.
    ValueError, TypeError
        An array that is not a picture (see `digits.to_mnist`).
    """
    page = find_printed_lines(photo)
    lines = _PrintedLines(page.lines, page.reach, page.paper)
    ink = _cleaned(_ink_strength(page.flat, _darkness(page.flat), lines))
    image = np.round(255.0 * (1.0 - ink)).astype(np.uint8)
    seen = cv2.convertScaleAbs(page.flat, alpha=255.0)  # to uint8, saturated: ten times NumPy's speed
    return InkPicture(image, page.scale, page.angle, page.paper, page.photo_to_image, seen)


@dataclass(frozen=True)
class PrintedLines:
    """A photo's page evened out and turned straight, and where its printed lines run (`find_printed_lines`).

    Every array is (H, W) in the pixels of the shrunk, turned photo (the pixels of `InkPicture.image`).
    """

    flat: np.ndarray = field(repr=False)
    """(H, W, 3) float32 RGB in [0, 1]: the photo with its light evened out (paper about 1), turned by ``angle``."""
    lines: np.ndarray = field(repr=False)
    """(H, W) bool: the printed lines' own pixels, away from any stroke too thick to be a line."""
    reach: np.ndarray = field(repr=False)
    """(H, W) bool: every pixel a printed line runs through, the ink it crosses included, widened by a pixel."""
    paper: str
    """``"squared"``, ``"ruled"`` or ``"plain"`` (no printed lines: ``lines`` and ``reach`` are all False)."""
    angle: float
    """Degrees the photo was turned (anticlockwise) so that its lines run straight; 0 without lines."""
    scale: float
    """Picture pixels per photo pixel (at most 1)."""
    photo_to_image: np.ndarray = field(repr=False, compare=False)
    """(2, 3) float64 affine transform from photo pixels (x, y) to these arrays' pixels."""


def find_printed_lines(photo) -> PrintedLines:
    """Steps 1 and 2 of `ink_from_photo`: even out a photo's light, turn it straight, find its printed lines.

    Parameters
    ----------
    photo
        Anything `ink_from_photo` takes.

    Returns
    -------
    PrintedLines
        The evened-out page and its lines. Printed lines are thin (under `_LINE_THICKEST` pixels), long
        (a third of the picture's side, straight along its rows or columns) and many (at least
        `_LINES_PRESENT` separate ones the same way); squared paper has them both ways, ruled paper one way.

    Raises
    ------
    NotAPictureError, ValueError, TypeError
        As `ink_from_photo`, for what is not a picture.
    """
    rgb, photo_side = _read(photo)
    rgb, scale = _shrunk(rgb, photo_side)
    flat = _evened_out(rgb)
    angle = _line_angle(_darkness(flat) > _LINE_DARKNESS)
    turn = _turn_matrix(flat.shape, angle)
    turned_flat = _turned(flat, turn)
    lines = _printed_lines(_darkness(turned_flat) > _LINE_DARKNESS)
    if lines.paper == "plain":  # the angle of no lines is no angle: leave the photo as it was taken
        angle, turn, turned_flat = 0.0, _turn_matrix(flat.shape, 0.0), flat
    photo_to_image = (turn @ np.diag([scale, scale, 1.0]))[:2]
    return PrintedLines(turned_flat, lines.pixels, lines.reach, lines.paper, angle, scale, photo_to_image)


def _read(photo) -> tuple[np.ndarray, int]:
    """The photo as (H, W, 3) uint8 RGB, and the longer side of the photo as it was (before any shrinking)."""
    if isinstance(photo, (str, os.PathLike)):
        path = Path(photo)
        if not path.is_file():
            raise NotAPictureError(f"there is no file at {str(path)!r}: check the name and the folder")
        return _decoded(path.read_bytes(), path.name)
    if hasattr(photo, "read") and callable(photo.read):
        photo = photo.read()
    if isinstance(photo, (bytes, bytearray, memoryview)):
        return _decoded(bytes(photo), "the file")
    if hasattr(photo, "convert") and isinstance(getattr(photo, "mode", None), str):  # a PIL image
        side = max(photo.size)
        photo = _upright(photo)
        transparent = photo.mode in ("RGBA", "LA", "PA") or "transparency" in photo.info
        return _opaque_rgb(_checked_array(np.asarray(photo.convert("RGBA" if transparent else "RGB")))), side
    array = _checked_array(photo)  # refuses what is not a picture; shrinks a huge one
    shape = np.shape(photo)
    return _opaque_rgb(array), max(shape[:2]) if len(shape) >= 2 else max(array.shape[:2])


def _decoded(data: bytes, name: str) -> tuple[np.ndarray, int]:
    """Decode image-file bytes to RGB: a JPEG upright by its EXIF orientation, a large one at a reduced size
    straight from the file (several times faster); other formats with their alpha channel laid over white."""
    if not data:
        raise NotAPictureError(f"{name} is empty: choose a photo (a PNG or JPEG file)")
    side = _header_side(data)
    if data[:3] == b"\xff\xd8\xff":  # JPEG
        reduction = 1
        while side and reduction < 8 and side / (2 * reduction) >= WORK_SIDE:
            reduction *= 2
        flags = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4,
                 8: cv2.IMREAD_REDUCED_COLOR_8}[reduction]
    else:  # PNG and the rest: keep the alpha channel (a transparent background is paper) and 16 bits
        flags = cv2.IMREAD_UNCHANGED
    try:
        pixels = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
    except cv2.error:
        pixels = None
    if pixels is None or pixels.size == 0 or pixels.ndim not in (2, 3) or pixels.dtype.kind not in "uf":
        raise NotAPictureError(f"{name} is not a picture OpenCV can read: choose a photo (a PNG or JPEG file)")
    if pixels.ndim == 3:
        pixels = (cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB if pixels.shape[2] == 3 else cv2.COLOR_BGRA2RGBA)
                  if pixels.shape[2] in (3, 4) else pixels[:, :, 0])
    return _opaque_rgb(_checked_array(pixels)), side or max(pixels.shape[:2])


def _upright(image):
    """A PIL image turned upright by its EXIF orientation tag, as a phone camera means it to be seen."""
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - a damaged EXIF block: the picture as it is
        return image


def _header_side(data: bytes) -> int:
    """The longer side of the image whose file is ``data``, read from its header only; 0 if unknown."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as header:
            return int(max(header.size))
    except Exception:  # noqa: BLE001 - not a format PIL knows: OpenCV decodes it at full size
        return 0


def _opaque_rgb(array: np.ndarray) -> np.ndarray:
    """A grey, RGB or RGBA picture (any dtype `_value_scale` reads) as (H, W, 3) uint8 RGB, alpha over white."""
    if array.dtype != np.uint8:
        array = np.round(_as_float(array, _value_scale(array)) * 255).astype(np.uint8)
    if array.ndim == 2:
        return cv2.cvtColor(array, cv2.COLOR_GRAY2RGB)
    if array.shape[2] == 4 and array[:, :, 3].min() < 255:
        alpha = array[:, :, 3:].astype(np.float32) / 255
        return np.round(array[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    return np.ascontiguousarray(array[:, :, :3])


def _shrunk(rgb: np.ndarray, photo_side: int) -> tuple[np.ndarray, float]:
    """The photo with its longer side at most `WORK_SIDE`, as float32 in [0, 1], and picture pixels per photo pixel."""
    longest = max(rgb.shape[:2])
    if longest > WORK_SIDE:
        factor = WORK_SIDE / longest
        size = (max(1, round(rgb.shape[1] * factor)), max(1, round(rgb.shape[0] * factor)))
        # Averaging where the photo shrinks a lot (against aliasing); bilinear, far faster, for a little.
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA if factor < 0.5 else cv2.INTER_LINEAR)
    floats = rgb.astype(np.float32) * np.float32(1 / 255)
    return floats, max(rgb.shape[:2]) / max(photo_side, 1)


def _evened_out(rgb: np.ndarray) -> np.ndarray:
    """``rgb`` divided by the paper's brightness in each channel: paper white (about 1), ink and lines darker."""
    height, width = rgb.shape[:2]
    small_size = (max(1, width // _BACKGROUND_SHRINK), max(1, height // _BACKGROUND_SHRINK))
    small = cv2.resize(rgb, small_size, interpolation=cv2.INTER_AREA)
    reach = max(3, int(max(small_size) * _BACKGROUND_SHARE) | 1)
    square = np.ones((reach, reach), np.uint8)  # a square closes as well as a disc here, and far faster
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, square, borderType=cv2.BORDER_REPLICATE)
    paper = cv2.blur(paper, (reach, reach), borderType=cv2.BORDER_REPLICATE)
    paper = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)
    flat = rgb / np.maximum(paper, np.float32(1 / 255))
    return np.minimum(flat, np.float32(1), out=flat)


def _darkness(rgb: np.ndarray) -> np.ndarray:
    """1 - perceived brightness (OpenCV's grey: ITU-R BT.601 weights) of an RGB float32 picture; (H, W) float32."""
    return 1.0 - cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def _line_angle(mask: np.ndarray) -> float:
    """The angle (degrees, within `MAX_TURN`) that turns the dark pixels' long lines onto rows and columns.

    The mask, shrunk, is turned through whole degrees and then fifths of a degree around the best;
    the angle whose row and column profiles are sharpest (largest sum of squares for their total) wins.
    """
    longest = max(mask.shape)
    factor = min(1.0, _ANGLE_SIDE / longest)
    size = (max(1, round(mask.shape[1] * factor)), max(1, round(mask.shape[0] * factor)))
    small = cv2.resize(mask.astype(np.float32), size, interpolation=cv2.INTER_AREA)
    if small.sum() <= 0:
        return 0.0

    def sharpness(angle: float) -> float:
        turned = _turned(small, _turn_matrix(small.shape, angle), border=0.0)
        rows, cols = turned.sum(axis=1), turned.sum(axis=0)
        total = float(rows.sum()) or 1.0
        return float(rows @ rows + cols @ cols) / (total * total)

    coarse = np.arange(-MAX_TURN, MAX_TURN + 0.5, 1.0)
    best = float(coarse[np.argmax([sharpness(angle) for angle in coarse])])
    fine = np.arange(best - 0.8, best + 0.85, 0.2)
    return round(float(fine[np.argmax([sharpness(angle) for angle in fine])]), 1)


def _turn_matrix(shape: tuple[int, ...], angle: float) -> np.ndarray:
    """The (3, 3) matrix turning a picture of ``shape`` by ``angle`` degrees anticlockwise about its centre."""
    height, width = shape[:2]
    matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), angle, 1.0)
    return np.vstack([matrix, [0.0, 0.0, 1.0]])


def _turned(image: np.ndarray, turn: np.ndarray, border: float = 1.0) -> np.ndarray:
    """``image`` turned by the (3, 3) ``turn`` (same size), the corners it uncovers filled with ``border``."""
    if np.allclose(turn[:2, :2], np.eye(2)):
        return image
    height, width = image.shape[:2]
    fill = (border,) * (image.shape[2] if image.ndim == 3 else 1)
    return cv2.warpAffine(image, turn[:2], (width, height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


class _PrintedLines(NamedTuple):
    """Where a page's printed lines are (`_printed_lines`)."""

    pixels: np.ndarray
    """(H, W) bool: the lines' pixels away from any thick stroke (their colour is read there)."""
    reach: np.ndarray
    """(H, W) bool: every pixel a line runs through, the ink it crosses included, widened by a pixel."""
    paper: str
    """``"squared"``, ``"ruled"`` or ``"plain"``."""


def _printed_lines(mask: np.ndarray) -> _PrintedLines:
    """The printed lines in ``mask`` (bool): their clean pixels, where they run, and the paper they make.

    Printed lines are thin (under `_LINE_THICKEST` pixels), long (a `_LINE_SHARE` of the picture's side,
    straight along its rows or columns) and many (at least `_LINES_PRESENT` separate ones the same way).
    """
    height, width = mask.shape
    mask = mask.astype(np.uint8)
    thick = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((_LINE_THICKEST, _LINE_THICKEST), np.uint8))
    thin = mask & (1 - cv2.dilate(thick, _NEIGHBOURS))
    across_length, down_length = max(15, int(width * _LINE_SHARE)), max(15, int(height * _LINE_SHARE))
    across = cv2.morphologyEx(thin, cv2.MORPH_OPEN, np.ones((1, across_length), np.uint8))
    down = cv2.morphologyEx(thin, cv2.MORPH_OPEN, np.ones((down_length, 1), np.uint8))
    rows_found = cv2.connectedComponents(across)[0] - 1 >= _LINES_PRESENT
    cols_found = cv2.connectedComponents(down)[0] - 1 >= _LINES_PRESENT
    paper = "squared" if rows_found and cols_found else "ruled" if rows_found or cols_found else "plain"
    lines = np.zeros(mask.shape, bool)
    reach = np.zeros(mask.shape, np.uint8)
    for found, runs, kernel in ((rows_found, across, (1, across_length)), (cols_found, down, (down_length, 1))):
        if found:
            lines |= runs.astype(bool)
            reach |= cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones(kernel, np.uint8))
    return _PrintedLines(lines, cv2.dilate(reach, _NEIGHBOURS).astype(bool), paper)


_NEIGHBOURS = np.ones((3, 3), np.uint8)
_BT601 = np.float32([0.299, 0.587, 0.114])
"""Weights of red, green and blue in perceived brightness, as in OpenCV's grey."""
_DARK_LINES = 0.45
"""Printed lines darker than this (fraction of black) are as dark as ink."""
_LINE_SPREAD = 1.3
"""Printed lines print up to this many times as dark as their median (thicker, or sharper, in places)."""


def _ink_strength(flat: np.ndarray, darkness: np.ndarray, lines: _PrintedLines) -> np.ndarray:
    """How much of each pixel's darkness is ink, (H, W) float32: all of it away from printed lines.

    The lines' colour is the median of their clean pixels. Each pixel's absorption (1 - colour, per
    channel) is read as a multiple of the lines' absorption, at most `_LINE_SPREAD` times it (some lines
    print darker than others), wherever a line runs; that much line is divided out of the pixel's colour.
    What is left is the pen's ink: pale blue lines leave nothing, ink darker than them or of another
    colour stays. Lines printed as dark as ink (darker than `_DARK_LINES`) cannot be told from it by colour: their own
    pixels are taken away instead, and the ink that crosses them with them.
    """
    if not lines.pixels.any():
        return darkness
    absorption = 1.0 - flat
    rows, cols = np.nonzero(lines.pixels)
    line = np.median(absorption[rows[::7], cols[::7]], axis=0).astype(np.float32)  # the lines' absorption, (3,)
    strength = float(line @ line)
    if strength <= 1e-6:
        return darkness
    if float(line @ _BT601) > _DARK_LINES:
        return np.where(lines.reach, np.float32(0), darkness)
    share = cv2.transform(absorption, (line / strength).reshape(1, 3))  # (H, W): how much line each pixel holds
    np.clip(share, 0.0, _LINE_SPREAD, out=share)
    share[~lines.reach] = 0.0
    # Light passes the line's ink and the pen's one after the other: dividing the line's part out leaves the pen's.
    passed = 1.0 - np.multiply(share[:, :, None], line)
    pen = np.divide(flat, np.maximum(passed, np.float32(0.05), out=passed), out=passed)
    return 1.0 - cv2.cvtColor(np.minimum(pen, 1.0, out=pen), cv2.COLOR_RGB2GRAY)


def _cleaned(strength: np.ndarray) -> np.ndarray:
    """Ink strength with the paper's noise cut away and the strongest ink stretched to 1; float32 in [0, 1].

    Raises `EmptyImageError` when too little of it is dark enough to be writing.
    """
    inked = strength > _INK_LEAST
    if np.count_nonzero(inked) < max(12, _INK_PIXELS * strength.size):
        raise EmptyImageError("found no writing on the photo, only paper: take a photo of a digit or a number")
    sample = strength[::4, ::4]  # the paper's noise, measured on every 16th pixel
    median = float(np.median(sample))
    spread = float(np.median(np.abs(sample - median)))
    floor = min(_INK_LEAST, max(median + 6 * 1.4826 * spread, 0.05))
    strong = float(np.percentile(strength[inked], 95))
    ink = (strength - floor) * np.float32(1 / max(strong - floor, 1e-3))
    return np.clip(ink, 0.0, 1.0, out=ink)
