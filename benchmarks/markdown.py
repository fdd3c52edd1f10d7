"""Writing benchmark results into Markdown pages: the machine they ran on, a table, a section between markers."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    """A one-line description of this machine."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {cores} cores, Python {platform.python_version()}"


def table(rows: list[tuple[str, ...]], header: tuple[str, ...] = ("measure", "result")) -> str:
    """The rows (each as many cells as ``header``) as a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def write_section(path: Path, text: str, begin: str, end: str) -> None:
    """Replace a section of a Markdown file (between the markers ``begin`` and ``end``), or append one."""
    block = f"{begin}\n{text}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in old and end in old:
        new = old[: old.index(begin)] + block + old[old.index(end) + len(end) :]
    else:
        new = (old.rstrip("\n") + "\n\n" if old.strip() else "") + block + "\n"
    path.write_text(new, encoding="utf-8")
