"""Our XML format (namespace `https://w3id.org/pps-lv/xml/1`, schema `schemas/pps-1.0.xsd`).

Lossless: every field is written, in declaration order, and reading gives back an equal
model. Shared objects (organisations, channels…) appear once in the catalogue and are
referred to by identifier. The element layout comes from `xml_shape`.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..errors import FormatError, ModelError, Problem
from ..model import PPSModel, format_path
from . import register_format, with_lines
from .safe_xml import parse_xml
from .xml_shape import KEYWORDS, LANG, MODEL, NAMESPACE, XML_LANG, element_name, xml_fields

_NS = f"{{{NAMESPACE}}}"
Path = tuple[str | int, ...]


# -- writing ----------------------------------------------------------------------------

def write_xml(obj: PPSModel) -> str:
    """The XML text of `obj` (UTF-8, indented, fields at their defaults left out)."""
    model = type(obj)
    root = etree.Element(_NS + element_name(model), nsmap={None: NAMESPACE})
    _write_fields(root, model, obj.model_dump(mode="json", exclude_defaults=True), ())
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _write_fields(parent: etree._Element, model: type[PPSModel], data: dict[str, Any], path: Path) -> None:
    for field in xml_fields(model):
        value = data.get(field.name)
        if value is None:
            continue
        tag = _NS + field.element
        items = enumerate(value) if field.many else [(None, value)]
        for index, item in items:
            where = (*path, field.name) if index is None else (*path, field.name, index)
            if field.kind == MODEL:
                _write_fields(etree.SubElement(parent, tag), field.target, item, where)
            elif field.kind == LANG:
                for lang, text in item.items():
                    _add_text(parent, tag, text, where, lang)
            elif field.kind == KEYWORDS:
                for lang, words in item.items():
                    for word in words:
                        _add_text(parent, tag, word, where, lang)
            else:
                _add_text(parent, tag, _scalar_text(item), where)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else repr(value)


def _add_text(parent: etree._Element, tag: str, text: str, path: Path, lang: str | None = None) -> None:
    element = etree.SubElement(parent, tag)
    if lang is not None:
        element.set(XML_LANG, lang)
    try:
        element.text = text
    except ValueError:
        bad = next(c for c in text if not _xml_char(c))
        raise FormatError(f"{format_path(path)}: the text holds U+{ord(bad):04X}, a character XML 1.0 "
                          "cannot carry; remove it or write JSON") from None


def _xml_char(c: str) -> bool:
    code = ord(c)
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


# -- reading ----------------------------------------------------------------------------

def read_xml(raw: bytes, model: type[PPSModel]) -> PPSModel:
    """Parse our XML into `model`. Malformed or hostile documents raise FormatError; what
    does not make a valid model raises ModelError with paths and line numbers."""
    root = parse_xml(raw)
    expected = _NS + element_name(model)
    if root.tag != expected:
        raise FormatError(f"line {root.sourceline}: the root element is {_show(root.tag)}, expected "
                          f"<{element_name(model)}> in namespace {NAMESPACE}")
    reader = _Reader()
    data = reader.fields(root, model, ())
    if reader.problems:
        raise ModelError(reader.problems, f"invalid {model.__name__}")
    try:
        return model.model_validate(data)
    except ModelError as exc:
        raise with_lines(exc, reader.lines) from None


class _Reader:
    """Turns elements into the plain data the models validate, noting each value's line."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}

    def fields(self, element: etree._Element, model: type[PPSModel], path: Path) -> dict[str, Any]:
        self.lines[format_path(path)] = element.sourceline
        by_tag = {_NS + f.element: f for f in xml_fields(model)}
        data: dict[str, Any] = {}
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions carry no data
            field = by_tag.get(child.tag)
            if field is None:
                self.problem(path, f"unexpected element {_show(child.tag)} in <{element_name(model)}>", child)
                continue
            index = len(data.setdefault(field.name, [])) if field.many else None
            where = (*path, field.name) if index is None else (*path, field.name, index)
            if field.kind == MODEL:
                value = self.fields(child, field.target, where)
            else:
                value = self.text(child, where)
                if value is None:
                    continue
            if field.kind == LANG:
                self.add_language(data.setdefault(field.name, {}), child, value, where)
            elif field.kind == KEYWORDS:
                lang = self.language(child, where)
                if lang is not None:
                    data.setdefault(field.name, {}).setdefault(lang, []).append(value)
            elif field.many:
                data[field.name].append(value)
            elif field.name in data:
                self.problem(where, f"<{field.element}> appears more than once", child)
            else:
                data[field.name] = value
            self.lines.setdefault(format_path(where), child.sourceline)
        return data

    def text(self, element: etree._Element, path: Path) -> str | None:
        if len(element):
            self.problem(path, f"<{etree.QName(element).localname}> holds text, not elements", element)
            return None
        return element.text or ""

    def language(self, element: etree._Element, path: Path) -> str | None:
        lang = element.get(XML_LANG)
        if lang is None:
            self.problem(path, f"<{etree.QName(element).localname}> needs an xml:lang attribute", element)
        return lang

    def add_language(self, texts: dict[str, str], element: etree._Element, value: str, path: Path) -> None:
        lang = self.language(element, path)
        if lang is None:
            return
        if lang.lower() in (known.lower() for known in texts):
            self.problem(path, f"two texts in language {lang!r}", element)
        texts[lang] = value
        self.lines[format_path((*path, lang))] = element.sourceline

    def problem(self, path: Path, message: str, element: etree._Element) -> None:
        self.problems.append(Problem(format_path(path), message, element.sourceline))


def _show(tag: str) -> str:
    qname = etree.QName(tag)
    return f"<{qname.localname}>" + (f" (namespace {qname.namespace})" if qname.namespace != NAMESPACE else "")


def check_xml(raw: bytes) -> list[Problem]:
    """Problems of `raw` against `schemas/pps-1.0.xsd` (the fast lxml engine)."""
    from .xml_schema import schema_problems  # the schema is loaded only when a check is asked for

    return schema_problems(raw)


register_format("xml", (".xml",), read_xml, write_xml, check_xml)
