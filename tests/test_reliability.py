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
