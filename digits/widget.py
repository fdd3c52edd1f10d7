"""The drawing pad: draw a digit (or write a number) with the mouse or a finger, press Recognize.

`DrawingPad()` is a notebook widget (an ipywidgets box) that wires three parts
together: a 280x280 ipycanvas canvas whose pointer events become strokes of a
`digits.pad_strokes.PadStrokes` (the drawing, with no widgets), the buttons
(**Recognize**, **Undo**, **Clear**, **Photo** to upload a picture, a pen-width
choice and a "Recognize as I draw" switch), and a `digits.result_view.ResultView`
(the answer, the probability bars and the 28x28 image the network saw, styled by
one stylesheet whose CSS classes that module lists).

``DrawingPad(number=True)`` is the number mode: a canvas three times as wide
(840x280), read by `digits.recognize_number` with the pad's strokes; each digit
gets a box on the canvas with its reading and probability, and the result is
the whole number. An uploaded photo goes through `digits.ink_from_photo` and
then the same recognise function as a drawing (`digits.pad_upload` reads the
upload button's file).

The pad rasterises its strokes itself (`render_strokes`, the one rasteriser of
`digits.strokes`) when asked to recognize them, so it never reads pixels back
from the browser; the canvas only shows the same strokes as they are drawn.
Recognition calls the function the pad was given, `digits.recognize` unless
told otherwise: ``DrawingPad(digits.Recognizer(my_model))`` reads drawings with
a student's own network.
"""

from __future__ import annotations

import functools
import html
import logging
from typing import Callable, Iterable, Sequence

import ipywidgets as widgets
import numpy as np
from ipycanvas import Canvas, hold_canvas

from . import segment, strokes as strokes_module
from .numbers import NumberPrediction, recognize_number as shipped_recognize_number
from .pad_strokes import LINE_WIDTH, PAD_SIZE, MouseStrokes, PadStrokes, Point, Stroke, is_dot
from .pad_upload import ACCEPT, BOX_COLOUR, UploadError, photo_png, uploaded_file
from .photos import NotAPictureError, ink_from_photo
from .preprocess import EmptyImageError
from .recognize import Prediction, recognize as shipped_recognize, shipped_recognizer
from .result_view import DOT, EMPTY, NO_WRITING, NOT_A_PICTURE, NUMBER_DOT, NUMBER_EMPTY, PHOTO_VIEW, ResultView

__all__ = ["DrawingPad", "LINE_WIDTH", "MAX_SIZE", "MIN_SIZE", "NUMBER_WIDTH", "PAD_SIZE", "is_dot",
           "render_strokes"]

_log = logging.getLogger(__name__)
_log.addHandler(logging.NullHandler())  # a library must never print on its own: no traceback reaches a student

MIN_SIZE, MAX_SIZE = 28, 2048
"""The smallest and largest canvas a `DrawingPad` can have, in pixels."""
PEN_WIDTHS = {"thin": 0.5, "medium": 1.0, "thick": 1.75}
"""The pen widths offered, as multiples of the pad's ``line_width`` (medium)."""
_PEN_TIPS = {"thin": "A thin pen", "medium": "The usual pen", "thick": "A thick pen"}
NUMBER_WIDTH = 3
"""In number mode the canvas is this many times as wide as it is high (840x280 at the usual size)."""
INK = "black"
PAPER = "white"
BOX = "rgb({}, {}, {})".format(*BOX_COLOUR)
"""The colour of the digit boxes and their labels on the canvas: not ink (black) and not paper."""
BOX_LINE = 3
"""Width of a digit box's lines on the canvas, in pixels."""


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
    """A canvas to draw a digit (or a number) on, with Recognize, Undo, Clear and Photo buttons, a pen choice
    and the result.

    Display it by making it the last expression of a notebook cell::

        from digits import DrawingPad
        DrawingPad()             # one digit
        DrawingPad(number=True)  # a whole number, on a wide canvas

    Parameters
    ----------
    recognize : callable, optional
        Takes the drawing, a (size, size) uint8 grey image (255 paper, 0 ink), and
        returns a `digits.Prediction`; may raise `digits.EmptyImageError`.
        `digits.recognize` (the shipped model) by default; ``digits.Recognizer(model)``
        uses any Keras model.
    size : int
        Side of the canvas in pixels, `MIN_SIZE` to `MAX_SIZE`; in number mode its
        height (it is `NUMBER_WIDTH` times as wide).
    line_width : float
        The medium pen's width in pixels, 1 to ``size / 2``; thin and thick are
        half and 1.75 times that (`PEN_WIDTHS`). The chosen pen draws the whole drawing.
    recognize_as_you_draw : bool
        Start with "Recognize as I draw" on: the answer follows every stroke.
    number : bool
        Number mode: a wide canvas for a whole number, read by ``recognize_number``;
        each digit is boxed on the canvas with its reading and probability.
    recognize_number : callable, optional
        Number mode's recognise function: takes the drawing, a (height, width)
        uint8 grey image, and the keyword ``strokes`` (the pad's strokes, in canvas
        pixels, or ``None`` for a photo), and returns a `digits.NumberPrediction`;
        may raise `digits.EmptyImageError`. `digits.recognize_number` by default.

    Raises ``ValueError`` for a size or pen it cannot draw with, ``TypeError``
    when ``recognize`` or ``recognize_number`` cannot be called.

    The same can be done from code: `add_stroke` draws, `recognize` recognizes
    (returns the `digits.Prediction`, in number mode the `digits.NumberPrediction`,
    or ``None`` when there is nothing to recognize or it failed), `undo` removes
    the last stroke, `clear` starts over, `image` is the picture that is
    recognized, `recognize_photo` reads a photo (as the Photo button does).
    """

    def __init__(
        self,
        recognize: Callable[[np.ndarray], Prediction] = shipped_recognize,
        size: int = PAD_SIZE,
        line_width: float = LINE_WIDTH,
        recognize_as_you_draw: bool = False,
        number: bool = False,
        recognize_number: Callable[..., NumberPrediction] = shipped_recognize_number,
    ):
        if not callable(recognize):
            raise TypeError(
                "recognize must be a function that takes a picture and returns a digits.Prediction, such as "
                f"digits.recognize or digits.Recognizer(model); got {recognize!r}"
            )
        if not callable(recognize_number):
            raise TypeError(
                "recognize_number must be a function that takes a picture and strokes and returns a "
                f"digits.NumberPrediction, such as digits.recognize_number; got {recognize_number!r}"
            )
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not MIN_SIZE <= size <= MAX_SIZE:
            raise ValueError(f"size must be a whole number of pixels from {MIN_SIZE} to {MAX_SIZE}, got {size!r}")
        if isinstance(line_width, bool) or not isinstance(line_width, (int, float, np.number)) or not (
            1 <= line_width <= size / 2
        ):
            raise ValueError(f"line_width must be from 1 to half the size ({size / 2:g}) pixels, got {line_width!r}")
        self.size = int(size)
        self.number = bool(number)
        if self.number:
            segment.warm_up()  # now, as the cell runs, rather than at the first Recognize
        self.width = self.size * (NUMBER_WIDTH if self.number else 1)
        """The canvas's width in pixels (its height is `size`)."""
        self._recognize = recognize
        self._recognize_number = recognize_number
        self._drawing = PadStrokes(self.width, self.size)
        self._mouse = MouseStrokes(self._drawing)
        self._boxes_on_canvas = False
        self.prediction: Prediction | NumberPrediction | None = None
        """The last result (a `digits.NumberPrediction` in number mode), or ``None`` when there is none."""

        self.canvas = Canvas(width=self.width, height=self.size)
        # The canvas never shrinks: a wide one scrolls sideways inside its frame where the window is narrower.
        self.canvas.layout = widgets.Layout(width=f"{self.width}px", height=f"{self.size}px",
                                            min_width=f"{self.width}px", flex="0 0 auto")
        self.canvas.add_class("digits-pad")
        frame = widgets.Box([self.canvas], layout=widgets.Layout(max_width="100%", overflow="auto hidden"))
        frame.add_class("digits-frame")

        self.recognize_button = widgets.Button(
            description="Recognize", button_style="primary", icon="search",
            tooltip="Recognize the number you wrote" if self.number else "Recognize the digit you drew",
        )
        self.recognize_button.add_class("digits-recognize")
        self.undo_button = widgets.Button(description="Undo", tooltip="Remove the last stroke", icon="undo")
        self.undo_button.add_class("digits-undo")
        self.clear_button = widgets.Button(description="Clear", tooltip="Start again with an empty pad", icon="eraser")
        self.clear_button.add_class("digits-clear")
        self.upload = widgets.FileUpload(accept=ACCEPT, multiple=False, description="Photo", icon="camera",
                                         tooltip="Read a photo of a digit or a number on paper (PNG or JPEG)")
        self.upload.add_class("digits-upload")
        pens = _pen_choices(float(line_width), self.size)
        self.pen = widgets.ToggleButtons(
            options=pens, value=float(line_width), tooltips=[_PEN_TIPS[name] for name, _ in pens],
            style={"button_width": "auto"}, layout=widgets.Layout(width="auto"),
        )
        self.pen.add_class("digits-pen")
        pen_row = widgets.HBox([widgets.Label("Pen:"), self.pen], layout=widgets.Layout(align_items="center"))
        self.live = widgets.Checkbox(value=bool(recognize_as_you_draw), description="Recognize as I draw", indent=False)
        self.live.add_class("digits-live")
        self.view = ResultView(number=self.number, layout=widgets.Layout(flex="1 1 320px", min_width="0"))

        # The canvas column never shrinks (a squeezed canvas would be clipped and its buttons cut
        # to "Reco..."); where there is no room beside it, the results wrap below it.
        # In number mode the canvas column takes the whole width, and may be narrower than the canvas.
        for button in (self.recognize_button, self.undo_button, self.clear_button, self.upload):
            button.layout = widgets.Layout(width="auto", flex="0 0 auto")
        buttons = widgets.HBox([self.recognize_button, self.undo_button, self.clear_button, self.upload],
                               layout=widgets.Layout(flex_flow="row wrap"))
        column = (widgets.Layout(margin="0 0 8px 0", flex="1 1 100%", min_width="0", max_width="100%")
                  if self.number else
                  widgets.Layout(margin="0 24px 8px 0", flex="0 0 auto", min_width=f"{self.size + 4}px"))
        left = widgets.VBox([frame, buttons, pen_row, self.live], layout=column)
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
        self.upload.observe(self._on_upload, names="value")
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
        """The drawing as a (size, width) uint8 grey image, black ink on white (square unless in number mode)."""
        return self._drawing.image(self.line_width)

    def add_stroke(self, points: Iterable[Point]) -> None:
        """Draw one stroke through ``points`` (canvas pixels), as if drawn by hand."""
        self._mouse.finish()
        stroke = self._drawing.add(points)
        if stroke:
            self._paint([stroke])

    # Actions

    def recognize(self) -> Prediction | NumberPrediction | None:
        """Recognize the drawing and show the result (in number mode, boxes around the digits on the canvas too).

        Returns the `digits.Prediction` (number mode: the `digits.NumberPrediction`),
        or ``None`` when the pad is empty, holds only a dot, or recognition failed
        (the pad then says so instead of the answer).
        """
        self.prediction = None
        if self._boxes_on_canvas:
            self._redraw()
        if self._drawing.is_dot(self.line_width):
            self.view.show_message(NUMBER_DOT if self.number else DOT, "digits-dot")
            return None
        try:
            prediction = self._read(self.image(), self._drawing.all_strokes())
        except EmptyImageError:
            self.view.show_message(NUMBER_EMPTY if self.number else EMPTY, "digits-empty")
            return None
        except Exception as error:  # noqa: BLE001 - shown as a short message, logged in full
            _log.debug("drawing pad: recognition failed", exc_info=True)
            self.view.show_error(error)
            return None
        self.prediction = prediction
        if self.number:
            self.view.show_number(prediction)
            self._draw_boxes(prediction)
        else:
            self.view.show_prediction(prediction)
        return prediction

    def recognize_photo(self, photo, name: str | None = None) -> Prediction | NumberPrediction | None:
        """Read a photo of a digit (number mode: of a number) on paper and show the ink found and the answer.

        ``photo``: anything `digits.ink_from_photo` takes (the bytes of a PNG or
        JPEG file, a path, an array); ``name``, the file's name, for the message
        when it is no picture. Returns what `recognize` returns, or ``None``
        when the photo is no picture, shows no writing, or recognition failed (the
        pad says so in one line). The drawing on the canvas is kept.
        """
        self.prediction = None
        if self._boxes_on_canvas:
            self._redraw()  # boxes of an earlier drawing's answer would not match the photo's
        try:
            picture = ink_from_photo(photo)
            prediction = self._read(picture.image, None)
        except NotAPictureError as error:
            text = f"{name}: {NOT_A_PICTURE}" if name else _sentence(error)
            self.view.show_message(html.escape(text), "digits-not-picture")
            return None
        except EmptyImageError:
            self.view.show_message(NO_WRITING, "digits-no-writing")
            return None
        except Exception as error:  # noqa: BLE001 - shown as a short message, logged in full
            _log.debug("drawing pad: reading the photo failed", exc_info=True)
            self.view.show_error(error)
            return None
        self.prediction = prediction
        boxes = prediction.boxes if self.number else ()
        png = photo_png(picture.image, boxes, PHOTO_VIEW, page=picture.page)
        if self.number:
            self.view.show_number(prediction, photo=png)
        else:
            self.view.show_prediction(prediction, photo=png)
        return prediction

    def _read(self, image: np.ndarray, strokes) -> Prediction | NumberPrediction:
        """The pad's recognise function's answer for ``image`` (number mode: with ``strokes``), checked."""
        if self.number:
            answer = self._recognize_number(image, strokes=strokes)
            if not isinstance(answer, NumberPrediction):
                raise TypeError(
                    f"the recognize_number function returned {type(answer).__name__}, not a digits.NumberPrediction")
            return answer
        answer = self._recognize(image)
        if not isinstance(answer, Prediction):
            raise TypeError(f"the recognize function returned {type(answer).__name__}, not a digits.Prediction")
        return answer

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
        """Erase the drawing, the result and the digit boxes."""
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
        self._remove_boxes()
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
            self._remove_boxes()
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
    def _on_upload(self, change) -> None:
        if not change["new"]:  # the button was emptied, below
            return
        try:
            name, data = uploaded_file(change["new"])
        except UploadError as error:
            self.prediction = None
            self.view.show_message(html.escape(_sentence(error)), "digits-not-picture")
        else:
            self.recognize_photo(data, name)
        finally:
            self.upload.value = ()  # so the same file can be chosen again

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

    def _draw_boxes(self, number: NumberPrediction) -> None:
        """Draw a box around each digit on the canvas, labelled with its reading and probability."""
        with hold_canvas():
            self.canvas.stroke_style = BOX
            self.canvas.fill_style = BOX
            self.canvas.line_width = BOX_LINE
            self.canvas.font = "bold 16px sans-serif"
            self.canvas.text_baseline = "top"
            for (x0, y0, x1, y1), digit in zip(number.boxes, number.digits):
                x0, y0 = max(x0 - BOX_LINE, 1), max(y0 - BOX_LINE, 1)
                x1, y1 = min(x1 + BOX_LINE, self.width - 1), min(y1 + BOX_LINE, self.size - 1)
                self.canvas.stroke_rect(x0, y0, x1 - x0, y1 - y0)
                label = (f"{digit.digit}{'?' if digit.unsure else ''} {digit.probability:.0%}"
                         if digit.is_digit else "not a digit")
                below = y1 + 4 if y1 + 22 <= self.size else y1 - 20  # under the box, or inside it at the bottom
                self.canvas.fill_text(label, x0 + 2, below)
            self._set_pen()
        self._boxes_on_canvas = True

    def _remove_boxes(self) -> None:
        """A new stroke begins: the boxes of the last answer no longer fit the drawing."""
        if self._boxes_on_canvas:
            self._redraw()

    def _redraw(self) -> None:
        """Paint the paper and every stroke again (after Undo, Clear or a new pen, or for a new browser view)."""
        self._boxes_on_canvas = False
        with hold_canvas():
            self.canvas.clear()
            self.canvas.fill_style = PAPER
            self.canvas.fill_rect(0, 0, self.width, self.size)
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
        shipped = self._recognize_number is shipped_recognize_number if self.number else (
            self._recognize is shipped_recognize)
        recognizer = shipped_recognizer if shipped else lambda: self._recognize
        try:
            predict = getattr(recognizer(), "predict_mnist", None)
            if predict is not None:
                predict(np.zeros((1, 28, 28), np.float32))
        except Exception:  # noqa: BLE001 - Recognize will report it, briefly
            _log.warning("drawing pad: could not load the model in advance", exc_info=True)


def _sentence(error: BaseException) -> str:
    """An error's message as one line: its first, or the error's name when it has no message."""
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
