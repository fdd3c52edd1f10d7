"""Temperature scaling: honest probabilities without changing any answer."""

import numpy as np
import pytest

from digits.calibration import apply_temperature, expected_calibration_error, fit_temperature


def _softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.fixture
def overconfident():
    """Probabilities from logits 2.5x too sharp, labels drawn from the true distribution."""
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, (20000, 10))
    labels = np.array([rng.choice(10, p=p) for p in _softmax(logits)])
    return _softmax(logits * 2.5), labels


def test_fit_temperature_recovers_the_overconfidence(overconfident):
    probabilities, labels = overconfident
    assert fit_temperature(probabilities, labels) == pytest.approx(2.5, rel=0.08)


def test_temperature_lowers_calibration_error(overconfident):
    probabilities, labels = overconfident
    fitted = apply_temperature(probabilities, fit_temperature(probabilities, labels))
    assert expected_calibration_error(fitted, labels) < 0.3 * expected_calibration_error(probabilities, labels)


def test_temperature_never_changes_the_answer(overconfident):
    probabilities, _ = overconfident
    for temperature in (0.5, 1.0, 4.0):
        scaled = apply_temperature(probabilities, temperature)
        assert np.array_equal(scaled.argmax(axis=1), probabilities.argmax(axis=1))
        assert np.allclose(scaled.sum(axis=1), 1.0)


def test_temperature_one_is_the_identity(overconfident):
    probabilities, _ = overconfident
    assert np.allclose(apply_temperature(probabilities, 1.0), probabilities, atol=1e-6)
