"""The course's figures: digits, learning curves, confusion matrices, filters, pipelines.

Every function takes arrays, draws one figure and returns it, so a notebook cell
that ends with ``plots.something(...)`` shows the picture once. The figures are
plain `matplotlib.figure.Figure` objects, not registered with pyplot: nothing
accumulates in memory and no ``plt.show()`` or ``plt.close()`` is needed. Digits are drawn in grey (white ink
on black, as the network sees them) without ticks; every figure has a title.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import io

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

CELL = 1.25
"""Size of one small picture in a grid, in inches."""


class CourseFigure(Figure):
    """A Matplotlib figure that Jupyter shows as a PNG image, with or without pyplot."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


def _grid(count: int, ncols: int, title: str, cell: float = CELL, extra_height: float = 0.45):
    """A figure with ``count`` picture axes in rows of ``ncols``; spare axes hidden."""
    ncols = max(1, min(ncols, count))
    nrows = -(-count // ncols)
    fig = CourseFigure(figsize=(ncols * cell, nrows * cell + extra_height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[count:]:
        ax.remove()
    fig.suptitle(title)
    return fig, axes[:count]


def _picture(ax, image, title: str | None = None, **imshow):
    """Draw one image without ticks (grey by default); return what `imshow` returns."""
    imshow.setdefault("cmap", "gray")
    shown = ax.imshow(image, **imshow)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=9)
    return shown


def show_digits(
    images: Sequence[np.ndarray],
    titles: Sequence[str] | None = None,
    ncols: int = 10,
    title: str = "Digits",
    cell: float = CELL,
) -> Figure:
    """A grid of digits, with an optional caption over each.

    ``images``: (N, H, W) arrays of any size (MNIST digits or whole canvases),
    each drawn with its own grey range unless it is uint8 (then 0-255). Each
    picture is ``cell`` inches wide, and its caption grows with it (9 points at
    the default `CELL`), so that longer captions over larger pictures stay readable.
    """
    images = list(images)
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"{len(images)} images but {len(titles)} titles")
    fig, axes = _grid(len(images), ncols, title, cell)
    for i, (ax, image) in enumerate(zip(axes, images)):
        limits = {"vmin": 0, "vmax": 255} if np.asarray(image).dtype == np.uint8 else {}
        _picture(ax, image, **limits)
        if titles is not None:
            ax.set_title(titles[i], fontsize=9 * cell / CELL)
    return fig


def samples_per_class(x: np.ndarray, y: np.ndarray, per_class: int = 10, seed: int = 0) -> Figure:
    """One row per digit 0-9, ``per_class`` random examples of it from ``x`` (labels ``y``)."""
    rng = np.random.default_rng(seed)
    fig = CourseFigure(figsize=(per_class * 0.9, 10 * 0.9 + 0.4), layout="constrained")
    axes = fig.subplots(10, per_class, squeeze=False)
    for digit in range(10):
        chosen = rng.choice(np.flatnonzero(y == digit), size=per_class, replace=False)
        for ax, index in zip(axes[digit], chosen):
            _picture(ax, x[index], vmin=0, vmax=255)
        axes[digit, 0].set_ylabel(str(digit), rotation=0, labelpad=10, fontsize=12, va="center")
    fig.suptitle(f"{per_class} random training examples of each digit")
    return fig


def class_counts(counts: Mapping[str, np.ndarray]) -> Figure:
    """Bar charts of how many examples each digit has, one panel per split.

    ``counts``: e.g. ``{"training set": np.bincount(y_train), "test set": ...}``.
    """
    fig = CourseFigure(figsize=(5 * len(counts), 3.2), layout="constrained")
    axes = fig.subplots(1, len(counts), squeeze=False)[0]
    for ax, (name, count) in zip(axes, counts.items()):
        count = np.asarray(count)
        ax.bar(np.arange(len(count)), count, color="tab:blue")
        ax.axhline(count.mean(), color="tab:red", linestyle="--")
        ax.set_xticks(np.arange(len(count)))
        ax.set_xlabel("digit")
        ax.set_ylabel("number of images")
        ax.set_title(f"{name} (dashed: the mean, {count.mean():.0f})")
    fig.suptitle("Class balance")
    return fig


def functions(curves: Mapping[str, Callable[[np.ndarray], np.ndarray]], z: np.ndarray | None = None) -> Figure:
    """Plot functions of one variable side by side (activation functions), one panel each."""
    z = np.linspace(-5, 5, 201) if z is None else z
    fig = CourseFigure(figsize=(3.6 * len(curves), 3.2), layout="constrained")
    axes = fig.subplots(1, len(curves), squeeze=False)[0]
    for ax, (name, function) in zip(axes, curves.items()):
        ax.axhline(0, color="0.7", linewidth=0.8)
        ax.axvline(0, color="0.7", linewidth=0.8)
        ax.plot(z, function(z), linewidth=2)
        ax.set_title(name)
        ax.set_xlabel("z (weighted sum)")
        ax.set_ylabel("activation")
        ax.grid(alpha=0.3)
    fig.suptitle("Activation functions")
    return fig


def convolution(image: np.ndarray, kernel: np.ndarray, feature_map: np.ndarray, title: str = "A convolution") -> Figure:
    """An image, the filter slid over it (its weights written in) and the resulting feature map."""
    fig = CourseFigure(figsize=(10, 3.6), layout="constrained")
    ax_image, ax_kernel, ax_map = fig.subplots(1, 3)
    _picture(ax_image, image, f"input {image.shape[0]}x{image.shape[1]}")
    limit = float(np.abs(kernel).max()) or 1.0
    _picture(ax_kernel, kernel, f"filter {kernel.shape[0]}x{kernel.shape[1]}", cmap="bwr", vmin=-limit, vmax=limit)
    for (row, col), weight in np.ndenumerate(kernel):
        ax_kernel.text(col, row, f"{weight:g}", ha="center", va="center", fontsize=12)
    limit = float(np.abs(feature_map).max()) or 1.0
    shown = _picture(ax_map, feature_map, f"feature map {feature_map.shape[0]}x{feature_map.shape[1]}",
             cmap="bwr", vmin=-limit, vmax=limit)
    fig.colorbar(shown, ax=ax_map, shrink=0.8, label="filter response")
    fig.suptitle(title)
    return fig


def mnist_format(images: Sequence[np.ndarray], titles: Sequence[str] | None = None,
                 box: int = 20, title: str = "The MNIST format") -> Figure:
    """Digits with their ink's bounding box (red), the centre of mass (+) and the field's centre (x).

    Shows what "fitted in a 20x20 box, centre of mass at the centre" means.
    """
    from scipy import ndimage

    from .preprocess import ink_box

    images = list(images)
    fig, axes = _grid(len(images), len(images), title, cell=2.4, extra_height=0.6)
    for i, (ax, image) in enumerate(zip(axes, images)):
        image = np.asarray(image, dtype=np.float64)
        _picture(ax, image, titles[i] if titles is not None else None)
        rows, cols = ink_box(image)
        height, width = rows.stop - rows.start, cols.stop - cols.start
        ax.add_patch(Rectangle((cols.start - 0.5, rows.start - 0.5), width, height,
                               fill=False, edgecolor="red", linewidth=1.5))
        mass_row, mass_col = ndimage.center_of_mass(image)
        ax.plot(mass_col, mass_row, "+", color="cyan", markersize=14, markeredgewidth=2)
        center = (image.shape[0] - 1) / 2  # pixel centres run 0..27: the middle is 13.5
        ax.plot(center, center, "x", color="yellow", markersize=8, markeredgewidth=1.5)
        ax.set_xlabel(f"box {width}x{height}", fontsize=9)
    fig.suptitle(f"{title}: ink box (red), centre of mass (+), middle of the field (x)")
    return fig


def learning_curves(history: Mapping[str, Sequence[float]]) -> Figure:
    """Loss and accuracy per epoch, on the training data and the validation data.

    ``history``: Keras's ``History.history`` (keys ``loss``, ``accuracy``,
    ``val_loss``, ``val_accuracy``).
    """
    fig = CourseFigure(figsize=(10, 3.6), layout="constrained")
    axes = fig.subplots(1, 2)
    for ax, metric in zip(axes, ("loss", "accuracy")):
        epochs = np.arange(1, len(history[metric]) + 1)
        ax.plot(epochs, history[metric], "o-", label="training")
        ax.plot(epochs, history[f"val_{metric}"], "s--", label="validation")
        ax.set_xticks(epochs)
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_title(metric.capitalize())
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle("Learning curves")
    return fig


def confusion_matrix(matrix: np.ndarray, title: str = "Confusion matrix") -> Figure:
    """A (10, 10) confusion matrix (rows: true digit, columns: predicted) with its counts written in.

    The colour scale is logarithmic so that the few mistakes off the diagonal show.
    """
    from matplotlib.colors import LogNorm

    matrix = np.asarray(matrix)
    fig = CourseFigure(figsize=(6.4, 5.6), layout="constrained")
    ax = fig.subplots()
    shown = ax.imshow(np.maximum(matrix, 0.5), cmap="Blues", norm=LogNorm(vmin=0.5, vmax=max(matrix.max(), 1)))
    threshold = np.sqrt(max(matrix.max(), 1))
    for (row, col), count in np.ndenumerate(matrix):
        if count:
            ax.text(col, row, str(count), ha="center", va="center", fontsize=8,
                    color="white" if count > threshold else "black")
    ax.set_xticks(np.arange(matrix.shape[1]))
    ax.set_yticks(np.arange(matrix.shape[0]))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(title)
    fig.colorbar(shown, ax=ax, label="number of test images (log scale)")
    return fig


def filters(kernels: np.ndarray, title: str = "First-layer filters") -> Figure:
    """The filters of a Conv2D layer with one input channel: ``kernels`` (3, 3, 1, N) or (3, 3, N).

    Blue weights are negative, red positive, on one symmetric scale for all of them.
    """
    kernels = np.asarray(kernels)
    if kernels.ndim == 4:
        kernels = kernels[:, :, 0, :]
    count = kernels.shape[-1]
    fig, axes = _grid(count, 8, title, cell=1.0)
    limit = float(np.abs(kernels).max()) or 1.0
    for i, ax in enumerate(axes):
        _picture(ax, kernels[:, :, i], f"#{i}", cmap="bwr", vmin=-limit, vmax=limit)
    return fig


def feature_maps(maps: np.ndarray, title: str = "Feature maps", ncols: int = 8) -> Figure:
    """The channels of one layer's output for one image: ``maps`` (H, W, C)."""
    maps = np.asarray(maps)
    fig, axes = _grid(maps.shape[-1], ncols, title, cell=1.1)
    for i, ax in enumerate(axes):
        _picture(ax, maps[:, :, i], f"#{i}", cmap="viridis")
    return fig


def pipeline(rows: Sequence[Mapping[str, np.ndarray]], title: str = "From a drawing to MNIST") -> Figure:
    """Stages of a preprocessing pipeline, one row per input, one column per stage.

    ``rows``: for each input, a mapping from stage name to image (all rows have
    the same stage names). Each picture is captioned with its size.
    """
    names = list(rows[0])
    fig = CourseFigure(figsize=(1.8 * len(names), 1.9 * len(rows) + 0.5), layout="constrained")
    axes = fig.subplots(len(rows), len(names), squeeze=False)
    for r, stages in enumerate(rows):
        for c, name in enumerate(names):
            image = np.asarray(stages[name])
            limits = {"vmin": 0, "vmax": 255} if image.dtype == np.uint8 else {"vmin": 0.0, "vmax": 1.0}
            _picture(axes[r, c], image, name if r == 0 else None, **limits)
            axes[r, c].set_xlabel(f"{image.shape[1]}x{image.shape[0]}", fontsize=8)
    fig.suptitle(title)
    return fig


def accuracies(results: Mapping[str, float], title: str = "Accuracy on drawn digits") -> Figure:
    """A horizontal bar per method with its accuracy (0-1) written at the end of the bar."""
    names = list(results)
    values = np.array([results[name] for name in names], dtype=float)
    fig = CourseFigure(figsize=(8, 0.55 * len(names) + 1.2), layout="constrained")
    ax = fig.subplots()
    bars = ax.barh(np.arange(len(names)), values, color="tab:blue")
    ax.bar_label(bars, labels=[f"{v:.1%}" for v in values], padding=3)
    ax.set_yticks(np.arange(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    ax.set_xlabel("accuracy")
    ax.set_title(title)
    return fig


def compared_accuracies(results: Mapping[str, Mapping[str, float]], title: str = "Accuracy of two models",
                        start: float = 0.0) -> Figure:
    """Bars of several models' accuracies (0-1) on several sets: one group per set, one colour per model.

    ``results`` maps each set's name to ``{model name: accuracy}``; every set has the same models.
    The accuracy axis starts at ``start`` (0 by default; higher to tell close accuracies apart).
    """
    sets = list(results)
    models = list(results[sets[0]]) if sets else []
    if any(list(results[name]) != models for name in sets):
        raise ValueError("every set must have the same models, in the same order")
    height = 0.8 / max(1, len(models))
    fig = CourseFigure(figsize=(9, 0.4 * len(sets) * len(models) + 1.8), layout="constrained")
    ax = fig.subplots()
    for m, model in enumerate(models):
        values = [results[name][model] for name in sets]
        bars = ax.barh(np.arange(len(sets)) + (m - (len(models) - 1) / 2) * height, values, height, label=model)
        ax.bar_label(bars, labels=[f"{v:.1%}" for v in values], padding=3, fontsize=8)
    ax.set_yticks(np.arange(len(sets)), sets)
    ax.invert_yaxis()
    ax.set_xlim(start, 1 + 0.15 * (1 - start))
    ax.set_xlabel("accuracy" if start == 0 else f"accuracy (the axis starts at {start:.0%})")
    fig.legend(loc="outside lower center", ncols=min(len(models), 2), frameon=False)
    ax.set_title(title)
    return fig


def doubt_tradeoff(curves: Mapping[str, tuple[np.ndarray, np.ndarray]], chosen: tuple[float, float] | None = None,
                   title: str = "Catching non-digits costs doubting some real digits") -> Figure:
    """One curve per way of judging "not a digit": the share of real digits wrongly doubted (x) against the
    share of non-digits caught (y), as the threshold moves.

    ``curves`` maps a name to two equal-length arrays of shares in [0, 1] (x, y); ``chosen`` marks the
    threshold in use. The x axis is logarithmic from 0.1%, where the interesting costs lie.
    """
    fig = CourseFigure(figsize=(7.5, 4.8), layout="constrained")
    ax = fig.subplots()
    for name, (doubted, caught) in curves.items():
        doubted, caught = np.asarray(doubted, dtype=float), np.asarray(caught, dtype=float)
        if doubted.shape != caught.shape:
            raise ValueError(f"{name}: the two arrays differ in length")
        ax.plot(np.maximum(doubted, 1e-3), caught, label=name)
    if chosen is not None:
        ax.plot(max(chosen[0], 1e-3), chosen[1], "o", color="black", label="the threshold in use")
    ax.set_xscale("log")
    ax.set_xlim(1e-3, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:.1%}".replace(".0%", "%"))
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    ax.set_xlabel("real digits wrongly doubted (log scale)")
    ax.set_ylabel("non-digits caught")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    ax.set_title(title)
    return fig


# ---------------------------------------------------------------- notebook 07: numbers and photos

def _wide_figure(image: np.ndarray, title: str, height: float):
    """A figure with one tick-free axes sized to ``image``'s proportions, ``height`` inches for the picture."""
    rows, columns = np.shape(image)[:2]
    fig = CourseFigure(figsize=(max(height * columns / max(rows, 1), 2.5), height + 0.45), layout="constrained")
    ax = fig.subplots()
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    return fig, ax


def boxed(image: np.ndarray, boxes: Sequence[Sequence[float]], captions: Sequence[str] | None = None,
          title: str = "Boxes on a picture", height: float = 2.6) -> Figure:
    """A picture with boxes outlined on it, each with an optional caption above it.

    ``image``: (H, W) grey (uint8 shown 0-255, floats with their own range) or (H, W, 3) RGB (uint8, or
    floats in [0, 1]). ``boxes``: ``(x0, y0, x1, y1)`` in the picture's pixels, ends exclusive, as
    `digits.recognize_number` gives them. ``captions``: one string per box. ``height``: inches of picture;
    the width follows its shape. Raises ``ValueError`` when captions and boxes differ in number.
    """
    boxes = [tuple(float(v) for v in box) for box in boxes]
    if captions is not None and len(captions) != len(boxes):
        raise ValueError(f"{len(boxes)} boxes but {len(captions)} captions")
    image = np.asarray(image)
    fig, ax = _wide_figure(image, title, height)
    limits = {"vmin": 0, "vmax": 255} if image.dtype == np.uint8 and image.ndim == 2 else {}
    ax.imshow(image, cmap="gray", **limits)
    for number, (x0, y0, x1, y1) in enumerate(boxes):
        ax.add_patch(Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False, edgecolor="tab:red", linewidth=1.5))
        if captions is not None:
            ax.text(x0, y0 - 2, captions[number], color="tab:red", fontsize=9, va="bottom", clip_on=False)
    return fig


def pieces(labels: np.ndarray, title: str = "Pieces of ink", height: float = 2.6) -> Figure:
    """A label image with each piece in its own colour on white paper, its number written at its centre.

    ``labels``: (H, W) integers, 0 for paper and 1..n for the pieces (as `cv2.connectedComponents` or
    `digits.segment.Atoms.labels` give them). Neighbouring numbers get different colours (ten, repeating).
    """
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    labels = np.asarray(labels)
    count = int(labels.max()) if labels.size else 0
    palette = colormaps["tab10"].colors
    colours = ListedColormap([(1.0, 1.0, 1.0)] + [palette[k % len(palette)] for k in range(max(count, 1))])
    fig, ax = _wide_figure(labels, title, height)
    ax.imshow(labels, cmap=colours, vmin=-0.5, vmax=max(count, 1) + 0.5, interpolation="nearest")
    for number in range(1, count + 1):
        rows, columns = np.nonzero(labels == number)
        if len(rows):
            ax.text(columns.mean(), rows.mean(), str(number), ha="center", va="center", fontsize=9,
                    color="black", bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.8, "linewidth": 0})
    return fig
