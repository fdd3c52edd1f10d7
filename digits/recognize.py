"""Recognising one digit: preprocessing, the network, and a readable answer.

`recognize(image)` is the single call the drawing pad, the notebooks, the tests
and the benchmark all use. It converts the image with `to_mnist`, runs the
shipped model (loaded once, then reused) and returns a `Prediction`.
`Recognizer(model)` does the same with any model.

Speed matters in a drawing app: Keras's ``model.predict`` sets up a whole data
pipeline for every call (tens of milliseconds for one image), so the model is
wrapped once in a `tf.function` with a fixed input signature and called directly.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from .model import load_model, read_card, SHIPPED_MODEL
from .preprocess import to_mnist

UNSURE_BELOW = 0.70
"""Answers less probable than this are shown as unsure (the drawing pad says so).

Chosen from data with ``python benchmarks/unsure_threshold.py``: real digits
(the MNIST test set drawn as on the pad) and random scribbles go through
`to_mnist` and the shipped model with its calibrated temperature. The rule:
the highest threshold below which the answers on real digits are more often
wrong than right, counted where at least 50 digits fall below it; where there
is none (as for this model: below 0.70 they are right 65% of the time), the
highest that doubts at most 0.5% of real digits. It flags 0.46% of real digits,
39% of the wrong answers and 42% of random scribbles (BENCHMARKS.md). Rerun it
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

    @property
    def unsure(self) -> bool:
        """True when the network is not confident enough to be believed (see `UNSURE_BELOW`)."""
        return self.probability < UNSURE_BELOW

    def __str__(self) -> str:
        return f"{self.digit} \N{EM DASH} {self.probability:.0%}"


class Recognizer:
    """Recognise single digits with a given Keras model.

    ``temperature`` divides the network's logits before the softmax; a value
    fitted on held-out data (temperature scaling) makes the probabilities honest.
    """

    def __init__(self, model, temperature: float = 1.0):
        import tensorflow as tf

        if temperature <= 0:
            raise ValueError(f"temperature must be positive, got {temperature}")
        self.model = model
        self.temperature = float(temperature)
        last = model.layers[-1] if getattr(model, "layers", None) else None
        outputs_softmax = getattr(getattr(last, "activation", None), "__name__", "") == "softmax"

        def probabilities(batch):
            out = model(batch, training=False)
            logits = tf.math.log(tf.maximum(out, 1e-12)) if outputs_softmax else out
            return tf.nn.softmax(logits / self.temperature, axis=-1)

        # Batches of any size, and one image with a fixed shape compiled by XLA (a third
        # faster on a CPU). Where XLA is unavailable the plain graph does the same work.
        # For the one image, the concrete function is kept and called directly: a
        # `tf.function` checks its arguments against its signature on every call, a
        # quarter of a millisecond of Python that one fixed shape does not need.
        self._probabilities = tf.function(probabilities, input_signature=[tf.TensorSpec((None, 28, 28, 1), tf.float32)])
        single = tf.TensorSpec((1, 28, 28, 1), tf.float32)
        try:
            self._one = tf.function(probabilities, input_signature=[single], jit_compile=True).get_concrete_function()
            self._one(tf.zeros((1, 28, 28, 1)))  # compile now, not on a student's first click
        except Exception:  # noqa: BLE001 - any XLA failure: fall back to the plain graph
            self._one = tf.function(probabilities, input_signature=[single]).get_concrete_function()

    def predict_mnist(self, images: np.ndarray) -> np.ndarray:
        """Class probabilities for MNIST-format images.

        ``images``: (N, 28, 28) or (N, 28, 28, 1) floats in [0, 1].
        Returns (N, 10) float32, each row summing to 1.
        """
        batch = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)
        return self._probabilities(batch).numpy()

    def __call__(self, image) -> Prediction:
        """Recognise the digit in one picture (any form `to_mnist` accepts)."""
        mnist = to_mnist(image)
        probabilities = self._one(mnist.reshape(1, 28, 28, 1)).numpy()[0].astype(np.float64)
        probabilities /= probabilities.sum()
        digit = int(np.argmax(probabilities))
        return Prediction(digit, float(probabilities[digit]), tuple(probabilities.tolist()), mnist)


_shipped: Recognizer | None = None
_shipped_lock = threading.Lock()


def shipped_recognizer() -> Recognizer:
    """The `Recognizer` for the shipped model, created on first use and then reused."""
    global _shipped
    with _shipped_lock:
        if _shipped is None:
            temperature = float(read_card(SHIPPED_MODEL).get("temperature", 1.0))
            _shipped = Recognizer(load_model(), temperature=temperature)
        return _shipped


def recognize(image) -> Prediction:
    """Recognise the digit in ``image`` with the shipped model.

    ``image``: grey (H, W), RGB (H, W, 3) or RGBA (H, W, 4), uint8 or float,
    any size, dark ink on light paper or light on dark, or a transparent canvas.
    Raises `EmptyImageError` when there is no ink.
    """
    return shipped_recognizer()(image)
