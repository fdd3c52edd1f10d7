"""Where the trained models live, and the model card beside each: no TensorFlow needed.

The shipped network is kept twice in ``models/``: ``digits_cnn.keras``, the Keras
model that training writes and the notebooks load, and ``digits_cnn.onnx``, the
same network exported for ONNX Runtime (`digits.export`), which `digits.recognize`
and the drawing pad run. Both share one *model card*, ``digits_cnn.json``: how the
network was trained, how well it scores, its temperature, and which ``.keras``
file the ``.onnx`` was exported from.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .calibration import is_temperature
from .errors import ShownAsMessage

INPUT_SHAPE = (28, 28, 1)
"""One MNIST image: 28x28 pixels, one grey channel."""
NUM_CLASSES = 10
"""The digits 0-9."""

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
"""The repository's ``models/`` folder, where the shipped model lives."""
SHIPPED_MODEL = MODELS_DIR / "digits_cnn.keras"
"""The trained Keras model: what training writes and the notebooks load."""
SHIPPED_ONNX = SHIPPED_MODEL.with_suffix(".onnx")
"""The same network exported to ONNX: what `digits.recognize` and the drawing pad run."""


def judge_path(model_path: str | os.PathLike) -> Path:
    """Where the not-a-digit judge of a digit network lives: beside it, ``<name>_not_a_digit.onnx``."""
    model_path = Path(model_path)
    return model_path.with_name(f"{model_path.stem}_not_a_digit.onnx")


NOT_A_DIGIT_MODEL = judge_path(SHIPPED_MODEL)
"""The small network of `digits.not_a_digit` that, with the shipped network's features, decides whether a
picture looks like a digit at all (its statistics and card beside it: ``.npz``, ``.json``)."""
MNIST_ONLY_MODEL = MODELS_DIR / "mnist_only_cnn.keras"
"""The shipped recipe's network as it was before it learned from real writers: MNIST and the generated
styles only (notebook 4 compares the two on real people's handwriting)."""

HOW_TO_FIX = (
    "Train one with `python -m digits.train` (add --output to choose the file), "
    "or restore the shipped model with `git checkout -- models/`."
)
"""What every `ModelLoadError` tells the reader to do."""


class ModelLoadError(ShownAsMessage, RuntimeError):
    """A saved model is missing or cannot be read."""


def card_path(model_path: str | os.PathLike) -> Path:
    """The model card that belongs to a saved model (``.keras`` or ``.onnx``): same name, ``.json``."""
    return Path(model_path).with_suffix(".json")


def read_card(model_path: str | os.PathLike | None = None) -> dict:
    """Read the model card beside a saved model ({} if there is none or it is not JSON)."""
    path = card_path(model_path or SHIPPED_MODEL)
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return card if isinstance(card, dict) else {}


def model_temperature(model_path: str | os.PathLike) -> float:
    """The temperature recorded in the model card beside a saved model: a finite number above 0.

    Raises `ModelLoadError`, naming the card and the field, when the card is missing,
    is not a JSON object, or holds no usable temperature.
    """
    path = card_path(model_path)
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelLoadError(
            f"No model card at {path}: it records the temperature that makes {Path(model_path).name}'s "
            f"probabilities honest. {HOW_TO_FIX}"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelLoadError(f"The model card {path} is damaged: it is not JSON ({exc}). {HOW_TO_FIX}") from None
    if not isinstance(card, dict):
        raise ModelLoadError(
            f"The model card {path} is damaged: it holds a JSON {type(card).__name__}, not an object. {HOW_TO_FIX}"
        )
    temperature = card.get("temperature")
    if not is_temperature(temperature):
        raise ModelLoadError(
            f"The model card {path} is damaged: its field \"temperature\" must be a number above 0, "
            f"got {temperature!r}. {HOW_TO_FIX}"
        )
    return float(temperature)


def file_sha256(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes, as 64 hex digits (the card records the ``.keras`` an ``.onnx`` came from)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
