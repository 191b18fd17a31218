"""RDF documents ↔ rdflib graphs, in Turtle, N-Triples, JSON-LD and RDF/XML, safely.

Parsing never reaches the network: RDF/XML with a DOCTYPE is refused (no entities), and a
JSON-LD document may only name our own context, which is read from the package. Literals
keep the lexical form they were written in (rdflib would turn `PT90M` into `PT1H30M`).
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any

import rdflib
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugin import Serializer, register
from rdflib.plugins.serializers.turtle import TurtleSerializer

from ...errors import FormatError
from ...vocab import NAMESPACES, PPS_VOCABULARY
from ..safe_xml import parse_xml

CONTEXT_URL = "https://w3id.org/pps-lv/context.jsonld"
"""The IRI our JSON-LD context is known by; readers use the copy shipped in the package."""

# Our name for a syntax → (rdflib's name, file suffixes).
SYNTAXES = {
    "ttl": ("pps-turtle", (".ttl",)),
    "nt": ("nt", (".nt",)),
    "jsonld": ("json-ld", (".jsonld", ".json-ld")),
    "rdfxml": ("xml", (".rdf", ".owl")),
}
_PARSERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
_literal_lock = threading.Lock()


class PreciseTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle, except that doubles keep every digit (rdflib rounds them to seven),
    and IRIs outside the bound namespaces are written in full without asking rdflib for a
    prefixed name: rdflib remembers every namespace it is asked about and searches them all
    for each new IRI, which makes a catalogue's thousands of service IRIs quadratic."""

    def serialize(self, *args: Any, **kwargs: Any) -> None:
        self._bound = tuple(str(namespace) for _, namespace in self.store.namespaces())
        super().serialize(*args, **kwargs)

    def get_pname(self, uri: Any, gen_prefix: bool = True) -> Any:
        if isinstance(uri, URIRef) and not str.startswith(uri, self._bound):
            return None
        return super().get_pname(uri, gen_prefix)

    def label(self, node: Any, position: int) -> str:
        if isinstance(node, Literal) and node.datatype == XSD.double:
            return node._literal_n3(use_plain=False, qname_callback=lambda dt: self.get_pname(dt, True))
        return super().label(node, position)


register("pps-turtle", Serializer, __name__, "PreciseTurtleSerializer")


@cache
def context() -> dict[str, Any]:
    """Our JSON-LD context (`schemas/pps-context.jsonld`), as shipped in the package."""
    text = resources.files("pps_sdk.schemas").joinpath("pps-context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)["@context"]


def bind_prefixes(graph: Graph, vocabulary: str = PPS_VOCABULARY) -> None:
    """Give the graph the prefixes of CPSV-AP and ours, so documents are readable."""
    for prefix, namespace in NAMESPACES.items():
        graph.bind(prefix, vocabulary if prefix == "pps" else namespace, override=True, replace=True)


def serialize(graph: Graph, syntax: str) -> str:
    """`graph` as a document in `syntax` (`ttl`, `nt`, `jsonld` or `rdfxml`)."""
    if syntax == "jsonld":
        return graph.serialize(format="json-ld", context=context(), indent=1, auto_compact=True)
    return graph.serialize(format=SYNTAXES[syntax][0])


@contextmanager
def lexical_literals() -> Iterator[None]:
    """Keep literals as written while parsing (rdflib's setting is global, hence the lock)."""
    with _literal_lock:
        before = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False
        try:
            yield
        finally:
            rdflib.NORMALIZE_LITERALS = before


def parse(raw: bytes, syntax: str) -> Graph:
    """Parse a document in `syntax` into a graph; FormatError says what is wrong with it."""
    graph = Graph()
    if syntax == "rdfxml":
        parse_xml(raw)  # refuses DOCTYPE (entities), malformed and hostile XML first
    data: Any = raw
    if syntax == "jsonld":
        data = json.dumps(_local_contexts(_json(raw)))
    try:
        with lexical_literals(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's JSON-LD parser uses its own deprecated parts
            graph.parse(data=data, format=_PARSERS[syntax])
    except FormatError:
        raise
    except RecursionError:
        raise FormatError(f"the {syntax} document is nested too deeply") from None
    except Exception as exc:  # rdflib's parsers raise many kinds of error for bad input
        raise FormatError(f"not a valid {syntax} document: {_first_line(exc)}") from None
    return graph


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise FormatError(f"not valid JSON: {exc}") from None


def _local_contexts(document: Any) -> Any:
    """`document` with our context inlined; any other remote context is refused, not fetched."""
    if isinstance(document, list):
        return [_local_contexts(item) for item in document]
    if not isinstance(document, dict):
        return document
    result = {}
    for key, value in document.items():
        if key == "@context":
            result[key] = _context_value(value)
        else:
            result[key] = _local_contexts(value)
    return result


def _context_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_context_value(item) for item in value]
    if isinstance(value, str):
        if value == CONTEXT_URL:
            return context()
        raise FormatError(f"the JSON-LD document names a remote context {value!r}, which is not fetched; "
                          "put the context in the document itself")
    if isinstance(value, dict):
        if "@import" in value:
            raise FormatError("the JSON-LD context imports another context (@import), which is not fetched")
        # A term definition may carry a context of its own (a scoped context), at any depth.
        return {key: _term_definition(item) for key, item in value.items()}
    return value


def _term_definition(value: Any) -> Any:
    if isinstance(value, dict) and "@context" in value:
        return {key: _context_value(item) if key == "@context" else item for key, item in value.items()}
    return value


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
