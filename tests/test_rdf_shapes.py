"""Our SHACL shapes and vocabulary: in sync with the code, same verdicts as the official shapes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from conftest import ROOT, union_size
from pps_sdk.examples import NAMES, example
from pps_sdk.formats.rdf import to_graph
from pps_sdk.formats.rdf.schemas import SCHEMA_FILES, schema_texts
from pps_sdk.formats.rdf.shacl import shacl_problems, shacl_results, shapes
from pps_sdk.testing.strategies import catalogues
from pps_sdk.vocab import PPS_VOCABULARY

CV, DCT, CPSV = "http://data.europa.eu/m8g/", "http://purl.org/dc/terms/", "http://purl.org/vocab/cpsv#"
ID = "https://w3id.org/pps-lv/id/"
SERVICE = URIRef(ID + "service/ps-jelgava-buvatlauja")
ORGANISATION = URIRef(ID + "organisation/org-jelgava")
PPS = PPS_VOCABULARY
DOUBLE = URIRef("http://www.w3.org/2001/XMLSchema#double")


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_committed_schema_files_are_what_the_code_generates(kind):
    for name, text in schema_texts(kind).items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, f"regenerate with: pps schema {kind} --out schemas"


def _first(graph: Graph, predicate: str, subject: URIRef | None = None) -> tuple:
    return next(iter(graph.triples((subject, URIRef(predicate), None))))


def _drop(predicate: str, subject: URIRef | None = None) -> Callable[[Graph], None]:
    def change(graph: Graph) -> None:
        graph.remove((subject, URIRef(predicate), None))
    return change


def _untagged_title(graph: Graph) -> None:
    graph.add((SERVICE, URIRef(DCT + "title"), Literal("bez valodas")))


def _second_identifier(graph: Graph) -> None:
    cost, _, _ = _first(graph, CV + "hasValue")
    graph.add((cost, URIRef(DCT + "identifier"), Literal("another")))


def _duration_as_text(graph: Graph) -> None:
    graph.set((SERVICE, URIRef(CV + "processingTime"), Literal("30 dienas")))


def _value_as_text(graph: Graph) -> None:
    cost, predicate, _ = _first(graph, CV + "hasValue")
    graph.set((cost, predicate, Literal("bezmaksas")))


def _untyped_concepts(graph: Graph) -> None:
    graph.remove((None, RDF.type, SKOS.Concept))


def _untyped_places(graph: Graph) -> None:
    graph.remove((None, RDF.type, URIRef(DCT + "Location")))


def _holder_not_an_organisation(graph: Graph) -> None:
    graph.add((SERVICE, URIRef(CV + "hasCompetentAuthority"), URIRef("https://example.org/not-described")))


def _two_channel_types(graph: Graph) -> None:
    channel, predicate, _ = _first(graph, DCT + "type", URIRef(ID + "channel/ch-jelgava-vpvkac"))
    graph.add((channel, predicate, URIRef(PPS + "ChannelType-phone")))


def _organisation_only_public(graph: Graph) -> None:
    graph.remove((ORGANISATION, RDF.type, URIRef("http://www.w3.org/ns/org#Organization")))
    graph.remove((ORGANISATION, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Agent")))


BREAKERS = {
    "no service title": _drop(DCT + "title", SERVICE),
    "no service description": _drop(DCT + "description", SERVICE),
    "untagged title": _untagged_title,
    "no holder": _drop(CV + "hasCompetentAuthority", SERVICE),
    "two identifiers": _second_identifier,
    "duration as text": _duration_as_text,
    "value as text": _value_as_text,
    "untyped concepts": _untyped_concepts,
    "untyped places": _untyped_places,
    "holder not described": _holder_not_an_organisation,
    "two channel types": _two_channel_types,
    "organisation only public": _organisation_only_public,
    "no organisation label": _drop("http://www.w3.org/2004/02/skos/core#prefLabel", ORGANISATION),
    "no dataset publisher": _drop(DCT + "publisher"),
    "no participation role": _drop(CV + "role"),
    "no participant": _drop(CV + "hasParticipant"),
    "no rule description": lambda g: g.remove((_first(g, CPSV + "follows", SERVICE)[2], URIRef(DCT + "description"), None)),
}


def _verdict(graph: Graph, shapes_graph: Graph, ontology: Graph | None = None) -> set[tuple[str, str]]:
    return {(r["focus"], r["path"]) for r in shacl_results(graph, shapes_graph, ontology)}


@pytest.mark.parametrize("breaker", sorted(BREAKERS))
def test_broken_data_gets_the_same_verdict_from_our_shapes_and_the_official_ones(breaker, official_shapes, official_ontology):
    graph = to_graph(example("building-permit"))
    BREAKERS[breaker](graph)
    ours = shapes("cpsv-ap")
    plain = _verdict(graph, ours)
    assert plain, f"{breaker}: our shapes should object"
    assert plain == _verdict(graph, official_shapes)
    assert _verdict(graph, ours, official_ontology) == _verdict(graph, official_shapes, official_ontology)


def test_the_official_example_gets_the_same_verdict(official_dir, official_shapes):
    graph = Graph().parse(official_dir / "example-rdf_public_service.ttl")
    assert len(_verdict(graph, official_shapes)) == 6  # SEMIC's own example does not conform to its shapes
    assert _verdict(graph, shapes("cpsv-ap")) == _verdict(graph, official_shapes)


@pytest.mark.thorough
def test_generated_catalogues_conform_to_our_shapes_as_to_the_official_ones(official_shapes):
    union = Graph()
    count = 0

    @settings(max_examples=union_size(), phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(catalogues())
    def collect(catalogue):
        nonlocal union, count
        union += to_graph(catalogue, base=f"https://example.org/{count}/")
        count += 1

    collect()
    for name in NAMES:  # examples share organisations, so each gets a base of its own too
        union += to_graph(example(name), base=f"https://example.org/{name}/")
    assert _verdict(union, official_shapes) == set()
    assert _verdict(union, shapes("cpsv-ap")) == set()
    assert shacl_problems(union, ("pps",)) == []


PPS_BREAKERS = {
    "importance outside the scale": (lambda g: g.set((SERVICE, URIRef(PPS + "importance"), URIRef(PPS + "Importance-7"))),
                                      "importance"),
    "no service kind": (lambda g: g.remove((SERVICE, URIRef(PPS + "serviceKind"), None)), "serviceKind"),
    "share over 100 %": (lambda g: g.set((_first(g, PPS + "plannedShare")[0], URIRef(PPS + "plannedShare"),
                                          Literal("150.0", datatype=DOUBLE))), "plannedShare"),
    "unknown provider role": (lambda g: g.add((_first(g, CV + "role")[0], URIRef(CV + "role"), URIRef(PPS + "ProviderRole-x"))),
                              "role"),
}


@pytest.mark.parametrize("breaker", sorted(PPS_BREAKERS))
def test_pps_shapes_catch_what_our_models_forbid(breaker):
    graph = to_graph(example("building-permit"))
    change, where = PPS_BREAKERS[breaker]
    change(graph)
    problems = shacl_problems(graph, ("pps",))
    assert problems and all(where in p.path for p in problems), problems


def test_the_vocabulary_defines_every_term_our_data_uses():
    vocabulary = Graph().parse(ROOT / "schemas" / "pps-vocabulary.ttl")
    graph = to_graph(example("building-permit"))
    used = {term for triple in graph for term in triple if isinstance(term, URIRef) and str(term).startswith(PPS)}
    assert used
    for term in used:
        labels = {label.language for label in vocabulary.objects(term, RDFS.label)} | {
            label.language for label in vocabulary.objects(term, SKOS.prefLabel)}
        assert {"lv", "en"} <= labels, term
        kinds = set(vocabulary.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept,
                        URIRef("http://purl.org/linked-data/cube#DataStructureDefinition")}, term
        if kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}:
            definitions = {d.language for d in vocabulary.objects(term, SKOS.definition)}
            assert {"lv", "en"} <= definitions, term
