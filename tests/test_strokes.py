"""`digits.strokes`: one rasteriser for the pad, training and the benchmark, and strokes reshaped."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digits.strokes import fit_strokes, render_strokes, reshaped_strokes
from benchmarks import real_sets
from conftest import needs_real_sets


def test_a_stroke_is_drawn_dark_on_light_with_a_round_pen_of_its_width():
    image = render_strokes([[(40, 50), (200, 50)]], size=(100, 240), width=20)
    assert image.shape == (100, 240) and image.dtype == np.uint8
    assert image[0, 0] == 255 and image[50, 120] == 0
    column = image[:, 120]
    assert 19 <= (column < 128).sum() <= 21  # as wide as the pen
    assert image[50, 40 - 9] < 128 and image[50, 40 - 12] == 255  # a round end, half the pen beyond the point
    assert image[50 - 8, 40 - 8] == 255  # ...rounded, not square: the corner of a square cap stays paper


def test_a_single_point_is_a_dot_and_empty_strokes_are_nothing():
    dot = render_strokes([[(50, 50)], []], size=100, width=10)
    assert 60 <= (dot < 128).sum() <= 100  # about pi * 5^2
    assert (render_strokes([], size=30) == 255).all()


@pytest.mark.parametrize("bad", [dict(width=0.5), dict(size=0)])
def test_an_impossible_pen_or_picture_is_refused(bad):
    with pytest.raises(ValueError):
        render_strokes([[(1, 1), (5, 5)]], **{"size": 10, "width": 3, **bad})


@needs_real_sets
def test_the_real_pen_sets_are_drawn_again_by_the_same_rasteriser():
    stored = json.loads((real_sets.HANDWRITING / "uji2_dev_strokes.json").read_text())
    samples = (stored["samples"] if isinstance(stored, dict) else stored)[:20]  # the README's layout, or a bare list
    images = real_sets.load_real_set("uji2_dev", limit=20).images
    for sample, image in zip(samples, images):
        drawn = render_strokes(sample["strokes"], 280, sample["pen_width"])
        # The same pen and the same ink, up to anti-aliased edge pixels (another OpenCV build, coordinates
        # stored to 1/100 px).
        ours, theirs = drawn < 128, image < 128
        assert (ours & theirs).sum() / (ours | theirs).sum() > 0.97
        assert np.abs(drawn.astype(int) - image).mean() < 0.5


def test_fit_strokes_scales_to_the_height_keeps_the_aspect_and_centres():
    fitted = fit_strokes([[(10, 10), (30, 50)], [(20, 30)]], height=80, center=(100, 100))
    points = np.vstack(fitted)
    np.testing.assert_allclose(np.ptp(points, axis=0), [40, 80])
    np.testing.assert_allclose((points.min(axis=0) + points.max(axis=0)) / 2, [100, 100])
    with pytest.raises(ValueError):
        fit_strokes([[]], 10, (0, 0))


def test_reshaped_strokes_change_the_shape_a_little_and_differ_by_seed():
    seven = [np.array([[0, 0], [60, 0], [20, 100]], float), np.array([[15, 50], [45, 50]], float)]
    first = reshaped_strokes(seven, np.random.default_rng(1))
    again = reshaped_strokes(seven, np.random.default_rng(1))
    other = reshaped_strokes(seven, np.random.default_rng(2))
    assert [len(s) for s in first] == [3, 2]
    np.testing.assert_array_equal(np.vstack(first), np.vstack(again))
    assert not np.allclose(np.vstack(first), np.vstack(other))
    moved = np.abs(np.vstack(first) - np.vstack(seven)).max()
    assert 0 < moved < 40  # another hand, the same digit
    flat = reshaped_strokes(seven, np.random.default_rng(1), slant=0, rotation=0, stretch=(1, 1), wobble=0)
    np.testing.assert_allclose(np.vstack(flat), np.vstack(seven))
