"""`digits.DrawingPad`: the drawing pad, driven through its event handlers without a browser.

Pointer events reach the pad exactly as ipycanvas delivers a browser's messages
(`Canvas._handle_frontend_event`); buttons are pressed with `Button.click()`.
"""

from __future__ import annotations

import re
from html import unescape

import cv2
import ipycanvas.canvas
import ipywidgets as widgets
import numpy as np
import pytest

import digits
from digits.recognize import UNSURE_BELOW
from digits.widget import LINE_WIDTH, PAD_SIZE, is_dot, render_strokes
from drawn_digits import DRAWN_DIGITS

DASH = "\N{EM DASH}"


def text_of(html_widget: widgets.HTML) -> str:
    """The text a browser shows for an HTML widget (tags removed)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html_widget.value))).strip()


def result_text(pad) -> str:
    # The digit and its probability are adjacent inline spans: " — 97%" follows the digit directly.
    return re.sub(rf"(\d) {DASH}", rf"\1 {DASH}", text_of(pad.result))


def send(pad, event: str, **content) -> None:
    """Deliver a pointer event the way the browser's canvas view sends it to the kernel."""
    pad.canvas._handle_frontend_event(None, {"event": event, **content}, [])


def draw_with_mouse(pad, strokes) -> None:
    for stroke in strokes:
        (x, y), *rest = stroke
        send(pad, "mouse_down", x=x, y=y)
        for x, y in rest:
            send(pad, "mouse_move", x=x, y=y)
        send(pad, "mouse_up", x=x, y=y)


def draw_with_finger(pad, strokes) -> None:
    for stroke in strokes:
        (x, y), *rest = stroke
        send(pad, "touch_start", touches=[{"x": x, "y": y}])
        for x, y in rest:
            send(pad, "touch_move", touches=[{"x": x, "y": y}])
        send(pad, "touch_end", touches=[])


@pytest.fixture
def pad():
    return digits.DrawingPad()


@pytest.fixture
def canvas_commands(monkeypatch):
    """The names of the drawing commands sent to the browser's canvases, in order."""
    sent: list[str] = []
    names = {number: name for name, number in ipycanvas.canvas.COMMANDS.items()}
    manager = ipycanvas.canvas._CANVAS_MANAGER
    original = manager.send_draw_command

    def record(canvas, name, args=[], buffers=[]):
        sent.append(names[name])
        return original(canvas, name, args, buffers)

    monkeypatch.setattr(manager, "send_draw_command", record)
    return sent


def test_pad_is_a_widget_with_the_documented_css_classes(pad):
    assert isinstance(pad, widgets.Box)
    assert "digits-pad" in pad.canvas._dom_classes
    assert (pad.canvas.width, pad.canvas.height) == (PAD_SIZE, PAD_SIZE)
    assert pad.recognize_button.description == "Recognize"
    assert "digits-recognize" in pad.recognize_button._dom_classes
    assert pad.clear_button.description == "Clear"
    assert "digits-clear" in pad.clear_button._dom_classes
    assert "digits-result" in pad.result._dom_classes


def test_a_new_pad_invites_the_student_to_draw(pad):
    assert pad.strokes == ()
    assert "draw a digit" in result_text(pad).lower()
    assert pad.details.layout.visibility == "hidden"


@pytest.mark.parametrize("digit", sorted(DRAWN_DIGITS))
def test_mouse_drawn_digit_is_recognised_on_recognize(pad, digit):
    draw_with_mouse(pad, DRAWN_DIGITS[digit])
    pad.recognize_button.click()
    assert pad.prediction is not None and pad.prediction.digit == digit
    assert re.fullmatch(rf"{digit} {DASH} \d{{1,3}}% .*", result_text(pad)), result_text(pad)
    assert result_text(pad).startswith(f"{digit} {DASH} {pad.prediction.probability:.0%}")


def test_finger_drawn_digit_is_recognised(pad):
    draw_with_finger(pad, DRAWN_DIGITS[7])
    pad.recognize_button.click()
    assert result_text(pad).startswith(f"7 {DASH} ")


def test_strokes_are_kept_one_per_press(pad):
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    assert len(pad.strokes) == len(DRAWN_DIGITS[7]) == 2
    assert pad.strokes[0][0] == DRAWN_DIGITS[7][0][0]
    assert pad.strokes[1][-1] == DRAWN_DIGITS[7][1][-1]


def test_moving_without_pressing_draws_nothing(pad):
    for x in range(50, 200, 10):
        send(pad, "mouse_move", x=x, y=100)
    assert pad.strokes == ()
    assert pad.image().min() == 255


def test_leaving_the_canvas_ends_the_stroke(pad):
    send(pad, "mouse_down", x=100, y=100)
    send(pad, "mouse_move", x=150, y=100)
    send(pad, "mouse_out", x=279, y=100)
    send(pad, "mouse_move", x=200, y=200)  # back on the canvas with the button released
    assert pad.strokes == (((100, 100), (150, 100), (279, 100)),)


def test_strokes_are_drawn_on_the_canvas_as_the_pointer_moves(pad, canvas_commands):
    send(pad, "mouse_down", x=100, y=100)
    assert canvas_commands == ["fillCircle"]  # the round tip of the pen
    send(pad, "mouse_move", x=110, y=120)
    send(pad, "mouse_move", x=120, y=140)
    assert canvas_commands[1:] == ["strokeLine", "strokeLine"]


def test_canvas_pen_is_round_and_mnist_thick(pad):
    assert pad.canvas.line_cap == "round" and pad.canvas.line_join == "round"
    assert pad.canvas.line_width == LINE_WIDTH


def test_recognition_goes_through_digits_recognize(pad, monkeypatch):
    seen = []
    real = digits.recognize

    def spy(image):
        seen.append(image)
        return real(image)

    monkeypatch.setattr(digits, "recognize", spy)
    draw_with_mouse(pad, DRAWN_DIGITS[0])
    pad.recognize_button.click()
    assert len(seen) == 1
    assert np.array_equal(seen[0], pad.image())
    assert pad.prediction.digit == 0


def test_the_recognised_image_is_the_drawing_rasterised(pad):
    draw_with_mouse(pad, DRAWN_DIGITS[1])
    image = pad.image()
    assert image.shape == (PAD_SIZE, PAD_SIZE) and image.dtype == np.uint8
    assert np.array_equal(image, render_strokes(DRAWN_DIGITS[1]))
    # The stroke is as wide as the pen: at mid-height of the 1 about LINE_WIDTH pixels are inked.
    assert abs(int((image[140] < 128).sum()) - LINE_WIDTH) <= 2


def test_a_single_click_leaves_a_round_dot():
    image = render_strokes([[(140, 140)]])
    inked = image < 128
    rows, cols = np.nonzero(inked)
    assert np.ptp(rows) == pytest.approx(LINE_WIDTH, abs=2) and np.ptp(cols) == pytest.approx(LINE_WIDTH, abs=2)
    assert inked.sum() == pytest.approx(np.pi * (LINE_WIDTH / 2) ** 2, rel=0.15)


def test_result_shows_probabilities_of_all_ten_digits_and_the_network_input(pad):
    draw_with_mouse(pad, DRAWN_DIGITS[4])
    pad.recognize_button.click()
    chart = text_of(pad.chart)
    for digit in range(10):
        assert re.search(rf"\b{digit} \d{{1,3}}%", chart), chart
    shown = cv2.imdecode(np.frombuffer(bytes(pad.network_view.value), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert np.abs(shown[2::4, 2::4] / 255.0 - pad.prediction.image).max() < 0.01  # the 28x28 image, enlarged 4x
    assert pad.details.layout.visibility == "visible"


def test_recognize_on_an_empty_pad_asks_for_a_drawing(pad):
    pad.recognize_button.click()
    assert pad.prediction is None
    assert "draw a digit first" in result_text(pad).lower()
    assert not re.match(r"\d", result_text(pad))


@pytest.mark.parametrize(
    "stroke",
    [[(140, 140)], [(140, 140), (142, 141)], [(100, 100), (110, 104), (104, 112)]],
    ids=["click", "wiggle", "scrap"],
)
def test_a_dot_asks_for_a_whole_digit_and_keeps_it(pad, stroke):
    draw_with_mouse(pad, [stroke])
    pad.recognize_button.click()
    assert pad.prediction is None
    assert "only a dot" in result_text(pad) and not re.match(r"\d", result_text(pad))
    assert pad.details.layout.visibility == "hidden"
    assert pad.strokes == (tuple(stroke),)  # nothing drawn is lost


def test_a_short_one_is_not_a_dot(pad):
    draw_with_mouse(pad, [[(140, 110), (140, 170)]])  # 60 pixels of movement: 80 pixels of ink
    pad.recognize_button.click()
    assert pad.prediction is not None and pad.prediction.digit == 1


def test_is_dot_measures_the_spread_of_all_points():
    assert not is_dot([])
    assert is_dot([[(10, 10)], [(10 + LINE_WIDTH, 10)]])  # two taps side by side
    assert not is_dot([[(10, 10)], [(11 + LINE_WIDTH, 10)]])
    assert not is_dot([[(10, 10), (10, 10 + 3 * LINE_WIDTH)]])


def test_clear_resets_strokes_result_and_canvas(pad, canvas_commands):
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    pad.recognize_button.click()
    before = result_text(pad)
    canvas_commands.clear()
    pad.clear_button.click()
    assert pad.strokes == () and pad.prediction is None
    assert pad.image().min() == 255
    assert result_text(pad) != before and "draw a digit" in result_text(pad).lower()
    assert pad.chart.value == "" and pad.network_view.value == b""
    assert pad.details.layout.visibility == "hidden"
    assert canvas_commands[:2] == ["clear", "fillRect"]  # the browser's canvas is wiped and repainted white


def test_after_clear_a_new_digit_is_recognised_on_its_own(pad):
    draw_with_mouse(pad, DRAWN_DIGITS[0])
    pad.clear_button.click()
    draw_with_mouse(pad, DRAWN_DIGITS[1])
    pad.recognize_button.click()
    assert pad.prediction.digit == 1


def test_low_confidence_result_says_it_is_unsure(pad, monkeypatch):
    draw_with_mouse(pad, DRAWN_DIGITS[1])
    real = digits.recognize(pad.image())
    doubtful = [0.0] * 10
    doubtful[1], doubtful[7] = UNSURE_BELOW - 0.1, 1.1 - UNSURE_BELOW
    monkeypatch.setattr(
        digits, "recognize", lambda image: digits.Prediction(1, UNSURE_BELOW - 0.1, tuple(doubtful), real.image)
    )
    pad.recognize_button.click()
    text = result_text(pad)
    assert text.startswith(f"1 {DASH} ")
    assert "not sure" in text.lower() and "7" in text


def test_confident_result_does_not_say_it_is_unsure(pad):
    draw_with_mouse(pad, DRAWN_DIGITS[0])
    pad.recognize_button.click()
    assert pad.prediction.probability >= UNSURE_BELOW
    assert "not sure" not in result_text(pad).lower()


def test_a_failure_shows_a_short_message_not_a_traceback(pad, monkeypatch):
    def broken(image):
        raise digits.ModelLoadError("the model file models/digits_cnn.keras is missing")

    monkeypatch.setattr(digits, "recognize", broken)
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    pad.recognize_button.click()  # must not raise
    text = result_text(pad)
    assert text.startswith("Sorry") and "digits_cnn.keras is missing" in text
    assert "Traceback" not in pad.result.value and len(text) < 200
    assert pad.prediction is None


def test_an_error_inside_an_event_handler_is_caught(pad, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("canvas went away")

    monkeypatch.setattr(pad.canvas, "fill_circle", broken)
    send(pad, "mouse_down", x=100, y=100)  # must not raise
    assert "canvas went away" in result_text(pad)


def test_recognise_as_i_draw_updates_the_result_after_each_stroke(pad, monkeypatch):
    calls = []
    real = digits.recognize
    monkeypatch.setattr(digits, "recognize", lambda image: calls.append(1) or real(image))
    pad.live.value = True
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    assert len(calls) == len(DRAWN_DIGITS[7])
    assert result_text(pad).startswith(f"7 {DASH} ")


def test_without_recognise_as_i_draw_strokes_do_not_recognise(pad, monkeypatch):
    calls = []
    monkeypatch.setattr(digits, "recognize", lambda image: calls.append(1))
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    assert calls == []


def test_switching_recognise_as_i_draw_on_recognises_what_is_there(pad):
    draw_with_mouse(pad, DRAWN_DIGITS[0])
    pad.live.value = True
    assert result_text(pad).startswith(f"0 {DASH} ")


def test_add_stroke_draws_like_the_mouse(pad):
    other = digits.DrawingPad()
    draw_with_mouse(pad, DRAWN_DIGITS[4])
    for stroke in DRAWN_DIGITS[4]:
        other.add_stroke(stroke)
    assert other.strokes == pad.strokes
    assert np.array_equal(other.image(), pad.image())


def test_points_that_are_not_numbers_are_dropped_and_the_digit_still_read(pad):
    seven = DRAWN_DIGITS[7]
    first = list(seven[0])
    broken = [first[:1] + [(float("nan"), 50.0), (float("inf"), 3.0)] + first[1:]] + [list(s) for s in seven[1:]]
    for stroke in broken:
        pad.add_stroke(stroke)
    send(pad, "mouse_move", x=float("nan"), y=10)  # a pointer event with no usable position
    assert all(np.isfinite(point).all() for stroke in pad._strokes for point in stroke)
    prediction = pad.recognize()
    assert prediction is not None and prediction.digit == 7
    assert not result_text(pad).startswith("Sorry")


def test_a_point_far_off_the_canvas_is_kept_near_it_and_no_opencv_error_shows(pad):
    pad.add_stroke([(40, 140), (1e12, 140)])
    pad.add_stroke([(140, 40), (140, -1e12)])
    pad.recognize()
    assert not result_text(pad).startswith("Sorry") and "cv2" not in result_text(pad)
    assert max(abs(v) for stroke in pad._strokes for point in stroke for v in point) <= 2 * PAD_SIZE


@pytest.mark.parametrize("arguments", [{"size": 0}, {"size": -5}, {"size": 10.5}, {"size": True},
                                       {"line_width": -3}, {"line_width": 0}, {"line_width": float("nan")},
                                       {"size": 100, "line_width": 60}])
def test_the_pad_refuses_sizes_and_pens_it_cannot_draw_with(arguments):
    with pytest.raises(ValueError, match="size must be|line_width must be"):
        digits.DrawingPad(**arguments)


def test_a_failure_prints_no_traceback_even_with_logging_configured(pad, monkeypatch, capsys):
    import logging

    def broken(image):
        raise RuntimeError("boom")

    root = logging.getLogger()
    handler = logging.StreamHandler()
    root.addHandler(handler)
    monkeypatch.setattr(root, "level", logging.WARNING)
    try:
        monkeypatch.setattr(digits, "recognize", broken)
        draw_with_mouse(pad, DRAWN_DIGITS[7])
        pad.recognize_button.click()
    finally:
        root.removeHandler(handler)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert result_text(pad).startswith("Sorry")


def test_a_model_error_is_shown_whole_and_other_long_errors_end_at_a_word(pad, monkeypatch):
    long_path = "/home/student/course/" + "very_long_folder_name/" * 6 + "digits_cnn.onnx"
    message = f"The model file {long_path} is damaged: ONNX Runtime cannot read it."

    def damaged(image):
        raise digits.ModelLoadError(message)

    monkeypatch.setattr(digits, "recognize", damaged)
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    pad.recognize_button.click()
    assert long_path in result_text(pad)

    def chatty(image):
        raise RuntimeError("word " * 60)

    monkeypatch.setattr(digits, "recognize", chatty)
    pad.recognize_button.click()
    text = result_text(pad)
    assert "word \N{HORIZONTAL ELLIPSIS}" in text and "wor \N{HORIZONTAL ELLIPSIS}" not in text
