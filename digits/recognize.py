"""Recognizing one digit: preprocessing, the network, and a readable answer.

`recognize(image)` is the single call the drawing pad, the notebooks, the tests
and the benchmark all use. It converts the image with `to_mnist`, runs the
shipped network with ONNX Runtime (``models/digits_cnn.onnx``, loaded once, then
reused; TensorFlow is never imported), asks `digits.not_a_digit.DigitJudge`
whether the picture looks like a digit at all, and returns a `Prediction`.
`Recognizer(model)` does the same with any network, a student's Keras model too.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .calibration import apply_temperature, is_temperature
from .model_files import SHIPPED_ONNX, model_temperature, read_card
from .networks import KerasNetwork, OnnxNetwork
from .not_a_digit import DigitJudge
from .preprocess import to_mnist

UNSURE_BELOW = 0.70
"""Answers less probable than this are shown as unsure (the drawing pad says so).

Chosen from data with ``python benchmarks/unsure_threshold.py``: real digits
(the MNIST test set drawn as on the pad) and random scribbles go through
`to_mnist` and the shipped model with its calibrated temperature. The rule:
the highest threshold below which the answers on real digits are more often
wrong than right, counted where at least 50 digits fall below it; where there
is none (as for this model: below 0.70 they are right 67% of the time), the
highest that doubts at most 0.5% of real digits. It flags 0.43% of real digits,
40% of the wrong answers and 39% of random scribbles (BENCHMARKS.md). Rerun it
whenever the shipped model changes.
"""


@dataclass(frozen=True)
class Prediction:
    """What the network thinks a picture shows."""

    digit: int
    """The most probable digit, 0-9."""
    probability: float
    """That digit's probability, 0-1."""
    probabilities: tuple[float, ...]
    """The probability of each digit 0-9; they sum to 1."""
    image: np.ndarray = field(repr=False, compare=False)
    """The (28, 28) float32 MNIST-format image the network saw."""
    is_digit: bool = True
    """False when the picture looks like no digit at all (a letter, a symbol, a scribble).

    The ten probabilities are still the network's; they only say which digit it
    would be *if* it were one.
    """

    @property
    def unsure(self) -> bool:
        """True when the answer should not be believed: not a digit, or below `UNSURE_BELOW`."""
        return not self.is_digit or self.probability < UNSURE_BELOW

    def __str__(self) -> str:
        return f"{self.digit} \N{EM DASH} {self.probability:.0%}"


class Recognizer:
    """Recognize single digits with a given network.

    ``network``: a Keras model (a student's own, run by TensorFlow through
    `KerasNetwork`) or a ready network such as `OnnxNetwork` (anything with a
    ``probabilities`` method as in `digits.networks`). ``temperature`` divides the
    network's logits before the softmax; a value fitted on held-out data
    (temperature scaling) makes the probabilities honest. ``judge``: a
    `DigitJudge` fitted for this network, which decides `Prediction.is_digit`; it
    needs the network's features, so an `OnnxNetwork` whose file has them. Without
    one every picture counts as a digit. `Recognizer.from_file` reads a saved
    ``.onnx`` or ``.keras`` file, its card's temperature and, for an ``.onnx`` whose
    card names one, its judge.
    """

    def __init__(self, network, temperature: float = 1.0, judge: DigitJudge | None = None):
        if not is_temperature(temperature):
            raise ValueError(f"temperature must be a finite number above 0, got {temperature!r}")
        self.network = network if hasattr(network, "probabilities") else KerasNetwork(network)
        self.temperature = float(temperature)
        if judge is not None and not getattr(self.network, "has_features", False):
            raise ValueError("a DigitJudge needs the network's features: pass an OnnxNetwork exported by digits.export")
        self.judge = judge

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "Recognizer":
        """The `Recognizer` of a saved model: ``.onnx`` by ONNX Runtime, otherwise Keras; temperature from its card.

        Raises `ModelLoadError` when the file or its card (`model_files.model_temperature`) is missing or damaged.
        """
        temperature = model_temperature(path)
        path = Path(path)
        judge = None
        if path.suffix == ".onnx":
            network = OnnxNetwork(path)
            judge_entry = read_card(path).get("not_a_digit")
            if isinstance(judge_entry, dict) and network.has_features:
                judge = DigitJudge.from_file(path.with_name(str(judge_entry.get("file"))))
        else:
            from .model import load_model

            network = KerasNetwork(load_model(path))
        return cls(network, temperature=temperature, judge=judge)

    def predict_mnist(self, images: np.ndarray) -> np.ndarray:
        """Class probabilities for MNIST-format images.

        ``images``: (N, 28, 28) or (N, 28, 28, 1) floats in [0, 1].
        Returns (N, 10) float32, each row summing to 1.
        """
        batch = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)
        return self._calibrated(self.network.probabilities(batch)).astype(np.float32)

    def judge_mnist(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Class probabilities and whether each image looks like a digit, for MNIST-format images.

        ``images`` as for `predict_mnist`. Returns (N, 10) float32 probabilities and
        (N,) bool (all True without a judge).
        """
        batch = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)
        probabilities, is_digit = self._run(batch)
        return self._calibrated(probabilities).astype(np.float32), is_digit

    def _run(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The network's raw probabilities and the judge's verdict for a (N, 28, 28, 1) batch."""
        if self.judge is None:
            return self.network.probabilities(batch), np.ones(len(batch), dtype=bool)
        probabilities, features = self.network.probabilities_and_features(batch)
        return probabilities, self.judge.is_digit(batch, features)

    def _calibrated(self, probabilities: np.ndarray) -> np.ndarray:
        if self.temperature == 1.0:
            return probabilities
        return apply_temperature(probabilities.astype(np.float64), self.temperature)

    def __call__(self, image) -> Prediction:
        """Recognize the digit in one picture (any form `to_mnist` accepts)."""
        mnist = to_mnist(image)
        raw, is_digit = self._run(mnist.reshape(1, 28, 28, 1))
        probabilities = self._calibrated(raw)[0].astype(np.float64)
        probabilities /= probabilities.sum()
        digit = int(np.argmax(probabilities))
        return Prediction(digit, float(probabilities[digit]), tuple(probabilities.tolist()), mnist, bool(is_digit[0]))


_shipped: Recognizer | None = None
_shipped_lock = threading.Lock()


def shipped_recognizer() -> Recognizer:
    """The `Recognizer` for the shipped model, created on first use and then reused."""
    global _shipped
    with _shipped_lock:
        if _shipped is None:
            _shipped = Recognizer.from_file(SHIPPED_ONNX)
        return _shipped


def recognize(image) -> Prediction:
    """Recognize the digit in ``image`` with the shipped model.

    ``image``: grey (H, W), RGB (H, W, 3) or RGBA (H, W, 4), uint8 or float,
    any size, dark ink on light paper or light on dark, or a transparent canvas.
    Raises `EmptyImageError` when there is no ink. `Prediction.is_digit` is False
    when the picture looks like no digit (a letter, a symbol, a scribble).
    """
    return shipped_recognizer()(image)
