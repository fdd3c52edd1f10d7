"""The benchmark runs end to end and keeps its table in a Markdown file (a small run: 10 drawings a row)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from digits import bench

pytestmark = pytest.mark.usefixtures("mnist")


def test_bench_measures_the_shipped_model_and_rewrites_only_its_own_section(tmp_path, capsys):
    page = tmp_path / "BENCHMARKS.md"
    page.write_text("# Before\n\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\n\nAfter.\n", encoding="utf-8")

    bench.main(["--n", "10", "--seed", "3", "--write", str(page)])

    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Before\n\n<!-- bench:begin -->\n") and text.endswith("<!-- bench:end -->\n\nAfter.\n")
    assert "old table" not in text
    assert "model `digits_cnn.keras`, drawings of seed 3" in text
    assert text.count("<!-- bench:begin -->") == 1
    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", text, flags=re.MULTILINE))
    raw = rows["MNIST test set, 10,000 images, network alone on the raw images"]
    assert float(raw.rstrip("%")) >= 99.0, raw  # the shipped model, not the original network
    for name in bench.VARIATIONS:
        assert float(rows[f"drawn: {name}, n=10"].rstrip("%")) >= 70.0
    lit = next(value for name, value in rows.items() if "under uneven light" in name)
    assert float(lit.rstrip("%")) >= 70.0
    # The rotated and small thick-pen rows are also split into bands: every drawing in one band, same accuracy.
    for variation, bands in (("rotated", "by degrees turned"), ("small with a thick pen", "by pen width")):
        whole = next(value for name, value in rows.items() if name.startswith(f"drawn: {variation} ("))
        split = next(value for name, value in rows.items() if name.startswith(f"drawn: {variation}, {bands}"))
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
    bench._write_section(page, "the table")
    assert page.read_text(encoding="utf-8") == "Notes.\n\n<!-- bench:begin -->\nthe table\n<!-- bench:end -->\n"
