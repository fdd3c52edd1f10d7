"""The exercise checks: a right answer passes, a wrong one gets the one sentence that says why."""

import inspect
import re

import numpy as np
import pytest

from digits import checks
from tests.fixtures import answers

EXERCISES = sorted(answers.RIGHT)


def check_for(exercise):
    return getattr(checks, f"check_{exercise}")


def test_every_check_has_a_right_answer_and_a_wrong_one():
    names = {name[len("check_"):] for name in checks.__all__ if name.startswith("check_")}
    assert names == set(answers.RIGHT)
    assert names == {exercise for exercise, _, _ in answers.WRONG}


@pytest.mark.parametrize("exercise", EXERCISES)
def test_right_answer_passes_with_a_tick(exercise, capsys):
    check_for(exercise)(answers.RIGHT[exercise])
    printed = capsys.readouterr().out
    assert printed.startswith(f"✓ {exercise}:") and printed.count("\n") == 1


@pytest.mark.parametrize(
    "exercise, answer, message", answers.WRONG, ids=[f"{e}-{m}" for e, _, m in answers.WRONG]
)
def test_wrong_answer_is_caught_with_its_reason(exercise, answer, message):
    with pytest.raises(checks.CheckFailed) as caught:
        check_for(exercise)(answer)
    assert message in str(caught.value)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_unwritten_exercise_says_so(exercise):
    with pytest.raises(checks.CheckFailed, match="is not written yet"):
        check_for(exercise)(answers.not_written_yet)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_crash_is_reported_in_a_sentence(exercise):
    def crashes(*args):
        return undefined_name  # noqa: F821 - the student's typo

    with pytest.raises(checks.CheckFailed, match=r"crashed on .* with NameError: name 'undefined_name'"):
        check_for(exercise)(crashes)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_missing_return_is_reported(exercise):
    with pytest.raises(checks.CheckFailed, match="did you forget the `return` line"):
        check_for(exercise)(answers.forgot_return)


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if e not in ("conv_output_shape", "cnn_parameter_count", "best_reading")])
def test_changing_the_input_in_place_is_reported(exercise):
    right = answers.RIGHT[exercise]

    def scribbles_on_input(*args):
        result = right(*(np.copy(arg) for arg in args))
        args[0].flat[0] += 1
        return result

    with pytest.raises(checks.CheckFailed, match="changed the array it was given"):
        check_for(exercise)(scribbles_on_input)


def test_something_that_is_not_a_function_is_reported():
    with pytest.raises(checks.CheckFailed, match="should be a function .* but it is a int"):
        checks.check_normalize(42)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_message_is_one_sentence(exercise):
    for name, answer, _ in [(e, a, m) for e, a, m in answers.WRONG if e == exercise]:
        with pytest.raises(checks.CheckFailed) as caught:
            check_for(name)(answer)
        message = str(caught.value)
        assert "\n" not in message
        assert message[0].isupper() or message.startswith("`"), message
        assert message.endswith((".", "?")) and not re.search(r"[.?!]\s+[A-Z]", message), message


def test_check_failed_counts_as_a_failed_assertion():
    assert issubclass(checks.CheckFailed, AssertionError)


def test_wrong_way_shift_message_names_where_the_centre_ended():
    with pytest.raises(checks.CheckFailed) as caught:
        checks.check_shift_to_center(answers.shift_wrong_way)
    assert re.fullmatch(
        r"Your shift moves the digit the wrong way: its centre of mass ended at \(\d+\.\d, \d+\.\d\), expected \(14, 14\)\.",
        str(caught.value),
    )


@pytest.mark.parametrize("filters1, filters2, units", [(32, 64, 128), (16, 32, 64), (8, 24, 50)])
def test_parameter_count_check_agrees_with_keras(filters1, filters2, units):
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(filters1, (3, 3)),
            keras.layers.MaxPooling2D((2, 2)),
            keras.layers.Conv2D(filters2, (3, 3)),
            keras.layers.MaxPooling2D((2, 2)),
            keras.layers.Flatten(),
            keras.layers.Dense(units),
            keras.layers.Dense(10),
        ]
    )
    assert checks._cnn_parameters(filters1, filters2, units) == model.count_params()
    assert answers.cnn_parameter_count(filters1, filters2, units) == model.count_params()


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_output_shape_check_agrees_with_keras(padding):
    import keras

    for input_shape, filters, kernel in [((28, 28, 1), 32, 3), ((10, 20, 3), 4, 5)]:
        layer = keras.layers.Conv2D(filters, kernel, padding=padding)
        expected = tuple(layer.compute_output_shape((None, *input_shape))[1:])
        assert answers.conv_output_shape(input_shape, filters, kernel, padding) == expected


def test_report_network_has_the_summarys_parameter_count():
    import digits

    assert checks._cnn_parameters(32, 64, 128) == digits.build_cnn().count_params()


def test_checks_document_their_exercise():
    for exercise in EXERCISES:
        doc = inspect.getdoc(check_for(exercise))
        assert doc and doc.startswith(f"``{exercise}(")


# ---------------------------------------------------------------- the student's own function

def test_the_librarys_own_function_is_refused():
    from digits import preprocess

    with pytest.raises(checks.CheckFailed, match=r"is the course's own `digits\.preprocess\.fit_in_box`, not yours"):
        checks.check_fit_in_box(preprocess.fit_in_box)


def test_a_function_that_calls_the_library_is_refused():
    from digits import preprocess

    def fit_in_box(crop):
        return preprocess.fit_in_box(crop)

    with pytest.raises(checks.CheckFailed, match=r"calls the course's own `digits\.preprocess\.fit_in_box`"):
        checks.check_fit_in_box(fit_in_box)


def test_the_profiler_in_place_before_a_check_is_put_back():
    import sys

    seen = []

    def profiler(frame, event, arg):
        seen.append(event)

    sys.setprofile(profiler)
    try:
        checks.check_normalize(answers.normalize)
    finally:
        assert sys.getprofile() is profiler
        sys.setprofile(None)
    assert "call" in seen


def test_a_function_not_defined_yet_is_reported_in_a_sentence():
    with pytest.raises(checks.CheckFailed, match=r"`normalize` is not defined yet: run the cell with `def normalize"):
        checks.check_normalize(None)


# ---------------------------------------------------------------- hidden cases

def test_expect_passes_the_right_answer_silently(capsys):
    checks.expect(answers.normalize, np.array([[0, 51, 255]], np.uint8), [[0.0, 0.2, 1.0]])
    checks.expect(answers.cnn_parameter_count, (4, 8, 16), 3722)
    checks.expect(answers.most_confused_pair, np.array([[5, 0, 9], [0, 5, 0], [1, 0, 5]]), (0, 2))
    assert capsys.readouterr().out == ""


def test_expect_catches_an_answer_hard_coded_for_the_visible_cases():
    visible = {(32, 64, 128): 225_034, (16, 32, 64): 56_714, (8, 24, 50): 32_392}

    def cnn_parameter_count(filters1, filters2, units):
        return visible.get((filters1, filters2, units), 0)

    checks.check_cnn_parameter_count(cnn_parameter_count)
    with pytest.raises(checks.CheckFailed, match=r"On one of the teacher's hidden cases `cnn_parameter_count` returned 0, but the right answer is 3722\."):
        checks.expect(cnn_parameter_count, (4, 8, 16), 3722)


def test_expect_holds_the_smaller_digit_first_unless_told_otherwise():
    matrix = np.array([[5, 0, 9], [0, 5, 0], [1, 0, 5]])
    with pytest.raises(checks.CheckFailed, match=r"returned \(2, 0\), but the right answer is \(0, 2\)"):
        checks.expect(lambda m: answers.most_confused_pair(m)[::-1], matrix, (0, 2))
    checks.expect(lambda m: answers.most_confused_pair(m)[::-1], matrix, (0, 2), measure="sorted")


def test_expect_measures_the_centre_of_mass():
    image = np.zeros((28, 28), np.float32)
    image[4:6, 20:22] = 1
    checks.expect(answers.shift_to_center, image, (14.0, 14.0), measure="center_of_mass", tolerance=0.6)
    with pytest.raises(checks.CheckFailed, match="right answer is"):
        checks.expect(lambda image: image.copy(), image, (14.0, 14.0), measure="center_of_mass", tolerance=0.6)


def test_expect_reports_a_wrong_shape():
    with pytest.raises(checks.CheckFailed, match=r"shape \(20, 20\), but the right answer has shape \(20, 4\)"):
        checks.expect(answers.fit_squashed, np.ones((50, 10), np.float32), np.ones((20, 4)))


# ---------------------------------------------------------------- the notebooks' exercise helpers

def test_yours_or_ours_uses_yours_once_written(capsys):
    from digits.exercises import yours_or_ours

    assert yours_or_ours(lambda x: x + 1, lambda x: 0)(1) == 2
    assert capsys.readouterr().out == ""


def test_yours_or_ours_falls_back_while_yours_is_not_written_and_says_so_once(capsys):
    from digits import preprocess
    from digits.exercises import yours_or_ours

    fit = yours_or_ours(answers.not_written_yet, preprocess.fit_in_box)
    assert fit(np.ones((40, 20), np.float32)).shape == (20, 10)
    assert fit(np.ones((20, 40), np.float32)).shape == (10, 20)
    assert capsys.readouterr().out == (
        "Your `not_written_yet` is not written yet, so this cell uses `digits.preprocess.fit_in_box` instead.\n"
    )


def test_yours_or_ours_lets_a_bug_in_yours_show():
    from digits.exercises import yours_or_ours

    def broken(x):
        return x / 0

    with pytest.raises(ZeroDivisionError):
        yours_or_ours(broken, lambda x: 0)(1)


def test_autograding_follows_the_variable_then_nbgraders_folder(monkeypatch, tmp_path):
    from digits.exercises import autograding

    folder = tmp_path / "autograded" / "ada" / "02_mnist_data"
    folder.mkdir(parents=True)
    monkeypatch.delenv("DIGITS_AUTOGRADE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert not autograding()
    monkeypatch.chdir(folder)
    assert autograding()
    monkeypatch.setenv("DIGITS_AUTOGRADE", "0")
    assert not autograding()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIGITS_AUTOGRADE", "1")
    assert autograding()


def test_the_exercise_helpers_examples_run():
    import doctest

    from digits import exercises

    assert doctest.testmod(exercises).failed == 0


# ---------------------------------------------------------------- notebook 07: numbers and photos

def test_notebook_7_a_function_that_changes_its_mask_is_reported():
    def component_boxes_that_erase(mask):
        boxes = answers.component_boxes(mask)
        mask[:] = False
        return boxes

    with pytest.raises(checks.CheckFailed, match="changed the array it was given"):
        checks.check_component_boxes(component_boxes_that_erase)


def test_notebook_7_hidden_cases_catch_answers_hard_coded_for_the_visible_ones():
    mask = np.zeros((10, 12), bool)
    mask[1:4, 2:5] = True
    mask[6:9, 7:11] = True
    checks.expect(answers.component_boxes, mask, [(2, 1, 5, 4), (7, 6, 11, 9)])
    checks.expect(answers.column_gaps, mask, [(5, 7)])
    checks.expect(answers.best_reading, [[(1, 0.9), (7, 0.9)], [(1, 0.5)]], 0)

    def hard_coded(mask):
        return [(8, 10, 18, 12), (8, 14, 18, 34), (30, 2, 33, 38), (42, 6, 54, 18)]

    with pytest.raises(checks.CheckFailed, match="hidden cases"):
        checks.expect(hard_coded, mask, [(2, 1, 5, 4), (7, 6, 11, 9)])
