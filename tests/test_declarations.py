"""A field is declared once, and everything about it follows from that one declaration."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pps_sdk
from pps_sdk.model import MODELS
from pps_sdk.model.base import Term, field_terms


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_json_schema_says_only_what_json_schema_has_words_for(model):
    def keys(node):
        if isinstance(node, dict):
            yield from node
            for value in node.values():
                yield from keys(value)
        elif isinstance(node, list):
            for value in node:
                yield from keys(value)

    found = set(keys(model.model_json_schema()))
    assert not found & {"lv", "rdf", "ref", "local_ref", "lv_doc", "codec"}, json.dumps(model.model_json_schema())[:300]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_carries_its_term_in_its_metadata(model):
    for name, info in model.model_fields.items():
        declared = [item for item in info.metadata if isinstance(item, Term)]
        assert len(declared) == 1 and declared[0] == field_terms(model)[name], f"{model.__name__}.{name}"


# The one edit: an optional scalar field at the end of Channel, in a copy of the package.
NEW_FIELD = ('    online_booking_url: Url | None = term("pps:onlineBookingUrl", "pieraksts tiešsaistē", '
             '"Where to book a visit online.", default=None, lv_doc="Kur pieteikt apmeklējumu tiešsaistē.")\n')

EVERY_FORMAT_SEES_IT = r'''
import json, sys
from pathlib import Path
from hypothesis import find
from lxml import etree
from rdflib import URIRef
import pps_sdk
from pps_sdk import dump, loads
from pps_sdk.examples import example_catalogue
from pps_sdk.formats.rdf import canonical, from_graph, to_graph
from pps_sdk.formats.rdf.schemas import pps_shapes, vocabulary
from pps_sdk.formats.semic_xml import lost_fields
from pps_sdk.formats.xml_schema import schema_problems
from pps_sdk.formats.xsd import generate_xsd
from pps_sdk.model import Catalogue, Channel
from pps_sdk.testing import strategies as pst

# The committed schemas are regenerated, as they would be after the edit.
(Path(pps_sdk.__file__).parent / "schemas" / "pps-1.0.xsd").write_text(generate_xsd(), encoding="utf-8")
link = "https://booking.example.lv/visit"
data = example_catalogue().model_dump(mode="json")
data["channels"][0]["online_booking_url"] = link
catalogue = Catalogue.model_validate(data)
assert catalogue.channels[0].online_booking_url == link

schema = Channel.model_json_schema()["properties"]["online_booking_url"]
assert schema["description"] == "Where to book a visit online." and not {"lv", "rdf", "lv_doc"} & set(schema), schema
assert loads(dump(catalogue, "json"), "json") == catalogue, "JSON"
xml = dump(catalogue, "xml")
assert f"<onlineBookingUrl>{link}</onlineBookingUrl>" in xml and loads(xml, "xml") == catalogue, "XML"
assert 'name="onlineBookingUrl"' in generate_xsd() and schema_problems(xml.encode()) == [], "XSD"
term = URIRef("https://w3id.org/pps-lv/vocab#onlineBookingUrl")
graph = to_graph(catalogue)
assert (None, term, URIRef(link)) in graph and from_graph(graph) == canonical(catalogue), "RDF"
assert (None, URIRef("http://www.w3.org/ns/shacl#path"), term) in pps_shapes(), "SHACL"
assert "channels[0].online_booking_url" in lost_fields(catalogue), "SEMIC XML loss report"
definitions = {str(o) for o in vocabulary().objects(term, URIRef("http://www.w3.org/2004/02/skos/core#definition"))}
assert "Kur pieteikt apmeklējumu tiešsaistē." in definitions, "vocabulary"
find(pst.channels("ch-a", ["org-a"]), lambda channel: channel.online_booking_url is not None)  # strategies
print("every format sees it")
'''


def test_a_new_optional_field_is_one_line_and_every_format_follows(tmp_path):
    package = tmp_path / "pps_sdk"
    shutil.copytree(Path(pps_sdk.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    channel = package / "model" / "channel.py"
    lines = channel.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("class Channel(PPSModel):\n")
    last = next(i for i in range(start, len(lines)) if lines[i].startswith("    indicators: "))
    channel.write_text("".join([*lines[:last + 1], NEW_FIELD, *lines[last + 1:]]), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", EVERY_FORMAT_SEES_IT], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "every format sees it" in done.stdout
