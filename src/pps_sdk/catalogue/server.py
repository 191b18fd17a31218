"""The reference catalogue service: an ASGI app (Starlette) over the catalogue's database.

    app = create_app(Settings(database="sqlite:///catalogue.db"))
    uvicorn.run(app)                 # or: pps serve --db … --port 8080

Each request runs in one database transaction in a worker thread. Bad input of any kind is
answered with RFC 9457 problem details, never with a stack trace.
"""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Connection, insert, select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import __version__
from ..errors import FormatError, ModelError, PPSError
from ..formats import dump, loads
from ..model import Catalogue, Measurement, PPSModel
from ..validation import Finding, Severity
from . import protocol as p
from . import store
from .db import Database, idempotency
from .protocol import BY_PATH, COLLECTIONS, SERVICES, Collection, Outcome
from .store import CatalogueError, CatalogueHead, Principal
from .tokens import authenticate

log = logging.getLogger("pps.catalogue")


@dataclass
class Settings:
    """How the service runs. `database` is a SQLAlchemy URL or an SQLite file path."""

    database: str = "pps-catalogue.db"
    max_body_bytes: int = 20 * 1024 * 1024
    max_bulk_items: int = 1000
    max_page: int = 1000
    head: CatalogueHead = field(default_factory=CatalogueHead)


_MEASUREMENT_LIST = TypeAdapter(list[Measurement])


class Service:
    """The request handlers, bound to one database."""

    def __init__(self, settings: Settings, database: Database | None = None):
        self.settings = settings
        self.db = database or Database(settings.database)

    # -- reading --------------------------------------------------------------------------

    async def list_records(self, request: Request) -> Response:
        collection = _collection(request)
        query = request.query_params

        def work(conn: Connection) -> Response:
            principal = _principal(conn, request)
            listing = store.listing(conn, principal, collection, holder=query.get("holder"),
                                    source_id=query.get("source_id"), state=query.get("state"))
            return _json(listing)

        return await self._read(work)

    async def get_record(self, request: Request) -> Response:
        collection = _collection(request)
        version = _int_param(request, "version", None)
        fmt = _accepted(request, p.offered_formats(collection.model))

        def work(conn: Connection) -> Response:
            shown = store.visible(conn, _principal(conn, request), collection, request.path_params["id"], version)
            headers = {p.ETAG: p.etag(shown.version)}
            if fmt == "json":  # stored as our JSON already: no need to parse and write it again
                return Response(shown.body, headers=headers, media_type=p.MEDIA_TYPES["json"])
            return _document(shown.model(), fmt, headers)

        return await self._read(work)

    async def history(self, request: Request) -> Response:
        collection = _collection(request)

        def work(conn: Connection) -> Response:
            return _json(store.history(conn, _principal(conn, request), collection, request.path_params["id"]))

        return await self._read(work)

    async def changes(self, request: Request) -> Response:
        after = _int_param(request, "after", 0)
        limit = min(_int_param(request, "limit", self.settings.max_page), self.settings.max_page)
        if after < 0 or limit < 1:
            raise CatalogueError("bad-request", "after must be 0 or more and limit 1 or more")
        return await self._read(lambda conn: _json(store.change_page(conn, after, limit)))

    async def catalogue(self, request: Request) -> Response:
        fmt = _accepted(request, p.offered_formats(Catalogue))

        def work(conn: Connection) -> Response:
            snapshot, position = store.snapshot(conn, self.settings.head)
            return _document(snapshot, fmt, {p.CURSOR: str(position)})

        return await self._read(work)

    async def indicator(self, request: Request) -> Response:
        fmt = _accepted(request, ["json", "xml"])

        def work(conn: Connection) -> Response:
            found, _ = store.indicator(conn, _principal(conn, request), request.path_params["id"])
            return _document(found, fmt, {})

        return await self._read(work)

    async def measurements(self, request: Request) -> Response:
        def work(conn: Connection) -> Response:
            store.indicator(conn, _principal(conn, request), request.path_params["id"])  # 404 unless visible
            values = store.measurements_of(conn, request.path_params["id"])
            return Response(_MEASUREMENT_LIST.dump_json(values, exclude_defaults=True), media_type="application/json")

        return await self._read(work)

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__})

    async def openapi(self, request: Request) -> Response:
        from .openapi import openapi_document

        return JSONResponse(openapi_document())

    # -- writing --------------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        collection = _collection(request)
        raw = await self._body(request)
        doc, findings = _parse_document(raw, request, collection.model)

        def work(conn: Connection, principal: Principal) -> Response:
            result = store.write(conn, principal, collection, doc, mode="create", findings=findings)
            return _result(result, status=201, location=f"/{collection.path}/{result.id}")

        return await self._write(request, raw, work)

    async def update(self, request: Request) -> Response:
        collection = _collection(request)
        raw = await self._body(request)
        doc, findings = _parse_document(raw, request, collection.model)
        if doc.id != request.path_params["id"]:
            raise CatalogueError("invalid", f"the document describes {doc.id!r}, not {request.path_params['id']!r}",
                                 findings=[Finding(Severity.ERROR, "id", "differs from the address", "protocol")])

        def work(conn: Connection, principal: Principal) -> Response:
            return _result(store.write(conn, principal, collection, doc, mode="update",
                                       if_match=request.headers.get(p.IF_MATCH), findings=findings))

        return await self._write(request, raw, work)

    async def delete(self, request: Request) -> Response:
        return await self._act(request, request.path_params["id"], "archive")

    async def action(self, request: Request) -> Response:
        return await self._act(request, request.path_params["id"], request.path_params["action"])

    async def _act(self, request: Request, id: str, name: str) -> Response:
        raw = await self._body(request)

        def work(conn: Connection, principal: Principal) -> Response:
            return _result(store.act(conn, principal, id, name, request.headers.get(p.IF_MATCH)))

        return await self._write(request, raw, work)

    async def put_measurements(self, request: Request) -> Response:
        raw = await self._body(request)
        if p.format_of_content_type(request.headers.get("content-type")) != "json":
            raise CatalogueError("unsupported-media-type", "send measurements as a JSON list")
        try:
            values = _MEASUREMENT_LIST.validate_json(raw)
        except ValidationError as exc:
            raise CatalogueError("invalid", "invalid measurements", findings=_model_findings(exc)) from None
        except ModelError as exc:
            raise CatalogueError("invalid", "invalid measurements", findings=_problem_findings(exc)) from None

        def work(conn: Connection, principal: Principal) -> Response:
            return _result(store.put_measurements(conn, principal, request.path_params["id"], values))

        return await self._write(request, raw, work)

    async def bulk(self, request: Request) -> Response:
        raw = await self._body(request)
        items = _bulk_items(raw, request)
        if len(items) > self.settings.max_bulk_items:
            raise CatalogueError("too-large", f"{len(items)} records in one request; the limit is "
                                 f"{self.settings.max_bulk_items}: send them in batches")

        def work(conn: Connection, principal: Principal) -> Response:
            results = [_bulk_item(conn, principal, item) for item in items]
            return _json(p.BulkResult(results=results))

        return await self._write(request, raw, work)

    # -- plumbing -------------------------------------------------------------------------

    async def _read(self, work: Callable[[Connection], Any]) -> Any:
        def run() -> Any:
            with self.db.reading() as conn:
                return work(conn)

        return await run_in_threadpool(run)

    async def _write(self, request: Request, raw: bytes,
                     work: Callable[[Connection, Principal], Response]) -> Response:
        key = request.headers.get(p.IDEMPOTENCY_KEY)
        if key is not None and not (0 < len(key) <= p.MAX_IDEMPOTENCY_KEY):
            raise CatalogueError("bad-request", f"Idempotency-Key must be 1 to {p.MAX_IDEMPOTENCY_KEY} characters")
        fingerprint = hashlib.sha256(b"\0".join([request.method.encode(), request.url.path.encode(),
                                                 request.headers.get("content-type", "").encode(), raw])).hexdigest()

        def run() -> Response:
            with self.db.writing() as conn:
                principal = _writer(conn, request)  # again: the token may have been revoked meanwhile
                if key is not None:
                    earlier = _replay(conn, principal, key, fingerprint)
                    if earlier is not None:
                        return earlier
                response = work(conn, principal)
                if key is not None and response.status_code < 300:
                    _remember(conn, principal, key, fingerprint, response)
                return response

        return await run_in_threadpool(run)

    async def _body(self, request: Request) -> bytes:
        """The request body, read up to the size limit, once the caller has shown a valid token
        (so an anonymous or revoked caller learns nothing from how its document is judged)."""
        await self._read(lambda conn: _writer(conn, request))
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise CatalogueError("too-large", f"the body is {int(declared):,} bytes; the limit is {limit:,}")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise CatalogueError("too-large", f"the body is over the limit of {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


# -- requests -----------------------------------------------------------------------------

def _collection(request: Request) -> Collection:
    # `/services/{id}` is a route of its own (it alone has DELETE); the others name their collection.
    collection = BY_PATH.get(request.path_params.get("collection", SERVICES.path))
    if collection is None:
        raise CatalogueError("not-found", f"no collection {request.path_params['collection']!r}; "
                             f"collections: {', '.join(BY_PATH)}")
    return collection


def _principal(conn: Connection, request: Request) -> Principal | None:
    return authenticate(conn, request.headers.get("authorization"))


def _writer(conn: Connection, request: Request) -> Principal:
    principal = _principal(conn, request)
    if principal is None:
        raise CatalogueError("unauthorised", "writing needs a token: 'Authorization: Bearer pps_…'")
    return principal


def _int_param(request: Request, name: str, default: Any) -> Any:
    value = request.query_params.get(name)
    if value is None:
        return default
    if not value.isdigit() or len(value) > 18:
        raise CatalogueError("bad-request", f"{name} must be a whole number, not {value[:40]!r}")
    return int(value)


def _accepted(request: Request, offered: list[str]) -> str:
    fmt = p.negotiate(request.headers.get("accept"), offered)
    if fmt is None:
        media = ", ".join(p.MEDIA_TYPES[f] for f in offered)
        raise CatalogueError("not-acceptable", f"this resource is offered as {media}")
    return fmt


def _parse_document(raw: bytes, request: Request, model: type[PPSModel]) -> tuple[Any, list[Finding]]:
    """The document a request carries, and the repairs its reader made (as warnings)."""
    fmt = p.format_of_content_type(request.headers.get("content-type"))
    offered = p.offered_formats(model)
    if fmt is None or fmt not in offered:
        media = ", ".join(p.MEDIA_TYPES[f] for f in offered)
        raise CatalogueError("unsupported-media-type", f"send the document as one of: {media}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            doc = loads(raw, fmt, model)
        except ModelError as exc:
            raise CatalogueError("invalid", str(exc).splitlines()[0], findings=_problem_findings(exc)) from None
        except (PPSError, ValueError, RecursionError, MemoryError) as exc:
            raise CatalogueError("bad-request", f"cannot read the {fmt} document: {_short(exc)}") from None
    return doc, [Finding(Severity.WARNING, "", str(w.message), "format") for w in caught]


def _bulk_items(raw: bytes, request: Request) -> list[tuple[Collection | None, Any]]:
    """The records of a bulk body, in write order. JSON is read record by record, so one
    invalid record is refused alone; other formats are read as one catalogue."""
    fmt = p.format_of_content_type(request.headers.get("content-type"))
    if fmt is None:
        media = ", ".join(p.MEDIA_TYPES.values())
        raise CatalogueError("unsupported-media-type", f"send a catalogue document as one of: {media}")
    if fmt == "json":
        try:
            return p.bulk_records(json.loads(raw))
        except (ValueError, RecursionError) as exc:
            raise CatalogueError("bad-request", f"invalid bulk body: {_short(exc)}") from None
    doc, _ = _parse_document(raw, request, Catalogue)
    items = [(collection, item) for name, collection in COLLECTIONS.items() for item in getattr(doc, name)]
    return items + [(None, m) for m in doc.measurements]


def _bulk_item(conn: Connection, principal: Principal, item: tuple[Collection | None, Any]) -> p.WriteResult:
    collection, record = item
    name = collection.path if collection else p.MEASUREMENTS
    key = "id" if collection else "indicator"  # what names the record in its result
    ident = record.get(key) if isinstance(record, dict) else getattr(record, key, None)
    ident = ident if isinstance(ident, str) else ""
    try:
        with conn.begin_nested():
            if collection is None:
                value = record if isinstance(record, Measurement) else Measurement.model_validate(record)
                return store.put_measurements(conn, principal, value.indicator, [value])
            model = record if isinstance(record, PPSModel) else collection.model.model_validate(record)
            return store.write(conn, principal, collection, model, mode="upsert")
    except ModelError as exc:
        error = CatalogueError("invalid", str(exc).splitlines()[0], findings=_problem_findings(exc))
    except CatalogueError as exc:
        error = exc
    return p.WriteResult(collection=name, id=ident, outcome=Outcome.REFUSED, problem=error.problem(),
                         findings=error.findings)


def _replay(conn: Connection, principal: Principal, key: str, fingerprint: str) -> Response | None:
    row = conn.execute(select(idempotency).where(idempotency.c.principal == principal.token_id,
                                                 idempotency.c.key == key)).first()
    if row is None:
        return None
    if row.fingerprint != fingerprint:
        raise CatalogueError("idempotency-key-reused", "this Idempotency-Key was sent with another request; "
                             "use a new key for every new request")
    return Response(row.body, status_code=row.status, headers=json.loads(row.headers))


def _remember(conn: Connection, principal: Principal, key: str, fingerprint: str, response: Response) -> None:
    kept = {k: v for k, v in response.headers.items() if k.lower() in ("etag", "location", "content-type")}
    conn.execute(insert(idempotency).values(principal=principal.token_id, key=key, fingerprint=fingerprint,
                                            status=response.status_code, headers=json.dumps(kept),
                                            body=bytes(response.body), at=store.now()))


# -- responses ----------------------------------------------------------------------------

def _json(body: p.Wire, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body.model_dump_json(exclude_none=True), status_code=status, headers=headers,
                    media_type="application/json")


def _result(result: p.WriteResult, status: int = 200, location: str | None = None) -> Response:
    headers = {p.ETAG: p.etag(result.version)} if result.version is not None else {}
    if location and result.outcome is Outcome.CREATED:
        headers["Location"] = location
    return _json(result, status if result.outcome is Outcome.CREATED else 200, headers)


def _document(model: PPSModel, fmt: str, headers: dict[str, str]) -> Response:
    try:
        text = dump(model, fmt)
    except FormatError as exc:
        raise CatalogueError("not-acceptable", f"cannot write this record as {fmt}: {exc}") from None
    media = p.MEDIA_TYPES[fmt]
    return Response(text, headers=headers, media_type=f"{media}; charset=utf-8" if fmt != "json" else media)


def _problem_findings(exc: ModelError) -> list[Finding]:
    return [Finding(Severity.ERROR, problem.path, problem.message, "model", problem.line) for problem in exc.problems]


def _model_findings(exc: ValidationError) -> list[Finding]:
    from ..model.base import problems_from

    return [Finding(Severity.ERROR, problem.path, problem.message, "model") for problem in problems_from(exc)]


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def problem_response(error: CatalogueError, instance: str) -> Response:
    headers = {k: v for k, v in error.headers.items()}
    return Response(error.problem(instance).model_dump_json(exclude_none=True), status_code=error.status,
                    headers=headers, media_type=p.PROBLEM_JSON)


async def _on_catalogue_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CatalogueError)
    return problem_response(exc, request.url.path)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "bad-request")
    detail = f"no such resource: {request.url.path}" if exc.status_code == 404 else str(exc.detail)
    return problem_response(CatalogueError(slug, detail, headers=dict(exc.headers or {})), request.url.path)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(CatalogueError("internal", "the service failed; the error is in its log"), request.url.path)


def _by_method(handlers: dict[str, Callable]) -> Callable:
    """One endpoint for every method of a path; 405 names the methods the path has."""
    allowed = ", ".join([*handlers, *(["HEAD"] if "GET" in handlers else [])])

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        if method not in handlers:
            raise CatalogueError("method-not-allowed", f"{request.method} is not offered here; use {allowed}",
                                 headers={"Allow": allowed})
        return await handlers[method](request)

    return endpoint


def create_app(settings: Settings | None = None, database: Database | None = None) -> Starlette:
    """The catalogue service as an ASGI app."""
    service = Service(settings or Settings(), database)
    # The first path that matches answers, for every method: a method it lacks is 405 with the
    # path's own methods in Allow (so `POST /catalogue` is not taken for a collection).
    table: dict[str, dict[str, Callable]] = {
        "/health": {"GET": service.health},
        "/openapi.json": {"GET": service.openapi},
        "/catalogue": {"GET": service.catalogue},
        "/changes": {"GET": service.changes},
        "/bulk": {"POST": service.bulk},
        "/indicators/{id}": {"GET": service.indicator},
        "/indicators/{id}/measurements": {"GET": service.measurements, "POST": service.put_measurements},
        "/{collection}/{id}/history": {"GET": service.history},
        "/services/{id}/{action}": {"POST": service.action},
        "/{collection}": {"GET": service.list_records, "POST": service.create},
        # Only a service can be "deleted", which archives it; other records are kept as they are.
        "/services/{id}": {"GET": service.get_record, "PUT": service.update, "DELETE": service.delete},
        "/{collection}/{id}": {"GET": service.get_record, "PUT": service.update},
    }
    every = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"]
    routes = [Route(path, _by_method(handlers), methods=every) for path, handlers in table.items()]
    app = Starlette(routes=routes, exception_handlers={
        CatalogueError: _on_catalogue_error, HTTPException: _on_http_error, Exception: _on_unexpected})
    app.state.service = service
    return app
