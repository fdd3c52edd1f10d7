"""Reading a whole written number, such as "2026", one digit at a time.

`recognize_number(image)` cuts the ink into atoms (`digits.segment`), considers
every run of neighbouring atoms that could be one digit, puts runs through
`to_mnist` and the network (in batches), and keeps the split of the atoms into
runs with the highest summed score (dynamic programming over the atoms). A run
scores the log-probability of the digit the network reads in it, plus priors
measured on the pendigits training writers (``python benchmarks/whole_numbers.py
--priors``): a digit is seldom made of ink with paper between its pieces
(`JOIN_COST`), is never as low as a flag or a dash (`FRAGMENT_COST`), and has
a width typical of that digit (`WIDTH_PRIOR`); and where the split is in doubt,
a run that the recognizer's judge finds looks like no digit (two touching
digits read as one, a slice of a digit) scores less (`NOT_A_DIGIT_COST`).
Runs whose score cannot win whatever the network says are never read. From the
picture alone, where the ink holds a group wider than a line is high (digits that
may overlap or cross; `digits.segment.ARC_FROM`) that the reading does not take
whole as one digit the judge believes, the atoms are also made by cutting where
the strokes meet (`digits.segment.split_into_atoms` with ``at_branches``), both
are read, and the reading with the higher score is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import cv2
import numpy as np

from .preprocess import (MNIST_STROKE_RANGE, EmptyImageError, center_by_mass, crop_to_ink, fit_in_box, ink_map,
                         normalize_stroke)
from .recognize import Prediction, Recognizer, shipped_recognizer
from .segment import FRAGMENT_HEIGHT, Atoms, split_into_atoms

MAX_ATOMS = 6
"""A digit is made of at most this many atoms (a dotted stroke makes many)."""
MAX_WIDTH = 1.5
"""A run of atoms wider than this many line heights is not one digit (unless it is a single atom).

Of the pendigits training digits drawn alone, the widest 1% are 1.26 times as wide as high or more."""
MAX_GAP = 0.3
"""A run with more empty columns than this many line heights inside it is not one digit (a broken
stroke leaves gaps of a pen width or two)."""
JOIN_COST = 6.0
"""Log-odds against one digit being made of ink with paper between its pieces (two clusters of
`digits.segment.Atoms`), or of slices that a cut broke off a loop.

A prior, not a fit: of the 7,494 pendigits training digits drawn alone, 10 are (1 in 750, e^-6.6;
rounded down to allow for writers who lift the pen more often).
Without it the network, sure of "4" for the picture of "14", would swallow the 1."""
NOT_A_DIGIT_COST = 4.0
"""Log-odds against a run of atoms that the recognizer's judge (`Recognizer.judge_mnist`) finds looks like no
digit: a pair of touching digits read as one, or a slice of one.

Of the candidate runs of numbers composed from the pendigits training writers, the judge takes 99% of those
that are one whole digit for digits, and 36% of the others. Chosen on 240 such numbers
(``python benchmarks/whole_numbers.py --fit 60``), never on the measuring sets: 2 and 4 read them alike, 90.8%
exact from the picture and 95.4% with strokes, against 89.6% and 94.2% without the judge. A bonus for runs
the judge takes did worse (79% at 0.5): the network reads many a slice of a digit as a digit too.
Only contested runs are judged (`_Runs.contested`); a recognizer without ``judge_mnist`` judges none."""
FRAGMENT_COST = JOIN_COST
"""Log-odds against a digit lower than `digits.segment.FRAGMENT_HEIGHT` of the line (a flag, a bar, a dash)."""
WIDTH_PRIOR = (
    (-0.127, 0.197), (-0.703, 0.426), (-0.181, 0.230), (-0.410, 0.162), (-0.515, 0.232),
    (-0.208, 0.193), (-0.542, 0.172), (-0.375, 0.209), (-0.528, 0.194), (-0.453, 0.202),
)
"""For each digit 0-9, the mean and standard deviation of log(width / height) of its ink.

Measured on the 7,494 pendigits training digits drawn as `benchmarks/whole_numbers.py` draws them
(``python benchmarks/whole_numbers.py --width-prior`` prints them again). A run read as digit d whose
width (over the line height) lies more than `WIDTH_SLACK` deviations from d's mean scores less, as
a normal density would: that is what tells "44" written touching from one wide 4."""
WIDTH_SLACK = 2.5
"""Widths within this many standard deviations of a digit's mean cost nothing (99% of training digits)."""
_MARGIN = 0.1
"""Paper added around a digit's cut-out, as a share of its longer side, so its border is paper."""

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class NumberPrediction:
    """What the network reads in a picture of a number.

    ``text``: the digits as a string, e.g. ``"2026"``. ``digits``: one
    `Prediction` per digit, left to right. ``boxes``: each digit's
    ``(x0, y0, x1, y1)`` box in the picture's pixels, ends exclusive.
    """

    text: str
    digits: tuple[Prediction, ...]
    boxes: tuple[Box, ...]

    @property
    def probability(self) -> float:
        """The probability that every digit is read right: the product of the digits' probabilities."""
        return float(np.prod([digit.probability for digit in self.digits]))

    @property
    def unsure(self) -> bool:
        """True when any digit's answer should not be believed (`Prediction.unsure`)."""
        return any(digit.unsure for digit in self.digits)

    def __str__(self) -> str:
        return f"{self.text} \N{EM DASH} {self.probability:.0%}"


def recognize_number(
    image,
    strokes: Sequence[Sequence[Sequence[float]]] | None = None,
    recognizer: Recognizer | None = None,
) -> NumberPrediction:
    """Read the number written in ``image``, digit by digit, left to right.

    Parameters
    ----------
    image
        Any picture `digits.recognize` takes: grey (H, W), RGB (H, W, 3) or RGBA
        (H, W, 4), uint8 or float, any size and width.
    strokes
        Optional pen strokes the picture was drawn with (as the drawing pad has
        them): a sequence of strokes, each a sequence of ``(x, y)`` points in the
        picture's pixels, y pointing down. Digits that touch are then told apart
        by their strokes.
    recognizer
        The `Recognizer` that reads each digit (for example one made from a
        student's own network); by default the shipped model's.

    Returns
    -------
    NumberPrediction
        The digits, their predictions and their boxes.

    Raises
    ------
    EmptyImageError
        When there is no ink.
    ValueError, TypeError
        When ``image`` is not a picture (as `digits.to_mnist`).

    Each digit's `Prediction` is what `digits.recognize` would say of a picture of that digit alone:
    its cut-out goes through the same `to_mnist` and the same network.
    """
    recognizer = recognizer or shipped_recognizer()
    ink = ink_map(image)
    scale = _scale_back(image, ink.shape)
    if strokes is not None and scale != (1.0, 1.0):  # a huge picture was shrunk: so are its strokes
        strokes = [np.asarray(stroke, np.float64).reshape(-1, 2) / scale for stroke in strokes]
    atoms = split_into_atoms(ink, strokes)
    runs = _read_runs(ink, atoms, recognizer)
    wide = atoms.wide_groups() if strokes is None else []
    if wide and not _read_whole_as_digits(runs, wide, recognizer):
        # Digits that may overlap or cross: read the atoms cut where the strokes meet too, keep the better reading.
        branched = split_into_atoms(ink, at_branches=True)
        if branched.at_branches:
            other = _read_runs(ink, branched, recognizer)
            if other.best_between(0, branched.count - 1) > runs.best_between(0, atoms.count - 1):
                atoms, runs = branched, other
    chosen = runs.best_reading()
    predictions = tuple(runs.prediction(index) for index in chosen)
    boxes = tuple(_scaled(atoms.box(*runs.spans[index]), scale) for index in chosen)
    return NumberPrediction("".join(str(p.digit) for p in predictions), predictions, boxes)


def _read_whole_as_digits(runs: "_Runs", groups: list[tuple[int, int]], recognizer: Recognizer) -> bool:
    """Whether the best reading so far takes each of ``groups`` ((first, last) atoms, the wide groups) whole, as one
    digit that the recognizer's judge finds is a digit (a wide 0 or 2): then nothing crosses there to part.

    False where the recognizer has no judge (``judge_mnist``) or nothing could be read, so the picture is read
    both ways.
    """
    if not hasattr(recognizer, "judge_mnist") or not np.isfinite(runs.best_between(0, runs.atoms.count - 1)):
        return False
    wanted = set(groups)
    whole = [index for index in runs.best_reading() if runs.spans[index] in wanted]
    if len(whole) < len(groups):
        return False
    _, is_digit = recognizer.judge_mnist(np.stack([runs.images[index] for index in whole]))
    return bool(np.all(is_digit))


def _read_runs(ink: np.ndarray, atoms: Atoms, recognizer: Recognizer) -> "_Runs":
    """The candidate runs of ``atoms``, read and scored as far as the best reading needs."""
    runs = _Runs(atoms, _candidate_runs(atoms))
    # Runs of one group (and single atoms) first; a run that joins groups or is low is read only where its
    # best possible score (its costs alone) beats what the runs read so far make of the same atoms.
    runs.read(ink, recognizer, np.flatnonzero((runs.costs == 0) | runs.single))
    runs.read(ink, recognizer, [index for index in np.flatnonzero(~runs.done)
                                if -runs.costs[index] > runs.best_between(*runs.spans[index])])
    return runs


def _candidate_runs(atoms: Atoms) -> list[tuple[int, int]]:
    """Every run of atoms (first, last; 0-based, inclusive) that could be one digit. Single atoms always can."""
    runs = []
    line = atoms.line_height
    for first in range(atoms.count):
        runs.append((first, first))
        for last in range(first + 1, min(first + MAX_ATOMS, atoms.count)):
            x0, y0, x1, y1 = atoms.box(first, last)
            if x1 - x0 > MAX_WIDTH * line:
                break
            if atoms.widest_gap(first, last) > MAX_GAP * line:
                break
            runs.append((first, last))
    return runs


class _Runs:
    """The candidate runs of a picture's atoms, the ones read so far, and their scores.

    A run's score is the log-probability of the digit the network reads in it, plus the log-prior of its
    width for that digit (`_width_scores`), less its ``costs``: `JOIN_COST` for each cluster (`Atoms`)
    beyond the first it holds and for each blob its cuts broke apart (`Atoms.pieces_broken`), and
    `FRAGMENT_COST` where it is lower than `FRAGMENT_HEIGHT` of the line, and `NOT_A_DIGIT_COST` where it is
    contested and the recognizer's judge finds it looks like no digit.
    """

    def __init__(self, atoms: Atoms, spans: list[tuple[int, int]]):
        self.atoms, self.spans = atoms, spans
        boxes = np.array([atoms.box(first, last) for first, last in spans], np.float64).reshape(-1, 4)
        self.ratios = (boxes[:, 2] - boxes[:, 0]) / atoms.line_height
        low = (boxes[:, 3] - boxes[:, 1]) < FRAGMENT_HEIGHT * atoms.line_height
        joins = np.array([len(set(atoms.cluster[first : last + 1].tolist())) - 1 for first, last in spans])
        cut = np.bincount(atoms.group)[atoms.group] > 1  # atoms cut from a wider group
        broken = np.array([atoms.pieces_broken(first, last) if cut[first : last + 1].any() else 0
                           for first, last in spans])
        self.costs = JOIN_COST * (joins + broken) + FRAGMENT_COST * low
        self.single = np.array([first == last for first, last in spans])
        group_sizes = np.bincount(atoms.group)
        # Contested: a run that could be a slice of a digit or hold more than one, being no whole group.
        self.contested = np.array([first != last or group_sizes[atoms.group[first]] > 1 for first, last in spans])
        self.done = np.zeros(len(spans), bool)
        self.scores = np.full(len(spans), -np.inf)
        self.probabilities = np.zeros((len(spans), 10))
        self.is_digit = np.ones(len(spans), bool)
        self.images: dict[int, np.ndarray] = {}

    def read(self, ink: np.ndarray, recognizer: Recognizer, indices) -> None:
        """Put the runs ``indices`` through `to_mnist` and the network, in one batch, and score them."""
        indices = [int(index) for index in indices if not self.done[index]]
        self.done[indices] = True
        readable = []
        for index in indices:
            try:
                self.images[index] = _mnist_from_ink(_padded(self.atoms.cutout(ink, *self.spans[index])))
            except EmptyImageError:  # ink too faint to read: the run stays unreadable
                continue
            readable.append(index)
        if not readable:
            return
        judged = [i for i in readable if self.contested[i]] if hasattr(recognizer, "judge_mnist") else []
        unjudged = [i for i in readable if i not in set(judged)]
        readable = judged + unjudged
        found, is_digit = [], []
        if judged:
            probabilities, verdicts = recognizer.judge_mnist(np.stack([self.images[i] for i in judged]))
            found.append(probabilities)
            is_digit.append(np.asarray(verdicts, bool))
        if unjudged:  # the judge is as slow as the network: runs whose split is not in doubt go without it
            found.append(recognizer.predict_mnist(np.stack([self.images[i] for i in unjudged])))
            is_digit.append(np.ones(len(unjudged), bool))
        found, is_digit = np.asarray(np.concatenate(found), np.float64), np.concatenate(is_digit)
        found /= found.sum(axis=1, keepdims=True)
        digits = np.argmax(found, axis=1)
        self.probabilities[readable] = found
        self.scores[readable] = (np.log(np.maximum(found.max(axis=1), 1e-12))
                                 + _width_scores(self.ratios[readable], digits) - self.costs[readable]
                                 - np.where(is_digit, 0.0, NOT_A_DIGIT_COST))
        self.is_digit[readable] = is_digit

    def _split(self, first: int, last: int) -> tuple[np.ndarray, list[int]]:
        """The best scores of atoms ``first``..``end`` for every end, and the run ending each best split."""
        count = last - first + 1
        best = np.full(count + 1, -np.inf)
        best[0] = 0.0
        back = [-1] * (count + 1)
        ending: dict[int, list[int]] = {}
        for index, (start, stop) in enumerate(self.spans):
            if self.done[index] and start >= first and stop <= last:
                ending.setdefault(stop - first + 1, []).append(index)
        for end in range(1, count + 1):
            for index in ending.get(end, []):
                candidate = best[self.spans[index][0] - first] + self.scores[index]
                if candidate > best[end]:
                    best[end], back[end] = candidate, index
        return best, back

    def best_between(self, first: int, last: int) -> float:
        """The best score of atoms ``first``..``last`` split into the runs read so far (-inf if none)."""
        return float(self._split(first, last)[0][-1])

    def best_reading(self) -> list[int]:
        """The runs, left to right, of the best split of all the atoms. Raises `EmptyImageError` if none reads."""
        best, back = self._split(0, self.atoms.count - 1)
        if not np.isfinite(best[-1]):
            raise EmptyImageError("no digit could be read in the image")
        chosen, end = [], self.atoms.count
        while end > 0:
            chosen.append(back[end])
            end = self.spans[back[end]][0]
        return chosen[::-1]

    def prediction(self, index: int) -> Prediction:
        row = self.probabilities[index]
        digit = int(np.argmax(row))
        return Prediction(digit, float(row[digit]), tuple(row.tolist()), self.images[index], bool(self.is_digit[index]))


def _width_scores(ratios: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """Log-prior of each run's width (over the line height) for the digit it is read as: 0 unless unusual."""
    mean, deviation = np.asarray(WIDTH_PRIOR).T
    z = np.abs(np.log(np.maximum(ratios, 1e-3)) - mean[digits]) / deviation[digits]
    return -0.5 * (np.maximum(z, WIDTH_SLACK) ** 2 - WIDTH_SLACK**2)


def _mnist_from_ink(cutout: np.ndarray) -> np.ndarray:
    """`digits.to_mnist` of a digit's cut-out, without reading its paper again.

    ``cutout``: (h, w) float32 in [0, 1], an ink map (paper 0) with a margin of paper all round, as
    `_padded` makes. `to_mnist` would find its paper to be 0 and stretch its strongest ink to 1; that is
    done here directly, then the same steps follow (`crop_to_ink`, `normalize_stroke`, `fit_in_box`,
    `center_by_mass`), so the result equals ``to_mnist(cutout)``. Returns (28, 28) float32 in [0, 1].
    Raises `EmptyImageError` when the ink is too faint to read.
    """
    strongest = float(cutout.max())
    if strongest < _FAINTEST:
        raise EmptyImageError("the cut-out holds no ink")
    ink = np.clip(cutout * np.float32(1 / strongest), 0.0, 1.0)
    return center_by_mass(fit_in_box(normalize_stroke(crop_to_ink(ink), MNIST_STROKE_RANGE)))


_FAINTEST = 0.05
"""Ink fainter than this (fraction of full strength) is blank to `digits.to_mnist`, and so to `_mnist_from_ink`."""


def _padded(cutout: np.ndarray) -> np.ndarray:
    """A digit's cut-out with a margin of paper all round."""
    margin = max(2, int(round(_MARGIN * max(cutout.shape))))
    return cv2.copyMakeBorder(cutout, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=0.0)


def _scale_back(image, shape: tuple[int, int]) -> tuple[float, float]:
    """(x, y) factors from ink-map pixels to the picture's own (they differ where a huge picture was shrunk)."""
    size = getattr(image, "size", None)
    if hasattr(image, "mode") and isinstance(size, tuple):  # a PIL image: (width, height)
        width, height = size
    else:
        height, width = np.shape(image)[:2]
    return width / shape[1], height / shape[0]


def _scaled(box: Box, scale: tuple[float, float]) -> Box:
    x0, y0, x1, y1 = box
    sx, sy = scale
    if sx == 1.0 and sy == 1.0:
        return box
    return (int(np.floor(x0 * sx)), int(np.floor(y0 * sy)), int(np.ceil(x1 * sx)), int(np.ceil(y1 * sy)))
