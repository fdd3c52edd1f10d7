"""Classroom assignments: the course's exercises handed out and graded with nbgrader.

The notebooks in ``notebooks/`` are the instructor version: every exercise has its
solution in place, between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in a cell
marked as an nbgrader solution cell, followed by an autograded test cell (with
points) that calls a check from `digits.checks`. This module only drives nbgrader's
own commands over them, in an nbgrader course directory (``course/``, git-ignored)
laid out as ``nbgrader_config.py`` describes::

    python -m digits.assignments release          # student versions of every notebook with exercises
    python -m digits.assignments release notebooks/05_drawing_to_mnist.ipynb
    python -m digits.assignments autograde        # grade everything in course/submitted/
    python -m digits.assignments grades           # the scores, one line per submission

``release`` copies each instructor notebook to ``course/source/<name>/`` and runs
``nbgrader generate_assignment <name>``, which removes the solutions (leaving
``raise NotImplementedError()``), clears the outputs, locks the checks and records
the assignment in ``course/gradebook.db``; the student version lands in
``course/release/<name>/``. Each notebook is one assignment, named after it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
"""The repository: its ``nbgrader_config.py`` configures every nbgrader command run here."""
NOTEBOOKS = REPO / "notebooks"
"""The instructor notebooks."""
COURSE = REPO / "course"
"""The nbgrader course directory (git-ignored)."""

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


class AssignmentError(RuntimeError):
    """An nbgrader step failed, or there is nothing to release."""


def _nbgrader_cells(path: Path) -> list[dict]:
    """The ``nbgrader`` metadata of every cell of a notebook."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    return [cell.get("metadata", {}).get("nbgrader", {}) for cell in notebook["cells"]]


def has_exercises(path: Path) -> bool:
    """Whether a notebook holds nbgrader solution or autograded test cells."""
    return any(meta.get("solution") or meta.get("grade") for meta in _nbgrader_cells(path))


def exercise_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks of ``folder`` that hold exercises, in course order."""
    return [path for path in sorted(Path(folder).glob("*.ipynb")) if has_exercises(path)]


def _nbgrader(command: str, *args: str, course: Path) -> str:
    """Run ``nbgrader <command> <args>`` on ``course``; return its log, raise `AssignmentError` on failure.

    It runs from the repository root, so the repository's ``nbgrader_config.py``
    applies, and the kernels it starts (to autograde) import this ``digits``.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    # nbgrader runs its database tool `alembic` by name: find it beside this Python even
    # where the environment's bin folder is not on PATH (a venv used without activating it).
    env["PATH"] = os.pathsep.join(filter(None, [str(Path(sys.executable).parent), env.get("PATH")]))
    completed = subprocess.run(
        [sys.executable, "-m", "nbgrader", command, *args, f"--CourseDirectory.root={Path(course).resolve()}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    log = completed.stdout + completed.stderr
    if completed.returncode != 0 or "[ERROR]" in log:
        raise AssignmentError(f"`nbgrader {command} {' '.join(args)}` failed:\n{log}")
    return log


def release(notebooks: list[Path] | None = None, course: Path = COURSE) -> list[Path]:
    """Generate the student version of each notebook with nbgrader; return their paths.

    ``notebooks`` defaults to every notebook of ``notebooks/`` with exercises. The
    student version of ``02_mnist_data.ipynb`` is
    ``<course>/release/02_mnist_data/02_mnist_data.ipynb``: solutions replaced by
    ``raise NotImplementedError()``, outputs cleared, checks kept and locked.
    Submissions and grades already in ``course`` are kept.
    """
    paths = [Path(path) for path in notebooks] if notebooks else exercise_notebooks()
    if not paths:
        raise AssignmentError(f"no notebook with exercises in {NOTEBOOKS}")
    released = []
    for path in paths:
        if not has_exercises(path):
            raise AssignmentError(f"{path} has no nbgrader exercises to release")
        assignment = path.stem
        source = Path(course) / "source" / assignment
        if source.exists():
            shutil.rmtree(source)
        source.mkdir(parents=True)
        shutil.copy2(path, source / path.name)
        _nbgrader("generate_assignment", assignment, "--force", course=course)
        student = Path(course) / "release" / assignment / path.name
        text = student.read_text(encoding="utf-8")
        if any(marker in text for marker in SOLUTION_MARKERS):
            raise AssignmentError(f"{student} still holds a solution")
        released.append(student)
    return released


def submitted_assignments(course: Path = COURSE) -> list[str]:
    """The assignments that have at least one submission in ``<course>/submitted/<student>/``."""
    folder = Path(course) / "submitted"
    return sorted({path.name for path in folder.glob("*/*") if path.is_dir()})


def autograde(assignments: list[str] | None = None, course: Path = COURSE) -> None:
    """Autograde every submission of each assignment (default: all that have submissions).

    Runs ``nbgrader autograde <assignment> --force``: each submitted notebook gets
    nbgrader's checks restored, is executed, and its score goes to the gradebook;
    the executed notebooks are in ``<course>/autograded/<student>/<assignment>/``.
    """
    assignments = assignments or submitted_assignments(course)
    if not assignments:
        raise AssignmentError(f"nothing submitted in {Path(course) / 'submitted'}")
    for assignment in assignments:
        _nbgrader("autograde", assignment, "--force", course=course)


def grades(course: Path = COURSE) -> list[dict]:
    """One row per graded submission: ``student``, ``assignment``, ``score``, ``max_score``."""
    from nbgrader.api import Gradebook

    database = Path(course).resolve() / "gradebook.db"
    if not database.is_file():
        raise AssignmentError(f"no gradebook in {course}: release the assignments first")
    rows = []
    with Gradebook(f"sqlite:///{database}") as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                rows.append(
                    {
                        "student": submission.student.id,
                        "assignment": assignment.name,
                        "score": submission.score,
                        "max_score": submission.max_score,
                    }
                )
    return sorted(rows, key=lambda row: (row["assignment"], row["student"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m digits.assignments", description=__doc__.split("\n")[0])
    parser.add_argument("--course", type=Path, default=COURSE, help="nbgrader course directory (default: course/)")
    commands = parser.add_subparsers(dest="command", required=True)
    release_parser = commands.add_parser("release", help="generate the student versions with nbgrader")
    release_parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook with exercises")
    autograde_parser = commands.add_parser("autograde", help="autograde submitted/<student>/<assignment>/")
    autograde_parser.add_argument("assignments", nargs="*", help="default: every assignment with submissions")
    commands.add_parser("grades", help="print the scores in the gradebook")
    args = parser.parse_args(argv)
    try:
        if args.command == "release":
            for student in release(args.notebooks or None, args.course):
                print(f"student version: {os.path.relpath(student)}")
        elif args.command == "autograde":
            autograde(args.assignments or None, args.course)
            args.command = "grades"
        if args.command == "grades":
            for row in grades(args.course):
                print(f"{row['assignment']:<28} {row['student']:<20} {row['score']:g} / {row['max_score']:g}")
    except AssignmentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
