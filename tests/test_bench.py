"""The benchmark runs end to end and keeps its table in a Markdown file (a small run: 10 drawings a row,
the first 40 pictures of each real set)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from benchmarks import bench, real_sets

from conftest import needs_real_sets

pytestmark = pytest.mark.usefixtures("mnist")


@needs_real_sets
def test_bench_measures_the_shipped_model_and_rewrites_only_its_own_section(tmp_path, capsys):
    page = tmp_path / "BENCHMARKS.md"
    page.write_text("# Before\n\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\n\nAfter.\n", encoding="utf-8")
    (tmp_path / "benchmarks").mkdir()

    bench.main(["--n", "10", "--seed", "3", "--real-limit", "40", "--write", str(page)])

    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Before\n\n<!-- bench:begin -->\n") and text.endswith("<!-- bench:end -->\n\nAfter.\n")
    assert "old table" not in text
    assert "model `digits_cnn.onnx`, synthetic drawings of seed 3" in text
    assert text.count("<!-- bench:begin -->") == 1
    assert (tmp_path / bench.MISTAKES).stat().st_size > 1000  # the picture of the real mistakes
    names = re.findall(r"^\| (.+?) \| .+? \|$", text, flags=re.MULTILINE)[2:]  # after the header and its rule
    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", text, flags=re.MULTILINE))
    # Real writers first, then MNIST, then the rows the project's own generators drew, each labelled so.
    kinds = ["real" if n.startswith("real: ") else "mnist" if n.startswith("MNIST") else
             "synthetic" if n.startswith(bench.SYNTHETIC) else "other" for n in names]
    first = {kind: kinds.index(kind) for kind in ("real", "mnist", "synthetic")}
    assert first["real"] == 0 and first["real"] < first["mnist"] < first["synthetic"], names
    assert "real" not in kinds[first["mnist"]:] and "mnist" not in kinds[first["synthetic"]:]
    real_rows = [n for n in names if n.startswith("real: ") and "weakest" not in n and "flagged" not in n]
    assert len(real_rows) == len(real_sets.REAL_SETS) + 1  # pendigits also without its sloppy writer
    flagged_rows = [n for n in names if n.startswith("real: ") and "flagged (not a digit, or unsure)" in n]
    assert len(flagged_rows) == len(real_rows)
    nondigit_rows = [n for n in names if n.startswith("real non-digits: ")]
    assert nondigit_rows and float(rows[nondigit_rows[0]].split("%")[0]) >= 50.0, rows[nondigit_rows[0]]
    assert any("without tes_w13" in n for n in real_rows)
    for name in real_rows:
        assert name.endswith("n=40") or "without" in name, name
        assert float(rows[name].rstrip("%")) >= 80.0, (name, rows[name])
    raw = rows["MNIST test set, 10,000 images, network alone on the raw images"]
    assert float(raw.rstrip("%")) >= 99.0, raw  # the shipped model, not the original network
    for name in bench.VARIATIONS:
        assert float(rows[f"{bench.SYNTHETIC}: drawn: {name}, n=10"].rstrip("%")) >= 70.0
    lit = next(value for name, value in rows.items() if "under uneven light" in name)
    assert float(lit.rstrip("%")) >= 70.0
    # The rotated and small thick-pen rows are also split into bands: every drawing in one band, same accuracy.
    for variation, bands in (("rotated", "by degrees turned"), ("small with a thick pen", "by pen width")):
        whole = next(value for name, value in rows.items() if name.startswith(f"{bench.SYNTHETIC}: drawn: {variation} ("))
        split = next(value for name, value in rows.items()
                     if name.startswith(f"{bench.SYNTHETIC}: drawn: {variation}, {bands}"))
        counted = [(float(share), int(count)) for share, count in re.findall(r": ([\d.]+)% \(n=(\d+)\)", split)]
        assert sum(count for _, count in counted) == 10, split
        right = sum(round(share * count / 100) for share, count in counted)
        assert right == round(float(whole.rstrip("%")) / 10), (whole, split)
    median = rows["recognize one 280x280 RGBA canvas: median"]
    assert median.endswith(" ms") and float(median.split()[0]) > 0
    grey = next(value for name, value in rows.items() if name.startswith("recognize one 280x280 grey picture"))
    assert re.fullmatch(r"\d+\.\d\d / \d+\.\d\d ms", grey), grey
    assert capsys.readouterr().out.startswith("Measured ")


def test_by_band_counts_each_value_in_one_band_and_the_last_band_holds_its_top_edge():
    right = np.array([True, False, True, True, False, True])
    values = np.array([0.0, 4.9, 5.0, 9.0, 20.0, 50.0])
    assert bench.by_band(right, values, (0, 5, 10, 20), unit=" deg") == (
        "0-5 deg: 50.0% (n=2); 5-10 deg: 100.0% (n=2); 10-20 deg: 0.0% (n=1)"
    )
    assert bench.by_band(right, values, (0, 10, np.inf), unit="%") == "0-10%: 75.0% (n=4); 10% or more: 50.0% (n=2)"


def test_bench_appends_a_section_to_a_page_without_one(tmp_path):
    page = tmp_path / "notes.md"
    page.write_text("Notes.\n", encoding="utf-8")
    bench.write_section(page, "the table", bench.BEGIN, bench.END)
    assert page.read_text(encoding="utf-8") == "Notes.\n\n<!-- bench:begin -->\nthe table\n<!-- bench:end -->\n"


def test_real_set_result_counts_per_class_accuracy_and_the_most_frequent_mistakes():
    labels = np.array([1, 1, 1, 7, 7, 9])
    answers = np.array([1, 7, 7, 7, 1, 9])
    flagged = np.array([False, True, False, False, False, True])
    result = real_sets.Result("toy", labels, answers, np.zeros((6, 28, 28)), flagged, flagged & (answers == 9))
    assert result.accuracy == 0.5
    per_class = result.per_class()
    assert per_class[1] == 1 / 3 and per_class[7] == 0.5 and per_class[9] == 1.0 and np.isnan(per_class[0])
    assert result.top_confusions() == [(1, 7, 2), (7, 1, 1)]
    rows = real_sets.rows([result])
    assert rows[0][1] == "50.00%"
    assert rows[1][1].startswith("1 33.3%, 7 50.0%") and rows[1][1].endswith("1 as 7 (2), 7 as 1 (1)")
    assert result.accuracy_unflagged == 0.5  # of 1, 7, 7, 1 kept: the first 1 and the 7 are right
    assert rows[2][1] == "33.33% (not a digit: 16.67%); 50.00%"


@needs_real_sets
def test_real_sets_hold_dark_ink_on_light_280_pixel_pictures_with_labels_and_writers():
    for name in real_sets.REAL_SETS:
        real = real_sets.load_real_set(name, limit=5)
        assert real.images.shape == (5, 280, 280) and real.images.dtype == np.uint8
        assert real.images[:, 0, :].mean() > 200 and real.images.min() < 60, name  # light paper, dark ink
        assert set(real.labels) <= set(range(10)) and real.writers.shape == (5,)
    pen = real_sets.load_real_set("pendigits_dev")
    assert (pen.writers == "tes_w13").sum() == 250 and (pen.writers != "tes_w13").sum() == len(pen.labels) - 250


def test_startup_measures_a_whole_process_cpu_and_memory():
    from benchmarks import startup

    idle_cpu, idle_memory = startup.whole_process("pass")
    busy_cpu, busy_memory = startup.whole_process("import numpy as np; x = np.ones(40_000_000); sum(range(3_000_000))")
    assert 0 < idle_cpu < busy_cpu and 0 < idle_memory < busy_memory - 250  # 320 MB of ones, counted
    with pytest.raises(RuntimeError, match="failed"):
        startup.whole_process("raise SystemExit(3)")


def test_startup_copies_the_reports_preprocessing_faithfully():
    from benchmarks import startup

    drawing = np.full((280, 280), 255, np.uint8)
    drawing[40:240, 130:150] = 0  # a 1, dark on white, as the report's app saved it
    image = startup.report_preprocessing(drawing)
    assert image.shape == (1, 28, 28, 1) and image.max() == 1.0
    rows, cols = np.nonzero(image[0, :, :, 0] > 0.5)
    assert rows.max() - rows.min() + 1 == 20  # the longer side fills the 20-pixel box
    assert abs(np.mean(cols) - 13.5) <= 1 and abs(np.mean(rows) - 13.5) <= 1  # centred by mass
