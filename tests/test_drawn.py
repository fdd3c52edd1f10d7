"""Synthetic canvas drawings: the shapes, colours and variety the drawing pad produces, reproducibly."""

from __future__ import annotations

import numpy as np
import pytest

import digits
from digits import drawn


@pytest.fixture(scope="module")
def test_digits(mnist):
    (_, _), (x_test, y_test) = mnist
    return x_test[:500], y_test[:500]


def border(images):
    return np.concatenate([images[:, 0, :], images[:, -1, :], images[:, :, 0], images[:, :, -1]], axis=1)


def test_drawn_digits_returns_the_documented_shapes_and_dtypes(test_digits):
    images, labels = drawn.drawn_digits(*test_digits, n=20, seed=0)
    assert images.shape == (20, 280, 280) and images.dtype == np.uint8
    assert labels.shape == (20,) and labels.dtype == np.int64


def test_drawn_digits_keeps_each_label_with_its_digit(test_digits):
    x, y = test_digits
    _, labels = drawn.drawn_digits(x, y, n=len(x), seed=3)
    assert np.array_equal(np.sort(labels), np.sort(y))  # every sample used once, with its own label


def test_drawn_digits_are_reproducible_per_seed(test_digits):
    first = drawn.drawn_digits(*test_digits, n=10, seed=7)
    again = drawn.drawn_digits(*test_digits, n=10, seed=7)
    other = drawn.drawn_digits(*test_digits, n=10, seed=8)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[0], other[0])


MAKERS = {
    "drawn": lambda test_digits: drawn.drawn_digits(*test_digits, n=30, seed=1)[0],
    "sketched": lambda _: drawn.sketched_digits(30, seed=1)[0],
    "continental": lambda _: drawn.sketched_digits(30, seed=1, continental=True)[0],
    "scribbles": lambda _: drawn.scribbles(30, seed=1),
}


@pytest.mark.parametrize("make", MAKERS)
def test_every_drawing_is_dark_ink_on_light_paper(test_digits, make):
    images = MAKERS[make](test_digits)
    assert (border(images).min(axis=1) >= 200).all()      # the paper, all around, is light
    assert (images.reshape(30, -1).min(axis=1) <= 100).all()  # and there is dark ink on it
    ink_fraction = (images < 128).mean(axis=(1, 2))
    assert ((ink_fraction > 0.003) & (ink_fraction < 0.5)).all()


def test_drawn_digits_vary_in_size_position_and_pen_width(test_digits):
    images, _ = drawn.drawn_digits(*test_digits, n=60, seed=2)
    ink = images < 128
    rows = [np.flatnonzero(mask.any(axis=1)) for mask in ink]
    heights = np.array([r[-1] - r[0] + 1 for r in rows])
    tops = np.array([r[0] for r in rows])
    widths = np.array([digits.preprocess.stroke_width(mask.astype(np.float32)) for mask in ink])
    assert heights.max() > 2 * heights.min()
    assert tops.max() - tops.min() > 60
    assert widths.max() > 4 * widths.min()


def test_stroke_range_sets_the_pen_width(test_digits):
    thin, _ = drawn.drawn_digits(*test_digits, n=10, seed=4, stroke=(4, 4))
    thick, _ = drawn.drawn_digits(*test_digits, n=10, seed=4, stroke=(30, 30))
    width = lambda images: np.median([digits.preprocess.stroke_width((im < 128).astype(np.float32)) for im in images])
    assert width(thick) > 3 * width(thin)


def test_pen_share_is_each_pens_width_over_its_digits_height_and_changes_no_drawing(test_digits):
    plain = drawn.drawn_digits(*test_digits, n=12, seed=9, scale=(0.2, 0.3), stroke=(15.0, 30.0))
    images, labels, pen_share = drawn.drawn_digits(
        *test_digits, n=12, seed=9, scale=(0.2, 0.3), stroke=(15.0, 30.0), return_pen_share=True
    )
    assert np.array_equal(images, plain[0]) and np.array_equal(labels, plain[1])
    assert pen_share.shape == (12,)
    assert ((pen_share >= 15 / 84) & (pen_share <= 30 / 56)).all() and np.ptp(pen_share) > 0.1
    # One height and one pen: the share is exactly their ratio.
    _, _, fixed = drawn.drawn_digits(*test_digits, n=3, seed=9, scale=(0.5, 0.5), stroke=(20.0, 20.0),
                                     return_pen_share=True)
    assert np.allclose(fixed, 20 / 140)
    # The pens drawn fatter for their digit are the drawings with more of their box inked.
    fill = [(im[digits.preprocess.ink_box(im < 128)] < 128).mean() for im in images]
    assert np.corrcoef(pen_share, fill)[0, 1] > 0.5


def test_sketched_digits_cycle_through_every_label_and_are_reproducible():
    images, labels = drawn.sketched_digits(25, seed=5)
    assert images.shape == (25, 280, 280) and images.dtype == np.uint8
    assert list(labels[:12]) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]
    assert np.array_equal(images, drawn.sketched_digits(25, seed=5)[0])


def test_continental_sketches_cycle_through_their_four_styles():
    images, labels = drawn.sketched_digits(10, seed=5, continental=True)
    assert list(labels) == [0, 1, 4, 7, 0, 1, 4, 7, 0, 1]
    plain, _ = drawn.sketched_digits(1, seed=5)
    # Same seed, same size, pen and jitter: the slashed 0 is the plain 0 with a stroke across it.
    assert (images[0] < 128).sum() > 1.15 * (plain[0] < 128).sum()


def test_scribbles_are_reproducible_and_differ_from_each_other():
    first = drawn.scribbles(8, seed=3)
    assert first.shape == (8, 280, 280) and first.dtype == np.uint8
    assert np.array_equal(first, drawn.scribbles(8, seed=3))
    assert not np.array_equal(first[0], first[1])
    with pytest.raises(ValueError, match="n must be"):
        drawn.scribbles(0)


def test_drawings_are_readable_by_the_shipped_model_after_preprocessing(test_digits):
    images, labels = drawn.drawn_digits(*test_digits, n=40, seed=6)
    sketches, sketch_labels = drawn.sketched_digits(20, seed=6)
    recognizer = digits.Recognizer(digits.load_model())
    for batch, truth in ((images, labels), (sketches, sketch_labels)):
        predicted = recognizer.predict_mnist(np.stack([digits.to_mnist(im) for im in batch])).argmax(axis=1)
        assert (predicted == truth).mean() >= 0.85


def test_scanned_digits_look_like_enlarged_low_resolution_scans(test_digits):
    images, labels = drawn.scanned_digits(*test_digits, n=40, seed=2)
    assert images.shape == (40, 280, 280) and images.dtype == np.uint8 and labels.dtype == np.int64
    assert np.array_equal(images, drawn.scanned_digits(*test_digits, n=40, seed=2)[0])
    paper = np.median(border(images), axis=1)
    assert ((paper >= 160) & (paper <= 250)).all() and paper.max() - paper.min() > 30  # grey paper, of many tones
    assert (images.reshape(40, -1).min(axis=1) < paper - 100).all()  # with much darker ink on it
    assert np.mean(border(images).std(axis=1) > 2) > 0.5  # and the grain of a scanner on most of them


def test_unevenly_lit_drawings_darken_towards_one_side_only(test_digits):
    images, _ = drawn.drawn_digits(*test_digits, n=12, seed=5)
    lit = drawn.unevenly_lit(images, seed=1, darkest=(0.3, 0.5))
    assert lit.shape == images.shape and lit.dtype == np.uint8
    assert np.array_equal(lit, drawn.unevenly_lit(images, seed=1, darkest=(0.3, 0.5)))
    assert (lit <= images).all()  # light only takes away
    light = lit.astype(float) / np.maximum(images, 1)
    for ratio, image in zip(light, images):
        paper = image > 200
        assert ratio[paper].max() > 0.97 and 0.3 - 0.02 <= ratio[paper].min() <= 0.5 + 0.02  # full light to darkest
        assert border(ratio[None])[0].std() > 0.05  # falling across the picture, not uniformly dimmed


def test_stretched_scans_fill_a_square_like_semeion(test_digits):
    def ink_box_aspect(image):
        paper = np.median(border(image[None]))
        rows, cols = np.nonzero(image < (paper + image.min()) / 2)  # darker than half-way to the ink
        return np.ptp(cols) / np.ptp(rows)

    kept, _ = drawn.scanned_digits(*test_digits, n=60, seed=4)
    stretched, labels = drawn.scanned_digits(*test_digits, n=60, seed=4, stretched=True)
    ones = labels == 1
    assert ones.sum() >= 3
    # A 1 keeps its narrow shape in an ordinary scan and becomes a square slab when stretched.
    assert max(ink_box_aspect(image) for image in kept[ones]) < 0.4
    assert all(0.7 < ink_box_aspect(image) < 1.4 for image in stretched)


@pytest.mark.parametrize("make", [drawn.drawn_digits, drawn.scanned_digits])
@pytest.mark.parametrize("n", [0, 501])
def test_digit_renderers_reject_an_impossible_count(test_digits, make, n):
    with pytest.raises(ValueError, match="n must be"):
        make(*test_digits, n=n)
