"""RDF documents ↔ rdflib graphs, in Turtle, N-Triples, JSON-LD and RDF/XML, safely.

Parsing never reaches the network: RDF/XML with a DOCTYPE is refused (no entities), and a
JSON-LD document may only name our own context, which is read from the package. Literals
keep the lexical form they were written in (rdflib would turn `PT90M` into `PT1H30M`).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import warnings
from xml.sax import SAXException
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any

import rdflib
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.exceptions import Error as RdflibError
from rdflib.namespace import XSD
from rdflib.plugin import Serializer, register
from rdflib.plugins.serializers.turtle import TurtleSerializer

from ...errors import FormatError, MalformedError
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


def _not_about_bad_terms(record: logging.LogRecord) -> bool:
    message = str(record.msg)
    return not (message.startswith("Failed to convert Literal lexical form") or "does not look like a valid URI" in message)


# rdflib logs a warning (with a traceback) for every literal whose text is not of its datatype
# (a processing time of P999999999999D) and every IRI with a character IRIs cannot hold. These
# are findings of the shapes, or refused when writing, not crashes to show to the person running `pps`.
logging.getLogger("rdflib.term").addFilter(_not_about_bad_terms)


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
    """`graph` as a document in `syntax` (`ttl`, `nt`, `jsonld` or `rdfxml`); FormatError
    when the syntax cannot carry what the graph says (an IRI with a space or a quote in it;
    in RDF/XML also control characters and properties whose IRI has no XML name)."""
    try:
        if syntax == "jsonld":
            return graph.serialize(format="json-ld", context=context(), indent=1, auto_compact=True)
        if syntax == "rdfxml":
            _refuse_non_xml(graph)
        return graph.serialize(format=SYNTAXES[syntax][0])
    except FormatError:
        raise
    except Exception as exc:  # rdflib raises bare Exceptions ("does not look like a valid URI", "Can't split")
        hint = "; a property whose IRI ends in '/' or '#' has no XML name" if "split" in str(exc) else ""
        raise FormatError(f"cannot be written as {_SYNTAX_NAMES[syntax]}: {_reason(exc)}{hint}") from None


_SYNTAX_NAMES = {"ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "rdfxml": "RDF/XML"}


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _refuse_non_xml(graph: Graph) -> None:
    """FormatError naming the first triple with a character XML 1.0 cannot hold: rdflib would
    write it as it is, and the file would not be XML."""
    for triple in graph:
        for term in triple:
            bad = _NOT_XML.search(term)
            if bad:
                s, p, o = triple
                raise FormatError(f"<{s}> <{p}>: holds U+{ord(bad[0]):04X}, a character XML 1.0 cannot carry; "
                                  "remove it or write Turtle, N-Triples or JSON-LD")


def refuse_ill_typed(graph: Graph) -> None:
    """FormatError if a literal's text is not of its datatype (RDF tools, and the shapes, would
    reject the document): what the SDK writes, it must be able to read as valid."""
    for s, p, o in graph:
        if isinstance(o, Literal) and o.ill_typed:
            raise FormatError(f"<{s}> <{p}>: {str(o)[:80]!r} is not a valid {o.datatype}")


@contextmanager
def lexical_literals() -> Iterator[None]:
    """Keep literals as written while parsing (`"01"^^xsd:integer` stays `01`), so that what
    a document says can be checked as it says it.

    rdflib has no such switch per parse, only `rdflib.NORMALIZE_LITERALS` for the whole
    process: it is turned off for the parse alone, one parse at a time (the lock), and put
    back after. rdflib code running at the same time in another thread would keep literals
    as written too, which only keeps more of what documents say."""
    with _literal_lock:
        before = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False
        try:
            yield
        finally:
            rdflib.NORMALIZE_LITERALS = before


PARSER_ERRORS = (SyntaxError, ValueError, TypeError, LookupError, AttributeError, UnicodeError, RdflibError, SAXException)
"""What rdflib's parsers raise for input they cannot read: their own errors (BadSyntax is a
SyntaxError), the XML parser's, and the built-in errors the Turtle, RDF/XML and JSON-LD
parsers let through on odd input (a list where a dictionary was expected, an unknown prefix).
Anything else is a fault of ours and is not taken for a bad document."""


def parse(raw: bytes, syntax: str) -> Graph:
    """Parse a document in `syntax` into a graph; FormatError says what is wrong with it."""
    graph = Graph()
    if syntax == "rdfxml":
        parse_xml(raw)  # refuses DOCTYPE (entities), malformed and hostile XML first
    data: Any = raw
    if syntax == "jsonld":
        document = _json(raw)
        if not isinstance(document, (dict, list)):  # rdflib's parser fails on these with an error of its own
            raise MalformedError("not valid JSON-LD: a JSON-LD document is an object or an array")
        _refuse_deep(document)
        data = json.dumps(_local_contexts(document))
    try:
        with lexical_literals(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's JSON-LD parser uses its own deprecated parts
            if syntax == "jsonld":  # what a named graph says belongs to the document as much as its default graph
                dataset = Dataset()
                dataset.parse(data=data, format=_PARSERS[syntax])
                for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
                    graph.add((subject, predicate, obj))
            else:
                graph.parse(data=data, format=_PARSERS[syntax])
    except FormatError:
        raise
    except RecursionError:
        raise MalformedError(f"the {syntax} document is nested too deeply") from None
    except PARSER_ERRORS as exc:
        raise MalformedError(f"not a valid {syntax} document: {_reason(exc)}") from None
    return graph


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except RecursionError:
        raise MalformedError(f"not valid JSON-LD: nested more than {MAX_JSONLD_DEPTH} levels deep") from None
    except ValueError as exc:
        raise MalformedError(f"not valid JSON: {exc}") from None


MAX_JSONLD_DEPTH = 100
"""Deepest nesting of objects and arrays read in JSON-LD: rdflib's parser recurses into each
level (and would exhaust the stack), while real catalogues nest less than ten levels."""


def _refuse_deep(document: Any) -> None:
    """MalformedError if `document` nests deeper than MAX_JSONLD_DEPTH; checked without recursion."""
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSONLD_DEPTH:
            raise MalformedError(f"not valid JSON-LD: nested more than {MAX_JSONLD_DEPTH} levels deep")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


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
        raise MalformedError(f"the JSON-LD document names a remote context {value!r}, which is not fetched; "
                          "put the context in the document itself")
    if isinstance(value, dict):
        if "@import" in value:
            raise MalformedError("the JSON-LD context imports another context (@import), which is not fetched")
        # A term definition may carry a context of its own (a scoped context), at any depth.
        return {key: _term_definition(item) for key, item in value.items()}
    return value


def _term_definition(value: Any) -> Any:
    if isinstance(value, dict) and "@context" in value:
        return {key: _context_value(item) if key == "@context" else item for key, item in value.items()}
    return value


def _reason(exc: BaseException) -> str:
    """What a parser's error says, on one line: rdflib's Turtle errors put the line on the
    first line and the reason on the next (`at line 3 of <>:` / `Bad syntax (…) at ^ in: …`)."""
    why = getattr(exc, "_why", None)  # rdflib's BadSyntax
    line = getattr(exc, "lines", None)
    if isinstance(why, str) and isinstance(line, int):
        return f"line {line + 1}: {why}"
    text = " ".join(part.strip() for part in str(exc).splitlines() if part.strip()) or type(exc).__name__
    return text[:300]
