"""The cpsv-ap profile's fast path (pyoxigraph, fast_shacl's index, one pass for the lines)
makes the report the usual reading makes (the same findings, rule ids, messages, nodes, lines
and services read), with pyshacl's verdicts on the official shapes, or leaves the document to
the usual reading."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from pps_sdk.examples import example_catalogue
from pps_sdk.formats.rdf import serialize, to_graph
from pps_sdk.validation import validate_file
from pps_sdk.validation.fast_profile import cpsv_ap_report
from pps_sdk.validation.lines import first_lines, mentions
from pps_sdk.validation.profiles import _short, check_reading
from pps_sdk.validation.reading import read_rdf
from pps_sdk.vocab import compact
from test_fast_shacl import BREAKS

# pyoxigraph refuses a language tag with a subtag over eight letters, which rdflib reads.
LEFT_TO_THE_USUAL_READING = {"title in a bad language tag"}


def usual_report(raw: bytes, syntax: str):
    return check_reading(read_rdf(raw, syntax, into_models=False), "doc", "cpsv-ap")


def comparable(report) -> tuple[list[tuple], int | None]:
    """The report's findings in order, blank nodes unnamed (each parser names them its own way)."""
    blank = {f.node for f in report.findings if f.node.startswith("_:")}

    def unnamed(text: str) -> str:
        text = "_:" if text in blank else text
        return re.sub(r"\b[A-Za-z]?[0-9a-f]{32}\b", "_:", text)
    return sorted(((f.severity, f.path, unnamed(f.message), f.source, f.line, f.rule, unnamed(f.node))
                   for f in report.findings), key=repr), report.services_read


def same_verdicts(report, pyshacl: set[tuple]) -> bool:
    """Whether the report's SHACL findings are pyshacl's results: the same (focus node, path,
    constraint) as often, each value named in the message of a finding with those."""
    findings = [(f.node, f.path, f.rule.rsplit(":", 1)[-1], f.message) for f in report.findings if f.source == "schema"]
    if sorted(finding[:3] for finding in findings) != sorted(result[:3] for result in pyshacl):
        return False
    for node, path, constraint, value in pyshacl:
        messages = [finding[3] for finding in findings if finding[:3] == (node, path, constraint)]
        if value is not None and not any(f"(value {value})" in message for message in messages):
            return False
    return True


def pyshacl_verdicts(raw: bytes, syntax: str, shapes_graph: Graph) -> set[tuple]:
    from pps_sdk.formats.rdf import parse

    _, results, _ = validate(parse(raw, syntax), shacl_graph=shapes_graph, allow_warnings=True)
    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus, path, value, component = (results.value(result, key) for key in (
            SH.focusNode, SH.resultPath, SH.value, SH.sourceConstraintComponent))
        found.add((str(focus), compact(str(path)), str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent"),
                   None if value is None else _short(value)))
    return found


@pytest.fixture(scope="module")
def catalogue_graph() -> Graph:
    return to_graph(example_catalogue())


def broken(catalogue_graph: Graph, kinds: list[str]) -> Graph:
    data = Graph()
    data += catalogue_graph
    for kind in kinds:
        BREAKS[kind](data)
    return data


@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_each_break_gets_the_usual_report(catalogue_graph, kind):
    raw = serialize(broken(catalogue_graph, [kind]), "nt").encode("utf-8")
    fast = cpsv_ap_report(raw, "nt", "doc")
    if kind in LEFT_TO_THE_USUAL_READING:
        assert fast is None
    else:
        assert fast is not None and comparable(fast) == comparable(usual_report(raw, "nt"))


def test_every_break_at_once_gets_pyshacls_verdicts_and_the_usual_report_in_turtle(catalogue_graph, official_shapes):
    raw = serialize(broken(catalogue_graph, sorted(BREAKS.keys() - LEFT_TO_THE_USUAL_READING)), "ttl").encode("utf-8")
    fast = cpsv_ap_report(raw, "ttl", "doc")
    assert fast is not None and len(fast.findings) > 10
    assert comparable(fast) == comparable(usual_report(raw, "ttl"))
    assert same_verdicts(fast, pyshacl_verdicts(raw, "ttl", official_shapes))


@pytest.mark.thorough
@pytest.mark.parametrize("kind", sorted(BREAKS.keys() - LEFT_TO_THE_USUAL_READING))
def test_each_break_gets_pyshacls_verdicts(catalogue_graph, official_shapes, kind):
    raw = serialize(broken(catalogue_graph, [kind]), "nt").encode("utf-8")
    assert same_verdicts(cpsv_ap_report(raw, "nt", "doc"), pyshacl_verdicts(raw, "nt", official_shapes))


def test_real_files_get_the_usual_report_as_published_and_as_3_2_0():
    from conftest import REAL_CPSV_AP, reference

    ran_fast = 0
    for path in sorted(reference(REAL_CPSV_AP).glob("*.*")):
        if path.suffix not in (".ttl", ".rdf"):
            continue
        syntax = "ttl" if path.suffix == ".ttl" else "rdfxml"
        raw = path.read_bytes()
        reading = read_rdf(raw, syntax, into_models=False)
        # The 2.2.1 files are upgraded by the usual reading; written as 3.2.0, the fast path reads most of them.
        upgraded = serialize(reading.graph, "ttl").encode("utf-8")
        for document, written, usual in ((raw, syntax, check_reading(reading, "doc", "cpsv-ap")),
                                         (upgraded, "ttl", None)):
            fast = cpsv_ap_report(document, written, "doc")
            if fast is not None:
                assert comparable(fast) == comparable(usual or usual_report(document, written)), (path.name, written)
                ran_fast += 1
    assert ran_fast >= 5


TURTLE = b"""@prefix ex: <http://x.example/> .
@prefix svc: <http://x.example/service/> .
@prefix cpsv: <http://purl.org/vocab/cpsv#> .
@prefix dct: <http://purl.org/dc/terms/> .
# svc:a3 and <http://x.example/service/a2> are named in this comment first
svc:a1 a cpsv:PublicService ; dct:title "svc:a2" ; dct:identifier "http://x.example/service/a1" .
svc:a2 a cpsv:PublicService ; dct:relation svc:a10 .
<http://x.example/service/a3> a cpsv:PublicService ; dct:description "<http://x.example/service/a10>" .
svc:a10 a cpsv:PublicService .
ex:lone a cpsv:PublicService .
_:b a cpsv:PublicService .
"""


def test_lines_are_where_the_document_describes_each_node():
    # Prefixed names inside longer names, IRIs in quotes, in angle brackets, in comments and in text.
    reading = read_rdf(TURTLE, "ttl", into_models=False)
    nodes = [node for node in set(reading.graph.subjects()) | set(reading.graph.objects()) if isinstance(node, URIRef)]
    found = first_lines(TURTLE, {str(node): mentions(node, reading.graph) for node in nodes})
    service = "http://x.example/service/"
    assert found == {f"{service}a1": 6, f"{service}a2": 7, f"{service}a3": 8, f"{service}a10": 9,
                     "http://x.example/lone": 10, "http://purl.org/vocab/cpsv#PublicService": 6}  # never a subject: first named
    assert found == reading.lines_of(str(node) for node in nodes)


def test_lines_in_rdf_xml_are_where_a_node_is_about():
    document = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cv="http://data.europa.eu/m8g/">
  <cv:Channel rdf:about="http://x.example/ch">
    <cv:ownedBy rdf:resource="http://x.example/org"/>
  </cv:Channel>
  <cv:PublicOrganisation rdf:about="http://x.example/org"/>
</rdf:RDF>
"""
    reading = read_rdf(document, "rdfxml", into_models=False)
    assert reading.lines_of(["http://x.example/ch", "http://x.example/org", "http://x.example/elsewhere"]) == {
        "http://x.example/ch": 3, "http://x.example/org": 6, "http://x.example/elsewhere": None}


def test_an_object_continuing_the_line_before_is_not_where_its_node_is_described():
    document = b"""@prefix ex: <http://x.example/> .
ex:s ex:p ex:org0,
        ex:org1 ;
    ex:q ex:org\xc4\x81, ex:org.v2 .
ex:org1 ex:p "1" .
ex:org ex:p "2" .
"""
    reading = read_rdf(document, "ttl", into_models=False)
    assert reading.lines_of(["http://x.example/org1", "http://x.example/org", "http://x.example/org0"]) == {
        "http://x.example/org1": 5, "http://x.example/org": 6, "http://x.example/org0": 2}


def test_rdf_xml_about_may_have_spaces_around_its_equals_sign():
    document = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cv="http://data.europa.eu/m8g/">
  <cv:Channel rdf:about="http://x.example/ch"><cv:ownedBy rdf:resource="http://x.example/org"/></cv:Channel>
  <cv:PublicOrganisation rdf:about = "http://x.example/org"/>
</rdf:RDF>
"""
    assert read_rdf(document, "rdfxml", into_models=False).lines_of(["http://x.example/org"]) == {"http://x.example/org": 4}


def test_a_document_on_one_line_names_its_lines_too():
    document = b" ".join(b"<http://x.example/s%d> <http://x.example/p> <http://x.example/o%d> ." % (n, n) for n in range(3000))
    found = first_lines(document, {f"s{n}": [f"<http://x.example/s{n}>"] for n in (0, 2999)})
    assert found == {"s0": 1, "s2999": 1}


def test_the_report_names_the_lines_of_a_turtle_file(tmp_path):
    path = tmp_path / "services.ttl"
    path.write_bytes(TURTLE)
    assert cpsv_ap_report(TURTLE, "ttl", "doc") is not None
    report = validate_file(path, profile="cpsv-ap")
    assert comparable(report) == comparable(usual_report(TURTLE, "ttl"))
    assert {f.line for f in report.findings if f.node == "http://x.example/service/a3"} == {8}


@pytest.mark.parametrize("why, syntax, text", [
    ("CPSV-AP 2.2.1", "nt", b'<http://x.example/s> <http://data.europa.eu/m8g/hasCriterion> <http://x.example/c> .\n'),
    ("text typed xsd:string", "nt",
     b'<http://x.example/s> <http://purl.org/dc/terms/title> "t"^^<http://www.w3.org/2001/XMLSchema#string> .\n'),
    ("a triple term", "nt", b'<http://x.example/s> <http://x.example/p> <<( <http://x.example/s> '
                            b'<http://x.example/p> <http://x.example/o> )>> .\n'),
    ("a base direction", "nt", b'<http://x.example/s> <http://x.example/p> "t"@en--ltr .\n'),
    ("a VERSION directive", "ttl", b'VeRsIoN "1.2"\n<http://x.example/s> <http://x.example/p> 1 .\n'),
    ("a reifier", "ttl", b'<http://x.example/s> <http://x.example/p> <http://x.example/o> ~ <http://x.example/r> .\n'),
    ("a reified triple", "ttl", b'<< <http://x.example/s> <http://x.example/p> <http://x.example/o> >> '
                                b'<http://x.example/p> 1 .\n'),
    ("an annotation", "ttl", b'<http://x.example/s> <http://x.example/p> <http://x.example/o> {| <http://x.example/p> 1 |} .\n'),
    ("a triple term in Turtle", "ttl", b'<http://x.example/s> <http://x.example/p> <<( <http://x.example/s> '
                                       b'<http://x.example/p> <http://x.example/o> )>> .\n'),
    ("deep nesting", "ttl", b"<http://x.example/s> <http://x.example/p> " + b"[ <http://x.example/p> " * 60
     + b"1" + b" ]" * 60 + b" .\n"),
    ("a relative IRI", "ttl", b"<s> <http://x.example/p> 1 .\n"),
    ("not Turtle at all", "ttl", b"<http://x.example/s> <http://x.example/p> .\n"),
    ("a comment that is not UTF-8", "nt", b"# \xff\n<http://x.example/s> <http://x.example/p> \"1\" .\n"),
    ("JSON-LD", "jsonld", b"{}"),
])
def test_documents_read_differently_by_rdflib_are_left_to_the_usual_reading(tmp_path, why, syntax, text):
    assert cpsv_ap_report(text, syntax, "doc") is None, why
    path = tmp_path / f"doc.{syntax}"
    path.write_bytes(text)
    assert validate_file(path, profile="cpsv-ap").findings  # the usual reading answers, as before


def test_a_default_language_and_a_chosen_catalogue_give_the_usual_report(catalogue_graph):
    from pps_sdk.formats.rdf.writer import DCAT

    raw = serialize(broken(catalogue_graph, ["title without a language", "two identifiers"]), "nt").encode("utf-8")
    dataset = str(next(catalogue_graph.subjects(RDF.type, DCAT.Dataset)))
    for language, catalogue in (("lv", None), (None, dataset), ("lv", dataset)):
        fast = cpsv_ap_report(raw, "nt", "doc", language=language, catalogue=catalogue)
        usual = check_reading(read_rdf(raw, "nt", language, catalogue, into_models=False), "doc", "cpsv-ap")
        assert fast is not None and comparable(fast) == comparable(usual), (language, catalogue)
    # Text without a language is in Latvian when the user says so: no longer a break.
    assert len(cpsv_ap_report(raw, "nt", "doc", language="lv").findings) < len(cpsv_ap_report(raw, "nt", "doc").findings)
    assert cpsv_ap_report(raw, "nt", "doc", catalogue="http://x.example/no-such-catalogue") is None


@pytest.mark.thorough
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_documents_get_the_usual_report(catalogue_graph, data):
    syntax = data.draw(st.sampled_from(["nt", "ttl"]))
    document = bytearray(serialize(catalogue_graph, syntax).encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(document)))
        end = min(len(document), start + data.draw(st.integers(0, 80)))
        kind = data.draw(st.sampled_from(["cut", "copy", "byte"]))
        if kind == "cut":
            del document[start:end]
        elif kind == "copy":
            document[start:start] = document[start:end]
        else:
            document[start:start + 1] = bytes([data.draw(st.integers(0, 255))])
    raw = bytes(document)
    fast = cpsv_ap_report(raw, syntax, "doc")
    if fast is not None:
        assert comparable(fast) == comparable(usual_report(raw, syntax))
