"""Parsing XML that nobody vouched for.

Nothing a document says makes the parser open a file or a network connection, and a
document with a DTD is refused outright: DTDs are where external entities and
entity-expansion bombs live, and none of our formats needs one. Sizes are bounded by the
caller (`loads`/`load` refuse documents over their `max_bytes`); nesting depth by libxml2's
own limit, which stays on.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..errors import MalformedError

_PARSER_OPTIONS = dict(
    resolve_entities=False,  # never substitute an entity: no file or URL is read, nothing expands
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,  # keep libxml2's limits on depth and text size
    collect_ids=False,
)


_POSITION_SUFFIX = re.compile(r"(, line \d+, column \d+)+$")

# libxml2 stops some attacks itself, before our own checks run; say what happened in plain words.
_REFUSALS = {
    "amplification": "entity expansion without bound (a 'billion laughs' document)",
    "network entity": "the document asks to load a resource over the network",
    "failed to load": "the document asks to load an external resource",
}


def parse_xml(raw: bytes) -> etree._Element:
    """The root element of `raw`. Raises MalformedError (a FormatError) for malformed or refused documents."""
    # A parser per call: lxml parsers keep state and are not safe to share between threads.
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = _POSITION_SUFFIX.sub("", exc.msg)
        for clue, refusal in _REFUSALS.items():
            if clue in message:
                raise MalformedError(f"line {line}: refused: {refusal} ({message})") from None
        raise MalformedError(f"line {line}, column {column}: not well-formed XML: {message}") from None
    except ValueError as exc:  # e.g. a document declaring an encoding lxml does not know
        raise MalformedError(f"cannot parse XML: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise MalformedError("refused: the document has a DOCTYPE declaration. DTDs can declare external "
                          "entities (which read files or reach the network) and entity-expansion bombs; "
                          "no pps format uses one, so remove the DOCTYPE")
    for _ in root.iter(etree.Entity):
        raise MalformedError("refused: the document uses an entity reference that is not predefined")
    return root


def unwritable_text(data: Any, path: tuple[str | int, ...] = ()) -> tuple[tuple[str | int, ...], str]:
    """The path of the first text in plain data (dicts, lists, strings) with a character XML
    1.0 cannot hold, and that character; ((), "") when there is none."""
    if isinstance(data, str):
        bad = next((c for c in data if not _xml_char(c)), None)
        return (path, bad) if bad else ((), "")
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        found = unwritable_text(value, (*path, key))
        if found[1]:
            return found
    return (), ""


def _xml_char(c: str) -> bool:
    code = ord(c)
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000
