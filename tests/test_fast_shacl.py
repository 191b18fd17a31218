"""The fast SHACL check of the cpsv-ap profile gives pyshacl's verdicts with the official
CPSV-AP 3.2.0 shapes: the same focus nodes, paths, values, source shapes and constraints, on
valid data and on every kind of break below."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib import namespace
from rdflib.namespace import RDF, RDFS, SH

from pps_sdk.examples import example_catalogue
from pps_sdk.formats.rdf import to_graph
from pps_sdk.formats.rdf.shacl import shapes
from pps_sdk.validation import fast_shacl

CPSV, CV, DCT = "http://purl.org/vocab/cpsv#", "http://data.europa.eu/m8g/", "http://purl.org/dc/terms/"
X = "http://x.example/"


def pyshacl_verdicts(data: Graph, shapes_graph: Graph) -> set[tuple]:
    _, report, _ = validate(data, shacl_graph=shapes_graph, allow_warnings=True)
    keys = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraintComponent)
    return {tuple(report.value(r, k) for k in keys) for r in report.subjects(RDF.type, SH.ValidationResult)}


def fast_verdicts(data: Graph, shapes_graph: Graph) -> set[tuple]:
    return {(v.focus, v.path, v.value, v.shape, v.component) for v in fast_shacl.violations(data, shapes_graph)}


@pytest.fixture(scope="module")
def catalogue_graph() -> Graph:
    return to_graph(example_catalogue())


def _first(graph: Graph, cls: str) -> URIRef:
    return sorted(graph.subjects(RDF.type, URIRef(cls)), key=str)[0]


def _service(graph: Graph) -> URIRef:
    return _first(graph, CPSV + "PublicService")


def _drop(predicate: str) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        graph.remove((_service(graph), URIRef(predicate), None))
    return mutate


def _set(predicate: str, value: object) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        graph.set((_service(graph), URIRef(predicate), value(graph) if callable(value) else value))
    return mutate


def _add(predicate: str, value: object) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        graph.add((_service(graph), URIRef(predicate), value))
    return mutate


def _cost_value(value: Literal) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        graph.set((_first(graph, CV + "Cost"), URIRef(CV + "hasValue"), value))
    return mutate


def _untype_organisations(graph: Graph) -> None:
    graph.remove((None, RDF.type, URIRef(CV + "PublicOrganisation")))


def _subclass_of_service(graph: Graph) -> None:
    # A service typed only by a subclass declared in the data is still a target.
    service = _service(graph)
    graph.remove((service, RDF.type, URIRef(CPSV + "PublicService")))
    graph.add((service, RDF.type, URIRef(X + "MunicipalService")))
    graph.add((URIRef(X + "MunicipalService"), RDFS.subClassOf, URIRef(CPSV + "PublicService")))
    graph.remove((service, URIRef(DCT + "identifier"), None))


def _subclass_of_organisation(graph: Graph) -> None:
    for organisation in list(graph.subjects(RDF.type, URIRef(CV + "PublicOrganisation"))):
        graph.remove((organisation, RDF.type, URIRef(CV + "PublicOrganisation")))
        graph.add((organisation, RDF.type, URIRef(X + "Municipality")))
    graph.add((URIRef(X + "Municipality"), RDFS.subClassOf, URIRef(CV + "PublicOrganisation")))


# Changes that are not breaks: the shapes ask nothing of language tags, and a class may come through a subclass.
KEEP_VALID = {"title in a bad language tag", "class through a subclass"}
BREAKS: dict[str, Callable[[Graph], None]] = {
    "missing title": _drop(DCT + "title"),
    "missing description": _drop(DCT + "description"),
    "missing competent authority": _drop(CV + "hasCompetentAuthority"),
    "title with a datatype": _set(DCT + "title", Literal(7)),
    "cost as a decimal": _cost_value(Literal("12.50", datatype=namespace.XSD.decimal)),
    "ill-typed cost": _cost_value(Literal("twelve", datatype=namespace.XSD.double)),
    "title without a language": _set(DCT + "title", Literal("Bez valodas")),
    "title in a bad language tag": _set(DCT + "title", Literal("Teksts", lang="zz-nonexistent")),
    "two identifiers": _add(DCT + "identifier", Literal("second")),
    "two processing times": _add(CV + "processingTime", Literal("P3D", datatype=namespace.XSD.duration)),
    "ill-typed duration": _set(CV + "processingTime", Literal("P999999999999999999999D", datatype=namespace.XSD.duration)),
    "duration as text": _set(CV + "processingTime", Literal("three days")),
    "wrong class of authority": _set(CV + "hasCompetentAuthority", lambda g: _first(g, CV + "Channel")),
    "literal where a node belongs": _add(CV + "hasChannel", Literal("the website")),
    "IRI where text belongs": _add(DCT + "description", URIRef(X + "description")),
    "organisations without their class": _untype_organisations,
    "target through a subclass": _subclass_of_service,
    "class through a subclass": _subclass_of_organisation,
}


def test_the_shapes_we_ship_and_the_official_ones_are_checked_fast(official_shapes):
    assert fast_shacl.supports(official_shapes) and fast_shacl.supports(shapes("cpsv-ap"))


def test_valid_data_has_no_verdict_either_way(catalogue_graph, official_shapes):
    assert pyshacl_verdicts(catalogue_graph, official_shapes) == fast_verdicts(catalogue_graph, official_shapes) == set()


@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_verdicts_equal_pyshacls_on_broken_data(catalogue_graph, official_shapes, kind):
    data = Graph()
    data += catalogue_graph
    BREAKS[kind](data)
    expected = pyshacl_verdicts(data, official_shapes)
    assert fast_verdicts(data, official_shapes) == expected
    assert expected or kind in KEEP_VALID, "the break should break something"


def test_real_files_get_pyshacls_verdicts(official_shapes):
    from conftest import REAL_CPSV_AP, reference
    from pps_sdk.formats.rdf import parse

    folder = reference(REAL_CPSV_AP)
    for path in sorted(folder.glob("*.ttl")) + sorted(folder.glob("*.rdf")):
        data = parse(path.read_bytes(), "rdfxml" if path.suffix == ".rdf" else "ttl")
        assert fast_verdicts(data, official_shapes) == pyshacl_verdicts(data, official_shapes), path.name


def test_shapes_beyond_what_is_checked_fast_go_to_pyshacl():
    assert not fast_shacl.supports(shapes("pps"))  # sh:in, sh:minInclusive
    with pytest.raises(ValueError):
        fast_shacl.violations(Graph(), shapes("pps"))
