"""A fast SHACL check for shapes of the kind CPSV-AP 3.2.0 publishes.

The official CPSV-AP 3.2.0 shapes use a small part of SHACL: node shapes with `sh:targetClass`
and property shapes on plain predicates with `sh:minCount`, `sh:maxCount`, `sh:class` and
`sh:datatype`. `supports(shapes)` says whether a shapes graph stays within that part;
`violations(data, shapes)` then finds the same results as pyshacl (the same focus nodes,
paths, values, source shapes and constraint components, by the same rules: classes through
`rdfs:subClassOf` in the data, ill-typed literals rejected) without pyshacl's per-node
machinery, which is what makes it many times faster on a large catalogue.

The data is read once into an `Index` of plain dictionaries, either from an rdflib graph or,
without building one, from the triples pyoxigraph parses (`quad_index`): one checker, two
ways in. Results always name rdflib terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

import pyoxigraph as ox
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


def shape_paths(shapes: Graph) -> set[URIRef]:
    """The predicates the property shapes of `shapes` (which `supports`) follow."""
    return {prop.path for _, properties in _checked_shapes(shapes) for prop in properties}


def violations(data: Graph | Index, shapes: Graph) -> list[Violation]:
    """The results of validating `data` (a graph or an `Index` of it) against `shapes` (which
    `supports`). An Index remembers its results, so checking it again costs nothing."""
    compiled = _checked_shapes(shapes)
    with paused_gc():  # the index is many small sets, all living on: nothing for the collector to find
        index = data if isinstance(data, Index) else _GraphIndex(data, shape_paths(shapes))
        if compiled not in index.found:
            found: list[Violation] = []
            for target, properties in compiled:
                focus_nodes = index.instances(target)
                focus_set = set(focus_nodes)
                for prop in properties:
                    found += _check(index, focus_nodes, focus_set, prop)
            index.found[compiled] = found
    return index.found[compiled]


def _checked_shapes(shapes: Graph) -> tuple[tuple[Any, tuple[_Property, ...]], ...]:
    compiled = _compiled(shapes)
    if compiled is None:
        raise ValueError("these shapes use SHACL beyond targetClass, minCount, maxCount, class and datatype")
    return compiled


def _check(index: Index, focus_nodes: list[Any], focus_set: set[Any], prop: _Property) -> list[Violation]:
    """The violations of one property shape by the focus nodes of its node shape. Most focus
    nodes have no value for most properties: only counts are checked on those. Each
    constraint is one pass over the (focus node, values) pairs, not a loop per node."""
    by_subject = index.values[prop.path]
    term, path, shape = index.term, prop.path, prop.shape
    found = []
    if prop.min_count == 1:  # the usual minimum: a focus node with no value at all (only those with one are held)
        missing = focus_set.difference(by_subject)  # usually none: found without a loop in Python
        if missing:
            found += [Violation(term(focus), path, None, shape, SH.MinCountConstraintComponent)
                      for focus in focus_nodes if focus in missing]
    elif prop.min_count is not None:
        found += [Violation(term(focus), path, None, shape, SH.MinCountConstraintComponent)
                  for focus in focus_nodes if len(by_subject.get(focus, ())) < prop.min_count]
    if not by_subject or (prop.max_count is None and prop.cls is None and prop.datatype is None):
        return found
    if len(focus_nodes) < len(by_subject):
        pairs = [(focus, values) for focus in focus_nodes if (values := by_subject.get(focus))]
    else:  # fewer nodes with values than focus nodes
        pairs = [(node, values) for node, values in by_subject.items() if node in focus_set]
    if prop.max_count is not None:
        found += [Violation(term(focus), path, None, shape, SH.MaxCountConstraintComponent)
                  for focus, values in pairs if len(values) > prop.max_count]
    if prop.cls is not None:  # literals and untyped nodes have no classes
        members = index.members(index.class_term(prop.cls))
        all_members = members.issuperset  # most nodes' values all are: one call, not a loop over them
        found += [Violation(term(focus), path, term(value), shape, SH.ClassConstraintComponent)
                  for focus, values in pairs if not all_members(values) for value in values if value not in members]
    if prop.datatype is not None:
        found += [Violation(term(focus), path, term(value), shape, SH.DatatypeConstraintComponent)
                  for focus, value in index.not_of_datatype(pairs, prop.datatype)]
    return found


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


class Index:
    """The data as plain dictionaries: the values of each path by subject, the classes of each
    node, the superclasses of each class (through rdfs:subClassOf in the data). Asking a graph
    per node and property is what makes a general SHACL engine slow.

    Nodes and values are the data's own terms (rdflib's or pyoxigraph's); classes, paths and
    everything reported are rdflib terms: `term` turns the one into the other."""

    def __init__(self, values: dict[Any, dict[Any, set[Any]]], types: dict[Any, set[Any]],
                 broader: dict[Any, set[Any]]):
        self.values = values
        self.types = types
        self.broader = broader
        self.found: dict[Any, list[Violation]] = {}  # compiled shapes → their violations
        self._superclasses: dict[Any, frozenset[Any]] = {}
        self._instances: dict[Any, list[Any]] | None = None
        self._members: dict[Any, frozenset[Any]] = {}  # class → its instances, for membership tests
        self._typed: dict[frozenset[Any], list[Any]] | None = None  # the classes typed → the nodes typed so

    def term(self, node: Any) -> Any:
        """`node` as an rdflib term."""
        return node

    def has_datatype(self, value: Any, datatype: Any) -> bool:
        return _has_datatype(value, datatype)

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
        """The nodes of class `cls` (directly or through a subclass), in a stable order."""
        return sorted(self._nodes_of(cls), key=str)

    def _nodes_of(self, cls: Any) -> list[Any]:
        return self._instances_by_class().get(self.class_term(cls), [])

    def typed(self) -> dict[frozenset[Any], list[Any]]:
        """The nodes with a class, by the set of classes the data gives them (`class_term`s,
        no superclasses): a few sets of classes, each shared by many nodes, so that what
        depends on a node's classes is decided once per set."""
        if self._typed is None:
            self._typed = {}
            for node, kinds in self.types.items():
                self._typed.setdefault(frozenset(kinds), []).append(node)
        return self._typed

    def members(self, cls: Any) -> frozenset[Any]:
        """The instances of `cls` (a `class_term`), directly or through a subclass."""
        if cls not in self._members:
            self._members[cls] = frozenset(self._instances_by_class().get(cls, ()))
        return self._members[cls]

    def _instances_by_class(self) -> dict[Any, list[Any]]:
        """Every class (`class_term`) → its instances, directly or through a subclass."""
        if self._instances is None:
            self._instances = {}
            for kinds, nodes in self.typed().items():
                for cls in frozenset().union(*(self.superclasses(kind) for kind in kinds)):
                    self._instances.setdefault(cls, []).extend(nodes)
        return self._instances

    def not_of_datatype(self, pairs: list[tuple[Any, set[Any]]], datatype: Any) -> list[tuple[Any, Any]]:
        """(node, value) for each of the (node, values) `pairs` whose value is not a literal of `datatype`."""
        return [(node, value) for node, values in pairs for value in values if not self.has_datatype(value, datatype)]

    def class_term(self, cls: Any) -> Any:
        """The rdflib class `cls` as a term of the data."""
        return cls


class _GraphIndex(Index):
    """The index of an rdflib graph, read in one pass per predicate the shapes name."""

    def __init__(self, data: Graph, paths: set[Any]):
        by_object = _memory_index(data)
        super().__init__({path: _by_subject(data, path, by_object) for path in paths},
                         _by_subject(data, RDF.type, by_object), _by_subject(data, RDFS.subClassOf, by_object))


class QuadIndex(Index):
    """The index of the triples pyoxigraph parsed (see `quad_index`). IRIs are plain strings
    (a dictionary finds those fastest), blank nodes and literals pyoxigraph's terms. They
    become rdflib terms only to be reported or, for literals other than text in a language,
    to have rdflib decide whether they are ill-typed, as pyshacl does."""

    def __init__(self, values: dict[Any, dict[Any, set[Any]]], types: dict[Any, set[Any]],
                 broader: dict[Any, set[Any]]):
        super().__init__(values, types, broader)
        self._literals: dict[Any, Literal] = {}

    def term(self, node: Any) -> Any:
        if type(node) is str:
            return URIRef(node)
        if type(node) is ox.Literal:
            found = self._literals.get(node)
            if found is None:
                found = self._literals[node] = rdflib_term(node)
            return found
        return rdflib_term(node)

    def class_term(self, cls: Any) -> Any:
        return str(cls) if isinstance(cls, URIRef) else cls

    def objects(self, subject: Any = None, predicate: Any = None) -> list[Any]:
        """As an rdflib Graph answers it, for rdf:type and the predicates indexed: the objects
        of `predicate` of the rdflib term `subject` (of every subject when None)."""
        by_subject = self.types if predicate == RDF.type else self.values.get(predicate, {})
        if subject is None:
            return [self.term(value) for values in by_subject.values() for value in values]
        key = str(subject) if isinstance(subject, URIRef) else ox.BlankNode(str(subject))
        return [self.term(value) for value in by_subject.get(key, ())]

    def instances(self, cls: Any) -> list[Any]:
        """The nodes of class `cls` in the order the document first types them (sorting is
        what costs here, and the report sorts its findings anyway)."""
        return self._nodes_of(cls)

    def not_of_datatype(self, pairs: list[tuple[Any, set[Any]]], datatype: Any) -> list[tuple[Any, Any]]:
        if str.__eq__(datatype, _LANG_STRING):  # the most asked, decided without rdflib: text in a language
            return [(node, value) for node, values in pairs for value in values
                    if type(value) is not ox.Literal or value.language is None]
        return super().not_of_datatype(pairs, datatype)

    def has_datatype(self, value: Any, datatype: Any) -> bool:
        if type(value) is not ox.Literal:
            return False
        if value.language is not None:  # the common case, decided without rdflib: text in a language
            return str.__eq__(datatype, _LANG_STRING) or str.__eq__(datatype, _LITERAL)
        return _has_datatype(self.term(value), datatype)


def quad_index(quads: Iterable[Any], paths: set[URIRef]) -> QuadIndex:
    """The index of `paths` (and rdf:type, rdfs:subClassOf) in the triples `quads` that
    pyoxigraph parsed, read in one pass without building a graph. A triple given twice
    counts once, as in a graph."""
    by_predicate: dict[Any, dict[Any, set[Any]]] = {ox.NamedNode(path): {} for path in {*paths, RDF.type, RDFS.subClassOf}}
    find, iri = by_predicate.get, ox.NamedNode
    with paused_gc():
        for quad in quads:  # the hot loop: 20,000 services are 3 million triples, half of them not wanted
            by_subject = find(quad.predicate)  # pyoxigraph compares its own terms faster than it makes strings
            if by_subject is not None:  # only now the subject and object become Python objects
                subject, obj = quad.subject, quad.object
                if type(subject) is iri:
                    subject = subject.value
                if type(obj) is iri:
                    obj = obj.value
                values = by_subject.get(subject)
                if values is None:
                    by_subject[subject] = {obj}
                else:
                    values.add(obj)
    values = {URIRef(predicate.value): by_subject for predicate, by_subject in by_predicate.items()}
    return QuadIndex(values, values.pop(RDF.type), values.pop(RDFS.subClassOf))


_XSD_STRING = str(XSD.string)


def rdflib_term(term: Any) -> Any:
    """A term of pyoxigraph's (or an IRI as a string) as the rdflib term an rdflib parser
    would have made of it, with literals as written (text typed xsd:string is plain text,
    the same RDF term)."""
    if type(term) is str:
        return URIRef(term)
    if type(term) is ox.NamedNode:
        return URIRef(term.value)
    if type(term) is ox.BlankNode:
        return BNode(term.value)
    if type(term) is ox.Literal:
        if term.language is not None:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, normalize=False) if datatype == _XSD_STRING else \
            Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise TypeError(f"not a term rdflib holds: {term!r}")


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
