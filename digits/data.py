"""Loading the MNIST handwritten digits.

`load_mnist()` is the one way the course reads MNIST. It looks for the data in a
fixed order (a local file named by ``DIGITS_MNIST``, the Keras cache, then a
download of Keras's copy into that cache) and checks whatever it finds, so a truncated or foreign file is a
clear error instead of a strange failure three notebooks later.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from .downloads import download
from .errors import ShownAsMessage

URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
"""Where Keras downloads MNIST from (``keras.datasets.mnist.load_data()``)."""
ENV_VAR = "DIGITS_MNIST"
"""Environment variable that may name a local copy of ``mnist.npz``."""

_EXPECTED = {
    "x_train": ((60000, 28, 28), np.uint8),
    "y_train": ((60000,), np.uint8),
    "x_test": ((10000, 28, 28), np.uint8),
    "y_test": ((10000,), np.uint8),
}


class MnistError(ShownAsMessage, RuntimeError):
    """MNIST could not be found, or a file that claims to be MNIST is not."""


def keras_cache_path() -> Path:
    """Where ``keras.datasets.mnist.load_data()`` keeps its download.

    Honours ``KERAS_HOME`` like Keras does; otherwise ``~/.keras``.
    """
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets" / "mnist.npz"


def read_mnist_npz(path: str | os.PathLike) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Read and check an ``mnist.npz`` file in Keras's layout.

    Returns ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
    (60000, 28, 28), (60000,), (10000, 28, 28), (10000,). Raises `MnistError`
    naming the file if it is missing, unreadable, truncated or of the wrong shape.
    """
    path = Path(path)
    if not path.is_file():
        raise MnistError(f"MNIST file not found: {path}")
    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        raise MnistError(
            f"{path} is not an .npz file (truncated, corrupt, or another kind of file): "
            f"expected Keras's mnist.npz"
        ) from None
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise MnistError(
            f"{path} holds a single array (an .npy file), not the .npz archive of x_train, y_train, "
            f"x_test and y_test that Keras's mnist.npz is"
        )
    try:
        with loaded as npz:
            missing = [key for key in _EXPECTED if key not in npz.files]
            if missing:
                raise MnistError(
                    f"{path} is not an MNIST file: it lacks {', '.join(missing)} "
                    f"(expected the keys {', '.join(_EXPECTED)})"
                )
            arrays = {key: npz[key] for key in _EXPECTED}
    except MnistError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise MnistError(f"{path} could not be read as an .npz file (truncated or corrupt?): {exc}") from None

    return _checked(arrays, str(path))


def _checked(arrays: dict, source: str):
    """Check shapes, dtypes and label range; return Keras's nested tuples."""
    for key, (shape, dtype) in _EXPECTED.items():
        array = np.asarray(arrays[key])
        if array.shape != shape or array.dtype != dtype:
            raise MnistError(
                f"{source}: {key} has shape {array.shape} and dtype {array.dtype}, "
                f"expected shape {shape} and dtype {np.dtype(dtype)}"
            )
    for key in ("y_train", "y_test"):
        if arrays[key].max() > 9:
            raise MnistError(f"{source}: {key} holds labels above 9 (max {arrays[key].max()})")
        shares = np.bincount(arrays[key], minlength=10) / len(arrays[key])
        if shares.min() < _LEAST_LABEL_SHARE:
            raise MnistError(
                f"{source}: {key} has too few of digit {int(shares.argmin())} ({shares.min():.1%}; "
                f"MNIST has 9-11% of each digit)"
            )
    for key in ("x_train", "x_test"):
        _check_images(arrays[key], f"{source}: {key}")
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


_LEAST_LABEL_SHARE = 0.05
"""Every digit is at least this share of MNIST's labels (it has 9-11% of each)."""
_MEAN_INK = (10.0, 70.0)
"""The mean pixel of MNIST images lies in this range (33 in both splits)."""


def _check_images(images: np.ndarray, name: str) -> None:
    """Raise `MnistError` unless ``images`` look like MNIST's: white digits on black, upright (taller than wide)."""
    sample = images[:2000]
    mean = float(sample.mean())
    if not _MEAN_INK[0] <= mean <= _MEAN_INK[1] or int(sample.max()) < 200:
        raise MnistError(
            f"{name} do not look like MNIST digits: their mean pixel is {mean:.1f} and their brightest "
            f"{int(sample.max())} (MNIST: about 33, and 255: white digits on black)"
        )
    inked = sample > 127
    tall = np.count_nonzero(inked.any(axis=2), axis=1).mean()  # rows with ink
    wide = np.count_nonzero(inked.any(axis=1), axis=1).mean()  # columns with ink
    if tall <= wide:
        raise MnistError(
            f"{name} lie on their side: their ink is {tall:.1f} pixels tall and {wide:.1f} wide on average "
            f"(MNIST digits are taller than wide; were the images transposed?)"
        )


def load_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST as ``(x_train, y_train), (x_test, y_test)`` uint8 arrays.

    Images are (N, 28, 28), white digit (255) on black (0); labels are 0-9.
    Looks, in this order, at:

    1. the file named by the environment variable ``DIGITS_MNIST``;
    2. the Keras cache, ``$KERAS_HOME/datasets/mnist.npz`` (``~/.keras`` by default);
    3. a download of Keras's copy (`URL`) into that cache, waiting at most
       `digits.downloads.TIMEOUT_SECONDS` for a silent server.

    Raises `MnistError` saying what was tried when none of these works.
    """
    tried = []
    env_path = os.environ.get(ENV_VAR)
    if env_path:
        # An explicit choice that fails is an error, not a reason to look elsewhere.
        return read_mnist_npz(env_path)
    tried.append(f"${ENV_VAR} (not set)")

    cache = keras_cache_path()
    if cache.is_file():
        return read_mnist_npz(cache)
    tried.append(f"the Keras cache {cache} (no such file)")

    try:
        download(URL, cache)
    except Exception as exc:  # noqa: BLE001 - no network, a stalled proxy, a refused download...
        tried.append(f"downloading {URL} ({type(exc).__name__}: {exc})")
        raise MnistError(
            "Could not load MNIST. Tried:\n  - "
            + "\n  - ".join(tried)
            + f"\nDownload mnist.npz on a machine with internet access ({URL}) and point "
            f"{ENV_VAR} at it, e.g.  export {ENV_VAR}=/path/to/mnist.npz"
        ) from None
    return read_mnist_npz(cache)
