"""Execute course notebooks top to bottom in a fresh kernel and store their outputs.

    python scripts/execute_notebooks.py                     # every notebook in notebooks/
    python scripts/execute_notebooks.py notebooks/05_drawing_to_mnist.ipynb

This is how the notebooks are committed: run in order from the notebook's own
folder (so relative paths work as in JupyterLab), without the per-cell timing
metadata that would make every run differ, so that a reader on the web sees the
outputs and nbval can compare them with a fresh run. A cell tagged ``remove-output``
(as in Jupyter Book) is stored without its outputs: a live widget, say, whose
saved form would only show its text repr on the web (the notebook shows a
picture of it instead).

The kernels read MNIST and the real handwriting from ``../shared/data`` beside the
repository, as the tests do, unless ``DIGITS_MNIST``, ``DIGITS_PENDIGITS`` or
``DIGITS_HANDWRITING`` say otherwise.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SHARED_DATA = NOTEBOOKS.parent.parent / "shared" / "data"
"""The data folder beside the repository (as in CI), used where no environment variable names another."""


def use_shared_data() -> None:
    """Point the kernels at ``../shared/data`` where the environment names no other copy and it is there."""
    for variable, path in (("DIGITS_MNIST", SHARED_DATA / "mnist.npz"),
                           ("DIGITS_PENDIGITS", SHARED_DATA / "handwriting" / "pendigits"),
                           ("DIGITS_HANDWRITING", SHARED_DATA / "handwriting")):
        if variable not in os.environ and path.exists():
            os.environ[variable] = str(path)


def execute(path: Path) -> float:
    """Execute one notebook in place; return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        notebook, timeout=900, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if "remove-output" in cell.metadata.get("tags", []):
            cell.outputs = []
    nbformat.write(notebook, path)
    return time.perf_counter() - started


def main(paths: list[str]) -> None:
    use_shared_data()
    for path in [Path(p) for p in paths] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb")):
        print(f"{path.name}: {execute(path.resolve()):.0f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
