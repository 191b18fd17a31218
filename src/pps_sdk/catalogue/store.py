"""What the catalogue does with records: versions, publishing states, permissions, the feed.

Every function takes an open transaction from `Database.writing()` or `Database.reading()`,
so one request is one transaction and the HTTP layer stays thin. Errors are `CatalogueError`,
which the service turns into problem details.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update

from ..model import (Catalogue, Indicator, Measurement, PPSModel, PublicService, PublishingState, can_transition,
                     format_path, next_states, references)
from ..validation import SERVICE_RULES, Finding, Severity
from . import protocol as p
from .db import changes, indicators, measurements, records, source_ids, versions, writers
from .protocol import ACTIONS, COLLECTIONS, MEASUREMENTS, SERVICES, Collection, Outcome, Role, WriteResult


class CatalogueError(Exception):
    """A request the catalogue refuses; `slug` names the kind (see `protocol.PROBLEMS`)."""

    def __init__(self, slug: str, detail: str, *, findings: list[Finding] | None = None,
                 current_etag: str | None = None, current: Any = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.slug, self.detail = slug, detail
        self.findings = findings or []
        self.current_etag, self.current = current_etag, current
        self.headers = headers or {}

    @property
    def status(self) -> int:
        return p.PROBLEMS[self.slug][0]

    def problem(self, instance: str | None = None) -> p.Problem:
        return p.Problem(type=p.problem_type(self.slug), title=p.PROBLEMS[self.slug][1], status=self.status,
                         detail=self.detail, instance=instance, findings=self.findings,
                         current_etag=self.current_etag, current=self.current)


@dataclass(frozen=True)
class Principal:
    """Who makes a request: the organisation behind a token and its role."""

    token_id: str
    org: str
    role: Role

    @property
    def maintainer(self) -> bool:
        return self.role is Role.MAINTAINER


@dataclass(frozen=True)
class CatalogueHead:
    """What the published catalogue says about itself."""

    id: str = "ppk"
    title: dict[str, str] = field(default_factory=lambda: {"lv": "Publisko pakalpojumu katalogs",
                                                           "en": "Public service catalogue"})
    description: dict[str, str] = field(default_factory=lambda: {
        "lv": "Publicētie publisko pakalpojumu apraksti.", "en": "Published public service descriptions."})
    publisher: str = p.DEFAULT_PUBLISHER

    def as_data(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "description": self.description, "publisher": self.publisher}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def body_of(model: PPSModel) -> str:
    """The stored form of a record: our JSON, compact, defaults left out."""
    return model.model_dump_json(exclude_defaults=True)


# -- reading ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Visible:
    """A version of a record that a reader may see."""

    collection: Collection
    id: str
    version: int
    state: PublishingState | None
    body: str

    def model(self) -> PPSModel:
        return self.collection.model.model_validate_json(self.body)


# The statements every write runs, built once (building them costs more than running them).
_RECORD = select(records).where(records.c.collection == bindparam("collection"), records.c.id == bindparam("id"))
_SOURCE_TAKEN = select(source_ids.c.org, source_ids.c.service).where(
    source_ids.c.org.in_(bindparam("orgs", expanding=True)), source_ids.c.source_id == bindparam("source_id"))
_DECLARED = select(indicators.c.id, indicators.c.record).where(indicators.c.id.in_(bindparam("ids", expanding=True)))
_INSERT = {table.name: insert(table) for table in (records, versions, writers, source_ids, indicators)}


def record_row(conn: Connection, collection: Collection, id: str) -> Any:
    return conn.execute(_RECORD, {"collection": collection.name, "id": id}).first()


def writers_of(conn: Connection, collection: Collection, id: str) -> set[str]:
    rows = conn.execute(select(writers.c.org).where(writers.c.collection == collection.name, writers.c.id == id))
    return {row.org for row in rows}


def may_see_drafts(conn: Connection, principal: Principal | None, collection: Collection, id: str) -> bool:
    if principal is None:
        return False
    return principal.maintainer or principal.org in writers_of(conn, collection, id)


def visible(conn: Connection, principal: Principal | None, collection: Collection, id: str,
            version: int | None = None) -> Visible:
    """The version of a record `principal` asked for and may see. The public sees the
    published version of a service; its holders and maintainers see every version."""
    row = record_row(conn, collection, id)
    if row is None:
        raise CatalogueError("not-found", f"no {_singular(collection)} {id!r}")
    insider = not collection.has_states or may_see_drafts(conn, principal, collection, id)
    wanted = version if version is not None else (row.version if insider else row.public_version)
    if wanted is None or (not insider and wanted != row.public_version):
        raise CatalogueError("not-found", f"no published {_singular(collection)} {id!r}"
                             + ("" if version is None else f" in version {version}"))
    found = conn.execute(select(versions.c.state, versions.c.body).where(
        versions.c.collection == collection.name, versions.c.id == id, versions.c.version == wanted)).first()
    if found is None:
        raise CatalogueError("not-found", f"{_singular(collection)} {id!r} has no version {wanted}")
    state = PublishingState(found.state) if found.state else None
    return Visible(collection, id, wanted, state, found.body)


def history(conn: Connection, principal: Principal | None, collection: Collection, id: str) -> p.History:
    """Every version of a record: who made it, when, and in which state it left it."""
    visible(conn, principal, collection, id)  # 404 unless the reader may see the record
    if collection.has_states and not may_see_drafts(conn, principal, collection, id):
        raise CatalogueError("forbidden", "a service's history is shown to its holders and maintainers")
    rows = conn.execute(select(versions.c.version, versions.c.state, versions.c.author, versions.c.at, versions.c.action,
                               versions.c.findings)
                        .where(versions.c.collection == collection.name, versions.c.id == id)
                        .order_by(versions.c.version))
    entries = [p.HistoryEntry(version=r.version, state=r.state, author=r.author, at=r.at, action=r.action,
                              findings=json.loads(r.findings)) for r in rows]
    return p.History(collection=collection.path, id=id, versions=entries)


def listing(conn: Connection, principal: Principal | None, collection: Collection, *, holder: str | None = None,
            source_id: str | None = None, state: str | None = None) -> p.Listing:
    """The records of a collection that `principal` may see, optionally filtered."""
    query = select(records.c.id, records.c.version, records.c.public_version, records.c.state, records.c.source_id)
    query = query.where(records.c.collection == collection.name)
    if holder is not None:
        query = query.where(records.c.id.in_(select(writers.c.id).where(
            writers.c.collection == collection.name, writers.c.org == holder)))
    if source_id is not None:
        query = query.where(records.c.source_id == source_id)
    if state is not None:
        query = query.where(records.c.state == state)
    own: set[str] = set()
    if collection.has_states and principal is not None and not principal.maintainer:
        own = {r.id for r in conn.execute(select(writers.c.id).where(
            writers.c.collection == collection.name, writers.c.org == principal.org))}
    insider_all = not collection.has_states or (principal is not None and principal.maintainer)
    items = []
    for row in conn.execute(query.order_by(records.c.id)):
        if insider_all or row.id in own:
            items.append(p.ListItem(id=row.id, version=row.version, state=row.state, source_id=row.source_id))
        elif row.public_version is not None:
            items.append(p.ListItem(id=row.id, version=row.public_version, state=PublishingState.PUBLISHED,
                                    source_id=row.source_id))
    return p.Listing(collection=collection.path, items=items)


def change_page(conn: Connection, after: int, limit: int) -> p.ChangePage:
    """The public changes after cursor `after`, oldest first, at most `limit` of them."""
    rows = list(conn.execute(select(changes).where(changes.c.seq > after).order_by(changes.c.seq).limit(limit + 1)))
    page = [p.Change(cursor=r.seq, collection=p.wire_collection(r.collection), id=r.id, action=r.action, version=r.version, at=r.at,
                     document=json.loads(r.body) if r.body is not None else None) for r in rows[:limit]]
    return p.ChangePage(changes=page, next=page[-1].cursor if page else after, more=len(rows) > limit)


def cursor(conn: Connection) -> int:
    """The cursor of the latest change (0 before the first)."""
    return conn.execute(select(func.max(changes.c.seq))).scalar() or 0


def snapshot(conn: Connection, head: CatalogueHead) -> tuple[Catalogue, int]:
    """The whole published catalogue and the feed cursor it is consistent with."""
    data: dict[str, Any] = head.as_data()
    for collection in COLLECTIONS.values():
        shown = records.c.public_version if collection.has_states else records.c.version
        rows = conn.execute(select(versions.c.body).select_from(records.join(versions, and_(
            versions.c.collection == records.c.collection, versions.c.id == records.c.id, versions.c.version == shown)))
            .where(records.c.collection == collection.name).order_by(records.c.id))
        data[collection.name] = [json.loads(r.body) for r in rows]
    if head.publisher not in {org["id"] for org in data["organisations"]}:
        raise CatalogueError("conflict", f"the catalogue's publisher organisation {head.publisher!r} is not registered: "
                             "write its record to /organisations (or start the service with another --publisher)")
    published = {ind["id"] for name in ("services", "channels") for doc in data[name] for ind in doc.get("indicators", [])}
    data["measurements"] = [json.loads(r.body) for r in conn.execute(
        select(measurements.c.indicator, measurements.c.body).order_by(measurements.c.indicator, measurements.c.key))
        if r.indicator in published]
    return Catalogue.model_validate(data), cursor(conn)


def indicator(conn: Connection, principal: Principal | None, id: str) -> tuple[Indicator, Visible]:
    """Indicator `id` with the record that declares it, as `principal` may see it."""
    row = conn.execute(select(indicators).where(indicators.c.id == id)).first()
    if row is None:
        raise CatalogueError("not-found", f"no indicator {id!r}")
    shown = visible(conn, principal, COLLECTIONS[row.collection], row.record)
    for item in shown.model().indicators:
        if item.id == id:
            return item, shown
    raise CatalogueError("not-found", f"no indicator {id!r} in the visible version of {row.record!r}")


def measurements_of(conn: Connection, indicator_id: str) -> list[Measurement]:
    rows = conn.execute(select(measurements.c.body).where(measurements.c.indicator == indicator_id)
                        .order_by(measurements.c.key))
    return [Measurement.model_validate_json(r.body) for r in rows]


# -- writing ------------------------------------------------------------------------------

def write(conn: Connection, principal: Principal, collection: Collection, doc: PPSModel, *, mode: str,
          if_match: str | None = None, findings: list[Finding] | None = None) -> WriteResult:
    """Create (`mode="create"`), update (`"update"`, If-Match required) or upsert (`"upsert"`)
    one record. Writing what is already stored changes nothing and says `unchanged`."""
    findings = list(findings or [])
    if collection is SERVICES and mode == "upsert":
        doc = _known_by_source_id(conn, doc, findings)
    row = record_row(conn, collection, doc.id)
    if mode == "create" and row is not None:
        raise CatalogueError("conflict", f"{_singular(collection)} {doc.id!r} exists already; update it with PUT",
                             headers={"Location": f"/{collection.path}/{doc.id}"})
    if mode == "update" and row is None:
        raise CatalogueError("not-found", f"no {_singular(collection)} {doc.id!r}; create it with POST")
    old_writers = writers_of(conn, collection, doc.id) if row is not None else set()
    new_writers = _writers(collection, doc, principal, old_writers)
    _check_may_write(principal, collection, doc.id, old_writers, new_writers, row is None)
    if mode == "update":  # after the permission check: a stale answer shows the current record
        check_if_match(if_match, row.version, lambda: _current_body(conn, collection, doc.id, row.version, None))
    state = _state_after_edit(collection, doc, row, findings)
    if state is not None:
        doc = doc.model_copy(update={"publishing_state": state})
    body = body_of(doc)
    if row is not None and body == _current_body(conn, collection, doc.id, row.version, state):
        return WriteResult(collection=collection.path, id=doc.id, outcome=Outcome.UNCHANGED, version=row.version,
                           state=row.state, findings=findings)
    version = 1 if row is None else row.version + 1
    _store_version(conn, principal, collection, doc, version, state, "created" if row is None else "updated", body,
                   findings, row)
    existed = row is not None
    if new_writers != old_writers:
        _set_writers(conn, collection, doc.id, new_writers, existed)
    if collection is SERVICES:
        _set_source_ids(conn, doc, existed)
    if hasattr(doc, "indicators"):
        _set_indicators(conn, collection, doc, existed)
    if not collection.has_states:
        _feed(conn, collection.name, doc.id, p.ChangeAction.PUT, version, body)
    outcome = Outcome.CREATED if row is None else Outcome.UPDATED
    return WriteResult(collection=collection.path, id=doc.id, outcome=outcome, version=version, state=state,
                       findings=findings)


def act(conn: Connection, principal: Principal, id: str, name: str, if_match: str | None,
        today: date | None = None) -> WriteResult:
    """Apply publishing action `name` (submit, return, publish, archive, reopen) to service `id`."""
    action = ACTIONS.get(name)
    if action is None:
        raise CatalogueError("not-found", f"no action {name!r}; actions: {', '.join(ACTIONS)}")
    row = record_row(conn, SERVICES, id)
    if row is None:
        raise CatalogueError("not-found", f"no service {id!r}")
    if action.maintainer_only and not principal.maintainer:
        raise CatalogueError("forbidden", f"only a maintainer may {name} a service")
    if not principal.maintainer and principal.org not in writers_of(conn, SERVICES, id):
        raise CatalogueError("forbidden", f"service {id!r} is not held by {principal.org!r}")
    check_if_match(if_match, row.version, lambda: _current_body(conn, SERVICES, id, row.version, None))
    current = PublishingState(row.state)
    if not can_transition(current, action.target) or (name == "return" and current is not PublishingState.SUBMITTED):
        allowed = ", ".join(sorted(s.value for s in next_states(current))) or "none"
        raise CatalogueError("conflict", f"service {id!r} is {current.value}: it cannot {name} "
                             f"(to {action.target.value}; allowed from here: {allowed})")
    service = PublicService.model_validate_json(_current_body(conn, SERVICES, id, row.version, None))
    findings: list[Finding] = []
    if name in ("submit", "publish"):
        findings = check_service(conn, service, today or date.today())
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors:
            raise CatalogueError("invalid", f"service {id!r} cannot be {action.target.value}: "
                                 f"{len(errors)} error{'s' if len(errors) != 1 else ''}", findings=findings)
    if name == "archive" and row.public_version is not None:
        _check_not_needed(conn, id)
    moved = service.model_copy(update={"publishing_state": action.target})
    body = body_of(moved)
    version = row.version + 1
    _store_version(conn, principal, SERVICES, moved, version, action.target, name, body, findings, row)
    if name == "publish":
        conn.execute(update(records).where(records.c.collection == SERVICES.name, records.c.id == id)
                     .values(public_version=version))
        _feed(conn, SERVICES.name, id, p.ChangeAction.PUT, version, body)
        for item in moved.indicators:
            _feed_measurements(conn, item.id)
    elif name == "archive" and row.public_version is not None:
        conn.execute(update(records).where(records.c.collection == SERVICES.name, records.c.id == id)
                     .values(public_version=None))
        _feed(conn, SERVICES.name, id, p.ChangeAction.REMOVE, None, None)
    return WriteResult(collection=SERVICES.path, id=id, outcome=Outcome.UPDATED, version=version,
                       state=action.target, findings=findings)


def put_measurements(conn: Connection, principal: Principal, indicator_id: str,
                     values: list[Measurement]) -> WriteResult:
    """Add or correct measured values of a published indicator (one per period, channel and segment)."""
    row = conn.execute(select(indicators).where(indicators.c.id == indicator_id)).first()
    if row is None:
        raise CatalogueError("not-found", f"no indicator {indicator_id!r}")
    collection = COLLECTIONS[row.collection]
    if not principal.maintainer and principal.org not in writers_of(conn, collection, row.record):
        raise CatalogueError("forbidden", f"indicator {indicator_id!r} belongs to {row.record!r}, "
                             f"which {principal.org!r} does not hold")
    owner = record_row(conn, collection, row.record)
    if collection.has_states and owner.public_version is None:
        raise CatalogueError("conflict", f"indicator {indicator_id!r} belongs to {row.record!r}, which is not "
                             "published: publish it before its measurements")
    problems = [Finding(Severity.ERROR, f"[{i}].indicator", f"measures {m.indicator!r}, not {indicator_id!r}", "protocol")
                for i, m in enumerate(values) if m.indicator != indicator_id]
    known_channels = {r.id for r in conn.execute(select(records.c.id).where(records.c.collection == "channels"))}
    problems += [Finding(Severity.ERROR, f"[{i}].channel", f"no channel {m.channel!r} in the catalogue", "protocol")
                 for i, m in enumerate(values) if m.channel is not None and m.channel not in known_channels]
    if problems:
        raise CatalogueError("invalid", "measurements refused", findings=problems)
    changed = False
    for m in values:
        key = f"{m.start}|{m.end}|{m.channel or ''}|{m.segment.value if m.segment else ''}"
        body = body_of(m)
        old = conn.execute(select(measurements.c.body).where(measurements.c.indicator == indicator_id,
                                                             measurements.c.key == key)).scalar()
        if old == body:
            continue
        changed = True
        if old is None:
            conn.execute(insert(measurements).values(indicator=indicator_id, key=key, body=body))
        else:
            conn.execute(update(measurements).where(measurements.c.indicator == indicator_id, measurements.c.key == key)
                         .values(body=body))
    if changed:
        _feed_measurements(conn, indicator_id)
    return WriteResult(collection=MEASUREMENTS, id=indicator_id,
                       outcome=Outcome.UPDATED if changed else Outcome.UNCHANGED)


def check_if_match(if_match: str | None, version: int, current: Callable[[], str]) -> None:
    """428 without If-Match, 412 when it names another version than `version`; both answers
    carry the current version (`current` gives its stored body), so the writer can reapply."""
    if if_match is None:
        raise CatalogueError("precondition-required", "send If-Match with the ETag of the version you read",
                             current_etag=p.etag(version), current=json.loads(current()))
    if if_match.strip() != "*" and p.version_of_etag(if_match) != version:
        raise CatalogueError("stale", f"the record is at version {version}; read it again and reapply your change",
                             current_etag=p.etag(version), current=json.loads(current()),
                             headers={p.ETAG: p.etag(version)})


_PRESENT = select(records.c.id, records.c.public_version).where(
    records.c.collection == bindparam("collection"), records.c.id.in_(bindparam("ids", expanding=True)))
_CURRENT_BODIES = select(versions.c.body).select_from(records.join(versions, and_(
    versions.c.collection == records.c.collection, versions.c.id == records.c.id,
    versions.c.version == records.c.version))).where(
    records.c.collection == bindparam("collection"), records.c.id.in_(bindparam("ids", expanding=True)))
# The records the business rules look into, besides the service itself.
_RULE_CONTEXT = ("organisations", "channels")


def check_service(conn: Connection, service: PublicService, today: date) -> list[Finding]:
    """What stands between `service` and publication: references that do not resolve in the
    catalogue (errors) and the concept's business rules, applied as if it were published."""
    findings: list[Finding] = []
    wanted: dict[str, list[tuple[str, str]]] = {}
    for path, name, ident in references(service):
        if name != "indicators":  # the service's own indicators; formulas are checked below
            wanted.setdefault(name, []).append((format_path(path), ident))
    context: dict[str, list[Any]] = {name: [] for name in (*COLLECTIONS, MEASUREMENTS)}
    for name, refs in wanted.items():
        collection = COLLECTIONS[name]
        ids = sorted({ident for _, ident in refs})
        rows = {row.id: row for row in conn.execute(_PRESENT, {"collection": name, "ids": ids})}
        for where, ident in refs:
            row = rows.get(ident)
            if collection is SERVICES and (row is None or row.public_version is None):
                findings.append(Finding(Severity.ERROR, where, f"service {ident!r} is not published in the catalogue",
                                        "references"))
            elif row is None:
                findings.append(Finding(Severity.ERROR, where, f"no {_singular(collection)} {ident!r} in the catalogue",
                                        "references"))
        if name in _RULE_CONTEXT:
            context[name] = [collection.model.model_validate_json(r.body)
                             for r in conn.execute(_CURRENT_BODIES, {"collection": name, "ids": ids})]
    findings += _unknown_formula_references(conn, service)
    as_published = service.model_copy(update={"publishing_state": PublishingState.PUBLISHED})
    # Every list given, so that no default is computed: the rules only look things up.
    catalogue = Catalogue.model_construct(**{**context, "services": [as_published]})
    for rule in SERVICE_RULES:
        for path, message in rule(catalogue, as_published, today):
            findings.append(Finding(Severity.WARNING, path, message, "rules"))
    return findings


def _unknown_formula_references(conn: Connection, service: PublicService) -> list[Finding]:
    own = {item.id for item in service.indicators}
    elsewhere = sorted({ref for item in service.indicators for ref in item.references} - own)
    known = {row.id for row in conn.execute(_DECLARED, {"ids": elsewhere})} if elsewhere else set()
    return [Finding(Severity.ERROR, f"indicators[{i}].formula", f"formula refers to unknown indicator {ref!r}",
                    "references")
            for i, item in enumerate(service.indicators) for ref in item.references
            if ref not in own and ref not in known]


# -- helpers ------------------------------------------------------------------------------

def _singular(collection: Collection) -> str:
    return collection.name[:-1].replace("_", " ")


def _current_body(conn: Connection, collection: Collection, id: str, version: int, state: PublishingState | None) -> str:
    """The stored body of `version`; with `state`, as it would read in that state (to tell
    whether an edit changes anything beyond the state the catalogue sets)."""
    body = conn.execute(select(versions.c.body).where(versions.c.collection == collection.name, versions.c.id == id,
                                                      versions.c.version == version)).scalar_one()
    if state is None:
        return body
    return body_of(PublicService.model_validate_json(body).model_copy(update={"publishing_state": state}))


def _state_after_edit(collection: Collection, doc: PPSModel, row: Any, findings: list[Finding]) -> PublishingState | None:
    if not collection.has_states:
        return None
    current = PublishingState(row.state) if row is not None else None
    if current is PublishingState.ARCHIVED:
        raise CatalogueError("conflict", f"service {doc.id!r} is archived: reopen it before editing")
    state = {None: PublishingState.DRAFT, PublishingState.DRAFT: PublishingState.DRAFT,
             PublishingState.SUBMITTED: PublishingState.DRAFT, PublishingState.PUBLISHED: PublishingState.MODIFIED,
             PublishingState.MODIFIED: PublishingState.MODIFIED}[current]
    sent = doc.publishing_state
    if "publishing_state" in doc.model_fields_set and sent not in (state, current):
        findings.append(Finding(Severity.WARNING, "publishing_state", f"the catalogue sets the publishing state: "
                                f"{sent.value!r} in the document was not applied (now {state.value!r}; use the "
                                "submit and publish actions)", "protocol"))
    return state


def _writers(collection: Collection, doc: PPSModel, principal: Principal, old: set[str]) -> set[str]:
    """The organisations that may write the record after this write."""
    if collection.name == "organisations":
        return {doc.id}
    if collection.name == "channels":
        return {doc.owner} if doc.owner else set()
    if collection is SERVICES:
        return set(doc.holders)
    return old or ({principal.org} if not principal.maintainer else set())


def _check_may_write(principal: Principal, collection: Collection, id: str, old: set[str], new: set[str],
                     creating: bool) -> None:
    if principal.maintainer:
        return
    owner_word = {"organisations": "is not its own record", "channels": "is not owned by it",
                  "services": "is not held by it"}.get(collection.name, "was not created by it")
    if principal.org not in new or (not creating and principal.org not in old):
        if collection.name in ("organisations", "channels", "services") or not creating:
            raise CatalogueError("forbidden", f"{_singular(collection)} {id!r} {owner_word} ({principal.org!r})")


def _known_by_source_id(conn: Connection, service: PublicService, findings: list[Finding]) -> PublicService:
    """An upserted service is the one its holder already has under the same source id."""
    if service.source_id is None:
        return service
    taken = conn.execute(_SOURCE_TAKEN, {"orgs": service.holders, "source_id": service.source_id}).first()
    known = taken.service if taken is not None else None
    if known is None or known == service.id:
        return service
    findings.append(Finding(Severity.WARNING, "id", f"the holder's service {service.source_id!r} is {known!r} in the "
                            f"catalogue; the document's id {service.id!r} was not used", "protocol"))
    return service.model_copy(update={"id": known})


def _set_source_ids(conn: Connection, service: PublicService, existed: bool) -> None:
    if existed:
        conn.execute(delete(source_ids).where(source_ids.c.service == service.id))
    if service.source_id is None:
        return
    taken = conn.execute(_SOURCE_TAKEN, {"orgs": service.holders, "source_id": service.source_id}).first()
    if taken is not None:
        raise CatalogueError("conflict", f"{taken.org!r} already has service {taken.service!r} with source id "
                             f"{service.source_id!r}", headers={"Location": f"/services/{taken.service}"})
    conn.execute(_INSERT["source_ids"], [{"org": org, "source_id": service.source_id, "service": service.id}
                                         for org in service.holders])


def _set_indicators(conn: Connection, collection: Collection, doc: PPSModel, existed: bool) -> None:
    if existed:
        conn.execute(delete(indicators).where(indicators.c.collection == collection.name, indicators.c.record == doc.id))
    declared = [item.id for item in doc.indicators]
    if not declared:
        return
    taken = conn.execute(_DECLARED, {"ids": declared}).first()
    if taken is not None:
        raise CatalogueError("conflict", f"indicator {taken.id!r} is declared already by {taken.record!r}")
    conn.execute(_INSERT["indicators"], [{"id": id, "collection": collection.name, "record": doc.id} for id in declared])


def _set_writers(conn: Connection, collection: Collection, id: str, orgs: set[str], existed: bool) -> None:
    if existed:
        conn.execute(delete(writers).where(writers.c.collection == collection.name, writers.c.id == id))
    if orgs:
        conn.execute(_INSERT["writers"], [{"collection": collection.name, "id": id, "org": org} for org in sorted(orgs)])


def _store_version(conn: Connection, principal: Principal, collection: Collection, doc: PPSModel, version: int,
                   state: PublishingState | None, action: str, body: str, findings: list[Finding], row: Any) -> None:
    at = now()
    warnings = [f for f in findings if f.severity is not Severity.ERROR]
    conn.execute(_INSERT["versions"], {
        "collection": collection.name, "id": doc.id, "version": version, "state": state.value if state else None,
        "action": action, "author": principal.org, "at": at, "body": body,
        "findings": json.dumps([_finding_data(f) for f in warnings])})
    values = {"version": version, "state": state.value if state else None, "updated_at": at,
              "source_id": getattr(doc, "source_id", None)}
    if row is None:
        conn.execute(_INSERT["records"], {"collection": collection.name, "id": doc.id, **values})
    else:
        conn.execute(update(records).where(records.c.collection == collection.name, records.c.id == doc.id)
                     .values(**values))


def _finding_data(finding: Finding) -> dict[str, Any]:
    return {"severity": finding.severity.value, "path": finding.path, "message": finding.message,
            "source": finding.source, "line": finding.line}


def _feed(conn: Connection, collection: str, id: str, action: p.ChangeAction, version: int | None,
          body: str | None) -> None:
    conn.execute(insert(changes).values(collection=collection, id=id, action=action.value, version=version,
                                        at=now(), body=body))


def _feed_measurements(conn: Connection, indicator_id: str) -> None:
    values = [m.model_dump(mode="json", exclude_defaults=True) for m in measurements_of(conn, indicator_id)]
    if values:
        _feed(conn, MEASUREMENTS, indicator_id, p.ChangeAction.PUT, None, json.dumps(values, ensure_ascii=False))


def _check_not_needed(conn: Connection, id: str) -> None:
    """A published service that other published services refer to stays until they let go of it."""
    quoted = json.dumps(id)
    rows = conn.execute(select(versions.c.id, versions.c.body).select_from(records.join(versions, and_(
        versions.c.collection == records.c.collection, versions.c.id == records.c.id,
        versions.c.version == records.c.public_version)))
        .where(records.c.collection == SERVICES.name, records.c.id != id, versions.c.body.contains(quoted)))
    needing = sorted(r.id for r in rows if id in (PublicService.model_validate_json(r.body).related_services
                                                   + PublicService.model_validate_json(r.body).required_services))
    if needing:
        raise CatalogueError("conflict", f"published services refer to {id!r}: {', '.join(needing)}; "
                             "update or archive them first")

