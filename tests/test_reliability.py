"""Every picture a user can hand over, and every fault: each reproducer of the reliability audit (issue 26)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import digits
from digits.preprocess import crop_to_ink


def _opaque_seven() -> np.ndarray:
    """An opaque RGBA picture of a 7: black bars on white, alpha 255 everywhere."""
    picture = np.full((280, 280, 4), 255, np.uint8)
    picture[40:60, 60:220, :3] = 0
    picture[40:240, 200:220, :3] = 0
    return picture


def test_a_grainy_scan_is_read_and_every_speck_erased():
    # 63,001 specks around and inside an oval: erasing them one at a time took 76 s.
    scan = np.full((1500, 1500), 255, np.uint8)
    cv2.ellipse(scan, (750, 750), (500, 675), 0, 0, 360, 0, 60)
    scan[::6, ::6] = 0
    assert digits.recognize(scan).digit == 0
    ink = digits.preprocess.ink_map(scan)
    cropped = crop_to_ink(ink)
    # Inside the ring, where only specks were, nothing is left.
    middle = cropped[cropped.shape[0] // 2 - 300: cropped.shape[0] // 2 + 300,
                     cropped.shape[1] // 2 - 200: cropped.shape[1] // 2 + 200]
    assert middle.max() == 0.0


def test_specks_inside_the_box_are_erased_and_the_digit_kept():
    ink = np.zeros((100, 100), np.float32)
    ink[10:90, 45:55] = 1.0                  # a 1
    ink[20, 20] = ink[60, 80] = ink[85, 15] = 1.0  # dust, inside the 1's box once it is widened by the others
    ink[50:52, 10:12] = 1.0
    cropped = crop_to_ink(ink)
    assert cropped.shape == (80, 10) and cropped.min() == 1.0


@pytest.mark.parametrize("transparency", ["one corner pixel", "a 10-px frame", "rounded corners", "alpha 250"])
def test_an_opaque_picture_with_some_transparency_is_read_by_its_colours(transparency):
    picture = _opaque_seven()
    alpha = picture[:, :, 3]
    if transparency == "one corner pixel":
        alpha[0, 0] = 0
    elif transparency == "a 10-px frame":
        alpha[:10], alpha[-10:], alpha[:, :10], alpha[:, -10:] = 0, 0, 0, 0
    elif transparency == "rounded corners":
        rows, cols = np.mgrid[0:280, 0:280]
        for row, col in ((30, 30), (30, 249), (249, 30), (249, 249)):
            outside = ((rows - row) ** 2 + (cols - col) ** 2 > 30 ** 2) & ((rows < 30) | (rows > 249)) & (
                (cols < 30) | (cols > 249))
            alpha[outside & (np.abs(rows - row) <= 30) & (np.abs(cols - col) <= 30)] = 0
    else:
        alpha[:] = 250
    prediction = digits.recognize(picture)
    assert prediction.digit == 7 and prediction.probability > 0.9, prediction


def test_a_canvas_is_still_read_by_its_alpha_channel_whatever_the_colour_of_the_ink():
    canvas = np.zeros((280, 280, 4), np.uint8)  # transparent black, as a browser canvas starts
    canvas[40:60, 60:220] = (255, 255, 255, 255)  # white ink: invisible over white paper, clear in alpha
    canvas[40:240, 200:220] = (255, 255, 255, 255)
    assert digits.recognize(canvas).digit == 7


@pytest.mark.parametrize("card, complaint", [
    ('{"temperature": NaN}', 'field "temperature" must be a number above 0, got nan'),
    ('{"temperature": Infinity}', 'field "temperature" must be a number above 0, got inf'),
    ('{"temperature": "abc"}', "got 'abc'"),
    ('{"temperature": null}', "got None"),
    ('{"temperature": -1}', "got -1"),
    ('{"file": "x"}', "got None"),
    ('[1.2]', "holds a JSON list, not an object"),
    ('not json', "it is not JSON"),
    (None, "No model card at"),
])
def test_a_damaged_model_card_is_a_clear_error_naming_the_card_and_the_field(tmp_path, card, complaint):
    from digits.model_files import SHIPPED_ONNX

    model = tmp_path / "model.onnx"
    model.write_bytes(SHIPPED_ONNX.read_bytes())
    if card is not None:
        (tmp_path / "model.json").write_text(card, encoding="utf-8")
    with pytest.raises(digits.ModelLoadError) as error:
        digits.Recognizer.from_file(model)
    assert complaint in str(error.value) and str(tmp_path / "model.json") in str(error.value)
    assert error.value.__cause__ is None and (error.value.__context__ is None or error.value.__suppress_context__)


@pytest.mark.parametrize("temperature", [float("nan"), float("inf"), 0.0, -2.0, "1.2"])
def test_recognizer_refuses_a_temperature_that_is_not_a_finite_positive_number(temperature):
    from digits.model_files import SHIPPED_ONNX
    from digits.networks import OnnxNetwork

    with pytest.raises(ValueError, match="temperature must be a finite number above 0"):
        digits.Recognizer(OnnxNetwork(SHIPPED_ONNX), temperature=temperature)


def _seven_grey() -> np.ndarray:
    """A 7 as a grey uint8 picture: black bars on white."""
    return _opaque_seven()[:, :, 0].copy()


def _value_range_cases():
    seven = _seven_grey()
    as_float = seven / 255.0
    overshoot = as_float.copy()
    overshoot[0, 0] = 1.0001
    cubic = np.maximum(cv2.resize(as_float, (300, 300), interpolation=cv2.INTER_CUBIC), 0.0)
    cubic[0, 0] = 1.15
    wide = seven.astype(np.int64)
    return {
        "float with one pixel at 1.0001": overshoot,
        "cubic-resized float clipped at 0 only": cubic,
        "int32 with paper 65535": (wide * 257).astype(np.int32),
        "int64 with paper 256": wide + 1,
        "int16 0-1000": (wide * 1000 // 255).astype(np.int16),
        "10-bit uint16 0-1023": (wide * 1023 // 255).astype(np.uint16),
        "uint32": (wide * 16843009).astype(np.uint32),
    }


@pytest.mark.parametrize("case", list(_value_range_cases()))
def test_pictures_in_any_value_range_are_read_as_the_drawing_they_are(case):
    picture = _value_range_cases()[case]
    assert digits.recognize(picture).digit == 7


@pytest.mark.parametrize("mode", ["P", "1", "I", "LA", "RGBA"])
def test_pil_images_are_read_by_their_colours(mode):
    from PIL import Image

    seven = Image.fromarray(_seven_grey())
    if mode == "P":
        picture = Image.fromarray((_seven_grey() > 127).astype(np.uint8), mode="P")  # indices 0 and 1
        picture.putpalette([0, 0, 0, 255, 255, 255])  # a two-colour palette: black and white
        assert np.asarray(picture).max() == 1
    elif mode == "I":
        picture = Image.fromarray(_seven_grey().astype(np.uint16) * 257).convert("I")  # a 16-bit PNG as PIL opens it
    else:
        picture = seven.convert(mode)
    assert digits.recognize(picture).digit == 7


@pytest.mark.parametrize("bad, error, message", [
    (np.zeros((28, 28), complex), ValueError, "complex"),
    (np.zeros((28, 28), "m8[s]"), ValueError, "times or durations"),
    (np.zeros((28, 28), "M8[s]"), ValueError, "times or durations"),
    (None, TypeError, "got None"),
    ("homework.png", TypeError, "read the file first"),
    (np.full((28, 28), -1.0), ValueError, "must not be negative"),
    (np.full((28, 28), np.inf), ValueError, "NaN or infinite"),
])
def test_what_is_not_a_picture_is_refused_clearly(bad, error, message):
    with pytest.raises(error, match=message):
        digits.recognize(bad)


def test_a_huge_picture_is_shrunk_first_and_stays_within_three_times_its_size_in_memory():
    import tracemalloc

    picture = np.full((8000, 8000), 255, np.uint8)
    cv2.ellipse(picture, (4000, 4000), (2000, 2700), 0, 0, 360, 0, 250)
    tracemalloc.start()
    try:
        prediction = digits.recognize(picture)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert prediction.digit == 0
    assert peak < 3 * picture.nbytes  # 64 MB of picture; without the shrinking, 9 times that
    steps = digits.preprocess.mnist_steps(picture)
    assert max(steps.ink.shape) == digits.preprocess.LARGEST_SIDE
