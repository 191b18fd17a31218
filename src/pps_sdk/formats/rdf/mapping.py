"""How each model field becomes RDF: its predicate and how its values are written.

The predicate is the field's own term (`term("dct:title", …)` in the model). How the value
is written follows from the field's type: text becomes language-tagged literals, codes
become `skos:Concept` IRIs, links become `foaf:Document` IRIs, references become the IRI of
the object referred to, nested models become nodes of their own. The few fields that need
more than that (opening hours in OWL-Time, provider roles) declare a codec of their own
(`model.codecs`), which writes, reads, shapes and documents their form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import Enum
from functools import cache
from typing import Any, get_args, get_origin

from rdflib import Namespace, URIRef

from ...model import Channel, Event, Frequency, PPSModel
from ...model.types import Currency, Duration, LanguageCode, Territory, Url
from ...model.base import field_terms
from ...model.catalogue import SHARED
from ...vocab import NAMESPACES, PPS_VOCABULARY
from ..xml_shape import KEYWORDS, LANG, MODEL, xml_fields

# How a field's values are written.
TEXT = "text"  # language-tagged literals
WORDS = "words"  # keywords: a language-tagged literal per word
NODE = "node"  # a nested model on a blank node
OWNED = "owned"  # a nested model with an IRI of its own (costs, rules, indicators…)
REF = "ref"  # an identifier of another object: that object's IRI
CONCEPT = "concept"  # a code of ours: a skos:Concept of our vocabulary
TYPE_CODE = "type-code"  # a free type code: its IRI if it is one, else a concept of ours
CONCEPT_IRI = "concept-iri"  # a link that names a concept (event types)
DOCUMENT = "document"  # a link: an IRI typed foaf:Document
LANGUAGE = "language"  # an EU language IRI typed dct:LinguisticSystem
TERRITORY = "territory"  # a dct:Location IRI
CURRENCY = "currency"  # an EU currency IRI typed skos:Concept
FREQUENCY = "frequency"  # an EU frequency IRI typed skos:Concept
LITERAL = "literal"  # a typed literal
SKIP = "skip"  # written by the field's codec alone

# Nested models that have an IRI, and the path segment that names them.
OWNED_SEGMENTS = {"costs": "cost", "requirements": "requirement", "outputs": "output", "rules": "rule",
                  "evidence": "evidence", "inputs": "input", "indicators": "indicator",
                  "providers": "participation"}

# Collections of the catalogue and the path segment of their members' IRIs.
# (`legal_resources` → `legal-resource`; indicators are identified catalogue-wide too).
COLLECTION_SEGMENTS = {name: name.removesuffix("s").replace("_", "-") for name in (*SHARED, "indicators")}

# Classes written besides a model's own `rdf_class`, because the official shapes check
# `sh:class` without inference: an organisation is also an org:Organization and a foaf:Agent
# (as `cv:ownedBy`, `dct:publisher`, `cv:hasParticipant` require), a life event a cv:Event.
EXTRA_TYPES = {"Organisation": ("org:Organization", "foaf:Agent"), "LifeEvent": ("cv:Event",),
               "BusinessEvent": ("cv:Event",)}

# Links that name something rather than point at a page: written as xsd:anyURI literals.
LINK_LITERALS = {("LegalResource", "eli")}

class Terms(Namespace):
    """An rdflib Namespace that gives the same IRI object for the same name every time.

    rdflib compares an IRI with an equal copy through a Python method (a dictionary or set
    lookup finds the very same object at once): with one object per term, the readers and
    writers look up predicates and classes at C speed."""

    _made: dict[tuple[str, str], URIRef] = {}

    def term(self, name: str) -> URIRef:
        if not isinstance(name, str):
            return super().term(name)
        key = (str(self), name)
        found = Terms._made.get(key)
        if found is None:
            found = Terms._made[key] = super().term(name)
        return found

    @property
    def title(self) -> URIRef:  # type: ignore[override]
        return self.term("title")

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        found = self.__dict__[name] = self.term(name)  # found at once the next time
        return found


XSD = Terms(NAMESPACES["xsd"])
RDF = Terms(NAMESPACES["rdf"])

DATATYPES = {float: XSD.double, int: XSD.integer, date: XSD.date, time: XSD.time, str: XSD.string}


@dataclass(frozen=True)
class RdfField:
    """One field of a model in RDF."""

    name: str
    predicate: URIRef
    codec: str
    many: bool
    required: bool
    target: Any  # nested model class, enum class or Python type
    collection: str | None = None  # for REF: the catalogue collection referred to
    datatype: URIRef | None = None  # for LITERAL
    form: Any = None  # the field's codec, when it declares one (`model.codecs`)


def expand(curie: str, vocabulary: str = PPS_VOCABULARY) -> URIRef:
    """The IRI of `curie`, with `pps:` in `vocabulary` (one object per IRI, see `Terms`); a
    whole IRI (`http://…`) stands for itself."""
    prefix, _, local = curie.partition(":")
    if local.startswith("//"):
        return Terms(prefix + ":").term(local)
    return Terms(vocabulary if prefix == "pps" else NAMESPACES[prefix]).term(local)


@cache
def term_in(curie: str, vocabulary: str) -> URIRef:
    """`expand`, remembered: the codecs name their terms by CURIE on every node."""
    return expand(curie, vocabulary)


def rdf_fields(model: type[PPSModel], vocabulary: str = PPS_VOCABULARY) -> tuple[RdfField, ...]:
    """The RDF form of every field of `model` that has an RDF term, in declaration order."""
    return _rdf_fields(model, vocabulary)


@cache
def _rdf_fields(model: type[PPSModel], vocabulary: str) -> tuple[RdfField, ...]:
    fields = []
    for xf in xml_fields(model):
        if xf.rdf is None:
            continue
        codec, target, collection, datatype = _codec(model, xf)
        fields.append(RdfField(xf.name, expand(xf.rdf, vocabulary), codec, xf.many, xf.required, target,
                               collection, datatype, field_terms(model)[xf.name].codec))
    return tuple(fields)


@cache
def codecs_of(model: type[PPSModel]) -> tuple[Any, ...]:
    """The codecs the fields of `model` declare, each once, in field order."""
    return tuple(dict.fromkeys(t.codec for t in field_terms(model).values() if t.codec is not None))


def _codec(model: type[PPSModel], xf: Any) -> tuple[str, Any, str | None, URIRef | None]:
    declared = field_terms(model)[xf.name]
    if declared.codec is not None and not declared.codec.generic:
        return SKIP, xf.target, None, None
    if xf.kind == LANG:
        return TEXT, None, None, None
    if xf.kind == KEYWORDS:
        return WORDS, None, None, None
    if xf.kind == MODEL:
        return (OWNED if xf.name in OWNED_SEGMENTS else NODE), xf.target, None, None
    if declared.refers_to:
        return REF, None, declared.refers_to, None
    special = _scalar_codecs(model, xf)
    if special:
        return special, xf.target, None, None
    base = get_args(xf.target)[0] if get_origin(xf.target) is not None and get_args(xf.target) else xf.target
    if isinstance(base, type) and issubclass(base, Enum):
        return (FREQUENCY if base is Frequency else CONCEPT), base, None, None
    if _is(xf, Duration):
        return LITERAL, str, None, XSD.duration
    if (model.__name__, xf.name) in LINK_LITERALS:
        return LITERAL, str, None, XSD.anyURI
    return LITERAL, base, None, DATATYPES[base]


def _is(xf: Any, annotated: Any) -> bool:
    """Whether field `xf` has the constrained type `annotated` (pydantic moves the constraints
    of a plain field into its metadata, but keeps them inside `X | None` and `list[X]`)."""
    if xf.target == annotated:
        return True
    return xf.target is get_args(annotated)[0] and list(xf.metadata) == list(annotated.__metadata__)


def _scalar_codecs(model: type[PPSModel], xf: Any) -> str | None:
    if (model.__name__, xf.name) in LINK_LITERALS:
        return None
    if _is(xf, Url):
        return CONCEPT_IRI if issubclass(model, Event) and xf.name == "type" else DOCUMENT
    if xf.name == "type" and xf.rdf == "dct:type" and not issubclass(model, Channel):
        return TYPE_CODE if not (isinstance(xf.target, type) and issubclass(xf.target, Enum)) else None
    for annotated, codec in ((LanguageCode, LANGUAGE), (Territory, TERRITORY), (Currency, CURRENCY)):
        if _is(xf, annotated):
            return codec
    return None


def enum_scheme(enum: type[Enum]) -> str:
    """The local name of the concept scheme of a code list (`ChannelType`)."""
    return enum.__name__


def concept_local_name(member: Enum) -> str:
    """The local name of a code's concept: `ChannelType-in_person`, `Importance-1`."""
    return f"{enum_scheme(type(member))}-{member.value}"


# Code lists of ours that become concept schemes of the vocabulary, in document order.
def code_lists() -> list[type[Enum]]:
    """Every code list used by a model field written as a concept of ours."""
    from ...model import MODELS

    found: list[type[Enum]] = []
    for model in MODELS:
        for field in rdf_fields(model):
            if field.codec == CONCEPT and field.target not in found:
                found.append(field.target)
    return found
