"""The training pipeline of the robust recipe (the full training runs in `python -m digits.train`)."""

import json

import numpy as np
import pytest

import digits
import digits.train
from digits.augment import extra_training_digits
from digits.train import training_dataset


def _one_epoch(dataset):
    batches = [(images.numpy(), labels.numpy()) for images, labels in dataset]
    return np.concatenate([b[0] for b in batches]), np.concatenate([b[1] for b in batches])


def test_training_dataset_shows_every_digit_variant_and_thick_pen_digit_once_per_epoch(mnist):
    (x_train, y_train), _ = mnist
    x_fit, y_fit = x_train[:300], y_train[:300]
    _, extra_labels = extra_training_digits(x_fit, y_fit, seed=3)
    dataset = training_dataset(x_fit, y_fit, batch_size=64, seed=3)

    images, labels = _one_epoch(dataset)
    assert images.shape == (300 + len(extra_labels), 28, 28, 1) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0 + 1e-5
    assert np.array_equal(labels.sum(axis=1), np.ones(len(labels)))  # one-hot
    expected = np.bincount(np.concatenate([y_fit, extra_labels]), minlength=10)
    assert np.array_equal(labels.sum(axis=0).astype(int), expected)

    again, labels_again = _one_epoch(dataset)
    assert not np.array_equal(labels_again.argmax(axis=1), labels.argmax(axis=1))  # reshuffled
    assert not np.allclose(np.sort(again.ravel()), np.sort(images.ravel()))  # distorted afresh
    assert int(dataset.cardinality()) == int(np.ceil(len(labels) / 64))


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
def test_the_training_command_saves_a_working_model_and_its_card(mnist, monkeypatch, tmp_path, capsys, arch):
    # The whole command, on a slice of MNIST and one epoch: the recipe's every step runs (extra digits,
    # augmentation, schedule, calibration, both test accuracies) in seconds instead of half an hour.
    (x_train, y_train), (x_test, y_test) = mnist
    monkeypatch.setattr(digits.train, "load_mnist", lambda: ((x_train[:640], y_train[:640]), (x_test[:200], y_test[:200])))
    output = tmp_path / "small.keras"

    digits.train.main(["--arch", arch, "--epochs", "1", "--output", str(output), "--verbose", "0"])

    card = json.loads(output.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["architecture"] == arch and card["epochs"] == 1 and card["file"] == "small.keras"
    assert 0.3 < card["mnist_test_accuracy"] <= 1 and 0.3 < card["mnist_test_accuracy_through_to_mnist"] <= 1
    assert card["temperature"] > 0 and (card["temperature"] != 1.0) == (arch == "robust")  # only robust is calibrated
    out = capsys.readouterr().out
    assert f"{card['mnist_test_accuracy_through_to_mnist']:.2%} through to_mnist" in out
    assert f"{card['mnist_test_accuracy']:.2%} on the raw images" in out
    recognizer = digits.Recognizer(digits.load_model(output), temperature=card["temperature"])
    assert 0 <= recognizer(x_test[0]).digit <= 9
