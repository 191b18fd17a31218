"""Parsing XML that nobody vouched for.

Nothing a document says makes the parser open a file or a network connection, and a
document with a DTD is refused outright: DTDs are where external entities and
entity-expansion bombs live, and none of our formats needs one. Sizes are bounded by the
caller (`loads`/`load` refuse documents over their `max_bytes`); nesting depth by libxml2's
own limit, which stays on.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import FormatError

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
    """The root element of `raw`. Raises FormatError for malformed or refused documents."""
    # A parser per call: lxml parsers keep state and are not safe to share between threads.
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = _POSITION_SUFFIX.sub("", exc.msg)
        for clue, refusal in _REFUSALS.items():
            if clue in message:
                raise FormatError(f"line {line}: refused: {refusal} ({message})") from None
        raise FormatError(f"line {line}, column {column}: not well-formed XML: {message}") from None
    except ValueError as exc:  # e.g. a document declaring an encoding lxml does not know
        raise FormatError(f"cannot parse XML: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise FormatError("refused: the document has a DOCTYPE declaration. DTDs can declare external "
                          "entities (which read files or reach the network) and entity-expansion bombs; "
                          "no pps format uses one, so remove the DOCTYPE")
    for _ in root.iter(etree.Entity):
        raise FormatError("refused: the document uses an entity reference that is not predefined")
    return root
