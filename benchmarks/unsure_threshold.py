"""Choose the drawing pad's "unsure" threshold (`digits.recognize.UNSURE_BELOW`) from data.

    python benchmarks/unsure_threshold.py [--digits 10000] [--scribbles 2000]

Two kinds of drawings go through the same pipeline as the pad (`digits.to_mnist`,
then the shipped model with the temperature in its card):

* real digits: MNIST's held-out test set, each upscaled to the pad's 280x280 and
  inverted to dark ink on white, as a person would have drawn it;
* scribbles: 1-3 random smooth strokes (`digits.drawn.scribbles`) drawn with the
  width of the pad's own pen, which are not digits at all.

For each candidate threshold it prints how many real digits would be flagged
"unsure" (the cost: a student is told the pad is unsure about a good digit), how
many of the wrong answers on real digits would be flagged, how accurate the
flagged and unflagged answers are, and how many scribbles would be flagged.
The rule used: the threshold is the highest probability (in steps of 0.01) below
which the pad's answers on real digits are more often wrong than right, counted
only where at least 50 real digits fall below it (fewer are too few to tell a
coin toss from luck). "Unsure" then means what it says: below it, the answer is a
coin toss or worse. When no threshold of 0.50 or more has that property (a
well-calibrated model is rarely below 50% on a real digit), it is the highest one
that flags at most 0.5% of real digits: the pad doubts at most one good digit in 200.
"""

from __future__ import annotations

import argparse

import numpy as np

import digits
from digits.calibration import choose_unsure_threshold
from digits.drawn import enlarged, scribbles
from digits.recognize import shipped_recognizer
from digits.widget import LINE_WIDTH, PAD_SIZE


def top_probabilities(images) -> tuple[np.ndarray, np.ndarray]:
    batch = np.stack([digits.to_mnist(image) for image in images])
    probabilities = shipped_recognizer().predict_mnist(batch)
    return probabilities.argmax(axis=1), probabilities.max(axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=10000, help="how many MNIST test digits")
    parser.add_argument("--scribbles", type=int, default=2000, help="how many random scribbles")
    args = parser.parse_args()

    (_, _), (x_test, y_test) = digits.load_mnist()
    x_test, y_test = x_test[: args.digits], y_test[: args.digits]
    predicted, confidence = top_probabilities(enlarged(x, PAD_SIZE) for x in x_test)
    correct = predicted == y_test
    _, scribble_confidence = top_probabilities(scribbles(args.scribbles, seed=0, size=PAD_SIZE, stroke=(LINE_WIDTH, LINE_WIDTH)))

    print(f"real digits: {len(y_test)}, accuracy {correct.mean():.2%}, wrong answers {int((~correct).sum())}")
    print(f"scribbles: {args.scribbles}, median top probability {np.median(scribble_confidence):.2f}")
    print()
    print("threshold | real digits flagged | wrong answers flagged | accuracy flagged | accuracy kept | scribbles flagged")
    for threshold in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99):
        flagged = confidence < threshold
        accuracy_flagged = correct[flagged].mean() if flagged.any() else float("nan")
        print(
            f"{threshold:9.2f} | {flagged.mean():19.2%} | {flagged[~correct].mean():21.1%} | "
            f"{accuracy_flagged:16.1%} | {correct[~flagged].mean():13.2%} | {(scribble_confidence < threshold).mean():17.1%}"
        )
    best, rule = choose_unsure_threshold(confidence, correct)
    flagged = confidence < best
    print()
    print(
        f"recommended UNSURE_BELOW = {best:.2f} ({rule}): flags {flagged.mean():.2%} of real digits, "
        f"{flagged[~correct].mean():.0%} of the wrong answers and {(scribble_confidence < best).mean():.0%} of the scribbles"
    )


if __name__ == "__main__":
    main()
