"""digits: handwritten digit recognition with a convolutional network.

The helper package of the course. Everything a notebook or the drawing pad needs
is importable from here:

    >>> import digits
    >>> (x_train, y_train), (x_test, y_test) = digits.load_mnist()
    >>> digits.recognize(x_test[0]).digit
    7

Modules, one concern each: `data` (MNIST), `model` (the networks, saving and
loading), `train` (``python -m digits.train``), `preprocess` (any picture to
MNIST format) and `recognize` (one picture to a `Prediction`).
"""

from .data import MnistError, load_mnist
from .model import ModelLoadError, build_cnn, load_model
from .preprocess import EmptyImageError, to_mnist
from .recognize import Prediction, Recognizer, recognize
from .widget import DrawingPad

__all__ = [
    "DrawingPad",
    "EmptyImageError",
    "MnistError",
    "ModelLoadError",
    "Prediction",
    "Recognizer",
    "build_cnn",
    "load_mnist",
    "load_model",
    "recognize",
    "to_mnist",
]
