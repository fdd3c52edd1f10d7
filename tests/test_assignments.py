"""Classroom assignments: nbgrader makes the student version and grades it, and students cannot cheat it.

The teacher's whole workflow runs once, with the commands a teacher types, on a
fresh clone of the repository: release every notebook with exercises, bundle what
students get, and one autograde (a line per submission) of everything handed in:
each course notebook twice (as the instructor wrote it and as released), and a
small assignment of our own (tests/fixtures/notebooks/exercises.ipynb, three
exercises) by a class of nine (the instructor's solutions, the untouched student
version, plausible wrong answers, five ways of cheating and one notebook with
damaged nbgrader metadata). Each expensive step runs once per module and is
shared by the tests that read it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from digits import assignments, checks

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "notebooks" / "exercises.ipynb"
STUB = "raise NotImplementedError()"
HIDDEN = re.compile(r"\n?### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.DOTALL)

# Wrong-but-plausible answers to the fixture's exercises, as a student would type them.
PLAUSIBLE = {
    "normalize": ('return images.astype("float32")', "divide by 255"),
    "one_hot": ("return np.eye(labels.max() + 1)[labels]", "always 10 classes"),
}

# Ways of cheating: (exercise cheated, the cell's new source, where to put it), the other exercises answered right.
CHEATS = {
    "monkeypatch": (
        "normalize",
        'def normalize(images):\n    raise NotImplementedError()\n\n\nfrom digits import checks\n'
        'checks.check_normalize = lambda function: print("✓ normalize")\n'
        'checks.expect = lambda *args, **kwargs: None',
        "solution",
    ),
    "fake_module": (
        "one_hot",
        'import sys, types\n\nfake = types.ModuleType("digits.checks")\n'
        'fake.check_one_hot = fake.check_normalize = fake.check_fit_in_box = lambda function: print("✓")\n'
        "fake.expect = lambda *args, **kwargs: None\n"
        'sys.modules["digits.checks"] = fake\nimport digits\ndigits.checks = fake\n\n\n'
        "def one_hot(labels):\n    raise NotImplementedError()",
        "solution",
    ),
    "hard_coded": (
        "one_hot",
        "VISIBLE = {(5, 0, 4, 1, 9, 2, 1, 3): [5, 0, 4, 1, 9, 2, 1, 3], (3, 0, 2): [3, 0, 2]}\n\n\n"
        "def one_hot(labels):\n    rows = np.zeros((len(labels), 10))\n"
        "    rows[np.arange(len(labels)), VISIBLE[tuple(int(label) for label in labels)]] = 1\n    return rows",
        "solution",
    ),
    "library_call": (
        "fit_in_box",
        "def fit_in_box(crop):\n    return preprocess.fit_in_box(crop)",
        "solution",
    ),
    "library_import": (
        "fit_in_box",
        "from digits.preprocess import fit_in_box",
        "solution",
    ),
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


def without_hidden_tests(source: str) -> str:
    return HIDDEN.sub("", source)


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


def text(cell) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", []) if output.output_type == "stream")


def score(course: Path, assignment: str, student: str) -> tuple[float, float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return submission.score, submission.max_score


def cell_scores(course: Path, assignment: str, student: str) -> dict[str, float]:
    """``{grade_id: points scored}`` of one submission's test cells."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades}


def say(request, line: str) -> None:
    """Show a progress line on pytest's terminal as it happens, even while output is captured."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"    {line}")


def run_cli(cwd: Path, *args: str, request=None, check: bool = True) -> subprocess.CompletedProcess:
    """``python -m digits.assignments <args>`` as a teacher types it, in ``cwd``; its lines shown as they come."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        [sys.executable, "-m", "digits.assignments", *args], cwd=cwd, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as process:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if request is not None and line.startswith("["):
                say(request, line.rstrip())
        stderr = process.stderr.read()
    completed = subprocess.CompletedProcess(process.args, process.returncode, "".join(lines), stderr)
    if check:
        assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


# ---------------------------------------------------------------- one course, released and autograded once

COURSE = [path.stem for path in assignments.exercise_notebooks(REPO / "notebooks")]
"""The course's notebooks with exercises, however many there are."""


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory, request):
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
    say(request, f"releasing the course's {len(COURSE)} notebooks with exercises from a fresh clone")
    run_cli(clone, "release")
    return clone


def hand_in_the_class(course: Path) -> None:
    """The fixture assignment released into ``course`` and handed in by nine students."""
    [student_version] = assignments.release([FIXTURE], course)
    submit(course, "teacher", FIXTURE)
    submit(course, "blank", student_version)
    wrong = nbformat.read(student_version, as_version=4)
    for grade_id, (code, _) in PLAUSIBLE.items():
        cell = cells_by_id(wrong)[grade_id]
        cell.source = cell.source.replace(STUB, code)
    submit(course, "plausible", student_version, wrong)
    for student, (exercise, source, _) in CHEATS.items():
        cheat = nbformat.read(FIXTURE, as_version=4)
        cells_by_id(cheat)[exercise].source = source
        submit(course, student, FIXTURE, cheat)
    damaged = json.loads(student_version.read_text(encoding="utf-8"))
    for cell in damaged["cells"]:
        if "nbgrader" in cell["metadata"]:
            cell["metadata"]["nbgrader"].update(grade_id=None, points="lots")
    folder = course / "submitted" / "damaged" / FIXTURE.stem
    folder.mkdir(parents=True)
    (folder / FIXTURE.name).write_text(json.dumps(damaged), encoding="utf-8")


def submissions(course: Path, assignment: str = "*") -> list[Path]:
    """The folders handed in to ``course``: ``submitted/<student>/<assignment>/``."""
    return sorted((course / "submitted").glob(f"*/{assignment}"))


@pytest.fixture(scope="module")
def graded(fresh_clone, request):
    """Everything handed in to the fresh clone's course, autograded at once with the teacher's command.

    Each course notebook is handed in twice, by ``teacher`` (as the instructor
    wrote it) and ``blank`` (as released); the fixture assignment by a class of
    nine. Returns ``(course, the autograde command's output)``.
    """
    course = fresh_clone / "course"
    for stem in COURSE:
        submit(course, "teacher", fresh_clone / "notebooks" / f"{stem}.ipynb")
        submit(course, "blank", course / "release" / stem / f"{stem}.ipynb")
    hand_in_the_class(course)
    say(request, f"autograding {len(submissions(course))} submissions: the course's {len(COURSE)} notebooks twice, "
                 f"the fixture assignment by a class of {len(submissions(course, FIXTURE.stem))}")
    completed = run_cli(fresh_clone, "autograde", request=request, check=False)
    return course, completed


def autograded(course: Path, student: str):
    return nbformat.read(course / "autograded" / student / FIXTURE.stem / FIXTURE.name, as_version=4)


def test_release_removes_every_solution_and_the_hidden_tests(graded):
    course, _ = graded
    instructor = nbformat.read(FIXTURE, as_version=4)
    student = nbformat.read(course / "release" / FIXTURE.stem / FIXTURE.name, as_version=4)
    released = cells_by_id(student)
    solutions = [cell for cell in instructor.cells if is_solution(cell)]
    assert solutions
    for cell in solutions:
        stripped = released[cell.metadata.nbgrader.grade_id].source
        assert STUB in stripped and "SOLUTION" not in stripped
        assert not [line for line in solution_lines(cell) if line in stripped]
    assert "HIDDEN" not in (course / "release" / FIXTURE.stem / FIXTURE.name).read_text(encoding="utf-8")


def test_release_keeps_every_check_locked_with_its_points(graded):
    course, _ = graded
    instructor = nbformat.read(FIXTURE, as_version=4)
    released = cells_by_id(nbformat.read(course / "release" / FIXTURE.stem / FIXTURE.name, as_version=4))
    tests = [cell for cell in instructor.cells if is_check(cell)]
    assert tests
    for cell in tests:
        kept = released[cell.metadata.nbgrader.grade_id]
        assert kept.source.strip() == without_hidden_tests(cell.source).strip() and "checks.check_" in kept.source
        assert kept.metadata.nbgrader.points == cell.metadata.nbgrader.points
        assert kept.metadata.nbgrader.locked and kept.metadata.editable is False
        assert "raises-exception" in kept.metadata.tags


def test_release_lands_in_the_course_folder_with_no_outputs(graded):
    course, _ = graded
    student = nbformat.read(course / "release" / FIXTURE.stem / FIXTURE.name, as_version=4)
    assert all(not cell.get("outputs") for cell in student.cells)


def test_autograde_prints_one_progress_line_per_submission(graded):
    course, completed = graded
    lines = [line for line in completed.stdout.splitlines() if line.startswith("[")]
    total = len(submissions(course))
    assert len(lines) == total == 2 * len(COURSE) + 9
    assert [line.split("] ")[0] for line in lines] == [f"[{number}/{total}" for number in range(1, total + 1)]
    students = sorted(path.parent.name for path in submissions(course, FIXTURE.stem))
    assert len(students) == 9
    assert [line.split("] ")[1].split("  ")[:2] for line in lines if f"] {FIXTURE.stem}  " in line] == [
        [FIXTURE.stem, student] for student in students
    ]
    assert re.search(r"\] exercises  teacher  5 / 5 points \(\d+ s\)$", completed.stdout, re.MULTILINE)
    assert re.search(r"\] exercises  blank  0 / 5 points \(\d+ s\)$", completed.stdout, re.MULTILINE)


def test_a_damaged_notebook_is_reported_and_skipped_and_the_others_graded(graded):
    course, completed = graded
    [line] = [line for line in completed.stdout.splitlines() if line.startswith("[") and "  damaged  " in line]
    assert "skipped: " in line and "nbgrader metadata" in line and len(line) < 400
    assert "Traceback" not in completed.stdout + completed.stderr
    total = len(submissions(course))
    assert completed.returncode == 1
    # nothing else on standard error: what nbgrader and its kernels print there stays in each step's log
    assert completed.stderr.splitlines() == [f"1 of {total} submission(s) could not be graded (see above)"]
    assert score(course, FIXTURE.stem, "teacher") == (5, 5)


def test_instructor_version_gets_full_points(graded):
    course, _ = graded
    assert score(course, FIXTURE.stem, "teacher") == (5, 5)
    notebook = autograded(course, "teacher")
    assert not [cell for cell in notebook.cells if errors(cell)]
    ticks = [text(cell) for cell in notebook.cells if is_check(cell)]
    assert len(ticks) == 3 and all(tick.startswith("✓") and tick.count("\n") == 1 for tick in ticks)


def test_untouched_student_version_fails_only_in_its_checks_with_a_friendly_message(graded):
    course, _ = graded
    assert score(course, FIXTURE.stem, "blank")[0] == 0
    notebook = autograded(course, "blank")
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if is_check(cell):
            [error] = errors(cell)
            assert error.ename == "CheckFailed" and "is not written yet" in error.evalue
            assert len(error.traceback) == 1  # the sentence alone, no traceback through digits.checks
        else:
            assert not errors(cell), cell.source
    [fallback] = [text(cell) for cell in notebook.cells if "yours_or_ours(" in cell.source]
    assert fallback.splitlines() == [
        "Your `fit_in_box` is not written yet, so this cell uses `digits.preprocess.fit_in_box` instead.",
        "boxed: (20, 10)",
    ]


def test_plausible_wrong_answers_lose_their_points_and_say_why(graded):
    course, _ = graded
    assert score(course, FIXTURE.stem, "plausible")[0] == 0
    checks_run = {cell.metadata.nbgrader.grade_id: cell for cell in autograded(course, "plausible").cells if is_check(cell)}
    for grade_id, (_, reason) in PLAUSIBLE.items():
        [error] = errors(checks_run[f"check_{grade_id}"])
        assert error.ename == "CheckFailed" and reason in error.evalue


@pytest.mark.parametrize("student", sorted(CHEATS))
def test_cheating_scores_zero_for_the_exercise_cheated(graded, student):
    course, _ = graded
    exercise = CHEATS[student][0]
    scores = cell_scores(course, FIXTURE.stem, student)
    points = {cell.metadata.nbgrader.grade_id: cell.metadata.nbgrader.points
              for cell in nbformat.read(FIXTURE, as_version=4).cells if is_check(cell)}
    assert scores == {grade_id: 0 if grade_id == f"check_{exercise}" else most for grade_id, most in points.items()}


def test_a_hard_coded_answer_passes_the_visible_check_and_fails_the_hidden_one(graded):
    course, _ = graded
    [check] = [cell for cell in autograded(course, "hard_coded").cells if is_check(cell) and "check_one_hot(" in cell.source]
    [error] = errors(check)
    assert text(check).startswith("✓ one_hot")
    assert error.ename == "CheckFailed" and "hidden cases" in error.evalue


def test_calling_the_library_says_so(graded):
    course, _ = graded
    for student, says in [("library_call", "calls the course's own `digits.preprocess.fit_in_box`"),
                          ("library_import", "is the course's own `digits.preprocess.fit_in_box`, not yours")]:
        [check] = [cell for cell in autograded(course, student).cells if is_check(cell) and "fit_in_box(" in cell.source]
        [error] = errors(check)
        assert says in error.evalue


def test_grades_lists_every_submission(graded):
    course, _ = graded
    rows = {(row["student"], row["score"]) for row in assignments.grades(course)}
    assert {("teacher", 5), ("blank", 0), ("plausible", 0), ("monkeypatch", 3), ("library_call", 3)} <= rows


def test_autograde_again_regrades_nothing_unless_forced(graded):
    course, _ = graded
    results = assignments.autograde(["exercises"], course, progress=None)
    assert {result.student: result.status for result in results if result.student != "damaged"} == {
        student: "up to date" for student in ["blank", "teacher", "plausible", *CHEATS]
    }
    teacher = course / "autograded" / "teacher" / FIXTURE.stem / FIXTURE.name
    before = teacher.stat().st_mtime_ns
    again = [result for result in assignments.autograde(["exercises"], course, progress=None) if result.student == "teacher"]
    assert again[0].status == "up to date" and teacher.stat().st_mtime_ns == before


def test_the_student_version_runs_all_cells_past_unanswered_exercises(graded, tmp_path):
    """As JupyterLab's Run All does: nbclient stops at an error, except in cells tagged raises-exception."""
    from nbclient import NotebookClient

    course, _ = graded
    notebook = nbformat.read(course / "release" / FIXTURE.stem / FIXTURE.name, as_version=4)
    NotebookClient(notebook, timeout=120, allow_errors=False, resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    assert [bool(errors(cell)) for cell in code] == [is_check(cell) for cell in code]


def test_a_check_run_before_its_exercise_says_so_in_one_line(tmp_path):
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(checks.FRESH_IMPORT + "\nchecks.check_normalize(normalize)")])
    NotebookClient(notebook, timeout=120, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}).execute()
    [error] = errors(notebook.cells[0])
    assert error.ename == "NameError" and len(error.traceback) == 1
    assert "`normalize` is not defined yet: run the cell that defines it" in error.traceback[0]


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


# ---------------------------------------------------------------- re-releasing safely

@pytest.fixture(scope="module")
def released_template(tmp_path_factory):
    """A folder holding ``notebooks/exercises.ipynb`` (a copy of the fixture) released into ``course/``."""
    folder = tmp_path_factory.mktemp("released")
    instructor = folder / "notebooks" / FIXTURE.name
    instructor.parent.mkdir()
    shutil.copy(FIXTURE, instructor)
    assignments.release([instructor], folder / "course")
    return folder


@pytest.fixture
def released_once(released_template, tmp_path):
    """The fixture assignment released into a fresh course, its instructor notebook a copy the test may edit.

    A copy of one release (nbgrader's gradebook holds no paths), so each test starts from the same state.
    """
    shutil.copytree(released_template, tmp_path, dirs_exist_ok=True)
    return tmp_path / "notebooks" / FIXTURE.name, tmp_path / "course"


def with_points(path: Path, grade_id: str, points) -> None:
    notebook = nbformat.read(path, as_version=4)
    cells_by_id(notebook)[grade_id].metadata.nbgrader.points = points
    nbformat.write(notebook, path)


def test_an_edit_made_in_the_course_source_is_released_and_kept(released_once):
    instructor, course = released_once
    source = course / "source" / FIXTURE.stem / FIXTURE.name
    edited = nbformat.read(source, as_version=4)
    edited.cells[0].source += "\n\nDue on Friday."
    nbformat.write(edited, source)
    assignments.release([instructor], course)
    assert "Due on Friday." in source.read_text(encoding="utf-8")
    assert "Due on Friday." in (course / "release" / FIXTURE.stem / FIXTURE.name).read_text(encoding="utf-8")


def test_an_edit_in_the_course_source_and_another_in_the_notebook_stop_the_release(released_once):
    instructor, course = released_once
    source = course / "source" / FIXTURE.stem / FIXTURE.name
    edited = nbformat.read(source, as_version=4)
    edited.cells[0].source += "\n\nDue on Friday."
    nbformat.write(edited, source)
    with_points(instructor, "check_one_hot", 3)
    before = source.read_bytes()
    with pytest.raises(assignments.AssignmentError, match="holds edits that .* does not have"):
        assignments.release([instructor], course)
    assert source.read_bytes() == before


def test_new_points_after_submissions_stop_the_release_before_any_change(released_once):
    instructor, course = released_once
    submit(course, "ada", course / "release" / FIXTURE.stem / FIXTURE.name)
    with_points(instructor, "check_one_hot", 3)
    student_version = course / "release" / FIXTURE.stem / FIXTURE.name
    before = (course / "source" / FIXTURE.stem / FIXTURE.name).read_bytes(), student_version.read_bytes()
    with pytest.raises(assignments.AssignmentError, match=r"1 submission.*check_one_hot 1 -> 3 points.*nothing was changed"):
        assignments.release([instructor], course)
    assert ((course / "source" / FIXTURE.stem / FIXTURE.name).read_bytes(), student_version.read_bytes()) == before
    assignments.release([instructor], course, force=True)
    assert assignments.graded_cells(course / "source" / FIXTURE.stem / FIXTURE.name)["check_one_hot"] == 3


def test_removing_a_graded_exercise_after_submissions_is_refused_even_with_force(released_once):
    instructor, course = released_once
    submit(course, "ada", course / "release" / FIXTURE.stem / FIXTURE.name)
    notebook = nbformat.read(instructor, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") != "check_one_hot"]
    nbformat.write(notebook, instructor)
    with pytest.raises(assignments.AssignmentError, match="check_one_hot removed.*cannot remove a graded cell"):
        assignments.release([instructor], course, force=True)
    assert (course / "release" / FIXTURE.stem / FIXTURE.name).is_file()


# ---------------------------------------------------------------- the course's notebooks

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


@pytest.mark.parametrize("notebook_path", [*(REPO / "notebooks" / f"{stem}.ipynb" for stem in COURSE), FIXTURE],
                         ids=lambda path: path.stem)
def test_every_test_cell_reads_the_checks_afresh_and_holds_hidden_tests(notebook_path):
    notebook = nbformat.read(notebook_path, as_version=4)
    for _, solution, check in exercises(notebook):
        name = defined_function(solution) if solution.source.startswith("def") else solution.metadata.nbgrader.grade_id
        visible, _, hidden = check.source.partition("### BEGIN HIDDEN TESTS\n")
        assert visible.startswith(checks.FRESH_IMPORT)
        assert re.fullmatch(rf"checks\.check_\w+\({name}\)", visible[len(checks.FRESH_IMPORT):].strip())
        assert hidden.endswith("### END HIDDEN TESTS") and f"checks.expect({name}, " in hidden
        assert "raises-exception" in check.metadata.tags


def test_every_check_is_used_by_an_exercise():
    used = set()
    for stem in COURSE:
        for _, _, check in exercises(course_notebook(stem)):
            used.add(re.search(r"checks\.(check_\w+)\(", check.source).group(1))
    assert used == {name for name in checks.__all__ if name.startswith("check_")}


@pytest.mark.parametrize("stem", COURSE)
def test_other_cells_use_a_students_function_only_through_the_fallback(stem):
    """So an unfinished exercise fails only in its own check, and Run All goes on."""
    notebook = course_notebook(stem)
    found = exercises(notebook)
    own = {id(cell) for exercise in found for cell in exercise}
    for name in [defined_function(solution) for _, solution, _ in found]:
        for cell in notebook.cells:
            if cell.cell_type != "code" or id(cell) in own:
                continue
            uses = re.findall(rf"(?<![\w.]){name}\b.?", cell.source)
            assert all(use == f"{name}," for use in uses), f"{name} used outside its exercise: {cell.source}"
            if uses:
                assert re.search(rf"yours_or_ours\({name}, ", cell.source)


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
            assert released[check.metadata.nbgrader.grade_id].source.strip() == without_hidden_tests(check.source).strip()
        assert [cell.source.strip() for cell in student.cells if not is_solution(cell)] == [
            without_hidden_tests(cell.source).strip() for cell in instructor.cells if not is_solution(cell)
        ]


def test_course_folder_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", "course/release/x.ipynb"], cwd=REPO)
    assert ignored.returncode == 0


@pytest.fixture(scope="module")
def bundle(fresh_clone):
    """The student bundle made with one command on the fresh clone (after its release)."""
    run_cli(fresh_clone, "bundle")
    return fresh_clone / "course" / "student-bundle"


def test_the_student_bundle_holds_the_course_without_answers_or_fixtures(bundle, fresh_clone):
    names = {str(path.relative_to(bundle)) for path in bundle.rglob("*") if path.is_file()}
    assert {"README.md", "requirements.txt", "pyproject.toml", "models/digits_cnn.onnx", "digits/checks.py",
            "digits/exercises.py"} <= names
    assert {f"notebooks/{path.name}" for path in (REPO / "notebooks").glob("*.ipynb")} <= names
    assert not [name for name in names if name.startswith(("tests", "docs", "benchmarks")) or "answers" in name
                or name in ("nbgrader_config.py", "digits/assignments.py", "digits/bundle.py")]
    shown = set()  # lines the instructor notebooks show outside their solutions (formulas the prose works through)
    solutions = set()
    for stem in COURSE:
        for cell in course_notebook(stem).cells:
            (solutions.update(solution_lines(cell)) if is_solution(cell) else
             shown.update(line.strip() for line in cell.source.splitlines()))
    secret = {line for line in solutions - shown if len(line) >= 12 and not line.startswith("#")}
    assert secret
    for name in sorted(names):
        if name.endswith((".py", ".ipynb", ".md", ".txt", ".toml", ".json")):
            content = (bundle / name).read_text(encoding="utf-8")
            if name.endswith(".ipynb"):
                content = "\n".join(cell.source for cell in nbformat.reads(content, as_version=4).cells)
            assert not secret & {line.strip() for line in content.splitlines()}, name
            assert "### BEGIN" not in content and "HIDDEN TESTS" not in content, name
    assert (fresh_clone / "course" / "student-bundle.zip").stat().st_size > 1_000_000
    readme = (bundle / "README.md").read_text(encoding="utf-8")
    assert "python -m pip install -r requirements.txt" in readme and "python -m jupyter lab notebooks/" in readme


def test_in_the_bundle_the_library_function_does_not_pass_its_exercise(bundle):
    code = (
        "from digits import checks, preprocess\n"
        "try:\n    checks.check_fit_in_box(preprocess.fit_in_box)\nexcept checks.CheckFailed as failed:\n    print(failed)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(bundle)}
    completed = subprocess.run([sys.executable, "-c", code], cwd=bundle, env=env, capture_output=True, text=True)
    assert "is the course's own `digits.preprocess.fit_in_box`, not yours" in completed.stdout, completed.stderr
    assert str(bundle) in subprocess.run(
        [sys.executable, "-c", "import digits.checks; print(digits.checks.__file__)"], cwd=bundle, env=env,
        capture_output=True, text=True,
    ).stdout


def test_instructor_notebooks_get_full_points(graded):
    graded_course, _ = graded
    for stem in COURSE:
        got, most = score(graded_course, stem, "teacher")
        assert most == sum(check.metadata.nbgrader.points for _, _, check in exercises(course_notebook(stem)))
        assert got == most, stem
        notebook = nbformat.read(graded_course / "autograded" / "teacher" / stem / f"{stem}.ipynb", as_version=4)
        assert not [cell.source for cell in notebook.cells if errors(cell)]


def test_student_release_fails_in_each_check_with_its_sentence_and_nowhere_else(graded):
    graded_course, _ = graded
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
            if "yours_or_ours(" in cell.source:
                assert text(cell).startswith("Your `") and "is not written yet, so this cell uses" in text(cell)


def test_graded_notebooks_keep_their_figures_as_text_not_pictures(graded):
    course, _ = graded
    figures = []
    for stem in COURSE:
        notebook = nbformat.read(course / "autograded" / "teacher" / stem / f"{stem}.ipynb", as_version=4)
        shown = [output.get("data", {}) for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
        assert not [data for data in shown if "image/png" in data], stem
        figures += [data["text/plain"] for data in shown if "Figure size" in data.get("text/plain", "")]
    assert figures  # the notebooks draw figures: as text


def test_feedback_holds_the_report_and_no_saved_model(graded):
    graded_course, _ = graded
    assignments._nbgrader("generate_feedback", "04_training_and_testing", course=graded_course)
    feedback = graded_course / "feedback" / "blank" / "04_training_and_testing"
    assert (feedback / "04_training_and_testing.html").is_file()
    assert list((graded_course / "autograded" / "blank" / "04_training_and_testing").rglob("*.keras"))  # it trained
    assert not list((graded_course / "feedback").rglob("*.keras"))


def test_nbgrader_finds_its_tools_beside_this_python_without_path(monkeypatch, tmp_path):
    """nbgrader runs `alembic` by name; a venv used without activating it has no bin folder on PATH."""
    seen = {}

    def run(command, **kwargs):
        seen.update(kwargs["env"])
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setenv("PATH", "/usr/bin")
    monkeypatch.setattr(assignments.subprocess, "run", run)
    assignments._nbgrader("db", "student", "list", course=tmp_path)
    assert seen["PATH"].split(os.pathsep)[:2] == [str(Path(sys.executable).parent), "/usr/bin"]
