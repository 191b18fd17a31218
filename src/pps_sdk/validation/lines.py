"""Where a document describes a node: the line a finding about the node points at.

`first_lines(raw, {key: mentions(node, names)})` finds, for all nodes in one pass over the
bytes, the line where the document describes each node (where the node begins a line, as a
subject does in Turtle and N-Triples, or is the `rdf:about` of an RDF/XML element), or else
the line where it first names the node; searching the text once per finding is what takes
longest on a large catalogue.
"""

from __future__ import annotations

import os
import re

from rdflib import Graph, URIRef

_CHUNK = 1024 * 1024
Places = tuple[dict[bytes, int], dict[bytes, int]]
"""Where each string first occurs, and where it first occurs describing its node."""


def mentions(node: URIRef, names: Graph) -> list[str]:
    """The ways a document may name `node`: in angle brackets, in quotes (RDF/XML), or by a
    prefixed name of the prefixes `names` knows."""
    found = [f"<{node}>", f'"{node}"']
    try:
        prefixed = names.namespace_manager.normalizeUri(node)
        if not prefixed.startswith("<"):
            found.append(prefixed)
    except Exception:  # noqa: BLE001 - an IRI that has no prefixed form
        pass
    return found


def first_lines(raw: bytes, mentions: dict[str, list[str]]) -> dict[str, int | None]:
    """For each key of `mentions`, the line where `raw` describes the node by any of its
    strings, else the line where it first holds any of them (None if none). One pass per kind
    of string rather than a search of the whole document per string: IRIs in angle brackets,
    IRIs in quotes, and prefixed names."""
    wanted = {text.encode("utf-8") for texts in mentions.values() for text in texts}
    angled = {text for text in wanted if _between(text, b"<", b">", b"<>\n")}
    quoted = {text for text in wanted if _between(text, b'"', b'"', b'"\n')}
    first: dict[bytes, int] = {}
    described: dict[bytes, int] = {}
    for found in (_first_tokens(raw, angled, rb"<(%s[^<>\n]*)>"),
                  _first_tokens(raw, quoted, rb'"(%s[^"\n]*)(?=")'),  # the closing quote may open the next
                  _first_prefixed(raw, wanted - angled - quoted)):
        first |= found[0]
        described |= found[1]
    positions = {}
    for key, texts in mentions.items():
        encoded = [text.encode("utf-8") for text in texts]
        places = [described[text] for text in encoded if text in described] or [first[text] for text in encoded if text in first]
        positions[key] = min(places, default=-1)
    lines = _lines_at(raw, {position for position in positions.values() if position >= 0})
    return {key: lines[position] if position >= 0 else None for key, position in positions.items()}


def _between(text: bytes, opening: bytes, closing: bytes, not_inside: bytes) -> bool:
    inner = text[1:-1]
    return (len(text) >= 2 and text.startswith(opening) and text.endswith(closing)
            and not any(byte in not_inside for byte in inner))


def _describes(raw: bytes, position: int) -> bool:
    """Whether the string at `position` describes its node: the value of an `about` attribute
    (RDF/XML), or first on its line where a statement begins (Turtle, N-Triples) rather than
    an object continuing the line before (which ends in `,` or `;` or opens a bracket). Only
    a bounded stretch before it is looked at, so a document without line breaks costs no more."""
    before = raw[max(0, position - _LOOK_BACK):position].rstrip(b" \t")
    if before.endswith(b"="):
        return before[:-1].rstrip(b" \t").endswith(b"about")
    if before and not before.endswith((b"\n", b"\r")):
        return False  # something precedes it on its line
    return not before.rstrip().endswith((b",", b";", b"[", b"("))


_LOOK_BACK = 256


def _note(raw: bytes, text: bytes, position: int, places: Places) -> None:
    first, described = places
    first.setdefault(text, position)
    if text not in described and _describes(raw, position):
        described[text] = position


def _first_tokens(raw: bytes, wanted: set[bytes], pattern: bytes) -> Places:
    """Where each of `wanted` (a delimited IRI) first occurs, and first describes its node.
    Every such occurrence is a token `pattern` finds (the IRI holds no delimiter and no line
    break), so the document is read once, a line-aligned chunk at a time, and no further than
    where the last one is described; only a chunk that holds some of them is read again for where."""
    places: Places = ({}, {})
    inner = {text[1:-1]: text for text in wanted}
    if not inner:
        return places
    tokens = re.compile(pattern % re.escape(os.path.commonprefix(list(inner))))
    start = 0
    while start < len(raw) and inner:
        end = raw.find(b"\n", start + _CHUNK)
        end = len(raw) if end < 0 else end + 1
        if not inner.keys().isdisjoint(tokens.findall(raw, start, end)):
            for match in tokens.finditer(raw, start, end):
                text = inner.get(match[1])
                if text is not None:
                    _note(raw, text, match.start(), places)
                    if text in places[1]:
                        del inner[match[1]]
        start = end
    return places


def _first_prefixed(raw: bytes, wanted: set[bytes]) -> Places:
    """Where each of `wanted` (prefixed names, and any oddly written IRI) first occurs, and
    first describes its node: every occurrence of each one's prefix is tried against the
    lengths of those that share it."""
    places: Places = ({}, {})
    by_prefix: dict[bytes, set[bytes]] = {}
    for text in wanted:
        prefix = text[:text.find(b":") + 1] or text
        by_prefix.setdefault(prefix, set()).add(text)
    for prefix, texts in by_prefix.items():
        lengths = sorted({len(text) for text in texts})
        position = raw.find(prefix)
        while position >= 0 and texts:
            for length in lengths:
                text = raw[position:position + length]
                if text in texts and not _continues(raw, position + length):
                    _note(raw, text, position, places)
                    if text in places[1]:
                        texts = texts - {text}
            position = raw.find(prefix, position + 1)
    return places


def _continues(raw: bytes, end: int) -> bool:
    """Whether a prefixed name found ending at `end` is only the start of a longer name (whose
    next letters may be any non-ASCII ones, and dots inside)."""
    following = raw[end:end + 2]
    return bool(following) and (_name_byte(following[0]) or (following[:1] == b"." and len(following) == 2
                                                              and _name_byte(following[1])))


def _name_byte(byte: int) -> bool:
    return byte >= 0x80 or chr(byte).isalnum() or byte in b"_-:%"


def _lines_at(raw: bytes, positions: set[int]) -> dict[int, int]:
    """The line of each position, counting the line breaks once from start to end."""
    lines, line, previous = {}, 1, 0
    for position in sorted(positions):
        line += raw.count(b"\n", previous, position)
        lines[position] = line
        previous = position
    return lines
