"""Checking documents against `schemas/pps-1.0.xsd`, with lxml (fast) or xmlschema (thorough).

Both report problems with the same paths the models use (`services[0].importance`) and
line numbers; both reach the same verdict. lxml (libxml2) is the quick path for bulk
checks; xmlschema is pure Python, slower, and its messages say more.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files
from typing import Literal

from lxml import etree

from ..errors import Problem
from ..model import MODELS, PPSModel, format_path
from .safe_xml import parse_xml
from .xml_shape import MODEL, NAMESPACE, element_name, fields_by_tag

SCHEMA_NAME = "pps-1.0.xsd"
Engine = Literal["lxml", "xmlschema"]
_ROOTS = {f"{{{NAMESPACE}}}{element_name(m)}": m for m in MODELS}


def schema_text() -> str:
    """The text of the XSD shipped with the package."""
    return files("pps_sdk.schemas").joinpath(SCHEMA_NAME).read_text(encoding="utf-8")


@cache
def _lxml_schema() -> etree.XMLSchema:
    with as_file(files("pps_sdk.schemas").joinpath(SCHEMA_NAME)) as path:
        return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False)))


@cache
def _xmlschema_schema():  # type: ignore[no-untyped-def]
    import xmlschema  # imported late: it takes a while, and only this engine needs it

    with as_file(files("pps_sdk.schemas").joinpath(SCHEMA_NAME)) as path:
        return xmlschema.XMLSchema(str(path), allow="local")


def schema_problems(document: bytes | etree._Element, engine: Engine = "lxml") -> list[Problem]:
    """Every way `document` breaks the schema; empty when it is valid.

    Bytes are parsed safely first (FormatError for malformed or hostile input).
    """
    root = parse_xml(document) if isinstance(document, bytes) else document
    if engine == "lxml":
        schema = _lxml_schema()
        if schema.validate(root):
            return []
        tree = root.getroottree()
        return [Problem(_path_of(_element_at(tree, entry.path, root, entry.line)), _tidy(entry.message), entry.line)
                for entry in schema.error_log]
    if engine == "xmlschema":
        return [Problem(_path_of(error.elem), _tidy(error.reason or error.message), error.sourceline)
                for error in _xmlschema_schema().iter_errors(root, use_location_hints=False)]
    raise ValueError(f"unknown engine {engine!r}: use 'lxml' or 'xmlschema'")


def _element_at(tree: etree._ElementTree, xpath: str | None, root: etree._Element, line: int) -> etree._Element | None:
    """The element an lxml error is about: by its XPath, or else by its line."""
    try:
        found = tree.xpath(xpath) if xpath else []
    except etree.XPathError:
        found = []
    if found:
        return found[0]
    # libxml2 gives no path for key and keyref errors, only the line of the element.
    return next((e for e in root.iter() if e.sourceline == line and isinstance(e.tag, str)), None)


def _path_of(element: etree._Element | None) -> str:
    """The model path of `element` (`services[0].channels[1]`), as the models report it."""
    if element is None or not isinstance(element.tag, str):
        return ""
    chain = [*reversed(list(element.iterancestors())), element]
    model: type[PPSModel] | None = _ROOTS.get(chain[0].tag)
    path: list[str | int] = []
    for parent, child in zip(chain, chain[1:]):
        field = fields_by_tag(model).get(child.tag) if model else None
        if field is None:
            path.append(etree.QName(child).localname)
            model = None
            continue
        path.append(field.name)
        if field.many:
            path.append(sum(1 for sibling in child.itersiblings(child.tag, preceding=True)))
        model = field.target if field.kind == MODEL else None
    return format_path(tuple(path))


def _tidy(message: str) -> str:
    return " ".join(message.replace(f"{{{NAMESPACE}}}", "").split())
