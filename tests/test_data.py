"""`digits.load_mnist`: where it looks, and the errors it gives."""

import zipfile

import numpy as np
import pytest

import digits
from digits.data import MnistError, read_mnist_npz


def _write_mnist(path, n_train=60000, n_test=10000, label_max=9, dtype=np.uint8):
    rng = np.random.default_rng(0)
    np.savez(
        path,
        x_train=np.zeros((n_train, 28, 28), dtype),
        y_train=rng.integers(0, label_max + 1, n_train).astype(np.uint8),
        x_test=np.zeros((n_test, 28, 28), dtype),
        y_test=rng.integers(0, label_max + 1, n_test).astype(np.uint8),
    )
    return path


@pytest.fixture
def no_download(monkeypatch):
    """Make the Keras download fail as it does without internet access."""
    import keras

    def offline():
        raise OSError("network is unreachable")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)


def test_env_var_path_is_used_first(tmp_path, monkeypatch):
    path = _write_mnist(tmp_path / "my-mnist.npz")
    monkeypatch.setenv("DIGITS_MNIST", str(path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty-keras-home"))
    (x_train, y_train), (x_test, y_test) = digits.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and y_test.dtype == np.uint8


def test_keras_cache_is_used_when_env_var_unset(tmp_path, monkeypatch, no_download):
    monkeypatch.delenv("DIGITS_MNIST", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    _write_mnist(tmp_path / "datasets" / "mnist.npz")
    (x_train, _), _ = digits.load_mnist()
    assert x_train.shape == (60000, 28, 28)


def test_nothing_available_says_what_was_tried(tmp_path, monkeypatch, no_download):
    monkeypatch.delenv("DIGITS_MNIST", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(MnistError) as info:
        digits.load_mnist()
    message = str(info.value)
    assert "DIGITS_MNIST" in message and str(tmp_path) in message and "network is unreachable" in message


def test_missing_env_var_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITS_MNIST", str(tmp_path / "nowhere.npz"))
    with pytest.raises(MnistError, match="not found.*nowhere.npz"):
        digits.load_mnist()


def test_truncated_file_is_a_clear_error(tmp_path, monkeypatch):
    good = _write_mnist(tmp_path / "good.npz")
    bad = tmp_path / "truncated.npz"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    monkeypatch.setenv("DIGITS_MNIST", str(bad))
    with pytest.raises(MnistError, match="truncated.npz.*could not be read"):
        digits.load_mnist()


def test_not_an_npz_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "mnist.npz"
    bad.write_text("<html>404 Not Found</html>")
    with pytest.raises(MnistError, match="could not be read"):
        read_mnist_npz(bad)


def test_wrong_shapes_are_a_clear_error(tmp_path):
    path = _write_mnist(tmp_path / "small.npz", n_train=100)
    with pytest.raises(MnistError, match=r"x_train has shape \(100, 28, 28\)"):
        read_mnist_npz(path)


def test_wrong_dtype_is_a_clear_error(tmp_path):
    path = _write_mnist(tmp_path / "float.npz", dtype=np.float32)
    with pytest.raises(MnistError, match="dtype float32"):
        read_mnist_npz(path)


def test_labels_out_of_range_are_a_clear_error(tmp_path):
    path = _write_mnist(tmp_path / "labels.npz", label_max=11)
    with pytest.raises(MnistError, match="labels above 9"):
        read_mnist_npz(path)


def test_missing_keys_are_a_clear_error(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, images=np.zeros((3, 28, 28), np.uint8))
    with pytest.raises(MnistError, match="lacks x_train"):
        read_mnist_npz(path)


def test_real_mnist_has_the_documented_layout(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert set(np.unique(y_test)) == set(range(10))
    assert x_test.max() == 255 and x_test[:, 0, 0].max() == 0  # white digit on black
