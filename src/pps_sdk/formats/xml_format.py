"""Our XML format (namespace `https://w3id.org/pps-lv/xml/1`, schema `schemas/pps-1.0.xsd`).

Lossless: every field is written, in declaration order, and reading gives back an equal
model. Shared objects (organisations, channels…) appear once in the catalogue and are
referred to by identifier. The element layout comes from `xml_shape`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from lxml import etree

from ..errors import FormatError, ModelError, Problem
from ..model import PPSModel, format_path
from . import register_format, with_lines
from .safe_xml import parse_xml, unwritable_text
from .xml_shape import (KEYWORDS, LANG, MODEL, NAMESPACE, SCALAR, XML_LANG, element_name, fields_by_tag,
                        xml_fields)

_NS = f"{{{NAMESPACE}}}"
Path = tuple[str | int, ...]


# -- writing ----------------------------------------------------------------------------

def write_xml(obj: PPSModel) -> str:
    """The XML text of `obj` (UTF-8, indented, fields at their defaults left out)."""
    model = type(obj)
    data = obj.model_dump(mode="json", exclude_defaults=True)
    root = etree.Element(_NS + element_name(model), nsmap={None: NAMESPACE})
    try:
        _write_fields(root, model, data)
    except ValueError:  # lxml refuses characters XML cannot hold; find where, for the message
        path, bad = unwritable_text(data)
        raise FormatError(f"{format_path(path)}: the text holds U+{ord(bad):04X}, a character XML 1.0 "
                          "cannot carry; remove it or write JSON") from None
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _write_fields(parent: etree._Element, model: type[PPSModel], data: dict[str, Any]) -> None:
    # The hot path of every dump: plain loops, no bookkeeping.
    add = etree.SubElement
    for field in xml_fields(model):
        value = data.get(field.name)
        if value is None:
            continue
        tag, kind = field.tag, field.kind
        for item in value if field.many else (value,):
            if kind == MODEL:
                _write_fields(add(parent, tag), field.target, item)
            elif kind == LANG:
                for lang, text in item.items():
                    add(parent, tag, {XML_LANG: lang}).text = text
            elif kind == KEYWORDS:
                for lang, words in item.items():
                    for word in words:
                        add(parent, tag, {XML_LANG: lang}).text = word
            else:
                add(parent, tag).text = item if isinstance(item, str) else _scalar_text(item)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


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
    reader.lines[()] = root.sourceline
    data = reader.fields(root, model, ())
    if reader.problems:
        raise ModelError(reader.problems, f"invalid {model.__name__}")
    try:
        return model.model_validate(data)
    except ModelError as exc:
        raise with_lines(exc, {format_path(path): line for path, line in reader.lines.items()}) from None


class _Reader:
    """Turns elements into the plain data the models validate, noting each value's line."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.lines: dict[Path, int] = {}  # formatted only when a problem needs them

    def fields(self, element: etree._Element, model: type[PPSModel], path: Path) -> dict[str, Any]:
        by_tag = fields_by_tag(model)
        lines = self.lines
        data: dict[str, Any] = {}
        for child in element:
            field = by_tag.get(child.tag)
            if field is None:
                if isinstance(child.tag, str):  # comments and processing instructions carry no data
                    self.problem(path, f"unexpected element {_show(child.tag)} in <{element_name(model)}>", child)
                continue
            name, kind = field.name, field.kind
            if field.many:
                values = data.setdefault(name, [])
                where = (*path, name, len(values))
            else:
                where = (*path, name)
            lines[where] = child.sourceline
            if kind == MODEL:
                value = self.fields(child, field.target, where)
            elif len(child):
                self.problem(where, f"<{field.element}> holds text, not elements", child)
                continue
            else:
                value = child.text or ""
                if kind == SCALAR and (number := _number_reader(model, name)) is not None:
                    value = number(value)
            if kind == LANG:
                self.add_language(data.setdefault(name, {}), child, value, where)
            elif kind == KEYWORDS:
                lang = self.language(child, where)
                if lang is not None:
                    data.setdefault(name, {}).setdefault(lang, []).append(value)
            elif field.many:
                values.append(value)
            elif name in data:
                self.problem(where, f"<{field.element}> appears more than once", child)
            else:
                data[name] = value
        return data

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
        self.lines[(*path, lang)] = element.sourceline

    def problem(self, path: Path, message: str, element: etree._Element) -> None:
        self.problems.append(Problem(format_path(path), message, element.sourceline))


_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")
_DOUBLE = re.compile(r"\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*")


def _integer(text: str) -> int | str:
    return int(text) if _INTEGER.fullmatch(text) else text


def _double(text: str) -> float | str:
    return float(text) if _DOUBLE.fullmatch(text) else text


@cache
def _number_reader(model: type[PPSModel], name: str) -> Callable[[str], Any] | None:
    """How to read field `name` of `model` from text, if it holds a number.

    XML carries numbers as text, and the models take numbers only as numbers, so numbers
    written as the schema says (xs:integer, xs:double) are converted here; any other text
    is passed on for the model to refuse with its path and line.
    """
    target = next(f.target for f in xml_fields(model) if f.name == name)
    base = get_args(target)[0] if get_origin(target) is Annotated else target
    if isinstance(base, type) and issubclass(base, int):
        return _integer
    if base is float:
        return _double
    return None


def _show(tag: str) -> str:
    qname = etree.QName(tag)
    return f"<{qname.localname}>" + (f" (namespace {qname.namespace})" if qname.namespace != NAMESPACE else "")


def check_xml(raw: bytes) -> list[Problem]:
    """Problems of `raw` against `schemas/pps-1.0.xsd` (the fast lxml engine)."""
    from .xml_schema import schema_problems  # the schema is loaded only when a check is asked for

    return schema_problems(raw)


register_format("xml", (".xml",), read_xml, write_xml, check_xml)
