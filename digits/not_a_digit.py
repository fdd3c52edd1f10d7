"""Is it a digit at all? The judgement behind `Prediction.is_digit`.

A softmax over ten classes always names one of them: shown an E, the digit
network answers "5" and may even be sure of it. So a second opinion decides
whether the picture looks like a digit at all, before anyone believes the digit.
It asks three witnesses, each a number that is high for digits:

* ``logistic`` - a logistic head on the digit network's penultimate features
  (the 256 numbers it computes just before its answer), fitted to tell digits
  from drawings that are not digits;
* ``mahalanobis`` - minus the Mahalanobis distance of those features to the
  nearest digit class: how far the picture lies from everything the network
  saw as digits (needs no non-digits at all);
* ``cnn`` - a small second network (``models/not_a_digit.onnx``) trained
  directly on digits against letters, symbols, shapes and scribbles.

Each score is standardised on held-out real digits and the three are averaged;
below the card's threshold the picture is "not a digit". The threshold lets at
most one held-out digit in 200 through as "not a digit". Fitted by
``python -m digits.train_judge`` (`digits.train_judge`); runs with NumPy and ONNX
Runtime, without TensorFlow.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from .model_files import NOT_A_DIGIT_MODEL, ModelLoadError, card_path
from .networks import OnnxSession

JUDGE_HOW_TO_FIX = "Fit one with `python -m digits.train_judge`, or restore the shipped files with `git checkout -- models/`."


@dataclass(frozen=True)
class FeatureStatistics:
    """What digits look like to the digit network, in its penultimate features (K numbers per picture).

    ``mean``, ``std``: (K,) standardisation of the features for ``weights`` (K,)
    and ``bias`` of the logistic head; ``class_means``: (10, K) mean features of
    each digit; ``precision``: (K, K) inverse of their shared covariance.
    """

    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    bias: float
    class_means: np.ndarray
    precision: np.ndarray

    @classmethod
    def fit(cls, digit_features: np.ndarray, digit_labels: np.ndarray, logistic_head: tuple) -> "FeatureStatistics":
        """Class means and shared covariance of (N, K) digit features by (N,) label, with a fitted head."""
        means = np.stack([digit_features[digit_labels == c].mean(axis=0) for c in range(10)])
        centred = digit_features - means[digit_labels]
        covariance = centred.T @ centred / len(centred) + 1e-3 * np.eye(centred.shape[1])
        mean, std, weights, bias = logistic_head
        return cls(mean, std, weights, float(bias), means, np.linalg.inv(covariance))

    def logistic(self, features: np.ndarray) -> np.ndarray:
        """(N, K) features -> (N,) log-odds that each picture is a digit."""
        return ((features - self.mean) / self.std) @ self.weights + self.bias

    def mahalanobis(self, features: np.ndarray) -> np.ndarray:
        """(N, K) features -> (N,) minus the squared Mahalanobis distance to the nearest digit class."""
        # (f - m)' P (f - m) = f'Pf - 2 f'Pm + m'Pm, as two plain matrix products (no (N, 10, K) stack)
        projected = features @ self.precision
        squared = ((projected * features).sum(axis=1)[:, None] - 2 * projected @ self.class_means.T
                   + self._mean_terms[None, :])
        return -squared.min(axis=1)

    @cached_property
    def _mean_terms(self) -> np.ndarray:
        """(10,) m'Pm of each class mean: computed once (a 10-row product is slow to repeat for every picture)."""
        return ((self.class_means @ self.precision) * self.class_means).sum(axis=1)

    def save(self, path: str | os.PathLike) -> None:
        np.savez(path, mean=self.mean, std=self.std, weights=self.weights, bias=self.bias,
                 class_means=self.class_means, precision=self.precision)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "FeatureStatistics":
        """Read a saved `FeatureStatistics`; raises `ModelLoadError` when the file is missing or damaged."""
        try:
            with np.load(path) as stored:
                fields = {name: stored[name].astype(np.float64) for name in
                          ("mean", "std", "weights", "bias", "class_means", "precision")}
        except FileNotFoundError:
            raise ModelLoadError(f"No feature statistics at {path}. {JUDGE_HOW_TO_FIX}") from None
        except Exception as exc:  # noqa: BLE001 - zip, pickle and key errors all mean a damaged file
            raise ModelLoadError(f"The file {path} is damaged ({type(exc).__name__}). {JUDGE_HOW_TO_FIX}") from None
        size = fields["mean"].shape
        if (len(size) != 1 or fields["class_means"].shape != (10, size[0])
                or fields["precision"].shape != (size[0], size[0]) or fields["weights"].shape != size):
            raise ModelLoadError(f"The file {path} is damaged: its arrays do not fit together. {JUDGE_HOW_TO_FIX}")
        fields["bias"] = float(fields["bias"])
        return cls(**fields)


def fit_logistic(digit_features: np.ndarray, nondigit_features: np.ndarray, steps: int = 300,
                 rate: float = 0.5, decay: float = 1e-4) -> tuple:
    """A logistic regression telling (N, K) digit features from (M, K) non-digit ones, the classes weighted equally.

    Full-batch gradient descent on standardised features (deterministic, NumPy only).
    Returns ``(mean, std, weights, bias)`` as `FeatureStatistics` stores them.
    """
    x = np.concatenate([digit_features, nondigit_features])
    y = np.concatenate([np.ones(len(digit_features)), np.zeros(len(nondigit_features))])
    mean, std = digit_features.mean(axis=0), digit_features.std(axis=0) + 1e-3
    x = (x - mean) / std
    sample_weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    weights, bias = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        error = (1 / (1 + np.exp(-(x @ weights + bias))) - y) * sample_weight
        weights -= rate * (x.T @ error / len(y) + decay * weights)
        bias -= rate * error.mean()
    return mean, std, weights, bias


class DigitJudge:
    """Decides whether pictures look like digits, from the pictures and the digit network's features.

    ``cnn``: an `OnnxSession` of the small judge network ((N, 28, 28, 1) -> (N, 1));
    ``statistics``: the `FeatureStatistics` of the digit network it was fitted for;
    ``centre``, ``spread``: (3,) the held-out digits' mean and spread of each raw
    score; ``threshold``: the combined score below which a picture is not a digit.
    """

    def __init__(self, cnn: OnnxSession, statistics: FeatureStatistics, centre, spread, threshold: float):
        self.cnn = cnn
        self.statistics = statistics
        self.centre = np.asarray(centre, dtype=np.float64).reshape(3)
        self.spread = np.asarray(spread, dtype=np.float64).reshape(3)
        self.threshold = float(threshold)

    @classmethod
    def from_file(cls, path: str | os.PathLike = NOT_A_DIGIT_MODEL) -> "DigitJudge":
        """The judge saved at ``path`` (``.onnx``), with its ``.npz`` and card beside it.

        Raises `ModelLoadError` when any of the three is missing or damaged.
        """
        path = Path(path)
        try:
            card = json.loads(card_path(path).read_text(encoding="utf-8"))
            centre, spread, threshold = card["centre"], card["spread"], float(card["threshold"])
            statistics_file = path.with_name(card["features_file"])
            if not (len(centre) == len(spread) == 3 and np.all(np.asarray(spread, float) > 0)):
                raise ValueError("centre and spread must be three numbers each, spreads above 0")
        except FileNotFoundError:
            raise ModelLoadError(f"No card for the not-a-digit judge at {card_path(path)}. {JUDGE_HOW_TO_FIX}") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelLoadError(f"The card {card_path(path)} is damaged ({exc}). {JUDGE_HOW_TO_FIX}") from None
        cnn = OnnxSession(path, outputs=(1,), what="not-a-digit judge", how_to_fix=JUDGE_HOW_TO_FIX)
        return cls(cnn, FeatureStatistics.load(statistics_file), centre, spread, threshold)

    def raw_scores(self, images: np.ndarray, features: np.ndarray) -> np.ndarray:
        """(N, 3) the three witnesses' scores (logistic, mahalanobis, cnn) of (N, 28, 28, 1) images with (N, K) features."""
        features = np.asarray(features, dtype=np.float64)
        return np.column_stack([
            self.statistics.logistic(features),
            self.statistics.mahalanobis(features),
            self.cnn.run(images)[0][:, 0].astype(np.float64),
        ])

    def scores(self, images: np.ndarray, features: np.ndarray) -> np.ndarray:
        """(N, 3) `raw_scores` standardised: 0 is a typical held-out digit, -1 one spread below it."""
        return (self.raw_scores(images, features) - self.centre) / self.spread

    def digit_score(self, images: np.ndarray, features: np.ndarray) -> np.ndarray:
        """(N,) how much each picture looks like a digit: 0 is a typical held-out digit, lower is less digit-like."""
        return self.scores(images, features).mean(axis=1)

    def is_digit(self, images: np.ndarray, features: np.ndarray) -> np.ndarray:
        """(N,) bool: does each picture look like a digit (`digit_score` at or above the threshold)?"""
        return self.digit_score(images, features) >= self.threshold
