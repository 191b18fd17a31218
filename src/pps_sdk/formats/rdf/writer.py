"""Models → an rdflib Graph in CPSV-AP 3.2.0 plus our extension vocabulary.

Everything the official shapes check with `sh:class` gets its `rdf:type` in the graph: codes
are typed `skos:Concept`, places `dct:Location`, languages `dct:LinguisticSystem`, pages
`foaf:Document`, and organisations are typed `cv:PublicOrganisation`, `org:Organization`
and `foaf:Agent` with a `dct:identifier` and a `dct:title`, so the data conforms with and
without RDFS inference.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from ...errors import FormatError
from ...model import Catalogue, Measurement, PPSModel, PublicService
from ...model.catalogue import SHARED
from ...model.codecs import OwlTimeHours, provider_role as provider_role_text
from ...model.types import is_link
from ...vocab import NAMESPACES, currency_iri, frequency_iri, language_iri, territory_iri
from .iris import Iris
from .mapping import (CONCEPT, CONCEPT_IRI, CURRENCY, DOCUMENT, EXTRA_TYPES, FREQUENCY, LANGUAGE, LITERAL, NODE, OWNED,
                      OWNED_SEGMENTS, RDF, REF, SKIP, TERRITORY, TEXT, TYPE_CODE, WORDS, Terms, codecs_of, expand,
                      rdf_fields, term_in)

ADMS, CV, CPSV, DCT, DCAT, FOAF, ORG, QB, SKOS, TIME, XSD = (
    Terms(NAMESPACES[p]) for p in ("adms", "cv", "cpsv", "dct", "dcat", "foaf", "org", "qb", "skos", "time", "xsd"))


def provider_role(vocabulary: str, task: str, office: str) -> URIRef:
    """The role concept of a provider doing `task` in the `office` (`pps:ProviderRole-informing-front`)."""
    return URIRef(provider_role_text(vocabulary, task, office))


class RdflibTerms:
    """Literals and blank nodes as rdflib's terms, for an rdflib Graph."""

    @staticmethod
    def text(value: str, lang: str | None = None) -> Literal:
        return Literal(value, lang=lang)

    @staticmethod
    def typed(text: str, datatype: URIRef) -> Literal:
        return Literal(text, datatype=datatype, normalize=False)

    blank = BNode


class GraphWriter:
    """Adds models to a graph (anything with `add(triple)`). One writer per graph: it remembers
    which nodes it has typed. `terms` makes the literals and blank nodes: rdflib's by default;
    the fast writers (`fast_write`) pass lighter ones. `member_done`, if set, is called after
    each member of a catalogue is written, so a writer can stream."""

    def __init__(self, graph: Any, iris: Iris, terms: Any = RdflibTerms) -> None:
        self.graph = graph
        self.iris = iris
        self.add = graph.add
        self.terms = terms
        self.typed: set[tuple[URIRef, URIRef]] = set()
        self.vocabulary = Terms(iris.vocabulary)
        self.measurement_terms = (self.vocabulary.MeasurementStructure, self.vocabulary.measurements, self.vocabulary.unit)
        self.member_done: Any = None

    # -- the catalogue and its members ---------------------------------------------------

    def catalogue(self, catalogue: Catalogue) -> URIRef:
        # Member by member: only one member's plain data is held at a time.
        data = catalogue.model_dump(mode="json", exclude_none=True, exclude={*SHARED, "measurements"})
        subject = self.iris.catalogue(catalogue.id)
        self.fields(subject, Catalogue, data, None)
        for collection in SHARED:
            members = getattr(catalogue, collection)
            model = type(members[0]) if members else None
            for member in members:
                item = member.model_dump(mode="json", exclude_none=True)
                node = self.iris.member(collection, item["id"])
                self.fields(node, model, item, node if collection == "services" else None)
                if collection == "services":
                    self.add((subject, HAS_PART, node))
                    self.add((node, IS_PART_OF, subject))
                if self.member_done is not None:
                    self.member_done()
        if catalogue.measurements:
            self.measurements(subject, catalogue, [m.model_dump(mode="json", exclude_none=True) for m in catalogue.measurements])
        return subject

    def measurements(self, catalogue: URIRef, model: Catalogue, measurements: list[dict[str, Any]]) -> None:
        """Measurements as observations of one qb:DataSet, each keyed by its dimensions."""
        structure, measurements_term, unit = self.measurement_terms
        dataset = self.iris.iri(f"{catalogue}/measurements")
        self.add((dataset, RDF.type, QB.DataSet))
        self.add((dataset, QB.structure, structure))
        self.add((catalogue, measurements_term, dataset))
        units = {ind.id: ind.unit for ind in model._indicators().values()}
        for item in measurements:
            key = "/".join((item["indicator"], item["start"], item["end"], item.get("channel", "-"), item.get("segment", "-")))
            node = self.iris.iri(f"{catalogue}/observation/{key}")
            self.add((node, QB.dataSet, dataset))
            self.fields(node, Measurement, item, None)
            if item["indicator"] in units:
                self.add((node, unit, self.terms.text(units[item["indicator"]])))

    # -- one model on one node -----------------------------------------------------------

    def fields(self, subject: URIRef | BNode, model: type[PPSModel], data: dict[str, Any], service: URIRef | None) -> None:
        """Write `data` (a model dumped in JSON mode) as the description of `subject`."""
        add, text = self.add, self.terms.text
        for rdf_type in _classes(model, self.iris.vocabulary):
            add((subject, TYPE, rdf_type))
        for field in rdf_fields(model, self.iris.vocabulary):
            value = data.get(field.name)
            if value is None or field.codec == SKIP:
                continue
            predicate = field.predicate
            if field.codec == TEXT and not field.many:  # the most common: texts by language
                for lang, words in value.items():
                    add((subject, predicate, text(words, lang)))
                continue
            for item in value if field.many else (value,):
                for obj in self.values(field, item, subject, service):
                    add((subject, predicate, obj))
        for codec in codecs_of(model):
            codec.write(self, subject, data, service)

    def values(self, field: Any, item: Any, subject: Any, service: URIRef | None) -> list[Any]:
        codec = field.codec
        text = self.terms.text
        if codec == TEXT:
            return [text(value, lang) for lang, value in item.items()]
        if codec == WORDS:
            return [text(word, lang) for lang, words in item.items() for word in words]
        if codec == LITERAL:
            return [literal(item, field.datatype, self.terms)]
        if codec == REF:
            if field.collection == "rules":
                return [self.iris.owned(service, "rule", item)]
            return [self.iris.member(field.collection, item)]
        if codec == CONCEPT:
            return [self.typed_node(self.iris.concept(field.target, item), CONCEPT_CLASS)]
        if codec == NODE:
            node = self.terms.blank()
            self.fields(node, field.target, item, service)
            return [node]
        if codec == OWNED:
            return [self.owned(field, item, subject, service)]
        return [self.typed_node(*_IRI_VALUES[codec](self, item))]

    def owned(self, field: Any, item: dict[str, Any], owner: Any, service: URIRef | None) -> URIRef:
        segment = OWNED_SEGMENTS[field.name]
        if segment == "indicator":
            node = self.iris.member("indicators", item["id"])
        else:
            node = self.iris.owned(service, segment, item.get("id") or item.get("organisation"))
        self.fields(node, field.target, item, service)
        return node

    def type_code(self, value: str) -> URIRef:
        """A free type code as a concept: the code itself when it is an IRI, else one of ours
        that carries the code as its skos:notation."""
        if is_link(value):
            return self.iris.iri(value)
        node = self.iris.code(value)
        if (node, CONCEPT_CLASS) not in self.typed:
            self.add((node, NOTATION, self.terms.text(value)))
        return node

    def typed_node(self, node: URIRef, rdf_type: URIRef) -> URIRef:
        if (node, rdf_type) not in self.typed:  # one link may be a page here and a concept there
            self.typed.add((node, rdf_type))
            self.add((node, TYPE, rdf_type))
        return node

    # -- what codecs write with (see `model.codecs`) ---------------------------------------

    def term(self, curie: str) -> URIRef:
        """The IRI of `curie`, `pps:` in this writer's vocabulary."""
        return term_in(curie, self.iris.vocabulary)

    def text(self, value: str, lang: str | None = None) -> Any:
        return self.terms.text(value, lang)

    def typed_literal(self, text: str, datatype: str) -> Any:
        return self.terms.typed(text, term_in(datatype, self.iris.vocabulary))

    def blank(self) -> Any:
        return self.terms.blank()

    def iri(self, text: str) -> URIRef:
        return self.iris.iri(text)

    def frequency(self, code: str) -> URIRef:
        return _code_iri(frequency_iri, code)

    def owned_node(self, owner: Any, segment: str, identifier: str) -> URIRef:
        return self.iris.owned(owner, segment, identifier)

    def instant(self, clock: Any, days: list[URIRef]) -> Any:
        """An OWL-Time instant as in the official example: a clock time on some weekdays."""
        return OwlTimeHours.instant(self, clock, days)


def write_model(writer: GraphWriter, obj: PPSModel) -> None:
    """Add `obj` (a Catalogue or a PublicService) through `writer`. A lone service's
    organisations and channels appear only as IRIs."""
    if isinstance(obj, Catalogue):
        writer.catalogue(obj)
    elif isinstance(obj, PublicService):
        node = writer.iris.member("services", obj.id)
        writer.fields(node, PublicService, obj.model_dump(mode="json", exclude_none=True), node)
    else:
        raise FormatError(f"RDF is written from a Catalogue or a PublicService, not a {type(obj).__name__}")


def literal(value: Any, datatype: URIRef | None, terms: Any = RdflibTerms) -> Any:
    """A literal with exactly the lexical form we mean (rdflib would otherwise rewrite some)."""
    if datatype is None or str.__eq__(datatype, _STRING):
        return terms.text(value) if isinstance(value, str) else Literal(value)
    text = repr(float(value)) if str.__eq__(datatype, _DOUBLE) else str(value)
    return terms.typed(text, datatype)


@cache
def _classes(model: type[PPSModel], vocabulary: str) -> tuple[URIRef, ...]:
    """The rdf:type IRIs written for an instance of `model`."""
    return (expand(model.rdf_class, vocabulary), *(expand(extra) for extra in EXTRA_TYPES.get(model.__name__, ())))


# Terms used for every member, made once (an rdflib Namespace makes a new IRI on each look-up).
TYPE, NOTATION, CONCEPT_CLASS = RDF.type, SKOS.notation, SKOS.Concept
HAS_PART, IS_PART_OF = DCT.hasPart, DCT.isPartOf
_STRING, _DOUBLE = XSD.string, XSD.double
_DOCUMENT, _LINGUISTIC_SYSTEM, _LOCATION = FOAF.Document, DCT.LinguisticSystem, DCT.Location


_IRI_VALUES = {
    DOCUMENT: lambda w, v: (w.iris.iri(v), _DOCUMENT),
    CONCEPT_IRI: lambda w, v: (w.iris.iri(v), CONCEPT_CLASS),
    LANGUAGE: lambda w, v: (_code_iri(language_iri, v), _LINGUISTIC_SYSTEM),
    TERRITORY: lambda w, v: (_code_iri(territory_iri, v), _LOCATION),
    CURRENCY: lambda w, v: (_code_iri(currency_iri, v), CONCEPT_CLASS),
    FREQUENCY: lambda w, v: (_code_iri(frequency_iri, v), CONCEPT_CLASS),
    TYPE_CODE: lambda w, v: (w.type_code(v), CONCEPT_CLASS),
}


@cache
def _code_iri(make: Any, value: str) -> URIRef:
    """The IRI of a code (a language, a place, a currency): few, and met again and again."""
    return URIRef(make(value))
