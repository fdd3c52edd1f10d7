"""Checks for the course's exercises: run a student's function, say in one sentence what is wrong.

Each exercise in notebooks 02-05 asks a student to write one small function; its
autograded test cell (nbgrader) calls the matching check here:

    >>> from digits import checks
    >>> checks.check_normalize(normalize)
    ✓ normalize: uint8 pixels 0..255 become float32 in [0, 1], and faint images stay faint.

A check runs the function on cases a teacher would choose (a normal batch, a
faint digit, a non-square input, ...) and compares with the right answer. When
something is wrong it raises `CheckFailed` (an `AssertionError`, so nbgrader and
pytest count it as a failure) whose message is one friendly sentence saying what
went wrong and why. A function that is not written yet (nbgrader's
``raise NotImplementedError()``), crashes, returns ``None`` or the wrong kind of
thing gets such a sentence too, never a bare assert. Inside Jupyter the message
is shown alone, without a traceback through this module.

A check passes the student's function its own arrays, never the notebook's, and
reports a function that changes its input. It also makes sure the function is the
student's own: one imported from the `digits` package, or one that calls into it
while it runs (``preprocess.fit_in_box`` inside ``fit_in_box``), fails with a
sentence saying so.

Each test cell reads this module afresh from its file before calling it (see
`FRESH_IMPORT`), so a cell above it cannot replace a check; `expect` runs the
teacher's hidden cases (nbgrader's hidden tests), whose expected
values are written in the test cell itself.
"""

from __future__ import annotations

import numbers
import sys
from pathlib import Path
from typing import Any, Callable

import cv2
import numpy as np
from scipy import ndimage

from .preprocess import MNIST_BOX, MNIST_CENTER, MNIST_SIZE

__all__ = [
    "CheckFailed",
    "check_best_reading",
    "check_center_of_mass",
    "check_cnn_parameter_count",
    "check_column_gaps",
    "check_component_boxes",
    "check_conv_output_shape",
    "check_fit_in_box",
    "check_most_confused_pair",
    "check_normalize",
    "check_one_hot",
    "check_precision",
    "check_shift_to_center",
    "expect",
]

NUM_CLASSES = 10


FRESH_IMPORT = """\
# The checks, read afresh from the course's files: no cell above can change them.
import importlib, sys
notebook_modules = {name: sys.modules.pop(name) for name in list(sys.modules) if name.split(".")[0] == "digits"}
checks = importlib.import_module("digits.checks")
sys.modules.update({name: module for name, module in notebook_modules.items() if name != "digits.checks"})
"""
"""The lines every autograded test cell starts with, before it calls its check.

They set aside every `digits` module the notebook has imported, import
`digits.checks` (and the modules it needs) from their files, then put the
notebook's modules back, all but its `digits.checks`, so the rest of the notebook
runs on the modules it imported.
"""


class CheckFailed(AssertionError):
    """A student's function gave a wrong answer; the message says what and why in one sentence."""


# ---------------------------------------------------------------- helpers

def _fail(message: str):
    __tracebackhide__ = True
    raise CheckFailed(message) from None


def _passed(message: str) -> None:
    print(f"✓ {message}")


def _call(name: str, function: Callable, args: tuple, on: str) -> Any:
    """Call the student's ``function(*args)``; turn every way it can go wrong into a sentence.

    ``on`` describes the input for the messages ("a batch of 3 uint8 images").
    """
    __tracebackhide__ = True
    if function is None:
        _fail(f"`{name}` is not defined yet: run the cell with `def {name}(...):` above, then run this check again.")
    if not callable(function):
        _fail(f"`{name}` should be a function (a `def {name}(...):`), but it is a {type(function).__name__}.")
    library = _library_name(function)
    if library:
        _fail(
            f"`{name}` is the course's own `{library}`, not yours: the exercise is to write it yourself, "
            f"in the `def {name}(...):` cell above."
        )
    try:
        with _LibraryCalls() as calls:
            result = function(*args)
    except NotImplementedError:
        _fail(
            f"`{name}` is not written yet: replace `raise NotImplementedError()` in its cell with your code, "
            "run that cell, then run this check again."
        )
    except CheckFailed:
        raise
    except Exception as error:  # noqa: BLE001 - any crash of the student's code becomes a message
        _fail(
            f"`{name}` crashed on {on} with {type(error).__name__}: {error} "
            "(call it yourself on such an input to see where)."
        )
    if calls.first:
        _fail(
            f"`{name}` calls the course's own `{calls.first}`: the exercise is to write it yourself "
            "(NumPy, OpenCV and SciPy are all you need)."
        )
    if result is None:
        _fail(f"`{name}` returned None on {on}: did you forget the `return` line?")
    return result


_PACKAGE = Path(__file__).resolve().parent
"""The `digits` package on disk: a student's function may not call into it (this module aside)."""


def _library_name(function: Any) -> str:
    """``"digits.preprocess.fit_in_box"`` when ``function`` comes from the `digits` package, else ``""``."""
    module = getattr(function, "__module__", None) or ""
    if module != __name__ and (module == "digits" or module.startswith("digits.")):
        return f"{module}.{getattr(function, '__qualname__', getattr(function, '__name__', '?'))}"
    code = getattr(function, "__code__", None)
    if code is not None and _in_package(code.co_filename):
        return f"digits.{Path(code.co_filename).stem}.{code.co_name}"
    return ""


def _in_package(filename: str) -> bool:
    try:
        path = Path(filename).resolve()
    except (OSError, ValueError):
        return False
    return path.parent == _PACKAGE and path.name != Path(__file__).name


class _LibraryCalls:
    """While active, records the first call into the `digits` package (``first``, e.g. ``"digits.preprocess.fit_in_box"``).

    It hooks `sys.setprofile` for the duration of the student's call and puts back
    whatever profiler was there before.
    """

    def __init__(self):
        self.first = ""

    def _profile(self, frame, event, arg):
        if event == "call" and not self.first and _in_package(frame.f_code.co_filename):
            self.first = f"digits.{Path(frame.f_code.co_filename).stem}.{frame.f_code.co_name}"
        if self._previous is not None:
            self._previous(frame, event, arg)

    def __enter__(self):
        self._previous = sys.getprofile()
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc_info):
        sys.setprofile(self._previous)
        return False


def _name(function: Any, default: str) -> str:
    """The name the student gave their function (a lambda's is ``default``)."""
    name = getattr(function, "__name__", "")
    return name if isinstance(name, str) and name.isidentifier() else default


def _array(name: str, result: Any, on: str) -> np.ndarray:
    __tracebackhide__ = True
    if not isinstance(result, np.ndarray):
        _fail(f"`{name}` should return a NumPy array, but on {on} it returned a {type(result).__name__}.")
    return result


def _numbers(name: str, result: Any, count: int, what: str, on: str) -> tuple:
    """The result as a tuple of ``count`` Python numbers, or a friendly failure."""
    __tracebackhide__ = True
    if isinstance(result, np.ndarray):
        result = result.tolist()
    if not isinstance(result, (tuple, list)) or len(result) != count:
        _fail(f"`{name}` should return {what}, but on {on} it returned {result!r}.")
    if not all(isinstance(value, numbers.Real) and not isinstance(value, bool) for value in result):
        _fail(f"`{name}` should return {what} (numbers), but on {on} it returned {result!r}.")
    return tuple(float(value) if isinstance(value, float) else value for value in result)


def _integer(name: str, result: Any, what: str, on: str) -> int:
    __tracebackhide__ = True
    if isinstance(result, (np.integer, np.floating)):
        result = result.item()
    if isinstance(result, bool) or not isinstance(result, numbers.Real) or result != int(result):
        _fail(f"`{name}` should return {what}, a whole number, but on {on} it returned {result!r}.")
    return int(result)


def _untouched(name: str, before: np.ndarray, after: np.ndarray) -> None:
    __tracebackhide__ = True
    if not np.array_equal(before, after):
        _fail(
            f"`{name}` changed the array it was given; leave the input as it is and return a new array, "
            "so the data you started from stays intact."
        )


def _point(point) -> str:
    return "(" + ", ".join(f"{float(value):.1f}" for value in point) + ")"


def _shape(shape) -> str:
    return "x".join(str(side) for side in shape)


def _digit_like(height: int, width: int, seed: int) -> np.ndarray:
    """A float32 (height, width) picture of a digit-like stroke in [0, 1], touching all four sides."""
    rng = np.random.default_rng(seed)
    canvas = np.zeros((height * 4, width * 4), np.uint8)
    points = np.column_stack([rng.uniform(0, width * 4 - 1, 5), rng.uniform(0, height * 4 - 1, 5)])
    points[:4] = [[0, 0], [width * 4 - 1, height * 0.3 * 4], [width * 0.2 * 4, height * 4 - 1], [width * 4 - 1, height * 4 - 1]]
    thickness = max(2, min(height, width) // 2)
    cv2.polylines(canvas, [points.astype(np.int32)], False, 255, thickness, cv2.LINE_AA)
    small = cv2.resize(canvas, (width, height), interpolation=cv2.INTER_AREA).astype(np.float32)
    return small / small.max()


def _placed(digit: np.ndarray, top: int, left: int) -> np.ndarray:
    """``digit`` pasted onto a black 28x28 field with its top-left corner at (top, left)."""
    field = np.zeros((MNIST_SIZE, MNIST_SIZE), np.float32)
    field[top : top + digit.shape[0], left : left + digit.shape[1]] = digit
    return field


def _placed_near(digit: np.ndarray, row: float, column: float) -> np.ndarray:
    """``digit`` on a black 28x28 field, its centre of mass within half a pixel of (row, column)."""
    mass_row, mass_col = ndimage.center_of_mass(digit)
    top, left = round(row - mass_row), round(column - mass_col)
    return _placed(digit, min(max(top, 0), MNIST_SIZE - digit.shape[0]), min(max(left, 0), MNIST_SIZE - digit.shape[1]))


# ---------------------------------------------------------------- notebook 02: the MNIST format

def check_normalize(normalize: Callable) -> None:
    """``normalize(images)``: uint8 pixels 0..255 to float32 in [0, 1], same shape, input untouched."""
    __tracebackhide__ = True
    name = _name(normalize, "normalize")
    rng = np.random.default_rng(2)
    batch = rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8)
    batch[0, 0, 0], batch[1, 0, 0] = 0, 255
    faint = (rng.random((28, 28)) * 200).astype(np.uint8)
    faint[14, 14] = 200
    cases = [(batch, "a batch of 3 uint8 images of shape (3, 28, 28)"), (faint, "one faint 28x28 image (brightest pixel 200)")]
    for images, on in cases:
        given = images.copy()
        result = _array(name, _call(name, normalize, (given,), on), on)
        _untouched(name, images, given)
        if result.shape != images.shape:
            _fail(
                f"`{name}` returned shape {result.shape} for images of shape {images.shape}: "
                "normalising changes the pixel values, never the shape."
            )
        if not np.issubdtype(result.dtype, np.floating):
            _fail(
                f"`{name}` returned whole numbers ({result.dtype}), which in [0, 1] can only be 0 or 1: "
                "the network needs fractions, as float32."
            )
        if result.dtype != np.float32:
            _fail(f"`{name}` returned {result.dtype} numbers; Keras computes in float32, so convert to float32.")
        if result.min() < 0:
            _fail(
                f"`{name}` returned negative values (down to {result.min():.2f}) on {on}: "
                "pixels go from 0 to 255, so after normalising they should lie between 0 and 1."
            )
        if result.max() > 1.0 + 1e-6:
            _fail(
                f"`{name}` returned values up to {result.max():.1f} on {on}: every pixel should end up "
                "between 0 and 1, so divide by 255, the brightest value a uint8 pixel can have."
            )
        expected = images.astype(np.float32) / 255
        if images is faint and abs(result.max() - 1.0) < 1e-3:
            _fail(
                "A faint image (brightest pixel 200) came back with its brightest pixel at 1.0: divide by 255, "
                "the largest possible value, not by each image's own maximum, so faint digits stay faint."
            )
        if not np.allclose(result, expected, atol=1e-5):
            index = tuple(int(i) for i in np.argwhere(~np.isclose(result, expected, atol=1e-5))[0])
            _fail(
                f"On {on}, the pixel at {index} was {images[index]} and became {result[index]:.4f}, "
                f"but {images[index]} / 255 = {expected[index]:.4f}."
            )
    _passed(f"{name}: uint8 pixels 0..255 become float32 in [0, 1], and faint images stay faint.")


def check_one_hot(one_hot: Callable) -> None:
    """``one_hot(labels)``: (N,) digits to (N, 10) rows of zeros with a single 1 at the digit."""
    __tracebackhide__ = True
    name = _name(one_hot, "one_hot")
    cases = [np.array([5, 0, 4, 1, 9, 2, 1, 3], dtype=np.uint8), np.array([3, 0, 2])]
    for labels in cases:
        on = f"the labels {labels}"
        given = labels.copy()
        result = _array(name, _call(name, one_hot, (given,), on), on)
        _untouched(name, labels, given)
        count = len(labels)
        if result.shape == (NUM_CLASSES, count):
            _fail(
                f"`{name}` returned shape {result.shape} for {count} labels: one row per label, "
                f"so it should be ({count}, 10); your rows and columns are swapped."
            )
        if result.ndim == 2 and result.shape[0] == count and result.shape[1] != NUM_CLASSES:
            _fail(
                f"`{name}` gave {result.shape[1]} columns for {on}: there are always 10 classes "
                "(the digits 0-9), whatever labels a batch happens to contain."
            )
        if result.shape != (count, NUM_CLASSES):
            _fail(f"`{name}` returned shape {result.shape} for {count} labels; expected ({count}, 10).")
        if not (np.issubdtype(result.dtype, np.number) or result.dtype == np.bool_):
            _fail(f"`{name}` returned an array of {result.dtype}; it should hold numbers (0s and 1s).")
        if not np.isin(result, (0, 1)).all():
            _fail(f"`{name}` returned values other than 0 and 1 for {on}, e.g. {result[~np.isin(result, (0, 1))][0]}.")
        ones = result.sum(axis=1)
        if not (ones == 1).all():
            row = int(np.flatnonzero(ones != 1)[0])
            _fail(f"Row {row} of `{name}`'s answer for {on} holds {int(ones[row])} ones; every row needs exactly one.")
        found = result.argmax(axis=1)
        if not (found == labels).all():
            row = int(np.flatnonzero(found != labels)[0])
            _fail(
                f"The label {labels[row]} became a row with its 1 in column {found[row]}: the 1 for digit d goes "
                "in column d (columns count from 0)."
            )
    _passed(f"{name}: each label becomes a row of ten numbers with a single 1 at the digit's position.")


def check_center_of_mass(center_of_mass: Callable) -> None:
    """``center_of_mass(image)``: the (row, column) of the ink's brightness-weighted centre."""
    __tracebackhide__ = True
    name = _name(center_of_mass, "center_of_mass")
    dot = np.zeros((28, 28), np.float32)
    dot[5, 20] = 1.0
    pair = np.zeros((28, 28), np.float32)
    pair[2, 2], pair[2, 10] = 0.25, 0.75
    digit = _placed(_digit_like(18, 12, seed=5), 3, 9)
    cases = [
        (dot, "an image with one white pixel at row 5, column 20"),
        (pair, "an image with a faint pixel (0.25) at (2, 2) and a bright one (0.75) at (2, 10)"),
        (digit, "a 28x28 digit"),
    ]
    for image, on in cases:
        given = image.copy()
        result = _numbers(
            name, _call(name, center_of_mass, (given,), on), 2, "a pair (row, column)", on
        )
        _untouched(name, image, given)
        expected = ndimage.center_of_mass(image)
        if np.allclose(result, expected, atol=1e-3):
            continue
        if np.allclose(result, expected[::-1], atol=1e-3):
            _fail(
                f"On {on} you returned {_point(result)}, which is (column, row): images are indexed by row first, "
                f"so return (row, column) = {_point(expected)}."
            )
        rows, cols = np.nonzero(image)
        if np.allclose(result, (rows.mean(), cols.mean()), atol=1e-3):
            _fail(
                f"On {on} you averaged the ink pixels' positions without their brightness, giving {_point(result)}: "
                f"a bright pixel pulls harder than a faint one, so weight each position by its value; expected {_point(expected)}."
            )
        _fail(f"On {on} the centre of mass is at {_point(expected)}, but you returned {_point(result)}.")
    _passed(f"{name}: the brightness-weighted mean (row, column) of the ink.")


# ---------------------------------------------------------------- notebook 03: the CNN, layer by layer

def check_conv_output_shape(conv_output_shape: Callable) -> None:
    """``conv_output_shape(input_shape, filters, kernel_size, padding="valid")``: a Conv2D's (height, width, channels)."""
    __tracebackhide__ = True
    name = _name(conv_output_shape, "conv_output_shape")
    # (input_shape, filters, kernel_size, padding, the right answer)
    cases = [((28, 28, 1), 32, 3, "valid", (26, 26, 32)), ((13, 13, 32), 64, 3, "valid", (11, 11, 64)),
             ((10, 20, 3), 4, 5, "valid", (6, 16, 4)), ((28, 28, 1), 32, 3, "same", (28, 28, 32)),
             ((10, 20, 3), 4, 5, "same", (10, 20, 4))]
    for input_shape, filters, kernel, padding, expected in cases:
        height, width, channels = input_shape
        on = f"an input of shape {input_shape} with {filters} filters of size {kernel}x{kernel}"
        args = (input_shape, filters, kernel)
        if padding != "valid":
            on += ' and padding="same"'
            call = lambda *args: conv_output_shape(*args, padding="same")  # noqa: E731
            call.__name__ = name
        else:
            call = conv_output_shape
        result = _numbers(name, _call(name, call, args, on), 3, "a tuple (height, width, channels)", on)
        valid = cases[[case[:3] for case in cases].index((input_shape, filters, kernel))][4]
        if result == expected:
            continue
        got_height, got_width, got_channels = result
        if got_channels != filters:
            if got_channels == channels:
                _fail(
                    f"For {on} you kept the input's number of channels, {channels}: a convolution layer outputs "
                    f"one channel per filter, so the last number should be {filters}."
                )
            _fail(f"For {on} the last number, the channels, should be the number of filters, {filters}, not {got_channels}.")
        if padding != "valid":
            if result == valid:
                _fail(
                    f'For {on} you gave the "valid" answer {valid}: with padding="same" Keras pads the border '
                    f"with zeros so the kernel fits everywhere, and the output keeps the input's {height}x{width}."
                )
            _fail(f'For {on} the output keeps the input\'s height and width: expected {expected}, got {result}.')
        if (got_height, got_width) == (height, width):
            _fail(
                f'For {on} you kept the input\'s size {height}x{width}, as padding="same" would; with the default '
                f'padding="valid" the {kernel}x{kernel} kernel is only placed where it fits inside the image.'
            )
        if (got_height, got_width) == (height - kernel, width - kernel):
            _fail(
                f"For {on} your answer {result} is one pixel short: a {kernel}-wide kernel fits in "
                f"{height} - {kernel} + 1 = {height - kernel + 1} positions across {height} pixels (count the first one too)."
            )
        if (got_height, got_width) == (expected[1], expected[0]):
            _fail(f"For {on} your height and width are swapped: expected {expected}, got {result}.")
        _fail(f"For {on} the output shape is {expected}, but you returned {result}.")
    _passed(f'{name}: "valid" trims kernel - 1 pixels, "same" keeps the size, and there is one channel per filter.')


def _cnn_parameters(filters1: int, filters2: int, units: int, *, biases: bool = True, side: int = 5) -> int:
    """Parameters of the report's network with other widths; ``side`` is the last feature map's side."""
    bias = 1 if biases else 0
    return (
        (3 * 3 * 1 + bias) * filters1
        + (3 * 3 * filters1 + bias) * filters2
        + (side * side * filters2 + bias) * units
        + (units + bias) * 10
    )


def check_cnn_parameter_count(cnn_parameter_count: Callable) -> None:
    """``cnn_parameter_count(filters1, filters2, units)``: all parameters of the report's network with those widths."""
    __tracebackhide__ = True
    name = _name(cnn_parameter_count, "cnn_parameter_count")
    for filters1, filters2, units in [(32, 64, 128), (16, 32, 64), (8, 24, 50)]:
        on = f"the network with filters1={filters1}, filters2={filters2}, units={units}"
        result = _integer(name, _call(name, cnn_parameter_count, (filters1, filters2, units), on), "the number of parameters", on)
        expected = _cnn_parameters(filters1, filters2, units)
        if result == expected:
            continue
        flat = 5 * 5 * filters2
        if result == _cnn_parameters(filters1, filters2, units, side=1):
            _fail(
                f"For {on} you connected the Dense layer to {filters2} inputs, but Flatten hands it every value "
                f"of the last 5x5x{filters2} feature maps: {flat} inputs."
            )
        if result == _cnn_parameters(filters1, filters2, units, side=11):
            _fail(
                f"For {on} you flattened 11x11x{filters2} values, as if the second pooling layer were not there: "
                f"it halves 11 to 5, so the Dense layer sees {flat} inputs."
            )
        if result == _cnn_parameters(filters1, filters2, units, side=6):
            _fail(
                f"For {on} you flattened 6x6x{filters2} values: pooling keeps whole 2x2 windows only, so 11 // 2 = 5, "
                f"and the Dense layer sees {flat} inputs."
            )
        if result == _cnn_parameters(filters1, filters2, units, biases=False):
            _fail(f"For {on} you counted the weights but forgot the biases: every filter and every unit has one.")
        if result == expected - (units + 1) * 10:
            _fail(f"For {on} you left out the last layer, Dense(10), with its {units} x 10 weights and 10 biases.")
        if result == expected - (3 * 3 * 1 + 1) * filters1:
            _fail(f"For {on} you left out the first convolution layer's {(3 * 3 + 1) * filters1} parameters.")
        _fail(f"For {on} the network has {expected} parameters (Keras agrees), but you returned {result}.")
    _passed(f"{name}: two convolutions, a Dense layer over the 5x5xfilters2 flattened maps and Dense(10), biases included.")


# ---------------------------------------------------------------- notebook 04: reading a confusion matrix

def _example_matrix() -> np.ndarray:
    """A 10x10 confusion matrix (rows: true digit, columns: prediction) whose rows and columns differ.

    Its largest cell off the diagonal, (7, 2) with 11, is not its most confused pair:
    4 and 9 are mistaken for each other 8 + 6 = 14 times.
    """
    rng = np.random.default_rng(4)
    matrix = np.diag(rng.integers(90, 120, NUM_CLASSES))
    mistakes = {(7, 2): 11, (4, 9): 8, (9, 4): 6, (3, 5): 5, (5, 3): 2, (8, 3): 4, (1, 7): 2, (6, 0): 3}
    for (true, predicted), count in mistakes.items():
        matrix[true, predicted] = count
    return matrix


def check_precision(precision: Callable) -> None:
    """``precision(matrix)``: for each digit, the fraction of the images *called* that digit that really are it."""
    __tracebackhide__ = True
    name = _name(precision, "precision")
    matrix = _example_matrix()
    on = "a 10x10 confusion matrix"
    given = matrix.copy()
    result = _array(name, _call(name, precision, (given,), on), on)
    _untouched(name, matrix, given)
    correct = np.diag(matrix).astype(float)
    expected = correct / matrix.sum(axis=0)
    if result.shape != (NUM_CLASSES,):
        _fail(f"`{name}` returned shape {result.shape}; it should give 10 numbers, one per digit.")
    if not np.issubdtype(result.dtype, np.number):
        _fail(f"`{name}` returned an array of {result.dtype}; it should hold fractions.")
    if np.allclose(result, expected, atol=1e-6):
        _passed(f"{name}: each diagonal cell divided by its column's total, the images called that digit.")
        return
    if np.allclose(result, 100 * expected, atol=1e-4):
        _fail(f"`{name}` returned percentages; give fractions between 0 and 1 instead.")
    if np.allclose(result, correct / matrix.sum(axis=1), atol=1e-6):
        _fail(
            "You divided by the row totals, which gives the recall (how many real ds were found); precision asks "
            "how many of the images *called* d really are d, so divide by column d's total."
        )
    if np.allclose(result, correct / matrix.sum(), atol=1e-6):
        _fail("You divided by the number of all images; divide each diagonal cell by its own column's total.")
    if np.allclose(result, correct):
        _fail(f"`{name}` returned counts of correct answers; divide each by its column's total to get a fraction.")
    digit = int(np.flatnonzero(~np.isclose(result, expected, atol=1e-6))[0])
    _fail(f"For digit {digit} the precision is {expected[digit]:.3f}, but you returned {result[digit]:.3f}.")


def check_most_confused_pair(most_confused_pair: Callable) -> None:
    """``most_confused_pair(matrix)``: the two digits mistaken for each other most often, both directions counted."""
    __tracebackhide__ = True
    name = _name(most_confused_pair, "most_confused_pair")
    first = _example_matrix()
    second = first.copy()
    second[2, 7] = 4  # now 2 and 7: 11 + 4 = 15 beats 4 and 9
    for matrix, (a, b) in ((first, (4, 9)), (second, (2, 7))):
        on = "a 10x10 confusion matrix"
        given = matrix.copy()
        result = _call(name, most_confused_pair, (given,), on)
        _untouched(name, matrix, given)
        result = _numbers(name, result, 2, "a pair of digits", on)
        together = matrix[a, b] + matrix[b, a]
        if list(result) == [a, b]:
            continue
        if list(result) == [b, a]:
            _fail(f"Right pair, but give the smaller digit first: ({a}, {b}), not ({b}, {a}).")
        got_a, got_b = result
        if got_a == got_b:
            _fail(
                f"Your pair ({got_a:g}, {got_b:g}) is on the diagonal, where the correct answers are; "
                "mistakes are the numbers off the diagonal."
            )
        one_way = matrix.copy()
        np.fill_diagonal(one_way, 0)
        true, predicted = (int(i) for i in np.unravel_index(one_way.argmax(), one_way.shape))
        if sorted(result) == sorted([true, predicted]):
            _fail(
                f"A {true} read as a {predicted} is the most frequent mistake in one direction ({matrix[true, predicted]} "
                f"times), but {a} and {b} are mistaken for each other {together} times counting both directions "
                f"({matrix[a, b]} + {matrix[b, a]}): add each cell to its mirror image across the diagonal."
            )
        _fail(
            f"{a} and {b} are mistaken for each other most often, {together} times ({matrix[a, b]} + {matrix[b, a]}), "
            f"but you returned {tuple(result)}."
        )
    _passed(f"{name}: each cell plus its mirror image across the diagonal, the largest pair of digits.")


# ---------------------------------------------------------------- notebook 05: a drawing in MNIST format

def check_fit_in_box(fit_in_box: Callable) -> None:
    """``fit_in_box(crop)``: scale a cropped digit so its longer side is 20 pixels, aspect ratio kept."""
    __tracebackhide__ = True
    name = _name(fit_in_box, "fit_in_box")
    box = MNIST_BOX
    for height, width, seed in [(60, 30, 0), (12, 48, 1), (7, 5, 2), (40, 40, 3)]:
        crop = _digit_like(height, width, seed)
        kind = "tall" if height > width else "wide" if width > height else "square"
        on = f"a {kind} {_shape(crop.shape)} crop (rows x columns)"
        given = crop.copy()
        result = _array(name, _call(name, fit_in_box, (given,), on), on)
        _untouched(name, crop, given)
        scale = box / max(height, width)
        expected = (round(height * scale), round(width * scale))
        if result.ndim != 2:
            _fail(f"`{name}` returned shape {result.shape} for {on}; it should stay a 2-D grey image.")
        close = all(abs(got - want) <= 1 for got, want in zip(result.shape, expected))
        if not close:
            if result.shape == (box, box):
                _fail(
                    f"You squashed {on} into 20x20: keep its shape, so it should become {_shape(expected)} "
                    "(a squashed 1 looks like a blob)."
                )
            if all(abs(got - want) <= 1 for got, want in zip(result.shape, expected[::-1])):
                _fail(
                    f"{on[0].upper() + on[1:]} came back {_shape(result.shape)} instead of {_shape(expected)}: "
                    "cv2.resize takes the size as (width, height), the other way round from NumPy's (rows, columns)."
                )
            if max(result.shape) != box:
                _fail(
                    f"For {on} the longer side should be exactly {box} pixels (the MNIST box), so expected "
                    f"{_shape(expected)}, but got {_shape(result.shape)}."
                )
            _fail(f"For {on} keep the aspect ratio: expected {_shape(expected)}, but got {_shape(result.shape)}.")
        if not np.issubdtype(result.dtype, np.floating):
            _fail(f"`{name}` returned {result.dtype} pixels; keep them as floats in [0, 1] like its input.")
        if result.min() < -1e-3 or result.max() > 1 + 1e-3:
            _fail(
                f"`{name}` returned values from {result.min():.2f} to {result.max():.2f} for {on}; "
                "the crop holds values in [0, 1], and so should the fitted digit."
            )
        if result.max() < 0.5:
            _fail(f"The fitted digit for {on} is nearly black (brightest pixel {result.max():.2f}): the ink got lost on the way.")
        reference = cv2.resize(crop, (result.shape[1], result.shape[0]), interpolation=cv2.INTER_AREA)
        similarity = np.corrcoef(result.ravel(), reference.ravel())[0, 1]
        if not similarity > 0.8:
            _fail(
                f"For {on} the shape is right but the picture is not the crop scaled down "
                "(is it flipped, turned or moved?): resize the crop itself."
            )
    _passed(f"{name}: the longer side becomes 20 pixels and the digit keeps its proportions.")


def check_shift_to_center(shift_to_center: Callable) -> None:
    """``shift_to_center(image)``: move a 28x28 digit so its centre of mass lands on (14, 14)."""
    __tracebackhide__ = True
    name = _name(shift_to_center, "shift_to_center")
    target = np.array(MNIST_CENTER)
    low = _placed_near(_digit_like(16, 12, seed=7), 12, 14)
    corner = _placed_near(_digit_like(18, 14, seed=8), 10, 18)
    tolerance = 0.6
    for image, where in [(low, "above the centre"), (corner, "up and to the right")]:
        start = np.array(ndimage.center_of_mass(image))
        on = f"a 28x28 digit whose centre of mass is at {_point(start)}, {where}"
        given = image.copy()
        result = _array(name, _call(name, shift_to_center, (given,), on), on)
        _untouched(name, image, given)
        if result.shape != image.shape:
            _fail(f"`{name}` returned shape {result.shape}; moving a digit keeps the image 28x28.")
        result = result.astype(np.float64)
        if result.sum() <= 0:
            _fail(f"`{name}` returned an empty image for {on}: the digit disappeared.")
        if result.sum() < 0.8 * image.sum():
            _fail(
                f"For {on} only {result.sum() / image.sum():.0%} of the ink is left: part of the digit fell off "
                "the edge, so move it by the difference between the centre and its centre of mass, no further."
            )
        end = np.array(ndimage.center_of_mass(result))
        if np.all(np.abs(end - target) <= tolerance):
            continue
        needed, moved = target - start, end - start
        expected = "(14, 14)" if tuple(target) == (14.0, 14.0) else _point(target)
        if np.allclose(moved, needed[::-1], atol=tolerance):
            _fail(
                f"Your shift mixes up rows and columns: the digit moved by {_point(moved)} (rows, columns) "
                f"instead of {_point(needed)}, so its centre of mass ended at {_point(end)}, expected {expected}."
            )
        if np.dot(moved, needed) < 0:
            _fail(
                f"Your shift moves the digit the wrong way: its centre of mass ended at {_point(end)}, expected {expected}."
            )
        if np.linalg.norm(moved) < 0.25:
            _fail(f"The digit did not move: its centre of mass is still at {_point(end)}, expected {expected}.")
        _fail(
            f"Your shift moves the digit by {_point(moved)} but it needs {_point(needed)}: its centre of mass "
            f"ended at {_point(end)}, expected {expected}."
        )
    _passed(f"{name}: the digit's centre of mass now sits at the centre of the 28x28 field.")


# ---------------------------------------------------------------- the teacher's hidden cases

def expect(function: Callable, args: Any, expected: Any, *, measure: str = "value", tolerance: float = 1e-4) -> None:
    """Raise `CheckFailed` unless ``function(*args)`` gives ``expected`` (within ``tolerance``).

    For the hidden tests of an nbgrader test cell, whose expected values are
    written out in the cell. ``args`` is one argument or a tuple of them.
    ``measure`` says what of the answer is compared: ``"value"`` (a number, a
    tuple of numbers or an array, same shape), ``"sorted"`` (a pair compared in
    order, so "smaller first" is enforced by ``"value"`` and relaxed by this) or
    ``"center_of_mass"`` (the ``(row, column)`` centre of an image). Prints
    nothing when it passes, so the hidden cases stay hidden.
    """
    __tracebackhide__ = True
    name = _name(function, "your function")
    on = "one of the teacher's hidden cases"
    args = args if isinstance(args, tuple) else (args,)
    given = tuple(np.copy(arg) if isinstance(arg, np.ndarray) else arg for arg in args)
    result = _call(name, function, given, on)
    for before, after in zip(args, given):
        if isinstance(before, np.ndarray):
            _untouched(name, before, after)
    if measure == "center_of_mass":
        result = _array(name, result, on)
        if result.ndim != 2 or result.sum() <= 0:
            _fail(f"On {on} `{name}` returned an array of shape {result.shape} without ink; expected a 2-D picture.")
        result = ndimage.center_of_mass(result.astype(np.float64))
    elif measure == "sorted":
        result = sorted(_numbers(name, result, len(expected), f"{len(expected)} numbers", on))
        expected = sorted(expected)
    elif measure != "value":
        raise ValueError(f"measure should be 'value', 'sorted' or 'center_of_mass', not {measure!r}")
    got = np.asarray(result, dtype=object if isinstance(result, str) else None)
    want = np.asarray(expected)
    if got.shape != want.shape:
        _fail(f"On {on} `{name}` returned something of shape {got.shape}, but the right answer has shape {want.shape}.")
    if not (np.issubdtype(got.dtype, np.number) or got.dtype == np.bool_):
        _fail(f"On {on} `{name}` returned {result!r}, which is not made of numbers.")
    if not np.allclose(got.astype(np.float64), want.astype(np.float64), atol=tolerance, rtol=0):
        if got.size <= 4:
            _fail(f"On {on} `{name}` returned {_short(got)}, but the right answer is {_short(want)}.")
        _fail(f"On {on} `{name}` returned values that differ from the right answer by up to "
              f"{np.abs(got.astype(np.float64) - want).max():.3g}.")


def _short(values: np.ndarray) -> str:
    flat = [f"{value:g}" for value in values.astype(np.float64).ravel()]
    return flat[0] if values.ndim == 0 else "(" + ", ".join(flat) + ")"


# ---------------------------------------------------------------- Jupyter display

def _show_check_failed(shell, etype, value, tb, tb_offset=None):
    """Show a `CheckFailed` as its one sentence, without a traceback through this module."""
    structured = [f"\x1b[0;31m{etype.__name__}\x1b[0m: {value}"]
    shell._showtraceback(etype, value, structured)
    return structured


def _show_name_error(shell, etype, value, tb, tb_offset=None):
    """A name used in a notebook cell itself (not inside a function) that is not defined yet: one line.

    Any other `NameError` gets IPython's usual traceback.
    """
    name = getattr(value, "name", None)
    innermost = tb
    while innermost is not None and innermost.tb_next is not None:
        innermost = innermost.tb_next
    if name and innermost is not None and innermost.tb_frame.f_code.co_name == "<module>":
        structured = [
            f"\x1b[0;31mNameError\x1b[0m: `{name}` is not defined yet: run the cell that defines it "
            "(above this one) first, then run this cell again."
        ]
    else:
        structured = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    shell._showtraceback(etype, value, structured)
    return structured


def _show(shell, etype, value, tb, tb_offset=None):
    if issubclass(etype, CheckFailed):
        return _show_check_failed(shell, etype, value, tb, tb_offset)
    return _show_name_error(shell, etype, value, tb, tb_offset)


def _register_with_ipython() -> None:
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "set_custom_exc") and hasattr(shell, "_showtraceback"):
        shell.set_custom_exc((CheckFailed, NameError), _show)


_register_with_ipython()


# ---------------------------------------------------------------- notebook 07: numbers and photos



def _box_list(name: str, result: Any, what: str, width: int, on: str) -> list[tuple[int, ...]]:
    """The result as a list of ``width``-tuples of whole numbers (from a list, a tuple or an (n, width) array)."""
    __tracebackhide__ = True
    if isinstance(result, np.ndarray):
        if result.size == 0:
            return []
        if result.ndim != 2 or result.shape[1] != width:
            _fail(f"`{name}` should return {what}, but on {on} it returned an array of shape {result.shape}.")
        result = result.tolist()
    if not isinstance(result, (list, tuple)):
        _fail(f"`{name}` should return {what}, but on {on} it returned a {type(result).__name__}.")
    rows = []
    for row in result:
        if isinstance(row, np.ndarray):
            row = row.tolist()
        if not isinstance(row, (list, tuple)) or len(row) != width:
            _fail(f"`{name}` should return {what}, but on {on} one of them is {row!r}.")
        if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) and v == int(v) for v in row):
            _fail(f"`{name}` should return {what} of whole pixel numbers, but on {on} one of them is {row!r}.")
        rows.append(tuple(int(v) for v in row))
    return rows


def _blob_boxes(mask: np.ndarray, connectivity: int = 8) -> list[tuple[int, int, int, int]]:
    """``(x0, y0, x1, y1)`` of each connected blob of ``mask``, ends exclusive, by ``x0`` then ``y0``."""
    structure = np.ones((3, 3), bool) if connectivity == 8 else ndimage.generate_binary_structure(2, 1)
    labels, _ = ndimage.label(mask, structure=structure)
    found = [(cols.start, rows.start, cols.stop, rows.stop) for rows, cols in ndimage.find_objects(labels)]
    return sorted(found)


def _components_example() -> np.ndarray:
    """A 40x60 ink mask: a 5 whose flag does not touch it, a 1 written down to the bottom, a slanted dash."""
    mask = np.zeros((40, 60), bool)
    mask[10:12, 8:18] = True            # the 5's flag, apart from its body
    mask[14:34, 8:10] = True            # ... and its body: a down stroke,
    mask[20:22, 8:18] = True            # a belly across,
    mask[20:34, 16:18] = True           # down,
    mask[32:34, 8:18] = True            # and back
    mask[2:38, 30:33] = True            # a 1 that starts higher than the 5's flag
    for step in range(12):              # a dash slanting down: its pixels touch only at their corners
        mask[6 + step, 42 + step] = True
    return mask


def check_component_boxes(component_boxes: Callable) -> None:
    """``component_boxes(mask)``: the ``(x0, y0, x1, y1)`` boxes of the 8-connected blobs of ink, left to right."""
    __tracebackhide__ = True
    name = _name(component_boxes, "component_boxes")
    what = "a list of boxes (x0, y0, x1, y1), one per blob of ink"
    example = _components_example()
    touching = np.zeros((20, 50), bool)
    touching[3:17, 4:16] = True
    touching[8:10, 16:30] = True        # a stroke that joins the two
    touching[5:15, 30:44] = True
    touching[6:14, 33:41] = False       # a loop: one blob with a hole
    cases = [(example, "a 40x60 mask holding a 5 with its flag apart, a 1 and a slanted dash"),
             (touching, "a 20x50 mask of two blobs joined by a stroke")]
    for mask, on in cases:
        given = mask.copy()
        result = _box_list(name, _call(name, component_boxes, (given,), on), what, 4, on)
        _untouched(name, mask, given)
        expected = _blob_boxes(mask)
        if result == expected:
            continue
        height, width = mask.shape
        if (0, 0, width, height) in result and len(result) == len(expected) + 1:
            _fail(f"On {on}, one of your boxes covers the whole picture: that is label 0, the paper; "
                  "leave it out (OpenCV's labels start at 1 for the ink).")
        if sorted(result) == _blob_boxes(mask, connectivity=4) and len(result) > len(expected):
            _fail(f"On {on}, you found {len(result)} blobs instead of {len(expected)}: a slanted stroke's pixels touch "
                  "only at their corners, so count the diagonal neighbours too (connectivity=8).")
        if len(result) != len(expected):
            _fail(f"On {on}, there are {len(expected)} blobs of ink, but you returned {len(result)} boxes.")
        if sorted(result) == expected:
            _fail(f"On {on}, your boxes are right but not in order: sort them left to right, by x0 "
                  "(OpenCV numbers its blobs from the top of the picture down).")
        if sorted((x0, y0, x0 + x1, y0 + y1) for x0, y0, x1, y1 in result) == expected:
            _fail(f"On {on}, your boxes end too soon: OpenCV's stats give a blob's width and height, "
                  "and the box wants its right and bottom ends, x1 = x0 + width and y1 = y0 + height.")
        if sorted((x0, y0, x1 + 1, y1 + 1) for x0, y0, x1, y1 in result) == expected:
            _fail(f"On {on}, your boxes stop one pixel short: x1 and y1 are one past the last column and row "
                  "of ink, as in slicing (mask[y0:y1, x0:x1] holds the whole blob).")
        if sorted((y0, x0, y1, x1) for x0, y0, x1, y1 in result) == expected:
            _fail(f"On {on}, your boxes have rows and columns swapped: give (x0, y0, x1, y1), the column first, "
                  "as OpenCV does.")
        wrong = next(box for box in result if box not in expected)
        _fail(f"On {on}, the blobs' boxes are {expected}, left to right, but you returned {result} "
              f"({wrong} is none of them).")
    _passed(f"{name}: one box per 8-connected blob of ink, the paper left out, left to right.")


def _gaps(mask: np.ndarray) -> list[tuple[int, int]]:
    """``(start, stop)`` of each run of empty columns between inked columns, stop exclusive, left to right."""
    inked = np.flatnonzero(np.asarray(mask).any(axis=0))
    if len(inked) == 0:
        return []
    jumps = np.flatnonzero(np.diff(inked) > 1)
    return [(int(inked[j]) + 1, int(inked[j + 1])) for j in jumps]


def check_column_gaps(column_gaps: Callable) -> None:
    """``column_gaps(mask)``: the ``(start, stop)`` runs of empty columns between the ink, margins left out."""
    __tracebackhide__ = True
    name = _name(column_gaps, "column_gaps")
    what = "a list of gaps (start, stop), one per run of empty columns between the ink"
    spaced = np.zeros((12, 40), bool)
    spaced[2:10, 3:9] = True
    spaced[4:11, 14:15] = True          # a gap of 5 columns (9..13), then a 1 pixel wide stroke
    spaced[1:3, 20:31] = True           # a gap of 5 (15..19), then a flag above ...
    spaced[5:11, 22:25] = True          # ... a body: the same digit, no gap between them
    touching = np.zeros((10, 30), bool)
    touching[2:8, 2:14] = True
    touching[4:6, 14:27] = True         # two digits that touch: no gap at all
    cases = [(spaced, "a 12x40 mask of three digits with margins on both sides"),
             (touching, "a 10x30 mask of two digits that touch")]
    for mask, on in cases:
        given = mask.copy()
        result = _box_list(name, _call(name, column_gaps, (given,), on), what, 2, on)
        _untouched(name, mask, given)
        expected = _gaps(mask)
        if result == expected:
            continue
        inked = np.flatnonzero(mask.any(axis=0))
        empty = [column for column in range(int(inked[0]), int(inked[-1])) if not mask[:, column].any()]
        if len(result) > len(expected) and (result and (result[0][0] == 0 or result[-1][1] == mask.shape[1])):
            _fail(f"On {on}, your gaps include the margin at the side of the picture: only the empty columns "
                  "between ink count (a gap has ink on both sides).")
        if [(start, stop + 1) for start, stop in result] == expected:
            _fail(f"On {on}, your gaps stop one column short: stop is one past the last empty column, as in "
                  "slicing (mask[:, start:stop] is all paper).")
        if [(start + 1, stop) for start, stop in result] == expected or [(s + 1, e + 1) for s, e in result] == expected:
            _fail(f"On {on}, your gaps start one column early: start is the first empty column after the ink.")
        if empty and result == [(column, column + 1) for column in empty]:
            _fail(f"On {on}, you listed every empty column on its own: join neighbouring empty columns into one "
                  "gap (start, stop).")
        if mask is touching and result:
            _fail(f"On {on}, there is no empty column between the ink, so there are no gaps, but you returned "
                  f"{result}.")
        _fail(f"On {on}, the gaps between the ink are {expected}, but you returned {result}.")
    _passed(f"{name}: every run of empty columns with ink on both sides, as (start, stop).")


def _reading_scores(readings) -> dict[str, list[float]]:
    """For each way of ranking readings, the score of each reading."""
    probabilities = [[float(p) for _, p in reading] for reading in readings]
    return {
        "product": [float(np.sum(np.log(ps))) for ps in probabilities],
        "sum": [float(np.sum(ps)) for ps in probabilities],
        "mean": [float(np.mean(ps)) for ps in probabilities],
        "max": [float(np.max(ps)) for ps in probabilities],
        "min": [float(np.min(ps)) for ps in probabilities],
    }


def _text(reading) -> str:
    return "".join(str(digit) for digit, _ in reading)


def check_best_reading(best_reading: Callable) -> None:
    """``best_reading(readings)``: the index of the reading whose digits' probabilities multiply to the most."""
    __tracebackhide__ = True
    name = _name(best_reading, "best_reading")
    cases = [
        [[(0, 0.60)], [(0, 0.95), (0, 0.90)]],                      # "00" cut in two beats one wide 0
        [[(8, 0.90)], [(3, 0.70), (0, 0.60)]],                      # an 8 whole beats an 8 cut into "30"
        [[(0, 0.70)], [(0, 0.90), (0, 0.75)]],                      # one 0 beats two unsure halves
        [[(1, 0.97), (4, 0.50)], [(4, 0.80)], [(1, 0.99), (1, 0.40), (1, 0.99)]],
    ]
    results = []
    for readings in cases:
        shown = " or ".join(f'"{_text(reading)}" ({", ".join(f"{p:.0%}" for _, p in reading)})' for reading in readings)
        on = f"the readings {shown}"
        result = _integer(name, _call(name, best_reading, ([list(r) for r in readings],), on),
                          "the position of the best reading in the list", on)
        if not 0 <= result < len(readings):
            _fail(f"On {on}, you returned {result}, but there are only {len(readings)} readings: "
                  f"return a position from 0 to {len(readings) - 1}.")
        results.append((readings, on, result))
    hints = {"sum": "adding them rewards cutting the ink into more digits",
             "mean": "an average forgets that every digit must be right at once",
             "max": "the surest digit alone says nothing of the others",
             "min": "the least sure digit alone leaves out how sure the others are"}
    rule = next((rule for rule in hints
                 if all(result == int(np.argmax(_reading_scores(readings)[rule])) for readings, _, result in results)), None)
    for readings, on, result in results:
        expected = int(np.argmax(_reading_scores(readings)["product"]))
        if result == expected:
            continue
        sure = np.prod([p for _, p in readings[expected]])
        chosen = np.prod([p for _, p in readings[result]])
        said = (f'On {on}, you chose "{_text(readings[result])}" (every digit right with probability {chosen:.0%}), '
                f'but "{_text(readings[expected])}" is all right with probability {sure:.0%}')
        if rule is not None:
            _fail(f"{said}: multiply each reading's probabilities ({hints[rule]}).")
        _fail(f"{said}, so the answer is position {expected}: multiply each reading's probabilities and take the largest.")
    _passed(f"{name}: the reading whose digits' probabilities multiply to the most, the one most likely all right.")
