"""The pyoxigraph engine against the rdflib one: the same graphs written, the same models read,
the same refusals of hostile documents."""

from __future__ import annotations

import copy
import os

import pytest
from hypothesis import given, settings
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic

from pps_sdk import FormatError, MalformedError
from pps_sdk.errors import ModelError
import pps_sdk.formats.rdf as rdf_module
from pps_sdk.examples import example_catalogue
from pps_sdk.formats.rdf import TripleIndex, parse, parse_index, read_document, read_graph, to_graph, write_document
from pps_sdk.formats.rdf.syntax import lexical_literals
from pps_sdk.model import Catalogue, PublicService
from pps_sdk.testing.strategies import catalogues

SYNTAXES = ("ttl", "nt", "jsonld", "rdfxml")
RDFLIB_NAMES = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def as_graph(text: str, syntax: str) -> Graph:
    """What a document says, read by rdflib with every literal as written."""
    with lexical_literals():
        return Graph().parse(data=text, format=RDFLIB_NAMES[syntax])


def assert_engines_agree(catalogue, syntaxes=SYNTAXES) -> None:
    for syntax in syntaxes:
        fast = write_document(catalogue, syntax, engine="oxigraph")
        slow = write_document(catalogue, syntax, engine="rdflib")
        assert isomorphic(as_graph(fast, syntax), as_graph(slow, syntax)), syntax
        read_fast = read_document(fast.encode(), syntax, engine="oxigraph")
        read_slow = read_document(fast.encode(), syntax, engine="rdflib")
        assert read_fast.model == read_slow.model, syntax
        assert sorted(read_fast.repairs) == sorted(read_slow.repairs)
        assert isomorphic(read_fast.leftovers, read_slow.leftovers)


def test_the_example_catalogue_is_written_and_read_alike_by_both_engines():
    assert_engines_agree(example_catalogue(), ("rdfxml",))


@given(catalogues())
@settings(max_examples=2)
def test_generated_catalogues_are_written_and_read_alike_by_both_engines(catalogue):
    assert_engines_agree(catalogue, ("ttl", "jsonld"))


@pytest.mark.thorough
# Each example writes and reads a whole catalogue eight times: one by default, 25 in the thorough profile.
@settings(max_examples=25 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 1)
@given(catalogues())
def test_generated_catalogues_agree_in_every_syntax(catalogue):
    assert_engines_agree(catalogue)


def test_a_catalogue_built_service_by_service_reports_what_validating_it_whole_does():
    """Services are built one at a time to save memory; invalid ones from the middle on (no
    holder) still give every problem of the catalogue, as validating its plain data whole does."""
    broken = write_document(example_catalogue(), "ttl")
    for holder in ("org-riga", "org-vsaa"):  # the only holder of the second and of the third service
        line = f"    cv:hasCompetentAuthority <https://w3id.org/pps-lv/id/organisation/{holder}> ;\n"
        assert broken.count(line) == 1
        broken = broken.replace(line, "")
    data, _, _ = rdf_module._read_data(parse_index(broken.encode(), "ttl"), Catalogue)
    with pytest.raises(ModelError) as whole:
        Catalogue.model_validate(copy.deepcopy(data))
    with pytest.raises(ModelError) as built:
        read_document(broken.encode(), "ttl")
    assert str(built.value) == str(whole.value)
    assert "services[1].holders" in str(built.value) and "services[2].holders" in str(built.value)


def test_a_lone_service_is_written_alike():
    service = example_catalogue().services[0]
    fast = write_document(service, "nt", engine="oxigraph")
    assert isomorphic(as_graph(fast, "nt"), to_graph(service))
    assert read_document(fast.encode(), "nt", PublicService).model == read_graph(to_graph(service), PublicService).model


def test_the_index_answers_as_the_graph_does():
    text = write_document(example_catalogue(), "ttl").encode()
    index, graph = parse_index(text, "ttl"), parse(text, "ttl")
    assert isinstance(index, TripleIndex) and len(index) == len(graph)
    # A triple without blank nodes (each parser labels those its own way), the same one on every run.
    subject, predicate, obj = min((t for t in graph if not any(isinstance(term, BNode) for term in t)), key=str)
    assert (subject, predicate, obj) in index and (None, predicate, None) in index
    assert set(index.objects(subject, predicate)) == set(graph.objects(subject, predicate))
    assert set(index.subjects(predicate, obj)) == set(graph.subjects(predicate, obj))
    assert isomorphic(index.to_rdflib(), graph)


def test_a_triple_stated_twice_is_held_once():
    document = b'<http://x.example/a> <http://x.example/p> "v" .\n' * 2
    assert len(parse_index(document, "nt")) == 1


def test_literals_come_back_as_written_whatever_they_hold():
    text = ('@prefix x: <http://x.example/> .\n'
            'x:a x:p "quote \\" backslash \\\\ line\\nbreak tab\\t bell \\u0007 \\U0001F600 ā"@lv, '
            '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>, "plain", [ x:q x:b ] .\n').encode()
    index, graph = parse_index(text, "ttl"), parse(text, "ttl")
    assert isomorphic(index.to_rdflib(), graph)
    texts = {str(o): o for o in index.objects(URIRef("http://x.example/a"), URIRef("http://x.example/p"))}
    assert 'quote " backslash \\ line\nbreak tab\t bell \x07 \U0001F600 ā' in texts
    assert texts["1.50"].datatype == URIRef("http://www.w3.org/2001/XMLSchema#decimal") and texts["plain"].language is None


def test_named_graphs_are_merged_into_one():
    document = (b'{"@id": "http://x.example/g", "@graph": [{"@id": "http://x.example/a", "http://x.example/p": "v"}],'
                b' "http://x.example/p": "w"}')
    index = parse_index(document, "jsonld")
    assert sorted(str(o) for o in index.objects(None, URIRef("http://x.example/p"))) == ["v", "w"]


def test_triple_terms_are_refused():
    with pytest.raises(MalformedError):
        parse_index(b"<http://x.example/a> <http://x.example/p> <<( <http://x.example/a> <http://x.example/p> "
                    b"<http://x.example/b> )>> .\n", "nt")


def test_what_pyoxigraph_refuses_rdflib_explains():
    with pytest.raises(MalformedError, match="line 2"):
        parse_index(b"@prefix x: <http://x.example/> .\nx:a x:b ", "ttl")


@pytest.mark.parametrize("syntax, document", [
    ("rdfxml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "boom">]><rdf:RDF '
               b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://x.example/a">'
               b'<rdf:value>&e;</rdf:value></rdf:Description></rdf:RDF>'),
    ("jsonld", b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://x.example/a"}'),
    ("jsonld", b'{"http://x.example/p": ' * 150 + b"{}" + b"}" * 150),
    ("ttl", b"@prefix x: <http://x.example/> .\nx:a x:p " + b"[ x:p " * 150 + b"x:b" + b" ]" * 150 + b" .\n"),
])
def test_hostile_documents_are_refused_before_pyoxigraph_sees_them(syntax, document):
    with pytest.raises(MalformedError, match="DOCTYPE|not fetched|nested more than"):
        parse_index(document, syntax)


def test_nesting_is_counted_across_the_chunks_a_large_document_is_checked_in():
    padding = b'{"http://x.example/p": "' + b"(" * 1_500_000 + b'",\n'
    deep = b'"http://x.example/q": ' + b'{"http://x.example/p":\n' * 150 + b"{}" + b"}\n" * 151
    with pytest.raises(MalformedError, match="nested more than"):
        parse_index(padding + deep, "jsonld")
    shallow = b'"http://x.example/q": ' + b'{"http://x.example/p":\n' * 50 + b'"v"' + b"}\n" * 51
    assert len(parse_index(padding + shallow, "jsonld")) == 52


def test_what_we_write_as_json_ld_is_in_the_streaming_form():
    import pyoxigraph

    catalogue = example_catalogue()
    document = write_document(catalogue, "jsonld").encode()
    assert len(list(pyoxigraph.parse(document, pyoxigraph.RdfFormat.STREAMING_JSON_LD))) == len(to_graph(catalogue))


def test_brackets_and_escaped_quotes_inside_json_strings_do_not_count():
    text = '{"http://x.example/p": "' + '\\\\\\"{[' * 200 + '\\\\", "http://x.example/q": "]]}"}'
    assert len(parse_index(text.encode(), "jsonld")) == 2


def test_nesting_inside_strings_and_iris_does_not_count():
    text = '@prefix x: <http://x.example/> .\nx:a x:p "' + "[(" * 200 + '" , <http://x.example/' + "(" * 200 + "> .\n"
    assert len(parse_index(text.encode(), "ttl")) == 2


def test_what_no_syntax_can_carry_is_refused_when_written():
    catalogue = example_catalogue()
    broken = catalogue.model_copy(update={"services": [catalogue.services[0].model_copy(update={"id": "a b"})]})
    for syntax in SYNTAXES:
        with pytest.raises(FormatError, match="cannot be written"):
            write_document(broken, syntax, engine="oxigraph")


def test_dump_writes_rdf_files_as_a_stream_and_all_or_nothing(tmp_path):
    from pps_sdk import dump, load
    from pps_sdk.formats.rdf import canonical

    catalogue = example_catalogue()
    path = tmp_path / "catalogue.ttl"
    assert dump(catalogue, path) is None
    assert load(path) == canonical(catalogue)
    before = path.read_bytes()
    broken = catalogue.model_copy(update={"services": [*catalogue.services[:1],
                                                       catalogue.services[1].model_copy(update={"id": "a b"})]})
    with pytest.raises(FormatError, match="cannot be written"):
        dump(broken, path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["catalogue.ttl"]
