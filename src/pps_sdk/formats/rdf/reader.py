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
from functools import cache
from typing import Any

from rdflib import Graph, Literal, URIRef

from ...errors import FormatError
from ...model import MODELS, Catalogue, Measurement, PPSModel, Weekday
from ...model.base import collection_model, field_terms, model_inside
from ...model.catalogue import SHARED
from ...model.codecs import Unreadable
from ...model.types import ATVK_CODE, identifier_stem, is_identifier
from ...vocab import ATVK, EU_AUTHORITY, FREQUENCIES, LANGUAGES, LATVIA_IRIS, NAMESPACES, PPS_VOCABULARY
from .iris import Iris
from .mapping import (CONCEPT, CONCEPT_IRI, CURRENCY, DOCUMENT, EXTRA_TYPES, FREQUENCY, LANGUAGE, LITERAL, NODE, OWNED, RDF,
                      REF, SKIP, TERRITORY, TEXT, TYPE_CODE, WORDS, Terms, codecs_of, expand, rdf_fields, term_in)
from .order import canonical_data
from .writer import CV, DCAT, DCT, QB, SKOS, TIME

_LANGUAGE_CODES = {f"{EU_AUTHORITY}language/{eu}": iso for iso, eu in LANGUAGES.items()}
_FREQUENCY_CODES = {f"{EU_AUTHORITY}frequency/{eu}": ours for ours, eu in FREQUENCIES.items()}
_CURRENCY = f"{EU_AUTHORITY}currency/"
_WEEKDAYS = {TIME[day.value.capitalize()]: day.value for day in Weekday}
_TYPE = RDF.type
_VALUE_PREDICATES = {RDF.type, SKOS.notation, SKOS.prefLabel, SKOS.inScheme}
ROV = Terms("http://www.w3.org/ns/regorg#")

_MODELS = {name: collection_model(name) for name in SHARED}
"""The model of the members of each collection of the catalogue."""

# Classes that also make a node a member: any agent is taken for an organisation (a cv:Event
# is not taken for a life event: it may be a business event).
_ALSO_MEMBERS = {"organisations": (Terms(NAMESPACES["org"]).Organization, Terms(NAMESPACES["foaf"]).Agent,
                                   ROV.RegisteredOrganization)}


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
        # The work: the members of each collection met so far, and those still to be read.
        self.members: dict[str, dict[Any, None]] = {name: {} for name in SHARED}
        self.pending: list[tuple[str, Any]] = []
        self.visited: set[Any] = set()  # nodes whose triples are read (a model's, or a value's)
        self.cache: dict[Any, Any] = {}  # node → the data read from it, or UNREADABLE
        self.concepts: dict[tuple[Any, Any], Any] = {}  # (code list, IRI) → code, or _NO
        self.value_nodes: set[Any] = set()
        self.open_nodes: set[Any] = set()  # nodes being read, to find cycles

    # -- the catalogue --------------------------------------------------------------------

    def catalogue(self, chosen: str | None = None) -> dict[str, Any]:
        graph = self.graph
        dataset = self.dataset(chosen)
        if chosen is None:  # the only dataset: everything in the graph belongs to it
            for collection, classes in collection_classes(self.vocabulary).items():
                for cls in classes:
                    for node in graph.subjects(RDF.type, cls):
                        self.enrol(node, collection)
        else:  # one of several: its services, and what they refer to
            for node in {*graph.objects(dataset, DCT.hasPart), *graph.subjects(DCT.isPartOf, dataset)}:
                self.enrol(node, "services")
        data: dict[str, Any] = self.read(dataset, Catalogue, None) if dataset is not None else {}
        data.setdefault("measurements", [])
        order = list(SHARED).index
        while self.pending:  # reading members finds more members (a channel's owner, a related act…)
            batch = sorted(self.pending, key=lambda item: order(item[0]))  # collection by collection
            self.pending = []
            for collection, node in batch:
                service = node if collection == "services" else None
                item = self.read(node, _MODELS[collection], service)
                item["id"] = self.identify(node, collection)
                data.setdefault(collection, []).append(item)
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

    def read(self, node: Any, model: type[PPSModel], service: Any, skip: set[Any] = frozenset()) -> Any:  # type: ignore[assignment]
        """The plain data of `model` described by `node` (read once; later calls share it), or
        UNREADABLE when the node cannot be one (its triples are then left over)."""
        found = self.cache.get(node)
        if found is not None:
            if node in self.open_nodes:  # reached again while it is being read: the data would hold itself
                raise FormatError(f"<{node}> contains itself (through {model.rdf_class}): a cycle the models cannot hold")
            return found
        data: dict[str, Any] = {}
        self.cache[node] = data
        self.visited.add(node)
        self.open_nodes.add(node)
        try:
            self.read_fields(node, model, service, skip, data)
        except Unreadable:
            self.cache[node] = UNREADABLE
            self.visited.discard(node)  # its triples go to the leftovers with the link to it
            return UNREADABLE
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
        for codec in codecs_of(model):
            codec.read(self, node, data, props, service)
        for predicate, owners in inverse_links(model, self.vocabulary).items():
            if predicate in props:
                props[predicate] = [obj for obj in props[predicate] if not self.links_back(obj, owners)]
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
            if data is UNREADABLE:
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
        self.enrol(node, collection)
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

    def enrol(self, node: Any, collection: str) -> None:
        """Note `node` as a member of `collection`, to be read (once) with the catalogue's members."""
        nodes = self.members.get(collection)
        if nodes is not None and node not in nodes:
            nodes[node] = None
            self.pending.append((collection, node))
        self.identify(node, collection)

    def is_member(self, node: Any, collection: str) -> bool:
        return node in self.members[collection]

    def identify(self, node: Any, collection: str) -> str:
        """The identifier of the object at `node` in `collection`, made when it has no usable one."""
        key = (collection, node)
        if key in self.ids:
            return self.ids[key]
        literal = next((o for o in self.graph.objects(node, DCT.identifier) if isinstance(o, Literal)), None)
        identifier = str(literal) if literal is not None else None
        if identifier is None or not is_identifier(identifier):
            made = self.unique(collection, _local_name(node) or collection[:3])
            self.repair(f"<{node}> has no usable dct:identifier ({identifier!r}): identified as {made!r}"
                        if identifier is not None else f"<{node}> has no dct:identifier: identified as {made!r}")
            identifier = made
        self.taken[collection].add(identifier)
        self.ids[key] = identifier
        return identifier

    def unique(self, collection: str, wanted: str) -> str:
        candidate = (identifier_stem(wanted) or "id")[:120]
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
        self.visited.add(node)

    def check_types(self, node: Any, model: type[PPSModel], types: list[Any]) -> None:
        expected = model_classes(model, self.vocabulary)
        for rdf_type in types:
            if rdf_type not in expected:
                self.leftovers.add((node, RDF.type, rdf_type))

    def unvisited(self) -> None:
        """Put every triple of nodes the reader never reached among the leftovers."""
        graph = self.graph
        for subject in set(graph.subjects()):
            if subject in self.visited:
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
        return code if text.startswith(ATVK) and re.fullmatch(ATVK_CODE, code) else _NO

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

    # -- what codecs read with (see `model.codecs`) -------------------------------------------

    def term(self, curie: str) -> Any:
        """The IRI of `curie`, `pps:` in this reader's vocabulary."""
        return term_in(curie, self.vocabulary)

    def take(self, props: dict[Any, list[Any]], curie: str) -> list[Any]:
        """The objects of `curie` among `props`, taken out of them."""
        return props.pop(term_in(curie, self.vocabulary), [])

    @staticmethod
    def text_of(obj: Any) -> tuple[str | None, str] | None:
        """(language, text) of a literal; None for anything else."""
        return (obj.language, str(obj)) if isinstance(obj, Literal) else None

    def leftover(self, triple: tuple[Any, Any, Any]) -> None:
        self.leftovers.add(triple)

    def visit(self, node: Any) -> None:
        """Note `node` as read: a codec used its triples."""
        self.visited.add(node)

    def value_node(self, node: Any) -> None:
        self.consume_value_node(node)

    @staticmethod
    def local_name(node: Any) -> str:
        return _local_name(node)

    def links_back(self, obj: Any, owners: frozenset[Any]) -> bool:
        """Whether `obj` is a node that refers to the node being read, which the link repeats."""
        return obj in self.visited or any((obj, _TYPE, owner) in self.graph for owner in owners)


@cache
def _read_fields(model: type[PPSModel], vocabulary: str) -> tuple[Any, ...]:
    """The fields of `model` read by the generic rule, in declaration order."""
    return tuple(field for field in rdf_fields(model, vocabulary) if field.codec != SKIP)


@cache
def model_classes(model: type[PPSModel], vocabulary: str) -> frozenset[URIRef]:
    """The rdf:type classes of an instance of `model`."""
    return frozenset((expand(model.rdf_class, vocabulary), *map(expand, EXTRA_TYPES.get(model.__name__, ()))))


@cache
def collection_classes(vocabulary: str) -> dict[str, tuple[URIRef, ...]]:
    """The classes whose instances make up each collection of the catalogue."""
    return {name: (expand(model.rdf_class, vocabulary), *_ALSO_MEMBERS.get(name, ())) for name, model in _MODELS.items()}


COLLECTION_CLASSES = collection_classes(PPS_VOCABULARY)


@cache
def inverse_links(model: type[PPSModel], vocabulary: str) -> dict[URIRef, frozenset[URIRef]]:
    """Predicates by which others' data links a node of `model` back to the node that refers
    to it (`cv:participates` for `cv:hasParticipant`), with the classes of such nodes, as the
    fields declare them (`inverse=`)."""
    found: dict[URIRef, frozenset[URIRef]] = {}
    for owner in MODELS:
        for name, declared in field_terms(owner).items():
            if declared.inverse is None:
                continue
            target = collection_model(declared.refers_to) if declared.refers_to else model_inside(owner.model_fields[name].annotation)
            if target is not None and issubclass(model, target):
                found[expand(declared.inverse, vocabulary)] = model_classes(owner, vocabulary)
    return found


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


class _Unreadable:
    """What a node that cannot be read as its model reads as: never data of a model."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = _Unreadable()

_IRI_READERS = {
    DOCUMENT: GraphReader.iri_value,
    CONCEPT_IRI: GraphReader.iri_value,
    LANGUAGE: GraphReader.language,
    TERRITORY: GraphReader.territory,
    CURRENCY: GraphReader.currency,
    FREQUENCY: GraphReader.frequency,
    TYPE_CODE: GraphReader.type_code,
}
