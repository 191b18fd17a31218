"""The shipped examples: they load, validate without findings and match the top-level folder."""

from __future__ import annotations

import runpy
import sys

import pytest

from conftest import ROOT
from pps_sdk import Catalogue, load
from pps_sdk.examples import NAMES, example, example_catalogue, example_text
from pps_sdk.validation import validate, validate_file


def test_example_loads_and_validates_clean(example_name):
    catalogue = example(example_name)
    assert len(catalogue.services) == 1
    assert validate(catalogue).findings == []


def test_merged_example_catalogue_is_clean():
    catalogue = example_catalogue()
    assert [s.id for s in catalogue.services] == ["ps-jelgava-buvatlauja", "ps-vsaa-apbedisanas-pabalsts", "ps-riga-dzivesvieta"]
    assert validate(catalogue).findings == []


def test_examples_carry_the_indicators_the_issue_asks_for():
    indicators = {i.id: i for s in example_catalogue().services for i in s.indicators}
    kinds = {i.kind.value for i in indicators.values()}
    assert {"volume", "accessibility"} <= kinds
    assert any(i.critical_corridor is not None for i in indicators.values()), "processing time with a corridor"
    assert any(i.formula for i in indicators.values()), "share of e-channel requests is derived"


def test_example_unknown_name():
    with pytest.raises(KeyError, match="examples: building-permit"):
        example_text("passport")


@pytest.mark.parametrize("name", NAMES)
def test_top_level_examples_folder_matches_the_package(name):
    path = ROOT / "examples" / f"{name}.json"
    assert path.read_text(encoding="utf-8") == example_text(name)
    assert validate_file(path).findings == []


def test_build_catalogue_script(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["build_catalogue.py", str(tmp_path / "built.json")])
    runpy.run_path(str(ROOT / "examples" / "build_catalogue.py"), run_name="__main__")
    built = load(tmp_path / "built.json")
    assert isinstance(built, Catalogue) and built.services
    assert validate(built).findings == []


def test_large_catalogue_for_benchmarks_is_valid():
    from pps_sdk.examples import large_catalogue

    grown = large_catalogue(7)
    assert Catalogue.model_validate(grown.model_dump()) == grown  # unique ids, formulas resolve
    assert len(grown.services) == 7 and grown.services[3].id == "ps-jelgava-buvatlauja-3"
    derived = [i for i in grown.services[3].indicators if i.formula]
    assert derived and all(ref.endswith("-3") for ref in derived[0].references)
