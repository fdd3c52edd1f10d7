"""Import TensorFlow and Keras without their start-up noise.

TensorFlow's C++ core prints start-up messages (oneDNN notices, CUDA probing on
machines without a GPU) straight to the process's standard error, where no
setting turns them off and Jupyter shows them as red text under a student's
first cell. They say nothing a student needs, so standard error is pointed at
/dev/null while TensorFlow starts and finds its devices, and restored after.
Python exceptions are unaffected: they are raised, not printed.
"""

from __future__ import annotations

import contextlib
import os
import sys


@contextlib.contextmanager
def _stderr_silenced():
    """Point file descriptor 2 at /dev/null for the duration of the block."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (some embedded interpreters)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_keras():
    """Return the ``keras`` module, TensorFlow started quietly."""
    if "tensorflow" not in sys.modules:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        with _stderr_silenced():
            import tensorflow as tf

            tf.config.list_physical_devices()  # device probing prints too: do it now
    import keras

    return keras
