"""Where a document names a node: the line a finding about the node points at.

`first_lines(raw, {key: mentions(node, names)})` finds the line where the document first
names each node, for all of them in one pass over the bytes; searching the text once per
finding is what takes longest on a large catalogue.
"""

from __future__ import annotations

import os
import re

from rdflib import Graph, URIRef

_CHUNK = 1024 * 1024


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
