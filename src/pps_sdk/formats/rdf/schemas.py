"""The files in `schemas/` for RDF, generated so they cannot drift from the code:

- `cpsv-ap-3.2.0-shapes.ttl`: SHACL for CPSV-AP 3.2.0, from the facts in `vocab.cpsv_ap`;
- `pps-shapes.ttl`: SHACL for our extension and for the PPS rules SHACL can say (required
  fields, one value where the model holds one, code lists, bounds), from the models;
- `pps-vocabulary.ttl`: our extension vocabulary with Latvian and English labels and definitions;
- `pps-context.jsonld`: the JSON-LD context our documents use.

`pps schema shacl|vocabulary|context --out DIR` writes them; tests fail when the committed
files differ from what the code generates.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from ...model import MODELS, DeliveryTask, Office, PPSModel, ProviderTask
from ...model.base import collection_model, field_terms
from ...model.enums import IMPORTANCE_LV, MATURITY_LV, Importance, Maturity
from ...vocab import NAMESPACES, PPS_VOCABULARY, compact, cpsv_ap, frequency_iri
from ...vocab.extension import VOCABULARY_VERSION
from .mapping import (CONCEPT, CONCEPT_IRI, CURRENCY, DOCUMENT, FREQUENCY, LANGUAGE, LITERAL, NODE, OWNED, REF, SKIP,
                      TERRITORY, TEXT, TYPE_CODE, WORDS, code_lists, concept_local_name, expand, rdf_fields)
from .syntax import bind_prefixes
from .writer import DCT, QB, SKOS, provider_role

CPSV_AP_SHAPES = Namespace("https://w3id.org/pps-lv/shapes/cpsv-ap-3.2.0#")
PPS_SHAPES = Namespace("https://w3id.org/pps-lv/shapes/pps#")
VOCABULARY_IRI = URIRef(PPS_VOCABULARY.rstrip("#"))

SCHEMA_FILES = {"shacl": ("cpsv-ap-3.2.0-shapes.ttl", "pps-shapes.ttl"), "vocabulary": ("pps-vocabulary.ttl",),
                "context": ("pps-context.jsonld",)}

_IRI_CLASSES = {DOCUMENT: "foaf:Document", CONCEPT_IRI: "skos:Concept", LANGUAGE: "dct:LinguisticSystem",
                TERRITORY: "dct:Location", CURRENCY: "skos:Concept", FREQUENCY: "skos:Concept",
                TYPE_CODE: "skos:Concept", CONCEPT: "skos:Concept"}


def schema_texts(kind: str) -> dict[str, str]:
    """File name → text of the generated schema files of one `kind` (see SCHEMA_FILES)."""
    if kind == "shacl":
        return {"cpsv-ap-3.2.0-shapes.ttl": _turtle(cpsv_ap_shapes()), "pps-shapes.ttl": _turtle(pps_shapes())}
    if kind == "vocabulary":
        return {"pps-vocabulary.ttl": _turtle(vocabulary())}
    if kind == "context":
        return {"pps-context.jsonld": json.dumps({"@context": dict(NAMESPACES)}, indent=2) + "\n"}
    raise ValueError(f"unknown schema kind {kind!r}; known: {', '.join(SCHEMA_FILES)}")


def _turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def _graph() -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("sh", SH)
    return graph


# -- CPSV-AP 3.2.0 -----------------------------------------------------------------------

def cpsv_ap_shapes() -> Graph:
    """SHACL shapes for CPSV-AP 3.2.0, written from the specification's class tables."""
    graph = _graph()
    graph.bind("cpsvap-shapes", CPSV_AP_SHAPES)
    for cls, properties in cpsv_ap.CLASSES.items():
        name = cls.split(":")[1]
        shape = CPSV_AP_SHAPES[f"{name}Shape"]
        graph.add((shape, RDF.type, SH.NodeShape))
        graph.add((shape, SH.targetClass, expand(cls)))
        graph.add((shape, RDFS.label, Literal(cpsv_ap.LABELS[cls], lang="en")))
        for predicate, range_, low, high in properties:
            if range_ == "literal" and low == 0 and high is None:
                continue
            prop = CPSV_AP_SHAPES[f"{name}Shape-{predicate.replace(':', '-')}"]
            graph.add((shape, SH.property, prop))
            _constrain(graph, prop, expand(predicate), low, high, _range(range_))
            graph.add((prop, SH.message, Literal(_message(cpsv_ap.LABELS[cls], predicate, low, high, f"a {range_}"), lang="en")))
    return graph


def _range(range_: str) -> tuple[URIRef | None, URIRef | None]:
    """(datatype, class) of a range in the facts table."""
    datatypes = {"text": RDF.langString, "double": XSD.double, "duration": XSD.duration, "literal": None}
    if range_ in datatypes:
        return datatypes[range_], None
    return None, expand(range_)


def _message(label: str, predicate: str, low: int, high: int | None, range_: str) -> str:
    count = (f"exactly {low}" if low == high else f"at least {low}" if low else f"at most {high}" if high else "any number of")
    return f"{label}: {count} {predicate}, each {range_}"


def _constrain(graph: Graph, prop: Any, path: URIRef, low: int, high: int | None,
               kind: tuple[URIRef | None, URIRef | None]) -> None:
    datatype, cls = kind
    graph.add((prop, RDF.type, SH.PropertyShape))
    graph.add((prop, SH.path, path))
    if low:
        graph.add((prop, SH.minCount, Literal(low)))
    if high is not None:
        graph.add((prop, SH.maxCount, Literal(high)))
    if datatype is not None:
        graph.add((prop, SH.datatype, datatype))
    if cls is not None:
        graph.add((prop, SH["class"], cls))


# -- PPS: the extension and the rules of our models ---------------------------------------------

def pps_shapes() -> Graph:
    """SHACL shapes for data written by this SDK: every field of every model, with the
    cardinality, type, code list and bounds the model requires."""
    graph = _graph()
    graph.bind("pps-shapes", PPS_SHAPES)
    for model in _written_models():
        shape = PPS_SHAPES[f"{model.__name__}Shape"]
        graph.add((shape, RDF.type, SH.NodeShape))
        graph.add((shape, SH.targetClass, expand(model.rdf_class)))
        graph.add((shape, RDFS.label, Literal(model.__name__, lang="en")))
        fields = rdf_fields(model)
        shared = {f.predicate for f in fields if sum(g.predicate == f.predicate for g in fields) > 1}
        for field in fields:
            if field.codec == SKIP:
                continue
            prop = PPS_SHAPES[f"{model.__name__}Shape-{field.name}"]
            graph.add((shape, SH.property, prop))
            info = model.model_fields[field.name]
            low = 1 if field.required and not field.many else _min_length(info)
            high = None if field.many or field.codec in (TEXT, WORDS) else 1
            kind = (None, None) if field.predicate in shared else _field_kind(field)
            _constrain(graph, prop, field.predicate, low, high, kind)
            graph.add((prop, SH.name, Literal(field.name)))
            graph.add((prop, SH.message, Literal(_field_message(model, field, low, high, kind), lang="en")))
            _bounds(graph, prop, info)
            if field.codec == CONCEPT:
                _allowed(graph, prop, [expand(f"pps:{concept_local_name(m)}") for m in field.target])
            elif field.codec == FREQUENCY:
                _allowed(graph, prop, [URIRef(frequency_iri(m.value)) for m in field.target])
        for field in fields:
            _codec_shape(graph, shape, model, field)
    return graph


def _codec_shape(graph: Graph, shape: URIRef, model: type[PPSModel], field: Any) -> None:
    """The property shape a field's codec describes, if it describes one."""
    described = field.form.shape(PPS_VOCABULARY) if field.codec == SKIP else None
    if described is None:
        return
    path, low, allowed = described
    prop = PPS_SHAPES[f"{model.__name__}Shape-{field.name}"]
    graph.add((shape, SH.property, prop))
    _constrain(graph, prop, expand(path), low, None, (None, expand("skos:Concept")))
    _allowed(graph, prop, [URIRef(iri) for iri in allowed])


def provider_role_iri(task: DeliveryTask, office: Office) -> URIRef:
    return provider_role(PPS_VOCABULARY, task.value, office.value)


def _field_message(model: type[PPSModel], field: Any, low: int, high: int | None, kind: tuple[Any, Any]) -> str:
    curie = field_terms(model)[field.name].rdf
    datatype, cls = kind
    if field.codec in (CONCEPT, FREQUENCY):
        what = f"a code of {field.target.__name__}"
    elif datatype is not None or cls is not None:
        what = "a " + compact(str(datatype or cls))
    else:
        what = "any value"
    return _message(f"{model.__name__}.{field.name}", curie, low, high, what)


def _written_models() -> list[type[PPSModel]]:
    # Provider tasks are written as role concepts, not as nodes of their own.
    return [m for m in MODELS if m.__name__ != "ProviderTask"]


def _field_kind(field: Any) -> tuple[URIRef | None, URIRef | None]:
    if field.codec in (TEXT, WORDS):
        return RDF.langString, None
    if field.codec == LITERAL:
        return field.datatype, None
    if field.codec == REF:
        return None, expand(collection_model(field.collection).rdf_class)
    if field.codec in (NODE, OWNED):
        return None, expand(field.target.rdf_class)
    return None, expand(_IRI_CLASSES[field.codec])


def _min_length(info: Any) -> int:
    return next((m.min_length for m in info.metadata if getattr(m, "min_length", None)), 0)


def _bounds(graph: Graph, prop: Any, info: Any) -> None:
    for meta in info.metadata:
        for attribute, constraint in (("ge", SH.minInclusive), ("le", SH.maxInclusive)):
            value = getattr(meta, attribute, None)
            if value is not None:
                graph.add((prop, constraint, Literal(float(value))))


def _allowed(graph: Graph, prop: Any, values: list[URIRef]) -> None:
    head = BNode()
    Collection(graph, head, values)
    graph.add((prop, SH["in"], head))


# -- the vocabulary --------------------------------------------------------------------------------

def vocabulary() -> Graph:
    """Our extension vocabulary: classes, properties, code lists, provider roles, and the
    structure of the measurement data cube, labelled and defined in Latvian and English."""
    graph = _graph()
    pps = Namespace(PPS_VOCABULARY)
    graph.add((VOCABULARY_IRI, RDF.type, OWL.Ontology))
    graph.add((VOCABULARY_IRI, OWL.versionInfo, Literal(VOCABULARY_VERSION)))
    graph.add((VOCABULARY_IRI, DCT.title, Literal("Publisko pakalpojumu sistēmas paplašinājums CPSV-AP", lang="lv")))
    graph.add((VOCABULARY_IRI, DCT.title, Literal("Latvian public service system extension to CPSV-AP", lang="en")))
    graph.add((VOCABULARY_IRI, RDFS.comment, Literal(
        "What CPSV-AP 3.2.0 has no term for: service kind, importance, maturity, public function and task, "
        "provider tasks and offices, service manager, channel strategy, unified services, publishing state, "
        "validity, indicator passports and measurements.", lang="en")))
    for model in _written_models():
        if model.rdf_class.startswith("pps:"):
            english = (model.__doc__ or "").strip().splitlines()[0]
            _term(graph, expand(model.rdf_class), OWL.Class, _humanise(model.__name__),
                  model.definition_lv or english, english, lv=model.label_lv or _humanise(model.__name__))
    for curie, (lv_label, en_label, comment, kind, definition) in _properties().items():
        _term(graph, expand(curie), kind, en_label, definition, comment, lv=lv_label)
    for enum in code_lists():
        _scheme(graph, pps, enum)
    _roles(graph, pps)
    _cube(graph, pps)
    return graph


def _term(graph: Graph, node: URIRef, kind: URIRef, en: str, definition_lv: str, comment_en: str, lv: str) -> None:
    graph.add((node, RDF.type, kind))
    graph.add((node, RDFS.isDefinedBy, VOCABULARY_IRI))
    graph.add((node, RDFS.label, Literal(lv, lang="lv")))
    graph.add((node, RDFS.label, Literal(en, lang="en")))
    graph.add((node, SKOS.definition, Literal(definition_lv, lang="lv")))
    graph.add((node, SKOS.definition, Literal(comment_en, lang="en")))


def _properties() -> dict[str, tuple[str, str, str, URIRef, str]]:
    """Every pps: property: (Latvian label, English label, English definition, OWL kind,
    Latvian definition), from the first field that declares it. A property declared without a
    Latvian definition is defined by its Latvian name, so the vocabulary always has one."""
    found: dict[str, tuple[str, str, str, URIRef, str]] = {}
    # ProviderTask is written as role concepts, which carry its two properties.
    for model in (*_written_models(), ProviderTask):
        terms = field_terms(model)
        for field in rdf_fields(model):
            declared = terms[field.name]
            curie = declared.rdf
            if not curie.startswith("pps:"):
                continue
            if curie not in found:
                kind = OWL.DatatypeProperty if field.codec in (TEXT, WORDS, LITERAL) else OWL.ObjectProperty
                found[curie] = (declared.lv, _humanise(curie[4:]), declared.doc, kind, declared.lv_doc or "")
            elif declared.lv_doc and not found[curie][4]:
                found[curie] = (*found[curie][:4], declared.lv_doc)
    return {curie: (*entry[:4], entry[4] or entry[0]) for curie, entry in found.items()}


def _humanise(name: str) -> str:
    spaced = "".join(" " + c.lower() if c.isupper() else c for c in name).replace("_", " ").strip()
    return spaced


def _scheme(graph: Graph, pps: Namespace, enum: type[Enum]) -> None:
    scheme = pps[enum.__name__]
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, RDFS.label, Literal(_humanise(enum.__name__), lang="en")))
    labels_lv = {Importance: IMPORTANCE_LV, Maturity: MATURITY_LV}.get(enum)
    for member in enum:
        concept = pps[concept_local_name(member)]
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.notation, Literal(str(member.value))))
        lv = labels_lv[member.value] if labels_lv else member.lv
        graph.add((concept, SKOS.prefLabel, Literal(lv, lang="lv")))
        graph.add((concept, SKOS.prefLabel, Literal(_humanise(member.name.lower()), lang="en")))


def _roles(graph: Graph, pps: Namespace) -> None:
    scheme = pps.ProviderRole
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, RDFS.label, Literal("pakalpojuma sniedzēja loma", lang="lv")))
    graph.add((scheme, RDFS.label, Literal("provider role", lang="en")))
    for task in DeliveryTask:
        for office in Office:
            role = provider_role_iri(task, office)
            graph.add((role, RDF.type, SKOS.Concept))
            graph.add((role, SKOS.inScheme, scheme))
            graph.add((role, SKOS.prefLabel, Literal(f"{task.lv} ({office.value} office)", lang="lv")))
            graph.add((role, SKOS.prefLabel, Literal(f"{_humanise(task.value)} ({office.value} office)", lang="en")))
            graph.add((role, pps.deliveryTask, pps[concept_local_name(task)]))
            graph.add((role, pps.office, pps[concept_local_name(office)]))


def _cube(graph: Graph, pps: Namespace) -> None:
    """The data structure of measurements: dimensions, the measure and the unit."""
    structure = pps.MeasurementStructure
    graph.add((structure, RDF.type, QB.DataStructureDefinition))
    graph.add((structure, RDFS.label, Literal("rādītāju mērījumi", lang="lv")))
    graph.add((structure, RDFS.label, Literal("indicator measurements", lang="en")))
    for order, (role, prop) in enumerate([(QB.dimension, pps.indicator), (QB.dimension, pps.periodStart),
                                          (QB.dimension, pps.periodEnd), (QB.dimension, pps.channel),
                                          (QB.dimension, pps.segment), (QB.measure, pps.value),
                                          (QB.attribute, pps.unit)], start=1):
        component = pps[f"MeasurementStructure-{prop.split('#')[-1]}"]
        graph.add((structure, QB.component, component))
        graph.add((component, RDF.type, QB.ComponentSpecification))
        graph.add((component, role, prop))
        graph.add((component, QB.order, Literal(order)))
        kind = {QB.dimension: QB.DimensionProperty, QB.measure: QB.MeasureProperty, QB.attribute: QB.AttributeProperty}[role]
        graph.add((prop, RDF.type, kind))


# -- the mapping table of docs/rdf.md ------------------------------------------------------------

_HOW = {TEXT: "language-tagged literals", WORDS: "a language-tagged literal per keyword",
        REF: "IRI of the {collection} member", CONCEPT: "concept `pps:{enum}-…` (skos:Concept)",
        TYPE_CODE: "the code if it is an IRI, else `{{base}}code/…` with skos:notation (skos:Concept)",
        CONCEPT_IRI: "the IRI (skos:Concept)", DOCUMENT: "the IRI (foaf:Document)",
        LANGUAGE: "EU language IRI (dct:LinguisticSystem)", TERRITORY: "country/LVA or `…/atvk/{{code}}` (dct:Location)",
        CURRENCY: "EU currency IRI (skos:Concept)", FREQUENCY: "EU frequency IRI (skos:Concept)",
        NODE: "blank node ({target})", OWNED: "node ({target}) with an IRI of its own"}
def mapping_markdown() -> str:
    """The field → RDF table of docs/rdf.md, one section per model."""
    parts = []
    for model in _written_models():
        types = " + ".join(f"`{t}`" for t in (model.rdf_class, *_extra_types(model)))
        parts.append(f"#### {model.__name__} → {types}\n\n| field | predicate | written as |\n|---|---|---|")
        terms = field_terms(model)
        for field in rdf_fields(model):
            how = field.form.how(field.name) if field.form is not None else None
            if how is None:
                how = _HOW.get(field.codec, "literal ({datatype})").format(
                    collection=field.collection, enum=getattr(field.target, "__name__", ""),
                    target=f"`{getattr(field.target, 'rdf_class', '')}`", datatype=compact(str(field.datatype)))
            parts.append(f"| `{field.name}` | `{terms[field.name].rdf}` | {how} |")
        parts.append("")
    return "\n".join(parts)


def _extra_types(model: type[PPSModel]) -> tuple[str, ...]:
    from .mapping import EXTRA_TYPES

    return EXTRA_TYPES.get(model.__name__, ())
