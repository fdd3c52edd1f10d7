"""Making the shown probability honest: temperature scaling.

A network trained to be right is usually over-confident: it says 99% on
digits it gets wrong. Dividing its logits by one number, the *temperature*,
fitted on held-out data, fixes most of that without changing any answer
(Guo et al., "On Calibration of Modern Neural Networks", 2017). Below a threshold
chosen from data (`choose_unsure_threshold`) the drawing pad calls its answer unsure.
"""

from __future__ import annotations

import math

import numpy as np


def is_temperature(value) -> bool:
    """Whether ``value`` can be a temperature: a real number (not a bool), finite and above 0."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0)


def apply_temperature(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Rescale (N, 10) softmax outputs as if their logits were divided by ``temperature``."""
    logits = np.log(np.clip(probabilities, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    scaled = np.exp(logits)
    return scaled / scaled.sum(axis=1, keepdims=True)


def negative_log_likelihood(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean -log p(true label): the loss temperature scaling minimises."""
    return float(-np.mean(np.log(np.clip(probabilities[np.arange(len(labels)), labels], 1e-12, 1.0))))


def fit_temperature(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """The temperature (between 0.05 and 20) that best fits held-out (N, 10) probabilities."""
    from scipy.optimize import minimize_scalar  # training only: recognition needs none of SciPy's optimisers

    result = minimize_scalar(
        lambda log_t: negative_log_likelihood(apply_temperature(probabilities, np.exp(log_t)), labels),
        bounds=(np.log(0.05), np.log(20.0)),
        method="bounded",
    )
    return float(np.exp(result.x))


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = 15) -> float:
    """How far confidence is from accuracy, averaged over ``bins`` confidence bins (0 = perfect)."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        in_bin = which == b
        if in_bin.any():
            error += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(error)


MAX_REAL_FLAGGED = 0.005
"""At most this share of real digits may be called unsure (the fallback rule)."""
MIN_EVIDENCE = 50
"""The first rule counts only where at least this many real digits fall below the threshold:
with 10-20 of them, one digit read right or wrong moved the threshold from 0.73 to 0.61 or 0.55."""


def choose_unsure_threshold(confidence: np.ndarray, correct: np.ndarray) -> tuple[float, str]:
    """The drawing pad's "unsure" threshold, and which rule chose it (``benchmarks/unsure_threshold.py``).

    ``confidence``: the top probability of each real digit; ``correct``: whether it was read right.
    """
    candidates = np.round(np.arange(0.50, 1.0, 0.01), 2)
    coin_toss = [
        t for t in candidates if (confidence < t).sum() >= MIN_EVIDENCE and correct[confidence < t].mean() < 0.5
    ]
    if coin_toss:
        return float(max(coin_toss)), "below it the answers on real digits are more often wrong than right"
    # a well-calibrated model is rarely that unsure about a real digit: cap the cost instead
    best = max(t for t in candidates if (confidence < t).mean() <= MAX_REAL_FLAGGED)
    return float(best), (
        f"no threshold with at least {MIN_EVIDENCE} real digits below it has mostly wrong answers there; "
        f"the highest flagging at most {MAX_REAL_FLAGGED:.1%} of real digits"
    )
