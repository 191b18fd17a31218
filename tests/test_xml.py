"""Our XML format: schema, lossless reading and writing, clear errors, hostile input refused."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from conftest import ROOT
from pps_sdk import Catalogue, FormatError, ModelError, PublicService, dump, load, loads
from pps_sdk.examples import example, example_catalogue
from pps_sdk.formats.xml_schema import schema_problems
from pps_sdk.formats.xml_shape import NAMESPACE, xml_fields
from pps_sdk.formats.xsd import SAWSDL, XML_NAMESPACE_SCHEMA, generate_xsd
from pps_sdk.model import MODELS
from pps_sdk.validation import validate_file
from pps_sdk.vocab import expand

XS = "{http://www.w3.org/2001/XMLSchema}"
ENGINES = ("lxml", "xmlschema")


def example_xml() -> str:
    return dump(example_catalogue(), "xml")


# -- the schema -------------------------------------------------------------------------

def test_committed_schema_is_the_generated_one():
    assert (ROOT / "schemas" / "pps-1.0.xsd").read_text(encoding="utf-8") == generate_xsd(), \
        "regenerate: pps schema xsd --out schemas/pps-1.0.xsd"
    assert (ROOT / "schemas" / "xml.xsd").read_text(encoding="utf-8") == XML_NAMESPACE_SCHEMA


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_an_element_and_every_element_a_field(model):
    schema = etree.fromstring(generate_xsd().encode())
    [complex_type] = schema.findall(f"{XS}complexType[@name='{model.__name__}']")
    elements = complex_type.findall(f"{XS}sequence/{XS}element")
    assert [e.get("name") for e in elements] == [f.element for f in xml_fields(model)]
    for element, field in zip(elements, xml_fields(model)):
        expected = expand(field.rdf) if field.rdf else None
        assert element.get(f"{{{SAWSDL}}}modelReference") == expected, field.name
    assert complex_type.get(f"{{{SAWSDL}}}modelReference") == expand(model.rdf_class)


def test_namespace_carries_the_major_version():
    schema = etree.fromstring(generate_xsd().encode())
    assert schema.get("targetNamespace") == NAMESPACE == "https://w3id.org/pps-lv/xml/1"
    assert schema.get("version") == "1.0"


# -- round trips ------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_examples_validate_and_round_trip(example_name, engine):
    catalogue = example(example_name)
    text = dump(catalogue, "xml")
    assert schema_problems(text.encode(), engine) == []
    assert loads(text, "xml") == catalogue


def test_files_round_trip_and_output_is_stable(tmp_path):
    path = tmp_path / "catalogue.xml"
    text = dump(example_catalogue(), path)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<catalogue xmlns="https://w3id.org/pps-lv/xml/1">')
    assert "<name xml:lang=\"lv\">Būvatļaujas izsniegšana</name>" in text  # UTF-8, not character references
    assert load(path) == example_catalogue()
    assert dump(load(path), "xml") == text


def test_a_single_service_is_a_document_too():
    service = example("building-permit").services[0]
    text = dump(service, "xml")
    assert text.splitlines()[1].startswith("<publicService ")
    assert schema_problems(text.encode()) == []
    assert loads(text, "xml", model=PublicService) == service


def test_carriage_returns_and_tabs_survive():
    data = json.loads(dump(example("building-permit"), "json"))
    data["services"][0]["description"]["lv"] = "pirmā rinda\r\notrā\tkolonna  "
    catalogue = Catalogue.model_validate(data)
    assert loads(dump(catalogue, "xml"), "xml") == catalogue


def test_text_xml_cannot_carry_is_refused_with_its_path():
    data = json.loads(dump(example("building-permit"), "json"))
    data["services"][0]["name"]["lv"] = "Būv\x0batļauja"
    with pytest.raises(FormatError, match=r"services\[0\]\.name\.lv: .*U\+000B"):
        dump(Catalogue.model_validate(data), "xml")


def test_shared_objects_are_written_once_and_referenced():
    text = example_xml()
    assert text.count("<id>org-vdaa</id>") == 1
    assert "<holder>org-jelgava-buvvalde</holder>" in text


# -- what is wrong with a document, with lines ------------------------------------------

def replace_once(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new", "path", "message"), [
    ("<importance>2</importance>", "<importance>9</importance>", "services[0].importance", "Input should be"),
    ("<kind>municipality</kind>", "<kind>municipality</kind><colour>red</colour>", "organisations[1]", "unexpected element <colour>"),
    ("<processingTime>P30D</processingTime>", "<processingTime>P30D</processingTime><processingTime>P1D</processingTime>",
     "services[0].processing_time", "appears more than once"),
    ('<name xml:lang="en">Issuing a building permit</name>', "<name>Issuing a building permit</name>",
     "services[0].name", "needs an xml:lang attribute"),
    ('<name xml:lang="en">Issuing a building permit</name>', '<name xml:lang="lv">Cits</name>',
     "services[0].name", "two texts in language 'lv'"),
    ("<holder>org-jelgava-buvvalde</holder>", "<holder><id>x</id></holder>", "services[0].holders[0]", "holds text, not elements"),
    ("<holder>org-jelgava-buvvalde</holder>", "<holder>org-nav</holder>", "services[0].holders[0]", "org-nav"),
])
def test_broken_documents_name_path_and_line(old, new, path, message):
    broken = replace_once(example_xml(), old, new)
    with pytest.raises(ModelError) as caught:
        loads(broken, "xml")
    [problem] = [p for p in caught.value.problems if p.path == path]
    assert message in problem.message
    assert problem.line == broken[:broken.index(new)].count("\n") + 1


@pytest.mark.parametrize(("old", "new"), [
    ("<importance>2</importance>", "<importance>9</importance>"),
    ("<kind>municipality</kind>", "<kind>municipality</kind><colour>red</colour>"),
    ("<processingTime>P30D</processingTime>", "<processingTime>P</processingTime>"),
    ("<processingTime>P30D</processingTime>", "<processingTime>P1DT</processingTime>"),
    ("<processingTime>P30D</processingTime>", "<processingTime>30 days</processingTime>"),
    ("<territory>0009000</territory>", "<territory>9000</territory>"),
    ("<id>org-jelgava</id>", "<id>-org-jelgava</id>"),
    ("<holder>org-jelgava-buvvalde</holder>", "<holder>org-nav</holder>"),
    ("<publisher>org-vdaa</publisher>", ""),
    ('<name xml:lang="en">Issuing a building permit</name>', "<name>Issuing a building permit</name>"),
    ("<percent>95.0</percent>", "<percent>101</percent>"),
    ("<opens>08:00:00</opens>", "<opens>eight</opens>"),
])
def test_both_engines_and_the_model_reject_the_same_documents(old, new):
    broken = replace_once(example_xml(), old, new).encode()
    verdicts = {engine: schema_problems(broken, engine) for engine in ENGINES}
    assert all(verdicts.values()), verdicts
    with pytest.raises((ModelError, FormatError)):
        loads(broken, "xml")
    assert all(p.line for problems in verdicts.values() for p in problems)


def test_engines_report_the_same_path_for_a_bad_value():
    broken = replace_once(example_xml(), "<importance>2</importance>", "<importance>9</importance>").encode()
    [by_lxml], [by_xmlschema] = (schema_problems(broken, engine) for engine in ENGINES)
    assert by_lxml.path == by_xmlschema.path == "services[0].importance"
    assert by_lxml.line == by_xmlschema.line


def test_wrong_root_or_namespace():
    with pytest.raises(FormatError, match="root element is <catalog>"):
        loads('<catalog xmlns="https://w3id.org/pps-lv/xml/1"/>', "xml")
    with pytest.raises(FormatError, match="namespace urn:other"):
        loads('<catalogue xmlns="urn:other"/>', "xml")


def test_validate_file_reports_schema_problems_first(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text(replace_once(example_xml(), "<importance>2</importance>", "<importance>9</importance>"), encoding="utf-8")
    report = validate_file(path)
    assert [(f.source, f.path) for f in report.errors] == [("schema", "services[0].importance")]
    assert report.errors[0].line == path.read_text(encoding="utf-8").splitlines().index("    <importance>9</importance>") + 1


# -- hostile documents ------------------------------------------------------------------

def hostile(doctype: str, body: str = "&x;") -> bytes:
    return f'<?xml version="1.0"?>\n{doctype}\n<catalogue xmlns="https://w3id.org/pps-lv/xml/1"><id>{body}</id></catalogue>'.encode()


BILLION_LAUGHS = hostile('<!DOCTYPE catalogue [<!ENTITY x0 "ha">' + "".join(
    f'<!ENTITY x{i} "{f"&x{i - 1};" * 10}">' for i in range(1, 10)) + ']>', "&x9;")


def test_external_file_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    document = hostile(f'<!DOCTYPE catalogue [<!ENTITY x SYSTEM "{secret.as_uri()}">]>')
    with pytest.raises(FormatError, match="refused") as caught:
        loads(document, "xml")
    assert "top secret" not in str(caught.value)


def test_entity_expansion_bomb_is_refused():
    with pytest.raises(FormatError, match="refused"):
        loads(BILLION_LAUGHS, "xml")


@pytest.mark.parametrize("kind", ["entity", "dtd", "parameter"])
def test_nothing_is_fetched_over_the_network(loopback_server, kind):
    url, requests = loopback_server
    doctype = {
        "entity": f'<!DOCTYPE catalogue [<!ENTITY x SYSTEM "{url}/entity">]>',
        "dtd": f'<!DOCTYPE catalogue SYSTEM "{url}/dtd">',
        "parameter": f'<!DOCTYPE catalogue [<!ENTITY % p SYSTEM "{url}/param"> %p;]>',
    }[kind]
    for engine in ENGINES:
        with pytest.raises(FormatError, match="refused"):
            schema_problems(hostile(doctype, "x"), engine)
    with pytest.raises(FormatError, match="refused"):
        loads(hostile(doctype), "xml")
    assert requests == []


def test_oversize_documents_are_refused_before_parsing(tmp_path):
    text = example_xml()
    with pytest.raises(FormatError, match="more than the limit of 1,000"):
        loads(text, "xml", max_bytes=1000)
    path = tmp_path / "big.xml"
    path.write_text(text, encoding="utf-8")
    assert validate_file(path).ok  # under the default limit of 50 MB
    with pytest.raises(FormatError, match="more than the limit"):
        load(path, max_bytes=len(text) // 2)


def test_malformed_and_deeply_nested_documents_fail_cleanly():
    with pytest.raises(FormatError, match="line 1, column .*not well-formed"):
        loads("<catalogue", "xml")
    deep = "<a>" * 100_000 + "</a>" * 100_000
    with pytest.raises(FormatError, match="not well-formed"):
        loads(deep, "xml")
    with pytest.raises(FormatError):
        loads(b"\xff\xfe\x00garbage", "xml")


def test_hostile_files_do_not_crash_validation(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_bytes(BILLION_LAUGHS)
    report = validate_file(path)
    assert report.unreadable and report.errors[0].rule == "PPS-SYNTAX" and "refused" in report.errors[0].message


def test_missing_fields_point_at_their_parent_element():
    text = replace_once(example_xml(), "<publisher>org-vdaa</publisher>", "")
    service_start = text.index("  <service>")
    text = text[:service_start] + replace_once(text[service_start:], "    <kind>administrative</kind>\n", "")
    with pytest.raises(ModelError) as caught:
        loads(text, "xml")
    lines = {p.path: p.line for p in caught.value.problems}
    assert lines["publisher"] == 2  # the <catalogue> start tag
    assert lines["services[0].kind"] == text.splitlines().index("  <service>") + 1
