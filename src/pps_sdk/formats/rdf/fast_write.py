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
from .iris import DEFAULT_BASE, UncheckedIris
from .syntax import _NOT_XML, _SYNTAX_NAMES
from .writer import GraphWriter, write_model

RDF_TYPE = URIRef(NAMESPACES["rdf"] + "type")
XSD_STRING = URIRef(NAMESPACES["xsd"] + "string")

# What an IRI in angle brackets cannot hold (Turtle and N-Triples IRIREF).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# A local name safe in every syntax: Turtle's PN_LOCAL, JSON-LD's compact IRIs and XML's NCName.
_SAFE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
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

    writer = GraphWriter(Sink, UncheckedIris(base, vocabulary), PlainTerms())
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


def _literal(term: Any) -> tuple[str, str | None, Any] | None:
    """`term` as `(text, language, datatype)` if it is a literal, else None (an IRI or a blank node)."""
    kind = type(term)
    if kind is tuple:
        return term
    if kind is URIRef or kind is Blank:
        return None
    return plain_literal(term)


def _is_blank(term: Any) -> bool:
    return type(term) is Blank or isinstance(term, BNode)


class _Writer:
    """One syntax: the text before the triples, each member's triples, the text after.
    (Terms go into text through f-strings: `+` on an rdflib IRI makes another IRI.)

    Predicates, classes and datatypes are few and the graph writer gives each as one object,
    so their text is made once and found again by identity."""

    def __init__(self, vocabulary: str) -> None:
        self.prefixes = {prefix: vocabulary if prefix == "pps" else namespace for prefix, namespace in NAMESPACES.items()}
        self._names: dict[str, str | None] = {}
        self.predicates: dict[Any, Any] = {}  # predicate → its text
        self.classes: dict[Any, str] = {}  # class → its text as an object of rdf:type
        self.datatypes: dict[Any, str] = {}  # datatype → what follows a literal's text

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

    @staticmethod
    def once(made: dict[Any, Any], term: Any, make: Callable[[Any], Any]) -> Any:
        """`make(term)`, remembered in `made` (predicates, classes or datatypes: few)."""
        found = made.get(term)
        if found is None:
            found = make(term)
            if len(made) < 10_000:
                made[term] = found
        return found

    def begin(self) -> str:
        return ""

    def end(self) -> str:
        return ""

    def chunk(self, groups: dict[Any, list[tuple[Any, Any]]]) -> str:
        raise NotImplementedError


def _is_type(predicate: Any) -> bool:
    return str.__eq__(predicate, RDF_TYPE)


class NTriplesWriter(_Writer):
    def node(self, term: Any) -> str:
        """A subject, or an object that is not a literal."""
        if type(term) is not URIRef and _is_blank(term):
            return f"_:{term}"
        return f"<{_iri(term)}>"

    def predicate(self, term: Any) -> str:
        return f"<{_iri(term)}>"

    def datatype(self, term: Any) -> str:
        return "" if term is None or str.__eq__(term, XSD_STRING) else f"^^<{_iri(term)}>"

    def value(self, term: Any) -> str:
        kind = type(term)
        if kind is tuple:
            text, lang, datatype = term
        elif kind is URIRef:
            return f"<{_iri(term)}>"
        elif kind is Blank:
            return f"_:{term}"
        else:
            literal = plain_literal(term)
            if literal is None:
                return self.node(term)
            text, lang, datatype = literal
        if lang:
            return f"{encode_basestring(text)}@{lang}"
        if datatype is None:
            return encode_basestring(text)
        return encode_basestring(text) + self.once(self.datatypes, datatype, self.datatype)

    def chunk(self, groups: dict[Any, list[tuple[Any, Any]]]) -> str:
        once, predicates, predicate, value = self.once, self.predicates, self.predicate, self.value
        lines = []
        add = lines.append
        for s, pairs in groups.items():
            subject = self.node(s)
            for p, o in pairs:
                add(f"{subject} {predicates.get(p) or once(predicates, p, predicate)} {value(o)} .\n")
        return "".join(lines)


class TurtleWriter(NTriplesWriter):
    def begin(self) -> str:
        return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in self.prefixes.items()) + "\n"

    def name(self, iri: Any) -> str:
        return self.prefixed(iri) or f"<{_iri(iri)}>"

    def predicate(self, term: Any) -> str:
        return "a" if _is_type(term) else self.name(term)

    def datatype(self, term: Any) -> str:
        return "" if term is None or str.__eq__(term, XSD_STRING) else f"^^{self.name(term)}"

    def class_name(self, term: Any) -> str:
        return self.node(term) if _is_blank(term) or _literal(term) is not None else self.name(term)

    def chunk(self, groups: dict[Any, list[tuple[Any, Any]]]) -> str:
        once, predicates, predicate, value, class_name = self.once, self.predicates, self.predicate, self.value, self.class_name
        blocks = []
        for s, pairs in groups.items():
            by_predicate: dict[str, list[str]] = {}
            for p, o in pairs:
                key = predicates.get(p) or once(predicates, p, predicate)
                text = value(o) if key != "a" else once(self.classes, o, class_name) if type(o) is URIRef else value(o)
                objects = by_predicate.get(key)
                if objects is None:
                    by_predicate[key] = [text]
                else:
                    objects.append(text)
            lines = [f"    {key} {', '.join(objects)}" for key, objects in by_predicate.items()]
            blocks.append(self.node(s) + "\n" + " ;\n".join(lines) + " .\n\n")
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

    def predicate(self, term: Any) -> str:
        return "" if _is_type(term) else self.key(term)  # "": rdf:type, written as @type

    def reference(self, term: Any) -> str:
        if type(term) is not URIRef and _is_blank(term):
            return encode_basestring(f"_:{term}")
        return encode_basestring(_iri(term))

    def datatype(self, term: Any) -> str:
        return "" if term is None or str.__eq__(term, XSD_STRING) else self.key(term)

    def value(self, term: Any) -> str:
        kind = type(term)
        if kind is tuple:
            text, lang, datatype = term
        elif kind is URIRef:
            return '{"@id": ' + encode_basestring(_iri(term)) + "}"
        else:
            literal = plain_literal(term)
            if literal is None:
                return '{"@id": ' + self.reference(term) + "}"
            text, lang, datatype = literal
        if lang:
            return '{"@value": ' + encode_basestring(text) + ', "@language": ' + encode_basestring(lang) + "}"
        datatype = self.once(self.datatypes, datatype, self.datatype)
        if not datatype:
            return encode_basestring(text)
        return '{"@type": ' + datatype + ', "@value": ' + encode_basestring(text) + "}"

    def chunk(self, groups: dict[Any, list[tuple[Any, Any]]]) -> str:
        once, predicates, predicate, value = self.once, self.predicates, self.predicate, self.value
        nodes = []
        for s, pairs in groups.items():
            types: list[str] = []
            by_predicate: dict[str, list[str]] = {}
            for p, o in pairs:
                key = predicates.get(p)
                if key is None:
                    key = once(predicates, p, predicate)
                if not key and _literal(o) is None:
                    types.append(once(self.classes, o, self.key) if type(o) is URIRef else self.reference(o))
                    continue
                if not key:
                    key = self.key(p)
                objects = by_predicate.get(key)
                if objects is None:
                    by_predicate[key] = [value(o)]
                else:
                    objects.append(value(o))
            # @type first: the streaming form of JSON-LD, which readers can take node by node.
            members = ['"@type": [' + ", ".join(types) + "]"] if types else []
            members.append('"@id": ' + self.reference(s))
            members += [f"{key}: [" + ", ".join(values) + "]" for key, values in by_predicate.items()]
            nodes.append("\n  {" + ",\n   ".join(members) + "}")
        text = ",".join(nodes)
        if nodes and not self.first:
            text = "," + text
        self.first = self.first and not nodes
        return text


class RdfXmlWriter(_Writer):
    def begin(self) -> str:
        namespaces = "".join(f'\n   xmlns:{prefix}="{_attribute(namespace)}"' for prefix, namespace in self.prefixes.items())
        return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{namespaces}>\n'

    def end(self) -> str:
        return "</rdf:RDF>\n"

    def element(self, predicate: str) -> tuple[str, str]:
        """The element name of a property, and the name with the namespace it declares (if not one of ours)."""
        found = self.prefixed(predicate)
        if found:
            return found, found
        _iri(predicate)
        match = re.search(r"[A-Za-z_][A-Za-z0-9_.-]*$", predicate)
        if match is None or match.start() == 0:
            raise FormatError(f"<{predicate}>: a property whose IRI does not end in an XML name cannot be an RDF/XML element")
        return f"ns:{match[0]}", f'ns:{match[0]} xmlns:ns="{_attribute(predicate[:match.start()])}"'

    def node(self, term: Any, about: str) -> str:
        if type(term) is not URIRef and _is_blank(term):
            return f'rdf:nodeID="{term}"'
        return f'{about}="{_attribute(_iri(term))}"'

    def datatype(self, term: Any) -> str:
        return "" if term is None or str.__eq__(term, XSD_STRING) else f' rdf:datatype="{_attribute(_iri(term))}"'

    def chunk(self, groups: dict[Any, list[tuple[Any, Any]]]) -> str:
        once, predicates, element = self.once, self.predicates, self.element
        parts = []
        add = parts.append
        for s, pairs in groups.items():
            add(f"  <rdf:Description {self.node(s, 'rdf:about')}>\n")
            for p, o in pairs:
                name, opening = predicates.get(p) or once(predicates, p, element)
                literal = _literal(o)
                if literal is None:
                    add(f"    <{opening} {self.node(o, 'rdf:resource')}/>\n")
                    continue
                text, lang, datatype = literal
                attribute = f' xml:lang="{_attribute(lang)}"' if lang else once(self.datatypes, datatype, self.datatype)
                add(f"    <{opening}{attribute}>{_xml_text(text)}</{name}>\n")
            add("  </rdf:Description>\n")
        return "".join(parts)


def _xml_safe(text: str) -> str:
    bad = _NOT_XML.search(text)
    if bad:
        raise FormatError(f"{text[:40]!r} holds U+{ord(bad[0]):04X}, a character XML 1.0 cannot carry; "
                          "remove it or write Turtle, N-Triples or JSON-LD")
    return text


def _xml_text(text: str) -> str:
    if _XML_TEXT.search(_xml_safe(text)):
        return _XML_TEXT.sub(_xml_escape, text)
    return text


def _attribute(text: str) -> str:
    if _XML_ATTRIBUTE.search(_xml_safe(text)):
        return _XML_ATTRIBUTE.sub(_xml_escape, text)
    return text


def _xml_escape(match: re.Match[str]) -> str:
    return _XML_ESCAPES[match[0]]


_WRITERS: dict[str, Callable[[str], _Writer]] = {
    "ttl": TurtleWriter, "nt": NTriplesWriter, "jsonld": JsonLdWriter, "rdfxml": RdfXmlWriter}


def chunks(groups: Iterable[dict[Any, list[tuple[Any, Any]]]], syntax: str, vocabulary: str = PPS_VOCABULARY) -> Iterable[str]:
    """The text of triples already grouped by subject (for tests and tools that hold triples)."""
    writer = _WRITERS[syntax](vocabulary)
    yield writer.begin()
    for group in groups:
        yield writer.chunk(group)
    yield writer.end()
