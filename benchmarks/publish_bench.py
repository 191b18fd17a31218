"""How fast the SDK's clients publish to a catalogue service, against the service's floor.

    python benchmarks/publish_bench.py [services]          # default 20,000

Each run starts `pps serve` (SQLite, a free loopback port) in its own process and publishes the
services with a maintainer's token: in bulk (`publish`, 500 records a request) and one by one
(`create`), with `CatalogueClient` and with `AsyncCatalogueClient` (four requests in flight).
The floor is the same documents inserted straight into the service's tables in one
transaction (as in serve_bench.py). Goal: at least 500 services/s in bulk.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from serve_bench import floor, served

from pps_sdk.catalogue import AsyncCatalogueClient, CatalogueClient
from pps_sdk.examples import large_catalogue

BATCH = 500
IN_FLIGHT = 4


def sync_bulk(url: str, token: str, services: list) -> None:
    with CatalogueClient(url, token, batch_size=BATCH) as client:
        result = client.publish(services)
        assert result.counts()["created"] == len(services), result.counts()


def sync_single(url: str, token: str, services: list) -> None:
    with CatalogueClient(url, token) as client:
        for service in services:
            client.create(service)


def async_bulk(url: str, token: str, services: list) -> None:
    async def run() -> None:
        async with AsyncCatalogueClient(url, token, batch_size=BATCH) as client:
            result = await client.publish(services, concurrency=IN_FLIGHT)
            assert result.counts()["created"] == len(services), result.counts()

    asyncio.run(run())


def async_single(url: str, token: str, services: list) -> None:
    async def run() -> None:
        async with AsyncCatalogueClient(url, token) as client:
            gate = asyncio.Semaphore(IN_FLIGHT)

            async def one(service) -> None:  # type: ignore[no-untyped-def]
                async with gate:
                    await client.create(service)

            await asyncio.gather(*(one(s) for s in services))

    asyncio.run(run())


def main(count: int) -> None:
    catalogue = large_catalogue(count)
    services = [s.model_copy(update={"source_id": f"{s.source_id}-{n}"}) for n, s in enumerate(catalogue.services)]
    shared = catalogue.model_copy(update={"services": [], "measurements": []})
    folder = Path(tempfile.mkdtemp(prefix="pps-publish-bench-"))
    print(f"{count:,} services; pps serve on SQLite in {folder}")
    floor_seconds = floor(folder, services)
    print(f"floor   straight into the tables            {count:>7,} in {floor_seconds:7.2f} s  "
          f"{count / floor_seconds:8.0f} services/s")
    runs = [("sync bulk", sync_bulk), ("async bulk", async_bulk), ("sync one by one", sync_single),
            ("async one by one", async_single)]
    for label, publish in runs:
        with served(folder / f"{label.replace(' ', '-')}.db") as (url, token):
            with CatalogueClient(url, token) as client:
                client.publish(shared)
            start = time.perf_counter()
            publish(url, token, services)
            seconds = time.perf_counter() - start
            with CatalogueClient(url, token) as client:
                assert len(client.find("services").items) == count
        print(f"publish {label:<35} {count:>7,} in {seconds:7.2f} s  {count / seconds:8.0f} services/s  "
              f"ratio to floor {seconds / floor_seconds:6.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
