"""Shared fixtures: MNIST (loaded once per test session) and drawn-looking digits."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist.npz"

if "DIGITS_MNIST" not in os.environ and SHARED_MNIST.is_file():
    os.environ["DIGITS_MNIST"] = str(SHARED_MNIST)


@pytest.fixture(scope="session")
def mnist():
    """MNIST as ``(x_train, y_train), (x_test, y_test)``; skips where none can be had."""
    import digits

    try:
        return digits.load_mnist()
    except digits.MnistError as exc:
        pytest.skip(f"MNIST is not available here: {exc}")


def as_canvas_drawing(mnist_image: np.ndarray) -> np.ndarray:
    """An MNIST digit as a person would have drawn it on the 280x280 pad: dark ink on white."""
    from digits.drawn import enlarged

    return enlarged(mnist_image)
