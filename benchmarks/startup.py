"""How quickly recognition starts and answers, as whole processes and one call at a time.

    python benchmarks/startup.py                        # prints a table
    python benchmarks/startup.py --write BENCHMARKS.md  # ...and keeps it there, between its own markers

Three parts:

1. **Whole processes**, each run afresh ``--runs`` times (the median is shown):
   start Python, ``import digits``, recognise one 280x280 canvas. CPU time (user +
   system) comes from the operating system (``os.wait4``), as ``/usr/bin/time -v``
   reports it, and peak memory (maximum resident set) from the process itself
   (``VmHWM`` in ``/proc/self/status``). The shipped path (ONNX
   Runtime) is shown beside the same network run by TensorFlow from its ``.keras``
   file, and beside a drawing-pad session: a kernel's imports (ipykernel), the pad,
   and 20 real pen digits drawn on it and recognised.
2. **One recognition** in a warm process: `digits.recognize` on a 280x280 canvas,
   its two parts (`to_mnist`, the network), and ONNX Runtime with one or two threads;
   then large pictures (grainy scans, noise) that must stay well under a second.
3. **The original report's path** (listing 2.7's preprocessing, then Keras's
   ``model.predict`` on the report's network), measured in the same run, and how many
   times faster `digits.recognize` is.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.markdown import machine, table, write_section  # noqa: E402

CANVAS = "np.zeros((280, 280, 4), np.uint8)"
DRAW_A_SEVEN = "canvas[60:80, 70:210, 3] = 255; canvas[60:230, 190:210, 3] = 255"

PROCESSES = {
    "import digits, recognize one canvas (ONNX Runtime: the shipped path)": (
        f"import numpy as np, digits\ncanvas = {CANVAS}; {DRAW_A_SEVEN}\ndigits.recognize(canvas)\n"
    ),
    "the same with the same network run by TensorFlow (Recognizer.from_file on the .keras file)": (
        f"import numpy as np, digits\nfrom digits.model_files import SHIPPED_MODEL\ncanvas = {CANVAS}; {DRAW_A_SEVEN}\n"
        "digits.Recognizer.from_file(SHIPPED_MODEL)(canvas)\n"
    ),
    "a drawing-pad session: ipykernel, the pad, 20 real pen digits drawn and recognised": (
        "import ipykernel.kernelapp, numpy as np, digits\n"
        "from digits.pendigits import load_pendigits\nfrom digits.strokes import fit_strokes\n"
        "pad = digits.DrawingPad()\npen = load_pendigits('train')\n"
        "for strokes in pen.strokes[:20]:\n"
        "    pad.clear()\n"
        "    for stroke in fit_strokes(strokes, 180, center=(140, 140)):\n"
        "        pad.add_stroke(stroke)\n"
        "    assert pad.recognize() is not None\n"
    ),
}
"""What each whole-process row runs, as a ``python -c`` script."""


_PEAK_MEMORY = (
    "\nfor _line in open('/proc/self/status'):\n"
    "    if _line.startswith('VmHWM:'):\n"
    "        print('peak-kB', _line.split()[1])\n"
)
"""Appended to a measured script: its own peak resident memory. (The operating system's figure for a child,
``ru_maxrss``, also counts the parent's memory from before the child started Python.)"""


def whole_process(script: str) -> tuple[float, float]:
    """Run ``script`` in a fresh Python; return its CPU seconds and its peak memory in MB."""
    child = subprocess.Popen([sys.executable, "-c", script + _PEAK_MEMORY], cwd=REPO, stdout=subprocess.PIPE,
                             text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"the measured process failed (exit {child.returncode}):\n{script}")
    peak_kb = next(int(line.split()[1]) for line in output.splitlines() if line.startswith("peak-kB "))
    return usage.ru_utime + usage.ru_stime, peak_kb / 1024


def _median_ms(call, repeats: int) -> tuple[float, float]:
    """Median and 95th percentile milliseconds of ``call()``, after a warm-up."""
    for _ in range(min(20, repeats)):
        call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times)), float(np.percentile(times, 95))


def report_preprocessing(gray: np.ndarray) -> np.ndarray:
    """Listing 2.7 of the original report, as written there: a grey picture -> (1, 28, 28, 1) for ``model.predict``."""
    import math

    import cv2
    from scipy.ndimage import center_of_mass

    gray = 255 - gray
    _, gray = cv2.threshold(gray, 128, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    while np.sum(gray[0]) == 0:
        gray = gray[1:]
    while np.sum(gray[:, 0]) == 0:
        gray = np.delete(gray, 0, 1)
    while np.sum(gray[-1]) == 0:
        gray = gray[:-1]
    while np.sum(gray[:, -1]) == 0:
        gray = np.delete(gray, -1, 1)
    rows, cols = gray.shape
    if rows > cols:
        rows, cols = 20, int(round(cols * 20.0 / rows))
    else:
        rows, cols = int(round(rows * 20.0 / cols)), 20
    gray = cv2.resize(gray, (cols, rows))
    cols_padding = (int(math.ceil((28 - cols) / 2.0)), int(math.floor((28 - cols) / 2.0)))
    rows_padding = (int(math.ceil((28 - rows) / 2.0)), int(math.floor((28 - rows) / 2.0)))
    gray = np.pad(gray, (rows_padding, cols_padding), "constant")
    cy, cx = center_of_mass(gray)
    shift = np.float32([[1, 0, np.round(14.0 - cx)], [0, 1, np.round(14.0 - cy)]])
    gray = cv2.warpAffine(gray, shift, (28, 28))
    return (gray / 255.0).reshape(-1, 28, 28, 1)


def large_pictures() -> dict[str, np.ndarray]:
    """1500x1500 pictures that once took seconds to minutes: grainy scans and noise."""
    import cv2

    grainy = np.full((1500, 1500), 255, np.uint8)
    cv2.ellipse(grainy, (750, 750), (500, 675), 0, 0, 360, 0, 60)
    grainy[::6, ::6] = 0
    rng = np.random.default_rng(0)
    return {
        "a grainy 1500x1500 scan of a 0 (63,001 specks)": grainy,
        "1500x1500 of random black and white pixels, half of each": np.where(rng.random((1500, 1500)) < 0.5, 0, 255).astype(np.uint8),
        "1500x1500 of random RGBA noise": rng.integers(0, 256, (1500, 1500, 4), dtype=np.uint8),
    }


def _seconds(call) -> float:
    start = time.perf_counter()
    try:
        call()
    except ValueError:  # noise may count as blank: how long it took to say so is what counts
        pass
    return time.perf_counter() - start


def run(runs: int = 3, repeats: int = 1000) -> list[tuple[str, str]]:
    """Measure; return (measure, value) rows."""
    rows = []
    for name, script in PROCESSES.items():
        measured = [whole_process(script) for _ in range(runs)]
        cpu, memory = np.median([m[0] for m in measured]), np.median([m[1] for m in measured])
        rows.append((f"whole process, {name}: CPU time / peak memory (median of {runs})",
                     f"{cpu:.2f} s / {memory:.0f} MB"))

    import digits
    from digits.model_files import SHIPPED_ONNX, read_card
    from digits.networks import OnnxNetwork

    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[60:80, 70:210, 3] = 255
    canvas[60:230, 190:210, 3] = 255
    ours, ours_p95 = _median_ms(lambda: digits.recognize(canvas), repeats)
    rows.append(("digits.recognize, one 280x280 canvas: median / 95th percentile", f"{ours:.2f} / {ours_p95:.2f} ms"))
    rows.append(("digits.recognize, its to_mnist part: median", f"{_median_ms(lambda: digits.to_mnist(canvas), repeats)[0]:.2f} ms"))
    one = digits.to_mnist(canvas).reshape(1, 28, 28, 1)
    temperature = float(read_card(SHIPPED_ONNX).get("temperature", 1.0))
    for threads in (1, 2):
        network = OnnxNetwork(SHIPPED_ONNX, threads=threads)
        recognizer = digits.Recognizer(network, temperature=temperature)
        rows.append((f"digits.recognize, its network part, ONNX Runtime with {threads} intra-op thread{'s' * (threads > 1)}: median",
                     f"{_median_ms(lambda: network.probabilities(one), repeats)[0]:.3f} ms"))
        rows.append((f"digits.recognize with {threads} ONNX Runtime thread{'s' * (threads > 1)}: median",
                     f"{_median_ms(lambda: recognizer(canvas), repeats)[0]:.2f} ms"))

    for name, picture in large_pictures().items():
        seconds = min(_seconds(lambda: digits.recognize(picture)) for _ in range(3))
        rows.append((f"digits.recognize, {name}: best of 3", f"{seconds:.2f} s"))

    from digits.model import build_cnn

    report_network = build_cnn()  # the report's layers; its weights do not change how long an answer takes
    grey = 255 - canvas[:, :, 3]
    theirs, _ = _median_ms(lambda: report_network.predict(report_preprocessing(grey), verbose=0), max(30, repeats // 20))
    rows.append(("the original report's path (listing 2.7's preprocessing, then model.predict on its network): median",
                 f"{theirs:.1f} ms"))
    rows.append(("digits.recognize is faster than the report's path by", f"{theirs / ours:.0f}x"))
    return rows


_BEGIN, _END = "<!-- startup:begin -->", "<!-- startup:end -->"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python benchmarks/startup.py", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per whole-process row (default 3)")
    parser.add_argument("--repeats", type=int, default=1000, help="calls per one-recognition row (default 1000)")
    parser.add_argument("--write", help="also write the table, with the machine, into this Markdown file")
    args = parser.parse_args(argv)
    rows = run(args.runs, args.repeats)
    text = f"Measured {datetime.date.today().isoformat()} on {machine()}.\n\n" + table(rows)
    print(text)
    if args.write:
        write_section(Path(args.write), text, _BEGIN, _END)


if __name__ == "__main__":
    main()
