"""CPSV-AP 2.2.1, the previous major version: read it by renaming its terms to 3.2.0, and
write it (optionally) by renaming back, saying what 2.2.1 cannot hold.

The rename table follows the release notes of CPSV-AP 3.0.0, 3.1.0 and 3.2.0 and a comparison
of the 2.2.1 and 3.2.0 SHACL shapes. Reading needs no flag: a graph that uses
2.2.1-only terms is upgraded first, and each rename is reported as a repair.
"""

from __future__ import annotations

from datetime import time

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from ...model import Weekday
from ...vocab import compact
from .iris import Iris
from .syntax import bind_prefixes
from .writer import CPSV, CV, DCAT, DCT, FOAF, SKOS, TIME, XSD, GraphWriter

SCHEMA = Namespace("https://schema.org/")  # 2.2.1 binds schema: to https, unlike most schema.org data
SCHEMA_HTTP = Namespace("http://schema.org/")
ADMS_STATUS = URIRef("http://www.w3.org/ns/adms#status")

# 2.2.1 class → 3.2.0 class
CLASSES = {
    DCT.Agent: FOAF.Agent,
    CV.CriterionRequirement: CV.Requirement,
    CV.PublicServiceDataset: DCAT.Dataset,
    SCHEMA.ContactPoint: CV.ContactPoint,
}
# 2.2.1 property → 3.2.0 property, whatever the subject
PROPERTIES = {
    CV.hasCriterion: CV.holdsRequirement,
    CV.isDescribedAt: DCT.isPartOf,
    CV.hasContactPoint: CV.contactPoint,
    SCHEMA.email: CV.email,
    SCHEMA.telephone: CV.telephone,
    CV.value: CV.hasValue,
    CV.hasAddress: URIRef("http://www.w3.org/ns/locn#address"),
    CV.playsRole: CV.participates,
    CV.IsGroupedBy: CV.isGroupedBy,
    DCT.status: ADMS_STATUS,
}
_SIGNS = set(CLASSES) | set(PROPERTIES) | {SCHEMA.openingHours, SCHEMA.hoursAvailable}
_DAYS = {SCHEMA[day.value.capitalize()]: TIME[day.value.capitalize()] for day in Weekday} | {
    SCHEMA_HTTP[day.value.capitalize()]: TIME[day.value.capitalize()] for day in Weekday}


def is_2_2_1(graph: Graph) -> bool:
    """Whether the graph uses terms that only CPSV-AP 2.2.1 has."""
    return any((None, term, None) in graph or (None, RDF.type, term) in graph for term in _SIGNS)


def upgrade(graph: Graph) -> tuple[Graph, list[str]]:
    """A 3.2.0 graph from a 2.2.1 one, and what was renamed or restructured."""
    repairs: list[str] = []
    upgraded = Graph()
    renamed: dict[str, int] = {}
    for s, p, o in graph:
        if p == RDF.type and o in CLASSES:
            o = _count(renamed, o, CLASSES[o])
        elif p in PROPERTIES:
            p = _count(renamed, p, PROPERTIES[p])
        elif p == DCT.relation and (s, RDF.type, CPSV.PublicService) in graph:
            p = _count(renamed, p, CV.relatedService)
        elif p == DCT.relation and (s, RDF.type, CV.Event) in graph:
            p = _count(renamed, p, CV.hasRelatedService)
        upgraded.add((s, p, o))
    for old_new, count in sorted(renamed.items()):
        repairs.append(f"CPSV-AP 2.2.1: {old_new} ({count}×)")
    _inverse_links(upgraded)
    _numbers(upgraded, repairs)
    _opening_hours(upgraded, repairs)
    return upgraded, repairs


def _count(renamed: dict[str, int], old: URIRef, new: URIRef) -> URIRef:
    key = f"{compact(old)} → {compact(new)}"
    renamed[key] = renamed.get(key, 0) + 1
    return new


def _inverse_links(graph: Graph) -> None:
    """3.2.0 adds inverses 2.2.1 lacked: a dataset's parts, a participation's participant."""
    for service, dataset in list(graph.subject_objects(DCT.isPartOf)):
        if (dataset, RDF.type, DCAT.Dataset) in graph:
            graph.add((dataset, DCT.hasPart, service))
    for agent, participation in list(graph.subject_objects(CV.participates)):
        graph.add((participation, CV.hasParticipant, agent))


def _numbers(graph: Graph, repairs: list[str]) -> None:
    for cost, value in list(graph.subject_objects(CV.hasValue)):
        if isinstance(value, Literal) and value.datatype != XSD.double:
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                continue
            graph.set((cost, CV.hasValue, Literal(repr(number), datatype=XSD.double, normalize=False)))
            repairs.append(f"cost <{cost}>: value {str(value)!r} written as xsd:double")


def _opening_hours(graph: Graph, repairs: list[str]) -> None:
    """schema:hoursAvailable (days, opens, closes) becomes OWL-Time opening hours."""
    writer = GraphWriter(graph, Iris())
    for holder, spec in list(graph.subject_objects(SCHEMA.hoursAvailable)):
        opens, closes = graph.value(spec, SCHEMA.opens), graph.value(spec, SCHEMA.closes)
        days = [_DAYS[d] for d in graph.objects(spec, SCHEMA.dayOfWeek) if d in _DAYS]
        if opens is None or closes is None:
            continue
        try:
            clocks = time.fromisoformat(str(opens)), time.fromisoformat(str(closes))
        except ValueError:  # e.g. a Java date printed in full ('Sun Dec 31 09:00:00 CET 1899')
            repairs.append(f"<{holder}>: schema:hoursAvailable <{spec}> gives no clock times "
                           f"(opens {str(opens)[:40]!r}, closes {str(closes)[:40]!r}): not read")
            continue
        hours = URIRef(f"{spec}-hours") if isinstance(spec, URIRef) else spec
        graph.add((holder, CV.openingHours, hours))
        graph.add((hours, RDF.type, TIME.TemporalEntity))
        graph.add((hours, TIME.hasBeginning, writer.instant(clock=clocks[0], days=days)))
        graph.add((hours, TIME.hasEnd, writer.instant(clock=clocks[1], days=days)))
        for p in (SCHEMA.opens, SCHEMA.closes, SCHEMA.dayOfWeek, RDF.type):
            graph.remove((spec, p, None))
        graph.remove((holder, SCHEMA.hoursAvailable, spec))
        repairs.append(f"<{holder}>: schema:hoursAvailable made into cv:openingHours")


# -- writing 2.2.1 -------------------------------------------------------------------------------

_BACK_CLASSES = {new: old for old, new in CLASSES.items()}
_BACK_PROPERTIES = {new: old for old, new in PROPERTIES.items() if old not in (CV.IsGroupedBy, DCT.status)}
_BACK_PROPERTIES[CV.isGroupedBy] = CV.IsGroupedBy  # the 2.2.1 shapes spell it so
# Properties 2.2.1 holds once per subject (1..1 before 3.0.0).
_ONCE = (DCT.title, DCT.description, SKOS.prefLabel, CV.hasCompetentAuthority)


def downgrade(graph: Graph, base: str, language: str = "lv") -> tuple[Graph, list[str]]:
    """A CPSV-AP 2.2.1 graph from a 3.2.0 one, and what 2.2.1 could not hold.

    2.2.1 allows one title, description and label per object: the text in `language` is
    kept (else the first); a service keeps its first competent authority. 2.2.1 wants IRIs
    where 3.2.0 allows blank nodes, so blank nodes get IRIs under `base` (.well-known/genid).
    """
    losses: list[str] = []
    graph = graph.skolemize(authority=base, basepath="/.well-known/genid/")
    old = Graph()
    bind_prefixes(old)
    old.bind("schema", SCHEMA)
    for s, p, o in graph:
        if p == RDF.type and o in _BACK_CLASSES:
            o = _BACK_CLASSES[o]
        elif p in _BACK_PROPERTIES:
            p = _BACK_PROPERTIES[p]
        elif p == CV.relatedService or p == CV.hasRelatedService:
            p = DCT.relation
        elif p == CV.hasParticipant:  # 2.2.1 links the other way: the agent plays a role
            s, p, o = o, CV.playsRole, s
        elif p == DCT.hasPart:
            continue  # an inverse 2.2.1 does not have
        elif p == CPSV.implements:
            # The 2.2.1 shapes want a public service here (a bug fixed in 3.0.0); a legal act is not one.
            losses.append(f"<{s}> cpsv:implements <{o}>: left out, the 2.2.1 shapes would reject a legal act there")
            continue
        old.add((s, p, o))
    for predicate in _ONCE:
        for subject in set(old.subjects(predicate)):
            values = sorted(old.objects(subject, predicate), key=lambda v: (getattr(v, "language", None) != language, str(v)))
            for extra in values[1:]:
                old.remove((subject, predicate, extra))
            if len(values) > 1:
                losses.append(f"<{subject}> {predicate.n3(old.namespace_manager)}: kept 1 of {len(values)} values")
    return old, losses

