"""The XML Schema of our format, generated from the models (`pps schema xsd`).

Every model becomes a complex type whose sequence follows `xml_shape`; every element
carries `sawsdl:modelReference` with the IRI of the CPSV-AP or `pps:` term it stands for, so
the schema doubles as the XML ↔ RDF mapping table. The catalogue element declares a key per
collection of shared objects and a keyref for every reference, so a schema validator also
catches dangling identifiers.
"""

from __future__ import annotations

from datetime import date, time
from enum import Enum, IntEnum
from typing import Annotated, Any, get_args, get_origin
from xml.sax.saxutils import escape, quoteattr

from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import AfterValidator, StringConstraints
from pydantic.fields import FieldInfo

from ..model import MODELS, Catalogue, Indicator, PPSModel
from ..model import types as t
from ..model.enums import IMPORTANCE_LV, MATURITY_LV, Code, Importance, Maturity
from ..model.text import Keywords, LangTag, NonBlankText
from ..vocab import expand
from .xml_shape import KEYWORDS, LANG, MODEL, NAMESPACE, SCHEMA_VERSION, XML_NAMESPACE, element_name, nested_models, xml_fields

SAWSDL = "http://www.w3.org/ns/sawsdl"
_BASE_TYPES = {str: "xs:string", float: "xs:double", int: "xs:integer", bool: "xs:boolean", date: "xs:date",
               time: "xs:time"}
_NON_BLANK = r"[\s\S]*\S[\s\S]*"  # XSD patterns match the whole value; the models search for a non-space

# Constrained string types of the models → (XSD type name, base, facets besides those their
# StringConstraints state, which follow from the model). What a validator checks in Python is
# said here in XSD words; the tests check both accept the same generated values.
_NAMED_TYPES: list[tuple[Any, str, str, list[tuple[str, str]]]] = [
    (t.Identifier, "Identifier", "xs:string", []),
    (t.SourceId, "SourceId", "xs:string", []),
    (t.ShortText, "ShortText", "xs:string", []),
    (NonBlankText, "NonBlankText", "xs:string", []),
    (t.Url, "Url", "xs:string", [("pattern", r"[hH][tT][tT][pP][sS]?://[^\s/?#]+\S*")]),
    (t.Email, "Email", "xs:string", []),
    (t.Telephone, "Telephone", "xs:string", []),
    # ISO 8601 in three steps, since XSD has no lookahead: the shape, at least one number,
    # and a T only when a time part follows.
    (None, "DurationShape", "xs:string",
     [("pattern", r"P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?")]),
    (None, "DurationWithNumber", "DurationShape", [("pattern", r".*[0-9].*")]),
    (t.Duration, "Duration", "DurationWithNumber", [("pattern", r"[^T]*(T[0-9].*)?")]),
    (t.Territory, "Territory", "xs:string", []),
    (t.RegistrationNumber, "RegistrationNumber", "xs:string", []),
    (t.LanguageCode, "LanguageCode", "xs:string", [("enumeration", code) for code in sorted(t.LANGUAGES)]),
    (t.Currency, "Currency", "xs:string", []),
    (LangTag, "LanguageTag", "xs:language", []),
]


def _facets(alias: Any, extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The facets of a named type: those its StringConstraints state, then `extra`."""
    rule = next((r for r in constraints_of(alias)[1] if isinstance(r, StringConstraints)), None) if alias else None
    if rule is None:
        return extra
    stated = [("minLength", str(rule.min_length))] if rule.min_length is not None else []
    stated += [("maxLength", str(rule.max_length))] if rule.max_length is not None else []
    stated += [("pattern", _xsd_pattern(rule.pattern))] if rule.pattern else []
    return stated + extra


def _xsd_pattern(pattern: str) -> str:
    """A model's pattern as XSD states it: XSD matches the whole value, so an anchored
    pattern loses its anchors, and a search for a non-space becomes a whole-value pattern."""
    if pattern == r"\S":
        return _NON_BLANK
    if pattern.startswith("^") and pattern.endswith("$"):
        return pattern[1:-1]
    raise TypeError(f"no XSD form for the pattern {pattern!r}: anchor it (^…$)")


_INT_LABELS = {Importance: IMPORTANCE_LV, Maturity: MATURITY_LV}


def constraints_of(annotation: Any) -> tuple[Any, list[Any]]:
    """The base type of a possibly Annotated type and the constraints attached to it."""
    if get_origin(annotation) is not Annotated:
        return annotation, []
    base, *extra = get_args(annotation)
    found = []
    for item in extra:
        found.extend(item.metadata if isinstance(item, FieldInfo) else [item])
    return base, found


def is_type_rule(item: Any) -> bool:
    """Whether a constraint is one that makes a named type of ours (a pattern, a validator)."""
    return isinstance(item, (StringConstraints, AfterValidator))


_TYPE_BY_RULES = {tuple(filter(is_type_rule, constraints_of(alias)[1])): name
                  for alias, name, _, _ in _NAMED_TYPES if alias is not None}


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.enums: list[type[Enum]] = []

    def add(self, depth: int, text: str) -> None:
        self.lines.append("  " * depth + text)

    def simple_type(self, annotation: Any, field_metadata: tuple[Any, ...] = ()) -> tuple[str | None, list[str]]:
        """(type name, or None and the body of an anonymous simple type) for a scalar."""
        base, rules = constraints_of(annotation)
        rules += list(field_metadata)
        named = tuple(filter(is_type_rule, rules))
        facets = [r for r in rules if isinstance(r, (Ge, Le))]
        if named:
            if named not in _TYPE_BY_RULES:
                raise TypeError(f"no XSD type for constraints {named}: add the type to _NAMED_TYPES")
            type_name = _TYPE_BY_RULES[named]
        elif isinstance(base, type) and issubclass(base, Enum):
            if base not in self.enums:
                self.enums.append(base)
            type_name = base.__name__
        else:
            type_name = _BASE_TYPES[base]
        if not facets:
            return type_name, []
        body = [f'<xs:restriction base="{type_name}">']
        body += [f'  <xs:minInclusive value="{f.ge}"/>' if isinstance(f, Ge) else f'  <xs:maxInclusive value="{f.le}"/>'
                 for f in facets]
        return None, [*body, "</xs:restriction>"]

    def model_type(self, model: type[PPSModel]) -> None:
        reference = f" sawsdl:modelReference={quoteattr(expand(model.rdf_class))}" if model.rdf_class else ""
        self.add(1, f'<xs:complexType name="{model.__name__}"{reference}>')
        self.documentation(2, (model.__doc__ or "").strip().split("\n\n")[0])
        self.add(2, "<xs:sequence>")
        for field in xml_fields(model):
            self.field_element(field)
        self.add(2, "</xs:sequence>")
        self.add(1, "</xs:complexType>")

    def field_element(self, field: Any) -> None:
        lowest, highest = (1 if field.required else 0), ("unbounded" if field.many else "1")
        inline: list[str] = []
        if field.kind == MODEL:
            type_name = field.target.__name__
        elif field.kind == LANG:
            type_name, highest = "Text", "unbounded"
        elif field.kind == KEYWORDS:
            type_name, highest = "Keyword", "unbounded"
        else:
            type_name, inline = self.simple_type(field.target, () if field.many else field.metadata)
        for rule in field.metadata if field.many else ():
            if isinstance(rule, MinLen):
                lowest = max(lowest, rule.min_length) if field.required else rule.min_length
            elif isinstance(rule, MaxLen):
                highest = str(rule.max_length)
        attributes = f'name="{field.element}"' + (f' type="{type_name}"' if type_name else "")
        if lowest != 1:
            attributes += f' minOccurs="{lowest}"'
        if highest != "1":
            attributes += f' maxOccurs="{highest}"'
        if field.rdf:
            attributes += f" sawsdl:modelReference={quoteattr(expand(field.rdf))}"
        if not inline:
            self.add(3, f"<xs:element {attributes}/>")
            return
        self.add(3, f"<xs:element {attributes}>")
        self.add(4, "<xs:simpleType>")
        for line in inline:
            self.add(5, line)
        self.add(4, "</xs:simpleType>")
        self.add(3, "</xs:element>")

    def documentation(self, depth: int, text: str) -> None:
        if text:
            self.add(depth, f"<xs:annotation><xs:documentation>{escape(' '.join(text.split()))}</xs:documentation></xs:annotation>")

    def named_simple_types(self) -> None:
        for alias, name, base, extra in _NAMED_TYPES:
            self.add(1, f'<xs:simpleType name="{name}">')
            self.add(2, f'<xs:restriction base="{base}">')
            for facet, value in _facets(alias, extra):
                self.add(3, f"<xs:{facet} value={quoteattr(value)}/>")
            self.add(2, "</xs:restriction>")
            self.add(1, "</xs:simpleType>")
        keyword_type = get_args(get_args(Keywords)[1])[0]  # Keywords: language → list of this
        for name, base in (("Text", "NonBlankText"), ("Keyword", self.simple_type(keyword_type)[0])):
            self.add(1, f'<xs:complexType name="{name}">')
            self.add(2, f'<xs:simpleContent><xs:extension base="{base}">')
            self.add(3, '<xs:attribute ref="xml:lang" use="required"/>')
            self.add(2, "</xs:extension></xs:simpleContent>")
            self.add(1, "</xs:complexType>")

    def enum_types(self) -> None:
        for enum in self.enums:
            integer = issubclass(enum, IntEnum)
            self.add(1, f'<xs:simpleType name="{enum.__name__}">')
            self.documentation(2, (enum.__doc__ or "").strip())
            self.add(2, f'<xs:restriction base="{"xs:integer" if integer else "xs:string"}">')
            for member in enum:
                label = member.lv if isinstance(member, Code) else _INT_LABELS.get(enum, {}).get(int(member), "")
                value = int(member) if integer else member.value
                self.add(3, f'<xs:enumeration value="{value}">')
                self.documentation(4, label)
                self.add(3, "</xs:enumeration>")
            self.add(2, "</xs:restriction>")
            self.add(1, "</xs:simpleType>")

    def catalogue_element(self) -> None:
        self.add(1, f'<xs:element name="{element_name(Catalogue)}" type="Catalogue">')
        self.documentation(2, "Identifiers are unique per collection, and every reference resolves.")
        keys = {f.name: f"pps:{f.element}" for f in xml_fields(Catalogue)
                if f.kind == MODEL and "id" in f.target.model_fields}
        keys["indicators"] = " | ".join(_paths_to(lambda f: f.kind == MODEL and f.target is Indicator))
        for collection, selector in keys.items():
            self.add(2, f'<xs:key name="{collection}">')
            self.add(3, f'<xs:selector xpath="{selector}"/><xs:field xpath="pps:id"/>')
            self.add(2, "</xs:key>")
        for collection in keys:
            paths = _paths_to(lambda f, c=collection: f.ref == c)
            if paths:
                self.add(2, f'<xs:keyref name="{collection}-references" refer="{collection}">')
                self.add(3, f'<xs:selector xpath="{" | ".join(paths)}"/><xs:field xpath="."/>')
                self.add(2, "</xs:keyref>")
        self.add(1, "</xs:element>")


def _paths_to(wanted: Any) -> list[str]:
    """XPaths (relative to the catalogue element) of every element whose field satisfies `wanted`."""
    found: list[str] = []

    def walk(model: type[PPSModel], prefix: str) -> None:
        for field in xml_fields(model):
            path = f"{prefix}pps:{field.element}"
            if wanted(field):
                found.append(path)
            if field.kind == MODEL:
                walk(field.target, path + "/")

    walk(Catalogue, "")
    return found


def generate_xsd() -> str:
    """The text of `schemas/pps-1.0.xsd`."""
    writer = _Writer()
    writer.lines += [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Generated from the pps_sdk models by `pps schema xsd`; do not edit by hand. -->",
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:sawsdl="{SAWSDL}" xmlns="{NAMESPACE}"',
        f'           xmlns:pps="{NAMESPACE}" targetNamespace="{NAMESPACE}" elementFormDefault="qualified"',
        f'           version="{SCHEMA_VERSION}">',
    ]
    writer.documentation(1, f"pps XML format {SCHEMA_VERSION}: Latvian public service descriptions. Every 1.x "
                            "version keeps this namespace and only adds optional elements at the end of a "
                            "sequence, so a valid 1.0 document stays valid under every later 1.x schema.")
    writer.add(1, f'<xs:import namespace="{XML_NAMESPACE}" schemaLocation="xml.xsd"/>')
    writer.catalogue_element()
    for model in MODELS:
        if model is not Catalogue:
            writer.add(1, f'<xs:element name="{element_name(model)}" type="{model.__name__}"/>')
    for model in nested_models(Catalogue):
        writer.model_type(model)
    writer.named_simple_types()
    writer.enum_types()
    writer.lines.append("</xs:schema>")
    return "\n".join(writer.lines) + "\n"


XML_NAMESPACE_SCHEMA = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- The one attribute of the xml: namespace that the pps schema uses, declared so that
     validation needs no network access. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{XML_NAMESPACE}">
  <xs:attribute name="lang" type="xs:language"/>
</xs:schema>
"""
