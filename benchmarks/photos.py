"""Photos of real handwriting on school paper, read back: `digits.photos.ink_from_photo`, then `digits.recognize`.

    nice -n 10 python benchmarks/photos.py                   # 30 digits a row; writes benchmarks/PHOTOS.md
    python benchmarks/photos.py --n 20 --write /tmp/PHOTOS.md
    python benchmarks/photos.py --numbers 30 --numbers-only  # the whole-number rows alone, into PHOTOS.md

No photos of real homework are at hand, so the project makes them: real digits (the scanned dev sets cvl and
ardis, and the pen dev sets pendigits and uji2 drawn from their strokes) are composited as ink onto generated
paper by `make_photo` - squared or ruled, blue or black ink, light falling unevenly, turned slightly,
camera blur and noise, JPEG-compressed - and the photo's bytes go through `ink_from_photo` and `recognize`.
Whole numbers (pen digits composed as `benchmarks/whole_numbers.py` composes them, scanned digits laid side by
side by `scanned_number`) go the same way through `ink_from_photo` and `recognize_number`.
The dev sets are for measuring only: nothing is trained or tuned on them.
`make_photo` is the photo maker the tests (and later the number benchmarks) reuse.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.markdown import machine, write_section  # noqa: E402
from benchmarks.real_sets import HANDWRITING, load_real_set  # noqa: E402
from digits.photos import ink_from_photo  # noqa: E402
from digits.recognize import recognize  # noqa: E402
from digits.strokes import render_strokes  # noqa: E402

PAPERS = ("squared", "ruled", "plain")
"""The paper `make_photo` prints: 5 mm squares, ruled lines 8 mm apart, or nothing."""
INKS = {"blue": (28, 48, 150), "black": (32, 32, 38)}
"""RGB of a ballpoint's full ink."""
PHOTO_SIZE = (960, 1280)
"""(height, width) of a made photo, unless asked for another (``(3000, 4000)`` is 12 megapixels)."""
TWELVE_MEGAPIXELS = (3000, 4000)
"""(height, width) of a 12-megapixel phone photo."""
_LINE_COLOURS = ((150, 185, 225), (165, 200, 230), (175, 180, 190))
"""RGB of printed lines at full strength: light blues and a grey."""


def make_photo(
    ink_picture: np.ndarray,
    paper: str = "squared",
    ink: str = "blue",
    rng: np.random.Generator | None = None,
    size: tuple[int, int] = PHOTO_SIZE,
    turn: float | None = None,
    jpeg: bool = True,
) -> bytes | np.ndarray:
    """A phone photo of ``ink_picture`` written on school paper.

    Parameters
    ----------
    ink_picture
        (h, w) uint8, dark ink (0) on white (255), e.g. a 280x280 dev-set picture or a 280 px high number;
        its darkness is the ink. It is laid on the photo 30-45% of the photo's height high, keeping its
        aspect, and smaller where that would be wider than nine tenths of the photo.
    paper
        One of `PAPERS`. Squares are a fifth, ruled lines a third, of the ink picture's height apart, so
        the writing spans two to five squares as on a notebook page; lines 1-3 px thick at 1280 px wide.
    ink
        A key of `INKS`.
    rng
        The randomness: the line colour and spacing, where the writing sits, the light (a gradient from
        one side plus a vignette, the darkest paper at 45-75% of the brightest), the camera's blur and noise,
        the JPEG quality (70-92).
    size
        (height, width) of the photo in pixels; everything is drawn in proportion to it.
    turn
        Degrees the paper is turned in the photo; by default a random -10 to 10.
    jpeg
        Return the JPEG file's bytes (as an upload gives them); ``False`` returns the (H, W, 3) uint8 RGB photo.
    """
    if paper not in PAPERS or ink not in INKS:
        raise ValueError(f"paper must be one of {PAPERS} and ink one of {tuple(INKS)}, got {paper!r}, {ink!r}")
    rng = np.random.default_rng() if rng is None else rng
    height, width = size
    unit = width / 1280  # photo pixels per pixel of a 1280-wide photo
    turn = float(rng.uniform(-10, 10)) if turn is None else float(turn)
    # Draw on a larger sheet, turn it, and cut the photo from its middle, so no corner is left empty.
    margin = int(0.12 * max(height, width))
    sheet_h, sheet_w = height + 2 * margin, width + 2 * margin
    written = float(rng.uniform(0.30, 0.45)) * height  # height of the ink picture on the photo
    # A wide picture (a number) keeps its aspect and is shrunk to fit nine tenths of the photo's width.
    written_wide = min(written * ink_picture.shape[1] / ink_picture.shape[0], 0.9 * width)
    written = written_wide * ink_picture.shape[0] / ink_picture.shape[1]
    absorption = np.zeros((sheet_h, sheet_w, 3), np.float32)
    line = 1.0 - np.float32(_LINE_COLOURS[rng.integers(len(_LINE_COLOURS))]) / 255
    step = written / (5 if paper == "squared" else 3)
    lines = np.zeros((sheet_h, sheet_w), np.float32)
    thickness = max(1, int(round(rng.uniform(1.0, 3.0) * unit)))
    offset = rng.uniform(0, step)
    if paper != "plain":
        for y in np.arange(offset, sheet_h, step):
            cv2.line(lines, (0, int(y * 16)), (sheet_w * 16, int(y * 16)), 1.0, thickness, cv2.LINE_AA, 4)
    if paper == "squared":
        for x in np.arange(offset, sheet_w, step):
            cv2.line(lines, (int(x * 16), 0), (int(x * 16), sheet_h * 16), 1.0, thickness, cv2.LINE_AA, 4)
    absorption += np.minimum(lines, 1.0)[:, :, None] * line
    side, side_wide = max(1, int(round(written))), max(1, int(round(written_wide)))
    darkness = 1.0 - cv2.resize(ink_picture, (side_wide, side), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    top = margin + int(rng.uniform(0.1, 0.9) * (height - side))
    left = margin + int(rng.uniform(0.1, 0.9) * (width - side_wide))
    full_ink = 1.0 - np.float32(INKS[ink]) / 255 * np.float32(rng.uniform(0.9, 1.1))
    window = absorption[top: top + side, left: left + side_wide]
    window[:] = 1.0 - (1.0 - window) * (1.0 - darkness[:, :, None] * full_ink)  # ink over the lines
    paper_colour = np.float32(rng.uniform(0.93, 0.99, 3))
    sheet = paper_colour * (1.0 - absorption)
    turn_matrix = cv2.getRotationMatrix2D((sheet_w / 2, sheet_h / 2), turn, 1.0)
    sheet = cv2.warpAffine(sheet, turn_matrix, (sheet_w, sheet_h), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REFLECT)
    photo = sheet[margin: margin + height, margin: margin + width]
    photo = photo * _light(height, width, rng)[:, :, None]
    photo = cv2.GaussianBlur(photo, (0, 0), rng.uniform(0.5, 1.0) * unit)
    photo += rng.normal(0, rng.uniform(0.005, 0.015), photo.shape).astype(np.float32)
    rgb = np.clip(photo * 255 + 0.5, 0, 255).astype(np.uint8)
    if not jpeg:
        return rgb
    quality = int(rng.integers(70, 93))
    ok, encoded = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok, "OpenCV could not encode a JPEG"
    return encoded.tobytes()


def _light(height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """(height, width) float32 brightness: a gradient from a random side times a vignette, peak 1."""
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float32)
    direction = rng.uniform(0, 2 * np.pi)
    along = (np.cos(direction) * (cols / width - 0.5) + np.sin(direction) * (rows / height - 0.5))
    darkest = rng.uniform(0.45, 0.75)
    gradient = 1.0 - (1.0 - darkest) * 0.8 * (along - along.min()) / max(float(np.ptp(along)), 1e-6)
    radius = ((cols / width - 0.5) ** 2 + (rows / height - 0.5) ** 2) / 0.5
    vignette = 1.0 - (1.0 - darkest) * 0.2 * radius
    light = gradient * vignette
    return light / light.max()


def pen_pictures(name: str, limit: int, folder: Path = HANDWRITING) -> tuple[list[np.ndarray], np.ndarray]:
    """``limit`` digits of ``<name>_strokes.json``, spread over the set, drawn (280x280 uint8), and labels."""
    with open(Path(folder) / f"{name}_strokes.json", encoding="utf-8") as file:
        stored = json.load(file)
    stored = stored["samples"] if isinstance(stored, dict) else stored  # {"canvas", "samples"} or the list alone
    samples = [stored[index] for index in np.linspace(0, len(stored) - 1, limit).astype(int)]
    pictures = [render_strokes(sample["strokes"], 280, sample["pen_width"]) for sample in samples]
    return pictures, np.array([sample["label"] for sample in samples])


def scanned_pictures(name: str, limit: int, folder: Path = HANDWRITING) -> tuple[list[np.ndarray], np.ndarray]:
    """``limit`` digits of the scanned dev set ``name``, spread over the whole set (280x280 uint8), and labels."""
    real = load_real_set(name, folder)
    picks = np.linspace(0, len(real.labels) - 1, limit).astype(int)
    return [real.images[index] for index in picks], real.labels[picks]


SOURCES = {
    "cvl_dev": (scanned_pictures, "CVL, scanned forms, 303 writers (Austria)"),
    "ardis_dev": (scanned_pictures, "ARDIS IV, scanned Swedish church records"),
    "pendigits_dev": (pen_pictures, "pendigits test writers, tablet pen strokes (Istanbul)"),
    "uji2_dev": (pen_pictures, "UJI Pen Characters v2, pen strokes (Spain)"),
}
"""The real digits the photos are made of, how to read them, and where they come from."""


def scanned_number(pictures: list[np.ndarray], rng: np.random.Generator,
                   spacing: tuple[float, float] = (0.08, 0.3)) -> np.ndarray:
    """Scanned digits (280x280 uint8, dark on white) laid side by side as a number, as `compose_number` lays
    pen digits: a line height of 110-180 px on a 280 px high picture, each digit 0.85-1.1 of it, gaps drawn
    from ``spacing`` (line heights), a baseline that wanders by up to 0.12 line heights. (280, W) uint8."""
    from benchmarks.whole_numbers import BASELINE_WANDER, CANVAS_HEIGHT, DIGIT_SIZE, LINE_HEIGHT, MARGIN

    line = rng.uniform(*LINE_HEIGHT)
    phase, period = rng.uniform(0, 2 * np.pi), rng.uniform(2.0, 5.0) * line
    amplitude = rng.uniform(0, BASELINE_WANDER) * line
    placed, cursor = [], float(MARGIN)
    for picture in pictures:
        rows, cols = np.flatnonzero((picture < 160).any(axis=1)), np.flatnonzero((picture < 160).any(axis=0))
        digit = picture[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1]
        height = line * rng.uniform(*DIGIT_SIZE)
        width = max(1, int(round(digit.shape[1] * height / digit.shape[0])))
        digit = cv2.resize(digit, (width, max(1, int(round(height)))), interpolation=cv2.INTER_AREA)
        middle = cursor + width / 2
        y = CANVAS_HEIGHT / 2 + amplitude * np.sin(phase + 2 * np.pi * middle / period) + rng.normal(0, 0.03) * line
        top = int(np.clip(round(y - digit.shape[0] / 2), 0, CANVAS_HEIGHT - digit.shape[0]))
        placed.append((digit, top, int(round(cursor))))
        cursor += width + rng.uniform(*spacing) * line
    canvas = np.full((CANVAS_HEIGHT, int(np.ceil(cursor)) + MARGIN), 255, np.uint8)
    for digit, top, left in placed:
        window = canvas[top: top + digit.shape[0], left: left + digit.shape[1]]
        np.minimum(window, digit[: window.shape[0], : window.shape[1]], out=window)
    return canvas


NUMBER_SOURCES = {
    "pendigits_dev": "pendigits test writers' strokes, composed as `benchmarks/whole_numbers.py` composes numbers",
    "uji2_dev": "UJI Pen Characters v2 strokes, composed as `benchmarks/whole_numbers.py` composes numbers",
    "cvl_dev": "CVL scanned digits laid side by side (`scanned_number`)",
    "ardis_dev": "ARDIS IV scanned digits laid side by side (`scanned_number`)",
}
"""Where the numbers on the photos come from."""


def number_pictures(source: str, n: int, rng: np.random.Generator) -> list[tuple[np.ndarray, str, str]]:
    """``n`` numbers of 2-6 digits of ``source`` (a key of `NUMBER_SOURCES`), normal spacing: (picture, text,
    what `recognize` reads in each digit alone, in its own picture)."""
    from benchmarks.whole_numbers import SPACINGS, STROKE_SETS, load_strokes, random_numbers

    if source.removesuffix("_dev") in STROKE_SETS:
        strokes, labels = load_strokes(STROKE_SETS[source.removesuffix("_dev")])
        return [(number.image, number.text,
                 "".join(str(recognize(render_strokes(digit, number.image.shape, number.pen)).digit)
                         for digit in number.digit_strokes))
                for number in random_numbers(strokes, labels, n, rng, SPACINGS["normal"])]
    real = load_real_set(source)
    numbers = []
    for _ in range(n):
        picks = rng.integers(0, len(real.labels), rng.integers(2, 7))
        numbers.append((scanned_number([real.images[i] for i in picks], rng),
                        "".join(str(real.labels[i]) for i in picks),
                        "".join(str(recognize(real.images[i]).digit) for i in picks)))
    return numbers


def number_rows(n: int, seed: int) -> list[dict]:
    """Exact-string accuracy of ``ink_from_photo`` + ``recognize_number`` on ``n`` numbers of each source per
    paper (blue and black ink taking turns), and of ``recognize_number`` on the same pictures without a photo."""
    from digits import recognize_number

    rows = []
    for source in NUMBER_SOURCES:
        for paper in ("squared", "ruled"):
            rng = np.random.default_rng([seed, 100 + len(rows)])
            right = plain_right = not_found = digits = alone_right = 0
            for index, (picture, text, alone) in enumerate(number_pictures(source, n, rng)):
                digits += len(text)
                alone_right += alone == text
                plain_right += recognize_number(picture).text == text
                photo = make_photo(picture, paper, tuple(INKS)[index % 2], rng)
                try:
                    right += recognize_number(ink_from_photo(photo).image).text == text
                except ValueError:  # nothing found (EmptyImageError is one): a miss
                    not_found += 1
            rows.append({"source": source, "paper": paper, "n": n, "digits": digits, "right": int(right),
                         "plain_right": int(plain_right), "alone_right": int(alone_right), "not_found": not_found})
    return rows


def accuracy_rows(n: int, seed: int) -> list[dict]:
    """Accuracy of ``ink_from_photo`` + ``recognize`` on ``n`` digits of each source, per paper and ink."""
    rows = []
    for source, (read, _) in SOURCES.items():
        pictures, labels = read(source, n)
        for paper in ("squared", "ruled"):
            for ink in INKS:
                rng = np.random.default_rng([seed, len(rows)])
                right = errors = 0
                for picture, label in zip(pictures, labels):
                    try:
                        right += recognize(ink_from_photo(make_photo(picture, paper, ink, rng)).image).digit == label
                    except ValueError:  # nothing found: a miss
                        errors += 1
                rows.append({"source": source, "paper": paper, "ink": ink, "n": len(labels),
                             "right": int(right), "not_found": errors})
    return rows


def plain_rows(n: int, seed: int) -> list[dict]:
    """For comparison: the same digits recognised straight from their 280x280 pictures (no photo)."""
    rows = []
    for source, (read, _) in SOURCES.items():
        pictures, labels = read(source, n)
        right = sum(recognize(picture).digit == label for picture, label in zip(pictures, labels))
        rows.append({"source": source, "n": len(labels), "right": int(right)})
    return rows


def twelve_megapixel_times(repeats: int, seed: int) -> tuple[list[float], list[float]]:
    """Seconds ``ink_from_photo`` takes on the JPEG bytes of 12-megapixel photos on squared paper: wall, CPU.

    The CPU time (all of the process's threads) is what a photo costs on an idle machine; the wall-clock time
    also holds the waiting on a shared one.
    """
    rng = np.random.default_rng(seed)
    pictures, _ = pen_pictures("uji2_dev", repeats)
    ink_from_photo(make_photo(pictures[0], "squared", "blue", rng, size=(600, 800)))  # warm up
    wall, cpu = [], []
    for picture in pictures:
        photo = make_photo(picture, "squared", "blue", rng, size=TWELVE_MEGAPIXELS)
        start, start_cpu = time.perf_counter(), time.process_time()
        ink_from_photo(photo)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def number_report(rows: list[dict]) -> list[str]:
    """The Markdown lines of the whole-number rows."""
    lines = [
        "## Photos of whole numbers",
        "",
        "Numbers of 2-6 digits, normal spacing (0.08-0.3 line heights between digits), a wandering baseline, "
        "made of *real digits composited by the project onto generated paper*: the pen dev sets' strokes drawn as "
        "`benchmarks/whole_numbers.py` composes numbers, and the scanned dev sets' digits cut to their ink and laid "
        "side by side the same way (`scanned_number`). Each 280 px high picture goes onto a photo by `make_photo` "
        "as above (blue and black ink taking turns), and the JPEG bytes through `digits.photos.ink_from_photo` and "
        "`digits.recognize_number`. *Exact string*: the reading is the number. *Without a photo*: the same pictures "
        "read straight by `recognize_number`. *Every digit right alone*: each digit's own picture (a scanned digit's "
        "280x280 dev-set picture, a pen digit drawn alone) read by `digits.recognize`: the ceiling the network sets.",
        "",
        "| source | where its numbers come from | paper | numbers | digits | exact string | nothing found "
        "| exact string without a photo | every digit right alone |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(f"| {row['source']} | {NUMBER_SOURCES[row['source']]} | {row['paper']} | {row['n']} | "
                     f"{row['digits']} | {row['right'] / row['n']:.1%} | {row['not_found']} | "
                     f"{row['plain_right'] / row['n']:.1%} | {row['alone_right'] / row['n']:.1%} |")
    lines.append("")
    for paper in ("squared", "ruled"):
        chosen = [row for row in rows if row["paper"] == paper]
        total = sum(row["n"] for row in chosen)
        lines.append(f"- {paper} paper: {sum(row['right'] for row in chosen) / total:.1%} of {total} numbers exact "
                     f"({sum(row['plain_right'] for row in chosen) / total:.1%} without a photo; every digit right "
                     f"alone {sum(row['alone_right'] for row in chosen) / total:.1%})")
    return lines + [""]


def report(rows: list[dict], plain: list[dict], times: tuple[list[float], list[float]], n: int, seed: int,
           numbers: list[dict] | None = None, numbers_n: int = 0) -> str:
    """The Markdown page of the results."""
    lines = [
        "# Photos of handwriting on school paper",
        "",
        "Written by `python benchmarks/photos.py` "
        f"(`--n {n} --numbers {numbers_n} --seed {seed}`) on {machine()}.",
        "",
        "**Where the data comes from.** These are not photos of real homework: they are *real digits composited "
        "onto generated paper by the project* (`make_photo` in `benchmarks/photos.py`). Each digit of a dev set "
        "(for measuring only, never trained or tuned on) is laid as blue or black ballpoint ink on squared or "
        "ruled paper with light-blue or grey lines, turned by up to 10 degrees, lit unevenly (a gradient and a "
        "vignette, the darkest paper at 45-75% of the brightest), blurred and noised as a camera would, and "
        "JPEG-compressed at quality 70-92; a photo is 1280x960. Its JPEG bytes go through "
        "`digits.photos.ink_from_photo` and `digits.recognize`.",
        "",
        "| source | where its digits come from | paper | ink | digits | read right | nothing found |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(f"| {row['source']} | {SOURCES[row['source']][1]} | {row['paper']} | {row['ink']} | {row['n']} "
                     f"| {row['right'] / row['n']:.1%} | {row['not_found']} |")
    total = sum(row["n"] for row in rows)
    lines += ["", f"All photos: {sum(row['right'] for row in rows) / total:.1%} of {total} read right.", ""]
    for key, value in (("paper", "squared"), ("paper", "ruled"), ("ink", "blue"), ("ink", "black")):
        chosen = [row for row in rows if row[key] == value]
        share = sum(row["right"] for row in chosen) / sum(row["n"] for row in chosen)
        lines.append(f"- {value} {key}: {share:.1%} of {sum(row['n'] for row in chosen)}")
    lines += ["", "The same digits recognised straight from their 280x280 pictures, without paper or photo:", "",
              "| source | digits | read right |", "| --- | --- | --- |"]
    lines += [f"| {row['source']} | {row['n']} | {row['right'] / row['n']:.1%} |" for row in plain]
    wall, cpu = times
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines += ["", f"**Time for a 12-megapixel photo** (4000x3000 JPEG bytes, squared paper, `ink_from_photo` "
              f"alone, decoding included, over {len(wall)} photos): median **{statistics.median(cpu) * 1000:.0f} ms "
              f"of CPU time** (slowest {max(cpu) * 1000:.0f} ms); median {statistics.median(wall) * 1000:.0f} ms "
              f"wall-clock (slowest {max(wall) * 1000:.0f} ms) on the shared machine, whose load average was "
              f"{load:.1f} at the end of the run.", ""]
    if numbers:
        lines += number_report(numbers)
    return "\n".join(lines)


PAGE_BEGIN, PAGE_END = "<!-- photos:begin -->", "<!-- photos:end -->"
"""The markers around what this script writes into PHOTOS.md; notes written by hand after them are kept."""


def write_page(path: Path, text: str) -> None:
    """Put a full run's ``text`` into the page at ``path`` between the markers, keeping everything after them."""
    write_section(path, text.rstrip("\n"), PAGE_BEGIN, PAGE_END)


def with_number_section(page: str, section: str) -> str:
    """``page`` with its whole-number section (from ``section``'s heading to the next heading or `PAGE_END`) replaced.

    Where the page has no such section, ``section`` is added at the end of the generated part (before
    `PAGE_END`, or at the end of the page). Nothing outside the section changes.
    """
    heading = section.splitlines()[0]
    limit = page.find(PAGE_END)
    limit = len(page) if limit < 0 else limit
    if heading in page[:limit]:
        start = page.index(heading)
        following = page.find("\n## ", start + len(heading), limit)
        stop = following + 1 if following >= 0 else limit
        return page[:start] + section + "\n" + ("\n" if following >= 0 else "") + page[stop:]
    head, tail = page[:limit].rstrip("\n"), page[limit:]
    return (head + "\n\n" if head else "") + section + "\n" + tail


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30, help="digits of each source per paper and ink")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timings", type=int, default=7, help="12-megapixel photos to time")
    parser.add_argument("--numbers", type=int, default=30, help="numbers of each source per paper (0: none)")
    parser.add_argument("--numbers-only", action="store_true",
                        help="only the whole-number rows: printed, and put in place of that section of --write")
    parser.add_argument("--write", type=Path, default=Path(__file__).resolve().parent / "PHOTOS.md")
    args = parser.parse_args(argv)
    if args.numbers_only:  # the whole-number section of the page alone, replaced where it is there
        section = "\n".join(number_report(number_rows(args.numbers, args.seed)))
        print(section)
        page = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        args.write.write_text(with_number_section(page, section), encoding="utf-8")
        return
    rows = accuracy_rows(args.n, args.seed)
    plain = plain_rows(args.n, args.seed)
    times = twelve_megapixel_times(args.timings, args.seed)
    numbers = number_rows(args.numbers, args.seed) if args.numbers else None
    text = report(rows, plain, times, args.n, args.seed, numbers, args.numbers)
    write_page(args.write, text)
    print(text)


if __name__ == "__main__":
    main()
