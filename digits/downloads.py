"""Fetching a data file from the internet: whole or not at all, and never waiting forever."""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.request
from pathlib import Path

TIMEOUT_SECONDS = 30
"""How long a download may wait for the server at any one moment (connecting, or between two reads)."""


def download(url: str, target: str | os.PathLike, timeout: float | None = None) -> Path:
    """Fetch ``url`` into the file ``target`` (its folder is made); return the path.

    The file appears only when the whole download has arrived. Raises ``OSError``
    (``urllib.error.URLError``, ``TimeoutError``) when the server cannot be reached,
    refuses, or stalls for ``timeout`` seconds (default `TIMEOUT_SECONDS`), as a proxy
    that accepts and never answers does.
    """
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = None
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".partial") as partial:
                shutil.copyfileobj(response, partial)
        os.replace(partial.name, target)
    finally:
        if partial is not None and os.path.exists(partial.name):
            os.unlink(partial.name)
    return target
