"""Models → Turtle, N-Triples, JSON-LD and RDF/XML text, written straight from the triples the
graph writer makes, one catalogue member at a time, without building a graph.

The triples are the same as `to_graph` makes (the same `GraphWriter` makes them); only the
terms are lighter: a literal is a `(text, language, datatype)` tuple and a blank node a
numbered label. Each member's triples are grouped by subject and written as soon as the
member is done, so a catalogue of any size needs memory for one member and the text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from json.encoder import encode_basestring
from typing import IO, Any

from rdflib import BNode, Literal, URIRef

from ...errors import FormatError
from ...model import PPSModel
from ...vocab import NAMESPACES, PPS_VOCABULARY
from .iris import DEFAULT_BASE, Iris
from .syntax import _NOT_XML, _SYNTAX_NAMES
from .writer import GraphWriter, write_model

RDF_TYPE = URIRef(NAMESPACES["rdf"] + "type")
XSD_STRING = URIRef(NAMESPACES["xsd"] + "string")

# What an IRI in angle brackets cannot hold (Turtle and N-Triples IRIREF).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# A local name safe in every syntax: Turtle's PN_LOCAL, JSON-LD's compact IRIs and XML's NCName.
_SAFE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_ESCAPED = re.compile(r'[\\"\n\r]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_XML_TEXT = re.compile(r"[&<>\r]")
_XML_ATTRIBUTE = re.compile(r'[&<>"\t\n\r]')
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


class Blank(str):
    """A blank node, by its label."""

    __slots__ = ()


class PlainTerms:
    """Literals as `(text, language, datatype)` and blank nodes as `Blank` labels, numbered
    per document. A typed literal whose text is not of its datatype is refused here, as
    `refuse_ill_typed` refuses it on the rdflib path."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)

    @staticmethod
    def text(value: str, lang: str | None = None) -> tuple[str, str | None, None]:
        return (value, lang, None)

    @staticmethod
    def typed(text: str, datatype: URIRef) -> tuple[str, None, URIRef]:
        if _ill_typed(text, datatype):
            raise FormatError(f"{text[:80]!r} is not a valid {datatype}")
        return (text, None, datatype)

    def blank(self) -> Blank:
        return Blank(f"b{next(self._numbers)}")


@lru_cache(maxsize=1 << 16)
def _ill_typed(text: str, datatype: str) -> bool:
    """Whether rdflib (and so the shapes) would take `text` as not of `datatype`; the same few
    dates, times and amounts come again and again, hence the cache."""
    return bool(Literal(text, datatype=URIRef(datatype), normalize=False).ill_typed)


def plain_literal(term: Any) -> tuple[str, str | None, str | None] | None:
    """`term` as `(text, language, datatype)` if it is a literal, else None."""
    if type(term) is tuple:
        return term
    if isinstance(term, Literal):
        return (str(term), term.language, term.datatype)
    return None


# -- writing a model ------------------------------------------------------------------------

def write(obj: PPSModel, syntax: str, out: IO[str], base: str = DEFAULT_BASE, vocabulary: str = PPS_VOCABULARY) -> None:
    """Write `obj` (a Catalogue or a PublicService) as CPSV-AP 3.2.0 in `syntax` to the text
    stream `out`, member by member. FormatError when the syntax cannot carry what the model
    says (an IRI with a space in it, a duration RDF cannot hold…)."""
    syntax_writer = _WRITERS[syntax](vocabulary)
    triples: list[tuple[Any, Any, Any]] = []

    class Sink:
        add = triples.append

    def flush() -> None:
        out.write(syntax_writer.chunk(_by_subject(triples)))
        triples.clear()

    writer = GraphWriter(Sink, Iris(base, vocabulary), PlainTerms())
    writer.member_done = flush
    out.write(syntax_writer.begin())
    try:
        write_model(writer, obj)
        flush()
    except FormatError as exc:
        raise FormatError(f"cannot be written as {_SYNTAX_NAMES[syntax]}: {exc}") from None
    out.write(syntax_writer.end())


def _by_subject(triples: list[tuple[Any, Any, Any]]) -> dict[Any, list[tuple[Any, Any]]]:
    groups: dict[Any, list[tuple[Any, Any]]] = {}
    for s, p, o in triples:
        group = groups.get(s)
        if group is None:
            groups[s] = [(p, o)]
        else:
            group.append((p, o))
    return groups


def _iri(term: Any) -> str:
    if _NOT_IN_IRI.search(term):
        raise FormatError(f"<{term}> is not a valid IRI (it holds a space, a quote or another character IRIs cannot)")
    return term


def _quoted(text: str) -> str:
    if _ESCAPED.search(text):
        text = _ESCAPED.sub(lambda m: _ESCAPES[m[0]], text)
    return f'"{text}"'


class _Writer:
    """One syntax: the text before the triples, each member's triples, the text after."""

    def __init__(self, vocabulary: str) -> None:
        self.prefixes = {prefix: vocabulary if prefix == "pps" else namespace for prefix, namespace in NAMESPACES.items()}
        self._names: dict[str, str | None] = {}

    def prefixed(self, iri: str) -> str | None:
        """`prefix:local` for an IRI in one of our namespaces with a plain local name, else None."""
        found = self._names.get(iri, "")
        if found == "":
            found = None
            for prefix, namespace in self.prefixes.items():
                if iri.startswith(namespace) and _SAFE_LOCAL.fullmatch(iri, len(namespace)):
                    found = f"{prefix}:{iri[len(namespace):]}"
                    break
            if len(self._names) < 10_000:  # predicates, classes and datatypes: few
                self._names[iri] = found
        return found

    def begin(self) -> str:
        return ""

    def end(self) -> str:
        return ""

    def chunk(self, groups: dict[Any, list[tuple[Any, Any]]]) -> str:
        raise NotImplementedError


class NTriplesWriter(_Writer):
    def term(self, term: Any) -> str:
        kind = type(term)
        if kind is Blank:
            return f"_:{term}"
        if kind is URIRef:
            return f"<{_iri(term)}>"
        if isinstance(term, BNode):
            return f"_:{term}"
        literal = plain_literal(term)
        if literal is None:
            return f"<{_iri(term)}>"
        text, lang, datatype = literal
        if lang:
            return f"{_quoted(text)}@{lang}"
        if datatype is None or datatype == XSD_STRING:
            return _quoted(text)
        return f"{_quoted(text)}^^<{_iri(datatype)}>"

    def chunk(self, groups: dict[Any, list[tuple[Any, Any]]]) -> str:
        term = self.term
        lines = []
        for s, pairs in groups.items():
            subject = term(s)
            lines.extend(f"{subject} {term(p)} {term(o)} .\n" for p, o in pairs)
        return "".join(lines)


class TurtleWriter(NTriplesWriter):
    def begin(self) -> str:
        return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in self.prefixes.items()) + "\n"

    def name(self, iri: Any) -> str:
        return self.prefixed(iri) or f"<{_iri(iri)}>"

    def term(self, term: Any) -> str:
        literal = plain_literal(term)
        if literal is not None and not literal[1] and literal[2] is not None and literal[2] != XSD_STRING:
            return f"{_quoted(literal[0])}^^{self.name(literal[2])}"
        return super().term(term)

    def chunk(self, groups: dict[Any, list[tuple[Any, Any]]]) -> str:
        term, name = self.term, self.name
        blocks = []
        for s, pairs in groups.items():
            by_predicate: dict[Any, list[str]] = {}
            for p, o in pairs:
                objects = by_predicate.get(p)
                value = name(o) if p == RDF_TYPE and type(o) is URIRef else term(o)
                if objects is None:
                    by_predicate[p] = [value]
                else:
                    objects.append(value)
            lines = [f"    {'a' if p == RDF_TYPE else name(p)} {', '.join(objects)}" for p, objects in by_predicate.items()]
            blocks.append(f"{term(s)}\n" + " ;\n".join(lines) + " .\n\n")
        return "".join(blocks)


class JsonLdWriter(_Writer):
    """A flat `@graph` of node objects under a context of our prefixes (as our context file),
    in the streaming form (`@type` before the other keys)."""

    def begin(self) -> str:
        self.first = True
        context = ",\n".join(f'  {encode_basestring(prefix)}: {encode_basestring(namespace)}'
                             for prefix, namespace in self.prefixes.items())
        return '{\n "@context": {\n' + context + '\n },\n "@graph": ['

    def end(self) -> str:
        return "\n ]\n}\n"

    def key(self, iri: Any) -> str:
        return encode_basestring(self.prefixed(iri) or _iri(iri))

    def reference(self, term: Any) -> str:
        if type(term) is Blank or isinstance(term, BNode):
            return encode_basestring(f"_:{term}")
        return encode_basestring(_iri(term))

    def value(self, term: Any) -> str:
        literal = plain_literal(term)
        if literal is None:
            return '{"@id": ' + self.reference(term) + "}"
        text, lang, datatype = literal
        if lang:
            return '{"@value": ' + encode_basestring(text) + ', "@language": ' + encode_basestring(lang) + "}"
        if datatype is None or datatype == XSD_STRING:
            return encode_basestring(text)
        return '{"@type": ' + self.key(datatype) + ', "@value": ' + encode_basestring(text) + "}"

    def chunk(self, groups: dict[Any, list[tuple[Any, Any]]]) -> str:
        nodes = []
        for s, pairs in groups.items():
            types: list[str] = []
            by_predicate: dict[Any, list[str]] = {}
            for p, o in pairs:
                if p == RDF_TYPE and plain_literal(o) is None:
                    types.append(self.key(o) if type(o) is URIRef else self.reference(o))
                else:
                    by_predicate.setdefault(p, []).append(self.value(o))
            # @type first: the streaming form of JSON-LD, which readers can take node by node.
            members = ['"@type": [' + ", ".join(types) + "]"] if types else []
            members.append('"@id": ' + self.reference(s))
            members += [f"{self.key(p)}: [" + ", ".join(values) + "]" for p, values in by_predicate.items()]
            nodes.append("\n  {" + ",\n   ".join(members) + "}")
        text = ",".join(nodes)
        if nodes and not self.first:
            text = "," + text
        self.first = self.first and not nodes
        return text


class RdfXmlWriter(_Writer):
    def __init__(self, vocabulary: str) -> None:
        super().__init__(vocabulary)
        self._elements: dict[str, tuple[str, str]] = {}

    def begin(self) -> str:
        namespaces = "".join(f'\n   xmlns:{prefix}="{_attribute(namespace)}"' for prefix, namespace in self.prefixes.items())
        return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{namespaces}>\n'

    def end(self) -> str:
        return "</rdf:RDF>\n"

    def element(self, predicate: str) -> tuple[str, str]:
        """The element name of a property, and the namespace it declares (if not one of ours)."""
        found = self._elements.get(predicate)
        if found is None:
            found = self._elements[predicate] = self._element(predicate)
        return found

    def _element(self, predicate: str) -> tuple[str, str]:
        found = self.prefixed(predicate)
        if found:
            return found, ""
        _iri(predicate)
        match = re.search(r"[A-Za-z_][A-Za-z0-9_.-]*$", predicate)
        if match is None or match.start() == 0:
            raise FormatError(f"<{predicate}>: a property whose IRI does not end in an XML name cannot be an RDF/XML element")
        return f"ns:{match[0]}", f' xmlns:ns="{_attribute(predicate[:match.start()])}"'

    def node(self, term: Any, about: str) -> str:
        if type(term) is Blank or isinstance(term, BNode):
            return f'rdf:nodeID="{term}"'
        return f'{about}="{_attribute(_iri(term))}"'

    def chunk(self, groups: dict[Any, list[tuple[Any, Any]]]) -> str:
        parts = []
        for s, pairs in groups.items():
            parts.append(f"  <rdf:Description {self.node(s, 'rdf:about')}>\n")
            for p, o in pairs:
                name, declaration = self.element(p)
                literal = plain_literal(o)
                if literal is None:
                    parts.append(f"    <{name}{declaration} {self.node(o, 'rdf:resource')}/>\n")
                    continue
                text, lang, datatype = literal
                if lang:
                    attribute = f' xml:lang="{_attribute(lang)}"'
                elif datatype is None or datatype == XSD_STRING:
                    attribute = ""
                else:
                    attribute = f' rdf:datatype="{_attribute(_iri(datatype))}"'
                parts.append(f"    <{name}{declaration}{attribute}>{_xml_text(text)}</{name}>\n")
            parts.append("  </rdf:Description>\n")
        return "".join(parts)


def _xml_safe(text: str) -> str:
    bad = _NOT_XML.search(text)
    if bad:
        raise FormatError(f"{text[:40]!r} holds U+{ord(bad[0]):04X}, a character XML 1.0 cannot carry; "
                          "remove it or write Turtle, N-Triples or JSON-LD")
    return text


def _xml_text(text: str) -> str:
    return _XML_TEXT.sub(lambda m: _XML_ESCAPES[m[0]], _xml_safe(text))


def _attribute(text: str) -> str:
    return _XML_ATTRIBUTE.sub(lambda m: _XML_ESCAPES[m[0]], _xml_safe(text))


_WRITERS: dict[str, Callable[[str], _Writer]] = {
    "ttl": TurtleWriter, "nt": NTriplesWriter, "jsonld": JsonLdWriter, "rdfxml": RdfXmlWriter}


def chunks(groups: Iterable[dict[Any, list[tuple[Any, Any]]]], syntax: str, vocabulary: str = PPS_VOCABULARY) -> Iterable[str]:
    """The text of triples already grouped by subject (for tests and tools that hold triples)."""
    writer = _WRITERS[syntax](vocabulary)
    yield writer.begin()
    for group in groups:
        yield writer.chunk(group)
    yield writer.end()
