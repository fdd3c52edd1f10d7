"""Classroom assignments: nbgrader makes the student version and grades it.

A small assignment of our own (tests/fixtures/notebooks/exercises.ipynb) goes
through the teacher's whole workflow once: release, three students hand it in (the
instructor's solutions, the untouched student version, plausible wrong answers),
autograde. The course's own notebooks go through it from a fresh clone.
"""

from __future__ import annotations

import os
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


def test_grades_before_any_release_says_what_to_do(tmp_path):
    with pytest.raises(assignments.AssignmentError, match="release the assignments first"):
        assignments.grades(tmp_path)


def test_autograde_with_nothing_submitted_says_so(tmp_path):
    with pytest.raises(assignments.AssignmentError, match="nothing submitted"):
        assignments.autograde(course=tmp_path)


# ---------------------------------------------------------------- the course's notebooks

COURSE = ["02_mnist_data", "03_building_the_cnn", "04_training_and_testing", "05_drawing_to_mnist"]


def course_notebook(stem: str):
    return nbformat.read(REPO / "notebooks" / f"{stem}.ipynb", as_version=4)


def exercises(notebook) -> list[tuple]:
    """(statement, solution cell, check cell) for each exercise, in order."""
    found = []
    for i, cell in enumerate(notebook.cells):
        if is_solution(cell):
            found.append((notebook.cells[i - 1], cell, notebook.cells[i + 1]))
    return found


def defined_function(cell) -> str:
    return re.search(r"^def (\w+)\(", cell.source, re.MULTILINE).group(1)


@pytest.mark.parametrize("stem", COURSE)
def test_notebook_holds_two_or_three_exercises_in_nbgraders_format(stem):
    notebook = course_notebook(stem)
    found = exercises(notebook)
    assert 2 <= len(found) <= 3
    assert len([cell for cell in notebook.cells if is_check(cell)]) == len(found)
    for statement, solution, check in found:
        name = defined_function(solution)
        assert statement.cell_type == "markdown" and statement.source.startswith("### Exercise")
        assert f"`{name}(" in statement.source
        assert solution_lines(solution) and solution.metadata.nbgrader.grade_id == name
        assert not solution.metadata.nbgrader.grade and not solution.metadata.nbgrader.locked
        assert is_check(check) and check.metadata.nbgrader.locked and check.metadata.nbgrader.points > 0
        assert re.search(rf"checks\.check_\w+\({name}\)$", check.source)


def test_every_check_is_used_by_an_exercise():
    from digits import checks

    used = set()
    for stem in COURSE:
        for _, _, check in exercises(course_notebook(stem)):
            used.add(re.search(r"checks\.(check_\w+)\(", check.source).group(1))
    assert used == {name for name in checks.__all__ if name.startswith("check_")}


@pytest.mark.parametrize("stem", COURSE)
def test_no_other_cell_uses_a_students_function(stem):
    """So an unfinished exercise can only fail in its own check."""
    notebook = course_notebook(stem)
    found = exercises(notebook)
    own = {id(cell) for exercise in found for cell in exercise}
    for name in [defined_function(solution) for _, solution, _ in found]:
        users = [
            cell.source
            for cell in notebook.cells
            if cell.cell_type == "code" and id(cell) not in own and re.search(rf"(?<![\w.]){name}\b", cell.source)
        ]
        assert not users, f"{name} is used outside its exercise"


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    """The repository's files as a fresh clone has them, with the student release generated by one command."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO, capture_output=True, text=True, check=True,
        ).stdout.split("\0")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    clone = tmp_path_factory.mktemp("clone")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, clone / name)
    assert not (clone / "course").exists()
    run_in(clone, "release")
    return clone


def run_in(clone: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(clone)}
    completed = subprocess.run(
        [sys.executable, "-m", "digits.assignments", *args], cwd=clone, env=env, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def test_release_on_a_fresh_clone_removes_every_solution(fresh_clone):
    for stem in COURSE:
        instructor = course_notebook(stem)
        path = fresh_clone / "course" / "release" / stem / f"{stem}.ipynb"
        assert "SOLUTION" not in path.read_text(encoding="utf-8")
        student = nbformat.read(path, as_version=4)
        released = cells_by_id(student)
        for _, solution, check in exercises(instructor):
            stripped = released[solution.metadata.nbgrader.grade_id].source
            assert STUB in stripped
            assert not [line for line in solution_lines(solution) if line in stripped], stem
            assert released[check.metadata.nbgrader.grade_id].source == check.source
        assert [cell.source for cell in student.cells if not is_solution(cell)] == [
            cell.source for cell in instructor.cells if not is_solution(cell)
        ]


def test_course_folder_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", "course/release/x.ipynb"], cwd=REPO)
    assert ignored.returncode == 0


@pytest.fixture(scope="module")
def graded_course(fresh_clone):
    """Every notebook handed in twice, as the instructor wrote it and as released, then autograded at once."""
    course = fresh_clone / "course"
    for stem in COURSE:
        submit(course, "teacher", fresh_clone / "notebooks" / f"{stem}.ipynb")
        submit(course, "blank", course / "release" / stem / f"{stem}.ipynb")
    run_in(fresh_clone, "autograde")
    return course


def test_instructor_notebooks_get_full_points(graded_course):
    for stem in COURSE:
        got, most = score(graded_course, stem, "teacher")
        assert most == sum(check.metadata.nbgrader.points for _, _, check in exercises(course_notebook(stem)))
        assert got == most, stem
        notebook = nbformat.read(graded_course / "autograded" / "teacher" / stem / f"{stem}.ipynb", as_version=4)
        assert not [cell.source for cell in notebook.cells if errors(cell)]


def test_student_release_fails_in_each_check_with_its_sentence_and_nowhere_else(graded_course):
    for stem in COURSE:
        assert score(graded_course, stem, "blank")[0] == 0
        notebook = nbformat.read(graded_course / "autograded" / "blank" / stem / f"{stem}.ipynb", as_version=4)
        for cell in notebook.cells:
            if is_check(cell):
                [error] = errors(cell)
                assert error.ename == "CheckFailed" and "is not written yet" in error.evalue
                assert len(error.traceback) == 1
            else:
                assert not errors(cell), f"{stem}: {cell.source[:80]}"


def test_nbgrader_finds_its_tools_beside_this_python_without_path(monkeypatch, tmp_path):
    """nbgrader runs `alembic` by name; a venv used without activating it has no bin folder on PATH."""
    import digits.assignments as assignments

    seen = {}

    def run(command, **kwargs):
        seen.update(kwargs["env"])
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setenv("PATH", "/usr/bin")
    monkeypatch.setattr(assignments.subprocess, "run", run)
    assignments._nbgrader("db", "student", "list", course=tmp_path)
    assert seen["PATH"].split(os.pathsep)[:2] == [str(Path(sys.executable).parent), "/usr/bin"]
