"""Running the networks: the shipped one on ONNX Runtime, without TensorFlow, answering as the Keras model does."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys

import numpy as np
import pytest

import digits
from digits.model_files import SHIPPED_MODEL, SHIPPED_ONNX, ModelLoadError, file_sha256, read_card
from digits.networks import KerasNetwork, OnnxNetwork
from conftest import REPO, as_canvas_drawing


def test_import_recognize_and_the_pad_need_no_tensorflow():
    script = (
        "import sys, numpy as np, digits\n"
        "canvas = np.zeros((280, 280, 4), np.uint8); canvas[60:220, 130:150, 3] = 255\n"
        "print(digits.recognize(canvas).digit)\n"
        "digits.DrawingPad()\n"
        "print(sorted(m for m in ('scipy', 'tensorflow', 'keras') if m in sys.modules))\n"
        "digits.DrawingPad(number=True)\n"
        "print(sorted(m for m in ('scipy.ndimage', 'tensorflow', 'keras') if m in sys.modules))\n"
        "print(digits.recognize_number(np.hstack([canvas, canvas])).text)\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    digit, single_pad, number_pad, number, imported = done.stdout.split("\n")[:5]
    assert digit == "1" and single_pad == "[]", done.stdout  # a digit and its pad need neither SciPy nor TensorFlow
    assert number_pad == "['scipy.ndimage']", done.stdout  # the number pad loads what splitting needs when it is made
    assert number == "11" and imported == "[]", done.stdout


def test_the_parts_imported_on_first_use_are_the_modules_own():
    from digits import numbers, photos, widget

    assert digits.recognize_number is numbers.recognize_number
    assert digits.NotAPictureError is photos.NotAPictureError
    assert digits.DrawingPad is widget.DrawingPad
    with pytest.raises(AttributeError, match="no attribute 'recognise'"):
        digits.recognise


def test_the_onnx_copy_was_exported_from_the_shipped_keras_model():
    assert read_card(SHIPPED_MODEL)["onnx"] == {
        "file": SHIPPED_ONNX.name, "exported_from_sha256": file_sha256(SHIPPED_MODEL),
    }, "models/digits_cnn.onnx is stale: run `python -m digits.export`"


def test_onnx_runtime_and_tensorflow_give_the_same_probabilities_on_the_mnist_test_set(mnist):
    (_, _), (x_test, _) = mnist
    batch = (x_test.astype(np.float32) / 255.0)[..., np.newaxis]
    onnx = OnnxNetwork(SHIPPED_ONNX).probabilities(batch)
    keras = KerasNetwork(digits.load_model()).probabilities(batch)
    assert onnx.shape == keras.shape == (10000, 10)
    assert np.abs(onnx - keras).max() <= 1e-5


def test_recognize_runs_the_onnx_copy_with_the_cards_temperature(mnist):
    from digits.recognize import shipped_recognizer

    recognizer = shipped_recognizer()
    assert isinstance(recognizer.network, OnnxNetwork) and recognizer.network.path == SHIPPED_ONNX
    assert recognizer.temperature == read_card(SHIPPED_MODEL)["temperature"] != 1.0
    keras_recognizer = digits.Recognizer.from_file(SHIPPED_MODEL)
    assert keras_recognizer.temperature == recognizer.temperature
    for image in mnist[1][0][:10]:
        drawing = as_canvas_drawing(image)
        assert np.allclose(digits.recognize(drawing).probabilities, keras_recognizer(drawing).probabilities, atol=1e-5)


def test_one_thread_by_default():
    assert OnnxNetwork(SHIPPED_ONNX).threads == 1


def test_missing_or_corrupt_onnx_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelLoadError, match="No model file") as missing:
        OnnxNetwork(tmp_path / "none.onnx")
    assert "python -m digits.train" in str(missing.value)
    corrupt = tmp_path / "corrupt.onnx"
    corrupt.write_bytes(SHIPPED_ONNX.read_bytes()[:5000])
    with pytest.raises(ModelLoadError, match="is damaged: ONNX Runtime cannot read it") as broken:
        OnnxNetwork(corrupt)
    assert broken.value.__cause__ is None and broken.value.__suppress_context__


def test_onnx_model_of_the_wrong_shape_is_a_clear_error(tmp_path):
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])], "not_digits",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 5])],
    )
    path = tmp_path / "wrong.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)
    with pytest.raises(ModelLoadError, match="not a digit recogniser"):
        OnnxNetwork(path)


def _recognized_digit(image):
    return digits.recognize(image).digit


def test_a_forked_process_recognises_after_the_parent_did(mnist):
    image = as_canvas_drawing(mnist[1][0][0])
    expected = digits.recognize(image).digit  # the parent's session exists before the fork
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map_async(_recognized_digit, [image, image]).get(timeout=60) == [expected, expected]


def test_recognizer_from_a_keras_file_or_its_onnx_copy_agree(mnist):
    images = mnist[1][0][:30] / 255.0
    from_keras = digits.Recognizer.from_file(SHIPPED_MODEL).predict_mnist(images)
    from_onnx = digits.Recognizer.from_file(SHIPPED_ONNX).predict_mnist(images)
    assert np.abs(from_keras - from_onnx).max() <= 1e-5
    assert np.allclose(from_onnx.sum(axis=1), 1.0, atol=1e-5)


def test_exporting_a_copy_elsewhere_leaves_the_models_card_alone(tmp_path):
    from digits.export import export_onnx

    card_before = (SHIPPED_MODEL.with_suffix(".json")).read_bytes()
    copy = export_onnx(SHIPPED_MODEL, tmp_path / "elsewhere.onnx")
    assert (SHIPPED_MODEL.with_suffix(".json")).read_bytes() == card_before
    images = np.zeros((2, 28, 28, 1), np.float32)
    images[:, 5:23, 12:16] = 1.0
    assert np.allclose(OnnxNetwork(copy).probabilities(images), OnnxNetwork(SHIPPED_ONNX).probabilities(images),
                       atol=1e-6)
