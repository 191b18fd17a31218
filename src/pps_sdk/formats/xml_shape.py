"""How each model looks in our XML, derived from the models themselves.

One element per field, in declaration order, named after the field in lowerCamelCase; a
list field repeats its element, named in the singular (`holders` → `<holder>`). Text in
several languages repeats the element with `xml:lang`. The writer, the reader and the XSD
generator all read this one description, so they cannot disagree.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from ..model import LangText, PPSModel
from ..model.base import Term, field_terms

NAMESPACE = "https://w3id.org/pps-lv/xml/1"
"""Namespace of every 1.x version of the format; a 2.0 would get a new one."""

SCHEMA_VERSION = "1.0"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NAMESPACE}}}lang"

SCALAR, LANG, KEYWORDS, MODEL = "scalar", "lang", "keywords", "model"


@dataclass(frozen=True)
class XmlField:
    """One field of a model as XML: its element, what it holds and how often."""

    name: str  # the Python field
    element: str  # local element name
    tag: str  # element name with namespace, as lxml writes it: {namespace}element
    kind: str  # SCALAR, LANG, KEYWORDS or MODEL
    many: bool  # a list: the element repeats
    required: bool
    target: Any  # the model class (MODEL) or the scalar type, possibly Annotated (SCALAR)
    metadata: tuple[Any, ...]  # pydantic constraints declared on the field itself
    rdf: str | None
    ref: str | None


def camel(name: str) -> str:
    """`processing_time` → `processingTime`; `PublicService` → `publicService`."""
    head, *rest = name.split("_")
    return head[:1].lower() + head[1:] + "".join(part[:1].upper() + part[1:] for part in rest)


def element_name(model: type[BaseModel]) -> str:
    """The element a model is written as when it is the document's root."""
    return camel(model.__name__)


def _singular(element: str) -> str:
    return element[:-1] if element.endswith("s") else element


def _strip_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unions other than X | None have no XML form: {annotation}")
        return args[0]
    return annotation


def _kind(item: Any) -> str:
    base = get_args(item)[0] if get_origin(item) is Annotated else item
    if isinstance(base, type) and issubclass(base, LangText):
        return LANG
    if isinstance(base, type) and issubclass(base, BaseModel):
        return MODEL
    if isinstance(base, type) and (issubclass(base, Enum) or base in (str, int, float, bool)) or base.__module__ == "datetime":
        return SCALAR
    raise TypeError(f"no XML form for {item!r}")


@cache
def xml_fields(model: type[PPSModel]) -> tuple[XmlField, ...]:
    """The XML fields of `model`, in the order they appear in documents."""
    fields = []
    terms = field_terms(model)
    for name, info in model.model_fields.items():
        annotation = _strip_optional(info.annotation)
        origin = get_origin(annotation)
        many = origin is list
        if origin is dict:
            kind, item = KEYWORDS, get_args(annotation)[1]
        else:
            item = get_args(annotation)[0] if many else annotation
            kind = _kind(item)
            if many and kind == LANG:
                raise TypeError(f"{model.__name__}.{name}: a list of multilingual texts has no XML form")
        element = terms[name].xml or camel(name)
        fields.append(XmlField(
            name=name, element=(local := _singular(element) if (many or kind == KEYWORDS) and not terms[name].xml else element),
            tag=f"{{{NAMESPACE}}}{local}", kind=kind, many=many,
            required=info.is_required(), target=item,
            metadata=tuple(m for m in info.metadata if not isinstance(m, Term)),
            rdf=terms[name].rdf, ref=terms[name].ref,
        ))
    elements = [f.element for f in fields]
    if len(set(elements)) != len(elements):
        raise TypeError(f"{model.__name__}: two fields share an element name: {elements}")
    return tuple(fields)


@cache
def fields_by_tag(model: type[PPSModel]) -> dict[str, XmlField]:
    """The XML fields of `model` by their namespaced tag, for readers."""
    return {field.tag: field for field in xml_fields(model)}


def nested_models(root: type[PPSModel]) -> list[type[PPSModel]]:
    """`root` and every model reachable from it, each once, in first-use order."""
    found: list[type[PPSModel]] = []

    def visit(model: type[PPSModel]) -> None:
        if model in found:
            return
        found.append(model)
        for field in xml_fields(model):
            if field.kind == MODEL:
                visit(field.target)

    visit(root)
    return found
