"""Profiles: named sets of rules a reading of RDF is checked against, into one report.

- `cpsv-ap`: the constraints of CPSV-AP 3.2.0 and nothing more (the official SHACL shapes,
  as shipped in `schemas/cpsv-ap-3.2.0-shapes.ttl`).
- `pps`: those, plus our extension's shapes, the Latvian profile (`PPS-…` rules below) and
  what our model requires of each service, organisation, channel, legal resource and event.

Every finding names its rule: a SHACL rule is `{shape}:{constraint}` (for example
`PublicServiceShape-dct-identifier:MinCount`), one of ours `PPS-…`. Each violation is
reported once, with the node's IRI and the line where the document names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from ..model import Catalogue
from ..model.types import Email, Telephone
from ..vocab import ATVK, EU_AUTHORITY, LATVIA_IRIS, compact
from . import BOTH, MODEL, RULES, Finding, Report, Rule, Severity, declare, lv_text, rule_id
from .reading import Reading, node_name

PROFILES = ("cpsv-ap", "pps")
CV = "http://data.europa.eu/m8g/"
_ELI = URIRef("http://data.europa.eu/eli/ontology#LegalResource")
_ELI_ID = URIRef("http://data.europa.eu/eli/ontology#id_local")
_FOAF_PAGE = URIRef("http://xmlns.com/foaf/0.1/page")
_DCT = "http://purl.org/dc/terms/"


GraphRule = Callable[[Graph], Iterator[tuple[Any, str, str]]]
_GRAPH_RULES: list[tuple[Rule, GraphRule]] = []


def rule(identifier: str, severity: Severity, requires: str) -> Callable[[GraphRule], GraphRule]:
    """Register a rule of the Latvian profile run on the whole graph; it yields (node, path, message)."""
    def register(func: GraphRule) -> GraphRule:
        declare(identifier, severity, requires)
        _GRAPH_RULES.append((RULES[identifier], func))
        return func
    return register


def _constraint(annotated: Any) -> re.Pattern[str]:
    return re.compile(next(m.pattern for m in annotated.__metadata__ if getattr(m, "pattern", None)))


_PHONE, _EMAIL = _constraint(Telephone), _constraint(Email)


@rule("PPS-LV-TEXT", Severity.WARNING, "a service has its title and description in Latvian (@lv)")
def latvian_text(graph: Graph) -> Iterator[tuple[Any, str, str]]:
    for service in graph.subjects(RDF.type, URIRef("http://purl.org/vocab/cpsv#PublicService")):
        for name in ("title", "description"):
            texts = [o for o in graph.objects(service, URIRef(_DCT + name)) if isinstance(o, Literal)]
            if texts and not any((o.language or "").lower().startswith("lv") for o in texts):
                yield service, f"dct:{name}", "no Latvian text: the national catalogue publishes descriptions in Latvian"


@rule("PPS-LEGAL-LINK", Severity.ERROR, "a legal resource links to likumi.lv (foaf:page) or has an ELI (eli:id_local)")
def legal_link(graph: Graph) -> Iterator[tuple[Any, str, str]]:
    for act in graph.subjects(RDF.type, _ELI):
        pages = [str(p) for p in graph.objects(act, _FOAF_PAGE)]
        elis = [str(e) for e in graph.objects(act, _ELI_ID)]
        if not any("likumi.lv" in p for p in pages) and not any("/eli/" in e for e in elis):
            yield act, "foaf:page", "no likumi.lv link (foaf:page) and no ELI (eli:id_local)"


@rule("PPS-PHONE", Severity.ERROR, "a telephone number is digits, spaces, brackets and dashes, optionally after '+'")
def phone_form(graph: Graph) -> Iterator[tuple[Any, str, str]]:
    for point, phone in graph.subject_objects(URIRef(CV + "telephone")):
        if not _PHONE.match(str(phone)):
            yield point, "cv:telephone", f"{_short(phone)!r} is not a telephone number (e.g. +371 67 123 456)"


@rule("PPS-EMAIL", Severity.ERROR, "an e-mail address has the form name@domain.tld, without 'mailto:'")
def email_form(graph: Graph) -> Iterator[tuple[Any, str, str]]:
    for point, email in graph.subject_objects(URIRef(CV + "email")):
        if not _EMAIL.match(str(email)) or str(email).startswith("mailto:"):
            yield point, "cv:email", f"{_short(email)!r} is not an e-mail address (e.g. pasts@iestade.lv)"


@rule("PPS-TERRITORY", Severity.ERROR, "a public organisation acts in Latvia or in a Latvian municipality (ATVK code)")
def latvian_territory(graph: Graph) -> Iterator[tuple[Any, str, str]]:
    for organisation in graph.subjects(RDF.type, URIRef(CV + "PublicOrganisation")):
        for place in graph.objects(organisation, URIRef(_DCT + "spatial")):
            if str(place) not in LATVIA_IRIS and not str(place).startswith(ATVK):
                yield organisation, "dct:spatial", f"<{place}> is neither Latvia nor a Latvian municipality"


@rule("PPS-CONTACT", Severity.ERROR, "a contact point gives an e-mail address, a telephone number or a contact page")
def reachable_contact(graph: Graph) -> Iterator[tuple[Any, str, str]]:
    ways = [URIRef(CV + name) for name in ("email", "telephone", "contactPage")]
    for point in graph.subjects(RDF.type, URIRef(CV + "ContactPoint")):
        if not any((point, way, None) in graph for way in ways):
            yield point, "cv:contactPoint", "gives no e-mail, telephone or contact page"


_NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|\\^`]')


@rule("PPS-IRI", Severity.ERROR, "an IRI holds no space, quote, angle bracket, brace, backslash or control character")
def well_formed_iris(graph: Graph) -> Iterator[tuple[Any, str, str]]:
    # JSON-LD and RDF/XML accept any text as an IRI; Turtle and N-Triples cannot write such a one.
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and _NOT_IN_IRIS.search(term):
                yield triple[0], compact(str(triple[1])), f"<{_short(term)}> is not a well-formed IRI"


READ_NOTE = declare("PPS-READ", Severity.INFO, "nothing: it says what reading did (renames from CPSV-AP 2.2.1 "
                    "are reported by both profiles; what could not be read by the pps profile)", BOTH)
SHAPES = declare("PPS-SHAPES", Severity.ERROR, "the document can be checked against the shapes at all", BOTH)
NO_SERVICE = declare("PPS-NO-SERVICE", Severity.ERROR, "the document describes at least one cpsv:PublicService", BOTH)

# Model problems that a rule above reports in its own words.
_COVERED = re.compile(r"(telephones|emails)\[\d+\]$|^url$|^eli$|(^|\.)territory$")


def check_reading(reading: Reading, subject: str, profile: str = "pps", today: date | None = None) -> Report:
    """The report of `profile` on a lenient reading: every problem, each once."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    report = Report(subject, profile=profile, services_read=len(reading.services), leftovers=reading.leftovers)
    if not reading.services:
        report.findings.append(Finding(Severity.ERROR, "", "the document describes no cpsv:PublicService"
                                       + _near_misses(reading.graph), "rules", rule=NO_SERVICE))
    shapes = ("cpsv-ap",) if profile == "cpsv-ap" else ("cpsv-ap", "pps")
    report.findings += shacl_findings(reading, shapes)
    if profile == "pps":
        report.findings += _profile_findings(reading, report.findings)
        report.findings += _business_findings(reading, today)
    notes = dict.fromkeys(note for note in reading.notes if profile == "pps" or note.kind == "upgrade")  # a shared node's, once
    report.findings += [Finding(Severity.INFO, "", note.message, "reading", None, READ_NOTE, note.node)
                        for note in notes]
    lines = reading.lines_of({finding.node for finding in report.findings if finding.node})
    report.findings = [replace(finding, line=lines.get(finding.node)) for finding in report.findings]
    report.findings = _blank_nodes_named(reading.graph, report.findings)
    return report


def _blank_nodes_named(graph: Any, findings: list[Finding]) -> list[Finding]:
    """Findings about a blank node say its dct:identifier, where it has one: the parser's label
    for it names nothing the document's author wrote."""
    named = {}
    for node in {finding.node for finding in findings if finding.node.startswith("_:")}:
        texts = sorted(str(value) for value in graph.objects(BNode(node[2:]), DCT_IDENTIFIER) if isinstance(value, Literal))
        if texts:
            named[node] = f" (the blank node with dct:identifier {texts[0]!r})"
    return [replace(finding, message=finding.message + named[finding.node]) if finding.node in named else finding
            for finding in findings]


DCT_IDENTIFIER = URIRef(_DCT + "identifier")


def _near_misses(graph: Any) -> str:
    """Classes of the document named like a service (another profile's, an older namespace's),
    said with the class CPSV-AP expects."""
    iris = {str(cls) for cls in graph.objects(None, RDF.type) if isinstance(cls, URIRef)}
    if CPSV_SERVICE in iris:
        return "; the document has services, but not in the chosen catalogue"
    named = sorted(iri for iri in iris if _SERVICE_LIKE.search(iri) and not iri.startswith(_DCAT))
    if not named:
        return ""
    shown = ", ".join(f"<{cls}>" for cls in named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")
    return f"; it has nodes of {shown}: CPSV-AP's class is <{CPSV_SERVICE}>"


_SERVICE_LIKE = re.compile(r"[#/:][^#/:]*Service[^#/:]*$", re.IGNORECASE)
CPSV_SERVICE = "http://purl.org/vocab/cpsv#PublicService"
_DCAT = "http://www.w3.org/ns/dcat#"  # dcat:DataService is a service of another kind


def shacl_findings(reading: Reading, which: tuple[str, ...]) -> list[Finding]:
    """One finding per violated constraint of the shapes, per node, path and value."""
    results = []
    for name in which:
        try:
            results += shacl_results(reading.graph, name)
        except Exception as exc:  # noqa: BLE001 - pyshacl fails on IRIs it cannot write (reported as PPS-IRI)
            return [Finding(Severity.ERROR, "", f"the {name} shapes could not be checked: {_short(exc)}", "schema",
                            rule=SHAPES)]
    findings, seen = [], set()
    for result in sorted(results, key=_order):
        key = (result.focus, result.path, result.value)
        if key in seen:  # two shapes (ours and the standard's) saying the same of one value
            continue
        seen.add(key)
        where = compact(str(result.path)) if isinstance(result.path, URIRef) else ""
        shown = f" (value {_shown(result.value)})" if result.value is not None else ""
        findings.append(Finding(_severity(result.severity), where, f"{result.message}{_what_it_is(reading.graph, result)}{shown}",
                                "schema", None, _rule_id(result.shape, str(result.component)), node_name(result.focus),
                                _whole(result.value)))
    return findings


def _what_it_is(graph: Any, result: ShaclResult) -> str:
    """What a value that has not the class or the datatype a shape asks for is instead."""
    value, component = result.value, str(result.component)
    if _untagged_text(result):
        return "; this text has no language tag: tag it, or name the language of untagged text with --language"
    if component.endswith("ClassConstraintComponent"):
        if isinstance(value, Literal):
            return "; the value is text, not a node"
        classes = sorted(_class_shown(cls) for cls in graph.objects(value, RDF.type))
        if classes:
            return f"; the value is typed {', '.join(classes)}"
        if str(value).startswith(EU_AUTHORITY):  # the tables type their entries, but only the document's types count
            return "; the value, an entry of an EU authority table, has no rdf:type in this document: state its class there"
        return "; the value has no rdf:type in this document"
    if component.endswith("DatatypeConstraintComponent"):
        if not isinstance(value, Literal):
            return "; the value is a node, not a literal"
        if value.language:  # as pyoxigraph gives it: tags are case-insensitive
            return f"; the value is text in language {value.language.lower()!r}"
        if value.datatype is not None and str(value.datatype) == str(result.datatype):
            return f"; the value is not a valid {compact(str(value.datatype))}"
        return f"; the value is typed {compact(str(value.datatype or XSD.string))}"
    return ""


def _class_shown(cls: Any) -> str:
    if isinstance(cls, URIRef):
        return compact(str(cls))
    return "a blank node" if isinstance(cls, BNode) else repr(str(cls))  # a blank node's label is the parser's


def _whole(value: Any) -> str | None:
    return None if value is None or isinstance(value, BNode) else str(value)


@dataclass(frozen=True)
class ShaclResult:
    focus: Any
    path: Any
    value: Any
    shape: Any
    component: Any
    severity: Any
    message: str
    datatype: Any = None  # the datatype the shape asks for, if it asks for one


def _untagged_text(result: ShaclResult) -> bool:
    """Whether the result is text in no language where the shape wants text in some language."""
    return (result.datatype == RDF.langString and str(result.component).endswith("DatatypeConstraintComponent")
            and getattr(result.value, "language", "") is None and result.value.datatype in (None, XSD.string))


def _shown(value: Any) -> str:
    # A blank node's label is made up by the parser: it names nothing the document's author wrote.
    return "a blank node" if isinstance(value, BNode) else _short(value)


def shacl_results(data: Graph, which: str) -> list[ShaclResult]:
    """The results of the shapes `which` (`cpsv-ap` or `pps`) on `data`: by the fast check when
    the shapes stay within what it checks (the CPSV-AP shapes do), else by pyshacl."""
    from pyshacl import validate

    from ..formats.rdf.shacl import shapes
    from . import fast_shacl

    shapes_graph = shapes(which)
    if fast_shacl.supports(shapes_graph):
        return [ShaclResult(v.focus, v.path, v.value, v.shape, v.component, v.severity,
                            str(shapes_graph.value(v.shape, SH.message) or ""), shapes_graph.value(v.shape, SH.datatype))
                for v in fast_shacl.violations(data, shapes_graph)]
    _, report, _ = validate(data, shacl_graph=shapes_graph, allow_warnings=True)
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus, path, value, shape, component, severity = (report.value(result, p) for p in (
            SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraintComponent, SH.resultSeverity))
        message = shapes_graph.value(shape, SH.message) or report.value(result, SH.resultMessage) or ""
        found.append(ShaclResult(focus, path, value, shape, component, severity, str(message),
                                 shapes_graph.value(shape, SH.datatype)))
    return found


def _order(result: ShaclResult) -> tuple[str, ...]:
    # Our own shapes come after the standard's, so a value both reject is reported as the standard's.
    shape = str(result.shape)
    return (str(result.focus), str(result.path), "1" if "/shapes/pps" in shape else "0", shape)


def _rule_id(shape: Any, component: str) -> str:
    name = re.split(r"[#/]", str(shape).rstrip("/#"))[-1] if isinstance(shape, URIRef) else "shape"
    return f"{name}:{component.rsplit('#', 1)[-1].removesuffix('ConstraintComponent')}"


def _severity(value: Any) -> Severity:
    return {SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}.get(value, Severity.ERROR)


def _profile_findings(reading: Reading, earlier: list[Finding]) -> list[Finding]:
    findings = []
    for found, check in _GRAPH_RULES:
        for node, path, message in check(reading.graph):
            findings.append(Finding(found.severity, path, message, "rules", None, found.id, node_name(node)))
    said = {(f.node, f.path) for f in earlier + findings}
    for node, problems in reading.problems.items():
        for path, message in problems:
            places = _places_of(node, path, reading)
            if _COVERED.search(path) or (places and places <= said):
                continue
            findings.append(Finding(Severity.ERROR, path, message, "model", None, MODEL, node_name(node)))
    return findings


def _places_of(node: Any, path: str, reading: Reading) -> set[tuple[str, str]]:
    """The (node, compact predicate) pairs in the graph that a model path of `node` stands for:
    `holders` → (node, cv:hasCompetentAuthority); `costs[0].description` → (each cost node of
    the service, dct:description), so that a problem the shapes report on every such nested node
    is not said again of the service."""
    from ..formats.rdf.reader import _MODELS
    from ..model.base import field_terms, model_inside
    from ..vocab import expand

    collection = next((c for c, nodes in reading.members.items() if node in nodes), None)
    if collection is None:
        return set()
    model, nodes, places = _MODELS[collection], {node}, set()
    for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", path):
        found = field_terms(model).get(name) if model is not None else None
        if found is None or not found.rdf:
            break
        places = {(node_name(at), found.rdf) for at in nodes}
        nodes = {value for at in nodes for value in reading.graph.objects(at, URIRef(expand(found.rdf)))}
        model = model_inside(model.model_fields[name].annotation)
    return places


def _business_findings(reading: Reading, today: date | None) -> list[Finding]:
    """The concept's business rules, on the services our model holds."""
    from . import SERVICE_RULES

    findings = []
    catalogue = Catalogue.model_construct(services=[], organisations=[], channels=[], measurements=[])
    for node in reading.services:
        service = reading.models.get(node)
        if service is None:
            findings.append(Finding(Severity.INFO, "", "the business rules were not checked on this service: it could "
                                    "not be read into the model (its errors say why)", "rules", None, READ_NOTE, node_name(node)))
            continue
        for check in SERVICE_RULES:
            if check is lv_text:
                continue  # said of the document, with the node (above)
            for path, message in check(catalogue, service, today or date.today()):
                findings.append(Finding(Severity.WARNING, path, message, "rules", None, rule_id(check), node_name(node)))
    return findings


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:77] + "…"
