"""Splitting a picture of a written number into the pieces its digits are made of.

A number is read in two steps. This module does the first: it cuts the ink into
small *atoms*, ordered left to right, so that every digit is a run of
consecutive atoms; `digits.numbers` then chooses which runs are digits by asking
the network (over-segment, then choose by recognition score).

1. *Pieces*: the connected blobs of ink; where the pen strokes are known, a
   blob wider than a digit (digits that touch) is split into its strokes.
2. *Groups*: a piece that lies almost wholly above or below another (a 5's
   flag, the bar of a crossed 7, the second stroke of a 4, a dash of a broken
   stroke) is joined to it: no digit is written beside such a piece.
3. *Atoms*: a group wider than a digit usually is (touching digits, "00" in one
   stroke) is cut along candidate cuts: paths from top to bottom that cross the
   least ink, free to lean and bend a little round strokes that lean into each
   other (seam carving), kept where they leave a digit's height of ink on both
   sides. Asked to (``at_branches``), a group wider than a line is high
   (digits that overlap or cross, which no cut from top to bottom parts) is cut
   instead where its strokes meet: at the branch points of its skeleton, into arcs.

Pixels are those of the ink map (`digits.preprocess.ink_map`); boxes are
``(x0, y0, x1, y1)`` with the ends exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import cv2
import numpy as np

from .preprocess import EmptyImageError, ink_box, stroke_width

INK_THRESHOLD = 0.25
"""Ink above this fraction of full strength makes the blobs; fainter anti-aliased edges join the blob they border."""

NESTED_SHARE = 0.7
"""A piece whose columns lie this much (of its own width) under another piece's is part of the same digit."""
FRAGMENT_HEIGHT, FRAGMENT_NESTED = 0.55, 0.35
"""A piece lower than this share of the line's height is a fragment (a flag, a bar, a dash); a fragment is
joined to a piece whose columns cover this share of its own."""
CUT_FROM = 0.75
"""Groups wider than this many line heights get candidate cuts (no digit is wider than a line is high, and
touching digits are; a wide 0, 2 or 7 is cut too, and the network then prefers it whole)."""
CUT_SPACING = 0.18
"""Candidate cuts end at least this many line heights apart, and from a group's sides."""
CUT_INK = 2.5
"""A cut crosses at most this many pen widths of ink (rows of ink on its path, over the pen width): digits
that touch are joined by a stroke or two; a cut through the middle of a 3, 5, 6, 8 or 9 would cross three."""
CUT_LEAN = 0.15
"""A cut may lean or bend this many line heights either side of its column."""
MAX_CUTS = 12
"""At most this many candidate cuts in one group, the cheapest first."""
ARC_FROM = 1.0
"""With ``at_branches`` (`split_into_atoms`), groups wider than this many line heights are cut where their
strokes meet (`_arcs`) instead of along cuts from top to bottom; groups whose strokes never meet keep the cuts.

Digits that overlap or cross cannot be parted by any cut from top to bottom, and two touching digits are
wider than a line is high, which most single digits are not (by `digits.numbers.WIDTH_PRIOR`, about a
quarter of the pendigits training writers' 0s and a fifth of their 2s are, few of the other digits).
`digits.numbers` reads a picture both ways where it holds such a group that is not plainly one digit; with
the strokes (the pad), the strokes part the digits instead. Chosen on numbers of the pendigits training
writers and among three candidates on the measuring rows (``benchmarks/NUMBERS.md``)."""
ARC_RADIUS = 0.9
"""`_arcs` takes out a disc of this many pen widths round each point where strokes meet: enough that
the arcs of two crossing strokes come apart, little enough to keep short strokes (0.7 parted too few
crossings, 1.1 erased too much, on the pendigits training writers' numbers)."""
SPECK_AREA = 0.3
"""Blobs smaller than this many squared pen widths are dust, not ink."""


@dataclass(frozen=True)
class Atoms:
    """A picture's ink cut into atoms, numbered 1..count from left to right.

    ``labels``: (H, W) int32 over the ink map, 0 for paper and ``k`` for atom k.
    ``boxes``: (count, 4) int array of each atom's ``(x0, y0, x1, y1)``.
    ``group``: (count,) int, the group (step 2) each atom was cut from; atoms of
    one group are consecutive. ``cluster``: (count,) int, the same for atoms whose
    ink touches (with strokes: the strokes of one blob); atoms of different
    clusters have paper between them. ``blob``: (count,) int, the blob of
    touching ink each atom is part of. ``line_height``: the height of a digit,
    pixels. ``pen``: the pen width, pixels. ``at_branches``: whether some group
    was cut where its strokes meet (`split_into_atoms`).
    """

    labels: np.ndarray
    boxes: np.ndarray
    group: np.ndarray
    cluster: np.ndarray
    blob: np.ndarray
    line_height: float
    pen: float
    at_branches: bool = False

    @property
    def count(self) -> int:
        return len(self.boxes)

    def wide_groups(self) -> list[tuple[int, int]]:
        """The (first, last) atoms (0-based, inclusive) of each group wider than `ARC_FROM` line heights."""
        wide = []
        for group in np.unique(self.group):
            members = np.flatnonzero(self.group == group)
            first, last = int(members[0]), int(members[-1])
            x0, _, x1, _ = self.box(first, last)
            if x1 - x0 > ARC_FROM * self.line_height:
                wide.append((first, last))
        return wide

    def box(self, first: int, last: int) -> tuple[int, int, int, int]:
        """The box around atoms ``first`` to ``last`` (0-based, inclusive)."""
        boxes = self.boxes[first : last + 1]
        return (int(boxes[:, 0].min()), int(boxes[:, 1].min()), int(boxes[:, 2].max()), int(boxes[:, 3].max()))

    def widest_gap(self, first: int, last: int) -> int:
        """The widest run of empty columns between atoms ``first`` to ``last`` (0-based, inclusive), pixels."""
        spans = sorted((int(x0), int(x1)) for x0, _, x1, _ in self.boxes[first : last + 1])
        gap, reach = 0, spans[0][1]
        for x0, x1 in spans[1:]:
            gap = max(gap, x0 - reach)
            reach = max(reach, x1)
        return gap

    def pieces_broken(self, first: int, last: int) -> int:
        """How many more blobs of ink atoms ``first`` to ``last`` (0-based, inclusive) make than the blobs they
        were cut from: a run of slices through a loop (the top and bottom of a 0) is broken, a digit cut
        from its touching neighbour is not."""
        x0, y0, x1, y1 = self.box(first, last)
        labels = self.labels[y0:y1, x0:x1]
        inked = ((labels > first) & (labels <= last + 1)).view(np.uint8)
        count, _, stats, _ = cv2.connectedComponentsWithStats(inked, connectivity=8)
        blobs = int(np.count_nonzero(stats[1:, cv2.CC_STAT_AREA] >= SPECK_AREA * self.pen * self.pen))
        return max(0, blobs - len(set(self.blob[first : last + 1].tolist())))

    def cutout(self, ink: np.ndarray, first: int, last: int) -> np.ndarray:
        """The ink of atoms ``first`` to ``last`` (0-based, inclusive) alone, cropped to their box, float32."""
        x0, y0, x1, y1 = self.box(first, last)
        labels = self.labels[y0:y1, x0:x1]
        keep = (labels > first) & (labels <= last + 1)
        return np.where(keep, ink[y0:y1, x0:x1], np.float32(0))


def split_into_atoms(ink: np.ndarray, strokes: Sequence[Sequence[Sequence[float]]] | None = None,
                     at_branches: bool = False) -> Atoms:
    """Cut an ink map into atoms, left to right (see the module's description).

    ``ink``: (H, W) float32 in [0, 1], as from `ink_map`. ``strokes``: the pen
    strokes the picture was drawn with, each a sequence of ``(x, y)`` points in
    the picture's pixels (y down), or None to work from the blobs of ink alone.
    ``at_branches``: without strokes, cut groups wider than `ARC_FROM` where their
    strokes meet (`_arcs`) instead of along cuts from top to bottom.
    Raises `EmptyImageError` when no pixel reaches `INK_THRESHOLD`.
    """
    mask = (ink > INK_THRESHOLD).view(np.uint8)
    if ink_box(mask) is None:
        raise EmptyImageError("the image is blank: write a number first")
    pen = max(stroke_width(mask), 1.0)
    blobs = _pieces_from_blobs(mask, pen)
    pieces = blobs
    if strokes and pieces.max() > 0:
        pieces = _strokes_of_wide_blobs(pieces, _pieces_from_strokes(mask, strokes, pen))
    if pieces.max() == 0:
        raise EmptyImageError("the image is blank: write a number first")
    pieces = _with_edges(pieces, ink)
    boxes = _boxes(pieces)
    line = _line_height(boxes)
    groups = _grouped(boxes, line)
    inked = (pieces > 0) & (blobs > 0)
    blob_of_piece = np.zeros(int(pieces.max()) + 1, np.int64)
    blob_of_piece[pieces[inked]] = blobs[inked]  # a piece is connected: any of its pixels names its blob
    return _cut(pieces, boxes, groups, blob_of_piece, line, pen, use_arcs=at_branches and not strokes)


def _pieces_from_blobs(mask: np.ndarray, pen: float) -> np.ndarray:
    """Label image of the 8-connected blobs of ``mask``, dust erased."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_32S)
    dust = stats[:, cv2.CC_STAT_AREA] < SPECK_AREA * pen * pen
    dust[0] = False
    if dust.any() and not dust[1:].all():
        renumbered = np.cumsum(~dust, dtype=np.int32) - 1  # 1..n for the blobs kept, without gaps
        renumbered[dust] = 0
        labels = renumbered[labels]
    return labels


def _pieces_from_strokes(mask: np.ndarray, strokes, pen: float) -> np.ndarray:
    """Label image of ink pixels by the stroke that drew them (the later stroke where two cross)."""
    labels = np.zeros(mask.shape, np.int32)
    thickness = max(1, int(round(pen + 2)))  # a little wider than the pen: every inked pixel is covered
    for number, stroke in enumerate(strokes, start=1):
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        if len(points) == 0:
            continue
        fixed = np.rint(points * 16).astype(np.int32)
        if len(fixed) == 1 or not np.any(fixed != fixed[0]):
            cv2.circle(labels, tuple(int(v) for v in fixed[0]), int(round(thickness / 2 * 16)), number,
                       thickness=-1, shift=4)
        else:
            cv2.polylines(labels, [fixed], False, number, thickness=thickness, shift=4)
    labels[mask == 0] = 0
    stray = (mask != 0) & (labels == 0)
    if stray.any():  # ink the strokes do not explain (they were drawn elsewhere): fall back to the blobs
        blobs = _pieces_from_blobs(stray.view(np.uint8), pen)
        labels[blobs > 0] = blobs[blobs > 0] + labels.max()
    return _renumbered(labels)


def _strokes_of_wide_blobs(blobs: np.ndarray, strokes: np.ndarray) -> np.ndarray:
    """Pieces where the strokes are known: a blob as narrow as one digit (`CUT_FROM`) stays one piece, as
    without strokes; a wider blob (digits that touch) is split into the strokes that drew it."""
    boxes = _boxes(blobs)
    line = _line_height(boxes)
    wide = np.r_[False, (boxes[:, 2] - boxes[:, 0]) > CUT_FROM * line]
    pieces = np.where(wide[blobs], strokes + (int(blobs.max()) + 1), blobs)
    pieces[(blobs == 0)] = 0  # dust stays erased
    return _renumbered(pieces)


def _renumbered(labels: np.ndarray) -> np.ndarray:
    """``labels`` numbered 1..n without gaps, 0 (paper) kept."""
    present = np.zeros(int(labels.max()) + 1, bool)
    present[labels.ravel()] = True
    present[0] = True
    renumbered = (np.cumsum(present) - 1).astype(np.int32)
    renumbered[0] = 0
    return renumbered[labels]


def _with_edges(labels: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """``labels`` grown over the faint anti-aliased ink around each piece (two pixels at most)."""
    where = ink_box(labels > 0)
    if where is None:
        return labels
    rows, cols = where
    grow = _EDGE_GROWTH
    window = (slice(max(rows.start - grow, 0), rows.stop + grow), slice(max(cols.start - grow, 0), cols.stop + grow))
    labels = labels.copy()
    region = labels[window]  # a view: growing it grows ``labels``
    faint = (ink[window] > 0) & (region == 0)
    for _ in range(grow):
        if not faint.any():
            break
        grown = cv2.dilate(region.astype(np.float32), np.ones((3, 3), np.uint8)).astype(np.int32)
        take = faint & (grown > 0)
        region[take] = grown[take]
        faint &= ~take
    return labels


_EDGE_GROWTH = 2
"""`_with_edges` grows the pieces this many pixels over faint ink."""


def warm_up() -> None:
    """Import what splitting needs (SciPy's ``ndimage``) now, so that the first reading does not wait for it.

    `import digits` leaves it out: one digit never needs it, and it takes longer
    to import than a number takes to read. The number pad calls this when it is made.
    """
    from scipy import ndimage  # noqa: F401


def _boxes(labels: np.ndarray) -> np.ndarray:
    """(n, 4) boxes ``(x0, y0, x1, y1)`` of labels 1..n (every one of which is present)."""
    from scipy import ndimage  # imported on first use (see `warm_up`)

    return np.array([(cols.start, rows.start, cols.stop, rows.stop) for rows, cols in ndimage.find_objects(labels)],
                    np.int64).reshape(-1, 4)


def _line_height(boxes: np.ndarray) -> float:
    """The height of a digit: the median height of the pieces at least half as high as the highest."""
    heights = (boxes[:, 3] - boxes[:, 1]).astype(float)
    return float(np.median(heights[heights >= 0.5 * heights.max()]))


def _overlap(a: np.ndarray, b: np.ndarray) -> int:
    """How many columns boxes ``a`` and ``b`` share."""
    return max(0, int(min(a[2], b[2]) - max(a[0], b[0])))


def _grouped(boxes: np.ndarray, line: float) -> list[list[int]]:
    """Pieces (0-based) joined into groups of one digit or more: nested pieces and fragments go with their host."""
    count = len(boxes)
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    widths = boxes[:, 2] - boxes[:, 0]
    heights = boxes[:, 3] - boxes[:, 1]
    for i in range(count):
        for j in range(i + 1, count):
            shared = _overlap(boxes[i], boxes[j])
            if shared == 0:
                continue
            small = i if widths[i] <= widths[j] else j
            nested = shared >= NESTED_SHARE * max(widths[small], 1)
            fragment = min(heights[i], heights[j]) < FRAGMENT_HEIGHT * line
            low = i if heights[i] <= heights[j] else j
            if nested or (fragment and shared >= FRAGMENT_NESTED * max(widths[low], 1)):
                parent[root(i)] = root(j)
    members: dict[int, list[int]] = {}
    for i in range(count):
        members.setdefault(root(i), []).append(i)
    groups = list(members.values())
    groups.sort(key=lambda group: (boxes[group, 0].min() + boxes[group, 2].max()) / 2)
    return groups


def _seams(inside: np.ndarray, line: float, pen: float) -> np.ndarray:
    """Candidate cuts through a group: (n, H) columns, one per row, left to right and never crossing.

    ``inside``: (H, W) bool, the group's ink. From every few columns a cut is sought: the path from top
    to bottom that crosses least ink, moving at most one column per row and staying within `CUT_LEAN`
    line heights of its column, so it can bend round the strokes of digits that lean into each other or
    pass where two digits touch. Kept are the cuts cheaper than those around them (`CUT_SPACING` line
    heights either way), at most `MAX_CUTS`, none that close to the group's sides.
    """
    height, width = inside.shape
    shrink = _SEAM_SHRINK if pen >= 2 * _SEAM_SHRINK and min(height, width) >= 4 * _SEAM_SHRINK else 1
    if shrink > 1:  # strokes several pixels wide: seek the cuts on a picture a few times smaller
        small = cv2.resize(inside.view(np.uint8), None, fx=1 / shrink, fy=1 / shrink,
                           interpolation=cv2.INTER_AREA) > 0
    else:
        small = inside
    spacing = max(int(CUT_SPACING * line / shrink), 2)
    starts = np.arange(spacing, small.shape[1] - spacing, max(int(pen / 2 / shrink), 1))
    if len(starts) == 0:
        return np.zeros((0, height), np.int64)
    totals, columns = _least_ink(small, starts, line / shrink)
    ends = np.argmin(totals[-1], axis=1)
    costs = totals[-1][np.arange(len(starts)), ends]
    end_columns = columns[np.arange(len(starts)), ends]
    chosen: list[int] = []
    for index in np.argsort(costs, kind="stable"):
        near = np.abs(starts - starts[index]) <= spacing
        if costs[index] <= costs[near].min() and np.all(np.abs(end_columns[chosen] - end_columns[index]) >= spacing):
            chosen.append(int(index))
            if len(chosen) == MAX_CUTS:
                break
    paths = _backtracked(totals, columns, np.array(chosen, np.int64), ends[chosen])
    paths = paths[np.argsort(paths.mean(axis=1), kind="stable")]
    paths = np.maximum.accumulate(paths, axis=0)  # left to right, and never crossing
    if shrink == 1:
        return paths
    rows = np.minimum(np.arange(height) // shrink, small.shape[0] - 1)
    return np.minimum(paths[:, rows] * shrink + shrink // 2, width - 1)


_SEAM_SHRINK = 3
"""`_seams` works on pictures this many times smaller where the pen is wide enough."""


def _least_ink(inside: np.ndarray, centres: np.ndarray, line: float) -> tuple[np.ndarray, np.ndarray]:
    """Seam carving in a corridor round each of ``centres`` (see `_seams`).

    Returns ``totals``, (H, n, 2r+1) float32: the least ink a path from the top crosses to reach each
    pixel of each corridor, and ``columns``, (n, 2r+1): the group's column of each corridor position.
    """
    height, width = inside.shape
    reach = max(int(CUT_LEAN * line), 1)
    offsets = np.arange(-reach, reach + 1)
    wanted = np.asarray(centres)[:, None] + offsets[None, :]
    columns = np.clip(wanted, 0, width - 1)
    cost = inside[:, columns].astype(np.float32)
    cost[:, columns != wanted] = np.inf  # beyond the sides
    cost += _DRIFT * np.abs(offsets)[None, None, :] / reach  # straighter cuts first, among equals
    totals = np.empty(cost.shape, np.float32)
    totals[0] = cost[0]
    sides = np.full((2,) + cost.shape[1:], np.inf, np.float32)
    for row in range(1, height):
        above = totals[row - 1]
        sides[0, :, 1:] = above[:, :-1]
        sides[1, :, :-1] = above[:, 1:]
        np.minimum(np.minimum(sides[0], sides[1], out=totals[row]), above, out=totals[row])
        totals[row] += cost[row]
    return totals, columns


def _backtracked(totals: np.ndarray, columns: np.ndarray, which: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The paths of corridors ``which`` ending at positions ``ends``, backed up to the top: (k, H) columns.

    Each step goes to the cheapest of the three pixels above (the straight one where they tie).
    """
    height, last = totals.shape[0], totals.shape[2] - 1
    paths = np.zeros((len(which), height), np.int64)
    for number, (corridor, where) in enumerate(zip(which.tolist(), np.asarray(ends).tolist())):
        ink = totals[:, corridor, :].tolist()  # plain lists: a few hundred scalar look-ups, no array overhead
        trail = [0] * height
        for row in range(height - 1, -1, -1):
            trail[row] = where
            if row:
                above = ink[row - 1]
                best = where
                if where > 0 and above[where - 1] < above[best]:
                    best = where - 1
                if where < last and above[where + 1] < above[best]:
                    best = where + 1
                where = best
        paths[number] = columns[corridor, trail]
    return paths


_DRIFT = 0.5
"""What leaning all the way (`CUT_LEAN`) costs a cut, in pixels of ink: among equally cheap paths, the straightest."""


def _separates(inside: np.ndarray, seam: np.ndarray, line: float, pen: float) -> bool:
    """Whether a cut could part two digits: it crosses at most `CUT_INK` pen widths of ink, and leaves ink
    at least `FRAGMENT_HEIGHT` of the line high on each side (a cut that only clips a tail parts nothing)."""
    rows = np.arange(len(seam))
    if inside[rows, seam].sum() > CUT_INK * pen:
        return False
    left = inside & (np.arange(inside.shape[1])[None, :] < seam[:, None])
    for side in (left, inside & ~left):
        filled = np.flatnonzero(side.any(axis=1))
        if len(filled) == 0 or filled[-1] - filled[0] + 1 < FRAGMENT_HEIGHT * line:
            return False
    return True


def _arcs(inside: np.ndarray, pen: float) -> tuple[np.ndarray, int] | None:
    """A group's ink cut where its strokes meet or cross, for digits that touch (see `ARC_FROM`).

    ``inside``: (H, W) bool, the group's ink. The ink's skeleton (its one-pixel middle
    line) branches wherever strokes meet; a disc of `ARC_RADIUS` pen widths round each
    branch point is taken out, which leaves the arcs between them. Every pixel of the
    group (those of the discs too) goes to its nearest arc. Returns (H, W) int, each
    pixel's arc (0, 1, ... from left to right by the arcs' centres; -1 on paper) and the
    number of arcs, or None where the strokes never meet (a 0 or a 1 alone: no arcs to
    choose between).
    """
    from scipy import ndimage  # imported on first use (see `warm_up`)
    from skimage.morphology import skeletonize

    skeleton = skeletonize(inside)
    neighbours = cv2.filter2D(skeleton.view(np.uint8), cv2.CV_16S, np.ones((3, 3), np.float32),
                              borderType=cv2.BORDER_CONSTANT) - skeleton
    radius = max(1, int(round(ARC_RADIUS * pen)))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    branches = cv2.dilate((skeleton & (neighbours >= 3)).view(np.uint8), disc) > 0
    count, labels, stats, centres = cv2.connectedComponentsWithStats((inside & ~branches).view(np.uint8),
                                                                     connectivity=8)
    kept = stats[:, cv2.CC_STAT_AREA] >= SPECK_AREA * pen * pen
    kept[0] = False
    arcs = int(kept.sum())
    if arcs <= 1:
        return None
    rank = np.zeros(count, np.int64)  # 0 for paper and crumbs, 1..arcs left to right
    rank[np.flatnonzero(kept)[np.argsort(centres[kept, 0], kind="stable")]] = np.arange(1, arcs + 1)
    ranked = rank[labels]
    _, (rows, cols) = ndimage.distance_transform_edt(ranked == 0, return_indices=True)
    return np.where(inside, ranked[rows, cols] - 1, -1), arcs


def _clusters(blob_of_piece: np.ndarray, groups: list[list[int]]) -> list[int]:
    """For each group, its cluster: groups whose ink touches (they share a blob) are in one. Clusters are
    numbered by their leftmost group."""
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blobs = [{int(blob_of_piece[piece + 1]) for piece in group} for group in groups]
    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            if blobs[i] & blobs[j]:
                parent[max(root(i), root(j))] = min(root(i), root(j))
    return [root(i) for i in range(len(groups))]


def _cut(pieces: np.ndarray, boxes: np.ndarray, groups: list[list[int]], blob_of_piece: np.ndarray,
         line: float, pen: float, use_arcs: bool = False) -> Atoms:
    """Number the atoms left to right: each group, cut at its candidate cuts where it is wide
    (where its strokes meet, with ``use_arcs``, where it is wider than `ARC_FROM`).

    ``blob_of_piece``: for each piece label (0 = paper), the blob of touching ink it is part of."""
    lookup = np.zeros(len(boxes) + 1, np.int32)
    atoms = np.zeros(pieces.shape, np.int32)
    atom_boxes: list[np.ndarray] = []
    atom_group: list[int] = []
    number, branched = 0, False
    for index, group in enumerate(groups):
        lookup[:] = 0
        lookup[np.asarray(group) + 1] = 1
        x0, y0 = boxes[group, 0].min(), boxes[group, 1].min()
        x1, y1 = boxes[group, 2].max(), boxes[group, 3].max()
        inside = lookup[pieces[y0:y1, x0:x1]].astype(bool)
        wide = x1 - x0 > CUT_FROM * line
        arcs = _arcs(inside, pen) if use_arcs and x1 - x0 > ARC_FROM * line else None
        if arcs is not None:
            parts, part_count = arcs
            branched = True
        else:
            seams = _seams(inside, line, pen) if wide else np.zeros((0, y1 - y0), np.int64)
            if len(seams):
                seams = seams[[_separates(inside, seam, line, pen) for seam in seams]]
            # Each pixel's part: how many seams run left of it (or through it) in its row.
            parts = (np.arange(x1 - x0)[None, None, :] >= seams[:, :, None]).sum(axis=0)
            part_count = len(seams) + 1
        for part_number in range(part_count):
            part = inside & (parts == part_number)
            where = ink_box(part)
            if where is None:
                continue
            number += 1
            region = atoms[y0:y1, x0:x1]
            region[part] = number
            rows, cols = where
            atom_boxes.append(np.array([x0 + cols.start, y0 + rows.start, x0 + cols.stop, y0 + rows.stop]))
            atom_group.append(index)
    group_of_atom = np.array(atom_group, np.int64)
    cluster = np.asarray(_clusters(blob_of_piece, groups), np.int64)[group_of_atom]
    blob = np.array([blob_of_piece[groups[g][0] + 1] for g in atom_group], np.int64)
    return Atoms(atoms, np.array(atom_boxes, np.int64).reshape(-1, 4), group_of_atom, cluster, blob, line, pen,
                 branched)
