"""Stable IRIs: made from identifiers and a base IRI, so the same object always gets the same IRI.

    {base}service/{id}                       a service (likewise organisation/, channel/,
                                             legal-resource/, life-event/, business-event/,
                                             unified-service/, indicator/, catalogue/)
    {base}service/{id}/cost/{cost-id}        what belongs to one service (cost/, requirement/,
                                             output/, rule/, evidence/, participation/{organisation})
    {base}catalogue/{id}/measurements        the qb:DataSet of the catalogue's measurements
    {base}code/{value}                       a free type code (evidence, requirement, rule types)
    {vocabulary}ChannelType-phone            a code of ours, defined in schemas/pps-vocabulary.ttl
"""

from __future__ import annotations

from enum import Enum
from urllib.parse import quote, unquote

from rdflib import URIRef

from ...vocab import PPS_VOCABULARY
from .mapping import COLLECTION_SEGMENTS, concept_local_name

DEFAULT_BASE = "https://w3id.org/pps-lv/id/"
"""Base of the IRIs of our data unless the caller gives another (`to_graph(obj, base=…)`)."""


class Iris:
    """Makes the IRIs of one graph from a data `base` and a `vocabulary` namespace."""

    iri = staticmethod(URIRef)

    def __init__(self, base: str = DEFAULT_BASE, vocabulary: str = PPS_VOCABULARY) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base
        self.vocabulary = vocabulary
        self._concepts: dict[tuple[type, str], URIRef] = {}

    def member(self, collection: str, identifier: str) -> URIRef:
        """The IRI of member `identifier` of a catalogue collection (`"organisations"`…)."""
        return self.iri(f"{self.base}{COLLECTION_SEGMENTS[collection]}/{identifier}")

    def catalogue(self, identifier: str) -> URIRef:
        return self.iri(f"{self.base}catalogue/{identifier}")

    @classmethod
    def owned(cls, owner: URIRef, segment: str, key: str) -> URIRef:
        """The IRI of something that belongs to `owner` (a service's cost, rule…)."""
        return cls.iri(f"{owner}/{segment}/{key}")

    def concept(self, enum: type[Enum], value: str | int) -> URIRef:
        """The concept IRI of code `value` of code list `enum`."""
        key = (enum, str(value))
        found = self._concepts.get(key)
        if found is None:
            found = self._concepts[key] = self.iri(self.vocabulary + concept_local_name(enum(value)))
        return found

    def code(self, value: str) -> URIRef:
        """The concept IRI of a free type code that is not an IRI itself."""
        return self.iri(f"{self.base}code/{quote(value, safe='')}")

    def code_value(self, iri: str) -> str | None:
        """The free type code an IRI made by `code` stands for, else None."""
        prefix = f"{self.base}code/"
        return unquote(iri[len(prefix):]) if iri.startswith(prefix) else None


def unchecked_iri(text: str) -> URIRef:
    """An rdflib IRI made without rdflib's check of it (which only logs a warning), for the
    text writers, which check each IRI as they write it."""
    return str.__new__(URIRef, text)


class UncheckedIris(Iris):
    """Iris for the text writers (see `unchecked_iri`)."""

    iri = staticmethod(unchecked_iri)
