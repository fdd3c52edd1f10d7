"""Photos uploaded to the drawing pad: the file from the upload button, and the picture of what was found.

`uploaded_file` takes the value of an ipywidgets ``FileUpload`` (ipywidgets 8: a
tuple of dicts with ``name``, ``size`` and ``content``, a ``memoryview``) and
returns the file's name and bytes, refusing an empty or a too large file with an
`UploadError` whose message a student can act on. `photo_png` draws the photo
as it was read (`digits.photos.InkPicture.page`) above the ink found on it
(`InkPicture.image`), small, each with a box around each digit, as PNG bytes for
the pad's result. Reading the photo itself is
`digits.photos.ink_from_photo`'s job.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import cv2
import numpy as np

from .errors import ShownAsMessage

ACCEPT = "image/png,image/jpeg,.png,.jpg,.jpeg"
"""What the upload button offers to choose: PNG and JPEG files."""
MAX_BYTES = 25 * 2**20
"""The largest file the pad reads (25 MiB: a 12-megapixel phone photo is 3-8 MiB as a JPEG)."""
BOX_COLOUR = (230, 81, 0)
"""RGB of the boxes drawn around the digits (an orange that is neither ink nor paper)."""

Box = tuple[int, int, int, int]


class UploadError(ShownAsMessage, ValueError):
    """The upload button's file cannot be read: none chosen, empty, or too large."""


def uploaded_file(value) -> tuple[str, bytes]:
    """The name and bytes of the file in a ``FileUpload`` value (the last file, if several).

    ``value``: a sequence of dicts with ``"content"`` (bytes-like, ipywidgets 8
    gives a ``memoryview``) and optionally ``"name"``. Raises `UploadError` when
    there is no file, when it is empty, or when it is larger than `MAX_BYTES`.
    """
    if not value:
        raise UploadError("no file was uploaded: choose a photo (a PNG or JPEG file)")
    entry = value[-1]
    name = str(entry.get("name") or "the file")
    content = entry.get("content")
    size = len(memoryview(content).cast("B")) if content is not None else 0
    if size == 0:
        raise UploadError(f"{name} is empty: choose a photo (a PNG or JPEG file)")
    if size > MAX_BYTES:
        raise UploadError(
            f"{name} is {size / 2**20:.0f} MiB, more than the {MAX_BYTES // 2**20} MiB the pad reads: "
            "choose a smaller photo"
        )
    return name, bytes(content)


def photo_png(image: np.ndarray, boxes: Iterable[Sequence[int]] = (), width: int = 280,
              page: np.ndarray | None = None) -> bytes:
    """PNG bytes of ``image``, (H, W) uint8 grey, shrunk to at most ``width`` pixels wide, ``boxes`` drawn on it.

    ``boxes``: ``(x0, y0, x1, y1)`` boxes in ``image``'s pixels, ends exclusive, drawn in `BOX_COLOUR`.
    ``page``: the photo itself, (H, W, 3) uint8 RGB on the same pixels (`InkPicture.page`); when given it
    is drawn first, with the same boxes, and ``image`` below it.
    """
    image = np.asarray(image, np.uint8)
    scale = min(1.0, width / image.shape[1])
    boxes = list(boxes)
    pictures = [cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)]
    if page is not None:
        page = np.asarray(page, np.uint8)
        if page.shape != image.shape + (3,):
            raise ValueError(f"the photo's page is {page.shape}, expected {image.shape + (3,)} like its ink")
        pictures.insert(0, cv2.cvtColor(page, cv2.COLOR_RGB2BGR))
    drawn = [_boxed(_shrunk(picture, scale), boxes, scale) for picture in pictures]
    if len(drawn) == 2:
        gap = np.full((6, drawn[0].shape[1], 3), 255, np.uint8)
        drawn = [drawn[0], gap, drawn[1]]
    ok, encoded = cv2.imencode(".png", np.vstack(drawn))
    if not ok:  # pragma: no cover - OpenCV always encodes a uint8 BGR image
        raise ValueError("could not encode the photo's ink as PNG")
    return encoded.tobytes()


def _shrunk(picture: np.ndarray, scale: float) -> np.ndarray:
    if scale >= 1.0:
        return picture.copy()
    size = (max(1, round(picture.shape[1] * scale)), max(1, round(picture.shape[0] * scale)))
    return cv2.resize(picture, size, interpolation=cv2.INTER_AREA)


def _boxed(picture: np.ndarray, boxes: list, scale: float) -> np.ndarray:
    """``picture`` (BGR, already shrunk by ``scale``) with the boxes drawn on it, in place."""
    bgr = tuple(int(c) for c in BOX_COLOUR[::-1])
    for x0, y0, x1, y1 in boxes:
        corner = (int(x0 * scale), int(y0 * scale))
        far = (max(int(np.ceil(x1 * scale)) - 1, corner[0]), max(int(np.ceil(y1 * scale)) - 1, corner[1]))
        cv2.rectangle(picture, corner, far, bgr, 2)
    return picture
