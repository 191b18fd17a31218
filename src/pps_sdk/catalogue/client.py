"""Clients of the catalogue service: `CatalogueClient` (blocking) and `AsyncCatalogueClient`.

    with CatalogueClient("https://katalogs.example.lv", token=token) as catalogue:
        result = catalogue.publish(load("services.json"), outbox="publish.outbox")
        service = catalogue.get_service("ps-jelgava-buvatlauja")

Both are built on one core (`Call` objects: what to send, how to read the answer), as httpx's
own Client and AsyncClient are; they differ only in how they wait. Every write carries an
Idempotency-Key, so a request repeated after a lost answer never writes twice; connection
errors, 429 and 503 are retried with exponential backoff and jitter, honouring Retry-After.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
import random
import time
import uuid
import warnings
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from ..errors import PPSError
from ..formats import dump, loads
from ..model import Catalogue, Measurement, PPSModel
from ..validation import Finding
from . import protocol as p
from .outbox import Outbox

# -- errors -------------------------------------------------------------------------------


class CatalogueClientError(PPSError):
    """The catalogue refused a request, or could not be reached. `problem` is the service's
    answer (RFC 9457 problem details) when there was one."""

    def __init__(self, message: str, problem: p.Problem | None = None):
        super().__init__(message)
        self.problem = problem

    @property
    def status(self) -> int | None:
        return self.problem.status if self.problem else None


class Unauthorised(CatalogueClientError):
    """No token, or an unknown or revoked one (401)."""


class Forbidden(CatalogueClientError):
    """The token may not do this (403)."""


class NotFound(CatalogueClientError):
    """No such record, or not visible with this token (404)."""


class Conflict(CatalogueClientError):
    """The catalogue's state does not allow the request (409), or the record changed since it
    was read (412): `current_etag` is the version the catalogue has now."""

    @property
    def current_etag(self) -> str | None:
        return self.problem.current_etag if self.problem else None

    @property
    def current(self) -> Any:
        """On a stale write: the record as the catalogue has it now (our JSON, as a dict)."""
        return self.problem.current if self.problem else None


class ValidationRefused(CatalogueClientError):
    """The document or the action was refused by validation (422); `findings` say why."""

    @property
    def findings(self) -> list[Finding]:
        return self.problem.findings if self.problem else []


class BadRequest(CatalogueClientError):
    """The request was malformed, too large, or in a format not accepted there (4xx)."""


class Unavailable(CatalogueClientError):
    """The catalogue could not be reached, or kept answering 429/503, after every retry."""


_BY_STATUS: dict[int, type[CatalogueClientError]] = {401: Unauthorised, 403: Forbidden, 404: NotFound, 409: Conflict,
                                                     412: Conflict, 422: ValidationRefused, 428: Conflict,
                                                     429: Unavailable, 503: Unavailable}


def error_for(response: httpx.Response) -> CatalogueClientError:
    """The exception for an error answer of the catalogue."""
    problem = None
    if response.headers.get("content-type", "").startswith(p.PROBLEM_JSON):
        try:
            problem = p.Problem.model_validate_json(response.content)
        except ValueError:
            problem = None
    kind = _BY_STATUS.get(response.status_code, BadRequest if response.status_code < 500 else Unavailable)
    text = problem.detail or problem.title if problem else response.reason_phrase
    return kind(f"{response.request.method} {response.request.url.path}: {response.status_code} {text}", problem)


# -- settings ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before repeating a request.

    A request is repeated after a connection error or a 429/503 answer, up to `attempts`
    tries in all. The wait doubles from `backoff` seconds up to `max_backoff`, each wait drawn
    at random between half and all of it (jitter, so many clients do not retry in step); a
    `Retry-After` from the server is honoured, up to `max_backoff`.
    """

    attempts: int = 6
    backoff: float = 0.2
    max_backoff: float = 30.0
    statuses: frozenset[int] = frozenset({429, 503})

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before try number `attempt + 1` (attempts counted from 1)."""
        asked = _seconds(retry_after)
        if asked is not None:
            return min(asked, self.max_backoff)
        ceiling = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)


def _seconds(retry_after: str | None) -> float | None:
    if not retry_after:
        return None
    if retry_after.strip().isdigit():
        return float(retry_after)
    try:
        when = email.utils.parsedate_to_datetime(retry_after)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


NO_RETRY = RetryPolicy(attempts=1)


# -- the shared core -----------------------------------------------------------------------

@dataclass
class Call:
    """One request to the catalogue and how to read its answer."""

    method: str
    path: str
    parse: Callable[[httpx.Response], Any]
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None


@dataclass
class Fetched:
    """A record as read, with the entity tag of its version."""

    record: Any
    etag: str | None


@dataclass
class PublishResult:
    """What `publish` did: one result per service, and one per other record it sent."""

    services: list[p.WriteResult]
    others: list[p.WriteResult]

    @property
    def refused(self) -> list[p.WriteResult]:
        return [r for r in (*self.services, *self.others) if r.outcome is p.Outcome.REFUSED]

    def counts(self) -> dict[str, int]:
        """How many services were created, updated, unchanged and refused."""
        counts = {o.value: 0 for o in p.Outcome}
        for result in self.services:
            counts[result.outcome.value] += 1
        return counts


class _Core:
    """What both clients share: settings, building calls, reading answers, remembered ETags."""

    def __init__(self, base_url: str, token: str | None, timeout: float, retry: RetryPolicy, batch_size: int):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retry = retry
        self.batch_size = batch_size
        self.etags: dict[tuple[str, str], str] = {}

    def client_headers(self) -> dict[str, str]:
        headers = {"User-Agent": "pps_sdk"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def check(self, response: httpx.Response) -> httpx.Response:
        if response.status_code >= 400:
            raise error_for(response)
        return response

    def remember(self, collection: str, id: str, response: httpx.Response) -> None:
        if p.ETAG.lower() in response.headers:
            self.etags[(collection, id)] = response.headers[p.ETAG]

    def write(self, method: str, path: str, collection: str, id: str, content: bytes | None = None,
              etag: str | None = None, fmt: str = "json") -> Call:
        headers = {p.IDEMPOTENCY_KEY: new_key(), "Content-Type": p.MEDIA_TYPES[fmt]}
        if etag is not None:
            headers[p.IF_MATCH] = etag

        def parse(response: httpx.Response) -> p.WriteResult:
            result = p.WriteResult.model_validate_json(response.content)
            self.remember(collection, result.id, response)
            return result

        return Call(method, path, parse, headers=headers, content=content)

    # -- reads --

    def get(self, collection: str, id: str, fmt: str, version: int | None, with_etag: bool = False) -> Call:
        model = p.BY_PATH[collection].model

        def parse(response: httpx.Response) -> Any:
            if version is None:
                self.remember(collection, id, response)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a lone service in RDF names its organisations only by IRI
                record = loads(response.content, fmt, model)
            return Fetched(record, response.headers.get(p.ETAG)) if with_etag else record

        params = {"version": version} if version is not None else {}
        return Call("GET", f"/{collection}/{id}", parse, params=params, headers={"Accept": p.MEDIA_TYPES[fmt]})

    def listing(self, collection: str, **filters: str | None) -> Call:
        params = {k: v for k, v in filters.items() if v is not None}
        return Call("GET", f"/{collection}", lambda r: p.Listing.model_validate_json(r.content), params=params)

    def history(self, collection: str, id: str) -> Call:
        return Call("GET", f"/{collection}/{id}/history", lambda r: p.History.model_validate_json(r.content))

    def snapshot(self, fmt: str) -> Call:
        def parse(response: httpx.Response) -> tuple[Catalogue, int]:
            return loads(response.content, fmt), int(response.headers[p.CURSOR])

        return Call("GET", "/catalogue", parse, headers={"Accept": p.MEDIA_TYPES[fmt]})

    def changes(self, after: int, limit: int) -> Call:
        return Call("GET", "/changes", lambda r: p.ChangePage.model_validate_json(r.content),
                    params={"after": after, "limit": limit})

    def measurements(self, indicator: str) -> Call:
        from pydantic import TypeAdapter

        adapter = TypeAdapter(list[Measurement])
        return Call("GET", f"/indicators/{indicator}/measurements", lambda r: adapter.validate_json(r.content))

    # -- writes --

    def create(self, record: PPSModel, fmt: str) -> Call:
        collection = collection_of(record)
        return self.write("POST", f"/{collection}", collection, record.id, dump(record, fmt).encode(), fmt=fmt)  # type: ignore[attr-defined]

    def update(self, record: PPSModel, etag: str | None, fmt: str) -> Call:
        collection = collection_of(record)
        etag = etag or self.etags.get((collection, record.id))  # type: ignore[attr-defined]
        if etag is None:
            raise ValueError(f"read {collection}/{record.id} first (its ETag is sent as If-Match), "  # type: ignore[attr-defined]
                             "or pass etag='*' to overwrite whatever version the catalogue has")
        return self.write("PUT", f"/{collection}/{record.id}", collection, record.id,  # type: ignore[attr-defined]
                          dump(record, fmt).encode(), etag, fmt)

    def upsert(self, record: PPSModel) -> Call:
        call = self.bulk(bulk_body([record]))
        parse = call.parse
        call.parse = lambda response: parse(response).results[0]
        return call

    def action(self, id: str, name: str, etag: str | None) -> Call:
        if name not in p.ACTIONS:
            raise ValueError(f"no action {name!r}; actions: {', '.join(p.ACTIONS)}")
        return self.write("POST", f"/services/{id}/{name}", "services", id,
                          etag=etag or self.etags.get(("services", id), "*"))

    def put_measurements(self, indicator: str, values: list[Measurement]) -> Call:
        body = json.dumps([m.model_dump(mode="json", exclude_defaults=True) for m in values]).encode()
        return self.write("POST", f"/indicators/{indicator}/measurements", p.MEASUREMENTS, indicator, body)

    def bulk(self, body: bytes, key: str | None = None) -> Call:
        headers = {p.IDEMPOTENCY_KEY: key or new_key(), "Content-Type": "application/json"}
        return Call("POST", "/bulk", lambda r: p.BulkResult.model_validate_json(r.content), headers=headers,
                    content=body)

    # -- publishing --

    def prepare(self, records: Catalogue | Iterable[PPSModel], outbox: str | None) -> Outbox:
        """The batches of a publishing job, in an outbox: the one named (where an interrupted
        job resumes) or one in memory."""
        batches = list(batch_bodies(records, self.batch_size))
        box = Outbox(outbox or ":memory:")
        box.begin(job_digest(batches), [(new_key(), body, count) for body, count in batches])
        return box

    def result_of(self, box: Outbox) -> PublishResult:
        results = [p.WriteResult.model_validate(r) for r in box.results()]
        return PublishResult([r for r in results if r.collection == "services"],
                             [r for r in results if r.collection != "services"])


def send(http: httpx.Client, call: Call, retry: RetryPolicy) -> httpx.Response:
    """Send `call`, repeating it as `retry` says after connection errors and 429/503 answers."""
    attempt = 0
    while True:
        attempt += 1
        try:
            response = http.request(call.method, call.path, params=call.params, headers=call.headers,
                                    content=call.content)
        except httpx.TransportError as exc:
            if attempt >= retry.attempts:
                raise Unavailable(f"{call.method} {call.path}: {type(exc).__name__}: {exc}") from exc
            time.sleep(retry.delay(attempt))
            continue
        if response.status_code in retry.statuses and attempt < retry.attempts:
            time.sleep(retry.delay(attempt, response.headers.get("retry-after")))
            continue
        return response


async def send_async(http: httpx.AsyncClient, call: Call, retry: RetryPolicy) -> httpx.Response:
    """`send`, awaited."""
    attempt = 0
    while True:
        attempt += 1
        try:
            response = await http.request(call.method, call.path, params=call.params, headers=call.headers,
                                          content=call.content)
        except httpx.TransportError as exc:
            if attempt >= retry.attempts:
                raise Unavailable(f"{call.method} {call.path}: {type(exc).__name__}: {exc}") from exc
            await asyncio.sleep(retry.delay(attempt))
            continue
        if response.status_code in retry.statuses and attempt < retry.attempts:
            await asyncio.sleep(retry.delay(attempt, response.headers.get("retry-after")))
            continue
        return response


def new_key() -> str:
    return uuid.uuid4().hex


def collection_of(record: PPSModel) -> str:
    for collection in p.COLLECTIONS.values():
        if isinstance(record, collection.model):
            return collection.path
    raise TypeError(f"the catalogue keeps no {type(record).__name__} records")


def bulk_body(records: Iterable[PPSModel]) -> bytes:
    """A bulk request body: records grouped by collection, in the catalogue's order."""
    groups: dict[str, list[str]] = {}
    for record in records:
        name = p.BY_PATH[collection_of(record)].name
        groups.setdefault(name, []).append(record.model_dump_json(exclude_defaults=True))
    # Each record is written by pydantic's own serialiser; the lists are joined around them.
    members = [f'"{name}":[{",".join(groups[name])}]' for name in p.COLLECTIONS if name in groups]
    return ("{" + ",".join(members) + "}").encode()


def batch_bodies(records: Catalogue | Iterable[PPSModel], size: int) -> Iterator[tuple[bytes, int]]:
    """Bulk bodies of at most `size` records: the records services refer to first, then the
    services. Measurements are not sent: they go to published indicators (`put_measurements`)."""
    if isinstance(records, Catalogue):
        ordered = [item for name in p.COLLECTIONS for item in getattr(records, name)]
    else:
        items = list(records)
        ordered = sorted(items, key=lambda r: list(p.BY_PATH).index(collection_of(r)))
    for first in range(0, len(ordered), size):
        part = ordered[first:first + size]
        yield bulk_body(part), len(part)


def job_digest(batches: list[tuple[bytes, int]]) -> str:
    digest = hashlib.sha256()
    for body, _ in batches:
        digest.update(hashlib.sha256(body).digest())
    return digest.hexdigest()


# -- the operations both clients offer ------------------------------------------------------

class _Operations:
    """Every request of the protocol, written once. In `CatalogueClient` each returns its
    result; in `AsyncCatalogueClient` each returns an awaitable of it."""

    _core: _Core

    def _run(self, call: Call) -> Any:
        raise NotImplementedError

    def get(self, collection: str, id: str, format: str = "json", version: int | None = None) -> Any:
        """Record `id` of `collection` (`"services"`, `"organisations"`, `"channels"`…) as a model,
        read in `format`; its ETag is remembered for the next update of it."""
        return self._run(self._core.get(collection, id, format, version))

    def fetch(self, collection: str, id: str, format: str = "json", version: int | None = None) -> Any:
        """Like `get`, with the ETag of the version read (`Fetched`)."""
        return self._run(self._core.get(collection, id, format, version, with_etag=True))

    def get_service(self, id: str, format: str = "json", version: int | None = None) -> Any:
        """Service `id` (the published version, or every version to its holder and maintainers)."""
        return self.get("services", id, format, version)

    def get_organisation(self, id: str, format: str = "json") -> Any:
        return self.get("organisations", id, format)

    def get_channel(self, id: str, format: str = "json") -> Any:
        return self.get("channels", id, format)

    def find(self, collection: str = "services", *, holder: str | None = None, source_id: str | None = None,
             state: str | None = None) -> Any:
        """The records of a collection the token may see (`Listing`), filtered."""
        return self._run(self._core.listing(collection, holder=holder, source_id=source_id, state=state))

    def history(self, collection: str, id: str) -> Any:
        """Every version of a record: who, when, which action and state (`History`)."""
        return self._run(self._core.history(collection, id))

    def snapshot(self, format: str = "json") -> Any:
        """The whole published catalogue and the feed cursor it is consistent with."""
        return self._run(self._core.snapshot(format))

    def changes_page(self, after: int = 0, limit: int = 1000) -> Any:
        """One page of the change feed after cursor `after` (`ChangePage`)."""
        return self._run(self._core.changes(after, limit))

    def measurements(self, indicator: str) -> Any:
        """The measured values of an indicator."""
        return self._run(self._core.measurements(indicator))

    def create(self, record: PPSModel, format: str = "json") -> Any:
        """Create a record (a service starts as a draft); `WriteResult`."""
        return self._run(self._core.create(record, format))

    def update(self, record: PPSModel, etag: str | None = None, format: str = "json") -> Any:
        """Replace a record, sending as If-Match the ETag last read of it (or `etag`)."""
        return self._run(self._core.update(record, etag, format))

    def upsert(self, record: PPSModel) -> Any:
        """Create or update a record; a service is found by its holder and `source_id`."""
        return self._run(self._core.upsert(record))

    def submit(self, id: str, etag: str | None = None) -> Any:
        """Submit a service for review (validation runs; errors raise `ValidationRefused`)."""
        return self._run(self._core.action(id, "submit", etag))

    def return_to_draft(self, id: str, etag: str | None = None) -> Any:
        """Return a submitted service to its holder (maintainers)."""
        return self._run(self._core.action(id, "return", etag))

    def publish_service(self, id: str, etag: str | None = None) -> Any:
        """Publish a submitted service (maintainers)."""
        return self._run(self._core.action(id, "publish", etag))

    def archive(self, id: str, etag: str | None = None) -> Any:
        """Archive a service: it leaves the public catalogue; nothing is deleted."""
        return self._run(self._core.action(id, "archive", etag))

    def reopen(self, id: str, etag: str | None = None) -> Any:
        """Reopen an archived service as a draft."""
        return self._run(self._core.action(id, "reopen", etag))

    def put_measurements(self, indicator: str, values: list[Measurement]) -> Any:
        """Add or correct measured values of a published indicator."""
        return self._run(self._core.put_measurements(indicator, values))


class CatalogueClient(_Operations):
    """A blocking client of a catalogue service.

    `base_url` is the service's address, `token` an API token (reading published data needs
    none), `timeout` seconds per request, `retry` when to repeat a request, `batch_size` how
    many records `publish` sends in one bulk request. Use it as a context manager, or call
    `close()`.
    """

    def __init__(self, base_url: str, token: str | None = None, *, timeout: float = 60.0,
                 retry: RetryPolicy = RetryPolicy(), batch_size: int = 200,
                 transport: httpx.BaseTransport | None = None):
        self._core = _Core(base_url, token, timeout, retry, batch_size)
        self._http = httpx.Client(base_url=self._core.base_url, headers=self._core.client_headers(), timeout=timeout,
                                  transport=transport)

    def __enter__(self) -> CatalogueClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _run(self, call: Call) -> Any:
        return call.parse(self._core.check(send(self._http, call, self._core.retry)))

    def get_by_source_id(self, holder: str, source_id: str, format: str = "json") -> Any:
        """The service that organisation `holder` knows as `source_id`; NotFound if none."""
        items = self.find("services", holder=holder, source_id=source_id).items
        if not items:
            raise NotFound(f"{holder!r} has no service {source_id!r} in the catalogue")
        return self.get_service(items[0].id, format)

    def changes(self, after: int = 0, limit: int = 1000) -> Iterator[p.Change]:
        """Every change to the published catalogue after cursor `after`, following the feed
        page by page until it has no more."""
        while True:
            page = self.changes_page(after, limit)
            yield from page.changes
            after = page.next
            if not page.more:
                return

    def publish(self, records: Catalogue | Iterable[PPSModel], *, outbox: str | None = None,
                progress: Callable[[int, int], None] | None = None) -> PublishResult:
        """Publish records in bulk requests of `batch_size`: a catalogue (its organisations,
        channels and shared records first, then its services), or any records. Services are
        found by their holder's `source_id` or by id, and created or updated as drafts.

        With `outbox` (a file), the job survives a killed process: run it again with the same
        records and the same outbox, and it sends what was not confirmed, with the same
        Idempotency-Keys, so nothing is lost and nothing is written twice. `progress(done,
        total)` is called after each request, in records.
        """
        box = self._core.prepare(records, outbox)
        try:
            for seq, key, body, count in box.pending():
                result = self._run(self._core.bulk(body, key))
                box.done(seq, [r.model_dump(mode="json") for r in result.results])
                if progress:
                    progress(*box.progress())
            return self._core.result_of(box)
        finally:
            box.close()


class AsyncCatalogueClient(_Operations):
    """The asynchronous twin of `CatalogueClient`: the same settings and operations, each one
    awaited."""

    def __init__(self, base_url: str, token: str | None = None, *, timeout: float = 60.0,
                 retry: RetryPolicy = RetryPolicy(), batch_size: int = 200,
                 transport: httpx.AsyncBaseTransport | None = None):
        self._core = _Core(base_url, token, timeout, retry, batch_size)
        self._http = httpx.AsyncClient(base_url=self._core.base_url, headers=self._core.client_headers(),
                                       timeout=timeout, transport=transport)

    async def __aenter__(self) -> AsyncCatalogueClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _run(self, call: Call) -> Any:
        return call.parse(self._core.check(await send_async(self._http, call, self._core.retry)))

    async def get_by_source_id(self, holder: str, source_id: str, format: str = "json") -> Any:
        """The service that organisation `holder` knows as `source_id`; NotFound if none."""
        items = (await self.find("services", holder=holder, source_id=source_id)).items
        if not items:
            raise NotFound(f"{holder!r} has no service {source_id!r} in the catalogue")
        return await self.get_service(items[0].id, format)

    async def changes(self, after: int = 0, limit: int = 1000) -> AsyncIterator[p.Change]:
        """Every change to the published catalogue after cursor `after`, page by page."""
        while True:
            page = await self.changes_page(after, limit)
            for change in page.changes:
                yield change
            after = page.next
            if not page.more:
                return

    async def publish(self, records: Catalogue | Iterable[PPSModel], *, outbox: str | None = None,
                      progress: Callable[[int, int], None] | None = None, concurrency: int = 1) -> PublishResult:
        """Like `CatalogueClient.publish`; with `concurrency` above 1, that many bulk requests
        are in flight at once (the service still writes them one at a time)."""
        box = self._core.prepare(records, outbox)
        try:
            pending = list(box.pending())
            gate = asyncio.Semaphore(max(1, concurrency))

            async def send(seq: int, key: str, body: bytes) -> None:
                async with gate:
                    result = await self._run(self._core.bulk(body, key))
                box.done(seq, [r.model_dump(mode="json") for r in result.results])
                if progress:
                    progress(*box.progress())

            await asyncio.gather(*(send(seq, key, body) for seq, key, body, _ in pending))
            return self._core.result_of(box)
        finally:
            box.close()

