"""Reading whole numbers: `digits.recognize_number` on numbers composed from real people's pen strokes.

    python benchmarks/whole_numbers.py                         # the table, printed
    python benchmarks/whole_numbers.py --write benchmarks/NUMBERS.md
    python benchmarks/whole_numbers.py --per-row 50            # a quick look
    python benchmarks/whole_numbers.py --priors                # digits.numbers' priors, from pendigits training
    python benchmarks/whole_numbers.py --fit 60                # FIT_GRID on pendigits training numbers

Each number has 2-6 digits, each digit a real writer's strokes from one dev set
(``../shared/data/handwriting/*_strokes.json``: pendigits, uji2, chars74k; for
measuring only), scaled to a line height with some variation, placed left to
right with a gap from one spacing band (overlapping to wide), on a wandering
baseline, and drawn with one random pen per number by `digits.strokes.render_strokes`.
Nothing is fitted to these digits. `compose_number` is also what the tests use.

Reported per source and spacing band: exact-string accuracy, per-digit accuracy
(digit i of the reading against digit i of the truth, where the lengths agree;
a reading of the wrong length counts all its digits wrong), and, to tell the
splitting from the network, how often every digit is read right when each is
drawn alone in its own picture (`recognize`). Then the median time of
`recognize_number` on 4-digit numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402

from benchmarks.markdown import machine, write_section  # noqa: E402
from benchmarks.real_sets import HANDWRITING  # noqa: E402
from digits.strokes import fit_strokes, render_strokes  # noqa: E402

STROKE_SETS = {
    "pendigits": "pendigits_dev_strokes.json",
    "uji2": "uji2_dev_strokes.json",
    "chars74k": "chars74k_dev_strokes.json",
}
"""The real pen sets, by source: 14 writers from Istanbul, 60 from Spain, 55 from India."""

SPACINGS = {
    "overlapping": (-0.08, 0.0),
    "cramped": (0.0, 0.08),
    "normal": (0.08, 0.3),
    "wide": (0.3, 0.8),
}
"""Gap between neighbouring digits' ink, in line heights (negative: their columns overlap)."""

CANVAS_HEIGHT = 280
"""Height of a composed picture, as the number pad's canvas."""
LINE_HEIGHT = (110.0, 180.0)
"""A number's line height, pixels; each digit's height varies around it by `DIGIT_SIZE`."""
DIGIT_SIZE = (0.85, 1.1)
BASELINE_WANDER = 0.12
"""The baseline rises and falls by up to this many line heights across the number, plus a little jitter."""
PEN_WIDTH = (8.0, 20.0)
"""One pen per number, this many pixels wide."""
MARGIN = 24
"""Paper left and right of the ink, pixels."""


@dataclass(frozen=True)
class ComposedNumber:
    """A number drawn from real strokes: the picture, its strokes, the truth and each digit's box."""

    image: np.ndarray
    """(280, W) uint8, dark ink on light paper."""
    strokes: list[np.ndarray]
    """Every stroke, left digit first, in the picture's pixels."""
    text: str
    digit_strokes: list[list[np.ndarray]]
    """Each digit's strokes, as placed."""
    pen: float


def load_strokes(name: str, folder: Path = HANDWRITING) -> tuple[list[list[np.ndarray]], np.ndarray]:
    """A ``*_strokes.json`` file as (strokes of each digit, labels). Raises FileNotFoundError when absent."""
    path = Path(folder) / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: set DIGITS_HANDWRITING to the folder of the real sets")
    stored = json.loads(path.read_text())
    samples = stored["samples"] if isinstance(stored, dict) else stored  # the README's layout, or a bare list
    strokes = [[np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in sample["strokes"] if len(s)]
               for sample in samples]
    return strokes, np.array([sample["label"] for sample in samples], np.int64)


def compose_number(digit_strokes: list, text: str, rng: np.random.Generator,
                   spacing: tuple[float, float] = SPACINGS["normal"], pen: float | None = None,
                   line_height: float | None = None, wander: float = BASELINE_WANDER,
                   digit_size: tuple[float, float] = DIGIT_SIZE) -> ComposedNumber:
    """Write ``text`` with the given digits' strokes (one stroke list per character), left to right.

    ``spacing``: the range the gap between neighbouring digits' ink is drawn from,
    in line heights. ``pen``, ``line_height``: fixed values instead of random ones. ``wander``: how far
    the baseline rises and falls, at most, in line heights. ``digit_size``: the range of each digit's
    height, in line heights.
    """
    line = line_height or rng.uniform(*LINE_HEIGHT)
    pen = pen or rng.uniform(*PEN_WIDTH)
    phase, period = rng.uniform(0, 2 * np.pi), rng.uniform(2.0, 5.0) * line
    amplitude = rng.uniform(0, wander) * line
    placed, cursor = [], MARGIN + pen / 2
    for strokes in digit_strokes:
        height = line * rng.uniform(*digit_size)
        fitted = fit_strokes(strokes, height, (0.0, 0.0))
        points = np.vstack(fitted)
        left, right = points[:, 0].min(), points[:, 0].max()
        x = cursor - left
        middle = x + (left + right) / 2
        y = CANVAS_HEIGHT / 2 + amplitude * np.sin(phase + 2 * np.pi * middle / period) + rng.normal(0, 0.03) * line
        y = float(np.clip(y, height / 2 + pen, CANVAS_HEIGHT - height / 2 - pen))
        placed.append([stroke + (x, y) for stroke in fitted])
        cursor = x + right + pen + rng.uniform(*spacing) * line
    width = int(np.ceil(max(np.vstack(d)[:, 0].max() for d in placed) + pen / 2 + MARGIN))
    strokes = [stroke for digit in placed for stroke in digit]
    image = render_strokes(strokes, (CANVAS_HEIGHT, width), pen)
    return ComposedNumber(image, strokes, text, placed, pen)


def random_numbers(strokes: list, labels: np.ndarray, count: int, rng: np.random.Generator,
                   spacing: tuple[float, float], lengths: tuple[int, int] = (2, 6)) -> list[ComposedNumber]:
    """``count`` numbers of ``lengths`` digits (inclusive), each digit a random sample of the set."""
    numbers = []
    for _ in range(count):
        picks = rng.integers(0, len(labels), rng.integers(lengths[0], lengths[1] + 1))
        text = "".join(str(labels[i]) for i in picks)
        numbers.append(compose_number([strokes[i] for i in picks], text, rng, spacing))
    return numbers


@dataclass
class Tally:
    numbers: int = 0
    exact: int = 0
    digits: int = 0
    digits_right: int = 0
    alone_all_right: int = 0

    def add(self, truth: str, read: str, alone: str) -> None:
        self.numbers += 1
        self.exact += truth == read
        self.digits += len(truth)
        if len(read) == len(truth):
            self.digits_right += sum(a == b for a, b in zip(truth, read))
        self.alone_all_right += alone == truth


def measure(numbers: list[ComposedNumber], use_strokes: bool) -> Tally:
    from digits import recognize, recognize_number

    tally = Tally()
    for number in numbers:
        reading = recognize_number(number.image, number.strokes if use_strokes else None).text
        alone = "".join(str(recognize(render_strokes(d, (CANVAS_HEIGHT, number.image.shape[1]), number.pen)).digit)
                        for d in number.digit_strokes)
        tally.add(number.text, reading, alone)
    return tally


def median_latency_ms(numbers: list[ComposedNumber], use_strokes: bool, repeats: int = 3) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of one `recognize_number` call (CPU: this process, all threads)."""
    from digits import recognize_number

    recognize_number(numbers[0].image)  # load the network first
    wall, cpu = [], []
    for number in numbers:
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            recognize_number(number.image, number.strokes if use_strokes else None)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    return 1000 * float(np.median(wall)), 1000 * float(np.median(cpu))


def run(per_row: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    lines = ["| source | spacing | numbers | digits | exact string | per digit | exact, with strokes | "
             "per digit, with strokes | every digit right when alone |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    totals = {False: Tally(), True: Tally()}
    for source, file in STROKE_SETS.items():
        strokes, labels = load_strokes(file)
        for band, spacing in SPACINGS.items():
            numbers = random_numbers(strokes, labels, per_row, rng, spacing)
            ink, pad = measure(numbers, False), measure(numbers, True)
            for key, tally in ((False, ink), (True, pad)):
                for name in vars(tally):
                    setattr(totals[key], name, getattr(totals[key], name) + getattr(tally, name))
            lines.append(_row(source, band, ink, pad))
            print(lines[-1], flush=True)
    lines.append(_row("**all**", "all", totals[False], totals[True]))
    strokes, labels = load_strokes(STROKE_SETS["pendigits"])
    timed = random_numbers(strokes, labels, 60, rng, SPACINGS["normal"], lengths=(4, 4))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    (picture_ms, picture_cpu), (pad_ms, pad_cpu) = median_latency_ms(timed, False), median_latency_ms(timed, True)
    return "\n".join(lines) + (
        f"\n\n`recognize_number` on 4-digit numbers (280 px high, pendigits strokes, normal spacing), median of "
        f"{3 * len(timed)} calls: **{picture_ms:.1f} ms** from the picture alone ({picture_cpu:.1f} ms of CPU), "
        f"**{pad_ms:.1f} ms** with its strokes ({pad_cpu:.1f} ms of CPU); load average {load:.1f} on the "
        f"machine when timed.")


def priors(seed: int = 5) -> str:
    """The priors of `digits.numbers`, measured on the pendigits TRAINING writers' digits, each drawn alone.

    Every digit is drawn as `compose_number` draws a one-digit number (no baseline wander); reported are
    each digit's mean and standard deviation of log(width / height) of its ink (`WIDTH_PRIOR`), the 99th
    percentile of width / height (`MAX_WIDTH`), and how many digits are more than one cluster
    (`digits.segment.Atoms.cluster`: ink with paper between its pieces; `JOIN_COST`).
    """
    from digits.pendigits import load_pendigits
    from digits.preprocess import ink_map
    from digits.segment import split_into_atoms

    train = load_pendigits("train")
    rng = np.random.default_rng(seed)
    ratios, labels, clustered = [], np.asarray(train.labels, np.int64), 0
    for strokes, label in zip(train.strokes, labels):
        number = compose_number([strokes], str(label), rng, wander=0.0)
        ink = number.image < 191
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        ratios.append((cols[-1] - cols[0] + 1) / (rows[-1] - rows[0] + 1))
        clustered += len(set(split_into_atoms(ink_map(number.image)).cluster.tolist())) > 1
    logs = np.log(np.array(ratios))
    prior = ", ".join(f"({logs[labels == d].mean():.3f}, {logs[labels == d].std():.3f})" for d in range(10))
    return (f"WIDTH_PRIOR = ({prior})\n"
            f"width / height, 99th percentile: {np.percentile(ratios, 99):.2f}\n"
            f"digits of more than one cluster: {clustered} of {len(labels)}")


FIT_GRID = {"numbers.NOT_A_DIGIT_COST": (0.0, 2.0, 4.0, 6.0)}
"""The values `fit` tries for parameters of `digits.numbers` and `digits.segment` ("module.NAME": values), every
combination; ``"segment.CUT_INK": (2.5, 3.5)`` and ``"segment.CUT_LEAN": (0.15, 0.25)`` were tried too."""


class _CachedRecognizer:
    """The shipped recognizer, remembering what it read: `fit` reads the same cut-outs under every setting."""

    def __init__(self):
        from digits.recognize import shipped_recognizer

        self.recognizer, self.seen = shipped_recognizer(), {}

    def predict_mnist(self, images: np.ndarray) -> np.ndarray:
        return self.judge_mnist(images)[0]

    def judge_mnist(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keys = [image.tobytes() for image in np.asarray(images, np.float32)]
        new = [i for i, key in enumerate(keys) if key not in self.seen]
        if new:
            found, is_digit = self.recognizer.judge_mnist(np.asarray(images)[new])
            for i, row, verdict in zip(new, found, is_digit):
                self.seen[keys[i]] = row, verdict
        return (np.stack([self.seen[key][0] for key in keys]), np.array([self.seen[key][1] for key in keys]))


def fit(per_band: int, seed: int = 11) -> str:
    """Exact-string shares on numbers composed from the pendigits TRAINING writers, for every setting of
    `FIT_GRID`, from the picture alone and with strokes: what the parameters there are chosen by."""
    import itertools

    from digits import numbers, recognize_number, segment
    from digits.pendigits import load_pendigits

    train = load_pendigits("train")
    strokes, labels = list(train.strokes), np.asarray(train.labels, np.int64)
    rng = np.random.default_rng(seed)
    composed = [number for spacing in SPACINGS.values()
                for number in random_numbers(strokes, labels, per_band, rng, spacing)]
    cached = _CachedRecognizer()
    modules = {"numbers": numbers, "segment": segment}
    names = [name.split(".") for name in FIT_GRID]
    saved = [getattr(modules[module], name) for module, name in names]
    lines = ["| " + " | ".join(FIT_GRID) + " | exact, picture | exact, strokes |", "| --- " * (len(FIT_GRID) + 2) + "|"]
    try:
        for values in itertools.product(*FIT_GRID.values()):
            for (module, name), value in zip(names, values):
                setattr(modules[module], name, value)
            right = [sum(recognize_number(n.image, n.strokes if pen else None, recognizer=cached).text == n.text
                         for n in composed) for pen in (False, True)]
            lines.append("| " + " | ".join(map(str, values)) +
                         f" | {right[0] / len(composed):.1%} | {right[1] / len(composed):.1%} |")
            print(lines[-1], flush=True)
    finally:
        for (module, name), value in zip(names, saved):
            setattr(modules[module], name, value)
    header = f"{len(composed)} numbers of the pendigits training writers, {per_band} per spacing band:"
    return header + "\n" + "\n".join(lines)


_BEGIN, _END = "<!-- numbers:begin -->", "<!-- numbers:end -->"


def _row(source: str, band: str, ink: Tally, pad: Tally) -> str:
    def share(part: int, whole: int) -> str:
        return f"{part / whole:.1%}" if whole else "-"

    return (f"| {source} | {band} | {ink.numbers} | {ink.digits} | {share(ink.exact, ink.numbers)} | "
            f"{share(ink.digits_right, ink.digits)} | {share(pad.exact, pad.numbers)} | "
            f"{share(pad.digits_right, pad.digits)} | {share(ink.alone_all_right, ink.numbers)} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-row", type=int, default=300, help="numbers per source and spacing band")
    parser.add_argument("--write", help="a Markdown file to write the table into (between markers)")
    parser.add_argument("--priors", action="store_true",
                        help="print the priors of digits.numbers, measured on the pendigits training writers")
    parser.add_argument("--fit", type=int, metavar="N",
                        help="try the parameters of FIT_GRID on N numbers per spacing band of the pendigits "
                             "training writers")
    args = parser.parse_args(argv)
    if args.fit:
        print(fit(args.fit))
        return
    if args.priors:
        print(priors())
        return
    started = time.time()
    text = run(args.per_row)
    header = (f"Measured on {machine()}, {time.strftime('%Y-%m-%d')}, in {time.time() - started:.0f} s; "
              f"{args.per_row} numbers per row, seed 0.")
    text = header + "\n\n" + text
    print(text)
    if args.write:
        write_section(Path(args.write), text, _BEGIN, _END)


if __name__ == "__main__":
    main()
