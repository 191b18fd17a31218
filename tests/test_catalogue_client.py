"""The catalogue clients against the real service on loopback (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from catalogue_support import MAINTAINER_ORG, catalogue, database, database_url, live, postgres  # noqa: F401

from pps_sdk.catalogue.client import (AsyncCatalogueClient, CatalogueClient, Conflict, Forbidden, NotFound,
                                      RetryPolicy, Unauthorised, Unavailable, ValidationRefused)
from pps_sdk.catalogue.protocol import apply_change, catalogue_of_state, empty_state, state_of_catalogue
from pps_sdk.examples import example_catalogue

EXAMPLES = example_catalogue()
PERMIT = EXAMPLES.service("ps-jelgava-buvatlauja")
HOLDER = PERMIT.holders[0]
FAST = RetryPolicy(attempts=6, backoff=0.01, max_backoff=0.05)


def shared(catalogue_doc=EXAMPLES):
    return catalogue_doc.model_copy(update={"services": [], "measurements": []})


def client(live, catalogue, org=MAINTAINER_ORG, role="maintainer", **options) -> CatalogueClient:
    return CatalogueClient(live.url, catalogue.token(org, role), retry=FAST, **options)


def publish_all(live, catalogue) -> None:
    """The example catalogue published the way institutions and maintainers do it."""
    with client(live, catalogue) as maintainer:
        assert not maintainer.publish(shared()).refused
        for service in EXAMPLES.services:
            with client(live, catalogue, service.holders[0], "publisher") as holder:
                result = holder.publish([service])
                assert [r.outcome.value for r in result.services] == ["created"]
                holder.submit(service.id)
            maintainer.get_service(service.id)  # its ETag is the one the action sends
            maintainer.publish_service(service.id)


def test_publish_and_read_back(live, catalogue):
    publish_all(live, catalogue)
    with CatalogueClient(live.url) as anyone:
        snapshot, cursor = anyone.snapshot()
        assert sorted(s.id for s in snapshot.services) == sorted(s.id for s in EXAMPLES.services)
        assert snapshot.service(PERMIT.id) == PERMIT
        assert anyone.get_service(PERMIT.id, format="xml") == PERMIT
        assert anyone.get_by_source_id(HOLDER, PERMIT.source_id).id == PERMIT.id
        with pytest.raises(NotFound):
            anyone.get_by_source_id(HOLDER, "no-such-number")
        changes = list(anyone.changes(limit=2))
        assert [c.cursor for c in changes] == sorted(c.cursor for c in changes) and changes[-1].cursor == cursor
        state = empty_state()
        for change in changes:
            apply_change(state, change)
        head = {"id": snapshot.id, "title": snapshot.title, "description": snapshot.description,
                "publisher": snapshot.publisher}
        assert state_of_catalogue(catalogue_of_state(state, head)) == state_of_catalogue(snapshot)
    with client(live, catalogue) as maintainer:
        again = maintainer.publish(EXAMPLES)
        assert again.counts() == {"created": 0, "updated": 0, "unchanged": len(EXAMPLES.services), "refused": 0}
        history = maintainer.history("services", PERMIT.id)
        assert [v.state.value for v in history.versions] == ["draft", "submitted", "published"]


def test_errors_are_exceptions_with_the_servers_answer(live, catalogue):
    publish_all(live, catalogue)
    holder = client(live, catalogue, HOLDER, "publisher")
    other = client(live, catalogue, "org-bvkb", "publisher")
    with holder, other:
        with pytest.raises(Forbidden):
            other.update(PERMIT, etag="*")
        with pytest.raises(Unauthorised):
            CatalogueClient(live.url, "pps_0000_nothing", retry=FAST).create(PERMIT)
        with pytest.raises(NotFound):
            holder.get_service("ps-nowhere")
        holder.get_service(PERMIT.id)
        changed = PERMIT.model_copy(update={"processing_time": "P11D"})
        assert holder.update(changed).state.value == "modified"
        stale = client(live, catalogue, HOLDER, "publisher")
        stale._core.etags[("services", PERMIT.id)] = '"1"'
        with pytest.raises(Conflict) as caught:
            stale.update(changed.model_copy(update={"processing_time": "P12D"}))
        assert caught.value.current_etag == '"4"' and caught.value.status == 412
        assert caught.value.current["processing_time"] == "P11D"  # the version it lost to
        with pytest.raises(ValueError, match="read services/"):
            client(live, catalogue, HOLDER, "publisher").update(changed)
        broken = PERMIT.model_copy(update={"id": "ps-broken", "source_id": None, "channels": ["ch-nowhere"],
                                           "costs": [], "providers": [], "channel_strategy": None, "indicators": [],
                                           "maturity": None})
        holder.create(broken)
        with pytest.raises(ValidationRefused) as refused:
            holder.submit("ps-broken")
        assert [f.path for f in refused.value.findings if f.severity.value == "error"] == ["channels[0]"]


class Faults(httpx.BaseTransport):
    """Passes requests to a real transport, but answers the first `storm` of them with 503,
    and cuts the connection after the service handled each of the first `resets` writes, as a
    network that fails mid-answer does."""

    def __init__(self, storm: int = 0, resets: int = 0):
        self.real = httpx.HTTPTransport()
        self.storm, self.resets = storm, resets
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        if self.storm > 0:
            self.storm -= 1
            return httpx.Response(503, headers={"Retry-After": "0"}, request=request)
        response = self.real.handle_request(request)
        if self.resets > 0 and request.method != "GET":
            self.resets -= 1
            response.read()
            raise httpx.RemoteProtocolError("connection reset while reading the answer", request=request)
        return response


def test_retries_repeat_writes_without_writing_twice(live, catalogue):
    with client(live, catalogue) as maintainer:
        maintainer.publish(shared())
    faults = Faults(storm=3, resets=2)
    with CatalogueClient(live.url, catalogue.token(HOLDER), retry=FAST, transport=faults) as holder:
        result = holder.create(PERMIT)  # 3 x 503, then handled but the answer lost twice
        assert result.outcome.value == "created" and result.version == 1
        assert faults.sent == 6
        assert [v.version for v in holder.history("services", PERMIT.id).versions] == [1]
    with CatalogueClient(live.url, catalogue.token(HOLDER), retry=RetryPolicy(attempts=2, backoff=0.01),
                         transport=Faults(storm=5)) as impatient:
        with pytest.raises(Unavailable):
            impatient.get_service(PERMIT.id)
    with CatalogueClient("http://127.0.0.1:9", retry=RetryPolicy(attempts=2, backoff=0.01)) as nowhere:
        with pytest.raises(Unavailable):
            nowhere.snapshot()


def test_retry_after_is_honoured():
    policy = RetryPolicy(backoff=1.0, max_backoff=8.0)
    assert policy.delay(1, "3") == 3.0
    assert policy.delay(1, "600") == 8.0
    assert all(0.5 <= policy.delay(1) <= 1.0 for _ in range(50))
    assert all(4.0 <= policy.delay(4) <= 8.0 for _ in range(50))
    assert all(4.0 <= policy.delay(9) <= 8.0 for _ in range(50))


def test_the_async_client_does_the_same(live, catalogue):
    async def run() -> None:
        token = catalogue.token(MAINTAINER_ORG, "maintainer")
        async with AsyncCatalogueClient(live.url, token, retry=FAST, batch_size=3) as maintainer:
            progress: list[tuple[int, int]] = []
            result = await maintainer.publish(EXAMPLES, concurrency=3, progress=lambda d, t: progress.append((d, t)))
            assert result.counts()["created"] == len(EXAMPLES.services) and not result.refused
            assert progress[-1][0] == progress[-1][1] == sum(len(getattr(EXAMPLES, n)) for n in
                                                             ("organisations", "channels", "legal_resources",
                                                              "life_events", "business_events", "unified_services",
                                                              "services"))
            for service in EXAMPLES.services:
                await maintainer.submit(service.id)
                await maintainer.publish_service(service.id)
            changes = [change async for change in maintainer.changes(limit=4)]
            snapshot, cursor = await maintainer.snapshot("ttl")
            assert changes[-1].cursor == cursor and len(snapshot.services) == len(EXAMPLES.services)
            assert (await maintainer.get_by_source_id(HOLDER, PERMIT.source_id)).id == PERMIT.id

    asyncio.run(run())
