"""The prose holds together: every relative link in the docs and the notebooks leads somewhere, and the README
names exactly the notebooks there are and the two commands the course and CI run."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import mistune
import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PAGES = [README, REPO / "BENCHMARKS.md", *sorted((REPO / "docs").glob("*.md")),
         *sorted((REPO / "benchmarks").glob("*.md"))]

START_COMMAND = "python -m pip install -r requirements.txt && python -m jupyter lab notebooks/"
TEST_COMMAND = "python -m pip install -r requirements-dev.txt && python -m pytest"

_parse = mistune.create_markdown(renderer="ast", plugins=["table"])


def _tokens(markdown: str):
    """Every token of the Markdown's syntax tree, depth first."""
    stack = list(reversed(_parse(markdown)))
    while stack:
        token = stack.pop()
        yield token
        stack.extend(reversed(token.get("children") or []))


def _text(token) -> str:
    if "raw" in token or "text" in token:
        return token.get("raw", token.get("text", ""))
    return "".join(_text(child) for child in token.get("children") or [])


def link_targets(markdown: str) -> list[str]:
    """The targets of the links and images in a Markdown text (not those inside code)."""
    targets = []
    for token in _tokens(markdown):
        if token["type"] in ("link", "image"):
            attrs = token.get("attrs", {})  # mistune 3; mistune 2 keeps them on the token
            targets.append(attrs.get("url") or token.get("link") or token.get("src"))
    return targets


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown text ("Start the course (one command)" ->
    "start-the-course-one-command")."""
    return {re.sub(r"[^\w\- ]", "", _text(token).strip().lower()).replace(" ", "-")
            for token in _tokens(markdown) if token["type"] == "heading"}


def broken_links(markdown: str, folder: Path, this_page: Path | None = None) -> list[str]:
    """The relative links of a Markdown text, read from `folder`, that name no file (or no heading in a
    Markdown file); web addresses are not followed."""
    broken = []
    for target in link_targets(markdown):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue
        path = (folder / unquote(parts.path)).resolve() if parts.path else this_page
        if path is None or not path.exists():
            broken.append(target)
        elif parts.fragment and path.suffix == ".md" and parts.fragment not in heading_anchors(path.read_text()):
            broken.append(target)
    return broken


def notebook_prose(path: Path) -> str:
    cells = json.loads(path.read_text())["cells"]
    return "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")


def test_link_checker_finds_a_missing_file_and_a_missing_heading_but_not_code_or_web_addresses(tmp_path):
    (tmp_path / "there.md").write_text("# A heading (with brackets)\n")
    text = ("[ok](there.md) [ok](there.md#a-heading-with-brackets) [web](https://example.org/none) "
            "`[code](none.md)` [gone](none.md) [no heading](there.md#elsewhere) [here](#nowhere)\n")
    assert broken_links(text, tmp_path, tmp_path / "there.md") == ["none.md", "there.md#elsewhere", "#nowhere"]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO)))
def test_every_relative_link_in_a_page_leads_to_a_file_and_heading_that_exist(page):
    assert broken_links(page.read_text(), page.parent, page) == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda notebook: notebook.name)
def test_every_relative_link_in_a_notebooks_prose_leads_to_a_file_that_exists(notebook):
    assert broken_links(notebook_prose(notebook), notebook.parent, notebook) == []


def test_the_readme_links_every_notebook_of_the_course_and_no_other():
    named = {Path(target).name for target in link_targets(README.read_text()) if target.endswith(".ipynb")}
    assert named == {notebook.name for notebook in NOTEBOOKS}


def test_the_readme_holds_the_two_commands_and_ci_runs_its_test_command():
    readme = README.read_text()
    assert START_COMMAND in readme
    assert TEST_COMMAND in readme
    ci = (REPO / ".ci" / "run").read_text()
    assert "pip install -q -r requirements-dev.txt" in ci
    assert re.search(r"^python3? -m pytest$", ci, flags=re.MULTILINE)
