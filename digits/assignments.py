"""Classroom assignments: the course's exercises handed out and graded with nbgrader.

The notebooks in ``notebooks/`` are the instructor version: every exercise has its
solution in place, between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in a cell
marked as an nbgrader solution cell, followed by an autograded test cell (with
points, and hidden tests) that calls a check from `digits.checks`. This module
drives nbgrader's own commands over them, in an nbgrader course directory
(``course/``, git-ignored) laid out as ``nbgrader_config.py`` describes::

    python -m digits.assignments release          # student versions of every notebook with exercises
    python -m digits.assignments release notebooks/05_drawing_to_mnist.ipynb
    python -m digits.assignments bundle           # what students get: course/student-bundle.zip
    python -m digits.assignments autograde        # grade what is new in course/submitted/
    python -m digits.assignments autograde --force            # regrade everything
    python -m digits.assignments grades           # the scores, one line per submission

``release`` copies each instructor notebook to ``course/source/<name>/`` and runs
``nbgrader generate_assignment <name>``, which removes the solutions (leaving
``raise NotImplementedError()``) and the hidden tests, clears the outputs, locks the
checks and records the assignment in ``course/gradebook.db``; the student version
lands in ``course/release/<name>/``. Each notebook is one assignment, named after it.
A notebook edited in ``course/source/`` is released as it is, never overwritten; a
release that would change the points of an assignment with submissions stops
before it changes anything.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from .exercises import AUTOGRADE_VARIABLE

REPO = Path(__file__).resolve().parent.parent
"""The repository: its ``nbgrader_config.py`` configures every nbgrader command run here."""
NOTEBOOKS = REPO / "notebooks"
"""The instructor notebooks."""
COURSE = REPO / "course"
"""The nbgrader course directory (git-ignored)."""

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
_COPIES = ".digits-sources.json"
"""In the course directory: the SHA-256 of each notebook `release` copied into ``source/``."""


class AssignmentError(RuntimeError):
    """An nbgrader step failed, there is nothing to release, or a release would lose work."""


# ---------------------------------------------------------------- notebooks and their graded cells

def _cells(path: Path) -> list[dict]:
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
        return list(notebook["cells"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise AssignmentError(f"{path} is not a readable notebook: {error}") from None


def _nbgrader_cells(path: Path) -> list[dict]:
    """The ``nbgrader`` metadata of every cell of a notebook."""
    return [cell.get("metadata", {}).get("nbgrader", {}) for cell in _cells(path)]


def has_exercises(path: Path) -> bool:
    """Whether a notebook holds nbgrader solution or autograded test cells."""
    return any(meta.get("solution") or meta.get("grade") for meta in _nbgrader_cells(path))


def graded_cells(path: Path) -> dict[str, float]:
    """``{grade_id: points}`` of a notebook's autograded test cells."""
    return {meta["grade_id"]: float(meta.get("points", 0)) for meta in _nbgrader_cells(path) if meta.get("grade")}


def exercise_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks of ``folder`` that hold exercises, in course order."""
    return [path for path in sorted(Path(folder).glob("*.ipynb")) if has_exercises(path)]


# ---------------------------------------------------------------- running nbgrader

def _nbgrader_environment(env: dict) -> dict:
    """``env`` as nbgrader and its kernels need it: this ``digits`` first on the path, nbgrader's tools found."""
    env = dict(env)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    # nbgrader runs its database tool `alembic` by name: find it beside this Python even
    # where the environment's bin folder is not on PATH (a venv used without activating it).
    env["PATH"] = os.pathsep.join(filter(None, [str(Path(sys.executable).parent), env.get("PATH")]))
    return env


def _nbgrader(command: str, *args: str, course: Path, env: dict | None = None) -> str:
    """Run ``nbgrader <command> <args>`` on ``course``; return its log, raise `AssignmentError` on failure.

    It runs from the repository root, so the repository's ``nbgrader_config.py``
    applies, and the kernels it starts (to autograde) import this ``digits``.
    """
    env = _nbgrader_environment(os.environ if env is None else env)
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


class _InProcess:
    """nbgrader's ``generate_assignment`` and ``autograde`` run through its Python API, in this process.

    nbgrader takes seconds to import; a class of thirty run as thirty ``nbgrader``
    commands would import it thirty times. The API (the one nbgrader's formgrader
    uses) runs the same steps with the repository's ``nbgrader_config.py``, on
    ``course``. Each call sees the environment `_nbgrader` would give the command
    (plus ``env``); what the kernels print on their standard error is kept in the
    step's log, as it is for a command, instead of reaching the teacher's terminal.
    """

    def __init__(self, course: Path):
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader

        config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
        config.CourseDirectory.root = str(Path(course).resolve())
        self.api = NbGraderAPI(CourseDirectory(config=config), config=config)

    def generate_assignment(self, assignment: str) -> str:
        """``nbgrader generate_assignment <assignment> --force``; its log."""
        return self._run("generate_assignment", assignment, force=True, create=True)

    def autograde(self, assignment: str, student: str, *, force: bool, env: dict | None = None) -> str:
        """``nbgrader autograde <assignment> --student <student> [--force]``; its log."""
        return self._run("autograde", assignment, student, force=force, create=True, env=env)

    def _run(self, command: str, *args, env: dict | None = None, **options) -> str:
        with _environment(_nbgrader_environment({**os.environ, **(env or {})})), _standard_error() as stderr:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SQLAlchemy's notes on nbgrader's sessions
                result = getattr(self.api, command)(*args, **options)
        log = result.get("log", "") + result.get("error", "") + "".join(stderr)
        if not result["success"] or "[ERROR]" in log:
            raise AssignmentError(f"`nbgrader {command} {' '.join(args)}` failed:\n{log}")
        return log


@contextlib.contextmanager
def _environment(env: dict):
    """``os.environ`` set to ``env`` inside the block (kernels started there inherit it), restored after."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _standard_error():
    """Standard error (file descriptor 2: this process's and its children's) kept inside the block.

    Yields a list that holds, once the block is over, the text written there.
    """
    text: list[str] = []
    sys.stderr.flush()
    with tempfile.TemporaryFile() as file:
        saved = os.dup(2)
        os.dup2(file.fileno(), 2)
        try:
            yield text
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            file.seek(0)
            text.append(file.read().decode("utf-8", "replace"))


def _gist(error: AssignmentError, limit: int = 240) -> str:
    """One line out of an nbgrader failure's log: its first error message, whitespace collapsed."""
    lines = str(error).splitlines()[1:]
    first = next((i for i, line in enumerate(lines) if "ERROR]" in line), None)
    if first is None:
        message = next((line for line in reversed(lines) if line.strip()), "nbgrader failed")
    else:
        message = [lines[first].split("ERROR]", 1)[1]]
        for line in lines[first + 1 :]:
            if line.startswith("[") or line.startswith("Traceback"):
                break
            message.append(line)
        message = " ".join(" ".join(message).split())
    message = message.replace("**", "").strip()
    return message if len(message) <= limit else message[: limit - 3].rsplit(" ", 1)[0] + "..."


# ---------------------------------------------------------------- release

def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _copies(course: Path) -> dict:
    try:
        return json.loads((Path(course) / _COPIES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _recorded_cells(course: Path, assignment: str) -> tuple[dict[str, float], int]:
    """The graded cells the gradebook holds for ``assignment`` and how many submissions it has."""
    database = Path(course).resolve() / "gradebook.db"
    submitted = len(list((Path(course) / "submitted").glob(f"*/{assignment}")))
    if not database.is_file():
        return {}, submitted
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{database}") as gradebook:
        try:
            recorded = gradebook.find_assignment(assignment)
        except MissingEntry:
            return {}, submitted
        cells = {cell.name: float(cell.max_score) for notebook in recorded.notebooks for cell in notebook.grade_cells}
        return cells, max(submitted, recorded.num_submissions)


@dataclass
class _Plan:
    """What `release` will do for one notebook: copy it into ``source/`` or release the teacher's edited copy."""

    notebook: Path
    assignment: str
    source: Path
    copy: bool
    note: str = ""


def _plan(path: Path, course: Path, force: bool) -> _Plan:
    """Decide what releasing ``path`` does; raise `AssignmentError` for anything that would lose work."""
    if not has_exercises(path):
        raise AssignmentError(f"{path} has no nbgrader exercises to release")
    assignment = path.stem
    source = Path(course) / "source" / assignment / path.name
    plan = _Plan(path, assignment, source, copy=True)
    if source.is_file():
        ours, theirs = _sha256(path), _sha256(source)
        copied = _copies(course).get(assignment)
        if theirs == ours:
            plan.copy = False
        elif theirs != copied:  # edited in course/source/ since release copied it (or never copied by release)
            if copied is not None and ours == copied:
                plan.copy = False
                plan.note = f"released your edited {os.path.relpath(source)} (notebooks/{path.name} is unchanged)"
            else:
                raise AssignmentError(
                    f"{source} holds edits that {path} does not have, and releasing would overwrite them: "
                    f"copy your edits into {path} (or delete {source} to release {path} as it is), then release again."
                )
    new = graded_cells(path if plan.copy else source)
    old, submissions = _recorded_cells(course, assignment)
    if submissions and old and new != old:
        changes = [f"{cell} removed" for cell in sorted(set(old) - set(new))]
        changes += [f"{cell} added ({new[cell]:g} points)" for cell in sorted(set(new) - set(old))]
        changes += [f"{cell} {old[cell]:g} -> {new[cell]:g} points" for cell in sorted(set(old) & set(new)) if old[cell] != new[cell]]
        removed = set(old) - set(new)
        if removed or not force:
            advice = (
                "nbgrader cannot remove a graded cell that already has grades: keep the exercise (with 0 points if you like)"
                if removed
                else "to release it anyway, run `release --force`, then `autograde --force` so every score is recomputed"
            )
            raise AssignmentError(
                f"{assignment} already has {submissions} submission(s), and this release changes its graded cells "
                f"({'; '.join(changes)}): nothing was changed; {advice}."
            )
        plan.note = f"changed graded cells ({'; '.join(changes)}): run `autograde --force` to recompute every score"
    return plan


def release(notebooks: list[Path] | None = None, course: Path = COURSE, *, force: bool = False) -> list[Path]:
    """Generate the student version of each notebook with nbgrader; return their paths.

    ``notebooks`` defaults to every notebook of ``notebooks/`` with exercises. The
    student version of ``02_mnist_data.ipynb`` is
    ``<course>/release/02_mnist_data/02_mnist_data.ipynb``: solutions replaced by
    ``raise NotImplementedError()``, hidden tests removed, outputs cleared, checks
    kept and locked. Submissions and grades already in ``course`` are kept.

    Raises `AssignmentError`, before anything is changed, when a notebook has no
    exercises, when ``<course>/source/<name>/`` holds edits the instructor notebook
    does not have and both changed, or when an assignment that has submissions
    would get other graded cells or points (``force`` allows new points, never the
    removal of a graded cell).
    """
    paths = [Path(path) for path in notebooks] if notebooks else exercise_notebooks()
    if not paths:
        raise AssignmentError(f"no notebook with exercises in {NOTEBOOKS}")
    plans = [_plan(path, course, force) for path in paths]
    released = []
    for plan in plans:
        if plan.copy:
            plan.source.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(plan.notebook, plan.source)
            copies = _copies(course)
            copies[plan.assignment] = _sha256(plan.source)
            (Path(course) / _COPIES).write_text(json.dumps(copies, indent=1, sort_keys=True), encoding="utf-8")
        student = _generate(plan.assignment, plan.source.name, course)
        if plan.note:
            print(f"{plan.assignment}: {plan.note}")
        released.append(student)
    return released


def _generate(assignment: str, name: str, course: Path) -> Path:
    """``nbgrader generate_assignment``, the previous student version put back if it fails."""
    target = Path(course) / "release" / assignment
    with tempfile.TemporaryDirectory() as backup:
        kept = Path(backup) / assignment
        if target.is_dir():
            shutil.copytree(target, kept)
        try:
            _InProcess(course).generate_assignment(assignment)
        except AssignmentError:
            if kept.is_dir():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(kept, target)
            raise
    student = target / name
    text = student.read_text(encoding="utf-8")
    if any(marker in text for marker in SOLUTION_MARKERS + HIDDEN_MARKERS):
        raise AssignmentError(f"{student} still holds a solution or hidden tests")
    return student


# ---------------------------------------------------------------- autograde

def submitted_assignments(course: Path = COURSE) -> list[str]:
    """The assignments that have at least one submission in ``<course>/submitted/<student>/``."""
    folder = Path(course) / "submitted"
    return sorted({path.name for path in folder.glob("*/*") if path.is_dir()})


@dataclass
class Graded:
    """The outcome of autograding one submission: ``status`` is ``"graded"``, ``"up to date"`` or ``"skipped"``."""

    assignment: str
    student: str
    status: str
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    reason: str = ""

    def line(self, number: int, total: int) -> str:
        """The progress line a teacher reads, e.g. ``[2/6] 02_mnist_data  alice  4 / 4 points (12 s)``."""
        head = f"[{number}/{total}] {self.assignment}  {self.student}"
        if self.status == "skipped":
            return f"{head}  skipped: {self.reason}"
        points = f"{self.score:g} / {self.max_score:g} points" if self.score is not None else "no score"
        if self.status == "up to date":
            return f"{head}  {points} (up to date; --force regrades)"
        return f"{head}  {points} ({self.seconds:.0f} s)"


def autograde(
    assignments: list[str] | None = None, course: Path = COURSE, *, force: bool = False, progress=print
) -> list[Graded]:
    """Autograde each submission of each assignment (default: all that have submissions), one at a time.

    Runs nbgrader's autograde of one submission at a time (in this process): its
    checks restored from the instructor version (hidden tests too), executed, and
    its score stored in the gradebook; the executed notebooks are in
    ``<course>/autograded/<student>/<assignment>/``. A submission graded before and
    not submitted again since is left as it is unless ``force``. A submission
    nbgrader cannot grade (a notebook with damaged nbgrader metadata, say) is
    reported and skipped; the others are still graded. ``progress`` gets one line
    per submission. The kernels see ``DIGITS_AUTOGRADE=1`` (notebook 4 then trains
    on a slice), and draw no figures (a figure's output is its one-line text).
    """
    assignments = assignments or submitted_assignments(course)
    if not assignments:
        raise AssignmentError(f"nothing submitted in {Path(course) / 'submitted'}")
    todo = [
        (assignment, folder.parent.name)
        for assignment in assignments
        for folder in sorted((Path(course) / "submitted").glob(f"*/{assignment}"))
        if folder.is_dir()
    ]
    if not todo:
        raise AssignmentError(f"no submissions of {', '.join(assignments)} in {Path(course) / 'submitted'}")
    nbgrader = _InProcess(course)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        startup = Path(folder) / "grading_kernel.py"
        startup.write_text(_GRADING_KERNEL, encoding="utf-8")
        env = {AUTOGRADE_VARIABLE: "1", "PYTHONSTARTUP": str(startup)}
        for number, (assignment, student) in enumerate(todo, start=1):
            started = time.perf_counter()
            try:
                log = nbgrader.autograde(assignment, student, force=force, env=env)
            except AssignmentError as error:
                result = Graded(assignment, student, "skipped", reason=_gist(error))
            else:
                status = "up to date" if "Skipping existing assignment" in log else "graded"
                score, max_score = _score(course, assignment, student)
                result = Graded(assignment, student, status, score, max_score, time.perf_counter() - started)
            results.append(result)
            if progress:
                progress(result.line(number, len(todo)))
    return results


_GRADING_KERNEL = """\
# Run first in every kernel that `python -m digits.assignments autograde` starts (its PYTHONSTARTUP file).
# Figures are kept as their one-line text, not rendered: nobody looks at them in a graded notebook,
# and drawing them is a good part of the grading time.
get_ipython().display_formatter.formatters["image/png"].enabled = False
"""


def _score(course: Path, assignment: str, student: str) -> tuple[float | None, float | None]:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{Path(course).resolve() / 'gradebook.db'}") as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return None, None
        return submission.score, submission.max_score


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


# ---------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m digits.assignments", description=__doc__.split("\n")[0])
    parser.add_argument("--course", type=Path, default=COURSE, help="nbgrader course directory (default: course/)")
    commands = parser.add_subparsers(dest="command", required=True)
    release_parser = commands.add_parser("release", help="generate the student versions with nbgrader")
    release_parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook with exercises")
    release_parser.add_argument("--force", action="store_true", help="release new points although there are submissions")
    bundle_parser = commands.add_parser("bundle", help="what students get: notebooks, package without answers, model")
    bundle_parser.add_argument("--output", type=Path, help="default: <course>/student-bundle (and .zip beside it)")
    autograde_parser = commands.add_parser("autograde", help="autograde submitted/<student>/<assignment>/")
    autograde_parser.add_argument("assignments", nargs="*", help="default: every assignment with submissions")
    autograde_parser.add_argument("--force", action="store_true", help="regrade submissions graded before")
    commands.add_parser("grades", help="print the scores in the gradebook")
    args = parser.parse_args(argv)
    status = 0
    try:
        if args.command == "release":
            for student in release(args.notebooks or None, args.course, force=args.force):
                print(f"student version: {os.path.relpath(student)}")
        elif args.command == "bundle":
            from .bundle import make_bundle

            folder, archive = make_bundle(args.course, args.output)
            print(f"student bundle: {os.path.relpath(folder)}/ and {os.path.relpath(archive)}")
        elif args.command == "autograde":
            results = autograde(args.assignments or None, args.course, force=args.force)
            skipped = [result for result in results if result.status == "skipped"]
            if skipped:
                print(f"{len(skipped)} of {len(results)} submission(s) could not be graded (see above)", file=sys.stderr)
                status = 1
            args.command = "grades"
        if args.command == "grades":
            for row in grades(args.course):
                print(f"{row['assignment']:<28} {row['student']:<20} {row['score']:g} / {row['max_score']:g}")
    except AssignmentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    # Run the imported module's `main`, so that its errors are the classes `digits.bundle` raises too.
    from digits.assignments import main as _main

    sys.exit(_main())
