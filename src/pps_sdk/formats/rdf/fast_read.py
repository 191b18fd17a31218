"""RDF documents → a `TripleIndex`, parsed by pyoxigraph, as safely as `syntax.parse`.

The guarantees are those of the rdflib path: nothing is fetched (a JSON-LD document may name
only our context, read from the package; pyoxigraph has no way to load another), RDF/XML with
a DOCTYPE is refused before it is parsed (pyoxigraph would expand internal entities), and
JSON-LD and Turtle nested deeper than 100 levels are refused. The size limit is the caller's
(`load`, `loads`), as on the rdflib path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from itertools import accumulate

import pyoxigraph
from rdflib import URIRef

from ...errors import MalformedError
from ...model import Catalogue, Measurement
from ...vocab import PPS_VOCABULARY
from ..safe_xml import parse_xml
from .index import TripleIndex
from .mapping import NODE, OWNED, expand, rdf_fields
from .syntax import CONTEXT_URL, MAX_JSONLD_DEPTH, _json, _local_contexts, _refuse_deep, parse

MAX_TURTLE_DEPTH = 100
"""Deepest nesting of `[ … ]` and `( … )` read in Turtle (real catalogues nest a few levels)."""

_FORMATS = {"ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
            "jsonld": pyoxigraph.RdfFormat.JSON_LD, "rdfxml": pyoxigraph.RdfFormat.RDF_XML}
_NAMES = {"ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "rdfxml": "RDF/XML"}

# What cannot hold a bracket that counts: strings, and in Turtle also IRIs and comments.
_TURTLE_NOT_NESTING = re.compile(
    rb'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""' rb"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    rb'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"' rb"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'" rb"|<[^>\n]*>|#[^\n]*")
_BRACKETS = b"[]{}()"
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _BRACKETS)
_NOT_QUOTES_OR_BRACKETS = bytes(b for b in range(256) if b not in _BRACKETS + b'"')
_STEP = [0] * 256
for _open, _close in (b"[]", b"{}", b"()"):
    _STEP[_open], _STEP[_close] = 1, -1


RDFLIB_SECOND_OPINION_BYTES = 5 * 1024 * 1024
"""A document pyoxigraph refuses is given to rdflib when it is no larger than this: rdflib
reads some documents pyoxigraph does not (as it always did), and its messages name the line
and the reason in its words. A larger one gets pyoxigraph's message."""


def parse_index(raw: bytes, syntax: str) -> TripleIndex:
    """Parse a document in `syntax` (`ttl`, `nt`, `jsonld`, `rdfxml`) into a TripleIndex;
    MalformedError says what is wrong with it."""
    data = _checked(raw, syntax)
    try:
        return _parsed(data, syntax)
    except (SyntaxError, ValueError, OSError) as exc:
        refusal = _reason(exc, raw, syntax)
    if len(raw) > RDFLIB_SECOND_OPINION_BYTES:
        raise MalformedError(refusal)
    return TripleIndex.from_graph(parse(raw, syntax))  # MalformedError in rdflib's words if it refuses too


def _parsed(data: bytes, syntax: str) -> TripleIndex:
    """The triples of a document pyoxigraph reads; SyntaxError, ValueError if it cannot."""
    if syntax == "jsonld":
        # Streaming JSON-LD (@context first, @type before the other keys, as we write it) is
        # read as it comes; any other JSON-LD is held whole by the parser.
        try:
            return _through_lines(data, pyoxigraph.RdfFormat.STREAMING_JSON_LD)
        except SyntaxError:
            pass
    try:
        return _through_lines(data, _FORMATS[syntax])
    except SyntaxError as exc:
        if "named graph" not in str(exc).lower():
            raise
    # Named graphs (JSON-LD can have them): their triples are merged into one graph.
    return TripleIndex.from_quads(pyoxigraph.parse(data, _FORMATS[syntax]), known_terms())


def _through_lines(data: bytes, format: pyoxigraph.RdfFormat) -> TripleIndex:
    """The triples of `data`, which pyoxigraph parses and writes as N-Triples, chunk by chunk."""
    lines = TripleIndex.lines_reader(known_terms())
    pyoxigraph.serialize(pyoxigraph.parse(data, format, without_named_graphs=True), lines, pyoxigraph.RdfFormat.N_TRIPLES)
    return lines.finish()


@cache
def known_terms() -> tuple[URIRef, ...]:
    """The predicates and classes the reader looks for, as the very objects it compares."""
    from .reader import _MODELS, COLLECTION_CLASSES, _VALUE_PREDICATES, _WEEKDAYS, model_classes
    from .writer import ADMS, CPSV, CV, DCAT, DCT, QB, TIME, TYPE

    found: dict[URIRef, None] = dict.fromkeys([TYPE, *_VALUE_PREDICATES, *_WEEKDAYS])
    for classes in COLLECTION_CLASSES.values():
        found.update(dict.fromkeys(classes))
    pending, seen = list(_MODELS.values()) + [Catalogue, Measurement], set()
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        found.update(dict.fromkeys(model_classes(model, PPS_VOCABULARY)))
        for field in rdf_fields(model):
            found[field.predicate] = None
            if field.codec in (NODE, OWNED):
                pending.append(field.target)
    for namespace, names in ((DCT, "hasPart isPartOf identifier title description"), (CPSV, "hasInput PublicService"),
                             (CV, "participates Participation role frequency supportsRequirement"),
                             (ADMS, "identifier status"), (DCAT, "Dataset"), (QB, "dataSet structure"),
                             (TIME, "hasBeginning hasEnd inDateTime inXSDDate hour minute second dayOfWeek")):
        found.update(dict.fromkeys(namespace[name] for name in names.split()))
    found.update(dict.fromkeys(expand(f"pps:{name}") for name in ("UnifiedService", "measurements", "unit")))
    return tuple(found)


def _checked(raw: bytes, syntax: str) -> bytes:
    """`raw` once it is known to be safe to give to pyoxigraph (JSON-LD naming our context by
    its IRI: with the context put in)."""
    if syntax == "rdfxml":
        hidden = b"\x00" in raw[:4] or not raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
        if hidden or b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
            parse_xml(raw)  # refuses DOCTYPE (entities) in any encoding, and says why
    elif syntax == "jsonld":
        if _depth(raw, _json_brackets, by_lines=True) > MAX_JSONLD_DEPTH:
            raise MalformedError(f"not valid JSON-LD: nested more than {MAX_JSONLD_DEPTH} levels deep")
        if CONTEXT_URL.encode() in raw:  # rare and small: read as JSON to put our context in
            document = _json(raw)
            _refuse_deep(document)
            return json.dumps(_local_contexts(document)).encode("utf-8")
    elif syntax == "ttl" and raw.count(b"[") + raw.count(b"(") > MAX_TURTLE_DEPTH:
        if _depth(raw, _turtle_brackets, by_lines=b'"""' not in raw and b"'''" not in raw) > MAX_TURTLE_DEPTH:
            raise MalformedError(f"not valid Turtle: nested more than {MAX_TURTLE_DEPTH} levels deep")
    return raw


def _depth(document: bytes, brackets: Callable[[bytes], bytes], by_lines: bool) -> int:
    """How deep the brackets of `document` nest outside its strings (`brackets(text)` gives
    them). When no string can span lines (JSON's never do; Turtle's do only in long strings),
    the document is looked at a megabyte of lines at a time, so the check costs little memory."""
    level = deepest = 0
    for chunk in _line_chunks(document) if by_lines else (document,):
        levels = list(accumulate(map(_STEP.__getitem__, brackets(chunk)), initial=level))
        deepest, level = max(deepest, max(levels)), levels[-1]
    return deepest


def _json_brackets(text: bytes) -> bytes:
    """The brackets of JSON `text` outside its strings. Without its escaped backslashes and
    then its escaped quotes, every quote left opens or closes a string."""
    quotes_and_brackets = text.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_QUOTES_OR_BRACKETS)
    return b"".join(quotes_and_brackets.split(b'"')[0::2])


def _turtle_brackets(text: bytes) -> bytes:
    return _TURTLE_NOT_NESTING.sub(b"", text).translate(None, _NOT_BRACKETS)


def _line_chunks(document: bytes, size: int = 1 << 20) -> Iterator[bytes]:
    start = 0
    while start < len(document):
        end = document.find(b"\n", start + size)
        end = len(document) if end < 0 else end + 1
        yield document[start:end]
        start = end


def _reason(exc: Exception, raw: bytes, syntax: str) -> str:
    message = " ".join(str(exc).split())[:300]
    if "LoadDocumentCallback" in message:  # pyoxigraph was asked to load a context: it never does
        if b"@import" in raw:
            return "the JSON-LD context imports another context (@import), which is not fetched"
        return "the JSON-LD document names a remote context, which is not fetched; put the context in the document itself"
    return f"not a valid {_NAMES[syntax]} document: {message}"
