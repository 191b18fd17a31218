"""A fast SHACL check for shapes of the kind CPSV-AP 3.2.0 publishes.

The official CPSV-AP 3.2.0 shapes use a small part of SHACL: node shapes with `sh:targetClass`
and property shapes on plain predicates with `sh:minCount`, `sh:maxCount`, `sh:class` and
`sh:datatype`. `supports(shapes)` says whether a shapes graph stays within that part;
`violations(data, shapes)` then finds the same results as pyshacl (the same focus nodes,
paths, values, source shapes and constraint components, by the same rules: classes through
`rdfs:subClassOf` in the data, ill-typed literals rejected) without pyshacl's per-node
machinery, which is what makes it many times faster on a large catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.plugins.stores.memory import Memory

from ..formats import paused_gc

# What a shapes graph may say and still be checked here; anything else goes to pyshacl.
_NODE_SHAPE_TERMS = {RDF.type, SH.targetClass, SH.property, SH.closed, SH.name, SH.description, SH.message,
                     RDFS.seeAlso, RDFS.label, RDFS.comment, RDFS.member}
_PROPERTY_TERMS = {RDF.type, SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.name,
                   SH.description, SH.message, RDFS.seeAlso, RDFS.label, RDFS.comment, RDFS.member}
_VALUE_TYPES = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
                XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, as pyshacl would report it."""

    focus: Any
    path: URIRef
    value: Any  # None for counts
    shape: Any  # the property shape
    component: URIRef  # sh:MinCountConstraintComponent…

    @property
    def severity(self) -> URIRef:
        return SH.Violation


@dataclass(frozen=True)
class _Property:
    shape: Any
    path: URIRef
    min_count: int | None
    max_count: int | None
    cls: Any
    datatype: Any


def supports(shapes: Graph) -> bool:
    """True when every shape in `shapes` uses only what `violations` checks."""
    return _compiled(shapes) is not None


def violations(data: Graph, shapes: Graph) -> list[Violation]:
    """The results of validating `data` against `shapes` (which `supports`)."""
    compiled = _compiled(shapes)
    if compiled is None:
        raise ValueError("these shapes use SHACL beyond targetClass, minCount, maxCount, class and datatype")
    found: list[Violation] = []
    with paused_gc():  # the index is many small sets, all living on: nothing for the collector to find
        index = _Index(data, {prop.path for _, properties in compiled for prop in properties})
        for target, properties in compiled:
            focus_nodes = index.instances(target)
            for prop in properties:
                found += _check(index, focus_nodes, prop)
    return found


def _check(index: _Index, focus_nodes: list[Any], prop: _Property) -> list[Violation]:
    """The violations of one property shape by the focus nodes of its node shape. Most focus
    nodes have no value for most properties: only counts are checked on those."""
    by_subject = index.values[prop.path]
    found = []
    if prop.min_count is not None:
        found += [Violation(focus, prop.path, None, prop.shape, SH.MinCountConstraintComponent)
                  for focus in focus_nodes if len(by_subject.get(focus, ())) < prop.min_count]
    if not by_subject:
        return found
    for focus in focus_nodes if len(focus_nodes) < len(by_subject) else _among(by_subject, focus_nodes):
        values = by_subject.get(focus)
        if not values:
            continue
        if prop.max_count is not None and len(values) > prop.max_count:
            found.append(Violation(focus, prop.path, None, prop.shape, SH.MaxCountConstraintComponent))
        if prop.cls is not None:
            found += [Violation(focus, prop.path, value, prop.shape, SH.ClassConstraintComponent)
                      for value in values if not index.is_a(value, prop.cls)]
        if prop.datatype is not None:
            found += [Violation(focus, prop.path, value, prop.shape, SH.DatatypeConstraintComponent)
                      for value in values if not _has_datatype(value, prop.datatype)]
    return found


def _among(by_subject: dict[Any, set[Any]], focus_nodes: list[Any]) -> list[Any]:
    """The subjects of `by_subject` that are focus nodes (when there are fewer of them)."""
    focus = set(focus_nodes)
    return [subject for subject in by_subject if subject in focus]


def _has_datatype(value: Any, datatype: Any) -> bool:
    # As pyshacl decides it: the same datatype IRI and not ill-typed; untagged text is
    # xsd:string, tagged text rdf:langString; rdfs:Literal takes every literal. Compared as
    # plain strings: rdflib's own comparison of terms is a Python call each time.
    if not isinstance(value, Literal):
        return False
    written = value.datatype
    if written is not None and str.__eq__(written, datatype):
        return getattr(value, "ill_typed", None) is not True and _actual(value, datatype)
    if str.__eq__(datatype, _LITERAL):
        return True
    if str.__eq__(datatype, _DATATYPE):
        return written is not None
    if written is None and value.language is None and str.__eq__(datatype, _STRING):
        return _actual(value, datatype)
    if value.language and str.__eq__(datatype, _LANG_STRING):
        return _actual(value, datatype)
    return False


_LITERAL, _DATATYPE, _STRING, _LANG_STRING = str(RDFS.Literal), str(RDFS.Datatype), str(XSD.string), str(RDF.langString)


def _actual(value: Literal, datatype: Any) -> bool:
    expected = _VALUE_TYPES.get(datatype)
    return expected is None or isinstance(value.value, expected)


class _Index:
    """The data as plain dictionaries, read in one pass per predicate the shapes name: the
    values of each path by subject, the classes of each node, the superclasses of each class
    (through rdfs:subClassOf in the data). Asking rdflib per node and property is what makes a
    general SHACL engine slow."""

    def __init__(self, data: Graph, paths: set[Any]):
        by_object = _memory_index(data)
        self.values: dict[Any, dict[Any, set[Any]]] = {path: _by_subject(data, path, by_object) for path in paths}
        self.types = _by_subject(data, RDF.type, by_object)
        self.broader = _by_subject(data, RDFS.subClassOf, by_object)
        self._superclasses: dict[Any, frozenset[Any]] = {}
        self._instances: dict[Any, list[Any]] | None = None
        self._classes: dict[Any, frozenset[Any]] = {}  # node → every class it is an instance of

    def superclasses(self, cls: Any) -> frozenset[Any]:
        """`cls` and every class it is a subclass of, at any depth."""
        if cls not in self._superclasses:
            found, pending = {cls}, [cls]
            while pending:
                for parent in self.broader.get(pending.pop(), ()):
                    if parent not in found:
                        found.add(parent)
                        pending.append(parent)
            self._superclasses[cls] = frozenset(found)
        return self._superclasses[cls]

    def instances(self, cls: Any) -> list[Any]:
        """The nodes of class `cls` (directly or through a subclass), in IRI order."""
        if self._instances is None:
            self._instances = {}
            for node, kinds in self.types.items():
                for cls_of_node in {parent for kind in kinds for parent in self.superclasses(kind)}:
                    self._instances.setdefault(cls_of_node, []).append(node)
        return sorted(self._instances.get(cls, ()), key=str)

    def is_a(self, node: Any, cls: Any) -> bool:
        if isinstance(node, Literal):
            return False
        classes = self._classes.get(node)
        if classes is None:
            classes = self._classes[node] = frozenset().union(*(self.superclasses(k) for k in self.types.get(node, ())))
        return cls in classes


def _by_subject(data: Graph, predicate: Any, by_object: dict[Any, dict[Any, dict[Any, int]]] | None) -> dict[Any, set[Any]]:
    """subject → its objects of `predicate`."""
    found: dict[Any, set[Any]] = {}
    if by_object is not None:  # rdflib's own index, read directly: a third of the time of asking for triples
        for obj, subjects in by_object.get(predicate, {}).items():
            for subject in subjects:
                found.setdefault(subject, set()).add(obj)
        return found
    for subject, obj in data.subject_objects(predicate):
        found.setdefault(subject, set()).add(obj)
    return found


def _memory_index(data: Graph) -> dict[Any, dict[Any, dict[Any, int]]] | None:
    """rdflib's in-memory predicate → object → subjects index of `data`, when the graph
    holds the whole store it lives in (a plain Graph); else None."""
    index = getattr(data.store, "_Memory__pos", None) if isinstance(data.store, Memory) else None
    if index is None:
        return None
    in_store = sum(len(subjects) for objects in index.values() for subjects in objects.values())
    return index if in_store == len(data) else None


@cache
def _compiled(shapes: Graph) -> tuple[tuple[Any, tuple[_Property, ...]], ...] | None:
    """(target class, its property shapes) for every node shape; None if any goes beyond what is checked here."""
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.targetClass, None))
    compiled = []
    for node_shape in sorted(node_shapes, key=str):
        if set(shapes.predicates(node_shape)) - _NODE_SHAPE_TERMS or (node_shape, SH.closed, Literal(True)) in shapes:
            return None
        properties = []
        for shape in shapes.objects(node_shape, SH.property):
            prop = _property(shapes, shape)
            if prop is None:
                return None
            properties.append(prop)
        for target in shapes.objects(node_shape, SH.targetClass):
            compiled.append((target, tuple(properties)))
    return tuple(compiled)


def _property(shapes: Graph, shape: Any) -> _Property | None:
    if set(shapes.predicates(shape)) - _PROPERTY_TERMS:
        return None
    paths = list(shapes.objects(shape, SH.path))
    if len(paths) != 1 or isinstance(paths[0], BNode):
        return None  # only plain predicates as paths
    if any(len(list(shapes.objects(shape, term))) > 1 for term in (SH.minCount, SH.maxCount, SH["class"], SH.datatype)):
        return None

    def one(term: URIRef) -> Any:
        values = list(shapes.objects(shape, term))
        return values[0] if values else None

    min_count, max_count = one(SH.minCount), one(SH.maxCount)
    return _Property(shape, paths[0], int(min_count) if min_count is not None else None,
                     int(max_count) if max_count is not None else None, one(SH["class"]), one(SH.datatype))
