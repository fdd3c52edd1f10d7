"""Real people's handwriting, measured: the dev sets of ``../shared/data/handwriting/``.

    python benchmarks/real_sets.py                  # the shipped model, one table
    python benchmarks/real_sets.py --model other.keras --mistakes mistakes.png

Every picture goes through recognition one at a time, as the drawing pad calls it.
These sets are for measuring only: nothing in the project trains on them or is
fitted to them. The folder is ``$DIGITS_HANDWRITING`` or, beside the repository,
``../shared/data/handwriting``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digits.model_files import SHIPPED_ONNX  # noqa: E402
from digits.recognize import Recognizer  # noqa: E402

HANDWRITING = Path(os.environ.get("DIGITS_HANDWRITING")
                   or Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "handwriting")
"""The folder of the real sets."""

REAL_SETS = {
    "pendigits_dev": "14 writers, tablet pen, Istanbul; drawn on a 280x280 canvas",
    "cvl_dev": "303 writers, scanned forms, Austria; stored at 28x28",
    "ardis_dev": "Swedish church records 1895-1970, scanned; stored at 28x28",
    "uji2_dev": "60 writers, tablet pen, Spain; drawn on a 280x280 canvas",
    "chars74k_dev": "55 writers, tablet PC, India; drawn on a 280x280 canvas",
}
"""The real digit sets, each with where its digits come from."""

NONDIGITS = ("nondigits_dev", "Chars74K letters that look like no digit, 55 writers, tablet PC; drawn on a 280x280 canvas")
"""The real set of things that are not digits: the recogniser should flag every one."""

SLOPPY_WRITER = ("pendigits_dev", "tes_w13")
"""The writer whose digits the data's README calls very sloppy; reported with and without."""


@dataclass(frozen=True)
class RealSet:
    """One real set: (N, 280, 280) uint8 pictures, (N,) labels and (N,) writer ids ('' where none)."""

    name: str
    images: np.ndarray
    labels: np.ndarray
    writers: np.ndarray


def load_real_set(name: str, folder: Path = HANDWRITING, limit: int | None = None) -> RealSet:
    """Read ``<folder>/<name>.npz`` (its first ``limit`` pictures, if given; labels -1 for the non-digits).

    Raises FileNotFoundError naming the file when it is not there.
    """
    path = Path(folder) / f"{name}.npz"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: set DIGITS_HANDWRITING to the folder of the real sets")
    with np.load(path, allow_pickle=False) as data:
        labels = data["labels"].astype(np.int64) if "labels" in data.files else np.full(len(data["images"]), -1)
        writers = data["writers"] if "writers" in data.files else np.full(len(labels), "")
        keep = slice(None, limit)
        return RealSet(name, data["images"][keep], labels[keep], np.asarray(writers)[keep].astype(str))


@dataclass(frozen=True)
class Result:
    """What recognition made of one set: each answer, whether it was flagged, and the 28x28 image the network saw."""

    name: str
    labels: np.ndarray
    answers: np.ndarray
    seen: np.ndarray
    flagged: np.ndarray
    """(N,) bool: `Prediction.unsure` (not a digit, or not sure enough)."""
    not_digit: np.ndarray
    """(N,) bool: not `Prediction.is_digit`."""

    @property
    def accuracy_unflagged(self) -> float:
        """Accuracy on the answers that were not flagged."""
        kept = ~self.flagged
        return float((self.answers[kept] == self.labels[kept]).mean()) if kept.any() else float("nan")

    @property
    def accuracy(self) -> float:
        return float((self.answers == self.labels).mean())

    def per_class(self) -> np.ndarray:
        """(10,) accuracy of each digit (nan where the set has none)."""
        return np.array([(self.answers[self.labels == d] == d).mean() if (self.labels == d).any() else np.nan
                         for d in range(10)])

    def top_confusions(self, count: int = 3) -> list[tuple[int, int, int]]:
        """The ``count`` most frequent (true digit, read as, times) mistakes."""
        wrong = self.answers != self.labels
        pairs = Counter(zip(self.labels[wrong].tolist(), self.answers[wrong].tolist()))
        return [(true, read, times) for (true, read), times in pairs.most_common(count)]


def measure(recognizer: Recognizer, real: RealSet) -> Result:
    """Recognise every picture of ``real`` one at a time, as the pad does."""
    predictions = [recognizer(image) for image in real.images]
    return Result(real.name, real.labels, np.array([p.digit for p in predictions]),
                  np.stack([p.image for p in predictions]), np.array([p.unsure for p in predictions]),
                  np.array([not p.is_digit for p in predictions]))


def subset(result: Result, keep: np.ndarray, name: str) -> Result:
    return Result(name, result.labels[keep], result.answers[keep], result.seen[keep], result.flagged[keep],
                  result.not_digit[keep])


def real_results(recognizer: Recognizer, folder: Path = HANDWRITING, limit: int | None = None) -> list[Result]:
    """Every real set measured (the first ``limit`` pictures of each, if given), pendigits also without its sloppy writer."""
    results = []
    for name in REAL_SETS:
        real = load_real_set(name, folder, limit)
        result = measure(recognizer, real)
        results.append(result)
        if name == SLOPPY_WRITER[0]:
            results.append(subset(result, real.writers != SLOPPY_WRITER[1], f"{name} without {SLOPPY_WRITER[1]}"))
    return results


def rows(results: list[Result]) -> list[tuple[str, str]]:
    """(measure, value) rows: accuracy, the weakest digits and the top confusions of each set."""
    out = []
    for result in results:
        per_class = result.per_class()
        weakest = np.argsort(per_class)[:3]
        confusions = ", ".join(f"{t} as {r} ({n})" for t, r, n in result.top_confusions())
        source = REAL_SETS.get(result.name.split(" ")[0], "")
        out.append((f"real: {result.name} ({source}), n={len(result.labels)}", f"{result.accuracy:.2%}"))
        out.append((f"real: {result.name}, weakest digits; most frequent mistakes",
                    ", ".join(f"{d} {per_class[d]:.1%}" for d in weakest) + f"; {confusions or 'none'}"))
        out.append((f"real: {result.name}, flagged (not a digit, or unsure); accuracy on the rest",
                    f"{result.flagged.mean():.2%} (not a digit: {result.not_digit.mean():.2%}); "
                    f"{result.accuracy_unflagged:.2%}"))
    return out


def nondigit_rows(recognizer: Recognizer, folder: Path = HANDWRITING, limit: int | None = None) -> list[tuple[str, str]]:
    """How many real non-digits are flagged: all together, and the letters caught least often."""
    real = load_real_set(NONDIGITS[0], folder, limit)
    with np.load(Path(folder) / f"{NONDIGITS[0]}.npz") as data:
        chars = data["chars"][: len(real.images)]
    predictions = [recognizer(image) for image in real.images]
    flagged = np.array([p.unsure for p in predictions])
    not_digit = np.array([not p.is_digit for p in predictions])
    caught = {c: flagged[chars == c].mean() for c in sorted(set(chars.tolist()))}
    least = sorted(caught, key=caught.get)[:5]
    return [
        (f"real non-digits: {NONDIGITS[0]} ({NONDIGITS[1]}), n={len(flagged)}, flagged (not a digit, or unsure)",
         f"{flagged.mean():.2%} (not a digit: {not_digit.mean():.2%})"),
        (f"real non-digits: {NONDIGITS[0]}, the letters flagged least often",
         ", ".join(f"{c} {caught[c]:.0%}" for c in least)),
    ]


def mistakes_figure(results: list[Result], per_set: int = 12):
    """A figure of each set's mistakes: the 28x28 image the network saw, titled 'true -> read'."""
    from digits.plots import show_digits

    images, titles = [], []
    for result in results:
        if " without " in result.name:
            continue
        wrong = np.flatnonzero(result.answers != result.labels)[:per_set]
        images += [result.seen[i] for i in wrong]
        titles += [f"{result.name.split('_')[0]}: {result.labels[i]}\u2192{result.answers[i]}" for i in wrong]
    return show_digits(np.array(images), titles, ncols=per_set,
                       title="Real digits read wrong (set: true \u2192 read), as the network saw them")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="a .onnx or .keras model (default: the shipped digits_cnn.onnx)")
    parser.add_argument("--mistakes", help="also save a picture of the mistakes to this PNG")
    args = parser.parse_args(argv)
    recognizer = Recognizer.from_file(args.model or SHIPPED_ONNX)
    results = real_results(recognizer)
    for name, value in rows(results):
        print(f"| {name} | {value} |")
    if args.mistakes:
        mistakes_figure(results).savefig(args.mistakes, dpi=80, bbox_inches="tight")


if __name__ == "__main__":
    main()
