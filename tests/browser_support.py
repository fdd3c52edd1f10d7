"""Helpers for the pad's tests: find Chromium, run JupyterLab headless on a copy of the notebooks, and write
a number on the pad with real writers' strokes (`written_number`).

JupyterLab is started on a free localhost port with a random token, its root a
temporary copy of ``notebooks/`` (running cells in the browser saves notebooks
and writes checkpoints, so the repository's files are never served), its
settings, workspaces and runtime files in the same temporary folder, and
``PYTHONPATH`` pointing at this repository so the kernel imports this `digits`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import numpy as np

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = (
    "the browser test needs Chromium and Playwright's Python package: on Debian or Ubuntu "
    "`sudo apt-get install chromium` and `python -m pip install playwright` "
    "(the test drives the system's Chromium; it never downloads a browser)"
)


PEN_STROKES = "pendigits_dev_strokes.json"
"""The real writers' pen strokes numbers are written with (``../shared/data/handwriting/``, for measuring only)."""


def have_pen_strokes() -> bool:
    """Whether the real writers' strokes `written_number` uses are beside the repository."""
    from benchmarks.real_sets import HANDWRITING

    return (HANDWRITING / PEN_STROKES).is_file()


def written_number(text: str, line_height: float = 180.0, pen: float = 20.0) -> list[list[tuple[float, float]]]:
    """Strokes writing ``text`` on the 840x280 number pad, in canvas pixels, each stroke a list of points.

    Each digit is the first sample with its label in the pendigits measuring set (a rule, not a choice by
    eye), written ``line_height`` pixels high on a straight baseline with ordinary gaps, by
    `benchmarks.whole_numbers.compose_number`. Raises FileNotFoundError without the set.
    """
    from benchmarks.whole_numbers import SPACINGS, compose_number, load_strokes

    strokes, labels = load_strokes(PEN_STROKES)
    picks = [strokes[int(np.flatnonzero(labels == int(char))[0])] for char in text]
    number = compose_number(picks, text, np.random.default_rng(0), SPACINGS["normal"], pen=pen,
                            line_height=line_height, wander=0.0, digit_size=(1.0, 1.0))
    return [[(round(float(x), 1), round(float(y), 1)) for x, y in stroke] for stroke in number.strokes]


def find_chromium() -> str | None:
    """The path of a Chromium executable on this machine, or ``None``."""
    for candidate in CHROMIUM_CANDIDATES:
        path = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if path and os.access(path, os.X_OK):
            return path
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _strip_outputs(path: Path) -> None:
    """Remove stored outputs and widget state, so everything on the page comes from this run."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


class JupyterLab:
    """A headless JupyterLab server on a temporary copy of the course's notebooks.

    Use as a context manager; `url(path)` is the address of a notebook, token included.
    """

    def __init__(self, workdir: Path, startup_timeout: float = 90.0):
        self.workdir = Path(workdir)
        self.root = self.workdir / "notebooks"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.startup_timeout = startup_timeout
        self.log_path = self.workdir / "jupyterlab.log"
        self.process: subprocess.Popen | None = None

    def url(self, path: str = "", workspace: str | None = None) -> str:
        """The address of notebook ``path``; in a fresh JupyterLab workspace of that name when ``workspace`` is given
        (so a second page shows that notebook alone, not the tabs another page left open)."""
        if workspace:
            return f"http://127.0.0.1:{self.port}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"
        return f"http://127.0.0.1:{self.port}/lab/tree/{path}?token={self.token}"

    def _api(self, path: str, method: str = "GET", timeout: float = 5.0):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
            data=b"" if method == "POST" else None,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return json.loads(body) if body else None

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        settings = self.workdir / "lab-settings"
        # No "Would you like to receive Jupyter news?" toast, no update check.
        notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        notification.parent.mkdir(parents=True, exist_ok=True)
        notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
        env["JUPYTERLAB_WORKSPACES_DIR"] = str(self.workdir / "lab-workspaces")
        env["JUPYTER_RUNTIME_DIR"] = str(self.workdir / "runtime")
        env.setdefault("DIGITS_MNIST", str(REPO.parent / "shared" / "data" / "mnist.npz"))
        return env

    def __enter__(self) -> "JupyterLab":
        shutil.copytree(NOTEBOOKS, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "saved_models"))
        for notebook in self.root.glob("*.ipynb"):
            _strip_outputs(notebook)
        command = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI machines often run as root
            command.append("--ServerApp.allow_root=True")
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            command, cwd=self.root, env=self._environment(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited at start-up:\n{self.log()}")
            try:
                self._api("status")
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.5)
        self.__exit__(None, None, None)
        raise RuntimeError(f"JupyterLab did not start in {self.startup_timeout:.0f} s:\n{self.log()}")

    def log(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:  # a clean shutdown also stops the kernels, which run in their own sessions
            self._api("shutdown", method="POST")
            self.process.wait(timeout=20)
        except (urllib.error.URLError, OSError, subprocess.TimeoutExpired):
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.process.pid, sig)
                    self.process.wait(timeout=10)
                    break
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    continue
