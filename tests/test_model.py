"""The networks, and saving and loading them."""

import numpy as np
import pytest

import digits
from digits.model import SHIPPED_MODEL, read_card


def test_build_cnn_is_the_original_report_network():
    model = digits.build_cnn()
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"]
    conv1, _, conv2, _, _, dense1, dense2 = model.layers
    assert (conv1.filters, conv1.kernel_size, conv1.activation.__name__) == (32, (3, 3), "relu")
    assert (conv2.filters, conv2.kernel_size) == (64, (3, 3))
    assert (dense1.units, dense1.activation.__name__) == (128, "relu")
    assert (dense2.units, dense2.activation.__name__) == (10, "softmax")
    assert model.input_shape == (None, 28, 28, 1)
    assert model.count_params() == 225034  # 320 + 18496 + 204928 + 1290
    assert type(model.optimizer).__name__ == "Adam"
    assert model.loss == "categorical_crossentropy"


def test_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(digits.ModelLoadError, match=r"No model file at .*absent.keras.*digits.train"):
        digits.load_model(tmp_path / "absent.keras")


def test_corrupt_model_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.keras"
    broken.write_bytes(SHIPPED_MODEL.read_bytes()[:5000])
    with pytest.raises(digits.ModelLoadError, match=r"The model file .*broken.keras is damaged.*digits.train"):
        digits.load_model(broken)


def test_model_of_the_wrong_shape_is_a_clear_error(tmp_path):
    import keras

    other = keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(5)])
    path = tmp_path / "other.keras"
    other.save(path)
    with pytest.raises(digits.ModelLoadError, match="not a digit recogniser"):
        digits.load_model(path)


def test_shipped_model_has_a_card():
    card = read_card()
    assert card["file"] == SHIPPED_MODEL.name
    assert card["mnist_test_accuracy"] >= 0.985
    assert card["epochs"] > 0 and card["training_seconds"] > 0
    # The real writers it learned from are credited, as their licence (CC BY 4.0) asks.
    assert any("Alpaydin" in source and "CC BY 4.0" in source for source in card["training_data"])


def test_the_model_shipped_before_real_writers_is_kept_for_comparison():
    from digits.model import MNIST_ONLY_MODEL

    card = read_card(MNIST_ONLY_MODEL)
    assert card["file"] == MNIST_ONLY_MODEL.name and "pendigits" not in card["description"]
    model = digits.load_model(MNIST_ONLY_MODEL)
    assert model.output_shape == (None, 10)


def test_shipped_model_scores_at_least_99_percent_on_mnist_test(mnist):
    (_, _), (x_test, y_test) = mnist
    recognizer = digits.Recognizer(digits.load_model())
    predictions = recognizer.predict_mnist(x_test / 255.0).argmax(axis=1)
    accuracy = float((predictions == y_test).mean())
    assert accuracy >= 0.99, accuracy


def test_shipped_model_scores_at_least_99_6_percent_on_mnist_test_as_recognize_sees_it(mnist):
    """The MNIST test set through `to_mnist`, the path every recognition takes."""
    from digits.recognize import shipped_recognizer

    (_, _), (x_test, y_test) = mnist
    batch = np.stack([digits.to_mnist(image) for image in x_test])
    accuracy = float((shipped_recognizer().predict_mnist(batch).argmax(axis=1) == y_test).mean())
    assert accuracy >= 0.996, accuracy
