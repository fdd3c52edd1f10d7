"""Training a network and saving it with its model card: ``python -m digits.train``.

    python -m digits.train                      # the shipped (robust) recipe, into models/
    python -m digits.train --arch original      # the original report's recipe
    python -m digits.train --epochs 2 --output /tmp/quick.keras

The seed fixes the weights' initialisation, the validation split, and every
training batch with its random distortions (drawn on one thread, in order), so
the same seed gives the same model: two one-epoch runs here ended with identical
weights. Another machine, thread count or library version may change the last
bits of TensorFlow's arithmetic, and with them the model a little. Beside the
model a JSON *model card* records the recipe, the MNIST test accuracy, the
training time and the library versions.
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

from .calibration import apply_temperature, expected_calibration_error, fit_temperature
from .data import load_mnist
from .export import export_onnx
from .model import SHIPPED_MODEL, build_cnn, build_robust_cnn, card_path, read_card
from .pendigits import CREDIT


@dataclass(frozen=True)
class Recipe:
    """How to train one architecture."""

    build: callable
    epochs: int
    batch_size: int
    validation_split: float
    augment: bool
    description: str
    peak_learning_rate: float = 0.001
    style_generators: bool = True
    """With ``augment``: add the project's generated styles (`augment.extra_training_digits`)."""
    real_pen_digits: bool = False
    """With ``augment``: add the pendigits training writers' strokes, drawn afresh every epoch."""


RECIPES = {
    "original": Recipe(
        build=build_cnn,
        epochs=5,
        batch_size=32,
        validation_split=0.2,
        augment=False,
        description="The original report's network and training (listings 2.3-2.4): "
        "5 epochs, batch 32, validation split 0.2, Adam, no augmentation.",
    ),
    "robust": Recipe(
        build=build_robust_cnn,
        epochs=21,
        batch_size=128,
        validation_split=0.1,
        augment=True,
        peak_learning_rate=0.003,
        real_pen_digits=True,
        description="Four 3x3 convolutions with batch normalisation and dropout; trained on MNIST, each "
        "digit either as it is or passed through to_mnist (as recognition sees it), plus the 7,494 digits of "
        "the 30 pendigits training writers (real pen strokes; Alpaydin & Alimoglu 1998, UCI, CC BY 4.0), "
        "each drawn afresh every epoch with a random pen, size, slant, turn and wobble, plus crossed 7s, 1s with long flags, slashed 0s, "
        "digits drawn small with a thick pen and 1s stretched to fill a square, with random rotation (7s and 1s each turned only a little towards the other), "
        "slant, zoom, shift and stroke width on every batch; Adam with one epoch of warm-up then cosine decay; probabilities "
        "calibrated by temperature scaling on the held-out 10%.",
    ),
}
DEFAULT_ARCH = "robust"


def through_to_mnist(images: np.ndarray) -> np.ndarray:
    """(N, 28, 28) uint8 MNIST digits passed through `to_mnist`, as recognition sees them."""
    from .preprocess import to_mnist

    return np.stack([np.round(to_mnist(image) * 255) for image in images]).astype(np.uint8)


def prepare(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MNIST uint8 images and labels -> (N, 28, 28, 1) floats in [0, 1] and one-hot labels."""
    import keras

    return (x.astype("float32") / 255.0)[..., np.newaxis], keras.utils.to_categorical(y, 10)


def train(
    arch: str | Recipe = DEFAULT_ARCH,
    epochs: int | None = None,
    batch_size: int | None = None,
    output: str | Path = SHIPPED_MODEL,
    seed: int = 42,
    verbose: int | str = "auto",
) -> dict:
    """Train ``arch`` (a name in `RECIPES`, or a `Recipe`), save it to ``output`` with its card, and return the card."""
    import keras

    recipe = RECIPES[arch] if isinstance(arch, str) else arch
    arch = arch if isinstance(arch, str) else "custom"
    epochs = recipe.epochs if epochs is None else epochs
    batch_size = recipe.batch_size if batch_size is None else batch_size
    keras.utils.set_random_seed(seed)

    (x_train, y_train), (x_test, y_test) = load_mnist()
    # Like Keras's validation_split, hold out the last part of the training set.
    n_val = int(len(x_train) * recipe.validation_split)
    x_val, y_val = x_train[-n_val:], y_train[-n_val:]
    x_fit, y_fit = x_train[:-n_val], y_train[:-n_val]

    model = recipe.build()
    started = time.perf_counter()
    if recipe.augment:
        history = _fit_augmented(model, recipe, x_fit, y_fit, x_val, y_val, epochs, batch_size, seed, verbose)
    else:
        history = model.fit(
            *prepare(x_fit, y_fit), batch_size=batch_size, epochs=epochs,
            validation_data=prepare(x_val, y_val), verbose=verbose,
        )
    seconds = time.perf_counter() - started

    temperature = 1.0
    if recipe.augment:
        from .augment import build_augmenter

        held_out = prepare(through_to_mnist(x_val), y_val)[0]
        distorted = build_augmenter(seed + 1)(held_out, training=True)
        calibration_set = np.concatenate([model.predict(held_out, batch_size=500, verbose=0),
                                          model.predict(distorted, batch_size=500, verbose=0)])
        temperature = fit_temperature(calibration_set, np.concatenate([y_val, y_val]))
    test_probabilities = model.predict(prepare(x_test, y_test)[0], batch_size=500, verbose=0)
    test_accuracy = float((test_probabilities.argmax(axis=1) == y_test).mean())
    recognized = model.predict(prepare(through_to_mnist(x_test), y_test)[0], batch_size=500, verbose=0)
    recognized_accuracy = float((recognized.argmax(axis=1) == y_test).mean())

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
        "validation_split": recipe.validation_split,
        "seed": seed,
        "mnist_test_accuracy": round(test_accuracy, 4),
        "mnist_test_accuracy_through_to_mnist": round(recognized_accuracy, 4),
        "final_validation_accuracy": round(float(history.history["val_accuracy"][-1]), 4),
        "training_seconds": round(seconds, 1),
        "temperature": round(temperature, 4),
        "mnist_test_calibration_error": {
            "before_temperature": round(expected_calibration_error(test_probabilities, y_test), 4),
            "after_temperature": round(
                expected_calibration_error(apply_temperature(test_probabilities, temperature), y_test), 4
            ),
        },
        "training_data": ["MNIST training set (LeCun, Cortes and Burges), last 10% held out for validation"]
        + ([f"pendigits-orig.tra, the 30 training writers' 7,494 digits: {CREDIT}"] if recipe.augment and recipe.real_pen_digits else []),
        "trained_on": f"{platform.machine()}, {_cpu_count()} CPU cores, no GPU" if not _has_gpu() else "GPU",
        "date": datetime.date.today().isoformat(),
        "versions": {"keras": keras.__version__, "tensorflow": _tf_version(), "python": platform.python_version()},
    }
    card_path(output).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    export_onnx(output)  # what recognition runs, made from what was just saved
    return read_card(output)


class TrainingBatches:
    """The training digits as a `tf.data.Dataset` of augmented batches, redrawn where they come from strokes.

    The digits: MNIST's ``x_fit`` / ``y_fit`` ((N, 28, 28) uint8, (N,) labels), with
    ``styles`` the generated styles of `augment.extra_training_digits`, and with
    ``pen`` (a `digits.pendigits.PenDigits`) real writers' strokes drawn by
    `augment.pen_digits_drawn`. `dataset` yields ``(images, one_hot_labels)``:
    (B, 28, 28, 1) float32 in [0, 1] and (B, 10), freshly shuffled and distorted
    on every pass; `steps` is its number of batches. `redraw` draws the pen digits
    afresh for an epoch (the next epoch's are drawn in a background thread
    meanwhile), and `callback` does so before every epoch of ``model.fit``. The
    same seed gives the same batches.
    """

    def __init__(self, x_fit: np.ndarray, y_fit: np.ndarray, batch_size: int, seed: int = 0,
                 styles: bool = True, pen=None):
        import tensorflow as tf

        from .augment import RotationByDigit, build_augmenter, extra_training_digits

        self.pen, self.seed = pen, seed
        extra_x, extra_y = (extra_training_digits(x_fit, y_fit, seed=seed) if styles
                            else (np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8)))
        # Each digit is shown either as MNIST has it or as recognition feeds it to the network
        # (through `to_mnist`, which thins or thickens strokes and re-centres with sub-pixel
        # shifts), a fresh coin toss every time: the network must read both equally well.
        # Pen digits are drawn through `to_mnist` already, so both of theirs are the same.
        as_is = tf.constant(np.concatenate([x_fit, extra_x]))
        processed = tf.constant(np.concatenate([through_to_mnist(x_fit), extra_x]))
        fixed = len(y_fit) + len(extra_y)
        self._drawer, self._drawn, self._epoch = None, {}, 0
        if pen is not None:
            from concurrent.futures import ThreadPoolExecutor

            self._drawer = ThreadPoolExecutor(max_workers=1)
            pen_x, kept = self._draw(0)
            self._pen_images = tf.Variable(np.zeros((len(pen), 28, 28), np.uint8), trainable=False)
            self._pen_images.scatter_nd_update(kept[:, None], pen_x)
            self._draw_ahead(1)
            labels = np.concatenate([y_fit, extra_y, pen.labels])
        else:
            labels = np.concatenate([y_fit, extra_y])
        one_hot = tf.constant(np.eye(10, dtype=np.float32)[labels.astype(np.int64)])
        count = len(labels)
        self.steps = -(-count // batch_size)

        def as_float(images):
            return tf.cast(images, tf.float32)[..., None] / 255.0

        def gathered(indices):
            raw, done = tf.gather(as_is, indices), tf.gather(processed, indices)
            return as_float(raw), as_float(done), tf.gather(one_hot, indices)

        def gathered_with_pen(indices):
            from_pen = (indices >= fixed)[:, None, None]
            fixed_rows = tf.minimum(indices, fixed - 1)
            drawn = tf.gather(self._pen_images, tf.maximum(indices - fixed, 0))
            raw = tf.where(from_pen, drawn, tf.gather(as_is, fixed_rows))
            done = tf.where(from_pen, drawn, tf.gather(processed, fixed_rows))
            return as_float(raw), as_float(done), tf.gather(one_hot, indices)

        rotate = RotationByDigit(seed)
        augmenter = build_augmenter(seed, rotation=False)
        coin = tf.random.Generator.from_seed(seed)

        def either(raw, done, label):
            pick = coin.uniform((tf.shape(raw)[0], 1, 1, 1)) < 0.5
            return tf.where(pick, raw, done), label

        dataset = (
            tf.data.Dataset.range(count)
            .shuffle(count, seed=seed, reshuffle_each_iteration=True)
            .batch(batch_size)
            .map(gathered_with_pen if pen is not None else gathered)
            .map(either)
            # One thread, in order: with num_parallel_calls the random draws land on batches in
            # whatever order the threads run, and the same seed gives other batches. (As fast on
            # two cores: the augmenter costs a few ms of a step.)
            .map(lambda x, y: (augmenter(rotate(x, y), training=True), y))
            .prefetch(2)
        )
        # On two cores, tf.data's autotuner made about a third of the epochs run at nearly twice
        # the time per step, whole epochs at a time; without it they do not.
        options = tf.data.Options()
        options.autotune.enabled = False
        self.dataset = dataset.with_options(options)

    def _draw(self, epoch: int) -> tuple[np.ndarray, np.ndarray]:
        """The pen digits of one epoch, (M, 28, 28) uint8, and which of them they are, (M,) int64."""
        from .augment import pen_digits_drawn

        return pen_digits_drawn(self.pen.strokes, self.pen.labels, seed=self.seed * 1000 + epoch, return_kept=True)

    def _draw_ahead(self, epoch: int) -> None:
        if self._drawer is not None and epoch not in self._drawn:
            self._drawn[epoch] = self._drawer.submit(self._draw, epoch)

    def redraw(self, epoch: int) -> None:
        """Put epoch ``epoch``'s drawings of the pen digits into the dataset (nothing without pen digits)."""
        if self.pen is None or epoch == self._epoch:
            return
        self._draw_ahead(epoch)
        images, kept = self._drawn.pop(epoch).result()
        self._pen_images.scatter_nd_update(kept[:, None], images)
        self._epoch = epoch
        self._draw_ahead(epoch + 1)

    def callback(self):
        """A Keras callback that calls `redraw` at the start of every epoch."""
        import keras

        batches = self

        class RedrawPenDigits(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                batches.redraw(epoch)

        return RedrawPenDigits()


def training_dataset(x_fit: np.ndarray, y_fit: np.ndarray, batch_size: int, seed: int = 0, styles: bool = True):
    """`TrainingBatches` of MNIST and the generated styles, without pen digits: just its dataset."""
    return TrainingBatches(x_fit, y_fit, batch_size, seed, styles=styles).dataset


def _fit_augmented(model, recipe, x_fit, y_fit, x_val, y_val, epochs, batch_size, seed, verbose):
    """Fit on `TrainingBatches` with one epoch of warm-up, then cosine decay of the learning rate."""
    import keras

    pen = None
    if recipe.real_pen_digits:
        from .pendigits import load_pendigits

        pen = load_pendigits("train")
    batches = TrainingBatches(x_fit, y_fit, batch_size, seed, styles=recipe.style_generators, pen=pen)
    steps = batches.steps
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=recipe.peak_learning_rate / 10,
        warmup_target=recipe.peak_learning_rate,
        warmup_steps=steps,
        decay_steps=max(1, (epochs - 1) * steps),
    )
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="categorical_crossentropy", metrics=["accuracy"])
    validation = prepare(through_to_mnist(x_val), y_val)
    return model.fit(batches.dataset, epochs=epochs, validation_data=validation, shuffle=False, verbose=verbose,
                     callbacks=[batches.callback()])


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
    parser.add_argument("--verbose", type=int, default=1, choices=(0, 1, 2),
                        help="0 silent, 1 progress bar, 2 one line per epoch")
    parser.add_argument("--no-judge", action="store_true",
                        help="skip fitting the not-a-digit judge (python -m digits.train_judge does it later)")
    args = parser.parse_args(argv)
    card = train(args.arch, args.epochs, args.batch_size, args.output, args.seed, verbose=args.verbose)
    print(f"Saved {args.output} after {card['training_seconds']:.0f} s of training. MNIST test accuracy: "
          f"{card['mnist_test_accuracy_through_to_mnist']:.2%} through to_mnist (as recognize sees every "
          f"digit), {card['mnist_test_accuracy']:.2%} on the raw images")
    print(f"ONNX copy for recognition: {Path(args.output).with_suffix('.onnx')}; model card: {card_path(args.output)}")
    if not args.no_judge:
        from .train_judge import fit_judge

        judge = fit_judge(args.output, verbose=min(args.verbose, 2))
        print(f"Not-a-digit judge: {Path(args.output).with_name(judge['file'])}, fitted in {judge['training_seconds']:.0f} s")


if __name__ == "__main__":
    main()
