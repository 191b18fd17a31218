"""CPSV-AP 2.2.1: older data reads into models and re-exports as conforming 3.2.0; optional 2.2.1 export."""

from __future__ import annotations

import warnings

import pytest
from pyshacl import validate
from rdflib import Graph

from conftest import ROOT
from pps_sdk import dump, load
from pps_sdk.examples import NAMES, example
from pps_sdk.formats.rdf import RdfLossWarning, canonical, read_graph, parse, to_graph, to_graph_2_2_1

OLD = ROOT / "tests" / "data" / "cpsv-ap-2.2.1-municipality.ttl"


@pytest.fixture(scope="module")
def shapes_2_2_1(official_2_2_1_dir) -> Graph:
    # pyshacl takes one shapes graph: the two 2.2.1 files together.
    graph = Graph()
    for name in ("CPSV-AP_shacl_shapes v2.2.1.ttl", "CPSV-AP_shacl_cv_shapes v2.2.1.ttl"):
        graph.parse(official_2_2_1_dir / name, format="turtle")
    return graph


def test_2_2_1_data_loads_with_each_repair_reported(official_shapes):
    result = read_graph(parse(OLD.read_bytes(), "ttl"))
    catalogue = result.model
    service = catalogue.services[0]
    assert catalogue.id == "kat-2019" and catalogue.publisher == "dome"
    assert service.requirements[0].name["lv"] == "Zemes īpašuma tiesības"  # cv:hasCriterion
    contact = service.contact_points[0]  # schema:ContactPoint with schema:email and schema:hoursAvailable
    assert contact.emails == ["buvvalde@example.lv"] and contact.opening_hours[0].opens.hour == 8
    assert [d.value for d in contact.opening_hours[0].days] == ["monday", "tuesday"]
    assert service.costs[0].value == 20.0  # cv:value "20.00"
    assert service.providers[0].organisation == "dome"  # cv:playsRole, inverted
    assert service.status.value == "active"  # ADMS status Completed
    repairs = " | ".join(result.repairs)
    for expected in ("cv:hasCriterion", "PublicServiceDataset", "no dct:identifier: identified as 'dome'",
                     "no description (3.2.0 requires one)", "no language tag", "schema:hoursAvailable"):
        assert expected in repairs, expected
    assert len(result.leftovers) == 0


def test_2_2_1_data_re_exported_as_3_2_0_conforms(official_shapes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        catalogue = load(OLD)
    graph = to_graph(catalogue)
    conforms, _, report = validate(graph, shacl_graph=official_shapes)
    assert conforms, report
    # What 3.2.0 requires and 2.2.1 lacked is there now: the organisation's identifier and title.
    assert "dct:identifier \"dome\"" in dump(catalogue, "ttl")


@pytest.mark.parametrize("name", NAMES)
def test_2_2_1_export_conforms_to_the_2_2_1_shapes_and_reads_back(name, shapes_2_2_1, official_shapes):
    with pytest.warns(RdfLossWarning, match="2.2.1 holds less"):
        graph = to_graph_2_2_1(example(name))
    conforms, _, report = validate(graph, shacl_graph=shapes_2_2_1, allow_warnings=True)
    assert conforms, report
    back = read_graph(graph).model
    assert back.services[0].name["lv"] == example(name).services[0].name["lv"]
    assert validate(to_graph(back), shacl_graph=official_shapes)[0]


def test_2_2_1_export_by_format_name():
    with pytest.warns(RdfLossWarning):
        text = dump(example("residence-declaration"), "ttl-2.2.1")
    assert "cv:PublicServiceDataset" in text and "cv:hasCriterion" in text and "dcat:Dataset" not in text
    back = read_graph(parse(text.encode(), "ttl"))  # read back as 2.2.1, upgraded
    assert back.model.services[0].id == canonical(example("residence-declaration")).services[0].id
    assert any("cv:hasCriterion" in repair for repair in back.repairs)
