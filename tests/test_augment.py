"""Training-time augmentation and the extra handwriting styles."""

import keras
import numpy as np
import pytest
from scipy import ndimage

from digits.augment import (
    ROTATION_LIMITS,
    RandomStrokeWidth,
    RotationByDigit,
    build_augmenter,
    cross_seven,
    extra_training_digits,
    flag_one,
    handwriting_variants,
    slash_zero,
    stretched_one,
    stretched_ones,
    thick_pen,
    thick_pen_digits,
)
from digits.preprocess import to_mnist


def test_stroke_width_layer_thickens_and_thins(mnist):
    images = np.repeat(mnist[1][0][:1, :, :, None].astype("float32") / 255, 64, axis=0)
    out = np.asarray(RandomStrokeWidth(0.8, seed=3)(images, training=True))
    ink = out.sum(axis=(1, 2, 3))
    original = images[0].sum()
    assert ink.max() > 1.15 * original and ink.min() < 0.85 * original


def test_stroke_width_layer_is_off_at_inference(mnist):
    images = mnist[1][0][:4, :, :, None].astype("float32") / 255
    assert np.array_equal(np.asarray(RandomStrokeWidth(0.8)(images, training=False)), images)


def test_augmenter_keeps_shape_range_and_most_ink(mnist):
    images = mnist[0][0][:256, :, :, None].astype("float32") / 255
    out = np.asarray(build_augmenter(seed=1)(images, training=True))
    assert out.shape == images.shape
    assert out.min() >= -1e-5 and out.max() <= 1 + 1e-5
    assert not np.allclose(out, images)
    kept = out.sum(axis=(1, 2, 3)) / images.sum(axis=(1, 2, 3))
    assert np.median(kept) > 0.7  # distorted, not cut off the field


def _lean(images: np.ndarray) -> np.ndarray:
    """How far each image's vertical bar has turned, in degrees, counter-clockwise positive."""
    angles = []
    for image in images[..., 0]:
        rows, cols = np.nonzero(image > 0.3)
        angles.append(np.degrees(np.arctan2(cols[rows > 18].mean() - cols[rows < 10].mean(), 14)))
    return np.array(angles)


def test_rotation_by_digit_keeps_each_digit_in_its_range():
    bars = np.zeros((300, 28, 28, 1), np.float32)
    bars[:, 4:24, 13:15] = 1.0
    labels = np.array([7, 1, 3] * 100)
    lean = _lean(np.asarray(RotationByDigit(seed=2)(bars, np.eye(10, dtype=np.float32)[labels])))
    sevens, ones, threes = lean[labels == 7], lean[labels == 1], lean[labels == 3]
    assert ROTATION_LIMITS[7] == (-15, 5) and ROTATION_LIMITS[1] == (-5, 15)
    assert sevens.max() < 6 and sevens.min() < -12  # never far counter-clockwise, far clockwise
    assert ones.min() > -6 and ones.max() > 12
    assert threes.min() < -12 and threes.max() > 12  # the others both ways


def test_augmenter_can_leave_rotation_to_rotation_by_digit():
    def rotations(augmenter):
        return sum(isinstance(layer, keras.layers.RandomRotation) for layer in augmenter.layers)

    assert rotations(build_augmenter(seed=1)) == 1
    assert rotations(build_augmenter(seed=1, rotation=False)) == 0


@pytest.mark.parametrize("style, digit", [(cross_seven, 7), (flag_one, 1), (slash_zero, 0)])
def test_styles_add_ink_and_stay_in_mnist_format(mnist, style, digit):
    (x_train, y_train), _ = mnist
    rng = np.random.default_rng(0)
    for index in np.flatnonzero(y_train == digit)[:5]:
        styled = style(x_train[index], rng)
        assert styled.shape == (28, 28) and styled.dtype == np.float32
        row, col = ndimage.center_of_mass(styled)
        assert abs(row - 14) < 0.5 and abs(col - 14) < 0.5
        # more ink than the same digit fitted to the 20x20 box without the extra stroke
        assert (styled > 0.5).sum() > (x_train[index] > 127).sum() * 0.9


def test_handwriting_variants_only_make_sevens_ones_and_zeros(mnist):
    (x_train, y_train), _ = mnist
    images, labels = handwriting_variants(x_train[:2000], y_train[:2000], fraction=0.2, seed=0)
    assert images.dtype == np.uint8 and images.shape[1:] == (28, 28) and len(images) == len(labels)
    assert set(np.unique(labels)) == {0, 1, 7}
    expected = sum(int(0.2 * (y_train[:2000] == d).sum()) for d in (0, 1, 7))
    assert len(labels) == expected


def test_handwriting_variants_take_a_share_per_digit(mnist):
    (x_train, y_train), _ = mnist
    _, labels = handwriting_variants(x_train[:2000], y_train[:2000], fraction={0: 0.0, 1: 0.5, 7: 0.1}, seed=0)
    assert (labels == 0).sum() == 0
    assert (labels == 1).sum() == int(0.5 * (y_train[:2000] == 1).sum())
    assert (labels == 7).sum() == int(0.1 * (y_train[:2000] == 7).sum())


def _holes(image: np.ndarray) -> int:
    """How many regions of paper the ink encloses (0 for a 1, 1 for a 0, 2 for an 8)."""
    paper, count = ndimage.label(image <= 0.5)
    outside = set(np.unique(np.concatenate([paper[0], paper[-1], paper[:, 0], paper[:, -1]])))
    return len(set(range(1, count + 1)) - outside)


def test_thick_pen_fills_loops_and_stays_in_mnist_format(mnist):
    (x_train, y_train), _ = mnist
    rng = np.random.default_rng(0)
    eights = x_train[y_train == 8][:20]
    plain = [_holes(to_mnist(image)) for image in eights]
    thick = []
    for image in eights:
        blot = thick_pen(image, rng, ratio=(0.45, 0.5))
        assert blot.shape == (28, 28) and blot.dtype == np.float32
        row, col = ndimage.center_of_mass(blot)
        assert abs(row - 14) < 0.5 and abs(col - 14) < 0.5
        thick.append(_holes(blot))
    assert sum(thick) < 0.5 * sum(plain)  # most of the 8s' loops filled with ink


def test_thick_pen_digits_keep_each_digit_with_its_label(mnist):
    (x_train, _), _ = mnist
    sources = x_train[:100]
    images, labels = thick_pen_digits(sources, np.arange(100), share=0.2, seed=1, skip=())
    assert images.dtype == np.uint8 and images.shape == (20, 28, 28) and len(set(labels)) == 20
    # Each made digit looks like the source its label names: among the 100, that source is
    # the closest for most of them and near the top for all (a wrong label would put it ~50th).
    plain = np.stack([to_mnist(image).ravel() for image in sources])
    similarity = (images.reshape(20, -1) / 255.0) @ (plain / np.linalg.norm(plain, axis=1, keepdims=True)).T
    rank = (similarity > similarity[np.arange(20), labels][:, None]).sum(axis=1)
    assert np.median(rank) == 0 and rank.max() < 15


def test_thick_pen_digits_draw_every_digit_but_the_skipped_ones(mnist):
    (x_train, y_train), _ = mnist
    _, labels = thick_pen_digits(x_train[:500], y_train[:500], share=0.5, seed=2)
    assert set(np.unique(labels)) == set(range(10)) and len(labels) == 250
    _, labels = thick_pen_digits(x_train[:500], y_train[:500], share=0.5, seed=2, skip=(7,))
    assert 7 not in labels and len(labels) == int(0.5 * (y_train[:500] != 7).sum())
    assert set(np.unique(labels)) == set(range(10)) - {7}


def _ink_width(image: np.ndarray) -> int:
    cols = np.flatnonzero((image > 0.25 * image.max()).any(axis=0))
    return int(cols[-1] - cols[0] + 1)


def test_stretched_one_turns_a_narrow_one_into_a_wide_centred_digit(mnist):
    (x_train, y_train), _ = mnist
    ones = x_train[y_train == 1][:30]
    rng = np.random.default_rng(4)
    plain_widths, stretched_widths = [], []
    for image in ones:
        stretched = stretched_one(image, rng)
        assert stretched.shape == (28, 28) and stretched.dtype == np.float32
        row, col = ndimage.center_of_mass(stretched)
        assert abs(row - 14) < 0.5 and abs(col - 14) < 0.5
        plain_widths.append(_ink_width(to_mnist(image)))
        stretched_widths.append(_ink_width(stretched))
    # MNIST's 1s are a few pixels wide; stretched to a square they fill most of the 20x20 box.
    assert np.median(plain_widths) < 10 and np.median(stretched_widths) >= 16


def test_stretched_ones_take_a_share_of_the_ones_only(mnist):
    (x_train, y_train), _ = mnist
    images, labels = stretched_ones(x_train[:1000], y_train[:1000], share=0.5, seed=5)
    ones = int((y_train[:1000] == 1).sum())
    assert images.dtype == np.uint8 and images.shape == (ones // 2, 28, 28)
    assert labels.dtype == np.uint8 and set(labels) == {1}
    everything, _ = stretched_ones(x_train[:1000], y_train[:1000], share=1.0, seed=5)
    assert len(everything) == ones
    assert len({image.tobytes() for image in everything}) == ones  # each 1 once, none twice
    none, no_labels = stretched_ones(x_train[:1000], y_train[:1000], share=0.001, seed=5)
    assert none.shape == (0, 28, 28) and none.dtype == np.uint8 and no_labels.shape == (0,)


def test_extra_training_digits_are_the_variants_thick_pens_of_both_and_stretched_ones(mnist):
    (x_train, y_train), _ = mnist
    images, labels = extra_training_digits(x_train[:500], y_train[:500], seed=2)
    styled, styled_labels = handwriting_variants(x_train[:500], y_train[:500], seed=2)
    assert np.array_equal(images[: len(styled)], styled) and np.array_equal(labels[: len(styled)], styled_labels)
    drawn_from = np.concatenate([y_train[:500], styled_labels])  # MNIST digits and the variants alike
    thick = int(0.12 * len(drawn_from))
    thick_labels = labels[len(styled) : len(styled) + thick]
    assert set(np.unique(thick_labels)) == set(range(10))
    stretched, stretched_labels = stretched_ones(x_train[:500], y_train[:500], seed=4)
    assert len(labels) == len(styled) + thick + len(stretched)
    assert np.array_equal(images[len(styled) + thick :], stretched) and set(stretched_labels) == {1}
