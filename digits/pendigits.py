"""Real pen strokes: the UCI "pendigits" collection of digits written on a tablet.

44 writers in Istanbul wrote about 250 digits each on a pressure-sensitive tablet
(Alpaydin and Alimoglu, 1998; UCI Machine Learning Repository, CC BY 4.0). The
``pendigits-orig`` files keep every pen trajectory in the UNIPEN text format:

    .SEGMENT DIGIT    0 ? "8"        one digit, its label in quotes
    .COMMENT 8 12  224               label, writer, sample number
    .PEN_DOWN                        a stroke: "x y" lines, y pointing *up*
     267  333
    .PEN_UP                          points after this (pen in the air) are not ink
    .DT 100

`parse_unipen` reads that text; `load_pendigits` finds the files (a folder named
by ``DIGITS_PENDIGITS``, the download cache, then a download from UCI) and reads
them. The 30 writers of ``pendigits-orig.tra`` are for training; the 14 of
``pendigits-orig.tes`` are for measuring only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .downloads import download
from .errors import ShownAsMessage

ENV_VAR = "DIGITS_PENDIGITS"
"""Environment variable that may name a folder holding ``pendigits-orig.tra`` and ``.tes``."""

FILES = {"train": "pendigits-orig.tra", "test": "pendigits-orig.tes"}
"""The file of each split; ``train`` holds 30 writers (7,494 digits), ``test`` the other 14 (3,498)."""

URL = "https://archive.ics.uci.edu/ml/machine-learning-databases/pendigits/"
"""Where the UCI repository keeps the files."""

CREDIT = ("Pen-Based Recognition of Handwritten Digits, E. Alpaydin and F. Alimoglu (1998), "
          "UCI Machine Learning Repository, CC BY 4.0")
"""Whom to credit wherever the strokes are used."""


class PendigitsError(ShownAsMessage, RuntimeError):
    """The pendigits files could not be found, or a file is not in the expected format."""


@dataclass(frozen=True)
class PenDigits:
    """Digits as pen strokes, with their labels and writers.

    ``strokes[i]`` is digit i: a list of (K, 2) float64 arrays of ``(x, y)`` tablet
    points, pen-down only, with y pointing *down* (flipped from the file) and the
    digit's top at y = 0. ``labels`` is (N,) uint8, ``writers`` (N,) str such as
    ``"tra_w07"`` (file and writer number).
    """

    strokes: list[list[np.ndarray]]
    labels: np.ndarray
    writers: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def drawn(self, size: int = 280, height: float = 0.6, width: float = 20.0) -> np.ndarray:
        """Every digit drawn as on the drawing pad: (N, size, size) uint8, dark ink on white.

        Each digit is scaled (aspect kept) to ``height`` of the canvas, centred, and
        drawn by `digits.strokes.render_strokes` with a pen ``width`` pixels wide
        (the pad's pen is 20).
        """
        from .strokes import fit_strokes, render_strokes

        center = (size / 2, size / 2)
        return np.stack([render_strokes(fit_strokes(digit, height * size, center), size, width)
                         for digit in self.strokes]) if self.strokes else np.zeros((0, size, size), np.uint8)


_SEGMENT = re.compile(r'^\.SEGMENT\s+(\S+)(?:.*"(.*)")?')
_COMMENT = re.compile(r"^\.COMMENT\s+(\d+)\s+(\d+)")


def parse_unipen(text: str, writer_prefix: str = "w", source: str = "UNIPEN text") -> PenDigits:
    """Read every ``.SEGMENT DIGIT`` block of UNIPEN text into `PenDigits`.

    Only pen-down points are kept; other segment types and other keywords
    (``.INCLUDE``, ``.DT``, ...) are skipped. Writer ids are ``writer_prefix``
    followed by the two-digit writer number of the block's ``.COMMENT``.
    Raises `PendigitsError` naming ``source`` and the line for a point that is
    not two integers, a digit label that is not 0-9, or text with no digits.
    """
    all_strokes, labels, writers = [], [], []
    digit: list[list[tuple[float, float]]] | None = None
    stroke: list[tuple[float, float]] | None = None
    label, writer = None, None

    def finish():
        if digit is not None and label is not None:
            points = [np.array(s, dtype=np.float64) for s in digit if s]
            if points:
                top = max(float(p[:, 1].max()) for p in points)
                all_strokes.append([np.column_stack([p[:, 0], top - p[:, 1]]) for p in points])
                labels.append(label)
                writers.append(f"{writer_prefix}{writer:02d}" if writer is not None else writer_prefix)

    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("."):
            keyword = line.split(None, 1)[0]
            if keyword == ".SEGMENT":
                finish()
                digit, stroke, label, writer = None, None, None, None
                match = _SEGMENT.match(line)
                if match and match.group(1) == "DIGIT":
                    name = match.group(2)
                    if name is None or not (len(name) == 1 and name.isdigit()):
                        raise PendigitsError(f"{source}, line {number}: a DIGIT segment labelled {name!r}, not 0-9")
                    digit, label = [], int(name)
            elif keyword == ".COMMENT" and digit is not None:
                match = _COMMENT.match(line)
                if match:
                    writer = int(match.group(2))
            elif keyword == ".PEN_DOWN" and digit is not None:
                stroke = []
                digit.append(stroke)
            elif keyword == ".PEN_UP":
                stroke = None
            continue
        if stroke is None:
            continue  # pen in the air, or outside a digit
        parts = line.split()
        try:
            if len(parts) < 2:
                raise ValueError
            stroke.append((float(int(parts[0])), float(int(parts[1]))))
        except ValueError:
            raise PendigitsError(f"{source}, line {number}: expected a point 'x y', got {line!r}") from None
    finish()
    if not labels:
        raise PendigitsError(f"{source} holds no .SEGMENT DIGIT blocks with pen-down points")
    return PenDigits(all_strokes, np.array(labels, dtype=np.uint8), np.array(writers))


def cache_dir() -> Path:
    """Where a download is kept: ``$KERAS_HOME/datasets/pendigits`` (``~/.keras`` by default), beside MNIST's."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets" / "pendigits"


def read_pendigits_file(path: str | os.PathLike) -> PenDigits:
    """Read one ``pendigits-orig`` file; writer ids are prefixed with the file's extension (``tra_w01``).

    Raises `PendigitsError` naming the file when it is missing, unreadable or not UNIPEN digits.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise PendigitsError(f"{path} could not be read as a pendigits file: {exc}") from exc
    return parse_unipen(text, writer_prefix=f"{path.suffix.lstrip('.')}_w", source=str(path))


def _download(name: str, target: Path) -> None:
    """Fetch ``URL + name`` into ``target``, whole or not at all (`digits.downloads.download`)."""
    download(URL + name, target)


def load_pendigits(split: str = "train") -> PenDigits:
    """The pen strokes of one split, ``"train"`` (30 writers) or ``"test"`` (14 writers).

    Looks, in this order, at:

    1. the folder named by ``DIGITS_PENDIGITS``;
    2. the download cache, `cache_dir`;
    3. the UCI repository, downloading into the cache.

    Raises `PendigitsError` saying what was tried when none of these works, and
    ``ValueError`` for an unknown split.
    """
    if split not in FILES:
        raise ValueError(f"split must be one of {', '.join(map(repr, FILES))}, got {split!r}")
    name = FILES[split]
    folder = os.environ.get(ENV_VAR)
    if folder:
        # An explicit choice that fails is an error, not a reason to look elsewhere.
        return read_pendigits_file(Path(folder) / name)
    cached = cache_dir() / name
    if cached.is_file():
        return read_pendigits_file(cached)
    try:
        _download(name, cached)
    except Exception as exc:  # noqa: BLE001 - no network, a proxy, a refused or broken download...
        raise PendigitsError(
            f"Could not load the pendigits strokes ({name}). Tried:\n"
            f"  - ${ENV_VAR} (not set)\n"
            f"  - the download cache {cached} (no such file)\n"
            f"  - downloading {URL + name} ({type(exc).__name__}: {exc})\n"
            f"Download {name} on a machine with internet access and point {ENV_VAR} at its folder, "
            f"e.g.  export {ENV_VAR}=/path/to/pendigits"
        ) from None
    return read_pendigits_file(cached)
