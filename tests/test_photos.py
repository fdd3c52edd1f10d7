"""Photos of handwriting on school paper: `digits.photos.ink_from_photo` finds the ink and `recognize` reads it.

The photos are made by `benchmarks.photos.make_photo`: real digits (UJI pen strokes and CVL scans, dev sets
used for measuring only) laid as ink on generated squared or ruled paper, lit unevenly, turned slightly,
blurred, noised and JPEG-compressed.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

import digits
from benchmarks.photos import TWELVE_MEGAPIXELS, make_photo, pen_pictures, scanned_pictures
from digits.photos import (WORK_SIDE, InkPicture, NotAPictureError, find_printed_lines, ink_from_photo)

from conftest import needs_real_sets

pytestmark = needs_real_sets

BLANK = np.full((280, 280), 255, np.uint8)


def _readable(pictures, labels, count):
    """The first ``count`` pictures, each of another digit, that the network reads right without any photo."""
    chosen, seen = [], set()
    for picture, label in zip(pictures, labels):
        if int(label) not in seen and digits.recognize(picture).digit == label:
            chosen.append((picture, int(label)))
            seen.add(int(label))
        if len(chosen) == count:
            break
    return chosen


@pytest.fixture(scope="module")
def handwritten():
    """Six real digits, each another one: four drawn from UJI pen strokes, two scanned by CVL."""
    pen = _readable(*pen_pictures("uji2_dev", 40), 4)
    pen_digits = {label for _, label in pen}
    scanned = [(picture, label) for picture, label in _readable(*scanned_pictures("cvl_dev", 60), 10)
               if label not in pen_digits][:2]
    return pen + scanned


def _read(photo) -> int:
    return digits.recognize(ink_from_photo(photo).image).digit


@pytest.mark.parametrize("paper", ["squared", "ruled"])
@pytest.mark.parametrize("ink", ["blue", "black"])
def test_real_digits_photographed_on_school_paper_are_read(handwritten, paper, ink):
    rng = np.random.default_rng(22)
    read = [_read(make_photo(picture, paper, ink, rng)) for picture, _ in handwritten]
    assert read == [label for _, label in handwritten]


@pytest.mark.parametrize("paper", ["squared", "ruled", "plain"])
def test_the_kind_of_paper_is_found(handwritten, paper):
    picture, _ = handwritten[0]
    assert ink_from_photo(make_photo(picture, paper, "blue", np.random.default_rng(5))).paper == paper


@pytest.mark.parametrize("paper", ["squared", "ruled", "plain"])
def test_a_blank_page_under_uneven_light_raises_empty_image_error(paper):
    photo = make_photo(BLANK, paper, "blue", np.random.default_rng(3))
    with pytest.raises(digits.EmptyImageError, match="no writing"):
        ink_from_photo(photo)


def test_the_printed_lines_leave_no_ink_beside_the_digit(handwritten):
    # The same seed puts the same digit in the same place on plain and on squared paper.
    picture, _ = handwritten[1]
    plain = ink_from_photo(make_photo(picture, "plain", "blue", np.random.default_rng(8), turn=0))
    squared = ink_from_photo(make_photo(picture, "squared", "blue", np.random.default_rng(8), turn=0))
    near_the_digit = cv2.dilate((plain.image < 250).astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    assert np.count_nonzero(squared.image[near_the_digit] < 128) > 1000  # the digit is there
    assert np.count_nonzero(squared.image[~near_the_digit] < 200) == 0   # and nothing else


@pytest.mark.parametrize("turn", [-9.0, 6.0])
def test_a_turned_photo_is_turned_back_by_its_lines(handwritten, turn):
    picture, label = handwritten[2]
    ink = ink_from_photo(make_photo(picture, "squared", "black", np.random.default_rng(2), turn=turn))
    assert ink.angle == pytest.approx(-turn, abs=0.5)
    assert digits.recognize(ink.image).digit == label


def test_the_page_kept_with_the_ink_is_the_photo_on_the_same_pixels(handwritten):
    picture, _ = handwritten[1]
    ink = ink_from_photo(make_photo(picture, "squared", "blue", np.random.default_rng(8), turn=4))
    assert ink.page.shape == ink.image.shape + (3,) and ink.page.dtype == np.uint8
    inked = ink.image < 128
    red, green, blue = (ink.page[..., channel].astype(float) for channel in range(3))
    assert red[inked].mean() < red[~inked].mean() - 60  # the ink is where the photo is dark ...
    assert blue[inked].mean() > red[inked].mean() + 20  # ... and blue there


def test_a_twelve_megapixel_photo_is_shrunk_and_read(handwritten):
    picture, label = handwritten[3]
    ink = ink_from_photo(make_photo(picture, "squared", "blue", np.random.default_rng(12), size=TWELVE_MEGAPIXELS))
    assert max(ink.image.shape) == WORK_SIDE and ink.scale == pytest.approx(WORK_SIDE / max(TWELVE_MEGAPIXELS))
    assert ink.image.dtype == np.uint8 and ink.image.ndim == 2
    assert digits.recognize(ink.image).digit == label


def test_a_box_in_the_picture_maps_back_onto_the_ink_in_the_photo(handwritten):
    picture, _ = handwritten[0]
    made = {"written": picture, "blank": BLANK}
    photos = {name: make_photo(page, "squared", "blue", np.random.default_rng(4), size=(1500, 2000), turn=7,
                               jpeg=False) for name, page in made.items()}
    ink = ink_from_photo(photos["written"])
    x, y, width, height = cv2.boundingRect((ink.image < 128).astype(np.uint8))
    # The ink in the photo itself: where it differs from the same photo of a blank page.
    difference = cv2.absdiff(photos["written"], photos["blank"]).max(axis=2)
    in_photo = cv2.boundingRect((difference > 60).astype(np.uint8))
    # The box of a box turned by 7 degrees is larger than the ink's own: its centre is what must agree.
    left, top, box_width, box_height = ink.box_to_photo((x, y, width, height))
    centre = np.array([left + box_width / 2, top + box_height / 2])
    expected = np.array([in_photo[0] + in_photo[2] / 2, in_photo[1] + in_photo[3] / 2])
    assert np.abs(centre - expected).max() < 15 / ink.scale
    assert box_width >= in_photo[2] - 4 / ink.scale and box_height >= in_photo[3] - 4 / ink.scale


def test_every_way_of_handing_over_a_photo_gives_the_same_picture(handwritten, tmp_path):
    picture, label = handwritten[4]
    jpeg = make_photo(picture, "ruled", "black", np.random.default_rng(6))
    rgb = cv2.cvtColor(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    path = tmp_path / "homework.jpg"
    path.write_bytes(jpeg)
    reference = ink_from_photo(jpeg).image
    for photo in (str(path), path, bytearray(jpeg), memoryview(jpeg), io.BytesIO(jpeg), rgb,
                  Image.fromarray(rgb)):
        assert np.array_equal(ink_from_photo(photo).image, reference), type(photo)
    for photo in (cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)]),
                  rgb.astype(np.float32) / 255):
        assert _read(photo) == label


def test_a_png_upload_is_read(handwritten):
    picture, label = handwritten[5]
    rgb = make_photo(picture, "squared", "blue", np.random.default_rng(9), jpeg=False)
    png = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes()
    result = ink_from_photo({"content": memoryview(png)}["content"])  # as ipywidgets.FileUpload gives it
    assert isinstance(result, InkPicture) and digits.recognize(result.image).digit == label


def test_a_png_with_a_transparent_background_is_ink_on_white_paper():
    # A drawing saved from a canvas: black strokes, everything else transparent (and black underneath).
    canvas = np.zeros((300, 300, 4), np.uint8)
    cv2.line(canvas, (150, 40), (150, 260), (0, 0, 0, 255), 18)
    png = cv2.imencode(".png", canvas)[1].tobytes()
    ink = ink_from_photo(png)
    assert ink.image[150, 150] < 64 and ink.image[150, 50] == 255 and ink.paper == "plain"
    assert digits.recognize(ink.image).digit == 1


def test_a_jpeg_is_turned_upright_by_its_exif_orientation(handwritten):
    picture, label = handwritten[3]
    upright = make_photo(picture, "plain", "black", np.random.default_rng(10), turn=0, jpeg=False)
    stored = Image.fromarray(np.ascontiguousarray(np.rot90(upright)))  # as the camera stored it, on its side
    exif = stored.getexif()
    exif[0x0112] = 6  # Orientation: turn 90 degrees clockwise to view
    file = io.BytesIO()
    stored.save(file, "JPEG", quality=90, exif=exif)
    for photo in (file.getvalue(), Image.open(io.BytesIO(file.getvalue()))):
        ink = ink_from_photo(photo)
        assert ink.image.shape == (750, 1000) and digits.recognize(ink.image).digit == label


def test_lines_printed_as_dark_as_ink_are_taken_away_by_their_shape():
    page = np.full((600, 800), 245, np.uint8)
    for y in range(20, 600, 45):
        cv2.line(page, (0, y), (799, y), 80, 2)  # dark grey ruled lines
    cv2.line(page, (400, 150), (400, 450), 10, 16)  # a 1 in black ink across four of them
    ink = ink_from_photo(page)
    assert ink.paper == "ruled"
    assert np.count_nonzero(ink.image[:, :300] < 200) == 0
    assert digits.recognize(ink.image).digit == 1


NOT_PICTURES = {
    "random bytes": np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes(),
    "a text file": "7 is my favourite digit\n".encode() * 20,
    "an empty file": b"",
    "a PDF": b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    "half a PNG": cv2.imencode(".png", np.full((50, 50), 200, np.uint8))[1].tobytes()[:60],
}


@pytest.mark.parametrize("kind", NOT_PICTURES)
def test_what_is_not_a_picture_raises_one_clear_error(kind, tmp_path):
    path = tmp_path / "upload.bin"
    path.write_bytes(NOT_PICTURES[kind])
    for photo in (NOT_PICTURES[kind], path):
        with pytest.raises(NotAPictureError, match="PNG or JPEG") as raised:
            ink_from_photo(photo)
        assert isinstance(raised.value, ValueError)
        assert raised.value._render_traceback_() == [f"NotAPictureError: {raised.value}"]


def test_a_missing_file_is_named_in_the_error(tmp_path):
    with pytest.raises(NotAPictureError, match="no file at .*homework.jpg"):
        ink_from_photo(tmp_path / "homework.jpg")


@pytest.mark.parametrize("photo, error", [(None, TypeError), (np.zeros((5, 5, 2)), ValueError),
                                          (np.full((40, 40), np.nan), ValueError)])
def test_an_array_that_is_not_a_picture_is_refused_as_recognize_refuses_it(photo, error):
    with pytest.raises(error):
        ink_from_photo(photo)


# ---------------------------------------------------------------- the printed-line finder, step by step

@pytest.mark.parametrize("paper", ["squared", "ruled"])
def test_the_printed_lines_found_are_those_ink_from_photo_takes_away(handwritten, paper):
    picture, _ = handwritten[0]
    photo = make_photo(picture, paper, "blue", np.random.default_rng(4), turn=3.0)
    page, ink = find_printed_lines(photo), ink_from_photo(photo)
    assert (page.paper, page.angle, page.scale) == (ink.paper, ink.angle, ink.scale)
    assert np.array_equal(page.photo_to_image, ink.photo_to_image)
    assert page.flat.shape == ink.image.shape + (3,) and page.flat.dtype == np.float32
    assert page.lines.shape == ink.image.shape and page.lines.dtype == bool
    rows_with_a_line = np.count_nonzero(page.lines.mean(axis=1) > 0.3)
    columns_with_a_line = np.count_nonzero(page.lines.mean(axis=0) > 0.3)
    assert rows_with_a_line >= 3 and (columns_with_a_line >= 3) == (paper == "squared")
    assert (page.lines <= page.reach).all()
    assert np.count_nonzero(ink.image[page.lines] < 128) < 0.01 * np.count_nonzero(page.lines)  # lines are not ink


def test_plain_paper_has_no_printed_lines_and_is_not_turned(handwritten):
    picture, _ = handwritten[0]
    page = find_printed_lines(make_photo(picture, "plain", "black", np.random.default_rng(6)))
    assert page.paper == "plain" and page.angle == 0.0 and not page.lines.any() and not page.reach.any()


def test_the_photo_benchmark_rewrites_its_own_part_of_the_page_and_keeps_the_notes_after_it(tmp_path):
    from benchmarks.photos import PAGE_BEGIN, PAGE_END, with_number_section, write_page

    page = tmp_path / "PHOTOS.md"
    notes = "\n## What the number rows say\n\n- written by hand\n"
    page.write_text(f"{PAGE_BEGIN}\n# Photos\n\nold table\n\n## Photos of whole numbers\n\nold numbers\n{PAGE_END}\n{notes}")
    write_page(page, "# Photos\n\nnew table\n\n## Photos of whole numbers\n\nnew numbers\n")
    text = page.read_text()
    assert "new table" in text and "old table" not in text and text.endswith(notes)

    replaced = with_number_section(text, "## Photos of whole numbers\n\nnewer numbers")
    assert "newer numbers" in replaced and "new numbers" not in replaced
    assert "new table" in replaced and replaced.endswith(f"{PAGE_END}\n{notes}")

    added = with_number_section(f"{PAGE_BEGIN}\n# Photos\n{PAGE_END}\n{notes}", "## Photos of whole numbers\n\nrows")
    assert added == f"{PAGE_BEGIN}\n# Photos\n\n## Photos of whole numbers\n\nrows\n{PAGE_END}\n{notes}"
