"""The student bundle: what a teacher hands out, with no answers in it.

``python -m digits.assignments bundle`` makes ``course/student-bundle/`` and
``course/student-bundle.zip`` beside it, laid out as the repository is, so that
students install and start it with the same two commands:

    README.md            for students: the two commands, and how the checks work
    requirements.txt     what to install (the `digits` package itself, editable)
    pyproject.toml
    notebooks/           the student versions of the notebooks with exercises (nbgrader's
                         release: solutions and hidden tests removed), the others as they are
    digits/              the package, without the teacher's tools (`assignments`, `bundle`)
    models/              the shipped model

It leaves out the instructor notebooks, the tests and their fixtures (the answers),
the benchmarks, the docs and ``nbgrader_config.py``. `make_bundle` releases any
notebook not released yet, and refuses to write a bundle in which a solution line
of an instructor notebook, or a solution or hidden-tests marker, appears.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from . import assignments

TEACHER_MODULES = ("assignments.py", "bundle.py")
"""Modules of `digits` that stay with the teacher."""
TOP_LEVEL = ("requirements.txt", "pyproject.toml")
"""Files of the repository's root that students need as they are."""

STUDENT_README = """\
# digits: handwritten digit recognition, as a Jupyter course

Draw a digit with the mouse, press **Recognize**, and a convolutional network tells you which digit it is.
The notebooks in `notebooks/` build that step by step; open them in order, 01 to 06.

## Start (two commands)

Python 3.10-3.12, in a fresh virtual environment if you like (`python -m venv .venv && . .venv/bin/activate`):

```bash
python -m pip install -r requirements.txt
python -m jupyter lab notebooks/
```

Without internet access, point `DIGITS_MNIST` at a copy of `mnist.npz` before starting JupyterLab
(`export DIGITS_MNIST=/path/to/mnist.npz`); your teacher can tell you where one is.

## Exercises

Notebooks 02 to 05 hold exercises: write each function in place of `raise NotImplementedError()`, run its cell,
then run the check below it. A check prints a line starting with ✓, or one sentence saying what is wrong.
Run it as often as you like. An exercise you have not written yet fails only in its own check: the cells after
it use the course's own version and say so. Your teacher grades the notebook with more cases than the check
shows you, so write the function for any input, not for the ones you see.
"""


def _solution_lines(notebook: Path) -> set[str]:
    """The lines of an instructor notebook's solutions that students do not see elsewhere in it.

    Lines strictly inside a solution region, stripped, of 12 characters or more,
    comments left out; a line the notebook also shows outside its solutions (a
    formula the prose works through) is not counted.
    """
    inside_lines, outside_lines = set(), set()
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        inside = False
        for line in source.splitlines():
            if assignments.SOLUTION_MARKERS[0] in line:
                inside = True
            elif assignments.SOLUTION_MARKERS[1] in line:
                inside = False
            elif len(line.strip()) >= 12 and not line.strip().startswith("#"):
                (inside_lines if inside else outside_lines).add(line.strip())
    return inside_lines - outside_lines


def leaks(folder: Path, instructor: list[Path]) -> list[str]:
    """``"path: line"`` for every solution line or marker found in a text file under ``folder``."""
    solutions = set().union(*(_solution_lines(path) for path in instructor))
    markers = assignments.SOLUTION_MARKERS + assignments.HIDDEN_MARKERS
    found = []
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or path.suffix not in (".py", ".ipynb", ".md", ".txt", ".toml", ".json"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            cells = json.loads(text)["cells"]
            text = "\n".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"]) for c in cells)
        stripped = {line.strip() for line in text.splitlines()}
        for leak in sorted((stripped & solutions) | {m for m in markers if m in text}):
            found.append(f"{path.relative_to(folder)}: {leak}")
    return found


def make_bundle(course: Path = assignments.COURSE, output: Path | None = None) -> tuple[Path, Path]:
    """Write the student bundle folder and its zip; return ``(folder, zip)``.

    ``output`` defaults to ``<course>/student-bundle``; the zip is ``<output>.zip``.
    Raises `digits.assignments.AssignmentError` when a solution would leak into it
    (the folder is then removed).
    """
    course = Path(course)
    folder = Path(output) if output else course / "student-bundle"
    instructor = assignments.exercise_notebooks()
    missing = [path for path in instructor if not (course / "release" / path.stem / path.name).is_file()]
    if missing:
        assignments.release(missing, course)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "notebooks").mkdir(parents=True)
    for path in sorted(assignments.NOTEBOOKS.glob("*.ipynb")):
        released = course / "release" / path.stem / path.name
        shutil.copy2(released if path in instructor else path, folder / "notebooks" / path.name)
    shutil.copytree(
        assignments.REPO / "digits",
        folder / "digits",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", *TEACHER_MODULES),
    )
    shutil.copytree(assignments.REPO / "models", folder / "models")
    for name in TOP_LEVEL:
        shutil.copy2(assignments.REPO / name, folder / name)
    (folder / "README.md").write_text(STUDENT_README, encoding="utf-8")
    found = leaks(folder, instructor)
    if found:
        shutil.rmtree(folder)
        raise assignments.AssignmentError("the student bundle would hold solutions:\n" + "\n".join(found))
    archive = Path(shutil.make_archive(str(folder), "zip", root_dir=folder.parent, base_dir=folder.name))
    return folder, archive
