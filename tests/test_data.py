"""`digits.load_mnist`: where it looks, and the errors it gives."""

import zipfile

import numpy as np
import pytest

import digits
import digits.downloads
from digits.data import MnistError, read_mnist_npz


def _fake_digits(n: int, dtype=np.uint8) -> np.ndarray:
    """``n`` MNIST-like images: a white bar, taller than wide, on black (tiny once compressed)."""
    images = np.zeros((n, 28, 28), dtype)
    images[:, 4:24, 11:17] = 255
    return images


def _write_mnist(path, n_train=60000, n_test=10000, label_max=9, dtype=np.uint8, **replaced):
    rng = np.random.default_rng(0)
    arrays = dict(
        x_train=_fake_digits(n_train, dtype),
        y_train=rng.integers(0, label_max + 1, n_train).astype(np.uint8),
        x_test=_fake_digits(n_test, dtype),
        y_test=rng.integers(0, label_max + 1, n_test).astype(np.uint8),
    )
    np.savez_compressed(path, **{**arrays, **replaced})  # compressed: a few hundred kB in the temporary folder
    return path


@pytest.fixture
def no_download(monkeypatch):
    """Make every download fail as it does without internet access."""
    import urllib.request

    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", offline)


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
    with pytest.raises(MnistError, match=r"truncated.npz is not an .npz file \(truncated"):
        digits.load_mnist()


@pytest.mark.parametrize("content", [b"<html>404 Not Found</html>", bytes(range(256)) * 40])
def test_not_an_npz_file_is_a_clear_error(tmp_path, content):
    bad = tmp_path / "mnist.npz"
    bad.write_bytes(content)
    with pytest.raises(MnistError, match="is not an .npz file") as error:
        read_mnist_npz(bad)
    assert "allow_pickle" not in str(error.value) and error.value.__cause__ is None


def test_an_npy_file_is_a_clear_error(tmp_path):
    path = tmp_path / "mnist.npy"
    np.save(path, _fake_digits(10))
    with pytest.raises(MnistError, match="single array .*not the .npz archive"):
        read_mnist_npz(path)


@pytest.mark.parametrize("fault, replaced, message", [
    ("transposed images", {"x_train": _fake_digits(60000).transpose(0, 2, 1)}, "lie on their side"),
    ("all-zero images", {"x_test": np.zeros((10000, 28, 28), np.uint8)}, "do not look like MNIST digits"),
    ("inverted images", {"x_test": 255 - _fake_digits(10000)}, "do not look like MNIST digits"),
    ("one digit missing", {"y_train": np.repeat(np.arange(9, dtype=np.uint8), 6667)[:60000]}, "too few of digit 9"),
])
def test_data_that_is_not_mnist_is_a_clear_error(tmp_path, fault, replaced, message):
    with pytest.raises(MnistError, match=message):
        read_mnist_npz(_write_mnist(tmp_path / "faulty.npz", **replaced))


def test_a_stalled_download_gives_up_with_a_clear_error(tmp_path, monkeypatch):
    """A proxy that accepts the connection and never answers: the download times out instead of hanging."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    monkeypatch.delenv("DIGITS_MNIST", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("https_proxy", f"http://127.0.0.1:{listener.getsockname()[1]}")
    import urllib.request

    monkeypatch.setattr(urllib.request, "_opener", None)  # urlopen reads the proxy variables when it builds its opener
    monkeypatch.setattr(digits.downloads, "TIMEOUT_SECONDS", 1.0)
    try:
        with pytest.raises(MnistError, match="timed out") as error:
            digits.load_mnist()
    finally:
        listener.close()
    assert "export DIGITS_MNIST=" in str(error.value) and error.value.__cause__ is None
    assert not (tmp_path / "datasets" / "mnist.npz").exists()


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


def test_in_a_notebook_a_missing_mnist_is_one_clear_message_without_a_traceback(tmp_path, monkeypatch, no_download,
                                                                              capsys):
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.delenv("DIGITS_MNIST", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    shell = InteractiveShell()
    shell.run_cell("import digits\ndigits.load_mnist()")
    shown = capsys.readouterr().out
    assert shown.startswith("MnistError: Could not load MNIST. Tried:") and "export DIGITS_MNIST=" in shown
    assert "Traceback" not in shown and "File " not in shown and "During handling" not in shown
