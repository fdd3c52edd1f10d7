"""Saying "that is not a digit": the judge behind `Prediction.is_digit`, its files, and the drawings it learns from."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import digits
from digits.model_files import NOT_A_DIGIT_MODEL, SHIPPED_MODEL, SHIPPED_ONNX, ModelLoadError, file_sha256, read_card
from digits.networks import OnnxNetwork
from digits.pendigits import PenDigits
from digits.nondigits import (CYRILLIC, KINDS, LETTERS, PEN_WIDTHS, SYMBOLS, _pen_traced, fonts_with, nondigit_drawings,
                              outline_fonts)
from digits.not_a_digit import DigitJudge, FeatureStatistics, fit_logistic
from digits.recognize import Prediction, shipped_recognizer
from conftest import SHARED_HANDWRITING, as_canvas_drawing, needs_real_sets

HANDWRITING = Path(os.environ.get("DIGITS_HANDWRITING") or SHARED_HANDWRITING)


def _sample(name: str, n: int, seed: int = 0):
    """``n`` pictures of a real measuring set, chosen at random (seeded), with their labels."""
    with np.load(HANDWRITING / f"{name}_dev.npz") as data:
        labels = data["labels"] if "labels" in data else data["chars"]
        chosen = np.sort(np.random.default_rng(seed).choice(len(labels), n, replace=False))
        return data["images"][chosen], labels[chosen]


# --- the shipped judge ---------------------------------------------------------------------------------------


def test_the_judge_was_fitted_for_the_shipped_network():
    card = json.loads(NOT_A_DIGIT_MODEL.with_suffix(".json").read_text())
    assert card["for_network_sha256"] == file_sha256(SHIPPED_MODEL), \
        "models/not_a_digit.* is stale: run `python -m digits.train_judge`"
    assert read_card(SHIPPED_MODEL)["not_a_digit"] == {"file": NOT_A_DIGIT_MODEL.name}
    assert shipped_recognizer().judge is not None


@needs_real_sets
def test_real_letters_are_mostly_not_digits_and_real_digits_are():
    letters, chars = _sample("nondigits", 200)
    flagged = np.mean([digits.recognize(letter).unsure for letter in letters])
    assert flagged >= 0.8, f"only {flagged:.0%} of real letters flagged"
    for name in ("uji2", "pendigits"):
        pictures, _ = _sample(name, 200)
        not_digits = np.mean([not digits.recognize(picture).is_digit for picture in pictures])
        assert not_digits <= 0.03, f"{not_digits:.1%} of real {name} digits called not a digit"


@needs_real_sets
def test_a_letter_keeps_its_ten_probabilities_and_is_unsure():
    letters, chars = _sample("nondigits", 60, seed=1)
    recognizer = shipped_recognizer()
    without_judge = digits.Recognizer(recognizer.network, recognizer.temperature)
    judged = [recognizer(letter) for letter in letters]
    caught = [p for p in judged if not p.is_digit]
    assert caught, "no letter was called not a digit"
    for prediction, letter in zip(judged, letters):
        assert prediction.probabilities == pytest.approx(without_judge(letter).probabilities, abs=1e-9)
    assert all(p.unsure for p in caught)
    assert all(p.is_digit for p in (without_judge(letter) for letter in letters))


def test_mnist_digits_drawn_on_the_pad_are_digits(mnist):
    (_, _), (x_test, _) = mnist
    pictures = [as_canvas_drawing(image) for image in x_test[:300]]
    assert np.mean([digits.recognize(p).is_digit for p in pictures]) >= 0.98


def test_judge_mnist_matches_one_picture_at_a_time(mnist):
    images = np.stack([digits.to_mnist(as_canvas_drawing(x)) for x in mnist[1][0][:20]])
    letters = nondigit_drawings(20, seed=5)[0]
    batch = np.concatenate([images, letters])
    probabilities, is_digit = shipped_recognizer().judge_mnist(batch)
    assert probabilities.shape == (40, 10) and is_digit.shape == (40,) and is_digit.dtype == bool
    one_by_one = [shipped_recognizer().judge_mnist(image[None]) for image in batch]
    assert is_digit.tolist() == [bool(verdict[0]) for _, verdict in one_by_one]
    assert np.allclose(probabilities, [p[0] for p, _ in one_by_one], atol=1e-5)
    assert np.allclose(probabilities, shipped_recognizer().predict_mnist(batch), atol=1e-6)
    assert not is_digit[20:].all() and is_digit[:20].mean() >= 0.9


def test_a_network_without_features_cannot_have_a_judge():
    class TenOnly:
        def probabilities(self, batch):
            return np.full((len(batch), 10), 0.1, np.float32)

    with pytest.raises(ValueError, match="features"):
        digits.Recognizer(TenOnly(), judge=shipped_recognizer().judge)
    assert digits.Recognizer(TenOnly())(np.pad(np.ones((50, 8)), 40)).is_digit


def test_the_onnx_copy_gives_the_keras_networks_penultimate_features(mnist):
    import keras

    model = digits.load_model()
    features_of = keras.Model(model.inputs[0], model.layers[-1].input)
    batch = (mnist[1][0][:500].astype(np.float32) / 255.0)[..., None]
    _, features = OnnxNetwork(SHIPPED_ONNX).probabilities_and_features(batch)
    assert features.shape == (500, model.layers[-1].input.shape[-1])
    assert np.abs(features - features_of.predict(batch, verbose=0)).max() <= 1e-4


def test_prediction_of_a_non_digit_is_unsure_whatever_its_probability():
    image = np.zeros((28, 28), np.float32)
    sure = Prediction(8, 0.99, (0.0,) * 8 + (0.99, 0.01), image)
    assert not sure.unsure and sure.is_digit
    assert Prediction(8, 0.99, sure.probabilities, image, is_digit=False).unsure


# --- damaged or missing files ----------------------------------------------------------------------------------


@pytest.fixture()
def judge_copy(tmp_path):
    for suffix in (".onnx", ".npz", ".json"):
        shutil.copy(NOT_A_DIGIT_MODEL.with_suffix(suffix), tmp_path / f"judge{suffix}")
    card = json.loads((tmp_path / "judge.json").read_text())
    card["features_file"] = "judge.npz"
    (tmp_path / "judge.json").write_text(json.dumps(card))
    return tmp_path / "judge.onnx"


def test_a_copy_of_the_judge_loads_and_agrees(judge_copy):
    images = nondigit_drawings(5, seed=2)[0][..., None]
    _, features = OnnxNetwork(SHIPPED_ONNX).probabilities_and_features(images)
    assert np.allclose(DigitJudge.from_file(judge_copy).digit_score(images, features),
                       shipped_recognizer().judge.digit_score(images, features))


@pytest.mark.parametrize("damage", ["no card", "card not json", "card without threshold", "no statistics",
                                    "statistics corrupt", "onnx corrupt", "spread zero"])
def test_a_damaged_judge_is_a_clear_error(judge_copy, damage):
    folder = judge_copy.parent
    card = json.loads((folder / "judge.json").read_text())
    if damage == "no card":
        (folder / "judge.json").unlink()
    elif damage == "card not json":
        (folder / "judge.json").write_text("{not json")
    elif damage == "card without threshold":
        del card["threshold"]
        (folder / "judge.json").write_text(json.dumps(card))
    elif damage == "spread zero":
        card["spread"] = [1.0, 0.0, 1.0]
        (folder / "judge.json").write_text(json.dumps(card))
    elif damage == "no statistics":
        (folder / "judge.npz").unlink()
    elif damage == "statistics corrupt":
        (folder / "judge.npz").write_bytes(b"PK\x03\x04 truncated")
    else:
        judge_copy.write_bytes(os.urandom(300))
    with pytest.raises(ModelLoadError, match="train_judge"):
        DigitJudge.from_file(judge_copy)


# --- the pieces ----------------------------------------------------------------------------------------------


def test_fit_logistic_separates_two_clouds():
    rng = np.random.default_rng(0)
    near, far = rng.normal(0, 1, (400, 5)), rng.normal(3, 1, (400, 5))
    mean, std, weights, bias = fit_logistic(near, far)
    log_odds = ((np.concatenate([near, far]) - mean) / std) @ weights + bias
    assert np.mean(log_odds[:400] > 0) > 0.95 and np.mean(log_odds[400:] < 0) > 0.95


def test_mahalanobis_is_zero_at_a_class_mean_and_grows_away_from_it(tmp_path):
    rng = np.random.default_rng(1)
    labels = np.repeat(np.arange(10), 50)
    features = rng.normal(0, 1, (500, 4)) + labels[:, None] * 10.0
    statistics = FeatureStatistics.fit(features, labels, fit_logistic(features, features + 100))
    at_means = statistics.mahalanobis(statistics.class_means)
    assert np.allclose(at_means, 0.0, atol=1e-9)
    assert np.all(statistics.mahalanobis(statistics.class_means + 5.0) < -1.0)
    points = rng.normal(0, 30, (7, 4))
    by_hand = [-min((x - m) @ statistics.precision @ (x - m) for m in statistics.class_means) for x in points]
    assert np.allclose(statistics.mahalanobis(points), by_hand)
    statistics.save(tmp_path / "s.npz")
    assert np.allclose(FeatureStatistics.load(tmp_path / "s.npz").mahalanobis(features), statistics.mahalanobis(features))


def test_nondigit_drawings_are_seeded_mnist_format_and_of_every_kind(pen_train):
    images, kinds = nondigit_drawings(200, seed=3, pen_strokes=pen_train.strokes[:100])
    again, _ = nondigit_drawings(200, seed=3, pen_strokes=pen_train.strokes[:100])
    assert images.shape == (200, 28, 28) and images.dtype == np.float32
    assert np.array_equal(images, again)
    assert 0.0 <= images.min() and images.max() <= 1.0 and np.all(images.reshape(200, -1).max(axis=1) > 0.5)
    assert set(kinds) == set(KINDS)
    assert "overlaid digits" not in set(nondigit_drawings(50, seed=3)[1])
    with pytest.raises(ValueError):
        nondigit_drawings(0)


def test_letters_are_drawn_only_in_faces_that_have_them():
    import matplotlib

    names = [path.name for path in outline_fonts()]
    assert len(names) == len(set(names))  # a face found twice counts once
    shipped = {p.name for p in (Path(matplotlib.get_data_path()) / "fonts" / "ttf").glob("DejaVu*.ttf")}
    assert shipped and shipped <= set(names)
    computer_modern = [p for p in outline_fonts() if p.name == "cmr10.ttf"]  # Latin only, as Matplotlib ships it
    assert computer_modern and computer_modern[0] in fonts_with("A") and computer_modern[0] not in fonts_with("Ж")
    assert fonts_with("Ж") and not any(p.name.startswith(("cmsy10", "STIXSiz")) for p in outline_fonts())


def test_a_traced_glyph_is_one_pen_wide_wherever_the_print_was_thick_or_thin():
    import cv2

    printed = np.zeros((320, 320), np.uint8)
    printed[60:260, 60:140] = 255   # a thick bar, 80 px wide
    printed[60:260, 200:206] = 255  # a thin one, 6 px wide
    traced = _pen_traced(printed, np.random.default_rng(0))
    pad = (traced.shape[0] - 320) // 2  # room for the pen all round
    assert traced.shape == (320 + 2 * pad, 320 + 2 * pad)
    traced = traced[pad:-pad, pad:-pad]
    inside = cv2.distanceTransform((traced > 127).view(np.uint8), cv2.DIST_L2, 5)
    thick_half, thin_half = inside[:, :170].max(), inside[:, 170:].max()
    assert abs(thick_half - thin_half) <= 1.5, (thick_half, thin_half)  # one pen, both bars
    assert PEN_WIDTHS[0] / 2 * 200 - 1.5 <= thick_half <= PEN_WIDTHS[1] / 2 * 200 + 1.5  # half the pen
    assert traced[160, 100] == 255 and traced[160, 62] == 0  # along the middle of the thick bar, not its edge


def test_no_character_that_a_digit_can_look_like_is_drawn():
    digit_like = set("OoQDIlijJ|/!ZzSs$bGBgqd0123456789ЗЭЧбБЬ")
    assert not digit_like & set(LETTERS + CYRILLIC + SYMBOLS)


def test_fitting_a_judge_writes_files_that_recognition_finds(mnist, pen_train, monkeypatch, tmp_path):
    # The whole recipe of `python -m digits.train_judge` on slices, one epoch: seconds instead of 15 minutes.
    import digits.train_judge as train_judge
    from digits.export import export_onnx
    from digits.model_files import judge_path

    (x_train, y_train), test = mnist
    monkeypatch.setattr(train_judge, "load_mnist", lambda: ((x_train[:900], y_train[:900]), test))
    every_25th = PenDigits(pen_train.strokes[::25], pen_train.labels[::25], pen_train.writers[::25])  # all writers
    monkeypatch.setattr(train_judge, "load_pendigits", lambda split: every_25th)
    for name, value in {"MNIST_DIGITS": 300, "STYLED_DIGITS": 60, "SCANNED_DIGITS": 60, "HELD_OUT_SCANS": 40,
                        "HELD_OUT_NONDIGITS": 60, "NONDIGITS": 300, "EPOCHS": 1}.items():
        monkeypatch.setattr(train_judge, name, value)
    network = tmp_path / "small.keras"
    shutil.copy(SHIPPED_MODEL, network)
    network.with_suffix(".json").write_text(json.dumps({"temperature": 1.5}))
    export_onnx(network)

    card = train_judge.fit_judge(network, verbose=0)

    judge_file = judge_path(network)
    assert judge_file.is_file() and judge_file.with_suffix(".npz").is_file()
    assert card["for_network_sha256"] == file_sha256(network) and card["file"] == judge_file.name
    assert set(card["thresholds_of_each_way_alone"]) == {"top probability", "energy", "logistic", "mahalanobis", "cnn"}
    assert 0 <= card["held_out_digits_flagged"] <= 0.05
    assert json.loads(network.with_suffix(".json").read_text())["not_a_digit"] == {"file": judge_file.name}
    recognizer = digits.Recognizer.from_file(network.with_suffix(".onnx"))
    assert recognizer.judge is not None and recognizer.judge.threshold == pytest.approx(card["threshold"])
    assert isinstance(recognizer(as_canvas_drawing(x_train[0])).is_digit, bool)

