"""The `cpsv-ap` profile on a large catalogue, without building an rdflib graph.

`cpsv_ap_report(raw, syntax, subject)` gives the report `check_reading` would give after
`read_rdf` (the same findings, rule ids, messages, nodes, lines and services read), but
parses with pyoxigraph, checks the shapes on an index built straight from its triples
(`fast_shacl.quad_index`) and finds the line of every node a finding names in one pass over
the document. rdflib's parser is what takes minutes on 20,000 services, and searching the
text once per finding what takes longer still.

It answers None, and the usual reading decides, whenever the answer might differ from it:
syntaxes other than N-Triples and Turtle, documents pyoxigraph refuses (rdflib may read them,
or reports them in its own words), CPSV-AP 2.2.1 (which is upgraded first), RDF 1.2 terms
(rdflib reads none), text typed xsd:string (rdflib keeps it apart from plain text, pyoxigraph
does not), bytes that are not UTF-8 (pyoxigraph skips comments unread), Turtle nested deeper
than rdflib reads, a chosen catalogue the document does not hold.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, XSD

from ..formats import paused_gc
from ..formats.rdf.legacy import _SIGNS as SIGNS_OF_2_2_1
from ..formats.rdf.reader import COLLECTION_CLASSES
from ..formats.rdf.shacl import shapes
from ..formats.rdf.syntax import parse
from ..formats.rdf.writer import DCAT, DCT
from . import Report, fast_shacl
from .reading import Reading, text_predicates

_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}
_REIFIES = URIRef(str(RDF) + "reifies")
_PARTS = {DCT.hasPart, DCT.isPartOf}  # what a chosen catalogue holds
_XSD_STRING = str(XSD.string)
# Predicates watched only to send the document to the usual reading when it uses them.
_WATCHED = {*SIGNS_OF_2_2_1, _REIFIES}
# Text with a datatype written out (`"…"^^xsd:string`), RDF 1.2 triple terms and base
# directions of text: rdflib reads these apart from, or unlike, pyoxigraph. Each is looked for
# only where a shorter, rarer piece of it occurs.
_READ_APART = {b"string": (b"#string", b":string"), b"<<": (b"<<",), b"--": (b"--ltr", b"--rtl")}
MAX_TURTLE_DEPTH = 50
"""Turtle nested deeper than this ([…] and (…) within each other) goes to rdflib, which
refuses what is nested too deeply for it (at about a hundred levels); catalogues nest less
than ten."""


def cpsv_ap_report(raw: bytes, syntax: str, subject: str, language: str | None = None,
                   catalogue: str | None = None, today: date | None = None) -> Report | None:
    """The `cpsv-ap` report on the document `raw`, or None when the usual reading must make it
    (see the module's docstring)."""
    with paused_gc():  # millions of small objects that all live on until the report is made
        return _report(raw, syntax, subject, language, catalogue, today)


def _report(raw: bytes, syntax: str, subject: str, language: str | None, catalogue: str | None,
            today: date | None) -> Report | None:
    from .profiles import check_reading

    shapes_graph = shapes("cpsv-ap")
    if (syntax not in _FORMATS or not fast_shacl.supports(shapes_graph)
            or not read_alike(raw)
            or (syntax == "ttl" and (_version_directive(raw) or nesting_depth(raw) > MAX_TURTLE_DEPTH))):
        return None
    try:
        quads = ox.parse(raw, _FORMATS[syntax], without_named_graphs=True)
        index = fast_shacl.quad_index(quads, fast_shacl.shape_paths(shapes_graph) | _WATCHED | _PARTS)
        names = _namespaces(quads.prefixes if syntax == "ttl" else {}, syntax)
        if language:
            tag_untagged(index, language)
    except Exception:  # noqa: BLE001 - what pyoxigraph refuses, rdflib reads or reports in its own words
        return None
    signs = {index.class_term(cls) for cls in SIGNS_OF_2_2_1}
    if any(index.values[predicate] for predicate in _WATCHED) or any(not kinds.isdisjoint(signs) for kinds in index.types.values()):
        return None
    service_classes = {index.class_term(cls) for cls in COLLECTION_CLASSES["services"]}
    services = [node for node, kinds in index.types.items() if not kinds.isdisjoint(service_classes)]
    if catalogue is not None:
        if str(DCAT.Dataset) not in index.types.get(catalogue, ()):
            return None  # the usual reading says the catalogue is not in the document
        parts = index.values[DCT.hasPart].get(catalogue, set()) | {
            node for node, wholes in index.values[DCT.isPartOf].items() if catalogue in wholes}
        services = [node for node in services if node in parts]
    services = [index.term(node) for node in services]
    focus = {violation.focus for violation in fast_shacl.violations(index, shapes_graph)}
    reading = _IndexedReading(index, syntax, members={"services": sorted(services, key=str)},  # type: ignore[arg-type]
                              lines=first_lines(raw, {str(node): _mentions(node, names) for node in focus
                                                      if isinstance(node, URIRef)}))
    return check_reading(reading, subject, "cpsv-ap", today)


def tag_untagged(index: fast_shacl.QuadIndex, language: str) -> None:
    """Give untagged text of text predicates the `language` the user named, as the usual
    reading does (`reading.tag_untagged`); only the predicates the shapes follow matter."""
    for predicate in text_predicates() & index.values.keys():
        for values in index.values[predicate].values():
            untagged = [value for value in values if type(value) is ox.Literal and value.language is None
                        and value.datatype.value == _XSD_STRING]
            if untagged:
                values.difference_update(untagged)
                values.update(ox.Literal(value.value, language=language) for value in untagged)


@dataclass
class _IndexedReading(Reading):
    """A reading whose graph is a `fast_shacl.Index` and whose lines were found beforehand."""

    lines: dict[str, int | None] = field(default_factory=dict)

    def line(self, node: Any) -> int | None:
        return self.lines.get(str(node)) if isinstance(node, URIRef) else None


def read_alike(raw: bytes) -> bool:
    """Whether rdflib reads `raw` as pyoxigraph does, as far as bytes tell: UTF-8 throughout
    (rdflib requires it; pyoxigraph does not look inside comments) and none of `_READ_APART`.
    One pass, a chunk at a time, each chunk searched and decoded while it is at hand (and no
    copy of the whole document held)."""
    decoder = None if raw.isascii() else codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), _CHUNK):
            end = start + _CHUNK
            for piece, signs in _READ_APART.items():
                if raw.find(piece, start, end + len(piece) - 1) >= 0 and any(sign in raw for sign in signs):
                    return False
            if decoder is not None:
                decoder.decode(view[start:end])
        if decoder is not None:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _version_directive(raw: bytes) -> bool:
    """Whether Turtle `raw` may hold RDF 1.2's VERSION directive (in any case), which rdflib
    refuses and pyoxigraph takes: looked for a lowered chunk at a time, not in a lowered copy."""
    step, keep = 16 * 1024 * 1024, 16
    return any(re.search(rb"version\s*[\"']", raw[start:start + step + keep].lower())
               for start in range(0, len(raw), step))


def nesting_depth(raw: bytes) -> int:
    """How deep brackets and parentheses nest in `raw`, strings and IRIs not told apart."""
    if raw.count(b"[") + raw.count(b"(") <= MAX_TURTLE_DEPTH:
        return 0
    depth = deepest = 0
    for bracket in re.findall(rb"[\[\]()]", raw):
        depth += 1 if bracket in b"[(" else -1
        deepest = max(deepest, depth)
    return deepest


def _namespaces(prefixes: dict[str, str], syntax: str) -> Graph:
    """An empty graph whose prefixes are those rdflib's parser would have bound for a
    document declaring `prefixes`: the line of a node is also found by its prefixed name."""
    declared = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in prefixes.items())
    return parse(declared.encode("utf-8"), syntax)


def _mentions(node: URIRef, names: Graph) -> list[str]:
    """The ways a document may name `node`, as `Reading.line` looks for them."""
    found = [f"<{node}>", f'"{node}"']
    try:
        prefixed = names.namespace_manager.normalizeUri(node)
        if not prefixed.startswith("<"):
            found.append(prefixed)
    except Exception:  # noqa: BLE001 - an IRI that has no prefixed form
        pass
    return found


def first_lines(raw: bytes, mentions: dict[str, list[str]]) -> dict[str, int | None]:
    """For each key of `mentions`, the line where `raw` first holds any of its strings
    (None if none), found in one pass per kind of string rather than a search of the whole
    document per string: IRIs in angle brackets, IRIs in quotes, and prefixed names."""
    first: dict[bytes, int] = {}  # a string → where it first occurs
    wanted = {text.encode("utf-8") for texts in mentions.values() for text in texts}
    angled = {text for text in wanted if _between(text, b"<", b">", b"<>\n")}
    quoted = {text for text in wanted if _between(text, b'"', b'"', b'"\n')}
    first |= _first_tokens(raw, angled, rb"<(%s[^<>\n]*)>")
    first |= _first_tokens(raw, quoted, rb'"(%s[^"\n]*)(?=")')  # the closing quote may open the next
    first |= _first_prefixed(raw, wanted - angled - quoted)
    positions = {key: min((first[text.encode("utf-8")] for text in texts if text.encode("utf-8") in first), default=-1)
                 for key, texts in mentions.items()}
    lines = _lines_at(raw, {position for position in positions.values() if position >= 0})
    return {key: lines[position] if position >= 0 else None for key, position in positions.items()}


def _between(text: bytes, opening: bytes, closing: bytes, not_inside: bytes) -> bool:
    inner = text[1:-1]
    return (len(text) >= 2 and text.startswith(opening) and text.endswith(closing)
            and not any(byte in not_inside for byte in inner))


_CHUNK = 1024 * 1024


def _first_tokens(raw: bytes, wanted: set[bytes], pattern: bytes) -> dict[bytes, int]:
    """Where each of `wanted` (a delimited IRI) first occurs. Every such occurrence is a token
    `pattern` finds (the IRI holds no delimiter and no line break), so the document is read
    once, a line-aligned chunk at a time, and no further than the last one's first occurrence;
    only a chunk that holds some of them is read again for where."""
    found: dict[bytes, int] = {}
    inner = {text[1:-1]: text for text in wanted}
    if not inner:
        return found
    tokens = re.compile(pattern % re.escape(os.path.commonprefix(list(inner))))
    start = 0
    while start < len(raw) and inner:
        end = raw.find(b"\n", start + _CHUNK)
        end = len(raw) if end < 0 else end + 1
        if not inner.keys().isdisjoint(tokens.findall(raw, start, end)):
            for match in tokens.finditer(raw, start, end):
                text = inner.pop(match[1], None)
                if text is not None:
                    found[text] = match.start()
        start = end
    return found


def _first_prefixed(raw: bytes, wanted: set[bytes]) -> dict[bytes, int]:
    """Where each of `wanted` (prefixed names, and any oddly written IRI) first occurs: every
    occurrence of each one's prefix is tried against the lengths of those that share it."""
    found: dict[bytes, int] = {}
    by_prefix: dict[bytes, set[bytes]] = {}
    for text in wanted:
        prefix = text[:text.find(b":") + 1] or text
        by_prefix.setdefault(prefix, set()).add(text)
    for prefix, texts in by_prefix.items():
        lengths = sorted({len(text) for text in texts})
        position = raw.find(prefix)
        while position >= 0 and len(texts) > 0:
            for length in lengths:
                text = raw[position:position + length]
                if text in texts:
                    found[text] = position
                    texts = texts - {text}
            position = raw.find(prefix, position + 1)
    return found


def _lines_at(raw: bytes, positions: set[int]) -> dict[int, int]:
    """The line of each position, counting the line breaks once from start to end."""
    lines, line, previous = {}, 1, 0
    for position in sorted(positions):
        line += raw.count(b"\n", previous, position)
        lines[position] = line
        previous = position
    return lines
