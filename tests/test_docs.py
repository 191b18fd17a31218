"""The documentation: the model reference in docs/model/ is generated from the models and up to
date, and every command README.md and docs/ show runs as shown."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT
from pps_sdk.model import MODELS
from pps_sdk.model.base import field_terms
from pps_sdk.reference import GROUPS, block, rdf_mapping, render_all, write

DOCS = ROOT / "docs" / "model"


@pytest.mark.parametrize("name", sorted(render_all()))
def test_committed_page_is_current(name):
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == render_all()[name], f"regenerate: python -m pps_sdk.reference docs/model ({name} is stale)"


def test_every_model_is_on_exactly_one_page():
    placed = [model for _, models in GROUPS.values() for model in models]
    assert sorted(m.__name__ for m in placed) == sorted(m.__name__ for m in MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_latvian_term_and_a_meaning(model):
    for name, term in field_terms(model).items():
        assert term.lv and term.doc, f"{model.__name__}.{name}"
        assert f"| `{name}` |" in render_all()[next(p for p, (_, ms) in GROUPS.items() if model in ms) + ".md"]


def test_write_creates_the_pages(tmp_path):
    written = write(tmp_path / "model")
    assert sorted(p.name for p in written) == sorted(render_all())
    assert "| pakalpojuma turētājs | `holders` |" in (tmp_path / "model" / "service.md").read_text(encoding="utf-8")


def test_readme_gives_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line for line in readme.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    demo, tests = commands
    assert demo.endswith("pps demo") and tests.endswith("pytest")
    assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_rdf_mapping_table_is_current():
    page = (ROOT / "docs" / "rdf.md").read_text(encoding="utf-8")
    assert block(page, "mapping") == rdf_mapping().strip(), "refresh with: python -m pps_sdk.reference docs/model"


# -- every command the README and the guides show runs as shown ------------------------------

RUNNABLE = {"sh", "console", "python"}
MARKER = re.compile(r"<!--\s*requires:\s*([\w -]+?)\s*-->\s*$")
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
# Parts of a set-up command that the test environment has done already.
SETUP = re.compile(r"^(python3 -m venv \.venv|\.venv/bin/pip install .*)$")
TIMEOUT = 120  # seconds per block
# Blocks marked `<!-- requires: … -->` with one of these are not run, for the reason given.
NOT_RUN = {
    "server": "needs a running catalogue service",
    "tests": "runs the test suite, which this test is part of (.ci/run runs the suite and the thorough profile)",
    "official files": "needs the official CPSV-AP files named by PPS_SHARED (.ci/run runs the suite with them)",
    "docs": "needs the docs extra (.ci/run builds the site with mkdocs build --strict)",
}


@dataclass
class Block:
    """A fenced code block of a Markdown page and the marker right before it, if any."""

    page: str
    line: int
    language: str
    code: str
    requires: str | None

    def __str__(self) -> str:
        return f"{self.page}:{self.line} ({self.language})"


def code_blocks(page: Path, root: Path = ROOT) -> list[Block]:
    """The ```sh, ```console and ```python blocks of a page, in order."""
    text = page.read_text(encoding="utf-8")
    blocks = []
    for match in FENCE.finditer(text):
        if match.group(1) not in RUNNABLE:
            continue
        before = text[:match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.search(before)
        blocks.append(Block(str(page.relative_to(root)), text.count("\n", 0, match.start()) + 1, match.group(1),
                            match.group(2), marker.group(1) if marker else None))
    return blocks


def _shell_commands(block: Block) -> str:
    """The shell text of a block: a console block's `$ ` lines, a set-up block without the steps
    that create and fill `.venv` (the test runs inside them) and without running the tests."""
    if block.language == "console":
        return "\n".join(line[2:] for line in block.code.splitlines() if line.startswith("$ "))
    if block.requires != "setup":
        return block.code
    steps = [step.strip() for line in block.code.splitlines() for step in line.split("&&") if step.strip()]
    return " && ".join(s for s in steps if not SETUP.match(s) and s != ".venv/bin/pytest")


PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
RUN = [page for page in PAGES if code_blocks(page)]


def _checkout(target: Path) -> Path:
    """A copy of the checkout (no .git, no build output) whose .venv is the running one."""
    ignore = shutil.ignore_patterns(".git", ".venv", "site", "__pycache__", ".pytest_cache", ".hypothesis",
                                    "*.egg-info", "pps-demo", "out", "build", "dist")
    shutil.copytree(ROOT, target, symlinks=True, ignore=ignore)
    (target / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    return target


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="the documented commands run in a virtual environment")
@pytest.mark.parametrize("page", RUN, ids=lambda p: str(p.relative_to(ROOT)))
def test_documented_commands_run_as_shown(page, tmp_path):
    """Every ```sh, ```console and ```python block of README.md and docs/ runs, in order, from the
    root of a copy of the checkout after the set-up command, and succeeds.

    Blocks of one page share the copy, so a block may use what an earlier one wrote. Shell
    blocks run in bash with `set -e` and the virtual environment's bin/ first on PATH, as after
    `. .venv/bin/activate`; console blocks run their `$ ` lines; python blocks run in the
    virtual environment's Python. Each block has two minutes.

    A block may be marked by an HTML comment on the line right before its fence,
    `<!-- requires: WHAT -->`, where WHAT is one of

    - `setup`: the block is the set-up command itself; the steps that create and fill `.venv`
      and the test run (`.venv/bin/pytest`) are left out, since this test runs inside them
      (`.ci/run` runs the README's test command as written), and the rest runs;
    - `server`: it needs a running catalogue service, and is not run;
    - `tests`: it runs the test suite or part of it, and is not run from inside the suite;
    - `official files`: it needs the official CPSV-AP files (PPS_SHARED), and is not run;
    - `docs`: it needs the docs extra (MkDocs), and is not run; `.ci/run` builds the site.

    Any other marker fails the test, so a typo cannot skip a block silently.
    """
    root = _checkout(tmp_path / "checkout")
    bin_dir = str(Path(sys.prefix) / "bin")
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "VIRTUAL_ENV": sys.prefix,
           "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONPATH", None)
    ran = 0
    for block in code_blocks(page):
        assert block.requires in (None, "setup", *NOT_RUN), f"{block}: unknown marker 'requires: {block.requires}'"
        if block.requires in NOT_RUN:
            continue
        if block.language == "python":
            command = [sys.executable, "-c", block.code]
        else:
            script = _shell_commands(block)
            if not script.strip():
                continue
            command = ["bash", "-e", "-o", "pipefail", "-c", script]
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        assert result.returncode == 0, f"{block} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        ran += 1
    assert ran, f"{page}: no block ran"


def test_blocks_are_found_with_their_markers(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("text\n\n```sh\necho one\n```\n\n<!-- requires: server -->\n```console\n$ pps serve\nstarted\n```\n\n"
                    "```json\n{}\n```\n\n<!-- requires: setup -->\n```sh\npython3 -m venv .venv && "
                    ".venv/bin/pip install . && .venv/bin/pps demo\n```\n", encoding="utf-8")
    blocks = code_blocks(page, tmp_path)
    assert [(b.line, b.language, b.requires) for b in blocks] == [(3, "sh", None), (8, "console", "server"),
                                                                   (18, "sh", "setup")]
    assert _shell_commands(blocks[1]) == "pps serve"
    assert _shell_commands(blocks[2]) == ".venv/bin/pps demo"
