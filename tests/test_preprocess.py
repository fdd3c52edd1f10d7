"""`digits.to_mnist`: the MNIST recipe applied to any picture of a digit."""

import cv2
import numpy as np
import pytest
from scipy import ndimage

import digits
from digits.preprocess import MNIST_CENTER, ink_map, mnist_steps, stroke_width
from conftest import as_canvas_drawing


def _bbox(image, threshold=0.1):
    rows = np.flatnonzero((image > threshold).any(axis=1))
    cols = np.flatnonzero((image > threshold).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def drawn_seven(size=280, width=18, scale=1.0, offset=(0, 0)):
    """A 7 drawn with round-capped strokes, dark on white, like a canvas export."""
    canvas = np.full((size, size), 255, np.uint8)
    s, (dx, dy) = scale * size / 280, offset
    points = [(80, 60), (200, 60), (120, 230)]
    pts = [(int(dx + 140 + (x - 140) * s), int(dy + 140 + (y - 140) * s)) for x, y in points]
    cv2.polylines(canvas, [np.array(pts)], False, 0, thickness=max(1, int(width * s)), lineType=cv2.LINE_AA)
    return canvas


def test_output_is_28x28_float32_in_unit_range(mnist):
    image = digits.to_mnist(mnist[1][0][0])
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() <= 1.0 and image.max() > 0.9


@pytest.mark.parametrize("index", range(0, 50, 7))
def test_digit_fits_the_20x20_box_with_one_side_20(mnist, index):
    height, width = _bbox(digits.to_mnist(as_canvas_drawing(mnist[1][0][index])))
    assert max(height, width) in (20, 21)  # 20, plus at most one pixel of sub-pixel spread
    assert height <= 21 and width <= 21


def test_wide_digit_keeps_its_aspect_ratio():
    canvas = np.full((280, 280), 255, np.uint8)
    cv2.line(canvas, (20, 140), (260, 140), 0, 20)  # a dash 240 wide, 20 tall: ratio 12
    height, width = _bbox(digits.to_mnist(canvas), threshold=0.3)
    assert width in (20, 21) and height <= 4


@pytest.mark.parametrize("index", range(0, 60, 6))
def test_center_of_mass_is_at_the_center(mnist, index):
    image = digits.to_mnist(as_canvas_drawing(mnist[1][0][index]))
    row, col = ndimage.center_of_mass(image)
    assert abs(row - MNIST_CENTER[0]) < 0.5 and abs(col - MNIST_CENTER[1]) < 0.5


def test_same_digit_in_any_polarity_or_transparency_gives_the_same_result(mnist):
    drawing = as_canvas_drawing(mnist[1][0][3])  # dark on light
    light_on_dark = 255 - drawing
    rgb = np.repeat(drawing[:, :, None], 3, axis=2)
    rgba = np.zeros((280, 280, 4), np.uint8)  # black ink on a transparent canvas
    rgba[:, :, 3] = light_on_dark
    reference = digits.to_mnist(drawing)
    for other in (light_on_dark, rgb, rgba):
        assert np.abs(digits.to_mnist(other) - reference).max() < 0.05


def test_transparent_background_is_not_taken_for_black_paper():
    rgba = np.zeros((280, 280, 4), np.uint8)  # colour black, alpha 0 everywhere...
    cv2.line(rgba, (140, 40), (140, 240), (0, 0, 0, 255), 16)  # ...and a black opaque stroke
    ink = ink_map(rgba)
    assert ink[140, 140] == pytest.approx(1.0) and ink[10, 10] == 0.0


@pytest.mark.parametrize("alpha", ["full", "faint", "half the canvas", "opaque", "faint frame"])
def test_the_8_bit_canvas_path_reads_the_same_ink_as_the_general_one(alpha):
    """A uint8 RGBA canvas takes a fast path; the same picture as floats takes the general one."""
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[..., :3] = (30, 90, 200)
    stroke = 255 - drawn_seven()
    rgba[..., 3] = {"full": stroke, "faint": stroke // 3, "half the canvas": np.maximum(stroke, 0),
                    "opaque": 255, "faint frame": np.maximum(stroke, 3)}[alpha]
    if alpha == "half the canvas":
        rgba[:, :150, 3] = 255
    if alpha == "opaque":
        rgba[..., :3] = 255 - stroke[..., None]
    assert np.abs(ink_map(rgba) - ink_map(rgba.astype(np.float32) / 255)).max() < 1e-4  # colours: 8-bit grey


def test_a_nearly_blank_8_bit_canvas_is_empty():
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[100:103, 100:103, 3] = 10  # 4% alpha: below the least contrast counted as ink
    with pytest.raises(digits.EmptyImageError, match="blank"):
        ink_map(rgba)


@pytest.mark.parametrize("offset", [(-90, -80), (85, 70), (0, 80)])
def test_translation_barely_changes_the_output(offset):
    reference = digits.to_mnist(drawn_seven(scale=0.5))
    moved = digits.to_mnist(drawn_seven(scale=0.5, offset=offset))
    assert np.abs(moved - reference).mean() < 0.02


@pytest.mark.parametrize("scale", [0.35, 0.6, 1.0])
def test_scale_barely_changes_the_output(scale):
    reference = digits.to_mnist(drawn_seven(scale=0.8, width=22))
    scaled = digits.to_mnist(drawn_seven(scale=scale, width=22))
    assert np.abs(scaled - reference).mean() < 0.05


@pytest.mark.parametrize("width", [3, 6, 30, 45])
def test_thin_and_thick_strokes_reach_mnist_stroke_widths(width):
    image = digits.to_mnist(drawn_seven(width=width))
    assert 1.5 <= stroke_width(image) <= 4.2  # MNIST's 5th-95th percentile: 1.7-4.1


@pytest.mark.parametrize("height, width", [(90, 30), (200, 10), (20, 6), (3, 1)])
def test_stroke_width_of_a_bar_is_its_width_however_short(height, width):
    bar = np.zeros((height + 10, width + 10), np.float32)
    bar[5 : 5 + height, 5 : 5 + width] = 1.0
    assert stroke_width(bar) == pytest.approx(width, abs=0.05)


def small_thick_one():
    """A 1 drawn small with the pad's 20-pixel pen: a short fat bar, 80 pixels tall and 20 wide."""
    canvas = np.full((280, 280), 255, np.uint8)
    cv2.line(canvas, (140, 110), (140, 170), 0, 20)
    return canvas


@pytest.mark.parametrize("drawing", [small_thick_one, lambda: drawn_seven(scale=0.3, width=26)], ids=["one", "seven"])
def test_a_small_digit_drawn_with_a_thick_pen_is_thinned_to_mnist_strokes(drawing):
    image = digits.to_mnist(drawing())
    assert 1.5 <= stroke_width(image) <= 4.2
    assert max(_bbox(image, threshold=0.3)) >= 19  # still as tall as MNIST's 20-pixel box


def test_thin_strokes_are_not_washed_out_to_grey():
    image = digits.to_mnist(drawn_seven(width=3))
    assert (image > 0.8).sum() >= 25  # a solid stroke, not a faint shadow


def test_faint_antialiased_pencil_is_found():
    faint = 255 - (255 - drawn_seven()) // 6  # ink only ~40 grey levels darker than paper
    assert np.abs(digits.to_mnist(faint) - digits.to_mnist(drawn_seven())).mean() < 0.02


def test_grey_noisy_paper_is_not_ink():
    rng = np.random.default_rng(1)
    paper = np.clip(200 + rng.normal(0, 6, (280, 280)), 0, 255)
    scan = np.minimum(paper, drawn_seven().astype(float)).astype(np.uint8)
    assert np.abs(digits.to_mnist(scan) - digits.to_mnist(drawn_seven())).mean() < 0.03


def test_a_speck_of_dust_does_not_stretch_the_box():
    clean = drawn_seven(scale=0.5)
    dusty = clean.copy()
    cv2.circle(dusty, (20, 260), 2, 0, -1)
    assert np.abs(digits.to_mnist(dusty) - digits.to_mnist(clean)).max() < 0.01


def test_a_tap_of_the_pen_beside_the_digit_is_ignored():
    clean = drawn_seven(scale=0.6, width=24)  # a 14-pixel pen
    tapped = clean.copy()
    cv2.circle(tapped, (250, 250), 7, 0, -1, cv2.LINE_AA)  # a dot as wide as the pen: 5% of the ink
    assert np.abs(digits.to_mnist(tapped) - digits.to_mnist(clean)).max() < 0.01


def test_a_separate_short_stroke_of_a_digit_is_kept():
    # A 5 drawn in two strokes: the detached top bar is part of the digit, not a dot.
    canvas = np.full((280, 280), 255, np.uint8)
    cv2.polylines(canvas, [np.array([(110, 80), (100, 150), (150, 140), (175, 185), (150, 225), (100, 215)])],
                  False, 0, 22, cv2.LINE_AA)
    without_bar = canvas.copy()
    cv2.line(canvas, (125, 50), (180, 50), 0, 22, cv2.LINE_AA)
    assert np.abs(digits.to_mnist(canvas) - digits.to_mnist(without_bar)).max() > 0.5


@pytest.mark.parametrize("fraction", [0.10, 0.95])
def test_small_and_canvas_filling_digits(fraction):
    image = digits.to_mnist(drawn_seven(scale=fraction, width=max(3, int(20 * fraction))))
    assert max(_bbox(image)) in (20, 21)


def test_strokes_touching_the_border():
    canvas = np.full((280, 280), 255, np.uint8)
    cv2.line(canvas, (140, 0), (140, 279), 0, 20)  # a 1 from edge to edge
    image = digits.to_mnist(canvas)
    assert _bbox(image)[0] in (20, 21)


@pytest.mark.parametrize("direction", ["left to right", "top to bottom", "diagonal"])
def test_paper_darkened_by_uneven_light_is_not_ink(direction):
    # A photo lit from one side: light multiplies paper and ink alike, and fades across the picture.
    rows, cols = np.mgrid[0:280, 0:280] / 279.0
    shade = {"left to right": cols, "top to bottom": rows, "diagonal": (rows + cols) / 2}[direction]
    flat = np.maximum(drawn_seven(), 70).astype(np.uint8)  # a pencil's dark grey on white
    lit = (flat * (1 - 0.75 * shade)).astype(np.uint8)  # the light falls to a quarter across the picture
    ink = ink_map(lit)
    assert (ink > 0.25).mean() < 1.2 * (ink_map(flat) > 0.25).mean()  # the dark side is paper, not ink
    assert np.abs(digits.to_mnist(lit) - digits.to_mnist(flat)).mean() < 0.02


@pytest.mark.parametrize("reaching", ["a stroke across the picture", "a digit filling its picture"])
def test_ink_running_into_the_border_does_not_tilt_flat_paper(reaching):
    from digits.preprocess import _as_float, _paper_tone

    canvas = drawn_seven().astype(float) + np.random.default_rng(0).normal(0, 6, (280, 280))
    if reaching == "a stroke across the picture":
        cv2.line(canvas, (140, 0), (140, 279), 0, 20)  # through the top and bottom of the border
    else:
        canvas = canvas[52:238, 72:208]  # cropped to the 7: its bar is most of the top of the border
    gray = _as_float(np.clip(canvas, 0, 255).astype(np.uint8), 255.0)
    assert isinstance(_paper_tone(gray), float) and _paper_tone(gray) > 0.97


def test_a_single_dot_gives_an_image_not_a_crash():
    canvas = np.full((280, 280), 255, np.uint8)
    canvas[100, 100] = 0
    image = digits.to_mnist(canvas)
    assert image.shape == (28, 28) and image.max() > 0.5


@pytest.mark.parametrize(
    "blank",
    [
        np.full((280, 280), 255, np.uint8),
        np.zeros((280, 280), np.uint8),
        np.zeros((280, 280, 4), np.uint8),
        np.full((280, 280, 3), 0.5, np.float32),
    ],
    ids=["white", "black", "transparent", "grey-float"],
)
def test_blank_image_raises_empty_image_error(blank):
    with pytest.raises(digits.EmptyImageError):
        digits.to_mnist(blank)


def test_empty_image_error_is_a_value_error():
    assert issubclass(digits.EmptyImageError, ValueError)


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((28, 28, 2)), "shape"),
        (np.zeros((2, 28, 28, 3)), "shape"),
        (np.zeros(784), "shape"),
        (np.array([["a", "b"]]), "dtype"),
        (np.full((28, 28), np.nan), "NaN"),
    ],
)
def test_wrong_shape_or_dtype_is_a_clear_value_error(bad, message):
    with pytest.raises(ValueError, match=message):
        digits.to_mnist(bad)


def test_float_and_uint8_inputs_agree(mnist):
    image = mnist[1][0][5]
    assert np.abs(digits.to_mnist(image) - digits.to_mnist(image / 255.0)).max() < 1e-5


def test_pipeline_steps_are_consistent(mnist):
    steps = mnist_steps(as_canvas_drawing(mnist[1][0][1]))
    assert steps.ink.shape == (280, 280)
    assert max(steps.normalized.shape) == 80 and max(steps.boxed.shape) == 20
    assert np.array_equal(steps.mnist, digits.to_mnist(as_canvas_drawing(mnist[1][0][1])))
