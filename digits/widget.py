"""The drawing pad: draw a digit with the mouse or a finger, press Recognize.

`DrawingPad()` is a notebook widget (an ipywidgets box) that wires three parts
together: a 280x280 ipycanvas canvas whose pointer events become strokes of a
`digits.pad_strokes.PadStrokes` (the drawing, with no widgets), the buttons
(**Recognize**, **Undo**, **Clear**, a pen-width choice and a "Recognize as I
draw" switch), and a `digits.result_view.ResultView` (the answer, the
probability bars and the 28x28 image the network saw, styled by one stylesheet
whose CSS classes that module lists).

The pad rasterises its strokes itself (`render_strokes`, the one rasteriser of
`digits.strokes`) when asked to recognize them, so it never reads pixels back
from the browser; the canvas only shows the same strokes as they are drawn.
Recognition calls the function the pad was given, `digits.recognize` unless
told otherwise: ``DrawingPad(digits.Recognizer(my_model))`` reads drawings with
a student's own network.
"""

from __future__ import annotations

import functools
import logging
from typing import Callable, Iterable, Sequence

import ipywidgets as widgets
import numpy as np
from ipycanvas import Canvas, hold_canvas

from . import strokes as strokes_module
from .pad_strokes import LINE_WIDTH, PAD_SIZE, MouseStrokes, PadStrokes, Point, Stroke, is_dot
from .preprocess import EmptyImageError
from .recognize import Prediction, recognize as shipped_recognize, shipped_recognizer
from .result_view import DOT, EMPTY, ResultView

__all__ = ["DrawingPad", "LINE_WIDTH", "MAX_SIZE", "MIN_SIZE", "PAD_SIZE", "is_dot", "render_strokes"]

_log = logging.getLogger(__name__)
_log.addHandler(logging.NullHandler())  # a library must never print on its own: no traceback reaches a student

MIN_SIZE, MAX_SIZE = 28, 2048
"""The smallest and largest canvas a `DrawingPad` can have, in pixels."""
PEN_WIDTHS = {"thin": 0.5, "medium": 1.0, "thick": 1.75}
"""The pen widths offered, as multiples of the pad's ``line_width`` (medium)."""
_PEN_TIPS = {"thin": "A thin pen", "medium": "The usual pen", "thick": "A thick pen"}
INK = "black"
PAPER = "white"


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
            self.prediction = None
            self.view.show_error(error)
            return None

    return wrapper


def _pen_choices(line_width: float, size: int) -> list[tuple[str, float]]:
    """The (name, width) pairs of `PEN_WIDTHS` for a pad whose medium pen is ``line_width``.

    Each width is kept within 1 to ``size / 2`` pixels; one that comes out as wide as the medium pen is left out.
    """
    widths = {name: float(min(max(line_width * factor, 1.0), size / 2)) for name, factor in PEN_WIDTHS.items()}
    return [(name, width) for name, width in widths.items() if name == "medium" or width != widths["medium"]]


class DrawingPad(widgets.HBox):
    """A canvas to draw a digit on, with Recognize, Undo and Clear buttons, a pen choice and the result.

    Display it by making it the last expression of a notebook cell::

        from digits import DrawingPad
        DrawingPad()

    Parameters
    ----------
    recognize : callable, optional
        Takes the drawing, a (size, size) uint8 grey image (255 paper, 0 ink), and
        returns a `digits.Prediction`; may raise `digits.EmptyImageError`.
        `digits.recognize` (the shipped model) by default; ``digits.Recognizer(model)``
        uses any Keras model.
    size : int
        Side of the canvas in pixels, `MIN_SIZE` to `MAX_SIZE`.
    line_width : float
        The medium pen's width in pixels, 1 to ``size / 2``; thin and thick are
        half and 1.75 times that (`PEN_WIDTHS`). The chosen pen draws the whole drawing.
    recognize_as_you_draw : bool
        Start with "Recognize as I draw" on: the answer follows every stroke.

    Raises ``ValueError`` for a size or pen it cannot draw with, ``TypeError``
    when ``recognize`` cannot be called.

    The same can be done from code: `add_stroke` draws, `recognize` recognizes
    (returns the `digits.Prediction`, or ``None`` when there is nothing to
    recognize or it failed), `undo` removes the last stroke, `clear` starts over,
    `image` is the picture that is recognized.
    """

    def __init__(
        self,
        recognize: Callable[[np.ndarray], Prediction] = shipped_recognize,
        size: int = PAD_SIZE,
        line_width: float = LINE_WIDTH,
        recognize_as_you_draw: bool = False,
    ):
        if not callable(recognize):
            raise TypeError(
                "recognize must be a function that takes a picture and returns a digits.Prediction, such as "
                f"digits.recognize or digits.Recognizer(model); got {recognize!r}"
            )
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not MIN_SIZE <= size <= MAX_SIZE:
            raise ValueError(f"size must be a whole number of pixels from {MIN_SIZE} to {MAX_SIZE}, got {size!r}")
        if isinstance(line_width, bool) or not isinstance(line_width, (int, float, np.number)) or not (
            1 <= line_width <= size / 2
        ):
            raise ValueError(f"line_width must be from 1 to half the size ({size / 2:g}) pixels, got {line_width!r}")
        self.size = int(size)
        self._recognize = recognize
        self._drawing = PadStrokes(self.size)
        self._mouse = MouseStrokes(self._drawing)
        self.prediction: Prediction | None = None
        """The last result, or ``None`` when there is none."""

        self.canvas = Canvas(width=self.size, height=self.size)
        self.canvas.layout = widgets.Layout(width=f"{self.size}px", height=f"{self.size}px")
        self.canvas.add_class("digits-pad")
        frame = widgets.Box([self.canvas])
        frame.add_class("digits-frame")

        self.recognize_button = widgets.Button(
            description="Recognize", button_style="primary", tooltip="Recognize the digit you drew", icon="search"
        )
        self.recognize_button.add_class("digits-recognize")
        self.undo_button = widgets.Button(description="Undo", tooltip="Remove the last stroke", icon="undo")
        self.undo_button.add_class("digits-undo")
        self.clear_button = widgets.Button(description="Clear", tooltip="Start again with an empty pad", icon="eraser")
        self.clear_button.add_class("digits-clear")
        pens = _pen_choices(float(line_width), self.size)
        self.pen = widgets.ToggleButtons(
            options=pens, value=float(line_width), tooltips=[_PEN_TIPS[name] for name, _ in pens],
            style={"button_width": "auto"}, layout=widgets.Layout(width="auto"),
        )
        self.pen.add_class("digits-pen")
        pen_row = widgets.HBox([widgets.Label("Pen:"), self.pen], layout=widgets.Layout(align_items="center"))
        self.live = widgets.Checkbox(value=bool(recognize_as_you_draw), description="Recognize as I draw", indent=False)
        self.live.add_class("digits-live")
        self.view = ResultView(layout=widgets.Layout(flex="1 1 320px", min_width="0"))

        # The canvas column never shrinks (a squeezed canvas would be clipped and its buttons cut
        # to "Reco..."); where there is no room beside it, the results wrap below it.
        for button in (self.recognize_button, self.undo_button, self.clear_button):
            button.layout = widgets.Layout(width="auto", flex="0 0 auto")
        buttons = widgets.HBox([self.recognize_button, self.undo_button, self.clear_button],
                               layout=widgets.Layout(flex_flow="row wrap"))
        left = widgets.VBox(
            [frame, buttons, pen_row, self.live],
            layout=widgets.Layout(margin="0 24px 8px 0", flex="0 0 auto", min_width=f"{self.size + 4}px"),
        )
        super().__init__([left, self.view], layout=widgets.Layout(padding="10px", flex_flow="row wrap",
                                                                   align_items="flex-start"))
        self.add_class("digits-drawing-pad")

        self.canvas.on_mouse_down(self._on_mouse_down)
        self.canvas.on_mouse_move(self._on_mouse_move)
        self.canvas.on_mouse_up(self._on_mouse_up)
        self.canvas.on_mouse_out(self._on_mouse_out)
        self.canvas.on_touch_start(self._on_touch_start)
        self.canvas.on_touch_move(self._on_touch_move)
        self.canvas.on_touch_end(self._on_touch_end)
        self.canvas.on_touch_cancel(self._on_touch_end)
        self.canvas.on_client_ready(self._on_client_ready)
        self.recognize_button.on_click(self._on_recognize_clicked)
        self.undo_button.on_click(self._on_undo_clicked)
        self.clear_button.on_click(self._on_clear_clicked)
        self.live.observe(self._on_live_changed, names="value")
        self.pen.observe(self._on_pen_changed, names="value")

        self._redraw()
        self._warm_up()

    # The result view's parts, by their old names

    @property
    def result(self) -> widgets.HTML:
        """The result line (``digits-result``)."""
        return self.view.result

    @property
    def chart(self) -> widgets.HTML:
        """The probability bars (``digits-chart``)."""
        return self.view.chart

    @property
    def network_view(self) -> widgets.Image:
        """The 28x28 image the network saw, enlarged (``digits-network-view``)."""
        return self.view.network_view

    @property
    def details(self) -> widgets.HBox:
        """The bars and the network's picture, hidden while a message shows (``digits-details``)."""
        return self.view.details

    # What was drawn

    @property
    def line_width(self) -> float:
        """The width of the pen, in canvas pixels (the pen choice's value)."""
        return float(self.pen.value)

    @property
    def strokes(self) -> tuple[Stroke, ...]:
        """Every finished stroke, as ``(x, y)`` points in canvas pixels."""
        return self._drawing.strokes

    def image(self) -> np.ndarray:
        """The drawing as a (size, size) uint8 grey image, black ink on white."""
        return self._drawing.image(self.line_width)

    def add_stroke(self, points: Iterable[Point]) -> None:
        """Draw one stroke through ``points`` (canvas pixels), as if drawn by hand."""
        self._mouse.finish()
        stroke = self._drawing.add(points)
        if stroke:
            self._paint([stroke])

    # Actions

    def recognize(self) -> Prediction | None:
        """Recognize the drawing and show the result.

        Returns the `digits.Prediction`, or ``None`` when the pad is empty, holds
        only a dot, or recognition failed (the pad then says so instead of the digit).
        """
        self.prediction = None
        if self._drawing.is_dot(self.line_width):
            self.view.show_message(DOT, "digits-dot")
            return None
        try:
            prediction = self._recognize(self.image())
            if not isinstance(prediction, Prediction):
                raise TypeError(f"the recognize function returned {type(prediction).__name__}, not a digits.Prediction")
        except EmptyImageError:
            self.view.show_message(EMPTY, "digits-empty")
            return None
        except Exception as error:  # noqa: BLE001 - shown as a short message, logged in full
            _log.debug("drawing pad: recognition failed", exc_info=True)
            self.view.show_error(error)
            return None
        self.prediction = prediction
        self.view.show_prediction(prediction)
        return prediction

    def undo(self) -> None:
        """Remove the last stroke and redraw the canvas.

        The answer follows the drawing: it is recognized again when an answer was
        on show or "Recognize as I draw" is on, and a pad left empty asks for a drawing.
        """
        self._mouse.finish()
        if self._drawing.undo() is not None:
            self._redraw()
            self._drawing_changed()

    def clear(self) -> None:
        """Erase the drawing and the result."""
        self._drawing.clear()
        self._mouse.finish()
        self.prediction = None
        self._redraw()
        self.view.show_prompt()

    def _drawing_changed(self) -> None:
        """After Undo or a new pen: an empty pad asks for a drawing; an answer on show, or live mode, is renewed."""
        if not len(self._drawing):
            self.prediction = None
            self.view.show_prompt()
        elif self.live.value or self.prediction is not None:
            self.recognize()

    # Pointer events (mouse and touch), as ipycanvas delivers them

    @_safely
    def _on_mouse_down(self, x: float, y: float) -> None:
        self._paint(self._mouse.press(x, y))

    @_safely
    def _on_mouse_move(self, x: float, y: float) -> None:
        self._paint(self._mouse.move(x, y))

    @_safely
    def _on_mouse_up(self, x: float, y: float) -> None:
        finished = len(self._drawing.strokes)
        self._paint(self._mouse.release(x, y))
        if len(self._drawing.strokes) > finished:
            self._stroke_finished()

    @_safely
    def _on_mouse_out(self, x: float, y: float) -> None:
        self._paint(self._mouse.leave(x, y))

    @_safely
    def _on_touch_start(self, touches: list[Point]) -> None:
        if touches:
            self._paint(self._mouse.press(*touches[0]))

    @_safely
    def _on_touch_move(self, touches: list[Point]) -> None:
        if touches:  # a finger is followed even off the canvas, so the stroke never has to wait
            self._paint(self._mouse.move(*touches[0]))

    @_safely
    def _on_touch_end(self, touches: list[Point]) -> None:
        # The event lists the fingers still down, so the stroke ends where it last moved.
        if self._drawing.end() is not None:
            self._stroke_finished()
        self._mouse.finish()

    @_safely
    def _on_client_ready(self) -> None:
        self._redraw()

    @_safely
    def _on_recognize_clicked(self, _button) -> None:
        self.recognize()

    @_safely
    def _on_undo_clicked(self, _button) -> None:
        self.undo()

    @_safely
    def _on_clear_clicked(self, _button) -> None:
        self.clear()

    @_safely
    def _on_live_changed(self, change) -> None:
        if change["new"] and len(self._drawing):
            self.recognize()

    @_safely
    def _on_pen_changed(self, _change) -> None:
        self._redraw()
        self._drawing_changed()

    def _stroke_finished(self) -> None:
        if self.live.value:
            self.recognize()

    # Painting the canvas

    def _set_pen(self) -> None:
        self.canvas.stroke_style = INK
        self.canvas.fill_style = INK
        self.canvas.line_width = self.line_width
        self.canvas.line_cap = "round"
        self.canvas.line_join = "round"

    def _paint(self, pieces: Sequence[Stroke]) -> None:
        """Paint pieces of ink: a dot, a segment, or a whole stroke."""
        if not pieces:
            return
        with hold_canvas():
            for piece in pieces:
                if len(piece) == 2:
                    self.canvas.stroke_line(*piece[0], *piece[1])
                    continue
                x, y = piece[0]
                self.canvas.fill_circle(x, y, self.line_width / 2)
                if len(piece) > 2:
                    self.canvas.stroke_lines(np.asarray(piece, np.float64))  # an array: sent as a binary buffer

    def _redraw(self) -> None:
        """Paint the paper and every stroke again (after Undo, Clear or a new pen, or for a new browser view)."""
        with hold_canvas():
            self.canvas.clear()
            self.canvas.fill_style = PAPER
            self.canvas.fill_rect(0, 0, self.size, self.size)
            self._set_pen()
            for stroke in self._drawing.all_strokes():
                x, y = stroke[0]
                self.canvas.fill_circle(x, y, self.line_width / 2)
                if len(stroke) > 1:
                    self.canvas.stroke_lines(np.asarray(stroke, np.float64))

    def _warm_up(self) -> None:
        """Load the network and run it once now, so the first Recognize is instant.

        Done for the shipped model and for a `digits.Recognizer`; another function is first run at the first Recognize.
        """
        recognizer = shipped_recognizer if self._recognize is shipped_recognize else lambda: self._recognize
        try:
            predict = getattr(recognizer(), "predict_mnist", None)
            if predict is not None:
                predict(np.zeros((1, 28, 28), np.float32))
        except Exception:  # noqa: BLE001 - Recognize will report it, briefly
            _log.warning("drawing pad: could not load the model in advance", exc_info=True)
