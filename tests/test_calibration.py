"""Temperature scaling: honest probabilities without changing any answer; and the unsure threshold."""

import numpy as np
import pytest

from digits.calibration import apply_temperature, choose_unsure_threshold, expected_calibration_error, fit_temperature


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


def _digits(*groups: tuple[int, float, int]) -> tuple[np.ndarray, np.ndarray]:
    """10,000 real digits: the given (count, top probability, how many of them right) groups, the rest sure and right."""
    confidence, correct = [], []
    for count, probability, right in groups:
        confidence += [probability] * count
        correct += [True] * right + [False] * (count - right)
    rest = 10_000 - len(confidence)
    return np.array(confidence + [0.999] * rest), np.array(correct + [True] * rest)


def test_mostly_wrong_answers_below_the_line_set_it_when_there_are_enough_of_them():
    # 60 digits at 0.60, a third right; 100 more at 0.85, all right: below 0.86 it is exactly half.
    threshold, rule = choose_unsure_threshold(*_digits((60, 0.60, 20), (100, 0.85, 100)))
    assert threshold == 0.85 and "more often wrong than right" in rule


def test_a_handful_of_wrong_answers_does_not_set_the_line():
    # 11 digits at 0.52, 4 right (the coin-toss rule alone would pick 0.80 from them); 30 at 0.80.
    threshold, rule = choose_unsure_threshold(*_digits((11, 0.52, 4), (30, 0.80, 24)))
    assert threshold == 0.99 and "at most 0.5%" in rule  # 41 digits below 0.99: 0.41% of them


def test_the_fallback_doubts_at_most_one_real_digit_in_200():
    confidence, correct = _digits((40, 0.70, 30), (30, 0.90, 25))
    threshold, _ = choose_unsure_threshold(confidence, correct)
    assert threshold == 0.90 and (confidence < threshold).mean() <= 0.005 < (confidence < threshold + 0.01).mean()
