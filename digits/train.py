"""Training a network and saving it with its model card: ``python -m digits.train``.

    python -m digits.train                      # the shipped recipe, into models/
    python -m digits.train --arch original      # the original report's recipe
    python -m digits.train --epochs 2 --output /tmp/quick.keras

The run is reproducible: the seed fixes the weights' initialisation, the data
order and the validation split. Beside the model a JSON *model card* records the
recipe, the MNIST test accuracy, the training time and the library versions.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import load_mnist
from .model import SHIPPED_MODEL, build_cnn, card_path


@dataclass(frozen=True)
class Recipe:
    """How to train one architecture."""

    build: callable
    epochs: int
    batch_size: int
    description: str


RECIPES = {
    "original": Recipe(
        build=build_cnn,
        epochs=5,
        batch_size=32,
        description="The original report's network and training (listings 2.3-2.4): "
        "5 epochs, batch 32, validation split 0.2, Adam, no augmentation.",
    ),
}
DEFAULT_ARCH = "original"


def prepare(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MNIST uint8 images and labels -> (N, 28, 28, 1) floats in [0, 1] and one-hot labels."""
    import keras

    return (x.astype("float32") / 255.0)[..., np.newaxis], keras.utils.to_categorical(y, 10)


def train(
    arch: str = DEFAULT_ARCH,
    epochs: int | None = None,
    batch_size: int | None = None,
    output: str | Path = SHIPPED_MODEL,
    seed: int = 42,
    validation_split: float = 0.2,
    verbose: int | str = "auto",
) -> dict:
    """Train ``arch`` on MNIST, save it to ``output`` with its card, and return the card."""
    import keras

    recipe = RECIPES[arch]
    epochs = recipe.epochs if epochs is None else epochs
    batch_size = recipe.batch_size if batch_size is None else batch_size
    keras.utils.set_random_seed(seed)

    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train, y_train_hot = prepare(x_train, y_train)
    x_test, y_test_hot = prepare(x_test, y_test)

    model = recipe.build()
    started = time.perf_counter()
    history = model.fit(
        x_train, y_train_hot, batch_size=batch_size, epochs=epochs,
        validation_split=validation_split, verbose=verbose,
    )
    seconds = time.perf_counter() - started
    _, test_accuracy = model.evaluate(x_test, y_test_hot, batch_size=500, verbose=0)

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    model.save(output)
    card = {
        "file": output.name,
        "architecture": arch,
        "description": recipe.description,
        "parameters": int(model.count_params()),
        "epochs": epochs,
        "batch_size": batch_size,
        "validation_split": validation_split,
        "seed": seed,
        "mnist_test_accuracy": round(float(test_accuracy), 4),
        "final_validation_accuracy": round(float(history.history["val_accuracy"][-1]), 4),
        "training_seconds": round(seconds, 1),
        "temperature": 1.0,
        "trained_on": f"{platform.machine()}, {_cpu_count()} CPU cores, no GPU" if not _has_gpu() else "GPU",
        "date": datetime.date.today().isoformat(),
        "versions": {"keras": keras.__version__, "tensorflow": _tf_version(), "python": platform.python_version()},
    }
    card_path(output).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return card


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _has_gpu() -> bool:
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))


def _tf_version() -> str:
    import tensorflow as tf

    return tf.__version__


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m digits.train", description=__doc__.split("\n")[0])
    parser.add_argument("--arch", choices=sorted(RECIPES), default=DEFAULT_ARCH, help="which network and recipe")
    parser.add_argument("--epochs", type=int, help="number of epochs (default: the recipe's)")
    parser.add_argument("--batch-size", type=int, help="batch size (default: the recipe's)")
    parser.add_argument("--output", default=str(SHIPPED_MODEL), help="where to save the .keras model")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    args = parser.parse_args(argv)
    card = train(args.arch, args.epochs, args.batch_size, args.output, args.seed)
    print(f"Saved {args.output}: MNIST test accuracy {card['mnist_test_accuracy']:.2%} "
          f"after {card['training_seconds']:.0f} s of training")
    print(f"Model card: {card_path(args.output)}")


if __name__ == "__main__":
    main()
