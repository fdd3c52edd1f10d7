"""Property-based tests: whatever array arrives, `to_mnist` and `recognize` answer properly or say why not.

For any shape and dtype, either a valid result (shape, dtype, finite, in range,
probabilities summing to 1) or `EmptyImageError`, `TypeError` or `ValueError`
with a message; never anything else, and the caller's array is never changed.
A fixed seed and a few hundred examples keep the run short and repeatable.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import digits

DTYPES = st.one_of(
    hnp.boolean_dtypes(), hnp.integer_dtypes(), hnp.unsigned_integer_dtypes(), hnp.floating_dtypes(),
    hnp.complex_number_dtypes(), hnp.datetime64_dtypes(), hnp.timedelta64_dtypes(),
)
PICTURE_LIKE = hnp.arrays(dtype=DTYPES, shape=st.one_of(
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=64),
    st.tuples(st.integers(0, 48), st.integers(0, 48), st.sampled_from([1, 2, 3, 4, 5])),
))
ANY_ARRAY = hnp.arrays(dtype=DTYPES, shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=12))
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _answer_or_clear_error(call, array):
    before = array.tobytes()
    try:
        result = call(array)
    except (digits.EmptyImageError, TypeError, ValueError) as error:
        assert str(error), f"{type(error).__name__} without a message"
        result = None
    assert array.tobytes() == before, "the caller's array was changed"
    return result


def _check_mnist(image):
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert np.all(np.isfinite(image)) and image.min() >= 0.0 and image.max() <= 1.0


@SETTINGS
@given(st.one_of(PICTURE_LIKE, ANY_ARRAY))
def test_to_mnist_gives_an_mnist_image_or_a_clear_error(array):
    image = _answer_or_clear_error(digits.to_mnist, array)
    if image is not None:
        _check_mnist(image)


@SETTINGS
@given(st.one_of(PICTURE_LIKE, ANY_ARRAY))
def test_recognize_gives_a_prediction_or_a_clear_error(array):
    prediction = _answer_or_clear_error(digits.recognize, array)
    if prediction is not None:
        _check_mnist(prediction.image)
        probabilities = np.array(prediction.probabilities)
        assert probabilities.shape == (10,) and np.all(np.isfinite(probabilities)) and probabilities.min() >= 0
        assert abs(probabilities.sum() - 1.0) < 1e-6
        assert 0 <= prediction.digit <= 9 and prediction.probability == probabilities.max()
