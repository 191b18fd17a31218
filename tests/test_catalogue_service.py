"""The catalogue service on real databases (SQLite and PostgreSQL), in-process and over HTTP."""

from __future__ import annotations

import json
import threading
import warnings

import httpx
import pytest
from catalogue_support import MAINTAINER_ORG, Catalogue, LiveServer, catalogue, database, database_url, live, postgres  # noqa: F401

from pps_sdk import dump, loads
from pps_sdk.catalogue import Database, create_token, revoke_token
from pps_sdk.catalogue.db import SCHEMA_VERSION, current_version, tokens
from pps_sdk.catalogue.protocol import apply_change, catalogue_of_state, empty_state, ChangePage, state_of_catalogue
from pps_sdk.examples import example_catalogue
from pps_sdk.model import LangText, PublicService

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for another HTTP client package; httpx serves
    from starlette.testclient import TestClient

EXAMPLES = example_catalogue()
PERMIT = EXAMPLES.service("ps-jelgava-buvatlauja")
HOLDER = PERMIT.holders[0]
OTHER_ORG = "org-bvkb"


@pytest.fixture
def client(catalogue: Catalogue) -> TestClient:
    return TestClient(catalogue.app, raise_server_exceptions=False)


def shared_records() -> str:
    """The example catalogue without its services and measurements, as a bulk body."""
    return dump(EXAMPLES.model_copy(update={"services": [], "measurements": []}), "json")


def seed(client: TestClient, catalogue: Catalogue) -> None:
    response = client.post("/bulk", content=shared_records(), headers=catalogue.maintainer)
    assert response.status_code == 200, response.text
    assert {r["outcome"] for r in response.json()["results"]} == {"created"}


def create(client: TestClient, catalogue: Catalogue, service: PublicService = PERMIT) -> httpx.Response:
    response = client.post("/services", content=dump(service, "json"), headers=catalogue.auth(service.holders[0]))
    assert response.status_code == 201, response.text
    return response


def act(client: TestClient, headers: dict, id: str, action: str, etag: str) -> httpx.Response:
    return client.post(f"/services/{id}/{action}", headers=headers | {"If-Match": etag})


def publish(client: TestClient, catalogue: Catalogue, service: PublicService = PERMIT) -> str:
    """Create, submit and publish `service`; the ETag of the published version."""
    etag = create(client, catalogue, service).headers["etag"]
    submitted = act(client, catalogue.auth(service.holders[0]), service.id, "submit", etag)
    assert submitted.status_code == 200, submitted.text
    published = act(client, catalogue.maintainer, service.id, "publish", submitted.headers["etag"])
    assert published.status_code == 200, published.text
    return published.headers["etag"]


def test_a_service_goes_from_draft_to_the_public_catalogue(client, catalogue):
    seed(client, catalogue)
    created = create(client, catalogue)
    assert created.json()["state"] == "draft" and created.headers["location"] == f"/services/{PERMIT.id}"
    # The example says "published"; the catalogue decides that, and says so.
    assert [f["path"] for f in created.json()["findings"]] == ["publishing_state"]
    assert client.get(f"/services/{PERMIT.id}").status_code == 404  # drafts are not public
    own = client.get(f"/services/{PERMIT.id}", headers=catalogue.auth(HOLDER))
    assert own.status_code == 200 and PublicService.model_validate_json(own.text).publishing_state.value == "draft"

    submitted = act(client, catalogue.auth(HOLDER), PERMIT.id, "submit", own.headers["etag"])
    assert submitted.json()["state"] == "submitted"
    refused = act(client, catalogue.auth(HOLDER), PERMIT.id, "publish", submitted.headers["etag"])
    assert refused.status_code == 403  # only maintainers publish
    published = act(client, catalogue.maintainer, PERMIT.id, "publish", submitted.headers["etag"])
    assert published.status_code == 200 and published.json()["state"] == "published"

    public = client.get(f"/services/{PERMIT.id}")
    assert public.status_code == 200 and public.headers["etag"] == published.headers["etag"]
    assert PublicService.model_validate_json(public.text) == PERMIT  # the example was published as it was
    history = client.get(f"/services/{PERMIT.id}/history", headers=catalogue.maintainer).json()
    assert [(v["version"], v["state"], v["author"], v["action"]) for v in history["versions"]] == [
        (1, "draft", HOLDER, "created"), (2, "submitted", HOLDER, "submit"), (3, "published", MAINTAINER_ORG, "publish")]


@pytest.mark.parametrize("fmt", ["json", "xml", "ttl", "nt", "jsonld", "rdfxml"])
def test_content_negotiation_in_every_format(client, catalogue, fmt):
    seed(client, catalogue)
    publish(client, catalogue)
    from pps_sdk.catalogue.protocol import MEDIA_TYPES

    response = client.get(f"/services/{PERMIT.id}", headers={"Accept": MEDIA_TYPES[fmt]})
    assert response.status_code == 200 and response.headers["content-type"].startswith(MEDIA_TYPES[fmt])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a lone service in RDF names its organisations only by IRI
        service = loads(response.content, fmt, PublicService)
    assert service.id == PERMIT.id and service.name == PERMIT.name
    snapshot = client.get("/catalogue", headers={"Accept": MEDIA_TYPES[fmt]})
    assert snapshot.status_code == 200 and snapshot.headers["pps-cursor"].isdigit()
    assert loads(snapshot.content, fmt).service(PERMIT.id).name == PERMIT.name

    # A body may come in the same format: the holder updates its draft copy as that format.
    changed = PERMIT.model_copy(update={"processing_time": "P20D", "publishing_state": PERMIT.publishing_state})
    etag = client.get(f"/services/{PERMIT.id}", headers=catalogue.auth(HOLDER)).headers["etag"]
    body = dump(changed, fmt)
    updated = client.put(f"/services/{PERMIT.id}", content=body,
                         headers=catalogue.auth(HOLDER) | {"If-Match": etag, "Content-Type": MEDIA_TYPES[fmt]})
    assert updated.status_code == 200, updated.text
    assert updated.json()["state"] == "modified"
    mine = client.get(f"/services/{PERMIT.id}", headers=catalogue.auth(HOLDER))
    assert PublicService.model_validate_json(mine.text).processing_time == "P20D"


def test_organisations_are_not_offered_as_rdf(client, catalogue):
    seed(client, catalogue)
    response = client.get(f"/organisations/{HOLDER}", headers={"Accept": "text/turtle"})
    assert response.status_code == 406 and response.headers["content-type"] == "application/problem+json"
    assert "application/json" in response.json()["detail"]
    assert client.get(f"/organisations/{HOLDER}", headers={"Accept": "application/xml"}).status_code == 200


def test_only_allowed_transitions(client, catalogue):
    seed(client, catalogue)
    etag = create(client, catalogue).headers["etag"]
    early = act(client, catalogue.maintainer, PERMIT.id, "publish", etag)
    assert early.status_code == 409 and "draft" in early.json()["detail"]
    submitted = act(client, catalogue.auth(HOLDER), PERMIT.id, "submit", etag)
    returned = act(client, catalogue.maintainer, PERMIT.id, "return", submitted.headers["etag"])
    assert returned.status_code == 200 and returned.json()["state"] == "draft"
    again = act(client, catalogue.auth(HOLDER), PERMIT.id, "return", returned.headers["etag"])
    assert again.status_code == 403  # a holder cannot return its own submission
    archived = client.delete(f"/services/{PERMIT.id}", headers=catalogue.auth(HOLDER) | {"If-Match": returned.headers["etag"]})
    assert archived.status_code == 200 and archived.json()["state"] == "archived"
    edit = client.put(f"/services/{PERMIT.id}", content=dump(PERMIT, "json"),
                      headers=catalogue.auth(HOLDER) | {"If-Match": archived.headers["etag"]})
    assert edit.status_code == 409 and "reopen" in edit.json()["detail"]
    reopened = act(client, catalogue.auth(HOLDER), PERMIT.id, "reopen", archived.headers["etag"])
    assert reopened.json()["state"] == "draft"
    versions = client.get(f"/services/{PERMIT.id}/history", headers=catalogue.auth(HOLDER)).json()["versions"]
    assert [v["state"] for v in versions] == ["draft", "submitted", "draft", "archived", "draft"]
    assert all(client.get(f"/services/{PERMIT.id}?version={v['version']}", headers=catalogue.auth(HOLDER)).status_code == 200
               for v in versions)  # nothing is ever deleted


def test_a_published_service_stays_public_while_its_next_version_is_reviewed(client, catalogue):
    seed(client, catalogue)
    etag = publish(client, catalogue)
    edited = PERMIT.model_copy(update={"processing_time": "P10D"})
    response = client.put(f"/services/{PERMIT.id}", content=dump(edited, "json"),
                          headers=catalogue.auth(HOLDER) | {"If-Match": etag})
    assert response.json()["state"] == "modified"
    public = PublicService.model_validate_json(client.get(f"/services/{PERMIT.id}").text)
    assert public.processing_time == PERMIT.processing_time  # the public still sees what was published


def test_submitting_runs_validation(client, catalogue):
    seed(client, catalogue)
    broken = PERMIT.model_copy(update={"id": "ps-broken", "source_id": None, "channels": ["ch-nowhere"], "costs": [],
                                       "providers": [], "channel_strategy": None, "manager": None,
                                       "indicators": [], "maturity": None})
    etag = create(client, catalogue, broken).headers["etag"]
    refused = act(client, catalogue.auth(HOLDER), "ps-broken", "submit", etag)
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    errors = [(f["path"], f["message"]) for f in problem["findings"] if f["severity"] == "error"]
    assert errors == [("channels[0]", "no channel 'ch-nowhere' in the catalogue")]
    # Warnings are reported too: a published service needs a manager.
    assert any(f["path"] == "manager" and f["severity"] == "warning" for f in problem["findings"])
    state = client.get("/services/ps-broken/history", headers=catalogue.auth(HOLDER)).json()["versions"][-1]["state"]
    assert state == "draft"  # the refused transition changed nothing

    fine = PERMIT.model_copy(update={"id": "ps-warned", "source_id": None, "manager": None})
    etag = create(client, catalogue, fine).headers["etag"]
    submitted = act(client, catalogue.auth(HOLDER), "ps-warned", "submit", etag)
    assert submitted.status_code == 200
    warned = client.get("/services/ps-warned/history", headers=catalogue.maintainer).json()["versions"][-1]
    assert [f["path"] for f in warned["findings"]] == ["manager"]  # the warning travels with the version


def test_if_match_is_required_and_checked(client, catalogue):
    seed(client, catalogue)
    create(client, catalogue)
    body = dump(PERMIT.model_copy(update={"processing_time": "P9D"}), "json")
    headers = catalogue.auth(HOLDER)
    missing = client.put(f"/services/{PERMIT.id}", content=body, headers=headers)
    assert missing.status_code == 428
    stale = client.put(f"/services/{PERMIT.id}", content=body, headers=headers | {"If-Match": '"7"'})
    assert stale.status_code == 412 and stale.json()["current_etag"] == '"1"' and stale.headers["etag"] == '"1"'
    fresh = client.put(f"/services/{PERMIT.id}", content=body, headers=headers | {"If-Match": '"1"'})
    assert fresh.status_code == 200 and fresh.headers["etag"] == '"2"'
    same = client.put(f"/services/{PERMIT.id}", content=body, headers=headers | {"If-Match": '"2"'})
    assert same.json()["outcome"] == "unchanged" and same.headers["etag"] == '"2"'
    assert act(client, headers, PERMIT.id, "submit", '"1"').status_code == 412


def test_idempotency_keys(client, catalogue):
    seed(client, catalogue)
    headers = catalogue.auth(HOLDER) | {"Idempotency-Key": "k-1"}
    first = client.post("/services", content=dump(PERMIT, "json"), headers=headers)
    second = client.post("/services", content=dump(PERMIT, "json"), headers=headers)
    assert first.status_code == second.status_code == 201 and first.content == second.content
    assert second.headers["etag"] == first.headers["etag"]
    history = client.get(f"/services/{PERMIT.id}/history", headers=catalogue.auth(HOLDER)).json()
    assert len(history["versions"]) == 1
    other = client.post("/services", content=dump(PERMIT.model_copy(update={"id": "ps-2", "source_id": None}), "json"),
                        headers=headers)
    assert other.status_code == 422 and other.json()["type"].endswith("/idempotency-key-reused")
    # Without a key, creating it again is a conflict, not a copy.
    assert client.post("/services", content=dump(PERMIT, "json"), headers=catalogue.auth(HOLDER)).status_code == 409


def test_bulk_gives_one_result_per_record_and_upserts_by_source_id(client, catalogue):
    seed(client, catalogue)
    good = PERMIT.model_dump(mode="json", exclude_defaults=True)
    bad = {**good, "id": "ps-bad", "source_id": "B-2", "importance": 9}
    foreign = {**good, "id": "ps-foreign", "source_id": "F-1", "holders": [OTHER_ORG]}
    body = json.dumps({"services": [good, bad, foreign]})
    response = client.post("/bulk", content=body, headers=catalogue.auth(HOLDER))
    results = response.json()["results"]
    assert [(r["id"], r["outcome"]) for r in results] == [
        (PERMIT.id, "created"), ("ps-bad", "refused"), ("ps-foreign", "refused")]
    assert results[1]["problem"]["status"] == 422 and results[1]["findings"][0]["path"] == "importance"
    assert results[2]["problem"]["status"] == 403
    again = client.post("/bulk", content=json.dumps({"services": [good]}), headers=catalogue.auth(HOLDER)).json()
    assert again["results"][0]["outcome"] == "unchanged"
    # Same source id, another id: the holder's service is updated, not copied.
    renamed = {**good, "id": "ps-renamed", "processing_time": "P5D"}
    upsert = client.post("/bulk", content=json.dumps({"services": [renamed]}), headers=catalogue.auth(HOLDER)).json()
    assert (upsert["results"][0]["id"], upsert["results"][0]["outcome"]) == (PERMIT.id, "updated")
    listing = client.get("/services", headers=catalogue.maintainer).json()["items"]
    assert [item["id"] for item in listing] == [PERMIT.id]
    found = client.get(f"/services?source_id={PERMIT.source_id}", headers=catalogue.auth(HOLDER)).json()["items"]
    assert [item["id"] for item in found] == [PERMIT.id]


def test_bulk_refuses_records_of_any_shape_one_by_one(client, catalogue):
    junk = {"organisations": [[], 3, None, {"id": ["x"]}, {"id": "org-x"}], "measurements": [[], {"indicator": 5}]}
    response = client.post("/bulk", content=json.dumps(junk), headers=catalogue.maintainer)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["collection"], r["id"], r["outcome"]) for r in results] == [
        ("organisations", "", "refused"), ("organisations", "", "refused"), ("organisations", "", "refused"),
        ("organisations", "", "refused"), ("organisations", "org-x", "refused"),
        ("measurements", "", "refused"), ("measurements", "", "refused")]
    assert all(r["problem"]["status"] == 422 for r in results)


def test_bulk_in_rdf_and_its_limits(client, catalogue):
    response = client.post("/bulk", content=dump(EXAMPLES, "ttl"),
                           headers=catalogue.maintainer | {"Content-Type": "text/turtle"})
    assert response.status_code == 200, response.text
    outcomes = {(r["collection"], r["outcome"]) for r in response.json()["results"]}
    assert ("services", "created") in outcomes and ("organisations", "created") in outcomes
    many = json.dumps({"organisations": [EXAMPLES.organisations[0].model_dump(mode="json")] * 501})
    assert client.post("/bulk", content=many, headers=catalogue.maintainer).status_code == 413


def test_snapshot_then_feed_ends_with_the_servers_state(client, catalogue):
    seed(client, catalogue)
    early = client.get("/catalogue")
    cursor, state = int(early.headers["pps-cursor"]), state_of_catalogue(loads(early.content, "json"))
    for service in EXAMPLES.services:
        publish(client, catalogue, service)
    # After the snapshot: an organisation changes, measurements arrive, a service is archived.
    org = EXAMPLES.organisation(HOLDER).model_copy(update={"home_page": "https://www.jelgava.lv/buvvalde"})
    etag = client.get(f"/organisations/{HOLDER}").headers["etag"]
    assert client.put(f"/organisations/{HOLDER}", content=dump(org, "json"),
                      headers=catalogue.auth(HOLDER) | {"If-Match": etag}).status_code == 200
    measured = [m for m in EXAMPLES.measurements if m.indicator.startswith("ind-buvatlauja")]
    posted = client.post(f"/indicators/{measured[0].indicator}/measurements",
                         content=json.dumps([m.model_dump(mode="json") for m in measured if m.indicator == measured[0].indicator]),
                         headers=catalogue.auth(HOLDER))
    assert posted.status_code == 200, posted.text
    last = EXAMPLES.services[-1]
    etag = client.get(f"/services/{last.id}").headers["etag"]
    assert client.delete(f"/services/{last.id}", headers=catalogue.maintainer | {"If-Match": etag}).status_code == 200

    while True:
        page = ChangePage.model_validate_json(client.get(f"/changes?after={cursor}&limit=3").content)
        for change in page.changes:
            apply_change(state, change)
        cursor = page.next
        if not page.more:
            break
    final = client.get("/catalogue")
    head = {"id": "ppk", "title": {"lv": "x"}, "description": {"lv": "x"}, "publisher": MAINTAINER_ORG}
    mirrored = catalogue_of_state(state, head)
    server = loads(final.content, "json")
    assert int(final.headers["pps-cursor"]) == cursor
    assert state_of_catalogue(mirrored) == state_of_catalogue(server)
    assert last.id not in {s.id for s in server.services} and server.measurements


def test_measurements_need_a_published_indicator(client, catalogue):
    seed(client, catalogue)
    etag = create(client, catalogue).headers["etag"]
    indicator = PERMIT.indicators[0].id
    values = [m.model_dump(mode="json") for m in EXAMPLES.measurements if m.indicator == indicator]
    url = f"/indicators/{indicator}/measurements"
    early = client.post(url, content=json.dumps(values), headers=catalogue.auth(HOLDER))
    assert early.status_code == 409 and "not published" in early.json()["detail"]
    submitted = act(client, catalogue.auth(HOLDER), PERMIT.id, "submit", etag)
    act(client, catalogue.maintainer, PERMIT.id, "publish", submitted.headers["etag"])
    assert client.post(url, content=json.dumps(values), headers=catalogue.auth(OTHER_ORG)).status_code == 403
    posted = client.post(url, content=json.dumps(values), headers=catalogue.auth(HOLDER))
    assert posted.status_code == 200 and posted.json()["outcome"] == "updated"
    again = client.post(url, content=json.dumps(values), headers=catalogue.auth(HOLDER))
    assert again.json()["outcome"] == "unchanged"
    expected = [m.model_dump(mode="json", exclude_defaults=True) for m in EXAMPLES.measurements if m.indicator == indicator]
    assert sorted(map(json.dumps, client.get(url).json())) == sorted(map(json.dumps, expected))
    wrong = [{**values[0], "indicator": PERMIT.indicators[1].id}]
    refused = client.post(url, content=json.dumps(wrong), headers=catalogue.auth(HOLDER))
    assert refused.status_code == 422 and refused.json()["findings"][0]["path"] == "[0].indicator"
    assert client.get(f"/indicators/{indicator}").json()["id"] == indicator


def test_tokens_are_kept_as_digests_and_can_be_revoked(client, catalogue):
    token = catalogue.token(HOLDER)
    with catalogue.db.reading() as conn:
        stored = [tuple(row) for row in conn.execute(tokens.select())]
    secret = token.split("_", 2)[2]  # pps_<id>_<secret>; the secret itself may hold "_"
    assert len(secret) == 43 and token not in repr(stored) and secret not in repr(stored)
    seed(client, catalogue)
    assert client.post("/services", content=dump(PERMIT, "json"), headers=catalogue.auth(HOLDER)).status_code == 201
    assert revoke_token(catalogue.db, token)
    refused = client.get(f"/services/{PERMIT.id}", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert client.get("/services", headers={"Authorization": f"Bearer {token[:-2]}xx"}).status_code == 401


def test_twenty_concurrent_writers_lose_no_update(catalogue, live):
    headers = catalogue.auth(HOLDER)
    with httpx.Client(base_url=live.url, timeout=60) as http:
        assert http.post("/bulk", content=shared_records(), headers=catalogue.maintainer).status_code == 200
        assert http.post("/services", content=dump(PERMIT, "json"), headers=headers).status_code == 201
    errors: list[str] = []

    def add_keyword(n: int) -> None:
        with httpx.Client(base_url=live.url, timeout=60) as http:
            for _ in range(200):
                current = http.get(f"/services/{PERMIT.id}", headers=headers)
                service = PublicService.model_validate_json(current.text)
                words = {**service.keywords, "en": [*service.keywords.get("en", []), f"writer-{n}"]}
                body = dump(service.model_copy(update={"keywords": words}), "json")
                response = http.put(f"/services/{PERMIT.id}", content=body,
                                    headers=headers | {"If-Match": current.headers["etag"]})
                if response.status_code == 200:
                    return
                if response.status_code != 412:
                    errors.append(response.text)
                    return
            errors.append(f"writer {n} gave up")

    threads = [threading.Thread(target=add_keyword, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with httpx.Client(base_url=live.url) as http:
        final = PublicService.model_validate_json(http.get(f"/services/{PERMIT.id}", headers=headers).text)
        history = http.get(f"/services/{PERMIT.id}/history", headers=headers).json()["versions"]
    assert sorted(w for w in final.keywords["en"] if w.startswith("writer-")) == sorted(f"writer-{n}" for n in range(20))
    assert len(history) == 21


def test_old_databases_are_upgraded(database_url):
    old = Database(database_url, upgrade_to=1)
    with old.reading() as conn:
        assert current_version(conn) == 1
    token = create_token(old, HOLDER)
    old.dispose()
    new = Database(database_url)
    with new.reading() as conn:
        assert current_version(conn) == SCHEMA_VERSION == 2
    catalogue = Catalogue(new)
    catalogue._tokens[(HOLDER, "publisher")] = token  # the old token still works
    client = TestClient(catalogue.app)
    seed(client, catalogue)
    headers = catalogue.auth(HOLDER) | {"Idempotency-Key": "after-upgrade"}
    first = client.post("/services", content=dump(PERMIT, "json"), headers=headers)
    assert first.status_code == 201 and client.post("/services", content=dump(PERMIT, "json"), headers=headers).content == first.content
    new.dispose()


# -- who may do what ----------------------------------------------------------------------

def _copy(id: str, **changes) -> PublicService:
    return PERMIT.model_copy(update={"id": id, "source_id": None, "indicators": [], "maturity": None, **changes})


def _world(client: TestClient, catalogue: Catalogue) -> None:
    """Records in every state, one per write endpoint, so each endpoint meets its own."""
    seed(client, catalogue)
    maintainer, holder = catalogue.maintainer, catalogue.auth(HOLDER)
    for id in ("ps-edit", "ps-delete", "ps-submit", "ps-return", "ps-publish", "ps-archive", "ps-reopen", "ps-bulk"):
        assert client.post("/services", content=dump(_copy(id), "json"), headers=maintainer).status_code == 201
    assert client.post("/services", content=dump(_copy("ps-measured", indicators=PERMIT.indicators), "json"),
                       headers=maintainer).status_code == 201
    steps = {"ps-return": ["submit"], "ps-publish": ["submit"], "ps-archive": ["submit", "publish"],
             "ps-reopen": ["archive"], "ps-measured": ["submit", "publish"]}
    for id, actions in steps.items():
        for action in actions:
            assert act(client, maintainer, id, action, "*").status_code == 200
    lr = {"id": "lr-own", "title": {"lv": "Likums"}, "url": "https://likumi.lv/ta/id/1"}
    assert client.post("/legal-resources", content=json.dumps(lr), headers=holder).status_code == 201


def _write_endpoints() -> list[tuple[str, str, str, str, dict[str, str]]]:
    """(method, path, body, owner, expected status for other / own / maintainer)."""
    org = EXAMPLES.organisation(HOLDER)
    new_org = org.model_copy(update={"id": "org-new"})
    channel = EXAMPLES.channel("ch-jelgava-buvvalde-klatiene")
    values = [m.model_dump(mode="json") for m in EXAMPLES.measurements if m.indicator == PERMIT.indicators[0].id]
    bulk = json.dumps({"services": [_copy("ps-bulk", processing_time="P3D").model_dump(mode="json")]})
    x403 = {"other": "403", "own": "200", "maintainer": "200"}
    created = {"other": "403", "own": "201", "maintainer": "201"}
    return [
        ("POST", "/organisations", dump(new_org, "json"), "org-new", created),
        ("PUT", f"/organisations/{HOLDER}", dump(org.model_copy(update={"home_page": "https://example.lv/"}), "json"), HOLDER, x403),
        ("POST", "/channels", dump(channel.model_copy(update={"id": "ch-new"}), "json"), HOLDER, created),
        ("PUT", f"/channels/{channel.id}", dump(channel.model_copy(update={"name": LangText.model_validate({"lv": "Jauns"})}), "json"), HOLDER, x403),
        ("POST", "/legal-resources", json.dumps({"id": "lr-new", "title": {"lv": "Jauns"}, "url": "https://likumi.lv/ta/id/2"}), HOLDER,
         {"other": "201", "own": "201", "maintainer": "201"}),  # anyone may add a law; only its author changes it
        ("PUT", "/legal-resources/lr-own", json.dumps({"id": "lr-own", "title": {"lv": "Grozīts"}, "url": "https://likumi.lv/ta/id/1"}), HOLDER, x403),
        ("POST", "/services", dump(_copy("ps-new"), "json"), HOLDER, created),
        ("PUT", "/services/ps-edit", dump(_copy("ps-edit", processing_time="P2D"), "json"), HOLDER, x403),
        ("DELETE", "/services/ps-delete", "", HOLDER, x403),
        ("POST", "/services/ps-submit/submit", "", HOLDER, x403),
        ("POST", "/services/ps-return/return", "", HOLDER, {"other": "403", "own": "403", "maintainer": "200"}),
        ("POST", "/services/ps-publish/publish", "", HOLDER, {"other": "403", "own": "403", "maintainer": "200"}),
        ("POST", "/services/ps-archive/archive", "", HOLDER, x403),
        ("POST", "/services/ps-reopen/reopen", "", HOLDER, x403),
        ("POST", "/bulk", bulk, HOLDER, {"other": "200 refused", "own": "200 updated", "maintainer": "200 updated"}),
        ("POST", f"/indicators/{PERMIT.indicators[0].id}/measurements", json.dumps(values), HOLDER, x403),
    ]


@pytest.mark.parametrize("who", ["anonymous", "revoked", "other", "own", "maintainer"])
def test_who_may_write_what(client, catalogue, who):
    _world(client, catalogue)
    revoked = {}
    for _, _, _, owner, _ in _write_endpoints():
        token = create_token(catalogue.db, owner)
        revoke_token(catalogue.db, token)
        revoked[owner] = {"Authorization": f"Bearer {token}"}
    seen, wanted = [], []
    for method, path, body, owner, expected in _write_endpoints():
        headers = {"anonymous": {}, "revoked": revoked[owner], "other": catalogue.auth(OTHER_ORG),
                   "own": catalogue.auth(owner), "maintainer": catalogue.maintainer}[who]
        response = client.request(method, path, content=body, headers=headers | {"If-Match": "*"})
        status = str(response.status_code)
        if path == "/bulk" and response.status_code == 200:
            status += " " + response.json()["results"][0]["outcome"]
        seen.append((method, path, status))
        wanted.append((method, path, expected.get(who, "401")))
    assert seen == wanted


# -- bad input -----------------------------------------------------------------------------

def test_bad_input_gets_problem_details_never_a_500(client, catalogue):
    seed(client, catalogue)
    holder = catalogue.auth(HOLDER)
    cases = [
        ("GET", "/nowhere", "", {}, 404),
        ("GET", "/services/ps-nope", "", {}, 404),
        ("GET", "/changes?after=-1", "", {}, 400),
        ("GET", "/changes?after=abc", "", {}, 400),
        ("GET", f"/services/{PERMIT.id}?version=x", "", {}, 400),
        ("PATCH", f"/services/{PERMIT.id}", "", {}, 405),
        ("DELETE", f"/organisations/{HOLDER}", "", holder, 405),
        ("POST", "/services", "{not json", holder, 400),
        ("POST", "/services", "[]", holder, 422),
        ("POST", "/services", '{"id": "x"}', holder, 422),
        ("POST", "/services", "\xff\xfe junk", holder, 400),
        ("POST", "/services", "<a><b></a>", holder | {"Content-Type": "application/xml"}, 400),
        ("POST", "/services", '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>',
         holder | {"Content-Type": "application/xml"}, 400),
        ("POST", "/services", "@prefix : <x> . :a :b", holder | {"Content-Type": "text/turtle"}, 400),
        ("POST", "/services", "{}", holder | {"Content-Type": "image/png"}, 415),
        ("POST", "/organisations", "{}", holder | {"Content-Type": "text/turtle"}, 415),
        ("POST", "/services", "[" * 100_000, holder, 400),
        ("POST", "/bulk", '{"services": 3}', holder, 400),
        ("POST", "/bulk", '{"rogue": []}', holder, 400),
        ("POST", "/bulk", '"text"', holder, 400),
        ("POST", f"/indicators/{PERMIT.indicators[0].id}/measurements", "{}", holder, 422),
        ("POST", "/services", dump(PERMIT, "json"), {"Authorization": "Basic abc"}, 401),
        ("POST", "/services", dump(PERMIT, "json"), holder | {"Idempotency-Key": "k" * 201}, 400),
        ("PUT", "/services/other-id", dump(PERMIT, "json"), holder | {"If-Match": "*"}, 422),
        ("GET", f"/organisations/{HOLDER}", "", {"Accept": "image/png"}, 406),
    ]
    seen = []
    for method, path, body, headers, _ in cases:
        response = client.request(method, path, content=body.encode("utf-8", "surrogateescape"), headers=headers)
        assert response.headers["content-type"] == "application/problem+json", (path, response.text)
        problem = response.json()
        assert problem["status"] == response.status_code and problem["title"] and "Traceback" not in response.text
        seen.append(response.status_code)
    assert seen == [status for *_, status in cases]


def test_request_bodies_have_a_size_cap(catalogue):
    catalogue.settings.max_body_bytes = 1000
    client = TestClient(catalogue.app, raise_server_exceptions=False)
    response = client.post("/services", content=b" " * 1001, headers=catalogue.auth(HOLDER))
    assert response.status_code == 413 and response.json()["type"].endswith("/too-large")

    def chunks():  # no Content-Length: the cap is counted while reading
        for _ in range(10):
            yield b" " * 200

    streamed = client.post("/services", content=chunks(), headers=catalogue.auth(HOLDER))
    assert streamed.status_code == 413


def test_the_openapi_document_is_served_and_kept_in_schemas(client):
    from pathlib import Path

    from pps_sdk.catalogue.openapi import OPENAPI_FILE, openapi_text

    served = client.get("/openapi.json")
    kept = Path(__file__).resolve().parents[1] / "schemas" / OPENAPI_FILE
    assert served.json() == json.loads(kept.read_text(encoding="utf-8")), "regenerate: pps schema openapi --out schemas"
    assert kept.read_text(encoding="utf-8") == openapi_text()
    document = served.json()
    assert document["openapi"] == "3.1.0"
    assert {"/services", "/services/{id}", "/services/{id}/submit", "/bulk", "/changes", "/catalogue",
            "/indicators/{id}/measurements"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    # Every body is a model of the SDK (as read, `-Input`, and as written, `-Output`, where the two differ).
    models = {name.removesuffix("-Input").removesuffix("-Output") for name in schemas}
    assert {"PublicService", "Organisation", "Channel", "Catalogue", "Measurement", "Problem", "WriteResult",
            "BulkResult", "History", "Listing", "ChangePage"} <= models
    body = document["paths"]["/services"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PublicService-Input"}
    # Text may be sent as a plain string (taken as Latvian); it is always written per language.
    assert {"type": "string"} in schemas["LangText-Input"]["anyOf"] and "anyOf" not in schemas["LangText-Output"]
