"""Loading the MNIST handwritten digits.

`load_mnist()` is the one way the course reads MNIST. It looks for the data in a
fixed order (a local file named by ``DIGITS_MNIST``, the Keras cache, then the
Keras download) and checks whatever it finds, so a truncated or foreign file is a
clear error instead of a strange failure three notebooks later.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

ENV_VAR = "DIGITS_MNIST"
"""Environment variable that may name a local copy of ``mnist.npz``."""

_EXPECTED = {
    "x_train": ((60000, 28, 28), np.uint8),
    "y_train": ((60000,), np.uint8),
    "x_test": ((10000, 28, 28), np.uint8),
    "y_test": ((10000,), np.uint8),
}


class MnistError(RuntimeError):
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
        with np.load(path, allow_pickle=False) as npz:
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
        raise MnistError(f"{path} could not be read as an .npz file (truncated or corrupt?): {exc}") from exc

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
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def load_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST as ``(x_train, y_train), (x_test, y_test)`` uint8 arrays.

    Images are (N, 28, 28), white digit (255) on black (0); labels are 0-9.
    Looks, in this order, at:

    1. the file named by the environment variable ``DIGITS_MNIST``;
    2. the Keras cache, ``$KERAS_HOME/datasets/mnist.npz`` (``~/.keras`` by default);
    3. ``keras.datasets.mnist.load_data()``, which downloads it.

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
        import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as exc:  # no network, blocked proxy, failed checksum...
        tried.append(f"downloading with keras.datasets.mnist.load_data() ({type(exc).__name__}: {exc})")
        raise MnistError(
            "Could not load MNIST. Tried:\n  - "
            + "\n  - ".join(tried)
            + f"\nDownload mnist.npz on a machine with internet access "
            "(https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz) and point "
            f"{ENV_VAR} at it, e.g.  export {ENV_VAR}=/path/to/mnist.npz"
        ) from exc
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    return _checked(arrays, "keras.datasets.mnist.load_data()")
