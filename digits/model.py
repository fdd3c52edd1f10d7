"""The convolutional networks, and saving and loading them.

`build_cnn()` is the network of the original report (listing 2.3), which the course
teaches and trains. `load_model()` reads a saved model, by default the one shipped
in ``models/``, and explains what to do when the file is missing or damaged.
Each saved model has a *model card* beside it (same name, ``.json``) that records
how it was trained and how well it scores.
"""

from __future__ import annotations

import os
from pathlib import Path

from ._quiet import import_keras
from .model_files import (  # noqa: F401 - the model files' names, importable from here as before
    HOW_TO_FIX, INPUT_SHAPE, MNIST_ONLY_MODEL, MODELS_DIR, NUM_CLASSES, SHIPPED_MODEL, SHIPPED_ONNX, ModelLoadError,
    card_path, read_card,
)

keras = import_keras()
layers = keras.layers


def build_cnn() -> keras.Model:
    """The original report's network (listing 2.3), compiled as in listing 2.4.

    Conv2D(32, 3x3, relu) - MaxPooling2D(2x2) - Conv2D(64, 3x3, relu) -
    MaxPooling2D(2x2) - Flatten - Dense(128, relu) - Dense(10, softmax);
    Adam, categorical cross-entropy, accuracy. Input: (28, 28, 1) floats in [0, 1].
    """
    model = keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ],
        name="original_cnn",
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def build_robust_cnn() -> keras.Model:
    """The shipped network: the original's idea, made deeper and steadier.

    Two blocks of two 3x3 convolutions (32 then 64 filters), each convolution
    followed by batch normalisation, each block by 2x2 max-pooling and dropout,
    then Dense(256) with dropout and the softmax. About 10 million
    multiply-adds per image (the original: 2.6 million), so it still answers in
    about a millisecond. Trained with augmentation by `digits.train`.
    """

    def conv(filters):
        return [
            layers.Conv2D(filters, (3, 3), use_bias=False),
            layers.BatchNormalization(),
            layers.Activation("relu"),
        ]

    model = keras.Sequential(
        [
            keras.Input(shape=INPUT_SHAPE),
            *conv(32), *conv(32),
            layers.MaxPooling2D((2, 2)),
            layers.Dropout(0.2),
            *conv(64), *conv(64),
            layers.MaxPooling2D((2, 2)),
            layers.Dropout(0.2),
            layers.Flatten(),
            layers.Dense(256, use_bias=False),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.Dropout(0.3),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ],
        name="robust_cnn",
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def load_model(path: str | os.PathLike | None = None) -> keras.Model:
    """Load a saved Keras model; with no argument, the shipped one in ``models/``.

    Raises `ModelLoadError` naming the file, and saying how to make a new one,
    when the file is missing or is not a readable Keras model.
    """
    path = Path(path) if path is not None else SHIPPED_MODEL
    if not path.is_file():
        raise ModelLoadError(f"No model file at {path}. {HOW_TO_FIX}")
    try:
        model = keras.models.load_model(path, compile=False)
    except Exception as exc:  # Keras raises many kinds of errors for damaged files
        raise ModelLoadError(
            f"The model file {path} is damaged: Keras cannot read it ({type(exc).__name__}). {HOW_TO_FIX}"
        ) from None
    if tuple(model.input_shape[1:]) != INPUT_SHAPE or model.output_shape[-1] != NUM_CLASSES:
        raise ModelLoadError(
            f"{path} is a Keras model, but not a digit recogniser: it takes {model.input_shape} "
            f"and returns {model.output_shape}, expected (None, 28, 28, 1) -> (None, 10). {HOW_TO_FIX}"
        )
    return model
