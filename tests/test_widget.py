"""`digits.DrawingPad`: the drawing pad, driven through its event handlers without a browser.

Pointer events reach the pad exactly as ipycanvas delivers a browser's messages
(`Canvas._handle_frontend_event`); buttons are pressed with `Button.click()`.
The pad's recognise function is passed in where a test needs to see or choose
the answer. Its two plain parts, the strokes (`digits.pad_strokes`) and the
result's HTML (`digits.result_view`), have tests of their own.
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
from digits import pad_upload, result_view
from digits.pad_strokes import MouseStrokes, PadStrokes
from digits.recognize import UNSURE_BELOW
from digits.widget import LINE_WIDTH, NUMBER_WIDTH, PAD_SIZE, PEN_WIDTHS, is_dot, render_strokes
from browser_support import have_pen_strokes, written_number
from drawn_digits import DRAWN_DIGITS

DASH = "\N{EM DASH}"


def text_of(html_widget: widgets.HTML) -> str:
    """The text a browser shows for an HTML widget (tags removed)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html_widget.value))).strip()


def result_text(pad) -> str:
    """The result line's text as a browser shows it: its spans (the number's digits, " — 97%") are inline."""
    inline = widgets.HTML(re.sub(r"</?span[^>]*>", "", pad.result.value))
    return text_of(inline)


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


class Spy:
    """A recognise function that records the pictures it is given and answers as ``answer`` does."""

    def __init__(self, answer=None):
        self.images = []
        self.answer = answer or digits.recognize

    def __call__(self, image):
        self.images.append(image)
        return self.answer(image)


def fixed(digit, probability, second=None, is_digit=True):
    """A recognise function whose answer is always ``digit`` with ``probability`` (the rest on ``second``)."""

    def answer(image):
        probabilities = [0.0] * 10
        probabilities[digit] = probability
        probabilities[second if second is not None else (digit + 1) % 10] += 1.0 - probability
        return digits.Prediction(digit, probability, tuple(probabilities), digits.to_mnist(image), is_digit=is_digit)

    return answer


def test_pad_is_a_widget_with_the_documented_css_classes(pad):
    assert isinstance(pad, widgets.Box)
    assert "digits-pad" in pad.canvas._dom_classes
    assert (pad.canvas.width, pad.canvas.height) == (PAD_SIZE, PAD_SIZE)
    assert pad.recognize_button.description == "Recognize"
    assert "digits-recognize" in pad.recognize_button._dom_classes
    assert pad.clear_button.description == "Clear"
    assert "digits-clear" in pad.clear_button._dom_classes
    assert pad.undo_button.description == "Undo" and "digits-undo" in pad.undo_button._dom_classes
    assert "digits-pen" in pad.pen._dom_classes and "digits-live" in pad.live._dom_classes
    assert "digits-result" in pad.result._dom_classes
    assert isinstance(pad.upload, widgets.FileUpload) and "digits-upload" in pad.upload._dom_classes
    assert pad.upload.accept == "image/png,image/jpeg,.png,.jpg,.jpeg" and not pad.upload.multiple


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


def test_a_stroke_that_leaves_and_comes_back_with_the_button_held_keeps_both_parts(pad):
    send(pad, "mouse_down", x=100, y=100)
    send(pad, "mouse_move", x=150, y=100)
    send(pad, "mouse_out", x=279, y=100)
    send(pad, "mouse_move", x=270, y=200)  # back on the canvas lower down, the button still held
    send(pad, "mouse_move", x=200, y=200)
    send(pad, "mouse_up", x=150, y=200)
    assert pad.strokes == (((100, 100), (150, 100), (279, 100)), ((270, 200), (200, 200), (150, 200)))
    assert (pad.image()[200, 160:260] < 128).all()  # the second part is ink too


def test_a_stroke_released_outside_ends_there_and_the_pointer_passing_back_draws_nothing(pad):
    send(pad, "mouse_down", x=100, y=100)
    send(pad, "mouse_move", x=150, y=100)
    send(pad, "mouse_out", x=279, y=100)
    send(pad, "mouse_move", x=270, y=200)  # back on the canvas with the button released outside
    send(pad, "mouse_move", x=200, y=200)
    send(pad, "mouse_down", x=60, y=60)  # the next stroke
    send(pad, "mouse_up", x=60, y=60)
    assert pad.strokes == (((100, 100), (150, 100), (279, 100)), ((60, 60),))
    assert (pad.image()[200] == 255).all()


def test_a_stroke_started_outside_the_canvas_draws_from_where_it_comes_in(pad, canvas_commands):
    for x in (2, 40, 80, 120):
        send(pad, "mouse_move", x=x, y=140)
    assert canvas_commands == [] and pad.strokes == ()  # the pointer may only be passing by
    send(pad, "mouse_up", x=160, y=140)  # released without a press here: the button was held all along
    assert pad.strokes == (((2, 140), (40, 140), (80, 140), (120, 140), (160, 140)),)
    assert "strokeLines" in canvas_commands
    assert (pad.image()[140, 10:150] < 128).all()


def test_the_pointer_passing_over_the_canvas_draws_nothing(pad):
    for x in range(0, 281, 20):
        send(pad, "mouse_move", x=x, y=100)
    send(pad, "mouse_out", x=280, y=100)
    send(pad, "mouse_down", x=140, y=200)
    send(pad, "mouse_up", x=140, y=200)
    assert pad.strokes == (((140, 200),),)


def test_strokes_are_drawn_on_the_canvas_as_the_pointer_moves(pad, canvas_commands):
    send(pad, "mouse_down", x=100, y=100)
    assert canvas_commands == ["fillCircle"]  # the round tip of the pen
    send(pad, "mouse_move", x=110, y=120)
    send(pad, "mouse_move", x=120, y=140)
    assert canvas_commands[1:] == ["strokeLine", "strokeLine"]


def test_whole_strokes_reach_the_browser_as_binary_point_buffers(pad, monkeypatch):
    # ipycanvas's browser side reads a polyline's points only from a binary buffer; points sent
    # any other way (a tuple) stall every drawing command after them, on every pad.
    sent = []
    manager = ipycanvas.canvas._CANVAS_MANAGER
    original = manager.send_draw_command

    def record(canvas, name, args=[], buffers=[]):
        sent.append((name, len(buffers)))
        return original(canvas, name, args, buffers)

    monkeypatch.setattr(manager, "send_draw_command", record)
    pad.add_stroke(DRAWN_DIGITS[1][0])  # painted whole
    pad.undo_button.click()
    pad.add_stroke(DRAWN_DIGITS[1][0])
    pad.pen.value = dict(pad.pen.options)["thick"]  # redrawn whole
    polylines = [buffers for name, buffers in sent if name == ipycanvas.canvas.COMMANDS["strokeLines"]]
    assert len(polylines) == 3 and all(buffers == 1 for buffers in polylines)


def test_canvas_pen_is_round_and_mnist_thick(pad):
    assert pad.canvas.line_cap == "round" and pad.canvas.line_join == "round"
    assert pad.canvas.line_width == LINE_WIDTH


def test_recognition_goes_through_the_function_the_pad_was_given():
    spy = Spy()
    pad = digits.DrawingPad(recognize=spy)
    draw_with_mouse(pad, DRAWN_DIGITS[0])
    pad.recognize_button.click()
    assert len(spy.images) == 1
    assert np.array_equal(spy.images[0], pad.image())
    assert pad.prediction.digit == 0


def test_the_default_recognise_function_is_digits_recognize():
    import inspect

    assert inspect.signature(digits.DrawingPad).parameters["recognize"].default is digits.recognize


class ThreeNetwork:
    """A "network" that always says 3, as a student's own would be plugged in."""

    def __init__(self):
        self.batches = []

    def probabilities(self, batch):
        self.batches.append(batch.shape)
        answer = np.full((len(batch), 10), 0.01, np.float32)
        answer[:, 3] = 0.91
        return answer


def test_a_students_own_network_reads_the_drawing_through_a_recognizer():
    network = ThreeNetwork()
    pad = digits.DrawingPad(digits.Recognizer(network))
    assert network.batches == [(1, 28, 28, 1)]  # run once in advance, so the first Recognize is quick
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    pad.recognize_button.click()
    assert pad.prediction.digit == 3 and result_text(pad).startswith(f"3 {DASH} 91%")


def test_a_recognise_function_that_returns_no_prediction_gets_a_clear_message():
    pad = digits.DrawingPad(recognize=lambda image: 7)
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    pad.recognize_button.click()
    assert result_text(pad).startswith("Sorry") and "not a digits.Prediction" in result_text(pad)
    assert pad.prediction is None


def test_a_pad_needs_a_recognise_function_it_can_call():
    with pytest.raises(TypeError, match="recognize must be a function"):
        digits.DrawingPad(recognize="the shipped model")


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


def test_low_confidence_result_says_it_is_unsure():
    pad = digits.DrawingPad(recognize=fixed(1, UNSURE_BELOW - 0.1, second=7))
    draw_with_mouse(pad, DRAWN_DIGITS[1])
    pad.recognize_button.click()
    text = result_text(pad)
    assert text.startswith(f"1 {DASH} ")
    assert "Not sure: a 1, or maybe a 7?" in text
    assert "digits-unsure" in pad.result.value


@pytest.mark.parametrize("digit, second, words", [(8, 3, "an 8, or maybe a 3?"), (3, 8, "a 3, or maybe an 8?")])
def test_an_unsure_eight_is_an_8(digit, second, words):
    pad = digits.DrawingPad(recognize=fixed(digit, UNSURE_BELOW - 0.1, second=second))
    draw_with_mouse(pad, DRAWN_DIGITS[0])
    pad.recognize_button.click()
    assert f"Not sure: {words}" in result_text(pad)
    assert "a 8" not in result_text(pad)


def test_a_drawing_that_is_no_digit_is_called_so_without_a_digit_or_percentage():
    pad = digits.DrawingPad(recognize=fixed(8, 0.97, is_digit=False))
    draw_with_mouse(pad, DRAWN_DIGITS[0])
    pad.recognize_button.click()
    assert pad.prediction is not None and not pad.prediction.is_digit
    text = result_text(pad)
    assert text == f"That doesn't look like a digit {DASH} try drawing one."
    assert not re.match(r"\d", text) and "%" not in text
    assert "digits-digit" not in pad.result.value and "digits-not-digit" in pad.result.value
    assert "digits-greyed" in pad.chart.value  # the bars may stay, greyed
    assert re.search(r"\b8 97%", text_of(pad.chart))


def test_confident_result_does_not_say_it_is_unsure(pad):
    draw_with_mouse(pad, DRAWN_DIGITS[0])
    pad.recognize_button.click()
    assert pad.prediction.probability >= UNSURE_BELOW
    assert "not sure" not in result_text(pad).lower()


def test_a_failure_shows_a_short_message_not_a_traceback():
    def broken(image):
        raise digits.ModelLoadError("the model file models/digits_cnn.keras is missing")

    pad = digits.DrawingPad(recognize=broken)
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


def test_recognise_as_i_draw_updates_the_result_after_each_stroke():
    spy = Spy()
    pad = digits.DrawingPad(recognize=spy, recognize_as_you_draw=True)
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    assert len(spy.images) == len(DRAWN_DIGITS[7])
    assert result_text(pad).startswith(f"7 {DASH} ")


def test_recognise_as_i_draw_answers_after_each_finger_stroke_too():
    spy = Spy()
    pad = digits.DrawingPad(recognize=spy, recognize_as_you_draw=True)
    draw_with_finger(pad, DRAWN_DIGITS[7])
    assert len(spy.images) == len(DRAWN_DIGITS[7])


def test_without_recognise_as_i_draw_strokes_do_not_recognise():
    spy = Spy()
    pad = digits.DrawingPad(recognize=spy)
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    assert spy.images == []


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
    assert all(np.isfinite(point).all() for stroke in pad.strokes for point in stroke)
    prediction = pad.recognize()
    assert prediction is not None and prediction.digit == 7
    assert not result_text(pad).startswith("Sorry")


def test_a_point_far_off_the_canvas_is_kept_near_it_and_no_opencv_error_shows(pad):
    pad.add_stroke([(40, 140), (1e12, 140)])
    pad.add_stroke([(140, 40), (140, -1e12)])
    pad.recognize()
    assert not result_text(pad).startswith("Sorry") and "cv2" not in result_text(pad)
    assert max(abs(v) for stroke in pad.strokes for point in stroke for v in point) <= 2 * PAD_SIZE


@pytest.mark.parametrize("arguments", [{"size": 0}, {"size": -5}, {"size": 10.5}, {"size": True},
                                       {"line_width": -3}, {"line_width": 0}, {"line_width": float("nan")},
                                       {"size": 100, "line_width": 60}])
def test_the_pad_refuses_sizes_and_pens_it_cannot_draw_with(arguments):
    with pytest.raises(ValueError, match="size must be|line_width must be"):
        digits.DrawingPad(**arguments)


def test_a_failure_prints_no_traceback_even_with_logging_configured(monkeypatch, capsys):
    import logging

    def broken(image):
        raise RuntimeError("boom")

    pad = digits.DrawingPad(recognize=broken)
    root = logging.getLogger()
    handler = logging.StreamHandler()
    root.addHandler(handler)
    monkeypatch.setattr(root, "level", logging.WARNING)
    try:
        draw_with_mouse(pad, DRAWN_DIGITS[7])
        pad.recognize_button.click()
    finally:
        root.removeHandler(handler)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert result_text(pad).startswith("Sorry")


def test_a_model_error_is_shown_whole_and_other_long_errors_end_at_a_word():
    long_path = "/home/student/course/" + "very_long_folder_name/" * 6 + "digits_cnn.onnx"
    message = f"The model file {long_path} is damaged: ONNX Runtime cannot read it."

    def damaged(image):
        raise digits.ModelLoadError(message)

    pad = digits.DrawingPad(recognize=damaged)
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    pad.recognize_button.click()
    assert long_path in result_text(pad)

    def chatty(image):
        raise RuntimeError("word " * 60)

    pad = digits.DrawingPad(recognize=chatty)
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    pad.recognize_button.click()
    text = result_text(pad)
    assert "word \N{HORIZONTAL ELLIPSIS}" in text and "wor \N{HORIZONTAL ELLIPSIS}" not in text


# Undo and the pen


def test_undo_removes_the_last_stroke_and_redraws_the_canvas(pad, canvas_commands):
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    canvas_commands.clear()
    pad.undo_button.click()
    assert pad.strokes == (tuple(DRAWN_DIGITS[7][0]),)
    assert np.array_equal(pad.image(), render_strokes(DRAWN_DIGITS[7][:1]))
    assert canvas_commands[:2] == ["clear", "fillRect"] and "strokeLines" in canvas_commands
    pad.undo_button.click()
    pad.undo_button.click()  # on an empty pad: nothing happens
    assert pad.strokes == () and pad.image().min() == 255
    assert "draw a digit" in result_text(pad).lower()


def test_undo_renews_an_answer_on_show():
    spy = Spy()
    pad = digits.DrawingPad(recognize=spy)
    draw_with_mouse(pad, DRAWN_DIGITS[1])
    draw_with_mouse(pad, [[(60, 200), (220, 200)]])  # a stray line under the 1
    pad.recognize_button.click()
    pad.undo_button.click()
    assert len(spy.images) == 2 and np.array_equal(spy.images[1], render_strokes(DRAWN_DIGITS[1]))
    assert result_text(pad).startswith(f"1 {DASH} ")


def test_undo_with_recognise_as_i_draw_recognises_again():
    spy = Spy()
    pad = digits.DrawingPad(recognize=spy, recognize_as_you_draw=True)
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    pad.undo_button.click()
    assert len(spy.images) == len(DRAWN_DIGITS[7]) + 1
    assert np.array_equal(spy.images[-1], pad.image())


def test_undo_without_an_answer_on_show_does_not_recognise():
    spy = Spy()
    pad = digits.DrawingPad(recognize=spy)
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    pad.undo_button.click()
    assert spy.images == [] and "draw a digit" in result_text(pad).lower()


def test_the_pen_offers_thin_medium_and_thick_with_medium_the_usual_width(pad):
    assert [label for label, _ in pad.pen.options] == list(PEN_WIDTHS)
    assert pad.line_width == LINE_WIDTH == pad.pen.value
    assert [width for _, width in pad.pen.options] == [LINE_WIDTH * factor for factor in PEN_WIDTHS.values()]


def test_a_thicker_pen_draws_and_recognises_the_drawing_thicker(pad, canvas_commands):
    draw_with_mouse(pad, DRAWN_DIGITS[1])
    thin_ink = int((pad.image() < 128).sum())
    canvas_commands.clear()
    pad.pen.value = dict(pad.pen.options)["thick"]
    assert pad.line_width == LINE_WIDTH * PEN_WIDTHS["thick"] == pad.canvas.line_width
    assert canvas_commands[:2] == ["clear", "fillRect"]  # the canvas shows the drawing with the new pen
    assert np.array_equal(pad.image(), render_strokes(DRAWN_DIGITS[1], width=pad.line_width))
    assert int((pad.image() < 128).sum()) > 1.5 * thin_ink
    pad.recognize_button.click()
    assert pad.prediction.digit == 1


def test_a_new_pen_renews_an_answer_on_show():
    spy = Spy()
    pad = digits.DrawingPad(recognize=spy)
    draw_with_mouse(pad, DRAWN_DIGITS[4])
    pad.recognize_button.click()
    pad.pen.value = dict(pad.pen.options)["thin"]
    assert len(spy.images) == 2 and np.array_equal(spy.images[1], render_strokes(DRAWN_DIGITS[4], width=10))


def test_pen_widths_stay_within_what_the_pad_can_draw():
    pad = digits.DrawingPad(size=40, line_width=15)
    assert [width for _, width in pad.pen.options] == [7.5, 15, 20]  # thick is at most half the pad
    assert [label for label, _ in digits.DrawingPad(line_width=1).pen.options] == ["medium", "thick"]


# The strokes model: no widgets


def test_the_strokes_model_adds_undoes_and_clears():
    drawing = PadStrokes()
    assert drawing.add([(10, 10), (50, 50)]) == ((10, 10), (50, 50))
    drawing.add([(60, 60)])
    assert drawing.strokes == (((10, 10), (50, 50)), ((60, 60),)) and len(drawing) == 2
    assert drawing.undo() == ((60, 60),)
    assert drawing.strokes == (((10, 10), (50, 50)),)
    drawing.clear()
    assert drawing.strokes == () and drawing.undo() is None


def test_the_strokes_model_undoes_the_stroke_being_drawn_first():
    drawing = PadStrokes()
    drawing.add([(10, 10), (50, 50)])
    drawing.begin(100, 100)
    drawing.extend(120, 100)
    assert len(drawing) == 2 and drawing.current == ((100, 100), (120, 100))
    assert drawing.undo() == ((100, 100), (120, 100))
    assert drawing.current is None and len(drawing) == 1


def test_the_strokes_model_rasterises_with_the_course_rasteriser():
    drawing = PadStrokes(100)
    drawing.add([(20, 20), (80, 80)])
    drawing.begin(20, 80)  # the stroke being drawn is part of the picture
    image = drawing.image(width=8)
    assert image.shape == (100, 100) and image.dtype == np.uint8
    assert np.array_equal(image, render_strokes([[(20, 20), (80, 80)], [(20, 80)]], 100, 8))


def test_the_strokes_model_returns_the_ink_to_paint():
    drawing = PadStrokes()
    assert drawing.begin(10, 10) == ((10, 10),)
    assert drawing.extend(10.5, 10) is None  # under a pixel: no new point
    assert drawing.extend(30, 10) == ((10, 10), (30, 10))
    assert drawing.end() == ((10, 10), (30, 10)) and drawing.end() is None
    assert drawing.extend(50, 50) is None  # pen up


def test_the_strokes_model_drops_points_that_are_not_numbers_and_keeps_far_ones_near():
    drawing = PadStrokes(100)
    assert drawing.add([(float("nan"), 1), ("x", 2), (None, 3)]) is None
    assert drawing.add([(10, 10), (1e9, -1e9)]) == ((10, 10), (200, -100))


def test_mouse_strokes_say_what_to_paint_and_when():
    mouse = MouseStrokes(PadStrokes())
    assert mouse.press(10, 10) == [((10, 10),)] and mouse.pen_down
    assert mouse.move(20, 10) == [((10, 10), (20, 10))]
    assert mouse.leave(0, 10) == [((20, 10), (0, 10))] and not mouse.pen_down
    assert mouse.move(5, 50) == [] and mouse.move(30, 50) == []  # nothing, until it is clear the button is held
    assert mouse.release(40, 50) == [((5, 50), (30, 50), (40, 50))]
    assert mouse.strokes.strokes == (((10, 10), (20, 10), (0, 10)), ((5, 50), (30, 50), (40, 50)))


# The result view: HTML from one stylesheet


def documented_classes() -> set[str]:
    return set(re.findall(r"``(digits-[a-z-]+)``", result_view.__doc__))


def result_htmls() -> dict[str, str]:
    mnist = np.zeros((28, 28), np.float32)
    sure = digits.Prediction(7, 0.97, (0.0,) * 7 + (0.97, 0.03, 0.0), mnist)
    unsure = digits.Prediction(8, 0.5, (0.0,) * 3 + (0.5,) + (0.0,) * 4 + (0.5, 0.0), mnist)
    not_digit = digits.Prediction(8, 0.9, (0.0,) * 8 + (0.9, 0.1), mnist, is_digit=False)
    number = digits.NumberPrediction("788", (sure, unsure, not_digit), ((0, 0, 5, 5),) * 3)
    return {
        "prompt": result_view.message_html(result_view.PROMPT, "digits-prompt"),
        "error": result_view.error_html(RuntimeError("boom")),
        "sure": result_view.prediction_html(sure),
        "unsure": result_view.prediction_html(unsure),
        "not a digit": result_view.prediction_html(not_digit),
        "bars": result_view.bars_html(sure.probabilities, 7),
        "grey bars": result_view.bars_html(not_digit.probabilities, 8, greyed=True),
        "number": result_view.number_html(number),
        "number cards": result_view.number_digits_html(number),
        "no number": result_view.number_html(digits.NumberPrediction("8", (not_digit,), ((0, 0, 5, 5),))),
    }


@pytest.mark.parametrize("kind", list(result_htmls()))
def test_the_result_html_has_no_inline_styles_and_only_documented_classes(kind):
    html = result_htmls()[kind]
    assert "style=" not in html
    used = {name for names in re.findall(r'class="([^"]+)"', html) for name in names.split()}
    assert used and used <= documented_classes(), used - documented_classes()


def test_the_stylesheet_styles_the_documented_classes_with_theme_colours():
    styled = set(re.findall(r"\.(digits-[a-z-]+)", result_view.STYLESHEET))
    assert {"digits-digit", "digits-probability", "digits-bar-track", "digits-bar-fill", "digits-best",
            "digits-greyed", "digits-unsure", "digits-message", "digits-frame"} <= styled
    assert styled <= documented_classes()
    # Theme variables, so the dark theme gets dark bar tracks, not bright white bars.
    assert re.search(r"\.digits-bar-track \{ fill: var\(--jp-layout-color2, #eee\); \}", result_view.STYLESHEET)


def test_the_pad_carries_the_stylesheet_and_no_inline_styles_in_its_result(pad):
    assert result_view.STYLESHEET in pad.view.style_sheet.value
    draw_with_mouse(pad, DRAWN_DIGITS[4])
    pad.recognize_button.click()
    assert "style=" not in pad.result.value + pad.chart.value
    assert "digits-bar-track" in pad.chart.value and "digits-best" in pad.chart.value


def test_the_bars_are_as_long_as_the_probabilities():
    html = result_view.bars_html((0.0, 0.25, 0.75) + (0.0,) * 7, 2)
    lengths = [float(x) for x in re.findall(r'class="digits-bar-fill" width="([\d.]+)"', html)]
    assert lengths == [0.0, 25.0, 75.0] + [0.0] * 7
    assert re.findall(r'<tr class="digits-bar-row digits-best"><td class="digits-bar-label">(\d)', html) == ["2"]


def test_the_article_before_a_digit():
    assert [result_view.article(d) for d in range(10)] == ["a"] * 8 + ["an", "a"]


# Number mode


def reading(text, probabilities=None, unsure=(), not_digits=(), width=120):
    """A recognise-number function that always reads ``text``: digit i boxed at x = 40 + 150 i, ``width`` wide."""

    def answer(image, strokes=None):
        if image.min() == 255:
            raise digits.EmptyImageError("nothing drawn")
        predictions, boxes = [], []
        for place, char in enumerate(text):
            digit = int(char)
            probability = (probabilities or [0.99] * len(text))[place]
            if place in unsure:
                probability = UNSURE_BELOW - 0.15
            shares = [0.0] * 10
            shares[digit] = probability
            shares[(digit + 6) % 10] += 1.0 - probability
            predictions.append(digits.Prediction(digit, probability, tuple(shares), np.zeros((28, 28), np.float32),
                                                 is_digit=place not in not_digits))
            boxes.append((40 + 150 * place, 50, 40 + 150 * place + width, 230))
        answer.calls.append((image, strokes))
        return digits.NumberPrediction(text, tuple(predictions), tuple(boxes))

    answer.calls = []
    return answer


def number_pad(answer=None):
    return digits.DrawingPad(number=True, recognize_number=answer or reading("2026"))


def write_2026_roughly(pad):
    """Four strokes in four places: what a recognise-number function gets does not depend on their shape."""
    for place in range(4):
        x = 60 + 150 * place
        draw_with_mouse(pad, [[(x, 60), (x + 60, 140), (x, 220)]])


def test_number_mode_has_a_wide_canvas_and_asks_for_a_number():
    pad = number_pad()
    assert (pad.canvas.width, pad.canvas.height) == (NUMBER_WIDTH * PAD_SIZE, PAD_SIZE) == (840, 280)
    assert pad.canvas.layout.min_width == "840px"  # it never shrinks: a narrow window scrolls it sideways
    assert pad.image().shape == (280, 840)
    assert result_text(pad).startswith("Write a number")
    pad.recognize_button.click()
    assert result_text(pad) == "Write a number first: the pad is empty."


def test_number_mode_reads_the_drawing_and_its_strokes_with_the_function_given():
    answer = reading("2026")
    pad = number_pad(answer)
    write_2026_roughly(pad)
    pad.recognize_button.click()
    (image, strokes), = answer.calls
    assert np.array_equal(image, pad.image()) and image.shape == (280, 840)
    assert strokes == pad.strokes and len(strokes) == 4
    assert pad.prediction.text == "2026"


def test_number_mode_shows_the_number_first_then_its_probability():
    pad = number_pad(reading("2026", probabilities=[0.99, 0.98, 0.99, 0.97]))
    write_2026_roughly(pad)
    pad.recognize_button.click()
    assert result_text(pad).startswith(f"2026 {DASH} 93%"), result_text(pad)
    assert "sure of every digit" in result_text(pad)
    cards = text_of(pad.chart)
    assert re.findall(r"(\d) (\d+)%", cards) == [("2", "99"), ("0", "98"), ("2", "99"), ("6", "97")]
    assert pad.chart.value.count('src="data:image/png;base64,') == 4  # each digit's 28x28 picture
    assert pad.details.layout.visibility == "visible"


def test_number_mode_boxes_each_digit_on_the_canvas_with_its_reading(canvas_commands):
    pad = number_pad(reading("2026", probabilities=[0.99, 0.98, 0.99, 0.97]))
    write_2026_roughly(pad)
    canvas_commands.clear()
    pad.recognize_button.click()
    assert canvas_commands.count("strokeRect") == 4 and canvas_commands.count("fillText") == 4
    assert pad.canvas.stroke_style == "black" and pad.canvas.line_width == LINE_WIDTH  # the pen is back


def test_number_mode_labels_the_boxes_with_each_digit_and_its_probability(monkeypatch):
    pad = number_pad(reading("2026", probabilities=[0.99, 0.98, 0.99, 0.97], unsure=(3,)))
    labels = []
    monkeypatch.setattr(pad.canvas, "fill_text", lambda text, x, y, max_width=None: labels.append(text))
    write_2026_roughly(pad)
    pad.recognize_button.click()
    assert labels == ["2 99%", "0 98%", "2 99%", f"6? {UNSURE_BELOW - 0.15:.0%}"]


def test_number_mode_marks_an_unsure_digit_and_names_it():
    pad = number_pad(reading("2026", unsure=(1,)))
    write_2026_roughly(pad)
    pad.recognize_button.click()
    text = result_text(pad)
    assert text.startswith(f"2026 {DASH} ")
    assert "Not sure of the 2nd digit: a 0, or maybe a 6?" in text
    assert re.search(r'digits-unsure-digit">0<', pad.result.value) and "digits-unsure" in pad.result.value


def test_number_mode_says_in_words_which_piece_is_not_a_digit():
    pad = number_pad(reading("2026", not_digits=(2,)))
    write_2026_roughly(pad)
    pad.recognize_button.click()
    text = result_text(pad)
    assert text.startswith(f"20?6 {DASH} ") and "The 3rd piece doesn't look like a digit." in text
    assert "not a digit" in text_of(pad.chart)


def test_number_mode_with_no_digit_at_all_says_it_is_no_number():
    pad = number_pad(reading("88", not_digits=(0, 1)))
    write_2026_roughly(pad)
    pad.recognize_button.click()
    assert result_text(pad) == f"That doesn't look like a number {DASH} try writing one."


def test_number_mode_clear_resets_strokes_result_and_boxes(canvas_commands):
    pad = number_pad()
    write_2026_roughly(pad)
    pad.recognize_button.click()
    canvas_commands.clear()
    pad.clear_button.click()
    assert pad.strokes == () and pad.prediction is None and pad.image().min() == 255
    assert canvas_commands[:2] == ["clear", "fillRect"] and "strokeRect" not in canvas_commands  # boxes gone
    assert result_text(pad).startswith("Write a number") and pad.chart.value == ""
    assert pad.details.layout.visibility == "hidden"


def test_number_mode_undo_reads_the_rest_again_and_boxes_it_afresh(canvas_commands):
    answer = reading("2026")
    pad = number_pad(answer)
    write_2026_roughly(pad)
    pad.recognize_button.click()
    canvas_commands.clear()
    pad.undo_button.click()
    assert len(pad.strokes) == 3 and len(answer.calls) == 2 and answer.calls[1][1] == pad.strokes
    assert canvas_commands[:2] == ["clear", "fillRect"] and canvas_commands.count("strokeRect") == 4


def test_a_new_stroke_wipes_the_boxes_of_the_last_answer(canvas_commands):
    pad = number_pad()
    write_2026_roughly(pad)
    pad.recognize_button.click()
    canvas_commands.clear()
    send(pad, "mouse_down", x=700, y=100)
    assert canvas_commands[:2] == ["clear", "fillRect"] and "strokeRect" not in canvas_commands
    canvas_commands.clear()
    send(pad, "mouse_move", x=720, y=150)
    assert canvas_commands == ["strokeLine"]  # drawing goes on as usual, without redrawing


def test_number_mode_refuses_a_recognise_function_it_cannot_call_or_that_answers_wrongly():
    with pytest.raises(TypeError, match="recognize_number must be a function"):
        digits.DrawingPad(number=True, recognize_number=42)
    pad = digits.DrawingPad(number=True, recognize_number=lambda image, strokes=None: "2026")
    write_2026_roughly(pad)
    pad.recognize_button.click()
    assert result_text(pad).startswith("Sorry") and "not a digits.NumberPrediction" in result_text(pad)


def test_the_default_number_function_is_digits_recognize_number():
    import inspect

    assert inspect.signature(digits.DrawingPad).parameters["recognize_number"].default is digits.recognize_number


@pytest.mark.skipif(not have_pen_strokes(), reason="the real pen strokes (*_strokes.json) are not beside the repository")
def test_a_number_written_with_real_strokes_is_read_by_the_shipped_model():
    pad = digits.DrawingPad(number=True)
    draw_with_mouse(pad, written_number("2026"))
    prediction = pad.recognize_button.click() or pad.prediction
    assert prediction.text == "2026" and len(prediction.boxes) == 4
    assert result_text(pad).startswith(f"2026 {DASH} {prediction.probability:.0%}")


# Uploading a photo


def upload(pad, name: str, data: bytes) -> None:
    """Deliver a file the way the browser's upload button sends it to the kernel (ipywidgets 8)."""
    pad.upload.set_state({"value": [{"name": name, "type": "image/png", "size": len(data),
                                     "content": memoryview(data), "last_modified": 1_700_000_000_000}]})


def encoded(image: np.ndarray, extension: str) -> bytes:
    ok, data = cv2.imencode(extension, image)
    assert ok
    return data.tobytes()


def test_an_uploaded_png_of_a_digit_is_read_and_its_ink_shown():
    spy = Spy()
    pad = digits.DrawingPad(recognize=spy)
    upload(pad, "seven.png", encoded(render_strokes(DRAWN_DIGITS[7]), ".png"))
    assert result_text(pad).startswith(f"7 {DASH} ") and pad.prediction.digit == 7
    assert len(spy.images) == 1 and spy.images[0].dtype == np.uint8  # the ink found on the photo
    shown = cv2.imdecode(np.frombuffer(bytes(pad.view.photo_view.value), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert shown.shape == (280 + 6 + 280, 280)  # the photo as read, a gap, the ink found on it
    photo, ink = shown[:280], shown[-280:]
    assert (ink < 128).sum() > 1000 and (photo < 128).sum() > 1000
    assert np.corrcoef((photo < 128).ravel(), (ink < 128).ravel())[0, 1] > 0.8  # the same pixels
    assert pad.view.photo.layout.display is None
    assert pad.upload.value == ()  # emptied, so the same file can be chosen again


@pytest.mark.skipif(not have_pen_strokes(), reason="the real pen strokes (*_strokes.json) are not beside the repository")
def test_an_uploaded_jpeg_of_a_number_is_read_with_its_digits_boxed_on_the_ink():
    pad = digits.DrawingPad(number=True)
    written = render_strokes(written_number("2026"), (280, 840), 20)
    upload(pad, "year.jpg", encoded(cv2.cvtColor(written, cv2.COLOR_GRAY2BGR), ".jpg"))
    assert result_text(pad).startswith(f"2026 {DASH} "), result_text(pad)
    shown = cv2.imdecode(np.frombuffer(bytes(pad.view.photo_view.value), np.uint8), cv2.IMREAD_COLOR)
    orange = (shown[:, :, 2] > 200) & (shown[:, :, 1] < 130) & (shown[:, :, 0] < 60)
    assert shown.shape[1] == result_view.PHOTO_VIEW
    half = (shown.shape[0] - 6) // 2
    assert orange[:half].sum() > 200 and orange[-half:].sum() > 200  # the boxes, on the photo and on the ink


@pytest.mark.parametrize("name, data, words", [
    ("notes.png", b"Dear diary, this is not a picture.\n", "notes.png: not a picture the pad can read"),
    ("empty.png", b"", "empty.png is empty"),
    ("huge.jpg", b"\xff\xd8\xff" + bytes(pad_upload.MAX_BYTES), "huge.jpg is 25 MiB, more than the 25 MiB"),
], ids=["text renamed .png", "empty file", "huge file"])
def test_an_upload_that_is_no_picture_gets_one_line_and_loses_nothing(name, data, words):
    pad = digits.DrawingPad()
    draw_with_mouse(pad, DRAWN_DIGITS[7])
    pad.recognize_button.click()
    upload(pad, name, data)
    text = result_text(pad)
    assert text.startswith(words) and "Traceback" not in pad.result.value and "\n" not in text, text
    assert "digits-not-picture" in pad.result.value and pad.prediction is None
    assert pad.strokes == tuple(tuple(stroke) for stroke in DRAWN_DIGITS[7])  # the drawing stays
    assert pad.details.layout.visibility == "hidden" and pad.view.photo.layout.display == "none"
    pad.recognize_button.click()
    assert result_text(pad).startswith(f"7 {DASH} ")  # and is read as before


def test_a_photo_of_blank_paper_says_no_writing_was_found():
    pad = number_pad()
    upload(pad, "blank.png", encoded(np.full((300, 400), 250, np.uint8), ".png"))
    assert result_text(pad).startswith("No writing found on the photo")


def test_recognize_after_an_upload_reads_the_drawing_again_and_hides_the_photo():
    pad = digits.DrawingPad()
    draw_with_mouse(pad, DRAWN_DIGITS[0])
    upload(pad, "seven.png", encoded(render_strokes(DRAWN_DIGITS[7]), ".png"))
    assert result_text(pad).startswith(f"7 {DASH} ")
    pad.recognize_button.click()
    assert result_text(pad).startswith(f"0 {DASH} ") and pad.view.photo.layout.display == "none"


def test_uploaded_file_reads_ipywidgets_8_values():
    value = ({"name": "a.png", "size": 3, "content": memoryview(b"abc")},)
    assert pad_upload.uploaded_file(value) == ("a.png", b"abc")
    with pytest.raises(pad_upload.UploadError, match="no file was uploaded"):
        pad_upload.uploaded_file(())


def test_photo_png_shrinks_the_ink_and_draws_the_boxes():
    ink = np.full((200, 1000), 255, np.uint8)
    png = pad_upload.photo_png(ink, [(100, 50, 300, 150)], width=250)
    shown = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    assert shown.shape == (50, 250, 3)
    assert tuple(shown[12, 40]) == tuple(reversed(pad_upload.BOX_COLOUR))  # the box's top-left corner, scaled
    assert tuple(shown[25, 50]) == (255, 255, 255)
