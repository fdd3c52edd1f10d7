"""The rule of benchmarks/unsure_threshold.py, which chooses `digits.recognize.UNSURE_BELOW`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

_SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "unsure_threshold.py"
_spec = importlib.util.spec_from_file_location("unsure_threshold", _SCRIPT)
unsure_threshold = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(unsure_threshold)


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
    threshold, rule = unsure_threshold.choose_threshold(*_digits((60, 0.60, 20), (100, 0.85, 100)))
    assert threshold == 0.85 and "more often wrong than right" in rule


def test_a_handful_of_wrong_answers_does_not_set_the_line():
    # 11 digits at 0.52, 4 right (the coin-toss rule alone would pick 0.80 from them); 30 at 0.80.
    threshold, rule = unsure_threshold.choose_threshold(*_digits((11, 0.52, 4), (30, 0.80, 24)))
    assert threshold == 0.99 and "at most 0.5%" in rule  # 41 digits below 0.99: 0.41% of them


def test_the_fallback_doubts_at_most_one_real_digit_in_200():
    confidence, correct = _digits((40, 0.70, 30), (30, 0.90, 25))
    threshold, _ = unsure_threshold.choose_threshold(confidence, correct)
    assert threshold == 0.90 and (confidence < threshold).mean() <= 0.005 < (confidence < threshold + 0.01).mean()
