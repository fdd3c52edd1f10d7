"""The training pipeline of the robust recipe (the full training runs in `python -m digits.train`)."""

import json

import numpy as np
import pytest

import digits
import digits.pendigits
import digits.train
from digits.augment import extra_training_digits
from digits.pendigits import PenDigits
from digits.train import TrainingBatches, training_dataset


def _first(pen: PenDigits, count: int) -> PenDigits:
    return PenDigits(pen.strokes[:count], pen.labels[:count], pen.writers[:count])


def _one_epoch(dataset):
    batches = [(images.numpy(), labels.numpy()) for images, labels in dataset]
    return np.concatenate([b[0] for b in batches]), np.concatenate([b[1] for b in batches])


def test_training_dataset_shows_every_digit_variant_and_thick_pen_digit_once_per_epoch(mnist):
    (x_train, y_train), _ = mnist
    x_fit, y_fit = x_train[:300], y_train[:300]
    _, extra_labels = extra_training_digits(x_fit, y_fit, seed=3)
    batches = TrainingBatches(x_fit, y_fit, batch_size=64, seed=3)
    dataset, steps = batches.dataset, batches.steps

    images, labels = _one_epoch(dataset)
    assert images.shape == (300 + len(extra_labels), 28, 28, 1) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0 + 1e-5
    assert np.array_equal(labels.sum(axis=1), np.ones(len(labels)))  # one-hot
    expected = np.bincount(np.concatenate([y_fit, extra_labels]), minlength=10)
    assert np.array_equal(labels.sum(axis=0).astype(int), expected)

    again, labels_again = _one_epoch(dataset)
    assert not np.array_equal(labels_again.argmax(axis=1), labels.argmax(axis=1))  # reshuffled
    assert not np.allclose(np.sort(again.ravel()), np.sort(images.ravel()))  # distorted afresh
    assert int(dataset.cardinality()) == steps == int(np.ceil(len(labels) / 64))


def test_real_pen_digits_join_every_epoch_and_are_drawn_afresh_for_the_next(mnist, pen_train):
    (x_train, y_train), _ = mnist
    pen = _first(pen_train, 150)
    batches = TrainingBatches(x_train[:100], y_train[:100], batch_size=64, seed=1, styles=False, pen=pen)
    images, labels = _one_epoch(batches.dataset)
    assert len(labels) == 250 and batches.steps == 4 and int(batches.dataset.cardinality()) == 4
    expected = np.bincount(np.concatenate([y_train[:100], pen.labels]), minlength=10)
    assert np.array_equal(labels.sum(axis=0).astype(int), expected)

    def pen_images(batches):
        return batches._pen_images.numpy().copy()

    first = pen_images(batches)
    batches.redraw(0)  # the epoch already drawn: nothing changes
    assert np.array_equal(pen_images(batches), first)
    batches.redraw(1)
    second = pen_images(batches)
    assert second.shape == (150, 28, 28) and not np.array_equal(first, second)  # drawn anew, not reshuffled
    again, labels_again = _one_epoch(batches.dataset)
    assert np.array_equal(labels_again.sum(axis=0), labels.sum(axis=0))  # the same digits
    # The same seed draws the same pen digits for the same epoch.
    twin = TrainingBatches(x_train[:100], y_train[:100], batch_size=64, seed=1, styles=False, pen=pen)
    assert np.array_equal(pen_images(twin), first)
    twin.redraw(1)
    assert np.array_equal(pen_images(twin), second)


def test_pen_digits_are_the_writers_strokes_in_mnist_format(pen_train):
    from digits.augment import pen_digits_drawn

    pen = _first(pen_train, 30)
    images, labels = pen_digits_drawn(pen.strokes, pen.labels, seed=4)
    assert images.shape == (30, 28, 28) and images.dtype == np.uint8 and np.array_equal(labels, pen.labels)
    from scipy import ndimage

    for image in images:  # as MNIST: the ink fits a 20x20 box, its centre of mass at the centre
        rows, cols = np.nonzero(image > 40)
        assert np.ptp(rows) <= 21 and np.ptp(cols) <= 21
        assert np.allclose(ndimage.center_of_mass(image.astype(float)), (14, 14), atol=1.0)
    again, _ = pen_digits_drawn(pen.strokes, pen.labels, seed=4)
    other, _ = pen_digits_drawn(pen.strokes, pen.labels, seed=5)
    assert np.array_equal(images, again) and not np.array_equal(images, other)


def test_training_dataset_runs_without_tf_data_autotuning(mnist):
    # Measured: with the autotuner, whole epochs ran at nearly twice the time per step on two cores.
    (x_train, y_train), _ = mnist
    dataset = training_dataset(x_train[:64], y_train[:64], batch_size=32)
    assert dataset.options().autotune.enabled is False


def test_training_dataset_is_the_same_for_the_same_seed(mnist):
    # Distortions drawn on parallel threads made two runs with one seed differ.
    (x_train, y_train), _ = mnist
    first, labels = _one_epoch(training_dataset(x_train[:200], y_train[:200], batch_size=64, seed=5))
    second, labels_second = _one_epoch(training_dataset(x_train[:200], y_train[:200], batch_size=64, seed=5))
    assert np.array_equal(labels, labels_second) and np.array_equal(first, second)
    other, _ = _one_epoch(training_dataset(x_train[:200], y_train[:200], batch_size=64, seed=6))
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("arch", ["robust", "original"])
def test_the_training_command_saves_a_working_model_and_its_card(mnist, pen_train, monkeypatch, tmp_path, capsys,
                                                                 arch):
    # The whole command, on a slice of MNIST and of the pen strokes and one epoch: the recipe's every step
    # runs (extra digits, real pen digits, augmentation, schedule, calibration, both test accuracies) in
    # seconds instead of half an hour.
    (x_train, y_train), (x_test, y_test) = mnist
    monkeypatch.setattr(digits.train, "load_mnist", lambda: ((x_train[:640], y_train[:640]), (x_test[:200], y_test[:200])))
    asked = []
    monkeypatch.setattr(digits.pendigits, "load_pendigits", lambda split: asked.append(split) or _first(pen_train, 100))
    output = tmp_path / "small.keras"

    digits.train.main(["--arch", arch, "--epochs", "1", "--output", str(output), "--verbose", "0", "--no-judge"])

    card = json.loads(output.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["architecture"] == arch and card["epochs"] == 1 and card["file"] == "small.keras"
    assert 0.3 < card["mnist_test_accuracy"] <= 1 and 0.3 < card["mnist_test_accuracy_through_to_mnist"] <= 1
    assert card["temperature"] > 0 and (card["temperature"] != 1.0) == (arch == "robust")  # only robust is calibrated
    out = capsys.readouterr().out
    assert f"{card['mnist_test_accuracy_through_to_mnist']:.2%} through to_mnist" in out
    assert f"{card['mnist_test_accuracy']:.2%} on the raw images" in out
    assert asked == (["train"] if arch == "robust" else [])  # only the training writers, only for the robust recipe
    assert ("pendigits" in card["description"]) == (arch == "robust")
    recognizer = digits.Recognizer(digits.load_model(output), temperature=card["temperature"])
    assert 0 <= recognizer(x_test[0]).digit <= 9
    # ...and the ONNX copy recognition runs, exported from exactly that file, answering as it does
    from digits.model_files import file_sha256

    assert card["onnx"] == {"file": "small.onnx", "exported_from_sha256": file_sha256(output)}
    from_onnx = digits.Recognizer.from_file(output.with_suffix(".onnx"))
    assert from_onnx.temperature == card["temperature"]
    assert np.allclose(from_onnx.predict_mnist(x_test[:50] / 255.0), recognizer.predict_mnist(x_test[:50] / 255.0),
                       atol=1e-5)
