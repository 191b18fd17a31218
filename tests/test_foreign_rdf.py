"""Lenient, honest reading of other publishers' CPSV-AP, and the cpsv-ap and pps profiles."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from pps_sdk.errors import ModelError
from pps_sdk.examples import example_catalogue
from pps_sdk.formats.rdf import parse, read_graph, serialize, to_graph
from pps_sdk.validation import Severity, validate_file
from pps_sdk.validation.profiles import RULES, check_reading
from pps_sdk.validation.reading import read_rdf

from conftest import REAL_CPSV_AP, reference
from test_cli import run

CPSV_SERVICE = URIRef("http://purl.org/vocab/cpsv#PublicService")
LATVIA = URIRef("http://publications.europa.eu/resource/authority/country/LVA")
# Services each file holds, as its publisher's README counts them.
REAL_FILES = {"semic-example-3.2.0.ttl": 1, "fi-pilot-FinnishServices.ttl": 13, "ee-pilot-EstonianServices.rdf": 28,
              "c4c-demo2-export-AT.ttl": 19, "c4c-affligem-BE.rdf": 1, "no-fdk-public_service0.ttl": 2}
PREFIXES = """@prefix cpsv: <http://purl.org/vocab/cpsv#> . @prefix cv: <http://data.europa.eu/m8g/> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix schema: <https://schema.org/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
"""
TWO_SERVICES = PREFIXES + """
<http://x.example/s/good> a cpsv:PublicService ; dct:identifier "Ģood-1" ; dct:title "Parkering"@nb ;
    dct:description "Tillatelse"@nb ; cv:hasCompetentAuthority <http://x.example/org> .
<http://x.example/s/bad> a cpsv:PublicService ; dct:identifier "bad" ; dct:description "Ohne Sprache" ;
    cv:hasCompetentAuthority <http://x.example/org> ; cv:contactPoint <http://x.example/cp> .
<http://x.example/cp> a cv:ContactPoint ; cv:telephone "tel:+4775012000" .
<http://x.example/org> a cv:PublicOrganisation ; dct:identifier "org" ; dct:title "Kommune"@nb ;
    dct:spatial <http://publications.europa.eu/resource/authority/country/NOR> .
<http://x.example/law> a eli:LegalResource ; dct:identifier "law" .
"""


def _syntax(name: str) -> str:
    return "rdfxml" if name.endswith(".rdf") else "ttl"


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_every_service_of_real_files_is_read_and_nothing_is_invented(name):
    path = reference(REAL_CPSV_AP) / name
    source = parse(path.read_bytes(), _syntax(name))
    reading = read_rdf(path.read_bytes(), _syntax(name))
    assert len(reading.services) == REAL_FILES[name]
    assert set(source.subjects(RDF.type, CPSV_SERVICE)) <= set(reading.services)  # original IRIs
    written = parse(serialize(reading.graph, "ttl").encode(), "ttl")
    assert (None, None, LATVIA) not in written or (None, None, LATVIA) in source
    source_lv = {o for o in source.objects() if isinstance(o, Literal) and o.language == "lv"}
    assert {o for o in written.objects() if isinstance(o, Literal) and o.language == "lv"} <= source_lv
    source_texts = {str(o) for o in source.objects() if isinstance(o, Literal)}
    assert {str(o) for o in written.objects() if isinstance(o, Literal)} - source_texts <= {
        str(o) for o in reading.graph.objects() if isinstance(o, Literal) and o.datatype is not None}


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_real_files_report_per_node_with_rules(name):
    path = reference(REAL_CPSV_AP) / name
    report = validate_file(path, profile="pps")
    assert report.services_read == REAL_FILES[name]
    problems = [f for f in report.findings if f.severity is not Severity.INFO]
    assert problems and all(f.rule and f.node for f in problems)
    assert len({(f.rule, f.node, f.path, f.message) for f in problems}) == len(problems)  # each once
    standard = validate_file(path, profile="cpsv-ap")
    assert not any(f.rule.startswith("PPS-") and f.rule != "PPS-READ" for f in standard.findings)


def test_a_broken_service_does_not_hide_its_neighbours():
    reading = read_rdf(TWO_SERVICES.encode(), "ttl")
    assert [str(s) for s in reading.services] == ["http://x.example/s/bad", "http://x.example/s/good"]
    report = check_reading(reading, "two.ttl", "pps")
    bad = {f.rule for f in report.findings if f.node.endswith("/cp") or f.node.endswith("/bad")}
    assert {"PPS-PHONE", "PublicServiceShape-dct-title:MinCount"} <= bad
    title = next(f for f in report.findings if f.rule == "PublicServiceShape-dct-title:MinCount")
    assert title.line == 7 and title.node == "http://x.example/s/bad"
    assert not any(f.node.endswith("/good") and f.severity is Severity.ERROR and f.rule.startswith("PublicServiceShape-dct")
                   for f in report.findings)
    # The identifier in another script is kept, the untagged text stays untagged.
    assert (URIRef("http://x.example/s/good"), URIRef("http://purl.org/dc/terms/identifier"), Literal("Ģood-1")) in reading.graph
    assert Literal("Ohne Sprache") in set(reading.graph.objects())


def test_latvian_rules_belong_to_the_pps_profile_only():
    reading = read_rdf(TWO_SERVICES.encode(), "ttl")
    standard = {f.rule for f in check_reading(reading, "two.ttl", "cpsv-ap").findings}
    ours = {f.rule for f in check_reading(reading, "two.ttl", "pps").findings}
    latvian = {"PPS-PHONE", "PPS-TERRITORY", "PPS-LEGAL-LINK", "PPS-LV-TEXT"}
    assert latvian <= ours and not latvian & standard
    assert all(rule in RULES for rule in latvian)


def test_a_default_language_is_used_only_when_named():
    tagged = read_rdf(TWO_SERVICES.encode(), "ttl", language="de")
    assert Literal("Ohne Sprache", lang="de") in set(tagged.graph.objects())
    untagged = read_rdf(TWO_SERVICES.encode(), "ttl")
    assert not any(isinstance(o, Literal) and o.language == "lv" for o in untagged.graph.objects())


def test_a_document_without_services_says_so():
    reading = read_rdf((PREFIXES + '<http://x.example/org> a cv:PublicOrganisation .').encode(), "ttl")
    report = check_reading(reading, "orgs.ttl")
    assert any(f.rule == "PPS-NO-SERVICE" for f in report.errors)


def test_opening_hours_that_are_not_clock_times_are_a_note_not_a_crash():
    document = PREFIXES + """<http://x.example/ch> a cv:Channel ; dct:identifier "ch" ;
        schema:hoursAvailable <http://x.example/h> .
    <http://x.example/h> a schema:OpeningHoursSpecification ; schema:opens "Sun Dec 31 09:00:00 CET 1899" ;
        schema:closes "Sun Dec 31 17:00:00 CET 1899" ; schema:dayOfWeek schema:Monday .
    <http://x.example/s> a cpsv:PublicService ; dct:identifier "s" ; dct:title "S"@en ; dct:description "D"@en ;
        cv:hasChannel <http://x.example/ch> ."""
    reading = read_rdf(document.encode(), "ttl")
    assert any("no clock times" in note.message for note in reading.notes)
    with pytest.raises(ModelError) as raised:  # the strict reader: invalid (no holder), not a crash
        read_graph(parse(document.encode(), "ttl"))
    assert "holders" in str(raised.value)


def test_reexport_keeps_iris_and_conforms_to_the_official_shapes(tmp_path, official_dir):
    shapes = official_dir / "cpsv-ap-SHACL.ttl"
    from pyshacl import validate

    source = tmp_path / "foreign.ttl"
    source.write_text(serialize(to_graph(example_catalogue(), base="http://data.example.org/"), "ttl"), encoding="utf-8")
    assert validate_file(source, profile="cpsv-ap").ok
    target = tmp_path / "again.nt"
    result = run("convert", str(source), str(target))
    assert result.returncode == 0, result.stderr
    written = parse(target.read_bytes(), "nt")
    assert isomorphic(written, parse(source.read_bytes(), "ttl"))  # the same IRIs, the same texts
    conforms, _, text = validate(written, shacl_graph=Graph().parse(shapes), allow_warnings=True)
    assert conforms, text[:2000]


def test_validate_cli_json_report(tmp_path):
    path = tmp_path / "two.ttl"
    path.write_text(TWO_SERVICES, encoding="utf-8")
    result = run("validate", "--report", "json", "--profile", "cpsv-ap", str(path))
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)["reports"][0]
    assert report["services_read"] == 2 and report["profile"] == "cpsv-ap"
    assert all({"rule", "severity", "node", "path", "line", "message"} <= set(f) for f in report["findings"])


def test_scoped_and_nested_jsonld_contexts_are_never_fetched():
    import http.server
    import threading

    from pps_sdk.errors import FormatError

    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"@context": {}}')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    remote = f"http://127.0.0.1:{server.server_port}/context.jsonld"
    try:
        documents = [
            {"@context": {"term": {"@id": "http://x.example/t", "@context": remote}}, "term": {"a": 1}},
            {"@context": {"t": {"@id": "http://x.example/t", "@context": {"u": {"@id": "http://x.example/u",
                                                                               "@context": [remote]}}}}},
            {"@context": {"t": {"@id": "http://x.example/t", "@context": {"@import": remote}}}},
        ]
        for document in documents:
            with pytest.raises(FormatError, match="not fetched"):
                parse(json.dumps(document).encode(), "jsonld")
    finally:
        server.shutdown()
    assert requests == []


def test_a_node_that_contains_itself_is_an_error_not_a_crash(tmp_path):
    from pps_sdk import load
    from pps_sdk.errors import FormatError

    path = tmp_path / "cycle.ttl"
    path.write_text(PREFIXES + """<http://x.example/s> a cpsv:PublicService, cv:ContactPoint ; dct:identifier "s" ;
        dct:title "S"@lv ; dct:description "D"@lv ; cv:contactPoint <http://x.example/s> .""", encoding="utf-8")
    with pytest.raises(FormatError, match="contains itself"):
        load(path)
    report = validate_file(path)
    assert report.services_read == 1 and not report.ok and not report.unreadable
    result = run("convert", "--remint", str(path), str(tmp_path / "out.ttl"))
    assert result.returncode == 1 and "contains itself" in result.stderr and "Traceback" not in result.stderr


def test_leftovers_are_what_the_model_has_no_place_for_and_can_be_written(tmp_path):
    source = tmp_path / "two.ttl"
    source.write_text(TWO_SERVICES + """
<http://x.example/s/good> <http://x.example/vocab#rating> "5" .
<http://x.example/record> a <http://www.w3.org/ns/dcat#CatalogRecord> ; foaf:primaryTopic <http://x.example/s/good> .
""", encoding="utf-8")
    report = validate_file(source, profile="cpsv-ap", leftovers=True)
    left = {(str(s), str(p)) for s, p, _ in report.leftovers}
    assert ("http://x.example/s/good", "http://x.example/vocab#rating") in left  # a property the model lacks
    assert ("http://x.example/record", "http://xmlns.com/foaf/0.1/primaryTopic") in left  # a node no member reaches
    assert not any(s == "http://x.example/s/good" and "title" in p for s, p in left)  # what the model read
    assert validate_file(source, profile="cpsv-ap").leftovers is None  # not asked, not read into the model

    target = tmp_path / "left.ttl"
    result = run("validate", str(source), "--leftovers", str(target), "--report", "json")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["reports"][0]["leftover_triples"] == len(report.leftovers)
    assert isomorphic(parse(target.read_bytes(), "ttl"), report.leftovers)


def test_an_organisation_named_only_by_foaf_name_keeps_its_names():
    path = reference(REAL_CPSV_AP) / "no-fdk-public_service0.ttl"
    reading = read_rdf(path.read_bytes(), "ttl")
    digdir = URIRef("https://organization-catalog.fellesdatakatalog.digdir.no/organizations/123456789")
    assert digdir in reading.members["organisations"]  # a rov:RegisteredOrganization
    assert reading.models[digdir].name.root == {"nb": "Digitaliseringsdirektoratet", "nn": "Digitaliseringsdirektoratet",
                                           "en": "Norwegian Digitalisation Agency"}
    assert not any(str(p).endswith("foaf/0.1/name") for s, p, _ in reading.leftovers if s == digdir)


def test_inputs_without_a_requirement_are_read_as_the_services_own():
    path = reference(REAL_CPSV_AP) / "no-fdk-public_service0.ttl"
    reading = read_rdf(path.read_bytes(), "ttl")
    service = URIRef("http://public-service-publisher.fellesdatakatalog.digdir.no/services/1")
    assert sorted(e.get("id") for e in reading.data[service]["inputs"]) == ["1", "2", "3"]
    assert not any(p == URIRef("http://purl.org/vocab/cpsv#hasInput") for s, p, _ in reading.leftovers if s == service)


NAMED_GRAPH = json.dumps({"@id": "https://x.example/graph", "@graph": [{
    "@id": "https://x.example/s1", "@type": "http://purl.org/vocab/cpsv#PublicService",
    "http://purl.org/dc/terms/title": {"@value": "Service", "@language": "en"}}]})


def test_services_in_a_named_json_ld_graph_are_read(tmp_path):
    path = tmp_path / "graph.jsonld"
    path.write_text(NAMED_GRAPH, encoding="utf-8")
    assert validate_file(path, profile="cpsv-ap").services_read == 1
    assert len(parse(NAMED_GRAPH.encode(), "jsonld")) == 2


def test_findings_say_what_to_do_and_each_note_is_said_once(tmp_path):
    path = tmp_path / "untagged.ttl"
    path.write_text(PREFIXES + "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n" + """
<http://x.example/s> a cpsv:PublicService ; dct:identifier "s" ; dct:title "Förderansuchen" ; dct:description "D"@de ;
    cv:hasCompetentAuthority <http://x.example/o> ; dct:language [ ] ; cv:hasCost <http://x.example/c> .
<http://x.example/t> a cpsv:PublicService ; dct:identifier "t" ; dct:title "T"@de ; dct:description "D"@de ;
    cv:hasCompetentAuthority <http://x.example/o> ; cv:hasCost <http://x.example/c> .
<http://x.example/o> a cv:PublicOrganisation ; skos:prefLabel "Amt"@de .
<http://x.example/c> a cv:Cost ; dct:description "gratis" .
""", encoding="utf-8")
    for profile in ("cpsv-ap", "pps"):
        report = validate_file(path, profile=profile)
        title = next(f for f in report.findings if f.rule == "PublicServiceShape-dct-title:Datatype")
        assert "no language tag" in title.message and "--language" in title.message
        language = next(f for f in report.findings if f.rule == "PublicServiceShape-dct-language:Class")
        assert "(value a blank node)" in language.message
        said = [(f.rule, f.node, f.path, f.message) for f in report.findings]
        assert len(said) == len(set(said))


def test_a_syntax_error_keeps_its_line_and_the_text_report_shows_terms_as_written(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(PREFIXES + '<http://x.example/s> a cpsv:PublicService ; dct:title "x"@en\n dct:description "y"@en .\n',
                      encoding="utf-8")
    assert validate_file(broken).findings[0].line == 5
    contact = tmp_path / "contact.ttl"
    contact.write_text(TWO_SERVICES.replace('"tel:+4775012000"', '"call us" ; cv:email "write us"'), encoding="utf-8")
    result = run("validate", str(contact))
    assert "cv:telephone: 'call us'" in result.stdout and "cv:email: 'write us'" in result.stdout


def test_one_of_several_datasets_is_chosen_by_iri(tmp_path):
    from pps_sdk import dump, load
    from pps_sdk.errors import FormatError

    source = tmp_path / "two datasets.ttl"
    source.write_text(serialize(to_graph(example_catalogue()), "ttl")
                      + "\n<http://x.example/other> a <http://www.w3.org/ns/dcat#Dataset> .\n", encoding="utf-8")
    with pytest.raises(FormatError, match="--catalogue IRI"):
        load(source)
    dataset = URIRef("http://www.w3.org/ns/dcat#Dataset")
    chosen = next(str(s) for s in parse(source.read_bytes(), "ttl").subjects(RDF.type, dataset) if "x.example" not in s)
    assert len(load(source, catalogue=chosen).services) == len(example_catalogue().services)
    ours = tmp_path / "example.json"
    dump(example_catalogue(), ours)
    with pytest.raises(FormatError, match="choosing one by IRI is for RDF"):
        load(ours, catalogue=chosen)


WRONG_KINDS = PREFIXES + """@prefix rov: <http://www.w3.org/ns/regorg#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://x.example/s> a cpsv:PublicService ; dct:identifier "s" ; dct:title "S"@en ; dct:description "D"^^rdfs:Literal ;
    dct:language <http://publications.europa.eu/resource/authority/language/ENG> ;
    cv:hasCompetentAuthority <http://x.example/org> ,
        <http://x.example/organisations/an-organisation-named-at-a-length-no-message-should-print-in-full/unit/1> .
<http://x.example/org> a rov:RegisteredOrganization ; dct:title "Org"@en .
"""


def cpsv_ap_report_of(turtle: str, fast: bool, folder):
    """The cpsv-ap report on a Turtle document: from a file, the way `pps validate` takes (the
    fast path), or from the usual lenient reading."""
    if not fast:
        return check_reading(read_rdf(turtle.encode(), "ttl"), "doc.ttl", "cpsv-ap")
    path = folder / "doc.ttl"
    path.write_text(turtle, encoding="utf-8")
    return validate_file(path, profile="cpsv-ap")


BOTH_PATHS = pytest.mark.parametrize("fast", [True, False], ids=["fast path", "usual reading"])


@BOTH_PATHS
def test_a_value_of_the_wrong_kind_is_said_to_be_what_it_is(tmp_path, fast):
    report = cpsv_ap_report_of(WRONG_KINDS, fast, tmp_path)
    by_value = {f.value: f for f in report.errors}
    long_iri = "http://x.example/organisations/an-organisation-named-at-a-length-no-message-should-print-in-full/unit/1"
    assert "the value is typed <http://www.w3.org/ns/regorg#RegisteredOrganization>" in by_value["http://x.example/org"].message
    assert "the value has no rdf:type in this document" in by_value[long_iri].message
    assert long_iri not in by_value[long_iri].message  # shortened for people; whole in the value
    assert by_value[long_iri].as_dict()["value"] == long_iri
    assert "the value is typed rdfs:Literal" in by_value["D"].message
    assert "an entry of an EU authority table, has no rdf:type in this document" in by_value[
        "http://publications.europa.eu/resource/authority/language/ENG"].message


def test_a_service_class_of_another_namespace_is_named_when_no_service_is_found(tmp_path):
    document = ('@prefix cpsvit: <https://w3id.org/italia/onto/CPSV/> . @prefix dct: <http://purl.org/dc/terms/> .\n'
                '<http://x.example/s> a cpsvit:PublicService ; dct:title "Servizio"@it .\n')
    path = tmp_path / "it.ttl"
    path.write_text(document, encoding="utf-8")
    for profile in ("cpsv-ap", "pps"):
        [finding] = [f for f in validate_file(path, profile=profile).errors if f.rule == "PPS-NO-SERVICE"]
        assert "<https://w3id.org/italia/onto/CPSV/PublicService>" in finding.message
        assert "<http://purl.org/vocab/cpsv#PublicService>" in finding.message


def test_a_service_the_model_cannot_hold_is_said_to_be_unchecked_by_the_business_rules():
    report = check_reading(read_rdf(TWO_SERVICES.encode(), "ttl"), "two.ttl", "pps")
    unchecked = {f.node for f in report.findings if "business rules were not checked" in f.message}
    assert unchecked == {"http://x.example/s/bad"}


def test_a_problem_the_shapes_report_on_a_nested_node_is_not_said_again_of_the_service():
    document = PREFIXES + """<http://x.example/s> a cpsv:PublicService ; dct:identifier "s" ; dct:title "S"@en ;
        dct:description "D"@en ; cv:hasCompetentAuthority <http://x.example/org> ; cv:hasCost <http://x.example/cost> .
    <http://x.example/cost> a cv:Cost ; dct:identifier "c" ; dct:description "Bez maksas" .
    <http://x.example/org> a cv:PublicOrganisation ; dct:identifier "org" ; skos:prefLabel "Org"@en .
    """
    report = check_reading(read_rdf(("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n" + document).encode(), "ttl"),
                           "cost.ttl", "pps")
    on_cost = [f for f in report.errors if f.node == "http://x.example/cost" and f.path == "dct:description"]
    assert on_cost and "no language tag" in on_cost[0].message
    assert not [f for f in report.findings if f.rule == "PPS-MODEL" and f.path.startswith("costs")]


@BOTH_PATHS
def test_a_blank_node_is_named_by_its_identifier(tmp_path, fast):
    document = PREFIXES + '[] a cpsv:PublicService ; dct:identifier "PS_0" ; dct:title "S"@en .\n'
    report = cpsv_ap_report_of(document, fast, tmp_path)
    [missing] = [f for f in report.errors if f.path == "dct:description"]
    assert missing.message.endswith("(the blank node with dct:identifier 'PS_0')")
    assert missing.node.startswith("_:") and str(missing).startswith(f"error: {missing.node} dct:description")


@BOTH_PATHS
def test_a_language_tag_and_an_ill_typed_value_are_said_alike_by_both_paths(tmp_path, fast):
    document = PREFIXES + """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <http://x.example/s> a cpsv:PublicService ; dct:identifier "s" ; dct:title "S"@en ; dct:description "D"@en ;
        cv:hasCompetentAuthority <http://x.example/org> ; cv:processingTime "P1D"@EN-gb .
    <http://x.example/c> a cv:Cost ; cv:hasValue "many"^^xsd:double .
    <http://x.example/org> a cv:PublicOrganisation ; dct:identifier "" .
    """
    by_value = {f.value: f for f in cpsv_ap_report_of(document, fast, tmp_path).findings}
    assert "the value is text in language 'en-gb'" in by_value["P1D"].message
    assert "the value is not a valid xsd:double" in by_value["many"].message


def test_a_problem_on_one_nested_node_does_not_hide_its_sibling_s():
    document = PREFIXES + """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <http://x.example/s> a cpsv:PublicService ; dct:identifier "s" ; dct:title "S"@en ; dct:description "D"@en ;
        cv:hasCompetentAuthority <http://x.example/org> ; cv:hasCost <http://x.example/a>, <http://x.example/b> .
    <http://x.example/a> a cv:Cost ; dct:identifier "a" ; dct:description "Bez maksas" .
    <http://x.example/b> a cv:Cost ; dct:identifier "b" ; dct:description "   "@lv .
    <http://x.example/org> a cv:PublicOrganisation ; dct:identifier "org" ; skos:prefLabel "Org"@en .
    """
    report = check_reading(read_rdf(document.encode(), "ttl"), "costs.ttl", "pps")
    assert [f for f in report.findings if f.rule == "PPS-MODEL" and f.path.startswith("costs")]


def test_services_outside_the_chosen_catalogue_are_not_called_another_class(tmp_path):
    document = PREFIXES + """@prefix dcat: <http://www.w3.org/ns/dcat#> .
    <http://x.example/d1> a dcat:Dataset ; dct:hasPart <http://x.example/s> . <http://x.example/d2> a dcat:Dataset .
    <http://x.example/s> a cpsv:PublicService . <http://x.example/api> a dcat:DataService .
    """
    reading = read_rdf(document.encode(), "ttl", catalogue="http://x.example/d2")
    [finding] = [f for f in check_reading(reading, "two.ttl", "cpsv-ap").errors if f.rule == "PPS-NO-SERVICE"]
    assert finding.message.endswith("the document has services, but not in the chosen catalogue")
    alone = read_rdf((PREFIXES + '@prefix dcat: <http://www.w3.org/ns/dcat#> . <http://x.example/api> a dcat:DataService .').encode(), "ttl")
    [finding] = [f for f in check_reading(alone, "api.ttl", "cpsv-ap").errors if f.rule == "PPS-NO-SERVICE"]
    assert finding.message == "the document describes no cpsv:PublicService"


def test_a_json_ld_blank_node_whose_label_holds_a_colon_is_still_a_blank_node(tmp_path):
    document = {"@context": {"dct": "http://purl.org/dc/terms/", "cpsv": "http://purl.org/vocab/cpsv#"},
                "@id": "_:svc:one", "@type": "cpsv:PublicService", "dct:identifier": "one"}
    path = tmp_path / "blank.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    findings = [f for f in validate_file(path, profile="cpsv-ap").errors if f.path == "dct:title"]
    assert findings and all(f.node.startswith("_:") and f.message.endswith("dct:identifier 'one')") for f in findings)
    assert str(findings[0]).startswith(f"error: {findings[0].node} ")


UNTAGGED = PREFIXES + """<http://x.example/s> a cpsv:PublicService ; dct:identifier "s" ; dct:title "Usluga" ;
    dct:description "Opis usluge" ; cv:hasCompetentAuthority <http://x.example/org> .
<http://x.example/org> a cv:PublicOrganisation ; dct:identifier "org" ; dct:title "Grad"@hr .
"""


def test_remint_reads_untagged_text_in_the_language_named_and_not_otherwise(tmp_path):
    source, target = tmp_path / "hr.ttl", tmp_path / "out.ttl"
    source.write_text(UNTAGGED, encoding="utf-8")
    result = run("convert", str(source), str(target), "--remint", "--language", "hr")
    assert result.returncode == 0, result.stderr
    written = target.read_text(encoding="utf-8")
    assert '"Usluga"@hr' in written and '"Opis usluge"@hr' in written and '"Usluga"@lv' not in written
    refused = run("convert", str(source), str(tmp_path / "again.ttl"), "--remint")
    assert refused.returncode == 1 and "--language" in refused.stderr and not (tmp_path / "again.ttl").exists()


def test_converting_as_read_says_how_many_constraints_the_source_breaks(tmp_path):
    source, target = tmp_path / "two.ttl", tmp_path / "two.nt"
    source.write_text(TWO_SERVICES, encoding="utf-8")
    result = run("convert", str(source), str(target))
    errors = check_reading(read_rdf(TWO_SERVICES.encode(), "ttl"), "two.ttl", "cpsv-ap").errors
    assert result.returncode == 0 and target.exists()
    assert f"the source breaks {len(errors)} CPSV-AP 3.2.0 constraint" in " ".join(result.stderr.split())
