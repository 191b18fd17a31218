"""SEMIC's draft CPSV-AP 3.2.0 XML (github.com/SEMICeu/XML-schema, "In progress").

That schema nests everything (no identifiers shared between objects) and has no place for
much of what a Latvian description holds. Writing it therefore loses information; every
loss is reported as a `SemicLossWarning` naming the fields, never dropped silently. Reading
it fills what our models require and SEMIC's documents may lack (organisation identifiers,
a catalogue around a single service) and reports each repair as a `SemicRepairWarning`.

A catalogue is written as a `Dataset` whose `HasPart` elements are the services; one service
as `PublicServiceCPSVAP` (`service_document`). Both can be read back.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import Any

from lxml import etree

from ..errors import FormatError
from ..model import (Catalogue, Channel, ChannelType, DeliveryTask, LangText, OpeningHours, Organisation, OutputType,
                     PPSModel, PublicService, format_path)
from ..model.base import field_terms
from ..model.catalogue import SHARED
from ..model.types import ATVK_CODE, COUNTRY, identifier_stem, is_identifier
from ..vocab import COUNTRY_LV, EU_AUTHORITY, LANGUAGES, language_iri
from ..wording import counted
from . import register_format
from .safe_xml import parse_xml, unwritable_text

AP = "https://semiceu.github.io/CPSV-AP/xsd"
CV = "http://data.europa.eu/m8g/xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NSMAP = {None: AP, "cv": CV, "xsi": XSI}
WEEKLY = f"{EU_AUTHORITY}frequency/WEEKLY"


class SemicLossWarning(UserWarning):
    """Writing SEMIC XML left out information that format has no place for."""


class SemicRepairWarning(UserWarning):
    """Reading SEMIC XML had to fill in or change something to make valid models."""


# -- writing ----------------------------------------------------------------------------

def write_semic(obj: PPSModel) -> str:
    """`obj` (a Catalogue) as a SEMIC `Dataset` document; warns about what is left out."""
    try:
        return _dataset_document(obj)
    except ValueError:  # lxml refuses characters XML cannot hold; find where, for the message
        path, bad = unwritable_text(obj.model_dump(mode="json"))
        if not bad:
            raise
        raise FormatError(f"{format_path(path)}: the text holds U+{ord(bad):04X}, a character XML 1.0 "
                          "cannot carry; remove it or write JSON") from None


def _dataset_document(obj: PPSModel) -> str:
    if not isinstance(obj, Catalogue):
        raise FormatError(f"SEMIC XML is written from a Catalogue, not a {type(obj).__name__}: a service refers to its "
                          "organisations and channels by identifier. Use semic_xml.service_document(catalogue, id).")
    root = etree.Element(f"{{{AP}}}Dataset", nsmap=_NSMAP)
    _texts(root, CV, "Description", obj.description)
    for service in obj.services:
        _service(etree.SubElement(root, f"{{{AP}}}HasPart"), obj, service)
    _add(root, CV, "IdentifierLiteral", obj.id)
    if obj.home_page:
        _add(root, AP, "LandingPage", obj.home_page)
    publisher = etree.SubElement(root, f"{{{AP}}}Publisher")
    _texts(publisher, CV, "AgentName", obj.organisation(obj.publisher).name)
    _add(publisher, CV, "IdentifierLiteral", obj.publisher)
    _texts(root, AP, "Title", obj.title)
    _warn_losses(obj)
    return _serialise(root)


def service_document(catalogue: Catalogue, service_id: str) -> str:
    """One service of `catalogue` as a SEMIC `PublicServiceCPSVAP` document."""
    root = etree.Element(f"{{{AP}}}PublicServiceCPSVAP", nsmap=_NSMAP)
    service = catalogue.service(service_id)
    _service(root, catalogue, service)
    _warn_losses(catalogue.model_copy(update={"services": [service]}))
    return _serialise(root)


def _serialise(root: etree._Element) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode", pretty_print=True)


def _add(parent: etree._Element, ns: str, name: str, text: str | None = None, lang: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}", {_XML_LANG: lang} if lang else None)
    if text is not None:
        element.text = text
    return element


def _texts(parent: etree._Element, ns: str, name: str, text: LangText | None) -> None:
    for lang, value in text.items() if text else ():
        _add(parent, ns, name, value, lang)


def _service(element: etree._Element, catalogue: Catalogue, service: PublicService) -> None:
    """The elements of SEMIC's PublicServiceType, in its sequence order."""
    for segment in service.addressees:
        _add(element, AP, "Addressee", segment.value)
    for contact in service.contact_points:
        _contact_point(_add(element, AP, "ContactPoint"), contact)
    _texts(element, CV, "Description", service.description)
    for rule in service.rules:
        _rule(_add(element, AP, "Follows"), rule)
    for channel in catalogue.service_channels(service):
        _channel(_add(element, AP, "HasChannel"), channel)
    for holder in catalogue.holders(service):
        _organisation(_add(element, AP, "HasCompetentAuthority"), holder)
    for cost in service.costs:
        _cost(_add(element, AP, "HasCost"), cost, catalogue)
    for evidence in service.inputs:
        _evidence(_add(element, AP, "HasInput"), evidence)
    for i, provider in enumerate(service.providers):
        _participation(_add(element, AP, "HasParticipation"), f"{service.id}-provider-{i + 1}", provider, catalogue)
    rules = {rule.id: rule for rule in service.rules}
    for requirement in service.requirements:
        _requirement(_add(element, AP, "HoldsRequirement"), requirement, rules)
    _add(element, CV, "IdentifierLiteral", service.id)
    for collection in ("life_events", "business_events"):
        for event_id in getattr(service, collection):
            _event(_add(element, AP, "IsGroupedBy"), catalogue.get(collection, event_id))
    for lang, words in service.keywords.items():
        for word in words:
            _add(element, AP, "Keyword", word, lang)
    for code in service.languages:
        _add(element, CV, "Language", language_iri(code))
    _texts(element, AP, "Name", service.name)
    if service.processing_time:
        _add(element, AP, "ProcessingTime", service.processing_time)
    for output in service.outputs:
        _output(_add(element, AP, "Produces"), output)
    for name, ids in (("RelatedService", service.related_services), ("Requires", service.required_services)):
        for other_id in ids:
            _service_stub(_add(element, AP, name), catalogue, catalogue.service(other_id))
    for territory in service.spatial_coverage:
        _location(_add(element, CV, "Spatial"), territory)
    _add(element, AP, "Status", service.status.value)


def _service_stub(element: etree._Element, catalogue: Catalogue, service: PublicService) -> None:
    # Nesting whole related services could recurse without end; SEMIC needs only these four.
    _texts(element, CV, "Description", service.description)
    for holder in catalogue.holders(service):
        _organisation(_add(element, AP, "HasCompetentAuthority"), holder)
    _add(element, CV, "IdentifierLiteral", service.id)
    _texts(element, AP, "Name", service.name)


def _organisation(element: etree._Element, organisation: Organisation) -> None:
    _texts(element, CV, "PreferredLabel", organisation.name)
    _location(_add(element, CV, "Spatial"), organisation.territory)


def _location(element: etree._Element, territory: str) -> None:
    element.set(f"{{{XSI}}}type", "cv:LocationType")
    if territory == COUNTRY:
        _add(element, CV, "GeographicIdentifier", COUNTRY_LV)
        _add(element, CV, "GeographicName", "Latvija", "lv")
    else:
        _add(element, CV, "GeographicName", f"ATVK {territory}", "lv")


def _contact_point(element: etree._Element, contact: Any) -> None:
    for page in contact.pages:
        _add(element, CV, "ContactPage", page)
    for email in contact.emails:
        _add(element, CV, "HasEmail", email)
    for phone in contact.telephones:
        _add(element, CV, "HasTelephone", phone)
    _special_hours(element, contact.special_hours)
    _opening_hours(element, contact.opening_hours)


def _special_hours(element: etree._Element, special: Iterable[Any]) -> None:
    """Special hours as SEMIC's TemporalEntity, in words."""
    for hours in special:
        entity = _add(element, AP, "AvailabilityRestriction")
        when = f"{hours.start.isoformat()}–{hours.end.isoformat()}"
        times = f" {hours.opens:%H:%M}–{hours.closes:%H:%M}" if hours.opens and hours.closes else " slēgts"
        _add(entity, CV, "Description", when + times, "lv")


def _opening_hours(element: etree._Element, regular: Iterable[OpeningHours]) -> None:
    """Regular hours as SEMIC's TemporalEntity: a description in words, weekly."""
    for hours in regular:
        entity = _add(element, AP, "OpeningHours")
        _add(entity, CV, "Description", opening_hours_text(hours), "lv")
        _add(entity, CV, "Frequency", WEEKLY)


def opening_hours_text(hours: OpeningHours) -> str:
    """`pirmdiena, otrdiena 08:00–17:00` — the hours in Latvian words."""
    return f"{', '.join(day.lv for day in hours.days)} {hours.opens:%H:%M}–{hours.closes:%H:%M}"


def _channel(element: etree._Element, channel: Channel) -> None:
    _special_hours(element, channel.special_hours)
    _texts(element, CV, "Description", channel.description)
    _add(element, CV, "IdentifierLiteral", channel.id)
    _opening_hours(element, channel.opening_hours)
    if channel.processing_time:
        _add(element, AP, "ProcessingTime", channel.processing_time)
    _add(element, CV, "Type", channel.type.value)


def _cost(element: etree._Element, cost: Any, catalogue: Catalogue) -> None:
    _add(element, AP, "Currency", f"{EU_AUTHORITY}currency/{cost.currency}")
    _texts(element, CV, "Description", cost.description)
    if cost.value is not None:
        _add(element, AP, "HasValue", repr(cost.value))
    _add(element, CV, "IdentifierLiteral", cost.id)
    if cost.channel:
        _channel(_add(element, AP, "IfAccessedThrough"), catalogue.channel(cost.channel))


def _participation(element: etree._Element, identifier: str, provider: Any, catalogue: Catalogue) -> None:
    organisation = catalogue.organisation(provider.organisation)
    tasks = ", ".join(task.task.lv for task in provider.tasks)
    description = provider.description or LangText({"lv": f"{organisation.name.get('lv')}: {tasks}"})
    _texts(element, CV, "Description", description)
    participant = _add(element, AP, "HasParticipant")
    _texts(participant, CV, "AgentName", organisation.name)
    _add(participant, CV, "IdentifierLiteral", organisation.id)
    _add(element, CV, "IdentifierLiteral", identifier)
    for task in provider.tasks:
        _add(element, CV, "Role", task.task.value)


def _requirement(element: etree._Element, requirement: Any, rules: dict[str, Any]) -> None:
    for rule_id in requirement.rules:
        _rule(_add(element, AP, "Fulfils"), rules[rule_id])
    for evidence in requirement.evidence:
        _evidence(_add(element, AP, "HasSupportingEvidence"), evidence)
    _add(element, CV, "IdentifierLiteral", requirement.id)
    _texts(element, CV, "Name", requirement.name)
    if requirement.type:
        _add(element, CV, "Type", requirement.type)


def _described(element: etree._Element, thing: Any, name_namespace: str) -> None:
    """Description, identifier, languages and name: how SEMIC's evidence, rule and output begin."""
    _texts(element, CV, "Description", thing.description)
    _add(element, CV, "IdentifierLiteral", thing.id)
    for code in thing.languages:
        _add(element, CV, "Language", language_iri(code))
    _texts(element, name_namespace, "Name", thing.name)


def _evidence(element: etree._Element, evidence: Any) -> None:
    _described(element, evidence, CV)
    for page in evidence.pages:
        _add(element, AP, "RelatedDocumentation", page)
    if evidence.type:
        _add(element, CV, "Type", evidence.type)


def _rule(element: etree._Element, rule: Any) -> None:
    _described(element, rule, AP)
    if rule.type:
        _add(element, CV, "Type", rule.type)


def _output(element: etree._Element, output: Any) -> None:
    _described(element, output, AP)
    if output.type:
        _add(element, CV, "Type", output.type.value)


def _event(element: etree._Element, event: Any) -> None:
    element.set(f"{{{XSI}}}type", "LifeEventType" if type(event).__name__ == "LifeEvent" else "BusinessEventType")
    _texts(element, CV, "Description", event.description)
    _add(element, CV, "IdentifierLiteral", event.id)
    _texts(element, AP, "Name", event.name)
    if event.type:
        _add(element, CV, "Type", event.type)


# What SEMIC XML carries, as the writer above writes it: field → None for a value written as
# it is, the fields written of a nested or referred-to object, or a test of whether the value
# can be told from what is written. Every other field is lost when it holds a value.
_EVENT = {"id": None, "name": None, "description": None, "type": None}
_AUTHORITY = {"name": None, "territory": None}  # a holder: named and placed, not identified
_AGENT = {"id": None, "name": None}  # a publisher or a participant
_CHANNEL = {"id": None, "type": None, "description": None, "processing_time": None}  # hours only in words
_DESCRIBED = {"id": None, "name": None, "description": None, "type": None, "languages": None}
_EVIDENCE = {**_DESCRIBED, "pages": None}
_SERVICE_STUB = {"id": None, "name": None, "description": None, "holders": _AUTHORITY}
CARRIED_SERVICE = {
    "id": None, "name": None, "description": None, "keywords": None, "languages": None, "processing_time": None,
    "status": None, "addressees": None, "spatial_coverage": None, "holders": _AUTHORITY, "channels": _CHANNEL,
    "costs": {"id": None, "value": None, "currency": None, "description": None, "channel": _CHANNEL},
    "requirements": {"id": None, "name": None, "type": None, "evidence": _EVIDENCE, "rules": None},
    "inputs": _EVIDENCE, "outputs": _DESCRIBED, "rules": _DESCRIBED,
    # Offices are not written: the usual office of each task is what a reader takes.
    "providers": {"organisation": _AGENT, "description": None,
                  "tasks": {"task": None, "office": lambda task: task.office is task.task.usual_office}},
    "contact_points": {"emails": None, "telephones": None, "pages": None},  # hours only in words
    "life_events": _EVENT, "business_events": _EVENT, "related_services": _SERVICE_STUB,
    "required_services": _SERVICE_STUB,
}
_WHERE_REFERRED = object()
CARRIED = {"id": None, "title": None, "description": None, "home_page": None, "publisher": _AGENT,
           "services": CARRIED_SERVICE, **dict.fromkeys(SHARED[:-1], _WHERE_REFERRED)}
"""What SEMIC XML carries of a catalogue. Members of the other collections are written where
something written refers to them, with the fields the referring place writes."""


def lost_fields(catalogue: Catalogue) -> list[str]:
    """The fields with values in `catalogue` that SEMIC XML cannot carry, as paths: every
    field the models declare, less those `CARRIED` names."""
    walk = _LossWalk(catalogue)
    walk.model(catalogue, CARRIED, "")
    walk.referred()
    return list(walk.lost)


class _LossWalk:
    """Goes through a catalogue as the SEMIC writer does, noting what it leaves out."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.lost: dict[str, None] = {}
        self.reached: dict[tuple[str, str], dict[str, Any]] = {}  # (collection, id) → what is written of it

    def model(self, obj: PPSModel, carried: dict[str, Any], path: str) -> None:
        terms = field_terms(type(obj))
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            if value in (None, [], {}) or (not info.is_required() and value == info.get_default(call_default_factory=True)):
                continue
            where = f"{path}.{name}" if path else name
            rule = carried.get(name, _NOT_CARRIED)
            if rule is _WHERE_REFERRED:
                continue  # see `referred`
            if rule is _NOT_CARRIED or (callable(rule) and not rule(obj)):
                self.lost[where] = None
            elif isinstance(rule, dict):
                self.nested(value, rule, where, terms[name].refers_to)

    def nested(self, value: Any, carried: dict[str, Any], where: str, collection: str | None) -> None:
        items = value if isinstance(value, list) else [value]
        if collection in SHARED:
            for ident in items:
                known = self.reached.setdefault((collection, ident), {})
                known.update({k: v for k, v in carried.items() if not isinstance(known.get(k), dict)})
        elif collection is None:
            for index, item in enumerate(items):
                self.model(item, carried, f"{where}[{index}]" if not where.count(".") and isinstance(value, list)
                           else f"{where}[]" if isinstance(value, list) else where)

    def referred(self) -> None:
        """The members of the catalogue's collections: those something written refers to, with
        what is written of them; the others entirely."""
        for collection in SHARED[:-1]:  # the last, services, are written in full, each
            for index, member in enumerate(getattr(self.catalogue, collection)):
                carried = self.reached.get((collection, member.id))
                if carried is None:
                    self.lost[f"{collection}[{index}]"] = None
                else:
                    self.model(member, carried, f"{collection}[{index}]")


_NOT_CARRIED = object()


def _warn_losses(catalogue: Catalogue) -> None:
    lost = lost_fields(catalogue)
    if lost:
        warnings.warn(SemicLossWarning(f"SEMIC CPSV-AP XML has no place for {counted(len(lost), 'thing')} in this catalogue; "
                                       f"they are not written: {', '.join(lost)}"), stacklevel=3)


# -- reading ----------------------------------------------------------------------------

def read_semic(raw: bytes, model: type[PPSModel]) -> PPSModel:
    """A SEMIC `Dataset` or `PublicServiceCPSVAP` document as a Catalogue (or, for a
    one-service document and `model=PublicService`, that service)."""
    root = parse_xml(raw)
    reader = _SemicReader(root)
    if root.tag == f"{{{AP}}}Dataset":
        catalogue = reader.dataset(root)
    elif root.tag == f"{{{AP}}}PublicServiceCPSVAP":
        catalogue = reader.single_service(root)
    else:
        raise FormatError(f"line {root.sourceline}: not a SEMIC CPSV-AP document: the root is {root.tag}, expected "
                          f"Dataset or PublicServiceCPSVAP in namespace {AP}")
    if reader.repairs:
        warnings.warn(SemicRepairWarning("reading SEMIC XML: " + "; ".join(reader.repairs)), stacklevel=3)
    if model is Catalogue:
        return catalogue
    if model is PublicService and len(catalogue.services) == 1:
        return catalogue.services[0]
    raise FormatError(f"SEMIC XML reads into a Catalogue (or a PublicService from a one-service document), not {model.__name__}")




class _SemicReader:
    def __init__(self, root: etree._Element) -> None:
        self.repairs: list[str] = []
        # Every identifier the document gives, so that none made for it can be one of them.
        self.taken = {e.text.strip() for e in root.iter(f"{{{CV}}}IdentifierLiteral") if e.text and e.text.strip()}
        self.organisations: dict[str, dict[str, Any]] = {}  # by generated id
        self.channels: dict[str, dict[str, Any]] = {}
        self.events: dict[str, dict[str, dict[str, Any]]] = {"life_events": {}, "business_events": {}}

    # small helpers
    def each(self, element: etree._Element, name: str, where: str, read: Any, *args: Any) -> list[Any]:
        """`read(child, path, *args)` for every AP child `name` of `element`, in order."""
        return [read(child, f"{where}.{name}[{i}]", *args) for i, child in enumerate(self.children(element, AP, name))]

    def children(self, element: etree._Element, ns: str, name: str) -> list[etree._Element]:
        return element.findall(f"{{{ns}}}{name}")

    def text(self, element: etree._Element, ns: str, name: str) -> str | None:
        found = element.find(f"{{{ns}}}{name}")
        return found.text.strip() if found is not None and found.text else None

    def lang_text(self, element: etree._Element, ns: str, name: str, where: str) -> dict[str, str] | None:
        texts: dict[str, str] = {}
        for child in self.children(element, ns, name):
            lang = child.get(_XML_LANG)
            if not lang:
                lang = "lv"
                self.repairs.append(f"{where}: <{name}> without xml:lang taken as Latvian")
            if child.text and child.text.strip():
                texts.setdefault(lang.lower(), child.text.strip())
        return texts or None

    def identifier(self, element: etree._Element, where: str, prefix: str) -> str:
        """The element's identifier if ours can hold it, else one made from it or from `prefix`."""
        value = self.text(element, CV, "IdentifierLiteral")
        if value and is_identifier(value):
            return value
        cleaned = identifier_stem(value)[:100] if value else ""
        made = self.mint(cleaned) if cleaned[:1].isalnum() else self.mint(prefix, numbered=True)
        self.repairs.append(f"{where}: identifier {value!r} replaced by {made!r}" if value else
                            f"{where}: no identifier; made {made!r}")
        return made

    def mint(self, stem: str, numbered: bool = False) -> str:
        """A new identifier, neither one the document gives nor one made before: `stem` itself
        when free and not `numbered`, else the first free of `stem-1`, `stem-2`…"""
        number = 0 if not numbered else 1
        candidate = f"{stem}-{number}" if numbered else stem
        while candidate in self.taken:
            number += 1
            candidate = f"{stem}-{number}"
        self.taken.add(candidate)
        return candidate

    # documents
    def dataset(self, root: etree._Element) -> Catalogue:
        services = self.each(root, "HasPart", "Dataset", self.service)
        publisher = root.find(f"{{{AP}}}Publisher")
        publisher_id = self.identifier(publisher, "Publisher", "org") if publisher is not None else self.mint("org-publisher")
        if publisher_id not in self.organisations:
            name = (self.lang_text(publisher, CV, "AgentName", "Publisher") if publisher is not None else None) or {"lv": publisher_id}
            self.organisations[publisher_id] = {"id": publisher_id, "name": name, "kind": "other"}
            self.repairs.append(f"Publisher: organisation {publisher_id!r} added with kind 'other'")
        return self.catalogue(root, services, publisher_id)

    def single_service(self, root: etree._Element) -> Catalogue:
        service = self.service(root, "PublicServiceCPSVAP")
        self.repairs.append("a catalogue was made around the single service, published by its first competent authority")
        return Catalogue.model_validate({
            "id": f"semic-{service['id']}", "title": service["name"], "description": service["description"],
            "publisher": service["holders"][0], **self.shared(), "services": [service],
        })

    def catalogue(self, root: etree._Element, services: list[dict[str, Any]], publisher: str) -> Catalogue:
        return Catalogue.model_validate({
            "id": self.identifier(root, "Dataset", "semic-dataset"),
            "title": self.lang_text(root, AP, "Title", "Dataset") or {"lv": "SEMIC"},
            "description": self.lang_text(root, CV, "Description", "Dataset") or {"lv": "SEMIC"},
            "home_page": self.text(root, AP, "LandingPage"),
            "publisher": publisher, **self.shared(), "services": services,
        })

    def shared(self) -> dict[str, list[dict[str, Any]]]:
        """The catalogue's collections of shared objects met while reading."""
        return {"organisations": list(self.organisations.values()), "channels": list(self.channels.values()),
                **{name: list(events.values()) for name, events in self.events.items()}}

    def service(self, element: etree._Element, where: str) -> dict[str, Any]:
        service_id = self.identifier(element, where, "ps")
        data: dict[str, Any] = {
            "id": service_id, "kind": "administrative",
            "name": self.lang_text(element, AP, "Name", where) or {"lv": service_id},
            "description": self.lang_text(element, CV, "Description", where) or {"lv": service_id},
            "holders": self.each(element, "HasCompetentAuthority", where, self.organisation),
            "channels": self.each(element, "HasChannel", where, self.channel),
            "contact_points": self.each(element, "ContactPoint", where, self.contact_point),
            "requirements": self.each(element, "HoldsRequirement", where, self.requirement),
            "inputs": self.each(element, "HasInput", where, self.evidence),
            "processing_time": self.text(element, AP, "ProcessingTime"),
            "languages": self.languages(element),
            "rules": self.each(element, "Follows", where, self.described, AP),
            "outputs": self.each(element, "Produces", where, self.output),
            "costs": self.each(element, "HasCost", where, self.cost),
            "providers": self.each(element, "HasParticipation", where, self.participation),
        }
        for collection, event_id in self.each(element, "IsGroupedBy", where, self.event):
            data.setdefault(collection, []).append(event_id)
        # Requirements fulfil rules, and costs name channels, of this same service.
        known_rules = {rule["id"] for rule in data["rules"]}
        for requirement in data["requirements"]:
            for rule in requirement.pop("fulfils"):
                if rule["id"] not in known_rules:
                    known_rules.add(rule["id"])
                    data["rules"].append(rule)
        data["channels"] += [c["channel"] for c in data["costs"] if "channel" in c and c["channel"] not in data["channels"]]
        self.repairs.append(f"{where}: service kind unknown in SEMIC XML; set to 'administrative'")
        if not data["holders"]:
            raise FormatError(f"{where}: no HasCompetentAuthority; a service needs a holder")
        keywords: dict[str, list[str]] = {}
        for keyword in self.children(element, AP, "Keyword"):
            if keyword.text and keyword.text.strip():
                keywords.setdefault((keyword.get(_XML_LANG) or "lv").lower(), []).append(keyword.text.strip())
        data["keywords"] = keywords
        for name in ("HasInputType", "HasInput", "HasLegalResource", "RelatedService", "Requires", "Sector",
                     "ThematicArea", "IsClassifiedBy", "FunctionsOfGovernment", "IsPartOf"):
            count = len(self.children(element, AP, name))
            if count:
                self.repairs.append(f"{where}: {count} <{name}> not read (no place for it in our models, "
                                    "or it refers to services outside the document)")
        return {k: v for k, v in data.items() if v not in (None, [], {})} | {"holders": data["holders"]}

    def languages(self, element: etree._Element) -> list[str]:
        codes = (self.language(e.text) for e in self.children(element, CV, "Language") if e.text)
        return [code for code in codes if code]

    def described(self, element: etree._Element, where: str, name_namespace: str) -> dict[str, Any]:
        """A rule (or the head of an output): identifier, name, description, languages, type."""
        data = {"id": self.identifier(element, where, "rule"),
                "name": self.lang_text(element, name_namespace, "Name", where) or {"lv": "?"},
                "description": self.lang_text(element, CV, "Description", where) or {"lv": "?"},
                "languages": self.languages(element), "type": self.text(element, CV, "Type")}
        return {k: v for k, v in data.items() if v not in (None, [])}

    def output(self, element: etree._Element, where: str) -> dict[str, Any]:
        data = self.described(element, where, AP)
        if not self.children(element, CV, "Description"):
            del data["description"]
        kind = data.pop("type", None)
        if kind in {t.value for t in OutputType}:
            data["type"] = kind
        elif kind:
            self.repairs.append(f"{where}: output type {kind!r} is not a CPSV-AP output type; left out")
        return data

    def cost(self, element: etree._Element, where: str) -> dict[str, Any]:
        value = _amount(self.text(element, AP, "HasValue"))
        currency = self.text(element, AP, "Currency")
        data: dict[str, Any] = {"id": self.identifier(element, where, "cost"), "value": value,
                                "currency": currency.rstrip("/").rsplit("/", 1)[-1] if currency else None,
                                "description": self.lang_text(element, CV, "Description", where)}
        channel = element.find(f"{{{AP}}}IfAccessedThrough")
        if channel is not None:
            data["channel"] = self.channel(channel, f"{where}.IfAccessedThrough")
        return {k: v for k, v in data.items() if v is not None}

    def participation(self, element: etree._Element, where: str) -> dict[str, Any]:
        participant = element.find(f"{{{AP}}}HasParticipant")
        if participant is None:
            raise FormatError(f"{where}: no HasParticipant")
        organisation = self.identifier(participant, f"{where}.HasParticipant", "org")
        if organisation not in self.organisations:
            name = self.lang_text(participant, CV, "AgentName", where) or {"lv": organisation}
            self.organisations[organisation] = {"id": organisation, "name": name, "kind": "other"}
            self.repairs.append(f"{where}: participant {organisation!r} added as an organisation of kind 'other'")
        roles = [e.text.strip() for e in self.children(element, CV, "Role") if e.text]
        tasks = [{"task": role} for role in roles if role in {t.value for t in DeliveryTask}]
        if len(tasks) < len(roles):
            self.repairs.append(f"{where}: roles outside our delivery tasks left out: "
                                f"{', '.join(r for r in roles if r not in {t['task'] for t in tasks})}")
        if not tasks:
            tasks = [{"task": "execution"}]
            self.repairs.append(f"{where}: no known delivery task; 'execution' assumed")
        return {"organisation": organisation, "tasks": tasks,
                "description": self.lang_text(element, CV, "Description", where)}

    def event(self, element: etree._Element, where: str) -> tuple[str, str]:
        kind = (element.get(f"{{{XSI}}}type") or "").rsplit(":", 1)[-1]
        collection = "business_events" if kind == "BusinessEventType" else "life_events"
        if kind not in ("LifeEventType", "BusinessEventType"):
            self.repairs.append(f"{where}: event without xsi:type taken as a life event")
        event_id = self.identifier(element, where, "event")
        data = {"id": event_id, "name": self.lang_text(element, AP, "Name", where) or {"lv": event_id},
                "description": self.lang_text(element, CV, "Description", where), "type": self.text(element, CV, "Type")}
        self.events[collection][event_id] = {k: v for k, v in data.items() if v is not None}
        return collection, event_id

    def organisation(self, element: etree._Element, where: str) -> str:
        name = self.lang_text(element, CV, "PreferredLabel", where) or {"lv": "?"}
        for known_id, known in self.organisations.items():
            if known["name"] == name:
                return known_id
        made = self.mint("org", numbered=True)
        places = [self.text(s, CV, "GeographicName") or "" for s in self.children(element, CV, "Spatial")]
        territory = next((p.removeprefix("ATVK ") for p in places if re.fullmatch(f"(ATVK )?{ATVK_CODE}", p)), COUNTRY)
        self.organisations[made] = {"id": made, "name": name, "kind": "other", "territory": territory}
        self.repairs.append(f"{where}: organisation without identifier given {made!r}, kind 'other'"
                            + (f"; spatial {', '.join(places)!s} is not a Latvian territory code, territory left 'LV'"
                               if territory == COUNTRY and places and places != ["Latvija"] else ""))
        return made

    def channel(self, element: etree._Element, where: str) -> str:
        channel_id = self.identifier(element, where, "ch")
        kind = self.text(element, CV, "Type") or "other"
        description = self.lang_text(element, CV, "Description", where) or {}
        hours = [t for e in self.children(element, AP, "OpeningHours") for t in (self.lang_text(e, CV, "Description", where) or {}).items()]
        for lang, text in hours:
            description[lang] = f"{description[lang]} {text}" if lang in description else text
        if hours:
            self.repairs.append(f"{where}: opening hours given only in words; kept in the channel description")
        if kind not in {c.value for c in ChannelType}:
            self.repairs.append(f"{where}: channel type {kind!r} is not one this SDK maps; set to 'other'")
            kind = "other"
        self.channels[channel_id] = {"id": channel_id, "type": kind} | ({"description": description} if description else {})
        processing = self.text(element, AP, "ProcessingTime")
        if processing:
            self.channels[channel_id]["processing_time"] = processing
        return channel_id

    def contact_point(self, element: etree._Element, where: str) -> dict[str, Any]:
        hours = len(self.children(element, AP, "OpeningHours")) + len(self.children(element, AP, "AvailabilityRestriction"))
        if hours:
            self.repairs.append(f"{where}: {hours} opening-hour texts not read (our contact points hold structured hours)")
        return {"emails": [e.text.strip() for e in self.children(element, CV, "HasEmail") if e.text],
                "telephones": [e.text.strip() for e in self.children(element, CV, "HasTelephone") if e.text],
                "pages": [e.text.strip() for e in self.children(element, CV, "ContactPage") if e.text]}

    def requirement(self, element: etree._Element, where: str) -> dict[str, Any]:
        evidence = self.each(element, "HasSupportingEvidence", where, self.evidence)
        fulfils = self.each(element, "Fulfils", where, self.described, AP)
        result = {"id": self.identifier(element, where, "req"), "name": self.lang_text(element, CV, "Name", where) or {"lv": "?"},
                  "evidence": evidence, "rules": [rule["id"] for rule in fulfils], "fulfils": fulfils}
        kind = self.text(element, CV, "Type")
        return result | ({"type": kind} if kind else {})

    def evidence(self, element: etree._Element, where: str) -> dict[str, Any]:
        conforms = element.find(f"{{{AP}}}IsConformantTo")
        kind = self.text(conforms, CV, "EvidenceTypeClassification") if conforms is not None else None
        return {k: v for k, v in {
            "id": self.identifier(element, where, "ev"),
            "name": self.lang_text(element, CV, "Name", where) or {"lv": "?"},
            "description": self.lang_text(element, CV, "Description", where), "type": kind,
        }.items() if v is not None}

    def language(self, value: str) -> str | None:
        code = value.rstrip("/").rsplit("/", 1)[-1]
        by_eu_code = {eu: iso for iso, eu in LANGUAGES.items()}
        return by_eu_code.get(code.upper()) or (code.lower() if code.lower() in LANGUAGES else None)


def _amount(text: str | None) -> float | str | None:
    """A cost's amount: XML carries it as text, the model takes a number; text that is not
    one is passed on for the model to refuse."""
    try:
        return float(text) if text is not None else None
    except ValueError:
        return text


register_format("semic-xml", (), read_semic, write_semic)
