"""Classroom assignments: nbgrader makes the student version and grades it.

A small assignment of our own (tests/fixtures/notebooks/exercises.ipynb) goes
through the teacher's whole workflow once: release, three students hand it in (the
instructor's solutions, the untouched student version, plausible wrong answers),
autograde. The course's own notebooks go through it from a fresh clone.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from digits import assignments

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "notebooks" / "exercises.ipynb"
STUB = "raise NotImplementedError()"

# Wrong-but-plausible answers to the fixture's exercises, as a student would type them.
PLAUSIBLE = {
    "normalize": ('return images.astype("float32")', "divide by 255"),
    "one_hot": ("return np.eye(labels.max() + 1)[labels]", "always 10 classes"),
}


def cells_by_id(notebook) -> dict:
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in notebook.cells if "nbgrader" in cell.metadata}


def solution_lines(cell) -> list[str]:
    """The lines strictly between a cell's solution markers."""
    lines = cell.source.splitlines()
    begin = next(i for i, line in enumerate(lines) if "### BEGIN SOLUTION" in line)
    end = next(i for i, line in enumerate(lines) if "### END SOLUTION" in line)
    return [line.strip() for line in lines[begin + 1 : end] if line.strip()]


def is_solution(cell) -> bool:
    return cell.metadata.get("nbgrader", {}).get("solution", False)


def is_check(cell) -> bool:
    return cell.metadata.get("nbgrader", {}).get("grade", False)


def submit(course: Path, student: str, notebook_path: Path, notebook=None) -> None:
    """Hand in a notebook as nbgrader's collect would place it."""
    folder = course / "submitted" / student / notebook_path.stem
    folder.mkdir(parents=True, exist_ok=True)
    if notebook is None:
        shutil.copy(notebook_path, folder / notebook_path.name)
    else:
        nbformat.write(notebook, folder / notebook_path.name)


def errors(cell) -> list:
    return [output for output in cell.get("outputs", []) if output.output_type == "error"]


def score(course: Path, assignment: str, student: str) -> tuple[float, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return submission.score, submission.max_score


# ---------------------------------------------------------------- the fixture assignment

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The fixture assignment released, handed in by three students and autograded."""
    course = tmp_path_factory.mktemp("course")
    [student_version] = assignments.release([FIXTURE], course)
    submit(course, "teacher", FIXTURE)
    submit(course, "blank", student_version)
    wrong = nbformat.read(student_version, as_version=4)
    for grade_id, (code, _) in PLAUSIBLE.items():
        cell = cells_by_id(wrong)[grade_id]
        cell.source = cell.source.replace(STUB, code)
    submit(course, "plausible", student_version, wrong)
    assignments.autograde(course=course)
    return course


def autograded(course: Path, student: str):
    return nbformat.read(course / "autograded" / student / FIXTURE.stem / FIXTURE.name, as_version=4)


def test_release_removes_every_solution(graded):
    instructor = nbformat.read(FIXTURE, as_version=4)
    student = nbformat.read(graded / "release" / FIXTURE.stem / FIXTURE.name, as_version=4)
    released = cells_by_id(student)
    solutions = [cell for cell in instructor.cells if is_solution(cell)]
    assert solutions
    for cell in solutions:
        stripped = released[cell.metadata.nbgrader.grade_id].source
        assert STUB in stripped and "SOLUTION" not in stripped
        assert not [line for line in solution_lines(cell) if line in stripped]


def test_release_keeps_every_check_locked_with_its_points(graded):
    instructor = nbformat.read(FIXTURE, as_version=4)
    released = cells_by_id(nbformat.read(graded / "release" / FIXTURE.stem / FIXTURE.name, as_version=4))
    checks = [cell for cell in instructor.cells if is_check(cell)]
    assert checks
    for cell in checks:
        kept = released[cell.metadata.nbgrader.grade_id]
        assert kept.source == cell.source and "checks.check_" in kept.source
        assert kept.metadata.nbgrader.points == cell.metadata.nbgrader.points
        assert kept.metadata.nbgrader.locked and kept.metadata.editable is False


def test_release_lands_in_the_course_folder_with_no_outputs(graded):
    student = nbformat.read(graded / "release" / FIXTURE.stem / FIXTURE.name, as_version=4)
    assert all(not cell.get("outputs") for cell in student.cells)


def test_instructor_version_gets_full_points(graded):
    got, most = score(graded, FIXTURE.stem, "teacher")
    assert most == 3 and got == most
    notebook = autograded(graded, "teacher")
    assert not [cell for cell in notebook.cells if errors(cell)]
    ticks = [cell.outputs[0].text for cell in notebook.cells if is_check(cell)]
    assert ticks and all(text.startswith("✓") for text in ticks)


def test_untouched_student_version_fails_only_in_its_checks_with_a_friendly_message(graded):
    assert score(graded, FIXTURE.stem, "blank")[0] == 0
    notebook = autograded(graded, "blank")
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if is_check(cell):
            [error] = errors(cell)
            assert error.ename == "CheckFailed" and "is not written yet" in error.evalue
            assert len(error.traceback) == 1  # the sentence alone, no traceback through digits.checks
        else:
            assert not errors(cell), cell.source


def test_plausible_wrong_answers_lose_their_points_and_say_why(graded):
    assert score(graded, FIXTURE.stem, "plausible")[0] == 0
    checks = {cell.source: cell for cell in autograded(graded, "plausible").cells if is_check(cell)}
    for grade_id, (_, reason) in PLAUSIBLE.items():
        [error] = errors(checks[f"checks.check_{grade_id}({grade_id})"])
        assert error.ename == "CheckFailed" and reason in error.evalue


def test_grades_lists_every_submission(graded):
    rows = assignments.grades(graded)
    assert {(row["student"], row["score"], row["max_score"]) for row in rows} == {
        ("teacher", 3, 3),
        ("blank", 0, 3),
        ("plausible", 0, 3),
    }


def test_notebook_without_exercises_is_refused(tmp_path):
    plain = tmp_path / "plain.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), plain)
    with pytest.raises(assignments.AssignmentError, match="no nbgrader exercises"):
        assignments.release([plain], tmp_path / "course")
