"""The drawing pad: draw a digit with the mouse or a finger, press Recognize.

`DrawingPad()` is a notebook widget (an ipywidgets box) holding a 280x280
ipycanvas canvas, the **Recognize** and **Clear** buttons, a "recognize as I
draw" switch, and the result: the digit, large, with its probability, a bar
chart of all ten probabilities and the 28x28 image the network saw.

The pad keeps every stroke in Python as a list of points and rasterises the
strokes itself (`render_strokes`, the one rasteriser of `digits.strokes`) when asked to recognize them, so
it never has to read pixels back from the browser (ipycanvas syncs image data
asynchronously, and an empty canvas is transparent). The canvas in the browser
only shows the same strokes as they are drawn. Recognition goes through
`digits.recognize`, the call everything else in the course uses.

CSS classes for tests and for restyling: ``digits-pad`` (the canvas),
``digits-recognize`` and ``digits-clear`` (the buttons), ``digits-result``
(the result, whose text starts with the digit, e.g. ``8 — 97%``).
"""

from __future__ import annotations

import functools
import html
import logging
import math
from typing import Iterable, Sequence

import cv2
import ipywidgets as widgets
import numpy as np
from ipycanvas import Canvas, hold_canvas

import digits
from digits import strokes as strokes_module

_log = logging.getLogger(__name__)
_log.addHandler(logging.NullHandler())  # a library must never print on its own: no traceback reaches a student

MIN_SIZE, MAX_SIZE = 28, 2048
"""The smallest and largest canvas a `DrawingPad` can have, in pixels."""
PAD_SIZE = 280
"""Side of the canvas in pixels: 10x an MNIST image."""
LINE_WIDTH = 20
"""Stroke width in canvas pixels.

MNIST strokes are 1.6-3.9 pixels wide (median 2.4) on a digit scaled into a
20-pixel box. A digit drawn 150-220 pixels tall on the pad with 20-pixel strokes
comes out 1.8-2.7 pixels wide at that scale: MNIST-like (and `digits.to_mnist`
brings outliers into MNIST's range anyway).
"""
INK = "black"
PAPER = "white"

_NETWORK_VIEW = 112
"""Side, in screen pixels, of the picture of the 28x28 image the network saw."""

Point = tuple[float, float]

_PROMPT = "Draw a digit, then press <b>Recognize</b>."
_EMPTY = "Draw a digit first: the pad is empty."
_DOT = "That is only a dot. Draw a whole digit, large, across most of the pad."


def is_dot(strokes: Iterable[Sequence[Point]], width: float = LINE_WIDTH) -> bool:
    """Whether strokes drawn with a pen ``width`` wide make only a dot, not a digit.

    True when every point lies within one pen width of the others both ways (the
    ink is at most two pen widths across): a click, a tap or a tiny wiggle, which
    the network would otherwise read, confidently, as a 0.
    """
    points = np.array([point for stroke in strokes for point in stroke], dtype=np.float64).reshape(-1, 2)
    return points.size > 0 and bool(np.ptp(points, axis=0).max() <= width)


def render_strokes(strokes: Iterable[Sequence[Point]], size: int = PAD_SIZE, width: float = LINE_WIDTH) -> np.ndarray:
    """Draw strokes the way the pad shows them: `digits.strokes.render_strokes` with the pad's size and pen.

    ``strokes``: sequences of ``(x, y)`` points in pad pixels (a single point
    is a dot). Returns a (size, size) uint8 grey image, 255 = paper, 0 = ink,
    anti-aliased: the same rasteriser training and the benchmark draw real pen strokes with.
    """
    return strokes_module.render_strokes(strokes, size, width)


def _safely(handler):
    """Wrap an event handler so an error shows a short message instead of a traceback."""

    @functools.wraps(handler)
    def wrapper(self, *args, **kwargs):
        try:
            return handler(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - the student must never see a traceback
            # At debug level: a student's logging.basicConfig() must not print a traceback under the cell.
            _log.debug("drawing pad: %s failed", handler.__name__, exc_info=True)
            self._show_error(error)
            return None

    return wrapper


class DrawingPad(widgets.HBox):
    """A canvas to draw a digit on, with Recognize and Clear buttons and the result.

    Display it by making it the last expression of a notebook cell::

        from digits import DrawingPad
        DrawingPad()

    The same can be done from code: `add_stroke` draws, `recognize` recognizes
    (returns the `digits.Prediction`, or ``None`` when there is nothing to
    recognize or it failed), `clear` starts over, `image` is the picture that is
    recognized.
    """

    def __init__(self, size: int = PAD_SIZE, line_width: float = LINE_WIDTH, recognize_as_you_draw: bool = False):
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not MIN_SIZE <= size <= MAX_SIZE:
            raise ValueError(f"size must be a whole number of pixels from {MIN_SIZE} to {MAX_SIZE}, got {size!r}")
        if isinstance(line_width, bool) or not isinstance(line_width, (int, float, np.number)) or not (
            1 <= line_width <= size / 2
        ):
            raise ValueError(f"line_width must be from 1 to half the size ({size / 2:g}) pixels, got {line_width!r}")
        self.size = int(size)
        self.line_width = float(line_width)
        self._strokes: list[list[Point]] = []
        self._current: list[Point] | None = None
        self.prediction: digits.Prediction | None = None
        """The last result, or ``None`` when there is none."""

        self.canvas = Canvas(width=self.size, height=self.size)
        self.canvas.layout = widgets.Layout(width=f"{self.size}px", height=f"{self.size}px")
        self.canvas.add_class("digits-pad")
        frame = widgets.Box([self.canvas], layout=widgets.Layout(border="2px solid #777", width="fit-content"))

        self.recognize_button = widgets.Button(
            description="Recognize", button_style="primary", tooltip="Recognize the digit you drew", icon="search"
        )
        self.recognize_button.add_class("digits-recognize")
        self.clear_button = widgets.Button(description="Clear", tooltip="Start again with an empty pad", icon="eraser")
        self.clear_button.add_class("digits-clear")
        self.live = widgets.Checkbox(value=bool(recognize_as_you_draw), description="Recognize as I draw", indent=False)
        self.live.add_class("digits-live")

        self.result = widgets.HTML()
        self.result.add_class("digits-result")
        self.chart = widgets.HTML()
        self.chart.add_class("digits-chart")
        self.network_view = widgets.Image(format="png", width=_NETWORK_VIEW, height=_NETWORK_VIEW)
        self.network_view.layout = widgets.Layout(border="1px solid #777", width=f"{_NETWORK_VIEW + 2}px")
        self.network_view.add_class("digits-network-view")
        seen = widgets.VBox(
            [widgets.HTML("<b>What the network saw</b> (28&times;28)"), self.network_view],
            layout=widgets.Layout(margin="0 0 0 16px"),
        )
        self.details = widgets.HBox([self.chart, seen])
        self.details.add_class("digits-details")

        # The canvas column never shrinks (a squeezed canvas would be clipped and its buttons cut
        # to "Reco..."); where there is no room beside it, the results wrap below it.
        for button in (self.recognize_button, self.clear_button):
            button.layout = widgets.Layout(width="auto", flex="0 0 auto")
        left = widgets.VBox(
            [frame, widgets.HBox([self.recognize_button, self.clear_button]), self.live],
            layout=widgets.Layout(margin="0 24px 8px 0", flex="0 0 auto", min_width=f"{self.size + 4}px"),
        )
        right = widgets.VBox([self.result, self.details], layout=widgets.Layout(flex="1 1 320px", min_width="0"))
        super().__init__([left, right], layout=widgets.Layout(padding="10px", flex_flow="row wrap",
                                                              align_items="flex-start"))
        self.add_class("digits-drawing-pad")

        self.canvas.on_mouse_down(self._on_mouse_down)
        self.canvas.on_mouse_move(self._on_mouse_move)
        self.canvas.on_mouse_up(self._on_mouse_up)
        self.canvas.on_mouse_out(self._on_mouse_up)
        self.canvas.on_touch_start(self._on_touch_start)
        self.canvas.on_touch_move(self._on_touch_move)
        self.canvas.on_touch_end(self._on_touch_end)
        self.canvas.on_touch_cancel(self._on_touch_end)
        self.canvas.on_client_ready(self._on_client_ready)
        self.recognize_button.on_click(self._on_recognize_clicked)
        self.clear_button.on_click(self._on_clear_clicked)
        self.live.observe(self._on_live_changed, names="value")

        self._set_pen()
        self._show_prompt()
        self._redraw()
        self._warm_up()

    # What was drawn

    @property
    def strokes(self) -> tuple[tuple[Point, ...], ...]:
        """Every finished stroke, as ``(x, y)`` points in canvas pixels."""
        return tuple(tuple(stroke) for stroke in self._strokes)

    def image(self) -> np.ndarray:
        """The drawing as a (size, size) uint8 grey image, black ink on white."""
        return render_strokes(self._all_strokes(), self.size, self.line_width)

    def _all_strokes(self) -> list[list[Point]]:
        """The finished strokes and the one being drawn, if any."""
        return self._strokes + ([self._current] if self._current else [])

    def add_stroke(self, points: Iterable[Point]) -> None:
        """Draw one stroke through ``points`` (canvas pixels), as if drawn by hand."""
        points = [point for point in (self._on_pad(x, y) for x, y in points) if point is not None]
        if not points:
            return
        self._start_stroke(*points[0])
        for x, y in points[1:]:
            self._extend_stroke(x, y)
        self._end_stroke()

    # Actions

    def recognize(self) -> digits.Prediction | None:
        """Recognize the drawing and show the result.

        Returns the `digits.Prediction`, or ``None`` when the pad is empty, holds
        only a dot, or recognition failed (the pad then says so instead of the digit).
        """
        if is_dot(self._all_strokes(), self.line_width):
            self.prediction = None
            self._show_message(_DOT, css_class="digits-dot")
            return None
        try:
            prediction = digits.recognize(self.image())
        except digits.EmptyImageError:
            self.prediction = None
            self._show_message(_EMPTY, css_class="digits-empty")
            return None
        except Exception as error:  # noqa: BLE001 - shown as a short message, logged in full
            _log.debug("drawing pad: recognition failed", exc_info=True)
            self._show_error(error)
            return None
        self.prediction = prediction
        self._show_prediction(prediction)
        return prediction

    def clear(self) -> None:
        """Erase the drawing and the result."""
        self._strokes.clear()
        self._current = None
        self.prediction = None
        self._redraw()
        self._show_prompt()

    # Pointer events (mouse and touch), as ipycanvas delivers them

    @_safely
    def _on_mouse_down(self, x: float, y: float) -> None:
        self._start_stroke(x, y)

    @_safely
    def _on_mouse_move(self, x: float, y: float) -> None:
        if self._current is not None:
            self._extend_stroke(x, y)

    @_safely
    def _on_mouse_up(self, x: float, y: float) -> None:
        if self._current is not None:
            self._extend_stroke(x, y)
            self._finish_stroke_and_maybe_recognize()

    @_safely
    def _on_touch_start(self, touches: list[Point]) -> None:
        if touches:
            self._start_stroke(*touches[0])

    @_safely
    def _on_touch_move(self, touches: list[Point]) -> None:
        if touches and self._current is not None:
            self._extend_stroke(*touches[0])

    @_safely
    def _on_touch_end(self, touches: list[Point]) -> None:
        # The event lists the fingers still down, so the stroke ends where it last moved.
        if self._current is not None:
            self._finish_stroke_and_maybe_recognize()

    @_safely
    def _on_client_ready(self) -> None:
        self._set_pen()
        self._redraw()

    @_safely
    def _on_recognize_clicked(self, _button) -> None:
        self.recognize()

    @_safely
    def _on_clear_clicked(self, _button) -> None:
        self.clear()

    @_safely
    def _on_live_changed(self, change) -> None:
        if change["new"] and self._strokes:
            self.recognize()

    # Strokes

    def _on_pad(self, x, y) -> Point | None:
        """A point the pointer reported, as floats kept within a pad's width of the canvas; None if not a number."""
        try:
            x, y = float(x), float(y)
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        reach = float(self.size)
        return min(max(x, -reach), 2 * reach), min(max(y, -reach), 2 * reach)

    def _start_stroke(self, x: float, y: float) -> None:
        point = self._on_pad(x, y)
        if point is None:
            return
        x, y = point
        if self._current:
            self._end_stroke()
        self._current = [(x, y)]
        with hold_canvas():
            self.canvas.fill_circle(x, y, self.line_width / 2)

    def _extend_stroke(self, x: float, y: float) -> None:
        point = self._on_pad(x, y)
        if point is None:
            return
        if self._current is None:
            self._current = [point]
            return
        x, y = point
        last_x, last_y = self._current[-1]
        if math.hypot(x - last_x, y - last_y) < 1.0:
            return
        self._current.append((x, y))
        with hold_canvas():
            self.canvas.stroke_line(last_x, last_y, x, y)

    def _end_stroke(self) -> None:
        if self._current:
            self._strokes.append(self._current)
        self._current = None

    def _finish_stroke_and_maybe_recognize(self) -> None:
        self._end_stroke()
        if self.live.value:
            self.recognize()

    # Showing things

    def _set_pen(self) -> None:
        with hold_canvas():
            self.canvas.stroke_style = INK
            self.canvas.fill_style = INK
            self.canvas.line_width = self.line_width
            self.canvas.line_cap = "round"
            self.canvas.line_join = "round"

    def _redraw(self) -> None:
        """Paint the paper and every stroke again (after Clear, or for a new browser view)."""
        with hold_canvas():
            self.canvas.clear()
            self.canvas.fill_style = PAPER
            self.canvas.fill_rect(0, 0, self.size, self.size)
            self.canvas.fill_style = INK
            for stroke in self._strokes + ([self._current] if self._current else []):
                x, y = stroke[0]
                self.canvas.fill_circle(x, y, self.line_width / 2)
                if len(stroke) > 1:
                    self.canvas.stroke_lines(stroke)

    def _show_message(self, text: str, css_class: str) -> None:
        self.result.value = f'<div class="{css_class}" style="font-size: 1.4em; padding: 8px 0">{text}</div>'
        self.chart.value = ""
        self.network_view.value = b""
        self.details.layout.visibility = "hidden"

    def _show_prompt(self) -> None:
        self._show_message(_PROMPT, css_class="digits-prompt")

    def _show_error(self, error: Exception) -> None:
        self.prediction = None
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if len(detail) > 120 and not isinstance(error, digits.ModelLoadError):  # those are written for people: all of it
            detail = detail[:118].rsplit(" ", 1)[0] + " \N{HORIZONTAL ELLIPSIS}"
        self._show_message(
            f"Sorry, that did not work: {html.escape(detail)}<br><small>Press <b>Clear</b> and try again.</small>",
            css_class="digits-error",
        )

    def _show_prediction(self, prediction: digits.Prediction) -> None:
        unsure = prediction.unsure
        runner_up = int(np.argsort(prediction.probabilities)[-2])
        note = (
            f"Not sure: a {prediction.digit}, or maybe a {runner_up}? Try drawing it bigger and more clearly."
            if unsure
            else "The network is sure."
        )
        colour = "#b36b00" if unsure else "inherit"
        self.result.value = (
            f'<span class="digits-digit" style="font-size: 5em; font-weight: bold; line-height: 1; color: {colour}">'
            f"{prediction.digit}</span>"
            f'<span class="digits-probability" style="font-size: 2em"> \N{EM DASH} {prediction.probability:.0%}</span>'
            f'<div class="{"digits-unsure" if unsure else "digits-sure"}" style="padding: 4px 0 8px">{note}</div>'
        )
        self.chart.value = _bar_chart(prediction.probabilities, prediction.digit)
        self.network_view.value = _png(prediction.image, _NETWORK_VIEW)
        self.details.layout.visibility = "visible"

    def _warm_up(self) -> None:
        """Load the model and run it once now, so the first Recognize is instant."""
        try:
            from .recognize import shipped_recognizer

            shipped_recognizer().predict_mnist(np.zeros((1, 28, 28), np.float32))
        except Exception:  # noqa: BLE001 - Recognize will report it, briefly
            _log.warning("drawing pad: could not load the model in advance", exc_info=True)


def _bar_chart(probabilities: Sequence[float], best: int) -> str:
    """An HTML bar chart of the ten probabilities, the best one highlighted."""
    rows = []
    for digit, probability in enumerate(probabilities):
        colour = "#1976d2" if digit == best else "#9e9e9e"
        rows.append(
            "<tr>"
            f'<td style="text-align: right; padding: 0 6px; font-weight: bold">{digit}</td>'
            '<td style="width: 160px; padding: 1px 0"><div style="background: #eee; height: 14px">'
            f'<div style="background: {colour}; width: {100 * probability:.1f}%; height: 14px"></div></div></td>'
            f'<td style="text-align: right; padding: 0 6px; font-variant-numeric: tabular-nums">{probability:.0%}</td>'
            "</tr>"
        )
    return (
        '<div class="digits-bars"><b>Probability of each digit</b>'
        '<table style="border-collapse: collapse; margin-top: 4px">'
        '<tr><th style="font-weight: normal; font-size: 0.85em">digit</th>'
        '<th style="font-weight: normal; font-size: 0.85em">probability</th><th></th></tr>'
        + "".join(rows)
        + "</table></div>"
    )


def _png(mnist: np.ndarray, side: int) -> bytes:
    """A (28, 28) float image in [0, 1] as PNG bytes, enlarged with square pixels."""
    pixels = np.clip(np.asarray(mnist, np.float32) * 255.0, 0, 255).astype(np.uint8)
    big = cv2.resize(pixels, (side, side), interpolation=cv2.INTER_NEAREST)
    ok, encoded = cv2.imencode(".png", big)
    if not ok:  # pragma: no cover - OpenCV always encodes a grey uint8 image
        raise ValueError("could not encode the network's image as PNG")
    return encoded.tobytes()
