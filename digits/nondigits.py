"""Drawings that are not digits, made on the fly, for teaching a recogniser to say "that is not a digit".

Students test a digit recogniser with their initials, a plus sign, a smiley or a
scrawl. `nondigit_drawings` makes such pictures from sources every machine with
the course has, so the recipe needs no download:

* **letters and symbols from stroke fonts**: OpenCV's Hershey fonts are drawn
  as pen paths, so a glyph comes out as pen strokes of any width (`PEN_WIDTHS`);
* **letters and symbols from outline fonts**: the TrueType faces Matplotlib
  ships (DejaVu, STIX, Computer Modern: sans, serif, mono, italic, bold) and
  the machine's own (`FONT_FOLDERS`: Debian's font packages, handwriting faces
  among them), each glyph either as printed, thinned or thickened at random, or
  traced along its middle line with a round pen of one width, as a hand draws it
  (`PEN_TRACED`, `PEN_WIDTHS`);
* **shapes drawn as strokes**: a star, a heart, a smiley, a triangle, a
  crossed box, an arrow, a spiral, a tick, a house, a zigzag, a grid;
* **scribbles**: random smooth scrawls (`digits.drawn.scribbles`);
* **digits drawn over each other**: two real pen digits in one place.

Every glyph is slanted, turned and stretched a little, as a hand would, then
goes through `to_mnist` like a drawing on the pad.

Only characters that look like no digit are used (`LETTERS`, `SYMBOLS`). Left out
on purpose, because some people's digits look just like them: O o Q D (0), I l i
j J | / ! (1), Z z (2), S s $ (5), b G (6), B (8), g q d (9), Cyrillic З Э (3),
Ч (4), б Б Ь (6), the ring and the square, which are zeros.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from .drawn import scribbles
from .preprocess import EmptyImageError, to_mnist
from .strokes import render_strokes, reshaped_strokes

CANVAS = 280
"""Side of the square canvas every drawing is made on before `to_mnist`, as on the pad."""

LETTERS = "ACEFHKLMNPRTUVWXYacefhkmnprtuvwxy"
"""Latin letters that look like no digit (see the module docstring for those left out)."""
CYRILLIC = "ДЖИЙКЛМПФХЦШЩЫЮЯжлмпфшюя"
"""Cyrillic letters that look like no digit (the course's first students wrote them)."""
SYMBOLS = "+=%#@&*?<>~^{}×÷πλΣΩΔ€£¥§¶✓♥☺★→"
"""Symbols a student might draw instead of a digit."""

KINDS = ("stroke font", "outline font", "shape", "scribble", "overlaid digits")
"""What `nondigit_drawings` makes, in the order of ``mix``."""
MIX = (0.35, 0.3, 0.15, 0.12, 0.08)
"""The default share of each kind."""
PEN_TRACED = 0.5
"""The share of outline-font glyphs redrawn along their middle line with a round pen (`_pen_traced`)."""
PEN_WIDTHS = (0.04, 0.2)
"""Pen widths of stroke-font and traced glyphs, as a share of the glyph's height (the pad's pen is 20 px on
letters 80-250 px tall)."""

_HERSHEY = (
    cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX, cv2.FONT_HERSHEY_TRIPLEX,
    cv2.FONT_HERSHEY_COMPLEX_SMALL, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, cv2.FONT_HERSHEY_SCRIPT_COMPLEX,
    cv2.FONT_HERSHEY_PLAIN,
)
_HERSHEY_CHARS = "".join(c for c in LETTERS + SYMBOLS if c.isascii())
"""Hershey fonts draw only ASCII."""


def _arc(cx, cy, r, start, stop, steps=24, ry=None):
    t = np.radians(np.linspace(start, stop, steps))
    return np.stack([cx + r * np.cos(t), cy + (ry or r) * np.sin(t)], axis=1).tolist()


def _star():
    angles = np.radians(np.arange(6) * 144 - 90)
    return [np.stack([0.5 + 0.5 * np.cos(angles), 0.5 + 0.5 * np.sin(angles)], axis=1).tolist()]


SHAPES = {
    "star": _star(),
    "heart": [[(0.5, 0.3), *_arc(0.28, 0.3, 0.22, 0, -180)[::-1][1:], (0.5, 0.95)],
              [(0.5, 0.3), *_arc(0.72, 0.3, 0.22, 180, 360)[1:], (0.5, 0.95)]],
    "smiley": [_arc(0.5, 0.5, 0.48, 0, 360, 40), [(0.33, 0.35), (0.35, 0.4)], [(0.65, 0.35), (0.67, 0.4)],
               _arc(0.5, 0.55, 0.25, 20, 160)],
    "sad face": [_arc(0.5, 0.5, 0.48, 0, 360, 40), [(0.33, 0.35), (0.35, 0.4)], [(0.65, 0.35), (0.67, 0.4)],
                 _arc(0.5, 0.85, 0.22, 200, 340)],
    "triangle": [[(0.5, 0.0), (1.0, 0.9), (0.0, 0.9), (0.5, 0.0)]],
    "crossed box": [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)], [(0.0, 0.0), (1.0, 1.0)],
                    [(1.0, 0.0), (0.0, 1.0)]],
    "arrow": [[(0.0, 0.5), (1.0, 0.5)], [(0.7, 0.25), (1.0, 0.5), (0.7, 0.75)]],
    "spiral": [[(0.5 + 0.04 * t * np.cos(t), 0.5 + 0.04 * t * np.sin(t)) for t in np.linspace(0, 12, 80)]],
    "tick": [[(0.0, 0.55), (0.35, 0.95), (1.0, 0.0)]],
    "house": [[(0.1, 1.0), (0.1, 0.45), (0.5, 0.05), (0.9, 0.45), (0.9, 1.0), (0.1, 1.0)]],
    "zigzag": [[(0.0, 0.3), (0.2, 0.7), (0.4, 0.3), (0.6, 0.7), (0.8, 0.3), (1.0, 0.7)]],
    "grid": [[(0.33, 0.0), (0.33, 1.0)], [(0.67, 0.0), (0.67, 1.0)], [(0.0, 0.33), (1.0, 0.33)],
             [(0.0, 0.67), (1.0, 0.67)]],
    "flower": [_arc(0.5 + 0.3 * np.cos(a), 0.5 + 0.3 * np.sin(a), 0.18, 0, 360, 20) for a in np.arange(5) * 1.2566],
    "wave": [[(x, 0.5 + 0.25 * np.sin(x * 4 * np.pi)) for x in np.linspace(0, 1, 40)]],
}
"""Simple drawings as strokes in a unit box (x right, y down)."""


FONT_FOLDERS = (Path("/usr/share/fonts"), Path("~/.local/share/fonts").expanduser())
"""Where `outline_fonts` also looks for the machine's own faces (Debian's font packages put theirs here)."""
_NOT_LETTERS = ("STIXSiz", "cmex10", "cmsy10", "LastResort", "STIXNonUni", "StandardSymbols", "D050000L")
"""Faces whose letters are symbols or pieces of symbols."""


@lru_cache(maxsize=1)
def outline_fonts() -> tuple[Path, ...]:
    """The TrueType and OpenType faces to draw letters with: Matplotlib's, and the machine's own.

    Matplotlib's (DejaVu, STIX, Computer Modern) are present wherever the course
    is installed; the faces under `FONT_FOLDERS` depend on the machine (the
    shipped judge's card lists the families it was fitted with). A face found in
    both places counts once.
    """
    import matplotlib

    found = sorted((Path(matplotlib.get_data_path()) / "fonts" / "ttf").glob("*.ttf"))
    for folder in FONT_FOLDERS:
        if folder.is_dir():
            found += sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".ttf", ".otf"))
    faces, names = [], set()
    for path in found:
        if path.name.startswith(_NOT_LETTERS) or path.name in names or not _characters(path):
            continue
        faces.append(path)
        names.add(path.name)
    return tuple(faces)


@lru_cache(maxsize=None)
def _characters(path: Path) -> frozenset[str]:
    """The characters a face draws (its character map), empty for a file that cannot be read."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as face:
            return frozenset(chr(code) for code in (face.getBestCmap() or {}))
    except (TTLibError, OSError, ValueError, KeyError, AssertionError):
        return frozenset()


def fonts_with(char: str) -> tuple[Path, ...]:
    """The faces of `outline_fonts` that have a glyph for ``char``."""
    return tuple(path for path in outline_fonts() if char in _characters(path))


@lru_cache(maxsize=64)
def _truetype(path: Path, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


def _hand_warp(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Ink (white on black, uint8) slanted, turned and stretched a little, on a canvas with room around it."""
    h, w = ink.shape
    side = int(1.6 * max(h, w)) + 8
    slant, angle, stretch = rng.uniform(-0.3, 0.3), np.radians(rng.uniform(-15, 15)), rng.uniform(0.75, 1.3)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = turn @ np.array([[stretch, slant], [0.0, 1.0]])
    offset = np.array([side / 2, side / 2]) - matrix @ np.array([w / 2, h / 2])
    return cv2.warpAffine(ink, np.hstack([matrix, offset[:, None]]), (side, side), flags=cv2.INTER_LINEAR)


def _stroke_font_glyph(char: str, rng: np.random.Generator) -> np.ndarray:
    font = _HERSHEY[rng.integers(len(_HERSHEY))]
    if rng.random() < 0.3:
        font |= cv2.FONT_ITALIC
    scale = 6.0
    (w, h), base = cv2.getTextSize(char, font, scale, 1)
    thickness = max(2, int(round(rng.uniform(*PEN_WIDTHS) * h)))
    canvas = np.zeros((h + base + 2 * thickness + 20, w + 2 * thickness + 20), np.uint8)
    cv2.putText(canvas, char, (thickness + 10, h + thickness + 10), font, scale, 255, thickness, cv2.LINE_AA)
    return canvas


def _outline_font_glyph(char: str, rng: np.random.Generator) -> np.ndarray:
    """``char`` in a random face that has it, as printed (thickened or thinned) or as a pen would trace it."""
    from PIL import Image, ImageDraw

    fonts = fonts_with(char) or outline_fonts()
    font = _truetype(fonts[rng.integers(len(fonts))], 160)
    picture = Image.new("L", (320, 320), 0)
    ImageDraw.Draw(picture).text((60, 40), char, fill=255, font=font)
    ink = np.asarray(picture)
    if not ink.any():
        return ink
    if rng.random() < PEN_TRACED:
        return _pen_traced(ink, rng)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (int(rng.integers(3, 14)),) * 2)
    return cv2.dilate(ink, kernel) if rng.random() < 0.6 else cv2.erode(ink, cv2.getStructuringElement(
        cv2.MORPH_ELLIPSE, (3, 3)))


def _pen_traced(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A printed glyph (white on black, uint8) redrawn along its middle line with a round pen of one width.

    The pen's width is a share of the glyph's height drawn from `PEN_WIDTHS`; the
    edges are anti-aliased.
    """
    from skimage.morphology import skeletonize

    middle = skeletonize(ink > 127)
    rows = np.flatnonzero(middle.any(axis=1))
    if rows.size == 0:
        return ink
    radius = rng.uniform(*PEN_WIDTHS) / 2 * max(rows[-1] - rows[0], 20)
    pad = int(np.ceil(radius)) + 2
    distance = cv2.distanceTransform(np.pad(~middle, pad, constant_values=True).view(np.uint8), cv2.DIST_L2, 5)
    return np.round(np.clip(radius + 0.5 - distance, 0.0, 1.0) * 255).astype(np.uint8)


def _shape(rng: np.random.Generator) -> np.ndarray:
    strokes = SHAPES[list(SHAPES)[rng.integers(len(SHAPES))]]
    size = rng.uniform(100, 230)
    points = [np.asarray(stroke, dtype=np.float64) * size + 30 for stroke in strokes]
    return 255 - render_strokes(reshaped_strokes(points, rng), (int(size) + 60, int(size) + 60),
                                rng.uniform(8, 26))


def _overlaid(pen_strokes, rng: np.random.Generator) -> np.ndarray:
    first, second = (pen_strokes[i] for i in rng.choice(len(pen_strokes), 2, replace=False))
    size = rng.uniform(120, 200)
    shift = rng.uniform(0.25, 0.5) * size * rng.choice([-1, 1], 2)
    pieces = []
    for strokes, offset in ((first, np.zeros(2)), (second, shift)):
        arrays = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes]
        points = np.vstack(arrays)
        low, span = points.min(axis=0), max(np.ptp(points, axis=0).max(), 1e-6)
        pieces += [(a - low) / span * size + 140 + offset for a in arrays]
    return 255 - render_strokes(reshaped_strokes(pieces, rng), (CANVAS + 200, CANVAS + 200), rng.uniform(8, 24))


def _paper(ink: np.ndarray) -> np.ndarray:
    """White-on-black ink as dark ink on white paper."""
    return 255 - ink


def nondigit_drawings(n: int, seed: int = 0, pen_strokes=None, mix=MIX) -> tuple[np.ndarray, np.ndarray]:
    """``n`` drawings that are not digits, in the MNIST format, and what each one is.

    ``pen_strokes``: real pen digits (a list of stroke lists, e.g.
    ``load_pendigits("train").strokes``) for the "overlaid digits" kind; without
    them that kind is left out and the others fill its share. ``mix``: the share
    of each of `KINDS`. Returns ``(images, kinds)``: (n, 28, 28) float32 in [0, 1]
    as `to_mnist` makes them, and (n,) str, one of `KINDS`. Seeded: the same
    arguments give the same drawings.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    shares = np.asarray(mix, dtype=np.float64)
    if pen_strokes is None or len(pen_strokes) < 2:
        shares[KINDS.index("overlaid digits")] = 0.0
    rng = np.random.default_rng(seed)
    kinds = rng.choice(len(KINDS), n, p=shares / shares.sum())
    made_kinds = np.array(KINDS)[kinds]
    images = np.empty((n, 28, 28), np.float32)
    scrawls = iter(scribbles(int((kinds == 3).sum()) or 1, seed=seed + 1, size=CANVAS, stroke=(8.0, 26.0)))
    for index, kind in enumerate(kinds):
        while True:
            if kind == 0:
                picture = _paper(_hand_warp(_stroke_font_glyph(_HERSHEY_CHARS[rng.integers(len(_HERSHEY_CHARS))],
                                                               rng), rng))
            elif kind == 1:
                chars = LETTERS + CYRILLIC + SYMBOLS
                picture = _paper(_hand_warp(_outline_font_glyph(chars[rng.integers(len(chars))], rng), rng))
            elif kind == 2:
                picture = _shape(rng)
            elif kind == 3:
                picture = next(scrawls)
            else:
                picture = _overlaid(pen_strokes, rng)
            try:
                images[index] = to_mnist(picture)
                break
            except EmptyImageError:  # a glyph the font lacks draws nothing: draw another
                if kind == 3:
                    kind = 0
    return images, made_kinds
