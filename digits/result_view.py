"""The drawing pad's result: what the network answered, as HTML styled by one stylesheet.

The functions here build HTML with CSS classes and no inline styles, so every
colour and size comes from `STYLESHEET` (and a notebook can restyle the pad by
adding its own CSS for the same classes). Colours use JupyterLab's theme
variables, with fallbacks, so the pad reads well in the light and dark themes.
`ResultView` is the widget that shows them: the stylesheet, the result line,
the probability bars and the 28x28 image the network saw.

CSS classes:

* ``digits-drawing-pad`` - the whole pad; ``digits-frame`` - the border around
  its canvas, ``digits-pad`` - the canvas;
* ``digits-recognize``, ``digits-undo``, ``digits-clear`` - the buttons;
  ``digits-live`` - the "Recognize as I draw" switch; ``digits-pen`` - the pen widths;
* ``digits-result`` - the result line. It holds either a message,
  ``digits-message`` with one of ``digits-prompt`` (nothing recognised yet),
  ``digits-empty`` (Recognize on an empty pad), ``digits-dot`` (only a dot),
  ``digits-not-digit`` (the drawing looks like no digit), ``digits-error``
  (something failed); or an answer, ``digits-answer`` with ``digits-sure`` or
  ``digits-unsure``, holding ``digits-digit`` (the digit, large),
  ``digits-probability`` (`` — 97%``) and ``digits-note`` (whether the network is sure).
  An answer's text starts with the digit (``8 — 97% ...``); a message's never does;
* ``digits-details`` - the bars and the network's picture below or beside the result;
* ``digits-chart`` holds ``digits-bars`` (``digits-greyed`` too when the
  drawing is not a digit): a table, ``digits-bar-table``, of ``digits-bar-row`` rows (``digits-best``
  for the most probable digit), each with ``digits-bar-label`` (the digit),
  ``digits-bar`` (an SVG bar: ``digits-bar-track``, the whole length, and
  ``digits-bar-fill``, the probability) and ``digits-bar-value`` (``97%``);
* ``digits-seen`` - "What the network saw", holding ``digits-network-view`` (the picture).

In number mode (`number_html`, `number_digits_html`) the answer is ``digits-answer``
with ``digits-number`` too; its ``digits-digit`` holds the whole number, each
digit a ``digits-number-digit`` span, with ``digits-unsure-digit`` on a digit the
network is not sure of and ``digits-not-digit-piece`` on a piece that looks like
no digit (shown as ``?``). The answer's text starts with the number
(``2026 — 97% ...``). The details then hold ``digits-number-digits``: a
``digits-digit-card`` per digit, left to right, each with ``digits-card-image``
(the 28x28 picture the network saw), ``digits-card-digit`` (its reading) and
``digits-card-probability`` (``97%``, or "not a digit").

For an uploaded photo, ``digits-photo`` holds ``digits-photo-view``: the photo
as it was read, above the ink found on it (boxes around the digits in number mode), and the result's
messages may be ``digits-not-picture`` (the file is no picture) or
``digits-no-writing`` (a photo with no writing on it).
"""

from __future__ import annotations

import base64
import html
from typing import Sequence

import cv2
import ipywidgets as widgets
import numpy as np

from .model_files import ModelLoadError

NETWORK_VIEW = 112
"""Side, in screen pixels, of the picture of the 28x28 image the network saw."""

STYLESHEET = """
.digits-frame { border: 2px solid var(--jp-layout-color4, #777); width: fit-content; line-height: 0; }
.digits-message { font-size: 1.4em; padding: 8px 0; }
.digits-error { color: var(--jp-error-color1, #d32f2f); }
.digits-not-digit { color: var(--jp-ui-font-color1, inherit); }
.digits-digit { font-size: 5em; font-weight: bold; line-height: 1; }
.digits-unsure .digits-digit { color: var(--jp-warn-color0, #b36b00); }
.digits-probability { font-size: 2em; }
.digits-note { padding: 4px 0 8px; }
.digits-bar-table { border-collapse: collapse; margin-top: 4px; }
.digits-bar-table th { font-weight: normal; font-size: 0.85em; }
.digits-bar-label { text-align: right; padding: 0 6px; font-weight: bold; }
.digits-bar-value { text-align: right; padding: 0 6px; font-variant-numeric: tabular-nums; }
.digits-bar { display: block; width: 160px; height: 14px; margin: 1px 0; }
.digits-bar-track { fill: var(--jp-layout-color2, #eee); }
.digits-bar-fill { fill: var(--jp-layout-color4, #9e9e9e); }
.digits-best .digits-bar-fill { fill: var(--jp-brand-color1, #1976d2); }
.digits-greyed { color: var(--jp-ui-font-color2, #777); }
.digits-greyed .digits-bar-fill,
.digits-greyed .digits-best .digits-bar-fill { fill: var(--jp-layout-color3, #bdbdbd); }
.digits-seen { margin-left: 16px; }
.digits-network-view { border: 1px solid var(--jp-layout-color4, #777); }
.digits-number .digits-digit { letter-spacing: 0.05em; }
.digits-unsure-digit { color: var(--jp-warn-color0, #b36b00); text-decoration: underline dotted; }
.digits-not-digit-piece { color: var(--jp-ui-font-color2, #777); }
.digits-number-digits { display: flex; flex-wrap: wrap; gap: 8px; }
.digits-digit-card { display: flex; flex-direction: column; align-items: center; padding: 4px;
    border: 1px solid var(--jp-layout-color3, #bdbdbd); }
.digits-card-image { width: 56px; height: 56px; image-rendering: pixelated;
    border: 1px solid var(--jp-layout-color4, #777); }
.digits-card-digit { font-size: 1.6em; font-weight: bold; }
.digits-card-probability { font-variant-numeric: tabular-nums; }
.digits-photo { margin-top: 8px; }
.digits-photo-view { border: 1px solid var(--jp-layout-color4, #777); }
"""
"""The pad's one stylesheet (the classes are listed in the module's docstring)."""

PROMPT = "Draw a digit, then press <b>Recognize</b>."
EMPTY = "Draw a digit first: the pad is empty."
DOT = "That is only a dot. Draw a whole digit, large, across most of the pad."
NOT_A_DIGIT = "That doesn't look like a digit \N{EM DASH} try drawing one."
SURE = "The network is sure."
NUMBER_PROMPT = "Write a number, then press <b>Recognize</b>."
NUMBER_EMPTY = "Write a number first: the pad is empty."
NUMBER_DOT = "That is only a dot. Write whole digits, large, across the height of the pad."
NOT_A_NUMBER = "That doesn't look like a number \N{EM DASH} try writing one."
NUMBER_SURE = "The network is sure of every digit."
NOT_A_PICTURE = "not a picture the pad can read. Choose a photo (a PNG or JPEG file)."
NO_WRITING = "No writing found on the photo: take it closer, with the digits large and dark."
ORDINALS = ("1st", "2nd", "3rd")


def article(digit: int) -> str:
    """The indefinite article before a digit's spoken name: "an" for 8 ("an eight"), otherwise "a"."""
    return "an" if digit == 8 else "a"


def message_html(text: str, kind: str) -> str:
    """A message in place of an answer. ``text`` is HTML; ``kind`` its CSS class (``digits-prompt``, ...)."""
    return f'<div class="digits-message {kind}">{text}</div>'


def error_html(error: BaseException) -> str:
    """A failure, in one short sentence: the error's first line, cut at a word after about 120 characters.

    A `ModelLoadError`, written for people, is shown whole.
    """
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if len(detail) > 120 and not isinstance(error, ModelLoadError):
        detail = detail[:118].rsplit(" ", 1)[0] + " \N{HORIZONTAL ELLIPSIS}"
    return message_html(
        f"Sorry, that did not work: {html.escape(detail)}<br><small>Press <b>Clear</b> and try again.</small>",
        "digits-error",
    )


def runner_up(probabilities: Sequence[float]) -> int:
    """The second most probable digit."""
    return int(np.argsort(probabilities)[-2])


def prediction_html(prediction) -> str:
    """The answer for a `digits.Prediction`: the digit, its probability and whether the network is sure.

    For a drawing that is not a digit (``prediction.is_digit`` false) it is the
    `NOT_A_DIGIT` message instead: no digit, no percentage.
    """
    if not prediction.is_digit:
        return message_html(NOT_A_DIGIT, "digits-not-digit")
    if prediction.unsure:
        second = runner_up(prediction.probabilities)
        note = (
            f"Not sure: {article(prediction.digit)} {prediction.digit}, or maybe {article(second)} {second}? "
            "Try drawing it bigger and more clearly."
        )
    else:
        note = SURE
    return (
        f'<div class="digits-answer {"digits-unsure" if prediction.unsure else "digits-sure"}">'
        f'<span class="digits-digit">{prediction.digit}</span>'
        f'<span class="digits-probability"> \N{EM DASH} {prediction.probability:.0%}</span>'
        f'<div class="digits-note">{note}</div></div>'
    )


def ordinal(place: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th`` ... for a place counted from 1."""
    return ORDINALS[place - 1] if 1 <= place <= len(ORDINALS) else f"{place}th"


def number_html(number) -> str:
    """The answer for a `digits.NumberPrediction`: the number, how sure the network is of all of it, and why not.

    The text starts with the number (``2026 — 97% ...``), a piece that looks like
    no digit written as ``?`` and an unsure digit marked (``digits-unsure-digit``);
    the note names each such digit in words. When no piece looks like a digit the
    answer is the `NOT_A_NUMBER` message instead.
    """
    if not any(digit.is_digit for digit in number.digits):
        return message_html(NOT_A_NUMBER, "digits-not-digit")
    spans, notes = [], []
    for place, digit in enumerate(number.digits, start=1):
        if not digit.is_digit:
            spans.append('<span class="digits-number-digit digits-not-digit-piece">?</span>')
            notes.append(f"The {ordinal(place)} piece doesn't look like a digit.")
        elif digit.unsure:
            second = runner_up(digit.probabilities)
            spans.append(f'<span class="digits-number-digit digits-unsure-digit">{digit.digit}</span>')
            notes.append(f"Not sure of the {ordinal(place)} digit: {article(digit.digit)} {digit.digit}, "
                         f"or maybe {article(second)} {second}?")
        else:
            spans.append(f'<span class="digits-number-digit">{digit.digit}</span>')
    unsure = number.unsure or len(notes) > 0
    note = " ".join(notes + ["Try writing it bigger and more clearly."]) if notes else NUMBER_SURE
    return (
        f'<div class="digits-answer digits-number {"digits-unsure" if unsure else "digits-sure"}">'
        f'<span class="digits-digit">{"".join(spans)}</span>'
        f'<span class="digits-probability"> \N{EM DASH} {number.probability:.0%}</span>'
        f'<div class="digits-note">{note}</div></div>'
    )


def number_digits_html(number) -> str:
    """A card per digit of a `digits.NumberPrediction`, left to right: the 28x28 picture, the reading, the probability."""
    cards = []
    for digit in number.digits:
        picture = base64.b64encode(network_png(digit.image, 28)).decode("ascii")
        reading = str(digit.digit) if digit.is_digit else "?"
        probability = f"{digit.probability:.0%}" if digit.is_digit else "not a digit"
        cards.append(
            f'<div class="digits-digit-card"><img class="digits-card-image" alt="the 28x28 picture of {reading}" '
            f'src="data:image/png;base64,{picture}"/><span class="digits-card-digit">{reading}</span>'
            f'<span class="digits-card-probability">{probability}</span></div>'
        )
    return ('<div><b>Each digit, as the network saw it</b> (28&times;28)'
            f'<div class="digits-number-digits">{"".join(cards)}</div></div>')


def bars_html(probabilities: Sequence[float], best: int, greyed: bool = False) -> str:
    """The ten probabilities (each 0-1) as a table of bars, digit ``best`` highlighted; all grey if ``greyed``."""
    rows = []
    for digit, probability in enumerate(probabilities):
        length = 100.0 * min(max(float(probability), 0.0), 1.0)
        rows.append(
            f'<tr class="digits-bar-row{" digits-best" if digit == best else ""}">'
            f'<td class="digits-bar-label">{digit}</td>'
            f'<td><svg class="digits-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
            f'aria-label="{probability:.0%}">'
            f'<rect class="digits-bar-track" width="100" height="10"/>'
            f'<rect class="digits-bar-fill" width="{length:.1f}" height="10"/></svg></td>'
            f'<td class="digits-bar-value">{probability:.0%}</td>'
            "</tr>"
        )
    return (
        f'<div class="digits-bars{" digits-greyed" if greyed else ""}"><b>Probability of each digit</b>'
        '<table class="digits-bar-table"><tr><th>digit</th><th>probability</th><th></th></tr>'
        + "".join(rows)
        + "</table></div>"
    )


def network_png(mnist: np.ndarray, side: int = NETWORK_VIEW) -> bytes:
    """A (28, 28) float image in [0, 1] as PNG bytes, enlarged to ``side`` x ``side`` with square pixels."""
    pixels = np.clip(np.asarray(mnist, np.float32) * 255.0, 0, 255).astype(np.uint8)
    big = cv2.resize(pixels, (side, side), interpolation=cv2.INTER_NEAREST)
    ok, encoded = cv2.imencode(".png", big)
    if not ok:  # pragma: no cover - OpenCV always encodes a grey uint8 image
        raise ValueError("could not encode the network's image as PNG")
    return encoded.tobytes()


PHOTO_VIEW = 280
"""Width, in screen pixels, of the picture of the ink found on an uploaded photo (at most)."""


class ResultView(widgets.VBox):
    """The result beside (or below) the canvas: the stylesheet, the result line, the details and a photo.

    `result` is the result line (``digits-result``); `details` (``digits-details``)
    holds `chart`, the probability bars (in number mode a card per digit), and
    `network_view`, the 28x28 picture; it is hidden while a message shows.
    `photo_view` (in ``digits-photo``) shows an uploaded photo above the ink found on it,
    and is hidden for a drawing. ``number`` chooses the prompts of the number mode.
    """

    def __init__(self, number: bool = False, **kwargs):
        self.number = bool(number)
        self.style_sheet = widgets.HTML(f"<style>{STYLESHEET}</style>", layout=widgets.Layout(display="none"))
        self.result = widgets.HTML()
        self.result.add_class("digits-result")
        self.chart = widgets.HTML()
        self.chart.add_class("digits-chart")
        self.network_view = widgets.Image(format="png", width=NETWORK_VIEW, height=NETWORK_VIEW)
        self.network_view.layout = widgets.Layout(width=f"{NETWORK_VIEW + 2}px")
        self.network_view.add_class("digits-network-view")
        self.seen = widgets.VBox([widgets.HTML("<b>What the network saw</b> (28&times;28)"), self.network_view])
        self.seen.add_class("digits-seen")
        self.details = widgets.HBox([self.chart, self.seen], layout=widgets.Layout(flex_flow="row wrap"))
        self.details.add_class("digits-details")
        self.photo_view = widgets.Image(format="png")
        self.photo_view.add_class("digits-photo-view")
        self.photo = widgets.VBox([widgets.HTML("<b>Your photo, straightened, and the ink found on it</b>"), self.photo_view])
        self.photo.add_class("digits-photo")
        super().__init__([self.style_sheet, self.result, self.details, self.photo], **kwargs)
        self.show_prompt()

    def show_message(self, text: str, kind: str) -> None:
        """Show a message (HTML ``text``, CSS class ``kind``) and hide the details and any photo."""
        self._show_alone(message_html(text, kind))

    def show_prompt(self) -> None:
        """Invite the student to draw (a digit, or a number in number mode)."""
        self.show_message(NUMBER_PROMPT if self.number else PROMPT, "digits-prompt")

    def show_error(self, error: BaseException) -> None:
        """Say, in one short sentence, that something failed (`error_html`)."""
        self._show_alone(error_html(error))

    def _show_alone(self, result: str) -> None:
        self.show_photo(None)  # before the message, so no photo shows under it
        self.result.value = result
        self.chart.value = ""
        self.network_view.value = b""
        self.details.layout.visibility = "hidden"

    def show_prediction(self, prediction, photo: bytes | None = None) -> None:
        """Show a `digits.Prediction`: the answer, the bars (greyed for a non-digit) and the network's picture.

        ``photo``: PNG bytes of the ink found on an uploaded photo, shown below; ``None`` for a drawing.
        """
        self.result.value = prediction_html(prediction)
        self.chart.value = bars_html(prediction.probabilities, prediction.digit, greyed=not prediction.is_digit)
        self.network_view.value = network_png(prediction.image)
        self.seen.layout.display = None
        self.details.layout.visibility = "visible"
        self.show_photo(photo)

    def show_number(self, number, photo: bytes | None = None) -> None:
        """Show a `digits.NumberPrediction`: the number (`number_html`) and a card per digit (`number_digits_html`).

        ``photo``: PNG bytes of the ink found on an uploaded photo, shown below; ``None`` for a drawing.
        """
        self.result.value = number_html(number)
        self.chart.value = number_digits_html(number)
        self.network_view.value = b""
        self.seen.layout.display = "none"
        self.details.layout.visibility = "visible"
        self.show_photo(photo)

    def show_photo(self, png: bytes | None) -> None:
        """Show PNG bytes of a photo and the ink found on it below the result, or hide the photo (``None``)."""
        self.photo_view.value = png or b""
        self.photo.layout.display = None if png else "none"
