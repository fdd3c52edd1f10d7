"""Running a trained digit network: ONNX Runtime for the shipped one, TensorFlow for a Keras model.

Both kinds of network answer the same call, ``network.probabilities(batch)``:
(N, 28, 28, 1) float32 MNIST-format images in [0, 1] in, (N, 10) float32 out,
the network's own softmax probabilities (no temperature: `digits.Recognizer`
applies that).

- `OnnxNetwork` runs an exported ``.onnx`` file with ONNX Runtime. Answering needs
  only the arithmetic of the trained layers, so the drawing pad and
  `digits.recognize` never start TensorFlow: a process that imports `digits` and
  recognises one digit stays small and answers at once.
- `KerasNetwork` runs a Keras model with TensorFlow, for a network a student has
  built and trained in the notebooks.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from .model_files import HOW_TO_FIX, INPUT_SHAPE, NUM_CLASSES, ModelLoadError

ONNX_THREADS = 1
"""Threads ONNX Runtime uses inside one call. For one 28x28 image one thread is fastest:
handing the work of a 0.1 ms network to a second thread costs more than it saves
(``python benchmarks/startup.py`` measures it)."""


class OnnxSession:
    """One ``.onnx`` file run by ONNX Runtime on the CPU: one float (N, 28, 28, 1) input, outputs of known widths.

    ``outputs``: the last dimension of each output the caller relies on, in order
    (more outputs may follow). ``what`` and ``how_to_fix`` word the `ModelLoadError`
    raised, naming the file, when it is missing, is not an ONNX model, or takes or
    returns other shapes. Safe to call from several threads. A process forked after
    the file was loaded (``multiprocessing`` on Linux) opens its own session on its
    first call instead of using the parent's.
    """

    def __init__(self, path: str | os.PathLike, outputs: tuple[int, ...], threads: int = ONNX_THREADS,
                 what: str = "digit recogniser", how_to_fix: str = HOW_TO_FIX):
        self.path = Path(path)
        self.threads = int(threads)
        self.widths = tuple(outputs)
        self.what, self.how_to_fix = what, how_to_fix
        self._lock = threading.Lock()
        self._session, self._input = self._open()
        self._pid = os.getpid()
        self.output_widths = tuple(output.shape[-1] for output in self._session.get_outputs())
        """The last dimension of every output the file has."""

    def _open(self):
        import onnxruntime

        if not self.path.is_file():
            raise ModelLoadError(f"No model file at {self.path}. {self.how_to_fix}")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # errors are raised as exceptions; no warnings on a student's screen
        try:
            session = onnxruntime.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # ONNX Runtime raises several kinds of errors for damaged files
            raise ModelLoadError(
                f"The model file {self.path} is damaged: ONNX Runtime cannot read it ({type(exc).__name__}). "
                f"{self.how_to_fix}"
            ) from None
        inputs, outputs = session.get_inputs(), session.get_outputs()
        takes = tuple(inputs[0].shape[1:]) if len(inputs) == 1 else None
        gives = tuple(output.shape[-1] for output in outputs[: len(self.widths)])
        if takes != INPUT_SHAPE or gives != self.widths or inputs[0].type != "tensor(float)":
            raise ModelLoadError(
                f"{self.path} is an ONNX model, but not a {self.what}: it takes "
                f"{[(i.shape, i.type) for i in inputs]} and returns {[o.shape for o in outputs]}, "
                f"expected one float (N, 28, 28, 1) input and outputs of widths {self.widths}. {self.how_to_fix}"
            )
        return session, inputs[0].name

    def run(self, batch: np.ndarray) -> list[np.ndarray]:
        """(N, 28, 28, 1) float32 images in [0, 1] -> every output of the file, each (N, width)."""
        if os.getpid() != self._pid:  # forked: the parent's session is not ours to use
            with self._lock:
                if os.getpid() != self._pid:
                    self._lock = threading.Lock()
                    self._session, self._input = self._open()
                    self._pid = os.getpid()
        return self._session.run(None, {self._input: np.ascontiguousarray(batch, dtype=np.float32)})


class OnnxNetwork:
    """A digit network exported to ONNX (`digits.export`), run by ONNX Runtime on the CPU.

    ``path``: the ``.onnx`` file: (N, 28, 28, 1) in, (N, 10) probabilities out, and
    optionally (N, K) penultimate features as a second output (the shipped model
    has them, for `digits.not_a_digit`). Raises `ModelLoadError` as `OnnxSession` does.
    """

    def __init__(self, path: str | os.PathLike, threads: int = ONNX_THREADS):
        self.session = OnnxSession(path, outputs=(NUM_CLASSES,), threads=threads)
        self.path, self.threads = self.session.path, self.session.threads
        self.has_features = len(self.session.output_widths) > 1

    def probabilities(self, batch: np.ndarray) -> np.ndarray:
        """(N, 28, 28, 1) float32 images in [0, 1] -> (N, 10) float32 probabilities."""
        return self.session.run(batch)[0]

    def probabilities_and_features(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(N, 10) probabilities and (N, K) penultimate features (None where the file has none), in one run."""
        outputs = self.session.run(batch)
        return outputs[0], (outputs[1] if self.has_features else None)


class KerasNetwork:
    """A Keras digit model run by TensorFlow (imported only when one is made).

    ``model``: a Keras model taking (N, 28, 28, 1) and returning (N, 10), either
    softmax probabilities or logits (a softmax is applied to those). Keras's
    ``model.predict`` sets up a whole data pipeline for every call (tens of
    milliseconds for one image), so the model is wrapped once in `tf.function`s with
    fixed input signatures and called directly.
    """

    def __init__(self, model):
        import tensorflow as tf

        self.model = model
        last = model.layers[-1] if getattr(model, "layers", None) else None
        outputs_softmax = getattr(getattr(last, "activation", None), "__name__", "") == "softmax"

        def probabilities(batch):
            out = model(batch, training=False)
            return out if outputs_softmax else tf.nn.softmax(out, axis=-1)

        # Batches of any size, and one image with a fixed shape compiled by XLA (a third
        # faster on a CPU). Where XLA is unavailable the plain graph does the same work.
        # For the one image, the concrete function is kept and called directly: a
        # `tf.function` checks its arguments against its signature on every call, a
        # quarter of a millisecond of Python that one fixed shape does not need.
        self._batch = tf.function(probabilities, input_signature=[tf.TensorSpec((None, 28, 28, 1), tf.float32)])
        single = tf.TensorSpec((1, 28, 28, 1), tf.float32)
        try:
            self._one = tf.function(probabilities, input_signature=[single], jit_compile=True).get_concrete_function()
            self._one(tf.zeros((1, 28, 28, 1)))  # compile now, not on a student's first click
        except Exception:  # noqa: BLE001 - any XLA failure: fall back to the plain graph
            self._one = tf.function(probabilities, input_signature=[single]).get_concrete_function()

    def probabilities(self, batch: np.ndarray) -> np.ndarray:
        """(N, 28, 28, 1) float32 images in [0, 1] -> (N, 10) float32 probabilities."""
        batch = np.ascontiguousarray(batch, dtype=np.float32)
        run = self._one if batch.shape[0] == 1 else self._batch
        return run(batch).numpy()
