"""`digits.recognize`: one picture in, a `Prediction` out."""

import numpy as np
import pytest

import digits
from conftest import as_canvas_drawing


def test_upscaled_inverted_mnist_digits_are_recognised(mnist):
    """MNIST test digits as if drawn on a 280x280 canvas, passed one at a time."""
    (_, _), (x_test, y_test) = mnist
    rng = np.random.default_rng(0)
    indices = rng.choice(len(x_test), 1000, replace=False)
    correct = sum(digits.recognize(as_canvas_drawing(x_test[i])).digit == y_test[i] for i in indices)
    assert correct / len(indices) >= 0.98, correct / len(indices)


def test_prediction_fields(mnist):
    prediction = digits.recognize(as_canvas_drawing(mnist[1][0][0]))
    assert isinstance(prediction.digit, int) and 0 <= prediction.digit <= 9
    assert len(prediction.probabilities) == 10
    assert sum(prediction.probabilities) == pytest.approx(1.0, abs=1e-6)
    assert prediction.probability == max(prediction.probabilities)
    assert prediction.probabilities[prediction.digit] == prediction.probability
    assert prediction.image.shape == (28, 28)
    assert str(prediction).startswith(f"{prediction.digit} \N{EM DASH} ")


def test_one_image_path_gives_the_batch_paths_probabilities(mnist):
    """`recognize` runs one image through its own compiled function; it must agree with `predict_mnist`."""
    from digits.recognize import shipped_recognizer

    images = [as_canvas_drawing(image) for image in mnist[1][0][:20]]
    one_at_a_time = np.array([digits.recognize(image).probabilities for image in images])
    batch = shipped_recognizer().predict_mnist(np.stack([digits.to_mnist(image) for image in images]))
    assert np.allclose(one_at_a_time, batch, atol=1e-4)
    assert len(set(one_at_a_time.argmax(axis=1))) > 5  # twenty digits, not one answer for all


def test_recognize_reuses_one_loaded_model():
    from digits.recognize import shipped_recognizer

    assert shipped_recognizer() is shipped_recognizer()


def test_recognizer_works_with_any_model(mnist):
    model = digits.build_cnn()  # untrained: the answer is arbitrary but well formed
    prediction = digits.Recognizer(model)(mnist[1][0][0])
    assert sum(prediction.probabilities) == pytest.approx(1.0, abs=1e-5)


def test_temperature_softens_probabilities_without_changing_the_digit(mnist):
    model = digits.load_model()
    image = as_canvas_drawing(mnist[1][0][0])
    sharp = digits.Recognizer(model, temperature=1.0)(image)
    soft = digits.Recognizer(model, temperature=3.0)(image)
    assert soft.digit == sharp.digit and soft.probability < sharp.probability


def test_blank_canvas_raises_empty_image_error():
    with pytest.raises(digits.EmptyImageError):
        digits.recognize(np.zeros((280, 280, 4), np.uint8))
