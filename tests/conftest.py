"""Shared fixtures: MNIST (loaded once per test session) and drawn-looking digits."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist.npz"

SHARED_HANDWRITING = REPO.parent / "shared" / "data" / "handwriting"
SHARED_PENDIGITS = SHARED_HANDWRITING / "pendigits"

# Kernels started by the tests (nbval, nbgrader) keep no command history in ~/.ipython.
os.environ.setdefault("IPYTHONDIR", str(Path(tempfile.gettempdir()) / "digits-tests-ipython"))
if "DIGITS_MNIST" not in os.environ and SHARED_MNIST.is_file():
    os.environ["DIGITS_MNIST"] = str(SHARED_MNIST)
if "DIGITS_PENDIGITS" not in os.environ and (SHARED_PENDIGITS / "pendigits-orig.tra").is_file():
    os.environ["DIGITS_PENDIGITS"] = str(SHARED_PENDIGITS)


@pytest.fixture(scope="session")
def mnist():
    """MNIST as ``(x_train, y_train), (x_test, y_test)``; skips where none can be had."""
    import digits

    try:
        return digits.load_mnist()
    except digits.MnistError as exc:
        pytest.skip(f"MNIST is not available here: {exc}")


needs_real_sets = pytest.mark.skipif(
    not (Path(os.environ.get("DIGITS_HANDWRITING") or SHARED_HANDWRITING) / "cvl_dev.npz").is_file(),
    reason="the real handwriting sets are not beside the repository",
)
"""Marks a test that reads the real measuring sets (``$DIGITS_HANDWRITING`` or ``../shared/data/handwriting``)."""


@pytest.fixture(scope="session")
def pen_train():
    """The pendigits training writers' strokes (`digits.pendigits.PenDigits`); skips where none can be had."""
    from digits.pendigits import PendigitsError, load_pendigits

    try:
        return load_pendigits("train")
    except PendigitsError as exc:
        pytest.skip(f"pendigits is not available here: {exc}")


def as_canvas_drawing(mnist_image: np.ndarray) -> np.ndarray:
    """An MNIST digit as a person would have drawn it on the 280x280 pad: dark ink on white."""
    from digits.drawn import enlarged

    return enlarged(mnist_image)
