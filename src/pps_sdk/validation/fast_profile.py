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
import re
from datetime import date

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
# only where a shorter, rarer piece of it occurs. A triple term is written `<<(` (searched for
# faster than `<<`, whose first byte opens every IRI); the rest of RDF 1.2's `<<`, reified
# triples and annotations, pyoxigraph reads as rdf:reifies, watched in the triples.
_READ_APART = {b"string": (b"#string", b":string"), b"<<(": (b"<<(",), b"--": (b"--ltr", b"--rtl")}
_CHUNK = 1024 * 1024  # what the byte checks read at a time
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
    typed = index.typed()  # decided once per set of classes, not once per node
    if any(index.values[predicate] for predicate in _WATCHED) or any(not kinds.isdisjoint(signs) for kinds in typed):
        return None
    service_classes = {index.class_term(cls) for cls in COLLECTION_CLASSES["services"]}
    services = [node for kinds, nodes in typed.items() if not kinds.isdisjoint(service_classes) for node in nodes]
    if catalogue is not None:
        if str(DCAT.Dataset) not in index.types.get(catalogue, ()):
            return None  # the usual reading says the catalogue is not in the document
        parts = index.values[DCT.hasPart].get(catalogue, set()) | {
            node for node, wholes in index.values[DCT.isPartOf].items() if catalogue in wholes}
        services = [node for node in services if node in parts]
    services = [index.term(node) for node in services]
    reading = Reading(index, syntax, members={"services": sorted(services, key=str)}, raw=raw, names=names)  # type: ignore[arg-type]
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


