"""The model reference in docs/model/ is generated from the models and must be up to date."""

from __future__ import annotations

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
