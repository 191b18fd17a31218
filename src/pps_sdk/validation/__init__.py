"""One report type for every check: model rules, business rules (and later XSD and SHACL).

`validate(catalogue)` runs the business rules of the concept on an already valid model, and
`validate(service, references=[...])` on one service, as a catalogue of one with what it
refers to; `validate_file(path)` also reports what makes a file unreadable or an invalid model.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FormatError, MalformedError, ModelError, UnreadableError, location
from ..formats import DEFAULT_MAX_BYTES, get_format, read_file
from ..model import Catalogue, DeliveryTask, Maturity, PPSModel, PublicService, PublishingState, format_path
from ..wording import counted

if TYPE_CHECKING:
    from rdflib import Graph


class Severity(StrEnum):
    ERROR = "error"  # the description is invalid and must not be published
    WARNING = "warning"  # valid, but against a rule of the concept; fix before publishing
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One result of a check, with where it was found."""

    severity: Severity
    path: str
    message: str
    source: str  # which check: "format", "model", "rules"…
    line: int | None = None
    rule: str = ""  # a stable rule id: a SHACL shape and constraint, or PPS-…
    node: str = ""  # the object the finding is about, in RDF input: its IRI, or `_:label` for a blank node (`reading.node_name`)
    value: str | None = None  # the value at fault, whole (the message may shorten it), where there is one

    def __str__(self) -> str:
        node = "" if not self.node else self.node if self.node.startswith("_:") else f"<{self.node}>"
        where = " ".join(part for part in (node, self.path) if part)
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{self.severity.value}: {location(where, self.line)}: {self.message}{rule}"

    def as_dict(self) -> dict[str, object]:
        """The finding as plain data (for JSON reports)."""
        return {"rule": self.rule, "severity": self.severity.value, "node": self.node, "path": self.path,
                "line": self.line, "message": self.message, "source": self.source} | (
                    {"value": self.value} if self.value is not None else {})


@dataclass
class Report:
    """Findings about one subject (a file or an object). `ok` when none is an error."""

    subject: str
    findings: list[Finding] = field(default_factory=list)
    profile: str = "pps"  # the rules checked: "pps" (ours) or "cpsv-ap" (the standard's alone)
    services_read: int | None = None  # how many services the file held, when it could be read
    # Triples of an RDF document our model has no place for (`validate_file(leftovers=True)`, or
    # the `pps` profile): they are kept in a re-export, but no check of ours reads them.
    leftovers: Graph | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def unreadable(self) -> bool:
        """True when the subject could not be read at all (missing, unreadable, too large)."""
        return any(f.source == "read" for f in self.findings)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def summary(self) -> str:
        """One line: the subject and how many errors and warnings it has."""
        verdict = "valid" if self.ok else "INVALID"
        counts = f"{counted(len(self.errors), 'error')}, {counted(len(self.warnings), 'warning')}"
        return f"{self.subject}: {verdict} ({counts})"


# -- the rules every finding names -------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """A rule of ours: its stable id, how grave breaking it is, and what it requires."""

    id: str
    severity: Severity
    requires: str
    profiles: tuple[str, ...] = ("pps",)  # the profiles that report it; ("cpsv-ap", "pps") for both


RULES: dict[str, Rule] = {}
"""Every `PPS-…` rule, by id. The SHACL rules (`{shape}:{constraint}`) come from the shapes."""


def declare(identifier: str, severity: Severity, requires: str, profiles: tuple[str, ...] = ("pps",)) -> str:
    """Register a rule of ours and give back its id, for the findings that name it."""
    RULES[identifier] = Rule(identifier, severity, requires, profiles)
    return identifier


BOTH = ("cpsv-ap", "pps")
UNREADABLE = declare("PPS-UNREADABLE", Severity.ERROR, "the file can be read at all: it exists, is a file, is not too "
                     "large, and its suffix (or --format) names a format", BOTH)
SYNTAX = declare("PPS-SYNTAX", Severity.ERROR, "the file is a well-formed document of its format (UTF-8, its "
                 "syntax, no DOCTYPE or remote JSON-LD context, not nested too deeply)", BOTH)
CHOSEN_CATALOGUE = declare("PPS-CATALOGUE", Severity.ERROR, "the dcat:Dataset named with --catalogue is in the document", BOTH)
XSD = declare("PPS-XSD", Severity.ERROR, "a document of our XML format is valid against our XML Schema")
MODEL = declare("PPS-MODEL", Severity.ERROR, "what our model requires of the object (see the model reference)")
FORMAT_NOTE = declare("PPS-FORMAT", Severity.WARNING, "what reading our formats had to say: repairs made, what a format "
                      "could not carry")

# -- business rules ---------------------------------------------------------------------

ServiceRule = Callable[[Catalogue, PublicService, date], Iterator[tuple[str, str]]]
SERVICE_RULES: list[ServiceRule] = []


def service_rule(func: ServiceRule) -> ServiceRule:
    """Register a rule run on every service; it yields (path inside the service, message). Its id
    is `PPS-` and the function's name, its docstring says what it requires."""
    requires = " ".join((func.__doc__ or "").split()).rstrip(".")
    declare(rule_id(func), Severity.WARNING, requires[:1].lower() + requires[1:])
    SERVICE_RULES.append(func)
    return func


def rule_id(func: ServiceRule) -> str:
    """The id of a business rule: `PPS-` and its name (`reaches_clients` → `PPS-REACHES-CLIENTS`)."""
    return "PPS-" + func.__name__.upper().replace("_", "-")


@service_rule
def lv_text(catalogue: Catalogue, service: PublicService, today: date) -> Iterator[tuple[str, str]]:
    """A service has its name and description in Latvian."""
    for name in ("name", "description"):
        if "lv" not in getattr(service, name):
            yield name, "no Latvian text: the national catalogue publishes descriptions in Latvian"


@service_rule
def manager_named(catalogue: Catalogue, service: PublicService, today: date) -> Iterator[tuple[str, str]]:
    """A published service names its service manager (concept [122.2])."""
    if service.manager is None and service.publishing_state is PublishingState.PUBLISHED:
        yield "manager", "a published service needs a service manager (concept [122.2])"


@service_rule
def reaches_clients(catalogue: Catalogue, service: PublicService, today: date) -> Iterator[tuple[str, str]]:
    """A service has at least one channel."""
    if not service.channels:
        yield "channels", "no channel: clients cannot reach the service"


@service_rule
def is_public_service(catalogue: Catalogue, service: PublicService, today: date) -> Iterator[tuple[str, str]]:
    """An inter-institutional service stays out of the public catalogue (concept [102])."""
    if not service.kind.is_public_service:
        yield "kind", "an inter-institutional service is not a public service (concept [102]); keep it out of the public catalogue"


@service_rule
def maturity_evidence(catalogue: Catalogue, service: PublicService, today: date) -> Iterator[tuple[str, str]]:
    """Maturity 3 (defined) or above comes with indicators and a channel strategy (concept [164])."""
    # Maturity level 3 "defined" means some indicators and a channel strategy exist (concept [164]).
    if service.maturity is not None and service.maturity >= Maturity.DEFINED:
        if not service.indicators:
            yield "indicators", f"maturity {int(service.maturity)} requires defined indicators (concept [164])"
        if service.channel_strategy is None:
            yield "channel_strategy", f"maturity {int(service.maturity)} requires a channel strategy (concept [164])"


@service_rule
def holder_keeps_complaints(catalogue: Catalogue, service: PublicService, today: date) -> Iterator[tuple[str, str]]:
    """Reviewing complaints is not handed to a provider: it stays with the holder (concept [112])."""
    # Reviewing complaints is the holder's exclusive task (concept [112]); it cannot be handed over.
    for i, provider in enumerate(service.providers):
        if provider.organisation in service.holders:
            continue
        for j, task in enumerate(provider.tasks):
            if task.task is DeliveryTask.HANDLING_FEEDBACK:
                yield f"providers[{i}].tasks[{j}]", "reviewing complaints stays with the holder (concept [112])"


@service_rule
def still_valid(catalogue: Catalogue, service: PublicService, today: date) -> Iterator[tuple[str, str]]:
    """A published service is still valid (its valid_to is not past)."""
    if service.publishing_state is PublishingState.PUBLISHED and service.valid_to is not None and service.valid_to < today:
        yield "valid_to", f"published, but valid only until {service.valid_to.isoformat()}: archive or update it"


MEASUREMENT_PERIOD = declare("PPS-MEASUREMENT-PERIOD", Severity.WARNING,
                             "a measurement's period lies within its indicator's measuring period")


def _measurement_findings(catalogue: Catalogue) -> Iterator[Finding]:
    for i, m in enumerate(catalogue.measurements):
        try:
            indicator = catalogue.indicator(m.indicator)
        except KeyError:
            continue  # a single service's references may hold it without its indicator: reported as dangling
        if m.start < indicator.start or (indicator.end is not None and m.end > indicator.end):
            yield Finding(Severity.WARNING, f"measurements[{i}]", f"period lies outside the measuring period of {indicator.id!r}",
                          "rules", rule=MEASUREMENT_PERIOD)


def validate(catalogue: Catalogue | PublicService, subject: str | None = None, today: date | None = None, *,
             references: Catalogue | Iterable[PPSModel] = ()) -> Report:
    """Run the business rules of the concept on a valid catalogue, or on one service, and
    report what they find.

    A single `PublicService` is checked as a catalogue of one: the service (at `services[0]`)
    and the objects it refers to, given in `references` either as the objects themselves
    (its holder and provider `Organisation`s, its `Channel`s, `LegalResource`s, events,
    `UnifiedService`, related services, measurements of its indicators) or as a `Catalogue`
    that holds them. What the service refers to and `references` does not give is an error,
    as it would be in a catalogue: `validate(service, references=[holder, channel, law])`.
    """
    if isinstance(catalogue, PublicService):
        return _validate_service(catalogue, subject, today, references)
    if not isinstance(catalogue, Catalogue):
        raise TypeError(f"validate() takes a Catalogue, or a PublicService with references=[...] (the organisations, "
                        f"channels… it refers to); got {_a(catalogue)}")
    if references != ():
        raise TypeError("references= goes with a single PublicService; a Catalogue holds its own")
    report = Report(subject or f"catalogue {catalogue.id!r}")
    report.findings = list(_rule_findings(catalogue, range(len(catalogue.services)), today or date.today()))
    return report


def _rule_findings(catalogue: Catalogue, services: Iterable[int], today: date) -> Iterator[Finding]:
    """The business rules' findings for the services at `services` and for the measurements."""
    for index in services:
        prefix = format_path(("services", index))
        for rule in SERVICE_RULES:
            for path, message in rule(catalogue, catalogue.services[index], today):
                yield Finding(Severity.WARNING, f"{prefix}.{path}", message, "rules", rule=rule_id(rule))
    yield from _measurement_findings(catalogue)


def _validate_service(service: PublicService, subject: str | None, today: date | None,
                      references: Catalogue | Iterable[PPSModel]) -> Report:
    catalogue = catalogue_of_one(service, references)
    report = Report(subject or f"service {service.id!r}")
    # The members are valid models already, so only the catalogue's own rules remain to check.
    dangling = {(p.path, p.message) for p in catalogue.dangling_references()}
    for path, message in catalogue.rule_problems():
        where = format_path(path)
        if where == "publisher":
            continue  # the holder stands in as publisher; a missing holder is reported at its place
        if (where, message) in dangling:
            message = f"{message.removesuffix(' in the catalogue')} among the references: give it in references=[...]"
        report.findings.append(Finding(Severity.ERROR, where, message, "model", rule=MODEL))
    report.findings += _rule_findings(catalogue, [0], today or date.today())
    return report


def catalogue_of_one(service: PublicService, references: Catalogue | Iterable[PPSModel] = ()) -> Catalogue:
    """`service` in a catalogue of its own with the objects in `references`, sorted into their
    collections, built without checking (see `validate`). From a Catalogue, its shared objects
    and the measurements of the service's indicators are taken; the service replaces any
    service with its identifier."""
    collections: dict[str, list[PPSModel]] = {name: [] for name in _COLLECTIONS}
    if isinstance(references, Catalogue):
        indicators = {indicator.id for indicator in service.indicators}
        collections = {name: list(getattr(references, name)) for name in _COLLECTIONS}
        collections["services"] = [other for other in references.services if other.id != service.id]
        collections["measurements"] = [m for m in references.measurements if m.indicator in indicators]
    else:
        for item in references:
            name = next((name for name, model in _COLLECTIONS.items() if isinstance(item, model)), None)
            if name is None:
                raise TypeError(f"references holds {_a(item)}; give the objects the service refers to: "
                                + ", ".join(model.__name__ for model in _COLLECTIONS.values()))
            if item not in collections[name] and not (name == "services" and item.id == service.id):
                collections[name].append(item)
    collections["services"].insert(0, service)
    return Catalogue.model_construct(id=service.id, title=service.name, description=service.description,
                                     publisher=service.holders[0], **collections)


_COLLECTIONS: dict[str, type[PPSModel]] = {
    name: info.annotation.__args__[0] for name, info in Catalogue.model_fields.items()
    if getattr(info.annotation, "__origin__", None) is list
}
"""Catalogue collection → the model of its members (organisations → Organisation…)."""


def _a(value: object) -> str:
    name = type(value).__name__
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


RDF_FORMATS = ("ttl", "nt", "jsonld", "rdfxml", "ttl-2.2.1")


def validate_file(path: str | os.PathLike[str], format: str | None = None, today: date | None = None, *,
                  profile: str = "pps", language: str | None = None, catalogue: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES, leftovers: bool = False) -> Report:
    """Read a catalogue file and report everything wrong with it, from syntax to business rules.

    RDF (anyone's CPSV-AP 3.2.0 or 2.2.1) is read leniently and checked against `profile`:
    `"cpsv-ap"` (the standard's constraints alone) or `"pps"` (those, our extension and the
    Latvian profile); every service is read and every problem reported, each with its rule id
    and node (see `pps_sdk.validation.profiles`). `language` is the language of untagged text,
    `catalogue` the dcat:Dataset to check when the file holds several. Files over `max_bytes`
    (50 MB by default) are unreadable. With `leftovers`, the report's `leftovers` holds the
    triples of an RDF file that our model has no place for (with the `pps` profile, always).

    Our own formats are checked against their schema first (XML against our XSD); a document
    that breaks it is not read further; then the model and the business rules. Never raises
    for bad content: unreadable files, schema violations and invalid models become error findings.
    """
    subject = os.fspath(path)
    try:
        try:
            fmt = get_format(format, path)
        except FormatError as exc:  # a file in no known format cannot be read
            raise UnreadableError(str(exc)) from None
        raw = read_file(Path(path), max_bytes)
        if fmt.name in RDF_FORMATS:
            return _validate_rdf(raw, fmt.name, subject, profile, language, catalogue, today, leftovers)
        if profile != "pps":
            return _validate_as_rdf(fmt.read(raw, Catalogue), subject, profile, today)
        problems = fmt.check(raw) if fmt.check else []
        if problems:
            return Report(subject, [Finding(Severity.ERROR, p.path, p.message, "schema", p.line, XSD) for p in problems])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            catalogue = fmt.read(raw, Catalogue)
    except MalformedError as exc:
        return Report(subject, [Finding(Severity.ERROR, "", str(exc), "read", _line_named(str(exc)), SYNTAX)], profile)
    except UnreadableError as exc:
        return Report(subject, [Finding(Severity.ERROR, "", str(exc), "read", rule=UNREADABLE)], profile)
    except FormatError as exc:
        return Report(subject, [Finding(Severity.ERROR, "", str(exc), "format", rule=SYNTAX)], profile)
    except ModelError as exc:
        return Report(subject, [Finding(Severity.ERROR, p.path, p.message, "model", p.line, MODEL) for p in exc.problems])
    report = validate(catalogue, subject, today)
    report.findings[:0] = [Finding(Severity.WARNING, "", str(w.message), "format", rule=FORMAT_NOTE) for w in caught]
    return report


def _line_named(message: str) -> int | None:
    """The line a parser's message names ("… line 83: expected '.'"), for reports that show it."""
    found = re.search(r"\bline (\d+)", message)
    return int(found[1]) if found else None


def _validate_rdf(raw: bytes, syntax: str, subject: str, profile: str, language: str | None,
                  catalogue: str | None, today: date | None, leftovers: bool = False) -> Report:
    from .profiles import check_reading
    from .reading import read_rdf

    if profile == "cpsv-ap" and not leftovers:  # read without rdflib's graph where that gives the same report
        from .fast_profile import cpsv_ap_report

        report = cpsv_ap_report(raw, syntax, subject, language, catalogue, today)
        if report is not None:
            return report
    try:
        reading = read_rdf(raw, syntax, language, catalogue, into_models=profile != "cpsv-ap" or leftovers)
    except LookupError as exc:
        return Report(subject, [Finding(Severity.ERROR, "", str(exc).strip("'\""), "read", rule="PPS-CATALOGUE")], profile)
    return check_reading(reading, subject, profile, today)


def _validate_as_rdf(catalogue: Catalogue, subject: str, profile: str, today: date | None) -> Report:
    """Our own document checked as the CPSV-AP it is written as."""
    from ..formats.rdf import serialize, to_graph

    return _validate_rdf(serialize(to_graph(catalogue), "nt").encode("utf-8"), "nt", subject, profile, None, None, today)
