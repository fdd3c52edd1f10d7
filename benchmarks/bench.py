"""The benchmark: how well and how fast `digits.recognize` works, real writers first.

    python benchmarks/bench.py                       # the shipped model, prints a table
    python benchmarks/bench.py --write BENCHMARKS.md # ...and keeps the table (and a picture of the mistakes) there
    python benchmarks/bench.py --model other.keras --n 300   # a .keras model runs on TensorFlow
    python benchmarks/bench.py --seed 100            # other synthetic drawings of the same kinds

Every picture goes through recognition one image at a time, exactly as the
drawing pad calls it. The table has three parts, in this order:

1. **real**: people's handwriting from other countries (`real_sets`, the dev sets of
   ``../shared/data/handwriting``), never trained on;
2. **MNIST**: the test set, raw and through `to_mnist`;
3. **synthetic**: drawings made by the project's own generators (`digits.drawn`,
   `digits.augment`) from MNIST *test* digits, one variation at a time, plus
   scans, sketches, styles and scribbles. Several of those generators also make
   training digits, so these rows say the pipeline works, not that it reads real people.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import real_sets  # noqa: E402
from benchmarks.markdown import machine, table, write_section  # noqa: E402
from digits.augment import cross_seven, flag_one, slash_zero  # noqa: E402
from digits.data import load_mnist  # noqa: E402
from digits.drawn import drawn_digits, enlarged, scanned_digits, scribbles, sketched_digits, unevenly_lit  # noqa: E402
from digits.model_files import SHIPPED_ONNX, read_card  # noqa: E402
from digits.preprocess import to_mnist  # noqa: E402
from digits.recognize import UNSURE_BELOW, Recognizer  # noqa: E402

SYNTHETIC = "synthetic (project's own generators)"
"""The label every row drawn by the project's own generators starts with."""

_TYPICAL = {"scale": (0.45, 0.8), "stroke": (10.0, 24.0)}
VARIATIONS = {
    "typical (45-80% of the canvas, pen 10-24 px)": _TYPICAL,
    "small (15-30%)": {"scale": (0.15, 0.3), "stroke": (4.0, 10.0)},
    "large (80-95%)": {"scale": (0.8, 0.95), "stroke": (14.0, 30.0)},
    "thin pen (3-6 px)": {**_TYPICAL, "stroke": (3.0, 6.0)},
    "thick pen (26-36 px)": {**_TYPICAL, "stroke": (26.0, 36.0)},
    "small with a thick pen (15-35%, pen 14-30 px; the pad's is 20)": {
        "scale": (0.15, 0.35), "stroke": (14.0, 30.0), "pen_bands": (0, 30, 40, 50, np.inf),
    },
    "slanted (shear +-0.35)": {"scale": (0.4, 0.6), "stroke": (10.0, 24.0), "shear": 0.35},
    "rotated (+-20 degrees)": {
        "scale": (0.4, 0.6), "stroke": (10.0, 24.0), "rotate": 20.0, "angle_bands": (0, 5, 10, 15, 20),
    },
}
"""One set of drawings each: where the digits come from (`drawn_digits`'s ``scale`` and ``stroke``),
how they are then slanted or turned, and for two rows the bands the bench splits their accuracy into:
degrees turned either way, and the pen's width as a percentage of the digit's height."""


def _distort(images: np.ndarray, rng: np.random.Generator, shear: float = 0.0, rotate: float = 0.0):
    """Slant or rotate drawings about the centre of their ink, on white paper; also return each turn in degrees."""
    out = np.empty_like(images)
    angles = np.empty(len(images))
    size = images.shape[1]
    for i, image in enumerate(images):
        rows, cols = np.nonzero(image < 128)
        center = (float(cols.mean()), float(rows.mean())) if rows.size else (size / 2, size / 2)
        angles[i] = rng.uniform(-rotate, rotate)
        matrix = cv2.getRotationMatrix2D(center, angles[i], 1.0)
        slant = rng.uniform(-shear, shear)
        matrix[0, 1] += slant
        matrix[0, 2] -= slant * center[1]
        out[i] = cv2.warpAffine(image, matrix, (size, size), borderValue=255)
    return out, angles


def _recognized(recognizer: Recognizer, images, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Recognise one image at a time: whether each answer was right, and whether each was flagged
    (`Prediction.unsure`: not a digit, or below the unsure threshold)."""
    predictions = [recognizer(image) for image in images]
    right = np.array([prediction.digit for prediction in predictions]) == np.asarray(labels)
    return right, np.array([prediction.unsure for prediction in predictions])


def by_band(right: np.ndarray, values: np.ndarray, edges: tuple[float, ...], unit: str = "") -> str:
    """Accuracy of ``right`` split by ``values`` into the bands between ``edges``, as one line of text."""
    parts = []
    for low, high in zip(edges[:-1], edges[1:]):
        last = high == edges[-1]
        inside = (values >= low) & ((values <= high) if last else (values < high))
        if inside.any():
            band = f"{low:g}{unit} or more" if np.isinf(high) else f"{low:g}-{high:g}{unit}"
            parts.append(f"{band}: {right[inside].mean():.1%} (n={inside.sum()})")
    return "; ".join(parts)


def _latency(recognizer: Recognizer, image: np.ndarray, repeats: int) -> tuple[float, float]:
    """Median and 95th percentile milliseconds of one recognition."""
    for _ in range(20):
        recognizer(image)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        recognizer(image)
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times)), float(np.percentile(times, 95))


def run(model_path: str | os.PathLike | None = None, n: int = 1000, seed: int = 0,
        real_limit: int | None = None, mistakes: str | os.PathLike | None = None) -> list[tuple[str, str]]:
    """Run the benchmark; return (measure, value) rows.

    ``real_limit`` measures only the first that many pictures of each real set
    (for a quick run); ``mistakes`` saves a picture of the real sets' mistakes there.
    """
    path = Path(model_path) if model_path else SHIPPED_ONNX
    card = read_card(path)
    recognizer = Recognizer.from_file(path)
    rows: list[tuple[str, str]] = []

    results = real_sets.real_results(recognizer, limit=real_limit)
    rows += real_sets.rows(results)
    rows += real_sets.nondigit_rows(recognizer, limit=real_limit)
    if mistakes:
        figure = real_sets.mistakes_figure(results)
        figure.savefig(mistakes, dpi=72, bbox_inches="tight")

    (_, _), (x_test, y_test) = load_mnist()
    rng = np.random.default_rng(seed)

    def measure(name: str, images, labels) -> tuple[np.ndarray, np.ndarray]:
        """Recognise ``images`` one at a time, add the accuracy as a row; return what `_recognized` does."""
        right, flagged = _recognized(recognizer, images, labels)
        synthetic = name.split()[0].rstrip(":") in SYNTHETIC_KINDS
        rows.append((f"{SYNTHETIC}: {name}" if synthetic else name, f"{right.mean():.2%}"))
        return right, flagged

    mnist_accuracy = float((recognizer.predict_mnist(x_test / 255.0).argmax(axis=1) == y_test).mean())
    rows.append(("MNIST test set, 10,000 images, network alone on the raw images", f"{mnist_accuracy:.2%}"))
    through = np.stack([to_mnist(image) for image in x_test])
    through_accuracy = float((recognizer.predict_mnist(through).argmax(axis=1) == y_test).mean())
    rows.append(("MNIST test set, 10,000 images, through to_mnist as recognize does", f"{through_accuracy:.2%}"))
    pick = rng.choice(len(x_test), n, replace=False)
    measure(f"MNIST test digits enlarged onto a 280x280 canvas, n={n}, via recognize", [enlarged(x_test[i]) for i in pick], y_test[pick])

    drawn_flagged = []
    for name, variation in VARIATIONS.items():
        images, labels, pen_share = drawn_digits(
            x_test, y_test, n, seed=seed + 1, scale=variation["scale"], stroke=variation["stroke"],
            return_pen_share=True,
        )
        if "shear" in variation or "rotate" in variation:
            images, angles = _distort(images, rng, variation.get("shear", 0.0), variation.get("rotate", 0.0))
        right, flagged = measure(f"drawn: {name}, n={n}", images, labels)
        drawn_flagged.append(flagged)
        # Where in the row the errors are: how far the drawings were turned, how fat the pen was for the digit.
        short = name.split(" (")[0]
        if "angle_bands" in variation:
            rows.append((f"{SYNTHETIC}: drawn: {short}, by degrees turned either way (training turns most digits up to 15)",
                         by_band(right, np.abs(angles), variation["angle_bands"], unit=" deg")))
        if "pen_bands" in variation:
            rows.append((f"{SYNTHETIC}: drawn: {short}, by pen width as a share of the digit's height (training's pens reach 50%)",
                         by_band(right, 100 * pen_share, variation["pen_bands"], unit="%")))

    scans, scan_labels = scanned_digits(x_test, y_test, n, seed=seed + 5)
    measure(f"scanned: stored at 16x16 or 32x32 (grey or binarised), enlarged onto grey noisy paper, n={n}",
            scans, scan_labels)
    measure(f"scanned as above, each digit stretched to fill its square (as Semeion stores them), n={n}",
            *scanned_digits(x_test, y_test, n, seed=seed + 6, stretched=True))
    measure(f"scanned as in the first scan row, photographed under uneven light (falling to 25-60% across), n={n}",
            unevenly_lit(scans, seed=seed + 7), scan_labels)

    measure(f"sketched stroke by stroke from templates, n={n}", *sketched_digits(n, seed=seed + 2))
    images, labels = sketched_digits(max(40, n // 5), seed=seed + 3, continental=True)
    measure(f"sketched in continental styles (slashed 0, long-flag 1, open 4, crossed 7; not the training generator), n={len(labels)}", images, labels)

    for name, digit, style in (("crossed 7s", 7, cross_seven), ("flagged 1s", 1, flag_one), ("slashed 0s", 0, slash_zero)):
        chosen = np.flatnonzero(y_test == digit)[: max(10, n // 5)]
        images = [enlarged(np.round(style(x_test[i], rng) * 255).astype(np.uint8)) for i in chosen]
        measure(f"styled: {name} (made from MNIST test digits, style as in training), n={len(chosen)}", images, y_test[chosen])

    scrawls = scribbles(max(50, n // 5), seed=seed + 4)
    scrawl_predictions = [recognizer(image) for image in scrawls]
    rows.append((f"{SYNTHETIC}: scribbles flagged (not a digit, or probability < {UNSURE_BELOW:.0%}), n={len(scrawls)}",
                 f"{np.mean([p.unsure for p in scrawl_predictions]):.0%} "
                 f"(not a digit: {np.mean([not p.is_digit for p in scrawl_predictions]):.0%})"))
    rows.append((f"{SYNTHETIC}: drawn digits flagged (all drawn rows above)", f"{np.mean(np.concatenate(drawn_flagged)):.1%}"))

    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[:, :, 3] = 255 - enlarged(x_test[0])
    median, p95 = _latency(recognizer, canvas, repeats=max(200, n))
    rows.append(("recognize one 280x280 RGBA canvas: median", f"{median:.2f} ms"))
    rows.append(("recognize one 280x280 RGBA canvas: 95th percentile", f"{p95:.2f} ms"))
    median, p95 = _latency(recognizer, enlarged(x_test[0]), repeats=max(200, n))
    rows.append(("recognize one 280x280 grey picture (dark ink on white, no transparency): median / 95th percentile",
                 f"{median:.2f} / {p95:.2f} ms"))

    rows.append((f"model file size ({path.name})", f"{path.stat().st_size / 1e6:.1f} MB"))
    rows.append(("parameters", f"{card.get('parameters', 0):,}"))
    rows.append(("training time (from the model card)", f"{card.get('training_seconds', 0) / 60:.1f} min, {card.get('trained_on', '?')}"))
    rows.append(("temperature (probability calibration)", f"{card.get('temperature', 1.0)}"))
    return rows


SYNTHETIC_KINDS = ("drawn", "scanned", "sketched", "styled")
"""Row names whose first word is one of these are drawn by the project's generators."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python benchmarks/bench.py", description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="a .onnx or .keras model (default: the shipped digits_cnn.onnx)")
    parser.add_argument("--n", type=int, default=1000, help="drawings per row (default 1000)")
    parser.add_argument("--seed", type=int, default=0,
                        help="which drawings: other seeds pick other digits, pens and places (default 0)")
    parser.add_argument("--real-limit", type=int, help="only the first N pictures of each real set (a quick run)")
    parser.add_argument("--write", help="also write the table, with the machine, into this Markdown file, "
                        "and the picture of the real sets' mistakes beside it")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    mistakes = Path(args.write).parent / MISTAKES if args.write else None
    rows = run(args.model, args.n, args.seed, real_limit=args.real_limit, mistakes=mistakes)
    text = (
        f"Measured {datetime.date.today().isoformat()} on {machine()}, "
        f"model `{Path(args.model or SHIPPED_ONNX).name}`, synthetic drawings of seed {args.seed}; "
        f"the run took {time.perf_counter() - started:.0f} s.\n\n"
        + table(rows)
    )
    print(text)
    if args.write:
        write_section(Path(args.write), text, BEGIN, END)


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
"""The markers around the table in the Markdown file."""

MISTAKES = "benchmarks/real_mistakes.png"
"""Where ``--write`` saves the picture of the real sets' mistakes, beside the Markdown file."""

if __name__ == "__main__":
    main()
