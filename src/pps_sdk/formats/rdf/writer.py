"""Models → an rdflib Graph in CPSV-AP 3.2.0 plus our extension vocabulary.

Everything the official shapes check with `sh:class` gets its `rdf:type` in the graph: codes
are typed `skos:Concept`, places `dct:Location`, languages `dct:LinguisticSystem`, pages
`foaf:Document`, and organisations are typed `cv:PublicOrganisation`, `org:Organization`
and `foaf:Agent` with a `dct:identifier` and a `dct:title`, so the data conforms with and
without RDFS inference.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from ...model import Catalogue, DeliveryTask, Measurement, PPSModel, Weekday
from ...model.types import is_link
from ...vocab import NAMESPACES, currency_iri, frequency_iri, language_iri, territory_iri
from .iris import Iris
from .mapping import (CONCEPT, CONCEPT_IRI, CURRENCY, DOCUMENT, EXTRA_TYPES, FREQUENCY, LANGUAGE, LITERAL, NODE, OWNED,
                      OWNED_SEGMENTS, REF, SKIP, TERRITORY, TEXT, TYPE_CODE, WORDS, expand, rdf_fields)

ADMS, CV, CPSV, DCT, DCAT, FOAF, ORG, QB, SKOS, TIME, XSD = (
    Namespace(NAMESPACES[p]) for p in ("adms", "cv", "cpsv", "dct", "dcat", "foaf", "org", "qb", "skos", "time", "xsd"))

WEEKDAYS = {day.value: TIME[day.value.capitalize()] for day in Weekday}
DAILY = URIRef(frequency_iri("daily"))
WEEKLY = URIRef(frequency_iri("weekly"))


def provider_role(vocabulary: str, task: str, office: str) -> URIRef:
    """The role concept of a provider doing `task` in the `office` (`pps:ProviderRole-informing-front`)."""
    return URIRef(f"{vocabulary}ProviderRole-{task}-{office}")


def provider_description(tasks: list[dict[str, str]]) -> dict[str, str]:
    """What a participation says when the provider entry has no description of its own
    (CPSV-AP requires one): the tasks, in Latvian and English."""
    names = sorted((DeliveryTask(t["task"]) for t in tasks), key=list(DeliveryTask).index)
    return {"lv": "Sniedz pakalpojumu turētāja vārdā: " + ", ".join(task.lv for task in names) + ".",
            "en": "Delivers for the holder: " + ", ".join(task.value.replace("_", " ") for task in names) + "."}


class GraphWriter:
    """Adds models to a graph. One writer per graph: it remembers which nodes it has typed."""

    def __init__(self, graph: Graph, iris: Iris) -> None:
        self.graph = graph
        self.iris = iris
        self.add = graph.add
        self.typed: set[tuple[URIRef, URIRef]] = set()
        self.vocabulary = Namespace(iris.vocabulary)

    # -- the catalogue and its members ---------------------------------------------------

    def catalogue(self, catalogue: Catalogue) -> URIRef:
        data = catalogue.model_dump(mode="json", exclude_none=True)
        subject = self.iris.catalogue(catalogue.id)
        self.fields(subject, Catalogue, data, None)
        for collection in ("organisations", "channels", "legal_resources", "life_events", "business_events",
                           "unified_services", "services"):
            model = type(getattr(catalogue, collection)[0]) if getattr(catalogue, collection) else None
            for item in data.get(collection, []):
                node = self.iris.member(collection, item["id"])
                self.fields(node, model, item, node if collection == "services" else None)
                if collection == "services":
                    self.add((subject, DCT.hasPart, node))
                    self.add((node, DCT.isPartOf, subject))
        if data.get("measurements"):
            self.measurements(subject, catalogue, data["measurements"])
        return subject

    def measurements(self, catalogue: URIRef, model: Catalogue, measurements: list[dict[str, Any]]) -> None:
        """Measurements as observations of one qb:DataSet, each keyed by its dimensions."""
        dataset = URIRef(f"{catalogue}/measurements")
        self.add((dataset, RDF.type, QB.DataSet))
        self.add((dataset, QB.structure, self.vocabulary.MeasurementStructure))
        self.add((catalogue, self.vocabulary.measurements, dataset))
        units = {ind.id: ind.unit for ind in model._indicators().values()}
        for item in measurements:
            key = "/".join((item["indicator"], item["start"], item["end"], item.get("channel", "-"), item.get("segment", "-")))
            node = URIRef(f"{catalogue}/observation/{key}")
            self.add((node, QB.dataSet, dataset))
            self.fields(node, Measurement, item, None)
            if item["indicator"] in units:
                self.add((node, self.vocabulary.unit, Literal(units[item["indicator"]])))

    # -- one model on one node -----------------------------------------------------------

    def fields(self, subject: URIRef | BNode, model: type[PPSModel], data: dict[str, Any], service: URIRef | None) -> None:
        """Write `data` (a model dumped in JSON mode) as the description of `subject`."""
        add = self.add
        add((subject, RDF.type, expand(model.rdf_class, self.iris.vocabulary)))
        for extra in EXTRA_TYPES.get(model.__name__, ()):
            add((subject, RDF.type, expand(extra)))
        for field in rdf_fields(model, self.iris.vocabulary):
            value = data.get(field.name)
            if value is None or field.codec == SKIP:
                continue
            predicate = field.predicate
            for item in value if field.many else (value,):
                for obj in self.values(field, item, subject, service):
                    add((subject, predicate, obj))
        special = _SPECIAL.get(model.__name__)
        if special:
            special(self, subject, data, service)

    def values(self, field: Any, item: Any, subject: Any, service: URIRef | None) -> list[Any]:
        codec = field.codec
        if codec == TEXT:
            return [Literal(text, lang=lang) for lang, text in item.items()]
        if codec == WORDS:
            return [Literal(word, lang=lang) for lang, words in item.items() for word in words]
        if codec == LITERAL:
            return [literal(item, field.datatype)]
        if codec == REF:
            if field.collection == "rules":
                return [Iris.owned(service, "rule", item)]
            return [self.iris.member(field.collection, item)]
        if codec == CONCEPT:
            return [self.typed_node(self.iris.concept(field.target, item), SKOS.Concept)]
        if codec == NODE:
            node = BNode()
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
            node = Iris.owned(service, segment, item.get("id") or item.get("organisation"))
        self.fields(node, field.target, item, service)
        return node

    def type_code(self, value: str) -> URIRef:
        """A free type code as a concept: the code itself when it is an IRI, else one of ours
        that carries the code as its skos:notation."""
        if is_link(value):
            return URIRef(value)
        node = self.iris.code(value)
        if (node, SKOS.Concept) not in self.typed:
            self.add((node, SKOS.notation, Literal(value)))
        return node

    def typed_node(self, node: URIRef, rdf_type: URIRef) -> URIRef:
        if (node, rdf_type) not in self.typed:  # one link may be a page here and a concept there
            self.typed.add((node, rdf_type))
            self.add((node, RDF.type, rdf_type))
        return node

    # -- what the generic rule does not cover ------------------------------------------------

    def service_extras(self, subject: URIRef, data: dict[str, Any], service: URIRef | None) -> None:
        if "source_id" in data:
            identifier = BNode()
            self.add((subject, ADMS.identifier, identifier))
            self.add((identifier, RDF.type, ADMS.Identifier))
            self.add((identifier, SKOS.notation, Literal(data["source_id"])))
        # The service's inputs are the evidence of its requirements (cpsv:hasInput).
        for requirement in data.get("requirements", []):
            for evidence in requirement.get("evidence", []):
                self.add((subject, CPSV.hasInput, Iris.owned(subject, "evidence", evidence["id"])))

    def organisation_extras(self, subject: URIRef, data: dict[str, Any], service: URIRef | None) -> None:
        for lang, text in data["name"].items():
            self.add((subject, DCT.title, Literal(text, lang=lang)))

    def provider_extras(self, subject: URIRef, data: dict[str, Any], service: URIRef | None) -> None:
        self.add((subject, DCT.identifier, Literal(f"{data['organisation']}")))
        for task in data["tasks"]:
            office = task.get("office") or DeliveryTask(task["task"]).usual_office.value
            self.add((subject, CV.role, self.typed_node(provider_role(self.iris.vocabulary, task["task"], office), SKOS.Concept)))
        if "description" not in data:
            for lang, text in provider_description(data["tasks"]).items():
                self.add((subject, DCT.description, Literal(text, lang=lang)))

    def opening_hours_extras(self, subject: BNode, data: dict[str, Any], service: URIRef | None) -> None:
        days = [WEEKDAYS[day] for day in data["days"]]
        self.add((subject, TIME.hasBeginning, self.instant(clock=time.fromisoformat(data["opens"]), days=days)))
        self.add((subject, TIME.hasEnd, self.instant(clock=time.fromisoformat(data["closes"]), days=days)))
        frequency = DAILY if len(days) == 7 else WEEKLY
        self.add((subject, CV.frequency, self.typed_node(frequency, SKOS.Concept)))

    def special_hours_extras(self, subject: BNode, data: dict[str, Any], service: URIRef | None) -> None:
        self.add((subject, TIME.hasBeginning, self.instant(day=data["start"])))
        self.add((subject, TIME.hasEnd, self.instant(day=data["end"])))

    def instant(self, clock: time | None = None, days: list[URIRef] = (), day: str | None = None) -> BNode:  # type: ignore[assignment]
        """An OWL-Time instant as in the official example: a clock time (on some weekdays), or a date."""
        add = self.add
        node = BNode()
        add((node, RDF.type, TIME.Instant))
        if day is not None:
            add((node, TIME.inXSDDate, literal(day, XSD.date)))
            return node
        description = BNode()
        add((node, TIME.inDateTime, description))
        add((description, RDF.type, TIME.DateTimeDescription))
        add((description, TIME.unitType, TIME.unitMinute if not (clock.second or clock.microsecond) else TIME.unitSecond))
        add((description, TIME.hour, Literal(str(clock.hour), datatype=XSD.nonNegativeInteger, normalize=False)))
        add((description, TIME.minute, Literal(str(clock.minute), datatype=XSD.nonNegativeInteger, normalize=False)))
        if clock.second or clock.microsecond:
            seconds = f"{clock.second}.{clock.microsecond:06d}".rstrip("0").rstrip(".")
            add((description, TIME.second, Literal(seconds, datatype=XSD.decimal, normalize=False)))
        for weekday in days:
            add((description, TIME.dayOfWeek, weekday))
        return node


def literal(value: Any, datatype: URIRef | None) -> Literal:
    """A literal with exactly the lexical form we mean (rdflib would otherwise rewrite some)."""
    if datatype is None or datatype == XSD.string:
        return Literal(value)
    text = repr(float(value)) if datatype == XSD.double else str(value)
    return Literal(text, datatype=datatype, normalize=False)


_IRI_VALUES = {
    DOCUMENT: lambda w, v: (URIRef(v), FOAF.Document),
    CONCEPT_IRI: lambda w, v: (URIRef(v), SKOS.Concept),
    LANGUAGE: lambda w, v: (URIRef(language_iri(v)), DCT.LinguisticSystem),
    TERRITORY: lambda w, v: (URIRef(territory_iri(v)), DCT.Location),
    CURRENCY: lambda w, v: (URIRef(currency_iri(v)), SKOS.Concept),
    FREQUENCY: lambda w, v: (URIRef(frequency_iri(v)), SKOS.Concept),
    TYPE_CODE: lambda w, v: (w.type_code(v), SKOS.Concept),
}

_SPECIAL = {
    "PublicService": GraphWriter.service_extras,
    "Organisation": GraphWriter.organisation_extras,
    "Provider": GraphWriter.provider_extras,
    "OpeningHours": GraphWriter.opening_hours_extras,
    "SpecialHours": GraphWriter.special_hours_extras,
}
