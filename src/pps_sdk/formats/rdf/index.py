"""A light, read-only set of triples: what the readers ask of an rdflib Graph, at a fraction
of its time and memory.

`TripleIndex.from_ntriples` takes the lines of canonical N-Triples that pyoxigraph writes of
what it parses (made in Rust, read here with plain string splits: much faster than asking
pyoxigraph's Python objects for their parts); `from_quads` reads pyoxigraph's quads as such lines. Each
distinct term becomes one rdflib term, made once, so the reader sees the same terms as on an
rdflib graph; triples are kept as predicate, object, predicate, object… under their subject (a
flat list: no tuple per triple), and looked
up by object only for the few predicates a reader asks that way (`rdf:type`,
`dct:isPartOf`…), indexed on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ...vocab import PPS_VOCABULARY

Pair = tuple[Any, Any]
_XSD_STRING = str(XSD.string)


class TripleIndex:
    """Triples by subject, with the methods of rdflib's Graph the readers use: `subjects`,
    `objects`, `predicate_objects`, `subject_objects`, `value`, `triples`, `in`, `len` and
    iteration. `to_rdflib()` gives a real Graph for what needs one (pyshacl, the 2.2.1 upgrade)."""

    def __init__(self) -> None:
        self._by_subject: dict[Any, list[Any]] = {}  # subject → [predicate, object, predicate, object…]
        self._predicates: dict[str, Any] = {}  # key → the predicate term (one object per term)
        self._by_object: dict[Any, dict[Any, list[Any]]] = {}  # predicate → object → subjects, on first use
        self._size = 0
        self._namespaces: Any = None

    # -- building ------------------------------------------------------------------------

    @classmethod
    def from_quads(cls, quads: Iterable[Any], known: Iterable[URIRef] = ()) -> TripleIndex:
        """The triples of pyoxigraph quads (of any graph: named graphs are merged into one).

        A pyoxigraph term prints as canonical N-Triples, so the quads are read as the lines
        they print, a batch at a time, by the same reader as parsed N-Triples (`lines_reader`)."""
        lines = cls.lines_reader(known)
        quads = iter(quads)
        while batch := [f"{s} {p} {o} .\n" for s, p, o, _ in islice(quads, _BATCH)]:
            lines.add("".join(batch))
        return lines.finish()

    @classmethod
    def lines_reader(cls, known: Iterable[URIRef] = ()) -> NTriplesLines:
        """An empty index and a writable that fills it from canonical N-Triples text (`write`
        bytes as they come, then `finish()` gives the index)."""
        return NTriplesLines(cls(), known)

    @classmethod
    def from_graph(cls, graph: Graph) -> TripleIndex:
        """The triples of an rdflib Graph."""
        index = cls()
        by_subject, predicates = index._by_subject, index._predicates
        for s, p, o in graph:
            pairs = by_subject.get(s)
            if pairs is None:
                pairs = by_subject[s] = []
            pairs.append(predicates.setdefault(f"<{p}>", p))
            pairs.append(o)
        index._size = len(graph)
        return index

    def _without_repeats(self) -> int:
        """Drop triples stated twice (a graph is a set); each term is one object, so identity tells."""
        size = 0
        for key, pairs in self._by_subject.items():
            if len(pairs) > 2 and len(set(zip(map(id, pairs[0::2]), map(id, pairs[1::2])))) < len(pairs) // 2:
                seen: set[tuple[int, int]] = set()
                kept: list[Any] = []
                for p, o in _pairs(pairs):
                    if (id(p), id(o)) not in seen:
                        seen.add((id(p), id(o)))
                        kept += (p, o)
                pairs = self._by_subject[key] = kept
            size += len(pairs) // 2
        return size

    # -- asking ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[tuple[Any, Any, Any]]:
        for subject, pairs in self._by_subject.items():
            for p, o in _pairs(pairs):
                yield subject, p, o

    def __contains__(self, triple: tuple[Any, Any, Any]) -> bool:
        s, p, o = triple
        if p is not None and self._interned(p) is None:
            return False
        if s is None and o is None:
            return True
        return next(iter(self.triples(triple)), None) is not None

    def _interned(self, predicate: Any) -> Any:
        """The one term object of `predicate` in this index, or None if no triple has it."""
        return self._predicates.get(_key(predicate))

    def predicate_objects(self, subject: Any) -> Iterator[Pair]:
        return _pairs(self._by_subject.get(subject, ()))

    def predicates(self, subject: Any) -> Iterator[Any]:
        return iter(self._by_subject.get(subject, [])[0::2])

    def objects(self, subject: Any = None, predicate: Any = None) -> Iterator[Any]:
        if subject is None:
            return (o for _, p, o in self if predicate is None or p == predicate)
        pairs = self._by_subject.get(subject, [])
        if predicate is None:
            return iter(pairs[1::2])
        predicate = self._interned(predicate)
        return (o for p, o in _pairs(pairs) if p is predicate)

    def subjects(self, predicate: Any = None, obj: Any = None, unique: bool = False) -> Iterator[Any]:
        if predicate is None and obj is None:
            return iter(list(self._by_subject))
        if predicate is None:
            return iter({s: None for s, _, o in self if o == obj})
        by_object = self._objects_of(predicate)
        if obj is None:
            return iter({s: None for subjects in by_object.values() for s in subjects})
        return iter(by_object.get(obj, ()))

    def subject_objects(self, predicate: Any = None) -> Iterator[Pair]:
        if predicate is None:
            return ((s, o) for s, _, o in self)
        return ((s, o) for o, subjects in self._objects_of(predicate).items() for s in subjects)

    def value(self, subject: Any = None, predicate: Any = RDF.value, object: Any = None, default: Any = None,
              any: bool = True) -> Any:  # noqa: A002 - rdflib's names
        found = next(self.objects(subject, predicate) if subject is not None else self.subjects(predicate, object), None)
        return default if found is None else found

    def triples(self, pattern: tuple[Any, Any, Any]) -> Iterator[tuple[Any, Any, Any]]:
        s, p, o = pattern
        if s is not None:
            pairs = self._by_subject.get(s)
            if pairs is None:
                return iter(())
            predicate = None if p is None else self._interned(p)
            return ((s, q, x) for q, x in _pairs(pairs)
                    if (p is None or q is predicate) and (o is None or x == o))
        if p is not None:
            by_object = self._objects_of(p)
            if o is not None:
                return ((x, p, o) for x in by_object.get(o, ()))
            return ((x, p, y) for y, subjects in by_object.items() for x in subjects)
        return ((x, q, y) for x, q, y in self if o is None or y == o)

    def _objects_of(self, predicate: Any) -> dict[Any, list[Any]]:
        """object → subjects of `predicate`, made on the first question about it."""
        interned = self._interned(predicate)
        if interned is None:
            return {}
        found = self._by_object.get(interned)
        if found is None:
            found = self._by_object[interned] = {}
            for subject, pairs in self._by_subject.items():
                for p, o in _pairs(pairs):
                    if p is interned:
                        found.setdefault(o, []).append(subject)
        return found

    @property
    def namespace_manager(self) -> Any:
        """Our prefixes, for messages that name a term (`dct:title`)."""
        if self._namespaces is None:
            from .syntax import bind_prefixes

            graph = Graph()
            bind_prefixes(graph, PPS_VOCABULARY)
            self._namespaces = graph.namespace_manager
        return self._namespaces

    def to_rdflib(self) -> Graph:
        """The same triples in an rdflib Graph."""
        graph = Graph()
        from .syntax import bind_prefixes

        bind_prefixes(graph)
        graph.addN((s, p, o, graph) for s, p, o in self)
        return graph


class NTriplesLines:
    """Fills a TripleIndex from canonical N-Triples (one triple a line, terms split by one
    space, as pyoxigraph writes them), given in chunks of bytes that may end inside a line."""

    def __init__(self, index: TripleIndex, known: Iterable[URIRef]) -> None:
        self.index = index
        self.terms: dict[str, Any] = {f"<{iri}>": iri for iri in known}
        self.rest = b""

    def write(self, data: bytes) -> int:
        end = data.rfind(b"\n") + 1
        if not end:
            self.rest += data
        else:
            self._lines((self.rest + data[:end]).decode("utf-8"))
            self.rest = data[end:]
        return len(data)

    def flush(self) -> None:
        pass

    def add(self, text: str) -> None:
        """Index whole lines of text (ending with a newline)."""
        self._lines(text)

    def finish(self) -> TripleIndex:
        if self.rest.strip():
            self._lines(self.rest.decode("utf-8").rstrip() + "\n")
        self.rest = b""
        index = self.index
        index._size = index._without_repeats()
        return index

    def _lines(self, text: str) -> None:
        """Index whole lines (`text` ends with a newline). A newline in N-Triples is only ever
        the end of a line, so each triple ends with " .\n"; a subject's triples come together."""
        index = self.index
        by_subject, predicates, terms = index._by_subject, index._predicates, self.terms
        make = _nt_term
        last, pairs = None, None
        for line in text.split(" .\n")[:-1]:
            s, p, o = line.split(" ", 2)
            if s != last:
                last = s
                subject = terms.get(s)
                if subject is None:
                    subject = terms[s] = make(s)
                pairs = by_subject.get(subject)
                if pairs is None:
                    pairs = by_subject[subject] = []
            predicate = predicates.get(p)
            if predicate is None:
                predicate = terms.get(p)
                if predicate is None:
                    predicate = terms[p] = make(p)
                predicates[p] = predicate
            obj = terms.get(o)
            if obj is None:
                obj = terms[o] = make(o)
            pairs.append(predicate)  # type: ignore[union-attr]
            pairs.append(obj)  # type: ignore[union-attr]


_BATCH = 10_000  # quads turned into lines at a time
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_LANG_STRING = str(RDF.langString)


def _unescaped(match: re.Match[str]) -> str:
    code = match[1] or match[2]
    if code:
        return chr(int(code, 16))
    return _ECHARS.get(match[3], match[0])


def _nt_term(text: str) -> Any:
    """The rdflib term of a term in canonical N-Triples. Plain and language-tagged literals,
    IRIs and blank nodes are made directly (pyoxigraph has checked them); typed literals
    through rdflib, which reads their values."""
    first = text[0]
    if first == "<":
        if text[1] == "<":
            raise ValueError(f"an RDF term of a kind the models cannot hold: {text[:200]}")
        return str.__new__(URIRef, text[1:-1])
    if first == "_":
        return str.__new__(BNode, text[2:])
    end = text.rindex('"')
    value = text[1:end]
    if "\\" in value:
        value = _ESCAPE.sub(_unescaped, value)
    suffix = text[end + 1:]
    if not suffix or suffix[0] == "@":
        literal = str.__new__(Literal, value)
        literal._language = suffix[1:] or None
        literal._datatype = None
        literal._value = value
        literal._ill_typed = None
        return literal
    datatype = suffix[3:-1]
    if datatype == _XSD_STRING:
        return Literal(value)
    if datatype == _LANG_STRING:
        raise ValueError(f"an rdf:langString without a language: {text[:200]}")
    return Literal(value, datatype=URIRef(datatype), normalize=False)


def _pairs(flat: list[Any]) -> Iterator[Pair]:
    """(predicate, object) of a flat list of predicates and objects."""
    items = iter(flat)
    return zip(items, items)


def _key(term: Any) -> str:
    """The key of a predicate: its form in N-Triples, as pyoxigraph writes it."""
    if type(term) is URIRef:
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    return ""  # a literal is never a subject
