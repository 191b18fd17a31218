"""How fast the catalogue service takes and gives services over HTTP, against its floor.

    python benchmarks/serve_bench.py [services]          # default 5,000

The service runs as `pps serve` in its own process on SQLite, on a free loopback port; this
process is the client (httpx, one connection). Measured, in one run:

- writes one by one (`POST /services`) and in bulk (`POST /bulk`, 500 a request);
- the floor: the same documents inserted straight into the service's tables in one
  transaction, without HTTP, parsing, checks or versions bookkeeping;
- submitting and publishing every service (two requests each);
- reading single services (`GET /services/{id}`) and the whole published snapshot
  (`GET /catalogue`) as JSON and Turtle.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
import sys
import tempfile
import time
from pathlib import Path

import httpx

from pps_sdk import dump
from pps_sdk.catalogue import Database, create_token
from pps_sdk.catalogue.db import records, versions
from pps_sdk.catalogue.store import body_of, now
from pps_sdk.examples import large_catalogue

BATCH = 500


def start_server(database: Path, port: int) -> subprocess.Popen:
    pps = Path(sys.executable).parent / "pps"
    server = subprocess.Popen([str(pps), "serve", "--db", str(database), "--port", str(port), "--publisher", "org-vdaa",
                               "--max-body-mb", "200"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/health")
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("pps serve did not start")


@contextmanager
def served(database: Path) -> Iterator[tuple[str, str]]:
    """`pps serve` on a new SQLite database: its URL and a maintainer's token, until the end."""
    db = Database(database)
    token = create_token(db, "org-vdaa", "maintainer")
    db.dispose()
    port = free_port()
    server = start_server(database, port)
    try:
        yield f"http://127.0.0.1:{port}", token
    finally:
        server.terminate()
        server.wait(timeout=30)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def floor(folder: Path, services: list) -> float:
    """The same documents straight into the tables: one transaction, one executemany each."""
    db = Database(folder / "floor.db")
    start = time.perf_counter()
    bodies = [body_of(s) for s in services]
    at = now()
    with db.writing() as conn:
        conn.execute(records.insert(), [{"collection": "services", "id": s.id, "version": 1, "state": "draft",
                                         "updated_at": at} for s in services])
        conn.execute(versions.insert(), [{"collection": "services", "id": s.id, "version": 1, "state": "draft",
                                          "action": "created", "author": "org-vdaa", "at": at, "body": body,
                                          "findings": "[]"} for s, body in zip(services, bodies)])
    elapsed = time.perf_counter() - start
    db.dispose()
    return elapsed


def rate(count: int, seconds: float) -> str:
    return f"{count:>6,} in {seconds:7.2f} s  {count / seconds:8.0f} /s"


def main(count: int) -> None:
    catalogue = large_catalogue(count)
    shared = dump(catalogue.model_copy(update={"services": [], "measurements": []}), "json")
    # A holder's own service ids are unique: the copies get their own.
    services = [s.model_copy(update={"source_id": f"{s.source_id}-{n}"}) for n, s in enumerate(catalogue.services)]
    folder = Path(tempfile.mkdtemp(prefix="pps-serve-bench-"))
    print(f"{count:,} services ({len(dump(services[0], 'json')):,} bytes of JSON each); SQLite in {folder}")

    floor_seconds = floor(folder, services)
    print(f"floor   insert straight into the tables  {rate(count, floor_seconds)}")

    for mode in ("single", "bulk"):
        with served(folder / f"{mode}.db") as (url, token):
            with httpx.Client(base_url=url, timeout=600, headers={"Authorization": f"Bearer {token}"}) as http:
                assert http.post("/bulk", content=shared).status_code == 200
                bodies = [dump(s, "json") for s in services]
                start = time.perf_counter()
                if mode == "single":
                    for body in bodies:
                        assert http.post("/services", content=body).status_code == 201
                else:
                    for first in range(0, count, BATCH):
                        part = ",".join(b.strip() for b in bodies[first:first + BATCH])
                        response = http.post("/bulk", content='{"services": [' + part + "]}")
                        assert response.status_code == 200
                        assert all(r["outcome"] == "created" for r in response.json()["results"])
                seconds = time.perf_counter() - start
                label = "POST /services one by one" if mode == "single" else f"POST /bulk, {BATCH} a request"
                print(f"write   {label:<32} {rate(count, seconds)}   ratio to floor {seconds / floor_seconds:6.1f}x")
                if mode == "bulk":
                    reads(http, services)


def reads(http: httpx.Client, services: list) -> None:
    count = len(services)
    start = time.perf_counter()
    for service in services:
        for action in ("submit", "publish"):
            assert http.post(f"/services/{service.id}/{action}", headers={"If-Match": "*"}).status_code == 200
    print(f"publish submit + publish each service      {rate(2 * count, time.perf_counter() - start)} requests")
    sample = services[:: max(1, count // 2000)]
    start = time.perf_counter()
    for service in sample:
        assert http.get(f"/services/{service.id}").status_code == 200
    print(f"read    GET /services/{{id}}                 {rate(len(sample), time.perf_counter() - start)}")
    for accept in ("application/json", "text/turtle"):
        start = time.perf_counter()
        response = http.get("/catalogue", headers={"Accept": accept})
        seconds = time.perf_counter() - start
        assert response.status_code == 200
        print(f"read    GET /catalogue as {accept:<17} {seconds:7.2f} s  {len(response.content) / 1e6:7.1f} MB  "
              f"{count / seconds:8.0f} services/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
