"""Lenient, honest reading of anyone's CPSV-AP (3.2.0 or 2.2.1) for catalogue maintainers.

`read_rdf(raw, syntax)` holds every service, organisation, channel, legal resource and event
the document describes, each on its own, so that a problem in one never hides the others:

- `Reading.graph` is the document in CPSV-AP 3.2.0 terms (2.2.1 is upgraded by renaming),
  with its IRIs, identifiers and texts as they were; nothing is added to it. Untagged text
  stays untagged unless a default `language` is named. Writing this graph is the honest
  re-export.
- `Reading.models` holds the members that our model can hold as they are (the strict model of
  institution developers); `Reading.data` what could be read of every member, valid or not.
- `Reading.notes` says what reading had to do (renames from 2.2.1, what it could not read),
  each with the node it is about.
- `Reading.leftovers` holds the triples our model has no place for: values of properties it
  does not know, nodes nothing read reaches (they stay in `graph` and in a re-export).

What is wrong with the document is not decided here: the profiles (`check_reading`) say that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..errors import ModelError
from ..formats.rdf.iris import Iris
from ..formats.rdf.legacy import is_2_2_1, upgrade
from ..formats.rdf.mapping import TEXT, WORDS, rdf_fields
from ..formats.rdf.reader import _MODELS, _VALUE_PREDICATES as VALUE_PREDICATES, COLLECTION_CLASSES, GraphReader
from ..formats.rdf.syntax import parse
from ..formats.rdf.writer import CPSV, DCAT, DCT
from ..model import Catalogue, PPSModel
from .lines import first_lines, mentions

MEMBER_COLLECTIONS = ("services", "organisations", "channels", "legal_resources", "life_events", "business_events")
_IRI_IN_TEXT = re.compile(r"<([^<>\s]+)>")


@dataclass(frozen=True)
class Note:
    """Something reading did or could not do, about one node."""

    node: str
    message: str
    kind: str = "model"  # "upgrade": what reading CPSV-AP 2.2.1 renamed; "model": what our model could not take as it is


@dataclass
class Reading:
    """What a lenient read of one RDF document holds (see the module's docstring)."""

    graph: Graph
    syntax: str
    members: dict[str, list[Any]] = field(default_factory=dict)  # collection → nodes, in IRI order
    data: dict[Any, dict[str, Any]] = field(default_factory=dict)  # node → what could be read of it
    models: dict[Any, PPSModel] = field(default_factory=dict)  # node → the member as our model
    problems: dict[Any, list[tuple[str, str]]] = field(default_factory=dict)  # node → (path, message) our model found
    notes: list[Note] = field(default_factory=list)
    leftovers: Graph | None = None  # what our model has no place for; None when not read into models
    raw: bytes = b""  # the document, to find the line where it names a node (empty for JSON-LD)
    names: Graph | None = None  # a graph with the document's prefixes, when `graph` is not one
    version: str = "3.2.0"
    _lines: dict[str, int | None] = field(default_factory=dict, repr=False)

    @property
    def services(self) -> list[Any]:
        return self.members.get("services", [])

    def lines_of(self, nodes: Iterable[str]) -> dict[str, int | None]:
        """The line where the document describes each node (by IRI), else where it first names
        it (see `lines.first_lines`), found in one pass."""
        names = self.names if self.names is not None else self.graph
        wanted = {node for node in nodes if node not in self._lines}
        iris = {node for node in wanted if not node.startswith("_:")}  # a blank node has no line to find
        if self.raw and iris:
            self._lines |= first_lines(self.raw, {node: mentions(URIRef(node), names) for node in iris})
        self._lines |= dict.fromkeys(wanted - self._lines.keys())
        return self._lines


def node_name(term: Any) -> str:
    """How a finding names an RDF node: an IRI as itself, a blank node as `_:label`, as
    N-Triples writes it, so that the two cannot be mixed up."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def read_rdf(raw: bytes, syntax: str, language: str | None = None, catalogue: str | None = None,
             into_models: bool = True) -> Reading:
    """Read an RDF document (`ttl`, `nt`, `jsonld`, `rdfxml`) leniently; FormatError only when
    it is not a document of that syntax at all. `language` is the language of untagged text
    (none by default: such text stays untagged). `catalogue` restricts the services to those
    of one dcat:Dataset when the document holds several. `into_models=False` finds the members
    without reading each into our model (`data`, `models` and `problems` stay empty): what
    the `cpsv-ap` profile needs, which asks nothing of our model."""
    graph = parse(raw, "ttl" if syntax == "ttl-2.2.1" else syntax)
    reading = Reading(graph, syntax)
    if is_2_2_1(graph):
        reading.graph, renames = upgrade(graph)
        reading.version = "2.2.1"
        reading.notes += [Note(_node_named(text), text, "upgrade") for text in renames]
    if language:
        tag_untagged(reading.graph, language)
    _find_members(reading, catalogue)
    if into_models:
        reached = _Reached(Graph(), set(), set())
        for collection in MEMBER_COLLECTIONS:
            for node in reading.members[collection]:
                _read_member(reading, collection, node, language, reached)
        for dataset in reading.graph.subjects(RDF.type, DCAT.Dataset):
            _read_member(reading, "catalogue", dataset, language, reached)
        reading.leftovers = _leftovers(reading.graph, reached)
    if syntax != "jsonld":  # JSON-LD names nodes in a tree, not on lines of their own
        reading.raw = raw
    return reading


def _find_members(reading: Reading, catalogue: str | None) -> None:
    graph = reading.graph
    for collection in MEMBER_COLLECTIONS:
        nodes = {node for cls in COLLECTION_CLASSES[collection] for node in graph.subjects(RDF.type, cls)}
        reading.members[collection] = sorted(nodes, key=lambda n: (isinstance(n, BNode), str(n)))
    if catalogue is not None:
        dataset = URIRef(catalogue)
        if (dataset, RDF.type, DCAT.Dataset) not in graph:
            raise LookupError(f"no dcat:Dataset <{catalogue}> in the document")
        parts = {*graph.objects(dataset, DCT.hasPart), *graph.subjects(DCT.isPartOf, dataset)}
        reading.members["services"] = [s for s in reading.members["services"] if s in parts]


@dataclass
class _Reached:
    """What reading the members left over, and the nodes it read (as members or as values)."""

    leftovers: Graph
    nodes: set[Any]
    value_nodes: set[Any]


def _read_member(reading: Reading, collection: str, node: Any, language: str | None, reached: _Reached) -> None:
    """Read one member on its own: its failure is its own, never its neighbours'. The dataset
    (`collection` "catalogue") is read only for what it leaves over."""
    reader = GraphReader(reading.graph, Iris(), untagged=language)
    model = _MODELS.get(collection, Catalogue)
    try:
        data = reader.read(node, model, node if collection == "services" else None)
        data["id"] = reader.identify(node, collection)
    except Exception as exc:  # noqa: BLE001 - a node the reader cannot walk is a finding, not a crash
        reading.notes.append(Note(node_name(node), f"could not be read: {type(exc).__name__}: {str(exc)[:200]}"))
        if model is not Catalogue:
            reading.data[node] = {}
        return
    finally:
        reached.leftovers += reader.leftovers
        reached.nodes.update(reader.visited)
        reached.value_nodes.update(reader.value_nodes)
    if model is Catalogue:
        return
    reading.data[node] = data
    reading.notes += [Note(_node_named(text) or node_name(node), text) for text in reader.repairs]
    try:
        reading.models[node] = model.model_validate(data)
    except ModelError as exc:
        reading.problems[node] = [(p.path, p.message) for p in exc.problems]
    except (ValueError, TypeError, RecursionError) as exc:
        reading.problems[node] = [("", f"cannot be held by the model: {str(exc)[:200]}")]


def _leftovers(graph: Graph, reached: _Reached) -> Graph:
    """The members' leftovers and every triple of a node no member reaches (a value node's
    own label and type excepted: reading it as a value used them)."""
    found = reached.leftovers
    for subject in set(graph.subjects()) - reached.nodes:
        used = VALUE_PREDICATES if subject in reached.value_nodes else frozenset()
        for predicate, obj in graph.predicate_objects(subject):
            if predicate not in used:
                found.add((subject, predicate, obj))
    return found


def _node_named(text: str) -> str:
    found = _IRI_IN_TEXT.search(text)
    return found[1] if found else ""


@cache
def text_predicates() -> frozenset[URIRef]:
    """The predicates whose values are text in some language (dct:title, skos:prefLabel…)."""
    found = set()
    for model in _all_models():
        found |= {f.predicate for f in rdf_fields(model) if f.codec in (TEXT, WORDS)}
    return frozenset(found)


def _all_models() -> list[type[PPSModel]]:
    from ..model import base

    seen: list[type[PPSModel]] = []
    pending = list(_MODELS.values())
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            inner = base.model_inside(info.annotation)
            if inner is not None:
                pending.append(inner)
    return seen


def tag_untagged(graph: Graph, language: str) -> int:
    """Give untagged text (of text predicates) the `language` the user named; how many."""
    changed = 0
    for predicate in text_predicates():
        for s, o in list(graph.subject_objects(predicate)):
            if isinstance(o, Literal) and o.language is None and o.datatype in (None, XSD.string):
                graph.remove((s, predicate, o))
                graph.add((s, predicate, Literal(str(o), lang=language)))
                changed += 1
    return changed


__all__ = ["CPSV", "MEMBER_COLLECTIONS", "Note", "Reading", "read_rdf", "tag_untagged"]
