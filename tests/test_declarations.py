"""A field is declared once, and everything about it follows from that one declaration."""

from __future__ import annotations

import json

import pytest

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
