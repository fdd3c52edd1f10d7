"""Training-time augmentation: the variety of real handwriting that MNIST lacks.

MNIST was written by American census staff and students; the digits a class
draws on a canvas are slanted, rotated, thicker or thinner, and written the way
people write them in other countries. Augmentation teaches the network that
variety:

* `build_augmenter()` - random rotation, shear (slant), zoom, translation and
  stroke width, as Keras preprocessing layers applied to every training batch;
  in training the rotation comes from `RotationByDigit`, which keeps 7s and 1s
  from being turned into each other's shapes;
* `handwriting_variants()` - new training digits in styles MNIST hardly has:
  the crossed 7, the continental 1 with a long flag, the slashed zero. They
  are drawn onto real MNIST digits and passed through `to_mnist`, exactly as a
  drawing would be;
* `thick_pen_digits()` - MNIST digits redrawn as small digits drawn with a
  thick pen, whose loops fill with ink, again through `to_mnist`;
* `stretched_ones()` - MNIST 1s cropped and stretched to fill a square, as
  some scanned collections store every digit;
  `extra_training_digits()` makes all of them for training;
* `pen_digits_drawn()` - real writers' pen strokes (`digits.pendigits`) drawn
  afresh, with a new pen, size, slant and wobble, every time it is called.
"""

from __future__ import annotations

import cv2
import numpy as np

from ._quiet import import_keras
from .drawn import stored_small
from .preprocess import EmptyImageError, stroke_width, to_mnist
from .strokes import fit_strokes, render_strokes, reshaped_strokes

keras = import_keras()


@keras.saving.register_keras_serializable(package="digits")
class RandomStrokeWidth(keras.layers.Layer):
    """Randomly thicken or thin the strokes of each image in a batch.

    Dilation and erosion by a 3x3 neighbourhood (max-pooling of the image or of
    its negative) are blended with the original by a random amount in
    [-``factor``, ``factor``]: negative thins, positive thickens. Only active in
    training, like Keras's own augmentation layers.
    """

    def __init__(self, factor: float = 0.6, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.seed = seed
        self._generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=True):
        if not training:
            return images
        ops = keras.ops
        dilated = ops.max_pool(images, pool_size=3, strides=1, padding="same")
        eroded = -ops.max_pool(-images, pool_size=3, strides=1, padding="same")
        amount = keras.random.uniform(
            (ops.shape(images)[0], 1, 1, 1), -self.factor, self.factor, seed=self._generator
        )
        target = ops.where(amount > 0, dilated, eroded)
        return images + ops.abs(amount) * (target - images)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}


ROTATION_LIMITS = {7: (-15, 5), 1: (-5, 15)}
"""Each digit's rotation range in degrees (counter-clockwise positive), where it is not +-15.
A 7 turned counter-clockwise stands its stem upright and tips its bar down to the left, and
a long-flag 1 turned clockwise leans its stem and lifts its flag towards the level: either,
turned far enough, is the other digit with the wrong label. (Long-flag 1s sketched by
`digits.drawn`, seed 12: 95% and 97% read right by two trainings with these limits, 63-89%
by nine trainings without them; BENCHMARKS.md.)"""


class RotationByDigit:
    """Random rotation of a batch of (N, 28, 28, 1) images, within each digit's range.

    Called with the images and their one-hot labels; digits without an entry in
    `ROTATION_LIMITS` turn up to 15 degrees either way.
    """

    def __init__(self, seed: int = 0, limits: dict[int, tuple[float, float]] = ROTATION_LIMITS):
        fill = {"fill_mode": "constant", "fill_value": 0.0}
        self.default = keras.layers.RandomRotation(15 / 360, seed=seed, **fill)
        self.by_digit = {
            digit: keras.layers.RandomRotation((low / 360, high / 360), seed=seed + 10 + digit, **fill)
            for digit, (low, high) in limits.items()
        }

    def __call__(self, images, one_hot_labels):
        ops = keras.ops
        digits = ops.argmax(one_hot_labels, axis=-1)[:, None, None, None]
        rotated = self.default(images, training=True)
        for digit, layer in self.by_digit.items():
            rotated = ops.where(digits == digit, layer(images, training=True), rotated)
        return rotated


def build_augmenter(seed: int = 0, rotation: bool = True) -> keras.Sequential:
    """The random distortions applied to each training batch of (N, 28, 28, 1) images.

    Rotation up to 15 degrees (left out with ``rotation=False``: training rotates
    each digit within its own range first, with `RotationByDigit`), slant (shear)
    up to 0.2, zoom by up to 10% and shifts of up to 1.7 pixels (what is left
    after `to_mnist` has normalised size and position), and stroke width. Empty
    space is filled with black, never reflected ink. (Stronger settings - shear
    0.3, zoom 12%, full stroke blending - cost 0.7 points of MNIST test accuracy
    in 18 epochs.)
    """
    fill = {"fill_mode": "constant", "fill_value": 0.0}
    rotate = [keras.layers.RandomRotation(15 / 360, seed=seed, **fill)] if rotation else []
    return keras.Sequential(
        [
            *rotate,
            keras.layers.RandomShear(x_factor=0.2, y_factor=0.0, seed=seed + 1, **fill),
            keras.layers.RandomZoom(0.1, seed=seed + 2, **fill),
            keras.layers.RandomTranslation(0.06, 0.06, seed=seed + 3, **fill),
            RandomStrokeWidth(0.35, seed=seed + 4),
        ],
        name="augmenter",
    )


_UPSCALE = 4  # variants are drawn at 112x112 so the added strokes are smooth


def _ink_rows_cols(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))


def cross_seven(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Add the horizontal bar through the stem that many Europeans write on a 7."""
    big, width, mask = _prepare(image)
    rows, cols = _ink_rows_cols(mask)
    row = int(rows[0] + rng.uniform(0.45, 0.62) * (rows[-1] - rows[0]))
    stem = np.flatnonzero(mask[row])
    if stem.size == 0:
        return to_mnist(big)
    center = stem.mean() + rng.normal(0, 0.03) * big.shape[1]
    half = rng.uniform(0.18, 0.3) * (cols[-1] - cols[0] + 1)
    tilt = rng.uniform(-0.08, 0.08) * half
    cv2.line(big, (int(center - half), int(row + tilt)), (int(center + half), int(row - tilt)), 1.0, width, cv2.LINE_AA)
    return to_mnist(big)


def flag_one(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Add the long flag (and sometimes a foot) of the continental 1."""
    big, width, mask = _prepare(image)
    rows, cols = _ink_rows_cols(mask)
    height = rows[-1] - rows[0] + 1
    top = rows[0]
    top_cols = np.flatnonzero(mask[top : top + max(1, width)].any(axis=0))
    x0, y0 = top_cols.mean(), top + width / 2
    length = rng.uniform(0.25, 0.75) * height  # up to the long flag of German and Russian 1s
    angle = np.deg2rad(rng.uniform(22, 60))  # below the horizontal, pointing left
    end = (int(x0 - length * np.cos(angle)), int(y0 + length * np.sin(angle)))
    cv2.line(big, (int(x0), int(y0)), end, 1.0, width, cv2.LINE_AA)
    if rng.random() < 0.25:  # a foot under the stem
        bottom_cols = np.flatnonzero(mask[rows[-1] - max(1, width) : rows[-1] + 1].any(axis=0))
        xb, half = bottom_cols.mean(), rng.uniform(0.15, 0.25) * height
        cv2.line(big, (int(xb - half), int(rows[-1])), (int(xb + half), int(rows[-1])), 1.0, width, cv2.LINE_AA)
    return to_mnist(big)


def slash_zero(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Add the diagonal slash that programmers and Scandinavians put through a 0."""
    big, width, mask = _prepare(image)
    rows, cols = _ink_rows_cols(mask)
    r0, r1, c0, c1 = rows[0], rows[-1], cols[0], cols[-1]
    h, w = r1 - r0, c1 - c0
    inset = rng.uniform(0.0, 0.2)
    start = (int(c1 - inset * w), int(r0 + inset * h))
    end = (int(c0 + inset * w), int(r1 - inset * h))
    cv2.line(big, start, end, 1.0, max(1, int(width * 0.8)), cv2.LINE_AA)
    return to_mnist(big)


def thick_pen(image: np.ndarray, rng: np.random.Generator, ratio: tuple[float, float] = (0.15, 0.5)) -> np.ndarray:
    """An MNIST digit as it reaches the network when drawn small with a thick pen.

    The pen is ``ratio`` of the digit's height wide (MNIST's own strokes: about
    0.13; the pad's 20-pixel pen on a digit a quarter of the pad tall: 0.3), so
    small loops fill with ink and strokes merge. `to_mnist` thins the strokes
    again, but cannot bring back a filled loop: the network has to learn the blots.
    """
    big, width, mask = _prepare(image)
    rows, _ = _ink_rows_cols(mask)
    pen = rng.uniform(*ratio) * (rows[-1] - rows[0] + 1)
    ink = np.pad(mask.astype(np.uint8), int(pen) + 2)
    radius = int(round((pen - width) / 2))
    if radius > 0:
        ink = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1)))
    return to_mnist(cv2.GaussianBlur(ink.astype(np.float32), (3, 3), 0.8))  # the pen's soft edge


def stretched_one(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An MNIST 1 as collections like Semeion store digits: cropped and stretched to fill a square.

    The square the bench's stretched scans start from (`digits.drawn.stored_small`: 16x16 or
    32x32, binarised half the time), enlarged with hard or soft edges and passed through
    `to_mnist`: a 1 that arrives wide, slanted and fat instead of as MNIST's upright stroke.
    """
    square = stored_small(image, rng, stretched=True)
    edges = cv2.INTER_NEAREST if rng.random() < 0.5 else cv2.INTER_LINEAR
    size = image.shape[0] * _UPSCALE
    return to_mnist(np.clip(cv2.resize(square, (size, size), interpolation=edges), 0.0, 1.0))


def stretched_ones(
    images: np.ndarray, labels: np.ndarray, share: float = 0.12, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``share`` of the 1s in ``images`` redrawn by `stretched_one`: (M, 28, 28) uint8 and labels (all 1).

    Only 1s: every other digit already fills most of its box, so stretching changes it little;
    a 1 stretched to a square is a new shape. (Without them the bench's stretched scans read
    94.8% right, 136 of the 157 errors 1s read as 8, 4, 0, 3 or 7; with them 98.9%, 6 of 34:
    BENCHMARKS.md.)
    """
    rng = np.random.default_rng(seed)
    ones = np.flatnonzero(labels == 1)
    chosen = rng.choice(ones, int(share * ones.size), replace=False)
    made = np.array([stretched_one(images[index], rng) for index in chosen], dtype=np.float32)
    made = made.reshape(len(chosen), *images.shape[1:])  # (0, 28, 28) when there are too few 1s for one
    return np.round(made * 255).astype(np.uint8), np.ones(len(chosen), dtype=np.uint8)


def _prepare(image: np.ndarray) -> tuple[np.ndarray, int, np.ndarray]:
    """An MNIST digit at 4x size, its stroke width there, and its ink mask."""
    size = image.shape[0] * _UPSCALE
    big = cv2.resize(image.astype(np.float32) / 255.0, (size, size), interpolation=cv2.INTER_LINEAR)
    width = max(2, int(round(stroke_width(big))))
    return big, width, big > 0.5


_VARIANTS = {7: cross_seven, 1: flag_one, 0: slash_zero}


FRACTIONS = {7: 0.35, 1: 0.85, 0: 0.35}
"""Share of each digit's training images that get a variant. The long-flag 1 gets the most:
without a bar through the 7 it is the style an MNIST-trained network most often misreads (as 7)."""


def thick_pen_digits(
    images: np.ndarray, labels: np.ndarray, share: float = 0.12, seed: int = 0, skip: tuple[int, ...] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """``share`` of ``images`` redrawn by `thick_pen`: (M, 28, 28) uint8 and their labels.

    Digits in ``skip`` are left out. (A 7 drawn fat and thinned again is a leaning
    stroke with a short top, close to a continental 1; before `RotationByDigit` kept
    7s from turning into 1s, thick-pen 7s cost the network the long-flag 1s. With
    it they no longer do, and without them half the errors on small thick-pen
    drawings were 7s: BENCHMARKS.md.)
    """
    rng = np.random.default_rng(seed)
    allowed = np.flatnonzero(~np.isin(labels, skip))
    chosen = rng.choice(allowed, int(share * len(allowed)), replace=False)
    made = np.stack([thick_pen(images[index], rng) for index in chosen])
    return np.round(made * 255).astype(np.uint8), labels[chosen].astype(np.uint8)


def handwriting_variants(
    images: np.ndarray, labels: np.ndarray, fraction: float | dict[int, float] = FRACTIONS, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """New training digits in styles MNIST under-represents.

    Takes ``fraction`` of the 7s, 1s and 0s in ``images`` ((N, 28, 28) uint8
    MNIST digits; one share for all three, or one per digit) and returns crossed
    7s, flagged 1s and slashed 0s made from them: (M, 28, 28) uint8 images in
    MNIST format and their (M,) labels.
    """
    rng = np.random.default_rng(seed)
    made, made_labels = [], []
    for digit, draw in _VARIANTS.items():
        share = fraction[digit] if isinstance(fraction, dict) else fraction
        chosen = np.flatnonzero(labels == digit)
        chosen = rng.choice(chosen, int(share * chosen.size), replace=False)
        for index in chosen:
            try:
                made.append(draw(images[index], rng))
            except EmptyImageError:
                continue
            made_labels.append(digit)
    return (np.round(np.stack(made) * 255).astype(np.uint8), np.array(made_labels, dtype=np.uint8))


def extra_training_digits(images: np.ndarray, labels: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Every digit training adds to MNIST: `handwriting_variants`, `thick_pen_digits` of both, `stretched_ones`.

    Thick pens go on the new styles too: a flagged 1 drawn fat must stay a 1. (Two trainings
    without thick-pen digits read small thick-pen drawings 93-95% right instead of 97%.)
    """
    styled_x, styled_y = handwriting_variants(images, labels, seed=seed)
    thick_x, thick_y = thick_pen_digits(
        np.concatenate([images, styled_x]), np.concatenate([labels, styled_y]), seed=seed + 1
    )
    stretched_x, stretched_y = stretched_ones(images, labels, seed=seed + 2)
    return np.concatenate([styled_x, thick_x, stretched_x]), np.concatenate([styled_y, thick_y, stretched_y])



PEN_HEIGHTS = (80.0, 250.0)
"""Heights, in pixels, at which `pen_digits_drawn` draws a digit: 30-90% of the 280-pixel pad."""
PEN_WIDTHS = (6.0, 30.0)
"""Pen widths, in pixels, of `pen_digits_drawn` (the pad's pen is 20)."""


def pen_digit_drawn(strokes, rng: np.random.Generator, heights: tuple[float, float] = PEN_HEIGHTS,
                    widths: tuple[float, float] = PEN_WIDTHS) -> np.ndarray:
    """One digit's strokes reshaped by `reshaped_strokes`, drawn with a random pen and size, through `to_mnist`.

    The digit is drawn ``heights`` pixels tall with a pen ``widths`` wide (both
    uniform at random) onto a canvas just big enough for it, as `render_strokes`
    draws the pad. Returns (28, 28) float32 in [0, 1], as recognition feeds the network.
    """
    height, width = rng.uniform(*heights), rng.uniform(*widths)
    shaped = reshaped_strokes(strokes, rng)
    span = np.ptp(np.vstack(shaped), axis=0)
    across = span[0] / max(span[1], 1e-6) * height
    margin = width + 8
    size = (int(height + 2 * margin), int(max(across, 1) + 2 * margin))
    fitted = fit_strokes(shaped, height, center=(size[1] / 2, size[0] / 2))
    return to_mnist(render_strokes(fitted, size, width))


def pen_digits_drawn(strokes: list, labels: np.ndarray, seed: int = 0,
                     return_kept: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Every digit in ``strokes`` drawn once by `pen_digit_drawn`: (N, 28, 28) uint8 MNIST format and (N,) labels.

    Each call with another ``seed`` draws every digit afresh. Digits whose strokes
    come out as no ink at all are left out, with their labels; with ``return_kept``
    the second array is instead the (N,) int64 indices of the digits drawn.
    """
    rng = np.random.default_rng(seed)
    made, kept = [], []
    for index, digit in enumerate(strokes):
        try:
            made.append(pen_digit_drawn(digit, rng))
        except EmptyImageError:
            continue
        kept.append(index)
    images = np.round(np.array(made, dtype=np.float32).reshape(-1, 28, 28) * 255).astype(np.uint8)
    if return_kept:
        return images, np.array(kept, dtype=np.int64)
    return images, np.asarray(labels)[kept].astype(np.uint8)
