"""The publishing protocol: what the catalogue service and its clients say to each other.

Both sides import this module, so the resources, the publishing actions, the wire formats,
the headers and the bodies cannot drift apart. The OpenAPI document is generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..model import (BusinessEvent, Catalogue, Channel, LegalResource, LifeEvent, Measurement, Organisation,
                     PPSModel, PublicService, PublishingState, UnifiedService)
from ..model.catalogue import SHARED
from ..validation import Finding

# -- resources ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """A kind of resource the catalogue keeps: one of the catalogue's shared collections."""

    name: str  # the Catalogue field, e.g. "legal_resources"
    model: type[PPSModel]

    @property
    def path(self) -> str:
        """The URL segment, e.g. `legal-resources`."""
        return self.name.replace("_", "-")

    @property
    def has_states(self) -> bool:
        """Only service descriptions go through review; the other records are public once written."""
        return self.model is PublicService


def _collections() -> dict[str, Collection]:
    # The catalogue model says which collections exist and what each holds.
    found = {}
    for name in SHARED:
        annotation = Catalogue.model_fields[name].annotation
        found[name] = Collection(name, annotation.__args__[0])
    return found


COLLECTIONS: dict[str, Collection] = _collections()
BY_PATH: dict[str, Collection] = {c.path: c for c in COLLECTIONS.values()}
SERVICES = COLLECTIONS["services"]
assert {Organisation, Channel, LegalResource, LifeEvent, BusinessEvent, UnifiedService, PublicService} == {
    c.model for c in COLLECTIONS.values()}


DEFAULT_PUBLISHER = "VARAM"
"""The organisation named as the publisher of the published catalogue unless the service is
told another: the ministry that runs the national catalogue."""


class Role(StrEnum):
    PUBLISHER = "publisher"  # writes what its organisation holds or owns
    MAINTAINER = "maintainer"  # reviews and publishes for every organisation


@dataclass(frozen=True)
class Action:
    """A publishing action on a service description: `POST /services/{id}/{name}`."""

    name: str
    target: PublishingState
    maintainer_only: bool
    summary: str


ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("submit", PublishingState.SUBMITTED, False, "Submit for review; validation runs and errors refuse it."),
    Action("return", PublishingState.DRAFT, True, "Return a submitted description to its holder as a draft."),
    Action("publish", PublishingState.PUBLISHED, True, "Publish a submitted description."),
    Action("archive", PublishingState.ARCHIVED, False, "Archive: take the description out of the public catalogue."),
    Action("reopen", PublishingState.DRAFT, False, "Reopen an archived description as a draft."),
)}

# -- formats -------------------------------------------------------------------------------

MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "xml": "application/xml",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
"""The document formats by name (as `pps convert` knows them) and their media types."""

RDF_FORMATS = frozenset({"ttl", "nt", "jsonld", "rdfxml"})
_ALIASES = {"text/xml": "xml", "application/x-turtle": "ttl", "text/plain": "nt"}
FORMAT_OF: dict[str, str] = {media: name for name, media in MEDIA_TYPES.items()} | _ALIASES


def offered_formats(model: type[PPSModel]) -> list[str]:
    """The formats a document of `model` can be exchanged in. CPSV-AP RDF describes
    services and whole catalogues; the other records travel as our JSON and XML."""
    if model in (PublicService, Catalogue):
        return list(MEDIA_TYPES)
    return ["json", "xml"]


def format_of_content_type(content_type: str | None) -> str | None:
    """The format a request body declares, or None when its media type is not one we read."""
    if not content_type:
        return "json"
    media = content_type.split(";")[0].strip().lower()
    return FORMAT_OF.get(media)


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered format the `Accept` header prefers (the first offered one for `*/*` or no
    header); None when it accepts none of them."""
    if not accept:
        return offered[0]
    best, best_q = None, 0.0
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        candidates = offered if media in ("*/*", "application/*") else [FORMAT_OF.get(media)]
        for name in candidates:
            if name in offered and q > best_q:
                best, best_q = name, q
                break
    return best


# -- headers and query parameters ----------------------------------------------------------

ETAG = "ETag"
IF_MATCH = "If-Match"
IDEMPOTENCY_KEY = "Idempotency-Key"
CURSOR = "PPS-Cursor"
"""Response header of `GET /catalogue`: the feed cursor the snapshot is consistent with."""
PROBLEM_JSON = "application/problem+json"
MAX_IDEMPOTENCY_KEY = 200


def etag(version: int) -> str:
    """The entity tag of a record's version."""
    return f'"{version}"'


def version_of_etag(value: str) -> int | None:
    """The version an `If-Match` value names (`"7"` or `W/"7"`), or None if it names none."""
    value = value.strip().removeprefix("W/")
    if len(value) >= 2 and value[0] == value[-1] == '"' and value[1:-1].isdigit():
        return int(value[1:-1])
    return None


# -- bodies --------------------------------------------------------------------------------

class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


PROBLEMS: dict[str, tuple[int, str]] = {
    "bad-request": (400, "Bad request"),
    "unauthorised": (401, "Missing, unknown or revoked token"),
    "forbidden": (403, "Not allowed for this token"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "not-acceptable": (406, "No offered format is acceptable"),
    "conflict": (409, "Conflict with the catalogue's state"),
    "stale": (412, "The record has changed since it was read"),
    "too-large": (413, "Request body too large"),
    "unsupported-media-type": (415, "Body format not read here"),
    "invalid": (422, "Refused by validation"),
    "idempotency-key-reused": (422, "Idempotency-Key already used for another request"),
    "precondition-required": (428, "If-Match required"),
    "internal": (500, "Internal error"),
    "unavailable": (503, "Service unavailable"),
}
"""Every kind of problem the service reports: slug → (status, title)."""

PROBLEM_BASE = "https://w3id.org/pps-lv/problems/"


def problem_type(slug: str) -> str:
    """The `type` URI of problem `slug`."""
    return PROBLEM_BASE + slug


def problem_slug(type_uri: str) -> str:
    """The slug of a problem `type` URI (the reverse of `problem_type`)."""
    return type_uri.removeprefix(PROBLEM_BASE)


class Problem(Wire):
    """An error, as RFC 9457 problem details, with the validation findings when there are any."""

    type: str = Field(description="URI naming the kind of problem.")
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(description="HTTP status code.")
    detail: str = Field(default="", description="What went wrong here, and what to do.")
    instance: str | None = Field(default=None, description="The request path.")
    findings: list[Finding] = Field(default_factory=list, description="Validation findings, each with a path.")
    current_etag: str | None = Field(default=None, description="On a stale write: the entity tag of the current version.")
    current: Any = Field(default=None, description="On a stale write: the current version itself, as our JSON.")


class WriteResult(Wire):
    """What one write did to one record."""

    collection: str
    id: str
    outcome: Outcome
    version: int | None = Field(default=None, description="The record's version after the write.")
    state: PublishingState | None = Field(default=None, description="A service's publishing state after the write.")
    findings: list[Finding] = Field(default_factory=list, description="Warnings that travel with the record.")
    problem: Problem | None = Field(default=None, description="Why the write was refused.")


class BulkResult(Wire):
    """One result per record of a bulk write, in the order of the document."""

    results: list[WriteResult]


class HistoryEntry(Wire):
    version: int
    state: PublishingState | None = None
    author: str = Field(description="The organisation whose token made the change.")
    at: datetime
    action: str = Field(description="created, updated, or the publishing action.")
    findings: list[Finding] = Field(default_factory=list, description="Warnings found when the version was made.")


class History(Wire):
    collection: str
    id: str
    versions: list[HistoryEntry]


class ListItem(Wire):
    id: str
    version: int
    state: PublishingState | None = None
    source_id: str | None = None


class Listing(Wire):
    collection: str
    items: list[ListItem]


class ChangeAction(StrEnum):
    PUT = "put"  # the record now reads as `document`
    REMOVE = "remove"  # the record left the public catalogue


class Change(Wire):
    """One change to the public catalogue. `measurements` changes carry the whole list of an
    indicator's published measurements."""

    cursor: int
    collection: str
    id: str
    action: ChangeAction
    version: int | None = None
    at: datetime
    document: Any = Field(default=None, description="The record as our JSON (a list of measurements for `measurements`).")


class ChangePage(Wire):
    changes: list[Change]
    next: int = Field(description="The cursor to ask for next (`?after=`).")
    more: bool = Field(description="Whether more changes follow right away.")


MEASUREMENTS = "measurements"


# -- reading records one by one --------------------------------------------------------------

def bulk_records(data: Any) -> list[tuple[Collection | None, Any]]:
    """The records of a catalogue-shaped JSON value, in write order (the catalogue's
    collections, then `measurements` as `(None, value)`), each still unvalidated, so that one
    invalid record can be refused alone. ValueError says what is wrong with the shape."""
    if not isinstance(data, dict):
        raise ValueError("a catalogue is a JSON object with lists of records")
    unknown = set(data) - {*COLLECTIONS, MEASUREMENTS, *Catalogue.model_fields}
    if unknown:
        raise ValueError(f"unknown member(s) {', '.join(sorted(unknown))}")
    items: list[tuple[Collection | None, Any]] = []
    for name in (*COLLECTIONS, MEASUREMENTS):
        values = data.get(name, [])
        if not isinstance(values, list):
            raise ValueError(f"{name} must be a list")
        items += [(COLLECTIONS.get(name), value) for value in values]
    return items


# -- applying the feed ---------------------------------------------------------------------

def empty_state() -> dict[str, dict[str, Any]]:
    """The state of a mirror before anything was read: collection → id → JSON document."""
    return {name: {} for name in (*COLLECTIONS, MEASUREMENTS)}


def state_of_catalogue(catalogue: Catalogue) -> dict[str, dict[str, Any]]:
    """A snapshot catalogue as a mirror's state."""
    state = empty_state()
    for name in COLLECTIONS:
        for item in getattr(catalogue, name):
            state[name][item.id] = item.model_dump(mode="json", exclude_defaults=True)
    for m in catalogue.measurements:
        state[MEASUREMENTS].setdefault(m.indicator, []).append(m.model_dump(mode="json", exclude_defaults=True))
    return state


def wire_collection(name: str) -> str:
    """How a collection is named on the wire: its URL segment (`legal-resources`)."""
    return COLLECTIONS[name].path if name in COLLECTIONS else name


def apply_change(state: dict[str, dict[str, Any]], change: Change) -> None:
    """Apply one feed change to a mirror's state, in place."""
    name = BY_PATH[change.collection].name if change.collection in BY_PATH else change.collection
    if change.action is ChangeAction.PUT:
        state[name][change.id] = change.document
    else:
        state[name].pop(change.id, None)


def catalogue_of_state(state: dict[str, dict[str, Any]], head: dict[str, Any]) -> Catalogue:
    """The catalogue a mirror's state describes; `head` gives its id, title, description and
    publisher. Measurements of indicators that are no longer published are left out."""
    data = {**head, **{name: list(items.values()) for name, items in state.items() if name in COLLECTIONS}}
    indicators = {ind["id"] for name in ("services", "channels") for doc in state[name].values()
                  for ind in doc.get("indicators", [])}
    data["measurements"] = [m for ind, ms in state[MEASUREMENTS].items() if ind in indicators for m in ms]
    return Catalogue.model_validate(data)
