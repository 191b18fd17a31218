"""An rdflib Graph in CPSV-AP 3.2.0 (ours or anyone's) → models.

The reader walks the graph from the dataset and its services, field by field, taking the
triples each field stands for. Whatever it cannot place in a model is not dropped: it comes
back in `ReadResult.leftovers` (and `from_graph` warns about it). What our models require
and other publishers' data may lack (an organisation's identifier, a service's kind, a
catalogue around the services) is filled in, and every such repair is listed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field as dataclass_field
from datetime import time
from functools import cache
from typing import Any

from rdflib import Graph, Literal, URIRef

from ...errors import FormatError
from ...model import (Catalogue, ChannelType, DeliveryTask, Measurement, Office, PPSModel, PublicService, ServiceKind,
                      Weekday)
from ...model.catalogue import SHARED
from ...vocab import ATVK, EU_AUTHORITY, FREQUENCIES, LANGUAGES, LATVIA_IRIS
from .iris import Iris
from .mapping import (CONCEPT, CONCEPT_IRI, CURRENCY, DOCUMENT, EXTRA_TYPES, FREQUENCY, LANGUAGE, LITERAL, NODE, OWNED, RDF,
                      REF, SKIP, TERRITORY, TEXT, TYPE_CODE, WORDS, Terms, expand, rdf_fields)
from .order import canonical_data
from .writer import ADMS, CPSV, CV, DCAT, DCT, FOAF, ORG, QB, SKOS, TIME, provider_description

_LANGUAGE_CODES = {f"{EU_AUTHORITY}language/{eu}": iso for iso, eu in LANGUAGES.items()}
_FREQUENCY_CODES = {f"{EU_AUTHORITY}frequency/{eu}": ours for ours, eu in FREQUENCIES.items()}
_CURRENCY = f"{EU_AUTHORITY}currency/"
_WEEKDAYS = {TIME[day.value.capitalize()]: day.value for day in Weekday}
_ID_CHARS = re.compile(r"[^A-Za-z0-9._~-]+")
# The ADMS status vocabulary (CPSV-AP 2.2.1's recommendation) → our service status.
_ADMS_STATUSES = {"http://purl.org/adms/status/Completed": "active", "http://purl.org/adms/status/UnderDevelopment": "planned",
                  "http://purl.org/adms/status/Deprecated": "discontinued", "http://purl.org/adms/status/Withdrawn": "discontinued"}
_TYPE = RDF.type
_VALUE_PREDICATES = {RDF.type, SKOS.notation, SKOS.prefLabel, SKOS.inScheme}
ROV = Terms("http://www.w3.org/ns/regorg#")
# What other vocabularies name an organisation by, in the order they are taken when it has no skos:prefLabel.
_OTHER_NAMES = (DCT.title, FOAF.name, ROV.legalName)

# The classes whose instances make up each collection of the catalogue.
COLLECTION_CLASSES = {
    "organisations": (CV.PublicOrganisation, ORG.Organization, FOAF.Agent, ROV.RegisteredOrganization),
    "channels": (CV.Channel,),
    "legal_resources": (URIRef("http://data.europa.eu/eli/ontology#LegalResource"),),
    "life_events": (CV.LifeEvent,),
    "business_events": (CV.BusinessEvent,),
    "services": (CPSV.PublicService,),
}


@dataclass
class ReadResult:
    """What reading a graph gave: the model, the repairs made, and the triples left over."""

    model: PPSModel
    repairs: list[str] = dataclass_field(default_factory=list)
    leftovers: Graph = dataclass_field(default_factory=Graph)


class GraphReader:
    def __init__(self, graph: Graph, iris: Iris, untagged: str | None = "lv") -> None:
        self.graph = graph
        self.untagged = untagged  # the language of text without a tag; None: such text is not read
        self.iris = iris
        self.vocabulary = iris.vocabulary
        self.repairs: list[str] = []
        self.leftovers = Graph()
        self.ids: dict[Any, str] = {}  # node → identifier
        self.taken: dict[str, set[str]] = defaultdict(set)  # identifiers in use per collection
        self.members: dict[str, dict[Any, None]] = {name: {} for name in SHARED}  # nodes per collection
        self.read_nodes: dict[Any, dict[str, Any]] = {}
        self.concepts: dict[tuple[Any, Any], Any] = {}  # (code list, IRI) → code, or _NO
        self.value_nodes: set[Any] = set()
        self.open_nodes: set[Any] = set()  # nodes being read, to find cycles
        self.unified_class = expand("pps:UnifiedService", self.vocabulary)

    # -- the catalogue --------------------------------------------------------------------

    def catalogue(self, chosen: str | None = None) -> dict[str, Any]:
        graph = self.graph
        dataset = self.dataset(chosen)
        if chosen is None:  # the only dataset: everything in the graph belongs to it
            for collection, classes in COLLECTION_CLASSES.items():
                for cls in classes:
                    for node in graph.subjects(RDF.type, cls):
                        self.identify(node, collection)
            for node in graph.subjects(RDF.type, self.unified_class):
                self.identify(node, "unified_services")
        else:  # one of several: its services, and what they refer to
            for node in {*graph.objects(dataset, DCT.hasPart), *graph.subjects(DCT.isPartOf, dataset)}:
                self.identify(node, "services")
        data: dict[str, Any] = self.read(dataset, Catalogue, None) if dataset is not None else {}
        measurements = [m for cube in data.pop("cubes", []) for m in self.measurement_set(cube)]
        done: set[Any] = set()
        while True:  # reading members finds more members (a channel's owner, a related act…)
            pending = [(c, n) for c, nodes in self.members.items() for n in nodes if (c, n) not in done]
            if not pending:
                break
            for collection, node in pending:
                done.add((collection, node))
                service = node if collection == "services" else None
                item = self.read(node, _MODELS[collection], service)
                item["id"] = self.identify(node, collection)
                data.setdefault(collection, []).append(item)
        data["measurements"] = measurements
        if dataset is None:
            self.invent_catalogue(data)
        else:
            self.complete_catalogue(dataset, data)
        return canonical_data(Catalogue, data)

    def dataset(self, chosen: str | None) -> Any:
        datasets = sorted(set(self.graph.subjects(RDF.type, DCAT.Dataset)), key=str)
        if chosen is not None:
            if URIRef(chosen) not in datasets:
                raise FormatError(f"no dcat:Dataset <{chosen}> in the graph")
            return URIRef(chosen)
        if len(datasets) > 1:
            raise FormatError(f"the graph holds {len(datasets)} datasets ({', '.join(f'<{d}>' for d in datasets[:5])}); "
                              "choose one with --catalogue IRI (catalogue= in Python)")
        return datasets[0] if datasets else None

    def invent_catalogue(self, data: dict[str, Any]) -> None:
        data.update(id="imported", title={"lv": "Importēts katalogs", "en": "Imported catalogue"},
                    description={"lv": "Pakalpojumi, kas nolasīti no RDF datiem.", "en": "Services read from RDF data."})
        self.repair("the graph has no dcat:Dataset: the services were put in a catalogue 'imported'")
        self.pick_publisher(data)

    def complete_catalogue(self, dataset: Any, data: dict[str, Any]) -> None:
        """Fill what 3.2.0 requires of a dataset and older data may lack."""
        if "publisher" not in data:
            self.pick_publisher(data)
        if "id" not in data:
            data["id"] = self.unique("catalogues", _local_name(dataset) or "catalogue")
            self.repair(f"dataset <{dataset}> has no dct:identifier: identified as {data['id']!r}")
        if "title" not in data:
            data["title"] = {"lv": data["id"]}
            self.repair(f"dataset <{dataset}> has no title: titled by its identifier")
        if "description" not in data:
            data["description"] = dict(data["title"])
            self.repair(f"dataset <{dataset}> has no description (3.2.0 requires one): described by its title")

    def pick_publisher(self, data: dict[str, Any]) -> None:
        holders = sorted({h for s in data.get("services", []) for h in s.get("holders", [])})
        organisations = sorted(o["id"] for o in data.get("organisations", []))
        publisher = (holders or organisations or [None])[0]
        if publisher is not None:
            data["publisher"] = publisher
            self.repair(f"the catalogue names no publisher: took organisation {publisher!r}")

    def measurement_set(self, cube: Any) -> list[dict[str, Any]]:
        """The observations of one qb:DataSet (their unit repeats the indicator's)."""
        self.leftover_node_except(cube, {RDF.type, QB.structure})
        skip = {QB.dataSet, expand("pps:unit", self.vocabulary)}
        return [self.read(node, Measurement, None, skip=skip) for node in self.graph.subjects(QB.dataSet, cube)]

    # -- one node -------------------------------------------------------------------------

    def read(self, node: Any, model: type[PPSModel], service: Any, skip: set[Any] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
        """The plain data of `model` described by `node` (read once; later calls share it)."""
        if node in self.read_nodes:
            if node in self.open_nodes:  # reached again while it is being read: the data would hold itself
                raise FormatError(f"<{node}> contains itself (through {model.rdf_class}): a cycle the models cannot hold")
            return self.read_nodes[node]
        data: dict[str, Any] = {}
        self.read_nodes[node] = data
        self.open_nodes.add(node)
        try:
            self.read_fields(node, model, service, skip, data)
        finally:
            self.open_nodes.discard(node)
        return data

    def read_fields(self, node: Any, model: type[PPSModel], service: Any, skip: set[Any], data: dict[str, Any]) -> None:
        props: dict[Any, list[Any]] = {}
        for predicate, obj in self.graph.predicate_objects(node):
            if predicate not in skip:
                objects = props.get(predicate)
                if objects is None:
                    props[predicate] = [obj]
                else:
                    objects.append(obj)
        self.check_types(node, model, props.pop(_TYPE, []))
        value = self.value
        for field in _read_fields(model, self.vocabulary):
            objects = props.get(field.predicate)
            if objects is None:
                continue
            kept = []
            values = []
            for obj in objects:
                found = value(field, obj, service)
                (kept.append(obj) if found is _NO else values.append(found))
            props[field.predicate] = kept
            if values:
                self.place(data, field, values, node)
        special = _SPECIAL.get(model.__name__)
        if special:
            special(self, node, data, props, service)
        for predicate, objects in props.items():
            for obj in objects:
                self.leftovers.add((node, predicate, obj))

    def place(self, data: dict[str, Any], field: Any, values: list[Any], node: Any) -> None:
        if field.codec in (TEXT, WORDS):
            merged: dict[str, Any] = data.setdefault(field.name, {})
            # Tagged texts first: an untagged one is taken as Latvian only if no Latvian text is there.
            for lang, text in sorted(values, key=lambda value: value[0] is None) if len(values) > 1 else values:
                if lang is None and self.untagged is None:
                    self.repair(f"<{node}> {field.predicate.n3(self.graph.namespace_manager)}: text {text[:40]!r} "
                                "has no language tag and no default language was named: not read")
                    self.leftovers.add((node, field.predicate, Literal(text)))
                    continue
                if lang is None and (field.codec == WORDS or self.untagged not in merged):
                    if self.untagged == "lv":
                        self.repair(f"text {text[:40]!r} has no language tag: taken as Latvian")
                    lang = self.untagged
                if field.codec == WORDS:
                    merged.setdefault(lang, []).append(text)
                elif lang in merged or lang is None:
                    self.leftovers.add((node, field.predicate, Literal(text, lang=lang)))
                else:
                    merged[lang] = text
        elif field.many:
            data[field.name] = values
        else:
            data[field.name] = values[0]
            if len(values) > 1:
                self.repair(f"<{node}> has {len(values)} values of {field.predicate.n3(self.graph.namespace_manager)}, "
                            "where the model holds one: the others are left over")
                for extra in values[1:]:
                    self.leftovers.add((node, field.predicate, extra if isinstance(extra, (URIRef, Literal)) else Literal(str(extra))))

    def value(self, field: Any, obj: Any, service: Any) -> Any:
        """The model value `obj` stands for in `field`, or _NO when it cannot be one."""
        codec = field.codec
        if codec in (TEXT, WORDS):
            if not isinstance(obj, Literal):
                return _NO
            return (obj.language, str(obj))
        if codec == LITERAL:
            if not isinstance(obj, Literal):
                return _NO
            return float(obj) if field.target is float and _is_number(obj) else str(obj)
        if isinstance(obj, Literal):
            return _NO
        if codec == NODE or codec == OWNED:
            data = self.read(obj, field.target, service)
            if data.get("unreadable"):
                del self.read_nodes[obj]  # its triples go to the leftovers with the link to it
                return _NO
            if codec == OWNED and "id" in field.target.model_fields and "id" not in data:
                data["id"] = self.identify(obj, f"{field.name} of {service}")
            return data
        if codec == REF:
            return self.reference(field, obj)
        if codec == CONCEPT:
            return self.concept(field.target, obj)
        found = _IRI_READERS[codec](self, obj)
        if found is not _NO:
            self.consume_value_node(obj)
        return found

    def reference(self, field: Any, node: Any) -> Any:
        collection = field.collection
        if collection in ("life_events", "business_events"):
            types = set(self.graph.objects(node, RDF.type))
            wanted = CV.LifeEvent if collection == "life_events" else CV.BusinessEvent
            if wanted not in types:
                if collection == "business_events" or CV.BusinessEvent in types:
                    return _NO
                self.repair(f"event <{node}> is neither a life nor a business event: taken as a life event")
        return self.identify(node, collection)

    def concept(self, enum: Any, obj: Any) -> Any:
        key = (enum, obj)
        found = self.concepts.get(key)
        if found is None:
            found = self.concepts[key] = _concept_value(self.vocabulary, enum, str(obj))
        if found is not _NO:
            self.consume_value_node(obj)
        return found

    # -- identifiers ------------------------------------------------------------------------

    def identify(self, node: Any, collection: str) -> str:
        """The identifier of the object at `node`; noted as a member of `collection`."""
        if collection in self.members:
            self.members[collection].setdefault(node, None)
        key = (collection, node)
        if key in self.ids:
            return self.ids[key]
        literal = next((o for o in self.graph.objects(node, DCT.identifier) if isinstance(o, Literal)), None)
        identifier = str(literal) if literal is not None else None
        if identifier is None or _ID_CHARS.search(identifier) or not identifier[:1].isalnum():
            made = self.unique(collection, _local_name(node) or collection[:3])
            self.repair(f"<{node}> has no usable dct:identifier ({identifier!r}): identified as {made!r}"
                        if identifier is not None else f"<{node}> has no dct:identifier: identified as {made!r}")
            identifier = made
        self.taken[collection].add(identifier)
        self.ids[key] = identifier
        return identifier

    def unique(self, collection: str, wanted: str) -> str:
        candidate = (_ID_CHARS.sub("-", wanted).strip("-._~") or "id")[:120]
        if not candidate[0].isalnum():
            candidate = "x" + candidate
        number, result = 1, candidate
        while result in self.taken[collection]:
            number += 1
            result = f"{candidate}-{number}"
        return result

    # -- bookkeeping -------------------------------------------------------------------------

    def repair(self, message: str) -> None:
        self.repairs.append(message)

    def consume_value_node(self, node: Any) -> None:
        self.value_nodes.add(node)

    def leftover_node_except(self, node: Any, known: set[Any]) -> None:
        for predicate, obj in self.graph.predicate_objects(node):
            if predicate not in known:
                self.leftovers.add((node, predicate, obj))
        self.read_nodes.setdefault(node, {})

    def check_types(self, node: Any, model: type[PPSModel], types: list[Any]) -> None:
        expected = model_classes(model, self.vocabulary)
        for rdf_type in types:
            if rdf_type not in expected:
                self.leftovers.add((node, RDF.type, rdf_type))

    def unvisited(self) -> None:
        """Put every triple of nodes the reader never reached among the leftovers."""
        graph = self.graph
        for subject in set(graph.subjects()):
            if subject in self.read_nodes:
                continue
            for predicate, obj in graph.predicate_objects(subject):
                if subject in self.value_nodes and predicate in _VALUE_PREDICATES:
                    continue
                self.leftovers.add((subject, predicate, obj))

    # -- value nodes ---------------------------------------------------------------------------

    # Each reads what an IRI stands for, or _NO; `value` notes the IRI as a value node.

    def iri_value(self, obj: Any) -> Any:
        return str(obj) if isinstance(obj, URIRef) else _NO

    def language(self, obj: Any) -> Any:
        return _LANGUAGE_CODES.get(str(obj), _NO)

    def frequency(self, obj: Any) -> Any:
        return _FREQUENCY_CODES.get(str(obj), _NO)

    def territory(self, obj: Any) -> Any:
        text = str(obj)
        if text in LATVIA_IRIS:
            return "LV"
        code = text[len(ATVK):]
        return code if text.startswith(ATVK) and re.fullmatch(r"[0-9]{7}", code) else _NO

    def currency(self, obj: Any) -> Any:
        text = str(obj)
        code = text[len(_CURRENCY):]
        return code if text.startswith(_CURRENCY) and re.fullmatch(r"[A-Z]{3}", code) else _NO

    def type_code(self, obj: Any) -> Any:
        if not isinstance(obj, URIRef):
            return _NO
        notation = next((o for o in self.graph.objects(obj, SKOS.notation) if isinstance(o, Literal)), None)
        if notation is not None:
            return str(notation)
        return self.iris.code_value(str(obj)) or str(obj)

    # -- what the generic rule does not cover ----------------------------------------------------

    def service_extras(self, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        for identifier in _take(props, ADMS.identifier):
            notation = next(self.graph.objects(identifier, SKOS.notation), None)
            if notation is None or "source_id" in data:
                self.leftovers.add((node, ADMS.identifier, identifier))
            else:
                data["source_id"] = str(notation)
                self.read_nodes[identifier] = {}
        _take(props, DCT.isPartOf)  # the dataset lists its services too
        # cpsv:hasInput names the evidence of the service's requirements as well as evidence of its
        # own; the model holds each once. Nodes are read once, so the same evidence is the same dict.
        supporting = {id(evidence) for requirement in data.get("requirements", []) for evidence in requirement.get("evidence", [])}
        inputs = [evidence for evidence in data.pop("inputs", []) if id(evidence) not in supporting]
        if inputs:
            data["inputs"] = inputs
        if "status" not in data:
            for status in list(props.get(ADMS.status, [])):
                if str(status) in _ADMS_STATUSES:
                    data["status"] = _ADMS_STATUSES[str(status)]
                    props[ADMS.status].remove(status)
                    self.repair(f"service {data.get('id')!r}: ADMS status <{status}> taken as {data['status']!r}")
                    break
        if "kind" not in data:
            data["kind"] = ServiceKind.ADMINISTRATIVE.value
            self.repair(f"service {data.get('id')!r} has no pps:serviceKind: taken as administrative")

    def organisation_extras(self, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        names = data.setdefault("name", {})
        for predicate in _OTHER_NAMES:
            titles = {(o.language or "lv", str(o)): o for o in _take(props, predicate) if isinstance(o, Literal)}
            if titles and not names:
                for (lang, text) in titles:
                    names.setdefault(lang, text)
                self.repair(f"organisation <{node}> has no skos:prefLabel: named by its {predicate.n3(self.graph.namespace_manager)}")
            for (lang, text), obj in titles.items():
                if names.get(lang) != text:
                    self.leftovers.add((node, predicate, obj))
        if not names:
            self.repair(f"organisation <{node}> has no name: named by its IRI")
            names["lv"] = _local_name(node) or str(node)
        data["id"] = self.identify(node, "organisations")
        # cv:participates repeats, from the organisation's side, the service's participations.
        props[CV.participates] = [p for p in props.get(CV.participates, []) if (p, RDF.type, CV.Participation) not in self.graph]
        if "kind" not in data:
            data["kind"] = "other"
            self.repair(f"organisation {data['id']!r} has no pps:organisationKind: taken as 'other'")
        if "territory" not in data and any(True for _ in self.graph.objects(node, DCT.spatial)):
            self.repair(f"organisation {data['id']!r} acts in a place that is not Latvia or a Latvian municipality: "
                        "taken as 'LV', the place is left over")

    def provider_extras(self, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        _take(props, DCT.identifier)
        tasks = []
        prefix = f"{self.vocabulary}ProviderRole-"
        for role in list(props.get(CV.role, [])):
            match = re.fullmatch(r"(\w+)-(front|back)", str(role)[len(prefix):]) if str(role).startswith(prefix) else None
            if match and match[1] in DeliveryTask._value2member_map_:
                tasks.append({"task": match[1], "office": match[2]})
                props[CV.role].remove(role)
                self.consume_value_node(role)
        if tasks:
            data["tasks"] = tasks
            if data.get("description") == provider_description(tasks):
                del data["description"]
        else:
            data["tasks"] = [{"task": DeliveryTask.EXECUTION.value, "office": Office.BACK.value}]
            self.repair(f"participation <{node}> has no provider role of ours: taken as execution (back office); "
                        "its roles are left over")

    def catalogue_extras(self, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        parts = props.get(DCT.hasPart, [])
        props[DCT.hasPart] = [part for part in parts if part not in self.members["services"]]
        data["cubes"] = _take(props, expand("pps:measurements", self.vocabulary))

    def evidence_extras(self, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        supported = props.get(CV.supportsRequirement, [])
        props[CV.supportsRequirement] = [r for r in supported if r not in self.read_nodes]

    def channel_extras(self, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        data["id"] = self.identify(node, "channels")
        if "type" not in data:
            data["type"] = ChannelType.OTHER.value
            self.repair(f"channel {data['id']!r} has no channel type of ours: taken as 'other'"
                        + (" (its dct:type is left over)" if props.get(DCT.type) else ""))

    def opening_hours_extras(self, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        beginning = self.clock(_take(props, TIME.hasBeginning))
        end = self.clock(_take(props, TIME.hasEnd))
        frequency = _take(props, CV.frequency)
        if beginning is None or end is None:
            self.repair(f"opening hours <{node}> give no clock times: they are left over")
            data["unreadable"] = True
            return
        data["opens"], data["closes"] = beginning[0], end[0]
        days = beginning[1] or end[1]
        if not days:
            days = [day.value for day in Weekday]
            self.repair(f"opening hours <{node}> name no weekdays: taken as every day")
        data["days"] = days
        for obj in frequency:
            self.consume_value_node(obj)

    def clock(self, instants: list[Any]) -> tuple[str, list[str]] | None:
        for instant in instants:
            for description in self.graph.objects(instant, TIME.inDateTime):
                values = {p: o for p, o in self.graph.predicate_objects(description) if p != TIME.dayOfWeek}
                if TIME.hour not in values:
                    continue
                try:
                    seconds = float(values.get(TIME.second, 0))
                    clock = time(int(values[TIME.hour]), int(values.get(TIME.minute, 0)), int(seconds),
                                 round((seconds % 1) * 1_000_000))
                except (ValueError, TypeError, OverflowError):  # not a clock time (a node, 25 o'clock…)
                    continue
                days = sorted({_WEEKDAYS[d] for d in self.graph.objects(description, TIME.dayOfWeek) if d in _WEEKDAYS},
                              key=[d.value for d in Weekday].index)
                self.read_nodes[instant] = self.read_nodes[description] = {}
                return clock.isoformat(), days
        return None

    def special_hours_extras(self, node: Any, data: dict[str, Any], props: dict[Any, list[Any]], service: Any) -> None:
        start, end = self.day(_take(props, TIME.hasBeginning)), self.day(_take(props, TIME.hasEnd))
        if start is None or end is None:
            self.repair(f"special hours <{node}> give no dates: they are left over")
            data["unreadable"] = True
            return
        data["start"], data["end"] = start, end

    def day(self, instants: list[Any]) -> str | None:
        for instant in instants:
            for value in self.graph.objects(instant, TIME.inXSDDate):
                self.read_nodes[instant] = {}
                return str(value)
        return None


@cache
def _read_fields(model: type[PPSModel], vocabulary: str) -> tuple[Any, ...]:
    """The fields of `model` read by the generic rule, in declaration order."""
    return tuple(field for field in rdf_fields(model, vocabulary) if field.codec != SKIP)


@cache
def model_classes(model: type[PPSModel], vocabulary: str) -> frozenset[URIRef]:
    """The rdf:type classes of an instance of `model`."""
    return frozenset((expand(model.rdf_class, vocabulary), *map(expand, EXTRA_TYPES.get(model.__name__, ()))))


def _concept_value(vocabulary: str, enum: Any, iri: str) -> Any:
    """The code of code list `enum` that the concept `iri` stands for, or _NO."""
    prefix = f"{vocabulary}{enum.__name__}-"
    if not iri.startswith(prefix):
        return _NO
    code = iri[len(prefix):]
    try:
        return (enum(int(code)) if issubclass(enum, int) else enum(code)).value
    except ValueError:
        return _NO


def _take(props: dict[Any, list[Any]], predicate: Any) -> list[Any]:
    return props.pop(predicate, [])


def _is_number(obj: Literal) -> bool:
    try:
        float(obj)
    except ValueError:
        return False
    return True


def _local_name(node: Any) -> str:
    if not isinstance(node, URIRef):
        return ""
    return re.split(r"[/#]", str(node).rstrip("/#"))[-1]


class _No:
    """A value that cannot be one of the field's: the triple stays for another field or the leftovers."""


_NO = _No()

_IRI_READERS = {
    DOCUMENT: GraphReader.iri_value,
    CONCEPT_IRI: GraphReader.iri_value,
    LANGUAGE: GraphReader.language,
    TERRITORY: GraphReader.territory,
    CURRENCY: GraphReader.currency,
    FREQUENCY: GraphReader.frequency,
    TYPE_CODE: GraphReader.type_code,
}


def _models() -> dict[str, type[PPSModel]]:
    from ...model import BusinessEvent, Channel, LegalResource, LifeEvent, Organisation, UnifiedService

    return {"organisations": Organisation, "channels": Channel, "legal_resources": LegalResource,
            "life_events": LifeEvent, "business_events": BusinessEvent, "unified_services": UnifiedService,
            "services": PublicService}


_MODELS = _models()

_SPECIAL = {
    "Catalogue": GraphReader.catalogue_extras,
    "Evidence": GraphReader.evidence_extras,
    "PublicService": GraphReader.service_extras,
    "Organisation": GraphReader.organisation_extras,
    "Provider": GraphReader.provider_extras,
    "Channel": GraphReader.channel_extras,
    "OpeningHours": GraphReader.opening_hours_extras,
    "SpecialHours": GraphReader.special_hours_extras,
}
