"""Exporting a trained Keras network to ONNX, for recognition without TensorFlow: ``python -m digits.export``.

Training needs a framework (TensorFlow computes the gradients); answering needs
only the arithmetic of the trained layers, which an ``.onnx`` file holds and
ONNX Runtime runs. The ``.onnx`` is always made from the ``.keras`` file, never
edited by hand: `python -m digits.train` exports what it trains, and this
command exports an existing model::

    python -m digits.export                              # models/digits_cnn.keras -> models/digits_cnn.onnx
    python -m digits.export my_model.keras --output my_model.onnx

The model card records which ``.keras`` file (its SHA-256) the ``.onnx`` came from,
so a test can tell when one was retrained and the other not. The converter
(Keras's ONNX export, through ``tf2onnx``) is a training dependency: the course's
recognition path needs only ``onnxruntime``.
"""

from __future__ import annotations

import argparse
import json
import os
import warnings
from pathlib import Path

from .model_files import SHIPPED_MODEL, card_path, file_sha256, read_card


def export_onnx(keras_path: str | os.PathLike = SHIPPED_MODEL, onnx_path: str | os.PathLike | None = None) -> Path:
    """Write the ONNX copy of the Keras model at ``keras_path``; return its path.

    ``onnx_path`` defaults to the same name with ``.onnx``. The network takes
    (N, 28, 28, 1) float32 and returns its (N, 10) softmax probabilities, as the
    Keras model does, and as a second output the (N, K) features its last layer
    reads (the penultimate layer, which `digits.not_a_digit` judges). Where a model card sits beside the ``.keras`` file and the
    ``.onnx`` shares it (same folder and name), the card's ``onnx`` entry records the
    exported file and the ``.keras`` file's SHA-256; a copy written elsewhere leaves the card alone.
    Raises `ModelLoadError` when the Keras model cannot be read.
    """
    import numpy as np

    from .model import load_model

    keras_path = Path(keras_path)
    onnx_path = Path(onnx_path) if onnx_path is not None else keras_path.with_suffix(".onnx")
    from ._quiet import import_keras

    keras = import_keras()
    model = load_model(keras_path)
    model(np.zeros((1, 28, 28, 1), np.float32))  # a loaded Sequential model must be called once before export
    model = keras.Model(model.inputs[0], [model.outputs[0], model.layers[-1].input])
    model(np.zeros((1, 28, 28, 1), np.float32))
    partial = onnx_path.with_name(onnx_path.name + ".partial")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the converter's deprecation notices say nothing about this model
        model.export(str(partial), format="onnx", verbose=False)
    partial.replace(onnx_path)

    card_file = card_path(keras_path)
    if card_file.is_file() and card_path(onnx_path) == card_file:  # the copy that shares the card, not one elsewhere
        card = read_card(keras_path)
        card["onnx"] = {"file": onnx_path.name, "exported_from_sha256": file_sha256(keras_path)}
        card_file.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return onnx_path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m digits.export", description=__doc__.split("\n")[0])
    parser.add_argument("model", nargs="?", default=str(SHIPPED_MODEL), help="the .keras model (default: the shipped one)")
    parser.add_argument("--output", help="where to write the .onnx file (default: beside the model)")
    args = parser.parse_args(argv)
    written = export_onnx(args.model, args.output)
    print(f"Wrote {written} from {args.model}")


if __name__ == "__main__":
    main()
