"""The course's figures: each function draws what its name says, titled, and shows in Jupyter as a PNG."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from digits import plots


def image_axes(fig):
    """The axes of a figure that show an image."""
    return [ax for ax in fig.axes if ax.images]


def tick_free(ax) -> bool:
    return not ax.get_xticks().size and not ax.get_yticks().size


@pytest.fixture
def digits_batch():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(12, 28, 28), dtype=np.uint8)


def test_figures_render_as_png_for_jupyter(digits_batch):
    fig = plots.show_digits(digits_batch[:3])
    assert isinstance(fig, Figure)
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_show_digits_draws_one_tick_free_grey_picture_per_image_with_its_caption(digits_batch):
    titles = [f"label {i}" for i in range(12)]
    fig = plots.show_digits(digits_batch, titles=titles, ncols=5, title="Some digits")
    axes = image_axes(fig)
    assert len(fig.axes) == len(axes) == 12  # the 3 spare cells of the 3x5 grid are removed
    assert [ax.get_title() for ax in axes] == titles
    assert all(tick_free(ax) for ax in axes)
    assert axes[0].images[0].get_cmap().name == "gray"
    assert fig.get_suptitle() == "Some digits"


def test_show_digits_captions_grow_with_the_pictures(digits_batch):
    small = plots.show_digits(digits_batch[:2], titles=["5, said 3 (100%)"] * 2)
    large = plots.show_digits(digits_batch[:2], titles=["5, said 3 (100%)"] * 2, cell=2 * plots.CELL)
    assert [ax.title.get_fontsize() for ax in image_axes(small)] == [9, 9]
    assert [ax.title.get_fontsize() for ax in image_axes(large)] == [18, 18]


def test_show_digits_rejects_a_caption_count_that_does_not_match(digits_batch):
    with pytest.raises(ValueError, match="titles"):
        plots.show_digits(digits_batch[:3], titles=["only one"])


def test_samples_per_class_has_a_row_of_examples_for_each_digit():
    x = np.random.default_rng(1).integers(0, 256, size=(200, 28, 28), dtype=np.uint8)
    y = np.arange(200) % 10
    fig = plots.samples_per_class(x, y, per_class=4)
    assert len(image_axes(fig)) == 40
    assert [fig.axes[row * 4].get_ylabel() for row in range(10)] == [str(d) for d in range(10)]
    assert fig.get_suptitle()


def test_class_counts_draws_one_bar_per_digit_in_each_panel():
    fig = plots.class_counts({"training set": np.arange(10) + 5, "test set": np.ones(10)})
    assert len(fig.axes) == 2
    assert [len(ax.patches) for ax in fig.axes] == [10, 10]
    assert fig.axes[0].get_title().startswith("training set")
    assert all(ax.get_xlabel() == "digit" and ax.get_ylabel() for ax in fig.axes)


def test_functions_plots_each_function_in_its_own_labelled_panel():
    fig = plots.functions({"ReLU": lambda z: np.maximum(0, z), "tanh": np.tanh})
    assert [ax.get_title() for ax in fig.axes] == ["ReLU", "tanh"]
    line = fig.axes[0].lines[-1]
    assert np.allclose(line.get_ydata(), np.maximum(0, line.get_xdata()))
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes)


def test_convolution_shows_image_filter_and_feature_map_with_the_weights_written_in():
    kernel = np.array([[-1, 0, 1]] * 3)
    fig = plots.convolution(np.zeros((28, 28)), kernel, np.zeros((26, 26)), title="Edges")
    titles = [ax.get_title() for ax in image_axes(fig)]
    assert titles == ["input 28x28", "filter 3x3", "feature map 26x26"]
    assert len(image_axes(fig)[1].texts) == 9
    assert len(fig.axes) == 4  # and a colour bar


def test_mnist_format_marks_the_ink_box_and_names_its_size():
    image = np.zeros((28, 28))
    image[4:24, 10:16] = 1.0  # a 6x20 bar
    fig = plots.mnist_format([image], titles=["bar"])
    ax = fig.axes[0]
    assert ax.get_xlabel() == "box 6x20"
    box = ax.patches[0]
    assert (box.get_width(), box.get_height()) == (6, 20)
    assert len(ax.lines) == 2  # the centre of mass and the middle of the field


def test_learning_curves_plot_training_and_validation_for_loss_and_accuracy():
    history = {"loss": [0.5, 0.2, 0.1], "val_loss": [0.4, 0.3, 0.2],
               "accuracy": [0.9, 0.95, 0.97], "val_accuracy": [0.91, 0.94, 0.96]}
    fig = plots.learning_curves(history)
    assert [ax.get_title() for ax in fig.axes] == ["Loss", "Accuracy"]
    for ax, metric in zip(fig.axes, ("loss", "accuracy")):
        training, validation = ax.lines
        assert list(training.get_xdata()) == [1, 2, 3]
        assert list(training.get_ydata()) == history[metric]
        assert list(validation.get_ydata()) == history[f"val_{metric}"]
        assert ax.get_xlabel() == "epoch"


def test_confusion_matrix_writes_every_nonzero_count_in_its_cell():
    matrix = np.diag(np.arange(1, 11))
    matrix[4, 9] = 7
    fig = plots.confusion_matrix(matrix)
    ax = fig.axes[0]
    written = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}
    assert written[(4, 9)] == "7" and written[(9, 9)] == "10"
    assert len(written) == 11
    assert ax.get_xlabel() == "predicted digit" and ax.get_ylabel() == "true digit"


def test_filters_shows_every_kernel_of_a_conv_layer_on_one_symmetric_scale():
    kernels = np.random.default_rng(2).normal(size=(3, 3, 1, 32))
    fig = plots.filters(kernels)
    axes = image_axes(fig)
    assert len(axes) == 32
    low, high = axes[0].images[0].get_clim()
    assert low == -high == -np.abs(kernels).max()
    assert np.array_equal(axes[5].images[0].get_array(), kernels[:, :, 0, 5])


def test_feature_maps_shows_one_picture_per_channel():
    fig = plots.feature_maps(np.zeros((11, 11, 64)))
    assert len(image_axes(fig)) == 64
    assert fig.get_suptitle() == "Feature maps"


def test_pipeline_lays_out_one_row_per_input_and_one_column_per_stage():
    rows = [{"drawing": np.zeros((280, 280), np.uint8), "crop": np.zeros((50, 30)), "mnist": np.zeros((28, 28))}] * 2
    fig = plots.pipeline(rows)
    axes = image_axes(fig)
    assert len(axes) == 6
    assert [ax.get_title() for ax in axes[:3]] == ["drawing", "crop", "mnist"]
    assert [ax.get_xlabel() for ax in axes[:3]] == ["280x280", "30x50", "28x28"]


def test_compared_accuracies_draws_one_bar_per_model_and_set():
    fig = plots.compared_accuracies({"easy": {"a": 0.9, "b": 0.95}, "hard": {"a": 0.5, "b": 0.8}})
    ax = fig.axes[0]
    assert sorted(p.get_width() for p in ax.patches) == [0.5, 0.8, 0.9, 0.95]
    assert sorted(t.get_text() for t in ax.texts) == ["50.0%", "80.0%", "90.0%", "95.0%"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["easy", "hard"]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "b"]
    with pytest.raises(ValueError, match="same models"):
        plots.compared_accuracies({"easy": {"a": 0.9}, "hard": {"b": 0.8}})


def test_accuracies_draws_a_labelled_bar_per_method():
    fig = plots.accuracies({"naive": 0.25, "full": 0.975})
    ax = fig.axes[0]
    assert [p.get_width() for p in ax.patches] == [0.25, 0.975]
    assert [t.get_text() for t in ax.texts] == ["25.0%", "97.5%"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["naive", "full"]


def test_doubt_tradeoff_draws_one_curve_per_judge_and_marks_the_chosen_threshold():
    curves = {"a": (np.array([0.001, 0.01, 0.1]), np.array([0.2, 0.6, 0.9])),
              "b": (np.array([0.002, 0.05]), np.array([0.1, 0.5]))}
    fig = plots.doubt_tradeoff(curves, chosen=(0.005, 0.9))
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == ["a", "b", "the threshold in use"]
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="differ"):
        plots.doubt_tradeoff({"c": (np.array([0.1]), np.array([0.1, 0.2]))})


def test_boxed_outlines_each_box_where_it_lies_with_its_caption():
    image = np.full((40, 120), 255, np.uint8)
    fig = plots.boxed(image, [(10, 5, 30, 35), (50, 2, 100, 38)], captions=["4 100%", "2 97%"], title="A number")
    [ax] = image_axes(fig)
    rectangles = [patch for patch in ax.patches]
    assert [(r.get_x(), r.get_y(), r.get_width(), r.get_height()) for r in rectangles] == [
        (9.5, 4.5, 20.0, 30.0), (49.5, 1.5, 50.0, 36.0)]
    assert [text.get_text() for text in ax.texts] == ["4 100%", "2 97%"]
    assert ax.get_title() == "A number" and tick_free(ax)
    assert fig.get_figwidth() > 2 * fig.get_figheight()  # as wide as the picture is
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_boxed_shows_a_colour_photo_and_refuses_a_caption_count_that_does_not_match():
    photo = np.zeros((30, 40, 3), np.float32)
    fig = plots.boxed(photo, [(1, 1, 5, 5)])
    assert image_axes(fig)[0].images[0].get_array().shape == (30, 40, 3)
    with pytest.raises(ValueError, match="2 boxes but 1 captions"):
        plots.boxed(photo, [(1, 1, 5, 5), (6, 6, 9, 9)], captions=["one"])


def test_pieces_gives_each_piece_its_own_colour_on_white_paper_and_numbers_it():
    labels = np.zeros((20, 60), np.int32)
    labels[2:18, 2:10], labels[2:18, 20:30], labels[5:10, 40:55] = 1, 2, 3
    fig = plots.pieces(labels, title="Three pieces")
    [ax] = image_axes(fig)
    shown = ax.images[0]
    colours = {tuple(np.round(shown.cmap(shown.norm(k)), 3)) for k in range(4)}
    assert len(colours) == 4 and tuple(np.round(shown.cmap(shown.norm(0)), 3)) == (1.0, 1.0, 1.0, 1.0)
    assert sorted(text.get_text() for text in ax.texts) == ["1", "2", "3"]
    assert ax.get_title() == "Three pieces" and tick_free(ax)
