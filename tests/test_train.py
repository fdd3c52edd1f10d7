"""The training pipeline of the robust recipe (the full training runs in `python -m digits.train`)."""

import numpy as np

from digits.augment import handwriting_variants
from digits.train import training_dataset


def _one_epoch(dataset):
    batches = [(images.numpy(), labels.numpy()) for images, labels in dataset]
    return np.concatenate([b[0] for b in batches]), np.concatenate([b[1] for b in batches])


def test_training_dataset_shows_every_digit_and_variant_once_per_epoch(mnist):
    (x_train, y_train), _ = mnist
    x_fit, y_fit = x_train[:300], y_train[:300]
    _, extra_labels = handwriting_variants(x_fit, y_fit, seed=3)
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
