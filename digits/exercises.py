"""The exercises' helpers for the notebooks: a student's function, or the course's own while theirs is unwritten.

A notebook that goes on using a function a student writes in an exercise calls it
through `yours_or_ours`, so that Run All keeps going past an exercise not written
yet (its check still fails)::

    >>> import numpy as np
    >>> from digits.exercises import yours_or_ours
    >>> def fit_in_box(crop):
    ...     raise NotImplementedError()
    >>> from digits import preprocess
    >>> boxed = yours_or_ours(fit_in_box, preprocess.fit_in_box)(np.ones((40, 20), np.float32))
    Your `fit_in_box` is not written yet, so this cell uses `digits.preprocess.fit_in_box` instead.
    >>> boxed.shape
    (20, 10)

`autograding` tells a notebook that nbgrader is grading it, so that notebook 4
can train on a small slice and a class is graded in minutes, not hours.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any, Callable

AUTOGRADE_VARIABLE = "DIGITS_AUTOGRADE"
"""Set to ``1`` (or ``0``) to say that a notebook runs under nbgrader's autograde (or not)."""


def autograding() -> bool:
    """Whether this notebook is being autograded by nbgrader.

    True when the environment variable ``DIGITS_AUTOGRADE`` is ``1``
    (`digits.assignments` sets it for every autograde it runs), or, when it is not
    set, when the working directory is nbgrader's
    ``<course>/autograded/<student>/<assignment>/`` (a teacher who runs
    ``nbgrader autograde`` or the formgrader directly).
    """
    setting = os.environ.get(AUTOGRADE_VARIABLE, "").strip()
    if setting:
        return setting not in ("0", "false", "False", "no")
    folder = Path.cwd()
    return len(folder.parts) >= 3 and folder.parent.parent.name == "autograded"


def yours_or_ours(yours: Any, ours: Callable) -> Callable:
    """A function that calls the student's ``yours``, or ``ours`` while ``yours`` raises `NotImplementedError`.

    The first time it falls back it prints one line naming both functions. Any
    other error of the student's function is raised as it is: that is a bug to fix,
    not an unwritten exercise.
    """
    name = getattr(yours, "__name__", "your function")
    module = ".".join(part for part in (getattr(ours, "__module__", "") or "").split(".") if not part.startswith("_"))
    library = f"{module}.{getattr(ours, '__qualname__', getattr(ours, '__name__', '?'))}".lstrip(".")
    told = []

    @functools.wraps(ours)
    def call(*args, **kwargs):
        if callable(yours):
            try:
                return yours(*args, **kwargs)
            except NotImplementedError:
                pass
        if not told:
            print(f"Your `{name}` is not written yet, so this cell uses `{library}` instead.")
            told.append(True)
        return ours(*args, **kwargs)

    return call
