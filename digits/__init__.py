"""digits: handwritten digit recognition with a convolutional network.

The helper package of the course. Everything a notebook or the drawing pad needs
is importable from here:

    >>> import digits
    >>> (x_train, y_train), (x_test, y_test) = digits.load_mnist()
    >>> digits.recognize(x_test[0]).digit
    7

Importing `digits` and recognising digits needs no TensorFlow: the shipped
network runs on ONNX Runtime. Building or training a network (`build_cnn`,
`load_model`, `digits.train`) starts TensorFlow on first use.

Modules, one concern each: `data` (MNIST), `pendigits` (real writers' pen
strokes), `strokes` (drawing strokes as pictures), `model` (the Keras networks,
saving and loading), `model_files` (where models and their cards live),
`networks` (running a trained network: ONNX Runtime or TensorFlow), `export`
(Keras to ONNX), `train` (``python -m digits.train``), `augment`
(training-time augmentation), `calibration` (temperature scaling), `preprocess`
(any picture to MNIST format), `recognize` (one picture to a `Prediction`),
`not_a_digit` (is it a digit at all?), `numbers` and `segment`
(a whole number, digit by digit), `photos` (phone photos of handwriting on
paper), `nondigits` and `train_judge` (learning
that), `widget` (the drawing pad), `pad_strokes` (its strokes), `result_view`
(its answer, as HTML), `pad_upload` (its Photo button's file), `plots` (the course's figures), `drawn` (synthetic
canvas drawings), and `checks`, `exercises`, `assignments` and `bundle`
(classroom exercises, nbgrader, the student bundle). The benchmark lives outside the package, in ``benchmarks/``.
"""

from .data import MnistError, load_mnist
from .model_files import ModelLoadError
from .preprocess import EmptyImageError, to_mnist
from .recognize import Prediction, Recognizer, recognize

_IMPORTED_ON_FIRST_USE = {
    "build_cnn": "model",  # needs TensorFlow; recognition does not
    "load_model": "model",
    "DrawingPad": "widget",  # needs ipywidgets and ipycanvas
    "NumberPrediction": "numbers",  # the segmentation needs SciPy; one digit does not
    "recognize_number": "numbers",
    "InkPicture": "photos",
    "NotAPictureError": "photos",
    "ink_from_photo": "photos",
}


def __getattr__(name):
    # The heavy parts are imported only when they are asked for, so that `import digits`
    # and the first `recognize` stay quick.
    if name in _IMPORTED_ON_FIRST_USE:
        import importlib

        module = importlib.import_module(f".{_IMPORTED_ON_FIRST_USE[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'digits' has no attribute {name!r}")


__all__ = [
    "DrawingPad",
    "EmptyImageError",
    "InkPicture",
    "MnistError",
    "ModelLoadError",
    "NotAPictureError",
    "NumberPrediction",
    "Prediction",
    "Recognizer",
    "build_cnn",
    "ink_from_photo",
    "load_mnist",
    "load_model",
    "recognize",
    "recognize_number",
    "to_mnist",
]
