"""`digits.pendigits`: the UNIPEN parser on the real UCI files, and where the loader looks for them."""

from __future__ import annotations

import io
import os
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from digits import pendigits
from digits.pendigits import PendigitsError, load_pendigits, parse_unipen

SAMPLE = """.INCLUDE        dene.doc

.LEXICON "0" "1" "2" "3" "4" "5" "6" "7" "8" "9"
.HIERARCHY      DIGIT

.SEGMENT DIGIT    0 ? "7"
.COMMENT 7 12  224
.PEN_DOWN
 10  100
 50  100
 30  20
.PEN_UP
 99  99
.DT 100
.PEN_DOWN
 20  60
 40  60
.PEN_UP
.DT 100

.SEGMENT WORD     1 ? "hello"
.PEN_DOWN
 1 1
.PEN_UP

.SEGMENT DIGIT    2 ? "1"
.COMMENT 1 3  5
.PEN_DOWN
 5  9
 5  1
.PEN_UP
"""


def test_parse_keeps_pen_down_points_of_digit_segments_with_y_turned_to_point_down():
    pen = parse_unipen(SAMPLE)
    assert len(pen) == 2 and list(pen.labels) == [7, 1] and pen.labels.dtype == np.uint8
    assert list(pen.writers) == ["w12", "w03"]
    seven = pen.strokes[0]
    assert len(seven) == 2  # two pen-down strokes; the pen-up point (99, 99) is not ink
    # y pointed up in the file: the bar at y=100 is the top (y=0 now), the foot at y=20 the bottom (80).
    np.testing.assert_array_equal(seven[0], [[10, 0], [50, 0], [30, 80]])
    np.testing.assert_array_equal(seven[1], [[20, 40], [40, 40]])
    np.testing.assert_array_equal(pen.strokes[1][0], [[5, 0], [5, 8]])


@pytest.mark.parametrize("broken, message", [
    (SAMPLE.replace(" 50  100", " 50  x"), "line 10: expected a point"),
    (SAMPLE.replace('"7"', '"seven"'), "labelled 'seven'"),
    (".LEXICON \"0\"\n", "holds no .SEGMENT DIGIT blocks"),
])
def test_parse_names_the_line_of_what_is_wrong(broken, message):
    with pytest.raises(PendigitsError, match=message):
        parse_unipen(broken, source="test.tra")


def test_the_real_training_file_holds_30_writers_and_7494_digits(pen_train):
    assert len(pen_train) == 7494 and len(pen_train.strokes) == 7494
    assert len(set(pen_train.writers)) == 30 and all(w.startswith("tra_w") for w in pen_train.writers)
    counts = np.bincount(pen_train.labels, minlength=10)
    assert counts.min() >= 700 and counts.sum() == 7494
    for digit in pen_train.strokes[:200]:
        points = np.vstack(digit)
        assert points.shape[1] == 2 and points[:, 1].min() == 0  # the digit's top at y = 0, y down


def test_the_real_test_file_holds_the_other_14_writers():
    if not os.environ.get(pendigits.ENV_VAR):
        pytest.skip("pendigits is not beside the repository")
    test = load_pendigits("test")
    assert len(test) == 3498 and len(set(test.writers)) == 14 and "tes_w13" in set(test.writers)


def test_an_unknown_split_is_refused():
    with pytest.raises(ValueError, match="'train', 'test'"):
        load_pendigits("dev")


def test_an_explicit_folder_without_the_files_is_an_error_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv(pendigits.ENV_VAR, str(tmp_path))
    with pytest.raises(PendigitsError, match=str(tmp_path / "pendigits-orig.tra")):
        load_pendigits("train")


def test_without_folder_cache_or_network_the_error_says_what_was_tried_and_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv(pendigits.ENV_VAR, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def offline(*args, **kwargs):
        raise OSError("Network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(PendigitsError) as caught:
        load_pendigits("train")
    message = str(caught.value)
    assert "$DIGITS_PENDIGITS (not set)" in message and "Network is unreachable" in message
    assert pendigits.URL + "pendigits-orig.tra" in message and "export DIGITS_PENDIGITS=" in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # one message, no chain
    assert not (tmp_path / "datasets" / "pendigits" / "pendigits-orig.tra").exists()  # no half file left


def test_a_download_is_kept_in_the_cache_and_read_from_there_next_time(tmp_path, monkeypatch):
    monkeypatch.delenv(pendigits.ENV_VAR, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    asked = []

    def served(url, timeout):
        asked.append(url)
        return io.BytesIO(SAMPLE.encode("ascii"))

    monkeypatch.setattr(urllib.request, "urlopen", served)
    first = load_pendigits("test")
    second = load_pendigits("test")
    assert asked == [pendigits.URL + "pendigits-orig.tes"]  # downloaded once, then read from the cache
    assert list(first.labels) == list(second.labels) == [7, 1] and list(first.writers) == ["tes_w12", "tes_w03"]
    assert (Path(tmp_path) / "datasets" / "pendigits" / "pendigits-orig.tes").read_text() == SAMPLE


def test_drawn_digits_look_like_pad_drawings_of_the_strokes():
    pen = parse_unipen(SAMPLE)
    images = pen.drawn(size=100, height=0.5, width=6)
    assert images.shape == (2, 100, 100) and images.dtype == np.uint8
    rows, cols = np.nonzero(images[0] < 128)
    assert 50 <= np.ptp(rows) <= 50 + 6 and abs((rows.min() + rows.max()) / 2 - 50) <= 1  # half the canvas, centred
    assert images[0, 25 - 1, 50] < 128  # the 7's bar along its top (x 10..50 of a 80-high digit, scaled by 5/8)
