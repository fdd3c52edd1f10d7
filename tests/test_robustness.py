"""The shipped model on digits drawn the many ways students draw them.

Each drawing goes through `digits.recognize`, one at a time, as the drawing pad
calls it. The drawings are MNIST *test* digits (never trained on) redrawn as
280x280 canvas drawings by `digits.drawn`; the full measurement, with more
variations and more drawings, is ``python -m digits.bench`` (BENCHMARKS.md).
"""

import numpy as np
import pytest

import digits
from digits.drawn import drawn_digits, sketched_digits

# (scale range as a fraction of the canvas, pen width range in pixels)
VARIATIONS = {
    "typical": ((0.45, 0.8), (10.0, 24.0)),
    "small": ((0.15, 0.3), (4.0, 10.0)),
    "canvas-filling": ((0.8, 0.95), (14.0, 30.0)),
    "thin pen": ((0.45, 0.8), (3.0, 6.0)),
    "thick pen": ((0.45, 0.8), (26.0, 36.0)),
}


@pytest.mark.parametrize("variation", VARIATIONS)
def test_drawn_digits_are_recognised(mnist, variation):
    (_, _), (x_test, y_test) = mnist
    scale, stroke = VARIATIONS[variation]
    images, labels = drawn_digits(x_test, y_test, 300, seed=11, scale=scale, stroke=stroke)
    accuracy = np.mean([digits.recognize(image).digit == label for image, label in zip(images, labels)])
    assert accuracy >= 0.97, f"{variation}: {accuracy:.1%}"


def test_sketched_digits_are_recognised():
    images, labels = sketched_digits(200, seed=11)
    accuracy = np.mean([digits.recognize(image).digit == label for image, label in zip(images, labels)])
    assert accuracy >= 0.97, f"{accuracy:.1%}"


def test_probabilities_are_calibrated_not_overconfident(mnist):
    """On the MNIST test set the mean shown probability is close to the accuracy."""
    from digits.recognize import shipped_recognizer

    (_, _), (x_test, y_test) = mnist
    probabilities = shipped_recognizer().predict_mnist(x_test[:3000] / 255.0)
    accuracy = np.mean(probabilities.argmax(axis=1) == y_test[:3000])
    assert abs(probabilities.max(axis=1).mean() - accuracy) < 0.02
