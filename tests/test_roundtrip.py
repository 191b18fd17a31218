"""Property test: generated catalogues survive every format's round trip unchanged.

One test for all formats, so the catalogues are generated once (as many as the hypothesis
profile says: `quick` by default, `thorough` in CI). RDF graphs have no order, so RDF gives
back the catalogue with its lists in canonical order.
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given

from pps_sdk import dump, loads
from pps_sdk.formats.rdf import canonical
from pps_sdk.formats.xml_schema import schema_problems
from pps_sdk.testing.strategies import catalogues

RDF_SYNTAXES = ("ttl", "nt", "jsonld", "rdfxml")


@pytest.mark.thorough
@given(catalogues())
def test_generated_catalogues_round_trip_in_every_format(catalogue):
    assert loads(dump(catalogue, "json"), "json") == catalogue
    xml = dump(catalogue, "xml").encode("utf-8")
    assert schema_problems(xml) == []
    assert loads(xml, "xml") == catalogue
    ordered = canonical(catalogue)
    for syntax in RDF_SYNTAXES:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # our own RDF needs no repairs and leaves nothing over
            assert loads(dump(catalogue, syntax), syntax) == ordered, syntax
