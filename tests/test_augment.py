"""Training-time augmentation and the extra handwriting styles."""

import numpy as np
import pytest
from scipy import ndimage

from digits.augment import RandomStrokeWidth, build_augmenter, cross_seven, flag_one, handwriting_variants, slash_zero


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
